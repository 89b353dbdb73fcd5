"""The participant board's matrix: structures by sessions, attendance at a glance.

The figures are worked out in the core (:mod:`facilitator.views.board`); the widget
only lays them out. Every state has a mark of its own (``G`` for the governance,
``✓`` for work done, ``!`` for work overdue, ``—`` for nothing yet), and colour only
repeats what the mark says: the board is read on projectors and 16-colour terminals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType

from facilitator.domain import (
    SESSION_ORDER,
    SessionKind,
    session_tag,
)
from facilitator.i18n import t
from facilitator.views.board import BoardRow, BoardSort, StageCell
from screens.widgets.name_table import Cell, NameTable

GOVERNANCE_MARK = "G"
DONE_MARK = "✓"
LATE_MARK = "!"
NOTHING = "—"

NAME_COLUMN = "name"
PREP_COLUMN = "prep"
NOTES_COLUMN = "notes"
OWN_COLUMNS = {  # the others are session kinds
    NAME_COLUMN: "word.structure",
    PREP_COLUMN: "board.col.prep",
    NOTES_COLUMN: "word.notes",
}


SORT_COLUMNS: dict[BoardSort, tuple[str, ...]] = {
    BoardSort.NAME: (NAME_COLUMN,),
    BoardSort.NOTES: (NOTES_COLUMN,),
    BoardSort.ATTENDANCE: tuple(kind.value for kind in SESSION_ORDER),
    BoardSort.PREP: (PREP_COLUMN,),
}
"""The column headers underlined for each order (attendance spans the session columns)."""

COLUMN_SORTS: dict[str, BoardSort] = {
    column: sort for sort, columns in SORT_COLUMNS.items() for column in columns
}
"""Clicking a header sorts by what that column shows."""


# --- the widget ---------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    """The theme's colours for the marks, read when drawing so a theme change follows."""

    good: Style
    warn: Style
    bad: Style
    info: Style
    muted: Style

    @classmethod
    def from_variables(cls, variables: dict[str, str]) -> Palette:
        def color(name: str, fallback: str) -> Style:
            value = variables.get(name, "")
            return Style(color=value if value.startswith("#") else fallback)

        return cls(
            good=color("success", "green") + Style(bold=True),
            warn=color("text-warning", "yellow"),
            bad=color("text-error", "red") + Style(bold=True),
            info=color("text-primary", "blue") + Style(bold=True),
            muted=Style(dim=True),
        )


def stage_text(cell: StageCell, palette: Palette) -> Text:
    """``2/3 G`` once held (``G``: the governance was there), else the date or ``—``."""
    if not cell.held:
        if cell.date is None:
            return Text(NOTHING, style=palette.muted)
        return Text(cell.date.strftime(t("format.short_date")), style=palette.muted)
    count = f"{cell.present}/{cell.participants}"
    if cell.participants == 0:
        return Text(count, style=palette.muted)
    if cell.present == 0:
        style = palette.bad
    elif not cell.governance:
        style = palette.warn
    else:
        style = Style()
    text = Text(count, style=style)
    text.append(" ")
    text.append(GOVERNANCE_MARK if cell.governance else " ", style=palette.good)
    return text


def prep_text(row: BoardRow, palette: Palette) -> Text:
    """``1/2`` tasks done, ``✓`` when all are, ``!`` when one is overdue."""
    if not row.tasks_total:
        return Text(NOTHING, style=palette.muted)
    text = Text(f"{row.tasks_done}/{row.tasks_total}")
    if row.tasks_late:
        text.append(f" {LATE_MARK}", style=palette.bad)
    elif row.tasks_done == row.tasks_total:
        text.append(f" {DONE_MARK}", style=palette.good)
    return text


def notes_text(row: BoardRow, palette: Palette) -> Text:
    return Text(str(row.notes), style=palette.muted if not row.notes else Style())


class BoardMatrix(NameTable):
    """The structures by sessions, one row per structure keyed by its id.

    The name column takes the width the other columns leave, so the matrix fits
    80 columns beside nothing and 120 columns beside the detail pane; long names end
    in an ellipsis rather than pushing the figures off screen.
    """

    DEFAULT_CSS = """
    BoardMatrix {
        height: auto;
        max-height: 100%;
        scrollbar-size-vertical: 1;
    }
    """
    # Enter edits (the screen's action) instead of posting RowSelected, so that a
    # mouse click only moves the cursor and never opens a form by surprise.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "screen.edit", show=False)]

    def show_rows(
        self, rows: Sequence[BoardRow], sort: BoardSort, select: str | None = None
    ) -> None:
        """Redraw from ``rows`` (already sorted), keeping the cursor on ``select``
        or else on the structure it was on."""
        keys, headers, cells = self._layout(rows, sort)
        self.show_table(
            list(zip(keys, headers, strict=True)),
            [(row.structure.id, line) for row, line in zip(rows, cells, strict=True)],
            select=select,
        )

    def _layout(
        self, rows: Sequence[BoardRow], sort: BoardSort
    ) -> tuple[list[str], list[Text], list[list[Cell]]]:
        """The column keys, their headers and every row's cells."""
        palette = Palette.from_variables(self.app.get_css_variables())
        keys = [NAME_COLUMN, *(kind.value for kind in SESSION_ORDER), PREP_COLUMN, NOTES_COLUMN]
        underlined = SORT_COLUMNS[sort]
        headers = [
            Text(
                t(OWN_COLUMNS[key]) if key in OWN_COLUMNS else session_tag(SessionKind(key)),
                style=Style(bold=True, underline=True) if key in underlined else Style(),
            )
            for key in keys
        ]
        cells: list[list[Cell]] = [
            [
                row.structure.name,
                *(stage_text(cell, palette) for cell in row.cells),
                prep_text(row, palette),
                notes_text(row, palette),
            ]
            for row in rows
        ]
        return keys, headers, cells
