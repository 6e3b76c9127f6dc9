"""A request's attachments travel from the customer site to the hub once, each on its own outbox row,
whenever they were attached: before the request was sent, or days after."""

import base64
import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from support_policy.customer_site import outbox
from support_policy.delivery import attachments
from support_policy.glue.timeutil import now_aware
from support_policy.hub import credentials, intake
from support_policy.setup.testing import TEST_IGNORE, active_contract, make_customer, make_user
from support_policy.tests import test_site_link as site_link
from support_policy.tests.test_site_link import hosted_site, set_mode

test_ignore = TEST_IGNORE


def encoded(content: bytes) -> str:
	return base64.b64encode(content).decode()


class HubReceivesFiles(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.addClassCleanup(set_mode, set_mode("Hub"))
		cls.customer = make_customer("Adjuntos Norte SA")
		cls.user = make_user("compras@adjuntosnorte.mx", cls.customer)
		cls.contract = active_contract(cls.customer, cls.user)
		cls.other_customer = make_customer("Adjuntos Sur SA")
		cls.other_user = make_user("gerente@adjuntossur.mx", cls.other_customer)
		active_contract(cls.other_customer, cls.other_user)
		cls.site, _creds = hosted_site("https://adjuntos-norte.example.com", cls.contract)
		frappe.db.set_value("Hosted Site", cls.site.name, "linked_on", add_days(nowdate(), -10))
		cls.site.reload()

	def item(self, **kw):
		return {
			"key": frappe.generate_hash(length=16),
			"subject": "La factura sale en blanco",
			"description": "<p>Adjunto la factura.</p>",
			"user_email": self.user,
			"saved_on": now_aware().isoformat(),
			**kw,
		}

	def files_of(self, request: str) -> list:
		return frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Support Request", "attached_to_name": request},
			fields=["name", "file_name", "is_private", "file_url"],
			order_by="file_name asc",
		)

	def notes_of(self, request: str) -> list[str]:
		return frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Support Request",
				"reference_name": request,
				"comment_type": "Comment",
			},
			pluck="content",
		)

	def test_files_are_attached_privately_once_and_a_replay_adds_none(self):
		item = self.item(
			files=[
				{"file_name": "factura.csv", "content": encoded(b"folio,total\n1,100"), "is_private": 0},
				{"file_name": "pantalla.txt", "content": encoded(b"error 500"), "is_private": 1},
			]
		)
		(first,) = intake.receive_items(self.site, [item])
		files = self.files_of(first["reference"])
		self.assertEqual([f.file_name for f in files], ["factura.csv", "pantalla.txt"])
		self.assertTrue(all(f.is_private for f in files))
		self.assertEqual(frappe.get_doc("File", files[0].name).get_content(), "folio,total\n1,100")
		self.assertEqual(self.notes_of(first["reference"]), [])

		(second,) = intake.receive_items(self.site, [item])
		self.assertTrue(second["replayed"])
		self.assertEqual(second["reference"], first["reference"])
		self.assertEqual(len(self.files_of(first["reference"])), 2)

		# The contract's own customer may read them; a customer of another contract may not.
		self.assertTrue(frappe.has_permission("File", "read", doc=files[0].name, user=self.user))
		self.assertFalse(frappe.has_permission("File", "read", doc=files[0].name, user=self.other_user))

	def test_what_exceeds_the_limits_is_named_in_a_note_not_dropped_silently(self):
		frappe.conf.max_file_size = 1024
		self.addCleanup(frappe.conf.pop, "max_file_size", None)
		files = [{"file_name": "grande.zip", "content": encoded(b"x" * 2048), "is_private": 1}]
		files += [
			{"file_name": f"nota{i}.txt", "content": encoded(b"hola"), "is_private": 1}
			for i in range(attachments.MAX_FILES)
		]
		(answer,) = intake.receive_items(self.site, [self.item(files=files, files_left=["video.mp4"])])
		kept = [f.file_name for f in self.files_of(answer["reference"])]
		# the oversize file takes no place: the five notes travel
		self.assertEqual(kept, [f"nota{i}.txt" for i in range(attachments.MAX_FILES)])
		(note,) = self.notes_of(answer["reference"])
		for name in ("video.mp4", "grande.zip"):
			self.assertIn(name, note)

		# A later file of the same request counts the five already there.
		(later,) = intake.receive_items(
			self.site,
			[
				{
					"kind": "Attachment",
					"key": frappe.generate_hash(length=16),
					"request": answer["reference"],
					"files": [{"file_name": "sexta.txt", "content": encoded(b"hola")}],
				}
			],
		)
		self.assertEqual(later["reference"], answer["reference"])
		self.assertEqual(len(self.files_of(answer["reference"])), attachments.MAX_FILES)
		self.assertTrue(any("sexta.txt" in n for n in self.notes_of(answer["reference"])))

	def test_a_file_the_hub_cannot_take_is_named_and_the_request_is_still_recorded(self):
		files = [
			{"file_name": "roto.bin", "content": "no es base64!"},
			{"file_name": "danado.pdf", "content": encoded(b"%PDF-1.4 sin fin")},
			{"file_name": "bien.txt", "content": encoded(b"ok")},
		]
		(answer,) = intake.receive_items(self.site, [self.item(files=files)])
		self.assertEqual([f.file_name for f in self.files_of(answer["reference"])], ["bien.txt"])
		(note,) = self.notes_of(answer["reference"])
		self.assertIn("roto.bin", note)
		self.assertIn("danado.pdf", note)


class SiteSendsFiles(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.requester = make_user("pedro@cliente-propio.mx", roles=("Support Requester",))

	# the customer-side set-up of test_site_link (imported as a module: its tests do not run twice)
	setUp = site_link.CustomerSide.setUp
	raise_request = site_link.CustomerSide.raise_request

	def attach(self, doc, file_name: str, content: bytes, is_private: int = 1):
		frappe.set_user(self.requester)
		try:
			return frappe.get_doc(
				{
					"doctype": "File",
					"file_name": file_name,
					"attached_to_doctype": "Site Support Request",
					"attached_to_name": doc.name,
					"is_private": is_private,
					"content": content,
				}
			).insert()
		finally:
			frappe.set_user("Administrator")

	def rows(self, doc, kind="Attachment"):
		return frappe.get_all(
			"Site Link Outbox",
			filters={"site_support_request": doc.name, "kind": kind},
			fields=["name", "kind", "site_support_request", "payload", "state"],
			order_by="creation asc, name asc",
		)

	def test_each_file_gets_its_own_row_that_waits_for_the_hubs_reference(self):
		doc = self.raise_request("Adjunto capturas")
		files = [
			self.attach(doc, "captura0.txt", b"captura 0", is_private=0),
			self.attach(doc, "captura1.txt", b"captura 1"),
		]
		rows = self.rows(doc)
		# (Frappe renames a file whose name is taken; the row carries the name it was given.)
		self.assertEqual(
			[(json.loads(r.payload)["file"], json.loads(r.payload)["file_name"]) for r in rows],
			[(f.name, f.file_name) for f in files],
		)
		self.assertEqual({r.state for r in rows}, {"Pending"})
		# The request carries no files itself, and a file cannot travel before its request.
		(request_row,) = self.rows(doc, kind="Request")
		self.assertNotIn("files", outbox.ready_payload(request_row))
		self.assertIsNone(outbox.ready_payload(rows[0]))
		frappe.db.set_value("Site Support Request", doc.name, "hub_reference", "SR-2026-55555")
		payload = outbox.ready_payload(rows[0])
		self.assertEqual(payload["request"], "SR-2026-55555")
		(sent,) = payload["files"]
		self.assertEqual((base64.b64decode(sent["content"]), sent["is_private"]), (b"captura 0", 0))

	def test_uploads_beyond_the_limits_are_refused_here_with_the_reason(self):
		doc = self.raise_request("Demasiados archivos")
		for i in range(attachments.MAX_FILES):
			self.attach(doc, f"nota{i}.txt", b"hola")
		with self.assertRaisesRegex(frappe.ValidationError, str(attachments.MAX_FILES)):
			self.attach(doc, "sexta.txt", b"hola")
		self.assertEqual(len(self.rows(doc)), attachments.MAX_FILES)

		# The link's own limits, below the site's Max File Size (scaled down for the test).
		big = self.raise_request("Archivo grande")
		with (
			patch.object(attachments, "MAX_FILE_BYTES", 1024),
			patch.object(attachments, "MAX_TOTAL_BYTES", 1500),
		):
			with self.assertRaisesRegex(frappe.ValidationError, "grande.zip"):
				self.attach(big, "grande.zip", b"x" * 2048)
			uno = self.attach(big, "uno.txt", b"x" * 1000)
			with self.assertRaisesRegex(frappe.ValidationError, "dos.txt"):
				self.attach(big, "dos.txt", b"x" * 1000)
		self.assertEqual([json.loads(r.payload)["file_name"] for r in self.rows(big)], [uno.file_name])
		self.assertEqual(
			frappe.get_all("File", {"attached_to_name": big.name}, pluck="file_name"), [uno.file_name]
		)

	def test_a_file_deleted_before_it_could_travel_sends_nothing(self):
		doc = self.raise_request("Me equivoqué de archivo")
		file = self.attach(doc, "equivocado.txt", b"otro")
		frappe.db.set_value("Site Support Request", doc.name, "hub_reference", "SR-2026-55556")
		file.delete(ignore_permissions=True)
		(row,) = self.rows(doc)
		self.assertEqual(outbox.ready_payload(row)["files"], [])


class FilesEndToEndInOneProcess(FrappeTestCase):
	"""One send job: the request is delivered, and the files attached to it follow in the same job."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.addClassCleanup(set_mode, set_mode("Hub"))
		cls.customer = make_customer("Adjuntos Oriente SA")
		cls.requester = make_user("ana@adjuntosoriente.mx", cls.customer, roles=("Support Requester",))
		cls.contract = active_contract(cls.customer, cls.requester)
		cls.site, _creds = hosted_site("https://adjuntos-oriente.example.com", cls.contract)

	setUp = site_link.CustomerSide.setUp
	raise_request = site_link.CustomerSide.raise_request
	attach = SiteSendsFiles.attach

	def test_files_attached_before_and_after_sending_reach_the_hub_once(self):
		client = LoopbackHub(self.site)
		tag = frappe.generate_hash(length=6)  # names no earlier run has taken
		doc = self.raise_request("La factura sale en blanco")
		self.attach(doc, f"antes-{tag}.txt", b"adjunto antes de enviar " + tag.encode())
		counts = outbox.send_pending(budget=30, client=client)
		self.assertEqual(counts["delivered"], 2)  # the request, then its file in the same job
		doc.reload()
		self.assertTrue(doc.hub_reference)

		# Days later, an answer to support with a screenshot.
		self.attach(doc, f"despues-{tag}.txt", b"adjunto despues " + tag.encode())
		self.assertEqual(outbox.send_pending(budget=30, client=client)["delivered"], 1)
		hub_files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Support Request", "attached_to_name": doc.hub_reference},
			fields=["file_name", "is_private", "name"],
			order_by="file_name asc",
		)
		self.assertEqual(
			[(f.file_name, f.is_private) for f in hub_files],
			[(f"antes-{tag}.txt", 1), (f"despues-{tag}.txt", 1)],
		)
		self.assertEqual(frappe.get_doc("File", hub_files[1].name).get_content(), f"adjunto despues {tag}")

		# The answers are lost and every row is sent again (a restored site, say): nothing twice.
		frappe.db.set_value(
			"Site Link Outbox", {"site_support_request": doc.name}, "state", "Pending", update_modified=False
		)
		self.assertEqual(outbox.send_pending(budget=30, client=client)["delivered"], 3)
		self.assertEqual(
			frappe.db.count(
				"File", {"attached_to_doctype": "Support Request", "attached_to_name": doc.hub_reference}
			),
			2,
		)
		self.assertEqual(
			frappe.db.count("Support Request", {"hosted_site": self.site.name, "subject": doc.subject}), 1
		)

	def test_a_site_cannot_attach_to_a_request_of_another_customer(self):
		other_customer = make_customer("Adjuntos Poniente SA")
		other_user = make_user("jefe@adjuntosponiente.mx", other_customer)
		active_contract(other_customer, other_user)
		set_mode("Hub")
		theirs = frappe.get_doc(
			{"doctype": "Support Request", "subject": "Ajena", "description": "x", "raised_by": other_user}
		).insert(ignore_permissions=True)
		missing = "SR-NO-EXISTE-1"
		answers = intake.receive_items(
			self.site,
			[
				{
					"kind": "Attachment",
					"key": frappe.generate_hash(length=16),
					"request": request,
					"files": [{"file_name": "x.txt", "content": encoded(b"x")}],
				}
				for request in (theirs.name, missing)
			],
		)
		# Refused alike whether it exists or not, and nothing is attached.
		errors = [
			a["error"].replace(name, "?") for a, name in zip(answers, (theirs.name, missing), strict=True)
		]
		self.assertTrue(errors[0])
		self.assertEqual(errors[0], errors[1])
		self.assertFalse(any(a.get("reference") for a in answers))
		self.assertFalse(frappe.db.exists("File", {"attached_to_name": theirs.name}))


class LoopbackHub:
	"""The hub's receiver called in this process (one site plays both parts; the HTTP path and its
	signatures are tests/http/test_site_link.py): the mode is the hub's while it records."""

	def __init__(self, site):
		self.site = site

	def call(self, endpoint, payload, session=None):
		user, mode = frappe.session.user, set_mode("Hub")
		try:
			frappe.set_user(credentials.integration_user())
			return {"answers": intake.receive_items(self.site, payload["items"])}
		finally:
			frappe.set_user(user)
			set_mode(mode)
