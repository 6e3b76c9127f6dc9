// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

function format_business_time(seconds) {
	const late = seconds < 0;
	const total = Math.abs(seconds);
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	return late
		? __("{0} h {1} min of business time overdue", [hours, minutes])
		: __("{0} h {1} min of business time left", [hours, minutes]);
}

const SLA_INDICATOR = {
	"On Track": "green",
	"At Risk": "orange",
	Breached: "red",
	Paused: "blue",
	Met: "green",
	"Not Applicable": "gray",
};

// A request's status in its own translation context ("Abierta", "En espera de su respuesta"), also
// where it is shown read-only (customers cannot change it); Frappe's own "Open" stays as it is.
function status_in_context(value) {
	return value ? frappe.utils.escape_html(__(value, null, "Support Request")) : "";
}

frappe.ui.form.on("Support Request", {
	refresh(frm) {
		const status = frm.fields_dict.status;
		if (status && status.df.formatter !== status_in_context) {
			status.df.formatter = status_in_context;
			status.refresh();
		}
		frm.trigger("show_sla");
		if (frm.is_new()) return;
		if (frm.perm[1] && frm.perm[1].write) {
			frm.add_custom_button(__("Overrule Scope Verdict"), () => frm.trigger("overrule_scope"), __("Actions"));
			if (frm.doc.status !== "Waiting on Customer" && !["Resolved", "Closed", "Out of Scope"].includes(frm.doc.status)) {
				frm.add_custom_button(__("Waiting on Customer"), () => frm.set_value("status", "Waiting on Customer").then(() => frm.save()), __("Actions"));
			}
			if (!["Resolved", "Closed", "Out of Scope"].includes(frm.doc.status)) {
				frm.add_custom_button(__("Resolve"), () => frm.set_value("status", "Resolved").then(() => frm.save()), __("Actions"));
			}
			if (["Resolved", "Closed"].includes(frm.doc.status)) {
				// The resolution clock restarts with the full target from now.
				frm.add_custom_button(__("Reopen"), () => frm.set_value("status", "Open").then(() => frm.save()), __("Actions"));
			}
		}
		const can_retry = frm.perm[2] && frm.perm[2].write && frm.doc.status === "Out of Scope";
		if (can_retry && ["Follow-up Failed", "Quotation Being Prepared"].includes(frm.doc.success_pack_status)) {
			frm.add_custom_button(__("Retry Success Pack Follow-up"), () =>
				frappe
					.call({
						method: "support_policy.support_policy.doctype.support_request.api.retry_success_pack",
						args: { request: frm.doc.name },
						freeze: true,
					})
					.then(() => frm.reload_doc()),
			__("Actions"));
		}
	},
	show_sla(frm) {
		// Frappe appends form messages: clear, then set the headline exactly once.
		frm.dashboard.clear_headline();
		if (frm.is_new() || !frm.doc.sla_status) return;
		const colour = SLA_INDICATOR[frm.doc.sla_status] || "gray";
		let html = `<span class="indicator-pill ${colour}">${__(frm.doc.sla_status)}</span>`;
		const due = frm.doc.first_responded_on ? frm.doc.resolution_due : frm.doc.first_response_due;
		if (due && !["Met", "Paused", "Not Applicable"].includes(frm.doc.sla_status)) {
			const label = frm.doc.first_responded_on ? __("Resolution due") : __("First response due");
			html += ` ${label}: <b>${frappe.datetime.str_to_user(due)}</b>`;
			// Frappe's relative date only speaks of the past: a deadline still ahead gets none.
			const ago = frappe.datetime.prettyDate(due);
			if (ago) html += ` (${ago})`;
		}
		if (frm.doc.sla_note) html += `<br><span class="text-muted">${frappe.utils.escape_html(frm.doc.sla_note)}</span>`;
		if (frm.doc.success_pack_status === "Quotation Being Prepared") {
			html += `<br><span class="text-muted">${__("The Success Pack quotation is being prepared; it will be sent by e-mail.")}</span>`;
		} else if (frm.doc.success_pack_status === "Follow-up Failed" && frm.doc.success_pack_error) {
			html += `<br><span class="text-danger">${__("The Success Pack follow-up failed: {0}", [frappe.utils.escape_html(frm.doc.success_pack_error)])}</span>`;
		}
		if (!["On Track", "At Risk", "Breached"].includes(frm.doc.sla_status)) {
			frm.dashboard.set_headline_alert(html);
			return;
		}
		const shown_for = frm.doc.modified;
		frappe.call("support_policy.support_policy.doctype.support_request.api.sla_countdown", { request: frm.doc.name }).then((r) => {
			if (frm.doc.modified !== shown_for) return; // a newer refresh owns the headline
			const parts = Object.entries(r.message || {})
				.filter(([, t]) => ["On Track", "At Risk", "Breached"].includes(t.status))
				.map(([timer, t]) => `${__(timer)}: ${format_business_time(t.remaining_seconds)}`);
			frm.dashboard.clear_headline();
			frm.dashboard.set_headline_alert(parts.length ? `${html}<br>${parts.join(" · ")}` : html);
		});
	},
	overrule_scope(frm) {
		const d = new frappe.ui.Dialog({
			title: __("Overrule Scope Verdict"),
			fields: [
				{
					fieldname: "verdict",
					fieldtype: "Select",
					label: __("Verdict"),
					options: ["In scope", "Out of scope"].map((v) => ({ value: v, label: __(v) })),
					reqd: 1,
					default: frm.doc.scope_verdict === "Out of scope" ? "In scope" : "Out of scope",
				},
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
			],
			primary_action_label: __("Overrule"),
			primary_action(values) {
				frappe
					.call({
						method: "support_policy.support_policy.doctype.support_request.api.override_verdict",
						args: { request: frm.doc.name, ...values },
						freeze: true,
					})
					.then(() => {
						d.hide();
						frm.reload_doc();
					});
			},
		});
		d.show();
	},
});
