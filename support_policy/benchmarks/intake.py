"""Benchmark: what raising a request costs, against an ERPNext Issue with an active SLA.

    bench --site SITE execute support_policy.benchmarks.intake.run
    bench --site SITE execute support_policy.benchmarks.intake.run --kwargs "{'rounds': 400, 'profile': True}"
    bench --site SITE execute support_policy.benchmarks.intake.run --kwargs "{'smoke': True}"

Three inserts are timed side by side in this process, round after round, with the same texts:

- an ERPNext ``Issue`` (the anchor) with a default Service Level Agreement for Issues (Monday-Friday
  9:00-18:00, a holiday list with Mexico's holidays of the year), raised for the same customer;
- a ``Support Request`` that the scope rules find in scope, raised by an authorized customer user;
- a ``Support Request`` that they find out of scope (the Success Pack follow-up is queued for after the
  commit; the customer's save does not wait for it).

Each insert starts like a web request of its own (``frappe.set_user`` empties the request cache) in
Spanish, so the Issue and our requests pay the same per-request costs (e.g. loading the Spanish
translations once).

Texts come from the shipped labelled requests (``scope/training_requests.jsonl``), picked by what the
classifier says so that each path really runs. Each figure is the median of ``rounds`` inserts (the
goal: each of ours within 1.5x of the Issue). ``profile=True`` adds a cProfile summary of our two
intakes. It asserts nothing: a missed goal prints "NO".

Nothing is committed: everything is written inside the command's transaction and rolled back at the
end, also on error, and the benchmark checks that nothing of it is left.
"""

from __future__ import annotations

import cProfile
import io
import platform
import pstats
import statistics
import time

import frappe

from support_policy.benchmarks.sla_vs_erpnext import _Guard, _version, say, table

GOAL = 1.5
CUSTOMER = "Intake Benchmark SA"
USER = "intake-bench@example.invalid"
SLA_NAME = "Intake benchmark SLA"
HOLIDAY_LIST = "Intake benchmark holidays"


def run(rounds: int = 200, smoke: bool = False, profile: bool = False):
	if smoke:
		rounds = 3
	began = time.perf_counter()
	before = _counts()
	say("=" * 100)
	say("Intake benchmark: Support Request (in scope, out of scope) vs ERPNext Issue with an active SLA")
	say(
		f"site {frappe.local.site} | frappe {frappe.__version__} | erpnext {_version('erpnext')} | "
		f"python {platform.python_version()} | {platform.machine()} | {rounds} rounds"
	)
	say("Everything is written inside one transaction and rolled back at the end; nothing is committed.")
	say("=" * 100)
	guard = _Guard()
	try:
		with guard:
			_setup()
			texts = _texts(rounds)
			timings = _measure(texts, rounds)
			_report(timings)
			if profile and not smoke:
				_profile(texts)
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("Support Policy Settings", "Support Policy Settings")
		left = {doctype: count for doctype, count in _counts().items() if count != before[doctype]}
		say("-" * 100)
		say("Rolled back. " + ("Nothing left in the database." if not left else f"LEFT: {left}"))
		say(f"Total benchmark time: {time.perf_counter() - began:,.1f} s")


def _counts() -> dict[str, int]:
	return {
		doctype: frappe.db.count(doctype)
		for doctype in ("Support Request", "Issue", "Quotation", "Communication", "Customer", "User")
	}


def _setup() -> None:
	from support_policy.setup.testing import make_contract, make_customer, make_user

	frappe.set_user("Administrator")
	make_customer(CUSTOMER)
	make_user(USER, CUSTOMER)
	make_contract(CUSTOMER, [USER], start=frappe.utils.add_days(frappe.utils.nowdate(), -30))
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	for priority in ("Low", "Medium", "High", "Urgent"):
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority", "name": priority}).insert(ignore_permissions=True)
	year = frappe.utils.getdate().year
	import holidays

	frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": HOLIDAY_LIST,
			"from_date": f"{year}-01-01",
			"to_date": f"{year + 1}-12-31",
			"holidays": [
				{"holiday_date": day, "description": name}
				for day, name in sorted(holidays.country_holidays("MX", years=(year, year + 1)).items())
			],
		}
	).insert(ignore_permissions=True)
	hours = {"start_time": "09:00:00", "end_time": "18:00:00"}
	frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": SLA_NAME,
			"document_type": "Issue",
			"enabled": 1,
			"default_service_level_agreement": 1,
			"default_priority": "Medium",
			"holiday_list": HOLIDAY_LIST,
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": p,
					"response_time": 4 * 3600,
					"resolution_time": 27 * 3600,
					"default_priority": p == "Medium",
				}
				for p in ("Low", "Medium", "High", "Urgent")
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"pause_sla_on": [{"status": "Replied"}],
			"support_and_resolution": [
				{"workday": day, **hours} for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
		}
	).insert(ignore_permissions=True)


def _texts(rounds: int) -> dict[str, list[tuple[str, str]]]:
	"""``rounds`` (subject, description) pairs the classifier finds in scope, and as many out of scope."""
	from support_policy.glue import scope as scope_glue
	from support_policy.scope import classify
	from support_policy.scope.learned import TRAINING_FILE, load_jsonl

	rules = scope_glue.active_rules()
	found: dict[str, list[tuple[str, str]]] = {"in": [], "out": []}
	for row in load_jsonl(TRAINING_FILE):
		verdict = classify(row["subject"], row["description"], rules=rules, learned=True).verdict
		kind = {"in_scope": "in", "out_of_scope": "out"}.get(verdict)
		if kind and len(found[kind]) < rounds:
			found[kind].append((row["subject"][:140], row["description"]))
		if all(len(v) >= rounds for v in found.values()):
			break
	for kind in found:  # a small labelled file: reuse texts rather than run short
		while len(found[kind]) < rounds:
			found[kind] += found[kind][: rounds - len(found[kind])]
	return found


def _as(user: str) -> None:
	"""Each insert as its own web request would run it: a fresh request cache, in Spanish (the language
	of the provider's customers and agents), for the Issue and for our requests alike."""
	frappe.set_user(user)
	frappe.local.lang = "es"


def _issue(subject: str, description: str):
	_as("Administrator")
	return frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"description": description,
			"raised_by": USER,
			"customer": CUSTOMER,
			"priority": "Medium",
		}
	)


def _request(subject: str, description: str):
	_as(USER)
	return frappe.get_doc(
		{"doctype": "Support Request", "subject": subject, "description": description, "priority": "Medium"}
	)


def _measure(texts, rounds: int) -> dict[str, list[float]]:
	timings: dict[str, list[float]] = {"issue": [], "in": [], "out": []}
	# One untimed round first: caches (metadata, rules, calendars) are warm for all three kinds.
	issue = _issue(*texts["in"][-1]).insert()
	_request(*texts["in"][-1]).insert()
	_request(*texts["out"][-1]).insert()
	frappe.set_user("Administrator")
	if issue.service_level_agreement != SLA_NAME or not issue.resolution_by:
		say(f"WARNING: the Issue got no SLA ({issue.service_level_agreement!r})")
	for i in range(rounds):
		# The same text for the Issue as for our request; the order rotates so no kind is always first.
		cases = [
			("issue", _issue, texts["in"][i]),
			("in", _request, texts["in"][i]),
			("out", _request, texts["out"][i]),
		]
		cases = cases[i % 3 :] + cases[: i % 3]
		for kind, build, (subject, description) in cases:
			doc = build(subject, description)
			start = time.perf_counter()
			doc.insert()
			timings[kind].append(time.perf_counter() - start)
			if kind == "out" and i == 0 and doc.status != "Out of Scope":
				say(f"WARNING: the out-of-scope text was found {doc.status!r}")
	frappe.set_user("Administrator")
	return timings


def _report(timings: dict[str, list[float]]) -> None:
	issue = statistics.median(timings["issue"])
	rows = []
	for kind, label in (
		("issue", "ERPNext Issue with an active SLA (anchor)"),
		("in", "Support Request, in scope"),
		("out", "Support Request, out of scope"),
	):
		values = sorted(timings[kind])
		median = statistics.median(values)
		p90 = values[int(0.9 * (len(values) - 1))]
		ratio = median / issue
		goal = "" if kind == "issue" else ("yes" if ratio <= GOAL else "NO")
		rows.append([label, f"{median * 1000:.1f} ms", f"{p90 * 1000:.1f} ms", f"{ratio:.2f}x", goal])
	say()
	table(["insert", "median", "p90", "vs Issue", f"<= {GOAL}x"], rows, "lrrrl")


def _profile(texts) -> None:
	"""Where our intake spends its time: cumulative time of the app's functions and the big Frappe ones."""
	for kind in ("in", "out"):
		profiler = cProfile.Profile()
		for subject, description in texts[kind][:50]:
			doc = _request(subject, description)
			profiler.enable()
			doc.insert()
			profiler.disable()
		frappe.set_user("Administrator")
		out = io.StringIO()
		stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
		stats.print_stats(r"support_policy|insert|validate|run_method|enqueue|holiday|sql", 30)
		say()
		say(f"cProfile, 50 {kind}-scope requests (cumulative):")
		say(out.getvalue())
