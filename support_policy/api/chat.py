"""Public endpoints for other channels.

Chat: the provider's chat tool calls ``open_chat_request`` with an API key. Either the key belongs to
the customer's own user, or to an integration user with the Support Agent role that opens the
request on behalf of an authorized customer user (``user``).
"""

import frappe
from frappe import _

from support_policy.permissions import is_staff


@frappe.whitelist(methods=["POST"])
def open_chat_request(
	subject: str, description: str, user: str | None = None, priority: str | None = None
) -> dict:
	"""Open a Support Request from a chat conversation. Returns its name, status and SLA state."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to open a request"), frappe.PermissionError)
	user = user or frappe.session.user
	if user != frappe.session.user and not is_staff():
		frappe.throw(
			_("Only support staff can open a request on behalf of another user"), frappe.PermissionError
		)
	frappe.has_permission("Support Request", "create", throw=True)
	if not frappe.db.exists("User", user):
		frappe.throw(_("User {0} does not exist").format(user))
	doc = frappe.get_doc(
		{
			"doctype": "Support Request",
			"subject": subject,
			"description": description,
			"priority": priority or "Medium",
			"raised_by": user,
		}
	)
	doc.channel = "Chat"
	doc.flags.ignore_permlevel_for_fields = ["channel"]
	# The staff integration may open a request for a customer; the customer path goes through the
	# customer's own permissions.
	doc.insert(ignore_permissions=user != frappe.session.user)
	return {
		"name": doc.name,
		"status": doc.status,
		"sla_status": doc.sla_status,
		"first_response_due": doc.first_response_due,
		"sla_note": doc.sla_note,
		"scope_verdict": doc.scope_verdict,
	}
