"""classify(): selected categories, decision logic, evidence, plans and bounded regexes."""

import time

import pytest

from support_policy.scope import (
	IN_SCOPE,
	NEEDS_REVIEW,
	OUT_OF_SCOPE,
	Classification,
	Rule,
	by_code,
	classify,
	compile_rules,
	default_message,
	is_excluded,
)
from support_policy.scope.categories import CATEGORIES


def rule(name, category, phrases=(), regex=None, **fields) -> Rule:
	return Rule(
		name=name,
		title=name,
		verdict=by_code(category).scope,
		category=category,
		phrases=tuple(phrases),
		regex=regex,
		**fields,
	)


# --- categories ----------------------------------------------------------------------------------


def test_categories_are_defined_once_with_codes_labels_and_clauses():
	codes = [c.code for c in CATEGORIES]
	assert codes[:7] == ["connectivity", "backup", "restore", "guidance", "faq", "account", "update"]
	assert [c.code for c in CATEGORIES if c.excluded] == [
		"onsite", "data_import", "consulting", "misconfiguration", "training", "design", "native_bug",
		"workflow", "third_party",
	]  # fmt: skip
	assert by_code("data_change").label == "Change on Customer's Behalf" and not is_excluded("data_change")
	assert by_code("faq").label == "Frequent Question"
	for category in CATEGORIES:
		if category.excluded:
			assert category.clause and category.can_do
	assert "Importar documentos de tu sistema anterior" in by_code("data_import").clause


# --- selected category ---------------------------------------------------------------------------


def test_selected_excluded_category_decides_by_itself():
	result = classify("Hola", "El sistema no abre, error 502", category="Training")
	assert result.verdict == OUT_OF_SCOPE and result.category == "training"
	assert result.evidence == ("Training",) and result.rules == ()
	assert result.success_pack
	assert result.message == default_message("training")
	assert classify("x", "y", category="design").category == "design"  # a code works too


def test_selected_included_category_still_runs_the_rules():
	# The customer picked "Guidance", but asks for an import from the old system.
	result = classify("Ayuda", "¿Pueden importar los clientes desde CONTPAQi?", category="Guidance")
	assert result.verdict == OUT_OF_SCOPE and result.category == "data_import"


def test_selected_included_category_is_kept_without_contrary_evidence():
	result = classify("Consulta", "Tengo una duda general sobre mi cuenta.", category="Account & Billing")
	assert result.verdict == IN_SCOPE and result.category == "account"
	assert "Account & Billing" in result.evidence


def test_selected_other_counts_as_no_selection():
	assert classify("Hola", "Buenos días", category="Other").verdict == NEEDS_REVIEW


# --- decision logic ------------------------------------------------------------------------------


def test_nothing_matched_needs_review_without_category():
	result = classify("Hola", "Buenos días, ¿cómo están?")
	assert result == Classification(NEEDS_REVIEW, None)


def test_in_scope_request():
	result = classify("Se cayó", "El ERP está caído desde las 9, sale 502 Bad Gateway.")
	assert result.verdict == IN_SCOPE and result.category == "connectivity"
	assert result.rules[0].startswith("SR-CONNECTIVITY") and not result.success_pack


def test_conflicting_evidence_needs_review():
	rules = [rule("IN", "backup", ["respaldo"]), rule("OUT", "training", ["capacitación"])]
	result = classify("Duda", "Respaldo y capacitación", rules=rules)
	assert result.verdict == NEEDS_REVIEW
	assert set(result.rules) == {"IN", "OUT"}


def test_weak_out_evidence_alone_needs_review():
	rules = [rule("HINT", "design", ["colores"], order=200)]
	assert classify("x", "Los colores", rules=rules).verdict == NEEDS_REVIEW
	assert (
		classify("x", "Los colores", rules=[rule("STRONG", "design", ["colores"], order=50)]).verdict
		== OUT_OF_SCOPE
	)


def test_lower_order_is_stronger():
	a = rule("A", "data_import", ["actualizar catálogo"], order=20)
	b = rule("B", "update", ["actualizar"], order=150)
	result = classify("x", "¿Pueden actualizar el catálogo?", rules=[a, b])
	assert result.category == "data_import"


def test_tricky_wordings_from_the_policy_notes():
	assert (
		classify("Respaldo", "Quise bajar el respaldo pero todo el sitio da 502 Bad Gateway.").category
		== "connectivity"
	)
	assert (
		classify(
			"Catálogo", "¿Pueden actualizar el catálogo con lo del punto de venta que usábamos antes?"
		).category
		== "data_import"
	)
	assert classify("Tablero", "Desde que nos actualizaron el tablero marca error.").category == "native_bug"
	assert (
		classify(
			"Sesión", "Ya leí la documentación oficial pero quiero que me lo expliquen en una sesión."
		).category
		== "training"
	)


def test_data_change_is_guided_not_excluded():
	result = classify("Factura", "¿Pueden borrar ustedes los registros duplicados por nosotros?")
	assert result.verdict == IN_SCOPE and result.category == "data_change"
	assert not result.success_pack and "guiamos" in result.message


def test_data_change_does_not_block_an_excluded_category():
	result = classify("Saldos", "¿Pueden capturar por nosotros los saldos iniciales del sistema anterior?")
	assert result.verdict == OUT_OF_SCOPE and result.category == "data_import"


def test_negation_cancels_a_match():
	rules = [rule("D", "design", ["programar"], order=20), rule("U", "update", ["nueva versión"])]
	result = classify("x", "No queremos que nos lo programen, solo subir a la nueva versión.", rules=rules)
	assert result.category == "update" and "D" not in result.rules


def test_message_is_the_deciding_rules():
	rules = [rule("D", "design", ["formato de impresión"], message="Mensaje de diseño")]
	result = classify("x", "Un formato de impresión nuevo", rules=rules)
	assert result.message == "Mensaje de diseño" and result.rule == "D"
	assert classify(
		"x", "Un formato de impresión", rules=[rule("E", "design", ["formato de impresión"])]
	).message == (default_message("design"))


# --- evidence ------------------------------------------------------------------------------------


def test_evidence_is_the_original_text():
	result = classify("MIGRACIÓN", "¿Pueden IMPORTAR los Artículos desde CONTPAQi Comercial?")
	assert result.verdict == OUT_OF_SCOPE
	assert "IMPORTAR los Artículos" in result.evidence
	assert "CONTPAQi" in result.evidence
	text = "¿Pueden IMPORTAR los Artículos desde CONTPAQi Comercial?"
	assert all(e in text or e in "MIGRACIÓN" for e in result.evidence)


def test_evidence_from_html_description_and_regex():
	rules = [rule("R", "connectivity", regex=r"\berror\s*50[234]\b")]
	result = classify("x", "<p>Nos sale <b>ERROR 502</b> en todo</p>", rules=rules)
	assert result.evidence == ("ERROR 502",)


# --- plans ---------------------------------------------------------------------------------------


def test_plan_filter():
	gold = rule("GOLD", "training", ["capacitación"], plan="Oro")
	plain = rule("ALL", "backup", ["respaldo"])
	rules = [gold, plain]
	assert classify("x", "Capacitación", rules=rules, plan="Oro").category == "training"
	assert classify("x", "Capacitación", rules=rules, plan="Plata").verdict == NEEDS_REVIEW
	assert classify("x", "Capacitación", rules=rules).verdict == NEEDS_REVIEW
	assert classify("x", "Respaldo", rules=rules, plan="Plata").category == "backup"
	regex_gold = rule("RG", "training", regex=r"\bcurso\b", plan="Oro")
	assert classify("x", "un curso", rules=[regex_gold], plan="Plata").verdict == NEEDS_REVIEW
	assert classify("x", "un curso", rules=[regex_gold], plan="Oro").category == "training"


# --- bounded regular expressions -----------------------------------------------------------------


def test_regex_that_would_hang_is_skipped_and_reported():
	# (a|aa)+$ passes the static checks (no nested repetition) but backtracks exponentially.
	slow = rule("SLOW", "design", regex=r"^(a|aa)+$")
	fast = rule("FAST", "backup", ["respaldo"])
	matcher = compile_rules([slow, fast])
	assert [r.name for r in matcher.rules] == ["SLOW", "FAST"]
	text = "a" * 3000 + "! respaldo"
	started = time.perf_counter()
	result = classify("x", text, rules=matcher)
	assert time.perf_counter() - started < 1.0
	assert result.skipped == ("SLOW",)
	assert result.category == "backup"
	# After a few timeouts the matcher stops trying it at all (still reported).
	for _ in range(3):
		classify("x", text, rules=matcher)
	started = time.perf_counter()
	assert classify("x", text, rules=matcher).skipped == ("SLOW",)
	assert time.perf_counter() - started < 0.01


def test_long_evidence_is_shortened():
	result = classify("x", "respaldo" + "a" * 500, rules=[rule("R", "backup", regex=r"respaldo\w+")])
	assert len(result.evidence[0]) <= 80 and result.evidence[0].endswith("…")


def test_long_text_is_bounded():
	text = "palabra " * 200_000
	started = time.perf_counter()
	classify("x", text)
	assert time.perf_counter() - started < 1.0


# --- inputs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("subject, description", [(None, None), ("", ""), ("   ", "<p></p>")])
def test_empty_inputs(subject, description):
	assert classify(subject, description).verdict == NEEDS_REVIEW
