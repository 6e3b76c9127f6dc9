"""Pull-based change feed: this site asks the hub for changes after its cursor and applies them.

The cursor (Support Policy Settings → Last Change Received) moves in the same transaction as the
changes it covers, so a change is applied once; a site that was down (or restored from a backup)
asks again from its stored cursor and catches up. Requests raised for this customer on the hub by
other channels arrive here too.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, cstr, get_datetime, now_datetime

from support_policy.customer_site import commit, is_customer_site
from support_policy.customer_site.client import HubClient, LinkError
from support_policy.glue.timeutil import aware, stored

JOB_ID = "support_policy:site_link_pull"


def missed_message() -> str:
	return _(
		"The hub no longer keeps some changes this site missed (restored from an old backup, or off for months): older requests may show an old status."
	)


SNAPSHOT_FIELDS = ("status", "sla_status", "sla_note", "scope_verdict", "success_pack_url", "resolution")
TIME_FIELDS = ("received_on", "first_response_due", "resolution_due")


def local_time(value):
	return stored(aware(get_datetime(value))) if value else None


def save_from_hub(doc) -> None:
	doc.flags.from_hub = True
	doc.flags.ignore_permissions = True
	doc.flags.ignore_mandatory = True
	doc.save()


def apply_snapshot(doc, data: dict) -> None:
	for field in SNAPSHOT_FIELDS:
		doc.set(field, data.get(field))
	for field in TIME_FIELDS:
		doc.set(field, local_time(data.get(field)))
	doc.hub_reference = data.get("name") or doc.hub_reference


def find_request(reference: str | None, key: str | None):
	name = reference and frappe.db.get_value("Site Support Request", {"hub_reference": reference})
	if not name and key:
		name = frappe.db.get_value("Site Support Request", {"idempotency_key": key})
	return frappe.get_doc("Site Support Request", name) if name else None


def apply_request(data: dict) -> None:
	doc = find_request(data.get("name"), data.get("key"))
	if doc is None:
		# Raised on the hub by e-mail, chat or desk (or sent before this site's backup was taken).
		doc = frappe.new_doc("Site Support Request")
		doc.update(
			{
				"subject": cstr(data.get("subject")) or data.get("name"),
				"description": data.get("description") or "-",
				"priority": data.get("priority") or "Medium",
				"category": data.get("category") or None,
				"origin": "Hub",
				"delivery_state": "Delivered",
				"idempotency_key": data.get("key") or None,
			}
		)
		email = cstr(data.get("raised_by_email"))
		if email and frappe.db.exists("User", email):
			doc.raised_by = email
	else:
		doc.delivery_state = "Delivered"
		doc.last_error = None
	apply_snapshot(doc, data)
	save_from_hub(doc)


def apply_reply(data: dict) -> None:
	doc = find_request(data.get("request"), None)
	if doc is None:
		return  # a request this site never knew (raised before the link): nothing to attach it to
	for reply in doc.replies:
		if reply.hub_id == data.get("id") or (data.get("key") and reply.idempotency_key == data.get("key")):
			reply.hub_id = data.get("id")
			reply.delivery_state = "Delivered"
			break
	else:
		doc.append(
			"replies",
			{
				"direction": "Support" if data.get("from") == "Support" else "Us",
				"author": cstr(data.get("author"))[:140],
				"content": data.get("content"),
				"sent_on": local_time(data.get("sent_on")),
				"hub_id": data.get("id"),
				"delivery_state": "Delivered",
			},
		)
	save_from_hub(doc)


def pull(client: HubClient | None = None, max_rounds: int = 50) -> int:
	"""Apply every change the hub has after our cursor. Returns how many were applied."""
	if not is_customer_site():
		return 0
	from support_policy.customer_site import outbox

	applied = 0
	missed = False
	try:
		client = client or HubClient()
		for _round in range(max_rounds):
			cursor = cint(frappe.db.get_single_value("Support Policy Settings", "change_cursor"))
			answer = client.call("changes", {"cursor": cursor, "dead_letters": outbox.dead_letters()})
			for change in answer["changes"]:
				if change["kind"] == "Reply":
					apply_reply(change["payload"])
				else:
					apply_request(change["payload"])
				applied += 1
			if answer.get("missed") and not missed:
				outbox.tell(missed_message(), [], "Support Policy Settings", "Support Policy Settings")
			missed = missed or bool(answer.get("missed"))
			set_settings(
				{
					"change_cursor": cint(answer["cursor"]),
					"last_pull_on": now_datetime(),
					"link_error": missed_message() if missed else None,
				}
			)
			commit()
			if not answer.get("more"):
				break
	except LinkError as exc:
		# Raised by the call, before anything of its answer was applied.
		set_settings({"link_error": exc.message})
		commit()
	return applied


def set_settings(values: dict) -> None:
	for field, value in values.items():
		frappe.db.set_single_value("Support Policy Settings", field, value)
	frappe.clear_document_cache("Support Policy Settings", "Support Policy Settings")
