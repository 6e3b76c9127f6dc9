"""Scope rules: the data model, validation and conversion from Scope Rule records.

A rule says "when a request contains one of these phrases (or matches this regular expression), it
is this kind of request". Phrases are compared as stemmed word sequences (see ``text.py``): case,
accents, punctuation, plurals, verb endings and small words such as "de", "el", "los" are ignored.
Inside a phrase, ``*`` stands for up to three other words ("importar * excel" matches "importar el
catálogo desde Excel").

Error messages are constant English format strings with ``{0}``-style placeholders, so the app can
translate them: ``frappe.throw(_(err.template).format(*err.args))``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from . import categories
from .text import GAP, SOFT_STOPWORDS, phrase_stems

# --- messages (constant format strings; translate the template, then format) ---------------------

MSG_NO_PATTERN = "Scope rule {0} needs at least one phrase or a regular expression."
MSG_EMPTY_PHRASE = "Phrase {0} of scope rule {1} has no words that can be matched."
MSG_UNKNOWN_CATEGORY = "Unknown scope category {0}."
MSG_UNKNOWN_VERDICT = "Unknown scope verdict {0}. Use In scope or Out of scope."
MSG_VERDICT_MISMATCH = "Scope rule {0} says {1}, but the policy classifies category {2} as {3}."
MSG_OTHER_CATEGORY = "Scope rule {0} must name a concrete category, not Other."
MSG_REGEX_EMPTY = "The regular expression is empty."
MSG_REGEX_TOO_LONG = "The regular expression is longer than {0} characters."
MSG_REGEX_INVALID = "The regular expression {0} is not valid: {1}"
MSG_REGEX_MATCHES_EMPTY = "The regular expression {0} matches an empty text, so it would match every request."
MSG_REGEX_NESTED = (
	"The regular expression {0} repeats a group that itself contains a repetition ({1}); this can take "
	"exponential time. Rewrite it without nested repetition, for example (ab)+ instead of (a+b?)+."
)
MSG_REGEX_SLOW = (
	"The regular expression {0} is too slow: it took more than {1} ms on a test text. Simplify it, "
	"for example by removing overlapping alternatives or nested repetitions."
)
MSG_RULE_REGEX = "Scope rule {0}: {1}"

REGEX_MAX_LENGTH = 1000
# Time one regular expression may take on one request at classification time.
REGEX_TIMEOUT_SECONDS = 0.02
# Time one adversarial test may take when a regular expression is validated.
REGEX_TEST_TIMEOUT_SECONDS = 0.05
REGEX_FLAGS = regex.IGNORECASE | regex.VERSION0

VERDICT_IN = categories.IN
VERDICT_OUT = categories.OUT
_VERDICTS = {
	"in": VERDICT_IN,
	"in scope": VERDICT_IN,
	"in_scope": VERDICT_IN,
	"out": VERDICT_OUT,
	"out of scope": VERDICT_OUT,
	"out_of_scope": VERDICT_OUT,
}
VERDICT_LABELS = categories.SCOPE_LABELS
DEFAULT_ORDER = 100


class ScopeRuleError(ValueError):
	"""A rule or regular expression the engine refuses.

	``template`` is one of the ``MSG_*`` constants and ``args`` its arguments, so that
	``_(err.template).format(*err.args)`` gives a translated message; ``str(err)`` is the English one.
	"""

	def __init__(self, template: str, *args):
		self.template = template
		self.args_ = tuple(args)
		super().__init__(template.format(*args))

	@property
	def message(self) -> str:
		return self.template.format(*self.args_)


@dataclass(frozen=True)
class Rule:
	"""One scope rule. ``verdict`` is "in" or "out"; ``category`` a category code.

	``order``: lower is stronger. A rule's weight halves for every 50 of order (order 0 counts four
	times as much as the default 100, order 50 twice, order 150 half), so low orders are for decisive,
	specific evidence and high orders for hints that only count together with others.
	``plan``: None applies to every plan; otherwise only to requests under that plan.
	``weight``: an extra multiplier for rules built in code (records do not carry it).
	"""

	name: str
	title: str
	verdict: str
	category: str
	phrases: tuple[str, ...] = ()
	regex: str | None = None
	order: int = DEFAULT_ORDER
	enabled: bool = True
	plan: str | None = None
	message: str = ""
	weight: float = 1.0


# --- regular expressions ------------------------------------------------------------------------


def _stdlib_parser():
	"""The stdlib's regular-expression parser, used only to inspect the structure of a pattern."""
	try:
		from re import _constants, _parser  # Python 3.11+
	except ImportError:  # pragma: no cover - Python 3.10
		import sre_constants as _constants
		import sre_parse as _parser
	repeats = {_constants.MAX_REPEAT, _constants.MIN_REPEAT}
	if hasattr(_constants, "POSSESSIVE_REPEAT"):
		repeats.add(_constants.POSSESSIVE_REPEAT)
	return _parser, _constants, repeats


# An outer repetition is risky when it is unbounded or allows more than this many rounds.
_MAX_SAFE_OUTER_REPEAT = 10


def _find_nested_repeat(pattern: str) -> str | None:
	"""The text of a repeated group that contains a variable-length repetition, if any."""
	try:
		sre_parse, c, repeats = _stdlib_parser()
		parsed = sre_parse.parse(pattern, re.IGNORECASE)
	except Exception:
		return _find_nested_repeat_textually(pattern)

	def contains_repeat(items) -> bool:
		for op, av in items:
			if op in repeats:
				low, high, sub = av
				if high is c.MAXREPEAT or high != low:
					return True
				if contains_repeat(sub):
					return True
			elif op is c.SUBPATTERN:
				if contains_repeat(av[-1]):
					return True
			elif op is c.BRANCH:
				if any(contains_repeat(branch) for branch in av[1]):
					return True
			elif op in (c.ASSERT, c.ASSERT_NOT):
				if contains_repeat(av[1]):
					return True
		return False

	def walk(items) -> bool:
		for op, av in items:
			if op in repeats:
				_low, high, sub = av
				if (high is c.MAXREPEAT or high > _MAX_SAFE_OUTER_REPEAT) and contains_repeat(sub):
					return True
				if walk(sub):
					return True
			elif op is c.SUBPATTERN:
				if walk(av[-1]):
					return True
			elif op is c.BRANCH:
				if any(walk(branch) for branch in av[1]):
					return True
			elif op in (c.ASSERT, c.ASSERT_NOT):
				if walk(av[1]):
					return True
		return False

	if walk(parsed):
		return _find_nested_repeat_textually(pattern) or pattern
	return None


_TEXTUAL_NESTED = re.compile(r"\((?:[^()\\]|\\.)*(?:[*+]|\{\d*,\d*\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d*,?\d*\})")


def _find_nested_repeat_textually(pattern: str) -> str | None:
	match = _TEXTUAL_NESTED.search(pattern)
	return match.group() if match else None


_LITERAL_CHARS = re.compile(r"[a-z0-9]", re.I)


def _adversarial_texts(pattern: str) -> list[str]:
	"""Texts that make backtracking regular expressions slow: long runs of the characters the pattern
	talks about, followed by a character that makes the match fail at the very end."""
	seeds = []
	for char in [*_LITERAL_CHARS.findall(pattern.lower()), "a", "0", " ", "x", ".", "-", "_", "\n"]:
		if char not in seeds:
			seeds.append(char)
	seeds = seeds[:12]
	texts = []
	for char in seeds:
		texts.append(char * 40 + "!")
		texts.append(char * 5000 + "!")
	for first, second in zip(seeds, seeds[1:] + seeds[:1], strict=False):
		texts.append((first + second) * 40 + "!")
		texts.append((first + " ") * 2000 + "!")
	texts.append("el sistema no abre desde ayer, sale error 502 al entrar y al bajar el respaldo " * 60)
	return texts


# A pattern whose first match in these texts is empty would match (almost) every request.
_EMPTY_MATCH_SAMPLES = ("", "a", "texto de prueba", "1 2 3")


def _compile(pattern: str):
	try:
		return regex.compile(pattern, REGEX_FLAGS)
	except (regex.error, TypeError, ValueError, OverflowError, RecursionError) as exc:
		raise ScopeRuleError(MSG_REGEX_INVALID, pattern, str(exc)) from None


def check_regex_static(pattern: str):
	"""Syntax, length, empty match and nested repetition. Returns the compiled pattern."""
	if pattern is None or not str(pattern).strip():
		raise ScopeRuleError(MSG_REGEX_EMPTY)
	pattern = str(pattern)
	if len(pattern) > REGEX_MAX_LENGTH:
		raise ScopeRuleError(MSG_REGEX_TOO_LONG, REGEX_MAX_LENGTH)
	compiled = _compile(pattern)
	matches_empty = False
	for sample in _EMPTY_MATCH_SAMPLES:
		try:
			found = compiled.search(sample, timeout=REGEX_TEST_TIMEOUT_SECONDS)
		except TimeoutError:
			break
		if found is not None and found.end() == found.start():
			matches_empty = True
			break
	if matches_empty:
		raise ScopeRuleError(MSG_REGEX_MATCHES_EMPTY, pattern)
	nested = _find_nested_repeat(pattern)
	if nested:
		raise ScopeRuleError(MSG_REGEX_NESTED, pattern, nested)
	return compiled


@lru_cache(maxsize=1024)
def validate_regex(pattern: str):
	"""Refuse (``ScopeRuleError``) an empty, invalid, too long or too slow regular expression.

	"Too slow" is decided twice: statically (a repeated group containing a repetition, the usual
	cause of catastrophic backtracking) and by running the pattern, with a timeout, on adversarial
	texts. Returns the compiled pattern (case-insensitive; it is applied to the lower-case,
	accent-free text of the request).
	"""
	compiled = check_regex_static(pattern)
	for text in _adversarial_texts(pattern):
		try:
			compiled.search(text, timeout=REGEX_TEST_TIMEOUT_SECONDS)
		except TimeoutError:
			raise ScopeRuleError(MSG_REGEX_SLOW, pattern, round(REGEX_TEST_TIMEOUT_SECONDS * 1000)) from None
	return compiled


# --- rules ---------------------------------------------------------------------------------------


def validate_rule(rule: Rule, *, check_speed: bool = True) -> Rule:
	"""Refuse (``ScopeRuleError``) a rule the engine cannot use; returns the rule unchanged."""
	category = categories.lookup(rule.category)
	if category is None:
		raise ScopeRuleError(MSG_UNKNOWN_CATEGORY, rule.category)
	if category.code == "other":
		raise ScopeRuleError(MSG_OTHER_CATEGORY, rule.name)
	if rule.verdict not in (VERDICT_IN, VERDICT_OUT):
		raise ScopeRuleError(MSG_UNKNOWN_VERDICT, rule.verdict)
	if rule.verdict != category.scope:
		raise ScopeRuleError(
			MSG_VERDICT_MISMATCH,
			rule.name,
			VERDICT_LABELS[rule.verdict],
			category.label,
			VERDICT_LABELS[category.scope],
		)
	phrases = [p for p in rule.phrases if p and p.strip()]
	if not phrases and not (rule.regex and rule.regex.strip()):
		raise ScopeRuleError(MSG_NO_PATTERN, rule.name)
	for phrase in phrases:
		stems = phrase_stems(phrase)
		# At least one real word: small words and pronouns ("de la", "we", "nos") match almost anything.
		if not [s for s in stems if s != GAP and s not in SOFT_STOPWORDS]:
			raise ScopeRuleError(MSG_EMPTY_PHRASE, phrase, rule.name)
	if rule.regex and rule.regex.strip():
		try:
			if check_speed:
				validate_regex(rule.regex)
			else:
				check_regex_static(rule.regex)
		except ScopeRuleError as exc:
			raise ScopeRuleError(MSG_RULE_REGEX, rule.name, exc) from None
	return rule


def parse_verdict(value) -> str:
	verdict = _VERDICTS.get(str(value or "").strip().lower())
	if verdict is None:
		raise ScopeRuleError(MSG_UNKNOWN_VERDICT, value)
	return verdict


def parse_phrases(value) -> tuple[str, ...]:
	"""Phrases from a Small Text field (one per line; blank lines and ``#`` comments ignored)."""
	if not value:
		return ()
	lines = value.splitlines() if isinstance(value, str) else [str(v) for v in value]
	return tuple(line.strip() for line in lines if line.strip() and not line.strip().startswith("#"))


def _slug(text: str) -> str:
	return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "rule"


def rule_from_record(record: Mapping) -> Rule:
	"""A ``Rule`` from a Scope Rule record (or an item of ``default_rules.json``).

	Accepts the labels the Frappe Select fields store ("Out of scope", "Data Import") as well as the
	codes, ``plan`` or the DocType's ``support_plan``, and a missing order or enabled flag.
	"""
	category = categories.lookup(record.get("category"))
	if category is None:
		raise ScopeRuleError(MSG_UNKNOWN_CATEGORY, record.get("category"))
	order = record.get("order")
	enabled = record.get("enabled")
	regex_text = record.get("regex") or ""
	plan = record.get("plan") or record.get("support_plan") or None
	title = str(record.get("title") or record.get("name") or "")
	return Rule(
		name=str(record.get("name") or _slug(title)),
		title=title,
		verdict=parse_verdict(record.get("verdict")),
		category=category.code,
		phrases=parse_phrases(record.get("phrases")),
		regex=regex_text.strip() or None,
		order=DEFAULT_ORDER if order in (None, "") else int(order),
		enabled=True if enabled in (None, "") else bool(int(enabled)),
		plan=str(plan) if plan else None,
		message=str(record.get("message") or ""),
		weight=float(record.get("weight") or 1.0),
	)


def rules_from_records(records: Iterable[Mapping], *, strict: bool = True) -> list[Rule]:
	"""Rules from Scope Rule records. With ``strict=False`` records that cannot be read are skipped."""
	rules = []
	for record in records:
		try:
			rules.append(rule_from_record(record))
		except (ScopeRuleError, ValueError, TypeError):
			if strict:
				raise
	return rules


def rule_to_record(rule: Rule) -> dict:
	"""The inverse of :func:`rule_from_record` (the shape of ``default_rules.json``)."""
	return {
		"name": rule.name,
		"title": rule.title,
		"verdict": VERDICT_LABELS[rule.verdict],
		"category": categories.by_code(rule.category).label,
		"phrases": "\n".join(rule.phrases),
		"regex": rule.regex or "",
		"order": rule.order,
		"enabled": 1 if rule.enabled else 0,
		"plan": rule.plan or "",
		"message": rule.message,
	}


DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.json")


def load_default_records() -> list[dict]:
	"""The shipped rules as records (what the app installs as Scope Rule documents)."""
	with DEFAULT_RULES_PATH.open(encoding="utf-8") as handle:
		return json.load(handle)


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
	return tuple(rules_from_records(load_default_records()))


def load_default_rules() -> list[Rule]:
	"""The shipped rules (read once per process)."""
	return list(_default_rules())


def fingerprint(rules: Sequence[Rule]) -> str:
	"""A stable identifier of a rule set (same rules, same fingerprint), for caching."""
	import hashlib

	digest = hashlib.sha1(usedforsecurity=False)
	for rule in rules:
		digest.update(
			json.dumps(
				[
					rule.name,
					rule.verdict,
					rule.category,
					list(rule.phrases),
					rule.regex,
					rule.order,
					rule.enabled,
					rule.plan,
					rule.message,
					rule.weight,
				],
				ensure_ascii=False,
			).encode()
		)
	return digest.hexdigest()
