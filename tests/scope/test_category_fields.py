"""Every Select field of the app's doctypes that lists request categories lists exactly the categories of
``support_policy.scope.categories`` (the one place that defines them), in the same order.

The order matters beyond looks: the report key (``support_policy.glue.report_key``) stores a request's
category as its position in the Support Request ``category`` options, and reads ``scope_category`` with
the same positions. No Frappe needed: the doctype JSON files are read directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support_policy.scope.categories import CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
DOCTYPES = ROOT / "support_policy" / "support_policy" / "doctype"
LABELS = [category.label for category in CATEGORIES]

# The fields that must exist (a renamed field must not silently leave this test with nothing to check).
EXPECTED = {
	("Support Request", "category"),
	("Support Request", "scope_category"),
	("Scope Rule", "category"),
	("Support Plan SLA Target", "category"),
}


def category_selects() -> dict[tuple[str, str], list[str]]:
	"""(doctype, fieldname) -> options of every Select that names at least one category."""
	found = {}
	for path in sorted(DOCTYPES.glob("*/*.json")):
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc.get("doctype") != "DocType":
			continue
		for field in doc.get("fields", []):
			options = (field.get("options") or "").split("\n")
			if field.get("fieldtype") == "Select" and set(options) & set(LABELS):
				found[(doc["name"], field["fieldname"])] = options
	return found


def test_the_known_category_fields_are_found():
	assert EXPECTED <= set(category_selects())


@pytest.mark.parametrize("field", sorted(category_selects()), ids=lambda f: f"{f[0]}.{f[1]}")
def test_category_options_are_the_policy_categories_in_order(field):
	options = category_selects()[field]
	# An empty first option (nothing chosen) is allowed, nothing else besides the categories.
	assert [o for o in options if o] == LABELS, f"{field}: options differ from scope/categories.py"
	assert options in (LABELS, ["", *LABELS]), f"{field}: an empty option only first"
