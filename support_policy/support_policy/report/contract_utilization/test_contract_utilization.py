# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Contract Utilization against figures worked out by hand.

The seeded plan allows 10 users and promises delivery 72 hours (around the clock) after signing.
Both contracts run from 1 January to 31 December 2026 and were signed on 2 January at 10:00, so
delivery is due on 5 January at 10:00.
  "Uno": 3 authorized users (30 % of the cap), delivered 3 January (met). Requests: 20 October,
         10, 11 (out of scope) and 12 November: 4 in October-November = 2 months, 2 a month, 25 %
         out of scope.
  "Dos": 1 user, delivered 6 January (missed), no requests.
On 26 November 2026 both are 35 days from renewal.
"""

from frappe.tests.utils import FrappeTestCase

from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import (
	IN_SCOPE,
	OUT_OF_SCOPE,
	raise_request,
)
from support_policy.support_policy.report.contract_utilization.contract_utilization import (
	active_months,
	execute,
)

test_ignore = TEST_IGNORE

PERIOD = {"from_date": "2026-10-01", "to_date": "2026-11-30"}


class TestContractUtilization(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.one = make_customer("Uso Contratos Uno SA")
		cls.two = make_customer("Uso Contratos Dos SA")
		users = [make_user(f"usuario{i}@uso-uno.mx", cls.one) for i in range(3)]
		cls.two_user = make_user("usuario@uso-dos.mx", cls.two)
		cls.contract_one = make_contract(cls.one, users)
		cls.contract_two = make_contract(cls.two, [cls.two_user], delivered_on="2026-01-06 10:00:00")
		for when, fields in (
			("2026-10-20 10:00:00", IN_SCOPE),
			("2026-11-10 10:00:00", IN_SCOPE),
			("2026-11-11 10:00:00", OUT_OF_SCOPE),
			("2026-11-12 10:00:00", IN_SCOPE),
		):
			with FrappeTestCase.freeze_time(None, mexico(when)):
				raise_request(users[0], **fields)
		# Outside the period: not counted.
		with FrappeTestCase.freeze_time(None, mexico("2026-09-15 10:00:00")):
			raise_request(users[1], **IN_SCOPE)

	def rows(self, **filters):
		with self.freeze_time("2026-11-26 12:00:00"):
			_columns, rows, message, _chart = execute({**PERIOD, **filters})
		return {r.customer: r for r in rows}, message

	def test_users_requests_and_renewal(self):
		rows, _message = self.rows(customer=self.one)
		one = rows[self.one]
		self.assertEqual(one.contract, self.contract_one.name)
		self.assertEqual((one.users, one.max_users, one.users_pct), (3, 10, 30.0))
		self.assertEqual((one.requests, one.months, one.requests_per_month), (4, 2, 2.0))
		self.assertEqual((one.out_of_scope, one.out_of_scope_pct), (1, 25.0))
		self.assertEqual((str(one.end_date), one.days_to_renewal), ("2026-12-31", 35))

	def test_delivery_within_72_hours(self):
		rows, message = self.rows(customer=self.one)
		self.assertEqual(str(rows[self.one].delivery_due), "2026-01-05 10:00:00")
		self.assertEqual(rows[self.one].delivery, "Met")
		rows, message = self.rows(customer=self.two)
		two = rows[self.two]
		self.assertEqual((two.delivery, two.requests, two.requests_per_month), ("Missed", 0, 0.0))
		self.assertIn("0 met, 1 missed", message)

	def test_customer_user_sees_only_their_contract(self):
		with self.set_user(self.two_user):
			rows, _message = self.rows()
		self.assertEqual(list(rows), [self.two])

	def test_filters(self):
		rows, _message = self.rows(customer=self.one, status="Expired")
		self.assertEqual(rows, {})
		rows, _message = self.rows(customer=self.one, renewal_within_days=30)
		self.assertEqual(rows, {})
		rows, _message = self.rows(customer=self.one, renewal_within_days=40)
		self.assertEqual(list(rows), [self.one])

	def test_active_months(self):
		self.assertEqual(active_months("2026-01-01", "2026-12-31", "2026-03-15", "2027-03-14"), 10)
		self.assertEqual(active_months("2026-10-01", "2026-11-30", "2026-01-01", "2026-12-31"), 2)
		self.assertEqual(active_months("2026-10-01", "2026-11-30", "2027-01-01", "2027-12-31"), 0)
