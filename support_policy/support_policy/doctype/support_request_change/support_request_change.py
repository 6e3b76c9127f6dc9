# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportRequestChange(Document):
	pass


def on_doctype_update():
	"""A site pulls "changes after n" of its customer or of itself every minute, and the daily prune
	reads the oldest numbers: both walk an index in number order instead of the whole table."""
	import frappe

	frappe.db.add_index("Support Request Change", ["customer", "seq"], "customer_seq")
	frappe.db.add_index("Support Request Change", ["hosted_site", "seq"], "hosted_site_seq")
	frappe.db.add_index("Support Request Change", ["seq"], "seq")
