"""Who is who, for every permission check of the app.

- ``rules``: row-level rules of our doctypes and of the Frappe doctypes that carry our records
  (``permission_query_conditions`` and ``has_permission`` in hooks.py).
- ``overrides``: checked replacements for Frappe methods that check no row-level permission
  (``override_whitelisted_methods`` in hooks.py).
"""

import frappe

STAFF_ROLES = frozenset(("Support Agent", "Support Manager", "System Manager", "Administrator"))
CUSTOMER_ROLE = "Support Customer"


def is_staff(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


def is_customer_user(user: str | None = None) -> bool:
	"""A user of a customer company: role Support Customer and no staff role."""
	user = user or frappe.session.user
	if user in ("Administrator", "Guest"):
		return False
	roles = frappe.get_roles(user)
	return CUSTOMER_ROLE in roles and not STAFF_ROLES.intersection(roles)


def customers_of(user: str) -> list[str]:
	"""Customers whose contracts in force (``CONTRACT_IN_FORCE``, not past their end date) list
	``user`` as an authorized user today; none for a disabled user. Every customer-facing permission
	derives from this, so removing the user from the contract, ending the contract or disabling the
	User revokes access at once."""
	from support_policy.support_policy.doctype.support_contract.support_contract import contracts_in_force

	if not user or not frappe.db.get_value("User", user, "enabled"):
		return []
	query, contract = contracts_in_force(user)
	return sorted(query.select(contract.customer).distinct().run(pluck=True))
