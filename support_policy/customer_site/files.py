"""Files attached to a Site Support Request travel to the hub, each on its own outbox row.

A file may be attached while the request is being written, seconds after it was sent, or days
later as an answer to support: whenever it is, the File record and its outbox row are written in
one transaction (``after_insert``), and the row waits until its request has the hub's reference.
Uploads beyond ``delivery.attachments``' limits are refused here, with the reason, before anything
is stored or sent.
"""

from __future__ import annotations

import frappe
from frappe import _

from support_policy.customer_site import is_customer_site, outbox
from support_policy.delivery import attachments

DOCTYPE = "Site Support Request"


def _travels(doc) -> bool:
	return (
		doc.attached_to_doctype == DOCTYPE
		and doc.attached_to_name
		and not doc.is_folder
		and is_customer_site()
	)


def check_limits(doc, method=None) -> None:
	"""File.validate: one more file for this request must fit the link's limits."""
	if not doc.is_new() or not _travels(doc):
		return
	from frappe.core.api.file import get_max_file_size

	previous = frappe.get_all(
		"File",
		filters={"attached_to_doctype": DOCTYPE, "attached_to_name": doc.attached_to_name, "is_folder": 0},
		pluck="file_size",
	)
	reason = attachments.refusal([p or 0 for p in previous], doc.file_size or 0, get_max_file_size())
	if reason == "count":
		frappe.throw(
			_("A request can carry at most {0} files to support. Put the others in a ZIP file.").format(
				attachments.MAX_FILES
			),
			title=_("Too Many Files"),
		)
	if reason == "size":
		frappe.throw(
			_("{0} is too large to send to support; the limit is {1} MB per file.").format(
				doc.file_name, min(get_max_file_size(), attachments.MAX_FILE_BYTES) // (1024 * 1024)
			),
			title=_("File Too Large"),
		)
	if reason == "total":
		frappe.throw(
			_("The files of a request can add up to {0} MB; {1} would go over it.").format(
				attachments.MAX_TOTAL_BYTES // (1024 * 1024), doc.file_name
			),
			title=_("File Too Large"),
		)


def queue(doc, method=None) -> None:
	"""File.after_insert: the file's outbox row, in the transaction that stored the file."""
	if not _travels(doc):
		return
	outbox.add(
		"Attachment", doc.attached_to_name, outbox.new_key(), {"file": doc.name, "file_name": doc.file_name}
	)
