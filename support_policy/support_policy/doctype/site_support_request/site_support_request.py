# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""A support request as the customer sees it on their own site. The hub decides everything shown
here (status, SLA, scope); this record and its outbox row are written in one transaction."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, now_datetime, strip_html

from support_policy.customer_site import is_customer_site, outbox
from support_policy.customer_site.context import site_context
from support_policy.glue.timeutil import aware

# The hub's own limit (Support Request.MAX_DESCRIPTION_LENGTH): refused here, before anything is sent.
from support_policy.support_policy.doctype.support_request.support_request import MAX_DESCRIPTION_LENGTH


class SiteSupportRequest(Document):
	def onload(self):
		if not self.is_new():
			self.set_onload("link", outbox.state_of(self.name))

	def validate(self):
		if self.flags.from_hub:
			return
		if not is_customer_site():
			frappe.throw(
				_(
					"This site is not linked to a support hub. Set it up in Support Policy Settings → Site Link."
				),
				title=_("Not a Customer Site"),
			)
		if not self.is_new():
			# Everything shown after the save comes from the hub (status, reference, replies, ...): a
			# user's save, even through the REST API, could only forge it.
			frappe.throw(_("A request that was sent cannot be changed. Add a reply instead."))
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
		self.raised_by = frappe.session.user
		self.saved_on = now_datetime()
		self.idempotency_key = outbox.new_key()
		self.origin = "This Site"
		self.delivery_state = "Sending"
		self.site_context = frappe.as_json(site_context(self.error_logs), indent=1)

	def after_insert(self):
		if self.flags.from_hub:
			return
		user = frappe.get_cached_value("User", self.raised_by, ["email", "full_name"], as_dict=True) or {}
		outbox.add(
			"Request",
			self.name,
			self.idempotency_key,
			{
				"subject": self.subject,
				"description": self.description,
				"priority": self.priority,
				"category": self.category,
				"user_email": user.get("email") or self.raised_by,
				"user_full_name": user.get("full_name"),
				"saved_on": aware(self.saved_on).isoformat(),
				"context": frappe.parse_json(self.site_context),
			},
		)
