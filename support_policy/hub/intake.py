"""The idempotent receiver: requests and replies sent by customer sites.

Every item carries an idempotency key. The hub keeps one Site Request Receipt per (site, key), a
unique index, written *before* the request it records, in the same transaction: two deliveries of
the same item, even at the same moment, make one request; a replay is answered with the same
request. The request itself goes through Support Request's own controller (the same rules as every
other channel: authorized users of a contract in force, held for identification otherwise).
"""

from __future__ import annotations

import base64
import binascii
import json

import frappe
from frappe import _
from frappe.utils import cstr, get_datetime, getdate, nowdate

from support_policy.delivery import attachments, clock
from support_policy.glue import mail
from support_policy.glue.timeutil import aware, now_aware, stored
from support_policy.hub import feed

CHANNEL = "Customer Site"
MAX_ITEMS = 100
MAX_CONTEXT_CHARS = 20000


def receive_items(site, items: list, commit=None) -> list[dict]:
	"""One answer per item, in order: {"key", "reference", ...} or {"key", "error"}. ``commit``
	(the endpoint passes frappe.db.commit) is called after each item: an item is recorded with its
	receipt or not at all, and the locks it takes (the change feed's counter) are held briefly."""
	if not isinstance(items, list) or len(items) > MAX_ITEMS:
		frappe.throw(_("Send between 1 and {0} items per call.").format(MAX_ITEMS))
	answers = []
	for item in items:
		key = cstr((item or {}).get("key")).strip()[:140]
		if not key:
			answers.append({"key": key, "error": _("Missing idempotency key")})
			continue
		frappe.db.savepoint("site_item")
		try:
			answers.append(receive_one(site, item, key))
			if commit:
				commit()
		except Exception as exc:
			frappe.db.rollback(save_point="site_item")
			frappe.clear_last_message()
			message = cstr(getattr(exc, "message", None) or exc) or _("The hub could not record this item.")
			if not isinstance(exc, frappe.ValidationError):
				frappe.log_error(title=f"Site link intake {site.name}", reference_doctype="Hosted Site")
				message = _("The hub could not record this item; it will be retried.")
			answers.append({"key": key, "error": message})
			if commit:
				commit()
	frappe.local.message_log = []
	return answers


def receive_one(site, item: dict, key: str) -> dict:
	receipt = existing_receipt(site.name, key)
	if receipt:
		return replay(receipt)
	kind = item.get("kind") if item.get("kind") in ("Reply", "Attachment") else "Request"
	arrived = now_aware()
	saved_on = parse_time(item.get("saved_on"))
	receipt = frappe.get_doc(
		{
			"doctype": "Site Request Receipt",
			"hosted_site": site.name,
			"idempotency_key": key,
			"kind": kind,
			"first_arrival_on": stored(arrived),
			"customer_saved_on": stored(saved_on) if saved_on else None,
		}
	)
	try:
		receipt.insert(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		# The same item is being recorded by a concurrent delivery that has now committed.
		frappe.db.rollback(save_point="site_item")
		return replay(existing_receipt(site.name, key, latest=True))
	start = clock.trusted_start(saved_on, arrived, aware(site.linked_on))
	if kind == "Reply":
		communication = record_reply(site, item, key, start)
		receipt.db_set({"support_request": communication.reference_name, "communication": communication.name})
	elif kind == "Attachment":
		request = visible_request(site, item.get("request"))
		attach_files(frappe.get_doc("Support Request", request.name), item)
		receipt.db_set("support_request", request.name)
	else:
		request = record_request(site, item, key, start)
		receipt.db_set("support_request", request.name)
		return answer(receipt, request=request)
	return answer(receipt)


def existing_receipt(site: str, key: str, latest: bool = False):
	"""The receipt of (site, key), if any. ``latest``: a locking read, which sees a receipt that a
	concurrent delivery committed after this transaction began."""
	from support_policy.support_policy.doctype.site_request_receipt.site_request_receipt import receipt_name

	name = frappe.db.get_value("Site Request Receipt", receipt_name(site, key), "name", for_update=latest)
	return frappe.get_doc("Site Request Receipt", name) if name else None


def replay(receipt) -> dict:
	receipt.db_set({"replays": (receipt.replays or 0) + 1, "last_replay_on": stored(now_aware())})
	return answer(receipt, replayed=True)


def answer(receipt, replayed: bool = False, request=None) -> dict:
	result = {"key": receipt.idempotency_key, "replayed": replayed}
	if receipt.kind == "Attachment":
		result.update(reference=receipt.support_request)
		return result
	if receipt.communication:
		result.update(reference=receipt.support_request, communication=receipt.communication)
		return result
	request = request or frappe.get_doc("Support Request", receipt.support_request)
	result.update(reference=request.name, request=feed.snapshot(request))
	return result


def parse_time(value):
	try:
		return aware(get_datetime(value)) if value else None
	except Exception:
		return None


def record_request(site, item: dict, key: str, start):
	email = cstr(item.get("user_email")).strip().lower()
	context = item.get("context")
	context = json.dumps(context, indent=1, ensure_ascii=False)[:MAX_CONTEXT_CHARS] if context else None
	doc = frappe.get_doc(
		{
			"doctype": "Support Request",
			"subject": cstr(item.get("subject"))[:240],
			"description": cstr(item.get("description")),
			"priority": item.get("priority") or "Medium",
			"category": item.get("category") or None,
			"raised_by": mail.user_for_email(email) if email else None,
			"raised_by_email": email or None,
			"channel": CHANNEL,
			"received_on": stored(start),
			"hosted_site": site.name,
			"site_context": context,
		}
	)
	doc.flags.site_contract = site.contract
	doc.flags.site_key = key
	doc.insert(ignore_permissions=True)
	attach_files(doc, item)
	return doc


def attach_files(doc, item: dict) -> None:
	"""The item's files as private File records of ``doc``, in the caller's transaction (the same
	as the receipt's: a replay finds the receipt and attaches nothing again). The limits count what
	the customer site already sent for this request; what does not fit, or was left on the customer
	site, is named in a note on the request."""
	from frappe.core.api.file import get_max_file_size

	files = item.get("files") or []
	left = [cstr(n)[:140] for n in (item.get("files_left") or []) if n][: attachments.MAX_FILES * 4]
	max_size = get_max_file_size()
	if not isinstance(files, list):
		files = []
	previous = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": "Support Request",
			"attached_to_name": doc.name,
			"owner": frappe.session.user,
			"is_folder": 0,
		},
		pluck="file_size",
	)
	previous = [p or 0 for p in previous]
	for index, entry in enumerate(files):
		entry = entry if isinstance(entry, dict) else {}
		name = cstr(entry.get("file_name")).strip()[:140] or _("attachment-{0}").format(index + 1)
		if len(previous) >= attachments.MAX_FILES:
			left.append(name)  # named, not even decoded
			continue
		try:
			content = base64.b64decode(cstr(entry.get("content")), validate=True)
		except (binascii.Error, ValueError):
			left.append(name)
			continue
		if attachments.refusal(previous, len(content), max_size):
			left.append(name)
			continue
		# A file the hub refuses (a damaged PDF, say) must not cost the request: it is named instead.
		frappe.db.savepoint("site_file")
		try:
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": name,
					"attached_to_doctype": "Support Request",
					"attached_to_name": doc.name,
					"is_private": 1,
					"content": content,
				}
			).insert(ignore_permissions=True)
			previous.append(len(content))
		except Exception:
			frappe.db.rollback(save_point="site_file")
			frappe.clear_last_message()
			left.append(name)
	if left:
		doc.add_comment(
			"Comment",
			_("Attachments left on the customer site (over the limits): {0}").format(
				", ".join(left[:50]) + (" …" if len(left) > 50 else "")
			),
		)


def contract_for_site_user(user: str | None, site_contract: str, lang: str | None):
	"""(contract, None) when ``user`` may raise on the site's contract, else (None, reason). Only the
	site's own contract is ever named: a site never learns about another contract."""
	authorized = user and frappe.db.exists(
		"Support Contract User", {"parent": site_contract, "parenttype": "Support Contract", "user": user}
	)
	if not authorized:
		return None, _(
			"The user is not an authorized user of this site's support contract. Ask your administrator to add them.",
			lang=lang,
		)
	status, end_date = frappe.db.get_value("Support Contract", site_contract, ["status", "end_date"])
	if status == "Active" and getdate(end_date) >= getdate(nowdate()):
		return site_contract, None
	return None, _("This site's support contract {0} is not in force (status: {1}).", lang=lang).format(
		site_contract, _(status, lang=lang)
	)


def visible_request(site, name: str):
	"""The hub request ``name`` if this site may see it; the same refusal whether it exists or not."""
	row = frappe.db.get_value(
		"Support Request", cstr(name), ["name", "customer", "hosted_site"], as_dict=True
	)
	if not row or not (row.hosted_site == site.name or (row.customer and row.customer == site.customer)):
		frappe.throw(_("Request {0} was not found.").format(cstr(name)[:140]))
	return row


def record_reply(site, item: dict, key: str, at):
	request = visible_request(site, item.get("request"))
	content = cstr(item.get("content")).strip()
	if not content:
		frappe.throw(_("Write a reply before sending it"))
	email = cstr(item.get("user_email")).strip().lower()
	subject = frappe.db.get_value("Support Request", request.name, "subject")
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"sender": email or None,
			"sender_full_name": cstr(item.get("user_full_name"))[:140] or None,
			"subject": _("Re: {0}").format(subject),
			"content": content,
			"communication_date": stored(at),
			"reference_doctype": "Support Request",
			"reference_name": request.name,
		}
	)
	comm.flags.site_key = key
	comm.insert(ignore_permissions=True)
	return comm
