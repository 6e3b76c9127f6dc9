# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, strip_html

from support_policy.glue import report_key
from support_policy.glue import scope as scope_glue
from support_policy.glue import sla as sla_glue
from support_policy.permissions import is_staff

# Requests bigger than this are refused: it keeps intake, matching and e-mail sane.
MAX_DESCRIPTION_LENGTH = 20000
# Channels where a person is waiting for an answer on screen: refusals are shown to them. Mail is
# never refused (nothing is dropped); it is held for identification and answered instead.
INTERACTIVE_CHANNELS = ("Desk", "Portal", "Chat")


class SupportRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from support_policy.support_policy.doctype.support_request_scope_override.support_request_scope_override import (
			SupportRequestScopeOverride,
		)
		from support_policy.support_policy.doctype.support_request_sla_event.support_request_sla_event import (
			SupportRequestSLAEvent,
		)

		assigned_agent: DF.Link | None
		business_seconds_paused: DF.Int
		business_seconds_used: DF.Int
		category: DF.Literal[
			"",
			"Connectivity",
			"Backup",
			"Restore",
			"Guidance",
			"Frequent Question",
			"Account & Billing",
			"Platform Update",
			"On-site Support",
			"Data Import",
			"Consulting",
			"Misconfiguration",
			"Training",
			"Design & Customization",
			"Native Bug",
			"Workflow & Authorization",
			"Third-party Development",
			"Change on Customer's Behalf",
			"Other",
		]
		channel: DF.Literal["Desk", "Email", "Chat", "Portal", "Monitor"]
		contract: DF.Link | None
		customer: DF.Link | None
		description: DF.TextEditor
		first_responded_on: DF.Datetime | None
		first_response_due: DF.Datetime | None
		first_response_seconds: DF.Int
		first_response_status: DF.Literal[
			"", "Not Applicable", "On Track", "At Risk", "Paused", "Breached", "Met"
		]
		internal_notes: DF.TextEditor | None
		naming_series: DF.Literal["SR-.YYYY.-"]
		next_sla_check: DF.Datetime | None
		priority: DF.Literal["Low", "Medium", "High", "Urgent"]
		raised_by: DF.Link | None
		raised_by_email: DF.Data | None
		received_on: DF.Datetime | None
		resolution: DF.TextEditor | None
		resolution_due: DF.Datetime | None
		resolution_status: DF.Literal[
			"", "Not Applicable", "On Track", "At Risk", "Paused", "Breached", "Met"
		]
		resolved_on: DF.Datetime | None
		scope_category: DF.Literal[
			"",
			"Connectivity",
			"Backup",
			"Restore",
			"Guidance",
			"Frequent Question",
			"Account & Billing",
			"Platform Update",
			"On-site Support",
			"Data Import",
			"Consulting",
			"Misconfiguration",
			"Training",
			"Design & Customization",
			"Native Bug",
			"Workflow & Authorization",
			"Third-party Development",
			"Change on Customer's Behalf",
			"Other",
		]
		scope_evidence: DF.SmallText | None
		scope_overrides: DF.Table[SupportRequestScopeOverride]
		scope_rule: DF.Link | None
		scope_verdict: DF.Literal["", "In scope", "Out of scope", "Needs review"]
		sla_alerts_sent: DF.SmallText | None
		sla_events: DF.Table[SupportRequestSLAEvent]
		sla_note: DF.SmallText | None
		sla_status: DF.Literal["", "Not Applicable", "On Track", "At Risk", "Paused", "Breached", "Met"]
		status: DF.Literal["Open", "In Progress", "Waiting on Customer", "Resolved", "Closed", "Out of Scope"]
		subject: DF.Data
		success_pack_quotation: DF.Link | None
		support_plan: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_text()
		if self.is_new():
			self.set_requester()
		self.set_contract()
		if self.is_new():
			scope_glue.apply_verdict(self)
		sla_glue.apply(self)

	def after_insert(self):
		if self.flags.hold_reason:
			acknowledge_held_mail(self)
		scope_glue.after_insert(self)

	def validate_text(self):
		self.subject = cstr(self.subject).strip()
		if not self.subject:
			frappe.throw(_("Write a subject for your request"))
		length = len(strip_html(cstr(self.description)))
		if length > MAX_DESCRIPTION_LENGTH:
			frappe.throw(
				_(
					"The description is too long ({0} characters); the limit is {1}. Attach long texts as files."
				).format(length, MAX_DESCRIPTION_LENGTH),
				title=_("Description Too Long"),
			)

	def set_requester(self):
		if self.raised_by_email and not self.raised_by:
			# Incoming mail: the sender's address identifies the user.
			self.channel = "Email"
			self.raised_by = user_for_email(self.raised_by_email)
		elif not self.raised_by and frappe.session.user != "Guest":
			self.raised_by = frappe.session.user
		if self.raised_by and not self.raised_by_email:
			self.raised_by_email = frappe.db.get_value("User", self.raised_by, "email")
		self.received_on = self.received_on or frappe.utils.now_datetime()
		self.channel = self.channel or "Desk"

	def set_contract(self):
		"""The contract comes from the requester; a customer without an Active contract is refused."""
		if not self.is_new() and not self.has_value_changed("raised_by"):
			return
		from support_policy.support_policy.doctype.support_contract.support_contract import contract_for_user

		# A refusal on screen speaks the user's language; a held mail is answered in the policy's.
		lang = None if self.channel in INTERACTIVE_CHANNELS else customer_language()
		if self.raised_by:
			contract, reason = contract_for_user(self.raised_by, lang)
		else:
			contract, reason = (
				None,
				_("We could not match the sender {0} to an authorized user.", lang=lang).format(
					self.raised_by_email or _("(unknown)", lang=lang)
				),
			)
		if not contract and self.raised_by and is_staff(self.raised_by) and self.channel != "Email":
			reason = None  # staff raising a request of their own: no contract, no timer
		elif not contract and self.channel in INTERACTIVE_CHANNELS:
			frappe.throw(reason, title=_("Cannot Raise the Request"))
		elif not contract:
			self.flags.hold_reason = reason
		self.contract = contract
		self.customer, self.support_plan = (
			frappe.db.get_value("Support Contract", contract, ["customer", "support_plan"])
			if contract
			else (None, None)
		)


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


def on_doctype_update():
	"""The SLA reports' generated key column and covering index (see support_policy.glue.report_key)."""
	report_key.ensure()
