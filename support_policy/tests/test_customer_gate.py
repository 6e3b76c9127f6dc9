"""Deny by default for customer sessions (issue 11): the gate, the allowlist, who is authorized.

- Every whitelisted method of frappe, erpnext and support_policy, and every doctype's REST resource,
  is refused to a customer session unless ``support_policy.permissions.allowlist`` lists it; staff
  and guests are never refused by the gate.
- Only contracts in force authorize, with their current user list; a disabled User is authorized
  for nothing. A user belongs to one customer at a time.
- Every override keeps the signature, ``allow_guest`` and HTTP methods of the method it replaces.
"""

import importlib
import inspect
import os
import pkgutil

import frappe
from frappe.tests.utils import FrappeTestCase
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from support_policy.permissions import allowlist, customers_of, gate
from support_policy.setup.testing import TEST_IGNORE, active_contract, current_plan, make_customer, make_user

test_ignore = TEST_IGNORE

CUSTOMER_A = "Puerta Norte SA"
CUSTOMER_B = "Puerta Sur SA"
USER_A = "compras@puertanorte.mx"
USER_B = "compras@puertasur.mx"
AGENT = "agente@puertas-soporte.mx"
APPS = ("frappe", "erpnext", "support_policy")
# Modules that cannot be imported outside their own context (tests, patches, commands, setup).
SKIP_PARTS = ("tests", "test_", "patches", "commands", "setup_wizard", "install_fixtures", "demo")


def whitelisted_methods() -> dict[str, object]:
	"""Every whitelisted function of the three apps, by the dotted name an HTTP caller uses."""
	for app in APPS:
		package = importlib.import_module(app)
		for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
			if any(part in info.name for part in SKIP_PARTS):
				continue
			path = getattr(info.module_finder, "path", "")
			source = os.path.join(path, info.name.rsplit(".", 1)[-1] + ".py")
			if os.path.exists(source):
				with open(source, encoding="utf-8") as f:
					if "whitelist" not in f.read():
						continue
			try:
				importlib.import_module(info.name)
			except Exception:
				continue
	methods = {}
	for fn in frappe.whitelisted:
		module = getattr(fn, "__module__", "") or ""
		if module.split(".", 1)[0] in APPS:
			methods[f"{module}.{fn.__qualname__}"] = fn
	return methods


class GateCase(FrappeTestCase):
	def request_as(self, user: str, path: str, http: str = "POST", form: dict | None = None):
		"""Run the gate for one request of ``user``; returns True when it lets it through."""
		environ = EnvironBuilder(path=path, method=http).get_environ()
		saved = getattr(frappe.local, "request", None), frappe.local.form_dict
		frappe.set_user(user)  # (resets form_dict)
		frappe.local.request = Request(environ)
		frappe.local.form_dict = frappe._dict(form or {})
		try:
			gate.check_request()
			return True
		except gate.Refused:
			return False
		finally:
			frappe.local.request, frappe.local.form_dict = saved
			frappe.set_user("Administrator")


class TestCustomerGate(GateCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER_A)
		make_user(USER_A, CUSTOMER_A)
		make_user(AGENT, roles=("Support Agent",))
		cls.methods = whitelisted_methods()

	def test_wired_in_hooks(self):
		self.assertIn("support_policy.permissions.gate.check_request", frappe.get_hooks("auth_hooks"))
		self.assertIn("support_policy.permissions.gate.uniform_refusal", frappe.get_hooks("after_request"))

	def test_enumeration_finds_the_apps_methods(self):
		"""The walk below is not vacuous: it reaches deep modules of all three apps."""
		for name in (
			"frappe.client.get_list",
			"frappe.desk.query_report.run",
			"frappe.www.printview.get_html_and_style",
			"erpnext.stock.get_item_details.get_item_details",
			"erpnext.accounts.party.get_party_details",
			"support_policy.support_policy.doctype.support_request.api.override_verdict",
		):
			self.assertIn(name, self.methods)
		self.assertGreater(len(self.methods), 800)

	def test_customer_is_refused_every_method_outside_the_allowlist(self):
		let_through = []
		for name in sorted(self.methods):
			allowed = self.request_as(USER_A, f"/api/method/{name}")
			if allowed != (name in allowlist.METHODS):
				let_through.append(name)
			# the old RPC form, on any path
			if self.request_as(USER_A, "/", form={"cmd": name}) != (name in allowlist.METHODS):
				let_through.append(f"cmd={name}")
		self.assertEqual(let_through, [])
		print(f"\n{len(self.methods)} whitelisted methods, {len(allowlist.METHODS)} allowed to customers")

	def test_allowed_methods_only_with_their_doctypes(self):
		for name, doctypes in allowlist.METHODS.items():
			for arg in ("doctype", "reference_doctype", "parent"):
				self.assertFalse(self.request_as(USER_A, f"/api/method/{name}", form={arg: "Item"}), name)
			self.assertFalse(
				self.request_as(USER_A, f"/api/method/{name}", form={"doc": {"doctype": "Item"}}), name
			)
			for doctype in doctypes:
				self.assertTrue(self.request_as(USER_A, f"/api/method/{name}", form={"doctype": doctype}))

	def test_customer_is_refused_every_rest_resource_outside_the_allowlist(self):
		let_through = []
		for doctype in frappe.get_all("DocType", pluck="name"):
			for http, path, operation in (
				("GET", f"/api/resource/{doctype}", "list"),
				("POST", f"/api/resource/{doctype}", "create"),
				("GET", f"/api/resource/{doctype}/x-1", "read"),
				("PUT", f"/api/resource/{doctype}/x-1", "write"),
				("DELETE", f"/api/resource/{doctype}/x-1", "delete"),
				("POST", f"/api/resource/{doctype}/x-1", "method"),
				("GET", f"/api/v2/document/{doctype}", "list"),
				("GET", f"/api/v2/document/{doctype}/x-1", "read"),
				("PATCH", f"/api/v2/document/{doctype}/x-1", "write"),
				("GET", f"/api/v2/document/{doctype}/x-1/copy", "copy"),
				("POST", f"/api/v2/document/{doctype}/x-1/method/run", "method"),
				("GET", f"/api/v2/doctype/{doctype}/meta", "meta"),
				("GET", f"/api/v2/doctype/{doctype}/count", "count"),
				("POST", f"/api/v2/method/{doctype}/run", "method"),
			):
				allowed = self.request_as(USER_A, path, http)
				if allowed != ((doctype, operation) in allowlist.RESOURCES):
					let_through.append(f"{http} {path}")
		self.assertEqual(let_through, [])

	def test_customer_is_refused_the_website_beyond_the_desk(self):
		for path in ("/printview", "/quotations", "/orders", "/me", "/backups/x.sql.gz", "/api/unknown"):
			self.assertFalse(self.request_as(USER_A, path, "GET"), path)
		for path in ("/app/support-request", "/app/support-contract", "/login", "/"):
			self.assertTrue(self.request_as(USER_A, path, "GET"), path)
		# the desk's home (the provider's workspaces): a customer starts at their requests
		from werkzeug.routing import RequestRedirect

		for path in ("/app", "/app/home"):
			with self.assertRaises(RequestRedirect) as cm:
				self.request_as(USER_A, path, "GET")
			self.assertEqual(cm.exception.new_url, "/app/support-request")

	def test_staff_and_guests_keep_frappes_behaviour(self):
		for user in ("Administrator", AGENT, "Guest"):
			for name in (
				"frappe.client.get_list",
				"frappe.desk.query_report.run",
				"frappe.www.printview.get_html_and_style",
			):
				self.assertTrue(self.request_as(user, f"/api/method/{name}", form={"doctype": "Item"}))
			self.assertTrue(self.request_as(user, "/api/resource/Item", "GET"))
			self.assertTrue(self.request_as(user, "/printview", "GET"))

	def test_customer_boot_names_nothing_of_the_provider(self):
		from frappe.boot import get_bootinfo

		frappe.set_user(USER_A)
		try:
			boot = get_bootinfo()
			frappe.get_attr("support_policy.permissions.gate.trim_boot")(boot)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(boot.allowed_workspaces, [])
		self.assertEqual(boot.user["all_reports"], {})
		self.assertEqual(boot.dashboards, [])
		self.assertLessEqual(set(boot.user["can_read"]), set(allowlist.FORMS))

	def test_refusals_and_missing_documents_get_the_same_answer(self):
		from werkzeug.wrappers import Response

		answers = []
		for status, body in (
			(403, '{"exc_type": "PermissionError", "_server_messages": "[\\"SR-1\\"]"}'),
			(404, "{}"),
		):
			response = Response(body, status=status, mimetype="application/json")
			frappe.set_user(USER_A)
			try:
				gate.uniform_refusal(response)
			finally:
				frappe.set_user("Administrator")
			answers.append((response.status_code, response.get_data(as_text=True)))
		self.assertEqual(answers[0], answers[1])
		self.assertNotIn("SR-1", answers[0][1])


class TestAuthorization(FrappeTestCase):
	"""Only contracts in force and their current users authorize."""

	def setUp(self):
		make_customer(CUSTOMER_A)
		make_customer(CUSTOMER_B)
		self.user = make_user(f"revocable-{frappe.generate_hash(length=6)}@puertanorte.mx", CUSTOMER_A)
		self.contract = active_contract(CUSTOMER_A, [self.user])
		frappe.set_user(self.user)
		try:
			doc = frappe.get_doc(
				{"doctype": "Support Request", "subject": "Puerta Norte: acceso", "description": "<p>x</p>"}
			).insert()
		finally:
			frappe.set_user("Administrator")
		self.request = doc.name

	def can_read(self) -> bool:
		return bool(frappe.has_permission("Support Request", "read", doc=self.request, user=self.user))

	def lists(self) -> list[str]:
		frappe.set_user(self.user)
		try:
			return frappe.get_list("Support Request", pluck="name")
		finally:
			frappe.set_user("Administrator")

	def test_authorized_user_reads_their_requests(self):
		self.assertEqual(customers_of(self.user), [CUSTOMER_A])
		self.assertTrue(self.can_read())
		self.assertIn(self.request, self.lists())

	def test_removing_the_user_revokes_at_once(self):
		contract = frappe.get_doc("Support Contract", self.contract)
		contract.authorized_users = [r for r in contract.authorized_users if r.user != self.user]
		contract.save(ignore_permissions=True)
		self.assertEqual(customers_of(self.user), [])
		self.assertFalse(self.can_read())  # not even the request they raised
		self.assertNotIn(self.request, self.lists())

	def test_cancelling_the_contract_revokes_at_once(self):
		frappe.db.set_value("Support Contract", self.contract, "status", "Cancelled")
		self.assertEqual(customers_of(self.user), [])
		self.assertFalse(self.can_read())

	def test_expired_contract_authorizes_nobody(self):
		frappe.db.set_value("Support Contract", self.contract, "status", "Expired")
		self.assertEqual(customers_of(self.user), [])
		self.assertFalse(self.can_read())

	def test_contract_past_its_end_date_authorizes_nobody_before_the_daily_job(self):
		from frappe.utils import add_days, nowdate

		frappe.db.set_value("Support Contract", self.contract, "end_date", add_days(nowdate(), -1))
		self.assertEqual(customers_of(self.user), [])
		self.assertFalse(self.can_read())

	def test_disabling_the_user_revokes_at_once(self):
		frappe.db.set_value("User", self.user, "enabled", 0)
		self.assertEqual(customers_of(self.user), [])
		self.assertFalse(self.can_read())

	def test_a_second_customer_cannot_list_a_user_in_force_elsewhere(self):
		with self.assertRaises(frappe.ValidationError):
			active_contract(CUSTOMER_B, [self.user])

	def test_a_user_moves_once_the_first_contract_has_ended(self):
		frappe.db.set_value("Support Contract", self.contract, "status", "Expired")
		other = active_contract(CUSTOMER_B, [self.user])
		self.assertEqual(customers_of(self.user), [CUSTOMER_B])
		self.assertFalse(self.can_read())  # A's request stays with A
		frappe.db.set_value("Support Contract", other, "status", "Cancelled")

	def test_a_draft_authorizes_nobody_and_cannot_be_signed_while_another_is_in_force(self):
		draft = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": CUSTOMER_B,
				"support_plan": current_plan(),
				"start_date": frappe.utils.nowdate(),
				"authorized_users": [{"user": self.user}],
			}
		).insert(ignore_permissions=True)
		self.assertEqual(draft.status, "Draft")
		self.assertEqual(customers_of(self.user), [CUSTOMER_A])
		draft.signed_on = frappe.utils.now_datetime()
		with self.assertRaises(frappe.ValidationError):
			draft.save(ignore_permissions=True)


class TestOverridesKeepFrappesContract(FrappeTestCase):
	def test_each_override_keeps_signature_guest_access_and_http_methods(self):
		"""A replacement that drops ``allow_guest`` breaks the method for guests everywhere (the web
		comment box of every public page); one that changes the signature or HTTP methods breaks its
		callers."""
		overrides = frappe.get_hooks("override_whitelisted_methods", app_name="support_policy")
		self.assertIn("frappe.templates.includes.comments.comments.add_comment", overrides)
		for original, targets in overrides.items():
			frappes = frappe.get_attr(original if "." in original else f"frappe.handler.{original}")
			for target in targets:
				ours = frappe.get_attr(target)
				self.assertEqual(
					inspect.signature(ours).parameters, inspect.signature(frappes).parameters, original
				)
				self.assertEqual(ours in frappe.guest_methods, frappes in frappe.guest_methods, original)
				self.assertEqual(
					frappe.allowed_http_methods_for_whitelisted_func.get(ours),
					frappe.allowed_http_methods_for_whitelisted_func.get(frappes),
					original,
				)
