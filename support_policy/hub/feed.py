"""The change feed a customer site pulls: Support Request Change rows numbered 1, 2, 3, ...

The number comes from Frappe's ``tabSeries`` counter, which is locked (SELECT ... FOR UPDATE) until
the writing transaction commits: numbers are handed out in commit order and a rolled-back change
gives its number back. So a reader that has seen change n has seen every committed change below n,
and an integer cursor is enough (never a timestamp). A row carries a public snapshot of the request
(what its customer may read: never internal notes, agents, scope evidence or SLA internals) or one
public reply.
"""

from __future__ import annotations

import json

import frappe
from frappe.model.naming import getseries
from frappe.query_builder.functions import Max
from frappe.utils import cint, cstr

from support_policy.glue.timeutil import aware

SERIES = "support-request-change-"
PUBLIC_FIELDS = (
	"subject",
	"status",
	"priority",
	"category",
	"sla_status",
	"sla_note",
	"received_on",
	"first_response_due",
	"resolution_due",
	"scope_verdict",
	"resolution",
)
MAX_BATCH = 500
RETENTION_DAYS = 180
PRUNE_BATCH = 10000


def next_seq() -> int:
	return cint(getseries(SERIES, 1))


def iso(value) -> str | None:
	return aware(value).isoformat() if value else None


def snapshot(doc) -> dict:
	data = {field: doc.get(field) for field in PUBLIC_FIELDS}
	for field in ("received_on", "first_response_due", "resolution_due"):
		data[field] = iso(data[field])
	data["name"] = doc.name
	data["raised_by_email"] = doc.raised_by_email
	data["success_pack_url"] = success_pack_url(doc)
	if doc.get("hosted_site"):
		data["key"] = doc.flags.site_key or frappe.db.get_value(
			"Site Request Receipt", {"support_request": doc.name, "kind": "Request"}, "idempotency_key"
		)
	return data


def success_pack_url(doc) -> str | None:
	from support_policy.glue.scope import quotation_url

	quotation = doc.get("success_pack_quotation")
	if not quotation and doc.get("status") == "Out of Scope" and not doc.is_new():
		# The follow-up job links it with db_set on its own copy: this one may not know yet.
		quotation = frappe.db.get_value("Support Request", doc.name, "success_pack_quotation")
	return quotation_url(quotation) if quotation else None


def watched(customer: str | None, hosted_site: str | None) -> bool:
	"""Whether any linked site can see requests of this customer (or this site's held requests)."""
	if hosted_site:
		return True
	return bool(customer) and bool(frappe.db.exists("Hosted Site", {"customer": customer}))


def record(kind: str, request: str, customer: str | None, hosted_site: str | None, payload: dict) -> None:
	seq = next_seq()
	change = frappe.new_doc("Support Request Change")
	change.name = f"{seq:012d}"
	change.update(
		{
			"seq": seq,
			"kind": kind,
			"support_request": request,
			"customer": customer,
			"hosted_site": hosted_site,
			"payload": json.dumps(payload, ensure_ascii=False, default=str),
		}
	)
	change.db_insert()


def on_request_update(doc, force: bool = False) -> None:
	"""Support Request.on_update: a change row when anything a customer can read has changed."""
	if not watched(doc.customer, doc.get("hosted_site")):
		return
	before = doc.get_doc_before_save()
	data = snapshot(doc)
	if before is None or doc.flags.in_insert:
		# The first change carries what the customer wrote: a site that never had the request (raised
		# by e-mail or chat, or lost with a restored backup) shows it whole.
		data["description"] = doc.description
	if before is not None and not doc.flags.in_insert and not force:
		old = {field: before.get(field) for field in PUBLIC_FIELDS}
		new = {field: doc.get(field) for field in PUBLIC_FIELDS}
		customer_changed = before.get("customer") != doc.customer
		quotation_changed = before.get("success_pack_quotation") != doc.get("success_pack_quotation")
		if old == new and not customer_changed and not quotation_changed:
			return
	record("Request", doc.name, doc.customer, doc.get("hosted_site"), data)


def on_communication(doc, method=None) -> None:
	"""Communication.after_insert: public replies on a watched request travel to the customer site."""
	if doc.reference_doctype != "Support Request" or doc.communication_type != "Communication":
		return
	row = frappe.db.get_value(
		"Support Request", doc.reference_name, ["name", "customer", "hosted_site"], as_dict=True
	)
	if not row or not watched(row.customer, row.hosted_site):
		return
	record(
		"Reply",
		row.name,
		row.customer,
		row.hosted_site,
		{
			"request": row.name,
			"id": doc.name,
			"key": doc.flags.site_key,
			"from": "Support" if doc.sent_or_received == "Sent" else "Us",
			"author": doc.sender_full_name or doc.sender,
			"content": doc.content,
			"sent_on": iso(doc.communication_date or doc.creation),
		},
	)


def retention_days() -> int:
	return (
		cint(frappe.db.get_single_value("Support Policy Settings", "change_retention_days")) or RETENTION_DAYS
	)


def prune() -> int:
	"""Daily (hub): delete the changes older than the retention, oldest first, in batches. Numbers
	are never reused: ``changes_pruned_through`` remembers the last one deleted, so a site that asks
	from an older cursor is told it missed some (``changes_for``). Returns how many were deleted."""
	from frappe.utils import add_days, now_datetime

	change = frappe.qb.DocType("Support Request Change")
	last = (
		frappe.qb.from_(change)
		.select(Max(change.seq))
		.where(change.creation < add_days(now_datetime(), -retention_days()))
	).run()[0][0]
	if not last:
		return 0
	deleted = 0
	while True:
		batch = (
			frappe.qb.from_(change)
			.select(change.name)
			.where(change.seq <= last)
			.orderby(change.seq)
			.limit(PRUNE_BATCH)
		).run(pluck=True)
		if not batch:
			break
		frappe.qb.from_(change).delete().where(change.name.isin(batch)).run()
		deleted += len(batch)
		if not frappe.flags.in_test:
			frappe.db.commit()
	through = max(
		cint(frappe.db.get_single_value("Support Policy Settings", "changes_pruned_through")), cint(last)
	)
	frappe.db.set_single_value("Support Policy Settings", "changes_pruned_through", through)
	return deleted


def changes_for(site, cursor: int, limit: int) -> dict:
	"""Changes after ``cursor`` that this site may see: its customer's requests and its own held ones.
	``missed`` is set when some of them were already deleted (a site restored from a backup older
	than the retention): the site says so to its users."""
	limit = max(1, min(cint(limit) or MAX_BATCH, MAX_BATCH))
	pruned = cint(frappe.db.get_single_value("Support Policy Settings", "changes_pruned_through"))
	missed = cint(cursor) < pruned
	change = frappe.qb.DocType("Support Request Change")
	visible = change.hosted_site == site.name
	if site.customer:
		visible = visible | (change.customer == site.customer)
	rows = (
		frappe.qb.from_(change)
		.select(change.seq, change.kind, change.payload)
		.where((change.seq > cint(cursor)) & visible)
		.orderby(change.seq)
		.limit(limit + 1)
	).run(as_dict=True)
	more = len(rows) > limit
	rows = rows[:limit]
	return {
		"changes": [{"seq": r.seq, "kind": r.kind, "payload": json.loads(r.payload)} for r in rows],
		"cursor": rows[-1].seq if rows else max(cint(cursor), pruned),
		"more": more,
		"missed": missed,
	}
