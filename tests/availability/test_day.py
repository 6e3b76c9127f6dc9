"""The packed day: every minute's observation and latency round-trips, within the stated size."""

import random

import pytest

from support_policy.availability import BLIND, FAILED, MINUTES_PER_DAY, NOT_PROBED, OK, ProbeDay


def test_round_trip_of_every_minute():
	rng = random.Random(14)
	day = ProbeDay()
	expected = []
	for minute in range(MINUTES_PER_DAY):
		obs = rng.choice((NOT_PROBED, OK, FAILED, BLIND))
		latency = None if obs == NOT_PROBED else rng.uniform(0, 70_000)
		day.set(minute, obs, latency)
		expected.append((obs, None if latency is None else min(65_534, round(latency))))
	back = ProbeDay.unpack(day.pack())
	assert [(back.get(m), back.latency(m)) for m in range(MINUTES_PER_DAY)] == expected
	assert back.observations() == [e[0] for e in expected]


def test_setting_a_minute_again_overwrites_only_that_minute():
	day = ProbeDay()
	day.set(7, FAILED, 120)
	day.set(6, OK, 3)
	day.set(7, OK, 40)
	assert [day.get(m) for m in (5, 6, 7, 8)] == [NOT_PROBED, OK, OK, NOT_PROBED]
	assert day.counts() == {NOT_PROBED: 1438, OK: 2, FAILED: 0, BLIND: 0}


def test_worst_case_size_stays_within_the_stated_figure():
	rng = random.Random(1)
	day = ProbeDay()
	for minute in range(MINUTES_PER_DAY):
		day.set(minute, rng.choice((OK, FAILED, BLIND)), rng.uniform(0, 65_000))
	assert len(day.pack()) <= 4_348  # the README's per-site-day figure
	quiet = ProbeDay()
	for minute in range(MINUTES_PER_DAY):
		quiet.set(minute, OK, rng.gauss(120, 15))
	assert len(quiet.pack()) < 3_000


def test_bad_input_is_refused():
	day = ProbeDay()
	with pytest.raises(ValueError):
		day.set(1440, OK)
	with pytest.raises(ValueError):
		day.set(0, 7)
	with pytest.raises(ValueError):
		ProbeDay.unpack(ProbeDay().pack()[:-8] + "AAAAAAAA")
