"""A request's attachments travel from the customer site to the hub with the request, once."""

import base64

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from support_policy.customer_site import outbox
from support_policy.delivery import attachments
from support_policy.glue.timeutil import now_aware
from support_policy.hub import intake
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
		# the oversize file takes one of the five places, so the fifth note does not travel either
		self.assertEqual(kept, [f"nota{i}.txt" for i in range(attachments.MAX_FILES - 1)])
		(note,) = self.notes_of(answer["reference"])
		for name in ("video.mp4", "grande.zip", f"nota{attachments.MAX_FILES - 1}.txt"):
			self.assertIn(name, note)

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

	def test_the_outbox_item_carries_the_files_within_the_limits_and_names_the_rest(self):
		doc = self.raise_request("Adjunto capturas")
		for i in range(attachments.MAX_FILES + 1):
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"captura{i}.txt",
					"attached_to_doctype": "Site Support Request",
					"attached_to_name": doc.name,
					"is_private": i % 2,
					"content": f"captura {i}".encode(),
				}
			).insert(ignore_permissions=True)
		row = frappe.get_all(
			"Site Link Outbox",
			filters={"site_support_request": doc.name},
			fields=["name", "kind", "site_support_request", "payload"],
		)[0]
		payload = outbox.ready_payload(row)
		sent = payload["files"]
		self.assertEqual(len(sent), attachments.MAX_FILES)
		self.assertEqual(base64.b64decode(sent[0]["content"]), b"captura 0")
		self.assertEqual([f["is_private"] for f in sent[:2]], [0, 1])
		self.assertEqual(payload["files_left"], [f"captura{attachments.MAX_FILES}.txt"])
