"""Mail and Support Requests: who a sender is, when a received mail may join a request, what we
answer automatically, and what a Communication on a request does to it (first response, resumed
clock, the description of a request made from an e-mail). Wired from Support Request, Support
Contract and hooks.py (``doc_events`` of Communication, ``make_email_body_message``).

How Frappe 15 files a received mail (frappe.email.receive.InboundMail._build_communication_doc):
the parent comes from In-Reply-To (a Communication or Email Queue with that Message-ID), else from
``#NAME`` at the end of the subject, else from a request with a similar subject in the last 60 days
(from the same sender, or from anyone when the sender is a System User), else Frappe creates a new
request. Only then is the Communication inserted: ``check_thread`` (its ``before_insert``) accepts
the parent only if the mail threads into it and its sender belongs to the request's customer, and
otherwise files the mail in a request of its own. Where Frappe finds no parent but the mail
continues a request through References or the request's name in the subject, Support Request.insert
hands Frappe that request instead of a new one (``existing_request_for_new_mail``).
"""

import html
import re
import sys

import frappe
from frappe import _
from frappe.core.doctype.file.exceptions import MaxFileSizeReachedError
from frappe.query_builder.functions import Count
from frappe.utils import add_to_date, cstr, escape_html, now_datetime, strip_html, validate_email_address

from support_policy.glue import scope as scope_glue
from support_policy.glue import sla as sla_glue
from support_policy.permissions import is_staff

# At most this many acknowledgements go to one address in any hour (the rest of its mail is still
# kept and filed, silently): a loop with another robot ends after a few messages.
ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR = 3
# RFC 3834: how our automatic answers are marked. Frappe prefixes custom headers with "X-";
# ``mark_automatic`` turns ours back into the standard header.
AUTO_SUBMITTED = "auto-replied"
AUTOMATIC_LOCAL_PART = re.compile(
	r"^(mailer-daemon|mail-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)([-+._].*)?$",
	re.IGNORECASE,
)
LIST_PRECEDENCE = ("bulk", "junk", "list")
FRAPPE_SUBJECT_LENGTH = 140  # InboundMail.set_subject keeps this much of a subject
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
REQUEST_NAME = re.compile(r"\bSR-\d{4}-\d+\b", re.IGNORECASE)  # naming series SR-.YYYY.-
ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


# Identity ------------------------------------------------------------------------------------


def user_for_email(email: str) -> str | None:
	"""The enabled user whose own e-mail this is, or for whom staff recorded it on a contract
	(*Other E-mail Addresses* of the contract's user row). Never a Contact: customers create
	those. A disabled user is nobody."""
	email = cstr(email).strip().lower()
	if not email:
		return None
	own = frappe.db.get_value("User", {"email": email}, ["name", "enabled"], as_dict=True)
	if own:
		return own.name if own.enabled else None
	users = users_recorded_for(email)
	if len(users) != 1:
		return None
	return users[0] if frappe.db.get_value("User", users[0], "enabled") else None


def split_addresses(text) -> list[str]:
	return [a for a in ADDRESS_SEPARATORS.split(cstr(text).strip().lower()) if a]


def users_recorded_for(email: str, exclude_contract: str | None = None) -> list[str]:
	row = frappe.qb.DocType("Support Contract User")
	query = (
		frappe.qb.from_(row)
		.select(row.user, row.mail_addresses)
		.where(row.mail_addresses.like(f"%{email}%"))  # narrowed below to whole addresses
	)
	if exclude_contract:
		query = query.where(row.parent != exclude_contract)
	return sorted({r.user for r in query.run(as_dict=True) if email in split_addresses(r.mail_addresses)})


def validate_recorded_addresses(contract) -> None:
	"""Support Contract.validate: other addresses of a user are valid, one per line, and belong to
	no one else (another user's own e-mail, or recorded for another user)."""
	seen = {}
	for row in contract.get("authorized_users") or []:
		addresses = split_addresses(row.get("mail_addresses"))
		for address in addresses:
			if not validate_email_address(address):
				frappe.throw(_("{0} is not a valid e-mail address").format(address))
			owner = frappe.db.get_value("User", {"email": address}, "name")
			others = {u for u in users_recorded_for(address, contract.name) if u != row.user}
			if seen.get(address, row.user) != row.user:
				others.add(seen[address])
			if (owner and owner != row.user) or others:
				frappe.throw(
					_("The address {0} already belongs to another user; it cannot identify {1}.").format(
						address, row.user
					)
				)
			seen[address] = row.user
		row.mail_addresses = "\n".join(dict.fromkeys(addresses)) or None


def customer_of(user: str | None) -> str | None:
	"""The customer whose Active contract authorizes ``user``."""
	if not user:
		return None
	from support_policy.support_policy.doctype.support_contract.support_contract import contract_for_user

	contract, _reason = contract_for_user(user)
	return contract and frappe.db.get_value("Support Contract", contract, "customer")


# The mail being received ---------------------------------------------------------------------


def current_inbound_mail():
	"""The ``InboundMail`` Frappe is filing, when called from inside it (its hooks run there).
	Frappe hands our documents no headers: the Communication keeps no In-Reply-To, References,
	Auto-Submitted or List-Id, and the request it creates gets only the subject and the sender.
	So read the message object from the caller's frames; None outside mail intake."""
	from frappe.email.receive import InboundMail

	frame = sys._getframe(1)
	while frame is not None:
		candidate = frame.f_locals.get("self")
		if isinstance(candidate, InboundMail):
			return candidate
		frame = frame.f_back
	return None


def sender_address(fallback: str) -> str:
	"""The address that identifies the sender of the mail being received: its From, the header the
	receiving server authenticates (SPF, DKIM, DMARC). Frappe takes Reply-To instead when there is
	one (a place to answer, which anyone can set to anybody's address) — never an identity."""
	inbound = current_inbound_mail()
	if inbound is None:
		return cstr(fallback).strip().lower()
	from frappe.utils import extract_email_id

	author = inbound.decode_email(inbound.mail.get("From"))
	return cstr(extract_email_id(author) if author else fallback).strip().lower()


def mail_subject(inbound, fallback: str) -> str:
	"""The whole decoded subject (Frappe keeps 140 characters)."""
	if inbound is None:
		return cstr(fallback)
	from email.header import decode_header, make_header

	try:
		return str(make_header(decode_header(cstr(inbound.mail.get("Subject"))))).strip() or cstr(fallback)
	except Exception:
		return cstr(fallback)


def referenced_message_ids(inbound) -> list[str]:
	ids = []
	if inbound is not None:
		for header in ("In-Reply-To", "References"):
			for value in inbound.mail.get_all(header) or []:
				ids.extend(MESSAGE_ID.findall(cstr(value)))
	return list(dict.fromkeys(ids))


def names_request(subject: str, request: str) -> bool:
	return bool(re.search(rf"(?<![\w-]){re.escape(request)}(?![\w-])", cstr(subject), re.IGNORECASE))


# Threading -----------------------------------------------------------------------------------


def threads_into(request: str, communication, inbound) -> bool:
	"""The mail answers a message of ``request`` (In-Reply-To/References), or names it in the subject."""
	filters = {"reference_doctype": "Support Request", "reference_name": request}
	if communication.in_reply_to and frappe.db.exists(
		"Communication", {"name": communication.in_reply_to, **filters}
	):
		return True
	ids = referenced_message_ids(inbound)
	if ids and (
		frappe.db.exists("Communication", {"message_id": ("in", ids), **filters})
		or frappe.db.exists("Email Queue", {"message_id": ("in", ids), **filters})
		# Frappe also writes a Communication's name as the local part of a Message-ID.
		or frappe.db.exists("Communication", {"name": ("in", [i.split("@", 1)[0] for i in ids]), **filters})
	):
		return True
	return names_request(mail_subject(inbound, communication.subject), request)


def sender_belongs(sender: str, request) -> bool:
	"""Staff answer any request; a customer's user only their customer's; a request held for
	identification (no customer) is continued only from the address that sent it."""
	user = user_for_email(sender)
	if user and is_staff(user):
		return True
	if not request.customer:
		return cstr(sender).strip().lower() == cstr(request.raised_by_email).strip().lower()
	return customer_of(user) == request.customer


def check_thread(doc, method=None):
	"""Communication.before_insert: a received mail stays on the request Frappe chose only if it
	threads into it and its sender belongs to that request's customer; otherwise it opens a request
	of its own (held for identification when the sender is not an authorized user)."""
	if not doc.flags.in_receive or doc.reference_doctype != "Support Request" or not doc.reference_name:
		return
	inbound = current_inbound_mail()
	if inbound is not None and inbound.flags.get("support_request") == doc.reference_name:
		return  # Frappe has just opened this request for this very mail
	request = frappe.db.get_value(
		"Support Request", doc.reference_name, ["name", "customer", "raised_by_email"], as_dict=True
	)
	sender = sender_address(doc.sender)
	if inbound is None and request and is_fresh_request_of(request, sender):
		return
	if request and sender_belongs(sender, request) and threads_into(request.name, doc, inbound):
		return
	continued = inbound is not None and continued_request(sender, inbound, doc.subject)
	doc.reference_name = continued or open_request(doc)
	if doc.in_reply_to and not frappe.db.exists(
		"Communication",
		{
			"name": doc.in_reply_to,
			"reference_doctype": "Support Request",
			"reference_name": doc.reference_name,
		},
	):
		doc.in_reply_to = None  # it answered a message of another request: do not link to it


def is_fresh_request_of(request, sender) -> bool:
	"""Outside InboundMail (should Frappe change): a request of this sender without any message yet."""
	return cstr(request.raised_by_email).lower() == cstr(sender).lower() and not frappe.db.exists(
		"Communication", {"reference_doctype": "Support Request", "reference_name": request.name}
	)


def open_request(communication) -> str:
	"""What Frappe does for a mail without a parent (InboundMail._create_reference_document)."""
	request = frappe.new_doc("Support Request")
	request.flags.opened_for_mail = True
	request.subject = cstr(communication.subject)[:FRAPPE_SUBJECT_LENGTH]
	request.raised_by_email = sender_address(communication.sender)
	request.flags.ignore_mandatory = True  # the description comes with the Communication
	request.insert(ignore_permissions=True)
	return request.name


def existing_request_for_new_mail(doc) -> str | None:
	"""Support Request.insert, when Frappe is about to open a request for a mail it could not place
	(it looks at In-Reply-To, ``#NAME`` and similar subjects only): the request this mail continues,
	if any (``continued_request``). Frappe then files the mail there."""
	if doc.flags.opened_for_mail or not doc.is_new() or not doc.raised_by_email or doc.raised_by:
		return None
	inbound = current_inbound_mail()
	if inbound is None:
		return None
	return continued_request(sender_address(doc.raised_by_email), inbound, doc.subject)


def continued_request(sender: str, inbound, subject: str) -> str | None:
	"""The request this mail threads into through In-Reply-To/References or the request's name in
	its subject, among those whose customer the sender belongs to; the most recent message first."""
	candidates = []
	ids = referenced_message_ids(inbound)
	if ids:
		for doctype in ("Communication", "Email Queue"):
			candidates += frappe.get_all(
				doctype,
				filters={"message_id": ("in", ids), "reference_doctype": "Support Request"},
				pluck="reference_name",
				order_by="creation desc",
			)
	subject = mail_subject(inbound, subject)
	candidates += [
		name
		for name in REQUEST_NAME.findall(subject)
		if frappe.db.exists("Support Request", name) and names_request(subject, name)
	]
	for name in dict.fromkeys(candidates):
		request = frappe.db.get_value(
			"Support Request", name, ["name", "customer", "raised_by_email"], as_dict=True
		)
		if request and sender_belongs(sender, request):
			return request.name
	return None


def note_opened_by_mail(doc) -> None:
	"""Support Request.after_insert: remember which request this mail opened (see check_thread)."""
	inbound = current_inbound_mail()
	if inbound is not None:
		inbound.flags.support_request = doc.name


# Automatic answers ---------------------------------------------------------------------------


def customer_language() -> str:
	"""The language customers are written to in: the default plan's (Spanish for the seeded policy)."""
	plan = frappe.db.get_single_value("Support Policy Settings", "default_plan")
	return (plan and frappe.db.get_value("Support Plan", plan, "language")) or "es"


def automatic_mail(sender: str, inbound=None) -> str | None:
	"""Why the mail being received was sent by a robot (so no robot answers it), or None."""
	sender = cstr(sender).strip()
	if AUTOMATIC_LOCAL_PART.match(sender.split("@", 1)[0]):
		return _("{0} is an automatic address").format(sender)
	if inbound is None:
		return None
	message = inbound.mail
	auto_submitted = cstr(message.get("Auto-Submitted")).split(";", 1)[0].strip()
	if auto_submitted and auto_submitted.lower() != "no":
		return _("the message is automatic ({0})").format(f"Auto-Submitted: {auto_submitted}")
	precedence = cstr(message.get("Precedence")).strip()
	if precedence.lower() in LIST_PRECEDENCE:
		return _("the message is automatic ({0})").format(f"Precedence: {precedence}")
	for header in ("List-Id", "X-Autoreply", "X-Autorespond"):
		if message.get(header):
			return _("the message is automatic ({0})").format(header)
	if message.get_content_type() == "multipart/report" or cstr(message.get("Return-Path")).strip() == "<>":
		return _("the message is automatic ({0})").format(_("delivery report"))
	return None


def acknowledgements_in_last_hour(address: str) -> int:
	"""Acknowledgements are sent when a request is opened, so look among the requests received in
	the last hour (indexed on received_on), not through the whole Communication table."""
	since = add_to_date(now_datetime(), hours=-1)
	request = frappe.qb.DocType("Support Request")
	communication = frappe.qb.DocType("Communication")
	return (
		frappe.qb.from_(request)
		.join(communication)
		.on(
			(communication.reference_doctype == "Support Request")
			& (communication.reference_name == request.name)
		)
		.select(Count("*"))
		.where(
			(request.received_on >= since)
			& (request.raised_by_email == address)
			& (communication.communication_type == "Automated Message")
			& (communication.sent_or_received == "Sent")
			& (communication.recipients == address)
			& (communication.creation >= since)
		)
	).run()[0][0]


def outgoing_sender() -> str | None:
	account = frappe.db.get_single_value("Support Policy Settings", "email_account")
	return account and frappe.db.get_value("Email Account", account, "email_id")


def can_send_mail() -> bool:
	return bool(outgoing_sender()) or bool(
		frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	)


def send_automatic(doc, subject: str, content: str, recipient: str, communication_type=None) -> str:
	"""Record an automatic answer on the request's timeline and queue it with
	``Auto-Submitted: auto-replied`` (unless the mail we answer came from a robot). Without an
	outgoing account it stays on the timeline, which the customer reads in the desk."""
	from frappe.core.doctype.communication.email import make

	name = make(
		doctype=doc.doctype,
		name=doc.name,
		subject=subject,
		content=content,
		recipients=recipient,
		sender=outgoing_sender() or None,
		send_email=False,
		communication_medium="Email",
		communication_type=communication_type,
	)["name"]
	if can_send_mail() and not automatic_mail(recipient, current_inbound_mail()):
		communication = frappe.get_doc("Communication", name)
		if message := communication.sendmail_input_dict():
			frappe.sendmail(**message, email_headers={"Auto-Submitted": AUTO_SUBMITTED})
	return name


def mark_automatic(email_body) -> None:
	"""``make_email_body_message`` hook: Frappe writes custom headers as "X-Auto-Submitted";
	receivers look for the standard "Auto-Submitted" (RFC 3834)."""
	value = email_body.msg_root.get("X-Auto-Submitted")
	if value:
		del email_body.msg_root["X-Auto-Submitted"]
		email_body.set_header("Auto-Submitted", value)


def acknowledge_mail(doc) -> None:
	"""Support Request.after_insert for a request opened by mail: a short answer, in the customers'
	language, with the request's reference (replies keep it in the subject and so thread). Held
	mail is told why. None to robots, and at most ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR per address."""
	recipient = cstr(doc.raised_by_email).strip().lower()
	if not recipient:
		return
	why_not = automatic_mail(recipient, current_inbound_mail())
	if not why_not and acknowledgements_in_last_hour(recipient) >= ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR:
		why_not = _("{0} acknowledgements went to this address in the last hour").format(
			ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR
		)
	if why_not:
		doc.add_comment("Info", _("No acknowledgement was sent to {0}: {1}").format(recipient, why_not))
		return
	lang = customer_language()
	lines = [
		_("Hello,", lang=lang),
		_("We received your message and registered it as request {0}.", lang=lang).format(doc.name),
	]
	if doc.flags.hold_reason:
		lines.append(escape_html(cstr(doc.flags.hold_reason)))
		lines.append(
			_(
				"Our support is for the authorized users of each contract. If you should be one, ask your "
				"company's administrator to add you, or reply from your registered address. Our team will "
				"review your message.",
				lang=lang,
			)
		)
	else:
		lines.append(
			_("To add to it, reply to this message or keep {0} in the subject.", lang=lang).format(
				f"#{doc.name}"
			)
		)
	send_automatic(
		doc,
		_("We received your message: {0} (#{1})", lang=lang).format(doc.subject, doc.name),
		"".join(f"<p>{line}</p>" for line in lines),
		recipient,
		communication_type="Automated Message",
	)


# Long text -----------------------------------------------------------------------------------


def html_to_text(value: str) -> str:
	text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", cstr(value))
	return html.unescape(strip_html(text))


def text_to_html(text: str) -> str:
	return escape_html(text).replace("\n", "<br>")


def cut_description(doc, limit: int) -> None:
	"""A channel nobody watches on screen (mail) is never refused for length: the description keeps
	the beginning and says what was cut; the whole text is attached as a file on save."""
	text = doc.flags.full_text or html_to_text(doc.description)
	lang = customer_language()
	file_name = _("Full text of {0}", lang=lang).format(doc.name) + ".txt"
	keep = limit - 1000
	while True:
		head = text[:keep]
		note = _(
			"The message had {0} characters; this description keeps the first {1}. The whole text is attached as {2}.",
			lang=lang,
		).format(len(text), len(head), file_name)
		description = f"{text_to_html(head)}<p><b>{escape_html(note)}</b></p>"
		if len(strip_html(description)) <= limit:
			break
		keep -= 1000
	doc.description = description
	doc.flags.full_text_file = (file_name, text)


def attach_full_text(doc) -> None:
	"""Support Request.on_update: attach the text that ``cut_description`` shortened. (The mail's
	Communication keeps the whole text too.)"""
	pending = doc.flags.pop("full_text_file", None)
	if not pending:
		return
	file_name, text = pending
	try:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
				"is_private": 1,
				"content": text.encode(),
			}
		).insert(ignore_permissions=True)
	except MaxFileSizeReachedError:
		doc.add_comment(
			"Info",
			_("The whole text is larger than the file size limit; it stays on the e-mail in this request."),
		)


def megabytes(size: int) -> str:
	return f"{size / 1048576:.1f} MB"


def note_dropped_attachments(doc, method=None):
	"""Communication.on_update: Frappe silently skips a received attachment bigger than the site's
	file size limit (InboundMail.save_attachments_in_doc). Say on the request what was not kept."""
	saved = getattr(doc, "_attachments", None)
	if not doc.flags.in_receive or saved is None or doc.reference_doctype != "Support Request":
		return
	inbound = current_inbound_mail()
	if inbound is None:
		return
	from urllib.parse import unquote

	from frappe.core.api.file import get_max_file_size

	limit = get_max_file_size()
	kept = {f.file_name for f in saved}
	for attachment in inbound.attachments:
		name, size = unquote(attachment["fname"]), len(attachment["fcontent"] or b"")
		if size > limit and name not in kept:
			frappe.get_doc("Support Request", doc.reference_name).add_comment(
				"Info",
				_(
					"The attachment {0} ({1}) of the e-mail from {2} is larger than the file size limit ({3}) and "
					"was not kept. Ask the sender to share it another way, or raise Max File Size in System "
					"Settings."
				).format(name, megabytes(size), doc.sender, megabytes(limit)),
			)


# Replies -------------------------------------------------------------------------------------


def on_communication(doc, method=None):
	"""Replies drive the SLA: the first reply an agent sends is the first response; a customer reply
	while we wait on the customer resumes the clock. The first mail of a request made from an e-mail
	also gives it its description (Frappe creates the request from the subject first)."""
	if doc.reference_doctype != "Support Request" or doc.communication_type != "Communication":
		return
	if not frappe.db.exists("Support Request", doc.reference_name):
		return
	request = frappe.get_doc("Support Request", doc.reference_name)
	sender_user = user_for_email(doc.sender) if doc.sender else None
	from_staff = doc.sent_or_received == "Sent" and is_staff(sender_user or frappe.session.user)
	changed = False
	if doc.sent_or_received == "Received" and not strip_html(cstr(request.description)).strip():
		# Frappe inserts a plain-text mail with only text_content; its HTML content comes later.
		text = cstr(doc.text_content) or html_to_text(doc.content)
		request.description = doc.content or text_to_html(text)
		inbound = current_inbound_mail()
		subject = mail_subject(inbound, doc.subject)
		if len(subject) > FRAPPE_SUBJECT_LENGTH:
			# Frappe keeps 140 characters of a subject: the rest opens the description.
			lang = customer_language()
			line = _("Full subject: {0}", lang=lang).format(subject)
			request.description = f"<p>{escape_html(line)}</p>{request.description}"
			text = f"{line}\n\n{text}"
		request.flags.full_text = text
		scope_glue.apply_verdict(request)
		changed = True
	changed = (
		sla_glue.on_reply(request, from_staff=from_staff, at=doc.communication_date or doc.creation)
		or changed
	)
	if changed:
		request.flags.ignore_permissions = True
		request.flags.ignore_mandatory = True  # a blank mail is kept, not dropped
		request.save()
		if request.flags.notify_out_of_scope:
			scope_glue.offer_success_pack(request)
