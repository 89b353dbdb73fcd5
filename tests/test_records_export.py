"""The records' exports at their edges: which session is next, and how a refusal reads.

Written from mutmut's survivors (issue 13): each test names the behaviour it protects.
The cohorts are real workspaces (TinyDB files in ``tmp_path``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from facilitator.domain import Cohort, InvalidInput, Record, Session, SessionKind, Structure
from facilitator.records_export import next_session
from facilitator.view import CohortView
from facilitator.workspace import Workspace

DAY = dt.date(2027, 1, 5)


def cohort_of(tmp_path: Path, *records: Record) -> CohortView:
    return CohortView.load(Workspace(tmp_path / "ws").create([Cohort(name="C"), *records]))


def test_no_session_dated_ahead_is_refused_on_the_session_field(tmp_path: Path) -> None:
    past = Session(kind=SessionKind.INTRO, date=DAY - dt.timedelta(days=1))
    view = cohort_of(tmp_path, past, Session(kind=SessionKind.EVOLUTION))
    with pytest.raises(InvalidInput) as raised:
        next_session(view, DAY)
    assert raised.value.key == "records.error.no_next_session"
    assert raised.value.field == "session"


def test_sessions_at_the_same_time_are_refused_on_the_session_field_listed_with_commas(
    tmp_path: Path,
) -> None:
    a, b = Structure(name="A"), Structure(name="B")
    bilans = [
        Session(kind=SessionKind.BILAN, date=DAY, start_time=dt.time(10), structure_id=s.id)
        for s in (a, b)
    ]
    view = cohort_of(tmp_path, a, b, *bilans)
    with pytest.raises(InvalidInput) as raised:  # in French, as conftest sets
        next_session(view, DAY)
    assert raised.value.key == "records.error.several_next"
    assert raised.value.field == "session"
    listed = raised.value.message.split("(", 1)[1].split(")", 1)[0]
    assert sorted(listed.split(", ")) == ["Bilan individuel — A", "Bilan individuel — B"]


def test_of_two_sessions_on_one_day_the_earlier_start_is_next(tmp_path: Path) -> None:
    morning = Session(kind=SessionKind.INTRO, date=DAY, start_time=dt.time(9))
    afternoon = Session(kind=SessionKind.EVOLUTION, date=DAY, start_time=dt.time(14))
    view = cohort_of(tmp_path, afternoon, morning)
    assert next_session(view, DAY).id == morning.id


def test_a_session_without_a_start_time_counts_as_starting_at_midnight(tmp_path: Path) -> None:
    untimed = Session(kind=SessionKind.INTRO, date=DAY)
    timed = Session(kind=SessionKind.EVOLUTION, date=DAY, start_time=dt.time(0, 1))
    view = cohort_of(tmp_path, timed, untimed)
    assert next_session(view, DAY).id == untimed.id
