"""Property tests: BusinessCalendar against a brute-force, second-exact interval-walking reference.

The reference walks every local day, turns each working interval into real instants on its own (the first
instant at which the local clock shows the wall time or later, found by trying both folds and, for skipped
times, by stepping minute by minute) and sums overlaps. It shares no code with the package.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support_policy.sla import BusinessCalendar

UTC = timezone.utc
ZONES = (
	"America/Mexico_City",
	"UTC",
	"America/New_York",
	"Asia/Kolkata",
	"Europe/London",
	"Australia/Sydney",
)
# Days with a clock change in the zones above (2020-2023), where random starts are concentrated.
CLOCK_CHANGE_DAYS = (
	date(2020, 4, 5),
	date(2020, 10, 25),
	date(2021, 4, 4),
	date(2021, 10, 31),
	date(2022, 4, 3),
	date(2022, 10, 30),
	date(2021, 3, 14),
	date(2021, 11, 7),
	date(2021, 3, 28),
	date(2021, 10, 3),
)
FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2023, 6, 30)
# Boundaries in minutes after midnight that hit the usual clock-change hours more often.
SPECIAL_MINUTES = (0, 30, 60, 90, 120, 150, 180, 210, 540, 780, 900, 1080, 1410, 1440)


def utc(instant):
	"""Compare instants in UTC: an aware datetime inside a repeated hour never equals one in another zone
	(PEP 495), even when both name the same instant."""
	return instant.astimezone(UTC)


# -- reference ------------------------------------------------------------------------------------


class Reference:
	"""Brute force: per local day, per interval. Interval bounds are whole minutes."""

	def __init__(self, zone, spans, country, extra):
		self.tz = ZoneInfo(zone)
		self.spans = spans  # weekday -> [(start_minute, end_minute)]
		closed = set(extra)
		if country:
			closed |= set(holidays.country_holidays(country, years=range(2018, 2031), language="es"))
		self.closed = closed

	def wall_to_instant(self, day, minute):
		naive = datetime.combine(day, time()) + timedelta(minutes=minute)
		found = []
		for fold in (0, 1):
			instant = naive.replace(tzinfo=self.tz, fold=fold).astimezone(UTC)
			if instant.astimezone(self.tz).replace(tzinfo=None) == naive:
				found.append(instant)
		if found:
			return min(found)
		# Skipped by a forward jump: the first minute whose wall clock is at or past ``naive``.
		instant = min(naive.replace(tzinfo=self.tz, fold=f).astimezone(UTC) for f in (0, 1))
		while instant.astimezone(self.tz).replace(tzinfo=None) < naive:
			instant += timedelta(minutes=1)
		return instant

	def day_intervals(self, day):
		if day in self.closed:
			return []
		result = []
		for start, end in self.spans[day.weekday()]:
			a, b = self.wall_to_instant(day, start), self.wall_to_instant(day, end)
			if b > a:
				result.append((a, b))
		return result

	def local_day(self, instant):
		return instant.astimezone(self.tz).date()

	def between(self, start, end):
		# In UTC: aware datetimes of one zone compare and add as wall-clock times, ignoring fold.
		start, end = utc(start), utc(end)
		if end <= start:
			return 0
		total = timedelta(0)
		day = self.local_day(start) - timedelta(days=1)
		while day <= self.local_day(end) + timedelta(days=1):
			for a, b in self.day_intervals(day):
				lo, hi = max(a, start), min(b, end)
				if hi > lo:
					total += hi - lo
			day += timedelta(days=1)
		return total // timedelta(seconds=1)

	def add(self, start, seconds):
		start = utc(start)
		remaining = timedelta(seconds=seconds)
		day = self.local_day(start) - timedelta(days=1)
		while True:
			for a, b in self.day_intervals(day):
				if b <= start:
					continue
				a = max(a, start)
				if seconds == 0:
					return a
				if remaining <= b - a:
					return a + remaining
				remaining -= b - a
			day += timedelta(days=1)

	def is_working(self, instant):
		instant = utc(instant)
		day = self.local_day(instant)
		return any(
			a <= instant < b
			for d in (day - timedelta(days=1), day, day + timedelta(days=1))
			for a, b in self.day_intervals(d)
		)


# -- strategies -----------------------------------------------------------------------------------

minutes = st.one_of(st.sampled_from(SPECIAL_MINUTES), st.integers(0, 1440))


@st.composite
def day_spans(draw):
	points = sorted(set(draw(st.lists(minutes, max_size=6))))
	if len(points) % 2:
		points = points[:-1]
	return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


def as_time(minute):
	return timedelta(hours=24) if minute == 1440 else time(minute // 60, minute % 60)


@st.composite
def calendars(draw):
	zone = draw(st.sampled_from(ZONES))
	spans = draw(st.lists(day_spans(), min_size=7, max_size=7).filter(lambda days: any(days)))
	country = draw(st.sampled_from(["MX", None]))
	extra = draw(st.lists(st.dates(FIRST_DAY, LAST_DAY), max_size=12, unique=True))
	as_mapping = draw(st.booleans())
	intervals = []
	for weekday, day in enumerate(spans):
		for start, end in day:
			intervals.append((weekday, as_time(start), as_time(end)))
	draw(st.randoms()).shuffle(intervals)
	extra_arg = {d: f"Cierre {d.isoformat()}" for d in extra} if as_mapping else list(extra)
	calendar = BusinessCalendar(zone, intervals, holiday_country=country, extra_holidays=extra_arg)
	return calendar, Reference(zone, spans, country, extra)


@st.composite
def starts(draw, ref):
	tz = ref.tz
	kind = draw(st.sampled_from(["instant", "boundary", "closed", "clock_change"]))
	if kind == "instant":
		lo = int(datetime.combine(FIRST_DAY, time(), UTC).timestamp())
		hi = int(datetime.combine(LAST_DAY, time(), UTC).timestamp())
		instant = datetime.fromtimestamp(draw(st.integers(lo, hi)), UTC)
		if draw(st.booleans()):
			instant += timedelta(microseconds=draw(st.integers(0, 999_999)))
		return instant
	if kind == "closed":
		closed = sorted(d for d in ref.closed if FIRST_DAY <= d <= LAST_DAY)
		day = draw(st.sampled_from(closed)) if closed else draw(st.dates(FIRST_DAY, LAST_DAY))
	elif kind == "clock_change":
		day = draw(st.sampled_from(CLOCK_CHANGE_DAYS)) + timedelta(days=draw(st.integers(-1, 1)))
	else:
		day = draw(st.dates(FIRST_DAY, LAST_DAY))
	bounds = [m for span in ref.spans[day.weekday()] for m in span]
	if kind == "boundary" and bounds:
		return ref.wall_to_instant(day, draw(st.sampled_from(bounds)))
	minute = draw(st.integers(0, 1439))
	wall = datetime.combine(day, time(minute // 60, minute % 60), tz)
	return wall.replace(fold=draw(st.integers(0, 1)))


def weekly_seconds(ref):
	return sum(end - start for day in ref.spans for start, end in day) * 60


@st.composite
def targets(draw, ref):
	cap = min(400 * 3600, weekly_seconds(ref) * 26)
	return draw(
		st.one_of(
			st.just(0),
			st.integers(1, 120),
			st.integers(0, cap // 3600).map(lambda h: h * 3600),
			st.integers(0, cap),
		)
	)


# SLA_HYPOTHESIS_EXAMPLES=5000 for a longer run; no example database is written into the work tree.
SETTINGS = settings(
	max_examples=int(os.environ.get("SLA_HYPOTHESIS_EXAMPLES", "250")),
	deadline=None,
	database=None,
	suppress_health_check=[HealthCheck.too_slow],
)


# -- properties -----------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_add_business_seconds_matches_reference(data):
	calendar, ref = data.draw(calendars())
	start = data.draw(starts(ref))
	seconds = data.draw(targets(ref))
	got = calendar.add_business_seconds(start, seconds)
	assert utc(got) == utc(ref.add(start, seconds))
	assert got.tzinfo is calendar.timezone
	# Round trip, and the deadline lies in working time (closing time included).
	assert calendar.business_seconds_between(start, got) == seconds
	if seconds:
		assert calendar.is_working_time(utc(got) - timedelta(microseconds=1))
	else:
		assert calendar.is_working_time(got)


@SETTINGS
@given(st.data())
def test_business_seconds_between_matches_reference(data):
	calendar, ref = data.draw(calendars())
	start = data.draw(starts(ref))
	if data.draw(st.booleans()):
		end = data.draw(starts(ref))
	else:
		end = utc(start) + timedelta(seconds=data.draw(st.integers(-86_400, 120 * 86_400)))
	got = calendar.business_seconds_between(start, end)
	assert got == ref.between(start, end)
	assert got >= 0


@SETTINGS
@given(st.data())
def test_is_working_time_and_next_opening_match_reference(data):
	calendar, ref = data.draw(calendars())
	start = data.draw(starts(ref))
	assert calendar.is_working_time(start) == ref.is_working(start)
	opening = calendar.next_opening(start)
	assert utc(opening) == utc(ref.add(start, 0))
	assert calendar.is_working_time(opening)
	if ref.is_working(start):
		assert utc(opening) == utc(start)
	assert calendar.business_seconds_between(start, opening) == 0


@SETTINGS
@given(st.data())
def test_add_then_between_round_trip(data):
	calendar, ref = data.draw(calendars())
	start = data.draw(starts(ref))
	first = data.draw(targets(ref))
	second = data.draw(targets(ref))
	one = calendar.add_business_seconds(start, first)
	two = calendar.add_business_seconds(one, second)
	assert calendar.business_seconds_between(start, two) == first + second
	if first and second:
		assert utc(two) == utc(calendar.add_business_seconds(start, first + second))
