"""A small, fixed data set for the HTTP and browser tests (tests/http, tests/browser).

Run it on a test site (it commits):

	bench --site SITE execute support_policy.setup.http_fixtures.setup

Idempotent: records are found by their fixed names, subjects and contents, and only what is missing
is created. Two customers, A ("Aceros del Norte") and B ("Bodega Zafiro"), each with one customer
user (Spanish, role Support Customer, Contact linked to the customer) on an Active contract, one
support agent, a few requests per customer with replies, comments, an internal note, a tag, an
assignment, a followed request and a private file. Everything that belongs to B says "Zafiro", so a
test can tell at a glance whether something of B reached A.

The password of the three users comes from SUPPORT_POLICY_TEST_PASSWORD (default below); never use
this module on a production site.
"""

import os

import frappe
from frappe.utils import add_days, add_months, nowdate

PASSWORD_ENV = "SUPPORT_POLICY_TEST_PASSWORD"
DEFAULT_PASSWORD = "Soporte-Pruebas-2026!"

CUSTOMER_A = "Aceros del Norte SA de CV"
CUSTOMER_B = "Bodega Zafiro SA de CV"
USER_A = "cliente.a@aceros-norte.test"
USER_B = "cliente.b@bodega-zafiro.test"
AGENT = "agente.http@proveedor.test"
MANAGER = "gerente.http@proveedor.test"

USERS = {
	USER_A: {
		"first_name": "Alicia",
		"last_name": "Norte",
		"customer": CUSTOMER_A,
		"role": "Support Customer",
	},
	USER_B: {
		"first_name": "Beatriz",
		"last_name": "Zafiro",
		"customer": CUSTOMER_B,
		"role": "Support Customer",
	},
	AGENT: {"first_name": "Agente", "last_name": "Pruebas", "customer": None, "role": "Support Agent"},
	MANAGER: {"first_name": "Gerente", "last_name": "Pruebas", "customer": None, "role": "Support Manager"},
}

REQUESTS = {
	USER_A: [
		{
			"subject": "Aceros: no puedo imprimir facturas",
			"description": "<p>Desde ayer el formato de impresión de facturas sale en blanco.</p>",
			"priority": "High",
		},
		{
			"subject": "Aceros: cambiar contraseña de un usuario",
			"description": "<p>Olvidé mi contraseña, ¿me ayudan a reiniciarla?</p>",
			"priority": "Low",
		},
	],
	USER_B: [
		{
			"subject": "Zafiro: error 502 en el portal de pedidos",
			"description": "<p>El portal de pedidos de Bodega Zafiro marca error 502. Referencia ZAFIRO-SECRETO-001.</p>",
			"priority": "Urgent",
		},
		{
			"subject": "Zafiro: respaldo de la sucursal Centro",
			"description": "<p>¿Cuándo fue el último respaldo de la base de datos? Referencia ZAFIRO-SECRETO-002.</p>",
			"priority": "Medium",
		},
		{
			"subject": "Zafiro: importar catálogo de productos",
			"description": "<p>Necesitamos importar todos nuestros productos desde Excel a ERPNext. ZAFIRO-SECRETO-003.</p>",
			"priority": "Medium",
		},
	],
}

B_FILE_NAME = "zafiro-inventario-privado.txt"
B_FILE_CONTENT = "Inventario confidencial de Bodega Zafiro: ZAFIRO-ARCHIVO-4417\n"
B_NOTE = "Nota interna sobre Zafiro: cliente preferente, ZAFIRO-NOTA-01"
B_CUSTOMER_REPLY = "Gracias, seguimos con el error en el portal Zafiro. ZAFIRO-RESPUESTA-01"
B_AGENT_REPLY = "Hola Beatriz, revisamos el portal de Zafiro. ZAFIRO-AGENTE-01"
A_COMMENT = "Adjunto más detalles de la impresión de facturas de Aceros."
A_AGENT_REPLY = "Hola Alicia, ya revisamos el formato de impresión de Aceros."
TAG = "prioritario"
# The API surface (tests/http/test_api_surface.py): a user of A whose only contract has ended, an
# Item of the provider's catalogue, and a public page guests comment on.
USER_REVOKED = "exempleado@aceros-norte.test"
PROVIDER_ITEM = "PROVEEDOR-CATALOGO-01"
PUBLIC_PAGE = "pagina-publica-soporte"


def password() -> str:
	return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def setup():
	"""Create what is missing of the data set and commit."""
	frappe.set_user("Administrator")
	from support_policy.setup.testing import active_contract, make_customer

	for customer in (CUSTOMER_A, CUSTOMER_B):
		make_customer(customer)
	for email, spec in USERS.items():
		ensure_user(email, spec)
	for customer, user in ((CUSTOMER_A, USER_A), (CUSTOMER_B, USER_B)):
		active_contract(
			customer,
			user,
			reuse=True,
			contacts=True,
			hosted_site_url=f"https://{customer.split()[0].lower()}.example.com",
		)
	ensure_revoked_user()
	ensure_provider_records()
	frappe.db.commit()

	remove_test_requests()
	requests = {user: [ensure_request(user, spec) for spec in specs] for user, specs in REQUESTS.items()}
	remove_cross_customer_residue()
	a_first = requests[USER_A][0]
	b_first, b_second = requests[USER_B][0], requests[USER_B][1]

	ensure_reply(a_first, AGENT, A_AGENT_REPLY, sent=True)
	ensure_comment(a_first, USER_A, A_COMMENT)
	ensure_reply(b_first, AGENT, B_AGENT_REPLY, sent=True)
	ensure_reply(b_first, USER_B, B_CUSTOMER_REPLY, sent=False)
	ensure_comment(b_first, AGENT, B_NOTE)
	ensure_file(b_first, USER_B)
	ensure_tag(b_first)
	ensure_assignment(b_second)
	ensure_follow(b_first, USER_B)
	frappe.set_user("Administrator")
	frappe.db.commit()

	from frappe.utils.global_search import sync_global_search

	sync_global_search()
	frappe.db.commit()
	print(
		"support_policy.setup.http_fixtures: users {}, {}, {}; customer A {} ({}); customer B {} ({})".format(
			USER_A,
			USER_B,
			AGENT,
			CUSTOMER_A,
			", ".join(requests[USER_A]),
			CUSTOMER_B,
			", ".join(requests[USER_B]),
		)
	)


def remove_test_requests() -> None:
	"""Requests the tests raised as A or B (journeys, injection and limit checks) on earlier runs."""
	for user, specs in REQUESTS.items():
		fixed = {spec["subject"] for spec in specs}
		for row in frappe.get_all("Support Request", filters={"raised_by": user}, fields=["name", "subject"]):
			if row.subject not in fixed:
				frappe.delete_doc("Support Request", row.name, ignore_permissions=True, force=True)
	frappe.db.commit()


def remove_cross_customer_residue() -> None:
	"""Undo what an earlier run of the isolation tests managed to write on the other customer's
	records while a hole was open (likes, follows, attachments, assignments, contacts, requests filed
	in the other customer's name), so every run starts from the same data. Rows are found first and
	deleted by name, so nothing locks what other sessions on the site are writing."""

	def delete(doctype: str, filters: dict) -> None:
		names = frappe.get_all(doctype, filters=filters, pluck="name")
		if names and doctype in ("Contact", "Address"):  # with their links
			for name in names:
				frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
		elif names:
			frappe.db.delete(doctype, {"name": ("in", names)})

	for intruder, victim in ((USER_A, USER_B), (USER_B, USER_A)):
		spoofed = frappe.get_all(
			"Support Request", filters={"raised_by": victim, "owner": intruder}, pluck="name"
		)
		for name in spoofed:
			frappe.delete_doc("Support Request", name, ignore_permissions=True, force=True)
		names = frappe.get_all("Support Request", filters={"raised_by": victim}, pluck="name")
		if names:
			delete("Comment", {"owner": intruder, "reference_name": ("in", names)})
			delete("File", {"owner": intruder, "attached_to_name": ("in", names)})
			delete("ToDo", {"owner": intruder, "reference_name": ("in", names)})
			delete("Tag Link", {"owner": intruder, "document_name": ("in", names)})
			delete("Document Follow", {"user": intruder, "ref_docname": ("in", names)})
			for name in names:
				liked = frappe.db.get_value("Support Request", name, "_liked_by")
				if liked and intruder in liked:
					frappe.db.set_value("Support Request", name, "_liked_by", None, update_modified=False)
		victim_urls = frappe.get_all("File", filters={"owner": victim}, pluck="file_url")
		if victim_urls:
			delete("File", {"owner": intruder, "file_url": ("in", victim_urls)})
		own = frappe.get_all("Support Request", filters={"raised_by": intruder}, pluck="name")
		if own and victim_urls:
			for url in victim_urls:  # "attachment added" notes of borrowed files
				delete("Comment", {"reference_name": ("in", own), "content": ("like", f"%{url}%")})
		if own and names:
			# the victim's mail moved onto the intruder's requests: back to the victim's request it names
			victim_email = frappe.db.get_value("User", victim, "email")
			moved = frappe.get_all(
				"Communication",
				filters={"reference_doctype": "Support Request", "reference_name": ("in", own)},
				fields=["name", "subject", "sender", "recipients"],
			)
			for c in moved:
				if victim_email not in f"{c.sender} {c.recipients}":
					continue
				home = next((n for n in names if n in (c.subject or "")), names[0])
				frappe.db.set_value("Communication", c.name, "reference_name", home, update_modified=False)
		delete("Contact", {"owner": intruder})
		delete("Address", {"owner": intruder})
	frappe.db.commit()


def ensure_revoked_user() -> None:
	"""A former employee of A: listed only on A's contract that ended last year."""
	from support_policy.setup.testing import current_plan

	ensure_user(
		USER_REVOKED,
		{
			"first_name": "Ernesto",
			"last_name": "Exempleado",
			"customer": CUSTOMER_A,
			"role": "Support Customer",
		},
	)
	member = frappe.qb.DocType("Support Contract User")
	if frappe.qb.from_(member).select(member.parent).where(member.user == USER_REVOKED).run():
		return
	start = add_months(nowdate(), -24)
	frappe.get_doc(
		{
			"doctype": "Support Contract",
			"customer": CUSTOMER_A,
			"support_plan": current_plan(),
			"start_date": start,
			"end_date": add_days(add_months(start, 12), -1),
			"signed_on": f"{start} 10:00:00",
			"delivered_on": f"{add_days(start, 1)} 10:00:00",
			"authorized_users": [{"user": USER_REVOKED}],
		}
	).insert(ignore_permissions=True)


def ensure_provider_records() -> None:
	"""What belongs to the provider, not to any customer: an Item of its catalogue and a public web
	page with comments open to guests."""
	if not frappe.db.exists("Item", PROVIDER_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": PROVIDER_ITEM,
				"item_name": "Catálogo interno del proveedor",
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	# Frappe allows 5 web comments an hour per page by default; the tests comment on every run
	frappe.db.set_single_value("Blog Settings", "comment_limit", 10000)
	if not frappe.db.exists("Web Page", {"route": PUBLIC_PAGE}):
		frappe.get_doc(
			{
				"doctype": "Web Page",
				"title": "Página pública de soporte",
				"route": PUBLIC_PAGE,
				"published": 1,
				"content_type": "Rich Text",
				"main_section": "<p>Preguntas frecuentes</p>",
				"enable_comments": 1,
			}
		).insert(ignore_permissions=True)


def ensure_user(email: str, spec: dict) -> None:
	from frappe.utils.password import update_password

	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": spec["first_name"],
				"last_name": spec["last_name"],
				"language": "es",
				"send_welcome_email": 0,
				"user_type": "System User",
				"document_follow_notify": 1,
				"document_follow_frequency": "Daily",
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	if spec["role"] not in [r.role for r in user.roles]:
		user.add_roles(spec["role"])
	update_password(email, password())
	customer = spec["customer"]
	if customer and not frappe.db.exists("Contact", {"user": email}):
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": spec["first_name"],
				"last_name": spec["last_name"],
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
				"user": email,
			}
		).insert(ignore_permissions=True)


def ensure_request(user: str, spec: dict) -> str:
	existing = frappe.db.get_value("Support Request", {"raised_by": user, "subject": spec["subject"]})
	if existing:
		return existing
	frappe.set_user(user)  # raised from the customer's own desk, through their permissions
	try:
		doc = frappe.get_doc({"doctype": "Support Request", **spec})
		doc.insert()
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	return doc.name


def ensure_reply(request: str, sender: str, content: str, sent: bool) -> None:
	existing = frappe.db.get_value("Communication", {"content": content, "sender": sender})
	if existing:
		# put it back where it belongs if an earlier run relinked it elsewhere
		frappe.db.set_value(
			"Communication",
			existing,
			{"reference_doctype": "Support Request", "reference_name": request},
			update_modified=False,
		)
		return
	subject = frappe.db.get_value("Support Request", request, "subject")
	frappe.set_user(sender)
	try:
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent" if sent else "Received",
				"subject": f"Re: {subject}",
				"content": content,
				"sender": sender,
				"sender_full_name": frappe.utils.get_fullname(sender),
				"recipients": frappe.db.get_value("Support Request", request, "raised_by_email")
				if sent
				else None,
				"reference_doctype": "Support Request",
				"reference_name": request,
			}
		).insert(ignore_permissions=True)
	finally:
		frappe.set_user("Administrator")


def ensure_comment(request: str, user: str, content: str) -> None:
	if frappe.db.exists(
		"Comment", {"reference_doctype": "Support Request", "reference_name": request, "content": content}
	):
		return
	frappe.set_user(user)
	try:
		frappe.get_doc("Support Request", request).add_comment("Comment", content, comment_email=user)
	finally:
		frappe.set_user("Administrator")


def ensure_file(request: str, owner: str) -> None:
	if frappe.db.exists(
		"File",
		{"attached_to_doctype": "Support Request", "attached_to_name": request, "file_name": B_FILE_NAME},
	):
		return
	frappe.set_user(owner)
	try:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": B_FILE_NAME,
				"attached_to_doctype": "Support Request",
				"attached_to_name": request,
				"is_private": 1,
				"content": B_FILE_CONTENT.encode(),
			}
		).insert(ignore_permissions=True)
	finally:
		frappe.set_user("Administrator")


def ensure_tag(request: str) -> None:
	from frappe.desk.doctype.tag.tag import add_tag

	frappe.set_user(AGENT)
	try:
		add_tag(TAG, "Support Request", request)
	finally:
		frappe.set_user("Administrator")


def ensure_assignment(request: str) -> None:
	from frappe.desk.form.assign_to import add

	if frappe.db.exists(
		"ToDo", {"reference_type": "Support Request", "reference_name": request, "status": "Open"}
	):
		return
	subject = frappe.db.get_value("Support Request", request, "subject")
	add(
		{
			"assign_to": [AGENT],
			"doctype": "Support Request",
			"name": request,
			"description": f"Revisar: {subject}",
		}
	)


def ensure_follow(request: str, user: str) -> None:
	from frappe.desk.form.document_follow import follow_document

	follow_document("Support Request", request, user)
