"""Health of this site, for the provider's hub monitor (runs on each hosted customer site), and the
hub monitor's own freshness (for an uptime checker outside the hub).

``health`` touches the database and Redis, and reports the last complete backups (read from the site's
own backup folder), the number of enabled system users, the Frappe and ERPNext versions and whether
the scheduler runs. The hub calls it with the token (API key and secret) of the site's monitor user
(role Support Monitor, which opens nothing else; ``make_monitor_user`` makes it), kept in the Hosted
Site's Password field. It tells nothing about any other site.
"""

import os
from datetime import UTC

import frappe
from frappe import _

from support_policy.availability.health import complete_backups
from support_policy.glue.timeutil import aware

BACKUPS_REPORTED = 7


MONITOR_ROLES = {"Support Monitor", "System Manager"}


@frappe.whitelist(methods=["GET"])
def health() -> dict:
	if not MONITOR_ROLES.intersection(frappe.get_roles()):
		frappe.throw(_("Only the provider's monitor may read this site's health"), frappe.PermissionError)
	user = frappe.qb.DocType("User")
	enabled_users = (
		frappe.qb.from_(user)
		.select(frappe.query_builder.functions.Count("*"))
		.where(
			(user.enabled == 1)
			& (user.user_type == "System User")
			& user.name.notin(("Administrator", "Guest"))
		)
	).run()[0][0]
	token = frappe.generate_hash(length=12)
	frappe.cache.set_value("support_policy:health", token, expires_in_sec=60)
	redis_ok = frappe.cache.get_value("support_policy:health", expires=True) == token
	return {
		"database": True,  # the count above answered
		"redis": redis_ok,
		"enabled_users": int(enabled_users),
		"backups": backups(),
		"versions": versions(),
		"scheduler": scheduler_status(),
	}


@frappe.whitelist(methods=["POST"])
def make_monitor_user(email: str | None = None) -> dict:
	"""The user whose token the hub's monitor uses on this site: only the Support Monitor role (no
	desk, no documents), with a new API key and secret, shown once. Run again, it issues a new secret
	and the old one stops working. System Manager (or ``bench --site SITE execute
	support_policy.api.health.make_monitor_user``)."""
	from frappe.core.doctype.user.user import generate_keys

	frappe.only_for("System Manager")
	email = (email or f"monitor-soporte@{frappe.local.site}").strip().lower()
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": _("Provider's monitor"),
				"send_welcome_email": 0,
				"user_type": "Website User",
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	extra = [r.role for r in user.roles if r.role != "Support Monitor"]
	if extra:
		frappe.throw(
			_("{0} has other roles ({1}); the monitor needs a user of its own.").format(
				email, ", ".join(extra)
			)
		)
	user.add_roles("Support Monitor")
	return {"user": email, **generate_keys(email)}


def backups() -> list[dict]:
	folder = frappe.get_site_path("private", "backups")
	if not os.path.isdir(folder):
		return []
	with os.scandir(folder) as entries:
		files = [(e.name, e.stat().st_size) for e in entries if e.is_file()]
	found = complete_backups(files)[:BACKUPS_REPORTED]
	# File names carry the site's wall-clock time; the hub gets UTC.
	return [{**b, "taken_at": aware(b["taken_at"]).astimezone(UTC).isoformat()} for b in found]


def versions() -> dict:
	from frappe.utils.change_log import get_versions

	return {app: info.get("version") for app, info in get_versions().items() if app in ("frappe", "erpnext")}


def scheduler_status() -> str:
	from frappe.utils.scheduler import is_scheduler_disabled, is_scheduler_inactive

	if is_scheduler_disabled(verbose=False):
		return "disabled"
	return "inactive" if is_scheduler_inactive(verbose=False) else "active"


@frappe.whitelist(allow_guest=True, methods=["GET"])
def monitor_status() -> dict:
	"""For an uptime checker outside the hub (the dead-man's switch's last line): HTTP 503 when the
	monitor completed no round in the last minutes. Tells only that, to anyone."""
	from support_policy.glue.monitoring import monitor_fresh

	fresh = monitor_fresh()
	if not fresh:
		frappe.local.response["http_status_code"] = 503
	return {"fresh": fresh}
