"""Test-site preparation. ``bench run-tests --app support_policy`` runs only our before_tests, not
ERPNext's, so we complete the ERPNext setup our tests need (company, fiscal year, item groups, units)
with the setup wizard ERPNext itself uses, then seed the app's records."""

import frappe
from frappe.utils import now_datetime

# Frappe's runner would build test records for every linked ERPNext doctype, recursively; our tests
# build the few real records they need with the builders below.
TEST_IGNORE = [
	"Company",
	"Contact",
	"Currency",
	"Customer",
	"Email Account",
	"Holiday List",
	"Item",
	"Language",
	"Quotation",
	"Sales Invoice",
	"Sales Taxes and Charges Template",
	"User",
]


def before_tests():
	frappe.clear_cache()
	complete_erpnext_setup()
	ensure_outgoing_email_account()
	from support_policy.setup.install import setup

	setup()
	frappe.db.commit()


def complete_erpnext_setup():
	"""ERPNext's setup wizard, as a provider in Mexico would fill it in, and fiscal years for the
	years tests travel to."""
	if not frappe.db.a_row_exists("Company"):
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		year = now_datetime().year
		setup_complete(
			{
				"currency": "MXN",
				"full_name": "Test User",
				"company_name": "Hosting de Prueba",
				"timezone": "America/Mexico_City",
				"company_abbr": "HP",
				"industry": "Technology",
				"country": "Mexico",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "english",
				"company_tagline": "Testing",
				"email": "test@example.com",
				"password": "test",
				"chart_of_accounts": "Standard",
			}
		)
	ensure_fiscal_years()


def ensure_outgoing_email_account():
	"""Mail in tests stops at the Email Queue; Frappe still wants a default outgoing account."""
	if not frappe.db.exists("Email Account", {"default_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "Soporte (pruebas)",
				"email_id": "soporte@proveedor.test",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def mexico(value: str):
	"""A Mexico City wall-clock time as the site stores it (naive, in the site's own time zone), so
	tests read in the policy's terms whatever time zone the server runs in."""
	from datetime import datetime
	from zoneinfo import ZoneInfo

	from support_policy.glue.timeutil import stored

	return stored(datetime.fromisoformat(value).replace(tzinfo=ZoneInfo("America/Mexico_City")))


def ensure_fiscal_years():
	"""Tests freeze time in past and future years; ERPNext refuses documents outside a fiscal year."""
	from erpnext.accounts.utils import get_fiscal_year

	company = frappe.db.get_value("Company", {}, "name")
	for year in range(2020, now_datetime().year + 3):
		try:
			get_fiscal_year(f"{year}-06-30", company=company)
		except Exception:
			frappe.get_doc(
				{
					"doctype": "Fiscal Year",
					"year": str(year),
					"year_start_date": f"{year}-01-01",
					"year_end_date": f"{year}-12-31",
				}
			).insert(ignore_permissions=True)


# ---------------------------------------------------------------------------------------------
# Builders shared by the integration tests (real ERPNext Customers, Contacts, Users).


def seeded_plan() -> str:
	from support_policy.setup.install import SEED_PLAN

	return frappe.db.get_value(
		"Support Plan", {"plan_title": SEED_PLAN["plan_title"], "policy_version": SEED_PLAN["policy_version"]}
	)


def current_plan(version: str = "2022") -> str:
	"""A version of the seeded plan valid from 2022 on, made with "New version" like a provider would."""
	from support_policy.support_policy.doctype.support_plan.support_plan import new_version

	plan = seeded_plan()
	title = frappe.db.get_value("Support Plan", plan, "plan_title")
	existing = frappe.db.get_value("Support Plan", {"plan_title": title, "policy_version": version})
	return existing or new_version(plan, version, "2022-01-01", None)


def make_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
	return name


def make_user(email: str, customer: str | None = None, roles=("Support Customer",)) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"language": "es",
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		)
		user.insert(ignore_permissions=True)
		user.add_roles(*roles)
	if customer and not frappe.db.exists("Contact", {"email_id": email}):
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": email.split("@")[0],
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
				"user": email,
			}
		)
		contact.insert(ignore_permissions=True)
	return email


def make_contract(
	customer: str, users=(), start="2026-01-01", signed_on="2026-01-02 10:00:00", delivered=True, **kw
):
	doc = frappe.get_doc(
		{
			"doctype": "Support Contract",
			"customer": customer,
			"support_plan": kw.pop("plan", None) or current_plan(),
			"start_date": start,
			"signed_on": signed_on,
			"delivered_on": "2026-01-03 10:00:00" if delivered else None,
			"authorized_users": [{"user": u} for u in users],
			**kw,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc


def active_contract(
	customer: str, users, start_months_ago: int = 1, reuse: bool = False, contacts: bool = False, **kw
) -> str:
	"""A delivered (Active) contract that started ``start_months_ago`` months ago and authorizes
	``users`` (a user or a list), with their Contacts when ``contacts``. With ``reuse``, the contract
	already authorizing the first user is returned instead of a new one."""
	from frappe.utils import add_days, add_months, nowdate

	from support_policy.support_policy.doctype.support_contract.support_contract import contract_for_user

	users = [users] if isinstance(users, str) else list(users)
	if reuse:
		contract, _reason = contract_for_user(users[0])
		if contract:
			return contract
	start = add_months(nowdate(), -start_months_ago)
	doc = frappe.get_doc(
		{
			"doctype": "Support Contract",
			"customer": customer,
			"support_plan": current_plan(),
			"start_date": start,
			"signed_on": f"{start} 10:00:00",
			"delivered_on": f"{add_days(start, 1)} 10:00:00",
			"authorized_users": [
				{
					"user": user,
					"contact": frappe.db.get_value("Contact", {"user": user}) if contacts else None,
				}
				for user in users
			],
			**kw,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name
