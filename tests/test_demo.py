"""The demo cohort: coherent, in progress whatever the day, and showing the intended concerns."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from facilitator import demo
from facilitator.demo import build_demo, demo_cohort_name
from facilitator.domain import (
    SESSION_ORDER,
    Attendance,
    Cohort,
    Note,
    Participant,
    PreparatoryTask,
    Record,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import set_language
from facilitator.rules import concerns
from facilitator.workdays import working_day

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("fr")


@dataclass
class Demo:
    records: list[Record]

    def of(self, kind: type[Any]) -> list[Any]:
        return [r for r in self.records if isinstance(r, kind)]

    @property
    def cohort(self) -> Cohort:
        first = self.records[0]
        assert isinstance(first, Cohort)
        return first

    @property
    def structures(self) -> list[Structure]:
        return self.of(Structure)

    @property
    def participants(self) -> list[Participant]:
        return self.of(Participant)

    @property
    def sessions(self) -> list[Session]:
        return self.of(Session)

    def session(self, kind: SessionKind) -> Session:
        (found,) = (s for s in self.sessions if s.kind == kind)
        return found


@pytest.fixture
def built() -> Demo:
    return Demo(build_demo(TODAY))


def test_records_come_in_store_order(built: Demo) -> None:
    order = [Cohort, Structure, Participant, Session, Attendance, Note, PreparatoryTask]
    ranks = [next(i for i, kind in enumerate(order) if isinstance(r, kind)) for r in built.records]
    assert ranks == sorted(ranks)
    assert len(built.of(Cohort)) == 1
    assert built.cohort.name == demo_cohort_name()
    assert built.cohort.name.startswith("Collectif MSE")


def test_every_reference_points_into_the_set(built: Demo) -> None:
    ids = [r.id for r in built.records]
    assert len(ids) == len(set(ids))
    structures = {s.id for s in built.structures}
    participants = {p.id for p in built.participants}
    sessions = {s.id for s in built.sessions}
    for p in built.participants:
        assert p.structure_id in structures
    for s in built.sessions:
        assert (
            (s.structure_id in structures)
            if s.kind == SessionKind.BILAN
            else s.structure_id is None
        )
    for a in built.of(Attendance):
        assert a.session_id in sessions and a.participant_id in participants
        assert a.id == Attendance.key(a.session_id, a.participant_id)
    for n in built.of(Note):
        assert n.structure_id in structures and n.session_id in sessions
    for t in built.of(PreparatoryTask):
        assert t.structure_id in structures


def test_fresh_ids_each_build() -> None:
    first = {r.id for r in build_demo(TODAY)}
    second = {r.id for r in build_demo(TODAY)}
    assert not first & second


def test_a_realistic_group(built: Demo) -> None:
    assert 6 <= len(built.structures) <= 8
    for s in built.structures:
        assert s.created is not None and s.sector and s.network
        assert 2 <= len(s.das) <= 3
        members = [p for p in built.participants if p.structure_id == s.id]
        assert 2 <= len(members) <= 3
    for p in built.participants:
        assert p.governance == p.role.is_governance
        assert p.email.endswith("@example.org") and p.phone.startswith("06 00 00 00 ")
    bilans = [s for s in built.sessions if s.kind == SessionKind.BILAN]
    assert {s.structure_id for s in bilans} == {s.id for s in built.structures}
    assert all(s.agenda and s.template and s.place and s.start_time for s in built.sessions)
    for bilan in bilans:  # a bilan's agenda is about its own structure only
        assert {i.structure_id for i in bilan.agenda} <= {None, bilan.structure_id}
    assert sum(c.days_budgeted for c in built.cohort.consultants) >= 10 * 7 / 8
    assert len(built.of(Note)) >= 12
    assert len(built.of(PreparatoryTask)) >= 3


def test_exactly_the_intended_concerns(built: Demo) -> None:
    found = concerns(
        built.cohort, built.structures, built.participants, built.sessions, today=TODAY
    )
    names = {s.id: s.name for s in built.structures}
    assert [(f.code, names[f.subject_id or ""]) for f in found] == [
        ("structure-no-governance", "Compagnie du Grand Écart"),
        ("structure-not-employer", "Épicerie solidaire La Musette"),
    ]


def test_the_programme_is_in_progress(built: Demo) -> None:
    intro = built.session(SessionKind.INTRO)
    state_of_play = built.session(SessionKind.STATE_OF_PLAY)
    evolution = built.session(SessionKind.EVOLUTION)
    assert intro.date is not None and state_of_play.date is not None
    assert evolution.date is not None
    assert built.cohort.start_date == intro.date
    assert intro.date < state_of_play.date < TODAY < evolution.date
    assert 9 <= (evolution.date - TODAY).days <= 16
    for bilan in (s for s in built.sessions if s.kind == SessionKind.BILAN):
        assert bilan.date is not None
        assert 14 <= (bilan.date - evolution.date).days <= 31


def test_dates_follow_the_session_order(built: Demo) -> None:
    stages = [[s.date for s in built.sessions if s.kind == kind] for kind in SESSION_ORDER]
    for stage in stages:
        assert stage and all(date is not None for date in stage)
    spans = [(min(filter(None, stage)), max(filter(None, stage))) for stage in stages]
    for (_, last), (first, _) in itertools.pairwise(spans):
        assert last < first
    for task in built.of(PreparatoryTask):
        # due before the session it prepares (for a bilan, the structure's own)
        (session,) = (
            s
            for s in built.sessions
            if s.kind == task.before
            and (s.kind != SessionKind.BILAN or s.structure_id == task.structure_id)
        )
        assert task.due is not None and session.date is not None
        assert task.due < session.date


def test_notes_and_attendance_only_for_sessions_already_held(built: Demo) -> None:
    dates = {s.id: s.date for s in built.sessions}
    kinds = {s.id: s.kind for s in built.sessions}
    for note in built.of(Note):
        held = dates[note.session_id]
        assert held is not None and held < TODAY
        assert note.created.to("Europe/Paris").date() == held
        assert note.created.to("utc").date() == held
    for mark in built.of(Attendance):
        held = dates[mark.session_id]
        assert held is not None and held < TODAY
    held_sessions = {mark.session_id for mark in built.of(Attendance)}
    assert {kinds[s] for s in held_sessions} == {SessionKind.INTRO, SessionKind.STATE_OF_PLAY}
    constats = [n for n in built.of(Note) if kinds[n.session_id or ""] == SessionKind.STATE_OF_PLAY]
    tagged = [n for n in constats if n.kind == "constat"]
    assert tagged and all(n.lever is not None and n.das for n in tagged)
    structure_das = {s.id: set(s.das) for s in built.structures}
    for n in built.of(Note):
        assert not n.das or n.das in structure_das[n.structure_id or ""]


def test_any_day_of_the_year_gives_a_sound_demo() -> None:
    for offset in range(366):
        today = TODAY + dt.timedelta(days=offset)
        d = Demo(build_demo(today))
        state_of_play = d.session(SessionKind.STATE_OF_PLAY).date
        evolution = d.session(SessionKind.EVOLUTION).date
        assert state_of_play is not None and state_of_play < today, today
        assert evolution is not None and 9 <= (evolution - today).days <= 16, today
        for s in d.sessions:
            assert s.date is not None and s.date == working_day(s.date), today
        found = concerns(d.cohort, d.structures, d.participants, d.sessions, today=today)
        assert [f.code for f in found] == ["structure-no-governance", "structure-not-employer"]


def test_sessions_avoid_weekends_and_public_holidays() -> None:
    assert working_day(dt.date(2026, 12, 25)) == dt.date(2026, 12, 28)  # Friday, Christmas
    assert working_day(dt.date(2027, 1, 2)) == dt.date(2027, 1, 4)  # Saturday
    assert working_day(dt.date(2026, 12, 22)) == dt.date(2026, 12, 22)


def test_bad_references_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = demo._load()
    broken = {**real, "notes": [{**real["notes"][0], "structure": "inconnue"}]}
    monkeypatch.setattr(demo, "_load", lambda: broken)
    with pytest.raises(demo.DemoDataError, match="inconnue"):
        build_demo(TODAY)


def test_notes_on_a_session_still_to_come_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = demo._load()
    broken = {**real, "notes": [{**real["notes"][0], "session": "evolution"}]}
    monkeypatch.setattr(demo, "_load", lambda: broken)
    with pytest.raises(demo.DemoDataError, match="evolution"):
        build_demo(TODAY)
