// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Plan", {
	refresh(frm) {
		if (frm.is_new() || !frappe.model.can_create("Support Plan")) return;
		frm.add_custom_button(__("New version"), () => {
			const d = new frappe.ui.Dialog({
				title: __("New version of this plan"),
				fields: [
					{ fieldname: "policy_version", fieldtype: "Data", label: __("Policy Version"), reqd: 1 },
					{ fieldname: "valid_from", fieldtype: "Date", label: __("Valid From"), reqd: 1, default: frappe.datetime.get_today() },
					{ fieldname: "valid_until", fieldtype: "Date", label: __("Valid Until") },
				],
				primary_action_label: __("Create"),
				primary_action(values) {
					frappe
						.call({
							method: "support_policy.support_policy.doctype.support_plan.support_plan.new_version",
							args: { plan: frm.doc.name, ...values },
							freeze: true,
						})
						.then((r) => {
							d.hide();
							frappe.set_route("Form", "Support Plan", r.message);
						});
				},
			});
			d.show();
		});
	},
});
