# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""The "Soporte" workspace loads for staff, links every doctype and report of the app, and every
number card and chart it shows computes."""

import json

import frappe
from frappe.desk.desktop import get_desktop_page
from frappe.tests.utils import FrappeTestCase

from support_policy.setup.testing import TEST_IGNORE, make_user

test_ignore = TEST_IGNORE

MODULE = "Support Policy"


def load(page="Soporte"):
	return get_desktop_page(json.dumps({"name": page, "title": page, "public": 1}))


class TestSoporteWorkspace(FrappeTestCase):
	def test_links_every_doctype_and_report(self):
		page = load()
		links = [link for card in page["cards"]["items"] for link in card["links"]]
		linked = {(link["link_type"], link["link_to"]) for link in links}
		doctypes = frappe.get_all("DocType", {"module": MODULE, "istable": 0}, pluck="name")
		reports = frappe.get_all("Report", {"module": MODULE, "is_standard": "Yes"}, pluck="name")
		self.assertTrue({"Support Request", "Support Policy Settings"} <= set(doctypes))
		self.assertTrue({"SLA Compliance", "Scope Rule Performance"} <= set(reports))
		for doctype in doctypes:
			self.assertIn(("DocType", doctype), linked)
		for report in reports:
			self.assertIn(("Report", report), linked)

	def test_triage_shortcut(self):
		shortcuts = {s["label"]: s for s in load()["shortcuts"]["items"]}
		triage = shortcuts["Por revisar"]
		self.assertEqual((triage["type"], triage["link_to"]), ("DocType", "Support Request"))
		self.assertEqual(json.loads(triage["stats_filter"]), {"scope_verdict": "Needs review"})

	def test_every_card_and_chart_exists_and_computes(self):
		from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as chart_data
		from frappe.desk.doctype.number_card.number_card import get_result
		from frappe.desk.query_report import run

		workspace = frappe.get_doc("Workspace", "Soporte")
		page = load()
		self.assertEqual(len(page["number_cards"]["items"]), len(workspace.number_cards))
		self.assertEqual(len(page["charts"]["items"]), len(workspace.charts))
		content = json.loads(workspace.content)
		shown = {block["data"].get("number_card_name") for block in content} | {
			block["data"].get("chart_name") for block in content
		}
		for row in workspace.number_cards:
			self.assertIn(row.label, shown)
			card = frappe.get_doc("Number Card", row.number_card_name)
			self.assertTrue(card.is_standard)
			if card.type == "Custom":
				result = frappe.get_attr(card.method)(filters=card.filters_json)
				# A figure with its route, or a dash when there is nothing to show yet.
				self.assertTrue(result == "—" or "value" in result, result)
			else:
				self.assertIsInstance(get_result(card.as_dict(), card.filters_json), float)
		for row in workspace.charts:
			self.assertIn(row.label, shown)
			chart = frappe.get_doc("Dashboard Chart", row.chart_name)
			if chart.chart_type == "Report":
				filters = json.loads(chart.filters_json)
				filters.update(from_date="2026-09-01", to_date="2026-11-30")
				result = run(chart.report_name, filters=filters)
				self.assertIn("result", result)
			else:
				data = chart_data(chart_name=chart.name, refresh=1, filters=chart.filters_json)
				# The chart counts what the list would count with its filters (Frappe answers None
				# when nothing matches).
				expected = {
					row.name: row.count
					for row in frappe.get_list(
						chart.document_type,
						filters=json.loads(chart.filters_json),
						fields=[f"{chart.group_by_based_on} as name", "count(*) as count"],
						group_by=chart.group_by_based_on,
					)
				}
				shown_counts = (
					dict(zip(data["labels"], data["datasets"][0]["values"], strict=True)) if data else {}
				)
				self.assertEqual(shown_counts, expected)

	def test_agent_sees_the_cards_and_an_outsider_is_refused(self):
		from support_policy.glue.reporting import compliance_this_month

		agent = make_user("agente-tablero@proveedor.mx", roles=("Support Agent",))
		with self.set_user(agent):
			page = load()
		self.assertEqual(len(page["number_cards"]["items"]), 6)
		self.assertEqual(len(page["charts"]["items"]), 2)
		outsider = make_user("sin-soporte@tablero.mx", roles=("Blogger",))
		with self.set_user(outsider), self.assertRaises(frappe.PermissionError):
			compliance_this_month()


class TestSoporteFollowsTheSiteMode(FrappeTestCase):
	"""On a customer site the workspace is the customer's: Nueva solicitud and Mis solicitudes, for
	Support Requesters and System Managers only; back on the hub it is the staff's again."""

	def set_site_mode(self, mode):
		settings = frappe.get_single("Support Policy Settings")
		settings.site_mode = mode
		if mode == "Customer Site":
			settings.update(
				{
					"hub_url": "http://127.0.0.1:9",
					"hub_contract": "SC-PRUEBA",
					"hub_site_key": "sk_prueba",
					"hub_site_secret": "secreto",
				}
			)
		settings.save(ignore_permissions=True)

	def sidebar(self, user):
		from frappe.desk.desktop import get_workspace_sidebar_items

		with self.set_user(user):
			return {page["title"] for page in get_workspace_sidebar_items()["pages"]}

	def blocks(self, user):
		with self.set_user(user):
			content = frappe.db.get_value("Workspace", "Soporte", "content")
			return {
				block["data"].get("shortcut_name") or block["data"].get("card_name") or block["type"]
				for block in json.loads(content)
			}

	def test_a_customer_site_shows_only_the_requesters_desk_to_requesters(self):
		requester = make_user("solicita@modo-cliente.mx", roles=("Support Requester",))
		bystander = make_user("contabilidad@modo-cliente.mx", roles=("Accounts User",))
		before = frappe.db.get_single_value("Support Policy Settings", "site_mode") or "Hub"
		self.addCleanup(self.set_site_mode, before)

		self.set_site_mode("Customer Site")
		self.assertEqual(
			self.blocks(requester), {"Nueva solicitud", "Mis solicitudes", "Desde el ERPNext del cliente"}
		)
		self.assertIn("Soporte", self.sidebar(requester))
		self.assertNotIn("Soporte", self.sidebar(bystander))

		self.set_site_mode("Hub")
		hub_blocks = self.blocks("Administrator")
		self.assertNotIn("Nueva solicitud", hub_blocks)
		self.assertIn("Por revisar", hub_blocks)
		self.assertFalse(frappe.get_all("Has Role", {"parenttype": "Workspace", "parent": "Soporte"}))
