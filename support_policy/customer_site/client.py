"""Signed calls from this customer site to its hub (``requests``, with timeouts)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import frappe
import requests
from frappe import _
from frappe.utils import cstr
from frappe.utils.password import get_decrypted_password

from support_policy.delivery import signing

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 30
ENDPOINTS = {
	"receive": "/api/method/support_policy.hub.api.receive",
	"changes": "/api/method/support_policy.hub.api.changes",
}


class LinkError(Exception):
	"""The hub could not be reached or refused the call; ``message`` says why, for people."""

	def __init__(self, message: str, status: int | None = None):
		super().__init__(message)
		self.message = message
		self.status = status


class HubClient:
	def __init__(self, settings=None, session: requests.Session | None = None):
		settings = settings or frappe.get_cached_doc("Support Policy Settings")
		self.hub_url = cstr(settings.hub_url).rstrip("/")
		self.contract = cstr(settings.hub_contract)
		self.key = cstr(settings.hub_site_key)
		self.secret = get_decrypted_password(
			"Support Policy Settings", "Support Policy Settings", "hub_site_secret", raise_exception=False
		)
		if not (self.hub_url and self.key and self.secret and self.contract):
			raise LinkError(_("This site is not linked to a support hub yet (Support Policy Settings)."))
		self.session = session or requests.Session()
		# Read here: ``call`` may run in a pool thread, where frappe.local is not set up.
		self.read_timeout = float(frappe.conf.get("support_policy_hub_timeout") or READ_TIMEOUT)

	def call(self, endpoint: str, payload: dict, session: requests.Session | None = None) -> dict:
		path = ENDPOINTS[endpoint]
		body = json.dumps(payload, default=str, ensure_ascii=False).encode()
		ts = int(time.time())
		headers = {
			"Content-Type": "application/json",
			"Accept": "application/json",
			"X-Site-Key": self.key,
			"X-Site-Contract": self.contract,
			"X-Site-Timestamp": str(ts),
			"X-Site-Signature": signing.sign(
				self.secret, ts, "POST", urlsplit(self.hub_url + path).path, self.contract, body
			),
		}
		try:
			response = (session or self.session).post(
				self.hub_url + path,
				data=body,
				headers=headers,
				timeout=(CONNECT_TIMEOUT, self.read_timeout),
			)
		except requests.Timeout:
			raise LinkError(_("The support hub did not answer in time.")) from None
		except requests.RequestException as exc:
			raise LinkError(_("The support hub cannot be reached: {0}").format(type(exc).__name__)) from None
		if response.status_code != 200:
			raise LinkError(hub_message(response), response.status_code)
		try:
			return response.json()["message"]
		except (ValueError, KeyError, TypeError):
			raise LinkError(_("The support hub sent an answer this site cannot read.")) from None


def hub_message(response) -> str:
	"""The hub's own explanation of a refusal, or the HTTP status."""
	try:
		data = response.json()
		messages = json.loads(data.get("_server_messages") or "[]")
		if messages:
			first = json.loads(messages[0])
			return cstr(first.get("message") if isinstance(first, dict) else first)[:500]
		if data.get("exception"):
			return cstr(data["exception"]).split(":", 1)[-1].strip()[:500]
	except Exception:
		pass
	return _("The support hub answered with HTTP status {0}.").format(response.status_code)
