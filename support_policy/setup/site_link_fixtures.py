"""Two test sites linked to each other, for tests/http/test_site_link.py and the benchmark.

On the hub (commits; never on a production site):

	bench --site HUB execute support_policy.setup.site_link_fixtures.setup_hub --kwargs "{'site_url': 'http://cust.localhost:8023'}"

prints the credentials; then on the customer site:

	bench --site CUSTOMER execute support_policy.setup.site_link_fixtures.setup_customer --kwargs "{...}"

with those credentials and the hub URL the customer site must call (e.g. a fault-injecting proxy).
"""

import frappe
from frappe.utils import add_days, now_datetime

from support_policy.setup.http_fixtures import DEFAULT_PASSWORD, PASSWORD_ENV

CUSTOMER = "Cementos Enlace SA de CV"
REQUESTER = "solicitante@cementos-enlace.test"
OUTSIDER = "ajeno@cementos-enlace.test"


def password() -> str:
	import os

	return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def setup_hub(site_url: str) -> dict:
	from support_policy.hub.credentials import issue
	from support_policy.setup.testing import active_contract, before_tests, make_customer, make_user

	if not frappe.db.get_single_value("Support Policy Settings", "default_plan"):
		before_tests()
	make_customer(CUSTOMER)
	make_user(REQUESTER, CUSTOMER)
	contract = frappe.db.get_value(
		"Support Contract", {"customer": CUSTOMER, "status": "Active"}
	) or active_contract(CUSTOMER, REQUESTER)
	site = frappe.db.get_value("Hosted Site", {"site_url": site_url.rstrip("/")})
	if not site:
		site = (
			frappe.get_doc({"doctype": "Hosted Site", "site_url": site_url, "contract": contract})
			.insert(ignore_permissions=True)
			.name
		)
	# Linked a day ago: the tests' requests are all saved after the link existed.
	frappe.db.set_value(
		"Hosted Site",
		site,
		{
			"status": "Active",
			"credentials_expire_on": None,
			"contract": contract,
			"linked_on": add_days(now_datetime(), -1),
		},
	)
	issued = issue(site)
	frappe.db.commit()
	return issued


def setup_customer(
	hub_url: str, contract: str, site_key: str, site_secret: str, hub_timeout: int = 10
) -> dict:
	"""``hub_timeout``: seconds this site waits for the hub's answer (short, so a test's hung hub
	is given up on quickly)."""
	from frappe.installer import update_site_config

	from support_policy.customer_site.link import link_to_hub
	from support_policy.setup.testing import complete_erpnext_setup

	complete_erpnext_setup()  # a customer's ERPNext is set up: no setup wizard in the way of the desk
	update_site_config("support_policy_hub_timeout", hub_timeout)

	for email, roles in ((REQUESTER, ("Support Requester",)), (OUTSIDER, ("Support Requester",))):
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0].capitalize(),
					"language": "es",
					"send_welcome_email": 0,
					"user_type": "System User",
					"new_password": password(),
				}
			).insert(ignore_permissions=True)
			user.add_roles(*roles)
	message = link_to_hub(hub_url, contract, site_key, site_secret, check=False)
	frappe.db.commit()
	return {"message": message, "requester": REQUESTER, "outsider": OUTSIDER}
