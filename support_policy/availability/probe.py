"""One round of probes: Frappe's ``/api/method/ping`` and the app's authenticated health method on
every site, with ``requests``, timeouts and bounded concurrency (a thread pool: the work is waiting on
sockets, so threads are enough and the number of open connections is capped by ``concurrency``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

PING = "/api/method/ping"
HEALTH = "/api/method/support_policy.api.health.health"
# (connect, read) seconds per request. Two requests per site: worst case ~2 x (2 + 8) s.
DEFAULT_TIMEOUT = (2.0, 8.0)
DEFAULT_CONCURRENCY = 64


@dataclass(frozen=True)
class Target:
	key: str  # the Hosted Site's name
	url: str  # https://host[:port], no path
	api_key: str | None = None
	api_secret: str | None = None


@dataclass
class Result:
	key: str
	ok: bool
	latency_ms: float | None = None
	error: str | None = None
	health: dict | None = None


_local = threading.local()


def _session() -> requests.Session:
	session = getattr(_local, "session", None)
	if session is None:
		session = _local.session = requests.Session()
		session.headers["User-Agent"] = "support-policy-monitor/1"
	return session


def probe(target: Target, timeout=DEFAULT_TIMEOUT) -> Result:
	"""Ping, then (with credentials) the health method. OK only if both answer as expected."""
	session = _session()
	started = time.perf_counter()
	try:
		response = session.get(target.url + PING, timeout=timeout, allow_redirects=False)
		if response.status_code != 200 or response.json().get("message") != "pong":
			return Result(target.key, False, _ms(started), f"ping: HTTP {response.status_code}")
		health = None
		if target.api_key and target.api_secret:
			response = session.get(
				target.url + HEALTH,
				timeout=timeout,
				allow_redirects=False,
				headers={"Authorization": f"token {target.api_key}:{target.api_secret}"},
			)
			if response.status_code != 200:
				return Result(target.key, False, _ms(started), f"health: HTTP {response.status_code}")
			health = response.json().get("message") or {}
			if not (health.get("database") and health.get("redis")):
				return Result(
					target.key, False, _ms(started), "health: database or Redis not answering", health
				)
		return Result(target.key, True, _ms(started), None, health)
	except requests.Timeout:
		return Result(target.key, False, _ms(started), "timeout")
	except (requests.RequestException, ValueError) as e:
		return Result(target.key, False, _ms(started), f"{type(e).__name__}")


def probe_round(
	targets: Iterable[Target], concurrency: int = DEFAULT_CONCURRENCY, timeout=DEFAULT_TIMEOUT
) -> list[Result]:
	"""Probe every target, at most ``concurrency`` at a time; results in the targets' order."""
	targets = list(targets)
	if not targets:
		return []
	with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(targets)))) as pool:
		return list(pool.map(lambda t: probe(t, timeout), targets))


def _ms(started: float) -> float:
	return (time.perf_counter() - started) * 1000
