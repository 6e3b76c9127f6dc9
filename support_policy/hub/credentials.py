"""Per-site credentials: a public key and a secret (Password field) on each Hosted Site.

A call is accepted only if its signature matches the site's current secret and the contract it
names is the site's contract, the site is Active and its credentials have not expired. Issuing new
credentials replaces the old ones at once; Suspended or Revoked sites are cut off on their next call.
"""

from __future__ import annotations

import time

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate
from frappe.utils.password import get_decrypted_password

from support_policy.delivery import signing

KEY_HEADER = "X-Site-Key"
TIMESTAMP_HEADER = "X-Site-Timestamp"
SIGNATURE_HEADER = "X-Site-Signature"
CONTRACT_HEADER = "X-Site-Contract"
# The hub acts for a verified site as this user (role Support Agent, no password: it cannot log in),
# so what the site sends is recorded, and the Success Pack offer is mailed, as by any other channel.
INTEGRATION_USER = "site-link@support-policy.invalid"


def issue(hosted_site: str) -> dict:
	"""New key and secret for a Hosted Site (the old ones stop working). Returns them once."""
	site = frappe.get_doc("Hosted Site", hosted_site)
	key, secret = signing.new_key(), signing.new_secret()
	site.site_key = key
	site.site_secret = secret
	site.linked_on = site.linked_on or now_datetime()
	site.flags.ignore_permissions = True
	site.save()
	site.add_comment("Info", _("New credentials issued; the previous ones no longer work."))
	return {
		"hosted_site": site.name,
		"hub_url": frappe.utils.get_url(),
		"contract": site.contract,
		"site_key": key,
		"site_secret": secret,
	}


def refuse(message: str, status: int = 401):
	frappe.local.response["http_status_code"] = status
	exc = frappe.AuthenticationError if status == 401 else frappe.PermissionError
	frappe.throw(message, exc, title=_("Site Link Refused"))


def authenticate():
	"""The Hosted Site making this call, or a refusal that says why (never naming another site)."""
	request = frappe.request
	key = request.headers.get(KEY_HEADER)
	contract = request.headers.get(CONTRACT_HEADER) or ""
	name = key and frappe.db.get_value("Hosted Site", {"site_key": key}, "name")
	if not name:
		refuse(_("Unknown site key: this site is not linked to the support hub."))
	secret = get_decrypted_password("Hosted Site", name, "site_secret", raise_exception=False)
	if not secret:
		refuse(_("Unknown site key: this site is not linked to the support hub."))
	problem = signing.check(
		secret,
		request.headers.get(SIGNATURE_HEADER),
		request.headers.get(TIMESTAMP_HEADER),
		request.method,
		request.path,
		contract,
		request.get_data(),
		time.time(),
	)
	if problem == signing.STALE:
		refuse(
			_(
				"The call's signature has expired (it is more than {0} minutes old). Check the clock of the customer site."
			).format(signing.MAX_SKEW_SECONDS // 60)
		)
	if problem:
		refuse(
			_(
				"The call's signature does not match: the request was altered or the site secret is wrong. Issue new credentials for the site."
			)
		)
	site = frappe.get_doc("Hosted Site", name)
	if contract != site.contract:
		refuse(_("These credentials cannot act for contract {0}.").format(contract), 403)
	if site.status != "Active":
		refuse(
			_("The link of this site with the support hub is {0}. Contact your provider.").format(
				_(site.status)
			),
			403,
		)
	if site.credentials_expire_on and getdate(site.credentials_expire_on) < getdate(nowdate()):
		refuse(
			_("The credentials of this site expired on {0}. Ask your provider for new ones.").format(
				frappe.format(site.credentials_expire_on, "Date")
			)
		)
	frappe.set_user(integration_user())
	return site


def integration_user() -> str:
	if not frappe.db.exists("User", INTEGRATION_USER):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": INTEGRATION_USER,
				"first_name": "Site Link",
				"user_type": "System User",
				"send_welcome_email": 0,
			}
		)
		user.flags.ignore_permissions = True
		user.flags.no_welcome_mail = True
		user.insert()
		user.add_roles("Support Agent")
	return INTEGRATION_USER
