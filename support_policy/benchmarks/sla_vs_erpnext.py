"""Benchmark: the SLA core and the 5-minute job against ERPNext v15's SLA code and the Helpdesk pattern.

Run inside a bench (about 5-10 minutes on a small machine):

    bench --site SITE execute support_policy.benchmarks.sla_vs_erpnext.run

Smaller or partial runs:

    bench --site SITE execute support_policy.benchmarks.sla_vs_erpnext.run \
        --kwargs "{'requests': 20000, 'due': 200, 'loop_sample': 500}"
    bench --site SITE execute support_policy.benchmarks.sla_vs_erpnext.run --kwargs "{'part': 1}"

It prints tables with ratios; it asserts nothing (a goal that is missed is printed as "NO").

Part 1 - ``BusinessCalendar.add_business_seconds`` (the site's seeded Support Calendar: Monday-Friday
9:00-18:00 America/Mexico_City with Mexican public holidays) against ERPNext v15's
``get_expected_time_for`` on the same hours and the same holidays (copied into an ERPNext Holiday
List), for 1, 8, 40, 200 and 2,000 business-hour targets, from the same start datetimes (random ones
and chosen ones on weekends, holidays and at opening/closing time). Both are timed side by side in this
process with ``timeit`` (best of 5). Both deadlines are compared for every start and target.

Part 2 - the 5-minute job ``sla_jobs.check_due_requests`` with 100,000 open Support Requests (bulk
inserted with realistic values and real SLA event rows), first with none due, then with 1,000 due,
against the Helpdesk pattern (load and save every open request), timed on a sample and extrapolated.

Nothing is committed. All records (customers, users, contracts, a Holiday List, the requests and their
SLA events) are written inside the command's transaction and rolled back at the end, also on error.
While the benchmark runs ``frappe.db.commit`` raises, auto-commit on many writes is off, and background
jobs that would be queued at once (not after commit) are dropped and listed. After the rollback the
benchmark checks that none of its records is left in the database.
"""

from __future__ import annotations

import contextlib
import platform
import random
import statistics
import time
import timeit
from datetime import date, datetime, timedelta

import frappe

PREFIX = "SR-SLABENCH-"  # not report_data.py's SR-BENCH-: both can run on one site
HOURS = (1, 8, 40, 200, 2000)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
from support_policy.statuses import RECALCULABLE as OPEN_STATUSES

NUMERIC_TYPES = ("Int", "Check", "Float", "Currency", "Percent", "Duration", "Rating")
SEED = 20261126

SUBJECTS = (
	"No puedo entrar al sistema",
	"Error al timbrar factura",
	"El reporte de ventas no cuadra",
	"Lentitud al guardar pedidos",
	"No llegan los correos de cotización",
	"Duda con el cierre de mes",
	"Cómo cambio el formato de impresión",
	"Falla en la conciliación bancaria",
	"El inventario muestra existencias negativas",
	"Usuario bloqueado",
	"No se restauró el respaldo de anoche",
	"El servidor no responde",
)
DESCRIPTIONS = (
	"<p>Desde esta mañana aparece un mensaje de error al intentar guardar. Adjunto captura.</p>",
	"<p>Necesitamos ayuda para revisar la configuración; los importes no coinciden con el SAT.</p>",
	"<p>El sistema está muy lento desde ayer en la tarde, tarda más de un minuto en abrir.</p>",
	"<p>¿Nos pueden orientar sobre cómo hacer este proceso? No encontramos la opción.</p>",
	"<p>Un usuario olvidó su contraseña y ya no puede entrar. Favor de restablecerla.</p>",
)
CATEGORIES = (
	"Guidance",
	"Frequent Question",
	"Misconfiguration",
	"Native Bug",
	"Platform Update",
	"Backup",
	"Account & Billing",
	"Restore",
	"Connectivity",
)
CATEGORY_WEIGHTS = (20, 15, 20, 15, 8, 8, 8, 3, 3)
PRIORITIES = ("Low", "Medium", "High", "Urgent")
PRIORITY_WEIGHTS = (30, 45, 20, 5)
CHANNELS = ("Email", "Portal", "Chat", "Desk")
SMOKE = False  # run(smoke=True): tiny sizes, one timing run each


def say(text: str = "") -> None:
	print(text, flush=True)


def table(headers: list[str], rows: list[list], aligns: str | None = None) -> None:
	cells = [[str(c) for c in row] for row in rows]
	widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
	aligns = aligns or "l" + "r" * (len(headers) - 1)

	def line(values):
		return "  ".join(
			v.ljust(w) if a == "l" else v.rjust(w) for v, w, a in zip(values, widths, aligns, strict=True)
		)

	say(line(headers))
	say("  ".join("-" * w for w in widths))
	for row in cells:
		say(line(row))


def fmt_us(value: float) -> str:
	return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def fmt_s(value: float) -> str:
	return f"{value:.4f} s" if value < 1 else f"{value:,.2f} s"


def yes(ok: bool) -> str:
	return "yes" if ok else "NO"


# ---------------------------------------------------------------------------------------------------
# Safety: nothing leaves this transaction.


class _Guard:
	"""While active: ``frappe.db.commit`` raises, no auto-commit on many writes, and jobs that would be
	queued at once are dropped (jobs queued after commit die with the rollback anyway)."""

	def __init__(self):
		self.dropped: list[str] = []
		self._saved = None

	def __enter__(self):
		db = frappe.local.db
		self._saved = (frappe.enqueue, db.auto_commit_on_many_writes)
		original_enqueue = frappe.enqueue

		def refuse_commit(*args, **kwargs):
			raise RuntimeError(
				"benchmark: something called frappe.db.commit(); refusing (nothing is committed)"
			)

		def enqueue(method, *args, **kwargs):
			if kwargs.get("enqueue_after_commit") or kwargs.get("now"):
				return original_enqueue(method, *args, **kwargs)
			self.dropped.append(
				method if isinstance(method, str) else getattr(method, "__qualname__", repr(method))
			)
			return None

		db.commit = refuse_commit
		db.auto_commit_on_many_writes = 0
		frappe.enqueue = enqueue
		return self

	def __exit__(self, *exc):
		db = frappe.local.db
		db.__dict__.pop("commit", None)
		frappe.enqueue, db.auto_commit_on_many_writes = self._saved
		return False


@contextlib.contextmanager
def frozen_clock(moment: datetime):
	"""``frappe.utils.now_datetime()`` (what the job and the SLA glue read) returns ``moment``.

	Only that function is replaced (no freezegun), so timings are not distorted; Frappe's own
	``modified`` timestamps keep the real time."""
	import frappe.utils

	original = frappe.utils.now_datetime
	frappe.utils.now_datetime = lambda: moment
	try:
		yield
	finally:
		frappe.utils.now_datetime = original


class _Created:
	"""Records whose document caches (Redis) must be cleared after the rollback."""

	def __init__(self):
		self.docs: list[tuple[str, str]] = []
		self.users: list[str] = []

	def add(self, doctype: str, name: str) -> None:
		self.docs.append((doctype, name))

	def clear_caches(self) -> None:
		for doctype, name in self.docs:
			with contextlib.suppress(Exception):
				frappe.clear_document_cache(doctype, name)
		for user in self.users:
			with contextlib.suppress(Exception):
				frappe.clear_cache(user=user)


def leftovers(created: _Created) -> list[str]:
	"""Records of this benchmark still in the database (there must be none after the rollback)."""
	found = []
	count = frappe.db.sql("select count(*) from `tabSupport Request` where name like %s", PREFIX + "%")[0][0]
	if count:
		found.append(f"{count} Support Requests {PREFIX}*")
	for doctype, name in created.docs:
		if frappe.db.exists(doctype, name):
			found.append(f"{doctype} {name}")
	return found


# ---------------------------------------------------------------------------------------------------


def run(
	requests: int = 100_000,
	due: int = 1_000,
	loop_sample: int = 2_000,
	part: int | None = None,
	profile: bool = False,
	smoke: bool = False,
):
	"""``profile=True`` also prints a cProfile summary of the first job run with requests due.
	``smoke=True``: every part at a tiny size, timed once (seconds; CI runs it so that the benchmark
	cannot rot; the figures mean nothing)."""
	global SMOKE
	SMOKE = bool(smoke)
	if SMOKE:
		requests, due, loop_sample = min(int(requests), 300), min(int(due), 30), min(int(loop_sample), 20)
	began = time.perf_counter()
	created = _Created()
	say("=" * 100)
	say("SLA benchmark: support_policy vs ERPNext v15 SLA and the Helpdesk load-and-save loop")
	say(
		f"site {frappe.local.site} | frappe {frappe.__version__} | erpnext {_version('erpnext')} | "
		f"python {platform.python_version()} | {platform.machine()} | system time zone "
		f"{frappe.utils.get_system_timezone()}"
	)
	say("All data is generated inside one transaction and rolled back at the end; nothing is committed.")
	if SMOKE:
		say(f"SMOKE RUN ({requests} requests, {due} due, one timing run each): the figures mean nothing.")
	say("=" * 100)
	guard = _Guard()
	try:
		with guard:
			if part in (None, 1):
				part_core(created)
			if part in (None, 2):
				part_job(created, requests, due, loop_sample, profile)
	finally:
		frappe.db.rollback()
		created.clear_caches()
		left = leftovers(created)
		say()
		say("-" * 100)
		say(
			"Rolled back. "
			+ ("Nothing left in the database." if not left else f"LEFT IN THE DATABASE: {left}")
		)
		if guard.dropped:
			say(f"Background jobs dropped (would have been queued immediately): {sorted(set(guard.dropped))}")
		say(f"Total benchmark time: {time.perf_counter() - began:,.1f} s")


def _version(app: str) -> str:
	try:
		return frappe.get_attr(f"{app}.__version__")
	except Exception:
		return "?"


# ---------------------------------------------------------------------------------------------------
# Part 1: add_business_seconds vs ERPNext get_expected_time_for


def _core_starts(calendar) -> list[tuple[datetime, str]]:
	"""Start datetimes (aware, calendar time zone, whole seconds) and what kind of moment each is."""
	tz = calendar.timezone
	rng = random.Random(SEED)
	first = datetime(2025, 1, 1, tzinfo=tz)
	span = int((datetime(2027, 1, 1, tzinfo=tz) - first).total_seconds())
	points = [first + timedelta(seconds=rng.randrange(span)) for _ in range(36)]
	chosen = [
		datetime(2025, 3, 8, 11, 0),  # Saturday
		datetime(2026, 5, 10, 20, 30),  # Sunday night
		datetime(2025, 11, 17, 10, 0),  # Monday, Día de la Revolución (third Monday of November)
		datetime(2026, 9, 16, 12, 0),  # Wednesday, Día de la Independencia
		datetime(2025, 12, 25, 9, 0),  # Thursday, Navidad
		datetime(2026, 2, 2, 8, 0),  # Monday, Día de la Constitución (first Monday of February)
		datetime(2025, 6, 3, 7, 45),  # Tuesday before opening
		datetime(2025, 10, 31, 18, 30),  # Friday after closing
		datetime(2026, 3, 4, 9, 0),  # Wednesday at opening
		datetime(2026, 3, 5, 18, 0),  # Thursday at closing
		datetime(2025, 9, 15, 17, 30),  # Monday 17:30, the next day is a holiday
		datetime(2026, 11, 15, 10, 0),  # Sunday before a Monday holiday
	]
	points += [moment.replace(tzinfo=tz) for moment in chosen]
	result = []
	for moment in points:
		if calendar.holiday_name(moment.date()):
			kind = "holiday"
		elif moment.weekday() >= 5:
			kind = "weekend"
		elif calendar.is_working_time(moment):
			kind = "working time"
		else:
			kind = "weekday outside hours"
		result.append((moment, kind))
	return result


def _per_call_us(fn, calls: int, repeat: int = 5) -> float:
	"""Best of ``repeat`` timeit runs (each >= 0.2 s), in microseconds per call (one run in a smoke run)."""
	timer = timeit.Timer(fn)
	if SMOKE:
		return timer.timeit(number=1) / calls * 1e6
	number, _ = timer.autorange()
	return min(timer.repeat(repeat=repeat, number=number)) / (number * calls) * 1e6


def part_core(created: _Created) -> None:
	from erpnext.support.doctype.service_level_agreement.service_level_agreement import (
		get_expected_time_for,
	)
	from frappe.utils import get_timedelta

	from support_policy.glue.calendar import get_business_calendar
	from support_policy.setup.install import SEED_CALENDAR

	say()
	say(
		"PART 1 - deadline arithmetic: BusinessCalendar.add_business_seconds vs ERPNext get_expected_time_for"
	)
	say("-" * 100)
	calendar_name = SEED_CALENDAR["calendar_name"]
	calendar_doc = frappe.get_doc("Support Calendar", calendar_name)
	calendar = get_business_calendar(calendar_name)
	tz = calendar.timezone
	say(f"Our calendar: {calendar!r}")

	starts = _core_starts(calendar)
	kinds: dict[str, int] = {}
	for _moment, kind in starts:
		kinds[kind] = kinds.get(kind, 0) + 1
	say(
		f"{len(starts)} start datetimes (36 random in 2025-2026 + 12 chosen edge cases): "
		+ ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
	)

	# The same working hours for ERPNext, from the same Support Calendar record.
	support_days = []
	for row in calendar_doc.working_hours:
		support_days.append(
			{
				"workday": row.weekday,
				"start_time": get_timedelta(row.start_time),
				"end_time": get_timedelta(row.end_time),
			}
		)
	if len({d["workday"] for d in support_days}) != len(support_days):
		raise ValueError("ERPNext allows one interval per weekday; this calendar has split shifts")

	# The same holidays for the years the runs touch, in an ERPNext Holiday List.
	last = max(calendar.add_business_seconds(moment, max(HOURS) * 3600) for moment, _ in starts)
	years = range(min(moment.year for moment, _ in starts) - 1, last.year + 2)
	holidays = {}
	for year in years:
		day = date(year, 1, 1)
		while day.year == year:
			name = calendar.holiday_name(day)
			if name:
				holidays[day] = name
			day += timedelta(days=1)
	holiday_list = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": f"Benchmark SLA México {frappe.generate_hash(length=6)}",
			"from_date": date(years[0], 1, 1),
			"to_date": date(years[-1], 12, 31),
			"holidays": [
				{"holiday_date": day, "description": name, "weekly_off": 0}
				for day, name in sorted(holidays.items())
			],
		}
	)
	holiday_list.insert(ignore_permissions=True)
	created.add("Holiday List", holiday_list.name)
	say(
		f"ERPNext Holiday List (in-transaction): {len(holidays)} Mexican holidays {years[0]}-{years[-1]} "
		f"copied from our calendar; weekly offs not listed (support days are Monday-Friday only)"
	)

	# ERPNext's Service Level Agreement, built in memory with its own validations: inserting one runs
	# set_documents_with_active_service_level_agreement (a Redis cache outside the transaction), and for
	# any doctype other than Issue it adds custom fields (DDL = implicit COMMIT). get_expected_time_for
	# only needs what get_response_and_resolution_duration hands it, which is built the same way here.
	sla = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": "Benchmark México L-V 9-18",
			"document_type": "Issue",
			"enabled": 1,
			"apply_sla_for_resolution": 1,
			"holiday_list": holiday_list.name,
			"priorities": [
				{"priority": "Medium", "response_time": 3600, "resolution_time": 3600, "default_priority": 1}
			],
			"support_and_resolution": support_days,
		}
	)
	sla.check_priorities()
	sla.check_support_and_resolution()
	say(
		"ERPNext Service Level Agreement: built in memory (validated with its check_priorities and "
		"check_support_and_resolution), not inserted"
	)

	def service_level(seconds: int):
		# What get_response_and_resolution_duration(doc) returns for a priority.
		return frappe._dict(
			{
				"priority": "Medium",
				"response_time": seconds,
				"resolution_time": seconds,
				"support_and_resolution": sla.support_and_resolution,
				"holiday_list": sla.holiday_list,
			}
		)

	aware_starts = [moment for moment, _ in starts]
	# ERPNext works on naive wall-clock datetimes: it gets Mexico City wall-clock times, as it would on a
	# site whose system time zone is America/Mexico_City.
	naive_starts = [moment.replace(tzinfo=None) for moment in aware_starts]
	add = calendar.add_business_seconds
	for moment in aware_starts:  # load every holiday year the runs touch
		add(moment, max(HOURS) * 3600)

	say()
	say("Timing (timeit, best of 5, GC off; each run = one call per start datetime):")
	results = []
	disagreements = []
	for hours in HOURS:
		seconds = hours * 3600
		level = service_level(seconds)

		def ours(seconds=seconds):
			for moment in aware_starts:
				add(moment, seconds)

		def theirs(level=level):
			for moment in naive_starts:
				get_expected_time_for("resolution", level, moment)

		ours_us = _per_call_us(ours, len(aware_starts))
		theirs_us = _per_call_us(theirs, len(naive_starts))
		agree = 0
		for (moment, kind), naive in zip(starts, naive_starts, strict=True):
			mine = add(moment, seconds).astimezone(tz).replace(tzinfo=None)
			erp = get_expected_time_for("resolution", level, naive)
			if mine == erp:
				agree += 1
			else:
				disagreements.append((hours, naive, kind, mine, erp))
		results.append((hours, ours_us, theirs_us, agree))

	base = results[0][1]
	rows = []
	for hours, ours_us, theirs_us, agree in results:
		rows.append(
			[
				f"{hours:,}",
				fmt_us(ours_us),
				f"{ours_us / base:.2f}x",
				fmt_us(theirs_us),
				f"{theirs_us / ours_us:,.0f}x",
				f"{agree}/{len(starts)}",
			]
		)
	table(
		[
			"target (business h)",
			"ours us/call",
			"ours vs ours@1h",
			"ERPNext us/call",
			"ERPNext/ours",
			"same deadline",
		],
		rows,
	)
	ratio_200 = next(t / o for h, o, t, _a in results if h == 200)
	flat = max(o for _h, o, _t, _a in results) / base
	say()
	say(f"Goal: ERPNext/ours >= 100x at 200 h  -> {ratio_200:,.0f}x: {yes(ratio_200 >= 100)}")
	say(
		f"Goal: flat cost (read here as: every target within 2x of the 1-hour cost) -> worst "
		f"{flat:.2f}x of the 1-hour cost: {yes(flat <= 2)}"
	)
	by_hours = {h: o for h, o, _t, _a in results}
	if 40 in by_hours and 2000 in by_hours:
		say(
			f"  (ours: a target that ends within the start's days is found in the first loop; longer ones take "
			f"the week-skip path, whose cost does not grow: 2,000 h costs {by_hours[2000] / by_hours[40]:.2f}x "
			f"the 40 h call; ERPNext 2,000 h costs "
			f"{results[-1][2] / next(t for h, _o, t, _a in results if h == 40):.0f}x its 40 h call)"
		)
	total = len(starts) * len(HOURS)
	say(f"Deadlines compared: {total - len(disagreements)}/{total} identical.")
	for hours, naive, kind, mine, erp in disagreements[:10]:
		say(f"  differs: {hours} h from {naive} ({kind}): ours {mine}, ERPNext {erp}")

	lookup_us = _per_call_us(lambda: get_business_calendar(calendar_name), 1)
	say()
	say("Notes:")
	say(
		"  - ERPNext's figure is the whole get_expected_time_for call as ERPNext makes it: it rebuilds the "
		"support-day dict and the holiday list (from the cached Holiday List) on every call, then walks "
		"day by day (add_to_date per day), so its cost grows with the target."
	)
	say(
		f"  - Ours is add_business_seconds on a warm calendar. Getting the calendar in the glue "
		f"(get_business_calendar: one indexed read of the Support Calendar's modified) costs "
		f"{fmt_us(lookup_us)} us, once per save, not per timer."
	)
	say(
		"  - Semantics compared where they match: ERPNext on naive Mexico City wall-clock time, ours on "
		"aware datetimes. Both start the clock at the next opening (weekends, holidays, before/after "
		"hours) and both land a target that is used up exactly at closing on 18:00, not on the next "
		"opening. ERPNext's extra landing rule (move to end_time when allotted_seconds >= 86400) cannot "
		"trigger with 9-hour days."
	)
	say(
		"  - Where they differ (not exercised above): ERPNext does naive arithmetic in the site's system "
		f"time zone (here {frappe.utils.get_system_timezone()}, so on this site its 9:00-18:00 would be "
		"New York hours), so across a DST change it is an hour off in real time (Mexico City has no DST "
		"since 2022, so none here); it treats holidays after the Holiday List's to_date as working "
		"days; a 0-second target never returns (the while loop only ends when allotted_seconds is "
		"truthy); hold time is added back as wall-clock seconds (add_to_date), not business time."
	)


# ---------------------------------------------------------------------------------------------------
# Part 2: the 5-minute job vs the Helpdesk load-and-save loop


def part_job(created: _Created, requests: int, due: int, loop_sample: int, profile: bool = False) -> None:
	from support_policy.glue import sla as sla_glue
	from support_policy.glue import sla_jobs
	from support_policy.glue.timeutil import aware, stored
	from support_policy.setup.testing import current_plan, make_contract, make_customer, make_user
	from support_policy.sla.targets import select_target

	say()
	say(f"PART 2 - the 5-minute job with {requests:,} open Support Requests")
	say("-" * 100)
	if frappe.db.sql("select count(*) from `tabSupport Request` where name like %s", PREFIX + "%")[0][0]:
		raise RuntimeError(f"Support Requests named {PREFIX}* already exist; refusing to run")

	# The job's clock. Requests already committed on the site (e.g. left by the integration tests) that are
	# due would be picked up too - and locked by our long transaction while another session may need them.
	# So the clock is frozen just before the earliest of them if any is due now.
	real_now = frappe.utils.now_datetime().replace(microsecond=0)
	existing = frappe.db.sql(
		"select count(*), min(next_sla_check), sum(next_sla_check <= %s) from `tabSupport Request`", real_now
	)[0]
	earliest = existing[1]
	if earliest and earliest <= real_now:
		now = (earliest - timedelta(minutes=1)).replace(microsecond=0)
		why = (
			f"{int(existing[2])} of the site's {existing[0]} existing requests are due at the real time; the clock "
			f"is frozen just before the earliest ({earliest}) so the job touches only benchmark rows"
		)
	else:
		now = real_now
		why = f"no existing request is due ({existing[0]} on the site)"
	now_aware = aware(now)
	say(
		f"Job clock: {now} site time = {now_aware.astimezone(_mx()):%Y-%m-%d %H:%M:%S %a} Mexico City "
		f"(real time {real_now}); {why}."
	)

	# People and contracts, made with the test builders (contract numbers from a benchmark-only series so
	# that no other session waits on the SC-YYYY- counter row while this transaction is open).
	started = time.perf_counter()
	plan_name = current_plan()
	plan = frappe.get_cached_doc("Support Plan", plan_name)
	agent = make_user("agente@bench-sla.test", roles=("Support Agent",))
	created.users.append(agent)
	created.add("User", agent)
	contracts = []
	for number in range(1, 5):
		customer = make_customer(f"Benchmark SLA Cliente {number}")
		created.add("Customer", customer)
		users = [make_user(f"usuario{k}@bench-cliente{number}.test", customer) for k in range(1, 4)]
		for user in users:
			created.users.append(user)
			created.add("User", user)
		contract = make_contract(customer, users, naming_series="SC-BENCH-")
		created.add("Support Contract", contract.name)
		contracts.append((contract.name, customer, users))
	say(
		f"Set-up: plan {plan_name!r}, {len(contracts)} customers with 3 users and a contract each "
		f"({', '.join(c[0] for c in contracts)}), 1 agent ({time.perf_counter() - started:.1f} s)"
	)

	calendar = sla_glue.calendar_for(plan, True)
	original_calendar_for = sla_glue.calendar_for
	rows_by_target: dict = {}

	def target_for(priority, category):
		key = (priority, category)
		if key not in rows_by_target:
			rows_by_target[key] = select_target(plan.target_rows(), priority, category)
		return rows_by_target[key]

	between = calendar.business_seconds_between
	add = calendar.add_business_seconds
	span_cache: dict[int, int] = {}

	def span_back(age: int) -> int:
		"""Largest real span W (s) with business_seconds_between(now - W, now) <= age."""
		if age not in span_cache:
			low, high = 0, 400 * 86400
			while high - low > 1:
				mid = (low + high) // 2
				if between(now_aware - timedelta(seconds=mid), now_aware) <= age:
					low = mid
				else:
					high = mid
			span_cache[age] = low
		return span_cache[age]

	def received_for_age(age: int) -> datetime:
		"""Latest moment r with business_seconds_between(r, now) >= age."""
		return now_aware - timedelta(seconds=span_back(age - 1) + 1)

	meta = frappe.get_meta("Support Request")
	table_columns = set(frappe.db.get_table_columns("Support Request"))
	base_columns = [
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
		"scope_verdict",
		"scope_category",
		"first_responded_on",
	]
	base_columns = [c for c in base_columns if c in table_columns]
	event_columns = [
		"name",
		"creation",
		"modified",
		"modified_by",
		"owner",
		"docstatus",
		"idx",
		"parent",
		"parentfield",
		"parenttype",
		"timer",
		"event",
		"at",
		"reason",
	]
	sla_columns: list[str] = []  # what recompute() sets, found on the first row
	rng = random.Random(SEED)
	FR, RES = sla_glue.FIRST_RESPONSE, sla_glue.RESOLUTION

	def event(parent, idx, timer, kind, at, reason, moment):
		return (
			f"{parent}-e{idx}",
			moment,
			moment,
			"Administrator",
			"Administrator",
			0,
			idx,
			parent,
			"sla_events",
			"Support Request",
			timer,
			kind,
			stored(at),
			reason,
		)

	def compute(fields: dict, events: list[tuple], saved_at: datetime) -> frappe._dict:
		"""The SLA figures the app itself stores, as of the request's last save."""
		doc = frappe._dict(fields)
		doc.flags = frappe._dict()  # what a Document carries: recompute reads flags set by the job
		doc.sla_events = [frappe._dict(timer=e[10], event=e[11], at=e[12]) for e in events]
		target = target_for(doc.priority, doc.category or doc.scope_category)
		# Not timed: the glue gets the calendar object directly instead of re-reading the Support
		# Calendar's `modified` for every generated row (same object, so the same figures).
		original = sla_glue.calendar_for
		sla_glue.calendar_for = direct_calendar
		try:
			sla_glue.recompute(doc, plan, target, now=saved_at)
		finally:
			sla_glue.calendar_for = original
		return doc

	def direct_calendar(plan_doc, business_hours):
		if business_hours and plan_doc.name == plan_name:
			return calendar
		return original_calendar_for(plan_doc, business_hours)

	def row_values(doc: frappe._dict) -> tuple:
		values = []
		for column in base_columns + sla_columns:
			value = doc.get(column)
			if value is None:
				df = meta.get_field(column)
				if df and df.fieldtype in NUMERIC_TYPES:
					value = 0
			values.append(value)
		return tuple(values)

	def base_fields(index: int) -> dict:
		contract, customer, users = contracts[index % len(contracts)]
		user = users[rng.randrange(len(users))]
		category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0] if rng.random() < 0.55 else None
		return {
			"name": f"{PREFIX}{index:06d}",
			"modified_by": "Administrator",
			"owner": user,
			"docstatus": 0,
			"idx": 0,
			"naming_series": "SR-.YYYY.-",
			"subject": f"{SUBJECTS[index % len(SUBJECTS)]} ({index})",
			"raised_by": user,
			"raised_by_email": user,
			"priority": rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0],
			"category": category,
			"description": DESCRIPTIONS[index % len(DESCRIPTIONS)],
			"contract": contract,
			"customer": customer,
			"support_plan": plan_name,
			"channel": rng.choice(CHANNELS),
			"scope_verdict": "In scope",
			"scope_category": category or rng.choices(CATEGORIES[:7], CATEGORY_WEIGHTS[:7])[0],
		}

	# ---- generate the not-due requests
	started = time.perf_counter()
	request_rows: list[tuple] = []
	event_rows: list[tuple] = []
	fields_by_index: dict[int, dict] = {}
	rejected = 0
	statuses: dict[str, int] = {}
	for index in range(requests):
		fields = base_fields(index)
		target = target_for(fields["priority"], fields["category"] or fields["scope_category"])
		fr_s, res_s = target.first_response_seconds, target.resolution_seconds
		in_progress = rng.random() < 0.6
		# Draws are rejected cheaply (before any SLA computation) when they land where no business time
		# has passed: at night or on a weekend most of the real-time span back does; for a 2-hour target
		# on a Saturday night about 96 % of draws, so 50 attempts ran out about once in 300 requests.
		for _attempt in range(2000):
			if in_progress:
				received = now_aware - timedelta(
					seconds=rng.randrange(span_back(int(res_s * 0.75) - 600) + 1)
				)
				age = between(received, now_aware)
				if age < 300:
					rejected += 1
					continue
				if rng.random() < 0.1 and age > fr_s + 180:  # first response was late
					answered_after = rng.randrange(fr_s + 60, age - 60)
				else:
					answered_after = rng.randrange(60, max(61, min(age - 60, int(fr_s * 0.75) - 60)))
				responded = add(received, answered_after)
			else:
				received = now_aware - timedelta(seconds=rng.randrange(span_back(int(fr_s * 0.75) - 600) + 1))
				responded = None
			name = fields["name"]
			received_s = stored(received)
			events = [
				event(name, 1, FR, "start", received, "Request received", received_s),
				event(name, 2, RES, "start", received, "Request received", received_s),
			]
			if responded:
				events.append(
					event(
						name, 3, FR, "stop", responded, "First reply sent to the customer", stored(responded)
					)
				)
			last_event = responded or received
			saved_at = max(last_event, now_aware - timedelta(seconds=rng.randrange(300)))
			doc = compute(
				{
					**fields,
					"status": "In Progress" if in_progress else "Open",
					"received_on": received_s,
					"creation": received_s,
					"modified": stored(saved_at),
					"first_responded_on": stored(responded) if responded else None,
					"assigned_agent": agent if in_progress or rng.random() < 0.5 else None,
				},
				events,
				saved_at,
			)
			if doc.next_sla_check and doc.next_sla_check > now:
				break
			rejected += 1
		else:
			raise RuntimeError(f"could not generate a not-due request #{index}")
		if not sla_columns:
			sla_columns.extend(c for c in doc if c in table_columns and c not in base_columns)
		request_rows.append(row_values(doc))
		event_rows.extend(events)
		fields_by_index[index] = fields
		statuses[f"{doc.status}/{doc.sla_status}"] = statuses.get(f"{doc.status}/{doc.sla_status}", 0) + 1
	generated_s = time.perf_counter() - started

	started = time.perf_counter()
	frappe.db.bulk_insert("Support Request", base_columns + sla_columns, request_rows, chunk_size=5000)
	frappe.db.bulk_insert("Support Request SLA Event", event_columns, event_rows, chunk_size=10000)
	inserted_s = time.perf_counter() - started
	say(
		f"Generated {requests:,} open requests + {len(event_rows):,} SLA event rows in {generated_s:.1f} s "
		f"(figures by sla_glue.recompute at each request's last save; {rejected} samples redrawn), "
		f"bulk-inserted in {inserted_s:.1f} s"
	)
	say(
		"  status/SLA: "
		+ ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items()))
		+ f"; received within the last few business days, every next_sla_check after {now}"
	)
	due_now = frappe.db.count("Support Request", {"next_sla_check": ("<=", now)})
	say(f"  requests with next_sla_check <= job clock: {due_now}")

	# ---- the job, none due
	with frozen_clock(now):
		sla_jobs.check_due_requests()  # warm-up
		times = []
		processed = set()
		for _ in range(30):
			started = time.perf_counter()
			processed.add(sla_jobs.check_due_requests())
			times.append(time.perf_counter() - started)
	job_sql = frappe.db.last_query
	none_median, none_best = statistics.median(times), min(times)
	say()
	say(
		f"check_due_requests(), none due: median {fmt_s(none_median)}, best {fmt_s(none_best)}, worst "
		f"{fmt_s(max(times))} over 30 runs; requests processed per run: {sorted(processed)}"
	)
	say(f"  query: {job_sql.decode() if isinstance(job_sql, bytes) else job_sql}")
	_explain(job_sql, "none due")

	# ---- the Helpdesk pattern: load and save every open request (timed on a sample)
	frappe.db.savepoint("bench_loop")
	with frozen_clock(now):
		for name in [f"{PREFIX}{i:06d}" for i in range(requests - 10, requests)]:  # warm-up, not timed
			doc = frappe.get_doc("Support Request", name)
			doc.flags.ignore_permissions = True
			doc.save()
		started = time.perf_counter()
		open_names = frappe.get_all(
			"Support Request", filters={"status": ("in", OPEN_STATUSES)}, pluck="name", order_by="name asc"
		)
		list_s = time.perf_counter() - started
		sample = [name for name in open_names if name.startswith(PREFIX)][:loop_sample]
		started = time.perf_counter()
		for name in sample:
			doc = frappe.get_doc("Support Request", name)
			doc.flags.ignore_permissions = True
			doc.save()
		sample_s = time.perf_counter() - started
		if profile:
			import cProfile
			import io
			import pstats

			profiler = cProfile.Profile()
			profiler.enable()
			for name in sample[:200]:
				doc = frappe.get_doc("Support Request", name)
				doc.flags.ignore_permissions = True
				doc.save()
			profiler.disable()
			out = io.StringIO()
			pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
			say("Profile of the load-and-save loop (second pass over up to 200 sample docs):")
			say(out.getvalue())
	frappe.db.rollback(save_point="bench_loop")
	per_doc = sample_s / len(sample)
	loop_estimate = list_s + per_doc * requests
	say()
	say(
		f"Helpdesk pattern (frappe.get_all of the open requests, then frappe.get_doc + .save() each): "
		f"listing {len(open_names):,} open requests took {fmt_s(list_s)}; "
		f"{len(sample):,} docs (the first {len(sample):,} by name) took {sample_s:,.1f} s = "
		f"{per_doc * 1000:.1f} ms per doc"
	)
	say(
		f"  EXTRAPOLATION (linear, from the {len(sample):,}-doc sample, not measured on all): "
		f"{fmt_s(list_s)} + {per_doc * 1000:.1f} ms x {requests:,} = {loop_estimate:,.0f} s "
		f"({loop_estimate / 60:.1f} min) per run"
	)

	# ---- make `due` of them due: older requests whose at-risk moment has passed, stored as saved at arrival
	started = time.perf_counter()
	due_indices = sorted({int((k + 0.5) * requests / due) for k in range(due)})
	expected: dict[str, str] = {}
	new_events = []
	updates = []
	for index in due_indices:
		fields = fields_by_index[index]
		target = target_for(fields["priority"], fields["category"] or fields["scope_category"])
		fr_s = target.first_response_seconds
		if rng.random() < 0.5:
			age = rng.randrange(int(fr_s * 0.75) + 60, fr_s - 60)  # past at-risk, before the deadline
			expected[fields["name"]] = "At Risk"
		else:
			age = rng.randrange(fr_s + 60, int(fr_s * 1.5))  # past the first-response deadline
			expected[fields["name"]] = "Breached"
		received = received_for_age(age)
		received_s = stored(received)
		events = [
			event(fields["name"], 1, FR, "start", received, "Request received", received_s),
			event(fields["name"], 2, RES, "start", received, "Request received", received_s),
		]
		doc = compute(
			{
				**fields,
				"status": "Open",
				"received_on": received_s,
				"creation": received_s,
				"modified": received_s,
				"first_responded_on": None,
				"assigned_agent": agent,
			},
			events,
			received,  # last saved when it arrived
		)
		if not (doc.next_sla_check and doc.next_sla_check <= now):
			raise RuntimeError(f"{doc.name}: expected a due request, next_sla_check {doc.next_sla_check}")
		new_events.extend(events)
		updates.append(row_values(doc))
	due_names = [f"{PREFIX}{i:06d}" for i in due_indices]
	frappe.db.sql(
		"delete from `tabSupport Request SLA Event` where parent in %(names)s", {"names": due_names}
	)
	frappe.db.bulk_insert("Support Request SLA Event", event_columns, new_events)
	columns = base_columns + sla_columns
	assignments = ", ".join(f"`{c}` = %s" for c in columns[1:])
	for values in updates:
		frappe.db.sql(
			f"update `tabSupport Request` set {assignments} where name = %s", (*values[1:], values[0])
		)
	due_now = frappe.db.count("Support Request", {"next_sla_check": ("<=", now)})
	say()
	say(
		f"Made {len(due_names):,} requests due ({time.perf_counter() - started:.1f} s): Open, received "
		f"{'/'.join(sorted(set(expected.values())))}-late relative to their first-response target, SLA "
		f"events rewritten, stored as saved on arrival (On Track, next_sla_check = the passed at-risk "
		f"moment). Requests with next_sla_check <= job clock now: {due_now:,}"
	)
	_explain(job_sql, f"{due_now:,} due")

	def mail_count() -> int:
		"""SLA alert digests queued so far (one per recipient and run)."""
		return frappe.db.count("Email Queue")

	mails_before = mail_count()
	due_runs = []
	original_send = sla_jobs.send_alert_digests
	for attempt in (1, 2):
		frappe.db.savepoint("bench_due")
		profiler = None
		if profile and attempt == 1:
			import cProfile

			profiler = cProfile.Profile()
		in_digests = [0.0]

		def timed_send(alerts, _acc=in_digests):
			began = time.perf_counter()
			try:
				return original_send(alerts)
			finally:
				_acc[0] += time.perf_counter() - began

		sla_jobs.send_alert_digests = timed_send
		try:
			with frozen_clock(now):
				if profiler:
					profiler.enable()
				started = time.perf_counter()
				count = sla_jobs.check_due_requests()
				elapsed = time.perf_counter() - started
				if profiler:
					profiler.disable()
				started = time.perf_counter()
				again = sla_jobs.check_due_requests()
				again_s = time.perf_counter() - started
				again_sql = frappe.db.last_query
		finally:
			sla_jobs.send_alert_digests = original_send
		check = _verify_due(due_names, expected, now)
		due_runs.append((elapsed, count, again, again_s, check, mail_count() - mails_before, in_digests[0]))
		if profiler:
			import io
			import pstats

			out = io.StringIO()
			pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
			say(out.getvalue())
		if attempt == 1:
			_explain(again_sql, "right after the run: none due again")
			frappe.db.rollback(save_point="bench_due")
	say()
	for attempt, (elapsed, count, again, again_s, check, mails, notify_s) in enumerate(due_runs, 1):
		say(
			f"check_due_requests(), {due:,} due, run {attempt}: {fmt_s(elapsed)} for {count:,} requests "
			f"({elapsed / max(count, 1) * 1000:.1f} ms each; {fmt_s(notify_s)} in all for the alert digests, one "
			f"e-mail per recipient through the Email Queue); {check}; digest mails queued {mails:,}; "
			f"the next run found {again} due ({fmt_s(again_s)})"
		)
	best = min(due_runs, key=lambda r: r[0])
	due_best, due_count = best[0], max(best[1], 1)
	per_due = due_best / due_count
	# The loop, in the same state, also saves the due requests - and sends their mails - like the job does.
	loop_due_estimate = list_s + per_doc * (requests - due_count) + per_due * due_count
	say(
		f"  Loop in the {due:,}-due state (EXTRAPOLATION): {fmt_s(list_s)} + {per_doc * 1000:.1f} ms x "
		f"{requests - due_count:,} + {per_due * 1000:.1f} ms x {due_count:,} (the due ones cost the loop what "
		f"they cost the job) = {loop_due_estimate:,.0f} s"
	)

	say()
	say("Summary (job vs the Helpdesk load-and-save loop over every open request)")
	table(
		["case", "our job", "loop (extrapolated)", "loop/job", "goal", "met"],
		[
			[
				"none due",
				fmt_s(none_median),
				f"{loop_estimate:,.0f} s",
				f"{loop_estimate / none_median:,.0f}x",
				"< 0.2 s and >= 50x",
				yes(none_median < 0.2 and loop_estimate / none_median >= 50),
			],
			[
				f"{due:,} due",
				fmt_s(due_best),
				f"{loop_due_estimate:,.0f} s",
				f"{loop_due_estimate / due_best:,.0f}x",
				">= 50x",
				yes(loop_due_estimate / due_best >= 50),
			],
		],
		"lrrrll",
	)
	say(
		f"(our job: none due = median of 30 runs, {due:,} due = best of 2 runs; loop: EXTRAPOLATED linearly "
		f"from a {len(sample):,}-doc sample to {requests:,} docs, not measured on all)"
	)


def _mx():
	from zoneinfo import ZoneInfo

	return ZoneInfo("America/Mexico_City")


def _verify_due(names: list[str], expected: dict[str, str], now: datetime) -> str:
	rows = frappe.get_all(
		"Support Request",
		filters={"name": ("in", names)},
		fields=["name", "sla_status", "next_sla_check", "modified"],
	)
	statuses: dict[str, int] = {}
	wrong = []
	moved = 0
	for row in rows:
		statuses[row.sla_status] = statuses.get(row.sla_status, 0) + 1
		if row.sla_status != expected[row.name]:
			wrong.append(row.name)
		if row.next_sla_check is None or row.next_sla_check > now:
			moved += 1
	text = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
	result = f"now {text}; {len(rows) - len(wrong)}/{len(rows)} as expected; next check moved past the clock: {moved}/{len(rows)}"
	if wrong:
		result += f" (unexpected: {wrong[:5]})"
	return result


def _explain(sql, label: str) -> None:
	if isinstance(sql, bytes):
		sql = sql.decode()
	plan = frappe.db.sql(f"EXPLAIN {sql}", as_dict=True)
	analyzed = frappe.db.sql(f"ANALYZE {sql}", as_dict=True)  # statement ANALYZE: runs the SELECT, no commit
	rows = []
	for row, measured in zip(plan, analyzed, strict=False):
		rows.append(
			[
				row.get("table"),
				row.get("type"),
				row.get("possible_keys"),
				row.get("key"),
				row.get("rows"),
				measured.get("r_rows"),
				row.get("Extra") or "",
			]
		)
	say(f"  EXPLAIN of the job's query ({label}):")
	table(
		["  table", "type", "possible_keys", "key", "rows (est.)", "r_rows (ANALYZE)", "Extra"],
		rows,
		"lllllrl",
	)
