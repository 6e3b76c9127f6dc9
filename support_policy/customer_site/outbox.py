"""Transactional outbox: what this site sends to the hub, written with the request it belongs to.

``add`` is called inside the transaction that saves the request (or the reply, or a file); the network call
happens later, after commit, in ``send_pending`` (a background job with a fixed job id, so one runs
at a time). A row is Delivered only once the hub's reference is back; a failed attempt waits
``delivery.retry.delay_after`` and after ``MAX_ATTEMPTS`` the row is Dead: kept, shown to staff here,
reported to the hub on the next pull, and sent again by a System Manager's "Send Again".
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import frappe
import requests
from frappe import _
from frappe.utils import now_datetime

from support_policy.customer_site import commit, is_customer_site
from support_policy.customer_site.client import HubClient, LinkError
from support_policy.delivery import attachments, retry

JOB_ID = "support_policy:site_link_send"
BATCH = 25
PARALLEL = 4
TIME_BUDGET_SECONDS = 240


def new_key() -> str:
	return uuid.uuid4().hex


def add(kind: str, request: str, key: str, payload: dict) -> None:
	"""An outbox row, in the caller's transaction; the send job is queued for after the commit."""
	row = frappe.get_doc(
		{
			"doctype": "Site Link Outbox",
			"kind": kind,
			"site_support_request": request,
			"idempotency_key": key,
			"payload": json.dumps({**payload, "key": key, "kind": kind}, default=str, ensure_ascii=False),
			"state": "Pending",
		}
	)
	# A plain row write (no document hooks): it must cost the user's save as little as possible.
	row.name = frappe.generate_hash(length=10)
	row.owner = row.modified_by = frappe.session.user
	row.creation = row.modified = now_datetime()
	row.db_insert()
	enqueue_send()


def enqueue_send() -> None:
	frappe.enqueue(
		"support_policy.customer_site.outbox.send_pending",
		queue="short",
		job_id=JOB_ID,
		deduplicate=True,
		enqueue_after_commit=True,
	)


def due_rows(limit: int) -> list:
	box = frappe.qb.DocType("Site Link Outbox")
	now = now_datetime()
	return (
		frappe.qb.from_(box)
		.select(box.name, box.kind, box.site_support_request, box.idempotency_key, box.payload, box.attempts)
		.where((box.state == "Pending") & (box.next_attempt_on.isnull() | (box.next_attempt_on <= now)))
		.orderby(box.creation)
		.orderby(box.name)
		.limit(limit)
	).run(as_dict=True)


def ready_payload(row) -> dict | None:
	"""The row's payload as sent; a reply or a file waits until its request has the hub's reference."""
	payload = json.loads(row.payload)
	if row.kind in ("Reply", "Attachment"):
		reference = frappe.db.get_value("Site Support Request", row.site_support_request, "hub_reference")
		if not reference:
			return None
		payload["request"] = reference
	if row.kind == "Attachment":
		payload.update(file_payload(payload.get("file")))
	return payload


def file_payload(file_name: str) -> dict:
	"""What an Attachment row carries when it is sent: the file as it is now (base64), or nothing if it
	was deleted here before it could travel."""
	row = frappe.db.get_value("File", file_name, ["name", "file_name", "is_private"], as_dict=True)
	if not row:
		return {"files": []}
	content = frappe.get_doc("File", row.name).get_content()
	if isinstance(content, str):
		content = content.encode()
	return {
		"files": [
			{
				"file_name": row.file_name,
				"content": base64.b64encode(content).decode(),
				"is_private": row.is_private,
			}
		]
	}


def send_pending(
	budget: float = TIME_BUDGET_SECONDS,
	batch: int = BATCH,
	parallel: int = PARALLEL,
	client: HubClient | None = None,
) -> dict:
	"""Send due rows until none is due, the hub fails, or the time budget is spent. Up to
	``parallel`` batches are in flight at once (HTTP only; every database write stays in this job's
	own thread and transaction)."""
	counts = {"delivered": 0, "failed": 0, "dead": 0}
	if not is_customer_site():
		return counts
	try:
		client = client or HubClient()
	except LinkError:
		return counts
	deadline = time.monotonic() + budget
	skipped: set[str] = set()
	while time.monotonic() < deadline:
		rows = [r for r in due_rows(batch * parallel + len(skipped)) if r.name not in skipped]
		rows = rows[: batch * parallel]
		if not rows:
			break
		sent, sizes = [], []
		for row in rows:
			if sum(sizes) > parallel * attachments.MAX_CALL_BYTES:
				break  # files are held in memory: the rest waits for the next round
			payload = ready_payload(row)
			if payload is None:
				skipped.add(row.name)
				continue
			sent.append((row, payload))
			sizes.append(len(row.payload) + sum(len(f["content"]) for f in payload.get("files", ())))
		if not sent:
			continue
		chunks = [[sent[i] for i in call] for call in attachments.split(sizes, batch)]
		if len(chunks) == 1:
			results = [call_hub(client, chunks[0])]
		else:
			context = (frappe.local.site, frappe.local.sites_path, frappe.local.lang)
			with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
				results = list(pool.map(lambda chunk: call_hub_in_thread(context, client, chunk), chunks))
		hub_failed = False
		referenced = False
		for chunk, result in zip(chunks, results, strict=True):
			if isinstance(result, LinkError):
				hub_failed = True
				for row, _payload in chunk:
					counts[fail(row, result.message)] += 1
				continue
			by_key = {a.get("key"): a for a in result}
			for row, _payload in chunk:
				answer = by_key.get(row.idempotency_key) or {}
				if answer.get("reference"):
					deliver(row, answer)
					counts["delivered"] += 1
					referenced = referenced or row.kind == "Request"
				else:
					counts[fail(row, answer.get("error") or _("The hub did not answer for this item."))] += 1
		commit()
		if hub_failed:
			break  # the hub is down or refusing: the backoff decides when to try again
		if referenced:
			skipped.clear()  # replies and files waiting for those requests can go in the next round
	return counts


def call_hub(client: HubClient, chunk: list, session=None) -> list | LinkError:
	"""One HTTP call: the hub's answers, or the LinkError that says why there are none."""
	try:
		return client.call("receive", {"items": [payload for _row, payload in chunk]}, session=session)[
			"answers"
		]
	except LinkError as exc:
		return exc


_thread = threading.local()


def call_hub_in_thread(context: tuple, client: HubClient, chunk: list) -> list | LinkError:
	"""``call_hub`` in a pool thread: Frappe's context (site, language, no database) for the
	messages, and a connection pool of the thread's own."""
	site, sites_path, lang = context
	frappe.init(site=site, sites_path=sites_path)
	frappe.local.lang = lang
	try:
		if not hasattr(_thread, "session"):
			_thread.session = requests.Session()
		return call_hub(client, chunk, session=_thread.session)
	finally:
		frappe.destroy()


def deliver(row, answer: dict) -> None:
	from support_policy.customer_site import feed

	frappe.db.set_value(
		"Site Link Outbox",
		row.name,
		{
			"state": "Delivered",
			"hub_reference": answer["reference"],
			"delivered_on": now_datetime(),
			"last_error": None,
		},
		update_modified=False,
	)
	if row.kind == "Attachment":
		return  # the file is on the hub; the request itself is unchanged
	request = frappe.get_doc("Site Support Request", row.site_support_request)
	if row.kind == "Reply":
		for reply in request.replies:
			if reply.idempotency_key == row.idempotency_key:
				reply.delivery_state = "Delivered"
				reply.hub_id = answer.get("communication")
	else:
		request.hub_reference = answer["reference"]
		request.delivery_state = "Delivered"
		request.last_error = None
		if answer.get("request"):
			feed.apply_snapshot(request, answer["request"])
	feed.save_from_hub(request)


def fail(row, message: str) -> str:
	attempts = (row.attempts or 0) + 1
	dead = retry.is_dead(attempts)
	frappe.db.set_value(
		"Site Link Outbox",
		row.name,
		{
			"attempts": attempts,
			"state": "Dead" if dead else "Pending",
			"next_attempt_on": None
			if dead
			else now_datetime() + timedelta(seconds=retry.delay_after(attempts)),
			"last_error": message,
		},
		update_modified=False,
	)
	values = {"last_error": message}
	if dead and row.kind == "Request":
		values["delivery_state"] = "Failed"
	frappe.db.set_value("Site Support Request", row.site_support_request, values, update_modified=False)
	if dead:
		notify_dead(row, message)
		return "dead"
	return "failed"


def notify_dead(row, message: str) -> None:
	"""Tell the requester and the System Managers of this site; the hub hears of it on the next pull."""
	owner = frappe.db.get_value("Site Support Request", row.site_support_request, "owner")
	if row.kind == "Attachment":
		what = _("A file of request {0}").format(row.site_support_request)
	elif row.kind == "Reply":
		what = _("A reply to request {0}").format(row.site_support_request)
	else:
		what = _("Support request {0}").format(row.site_support_request)
	tell(
		_("{0} could not be delivered to support: {1}").format(what, message),
		[owner],
		"Site Support Request",
		row.site_support_request,
	)


def tell(subject: str, users: list, document_type: str, document_name: str) -> None:
	"""A desk notification to ``users`` and this site's System Managers."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	managers = frappe.get_all(
		"Has Role", filters={"role": "System Manager", "parenttype": "User"}, pluck="parent", distinct=True
	)
	users = {u for u in [*users, *managers] if u and u not in ("Administrator", "Guest")}
	make_notification_logs(
		{
			"subject": subject,
			"type": "Alert",
			"document_type": document_type,
			"document_name": document_name,
			"from_user": "Administrator",
		},
		sorted(users),
	)


def state_of(request: str) -> dict:
	"""For the request's form: how many of its replies and files wait for the hub, how many are dead."""
	rows = frappe.get_all(
		"Site Link Outbox",
		filters={"site_support_request": request, "state": ("in", ("Pending", "Dead"))},
		fields=["kind", "state", "last_error"],
		order_by="creation asc",
	)
	dead = [r for r in rows if r.state == "Dead"]
	return {
		"waiting": sum(1 for r in rows if r.state == "Pending" and r.kind != "Request"),
		"dead": len(dead),
		"last_error": dead[-1].last_error if dead else None,
	}


def dead_letters() -> int:
	return frappe.db.count("Site Link Outbox", {"state": "Dead"})


def send_again(name: str) -> None:
	"""A dead row back to Pending (System Manager's button)."""
	frappe.db.set_value(
		"Site Link Outbox",
		name,
		{"state": "Pending", "attempts": 0, "next_attempt_on": None},
		update_modified=False,
	)
	request = frappe.db.get_value("Site Link Outbox", name, ["site_support_request", "kind"], as_dict=True)
	if request.kind == "Request":
		frappe.db.set_value("Site Support Request", request.site_support_request, "delivery_state", "Sending")
	enqueue_send()
