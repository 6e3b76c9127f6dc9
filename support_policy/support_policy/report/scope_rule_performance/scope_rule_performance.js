// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.query_reports["Scope Rule Performance"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "verdict", label: __("Verdict"), fieldtype: "Select", options: ["", "In scope", "Out of scope"] },
	],
};
