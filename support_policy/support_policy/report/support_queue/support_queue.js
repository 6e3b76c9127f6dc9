// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.query_reports["Support Queue"] = {
	filters: [
		{ fieldname: "only_mine", label: __("Only My Requests"), fieldtype: "Check" },
		{ fieldname: "assigned_agent", label: __("Assigned Agent"), fieldtype: "Link", options: "User" },
	],
};
