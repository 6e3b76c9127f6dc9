# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.support_policy.doctype.support_plan.support_plan import new_version
from support_policy.setup.testing import TEST_IGNORE, seeded_plan

test_ignore = TEST_IGNORE


class TestSupportPlan(FrappeTestCase):
	def test_seeded_plan_is_the_policy_as_written(self):
		plan = frappe.get_doc("Support Plan", seeded_plan())
		self.assertEqual(plan.plan_title, "Hosting ERPNext — Anual hasta 10 usuarios")
		self.assertEqual(
			(plan.policy_version, plan.price, plan.currency, plan.iva_rate, plan.term_months, plan.max_users),
			("2021", 15000, "MXN", 16, 12, 10),
		)
		self.assertEqual((plan.delivery_hours, str(plan.valid_until)), (72, "2021-12-31"))
		self.assertTrue(plan.channel_email and plan.channel_chat)
		restore = [r for r in plan.sla_targets if r.category == "Restore"]
		self.assertEqual(restore[0].resolution_hours, 2)

	def test_new_version_copies_the_plan(self):
		name = new_version(seeded_plan(), "2027-test", "2027-01-01", "2027-12-31")
		self.addCleanup(frappe.delete_doc, "Support Plan", name, force=True)
		copy = frappe.get_doc("Support Plan", name)
		self.assertEqual(copy.previous_version, seeded_plan())
		self.assertEqual(copy.policy_version, "2027-test")
		self.assertEqual(
			len(copy.sla_targets), len(frappe.get_doc("Support Plan", seeded_plan()).sla_targets)
		)
		with self.assertRaises(frappe.ValidationError):
			new_version(seeded_plan(), "2027-test", "2027-01-01", None)

	def test_every_priority_needs_a_target(self):
		plan = frappe.copy_doc(frappe.get_doc("Support Plan", seeded_plan()))
		plan.policy_version = "sin-urgente"
		plan.sla_targets = [r for r in plan.sla_targets if r.priority != "Urgent"]
		with self.assertRaises(frappe.ValidationError):
			plan.insert()

	def test_repeated_target_rows_are_refused(self):
		plan = frappe.copy_doc(frappe.get_doc("Support Plan", seeded_plan()))
		plan.policy_version = "repetido"
		plan.append("sla_targets", {"priority": "Low", "first_response_hours": 1, "resolution_hours": 2})
		with self.assertRaises(frappe.ValidationError):
			plan.insert()
