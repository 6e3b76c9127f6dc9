"""The hub's monitor of hosted sites: glue between the availability core, Frappe's scheduler and
queue, and the records (Site Probe Day, Hosted Site, Site Incident, Support Request).

Every minute (``schedule_round``, cron ``* * * * *``) the active Hosted Sites are split into jobs of
``sites_per_job`` sites, enqueued on the ``short`` queue with a job id per (minute, chunk) and
``deduplicate=True``, so any number of workers share a round and a round is never queued twice. Each job
(``probe_sites``) first probes the canary: if the canary fails, the monitor is blind and every site
of the job records an unknown minute. Otherwise it probes its sites (bounded thread pool), then for each
site, in one savepoint: packs the minute into the site's day, steps the live tracker (the core's
:class:`~support_policy.availability.Tracker`, the same rules the reports count with), opens or
closes the incident and its request, and reads the health answer (backups, users, versions, scheduler).

Dead-man's switch: each job stamps ``monitor_last_round``; ``check_monitor`` (every minute when the
round is scheduled, and every 5 minutes from a separate cron entry) alerts staff once when no round
completed for ``STALE_MINUTES``, and again when rounds resume. ``support_policy.api.health.monitor_status``
answers 503 then, for an uptime checker outside the hub.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, get_url_to_form

from support_policy import statuses
from support_policy.availability import BLIND, FAILED, OK, ProbeDay, Rules, Tracker
from support_policy.availability.probe import Target, probe, probe_round
from support_policy.glue.timeutil import aware, now_aware, stored, system_tz
from support_policy.support_policy.doctype.site_probe_day.site_probe_day import day_name

STALE_MINUTES = 3
# (connect, read) seconds per HTTP request of a probe; two requests per site.
PROBE_TIMEOUT = (2.0, 8.0)
BACKUP_MAX_AGE = timedelta(hours=24)
CHANNEL = "Monitoring"


# The defaults of the Monitoring section of Support Policy Settings, for sites where it was never
# saved since the fields were added (a Single's unset field reads as None).
DEFAULTS = {
	"monitoring_enabled": 1,
	"failures_to_confirm": 3,
	"successes_to_recover": 3,
	"regroup_minutes": 60,
	"maintenance_notice_hours": 24,
	"sites_per_job": 250,
	"probe_concurrency": 64,
}


def settings():
	return frappe.get_cached_doc("Support Policy Settings")


def ensure_settings_defaults() -> None:
	"""Write the Monitoring defaults into Support Policy Settings where nothing is stored yet (install
	and every migrate): a Single saved later keeps them instead of saving its unset fields as 0."""
	singles = frappe.qb.DocType("Singles")
	stored_fields = set(
		frappe.qb.from_(singles)
		.select(singles.field)
		.where((singles.doctype == "Support Policy Settings") & singles.value.isnotnull())
		.run(pluck=True)
	)
	for fieldname, value in DEFAULTS.items():
		if fieldname not in stored_fields:
			frappe.db.set_single_value("Support Policy Settings", fieldname, value)


# Counts that cannot be 0 (a Single saves an unset Int as 0).
POSITIVE = ("failures_to_confirm", "successes_to_recover", "sites_per_job", "probe_concurrency")


def setting(fieldname: str):
	value = settings().get(fieldname)
	if value is None or (fieldname in POSITIVE and not cint(value)):
		return DEFAULTS.get(fieldname)
	return value


def rules() -> Rules:
	return Rules(
		failures_to_confirm=max(1, cint(setting("failures_to_confirm"))),
		successes_to_recover=max(1, cint(setting("successes_to_recover"))),
		regroup_minutes=cint(setting("regroup_minutes")),
	)


def utc_minute(at: datetime | None = None) -> datetime:
	at = (at or now_aware()).astimezone(UTC)
	return at.replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# The round


def active_sites() -> list[str]:
	site = frappe.qb.DocType("Hosted Site")
	contract = frappe.qb.DocType("Support Contract")
	return (
		frappe.qb.from_(site)
		.join(contract)
		.on(contract.name == site.contract)
		.select(site.name)
		.where((site.status == "Active") & contract.status.isin(statuses.CONTRACT_IN_FORCE))
		.orderby(site.name)
	).run(pluck=True)


def schedule_round() -> int:
	"""Cron every minute: enqueue this minute's probe jobs. Returns how many jobs were queued (a job
	of this minute already waiting or running is not queued again)."""
	if not cint(setting("monitoring_enabled")):
		return 0
	minute = utc_minute()
	check_monitor()
	names = active_sites()
	per_job = max(1, cint(setting("sites_per_job")))
	jobs = 0
	for i in range(0, len(names), per_job):
		job = frappe.enqueue(
			"support_policy.glue.monitoring.probe_sites",
			queue="short",
			job_id=f"support_policy:probe:{minute:%Y%m%d%H%M}:{i // per_job}",
			deduplicate=True,
			timeout=55,
			sites=names[i : i + per_job],
			minute=minute.isoformat(),
		)
		jobs += 1 if job else 0  # None: this minute's job is queued already
	return jobs


SITE_FIELDS = (
	"name",
	"site_url",
	"contract",
	"customer",
	"monitor_api_key",
	"monitor_tracker",
	"site_incident",
	"last_backup_on",
	"backup_overdue",
	"backup_request",
	"enabled_users",
	"users_over_plan",
)


def load_sites(names: list[str]) -> dict[str, frappe._dict]:
	"""The job's Hosted Sites in one query, with their secrets and the plan's user cap."""
	rows = frappe.get_all("Hosted Site", filters={"name": ("in", names or [""])}, fields=list(SITE_FIELDS))
	auth = frappe.qb.Table("__Auth")
	secrets = dict(
		frappe.qb.from_(auth)
		.select(auth.name, auth.password)
		.where(
			(auth.doctype == "Hosted Site")
			& (auth.fieldname == "monitor_api_secret")
			& auth.name.isin(names or [""])
		)
		.run()
	)
	contract = frappe.qb.DocType("Support Contract")
	plan = frappe.qb.DocType("Support Plan")
	caps = dict(
		frappe.qb.from_(contract)
		.join(plan)
		.on(plan.name == contract.support_plan)
		.select(contract.name, plan.max_users)
		.where(contract.name.isin([r.contract for r in rows] or [""]))
		.run()
	)
	for row in rows:
		row.secret = decrypt(secrets[row.name]) if row.name in secrets else None
		row.user_cap = cint(caps.get(row.contract)) or None
	return {row.name: row for row in rows}


def decrypt(value: str) -> str | None:
	from frappe.utils.password import decrypt as frappe_decrypt

	try:
		return frappe_decrypt(value)
	except Exception:
		return None  # a secret encrypted with another key: the health probe fails, visibly


def excluded_now(names: list[str], at: datetime) -> set[str]:
	"""The sites (of ``names``) inside an announced maintenance window at ``at``."""
	window = frappe.qb.DocType("Maintenance Window")
	moment = stored(at)
	return set(
		frappe.qb.from_(window)
		.select(window.hosted_site)
		.where(
			window.hosted_site.isin(names or [""])
			& (window.excluded == 1)
			& (window.starts_on <= moment)
			& (window.ends_on > moment)
		)
		.run(pluck=True)
	)


def canary_ok() -> bool:
	url = (settings().canary_url or "").strip().rstrip("/")
	return not url or probe(Target("canary", url), timeout=PROBE_TIMEOUT).ok


def probe_sites(sites: list[str], minute: str) -> dict:
	"""One job of a round: probe ``sites`` for ``minute`` (ISO, UTC) and record what was seen.

	The probes run before anything is written, so the job's transaction (committed by the worker at
	the end) holds row locks only while recording. A job that dies rolls everything back: its minutes
	stay unprobed (unknown), and nothing is notified twice."""
	at = datetime.fromisoformat(minute).astimezone(UTC)
	rows = load_sites(sites)
	targets = [
		Target(row.name, row.site_url, row.monitor_api_key, row.secret)
		for row in sorted(rows.values(), key=lambda r: r.name)
	]
	blind = not canary_ok()
	note_canary(blind)
	if blind:
		results = {t.key: None for t in targets}
	else:
		concurrency = max(1, cint(setting("probe_concurrency")))
		results = {r.key: r for r in probe_round(targets, concurrency=concurrency, timeout=PROBE_TIMEOUT)}
	in_window = excluded_now(list(rows), at)
	digest = []
	for target in targets:
		frappe.db.savepoint("probe_site")
		try:
			digest += record_probe(rows[target.key], at, results[target.key], target.key in in_window)
		except Exception:
			frappe.db.rollback(save_point="probe_site")
			frappe.log_error(title=_("Recording the probe of {0} failed").format(target.key))
	frappe.db.set_single_value("Support Policy Settings", "monitor_last_round", stored(now_aware()))
	if digest:
		tell_staff(digest)
	return {"probed": len(targets), "blind": blind, "events": len(digest)}


# ---------------------------------------------------------------------------------------------
# One site's minute


def record_probe(site, at: datetime, result, in_window: bool = False) -> list[tuple]:
	"""Record the observation of ``site`` (a row of :func:`load_sites`) at minute ``at`` (UTC);
	returns the staff digest lines."""
	observation = BLIND if result is None else (OK if result.ok else FAILED)
	store_minute(site.name, at, observation, result.latency_ms if result else None)
	events = []
	tracker, last = load_tracker(site)
	# Minutes inside an announced window, and minutes recorded late (out of order), leave the live
	# tracker as it was; the reports count every minute from the stored days with the same rules.
	if (last is None or at > last) and not in_window:
		outage_start = tracker.outage_started_at
		event = tracker.step(at, observation)
		if event and event[0] == "confirmed":
			events.append(outage_confirmed(site, event[1], at))
		elif event and event[0] == "recovered":
			events.append(outage_recovered(site, outage_start, event[1]))
	values = {
		"monitor_tracker": dump_tracker(tracker, max(at, last) if last else at),
		"last_probe_on": stored(at),
		"last_probe_error": (result.error or "")[:140] if result else _("Monitor blind (canary failed)"),
		"monitor_state": "Unknown" if result is None else ("Down" if tracker.down else "Up"),
	}
	if result is not None and result.health:
		values.update(read_health(site, result.health, at))
	frappe.db.set_value("Hosted Site", site.name, values, update_modified=False)
	if result is not None and result.health:
		site.update(values)
		events += check_backup(site, at) + check_users(site)
	return [e for e in events if e]


def store_minute(site_name: str, at: datetime, observation: int, latency_ms) -> None:
	name = day_name(site_name, at.date())
	packed = frappe.db.get_value("Site Probe Day", name, "probes", for_update=True)
	if packed is None:
		try:
			frappe.get_doc({"doctype": "Site Probe Day", "hosted_site": site_name, "day": at.date()}).insert(
				ignore_permissions=True
			)
		except frappe.DuplicateEntryError:
			pass  # another job made it a moment ago
		packed = frappe.db.get_value("Site Probe Day", name, "probes", for_update=True)
	day = ProbeDay.unpack(packed)
	day.set(at.hour * 60 + at.minute, observation, latency_ms)
	counts = day.counts()
	# Unknown: minutes between the day's first and last recorded probe with nothing trustworthy.
	observed = [i for i, o in enumerate(day.observations()) if o]
	seen_minutes = (observed[-1] - observed[0] + 1) if observed else 0
	frappe.db.set_value(
		"Site Probe Day",
		name,
		{
			"probes": day.pack(),
			"minutes_ok": counts[OK],
			"minutes_failed": counts[FAILED],
			"minutes_unknown": seen_minutes - counts[OK] - counts[FAILED],
		},
		update_modified=False,
	)


def load_tracker(site) -> tuple[Tracker, datetime | None]:
	tracker = Tracker(rules())
	data = json.loads(site.monitor_tracker or "{}")
	for key in ("down", "failures", "successes"):
		if key in data:
			setattr(tracker, key, data[key])
	for key in ("first_failed_at", "first_good_at", "outage_started_at"):
		if data.get(key):
			setattr(tracker, key, datetime.fromisoformat(data[key]))
	last = datetime.fromisoformat(data["last"]) if data.get("last") else None
	return tracker, last


def dump_tracker(tracker: Tracker, last: datetime) -> str:
	data = tracker.as_dict()
	for key in ("first_failed_at", "first_good_at", "outage_started_at"):
		data[key] = data[key].isoformat() if data[key] else None
	data["last"] = last.isoformat()
	return json.dumps(data, sort_keys=True)


# ---------------------------------------------------------------------------------------------
# Outage -> incident -> request


def outage_confirmed(site, first_failed_at: datetime, confirmed_at: datetime):
	"""Open the site's incident and its request, or join the last incident when it recovered less
	than ``regroup_minutes`` ago, or the request of another site of the same contract that is down now."""
	lang = customer_language(site.contract)
	last = frappe.get_doc("Site Incident", site.site_incident) if site.site_incident else None
	regroup = timedelta(minutes=rules().regroup_minutes)
	if (
		last
		and last.status == "Recovered"
		and aware(last.recovered_on) + regroup > confirmed_at
		and request_status(last.support_request) not in (statuses.CLOSED, None)
	):
		last.status = "Down"
		last.outages = cint(last.outages) + 1
		last.recovered_on = None
		last.flags.ignore_permissions = True
		last.save()
		reopen(last.support_request, site, first_failed_at, lang)
		frappe.db.set_value("Hosted Site", site.name, "site_incident", last.name, update_modified=False)
		return ("down-again", site, last)
	request = open_request_of_contract(site.contract)
	incident = frappe.get_doc(
		{
			"doctype": "Site Incident",
			"hosted_site": site.name,
			"contract": site.contract,
			"customer": site.customer,
			"status": "Down",
			"started_on": stored(first_failed_at),
			"confirmed_on": stored(confirmed_at),
			"outages": 1,
		}
	)
	incident.insert(ignore_permissions=True)
	if request:
		add_comment(
			request,
			_("Site {0} is also down since {1}.", lang=lang).format(site.site_url, when(first_failed_at)),
		)
	else:
		request = open_request(site, first_failed_at, lang)
	incident.db_set("support_request", request, update_modified=False)
	frappe.db.set_value("Hosted Site", site.name, "site_incident", incident.name, update_modified=False)
	tell_customer(site, request, first_failed_at, None, lang)
	return ("down", site, incident)


def open_request(site, first_failed_at: datetime, lang: str) -> str:
	request = frappe.get_doc(
		{
			"doctype": "Support Request",
			"subject": _("Site down: {0}", lang=lang).format(site.site_url),
			"description": "<p>"
			+ escape_html(
				_(
					"The hub's monitor could not reach {0} since {1} ({2} consecutive failed probes). "
					"The time to restore it counts from the first failed probe.",
					lang=lang,
				).format(site.site_url, when(first_failed_at), rules().failures_to_confirm)
			)
			+ "</p>",
			"priority": "Urgent",
			"category": "Connectivity",
			"channel": CHANNEL,
			"contract": site.contract,
			"received_on": stored(first_failed_at),
		}
	)
	request.flags.from_monitoring = True
	request.insert(ignore_permissions=True)
	return request.name


def open_request_of_contract(contract: str) -> str | None:
	incident = frappe.qb.DocType("Site Incident")
	request = frappe.qb.DocType("Support Request")
	found = (
		frappe.qb.from_(incident)
		.join(request)
		.on(request.name == incident.support_request)
		.select(request.name)
		.where(
			(incident.contract == contract) & (incident.status == "Down") & request.status.isin(statuses.OPEN)
		)
		.limit(1)
	).run(pluck=True)
	return found[0] if found else None


def request_status(name: str | None) -> str | None:
	return frappe.db.get_value("Support Request", name, "status") if name else None


def reopen(name: str, site, first_failed_at: datetime, lang: str) -> None:
	doc = frappe.get_doc("Support Request", name)
	add_comment(
		name,
		_("The site {0} went down again at {1}: same incident.", lang=lang).format(
			site.site_url, when(first_failed_at)
		),
	)
	if doc.status in statuses.FINISHED:
		doc.status = "Open"
		doc.flags.ignore_permissions = True
		doc.save()


def outage_recovered(site, outage_start: datetime, first_good_at: datetime):
	"""Record the outage (first failed probe to first good probe) on the incident and its request,
	and move the request to Resolved for an agent to confirm."""
	if not site.site_incident:
		return None
	incident = frappe.get_doc("Site Incident", site.site_incident)
	if incident.status != "Down":
		return None
	lang = customer_language(site.contract)
	minutes = max(0, round((first_good_at - outage_start).total_seconds() / 60))
	incident.status = "Recovered"
	incident.recovered_on = stored(first_good_at)
	incident.down_minutes = cint(incident.down_minutes) + minutes
	incident.flags.ignore_permissions = True
	incident.save()
	still_down = frappe.db.count(
		"Site Incident", {"support_request": incident.support_request, "status": "Down"}
	)
	note = _(
		"{0} was down from {1} to {2}: {3} minutes (first failed probe to first good probe).", lang=lang
	).format(site.site_url, when(outage_start), when(first_good_at), incident.down_minutes)
	if incident.support_request and not still_down:
		doc = frappe.get_doc("Support Request", incident.support_request)
		doc.resolution = (doc.resolution or "") + f"<p>{escape_html(note)}</p>"
		if doc.status in statuses.OPEN:
			doc.status = statuses.RESOLVED
		doc.flags.ignore_permissions = True
		doc.save()
		add_comment(doc.name, note + " " + _("An agent confirms and closes the request.", lang=lang))
	elif incident.support_request:
		add_comment(incident.support_request, note)
	tell_customer(site, incident.support_request, outage_start, first_good_at, lang)
	return ("up", site, incident)


def add_comment(request: str, text: str) -> None:
	frappe.get_doc("Support Request", request).add_comment("Info", escape_html(text))


# ---------------------------------------------------------------------------------------------
# Health: backups, users, versions, scheduler


def read_health(site, health: dict, at: datetime) -> dict:
	values = {"health_checked_on": stored(at)}
	last = (health.get("backups") or [None])[0]
	if last:
		values["last_backup_on"] = stored(datetime.fromisoformat(last["taken_at"]))
		values["last_backup_size_mb"] = backup_mb(last)
	seen = aware(site.last_backup_on)
	for backup in health.get("backups") or []:
		taken_at = datetime.fromisoformat(backup["taken_at"]).astimezone(UTC)
		if seen is None or taken_at > seen:  # the others were recorded when they were new
			record_backup_day(site.name, taken_at, backup)
	if health.get("enabled_users") is not None:
		values["enabled_users"] = cint(health["enabled_users"])
	versions = health.get("versions") or {}
	values["frappe_version"] = (versions.get("frappe") or "")[:140]
	values["erpnext_version"] = (versions.get("erpnext") or "")[:140]
	values["scheduler_status"] = (health.get("scheduler") or "")[:140]
	return values


def backup_mb(backup: dict) -> float:
	return round(sum(flt(backup.get(k)) for k in ("database", "public_files", "private_files")) / 1e6, 2)


def record_backup_day(site_name: str, taken_at: datetime, backup: dict) -> None:
	name = day_name(site_name, taken_at.date())
	if not frappe.db.exists("Site Probe Day", name):
		try:
			frappe.get_doc(
				{"doctype": "Site Probe Day", "hosted_site": site_name, "day": taken_at.date()}
			).insert(ignore_permissions=True)
		except frappe.DuplicateEntryError:
			pass
	current = frappe.db.get_value("Site Probe Day", name, "backup_taken_at")
	if not current or aware(current) < taken_at:
		frappe.db.set_value(
			"Site Probe Day",
			name,
			{"backup_taken_at": stored(taken_at), "backup_size_mb": backup_mb(backup)},
			update_modified=False,
		)


def check_backup(site, at: datetime):
	"""Flag a site whose last complete backup is older than 24 h with an internal request for the
	agents; clear the flag and close the request when a fresh backup appears."""
	last = aware(site.last_backup_on)
	overdue = last is None or at - last > BACKUP_MAX_AGE
	if overdue and not site.backup_overdue:
		lang = customer_language(site.contract)
		request = frappe.get_doc(
			{
				"doctype": "Support Request",
				"subject": _("Late backup: {0}", lang=lang).format(site.site_url),
				"description": "<p>"
				+ escape_html(
					_(
						"The last complete backup (database, public and private files) of {0} ({1}) was taken {2}. "
						"The policy promises one every 24 hours.",
						lang=lang,
					).format(
						site.site_url,
						site.customer,
						when(last) if last else _("never", lang=lang),
					)
				)
				+ "</p>",
				"priority": "High",
				"category": "Backup",
				"channel": CHANNEL,
			}
		)
		request.flags.from_monitoring = True
		request.insert(ignore_permissions=True)
		frappe.db.set_value(
			"Hosted Site",
			site.name,
			{"backup_overdue": 1, "backup_request": request.name},
			update_modified=False,
		)
		return [("backup-late", site, request.name)]
	if not overdue and site.backup_overdue:
		if site.backup_request and request_status(site.backup_request) not in (statuses.CLOSED, None):
			doc = frappe.get_doc("Support Request", site.backup_request)
			lang = customer_language(site.contract)
			doc.resolution = (doc.resolution or "") + "<p>{}</p>".format(
				escape_html(_("A fresh complete backup appeared: {0}.", lang=lang).format(when(last)))
			)
			doc.status = statuses.CLOSED
			doc.flags.ignore_permissions = True
			doc.save()
		frappe.db.set_value("Hosted Site", site.name, "backup_overdue", 0, update_modified=False)
		return [("backup-ok", site, site.backup_request)]
	return []


def plan_user_cap(contract: str) -> int | None:
	plan = frappe.db.get_value("Support Contract", contract, "support_plan")
	return cint(frappe.db.get_value("Support Plan", plan, "max_users")) if plan else None


def check_users(site):
	"""More enabled system users on the site than the plan allows: tell the account manager once."""
	cap = site.get("user_cap") if "user_cap" in site else plan_user_cap(site.contract)
	over = bool(cap) and cint(site.enabled_users) > cap
	if over == bool(site.users_over_plan):
		return []
	frappe.db.set_value("Hosted Site", site.name, "users_over_plan", int(over), update_modified=False)
	if over:
		manager = frappe.db.get_value("Support Contract", site.contract, "account_manager")
		recipients = [manager] if manager else managers()
		lang = customer_language(site.contract)
		send(
			recipients,
			_("{0} has {1} enabled users; the plan allows {2}", lang=lang).format(
				site.site_url, site.enabled_users, cap
			),
			_(
				"The hosted site {0} of {1} (contract {2}) has {3} enabled system users and the plan allows {4}.",
				lang=lang,
			).format(site.site_url, site.customer, site.contract, site.enabled_users, cap),
			site,
		)
	return []


# ---------------------------------------------------------------------------------------------
# Maintenance windows


def announce_maintenance(window) -> None:
	"""Tell the contract's users of a maintenance window, in their language."""
	if not window.contract:
		return
	lang = customer_language(window.contract)
	url = frappe.db.get_value("Hosted Site", window.hosted_site, "site_url")
	subject = _("Scheduled maintenance of {0}", lang=lang).format(url)
	message = _("We will maintain {0} from {1} to {2}. Reason: {3}", lang=lang).format(
		url, when(aware(window.starts_on)), when(aware(window.ends_on)), window.reason
	)
	recipients = contract_emails(window.contract)
	if recipients:
		frappe.sendmail(
			recipients=recipients,
			subject=subject,
			message=f"<p>{escape_html(message)}</p>",
			reference_doctype=window.doctype,
			reference_name=window.name,
			delayed=True,
		)


# ---------------------------------------------------------------------------------------------
# The monitor's own health


def note_canary(blind: bool) -> None:
	lang = staff_language()
	if blind:
		alert_staff_once(
			"canary",
			_("The monitor is blind: its canary does not answer", lang=lang),
			_(
				"Probes of hosted sites count as unknown until the canary {0} answers again.", lang=lang
			).format(settings().canary_url),
		)
	else:
		clear_alert("canary", _("The monitor's canary answers again", lang=lang))


def check_monitor() -> None:
	"""Dead-man's switch: alert staff once when no round completed for STALE_MINUTES."""
	if not cint(setting("monitoring_enabled")) or not active_sites():
		return
	lang = staff_language()
	last = last_round()
	if last and now_aware() - last <= timedelta(minutes=STALE_MINUTES):
		clear_alert("stale", _("The monitor completes its rounds again", lang=lang))
		return
	if last is None:
		return  # never ran yet: the first round is on its way
	alert_staff_once(
		"stale",
		_("The monitor has not completed a round since {0}", lang=lang).format(when(last)),
		_(
			"Minutes without a round count as unknown. Check the scheduler and the short-queue workers.",
			lang=lang,
		),
	)


def last_round() -> datetime | None:
	"""When the last probe job finished (Frappe reads an empty Datetime of a Single as 0001-01-01)."""
	value = frappe.db.get_single_value("Support Policy Settings", "monitor_last_round")
	value = aware(value) if value else None
	return value if value and value.year > 2000 else None


def monitor_fresh() -> bool:
	last = last_round()
	return bool(last) and now_aware() - last <= timedelta(minutes=STALE_MINUTES)


def alert_staff_once(kind: str, subject: str, message: str) -> None:
	sent = set(
		filter(
			None, (frappe.db.get_single_value("Support Policy Settings", "monitor_alerted") or "").split(",")
		)
	)
	if kind in sent:
		return
	send(managers(), subject, message)
	frappe.db.set_single_value("Support Policy Settings", "monitor_alerted", ",".join(sorted(sent | {kind})))


def clear_alert(kind: str, subject: str) -> None:
	sent = set(
		filter(
			None, (frappe.db.get_single_value("Support Policy Settings", "monitor_alerted") or "").split(",")
		)
	)
	if kind not in sent:
		return
	send(managers(), subject, subject)
	frappe.db.set_single_value("Support Policy Settings", "monitor_alerted", ",".join(sorted(sent - {kind})))


# ---------------------------------------------------------------------------------------------
# Telling people


def managers() -> list[str]:
	from support_policy.glue.sla_jobs import managers as sla_managers

	frappe.flags.pop("support_policy_managers", None)
	return sla_managers()


def staff_language() -> str:
	"""Staff of a Mexican provider are written to in the policy's language (the default plan's)."""
	from support_policy.glue.mail import customer_language as policy_language

	return policy_language()


def customer_language(contract: str | None) -> str:
	plan = frappe.db.get_value("Support Contract", contract, "support_plan") if contract else None
	return (plan and frappe.db.get_value("Support Plan", plan, "language")) or "es"


def contract_emails(contract: str) -> list[str]:
	users = frappe.get_all(
		"Support Contract User",
		filters={"parent": contract, "parenttype": "Support Contract", "parentfield": "authorized_users"},
		pluck="user",
	)
	if not users:
		return []
	return frappe.get_all("User", filters={"name": ("in", users), "enabled": 1}, pluck="email")


def policy_timezone(contract: str | None = None) -> ZoneInfo:
	"""The time zone of the contract's plan calendar (of the default plan without a contract; Mexico
	City for the seeded plan), or the site's own: customers read times and months in it."""
	plan = frappe.db.get_value("Support Contract", contract, "support_plan") if contract else None
	if not plan:
		plan = frappe.db.get_single_value("Support Policy Settings", "default_plan")
	calendar = frappe.db.get_value("Support Plan", plan, "support_calendar") if plan else None
	name = frappe.db.get_value("Support Calendar", calendar, "timezone") if calendar else None
	return ZoneInfo(name) if name else system_tz()


def when(at: datetime | None) -> str:
	"""A time in the policy's time zone, e.g. 2026-11-02 10:07 (America/Mexico_City)."""
	if not at:
		return ""
	tz = policy_timezone()
	return f"{aware(at).astimezone(tz):%Y-%m-%d %H:%M} ({tz.key})"


def send(users: list[str], subject: str, message: str, doc=None) -> None:
	emails = [
		e
		for e in frappe.get_all("User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="email")
		if e
	]
	if emails:
		frappe.sendmail(
			recipients=emails,
			subject=subject,
			message=f"<p>{escape_html(message)}</p>",
			reference_doctype=doc.doctype if doc else None,
			reference_name=doc.name if doc else None,
			delayed=True,
		)


def tell_customer(
	site, request: str | None, down_since: datetime, up_since: datetime | None, lang: str
) -> None:
	"""The contract's users, in the plan's language (Spanish): the site is down / up again."""
	recipients = contract_emails(site.contract)
	if not recipients:
		return
	if up_since is None:
		subject = _("Your site {0} is not answering", lang=lang).format(site.site_url)
		message = _(
			"Our monitor has not reached {0} since {1}. We are on it; request {2} follows the restore.",
			lang=lang,
		).format(site.site_url, when(down_since), request or "")
	else:
		subject = _("Your site {0} is back", lang=lang).format(site.site_url)
		message = _(
			"{0} answers again since {1} (down since {2}). Request {3} is resolved.", lang=lang
		).format(site.site_url, when(up_since), when(down_since), request or "")
	frappe.sendmail(
		recipients=recipients,
		subject=subject,
		message=f"<p>{escape_html(message)}</p>",
		reference_doctype="Support Request" if request else None,
		reference_name=request,
		delayed=True,
	)


def tell_staff(events: list[tuple]) -> None:
	"""One mail per job to the agents and managers, listing what changed in this round: sites that
	went down together show up together."""
	lang = staff_language()
	labels = {
		"down": _("Down", lang=lang),
		"down-again": _("Down again (same incident)", lang=lang),
		"up": _("Back up", lang=lang),
		"backup-late": _("Late backup", lang=lang),
		"backup-ok": _("Backup up to date", lang=lang),
	}
	rows = []
	for kind, site, ref in events:
		link = ref if isinstance(ref, str) else getattr(ref, "name", "")
		doctype = "Support Request" if isinstance(ref, str) else "Site Incident"
		rows.append(
			f"<tr><td>{escape_html(labels.get(kind, kind))}</td><td>{escape_html(site.site_url)}</td>"
			f"<td>{escape_html(site.customer or '')}</td>"
			f'<td><a href="{get_url_to_form(doctype, link)}">{escape_html(link)}</a></td></tr>'
		)
	down = sum(1 for kind, *_rest in events if kind in ("down", "down-again"))
	subject = _("Monitor: {0} sites down, {1} changes in this round", lang=lang).format(down, len(events))
	agents = set(managers())
	agent = frappe.qb.DocType("Has Role")
	agents |= set(
		frappe.qb.from_(agent)
		.select(agent.parent)
		.where((agent.role == "Support Agent") & (agent.parenttype == "User"))
		.run(pluck=True)
	)
	emails = [
		e
		for e in frappe.get_all(
			"User",
			filters={"name": ("in", sorted(agents - {"Administrator", "Guest"}) or [""]), "enabled": 1},
			pluck="email",
		)
		if e
	]
	if emails:
		frappe.sendmail(
			recipients=emails,
			subject=subject,
			message=f'<table border="1" cellpadding="4" cellspacing="0">{"".join(rows)}</table>',
			delayed=True,
		)
