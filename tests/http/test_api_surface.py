"""The API surface a customer session reaches (issue 11), over real HTTP.

Customer A's user tries what a hostile customer tried on issue 11: ``frappe.client.get`` with filters
(B's contract users and SLA events, yes/no questions on B's requests and contacts), link titles and
link validation as existence checks, the provider's Item catalogue, users, workspaces, reports and
print formats, and every common doctype over REST and the desk's list methods. Each attempt counts;
a leak is:

- any value of B (or of the provider's catalogue) in the answer;
- a refusal whose body is not the one uniform refusal (a 403 that names nothing);
- an oracle: the answer for B's real record differs from the answer for a record that does not exist
  (after putting one name in place of the other).

Also: a revoked user (on an ended contract only) reads nothing; guests still comment on public pages.
Prints "N attempts, M leaks" and asserts M == 0. Needs the served site of tests/http/test_isolation.py.
"""

import json
import re

import pytest

requests = pytest.importorskip("requests", reason="python `requests` is not installed")

from test_isolation import (
	AGENT,
	BASE_URL,
	CONTACT_B,
	CUSTOMER_B,
	USER_A,
	USER_B,
	Attacker,
	Client,
	_skip_reason,
	readable,
	tokens_of,
)

pytestmark = pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason() or "")

USER_REVOKED = "exempleado@aceros-norte.test"  # support_policy/setup/http_fixtures.py
PROVIDER_ITEM = "PROVEEDOR-CATALOGO-01"
PUBLIC_PAGE = "pagina-publica-soporte"
# Names of the provider's ERPNext a customer has no business seeing (workspaces, reports, print formats).
PROVIDER_TOKENS = (
	PROVIDER_ITEM,
	"Catálogo interno del proveedor",
	"General Ledger",
	"Accounts Receivable",
	"Stock Balance",
	"Sales Analytics",
	"Point of Sale",
	"Sales Invoice Print",
	"Soporte - Proveedor",
)
FAKE_REQUEST = "SR-2026-99999"
FAKE_CONTRACT = "SC-2026-99999"

# Common doctypes a prober tries first; a customer may reach only Support Request / Contract / Plan.
DOCTYPES = (
	"Item",
	"Item Price",
	"Price List",
	"Customer",
	"Supplier",
	"Quotation",
	"Sales Order",
	"Sales Invoice",
	"Payment Entry",
	"Journal Entry",
	"Account",
	"Company",
	"Employee",
	"Lead",
	"Opportunity",
	"Contact",
	"Address",
	"User",
	"Role",
	"Has Role",
	"Workspace",
	"Report",
	"Print Format",
	"Letter Head",
	"Dashboard",
	"Dashboard Chart",
	"Number Card",
	"Page",
	"Module Def",
	"DocType",
	"Custom Field",
	"Email Account",
	"Email Queue",
	"System Settings",
	"Note",
	"Event",
	"ToDo",
	"Comment",
	"Communication",
	"File",
	"Version",
	"Activity Log",
	"Access Log",
	"Error Log",
	"Deleted Document",
	"Prepared Report",
	"DocShare",
	"Document Follow",
	"Tag Link",
	"Notification Log",
	"Hosted Site",
	"Scope Rule",
	"Support Calendar",
	"Support Policy Settings",
	"Support Contract User",
	"Support Request SLA Event",
	"Support Request Scope Override",
)


class Prober(Attacker):
	"""An Attacker that also holds refusals to the one uniform body and compares twins."""

	def refused(self, response) -> bool:
		return response.status_code == 403

	def check_refusal(self, label: str, response) -> None:
		"""A refusal names nothing: exactly the uniform body."""
		try:
			body = response.json()
		except ValueError:
			# a page (a private file's URL): Frappe's plain "Forbidden" page; ``record`` looked for names
			if "text/html" not in response.headers.get("Content-Type", ""):
				self.leaks.append(
					(label, response.status_code, ["refusal is not JSON"], readable(response)[:400])
				)
			return
		extra = set(body) - {"exc_type", "_server_messages"}
		messages = " ".join(
			json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")
		)
		if (
			extra
			or body.get("exc_type") != "PermissionError"
			or not re.fullmatch(r"(Not permitted|No permitido)", messages.strip())
		):
			self.leaks.append((label, response.status_code, ["refusal says more"], readable(response)[:400]))

	def probe(self, label: str, call, must_refuse: bool = True):
		response = call()
		self.record(label, response, label)
		if must_refuse:
			if not self.refused(response):
				self.leaks.append((label, response.status_code, ["not refused"], readable(response)[:400]))
			else:
				self.check_refusal(label, response)
		elif self.refused(response):
			self.check_refusal(label, response)
		return response

	def twins(self, label: str, real: str, fake: str, call) -> None:
		"""The answer about B's real record equals the answer about a record that does not exist."""
		self.attempts += 1
		a, b = call(real), call(fake)
		ta = readable(a).replace(real, "<name>")
		tb = readable(b).replace(fake, "<name>")
		ta, tb = (re.sub(r'"(modified|creation)":\s*"[^"]*"', "", t) for t in (ta, tb))
		if a.status_code != b.status_code or ta != tb:
			self.leaks.append(
				(
					f"oracle {label}",
					a.status_code,
					[f"{a.status_code} vs {b.status_code}"],
					f"{ta[:200]} | {tb[:200]}",
				)
			)
		for response, sent in ((a, real), (b, fake)):
			self.record(f"{label} {sent}", response, f"{label} {sent}")
			if self.refused(response):
				self.check_refusal(f"{label} {sent}", response)


@pytest.fixture(scope="module")
def agent():
	return Client(AGENT)


@pytest.fixture(scope="module")
def customer_a():
	return Client(USER_A)


@pytest.fixture(scope="module")
def b(agent):
	rows = agent.message(
		"frappe.client.get_list",
		doctype="Support Request",
		filters={"customer": CUSTOMER_B},
		fields=["name", "subject", "success_pack_quotation"],
		limit_page_length=0,
	)
	assert len(rows) >= 3, "run support_policy.setup.http_fixtures.setup first"
	contract = agent.message(
		"frappe.client.get_value",
		doctype="Support Contract",
		fieldname="name",
		filters={"customer": CUSTOMER_B},
	)["name"]
	return {
		"requests": [r["name"] for r in rows],
		"subjects": [r["subject"] for r in rows],
		"quotations": [r["success_pack_quotation"] for r in rows if r["success_pack_quotation"]],
		"contract": contract,
		"files": [],
	}


def findings_of_issue_11(x: Prober, b) -> None:
	c = x.client
	# frappe.client.get with filters: B's contract users and SLA events without knowing a name
	for doctype, parent, filters in (
		("Support Contract User", "Support Contract", {"user": USER_B}),
		("Support Contract User", "Support Contract", {"parent": b["contract"]}),
		("Support Contract User", "Support Contract", {}),
		("Support Contract User", "Support Contract", {"user": ["!=", USER_A]}),
		("Support Request SLA Event", "Support Request", {"parent": b["requests"][0]}),
		("Support Request SLA Event", "Support Request", {}),
		("Support Request Scope Override", "Support Request", {}),
	):
		for kwargs in ({"parent": parent}, {}):
			x.probe(
				f"client.get {doctype} {filters} {kwargs}",
				lambda: c.call("frappe.client.get", doctype=doctype, filters=filters, **kwargs),
			)
	# yes/no questions on any field of B's records: the answer to a match equals the answer to a miss
	for doctype, field, hit, miss in (
		("Support Request", "subject", "Zafiro%", "Nada-de-esto%"),
		("Support Request", "description", "%ZAFIRO-SECRETO-001%", "%NO-EXISTE-001%"),
		("Support Request", "internal_notes", "%", "%NO-EXISTE%"),
		("Support Request", "raised_by", USER_B, "nadie@ejemplo.test"),
		("Contact", "first_name", "Beatriz", "Nadie"),
		("Contact", "email_id", USER_B, "nadie@ejemplo.test"),
		("User", "name", USER_B, "nadie@ejemplo.test"),
		("Support Contract", "customer", CUSTOMER_B, "Cliente Inexistente SA"),
	):
		for method in ("frappe.client.get", "frappe.client.get_value", "frappe.client.get_list"):
			extra = {"fieldname": ["name"]} if method == "frappe.client.get_value" else {}

			def ask(value, method=method, doctype=doctype, field=field, extra=extra):
				op = "like" if "%" in value else "="
				filters = {field: [op, value]}
				if doctype == "Support Request":
					filters["customer"] = CUSTOMER_B
				return c.call(method, doctype=doctype, filters=filters, **extra)

			x.twins(f"{method} {doctype}.{field} {CUSTOMER_B}", hit, miss, ask)
	# link titles and link validation as existence checks
	for doctype, real, fake in (
		("Support Request", b["requests"][0], FAKE_REQUEST),
		("Support Contract", b["contract"], FAKE_CONTRACT),
		("Customer", CUSTOMER_B, "Cliente Inexistente SA de CV"),
		("User", USER_B, "nadie@bodega-zafiro.test"),
		("Contact", CONTACT_B, "Nadie-Bodega Zafiro SA de CV"),
		*(("Quotation", q, "SAL-QTN-2026-99999") for q in b["quotations"]),
	):
		for method in ("frappe.desk.search.get_link_title", "frappe.client.validate_link"):
			x.twins(
				f"{method} {doctype}",
				real,
				fake,
				lambda name, method=method, doctype=doctype: c.call(method, doctype=doctype, docname=name),
			)
	# a refused or missing request: one answer, whatever the route
	for label, ask in (
		("getdoc", lambda n: c.call("frappe.desk.form.load.getdoc", doctype="Support Request", name=n)),
		(
			"get_docinfo",
			lambda n: c.call("frappe.desk.form.load.get_docinfo", doctype="Support Request", name=n),
		),
		("client.get", lambda n: c.call("frappe.client.get", doctype="Support Request", name=n)),
		(
			"client.get filters",
			lambda n: c.call("frappe.client.get", doctype="Support Request", filters={"name": n}),
		),
		("REST read", lambda n: c.request("GET", f"/api/resource/Support Request/{n}")),
		("REST v2 read", lambda n: c.request("GET", f"/api/v2/document/Support Request/{n}")),
		(
			"REST update",
			lambda n: c.request("PUT", f"/api/resource/Support Request/{n}", json={"subject": "x"}),
		),
		(
			"add_comment",
			lambda n: c.call(
				"frappe.desk.form.utils.add_comment",
				reference_doctype="Support Request",
				reference_name=n,
				content="hola",
				comment_email=USER_A,
				comment_by="Alicia",
			),
		),
		(
			"upload_file",
			lambda n: c.call(
				"upload_file",
				upload={"file": ("x.txt", b"x")},
				doctype="Support Request",
				docname=n,
				is_private="1",
			),
		),
		(
			"sla_countdown",
			lambda n: c.call(
				"support_policy.support_policy.doctype.support_request.api.sla_countdown", request=n
			),
		),
		(
			"printview",
			lambda n: c.request("GET", "/printview", params={"doctype": "Support Request", "name": n}),
		),
		(
			"realtime",
			lambda n: c.call("frappe.realtime.can_subscribe_doc", doctype="Support Request", docname=n),
		),
	):
		x.twins(label, b["requests"][0], FAKE_REQUEST, ask)
	# B's private file and a file that does not exist: one answer
	b_file = "/private/files/zafiro-inventario-privado.txt"
	fake_file = "/private/files/zafiro-no-existe-0000.txt"
	x.twins("private file", b_file, fake_file, lambda url: c.request("GET", url))
	x.twins(
		"download_file",
		b_file,
		fake_file,
		lambda url: c.call("frappe.handler.download_file", http="GET", file_url=url),
	)
	x.probe(
		"reportview debug",
		lambda: c.call("frappe.desk.reportview.get", doctype="Support Request", fields=["name"], debug=1),
	)
	x.twins(
		"contract getdoc",
		b["contract"],
		FAKE_CONTRACT,
		lambda n: c.call("frappe.desk.form.load.getdoc", doctype="Support Contract", name=n),
	)


def provider_catalogue(x: Prober) -> None:
	c = x.client
	for doctype in DOCTYPES:
		x.probe(
			f"REST list {doctype}",
			lambda: c.request("GET", f"/api/resource/{doctype}", params={"fields": '["*"]'}),
		)
		x.probe(f"REST v2 list {doctype}", lambda: c.request("GET", f"/api/v2/document/{doctype}"))
		x.probe(f"REST v2 count {doctype}", lambda: c.request("GET", f"/api/v2/doctype/{doctype}/count"))
		x.probe(f"REST v2 meta {doctype}", lambda: c.request("GET", f"/api/v2/doctype/{doctype}/meta"))
		x.probe(
			f"get_list {doctype}", lambda: c.call("frappe.client.get_list", doctype=doctype, fields=["name"])
		)
		x.probe(f"get_count {doctype}", lambda: c.call("frappe.client.get_count", doctype=doctype))
		x.probe(
			f"reportview {doctype}",
			lambda: c.call("frappe.desk.reportview.get", doctype=doctype, fields=["name"]),
		)
		x.probe(
			f"search_link {doctype}",
			lambda: c.call("frappe.desk.search.search_link", doctype=doctype, txt=""),
		)
		x.probe(f"getdoctype {doctype}", lambda: c.call("frappe.desk.form.load.getdoctype", doctype=doctype))
	for method, params in (
		(
			"frappe.desk.desktop.get_desktop_page",
			{"page": json.dumps({"name": "Accounting", "title": "Accounting"})},
		),
		("frappe.desk.query_report.run", {"report_name": "General Ledger", "filters": "{}"}),
		("frappe.desk.query_report.get_script", {"report_name": "Accounts Receivable"}),
		("frappe.www.printview.get_html_and_style", {"doc": "Support Request", "name": FAKE_REQUEST}),
		("frappe.desk.search.get_names_for_mentions", {"search_term": ""}),
		("frappe.utils.global_search.search", {"text": "Zafiro"}),
		("frappe.desk.reportview.export_query", {"doctype": "Support Request", "file_format_type": "CSV"}),
		("frappe.client.get_value", {"doctype": "Support Request", "fieldname": "name"}),
		(
			"frappe.desk.listview.get_group_by_count",
			{"doctype": "Support Request", "current_filters": "{}", "field": "owner"},
		),
		(
			"erpnext.stock.get_item_details.get_item_details",
			{"args": json.dumps({"item_code": PROVIDER_ITEM})},
		),
		("frappe.client.insert", {"doc": json.dumps({"doctype": "ToDo", "description": "x"})}),
	):
		x.probe(method, lambda: c.call(method, **params))
	for path in (
		"/printview",
		"/quotations",
		"/orders",
		"/invoices",
		"/me",
		"/list/item",
		"/backups/x",
		"/api/v2/method/User/get",
	):
		x.probe(f"GET {path}", lambda: c.request("GET", path), must_refuse=path.startswith("/api"))
	# the desk's boot: only what the allowlist lets the customer open
	x.attempts += 1
	boot = desk_boot(c)
	x.leaks.extend(
		("desk boot", 200, [token], "") for token in x.found_in(json.dumps(boot, ensure_ascii=False), "")
	)
	shown = {
		"workspaces": boot.get("allowed_workspaces"),
		"reports": boot["user"].get("all_reports"),
		"dashboards": boot.get("dashboards"),
		"customers": boot.get("customer_count"),
		"doctypes": set(boot["user"].get("can_read") or [])
		- {"Support Request", "Support Contract", "Support Plan"},
		"companies": [d.get("name") for d in boot.get("docs") or [] if "Company" in str(d.get("doctype"))],
	}
	x.leaks.extend(("desk boot", 200, [what], str(value)[:300]) for what, value in shown.items() if value)
	users = x.probe(
		"User list",
		lambda: c.call("frappe.client.get_list", doctype="User", fields=["name"], limit_page_length=0),
		must_refuse=False,
	)
	listed = {u["name"] for u in users.json().get("message", [])} if users.status_code == 200 else set()
	if listed - {USER_A, AGENT}:
		x.leaks.append(("User list beyond self and agents", 200, ["users"], str(listed)[:400]))


def desk_boot(client) -> dict:
	"""frappe.boot of the /app page, without the translation catalogues (Frappe's and ERPNext's own
	public strings, which name every report and workspace ERPNext ships)."""
	page = client.request("GET", "/app").text
	start = page.index("frappe.boot = ") + len("frappe.boot = ")
	boot, _end = json.JSONDecoder().raw_decode(page[start:])
	boot.pop("__messages", None)
	boot.pop("lang_dict", None)
	return boot


def test_customer_a_on_the_allowed_surface(customer_a, b):
	x = Prober(customer_a, [*tokens_of(b), *PROVIDER_TOKENS])
	findings_of_issue_11(x, b)
	provider_catalogue(x)
	print(f"\n{x.attempts} attempts, {len(x.leaks)} leaks")
	for label, status, found, excerpt in x.leaks:
		print(f"LEAK [{status}] {label[:200]}\n    found: {found}\n    excerpt: {excerpt[:300]}")
	assert x.attempts >= 500
	assert not x.leaks, f"{len(x.leaks)} leaks (see output)"


INTERNAL_NOTE = "NOTA-INTERNA-DEL-PROVEEDOR-42"


def test_nothing_internal_on_own_requests(agent, customer_a):
	"""Staff's internal notes on A's own request: not in the form, its timeline, lists, counts or
	filters; and the side doors of allowed methods stay shut (upload_file's ``method``, the link
	search's ``query``, a child row appended through frappe.client.insert, comments in the agent's
	name)."""
	own = customer_a.message("frappe.client.get_list", doctype="Support Request", fields=["name"])[0]["name"]
	note = f"<p>{INTERNAL_NOTE}</p>"
	set_note = agent.call(
		"frappe.client.set_value", doctype="Support Request", name=own, fieldname="internal_notes", value=note
	)
	assert set_note.status_code == 200, set_note.text[:300]
	x = Prober(customer_a, [INTERNAL_NOTE, "NOTA-INTERNA", "Catálogo interno", "Bodega Zafiro"])
	c = customer_a
	for label, call in (
		("getdoc", lambda: c.call("frappe.desk.form.load.getdoc", doctype="Support Request", name=own)),
		(
			"get_docinfo",
			lambda: c.call("frappe.desk.form.load.get_docinfo", doctype="Support Request", name=own),
		),
		("client.get", lambda: c.call("frappe.client.get", doctype="Support Request", name=own)),
		("REST read", lambda: c.request("GET", f"/api/resource/Support Request/{own}")),
	):
		x.probe(label, call, must_refuse=False)
	flt = [["internal_notes", "like", "%NOTA-INTERNA%"]]
	for label, call in (
		(
			"reportview filter",
			lambda: c.call(
				"frappe.desk.reportview.get", doctype="Support Request", fields=["name"], filters=flt
			),
		),
		(
			"get_count filter",
			lambda: c.call("frappe.client.get_count", doctype="Support Request", filters=flt),
		),
		("get_list filter", lambda: c.call("frappe.client.get_list", doctype="Support Request", filters=flt)),
		(
			"get_list field",
			lambda: c.call("frappe.client.get_list", doctype="Support Request", fields=["internal_notes"]),
		),
		(
			"client.get filter",
			lambda: c.call(
				"frappe.client.get", doctype="Support Request", filters={"internal_notes": ["like", "%NOTA%"]}
			),
		),
		(
			"REST filter",
			lambda: c.request("GET", "/api/resource/Support Request", params={"filters": json.dumps(flt)}),
		),
		(
			"REST order",
			lambda: c.request(
				"GET", "/api/resource/Support Request", params={"order_by": "internal_notes desc"}
			),
		),
		(
			"search field",
			lambda: c.call(
				"frappe.desk.search.search_link",
				doctype="Support Request",
				txt="NOTA",
				searchfield="internal_notes",
			),
		),
		(
			"upload_file method",
			lambda: c.session.post(
				f"{BASE_URL}/api/method/upload_file",
				data={"doctype": "Support Request", "docname": own, "method": "frappe.client.get_list"},
				files={"file": ("m.txt", b"x")},
				timeout=60,
			),
		),
		(
			"search query",
			lambda: c.call(
				"frappe.desk.search.search_link",
				doctype="Support Request",
				txt="",
				query="erpnext.controllers.queries.customer_query",
			),
		),
		(
			"child row insert",
			lambda: c.call(
				"frappe.client.insert",
				doc={
					"doctype": "Support Request",
					"parent": own,
					"parenttype": "Support Request",
					"parentfield": "sla_events",
				},
			),
		),
	):
		x.probe(label, call)
	comment = c.call(
		"frappe.desk.form.utils.add_comment",
		reference_doctype="Support Request",
		reference_name=own,
		content="Comentario firmado como el agente",
		comment_email=AGENT,
		comment_by="Agente Pruebas",
	)
	x.attempts += 1
	if comment.status_code != 200 or comment.json()["message"]["comment_email"] != USER_A:
		x.leaks.append(("comment in the agent's name", comment.status_code, ["spoofed"], comment.text[:300]))
	print(f"\n{x.attempts} attempts, {len(x.leaks)} leaks")
	for label, status, found, excerpt in x.leaks:
		print(f"LEAK [{status}] {label[:200]}\n    found: {found}\n    excerpt: {excerpt[:300]}")
	assert not x.leaks


def test_customer_a_still_works(customer_a):
	"""Not vacuous: A's own requests, contract, plan version, comment and attachment still work."""
	own = customer_a.message(
		"frappe.client.get_list", doctype="Support Request", fields=["name"], limit_page_length=0
	)
	assert own
	name = own[0]["name"]
	doc = customer_a.getdoc("Support Request", name)["docs"][0]
	contract = customer_a.message(
		"frappe.client.get", doctype="Support Contract", filters={"name": doc["contract"]}
	)
	assert contract["name"] == doc["contract"]
	plan = customer_a.getdoc("Support Plan", contract["support_plan"])["docs"][0]
	assert plan["name"] == contract["support_plan"]
	assert customer_a.message(
		"frappe.client.get", doctype="Support Request", filters={"subject": ["like", "Aceros%"]}
	)["customer"]
	comment = customer_a.call(
		"frappe.desk.form.utils.add_comment",
		reference_doctype="Support Request",
		reference_name=name,
		content="Comentario de Aceros desde la API",
		comment_email=USER_A,
		comment_by="Alicia Norte",
	)
	assert comment.status_code == 200, comment.text[:300]
	upload = customer_a.call(
		"upload_file",
		upload={"file": ("aceros.txt", b"hola")},
		doctype="Support Request",
		docname=name,
		is_private="1",
	)
	assert upload.status_code == 200, upload.text[:300]
	assert customer_a.message("frappe.desk.search.get_link_title", doctype="Support Request", docname=name)


def test_revoked_user_reads_nothing(agent):
	"""A former employee, listed only on A's ended contract: no request of A, no contract."""
	revoked = Client(USER_REVOKED)
	a_request = agent.message(
		"frappe.client.get_list", doctype="Support Request", filters={"raised_by": USER_A}, fields=["name"]
	)[0]["name"]
	assert revoked.message("frappe.client.get_list", doctype="Support Request", fields=["name"]) == []
	assert revoked.message("frappe.client.get_list", doctype="Support Contract", fields=["name"]) == []
	real = revoked.call("frappe.desk.form.load.getdoc", doctype="Support Request", name=a_request)
	fake = revoked.call("frappe.desk.form.load.getdoc", doctype="Support Request", name=FAKE_REQUEST)
	assert real.status_code == fake.status_code == 403
	assert real.text == fake.text


def test_guests_still_comment_on_public_pages():
	"""Frappe's web comment box (allow_guest) keeps working through our override."""
	guest = requests.Session()
	page = guest.get(f"{BASE_URL}/{PUBLIC_PAGE}", timeout=30)
	assert page.status_code == 200, page.status_code
	found = re.search(r'reference_name:\s*"([^"]+)"', page.text)
	assert found, "the public page shows no comment box"
	web_page = found.group(1)
	response = guest.post(
		f"{BASE_URL}/api/method/frappe.templates.includes.comments.comments.add_comment",
		data={
			"comment": "Muy útil, gracias",
			"comment_email": "visitante@ejemplo.test",
			"comment_by": "Visitante",
			"reference_doctype": "Web Page",
			"reference_name": web_page,
			"route": PUBLIC_PAGE,
		},
		timeout=30,
	)
	assert response.status_code == 200, response.text[:300]
	assert "Muy útil" in readable(response)
