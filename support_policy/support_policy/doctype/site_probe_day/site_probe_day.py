# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from frappe.model.document import Document
from frappe.utils import getdate


class SiteProbeDay(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		backup_size_mb: DF.Float
		backup_taken_at: DF.Datetime | None
		contract: DF.Link | None
		day: DF.Date
		hosted_site: DF.Link
		minutes_failed: DF.Int
		minutes_ok: DF.Int
		minutes_unknown: DF.Int
		probes: DF.LongText | None
	# end: auto-generated types

	def autoname(self):
		# One record per site and UTC day: the name is the key, so a second insert fails.
		self.name = day_name(self.hosted_site, self.day)


def day_name(hosted_site: str, day) -> str:
	return f"{hosted_site}-{getdate(day):%Y%m%d}"
