"""Support Request <-> SLA core. Thin glue: load the plan and calendar, turn status changes and
replies into timer events, replay them with the core, store the figures.

Two timers run per request: "First Response" (stops at the first reply an agent sends) and
"Resolution" (pauses while Waiting on Customer and once Resolved; stops when Closed). Reopening a
Resolved or Closed request restarts the resolution timer: a new segment with the full target, counted
in business time from the reopening (the first response stays as it was). Every figure shown on the
request is derived by replaying the event log, so it can be explained and recomputed.
"""

from __future__ import annotations

from typing import NamedTuple

import frappe
from frappe import _
from frappe.utils import flt

from support_policy import statuses
from support_policy.glue.calendar import get_business_calendar
from support_policy.glue.timeutil import aware, now_aware, stored
from support_policy.permissions import customers_of, is_customer_user
from support_policy.sla import BusinessCalendar, TimerEvent, replay
from support_policy.sla.targets import select_target

FIRST_RESPONSE = "First Response"
RESOLUTION = "Resolution"
TIMERS = (FIRST_RESPONSE, RESOLUTION)

# Worst first: the request shows the worst state of its running timers.
STATUS_ORDER = ("Breached", "At Risk", "On Track", "Paused", "Met")
PAUSING_STATUSES = statuses.PAUSING
RESOLVED_STATUSES = (statuses.RESOLVED,)
CLOSED_STATUSES = (statuses.CLOSED,)
FINISHED_STATUSES = statuses.FINISHED


def at_risk_share() -> float:
	return (flt(frappe.db.get_single_value("Support Policy Settings", "at_risk_share")) or 75) / 100


def calendar_for(plan, business_hours: bool) -> BusinessCalendar:
	core = get_business_calendar(plan.support_calendar)
	return core if business_hours else BusinessCalendar.always_open(core.timezone_name)


def apply(doc) -> None:
	"""Called from Support Request.validate."""
	if not doc.contract or doc.status == "Out of Scope":
		not_applicable(doc)
		return
	plan = frappe.get_cached_doc("Support Plan", doc.support_plan)
	target = select_target(plan.target_rows(), doc.priority, doc.category or doc.scope_category)
	if not target:
		not_applicable(
			doc, _("Plan {0} has no SLA target for priority {1}").format(plan.name, _(doc.priority))
		)
		return
	record_status_change(doc)
	recompute(doc, plan, target)


def not_applicable(doc, why: str | None = None) -> None:
	if doc.status == "Out of Scope":
		why = why or _("Out of the support policy's scope: no service-level timer runs.")
	elif not doc.contract and doc.flags.hold_reason:
		why = why or _("Held for identification: {0}").format(doc.flags.hold_reason)
	elif not doc.contract:
		why = why or doc.sla_note or _("No active support contract: no service-level timer runs.")
	doc.sla_status = doc.first_response_status = doc.resolution_status = "Not Applicable"
	doc.sla_note = why
	doc.first_response_due = doc.resolution_due = doc.next_sla_check = None


def add_event(doc, timer: str, event: str, at, reason: str) -> None:
	doc.append("sla_events", {"timer": timer, "event": event, "at": stored(aware(at)), "reason": reason})


def timer_state(doc, timer: str) -> str:
	"""'new', 'running', 'paused' or 'stopped' from the event log."""
	state = "new"
	for row in doc.sla_events:
		if row.timer != timer:
			continue
		state = {
			"start": "running",
			"resume": "running",
			"restart": "running",
			"pause": "paused",
			"stop": "stopped",
		}[row.event]
	return state


def record_status_change(doc) -> None:
	now = now_aware()
	if not any(row.timer == RESOLUTION for row in doc.sla_events):
		start = aware(doc.received_on) or now
		for timer in TIMERS:
			add_event(doc, timer, "start", start, _("Request received"))
	if doc.is_new() or not doc.has_value_changed("status"):
		return
	old = doc.get_doc_before_save().status if doc.get_doc_before_save() else None
	new = doc.status
	reason = _("Status changed from {0} to {1}").format(
		_(old, context="Support Request"), _(new, context="Support Request")
	)
	if old in FINISHED_STATUSES and new not in FINISHED_STATUSES and new != statuses.OUT_OF_SCOPE:
		reopen(doc, now, reason)  # to Open, In Progress or straight to Waiting on Customer
	elif new in PAUSING_STATUSES or new in RESOLVED_STATUSES:
		for timer in TIMERS:
			if timer == FIRST_RESPONSE and new in RESOLVED_STATUSES:
				if timer_state(doc, timer) == "running":
					add_event(doc, timer, "stop", now, reason)
					doc.first_responded_on = doc.first_responded_on or stored(now)
				continue
			if timer_state(doc, timer) == "running":
				add_event(doc, timer, "pause", now, reason)
		if new in RESOLVED_STATUSES:
			doc.resolved_on = stored(now)
	elif new in CLOSED_STATUSES:
		for timer in TIMERS:
			if timer_state(doc, timer) in ("running", "paused"):
				add_event(doc, timer, "stop", now, reason)
		doc.resolved_on = doc.resolved_on or stored(now)
	else:
		for timer in TIMERS:
			if timer_state(doc, timer) == "paused":
				add_event(doc, timer, "resume", now, reason)


def reopen(doc, at, reason: str) -> None:
	"""A Resolved or Closed request set back to work: the resolution timer starts a new segment with
	the full target from ``at``; a First Response timer that was never stopped by a reply resumes (a
	request resolved before anyone answered still owes its first response). Thresholds of the new
	segment are notified again."""
	doc.resolved_on = None
	if timer_state(doc, RESOLUTION) in ("paused", "stopped"):
		add_event(doc, RESOLUTION, "restart", at, _("Reopened: {0}").format(reason))
	if timer_state(doc, FIRST_RESPONSE) == "paused":
		add_event(doc, FIRST_RESPONSE, "resume", at, reason)
	doc.sla_alerts_sent = "\n".join(
		line for line in (doc.sla_alerts_sent or "").splitlines() if SlaAlert.parse(line).timer != RESOLUTION
	)
	if doc.status in PAUSING_STATUSES:
		add_event(doc, RESOLUTION, "pause", at, reason)


def on_reply(doc, from_staff: bool, at) -> bool:
	"""A Communication on the request. Returns True when the request must be saved."""
	if not doc.contract or doc.status == "Out of Scope":
		return False
	at = aware(at) or now_aware()
	if from_staff:
		if timer_state(doc, FIRST_RESPONSE) in ("running", "paused"):
			add_event(doc, FIRST_RESPONSE, "stop", at, _("First reply sent to the customer"))
			doc.first_responded_on = stored(at)
			return True
		return False
	if doc.status in PAUSING_STATUSES or doc.status in FINISHED_STATUSES:
		# The status change resumes the timers, or restarts the resolution timer of a finished request
		# (record_status_change), when the request is saved.
		doc.status = "Open"
		return True
	return False


def on_comment(comment, method=None) -> None:
	"""Comment.after_insert: a customer's reply in the desk (a timeline comment) acts like a reply by
	mail: it resumes a request Waiting on Customer and reopens a Resolved or Closed one."""
	if comment.comment_type != "Comment" or comment.reference_doctype != "Support Request":
		return
	author = comment.owner or frappe.session.user
	if not is_customer_user(author) or not frappe.db.exists("Support Request", comment.reference_name):
		return
	doc = frappe.get_doc("Support Request", comment.reference_name)
	if doc.raised_by != author and doc.customer not in customers_of(author):
		return  # a customer of another company cannot move this request's clock
	if on_reply(doc, from_staff=False, at=comment.creation):
		doc.flags.ignore_permissions = True
		doc.save()


def replay_timer(doc, timer: str, calendar: BusinessCalendar, target_seconds: int, now):
	events = [TimerEvent(row.event, aware(row.at)) for row in doc.sla_events if row.timer == timer]
	if not events:
		return None
	return replay(calendar, events, target_seconds, at_risk_share=at_risk_share(), now=now)


def replay_both(doc, plan=None, target=None, now=None):
	"""(plan, target, calendar, first-response state, resolution state), or None without a timer."""
	if not doc.contract or doc.status == "Out of Scope":
		return None
	plan = plan or frappe.get_cached_doc("Support Plan", doc.support_plan)
	target = target or select_target(plan.target_rows(), doc.priority, doc.category or doc.scope_category)
	if not target:
		return None
	now = now or now_aware()
	calendar = calendar_for(plan, target.business_hours)
	first = replay_timer(doc, FIRST_RESPONSE, calendar, target.first_response_seconds, now)
	resolution = replay_timer(doc, RESOLUTION, calendar, target.resolution_seconds, now)
	if not (first and resolution):
		return None
	return plan, target, calendar, first, resolution


def countdown(doc) -> dict:
	"""Business seconds left and state of each timer, now (for the form's countdown)."""
	replayed = replay_both(doc)
	if not replayed:
		return {}
	_plan, _target, _calendar, first, resolution = replayed
	return {
		timer: {
			"status": state.status,
			"remaining_seconds": state.remaining_seconds,
			"due": stored(state.due_at),
		}
		for timer, state in ((FIRST_RESPONSE, first), (RESOLUTION, resolution))
	}


def recompute(doc, plan=None, target=None, now=None) -> None:
	"""Replay both timers and store due dates, status and counters."""
	if not doc.contract or doc.status == "Out of Scope":
		not_applicable(doc)
		return
	now = now or now_aware()
	replayed = replay_both(doc, plan, target, now)
	if not replayed:
		return
	plan, target, calendar, first, resolution = replayed
	finished = doc.status in RESOLVED_STATUSES + CLOSED_STATUSES
	doc.first_response_due = stored(first.due_at)
	doc.resolution_due = stored(resolution.due_at)
	doc.first_response_status = first.status
	doc.first_response_seconds = first.elapsed_seconds if first.stopped_at else None
	doc.resolution_status = finished_status(resolution) if finished else resolution.status
	doc.business_seconds_used = resolution.earlier_elapsed_seconds + resolution.elapsed_seconds
	doc.business_seconds_paused = resolution.paused_seconds
	statuses = (doc.first_response_status, doc.resolution_status)
	if finished:
		doc.sla_status = "Breached" if "Breached" in statuses else "Met"
	else:
		doc.sla_status = min(statuses, key=STATUS_ORDER.index)
	if doc.flags.collect_sla_alerts:  # the 5-minute job: record and hand over what to notify
		doc.flags.sla_alerts = take_alerts(doc)
	states = (first, resolution)
	checks = [s.next_check_at for s in states if s.next_check_at]
	if pending_alerts(doc):
		checks.append(now)  # a threshold crossed on an ordinary save: the next job run notifies it
	doc.next_sla_check = stored(min(checks)) if checks else None
	doc.sla_note = clock_note(doc, calendar, plan) if target.business_hours else ""


ALERT_THRESHOLDS = ("At Risk", "Breached")


class SlaAlert(NamedTuple):
	"""A threshold a timer crossed: ``SlaAlert(RESOLUTION, "At Risk")``. Stored one per line in
	``sla_alerts_sent`` as "<timer>: <threshold>" (the format existing sites already hold)."""

	timer: str
	threshold: str

	@property
	def breached(self) -> bool:
		return self.threshold == "Breached"

	def stored(self) -> str:
		return f"{self.timer}: {self.threshold}"

	@classmethod
	def parse(cls, line: str) -> SlaAlert:
		timer, _sep, threshold = line.partition(": ")
		return cls(timer.strip(), threshold.strip())


def crossed_thresholds(doc) -> list[SlaAlert]:
	"""The thresholds each timer has crossed (Breached implies At Risk)."""
	crossed = []
	for timer, status in ((FIRST_RESPONSE, doc.first_response_status), (RESOLUTION, doc.resolution_status)):
		if status in ALERT_THRESHOLDS:
			crossed += [
				SlaAlert(timer, threshold)
				for threshold in ALERT_THRESHOLDS[: ALERT_THRESHOLDS.index(status) + 1]
			]
	return crossed


def sent_alerts(doc) -> set[SlaAlert]:
	return {SlaAlert.parse(line) for line in (doc.sla_alerts_sent or "").splitlines() if line.strip()}


def pending_alerts(doc) -> list[SlaAlert]:
	sent = sent_alerts(doc)
	return [alert for alert in crossed_thresholds(doc) if alert not in sent]


def take_alerts(doc) -> list[SlaAlert]:
	"""Thresholds to notify now, recorded on the request so that each is notified once. A timer that
	went straight to Breached is notified as Breached only."""
	pending = pending_alerts(doc)
	if not pending:
		return []
	doc.sla_alerts_sent = "\n".join(
		[*(doc.sla_alerts_sent or "").splitlines(), *(alert.stored() for alert in pending)]
	)
	worst: dict[str, SlaAlert] = {}
	for alert in pending:
		current = worst.get(alert.timer)
		if not current or ALERT_THRESHOLDS.index(alert.threshold) > ALERT_THRESHOLDS.index(current.threshold):
			worst[alert.timer] = alert
	return list(worst.values())


def finished_status(state) -> str:
	"""A resolved request's resolution timer is paused (it can be reopened); judge it as stopped. A
	reopened request is Met only if every segment met its deadline: a breach before the reopening
	stays a breach."""
	if state.earlier_breach:
		return "Breached"
	if state.status in ("Met", "Breached"):
		return state.status
	return "Met" if state.remaining_seconds >= 0 else "Breached"


def clock_note(doc, calendar: BusinessCalendar, plan) -> str:
	"""In the plan's language (Spanish for the seeded plan): when the clock starts if the request
	arrived outside working time, e.g. "se atenderá a partir del martes 17 de noviembre a las 9:00;
	lunes 16 es Día de la Revolución"."""
	received = aware(doc.received_on)
	if not received or calendar.is_working_time(received):
		return ""
	from babel.dates import format_date, format_time

	lang = plan.language or "es"
	locale = lang.replace("-", "_")  # Frappe says es-MX, babel es_MX
	start, skipped = calendar.clock_start(received)
	note = _("We will attend to it from {0} at {1}", lang=lang).format(
		format_date(
			start.date(), "EEEE d 'de' MMMM" if lang.startswith("es") else "EEEE, MMMM d", locale=locale
		),
		format_time(start.time(), "H:mm", locale=locale),
	)
	for day, name in skipped:
		note += _("; {0} is {1}", lang=lang).format(format_date(day, "EEEE d", locale=locale), name)
	return note


def recalculate(doc) -> bool:
	"""Recompute a request after its calendar or plan changed. Returns True if anything changed."""
	before = (doc.first_response_due, doc.resolution_due, doc.sla_status, doc.next_sla_check)
	recompute(doc)
	return before != (doc.first_response_due, doc.resolution_due, doc.sla_status, doc.next_sla_check)
