"""The customer desk's buttons on a Site Support Request. Each checks the caller's permission."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cstr, now_datetime, strip_html

from support_policy.customer_site import context, is_customer_site, outbox
from support_policy.glue.timeutil import aware

MAX_REPLY_LENGTH = 20000
REQUESTER_ROLES = {"Support Requester", "System Manager"}


def _check_requester() -> None:
	if not is_customer_site():
		frappe.throw(_("This site is not linked to a support hub."))
	if not REQUESTER_ROLES.intersection(frappe.get_roles()):
		frappe.throw(_("Only Support Requesters can do this"), frappe.PermissionError)


@frappe.whitelist(methods=["POST"])
def reply(name: str, content: str) -> None:
	"""Answer the hub from this site: a reply row and its outbox row in one transaction."""
	_check_requester()
	doc = frappe.get_doc("Site Support Request", name)
	doc.check_permission("write")
	content = frappe.utils.sanitize_html(cstr(content)).strip()
	if not strip_html(content).strip():
		frappe.throw(_("Write a reply before sending it"))
	if len(strip_html(content)) > MAX_REPLY_LENGTH:
		frappe.throw(_("The reply is too long; attach long texts as files."))
	key = outbox.new_key()
	user = frappe.db.get_value("User", frappe.session.user, ["email", "full_name"], as_dict=True)
	doc.append(
		"replies",
		{
			"direction": "Us",
			"author": user.full_name,
			"content": content,
			"sent_on": now_datetime(),
			"delivery_state": "Sending",
			"idempotency_key": key,
		},
	)
	doc.flags.from_hub = True  # the request's own fields are unchanged; only the reply is added
	doc.save(ignore_permissions=True)
	outbox.add(
		"Reply",
		doc.name,
		key,
		{
			"content": content,
			"user_email": user.email,
			"user_full_name": user.full_name,
			"saved_on": aware(now_datetime()).isoformat(),
		},
	)


@frappe.whitelist()
def recent_errors() -> list[dict]:
	"""This site's recent Error Log entries, to choose which go with a request."""
	_check_requester()
	return context.recent_errors()


@frappe.whitelist(methods=["POST"])
def send_again(name: str) -> None:
	"""A dead outbox row of this request back in line (System Manager)."""
	frappe.only_for("System Manager")
	row = frappe.db.get_value("Site Link Outbox", {"site_support_request": name, "state": "Dead"}, "name")
	while row:
		outbox.send_again(row)
		row = frappe.db.get_value("Site Link Outbox", {"site_support_request": name, "state": "Dead"}, "name")


@frappe.whitelist(methods=["POST"])
def sync_now(ignore_backoff: bool = False) -> dict:
	"""Send the outbox and pull the hub's changes now (System Manager; the scheduler does the same
	every minute). ``ignore_backoff`` also sends rows still waiting for their next attempt."""
	from support_policy.customer_site import feed

	frappe.only_for("System Manager")
	if not is_customer_site():
		frappe.throw(_("This site is not linked to a support hub."))
	if frappe.utils.cint(ignore_backoff):
		frappe.db.set_value(
			"Site Link Outbox", {"state": "Pending"}, "next_attempt_on", None, update_modified=False
		)
	sent = outbox.send_pending()
	pulled = feed.pull()
	return {**sent, "pulled": pulled}
