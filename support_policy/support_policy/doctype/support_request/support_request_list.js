// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

const SLA_COLOURS = {
	"On Track": "green",
	"At Risk": "orange",
	Breached: "red",
	Paused: "blue",
	Met: "green",
	"Not Applicable": "gray",
};

frappe.listview_settings["Support Request"] = {
	add_fields: ["status", "sla_status", "resolution_due", "scope_verdict"],
	has_indicator_for_draft: true,
	onload(listview) {
		// Customers read "Nueva solicitud" rather than Frappe's generic "Agregar Solicitud de soporte".
		const set_default_action = listview.set_primary_action.bind(listview);
		listview.set_primary_action = function () {
			set_default_action();
			if (this.can_create && !frappe.boot.read_only) {
				this.page.set_primary_action(__("New Request"), () => this.make_new_doc(), "add");
			}
		};
		listview.set_primary_action();
	},
	get_indicator(doc) {
		if (doc.status === "Out of Scope") return [__("Out of Scope", null, "Support Request"), "gray", "status,=,Out of Scope"];
		if (doc.sla_status && !["Not Applicable", ""].includes(doc.sla_status)) {
			return [__(doc.sla_status), SLA_COLOURS[doc.sla_status] || "gray", `sla_status,=,${doc.sla_status}`];
		}
		// In context: a request is "Abierta", while Frappe's own "Open" stays as it is.
		return [__(doc.status, null, "Support Request"), doc.status === "Open" ? "red" : "blue", `status,=,${doc.status}`];
	},
	formatters: {
		resolution_due(value) {
			return value ? frappe.datetime.comment_when(value) : "";
		},
	},
};
