import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.glue.scope import override_verdict
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import (
	OUT_OF_SCOPE,
	raise_request,
)
from support_policy.support_policy.report.scope_rule_performance.scope_rule_performance import execute

test_ignore = TEST_IGNORE


class TestScopeRulePerformance(FrappeTestCase):
	def test_hits_overrides_and_precision_per_rule(self):
		customer = make_customer("Reporte de Reglas SA")
		user = make_user("ti@reporte-reglas.mx", customer)
		agent = make_user("agente2@proveedor.mx", roles=("Support Agent",))
		make_contract(customer, [user])
		with self.freeze_time(mexico("2026-10-05 10:00:00")):
			first = raise_request(user, **OUT_OF_SCOPE)
			raise_request(user, **OUT_OF_SCOPE)
		self.assertTrue(first.scope_rule)
		frappe.set_user(agent)
		try:
			override_verdict(first.name, "In scope", "Solo pregunta por la plantilla oficial")
		finally:
			frappe.set_user("Administrator")

		_columns, rows, _message, chart = execute({"from_date": "2026-10-01", "to_date": "2026-10-31"})
		row = next(r for r in rows if r.rule == first.scope_rule)
		self.assertEqual((row.hits, row.overrides, row.precision), (2, 1, 50.0))
		self.assertIn(first.scope_rule, chart["data"]["labels"])
