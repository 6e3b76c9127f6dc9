"""Background SLA work: the 5-minute check and recalculation after calendar/plan edits.

The check selects only the requests whose ``next_sla_check`` has come (an indexed column), so with
100,000 open requests and none due it is a single index range scan. Each due request is replayed and
saved: the standard Notification "Support Request SLA Alert" fires on the value change of
``sla_status`` and queues its mail in the same transaction as the new status. A second run finds
the status already set and sends nothing; a run that crashed half-way rolled back both the statuses
and their mails, so the next run sends each of them once.
"""

import frappe

from support_policy import sla_glue

OPEN_STATUSES = ("Open", "In Progress", "Waiting on Customer", "Resolved")


def check_due_requests(limit: int = 5000) -> int:
	"""Cron every 5 minutes. Returns how many requests were updated."""
	request = frappe.qb.DocType("Support Request")
	names = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(request.next_sla_check <= frappe.utils.now_datetime())
		.orderby(request.next_sla_check)
		.limit(limit)
	).run(pluck=True)
	for name in names:
		doc = frappe.get_doc("Support Request", name)
		# validate() replays the timers at the current time.
		doc.flags.ignore_permissions = True
		doc.save()
	return len(names)


def enqueue_recalculation(kind: str, name: str) -> None:
	"""After a calendar (or its holidays) or a plan changed: recompute its open requests in one
	deduplicated background job."""
	now = bool(frappe.flags.in_test)
	frappe.enqueue(
		recalculate_open_requests,
		queue="long",
		job_id=f"support_policy:recalculate:{kind}:{name}",
		deduplicate=not now,  # deduplication is about queued jobs; an inline run has none
		enqueue_after_commit=True,
		now=now,
		kind=kind,
		name=name,
	)


def recalculate_open_requests(kind: str, name: str) -> int:
	request = frappe.qb.DocType("Support Request")
	plan = frappe.qb.DocType("Support Plan")
	query = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(request.status.isin(OPEN_STATUSES) & request.contract.isnotnull())
	)
	if kind == "plan":
		query = query.where(request.support_plan == name)
	else:
		query = query.join(plan).on(plan.name == request.support_plan).where(plan.support_calendar == name)
	changed = 0
	for request_name in query.run(pluck=True):
		doc = frappe.get_doc("Support Request", request_name)
		if sla_glue.recalculate(doc):
			doc.flags.ignore_permissions = True
			doc.add_comment(
				"Info", frappe._("Service-level deadlines recalculated after a change to {0}").format(name)
			)
			doc.save()
			changed += 1
	return changed
