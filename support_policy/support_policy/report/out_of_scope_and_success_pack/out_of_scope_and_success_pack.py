# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Excluded work and what it sells: the requests flagged out of scope (and the ones an agent
overruled either way), by period and excluded category, with the Success Pack quotations made for
them, their ERPNext status and amounts, and the conversion from excluded request to sale.

- Flagged: requests received in the period that are out of scope now or whose verdict an agent
  overruled. Out of Scope: the ones still out of scope. Overrides: overrule records.
- Quotations: linked Success Pack quotations (cancelled ones apart), counted by Quotation.status;
  amounts in company currency (base grand total). Won: Ordered or Partially Ordered.
- Conversion %: out-of-scope requests whose quotation was won, over out-of-scope requests.

"Show Requests" lists the flagged requests one by one instead.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import Case, CustomFunction
from frappe.query_builder.functions import Coalesce, Count, NullIf, Sum
from frappe.utils import flt

from support_policy.glue import reporting as dashboards
from support_policy.glue.reporting import (
	QUOTATION_OPEN,
	QUOTATION_ORDERED,
	date_range,
	percent,
	permitted,
	where_received,
)

PERIODS = ("Month", "Quarter", "Year")
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])
Quarter = CustomFunction("QUARTER", ["date"])
Year = CustomFunction("YEAR", ["date"])
Concat = CustomFunction("CONCAT", ["a", "b", "c"])
STATUS_COLUMNS = (
	("draft", ("Draft",)),
	("open", QUOTATION_OPEN),
	("ordered", QUOTATION_ORDERED),
	("lost", ("Lost",)),
	("expired", ("Expired",)),
)
COUNTS = (
	"flagged",
	"out_of_scope",
	"overridden",
	"overrides",
	"quotations",
	"draft",
	"open",
	"ordered",
	"lost",
	"expired",
	"converted",
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.period = filters.period or "Month"
	if filters.period not in PERIODS:
		frappe.throw(_("Period must be one of {0}").format(", ".join((_("Month"), _("Quarter"), _("Year")))))
	if filters.show_requests:
		return request_columns(), flagged_requests(filters), None, None
	rows = summary_rows(filters)
	return columns(), rows, message(rows), chart(rows)


def period_key(request, period: str):
	received = request.received_on
	if period == "Year":
		return Year(received)
	if period == "Quarter":
		return Concat(Year(received), "-Q", Quarter(received))
	return DateFormat(received, "%Y-%m")


def flagged_query(filters):
	"""Flagged requests in the period joined to their overrides count and quotation, with the user's
	permissions on Support Request applied."""
	request = frappe.qb.DocType("Support Request")
	override = frappe.qb.DocType("Support Request Scope Override")
	quotation = frappe.qb.DocType("Quotation")
	overrides = (
		frappe.qb.from_(override)
		.select(override.parent, Count("*").as_("n"))
		.where(override.parenttype == "Support Request")
		.groupby(override.parent)
	)
	query = (
		frappe.qb.from_(request)
		.left_join(overrides)
		.on(overrides.parent == request.name)
		.left_join(quotation)
		.on((quotation.name == request.success_pack_quotation) & (quotation.docstatus < 2))
		.where((request.scope_verdict == "Out of scope") | overrides.parent.isnotnull())
	)
	from_date, to_date = date_range(filters)
	query = where_received(query, request.received_on, from_date, to_date)
	if filters.customer:
		query = query.where(request.customer == filters.customer)
	if filters.category:
		query = query.where(request.scope_category == filters.category)
	return permitted(query, "Support Request"), request, overrides, quotation


def flag(condition):
	return Case().when(condition, 1).else_(0)


def summary_rows(filters) -> list[dict]:
	query, request, overrides, quotation = flagged_query(filters)
	period = period_key(request, filters.period)
	category = Coalesce(NullIf(request.scope_category, ""), "")
	out_of_scope = request.scope_verdict == "Out of scope"
	won = quotation.status.isin(QUOTATION_ORDERED)
	counted = [
		Count("*").as_("flagged"),
		Sum(flag(out_of_scope)).as_("out_of_scope"),
		Sum(flag(overrides.parent.isnotnull())).as_("overridden"),
		Sum(Coalesce(overrides.n, 0)).as_("overrides"),
		Count(quotation.name).as_("quotations"),
		*(Sum(flag(quotation.status.isin(statuses))).as_(field) for field, statuses in STATUS_COLUMNS),
		Sum(flag(out_of_scope & won)).as_("converted"),
		Sum(Coalesce(quotation.base_grand_total, 0)).as_("quoted_amount"),
		Sum(Case().when(won, quotation.base_grand_total).else_(0)).as_("won_amount"),
	]
	rows = (
		query.select(period.as_("period"), category.as_("category"), *counted)
		.groupby(period, category)
		.orderby(period)
		.orderby(category)
	).run(as_dict=True)
	for row in rows:
		for field in COUNTS:
			row[field] = int(row[field] or 0)
		row.period = str(row.period)
		row.category_label = _(row.category) if row.category else _("Not Set")
		row.quoted_amount = flt(row.quoted_amount, 2)
		row.won_amount = flt(row.won_amount, 2)
		row.conversion = percent(row.converted, row.out_of_scope)
	return rows


def columns():
	currency = company_currency()
	return [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "category_label", "label": _("Excluded Category"), "fieldtype": "Data", "width": 180},
		{"fieldname": "flagged", "label": _("Flagged"), "fieldtype": "Int", "width": 80},
		{"fieldname": "out_of_scope", "label": _("Out of Scope"), "fieldtype": "Int", "width": 100},
		{"fieldname": "overridden", "label": _("Overruled Requests"), "fieldtype": "Int", "width": 130},
		{"fieldname": "overrides", "label": _("Overrides"), "fieldtype": "Int", "width": 90},
		{"fieldname": "quotations", "label": _("Quotations"), "fieldtype": "Int", "width": 100},
		{"fieldname": "draft", "label": _("Draft"), "fieldtype": "Int", "width": 70},
		{"fieldname": "open", "label": _("Open"), "fieldtype": "Int", "width": 70},
		{"fieldname": "ordered", "label": _("Ordered"), "fieldtype": "Int", "width": 80},
		{"fieldname": "lost", "label": _("Lost"), "fieldtype": "Int", "width": 70},
		{"fieldname": "expired", "label": _("Expired"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "quoted_amount",
			"label": _("Quoted Amount"),
			"fieldtype": "Currency",
			"options": currency,
			"width": 130,
		},
		{
			"fieldname": "won_amount",
			"label": _("Won Amount"),
			"fieldtype": "Currency",
			"options": currency,
			"width": 130,
		},
		{"fieldname": "conversion", "label": _("Conversion %"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "category", "label": _("Category"), "fieldtype": "Data", "hidden": 1},
	]


def company_currency() -> str | None:
	company = frappe.db.get_single_value("Support Policy Settings", "company")
	return frappe.get_cached_value("Company", company, "default_currency") if company else None


def message(rows) -> str | None:
	if not rows:
		return None
	out_of_scope = sum(r.out_of_scope for r in rows)
	converted = sum(r.converted for r in rows)
	return _(
		"{0} requests flagged, {1} still out of scope, {2} quotations; {3} of the out-of-scope requests "
		"ended in a sale ({4} %)."
	).format(
		sum(r.flagged for r in rows),
		out_of_scope,
		sum(r.quotations for r in rows),
		converted,
		frappe.format(percent(converted, out_of_scope) or 0, {"fieldtype": "Float", "precision": 1}),
	)


def chart(rows):
	if not rows:
		return None
	periods = sorted({r.period for r in rows})

	def total(field):
		return [sum(r[field] for r in rows if r.period == p) for p in periods]

	return {
		"data": {
			"labels": periods,
			"datasets": [
				{"name": _("Out of Scope"), "values": total("out_of_scope")},
				{"name": _("Quotations"), "values": total("quotations")},
				{"name": _("Ordered"), "values": total("ordered")},
			],
		},
		"type": "bar",
	}


# ----------------------------------------------------------------------------------- one by one


def flagged_requests(filters) -> list[dict]:
	query, request, overrides, quotation = flagged_query(filters)
	rows = (
		query.select(
			request.name.as_("request"),
			request.subject,
			request.received_on,
			request.customer,
			request.scope_category,
			request.scope_verdict,
			Coalesce(overrides.n, 0).as_("overrides"),
			request.success_pack_quotation.as_("quotation"),
			quotation.status.as_("quotation_status"),
			quotation.base_grand_total.as_("amount"),
		)
		.orderby(request.received_on)
		.limit(5000)
	).run(as_dict=True)
	for row in rows:
		row.scope_category = _(row.scope_category) if row.scope_category else None
		row.scope_verdict = _(row.scope_verdict) if row.scope_verdict else None
		row.quotation_status = _(row.quotation_status) if row.quotation_status else None
	return rows


def request_columns():
	return [
		*dashboards.request_columns(),
		{"fieldname": "scope_category", "label": _("Excluded Category"), "fieldtype": "Data", "width": 160},
		{"fieldname": "scope_verdict", "label": _("Verdict"), "fieldtype": "Data", "width": 110},
		{"fieldname": "overrides", "label": _("Overrides"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "quotation",
			"label": _("Quotation"),
			"fieldtype": "Link",
			"options": "Quotation",
			"width": 150,
		},
		{"fieldname": "quotation_status", "label": _("Quotation Status"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "amount",
			"label": _("Amount"),
			"fieldtype": "Currency",
			"options": company_currency(),
			"width": 120,
		},
	]
