# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""The hub's monitor against fake hosted sites on loopback (ports 19100-19119), on a clock the tests
control: every minute is probed for real over HTTP, recorded and counted; outages open one request on
the contract with the restore clock from the first failed probe; recovery resolves it; backups, users,
canary and dead-man's switch; the monthly report against figures computed by hand."""

import os
from datetime import UTC, datetime, timedelta

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from support_policy.availability import FAILED, MINUTES_PER_DAY, OK, ProbeDay
from support_policy.availability.fake_sites import FakeSites
from support_policy.glue import monitoring
from support_policy.glue.timeutil import aware, stored
from support_policy.setup.testing import TEST_IGNORE, make_contract, make_customer, make_user

test_ignore = TEST_IGNORE

CANARY, SITE_A, SITE_B, SITE_C, SITE_D = 19100, 19101, 19102, 19103, 19104
KEY, SECRET = "monitor-key", "monitor-secret"
# Monday 2 November 2026, 10:00 in Mexico City (16:00 UTC): inside business hours.
T0 = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def minute(n: int) -> datetime:
	return T0 + timedelta(minutes=n)


def fresh_backup(at: datetime, hours_ago: float = 2) -> dict:
	taken = at - timedelta(hours=hours_ago)
	return {
		"taken_at": taken.isoformat(),
		"database": 40_000_000,
		"public_files": 5_000_000,
		"private_files": 3_000_000,
	}


class MonitorCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.timeout, monitoring.PROBE_TIMEOUT = monitoring.PROBE_TIMEOUT, (0.5, 1.0)  # seconds, not 8
		cls.fakes = FakeSites(
			[CANARY, SITE_A, SITE_B, SITE_C, SITE_D],
			api_key=KEY,
			api_secret=SECRET,
			health={"enabled_users": 4, "scheduler": "active", "versions": {"frappe": "15.0.0"}},
		).start()
		settings = frappe.get_single("Support Policy Settings")
		settings.update(
			{
				"monitoring_enabled": 1,
				"failures_to_confirm": 3,
				"successes_to_recover": 3,
				"regroup_minutes": 60,
				"maintenance_notice_hours": 24,
				"canary_url": f"http://127.0.0.1:{CANARY}",
				"monitor_alerted": "",
			}
		)
		settings.save(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		monitoring.PROBE_TIMEOUT = cls.timeout
		cls.fakes.stop()
		super().tearDownClass()

	def setUp(self):
		for fake in self.fakes:
			self.fakes.set(fake.port, "up", health={**fake.health, "backups": [fresh_backup(T0)]})
		frappe.db.set_single_value("Support Policy Settings", "monitor_alerted", "")

	def make_site(self, port: int, label: str, users=True, manager=None):
		customer = make_customer(f"Cliente Monitoreo {label}")
		user = make_user(f"admin@monitoreo-{label.lower()}.mx", customer) if users else None
		contract = make_contract(customer, [user] if user else [], account_manager=manager)
		site = frappe.get_doc(
			{
				"doctype": "Hosted Site",
				"site_url": f"http://127.0.0.1:{port}",
				"contract": contract.name,
				"status": "Active",
				"monitor_api_key": KEY,
				"monitor_api_secret": SECRET,
			}
		)
		site.insert(ignore_permissions=True)
		return site, contract, user

	def tick(self, at: datetime, *sites):
		"""One minute of the monitor for ``sites``, with the clock at ``at`` + 20 s."""
		with self.freeze_time(stored(at + timedelta(seconds=20))):
			return monitoring.probe_sites([s.name for s in sites], at.isoformat())

	def run_minutes(self, site, modes: list[str], start: int = 0):
		for i, mode in enumerate(modes):
			self.fakes.set(int(site.site_url.rsplit(":", 1)[1]), mode)
			self.tick(minute(start + i), site)

	def mails(self, email: str, text: str = "") -> list[str]:
		"""Mails queued for ``email`` whose decoded subject or body contains ``text``."""
		from email import message_from_string
		from email.header import decode_header, make_header

		queue = frappe.qb.DocType("Email Queue")
		recipient = frappe.qb.DocType("Email Queue Recipient")
		found = []
		for raw in (
			frappe.qb.from_(queue)
			.join(recipient)
			.on(recipient.parent == queue.name)
			.select(queue.message)
			.where(recipient.recipient == email)
		).run(pluck=True):
			message = message_from_string(raw)
			subject = str(make_header(decode_header(message.get("Subject", ""))))
			body = " ".join(
				(part.get_payload(decode=True) or b"").decode("utf-8", "replace")
				for part in message.walk()
				if part.get_content_type() in ("text/html", "text/plain")
			)
			if text in subject or text in body:
				found.append(subject)
		return found


class TestOutages(MonitorCase):
	def test_confirmed_outage_opens_one_urgent_request_from_the_first_failed_probe_and_recovery_resolves_it(
		self,
	):
		agent = make_user("agente-monitoreo@proveedor.mx", roles=("Support Agent",))
		site, contract, customer_user = self.make_site(SITE_A, "A")
		# up, up, then failing (500, 503 maintenance, a timeout), flapping, then three good probes
		self.run_minutes(site, ["up", "up", "error", "maintenance", "error"])
		incident = frappe.db.get_value("Hosted Site", site.name, "site_incident")
		self.assertTrue(incident)
		request = frappe.get_doc(
			"Support Request", frappe.db.get_value("Site Incident", incident, "support_request")
		)
		self.assertEqual(
			(request.category, request.priority, request.channel, request.contract, request.customer),
			("Connectivity", "Urgent", "Monitoring", contract.name, contract.customer),
		)
		# The restore clock counts from the first failed probe (minute 2), business hours, 2 h target.
		self.assertEqual(aware(request.received_on), minute(2))
		self.assertEqual(aware(request.resolution_due), minute(2) + timedelta(hours=2))
		self.assertEqual(request.status, "Open")
		# Customer and agents are told, in Spanish.
		email = frappe.db.get_value("User", customer_user, "email")
		self.assertTrue(self.mails(email, "no responde"))
		self.assertTrue(self.mails(frappe.db.get_value("User", agent, "email"), "Caído"))

		self.run_minutes(site, ["up", "error", "up", "up", "error", "up", "up", "up"], start=5)
		# Down from minute 2 to the first good probe of the recovery (minute 10): 8 minutes.
		incident = frappe.get_doc("Site Incident", incident)
		self.assertEqual((incident.status, incident.down_minutes, incident.outages), ("Recovered", 8, 1))
		self.assertEqual(aware(incident.recovered_on), minute(10))
		request.reload()
		self.assertEqual(request.status, "Resolved")
		self.assertIn("8 minutos", request.resolution)
		self.assertEqual(request.resolution_status, "Met")
		self.assertEqual(
			frappe.db.count("Support Request", {"contract": contract.name, "channel": "Monitoring"}), 1
		)
		self.assertTrue(self.mails(email, "de nuevo en línea"))

		# Down again 20 minutes later: the same incident and request (reopened), not a new one.
		self.run_minutes(site, ["error"] * 3 + ["up"] * 3, start=30)
		incident.reload()
		request.reload()
		self.assertEqual((incident.outages, incident.down_minutes, incident.status), (2, 11, "Recovered"))
		self.assertEqual(
			frappe.db.count("Support Request", {"contract": contract.name, "channel": "Monitoring"}), 1
		)
		self.assertEqual(request.status, "Resolved")

		# The monthly report: the same minutes, and the incident against the plan's 2-hour restore.
		from frappe.desk.query_report import get_script, run

		report = run("Monthly Availability", filters={"month": "2026-11-02", "contract": contract.name})
		row, incident_row = report["result"][0], report["result"][1]
		self.assertEqual((row["minutes_down"], row["minutes_up"], row["incidents"]), (11, 8, 1))
		self.assertEqual(row["promise_kept"], 0)
		self.assertEqual(
			(
				incident_row["incident_minutes"],
				incident_row["restore_target_minutes"],
				incident_row["restore_status"],
			),
			(11, 120, "Met"),
		)
		self.assertIn("Incidents", get_script("Monthly Availability")["html_format"])

		# The packed day holds every minute that was probed.
		day = frappe.get_doc("Site Probe Day", f"{site.name}-20261102")
		observed = ProbeDay.unpack(day.probes)
		first = 16 * 60
		self.assertEqual(observed.get(first), OK)
		self.assertEqual(observed.get(first + 2), FAILED)
		self.assertEqual((day.minutes_ok + day.minutes_failed), 19)  # minutes 0-12 and 30-35

	def test_two_failures_are_not_an_outage(self):
		site, contract, _user = self.make_site(SITE_B, "B")
		self.run_minutes(site, ["up", "error", "timeout", "up", "up"])
		self.assertFalse(frappe.db.get_value("Hosted Site", site.name, "site_incident"))
		self.assertEqual(frappe.db.count("Support Request", {"contract": contract.name}), 0)

	def test_failures_inside_an_announced_window_open_nothing(self):
		site, contract, _user = self.make_site(SITE_C, "C")
		with self.freeze_time(stored(T0 - timedelta(days=3))):
			window = frappe.get_doc(
				{
					"doctype": "Maintenance Window",
					"hosted_site": site.name,
					"starts_on": stored(minute(1)),
					"ends_on": stored(minute(6)),
					"reason": "Actualización de versión",
				}
			).insert(ignore_permissions=True)
		self.assertEqual(window.excluded, 1)
		self.run_minutes(site, ["up"] + ["maintenance"] * 5 + ["up"])
		self.assertEqual(frappe.db.count("Support Request", {"contract": contract.name}), 0)
		# A window announced late is not excluded.
		with self.freeze_time(stored(minute(60))):
			late = frappe.get_doc(
				{
					"doctype": "Maintenance Window",
					"hosted_site": site.name,
					"starts_on": stored(minute(120)),
					"ends_on": stored(minute(150)),
					"reason": "Urgente",
				}
			).insert(ignore_permissions=True)
		self.assertEqual(late.excluded, 0)
		# Once started, a window cannot be moved to cover an outage.
		with self.freeze_time(stored(minute(3))):
			window.reload()
			window.ends_on = stored(minute(30))
			self.assertRaises(frappe.ValidationError, window.save)

	def test_blind_monitor_counts_unknown_opens_nothing_and_alerts_staff_once(self):
		manager = make_user("gerente-monitoreo@proveedor.mx", roles=("Support Manager",))
		site, contract, _user = self.make_site(SITE_D, "D")
		self.fakes.set(CANARY, "error")
		self.run_minutes(site, ["error"] * 5)
		self.assertEqual(frappe.db.get_value("Hosted Site", site.name, "monitor_state"), "Unknown")
		self.assertEqual(frappe.db.count("Support Request", {"contract": contract.name}), 0)
		day = frappe.get_doc("Site Probe Day", f"{site.name}-20261102")
		self.assertEqual((day.minutes_ok, day.minutes_failed, day.minutes_unknown), (0, 0, 5))
		self.assertEqual(len(self.mails(frappe.db.get_value("User", manager, "email"), "canario")), 1)


class TestMonitorHealth(MonitorCase):
	def test_late_backup_opens_an_internal_request_that_clears_itself(self):
		site, _contract, _user = self.make_site(SITE_A, "E")
		old = fresh_backup(T0, hours_ago=30)
		self.fakes.set(SITE_A, "up", health={**self.fakes[SITE_A].health, "backups": [old]})
		self.tick(minute(0), site)
		site.reload()
		self.assertEqual(site.backup_overdue, 1)
		request = frappe.get_doc("Support Request", site.backup_request)
		self.assertTrue(request.subject.startswith("Respaldo atrasado"))
		self.assertEqual((request.category, request.contract, request.customer), ("Backup", None, None))
		self.assertEqual(frappe.db.count("Hosted Site", {"backup_overdue": 1, "name": site.name}), 1)
		self.tick(minute(1), site)
		self.assertEqual(frappe.db.count("Support Request", {"subject": request.subject}), 1)  # once
		new = fresh_backup(minute(2), hours_ago=0.5)
		self.fakes.set(SITE_A, "up", health={**self.fakes[SITE_A].health, "backups": [new, old]})
		self.tick(minute(2), site)
		site.reload()
		request.reload()
		self.assertEqual((site.backup_overdue, request.status), (0, "Closed"))
		self.assertEqual(
			aware(site.last_backup_on), datetime.fromisoformat(new["taken_at"]).replace(microsecond=0)
		)
		self.assertEqual(site.last_backup_size_mb, 48.0)

	def test_more_users_than_the_plan_tells_the_account_manager_and_shows_in_contract_utilization(self):
		from support_policy.support_policy.report.contract_utilization.contract_utilization import execute

		manager = make_user("cuenta-monitoreo@proveedor.mx", roles=("Support Manager",))
		site, contract, _user = self.make_site(SITE_B, "F", manager=manager)
		self.fakes.set(SITE_B, "up", health={**self.fakes[SITE_B].health, "enabled_users": 12})
		self.tick(minute(0), site)
		self.tick(minute(1), site)
		site.reload()
		self.assertEqual((site.enabled_users, site.users_over_plan), (12, 1))
		self.assertEqual(len(self.mails(frappe.db.get_value("User", manager, "email"), "12 usuarios")), 1)
		_cols, rows, *_rest = execute(
			{"from_date": "2026-01-01", "to_date": "2026-12-31", "customer": contract.customer}
		)
		row = next(r for r in rows if r.contract == contract.name)
		self.assertEqual((row.site_users, row.site_users_over, row.max_users), (12, 1, 10))

	def test_dead_mans_switch_alerts_staff_once_and_when_rounds_resume(self):
		manager = make_user("gerente-monitoreo@proveedor.mx", roles=("Support Manager",))
		email = frappe.db.get_value("User", manager, "email")
		self.make_site(SITE_C, "G")
		frappe.db.set_single_value("Support Policy Settings", "monitor_last_round", stored(minute(0)))
		with self.freeze_time(stored(minute(10))):
			monitoring.check_monitor()
			monitoring.check_monitor()
			self.assertFalse(monitoring.monitor_fresh())
		self.assertEqual(len(self.mails(email, "no ha completado")), 1)
		frappe.db.set_single_value("Support Policy Settings", "monitor_last_round", stored(minute(11)))
		with self.freeze_time(stored(minute(12))):
			monitoring.check_monitor()
			self.assertTrue(monitoring.monitor_fresh())
		self.assertEqual(len(self.mails(email, "de nuevo")), 1)


class TestMonthlyReport(MonitorCase):
	def test_30_day_month_with_a_7_minute_outage_and_a_30_minute_window_is_99_984_and_broken(self):
		from support_policy.support_policy.report.monthly_availability.monthly_availability import (
			execute,
			month_bounds,
			policy_timezone,
		)

		site, contract, _user = self.make_site(SITE_D, "H")
		start, end = month_bounds("2026-11-15", policy_timezone(contract.name))  # Mexico City: 30 days
		self.assertEqual((end - start).total_seconds() / 60, 43_200)
		outage = start + timedelta(days=10, hours=3)
		window = start + timedelta(days=20, hours=2)
		day = (start - timedelta(days=1)).replace(hour=0, minute=0)
		while day < end:
			probes = ProbeDay()
			for m in range(MINUTES_PER_DAY):
				at = day + timedelta(minutes=m)
				failing = outage <= at < outage + timedelta(minutes=7) or window <= at < window + timedelta(
					minutes=12
				)
				probes.set(m, FAILED if failing else OK, 90)
			frappe.get_doc(
				{
					"doctype": "Site Probe Day",
					"hosted_site": site.name,
					"day": day.date(),
					"probes": probes.pack(),
				}
			).insert(ignore_permissions=True)
			day += timedelta(days=1)
		with self.freeze_time(stored(start - timedelta(days=5))):
			frappe.get_doc(
				{
					"doctype": "Maintenance Window",
					"hosted_site": site.name,
					"starts_on": stored(window),
					"ends_on": stored(window + timedelta(minutes=30)),
					"reason": "Actualización",
				}
			).insert(ignore_permissions=True)
		_cols, rows, _msg, _chart, summary = execute({"month": "2026-11-15", "contract": contract.name})
		row = rows[0]
		self.assertEqual(
			(row.minutes_up, row.minutes_down, row.minutes_unknown, row.minutes_excluded),
			(43_163, 7, 0, 30),
		)
		self.assertEqual(round(row.availability, 3), 99.984)  # 43,163 / 43,170
		self.assertEqual((row.promise_kept, row.budget_minutes), (0, 4.32))
		self.assertAlmostEqual(row.budget_used, 162.15, delta=0.06)  # 7 / 4.317
		self.assertEqual(summary[1]["value"], 1)
		# The manager's view: every contract of the month, worst first.
		_cols, rows, *_rest = execute({"month": "2026-11-15"})
		contracts = [r for r in rows if r.row_type == "contract"]
		measured = [r.availability for r in contracts if r.availability is not None]
		self.assertEqual(measured, sorted(measured))
		self.assertIn(contract.name, [r.contract for r in contracts])


class TestMonitorEdges(MonitorCase):
	def test_a_round_is_split_into_deduplicated_jobs(self):
		from frappe.utils.background_jobs import get_job

		sites = [self.make_site(port, f"J{port}")[0] for port in (SITE_A, SITE_B, SITE_C)]
		frappe.db.set_single_value("Support Policy Settings", "sites_per_job", 2)
		for chunk in range(10):  # left by an interrupted run
			self.queued(get_job, chunk)
		with self.freeze_time(stored(minute(0) + timedelta(seconds=5))):
			jobs = monitoring.schedule_round()
			again = monitoring.schedule_round()  # the same minute: the queued jobs are not queued twice
		self.assertGreaterEqual(jobs, 2)
		self.assertEqual(again, 0)
		queued = [self.queued(get_job, chunk) for chunk in range(jobs)]
		self.assertTrue(all(len(chunk) <= 2 for chunk in queued))
		self.assertTrue({s.name for s in sites} <= {name for chunk in queued for name in chunk})

	def queued(self, get_job, chunk):
		job = get_job(f"support_policy:probe:{minute(0):%Y%m%d%H%M}:{chunk}")
		if not job:
			return []
		sites = job.kwargs.get("kwargs", {}).get("sites", [])
		job.delete()  # no worker must probe for a rolled-back test
		return sites

	def test_monitoring_defaults_are_written_where_nothing_is_stored(self):
		singles = frappe.qb.DocType("Singles")
		frappe.qb.from_(singles).delete().where(
			(singles.doctype == "Support Policy Settings")
			& singles.field.isin(["sites_per_job", "monitoring_enabled", "failures_to_confirm"])
		).run()
		frappe.db.set_single_value("Support Policy Settings", "probe_concurrency", 16)  # chosen: kept
		monitoring.ensure_settings_defaults()
		value = lambda field: frappe.db.get_single_value("Support Policy Settings", field)  # noqa: E731
		self.assertEqual(
			(value("sites_per_job"), value("monitoring_enabled"), value("failures_to_confirm")), (250, 1, 3)
		)
		self.assertEqual(value("probe_concurrency"), 16)

	def test_maintenance_windows_are_shown_to_their_customer_only(self):
		site, contract, user = self.make_site(19151, "K")  # never probed: any port
		_other_site, _other, other_user = self.make_site(19152, "L")
		with self.freeze_time(stored(T0 - timedelta(days=3))):
			window = frappe.get_doc(
				{
					"doctype": "Maintenance Window",
					"hosted_site": site.name,
					"starts_on": stored(minute(60)),
					"ends_on": stored(minute(90)),
					"reason": "Actualización",
				}
			).insert(ignore_permissions=True)
		self.assertEqual(window.customer, contract.customer)
		with self.set_user(user):
			self.assertEqual(frappe.get_list("Maintenance Window", pluck="name"), [window.name])
			self.assertTrue(frappe.has_permission("Maintenance Window", "read", window.name))
			self.assertFalse(frappe.has_permission("Maintenance Window", "write", window.name))
			self.assertFalse(frappe.has_permission("Site Probe Day", "read"))
			self.assertFalse(frappe.has_permission("Site Incident", "read"))
		with self.set_user(other_user):
			self.assertEqual(frappe.get_list("Maintenance Window", pluck="name"), [])
			self.assertFalse(frappe.has_permission("Maintenance Window", "read", window.name))
		# The customer was told when it was announced.
		self.assertTrue(self.mails(frappe.db.get_value("User", user, "email"), "Mantenimiento programado"))

	def test_health_method_reads_complete_backups_and_refuses_non_managers(self):
		import os

		from support_policy.api.health import health, make_monitor_user

		folder = frappe.get_site_path("private", "backups")
		os.makedirs(folder, exist_ok=True)
		stamp = "20991231_235900"
		names = [f"{stamp}-prueba-{part}" for part in ("database.sql.gz", "files.tar", "private-files.tar")]
		try:
			for name, size in zip(names, (300, 20, 10), strict=True):
				with open(os.path.join(folder, name), "wb") as f:
					f.write(b"x" * size)
			answer = health()
			self.assertTrue(answer["database"] and answer["redis"])
			newest = answer["backups"][0]
			self.assertEqual(
				(newest["database"], newest["public_files"], newest["private_files"]), (300, 20, 10)
			)
			self.assertTrue(answer["versions"]["frappe"].startswith("15."))
			agent = make_user("agente-salud@proveedor.mx", roles=("Support Agent",))
			with self.set_user(agent), self.assertRaises(frappe.PermissionError):
				health()
			# The monitor's own user reads the health and nothing else of the site.
			monitor = make_monitor_user("monitor-prueba@proveedor.mx")
			self.assertTrue(monitor["api_key"] and monitor["api_secret"])
			self.assertEqual(set(frappe.get_roles(monitor["user"])) - {"All", "Guest"}, {"Support Monitor"})
			self.assertEqual(frappe.db.get_value("User", monitor["user"], "user_type"), "Website User")
			with self.set_user(monitor["user"]):
				again = health()  # a second read in the same process sees Redis afresh
				self.assertTrue(again["database"] and again["redis"])
				for doctype in (
					"Customer",
					"Support Request",
					"Support Contract",
					"Error Log",
					"File",
					"Contact",
				):
					try:
						seen = frappe.get_list(doctype, pluck="name", limit=5)
					except frappe.PermissionError:
						seen = []
					self.assertEqual(seen, [], doctype)
				self.assertEqual(frappe.get_list("User", pluck="name"), [monitor["user"]])
			with self.assertRaises(frappe.ValidationError):
				make_monitor_user(agent)  # a person's user is never turned into the monitor
		finally:
			for name in names:
				os.remove(os.path.join(folder, name))


PROBED_URL = os.environ.get("SUPPORT_POLICY_PROBED_URL", "http://127.0.0.1:8024")
PROBED_PASSWORD = os.environ.get("SUPPORT_POLICY_PROBED_PASSWORD", "admin")


def probed_site_credentials() -> tuple[str, str] | None:
	"""Log in to the second site as Administrator and make the monitor's user and token there, the way
	a provider would (``make_monitor_user``: the Support Monitor role only); None when the site is not
	served."""
	session = requests.Session()
	try:
		login = session.post(
			f"{PROBED_URL}/api/method/login", data={"usr": "Administrator", "pwd": PROBED_PASSWORD}, timeout=5
		)
	except requests.RequestException:
		return None
	if login.status_code != 200:
		return None
	monitor = session.post(
		f"{PROBED_URL}/api/method/support_policy.api.health.make_monitor_user", timeout=30
	).json()["message"]
	return monitor["api_key"], monitor["api_secret"]


class TestRealSecondSite(FrappeTestCase):
	"""The monitor against a real second site of the bench with this app installed, served on
	loopback (SUPPORT_POLICY_PROBED_URL, default http://127.0.0.1:8024; see the README)."""

	def setUp(self):
		self.credentials = probed_site_credentials()
		if not self.credentials:
			self.skipTest(
				f"no second site served at {PROBED_URL}: serve one with this app installed, e.g. "
				"`bench --site probed.localhost serve --port 8024`, and set SUPPORT_POLICY_PROBED_URL "
				"(and SUPPORT_POLICY_PROBED_PASSWORD, its Administrator password, default admin)"
			)

	def test_health_of_a_real_site_through_its_token(self):
		key, secret = self.credentials
		customer = make_customer("Cliente Sitio Real")
		contract = make_contract(customer, [make_user("admin@sitio-real.mx", customer)])
		# The same site may already be on record (the two-site link test links it as a customer site).
		existing = frappe.db.get_value("Hosted Site", {"site_url": PROBED_URL.rstrip("/")})
		site = frappe.get_doc("Hosted Site", existing) if existing else frappe.new_doc("Hosted Site")
		site.update(
			{
				"site_url": PROBED_URL,
				"contract": contract.name,
				"status": "Active",
				"monitor_api_key": key,
				"monitor_api_secret": secret,
			}
		)
		site.save(ignore_permissions=True)
		now = monitoring.utc_minute()
		canary = frappe.db.get_single_value("Support Policy Settings", "canary_url")
		frappe.db.set_single_value("Support Policy Settings", "canary_url", "")
		try:
			monitoring.probe_sites([site.name], now.isoformat())
		finally:
			frappe.db.set_single_value("Support Policy Settings", "canary_url", canary)
		site.reload()
		self.assertEqual((site.monitor_state, site.last_probe_error), ("Up", ""))
		self.assertTrue(site.frappe_version.startswith("15."), site.frappe_version)
		self.assertTrue(site.erpnext_version.startswith("15."), site.erpnext_version)
		self.assertIn(site.scheduler_status, ("active", "inactive", "disabled"))
		self.assertGreaterEqual(site.enabled_users, 0)
		if site.last_backup_on:  # `bench --site ... backup --with-files` was run there
			self.assertGreater(site.last_backup_size_mb, 0)
		# A wrong secret is refused by the real site: the probe fails.
		bad = monitoring.Target(site.name, PROBED_URL, key, "not-the-secret")
		self.assertFalse(monitoring.probe(bad).ok)
