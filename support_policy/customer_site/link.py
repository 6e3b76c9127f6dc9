"""One command links a customer site to its hub (the provider runs it with what the hub's
Hosted Site → Issue Credentials showed):

    bench --site cliente.example.com execute support_policy.customer_site.link.link_to_hub \\
        --kwargs "{'hub_url': 'https://hub.example.com', 'contract': 'SC-…', 'site_key': 'sk_…', 'site_secret': '…'}"
"""

from __future__ import annotations

import re

import frappe
from frappe import _

from support_policy.customer_site import CUSTOMER_SITE
from support_policy.customer_site.client import HubClient, LinkError


def link_to_hub(hub_url: str, contract: str, site_key: str, site_secret: str, check: bool = True) -> str:
	settings = frappe.get_single("Support Policy Settings")
	settings.update(
		{
			"site_mode": CUSTOMER_SITE,
			"hub_url": hub_url.rstrip("/"),
			"hub_contract": contract,
			"hub_site_key": site_key,
			"hub_site_secret": site_secret,
		}
	)
	settings.save(ignore_permissions=True)
	ensure_request_series()
	frappe.db.commit()
	if check:
		try:
			HubClient(settings).call("changes", {"cursor": 0, "limit": 1})
		except LinkError as exc:
			return _("Linked, but the hub refused the first call: {0}").format(exc.message)
	return _("This site is linked to the support hub {0}.").format(hub_url)


def ensure_request_series() -> None:
	"""Start the counter that names Site Support Requests now. Frappe creates its ``tabSeries`` row on
	first use, after a locking read of the missing row: two people saving the site's first requests
	at the same moment deadlock there. The row's key is what Frappe's ``parse_naming_series`` puts
	before the hashes inside the braces ("" for ``format:SOL-{#####}``)."""
	autoname = frappe.get_meta("Site Support Request").autoname or ""
	match = re.search(r"\{([^{}#]*)#+\}", autoname)
	if match:
		frappe.db.sql("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", (match.group(1),))
