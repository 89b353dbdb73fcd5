"""The Bilan area: each structure's bilan meeting and what has been said about it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from facilitator.i18n import language, t
from facilitator.programme import humanize_day
from facilitator.view import CohortView
from screens.base import AreaScreen


class BilanScreen(AreaScreen):
    AREA = "bilan"

    def compose_body(self) -> ComposeResult:
        yield Static(t("bilan.title"), classes="title")
        yield DataTable(id="bilans", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#bilans", DataTable)
        table.add_columns(
            t("bilan.col.structure"), t("bilan.col.date"), t("bilan.col.when"), t("bilan.col.notes")
        )
        super().on_mount()

    def show(self, view: CohortView) -> None:
        table = self.query_one("#bilans", DataTable)
        table.clear()
        today = self.facilitator.now().to(view.cohort.timezone).date()
        for structure in view.structures:
            bilan = view.bilan_of(structure.id)
            date = bilan.date.isoformat() if bilan and bilan.date else "—"
            when = humanize_day(bilan.date, today, language()) if bilan and bilan.date else ""
            table.add_row(
                structure.name, date, when, str(len(view.notes_of(structure.id))), key=structure.id
            )
