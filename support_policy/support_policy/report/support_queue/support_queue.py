# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""The agents' queue: open requests, the nearest service-level deadline first."""

import frappe
from frappe import _
from frappe.utils import get_datetime

from support_policy.glue.reporting import OPEN_STATUSES


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns():
	return [
		{
			"fieldname": "name",
			"label": _("Support Request"),
			"fieldtype": "Link",
			"options": "Support Request",
			"width": 150,
		},
		{"fieldname": "subject", "label": _("Subject"), "fieldtype": "Data", "width": 260},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 170,
		},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 90},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 140},
		{"fieldname": "sla_status", "label": _("SLA Status"), "fieldtype": "Data", "width": 110},
		{"fieldname": "next_deadline", "label": _("Next Deadline"), "fieldtype": "Datetime", "width": 170},
		{"fieldname": "deadline_for", "label": _("Deadline For"), "fieldtype": "Data", "width": 130},
		{
			"fieldname": "assigned_agent",
			"label": _("Assigned Agent"),
			"fieldtype": "Link",
			"options": "User",
			"width": 170,
		},
	]


def data(filters):
	conditions = {"status": ("in", OPEN_STATUSES)}
	if filters.assigned_agent:
		conditions["assigned_agent"] = filters.assigned_agent
	if filters.only_mine:
		conditions["assigned_agent"] = frappe.session.user
	rows = frappe.get_list(
		"Support Request",
		filters=conditions,
		fields=[
			"name",
			"subject",
			"customer",
			"priority",
			"status",
			"sla_status",
			"assigned_agent",
			"first_response_due",
			"first_responded_on",
			"resolution_due",
		],
		limit_page_length=0,
	)  # get_list applies the user's permissions
	for row in rows:
		if row.first_responded_on or not row.first_response_due:
			row.next_deadline, row.deadline_for = row.resolution_due, _("Resolution")
		else:
			row.next_deadline, row.deadline_for = row.first_response_due, _("First Response")
		row.priority, row.status = _(row.priority), _(row.status)
		row.sla_status = _(row.sla_status) if row.sla_status else ""
	# Paused and untimed requests (no deadline) come after every request that has one.
	rows.sort(
		key=lambda r: (r.next_deadline is None, get_datetime(r.next_deadline) if r.next_deadline else 0)
	)
	return rows
