# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import frappe
import holidays
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time, getdate

from support_policy.glue import calendar as calendar_glue
from support_policy.glue.sla_jobs import enqueue_recalculation
from support_policy.sla import BusinessCalendar

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SupportCalendar(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from support_policy.support_policy.doctype.support_calendar_interval.support_calendar_interval import (
			SupportCalendarInterval,
		)

		calendar_name: DF.Data
		holiday_country: DF.Data | None
		holiday_list: DF.Link | None
		holiday_subdivision: DF.Data | None
		timezone: DF.Autocomplete
		working_hours: DF.Table[SupportCalendarInterval]

	# end: auto-generated types
	def validate(self):
		self.validate_timezone()
		self.validate_country()
		self.validate_working_hours()

	def validate_timezone(self):
		try:
			ZoneInfo(self.timezone)
		except (ZoneInfoNotFoundError, ValueError):
			frappe.throw(_("{0} is not a valid time zone").format(frappe.bold(self.timezone)))

	def validate_country(self):
		if not self.holiday_country:
			return
		self.holiday_country = self.holiday_country.strip().upper()
		supported = holidays.list_supported_countries()
		if self.holiday_country not in supported:
			frappe.throw(
				_("Holidays for country {0} are not available").format(frappe.bold(self.holiday_country))
			)
		if self.holiday_subdivision and self.holiday_subdivision not in supported[self.holiday_country]:
			frappe.throw(
				_("{0} is not a subdivision of {1}").format(
					frappe.bold(self.holiday_subdivision), self.holiday_country
				)
			)

	def validate_working_hours(self):
		if not self.working_hours:
			frappe.throw(_("Add at least one working interval"))
		by_day = {}
		for row in self.working_hours:
			start, end = get_time(row.start_time), get_time(row.end_time)
			if end <= start:
				frappe.throw(
					_("Row {0}: the end time must be after the start time").format(row.idx),
					title=_("Invalid Working Hours"),
				)
			by_day.setdefault(row.weekday, []).append((start, end, row.idx))
		for day, intervals in by_day.items():
			intervals.sort()
			for (_s1, end1, idx1), (start2, _e2, idx2) in itertools.pairwise(intervals):
				if start2 < end1:
					frappe.throw(
						_("Rows {0} and {1} overlap on {2}").format(idx1, idx2, _(day)),
						title=_("Invalid Working Hours"),
					)

	def on_update(self):
		calendar_glue.invalidate()
		if self.get_doc_before_save():  # an edit, not the first save
			enqueue_recalculation("calendar", self.name)

	def on_trash(self):
		calendar_glue.invalidate()

	def business_calendar(self) -> BusinessCalendar:
		return BusinessCalendar(
			timezone=self.timezone,
			intervals=[
				(WEEKDAYS.index(row.weekday), get_time(row.start_time), get_time(row.end_time))
				for row in self.working_hours
			],
			holiday_country=self.holiday_country or None,
			holiday_subdivision=self.holiday_subdivision or None,
			extra_holidays=self.extra_closures(),
		)

	def extra_closures(self) -> dict[date, str]:
		if not self.holiday_list:
			return {}
		rows = frappe.get_all(
			"Holiday",
			filters={"parent": self.holiday_list, "parenttype": "Holiday List"},
			fields=["holiday_date", "description", "weekly_off"],
		)
		return {
			getdate(r.holiday_date): frappe.utils.strip_html(r.description or "") or _("Closure")
			for r in rows
			if not r.weekly_off
		}


@frappe.whitelist()
def upcoming_holidays(calendar: str, days: int = 365) -> list[dict]:
	"""Holidays and closures of a calendar in the next ``days`` days, for the form's preview."""
	frappe.get_doc("Support Calendar", calendar).check_permission("read")
	core = calendar_glue.get_business_calendar(calendar)
	today = getdate()
	days = min(int(days), 3 * 366)
	out = []
	for offset in range(days):
		d = today + timedelta(days=offset)
		name = core.holiday_name(d)
		if name:
			out.append({"date": d, "name": name})
	return out


def on_holiday_list_update(doc, method=None):
	"""An ERPNext Holiday List used as extra closures changed: recalculate open requests."""
	calendar_glue.invalidate()
	for name in frappe.get_all("Support Calendar", filters={"holiday_list": doc.name}, pluck="name"):
		enqueue_recalculation("calendar", name)
