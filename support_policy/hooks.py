app_name = "support_policy"
app_title = "Support Policy"
app_publisher = "support_policy contributors"
app_description = "Turns an ERPNext hosting provider's support policy into software that enforces it"
app_email = "soporte@example.com"
app_license = "MIT"

# With the bare name "erpnext" Frappe 15 asks GitHub where the app lives.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Installation
# ------------
after_install = "support_policy.setup.install.after_install"
after_migrate = "support_policy.setup.install.after_migrate"
setup_wizard_complete = "support_policy.setup.install.after_setup_wizard"
before_uninstall = "support_policy.setup.install.before_uninstall"

# Tests: ERPNext's own before_tests only runs for ERPNext, so ours sets up what we need.
before_tests = "support_policy.setup.testing.before_tests"

# Roles are shipped as fixtures (synced on install and every migrate).
fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"name",
				"in",
				[
					"Support Customer",
					"Support Agent",
					"Support Manager",
					"Support Requester",
					"Support Monitor",
				],
			]
		],
	}
]

# Permissions
# -----------
permission_query_conditions = {
	"Support Request": "support_policy.permissions.rules.support_request_query",
	"Support Contract": "support_policy.permissions.rules.support_contract_query",
	# Child tables: Frappe lists their rows without the parent's row-level rules.
	"Support Contract User": "support_policy.permissions.rules.support_contract_user_query",
	"Support Request SLA Event": "support_policy.permissions.rules.support_request_sla_event_query",
	"Support Request Scope Override": "support_policy.permissions.rules.support_request_scope_override_query",
	# Frappe doctypes that carry our records' names, titles and files (customer users only).
	"File": "support_policy.permissions.rules.file_query",
	"Tag Link": "support_policy.permissions.rules.tag_link_query",
	"Document Follow": "support_policy.permissions.rules.document_follow_query",
	"User": "support_policy.permissions.rules.user_query",
	# i14-hosting: maintenance windows are shown to their customer only.
	"Maintenance Window": "support_policy.permissions.rules.maintenance_window_query",
	"Support Plan": "support_policy.permissions.rules.support_plan_query",
	"List Filter": "support_policy.permissions.rules.list_filter_query",
}

has_permission = {
	"Support Request": "support_policy.permissions.rules.support_request_has_permission",
	"Support Contract": "support_policy.permissions.rules.support_contract_has_permission",
	"File": "support_policy.permissions.rules.file_has_permission",
	"Communication": "support_policy.permissions.rules.communication_has_permission",
	"Tag Link": "support_policy.permissions.rules.tag_link_has_permission",
	"Document Follow": "support_policy.permissions.rules.document_follow_has_permission",
	"ToDo": "support_policy.permissions.rules.todo_has_permission",
	"Contact": "support_policy.permissions.rules.contact_has_permission",
	"Address": "support_policy.permissions.rules.contact_has_permission",
	"Maintenance Window": "support_policy.permissions.rules.maintenance_window_has_permission",
	"User": "support_policy.permissions.rules.user_has_permission",
	"Support Plan": "support_policy.permissions.rules.support_plan_has_permission",
	"List Filter": "support_policy.permissions.rules.list_filter_has_permission",
}

# Frappe methods that answer customers without a row-level check: routed to checked versions that
# apply our isolation for Support Customer users and defer to Frappe's own for everyone else.
override_whitelisted_methods = {
	"frappe.client.get": "support_policy.permissions.overrides.client_get",
	"frappe.client.get_count": "support_policy.permissions.overrides.client_get_count",
	"frappe.desk.listview.get_group_by_count": "support_policy.permissions.overrides.get_group_by_count",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "support_policy.permissions.overrides.get_tagged_docs",
	"frappe.desk.form.document_follow.get_follow_users": "support_policy.permissions.overrides.get_follow_users",
	"frappe.desk.like.toggle_like": "support_policy.permissions.overrides.toggle_like",
	"frappe.utils.global_search.search": "support_policy.permissions.overrides.global_search",
	"frappe.desk.search.get_link_title": "support_policy.permissions.overrides.get_link_title",
	"frappe.desk.search.get_names_for_mentions": "support_policy.permissions.overrides.get_names_for_mentions",
	"frappe.email.relink": "support_policy.permissions.overrides.relink",
	"frappe.templates.includes.comments.comments.add_comment": "support_policy.permissions.overrides.add_web_comment",
	"frappe.utils.file_manager.add_attachments": "support_policy.permissions.overrides.add_attachments",
	"frappe.desk.search.search_link": "support_policy.permissions.overrides.search_link",
	"frappe.desk.search.search_widget": "support_policy.permissions.overrides.search_widget",
	"frappe.handler.download_file": "support_policy.permissions.overrides.download_file",
	"download_file": "support_policy.permissions.overrides.download_file",
	"frappe.desk.form.load.getdoc": "support_policy.permissions.overrides.getdoc",
	"frappe.desk.form.load.get_docinfo": "support_policy.permissions.overrides.get_docinfo",
	"frappe.desk.form.utils.add_comment": "support_policy.permissions.overrides.add_comment",
	"frappe.desk.doctype.event.event.get_events": "support_policy.permissions.overrides.get_events",
}

# Document events
# ---------------
doc_events = {
	"Communication": {
		"after_insert": [
			"support_policy.glue.mail.on_communication",
			# i13-sites: public replies travel to linked customer sites
			"support_policy.hub.feed.on_communication",
		],
	},
	# i12-workflow: a customer's reply in the desk resumes or reopens their request.
	"Comment": {
		"after_insert": "support_policy.glue.sla.on_comment",
	},
	# A customer site: each file attached to a Site Support Request travels to the hub on its own row.
	"File": {
		"validate": "support_policy.customer_site.files.check_limits",
		"after_insert": "support_policy.customer_site.files.queue",
	},
	# A Success Pack quotation priced and submitted: linked customer sites get its link.
	"Quotation": {
		"on_submit": "support_policy.glue.scope.on_quotation_submit",
	},
	"Holiday List": {
		"on_update": "support_policy.support_policy.doctype.support_calendar.support_calendar.on_holiday_list_update",
	},
}

# Scheduled tasks
# ---------------
scheduler_events = {
	"cron": {
		"*/5 * * * *": [
			"support_policy.glue.sla_jobs.check_due_requests",
			# i12-workflow: Success Pack follow-ups whose job died with its worker
			"support_policy.glue.scope.queue_stalled_success_packs",
			# i14-hosting: the monitor's dead-man's switch, outside the probing round
			"support_policy.glue.monitoring.check_monitor",
			# a linked customer site that stopped calling the hub is told to support managers
			"support_policy.hub.watch.check_silent_sites",
		],
		"* * * * *": [
			# i14-hosting: probe every active hosted site every minute (jobs on the short queue)
			"support_policy.glue.monitoring.schedule_round",
			# i13-sites: a customer site sends its outbox and pulls the hub's changes (no-ops on a hub)
			"support_policy.customer_site.jobs.every_minute",
		],
	},
	"daily": [
		"support_policy.support_policy.doctype.support_contract.support_contract.expire_contracts",
		# the change feed keeps Support Policy Settings → Keep Changes for Linked Sites (days)
		"support_policy.hub.feed.prune",
	],
}

# Mail intake (i11-mail)
# ----------------------
# Added to whatever other blocks register for Communication (names starting with "_" are not hooks).
_mail_events = {
	# A received mail stays on the request Frappe's InboundMail chose for it only if it threads into
	# it and its sender belongs to that request's customer.
	"before_insert": "support_policy.glue.mail.check_thread",
	# Frappe skips received attachments over the file size limit without a word: say so.
	"on_update": "support_policy.glue.mail.note_dropped_attachments",
}
for _event, _method in _mail_events.items():
	_current = doc_events.setdefault("Communication", {}).get(_event) or []
	doc_events["Communication"][_event] = [*([_current] if isinstance(_current, str) else _current), _method]
# Our automatic mails say so: "Auto-Submitted" (Frappe writes custom headers as "X-...").
make_email_body_message = "support_policy.glue.mail.mark_automatic"

# Customer sessions: deny by default (i11-api)
# ---------------------------------------------
# Only the routes in support_policy/permissions/allowlist.py; refused and missing documents get the
# same answer; the desk boot shows nothing of the provider. Staff and guests are left to Frappe.
# auth_hooks, not before_request: before_request runs before Frappe reads API keys and tokens.
auth_hooks = ["support_policy.permissions.gate.check_request"]
after_request = ["support_policy.permissions.gate.uniform_refusal"]
extend_bootinfo = ["support_policy.permissions.gate.trim_boot"]
