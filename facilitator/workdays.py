"""Which days sessions can fall on: no weekends, no French public holidays on fixed dates.

Shared by the programme proposal and the demo. Easter-based holidays, school
holidays and August are not known here: the facilitator moves those dates.
"""

from __future__ import annotations

import datetime as dt

FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)})
"""French public holidays on fixed dates (month, day)."""


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def working_day(day: dt.date) -> dt.date:
    """``day``, or the next working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """``day``, or the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day
