# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SiteIncident(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		confirmed_on: DF.Datetime | None
		contract: DF.Link | None
		customer: DF.Link | None
		down_minutes: DF.Int
		hosted_site: DF.Link
		outages: DF.Int
		recovered_on: DF.Datetime | None
		started_on: DF.Datetime | None
		status: DF.Literal["Down", "Recovered"]
		support_request: DF.Link | None
	# end: auto-generated types

	pass
