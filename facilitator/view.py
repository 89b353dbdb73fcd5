"""A cohort as the screens and printed reports read it: one consistent snapshot.

Built from the store in one go (under its lock), so a screen never shows half
of another facilitator's change; screens keep the newest view and redraw from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.domain import (
    SESSION_ORDER,
    Attendance,
    BilanReview,
    ClockEvent,
    Cohort,
    Note,
    Participant,
    PreparatoryTask,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import t
from facilitator.store import CohortStore
from facilitator.text import fold


def session_title(
    session: Session, structure_names: Mapping[str, str], lang: str | None = None
) -> str:
    """« 2nde session collective — L'évolution », or « Bilan individuel — <structure> »:
    several bilans share a kind, so a bilan is named by its structure."""
    name = t(f"domain.sessionkind.{session.kind.value}", lang)
    structure = structure_names.get(session.structure_id or "")
    if structure:
        return t("domain.session_of", lang, session=name, structure=structure)
    return name


def session_sort_key(session: Session) -> tuple[int, dt.date, str]:
    return (
        SESSION_ORDER.index(session.kind),
        session.date or dt.date.max,
        session.structure_id or "",
    )


@dataclass(frozen=True)
class CohortView:
    path: Path
    cohort: Cohort
    structures: tuple[Structure, ...] = ()
    participants: tuple[Participant, ...] = ()
    sessions: tuple[Session, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    notes: tuple[Note, ...] = ()
    tasks: tuple[PreparatoryTask, ...] = ()
    clock: tuple[ClockEvent, ...] = ()
    bilans: tuple[BilanReview, ...] = ()
    version: int = 0
    _by_id: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, store: CohortStore) -> CohortView:
        with store.locked_read():
            cohorts = store.records(Cohort)
            view = cls(
                path=store.path,
                cohort=cohorts[0] if cohorts else Cohort(name=store.path.stem),
                structures=tuple(sorted(store.records(Structure), key=lambda s: fold(s.name))),
                participants=tuple(sorted(store.records(Participant), key=lambda p: fold(p.name))),
                sessions=tuple(sorted(store.records(Session), key=session_sort_key)),
                attendance=tuple(store.records(Attendance)),
                notes=tuple(sorted(store.records(Note), key=lambda n: n.created)),
                tasks=tuple(store.records(PreparatoryTask)),
                clock=tuple(sorted(store.records(ClockEvent), key=lambda e: e.at)),
                bilans=tuple(store.records(BilanReview)),
                version=store.version,
            )
        for group in (view.structures, view.participants, view.sessions, view.notes, view.tasks):
            for record in group:
                view._by_id[record.id] = record
        return view

    @classmethod
    def newer(cls, store: CohortStore, current: CohortView | None) -> CohortView | None:
        """The store's view when the file changed since ``current`` was read (another
        process wrote, or this one saved), or when there is none yet; ``None`` while
        ``current`` is still the newest, so a poll every second costs one stat and no
        rebuild. What both apps' polls show; raises :class:`StoreError` as ``refresh``."""
        changed = store.refresh()
        if changed or current is None or current.version != store.version:
            return cls.load(store)
        return None

    def structure(self, structure_id: str | None) -> Structure | None:
        found = self._by_id.get(structure_id or "")
        return found if isinstance(found, Structure) else None

    def session(self, session_id: str | None) -> Session | None:
        found = self._by_id.get(session_id or "")
        return found if isinstance(found, Session) else None

    def participants_of(self, structure_id: str) -> list[Participant]:
        return [p for p in self.participants if p.structure_id == structure_id]

    def notes_of(self, structure_id: str) -> list[Note]:
        return [n for n in self.notes if n.structure_id == structure_id]

    def collective_sessions(self) -> list[Session]:
        return [s for s in self.sessions if s.kind != SessionKind.BILAN]

    def bilan_of(self, structure_id: str) -> Session | None:
        return next(
            (
                s
                for s in self.sessions
                if s.kind == SessionKind.BILAN and s.structure_id == structure_id
            ),
            None,
        )

    def presence(self, session_id: str, participant_id: str) -> Attendance | None:
        key = Attendance.key(session_id, participant_id)
        return next((a for a in self.attendance if a.id == key), None)

    def holding_records(self) -> set[str]:
        """The sessions in which something was recorded: a note, an attendance mark or a
        clock press. A programme proposed again never moves nor deletes them."""
        return (
            {n.session_id for n in self.notes if n.session_id}
            | {a.session_id for a in self.attendance}
            | {e.session_id for e in self.clock}
        )

    def structure_names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.structures}

    def session_title(self, session: Session, lang: str | None = None) -> str:
        return session_title(session, self.structure_names(), lang)
