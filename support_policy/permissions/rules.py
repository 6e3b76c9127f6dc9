"""Row-level isolation: a Support Customer sees only the requests and contracts of the customers
they are authorized for. Agents, managers and system managers see everything their role allows.

Frappe calls ``permission_query_conditions`` for lists, reports, link searches and the REST API, and
``has_permission`` for single documents; both are wired in hooks.py.

Besides our own doctypes, a customer user reaches our records through Frappe's generic doctypes
(File, Tag Link, Document Follow, ToDo, Contact, Address) and through the child tables of our
doctypes, which Frappe lists without the parent's row-level rules. The hooks below close those for
customer users only (``is_customer_user``); staff keep Frappe's behaviour.

A few whitelisted Frappe methods check no document permission at all (counts, tags, followers,
likes, global search, child rows read by name). Hooks cannot reach them: their checked replacements
are in ``support_policy.permissions.overrides``.

Note: Frappe consults ``has_permission`` hooks from the last installed app first and stops at the
first answer that is not None, so these hooks return False (deny) or None (let Frappe decide),
never True.
"""

import frappe
from frappe.utils import cstr, getdate, nowdate

from support_policy.permissions import customers_of, is_customer_user, is_staff
from support_policy.statuses import CONTRACT_IN_FORCE

# Child tables of our doctypes whose rows name a customer's users, requests or contracts.
CHILD_PARENTS = {
	"Support Contract User": "Support Contract",
	"Support Request SLA Event": "Support Request",
	"Support Request Scope Override": "Support Request",
}


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
	# Only through a contract in force: a user whose access was revoked no longer reads the requests
	# they raised (they stay with the customer's authorized users).
	return _customer_condition("Support Request", user)


def support_contract_query(user: str | None = None) -> str:
	"""A customer reads their customer's contracts in force, not past ones (whose user lists name
	former employees)."""
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	condition = _customer_condition("Support Contract", user)
	if condition == "1=0":
		return condition
	statuses = ", ".join(frappe.db.escape(s) for s in CONTRACT_IN_FORCE)
	return (
		f"({condition} and `tabSupport Contract`.`status` in ({statuses}) "
		f"and `tabSupport Contract`.`end_date` >= {frappe.db.escape(nowdate())})"
	)


def support_request_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if is_staff(user):
		return None
	if doc.get("__islocal") or doc.is_new():
		if ptype == "create" and _raises_for_someone_else(doc, user):
			return False
		return None
	if ptype == "write" and _requester_changed(doc):
		return False
	if doc.customer and doc.customer in customers_of(user):
		return None
	return False


def _raises_for_someone_else(doc, user: str) -> bool:
	"""A customer opens requests in their own name only: the requester decides the contract, so a
	request "raised by" another customer's user would be filed (and answered) on that customer's
	contract."""
	if doc.raised_by and doc.raised_by != user:
		return True
	email = cstr(doc.raised_by_email).strip().lower()
	if email:
		own = cstr(frappe.db.get_value("User", user, "email")).strip().lower()
		return email != own
	return False


def _requester_changed(doc) -> bool:
	"""Changing the requester moves a request to the new requester's contract and customer."""
	stored = frappe.db.get_value("Support Request", doc.name, ["raised_by", "raised_by_email"])
	return bool(stored) and (
		cstr(stored[0]) != cstr(doc.raised_by) or cstr(stored[1]) != cstr(doc.raised_by_email)
	)


def support_contract_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if is_staff(user):
		return None
	if (
		doc.customer in customers_of(user)
		and doc.status in CONTRACT_IN_FORCE
		and getdate(doc.end_date) >= getdate(nowdate())
	):
		return None
	return False


# ---------------------------------------------------------------------------------------------
# What a customer user may see of other doctypes. SQL fragments for permission_query_conditions.


def _visible_requests_sql(user: str) -> str:
	return f"select `tabSupport Request`.`name` from `tabSupport Request` where {support_request_query(user)}"


def _visible_contracts_sql(user: str) -> str:
	return (
		f"select `tabSupport Contract`.`name` from `tabSupport Contract` where {support_contract_query(user)}"
	)


def _visible_communications_sql(user: str) -> str:
	return (
		"select `tabCommunication`.`name` from `tabCommunication` "
		"where `tabCommunication`.`reference_doctype` = 'Support Request' "
		f"and `tabCommunication`.`reference_name` in ({_visible_requests_sql(user)})"
	)


def _child_query(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	parent = CHILD_PARENTS[doctype]
	visible = _visible_requests_sql(user) if parent == "Support Request" else _visible_contracts_sql(user)
	return (
		f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} "
		f"and `tab{doctype}`.`parent` in ({visible}))"
	)


def support_contract_user_query(user: str | None = None) -> str:
	return _child_query("Support Contract User", user)


def support_request_sla_event_query(user: str | None = None) -> str:
	return _child_query("Support Request SLA Event", user)


def support_request_scope_override_query(user: str | None = None) -> str:
	return _child_query("Support Request Scope Override", user)


def file_query(user: str | None = None) -> str:
	"""Files a customer user may list: their own, public unattached ones (folders, site images), and
	the attachments of the requests and contracts they may read (including mail attachments)."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	return (
		"("
		f"`tabFile`.`owner` = {frappe.db.escape(user)}"
		" or (`tabFile`.`is_private` = 0 and ifnull(`tabFile`.`attached_to_doctype`, '') = '')"
		" or (`tabFile`.`attached_to_doctype` = 'Support Request'"
		f" and `tabFile`.`attached_to_name` in ({_visible_requests_sql(user)}))"
		" or (`tabFile`.`attached_to_doctype` = 'Support Contract'"
		f" and `tabFile`.`attached_to_name` in ({_visible_contracts_sql(user)}))"
		" or (`tabFile`.`attached_to_doctype` = 'Communication'"
		f" and `tabFile`.`attached_to_name` in ({_visible_communications_sql(user)}))"
		")"
	)


def tag_link_query(user: str | None = None) -> str:
	"""Tag Link rows carry the tagged document's name and title: only those of readable requests
	and contracts."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	return (
		"("
		"(`tabTag Link`.`document_type` = 'Support Request'"
		f" and `tabTag Link`.`document_name` in ({_visible_requests_sql(user)}))"
		" or (`tabTag Link`.`document_type` = 'Support Contract'"
		f" and `tabTag Link`.`document_name` in ({_visible_contracts_sql(user)}))"
		")"
	)


def user_query(user: str | None = None) -> str:
	"""Customer users are desk users, and Frappe lets every desk user list every user: a customer
	sees only themselves, the users of their own contracts in force and the agents assigned to the
	requests they may read."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	parts = [f"`tabUser`.`name` = {frappe.db.escape(user)}"]
	customers = customers_of(user)
	if customers:
		listed = ", ".join(frappe.db.escape(c) for c in customers)
		parts.append(
			"`tabUser`.`name` in (select `tabSupport Contract User`.`user` from `tabSupport Contract User` "
			"join `tabSupport Contract` on `tabSupport Contract`.`name` = `tabSupport Contract User`.`parent` "
			"where `tabSupport Contract User`.`parenttype` = 'Support Contract' "
			f"and `tabSupport Contract`.`name` in ({_visible_contracts_sql(user)}))"
		)
		parts.append(
			"`tabUser`.`name` in (select `tabSupport Request`.`assigned_agent` from `tabSupport Request` "
			f"where `tabSupport Request`.`customer` in ({listed}))"
		)
	return "(" + " or ".join(parts) + ")"


def user_has_permission(doc, ptype=None, user=None, debug=False):
	"""The same people as ``user_query``, one at a time."""
	user = user or frappe.session.user
	if not is_customer_user(user) or doc.name == user:
		return None
	if ptype not in ("read", "select", None):
		return False
	visible = frappe.db.sql(
		f"select 1 from `tabUser` where `tabUser`.`name` = %s and {user_query(user)}", doc.name
	)
	return None if visible else False


def support_plan_query(user: str | None = None) -> str:
	"""A customer reads only the plan versions their contracts in force hold."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	return (
		"`tabSupport Plan`.`name` in (select `tabSupport Contract`.`support_plan` from `tabSupport Contract` "
		f"where `tabSupport Contract`.`name` in ({_visible_contracts_sql(user)}))"
	)


def support_plan_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if not is_customer_user(user):
		return None
	visible = frappe.db.sql(
		f"select 1 from `tabSupport Plan` where `tabSupport Plan`.`name` = %s and {support_plan_query(user)}",
		doc.name,
	)
	return None if visible else False


def list_filter_query(user: str | None = None) -> str:
	"""Saved list filters: Frappe shows every desk user the ones staff saved for everyone, whose
	filters may name customers. A customer sees only their own."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	return f"`tabList Filter`.`for_user` = {frappe.db.escape(user)}"


def list_filter_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if not is_customer_user(user) or doc.get("for_user") == user:
		return None
	return False


def document_follow_query(user: str | None = None) -> str:
	"""Who follows what is private to each user."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return ""
	return f"`tabDocument Follow`.`user` = {frappe.db.escape(user)}"


# ---------------------------------------------------------------------------------------------
# has_permission for those doctypes (customer users only; False denies, None lets Frappe decide).


def can_read(doctype: str | None, name: str | None, user: str | None = None) -> bool | None:
	"""Whether ``user`` may read the record; None when there is no such record (yet).

	Quietly: Frappe collects the reasons of every refused check made during a permission check and
	shows them all when the outer check fails ("no access to Support Request SR-..."), which would
	name the other customer's record a file or a tag belongs to."""
	if not doctype or not name or not frappe.db.exists(doctype, name):
		return None
	logs = frappe.flags.get("has_permission_check_logs")
	mark = len(logs) if logs is not None else 0
	try:
		return bool(frappe.has_permission(doctype, "read", doc=name, user=user or frappe.session.user))
	finally:
		if logs is not None:
			del logs[mark:]


def _support_record_of_file(doc) -> tuple[str, str] | None:
	doctype, name = doc.get("attached_to_doctype"), doc.get("attached_to_name")
	if doctype in ("Support Request", "Support Contract"):
		return doctype, name
	if doctype == "Communication" and name:
		ref = frappe.db.get_value("Communication", name, ["reference_doctype", "reference_name"])
		if ref and ref[0] in ("Support Request", "Support Contract"):
			return ref[0], ref[1]
	return None


def file_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if not is_customer_user(user):
		return None
	record = _support_record_of_file(doc)
	if record and can_read(*record, user) is False:
		return False
	if ptype in ("create", "write") and doc.get("attached_to_doctype"):
		# onto a record the user reads, never onto one that does not exist (which would answer
		# "exists" for a refused name and "does not" for an accepted one)
		if not can_read(doc.attached_to_doctype, doc.get("attached_to_name"), user):
			return False
	if ptype in ("create", "write") and _borrows_private_file(doc, user):
		return False
	return None


def _borrows_private_file(doc, user: str) -> bool:
	"""A File record that points at a private file already on the site, without bringing the bytes:
	Frappe serves a private file to the owner of any File record with its URL, so such a record
	would hand over someone else's file."""
	url = cstr(doc.get("file_url"))
	if not url.startswith("/private/files/") or doc.get("content"):
		return False
	if not doc.is_new() and frappe.db.get_value("File", doc.name, "file_url") == url:
		return False  # an edit that keeps its own file
	others = frappe.get_all("File", filters={"file_url": url, "name": ("!=", doc.name or "")}, pluck="name")
	return not any(can_read("File", name, user) for name in others)


def communication_has_permission(doc, ptype=None, user=None, debug=False):
	"""Frappe already checks the referenced document, but loudly (its refusal names the request);
	answering first keeps the refusal quiet."""
	user = user or frappe.session.user
	if not is_customer_user(user):
		return None
	if doc.get("reference_doctype") in ("Support Request", "Support Contract"):
		if can_read(doc.reference_doctype, doc.reference_name, user) is False:
			return False
	return None


def tag_link_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if not is_customer_user(user):
		return None
	if doc.get("document_type") in ("Support Request", "Support Contract"):
		if can_read(doc.document_type, doc.document_name, user) is False:
			return False
	return None


def document_follow_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if not is_customer_user(user):
		return None
	if doc.get("user") and doc.user != user:
		return False
	if can_read(doc.get("ref_doctype"), doc.get("ref_docname"), user) is False:
		return False
	return None


def todo_has_permission(doc, ptype=None, user=None, debug=False):
	"""A ToDo marks its reference as assigned (``_assign``): not on records the user cannot read."""
	user = user or frappe.session.user
	if not is_customer_user(user) or ptype not in ("create", "write"):
		return None
	if can_read(doc.get("reference_type"), doc.get("reference_name"), user) is False:
		return False
	return None


def contact_has_permission(doc, ptype=None, user=None, debug=False):
	"""Contacts and addresses link people to companies, and ERPNext's portal trusts those links
	(a contact linked to a customer sees that customer's quotations and orders). A customer user
	may not link one to any customer but their own."""
	user = user or frappe.session.user
	if not is_customer_user(user) or ptype not in ("create", "write", "submit"):
		return None
	own = set(customers_of(user))
	for link in doc.get("links") or []:
		if link.link_doctype != "Customer" or link.link_name not in own:
			return False
	return None


# ---------------------------------------------------------------------------------------------
# Maintenance windows are shown to the customer whose hosted site they concern, and to nobody else.


def maintenance_window_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return _customer_condition("Maintenance Window", user)


def maintenance_window_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if is_staff(user):
		return None
	if ptype in ("read", "print") and doc.customer and doc.customer in customers_of(user):
		return None
	return False
