"""Every Select field of the app's doctypes that lists request categories lists exactly the categories of
``support_policy.scope.categories`` (the one place that defines them), in the same order; every one
that lists priorities lists ``support_policy.sla.targets.PRIORITIES``.

The report key (``support_policy.glue.report_key``) codes categories and priorities by their position
in those two lists; these tests keep the doctypes' options and the lists the same, so that as shipped
every value has its own code (a value added later in Customize Form is still reported right, by its
text). No Frappe needed: the doctype JSON files are read directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support_policy.scope.categories import CATEGORIES
from support_policy.sla.targets import PRIORITIES

ROOT = Path(__file__).resolve().parents[1]
DOCTYPES = ROOT / "support_policy" / "support_policy" / "doctype"
LABELS = [category.label for category in CATEGORIES]

# The fields that must exist (a renamed field must not silently leave this test with nothing to check).
EXPECTED = {
	("Support Request", "category"),
	("Support Request", "scope_category"),
	("Scope Rule", "category"),
	("Support Plan SLA Target", "category"),
}


def selects_naming(values) -> dict[tuple[str, str], list[str]]:
	"""(doctype, fieldname) -> options of every Select that names at least one of ``values``."""
	found = {}
	for path in sorted(DOCTYPES.glob("*/*.json")):
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc.get("doctype") != "DocType":
			continue
		for field in doc.get("fields", []):
			options = (field.get("options") or "").split("\n")
			if field.get("fieldtype") == "Select" and set(options) & set(values):
				found[(doc["name"], field["fieldname"])] = options
	return found


PRIORITY_FIELDS = {("Support Request", "priority"), ("Support Plan SLA Target", "priority")}


def category_selects():
	return selects_naming(LABELS)


def priority_selects():
	return selects_naming(PRIORITIES)


def test_the_known_fields_are_found():
	assert EXPECTED <= set(category_selects())
	assert PRIORITY_FIELDS <= set(priority_selects())


def assert_options(field, options, values, where):
	# An empty first option (nothing chosen) is allowed, nothing else besides the values.
	assert [o for o in options if o] == list(values), f"{field}: options differ from {where}"
	assert options in (list(values), ["", *values]), f"{field}: an empty option only first"


@pytest.mark.parametrize("field", sorted(category_selects()), ids=lambda f: f"{f[0]}.{f[1]}")
def test_category_options_are_the_policy_categories_in_order(field):
	assert_options(field, category_selects()[field], LABELS, "scope/categories.py")


@pytest.mark.parametrize("field", sorted(priority_selects()), ids=lambda f: f"{f[0]}.{f[1]}")
def test_priority_options_are_the_priorities_in_order(field):
	assert_options(field, priority_selects()[field], PRIORITIES, "sla/targets.py PRIORITIES")
