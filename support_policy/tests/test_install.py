import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.scope import load_default_records
from support_policy.scope.categories import CATEGORIES
from support_policy.setup.install import ROLES, SEED_CALENDAR, SUCCESS_PACK_ITEM, rule_hash, setup

SEEDED = ("Support Plan", "Support Calendar", "Scope Rule", "Role", "Item")


class TestInstall(FrappeTestCase):
	def test_fresh_install_seeds_the_policy(self):
		calendar = frappe.get_doc("Support Calendar", SEED_CALENDAR["calendar_name"])
		self.assertEqual((calendar.timezone, calendar.holiday_country), ("America/Mexico_City", "MX"))
		self.assertEqual(
			sorted((r.weekday, str(r.start_time), str(r.end_time)) for r in calendar.working_hours),
			sorted(
				(d, "9:00:00", "18:00:00") for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			),
		)
		for role in ROLES:
			self.assertTrue(frappe.db.exists("Role", role))
		item = frappe.get_doc("Item", SUCCESS_PACK_ITEM)
		self.assertFalse(item.is_stock_item)
		self.assertEqual(
			frappe.db.get_single_value("Support Policy Settings", "success_pack_item"), SUCCESS_PACK_ITEM
		)

	def test_a_rule_for_every_kind_of_the_policy(self):
		rules = frappe.get_all("Scope Rule", filters={"is_standard": 1}, fields=["category", "verdict"])
		covered = {r.category for r in rules}
		for category in CATEGORIES:
			if category.code != "other":
				self.assertIn(category.label, covered)
		self.assertEqual(len(rules), len(load_default_records()))

	def test_second_migrate_changes_nothing(self):
		before = {dt: frappe.get_all(dt, fields=["name", "modified"], order_by="name") for dt in SEEDED}
		settings = frappe.get_single("Support Policy Settings").modified
		setup()
		after = {dt: frappe.get_all(dt, fields=["name", "modified"], order_by="name") for dt in SEEDED}
		self.assertEqual(before, after)
		self.assertEqual(frappe.get_single("Support Policy Settings").modified, settings)

	def test_edited_rules_survive_migrate(self):
		name = load_default_records()[0]["name"]
		frappe.db.set_value("Scope Rule", name, "enabled", 0)
		setup()
		self.assertEqual(frappe.db.get_value("Scope Rule", name, "enabled"), 0)

	def test_unedited_shipped_rules_follow_app_updates(self):
		record = load_default_records()[1]
		doc = frappe.get_doc("Scope Rule", record["name"])
		# As if the site still had an older shipped version of this rule, never edited locally.
		doc.phrases = "frase de una version anterior"
		doc.db_set({"phrases": doc.phrases, "shipped_hash": rule_hash(doc.as_dict())})
		setup()
		self.assertEqual(frappe.db.get_value("Scope Rule", record["name"], "phrases"), record["phrases"])


class TestSuccessPackItemByStableKey(FrappeTestCase):
	"""i12-workflow: the Success Pack item is found by its item code (or the one Settings names), not
	by its document name, which Stock Settings may take from a naming series."""

	def test_items_named_by_series_migrate_twice_one_item(self):
		from unittest.mock import patch

		from frappe.tests.utils import change_settings

		from support_policy.setup import install

		code = "Success Pack (series test)"
		kept = frappe.db.get_single_value("Support Policy Settings", "success_pack_item")
		self.addCleanup(frappe.db.set_single_value, "Support Policy Settings", "success_pack_item", kept)
		frappe.db.set_single_value("Support Policy Settings", "success_pack_item", None)
		with (
			patch.object(install, "SUCCESS_PACK_ITEM", code),
			change_settings("Stock Settings", {"item_naming_by": "Naming Series"}),
		):
			setup()
			setup()
		items = frappe.get_all("Item", filters={"item_name": code}, pluck="name")
		self.assertEqual(len(items), 1)
		self.assertNotEqual(items[0], code)  # named by the series
		self.assertEqual(frappe.db.get_single_value("Support Policy Settings", "success_pack_item"), items[0])

	def test_the_item_settings_names_is_kept(self):
		before = frappe.db.count("Item")
		setup()
		setup()
		self.assertEqual(frappe.db.count("Item"), before)
		self.assertEqual(
			frappe.db.get_single_value("Support Policy Settings", "success_pack_item"), SUCCESS_PACK_ITEM
		)
