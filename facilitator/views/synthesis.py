"""The synthesis's read model: what a session produced, grouped as that session works.

The état des lieux: each expected structure's constats and problématiques by
domaine d'activité stratégique (its own DAS first, even when nobody spoke of them).
L'évolution: the structures by the three levers of the model, each cell holding the
ambitions, freins, conditions de réussite and effets miroir. The synthesis dialog
(``screens/dialogs/synthesis.py``) lays them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from facilitator.domain import Lever, Note, NoteKind, Session, Structure
from facilitator.text import fold
from facilitator.view import CohortView
from facilitator.views.attendance import expected_structures

FINDING_KINDS = (NoteKind.FINDING, NoteKind.PROBLEM)
"""What the état des lieux is about."""

MATRIX_KINDS = (NoteKind.AMBITION, NoteKind.OBSTACLE, NoteKind.SUCCESS_CONDITION, NoteKind.MIRROR)
"""What l'évolution is about, in the order a structure works through them."""

MATRIX_COLUMNS: tuple[Lever | None, ...] = (*Lever, None)
"""The three levers, then the notes tagged with none (kept in sight, not dropped)."""

# Row and column keys of the matrix that are not a structure or a lever.
TOTAL = "total"
NO_STRUCTURE = "none"
NAME_COLUMN = "name"
NO_LEVER = "none"


def session_notes(view: CohortView, session_id: str) -> list[Note]:
    """The notes captured in this session, oldest first (the view's order)."""
    return [n for n in view.notes if n.session_id == session_id]


# --- the état des lieux: structure → DAS → constats ---------------------------------


@dataclass(frozen=True)
class DasGroup:
    """The constats of one DAS (``das == ""``: those tagged with no DAS)."""

    das: str
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class StructureFindings:
    """One structure's constats and problématiques (``structure`` None: the group's own)."""

    structure: Structure | None
    groups: tuple[DasGroup, ...]

    @property
    def notes(self) -> list[Note]:
        return [n for g in self.groups for n in g.notes]

    def count(self, kind: NoteKind) -> int:
        return sum(n.kind == kind for n in self.notes)


def _das_groups(structure: Structure | None, notes: Sequence[Note]) -> tuple[DasGroup, ...]:
    """The structure's own DAS first, in its order and even when empty; then DAS typed
    on notes but not on the structure's list; then the notes with no DAS.

    A DAS typed with other case or accents is matched to the structure's own spelling.
    """
    known = {fold(d): d for d in (structure.das if structure else [])}
    by_das: dict[str, list[Note]] = {d: [] for d in known.values()}
    loose: list[Note] = []
    for note in notes:
        das = note.das.strip()
        if not das:
            loose.append(note)
            continue
        by_das.setdefault(known.get(fold(das), das), []).append(note)
    own = [d for d in (structure.das if structure else [])]
    others = sorted((d for d in by_das if d not in known.values()), key=fold)
    groups = [DasGroup(d, tuple(by_das[d])) for d in (*own, *others)]
    if loose:
        groups.append(DasGroup("", tuple(loose)))
    return tuple(groups)


def findings_by_structure(view: CohortView, session: Session) -> list[StructureFindings]:
    """Every expected structure, with or without constats (a silent one is a gap to see),
    then the constats taken for no structure, if any."""
    notes = [n for n in session_notes(view, session.id) if n.kind in FINDING_KINDS]
    out = []
    for structure in expected_structures(view, session):
        own = [n for n in notes if n.structure_id == structure.id]
        out.append(StructureFindings(structure, _das_groups(structure, own)))
    known = {s.id for s in expected_structures(view, session)}
    stray = [n for n in notes if n.structure_id not in known]
    if stray:
        out.append(StructureFindings(None, _das_groups(None, stray)))
    return out


# --- l'évolution: structures × levers ----------------------------------------------------


@dataclass(frozen=True)
class EvolutionMatrix:
    """The notes of the four évolution kinds, addressed by row and column.

    Rows are structure ids (``NO_STRUCTURE`` for notes of no structure, ``TOTAL`` for
    all); columns are lever values (``NO_LEVER``: no lever; ``NAME_COLUMN``: any).
    """

    structures: tuple[Structure, ...]
    notes: tuple[Note, ...]
    has_stray: bool

    @property
    def rows(self) -> list[str]:
        rows = [s.id for s in self.structures]
        if self.has_stray:
            rows.append(NO_STRUCTURE)
        return [*rows, TOTAL]

    @staticmethod
    def columns() -> list[str]:
        return [lever.value if lever else NO_LEVER for lever in MATRIX_COLUMNS]

    def cell(self, row: str, column: str) -> list[Note]:
        known = {s.id for s in self.structures}

        def in_row(note: Note) -> bool:
            if row == TOTAL:
                return True
            if row == NO_STRUCTURE:
                return note.structure_id not in known
            return note.structure_id == row

        def in_column(note: Note) -> bool:
            if column == NAME_COLUMN:
                return True
            if column == NO_LEVER:
                return note.lever is None
            return note.lever is not None and note.lever.value == column

        chosen = [n for n in self.notes if in_row(n) and in_column(n)]
        return sorted(chosen, key=lambda n: (MATRIX_KINDS.index(n.kind), n.created))


def evolution_matrix(view: CohortView, session: Session) -> EvolutionMatrix:
    structures = tuple(expected_structures(view, session))
    notes = tuple(n for n in session_notes(view, session.id) if n.kind in MATRIX_KINDS)
    known = {s.id for s in structures}
    return EvolutionMatrix(structures, notes, any(n.structure_id not in known for n in notes))


def cell_counts(notes: Iterable[Note]) -> tuple[int, ...]:
    """The counts of ambition, frein, condition de réussite, effet miroir, in that order."""
    counts = Counter(n.kind for n in notes)
    return tuple(counts[kind] for kind in MATRIX_KINDS)
