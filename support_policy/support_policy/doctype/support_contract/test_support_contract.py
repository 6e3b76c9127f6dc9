# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.setup.testing import (
	TEST_IGNORE,
	current_plan,
	make_contract,
	make_customer,
	make_user,
	seeded_plan,
)

test_ignore = TEST_IGNORE


class TestSupportContract(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Contrato Prueba SA")
		cls.users = [make_user(f"usuario{i}@contrato-prueba.mx", cls.customer) for i in range(11)]

	def test_user_cap_of_the_plan(self):
		contract = make_contract(self.customer, self.users[:10])
		self.assertEqual(len(contract.authorized_users), 10)
		contract.append("authorized_users", {"user": self.users[10]})
		with self.assertRaises(frappe.ValidationError) as cm:
			contract.save()
		self.assertIn("10", str(cm.exception))
		contract.reload()
		self.assertEqual(len(contract.authorized_users), 10, "nothing is half-written")

	def test_end_date_before_start_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_contract(self.customer, start="2026-03-01", end_date="2026-02-01")
		self.assertFalse(
			frappe.db.exists("Support Contract", {"customer": self.customer, "start_date": "2026-03-01"})
		)

	def test_annual_term_and_delivery_due_in_72_hours(self):
		contract = make_contract(
			self.customer, start="2026-02-01", signed_on="2026-02-06 17:30:00", delivered=False
		)
		self.assertEqual(str(contract.end_date), "2027-01-31")
		# 72 hours around the clock, as the policy promises ("Servicio entregado en 72 horas").
		self.assertEqual(contract.delivery_due, datetime(2026, 2, 9, 17, 30))
		self.assertEqual(contract.status, "Pending Delivery")
		contract.delivered_on = "2026-02-08 12:00:00"
		contract.save()
		self.assertEqual(contract.status, "Active")
		self.assertTrue(contract.delivery_met)

	def test_plan_version_past_its_validity_is_refused(self):
		with self.assertRaises(frappe.ValidationError) as cm:
			make_contract(self.customer, plan=seeded_plan(), start="2026-01-01")
		self.assertIn("New version", str(cm.exception))

	def test_user_cannot_be_authorized_for_two_customers(self):
		other = make_customer("Otro Cliente SA")
		make_contract(self.customer, [self.users[0]], start="2026-04-01")
		with self.assertRaises(frappe.ValidationError):
			make_contract(other, [self.users[0]], start="2026-04-01")

	def test_daily_job_expires_contracts(self):
		from support_policy.support_policy.doctype.support_contract.support_contract import expire_contracts

		contract = make_contract(self.customer, start="2025-01-01", signed_on="2025-01-02 10:00:00")
		frappe.db.set_value("Support Contract", contract.name, "status", "Active")
		with self.freeze_time("2026-01-05 08:00:00"):
			expire_contracts()
		self.assertEqual(frappe.db.get_value("Support Contract", contract.name, "status"), "Expired")

	def test_a_contract_that_fails_to_expire_does_not_stop_the_others(self):
		from unittest.mock import patch

		from support_policy.support_policy.doctype.support_contract import support_contract

		customer = make_customer("Vencimientos Varios SA")
		contracts = [
			make_contract(customer, start=start, signed_on=f"{start} 10:00:00")
			for start in ("2024-01-01", "2024-06-01", "2025-01-01")
		]
		for contract in contracts:
			frappe.db.set_value("Support Contract", contract.name, "status", "Active")
		broken = contracts[1].name
		validate = support_contract.SupportContract.validate

		def failing_validate(doc):
			validate(doc)
			if doc.name == broken:
				frappe.throw("broken contract")

		with (
			self.freeze_time("2026-01-05 08:00:00"),
			patch.object(support_contract.SupportContract, "validate", failing_validate),
		):
			support_contract.expire_contracts()
		status = {c.name: frappe.db.get_value("Support Contract", c.name, "status") for c in contracts}
		self.assertEqual(
			status, {contracts[0].name: "Expired", broken: "Active", contracts[2].name: "Expired"}
		)
		# Nothing of the failed one is half-written (no "Expired on" comment), and the failure is logged.
		self.assertFalse(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": "Support Contract", "reference_name": broken, "comment_type": "Info"},
			)
		)
		self.assertTrue(
			frappe.db.exists("Error Log", {"reference_doctype": "Support Contract", "reference_name": broken})
		)

	def test_renewal_reminder_is_a_standard_notification(self):
		notification = frappe.get_doc("Notification", "Support Contract Renewal Reminder")
		self.assertEqual(
			(notification.event, notification.date_changed, notification.days_in_advance),
			("Days Before", "end_date", 30),
		)
