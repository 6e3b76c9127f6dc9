"""Per-process caches of compiled objects (business calendars, the scope matcher), invalidated
across every worker through Frappe's Redis cache.

A compiled object is expensive to build and cheap to keep, but it cannot live in Redis (it holds
compiled patterns and memoised holiday years). Each kind has a *generation* token in
``frappe.cache``; saving a record that feeds it replaces the token (``invalidate``), and every
process rebuilds its copy the next time it sees a token it has not built for. A cleared Redis cache
simply means a new token, so nothing stale survives ``bench clear-cache``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import frappe

_LOCAL: dict[tuple, tuple[str, Any]] = {}


def _key(kind: str) -> str:
	return f"support_policy:generation:{kind}"


def generation(kind: str) -> str:
	token = frappe.cache.get_value(_key(kind))
	if not token:
		token = frappe.generate_hash(length=12)
		frappe.cache.set_value(_key(kind), token)
	return token


def invalidate(kind: str) -> None:
	"""Every process rebuilds what it built for ``kind`` (call it on save and on delete)."""
	frappe.cache.set_value(_key(kind), frappe.generate_hash(length=12))


def cached(kind: str, name: str, build: Callable[[], Any]) -> Any:
	"""``build()``'s result for (site, kind, name), rebuilt after ``invalidate(kind)``."""
	token = generation(kind)
	local_key = (frappe.local.site, kind, name)
	hit = _LOCAL.get(local_key)
	if hit and hit[0] == token:
		return hit[1]
	value = build()
	_LOCAL[local_key] = (token, value)
	return value
