"""Frappe stores naive datetimes in the site's system time zone; the SLA core works on aware ones."""

from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, get_system_timezone


def system_tz() -> ZoneInfo:
	return ZoneInfo(get_system_timezone())


def aware(value) -> datetime | None:
	"""A stored (naive, system time zone) datetime as an aware one."""
	if not value:
		return None
	value = get_datetime(value)
	if value.tzinfo is None:
		value = value.replace(tzinfo=system_tz())
	return value


def stored(value: datetime | None) -> datetime | None:
	"""An aware datetime as Frappe stores it: naive, in the system time zone, whole seconds."""
	if value is None:
		return None
	return value.astimezone(system_tz()).replace(tzinfo=None, microsecond=0)


def now_aware() -> datetime:
	return aware(frappe.utils.now_datetime())
