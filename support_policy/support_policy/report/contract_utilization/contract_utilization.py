# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""How each support contract is used: authorized users against the plan's cap, requests per month
over a period, the share of them out of scope, the end date and days to renewal, and whether the
hosted site was delivered within the plan's delivery time (72 hours in the seeded plan).

- Contracts listed: those whose term overlaps the period.
- Requests per month: requests received in the period, over the calendar months of the period that
  fall within the contract's term (a month counts if any day of it does).
- Delivery: Met when Delivered On <= Delivery Due, Missed otherwise; not yet delivered: Pending, or
  Overdue once the due time has passed; Not Signed without a delivery due time.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import add_days, date_diff, get_datetime, getdate, now_datetime, nowdate

from support_policy.glue.reporting import contract_columns, date_range, percent, permitted, where_received
from support_policy.support_policy.doctype.support_contract.support_contract import delivery_met

DELIVERY_STATES = ("Met", "Missed", "Overdue", "Pending", "Not Signed")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = data(filters)
	return columns(), rows, message(rows), chart(rows)


def data(filters) -> list[dict]:
	contract = frappe.qb.DocType("Support Contract")
	plan = frappe.qb.DocType("Support Plan")
	member = frappe.qb.DocType("Support Contract User")
	request = frappe.qb.DocType("Support Request")
	from_date, to_date = date_range(filters)

	users = (
		frappe.qb.from_(member)
		.select(member.parent, Count("*").as_("n"))
		.where((member.parenttype == "Support Contract") & (member.parentfield == "authorized_users"))
		.groupby(member.parent)
	)
	requests = (
		frappe.qb.from_(request)
		.select(
			request.contract,
			Count("*").as_("n"),
			Sum(Case().when(request.scope_verdict == "Out of scope", 1).else_(0)).as_("out_of_scope"),
		)
		.where(request.contract.isnotnull())
		.groupby(request.contract)
	)
	requests = permitted(where_received(requests, request.received_on, from_date, to_date), "Support Request")

	query = (
		frappe.qb.from_(contract)
		.left_join(plan)
		.on(plan.name == contract.support_plan)
		.left_join(users)
		.on(users.parent == contract.name)
		.left_join(requests)
		.on(requests.contract == contract.name)
		.select(
			contract.name.as_("contract"),
			contract.customer,
			contract.support_plan,
			contract.status,
			contract.start_date,
			contract.end_date,
			contract.signed_on,
			contract.delivery_due,
			contract.delivered_on,
			plan.max_users,
			plan.delivery_hours,
			users.n.as_("users"),
			requests.n.as_("requests"),
			requests.out_of_scope,
		)
		.orderby(contract.end_date)
		.orderby(contract.name)
	)
	if to_date:
		query = query.where(contract.start_date <= to_date)
	if from_date:
		query = query.where(contract.end_date.isnull() | (contract.end_date >= from_date))
	if filters.customer:
		query = query.where(contract.customer == filters.customer)
	if filters.support_plan:
		query = query.where(contract.support_plan == filters.support_plan)
	if filters.status:
		query = query.where(contract.status == filters.status)
	if filters.renewal_within_days:
		query = query.where(contract.end_date <= add_days(nowdate(), int(filters.renewal_within_days)))
	rows = permitted(query, "Support Contract").run(as_dict=True)

	today = getdate(nowdate())
	now = now_datetime()
	site_users = hosted_site_users([row.contract for row in rows])
	for row in rows:
		# i14-hosting: enabled system users on the contract's hosted sites (the monitor's heartbeat)
		row.site_users = site_users.get(row.contract)
		row.site_users_over = int(bool(row.site_users and row.max_users and row.site_users > row.max_users))
		row.users = int(row.users or 0)
		row.requests = int(row.requests or 0)
		row.out_of_scope = int(row.out_of_scope or 0)
		row.users_pct = percent(row.users, row.max_users)
		row.months = active_months(from_date, to_date, row.start_date, row.end_date)
		row.requests_per_month = round(row.requests / row.months, 2) if row.months else None
		row.out_of_scope_pct = percent(row.out_of_scope, row.requests)
		row.days_to_renewal = date_diff(row.end_date, today) if row.end_date else None
		row.delivery = delivery_state(row, now)
		row.delivery_label = delivery_labels()[row.delivery]
		row.status_label = _(row.status) if row.status else None
	return rows


def hosted_site_users(contracts: list[str]) -> dict[str, int]:
	"""The most enabled system users any hosted site of each contract reported."""
	if not contracts:
		return {}
	site = frappe.qb.DocType("Hosted Site")
	rows = (
		frappe.qb.from_(site)
		.select(site.contract, Max(site.enabled_users))
		.where(site.contract.isin(contracts) & site.health_checked_on.isnotnull())
		.groupby(site.contract)
	).run()
	return {contract: int(users or 0) for contract, users in rows}


def active_months(from_date, to_date, start_date, end_date) -> int:
	"""Calendar months of [from_date, to_date] that overlap [start_date, end_date]."""
	first = max(d for d in (getdate(from_date) if from_date else None, getdate(start_date)) if d)
	ends = [getdate(d) for d in (to_date, end_date) if d]
	last = min(ends) if ends else getdate(nowdate())
	if first > last:
		return 0
	return (last.year - first.year) * 12 + last.month - first.month + 1


def delivery_labels() -> dict[str, str]:
	return {
		"Met": _("Met"),
		"Missed": _("Missed"),
		"Overdue": _("Overdue"),
		"Pending": _("Pending"),
		"Not Signed": _("Not Signed"),
	}


def delivery_state(row, now) -> str:
	met = delivery_met(row.delivered_on, row.delivery_due)
	if met is not None:
		return "Met" if met else "Missed"
	if not row.delivery_due:
		return "Not Signed"
	return "Overdue" if get_datetime(row.delivery_due) < now else "Pending"


def columns():
	return [
		*contract_columns(),
		{
			"fieldname": "support_plan",
			"label": _("Support Plan"),
			"fieldtype": "Link",
			"options": "Support Plan",
			"width": 200,
		},
		{"fieldname": "status_label", "label": _("Status"), "fieldtype": "Data", "width": 120},
		{"fieldname": "users", "label": _("Authorized Users"), "fieldtype": "Int", "width": 120},
		{"fieldname": "max_users", "label": _("User Cap"), "fieldtype": "Int", "width": 90},
		{"fieldname": "users_pct", "label": _("Users Used %"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "site_users",
			"label": _("Enabled Users on the Site"),
			"fieldtype": "Int",
			"width": 120,
		},
		{
			"fieldname": "site_users_over",
			"label": _("More Users than the Plan"),
			"fieldtype": "Check",
			"width": 120,
		},
		{"fieldname": "requests", "label": _("Requests"), "fieldtype": "Int", "width": 90},
		{"fieldname": "months", "label": _("Months"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "requests_per_month",
			"label": _("Requests per Month"),
			"fieldtype": "Float",
			"width": 130,
		},
		{"fieldname": "out_of_scope", "label": _("Out of Scope"), "fieldtype": "Int", "width": 100},
		{"fieldname": "out_of_scope_pct", "label": _("Out of Scope %"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "end_date", "label": _("End Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "days_to_renewal", "label": _("Days to Renewal"), "fieldtype": "Int", "width": 120},
		{"fieldname": "delivery_due", "label": _("Delivery Due"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "delivered_on", "label": _("Delivered On"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "delivery_label", "label": _("Delivery on Time"), "fieldtype": "Data", "width": 120},
		{"fieldname": "delivery", "label": _("Delivery State"), "fieldtype": "Data", "hidden": 1},
	]


def message(rows) -> str | None:
	if not rows:
		return None
	met = sum(1 for r in rows if r.delivery == "Met")
	missed = sum(1 for r in rows if r.delivery == "Missed")
	overdue = sum(1 for r in rows if r.delivery == "Overdue")
	return _("Delivery on time: {0} met, {1} missed, {2} overdue and not delivered yet.").format(
		met, missed, overdue
	)


def chart(rows):
	shown = sorted((r for r in rows if r.requests), key=lambda r: -(r.requests_per_month or 0))[:15]
	if not shown:
		return None
	return {
		"data": {
			"labels": [r.customer for r in shown],
			"datasets": [{"name": _("Requests per Month"), "values": [r.requests_per_month for r in shown]}],
		},
		"type": "bar",
	}
