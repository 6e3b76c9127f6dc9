# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Availability of each contract's hosted sites in a calendar month (the site's time zone), against
the promise of 99.99 %, with its incidents, backup coverage and users against the plan.

Counting rules (support_policy.availability.counting, the same the live monitor uses): an outage is
confirmed by N consecutive failed probes (default 3) and counts from the first; it ends at the first
of M consecutive good probes (default 3). Minutes the monitor did not probe, or probed while its
canary failed, are unknown; minutes inside maintenance windows announced in advance are excluded.
Availability = up / (up + down); budget = 0.01 % of (up + down) minutes.

One row per contract (all its hosted sites added up), worst availability first; with a contract
chosen, its incidents follow as rows of their own (restore time measured by the request's
resolution timer, as the plan's restore row says).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import cint, flt, get_first_day, get_last_day, getdate

from support_policy.availability import (
	DOWN,
	EXCLUDED,
	MINUTES_PER_DAY,
	TARGET,
	ProbeDay,
	derive_states,
	figures,
)
from support_policy.availability.counting import window_mask
from support_policy.glue.monitoring import policy_timezone, rules
from support_policy.glue.reporting import contract_columns
from support_policy.glue.timeutil import aware, stored, system_tz
from support_policy.sla.targets import select_target

LOOKBACK_DAYS = 1  # an outage open at the start of the month is seen from the day before


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = data(filters)
	return columns(), rows, None, None, summary(rows)


def month_bounds(month, tz: ZoneInfo | None = None) -> tuple[datetime, datetime]:
	"""[first minute, first minute of the next month) in UTC, from the policy's time zone."""
	first = getdate(get_first_day(month or getdate()))
	last = getdate(get_last_day(first))
	tz = tz or policy_timezone()
	start = datetime(first.year, first.month, first.day, tzinfo=tz).astimezone(UTC)
	end = (datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1)).astimezone(UTC)
	return start, end


def data(filters) -> list[dict]:
	contract_filters = {"name": filters.contract} if filters.contract else {}
	site_rows = frappe.get_all(
		"Hosted Site",
		filters={
			"contract": (
				"in",
				frappe.get_all("Support Contract", filters=contract_filters, pluck="name") or [""],
			)
		},
		fields=["name", "contract", "customer", "site_url", "enabled_users", "creation"],
		order_by="name",
	)
	by_contract: dict[str, list] = {}
	for site in site_rows:
		by_contract.setdefault(site.contract, []).append(site)
	rows = []
	for contract, sites in by_contract.items():
		start, end = month_bounds(filters.month, policy_timezone(contract))
		rows.append(contract_row(contract, sites, start, end))
	rows.sort(key=worst_first)
	if filters.contract:
		for row in list(rows):
			start, end = month_bounds(filters.month, policy_timezone(row.contract))
			rows += incident_rows(row.contract, start, end)
	return rows


def worst_first(row):
	return (
		row.availability is None,
		row.availability if row.availability is not None else 0,
		-row.minutes_down,
	)


def contract_row(contract: str, sites: list, start: datetime, end: datetime):
	total = {"up": 0, "down": 0, "unknown": 0, "excluded": 0}
	for site in sites:
		f = site_figures(site.name, start, end)
		for key in total:
			total[key] += getattr(f, key)
	from support_policy.availability import Figures

	f = Figures(**total, target=TARGET)
	plan = frappe.db.get_value("Support Contract", contract, "support_plan")
	max_users = frappe.db.get_value("Support Plan", plan, "max_users") if plan else None
	backup = backup_coverage([s.name for s in sites], start, end, policy_timezone(contract))
	row = frappe._dict(
		row_type="contract",
		contract=contract,
		customer=sites[0].customer,
		sites=", ".join(s.site_url for s in sites),
		minutes_up=f.up,
		minutes_down=f.down,
		minutes_unknown=f.unknown,
		minutes_excluded=f.excluded,
		availability=round(f.availability * 100, 4) if f.availability is not None else None,
		target=TARGET * 100,
		budget_minutes=round(f.budget_minutes, 2),
		budget_used=round(f.budget_used * 100, 1) if f.budget_used is not None else None,
		promise_kept=None if f.promise_kept is None else int(f.promise_kept),
		promise=_("No data") if f.promise_kept is None else (_("Kept") if f.promise_kept else _("Broken")),
		incidents=incident_count(contract, start, end),
		backup_days=backup["days"],
		days=backup["of"],
		oldest_gap_hours=backup["gap_hours"],
		users=max(cint(s.enabled_users) for s in sites),
		max_users=cint(max_users) if plan else None,
	)
	return row


def site_figures(site: str, start: datetime, end: datetime):
	"""Counted minutes of one site in [start, end), with the lookback day for context."""
	origin = datetime.combine((start - timedelta(days=LOOKBACK_DAYS)).date(), datetime.min.time(), UTC)
	n_days = (end - origin).days + (1 if (end - origin) % timedelta(days=1) else 0)
	observations = [0] * (n_days * MINUTES_PER_DAY)
	first_day, last_day = origin.date(), (origin + timedelta(days=n_days - 1)).date()
	for row in frappe.get_all(
		"Site Probe Day",
		filters={"hosted_site": site, "day": ("between", (first_day, last_day))},
		fields=["day", "probes"],
	):
		offset = (getdate(row.day) - first_day).days * MINUTES_PER_DAY
		observations[offset : offset + MINUTES_PER_DAY] = ProbeDay.unpack(row.probes).observations()
	windows = []
	for w in frappe.get_all(
		"Maintenance Window",
		filters={
			"hosted_site": site,
			"excluded": 1,
			"ends_on": (">", stored(origin)),
			"starts_on": ("<", stored(end)),
		},
		fields=["starts_on", "ends_on"],
	):
		windows.append((minute_index(origin, aware(w.starts_on)), minute_index(origin, aware(w.ends_on))))
	states, _outages = derive_states(observations, window_mask(len(observations), windows), rules())
	lo, hi = minute_index(origin, start), minute_index(origin, end)
	# Minutes before the site's first recorded probe are not counted at all (not monitored yet).
	first = next((i for i, o in enumerate(observations) if o), len(observations))
	return figures(states[max(lo, first) : hi], TARGET)


def minute_index(origin: datetime, at: datetime) -> int:
	return int((at - origin).total_seconds() // 60)


def incident_count(contract: str, start: datetime, end: datetime) -> int:
	return frappe.db.count(
		"Site Incident",
		{
			"contract": contract,
			"started_on": ("between", (stored(start), stored(end - timedelta(seconds=1)))),
		},
	)


def incident_rows(contract: str, start: datetime, end: datetime) -> list[dict]:
	plan = frappe.db.get_value("Support Contract", contract, "support_plan")
	target = (
		select_target(frappe.get_cached_doc("Support Plan", plan).target_rows(), "Urgent", "Connectivity")
		if plan
		else None
	)
	rows = []
	for incident in frappe.get_all(
		"Site Incident",
		filters={
			"contract": contract,
			"started_on": ("between", (stored(start), stored(end - timedelta(seconds=1)))),
		},
		fields=[
			"name",
			"hosted_site",
			"started_on",
			"recovered_on",
			"down_minutes",
			"support_request",
			"outages",
		],
		order_by="started_on",
	):
		request = (
			frappe.db.get_value(
				"Support Request",
				incident.support_request,
				["business_seconds_used", "resolution_status"],
				as_dict=True,
			)
			if incident.support_request
			else None
		)
		rows.append(
			frappe._dict(
				row_type="incident",
				indent=1,
				contract=contract,
				incident=incident.name,
				started_on=incident.started_on,
				recovered_on=incident.recovered_on,
				incident_minutes=incident.down_minutes,
				support_request=incident.support_request,
				restore_minutes=round(cint(request.business_seconds_used) / 60) if request else None,
				restore_target_minutes=round(target.resolution_seconds / 60) if target else None,
				restore_status=_(request.resolution_status)
				if request and request.resolution_status
				else None,
			)
		)
	return rows


def backup_coverage(sites: list[str], start: datetime, end: datetime, tz: ZoneInfo) -> dict:
	"""Days of the month (policy's time zone) with a complete backup of every site, and the longest
	time without one (hours, from the last backup before the month to the end of the month or now)."""
	first_local = start.astimezone(tz).date()
	last_local = (end - timedelta(seconds=1)).astimezone(tz).date()
	days_of_month = (last_local - first_local).days + 1
	horizon = min(end, datetime.now(UTC))
	covered_by_site, worst_gap = [], 0.0
	for site in sites:
		taken = sorted(
			aware(t)
			for t in frappe.get_all(
				"Site Probe Day",
				filters={"hosted_site": site, "backup_taken_at": ("is", "set"), "day": ("<=", end.date())},
				pluck="backup_taken_at",
			)
		)
		before = [t for t in taken if t < start]
		inside = [t for t in taken if start <= t < end]
		covered_by_site.append({t.astimezone(tz).date() for t in inside})
		points = ([before[-1]] if before else [start]) + inside + [horizon]
		gaps = [(b - a).total_seconds() / 3600 for a, b in pairwise(points) if b > a]
		worst_gap = max([worst_gap, *gaps])
	covered = set.intersection(*covered_by_site) if covered_by_site else set()
	return {"days": len(covered), "of": days_of_month, "gap_hours": round(worst_gap, 1)}


def summary(rows) -> list[dict]:
	contracts = [r for r in rows if r.row_type == "contract"]
	if not contracts:
		return []
	broken = sum(1 for r in contracts if r.promise_kept == 0)
	return [
		{"value": len(contracts), "label": _("Contracts"), "datatype": "Int"},
		{
			"value": broken,
			"label": _("Promise Broken"),
			"datatype": "Int",
			"indicator": "Red" if broken else "Green",
		},
		{"value": sum(r.minutes_down for r in contracts), "label": _("Minutes Down"), "datatype": "Int"},
	]


def columns():
	return [
		*contract_columns(),
		{"fieldname": "sites", "label": _("Sites"), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "availability",
			"label": _("Availability %"),
			"fieldtype": "Float",
			"precision": 4,
			"width": 110,
		},
		{"fieldname": "promise", "label": _("99.99 % Promise"), "fieldtype": "Data", "width": 110},
		{"fieldname": "minutes_down", "label": _("Minutes Down"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "budget_minutes",
			"label": _("Downtime Budget (min)"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 120,
		},
		{
			"fieldname": "budget_used",
			"label": _("Budget Used %"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{"fieldname": "minutes_unknown", "label": _("Minutes Unknown"), "fieldtype": "Int", "width": 110},
		{"fieldname": "minutes_excluded", "label": _("Minutes Excluded"), "fieldtype": "Int", "width": 110},
		{"fieldname": "minutes_up", "label": _("Minutes Up"), "fieldtype": "Int", "width": 100},
		{"fieldname": "incidents", "label": _("Incidents"), "fieldtype": "Int", "width": 80},
		{"fieldname": "backup_days", "label": _("Days with Backup"), "fieldtype": "Int", "width": 110},
		{"fieldname": "days", "label": _("Days"), "fieldtype": "Int", "width": 60},
		{
			"fieldname": "oldest_gap_hours",
			"label": _("Longest Gap without Backup (h)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 140,
		},
		{"fieldname": "users", "label": _("Enabled Users"), "fieldtype": "Int", "width": 100},
		{"fieldname": "max_users", "label": _("User Cap"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "incident",
			"label": _("Site Incident"),
			"fieldtype": "Link",
			"options": "Site Incident",
			"width": 110,
		},
		{"fieldname": "started_on", "label": _("Down Since"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "recovered_on", "label": _("Up Again"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "incident_minutes", "label": _("Minutes Down"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "support_request",
			"label": _("Support Request"),
			"fieldtype": "Link",
			"options": "Support Request",
			"width": 140,
		},
		{
			"fieldname": "restore_minutes",
			"label": _("Restore Time (business min)"),
			"fieldtype": "Int",
			"width": 130,
		},
		{
			"fieldname": "restore_target_minutes",
			"label": _("Restore Target (min)"),
			"fieldtype": "Int",
			"width": 120,
		},
		{"fieldname": "restore_status", "label": _("Restore"), "fieldtype": "Data", "width": 90},
		{"fieldname": "row_type", "label": _("Row"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "promise_kept", "label": _("Promise Kept"), "fieldtype": "Int", "hidden": 1},
	]
