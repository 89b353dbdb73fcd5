"""Every change a person makes, as one named function: the TUI and the command line call
these and nothing else.

Each action takes the store (or the workspace, to create a cohort), what the person
gave, and ``now``; it checks the input, raising ``InvalidInput`` with one sentence that
says what is wrong and what to do, and writes through the store in one durable step.
Nothing is written when a check fails. An action that must read before it writes
(a cascade, an agenda edit, a clock press) reads and writes under one hold of the
store's lock, so another facilitator's write cannot slip in between.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import arrow

from facilitator import agenda
from facilitator.agenda import Day, ItemKind, Template, template_items
from facilitator.capture import CaptureDraft
from facilitator.clock import Action
from facilitator.domain import (
    AgendaItem,
    Approach,
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
    Presence,
    Record,
    Role,
    Session,
    SessionKind,
    Structure,
    TaskStatus,
    check_timezone,
    label,
    require_name,
    require_programme_date,
)
from facilitator.i18n import number, t
from facilitator.programme import (
    Change,
    ProgrammeProposal,
    plan_programme,
    programme_templates,
    session_plan,
)
from facilitator.store import (
    CohortStore,
    Op,
    ReadOnlyStore,
    RecordGone,
    WriteFailed,
    delete_op,
    patch_op,
    put_op,
)
from facilitator.text import fold
from facilitator.view import CohortView
from facilitator.workspace import Workspace

MAX_DAYS = 100.0
"""Consultant days above this for one programme are a typo (``100`` for ``10``)."""


def _fail(key: str, field: str | None = None, **values: object) -> InvalidInput:
    return InvalidInput(f"actions.error.{key}", field, **values)


# --- checks shared with the forms -------------------------------------------------------

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[\d\s.()/-]+")


def check_email(value: str) -> str:
    """Only the shape (something@domain.tld): the address is typed, not verified."""
    value = value.strip()
    if value and not EMAIL.fullmatch(value):
        raise InvalidInput("board.error.bad_email", "email", value=value)
    return value


def check_phone(value: str) -> str:
    """Digits, spaces and the usual separators, with at least four digits."""
    value = value.strip()
    if value and (not PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 4):
        raise InvalidInput("board.error.bad_phone", "phone", value=value)
    return value


def check_days(value: float, field: str = "days") -> float:
    if not 0 <= value <= MAX_DAYS:
        raise _fail("days", field, value=number(value), max=int(MAX_DAYS))
    return float(value)


def check_structure_name(
    structures: Iterable[Structure], name: str, editing: str | None = None
) -> str:
    """A structure's name: not empty, and not one another structure already has."""
    name = require_name(name)
    if any(fold(s.name) == fold(name) and s.id != editing for s in structures):
        raise InvalidInput("board.error.duplicate_structure", "name", name=name)
    return name


def check_created(day: dt.date | None, today: dt.date) -> dt.date | None:
    """A structure's creation date, which cannot be to come."""
    if day is not None and day > today:
        raise InvalidInput(
            "board.error.created_future", "created", date=day.strftime(t("format.date"))
        )
    return day


# --- reading what an action works on ------------------------------------------------------


def cohort_of(store: CohortStore) -> Cohort:
    cohorts = store.records(Cohort)
    if not cohorts:
        raise _fail("no_cohort_record")
    return cohorts[0]


def _get(store: CohortStore, cls: type[Any], record_id: str) -> Any:
    record = store.get(cls, record_id)
    if record is None:
        raise RecordGone()
    return record


# --- the cohort ---------------------------------------------------------------------------

COHORT_SETTINGS = (
    "name",
    "approach",
    "thematic",
    "territory",
    "dlas",
    "cofinancers",
    "consultants",
    "start_date",
    "timezone",
    "archived",
)


def _check_cohort(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings as they are stored, each checked; unknown names are a programming error."""
    unknown = set(values) - set(COHORT_SETTINGS)
    if unknown:
        raise TypeError(f"not cohort settings: {sorted(unknown)}")
    out = dict(values)
    if "name" in out:
        out["name"] = require_name(out["name"])
    if "approach" in out:
        try:
            out["approach"] = Approach(out["approach"])
        except ValueError:
            choices = ", ".join(a.value for a in Approach)
            raise _fail("approach", "approach", value=out["approach"], choices=choices) from None
    for name in ("thematic", "territory"):
        if name in out:
            out[name] = " ".join(str(out[name] or "").split())
    for name in ("dlas", "cofinancers"):
        if name in out:
            out[name] = [" ".join(v.split()) for v in out[name] if v.strip()]
    if "consultants" in out:
        out["consultants"] = [_check_consultant(c) for c in out["consultants"]]
    if out.get("start_date") is not None:
        out["start_date"] = require_programme_date(out["start_date"], "start_date")
    if "timezone" in out:
        out["timezone"] = check_timezone(out["timezone"])
    return out


def _check_consultant(consultant: Consultant) -> Consultant:
    return Consultant(
        name=require_name(consultant.name, "consultant"),
        days_budgeted=check_days(consultant.days_budgeted, "days_budgeted"),
        days_spent=check_days(consultant.days_spent, "days_spent"),
    )


def create_cohort(workspace: Workspace, *, now: arrow.Arrow, **settings: Any) -> CohortStore:
    """A new cohort file in the workspace, with its settings (``name`` at least)."""
    if "name" not in settings:
        raise InvalidInput("domain.error.empty_name", "name")
    cohort = Cohort(**_check_cohort(settings))
    return workspace.create([cohort])


def update_cohort(store: CohortStore, *, now: arrow.Arrow, **changes: Any) -> Cohort:
    """Change some of the cohort's settings; the others stay as they are."""
    checked = _check_cohort(changes)
    with store.locked_read():
        cohort = cohort_of(store)
        if checked:
            store.patch(Cohort, cohort.id, checked)
        return dataclasses.replace(cohort, **checked)


def set_consultant(
    store: CohortStore,
    *,
    now: arrow.Arrow,
    name: str | None = None,
    days_budgeted: float | None = None,
    days_spent: float | None = None,
    **changes: Any,
) -> Cohort:
    """Add a consultant or change their days: by ``name``, or the only one without it.

    Other settings (``changes``, as :func:`update_cohort` takes them) go in the same
    write, so a command that changes both changes nothing when either is refused."""
    with store.locked_read():
        cohort = cohort_of(store)
        consultants = list(cohort.consultants)
        if name is None:
            if len(consultants) != 1:
                raise _fail("which_consultant", "consultant", count=len(consultants))
            index = 0
        else:
            name = require_name(name, "consultant")
            index = next(
                (i for i, c in enumerate(consultants) if fold(c.name) == fold(name)),
                len(consultants),
            )
            if index == len(consultants):
                consultants.append(Consultant(name=name))
        current = consultants[index]
        consultants[index] = Consultant(
            name=current.name,  # found by its folded name: kept as first written
            days_budgeted=current.days_budgeted if days_budgeted is None else days_budgeted,
            days_spent=current.days_spent if days_spent is None else days_spent,
        )
        return update_cohort(store, now=now, consultants=consultants, **changes)


# --- structures -----------------------------------------------------------------------------

STRUCTURE_FIELDS = ("name", "created", "employer", "general_interest", "sector", "network", "das")


def _check_structure(
    store: CohortStore, values: Mapping[str, Any], now: arrow.Arrow, editing: str | None
) -> dict[str, Any]:
    unknown = set(values) - set(STRUCTURE_FIELDS)
    if unknown:
        raise TypeError(f"not structure fields: {sorted(unknown)}")
    out = dict(values)
    if "name" in out:
        out["name"] = check_structure_name(store.records(Structure), out["name"], editing)
    if "created" in out:
        out["created"] = check_created(out["created"], cohort_of(store).today(now))
    for name in ("sector", "network"):
        if name in out:
            out[name] = " ".join(str(out[name] or "").split())
    if "das" in out:
        out["das"] = [" ".join(d.split()) for d in out["das"] if d.strip()]
    return out


def add_structure(store: CohortStore, *, now: arrow.Arrow, **values: Any) -> Structure:
    """An association joins the cohort (``name`` at least), and gets its slot in the round
    tables of the collective sessions whose clock has not started."""
    with store.locked_read():
        structure = Structure(**_check_structure(store, {"name": "", **values}, now, None))
        view = CohortView.load(store)
        ops = [put_op(structure)]
        for session in _open_agendas(view):
            items = agenda.with_slot_for(session.agenda, structure.id)
            if items != session.agenda:
                ops.append(patch_op(Session, session.id, {"agenda": items}))
        store.apply(ops)
    return structure


def _open_agendas(view: CohortView) -> list[Session]:
    """The collective sessions with an agenda of their own and no clock press yet: the
    ones whose round tables follow the cohort's structures."""
    pressed = {e.session_id for e in view.clock}
    return [s for s in view.collective_sessions() if s.agenda and s.id not in pressed]


def update_structure(
    store: CohortStore, structure_id: str, *, now: arrow.Arrow, **changes: Any
) -> Structure:
    """Change some fields of a structure (only those given are written)."""
    with store.locked_read():
        structure: Structure = _get(store, Structure, structure_id)
        checked = _check_structure(store, changes, now, structure_id)
        if checked:
            store.patch(Structure, structure_id, checked)
    return dataclasses.replace(structure, **checked)


@dataclass(frozen=True)
class Removal:
    """A record and everything that goes with it, as one write and as counts to ask about."""

    name: str
    ops: tuple[Op, ...] = ()
    restore: tuple[Op, ...] = ()  # the write that undoes it: the records and fields as they were
    participants: int = 0
    attendance: int = 0
    tasks: int = 0
    notes: int = 0
    bilans: int = 0
    clock: int = 0
    kept_notes: int = 0  # notes kept, no longer attached (a session's)


def _deletes(records: Iterable[Record]) -> list[Op]:
    return [delete_op(type(r), r.id) for r in records]


def _removal(
    name: str,
    records: Sequence[Record],
    patches: Sequence[tuple[Record, dict[str, Any]]] = (),
    **counts: int,
) -> Removal:
    """Delete ``records`` and apply ``patches`` in one write, and keep what undoes it:
    the records whole, the patched fields as they were."""
    undo_patches = [
        patch_op(type(r), r.id, {name: getattr(r, name) for name in fields})
        for r, fields in patches
    ]
    return Removal(
        name=name,
        ops=(*(patch_op(type(r), r.id, fields) for r, fields in patches), *_deletes(records)),
        restore=(*(put_op(r) for r in records), *undo_patches),
        **counts,
    )


def structure_removal(view: CohortView, structure_id: str) -> Removal | None:
    """A structure with its participants and their attendance, its tasks, its notes, and
    its own bilan session (with that session's clock and compte rendu), which mean
    nothing without it."""
    structure = view.structure(structure_id)
    if structure is None:
        return None
    people = view.participants_of(structure_id)
    ids = {p.id for p in people}
    bilans = [
        s for s in view.sessions if s.kind == SessionKind.BILAN and s.structure_id == structure_id
    ]
    bilan_ids = {s.id for s in bilans}
    marks = [a for a in view.attendance if a.participant_id in ids or a.session_id in bilan_ids]
    tasks = [task for task in view.tasks if task.structure_id == structure_id]
    notes = view.notes_of(structure_id)
    clock = [e for e in view.clock if e.session_id in bilan_ids]
    slots: list[tuple[Record, dict[str, Any]]] = []
    for session in _open_agendas(view):
        kept = agenda.without_slots_of(session.agenda, structure_id)
        if kept != session.agenda:
            slots.append((session, {"agenda": kept}))
    reviews = [r for r in view.bilans if r.structure_id == structure_id]
    group: Sequence[Sequence[Record]] = (
        marks,
        people,
        tasks,
        notes,
        clock,
        reviews,
        bilans,
        [structure],
    )
    return _removal(
        structure.name,
        [record for records in group for record in records],
        slots,
        participants=len(people),
        attendance=len(marks),
        tasks=len(tasks),
        notes=len(notes),
        bilans=len(bilans),
        clock=len(clock),
    )


def participant_removal(view: CohortView, participant_id: str) -> Removal | None:
    """A participant with their attendance marks."""
    person = next((p for p in view.participants if p.id == participant_id), None)
    if person is None:
        return None
    marks = [a for a in view.attendance if a.participant_id == participant_id]
    return _removal(person.name, [*marks, person], attendance=len(marks))


def session_removal(view: CohortView, session_id: str) -> Removal | None:
    """A session with its attendance, its clock presses and (a bilan) its compte rendu.
    Its notes are kept: they stay in each structure's thread, no longer attached to it."""
    session = view.session(session_id)
    if session is None:
        return None
    marks = [a for a in view.attendance if a.session_id == session_id]
    clock = [e for e in view.clock if e.session_id == session_id]
    reviews = [r for r in view.bilans if r.session_id == session_id]
    notes = [n for n in view.notes if n.session_id == session_id]
    return _removal(
        view.session_title(session),
        [*marks, *clock, *reviews, session],
        [(note, {"session_id": None}) for note in notes],
        attendance=len(marks),
        clock=len(clock),
        bilans=len(reviews),
        kept_notes=len(notes),
    )


def _remove(
    store: CohortStore, plan: Callable[[CohortView, str], Removal | None], record_id: str
) -> Removal:
    """Count again from the store as it is now, under its lock: what another facilitator
    added since the question was asked goes too, rather than being orphaned."""
    with store.locked_read():
        removal = plan(CohortView.load(store), record_id)
        if removal is None:
            raise RecordGone()
        try:
            # A mistaken deletion can be undone here, and from a backup afterwards.
            store.backup()
        except OSError as error:
            raise WriteFailed(store.backup_dir, error) from error
        store.apply(removal.ops)
    return removal


def undo_removal(store: CohortStore, removal: Removal, *, now: arrow.Arrow) -> None:
    """Put back what a deletion took, as it was: the records whole, the fields it changed
    (a session's notes attached again, a structure's turns in the agendas). A field of a
    record deleted since is left; a record whose structure, session or participant has
    gone since is not put back into a cohort that no longer has them."""
    with store.locked_read():
        view = CohortView.load(store)
        coming = {op["d"]["id"] for op in removal.restore if op["o"] == "put"}
        present = coming | {r.id for r in (*view.structures, *view.sessions, *view.participants)}
        for op in removal.restore:
            links = (
                op.get("d", {}).get(k) for k in ("structure_id", "session_id", "participant_id")
            )
            if op["o"] == "put" and any(link and link not in present for link in links):
                raise InvalidInput("actions.error.undo_gone", name=removal.name)
        ids = {op["t"]: {doc["id"] for doc in store.docs(op["t"])} for op in removal.restore}
        ops = [op for op in removal.restore if op["o"] == "put" or op["i"] in ids[op["t"]]]
        store.apply(ops)


def delete_structure(store: CohortStore, structure_id: str, *, now: arrow.Arrow) -> Removal:
    return _remove(store, structure_removal, structure_id)


def delete_participant(store: CohortStore, participant_id: str, *, now: arrow.Arrow) -> Removal:
    return _remove(store, participant_removal, participant_id)


def delete_session(store: CohortStore, session_id: str, *, now: arrow.Arrow) -> Removal:
    return _remove(store, session_removal, session_id)


# --- participants ---------------------------------------------------------------------------

PARTICIPANT_FIELDS = ("name", "structure_id", "role", "governance", "email", "phone")


def _check_participant(store: CohortStore, values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"not participant fields: {sorted(unknown)}")
    out = dict(values)
    if "name" in out:
        out["name"] = require_name(out["name"])
    if "structure_id" in out and store.get(Structure, out["structure_id"] or "") is None:
        raise _fail("no_structure", "structure_id")
    if "role" in out:
        try:
            out["role"] = Role(out["role"])
        except ValueError:
            choices = ", ".join(r.value for r in Role)
            raise _fail("role", "role", value=out["role"], choices=choices) from None
    if "email" in out:
        out["email"] = check_email(out["email"] or "")
    if "phone" in out:
        out["phone"] = check_phone(out["phone"] or "")
    return out


def add_participant(
    store: CohortStore,
    *,
    now: arrow.Arrow,
    name: str,
    structure_id: str,
    role: Role | str = Role.OTHER,
    governance: bool | None = None,
    email: str = "",
    phone: str = "",
) -> Participant:
    """A person of a structure joins; ``governance`` defaults to what the role says."""
    with store.locked_read():
        values = _check_participant(
            store,
            {
                "name": name,
                "structure_id": structure_id,
                "role": role,
                "email": email,
                "phone": phone,
            },
        )
        if governance is None:
            governance = values["role"].is_governance
        person = Participant(**values, governance=governance)
        store.put(person)
    return person


def update_participant(
    store: CohortStore, participant_id: str, *, now: arrow.Arrow, **changes: Any
) -> Participant:
    with store.locked_read():
        person: Participant = _get(store, Participant, participant_id)
        checked = _check_participant(store, changes)
        if checked:
            store.patch(Participant, participant_id, checked)
    return dataclasses.replace(person, **checked)


def forget_participant(store: CohortStore, participant_id: str, *, now: arrow.Arrow) -> Any:
    """Erase a person's personal data everywhere, backups included (see ``privacy``)."""
    from facilitator.privacy import forget

    return forget(store, participant_id)


# --- sessions -------------------------------------------------------------------------------

SESSION_FIELDS = ("date", "start_time", "end_time", "place")


def _structures_for(view: CohortView, kind: SessionKind, structure_id: str | None) -> list[Any]:
    if kind == SessionKind.BILAN:
        return [s for s in view.structures if s.id == structure_id]
    return list(view.structures)


def add_session(
    store: CohortStore,
    *,
    now: arrow.Arrow,
    kind: SessionKind | str,
    date: dt.date,
    structure_id: str | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    template: str | None = None,
) -> Session:
    """A session laid out from a template (the kind's default unless named): a bilan
    belongs to one structure, which may have only one; a collective session to none."""
    with store.locked_read():
        session = new_session(
            CohortView.load(store),
            kind=kind,
            date=date,
            structure_id=structure_id,
            start_time=start_time,
            end_time=end_time,
            place=place,
            template=template,
        )
        store.put(session)
    return session


def new_session(
    view: CohortView,
    *,
    kind: SessionKind | str,
    date: dt.date,
    structure_id: str | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    template: str | None = None,
) -> Session:
    """The session :func:`add_session` writes, checked against ``view``; writes nothing,
    so a form can show the sentence next to its field before anything is saved."""
    kind = SessionKind(kind)
    require_programme_date(date)
    chosen = _template(view.path.parent, template) if template else agenda.default_template(kind)
    if chosen.session != kind:
        raise InvalidInput(
            "programme.error.template_kind", "template", value=chosen.name, kind=label(kind)
        )
    if kind == SessionKind.BILAN:
        structure = view.structure(structure_id)
        if structure is None:
            raise _fail("bilan_needs_structure", "structure_id")
        if view.bilan_of(structure.id) is not None:
            raise _fail("bilan_exists", "structure_id", name=structure.name)
    elif structure_id is not None:
        raise _fail("collective_has_no_structure", "structure_id")
    start = start_time or chosen.start
    end = end_time if end_time is not None else chosen.end
    if end_time is None and chosen.end is not None and chosen.end <= start:
        end = None  # the template's end of day no longer means anything this late
    _check_hours(start, end)
    items = agenda.instantiate(chosen, _structures_for(view, kind, structure_id))
    agenda.check_agenda(Day([], start, end), Day(items, start, end), view.structure_names())
    return Session(
        kind=kind,
        date=date,
        start_time=start,
        end_time=end,
        place=" ".join(place.split()),
        structure_id=structure_id,
        template=chosen.name,
        agenda=items,
    )


def _check_hours(start: dt.time | None, end: dt.time | None) -> None:
    if start is not None and end is not None and end <= start:
        raise _fail(
            "ends_before_start",
            "end_time",
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        )


def update_session(
    store: CohortStore, session_id: str, *, now: arrow.Arrow, **changes: Any
) -> Session:
    """Move a session (date, start, end) or say where it takes place (a room, a video
    link). Its agenda must still fit: the new hours are refused if it would run past
    the end of its day."""
    with store.locked_read():
        after = updated_session(CohortView.load(store), session_id, **changes)
        if changes:
            store.patch(Session, session_id, {name: getattr(after, name) for name in changes})
    return after


def updated_session(view: CohortView, session_id: str, **changes: Any) -> Session:
    """The session as :func:`update_session` leaves it, checked against ``view``;
    writes nothing (a form checks the hours and the agenda with it before saving)."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"not session fields: {sorted(unknown)}")
    checked = dict(changes)
    if checked.get("date") is not None:
        require_programme_date(checked["date"])
    if "place" in checked:
        checked["place"] = " ".join(str(checked["place"] or "").split())
    session = view.session(session_id)
    if session is None:
        raise RecordGone()
    plan = session_plan(session, view.structures)
    after = dataclasses.replace(session, **checked)
    start = after.start_time or plan.start
    end = after.end_time if "end_time" in checked else plan.end
    _check_hours(start, end)
    agenda.check_agenda(
        Day(plan.items, plan.start, plan.end),
        Day(plan.items, start, end),
        view.structure_names(),
    )
    return after


# --- a session's agenda ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEdit:
    """A session's agenda and hours before and after one edit: ``before`` (with the
    template it was laid out from) is what :func:`undo_agenda_edit` puts back."""

    before: Day
    after: Day
    template_before: str = ""


def _edit_agenda(
    store: CohortStore,
    session_id: str,
    edit: Callable[[list[AgendaItem], CohortView, Session], list[AgendaItem]],
    template: Template | None = None,
) -> AgendaEdit:
    """Apply ``edit`` to the session's agenda as it stands on disk, check the result and
    save it, under one hold of the lock.

    An agenda is edited before its clock starts: the clock counts items by position,
    so once it runs the agenda changes only through a re-plan. A session laid out from
    its template without an agenda of its own gets one now, with the template's hours;
    with ``template``, the session is laid out from it and takes its hours.
    """
    with store.locked_read():
        view = CohortView.load(store)
        session = view.session(session_id)
        if session is None:
            raise RecordGone()
        if any(e.session_id == session_id for e in view.clock):
            raise _fail("clock_started", "agenda")
        plan = session_plan(session, view.structures)
        before = list(plan.items)
        after = edit(before, view, session)
        laid_out = template or plan.stand_in
        day = (
            Day(after, template.start, template.end)
            if template
            else Day(after, plan.start, plan.end)
        )
        agenda.check_agenda(Day(before, plan.start, plan.end), day, view.structure_names())
        fields: dict[str, Any] = {"agenda": after}
        if laid_out is not None:
            fields.update(start_time=day.start, end_time=day.end, template=laid_out.name)
        store.patch(Session, session_id, fields)
    return AgendaEdit(
        Day(tuple(before), plan.start, plan.end),
        Day(tuple(after), day.start, day.end),
        session.template,
    )


def _position(index: int, count: int) -> int:
    if not 0 <= index < count:
        raise InvalidInput("agenda.error.bad_position", "position", value=index + 1, count=count)
    return index


def add_agenda_item(
    store: CohortStore,
    session_id: str,
    *,
    now: arrow.Arrow,
    title: str = "",
    key: str = "",
    minutes: int | None = None,
    at: int | None = None,
    kind: ItemKind = ItemKind.PLENARY,
) -> AgendaEdit:
    """Add an item at position ``at`` (0 is first; None: last): one of the template's
    items by ``key`` (a round table gives one slot per structure), or the facilitator's
    own by ``title``. ``minutes`` defaults to the template's for a template item."""

    def edit(items: list[AgendaItem], view: CohortView, session: Session) -> list[AgendaItem]:
        where = len(items) if at is None else at
        if not 0 <= where <= len(items):
            raise InvalidInput(
                "agenda.error.bad_position", "position", value=where + 1, count=len(items) + 1
            )
        if key:
            offered = {i.key: i for i in template_items(session.kind)}
            if key not in offered:
                raise _fail("unknown_item", "key", value=key)
            item = offered[key]
            if minutes is not None:
                item = dataclasses.replace(item, minutes=agenda.check_minutes(minutes))
            new = agenda.from_template_item(
                item, _structures_for(view, session.kind, session.structure_id)
            )
        else:
            if minutes is None:
                raise InvalidInput("domain.error.no_duration", "minutes", value=0)
            new = [agenda.free_item(title, minutes, kind)]
        return [*items[:where], *new, *items[where:]]

    return _edit_agenda(store, session_id, edit)


def remove_agenda_item(
    store: CohortStore, session_id: str, index: int, *, now: arrow.Arrow
) -> AgendaEdit:
    return _edit_agenda(store, session_id, lambda items, _v, _s: agenda.delete(items, index))


def move_agenda_item(
    store: CohortStore, session_id: str, index: int, to: int, *, now: arrow.Arrow
) -> AgendaEdit:
    return _edit_agenda(store, session_id, lambda items, _v, _s: agenda.move(items, index, to))


def resize_agenda_item(
    store: CohortStore, session_id: str, index: int, minutes: int, *, now: arrow.Arrow
) -> AgendaEdit:
    return _edit_agenda(
        store, session_id, lambda items, _v, _s: agenda.resize(items, index, minutes)
    )


def rename_agenda_item(
    store: CohortStore, session_id: str, index: int, title: str, *, now: arrow.Arrow
) -> AgendaEdit:
    return _edit_agenda(store, session_id, lambda items, _v, _s: agenda.rename(items, index, title))


def pin_agenda_item(
    store: CohortStore, session_id: str, index: int, time: dt.time | None, *, now: arrow.Arrow
) -> AgendaEdit:
    """Fix an item's start at ``time`` (lunch at 12:30), or free it with ``None``."""
    return _edit_agenda(store, session_id, lambda items, _v, _s: agenda.pin(items, index, time))


def set_round_table(
    store: CohortStore, session_id: str, index: int, on: bool, *, now: arrow.Arrow
) -> AgendaEdit:
    """Make an item a round table with one slot per structure, or fold it back."""

    def edit(items: list[AgendaItem], view: CohortView, session: Session) -> list[AgendaItem]:
        owners = _structures_for(view, session.kind, session.structure_id)
        return agenda.set_round_table(items, index, owners, on)

    return _edit_agenda(store, session_id, edit)


def undo_agenda_edit(
    store: CohortStore, session_id: str, edit: AgendaEdit, *, now: arrow.Arrow
) -> AgendaEdit:
    """Put back the agenda and hours an edit replaced; the undo can itself be undone."""
    with store.locked_read():
        view = CohortView.load(store)
        session = view.session(session_id)
        if session is None:
            raise RecordGone()
        if any(e.session_id == session_id for e in view.clock):
            raise _fail("clock_started", "agenda")
        plan = session_plan(session, view.structures)
        before = edit.before
        store.patch(
            Session,
            session_id,
            {
                "agenda": list(before.items),
                "start_time": before.start,
                "end_time": before.end,
                "template": edit.template_before,
            },
        )
    return AgendaEdit(Day(plan.items, plan.start, plan.end), before, session.template)


def template_choices(store: CohortStore, kind: SessionKind) -> list[Template]:
    """The templates a session of ``kind`` can be laid out from: the shipped ones (the
    default first), then those the workspace's facilitators saved."""
    return [*agenda.templates(kind), *agenda.own_templates(store.path.parent, kind)]


def _template(root: Path, name: str) -> Template:
    """A template by name: a shipped one, or one of the workspace at ``root``."""
    if name.startswith(agenda.OWN_PREFIX):
        for own in agenda.own_templates(root):
            if own.name == name:
                return own
        raise InvalidInput("agenda.error.unknown_template", "template", value=name)
    return agenda.load_template(name)


def save_agenda_as_template(
    store: CohortStore, session_id: str, name: str, *, now: arrow.Arrow
) -> Template:
    """« Enregistrer comme modèle »: the session's agenda and hours as a template of the
    workspace, offered to the sessions of that kind in every cohort of it. A name
    already taken (or a file of that name, even unreadable) is refused, never replaced."""
    from facilitator.files import ensure_dir, write_atomic

    if store.read_only:
        raise ReadOnlyStore()
    view = CohortView.load(store)
    session = view.session(session_id)
    if session is None:
        raise RecordGone()
    plan = session_plan(session, view.structures)
    template = agenda.template_from_agenda(
        name, session.kind, Day(plan.items, plan.start, plan.end)
    )
    folder = agenda.own_templates_dir(store.path.parent)
    ensure_dir(folder, store.modes)
    payload = json.dumps(agenda.template_doc(template), ensure_ascii=False, indent=1)
    try:
        write_atomic(
            folder / f"{template.name}.json", payload.encode("utf-8"), store.modes, replace=False
        )
    except FileExistsError:
        raise InvalidInput("agenda.error.template_taken", "name", name=template.own_name) from None
    return template


def change_template(
    store: CohortStore, session_id: str, template: str, *, now: arrow.Arrow
) -> AgendaEdit:
    """Lay the session's agenda out again from another template of its kind (shipped or
    the workspace's), with that template's hours. The agenda it replaces is what undo
    puts back."""
    chosen = _template(store.path.parent, template)

    def edit(_items: list[AgendaItem], view: CohortView, session: Session) -> list[AgendaItem]:
        if chosen.session != session.kind:
            raise InvalidInput(
                "programme.error.template_kind",
                "template",
                value=template,
                kind=label(session.kind),
            )
        return agenda.instantiate(chosen, _structures_for(view, session.kind, session.structure_id))

    return _edit_agenda(store, session_id, edit, chosen)


# --- the programme ----------------------------------------------------------------------------


def propose(
    store: CohortStore,
    *,
    now: arrow.Arrow,
    start: dt.date | None = None,
    intro: str = "court",
    collective: str = "demi-journee",
    redate: bool = False,
) -> ProgrammeProposal:
    """The programme the cohort would have, from ``start`` (the cohort's start date, else
    today), without writing anything: what the facilitator looks at before applying."""
    view = CohortView.load(store)
    return _proposal(view, now, start, intro, collective, redate)


def _proposal(
    view: CohortView,
    now: arrow.Arrow,
    start: dt.date | None,
    intro: str,
    collective: str,
    redate: bool,
) -> ProgrammeProposal:
    templates = programme_templates(intro, collective)
    today = view.cohort.today(now)
    first = require_programme_date(start or view.cohort.start_date or today, "start")
    return plan_programme(
        view.cohort,
        view.structures,
        view.participants,
        view.sessions,
        start=first,
        templates=templates,
        holding_records=view.holding_records(),
        redate=redate,
        today=today,
    )


def apply_programme(
    store: CohortStore,
    *,
    now: arrow.Arrow,
    start: dt.date | None = None,
    intro: str = "court",
    collective: str = "demi-journee",
    redate: bool = False,
) -> ProgrammeProposal:
    """Write the proposed programme: the sessions the cohort lacks are added, and the
    others keep their dates; with ``redate`` those with nothing recorded are moved to
    their proposed date, while sessions holding notes, attendance or clock presses stay
    as they are. Nothing is deleted. The proposal is worked out again under the lock, so
    a note taken meanwhile keeps its session where it is. The programme's start becomes
    the cohort's when it had none, or when every date is proposed again."""
    with store.locked_read():
        view = CohortView.load(store)
        proposal = _proposal(view, now, start, intro, collective, redate)
        ops: list[Op] = []
        for proposed in proposal.changes:
            if proposed.change is Change.NEW:
                ops.append(put_op(proposed.session))
            else:
                fields = {
                    name: getattr(proposed.session, name)
                    for name in ("date", "start_time", "end_time", "template", "agenda")
                }
                ops.append(patch_op(Session, proposed.session.id, fields))
        if view.cohort.start_date != proposal.start and (redate or not view.cohort.start_date):
            ops.append(patch_op(Cohort, view.cohort.id, {"start_date": proposal.start}))
        store.apply(ops)
    return proposal


# --- the person's choices ---------------------------------------------------------------------


def remember_theme(workspace: Workspace, theme: str) -> None:
    """The colours chosen in the palette, kept for the next run on this workspace."""
    workspace.remember("theme", theme)


# --- the clock --------------------------------------------------------------------------------


def press_clock(
    store: CohortStore,
    session_id: str,
    action: Action | str,
    *,
    now: arrow.Arrow,
    minutes: int = 0,
    item: int | None = None,
) -> ClockEvent:
    """Record one press of the session's clock (start, pause, next...), checked against
    the clock as the store has it now. The first press keeps the agenda the clock runs
    on as the session's own, since the clock counts items by position."""
    from facilitator.clock import make_event
    from facilitator.live import live_session

    with store.locked_read():
        view = CohortView.load(store)
        session = view.session(session_id)
        if session is None:
            raise RecordGone()
        live = live_session(view, session, now)
        event = make_event(
            live.state, session_id, Action(action).value, now, minutes=minutes, item=item
        )
        ops = [put_op(event)]
        plan = live.plan
        if plan.stand_in is not None:
            fields = {"agenda": list(plan.items), "start_time": plan.start, "end_time": plan.end}
            ops.append(patch_op(Session, session_id, fields))
        store.apply(ops)
    return event


def reset_clock(store: CohortStore, session_id: str, *, now: arrow.Arrow) -> int:
    """Erase the presses of a session's clock (started by mistake, or a rehearsal): it is
    as before the first press, its notes and attendance stay, and its agenda can be
    edited again. The number of presses erased is returned."""
    with store.locked_read():
        _get(store, Session, session_id)
        presses = [e for e in store.records(ClockEvent) if e.session_id == session_id]
        store.apply(_deletes(presses))
    return len(presses)


def apply_replan(
    store: CohortStore, session_id: str, items: Sequence[AgendaItem], *, now: arrow.Arrow
) -> None:
    """Keep a re-planned agenda (the rest of the day squeezed to fit) while the clock runs."""
    with store.locked_read():
        view = CohortView.load(store)
        session = view.session(session_id)
        if session is None:
            raise RecordGone()
        plan = session_plan(session, view.structures)
        fields = {"agenda": list(items), "start_time": plan.start, "end_time": plan.end}
        store.patch(Session, session_id, fields)


# --- attendance -------------------------------------------------------------------------------


def mark_attendance(
    store: CohortStore,
    session_id: str,
    marks: Mapping[str, Presence | None],
    *,
    now: arrow.Arrow,
) -> None:
    """Mark who came (``None`` erases a mark), in one write. A mark's id is the pair's, so
    two facilitators marking different people never touch the same record."""
    ops: list[Op] = []
    for participant_id, presence in marks.items():
        key = Attendance.key(session_id, participant_id)
        if presence is None:
            ops.append(delete_op(Attendance, key))
        else:
            record = Attendance(
                id=key, session_id=session_id, participant_id=participant_id, presence=presence
            )
            ops.append(put_op(record))
    store.apply(ops)


# --- notes ------------------------------------------------------------------------------------


def capture_note(
    store: CohortStore,
    draft: CaptureDraft,
    *,
    now: arrow.Arrow,
    session_id: str | None = None,
    author: str = "",
) -> Note:
    """A note as it was said: the parsed capture line, in a session (or none)."""
    note = draft.to_note(session_id=session_id, author=author, created=now)
    store.put(note)
    return note


NOTE_FIELDS = ("text", "kind", "structure_id", "lever", "das")


class NoteChanged(InvalidInput):
    """The note was changed elsewhere since the form opened: both texts are said, and the
    note as it is now comes with it, so the person's own version is not lost."""

    def __init__(self, current: Note, typed: str) -> None:
        super().__init__("actions.error.note_changed", "text", theirs=current.text, yours=typed)
        self.current = current


def note_values(note: Note) -> dict[str, Any]:
    """A note's editable fields, as the edit form shows them."""
    return {
        "text": note.text,
        "kind": note.kind.value,
        "structure_id": note.structure_id,
        "lever": note.lever.value if note.lever else None,
        "das": note.das,
    }


def edit_note(
    store: CohortStore,
    note_id: str,
    *,
    now: arrow.Arrow,
    expected: Mapping[str, Any] | None = None,
    **changes: Any,
) -> Note:
    """Change some fields of a note. With ``expected`` (the fields as the form showed
    them), a note another screen changed meanwhile is not overwritten: ``NoteChanged``."""
    unknown = set(changes) - set(NOTE_FIELDS)
    if unknown:
        raise TypeError(f"not note fields: {sorted(unknown)}")
    if "text" in changes:
        changes["text"] = " ".join(str(changes["text"]).split())
        if not changes["text"]:
            raise InvalidInput("capture.error.empty", "text")
    if "kind" in changes:
        changes["kind"] = NoteKind(changes["kind"])
    if "lever" in changes:
        changes["lever"] = Lever(changes["lever"]) if changes["lever"] else None
    with store.locked_read():
        note: Note = _get(store, Note, note_id)
        current = note_values(note)
        if expected is not None and any(current[k] != v for k, v in expected.items()):
            raise NoteChanged(note, str(changes.get("text", note.text)))
        if changes:
            store.patch(Note, note_id, {**changes, "edited": now})
    return dataclasses.replace(note, **changes, edited=now)


def delete_note(store: CohortStore, note_id: str, *, now: arrow.Arrow) -> Note:
    """Delete a note; it is returned so the screen can give it back (undo)."""
    with store.locked_read():
        note: Note = _get(store, Note, note_id)
        store.delete(Note, note_id)
    return note


def restore_note(store: CohortStore, note: Note, *, now: arrow.Arrow) -> None:
    store.put(note)


# --- travaux d'intersession -------------------------------------------------------------------


def add_tasks(store: CohortStore, tasks: Sequence[PreparatoryTask], *, now: arrow.Arrow) -> None:
    for task in tasks:
        require_name(task.title, "title")
    store.apply([put_op(task) for task in tasks])


def set_task_status(
    store: CohortStore, task_id: str, status: TaskStatus, *, now: arrow.Arrow
) -> None:
    _get(store, PreparatoryTask, task_id)
    store.patch(PreparatoryTask, task_id, {"status": status})


# --- the bilan's compte rendu -----------------------------------------------------------------


@dataclass(frozen=True)
class ReviewChanges:
    """What the person changed in the compte rendu form: fields, and ratings by question
    (``None`` clears a rating)."""

    fields: dict[str, Any] = field(default_factory=dict)
    ratings: dict[str, int | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields or self.ratings)


def merged_ratings(current: Mapping[str, int], changes: Mapping[str, int | None]) -> dict[str, int]:
    ratings = dict(current)
    for key, value in changes.items():
        if value is None:
            ratings.pop(key, None)
        else:
            ratings[key] = value
    return ratings


def save_bilan_review(
    store: CohortStore, bilan_id: str, changes: ReviewChanges, *, now: arrow.Arrow
) -> None:
    """Write ``changes`` to the compte rendu of a bilan (its id is the bilan's id).

    The first save creates the record; later ones patch only the changed fields, and
    ratings are merged under the lock, so two terminals saving at once keep both.
    """
    with store.locked_read():
        bilan: Session = _get(store, Session, bilan_id)
        if bilan.structure_id is None:
            raise _fail("bilan_needs_structure", "structure_id")
        current = store.get(BilanReview, bilan.id)
        if current is None:
            store.put(
                BilanReview(
                    id=bilan.id,
                    session_id=bilan.id,
                    structure_id=bilan.structure_id,
                    ratings=merged_ratings({}, changes.ratings),
                    **changes.fields,
                )
            )
            return
        patch = dict(changes.fields)
        if changes.ratings:
            patch["ratings"] = merged_ratings(current.ratings, changes.ratings)
        if patch:
            store.patch(BilanReview, bilan.id, patch)


# --- recovery ---------------------------------------------------------------------------------


def restore_backup(store: CohortStore, backup: Any, *, now: arrow.Arrow) -> Any:
    """Bring a backup back; the current state is kept as a backup first (its path returned)."""
    return store.restore(backup)
