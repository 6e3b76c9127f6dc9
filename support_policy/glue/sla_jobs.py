"""Background SLA work: the 5-minute check and recalculation after calendar/plan edits.

The check selects only the requests whose ``next_sla_check`` has come (an indexed column), so with
100,000 open requests and none due it is a single index range scan. Each due request is replayed and
saved; the thresholds it crossed (At Risk, Breached, per timer) are recorded on it and sent as one
digest e-mail per recipient (the assigned agent, Support Managers and the people named in Support
Policy Settings) through Frappe's Email Queue.

Once per threshold: the record of what was notified and the queued mail are written in the job's
one transaction, which Frappe's scheduler commits at the end. A second run finds nothing pending; a
run that crashed half-way rolled back both, so the next run notifies each threshold once. A request
that fails is rolled back to its savepoint, logged, and retried by the next run; the others go on.
"""

import time

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime, get_url_to_form

from support_policy import statuses
from support_policy.glue import sla as sla_glue

# One run stays well inside the scheduler's 300-second job timeout; what is left waits 5 minutes.
BATCH_SIZE = 1000
TIME_BUDGET_SECONDS = 180


def check_due_requests(limit: int = BATCH_SIZE, budget: float = TIME_BUDGET_SECONDS) -> int:
	"""Cron every 5 minutes. Returns how many requests were updated."""
	from support_policy.customer_site import is_customer_site

	if is_customer_site():
		return 0  # the hub runs the timers of a customer site's requests
	request = frappe.qb.DocType("Support Request")
	names = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(request.next_sla_check <= frappe.utils.now_datetime())
		.orderby(request.next_sla_check)
		.limit(limit)
	).run(pluck=True)
	started = time.monotonic()
	alerts = []
	done = 0
	for name in names:
		if time.monotonic() - started > budget:
			break
		frappe.db.savepoint("sla_check")
		try:
			doc = frappe.get_doc("Support Request", name)
			doc.flags.ignore_permissions = True
			doc.flags.collect_sla_alerts = True
			doc.save()  # validate() replays the timers and records the thresholds to notify
			crossed = doc.flags.sla_alerts or []
		except Exception:
			frappe.db.rollback(save_point="sla_check")
			frappe.log_error(
				title=_("SLA check failed for {0}").format(name),
				reference_doctype="Support Request",
				reference_name=name,
			)
			continue
		alerts += [(doc, alert) for alert in crossed]
		done += 1
	send_alert_digests(alerts)
	return done


def alert_recipients(doc) -> set[str]:
	recipients = set(managers())
	if doc.assigned_agent:
		recipients.add(doc.assigned_agent)
	return recipients


def managers() -> list[str]:
	"""Support Managers and the people Support Policy Settings names, enabled users only."""
	if "support_policy_managers" not in frappe.flags:
		has_role = frappe.qb.DocType("Has Role")
		user = frappe.qb.DocType("User")
		by_role = (
			frappe.qb.from_(has_role)
			.join(user)
			.on(user.name == has_role.parent)
			.select(user.name)
			.where(
				(has_role.role == "Support Manager") & (has_role.parenttype == "User") & (user.enabled == 1)
			)
		).run(pluck=True)
		named = frappe.get_all(
			"Support Policy Settings Recipient",
			filters={"parenttype": "Support Policy Settings"},
			pluck="user",
		)
		frappe.flags.support_policy_managers = sorted({*by_role, *named} - {"Administrator", "Guest"})
	return frappe.flags.support_policy_managers


def send_alert_digests(alerts: list) -> None:
	"""One e-mail per recipient listing the thresholds their requests crossed, in their language."""
	frappe.flags.pop("support_policy_managers", None)
	by_recipient: dict[str, list] = {}
	for doc, alert in alerts:
		for user in alert_recipients(doc):
			by_recipient.setdefault(user, []).append((doc, alert))
	for user, items in by_recipient.items():
		email, lang = frappe.db.get_value("User", user, ["email", "language"]) or (None, None)
		if not email:
			continue
		lang = lang or frappe.db.get_default("lang") or "en"
		breached = sum(1 for _doc, alert in items if alert.breached)
		subject = _("Service levels: {0} requests at risk, {1} breached", lang=lang).format(
			len(items) - breached, breached
		)
		frappe.sendmail(
			recipients=[email],
			subject=subject,
			message=digest_html(items, lang),
			delayed=True,
			email_headers={"Auto-Submitted": "auto-generated"},  # RFC 3834 (see glue.mail.mark_automatic)
		)


def digest_html(items: list, lang: str) -> str:
	rows = []
	for doc, alert in items:
		timer, threshold = alert.timer, alert.threshold
		due = doc.first_response_due if timer == sla_glue.FIRST_RESPONSE else doc.resolution_due
		rows.append(
			"<tr>"
			f'<td><a href="{get_url_to_form(doc.doctype, doc.name)}">{escape_html(doc.name)}</a></td>'
			f"<td>{escape_html(doc.subject)}</td>"
			f"<td>{escape_html(doc.customer or '')}</td>"
			f"<td>{escape_html(_(timer, lang=lang))}</td>"
			f"<td><b>{escape_html(_(threshold, lang=lang))}</b></td>"
			f"<td>{format_datetime(due) if due else ''}</td>"
			f"<td>{escape_html(doc.assigned_agent or _('Nobody yet', lang=lang))}</td>"
			"</tr>"
		)
	headers = [
		_(h, lang=lang) for h in ("Request", "Subject", "Customer", "Timer", "State", "Due", "Assigned Agent")
	]
	head = "".join(f"<th>{escape_html(h)}</th>" for h in headers)
	return (
		f"<p>{escape_html(_('These support requests crossed a service-level threshold:', lang=lang))}</p>"
		f'<table border="1" cellpadding="4" cellspacing="0"><tr>{head}</tr>{"".join(rows)}</table>'
	)


RECALCULATION_JOB = "support_policy:recalculate:{kind}:{name}"
# A recalculation that is already running may have read the calendar or plan before the edit that
# asks for a new one: the new request then waits in the follow-up slot (one queued job per slot).
RECALCULATION_SLOTS = ("", ":next")


def enqueue_recalculation(kind: str, name: str) -> None:
	"""After a calendar (or its holidays) or a plan changed: recompute its open requests in a
	background job, once the edit is committed. Edits that arrive while a job is queued share it (it
	has not read anything yet); an edit that arrives while one is running gets a job of its own
	after it, so no edit is dropped by deduplication."""
	if frappe.flags.in_test and not frappe.flags.support_policy_queue_recalculation:
		recalculate_open_requests(kind, name)
		return
	frappe.db.after_commit.add(lambda: queue_recalculation(kind, name))


def queue_recalculation(kind: str, name: str) -> str | None:
	"""Queue a recalculation unless a queued one will already see the committed edit. Returns the job
	id queued (None when a queued job covers it)."""
	from frappe.utils.background_jobs import get_job_status
	from rq.job import JobStatus

	base = RECALCULATION_JOB.format(kind=kind, name=name)
	for slot in RECALCULATION_SLOTS:
		status = get_job_status(base + slot)
		if status == JobStatus.QUEUED:
			return None
		if status != JobStatus.STARTED:
			job_id = base + slot
			break
	else:  # both slots running: a job of its own (rare: two long recalculations overlapping)
		job_id = f"{base}:{frappe.generate_hash(length=8)}"
	frappe.enqueue(
		recalculate_open_requests,
		queue="long",
		job_id=job_id,
		deduplicate=True,
		kind=kind,
		name=name,
	)
	return job_id


def recalculate_open_requests(kind: str, name: str) -> int:
	"""Recompute the open requests of a calendar or plan. Each request has its own savepoint: one
	that fails is rolled back, logged and left for the next recalculation; the others go on."""
	request = frappe.qb.DocType("Support Request")
	plan = frappe.qb.DocType("Support Plan")
	query = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(request.status.isin(statuses.RECALCULABLE) & request.contract.isnotnull())
	)
	if kind == "plan":
		query = query.where(request.support_plan == name)
	else:
		query = query.join(plan).on(plan.name == request.support_plan).where(plan.support_calendar == name)
	changed = 0
	for request_name in query.run(pluck=True):
		frappe.db.savepoint("sla_recalculation")
		try:
			doc = frappe.get_doc("Support Request", request_name)
			if not sla_glue.recalculate(doc):
				continue
			doc.flags.ignore_permissions = True
			doc.add_comment(
				"Info", _("Service-level deadlines recalculated after a change to {0}").format(name)
			)
			doc.save()
		except Exception:
			frappe.db.rollback(save_point="sla_recalculation")
			frappe.log_error(
				title=_("SLA recalculation failed for {0}").format(request_name),
				reference_doctype="Support Request",
				reference_name=request_name,
			)
			continue
		changed += 1
	return changed
