# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Out-of-Scope and Success Pack against figures worked out by hand.

Customer "Alcance" (all requests through the real intake; each out-of-scope one gets its Success
Pack quotation, a Draft while it has no price):
  Q6  Thu Oct 1   data import: out of scope; quotation priced and submitted, its validity (30 days)
                  ends in October, so ERPNext's daily job marks it Expired.
  Q1  Tue Nov 10  data import: out of scope; quotation left as Draft.
  Q2  Wed Nov 11  data import: out of scope; quotation priced, submitted, then ordered (Sales Order).
  Q3  Thu Nov 12  data import: out of scope; quotation priced, submitted, then lost.
  Q4  Thu Nov 12  password question: in scope, an agent overrules it to out of scope (quotation made
                  then, Draft).
  Q5  Fri Nov 13  data import: out of scope, an agent overrules it to in scope (its Draft quotation
                  stays).
November, data import: flagged Q1 Q2 Q3 Q5 = 4, still out of scope 3, overruled 1, quotations 4
(Draft 2, Ordered 1, Lost 1), sold 1 of 3 = 33.3 %. The password question's category: 1 flagged,
1 overruled, 1 Draft quotation, 0 %.
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from support_policy.glue.reporting import success_pack_quotes_this_month
from support_policy.glue.scope import override_verdict
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import (
	IN_SCOPE,
	OUT_OF_SCOPE,
	raise_request,
)
from support_policy.support_policy.report.out_of_scope_and_success_pack.out_of_scope_and_success_pack import (
	execute,
)

test_ignore = TEST_IGNORE

AUTUMN = {"from_date": "2026-10-01", "to_date": "2026-11-30"}


def frozen(at):
	return FrappeTestCase.freeze_time(None, at)


def raise_at(user, at, fields):
	with frozen(at):
		doc = raise_request(user, **fields)
	doc.reload()
	return doc


def price_and_submit(quotation_name, rate, at):
	with frozen(at):
		quotation = frappe.get_doc("Quotation", quotation_name)
		quotation.items[0].rate = rate
		quotation.submit()
	return quotation


def overrule(agent, request, verdict, reason, at):
	with frozen(at):
		frappe.set_user(agent)
		try:
			override_verdict(request.name, verdict, reason)
		finally:
			frappe.set_user("Administrator")
	request.reload()
	return request


class TestOutOfScopeAndSuccessPack(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from erpnext.selling.doctype.quotation.quotation import make_sales_order, set_expired_status

		# The quotations start unpriced (drafts the provider prices): no list price for the Success
		# Pack, and ERPNext must not make one from the first priced quotation (its default).
		item = frappe.db.get_single_value("Support Policy Settings", "success_pack_item")
		frappe.db.delete("Item Price", {"item_code": item})
		frappe.db.set_single_value("Stock Settings", "auto_insert_price_list_rate_if_missing", 0)
		cls.customer = make_customer("Alcance y Ventas SA")
		cls.user = make_user("ti@alcance-ventas.mx", cls.customer)
		cls.agent = make_user("agente-alcance@proveedor.mx", roles=("Support Agent",))
		make_contract(cls.customer, [cls.user])
		user = cls.user

		cls.q6 = raise_at(user, mexico("2026-10-01 10:00:00"), OUT_OF_SCOPE)
		price_and_submit(cls.q6.success_pack_quotation, 4000, mexico("2026-10-01 11:00:00"))
		cls.q1 = raise_at(user, mexico("2026-11-10 10:00:00"), OUT_OF_SCOPE)
		cls.q2 = raise_at(user, mexico("2026-11-11 10:00:00"), OUT_OF_SCOPE)
		price_and_submit(cls.q2.success_pack_quotation, 5000, mexico("2026-11-11 12:00:00"))
		with frozen(mexico("2026-11-16 12:00:00")):
			order = make_sales_order(cls.q2.success_pack_quotation)
			order.delivery_date = "2026-11-30"
			order.payment_schedule = []  # recomputed from the order's own date
			order.submit()
		cls.q3 = raise_at(user, mexico("2026-11-12 10:00:00"), OUT_OF_SCOPE)
		lost = price_and_submit(cls.q3.success_pack_quotation, 7000, mexico("2026-11-12 12:00:00"))
		if not frappe.db.exists("Quotation Lost Reason", "Precio"):
			frappe.get_doc({"doctype": "Quotation Lost Reason", "order_lost_reason": "Precio"}).insert()
		lost.declare_enquiry_lost([{"lost_reason": "Precio"}], [])
		cls.q4 = raise_at(user, mexico("2026-11-12 11:00:00"), IN_SCOPE)
		cls.q4 = overrule(
			cls.agent, cls.q4, "Out of scope", "Pide una capacitación", mexico("2026-11-12 12:00:00")
		)
		cls.q5 = raise_at(user, mexico("2026-11-13 10:00:00"), OUT_OF_SCOPE)
		cls.q5 = overrule(
			cls.agent, cls.q5, "In scope", "Solo pregunta por la plantilla", mexico("2026-11-13 11:00:00")
		)
		set_expired_status()  # today (26 November 2026) is past Q6's validity

	def quotation(self, request):
		return frappe.get_doc("Quotation", request.success_pack_quotation)

	def rows(self, **filters):
		_columns, rows, _message, _chart = execute({"customer": self.customer, **AUTUMN, **filters})
		return {(r.period, r.category): r for r in rows}

	def test_the_data_set_is_what_the_figures_assume(self):
		statuses = [self.quotation(r).status for r in (self.q6, self.q1, self.q2, self.q3, self.q4, self.q5)]
		self.assertEqual(statuses, ["Expired", "Draft", "Ordered", "Lost", "Draft", "Draft"])
		self.assertEqual(self.q1.scope_category, "Data Import")
		self.assertEqual((self.q4.scope_verdict, self.q5.scope_verdict), ("Out of scope", "In scope"))

	def test_by_month_and_category(self):
		rows = self.rows()
		imports = rows[("2026-11", "Data Import")]
		self.assertEqual(
			(imports.flagged, imports.out_of_scope, imports.overridden, imports.overrides), (4, 3, 1, 1)
		)
		self.assertEqual(
			(imports.quotations, imports.draft, imports.open, imports.ordered, imports.lost, imports.expired),
			(4, 2, 0, 1, 1, 0),
		)
		self.assertEqual((imports.converted, imports.conversion), (1, 33.3))
		ordered, lost = self.quotation(self.q2), self.quotation(self.q3)
		self.assertGreaterEqual(ordered.base_grand_total, 5000)
		self.assertEqual(imports.quoted_amount, flt(ordered.base_grand_total + lost.base_grand_total, 2))
		self.assertEqual(imports.won_amount, flt(ordered.base_grand_total, 2))

		overruled = rows[("2026-11", self.q4.scope_category or "")]
		self.assertEqual(
			(overruled.flagged, overruled.out_of_scope, overruled.overridden, overruled.draft),
			(1, 1, 1, 1),
		)
		self.assertEqual(overruled.conversion, 0.0)

		october = rows[("2026-10", "Data Import")]
		self.assertEqual((october.flagged, october.quotations, october.expired), (1, 1, 1))
		self.assertEqual(october.quoted_amount, flt(self.quotation(self.q6).base_grand_total, 2))

	def test_by_quarter_and_category_filter(self):
		rows = self.rows(period="Quarter", category="Data Import")
		self.assertEqual(list(rows), [("2026-Q4", "Data Import")])
		self.assertEqual(
			(rows[("2026-Q4", "Data Import")].flagged, rows[("2026-Q4", "Data Import")].ordered), (5, 1)
		)

	def test_message_and_chart(self):
		_columns, _rows, message, chart = execute({"customer": self.customer, **AUTUMN})
		self.assertEqual(chart["data"]["labels"], ["2026-10", "2026-11"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [1, 4])  # out of scope now
		self.assertIn("6", message)

	def test_request_list(self):
		_columns, rows, _message, _chart = execute({"customer": self.customer, "show_requests": 1, **AUTUMN})
		self.assertEqual(
			[r.request for r in rows],
			[self.q6.name, self.q1.name, self.q2.name, self.q3.name, self.q4.name, self.q5.name],
		)
		by_name = {r.request: r for r in rows}
		self.assertEqual(by_name[self.q5.name].overrides, 1)
		self.assertEqual(by_name[self.q2.name].quotation_status, "Ordered")

	def test_success_pack_card_counts_the_users_quotations_this_month(self):
		with self.freeze_time(mexico("2026-11-26 12:00:00")), self.set_user(self.user):
			card = success_pack_quotes_this_month()
		self.assertEqual(card["value"], 5)  # Q1 to Q5; Q6 is from October
