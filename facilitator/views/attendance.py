"""The roll call's read model: who is expected at a session, their marks, the governance.

Worked out from a ``CohortView``: the structures a session is for, each one's people
with their mark (a mark typed but not saved yet wins), whether its governance is
represented, and the count of each mark. The émargement (``screens/dialogs/attendance.py``),
the synthesis and the intersession work use them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from facilitator.domain import Participant, Presence, Session, SessionKind, Structure
from facilitator.view import CohortView


class Governance(StrEnum):
    """Whether a structure's governance is represented at the session."""

    REPRESENTED = "represented"  # a governance participant is marked present
    AWAITED = "awaited"  # none present yet, but one is still to be marked
    MISSING = "missing"  # every governance participant is excused or absent
    NOBODY = "nobody"  # the structure has no governance participant registered


@dataclass(frozen=True)
class StructureRoll:
    """One structure's people for a session, each with their mark (None: not marked yet)."""

    structure: Structure
    people: tuple[tuple[Participant, Presence | None], ...]

    @property
    def governance(self) -> Governance:
        board = [(p, mark) for p, mark in self.people if p.speaks_for_governance]
        if not board:
            return Governance.NOBODY
        if any(mark == Presence.PRESENT for _, mark in board):
            return Governance.REPRESENTED
        if any(mark is None for _, mark in board):
            return Governance.AWAITED
        return Governance.MISSING


def expected_structures(view: CohortView, session: Session) -> list[Structure]:
    """Who a session is for: every structure for a collective session, only its own for
    a bilan. The attendance, the synthesis and the intersession work all ask this."""
    if session.kind == SessionKind.BILAN and session.structure_id is not None:
        return [s for s in view.structures if s.id == session.structure_id]
    return list(view.structures)


def roll_call(
    view: CohortView, session: Session, pending: Mapping[str, Presence | None] | None = None
) -> list[StructureRoll]:
    """The structures expected at ``session`` with their people's marks.

    ``pending`` holds marks typed but not yet in ``view``; they win over the view's.
    """
    pending = pending or {}
    marks = {a.participant_id: a.presence for a in view.attendance if a.session_id == session.id}
    rolls = []
    for structure in expected_structures(view, session):
        people = tuple(
            (p, pending[p.id] if p.id in pending else marks.get(p.id))
            for p in view.participants_of(structure.id)
        )
        rolls.append(StructureRoll(structure, people))
    return rolls


def tally(rolls: Sequence[StructureRoll]) -> Counter[Presence | None]:
    """How many people are in each state (``None``: still to mark)."""
    return Counter(mark for roll in rolls for _, mark in roll.people)
