"""Which days sessions can fall on: no weekends, no French public holidays.

Shared by the programme proposal and the demo. The fixed-date holidays are listed
here; the three that follow Easter (lundi de Pâques, Ascension, lundi de Pentecôte)
come from dateutil's Easter computation (dateutil is already installed with arrow).
School holidays, August and the Alsace-Moselle days are not known here: the
facilitator moves those dates.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)})
"""French public holidays on fixed dates (month, day)."""

AFTER_EASTER = (1, 39, 50)
"""Lundi de Pâques, jeudi de l'Ascension and lundi de Pentecôte, in days after Easter Sunday."""


@cache
def easter_holidays(year: int) -> frozenset[dt.date]:
    from dateutil.easter import easter

    sunday = easter(year)
    return frozenset(sunday + dt.timedelta(days=days) for days in AFTER_EASTER)


def is_working_day(day: dt.date) -> bool:
    return (
        day.weekday() < 5
        and (day.month, day.day) not in FIXED_HOLIDAYS
        and day not in easter_holidays(day.year)
    )


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
