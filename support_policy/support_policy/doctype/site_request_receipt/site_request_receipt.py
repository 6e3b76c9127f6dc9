# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import hashlib

import frappe
from frappe.model.document import Document


class SiteRequestReceipt(Document):
	def autoname(self):
		self.name = receipt_name(self.hosted_site, self.idempotency_key)


def receipt_name(hosted_site: str, key: str) -> str:
	"""The primary key is derived from (site, key): a second delivery of an item can only collide
	with the first, even when both arrive at once (the database serialises the two inserts)."""
	return hashlib.sha256(f"{hosted_site}\x00{key}".encode()).hexdigest()[:32]


def on_doctype_update():
	"""One receipt per (site, idempotency key): the hub's guarantee that a delivery is recorded once."""
	frappe.db.add_unique("Site Request Receipt", ["hosted_site", "idempotency_key"], "unique_site_key")
