"""A customer's own ERPNext linked to the provider's hub (Support Policy Settings → This Site Is:
Customer Site).

- ``outbox``: Site Support Request and its Site Link Outbox row are written in one transaction; a
  background job sends due rows with their idempotency keys and marks a row delivered only when the
  hub's reference comes back (transactional outbox).
- ``feed``: pulls the hub's change sequence with an integer cursor and applies it (pull-based
  change feed).
- ``client``: the signed HTTP calls (``requests``, timeouts).
- ``api``: the desk's buttons (reply, recent errors, send again).
- ``link``: one command that links this site to its hub.

A customer site never decides scope or SLA: it shows what the hub decided.
"""

import frappe
from frappe import _

CUSTOMER_SITE = "Customer Site"


def commit() -> None:
	"""Commit what a job has done so far (tests keep their own transaction)."""
	if not frappe.flags.in_test:
		frappe.db.commit()


def is_customer_site() -> bool:
	# Cached (Redis, cleared when the settings are saved): asked on every save of a request.
	return frappe.get_cached_doc("Support Policy Settings").get("site_mode") == CUSTOMER_SITE


def refuse_local_requests() -> None:
	"""Support Request (scope and SLA) lives on the hub only."""
	if is_customer_site():
		frappe.throw(
			_("This site is linked to the support hub: raise requests from Soporte → Nueva solicitud."),
			title=_("Customer Site"),
		)
