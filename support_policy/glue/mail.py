"""Mail and Support Requests: who a sender is, the acknowledgement of held mail, and what a
Communication on a request does to it (first response, resumed clock, the description of a request
made from an e-mail). Wired from Support Request and from ``doc_events`` (Communication) in hooks.py.
"""

import frappe
from frappe import _
from frappe.utils import cstr, strip_html

from support_policy.glue import scope as scope_glue
from support_policy.glue import sla as sla_glue
from support_policy.permissions import is_staff


def user_for_email(email: str) -> str | None:
	"""The enabled user with this e-mail address, directly or through their Contact."""
	email = cstr(email).strip().lower()
	if not email:
		return None
	user = frappe.db.get_value("User", {"email": email, "enabled": 1}, "name")
	if user:
		return user
	contact = frappe.qb.DocType("Contact")
	contact_email = frappe.qb.DocType("Contact Email")
	rows = (
		frappe.qb.from_(contact)
		.join(contact_email)
		.on(contact_email.parent == contact.name)
		.select(contact.user)
		.where((contact_email.email_id == email) & contact.user.isnotnull())
		.limit(1)
	).run(pluck=True)
	return rows[0] if rows else None


def customer_language() -> str:
	"""The language customers are written to in: the default plan's (Spanish for the seeded policy)."""
	plan = frappe.db.get_single_value("Support Policy Settings", "default_plan")
	return (plan and frappe.db.get_value("Support Plan", plan, "language")) or "es"


def acknowledge_held_mail(doc) -> None:
	"""A polite answer, in the customers' language, to mail we could not match to an authorized user."""
	from frappe.core.doctype.communication.email import make

	lang = customer_language()
	content = "".join(
		f"<p>{line}</p>"
		for line in (
			_("Hello,", lang=lang),
			_("We received your message and registered it as request {0}.", lang=lang).format(doc.name),
			frappe.utils.escape_html(cstr(doc.flags.hold_reason)),
			_(
				"Our support is for the authorized users of each contract. If you should be one, ask your "
				"company's administrator to add you, or reply from your registered address. Our team will "
				"review your message.",
				lang=lang,
			),
		)
	)
	make(
		doctype=doc.doctype,
		name=doc.name,
		subject=_("We received your message: {0}", lang=lang).format(doc.subject),
		content=content,
		recipients=doc.raised_by_email,
		send_email=bool(frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})),
		communication_medium="Email",
		communication_type="Automated Message",
	)


def on_communication(doc, method=None):
	"""Replies drive the SLA: the first reply an agent sends is the first response; a customer reply
	while we wait on the customer resumes the clock. The first mail of a request made from an e-mail
	also gives it its description (Frappe creates the request from the subject first)."""
	if doc.reference_doctype != "Support Request" or doc.communication_type != "Communication":
		return
	if not frappe.db.exists("Support Request", doc.reference_name):
		return
	request = frappe.get_doc("Support Request", doc.reference_name)
	sender_user = user_for_email(doc.sender) if doc.sender else None
	from_staff = doc.sent_or_received == "Sent" and is_staff(sender_user or frappe.session.user)
	changed = False
	if doc.sent_or_received == "Received" and not strip_html(cstr(request.description)).strip():
		# Frappe inserts a plain-text mail with only text_content; its HTML content comes later.
		request.description = doc.content or frappe.utils.escape_html(cstr(doc.text_content)).replace(
			"\n", "<br>"
		)
		scope_glue.apply_verdict(request)
		changed = True
	changed = (
		sla_glue.on_reply(request, from_staff=from_staff, at=doc.communication_date or doc.creation)
		or changed
	)
	if changed:
		request.flags.ignore_permissions = True
		request.flags.ignore_mandatory = True  # a blank mail is kept, not dropped
		request.save()
		if request.flags.notify_out_of_scope:
			scope_glue.offer_success_pack(request)
