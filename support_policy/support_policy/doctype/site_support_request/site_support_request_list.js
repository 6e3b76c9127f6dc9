// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.listview_settings["Site Support Request"] = {
	add_fields: ["delivery_state", "status", "hub_reference"],
	get_indicator(doc) {
		if (doc.delivery_state === "Sending") return [__("Sending…"), "orange", "delivery_state,=,Sending"];
		if (doc.delivery_state === "Failed") return [__("Not Delivered"), "red", "delivery_state,=,Failed"];
		const colors = { Open: "blue", "In Progress": "purple", "Waiting on Customer": "yellow", Resolved: "green", Closed: "gray", "Out of Scope": "orange" };
		return [__(doc.status || "Open"), colors[doc.status] || "blue", `status,=,${doc.status}`];
	},
};
