# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SiteLinkOutbox(Document):
	pass
