"""Benchmark: what the mail intake rules cost on top of Frappe filing the same mail.

    bench --site SITE execute support_policy.benchmarks.mail_intake.run
    bench --site SITE execute support_policy.benchmarks.mail_intake.run --kwargs "{'mails': 50, 'history': 100000}"
    bench --site SITE execute support_policy.benchmarks.mail_intake.run --kwargs "{'smoke': True}"

Anchor: Frappe 15's ``InboundMail.process`` alone, for an Email Account without Append To (the mail
becomes a Communication and nothing else). Measured side by side in this process:

1. a new mail from an authorized user through an Email Account with Append To = Support Request
   (the request, its scope verdict and SLA, the thread check, the acknowledgement queued);
2. a reply threaded by In-Reply-To (the thread and sender checks, the clock);
3. the pieces our hooks add: the frame walk that finds the InboundMail, ``user_for_email``, the
   hourly acknowledgement count, with ``history`` older Communications on Support Requests in the
   table (bulk inserted).

It prints milliseconds per mail and ratios; it asserts nothing. Everything is written inside the
command's transaction and rolled back at the end, also on error.
"""

from __future__ import annotations

import time
import timeit
from email.utils import make_msgid

import frappe
from frappe.email.receive import InboundMail

from support_policy.glue import mail as mail_glue

CUSTOMER = "Benchmark Correo SA"
USER = "bench-correo@cliente-bench.mx"


def raw(sender, subject, message_id, in_reply_to=None) -> bytes:
	lines = [
		f"From: {sender}",
		"To: soporte-bench@proveedor.test",
		f"Subject: {subject}",
		f"Message-ID: {message_id}",
		'Content-Type: text/plain; charset="utf-8"',
	]
	if in_reply_to:
		lines.append(f"In-Reply-To: {in_reply_to}")
	return (
		"\n".join(lines) + "\n\nNo puedo entrar al sistema desde esta mañana, marca error 502.\n"
	).encode()


def account(name, email_id, append_to=None):
	doc = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": name,
			"email_id": email_id,
			"append_to": append_to,  # incoming stays off: mails are handed to InboundMail directly
		}
	)
	doc.insert(ignore_permissions=True)
	return doc


def per_mail(fn, count: int) -> float:
	start = time.perf_counter()
	for i in range(count):
		fn(i)
	return (time.perf_counter() - start) / count * 1000


def bulk_history(rows: int, request: str) -> None:
	"""Older Communications on Support Requests (received mail and acknowledgements to others)."""
	now = frappe.utils.add_days(frappe.utils.now_datetime(), -3)
	fields = [
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"subject",
		"communication_type",
		"communication_medium",
		"sent_or_received",
		"reference_doctype",
		"reference_name",
		"recipients",
		"sender",
		"status",
	]
	chunk = []
	for i in range(rows):
		automated = i % 2 == 0
		chunk.append(
			(
				f"bench-comm-{i}",
				now,
				now,
				"Administrator",
				"Administrator",
				"Histórico",
				"Automated Message" if automated else "Communication",
				"Email",
				"Sent" if automated else "Received",
				"Support Request",
				request,
				f"otro{i % 5000}@cliente-bench.mx",
				"soporte-bench@proveedor.test",
				"Linked",
			)
		)
		if len(chunk) == 5000:
			frappe.db.bulk_insert("Communication", fields, chunk)
			chunk = []
	if chunk:
		frappe.db.bulk_insert("Communication", fields, chunk)


def run(mails: int = 30, history: int = 100000, smoke: bool = False):
	"""``smoke=True``: two mails over a short history (seconds; CI runs it so that the benchmark cannot
	rot; the figures mean nothing)."""
	from support_policy.setup.testing import make_contract, make_customer, make_user

	if smoke:
		mails, history = min(int(mails), 2), min(int(history), 100)
		print("SMOKE RUN: 2 mails, 100 older Communications; the figures mean nothing.")

	frappe.flags.mute_emails = True
	savepoint_commit = frappe.db.commit
	frappe.db.commit = lambda *a, **k: None  # one transaction, rolled back below
	try:
		make_customer(CUSTOMER)
		make_user(USER, CUSTOMER)
		make_contract(CUSTOMER, [USER])
		anchor = account("Bench Solo Frappe", "solo-frappe-bench@proveedor.test")
		ours = account("Bench Soporte", "soporte-bench@proveedor.test", "Support Request")

		frappe_alone = per_mail(
			lambda i: InboundMail(raw(USER, f"Anchor {i}", make_msgid()), anchor).process(), mails
		)
		first_ids = []

		def new_mail(i):
			message_id = make_msgid(domain="cliente-bench.mx")
			first_ids.append(message_id)
			InboundMail(raw(USER, f"Problema de acceso número {i}", message_id), ours).process()

		opened = per_mail(new_mail, mails)
		replied = per_mail(
			lambda i: InboundMail(
				raw(USER, f"Re: Problema de acceso número {i}", make_msgid(), first_ids[i]), ours
			).process(),
			mails,
		)

		request = frappe.db.get_value("Support Request", {"raised_by_email": USER}, "name")
		bulk_history(history, request)
		walk = min(timeit.repeat(mail_glue.current_inbound_mail, number=1000, repeat=5))
		who = min(timeit.repeat(lambda: mail_glue.user_for_email(USER), number=100, repeat=5)) * 10
		cap = (
			min(
				timeit.repeat(
					lambda: mail_glue.acknowledgements_in_last_hour("otro7@cliente-bench.mx"),
					number=10,
					repeat=3,
				)
			)
			* 100
		)

		print(f"\nMail intake, {mails} mails each, {history:,} older Communications for the count")
		print(f"{'':58} {'ms/mail':>9} {'x anchor':>9}")
		print(f"{'anchor: Frappe InboundMail, no Append To':58} {frappe_alone:9.1f} {1:9.2f}")
		print(
			f"{'new mail -> request + thread check + acknowledgement':58} {opened:9.1f} {opened / frappe_alone:9.2f}"
		)
		print(
			f"{'reply by In-Reply-To -> thread + sender checks + clock':58} {replied:9.1f} {replied / frappe_alone:9.2f}"
		)
		print(
			f"{'  frame walk to the InboundMail (outside one: full stack)':58} {walk:9.3f} {walk / frappe_alone:9.4f}"
		)
		print(f"{'  user_for_email':58} {who:9.3f} {who / frappe_alone:9.4f}")
		print(
			f"{'  acknowledgements in the last hour (count query)':58} {cap:9.3f} {cap / frappe_alone:9.4f}"
		)
	finally:
		frappe.db.rollback()
		frappe.db.commit = savepoint_commit
		frappe.flags.mute_emails = False
