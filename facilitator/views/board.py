"""The participant board's read model: each structure's line, by stage of the programme.

Worked out from a ``CohortView`` and the cohort's ``today``: who came to each stage,
whether the governance was there, the travaux préparatoires done and late, the notes,
and the orders the board sorts by. The board's matrix (``screens/widgets/board_matrix.py``)
lays them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from facilitator.domain import (
    SESSION_ORDER,
    Participant,
    Presence,
    SessionKind,
    Structure,
    TaskStatus,
)
from facilitator.text import fold
from facilitator.view import CohortView


class BoardSort(StrEnum):
    """The orders the board cycles through; every order but the name puts first
    the structures that need attention (fewest notes, lowest attendance, least work done)."""

    NAME = "name"
    NOTES = "notes"
    ATTENDANCE = "attendance"
    PREP = "prep"

    def next(self) -> BoardSort:
        members = list(BoardSort)
        return members[(members.index(self) + 1) % len(members)]


@dataclass(frozen=True)
class StageCell:
    """What one structure did at one stage of the programme (one matrix cell).

    ``held`` once a session of the stage took place; then ``present`` counts the
    structure's participants marked present at it (at any of its sessions, if the stage
    was split) and ``governance`` says whether one of them speaks for the governance.
    Before that, ``date`` is the stage's next date, if one is set.
    """

    held: bool
    present: int = 0
    participants: int = 0
    governance: bool = False
    date: dt.date | None = None


@dataclass(frozen=True)
class BoardRow:
    """One structure's line of the board."""

    structure: Structure
    cells: tuple[StageCell, ...]
    tasks_done: int
    tasks_total: int
    tasks_late: int
    notes: int

    @property
    def attendance_rate(self) -> float | None:
        """Share of seats filled over the sessions held; None before any was held."""
        seats = sum(c.participants for c in self.cells if c.held)
        if not seats:
            return None
        return sum(c.present for c in self.cells if c.held) / seats

    @property
    def prep_rate(self) -> float | None:
        return self.tasks_done / self.tasks_total if self.tasks_total else None


def _stage_cell(
    view: CohortView,
    kind: SessionKind,
    structure: Structure,
    members: Sequence[Participant],
    present_at: dict[str, set[str]],
    today: dt.date,
) -> StageCell:
    if kind == SessionKind.BILAN:
        sessions = [s for s in view.sessions if s.kind == kind and s.structure_id == structure.id]
    else:
        sessions = [
            s for s in view.sessions if s.kind == kind and s.structure_id in (None, structure.id)
        ]
    held = [s for s in sessions if s.attended(today, marked=s.id in present_at)]
    if not held:
        dates = [s.date for s in sessions if s.date is not None]
        return StageCell(held=False, date=min(dates, default=None))
    present_ids: set[str] = set()
    for session in held:
        present_ids |= present_at.get(session.id, set())
    here = [p for p in members if p.id in present_ids]
    return StageCell(
        held=True,
        present=len(here),
        participants=len(members),
        governance=any(p.speaks_for_governance for p in here),
    )


def board_rows(view: CohortView, today: dt.date) -> list[BoardRow]:
    """Every structure's line, in the view's order (by name)."""
    present_at: dict[str, set[str]] = {}
    for mark in view.attendance:
        ids = present_at.setdefault(mark.session_id, set())
        if mark.presence == Presence.PRESENT:
            ids.add(mark.participant_id)
    rows = []
    for structure in view.structures:
        members = view.participants_of(structure.id)
        tasks = [task for task in view.tasks if task.structure_id == structure.id]
        done = sum(task.status == TaskStatus.DONE for task in tasks)
        late = sum(task.late(today) for task in tasks)
        rows.append(
            BoardRow(
                structure=structure,
                cells=tuple(
                    _stage_cell(view, kind, structure, members, present_at, today)
                    for kind in SESSION_ORDER
                ),
                tasks_done=done,
                tasks_total=len(tasks),
                tasks_late=late,
                notes=len(view.notes_of(structure.id)),
            )
        )
    return rows


def sort_rows(rows: Iterable[BoardRow], by: BoardSort) -> list[BoardRow]:
    """The rows in ``by`` order; ties, and structures with nothing to compare, by name.

    A structure with no session held or no task yet goes last: it has no rate, and
    putting it first would bury the ones that really lag.
    """

    def name(row: BoardRow) -> tuple[str, str]:
        return fold(row.structure.name), row.structure.id

    def rate(value: float | None) -> tuple[bool, float]:
        return value is None, value or 0.0

    if by == BoardSort.NOTES:
        return sorted(rows, key=lambda r: (r.notes, *name(r)))
    if by == BoardSort.ATTENDANCE:
        return sorted(rows, key=lambda r: (*rate(r.attendance_rate), *name(r)))
    if by == BoardSort.PREP:
        return sorted(rows, key=lambda r: (*rate(r.prep_rate), *name(r)))
    return sorted(rows, key=name)
