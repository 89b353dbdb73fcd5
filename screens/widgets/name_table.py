"""A table of structures whose first column, the name, takes the room the others leave.

The board's matrix and the bilan list are both one row per structure: the figures must
stay on screen at 80 columns, so a long name ends in an ellipsis instead of pushing them
off, and it gets its room back when the terminal grows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.widgets import DataTable

MIN_NAME_WIDTH = 14
"""Below this the name column stops shrinking: a name must stay recognisable."""

Cell = Text | str


def as_text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


def name(cell: Cell) -> Text:
    """A name cell: one line, an ellipsis where the column cuts it."""
    text = as_text(cell).copy()
    text.overflow, text.no_wrap = "ellipsis", True
    return text


class NameTable(DataTable[Text]):
    """One row per structure keyed by its id; the first column is its name."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns: list[tuple[str, Text]] = []
        self._rows: list[tuple[str, list[Text]]] = []
        self._name_width = 0

    @property
    def selected_id(self) -> str | None:
        """The id of the structure under the cursor."""
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        return self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value

    def show_table(
        self,
        columns: Sequence[tuple[str, Cell]],
        rows: Sequence[tuple[str, Sequence[Cell]]],
        *,
        select: str | None = None,
        default: str | None = None,
    ) -> None:
        """Redraw with ``columns`` (key, header) and ``rows`` (structure id, cells),
        the cursor on ``select``, else on the structure it was on, else on ``default``."""
        keep = select or self.selected_id or default
        self._columns = [(key, as_text(header)) for key, header in columns]
        self._rows = [(key, [name(cells[0]), *map(as_text, cells[1:])]) for key, cells in rows]
        self._draw(keep)

    def _fitted_name_width(self) -> int:
        longest = max(
            [cell_len(cells[0].plain) for _, cells in self._rows] + [self._columns[0][1].cell_len]
        )
        available = self.scrollable_content_region.width
        if available <= 0:
            return max(longest, MIN_NAME_WIDTH)
        others = 0
        for index in range(1, len(self._columns)):
            widest = max(
                [self._columns[index][1].cell_len] + [c[index].cell_len for _, c in self._rows]
            )
            others += widest + 2 * self.cell_padding
        room = available - others - 2 * self.cell_padding
        return max(MIN_NAME_WIDTH, min(longest, room))

    def _draw(self, keep: str | None) -> None:
        self._name_width = self._fitted_name_width()
        self.clear(columns=True)
        for index, (key, header) in enumerate(self._columns):
            self.add_column(header, key=key, width=self._name_width if index == 0 else None)
        for key, cells in self._rows:
            self.add_row(*cells, key=key)
        ids = [key for key, _ in self._rows]
        if keep in ids:
            self.move_cursor(row=ids.index(keep))

    def on_resize(self, event: Resize) -> None:
        """Give the name column the room the new size leaves."""
        if self._rows:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self._fitted_name_width() != self._name_width:
            self._draw(self.selected_id)
