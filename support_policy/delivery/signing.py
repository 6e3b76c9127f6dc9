"""Signed calls between a customer site and the hub.

Each Hosted Site has its own key (public, identifies the site) and secret (never sent). A call carries
``X-Site-Key``, ``X-Site-Timestamp`` (Unix seconds) and ``X-Site-Signature``: the hex HMAC-SHA256 of
``timestamp \\n METHOD \\n path \\n contract \\n sha256(body)`` under the secret. The hub refuses a
call whose signature does not match (tampered body, wrong secret, another contract) or whose
timestamp is further than ``MAX_SKEW_SECONDS`` from its own clock (an old call replayed, or a
credential used after it expired).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

MAX_SKEW_SECONDS = 300

# Reasons a signature is refused (the glue turns them into translated messages).
MISSING = "missing"
STALE = "stale"
MISMATCH = "mismatch"


def new_key() -> str:
	return "sk_" + secrets.token_hex(12)


def new_secret() -> str:
	return secrets.token_urlsafe(32)


def canonical(timestamp: int | str, method: str, path: str, contract: str, body: bytes) -> bytes:
	digest = hashlib.sha256(body or b"").hexdigest()
	return "\n".join((str(timestamp), method.upper(), path, contract or "", digest)).encode()


def sign(secret: str, timestamp: int | str, method: str, path: str, contract: str, body: bytes) -> str:
	return hmac.new(
		secret.encode(), canonical(timestamp, method, path, contract, body), hashlib.sha256
	).hexdigest()


def check(
	secret: str,
	signature: str | None,
	timestamp: str | None,
	method: str,
	path: str,
	contract: str,
	body: bytes,
	now: float,
	max_skew: int = MAX_SKEW_SECONDS,
) -> str | None:
	"""None when the call is genuine and fresh, else MISSING, STALE or MISMATCH."""
	if not (signature and timestamp):
		return MISSING
	try:
		ts = int(timestamp)
	except (TypeError, ValueError):
		return MISSING
	expected = sign(secret, ts, method, path, contract, body)
	if not hmac.compare_digest(expected, str(signature)):
		return MISMATCH
	if abs(now - ts) > max_skew:
		return STALE
	return None
