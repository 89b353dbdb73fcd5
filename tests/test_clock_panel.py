"""The live clock as the screens read it: the start it is measured against, and its colours."""

from __future__ import annotations

import datetime as dt

import arrow
import pytest

from facilitator.clock import ClockState, clock_state
from facilitator.domain import AgendaItem, ClockEvent, Session, SessionKind, Structure
from facilitator.live import planned_start
from facilitator.programme import session_plan
from screens.widgets.clock_panel import urgency

PARIS = "Europe/Paris"
DAY = dt.date(2026, 3, 14)


def at(hhmm: str, seconds: int = 0, day: dt.date = DAY) -> arrow.Arrow:
    hour, minute = map(int, hhmm.split(":"))
    return arrow.get(dt.datetime(day.year, day.month, day.day, hour, minute, seconds), PARIS)


def ev(action: str, when: arrow.Arrow, **kw: object) -> ClockEvent:
    return ClockEvent(session_id="s1", action=action, at=when.to("utc"), **kw)  # type: ignore[arg-type]


# --- which start ahead or behind is measured against -------------------------------


def session_on(day: dt.date | None) -> Session:
    return Session(
        kind=SessionKind.STATE_OF_PLAY,
        date=day,
        start_time=dt.time(9, 30),
        agenda=[AgendaItem(minutes=60, key="exchanges")],
    )


def test_on_its_planned_day_a_session_is_measured_against_its_planned_start() -> None:
    session = session_on(DAY)
    plan = session_plan(session, [Structure(name="Les Jardins")])
    assert planned_start(session, plan, at("09:42", 17)) == at("09:30")


@pytest.mark.parametrize(
    "day",
    [dt.date(2026, 3, 13), dt.date(2026, 3, 21), None],
    ids=["run the day after its date", "rehearsed a week before", "no date"],
)
def test_run_on_another_day_a_session_has_no_planned_start(day: dt.date | None) -> None:
    session = session_on(day)
    plan = session_plan(session, [Structure(name="Les Jardins")])
    assert planned_start(session, plan, at("09:42")) is None


# --- the colour of the time left ----------------------------------------------------

TWENTY = [AgendaItem(minutes=20, key="exchanges")]
BUDGET = 20 * 60.0


def running(now: arrow.Arrow, *more: ClockEvent) -> ClockState:
    return clock_state(TWENTY, [ev("start", at("09:00")), *more], now)


@pytest.mark.parametrize(
    ("now", "level"),
    [
        (at("09:15", 59), ""),  # 241 s left of 1200: just over a fifth
        (at("09:16"), "warn"),  # 240 s: exactly a fifth
        (at("09:18", 59), "warn"),  # 61 s: just over a twentieth
        (at("09:19"), "critical"),  # 60 s: exactly a twentieth
        (at("09:20"), "critical"),  # nothing left, not yet over
        (at("09:20", 1), "over"),
    ],
)
def test_the_time_left_turns_critical_at_exactly_a_twentieth_of_the_item(
    now: arrow.Arrow, level: str
) -> None:
    assert urgency(running(now), BUDGET) == level


def test_a_paused_clock_keeps_its_colour_and_a_stopped_one_has_none() -> None:
    paused = running(at("09:30"), ev("pause", at("09:19")))
    assert paused.remaining == 60 and urgency(paused, BUDGET) == "critical"
    assert urgency(clock_state(TWENTY, [], at("09:19")), BUDGET) == ""
    finished = running(at("09:30"), ev("next", at("09:19")))
    assert urgency(finished, BUDGET) == ""
