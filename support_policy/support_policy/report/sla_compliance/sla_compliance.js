// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

// Select filters show the English values translated; their options come from the Support Request
// doctype itself, so the lists of priorities and categories live in one place.
function load_options_from_doctype(report, fieldnames) {
	frappe.model.with_doctype("Support Request", () => {
		for (const fieldname of fieldnames) {
			const df = frappe.meta.get_docfield("Support Request", fieldname);
			const values = ((df && df.options) || "").split("\n").filter(Boolean);
			const filter = report.get_filter(fieldname);
			filter.df.options = [{ value: "", label: "" }, ...values.map((v) => ({ value: v, label: __(v) }))];
			filter.set_options();
		}
	});
}

frappe.query_reports["SLA Compliance"] = {
	onload(report) {
		load_options_from_doctype(report, ["priority", "category"]);
	},
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -2),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "priority",
			label: __("Priority"),
			fieldtype: "Select",
			options: [""],
		},
		{
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Select",
			options: [""],
		},
		{ fieldname: "agent", label: __("Agent"), fieldtype: "Link", options: "User" },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Customer", label: __("Customer") },
				{ value: "Priority", label: __("Priority") },
				{ value: "Category", label: __("Category") },
				{ value: "Agent", label: __("Agent") },
				{ value: "Month", label: __("Month") },
				{ value: "Week", label: __("Week") },
			],
			default: "Customer",
		},
		{ fieldname: "show_breached", label: __("Show Breached Requests"), fieldtype: "Check" },
		{ fieldname: "blank", label: __("Empty Group"), fieldtype: "Data", hidden: 1 },
	],

	formatter(value, row, column, data, default_formatter) {
		const formatted = default_formatter(value, row, column, data);
		if (column.fieldname !== "breached" || !data || !data.breached) {
			return formatted;
		}
		return `<a href="${frappe.query_reports["SLA Compliance"].breached_url(data)}" title="${__(
			"Show the breached requests"
		)}">${formatted}</a>`;
	},

	// The drill-down: the same report listing the breached requests of one group.
	breached_url(data) {
		const report = frappe.query_report;
		const filters = Object.assign({}, report.get_filter_values(), { show_breached: 1 });
		const group_by = filters.group_by;
		const field = {
			Customer: "customer",
			Priority: "priority",
			Category: "category",
			Agent: "agent",
		}[group_by];
		if (field) {
			if (data.group_value) {
				filters[field] = data.group_value;
			} else {
				filters.blank = group_by;
			}
		} else {
			filters.from_date = data.from_date;
			filters.to_date = data.to_date;
		}
		const query = Object.entries(filters)
			.filter(([, v]) => v !== undefined && v !== null && v !== "")
			.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
			.join("&");
		return `/app/query-report/${encodeURIComponent("SLA Compliance")}?${query}`;
	},
};
