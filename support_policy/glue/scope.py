"""Support Request <-> scope core: classify new requests with the Scope Rule records, flag excluded
work, offer a Success Pack quotation and tell the customer, in Spanish, which clause applies.

The Success Pack follow-up (quotation and message) never runs inside the customer's save: it is a
background job queued after the request is committed, one per request (deduplicated). The job is
idempotent (it locks the request and does nothing once the follow-up is sent), retried, and a final
failure is written on the request for the agents, who can retry it from the form.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, cint, cstr, get_url, now_datetime, nowdate, strip_html

from support_policy import scope
from support_policy.glue import cache
from support_policy.scope.categories import SCOPE_LABELS, by_code, by_label

RULE_CONTENT_FIELDS = (
	"title",
	"verdict",
	"category",
	"phrases",
	"regex",
	"order",
	"enabled",
	"support_plan",
	"message",
)


def rule_record(values) -> dict:
	"""A Scope Rule record (a document or a row) in the shape the scope core reads."""
	record = {field: values.get(field) for field in RULE_CONTENT_FIELDS if field != "support_plan"}
	record["name"] = values.get("name") or values.get("title")
	record["plan"] = values.get("support_plan") or ""
	return record


RULES_KIND = "scope_rules"


def active_rules():
	"""Enabled Scope Rule records as a compiled matcher, kept per process until a rule is saved or
	deleted (``invalidate_rules``), so an edited, added, removed or disabled rule takes effect on the
	next request without a restart."""

	def build():
		rows = frappe.get_all("Scope Rule", filters={"enabled": 1}, fields=["name", *RULE_CONTENT_FIELDS])
		return scope.compile_rules(scope.rules_from_records([rule_record(row) for row in rows]))

	return cache.cached(RULES_KIND, "enabled", build)


def invalidate_rules(doc=None, method=None) -> None:
	cache.invalidate(RULES_KIND)


def classify(doc):
	selected = by_label(doc.category) if doc.category else None
	# The HTML as received: the scope core reads the mail clients' quote containers in it, and keeps
	# only what the customer wrote in this message (the request keeps the full text).
	result = scope.classify(
		doc.subject,
		cstr(doc.description),
		rules=active_rules(),
		category=selected.code if selected else None,
		plan=doc.support_plan,
		learned=not frappe.db.get_single_value("Support Policy Settings", "no_learned_scope"),
	)
	return result


def apply_verdict(doc) -> None:
	"""Called from Support Request.validate on a new request (any channel)."""
	result = classify(doc)
	doc.scope_verdict = scope.VERDICT_LABELS[result.verdict]
	doc.scope_category = by_code(result.category).label if result.category else None
	doc.scope_rule = (
		result.rules[0] if result.rules and frappe.db.exists("Scope Rule", result.rules[0]) else None
	)
	doc.scope_evidence = ", ".join(result.evidence)
	if result.verdict == "out_of_scope" and doc.contract:
		doc.status = "Out of Scope"
		doc.flags.notify_out_of_scope = True
		doc.success_pack_status = PREPARING


def after_insert(doc) -> None:
	if doc.flags.notify_out_of_scope:
		offer_success_pack(doc)


# Success Pack follow-up states (Support Request.success_pack_status).
PREPARING = "Quotation Being Prepared"
SENT = "Quotation Sent"
FAILED = "Follow-up Failed"
MAX_ATTEMPTS = 3
# A follow-up still being prepared this long after the request was saved lost its job (a worker
# died): the 5-minute sweep queues it again.
STALLED_AFTER_MINUTES = 10


def offer_success_pack(doc) -> None:
	"""Queue the Success Pack quotation and the customer's message for after the request is
	committed. Nothing here can fail the customer's save."""
	if doc.success_pack_status != PREPARING:
		doc.db_set({"success_pack_status": PREPARING, "success_pack_error": None}, update_modified=False)
	enqueue_success_pack(doc.name)


def enqueue_success_pack(request: str) -> None:
	now = bool(frappe.flags.in_test)
	frappe.enqueue(
		"support_policy.glue.scope.run_success_pack",
		queue="short",
		job_id=f"support_policy:success_pack:{request}",
		deduplicate=True,
		enqueue_after_commit=True,
		now=now,
		request=request,
	)


def run_success_pack(request: str) -> str | None:
	"""The background job: create the quotation and send the message, once. Returns the follow-up
	state. A failure is rolled back to this job's savepoint (never further), counted, and retried
	until MAX_ATTEMPTS; then the request says why, for the agents."""
	frappe.db.savepoint("success_pack")
	try:
		return follow_up(request)
	except Exception as error:
		frappe.db.rollback(save_point="success_pack")
		state = record_failure(request, error)
		if state == PREPARING and not frappe.flags.in_test:
			frappe.db.commit()  # keep the count of attempts, then let the job runner retry
			raise frappe.RetryBackgroundJobError(str(error)) from error
		return state


def follow_up(request: str) -> str | None:
	# The row lock makes a retry and the sweep wait for each other; the second finds it done.
	doc = frappe.get_doc("Support Request", request, for_update=True)
	if doc.success_pack_status != PREPARING:
		return doc.success_pack_status
	if doc.status != "Out of Scope":  # overruled in the meantime: nothing to offer
		doc.db_set({"success_pack_status": None, "success_pack_error": None}, update_modified=False)
		return None
	quotation = make_quotation(doc)
	send_out_of_scope_message(doc, quotation)
	doc.db_set(
		{
			"success_pack_quotation": quotation.name if quotation else doc.success_pack_quotation,
			"success_pack_status": SENT,
			"success_pack_error": None,
		},
		update_modified=False,
	)
	# i13-sites: the quotation is linked without a save; linked customer sites hear of it too.
	from support_policy.hub import feed

	feed.on_request_update(doc, force=True)
	return SENT


def record_failure(request: str, error: Exception) -> str:
	attempts = cint(frappe.db.get_value("Support Request", request, "success_pack_attempts")) + 1
	state = FAILED if attempts >= MAX_ATTEMPTS else PREPARING
	reason = f"{type(error).__name__}: {cstr(error) or _('no message')}"[:500]
	frappe.db.set_value(
		"Support Request",
		request,
		{
			"success_pack_attempts": attempts,
			"success_pack_status": state,
			"success_pack_error": _("Attempt {0} of {1} failed: {2}").format(attempts, MAX_ATTEMPTS, reason),
		},
		update_modified=False,
	)
	frappe.log_error(
		title=_("Success Pack follow-up failed for {0}").format(request),
		reference_doctype="Support Request",
		reference_name=request,
	)
	return state


def retry_success_pack(request: str) -> None:
	"""An agent retries a failed (or stalled) follow-up from the form."""
	doc = frappe.get_doc("Support Request", request)
	doc.check_permission("write")
	if 2 not in doc.get_permlevel_access("write"):
		frappe.throw(_("Only support agents can retry the Success Pack follow-up"), frappe.PermissionError)
	if doc.status != "Out of Scope":
		frappe.throw(_("The request is no longer out of scope: there is no Success Pack to offer"))
	if doc.success_pack_status == SENT:
		frappe.throw(_("The Success Pack quotation was already sent"))
	doc.db_set(
		{"success_pack_status": PREPARING, "success_pack_error": None, "success_pack_attempts": 0},
		update_modified=False,
	)
	enqueue_success_pack(doc.name)


def queue_stalled_success_packs() -> int:
	"""Cron: follow-ups still being prepared long after their request was saved (their job died with
	its worker) are queued again; a job that is still queued or running is not duplicated."""
	request = frappe.qb.DocType("Support Request")
	cutoff = add_to_date(now_datetime(), minutes=-STALLED_AFTER_MINUTES)
	names = (
		frappe.qb.from_(request)
		.select(request.name)
		.where((request.success_pack_status == PREPARING) & (request.modified < cutoff))
		.limit(500)
	).run(pluck=True)
	for name in names:
		enqueue_success_pack(name)
	return len(names)


def make_quotation(doc):
	settings = frappe.get_cached_doc("Support Policy Settings")
	if settings.quote_page_url or not (settings.success_pack_item and settings.company and doc.customer):
		return None
	existing = doc.success_pack_quotation
	if existing:
		return frappe.get_doc("Quotation", existing)
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": doc.customer,
			"company": settings.company,
			"transaction_date": nowdate(),
			"valid_till": add_days(nowdate(), 30),
			"order_type": "Sales",
			"items": [
				{
					"item_code": settings.success_pack_item,
					"qty": 1,
					"description": _("Success Pack for request {0}: {1}").format(doc.name, doc.subject),
				}
			],
		}
	)
	quotation.flags.ignore_permissions = True
	quotation.insert()
	# Submitted quotations are what ERPNext's customer portal shows; one without a price waits as a
	# draft for the provider to price it.
	if quotation.grand_total > 0:
		quotation.reload()  # the stored timestamp, so the submit's freshness check compares like with like
		quotation.submit()
	quotation.add_comment("Info", _("Created from out-of-scope support request {0}").format(doc.name))
	return quotation


QUOTATION_LINK_DAYS = 30


def quotation_url(quotation: str | None) -> str | None:
	"""Where a customer reads their Success Pack quotation, by mail or on their own site: the page the
	settings name (Quote Page URL), else the submitted quotation's print view with a Frappe Document
	Share Key, which opens without an account on the hub and lasts until the quotation's Valid Till
	(30 days from its date when it has none). A draft (not priced yet) has no link: an advisor sends it."""
	from urllib.parse import urlencode

	from frappe.utils import getdate

	from support_policy.glue import mail

	page = frappe.get_cached_doc("Support Policy Settings").quote_page_url
	if page:
		return page
	if not quotation:
		return None
	doc = frappe.get_doc("Quotation", quotation)
	if doc.docstatus != 1:
		return None
	expires = (
		getdate(doc.valid_till)
		if doc.valid_till
		else getdate(add_days(doc.transaction_date, QUOTATION_LINK_DAYS))
	)
	key = doc.get_document_share_key(expires_on=expires)
	query = urlencode(
		{"doctype": "Quotation", "name": doc.name, "key": key, "_lang": mail.customer_language()}
	)
	return get_url(f"/printview?{query}")


def on_quotation_submit(doc, method=None) -> None:
	"""Quotation.on_submit: a Success Pack quotation priced and submitted by the provider now has a
	link; the customer sites that show its request hear of it."""
	from support_policy.hub import feed

	for name in frappe.get_all("Support Request", filters={"success_pack_quotation": doc.name}, pluck="name"):
		feed.on_request_update(frappe.get_doc("Support Request", name), force=True)


def customer_message(doc, quotation=None, lang: str = "es") -> tuple[str, str]:
	"""(subject, html) of the message the customer receives when a request is out of scope."""
	category = by_label(doc.scope_category) if doc.scope_category else None
	rule_message = frappe.db.get_value("Scope Rule", doc.scope_rule, "message") if doc.scope_rule else ""
	link = quotation_url(quotation.name) if quotation else quotation_url(None)
	parts = [
		_("Your request {0} ({1}) is outside the support included in your plan.", lang=lang).format(
			doc.name, frappe.utils.escape_html(doc.subject)
		)
	]
	if category:
		parts.append(_("The policy excludes: {0}", lang=lang).format(category.clause))
	if rule_message:
		parts.append(frappe.utils.escape_html(rule_message))
	if category and category.can_do:
		parts.append(_("What support can still do: {0}", lang=lang).format(category.can_do))
	offer = _(
		"For this kind of work we recommend a Success Pack (tailored consulting): one of our consultants "
		"analyses your case and guides you to the best result.",
		lang=lang,
	)
	if link:
		offer += " " + _("Your quote: {0}", lang=lang).format(f'<a href="{link}">{link}</a>')
	else:
		offer += " " + _("An advisor will send you the quote.", lang=lang)
	parts.append(offer)
	subject = _("About your request {0}: {1}", lang=lang).format(doc.name, doc.subject)
	return subject, "".join(f"<p>{p}</p>" for p in parts)


def send_out_of_scope_message(doc, quotation=None) -> None:
	recipient = doc.raised_by_email or (doc.raised_by and frappe.db.get_value("User", doc.raised_by, "email"))
	if not recipient:
		return
	lang = (doc.support_plan and frappe.db.get_value("Support Plan", doc.support_plan, "language")) or "es"
	subject, content = customer_message(doc, quotation, lang)
	from support_policy.glue import mail

	# An automatic answer: marked as one and never mailed to a robot. Without an outgoing account
	# it still lands on the request's timeline, which the customer reads in the desk; intake never
	# fails because mail is not configured.
	mail.send_automatic(doc, subject, content, recipient)


def override_verdict(request: str, verdict: str, reason: str) -> None:
	"""An agent overrules the scope verdict. The reason is required and every override is recorded.
	A request wrongly flagged out of scope gets its clock from the moment it arrived."""
	doc = frappe.get_doc("Support Request", request)
	doc.check_permission("write")
	if (
		frappe.get_meta("Support Request").get_field("scope_verdict").permlevel
		not in doc.get_permlevel_access()
	):
		frappe.throw(_("Only support agents can overrule a scope verdict"), frappe.PermissionError)
	if verdict not in SCOPE_LABELS.values():
		frappe.throw(_("Choose In scope or Out of scope"))
	if not cstr(reason).strip():
		frappe.throw(_("Give a reason for overruling the verdict"))
	if verdict == doc.scope_verdict:
		frappe.throw(_("The request is already {0}").format(_(verdict)))
	doc.append(
		"scope_overrides",
		{
			"from_verdict": doc.scope_verdict,
			"to_verdict": verdict,
			"reason": reason.strip(),
			"overridden_by": frappe.session.user,
			"overridden_on": frappe.utils.now_datetime(),
		},
	)
	doc.scope_verdict = verdict
	if verdict == "In scope":
		if doc.status == "Out of Scope":
			doc.status = "Open"
	else:
		doc.status = "Out of Scope"
		doc.flags.notify_out_of_scope = True
	if doc.flags.notify_out_of_scope:
		doc.success_pack_status = PREPARING
		doc.success_pack_attempts = 0
	doc.save()
	if doc.flags.notify_out_of_scope:
		offer_success_pack(doc)
