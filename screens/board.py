"""The participant board (built out by the board work)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable

from facilitator.i18n import t
from facilitator.view import CohortView
from screens.base import AreaScreen


class BoardScreen(AreaScreen):
    AREA = "board"

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="board", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#board", DataTable).add_columns(t("board.col.structure"))
        super().on_mount()

    def show(self, view: CohortView) -> None:
        table = self.query_one("#board", DataTable)
        table.clear()
        for structure in view.structures:
            table.add_row(structure.name, key=structure.id)
