"""Support Calendar records -> the core BusinessCalendar, cached per process until a calendar or a
Holiday List changes (see ``support_policy.glue.cache``)."""

from __future__ import annotations

import frappe
from frappe import _

from support_policy.glue import cache
from support_policy.sla import BusinessCalendar

KIND = "business_calendar"


def get_business_calendar(name: str) -> BusinessCalendar:
	"""The core calendar of a Support Calendar record."""

	def build() -> BusinessCalendar:
		if not frappe.db.exists("Support Calendar", name):
			frappe.throw(_("Support Calendar {0} does not exist").format(name))
		return frappe.get_doc("Support Calendar", name).business_calendar()

	return cache.cached(KIND, name, build)


def invalidate() -> None:
	"""A calendar or a Holiday List changed."""
	cache.invalidate(KIND)
