"""The hub watches the customer sites linked to it.

A linked site pulls the hub's changes every minute. An Active site with credentials that has called
before and then stays silent for ``SILENT_AFTER_MINUTES`` may be holding its users' requests and
replies (its scheduler or workers stopped, its network is down, its credentials were replaced on
one side only): the support managers are told once, by mail and on their desk, and the Hosted Site
shows since when (Silent Since). When it calls again they are told that too.
"""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import format_datetime, now_datetime

SILENT_AFTER_MINUTES = 15


TELL_AT_MOST_EVERY_SECONDS = 3600


def tell_managers(site, subject: str, kind: str) -> None:
	"""Support managers (and the people Support Policy Settings names): desk notification and mail,
	at most once an hour per site and kind of news: what a site reports cannot flood their desk."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	from support_policy.glue import monitoring

	throttle = f"support_policy:site_news:{site.name}:{kind}"
	if frappe.cache.get_value(throttle, expires=True):
		return
	users = monitoring.managers()
	if not users:
		return
	frappe.cache.set_value(throttle, 1, expires_in_sec=TELL_AT_MOST_EVERY_SECONDS)
	make_notification_logs(
		{
			"subject": subject,
			"type": "Alert",
			"document_type": "Hosted Site",
			"document_name": site.name,
			"from_user": "Administrator",
		},
		users,
	)
	monitoring.send(users, subject, subject, doc=site)


def check_silent_sites() -> None:
	"""Scheduler (every 5 minutes, on the hub)."""
	from support_policy.customer_site import is_customer_site
	from support_policy.glue import monitoring

	if is_customer_site():
		return
	lang = monitoring.staff_language()
	site = frappe.qb.DocType("Hosted Site")
	silent = (
		frappe.qb.from_(site)
		.select(site.name, site.site_url, site.last_seen_on)
		.where(
			(site.status == "Active")
			& site.site_key.isnotnull()
			& (site.site_key != "")
			& site.last_seen_on.isnotnull()
			& (site.last_seen_on < now_datetime() - timedelta(minutes=SILENT_AFTER_MINUTES))
			& site.link_silent_since.isnull()
		)
	).run(as_dict=True)
	for row in silent:
		frappe.db.set_value(
			"Hosted Site", row.name, "link_silent_since", row.last_seen_on, update_modified=False
		)
		tell_managers(
			frappe._dict(doctype="Hosted Site", name=row.name),
			_(
				"Site {0} has not called the hub since {1}: requests and replies of its users may be waiting there. Check its scheduler and workers.",
				lang=lang,
			).format(row.site_url, format_datetime(row.last_seen_on)),
			"silent",
		)


def heard_from(site) -> None:
	"""A call from ``site`` (after its signature was checked): the end of a silence, if there was one."""
	if not site.get("link_silent_since"):
		return
	frappe.db.set_value("Hosted Site", site.name, "link_silent_since", None, update_modified=False)
	tell_managers(
		site,
		_("Site {0} is calling the hub again (silent since {1}); what it held is being delivered.").format(
			site.site_url, format_datetime(site.link_silent_since)
		),
		"back",
	)
