"""One structure's thread and the themes the cohort shares, on small built cohorts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import arrow
import pytest

from facilitator.domain import (
    Attendance,
    BilanReview,
    Cohort,
    Lever,
    Note,
    NoteKind,
    Participant,
    PreparatoryTask,
    Presence,
    Role,
    Session,
    SessionKind,
    Structure,
    TaskStatus,
)
from facilitator.thread import peer_pairs, shared_themes, theme_words, thread
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from tests.conftest import ROOT

T0 = arrow.get("2026-10-06T07:00:00+00:00")


def at(minutes: int) -> arrow.Arrow:
    return T0.shift(minutes=minutes)


class Built:
    """A cohort of three structures, written to a real store and read back as a view."""

    def __init__(self) -> None:
        self.cohort = Cohort(name="Collectif d'essai")
        self.jardins = Structure(name="Les Jardins", das=["Maraîchage", "Paniers"])
        self.escale = Structure(name="L'Escale")
        self.trame = Structure(name="La Trame")
        self.director = Participant(structure_id=self.jardins.id, name="Nadia", role=Role.DIRECTOR)
        # A président·e whose governance box was left unticked still counts.
        self.chair = Participant(structure_id=self.jardins.id, name="Bernard", role=Role.PRESIDENT)
        self.member = Participant(structure_id=self.jardins.id, name="Sylvie", governance=True)
        self.other = Participant(structure_id=self.escale.id, name="Isabelle")
        self.intro = Session(kind=SessionKind.INTRO, date=dt.date(2026, 8, 25))
        self.s1 = Session(kind=SessionKind.STATE_OF_PLAY, date=dt.date(2026, 10, 6))
        self.s2 = Session(kind=SessionKind.EVOLUTION, date=dt.date(2026, 12, 8))
        self.bilan = Session(
            kind=SessionKind.BILAN, date=dt.date(2026, 12, 22), structure_id=self.jardins.id
        )
        self.other_bilan = Session(
            kind=SessionKind.BILAN, date=dt.date(2026, 12, 23), structure_id=self.escale.id
        )
        self.records: list = [
            self.cohort,
            self.jardins,
            self.escale,
            self.trame,
            self.director,
            self.chair,
            self.member,
            self.other,
            self.intro,
            self.s1,
            self.s2,
            self.bilan,
            self.other_bilan,
        ]

    def note(
        self,
        text: str,
        *,
        kind: NoteKind = NoteKind.FINDING,
        session: Session | None = None,
        structure: Structure | None = None,
        lever: Lever | None = None,
        das: str = "",
        minute: int = 0,
    ) -> Note:
        note = Note(
            kind=kind,
            text=text,
            structure_id=(structure or self.jardins).id,
            session_id=session.id if session else None,
            lever=lever,
            das=das,
            created=at(minute),
        )
        self.records.append(note)
        return note

    def mark(self, session: Session, person: Participant, presence: Presence) -> None:
        self.records.append(
            Attendance(
                id=Attendance.key(session.id, person.id),
                session_id=session.id,
                participant_id=person.id,
                presence=presence,
            )
        )

    def view(self, tmp_path: Path) -> CohortView:
        return CohortView.load(Workspace(tmp_path / "ws").create(self.records))


@pytest.fixture
def built() -> Built:
    return Built()


# --- the thread ------------------------------------------------------------------------------


def test_notes_follow_the_sessions_then_the_clock(built: Built, tmp_path: Path) -> None:
    # Typed out of order: a late S1 constat, an S2 note typed before it, loose notes.
    late_s1 = built.note("constat tardif", session=built.s1, minute=500)
    s2 = built.note("frein en S2", kind=NoteKind.OBSTACLE, session=built.s2, minute=100)
    early_s1 = built.note("premier constat", session=built.s1, minute=10)
    loose = built.note("sans session", minute=-1000)
    intro = built.note("question d'intro", kind=NoteKind.QUESTION, session=built.intro, minute=900)
    built.note("autre structure", structure=built.escale, session=built.s1)

    th = thread(built.view(tmp_path), built.jardins.id)

    assert th.of_kind(NoteKind.FINDING) == (early_s1, late_s1, loose)
    assert th.of_kind(NoteKind.OBSTACLE) == (s2,)
    assert th.of_kind(NoteKind.QUESTION) == (intro,)
    assert th.of_kind(NoteKind.AMBITION) == ()
    assert th.note_count == 5
    # Kinds come in the order the work goes, whatever order they were typed in.
    assert list(th.notes) == [NoteKind.FINDING, NoteKind.OBSTACLE, NoteKind.QUESTION]


def test_constats_are_grouped_by_lever_then_das(built: Built, tmp_path: Path) -> None:
    alliances = built.note(
        "paniers", session=built.s1, lever=Lever.ALLIANCES, das="Paniers", minute=1
    )
    money_b = built.note(
        "aides au poste", session=built.s1, lever=Lever.FINANCIAL, das="Maraîchage", minute=2
    )
    money_whole = built.note("budget global", session=built.s1, lever=Lever.FINANCIAL, minute=3)
    problem = built.note(
        "comment financer ?",
        kind=NoteKind.PROBLEM,
        session=built.s1,
        lever=Lever.FINANCIAL,
        das="Maraîchage",
        minute=0,
    )
    people = built.note("bénévoles", session=built.s1, lever=Lever.HUMAN, minute=4)
    no_lever = built.note("sans levier", session=built.s1, minute=5)
    built.note("ambition", kind=NoteKind.AMBITION, session=built.s1, lever=Lever.FINANCIAL)
    built.note("ailleurs", structure=built.escale, session=built.s1, lever=Lever.FINANCIAL)

    constats = thread(built.view(tmp_path), built.jardins.id).constats

    assert list(constats) == [Lever.HUMAN, Lever.FINANCIAL, Lever.ALLIANCES, None]
    assert constats[Lever.HUMAN] == {"": (people,)}
    # DAS by name, the structure as a whole ("") first; constats before problématiques.
    assert list(constats[Lever.FINANCIAL]) == ["", "Maraîchage"]
    assert constats[Lever.FINANCIAL][""] == (money_whole,)
    assert constats[Lever.FINANCIAL]["Maraîchage"] == (money_b, problem)
    assert constats[Lever.ALLIANCES] == {"Paniers": (alliances,)}
    assert constats[None] == {"": (no_lever,)}


def test_before_and_after_split_at_the_second_session(built: Built, tmp_path: Path) -> None:
    intro = built.note("intro", kind=NoteKind.PROBLEM, session=built.intro, lever=Lever.FINANCIAL)
    s1 = built.note("s1", session=built.s1, lever=Lever.FINANCIAL, minute=1)
    s2 = built.note("s2", kind=NoteKind.OBSTACLE, session=built.s2, lever=Lever.FINANCIAL)
    bilan = built.note(
        "bilan", kind=NoteKind.VISION_CHANGE, session=built.bilan, lever=Lever.FINANCIAL
    )
    loose_constat = built.note("constat libre", lever=Lever.HUMAN)
    loose_action = built.note("piste libre", kind=NoteKind.ACTION, lever=Lever.HUMAN)
    unlevered = built.note("sans levier", session=built.s2)

    rows = thread(built.view(tmp_path), built.jardins.id).before_after

    assert [row.lever for row in rows] == [Lever.HUMAN, Lever.FINANCIAL, None]
    human, money, none = rows
    assert (human.before, human.after) == ((loose_constat,), (loose_action,))
    assert (money.before, money.after) == ((intro, s1), (s2, bilan))
    assert (none.before, none.after) == ((), (unlevered,))


def test_attendance_per_session_with_the_governance(built: Built, tmp_path: Path) -> None:
    built.mark(built.intro, built.director, Presence.PRESENT)
    built.mark(built.intro, built.chair, Presence.EXCUSED)
    built.mark(built.intro, built.member, Presence.ABSENT)
    built.mark(built.s1, built.director, Presence.PRESENT)
    built.mark(built.s1, built.chair, Presence.PRESENT)  # role président·e, flag unticked
    built.mark(built.s2, built.member, Presence.PRESENT)  # flag ticked, role « autre »
    built.mark(built.s1, built.other, Presence.PRESENT)  # another structure's person
    built.note("un", session=built.s1)
    built.note("deux", session=built.s1, minute=1)
    built.note("trois", session=built.s2, kind=NoteKind.OBSTACLE)

    th = thread(built.view(tmp_path), built.jardins.id)

    # The collective sessions and this structure's bilan, not the others'.
    assert [row.session.id for row in th.sessions] == [
        built.intro.id,
        built.s1.id,
        built.s2.id,
        built.bilan.id,
    ]
    intro, s1, s2, bilan = th.sessions
    assert intro.present == (built.director,)
    assert intro.excused == (built.chair,)
    assert intro.absent == (built.member,)
    assert intro.unmarked == ()
    assert not intro.governance_present  # only the director came
    assert s1.governance_present and s1.notes == 2
    assert s1.present == (built.chair, built.director)  # the view sorts people by name
    assert s1.unmarked == (built.member,)
    assert s2.governance_present and s2.notes == 1
    assert bilan.unmarked == (built.chair, built.director, built.member)
    assert not bilan.governance_present and bilan.notes == 0
    assert th.participants == (built.chair, built.director, built.member)


def test_tasks_bilan_and_review_belong_to_the_structure(built: Built, tmp_path: Path) -> None:
    later = PreparatoryTask(
        structure_id=built.jardins.id,
        title="Relire l'effet miroir",
        before=SessionKind.BILAN,
        due=dt.date(2026, 12, 15),
    )
    undated = PreparatoryTask(
        structure_id=built.jardins.id, title="Chiffrer", before=SessionKind.EVOLUTION
    )
    first = PreparatoryTask(
        structure_id=built.jardins.id,
        title="Grille d'état des lieux",
        before=SessionKind.STATE_OF_PLAY,
        due=dt.date(2026, 9, 29),
        status=TaskStatus.DONE,
    )
    dated = PreparatoryTask(
        structure_id=built.jardins.id,
        title="Ambition",
        before=SessionKind.EVOLUTION,
        due=dt.date(2026, 12, 1),
    )
    theirs = PreparatoryTask(structure_id=built.escale.id, title="x", before=SessionKind.BILAN)
    review = BilanReview(
        id=built.bilan.id,
        session_id=built.bilan.id,
        structure_id=built.jardins.id,
        ratings={"collective": 4},
        third_person="Chargée de mission DLA",
    )
    built.records += [later, undated, first, dated, theirs, review]

    view = built.view(tmp_path)
    th = thread(view, built.jardins.id)

    # In the order the work goes: by the session they prepare, then by due date.
    assert th.tasks == (first, dated, undated, later)
    assert th.bilan == built.bilan
    assert th.review == review
    assert thread(view, built.trame.id).bilan is None
    assert thread(view, built.trame.id).review is None


def test_an_unknown_structure_is_a_key_error(built: Built, tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        thread(built.view(tmp_path), "no-such-id")


# --- themes across the cohort ------------------------------------------------------------------


def test_theme_words_fold_and_stem() -> None:
    assert theme_words("Les bénévoles, la cantine") == theme_words("le BENEVOLAT des cantines")
    assert "benevol" in theme_words("bénévolat")
    assert theme_words("de la et pour avec") == frozenset()


def test_shared_themes_group_by_kind_lever_and_word(built: Built, tmp_path: Path) -> None:
    f1 = built.note(
        "Le recrutement de bénévoles s'essouffle",
        kind=NoteKind.OBSTACLE,
        lever=Lever.HUMAN,
        session=built.s2,
    )
    f2 = built.note(
        "Bénévolat en baisse depuis deux ans",
        kind=NoteKind.OBSTACLE,
        lever=Lever.HUMAN,
        structure=built.escale,
        session=built.s2,
    )
    f3 = built.note(
        "Les bénévoles vieillissent",
        kind=NoteKind.OBSTACLE,
        lever=Lever.HUMAN,
        structure=built.trame,
        session=built.s2,
    )
    # The same word, but another lever, another kind, or a constat: other themes or none.
    built.note(
        "Valoriser les bénévoles",
        kind=NoteKind.OBSTACLE,
        lever=Lever.FINANCIAL,
        structure=built.escale,
    )
    c1 = built.note("Former les bénévoles", kind=NoteKind.SUCCESS_CONDITION, lever=Lever.HUMAN)
    c2 = built.note(
        "Un référent des bénévoles",
        kind=NoteKind.SUCCESS_CONDITION,
        lever=Lever.HUMAN,
        structure=built.trame,
    )
    built.note("Beaucoup de bénévoles", kind=NoteKind.FINDING, structure=built.escale)
    # One structure alone is no theme, however many notes it has.
    built.note("Tarifs trop bas", kind=NoteKind.OBSTACLE, lever=Lever.FINANCIAL)
    built.note("Tarifs à revoir", kind=NoteKind.OBSTACLE, lever=Lever.FINANCIAL, minute=3)

    themes = shared_themes(built.view(tmp_path).notes)

    assert [(th.kind, th.lever, th.structures) for th in themes] == [
        (NoteKind.OBSTACLE, Lever.HUMAN, 3),
        (NoteKind.SUCCESS_CONDITION, Lever.HUMAN, 2),
    ]
    freins, conditions = themes
    assert freins.words == ("benevol",)
    assert {n.id for n in freins.notes} == {f1.id, f2.id, f3.id}
    assert set(freins.structure_ids) == {built.jardins.id, built.escale.id, built.trame.id}
    assert {n.id for n in conditions.notes} == {c1.id, c2.id}

    pairs = peer_pairs(themes)
    jardins_trame = tuple(sorted((built.jardins.id, built.trame.id)))
    counts = {(a, b): n for a, b, n in pairs}
    assert counts[jardins_trame] == 2  # they share both themes
    assert sorted(counts.values()) == [1, 1, 2]
    assert pairs[0][2] == 2  # the pair sharing most comes first


def test_notes_sharing_several_words_make_one_theme(built: Built, tmp_path: Path) -> None:
    built.note("Hausse des tarifs cantine", kind=NoteKind.OBSTACLE, lever=Lever.FINANCIAL)
    built.note(
        "Tarifs de la cantine trop bas",
        kind=NoteKind.OBSTACLE,
        lever=Lever.FINANCIAL,
        structure=built.escale,
    )
    notes = built.view(tmp_path).notes
    themes = shared_themes(notes)
    assert len(themes) == 1
    assert themes[0].words == ("cantin", "tarif")
    assert shared_themes(notes, min_structures=3) == []


THEMES_IN_ANOTHER_PROCESS = """
import arrow
from facilitator.domain import Lever, Note, NoteKind
from facilitator.thread import shared_themes
notes = [
    Note(kind=NoteKind.OBSTACLE, lever=Lever.FINANCIAL, text=text, structure_id=sid,
         created=arrow.get(0))
    for sid, text in (("a", "Tarifs cantine mairie subvention"),
                      ("b", "Cantine tarifs subvention mairie"))
]
print([th.words for th in shared_themes(notes)])
"""


def test_themes_read_the_same_whatever_the_hash_seed() -> None:
    """Theme words come from frozensets: without sorting, their order (and so every
    printed report) would change from one run to the next."""
    outputs = {
        subprocess.run(
            [sys.executable, "-c", THEMES_IN_ANOTHER_PROCESS],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {"[('cantin', 'mairi', 'subvention', 'tarif')]\n"}
