// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.query_reports["Out-of-Scope and Success Pack"] = {
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
			options: [
				"",
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
			].map((value) => ({ value: value, label: value ? __(value) : "" })),
		},
		{ fieldname: "show_requests", label: __("Show Requests"), fieldtype: "Check" },
	],
};
