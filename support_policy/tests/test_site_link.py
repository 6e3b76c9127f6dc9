"""The link between a customer site and the hub, in one process: the hub's receiver, credentials
and change feed; the customer site's outbox, dead letters and feed application. The two-site run
over HTTP (hub down / 500 / timeout, 500 requests) is tests/http/test_site_link.py."""

import json
import time
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from support_policy.customer_site import feed as customer_feed
from support_policy.customer_site import outbox
from support_policy.delivery import retry, signing
from support_policy.glue.timeutil import now_aware, stored
from support_policy.hub import credentials, intake
from support_policy.hub import feed as hub_feed
from support_policy.setup.testing import TEST_IGNORE, active_contract, make_customer, make_user

test_ignore = TEST_IGNORE

RECEIVE = "/api/method/support_policy.hub.api.receive"


def hosted_site(url: str, contract: str) -> tuple:
	doc = frappe.get_doc({"doctype": "Hosted Site", "site_url": url, "contract": contract}).insert(
		ignore_permissions=True
	)
	return doc, credentials.issue(doc.name)


def set_mode(mode: str) -> str:
	"""Switch this site's mode for a test; returns the mode it had."""
	before = frappe.db.get_single_value("Support Policy Settings", "site_mode") or "Hub"
	frappe.db.set_single_value("Support Policy Settings", "site_mode", mode)
	frappe.clear_document_cache("Support Policy Settings", "Support Policy Settings")
	return before


class HubSide(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.addClassCleanup(set_mode, set_mode("Hub"))
		cls.customer = make_customer("Enlace Norte SA")
		cls.user = make_user("compras@enlacenorte.mx", cls.customer)
		cls.contract = active_contract(cls.customer, cls.user)
		cls.other_customer = make_customer("Enlace Sur SA")
		cls.other_user = make_user("gerente@enlacesur.mx", cls.other_customer)
		cls.other_contract = active_contract(cls.other_customer, cls.other_user)
		cls.site, cls.creds = hosted_site("https://norte.example.com", cls.contract)
		cls.other_site, cls.other_creds = hosted_site("https://sur.example.com", cls.other_contract)
		frappe.db.set_value("Hosted Site", cls.site.name, "linked_on", add_days(nowdate(), -10))
		cls.site.reload()

	def item(self, **kw):
		return {
			"key": frappe.generate_hash(length=16),
			"subject": "No abre el punto de venta",
			"description": "<p>Desde hoy el punto de venta no abre.</p>",
			"priority": "High",
			"user_email": self.user,
			"saved_on": now_aware().isoformat(),
			**kw,
		}

	def test_an_authorized_user_gets_the_contract_and_the_sla_counts_from_the_customers_save(self):
		saved = now_aware() - timedelta(hours=3)
		(answer,) = intake.receive_items(self.site, [self.item(saved_on=saved.isoformat())])
		request = frappe.get_doc("Support Request", answer["reference"])
		self.assertEqual(
			(request.channel, request.contract, request.raised_by),
			("Customer Site", self.contract, self.user),
		)
		self.assertEqual(request.received_on, stored(saved))
		self.assertNotEqual(request.sla_status, "Not Applicable")
		self.assertEqual(answer["request"]["name"], request.name)

	def test_the_hub_trusts_the_customers_clock_at_most_24_hours_back(self):
		(answer,) = intake.receive_items(
			self.site, [self.item(saved_on=(now_aware() - timedelta(days=5)).isoformat())]
		)
		received = frappe.utils.get_datetime(
			frappe.db.get_value("Support Request", answer["reference"], "received_on")
		)
		hours = (frappe.utils.now_datetime() - received).total_seconds() / 3600
		self.assertAlmostEqual(hours, 24, delta=0.1)

	def test_a_replay_returns_the_same_request_and_records_nothing_new(self):
		item = self.item()
		(first,) = intake.receive_items(self.site, [item])
		before = frappe.db.count("Support Request")
		(second,) = intake.receive_items(self.site, [item])
		self.assertEqual(first["reference"], second["reference"])
		self.assertTrue(second["replayed"])
		self.assertEqual(frappe.db.count("Support Request"), before)
		# The same key from another site is another item (keys are per site).
		(other,) = intake.receive_items(self.other_site, [{**item, "user_email": self.other_user}])
		self.assertNotEqual(other["reference"], first["reference"])

	def test_anyone_else_is_held_and_never_filed_on_another_contract(self):
		(unknown,) = intake.receive_items(self.site, [self.item(user_email="nadie@enlacenorte.mx")])
		(foreign,) = intake.receive_items(self.site, [self.item(user_email=self.other_user)])
		for answer in (unknown, foreign):
			request = frappe.get_doc("Support Request", answer["reference"])
			self.assertFalse(request.contract)
			self.assertFalse(request.raised_by)  # not in the other customer's list either
			self.assertEqual(request.sla_status, "Not Applicable")
			self.assertNotIn(self.other_contract, request.sla_note)
			self.assertEqual(request.hosted_site, self.site.name)

	def test_a_site_replies_only_to_requests_it_may_see_and_cannot_tell_them_from_missing_ones(self):
		(mine,) = intake.receive_items(self.site, [self.item()])
		(theirs,) = intake.receive_items(self.other_site, [self.item(user_email=self.other_user)])
		reply = {
			"kind": "Reply",
			"key": frappe.generate_hash(length=16),
			"content": "<p>Gracias</p>",
			"user_email": self.user,
		}
		(ok,) = intake.receive_items(self.site, [{**reply, "request": mine["reference"]}])
		self.assertTrue(ok.get("communication"))
		(refused,) = intake.receive_items(self.site, [{**reply, "key": "k2", "request": theirs["reference"]}])
		(missing,) = intake.receive_items(self.site, [{**reply, "key": "k3", "request": "SR-0000-99999"}])
		self.assertNotIn("reference", refused)
		self.assertEqual(
			refused["error"].replace(theirs["reference"], "X"), missing["error"].replace("SR-0000-99999", "X")
		)

	def test_the_feed_carries_public_changes_of_the_sites_customer_only(self):
		start = self.last_seq()
		(mine,) = intake.receive_items(self.site, [self.item()])
		(theirs,) = intake.receive_items(self.other_site, [self.item(user_email=self.other_user)])
		request = frappe.get_doc("Support Request", mine["reference"])
		request.internal_notes = "<p>NOTA-SECRETA</p>"
		request.status = "In Progress"
		request.save(ignore_permissions=True)
		by_mail = frappe.get_doc(
			{
				"doctype": "Support Request",
				"subject": "Por correo",
				"description": "<p>x</p>",
				"raised_by": self.user,
			}
		).insert(ignore_permissions=True)
		changes = hub_feed.changes_for(self.site, start, 500)
		seqs = [c["seq"] for c in changes["changes"]]
		self.assertEqual(seqs, sorted(seqs))
		names = {c["payload"]["name"] for c in changes["changes"] if c["kind"] == "Request"}
		self.assertEqual(names, {mine["reference"], by_mail.name})
		self.assertNotIn(theirs["reference"], json.dumps(changes))
		self.assertNotIn("NOTA-SECRETA", json.dumps(changes))
		self.assertEqual(changes["changes"][-2]["payload"]["status"], "In Progress")
		# What the customer wrote comes with the request's first change only.
		by_mail_changes = [
			c["payload"] for c in changes["changes"] if c["payload"].get("name") == by_mail.name
		]
		self.assertEqual(by_mail_changes[0]["description"], "<p>x</p>")
		self.assertNotIn("description", changes["changes"][-2]["payload"])
		# A cursor never goes back and never skips: asking again from it returns nothing new.
		self.assertEqual(hub_feed.changes_for(self.site, changes["cursor"], 500)["changes"], [])

	def test_an_out_of_scope_request_by_another_channel_reaches_the_site_with_its_success_pack_link(self):
		start = self.last_seq()
		request = frappe.get_doc(
			{
				"doctype": "Support Request",
				"subject": "Clientes",
				"description": "<p>Necesitamos importar todos los clientes desde CONTPAQi por favor.</p>",
				"raised_by": self.user,
			}
		).insert(ignore_permissions=True)
		request.reload()  # the follow-up job links the quotation
		self.assertTrue(request.success_pack_quotation)
		changes = hub_feed.changes_for(self.site, start, 500)["changes"]
		last = [c["payload"] for c in changes if c["payload"].get("name") == request.name][-1]
		self.assertEqual(last["scope_verdict"], "Out of scope")
		# Not priced yet (a draft): no link, as in the mail ("an advisor will send you the quote").
		self.assertIsNone(last["success_pack_url"])
		# The provider prices and submits it: the site hears of the link.
		quotation = frappe.get_doc("Quotation", request.success_pack_quotation)
		for row in quotation.items:
			row.rate = 15000
		quotation.save(ignore_permissions=True)
		quotation.submit()
		changes = hub_feed.changes_for(self.site, start, 500)["changes"]
		last = [c["payload"] for c in changes if c["payload"].get("name") == request.name][-1]
		self.assertIn(request.success_pack_quotation, last["success_pack_url"])
		# The customer opens it from their site without an account on the hub: Frappe's print view
		# with a share key of that quotation; any other key is refused.
		from urllib.parse import parse_qs, urlsplit

		from frappe.www.printview import validate_print_permission

		query = parse_qs(urlsplit(last["success_pack_url"]).query)
		self.assertEqual(query["name"], [request.success_pack_quotation])
		quotation = frappe.get_doc("Quotation", request.success_pack_quotation)  # a fresh copy, no flags
		self.addCleanup(frappe.form_dict.pop, "key", None)
		with self.set_user("Guest"):
			frappe.form_dict.key = query["key"][0]
			validate_print_permission(quotation)
			frappe.form_dict.key = frappe.generate_hash(length=20)
			with self.assertRaises(frappe.PermissionError):
				validate_print_permission(quotation)

	def test_old_changes_are_deleted_and_a_site_asking_from_before_them_is_told(self):
		pruned_before = frappe.db.get_single_value("Support Policy Settings", "changes_pruned_through")
		self.addCleanup(
			frappe.db.set_single_value, "Support Policy Settings", "changes_pruned_through", pruned_before
		)
		start = self.last_seq()
		(old,) = intake.receive_items(self.site, [self.item(subject="Muy antigua")])
		old_seq = self.last_seq()
		(new,) = intake.receive_items(self.site, [self.item(subject="Reciente")])
		change = frappe.qb.DocType("Support Request Change")
		frappe.qb.update(change).set(
			change.creation, add_days(nowdate(), -(hub_feed.retention_days() + 1))
		).where(change.seq <= old_seq).run()
		self.assertGreater(hub_feed.prune(), 0)
		self.assertFalse(frappe.db.exists("Support Request Change", {"seq": ("<=", old_seq)}))
		self.assertTrue(frappe.db.exists("Support Request Change", {"seq": (">", old_seq)}))
		# A site whose cursor is older than what was deleted is told, and moves on from there.
		late = hub_feed.changes_for(self.site, start, 500)
		self.assertTrue(late["missed"])
		self.assertEqual({c["payload"]["name"] for c in late["changes"]}, {new["reference"]})
		self.assertFalse(hub_feed.changes_for(self.site, late["cursor"], 500)["missed"])
		self.assertNotEqual(old["reference"], new["reference"])

	def test_a_sites_dead_letters_are_told_to_the_hubs_support_managers_once_per_rise(self):
		from support_policy.hub.api import report_dead_letters

		manager = make_user("jefa.soporte@proveedor.mx", roles=("Support Manager",))
		since = self.forget_news()
		report_dead_letters(self.site, 3)
		self.site.reload()
		report_dead_letters(self.site, 3)
		self.assertEqual(self.site.dead_letters, 3)
		# A site reporting 1, 3, 1, 3, ... cannot flood the managers: once an hour at most.
		for count in (1, 3, 1, 3):
			report_dead_letters(self.site, count)
			self.site.reload()
		told = frappe.get_all(
			"Notification Log",
			filters={"for_user": manager, "document_name": self.site.name, "creation": (">=", since)},
			pluck="subject",
		)
		self.assertEqual(len([t for t in told if "could not deliver" in t or "no pudo entregar" in t]), 1)

	def forget_news(self):
		"""Start from a clean slate: no throttle left in Redis by an earlier run for this site name
		(names come back when a run's records are rolled back). Returns the time to count from."""
		frappe.cache.delete_keys(f"support_policy:site_news:{self.site.name}:")
		frappe.db.delete(
			"Notification Log", {"document_type": "Hosted Site", "document_name": self.site.name}
		)
		return frappe.utils.now_datetime()

	def test_a_linked_site_that_goes_silent_is_told_to_managers_once_and_so_is_its_return(self):
		from support_policy.hub import api, watch

		manager = make_user("guardia.soporte@proveedor.mx", roles=("Support Manager",))
		self.forget_news()
		quiet_since = frappe.utils.now_datetime() - timedelta(minutes=watch.SILENT_AFTER_MINUTES + 5)
		frappe.db.set_value(
			"Hosted Site", self.site.name, {"last_seen_on": quiet_since, "link_silent_since": None}
		)
		# A site with credentials that never called is not linked yet: nothing to miss.
		frappe.db.set_value(
			"Hosted Site", self.other_site.name, {"last_seen_on": None, "link_silent_since": None}
		)

		def told(site):
			return frappe.get_all(
				"Notification Log",
				filters={"for_user": manager, "document_name": site},
				pluck="subject",
				order_by="creation asc",
			)

		watch.check_silent_sites()
		watch.check_silent_sites()
		(alert,) = told(self.site.name)
		self.assertIn(self.site.site_url, alert)
		self.assertEqual(
			frappe.utils.get_datetime(
				frappe.db.get_value("Hosted Site", self.site.name, "link_silent_since")
			),
			quiet_since,
		)
		self.assertEqual(told(self.other_site.name), [])
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": self.site.name}))

		# It calls again: managers hear it once, and the silence is over.
		api._seen(frappe.get_doc("Hosted Site", self.call(self.creds).name))
		api._seen(frappe.get_doc("Hosted Site", self.site.name))
		self.assertEqual(len(told(self.site.name)), 2)
		self.assertIsNone(frappe.db.get_value("Hosted Site", self.site.name, "link_silent_since"))
		watch.check_silent_sites()
		self.assertEqual(len(told(self.site.name)), 2)

	def last_seq(self) -> int:
		return frappe.db.get_value("Support Request Change", {}, "max(seq)") or 0

	def call(self, creds, body=b'{"items": []}', contract=None, ts=None, secret=None, key=None):
		ts = ts or int(time.time())
		contract = creds["contract"] if contract is None else contract
		headers = {
			"X-Site-Key": key or creds["site_key"],
			"X-Site-Contract": contract,
			"X-Site-Timestamp": str(ts),
			"X-Site-Signature": signing.sign(
				secret or creds["site_secret"], ts, "POST", RECEIVE, contract, body
			),
			"Content-Type": "application/json",
		}
		frappe.local.request = Request(
			EnvironBuilder(path=RECEIVE, method="POST", data=body, headers=headers).get_environ()
		)
		try:
			return credentials.authenticate()
		finally:
			frappe.set_user("Administrator")
			del frappe.local.request

	def assertRefused(self, message, **kw):
		with self.assertRaises((frappe.AuthenticationError, frappe.PermissionError)) as caught:
			self.call(self.creds, **kw)
		self.assertIn(message, str(caught.exception) or frappe.local.message_log[-1])
		frappe.local.message_log = []

	def test_credentials_act_for_their_own_site_and_contract_only(self):
		self.assertEqual(self.call(self.creds).name, self.site.name)
		self.assertRefused("does not match", secret=self.other_creds["site_secret"])
		self.assertRefused(
			"cannot act for contract", contract=self.other_contract, secret=self.creds["site_secret"]
		)
		self.assertRefused("expired", ts=int(time.time()) - 3600)
		self.assertRefused("Unknown site key", key="sk_000000000000000000000000")

	def test_suspending_expiring_or_reissuing_cuts_the_site_off_at_once(self):
		frappe.db.set_value("Hosted Site", self.site.name, "status", "Suspended")
		self.assertRefused("Suspended")
		frappe.db.set_value(
			"Hosted Site",
			self.site.name,
			{"status": "Active", "credentials_expire_on": add_days(nowdate(), -1)},
		)
		self.assertRefused("expired on")
		frappe.db.set_value("Hosted Site", self.site.name, "credentials_expire_on", None)
		old = dict(self.creds)
		new = credentials.issue(self.site.name)
		self.assertNotEqual(new["site_secret"], old["site_secret"])
		with self.assertRaises(frappe.AuthenticationError):
			self.call(old)
		self.assertEqual(self.call(new).name, self.site.name)
		type(self).creds = new
		frappe.local.message_log = []


class CustomerSide(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.requester = make_user("pedro@cliente-propio.mx", roles=("Support Requester",))

	def setUp(self):
		self.addCleanup(set_mode, frappe.db.get_single_value("Support Policy Settings", "site_mode") or "Hub")
		settings = frappe.get_single("Support Policy Settings")
		# Port 9 on loopback: nothing listens, every call fails like a hub that is down.
		settings.update(
			{
				"site_mode": "Customer Site",
				"hub_url": "http://127.0.0.1:9",
				"hub_contract": "SC-PRUEBA",
				"hub_site_key": "sk_prueba",
				"hub_site_secret": "secreto",
			}
		)
		settings.save(ignore_permissions=True)
		self.addCleanup(frappe.set_user, "Administrator")

	def raise_request(self, subject="No imprime"):
		frappe.set_user(self.requester)
		try:
			return frappe.get_doc(
				{
					"doctype": "Site Support Request",
					"subject": subject,
					"description": "<p>Sale en blanco</p>",
				}
			).insert()
		finally:
			frappe.set_user("Administrator")

	def test_the_request_and_its_outbox_row_are_written_together_and_shown_as_sending(self):
		doc = self.raise_request()
		self.assertEqual(doc.delivery_state, "Sending")
		row = frappe.get_doc("Site Link Outbox", {"site_support_request": doc.name})
		payload = json.loads(row.payload)
		self.assertEqual(
			(row.state, row.idempotency_key, payload["key"]),
			("Pending", doc.idempotency_key, doc.idempotency_key),
		)
		context = json.loads(doc.site_context)
		self.assertIn("support_policy", context["apps"])
		self.assertEqual(context["user"], self.requester)

	def test_a_hub_that_is_down_costs_an_attempt_and_a_backoff_then_a_dead_letter_told_to_staff(self):
		dead_before = outbox.dead_letters()
		doc = self.raise_request()
		counts = outbox.send_pending(budget=10)
		self.assertEqual(counts["delivered"], 0)
		row = frappe.get_doc("Site Link Outbox", {"site_support_request": doc.name})
		self.assertEqual((row.state, row.attempts), ("Pending", 1))
		self.assertIn("hub", row.last_error)
		wait = (frappe.utils.get_datetime(row.next_attempt_on) - frappe.utils.now_datetime()).total_seconds()
		self.assertAlmostEqual(wait, retry.delay_after(1), delta=5)
		frappe.db.set_value(
			"Site Link Outbox", row.name, {"attempts": retry.MAX_ATTEMPTS - 1, "next_attempt_on": None}
		)
		outbox.send_pending(budget=10)
		row.reload()
		self.assertEqual(row.state, "Dead")
		self.assertEqual(frappe.db.get_value("Site Support Request", doc.name, "delivery_state"), "Failed")
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": doc.name, "for_user": self.requester})
		)
		self.assertEqual(outbox.dead_letters(), dead_before + 1)
		outbox.send_again(row.name)
		self.assertEqual(frappe.db.get_value("Site Link Outbox", row.name, "state"), "Pending")

	def test_the_form_tells_of_replies_waiting_and_dead_and_send_again_revives_them(self):
		from support_policy.customer_site import api

		doc = self.raise_request()
		frappe.db.set_value("Site Support Request", doc.name, "hub_reference", "SR-2026-44444")
		frappe.set_user(self.requester)
		try:
			api.reply(doc.name, "<p>Sigue fallando</p>")
		finally:
			frappe.set_user("Administrator")
		frappe.db.set_value(
			"Site Link Outbox", {"site_support_request": doc.name, "kind": "Request"}, "state", "Delivered"
		)
		self.assertEqual(outbox.state_of(doc.name), {"waiting": 1, "dead": 0, "last_error": None})
		row = frappe.get_doc("Site Link Outbox", {"site_support_request": doc.name, "kind": "Reply"})
		row.attempts = retry.MAX_ATTEMPTS - 1
		outbox.fail(row, "El hub respondió 500")
		self.assertEqual(
			outbox.state_of(doc.name), {"waiting": 0, "dead": 1, "last_error": "El hub respondió 500"}
		)
		told = frappe.get_all(
			"Notification Log",
			filters={"document_name": doc.name, "for_user": self.requester},
			pluck="subject",
		)
		self.assertTrue(any("respuesta" in t.lower() or "reply" in t.lower() for t in told), told)
		api.send_again(doc.name)
		self.assertEqual(outbox.state_of(doc.name)["dead"], 0)

	def test_a_site_that_missed_deleted_changes_tells_its_users(self):
		class HubThatPruned:
			def call(self, endpoint, payload, session=None):
				return {"changes": [], "cursor": payload["cursor"] + 40, "more": False, "missed": True}

		admin = make_user("ti@cliente-propio.mx", roles=("System Manager",))
		customer_feed.pull(client=HubThatPruned())
		message = frappe.db.get_single_value("Support Policy Settings", "link_error") or ""
		self.assertEqual(message, customer_feed.missed_message())
		self.assertTrue("old status" in message or "estado viejo" in message, message)
		# Told once on the desk too, where it stays after the next pull clears the link error.
		self.assertEqual(frappe.db.count("Notification Log", {"for_user": admin, "subject": message}), 1)

	def test_a_sent_request_cannot_be_edited_and_support_requests_are_not_decided_here(self):
		doc = self.raise_request()
		doc.subject = "Otra cosa"
		with self.assertRaises(frappe.ValidationError):
			doc.save(ignore_permissions=True)
		# Nor can the requester forge what the hub decides: a status, a reference, a reply "from support".
		frappe.set_user(self.requester)
		self.addCleanup(frappe.set_user, "Administrator")
		for change in (
			{"status": "Closed"},
			{"hub_reference": "SR-2026-00001"},
			{"replies": [{"direction": "Support", "author": "Soporte", "content": "<p>Resuelto</p>"}]},
		):
			forged = frappe.get_doc("Site Support Request", doc.name)
			forged.update(change)
			with self.assertRaises(frappe.ValidationError):
				forged.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Site Support Request", doc.name, "hub_reference"), None)
		self.assertFalse(frappe.get_doc("Site Support Request", doc.name).replies)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc({"doctype": "Support Request", "subject": "x", "description": "y"}).insert(
				ignore_permissions=True
			)

	def test_the_hubs_changes_update_the_local_request_once_and_bring_requests_of_other_channels(self):
		doc = self.raise_request()
		snapshot = {
			"name": "SR-2026-77777",
			"key": doc.idempotency_key,
			"status": "In Progress",
			"sla_status": "On Track",
		}
		customer_feed.apply_request(snapshot)
		doc.reload()
		self.assertEqual(
			(doc.hub_reference, doc.status, doc.delivery_state), ("SR-2026-77777", "In Progress", "Delivered")
		)
		reply = {
			"request": "SR-2026-77777",
			"id": "COMM-1",
			"from": "Support",
			"author": "Ana",
			"content": "<p>Hola</p>",
		}
		customer_feed.apply_reply(reply)
		customer_feed.apply_reply(reply)
		doc.reload()
		self.assertEqual(len(doc.replies), 1)
		customer_feed.apply_request(
			{
				"name": "SR-2026-88888",
				"subject": "Llegó por correo",
				"description": "<p>No abre la nómina</p>",
				"status": "Open",
			}
		)
		other = frappe.get_doc("Site Support Request", {"hub_reference": "SR-2026-88888"})
		self.assertEqual(
			(other.origin, other.subject, other.description),
			("Hub", "Llegó por correo", "<p>No abre la nómina</p>"),
		)

	def test_a_requester_attaches_only_the_errors_of_their_own_session(self):
		frappe.set_user(self.requester)
		try:
			mine = frappe.log_error(title="Mi error", message="Traceback: KeyError 'precio'")
		finally:
			frappe.set_user("Administrator")
		theirs = frappe.log_error(title="Error de otro", message="Traceback: token=SECRETO")
		frappe.set_user(self.requester)
		try:
			doc = frappe.get_doc(
				{
					"doctype": "Site Support Request",
					"subject": "Error",
					"description": "<p>x</p>",
					"error_logs": mine.name,
				}
			).insert()
			self.assertIn("precio", doc.site_context)
			with self.assertRaises(frappe.ValidationError):
				frappe.get_doc(
					{
						"doctype": "Site Support Request",
						"subject": "Error",
						"description": "<p>x</p>",
						"error_logs": theirs.name,
					}
				).insert()
		finally:
			frappe.set_user("Administrator")
