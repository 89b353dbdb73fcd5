"""One association's thread across the four sessions, and what the peers share.

The thread is what a facilitator rereads before a bilan meeting: what the
structure said at the état des lieux (constats by lever and DAS), where it wants
to go and what stands in the way (ambition, freins, conditions de réussite),
what its peers reflected back (effet miroir), the pistes d'actions, its
attendance and preparatory work, and the bilan itself. The screen, ``facilitator
review`` and the bilan exports all read this one model.

The effet miroir across structures groups the freins, conditions and actions of
the whole cohort by lever and by the words they share, so "3 structures
partagent ce frein" can suggest peer pairs and shared actions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from facilitator.domain import (
    SESSION_ORDER,
    BilanReview,
    Lever,
    Note,
    NoteKind,
    Participant,
    PreparatoryTask,
    Presence,
    Session,
    SessionKind,
    Structure,
)
from facilitator.text import fold
from facilitator.view import CohortView

# The order the work went, as the thread reads.
THREAD_ORDER = (
    NoteKind.FINDING,
    NoteKind.PROBLEM,
    NoteKind.AMBITION,
    NoteKind.OBSTACLE,
    NoteKind.SUCCESS_CONDITION,
    NoteKind.MIRROR,
    NoteKind.ACTION,
    NoteKind.QUESTION,
    NoteKind.VISION_CHANGE,
    NoteKind.FEEDBACK,
)
LEVERS: tuple[Lever | None, ...] = (*Lever, None)


@dataclass(frozen=True)
class SessionAttendance:
    """One session as this structure lived it."""

    session: Session
    present: tuple[Participant, ...]
    excused: tuple[Participant, ...]
    absent: tuple[Participant, ...]
    unmarked: tuple[Participant, ...]
    governance_present: bool
    notes: int


@dataclass(frozen=True)
class BeforeAfter:
    """One lever: what was said at the état des lieux, and afterwards."""

    lever: Lever | None
    before: tuple[Note, ...]
    after: tuple[Note, ...]


@dataclass(frozen=True)
class Thread:
    structure: Structure
    participants: tuple[Participant, ...]
    sessions: tuple[SessionAttendance, ...]
    notes: dict[NoteKind, tuple[Note, ...]]
    constats: dict[Lever | None, dict[str, tuple[Note, ...]]]  # lever -> DAS ("" for none) -> notes
    before_after: tuple[BeforeAfter, ...]
    tasks: tuple[PreparatoryTask, ...]
    bilan: Session | None
    review: BilanReview | None

    def of_kind(self, kind: NoteKind) -> tuple[Note, ...]:
        return self.notes.get(kind, ())

    @property
    def note_count(self) -> int:
        return sum(len(notes) for notes in self.notes.values())


def _session_rank(view: CohortView) -> dict[str, int]:
    return {s.id: SESSION_ORDER.index(s.kind) for s in view.sessions}


def _attendance(
    view: CohortView, session: Session, people: Sequence[Participant], notes: int
) -> SessionAttendance:
    groups: dict[Presence | None, list[Participant]] = {p: [] for p in (*Presence, None)}
    for person in people:
        marked = view.presence(session.id, person.id)
        groups[marked.presence if marked else None].append(person)
    present = tuple(groups[Presence.PRESENT])
    return SessionAttendance(
        session=session,
        present=present,
        excused=tuple(groups[Presence.EXCUSED]),
        absent=tuple(groups[Presence.ABSENT]),
        unmarked=tuple(groups[None]),
        governance_present=any(p.speaks_for_governance for p in present),
        notes=notes,
    )


def thread(view: CohortView, structure_id: str) -> Thread:
    """The thread of one structure, ordered as the work went."""
    structure = view.structure(structure_id)
    if structure is None:
        raise KeyError(structure_id)
    rank = _session_rank(view)
    own = sorted(
        view.notes_of(structure_id),
        key=lambda n: (rank.get(n.session_id or "", len(SESSION_ORDER)), n.created),
    )
    by_kind: dict[NoteKind, list[Note]] = {}
    for note in own:
        by_kind.setdefault(note.kind, []).append(note)

    constats: dict[Lever | None, dict[str, list[Note]]] = {}
    for note in by_kind.get(NoteKind.FINDING, []) + by_kind.get(NoteKind.PROBLEM, []):
        constats.setdefault(note.lever, {}).setdefault(note.das, []).append(note)

    sessions = [
        s for s in view.sessions if s.kind != SessionKind.BILAN or s.structure_id == structure_id
    ]
    people = view.participants_of(structure_id)
    attendance = tuple(
        _attendance(view, s, people, sum(1 for n in own if n.session_id == s.id)) for s in sessions
    )
    bilan = view.bilan_of(structure_id)
    # The review is keyed by its bilan session, as the form writes it.
    review = next((r for r in view.bilans if bilan is not None and r.id == bilan.id), None)

    return Thread(
        structure=structure,
        participants=tuple(people),
        sessions=attendance,
        notes={kind: tuple(by_kind[kind]) for kind in THREAD_ORDER if kind in by_kind},
        constats={
            lever: {das: tuple(notes) for das, notes in sorted(by_das.items())}
            for lever in LEVERS
            if (by_das := constats.get(lever))
        },
        before_after=_before_after(view, own),
        tasks=tuple(
            sorted(
                (t for t in view.tasks if t.structure_id == structure_id),
                key=lambda t: (SESSION_ORDER.index(t.before), t.due or dt.date.max, fold(t.title)),
            )
        ),
        bilan=bilan,
        review=review,
    )


def _before_after(view: CohortView, notes: Sequence[Note]) -> tuple[BeforeAfter, ...]:
    """Per lever: session 1 against session 2 and the bilan (notes with no session
    count as before when they are constats, after otherwise)."""
    kinds = {s.id: s.kind for s in view.sessions}
    rows = []
    for lever in LEVERS:
        before, after = [], []
        for note in notes:
            if note.lever != lever:
                continue
            kind = kinds.get(note.session_id or "")
            if kind in (SessionKind.INTRO, SessionKind.STATE_OF_PLAY) or (
                kind is None and note.kind in (NoteKind.FINDING, NoteKind.PROBLEM)
            ):
                before.append(note)
            else:
                after.append(note)
        if before or after:
            rows.append(BeforeAfter(lever, tuple(before), tuple(after)))
    return tuple(rows)


# --- the effet miroir across the cohort ----------------------------------------------

SHARED_KINDS = (NoteKind.OBSTACLE, NoteKind.SUCCESS_CONDITION, NoteKind.ACTION)

# Words that carry no theme of their own; the rest of a note's words do.
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cette dans de des du en est et il ils la le les leur leurs mais
    ne ni nos notre on ou par pas plus pour qu que qui sa se ses si son sont sur ta te tes
    un une vos votre y l d n s c j m qu etre avoir fait faire tres trop peu bien aussi
    comme sans sous entre elle elles nous vous the of and to in for on with is are
    """.split()
)
MIN_WORD = 4


def theme_words(text: str) -> frozenset[str]:
    """The words of a note that can say what it is about, folded and roughly stemmed."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return frozenset(_stem(w) for w in words if len(w) >= MIN_WORD and w not in STOP_WORDS)


def _stem(word: str) -> str:
    """Plurals and a few endings away, so « bénévoles » meets « bénévolat »."""
    for ending in (
        "ations",
        "ation",
        "ements",
        "ement",
        "ites",
        "ite",
        "ats",
        "at",
        "es",
        "s",
        "e",
    ):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class SharedTheme:
    """Notes of one kind and lever, from several structures, about the same thing."""

    kind: NoteKind
    lever: Lever | None
    words: tuple[str, ...]  # what they have in common
    notes: tuple[Note, ...]
    structure_ids: tuple[str, ...] = field(default=())

    @property
    def structures(self) -> int:
        return len(self.structure_ids)


def shared_themes(notes: Iterable[Note], *, min_structures: int = 2) -> list[SharedTheme]:
    """Freins, conditions and actions that several structures share, by lever.

    Two notes belong together when they share a theme word (after folding and
    stemming) and the same kind and lever; a theme counts when it spans at
    least ``min_structures`` structures. Biggest themes first.
    """
    pool = [n for n in notes if n.kind in SHARED_KINDS and n.structure_id]
    themes: dict[tuple[NoteKind, Lever | None, str], list[Note]] = {}
    for note in pool:
        # Sorted: a frozenset's order changes with the process's hash seed.
        for word in sorted(theme_words(note.text)):
            themes.setdefault((note.kind, note.lever, word), []).append(note)
    found: dict[tuple[NoteKind, Lever | None, frozenset[str]], SharedTheme] = {}
    for (kind, lever, word), members in themes.items():
        structures = tuple(dict.fromkeys(n.structure_id for n in members if n.structure_id))
        if len(structures) < min_structures:
            continue
        ids = frozenset(n.id for n in members)
        key = (kind, lever, ids)  # notes sharing several words form one theme
        if key in found:
            existing = found[key]
            found[key] = SharedTheme(
                kind, lever, (*existing.words, word), existing.notes, structures
            )
        else:
            found[key] = SharedTheme(kind, lever, (word,), tuple(members), structures)
    return sorted(
        found.values(),
        key=lambda th: (
            -th.structures,
            SHARED_KINDS.index(th.kind),
            LEVERS.index(th.lever),
            th.words,
        ),
    )


def peer_pairs(themes: Sequence[SharedTheme]) -> list[tuple[str, str, int]]:
    """Pairs of structures by how many themes they share: who could work together."""
    counts: dict[tuple[str, str], int] = {}
    for theme in themes:
        ids = sorted(theme.structure_ids)
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                counts[(first, second)] = counts.get((first, second), 0) + 1
    return sorted(((a, b, n) for (a, b), n in counts.items()), key=lambda p: (-p[2], p[0], p[1]))
