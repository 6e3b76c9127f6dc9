# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""A maintenance window the provider announces to the customer. Its minutes are excluded from
availability only if it was announced at least the notice of Support Policy Settings before it
started; once a window has started its times can no longer move (nobody can cover an outage after
the fact)."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, now_datetime


class MaintenanceWindow(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		announced_on: DF.Datetime | None
		contract: DF.Link | None
		customer: DF.Link | None
		ends_on: DF.Datetime
		excluded: DF.Check
		hosted_site: DF.Link
		reason: DF.SmallText
		starts_on: DF.Datetime
	# end: auto-generated types

	def validate(self):
		if get_datetime(self.ends_on) <= get_datetime(self.starts_on):
			frappe.throw(_("A maintenance window must end after it starts"), title=_("Invalid Window"))
		if get_datetime(self.ends_on) - get_datetime(self.starts_on) > timedelta(days=2):
			frappe.throw(_("A maintenance window cannot last more than 48 hours"), title=_("Invalid Window"))
		if self.is_new():
			self.announced_on = now_datetime()
		else:
			before = self.get_doc_before_save()
			times_changed = before and (
				get_datetime(before.starts_on) != get_datetime(self.starts_on)
				or get_datetime(before.ends_on) != get_datetime(self.ends_on)
			)
			if times_changed and get_datetime(before.starts_on) <= now_datetime():
				frappe.throw(
					_("This window has already started: its times can no longer change"),
					title=_("Window Started"),
				)
			if times_changed:
				self.announced_on = now_datetime()  # moved: announced anew
		from support_policy.glue.monitoring import setting

		notice = timedelta(hours=flt(setting("maintenance_notice_hours")))
		self.excluded = int(get_datetime(self.announced_on) + notice <= get_datetime(self.starts_on))

	def on_update(self):
		from support_policy.glue.monitoring import announce_maintenance

		if self.is_new() or self.has_value_changed("starts_on") or self.has_value_changed("ends_on"):
			announce_maintenance(self)

	def on_trash(self):
		if get_datetime(self.starts_on) <= now_datetime():
			frappe.throw(
				_("This window has already started and cannot be deleted"), title=_("Window Started")
			)
