"""Benchmark: the support reports on a large table.

Run on a site of its own (it writes up to a million Support Requests):

    bench --site bench.localhost execute support_policy.benchmarks.report_data.run
    bench --site bench.localhost execute support_policy.benchmarks.report_data.run --kwargs "{'rows': 100000}"

Smoke run (CI, any site: a few thousand requests inside the transaction, rolled back; seconds):

    bench --site SITE execute support_policy.benchmarks.report_data.run --kwargs "{'smoke': True}"

Generates ``rows`` Support Requests with ``frappe.db.bulk_insert`` (no controllers, no event log):
a year of arrivals, mostly on weekdays in office hours; 300 customers of uneven size, 20 agents;
priorities, categories and scope verdicts in realistic shares; first-response and resolution times
drawn around each priority's target so that some are breached; some requests paused while waiting on
the customer; older requests mostly closed, recent ones still open. A second run with the same
``rows`` reuses the data (``regenerate=True`` rebuilds it).

Then it times SLA Compliance over the year (the goal is under 3 seconds) and the other reports, and
prints the figures and the server settings it ran with (MariaDB's max_allowed_packet and InnoDB buffer
pool decide whether the fast paths need anything); side by side, the anchor: the textbook query
(PERCENTILE_CONT windows over the table, grouped by the text columns), whose figures must be the same. It refuses to run on a site with Support Requests it did not generate.
"""

from __future__ import annotations

import os
import random
import time
from datetime import datetime, timedelta
from typing import NamedTuple

import frappe
from frappe.utils import add_days, flt, getdate, now_datetime

from support_policy.setup.install import SEED_PLAN
from support_policy.sla.targets import select_target

PREFIX = "SR-BENCH-"
SEED = 20261126

PRIORITIES = (("Low", 30), ("Medium", 45), ("High", 18), ("Urgent", 7))
INCLUDED = (
	("Connectivity", 8),
	("Backup", 4),
	("Restore", 4),
	("Guidance", 24),
	("Frequent Question", 22),
	("Account & Billing", 10),
	("Platform Update", 5),
	("Change on Customer's Behalf", 6),
)
# Excluded by the policy (support_policy.scope.categories): offered a Success Pack.
EXCLUDED = (
	("On-site Support", 2),
	("Data Import", 3),
	("Consulting", 2),
	("Misconfiguration", 2),
	("Training", 2),
	("Design & Customization", 2),
	("Native Bug", 1),
	("Workflow & Authorization", 1),
	("Third-party Development", 1),
)

FIELDS = (
	"name",
	"creation",
	"modified",
	"modified_by",
	"owner",
	"docstatus",
	"idx",
	"naming_series",
	"subject",
	"raised_by",
	"raised_by_email",
	"status",
	"priority",
	"category",
	"description",
	"contract",
	"customer",
	"support_plan",
	"channel",
	"received_on",
	"assigned_agent",
	"sla_status",
	"first_response_status",
	"first_response_seconds",
	"first_response_due",
	"first_responded_on",
	"resolution_status",
	"resolution_due",
	"resolved_on",
	"business_seconds_used",
	"business_seconds_paused",
	"next_sla_check",
	"scope_verdict",
	"scope_category",
	"success_pack_quotation",
)


def run(rows: int = 1_000_000, regenerate: bool = False, repeats: int = 3, smoke: bool = False):
	"""``smoke=True``: a few thousand requests generated inside the transaction, every report timed
	once, then everything rolled back (nothing is committed, nothing is left behind). It runs on any
	site, also one with requests of its own (the integration tests' site in CI): it must run, the
	figures mean nothing."""
	if smoke:
		return run_smoke(min(int(rows), SMOKE_ROWS))
	rows = int(rows)
	existing = frappe.db.count("Support Request", {"name": ["like", PREFIX + "%"]})
	others = frappe.db.count("Support Request") - existing
	if others:
		print(
			f"This site has {others} Support Requests the benchmark did not generate; run it on a site of "
			"its own (bench new-site ...)."
		)
		return
	resume = not regenerate and existing < rows and generated_prefix(existing)
	if resume and existing:
		print(f"Resuming after {existing:,} generated requests ...")
		started = time.perf_counter()
		generate(rows, start_row=existing)
		print(f"Generated {rows - existing:,} more Support Requests in {time.perf_counter() - started:.1f} s")
	elif regenerate or existing != rows:
		if existing:
			print(f"Deleting {existing:,} generated requests ...")
			frappe.db.sql("delete from `tabSupport Request` where name like %s", PREFIX + "%")
			frappe.db.commit()
		started = time.perf_counter()
		generate(rows)
		print(f"Generated {rows:,} Support Requests in {time.perf_counter() - started:.1f} s")
	else:
		print(f"Reusing {existing:,} generated Support Requests")
	frappe.db.sql("analyze table `tabSupport Request`")
	time_reports(repeats)


SMOKE_ROWS = 3_000
SMOKE_PREFIX = "SR-SMOKE-"


def run_smoke(rows: int) -> None:
	prefix = SMOKE_PREFIX
	if frappe.db.count("Support Request", {"name": ["like", prefix + "%"]}):
		raise RuntimeError(f"Support Requests named {prefix}* already exist; refusing to run")
	print(
		f"SMOKE RUN: {rows:,} requests generated inside the transaction, then rolled back; figures mean nothing"
	)
	commit = frappe.db.commit

	def refuse_commit(*args, **kwargs):
		raise RuntimeError("report_data smoke run: something called frappe.db.commit(); refusing")

	frappe.db.commit = refuse_commit
	try:
		generate(rows, prefix=prefix, commit=False)
		time_reports(1, smoke=True)
	finally:
		frappe.db.commit = commit
		frappe.db.rollback()
		left = frappe.db.count("Support Request", {"name": ["like", prefix + "%"]})
		print("Rolled back: " + ("nothing left in the database." if not left else f"{left} REQUESTS LEFT"))
	if left:
		raise RuntimeError(f"report_data smoke run left {left} Support Requests behind")


def server_settings() -> dict:
	"""The MariaDB settings the reports' speed depends on, as the server runs with them."""
	names = (
		"version",
		"max_allowed_packet",
		"innodb_buffer_pool_size",
		"sort_buffer_size",
		"tmp_table_size",
		"max_heap_table_size",
		"group_concat_max_len",
	)
	rows = frappe.db.sql(
		"show variables where Variable_name in ({})".format(", ".join(["%s"] * len(names))), names
	)
	return dict(rows)


def describe_settings(settings: dict) -> str:
	def mb(name):
		return f"{int(settings[name]) / 1024 / 1024:,.0f} MB"

	defaults = {"max_allowed_packet": 16 << 20, "innodb_buffer_pool_size": 128 << 20}
	tuned = [name for name, value in defaults.items() if int(settings[name]) != value]
	return (
		f"MariaDB {settings['version']}: max_allowed_packet {mb('max_allowed_packet')}, "
		f"innodb_buffer_pool_size {mb('innodb_buffer_pool_size')}, sort_buffer_size "
		f"{mb('sort_buffer_size')}, tmp_table_size {mb('tmp_table_size')} "
		f"({'MariaDB defaults' if not tuned else 'changed from the defaults: ' + ', '.join(tuned)}); "
		f"{os.cpu_count()} CPUs"
	)


# ----------------------------------------------------------------------------------- generation


def generated_prefix(existing: int) -> bool:
	"""Whether the generated requests are whole chunks numbered from 0 (an interrupted run)."""
	if existing % CHUNK:
		return False
	last = frappe.db.get_value("Support Request", {"name": ["like", PREFIX + "%"]}, "max(name)")
	return last == f"{PREFIX}{existing - 1:07d}" if existing else True


def weighted(rng: random.Random, choices):
	values, weights = zip(*choices, strict=True)
	return rng.choices(values, weights=weights, k=1)[0]


def arrival(rng: random.Random, start: datetime) -> datetime:
	"""A moment in the year after ``start``: 92 % on weekdays, mostly 8:00 to 19:00."""
	while True:
		day = start + timedelta(days=rng.randrange(365))
		if day.weekday() < 5 or rng.random() < 0.08 * 5 / 2:
			break
	hour = min(23.99, max(0.0, rng.gauss(13, 3)))
	return day.replace(hour=0, minute=0, second=0) + timedelta(seconds=int(hour * 3600))


def duration(rng: random.Random, target_seconds: float, breach_share: float) -> int:
	"""Log-normal business time with ``breach_share`` of the draws above the target."""
	# For a log-normal, P(X > target) = breach_share when the median is target / exp(z * sigma).
	sigma = 0.8
	z = {0.05: 1.645, 0.1: 1.2816, 0.15: 1.0364, 0.2: 0.8416}[breach_share]
	median = target_seconds / pow(2.718281828, z * sigma)
	return max(60, int(rng.lognormvariate(0, sigma) * median))


CHUNK = 20_000


def generate(rows: int, start_row: int = 0, prefix: str = PREFIX, commit: bool = True) -> None:
	"""Rows ``start_row`` to ``rows``, in chunks of ``CHUNK`` with a seed each, so that an interrupted
	run resumes where it stopped and gives the same rows as an uninterrupted one (for the same day).
	``commit=False``: nothing is committed (the smoke run rolls back)."""
	rng = random.Random(SEED)
	now = now_datetime().replace(microsecond=0)
	start = now - timedelta(days=365)
	customers = [f"Cliente Benchmark {i:03d}" for i in range(300)]
	# Uneven sizes: a few customers raise most of the requests.
	customer_weights = [1 / (i + 1) ** 0.8 for i in range(len(customers))]
	agents = [f"agente{i:02d}@proveedor.bench" for i in range(20)]
	plan = "Hosting ERPNext — Anual hasta 10 usuarios (2026)"

	def make(i: int) -> tuple:
		customer_index = rng.choices(range(len(customers)), weights=customer_weights, k=1)[0]
		customer = customers[customer_index]
		user = f"usuario{rng.randrange(5)}@cliente{customer_index:03d}.bench"
		received = arrival(rng, start)
		priority = weighted(rng, PRIORITIES)
		excluded = rng.random() < 0.12
		category = weighted(rng, EXCLUDED if excluded else INCLUDED)
		if excluded:
			verdict = "Out of scope" if rng.random() < 0.85 else "Needs review"
		else:
			verdict = "In scope" if rng.random() < 0.93 else "Needs review"
		selected = category if rng.random() < 0.5 else None
		# The seeded plan's targets, chosen by the same rule the app uses.
		target = select_target(SEED_PLAN["sla_targets"], priority, category)
		fr_hours, res_hours = target.first_response_seconds / 3600, target.resolution_seconds / 3600
		age_days = (now - received).days
		row = {
			"name": f"{prefix}{i:07d}",
			"creation": received,
			"modified": received,
			"modified_by": "Administrator",
			"owner": user,
			"docstatus": 0,
			"idx": 0,
			"naming_series": "SR-.YYYY.-",
			"subject": f"Solicitud {i}",
			"raised_by": user,
			"raised_by_email": user,
			"priority": priority,
			"category": selected,
			"description": "<p>Generada por el benchmark de reportes.</p>",
			"contract": f"SC-BENCH-{customer_index:03d}",
			"customer": customer,
			"support_plan": plan,
			"channel": "Desk" if rng.random() < 0.7 else "Email",
			"received_on": received,
			"assigned_agent": agents[rng.randrange(len(agents))] if rng.random() < 0.9 else None,
			"scope_verdict": verdict,
			"scope_category": category if verdict != "Needs review" or rng.random() < 0.5 else None,
			"first_response_seconds": 0,
			"business_seconds_used": 0,
			"business_seconds_paused": 0,
		}
		if verdict == "Out of scope":
			row.update(
				status="Out of Scope",
				sla_status="Not Applicable",
				first_response_status="Not Applicable",
				resolution_status="Not Applicable",
				success_pack_quotation=f"SAL-QTN-BENCH-{i:07d}" if rng.random() < 0.8 else None,
			)
			return tuple(row.get(f) for f in FIELDS)
		if age_days > 14:
			status = weighted(rng, (("Closed", 80), ("Resolved", 15), ("In Progress", 3), ("Open", 2)))
		else:
			status = weighted(
				rng,
				(
					("Open", 25),
					("In Progress", 35),
					("Waiting on Customer", 15),
					("Resolved", 15),
					("Closed", 10),
				),
			)
		finished = status in ("Resolved", "Closed")
		responded = finished or rng.random() < 0.7
		fr_target, res_target = fr_hours * 3600, res_hours * 3600
		row["first_response_due"] = received + timedelta(hours=fr_hours * 2)
		fr_status = "On Track"
		if responded:
			seconds = duration(rng, fr_target, 0.1)
			fr_status = "Met" if seconds <= fr_target else "Breached"
			row["first_response_seconds"] = seconds
			row["first_responded_on"] = received + timedelta(seconds=seconds * 2)
		elif age_days > 1:
			fr_status = "Breached"
		paused = duration(rng, 4 * 3600, 0.2) if rng.random() < 0.2 else 0
		row["business_seconds_paused"] = paused
		used = duration(rng, res_target, 0.15 if priority in ("Urgent", "High") else 0.1)
		if finished:
			res_status = "Met" if used <= res_target else "Breached"
			row["resolved_on"] = received + timedelta(seconds=(used + paused) * 3)
			row["resolution_due"] = received + timedelta(seconds=(res_target + paused) * 3)
		else:
			used = int(used * rng.random())
			share = used / res_target
			res_status = (
				"Paused"
				if status == "Waiting on Customer"
				else ("Breached" if share > 1 else ("At Risk" if share > 0.75 else "On Track"))
			)
			if status != "Waiting on Customer":
				row["resolution_due"] = received + timedelta(seconds=(res_target + paused) * 3)
			row["next_sla_check"] = now + timedelta(minutes=rng.randrange(1, 600))
		row["business_seconds_used"] = used
		statuses = (fr_status, res_status)
		if finished:
			sla_status = "Breached" if "Breached" in statuses else "Met"
		else:
			order = ("Breached", "At Risk", "On Track", "Paused", "Met")
			sla_status = min(statuses, key=order.index)
		row.update(
			status=status,
			sla_status=sla_status,
			first_response_status=fr_status,
			resolution_status=res_status,
		)
		return tuple(row.get(f) for f in FIELDS)

	for offset in range(start_row - start_row % CHUNK, rows, CHUNK):
		rng.seed(SEED + offset)
		values = [make(i) for i in range(offset, min(rows, offset + CHUNK))]
		frappe.db.bulk_insert("Support Request", list(FIELDS), values, chunk_size=5_000)
		if commit:
			frappe.db.commit()
		print(f"  {min(rows, offset + CHUNK):,} / {rows:,}", flush=True)


# --------------------------------------------------------------------------------------- timing


class Timing(NamedTuple):
	wall: float  # seconds on the clock: depends on what else the machine runs
	busy: float  # CPU seconds of this process and of its database connection's server thread


def db_thread_stat() -> str | None:
	"""/proc's schedstat of the MariaDB thread serving this connection (same host only), else None."""
	try:
		tid = frappe.db.sql("select tid from information_schema.processlist where id = connection_id()")[0][0]
		path = f"/proc/{int(tid)}/schedstat"
		open(path).close()
		return path
	except Exception:
		return None


def busy_seconds(db_stat: str | None) -> float:
	"""CPU seconds used so far by this process and by the database thread (its schedstat's first
	field: nanoseconds on a CPU)."""
	spent = time.process_time()
	if db_stat:
		with open(db_stat) as handle:
			spent += int(handle.read().split()[0]) / 1e9
	return spent


def timed(label: str, fn, repeats: int) -> tuple:
	"""``fn``'s result and its best Timing of ``repeats`` runs. Busy time is what an idle machine would
	take (CPU of both sides; time waiting for a disk or for a CPU other work holds is left out); it
	is printed when the database runs on this host (its thread's /proc entry is readable)."""
	db_stat = db_thread_stat()
	walls, busies, result = [], [], None
	for _ in range(max(1, repeats)):
		started, busy = time.perf_counter(), busy_seconds(db_stat)
		result = fn()
		walls.append(time.perf_counter() - started)
		busies.append(busy_seconds(db_stat) - busy)
	busy = f"   busy {min(busies):6.2f} s" if db_stat else ""
	print(f"{label:<58} first {walls[0]:6.2f} s   best {min(walls):6.2f} s{busy}")
	return result, Timing(min(walls), min(busies) if db_stat else min(walls))


ANCHOR_SQL = """
SET STATEMENT sort_buffer_size = 268435456, tmp_table_size = 536870912, max_heap_table_size = 536870912
FOR SELECT g, COUNT(*) requests,
	SUM(fr = 'Met') fr_met, SUM(fr = 'Breached') fr_breached,
	SUM(res = 'Met') res_met, SUM(res = 'Breached') res_breached,
	MAX(fr_p50) fr_p50, MAX(fr_p90) fr_p90, MAX(res_p50) res_p50, MAX(res_p90) res_p90
FROM (
	SELECT {group} g, first_response_status fr, resolution_status res,
		PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {response}) OVER (PARTITION BY {group}) fr_p50,
		PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY {response}) OVER (PARTITION BY {group}) fr_p90,
		PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {resolution}) OVER (PARTITION BY {group}) res_p50,
		PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY {resolution}) OVER (PARTITION BY {group}) res_p90
	FROM `tabSupport Request` IGNORE INDEX (sla_report)
	WHERE received_on >= %(from)s AND received_on < %(to)s AND sla_status NOT IN ('', 'Not Applicable')
) t GROUP BY g
"""
ANCHOR_GROUPS = {"Customer": "customer", "Month": "DATE_FORMAT(received_on, '%%Y-%%m')"}


def ratios(theirs: Timing, ours: Timing) -> str:
	return f"{theirs.wall / ours.wall:5.1f}x on the clock, {theirs.busy / max(ours.busy, 1e-9):5.1f}x busy"


def anchor_rows(year: dict, group_by: str) -> dict:
	"""The anchor: the textbook query, PERCENTILE_CONT windows grouped by the text columns and
	statuses compared as text, on the table without the report key's covering index."""
	sql = ANCHOR_SQL.format(
		group=ANCHOR_GROUPS[group_by],
		response="CASE WHEN first_responded_on IS NOT NULL THEN first_response_seconds END",
		resolution="CASE WHEN status IN ('Resolved', 'Closed') THEN business_seconds_used END",
	)
	rows = frappe.db.sql(sql, {"from": year["from_date"], "to": add_days(year["to_date"], 1)}, as_dict=True)
	return {row.g: figures(row) for row in rows}


def anchor_breached(year: dict, customer: str | None, limit: int) -> list[str]:
	"""The anchor of the drill-down: one statement on the text statuses, as one would write it (the
	server picks the index), ordered like the report (ties by name)."""
	rows = frappe.db.sql(
		"""SELECT name FROM (
			SELECT name, subject, received_on, customer, priority, category, scope_category,
				assigned_agent, status, first_response_status, first_response_due, first_responded_on,
				resolution_status, resolution_due, resolved_on, business_seconds_used
			FROM `tabSupport Request`
			WHERE received_on >= %(from)s AND received_on < %(to)s AND customer <=> %(customer)s
				AND sla_status NOT IN ('', 'Not Applicable')
				AND (first_response_status = 'Breached' OR resolution_status = 'Breached')
			ORDER BY received_on LIMIT %(limit)s
		) t ORDER BY received_on, name""",
		{"from": year["from_date"], "to": add_days(year["to_date"], 1), "customer": customer, "limit": limit},
	)
	return [row[0] for row in rows]


def figures(row) -> tuple:
	"""Counts, then percentiles in business hours as the report shows them."""
	counts = tuple(int(row[f]) for f in ("requests", "fr_met", "fr_breached", "res_met", "res_breached"))
	return counts + tuple(
		None if row[f] is None else flt(float(row[f]) / 3600, 2)
		for f in ("fr_p50", "fr_p90", "res_p50", "res_p90")
	)


def report_figures(row) -> tuple:
	counts = (row.requests, row.fr_met, row.fr_breached, row.res_met, row.res_breached)
	return counts + tuple(row[f + "_hours"] for f in ("fr_p50", "fr_p90", "res_p50", "res_p90"))


def anchor(year: dict, repeats: int) -> None:
	"""SLA Compliance against the anchor, side by side in this process, with the same figures."""
	from support_policy.support_policy.report.sla_compliance import sla_compliance

	print("\nAnchor: the textbook query (PERCENTILE_CONT windows over the table, text grouping)")
	results = []
	for group_by in ("Customer", "Month"):
		filters = frappe._dict(year, group_by=group_by)
		ours, ours_s = timed(
			f"  report, a year by {group_by.lower()}", lambda f=filters: sla_compliance.compliance(f), repeats
		)
		theirs, theirs_s = timed(
			f"  anchor, a year by {group_by.lower()}", lambda g=group_by: anchor_rows(year, g), 1
		)
		ours_figures = {row.group_value: report_figures(row) for row in ours}
		same = "same figures" if ours_figures == theirs else "FIGURES DIFFER"
		results.append((group_by, ours_s, theirs_s, same))
	for group_by, ours_s, theirs_s, same in results:
		print(f"  by {group_by.lower():<9} anchor/report {ratios(theirs_s, ours_s)}   {same}")
	print()


def time_reports(repeats: int, smoke: bool = False) -> None:
	from support_policy.support_policy.report.agent_workload import agent_workload
	from support_policy.support_policy.report.contract_utilization import contract_utilization
	from support_policy.support_policy.report.out_of_scope_and_success_pack import (
		out_of_scope_and_success_pack,
	)
	from support_policy.support_policy.report.sla_compliance import sla_compliance

	today = getdate()
	year = {"from_date": add_days(today, -365), "to_date": today}
	total = frappe.db.count("Support Request")
	print(f"\nServer: {describe_settings(server_settings())}")
	print(
		f"Packed path: at most {sla_compliance.packed_rows():,} requests per statement "
		f"(lists of at most {sla_compliance.packed_limit():,} characters: a fifth of max_allowed_packet)"
	)
	print(f"Support Requests on the site: {total:,}; period {year['from_date']} to {year['to_date']}")
	(_columns, rows, *_rest), best = timed(
		"SLA Compliance, a year, by customer",
		lambda: sla_compliance.execute({**year, "group_by": "Customer"}),
		repeats,
	)
	print(f"  {len(rows)} groups, {sum(r['requests'] for r in rows):,} requests with a service level")
	slowest = (best, "customer")
	for group_by in ("Month", "Week", "Priority", "Category", "Agent"):
		_result, seconds = timed(
			f"SLA Compliance, a year, by {group_by.lower()}",
			lambda g=group_by: sla_compliance.execute({**year, "group_by": g}),
			repeats,
		)
		slowest = max(slowest, (seconds, group_by.lower()), key=lambda item: item[0].busy)
	anchor(year, repeats)
	busiest = rows[0]["group_value"] if rows else None
	timed(
		"SLA Compliance, a year, one customer",
		lambda: sla_compliance.execute({**year, "group_by": "Month", "customer": busiest}),
		repeats,
	)
	month = {"from_date": add_days(today, -30), "to_date": today}
	timed(
		"SLA Compliance, last 30 days, by week",
		lambda: sla_compliance.execute({**month, "group_by": "Week"}),
		repeats,
	)
	(_columns, breached, *_rest), ours_s = timed(
		"SLA Compliance, breached requests of a year (drill-down)",
		lambda: sla_compliance.execute({**year, "show_breached": 1, "customer": busiest}),
		repeats,
	)
	theirs, theirs_s = timed(
		"  anchor: the same list in one textbook statement",
		lambda: anchor_breached(year, busiest, sla_compliance.BREACHED_LIMIT),
		1,
	)
	same = "same requests" if [r.request for r in breached] == theirs else "REQUESTS DIFFER"
	print(f"  drill-down anchor/report {ratios(theirs_s, ours_s)}   {same} ({len(breached):,} listed)")
	timed(
		"Out-of-Scope and Success Pack, a year",
		lambda: out_of_scope_and_success_pack.execute(dict(year)),
		repeats,
	)
	timed("Agent Workload, now", lambda: agent_workload.execute({}), repeats)
	timed("Contract Utilization, a year", lambda: contract_utilization.execute(dict(year)), repeats)
	from support_policy.glue import reporting as dashboards

	timed("Number card: compliance this month", dashboards.compliance_this_month, repeats)
	timing, group_by = slowest
	if smoke:
		print("\nSmoke run: every report ran; the figures mean nothing.")
		return
	print(
		f"\nSLA Compliance for a year on {total:,} requests, slowest grouping (by {group_by}, best of "
		f"{repeats}): {timing.wall:.2f} s on the clock, {timing.busy:.2f} s busy; goal < 3 s: "
		f"{'met' if timing.wall < 3 else 'NOT met'} on the clock, {'met' if timing.busy < 3 else 'NOT met'} busy "
		f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
	)
