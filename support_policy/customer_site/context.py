"""What a request carries about the site it came from: site, user, app versions, chosen errors."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, cstr, now_datetime

MAX_ERRORS = 5
MAX_ERROR_CHARS = 3000
RECENT_DAYS = 7


_VERSIONS: dict = {}


def app_versions() -> dict:
	"""Installed apps and their versions (read once per process: they change with a restart)."""
	if _VERSIONS.get(frappe.local.site):
		return _VERSIONS[frappe.local.site]
	versions = {}
	for app in frappe.get_installed_apps():
		try:
			versions[app] = cstr(frappe.get_attr(f"{app}.__version__"))
		except Exception:
			versions[app] = ""
	_VERSIONS[frappe.local.site] = versions
	return versions


def own_errors_only(query, log):
	"""A Support Requester sees the errors raised in their own session; a System Manager all."""
	if "System Manager" in frappe.get_roles():
		return query
	return query.where(log.owner == frappe.session.user)


def chosen_errors(names: str | None) -> list[dict]:
	"""The Error Log entries the user chose (recent ones only, at most ``MAX_ERRORS``)."""
	wanted = [n.strip() for n in cstr(names).splitlines() if n.strip()]
	if len(wanted) > MAX_ERRORS:
		frappe.throw(_("Include at most {0} errors with a request.").format(MAX_ERRORS))
	if not wanted:
		return []
	log = frappe.qb.DocType("Error Log")
	rows = own_errors_only(
		frappe.qb.from_(log)
		.select(log.name, log.method, log.creation, log.error)
		.where(log.name.isin(wanted) & (log.creation >= add_days(now_datetime(), -RECENT_DAYS))),
		log,
	).run(as_dict=True)
	if len(rows) != len(set(wanted)):
		frappe.throw(_("Choose errors from the last {0} days of this site's Error Log.").format(RECENT_DAYS))
	return [
		{"name": r.name, "method": r.method, "at": str(r.creation), "error": cstr(r.error)[-MAX_ERROR_CHARS:]}
		for r in rows
	]


def site_context(error_logs: str | None = None) -> dict:
	return {
		"site": frappe.utils.get_url(),
		"user": frappe.session.user,
		"apps": app_versions(),
		"errors": chosen_errors(error_logs),
	}


def recent_errors(limit: int = 20) -> list[dict]:
	log = frappe.qb.DocType("Error Log")
	rows = own_errors_only(
		frappe.qb.from_(log)
		.select(log.name, log.method, log.creation, log.error)
		.where(log.creation >= add_days(now_datetime(), -RECENT_DAYS))
		.orderby(log.creation, order=frappe.qb.desc)
		.limit(limit),
		log,
	).run(as_dict=True)
	return [
		{
			"name": r.name,
			"method": cstr(r.method)[:140],
			"at": str(r.creation),
			"summary": (cstr(r.error).strip().splitlines() or [""])[-1][:200],
		}
		for r in rows
	]
