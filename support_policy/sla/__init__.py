"""Framework-free SLA core: business calendars and replayable SLA timers.

Nothing here imports frappe, so it can be tested and reused on its own.

- :class:`BusinessCalendar`: working intervals per weekday in a time zone, minus public holidays
  (``holidays`` package, Spanish names for Mexico) and extra closures; deadline arithmetic whose cost does
  not grow with the length of the target.
- :class:`TimerEvent`, :func:`replay`, :class:`TimerState`: an SLA timer as a log of start / pause /
  resume / stop events, replayed into elapsed and paused business time, deadline and status.
"""

from .calendar import BusinessCalendar
from .timer import TimerEvent, TimerState, replay

__all__ = ["BusinessCalendar", "TimerEvent", "TimerState", "replay"]
