"""The counting rules, checked against figures computed by hand."""

import pytest

from support_policy.availability import (
	BLIND,
	DOWN,
	EXCLUDED,
	FAILED,
	NOT_PROBED,
	OK,
	UNKNOWN,
	UP,
	Rules,
	Tracker,
	derive_states,
	figures,
	incidents,
)
from support_policy.availability.counting import window_mask

MONTH_30 = 30 * 1440  # 43,200 minutes


def month_with(outages=(), windows=(), unknown=()):
	"""Observations of a 30-day month: OK everywhere except FAILED inside the outages (which last
	longer than the confirmation) and NOT_PROBED in ``unknown`` ranges."""
	obs = [OK] * MONTH_30
	for start, end in outages:
		obs[start:end] = [FAILED] * (end - start)
	for start, end in unknown:
		obs[start:end] = [NOT_PROBED] * (end - start)
	return obs, window_mask(MONTH_30, windows)


def test_issue_example_7_minute_outage_and_30_minute_window_is_99_984_and_broken():
	obs, mask = month_with(outages=[(10_000, 10_007)], windows=[(20_000, 20_030)])
	states, outages = derive_states(obs, mask)
	f = figures(states)
	assert (f.up, f.down, f.unknown, f.excluded) == (43_163, 7, 0, 30)
	# 43,163 / 43,170 = 0.999837850...
	assert round(f.availability * 100, 3) == 99.984
	assert f.budget_minutes == pytest.approx(4.317)  # 0.0001 x 43,170
	assert f.budget_used == pytest.approx(7 / 4.317)  # 162 % of the budget
	assert f.promise_kept is False
	assert [(o.start, o.end, o.confirmed, o.recovered) for o in outages] == [(10_000, 10_007, 10_002, True)]


def test_four_minutes_down_in_a_full_30_day_month_keeps_the_promise():
	obs, mask = month_with(outages=[(500, 504)])
	f = figures(derive_states(obs, mask)[0])
	assert f.down == 4 and f.budget_minutes == pytest.approx(4.32)
	assert f.promise_kept is True
	assert round(f.availability * 100, 4) == 99.9907  # 43,196 / 43,200


def test_five_minutes_down_breaks_it():
	obs, mask = month_with(outages=[(500, 505)])
	assert figures(derive_states(obs, mask)[0]).promise_kept is False


def test_failures_below_the_confirmation_are_not_downtime():
	obs = [OK] * 20
	obs[5:7] = [FAILED, FAILED]  # two in a row, then good
	states, outages = derive_states(obs)
	assert outages == [] and states.count(DOWN) == 0 and states.count(UP) == 20


def test_confirmed_downtime_is_backdated_to_the_first_failed_probe():
	obs = [OK] * 5 + [FAILED] * 4 + [OK] * 5
	states, outages = derive_states(obs)
	assert states[5:9] == [DOWN] * 4 and states[9:] == [UP] * 5
	assert (outages[0].start, outages[0].confirmed, outages[0].end) == (5, 7, 9)


def test_with_n_1_a_single_failure_is_an_outage():
	states, outages = derive_states(
		[OK, FAILED, OK], rules=Rules(failures_to_confirm=1, successes_to_recover=1)
	)
	assert states == [UP, DOWN, UP] and len(outages) == 1


def test_flapping_inside_an_outage_is_one_outage_and_counts_its_good_minutes_as_down():
	# confirmed at minute 2; then up, down, up, up, down, then three good probes recover it
	obs = [FAILED, FAILED, FAILED, OK, FAILED, OK, OK, FAILED, OK, OK, OK, OK]
	states, outages = derive_states(obs)
	assert len(outages) == 1
	assert (outages[0].start, outages[0].end) == (0, 8)
	assert states == [DOWN] * 8 + [UP] * 4


def test_unknown_minutes_are_not_down_and_do_not_break_a_run():
	obs = [OK, FAILED, NOT_PROBED, FAILED, BLIND, FAILED, OK, OK, OK]
	states, outages = derive_states(obs)
	assert states == [UP, DOWN, UNKNOWN, DOWN, UNKNOWN, DOWN, UP, UP, UP]
	f = figures(states)
	assert (f.up, f.down, f.unknown) == (4, 3, 2)
	assert outages[0].start == 1 and outages[0].confirmed == 5


def test_monitor_outage_is_unknown_and_outside_the_measure():
	obs, mask = month_with(unknown=[(0, 1440)])  # the monitor was down a whole day
	f = figures(derive_states(obs, mask)[0])
	assert (f.unknown, f.down) == (1440, 0)
	assert f.availability == 1.0 and f.measured == MONTH_30 - 1440


def test_nothing_measured_has_no_availability():
	f = figures(derive_states([NOT_PROBED] * 10)[0])
	assert f.availability is None and f.promise_kept is None and f.budget_used is None


def test_window_excludes_failures_inside_it_and_a_site_still_down_afterwards_is_confirmed_anew():
	obs = [OK] * 3 + [FAILED] * 10 + [OK] * 4
	mask = window_mask(len(obs), [(3, 10)])  # announced 3-10; the site stayed down until 13
	states, outages = derive_states(obs, mask)
	assert states[3:10] == [EXCLUDED] * 7
	assert states[10:13] == [DOWN] * 3
	assert (outages[0].start, outages[0].end) == (10, 13)


def test_outage_open_at_the_end_of_the_data_and_carried_into_the_next_day():
	tracker = Tracker()
	states, outages = derive_states([OK, FAILED, FAILED, FAILED, FAILED], tracker=tracker)
	assert outages[0].recovered is False and outages[0].end == 5 and tracker.down
	states, outages = derive_states([FAILED, OK, OK, OK], tracker=tracker)
	assert states == [DOWN, UP, UP, UP]
	assert (outages[0].start, outages[0].end, outages[0].recovered) == (0, 1, True)


def test_recovery_needs_m_good_probes():
	obs = [FAILED] * 3 + [OK, OK] + [FAILED] + [OK] * 3
	states, outages = derive_states(obs, rules=Rules(successes_to_recover=3))
	assert len(outages) == 1 and outages[0].end == 6
	states, outages = derive_states(obs, rules=Rules(successes_to_recover=2))
	# recovered at 3; the single failure at 5 is not confirmed
	assert [(o.start, o.end) for o in outages] == [(0, 3)] and states[5] == UP


def test_outages_close_together_are_one_incident():
	obs = [FAILED] * 5 + [OK] * 10 + [FAILED] * 4 + [OK] * 200 + [FAILED] * 3 + [OK] * 3
	_states, outages = derive_states(obs)
	assert len(outages) == 3
	grouped = incidents(outages, Rules(regroup_minutes=60))
	assert [(i.start, i.end, i.down_minutes, len(i.outages)) for i in grouped] == [
		(0, 19, 9, 2),
		(219, 222, 3, 1),
	]


def test_tracker_on_datetimes_reports_events_once():
	from datetime import datetime, timedelta

	t0 = datetime(2026, 11, 2, 10, 0)
	tracker = Tracker()
	events = [tracker.step(t0 + timedelta(minutes=i), obs) for i, obs in enumerate([FAILED] * 5 + [OK] * 4)]
	assert events[2] == ("confirmed", t0)
	assert events[7] == ("recovered", t0 + timedelta(minutes=5))
	assert [e for e in events if e] == [events[2], events[7]]


def test_bad_rules_are_refused():
	with pytest.raises(ValueError):
		Rules(failures_to_confirm=0)
	with pytest.raises(ValueError):
		Rules(target=99.99)
