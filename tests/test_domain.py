"""Records keep their meaning through the disk, and bad input says what is wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt

import arrow
import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain import (
    RECORD_TYPES,
    AgendaItem,
    Attendance,
    BilanReview,
    ClockEvent,
    Cohort,
    Consultant,
    InvalidInput,
    Lever,
    Note,
    NoteKind,
    Participant,
    PreparatoryTask,
    Record,
    Role,
    Session,
    SessionKind,
    Structure,
    TaskStatus,
    parse_date,
    parse_time,
    require_duration,
    require_name,
)

EXAMPLES: list[Record] = [
    Cohort(
        name="C",
        consultants=[Consultant(name="A", days_budgeted=11, days_spent=2.5)],
        start_date=dt.date(2026, 9, 1),
    ),
    Structure(name="S", created=dt.date(2001, 5, 4), das=["a", "b"]),
    Participant(structure_id="s", name="P", role=Role.TREASURER, governance=True),
    Session(
        kind=SessionKind.BILAN,
        date=dt.date(2027, 1, 12),
        start_time=dt.time(9, 30),
        structure_id="s",
        agenda=[AgendaItem(title="Accueil", minutes=10, fixed_time=dt.time(12, 30))],
    ),
    Attendance(id=Attendance.key("x", "y"), session_id="x", participant_id="y"),
    Note(
        text="t",
        kind=NoteKind.MIRROR,
        lever=Lever.ALLIANCES,
        edited=arrow.get("2026-11-02T10:00:00+00:00"),
    ),
    PreparatoryTask(
        structure_id="s",
        title="Compléter la fiche",
        before=SessionKind.EVOLUTION,
        due=dt.date(2026, 12, 1),
    ),
    ClockEvent(session_id="x", action="extend", minutes=5),
    BilanReview(
        id="b",
        session_id="b",
        structure_id="s",
        ratings={"peers": 5},
        follow_up=dt.date(2027, 6, 1),
    ),
]


def test_every_record_type_has_an_example() -> None:
    assert {type(r) for r in EXAMPLES} == set(RECORD_TYPES)


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_records_round_trip_through_their_documents(record: Record) -> None:
    assert type(record).from_doc(record.to_doc()) == record


def test_unknown_fields_from_a_newer_file_are_ignored() -> None:
    doc = {**Structure(name="S").to_doc(), "future_field": 1}
    assert Structure.from_doc(doc).name == "S"


@given(st.text(min_size=1, max_size=200))
def test_note_text_round_trips(text: str) -> None:
    note = Note(text=text)
    assert Note.from_doc(note.to_doc()).text == text


@pytest.mark.parametrize(
    "typed,expected", [("2026-03-14", dt.date(2026, 3, 14)), (" 14/03/2026 ", dt.date(2026, 3, 14))]
)
def test_dates_in_both_usual_forms(typed: str, expected: dt.date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["2026-02-30", "31/04/2026", "demain", ""])
def test_impossible_dates_say_how_to_write_one(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(typed, field="created")
    assert caught.value.field == "created"
    assert "AAAA-MM-JJ" in caught.value.message


@pytest.mark.parametrize(
    "typed,expected", [("9h30", dt.time(9, 30)), ("14h", dt.time(14, 0)), ("08:05", dt.time(8, 5))]
)
def test_clock_times(typed: str, expected: dt.time) -> None:
    assert parse_time(typed) == expected


def test_bad_time_empty_name_negative_duration() -> None:
    with pytest.raises(InvalidInput, match="HH:MM"):
        parse_time("25:00")
    with pytest.raises(InvalidInput, match="vide"):
        require_name("   ")
    assert require_name("  Les   Jardins ") == "Les Jardins"
    with pytest.raises(InvalidInput, match="au moins 1 minute"):
        require_duration(-5)
    with pytest.raises(InvalidInput):
        require_duration(0)
    assert require_duration(1) == 1


def test_governance_roles() -> None:
    assert Role.PRESIDENT.is_governance and Role.BOARD_MEMBER.is_governance
    assert not Role.DIRECTOR.is_governance and not Role.OTHER.is_governance


# --- one definition per domain fact, on its record ----------------------------------------


def test_a_session_is_held_once_its_day_is_over_not_on_the_day_itself() -> None:
    day = dt.date(2027, 2, 22)
    session = Session(kind=SessionKind.STATE_OF_PLAY, date=day)
    assert not session.held(day - dt.timedelta(days=1))
    assert not session.held(day)
    assert session.held(day + dt.timedelta(days=1))
    assert not Session(kind=SessionKind.STATE_OF_PLAY).held(day)  # not dated: not held


def test_a_session_s_attendance_can_be_told_once_held_or_once_marked_on_its_day() -> None:
    day = dt.date(2026, 10, 13)
    session = Session(kind=SessionKind.STATE_OF_PLAY, date=day)
    assert not session.attended(day, marked=False)
    assert session.attended(day, marked=True)  # the roll call of the day, under way
    assert not session.attended(day - dt.timedelta(days=1), marked=True)  # not yet
    assert session.attended(day + dt.timedelta(days=1), marked=False)
    assert not Session(kind=SessionKind.STATE_OF_PLAY).attended(day, marked=True)


def test_a_task_due_today_is_not_late_the_day_after_it_is_unless_done() -> None:
    due = dt.date(2027, 2, 15)
    task = PreparatoryTask(
        structure_id="s", title="Remplir la fiche DAS", before=SessionKind.STATE_OF_PLAY, due=due
    )
    assert not task.late(due - dt.timedelta(days=1))
    assert not task.late(due)
    assert task.late(due + dt.timedelta(days=1))
    for status in TaskStatus:
        done = dataclasses.replace(task, status=status)
        assert done.late(due + dt.timedelta(days=1)) == (status != TaskStatus.DONE)
    undated = dataclasses.replace(task, due=None)
    assert not undated.late(dt.date(2099, 1, 1))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("flag", [True, False])
def test_a_participant_speaks_for_the_governance_by_the_flag_or_by_a_governance_role(
    role: Role, flag: bool
) -> None:
    person = Participant(structure_id="s", name="Paul Morel", role=role, governance=flag)
    governance_role = role in (Role.PRESIDENT, Role.TREASURER, Role.BOARD_MEMBER)
    assert person.speaks_for_governance == (flag or governance_role)
