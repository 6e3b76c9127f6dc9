"""Signed endpoints for customer sites, and the staff button that issues a site's credentials.

``receive`` and ``changes`` are open to Guest at the HTTP level because a customer site has no
session on the hub: every call is authenticated by ``credentials.authenticate`` (the site's HMAC
signature) before anything is read, and acts only for that site's contract and customer.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from support_policy.glue import mail
from support_policy.hub import credentials, feed, intake, watch


def _speak_customers_language() -> None:
	"""Answers, refusals and notes go to a customer's desk: in the customers' language (the plan's)."""
	frappe.local.lang = mail.customer_language()


def _payload() -> dict:
	try:
		data = frappe.request.get_json(silent=True)
	except Exception:
		data = None
	if not isinstance(data, dict):
		frappe.throw(_("The body of the call must be a JSON object."))
	return data


def _seen(site) -> None:
	"""Last call from the site (for staff), written at most once a minute to keep calls cheap."""
	watch.heard_from(site)
	last = site.last_seen_on and frappe.utils.get_datetime(site.last_seen_on)
	if not last or (now_datetime() - last).total_seconds() > 60:
		frappe.db.set_value("Hosted Site", site.name, "last_seen_on", now_datetime(), update_modified=False)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def receive() -> dict:
	"""Requests and replies from a customer site: {"items": [...]} -> {"answers": [...]}."""
	_speak_customers_language()
	site = credentials.authenticate()
	data = _payload()
	# Each item is committed as soon as it is recorded: the answer reports only what is stored.
	answers = intake.receive_items(site, data.get("items"), commit=frappe.db.commit)
	_seen(site)
	frappe.db.commit()
	return {"answers": answers}


@frappe.whitelist(allow_guest=True, methods=["POST"])
def changes() -> dict:
	"""The site's changes after {"cursor": n}; also takes the site's count of undeliverable items."""
	_speak_customers_language()
	site = credentials.authenticate()
	data = _payload()
	report_dead_letters(site, cint(data.get("dead_letters")))
	_seen(site)
	return feed.changes_for(site, cint(data.get("cursor")), cint(data.get("limit")) or feed.MAX_BATCH)


def report_dead_letters(site, count: int) -> None:
	"""The customer site gave up on ``count`` items: tell the hub's support managers when it rises (at
	most once an hour: a site could report 1, 2, 1, 2, ... to flood them)."""
	if count == (site.dead_letters or 0):
		return
	frappe.db.set_value("Hosted Site", site.name, "dead_letters", max(count, 0), update_modified=False)
	if count <= (site.dead_letters or 0):
		return
	watch.tell_managers(
		site,
		_("Site {0} could not deliver {1} support items to the hub; they wait on the customer site.").format(
			site.site_url, count
		),
		"dead_letters",
	)


@frappe.whitelist(methods=["POST"])
def issue_credentials(hosted_site: str) -> dict:
	"""Staff button on Hosted Site: new key and secret, shown once."""
	frappe.has_permission("Hosted Site", "write", hosted_site, throw=True)
	if not {"Support Manager", "System Manager"}.intersection(frappe.get_roles()):
		frappe.throw(_("Only support managers can issue site credentials"), frappe.PermissionError)
	issued = credentials.issue(hosted_site)
	issued["command"] = (
		"bench --site <customer-site> execute support_policy.customer_site.link.link_to_hub "
		f"--kwargs \"{{'hub_url': '{issued['hub_url']}', 'contract': '{issued['contract']}', "
		f"'site_key': '{issued['site_key']}', 'site_secret': '{issued['site_secret']}'}}\""
	)
	return issued
