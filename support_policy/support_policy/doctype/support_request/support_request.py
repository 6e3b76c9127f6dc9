# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, strip_html

from support_policy.glue import mail, report_key
from support_policy.glue import scope as scope_glue
from support_policy.glue import sla as sla_glue
from support_policy.permissions import is_staff

# Descriptions longer than this are refused on screen (interactive channels); from mail they are cut
# to this length, with a note, and the whole text is attached as a file. It keeps intake, matching
# and e-mail sane.
MAX_DESCRIPTION_LENGTH = 20000
# Channels where a person is waiting for an answer on screen: refusals are shown to them. Mail is
# never refused (nothing is dropped); it is held for identification and answered instead.
INTERACTIVE_CHANNELS = ("Desk", "Portal", "Chat")
# Requests sent by a customer's own ERPNext (support_policy.hub.intake): never refused, held instead.
CUSTOMER_SITE = "Customer Site"


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
		channel: DF.Literal["Desk", "Email", "Chat", "Portal", "Monitoring", "Customer Site"]
		contract: DF.Link | None
		customer: DF.Link | None
		description: DF.TextEditor
		first_responded_on: DF.Datetime | None
		first_response_due: DF.Datetime | None
		first_response_seconds: DF.Int
		first_response_status: DF.Literal[
			"", "Not Applicable", "On Track", "At Risk", "Paused", "Breached", "Met"
		]
		hosted_site: DF.Link | None
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
		site_context: DF.Code | None
		sla_alerts_sent: DF.SmallText | None
		sla_events: DF.Table[SupportRequestSLAEvent]
		sla_note: DF.SmallText | None
		sla_status: DF.Literal["", "Not Applicable", "On Track", "At Risk", "Paused", "Breached", "Met"]
		status: DF.Literal["Open", "In Progress", "Waiting on Customer", "Resolved", "Closed", "Out of Scope"]
		subject: DF.Data
		success_pack_attempts: DF.Int
		success_pack_error: DF.SmallText | None
		success_pack_quotation: DF.Link | None
		success_pack_status: DF.Literal["", "Quotation Being Prepared", "Quotation Sent", "Follow-up Failed"]
		support_plan: DF.Link | None
	# end: auto-generated types

	def insert(self, *args, **kwargs):
		# Frappe's InboundMail opens a request for a mail it could not place; the mail may still
		# continue one (References, the request's name in the subject): Frappe then files it there.
		if existing := mail.existing_request_for_new_mail(self):
			self.name = existing
			return self
		return super().insert(*args, **kwargs)

	def validate(self):
		from support_policy.customer_site import refuse_local_requests

		refuse_local_requests()
		if self.is_new():
			self.set_requester()
		self.validate_text()
		self.set_contract()
		if self.is_new():
			scope_glue.apply_verdict(self)
		sla_glue.apply(self)

	def after_insert(self):
		if self.channel == "Email":
			mail.note_opened_by_mail(self)
		if self.channel == "Email" or (self.flags.hold_reason and self.channel != CUSTOMER_SITE):
			mail.acknowledge_mail(self)  # a customer site shows the answer itself
		scope_glue.after_insert(self)

	def on_update(self):
		mail.attach_full_text(self)
		from support_policy.hub import feed

		feed.on_request_update(self)  # linked customer sites hear of what their customer may read

	def validate_text(self):
		self.subject = cstr(self.subject).strip()
		if not self.subject:
			frappe.throw(_("Write a subject for your request"))
		length = len(strip_html(cstr(self.description)))
		if length > MAX_DESCRIPTION_LENGTH and self.channel not in INTERACTIVE_CHANNELS:
			mail.cut_description(self, MAX_DESCRIPTION_LENGTH)  # never refused: cut, kept whole as a file
		elif length > MAX_DESCRIPTION_LENGTH:
			frappe.throw(
				_(
					"The description is too long ({0} characters); the limit is {1}. Attach long texts as files."
				).format(length, MAX_DESCRIPTION_LENGTH),
				title=_("Description Too Long"),
			)

	def set_requester(self):
		if self.raised_by_email and not self.raised_by:
			# Incoming mail: the sender's address (From, not a Reply-To) identifies the user. A customer
			# site names the requester's address itself (support_policy.hub.intake).
			if self.channel != CUSTOMER_SITE:
				self.channel = "Email"
				self.raised_by_email = mail.sender_address(self.raised_by_email)
				self.raised_by = mail.user_for_email(self.raised_by_email)
		elif not self.raised_by and frappe.session.user != "Guest" and self.channel != CUSTOMER_SITE:
			self.raised_by = frappe.session.user
		if self.raised_by and not self.raised_by_email:
			self.raised_by_email = frappe.db.get_value("User", self.raised_by, "email")
		self.received_on = self.received_on or frappe.utils.now_datetime()
		self.channel = self.channel or "Desk"

	def set_contract(self):
		"""The contract comes from the requester; a customer without an Active contract is refused."""
		if not self.is_new() and not self.has_value_changed("raised_by"):
			return
		if self.flags.from_monitoring and self.contract:
			# The hub's monitor opens the request on the contract of the site it probed
			# (support_policy.glue.monitoring); flags cannot be set from a request's data.
			self.customer, self.support_plan = frappe.db.get_value(
				"Support Contract", self.contract, ["customer", "support_plan"]
			)
			return
		from support_policy.support_policy.doctype.support_contract.support_contract import contract_for_user

		# A refusal on screen speaks the user's language; a held mail is answered in the policy's.
		lang = None if self.channel in INTERACTIVE_CHANNELS else mail.customer_language()
		if self.flags.site_contract:
			# A customer site acts only for its own contract (support_policy.hub.intake).
			from support_policy.hub.intake import contract_for_site_user

			contract, reason = contract_for_site_user(self.raised_by, self.flags.site_contract, lang)
			if not contract:
				self.raised_by = None  # nobody else's request list receives what this site sent
		elif self.raised_by:
			contract, reason = contract_for_user(self.raised_by, lang)
		else:
			contract, reason = (
				None,
				_("We could not match the sender {0} to an authorized user.", lang=lang).format(
					self.raised_by_email or _("(unknown)", lang=lang)
				),
			)
		if (
			not contract
			and self.raised_by
			and is_staff(self.raised_by)
			and self.channel not in ("Email", CUSTOMER_SITE)
		):
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


def on_doctype_update():
	"""The SLA reports' generated key column and covering index (see support_policy.glue.report_key)."""
	report_key.ensure()
