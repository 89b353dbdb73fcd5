"""The Sessions area: the programme's sessions in order, and the way into each one live.

One row per session (held ✓, next ▶, to come ○) with its day, how far it is and
its length; the selected session's place, hours and agenda are shown below, so
the table stays readable at 80 columns. Enter opens the live screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from facilitator.agenda import item_title
from facilitator.domain import Session
from facilitator.i18n import t
from facilitator.live import live_session
from facilitator.programme import day_words, humanize_day, session_plan, today_in
from facilitator.view import CohortView
from screens.base import AreaScreen

NAME_WIDTH = 33  # the table then fits 80 columns with its date, distance and length
AGENDA_LINES = 6


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def short_title(session: Session, view: CohortView) -> str:
    """« S1 · État des lieux », « Bilan · Les Jardins du Martinet »: the table's names."""
    structure = view.structure(session.structure_id)
    return t(f"sessions.short.{session.kind.value}", structure=structure.name if structure else "")


class SessionsScreen(AreaScreen):
    AREA = "sessions"
    BINDINGS = [Binding("enter", "open_session", t("sessions.key.open"))]
    DEFAULT_CSS = """
    SessionsScreen #sessions { height: auto; max-height: 60%; }
    SessionsScreen #session-detail {
        height: 1fr; padding: 0 1; border-top: solid $panel-lighten-2;
    }
    SessionsScreen .hint { color: $text-muted; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static(t("sessions.hint"), classes="hint")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="session-detail")

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column(t("sessions.col.session"), key="session")
        table.add_column(t("sessions.col.date"), key="date")
        table.add_column(t("sessions.col.when"), key="when")
        table.add_column(t("sessions.col.length"), key="length")
        table.focus()

    def show(self, view: CohortView) -> None:
        self._view = view
        table = self.query_one("#sessions", DataTable)
        selected = self._selected_id()
        table.clear()
        today = today_in(self.facilitator.now(), view.cohort.timezone)
        upcoming = next(
            (s.id for s in view.sessions if s.date is not None and s.date >= today), None
        )
        for session in view.sessions:
            held = session.date is not None and session.date < today
            mark = "✓" if held else "▶" if session.id == upcoming else "○"
            plan = session_plan(session, view.structures)
            table.add_row(
                Text(mark, style="green" if held else "bold" if mark == "▶" else ""),
                clip(short_title(session, view), NAME_WIDTH),
                day_words(session.date, "short") if session.date else t("sessions.undated"),
                humanize_day(session.date, today) if session.date else "",
                t("sessions.minutes", minutes=plan.planned_minutes),
                key=session.id,
            )
        target = selected or upcoming
        if target is not None and target in {s.id for s in view.sessions}:
            table.move_cursor(row=table.get_row_index(target))
        self._show_detail()

    def _selected_id(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowHighlighted, "#sessions")
    def _show_detail(self) -> None:
        view = getattr(self, "_view", None)
        session = view.session(self._selected_id()) if view is not None else None
        detail = self.query_one("#session-detail", Static)
        if view is None or session is None:
            detail.update("")
            return
        detail.update(self._detail(view, session))

    def _detail(self, view: CohortView, session: Session) -> Text:
        """Where and when, and the agenda as it stands (or as its clock left it)."""
        live = live_session(view, session, self.facilitator.now())
        plan = live.plan
        text = Text()
        text.append(view.session_title(session), style="bold")
        hours = (
            t(
                "sessions.hours",
                start=plan.start.strftime("%H:%M"),
                end=plan.planned[-1].end.strftime("%H:%M"),
            )
            if plan.planned
            else ""
        )
        where = " · ".join(part for part in (session.place, hours) if part)
        if where:
            text.append("\n" + where, style="dim")
        if live.state.started_at is not None:
            text.append(
                "\n" + t("sessions.clock", status=live.state.status.label()), style="italic"
            )
        names = view.structure_names()
        for planned in plan.planned[:AGENDA_LINES]:
            start = planned.start.strftime("%H:%M")
            text.append(
                f"\n{start}  {planned.item.minutes:>3} min  {item_title(planned.item, names)}"
            )
        if len(plan.planned) > AGENDA_LINES:
            text.append(
                "\n" + t("sessions.more", count=len(plan.planned) - AGENDA_LINES), style="dim"
            )
        return text

    @on(DataTable.RowSelected, "#sessions")
    def action_open_session(self) -> None:
        session_id = self._selected_id()
        if session_id is not None:
            self.facilitator.open_session(session_id)
