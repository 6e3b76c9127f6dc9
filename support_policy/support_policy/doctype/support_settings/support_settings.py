# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class SupportSettings(Document):
	def validate(self):
		if not self.at_risk_share:
			self.at_risk_share = 75
		if not 0 < flt(self.at_risk_share) < 100:
			frappe.throw(_("The At Risk share must be between 0 and 100 percent"))
		if self.success_pack_item and frappe.db.get_value("Item", self.success_pack_item, "is_stock_item"):
			frappe.throw(_("The Success Pack item must be a service (not a stock item)"))
