"""Mail intake through Frappe's real InboundMail (frappe.email.receive) for an Email Account with
Append To = Support Request: who a sender is, when a mail joins a request, what happens to long
mail, and when we answer automatically (issue 11)."""

import email
from email.utils import make_msgid

import frappe
from frappe.email.receive import InboundMail
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, strip_html

from support_policy.glue import mail as mail_glue
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.support_request import MAX_DESCRIPTION_LENGTH

test_ignore = TEST_IGNORE

ACCOUNT = "Soporte Entrada"
NOW = "2026-11-24 10:00:00"


def raw_mail(sender, subject, body, message_id=None, headers=None):
	"""An RFC 822 message as a mail server hands it over (headers, blank line, body)."""
	lines = [
		f"From: {sender}",
		"To: soporte-entrada@proveedor.test",
		f"Subject: {subject}",
		f"Message-ID: {message_id or make_msgid(domain='cliente.test')}",
		"Date: Tue, 24 Nov 2026 10:00:00 -0600",
		"MIME-Version: 1.0",
		'Content-Type: text/plain; charset="utf-8"',
		"Content-Transfer-Encoding: 8bit",
	]
	lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
	return ("\n".join(lines) + "\n\n" + body + "\n").encode()


class TestMailIntake(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer_a = make_customer("Correo Cliente A SA")
		cls.customer_b = make_customer("Correo Cliente B SA")
		cls.user_a = make_user("ana@clientea-correo.mx", cls.customer_a)
		cls.user_b = make_user("beto@clienteb-correo.mx", cls.customer_b)
		cls.disabled_a = make_user("baja@clientea-correo.mx", cls.customer_a)
		cls.contract_a = make_contract(cls.customer_a, [cls.user_a, cls.disabled_a])
		make_contract(cls.customer_b, [cls.user_b])
		frappe.db.set_value("User", cls.disabled_a, "enabled", 0)
		if not frappe.db.exists("Email Account", ACCOUNT):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": ACCOUNT,
					"email_id": "soporte-entrada@proveedor.test",
					"enable_incoming": 1,
					"append_to": "Support Request",
					"email_server": "127.0.0.1",
					"incoming_port": 1143,
					"password": "x",
				}
			).insert(ignore_permissions=True)
		cls.account = frappe.get_doc("Email Account", ACCOUNT)

	def receive(self, sender, subject, body="Hola, necesito ayuda con el sistema.", **kw):
		"""Frappe's inbound path, as Email Account.receive runs it for every pulled message."""
		with self.freeze_time(kw.pop("at", mexico(NOW))):
			communication = InboundMail(raw_mail(sender, subject, body, **kw), self.account).process()
		return communication

	def request_of(self, communication):
		return frappe.get_doc("Support Request", communication.reference_name)

	def received_on(self, request_name):
		return frappe.get_all(
			"Communication",
			filters={
				"reference_doctype": "Support Request",
				"reference_name": request_name,
				"sent_or_received": "Received",
			},
			pluck="sender",
		)

	def acknowledgements_to(self, address, request_name=None):
		"""Our automatic acknowledgements to ``address`` (on ``request_name``)."""
		filters = {
			"communication_type": "Automated Message",
			"sent_or_received": "Sent",
			"recipients": ("like", f"%{address}%"),
		}
		if request_name:
			filters["reference_name"] = request_name
		return frappe.get_all("Communication", filters=filters, pluck="name")

	def queued_to(self, address, request_name=None):
		queue = frappe.qb.DocType("Email Queue")
		recipient = frappe.qb.DocType("Email Queue Recipient")
		query = (
			frappe.qb.from_(queue)
			.join(recipient)
			.on(recipient.parent == queue.name)
			.select(queue.name, queue.message, queue.communication)
			.where(recipient.recipient == address)
		)
		if request_name:
			query = query.where(queue.reference_name == request_name)
		return query.run(as_dict=True)

	# Threading -------------------------------------------------------------------------------

	def test_same_subject_from_another_customer_opens_a_request_of_its_own(self):
		subject = "No puedo timbrar las facturas de noviembre"
		theirs = self.request_of(self.receive(self.user_b, subject, "Error del PAC al timbrar."))
		ours = self.request_of(self.receive(self.user_a, subject, "Texto confidencial de A."))
		self.assertNotEqual(ours.name, theirs.name)
		self.assertEqual((ours.customer, theirs.customer), (self.customer_a, self.customer_b))
		self.assertEqual(self.received_on(theirs.name), [self.user_b])

	def test_subject_alone_never_joins_even_for_the_same_customer(self):
		subject = "Respaldo de la base de datos de ayer"
		first = self.request_of(self.receive(self.user_a, subject))
		again = self.request_of(self.receive(self.user_a, subject, "Otra pregunta, otro día."))
		self.assertNotEqual(first.name, again.name)

	def test_reply_threaded_by_in_reply_to_joins_only_from_the_same_customer(self):
		first_id = make_msgid(domain="clientea-correo.mx")
		request = self.request_of(
			self.receive(self.user_a, "El sitio tarda mucho en cargar", message_id=first_id)
		)
		reply = self.receive(
			self.user_a,
			"Re: El sitio tarda mucho en cargar",
			"Ya volvió a pasar.",
			headers={"In-Reply-To": first_id},
		)
		self.assertEqual(reply.reference_name, request.name)
		# Frappe proposes the request by subject; the References header is what lets it join.
		by_references = self.receive(
			self.user_a,
			"Re: El sitio tarda mucho en cargar",
			"Sigue igual.",
			headers={"References": f"<older@clientea-correo.mx> {first_id}"},
		)
		self.assertEqual(by_references.reference_name, request.name)

		# A mail program that sends only References, with a new subject: Frappe alone opens a request.
		references_only = self.receive(
			self.user_a,
			"Otra cosa que noté",
			"También falla el login.",
			headers={"References": f"<older@clientea-correo.mx> {first_id}"},
		)
		self.assertEqual(references_only.reference_name, request.name)
		# Frappe proposes another request of A with the same subject; the headers say which one.
		other = self.request_of(self.receive(self.user_a, "Problema con el respaldo semanal"))
		moved = self.receive(
			self.user_a,
			"Re: Problema con el respaldo semanal",
			"Perdón, era sobre el sitio.",
			headers={"References": first_id},
		)
		self.assertEqual(moved.reference_name, request.name)
		self.assertNotIn(
			"Perdón",
			"".join(frappe.get_all("Communication", {"reference_name": other.name}, pluck="text_content")),
		)

		intruder = self.receive(
			self.user_b, "Re: El sitio tarda mucho en cargar", "Soy B.", headers={"In-Reply-To": first_id}
		)
		self.assertNotEqual(intruder.reference_name, request.name)
		intruder = self.receive(self.user_b, "Otra cosa", "Soy B otra vez.", headers={"References": first_id})
		self.assertNotEqual(intruder.reference_name, request.name)
		self.assertEqual(self.request_of(intruder).customer, self.customer_b)
		self.assertNotIn(self.user_b, self.received_on(request.name))

	def test_reference_in_the_subject_joins_from_the_right_customer_only(self):
		request = self.request_of(self.receive(self.user_a, "Cambiar contraseña de un usuario"))
		reply = self.receive(self.user_a, f"Re: Cambiar contraseña (#{request.name})", "Gracias.")
		self.assertEqual(reply.reference_name, request.name)
		hashed = self.receive(self.user_a, f"Seguimiento #{request.name}", "¿Alguna novedad?")
		self.assertEqual(hashed.reference_name, request.name)
		bare = self.receive(self.user_a, f"{request.name} sigue pendiente", "¿Y ahora?")
		self.assertEqual(bare.reference_name, request.name)
		intruder = self.receive(self.user_b, f"{request.name} sigue pendiente", "Soy B.")
		self.assertNotEqual(intruder.reference_name, request.name)

		intruder = self.receive(self.user_b, f"Re: Cambiar contraseña (#{request.name})", "Soy B.")
		self.assertNotEqual(intruder.reference_name, request.name)
		self.assertEqual(self.request_of(intruder).customer, self.customer_b)
		self.assertEqual(self.received_on(request.name), [self.user_a] * 4)

	def test_a_held_request_is_continued_only_by_its_own_sender(self):
		stranger = "alguien@desconocido-correo.mx"
		held = self.request_of(self.receive(stranger, "Ayuda con mi cuenta"))
		self.assertFalse(held.customer)
		same = self.receive(stranger, f"Re: Ayuda con mi cuenta (#{held.name})", "Más datos.")
		self.assertEqual(same.reference_name, held.name)
		other = self.receive(self.user_b, f"Re: Ayuda con mi cuenta (#{held.name})", "Yo también.")
		self.assertNotEqual(other.reference_name, held.name)

	# Identity --------------------------------------------------------------------------------

	def test_a_contact_made_by_a_customer_does_not_make_a_sender_another_customers_user(self):
		# A customer can create Contacts: one that names B's user with A's own address.
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Suplantador",
				"email_ids": [{"email_id": "suplantador@clientea-correo.mx", "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": self.customer_a}],
				"user": self.user_b,
			}
		).insert(ignore_permissions=True)
		self.assertIsNone(mail_glue.user_for_email("suplantador@clientea-correo.mx"))
		request = self.request_of(self.receive("suplantador@clientea-correo.mx", "Datos de B por favor"))
		self.assertEqual((request.raised_by, request.customer, request.contract), (None, None, None))
		self.assertIn("suplantador@clientea-correo.mx", request.sla_note)

	def test_an_address_recorded_by_staff_on_the_contract_identifies_the_user(self):
		contract = frappe.get_doc("Support Contract", self.contract_a.name)
		row = next(r for r in contract.authorized_users if r.user == self.user_a)
		row.mail_addresses = "Ana.Personal@Gmail.test\nana@casa.test"
		contract.save(ignore_permissions=True)
		self.assertEqual(mail_glue.user_for_email("ana.personal@gmail.test"), self.user_a)
		request = self.request_of(self.receive("ana@casa.test", "Desde mi correo personal"))
		self.assertEqual((request.raised_by, request.customer), (self.user_a, self.customer_a))
		# A user's own address cannot be recorded for somebody else.
		row.mail_addresses = self.user_b
		self.assertRaises(frappe.ValidationError, contract.save, ignore_permissions=True)

	def test_a_reply_to_header_is_where_to_answer_not_who_wrote(self):
		theirs = self.request_of(self.receive(self.user_b, "Cambio de plan de hosting"))
		# A writes as themselves but names B's user as Reply-To (Frappe takes Reply-To as the sender).
		mail = self.receive(
			self.user_a,
			f"Re: Cambio de plan de hosting (#{theirs.name})",
			"Texto de A.",
			headers={"Reply-To": self.user_b},
		)
		self.assertNotEqual(mail.reference_name, theirs.name)
		request = self.request_of(mail)
		self.assertEqual((request.raised_by, request.customer), (self.user_a, self.customer_a))
		stranger = self.request_of(
			self.receive("extrano@desconocido-correo.mx", "Hola", headers={"Reply-To": self.user_b})
		)
		self.assertEqual((stranger.raised_by, stranger.customer), (None, None))

	def test_mail_from_a_disabled_user_is_held_like_an_unknown_senders(self):
		request = self.request_of(self.receive(self.disabled_a, "Todavía trabajo aquí"))
		self.assertEqual((request.raised_by, request.customer, request.contract), (None, None, None))
		self.assertEqual(request.sla_status, "Not Applicable")
		self.assertEqual(len(self.acknowledgements_to(self.disabled_a)), 1)

	# Nothing lost ----------------------------------------------------------------------------

	def test_a_30000_character_mail_becomes_a_request_with_the_whole_text_attached(self):
		line = "Traceback (most recent call last): File /apps/erpnext/stock/utils.py, line 42\n"
		body = "INICIO del error al validar la entrega.\n" + line * (30000 // len(line) + 1)
		self.assertGreater(len(body), 30000)
		communication = self.receive(self.user_a, "Error largo al validar entrega", body)
		request = self.request_of(communication)
		self.assertEqual((request.raised_by, request.customer), (self.user_a, self.customer_a))
		description = strip_html(request.description)
		self.assertLessEqual(len(description), MAX_DESCRIPTION_LENGTH)
		self.assertIn("INICIO del error", description)
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Support Request", "attached_to_name": request.name},
			pluck="name",
		)
		self.assertEqual(len(files), 1)
		whole = frappe.safe_decode(frappe.get_doc("File", files[0]).get_content())
		self.assertEqual(whole.strip(), body.strip())
		self.assertIn(str(len(whole)), description)  # the note says what was cut
		acknowledgements = self.acknowledgements_to(self.user_a, request.name)
		self.assertEqual(len(acknowledgements), 1)
		queued = [q.communication for q in self.queued_to(self.user_a, request.name)]
		self.assertIn(acknowledgements[0], queued)

	def test_the_desk_still_refuses_an_over_long_description_on_screen(self):
		frappe.set_user(self.user_a)
		try:
			with self.freeze_time(mexico(NOW)), self.assertRaises(frappe.ValidationError) as refused:
				frappe.get_doc(
					{
						"doctype": "Support Request",
						"subject": "Muy largo",
						"description": "x" * (MAX_DESCRIPTION_LENGTH + 1),
					}
				).insert()
		finally:
			frappe.set_user("Administrator")
		self.assertIn(str(MAX_DESCRIPTION_LENGTH), str(refused.exception))

	# Acknowledgements ------------------------------------------------------------------------

	def test_no_acknowledgement_to_automatic_mail(self):
		cases = {
			"vacaciones@desconocido-correo.mx": {"Auto-Submitted": "auto-replied"},
			"boletin@desconocido-correo.mx": {"Precedence": "bulk"},
			"lista@desconocido-correo.mx": {"List-Id": "<ventas.lista.desconocido-correo.mx>"},
			"MAILER-DAEMON@desconocido-correo.mx": {},
			"postmaster@desconocido-correo.mx": {},
			"no-reply@desconocido-correo.mx": {},
			"noreply@desconocido-correo.mx": {},
		}
		for sender, headers in cases.items():
			request = self.request_of(self.receive(sender, "Respuesta automática", headers=headers))
			self.assertFalse(request.customer)  # still kept, held for identification
			self.assertEqual(self.acknowledgements_to(sender.lower()), [], sender)
			self.assertEqual(self.queued_to(sender.lower()), [], sender)
		person = "persona@desconocido-correo.mx"
		self.receive(person, "Hola", headers={"Auto-Submitted": "no"})
		self.assertEqual(len(self.acknowledgements_to(person)), 1)

	def test_at_most_a_few_acknowledgements_per_address_per_hour(self):
		sender = "insistente@desconocido-correo.mx"
		for minute in range(mail_glue.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR + 2):
			at = add_to_date(mexico(NOW), minutes=minute)
			request = self.request_of(self.receive(sender, f"Mensaje número {minute}", at=at))
			self.assertTrue(request.name)  # every mail is kept
		self.assertEqual(
			len(self.acknowledgements_to(sender)), mail_glue.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR
		)
		why = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Support Request", "reference_name": request.name},
			pluck="content",
		)
		self.assertTrue(any(sender in note for note in why), why)  # the request says why not
		self.receive(sender, "Una hora después", at=add_to_date(mexico(NOW), minutes=61))
		self.assertEqual(
			len(self.acknowledgements_to(sender)), mail_glue.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR + 1
		)

	def test_our_automatic_mail_says_it_is_automatic(self):
		sender = "nuevo@desconocido-correo.mx"
		request = self.request_of(self.receive(sender, "Quiero contratar"))
		queued = self.queued_to(sender, request.name)
		self.assertEqual(len(queued), 1)
		message = email.message_from_string(queued[0].message)
		self.assertEqual(message["Auto-Submitted"], "auto-replied")
		self.assertIn(f"#{request.name}", message["Subject"])
		# Answering the acknowledgement (In-Reply-To: its Message-ID) continues the request.
		reply = self.receive(sender, "Re: gracias", headers={"In-Reply-To": message["Message-Id"]})
		self.assertEqual(reply.reference_name, request.name)

	# Other oversize parts ----------------------------------------------------------------------

	def test_a_long_subject_is_kept_whole_in_the_description(self):
		subject = "Factura " + "con un asunto extremadamente largo " * 8 + "FIN"
		self.assertGreater(len(subject), 140)
		request = self.request_of(self.receive(self.user_a, subject, "Cuerpo breve."))
		self.assertEqual(request.subject, subject[:140])
		self.assertIn(subject, strip_html(request.description))
		self.assertIn("Cuerpo breve.", request.description)

	def test_an_attachment_over_the_size_limit_is_reported_on_the_request(self):
		from email.mime.application import MIMEApplication
		from email.mime.multipart import MIMEMultipart
		from email.mime.text import MIMEText

		message = MIMEMultipart()
		message["From"] = self.user_a
		message["To"] = "soporte-entrada@proveedor.test"
		message["Subject"] = "Respaldo adjunto"
		message["Message-ID"] = make_msgid(domain="clientea-correo.mx")
		message.attach(MIMEText("Les mando el respaldo y una captura.", "plain", "utf-8"))
		big = MIMEApplication(b"\0" * (1024 * 1024 + 10), Name="respaldo.sql.gz")
		big["Content-Disposition"] = 'attachment; filename="respaldo.sql.gz"'
		message.attach(big)
		small = MIMEApplication(b"captura", Name="captura.txt")
		small["Content-Disposition"] = 'attachment; filename="captura.txt"'
		message.attach(small)

		limit = frappe.db.get_single_value("System Settings", "max_file_size")
		frappe.db.set_single_value("System Settings", "max_file_size", 1)  # MB
		try:
			with self.freeze_time(mexico(NOW)):
				communication = InboundMail(message.as_bytes(), self.account).process()
		finally:
			frappe.db.set_single_value("System Settings", "max_file_size", limit)
		request = self.request_of(communication)
		self.assertIn("Les mando el respaldo", request.description)
		notes = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Support Request", "reference_name": request.name},
			pluck="content",
		)
		self.assertTrue(any("respaldo.sql.gz" in note for note in notes), notes)
		self.assertFalse(any("captura.txt" in note for note in notes), notes)

	def test_the_service_level_digest_says_it_is_automatic(self):
		from support_policy.glue.sla_jobs import check_due_requests

		agent = make_user("agente-correo@proveedor.mx", roles=("Support Agent",))
		request = self.request_of(self.receive(self.user_a, "El servidor no responde"))
		self.assertEqual(request.sla_status, "On Track")
		frappe.db.set_value("Support Request", request.name, "assigned_agent", agent)
		with self.freeze_time(mexico("2026-11-25 17:55:00")):  # well past every first-response target
			check_due_requests()
		digests = [
			email.message_from_string(q.message) for q in self.queued_to(agent) if request.name in q.message
		]
		self.assertTrue(digests)
		self.assertEqual({d["Auto-Submitted"] for d in digests}, {"auto-generated"})

	def test_the_success_pack_answer_says_it_is_automatic_and_skips_robots(self):
		body = "Necesitamos importar todos los clientes desde CONTPAQi por favor."
		request = self.request_of(self.receive(self.user_a, "Importar clientes", body))
		self.assertEqual(request.scope_verdict, "Out of scope")
		queued = [email.message_from_string(q.message) for q in self.queued_to(self.user_a, request.name)]
		self.assertEqual(len(queued), 2)  # the acknowledgement and the Success Pack answer
		self.assertEqual({m["Auto-Submitted"] for m in queued}, {"auto-replied"})

		# The same request sent through a mailing list: recorded on the request, mailed to nobody.
		listed = self.request_of(
			self.receive(self.user_a, "Importar clientes", body, headers={"Precedence": "list"})
		)
		self.assertEqual((listed.scope_verdict, listed.customer), ("Out of scope", self.customer_a))
		self.assertTrue(listed.success_pack_quotation)
		self.assertEqual(self.queued_to(self.user_a, listed.name), [])
