"""Travaux préparatoires to follow up, grouped (late, due soon), one structure per row.

The widget draws what it is given, in words already: the caller decides which tasks
matter (the dashboard: late and due within three weeks; a structure's page: its own).
A row leads with when the task is due, because that is what decides whom to call
first, then the structure and where the task stands; the task's title, often a long
sentence, wraps on the lines below. The due dates are padded to one width so the
names line up like a table column.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from facilitator.views.dashboard import TaskRow, TaskSection
from screens.widgets.bullet import Bullet

LATE_MARK = "!"
DUE_MARK = "○"


class TaskList(VerticalGroup):
    """Sections of tasks, then a one-line ``note`` (what is not listed), or ``empty``."""

    DEFAULT_CSS = """
    TaskList {
        height: auto;
    }
    TaskList > .tasks--section {
        height: auto;
        margin-bottom: 1;
    }
    TaskList > .tasks--section > .tasks--heading {
        text-style: bold;
    }
    TaskList > .tasks--section.-late > .tasks--heading {
        color: $text-error;
    }
    TaskList > .tasks--section.-late > Bullet > .bullet--mark {
        color: $text-error;
        text-style: bold;
    }
    TaskList > .tasks--note, TaskList > .tasks--empty {
        color: $text-muted;
    }
    """

    sections: reactive[tuple[TaskSection, ...]] = reactive((), recompose=True)
    note: reactive[str] = reactive("", recompose=True)
    empty: reactive[str] = reactive("", recompose=True)

    def show(self, sections: Sequence[TaskSection], note: str = "", empty: str = "") -> None:
        """Redraw; sections without rows are left out, ``empty`` shows when none is left."""
        self.sections = tuple(s for s in sections if s.rows)
        self.note = note
        self.empty = empty

    def compose(self) -> ComposeResult:
        if not self.sections and self.empty:
            yield Static(self.empty, classes="tasks--empty", markup=False)
        when_width = max((cell_len(r.when) for s in self.sections for r in s.rows), default=0)
        for section in self.sections:
            with VerticalGroup(
                classes="tasks--section -late" if section.late else "tasks--section"
            ):
                yield Static(section.title, classes="tasks--heading", markup=False)
                for row in section.rows:
                    yield Bullet(
                        LATE_MARK if row.late else DUE_MARK, self._row_text(row, when_width)
                    )
        if self.note:
            yield Static(self.note, classes="tasks--note", markup=False)

    @staticmethod
    def _row_text(row: TaskRow, when_width: int) -> Content:
        return Content.assemble(
            (row.when + " " * (when_width - cell_len(row.when)), "bold"),
            "  ",
            (row.structure, "bold"),
            " · ",
            (row.status, "italic"),
            "\n",
            row.title,
        )
