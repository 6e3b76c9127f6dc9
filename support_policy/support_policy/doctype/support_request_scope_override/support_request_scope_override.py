# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportRequestScopeOverride(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from_verdict: DF.Literal["", "In scope", "Out of scope", "Needs review"]
		overridden_by: DF.Link | None
		overridden_on: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason: DF.SmallText | None
		to_verdict: DF.Literal["", "In scope", "Out of scope", "Needs review"]
	# end: auto-generated types
	pass
