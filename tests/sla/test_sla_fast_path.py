"""The day-table fast path of BusinessCalendar (see "Fast path" in calendar.py) against the general path.

The general path (``_add_general``, ``_business_us``) is checked against a brute-force reference in
test_sla_calendar_reference.py; here every fast answer must equal it exactly: the same instant, the same
wall-clock time and fold, and the calendar's own tzinfo.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support_policy.sla import BusinessCalendar
from support_policy.sla.calendar import US

UTC = timezone.utc
MX = ZoneInfo("America/Mexico_City")
ZONES = (
	"America/Mexico_City",
	"UTC",
	"America/New_York",
	"Europe/London",
	"Europe/Dublin",  # negative DST in the tz database
	"Australia/Sydney",
	"Australia/Lord_Howe",  # 30-minute DST
	"Pacific/Apia",  # skipped 2011-12-30 entirely
	"America/Havana",  # clock changes at midnight
	"America/Santiago",
	"Asia/Kolkata",
)
FIRST_YEAR, LAST_YEAR = 2019, 2024


def same(got, expected):
	"""Equal instants, equal wall-clock readings (fold included), and the same tzinfo object."""
	assert got.astimezone(UTC) == expected.astimezone(UTC)
	assert (got.replace(tzinfo=None), got.fold) == (expected.replace(tzinfo=None), expected.fold)
	assert got.tzinfo is expected.tzinfo


def general_add(calendar, start, seconds):
	return calendar._add_general(start, seconds)


def general_between(calendar, start, end):
	return calendar._business_us(calendar._to_us(start), calendar._to_us(end)) // US


def warm(calendar, first_year=FIRST_YEAR, last_year=LAST_YEAR):
	calendar._ensure(date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal())


# -- property: fast == general --------------------------------------------------------------------

BOUNDS = (0, 30 * 60, 60 * 60, 90 * 60, 2 * 3600, 3 * 3600, 9 * 3600, 18 * 3600, 23 * 3600 + 30 * 60, 86_400)
seconds_of_day = st.one_of(
	st.sampled_from(BOUNDS),
	st.integers(0, 1440).map(lambda m: m * 60),
	st.integers(0, 86_400),
)


@st.composite
def calendars(draw):
	zone = draw(st.sampled_from(ZONES))
	intervals = []
	for weekday in range(7):
		points = sorted(set(draw(st.lists(seconds_of_day, max_size=6))))
		for k in range(0, len(points) - 1, 2):
			start, end = points[k], points[k + 1]
			intervals.append((weekday, timedelta(seconds=start), timedelta(seconds=end)))
	if not intervals:
		intervals = [(0, time(9), time(18))]
	extra = draw(st.lists(st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)), max_size=15))
	country = draw(st.sampled_from(["MX", None]))
	calendar = BusinessCalendar(zone, intervals, holiday_country=country, extra_holidays=extra)
	warm(calendar)
	return calendar


@st.composite
def moments(draw, calendar):
	tz = calendar.timezone
	kind = draw(st.sampled_from(["instant", "wall", "other zone"]))
	day = draw(st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)))
	second = draw(st.one_of(st.sampled_from(BOUNDS[:-1]), st.integers(0, 86_399)))
	micro = draw(st.sampled_from([0, 0, 1, 500_000, 999_999]))
	wall = datetime.combine(day, time()) + timedelta(seconds=second, microseconds=micro)
	if kind == "wall":  # possibly skipped or repeated: fold as drawn
		return wall.replace(tzinfo=tz, fold=draw(st.integers(0, 1)))
	instant = wall.replace(tzinfo=UTC)
	if kind == "instant":
		return instant.astimezone(tz)
	return instant.astimezone(ZoneInfo(draw(st.sampled_from(ZONES))))


SETTINGS = settings(
	max_examples=int(os.environ.get("SLA_HYPOTHESIS_EXAMPLES", "250")),
	deadline=None,
	database=None,
	suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(st.data())
def test_fast_path_equals_general_path(data):
	calendar = data.draw(calendars())
	for _ in range(10):
		start = data.draw(moments(calendar))
		seconds = data.draw(
			st.one_of(st.just(0), st.integers(1, 120), st.integers(0, 300).map(lambda h: h * 3600))
		)
		same(calendar.add_business_seconds(start, seconds), general_add(calendar, start, seconds))
		end = data.draw(moments(calendar))
		assert calendar.business_seconds_between(start, end) == general_between(calendar, start, end)


def test_the_fast_path_answers_the_policy_calendar():
	"""Warm Mexican calendar, starts in 2025-2026 (with microseconds, in other zones): no general path."""
	calendar, reference = BusinessCalendar(), BusinessCalendar()
	warm(calendar, 2024, 2028)
	calendar._add_general = None  # calling it would raise TypeError
	calendar._business_us = None
	first = datetime(2025, 1, 1, tzinfo=MX)
	for i in range(400):
		start = first + timedelta(seconds=i * 157_313, microseconds=(i % 3) * 250_000)
		if i % 4 == 3:
			start = start.astimezone(UTC if i % 8 == 3 else ZoneInfo("Asia/Tokyo"))
		for hours in (0, 1, 8, 40, 200, 2000):
			due = calendar.add_business_seconds(start, hours * 3600)
			same(due, general_add(reference, start, hours * 3600))
			assert calendar.business_seconds_between(start, due) == hours * 3600
			assert calendar.business_seconds_between(first, start) == general_between(reference, first, start)


# -- named cases ----------------------------------------------------------------------------------


def mx(*args):
	return datetime(*args, tzinfo=MX)


@pytest.fixture(scope="module")
def policy():
	calendar = BusinessCalendar()
	warm(calendar, 2025, 2027)
	return calendar


@pytest.mark.parametrize(
	("start", "seconds", "due"),
	[
		# Thursday 2026-03-05, closing 18:00.
		(mx(2026, 3, 5, 17, 0), 3600, mx(2026, 3, 5, 18, 0)),  # used up at closing: due at closing
		(mx(2026, 3, 5, 17, 0), 3601, mx(2026, 3, 6, 9, 0, 1)),
		(mx(2026, 3, 5, 18, 0), 0, mx(2026, 3, 6, 9, 0)),  # 0 seconds: next opening
		(mx(2026, 3, 5, 9, 0), 0, mx(2026, 3, 5, 9, 0)),  # at opening: itself
		(mx(2026, 3, 5, 12, 0, 0, 250), 0, mx(2026, 3, 5, 12, 0, 0, 250)),
		# A start inside working time keeps its microsecond, also across the night.
		(mx(2026, 3, 5, 17, 59, 59, 500_000), 1, mx(2026, 3, 6, 9, 0, 0, 500_000)),
		(mx(2026, 3, 5, 17, 59, 59, 500_000), 0, mx(2026, 3, 5, 17, 59, 59, 500_000)),
		(mx(2026, 3, 5, 8, 59, 59, 999_999), 60, mx(2026, 3, 5, 9, 1)),  # outside: from the opening
		(mx(2026, 3, 5, 18, 0, 0, 1), 0, mx(2026, 3, 6, 9, 0)),
		# Friday after closing, Monday 2025-11-17 Día de la Revolución.
		(mx(2025, 11, 14, 18, 30), 3600, mx(2025, 11, 18, 10, 0)),
		(mx(2025, 11, 16, 23, 0), 9 * 3600, mx(2025, 11, 18, 18, 0)),
		# Across Navidad and Año Nuevo: 8 + 9 + 3 x 9 + 6 hours.
		(mx(2025, 12, 24, 10, 0), 50 * 3600, mx(2026, 1, 2, 15, 0)),
	],
)
def test_named_deadlines(policy, start, seconds, due):
	got = policy.add_business_seconds(start, seconds)
	same(got, due)
	same(got, general_add(policy, start, seconds))
	assert policy.business_seconds_between(start, got) == seconds


def test_closing_at_midnight_is_due_at_the_next_midnight():
	calendar = BusinessCalendar(MX.key, [(4, time(20), timedelta(hours=24))], holiday_country=None)
	warm(calendar, 2025, 2026)
	got = calendar.add_business_seconds(mx(2025, 6, 6, 20, 0), 4 * 3600)  # Friday 20:00-24:00
	same(got, mx(2025, 6, 7, 0, 0))
	same(got, general_add(calendar, mx(2025, 6, 6, 20, 0), 4 * 3600))
	# On the last day of the table the general path answers, with the same result.
	last = calendar.add_business_seconds(mx(2026, 12, 25, 20, 0), 4 * 3600)
	same(last, datetime(2026, 12, 26, tzinfo=MX))


@pytest.mark.parametrize(
	("zone", "start", "hours"),
	[
		("America/New_York", datetime(2025, 3, 8, 12, 0), 24),  # 23-hour Sunday
		("America/New_York", datetime(2025, 11, 1, 12, 0), 24),  # 25-hour Sunday
		("America/New_York", datetime(2025, 11, 2, 1, 30), 1),  # inside the repeated hour
		("America/Havana", datetime(2025, 3, 8, 23, 30), 2),  # the clocks jump at midnight
		("Pacific/Apia", datetime(2011, 12, 29, 12, 0), 24),  # the skipped 30 December
		("America/Mexico_City", datetime(2022, 10, 29, 12, 0), 48),  # Mexico's last clock change
	],
)
def test_around_the_clock_across_clock_changes(zone, start, hours):
	calendar = BusinessCalendar.always_open(zone)
	warm(calendar, start.year - 1, start.year + 1)
	start = start.replace(tzinfo=ZoneInfo(zone))
	due = calendar.add_business_seconds(start, hours * 3600)
	assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)
	same(due, general_add(calendar, start, hours * 3600))
	assert calendar.business_seconds_between(start, due) == hours * 3600


def test_sub_second_interval_bounds_take_the_general_path():
	calendar = BusinessCalendar(MX.key, [(0, time(9, 0, 0, 500_000), time(18))], holiday_country=None)
	warm(calendar, 2025, 2025)
	assert calendar._build_table() is None
	same(calendar.add_business_seconds(mx(2025, 6, 2, 8, 0), 1), mx(2025, 6, 2, 9, 0, 1, 500_000))
	assert calendar.business_seconds_between(mx(2025, 6, 2, 8, 0), mx(2025, 6, 2, 10, 0)) == 3599


def test_the_table_follows_the_loaded_years():
	calendar = BusinessCalendar()
	assert calendar.holiday_name(date(1990, 1, 1)) == "Año Nuevo"  # a lone year loaded first
	start = mx(2025, 6, 3, 10, 0)
	for _ in range(3):
		same(calendar.add_business_seconds(start, 3600), mx(2025, 6, 3, 11, 0))
	_covered, base, n, days, _dates, _cum = calendar._table
	assert 0 <= start.toordinal() - base < n
	assert days[start.toordinal() - base] is not None  # the fast path can answer 2025 now


def test_arguments_are_checked_as_before(policy):
	with pytest.raises(ValueError, match="timezone-aware"):
		policy.add_business_seconds(datetime(2025, 6, 3, 10, 0), 60)
	with pytest.raises(ValueError, match="timezone-aware"):
		policy.business_seconds_between(datetime(2025, 6, 3, 10, 0), mx(2025, 6, 3, 11, 0))
	with pytest.raises(TypeError):
		policy.add_business_seconds(mx(2025, 6, 3, 10, 0), True)
	with pytest.raises(TypeError):
		policy.add_business_seconds(mx(2025, 6, 3, 10, 0), 1.5)
	with pytest.raises(ValueError, match="negative"):
		policy.add_business_seconds(mx(2025, 6, 3, 10, 0), -1)
	with pytest.raises(TypeError):
		policy.add_business_seconds(date(2025, 6, 3), 60)


def test_datetime_subclasses_and_index_ints_work(policy):
	class Stamp(datetime):
		pass

	class Seconds:
		def __index__(self):
			return 3600

	start = Stamp(2025, 6, 3, 10, 0, tzinfo=MX)
	same(policy.add_business_seconds(start, 3600), mx(2025, 6, 3, 11, 0))
	same(policy.add_business_seconds(mx(2025, 6, 3, 10, 0), Seconds()), mx(2025, 6, 3, 11, 0))
	assert policy.business_seconds_between(start, Stamp(2025, 6, 3, 12, 0, tzinfo=MX)) == 7200
