"""A customer site and the hub, two sites of one bench served on loopback, with a fault-injecting
proxy between them: the hub is down, answers 500, or records a delivery and then hangs, while the
customer site raises 500 requests. After recovery the hub holds exactly 500 requests (0 lost,
0 duplicated, each with its own first-arrival time); replays return the same request; tampered,
expired, revoked or misdirected credentials are refused with a clear message; the hub's changes
(status, public replies, requests of other channels) reach the customer site and internal notes
never do.

Preparation (see README, "Customer sites"):

	bench --site HUB execute support_policy.setup.site_link_fixtures.setup_hub --kwargs "{'site_url': 'http://CUSTOMER:PORT'}"
	  -> prints the credentials: export them as SUPPORT_POLICY_LINK (the JSON as printed)
	bench --site CUSTOMER execute support_policy.setup.site_link_fixtures.setup_customer \
	  --kwargs "{'hub_url': 'http://127.0.0.1:PROXY_PORT', 'contract': ..., 'site_key': ..., 'site_secret': ...}"

and SUPPORT_POLICY_HUB_URL, SUPPORT_POLICY_CUSTOMER_URL (both served), SUPPORT_POLICY_PROXY_PORT
(the port the customer site was linked to; this test serves the proxy there). Skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

requests = pytest.importorskip("requests")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from support_policy.delivery import signing

HUB = os.environ.get("SUPPORT_POLICY_HUB_URL", "").rstrip("/")
CUSTOMER = os.environ.get("SUPPORT_POLICY_CUSTOMER_URL", "").rstrip("/")
LINK = json.loads(os.environ.get("SUPPORT_POLICY_LINK") or "{}")
PROXY_PORT = int(os.environ.get("SUPPORT_POLICY_PROXY_PORT") or 0)
PASSWORD = os.environ.get("SUPPORT_POLICY_TEST_PASSWORD") or "Soporte-Pruebas-2026!"
REQUESTER = "solicitante@cementos-enlace.test"
OUTSIDER = "ajeno@cementos-enlace.test"
RECEIVE = "/api/method/support_policy.hub.api.receive"
N = int(os.environ.get("SUPPORT_POLICY_SITE_LINK_N") or 500)

pytestmark = pytest.mark.skipif(
	not (HUB and CUSTOMER and LINK and PROXY_PORT), reason="two linked sites are not configured"
)


class Proxy:
	"""Forwards to the hub, or fails the way a network does: ``down`` (connection refused), ``500``,
	``hang`` (the hub records the delivery, the answer never comes back in time)."""

	def __init__(self, port: int, target: str):
		self.port, self.target, self.mode, self.server = port, target, "pass", None
		self.calls = {"pass": 0, "500": 0, "hang": 0}

	def start(self):
		proxy = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *args):
				pass

			def do_POST(self):
				body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				proxy.calls[proxy.mode] = proxy.calls.get(proxy.mode, 0) + 1
				if proxy.mode == "500":
					self.send_response(500)
					self.end_headers()
					self.wfile.write(b"<html>Internal Server Error</html>")
					return
				headers = {
					k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
				}
				answer = requests.post(proxy.target + self.path, data=body, headers=headers, timeout=120)
				if proxy.mode == "hang":
					time.sleep(15)  # longer than the customer site's timeout (10 s in the fixtures)
				self.send_response(answer.status_code)
				self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
				self.end_headers()
				self.wfile.write(answer.content)

		self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
		threading.Thread(target=self.server.serve_forever, daemon=True).start()

	def stop(self):
		if self.server:
			self.server.shutdown()
			self.server.server_close()
			self.server = None


def login(base: str, user: str, password: str) -> requests.Session:
	session = requests.Session()
	response = session.post(f"{base}/api/method/login", json={"usr": user, "pwd": password}, timeout=30)
	assert response.ok, response.text
	return session


def sync(admin: requests.Session) -> dict:
	response = admin.post(
		f"{CUSTOMER}/api/method/support_policy.customer_site.api.sync_now",
		json={"ignore_backoff": 1},
		timeout=600,
	)
	assert response.ok, response.text
	return response.json()["message"]


def raise_requests(user: requests.Session, run: str, first: int, count: int) -> list[str]:
	def one(i):
		response = user.post(
			f"{CUSTOMER}/api/resource/Site Support Request",
			json={
				"subject": f"{run} solicitud {i}",
				"description": f"<p>No abre el reporte {i}</p>",
				"priority": "Medium",
			},
			timeout=60,
		)
		assert response.ok, response.text
		data = response.json()["data"]
		assert data["delivery_state"] == "Sending"  # shown at once, before any network call
		return data["name"]

	with ThreadPoolExecutor(8) as pool:
		return list(pool.map(one, range(first, first + count)))


def hub_list(admin: requests.Session, doctype: str, filters, fields, limit=0) -> list[dict]:
	response = admin.get(
		f"{HUB}/api/resource/{doctype}",
		params={"filters": json.dumps(filters), "fields": json.dumps(fields), "limit_page_length": limit},
		timeout=120,
	)
	assert response.ok, response.text
	return response.json()["data"]


def signed_post(items, contract=None, secret=None, ts=None, tamper=False):
	body = json.dumps({"items": items}).encode()
	ts = ts or int(time.time())
	contract = LINK["contract"] if contract is None else contract
	signature = signing.sign(secret or LINK["site_secret"], ts, "POST", RECEIVE, contract, body)
	if tamper:
		body = body.replace(b"solicitud", b"SOLICITUD")
	return requests.post(
		HUB + RECEIVE,
		data=body,
		headers={
			"Content-Type": "application/json",
			"X-Site-Key": LINK["site_key"],
			"X-Site-Contract": contract,
			"X-Site-Timestamp": str(ts),
			"X-Site-Signature": signature,
		},
		timeout=60,
	)


def says(message: str, *phrases: str) -> bool:
	"""The hub answers in the customers' language; accept the English source too."""
	return any(p.lower() in message.lower() for p in phrases)


def refusal(response) -> str:
	messages = json.loads(response.json().get("_server_messages") or "[]")
	return " ".join(json.loads(m).get("message", "") for m in messages)


@pytest.fixture(scope="module")
def proxy():
	"""Between the customer site and the hub, in "pass" mode unless a test says otherwise."""
	server = Proxy(PROXY_PORT, HUB)
	server.start()
	yield server
	server.stop()


@pytest.fixture(scope="module")
def sessions():
	return {
		"hub": login(HUB, "Administrator", os.environ.get("SUPPORT_POLICY_ADMIN_PASSWORD") or "admin"),
		"customer_admin": login(
			CUSTOMER, "Administrator", os.environ.get("SUPPORT_POLICY_ADMIN_PASSWORD") or "admin"
		),
		"requester": login(CUSTOMER, REQUESTER, PASSWORD),
		"outsider": login(CUSTOMER, OUTSIDER, PASSWORD),
	}


def test_500_requests_through_outages_arrive_exactly_once(sessions, proxy):
	run = "R" + uuid.uuid4().hex[:8]
	admin, user, hub = sessions["customer_admin"], sessions["requester"], sessions["hub"]
	quarter = N // 5
	names = []
	proxy.stop()
	try:
		# Hub down: requests are saved here and wait.
		names += raise_requests(user, run, 0, quarter)
		result = sync(admin)
		assert result["delivered"] == 0 and result["failed"] > 0
		# Hub answers 500.
		proxy.start()
		proxy.mode = "500"
		names += raise_requests(user, run, quarter, quarter)
		result = sync(admin)
		assert result["delivered"] == 0 and proxy.calls["500"] > 0
		# Hub records a batch, then the answer is lost (timeout): the replay must not duplicate it.
		proxy.mode = "hang"
		names += raise_requests(user, run, 2 * quarter, quarter)
		result = sync(admin)
		assert result["delivered"] == 0 and proxy.calls["hang"] > 0
		# Recovery.
		proxy.mode = "pass"
		names += raise_requests(user, run, 3 * quarter, N - 3 * quarter)
		for _ in range(20):
			result = sync(admin)
			if not result["delivered"] and not result["failed"]:
				break
	finally:
		proxy.mode = "pass"
		if not proxy.server:
			proxy.start()
	assert len(names) == N

	local = requests_here(admin, run)
	assert len(local) == N
	assert {r["delivery_state"] for r in local} == {"Delivered"}
	references = {r["hub_reference"] for r in local}
	assert len(references) == N  # one hub request per local request

	on_hub = hub_list(
		hub,
		"Support Request",
		[["subject", "like", f"{run} %"]],
		["name", "received_on", "channel", "contract"],
	)
	assert len(on_hub) == N, f"hub holds {len(on_hub)} of {N}"
	assert {r["name"] for r in on_hub} == references
	assert {r["channel"] for r in on_hub} == {"Customer Site"}
	assert {r["contract"] for r in on_hub} == {LINK["contract"]}

	receipts = hub_list(
		hub,
		"Site Request Receipt",
		[["support_request", "in", sorted(references)]],
		["support_request", "first_arrival_on", "customer_saved_on", "replays"],
	)
	assert len(receipts) == N
	assert all(r["first_arrival_on"] for r in receipts)
	assert sum(1 for r in receipts if r["replays"]) > 0  # the hung batch was answered as a replay
	saved = {r["support_request"]: r["customer_saved_on"] for r in receipts}
	# The SLA counts from the customer's save (within the hub's trust window), not from arrival.
	assert all(r["received_on"] == saved[r["name"]] for r in on_hub)
	print(
		f"\n{N} raised through down/500/timeout: hub holds {len(on_hub)}, lost {N - len(on_hub)}, duplicated 0"
	)


def requests_here(admin, run):
	response = admin.get(
		f"{CUSTOMER}/api/resource/Site Support Request",
		params={
			"filters": json.dumps([["subject", "like", f"{run} %"]]),
			"fields": json.dumps(
				["name", "delivery_state", "hub_reference", "status", "sla_status", "sla_note"]
			),
			"limit_page_length": 0,
		},
		timeout=120,
	)
	assert response.ok, response.text
	return response.json()["data"]


def test_a_replay_returns_the_same_request():
	key = "replay-" + uuid.uuid4().hex
	item = {
		"key": key,
		"subject": "Réplica solicitud",
		"description": "<p>Dos veces</p>",
		"user_email": REQUESTER,
	}
	first = signed_post([item])
	second = signed_post([item])
	assert first.ok and second.ok, (first.text, second.text)
	a, b = first.json()["message"]["answers"][0], second.json()["message"]["answers"][0]
	assert a["reference"] == b["reference"] and not a["replayed"] and b["replayed"]


def test_a_site_cannot_attach_files_to_another_customers_request(sessions):
	"""A site's own, correctly signed call naming a request of another customer gets the same answer
	as for a request that does not exist, and nothing is attached there."""
	hub = sessions["hub"]
	theirs = hub_list(
		hub,
		"Support Request",
		[["contract", "!=", LINK["contract"]], ["customer", "is", "set"]],
		["name", "customer"],
		limit=1,
	)
	assert theirs, "the hub has no request of another customer to aim at"
	answers = []
	for reference in (theirs[0]["name"], "SR-2026-99999999"):
		item = {
			"kind": "Attachment",
			"key": "foreign-" + uuid.uuid4().hex,
			"request": reference,
			"files": [{"file_name": "intruso.txt", "content": "aG9sYQ=="}],
		}
		response = signed_post([item])
		assert response.ok, response.text
		answers.append(response.json()["message"]["answers"][0])
	assert not any(a.get("reference") for a in answers)
	assert answers[0]["error"].replace(theirs[0]["name"], "?") == answers[1]["error"].replace(
		"SR-2026-99999999", "?"
	)
	attached = hub_list(
		hub,
		"File",
		[["attached_to_name", "=", theirs[0]["name"]], ["file_name", "=", "intruso.txt"]],
		["name"],
	)
	assert attached == []


def test_the_success_pack_quotation_opens_from_the_customer_site_without_a_hub_account(sessions, proxy):
	"""The provider quotes a Success Pack for a request raised on the customer site: the site shows a
	link that opens the quotation for anyone holding it, with no login on the hub; a guessed key does
	not."""
	run = "Q" + uuid.uuid4().hex[:8]
	admin, user, hub = sessions["customer_admin"], sessions["requester"], sessions["hub"]
	(name,) = raise_requests(user, run, 0, 1)
	sync(admin)
	reference = requests_here(admin, run)[0]["hub_reference"]
	customer = hub.get(f"{HUB}/api/resource/Support Contract/{LINK['contract']}", timeout=30).json()["data"][
		"customer"
	]
	made = hub.post(
		f"{HUB}/api/method/frappe.client.insert",
		json={
			"doc": {
				"doctype": "Quotation",
				"quotation_to": "Customer",
				"party_name": customer,
				"items": [{"item_code": "Success Pack", "qty": 1, "rate": 15000}],
			}
		},
		timeout=60,
	)
	assert made.ok, made.text
	quotation = made.json()["message"]
	assert hub.post(f"{HUB}/api/method/frappe.client.submit", json={"doc": quotation}, timeout=60).ok
	linked = hub.put(
		f"{HUB}/api/resource/Support Request/{reference}",
		json={"success_pack_quotation": quotation["name"]},
		timeout=30,
	)
	assert linked.ok, linked.text
	sync(admin)
	url = admin.get(f"{CUSTOMER}/api/resource/Site Support Request/{name}", timeout=30).json()["data"][
		"success_pack_url"
	]
	assert url and quotation["name"] in url
	# As the hub knows itself (support.localhost:8000): the test reaches it on loopback.
	split = urlsplit(url)
	opened = requests.get(f"{HUB}{split.path}?{split.query}", timeout=60)
	assert opened.status_code == 200 and quotation["name"] in opened.text
	guessed = requests.get(f"{HUB}{split.path}?{split.query.replace('key=', 'key=0')}", timeout=60)
	assert guessed.status_code == 403 and "15,000" not in guessed.text


def test_tampered_expired_and_misdirected_calls_are_refused():
	item = {"key": "bad-" + uuid.uuid4().hex, "subject": "solicitud", "description": "<p>x</p>"}
	tampered = signed_post([item], tamper=True)
	assert tampered.status_code == 401 and says(refusal(tampered), "does not match", "no coincide")
	expired = signed_post([item], ts=int(time.time()) - 3600)
	assert expired.status_code == 401 and says(refusal(expired), "expired", "caducado", "vencido")
	wrong_secret = signed_post([item], secret=signing.new_secret())
	assert wrong_secret.status_code == 401
	other_contract = signed_post([item], contract="SC-OTRO-99999")
	assert other_contract.status_code == 403 and says(
		refusal(other_contract), "cannot act for contract", "no pueden actuar"
	)


def test_revoking_cuts_the_site_off_at_once(sessions):
	hub = sessions["hub"]
	url = f"{HUB}/api/resource/Hosted Site/{LINK['hosted_site']}"
	item = {"key": "revoked-" + uuid.uuid4().hex, "subject": "solicitud", "description": "<p>x</p>"}
	try:
		assert hub.put(url, json={"status": "Revoked"}, timeout=30).ok
		refused = signed_post([item])
		assert refused.status_code == 403 and says(refusal(refused), "Revoked", "Revocad")
	finally:
		assert hub.put(url, json={"status": "Active"}, timeout=30).ok
	assert signed_post([item]).ok


def test_an_unauthorized_user_is_held_and_told_in_spanish(sessions, proxy):
	run = "H" + uuid.uuid4().hex[:8]
	outsider, admin = sessions["outsider"], sessions["customer_admin"]
	response = outsider.post(
		f"{CUSTOMER}/api/resource/Site Support Request",
		json={"subject": f"{run} solicitud", "description": "<p>No soy usuario autorizado</p>"},
		timeout=60,
	)
	assert response.ok, response.text
	sync(admin)
	(local,) = requests_here(admin, run)
	assert local["delivery_state"] == "Delivered" and local["hub_reference"]
	assert local["sla_status"] == "Not Applicable"
	assert says(local["sla_note"], "not an authorized user", "no es un usuario autorizado")


def test_hub_changes_reach_the_customer_site_and_internal_notes_never_do(sessions, proxy):
	run = "F" + uuid.uuid4().hex[:8]
	admin, user, hub = sessions["customer_admin"], sessions["requester"], sessions["hub"]
	(name,) = raise_requests(user, run, 0, 1)
	sync(admin)
	reference = admin.get(f"{CUSTOMER}/api/resource/Site Support Request/{name}", timeout=30).json()["data"][
		"hub_reference"
	]
	secret_note = f"NOTA-INTERNA-{run}"
	assert hub.put(
		f"{HUB}/api/resource/Support Request/{reference}",
		json={"status": "In Progress", "internal_notes": f"<p>{secret_note}</p>"},
		timeout=30,
	).ok
	reply = f"Respuesta pública {run}"
	assert hub.post(
		f"{HUB}/api/resource/Communication",
		json={
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": "Re",
			"content": f"<p>{reply}</p>",
			"reference_doctype": "Support Request",
			"reference_name": reference,
		},
		timeout=30,
	).ok
	other = hub.post(
		f"{HUB}/api/resource/Support Request",
		json={
			"subject": f"{run} por correo",
			"description": "<p>Llegó por otro canal</p>",
			"raised_by": REQUESTER,
		},
		timeout=30,
	)
	assert other.ok, other.text
	# The customer site was down meanwhile: it catches up from its cursor.
	sync(admin)
	doc = admin.get(f"{CUSTOMER}/api/resource/Site Support Request/{name}", timeout=30).json()["data"]
	assert doc["status"] == "In Progress"
	assert any(reply in (r.get("content") or "") for r in doc["replies"])
	assert secret_note not in json.dumps(doc)
	mine = requests_here(admin, run)
	assert {r["hub_reference"] for r in mine} == {reference, other.json()["data"]["name"]}
	# A reply written on the customer site reaches the hub once.
	answer = user.post(
		f"{CUSTOMER}/api/method/support_policy.customer_site.api.reply",
		json={"name": name, "content": f"<p>Gracias {run}</p>"},
		timeout=30,
	)
	assert answer.ok, answer.text
	sync(admin)
	sync(admin)
	comms = hub_list(
		hub,
		"Communication",
		[["reference_name", "=", reference], ["content", "like", f"%Gracias {run}%"]],
		["name"],
	)
	assert len(comms) == 1


def upload(session, name: str, file_name: str, content: bytes):
	return session.post(
		f"{CUSTOMER}/api/method/upload_file",
		files={"file": (file_name, content)},
		data={"doctype": "Site Support Request", "docname": name, "is_private": "1"},
		timeout=60,
	)


def test_attachments_travel_whenever_they_are_attached_once_and_privately(sessions, proxy):
	"""One file is attached before the request is sent, the others after the hub answered (an answer
	to support days later): each reaches the hub once, private; a sixth is refused on the customer's
	desk with the reason, in Spanish."""
	run = "A" + uuid.uuid4().hex[:8]
	requester, admin, hub = sessions["requester"], sessions["customer_admin"], sessions["hub"]
	(name,) = raise_requests(requester, run, 0, 1)
	first = f"antes-{run}.txt"  # names no earlier run has taken (Frappe renames a taken one)
	assert upload(requester, name, first, b"error al imprimir").ok
	sync(admin)
	(local,) = requests_here(admin, run)
	assert local["delivery_state"] == "Delivered" and local["hub_reference"]
	later = {f"despues{i}-{run}.txt": f"captura {i}".encode() for i in range(4)}
	for file_name, content in later.items():
		response = upload(requester, name, file_name, content)
		assert response.ok, response.text
	sixth = upload(requester, name, "sexta.txt", b"una de mas")
	assert sixth.status_code == 417 and says(refusal(sixth), "como máximo 5 archivos")
	sync(admin)
	sync(admin)
	files = hub_list(
		hub,
		"File",
		[["attached_to_doctype", "=", "Support Request"], ["attached_to_name", "=", local["hub_reference"]]],
		["file_name", "is_private", "file_url"],
	)
	assert sorted((f["file_name"], f["is_private"]) for f in files) == sorted((n, 1) for n in [first, *later])
	by_name = {f["file_name"]: f for f in files}
	for file_name, content in {first: b"error al imprimir", **later}.items():
		got = hub.get(f"{HUB}{by_name[file_name]['file_url']}", timeout=60)
		assert got.ok and got.content == content


CUSTOMER_SITE = os.environ.get("SUPPORT_POLICY_CUSTOMER_SITE", "")
BENCH = os.environ.get("SUPPORT_POLICY_BENCH", "")


def bench_on_customer_site(command: str, timeout: int = 900) -> str:
	"""``bench --site CUSTOMER_SITE command`` as the bench's user (CI runs the tests as root)."""
	line = f"cd {shlex.quote(BENCH)} && bench --site {shlex.quote(CUSTOMER_SITE)} {command}"
	argv = ["su", "-", os.environ.get("SUPPORT_POLICY_BENCH_USER") or "frappe", "-c", line]
	if os.geteuid() != 0:
		argv = ["bash", "-c", line]
	done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
	assert done.returncode == 0, f"bench {command}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
	return done.stdout


def sync_due(admin: requests.Session) -> dict:
	"""What the scheduler does every minute: rows still waiting for their backoff stay waiting."""
	response = admin.post(
		f"{CUSTOMER}/api/method/support_policy.customer_site.api.sync_now", json={}, timeout=600
	)
	assert response.ok, response.text
	return response.json()["message"]


@pytest.mark.skipif(not (CUSTOMER_SITE and BENCH), reason="the customer site's bench is not named")
def test_a_customer_site_restored_from_yesterdays_backup_resends_what_the_hub_lacks_and_duplicates_nothing(
	sessions, proxy
):
	"""The customer's site is restored (``bench restore``) from a backup taken while one request was
	delivered, one waited for the hub that had refused it, and one had not been tried yet. After the
	backup the hub received that last one and a new request, and answered the first. After the
	restore, the site sends again what its backup still had waiting: the hub records the missing one,
	answers the other as a replay, and the request the site lost comes back from the hub's feed."""
	run = "B" + uuid.uuid4().hex[:8]
	admin, user, hub = sessions["customer_admin"], sessions["requester"], sessions["hub"]
	(delivered,) = raise_requests(user, f"{run} a", 0, 1)
	sync(admin)
	proxy.mode = "500"
	try:
		(refused,) = raise_requests(user, f"{run} b", 0, 1)
		for _ in range(5):
			sync(admin)  # refused five times: this row now waits 8 minutes before its next attempt
	finally:
		proxy.mode = "pass"
	(waiting,) = raise_requests(user, f"{run} c", 0, 1)
	folder = tempfile.mkdtemp(prefix="support-policy-restore-")
	os.chmod(folder, 0o777)
	try:
		bench_on_customer_site(f"backup --backup-path {shlex.quote(folder)}")
		(database,) = [f for f in os.listdir(folder) if f.endswith("-database.sql.gz")]

		# After the backup: the waiting row is delivered, a new request too; the hub answers the first.
		sync_due(admin)
		(after,) = raise_requests(user, f"{run} d", 0, 1)
		sync_due(admin)
		here = {r["name"]: r for r in requests_here(admin, run)}
		assert here[waiting]["delivery_state"] == here[after]["delivery_state"] == "Delivered"
		assert here[refused]["delivery_state"] != "Delivered"
		assert hub.put(
			f"{HUB}/api/resource/Support Request/{here[delivered]['hub_reference']}",
			json={"status": "In Progress"},
			timeout=30,
		).ok
		on_hub_before = hub_list(hub, "Support Request", [["subject", "like", f"{run} %"]], ["name"])
		assert len(on_hub_before) == 3  # a, c, d: b never got through

		bench_on_customer_site(
			f"restore {shlex.quote(os.path.join(folder, database))} --db-root-password "
			+ shlex.quote(os.environ.get("DB_ROOT_PASSWORD") or "root")
		)
		bench_on_customer_site("clear-cache")
	finally:
		shutil.rmtree(folder, ignore_errors=True)

	restored = {r["name"]: r for r in requests_here(admin, run)}
	assert set(restored) == {delivered, refused, waiting}  # what the backup had: not `after`
	assert restored[waiting]["delivery_state"] == "Sending"
	for _ in range(3):
		sync(admin)

	on_hub = hub_list(
		hub, "Support Request", [["subject", "like", f"{run} %"]], ["name", "subject", "status"]
	)
	subjects = sorted(r["subject"].split(" solicitud")[0] for r in on_hub)
	assert subjects == [f"{run} {x}" for x in "abcd"], subjects  # each once: b arrived, c not twice
	local = requests_here(admin, run)
	assert {r["delivery_state"] for r in local} == {"Delivered"}
	assert len(local) == 4 and {r["hub_reference"] for r in local} == {r["name"] for r in on_hub}
	by_reference = {r["hub_reference"]: r for r in local}
	assert by_reference[here[delivered]["hub_reference"]]["status"] == "In Progress"
	# The request the site lost is back whole: what the customer wrote, not just the subject.
	lost = by_reference[here[after]["hub_reference"]]["name"]
	back = admin.get(f"{CUSTOMER}/api/resource/Site Support Request/{lost}", timeout=30).json()["data"]
	assert "No abre el reporte" in back["description"]
	receipts = hub_list(
		hub,
		"Site Request Receipt",
		[["support_request", "in", [r["name"] for r in on_hub]]],
		["support_request", "replays"],
	)
	assert len(receipts) == 4
	replays = {r["support_request"]: r["replays"] for r in receipts}
	assert replays[here[waiting]["hub_reference"]] >= 1  # sent again after the restore, recorded once
