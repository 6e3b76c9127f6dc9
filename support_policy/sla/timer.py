"""SLA timers as replayable event logs.

A timer is the ordered list of its events (start, pause, resume, stop, restart). "restart" opens a new
segment with the full target (a reopened request): the state describes that live segment, and
remembers how much time the earlier segments used and whether any of them was breached. Every figure - elapsed and paused
business time, deadline, at-risk moment, status - is derived by :func:`replay`, so the same events always
give the same state (to the second) and a changed calendar gives new deadlines.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .calendar import US, BusinessCalendar, check_aware, check_seconds

__all__ = ["STATUSES", "TimerEvent", "TimerState", "replay"]

EventKind = Literal["start", "pause", "resume", "stop", "restart"]
Status = Literal["Not Started", "On Track", "At Risk", "Paused", "Breached", "Met"]

_KINDS = ("start", "pause", "resume", "stop", "restart")
STATUSES = ("Not Started", "On Track", "At Risk", "Paused", "Breached", "Met")


@dataclass(frozen=True)
class TimerEvent:
	"""One event of a timer: ``kind`` is "start", "pause", "resume", "stop" or "restart"; ``at`` is
	timezone-aware."""

	kind: EventKind
	at: datetime

	def __post_init__(self) -> None:
		if self.kind not in _KINDS:
			raise ValueError(f"timer event kind must be one of {', '.join(_KINDS)}; got {self.kind!r}")
		check_aware(self.at, f"timer event {self.kind!r}: 'at'")


@dataclass(frozen=True)
class TimerState:
	"""A timer's state at ``evaluated_at``, as computed by :func:`replay`.

	Attributes:
		status: "Not Started", "On Track", "At Risk", "Paused", "Breached" or "Met".
		target_seconds: the target in business seconds.
		started_at: the start event's time (None if not started).
		stopped_at: the stop event's time (None unless stopped).
		elapsed_seconds: business seconds counted while running, up to the stop or ``evaluated_at``.
		paused_seconds: business seconds that fell inside pauses (a weekend inside a pause counts 0).
		remaining_seconds: ``target_seconds - elapsed_seconds``; negative once the target is exceeded.
		due_at: the deadline. Running: the moment elapsed reaches the target if it keeps running (a past
			moment once breached). Paused: None. Stopped: the deadline it had just before the stop.
		at_risk_at: the moment elapsed reaches ``at_risk_share`` of the target, same rules as ``due_at``.
		next_check_at: the next moment the status changes without any new event (``at_risk_at`` or
			``due_at``, whichever comes next after ``evaluated_at``); None when paused, stopped or breached.
			A running timer that is exactly at its deadline turns Breached one second later, which is then
			the next check.
		evaluated_at: the ``now`` the state was computed for.
		segments: how many segments the timer has had (1 + the number of restarts).
		earlier_elapsed_seconds: business seconds the segments before the last restart used.
		earlier_breach: whether any segment before the last restart ran past its deadline.

	Everything else describes the live segment (the one after the last restart): a restart gives the
	full target again from the restart.
	"""

	status: Status
	target_seconds: int
	started_at: datetime | None
	stopped_at: datetime | None
	elapsed_seconds: int
	paused_seconds: int
	remaining_seconds: int
	due_at: datetime | None
	at_risk_at: datetime | None
	next_check_at: datetime | None
	evaluated_at: datetime
	segments: int = 1
	earlier_elapsed_seconds: int = 0
	earlier_breach: bool = False


def _reach(calendar: BusinessCalendar, start: int, need: int) -> int:
	"""Instant (us) at which ``need`` working us have elapsed since ``start`` (need 0: the clock start)."""
	return calendar._add_us(start, need) if need > 0 else calendar._next_opening_us(start)


def _crossing(calendar: BusinessCalendar, segments: list[tuple[int, int, int]], threshold: int) -> int | None:
	"""First instant inside the running ``segments`` (start, end, business us) at which the running total
	reaches ``threshold`` us; None if it is not reached."""
	total = 0
	for start, end, used in segments:
		if total + used >= threshold:
			moment = _reach(calendar, start, threshold - total)
			if moment <= end:
				return moment
		total += used
	return None


def _judge(calendar: BusinessCalendar, running: list[tuple[int, int]], target_us: int):
	"""(segments with their business us, elapsed us, due instant if reached, breached) of a run."""
	segments = [(start, end, calendar._business_us(start, end)) for start, end in running]
	elapsed = sum(used for _s, _e, used in segments)
	due_reached = _crossing(calendar, segments, target_us)
	breached = elapsed > target_us or (due_reached is not None and segments[-1][1] > due_reached)
	return segments, elapsed, due_reached, breached


def replay(
	calendar: BusinessCalendar,
	events: Iterable[TimerEvent],
	target_seconds: int,
	at_risk_share: float = 0.75,
	now: datetime | None = None,
) -> TimerState:
	"""Replay a timer's ``events`` on ``calendar`` and return its state at ``now`` (default: the current
	time).

	Rules: the first event is "start"; "pause" only while running; "resume" only while paused; "stop"
	while running or paused, and nothing after it but "restart"; "restart" only while paused or
	stopped; events in chronological order (equal times allowed).
	Anything else raises ``ValueError`` naming the offending event. If the last event lies after ``now``
	(clock skew), the state is evaluated at that event instead (see ``evaluated_at``).

	Status: "Not Started" without events; "Breached" once the timer has run past its deadline (or its
	elapsed time exceeds the target) - this sticks through pauses and the stop; otherwise "Met" when
	stopped, "Paused" when paused, "At Risk" from ``at_risk_at`` on, else "On Track". A timer stopped exactly
	at its deadline is "Met". The at-risk threshold is ``round(target_seconds * at_risk_share)`` seconds.

	``events`` may also hold ``(kind, at)`` tuples. All returned datetimes are in the calendar's time zone.
	"""
	target = check_seconds(target_seconds, "target_seconds")
	share = float(at_risk_share)
	if not 0 < share <= 1:
		raise ValueError(f"at_risk_share must be in (0, 1], got {at_risk_share!r}")
	if now is None:
		now = datetime.now(calendar.timezone)
	now_us = calendar._to_us(now, "now")
	target_us = target * US
	risk_us = round(target * share) * US

	state = "not started"  # -> running <-> paused -> stopped
	running: list[tuple[int, int]] = []
	paused: list[tuple[int, int]] = []
	started = stopped = None
	stopped_from = None
	since = previous = 0
	segment_count, earlier_us, earlier_paused_us, earlier_breach = 1, 0, 0, False
	for position, raw in enumerate(events):
		event = raw if isinstance(raw, TimerEvent) else TimerEvent(*raw)
		at = calendar._to_us(event.at, f"event #{position} ({event.kind})")
		what = f"event #{position} ({event.kind} at {event.at.isoformat()})"
		if state != "not started" and at < previous:
			raise ValueError(f"{what} is earlier than the previous event; events must be in time order")
		if state == "stopped" and event.kind != "restart":
			raise ValueError(f"{what} comes after the timer was stopped")
		if event.kind == "start":
			if state != "not started":
				raise ValueError(f"{what}: the timer was already started")
			started, since, state = at, at, "running"
		elif event.kind == "pause":
			if state != "running":
				raise ValueError(f"{what}: can only pause a running timer, but it is {state}")
			running.append((since, at))
			since, state = at, "paused"
		elif event.kind == "resume":
			if state != "paused":
				raise ValueError(f"{what}: can only resume a paused timer, but it is {state}")
			paused.append((since, at))
			since, state = at, "running"
		elif event.kind == "restart":
			if state == "not started":
				raise ValueError(f"{what}: the timer was never started")
			if state not in ("paused", "stopped"):
				raise ValueError(f"{what}: can only restart a paused or stopped timer, but it is {state}")
			if state == "paused":
				paused.append((since, at))
			_segments, used, _due, was_breached = _judge(calendar, running, target * US)
			earlier_us += used
			earlier_paused_us += sum(calendar._business_us(start, end) for start, end in paused)
			earlier_breach = earlier_breach or was_breached
			segment_count += 1
			running, paused = [], []
			started, stopped, stopped_from = at, None, None
			since, state = at, "running"
		else:
			if state == "not started":
				raise ValueError(f"{what}: the timer was never started")
			(running if state == "running" else paused).append((since, at))
			stopped, stopped_from, state = at, state, "stopped"
		previous = at
	# An event after ``now`` (clock skew, e.g. a sender's clock running ahead) is not an error: the state
	# is then evaluated at the last event.
	now_us = max(now_us, previous)
	if state == "running":
		running.append((since, now_us))
	elif state == "paused":
		paused.append((since, now_us))

	def to_dt(value: int | None) -> datetime | None:
		return None if value is None else calendar._from_us(value)

	if state == "not started":
		return TimerState(
			status="Not Started",
			target_seconds=target,
			started_at=None,
			stopped_at=None,
			elapsed_seconds=0,
			paused_seconds=0,
			remaining_seconds=target,
			due_at=None,
			at_risk_at=None,
			next_check_at=None,
			evaluated_at=to_dt(now_us),
		)

	segments, elapsed, due_reached, breached = _judge(calendar, running, target_us)
	paused_total = earlier_paused_us + sum(calendar._business_us(start, end) for start, end in paused)
	risk_reached = _crossing(calendar, segments, risk_us)

	due = risk = None
	if state == "running" or stopped_from == "running":
		last_start, _end, last_used = segments[-1]
		before = elapsed - last_used
		due = due_reached if due_reached is not None else _reach(calendar, last_start, target_us - before)
		risk = risk_reached if risk_reached is not None else _reach(calendar, last_start, risk_us - before)

	next_check = None
	if breached:
		status = "Breached"
	elif state == "stopped":
		status = "Met"
	elif state == "paused":
		status = "Paused"
	else:
		status = "At Risk" if now_us >= risk else "On Track"
		if now_us < risk:
			next_check = risk
		elif now_us < due:
			next_check = due
		else:  # exactly at the deadline: Breached from the next second on
			next_check = due + US

	return TimerState(
		status=status,
		target_seconds=target,
		started_at=to_dt(started),
		stopped_at=to_dt(stopped),
		elapsed_seconds=elapsed // US,
		paused_seconds=paused_total // US,
		remaining_seconds=target - elapsed // US,
		due_at=to_dt(due),
		at_risk_at=to_dt(risk),
		next_check_at=to_dt(next_check),
		evaluated_at=to_dt(now_us),
		segments=segment_count,
		earlier_elapsed_seconds=earlier_us // US,
		earlier_breach=earlier_breach,
	)
