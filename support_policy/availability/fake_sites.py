"""Fake hosted sites on loopback for tests and the benchmark: one asyncio server per port in a
background thread, answering Frappe's ``ping`` and the app's health method like a hosted site would.

Modes, switchable at any time: ``up``; ``slow`` (answers after ``delay`` seconds); ``error`` (HTTP 500);
``maintenance`` (HTTP 503, as Frappe answers while a site is in maintenance mode); ``timeout`` (accepts
the connection and never answers); ``reset`` (closes the connection without answering); ``flapping``
(each ping takes the next mode of ``pattern``, e.g. ("up", "error"), and the health call that follows
behaves the same).
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field

MODES = ("up", "slow", "error", "maintenance", "timeout", "reset", "flapping")


@dataclass
class FakeSite:
	port: int
	mode: str = "up"
	delay: float = 0.0
	pattern: tuple = ("up", "error")
	api_key: str | None = None
	api_secret: str | None = None
	health: dict = field(default_factory=dict)
	pings: int = 0
	health_calls: int = 0
	_current: str = "up"

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.port}"


class FakeSites:
	"""``with FakeSites([18001, 18002]) as sites: sites[18001].mode = "error"``"""

	def __init__(self, ports, **defaults):
		self.sites = {port: FakeSite(port, **defaults) for port in ports}
		self.loop = asyncio.new_event_loop()
		self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
		self.servers = []

	def __getitem__(self, port) -> FakeSite:
		return self.sites[port]

	def __iter__(self):
		return iter(self.sites.values())

	def set(self, port, mode: str, **kw) -> None:
		if mode not in MODES:
			raise ValueError(mode)
		site = self.sites[port]
		site.mode = mode
		for key, value in kw.items():
			setattr(site, key, value)

	def start(self) -> FakeSites:
		self.thread.start()
		asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=180)
		return self

	async def _start(self):
		for port in self.sites:
			self.servers.append(
				await asyncio.start_server(
					lambda r, w, port=port: self._serve(port, r, w), "127.0.0.1", port, backlog=512
				)
			)

	def stop(self) -> None:
		async def close():
			for server in self.servers:
				server.close()
			for task in asyncio.all_tasks():
				if task is not asyncio.current_task():
					task.cancel()

		if self.thread.is_alive():
			asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=30)
			self.loop.call_soon_threadsafe(self.loop.stop)
			self.thread.join(timeout=30)

	def __enter__(self):
		return self.start()

	def __exit__(self, *exc):
		self.stop()

	async def _serve(self, port, reader, writer):
		site = self.sites[port]
		try:
			head = await reader.readuntil(b"\r\n\r\n")
			lines = head.decode("latin-1").split("\r\n")
			path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
			headers = {
				k.strip().lower(): v.strip()
				for k, _, v in (line.partition(":") for line in lines[1:] if line)
			}
			if path.startswith("/api/method/ping"):
				site.pings += 1
				if site.mode == "flapping":
					site._current = site.pattern[(site.pings - 1) % len(site.pattern)]
				else:
					site._current = site.mode
			elif path.startswith("/api/method/support_policy.api.health.health"):
				site.health_calls += 1
			mode = site._current if site.mode == "flapping" else site.mode
			if mode == "timeout":
				await reader.read()  # until the client gives up
				return
			if mode == "reset":
				return
			if mode == "slow":
				await asyncio.sleep(site.delay)
			status, body = self._answer(site, mode, path, headers)
			payload = json.dumps(body).encode()
			writer.write(
				f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
				"Connection: close\r\n\r\n".encode()
				+ payload
			)
			await writer.drain()
		except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
			pass
		finally:
			writer.close()

	@staticmethod
	def _answer(site: FakeSite, mode: str, path: str, headers: dict):
		if mode == "error":
			return "500 Internal Server Error", {"exc_type": "InternalServerError"}
		if mode == "maintenance":
			return "503 Service Unavailable", {"message": "Site is under maintenance"}
		if path.startswith("/api/method/ping"):
			return "200 OK", {"message": "pong"}
		if path.startswith("/api/method/support_policy.api.health.health"):
			if headers.get("authorization") != f"token {site.api_key}:{site.api_secret}":
				return "401 Unauthorized", {"exc_type": "AuthenticationError"}
			return "200 OK", {"message": {"database": True, "redis": True, **site.health}}
		return "404 Not Found", {"exc_type": "DoesNotExistError"}
