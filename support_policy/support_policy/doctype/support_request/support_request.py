# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, strip_html

from support_policy import sla_glue
from support_policy.permissions import is_staff

# Requests bigger than this are refused: it keeps intake, matching and e-mail sane.
MAX_DESCRIPTION_LENGTH = 20000


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
		sla_events: DF.Table[SupportRequestSLAEvent]
		sla_note: DF.SmallText | None
		sla_notified: DF.Data | None
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
			from support_policy import scope_glue

			scope_glue.apply_verdict(self)
		sla_glue.apply(self)

	def after_insert(self):
		from support_policy import scope_glue

		scope_glue.after_insert(self)

	def validate_text(self):
		self.subject = cstr(self.subject).strip()
		if not self.subject:
			frappe.throw(_("Write a subject for your request"))
		if len(strip_html(cstr(self.description))) > MAX_DESCRIPTION_LENGTH:
			frappe.throw(
				_(
					"The description is too long ({0} characters); the limit is {1}. Attach long texts as files."
				).format(len(strip_html(cstr(self.description))), MAX_DESCRIPTION_LENGTH),
				title=_("Description Too Long"),
			)

	def set_requester(self):
		if not self.raised_by:
			self.raised_by = frappe.session.user if frappe.session.user != "Guest" else None
		if self.raised_by and not self.raised_by_email:
			self.raised_by_email = frappe.db.get_value("User", self.raised_by, "email")
		if not self.received_on:
			self.received_on = frappe.utils.now_datetime()
		if not self.channel:
			self.channel = "Desk"

	def set_contract(self):
		"""The contract comes from the requester; a customer without an Active contract is refused."""
		if not self.is_new() and not self.has_value_changed("raised_by"):
			return
		from support_policy.support_policy.doctype.support_contract.support_contract import contract_for_user

		contract, reason = contract_for_user(self.raised_by) if self.raised_by else (None, None)
		if not contract and self.raised_by and not is_staff(self.raised_by):
			frappe.throw(reason, title=_("Cannot Raise the Request"))
		self.contract = contract
		if contract:
			self.customer, self.support_plan = frappe.db.get_value(
				"Support Contract", contract, ["customer", "support_plan"]
			)


def on_communication(doc, method=None):
	"""Replies drive the SLA: the first reply an agent sends is the first response; a customer reply
	while we wait on the customer resumes the clock."""
	if doc.reference_doctype != "Support Request" or doc.communication_type != "Communication":
		return
	if not frappe.db.exists("Support Request", doc.reference_name):
		return
	request = frappe.get_doc("Support Request", doc.reference_name)
	sender_user = frappe.db.get_value("User", {"email": doc.sender}, "name") if doc.sender else None
	from_staff = doc.sent_or_received == "Sent" and is_staff(sender_user or frappe.session.user)
	changed = sla_glue.on_reply(request, from_staff=from_staff, at=doc.communication_date or doc.creation)
	if changed:
		request.flags.ignore_permissions = True
		request.save()
