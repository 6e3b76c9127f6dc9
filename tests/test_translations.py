"""The Spanish catalogue (support_policy/locale/es.po) covers every string a user can see.

No Frappe needed: the app's files are read directly.

- Collected: DocType, Report, Workspace, Number Card, Dashboard Chart and Notification JSON (names,
  labels, descriptions, Select options, roles), every ``_("...")`` literal in Python (tests apart),
  every ``__("...")`` literal in JavaScript, ``_("...")`` in HTML/Jinja templates (including the
  ones inside Notification JSON), the ``MSG_*`` templates of ``scope/rules.py`` and the category
  labels of ``support_policy.scope.categories``.
- Strings that reach ``_()`` / ``__()`` through a variable (``_(doc.status)``, ``__(timer)``,
  ``_(error.template)``) cannot be seen by Frappe's POT extractor: each such call must be listed in
  ``DYNAMIC`` below with the values it can take, and those values must be translated. A new call
  with a variable makes ``test_every_dynamic_translation_call_is_registered`` fail until it is listed.
- Every translation keeps the placeholders ({0}, {1}, ...) and the HTML tags of its source.

Frappe compiles es.po with babel (``bench compile-po-to-mo --app support_policy --force``), which
silently drops fuzzy entries, so there must be none.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "support_policy"
MODULE = APP / "support_policy"
PO_PATH = APP / "locale" / "es.po"
POT_PATH = APP / "locale" / "main.pot"


def rel(path: Path) -> str:
	try:
		return path.relative_to(ROOT).as_posix()
	except ValueError:
		return str(path)


# ---------------------------------------------------------------------------------- PO parsing

_PO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PO_ESCAPES = {
	"n": "\n",
	"t": "\t",
	"r": "\r",
	'"': '"',
	"\\": "\\",
	"a": "\a",
	"b": "\b",
	"f": "\f",
	"v": "\v",
}


def _po_unescape(text: str, where: str) -> str:
	def replace(match):
		char = match.group(1)
		if char not in _PO_ESCAPES:
			raise ValueError(f"{where}: unknown escape \\{char}")
		return _PO_ESCAPES[char]

	return re.sub(r"\\(.)", replace, text)


def parse_po(path: Path) -> list[dict]:
	"""Entries of a PO file: {"msgctxt", "msgid", "msgid_plural", "msgstr" (list), "flags",
	"obsolete", "line"}. Strict about syntax: a line it does not understand is an error."""
	entries: list[dict] = []
	entry: dict | None = None
	key: str | None = None  # the keyword the next continuation line belongs to

	def new_entry(line_no: int) -> dict:
		return {
			"msgctxt": None,
			"msgid": None,
			"msgid_plural": None,
			"msgstr": {},
			"flags": set(),
			"obsolete": False,
			"line": line_no,
		}

	def finish():
		nonlocal entry, key
		if entry is not None and entry["msgid"] is not None:
			strs = entry["msgstr"]
			entry["msgstr"] = [strs[i] for i in sorted(strs)]
			entries.append(entry)
		entry, key = None, None

	for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
		where = f"{path.name}:{line_no}"
		line = raw.strip()
		if not line:
			finish()
			continue
		if line.startswith("#~"):
			finish()
			continue  # obsolete entries are ignored by babel
		if line.startswith("#"):
			if entry is not None and entry["msgstr"]:
				finish()
			if entry is None:
				entry = new_entry(line_no)
			if line.startswith("#,"):
				entry["flags"].update(flag.strip() for flag in line[2:].split(",") if flag.strip())
			continue
		match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
		if match:
			keyword, index, rest = match.group(1), match.group(2), match.group(3)
			if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgstr"]:
				finish()
			if entry is None:
				entry = new_entry(line_no)
			if keyword == "msgctxt" and (entry["msgctxt"] is not None or entry["msgid"] is not None):
				raise ValueError(f"{where}: msgctxt out of place")
			if keyword == "msgid" and entry["msgid"] is not None:
				raise ValueError(f"{where}: msgid without msgstr before it")
			if keyword.startswith("msgstr") and entry["msgid"] is None:
				raise ValueError(f"{where}: msgstr without msgid")
			key = f"msgstr[{index}]" if index is not None else keyword
			line = rest
		elif not line.startswith('"') or key is None:
			raise ValueError(f"{where}: cannot parse {raw!r}")
		if not _PO_STRING.fullmatch(line):
			raise ValueError(f"{where}: badly quoted string {raw!r}")
		value = _po_unescape(_PO_STRING.fullmatch(line).group(1), where)
		if key.startswith("msgstr"):
			index = int(key[7:-1]) if "[" in key else 0
			entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
		else:
			entry[key] = (entry[key] or "") + value
	finish()
	return entries


@cache
def po_entries() -> tuple[dict, ...]:
	assert PO_PATH.exists(), f"{rel(PO_PATH)} is missing"
	return tuple(parse_po(PO_PATH))


@cache
def translations() -> dict[tuple[str | None, str], str]:
	"""(msgctxt, msgid) -> msgstr, as Frappe loads them: header, untranslated and fuzzy entries
	excluded."""
	out = {}
	for entry in po_entries():
		if entry["msgid"] and entry["msgstr"] and entry["msgstr"][0] and "fuzzy" not in entry["flags"]:
			out[(entry["msgctxt"], entry["msgid"])] = entry["msgstr"][0]
	return out


def translated(msgid: str, context: str | None = None) -> str | None:
	"""What Frappe would find: the entry with this context, else the one without."""
	table = translations()
	return (context is not None and table.get((context, msgid))) or table.get((None, msgid))


# --------------------------------------------------------------------- collecting visible strings


def app_files(suffix: str):
	for path in sorted(APP.rglob(f"*{suffix}")):
		parts = path.relative_to(APP).parts
		if "__pycache__" in parts or "node_modules" in parts:
			continue
		if "tests" in parts or path.name.startswith("test_") or path.name == "testing.py":
			continue
		yield path


def load_json(path: Path):
	with path.open(encoding="utf-8") as handle:
		return json.load(handle)


def json_docs(folder: str):
	"""JSON documents of one kind in the module folder (doctype, report, workspace, ...)."""
	for path in sorted(MODULE.glob(f"{folder}/*/*.json")):
		data = load_json(path)
		if isinstance(data, dict):
			yield path, data


def select_options(doctype_folder: str, fieldname: str) -> list[str]:
	path = MODULE / "doctype" / doctype_folder / f"{doctype_folder}.json"
	for field in load_json(path)["fields"]:
		if field["fieldname"] == fieldname:
			assert field["fieldtype"] == "Select", f"{doctype_folder}.{fieldname} is not a Select"
			return [o for o in field.get("options", "").split("\n") if o.strip()]
	raise AssertionError(f"{doctype_folder} has no field {fieldname}")


def doctype_strings():
	for path, data in json_docs("doctype"):
		where = rel(path)
		yield data["name"], where
		if data.get("description"):
			yield data["description"], where
		for field in data.get("fields", []):
			for key in ("label", "description"):
				if field.get(key):
					yield field[key], f"{where} ({field['fieldname']}.{key})"
			options = field.get("options")
			if field.get("fieldtype") == "Select" and options and field["fieldname"] != "naming_series":
				for option in options.split("\n"):
					if option.strip() and not option.isdigit():
						yield option, f"{where} ({field['fieldname']} option)"
			if field.get("fieldtype") == "HTML" and options:
				yield options, f"{where} ({field['fieldname']} HTML)"
		for link in data.get("links", []):
			for key in ("group", "link_doctype"):
				if link.get(key):
					yield link[key], f"{where} (connections)"
		for action in data.get("actions", []):
			if action.get("label"):
				yield action["label"], f"{where} (actions)"
		for perm in data.get("permissions", []):
			if perm.get("role"):
				yield perm["role"], f"{where} (role)"


def report_strings():
	for path, data in json_docs("report"):
		if data.get("doctype") == "Report":
			yield data["report_name"], rel(path)
			for column in data.get("columns", []):
				if column.get("label"):
					yield column["label"], rel(path)
			for flt in data.get("filters", []):
				if flt.get("label"):
					yield flt["label"], rel(path)


def workspace_strings():
	for path, data in json_docs("workspace"):
		if data.get("doctype") != "Workspace":
			continue
		where = rel(path)
		yield data["label"], where
		if data.get("title"):
			yield data["title"], where
		for key in ("charts", "number_cards", "links", "shortcuts", "quick_lists", "custom_blocks"):
			for item in data.get(key, []):
				for attr in ("label", "description", "format"):
					if item.get(attr):
						yield item[attr], f"{where} ({key})"
		for block in json.loads(data.get("content") or "[]"):
			if block.get("type") in ("header", "paragraph") and block.get("data", {}).get("text"):
				yield block["data"]["text"], f"{where} (content)"


def card_and_chart_strings():
	for path, data in json_docs("number_card"):
		if data.get("label"):
			yield data["label"], rel(path)
	for path, data in json_docs("dashboard_chart"):
		if data.get("chart_name"):
			yield data["chart_name"], rel(path)


def role_strings():
	path = APP / "fixtures" / "role.json"
	if path.exists():
		for role in load_json(path):
			yield role.get("role_name") or role["name"], rel(path)


# --- translation calls in code ----------------------------------------------------------------


def _scan_call_args(text: str, start: int) -> tuple[str, bool] | None:
	"""From just after "(", the source text of the first argument and whether more follow."""
	depth, i, quote = 0, start, None
	while i < len(text):
		char = text[i]
		if quote:
			if char == "\\":
				i += 2
				continue
			if char == quote:
				quote = None
		elif char in "\"'`":
			quote = char
		elif char in "([{":
			depth += 1
		elif char in ")]}":
			if depth == 0:
				return text[start:i], False
			depth -= 1
		elif char == "," and depth == 0:
			return text[start:i], True
		i += 1
	return None


_JS_LITERAL = re.compile(
	r"""\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)\s*""", re.S
)


def _js_unescape(text: str) -> str:
	return re.sub(
		r"\\(u[0-9a-fA-F]{4}|.)",
		lambda m: (
			chr(int(m.group(1)[1:], 16))
			if m.group(1).startswith("u") and len(m.group(1)) == 5
			else {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1))
		),
		text,
		flags=re.S,
	)


def text_calls(text: str, function: str):
	"""(line, literal or None, argument source) for each call of ``function`` ("_" or "__") in
	JavaScript or Jinja source. A literal is a quoted string without interpolation."""
	pattern = re.compile(r"(?<![\w$.])" + re.escape(function) + r"\(")
	for match in pattern.finditer(text):
		scanned = _scan_call_args(text, match.end())
		if scanned is None:
			continue
		arg = scanned[0]
		line = text.count("\n", 0, match.start()) + 1
		literal = _JS_LITERAL.fullmatch(arg)
		if literal:
			value = next(g for g in literal.groups() if g is not None)
			yield line, _js_unescape(value), arg
		else:
			yield line, None, " ".join(arg.split())


def python_calls(path: Path):
	"""(line, literal or None, argument source, context) for each ``_()``, ``_lt()`` or
	``frappe._()`` call."""
	tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
	for node in ast.walk(tree):
		if not isinstance(node, ast.Call):
			continue
		func = node.func
		if not (
			(isinstance(func, ast.Name) and func.id in ("_", "_lt"))
			or (
				isinstance(func, ast.Attribute)
				and func.attr in ("_", "_lt")
				and isinstance(func.value, ast.Name)
				and func.value.id == "frappe"
			)
		):
			continue
		if not node.args:
			continue
		arg = node.args[0]
		context = None
		for keyword in node.keywords:
			if keyword.arg == "context" and isinstance(keyword.value, ast.Constant):
				context = keyword.value.value
		if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
			yield node.lineno, arg.value, None, context
		else:
			yield node.lineno, None, ast.unparse(arg), context


def jinja_sources():
	"""(name, text) of every Jinja template: .html files and Notification subject/message."""
	for path in app_files(".html"):
		yield rel(path), path.read_text(encoding="utf-8")
	for path, data in json_docs("notification"):
		for key in ("subject", "message"):
			if data.get(key):
				yield f"{rel(path)} ({key})", data[key]


@cache
def code_calls() -> tuple[tuple[str, int, str | None, str | None, str | None], ...]:
	"""(file, line, literal, dynamic argument source, context) of every translation call."""
	calls = []
	for path in app_files(".py"):
		for line, literal, source, context in python_calls(path):
			calls.append((rel(path), line, literal, source, context))
	for path in app_files(".js"):
		for line, literal, source in text_calls(path.read_text(encoding="utf-8"), "__"):
			calls.append((rel(path), line, literal, None if literal is not None else source, None))
	for name, text in jinja_sources():
		for function in ("_", "__"):
			for line, literal, source in text_calls(text, function):
				calls.append((name, line, literal, None if literal is not None else source, None))
	return tuple(calls)


def module_constants(path: Path) -> dict[str, object]:
	"""Module-level constants (str, tuple/list of str, dict of str) of a Python file, by name."""
	out = {}
	for node in ast.parse(path.read_text(encoding="utf-8")).body:
		if isinstance(node, ast.Assign | ast.AnnAssign):
			targets = node.targets if isinstance(node, ast.Assign) else [node.target]
			try:
				value = ast.literal_eval(node.value)
			except ValueError:
				continue
			for target in targets:
				if isinstance(target, ast.Name):
					out[target.id] = value
	return out


def msg_templates() -> dict[str, str]:
	"""The ScopeRuleError templates (MSG_* constants of scope/rules.py)."""
	constants = module_constants(APP / "scope" / "rules.py")
	return {name: value for name, value in constants.items() if name.startswith("MSG_")}


def category_labels() -> list[str]:
	from support_policy.scope.categories import CATEGORIES

	return [category.label for category in CATEGORIES]


def js_array_strings(path: Path) -> list[str]:
	"""Strings of every array literal made only of string literals in a JavaScript file."""
	out = []
	for array in re.findall(r"\[([^\[\]]*)\]", path.read_text(encoding="utf-8")):
		items = [item.strip() for item in array.split(",") if item.strip()]
		if items and all(re.fullmatch(r'"[^"\\]*"', item) for item in items):
			out.extend(item[1:-1] for item in items if item[1:-1])
	return out


# --- values that reach _() / __() through a variable ---------------------------------------------

REQUEST_STATUS = ("support_request", "status")
SLA_STATUS = ("support_request", "sla_status")
PRIORITY = ("support_request", "priority")
CATEGORY = ("support_request", "category")
VERDICT = ("support_request", "scope_verdict")
CONTRACT_STATUS = ("support_contract", "status")
TIMER = ("support_request_sla_event", "timer")
WEEKDAY = ("support_calendar_interval", "weekday")
# ERPNext's Quotation.status options (the Out-of-Scope report shows the linked quotation's status).
QUOTATION_STATUSES = (
	"Draft",
	"Open",
	"Replied",
	"Partially Ordered",
	"Ordered",
	"Lost",
	"Cancelled",
	"Expired",
)

SP = "support_policy/"
R = SP + "support_policy/report/"
D = SP + "support_policy/doctype/"
N = SP + "support_policy/notification/"

# (file, argument source) -> where its values come from: ("options", doctype folder, field),
# ("const", file, NAME), ("values", (...)), ("msg",) for the MSG_* templates, ("doctypes",) for
# DocType names, ("js_arrays",) for the string arrays of the same JavaScript file.
DYNAMIC: dict[tuple[str, str], list[tuple]] = {
	(SP + "glue/reporting.py", "doctype"): [("doctypes",)],
	(SP + "glue/sla.py", "doc.priority"): [("options", *PRIORITY)],
	(R + "support_queue/support_queue.py", "row.priority"): [("options", *PRIORITY)],
	(R + "support_queue/support_queue.py", "row.status"): [("options", *REQUEST_STATUS)],
	(R + "support_queue/support_queue.py", "row.sla_status"): [("options", "support_request", "sla_status")],
	(SP + "glue/sla_jobs.py", "timer"): [("values", ("First Response", "Resolution"))],
	(SP + "glue/sla_jobs.py", "threshold"): [("values", ("At Risk", "Breached"))],
	(SP + "glue/sla_jobs.py", "h"): [
		("values", ("Request", "Subject", "Customer", "Timer", "State", "Due", "Assigned Agent"))
	],
	(SP + "glue/sla.py", "old"): [("options", *REQUEST_STATUS)],
	(SP + "glue/sla.py", "new"): [("options", *REQUEST_STATUS)],
	(SP + "glue/scope.py", "verdict"): [("values", ("In scope", "Out of scope"))],
	(D + "support_calendar/support_calendar.py", "day"): [("options", *WEEKDAY)],
	(D + "support_contract/support_contract.py", "latest.status"): [("options", *CONTRACT_STATUS)],
	(D + "support_plan/support_plan.py", "row.priority or 'any'"): [
		("options", "support_plan_sla_target", "priority"),
		("values", ("any",)),
	],
	(D + "support_plan/support_plan.py", "row.category or 'any'"): [
		("options", "support_plan_sla_target", "category"),
		("values", ("any",)),
	],
	(D + "support_plan/support_plan.py", "p"): [("options", *PRIORITY)],
	(D + "scope_rule/scope_rule.py", "error.template"): [("msg",)],
	(D + "scope_rule/scope_rule.py", "arg"): [
		("values", ("In scope", "Out of scope")),
		("options", *CATEGORY),
	],
	(R + "sla_compliance/sla_compliance.py", "value"): [("options", *PRIORITY), ("options", *CATEGORY)],
	(R + "sla_compliance/sla_compliance.py", "row[field]"): [
		("options", *PRIORITY),
		("options", *CATEGORY),
		("options", *REQUEST_STATUS),
		("options", "support_request", "first_response_status"),
		("options", "support_request", "resolution_status"),
	],
	(R + "scope_rule_performance/scope_rule_performance.py", "row.verdict"): [
		("options", "scope_rule", "verdict")
	],
	(R + "scope_rule_performance/scope_rule_performance.py", "row.category"): [
		("options", "scope_rule", "category")
	],
	(R + "contract_utilization/contract_utilization.py", "row.status"): [("options", *CONTRACT_STATUS)],
	(R + "out_of_scope_and_success_pack/out_of_scope_and_success_pack.py", "row.category"): [
		("options", *CATEGORY)
	],
	(R + "out_of_scope_and_success_pack/out_of_scope_and_success_pack.py", "row.scope_category"): [
		("options", "support_request", "scope_category")
	],
	(R + "out_of_scope_and_success_pack/out_of_scope_and_success_pack.py", "row.scope_verdict"): [
		("options", *VERDICT)
	],
	(R + "out_of_scope_and_success_pack/out_of_scope_and_success_pack.py", "row.quotation_status"): [
		("values", QUOTATION_STATUSES)
	],
	# JavaScript
	(D + "support_request/support_request_list.js", "doc.sla_status"): [("options", *SLA_STATUS)],
	(D + "support_request/support_request_list.js", "doc.status"): [("options", *REQUEST_STATUS)],
	# i13-sites
	(SP + "hub/credentials.py", "site.status"): [("options", "hosted_site", "status")],
	(SP + "hub/intake.py", "status"): [("options", *CONTRACT_STATUS)],
	(D + "site_support_request/site_support_request_list.js", 'doc.status || "Open"'): [
		("options", *REQUEST_STATUS)
	],
	(D + "support_request/support_request.js", "frm.doc.sla_status"): [("options", *SLA_STATUS)],
	(D + "support_request/support_request.js", "value"): [("options", *REQUEST_STATUS)],
	(D + "support_request/support_request.js", "timer"): [("options", *TIMER)],
	(D + "support_request/support_request.js", "v"): [("js_arrays",)],
	(R + "sla_compliance/sla_compliance.js", "v"): [("options", *PRIORITY), ("options", *CATEGORY)],
	(R + "out_of_scope_and_success_pack/out_of_scope_and_success_pack.js", "v"): [("options", *CATEGORY)],
	(R + "agent_workload/agent_workload.js", "value"): [("js_arrays",)],
	# i14-hosting
	(R + "monthly_availability/monthly_availability.py", "request.resolution_status"): [
		("options", "support_request", "resolution_status")
	],
	# Jinja (notifications)
}


def dynamic_values(file: str, sources: list[tuple]) -> list[str]:
	values: list[str] = []
	for source in sources:
		kind = source[0]
		if kind == "options":
			values += select_options(source[1], source[2])
		elif kind == "const":
			constant = module_constants(ROOT / source[1])[source[2]]
			values += list(constant.values()) if isinstance(constant, dict) else list(constant)
		elif kind == "values":
			values += list(source[1])
		elif kind == "msg":
			values += list(msg_templates().values())
		elif kind == "doctypes":
			values += [data["name"] for _path, data in json_docs("doctype")]
		elif kind == "js_arrays":
			values += js_array_strings(ROOT / file)
		else:  # pragma: no cover - a typo in DYNAMIC
			raise AssertionError(f"unknown source {source}")
	return values


@cache
def visible_strings() -> dict[tuple[str | None, str], list[str]]:
	"""(context, msgid) -> where it is used."""
	found: dict[tuple[str | None, str], list[str]] = {}

	def add(msgid, where, context=None):
		if isinstance(msgid, str) and msgid.strip():
			found.setdefault((context, msgid), []).append(where)

	for collector in (
		doctype_strings,
		report_strings,
		workspace_strings,
		card_and_chart_strings,
		role_strings,
	):
		for msgid, where in collector():
			add(msgid, where)
	for file, line, literal, source, context in code_calls():
		if literal is not None:
			add(literal, f"{file}:{line}", context)
		elif (file, source) in DYNAMIC:
			for value in dynamic_values(file, DYNAMIC[(file, source)]):
				add(value, f"{file}:{line} ({source})", context)
	for name, template in msg_templates().items():
		add(template, f"support_policy/scope/rules.py ({name})")
	for label in category_labels():
		add(label, "support_policy/scope/categories.py")
	return found


# ------------------------------------------------------------------------------------------ tests

PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def test_po_file_is_well_formed():
	entries = po_entries()
	header = next((e for e in entries if e["msgid"] == "" and e["msgctxt"] is None), None)
	assert header is not None, "es.po has no header entry"
	fields = dict(line.split(":", 1) for line in header["msgstr"][0].splitlines() if ":" in line)
	fields = {key.strip(): value.strip() for key, value in fields.items()}
	assert fields.get("Language") == "es", fields
	assert "charset=utf-8" in fields.get("Content-Type", "").lower().replace(" ", ""), fields
	assert fields.get("Plural-Forms", "").startswith("nplurals=2;"), fields
	keys = Counter((e["msgctxt"], e["msgid"]) for e in entries)
	duplicates = [key for key, count in keys.items() if count > 1]
	assert not duplicates, f"duplicate entries: {duplicates}"


def test_no_fuzzy_or_blank_entries():
	"""babel (bench compile-po-to-mo) leaves fuzzy and empty entries out of the .mo file."""
	fuzzy = [e["msgid"] for e in po_entries() if e["msgid"] and "fuzzy" in e["flags"]]
	blank = [e["msgid"] for e in po_entries() if e["msgid"] and not all(s.strip() for s in e["msgstr"])]
	assert not fuzzy, f"fuzzy entries are not compiled: {fuzzy}"
	assert not blank, f"entries without translation: {blank}"


def test_msgids_are_what_frappe_looks_up():
	"""frappe._() strips surrounding whitespace before the lookup: such a msgid never matches."""
	bad = [e["msgid"] for e in po_entries() if e["msgid"] and e["msgid"] != e["msgid"].strip()]
	assert not bad, bad


def test_every_visible_string_is_translated():
	missing = {key: places for key, places in visible_strings().items() if not translated(key[1], key[0])}
	if missing:
		print(f"\n{len(missing)} strings without a Spanish translation in {rel(PO_PATH)}:")
		for (context, msgid), places in sorted(missing.items(), key=lambda item: item[0][1]):
			ctx = f" [{context}]" if context else ""
			print(f"  {msgid!r}{ctx}  <- {places[0]}" + (f" (+{len(places) - 1})" if len(places) > 1 else ""))
	assert not missing, f"{len(missing)} visible strings are not translated (listed above)"


def test_every_dynamic_translation_call_is_registered():
	"""Frappe's extractor cannot see what a variable passed to _() / __() holds: list it in DYNAMIC."""
	unknown = sorted(
		(file, line, source)
		for file, line, literal, source, _ctx in code_calls()
		if literal is None and (file, source) not in DYNAMIC
	)
	if unknown:
		print("\nTranslation calls with a variable argument, not listed in DYNAMIC:")
		for file, line, source in unknown:
			print(f"  {file}:{line}: ({source})")
	assert not unknown, "add these calls and the values they can take to DYNAMIC in this test"
	stale = sorted(set(DYNAMIC) - {(file, source) for file, _line, _lit, source, _ctx in code_calls()})
	assert not stale, f"DYNAMIC lists calls that no longer exist: {stale}"
	for (file, source), sources in DYNAMIC.items():
		assert dynamic_values(file, sources), f"no values found for {file}: ({source})"


def test_no_interpolated_strings_in_translation_calls():
	"""_(f"...") or __(`...${x}`) can never match a catalogue entry."""
	bad = [
		f"{file}:{line}: {source}"
		for file, line, literal, source, _ctx in code_calls()
		if literal is None and (source.startswith(("f'", 'f"', "`")) or "+" in source)
	]
	assert not bad, bad


def test_placeholders_and_tags_are_kept():
	problems = []
	for (_context, msgid), msgstr in translations().items():
		if not msgid:
			continue
		if Counter(PLACEHOLDER.findall(msgid)) != Counter(PLACEHOLDER.findall(msgstr)):
			problems.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
		if Counter(TAG.findall(msgid)) != Counter(TAG.findall(msgstr)):
			problems.append(f"HTML tags differ: {msgid!r} -> {msgstr!r}")
	assert not problems, "\n".join(problems)


def test_generated_pot_is_fully_translated():
	"""Every msgid of the POT that ``bench generate-pot-file --app support_policy`` wrote."""
	if not POT_PATH.exists():
		pytest.skip(f"{rel(POT_PATH)} not generated")
	missing = [
		e["msgid"] for e in parse_po(POT_PATH) if e["msgid"] and not translated(e["msgid"], e["msgctxt"])
	]
	assert not missing, f"msgids of main.pot without translation: {missing}"


GLOSSARY = {
	"Support Request": "Solicitud de soporte",
	"Support Contract": "Contrato de soporte",
	"Support Plan": "Plan de soporte",
	"Support Calendar": "Calendario de soporte",
	"Scope Rule": "Regla de alcance",
	"Support Policy Settings": "Configuración de la política de soporte",
	"In scope": "Dentro del alcance",
	"Out of scope": "Fuera del alcance",
	"Out of Scope": "Fuera del alcance",
	"Needs review": "Requiere revisión",
	"On Track": "En tiempo",
	"At Risk": "En riesgo",
	"Breached": "Incumplido",
	"Met": "Cumplido",
	"Paused": "En pausa",
	"Not Applicable": "No aplica",
	"Waiting on Customer": "Esperando al cliente",
	"First Response": "Primera respuesta",
	"Resolution": "Resolución",
	"Business hours": "Horas hábiles",
	"Around the clock": "Las 24 horas",
	"Success Pack": "Success Pack",
	"Authorized Users": "Usuarios autorizados",
	"New version": "Nueva versión",
	"Desk": "Escritorio",
	"Email": "Correo",
	"Low": "Baja",
	"Medium": "Media",
	"High": "Alta",
	"Urgent": "Urgente",
	"We will attend to it from {0} at {1}": "Se atenderá a partir del {0} a las {1}",
	"; {0} is {1}": "; el {0} es {1}",
}


@pytest.mark.parametrize("msgid", sorted(GLOSSARY))
def test_glossary(msgid):
	assert translated(msgid) == GLOSSARY[msgid]


def test_overrule_is_translated_consistently():
	"""Overrule = "Corregir veredicto" wherever it appears; "revocar" is not used for verdicts (it is
	for credentials)."""
	for (_ctx, msgid), msgstr in translations().items():
		if re.search(r"\boverrul|verdict", msgid, re.I):
			assert "revoc" not in msgstr.lower(), (msgid, msgstr)
		if re.search(r"\boverrul", msgid, re.I):
			assert re.search(r"correg", msgstr, re.I), (msgid, msgstr)


def test_clock_note_reads_naturally():
	"""sla_glue.clock_note: template + one "; {0} is {1}" per skipped holiday."""
	note = translated("We will attend to it from {0} at {1}").format("martes 17 de noviembre", "9:00")
	note += translated("; {0} is {1}").format("lunes 16", "Día de la Revolución")
	assert (
		note
		== "Se atenderá a partir del martes 17 de noviembre a las 9:00; el lunes 16 es Día de la Revolución"
	)


# i12-workflow
REQUEST_STATUS_IN_SPANISH = {
	"Open": "Abierta",
	"In Progress": "En curso",
	"Waiting on Customer": "En espera de su respuesta",
	"Resolved": "Resuelta",
	"Closed": "Cerrada",
	"Out of Scope": "Fuera del alcance",
}


def test_a_request_status_reads_as_natural_spanish_in_its_own_context():
	"""Frappe translates a Select's options and a status indicator with the DocType as context, so a
	customer reads "Abierta" on their request while Frappe's own "Open" (a button, other doctypes)
	stays as Frappe translates it."""
	assert set(select_options(*REQUEST_STATUS)) == set(REQUEST_STATUS_IN_SPANISH)
	for status, spanish in REQUEST_STATUS_IN_SPANISH.items():
		assert translated(status, "Support Request") == spanish
	frappe_po = ROOT.parents[0] / "frappe" / "frappe" / "locale" / "es.po"
	for candidate in (frappe_po, Path("/home/frappe/frappe-bench/apps/frappe/frappe/locale/es.po")):
		if candidate.exists():
			frappe_open = next(
				e["msgstr"][0] for e in parse_po(candidate) if e["msgid"] == "Open" and not e["msgctxt"]
			)
			assert translated("Open") == frappe_open  # ours does not change Frappe's site-wide
			break


def test_the_list_shows_the_status_in_context():
	source = (MODULE / "doctype" / "support_request" / "support_request_list.js").read_text()
	assert '__(doc.status, null, "Support Request")' in source
