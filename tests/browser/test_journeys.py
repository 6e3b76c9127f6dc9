"""What a person sees: the customer and agent journeys in a real (headless) Chromium.

A customer logs in (Spanish desk), opens Support Request, presses "Nueva solicitud", writes subject
and description, saves and finds the request in the list with its SLA state; an agent opens it, sees
the SLA headline with the business-time countdown and replies with a comment; the other customer
cannot open it by URL. Script in a subject or description never runs.

Needs the site of tests/http (``support_policy.setup.http_fixtures.setup``, ``bench serve``),
``SUPPORT_POLICY_URL``, Python Playwright and Debian's Chromium (``/usr/bin/chromium``, or
``SUPPORT_POLICY_CHROMIUM``). Playwright only drives that browser: it never downloads one. Screenshots
go to test-output/ at the repository root.
"""

import json
import os
import re
import shutil
import tempfile
import time

import pytest

BASE_URL = os.environ.get("SUPPORT_POLICY_URL", "").rstrip("/")
PASSWORD = os.environ.get("SUPPORT_POLICY_TEST_PASSWORD") or "Soporte-Pruebas-2026!"
CHROMIUM = os.environ.get("SUPPORT_POLICY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = os.path.join(os.path.dirname(__file__), "..", "..", "test-output")

# support_policy/http_fixtures.py
USER_A = "cliente.a@aceros-norte.test"
USER_B = "cliente.b@bodega-zafiro.test"
AGENT = "agente.http@proveedor.test"
MANAGER = "gerente.http@proveedor.test"

CHROMIUM_FLAGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]
TIMEOUT = 60_000


def _skip_reason() -> str | None:
	if not BASE_URL:
		return (
			"SUPPORT_POLICY_URL is not set: serve a test site (bench serve) prepared with "
			"`bench --site SITE execute support_policy.setup.http_fixtures.setup` and set "
			"SUPPORT_POLICY_URL=http://127.0.0.1:8000"
		)
	if not os.access(CHROMIUM, os.X_OK):
		return f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set SUPPORT_POLICY_CHROMIUM)"
	import importlib.util

	if importlib.util.find_spec("playwright") is None:
		return "Python Playwright is not installed: pip install playwright (no `playwright install` needed)"
	try:
		import requests

		requests.get(f"{BASE_URL}/api/method/ping", timeout=10).raise_for_status()
	except Exception as e:
		return f"SUPPORT_POLICY_URL={BASE_URL} does not answer: {e}"
	return None


pytestmark = pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason() or "")


@pytest.fixture(scope="module")
def playwright():
	from playwright.sync_api import sync_playwright

	os.makedirs(OUTPUT, exist_ok=True)
	with sync_playwright() as p:
		yield p


class Person:
	"""One browser profile (fresh user-data-dir), logged in through the login page."""

	def __init__(self, playwright, user: str, label: str):
		self.label = label
		self.profile = tempfile.mkdtemp(prefix=f"sp-{label}-")
		self.context = playwright.chromium.launch_persistent_context(
			self.profile,
			executable_path=CHROMIUM,
			headless=True,
			args=CHROMIUM_FLAGS[1:],  # Playwright adds --headless itself
			viewport={"width": 1366, "height": 900},
			locale="es-MX",
		)
		self.context.set_default_timeout(TIMEOUT)
		self.page = self.context.new_page()
		self.dialogs: list[str] = []
		self.page.on("dialog", self._on_dialog)
		self.login(user)

	def _on_dialog(self, dialog):
		self.dialogs.append(f"{dialog.type}: {dialog.message}")
		dialog.dismiss()

	def login(self, user: str) -> None:
		page = self.page
		page.goto(f"{BASE_URL}/login")
		page.fill("#login_email", user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r".*/app(/.*)?$"))

	def open(self, route: str) -> None:
		self.page.goto(f"{BASE_URL}/app/{route}")
		self.settle()

	def settle(self) -> None:
		"""Frappe renders after its own XHRs: wait for the network to rest and the desk to be there."""
		self.page.wait_for_load_state("networkidle")
		self.page.wait_for_function(
			"() => window.frappe && frappe.router && !frappe.router.current_route_pending"
		)
		time.sleep(0.5)

	def shot(self, name: str) -> str:
		path = os.path.join(OUTPUT, f"{self.label}-{name}.png")
		self.page.screenshot(path=path, full_page=True)
		return path

	def api(self, method: str, **params):
		"""A call with this browser's session, the way the desk makes it."""
		return self.page.evaluate(
			"""([method, params]) => frappe.call({method, args: params}).then(r => r.message)""",
			[method, params],
		)

	def close(self) -> None:
		self.context.close()
		shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def customer(playwright):
	person = Person(playwright, USER_A, "cliente-a")
	yield person
	person.close()


@pytest.fixture(scope="module")
def agent(playwright):
	person = Person(playwright, AGENT, "agente")
	yield person
	person.close()


@pytest.fixture(scope="module")
def other_customer(playwright):
	person = Person(playwright, USER_B, "cliente-b")
	yield person
	person.close()


SUBJECT = "Navegador: el reporte de ventas no carga"
DESCRIPTION = "Desde esta mañana el reporte de ventas se queda cargando. Probamos en dos equipos."


@pytest.fixture(scope="module")
def new_request(customer):
	"""The customer's journey up to the saved request; returns its name."""
	page = customer.page
	customer.open("support-request")
	button = page.locator(".page-head .primary-action")
	assert button.inner_text().strip() == "Nueva solicitud", button.inner_text()
	customer.shot("01-lista")
	button.click()
	page.wait_for_url(re.compile(r".*/app/support-request/new-support-request-.*"))
	customer.settle()
	customer.shot("02-nueva-solicitud")
	subject = page.locator('input[data-doctype="Support Request"][data-fieldname="subject"]:visible')
	assert subject.count() == 1, (
		"the new request form shows no Subject field to the customer: Support Customer has 'create' but "
		"not 'write' on Support Request at permlevel 0, and Frappe's form shows every field read-only "
		"(hidden when empty) without 'write'. See test-output/cliente-a-02-nueva-solicitud.png"
	)
	subject.fill(SUBJECT)
	editor = page.locator('.frappe-control[data-fieldname="description"] .ql-editor:visible')
	editor.click()
	editor.type(DESCRIPTION)
	customer.shot("03-escrita")
	# Frappe's text editor hands its value to the form after a short debounce: save once it has.
	page.wait_for_function("() => (cur_frm.doc.description || '').includes('<p>')", timeout=15000)
	page.keyboard.press("Control+s")
	page.wait_for_url(re.compile(r".*/app/support-request/SR-[^/]+$"))
	customer.settle()
	name = page.url.rstrip("/").rsplit("/", 1)[-1]
	customer.shot("04-guardada")
	return name


def test_customer_raises_a_request_and_sees_it_with_its_sla(customer, new_request):
	page = customer.page
	assert page.locator(".title-area .title-text:visible").first.inner_text().strip() == SUBJECT
	sla = page.evaluate("() => cur_frm.doc.sla_status")
	assert sla in ("On Track", "At Risk", "Breached", "Paused", "Not Applicable"), sla
	# i12-workflow: the request's status in natural Spanish (not Frappe's generic "Abrir/Abierto"), and
	# no empty parentheses after a deadline that is still ahead.
	status = page.locator(
		'.frappe-control[data-fieldname="status"] .control-value:visible'
	).first.inner_text()
	assert status.strip() == "Abierta", status
	headline = page.locator(".form-message:visible").first.inner_text()
	assert "()" not in headline, headline
	customer.open("support-request")
	row = page.locator(".list-row-container", has_text=SUBJECT).first
	row.wait_for()
	indicator = row.locator(".indicator-pill").first.inner_text().strip()
	customer.shot("05-lista-con-sla")
	# the list shows the SLA state in Spanish (e.g. "En tiempo" for "On Track"), not the English value
	assert indicator, "no SLA indicator in the list"
	if sla != "Not Applicable":
		assert indicator != sla, f"indicator not translated: {indicator}"
	assert new_request in row.inner_text()
	assert not customer.dialogs, customer.dialogs


def test_agent_sees_the_countdown_and_replies(agent, new_request):
	page = agent.page
	agent.open(f"support-request/{new_request}")
	# the SLA headline (frm.dashboard.set_headline_alert), then the business-time countdown in it
	headline = page.locator(".form-message:visible").first
	headline.wait_for()
	page.wait_for_function(
		"() => [...document.querySelectorAll('.form-message')].some(e => /\\d+\\s*h\\s*\\d+\\s*min/.test(e.innerText))",
		timeout=TIMEOUT,
	)
	text = page.locator(".form-message:visible").last.inner_text()
	agent.shot("01-solicitud-con-sla")
	assert re.search(r"\d+\s*h\s*\d+\s*min", text), text
	reply = f"Hola, ya estamos revisando el reporte de ventas ({new_request})."
	comment = page.locator(".comment-box .ql-editor:visible").first
	comment.scroll_into_view_if_needed()
	comment.click()
	comment.type(reply)
	page.locator(".comment-box .btn-comment:visible").first.click()
	page.locator(".timeline-content", has_text="ya estamos revisando").first.wait_for()
	agent.shot("02-respuesta")
	assert not agent.dialogs, agent.dialogs


def test_customer_reads_the_agents_reply(customer, new_request):
	"""Runs after the agent's test (file order)."""
	customer.open(f"support-request/{new_request}")
	customer.page.locator(".timeline-content", has_text="ya estamos revisando").first.wait_for()
	customer.shot("06-respuesta-del-agente")


def test_other_customer_cannot_open_it_by_url(other_customer, new_request):
	page = other_customer.page
	other_customer.open(f"support-request/{new_request}")
	body = page.locator("body").inner_text()
	other_customer.shot("01-no-permitido")
	assert SUBJECT not in body
	assert DESCRIPTION not in body
	assert re.search(r"permiso|no permitido|not permitted", body, re.IGNORECASE), body[:500]
	# nor through the list, the search bar or the API of the desk
	listed = other_customer.api(
		"frappe.client.get_list", doctype="Support Request", fields=["name"], limit_page_length=0
	)
	assert new_request not in json.dumps(listed)


XSS_SUBJECT = (
	'Aceros <img src=x onerror="window.__xss_subject=1;alert(1)"> <script>window.__xss_script=1</script>'
)
XSS_DESCRIPTION = (
	"<p>Texto normal</p><img src=x onerror=\"window.__xss_desc=1;alert('xss')\">"
	'<script>window.__xss_desc_script=1</script><a href="javascript:window.__xss_link=1">liga</a>'
)


def test_script_in_subject_or_description_does_not_run(customer):
	created = customer.api(
		"frappe.client.insert",
		doc={"doctype": "Support Request", "subject": XSS_SUBJECT, "description": XSS_DESCRIPTION},
	)
	name = created["name"]
	for route, shot in (
		("support-request", "07-lista-xss"),
		(f"support-request/{name}", "08-formulario-xss"),
	):
		customer.open(route)
		customer.page.wait_for_timeout(1500)  # give any injected handler the chance to fire
		customer.shot(shot)
		fired = customer.page.evaluate(
			"() => ['__xss_subject','__xss_script','__xss_desc','__xss_desc_script','__xss_link']"
			".filter(k => window[k] !== undefined)"
		)
		assert not fired, f"script ran on {route}: {fired}"
		assert not customer.dialogs, customer.dialogs


@pytest.fixture(scope="module")
def manager(playwright):
	person = Person(playwright, MANAGER, "gerente")
	yield person
	person.close()


def test_a_manager_issues_a_sites_credentials_and_an_agent_cannot(manager, agent):
	"""Hosted Site → Emitir credenciales: a confirmation, then the key, the secret and the command to
	run on the customer site, shown once; the site's stored key is the one shown."""
	contract = manager.api(
		"frappe.client.get_value", doctype="Support Contract", filters={"status": "Active"}, fieldname="name"
	)["name"]
	host = f"https://cliente-{int(time.time())}.example.com"
	site = manager.api(
		"frappe.client.insert", doc={"doctype": "Hosted Site", "site_url": host, "contract": contract}
	)
	manager.open(f"hosted-site/{site['name']}")
	manager.page.get_by_role("button", name="Emitir credenciales").click()
	confirm = manager.page.locator(".modal:visible")
	assert "reemplazan" in confirm.inner_text()  # the warning, in Spanish
	manager.shot("01-confirmar")
	confirm.locator(".btn-primary").click()
	shown = manager.page.locator(".modal:visible pre")
	shown.wait_for()
	command = shown.inner_text()
	manager.shot("02-credenciales-emitidas")
	stored = manager.api(
		"frappe.client.get_value", doctype="Hosted Site", filters={"name": site["name"]}, fieldname="site_key"
	)["site_key"]
	assert "support_policy.customer_site.link.link_to_hub" in command
	assert stored and stored in command and contract in command

	agent.open(f"hosted-site/{site['name']}")
	assert agent.page.get_by_role("button", name="Emitir credenciales").count() == 0
	status = agent.page.evaluate(
		"""(name) => fetch("/api/method/support_policy.hub.api.issue_credentials", {
			method: "POST",
			headers: {"X-Frappe-CSRF-Token": frappe.csrf_token, "Content-Type": "application/json"},
			body: JSON.stringify({hosted_site: name}),
		}).then((r) => r.status)""",
		site["name"],
	)
	assert status == 403
	again = manager.api(
		"frappe.client.get_value", doctype="Hosted Site", filters={"name": site["name"]}, fieldname="site_key"
	)["site_key"]
	assert again == stored  # the agent's attempt changed nothing
