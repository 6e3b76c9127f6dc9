"""One site's day of probes, packed.

A day is 1,440 minutes (UTC days: no daylight-saving days of 1,380 or 1,500 minutes). Each minute holds
what the monitor observed, in 2 bits:

- ``NOT_PROBED`` (0): no probe was recorded (the monitor was down, late or the site was not monitored);
- ``OK`` (1): ping and the health method answered;
- ``FAILED`` (2): the site did not answer, answered an error, or timed out;
- ``BLIND`` (3): a probe ran but the monitor's canary failed in the same round, so the monitor could not
  tell (counted as unknown, like NOT_PROBED).

and the latency of the probe in milliseconds (an unsigned 16-bit number, capped at 65,534 ms; 65,535
means none). Packed: 360 bytes of states + 2,880 bytes of latencies = 3,240 bytes, compressed with
zlib (a day of identical answers packs to well under 1 KB) and stored as base64 text.

Storage: at most 4,348 base64 characters per site and day (random data that does not compress).
Measured in InnoDB with ``support_policy.benchmarks.probe_storage`` (row, name and index included):
3.8 KB per site-day with realistic latencies, 5.3 KB at worst, i.e. 1.4 GB (typical) to 1.95 GB
(worst) a year for 1,000 sites, against ~53 GB for one row per probe.
"""

from __future__ import annotations

import base64
import binascii
import sys
import zlib
from array import array

MINUTES_PER_DAY = 1440
NOT_PROBED, OK, FAILED, BLIND = 0, 1, 2, 3
NO_LATENCY = 0xFFFF
MAX_LATENCY = 0xFFFE
STATE_BYTES = MINUTES_PER_DAY // 4
FORMAT = 1  # first byte of the packed record, so the layout can change later


class ProbeDay:
	"""Minute observations and latencies of one site's UTC day."""

	__slots__ = ("latencies", "states")

	def __init__(self):
		self.states = bytearray(STATE_BYTES)
		self.latencies = array("H", [NO_LATENCY]) * MINUTES_PER_DAY

	def set(self, minute: int, observation: int, latency_ms: float | None = None) -> None:
		if not 0 <= minute < MINUTES_PER_DAY:
			raise ValueError(f"minute {minute} outside the day")
		if observation not in (NOT_PROBED, OK, FAILED, BLIND):
			raise ValueError(f"unknown observation {observation}")
		byte, shift = divmod(minute, 4)
		shift *= 2
		self.states[byte] = (self.states[byte] & ~(3 << shift)) | (observation << shift)
		self.latencies[minute] = (
			NO_LATENCY if latency_ms is None else min(MAX_LATENCY, max(0, round(latency_ms)))
		)

	def get(self, minute: int) -> int:
		byte, shift = divmod(minute, 4)
		return (self.states[byte] >> (shift * 2)) & 3

	def latency(self, minute: int) -> int | None:
		value = self.latencies[minute]
		return None if value == NO_LATENCY else value

	def observations(self) -> list[int]:
		out = []
		for byte in self.states:
			out += (byte & 3, (byte >> 2) & 3, (byte >> 4) & 3, (byte >> 6) & 3)
		return out

	def counts(self) -> dict[int, int]:
		"""How many minutes of each observation (for list views without unpacking twice)."""
		obs = self.observations()
		return {code: obs.count(code) for code in (NOT_PROBED, OK, FAILED, BLIND)}

	def pack(self) -> str:
		latencies = array("H", self.latencies)
		if latencies.itemsize != 2:  # pragma: no cover - every platform Frappe runs on
			raise RuntimeError("unsigned short is not 16 bits here")
		if sys.byteorder == "big":  # stored little-endian whatever the machine
			latencies.byteswap()
		raw = bytes([FORMAT]) + bytes(self.states) + latencies.tobytes()
		return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")

	@classmethod
	def unpack(cls, packed: str | bytes | None) -> ProbeDay:
		day = cls()
		if not packed:
			return day
		try:
			raw = zlib.decompress(base64.b64decode(packed))
		except (zlib.error, binascii.Error) as e:
			raise ValueError("not a packed probe day") from e
		if raw[0] != FORMAT or len(raw) != 1 + STATE_BYTES + 2 * MINUTES_PER_DAY:
			raise ValueError("not a packed probe day")
		day.states = bytearray(raw[1 : 1 + STATE_BYTES])
		day.latencies = array("H")
		day.latencies.frombytes(raw[1 + STATE_BYTES :])
		if sys.byteorder == "big":
			day.latencies.byteswap()
		return day
