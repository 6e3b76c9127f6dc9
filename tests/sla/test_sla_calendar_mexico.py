"""Named cases for the Mexican policy: Monday-Friday 9:00-18:00 America/Mexico_City minus Mexican official
holidays, 2-hour restore target. Exact expected datetimes; clock changes; server time zone independence;
validation."""

from __future__ import annotations

import os
import time as time_module
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from support_policy.sla import BusinessCalendar

MX = "America/Mexico_City"
UTC = timezone.utc
TWO_HOURS = 2 * 3600
ORIGINAL_TZ = os.environ.get("TZ")


def mx(*args, fold=0):
	return datetime(*args, tzinfo=ZoneInfo(MX), fold=fold)


def utc(instant):
	return instant.astimezone(UTC)


@pytest.fixture(scope="module")
def calendar():
	return BusinessCalendar()


# -- holidays ----------------------------------------------------------------------------------------

HOLIDAY_NAMES = [
	(date(2024, 10, 1), "Transmisión del Poder Ejecutivo Federal"),
	(date(2020, 2, 3), "Día de la Constitución"),
	(date(2026, 2, 2), "Día de la Constitución"),
	(date(2020, 3, 16), "Natalicio de Benito Juárez"),
	(date(2026, 3, 16), "Natalicio de Benito Juárez"),
	(date(2020, 11, 16), "Día de la Revolución"),
	(date(2026, 11, 16), "Día de la Revolución"),
	(date(2026, 1, 1), "Año Nuevo"),
	(date(2026, 5, 1), "Día del Trabajo"),
	(date(2026, 9, 16), "Día de la Independencia"),
	(date(2026, 12, 25), "Navidad"),
]


@pytest.mark.parametrize(("day", "name"), HOLIDAY_NAMES)
def test_holiday_names_are_spanish(calendar, day, name):
	assert calendar.holiday_name(day) == name


@pytest.mark.parametrize(
	"day",
	[
		date(2026, 11, 20),  # the old fixed Revolution day is a working day now
		date(2026, 2, 5),  # the old fixed Constitution day
		date(2025, 10, 1),  # the handover is only every six years
		date(2026, 11, 17),
	],
)
def test_not_holidays(calendar, day):
	assert calendar.holiday_name(day) is None


def test_holidays_resolved_lazily_for_any_year(calendar):
	for year in (1950, 2030, 2099):
		expected = holidays.country_holidays("MX", years=year, language="es")
		for day, name in expected.items():
			assert calendar.holiday_name(day) == name
	# 2030 is a handover year again; Revolution day 2099 is the third Monday of November.
	assert calendar.holiday_name(date(2030, 10, 1)) == "Transmisión del Poder Ejecutivo Federal"
	assert calendar.holiday_name(date(2099, 11, 16)) == "Día de la Revolución"


def test_holiday_name_of_an_aware_datetime_uses_the_calendar_date(calendar):
	# 2026-11-17 03:00 UTC is still Monday the 16th in Mexico City.
	assert calendar.holiday_name(datetime(2026, 11, 17, 3, 0, tzinfo=UTC)) == "Día de la Revolución"
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.holiday_name(datetime(2026, 11, 16, 12, 0))


# -- deadlines ---------------------------------------------------------------------------------------

DEADLINES = [
	# (case, start, seconds, expected)
	("presidential handover 2024-10-01", mx(2024, 9, 30, 17), TWO_HOURS, mx(2024, 10, 2, 10)),
	(
		"Constitution day 2026 (1st Monday of February)",
		mx(2026, 1, 30, 17, 30),
		TWO_HOURS,
		mx(2026, 2, 3, 10, 30),
	),
	("Constitution day 2020", mx(2020, 1, 31, 17, 30), TWO_HOURS, mx(2020, 2, 4, 10, 30)),
	("Benito Juárez 2026 (3rd Monday of March)", mx(2026, 3, 13, 17, 30), TWO_HOURS, mx(2026, 3, 17, 10, 30)),
	("Benito Juárez 2020", mx(2020, 3, 13, 17, 30), TWO_HOURS, mx(2020, 3, 17, 10, 30)),
	(
		"Revolution 2026 (3rd Monday of November)",
		mx(2026, 11, 13, 17, 30),
		TWO_HOURS,
		mx(2026, 11, 17, 10, 30),
	),
	("Revolution 2020", mx(2020, 11, 13, 17, 30), TWO_HOURS, mx(2020, 11, 17, 10, 30)),
	("New Year 2026 (Thursday)", mx(2025, 12, 31, 17), TWO_HOURS, mx(2026, 1, 2, 10)),
	("New Year 2024 (Monday)", mx(2023, 12, 29, 17, 30), TWO_HOURS, mx(2024, 1, 2, 10, 30)),
	("1 May 2026 (Friday)", mx(2026, 4, 30, 17, 30), TWO_HOURS, mx(2026, 5, 4, 10, 30)),
	("16 Sep 2026 (Wednesday)", mx(2026, 9, 15, 17), TWO_HOURS, mx(2026, 9, 17, 10)),
	("16 Sep 2024 (Monday)", mx(2024, 9, 13, 17, 30), TWO_HOURS, mx(2024, 9, 17, 10, 30)),
	("25 Dec 2026 (Friday)", mx(2026, 12, 24, 17), TWO_HOURS, mx(2026, 12, 28, 10)),
	("Friday 17:30, ordinary weekend", mx(2026, 11, 6, 17, 30), TWO_HOURS, mx(2026, 11, 9, 10, 30)),
	("raised on a Saturday", mx(2026, 11, 7, 12), TWO_HOURS, mx(2026, 11, 9, 11)),
	("raised on the Saturday before a holiday Monday", mx(2026, 11, 14, 12), TWO_HOURS, mx(2026, 11, 17, 11)),
	("holiday eve (Sunday night)", mx(2026, 11, 15, 20), TWO_HOURS, mx(2026, 11, 17, 11)),
	("raised on the holiday itself", mx(2026, 11, 16, 10), TWO_HOURS, mx(2026, 11, 17, 11)),
	(
		"ends exactly at closing: due at 18:00, not next opening",
		mx(2026, 11, 6, 16),
		TWO_HOURS,
		mx(2026, 11, 6, 18),
	),
	("a full day from opening ends at closing", mx(2026, 11, 9, 9), 9 * 3600, mx(2026, 11, 9, 18)),
	("raised at closing time", mx(2026, 11, 6, 18), TWO_HOURS, mx(2026, 11, 9, 11)),
	("raised at opening time", mx(2026, 11, 9, 9), TWO_HOURS, mx(2026, 11, 9, 11)),
	("one second", mx(2026, 11, 6, 17, 59, 59), 1, mx(2026, 11, 6, 18)),
	("zero in working time: the start itself", mx(2026, 11, 9, 10, 15, 7), 0, mx(2026, 11, 9, 10, 15, 7)),
	("zero after closing: next opening", mx(2026, 11, 6, 18), 0, mx(2026, 11, 9, 9)),
	("zero on a holiday weekend: next opening", mx(2026, 11, 15, 8), 0, mx(2026, 11, 17, 9)),
	("two weeks of business hours over a holiday", mx(2026, 11, 9, 9), 90 * 3600, mx(2026, 11, 23, 18)),
	("2,000 business hours", mx(2026, 1, 5, 9), 2000 * 3600, mx(2026, 11, 18, 11)),
]


@pytest.mark.parametrize(
	("start", "seconds", "expected"), [c[1:] for c in DEADLINES], ids=[c[0] for c in DEADLINES]
)
def test_deadlines(calendar, start, seconds, expected):
	due = calendar.add_business_seconds(start, seconds)
	assert due == expected
	assert due.tzinfo == expected.tzinfo
	assert calendar.business_seconds_between(start, due) == seconds


def test_two_thousand_hours_counts_every_2026_holiday(calendar):
	# 2026-01-05 .. 2026-11-18 skips five weekday holidays (Feb 2, Mar 16, May 1, Sep 16, Nov 16):
	# check against a plain day-by-day sum.
	start, due = mx(2026, 1, 5, 9), mx(2026, 11, 18, 11)
	total = 0
	day = start.date()
	while day < due.date():
		if day.weekday() < 5 and calendar.holiday_name(day) is None:
			total += 9 * 3600
		day += timedelta(days=1)
	total += 2 * 3600
	assert total == 2000 * 3600 == calendar.business_seconds_between(start, due)


def test_business_seconds_between(calendar):
	assert calendar.business_seconds_between(mx(2026, 11, 13, 17), mx(2026, 11, 17, 10)) == 2 * 3600
	assert calendar.business_seconds_between(mx(2026, 11, 9, 9), mx(2026, 11, 14, 0)) == 45 * 3600
	assert calendar.business_seconds_between(mx(2026, 11, 16, 9), mx(2026, 11, 21, 0)) == 36 * 3600
	assert calendar.business_seconds_between(mx(2026, 11, 17, 10), mx(2026, 11, 17, 9)) == 0
	assert calendar.business_seconds_between(mx(2026, 11, 17, 10), mx(2026, 11, 17, 10)) == 0
	# A whole year: 2026 has 261 weekdays and 7 holidays on weekdays (Jan 1, Feb 2, Mar 16, May 1,
	# Sep 16, Nov 16, Dec 25).
	assert calendar.business_seconds_between(mx(2026, 1, 1), mx(2027, 1, 1)) == (261 - 7) * 9 * 3600


def test_is_working_time_and_next_opening(calendar):
	assert calendar.is_working_time(mx(2026, 11, 9, 9))
	assert calendar.is_working_time(mx(2026, 11, 9, 17, 59, 59))
	assert not calendar.is_working_time(mx(2026, 11, 9, 18))
	assert not calendar.is_working_time(mx(2026, 11, 9, 8, 59, 59))
	assert not calendar.is_working_time(mx(2026, 11, 16, 12))  # holiday
	assert not calendar.is_working_time(mx(2026, 11, 14, 12))  # Saturday
	assert calendar.next_opening(mx(2026, 11, 9, 12, 30)) == mx(2026, 11, 9, 12, 30)
	assert calendar.next_opening(mx(2026, 11, 13, 18)) == mx(2026, 11, 17, 9)
	assert calendar.next_opening(mx(2024, 9, 30, 19)) == mx(2024, 10, 2, 9)


# -- clock start --------------------------------------------------------------------------------------


def test_clock_start_on_the_sunday_before_revolution_day(calendar):
	start, skipped = calendar.clock_start(mx(2026, 11, 15, 11, 20))
	assert start == mx(2026, 11, 17, 9)
	assert skipped == [(date(2026, 11, 16), "Día de la Revolución")]


@pytest.mark.parametrize(
	("raised", "expected_start", "expected_skipped"),
	[
		(mx(2026, 11, 13, 19), mx(2026, 11, 17, 9), [(date(2026, 11, 16), "Día de la Revolución")]),
		(mx(2026, 11, 16, 8), mx(2026, 11, 17, 9), [(date(2026, 11, 16), "Día de la Revolución")]),
		# Raised after hours on the holiday: the holiday did not delay anything.
		(mx(2026, 11, 16, 19), mx(2026, 11, 17, 9), []),
		(
			mx(2024, 9, 30, 18, 30),
			mx(2024, 10, 2, 9),
			[(date(2024, 10, 1), "Transmisión del Poder Ejecutivo Federal")],
		),
		(mx(2026, 12, 24, 18, 30), mx(2026, 12, 28, 9), [(date(2026, 12, 25), "Navidad")]),
		# 1 May 2021 is a Saturday: not a working day anyway, so it is not listed.
		(mx(2021, 4, 30, 19), mx(2021, 5, 3, 9), []),
		(mx(2026, 11, 7, 10), mx(2026, 11, 9, 9), []),
		(mx(2026, 11, 9, 10, 30), mx(2026, 11, 9, 10, 30), []),
	],
)
def test_clock_start(calendar, raised, expected_start, expected_skipped):
	start, skipped = calendar.clock_start(raised)
	assert start == expected_start
	assert skipped == expected_skipped


def test_extra_holidays_mapping_and_plain_dates():
	named = BusinessCalendar(extra_holidays={date(2026, 11, 17): "Cierre por inventario"})
	start, skipped = named.clock_start(mx(2026, 11, 15, 12))
	assert start == mx(2026, 11, 18, 9)
	assert skipped == [
		(date(2026, 11, 16), "Día de la Revolución"),
		(date(2026, 11, 17), "Cierre por inventario"),
	]
	assert named.add_business_seconds(mx(2026, 11, 13, 17, 30), TWO_HOURS) == mx(2026, 11, 18, 10, 30)
	plain = BusinessCalendar(extra_holidays=[date(2026, 11, 17), "2026-11-18"])
	assert plain.holiday_name(date(2026, 11, 17)) == "Día inhábil"
	assert plain.next_opening(mx(2026, 11, 15, 12)) == mx(2026, 11, 19, 9)
	both = BusinessCalendar(extra_holidays={date(2026, 11, 16): "Puente"})
	assert both.holiday_name(date(2026, 11, 16)) == "Día de la Revolución; Puente"


def test_no_country_holidays():
	calendar = BusinessCalendar(holiday_country=None)
	assert calendar.holiday_name(date(2026, 11, 16)) is None
	assert calendar.add_business_seconds(mx(2026, 11, 13, 17, 30), TWO_HOURS) == mx(2026, 11, 16, 10, 30)


def test_split_shift():
	calendar = BusinessCalendar(
		intervals=[(d, time(9), time(13)) for d in range(5)] + [(d, time(15), time(19)) for d in range(5)]
	)
	assert calendar.weekly_business_seconds == 40 * 3600
	assert calendar.add_business_seconds(mx(2026, 11, 6, 12, 30), 3600) == mx(2026, 11, 6, 15, 30)
	assert calendar.add_business_seconds(mx(2026, 11, 6, 12, 30), 1800) == mx(2026, 11, 6, 13)
	assert calendar.add_business_seconds(mx(2026, 11, 6, 14), 0) == mx(2026, 11, 6, 15)
	assert not calendar.is_working_time(mx(2026, 11, 6, 14))
	assert calendar.add_business_seconds(mx(2026, 11, 6, 18), TWO_HOURS) == mx(2026, 11, 9, 10)


def test_touching_intervals_merge_and_frappe_time_values():
	merged = BusinessCalendar(intervals=[(0, time(9), time(13)), (0, "13:00", timedelta(hours=18))])
	single = BusinessCalendar(intervals=[(0, time(9), time(18))])
	for start in (mx(2026, 11, 9, 12), mx(2026, 11, 9, 12, 59), mx(2026, 11, 7, 1)):
		for seconds in (0, 60, 3600, 4 * 3600, 9 * 3600, 100 * 3600):
			assert merged.add_business_seconds(start, seconds) == single.add_business_seconds(start, seconds)


# -- daylight saving time (Mexico City had it until 2022-10-30) --------------------------------------


def test_2021_fall_back_weekend(calendar):
	# Friday 17:00 CDT (UTC-5) + 2 h -> Monday 10:00 CST (UTC-6).
	due = calendar.add_business_seconds(mx(2021, 10, 29, 17), TWO_HOURS)
	assert due == mx(2021, 11, 1, 10)
	assert due.utcoffset() == timedelta(hours=-6)
	assert utc(due) == datetime(2021, 11, 1, 16, tzinfo=UTC)
	assert calendar.business_seconds_between(mx(2021, 10, 29, 9), mx(2021, 11, 1, 18)) == 18 * 3600


def test_2021_spring_forward_weekend(calendar):
	due = calendar.add_business_seconds(mx(2021, 4, 2, 17), TWO_HOURS)
	assert due == mx(2021, 4, 5, 10)
	assert due.utcoffset() == timedelta(hours=-5)


def test_interval_across_the_change_is_measured_in_real_seconds():
	night = BusinessCalendar(intervals=[(6, time(0), time(4))], holiday_country=None)
	# 2021-10-31: 02:00 CDT -> 01:00 CST, the Sunday night shift lasts 5 real hours.
	assert night.business_seconds_between(mx(2021, 10, 30, 12), mx(2021, 11, 1)) == 5 * 3600
	assert night.add_business_seconds(mx(2021, 10, 30, 12), 5 * 3600) == mx(2021, 10, 31, 4)
	half = night.add_business_seconds(mx(2021, 10, 30, 12), 90 * 60)
	assert utc(half) == datetime(2021, 10, 31, 6, 30, tzinfo=UTC)  # 01:30 CDT, first occurrence
	assert half.fold == 0
	late = night.add_business_seconds(mx(2021, 10, 30, 12), 150 * 60)
	assert utc(late) == datetime(2021, 10, 31, 7, 30, tzinfo=UTC)  # 01:30 CST, second occurrence
	assert late.fold == 1
	# 2021-04-04: 02:00 CST -> 03:00 CDT, the same shift lasts 3 real hours.
	assert night.business_seconds_between(mx(2021, 4, 3, 12), mx(2021, 4, 5)) == 3 * 3600
	assert night.add_business_seconds(mx(2021, 4, 3, 12), 3 * 3600) == mx(2021, 4, 4, 4)
	# Ordinary Sundays: 4 hours.
	assert night.business_seconds_between(mx(2021, 10, 23, 12), mx(2021, 10, 25)) == 4 * 3600
	# 2023 and later: no clock change any more.
	assert night.business_seconds_between(mx(2023, 4, 1, 12), mx(2023, 4, 3)) == 4 * 3600


def test_skipped_wall_times_map_to_the_jump():
	# 02:00-02:30 does not exist on 2021-04-04: no working time that day. 01:30-02:30 lasts 30 minutes.
	gap = BusinessCalendar(
		intervals=[(6, time(2), time(2, 30)), (6, time(5), time(5, 1))], holiday_country=None
	)
	assert gap.business_seconds_between(mx(2021, 4, 4), mx(2021, 4, 4, 4)) == 0
	assert gap.business_seconds_between(mx(2021, 3, 28), mx(2021, 3, 28, 4)) == 1800
	partial = BusinessCalendar(intervals=[(6, time(1, 30), time(2, 30))], holiday_country=None)
	assert partial.business_seconds_between(mx(2021, 4, 3), mx(2021, 4, 5)) == 1800
	assert utc(partial.add_business_seconds(mx(2021, 4, 3), 1800)) == datetime(2021, 4, 4, 8, tzinfo=UTC)


def test_always_open_counts_real_seconds_across_the_change():
	around = BusinessCalendar.always_open(MX)
	# 24 real hours from Saturday noon CDT end Sunday 11:00 CST.
	due = around.add_business_seconds(mx(2021, 10, 30, 12), 24 * 3600)
	assert due == mx(2021, 10, 31, 11)
	assert utc(due) - utc(mx(2021, 10, 30, 12)) == timedelta(hours=24)
	assert around.business_seconds_between(mx(2021, 10, 31), mx(2021, 11, 1)) == 25 * 3600
	assert around.business_seconds_between(mx(2021, 4, 4), mx(2021, 4, 5)) == 23 * 3600
	assert around.add_business_seconds(mx(2021, 4, 3, 12), 24 * 3600) == mx(2021, 4, 4, 13)
	# The last change, 2022-10-30.
	assert around.add_business_seconds(mx(2022, 10, 29, 12), 24 * 3600) == mx(2022, 10, 30, 11)
	assert around.add_business_seconds(mx(2023, 4, 1, 12), 24 * 3600) == mx(2023, 4, 2, 12)
	# Long targets are exact too (no holidays, every second counts).
	start = mx(2021, 1, 1, 0, 0, 1)
	assert utc(around.add_business_seconds(start, 400 * 86_400)) == utc(start) + timedelta(days=400)
	assert around.is_working_time(mx(2021, 10, 31, 1, 30, fold=1))


def test_always_open_utc_default():
	around = BusinessCalendar.always_open()
	assert around.timezone_name == "UTC"
	due = around.add_business_seconds(mx(2021, 10, 30, 12), 24 * 3600)
	assert due == datetime(2021, 10, 31, 17, tzinfo=UTC)
	assert due.tzinfo == around.timezone
	assert around.holiday_name(date(2026, 1, 1)) is None


# -- the server's time zone does not matter -------------------------------------------------------------


@pytest.fixture(params=["UTC", "Asia/Kolkata", "America/Los_Angeles"])
def server_tz(request, monkeypatch):
	monkeypatch.setenv("TZ", request.param)
	time_module.tzset()
	yield request.param
	monkeypatch.undo()
	time_module.tzset()


SERVER_TZ_CASES = [c for c in DEADLINES if c[0].startswith(("Revolution", "presidential", "Friday", "ends"))]


def test_server_time_zone_does_not_matter(server_tz):
	expected_offset = {"UTC": 0, "Asia/Kolkata": 19800, "America/Los_Angeles": None}[server_tz]
	if expected_offset is not None:
		assert -time_module.timezone == expected_offset  # the TZ change took effect
	calendar = BusinessCalendar()  # built under the server's TZ
	for _case, start, seconds, expected in SERVER_TZ_CASES:
		assert calendar.add_business_seconds(start, seconds) == expected
		# Input in UTC: same instant, result in Mexico City time.
		due = calendar.add_business_seconds(utc(start), seconds)
		assert due == expected
		assert due.tzinfo == expected.tzinfo
		assert calendar.business_seconds_between(utc(start), utc(expected)) == seconds
	start, skipped = calendar.clock_start(datetime(2026, 11, 15, 17, 0, tzinfo=UTC))  # Sunday 11:00 MX
	assert start == mx(2026, 11, 17, 9)
	assert skipped == [(date(2026, 11, 16), "Día de la Revolución")]
	assert calendar.add_business_seconds(mx(2021, 10, 29, 17), TWO_HOURS) == mx(2021, 11, 1, 10)
	assert calendar.is_working_time(datetime(2026, 11, 17, 15, tzinfo=UTC))  # 09:00 MX
	assert not calendar.is_working_time(datetime(2026, 11, 17, 14, 59, tzinfo=UTC))
	# 2026-11-17 03:00 UTC is Monday 16 (holiday) in Mexico City, Tuesday in Kolkata/UTC.
	assert calendar.holiday_name(datetime(2026, 11, 17, 3, tzinfo=UTC)) == "Día de la Revolución"


# -- validation ---------------------------------------------------------------------------------------


def test_naive_datetimes_are_rejected(calendar):
	naive = datetime(2026, 11, 9, 10)
	aware = mx(2026, 11, 9, 10)
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.add_business_seconds(naive, 60)
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.business_seconds_between(naive, aware)
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.business_seconds_between(aware, naive)
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.is_working_time(naive)
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.next_opening(naive)
	with pytest.raises(ValueError, match="timezone-aware"):
		calendar.clock_start(naive)


def test_bad_seconds(calendar):
	with pytest.raises(ValueError, match="negative"):
		calendar.add_business_seconds(mx(2026, 11, 9, 10), -1)
	with pytest.raises(TypeError):
		calendar.add_business_seconds(mx(2026, 11, 9, 10), 1.5)


@pytest.mark.parametrize(
	("intervals", "message"),
	[
		([(0, time(9), time(13)), (0, time(12), time(18))], "overlap on Monday: 09:00-13:00 and 12:00-18:00"),
		([(2, time(9), time(18)), (2, time(10), time(11))], "overlap on Wednesday"),
		([(0, time(18), time(9))], "end 09:00 must be after start 18:00"),
		([(0, time(9), time(9))], "must be after start"),
		([(0, time(9), time(0))], "must be after start"),
		([(7, time(9), time(18))], "weekday must be 0"),
		([(-1, time(9), time(18))], "weekday must be 0"),
		([(True, time(9), time(18))], "weekday must be an int"),
		([("Monday", time(9), time(18))], "weekday must be an int"),
		([(0, time(9))], "expected \\(weekday, start_time, end_time\\)"),
		([(0, "9am", time(18))], "not a time of day"),
		([(0, timedelta(hours=25), timedelta(hours=26))], "between 00:00 and 24:00"),
		([(0, time(9, tzinfo=timezone.utc), time(18))], "without tzinfo"),
		([], "at least one working interval"),
	],
)
def test_invalid_intervals(intervals, message):
	with pytest.raises(ValueError, match=message):
		BusinessCalendar(intervals=intervals)


def test_invalid_settings():
	with pytest.raises(ValueError, match="unknown time zone"):
		BusinessCalendar(timezone="Mars/Olympus_Mons")
	with pytest.raises(ValueError, match="not available"):
		BusinessCalendar(holiday_country="XX")
	with pytest.raises(ValueError, match="extra holidays must be dates"):
		BusinessCalendar(extra_holidays=[datetime(2026, 1, 2, 10)])
	with pytest.raises(ValueError, match="needs a holiday_country"):
		BusinessCalendar(holiday_country=None, holiday_subdivision="CMX")


def test_other_country_falls_back_to_its_own_language():
	calendar = BusinessCalendar("America/New_York", holiday_country="US")
	assert calendar.holiday_name(date(2026, 7, 3)) is not None  # Independence Day (observed)
	assert calendar.timezone_name == "America/New_York"


def test_fixed_offset_timezone():
	minus6 = timezone(timedelta(hours=-6))
	calendar = BusinessCalendar(timezone=minus6, holiday_country=None)
	assert calendar.timezone_name == "UTC-06:00"
	# 17:00 CDT on 2021-10-29 is 16:00 at a fixed UTC-6: due the same day at closing.
	assert calendar.add_business_seconds(mx(2021, 10, 29, 17), TWO_HOURS) == datetime(
		2021, 10, 29, 18, tzinfo=minus6
	)
	assert calendar.add_business_seconds(datetime(2021, 10, 29, 17, tzinfo=minus6), TWO_HOURS) == datetime(
		2021, 11, 1, 10, tzinfo=minus6
	)


def test_microseconds_are_kept_exactly(calendar):
	start = mx(2026, 11, 6, 17, 59, 59, 500_000)
	due = calendar.add_business_seconds(start, 1)
	assert due == mx(2026, 11, 9, 9, 0, 0, 500_000)
	assert calendar.business_seconds_between(start, due) == 1


def test_server_tz_env_restored():
	# Guard for the fixture above: later tests see the original TZ again.
	assert os.environ.get("TZ") == ORIGINAL_TZ
