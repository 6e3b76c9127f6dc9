# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt
"""The request's workflow: reopening restarts the clock, replies in the desk resume it, the Success
Pack follow-up never costs the customer's request, recalculations are never lost."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import (
	IN_SCOPE,
	OUT_OF_SCOPE,
	raise_request,
	reply,
)

test_ignore = TEST_IGNORE


def set_status(doc, status):
	doc.reload()
	doc.status = status
	doc.save()
	return doc


def resolution_events(doc):
	return [row.event for row in doc.sla_events if row.timer == "Resolution"]


class TestReopening(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Tlapalería El Clavo")
		cls.user = make_user("compras@elclavo.mx", cls.customer)
		cls.colleague = make_user("almacen@elclavo.mx", cls.customer)
		cls.agent = make_user("agente@proveedor.mx", roles=("Support Agent",))
		make_contract(cls.customer, [cls.user, cls.colleague])
		frappe.db.commit()

	def answered_and_closed(self, final="Closed"):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, priority="High")
		with self.freeze_time(mexico("2026-11-24 10:30:00")):
			doc = reply(doc, self.agent, "Sent", mexico("2026-11-24 10:30:00"))
		with self.freeze_time(mexico("2026-11-25 10:00:00")):
			set_status(doc, final)
		self.assertEqual(doc.sla_status, "Met")
		return doc

	def assert_new_segment_from_friday_afternoon(self, doc):
		# High: 16 business hours from Friday 15:00 = 3 h Friday + 9 h Monday + 4 h Tuesday.
		self.assertEqual(doc.status, "Open")
		self.assertEqual(doc.resolution_due, mexico("2026-12-01 13:00:00"))
		self.assertEqual(doc.sla_status, "On Track")
		self.assertEqual(doc.resolution_status, "On Track")
		self.assertTrue(doc.next_sla_check)
		self.assertFalse(doc.resolved_on)
		# The first response stays as it was.
		self.assertEqual(doc.first_responded_on, mexico("2026-11-24 10:30:00"))
		self.assertEqual(doc.first_response_status, "Met")
		self.assertEqual(resolution_events(doc)[-1], "restart")
		restart = [row for row in doc.sla_events if row.event == "restart"][-1]
		self.assertEqual(restart.at, mexico("2026-11-27 15:00:00"))

	def test_an_agent_reopening_a_closed_request_restarts_the_resolution_clock(self):
		doc = self.answered_and_closed("Closed")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			set_status(doc, "Open")
		self.assert_new_segment_from_friday_afternoon(doc)

	def test_a_customer_mail_on_a_resolved_request_reopens_it(self):
		doc = self.answered_and_closed("Resolved")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			doc = reply(doc, self.user, "Received", mexico("2026-11-27 15:00:00"))
		self.assert_new_segment_from_friday_afternoon(doc)
		self.assertEqual(resolution_events(doc), ["start", "pause", "restart"])

	def test_a_customer_comment_in_the_desk_reopens_a_closed_request(self):
		doc = self.answered_and_closed("Closed")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			add_desk_comment(doc, self.colleague, "Sigue fallando, ¿lo pueden revisar otra vez?")
		doc.reload()
		self.assert_new_segment_from_friday_afternoon(doc)

	def test_reopening_straight_to_waiting_on_customer_starts_the_segment_paused(self):
		doc = self.answered_and_closed("Resolved")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			set_status(doc, "Waiting on Customer")
		self.assertEqual(resolution_events(doc), ["start", "pause", "restart", "pause"])
		self.assertEqual((doc.sla_status, doc.resolution_due), ("Paused", None))
		with self.freeze_time(mexico("2026-11-30 09:00:00")):
			doc = reply(doc, self.user, "Received", mexico("2026-11-30 09:00:00"))
		# The full 16 hours from Monday 9:00 (the pause took nothing): Tuesday at 16:00.
		self.assertEqual(doc.resolution_due, mexico("2026-12-01 16:00:00"))

	def test_the_customer_sees_the_new_due_time(self):
		doc = self.answered_and_closed("Resolved")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			set_status(doc, "Open")
		frappe.set_user(self.user)
		try:
			seen = frappe.get_doc("Support Request", doc.name)
			seen.check_permission("read")
			self.assertEqual(seen.resolution_due, mexico("2026-12-01 13:00:00"))
		finally:
			frappe.set_user("Administrator")

	def test_a_breach_before_the_reopening_is_not_erased(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, priority="High")
		with self.freeze_time(mexico("2026-11-24 10:30:00")):
			doc = reply(doc, self.agent, "Sent", mexico("2026-11-24 10:30:00"))
		with self.freeze_time(mexico("2026-11-26 10:00:00")):  # 18 business hours: breached
			set_status(doc, "Resolved")
		self.assertEqual(doc.sla_status, "Breached")
		with self.freeze_time(mexico("2026-11-26 11:00:00")):
			set_status(doc, "Open")
		self.assertEqual(doc.resolution_status, "On Track")  # the new segment runs on its own
		with self.freeze_time(mexico("2026-11-26 12:00:00")):
			set_status(doc, "Resolved")
		self.assertEqual((doc.resolution_status, doc.sla_status), ("Breached", "Breached"))

	def test_a_quick_second_resolution_after_a_met_first_one_is_met(self):
		doc = self.answered_and_closed("Resolved")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			set_status(doc, "Open")
		with self.freeze_time(mexico("2026-11-30 10:00:00")):
			set_status(doc, "Resolved")
		self.assertEqual(doc.sla_status, "Met")
		# Both segments' business time: 9 h (Tue 10:00 - Wed 10:00) + 4 h (Fri 15:00 - Mon 10:00).
		self.assertEqual(doc.business_seconds_used, 13 * 3600)

	def test_a_reopened_request_is_alerted_again_for_its_new_segment(self):
		from support_policy.glue.sla_jobs import check_due_requests

		doc = self.answered_and_closed("Resolved")
		frappe.db.set_value("Support Request", doc.name, "sla_alerts_sent", "Resolution: At Risk")
		with self.freeze_time(mexico("2026-11-27 15:00:00")):
			set_status(doc, "Open")
		with self.freeze_time(mexico("2026-12-01 10:30:00")):  # past 75 % of the new segment
			check_due_requests()
		self.assertIn(
			"Resolution: At Risk", frappe.db.get_value("Support Request", doc.name, "sla_alerts_sent")
		)
		self.assertEqual(frappe.db.get_value("Support Request", doc.name, "sla_status"), "At Risk")

	def test_a_customer_comment_resumes_a_request_waiting_on_them(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		with self.freeze_time(mexico("2026-11-24 11:00:00")):
			set_status(doc, "Waiting on Customer")
		self.assertEqual(doc.sla_status, "Paused")
		with self.freeze_time(mexico("2026-11-25 11:00:00")):
			add_desk_comment(doc, self.user, "Ya les mandé la captura que pidieron.")
		doc.reload()
		self.assertEqual(doc.status, "Open")
		self.assertEqual(resolution_events(doc), ["start", "pause", "resume"])
		self.assertEqual(doc.resolution_due, mexico("2026-11-30 10:00:00"))

	def test_an_agent_comment_does_not_resume_the_clock(self):
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		with self.freeze_time(mexico("2026-11-24 11:00:00")):
			set_status(doc, "Waiting on Customer")
			add_desk_comment(doc, self.agent, "Quedamos en espera de su captura.")
		doc.reload()
		self.assertEqual(doc.status, "Waiting on Customer")


def add_desk_comment(doc, user, text):
	"""What the form's comment box calls."""
	from frappe.desk.form.utils import add_comment

	frappe.set_user(user)
	try:
		return add_comment(
			"Support Request", doc.name, text, frappe.db.get_value("User", user, "email"), user
		)
	finally:
		frappe.set_user("Administrator")


class TestRecalculationIsNeverLost(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Refaccionaria La Biela")
		cls.user = make_user("compras@labiela.mx", cls.customer)
		make_contract(cls.customer, [cls.user])
		frappe.db.commit()

	def setUp(self):
		from support_policy.setup.install import SEED_CALENDAR

		self.calendar = frappe.get_doc("Support Calendar", SEED_CALENDAR["calendar_name"])
		self.addCleanup(self.restore_calendar)

	def restore_calendar(self):
		frappe.flags.support_policy_queue_recalculation = False
		self.calendar.reload()
		self.calendar.holiday_list = None
		self.calendar.save()

	def test_an_edit_that_arrives_while_a_recalculation_runs_gets_its_own(self):
		from support_policy.glue import sla_jobs

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user)
		self.assertEqual(doc.resolution_due, mexico("2026-11-27 10:00:00"))
		closures = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "Cierres (recalculo)",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
				"holidays": [{"holiday_date": "2026-11-26", "description": "Inventario anual"}],
			}
		).insert()
		jobs, status = [], {}

		def fake_enqueue(method, **kwargs):
			jobs.append((method, kwargs))

		frappe.flags.support_policy_queue_recalculation = True
		with (
			patch("frappe.enqueue", fake_enqueue),
			patch("frappe.utils.background_jobs.get_job_status", lambda job_id: status.get(job_id)),
		):
			frappe.db.after_commit.reset()
			self.calendar.holiday_list = closures.name
			self.calendar.save()  # first edit
			frappe.db.after_commit.run()  # as on commit
			self.assertEqual(len(jobs), 1)
			first_method, first = jobs[0]
			status[first["job_id"]] = "started"  # the worker picks it up and reads the first edit
			first_method(kind=first["kind"], name=first["name"])
			closures.reload()
			closures.append("holidays", {"holiday_date": "2026-11-27", "description": "Mudanza"})
			closures.save()  # second edit, while the first job still runs
			frappe.db.after_commit.run()
		self.assertEqual(len(jobs), 2, "the second edit was dropped")
		second_method, second = jobs[1]
		self.assertNotEqual(second["job_id"], first["job_id"])
		second_method(kind=second["kind"], name=second["name"])
		doc.reload()
		# Thursday 26 and Friday 27 closed: three working days from Tuesday 10:00 end Tuesday 1 at 10:00.
		self.assertEqual(doc.resolution_due, mexico("2026-12-01 10:00:00"))

	def test_an_edit_while_a_job_is_only_queued_shares_it(self):
		from support_policy.glue import sla_jobs

		jobs = []
		with (
			patch("frappe.enqueue", lambda method, **kwargs: jobs.append(kwargs)),
			patch("frappe.utils.background_jobs.get_job_status", lambda job_id: "queued"),
		):
			self.assertIsNone(sla_jobs.queue_recalculation("calendar", self.calendar.name))
		self.assertEqual(jobs, [])

	def test_one_request_that_fails_does_not_undo_the_others(self):
		from support_policy.glue import sla as sla_glue
		from support_policy.glue import sla_jobs

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			first = raise_request(self.user)
			second = raise_request(self.user)
		frappe.db.set_value("Support Plan", first.support_plan, "modified", frappe.utils.now_datetime())
		original = sla_glue.recalculate

		def failing(doc):
			if doc.name == first.name:
				doc.resolution_due = None
				doc.db_update()  # written, then the request fails: its savepoint undoes the write
				raise RuntimeError("simulated failure")
			return original(doc)

		closures = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "Cierres (falla)",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
				"holidays": [{"holiday_date": "2026-11-26", "description": "Inventario anual"}],
			}
		).insert()
		with patch.object(sla_glue, "recalculate", failing):
			self.calendar.holiday_list = closures.name
			self.calendar.save()
		self.assertEqual(
			frappe.db.get_value("Support Request", first.name, "resolution_due"),
			mexico("2026-11-27 10:00:00"),
		)
		self.assertEqual(
			frappe.db.get_value("Support Request", second.name, "resolution_due"),
			mexico("2026-11-30 10:00:00"),
		)
		self.assertTrue(frappe.db.exists("Error Log", {"reference_name": first.name}))


def follow_up_messages(request_name):
	return frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Support Request", "reference_name": request_name},
		pluck="name",
	)


def quotations_for(request_name):
	item = frappe.qb.DocType("Quotation Item")
	return (
		frappe.qb.from_(item)
		.select(item.parent)
		.distinct()
		.where(item.description.like(f"%{request_name}%"))
		.run(pluck=True)
	)


class TestSuccessPackFollowUp(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Mueblería El Roble")
		cls.user = make_user("compras@elroble.mx", cls.customer)
		cls.agent = make_user("agente@proveedor.mx", roles=("Support Agent",))
		make_contract(cls.customer, [cls.user])
		frappe.db.commit()

	def test_a_quotation_that_fails_never_costs_the_customer_request(self):
		from support_policy.glue import scope as scope_glue

		def clash(doc):
			raise frappe.TimestampMismatchError("Document has been modified after you have opened it")

		with (
			patch.object(scope_glue, "make_quotation", clash),
			self.freeze_time(mexico("2026-11-24 10:00:00")),
		):
			doc = raise_request(self.user, **OUT_OF_SCOPE)  # does not raise
		stored = frappe.db.get_value(
			"Support Request",
			doc.name,
			["status", "success_pack_status", "success_pack_error", "success_pack_quotation"],
			as_dict=True,
		)
		self.assertEqual(stored.status, "Out of Scope")
		self.assertEqual(stored.success_pack_status, "Quotation Being Prepared")  # it will be retried
		self.assertIn("TimestampMismatchError", stored.success_pack_error)
		self.assertFalse(stored.success_pack_quotation)
		self.assertEqual(follow_up_messages(doc.name), [])  # no half-done follow-up

	def test_the_follow_up_is_idempotent(self):
		from support_policy.glue.scope import run_success_pack

		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, **OUT_OF_SCOPE)
		doc.reload()
		self.assertEqual(doc.success_pack_status, "Quotation Sent")
		self.assertTrue(doc.success_pack_quotation)
		for _run in range(2):  # a retry, or the sweep, after the job had already succeeded
			run_success_pack(doc.name)
		self.assertEqual(quotations_for(doc.name), [doc.success_pack_quotation])
		self.assertEqual(len(follow_up_messages(doc.name)), 1)

	def test_it_is_retried_then_says_why_and_an_agent_can_retry_it(self):
		from support_policy.glue import scope as scope_glue
		from support_policy.support_policy.doctype.support_request.api import retry_success_pack

		def no_price_list(doc):
			raise frappe.ValidationError("Price List Standard Selling is disabled")

		with patch.object(scope_glue, "make_quotation", no_price_list):
			with self.freeze_time(mexico("2026-11-24 10:00:00")):
				doc = raise_request(self.user, **OUT_OF_SCOPE)
			for _retry in range(scope_glue.MAX_ATTEMPTS - 1):
				scope_glue.run_success_pack(doc.name)
			scope_glue.run_success_pack(doc.name)  # a late duplicate changes nothing
		doc.reload()
		self.assertEqual(doc.success_pack_status, "Follow-up Failed")
		self.assertEqual(doc.success_pack_attempts, scope_glue.MAX_ATTEMPTS)
		self.assertIn("Price List Standard Selling is disabled", doc.success_pack_error)
		self.assertEqual(follow_up_messages(doc.name), [])

		frappe.set_user(self.user)  # the customer cannot retry, nor read the error
		try:
			with self.assertRaises(frappe.PermissionError):
				retry_success_pack(doc.name)
			self.assertNotIn(2, frappe.get_doc("Support Request", doc.name).get_permlevel_access("read"))
		finally:
			frappe.set_user("Administrator")

		frappe.set_user(self.agent)
		try:
			retry_success_pack(doc.name)
		finally:
			frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.success_pack_status, doc.success_pack_error), ("Quotation Sent", None))
		self.assertEqual(len(quotations_for(doc.name)), 1)
		self.assertEqual(len(follow_up_messages(doc.name)), 1)

	def test_a_stalled_follow_up_is_queued_again_by_the_sweep(self):
		from support_policy.glue import scope as scope_glue

		with patch.object(scope_glue, "enqueue_success_pack"):  # the job was lost with its worker
			with self.freeze_time(mexico("2026-11-24 10:00:00")):
				doc = raise_request(self.user, **OUT_OF_SCOPE)
		self.assertEqual(
			frappe.db.get_value("Support Request", doc.name, "success_pack_status"),
			"Quotation Being Prepared",
		)
		with self.freeze_time(mexico("2026-11-24 10:30:00")):
			scope_glue.queue_stalled_success_packs()
		self.assertEqual(
			frappe.db.get_value("Support Request", doc.name, "success_pack_status"), "Quotation Sent"
		)


class TestScopeReadsThisMessageOnly(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Papelería La Pluma")
		cls.user = make_user("compras@lapluma.mx", cls.customer)
		make_contract(cls.customer, [cls.user])
		frappe.db.commit()

	def test_a_mail_quoting_excluded_work_is_judged_on_what_it_asks(self):
		ask = "¿Me pueden confirmar que el respaldo de anoche terminó bien? Mañana cerramos el mes."
		html = (
			f'<div dir="ltr"><div>Buenas tardes,</div><div>{ask}</div><div>Saludos,</div>'
			"<div>Jorge Ávila<br>Gerente de Capacitación</div></div><br>"
			'<div class="gmail_quote"><div class="gmail_attr">El mar, 24 nov 2026 a las 10:12, Soporte '
			'escribió:<br></div><blockquote class="gmail_quote"><div>Le recordamos que la importación de '
			"datos y la capacitación no están incluidas en su plan.</div></blockquote></div>"
		)
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			doc = raise_request(self.user, subject="RE: Respaldo", description=html)
		doc.reload()
		self.assertEqual(doc.scope_verdict, "In scope")
		self.assertEqual(doc.scope_category, "Backup")
		self.assertNotIn("import", doc.scope_evidence.lower())
		self.assertNotIn("capacita", doc.scope_evidence.lower())
		self.assertIn("Le recordamos que la importación", doc.description)  # the full text stays
