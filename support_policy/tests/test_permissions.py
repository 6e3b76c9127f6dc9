"""Customer isolation beyond our own doctypes: one test per hole found by tests/http/test_isolation.py.

Customer "Isla Norte" (user A) must not reach anything of customer "Isla Sur" (user B) through
Frappe's generic doctypes (File, Tag Link, Document Follow, ToDo, Contact, Communication, User), the
child tables of our doctypes, or the whitelisted Frappe methods that check no document permission
(replaced for customers by support_policy.permissions, wired with override_whitelisted_methods).
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.permissions import overrides, rules
from support_policy.setup.testing import TEST_IGNORE, active_contract, current_plan, make_customer, make_user

test_ignore = TEST_IGNORE

CUSTOMER_A = "Isla Norte SA"
CUSTOMER_B = "Isla Sur SA"
USER_A = "compras@islanorte.mx"
USER_B = "compras@islasur.mx"
AGENT = "agente@islas-soporte.mx"
B_FILE = "islasur-privado.txt"
B_FILE_CONTENT = b"Contenido privado de Isla Sur"


def raise_request(user: str, subject: str) -> str:
	frappe.set_user(user)
	try:
		doc = frappe.get_doc(
			{"doctype": "Support Request", "subject": subject, "description": f"<p>{subject}</p>"}
		)
		doc.insert()
		return doc.name
	finally:
		frappe.set_user("Administrator")


class TestCustomerIsolation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER_A)
		make_customer(CUSTOMER_B)
		make_user(USER_A, CUSTOMER_A)
		make_user(USER_B, CUSTOMER_B)
		make_user(AGENT, roles=("Support Agent",))
		cls.contract_a = active_contract(CUSTOMER_A, USER_A, reuse=True)
		cls.contract_b = active_contract(CUSTOMER_B, USER_B, reuse=True)
		cls.request_a = raise_request(USER_A, "Isla Norte: impresora")
		cls.request_b = raise_request(USER_B, "Isla Sur: nómina confidencial")
		cls.file_b = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": B_FILE,
				"attached_to_doctype": "Support Request",
				"attached_to_name": cls.request_b,
				"is_private": 1,
				"content": B_FILE_CONTENT,
			}
		)
		cls.file_b.flags.ignore_permissions = True
		cls.file_b.insert()
		frappe.set_user(AGENT)
		from frappe.desk.doctype.tag.tag import add_tag
		from frappe.desk.form.assign_to import add as assign

		add_tag("islas", "Support Request", cls.request_b)
		assign(
			{
				"assign_to": [AGENT],
				"doctype": "Support Request",
				"name": cls.request_b,
				"description": "Isla Sur: revisar",
			}
		)
		frappe.set_user("Administrator")
		for user in (USER_A, USER_B):
			frappe.db.set_value("User", user, "document_follow_notify", 1)
		frappe.get_doc(
			{
				"doctype": "Document Follow",
				"ref_doctype": "Support Request",
				"ref_docname": cls.request_b,
				"user": USER_B,
			}
		).insert(ignore_permissions=True)
		cls.communication_b = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": "Re: Isla Sur",
				"content": "Respuesta de Isla Sur",
				"sender": USER_B,
				"reference_doctype": "Support Request",
				"reference_name": cls.request_b,
			}
		).insert(ignore_permissions=True)
		from frappe.utils.global_search import sync_global_search

		sync_global_search()
		frappe.db.commit()  # InnoDB full-text search sees committed rows only

	def as_a(self):
		return self.set_user(USER_A)

	# ------------------------------------------------------------------ permission_query_conditions
	def test_child_rows_of_other_customers_are_not_listed(self):
		with self.as_a():
			users = frappe.get_list(
				"Support Contract User", parent_doctype="Support Contract", fields=["parent", "user"]
			)
			events = frappe.get_list(
				"Support Request SLA Event", parent_doctype="Support Request", fields=["parent"], limit=0
			)
		self.assertEqual({r.parent for r in users}, {self.contract_a})
		self.assertNotIn(USER_B, {r.user for r in users})
		self.assertNotIn(self.request_b, {r.parent for r in events})
		self.assertIn(self.request_a, {r.parent for r in events})

	def test_files_of_other_customers_are_not_listed(self):
		with self.as_a():
			files = frappe.get_list("File", fields=["name", "attached_to_name"], limit=0)
		self.assertNotIn(self.file_b.name, [f.name for f in files])
		self.assertNotIn(self.request_b, [f.attached_to_name for f in files])

	def test_tags_of_other_customers_requests_are_not_listed(self):
		with self.as_a():
			links = frappe.get_list("Tag Link", fields=["document_name", "title"], limit=0)
		self.assertNotIn(self.request_b, [link.document_name for link in links])

	def test_follows_of_other_users_are_not_listed(self):
		with self.as_a():
			follows = frappe.get_list("Document Follow", fields=["user", "ref_docname"], limit=0)
		self.assertEqual({f.user for f in follows} - {USER_A}, set())

	def test_users_of_other_customers_are_not_listed(self):
		"""A customer lists themselves, their contract's users and the agent working their requests;
		not the provider's other users."""
		frappe.db.set_value("Support Request", self.request_a, "assigned_agent", None)
		with self.as_a():
			users = frappe.get_list("User", pluck="name", limit=0)
		self.assertIn(USER_A, users)
		self.assertNotIn(AGENT, users)
		self.assertNotIn(USER_B, users)
		self.assertNotIn("Administrator", users)
		frappe.db.set_value("Support Request", self.request_a, "assigned_agent", AGENT)
		with self.as_a():
			users = frappe.get_list("User", pluck="name", limit=0)
			self.assertFalse(frappe.has_permission("User", "read", doc=USER_B))
		self.assertIn(AGENT, users)

	def test_staff_keep_frappes_lists(self):
		with self.set_user(AGENT):
			self.assertIn(USER_B, frappe.get_list("User", pluck="name", limit=0))
			self.assertIn(
				self.request_b,
				[t.document_name for t in frappe.get_list("Tag Link", fields=["document_name"], limit=0)],
			)

	# ------------------------------------------------------------------ has_permission
	def test_cannot_attach_a_file_to_another_customers_request(self):
		with self.as_a(), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "de-a.txt",
					"content": b"de A",
					"attached_to_doctype": "Support Request",
					"attached_to_name": self.request_b,
					"is_private": 1,
				}
			).insert()

	def test_cannot_borrow_another_customers_private_file(self):
		"""Frappe serves a private file to the owner of any File record with its URL."""
		for attached in ({}, {"attached_to_doctype": "Support Request", "attached_to_name": self.request_a}):
			with self.as_a(), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "File",
						"file_url": self.file_b.file_url,
						"is_private": 1,
						"file_name": "x.txt",
						**attached,
					}
				).insert()
		with self.as_a():  # uploading bytes of one's own still works
			own = frappe.get_doc(
				{"doctype": "File", "file_name": "propio.txt", "content": b"mio", "is_private": 1}
			).insert()
		self.assertTrue(own.name)

	def test_cannot_tag_follow_or_assign_another_customers_request(self):
		for doc in (
			{
				"doctype": "Tag Link",
				"document_type": "Support Request",
				"document_name": self.request_b,
				"tag": "islas",
			},
			{
				"doctype": "Document Follow",
				"ref_doctype": "Support Request",
				"ref_docname": self.request_b,
				"user": USER_A,
			},
			{
				"doctype": "ToDo",
				"description": "tarea",
				"allocated_to": USER_A,
				"reference_type": "Support Request",
				"reference_name": self.request_b,
			},
		):
			with self.subTest(doctype=doc["doctype"]), self.as_a(), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(doc).insert()
		self.assertNotIn(USER_A, frappe.db.get_value("Support Request", self.request_b, "_assign") or "")

	def test_follow_document_on_another_customers_request_is_refused(self):
		from frappe.desk.form.document_follow import follow_document

		with self.as_a(), self.assertRaises(frappe.PermissionError):
			follow_document("Support Request", self.request_b, USER_A)
		with self.as_a():
			self.assertTrue(follow_document("Support Request", self.request_a, USER_A))

	def test_contact_cannot_claim_another_customer(self):
		"""ERPNext's portal shows a customer's quotations and orders to the contacts linked to it."""
		for doctype, fields in (
			("Contact", {"first_name": "Suplantador", "email_ids": [{"email_id": USER_A, "is_primary": 1}]}),
			(
				"Address",
				{"address_title": "X", "address_line1": "Calle 1", "city": "Monterrey", "country": "Mexico"},
			),
		):
			with self.subTest(doctype=doctype), self.as_a(), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": doctype,
						**fields,
						"links": [{"link_doctype": "Customer", "link_name": CUSTOMER_B}],
					}
				).insert()

	def test_request_in_another_users_name_is_refused(self):
		"""The requester decides the contract: a request "raised by" B would land on B's contract, and
		the insert's answer would show B's customer and contract to A."""
		for fields in ({"raised_by": USER_B}, {"raised_by_email": USER_B}):
			with self.subTest(**fields), self.as_a(), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{"doctype": "Support Request", "subject": "x", "description": "y", **fields}
				).insert()
		with self.as_a():
			doc = frappe.get_doc(
				{"doctype": "Support Request", "subject": "Propia", "description": "z", "raised_by": USER_A}
			).insert()
		self.assertEqual(doc.customer, CUSTOMER_A)

	def test_requester_cannot_be_changed_by_a_customer(self):
		"""Should customers get write access to their requests, moving one onto another customer's
		user (and so onto that customer's contract) stays refused."""
		doc = frappe.get_doc("Support Request", self.request_a)
		self.assertIsNone(rules.support_request_has_permission(doc, "write", USER_A))
		doc.raised_by = USER_B
		self.assertFalse(rules.support_request_has_permission(doc, "write", USER_A))

	def test_refusals_do_not_name_other_customers_requests(self):
		for doctype, name in (("File", self.file_b.name), ("Communication", self.communication_b.name)):
			frappe.clear_messages()
			with self.subTest(doctype=doctype), self.as_a():
				self.assertFalse(frappe.get_doc(doctype, name).has_permission("read"))
				self.assertRaises(
					frappe.PermissionError, frappe.get_doc(doctype, name).check_permission, "read"
				)
			self.assertNotIn(self.request_b, str(frappe.local.message_log))

	# ------------------------------------------------------------------ checked Frappe methods
	def test_counts_cover_only_what_the_customer_may_list(self):
		with self.as_a():
			self.assertEqual(overrides.client_get_count("Support Request", {"customer": CUSTOMER_B}), 0)
			self.assertEqual(overrides.client_get_count("Support Request", {"name": self.request_b}), 0)
			self.assertEqual(
				overrides.client_get_count("Support Request"),
				len(frappe.get_list("Support Request", limit=0)),
			)
			self.assertRaises(frappe.PermissionError, overrides.client_get_count, "Comment")
			self.assertEqual(
				overrides.get_group_by_count(
					"Support Request", frappe.as_json({"customer": CUSTOMER_B}), "assigned_to"
				),
				[],
			)
		with self.set_user(AGENT):
			self.assertGreaterEqual(
				overrides.client_get_count("Support Request", {"customer": CUSTOMER_B}), 1
			)

	def test_tags_followers_titles_and_people_of_other_customers_stay_hidden(self):
		with self.as_a():
			self.assertNotIn([self.request_b], overrides.get_tagged_docs("Support Request", "%"))
			self.assertRaises(
				frappe.PermissionError, overrides.get_follow_users, "Support Request", self.request_b
			)
			self.assertEqual(overrides.get_link_title("Support Request", self.request_b), self.request_b)
			self.assertEqual(
				overrides.get_link_title("Support Request", self.request_a), "Isla Norte: impresora"
			)
			self.assertNotIn(USER_B, [m["id"] for m in overrides.get_names_for_mentions("")])

	def test_global_search_returns_only_readable_records(self):
		from frappe.utils.global_search import search

		with self.as_a():
			unfiltered = search("Isla Sur", limit=100)
			hits = overrides.global_search("Isla Sur", limit=100)
		if not [h for h in unfiltered if "Sur" in (h.content or "")]:
			self.skipTest("the global search index has nothing of Isla Sur on this site")
		self.assertEqual([h for h in hits if "Sur" in (h.content or "")], [])

	def test_no_like_comment_relink_or_file_copy_on_other_customers_records(self):
		with self.as_a():
			self.assertRaises(
				frappe.PermissionError, overrides.toggle_like, "Support Request", self.request_b, "Yes"
			)
			self.assertRaises(
				frappe.PermissionError,
				overrides.add_web_comment,
				"hola",
				USER_A,
				"A",
				"Support Request",
				self.request_b,
				"",
			)
			self.assertRaises(
				frappe.PermissionError,
				overrides.relink,
				self.communication_b.name,
				"Support Request",
				self.request_a,
			)
			self.assertRaises(
				frappe.PermissionError,
				overrides.add_attachments,
				"Support Request",
				self.request_a,
				frappe.as_json([self.file_b.name]),
			)
		self.assertFalse(frappe.db.get_value("Support Request", self.request_b, "_liked_by"))
		self.assertEqual(
			frappe.db.get_value("Communication", self.communication_b.name, "reference_name"), self.request_b
		)

	def test_link_search_cannot_drop_row_level_rules(self):
		"""search_link(ignore_user_permissions=1) makes Frappe skip every row-level rule."""
		with self.as_a():
			found = overrides.search_link(
				"Support Request", "", ignore_user_permissions=True, page_length=100
			)
			widget = overrides.search_widget(
				"Support Request", "", ignore_user_permissions=True, page_length=100
			)
		self.assertNotIn(self.request_b, [r["value"] for r in found])
		self.assertNotIn(self.request_b, [r[0] for r in widget])
		self.assertIn(self.request_a, [r["value"] for r in found])

	def test_child_row_by_name_is_checked_against_its_parent(self):
		row = frappe.db.get_value("Support Contract User", {"parent": self.contract_b}, "name")
		with self.as_a():
			self.assertRaises(
				frappe.PermissionError,
				overrides.client_get,
				"Support Contract User",
				row,
				None,
				"Support Contract",
			)

	def test_client_get_with_filters_goes_through_row_rules(self):
		"""frappe.client.get finds the first match of any record, then refuses it by name (a yes/no
		answer on any field, child rows included): for customers, filters only reach what they list."""
		frappe.clear_messages()
		with self.as_a():
			for doctype, filters in (
				("Support Contract User", {"user": USER_B}),
				("Support Contract User", {}),
				("Support Request SLA Event", {"parent": self.request_b}),
				("Support Request", {"customer": CUSTOMER_B}),
				("Support Request", {"name": self.request_b}),
				("Support Request", {"subject": ["like", "Isla Sur%"]}),
				("Support Request", {"subject": ["like", "No existe%"]}),
			):
				self.assertRaises(frappe.PermissionError, overrides.client_get, doctype, None, filters)
			own = overrides.client_get("Support Request", filters={"name": self.request_a})
			self.assertEqual(own["name"], self.request_a)
		self.assertNotIn(self.request_b, str(frappe.local.message_log))

	def test_link_titles_answer_alike_for_refused_and_missing_records(self):
		with self.as_a():
			self.assertEqual(overrides.get_link_title("Support Request", self.request_b), self.request_b)
			self.assertEqual(overrides.get_link_title("Support Request", "SR-2099-99999"), "SR-2099-99999")
			self.assertEqual(overrides.get_link_title("Customer", CUSTOMER_B), CUSTOMER_B)

	def test_getdoc_answers_alike_for_refused_and_missing_records(self):
		with self.as_a():
			self.assertRaises(frappe.PermissionError, overrides.getdoc, "Support Request", self.request_b)
			self.assertRaises(frappe.PermissionError, overrides.getdoc, "Support Request", "SR-2099-99999")

		frappe.clear_messages()
		with self.as_a(), self.assertRaises(frappe.PermissionError):
			overrides.download_file(self.file_b.file_url)
		self.assertNotIn(self.request_b, str(frappe.local.message_log))

	def test_checked_methods_are_wired_in_hooks(self):
		"""The replacements above only protect HTTP callers once hooks.py routes the methods to them."""
		wired = frappe.get_hooks("override_whitelisted_methods") or {}
		for method in UNCHECKED_FRAPPE_METHODS:
			targets = wired.get(method) or []
			self.assertTrue(
				any(target.startswith("support_policy.permissions.") for target in targets),
				f"{method} is not routed to a checked replacement in hooks.py",
			)
			for target in targets:
				self.assertIn(frappe.get_attr(target), frappe.whitelisted)


# Frappe methods found answering a customer about another customer's rows (see tests/http).
UNCHECKED_FRAPPE_METHODS = (
	"frappe.client.get",
	"frappe.client.get_count",
	"frappe.desk.listview.get_group_by_count",
	"frappe.desk.doctype.tag.tag.get_tagged_docs",
	"frappe.desk.form.document_follow.get_follow_users",
	"frappe.desk.like.toggle_like",
	"frappe.utils.global_search.search",
	"frappe.desk.search.get_link_title",
	"frappe.desk.search.get_names_for_mentions",
	"frappe.email.relink",
	"frappe.templates.includes.comments.comments.add_comment",
	"frappe.utils.file_manager.add_attachments",
	"frappe.desk.search.search_link",
	"frappe.desk.search.search_widget",
	"frappe.handler.download_file",
)
