# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from support_policy.sla.targets import PRIORITIES, select_target


class SupportPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from support_policy.support_policy.doctype.support_plan_sla_target.support_plan_sla_target import (
			SupportPlanSLATarget,
		)

		channel_chat: DF.Check
		channel_email: DF.Check
		currency: DF.Link
		delivery_hours: DF.Float
		delivery_measured_on: DF.Literal["Business hours", "Around the clock"]
		iva_rate: DF.Percent
		language: DF.Link | None
		max_users: DF.Int
		plan_title: DF.Data
		policy_version: DF.Data
		previous_version: DF.Link | None
		price: DF.Currency
		sla_targets: DF.Table[SupportPlanSLATarget]
		support_calendar: DF.Link
		taxes_and_charges: DF.Link | None
		term_months: DF.Int
		valid_from: DF.Date
		valid_until: DF.Date | None

	# end: auto-generated types
	def validate(self):
		if self.valid_until and getdate(self.valid_until) < getdate(self.valid_from):
			frappe.throw(_("Valid Until cannot be before Valid From"))
		if self.max_users < 1:
			frappe.throw(_("The plan must allow at least one authorized user"))
		if self.term_months < 1:
			frappe.throw(_("The term must be at least one month"))
		self.validate_sla_targets()

	def validate_sla_targets(self):
		seen = set()
		for row in self.sla_targets:
			key = (row.priority or "", row.category or "")
			if key in seen:
				frappe.throw(
					_("Row {0}: priority {1} and category {2} are repeated").format(
						row.idx, _(row.priority or "any"), _(row.category or "any")
					)
				)
			seen.add(key)
			if row.resolution_hours <= 0:
				frappe.throw(_("Row {0}: the resolution target must be greater than zero").format(row.idx))
			if row.first_response_hours > row.resolution_hours:
				frappe.throw(
					_(
						"Row {0}: the first response target cannot be longer than the resolution target"
					).format(row.idx)
				)
		rows = self.target_rows()
		missing = [p for p in PRIORITIES if not select_target(rows, p, None)]
		if missing:
			frappe.throw(
				_("Add an SLA target for priority {0} (or a row without priority)").format(
					", ".join(_(p) for p in missing)
				)
			)

	def target_rows(self) -> list[dict]:
		return [row.as_dict() for row in self.sla_targets]

	def on_update(self):
		if self.get_doc_before_save():  # an edit, not the first save
			from support_policy.glue.sla_jobs import enqueue_recalculation

			enqueue_recalculation("plan", self.name)

	def is_valid_on(self, day) -> bool:
		day = getdate(day)
		return getdate(self.valid_from) <= day and (not self.valid_until or day <= getdate(self.valid_until))


@frappe.whitelist(methods=["POST"])
def new_version(plan: str, policy_version: str, valid_from: str, valid_until: str | None = None) -> str:
	"""Copy a plan into a new policy version with new validity dates. The old version stays as it was,
	so contracts keep the version they signed."""
	source = frappe.get_doc("Support Plan", plan)
	source.check_permission("read")
	frappe.has_permission("Support Plan", "create", throw=True)
	policy_version = (policy_version or "").strip()
	if not policy_version:
		frappe.throw(_("Enter the new policy version"))
	if frappe.db.exists("Support Plan", {"plan_title": source.plan_title, "policy_version": policy_version}):
		frappe.throw(
			_("Plan {0} already has a policy version {1}").format(
				frappe.bold(source.plan_title), frappe.bold(policy_version)
			)
		)
	doc = frappe.copy_doc(source)
	doc.policy_version = policy_version
	doc.valid_from = valid_from
	doc.valid_until = valid_until
	doc.previous_version = source.name
	doc.insert()
	return doc.name
