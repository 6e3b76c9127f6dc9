"""Which SLA target of a plan applies to a request.

A plan holds rows of (priority, category, first-response hours, resolution hours, measured on).
Empty priority or category means "any". The most specific row wins, and a row for a category beats
a row for a priority: the policy's "restore within 2 hours" holds whatever priority the customer chose.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The priorities a request can have, lowest first: the Select options of Support Request and Support
# Plan SLA Target (tests/scope/test_category_fields.py ties them), and the codes of the report key.
PRIORITIES = ("Low", "Medium", "High", "Urgent")

BUSINESS_HOURS = "Business hours"
AROUND_THE_CLOCK = "Around the clock"


@dataclass(frozen=True)
class Target:
	"""An SLA target in seconds, and whether it is counted on business hours or around the clock."""

	first_response_seconds: int
	resolution_seconds: int
	business_hours: bool = True


def hours_to_seconds(hours: float) -> int:
	"""Target hours (possibly fractional, e.g. 0.5) as whole seconds, e.g. ``hours_to_seconds(2) == 7200``.
	ValueError for a negative or non-finite number."""
	value = float(hours)
	if not math.isfinite(value) or value < 0:
		raise ValueError(f"target hours must be a finite number >= 0, got {hours!r}")
	return round(value * 3600)


def select_target(rows: Iterable[Mapping], priority: str | None, category: str | None) -> Target | None:
	"""Pick the row that applies to ``priority`` and ``category``; None if no row applies.

	Specificity order: priority and category both match, then category only, then priority only,
	then the catch-all row. Among equals the first row wins (the order the provider wrote them).
	"""
	best = None
	best_rank = -1
	for row in rows:
		row_priority = row.get("priority") or None
		row_category = row.get("category") or None
		if row_priority and row_priority != priority:
			continue
		if row_category and row_category != category:
			continue
		rank = (2 if row_category else 0) + (1 if row_priority else 0)
		if rank > best_rank:
			best, best_rank = row, rank
	if best is None:
		return None
	return Target(
		first_response_seconds=hours_to_seconds(best.get("first_response_hours") or 0),
		resolution_seconds=hours_to_seconds(best.get("resolution_hours") or 0),
		business_hours=(best.get("measured_on") or BUSINESS_HOURS) == BUSINESS_HOURS,
	)
