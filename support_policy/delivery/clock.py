"""Clock fairness: the SLA counts from when the customer saved the request on their own site.

The hub trusts that time, within limits, because a customer site's clock is the customer's:
- never later than the hub's first arrival (a clock ahead of ours gains nothing);
- never earlier than ``TRUST_HOURS`` before the first arrival (a long outage of the link is
  covered; an old or forged date is not);
- never earlier than the moment the Hosted Site was linked (a request cannot predate the link).
"""

from __future__ import annotations

from datetime import datetime, timedelta

TRUST_HOURS = 24


def trusted_start(
	saved_on: datetime | None,
	arrived_on: datetime,
	linked_on: datetime | None,
	trust_hours: int = TRUST_HOURS,
) -> datetime:
	"""When the SLA starts for a request saved at ``saved_on`` that first reached the hub at
	``arrived_on``. All three are aware datetimes (or None for unknown)."""
	if saved_on is None:
		return arrived_on
	start = min(saved_on, arrived_on)
	start = max(start, arrived_on - timedelta(hours=trust_hours))
	if linked_on is not None:
		start = max(start, min(linked_on, arrived_on))
	return start
