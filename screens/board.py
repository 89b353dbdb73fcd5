"""The participant board (area 2): the structures, their people, and how each is doing.

A facilitator opens it before and during a session to see at a glance who came, whether
the governance was there (the guidance asks for it), what work between sessions is done,
and who has been heard least; and to fix a structure's or a participant's details in
front of the group. The matrix and the detail pane are widgets of their own
(``screens/widgets/board_matrix.py``, ``structure_detail.py``); this screen wires them
to the forms and to the store.

Every write goes through ``FacilitatorApp.save`` (a thread worker that says "saved"
once the store returned). An edit writes only the fields the person changed, as a
patch: two facilitators editing different fields of one record both keep their edit.
A structure goes with everything that belongs to it, in one atomic write, after a
question that says what that is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import arrow
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.widgets import DataTable, Static

from facilitator import actions
from facilitator.actions import (
    Removal,
    check_created,
    check_email,
    check_phone,
    check_structure_name,
    participant_removal,
    structure_removal,
)
from facilitator.domain import (
    Record,
    Role,
    Structure,
    label,
    parse_creation,
    require_name,
)
from facilitator.i18n import and_list, lazy, plural, t
from facilitator.rules import Concern, concerns
from facilitator.store import CohortStore, StoreError
from facilitator.view import CohortView
from facilitator.views.board import BoardSort, board_rows, sort_rows
from screens.base import AreaScreen
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.form import Field, FormScreen
from screens.widgets.board_matrix import COLUMN_SORTS, GOVERNANCE_MARK, LATE_MARK, BoardMatrix
from screens.widgets.structure_detail import (
    ParticipantList,
    ParticipantsSection,
    StructureDetail,
    StructureFacts,
)

WIDE = 110
"""From this width the detail pane stands beside the matrix; below it, underneath."""


# --- what the forms ask -------------------------------------------------------------------


def structure_fields(view: CohortView, today: dt.date, editing: Structure | None) -> list[Field]:
    """The structure form; a name already taken and a creation date to come are refused."""

    def unique(name: str) -> None:
        check_structure_name(view.structures, name, editing.id if editing else None)

    def not_future(day: dt.date | None) -> None:
        check_created(day, today)

    return [
        Field("name", t("board.field.name"), required=True, check=unique),
        Field(
            "created",
            t("board.field.created"),
            "date",
            placeholder=t("board.field.created_placeholder"),
            check=not_future,
            parse=parse_creation,
        ),
        Field("employer", t("board.field.employer"), "bool"),
        Field("general_interest", t("board.field.general_interest"), "bool"),
        Field("sector", t("word.sector")),
        Field("network", t("word.network")),
        Field("das", t("board.field.das"), "list", placeholder=t("board.field.das_placeholder")),
    ]


def check_name(value: str) -> None:
    require_name(value)


def _role_is_governance(role: str | None) -> bool:
    return Role(role).is_governance if role else False


def participant_fields(view: CohortView, new: bool) -> list[Field]:
    """The participant form; for a new participant the governance box follows the role."""
    return [
        Field("name", t("board.field.person"), required=True, check=check_name),
        Field(
            "structure_id",
            t("word.structure"),
            "choice",
            required=True,
            choices=[(s.name, s.id) for s in view.structures],
        ),
        Field(
            "role",
            t("word.role"),
            "choice",
            required=True,
            choices=[(label(role), role.value) for role in Role],
        ),
        Field(
            "governance",
            t("board.field.governance"),
            "bool",
            default_from=("role", _role_is_governance) if new else None,
        ),
        Field("email", t("board.field.email"), check=check_email),
        Field("phone", t("board.field.phone"), check=check_phone),
    ]


def changed_fields(record: Record, values: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from the record as the form opened on it."""
    return {name: value for name, value in values.items() if value != getattr(record, name)}


# --- what a deletion takes with it ------------------------------------------------------


def removal_question(removal: Removal, structure: bool) -> str:
    """The question asked before deleting, naming what goes with the record."""
    counts = [
        ("board.count.participants", removal.participants),
        ("board.count.attendance", removal.attendance),
        ("board.count.tasks", removal.tasks),
        ("word.note_count", removal.notes),
        ("board.count.bilans", removal.bilans),
    ]
    parts = [plural(key, count) for key, count in counts if count]
    kind = "structure" if structure else "participant"
    if not parts:
        return t(f"board.confirm.delete_{kind}_alone", name=removal.name)
    return t(f"board.confirm.delete_{kind}", name=removal.name, what=and_list(parts))


# --- the screen ---------------------------------------------------------------------------


class BoardScreen(AreaScreen):
    """Structures by sessions, the selected structure's detail, and their forms."""

    WRITE_ACTIONS = frozenset(
        ["add_participant", "add_structure", "delete", "edit", "forget", "undo_removal"]
    )

    AREA = "board"
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (WIDE, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_structure", lazy("board.key.add_structure")),
        Binding("p", "add_participant", lazy("board.key.add_participant")),
        Binding("e,enter", "edit", lazy("key.edit")),
        Binding("d,delete", "delete", lazy("key.delete")),
        Binding("o", "forget", lazy("board.key.forget"), show=False),
        Binding("u", "undo_removal", lazy("key.undo_removal"), show=False),
        Binding(
            "s", "sort", lazy("board.key.sort"), show=False
        ),  # the line above the matrix says it
        Binding("tab", "app.focus_next", lazy("board.key.next_pane"), show=False),
        Binding("shift+tab", "app.focus_previous", lazy("board.key.previous_pane"), show=False),
    ]
    # Narrow: the matrix on top, the detail (with the participants) underneath.
    # Wide: the detail beside; the participants move under the matrix, where their
    # contacts fit on one line and the space would otherwise stay empty.

    def __init__(self) -> None:
        super().__init__()
        self.sort = BoardSort.NAME
        self._view: CohortView | None = None
        self._concerns: tuple[CohortView, list[Concern]] | None = None
        self._select: str | None = None  # a structure to put the cursor on once it appears
        self._select_participant: str | None = None

    # --- drawing ------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Container(id="board-body"):
            with Vertical(id="board-left"):
                yield Static(id="board-sort", classes="board-line")
                yield BoardMatrix(id="board")
                yield Static(id="board-legend", classes="board-line")
                yield ParticipantsSection(id="board-people")
            yield StructureDetail(id="board-detail")

    @property
    def matrix(self) -> BoardMatrix:
        return self.query_one("#board", BoardMatrix)

    @property
    def detail(self) -> StructureDetail:
        return self.query_one("#board-detail", StructureDetail)

    @property
    def people(self) -> ParticipantList:
        """The participant list on show: under the matrix when wide, else in the detail."""
        where = "#board-people" if self.has_class("-wide") else "#board-detail"
        return self.query_one(f"{where} ParticipantList", ParticipantList)

    def now(self) -> arrow.Arrow:
        return self.facilitator.now()

    def today(self, view: CohortView) -> dt.date:
        return view.cohort.today(self.now())

    def _added(self, structure: Structure) -> None:
        """Put the cursor on a structure once it appears (called from the save worker)."""
        self._select = structure.id

    def show(self, view: CohortView) -> None:
        self._view = view
        rows = sort_rows(board_rows(view, self.today(view)), self.sort)
        self.matrix.show_rows(rows, self.sort, select=self._select)
        if self._select is not None and view.structure(self._select) is not None:
            self._select = None
        self.query_one("#board-sort", Static).update(
            t("board.sorted_by", sort=t(f"board.sort.{self.sort}"))
        )
        self.query_one("#board-legend", Static).update(
            t("board.legend", governance=GOVERNANCE_MARK, late=LATE_MARK)
        )
        self._show_detail()
        self.refresh_bindings()

    def _structure_concerns(self, view: CohortView, structure_id: str) -> list[Concern]:
        """The guidance's concerns about one structure (computed once per view)."""
        if self._concerns is None or self._concerns[0] is not view:
            found = concerns(
                view.cohort,
                view.structures,
                view.participants,
                view.sessions,
                today=self.today(view),
            )
            self._concerns = (view, found)
        return [f for f in self._concerns[1] if f.subject_id == structure_id]

    def _show_detail(self) -> None:
        view = self._view
        if view is None:
            return
        structure = view.structure(self.matrix.selected_id)
        wide_people = self.query_one("#board-people", ParticipantsSection)
        wide_people.set_class(structure is None, "-empty")
        if structure is None:
            self.detail.show(None)
            return
        facts = StructureFacts(
            structure=structure,
            participants=view.participants_of(structure.id),
            tasks=[task for task in view.tasks if task.structure_id == structure.id],
            concerns=self._structure_concerns(view, structure.id),
            today=self.today(view),
        )
        self.detail.show(facts, select=self._select_participant)
        wide_people.show(facts.participants, select=self._select_participant)
        if self._select_participant in {p.id for p in facts.participants}:
            self._select_participant = None

    @on(DataTable.RowHighlighted, "#board")
    def _structure_highlighted(self) -> None:
        if self.detail.shown_id != self.matrix.selected_id:
            self._show_detail()

    @on(DataTable.HeaderSelected, "#board")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column header sorts by what that column shows."""
        sort = COLUMN_SORTS.get(str(event.column_key.value))
        if sort is not None and sort != self.sort:
            self._sort_by(sort)

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit and delete need a structure: dimmed until there is one. Adding a
        participant stays live, to say why it cannot be done yet."""
        if super().check_action(action, parameters) is None:
            return None  # read-only
        if action in ("edit", "delete"):
            return True if self._view is not None and self._view.structures else None
        return True

    def action_sort(self) -> None:
        self._sort_by(self.sort.next())

    def _sort_by(self, sort: BoardSort) -> None:
        self.sort = sort
        if self._view is not None:
            self.show(self._view)

    def _participant_in_focus(self) -> str | None:
        focused = self.focused
        return focused.selected_id if isinstance(focused, ParticipantList) else None

    def action_edit(self) -> None:
        participant_id = self._participant_in_focus()
        if participant_id is not None:
            self._edit_participant(participant_id)
        elif self.matrix.selected_id is not None:
            self._edit_structure(self.matrix.selected_id)

    def action_delete(self) -> None:
        participant_id = self._participant_in_focus()
        if participant_id is not None:
            self._delete_participant(participant_id)
        elif self.matrix.selected_id is not None:
            self._delete_structure(self.matrix.selected_id)

    # --- structures ---------------------------------------------------------------------

    def action_add_structure(self) -> None:
        view = self._view
        if view is None:
            return

        def added(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.facilitator.save(
                lambda store: self._added(actions.add_structure(store, now=self.now(), **values)),
                t("board.saved.structure_added", name=values["name"]),
            )

        fields = structure_fields(view, self.today(view), None)
        defaults = {"employer": True, "general_interest": True}
        self.app.push_screen(FormScreen(t("board.form.new_structure"), fields, defaults), added)

    def _edit_structure(self, structure_id: str) -> None:
        view = self._view
        structure = view.structure(structure_id) if view is not None else None
        if view is None or structure is None:
            return

        def edited(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            changes = changed_fields(structure, values)
            if not changes:
                self.notify(t("forms.unchanged"), timeout=3)
                return
            self.facilitator.save(
                lambda store: actions.update_structure(
                    store, structure.id, now=self.now(), **changes
                ),
                t("board.saved.structure_edited", name=values["name"]),
            )

        fields = structure_fields(view, self.today(view), structure)
        values = {f.name: getattr(structure, f.name) for f in fields}
        title = t("forms.edit_title", name=structure.name)
        self.app.push_screen(FormScreen(title, fields, values), edited)

    def _delete_structure(self, structure_id: str) -> None:
        self._confirm_removal(
            structure_removal, actions.delete_structure, structure_id, structure=True
        )

    def _confirm_removal(
        self,
        plan: Callable[[CohortView, str], Removal | None],
        delete: Callable[..., Removal],
        record_id: str,
        *,
        structure: bool,
    ) -> None:
        """Ask, naming everything that goes with the record, then delete it all in one write."""
        view = self._view
        removal = plan(view, record_id) if view is not None else None
        if removal is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            done = "board.deleted.structure" if structure else "board.deleted.participant"
            self.delete_records(
                lambda store: delete(store, record_id, now=self.now()),
                t(done, name=removal.name),
            )

        question = removal_question(removal, structure=structure)
        self.app.push_screen(ConfirmScreen(question, t("key.delete")), answered)

    # --- participants -------------------------------------------------------------------

    def action_add_participant(self) -> None:
        view = self._view
        structure_id = self.matrix.selected_id
        if view is None or structure_id is None:
            self.notify(t("board.need_structure"), severity="warning")
            return
        has_director = any(p.role == Role.DIRECTOR for p in view.participants_of(structure_id))
        role = Role.OTHER if has_director else Role.DIRECTOR

        def added(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self._select = values["structure_id"]

            def write(store: CohortStore) -> None:
                person = actions.add_participant(store, now=self.now(), **values)
                self._select_participant = person.id

            self.facilitator.save(write, t("board.saved.participant_added", name=values["name"]))

        defaults = {
            "structure_id": structure_id,
            "role": role.value,
            "governance": role.is_governance,
        }
        form = FormScreen(t("board.form.new_participant"), participant_fields(view, True), defaults)
        self.app.push_screen(form, added)

    def _edit_participant(self, participant_id: str) -> None:
        view = self._view
        person = (
            next((p for p in view.participants if p.id == participant_id), None) if view else None
        )
        if view is None or person is None:
            return

        def edited(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            changes = changed_fields(person, values)
            if not changes:
                self.notify(t("forms.unchanged"), timeout=3)
                return
            self._select = values["structure_id"]
            self._select_participant = person.id
            self.facilitator.save(
                lambda store: actions.update_participant(
                    store, person.id, now=self.now(), **changes
                ),
                t("board.saved.participant_edited", name=values["name"]),
            )

        fields = participant_fields(view, False)
        values = {f.name: getattr(person, f.name) for f in fields}
        values["role"] = person.role.value
        title = t("forms.edit_title", name=person.name)
        self.app.push_screen(FormScreen(title, fields, values), edited)

    def action_forget(self) -> None:
        """Erase a participant's personal data everywhere (the right to be forgotten)."""
        participant_id = self._participant_in_focus()
        view = self._view
        person = (
            next((p for p in view.participants if p.id == participant_id), None) if view else None
        )
        if person is None:
            self.notify(t("board.forget.pick"), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._forget(person.id, person.name)

        question = t("board.forget.question", name=person.name)
        self.app.push_screen(ConfirmScreen(question, t("board.forget.yes")), answered)

    @work(thread=True, group="board-forget")
    def _forget(self, participant_id: str, name: str) -> None:
        store = self.facilitator.store
        if store is None:
            return
        try:
            report = actions.forget_participant(store, participant_id, now=self.now())
        except StoreError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=30)
            return
        done = t(
            "board.forget.done",
            name=name,
            notes=report.notes_changed,
            backups=report.backups_rewritten,
        )
        self.app.call_from_thread(self.notify, done, timeout=8)
        if report.to_reread:
            texts = " · ".join(mention.text for mention in report.to_reread[:3])
            self.app.call_from_thread(
                self.notify, t("board.forget.reread", texts=texts), severity="warning", timeout=20
            )
        self.app.call_from_thread(self.facilitator.poll_store)

    def _delete_participant(self, participant_id: str) -> None:
        self._confirm_removal(
            participant_removal, actions.delete_participant, participant_id, structure=False
        )
