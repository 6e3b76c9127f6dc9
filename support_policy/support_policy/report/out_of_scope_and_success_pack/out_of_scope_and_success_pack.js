// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

// The category filter's options come from the Support Request doctype (one list of categories).
frappe.query_reports["Out-of-Scope and Success Pack"] = {
	onload(report) {
		frappe.model.with_doctype("Support Request", () => {
			const df = frappe.meta.get_docfield("Support Request", "category");
			const values = ((df && df.options) || "").split("\n").filter(Boolean);
			const filter = report.get_filter("category");
			filter.df.options = [{ value: "", label: "" }, ...values.map((v) => ({ value: v, label: __(v) }))];
			filter.set_options();
		});
	},
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -11),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "period",
			label: __("Period"),
			fieldtype: "Select",
			options: [
				{ value: "Month", label: __("Month") },
				{ value: "Quarter", label: __("Quarter") },
				{ value: "Year", label: __("Year") },
			],
			default: "Month",
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Select",
			options: [""],
		},
		{ fieldname: "show_requests", label: __("Show Requests"), fieldtype: "Check" },
	],
};
