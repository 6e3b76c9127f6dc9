"""The "Soporte" workspace follows the site's mode.

The app ships one workspace. On the hub it is the staff's and customers' desk (cards, charts,
reports) without the customer-site shortcuts; on a customer site it shows only *Nueva solicitud*,
*Mis solicitudes* and their card, and only to Support Requesters and System Managers. Applied when
the mode changes (Support Policy Settings) and after every migrate (which may bring the shipped
layout back). Written straight to the database: saving the Workspace would export it over the
app's own file on a developer-mode site.
"""

from __future__ import annotations

import json

import frappe

from support_policy.customer_site import is_customer_site

WORKSPACE = "Soporte"
CUSTOMER_BLOCKS = ("i13site01", "i13site02", "i13site03")
CUSTOMER_ROLES = ("Support Requester", "System Manager")


def shipped() -> dict:
	return frappe.get_file_json(
		frappe.get_app_path("support_policy", "support_policy", "workspace", "soporte", "soporte.json")
	)


def layout(customer: bool) -> tuple[list, list[str]]:
	"""(content blocks, roles) of the workspace for a customer site or for the hub."""
	data = shipped()
	blocks = json.loads(data["content"])
	if customer:
		return [b for b in blocks if b["id"] in CUSTOMER_BLOCKS], list(CUSTOMER_ROLES)
	return [b for b in blocks if b["id"] not in CUSTOMER_BLOCKS], [r["role"] for r in data.get("roles") or []]


def apply_site_mode(customer: bool | None = None) -> None:
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	blocks, roles = layout(is_customer_site() if customer is None else customer)
	frappe.db.set_value(
		"Workspace", WORKSPACE, "content", json.dumps(blocks, ensure_ascii=False), update_modified=False
	)
	frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": WORKSPACE})
	for idx, role in enumerate(roles, start=1):
		frappe.get_doc(
			{
				"doctype": "Has Role",
				"parenttype": "Workspace",
				"parentfield": "roles",
				"parent": WORKSPACE,
				"role": role,
				"idx": idx,
			}
		).db_insert()
	frappe.clear_document_cache("Workspace", WORKSPACE)
	frappe.cache.delete_key("bootinfo")
