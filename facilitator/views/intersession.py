"""The intersession work's read model: which session a task prepares, when it is due.

Travaux préparatoires prepare the next session: its kind, its date for a structure
(a bilan is each structure's own), a due date a week before, the tasks a form asks
for (one per structure for « toutes les structures »), and each structure's tasks.
The intersession dialog (``screens/dialogs/intersession.py``) shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from facilitator.domain import (
    SESSION_ORDER,
    PreparatoryTask,
    Session,
    SessionKind,
    Structure,
    TaskStatus,
)
from facilitator.view import CohortView
from facilitator.views.attendance import expected_structures

ALL_STRUCTURES = "*"
"""The structure choice that gives the task to every structure of the session."""

DUE_BEFORE = dt.timedelta(days=7)


def next_kind(kind: SessionKind) -> SessionKind:
    """The session the work prepares: the one after ``kind`` (a bilan prepares itself,
    being the last)."""
    index = SESSION_ORDER.index(kind)
    return SESSION_ORDER[min(index + 1, len(SESSION_ORDER) - 1)]


def session_of_kind(
    view: CohortView, kind: SessionKind, structure_id: str | None
) -> Session | None:
    """The session of ``kind`` that ``structure_id`` will attend (a bilan is per
    structure; with no structure, the earliest one), None when none is dated."""
    candidates = [s for s in view.sessions if s.kind == kind and s.date is not None]
    if kind == SessionKind.BILAN and structure_id is not None:
        candidates = [s for s in candidates if s.structure_id == structure_id]
    return min(candidates, key=lambda s: s.date or dt.date.max, default=None)


def default_due(view: CohortView, kind: SessionKind, structure_id: str | None) -> dt.date | None:
    """A week before the session the work prepares, when its date is known."""
    session = session_of_kind(view, kind, structure_id)
    return session.date - DUE_BEFORE if session is not None and session.date is not None else None


def new_tasks(
    view: CohortView, session: Session, values: dict[str, Any], form_structure: str | None
) -> list[PreparatoryTask]:
    """The tasks the form asks for: one, or one per structure for « toutes les structures ».

    Given to all structures before their bilans with the date left as proposed, each
    structure's task is due a week before its own bilan, since their bilans are on
    different days.
    """
    before = SessionKind(values["before"])
    chosen = values["structure"]
    targets = (
        expected_structures(view, session)
        if chosen == ALL_STRUCTURES
        else [s for s in view.structures if s.id == chosen]
    )
    proposed = default_due(view, before, form_structure)
    per_structure = (
        chosen == ALL_STRUCTURES and before == SessionKind.BILAN and values["due"] == proposed
    )
    return [
        PreparatoryTask(
            structure_id=structure.id,
            title=values["title"],
            before=before,
            due=default_due(view, before, structure.id) if per_structure else values["due"],
            status=TaskStatus.TODO,
        )
        for structure in targets
    ]


def tasks_by_structure(
    view: CohortView, structures: Sequence[Structure], before: SessionKind
) -> list[tuple[Structure, list[PreparatoryTask]]]:
    """Each structure with its tasks before ``before``, the soonest due first."""
    out = []
    for structure in structures:
        tasks = [t for t in view.tasks if t.structure_id == structure.id and t.before == before]
        tasks.sort(key=lambda task: (task.due or dt.date.max, task.title))
        out.append((structure, tasks))
    return out
