"""Permission-checked replacements for Frappe methods that check no row-level permission, wired
through ``override_whitelisted_methods`` in hooks.py. For customer users they check; everyone else
gets Frappe's own method unchanged. Each keeps the signature, ``allow_guest`` and HTTP methods of
the method it replaces (tests/test_permissions checks this)."""

from datetime import date

import frappe

from support_policy.permissions import is_customer_user
from support_policy.permissions.rules import can_read


@frappe.whitelist()
def client_get(doctype, name=None, filters=None, parent=None):
	"""frappe.client.get. For customers: filters are resolved through the row-level rules (Frappe
	finds the first match of any record, then refuses it by name: a yes/no answer on any field), a
	child row only through its parent's permission, and a refused or missing record gets the same
	PermissionError."""
	from frappe.client import get

	if not is_customer_user():
		return get(doctype, name=name, filters=filters, parent=parent)
	if frappe.is_table(doctype):
		row = name and frappe.db.get_value(doctype, name, ["parenttype", "parent"], as_dict=True)
		if not (row and row.parenttype and can_read(row.parenttype, row.parent)):
			raise frappe.PermissionError
		return get(doctype, name=name, parent=row.parenttype)
	if not name and (filters or filters == {}):
		names = frappe.get_list(
			doctype, filters=frappe.parse_json(filters), pluck="name", limit_page_length=1, order_by=None
		)
		name = names[0] if names else None
		if not name:
			raise frappe.PermissionError
	if name and not can_read(doctype, name):
		raise frappe.PermissionError
	return get(doctype, name=name, parent=parent)


@frappe.whitelist()
def client_get_count(doctype, filters=None, debug=False, cache=False):
	"""frappe.client.get_count counts with no permission check: for customers, count what they may
	list."""
	from frappe.client import get_count
	from frappe.utils import get_safe_filters

	if not is_customer_user():
		return get_count(doctype, filters=filters, debug=debug, cache=cache)
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(distinct `tab{doctype}`.`name`) as total_count"],
		order_by=None,
		limit_page_length=None,
	)
	return rows[0].total_count if rows else 0


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""frappe.desk.listview.get_group_by_count("assigned_to") counts assignments of records chosen by
	unchecked filters: for customers, only records they may list."""
	from frappe.desk.listview import get_group_by_count as frappe_get_group_by_count

	if field != "assigned_to" or not is_customer_user():
		return frappe_get_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(
		doctype, filters=frappe.parse_json(current_filters), pluck="name", limit_page_length=None
	)
	if not names:
		return []
	from frappe.query_builder.functions import Count

	todo = frappe.qb.DocType("ToDo")
	count = Count("*").as_("count")
	return (
		frappe.qb.from_(todo)
		.select(todo.allocated_to.as_("name"), count)
		.where(
			(todo.status != "Cancelled")
			& (todo.reference_type == doctype)
			& (todo.reference_name.isin(names))
		)
		.groupby(todo.allocated_to)
		.orderby(count, order=frappe.qb.desc)
		.limit(50)
		.run(as_dict=True)
	)


@frappe.whitelist()
def get_tagged_docs(doctype, tag):
	"""frappe.desk.doctype.tag.tag.get_tagged_docs reads every record's tags: for customers, only
	records they may list."""
	from frappe.desk.doctype.tag.tag import get_tagged_docs as frappe_get_tagged_docs

	if not is_customer_user():
		return frappe_get_tagged_docs(doctype, tag)
	names = frappe.get_list(
		doctype, filters=[["_user_tags", "like", tag]], pluck="name", limit_page_length=None
	)
	return [[name] for name in names]


@frappe.whitelist()
def get_follow_users(doctype, doc_name):
	"""Who follows a document: only for those who may read it."""
	from frappe.desk.form.document_follow import get_follow_users as frappe_get_follow_users

	if is_customer_user() and not can_read(doctype, doc_name):
		raise frappe.PermissionError
	return frappe_get_follow_users(doctype, doc_name)


@frappe.whitelist()
def toggle_like(doctype, name, add=False):
	"""A like writes on the document and its timeline: only on documents the user may read."""
	from frappe.desk.like import toggle_like as frappe_toggle_like

	if is_customer_user() and not can_read(doctype, name):
		raise frappe.PermissionError
	return frappe_toggle_like(doctype, name, add)


@frappe.whitelist()
def global_search(text, start=0, limit=20, doctype=""):
	"""Global search filters by doctype only: for customers, each hit must be a record they may
	read (ToDo descriptions and contacts name other customers' requests and people)."""
	from frappe.utils.global_search import search

	results = search(text, start=start, limit=limit, doctype=doctype)
	if not is_customer_user():
		return results
	return [r for r in results if can_read(r.doctype, r.name)]


@frappe.whitelist()
def get_link_title(doctype, docname):
	"""The title shown for a link value (a request's subject): only of records the user may read."""
	from frappe.desk.search import get_link_title as frappe_get_link_title

	if is_customer_user() and not can_read(doctype, docname):
		return docname  # the same answer whether the record exists or not
	return frappe_get_link_title(doctype, docname)


@frappe.whitelist()
def get_names_for_mentions(search_term):
	"""People to @mention: for customers, only the users they may list (see ``user_query``)."""
	from frappe.desk.search import get_names_for_mentions as frappe_get_names_for_mentions

	mentions = frappe_get_names_for_mentions(search_term)
	if not is_customer_user():
		return mentions
	users = set(frappe.get_list("User", pluck="name", limit_page_length=None))
	return [m for m in mentions if m.get("is_group") or m.get("id") in users]


@frappe.whitelist()
def relink(name, reference_doctype=None, reference_name=None):
	"""Moving an e-mail to another document is mailbox work for staff, never for customers."""
	from frappe.email import relink as frappe_relink

	if is_customer_user():
		raise frappe.PermissionError
	return frappe_relink(name, reference_doctype, reference_name)


@frappe.whitelist(allow_guest=True)
def add_web_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route):
	"""The website's comment box: only on documents the user may read."""
	from frappe.templates.includes.comments.comments import add_comment

	if is_customer_user() and not can_read(reference_doctype, reference_name):
		raise frappe.PermissionError
	return add_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route)


@frappe.whitelist()
def add_attachments(doctype, name, attachments):
	"""Copy existing files onto a document (the e-mail composer): only files the user may read, onto
	documents the user may read."""
	from frappe.utils.file_manager import add_attachments as frappe_add_attachments

	if is_customer_user():
		if not can_read(doctype, name):
			raise frappe.PermissionError
		for file in frappe.parse_json(attachments) or []:
			if isinstance(file, str) and not can_read("File", file):
				raise frappe.PermissionError
	return frappe_add_attachments(doctype, name, attachments)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""Link search. With ``ignore_user_permissions`` Frappe drops every row-level rule (not only
	User Permissions) for anyone who may read the doctype: never for customers."""
	from frappe.desk.search import search_link as frappe_search_link

	return frappe_search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=False if is_customer_user() else ignore_user_permissions,
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""The search box; same rule as ``search_link``."""
	from frappe.desk.search import search_widget as frappe_search_widget

	return frappe_search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=False if is_customer_user() else ignore_user_permissions,
	)


@frappe.whitelist(allow_guest=True)
def download_file(file_url: str):
	"""frappe.handler.download_file: Frappe's refusal names the document the file is attached to
	("no access to Support Request SR-..."); customers get the refusal without it."""
	from frappe.handler import download_file as frappe_download_file

	if not is_customer_user():
		return frappe_download_file(file_url)
	try:
		return frappe_download_file(file_url)
	except frappe.PermissionError:
		frappe.clear_messages()
		raise


@frappe.whitelist()
def getdoc(doctype, name):
	"""frappe.desk.form.load.getdoc answers a missing document with an empty list and a refused one
	with a 403: for customers both are the same refusal. Its timeline leaves out changes to fields
	the customer may not read."""
	from frappe.desk.form.load import getdoc as frappe_getdoc

	if not is_customer_user():
		return frappe_getdoc(doctype, name)
	if not can_read(doctype, name):
		# /app/<doctype>/new...: the desk asks first, then opens a new form (no record has such a name)
		if not (str(name).startswith("new") and not frappe.db.exists(doctype, name)):
			raise frappe.PermissionError
	result = frappe_getdoc(doctype, name)
	_hide_unreadable_changes(doctype)
	return result


@frappe.whitelist()
def get_docinfo(doc=None, doctype=None, name=None):
	"""frappe.desk.form.load.get_docinfo, with the same refusal and timeline as ``getdoc``."""
	from frappe.desk.form.load import get_docinfo as frappe_get_docinfo

	if not is_customer_user():
		return frappe_get_docinfo(doc, doctype, name)
	if doc is not None or not can_read(doctype, name):
		raise frappe.PermissionError  # over HTTP ``doc`` would be a string, never a document
	result = frappe_get_docinfo(doc, doctype, name)
	_hide_unreadable_changes(doctype)
	return result


def _hide_unreadable_changes(doctype: str) -> None:
	"""Version entries (the timeline's "changed X from A to B") of fields the user may not read
	(Support Request's internal notes): Frappe lists them whatever the field's permission level."""
	docinfo = frappe.response.get("docinfo")
	if not docinfo or not docinfo.get("versions"):
		return
	readable = set(frappe.get_meta(doctype).get_permitted_fieldnames(permission_type="read"))
	kept = []
	for version in docinfo["versions"]:
		try:
			data = frappe.parse_json(version.get("data")) or {}
		except Exception:
			continue
		for key in ("changed", "row_changed", "added", "removed"):
			if data.get(key):
				data[key] = [entry for entry in data[key] if entry and entry[0] in readable]
		if any(data.get(key) for key in ("changed", "row_changed", "added", "removed", "comment")):
			version["data"] = frappe.as_json(data)
			kept.append(version)
	docinfo["versions"] = kept


@frappe.whitelist(methods=["POST", "PUT"])
def add_comment(
	reference_doctype: str, reference_name: str, content: str, comment_email: str, comment_by: str
):
	"""frappe.desk.form.utils.add_comment takes the author's name and e-mail from the caller: a
	customer comments in their own name only (not as the agent)."""
	from frappe.desk.form.utils import add_comment as frappe_add_comment

	if is_customer_user():
		comment_email = frappe.session.user
		comment_by = frappe.utils.get_fullname(frappe.session.user)
	return frappe_add_comment(reference_doctype, reference_name, content, comment_email, comment_by)


@frappe.whitelist()
def get_events(start: date, end: date, user: str | None = None, for_reminder: bool = False, filters=None):
	"""The desk's navbar asks every user for today's events: a customer has none of the provider's
	(public events are the provider's calendar)."""
	from frappe.desk.doctype.event.event import get_events as frappe_get_events

	if is_customer_user():
		return []
	return frappe_get_events(start, end, user=user, for_reminder=for_reminder, filters=filters)
