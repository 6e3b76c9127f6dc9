"""Benchmark: cost of BusinessCalendar.add_business_seconds by target length.

Run from the repository root:  python benchmarks/sla_core.py

The goal is a flat cost: a 2,000-business-hour target should cost about the same as a 1-hour one.
Starts are spread over 2025-2026 (working time, nights, weekends, holidays) on the Mexican calendar;
holiday years are loaded before timing. The second table clears the per-day interval cache before every
call (the worst case: every request starts on a day not seen before).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
	from support_policy.sla import BusinessCalendar

HOURS = (1, 8, 40, 200, 2000)
CALLS = 2000
REPEATS = 5


def starts() -> list[datetime]:
	tz = ZoneInfo("America/Mexico_City")
	first = datetime(2025, 1, 6, 8, 17, 23, tzinfo=tz)
	# 97 h 13 min steps: every hour of the day and every weekday come up.
	return [first + timedelta(minutes=i * (97 * 60 + 13)) for i in range(64)]


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


def main() -> None:
	sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
	from support_policy.sla import BusinessCalendar

	calendar = BusinessCalendar()
	points = starts()
	for point in points:  # load every holiday year the runs touch
		calendar.add_business_seconds(point, max(HOURS) * 3600)
	print(f"python {sys.version.split()[0]}, {CALLS} calls x best of {REPEATS}, {len(points)} start points")
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
