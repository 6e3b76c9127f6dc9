"""Support-request scope: is a request covered by the provider's support policy?

Framework-free (no frappe import): the app feeds it Scope Rule records and request texts.

    from support_policy.scope import classify
    result = classify("No abre el sistema", "Sale error 502 desde la mañana")
    result.verdict  # "in_scope" | "out_of_scope" | "needs_review"

- ``categories``: the 18 categories (code, English label, scope, policy clause, what support can do).
- ``text``: normalisation, light Spanish stemmer, tokenizer keeping positions in the original text.
- ``rules``: ``Rule``, validation (``ScopeRuleError`` with translatable ``MSG_*`` templates),
  conversion from Scope Rule records, the shipped ``default_rules.json``.
- ``matcher``: ``compile_rules`` -> cached ``Matcher`` (token trie + bounded regexes).
- ``reply``: ``own_words`` - what the customer wrote in this message, without quoted replies,
  signatures and disclaimers (what ``classify`` reads of a description).
- ``engine``: ``classify`` -> ``Classification``; the decision logic is documented there.
"""

from .categories import CATEGORIES, Category, by_code, by_label, default_message, is_excluded, lookup
from .engine import (
	IN_SCOPE,
	NEEDS_REVIEW,
	OUT_OF_SCOPE,
	VERDICT_LABELS,
	Classification,
	classify,
	default_matcher,
)
from .matcher import Matcher, clear_cache, compile_rules
from .rules import (
	MSG_EMPTY_PHRASE,
	MSG_NO_PATTERN,
	MSG_OTHER_CATEGORY,
	MSG_REGEX_EMPTY,
	MSG_REGEX_INVALID,
	MSG_REGEX_MATCHES_EMPTY,
	MSG_REGEX_NESTED,
	MSG_REGEX_SLOW,
	MSG_REGEX_TOO_LONG,
	MSG_RULE_REGEX,
	MSG_UNKNOWN_CATEGORY,
	MSG_UNKNOWN_VERDICT,
	MSG_VERDICT_MISMATCH,
	Rule,
	ScopeRuleError,
	fingerprint,
	load_default_records,
	load_default_rules,
	rule_from_record,
	rule_to_record,
	rules_from_records,
	validate_regex,
	validate_rule,
)
from .text import normalize, stem, tokenize

__all__ = [
	"CATEGORIES",
	"IN_SCOPE",
	"MSG_EMPTY_PHRASE",
	"MSG_NO_PATTERN",
	"MSG_OTHER_CATEGORY",
	"MSG_REGEX_EMPTY",
	"MSG_REGEX_INVALID",
	"MSG_REGEX_MATCHES_EMPTY",
	"MSG_REGEX_NESTED",
	"MSG_REGEX_SLOW",
	"MSG_REGEX_TOO_LONG",
	"MSG_RULE_REGEX",
	"MSG_UNKNOWN_CATEGORY",
	"MSG_UNKNOWN_VERDICT",
	"MSG_VERDICT_MISMATCH",
	"NEEDS_REVIEW",
	"OUT_OF_SCOPE",
	"VERDICT_LABELS",
	"Category",
	"Classification",
	"Matcher",
	"Rule",
	"ScopeRuleError",
	"by_code",
	"by_label",
	"classify",
	"clear_cache",
	"compile_rules",
	"default_matcher",
	"default_message",
	"fingerprint",
	"is_excluded",
	"load_default_records",
	"load_default_rules",
	"lookup",
	"normalize",
	"rule_from_record",
	"rule_to_record",
	"rules_from_records",
	"stem",
	"tokenize",
	"validate_regex",
	"validate_rule",
]
