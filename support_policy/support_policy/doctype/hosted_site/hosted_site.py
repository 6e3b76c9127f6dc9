# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from urllib.parse import urlsplit

import frappe
from frappe import _
from frappe.model.document import Document


class HostedSite(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contract: DF.Link
		customer: DF.Link | None
		notes: DF.SmallText | None
		site_url: DF.Data
		status: DF.Literal["Active", "Suspended", "Revoked"]
	# end: auto-generated types

	def validate(self):
		self.site_url = normalise_site_url(self.site_url)


def normalise_site_url(url: str) -> str:
	"""``https://host[:port]`` with no path: one record per site, however the URL was typed."""
	url = (url or "").strip().rstrip("/")
	parts = urlsplit(url if "://" in url else f"https://{url}")
	if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
		frappe.throw(_("Write the site's address as https://name.example.com"), title=_("Invalid Site URL"))
	return f"{parts.scheme}://{parts.netloc.lower()}"
