// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.ui.form.on("Site Support Request", {
	refresh(frm) {
		const sent = !frm.is_new();
		["subject", "description", "priority", "category", "error_logs"].forEach((f) =>
			frm.set_df_property(f, "read_only", sent ? 1 : 0)
		);
		frm.dashboard.clear_headline();
		if (frm.is_new()) {
			frm.add_custom_button(__("Add Recent Errors"), () => choose_errors(frm));
			return;
		}
		// Sent: everything here now comes from the hub; the requester answers with Reply.
		frm.disable_save();
		const link = (frm.doc.__onload && frm.doc.__onload.link) || {};
		if (frm.doc.delivery_state === "Sending") {
			frm.dashboard.set_headline(__("Sending…"), "orange");
		} else if (frm.doc.delivery_state === "Failed") {
			frm.dashboard.set_headline(
				__("Not delivered yet: {0}", [frappe.utils.escape_html(frm.doc.last_error || "")]),
				"red"
			);
		} else if (link.dead) {
			frm.dashboard.set_headline(
				__("{0} replies or files of this request could not be delivered: {1}", [
					link.dead,
					frappe.utils.escape_html(link.last_error || ""),
				]),
				"red"
			);
		} else if (link.waiting) {
			frm.dashboard.set_headline(
				__("Support reference: {0}. {1} replies or files are being sent.", [
					frm.doc.hub_reference || "…",
					link.waiting,
				]),
				"orange"
			);
		} else if (frm.doc.hub_reference) {
			frm.dashboard.set_headline(__("Support reference: {0}", [frm.doc.hub_reference]), "green");
		}
		if (!["Closed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Reply"), () => reply(frm));
		}
		if ((frm.doc.delivery_state === "Failed" || link.dead) && frappe.user.has_role("System Manager")) {
			frm.add_custom_button(__("Send Again"), () =>
				frappe
					.call("support_policy.customer_site.api.send_again", { name: frm.doc.name })
					.then(() => frm.reload_doc())
			);
		}
	},
});


function reply(frm) {
	const d = new frappe.ui.Dialog({
		title: __("Reply"),
		fields: [{ fieldname: "content", fieldtype: "Text Editor", label: __("Message"), reqd: 1 }],
		primary_action_label: __("Send"),
		primary_action(values) {
			frappe
				.call("support_policy.customer_site.api.reply", { name: frm.doc.name, content: values.content })
				.then(() => {
					d.hide();
					frm.reload_doc();
				});
		},
	});
	d.show();
}

function choose_errors(frm) {
	frappe.call("support_policy.customer_site.api.recent_errors").then((r) => {
		const rows = r.message || [];
		if (!rows.length) {
			frappe.msgprint(__("No errors in the last 7 days."));
			return;
		}
		const d = new frappe.ui.Dialog({
			title: __("Include Errors"),
			fields: [
				{
					fieldname: "errors",
					fieldtype: "MultiCheck",
					label: __("Errors"),
					options: rows.map((e) => ({
						label: frappe.utils.escape_html(`${e.at} — ${e.method || ""} — ${e.summary}`),
						value: e.name,
					})),
				},
			],
			primary_action_label: __("Include"),
			primary_action(values) {
				frm.set_value("error_logs", (values.errors || []).join("\n"));
				d.hide();
			},
		});
		d.show();
	});
}
