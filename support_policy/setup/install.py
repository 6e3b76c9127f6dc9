"""Install, migrate and uninstall steps.

Everything here is idempotent: a second ``bench migrate`` changes nothing. Records the provider
has edited are never overwritten; only missing records are created.
"""

import frappe
from frappe import _

from support_policy.customer_site import desk
from support_policy.glue import report_key
from support_policy.glue.scope import RULE_CONTENT_FIELDS
from support_policy.scope import load_default_records

ROLES = ("Support Customer", "Support Agent", "Support Manager", "Support Requester", "Support Monitor")

# The provider's policy as written ("Política de Soporte — Hosting de ERPNEXT", válido hasta
# diciembre 2021). SLA targets other than "restore within 2 hours" are our editable defaults;
# the README explains them.
SEED_CALENDAR = {
	"doctype": "Support Calendar",
	"calendar_name": "México — Lunes a Viernes 9:00 a 18:00",
	"timezone": "America/Mexico_City",
	"holiday_country": "MX",
	"working_hours": [
		{"weekday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
		for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	],
}

SEED_PLAN = {
	"doctype": "Support Plan",
	"plan_title": "Hosting ERPNext — Anual hasta 10 usuarios",
	"policy_version": "2021",
	"valid_from": "2021-01-01",
	"valid_until": "2021-12-31",
	"term_months": 12,
	"max_users": 10,
	"delivery_hours": 72,
	"delivery_measured_on": "Around the clock",
	"price": 15000,
	"currency": "MXN",
	"iva_rate": 16,
	"language": "es",
	"channel_email": 1,
	"channel_chat": 1,
	"sla_targets": [
		{"priority": "Urgent", "first_response_hours": 1, "resolution_hours": 8},
		{"priority": "High", "first_response_hours": 2, "resolution_hours": 16},
		{"priority": "Medium", "first_response_hours": 4, "resolution_hours": 27},
		{"priority": "Low", "first_response_hours": 8, "resolution_hours": 45},
		# The policy: "Restablecer la conectividad, base de datos y archivos en un plazo no mayor a 2 horas".
		{"category": "Restore", "first_response_hours": 0.5, "resolution_hours": 2},
		{"category": "Connectivity", "first_response_hours": 0.5, "resolution_hours": 2},
	],
}

SUCCESS_PACK_ITEM = "Success Pack"


def after_install():
	setup()
	desk.apply_site_mode()


def after_migrate():
	setup()
	report_key.ensure()
	desk.apply_site_mode()


def setup():
	ensure_roles()
	calendar = ensure_calendar()
	plan = ensure_plan(calendar)
	ensure_scope_rules()
	item = ensure_success_pack_item()
	# i14-hosting: before anything saves the settings (a save would store unset fields as 0)
	from support_policy.glue.monitoring import ensure_settings_defaults

	ensure_settings_defaults()
	ensure_settings(plan, calendar, item)


def ensure_roles():
	# The fixture file is the single definition of our roles; install runs after_install before
	# fixtures are synced, so import it here too.
	from frappe.utils.fixtures import import_fixtures

	if not all(frappe.db.exists("Role", role) for role in ROLES):
		import_fixtures("support_policy")


def ensure_calendar() -> str:
	name = SEED_CALENDAR["calendar_name"]
	if not frappe.db.exists("Support Calendar", name):
		frappe.get_doc(SEED_CALENDAR).insert(ignore_permissions=True)
	return name


def ensure_plan(calendar: str) -> str:
	existing = frappe.db.get_value(
		"Support Plan",
		{"plan_title": SEED_PLAN["plan_title"], "policy_version": SEED_PLAN["policy_version"]},
	)
	if existing:
		return existing
	if not frappe.db.exists("Currency", SEED_PLAN["currency"]):
		return None
	doc = frappe.get_doc({**SEED_PLAN, "support_calendar": calendar})
	if not frappe.db.exists("Language", doc.language):
		doc.language = None
	doc.flags.seeding = True
	doc.insert(ignore_permissions=True)
	return doc.name


def shipped_rule(record: dict) -> dict:
	"""A record of default_rules.json as Scope Rule field values."""
	values = {key: value for key, value in record.items() if key not in ("name", "plan")}
	values["support_plan"] = record.get("plan") or None
	return values


def rule_hash(values: dict) -> str:
	import hashlib
	import json

	content = {field: values.get(field) or None for field in RULE_CONTENT_FIELDS}
	return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:20]


def ensure_scope_rules():
	"""Create the shipped rules that are missing and update the ones nobody edited since they were
	shipped; a rule the provider edited (its content no longer matches what was shipped) is left alone.
	A shipped rule the site refuses is logged, not allowed to stop the install or migrate."""
	for record in load_default_records():
		values = shipped_rule(record)
		new_hash = rule_hash(values)
		try:
			if not frappe.db.exists("Scope Rule", record["name"]):
				doc = frappe.get_doc(
					{"doctype": "Scope Rule", **values, "is_standard": 1, "shipped_hash": new_hash}
				)
				doc.insert(ignore_permissions=True, set_name=record["name"])
				continue
			doc = frappe.get_doc("Scope Rule", record["name"])
			if doc.shipped_hash == new_hash or rule_hash(doc.as_dict()) != doc.shipped_hash:
				continue  # already current, or edited by the provider
			doc.update({**values, "shipped_hash": new_hash})
			doc.save(ignore_permissions=True)
		except frappe.ValidationError:
			frappe.log_error(title=f"Shipped scope rule {record['name']} not installed")


def find_success_pack_item() -> str | None:
	"""The Success Pack item, by a key that survives how the site names items: the item Support Policy
	Settings points to (a link follows renames), else the one we created, by its item name. The
	document name is no key: with Stock Settings naming items by series, ERPNext names the item (and
	its item code) STO-ITEM-.YYYY.-.#####."""
	linked = frappe.db.get_single_value("Support Policy Settings", "success_pack_item")
	if linked and frappe.db.exists("Item", linked):
		return linked
	item = frappe.qb.DocType("Item")
	found = (
		frappe.qb.from_(item)
		.select(item.name)
		.where((item.item_code == SUCCESS_PACK_ITEM) | (item.item_name == SUCCESS_PACK_ITEM))
		.orderby(item.creation)
		.limit(1)
	).run(pluck=True)
	return found[0] if found else None


def ensure_success_pack_item() -> str | None:
	"""The ERPNext Item quoted for excluded work. Item groups and units of measure only exist once
	ERPNext's setup wizard has run, so on a bare site this waits for the next migrate (or the
	setup_wizard_complete hook)."""
	existing = find_success_pack_item()
	if existing:
		return existing
	from frappe.utils.nestedset import get_root_of

	item_group = "Services" if frappe.db.exists("Item Group", "Services") else get_root_of("Item Group")
	uom = frappe.db.get_value("UOM", {"name": ("in", ["Unit", "Nos", "Hour"])}, "name")
	if not item_group or not uom:
		return None
	item = frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": SUCCESS_PACK_ITEM,
			"item_name": SUCCESS_PACK_ITEM,
			"item_group": item_group,
			"stock_uom": uom,
			"is_stock_item": 0,
			"is_sales_item": 1,
			"is_purchase_item": 0,
			"include_item_in_manufacturing": 0,
			"description": _(
				"Success Pack: tailored consulting. One of our consultants analyses your case, guides you to "
				"configure your platform optimally and provides training."
			),
		}
	)
	item.insert(ignore_permissions=True)
	return item.name


def ensure_settings(plan: str | None, calendar: str, item: str | None):
	settings = frappe.get_single("Support Policy Settings")
	changed = False
	for field, value in (("default_plan", plan), ("default_calendar", calendar), ("success_pack_item", item)):
		if value and not settings.get(field):
			settings.set(field, value)
			changed = True
	if not settings.company:
		company = frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")
		if company:
			settings.company = company
			changed = True
	if changed:
		settings.flags.ignore_permissions = True
		settings.save()


def after_setup_wizard(args=None):
	setup()


def before_uninstall():
	"""Leave ERPNext as it was: drop our standard records on ERPNext doctypes that would point at
	nothing once our doctypes are gone. The Success Pack item is kept if it was used on a quotation."""
	item = find_success_pack_item()
	if item and not frappe.db.exists("Quotation Item", {"item_code": item}):
		frappe.delete_doc("Item", item, ignore_permissions=True, force=True)
