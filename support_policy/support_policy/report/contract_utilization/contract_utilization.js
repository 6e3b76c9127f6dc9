// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.query_reports["Contract Utilization"] = {
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
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "support_plan",
			label: __("Support Plan"),
			fieldtype: "Link",
			options: "Support Plan",
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Draft", label: __("Draft") },
				{ value: "Pending Delivery", label: __("Pending Delivery") },
				{ value: "Active", label: __("Active") },
				{ value: "Expired", label: __("Expired") },
				{ value: "Cancelled", label: __("Cancelled") },
			],
		},
		{ fieldname: "renewal_within_days", label: __("Renewal Within (Days)"), fieldtype: "Int" },
	],

	formatter(value, row, column, data, default_formatter) {
		const formatted = default_formatter(value, row, column, data);
		if (!data) return formatted;
		if (column.fieldname === "delivery_label") {
			const color = { Met: "green", Missed: "red", Overdue: "red", Pending: "orange" }[
				data.delivery
			];
			return color ? `<span class="indicator-pill ${color}">${formatted}</span>` : formatted;
		}
		if (
			column.fieldname === "days_to_renewal" &&
			data.days_to_renewal !== null &&
			data.days_to_renewal <= 30
		) {
			return `<span class="text-danger">${formatted}</span>`;
		}
		if (column.fieldname === "users" && data.max_users && data.users > data.max_users) {
			return `<span class="text-danger">${formatted}</span>`;
		}
		return formatted;
	},
};
