"""Benchmark: what a year of per-minute probes of 1,000 sites costs in MariaDB.

Run on a scratch site (it writes and then deletes its rows)::

    bench --site SITE execute support_policy.benchmarks.probe_storage.run
    bench --site SITE execute support_policy.benchmarks.probe_storage.run --kwargs "{'days': 200}"
    bench --site SITE execute support_policy.benchmarks.probe_storage.run --kwargs "{'smoke': True}"

It writes ``days`` Site Probe Day rows of two kinds, measures the table's data + index size in
InnoDB (``ANALYZE TABLE`` then information_schema) and scales to 365,000 rows (1,000 sites x 365 days):

- typical: every minute probed, latencies around 120 ms (sd 30 ms), one failed minute in 1,000;
- worst: random observations and random latencies from 0 to 65 s (nothing compresses).

Anchor: one row per probe (the textbook layout: site, time, status, latency; ~60 bytes of data plus
its primary and (site, time) indexes in InnoDB), i.e. 525.6 million rows a year.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import frappe

from support_policy.availability import FAILED, MINUTES_PER_DAY, OK, ProbeDay

YEAR_ROWS = 1000 * 365
PER_PROBE_ROW_BYTES = 100  # InnoDB row + primary key + (site, time) index, textbook layout


def make_day(rng: random.Random, worst: bool) -> str:
	day = ProbeDay()
	for minute in range(MINUTES_PER_DAY):
		if worst:
			day.set(minute, rng.choice((OK, FAILED, 3)), rng.uniform(0, 65_000))
		else:
			day.set(minute, FAILED if rng.random() < 0.001 else OK, max(1, rng.gauss(120, 30)))
	return day.pack()


def table_bytes() -> int:
	frappe.db.sql("ANALYZE TABLE `tabSite Probe Day`")
	table = frappe.qb.Schema("information_schema").TABLES
	size = (
		frappe.qb.from_(table)
		.select(table.DATA_LENGTH + table.INDEX_LENGTH)
		.where((table.TABLE_SCHEMA == frappe.conf.db_name) & (table.TABLE_NAME == "tabSite Probe Day"))
	).run()
	return int(size[0][0] or 0)


def fill(kind: str, days: int, rng: random.Random) -> list[str]:
	probe_day = frappe.qb.DocType("Site Probe Day")
	names = []
	start = date(2000, 1, 1)
	now = frappe.utils.now_datetime()
	for i in range(days):
		name = f"BENCH-{kind}-{i:05d}"
		names.append(name)
		frappe.qb.into(probe_day).columns(
			"name",
			"hosted_site",
			"day",
			"probes",
			"minutes_ok",
			"minutes_failed",
			"minutes_unknown",
			"creation",
			"modified",
			"owner",
			"modified_by",
		).insert(
			name,
			f"BENCH-{kind}-{i % 50}",
			start + timedelta(days=i // 50),
			make_day(rng, kind == "worst"),
			1440,
			0,
			0,
			now,
			now,
			"Administrator",
			"Administrator",
		).run()
	frappe.db.commit()
	return names


def run(days: int = 1000, smoke: bool = False):
	"""``smoke=True``: 20 rows of each kind (seconds; CI runs it so that the benchmark cannot rot; the
	figures mean nothing). Its rows are deleted at the end, as in a full run."""
	if smoke:
		days = min(int(days), 20)
		print("SMOKE RUN: 20 rows of each kind; the figures mean nothing.")
	rng = random.Random(14)
	probe_day = frappe.qb.DocType("Site Probe Day")
	print(f"Site Probe Day: {days} rows of each kind on {frappe.local.site}, scaled to {YEAR_ROWS:,} rows")
	anchor = YEAR_ROWS * 1440 * PER_PROBE_ROW_BYTES
	print(f"anchor  one row per probe: {YEAR_ROWS * 1440:,} rows, ~{anchor / 1e9:6.1f} GB a year")
	for kind in ("typical", "worst"):
		before = table_bytes()
		names = fill(kind, days, rng)
		try:
			grown = table_bytes() - before
			per_row = grown / days
			packed = (
				sum(
					len(p)
					for p in frappe.qb.from_(probe_day)
					.select(probe_day.probes)
					.where(probe_day.name.isin(names))
					.run(pluck=True)
				)
				/ days
			)
			year = per_row * YEAR_ROWS
			print(
				f"{kind:8s} packed {packed:7.0f} B/day, in InnoDB {per_row:7.0f} B/row: "
				f"{year / 1e9:5.2f} GB a year; x{anchor / year:5.0f} smaller than the anchor"
			)
		finally:
			frappe.qb.from_(probe_day).delete().where(probe_day.name.isin(names)).run()
			frappe.db.commit()
