// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.query_reports["Monthly Availability"] = {
	filters: [
		{
			fieldname: "month",
			label: __("Month"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
			description: __("Any day of the month to report"),
		},
		{
			fieldname: "contract",
			label: __("Support Contract"),
			fieldtype: "Link",
			options: "Support Contract",
			description: __("Empty: every contract, worst first"),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "promise" && data && data.promise_kept === 0) {
			value = `<span class="text-danger">${value}</span>`;
		}
		if (data && data.row_type === "incident" && column.fieldname === "contract") {
			value = `<span class="text-muted">${value}</span>`;
		}
		return value;
	},
};
