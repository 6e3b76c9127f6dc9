"""When the outbox tries a row again, and when it gives up (dead letter).

Attempt n (1-based) failed -> the next attempt waits ``BASE_SECONDS * 2**(n-1)``, capped at
``CAP_SECONDS``. After ``MAX_ATTEMPTS`` failed attempts the row is dead: it stays in the outbox
(nothing is lost), staff on both sides are told, and a System Manager can send it again.
With the defaults a row is retried for about 12 hours before it is declared dead.
"""

from __future__ import annotations

BASE_SECONDS = 30
CAP_SECONDS = 3600
MAX_ATTEMPTS = 18


def delay_after(attempts: int, base: int = BASE_SECONDS, cap: int = CAP_SECONDS) -> int:
	"""Seconds to wait after ``attempts`` failed attempts (attempts >= 1)."""
	if attempts < 1:
		return 0
	return min(cap, base * 2 ** min(attempts - 1, 30))


def is_dead(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> bool:
	return attempts >= max_attempts


def total_patience(max_attempts: int = MAX_ATTEMPTS) -> int:
	"""Seconds between the first failed attempt and the dead letter."""
	return sum(delay_after(n) for n in range(1, max_attempts))
