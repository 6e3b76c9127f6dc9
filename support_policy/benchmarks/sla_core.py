"""Benchmark: cost of BusinessCalendar.add_business_seconds by target length.

Run from the repository root:  python support_policy/benchmarks/sla_core.py [--compare OLD_CALENDAR_PY]
(``--smoke``: one short round, seconds, figures ignored; CI runs it so that the benchmark cannot rot)

The goal is a flat cost: a 2,000-business-hour target should cost about the same as a 1-hour one.

Table 1 mirrors part 1 of ``support_policy/benchmarks/sla_vs_erpnext.py`` (which needs a bench): the
same 48 start datetimes (36 random ones in 2025-2026 from the same seed plus 12 chosen edge cases:
weekends, holidays, before opening, after closing, at opening, at closing), aware in
America/Mexico_City, timed with ``timeit`` (GC off, each run = one call per start, best of 5) on a
warm calendar (holiday years loaded). It prints us per call, the ratio to the 1-hour target and the
flatness (slowest / fastest size). ERPNext's get_expected_time_for measured 235 us per call at 200 h
on the bench machine; the goal there is >= 100x, i.e. about 2.3 us or less at every size.

``--compare`` times another version of ``support_policy/sla/calendar.py`` side by side in the same run,
e.g. the committed one::

    git show HEAD:support_policy/sla/calendar.py > /tmp/calendar_head.py
    python support_policy/benchmarks/sla_core.py --compare /tmp/calendar_head.py

Tables 2 and 3 use 64 starts spread over 2025 (97 h 13 min apart: every hour of the day and every
weekday come up); table 3 clears the per-day interval cache before every call (the general path's
worst case: every request starts on a day not seen before; the fast path does not use that cache).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
import timeit
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
	from support_policy.sla import BusinessCalendar

HOURS = (1, 8, 40, 200, 2000)
CALLS = 2000
REPEATS = 5
SMOKE = False  # --smoke: one short round of everything (CI: it must run; the figures mean nothing)
SEED = 20261126  # the seed of sla_vs_erpnext.py
ERPNEXT_US = {1: 23.0, 200: 235.0, 2000: 2185.0}  # bench-machine figures, for the ratio goal


def starts() -> list[datetime]:
	tz = ZoneInfo("America/Mexico_City")
	first = datetime(2025, 1, 6, 8, 17, 23, tzinfo=tz)
	# 97 h 13 min steps: every hour of the day and every weekday come up.
	return [first + timedelta(minutes=i * (97 * 60 + 13)) for i in range(64)]


def bench_starts() -> list[datetime]:
	"""The 48 start datetimes of sla_vs_erpnext.py's part 1 (same seed, same construction)."""
	tz = ZoneInfo("America/Mexico_City")
	rng = random.Random(SEED)
	first = datetime(2025, 1, 1, tzinfo=tz)
	span = int((datetime(2027, 1, 1, tzinfo=tz) - first).total_seconds())
	points = [first + timedelta(seconds=rng.randrange(span)) for _ in range(36)]
	chosen = [
		datetime(2025, 3, 8, 11, 0),  # Saturday
		datetime(2026, 5, 10, 20, 30),  # Sunday night
		datetime(2025, 11, 17, 10, 0),  # Monday, Día de la Revolución
		datetime(2026, 9, 16, 12, 0),  # Wednesday, Día de la Independencia
		datetime(2025, 12, 25, 9, 0),  # Thursday, Navidad
		datetime(2026, 2, 2, 8, 0),  # Monday, Día de la Constitución
		datetime(2025, 6, 3, 7, 45),  # Tuesday before opening
		datetime(2025, 10, 31, 18, 30),  # Friday after closing
		datetime(2026, 3, 4, 9, 0),  # Wednesday at opening
		datetime(2026, 3, 5, 18, 0),  # Thursday at closing
		datetime(2025, 9, 15, 17, 30),  # Monday 17:30, the next day is a holiday
		datetime(2026, 11, 15, 10, 0),  # Sunday before a Monday holiday
	]
	return points + [moment.replace(tzinfo=tz) for moment in chosen]


def per_call_timeit(calendar: BusinessCalendar, seconds: int, points: list[datetime]) -> float:
	"""Like sla_vs_erpnext.py: timeit (GC off), autorange, best of 5, us per call."""
	add = calendar.add_business_seconds

	def run() -> None:
		for moment in points:
			add(moment, seconds)

	timer = timeit.Timer(run)
	number = 1 if SMOKE else timer.autorange()[0]
	return min(timer.repeat(repeat=REPEATS, number=number)) / (number * len(points)) * 1e6


def measure(calendar: BusinessCalendar, seconds: int, points: list[datetime], cold: bool) -> float:
	"""Best-of-REPEATS microseconds per call."""
	add = calendar.add_business_seconds
	cache = calendar._span_cache
	n = len(points)
	best = float("inf")
	for _ in range(REPEATS):
		began = time.perf_counter()
		for i in range(CALLS):
			if cold:
				cache.clear()
			add(points[i % n], seconds)
		best = min(best, (time.perf_counter() - began) / CALLS * 1e6)
	return best


def load_calendar_class(path: str) -> type:
	"""BusinessCalendar from another copy of calendar.py (it imports nothing relative)."""
	spec = importlib.util.spec_from_file_location("_sla_calendar_compare", path)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module.BusinessCalendar


def bench_table(calendars: dict[str, BusinessCalendar]) -> None:
	points = bench_starts()
	tz = ZoneInfo("America/Mexico_City")
	utc = ZoneInfo("UTC")
	for calendar in calendars.values():  # load every holiday year the runs touch
		for point in points:
			calendar.add_business_seconds(point, max(HOURS) * 3600)
	if len(calendars) > 1:  # the versions must agree (compared in UTC: see the calendar's docstring)
		first, *others = calendars.values()
		for hours in HOURS:
			for point in points:
				due = first.add_business_seconds(point, hours * 3600)
				for other in others:
					assert other.add_business_seconds(point, hours * 3600).astimezone(utc) == due.astimezone(
						utc
					)
	print(
		f"\nadd_business_seconds, sla_vs_erpnext.py style: {len(points)} starts in {tz.key} "
		f"(36 random 2025-2026 + 12 edge cases), timeit best of {REPEATS}, GC off, warm calendar"
	)
	names = list(calendars)
	header = f"{'target (business h)':>20}" + "".join(f" {name + ' us/call':>18}" for name in names)
	if len(names) > 1:
		header += f" {'speed-up':>9}"
	header += f" {'ERPNext/ours*':>14}"
	print(header)
	results: dict[str, list[float]] = {name: [] for name in names}
	for hours in HOURS:
		row = f"{hours:>20}"
		for name in names:
			value = per_call_timeit(calendars[name], hours * 3600, points)
			results[name].append(value)
			row += f" {value:>18.2f}"
		if len(names) > 1:
			row += f" {results[names[1]][-1] / results[names[0]][-1]:>8.1f}x"
		erp = ERPNEXT_US.get(hours)
		row += f" {erp / results[names[0]][-1]:>13.0f}x" if erp else f" {'':>14}"
		print(row)
	for name in names:
		values = results[name]
		print(
			f"{name}: flatness (slowest / fastest size) {max(values) / min(values):.2f}, "
			f"2,000 h / 1 h {values[-1] / values[0]:.2f}"
		)
	print("* ERPNext's figures were measured on the bench machine, ours on this one: indicative only.")


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
	parser.add_argument("--compare", metavar="CALENDAR_PY", help="another calendar.py to time side by side")
	parser.add_argument("--smoke", action="store_true", help="a few seconds, figures ignored (CI)")
	args = parser.parse_args()
	if args.smoke:
		global CALLS, REPEATS, SMOKE
		CALLS, REPEATS, SMOKE = 50, 1, True
	# This checkout first on the path (the repository root), before the bench's copy of the app.
	sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
	from support_policy.sla import BusinessCalendar

	print(f"python {sys.version.split()[0]}" + (" | smoke run: the figures mean nothing" if SMOKE else ""))
	calendars = {"current": BusinessCalendar()}
	if args.compare:
		calendars["compared"] = load_calendar_class(args.compare)()
	bench_table(calendars)

	calendar = calendars["current"]
	points = starts()
	for point in points:  # load every holiday year the runs touch
		calendar.add_business_seconds(point, max(HOURS) * 3600)
	print(f"\n{CALLS} calls x best of {REPEATS}, {len(points)} start points spread over 2025")
	for cold in (False, True):
		title = "per-day cache cleared before each call" if cold else "warm per-day cache"
		print(f"\nadd_business_seconds ({title})")
		print(f"{'target (business h)':>20} {'us/call':>10} {'ratio to 1 h':>13}")
		base = None
		for hours in HOURS:
			per_call = measure(calendar, hours * 3600, points, cold)
			base = base or per_call
			print(f"{hours:>20} {per_call:>10.2f} {per_call / base:>13.2f}")


if __name__ == "__main__":
	main()
