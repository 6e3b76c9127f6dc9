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
	get_indicator(doc) {
		if (doc.status === "Out of Scope") return [__("Out of Scope"), "gray", "status,=,Out of Scope"];
		if (doc.sla_status && !["Not Applicable", ""].includes(doc.sla_status)) {
			return [__(doc.sla_status), SLA_COLOURS[doc.sla_status] || "gray", `sla_status,=,${doc.sla_status}`];
		}
		return [__(doc.status), doc.status === "Open" ? "red" : "blue", `status,=,${doc.status}`];
	},
	formatters: {
		resolution_due(value) {
			return value ? frappe.datetime.comment_when(value) : "";
		},
	},
};
