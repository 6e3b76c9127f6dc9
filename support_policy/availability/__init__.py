"""Framework-free availability core: what the hub's probes saw, minute by minute, and what it means
for the promise of 99.99 % availability. Nothing here imports frappe.

- :mod:`.day`: one site's day as 1,440 minute observations (2 bits each) and latencies (ms), packed
  into a few kilobytes (:class:`ProbeDay`).
- :mod:`.counting`: the counting rules. A failure is confirmed after N consecutive failed probes
  (default 3) and backdated to the first; recovery is confirmed after M consecutive good probes
  (default 3); minutes the monitor could not probe are unknown; announced maintenance windows are
  excluded (:func:`derive_states`, :class:`Tracker`, :func:`month_figures`, :func:`incidents`).
- :mod:`.probe`: one round of probes over many sites with bounded concurrency (``requests``).
- :mod:`.health`: the last complete backup read from a site's backup folder.
- :mod:`.fake_sites`: hosted sites on loopback that tests and the benchmark switch up, slow, failing,
  timing out or flapping.
"""

from .counting import (
	DOWN,
	EXCLUDED,
	TARGET,
	UNKNOWN,
	UP,
	Figures,
	Incident,
	Rules,
	Tracker,
	derive_states,
	figures,
	incidents,
)
from .day import BLIND, FAILED, MINUTES_PER_DAY, NOT_PROBED, OK, ProbeDay

__all__ = [
	"BLIND",
	"DOWN",
	"EXCLUDED",
	"FAILED",
	"MINUTES_PER_DAY",
	"NOT_PROBED",
	"OK",
	"TARGET",
	"UNKNOWN",
	"UP",
	"Figures",
	"Incident",
	"ProbeDay",
	"Rules",
	"Tracker",
	"derive_states",
	"figures",
	"incidents",
]
