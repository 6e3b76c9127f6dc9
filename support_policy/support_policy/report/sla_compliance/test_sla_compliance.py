# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""SLA Compliance against figures worked out by hand.

The data set goes through the real code path (requests raised by customers, agent replies as
Communications, status changes) at known Mexico City times. November 2026 has a holiday: Monday 16
is Día de la Revolución, so a request raised on Friday 13 at 17:00 and answered on Tuesday 17 at
11:00 waited 3 business hours (Friday 17-18, Tuesday 9-11).

Targets of the seeded plan (business hours): Urgent 1 h / 8 h, High 2 h / 16 h, Medium 4 h / 27 h,
Low 8 h / 45 h.

Customer "Norte":
  R0  Tue Oct 20 10:00 Medium, agent 1. Reply 11:00 (1 h, met). Closed Wed Oct 21 10:00: 8 h + 1 h
      = 9 h (met).
  R1  Fri Nov 13 17:00 Medium, agent 1. Reply Tue Nov 17 11:00: 3 h (met). Resolved Wed Nov 18
      12:00: 1 h + 9 h + 3 h = 13 h (met).
  R2  Tue Nov 17 10:00 Urgent, agent 2. Reply 12:00: 2 h (breached, due 11:00). Waiting on Customer
      13:00, customer replies Wed 18 10:00 (paused 5 h + 1 h = 6 h). Closed Wed 16:00: 3 h + 6 h = 9 h
      (breached, target 8 h).
  R3  Wed Nov 18 09:00 High, agent 2. Reply 09:30: 0.5 h (met). Still open: resolution on track.
  R5  Thu Nov 19 10:00 out of scope: no service level, not counted.
Customer "Peñasco":
  R4  Thu Nov 19 10:00 Low, agent 1. Reply 11:00: 1 h (met). Resolved 15:00: 5 h (met).

Percentiles are continuous (linear interpolation): the 90th percentile of (0.5, 2, 3) h is
2 + 0.8 * (3 - 2) = 2.8 h; of (9, 13) h it is 9 + 0.9 * 4 = 12.6 h.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.glue.reporting import compliance_this_month
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import (
	IN_SCOPE,
	OUT_OF_SCOPE,
	raise_request,
	reply,
)
from support_policy.support_policy.report.sla_compliance.sla_compliance import GROUP_BY, execute

test_ignore = TEST_IGNORE

NOVEMBER = {"from_date": "2026-11-01", "to_date": "2026-11-30"}
AUTUMN = {"from_date": "2026-10-01", "to_date": "2026-11-30"}
HOUR = 3600


def frozen(at):
	"""FrappeTestCase.freeze_time for class-level fixtures (it does not use the instance)."""
	return FrappeTestCase.freeze_time(None, at)


def set_status(doc, status, at):
	with frozen(at):
		doc.reload()
		doc.status = status
		doc.save()
	return doc


def agent_reply(doc, agent, at):
	with frozen(at):
		return reply(doc, agent, "Sent", at)


def customer_reply(doc, user, at):
	with frozen(at):
		return reply(doc, user, "Received", at)


def raise_at(user, at, priority="Medium", agent=None, fields=None):
	with frozen(at):
		doc = raise_request(user, priority, **(fields or IN_SCOPE))
	if agent:
		frappe.db.set_value("Support Request", doc.name, "assigned_agent", agent, update_modified=False)
		doc.reload()
	return doc


class TestSLACompliance(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.north = make_customer("Cumplimiento Norte SA")
		cls.south = make_customer("Cumplimiento Peñasco SA")  # non-ASCII: CRC32 of UTF-8
		cls.north_user = make_user("ti@cumplimiento-norte.mx", cls.north)
		cls.south_user = make_user("ti@cumplimiento-penasco.mx", cls.south)
		cls.agent1 = make_user("agente-sla1@proveedor.mx", roles=("Support Agent",))
		cls.agent2 = make_user("agente-sla2@proveedor.mx", roles=("Support Agent",))
		make_contract(cls.north, [cls.north_user])
		make_contract(cls.south, [cls.south_user])
		north, south, a1, a2 = cls.north_user, cls.south_user, cls.agent1, cls.agent2

		r0 = raise_at(north, mexico("2026-10-20 10:00:00"), "Medium", a1)
		r0 = agent_reply(r0, a1, mexico("2026-10-20 11:00:00"))
		set_status(r0, "Closed", mexico("2026-10-21 10:00:00"))

		r1 = raise_at(north, mexico("2026-11-13 17:00:00"), "Medium", a1)
		r1 = agent_reply(r1, a1, mexico("2026-11-17 11:00:00"))
		cls.r1 = set_status(r1, "Resolved", mexico("2026-11-18 12:00:00"))

		r2 = raise_at(north, mexico("2026-11-17 10:00:00"), "Urgent", a2)
		r2 = agent_reply(r2, a2, mexico("2026-11-17 12:00:00"))
		r2 = set_status(r2, "Waiting on Customer", mexico("2026-11-17 13:00:00"))
		r2 = customer_reply(r2, north, mexico("2026-11-18 10:00:00"))
		cls.r2 = set_status(r2, "Closed", mexico("2026-11-18 16:00:00"))

		r3 = raise_at(north, mexico("2026-11-18 09:00:00"), "High", a2)
		cls.r3 = agent_reply(r3, a2, mexico("2026-11-18 09:30:00"))

		cls.r5 = raise_at(north, mexico("2026-11-19 10:00:00"), fields=OUT_OF_SCOPE)

		r4 = raise_at(south, mexico("2026-11-19 10:00:00"), "Low", a1)
		r4 = agent_reply(r4, a1, mexico("2026-11-19 11:00:00"))
		cls.r4 = set_status(r4, "Resolved", mexico("2026-11-19 15:00:00"))

	def rows(self, **filters):
		_columns, rows, _message, _chart = execute(filters)
		return rows

	def by_group(self, **filters):
		return {row.group_value: row for row in self.rows(**filters)}

	def test_the_data_set_is_what_the_figures_assume(self):
		self.assertEqual((self.r1.first_response_status, self.r1.first_response_seconds), ("Met", 3 * HOUR))
		self.assertEqual((self.r1.resolution_status, self.r1.business_seconds_used), ("Met", 13 * HOUR))
		self.assertEqual(
			(self.r2.first_response_status, self.r2.first_response_seconds), ("Breached", 2 * HOUR)
		)
		self.assertEqual((self.r2.resolution_status, self.r2.business_seconds_used), ("Breached", 9 * HOUR))
		self.assertEqual(self.r2.business_seconds_paused, 6 * HOUR)
		self.assertEqual((self.r3.first_response_status, self.r3.resolution_status), ("Met", "On Track"))
		self.assertEqual(self.r5.sla_status, "Not Applicable")
		self.assertEqual((self.r4.first_response_seconds, self.r4.business_seconds_used), (HOUR, 5 * HOUR))

	def test_by_customer(self):
		rows = self.by_group(group_by="Customer", customer=self.north, **NOVEMBER)
		self.assertEqual(list(rows), [self.north])
		north = rows[self.north]
		self.assertEqual(north.requests, 3)  # R1, R2, R3; the out-of-scope R5 has no service level
		self.assertEqual(north.fr_met_pct, 66.7)  # R1, R3 met; R2 breached
		self.assertEqual(north.res_met_pct, 50.0)  # R1 met, R2 breached; R3 still running
		self.assertEqual(north.sla_met_pct, 50.0)  # R1 met, R2 breached; R3 undecided
		self.assertEqual(north.breached, 1)
		self.assertEqual((north.fr_p50_hours, north.fr_p90_hours), (2.0, 2.8))
		self.assertEqual((north.res_p50_hours, north.res_p90_hours), (11.0, 12.6))
		self.assertEqual(north.paused_hours, 6.0)

		south = self.by_group(group_by="Customer", customer=self.south, **NOVEMBER)[self.south]
		self.assertEqual((south.requests, south.fr_met_pct, south.res_met_pct), (1, 100.0, 100.0))
		self.assertEqual((south.fr_p50_hours, south.res_p90_hours, south.paused_hours), (1.0, 5.0, 0.0))

	def test_by_month_spans_october_and_november(self):
		rows = self.rows(group_by="Month", customer=self.north, from_date="2026-10-01", to_date="2026-11-30")
		self.assertEqual([r.group for r in rows], ["2026-10", "2026-11"])
		october, november = rows
		self.assertEqual((october.requests, october.fr_met_pct, october.res_met_pct), (1, 100.0, 100.0))
		self.assertEqual((october.fr_p50_hours, october.res_p50_hours), (1.0, 9.0))
		self.assertEqual((october.from_date, october.to_date), ("2026-10-01", "2026-10-31"))
		self.assertEqual((november.requests, november.breached), (3, 1))

	def test_by_week(self):
		# Friday 13 belongs to the week of Monday 9; Tuesday 17 and Wednesday 18 to the week of the
		# holiday Monday 16.
		rows = self.rows(group_by="Week", customer=self.north, **NOVEMBER)
		self.assertEqual([(r.group, r.requests) for r in rows], [("2026-11-09", 1), ("2026-11-16", 2)])
		_columns, _rows, _message, chart = execute({"group_by": "Week", "customer": self.north, **NOVEMBER})
		self.assertEqual(chart["type"], "line")
		self.assertEqual(chart["data"]["labels"], ["2026-11-09", "2026-11-16"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [100.0, 50.0])

	def test_by_agent_and_priority(self):
		agents = self.by_group(group_by="Agent", customer=self.north, **NOVEMBER)
		self.assertEqual(set(agents), {self.agent1, self.agent2})
		second = agents[self.agent2]  # R2 and R3
		self.assertEqual((second.requests, second.fr_met_pct, second.res_met_pct), (2, 50.0, 0.0))
		self.assertEqual(second.fr_p50_hours, 1.25)  # median of 0.5 h and 2 h
		self.assertEqual(agents[self.agent1].requests, 1)

		priorities = self.by_group(group_by="Priority", customer=self.north, **NOVEMBER)
		self.assertEqual(
			{p: r.requests for p, r in priorities.items()}, {"Medium": 1, "Urgent": 1, "High": 1}
		)
		self.assertEqual(priorities["Urgent"].fr_met_pct, 0.0)

		only_urgent = self.by_group(group_by="Customer", customer=self.north, priority="Urgent", **NOVEMBER)
		self.assertEqual(only_urgent[self.north].requests, 1)

	def test_by_category_uses_the_category_the_target_was_chosen_with(self):
		category = self.r1.category or self.r1.scope_category
		rows = self.by_group(group_by="Category", customer=self.north, **NOVEMBER)
		self.assertEqual(rows[category].requests, 3)
		filtered = self.by_group(group_by="Customer", customer=self.north, category=category, **NOVEMBER)
		self.assertEqual(filtered[self.north].requests, 3)

	def test_the_three_ways_of_computing_agree(self):
		"""Packed lists sorted in Python, PERCENTILE_CONT windows, and windows grouped by the text
		itself (the fallback for CRC32 collisions) give the same rows, here and on whatever else the
		site holds for the period."""
		from support_policy.support_policy.report.sla_compliance.sla_compliance import compliance

		for group_by in GROUP_BY:
			for customer in (self.north, None):
				filters = frappe._dict(group_by=group_by, customer=customer, **AUTUMN)
				packed = compliance(filters, method="packed")
				self.assertEqual(packed, compliance(filters, method="window"), group_by)
				if group_by in ("Customer", "Agent", "Priority", "Category"):
					self.assertEqual(packed, compliance(filters, exact=True), group_by)

	def test_lists_too_long_for_the_limit_fall_back_to_windows(self):
		from unittest.mock import patch

		from support_policy.support_policy.report.sla_compliance import sla_compliance

		filters = frappe._dict(group_by="Month", customer=self.north, **AUTUMN)
		query, request = sla_compliance.base_query(filters)
		group = sla_compliance.grouping(request, "Month")
		with patch.object(sla_compliance, "PACKED_LIMIT", 8):
			self.assertIsNone(sla_compliance.packed_figures(query, request, group))
			self.assertEqual(
				sla_compliance.compliance(filters), sla_compliance.compliance(filters, method="window")
			)

	def test_a_period_read_in_slices_gives_the_same_figures(self):
		"""On a server with MariaDB's default max_allowed_packet a year of requests does not fit in one
		packed statement: the period is read in slices of ``received_on`` and merged, with the same
		figures as one statement and as the windows, however small the slices."""
		from unittest.mock import patch

		from support_policy.support_policy.report.sla_compliance import sla_compliance

		for group_by in GROUP_BY:
			filters = frappe._dict(group_by=group_by, customer=self.north, **AUTUMN)
			whole = sla_compliance.compliance(filters, method="packed")
			for rows_per_slice in (1, 2, 3):
				with (
					patch.object(
						sla_compliance, "PACKED_LIMIT", rows_per_slice * sla_compliance.PACKED_WIDTH
					),
					patch.object(
						sla_compliance, "packed_lists", wraps=sla_compliance.packed_lists
					) as statements,
				):
					sliced = sla_compliance.compliance(filters, method="packed")
				# Norte has 4 requests with a service level in the autumn (R0-R3).
				self.assertEqual(statements.call_count, -(-4 // rows_per_slice), (group_by, rows_per_slice))
				self.assertEqual(sliced, whole, (group_by, rows_per_slice))
			self.assertEqual(whole, sla_compliance.compliance(filters, method="window"), group_by)

	def test_a_customer_missing_from_the_id_map_is_not_merged_into_another(self):
		"""Customers and agents are grouped by the rank of their CRC32 among the values read first. A
		value missing from that list (written in between, or differing in letter case) would take a
		neighbour's rank; the report notices and groups by the text instead."""
		from unittest.mock import patch

		from support_policy.support_policy.report.sla_compliance import sla_compliance

		filters = frappe._dict(group_by="Customer", **NOVEMBER)
		expected = sla_compliance.compliance(filters, exact=True)
		self.assertEqual(sla_compliance.compliance(filters), expected)
		with patch.object(sla_compliance, "candidate_values", return_value=[self.south]):
			rows = sla_compliance.compliance(filters)
		self.assertEqual(rows, expected)
		self.assertEqual({r.group for r in rows} & {self.north, self.south}, {self.north, self.south})

	def test_report_key_follows_the_request_whatever_writes_it(self):
		"""The generated column the report reads is computed by the database, so it is right after a
		save, and after a write that skips the controller."""
		from support_policy.glue import report_key

		def key(name):
			return frappe.db.get_value("Support Request", name, report_key.COLUMN)

		# R2: first response breached, resolution breached, responded, closed, Urgent.
		value = key(self.r2.name)
		self.assertEqual(value & 3, report_key.BREACHED)
		self.assertEqual(value >> 2 & 3, report_key.BREACHED)
		self.assertTrue(value & report_key.RESPONDED and value & report_key.FINISHED)
		self.assertTrue(value & report_key.HAS_SLA)
		self.assertEqual(report_key.options("priority")[(value >> 8 & 7) - 1], "Urgent")
		# R5 is out of scope: no service level, so the report leaves it out.
		self.assertFalse(key(self.r5.name) & report_key.HAS_SLA)
		# R3 is open; closing it behind the controller's back still moves its key.
		self.assertFalse(key(self.r3.name) & report_key.FINISHED)
		frappe.db.set_value("Support Request", self.r3.name, "status", "Closed", update_modified=False)
		self.assertTrue(key(self.r3.name) & report_key.FINISHED)
		frappe.db.set_value("Support Request", self.r3.name, "status", "In Progress", update_modified=False)
		# A second ensure() finds the column and index as defined and changes nothing.
		self.assertFalse(report_key.ensure())

	def test_report_stays_right_when_the_priority_options_change(self):
		"""A manager reorders the priorities in Customize Form and adds one (a Property Setter): the
		stored report keys do not depend on the options, so nothing is rebuilt and every figure stays
		right, also for the new value (grouped and filtered by its text)."""
		from frappe.custom.doctype.property_setter.property_setter import make_property_setter

		from support_policy.glue import report_key
		from support_policy.support_policy.report.sla_compliance.sla_compliance import compliance

		setter = make_property_setter(
			"Support Request", "priority", "options", "Urgent\nCritical\nHigh\nMedium\nLow", "Text"
		)
		self.addCleanup(frappe.clear_cache, doctype="Support Request")
		self.addCleanup(frappe.delete_doc, "Property Setter", setter.name, force=True)
		frappe.clear_cache(doctype="Support Request")
		self.assertIn("Critical", frappe.get_meta("Support Request").get_options("priority"))
		self.assertFalse(report_key.ensure(), "the key does not depend on the options: nothing to rebuild")
		doc = frappe.get_doc("Support Request", self.r3.name)  # was High
		doc.db_set("priority", "Critical", update_modified=False)

		priorities = self.by_group(group_by="Priority", customer=self.north, **NOVEMBER)
		self.assertEqual(
			{p: r.requests for p, r in priorities.items()}, {"Medium": 1, "Urgent": 1, "Critical": 1}
		)
		self.assertEqual((priorities["Urgent"].fr_met_pct, priorities["Critical"].fr_p50_hours), (0.0, 0.5))
		for method in ("packed", "window"):
			filters = frappe._dict(group_by="Priority", customer=self.north, **NOVEMBER)
			self.assertEqual(compliance(filters, method=method), compliance(filters, exact=True), method)
		critical = self.by_group(group_by="Customer", customer=self.north, priority="Critical", **NOVEMBER)
		self.assertEqual(critical[self.north].requests, 1)
		urgent = self.by_group(group_by="Customer", customer=self.north, priority="Urgent", **NOVEMBER)
		self.assertEqual(urgent[self.north].requests, 1)
		doc.db_set("priority", "High", update_modified=False)

	def test_managers_are_told_when_the_server_lacks_memory_for_the_index(self):
		"""The report's index must fit in MariaDB's InnoDB buffer pool; when the table outgrows it, a
		manager reads what to ask for on the report. A customer is not told about the server."""
		from unittest.mock import patch

		from support_policy.glue import report_key

		_columns, rows, message, _chart = execute({"group_by": "Customer", **NOVEMBER})
		self.assertNotIn("innodb_buffer_pool_size", message or "")  # this site's table fits
		with patch.object(report_key, "INDEX_BYTES_PER_REQUEST", 1 << 40):
			message = execute({"group_by": "Customer", **NOVEMBER})[2]
			self.assertIn("innodb_buffer_pool_size", message)
			self.assertIn(str(sum(r.requests for r in rows)), message)  # the summary follows
			self.assertIn("innodb_buffer_pool_size", execute({"show_breached": 1, **NOVEMBER})[2])
			with self.set_user(self.north_user):
				self.assertNotIn("innodb", execute({"group_by": "Customer", **NOVEMBER})[2] or "")

	def test_breached_drill_down(self):
		_columns, rows, _message, chart = execute(
			{"group_by": "Customer", "customer": self.north, "show_breached": 1, **NOVEMBER}
		)
		self.assertIsNone(chart)
		self.assertEqual([r.request for r in rows], [self.r2.name])
		self.assertEqual(rows[0].business_hours_used, 9.0)
		by_agent = execute({"group_by": "Agent", "agent": self.agent1, "show_breached": 1, **NOVEMBER})[1]
		self.assertEqual(by_agent, [])

	def test_customer_user_sees_only_their_own_rows(self):
		for user, own, other in (
			(self.north_user, self.north, self.south),
			(self.south_user, self.south, self.north),
		):
			with self.set_user(user):
				rows = self.by_group(group_by="Customer", **NOVEMBER)
				breached = execute({"group_by": "Customer", "show_breached": 1, **NOVEMBER})[1]
				# Asking for the other customer explicitly gives nothing either.
				asked = self.rows(group_by="Customer", customer=other, **NOVEMBER)
			self.assertEqual(list(rows), [own])
			self.assertEqual(rows[own].requests, 3 if own == self.north else 1)
			self.assertEqual(asked, [])
			self.assertEqual({r.customer for r in breached}, {self.north} if own == self.north else set())

	def test_user_without_read_permission_is_refused(self):
		outsider = make_user("sin-rol@cumplimiento.mx", roles=("Blogger",))
		with self.set_user(outsider), self.assertRaises(frappe.PermissionError):
			execute({"group_by": "Customer", **NOVEMBER})

	def test_compliance_number_card_counts_the_users_rows(self):
		with self.freeze_time(mexico("2026-11-26 12:00:00")), self.set_user(self.north_user):
			card = compliance_this_month()
		# November, Norte: R1 met, R2 breached, R3 undecided.
		self.assertEqual(card["value"], 50.0)
		self.assertEqual(card["route"], ["query-report", "SLA Compliance"])
		# In December nothing of Norte's is decided yet: a dash, not 0 %.
		with self.freeze_time(mexico("2026-12-02 12:00:00")), self.set_user(self.north_user):
			self.assertEqual(compliance_this_month(), "—")
