"""Support Request <-> scope core: classify new requests with the Scope Rule records, flag excluded
work, offer a Success Pack quotation and tell the customer, in Spanish, which clause applies.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, cstr, get_url, nowdate, strip_html

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
	description = strip_html(cstr(doc.description))
	result = scope.classify(
		doc.subject,
		description,
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


def after_insert(doc) -> None:
	if doc.flags.notify_out_of_scope:
		offer_success_pack(doc)


def offer_success_pack(doc) -> None:
	"""Create the Success Pack quotation for the customer and send them the explanation."""
	quotation = make_quotation(doc)
	if quotation:
		doc.db_set("success_pack_quotation", quotation.name, update_modified=False)
	send_out_of_scope_message(doc, quotation)


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


def customer_message(doc, quotation=None, lang: str = "es") -> tuple[str, str]:
	"""(subject, html) of the message the customer receives when a request is out of scope."""
	category = by_label(doc.scope_category) if doc.scope_category else None
	rule_message = frappe.db.get_value("Scope Rule", doc.scope_rule, "message") if doc.scope_rule else ""
	settings = frappe.get_cached_doc("Support Policy Settings")
	if settings.quote_page_url:
		link = settings.quote_page_url
	elif quotation and quotation.docstatus == 1:
		link = get_url(f"/quotations/{quotation.name}")
	else:
		link = None
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
	doc.save()
	if doc.flags.notify_out_of_scope:
		offer_success_pack(doc)
