"""The cost of a deadline must not grow with the target: count the per-day work instead of timing it."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support_policy.sla import BusinessCalendar

MX = ZoneInfo("America/Mexico_City")
COUNTED = ("_ensure", "_raw_spans", "_localize", "_cumulative", "_spans")


class CountingDict(dict):
	"""The calendar's per-day adjustments; each ``get`` is one day walked."""

	def __init__(self, data, calls):
		super().__init__(data)
		self.calls = calls

	def get(self, key, default=None):
		self.calls["walked_days"] += 1
		return super().get(key, default)


def counting(calendar):
	calls = Counter()
	calendar._delta = CountingDict(calendar._delta, calls)
	for name in COUNTED:
		method = getattr(calendar, name)

		def wrapper(*args, _method=method, _name=name):
			calls[_name] += 1
			return _method(*args)

		setattr(calendar, name, wrapper)
	return calls


@pytest.mark.parametrize("hours", [1, 8, 40, 200, 2000, 20_000, 200_000])
def test_per_call_work_is_bounded(hours):
	calendar = BusinessCalendar(
		extra_holidays={date(2027, 3, 1) + timedelta(days=7 * i): "Cierre" for i in range(30)}
	)
	start = datetime(2026, 11, 13, 17, 30, tzinfo=MX)
	calendar.add_business_seconds(start, hours * 3600)  # load the years once
	calendar._span_cache.clear()
	calls = counting(calendar)
	due = calendar.add_business_seconds(start, hours * 3600)
	# At most ~a week plus holidays is walked, whatever the target.
	assert calls["walked_days"] <= 10
	assert calls["_ensure"] <= 6
	assert calls["_spans"] <= 6
	assert calls["_raw_spans"] <= 6
	assert calls["_cumulative"] <= 12
	calls.clear()
	assert calendar.business_seconds_between(start, due) == hours * 3600
	assert calls["_ensure"] == 1
	assert calls["_spans"] <= 6
	assert calls["_cumulative"] <= 2


def test_clock_change_days_are_counted_not_walked():
	around = BusinessCalendar.always_open("America/Mexico_City")
	start = datetime(2001, 1, 1, tzinfo=MX)
	seconds = 20 * 365 * 86_400
	due = around.add_business_seconds(start, seconds)
	assert due.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC")) == timedelta(seconds=seconds)
	calls = counting(around)
	around.add_business_seconds(start, seconds)
	assert calls["walked_days"] <= 8
	assert calls["_cumulative"] <= 12
