"""Requests by e-mail (through Frappe's real inbound-mail path) and by chat."""

import frappe
from frappe.email.receive import InboundMail
from frappe.tests.utils import FrappeTestCase

from support_policy.api.chat import open_chat_request
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico

test_ignore = TEST_IGNORE

MAIL = """From: {sender}
To: soporte-entrada@proveedor.test
Subject: {subject}
Message-ID: <{message_id}@cliente.test>
Date: Tue, 24 Nov 2026 10:00:00 -0600
Content-Type: text/plain; charset="utf-8"

{body}
"""


class TestIntakeChannels(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Correo y Chat SA")
		cls.user = make_user("ventas@correoychat.mx", cls.customer)
		cls.agent = make_user("chatbot@proveedor.mx", roles=("Support Agent",))
		make_contract(cls.customer, [cls.user])
		if not frappe.db.exists("Email Account", "Soporte Entrada"):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": "Soporte Entrada",
					"email_id": "soporte-entrada@proveedor.test",
					"enable_incoming": 1,
					"append_to": "Support Request",
					"email_server": "127.0.0.1",
					"incoming_port": 1143,
					"password": "x",
				}
			).insert(ignore_permissions=True)
		cls.account = frappe.get_doc("Email Account", "Soporte Entrada")

	def receive(self, sender, subject, body, message_id):
		mail = MAIL.format(sender=sender, subject=subject, body=body, message_id=message_id)
		communication = InboundMail(mail.encode(), self.account).process()
		return frappe.get_doc("Support Request", communication.reference_name)

	def test_mail_from_an_authorized_user_opens_a_request_on_their_contract(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			request = self.receive(
				self.user, "No carga el sitio", "Desde hoy el sitio marca error 502.", "m1"
			)
		self.assertEqual(
			(request.channel, request.raised_by, request.customer), ("Email", self.user, self.customer)
		)
		self.assertIn("502", request.description)
		self.assertEqual(request.sla_status, "On Track")

	def test_mail_asking_for_excluded_work_gets_the_success_pack_answer(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			request = self.receive(
				self.user,
				"Clientes",
				"Necesitamos importar todos los clientes desde CONTPAQi por favor.",
				"m2",
			)
		self.assertEqual((request.scope_verdict, request.status), ("Out of scope", "Out of Scope"))
		self.assertTrue(request.success_pack_quotation)

	def test_mail_from_an_unknown_sender_is_held_and_answered_in_spanish(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			request = self.receive("alguien@desconocido.mx", "Ayuda", "Hola, no puedo entrar.", "m3")
		self.assertFalse(request.contract)
		self.assertEqual(request.sla_status, "Not Applicable")
		self.assertIn("alguien@desconocido.mx", request.sla_note)
		answers = frappe.get_all(
			"Communication",
			filters={
				"reference_doctype": "Support Request",
				"reference_name": request.name,
				"communication_type": "Automated Message",
			},
			fields=["recipients", "content"],
		)
		self.assertEqual(len(answers), 1)
		self.assertIn("alguien@desconocido.mx", answers[0].recipients)

	def test_customer_opens_a_request_from_chat(self):
		frappe.set_user(self.user)
		try:
			with self.freeze_time(mexico("2026-11-24 10:00:00")):
				result = open_chat_request("Contraseña", "Necesito reiniciar la contraseña de un usuario")
		finally:
			frappe.set_user("Administrator")
		request = frappe.get_doc("Support Request", result["name"])
		self.assertEqual(
			(request.channel, request.raised_by, request.contract is not None), ("Chat", self.user, True)
		)

	def test_chat_integration_opens_on_behalf_of_a_customer_but_customers_cannot(self):
		frappe.set_user(self.agent)
		try:
			with self.freeze_time(mexico("2026-11-24 10:00:00")):
				result = open_chat_request("Respaldo", "¿Cuándo fue el último respaldo?", user=self.user)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Support Request", result["name"], "raised_by"), self.user)
		other = make_user("otro@correoychat.mx", self.customer)
		frappe.set_user(other)
		try:
			with self.assertRaises(frappe.PermissionError):
				open_chat_request("x", "y", user=self.user)
		finally:
			frappe.set_user("Administrator")
