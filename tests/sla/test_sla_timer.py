"""SLA timers replayed from start / pause / resume / stop events on the Mexican calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policy.sla import BusinessCalendar, TimerEvent, TimerState, replay
from support_policy.sla.targets import hours_to_seconds

UTC = timezone.utc
TARGET = 2 * 3600


def mx(*args):
	return datetime(*args, tzinfo=ZoneInfo("America/Mexico_City"))


def ev(kind, at):
	return TimerEvent(kind, at)


@pytest.fixture(scope="module")
def calendar():
	return BusinessCalendar()


def test_not_started(calendar):
	state = replay(calendar, [], TARGET, now=mx(2026, 11, 9, 10))
	assert state.status == "Not Started"
	assert (state.elapsed_seconds, state.paused_seconds, state.remaining_seconds) == (0, 0, TARGET)
	assert state.due_at is state.at_risk_at is state.next_check_at is state.started_at is None


def test_running_on_track_at_risk_breached(calendar):
	events = [ev("start", mx(2026, 11, 9, 9))]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 9, 30))
	assert state.status == "On Track"
	assert state.started_at == mx(2026, 11, 9, 9)
	assert (state.elapsed_seconds, state.remaining_seconds, state.paused_seconds) == (1800, 5400, 0)
	assert state.due_at == mx(2026, 11, 9, 11)
	assert state.at_risk_at == mx(2026, 11, 9, 10, 30)  # 75 % of 2 h
	assert state.next_check_at == state.at_risk_at

	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 10, 30))
	assert state.status == "At Risk"
	assert state.next_check_at == mx(2026, 11, 9, 11)

	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 11))
	assert state.status == "At Risk"  # exactly at the deadline: not late yet
	assert state.remaining_seconds == 0
	assert state.next_check_at == mx(2026, 11, 9, 11, 0, 1)

	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 11, 0, 1))
	assert state.status == "Breached"
	assert state.remaining_seconds == -1
	assert state.due_at == mx(2026, 11, 9, 11)
	assert state.next_check_at is None


def test_at_risk_share(calendar):
	events = [ev("start", mx(2026, 11, 9, 9))]
	eight = hours_to_seconds(8)
	assert replay(calendar, events, eight, now=mx(2026, 11, 9, 9)).at_risk_at == mx(2026, 11, 9, 15)
	assert replay(calendar, events, eight, 0.5, now=mx(2026, 11, 9, 9)).at_risk_at == mx(2026, 11, 9, 13)
	assert replay(calendar, events, eight, 1, now=mx(2026, 11, 9, 9)).at_risk_at == mx(2026, 11, 9, 17)
	# Across a night and a holiday: 2 h target raised Friday 17:30 before Revolution day.
	state = replay(calendar, [ev("start", mx(2026, 11, 13, 17, 30))], TARGET, now=mx(2026, 11, 14, 12))
	assert state.due_at == mx(2026, 11, 17, 10, 30)
	assert state.at_risk_at == mx(2026, 11, 17, 10)
	assert state.elapsed_seconds == 1800
	assert state.status == "On Track"
	assert state.next_check_at == mx(2026, 11, 17, 10)


def test_started_outside_working_time(calendar):
	state = replay(calendar, [ev("start", mx(2026, 11, 15, 20))], TARGET, now=mx(2026, 11, 16, 23))
	assert state.elapsed_seconds == 0
	assert state.due_at == mx(2026, 11, 17, 11)
	assert state.status == "On Track"


def test_pause_and_resume_count_business_time_only(calendar):
	events = [
		ev("start", mx(2026, 11, 6, 17)),
		ev("pause", mx(2026, 11, 6, 17, 30)),  # Waiting on Customer over the weekend
		ev("resume", mx(2026, 11, 9, 10)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 10, 30))
	assert state.elapsed_seconds == 3600  # 17:00-17:30 Friday + 10:00-10:30 Monday
	# Friday 17:30-18:00 and Monday 9:00-10:00; the weekend counts nothing.
	assert state.paused_seconds == 5400
	assert state.remaining_seconds == 3600
	assert state.due_at == mx(2026, 11, 9, 11, 30)
	assert state.at_risk_at == mx(2026, 11, 9, 11)
	assert state.status == "On Track"
	assert state.next_check_at == mx(2026, 11, 9, 11)


def test_pause_entirely_over_a_weekend_counts_zero(calendar):
	events = [
		ev("start", mx(2026, 11, 6, 17)),
		ev("pause", mx(2026, 11, 6, 18)),
		ev("resume", mx(2026, 11, 9, 9)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 9, 15))
	assert state.paused_seconds == 0
	assert state.elapsed_seconds == 3600 + 900
	assert state.due_at == mx(2026, 11, 9, 10)


def test_paused_state(calendar):
	events = [ev("start", mx(2026, 11, 9, 9)), ev("pause", mx(2026, 11, 9, 10))]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 10, 12))
	assert state.status == "Paused"
	assert state.due_at is None and state.at_risk_at is None and state.next_check_at is None
	assert state.elapsed_seconds == 3600
	assert state.paused_seconds == 8 * 3600 + 3 * 3600  # Monday 10-18 and Tuesday 9-12


def test_stopped_met_keeps_its_due(calendar):
	events = [ev("start", mx(2026, 11, 9, 9)), ev("stop", mx(2026, 11, 9, 10, 45))]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 20, 12))
	assert state.status == "Met"
	assert state.stopped_at == mx(2026, 11, 9, 10, 45)
	assert state.elapsed_seconds == 6300
	assert state.due_at == mx(2026, 11, 9, 11)
	assert state.at_risk_at == mx(2026, 11, 9, 10, 30)
	assert state.next_check_at is None


def test_stop_exactly_at_the_deadline_is_met(calendar):
	events = [ev("start", mx(2026, 11, 6, 16)), ev("stop", mx(2026, 11, 6, 18))]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 7, 12))
	assert state.status == "Met"
	assert state.due_at == mx(2026, 11, 6, 18)
	assert state.remaining_seconds == 0


def test_stopped_late_outside_working_time_is_breached(calendar):
	# Due Friday 18:00; restored Saturday: no business second more, but late.
	events = [ev("start", mx(2026, 11, 6, 16)), ev("stop", mx(2026, 11, 7, 10))]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 7, 12))
	assert state.elapsed_seconds == TARGET
	assert state.status == "Breached"


def test_running_past_the_deadline_over_a_weekend_is_breached(calendar):
	state = replay(calendar, [ev("start", mx(2026, 11, 6, 16))], TARGET, now=mx(2026, 11, 7, 10))
	assert state.remaining_seconds == 0
	assert state.status == "Breached"
	assert state.due_at == mx(2026, 11, 6, 18)
	assert state.next_check_at is None


def test_breach_sticks_through_pause_and_resume(calendar):
	events = [
		ev("start", mx(2026, 11, 9, 9)),
		ev("pause", mx(2026, 11, 9, 11, 30)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 12))
	assert state.status == "Breached"
	assert state.remaining_seconds == -1800
	events.append(ev("resume", mx(2026, 11, 9, 13)))
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 13, 10))
	assert state.status == "Breached"
	assert state.due_at == mx(2026, 11, 9, 11)  # the moment the target was used up
	events.append(ev("stop", mx(2026, 11, 9, 14)))
	assert replay(calendar, events, TARGET, now=mx(2026, 11, 9, 15)).status == "Breached"


def test_stopped_while_paused(calendar):
	events = [
		ev("start", mx(2026, 11, 9, 9)),
		ev("pause", mx(2026, 11, 9, 10)),
		ev("stop", mx(2026, 11, 10, 10)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 11, 10))
	assert state.status == "Met"
	assert state.due_at is None  # it had no deadline while paused
	assert state.paused_seconds == 9 * 3600
	assert state.stopped_at == mx(2026, 11, 10, 10)


def test_replay_is_deterministic_and_timezone_neutral(calendar):
	events = [
		ev("start", mx(2026, 11, 13, 17, 12, 5)),
		ev("pause", mx(2026, 11, 13, 17, 40, 1)),
		ev("resume", mx(2026, 11, 17, 9, 5, 59)),
	]
	now = mx(2026, 11, 17, 9, 30)
	first = replay(calendar, events, TARGET, now=now)
	second = replay(calendar, list(events), TARGET, now=now)
	assert first == second
	in_utc = [TimerEvent(e.kind, e.at.astimezone(UTC)) for e in events]
	third = replay(BusinessCalendar(), in_utc, TARGET, now=now.astimezone(UTC))
	assert third == first
	assert third.due_at.tzinfo == ZoneInfo("America/Mexico_City")
	assert first.due_at == mx(2026, 11, 17, 10, 38, 3)  # 7200 - 1676 s after 9:05:59
	# Tuples are accepted as events.
	assert replay(calendar, [(e.kind, e.at) for e in events], TARGET, now=now) == first


def test_changed_calendar_gives_new_deadlines():
	events = [ev("start", mx(2026, 11, 6, 17, 30))]
	now = mx(2026, 11, 7, 9)
	before = replay(BusinessCalendar(), events, TARGET, now=now)
	assert before.due_at == mx(2026, 11, 9, 10, 30)
	closed_monday = BusinessCalendar(extra_holidays={date(2026, 11, 9): "Cierre"})
	after = replay(closed_monday, events, TARGET, now=now)
	assert after.due_at == mx(2026, 11, 10, 10, 30)
	around = replay(BusinessCalendar.always_open("America/Mexico_City"), events, TARGET, now=now)
	assert around.due_at == mx(2026, 11, 6, 19, 30)
	assert around.status == "Breached"


def test_zero_target_is_due_at_the_clock_start(calendar):
	events = [ev("start", mx(2026, 11, 7, 10))]
	state = replay(calendar, events, 0, now=mx(2026, 11, 8, 10))
	assert state.due_at == mx(2026, 11, 9, 9)
	assert state.status == "On Track"
	assert state.next_check_at == mx(2026, 11, 9, 9)
	assert replay(calendar, events, 0, now=mx(2026, 11, 9, 9, 0, 1)).status == "Breached"


def test_sub_second_events_are_exact(calendar):
	events = [
		ev("start", mx(2026, 11, 9, 9, 0, 0, 250_000)),
		ev("pause", mx(2026, 11, 9, 9, 30, 0, 750_000)),
		ev("resume", mx(2026, 11, 9, 10, 0, 0, 500_000)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 10, 0, 0, 500_000))
	assert state.elapsed_seconds == 1800
	# 1800.5 s used; 5399.5 s left from 10:00:00.5
	assert state.due_at == mx(2026, 11, 9, 11, 30)


@pytest.mark.parametrize(
	("events", "message"),
	[
		([("pause", mx(2026, 11, 9, 9))], "can only pause a running timer, but it is not started"),
		([("resume", mx(2026, 11, 9, 9))], "can only resume a paused timer"),
		([("stop", mx(2026, 11, 9, 9))], "never started"),
		([("start", mx(2026, 11, 9, 9)), ("resume", mx(2026, 11, 9, 10))], "can only resume a paused timer"),
		(
			[("start", mx(2026, 11, 9, 9)), ("pause", mx(2026, 11, 9, 10)), ("pause", mx(2026, 11, 9, 11))],
			"can only pause a running timer, but it is paused",
		),
		([("start", mx(2026, 11, 9, 9)), ("start", mx(2026, 11, 9, 10))], "already started"),
		([("start", mx(2026, 11, 9, 9)), ("pause", mx(2026, 11, 9, 8))], "earlier than the previous event"),
		(
			[("start", mx(2026, 11, 9, 9)), ("stop", mx(2026, 11, 9, 10)), ("resume", mx(2026, 11, 9, 11))],
			"after the timer was stopped",
		),
		(
			[("start", mx(2026, 11, 9, 9)), ("stop", mx(2026, 11, 9, 10)), ("stop", mx(2026, 11, 9, 11))],
			"after the timer was stopped",
		),
	],
)
def test_invalid_sequences(calendar, events, message):
	with pytest.raises(ValueError, match=message):
		replay(calendar, [TimerEvent(kind, at) for kind, at in events], TARGET, now=mx(2026, 11, 10, 12))


def test_event_after_now_is_evaluated_at_that_event(calendar):
	# e.g. a request whose received time comes from a sender whose clock runs a minute ahead
	events = [ev("start", mx(2026, 11, 9, 10, 1))]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 9, 10))
	assert state.evaluated_at == mx(2026, 11, 9, 10, 1)
	assert state.status == "On Track"
	assert state.elapsed_seconds == 0
	assert state.due_at == mx(2026, 11, 9, 12, 1)


def test_invalid_arguments(calendar):
	with pytest.raises(ValueError, match="kind must be one of"):
		TimerEvent("reopen", mx(2026, 11, 9, 9))
	with pytest.raises(ValueError, match="timezone-aware"):
		TimerEvent("start", datetime(2026, 11, 9, 9))
	with pytest.raises(TypeError, match="must be a datetime"):
		TimerEvent("start", "2026-11-09 09:00")
	events = [ev("start", mx(2026, 11, 9, 9))]
	with pytest.raises(ValueError, match="at_risk_share"):
		replay(calendar, events, TARGET, at_risk_share=0, now=mx(2026, 11, 9, 10))
	with pytest.raises(ValueError, match="at_risk_share"):
		replay(calendar, events, TARGET, at_risk_share=1.5, now=mx(2026, 11, 9, 10))
	with pytest.raises(ValueError, match="negative"):
		replay(calendar, events, -5, now=mx(2026, 11, 9, 10))
	with pytest.raises(ValueError, match="timezone-aware"):
		replay(calendar, events, TARGET, now=datetime(2026, 11, 9, 10))
	with pytest.raises(TypeError):
		replay(calendar, events, 7200.0, now=mx(2026, 11, 9, 10))


def test_state_is_frozen(calendar):
	state = replay(calendar, [ev("start", mx(2026, 11, 9, 9))], TARGET, now=mx(2026, 11, 9, 10))
	assert isinstance(state, TimerState)
	with pytest.raises(AttributeError):
		state.status = "Met"


def test_default_now_is_the_current_time(calendar):
	start = datetime.now(UTC) - timedelta(days=30)
	state = replay(calendar, [ev("start", start)], TARGET)
	assert state.status == "Breached"
	assert abs(state.evaluated_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_target_hours_to_seconds():
	assert hours_to_seconds(2) == 7200
	assert hours_to_seconds(0.5) == 1800
	assert hours_to_seconds(2000) == 7_200_000
	with pytest.raises(ValueError):
		hours_to_seconds(-1)
	with pytest.raises(ValueError):
		hours_to_seconds(float("nan"))


def test_durations_are_checked_the_same_way_by_the_calendar_and_the_timers(calendar):
	start = mx(2026, 11, 9, 9)
	events = [ev("start", start)]
	for bad, error in ((True, TypeError), (1.5, TypeError), ("60", TypeError), (-1, ValueError)):
		with pytest.raises(error):
			calendar.add_business_seconds(start, bad)
		with pytest.raises(error):
			replay(calendar, events, bad, now=start)


@st.composite
def timelines(draw):
	"""A valid event sequence (whole seconds) and a ``now`` not before its last event."""
	at = mx(2026, 11, 1) + timedelta(seconds=draw(st.integers(0, 20 * 86_400)))
	events = [TimerEvent("start", at)]
	state = "running"
	for _ in range(draw(st.integers(0, 6))):
		at = at + timedelta(seconds=draw(st.integers(0, 3 * 86_400)))
		kind = draw(st.sampled_from(["pause", "stop"] if state == "running" else ["resume", "stop"]))
		events.append(TimerEvent(kind, at))
		if kind == "stop":
			break
		state = "paused" if kind == "pause" else "running"
	now = at + timedelta(seconds=draw(st.one_of(st.integers(0, 5 * 86_400), st.integers(0, 4 * 3600))))
	return events, now


@settings(max_examples=150, deadline=None, database=None)
@given(timelines(), st.one_of(st.integers(0, 60 * 3600), st.integers(0, 4 * 3600)))
def test_replay_invariants(calendar, timeline, target):
	events, now = timeline
	state = replay(calendar, events, target, now=now)
	end = state.stopped_at or now
	# Every business second between start and stop/now is either elapsed or paused.
	assert state.elapsed_seconds + state.paused_seconds == calendar.business_seconds_between(
		events[0].at, end
	)
	assert state.remaining_seconds == target - state.elapsed_seconds
	assert replay(calendar, events, target, now=now) == state
	if state.status in ("On Track", "At Risk"):
		# Running and not late: the deadline is exactly the remaining business time away.
		assert state.due_at >= now
		assert calendar.business_seconds_between(now, state.due_at) == state.remaining_seconds
		assert state.next_check_at > now
		later = replay(calendar, events, target, now=state.next_check_at)
		if state.next_check_at == state.due_at:
			# At the deadline itself the timer is not late yet; one second later it is.
			assert later.status == "At Risk"
			assert replay(calendar, events, target, now=later.next_check_at).status == "Breached"
		else:
			assert later.status != state.status
	if state.status == "Met":
		assert state.elapsed_seconds <= target
	if state.elapsed_seconds > target:
		assert state.status == "Breached"


# ---------------------------------------------------------------------------------- reopening


def test_restart_after_a_stop_gives_a_full_new_target_from_the_reopening(calendar):
	# Met on Monday at 10:00, reopened on Tuesday at 15:00: two business hours from 15:00.
	events = [
		ev("start", mx(2026, 11, 9, 9)),
		ev("stop", mx(2026, 11, 9, 10)),
		ev("restart", mx(2026, 11, 10, 15)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 10, 15, 30))
	assert state.status == "On Track"
	assert state.started_at == mx(2026, 11, 10, 15)
	assert state.stopped_at is None
	assert state.due_at == mx(2026, 11, 10, 17)
	assert (state.elapsed_seconds, state.remaining_seconds) == (1800, 5400)
	assert state.earlier_elapsed_seconds == 3600
	assert state.earlier_breach is False
	assert state.segments == 2
	assert state.next_check_at == mx(2026, 11, 10, 16, 30)


def test_restart_after_a_pause_and_an_earlier_breach_is_remembered(calendar):
	events = [
		ev("start", mx(2026, 11, 9, 9)),
		ev("pause", mx(2026, 11, 9, 12)),  # resolved an hour late
		ev("restart", mx(2026, 11, 11, 17)),  # reopened near closing time: due next morning
		ev("pause", mx(2026, 11, 12, 9, 30)),
	]
	state = replay(calendar, events, TARGET, now=mx(2026, 11, 12, 10))
	assert state.status == "Paused"
	assert state.earlier_breach is True
	assert state.elapsed_seconds == 5400  # Wednesday 17:00-18:00 and Thursday 9:00-9:30
	assert state.earlier_elapsed_seconds == 3 * 3600
	live = replay(calendar, events[:3], TARGET, now=mx(2026, 11, 11, 17, 10))
	assert live.due_at == mx(2026, 11, 12, 10)  # one hour on Wednesday, one on Thursday
	assert live.status == "On Track"  # the live segment is judged on its own


def test_restart_only_after_a_pause_or_stop(calendar):
	with pytest.raises(ValueError, match="restart"):
		replay(calendar, [ev("start", mx(2026, 11, 9, 9)), ev("restart", mx(2026, 11, 9, 10))], TARGET)
	with pytest.raises(ValueError, match="never started"):
		replay(calendar, [ev("restart", mx(2026, 11, 9, 10))], TARGET)
