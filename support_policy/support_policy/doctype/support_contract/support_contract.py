# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, add_months, getdate, nowdate

from support_policy.sla import BusinessCalendar
from support_policy.sla.targets import BUSINESS_HOURS, hours_to_seconds
from support_policy.glue import mail
from support_policy.glue.timeutil import aware, stored

from support_policy.statuses import CONTRACT_IN_FORCE, CONTRACT_NOT_ENDED


class SupportContract(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from support_policy.support_policy.doctype.support_contract_user.support_contract_user import (
			SupportContractUser,
		)

		account_manager: DF.Link | None
		authorized_users: DF.Table[SupportContractUser]
		cancellation_reason: DF.SmallText | None
		customer: DF.Link
		customer_name: DF.Data | None
		delivered_on: DF.Datetime | None
		delivery_due: DF.Datetime | None
		end_date: DF.Date | None
		hosted_site_url: DF.Data | None
		naming_series: DF.Literal["SC-.YYYY.-"]
		policy_version: DF.Data | None
		quotation: DF.Link | None
		sales_invoice: DF.Link | None
		signed_on: DF.Datetime | None
		start_date: DF.Date
		status: DF.Literal["Draft", "Pending Delivery", "Active", "Expired", "Cancelled"]
		support_plan: DF.Link

	# end: auto-generated types
	def validate(self):
		plan = frappe.get_cached_doc("Support Plan", self.support_plan)
		self.validate_dates(plan)
		self.validate_plan_validity(plan)
		self.set_status()  # before validate_users: whether this contract authorizes its users
		self.validate_users(plan)
		mail.validate_recorded_addresses(self)
		self.set_delivery_due(plan)

	def validate_dates(self, plan):
		if not self.end_date:
			self.end_date = add_days(add_months(self.start_date, plan.term_months), -1)
		if getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The end date cannot be before the start date"), title=_("Invalid Dates"))

	def validate_plan_validity(self, plan):
		"""A contract signs the plan version that is valid on its start date."""
		if not (
			self.is_new() or self.has_value_changed("support_plan") or self.has_value_changed("start_date")
		):
			return
		if plan.valid_until and getdate(self.start_date) > getdate(plan.valid_until):
			frappe.throw(
				_(
					"Plan {0} (policy version {1}) was valid until {2}. Open the plan and use New version to "
					"create a version valid for this contract."
				).format(
					frappe.bold(plan.plan_title),
					plan.policy_version,
					frappe.format(plan.valid_until, "Date"),
				),
				title=_("Plan Version Expired"),
			)
		if getdate(self.start_date) < getdate(plan.valid_from):
			frappe.throw(
				_("Plan {0} (policy version {1}) is valid only from {2}").format(
					frappe.bold(plan.plan_title), plan.policy_version, frappe.format(plan.valid_from, "Date")
				),
				title=_("Plan Version Not Yet Valid"),
			)

	def validate_users(self, plan):
		if len(self.authorized_users) > plan.max_users:
			frappe.throw(
				_("Plan {0} allows at most {1} authorized users; this contract lists {2}").format(
					frappe.bold(plan.plan_title), plan.max_users, len(self.authorized_users)
				),
				title=_("Too Many Users"),
			)
		seen = set()
		for row in self.authorized_users:
			if row.user in seen:
				frappe.throw(_("User {0} is listed twice").format(frappe.bold(row.user)))
			seen.add(row.user)
			if row.contact and not frappe.db.exists(
				"Dynamic Link",
				{
					"parenttype": "Contact",
					"parent": row.contact,
					"link_doctype": "Customer",
					"link_name": self.customer,
				},
			):
				frappe.throw(
					_("Row {0}: contact {1} does not belong to customer {2}").format(
						row.idx, frappe.bold(row.contact), frappe.bold(self.customer)
					)
				)
			other = self.status in CONTRACT_IN_FORCE and other_customer_contract(
				row.user, self.customer, self.name
			)
			if other:
				frappe.throw(
					_("Row {0}: user {1} is already authorized for another customer on contract {2}").format(
						row.idx, frappe.bold(row.user), frappe.bold(other)
					)
				)

	def set_delivery_due(self, plan):
		if not self.signed_on:
			self.delivery_due = None
			return
		if plan.delivery_measured_on == BUSINESS_HOURS:
			from support_policy.glue.calendar import get_business_calendar

			calendar = get_business_calendar(plan.support_calendar)
		else:
			calendar = BusinessCalendar.always_open()
		due = calendar.add_business_seconds(aware(self.signed_on), hours_to_seconds(plan.delivery_hours))
		self.delivery_due = stored(due)

	def set_status(self):
		if self.status == "Cancelled" or self.docstatus == 2:
			return
		if getdate(self.end_date) < getdate(nowdate()):
			self.status = "Expired"
		elif self.delivered_on:
			self.status = "Active"
		elif self.signed_on:
			self.status = "Pending Delivery"
		else:
			self.status = "Draft"

	@property
	def delivery_met(self) -> bool | None:
		return delivery_met(self.delivered_on, self.delivery_due)


def delivery_met(delivered_on, delivery_due) -> bool | None:
	"""Whether the service was delivered by its due time; None until both are known."""
	if not (delivered_on and delivery_due):
		return None
	return frappe.utils.get_datetime(delivered_on) <= frappe.utils.get_datetime(delivery_due)


def contracts_authorizing(user: str):
	"""A query over the contracts (any status) whose authorized users include ``user``; the caller
	picks the columns. Returns (query, contract table)."""
	contract = frappe.qb.DocType("Support Contract")
	member = frappe.qb.DocType("Support Contract User")
	query = (
		frappe.qb.from_(contract)
		.join(member)
		.on((member.parent == contract.name) & (member.parenttype == "Support Contract"))
		.where(member.user == user)
	)
	return query, contract


def contracts_in_force(user: str):
	"""``contracts_authorizing`` narrowed to the contracts in force today: status in
	``CONTRACT_IN_FORCE`` and not past their end date (the daily job marks them Expired later).
	Only these authorize a user (``support_policy.permissions.customers_of``)."""
	query, contract = contracts_authorizing(user)
	query = query.where(contract.status.isin(CONTRACT_IN_FORCE) & (contract.end_date >= nowdate()))
	return query, contract


def other_customer_contract(user: str, customer: str, exclude: str | None) -> str | None:
	"""A contract in force of another customer that already authorizes ``user``: a user belongs to
	one customer at a time."""
	query, contract = contracts_in_force(user)
	query = query.select(contract.name).where(contract.customer != customer).limit(1)
	if exclude:
		query = query.where(contract.name != exclude)
	rows = query.run(pluck=True)
	return rows[0] if rows else None


def contract_for_user(user: str, lang: str | None = None) -> tuple[str | None, str | None]:
	"""The Active contract that authorizes ``user``, or (None, reason) saying why there is none, in
	``lang`` (default: the current user's language)."""
	query, contract = contracts_authorizing(user)
	rows = (
		query.select(contract.name, contract.status, contract.end_date, contract.customer).orderby(
			contract.end_date, order=frappe.qb.desc
		)
	).run(as_dict=True)
	today = getdate(nowdate())
	for row in rows:
		if row.status == "Active" and getdate(row.end_date) >= today:
			return row.name, None
	if not rows:
		return None, _(
			"Your user {0} is not authorized on any support contract. Ask your administrator to add you.",
			lang=lang,
		).format(user)
	latest = rows[0]
	if latest.status == "Expired" or getdate(latest.end_date) < today:
		return None, _("Your support contract {0} expired on {1}. Contact us to renew it.", lang=lang).format(
			latest.name, frappe.format(latest.end_date, "Date")
		)
	if latest.status in ("Draft", "Pending Delivery"):
		return None, _("Your support contract {0} is not active yet (status: {1}).", lang=lang).format(
			latest.name, _(latest.status, lang=lang)
		)
	return None, _("Your support contract {0} is {1}.", lang=lang).format(
		latest.name, _(latest.status, lang=lang)
	)


EXPIRE_SAVEPOINT = "expire_contract"


def expire_contracts():
	"""Daily: contracts past their end date become Expired. (The 30-day renewal reminder is the
	standard Notification "Support Contract Renewal Reminder".)"""
	contract = frappe.qb.DocType("Support Contract")
	names = (
		frappe.qb.from_(contract)
		.select(contract.name)
		.where(contract.status.isin(CONTRACT_NOT_ENDED) & (contract.end_date < nowdate()))
	).run(pluck=True)
	for name in names:
		# One contract that cannot be saved (a broken link, a hook that fails) must not roll back the
		# others: each is written behind its own savepoint, and a failure is logged with its name.
		frappe.db.savepoint(EXPIRE_SAVEPOINT)
		try:
			doc = frappe.get_doc("Support Contract", name)
			doc.add_comment("Info", _("Expired on {0}").format(frappe.format(doc.end_date, "Date")))
			doc.save(ignore_permissions=True)
		except Exception:
			frappe.db.rollback(save_point=EXPIRE_SAVEPOINT)
			frappe.log_error(
				title=_("Support Contract {0} could not be expired").format(name),
				reference_doctype="Support Contract",
				reference_name=name,
			)
		else:
			frappe.db.release_savepoint(EXPIRE_SAVEPOINT)
