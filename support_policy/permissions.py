"""Row-level isolation: a Support Customer sees only the requests and contracts of the customers
they are authorized for. Agents, managers and system managers see everything their role allows.

Frappe calls ``permission_query_conditions`` for lists, reports, link searches and the REST API, and
``has_permission`` for single documents; both are wired in hooks.py.
"""

import frappe

STAFF_ROLES = frozenset(("Support Agent", "Support Manager", "System Manager", "Administrator"))


def is_staff(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


def customers_of(user: str) -> list[str]:
	"""Customers whose contracts (in any status) list ``user`` as an authorized user."""
	contract = frappe.qb.DocType("Support Contract")
	member = frappe.qb.DocType("Support Contract User")
	rows = (
		frappe.qb.from_(contract)
		.join(member)
		.on(member.parent == contract.name)
		.select(contract.customer)
		.distinct()
		.where((member.parenttype == "Support Contract") & (member.user == user))
	).run(pluck=True)
	return sorted(rows)


def _customer_condition(table: str, user: str, extra: str = "") -> str:
	customers = customers_of(user)
	parts = []
	if customers:
		parts.append(f"`tab{table}`.`customer` in ({', '.join(frappe.db.escape(c) for c in customers)})")
	if extra:
		parts.append(extra)
	return "(" + " or ".join(parts) + ")" if parts else "1=0"


def support_request_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return _customer_condition(
		"Support Request", user, f"`tabSupport Request`.`raised_by` = {frappe.db.escape(user)}"
	)


def support_contract_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return _customer_condition("Support Contract", user)


def support_request_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if is_staff(user):
		return None
	if doc.get("__islocal") or doc.is_new():
		return None
	if doc.raised_by == user or (doc.customer and doc.customer in customers_of(user)):
		return None
	return False


def support_contract_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if is_staff(user):
		return None
	if doc.customer in customers_of(user):
		return None
	return False
