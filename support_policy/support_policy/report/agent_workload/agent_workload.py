# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""What each agent has on their plate right now: open requests (Open, In Progress, Waiting on
Customer), how many wait on the customer, are at risk or breached, the oldest one and the next
deadline.

Breached counts open requests with a breached timer, and also those whose deadline has passed since
the 5-minute SLA check last ran (first response due and not answered, or resolution due, while the
clock runs), so the figure is right "now". At risk is the SLA check's verdict for the rest.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Min, Sum
from frappe.utils import now_datetime

from support_policy.glue.reporting import OPEN_STATUSES, permitted

RUNNING_STATUSES = ("Open", "In Progress")
COUNTS = ("open", "waiting", "at_risk", "breached", "on_track")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = data(filters)
	return columns(), rows, message(rows), chart(rows)


def breached_now(request, now):
	overdue = request.status.isin(RUNNING_STATUSES) & (
		(request.first_responded_on.isnull() & (request.first_response_due < now))
		| (request.resolution_due < now)
	)
	return (request.first_response_status == "Breached") | (request.resolution_status == "Breached") | overdue


def flag(condition):
	return Case().when(condition, 1).else_(0)


def data(filters) -> list[dict]:
	now = now_datetime()
	request = frappe.qb.DocType("Support Request")
	breached = breached_now(request, now)
	upcoming_response = Case().when(
		request.status.isin(RUNNING_STATUSES)
		& request.first_responded_on.isnull()
		& (request.first_response_due >= now),
		request.first_response_due,
	)
	upcoming_resolution = Case().when(
		request.status.isin(RUNNING_STATUSES) & (request.resolution_due >= now), request.resolution_due
	)
	query = (
		frappe.qb.from_(request)
		.select(
			request.assigned_agent.as_("agent"),
			Count("*").as_("open"),
			Sum(flag(request.status == "Waiting on Customer")).as_("waiting"),
			# CASE branches in order: a request counts once, breached before at risk (NULL-safe).
			Sum(Case().when(breached, 0).when(request.sla_status == "At Risk", 1).else_(0)).as_("at_risk"),
			Sum(flag(breached)).as_("breached"),
			Sum(
				Case()
				.when(breached, 0)
				.when(request.sla_status == "At Risk", 0)
				.when(request.status.isin(RUNNING_STATUSES), 1)
				.else_(0)
			).as_("on_track"),
			Min(request.received_on).as_("oldest"),
			Min(upcoming_response).as_("next_response_due"),
			Min(upcoming_resolution).as_("next_resolution_due"),
		)
		.where(request.status.isin(OPEN_STATUSES))
		.groupby(request.assigned_agent)
	)
	if filters.agent:
		query = query.where(request.assigned_agent == filters.agent)
	if filters.customer:
		query = query.where(request.customer == filters.customer)
	if filters.priority:
		query = query.where(request.priority == filters.priority)
	rows = permitted(query, "Support Request").run(as_dict=True)
	merged: dict[str, frappe._dict] = {}
	for row in rows:
		# NULL and "" are both "unassigned".
		key = row.agent or ""
		if key in merged:
			target = merged[key]
			for field in COUNTS:
				target[field] += int(row[field] or 0)
			target.oldest = min(d for d in (target.oldest, row.oldest) if d)
			for field in ("next_response_due", "next_resolution_due"):
				values = [d for d in (target[field], row[field]) if d]
				target[field] = min(values) if values else None
			continue
		for field in COUNTS:
			row[field] = int(row[field] or 0)
		row.agent = key or None
		merged[key] = row
	rows = list(merged.values())
	for row in rows:
		dues = [d for d in (row.pop("next_response_due"), row.pop("next_resolution_due")) if d]
		row.next_due = min(dues) if dues else None
		row.agent_name = frappe.utils.get_fullname(row.agent) if row.agent else _("Unassigned")
	rows.sort(key=lambda r: (-r.breached, -r.at_risk, -r.open, not r.agent, r.agent_name.lower()))
	return rows


def columns():
	return [
		{"fieldname": "agent", "label": _("Agent"), "fieldtype": "Link", "options": "User", "width": 200},
		{"fieldname": "agent_name", "label": _("Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "open", "label": _("Open Requests"), "fieldtype": "Int", "width": 110},
		{"fieldname": "waiting", "label": _("Waiting on Customer"), "fieldtype": "Int", "width": 140},
		{"fieldname": "at_risk", "label": _("At Risk"), "fieldtype": "Int", "width": 80},
		{"fieldname": "breached", "label": _("Breached"), "fieldtype": "Int", "width": 90},
		{"fieldname": "on_track", "label": _("On Track"), "fieldtype": "Int", "width": 90},
		{"fieldname": "oldest", "label": _("Oldest Open Since"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "next_due", "label": _("Next Deadline"), "fieldtype": "Datetime", "width": 160},
	]


def message(rows) -> str | None:
	if not rows:
		return None
	return _("{0} open requests: {1} at risk, {2} breached, {3} waiting on the customer.").format(
		sum(r.open for r in rows),
		sum(r.at_risk for r in rows),
		sum(r.breached for r in rows),
		sum(r.waiting for r in rows),
	)


def chart(rows):
	if not rows:
		return None
	shown = rows[:20]
	return {
		"data": {
			"labels": [r.agent_name for r in shown],
			"datasets": [
				{"name": _("Breached"), "values": [r.breached for r in shown]},
				{"name": _("At Risk"), "values": [r.at_risk for r in shown]},
				{"name": _("On Track"), "values": [r.on_track for r in shown]},
				{
					"name": _("Waiting on Customer"),
					"values": [r.open - r.breached - r.at_risk - r.on_track for r in shown],
				},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#e24c4c", "#f5a623", "#29cd42", "#7f8c8d"],
	}
