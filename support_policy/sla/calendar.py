"""Business-hours calendar: working intervals per weekday in a time zone, minus public holidays.

Framework-free (no frappe import). Every method takes and returns timezone-aware datetimes; results are
given in the calendar's time zone. Internally instants are integer microseconds since the Unix epoch (UTC),
so all arithmetic is exact.

Time-zone model
	Working intervals are written in local wall-clock time and measured in **real elapsed time**. A wall
	time is mapped to the first instant at which the local clock shows that time or later: an ordinary
	time to its only instant, a repeated time (clocks turned back) to its first occurrence, a skipped time
	(clocks turned forward) to the instant of the jump. So an interval 00:00-04:00 on a day whose clocks
	go back at 02:00 lasts 5 real hours, and 4 wall-clock hours of a day whose clocks go forward last 3.
	The 24x7 calendar of :meth:`BusinessCalendar.always_open` therefore counts real elapsed seconds across
	a daylight-saving change. The server's own time zone (``TZ``) never matters.

	A result inside a repeated hour carries ``fold=1`` when it is the second occurrence. Note that Python
	(PEP 495) never considers such a datetime equal to one in another zone, so compare results in UTC.

Cost model
	Whole weeks are skipped arithmetically (business seconds of a regular week); the days that differ from
	their weekday's regular amount (holidays on working weekdays, days with a time-zone change) are kept in
	a sorted list with prefix sums and counted with :func:`bisect.bisect_left`. Only the last week of a
	window (plus any holidays in it) is walked day by day, so a 2,000-hour target costs about the same as a
	1-hour one. Holidays are resolved with the ``holidays`` package lazily, one year at a time, and cached.

Fast path (:meth:`BusinessCalendar.add_business_seconds`, :meth:`BusinessCalendar.business_seconds_between`)
	Generic instant <-> wall-clock conversions (``astimezone``, timedelta arithmetic, big-int microseconds)
	cost more than the deadline arithmetic itself, so warm calls skip them. Over the block of loaded
	years the calendar keeps a *day table* (:meth:`BusinessCalendar._build_table`): per local day its
	working intervals in wall-clock seconds after midnight, its date, and the real working seconds of all
	days before it (a cumulative array). A day is *plain* when it is not a clock-change day, i.e. the UTC
	offset is the same at the local midnights from the day before to two days after it (the check that
	finds clock-change days for the cost model; in the tz database consecutive offset changes are days
	apart, so nothing happens in between). On a plain day the clock runs at one offset: wall-clock time
	after midnight **is** real elapsed time, a datetime in the calendar's zone is read straight from its
	fields and a deadline is written back with the ``datetime`` constructor (never ambiguous, so
	``fold=0``), with no trip through UTC. A moment is then a *position*: working seconds from the table's
	first day up to it (plus its microsecond when it lies in working time; interval bounds are whole
	seconds, so a working second never straddles two intervals). A deadline is one
	:func:`bisect.bisect_right` over the cumulative array and a walk over one day's intervals, whatever
	the target. Starts or deadlines on clock-change days or outside the table, calendars with sub-second
	interval bounds, argument errors and datetime subclasses take the general path above, which gives the
	same results.
"""

from __future__ import annotations

import operator
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

__all__ = ["DEFAULT_INTERVALS", "EXTRA_HOLIDAY_NAME", "WEEKDAY_NAMES", "BusinessCalendar"]

US = 1_000_000  # microseconds per second: the internal unit
DAY_US = 86_400 * US
_ONE_US = timedelta(microseconds=1)
_UTC = dt_timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_SPAN_CACHE_LIMIT = 4096
# A request can never wait longer than this for the next opening (guards against calendars that are
# closed forever, e.g. every working day listed as an extra holiday).
_MAX_CLOSED_DAYS = 366 * 20

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: The policy's hours: Monday to Friday, 9:00 to 18:00.
DEFAULT_INTERVALS = tuple((weekday, time(9, 0), time(18, 0)) for weekday in range(5))

#: Name given to extra holidays passed as plain dates (without a name).
EXTRA_HOLIDAY_NAME = "Día inhábil"


def check_seconds(value: int, name: str = "seconds") -> int:
	"""``value`` as a plain int of seconds: TypeError for anything but an int (bool included),
	ValueError when negative. The one argument check of durations (calendar and timers)."""
	if isinstance(value, bool):
		raise TypeError(f"{name} must be an int")
	try:
		number = operator.index(value)
	except TypeError:
		raise TypeError(f"{name} must be an int, got {type(value).__name__}") from None
	if number < 0:
		raise ValueError(f"{name} must not be negative, got {number}")
	return number


def check_aware(value: datetime, name: str = "dt") -> datetime:
	"""``value`` if it is a timezone-aware datetime: TypeError for anything else than a datetime,
	ValueError for a naive one. The one argument check of moments (calendar and timer events)."""
	if not isinstance(value, datetime):
		raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
	if value.tzinfo is None or value.utcoffset() is None:
		raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
	return value


def _fmt_day_us(value: int) -> str:
	seconds, micro = divmod(value, US)
	hours, rest = divmod(seconds, 3600)
	minutes, secs = divmod(rest, 60)
	text = f"{hours:02d}:{minutes:02d}"
	if secs or micro:
		text += f":{secs:02d}"
	if micro:
		text += f".{micro:06d}"
	return text


def _day_us(value: object, what: str, *, is_end: bool) -> int:
	"""A time of day as microseconds after local midnight.

	Accepts ``datetime.time``, ``datetime.timedelta`` (how Frappe returns Time fields) and "HH:MM[:SS]".
	An end may be 24:00 (``timedelta(hours=24)`` or "24:00") meaning the end of that day.
	"""
	if isinstance(value, str):
		text = value.strip()
		if is_end and text in ("24:00", "24:00:00"):
			return DAY_US
		try:
			value = time.fromisoformat(text)
		except ValueError:
			raise ValueError(f"{what}: {value!r} is not a time of day (HH:MM or HH:MM:SS)") from None
	if isinstance(value, time):
		if value.tzinfo is not None:
			raise ValueError(f"{what}: give a plain wall-clock time without tzinfo, got {value!r}")
		return ((value.hour * 60 + value.minute) * 60 + value.second) * US + value.microsecond
	if isinstance(value, timedelta):
		result = value // _ONE_US
		limit = DAY_US if is_end else DAY_US - 1
		if not 0 <= result <= limit:
			raise ValueError(f"{what}: {value!r} is not a time of day between 00:00 and 24:00")
		return result
	raise ValueError(f"{what}: expected datetime.time, timedelta or 'HH:MM', got {type(value).__name__}")


def _parse_intervals(intervals: Iterable) -> tuple[tuple[tuple[int, int], ...], ...]:
	"""Validate ``(weekday, start, end)`` rows; return per weekday a sorted tuple of (start_us, end_us).

	Intervals that touch (one ends when the next starts) are merged; overlapping ones are rejected.
	"""
	per_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
	for position, row in enumerate(intervals):
		try:
			weekday, start, end = row
		except (TypeError, ValueError):
			raise ValueError(
				f"working interval #{position}: expected (weekday, start_time, end_time), got {row!r}"
			) from None
		if isinstance(weekday, bool):
			raise ValueError(f"working interval #{position}: weekday must be an int 0-6, got {weekday!r}")
		try:
			weekday = operator.index(weekday)
		except TypeError:
			raise ValueError(
				f"working interval #{position}: weekday must be an int 0 (Monday) - 6 (Sunday), "
				f"got {weekday!r}"
			) from None
		if not 0 <= weekday <= 6:
			raise ValueError(
				f"working interval #{position}: weekday must be 0 (Monday) - 6 (Sunday), got {weekday}"
			)
		start_us = _day_us(start, f"working interval #{position} start", is_end=False)
		end_us = _day_us(end, f"working interval #{position} end", is_end=True)
		if end_us <= start_us:
			raise ValueError(
				f"working interval #{position} on {WEEKDAY_NAMES[weekday]}: "
				f"end {_fmt_day_us(end_us)} must be after start {_fmt_day_us(start_us)} on the same day"
			)
		per_day[weekday].append((start_us, end_us))
	result = []
	for weekday, spans in enumerate(per_day):
		spans.sort()
		merged: list[tuple[int, int]] = []
		for start_us, end_us in spans:
			if merged and start_us < merged[-1][1]:
				prev = merged[-1]
				raise ValueError(
					f"working intervals overlap on {WEEKDAY_NAMES[weekday]}: "
					f"{_fmt_day_us(prev[0])}-{_fmt_day_us(prev[1])} and "
					f"{_fmt_day_us(start_us)}-{_fmt_day_us(end_us)}"
				)
			if merged and start_us == merged[-1][1]:
				merged[-1] = (merged[-1][0], end_us)
			else:
				merged.append((start_us, end_us))
		result.append(tuple(merged))
	if not any(result):
		raise ValueError("a business calendar needs at least one working interval")
	return tuple(result)


def _parse_extra_holidays(extra: Mapping | Iterable) -> dict[date, str]:
	if isinstance(extra, Mapping):
		items = list(extra.items())
	else:
		items = [(day, EXTRA_HOLIDAY_NAME) for day in extra]
	result: dict[date, str] = {}
	for day, name in items:
		if isinstance(day, str):
			try:
				day = date.fromisoformat(day)
			except ValueError:
				raise ValueError(f"extra holiday {day!r} is not an ISO date (YYYY-MM-DD)") from None
		if isinstance(day, datetime) or not isinstance(day, date):
			raise ValueError(f"extra holidays must be dates, got {day!r}")
		result[day] = str(name) if name else EXTRA_HOLIDAY_NAME
	return result


class BusinessCalendar:
	"""Working hours in a time zone, minus public holidays of a country and extra closure dates.

	Args:
		timezone: IANA name (e.g. ``"America/Mexico_City"``) or a ``ZoneInfo`` / fixed ``datetime.timezone``.
		intervals: ``(weekday, start, end)`` rows, weekday 0 = Monday ... 6 = Sunday, start and end local
			wall-clock ``datetime.time`` values with end after start on the same day (Frappe's ``timedelta``
			Time values and "HH:MM" strings are accepted too; an end of 24:00 may be given as
			``timedelta(hours=24)`` or "24:00"). Several intervals per day make split shifts; touching ones
			are merged, overlapping or empty ones raise ``ValueError``. Default: Monday-Friday 9:00-18:00.
		holiday_country: ISO country code for the ``holidays`` package (``None``: no public holidays).
		extra_holidays: more closed dates, either a mapping ``{date: name}`` or an iterable of dates
			(named :data:`EXTRA_HOLIDAY_NAME`).
		holiday_subdivision: subdivision code for the ``holidays`` package (state/province holidays).
		holiday_language: language of holiday names (default Spanish, ``"es"``); if the country's calendar
			does not offer it, its default language is used.

	Public holidays are computed by the ``holidays`` package for whatever year is asked (lazily, cached
	per year; the package covers 1901-2100). A holiday closes the whole local day.
	"""

	def __init__(
		self,
		timezone: str | tzinfo = "America/Mexico_City",
		intervals: Iterable | None = None,
		holiday_country: str | None = "MX",
		extra_holidays: Mapping[date, str] | Iterable[date] = (),
		holiday_subdivision: str | None = None,
		holiday_language: str | None = "es",
	) -> None:
		self._tz = self._resolve_timezone(timezone)
		self._day_spans = _parse_intervals(DEFAULT_INTERVALS if intervals is None else intervals)
		self._day_nominal = tuple(sum(end - start for start, end in spans) for spans in self._day_spans)
		self._week_us = sum(self._day_nominal)
		prefix = [0]
		for value in self._day_nominal:
			prefix.append(prefix[-1] + value)
		self._week_prefix = tuple(prefix)
		self._extra = _parse_extra_holidays(extra_holidays)
		self._country = holiday_country.strip().upper() if holiday_country else None
		self._subdivision = holiday_subdivision or None
		self._language = None
		if self._country:
			try:
				probe = holidays_lib.country_holidays(self._country, subdiv=self._subdivision, years=[])
			except NotImplementedError as exc:
				raise ValueError(f"holidays for {self._country!r} are not available: {exc}") from None
			supported = getattr(probe, "supported_languages", ()) or ()
			if holiday_language and holiday_language in supported:
				self._language = holiday_language
		elif holiday_subdivision:
			raise ValueError("holiday_subdivision needs a holiday_country")
		# Lazily filled, per year.
		self._lock = threading.Lock()
		self._years: set[int] = set()
		self._names: dict[date, str] = {}
		self._closed: set[int] = set()  # ordinals of holidays
		self._delta: dict[int, int] = {}  # ordinal -> real working us minus the weekday's regular amount
		self._index: tuple[list[int], list[int]] = ([], [0])  # sorted ordinals of _delta, prefix sums
		self._span_cache: dict[int, tuple[tuple[int, int], ...]] = {}
		self._covered = (1, 0)  # ordinals [low, high] of a contiguous block of loaded years (empty)
		self._clock_days: set[int] = set()  # ordinals of days near a UTC-offset change (not "plain")
		# The fast path's day table over self._covered (see _build_table); None: build on next use.
		self._table: tuple | None = None

	@classmethod
	def always_open(cls, timezone: str | tzinfo = "UTC") -> BusinessCalendar:
		"""A 24x7 calendar without holidays, for targets measured around the clock.

		It counts real elapsed seconds, also across daylight-saving changes of ``timezone``.
		"""
		return cls(
			timezone=timezone,
			intervals=[(weekday, timedelta(0), timedelta(hours=24)) for weekday in range(7)],
			holiday_country=None,
		)

	@staticmethod
	def _resolve_timezone(value: str | tzinfo) -> tzinfo:
		if isinstance(value, str):
			try:
				return ZoneInfo(value)
			except (ZoneInfoNotFoundError, ValueError):
				raise ValueError(f"unknown time zone {value!r}") from None
		if isinstance(value, (ZoneInfo, dt_timezone)):
			return value
		raise ValueError(
			f"timezone must be an IANA name, a ZoneInfo or a fixed datetime.timezone, got {value!r}"
		)

	# -- description -------------------------------------------------------------------------------

	@property
	def timezone(self) -> tzinfo:
		"""The calendar's time zone (a ``ZoneInfo`` unless a fixed offset was given)."""
		return self._tz

	@property
	def timezone_name(self) -> str:
		"""The time zone as a string, e.g. ``"America/Mexico_City"``."""
		return getattr(self._tz, "key", None) or str(self._tz)

	@property
	def weekly_business_seconds(self) -> int:
		"""Working seconds in a regular week (no holidays, no clock change)."""
		return self._week_us // US

	def __repr__(self) -> str:
		days = []
		for weekday, spans in enumerate(self._day_spans):
			if spans:
				text = ",".join(f"{_fmt_day_us(a)}-{_fmt_day_us(b)}" for a, b in spans)
				days.append(f"{WEEKDAY_NAMES[weekday][:3]} {text}")
		return (
			f"BusinessCalendar({self.timezone_name!r}, [{'; '.join(days)}], "
			f"holiday_country={self._country!r}, extra_holidays={len(self._extra)})"
		)

	# -- public API ----------------------------------------------------------------------------------

	def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
		"""The moment at which ``seconds`` of working time have elapsed since ``start``.

		The deadline always lands in working time: a target that is used up exactly at closing time is due
		at closing time (e.g. 18:00), not at the next opening. With ``seconds == 0`` the result is ``start``
		if it is in working time, else the next opening (the moment the clock starts).
		Cost does not depend on ``seconds``.
		"""
		# The day-table fast path answers warm calls; whatever it cannot answer takes the general path.
		result = self._fast_add(start, seconds)
		if result is None:
			result = self._add_general(start, seconds)
		return result

	def _fast_add(self, start: datetime, seconds: int) -> datetime | None:
		"""add_business_seconds on the day table (module docstring, "Fast path"), or None when the start
		or the deadline is not on a plain day of the table (or the arguments need checking)."""
		table = self._table or self._build_table()
		if table is None or type(seconds) is not int or seconds < 0 or type(start) is not datetime:
			return None
		tz = self._tz
		if start.tzinfo is not tz:
			if start.utcoffset() is None:  # naive: the general path raises
				return None
			start = start.astimezone(tz)  # the same instant on the calendar's wall clock
		_covered, base, n, days, dates, cum = table
		i = start.toordinal() - base
		if not 0 <= i < n or (spans := days[i]) is None:
			return None
		# The start's position (whole seconds): working seconds of the table's days before its day, plus
		# those of its day before its wall-clock second (= real time on a plain day).
		w = (start.hour * 60 + start.minute) * 60 + start.second
		position = cum[i]
		micro = 0
		for a, b in spans:
			if w < a:
				break
			if w < b:  # in working time: the start's microsecond counts too
				micro = start.microsecond
				position += w - a
				break
			position += b - a
		# Find the working second that ends the target. From a whole-second start: the second [t - 1, t)
		# that completes it, and t is due (a target used up at closing time is due at closing time); for
		# 0 seconds, the next working second [t, t + 1): t is the next opening or the start itself. From
		# second w plus micro us inside working time: micro us into the working second that starts
		# `seconds` after w. Interval bounds are whole seconds: a working second never straddles two.
		if seconds and not micro:
			position += seconds - 1
			tail = 1
		else:
			position += seconds
			tail = 0
		k = bisect_right(cum, position, i + 1)  # the first day that starts after that second
		if k > n or (spans := days[k - 1]) is None:
			return None
		r = position - cum[k - 1]  # 0 <= r < the day's working seconds
		for a, b in spans:
			if r < b - a:
				t = a + r + tail
				break
			r -= b - a
		if t == 86_400:  # due at a 24:00 closing: the next day's midnight
			k += 1
			t = 0
			if k > n:
				return None
		year, month, day = dates[k - 1]
		h = t // 3600
		t -= h * 3600
		m = t // 60
		return datetime(year, month, day, h, m, t - m * 60, micro, tz)

	def _add_general(self, start: datetime, seconds: int) -> datetime:
		"""add_business_seconds in microseconds since the epoch (validates the arguments)."""
		need = check_seconds(seconds) * US
		u = self._to_us(start, "start")
		if need == 0:
			result = self._from_us(self._next_opening_us(u))
		else:
			result = self._from_us(self._add_us(u, need))
		self._check_table()
		return result

	def business_seconds_between(self, start: datetime, end: datetime) -> int:
		"""Whole seconds of working time in ``[start, end)``; 0 if ``end <= start``."""
		# Fast path (module docstring): both ends on plain days of the day table.
		if type(start) is datetime and type(end) is datetime:
			tz = self._tz
			if start.tzinfo is not tz and start.utcoffset() is not None:
				start = start.astimezone(tz)
			if end.tzinfo is not tz and end.utcoffset() is not None:
				end = end.astimezone(tz)
			if start.tzinfo is tz and end.tzinfo is tz:
				first, last = start.toordinal(), end.toordinal()
				self._ensure(first - 1, last + 1)
				table = self._table or self._build_table()
				if table is not None:
					begin, finish = self._position(table, start, first), self._position(table, end, last)
					if begin is not None and finish is not None:
						# Positions grow with the instant, so end <= start gives <= 0.
						elapsed = (finish[0] - begin[0]) * US + finish[1] - begin[1]
						return elapsed // US if elapsed > 0 else 0
		result = self._business_us(self._to_us(start, "start"), self._to_us(end, "end")) // US
		self._check_table()
		return result

	def is_working_time(self, dt: datetime) -> bool:
		"""Whether ``dt`` falls inside a working interval (opening time included, closing time excluded)."""
		u = self._to_us(dt, "dt")
		local = self._local_ordinal(u)
		self._ensure(local - 1, local + 1)
		for ordinal in (local - 1, local, local + 1):
			for a, b in self._spans(ordinal):
				if a <= u < b:
					return True
		return False

	def next_opening(self, dt: datetime) -> datetime:
		"""``dt`` itself if it is working time, else the start of the next working interval."""
		return self._from_us(self._next_opening_us(self._to_us(dt, "dt")))

	def holiday_name(self, d: date) -> str | None:
		"""The holiday's name (Spanish by default, e.g. "Día de la Revolución") or ``None``.

		A datetime is first converted to the calendar's local date. Several holidays on one date are
		joined with "; ".
		"""
		if isinstance(d, datetime):
			d = self._from_us(self._to_us(d, "d")).date()
		elif not isinstance(d, date):
			raise ValueError(f"holiday_name needs a date, got {d!r}")
		self._ensure_year(d.year)
		return self._names.get(d)

	def clock_start(self, dt: datetime) -> tuple[datetime, list[tuple[date, str]]]:
		"""When the clock starts for a request raised at ``dt``, and the holidays that delayed it.

		Returns ``(start, [(date, name), ...])``: ``start`` is :meth:`next_opening` of ``dt``; the list
		holds the holidays between ``dt``'s local date and ``start``'s local date whose working hours would
		otherwise have started the clock earlier (a holiday on a non-working weekday, or one whose hours had
		already passed at ``dt``, is not listed). E.g. Sunday 2026-11-15 gives Tuesday 2026-11-17 09:00 and
		``[(date(2026, 11, 16), "Día de la Revolución")]``.
		"""
		u = self._to_us(dt, "dt")
		start = self._next_opening_us(u)
		first, last = self._local_ordinal(u), self._local_ordinal(start)
		self._ensure(first, last)
		skipped = []
		for ordinal in range(first, last + 1):
			if ordinal not in self._closed:
				continue
			if any(b > u for _a, b in self._raw_spans(ordinal)):
				day = date.fromordinal(ordinal)
				skipped.append((day, self._names[day]))
		return self._from_us(start), skipped

	# -- validation and conversion -------------------------------------------------------------------

	@staticmethod
	def _to_us(dt: datetime, name: str = "dt") -> int:
		"""An aware datetime as integer microseconds since the epoch (naive input -> ValueError)."""
		return (check_aware(dt, name) - _EPOCH) // _ONE_US

	def _from_us(self, u: int) -> datetime:
		return (_EPOCH + timedelta(microseconds=u)).astimezone(self._tz)

	def _local_ordinal(self, u: int) -> int:
		return self._from_us(u).toordinal()

	def _offset_at(self, u: int) -> timedelta:
		return (_EPOCH + timedelta(microseconds=u)).astimezone(self._tz).utcoffset()

	def _localize(self, midnight: datetime, day_us: int) -> int:
		"""First instant (us) at which the local clock shows ``midnight + day_us`` or later."""
		naive = midnight + timedelta(microseconds=day_us)
		tz = self._tz
		before = naive.replace(tzinfo=tz).utcoffset()
		after = naive.replace(tzinfo=tz, fold=1).utcoffset()
		if before >= after:
			# Unique time, or a repeated one (fold=0 is its first occurrence).
			return (naive - before - _EPOCH_NAIVE) // _ONE_US
		# Skipped by a forward jump: find the jump instant between the two readings.
		lo = (naive - after - _EPOCH_NAIVE) // _ONE_US  # before the jump
		hi = (naive - before - _EPOCH_NAIVE) // _ONE_US  # at or after the jump
		while hi - lo > 1:
			mid = (lo + hi) // 2
			if self._offset_at(mid) == before:
				lo = mid
			else:
				hi = mid
		return hi

	# -- per-day data --------------------------------------------------------------------------------

	def _raw_spans(self, ordinal: int) -> tuple[tuple[int, int], ...]:
		"""The day's working intervals as real instants, ignoring holidays (zero-length ones dropped)."""
		spans = self._day_spans[(ordinal - 1) % 7]
		if not spans:
			return ()
		midnight = datetime.fromordinal(ordinal)
		result = []
		for start, end in spans:
			a = self._localize(midnight, start)
			b = self._localize(midnight, end)
			if b > a:
				result.append((a, b))
		return tuple(result)

	def _spans(self, ordinal: int) -> tuple[tuple[int, int], ...]:
		"""Working intervals of a local day as real instants; () on holidays. The year must be loaded."""
		cached = self._span_cache.get(ordinal)
		if cached is not None:
			return cached
		result = () if ordinal in self._closed else self._raw_spans(ordinal)
		if len(self._span_cache) >= _SPAN_CACHE_LIMIT:
			self._span_cache.clear()
		self._span_cache[ordinal] = result
		return result

	def _cumulative(self, ordinal: int, index: tuple[list[int], list[int]]) -> int:
		"""Working us of all days before ``ordinal`` (from an arbitrary origin; only differences count,
		and only between ordinals whose years are all loaded)."""
		weeks, weekday = divmod(ordinal - 1, 7)
		ordinals, prefix = index
		return weeks * self._week_us + self._week_prefix[weekday] + prefix[bisect_left(ordinals, ordinal)]

	# -- the fast path's day table -------------------------------------------------------------------

	def _build_table(self) -> tuple | None:
		"""The day table over the loaded block ``self._covered``, cached in ``self._table`` until a year is
		loaded; None while nothing is loaded or if an interval bound is not a whole second.

		``(covered, base, n, days, dates, cum)``, all in whole seconds: for the ``n`` local days from
		ordinal ``base`` on, ``days[i]`` is the day's working intervals in wall-clock seconds after midnight
		(the weekday's, or ``()`` on a holiday) if the day is plain, ``None`` if it is near a clock change;
		``dates[i]`` is its ``(year, month, day)``; ``cum[i]`` is the real working seconds of the days
		before it (``n + 1`` entries; clock-change days count with their real amount). Seconds keep the
		arithmetic on small ints. Data of loaded years never changes, so a table built while another thread
		loads a year stays correct (it just covers less; see _check_table).
		"""
		covered = self._covered
		low, high = covered
		if low > high:
			return None
		if any(bound % US for spans in self._day_spans for span in spans for bound in span):
			return None
		day_spans = tuple(tuple((a // US, b // US) for a, b in spans) for spans in self._day_spans)
		ordinals, prefix = self._index  # the per-day adjustments, as one published snapshot
		delta = {o: prefix[k + 1] - prefix[k] for k, o in enumerate(ordinals) if low <= o <= high}
		closed, clock_days, nominal = self._closed, self._clock_days, self._day_nominal
		days: list[tuple[tuple[int, int], ...] | None] = []
		dates: list[tuple[int, int, int]] = []
		cum = [0]
		total = 0
		for ordinal in range(low, high + 1):
			weekday = (ordinal - 1) % 7
			if ordinal in clock_days:
				days.append(None)
				real = nominal[weekday] + delta.get(ordinal, 0)
				if real % US:  # a clock change by a fraction of a second: leave it all to the general path
					return None
				total += real // US
			elif ordinal in closed:
				days.append(())
			else:
				days.append(day_spans[weekday])
				total += nominal[weekday] // US
			cum.append(total)
			day = date.fromordinal(ordinal)
			dates.append((day.year, day.month, day.day))
		table = (covered, low, high - low + 1, days, dates, cum)
		self._table = table
		return table

	def _check_table(self) -> None:
		"""After a general-path call: drop a table built for an older loaded block."""
		table = self._table
		if table is not None and table[0] != self._covered:
			self._table = None

	@staticmethod
	def _position(table: tuple, dt: datetime, ordinal: int) -> tuple[int, int] | None:
		"""Working time from the table's first day up to ``dt`` (in the calendar's zone, local day
		``ordinal``) as (seconds, microseconds); None unless that day is a plain day of the table."""
		_covered, base, n, days, _dates, cum = table
		i = ordinal - base
		if not 0 <= i < n or (spans := days[i]) is None:
			return None
		w = (dt.hour * 60 + dt.minute) * 60 + dt.second
		position = cum[i]
		for a, b in spans:
			if w < a:
				break
			if w < b:  # bounds are whole seconds: the microsecond stays inside the interval
				return position + w - a, dt.microsecond
			position += b - a
		return position, 0

	# -- lazy per-year holiday and clock-change data ---------------------------------------------------

	def _ensure(self, first_ordinal: int, last_ordinal: int) -> None:
		"""Load the holiday and clock-change data of every year that the ordinals span."""
		low, high = self._covered
		if low <= first_ordinal and last_ordinal <= high:
			return
		first_year = date.fromordinal(max(first_ordinal, 1)).year
		last_year = date.fromordinal(min(last_ordinal, date.max.toordinal())).year
		for year in range(first_year, last_year + 1):
			if year not in self._years:
				self._ensure_year(year)

	def _ensure_year(self, year: int) -> None:
		if year in self._years:
			return
		with self._lock:
			if year in self._years:
				return
			self._load_year(year)

	def _load_year(self, year: int) -> None:
		names: dict[date, str] = {}
		if self._country and 1 <= year <= 9999:
			found = holidays_lib.country_holidays(
				self._country, subdiv=self._subdivision, years=year, language=self._language
			)
			for day, name in found.items():
				if day.year == year:
					names[day] = name
		for day, name in self._extra.items():
			if day.year == year:
				previous = names.get(day)
				names[day] = name if not previous or previous == name else f"{previous}; {name}"
		delta: dict[int, int] = {}
		closed = {day.toordinal() for day in names}
		for ordinal in closed:
			nominal = self._day_nominal[(ordinal - 1) % 7]
			if nominal:
				delta[ordinal] = -nominal
		clock_days = self._clock_change_days(year)
		for ordinal in clock_days:
			if ordinal in closed:
				continue
			nominal = self._day_nominal[(ordinal - 1) % 7]
			if not nominal:
				continue
			real = sum(b - a for a, b in self._raw_spans(ordinal))
			if real != nominal:
				delta[ordinal] = real - nominal
		merged = {**self._delta, **delta}
		ordinals = sorted(merged)
		prefix = [0]
		for ordinal in ordinals:
			prefix.append(prefix[-1] + merged[ordinal])
		# Publish: readers take self._index as one snapshot.
		self._names.update(names)
		self._closed |= closed
		self._clock_days.update(clock_days)
		self._delta = merged
		self._index = (ordinals, prefix)
		for ordinal in closed:
			self._span_cache.pop(ordinal, None)
		self._years.add(year)
		# The contiguous block of loaded days that _ensure checks first and the day table covers: the run
		# of loaded years around this one, if it is at least as long as the current block.
		first_year = last_year = year
		while first_year - 1 in self._years:
			first_year -= 1
		while last_year + 1 in self._years:
			last_year += 1
		first, last = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
		low, high = self._covered
		if last - first >= high - low:
			self._covered = (first, last)
		self._table = None  # rebuilt on next use

	def _clock_change_days(self, year: int) -> list[int]:
		"""Ordinals of ``year``'s days near a UTC-offset change (checked at each local midnight)."""
		if isinstance(self._tz, dt_timezone):
			return []
		first = max(date(year, 1, 1).toordinal() - 2, 1)
		last = min(date(year, 12, 31).toordinal() + 2, date.max.toordinal())
		year_first, year_last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
		candidates: set[int] = set()
		previous = None
		for ordinal in range(first, last + 1):
			offset = datetime.fromordinal(ordinal).replace(tzinfo=self._tz).utcoffset()
			if previous is not None and offset != previous:
				candidates.update((ordinal - 2, ordinal - 1, ordinal))
			previous = offset
		return sorted(o for o in candidates if year_first <= o <= year_last)

	# -- core algorithms (microseconds) --------------------------------------------------------------

	def _next_opening_us(self, u: int) -> int:
		"""``u`` if it is working time, else the start of the next working interval."""
		ordinal = self._local_ordinal(u) - 1
		self._ensure(ordinal, ordinal + 2)
		for _ in range(_MAX_CLOSED_DAYS):
			for a, b in self._spans(ordinal):
				if b > u:
					return max(a, u)
			ordinal += 1
			self._ensure(ordinal, ordinal)
		raise ValueError(f"the calendar has no working time within {_MAX_CLOSED_DAYS} days")

	def _add_us(self, u: int, need: int) -> int:
		"""The instant at which ``need`` (> 0) working microseconds have elapsed since ``u``."""
		local = self._local_ordinal(u)
		self._ensure(local - 1, local + 1)
		# The days around u, clipped to [u, ...). Days from local + 2 on start after u.
		for ordinal in (local - 1, local, local + 1):
			for a, b in self._spans(ordinal):
				if b <= u:
					continue
				a = max(a, u)
				if need <= b - a:
					return a + need
				need -= b - a
		ordinal, need = self._crossing_day(local + 2, need)
		for a, b in self._spans(ordinal):
			if need <= b - a:
				return a + need
			need -= b - a
		raise AssertionError("internal error: day totals and day intervals disagree")  # pragma: no cover

	def _crossing_day(self, ordinal: int, remaining: int) -> tuple[int, int]:
		"""The day (from ``ordinal`` on, all of whose days lie after the start) on which ``remaining``
		(> 0) working us are used up, and what is left of it at that day's start."""
		week = self._week_us
		# Jump whole weeks while more than a week is left: arithmetic plus bisect over special days.
		weeks = (remaining - 1) // week
		while weeks >= 1:
			target = ordinal + 7 * weeks
			self._ensure(ordinal, target)
			index = self._index
			got = self._cumulative(target, index) - self._cumulative(ordinal, index)
			if got < remaining:
				ordinal, remaining = target, remaining - got
				weeks = (remaining - 1) // week
			else:  # only possible when clock changes add time; retry with a shorter jump
				weeks //= 2
		# Walk the last week (plus holidays) day by day.
		nominal = self._day_nominal
		high = -1
		for _ in range(_MAX_CLOSED_DAYS + 14):
			if ordinal > high:
				self._ensure(ordinal, ordinal)
				low, high = self._covered
				if not low <= ordinal <= high:
					high = ordinal
				delta = self._delta
			total = nominal[(ordinal - 1) % 7] + delta.get(ordinal, 0)
			if remaining <= total:
				return ordinal, remaining
			remaining -= total
			ordinal += 1
		raise ValueError(f"the calendar has no working time within {_MAX_CLOSED_DAYS} days")

	def _business_us(self, start: int, end: int) -> int:
		"""Working microseconds in ``[start, end)`` (0 if ``end <= start``)."""
		if end <= start:
			return 0
		local_start, local_end = self._local_ordinal(start), self._local_ordinal(end)
		self._ensure(local_start - 1, local_end + 1)
		index = self._index
		return self._elapsed_since_origin(end, local_end, index) - self._elapsed_since_origin(
			start, local_start, index
		)

	def _elapsed_since_origin(self, u: int, local: int, index: tuple[list[int], list[int]]) -> int:
		# Days before local - 1 end before u; days after local + 1 start after u.
		total = self._cumulative(local - 1, index)
		for ordinal in (local - 1, local, local + 1):
			for a, b in self._spans(ordinal):
				if a >= u:
					return total
				total += min(b, u) - a
		return total
