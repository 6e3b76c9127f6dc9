# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Which scope rules decide, and which mislead: per rule, the requests it decided, how many an agent
overruled, and the resulting precision."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, flt, getdate


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = data(filters)
	return columns(), rows, None, chart(rows)


def columns():
	return [
		{
			"fieldname": "rule",
			"label": _("Scope Rule"),
			"fieldtype": "Link",
			"options": "Scope Rule",
			"width": 220,
		},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 220},
		{"fieldname": "verdict", "label": _("Verdict"), "fieldtype": "Data", "width": 110},
		{"fieldname": "category", "label": _("Category"), "fieldtype": "Data", "width": 170},
		{"fieldname": "hits", "label": _("Requests Decided"), "fieldtype": "Int", "width": 130},
		{"fieldname": "overrides", "label": _("Overruled"), "fieldtype": "Int", "width": 100},
		{"fieldname": "precision", "label": _("Precision %"), "fieldtype": "Percent", "width": 110},
	]


def data(filters):
	request = frappe.qb.DocType("Support Request")
	override = frappe.qb.DocType("Support Request Scope Override")
	rule = frappe.qb.DocType("Scope Rule")
	overruled = (
		frappe.qb.from_(override)
		.select(override.parent)
		.distinct()
		.where(override.parenttype == "Support Request")
	)
	query = (
		frappe.qb.from_(request)
		.join(rule)
		.on(rule.name == request.scope_rule)
		.select(
			request.scope_rule.as_("rule"),
			rule.title,
			rule.verdict,
			rule.category,
			Count(request.name).as_("hits"),
			Count(override_case(request, overruled)).as_("overrides"),
		)
		.where(request.scope_rule.isnotnull())
		.groupby(request.scope_rule, rule.title, rule.verdict, rule.category)
	)
	if filters.from_date:
		query = query.where(request.received_on >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(request.received_on < add_days(getdate(filters.to_date), 1))
	if filters.verdict:
		query = query.where(rule.verdict == filters.verdict)
	rows = query.run(as_dict=True)
	for row in rows:
		row.precision = flt(100 * (row.hits - row.overrides) / row.hits, 1) if row.hits else None
		row.verdict = _(row.verdict)
		row.category = _(row.category)
	rows.sort(key=lambda r: (r.precision if r.precision is not None else 101, -r.hits))
	return rows


def override_case(request, overruled):
	from frappe.query_builder import Case

	return Case().when(request.name.isin(overruled), request.name)


def chart(rows):
	rows = [r for r in rows if r.overrides][:10]
	if not rows:
		return None
	return {
		"data": {
			"labels": [r.rule for r in rows],
			"datasets": [{"name": _("Overruled"), "values": [r.overrides for r in rows]}],
		},
		"type": "bar",
	}
