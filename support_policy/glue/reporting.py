"""Shared by the support reports and the "Soporte" workspace: permission-aware query helpers and the
methods behind the workspace's Custom number cards.

Reports aggregate with ``frappe.qb``; :func:`permitted` adds to such a query the same row conditions
``frappe.get_list`` would apply for the user (role permissions, User Permissions, shared documents and
the app's ``permission_query_conditions``), so a Support Customer sees only their own customers' rows.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery
from frappe.query_builder import Case, Criterion
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, flt, get_first_day, get_last_day, getdate, nowdate

from support_policy.statuses import FINISHED as FINISHED_STATUSES
from support_policy.statuses import OPEN as OPEN_STATUSES

# Quotation.status values, folded into the columns the reports show.
QUOTATION_OPEN = ("Open", "Replied")
QUOTATION_ORDERED = ("Ordered", "Partially Ordered")


class RawCondition(Criterion):
	"""A WHERE fragment produced by Frappe's own permission engine (already escaped)."""

	def __init__(self, sql: str, alias: str | None = None) -> None:
		super().__init__(alias)
		self.sql = sql

	def get_sql(self, **kwargs) -> str:
		return f"({self.sql})"


def request_columns() -> list[dict]:
	"""The columns that open every per-request list of the reports (drill-downs)."""
	return [
		{
			"fieldname": "request",
			"label": _("Support Request"),
			"fieldtype": "Link",
			"options": "Support Request",
			"width": 140,
		},
		{"fieldname": "subject", "label": _("Subject"), "fieldtype": "Data", "width": 220},
		{"fieldname": "received_on", "label": _("Received On"), "fieldtype": "Datetime", "width": 160},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
	]


def contract_columns() -> list[dict]:
	"""The columns that open every per-contract list of the reports."""
	return [
		{
			"fieldname": "contract",
			"label": _("Support Contract"),
			"fieldtype": "Link",
			"options": "Support Contract",
			"width": 140,
		},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 170,
		},
	]


def permission_condition(doctype: str, user: str | None = None) -> str:
	"""The row condition ``frappe.get_list(doctype)`` applies for ``user`` ("" when none). Raises
	PermissionError when the user cannot read the doctype at all."""
	user = user or frappe.session.user
	if not frappe.has_permission(doctype, "read", user=user):
		frappe.throw(_("Not permitted to read {0}").format(_(doctype)), frappe.PermissionError)
	return DatabaseQuery(doctype, user=user).build_match_conditions(as_condition=True) or ""


def permitted(query, doctype: str, user: str | None = None):
	"""``query`` (built on ``frappe.qb.DocType(doctype)``, not aliased) restricted to the rows the user
	may read."""
	condition = permission_condition(doctype, user)
	return query.where(RawCondition(condition)) if condition else query


def date_range(filters) -> tuple[date | None, date | None]:
	"""(from, to) of a report's date filters; ``to`` is inclusive."""
	from_date = getdate(filters.get("from_date")) if filters.get("from_date") else None
	to_date = getdate(filters.get("to_date")) if filters.get("to_date") else None
	if from_date and to_date and from_date > to_date:
		frappe.throw(_("From Date must be before To Date"))
	return from_date, to_date


def where_received(query, field, from_date, to_date):
	"""Datetime ``field`` within the inclusive date range (index-friendly: no function on the column)."""
	if from_date:
		query = query.where(field >= from_date)
	if to_date:
		query = query.where(field < add_days(to_date, 1))
	return query


def percent(part, whole, precision: int = 1):
	return flt(100.0 * part / whole, precision) if whole else None


def this_month() -> tuple[date, date]:
	today = getdate(nowdate())
	return get_first_day(today), get_last_day(today)


# ---------------------------------------------------------------------------------------------
# Custom number cards of the "Soporte" workspace (Number Card type "Custom"). Each checks read
# permission on Support Request and counts only the rows the user may read.


@frappe.whitelist()
def compliance_this_month(filters=None) -> dict | str:
	"""Share of this month's requests whose service level is decided that met it: requests received
	this month with every timer met, over those met plus those with a breached timer (the "SLA Met %"
	of the SLA Compliance report)."""
	first, last = this_month()
	request = frappe.qb.DocType("Support Request")
	breached = (request.first_response_status == "Breached") | (request.resolution_status == "Breached")
	query = frappe.qb.from_(request).select(
		Sum(Case().when(request.sla_status == "Met", 1).else_(0)).as_("met"),
		Sum(Case().when(breached, 1).else_(0)).as_("breached"),
	)
	query = where_received(query, request.received_on, first, last)
	met, breached_count = permitted(query, "Support Request").run()[0]
	met, breached_count = int(met or 0), int(breached_count or 0)
	if not met + breached_count:
		return "—"  # nothing decided yet this month (the card shows the text; a null value breaks it)
	return {
		"value": percent(met, met + breached_count),
		"fieldtype": "Percent",
		"route": ["query-report", "SLA Compliance"],
		"route_options": {"from_date": str(first), "to_date": str(last), "group_by": "Week"},
	}


@frappe.whitelist()
def success_pack_quotes_this_month(filters=None) -> dict:
	"""Success Pack quotations dated this month that come from support requests the user may read."""
	first, last = this_month()
	request = frappe.qb.DocType("Support Request")
	quotation = frappe.qb.DocType("Quotation")
	query = (
		frappe.qb.from_(request)
		.join(quotation)
		.on(quotation.name == request.success_pack_quotation)
		.select(Count(quotation.name).distinct())
		.where(quotation.transaction_date[first:last])
		.where(quotation.docstatus < 2)
	)
	value = permitted(query, "Support Request").run()[0][0] or 0
	return {
		"value": int(value),
		"fieldtype": "Int",
		"route": ["query-report", "Out-of-Scope and Success Pack"],
		"route_options": {"from_date": str(first), "to_date": str(last), "show_requests": 1},
	}
