"""Travaux d'intersession: what each structure prepares before the next session.

They are given at the end of a session, in the room, so adding one takes a single
form: for one structure or for all of them at once (most of the work is the same for
everyone: « compléter la grille », « chiffrer l'ambition »). By default the task is for
the session that follows this one, due a week before it, so the facilitator can
check in time and the structure is not caught the evening before. Added for all
structures, the tasks are written in one store operation: the cohort never holds
the task for half of them.

The list shows, per structure, what is already asked before that next session, with
its state, so nobody gets the same work twice and a structure with nothing to
prepare stands out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator import actions
from facilitator.domain import (
    SESSION_ORDER,
    PreparatoryTask,
    Session,
    SessionKind,
    TaskStatus,
    label,
)
from facilitator.i18n import lazy, t
from facilitator.programme import format_day
from facilitator.store import CohortStore
from facilitator.view import CohortView
from facilitator.views.attendance import expected_structures
from facilitator.views.intersession import (
    ALL_STRUCTURES,
    default_due,
    new_tasks,
    next_kind,
    session_of_kind,
    tasks_by_structure,
)
from screens.dialogs.form import Field, FormScreen
from screens.dialogs.list_dialog import ListDialog

STATUS_MARKS = {TaskStatus.TODO: "○", TaskStatus.IN_PROGRESS: "◐", TaskStatus.DONE: "✓"}
STATUS_STYLES = {TaskStatus.TODO: "", TaskStatus.IN_PROGRESS: "yellow", TaskStatus.DONE: "green"}
LATE_MARK = "!"
NEXT_STATUS = {
    TaskStatus.TODO: TaskStatus.IN_PROGRESS,
    TaskStatus.IN_PROGRESS: TaskStatus.DONE,
    TaskStatus.DONE: TaskStatus.TODO,
}
HEADING_PREFIX = "structure:"


def task_form(view: CohortView, session: Session) -> tuple[FormScreen, str | None]:
    """The form, with its defaults, and the structure it proposes (None: all)."""
    structures = expected_structures(view, session)
    form_structure = structures[0].id if session.kind == SessionKind.BILAN and structures else None
    before = next_kind(session.kind)

    def due_for(kind: str | None) -> dt.date | None:
        return default_due(view, SessionKind(kind), form_structure) if kind else None

    choices = [(s.name, s.id) for s in structures]
    if len(structures) > 1:
        choices.insert(0, (t("intersession.all_structures", count=len(structures)), ALL_STRUCTURES))
    fields = [
        Field(
            "title",
            t("intersession.field.title"),
            required=True,
            placeholder=t("intersession.field.title_hint"),
        ),
        Field(
            "structure", t("intersession.field.structure"), "choice", required=True, choices=choices
        ),
        Field(
            "before",
            t("intersession.field.before"),
            "choice",
            required=True,
            choices=[(label(k), k.value) for k in SESSION_ORDER if k != SessionKind.INTRO],
        ),
        Field("due", t("intersession.field.due"), "date", default_from=("before", due_for)),
    ]
    values = {
        "structure": form_structure or ALL_STRUCTURES,
        "before": before.value,
        "due": due_for(before.value),
    }
    return FormScreen(t("intersession.form_title"), fields, values), form_structure


def task_prompt(task: PreparatoryTask, today: dt.date) -> Table:
    """State, due date and title in columns; a long title wraps in its own column."""
    late = task.late(today)
    # Fixed widths for the state and the date, so every task's title starts in one column.
    state_width = max(len(label(status)) for status in TaskStatus) + 2
    date_width = len(dt.date(2026, 12, 31).strftime(t("format.short_date"))) + 2
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(width=state_width, no_wrap=True)
    grid.add_column(width=date_width, no_wrap=True)
    grid.add_column(ratio=1)
    state = Text(
        f"{STATUS_MARKS[task.status]} {label(task.status)}", style=STATUS_STYLES[task.status]
    )
    due = Text(
        task.due.strftime(t("format.short_date")) if task.due else "—",
        style="dim" if not late else "bold red",
    )
    if late:
        due.append(f" {LATE_MARK}", style="bold red")
    grid.add_row("", state, due, Text(task.title))
    return grid


class IntersessionScreen(ListDialog):
    """The tasks before the next session, per structure; ``n`` adds, space moves one on."""

    WRITE_ACTIONS = frozenset(["add", "cycle_status"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", lazy("key.close")),
        Binding("n,plus", "add", lazy("intersession.key.add")),
        Binding("space", "cycle_status", lazy("intersession.key.status")),
    ]
    PREFIX = "intersession"

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def make_list(self) -> OptionList:
        return OptionList(id="intersession-tasks")

    def hint(self) -> str:
        return t("intersession.hint")

    @property
    def before(self) -> SessionKind | None:
        view = self.facilitator.view
        session = view.session(self.session_id) if view else None
        return next_kind(session.kind) if session else None

    def show(self, view: CohortView) -> None:
        session = view.session(self.session_id)
        if session is None:
            return
        before = next_kind(session.kind)
        structures = expected_structures(view, session)
        upcoming = session_of_kind(
            view, before, session.structure_id if session.kind == SessionKind.BILAN else None
        )
        when = format_day(upcoming.date) if upcoming and upcoming.date else t("word.undated")
        self.query_one("#intersession-title", Static).update(
            t("intersession.title", session=label(before))
        )
        groups = tasks_by_structure(view, structures, before)
        tasks = [task for _, found in groups for task in found]
        without = sum(1 for _, found in groups if not found)
        counts = [t("intersession.summary.count", count=len(tasks))]
        counts += [
            t("intersession.summary.status", status=label(status), count=n)
            for status in TaskStatus
            if (n := sum(task.status == status for task in tasks))
        ]
        summary = t("intersession.summary.when", date=when, without=without)
        self.query_one("#intersession-summary", Static).update(summary + "\n" + " · ".join(counts))
        today = self.facilitator.now().to(view.cohort.timezone).date()
        listing = self.query_one(OptionList)
        selected = self.selected_task_id
        listing.clear_options()
        options: list[Option] = []
        for structure, found in groups:
            options.append(
                Option(
                    Text(structure.name, style="bold"),
                    id=HEADING_PREFIX + structure.id,
                    disabled=True,
                )
            )
            if not found:
                options.append(
                    Option(
                        Text("  " + t("intersession.none"), style="dim italic"),
                        id=f"{HEADING_PREFIX}{structure.id}:none",
                        disabled=True,
                    )
                )
            options.extend(Option(task_prompt(task, today), id=task.id) for task in found)
        listing.add_options(options)
        ids = [o.id for o in options]
        if selected in ids:
            listing.highlighted = ids.index(selected)
        elif listing.highlighted is None:
            listing.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    @property
    def selected_task_id(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return None if option.disabled else option.id

    def action_cycle_status(self) -> None:
        """À faire → en cours → fait: checked in the room, at the start of the next session."""
        view = self.facilitator.view
        task = (
            next((task for task in view.tasks if task.id == self.selected_task_id), None)
            if view
            else None
        )
        if task is None:
            return
        status = NEXT_STATUS[task.status]
        self.facilitator.save(
            lambda store: actions.set_task_status(
                store, task.id, status, now=self.facilitator.now()
            ),
            t("intersession.status_saved", status=label(status)),
        )

    def action_add(self) -> None:
        view = self.facilitator.view
        session = view.session(self.session_id) if view else None
        if view is None or session is None:
            return
        form, form_structure = task_form(view, session)

        def submitted(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            tasks = new_tasks(view, session, values, form_structure)
            if not tasks:
                return
            if len(tasks) == 1:
                structure = view.structure(tasks[0].structure_id)
                saved = t("intersession.added_one", structure=structure.name if structure else "")
            else:
                saved = t("intersession.added_all", count=len(tasks))

            def write(store: CohortStore) -> None:
                actions.add_tasks(store, tasks, now=self.facilitator.now())

            self.facilitator.save(write, saved)

        self.app.push_screen(form, submitted)
