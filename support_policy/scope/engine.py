"""Classify a support request against the policy.

Decision logic (see also the package docstring):

1. A category the customer selected that the policy excludes decides by itself: out of scope, with
   the selected category as evidence. ("Other" counts as no selection.)
2. Otherwise every rule is matched against subject and description. Where matches of different
   categories overlap, only one counts: a longer phrase that contains the other ("dar de alta
   ustedes" over "dar de alta"), else the stronger match. A match scores
   ``rule weight x phrase specificity x place``: the rule weight halves for every 50 of ``order``
   (``2 ** ((100 - order) / 50)``: order 0 counts 4, 50 counts 2, 100 counts 1, 150 counts 0.5);
   a phrase of n words counts ``1 + 0.3 (n - 1)`` (up to 4 words; a regex counts as 2 words); a
   match in the subject counts 1.2 times. A phrase preceded by a negation ("no queremos que nos lo
   programen", "sin personalizaciones") does not count. A rule's score is its
   best match plus a quarter of its other matches (at most 1.5 times the best); a category's score is
   the sum of its rules' scores.
3. A selected *included* category is only a hint (customers mis-select): it adds
   ``SELECTED_CATEGORY_BONUS`` to that category, so with no contrary evidence the request is in scope
   under the customer's category, while a confident out-of-scope match still wins.
4. The best out-of-scope category decides "out_of_scope" only when it is confident: its score is at
   least ``OUT_MIN_SCORE`` and at least ``OUT_MARGIN`` times the best included category's score.
   An out-of-scope category that leads without being confident gives "needs_review".
5. The best included category decides "in_scope" when its score is at least ``IN_MARGIN`` times the
   best out-of-scope score; a closer contest gives "needs_review".
6. ``data_change`` ("hagan ustedes el cambio en mis datos") is answered by guiding: in scope, no
   Success Pack. It is never counted against an excluded category (a data import asked "for us" is
   still a data import).
7. Nothing matched: "needs_review" with no category. The policy's included kinds are a closed list,
   so a request is only in scope when something says which included kind it is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from . import categories
from .learned import decide_undecided
from .matcher import REGEX_BUDGET_SECONDS, Hit, Matcher, compile_rules, negated_at
from .reply import own_words
from .rules import Rule, load_default_rules
from .text import fold, prepare, tokenize

IN_SCOPE = "in_scope"
OUT_OF_SCOPE = "out_of_scope"
NEEDS_REVIEW = "needs_review"
# What the Support Request's "Scope Verdict" Select stores.
VERDICT_LABELS = {
	IN_SCOPE: categories.SCOPE_LABELS[categories.IN],
	OUT_OF_SCOPE: categories.SCOPE_LABELS[categories.OUT],
	NEEDS_REVIEW: "Needs review",
}

SUBJECT_FACTOR = 1.2
OUT_MIN_SCORE = 1.0
OUT_MARGIN = 1.5
IN_MARGIN = 1.25
SELECTED_CATEGORY_BONUS = 0.6
MAX_EVIDENCE = 6
MAX_EVIDENCE_CHARS = 80
# Longer texts are cut (a request is a few sentences; this bounds the cost of a pasted log).
MAX_TEXT_CHARS = 5000

# Precedence by meaning. Where a request has evidence of two categories, some words say which reading
# is the request: (winner, losers, cue). When the winner has evidence and the cue is present (a
# phrase of ``CUES[cue]``, not negated, in subject or description; no cue: the winner's own score is
# at least ``OUT_MIN_SCORE``), the losers' evidence does not count.
PRECEDENCE: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
	# Documents deleted, lost or overwritten that must come back: a restore, whatever workflow or
	# import the customer mentions to say how it happened.
	("restore", ("workflow", "data_import"), "lost_data"),
	# "Restaurar / recuperar" the previous system's data is importing it.
	("data_import", ("restore",), "previous_system"),
	# Asking where Frappe's or ERPNext's own official documentation explains something is guidance,
	# also when the customer is building on it or a contractor's work is around.
	("guidance", ("third_party", "design", "workflow"), "official_docs"),
	# A development made by another company fails (after an update too): a third party's work.
	("third_party", ("native_bug", "guidance"), None),
	# The customer changed a setting or a standard format and wants it back as it was, or can no
	# longer log in or work because of it: a misconfiguration, not a restore, an outage or a bug.
	("misconfiguration", ("restore", "connectivity", "native_bug", "design", "faq"), "own_setting"),
	# Someone must come in person: whatever they would look at there (a slow network, a backup).
	("onsite", ("connectivity", "backup"), None),
	# The customer already has or has read the official material and wants to be taught, or wants
	# advice on how it applies to the business: training or consulting, not a pointer to the docs.
	("training", ("guidance",), "docs_not_enough"),
	("consulting", ("guidance",), "docs_not_enough"),
	# Asking whether the business should do something ("si debemos", "¿qué nos recomiendan?") is
	# consulting, even when the customer asks for it as documentation.
	("consulting", ("guidance",), "advice"),
	# Asking where the official material explains something is guidance, whatever the subject
	# (permissions, print formats, a course they do not want).
	("guidance", ("workflow", "design", "training", "consulting"), "docs_pointer"),
	# Someone to sit with them and show them, live: training, even about adding users or an update.
	("training", ("faq", "update"), "live_teaching"),
	# One screen fails while everything else works: a bug, not an outage.
	("native_bug", ("connectivity",), "localized_failure"),
	# The site is down while the customer wonders about an update, a backup or a training session.
	("connectivity", ("update", "backup", "training", "faq"), "outage"),
	# A user who forgot or mistyped the password cannot log in: a password reset, not an outage.
	("faq", ("connectivity",), "password"),
)
# A cue does not apply when one of these is also present: a customer who broke a setting but asks
# to go back to a backup copy, or lost data, is asking for a restore.
UNLESS: dict[str, tuple[str, ...]] = {
	"own_setting": ("lost_data", "backup_copy"),
	"docs_pointer": ("docs_not_enough", "advice"),
	"official_docs": ("docs_not_enough", "advice"),
}
CUES: dict[str, tuple[str, ...]] = {
	"backup_copy": ("respaldo", "copia de seguridad", "=la =copia", "=una =copia", "backup"),
	"lost_data": (
		"se borró",
		"se borraron",
		"se nos borró",
		"se nos borraron",
		"borramos",
		"borré",
		"borró",
		"borraron",
		"eliminó",
		"eliminaron",
		"eliminamos",
		"eliminé",
		"se eliminaron",
		"se perdió",
		"se perdieron",
		"perdimos",
		"desapareció",
		"desaparecieron",
		"sobrescribió",
		"sobrescribieron",
		"se sobrescribieron",
		"sobreescribió",
		"sobreescribieron",
		"se sobreescribieron",
		"quede como estaba",
		"dejarla como estaba",
		"deleted",
		"got deleted",
		"were lost",
		"overwritten",
		"overwrote",
	),
	"previous_system": (
		"sistema anterior",
		"sistema viejo",
		"sistema de antes",
		"sistema pasado",
		"sistema previo",
		"sistema antiguo",
		"programa anterior",
		"programa viejo",
		"otro programa",
		"otro sistema",
		"software anterior",
		"software viejo",
		"=que =usábamos",
		"=que =usabamos",
		"=usábamos =antes",
		"=usabamos =antes",
		"=que =teníamos =en",
		"=que =teniamos =en",
		"=de =antes",
		"=operábamos =con",
		"=operabamos =con",
		"=operamos =con",
		"punto de venta viejo",
		"punto de venta anterior",
		"pos anterior",
		"excel viejo",
		"excel anterior",
		"sap",
		"sap business one",
		"aspel",
		"contpaqi",
		"contpaq",
		"quickbooks",
		"odoo",
		"microsip",
		"previous system",
		"old system",
		"legacy system",
	),
	"own_setting": (
		"=en =la configuración",
		"=esa configuración",
		"configuración original",
		"configuración anterior",
		"formato estándar",
		"formato original",
		"como venía originalmente",
		"como venía de fábrica",
		"estaba quitando",
		"estaba moviendo",
		"estaba cambiando",
		"=se =los =quité",
		"=se =las =quité",
		"=cambié * configuración",
		"=cambiamos * configuración",
		"=moví * configuración",
		"=modifiqué * configuración",
		"=in =the settings",
		"=that setting",
	),
	"docs_not_enough": (
		# Small words ("ya", "muy", "en") are not matched unless written "=word".
		"=ya leí",
		"=ya leímos",
		"=ya =lei",
		"=ya =leimos",
		"=ya revisé * documentación",
		"=ya revisamos * documentación",
		"=ya tenemos * documentación",
		"=ya tenemos los enlaces",
		"=ya tenemos la guía",
		"=ya vimos * documentación",
		"=ya vimos los videos",
		"no se entiende",
		"no la entiende",
		"no la entienden",
		"no entendemos",
		"no le entendemos",
		"no me sirven",
		"no nos sirven",
		"=muy técnico",
		"=muy técnicos",
		"=muy técnica",
		"=en =inglés =y",
		"too dense",
		"too complicated",
		"=already =read",
		"=we =read =the docs",
	),
	"advice": (
		"=si =debemos",
		"=si nos conviene",
		"nos conviene",
		"cómo deberíamos",
		"=qué =deberíamos",
		"=qué =harían",
		"cuál =es =mejor",
		"=es =mejor",
		"la mejor manera",
		"la mejor forma",
		"=cuál =es =la =mejor",
		"what would you recommend",
		"=should =we",
	),
	"official_docs": (
		"dónde * documentación oficial",
		"en qué * documentación oficial",
		"dónde * documentación de frappe",
		"dónde * documentación de erpnext",
		"enlace * documentación oficial",
		"link * documentación oficial",
		"where * official docs",
		"where * official documentation",
	),
	"docs_pointer": (
		"=en =qué * documentación",
		"=qué * =de =la documentación",
		"dónde * documentación",
		"dónde * manual",
		"=en =qué * manual",
		"enlace * documentación",
		"link * documentación",
		"liga * documentación",
		"enlace * guía",
		"link * guía",
		"=qué guía",
		"alguna guía",
		"documento oficial",
		"prefiero leerlo",
		"leerlo yo",
		"página oficial",
		"material de referencia",
		"which * docs",
		"where * docs",
		"where * documentation",
		"link * docs",
	),
	"live_teaching": (
		"=en =vivo",
		"=con =calma",
		"=con =ejercicios",
		"recorrido",
		"=de =la =mano",
		"sesión",
		"videollamada",
		"por zoom",
		"=por =meet",
		"curso",
		"capacitación",
		"capaciten",
		"walk * through",
		"live session",
	),
	"localized_failure": (
		"todo lo demás",
		"todo el programa funciona",
		"todo funciona normal",
		"todo lo demás funciona",
		"lo demás del sistema",
		"el resto del sistema",
		"lo demás abre",
		"lo demás funciona",
		"traceback",
		"everything else works",
	),
	"password": (
		"olvidé la contraseña",
		"olvidé mi contraseña",
		"olvidó su contraseña",
		"olvidó la contraseña",
		"contraseña incorrecta",
		"contraseñas incorrectas",
		"contraseña incorrectos",
		"reiniciar * contraseña",
		"restablecer * contraseña",
		"forgot * password",
		"reset * password",
	),
	"outage": (
		"no termina de cargar",
		"página en blanco",
		"pantalla en blanco",
		"service unavailable",
		"servicio no disponible",
		"bad gateway",
		"gateway timeout",
		"error 502",
		"error 503",
		"error 504",
		"=502",
		"=503",
		"=504",
		"sitio caído",
		"se cayó el sitio",
		"se cayó el sistema",
		"sistema caído",
		"está caído",
		"no carga",
		"no abre",
		"no responde",
		"deja de responder",
		"dejó de responder",
		"no está disponible",
		"sitio no disponible",
		"vuelva a estar disponible",
		"nadie puede entrar",
		"nadie puede entrar",
		"nadie * puede entrar",
		"ningún usuario puede",
		"=no =podemos =entrar",
		"no se puede acceder",
		"queda girando",
		"queda cargando",
		"site is down",
		"site down",
	),
}


@dataclass(frozen=True)
class Classification:
	"""The outcome for one request.

	``verdict``: "in_scope", "out_of_scope" or "needs_review". ``category``: a category code (None when
	nothing matched). ``rules``: names of the rules that decided, strongest first (the first one is
	"the deciding rule"). ``evidence``: the words of the request, as the customer wrote them, that
	matched. ``message``: the Spanish message for the customer (the deciding rule's, else the
	category's). ``scores``: category scores, best first. ``skipped``: rules whose regular expression
	timed out on this request and was ignored.
	"""

	verdict: str
	category: str | None
	rules: tuple[str, ...] = ()
	evidence: tuple[str, ...] = ()
	message: str = ""
	scores: tuple[tuple[str, float], ...] = ()
	skipped: tuple[str, ...] = ()

	@property
	def verdict_label(self) -> str:
		return VERDICT_LABELS[self.verdict]

	@property
	def category_label(self) -> str | None:
		return categories.by_code(self.category).label if self.category else None

	@property
	def rule(self) -> str | None:
		return self.rules[0] if self.rules else None

	@property
	def success_pack(self) -> bool:
		"""Out of scope under an excluded category: the customer is offered a Success Pack."""
		return self.verdict == OUT_OF_SCOPE and bool(self.category) and categories.is_excluded(self.category)


_DEFAULT: dict[str, Matcher] = {}


def default_matcher() -> Matcher:
	"""The matcher of the rules shipped in ``default_rules.json`` (compiled once per process)."""
	matcher = _DEFAULT.get("matcher")
	if matcher is None:
		matcher = compile_rules(load_default_rules(), version="default_rules.json")
		_DEFAULT["matcher"] = matcher
	return matcher


def cue_matcher() -> Matcher:
	"""The phrases of ``CUES``, compiled once per process (one rule per cue, named by the cue)."""
	matcher = _DEFAULT.get("cues")
	if matcher is None:
		matcher = compile_rules(
			[
				Rule(name=cue, title=cue, verdict=categories.IN, category="connectivity", phrases=phrases)
				for cue, phrases in CUES.items()
			],
			version="engine.CUES",
			strict=True,
		)
		_DEFAULT["cues"] = matcher
	return matcher


def _cues(*token_lists) -> frozenset[str]:
	matcher = cue_matcher()
	found = set()
	for tokens in token_lists:
		for hit in matcher.match_tokens(tokens, False):
			found.add(matcher.rules[hit.rule].name)
	return frozenset(found)


def _resolve(rules) -> Matcher:
	if rules is None:
		return default_matcher()
	if isinstance(rules, Matcher):
		return rules
	return compile_rules(list(rules))


def rule_weight(rule: Rule) -> float:
	order = min(max(rule.order, -100), 400)
	return rule.weight * 2 ** ((100 - order) / 50)


def _hit_score(matcher: Matcher, hit: Hit) -> float:
	rule = matcher.rules[hit.rule]
	specificity = 1 + 0.3 * (min(hit.words, 4) - 1)
	return rule_weight(rule) * specificity * (SUBJECT_FACTOR if hit.in_subject else 1.0)


def classify(
	subject: str | None,
	description: str | None,
	rules: Matcher | Iterable[Rule] | None = None,
	category: str | None = None,
	plan: str | None = None,
	learned: bool | None = None,
) -> Classification:
	"""Classify a request. ``rules``: None for the shipped rules, a compiled :class:`Matcher`
	(fastest), or rules (compiled and cached by fingerprint). ``category``: the code or label the
	customer selected, if any. ``plan``: the request's support plan; rules bound to another plan are
	ignored, and with no plan only rules for every plan apply. ``learned``: whether the shipped
	learned model decides what the rules leave undecided (:func:`.learned.decide_undecided`); by
	default it does with the shipped rules and does not with rules passed in (the app says which)."""
	matcher = _resolve(rules)
	selected = categories.lookup(category)
	if selected is not None and selected.code == "other":
		selected = None
	if selected is not None and selected.excluded:
		return Classification(
			verdict=OUT_OF_SCOPE,
			category=selected.code,
			rules=(),
			evidence=(selected.label,),
			message=categories.default_message(selected.code),
		)

	subject_text = prepare(subject)[:MAX_TEXT_CHARS]
	# Only what the customer wrote in this message: no quoted replies, signatures or disclaimers.
	description_text = own_words(description)[:MAX_TEXT_CHARS]

	def allowed(rule_index: int) -> bool:
		rule_plan = matcher.rules[rule_index].plan
		return rule_plan is None or (plan is not None and rule_plan == plan)

	hits: list[Hit] = []
	subject_tokens = tokenize(subject_text)
	description_tokens = tokenize(description_text)
	hits += matcher.match_tokens(subject_tokens, True)
	hits += matcher.match_tokens(description_tokens, False)
	skipped: list[str] = []
	if matcher.regex_count:
		deadline = time.perf_counter() + REGEX_BUDGET_SECONDS
		# A regular expression's match is negated like a phrase's ("no hace falta que vengan").
		hits += [
			hit
			for hit in matcher.match_regexes(fold(subject_text), True, deadline, skipped, allowed)
			if not negated_at(subject_tokens, hit.start)
		]
		hits += [
			hit
			for hit in matcher.match_regexes(fold(description_text), False, deadline, skipped, allowed)
			if not negated_at(description_tokens, hit.start)
		]
	hits = [hit for hit in hits if allowed(hit.rule)]
	cues = _cues(subject_tokens, description_tokens) if hits else frozenset()
	result = decide(matcher, hits, subject_text, description_text, selected, tuple(skipped), cues)
	if learned is None:
		learned = rules is None
	if learned:
		result = decide_undecided(result, subject_text, description_text)
	return result


def decide(
	matcher: Matcher,
	hits: list[Hit],
	subject_text: str,
	description_text: str,
	selected: categories.Category | None,
	skipped: tuple[str, ...] = (),
	cues: frozenset[str] | None = None,
) -> Classification:
	# Words count for one category only: where matches of different categories overlap, the
	# stronger match keeps the words ("tras la actualización" is a bug report, not an update request).
	scored_hits = sorted(
		((_hit_score(matcher, hit), hit) for hit in hits),
		key=lambda pair: (-pair[0], pair[1].start, pair[1].end),
	)
	kept: list[tuple[float, Hit, str]] = []
	seen = set()
	for score, hit in scored_hits:
		place = (hit.rule, hit.in_subject, hit.start, hit.end)
		if place in seen:
			continue
		code = matcher.rules[hit.rule].category
		rivals = [
			entry
			for entry in kept
			if entry[1].in_subject == hit.in_subject
			and entry[1].start < hit.end
			and hit.start < entry[1].end
			and entry[2] != code
		]
		if rivals:
			# A longer phrase that contains the rival matches is more specific: it takes the words
			# ("dar de alta ustedes" beats "dar de alta"); otherwise the stronger match keeps them.
			if not all(_contains(hit, other) and hit.words > other.words for _s, other, _c in rivals):
				continue
			kept = [entry for entry in kept if entry not in rivals]
		seen.add(place)
		kept.append((score, hit, code))
	per_rule: dict[int, list[tuple[float, Hit]]] = defaultdict(list)
	for score, hit, _code in kept:
		per_rule[hit.rule].append((score, hit))
	rule_scores: dict[int, float] = {}
	for rule_index, scored in per_rule.items():
		scored.sort(key=lambda pair: (-pair[0], pair[1].start))
		best = scored[0][0]
		rest = sum(score for score, _hit in scored[1:])
		rule_scores[rule_index] = min(best + 0.25 * rest, 1.5 * best)
	category_scores: dict[str, float] = defaultdict(float)
	for rule_index, score in rule_scores.items():
		category_scores[matcher.rules[rule_index].category] += score
	if cues is None:
		cues = _cues(tokenize(subject_text), tokenize(description_text))
	for winner, losers, cue in PRECEDENCE:
		if category_scores.get(winner, 0.0) <= 0.0:
			continue
		if cue is None and category_scores[winner] < OUT_MIN_SCORE:
			continue
		if cue is not None and (cue not in cues or any(c in cues for c in UNLESS.get(cue, ()))):
			continue
		for loser in losers:
			if category_scores.pop(loser, None) is not None:
				for rule_index in [i for i in rule_scores if matcher.rules[i].category == loser]:
					del rule_scores[rule_index]
	if selected is not None:
		category_scores[selected.code] += SELECTED_CATEGORY_BONUS

	ranking = sorted(
		category_scores.items(),
		key=lambda item: (-item[1], _best_order(matcher, rule_scores, item[0]), item[0]),
	)
	scores = tuple((code, round(score, 3)) for code, score in ranking)
	if not ranking:
		return Classification(NEEDS_REVIEW, None, skipped=skipped)

	# A "do it for us" request (data_change, answered by guiding) never stands in the way of an
	# excluded category: "¿pueden capturar ustedes los saldos del sistema anterior?" is a data import.
	best_in = max(
		(s for c, s in ranking if not categories.is_excluded(c) and not categories.by_code(c).guided_only),
		default=0.0,
	)
	best_out = max((s for c, s in ranking if categories.is_excluded(c)), default=0.0)
	top_code, top_score = ranking[0]

	if categories.is_excluded(top_code):
		if top_score >= OUT_MIN_SCORE and top_score >= OUT_MARGIN * best_in:
			verdict = OUT_OF_SCOPE
		else:
			verdict = NEEDS_REVIEW
	elif top_score >= IN_MARGIN * best_out:
		verdict = IN_SCOPE
	else:
		verdict = NEEDS_REVIEW

	deciding = [top_code]
	if verdict == NEEDS_REVIEW:
		runner_up = next(
			(c for c, _s in ranking[1:] if categories.is_excluded(c) != categories.is_excluded(top_code)),
			None,
		)
		if runner_up:
			deciding.append(runner_up)
	rule_names: list[str] = []
	evidence: list[str] = []
	message = ""
	for code in deciding:
		ordered = sorted(
			(index for index in rule_scores if matcher.rules[index].category == code),
			key=lambda index: (-rule_scores[index], matcher.rules[index].order),
		)
		for index in ordered:
			rule = matcher.rules[index]
			rule_names.append(rule.name)
			if not message and code == top_code and rule.message:
				message = rule.message
			for _score, hit in per_rule[index]:
				text = (subject_text if hit.in_subject else description_text)[hit.start : hit.end]
				if len(text) > MAX_EVIDENCE_CHARS:
					text = text[: MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
				if text and text.casefold() not in {e.casefold() for e in evidence}:
					evidence.append(text)
		if code == top_code and selected is not None and selected.code == code and not ordered:
			evidence.append(selected.label)
	if verdict == NEEDS_REVIEW:
		message = ""
	elif not message:
		message = categories.default_message(top_code)
	return Classification(
		verdict=verdict,
		category=top_code,
		rules=tuple(rule_names),
		evidence=tuple(evidence[:MAX_EVIDENCE]),
		message=message,
		scores=scores,
		skipped=skipped,
	)


def _contains(outer: Hit, inner: Hit) -> bool:
	return (
		outer.start <= inner.start
		and inner.end <= outer.end
		and (outer.start, outer.end) != (inner.start, inner.end)
	)


def _best_order(matcher: Matcher, rule_scores: dict[int, float], code: str) -> int:
	return min(
		(matcher.rules[i].order for i in rule_scores if matcher.rules[i].category == code), default=10**6
	)
