"""Deny by default for customer sessions: the one place that decides which routes a customer user
(``is_customer_user``) may reach at all. The list is ``support_policy.permissions.allowlist``.

- ``check_request`` (hooks.py ``auth_hooks``): runs on every request once Frappe knows the user,
  whether from the session cookie, an API key or a token (``before_request`` runs before API keys
  are read, so it would miss a customer calling with keys). Refuses anything outside the allowlist.
- ``uniform_refusal`` (``after_request``): for customer sessions, a refused and a missing document
  get the same answer (no 403-versus-404 oracle), and no error carries a traceback or a message
  that could name someone else's record.
- ``trim_boot`` (``boot_session``): the desk's boot of a customer lists no workspace, report,
  dashboard or doctype of the provider beyond the allowlist.

Staff, guests and every other user are left to Frappe.
"""

import json
import re

import frappe
from frappe import _

from support_policy.permissions import allowlist, is_customer_user

REFUSED_STATUS = 403


class Refused(frappe.PermissionError):
	"""Outside the customer allowlist."""

	http_status_code = REFUSED_STATUS


def check_request() -> None:
	request = getattr(frappe.local, "request", None)
	if request is None or frappe.session.user in (None, "", "Guest"):
		return
	if not is_customer_user():
		return
	if request.path.rstrip("/") in ("/app", "/app/home") and request.method == "GET":
		# the desk's home is the provider's workspaces: a customer starts at their requests
		from werkzeug.routing import RequestRedirect

		raise RequestRedirect("/app/support-request")
	if not is_allowed(request.path, request.method, frappe.form_dict):
		frappe.logger("support_policy.gate").info(
			{"refused": request.path[:200], "cmd": str(frappe.form_dict.get("cmd") or "")[:200]}
		)
		frappe.local.message_log = []
		raise Refused


def is_allowed(path: str, http_method: str, form: dict) -> bool:
	"""Whether a customer may make this request (path, HTTP method, form arguments)."""
	if form.get("cmd"):  # RPC on any path: Frappe runs it before looking at the path
		return method_allowed(str(form.get("cmd")), form)
	if path.startswith("/api/"):
		return api_allowed(path, http_method, form)
	if path in allowlist.WEB_EXACT:
		return True
	return path.startswith(allowlist.WEB_PREFIXES)


def api_allowed(path: str, http_method: str, form: dict) -> bool:
	from frappe.api import API_URL_MAP

	try:
		endpoint, args = API_URL_MAP.bind("localhost").match(path, method=http_method)
	except Exception:  # no such route, or a method the route does not take
		return False
	name = getattr(endpoint, "__name__", "")
	if name == "handle_rpc_call" or endpoint is frappe.ping:
		if args.get("doctype"):  # /api/v2/method/<doctype>/<method>: a controller method
			return False
		return method_allowed(args.get("method") or "ping", form)
	if name in ("login", "logout"):
		return True
	if name == "upload_file":
		return method_allowed("upload_file", form)
	operation = {
		"document_list": "list",
		"read_doc": "read",
		"create_doc": "create",
	}.get(name)
	if not operation:  # update, delete, doc methods, copies, meta, counts: none for customers
		return False
	if (args.get("doctype"), operation) not in allowlist.RESOURCES:
		return False
	if operation == "create":
		body = _json_body()
		if body.get("doctype") not in (None, args.get("doctype")) or body.get("parent"):
			return False
	return fields_readable(args["doctype"], form)


def method_allowed(method: str, form: dict) -> bool:
	if method == "ping":
		return True
	doctypes = allowlist.METHODS.get(method)
	if doctypes is None:
		return False
	if any(form.get(arg) not in (None, "") for arg in allowlist.REFUSED_ARGS):
		return False
	named = list(_doctypes_in(form))
	if any(value not in doctypes for value in named):
		return False
	return all(fields_readable(doctype, form) for doctype in set(named))


def fields_readable(doctype: str, form: dict) -> bool:
	"""No field the user may not read appears in the filters, columns, sorting or grouping."""
	hidden = unreadable_fields(doctype)
	if not hidden:
		return True
	words = set()
	for arg in allowlist.FIELD_ARGS:
		value = form.get(arg)
		if value not in (None, ""):
			text = value if isinstance(value, str) else json.dumps(value)
			words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
	return not (hidden & words)


def unreadable_fields(doctype: str) -> set[str]:
	try:
		meta = frappe.get_meta(doctype)
	except Exception:
		return set()
	readable = set(meta.get_permitted_fieldnames(permission_type="read"))
	return {
		df.fieldname
		for df in meta.fields
		if df.fieldtype not in ("Section Break", "Column Break", "Tab Break") and df.fieldname not in readable
	}


def _doctypes_in(form: dict):
	for arg in allowlist.DOCTYPE_ARGS:
		value = form.get(arg)
		if value not in (None, ""):
			yield value if isinstance(value, str) else json.dumps(value)
	for arg in ("doc", "docs"):
		value = form.get(arg)
		if value in (None, ""):
			continue
		try:
			parsed = frappe.parse_json(value)
		except Exception:
			yield "<unreadable>"
			continue
		for doc in parsed if isinstance(parsed, list) else [parsed]:
			if not isinstance(doc, dict) or doc.get("parent") or doc.get("parenttype"):
				yield "<child row>"  # frappe.client.insert appends a child row to any parent
			else:
				yield doc.get("doctype")


def _json_body() -> dict:
	try:
		data = frappe.local.request.get_json(silent=True)
	except Exception:
		data = None
	if isinstance(data, dict):
		return data
	return dict(frappe.form_dict)


# ---------------------------------------------------------------------------------------------


def uniform_refusal(response=None, request=None) -> None:
	"""After every request of a customer session: a 403 or 404 becomes the same 403, with a body
	that names nothing; other errors lose their traceback and any record names Frappe put in
	them."""
	if response is None or not getattr(frappe.local, "session", None):
		return
	if frappe.session.user in (None, "", "Guest") or not is_customer_user():
		return
	status = response.status_code
	if status < 400:
		return
	if status in (401, 403, 404) or status >= 500:
		_replace(response, REFUSED_STATUS, refusal_body())
		return
	# 417 and friends (validation of the customer's own input): keep the messages, drop tracebacks
	if response.mimetype == "application/json":
		try:
			body = json.loads(response.get_data(as_text=True))
		except ValueError:
			return
		for key in ("exc", "exception"):
			body.pop(key, None)
		_replace(response, status, body)


def refusal_body() -> dict:
	message = {"message": _("Not permitted"), "title": _("Not Permitted"), "indicator": "red"}
	return {"exc_type": "PermissionError", "_server_messages": json.dumps([json.dumps(message)])}


def _replace(response, status: int, body: dict) -> None:
	response.status_code = status
	response.set_data(json.dumps(body))
	response.mimetype = "application/json"
	response.headers.pop("Content-Disposition", None)


# ---------------------------------------------------------------------------------------------


def trim_boot(bootinfo) -> None:
	"""The desk boot of a customer: nothing of the provider's workspaces, reports, dashboards,
	letter heads or doctypes beyond what the allowlist lets them open."""
	if not is_customer_user():
		return
	visible = set(allowlist.FORMS)
	bootinfo.allowed_workspaces = []
	bootinfo.module_wise_workspaces = {}
	bootinfo.dashboards = []
	bootinfo.letter_heads = {}
	bootinfo.doctype_layouts = []
	bootinfo.frequently_visited_links = []
	bootinfo.link_preview_doctypes = [d for d in bootinfo.get("link_preview_doctypes") or [] if d in visible]
	bootinfo.notes = []
	bootinfo.single_types = [d for d in bootinfo.get("single_types") or [] if d in visible]
	for key in ("customer_count", "all_accounts", "email_accounts"):  # ERPNext's: the provider's books
		bootinfo.pop(key, None)
	bootinfo.docs = [d for d in bootinfo.get("docs") or [] if d.get("doctype") not in (":Company", "Company")]
	user = bootinfo.get("user") or {}
	user["all_reports"] = {}
	for key in (
		"all_read",
		"can_read",
		"can_write",
		"can_create",
		"can_cancel",
		"can_delete",
		"can_get_report",
		"can_search",
		"can_print",
		"can_email",
		"can_export",
		"can_import",
		"can_set_user_permissions",
		"can_submit",
		"can_select",
		"in_create",
	):
		if key in user:
			user[key] = [d for d in user[key] if d in visible]
	if isinstance(user.get("default_workspace"), dict):
		user["default_workspace"] = None
