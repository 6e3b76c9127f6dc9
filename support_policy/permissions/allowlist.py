"""What a customer session (``is_customer_user``) may call: everything else is refused by
``support_policy.permissions.gate`` with a 403 that names nothing.

One entry a line, each saying why the customer journeys need it. A method entry names the doctypes
it may be called with (the argument that carries the doctype is in ``DOCTYPE_ARGS``); ``NO_DOCTYPE``
marks methods that take none. The row-level rules (``rules.py``) and the checked replacements
(``overrides.py``) still apply to everything allowed here; this list only bounds the surface.

Staff, guests and every other user never meet this list.
"""

# What a customer may see at all: their requests, their contract and the plan version it holds, and
# the people working their requests (User, limited by ``rules.user_query``).
REQUEST = "Support Request"
CONTRACT = "Support Contract"
PLAN = "Support Plan"
USER = "User"

OWN = frozenset((REQUEST,))
READ = frozenset((REQUEST, CONTRACT, PLAN))
FORMS = READ
NO_DOCTYPE = frozenset()
LIST_FILTERS = READ | {"List Filter"}
LINK_TITLES = READ | {USER}

# Arguments through which Frappe's methods receive the doctype they act on (``doc``/``docs`` carry
# it inside their JSON). Each value found must be in the entry's set.
DOCTYPE_ARGS = (
	"doctype",
	"dt",
	"reference_doctype",
	"ref_doctype",
	"parent",
	"parent_doctype",
	"parenttype",
	"document_type",
)

METHODS = {
	# session and desk boot
	"login": NO_DOCTYPE,  # Frappe logs the user in before the gate runs: the login answer itself
	"logout": NO_DOCTYPE,  # the user menu's "Log out"
	"frappe.core.doctype.user.user.update_password": NO_DOCTYPE,  # /update-password: own password (needs the old one)
	"frappe.core.doctype.user.user.test_password_strength": NO_DOCTYPE,  # /update-password: strength meter
	"frappe.auth.get_logged_user": NO_DOCTYPE,  # the desk asks who is logged in
	"frappe.sessions.get": NO_DOCTYPE,  # the desk reloads its boot (own session only)
	"frappe.desk.doctype.route_history.route_history.deferred_insert": NO_DOCTYPE,  # the desk records own route history
	"frappe.realtime.can_subscribe_doc": READ,  # live updates of an open form (checks read)
	"frappe.realtime.can_subscribe_doctype": READ,  # live updates of a list (checks read)
	"frappe.realtime.get_user_info": NO_DOCTYPE,  # socket.io asks who the session is
	"frappe.desk.doctype.notification_log.notification_log.get_notification_logs": NO_DOCTYPE,  # bell: own notifications
	"frappe.desk.doctype.notification_log.notification_log.mark_all_as_read": NO_DOCTYPE,  # bell: own notifications
	"frappe.desk.doctype.event.event.get_events": NO_DOCTYPE,  # navbar's events: none for customers (overrides)
	"frappe.desk.reportview.get_list": LIST_FILTERS,  # list view's saved filters: own only (rules)
	"frappe.model.utils.user_settings.save": READ,  # list view remembers own columns/filters
	"frappe.desk.listview.get_list_settings": READ,  # list view settings of the doctype
	# read their requests and contract
	"frappe.desk.form.load.getdoctype": FORMS,  # meta of the forms and lists a customer opens
	"frappe.desk.form.load.getdoc": FORMS,  # open a request, the contract or its plan version (row rules apply)
	"frappe.desk.form.load.get_docinfo": READ,  # a form's timeline: replies, comments, files (overrides)
	"frappe.desk.reportview.get": READ,  # the list of requests / contracts (row rules apply)
	"frappe.desk.reportview.get_count": READ,  # the list's count (row rules apply)
	"frappe.client.get_list": READ,  # the desk's and the API's list (row rules apply)
	"frappe.client.get_count": READ,  # overrides.client_get_count: counts what the user may list
	"frappe.client.get": FORMS,  # overrides.client_get: by name, or filters resolved through the row rules
	"frappe.desk.search.search_link": READ,  # link search of own requests / contracts
	"frappe.desk.search.search_widget": READ,  # the same, through the search box
	"frappe.desk.search.get_link_title": LINK_TITLES,  # titles of links: only of readable records (overrides)
	"support_policy.support_policy.doctype.support_request.api.sla_countdown": NO_DOCTYPE,  # SLA headline of own request
	# raise a request, reply, comment, attach
	"frappe.client.insert": OWN,  # raise a request through the API
	"frappe.desk.form.save.savedocs": OWN,  # raise a request from the form (checked by has_permission)
	"frappe.desk.form.utils.add_comment": OWN,  # comment on own request, in own name (overrides)
	"upload_file": OWN,  # attach a file to own request
	"frappe.handler.upload_file": OWN,  # the same, by its full name
	"frappe.handler.download_file": NO_DOCTYPE,  # download an attachment (overrides.download_file)
	"download_file": NO_DOCTYPE,  # the same, by its short name
	"support_policy.api.chat.open_chat_request": NO_DOCTYPE,  # raise a request from the chat widget
}

# REST resources (/api/resource and /api/v2/document): (doctype, operation).
RESOURCES = {
	(REQUEST, "list"): "own requests, row rules apply",
	(REQUEST, "read"): "one own request, row rules apply",
	(REQUEST, "create"): "raise a request",
	(CONTRACT, "list"): "own contract, row rules apply",
	(CONTRACT, "read"): "own contract, row rules apply",
	(PLAN, "list"): "the plan versions own contracts hold (rules.support_plan_query)",
	(PLAN, "read"): "the plan version own contract holds (rules.support_plan_has_permission)",
}

# Arguments refused to customers whatever the method: ``method`` makes upload_file run any
# whitelisted method after the upload, ``query`` makes the link search run any search query (ERPNext's
# customer_query lists every customer), ``debug`` returns the SQL with its permission conditions;
# ``cmd`` inside a form is handled by ``gate.is_allowed``.
REFUSED_ARGS = ("method", "query", "debug")

# Arguments of the list and search methods that name fields (filters, columns, sorting, grouping):
# a field the customer may not read (Support Request's internal notes) may not appear there either,
# or a filter answers yes/no on its content.
FIELD_ARGS = ("filters", "or_filters", "fields", "order_by", "group_by", "searchfield", "filter_fields")

# Pages outside /api. Everything else of the website (print views, ERPNext's portal pages, ...) is
# refused to customers.
WEB_PREFIXES = (
	"/app",  # the desk
	"/login",  # log in again, switch user
	"/update-password",  # set a new password from the welcome / reset mail
	"/assets/",  # the desk's scripts and styles (nginx serves them in production)
	"/files/",  # public files (site logo, public attachments of own requests)
	"/private/files/",  # private attachments: File permission (rules.file_has_permission) decides
)
WEB_EXACT = frozenset(
	(
		"/",  # home: Frappe sends desk users on to /app
		"/favicon.ico",
		"/manifest.json",
		"/website_script.js",
	)
)
