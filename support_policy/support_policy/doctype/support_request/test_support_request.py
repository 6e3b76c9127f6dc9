# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.glue.sla_jobs import check_due_requests
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico

test_ignore = TEST_IGNORE

IN_SCOPE = {"subject": "No puedo entrar", "description": "Olvidé mi contraseña, ¿me ayudan a reiniciarla?"}
OUT_OF_SCOPE = {
	"subject": "Migración de clientes",
	"description": "Necesitamos importar todos nuestros clientes y productos desde CONTPAQi a ERPNext.",
}


def raise_request(user, priority="Medium", **fields):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc({"doctype": "Support Request", "priority": priority, **(fields or IN_SCOPE)})
		doc.insert()
		return doc
	finally:
		frappe.set_user("Administrator")


def alert_mails(request_name, user):
	"""Mails queued for ``user`` (an agent or manager) that mention ``request_name``: the SLA alert
	digests, whatever language they are written in."""
	queue = frappe.qb.DocType("Email Queue")
	recipient = frappe.qb.DocType("Email Queue Recipient")
	return len(
		(
			frappe.qb.from_(queue)
			.join(recipient)
			.on(recipient.parent == queue.name)
			.select(queue.name)
			.where((recipient.recipient == user) & queue.message.like(f"%{request_name}%"))
		).run()
	)


def reply(request, sender, sent_or_received="Sent", at=None):
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": sent_or_received,
			"subject": f"Re: {request.subject}",
			"content": "Respuesta",
			"sender": sender,
			"reference_doctype": "Support Request",
			"reference_name": request.name,
			"communication_date": at,
		}
	).insert(ignore_permissions=True)
	return frappe.get_doc("Support Request", request.name)


class TestSupportRequest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Ferretería La Tuerca")
		cls.user = make_user("compras@latuerca.mx", cls.customer)
		cls.other_customer = make_customer("Panadería El Bolillo")
		cls.other_user = make_user("dueno@elbolillo.mx", cls.other_customer)
		cls.stranger = make_user("sin-contrato@nadie.mx")
		cls.agent = make_user("agente@proveedor.mx", roles=("Support Agent",))
		cls.manager = make_user("gerente@proveedor.mx", roles=("Support Manager",))
		make_contract(cls.customer, [cls.user])
		make_contract(cls.other_customer, [cls.other_user])
		frappe.db.commit()

	# ------------------------------------------------------------------ contract and refusals
	def test_user_without_contract_is_refused_and_nothing_is_written(self):
		count = frappe.db.count("Support Request")
		with self.assertRaises(frappe.ValidationError) as cm:
			raise_request(self.stranger)
		self.assertIn("not authorized on any support contract", str(cm.exception))
		self.assertEqual(frappe.db.count("Support Request"), count)

	def test_expired_contract_says_when_it_expired(self):
		customer = make_customer("Cliente Vencido SA")
		user = make_user("admin@vencido.mx", customer)
		make_contract(customer, [user], start="2024-01-01", signed_on="2024-01-02 10:00:00")
		with self.assertRaises(frappe.ValidationError) as cm:
			raise_request(user)
		self.assertIn("expired", str(cm.exception))

	def test_contract_is_found_from_the_user(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		self.assertEqual(doc.customer, self.customer)
		self.assertEqual(doc.raised_by, self.user)
		self.assertEqual(doc.channel, "Desk")

	def test_customer_cannot_set_sla_or_scope_fields(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(
				self.user,
				**IN_SCOPE,
				sla_status="Met",
				scope_verdict="Out of scope",
				assigned_agent=self.agent,
			)
		self.assertEqual(doc.sla_status, "On Track")
		self.assertNotEqual(doc.scope_verdict, "Out of scope")
		self.assertFalse(doc.assigned_agent)

	# ------------------------------------------------------------------ SLA in business hours
	def test_deadlines_in_business_hours(self):
		# Tuesday 10:00; Medium: first response 4 h, resolution 27 business hours (3 working days).
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		self.assertEqual(doc.first_response_due, mexico("2026-11-24 14:00:00"))
		self.assertEqual(doc.resolution_due, mexico("2026-11-27 10:00:00"))
		self.assertEqual(doc.sla_status, "On Track")
		self.assertFalse(doc.sla_note)

	def test_friday_afternoon_request_is_due_on_monday(self):
		with self.freeze_time(mexico("2026-11-20 17:30:00")):
			doc = raise_request(self.user, priority="Urgent")
		self.assertEqual(doc.first_response_due, mexico("2026-11-23 09:30:00"))

	def test_request_on_a_holiday_weekend_explains_when_the_clock_starts(self):
		with self.freeze_time(mexico("2026-11-15 11:00:00")):
			doc = raise_request(self.user)
		self.assertEqual(doc.first_response_due, mexico("2026-11-17 13:00:00"))
		self.assertEqual(
			doc.sla_note,
			"Se atenderá a partir del martes 17 de noviembre a las 9:00; el lunes 16 es Día de la Revolución",
		)

	def test_restore_target_of_two_hours_wins_over_priority(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(
				self.user,
				priority="Low",
				subject="Se borraron facturas",
				description="Borramos facturas por error, ¿pueden restaurar el respaldo de ayer?",
				category="Restore",
			)
		self.assertEqual(doc.resolution_due, mexico("2026-11-24 12:00:00"))

	def test_waiting_on_customer_pauses_and_customer_reply_resumes(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		doc.reload()  # as the agent opening the form
		with self.freeze_time(mexico("2026-11-24 11:00:00")):
			doc.status = "Waiting on Customer"
			doc.save()
		self.assertEqual(doc.sla_status, "Paused")
		self.assertIsNone(doc.resolution_due)
		with self.freeze_time(mexico("2026-11-25 11:00:00")):
			doc = reply(doc, self.user, "Received", mexico("2026-11-25 11:00:00"))
		self.assertEqual(doc.status, "Open")
		# One working day (9 h) was spent waiting: the deadline moves by exactly that.
		self.assertEqual(doc.resolution_due, mexico("2026-11-30 10:00:00"))
		self.assertEqual(doc.business_seconds_paused, 9 * 3600)
		self.assertEqual(
			[(e.timer, e.event) for e in doc.sla_events if e.timer == "Resolution"],
			[("Resolution", "start"), ("Resolution", "pause"), ("Resolution", "resume")],
		)

	def test_first_agent_reply_is_the_first_response(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		with self.freeze_time(mexico("2026-11-24 11:15:00")):
			doc = reply(doc, self.agent, "Sent", mexico("2026-11-24 11:15:00"))
		self.assertEqual(doc.first_responded_on, mexico("2026-11-24 11:15:00"))
		self.assertEqual((doc.first_response_status, doc.first_response_seconds), ("Met", 75 * 60))
		self.assertEqual(doc.sla_status, "On Track")
		with self.freeze_time(mexico("2026-11-25 10:00:00")):
			doc.status = "Resolved"
			doc.save()
		self.assertEqual((doc.resolution_status, doc.sla_status), ("Met", "Met"))
		self.assertEqual(doc.business_seconds_used, 9 * 3600)
		self.assertEqual(doc.resolved_on, mexico("2026-11-25 10:00:00"))

	def test_job_marks_at_risk_then_breached_and_notifies_once(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		frappe.db.set_value("Support Request", doc.name, "assigned_agent", self.agent)

		with self.freeze_time(mexico("2026-11-24 13:05:00")):  # 75 % of the 4-hour first response
			check_due_requests()
			check_due_requests()
		self.assertEqual(frappe.db.get_value("Support Request", doc.name, "sla_status"), "At Risk")
		self.assertEqual(alert_mails(doc.name, self.agent), 1)
		self.assertEqual(alert_mails(doc.name, self.manager), 1)
		# The agent's language is Spanish: so is the digest.
		self.assertTrue(
			frappe.db.exists("Email Queue", {"message": ("like", f"%Niveles de servicio%{doc.name}%")})
		)
		with self.freeze_time(mexico("2026-11-24 14:05:00")):
			check_due_requests()
			check_due_requests()
		self.assertEqual(frappe.db.get_value("Support Request", doc.name, "sla_status"), "Breached")
		self.assertEqual(alert_mails(doc.name, self.agent), 2)

	def test_a_failed_request_does_not_stop_the_run_and_is_notified_once_later(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			first = raise_request(self.user)
			second = raise_request(self.user)
		from unittest.mock import patch

		from support_policy.glue import sla as sla_glue

		original = sla_glue.take_alerts

		def crash_on_second(doc):
			if doc.name == second.name:
				raise RuntimeError("simulated crash")
			return original(doc)

		with self.freeze_time(mexico("2026-11-24 13:05:00")):
			with patch.object(sla_glue, "take_alerts", crash_on_second):
				check_due_requests()
			self.assertEqual(alert_mails(first.name, self.manager), 1)
			self.assertEqual(alert_mails(second.name, self.manager), 0)
			check_due_requests()
		self.assertEqual(alert_mails(first.name, self.manager), 1)
		self.assertEqual(alert_mails(second.name, self.manager), 1)

	def test_threshold_crossed_on_an_ordinary_save_is_notified_by_the_next_run(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		with self.freeze_time(mexico("2026-11-24 13:30:00")):
			doc.reload()
			doc.priority = "High"  # its 2-hour first response is already past
			doc.save()
			self.assertEqual(doc.sla_status, "Breached")
			check_due_requests()
		self.assertEqual(alert_mails(doc.name, self.manager), 1)

	def test_job_touches_only_due_requests(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			raise_request(self.user)
		with self.freeze_time(mexico("2026-11-24 10:05:00")):
			self.assertEqual(check_due_requests(), 0)

	def test_calendar_change_recalculates_open_requests_only(self):
		from support_policy.setup.install import SEED_CALENDAR

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			open_request = raise_request(self.user)
			closed_request = raise_request(self.user)
			closed_request.reload()
			closed_request.status = "Closed"
			closed_request.save()
		self.assertEqual(open_request.resolution_due, mexico("2026-11-27 10:00:00"))
		closed_due = closed_request.resolution_due

		closures = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "Cierres del proveedor (prueba)",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
				"holidays": [{"holiday_date": "2026-11-26", "description": "Inventario anual"}],
			}
		).insert()
		calendar = frappe.get_doc("Support Calendar", SEED_CALENDAR["calendar_name"])

		def restore():
			calendar.reload()
			calendar.holiday_list = None
			calendar.save()

		self.addCleanup(restore)
		calendar.holiday_list = closures.name
		calendar.save()
		open_request.reload()
		closed_request.reload()
		# Thursday 26 is now closed: three working days from Tuesday 10:00 end on Monday 30 at 10:00.
		self.assertEqual(open_request.resolution_due, mexico("2026-11-30 10:00:00"))
		self.assertEqual(closed_request.resolution_due, closed_due)

	# ------------------------------------------------------------------ scope
	def test_out_of_scope_request_gets_quotation_and_spanish_message(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, **OUT_OF_SCOPE)
		doc.reload()
		self.assertEqual(doc.scope_verdict, "Out of scope")
		self.assertEqual(doc.status, "Out of Scope")
		self.assertEqual(doc.sla_status, "Not Applicable")
		self.assertTrue(doc.scope_evidence)
		quotation = frappe.get_doc("Quotation", doc.success_pack_quotation)
		self.assertEqual(quotation.party_name, self.customer)
		self.assertEqual(quotation.items[0].item_code, "Success Pack")
		message = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Support Request", "reference_name": doc.name},
			fields=["content", "recipients"],
		)
		self.assertEqual(len(message), 1)
		self.assertIn(self.user, message[0].recipients)
		self.assertIn("Success Pack", message[0].content)
		self.assertIn("Importar documentos de tu sistema anterior", message[0].content)

	def test_agent_overrules_out_of_scope_and_clock_counts_from_arrival(self):
		from support_policy.glue.scope import override_verdict

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, **OUT_OF_SCOPE)
		frappe.set_user(self.agent)
		try:
			with self.assertRaises(frappe.ValidationError):
				override_verdict(doc.name, "In scope", "")
			with self.freeze_time(mexico("2026-11-24 15:00:00")):
				override_verdict(
					doc.name, "In scope", "Es una duda sobre la plantilla oficial de importación"
				)
		finally:
			frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.scope_verdict, doc.status), ("In scope", "Open"))
		self.assertEqual(doc.first_response_due, mexico("2026-11-24 14:00:00"))
		self.assertEqual(len(doc.scope_overrides), 1)
		self.assertEqual(doc.scope_overrides[0].overridden_by, self.agent)

	def test_agent_overrules_in_scope_to_out_of_scope(self):
		from support_policy.glue.scope import override_verdict

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		frappe.set_user(self.agent)
		try:
			override_verdict(doc.name, "Out of scope", "Pide capacitación a su equipo")
		finally:
			frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.status, doc.sla_status), ("Out of Scope", "Not Applicable"))
		self.assertTrue(doc.success_pack_quotation)

	def test_customer_cannot_overrule(self):
		from support_policy.glue.scope import override_verdict

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, **OUT_OF_SCOPE)
		frappe.set_user(self.user)
		try:
			with self.assertRaises(frappe.PermissionError):
				override_verdict(doc.name, "In scope", "yo digo")
		finally:
			frappe.set_user("Administrator")

	def test_rule_changes_apply_to_the_next_request_without_restart(self):
		fields = {"subject": "Zorblax", "description": "Necesitamos un zorblaxeo completo"}
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			self.assertNotEqual(raise_request(self.user, **fields).scope_verdict, "Out of scope")
		rule = frappe.get_doc(
			{
				"doctype": "Scope Rule",
				"title": "Zorblax",
				"verdict": "Out of scope",
				"category": "Design & Customization",
				"phrases": "zorblaxeo completo",
				"order": 1,
			}
		).insert(set_name="TEST-ZORBLAX")
		self.addCleanup(frappe.delete_doc, "Scope Rule", rule.name, force=True)
		with self.freeze_time(mexico("2026-11-24 10:01:00")):
			self.assertEqual(raise_request(self.user, **fields).scope_verdict, "Out of scope")
		rule.enabled = 0
		rule.save()
		with self.freeze_time(mexico("2026-11-24 10:02:00")):
			self.assertNotEqual(raise_request(self.user, **fields).scope_verdict, "Out of scope")

	def test_requests_the_rules_cannot_decide_go_to_the_model_or_to_triage(self):
		from unittest.mock import patch

		from frappe.tests.utils import change_settings

		from support_policy.glue import scope as scope_glue

		fields = {
			"subject": "alta de usuarios con permisos",
			"description": "Vamos a dar de alta a 5 usuarios y queremos que nos digan que roles y restricciones "
			"poner a cada puesto para que no vean lo que no deben.",
		}
		# As if no rule had been written for this wording: no enabled rule matches it.
		undecided = patch.object(scope_glue, "active_rules", return_value=[])
		with undecided, self.freeze_time(mexico("2026-11-24 10:00:00")):
			decided = raise_request(self.user, **fields)
		self.assertEqual(
			(decided.scope_verdict, decided.scope_category), ("Out of scope", "Workflow & Authorization")
		)
		self.assertFalse(decided.scope_rule)
		self.assertIn("modelo:", decided.scope_evidence)
		with undecided, change_settings("Support Policy Settings", {"no_learned_scope": 1}):
			with self.freeze_time(mexico("2026-11-24 10:05:00")):
				triaged = raise_request(self.user, **fields)
		self.assertEqual(triaged.scope_verdict, "Needs review")
		self.assertEqual(triaged.sla_status, "On Track")  # the clock runs as for any in-scope request

	def test_bad_rules_are_refused(self):
		for regex in ("(a+)+$", "([a-z", ""):
			rule = frappe.get_doc(
				{
					"doctype": "Scope Rule",
					"title": "Mala",
					"verdict": "Out of scope",
					"category": "Training",
					"phrases": "",
					"regex": regex,
				}
			)
			with self.assertRaises(frappe.ValidationError):
				rule.insert(set_name=f"TEST-BAD-{len(regex)}")

	# ------------------------------------------------------------------ isolation
	def test_customers_see_only_their_own_requests(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			mine = raise_request(self.user)
			theirs = raise_request(self.other_user)
		frappe.set_user(self.user)
		try:
			names = frappe.get_list("Support Request", pluck="name", limit_page_length=0)
			self.assertIn(mine.name, names)
			self.assertNotIn(theirs.name, names)
			self.assertFalse(frappe.has_permission("Support Request", doc=theirs.name))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Support Request", theirs.name).check_permission("read")
		finally:
			frappe.set_user("Administrator")
