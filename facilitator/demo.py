"""The demo cohort: a fictional programme caught halfway, to show every screen.

The cohort itself is data (``data/demo/cohort.json``): seven invented associations of
the Drôme valley, their participants, sessions, notes, attendance and preparatory
tasks. Its dates are day offsets from the programme start, and :func:`build_demo`
places that start relative to ``today``, so whenever someone runs
``facilitator demo`` the programme is in progress: the introduction and the first
collective session are behind, the second is about twelve days ahead, the bilans
follow. A demo frozen on fixed dates would look abandoned within a month. Sessions
that would fall on a weekend or a fixed public holiday move to the next working day.

The data refers to its parts by local keys (``"ref": "jardins"``); each build gives
every record a fresh id, so the demo can be created again beside an old copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import arrow

from facilitator.agenda import default_template, instantiate
from facilitator.domain import (
    Approach,
    Attendance,
    Cohort,
    Consultant,
    Lever,
    Note,
    NoteKind,
    Participant,
    PreparatoryTask,
    Presence,
    Record,
    Role,
    Session,
    SessionKind,
    Structure,
    TaskStatus,
)
from facilitator.resources import load_json
from facilitator.text import fold
from facilitator.workdays import working_day

DEMO_FILE = ("demo", "cohort.json")

EVOLUTION_DAYS_AHEAD = 12
"""Where ``today`` sits: this many days (give or take 3) before the second collective session."""

SESSION_WEEKDAY = 1
"""The programme starts on a Tuesday (``date.weekday()``), so the calendar looks planned.

The offsets in the data keep collective sessions whole weeks apart and bilans on
working days counted from that Tuesday, so the sessions share a weekday and none
falls on a weekend.
"""

TIMEZONE = "Europe/Paris"
"""Where the notes were taken: their clock times are local, stored in UTC."""


class DemoDataError(ValueError):
    """The demo file contradicts itself (an unknown reference, a note in the future)."""


def _load() -> dict[str, Any]:
    data: dict[str, Any] = load_json(*DEMO_FILE)
    return data


def demo_cohort_name() -> str:
    """The demo cohort's name, by which ``facilitator demo`` finds an existing copy."""
    return str(_load()["cohort"]["name"])


def demo_start(today: dt.date, evolution_day: int) -> dt.date:
    """The programme start that puts the second collective session about 12 days ahead.

    Nudged by up to 3 days to land on :data:`SESSION_WEEKDAY`, so the second session
    is 9 to 15 days after ``today`` (a day more if that falls on a public holiday).
    """
    start = today + dt.timedelta(days=EVOLUTION_DAYS_AHEAD - evolution_day)
    nudge = (SESSION_WEEKDAY - start.weekday() + 3) % 7 - 3
    return start + dt.timedelta(days=nudge)


def _lookup(refs: dict[str, str], ref: str, what: str) -> str:
    try:
        return refs[ref]
    except KeyError:
        raise DemoDataError(f"the demo refers to an unknown {what} {ref!r}") from None


def build_demo(today: dt.date) -> list[Record]:
    """The demo cohort's records, dated around ``today``.

    In order: the cohort, its structures, participants, sessions, attendance, notes
    and tasks, so a store can write them as they come. Every record is new (fresh
    ids); attendance ids follow :meth:`Attendance.key` like any other attendance.
    """
    data = _load()
    evolution_days = [s["day"] for s in data["sessions"] if s["kind"] == SessionKind.EVOLUTION]
    if len(evolution_days) != 1:
        raise DemoDataError("the demo needs exactly one second collective session")
    start = demo_start(today, evolution_days[0])

    def on(day: int) -> dt.date:
        return start + dt.timedelta(days=day)

    raw = data["cohort"]
    cohort = Cohort(
        name=raw["name"],
        approach=Approach(raw["approach"]),
        thematic=raw.get("thematic", ""),
        territory=raw.get("territory", ""),
        dlas=list(raw.get("dlas", [])),
        cofinancers=list(raw.get("cofinancers", [])),
        consultants=[Consultant(**c) for c in raw.get("consultants", [])],
        start_date=start,
    )

    structures: dict[str, Structure] = {}
    for raw in data["structures"]:
        structures[raw["ref"]] = Structure(
            name=raw["name"],
            created=dt.date.fromisoformat(raw["created"]) if raw.get("created") else None,
            employer=raw.get("employer", True),
            general_interest=raw.get("general_interest", True),
            sector=raw.get("sector", ""),
            network=raw.get("network", ""),
            das=list(raw.get("das", [])),
        )
    structure_ids = {ref: s.id for ref, s in structures.items()}

    participants: dict[str, Participant] = {}
    for raw in data["participants"]:
        participants[raw["ref"]] = Participant(
            structure_id=_lookup(structure_ids, raw["structure"], "structure"),
            name=raw["name"],
            role=Role(raw["role"]),
            governance=raw.get("governance", False),
            email=raw.get("email", ""),
            phone=raw.get("phone", ""),
        )
    participant_ids = {ref: p.id for ref, p in participants.items()}

    sessions: dict[str, Session] = {}
    for raw in data["sessions"]:
        structure_ref = raw.get("structure")
        kind = SessionKind(raw["kind"])
        structure_id = _lookup(structure_ids, structure_ref, "structure") if structure_ref else None
        template = default_template(kind)
        owners = [s for s in structures.values() if structure_id in (None, s.id)]
        sessions[raw["ref"]] = Session(
            kind=kind,
            date=working_day(on(raw["day"])),
            start_time=dt.time.fromisoformat(raw.get("start_time") or template.start.isoformat()),
            end_time=template.end,
            place=raw.get("place", ""),
            structure_id=structure_id,
            template=template.name,
            agenda=instantiate(template, sorted(owners, key=lambda s: fold(s.name))),
        )

    def past_session(ref: str) -> tuple[Session, dt.date]:
        """A session already held: only those can have attendance and notes."""
        session = sessions.get(ref)
        if session is None:
            raise DemoDataError(f"the demo refers to an unknown session {ref!r}")
        if session.date is None or session.date >= today:
            raise DemoDataError(f"the demo records what happened at {ref!r}, still to come")
        return session, session.date

    attendance: list[Attendance] = []
    for session_ref, marks in data.get("attendance", {}).items():
        session, _ = past_session(session_ref)
        for participant_ref, presence in marks.items():
            participant_id = _lookup(participant_ids, participant_ref, "participant")
            attendance.append(
                Attendance(
                    id=Attendance.key(session.id, participant_id),
                    session_id=session.id,
                    participant_id=participant_id,
                    presence=Presence(presence),
                )
            )

    notes: list[Note] = []
    for raw in data["notes"]:
        session, held_on = past_session(raw["session"])
        taken = dt.datetime.combine(held_on, dt.time.fromisoformat(raw["time"]))
        notes.append(
            Note(
                kind=NoteKind(raw["kind"]),
                text=raw["text"],
                structure_id=_lookup(structure_ids, raw["structure"], "structure"),
                session_id=session.id,
                lever=Lever(raw["lever"]) if raw.get("lever") else None,
                das=raw.get("das", ""),
                author=raw.get("author", ""),
                created=arrow.Arrow.fromdatetime(taken, tzinfo=TIMEZONE).to("utc"),
            )
        )

    tasks = [
        PreparatoryTask(
            structure_id=_lookup(structure_ids, raw["structure"], "structure"),
            title=raw["title"],
            before=SessionKind(raw["before"]),
            due=on(raw["due_day"]) if raw.get("due_day") is not None else None,
            status=TaskStatus(raw.get("status", TaskStatus.TODO)),
        )
        for raw in data.get("tasks", [])
    ]

    return [
        cohort,
        *structures.values(),
        *participants.values(),
        *sessions.values(),
        *attendance,
        *notes,
        *tasks,
    ]
