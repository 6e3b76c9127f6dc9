// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.query_reports["Agent Workload"] = {
	filters: [
		{ fieldname: "agent", label: __("Agent"), fieldtype: "Link", options: "User" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "priority",
			label: __("Priority"),
			fieldtype: "Select",
			options: ["", "Low", "Medium", "High", "Urgent"].map((value) => ({
				value: value,
				label: value ? __(value) : "",
			})),
		},
	],

	formatter(value, row, column, data, default_formatter) {
		const formatted = default_formatter(value, row, column, data);
		if (!data || !value) return formatted;
		if (column.fieldname === "breached")
			return `<span class="text-danger bold">${formatted}</span>`;
		if (column.fieldname === "at_risk")
			return `<span class="text-warning bold">${formatted}</span>`;
		return formatted;
	},
};
