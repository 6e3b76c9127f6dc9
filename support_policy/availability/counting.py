"""The counting rules of availability, one implementation for the live monitor and the reports.

Per minute the monitor observed OK, FAILED or nothing it can trust (NOT_PROBED, BLIND); a minute may also
lie inside a maintenance window the provider announced in advance. From these the rules derive one state
per minute:

- **excluded**: inside an announced maintenance window, whatever was observed;
- **unknown**: the monitor did not probe (or its canary failed): never counted as down;
- **down**: inside a confirmed outage. An outage is confirmed by ``failures_to_confirm`` consecutive
  failed probes (default 3) and counts from the first of them. It lasts until ``successes_to_recover``
  consecutive good probes (default 3) and ends at the first of those; a good probe followed by another
  failure inside an outage is part of the outage (flapping does not split it);
- **up**: everything else, including failed probes that were never confirmed (1 or 2 in a row).

Unknown and excluded minutes neither extend nor break a run of failures or successes: the monitor
saw nothing new.

Availability = up / (up + down): unknown and excluded minutes are outside the measure and reported
on their own. The downtime budget of a period is (1 - 99.99 %) x (up + down) minutes (4.32 minutes
for a fully measured 30-day month, 4.46 for 31 days); the promise is kept when down <= budget.

Outages confirmed less than ``regroup_minutes`` (default 60) after the previous one of the same site
recovered belong to the same incident: one incident, one request, however often the site flaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .day import FAILED, OK

UP, DOWN, UNKNOWN, EXCLUDED = "up", "down", "unknown", "excluded"
TARGET = 0.9999


@dataclass(frozen=True)
class Rules:
	failures_to_confirm: int = 3
	successes_to_recover: int = 3
	regroup_minutes: int = 60
	target: float = TARGET

	def __post_init__(self):
		if self.failures_to_confirm < 1 or self.successes_to_recover < 1:
			raise ValueError("confirmation needs at least one probe")
		if not 0 < self.target < 1:
			raise ValueError("the availability target is a fraction between 0 and 1")


@dataclass
class Tracker:
	"""The live state of one site's monitor. ``step`` takes one observation at a position (a minute
	index, or a datetime in the live monitor) and returns the event it caused:
	``("confirmed", first_failed_at)``, ``("recovered", first_good_at)`` or None.

	The same object drives :func:`derive_states` and the hub's probe job, so the report and the
	requests always agree. It is plain data so it can be stored between rounds."""

	rules: Rules = field(default_factory=Rules)
	down: bool = False
	failures: int = 0
	first_failed_at: object = None
	successes: int = 0
	first_good_at: object = None
	outage_started_at: object = None

	def step(self, at, observation: int):
		if observation == FAILED:
			self.successes, self.first_good_at = 0, None
			if self.down:
				return None
			self.failures += 1
			if self.failures == 1:
				self.first_failed_at = at
			if self.failures >= self.rules.failures_to_confirm:
				self.down = True
				self.outage_started_at = self.first_failed_at
				self.failures, self.first_failed_at = 0, None
				return ("confirmed", self.outage_started_at)
			return None
		if observation == OK:
			self.failures, self.first_failed_at = 0, None
			if not self.down:
				return None
			self.successes += 1
			if self.successes == 1:
				self.first_good_at = at
			if self.successes >= self.rules.successes_to_recover:
				recovered = self.first_good_at
				self.down, self.successes, self.first_good_at = False, 0, None
				self.outage_started_at = None
				return ("recovered", recovered)
			return None
		return None  # unknown: nothing new was seen

	def as_dict(self) -> dict:
		return {
			"down": self.down,
			"failures": self.failures,
			"first_failed_at": self.first_failed_at,
			"successes": self.successes,
			"first_good_at": self.first_good_at,
			"outage_started_at": self.outage_started_at,
		}


@dataclass(frozen=True)
class Outage:
	"""Minute indexes: down from ``start`` (first failed probe) to ``end`` exclusive (first good probe
	of the recovery, or the end of the data while still down); confirmed at ``confirmed``."""

	start: int
	end: int
	confirmed: int
	recovered: bool


def derive_states(
	observations: Sequence[int],
	excluded: Sequence[bool] | None = None,
	rules: Rules | None = None,
	tracker: Tracker | None = None,
) -> tuple[list[str], list[Outage]]:
	"""The state of each minute and the outages, from the minute observations (and a mask of the
	minutes inside announced maintenance windows). ``tracker`` carries the state in from the minutes
	before the first one (e.g. an outage still open at midnight); it is updated in place."""
	rules = rules or (tracker.rules if tracker else Rules())
	tracker = tracker or Tracker(rules)
	n = len(observations)
	states = [UNKNOWN] * n
	outages: list[Outage] = []
	open_start = 0 if tracker.down else None  # an outage carried in counts from the first minute
	confirmed_at = 0 if tracker.down else None
	pending_failures: list[int] = []  # minutes of failed probes not confirmed yet
	provisional_good: list[int] = []  # good minutes inside an outage, before recovery is confirmed
	for i in range(n):
		if excluded is not None and excluded[i]:
			states[i] = EXCLUDED
			continue
		obs = observations[i]
		if obs not in (OK, FAILED):
			continue  # UNKNOWN already
		event = tracker.step(i, obs)
		if obs == FAILED:
			if tracker.down:
				states[i] = DOWN
				for j in provisional_good:
					states[j] = DOWN  # a flap inside the outage
				provisional_good = []
				if event:  # just confirmed: backdate to the first failed probe
					for j in pending_failures:
						states[j] = DOWN
					pending_failures = []
					open_start, confirmed_at = event[1], i
			else:
				states[i] = UP  # not confirmed (yet)
				pending_failures.append(i)
		else:
			states[i] = UP
			pending_failures = []
			if tracker.down:
				provisional_good.append(i)
			elif event:  # recovered at the first good probe of the run
				outages.append(Outage(open_start, event[1], confirmed_at, True))
				provisional_good, open_start, confirmed_at = [], None, None
	if tracker.down and open_start is not None:
		outages.append(Outage(open_start, n, confirmed_at, False))
	return states, outages


@dataclass(frozen=True)
class Figures:
	up: int
	down: int
	unknown: int
	excluded: int
	target: float = TARGET

	@property
	def measured(self) -> int:
		return self.up + self.down

	@property
	def availability(self) -> float | None:
		"""Fraction of measured minutes that were up; None when nothing was measured."""
		return self.up / self.measured if self.measured else None

	@property
	def budget_minutes(self) -> float:
		return (1 - self.target) * self.measured

	@property
	def budget_used(self) -> float | None:
		"""Down minutes as a fraction of the budget (1.0 = all of it); None without a budget."""
		return self.down / self.budget_minutes if self.budget_minutes else None

	@property
	def promise_kept(self) -> bool | None:
		if not self.measured:
			return None
		return self.down <= self.budget_minutes + 1e-9


def figures(states: Iterable[str], target: float = TARGET) -> Figures:
	counts = {UP: 0, DOWN: 0, UNKNOWN: 0, EXCLUDED: 0}
	for state in states:
		counts[state] += 1
	return Figures(counts[UP], counts[DOWN], counts[UNKNOWN], counts[EXCLUDED], target)


@dataclass(frozen=True)
class Incident:
	"""One or more outages of a site grouped into one incident (one request)."""

	start: int
	end: int
	outages: tuple[Outage, ...]

	@property
	def down_minutes(self) -> int:
		return sum(o.end - o.start for o in self.outages)

	@property
	def recovered(self) -> bool:
		return self.outages[-1].recovered


def incidents(outages: Sequence[Outage], rules: Rules | None = None) -> list[Incident]:
	"""Outages confirmed within ``regroup_minutes`` of the previous one's recovery join its incident."""
	rules = rules or Rules()
	grouped: list[list[Outage]] = []
	for outage in sorted(outages, key=lambda o: o.start):
		if (
			grouped
			and grouped[-1][-1].recovered
			and outage.confirmed - grouped[-1][-1].end < rules.regroup_minutes
		):
			grouped[-1].append(outage)
		else:
			grouped.append([outage])
	return [Incident(g[0].start, g[-1].end, tuple(g)) for g in grouped]


def window_mask(n: int, windows: Iterable[tuple[int, int]]) -> list[bool]:
	"""A mask of ``n`` minutes with the [start, end) minute ranges of maintenance windows set."""
	mask = [False] * n
	for start, end in windows:
		for i in range(max(0, start), min(n, end)):
			mask[i] = True
	return mask
