"""The Support Request channel "Monitor" is now "Monitoring" (the hub's monitor opens requests)."""

import frappe


def execute():
	request = frappe.qb.DocType("Support Request")
	frappe.qb.update(request).set(request.channel, "Monitoring").where(request.channel == "Monitor").run()
