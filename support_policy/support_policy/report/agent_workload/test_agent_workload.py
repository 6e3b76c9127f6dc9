# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Agent Workload "now" against figures worked out by hand.

Tuesday 24 November 2026 (Mexico City); targets Urgent 1 h, Medium 4 h to first response; a request
turns At Risk at 75 % of its target.
  Agent A: W1 09:00 Urgent (due 10:00: breached at 13:05), W2 09:30 Medium (due 13:30, at risk from
           12:30), W3 13:00 Medium (on track).
  Agent B: W4 10:00 Medium, waiting on the customer since 11:00; W5 10:00 resolved at 11:30 (not open).
  Nobody:  W6 10:30 Medium (due 14:30: on track).
At 13:05, before the 5-minute SLA check has run, the report already counts W1 as breached (its due
time has passed); after the check W2 is at risk.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.glue.sla_jobs import check_due_requests
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import raise_request
from support_policy.support_policy.report.agent_workload.agent_workload import execute

test_ignore = TEST_IGNORE


class TestAgentWorkload(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Carga de Agentes SA")
		cls.user = make_user("ti@carga-agentes.mx", cls.customer)
		cls.agent_a = make_user("carga-a@proveedor.mx", roles=("Support Agent",))
		cls.agent_b = make_user("carga-b@proveedor.mx", roles=("Support Agent",))
		make_contract(cls.customer, [cls.user])

		def raise_at(when, priority, agent):
			with FrappeTestCase.freeze_time(None, mexico(f"2026-11-24 {when}:00")):
				doc = raise_request(cls.user, priority)
			if agent:
				frappe.db.set_value("Support Request", doc.name, "assigned_agent", agent)
			return doc

		def set_status(doc, status, when):
			with FrappeTestCase.freeze_time(None, mexico(f"2026-11-24 {when}:00")):
				doc.reload()
				doc.status = status
				doc.save()

		cls.w1 = raise_at("09:00", "Urgent", cls.agent_a)
		cls.w2 = raise_at("09:30", "Medium", cls.agent_a)
		cls.w4 = raise_at("10:00", "Medium", cls.agent_b)
		cls.w5 = raise_at("10:00", "Medium", cls.agent_b)
		cls.w6 = raise_at("10:30", "Medium", None)
		set_status(cls.w4, "Waiting on Customer", "11:00")
		set_status(cls.w5, "Resolved", "11:30")
		cls.w3 = raise_at("13:00", "Medium", cls.agent_a)

	def rows(self):
		with self.freeze_time(mexico("2026-11-24 13:05:00")):
			_columns, rows, message, chart = execute({"customer": self.customer})
		return {r.agent: r for r in rows}, message, chart

	def test_workload_now_and_after_the_sla_check(self):
		rows, _message, _chart = self.rows()
		a = rows[self.agent_a]
		self.assertEqual((a.open, a.breached, a.at_risk, a.on_track), (3, 1, 0, 2))

		with self.freeze_time(mexico("2026-11-24 13:05:00")):
			check_due_requests()
		rows, message, chart = self.rows()
		self.assertEqual(list(rows), [self.agent_a, self.agent_b, None])  # worst first
		a, b, nobody = rows[self.agent_a], rows[self.agent_b], rows[None]
		self.assertEqual((a.open, a.waiting, a.at_risk, a.breached, a.on_track), (3, 0, 1, 1, 1))
		self.assertEqual(a.oldest, mexico("2026-11-24 09:00:00"))
		self.assertEqual(a.next_due, mexico("2026-11-24 13:30:00"))  # W2's first response
		self.assertEqual((b.open, b.waiting, b.at_risk, b.breached, b.on_track), (1, 1, 0, 0, 0))
		self.assertEqual((nobody.open, nobody.on_track, nobody.agent_name), (1, 1, "Unassigned"))
		self.assertIn("5 open requests: 1 at risk, 1 breached, 1 waiting", message)
		stacked = {d["name"]: d["values"] for d in chart["data"]["datasets"]}
		self.assertEqual(stacked["Breached"], [1, 0, 0])
		self.assertEqual(stacked["Waiting on Customer"], [0, 1, 0])

	def test_filters(self):
		with self.freeze_time(mexico("2026-11-24 13:05:00")):
			rows = execute({"customer": self.customer, "agent": self.agent_b})[1]
			urgent = execute({"customer": self.customer, "priority": "Urgent"})[1]
		self.assertEqual([r.agent for r in rows], [self.agent_b])
		self.assertEqual([(r.agent, r.open) for r in urgent], [(self.agent_a, 1)])
