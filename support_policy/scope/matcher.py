"""Compiled rule sets: a token trie of every phrase plus the few regular expressions.

Matching a request walks its tokens once. At each token the trie is entered by that token's stem (a
dict lookup), and only the phrases that start there are followed, so the cost per request depends on
the length of the request and on how many phrases share a beginning, not on how many rules there are.
Regular expressions are the exception: each runs on its own, so they should be few. Each run has a
timeout (``regex`` module); one that times out is skipped and reported, never waited for.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .rules import (
	REGEX_TIMEOUT_SECONDS,
	Rule,
	ScopeRuleError,
	_stdlib_parser,
	check_regex_static,
	fingerprint,
	validate_rule,
)
from .text import (
	EXACT,
	GAP,
	NEGATION_BREAKS,
	NEGATION_BRIDGES,
	NEGATION_LIGHT_VERBS,
	NEGATION_VERBS,
	NEGATION_WANTING,
	STRONG_NEGATIONS,
	THAT_WORDS,
	Token,
	fold,
	phrase_stems,
)

logger = logging.getLogger(__name__)

# Up to this many words (small words not counted) may stand for "*" in a phrase.
MAX_GAP = 3
# Small words ("de", "los", "nos", "nuestro"...) skipped in a row between two words of a phrase.
MAX_SOFT_SKIP = 4
# A regular expression that timed out this many times is not tried again (until the rules change).
MAX_REGEX_TIMEOUTS = 3
# Total time all regular expressions together may take on one request.
REGEX_BUDGET_SECONDS = 0.1


class _Node:
	__slots__ = ("ends", "gap", "next", "via_exact")

	def __init__(self, via_exact: bool = False):
		self.next: dict[str, _Node] = {}
		self.gap: _Node | None = None
		self.ends: list[tuple[int, int]] = []  # (rule index, number of words of the phrase)
		self.via_exact = via_exact  # reached by a word written "=word"


@dataclass(frozen=True, slots=True)
class Hit:
	"""One piece of evidence: rule ``rule`` (index in ``Matcher.rules``) matched ``start:end`` of the
	subject (``in_subject``) or of the description."""

	rule: int
	start: int
	end: int
	words: int
	in_subject: bool
	regex: bool = False


@dataclass
class Matcher:
	"""A compiled rule set (build it with :func:`compile_rules`; do not change it). Its only state is
	a count of regex timeouts, so that a regex that keeps timing out stops being tried."""

	rules: tuple[Rule, ...]
	key: str
	errors: tuple[tuple[str, str], ...] = ()
	_root: dict[str, _Node] = field(default_factory=dict, repr=False)
	_regexes: tuple[tuple[int, object, str | None], ...] = field(default=(), repr=False)
	phrase_count: int = 0
	_has_exact: bool = False
	source: tuple[Rule, ...] = field(default=(), repr=False, compare=False)
	# Timeouts per regex rule; after MAX_REGEX_TIMEOUTS the regex is no longer tried by this matcher.
	_timeouts: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

	@property
	def regex_count(self) -> int:
		return len(self._regexes)

	# -- phrases --

	def match_tokens(self, tokens: Sequence[Token], in_subject: bool) -> list[Hit]:
		hits: list[Hit] = []
		root = self._root
		n = len(tokens)
		exact = self._has_exact
		negated_end = -1
		for i in range(n):
			token = tokens[i]
			node = root.get(token.stem)
			exact_node = root.get(EXACT + token.word) if exact else None
			if node is None and exact_node is None:
				continue
			# Words inside a negated phrase stay negated ("no necesitamos tocar el flujo de
			# aprobación": neither "flujo de aprobación" nor "aprobación" counts).
			if token.start < negated_end or _negated(tokens, i):
				skipped: list[Hit] = []
				if node is not None:
					self._walk(tokens, n, node, i, i, skipped, in_subject)
				if exact_node is not None:
					self._walk(tokens, n, exact_node, i, i, skipped, in_subject)
				negated_end = max([negated_end] + [hit.end for hit in skipped])
				continue
			if node is not None:
				self._walk(tokens, n, node, i, i, hits, in_subject)
			if exact_node is not None:
				self._walk(tokens, n, exact_node, i, i, hits, in_subject)
		return hits

	def _walk(self, tokens, n, node: _Node, first: int, last: int, hits: list[Hit], in_subject: bool):
		if node.ends:
			start, end = tokens[first].start, tokens[last].end
			for rule_index, words in node.ends:
				hits.append(Hit(rule_index, start, end, words, in_subject))
		sentence = tokens[first].sentence
		if node.next:
			j = last + 1
			skipped = 0
			exact = self._has_exact
			# Small words may be skipped between two words of a phrase, but not between two words
			# written "=word": "=en =sitio" must not match "en un sitio".
			while j < n and tokens[j].sentence == sentence:
				child = node.next.get(tokens[j].stem)
				if child is not None and not (skipped and node.via_exact and child.via_exact):
					self._walk(tokens, n, child, first, j, hits, in_subject)
				if exact and not (skipped and node.via_exact):
					child = node.next.get(EXACT + tokens[j].word)
					if child is not None:
						self._walk(tokens, n, child, first, j, hits, in_subject)
				if not tokens[j].soft or skipped >= MAX_SOFT_SKIP:
					break
				skipped += 1
				j += 1
		if node.gap is not None:
			gap = node.gap
			skipped_words = 0
			j = last + 1
			while j < n and tokens[j].sentence == sentence and j <= last + 2 * MAX_GAP + 1:
				child = gap.next.get(tokens[j].stem)
				if child is not None:
					self._walk(tokens, n, child, first, j, hits, in_subject)
				if self._has_exact:
					child = gap.next.get(EXACT + tokens[j].word)
					if child is not None:
						self._walk(tokens, n, child, first, j, hits, in_subject)
				if not tokens[j].soft:
					skipped_words += 1
					if skipped_words > MAX_GAP:
						break
				j += 1

	# -- regular expressions --

	def match_regexes(
		self, folded: str, in_subject: bool, deadline: float, skipped: list[str], allowed=None
	) -> list[Hit]:
		hits: list[Hit] = []
		for rule_index, compiled, literal in self._regexes:
			if allowed is not None and not allowed(rule_index):
				continue
			if literal is not None and literal not in folded:
				continue
			remaining = deadline - time.perf_counter()
			name = self.rules[rule_index].name
			if remaining <= 0:
				if name not in skipped:
					skipped.append(name)
				continue
			if self._timeouts.get(rule_index, 0) >= MAX_REGEX_TIMEOUTS:
				if name not in skipped:
					skipped.append(name)
				continue
			try:
				found = compiled.search(folded, timeout=min(REGEX_TIMEOUT_SECONDS, remaining))
			except TimeoutError:
				self._timeouts[rule_index] = self._timeouts.get(rule_index, 0) + 1
				if name not in skipped:
					skipped.append(name)
				logger.warning("Scope rule %s: regular expression timed out and was skipped", name)
				continue
			if found is not None and found.end() > found.start():
				hits.append(Hit(rule_index, found.start(), found.end(), 2, in_subject, True))
		return hits


# Words (not counting small words) a negation's scope may reach over before the phrase.
MAX_NEGATION_BRIDGE = 4


def _negated(tokens: Sequence[Token], i: int) -> bool:
	"""A match starting at token ``i`` is negated when, within the same clause, it follows a negation
	("no programen", "sin personalizaciones") with nothing in between but small words and words of
	wanting, needing or asking ("no queremos que nos lo programen", "no hace falta que vengan", "no es
	tema de facturación", "no queremos volver a importar", "we don't need a report"). After such a verb
	one more verb may stand before the phrase ("no necesitamos tocar el flujo", "no quiero que cambien
	el formato"). Phrases may start with "no" ("no puedo entrar")."""
	if tokens[i].negation:
		return False
	clause = tokens[i].clause
	between: list[int] = []  # non-small words between the negation and the phrase, nearest first
	j = i - 1
	while j >= 0 and tokens[j].clause == clause:
		token = tokens[j]
		if token.soft:
			if token.word in NEGATION_BREAKS:
				return False
			j -= 1
			continue
		if token.negation:
			if not between:
				return True
			if len(between) == 1 and tokens[between[0]].stem in NEGATION_VERBS:
				return True
			return token.word in STRONG_NEGATIONS and _bridged(tokens, between[::-1])
		between.append(j)
		if len(between) > MAX_NEGATION_BRIDGE:
			return False
		j -= 1
	return False


def negated_at(tokens: Sequence[Token], position: int) -> bool:
	"""Whether a match (a regular expression's) starting at character ``position`` is negated."""
	for i, token in enumerate(tokens):
		if token.end > position:
			return _negated(tokens, i)
	return False


def _bridged(tokens: Sequence[Token], words: list[int]) -> bool:
	"""Whether the words (indexes, in reading order) between a negation and a phrase keep the phrase
	inside the negation's scope."""
	wanting = False
	last = len(words) - 1
	for position, index in enumerate(words):
		token = tokens[index]
		if token.stem in NEGATION_BRIDGES:
			wanting = wanting or token.stem in NEGATION_WANTING
			continue
		light = NEGATION_LIGHT_VERBS.get(token.stem)
		if light is not None and index + 1 < len(tokens):
			following = tokens[index + 1]
			if following.stem == light or following.word == light:
				wanting = wanting or light == "falt"
				continue
		# One more verb after a verb of wanting: an infinitive ("tocar", "tocarlo") or a verb after
		# "que" ("que cambien").
		if position == last and wanting and (_infinitive(token.word) or tokens[index - 1].word in THAT_WORDS):
			continue
		return False
	return True


def _infinitive(word: str) -> bool:
	for clitic in ("", "lo", "la", "los", "las", "le", "les", "nos", "me", "se"):
		if clitic and not word.endswith(clitic):
			continue
		base = word[: len(word) - len(clitic)] if clitic else word
		if len(base) >= 4 and base.endswith(("ar", "er", "ir")):
			return True
	return False


def _fold_pattern(pattern: str) -> str:
	"""Accented letters in a pattern are matched against accent-free text: fold them, and only them."""
	if pattern.isascii():
		return pattern
	return "".join(fold(c) if not c.isascii() and c.isalpha() else c for c in pattern)


def _required_literal(pattern: str) -> str | None:
	"""A piece of plain text every match must contain (to skip the regex cheaply), if one is easy to
	find: the longest run of literal characters at the top level of the pattern."""
	try:
		sre_parse, c, _repeats = _stdlib_parser()
		parsed = sre_parse.parse(pattern, re.IGNORECASE)
	except Exception:
		return None
	best = ""
	run: list[str] = []
	for op, av in parsed:
		if op is c.LITERAL:
			run.append(chr(av))
			continue
		candidate = "".join(run)
		if len(candidate) > len(best):
			best = candidate
		run = []
	candidate = "".join(run)
	if len(candidate) > len(best):
		best = candidate
	best = best.lower()
	if len(best) < 3 or best != fold(best):
		return None
	return best


def _build(rules: Sequence[Rule], key: str, strict: bool) -> Matcher:
	kept: list[Rule] = []
	errors: list[tuple[str, str]] = []
	for rule in rules:
		if not rule.enabled:
			continue
		try:
			validate_rule(rule, check_speed=False)
		except ScopeRuleError as exc:
			if strict:
				raise
			errors.append((rule.name, exc.message))
			logger.warning("Scope rule %s skipped: %s", rule.name, exc.message)
			continue
		kept.append(rule)
	root: dict[str, _Node] = {}
	regexes = []
	phrase_count = 0
	has_exact = False
	for index, rule in enumerate(kept):
		for phrase in rule.phrases:
			stems = phrase_stems(phrase)
			words = sum(1 for s in stems if s != GAP)
			has_exact = has_exact or any(s.startswith(EXACT) for s in stems)
			if not words:
				continue
			node = root.setdefault(stems[0], _Node(stems[0].startswith(EXACT)))
			for stem in stems[1:]:
				if stem == GAP:
					if node.gap is None:
						node.gap = _Node()
					node = node.gap
				else:
					node = node.next.setdefault(stem, _Node(stem.startswith(EXACT)))
			if (index, words) not in node.ends:
				node.ends.append((index, words))
			phrase_count += 1
		if rule.regex and rule.regex.strip():
			pattern = _fold_pattern(rule.regex.strip())
			compiled = check_regex_static(pattern)
			regexes.append((index, compiled, _required_literal(pattern)))
	return Matcher(
		rules=tuple(kept),
		key=key,
		errors=tuple(errors),
		_root=root,
		_regexes=tuple(regexes),
		phrase_count=phrase_count,
		_has_exact=has_exact,
		source=tuple(rules),
	)


_CACHE: OrderedDict[str, Matcher] = OrderedDict()
_CACHE_SIZE = 16
_LOCK = threading.Lock()


def compile_rules(rules: Iterable[Rule], *, version: str | None = None, strict: bool = False) -> Matcher:
	"""Compile rules once; the result is cached (the last few rule sets, per process).

	The cache key is ``version`` when the caller has one (for example the count and latest
	modification time of the Scope Rule records): then the rules are not even looked at on a hit.
	Otherwise the key is the hash of the rules (frozen dataclasses), checked against the cached rules,
	which costs a few microseconds per rule. Disabled rules are left out. An invalid rule raises
	``ScopeRuleError`` with ``strict=True``; otherwise it is left out and listed in ``Matcher.errors``
	(the app validates rules on save, so classification never fails because of one bad record).
	Regular expressions are checked statically here; their speed is bounded at classification time by
	a timeout.
	"""
	if version is not None:
		key = f"v:{version}:{int(strict)}"
		with _LOCK:
			cached = _CACHE.get(key)
			if cached is not None:
				_CACHE.move_to_end(key)
				return cached
		source = tuple(rules)
	else:
		source = tuple(rules)
		try:
			key = f"h:{hash(source)}:{int(strict)}"
		except TypeError:  # a rule built with lists instead of tuples
			key = f"f:{fingerprint(source)}:{int(strict)}"
		with _LOCK:
			cached = _CACHE.get(key)
		if cached is not None and _same_rules(cached.source, source):
			with _LOCK:
				_CACHE.move_to_end(key)
			return cached
	matcher = _build(source, key, strict)
	with _LOCK:
		_CACHE[key] = matcher
		_CACHE.move_to_end(key)
		while len(_CACHE) > _CACHE_SIZE:
			_CACHE.popitem(last=False)
	return matcher


def _same_rules(a: tuple, b: tuple) -> bool:
	return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))


def clear_cache():
	with _LOCK:
		_CACHE.clear()
