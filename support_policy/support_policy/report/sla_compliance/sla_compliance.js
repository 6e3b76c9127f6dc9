// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.provide("support_policy.reports");

// Shared by the support reports: Select options that store the English value and show it translated.
support_policy.reports.options = function (values, blank = true) {
	const options = values.map((value) => ({ value: value, label: __(value) }));
	return blank ? [{ value: "", label: "" }, ...options] : options;
};

support_policy.reports.PRIORITIES = ["Low", "Medium", "High", "Urgent"];
support_policy.reports.CATEGORIES = [
	"Connectivity",
	"Backup",
	"Restore",
	"Guidance",
	"Frequent Question",
	"Account & Billing",
	"Platform Update",
	"On-site Support",
	"Data Import",
	"Consulting",
	"Misconfiguration",
	"Training",
	"Design & Customization",
	"Native Bug",
	"Workflow & Authorization",
	"Third-party Development",
	"Change on Customer's Behalf",
	"Other",
];

frappe.query_reports["SLA Compliance"] = {
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
			options: support_policy.reports.options(support_policy.reports.PRIORITIES),
		},
		{
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Select",
			options: support_policy.reports.options(support_policy.reports.CATEGORIES),
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
