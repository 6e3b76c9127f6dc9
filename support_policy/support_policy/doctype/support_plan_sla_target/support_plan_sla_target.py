# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportPlanSLATarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal[
			"",
			"Connectivity",
			"Backup",
			"Restore",
			"Guidance",
			"Frequent Question",
			"Account & Billing",
			"Platform Update",
			"On-site Support",
			"Data Import",
			"Consulting",
			"Misconfiguration",
			"Training",
			"Design & Customization",
			"Native Bug",
			"Workflow & Authorization",
			"Third-party Development",
			"Change on Customer's Behalf",
			"Other",
		]
		first_response_hours: DF.Float
		measured_on: DF.Literal["Business hours", "Around the clock"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		priority: DF.Literal["", "Low", "Medium", "High", "Urgent"]
		resolution_hours: DF.Float
	# end: auto-generated types
	pass
