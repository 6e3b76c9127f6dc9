"""Benchmark: what raising a request costs a customer site, and how fast one send job delivers.

Run on a customer site linked to a hub (both on this machine), e.g.:

	bench --site CUSTOMER execute support_policy.benchmarks.site_link.run --kwargs "{'hub_url': 'http://127.0.0.1:8013'}"
	bench --site CUSTOMER execute support_policy.benchmarks.site_link.run --kwargs "{'smoke': True, 'hub_url': 'http://127.0.0.1:8013'}"

``hub_url`` (optional) points this run at the hub directly, bypassing the URL in Support Policy
Settings (e.g. the fault-injecting proxy of tests/http/test_site_link.py).

Part 1, the save, side by side in one process (each row: N inserts by a Support Requester, one
transaction each, commit included):
- anchor "ToDo": writing a plain local record of Frappe's with the same text;
- "request, no outbox": the Site Support Request record alone (as the change feed writes it);
- "request + outbox": what the user's save does (request, context, outbox row; the network call
  happens after commit, in the send job);
- "request + synchronous send": what the save would cost if it called the hub itself (for contrast).
Goal: "request + outbox" / "ToDo" close to 1 (the save costs no more than writing a local record).

Part 2: N requests queued while the hub is unreachable are then delivered by one call of the send
job (``outbox.send_pending``). Goal: 500 in under 60 s to a hub on the same machine.

It writes real records (subjects start with "Benchmark"); run it on test sites only.
"""

from __future__ import annotations

import statistics
import time

import frappe

from support_policy.customer_site import outbox
from support_policy.customer_site.client import HubClient

REQUESTER = "benchmark.solicitante@cliente-propio.test"


def requester() -> str:
	if not frappe.db.exists("User", REQUESTER):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": REQUESTER,
				"first_name": "Benchmark",
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		).insert(ignore_permissions=True)
		user.add_roles("Support Requester")
		frappe.db.commit()
	return REQUESTER


def client_for(hub_url: str | None) -> HubClient:
	settings = frappe.get_doc("Support Policy Settings")
	if hub_url:
		settings.hub_url = hub_url
	return HubClient(settings)


def timed(n: int, make) -> list[float]:
	times = []
	for i in range(n):
		start = time.perf_counter()
		make(i)
		frappe.db.commit()
		times.append(time.perf_counter() - start)
	return times


def run(smoke: bool = False, n: int | None = None, hub_url: str | None = None) -> dict:
	n = n or (20 if smoke else 500)
	save_n = min(n, 20 if smoke else 200)
	frappe.set_user(requester())
	client = client_for(hub_url)
	text = "<p>Benchmark: el reporte de ventas no abre desde esta mañana.</p>"

	def todo(i):
		frappe.get_doc({"doctype": "ToDo", "description": f"Benchmark {i} {text}"}).insert(
			ignore_permissions=True
		)

	def request_only(i):
		doc = frappe.get_doc(
			{
				"doctype": "Site Support Request",
				"subject": f"Benchmark local {i}",
				"description": text,
				"origin": "Hub",
				"delivery_state": "Delivered",
			}
		)
		doc.flags.from_hub = True
		doc.insert(ignore_permissions=True)

	def request_with_outbox(i):
		frappe.get_doc(
			{"doctype": "Site Support Request", "subject": f"Benchmark save {i}", "description": text}
		).insert()

	sent = []

	def request_and_send(i):
		doc = frappe.get_doc(
			{"doctype": "Site Support Request", "subject": f"Benchmark sync {i}", "description": text}
		).insert()
		payload = frappe.parse_json(
			frappe.db.get_value("Site Link Outbox", {"site_support_request": doc.name}, "payload")
		)
		client.call("receive", {"items": [payload]})
		sent.append(doc.name)

	rows = {}
	# Interleaved rounds so that a warm cache or a busy moment favours no row.
	plan = [
		("ToDo (anchor)", todo),
		("request, no outbox", request_only),
		("request + outbox", request_with_outbox),
		("request + synchronous send", request_and_send),
	]
	per_round = max(1, save_n // 5)
	for _round in range(5):
		for label, make in plan:
			rows.setdefault(label, []).extend(timed(per_round, make))
	anchor = statistics.median(rows["ToDo (anchor)"])
	print(
		f"\nPart 1: the save ({len(rows['ToDo (anchor)'])} inserts per row, median ms, ratio to the anchor)"
	)
	for label, times in rows.items():
		med = statistics.median(times)
		print(f"  {label:<30} {med * 1000:8.2f} ms   x{med / anchor:5.2f}")

	# Part 1 queued its requests too: deliver them first (untimed; the synchronous ones are replays).
	frappe.set_user("Administrator")
	frappe.db.set_value(
		"Site Link Outbox", {"state": "Pending"}, "next_attempt_on", None, update_modified=False
	)
	outbox.send_pending(client=client)
	# Part 2: queue n requests (as if the hub were unreachable: no job runs meanwhile), then one send job.
	frappe.set_user(REQUESTER)
	for i in range(n):
		frappe.get_doc(
			{"doctype": "Site Support Request", "subject": f"Benchmark queued {i}", "description": text}
		).insert()
	frappe.db.commit()
	queued = frappe.db.count("Site Link Outbox", {"state": "Pending"})
	frappe.set_user("Administrator")
	frappe.db.set_value(
		"Site Link Outbox", {"state": "Pending"}, "next_attempt_on", None, update_modified=False
	)
	frappe.db.commit()
	start = time.perf_counter()
	counts = outbox.send_pending(client=client)
	seconds = time.perf_counter() - start
	left = frappe.db.count("Site Link Outbox", {"state": "Pending"})
	print(f"\nPart 2: one send job, {queued} queued")
	print(f"  delivered {counts['delivered']}, failed {counts['failed']}, still pending {left}")
	print(
		f"  {seconds:.1f} s, {counts['delivered'] / seconds if seconds else 0:.0f} requests/s (goal: 500 in under 60 s)"
	)
	return {
		"save_ms": {k: round(statistics.median(v) * 1000, 2) for k, v in rows.items()},
		"send_seconds": round(seconds, 2),
		"delivered": counts["delivered"],
		"queued": queued,
	}
