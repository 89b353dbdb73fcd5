"""The Sessions area: the programme's sessions with their dates and agendas."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from facilitator.agenda import planned_minutes
from facilitator.domain import label
from facilitator.i18n import language, t
from facilitator.programme import humanize_day
from facilitator.view import CohortView
from screens.base import AreaScreen


class SessionsScreen(AreaScreen):
    AREA = "sessions"
    BINDINGS = [Binding("enter", "open_session", t("sessions.key.open"))]

    def compose_body(self) -> ComposeResult:
        yield Static(t("sessions.title"), classes="title")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns(
            t("sessions.col.session"),
            t("sessions.col.date"),
            t("sessions.col.when"),
            t("sessions.col.place"),
            t("sessions.col.length"),
        )

    def show(self, view: CohortView) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        today = self.facilitator.now().to(view.cohort.timezone).date()
        for session in view.sessions:
            name = label(session.kind)
            structure = view.structure(session.structure_id)
            if structure is not None:
                name = f"{name} — {structure.name}"
            date = session.date.isoformat() if session.date else "—"
            when = humanize_day(session.date, today, language()) if session.date else ""
            start = session.start_time or (session.agenda and None)
            minutes = planned_minutes(session.agenda, start) if session.agenda and start else 0
            length = t("sessions.minutes", minutes=minutes) if minutes else "—"
            table.add_row(name, date, when, session.place, length, key=session.id)

    @on(DataTable.RowSelected, "#sessions")
    def action_open_session(self) -> None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.facilitator.open_session(key)
