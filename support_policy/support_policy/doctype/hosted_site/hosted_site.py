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

		backup_overdue: DF.Check
		backup_request: DF.Link | None
		contract: DF.Link
		credentials_expire_on: DF.Date | None
		customer: DF.Link | None
		dead_letters: DF.Int
		enabled_users: DF.Int
		erpnext_version: DF.Data | None
		frappe_version: DF.Data | None
		health_checked_on: DF.Datetime | None
		last_backup_on: DF.Datetime | None
		last_backup_size_mb: DF.Float
		last_probe_error: DF.Data | None
		last_probe_on: DF.Datetime | None
		last_seen_on: DF.Datetime | None
		link_silent_since: DF.Datetime | None
		linked_on: DF.Datetime | None
		monitor_api_key: DF.Data | None
		monitor_api_secret: DF.Password | None
		monitor_state: DF.Literal["", "Up", "Down", "Unknown"]
		monitor_tracker: DF.SmallText | None
		notes: DF.SmallText | None
		scheduler_status: DF.Data | None
		site_incident: DF.Link | None
		site_key: DF.Data | None
		site_secret: DF.Password | None
		site_url: DF.Data
		status: DF.Literal["Active", "Suspended", "Revoked"]
		users_over_plan: DF.Check
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
