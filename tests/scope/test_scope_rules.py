"""Rule validation, regular-expression safety and conversion from Scope Rule records."""

import re
import time

import pytest

from support_policy import scope
from support_policy.scope import (
	Rule,
	ScopeRuleError,
	compile_rules,
	rule_from_record,
	rule_to_record,
	rules_from_records,
	validate_regex,
	validate_rule,
)


def make_rule(**fields) -> Rule:
	base = {
		"name": "T-1",
		"title": "Test",
		"verdict": "out",
		"category": "data_import",
		"phrases": ("importar",),
	}
	base.update(fields)
	return Rule(**base)


def test_messages_are_constant_format_strings_with_positional_placeholders():
	names = [n for n in dir(scope) if n.startswith("MSG_")]
	assert len(names) >= 10
	for name in names:
		template = getattr(scope, name)
		assert isinstance(template, str)
		assert not re.search(r"\{[a-z_]", template), name  # only {0}, {1} ...
		count = len(set(re.findall(r"\{(\d)\}", template)))
		template.format(*["x"] * count)


def test_error_carries_template_and_args_for_translation():
	with pytest.raises(ScopeRuleError) as info:
		validate_rule(make_rule(phrases=(), regex=None))
	error = info.value
	assert isinstance(error, ValueError)
	assert error.template == scope.MSG_NO_PATTERN
	assert error.args_ == ("T-1",)
	assert str(error) == scope.MSG_NO_PATTERN.format("T-1")


def test_rule_needs_a_phrase_or_a_regex():
	with pytest.raises(ScopeRuleError):
		validate_rule(make_rule(phrases=("", "  "), regex=""))
	validate_rule(make_rule(phrases=(), regex=r"\bcontpaq\w*"))


def test_phrase_made_only_of_small_words_is_refused():
	with pytest.raises(ScopeRuleError) as info:
		validate_rule(make_rule(phrases=("de la", "importar")))
	assert info.value.template == scope.MSG_EMPTY_PHRASE


def test_category_and_verdict_must_agree_with_the_policy():
	with pytest.raises(ScopeRuleError) as info:
		validate_rule(make_rule(verdict="in"))
	assert info.value.template == scope.MSG_VERDICT_MISMATCH
	with pytest.raises(ScopeRuleError):
		validate_rule(make_rule(category="nonsense"))
	with pytest.raises(ScopeRuleError):
		validate_rule(make_rule(verdict="in", category="other"))


@pytest.mark.parametrize("pattern", ["", "   ", None])
def test_empty_regex_is_refused(pattern):
	with pytest.raises(ScopeRuleError) as info:
		validate_regex(pattern)
	assert info.value.template == scope.MSG_REGEX_EMPTY


@pytest.mark.parametrize("pattern", ["(", "[a-", "a{2,1}", "(?P<1x>a)", "\\"])
def test_invalid_regex_is_refused(pattern):
	with pytest.raises(ScopeRuleError) as info:
		validate_regex(pattern)
	assert info.value.template == scope.MSG_REGEX_INVALID


@pytest.mark.parametrize("pattern", ["a*", "(?:)", "x?|y?", r"\b", r"\s*"])
def test_regex_matching_the_empty_text_is_refused(pattern):
	with pytest.raises(ScopeRuleError) as info:
		validate_regex(pattern)
	assert info.value.template == scope.MSG_REGEX_MATCHES_EMPTY


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$", r"(.*a){20}", r"(x+x+)+y", r"(?:\d+,?)*;"])
def test_nested_repetition_is_refused(pattern):
	with pytest.raises(ScopeRuleError) as info:
		validate_regex(pattern)
	assert info.value.template == scope.MSG_REGEX_NESTED


def test_slow_regex_without_nested_repetition_is_caught_by_timing():
	started = time.perf_counter()
	with pytest.raises(ScopeRuleError) as info:
		validate_regex(r"^(a|aa)+$")
	assert info.value.template == scope.MSG_REGEX_SLOW
	assert time.perf_counter() - started < 2


def test_too_long_regex_is_refused():
	with pytest.raises(ScopeRuleError) as info:
		validate_regex("a" * 1200)
	assert info.value.template == scope.MSG_REGEX_TOO_LONG


@pytest.mark.parametrize(
	"pattern", [r"\berror\s*50[234]\b", r"\bv(?:ersion)?\s?1[3-7]\b", r"(?:\s+\w+){0,3}\s+502", r"\b0\s?kb\b"]
)
def test_reasonable_regexes_pass(pattern):
	assert validate_regex(pattern).search("v15 error 502 0kb")


def test_rule_with_bad_regex_names_the_rule():
	with pytest.raises(ScopeRuleError) as info:
		validate_rule(make_rule(regex="(a+)+"))
	assert info.value.template == scope.MSG_RULE_REGEX
	assert info.value.args_[0] == "T-1"


def test_record_conversion_accepts_frappe_labels_and_fields():
	record = {
		"name": "SR-X",
		"title": "Importar",
		"verdict": "Out of scope",
		"category": "Data Import",
		"phrases": "importar datos\n\n# comentario\n  migrar información  ",
		"regex": "",
		"order": "40",
		"enabled": 0,
		"support_plan": "Plan Oro",
		"message": "No incluido.",
	}
	rule = rule_from_record(record)
	assert rule == Rule(
		name="SR-X",
		title="Importar",
		verdict="out",
		category="data_import",
		phrases=("importar datos", "migrar información"),
		regex=None,
		order=40,
		enabled=False,
		plan="Plan Oro",
		message="No incluido.",
	)
	back = rule_to_record(rule)
	assert (
		back["verdict"] == "Out of scope" and back["category"] == "Data Import" and back["plan"] == "Plan Oro"
	)
	assert rule_from_record(back) == rule


def test_record_conversion_defaults_and_errors():
	rule = rule_from_record(
		{"title": "Sin nombre", "verdict": "In scope", "category": "backup", "phrases": "respaldo"}
	)
	assert rule.name == "sin-nombre" and rule.order == 100 and rule.enabled and rule.plan is None
	bad = [{"name": "B", "verdict": "Maybe", "category": "Backup", "phrases": "x"}]
	with pytest.raises(ScopeRuleError):
		rules_from_records(bad)
	assert rules_from_records(bad, strict=False) == []


def test_compile_skips_invalid_rules_unless_strict():
	good = make_rule(name="G")
	bad = make_rule(name="B", phrases=(), regex="(")
	matcher = compile_rules([good, bad])
	assert [r.name for r in matcher.rules] == ["G"]
	assert matcher.errors and matcher.errors[0][0] == "B"
	with pytest.raises(ScopeRuleError):
		compile_rules([good, bad], strict=True)


def test_compile_leaves_out_disabled_rules_and_caches():
	rules = [make_rule(name="A"), make_rule(name="D", enabled=False)]
	first = compile_rules(rules)
	assert [r.name for r in first.rules] == ["A"]
	assert compile_rules(list(rules)) is first
	assert compile_rules(rules, version="v1") is compile_rules([], version="v1")
	assert compile_rules([make_rule(name="A", phrases=("migrar",))]) is not first
