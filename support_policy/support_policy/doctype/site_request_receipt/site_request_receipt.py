# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SiteRequestReceipt(Document):
	pass


def on_doctype_update():
	"""One receipt per (site, idempotency key): the hub's guarantee that a delivery is recorded once."""
	frappe.db.add_unique("Site Request Receipt", ["hosted_site", "idempotency_key"], "unique_site_key")
