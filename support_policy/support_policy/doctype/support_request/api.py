"""Whitelisted methods of the Support Request form. Each checks the caller's permission on the
request before anything else."""

import frappe

from support_policy.glue import scope as scope_glue
from support_policy.glue import sla as sla_glue


@frappe.whitelist()
def sla_countdown(request: str) -> dict:
	"""Business time left on each running timer of a request, for the form's countdown."""
	doc = frappe.get_doc("Support Request", request)
	doc.check_permission("read")
	return sla_glue.countdown(doc)


@frappe.whitelist(methods=["POST"])
def override_verdict(request: str, verdict: str, reason: str) -> None:
	"""An agent overrules the scope verdict, with a reason (see ``scope_glue.override_verdict``)."""
	scope_glue.override_verdict(request, verdict, reason)


@frappe.whitelist(methods=["POST"])
def retry_success_pack(request: str) -> None:
	"""An agent retries the Success Pack follow-up of a request (see ``scope_glue.retry_success_pack``:
	write permission and the agents' field level are checked there)."""
	scope_glue.retry_success_pack(request)
