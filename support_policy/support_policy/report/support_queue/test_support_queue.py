import frappe
from frappe.tests.utils import FrappeTestCase

from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user, mexico
from support_policy.support_policy.doctype.support_request.test_support_request import raise_request
from support_policy.support_policy.report.support_queue.support_queue import execute

test_ignore = TEST_IGNORE


class TestSupportQueue(FrappeTestCase):
	def test_open_requests_nearest_deadline_first(self):
		customer = make_customer("Cola de Soporte SA")
		user = make_user("ti@cola-soporte.mx", customer)
		agent = make_user("agente3@proveedor.mx", roles=("Support Agent",))
		make_contract(customer, [user])
		with self.freeze_time(mexico("2026-11-24 10:00:00")):
			low = raise_request(
				user, priority="Low", subject="Duda de usuarios", description="¿Cómo doy de alta un usuario?"
			)
			urgent = raise_request(
				user, priority="Urgent", subject="Sitio caído", description="El sitio no carga, error 502"
			)
			medium = raise_request(
				user, priority="Medium", subject="Contraseña", description="Necesito reiniciar mi contraseña"
			)
			closed = raise_request(
				user, priority="Urgent", subject="Otra caída", description="El sitio no abre"
			)
			closed.reload()
			closed.status = "Closed"
			closed.save()
		frappe.set_user(agent)
		try:
			_columns, rows = execute({})
		finally:
			frappe.set_user("Administrator")
		names = [r.name for r in rows if r.name in {low.name, urgent.name, medium.name, closed.name}]
		# Urgent outage: 30 min (restore target); Medium: 4 h; Low: 8 h. Closed requests are not queued.
		self.assertEqual(names, [urgent.name, medium.name, low.name])
		urgent_row = next(r for r in rows if r.name == urgent.name)
		self.assertEqual(urgent_row.deadline_for, frappe._("First Response"))
		self.assertEqual(urgent_row.next_deadline, mexico("2026-11-24 10:30:00"))
