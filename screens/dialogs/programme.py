"""Proposing the programme: the choices to make, then what it would be, before anything
is written.

The choices are a form (the first session's date, a short or long introduction,
half-day or full-day collective sessions). The preview lists each session as the
proposal has it, with what applying does to it when the cohort already has sessions
(new, moved, or kept because something was recorded in it), the time it asks of each
participant against the guidance's 4 to 6 days, and each warning. Enter applies,
Escape goes back to the choices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import arrow
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from facilitator.domain import Session, require_programme_date
from facilitator.i18n import day_count, language, lazy, number, plural, t
from facilitator.programme import (
    COLLECTIVE_VARIANTS,
    INTRO_VARIANTS,
    MAX_PARTICIPANT_DAYS,
    MIN_PARTICIPANT_DAYS,
    Change,
    ParticipantTime,
    ProgrammeProposal,
    ProposedSession,
    day_words,
    format_day,
    session_plan,
)
from facilitator.view import CohortView
from screens.base import Dialog
from screens.dialogs.form import Field, FormScreen


def _start(day: dt.date) -> None:
    require_programme_date(day, "start")


def programme_fields(redate: bool = False) -> list[Field]:
    """The choices ``actions.propose`` takes, named as its arguments; with ``redate``
    (a cohort that has sessions), whether their dates are proposed again too."""
    own = [Field("redate", t("sessions.programme.field.redate"), "bool")] if redate else []
    return [
        Field("start", t("sessions.programme.field.start"), "date", required=True, check=_start),
        Field(
            "intro",
            t("domain.sessionkind.intro"),
            "choice",
            required=True,
            choices=[(t(f"sessions.programme.intro.{v}"), v) for v in INTRO_VARIANTS],
        ),
        Field(
            "collective",
            t("sessions.programme.field.collective"),
            "choice",
            required=True,
            choices=[(t(f"sessions.programme.collective.{v}"), v) for v in COLLECTIVE_VARIANTS],
        ),
        *own,
    ]


def time_line(time: ParticipantTime) -> str:
    """« 1,9 jour en session + 3 jours de préparation = 4,9 jours (la démarche : 4 à 6) »."""
    return t(
        "sessions.programme.time",
        sessions=day_count(round(time.in_sessions, 1)),
        preparation=day_count(time.preparation),
        total=day_count(time.total),
        low=number(MIN_PARTICIPANT_DAYS),
        high=number(MAX_PARTICIPANT_DAYS),
    )


def change_words(proposed: ProposedSession, view: CohortView) -> str:
    """What applying does to one session, for a programme proposed again."""
    before = proposed.before
    if proposed.change is Change.MOVED and before is not None and before.date is not None:
        if before.date != proposed.session.date:
            return t("sessions.programme.change.moved", day=day_words(before.date, "short"))
        return t("sessions.programme.change.rehoured")
    if proposed.change is Change.KEPT:
        session_id = proposed.session.id
        notes = sum(1 for n in view.notes if n.session_id == session_id)
        if notes:
            return plural("sessions.programme.change.kept_notes", notes, count=notes)
        if any(a.session_id == session_id for a in view.attendance):
            return t("sessions.programme.change.kept_attendance")
        return t("sessions.programme.change.kept_clock")
    return t(f"programme.change.{proposed.change.value}")


def short_day(day: dt.date) -> str:
    """« mer 17 mars »: the weekday and the day, short enough for four columns at 80."""
    key = f"sessions.programme.day.{'first' if day.day == 1 else 'other'}"
    return str(arrow.Arrow(day.year, day.month, day.day).format(t(key), locale=language()))


def preview(
    proposal: ProgrammeProposal, view: CohortView, title: Callable[[Session], str]
) -> RenderableType:
    """The proposal as the facilitator reads it before applying; ``title`` names a
    session as the Sessions area's table does."""
    again = any(p.change is not Change.NEW for p in proposal.sessions)
    table = Table(box=None, pad_edge=False, show_edge=False, expand=True, padding=(0, 1))
    table.add_column(t("word.session"), ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column(t("sessions.programme.col.day"), no_wrap=True)
    table.add_column(t("sessions.programme.col.hours"), no_wrap=True)
    if again:
        table.add_column(t("sessions.programme.col.change"), ratio=2)
    for proposed in proposal.sessions:
        session = proposed.session
        plan = session_plan(session, view.structures)
        end = plan.end or (plan.planned[-1].end if plan.planned else plan.start)
        hours = t(
            "sessions.programme.hours",
            start=plan.start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        )
        day = short_day(session.date) if session.date else t("sessions.undated")
        style = "dim" if proposed.change in (Change.SAME, Change.KEPT) else ""
        cells = [title(session), day, hours]
        if again:
            cells.append(change_words(proposed, view))
        table.add_row(*cells, style=style)
    dated = [p.session.date for p in proposal.sessions if p.session.date is not None]
    span = Text(
        t(
            "sessions.programme.span",
            first=format_day(min(dated)) if dated else "",
            last=format_day(max(dated)) if dated else "",
            count=len(proposal.sessions),
        ),
        style="bold",
    )
    parts: list[RenderableType] = [span, Text(""), table, Text(""), Text(time_line(proposal.time))]
    parts.append(Text(""))
    if proposal.warnings:
        parts.append(Text(t("sessions.programme.warnings"), style="bold"))
        parts += [Text(f"⚠ {warning}", style="yellow") for warning in proposal.warnings]
    else:
        parts.append(Text(t("sessions.programme.no_warning"), style="green"))
    return Group(*parts)


def counts_words(proposal: ProgrammeProposal) -> str:
    """« 3 sessions ajoutées, 1 session déplacée, 1 gardée telle quelle »."""
    counts = {change: 0 for change in Change}
    for proposed in proposal.sessions:
        counts[proposed.change] += 1
    return ", ".join(
        plural(f"sessions.programme.count.{change.value}", counts[change], count=counts[change])
        for change in (Change.NEW, Change.MOVED, Change.KEPT)
        if counts[change]
    )


class ProgrammeChoicesScreen(FormScreen):
    """The three choices; its button says it shows the programme (nothing is saved yet)."""

    def __init__(self, values: dict[str, object]) -> None:
        super().__init__(
            t("sessions.programme.title"), programme_fields("redate" in values), values
        )

    def on_mount(self) -> None:
        # FormScreen's own on_mount runs too (Textual calls each class's).
        self.query_one("#save", Button).label = t("sessions.programme.see")


class ProgrammePreviewScreen(Dialog[bool]):
    """True to apply the proposal, False to go back to the choices."""

    BINDINGS = [
        Binding("enter", "answer(True)", lazy("key.apply")),
        Binding("escape", "answer(False)", lazy("sessions.programme.key.back")),
    ]
    # Below 40 rows the dialog takes the whole height and the list scrolls in what is
    # left; from 40 rows it shrinks around the list. Its keys stay in view either way.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    def __init__(
        self,
        proposal: ProgrammeProposal,
        view: CohortView,
        title: Callable[[Session], str],
    ) -> None:
        super().__init__()
        self.proposal = proposal
        self.cohort_view = view
        self.name_of = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="frame"):
            yield Static(t("sessions.programme.preview_title"), classes="form-title")
            with VerticalScroll(id="programme-preview"):
                yield Static(
                    preview(self.proposal, self.cohort_view, self.name_of), id="programme-body"
                )
            yield Static(self._applying(), id="programme-apply-says")
            with Horizontal(id="programme-buttons", classes="buttons"):
                yield Button(t("sessions.programme.back"), id="back")
                yield Button(t("sessions.programme.apply"), id="apply", variant="primary")

    def _applying(self) -> str:
        """What Enter will do, in counts: nothing is deleted, kept sessions stay put."""
        if not self.proposal.changes:
            says = t("sessions.programme.applies_nothing")
        else:
            says = t("sessions.programme.applies", what=counts_words(self.proposal))
        count = len(self.proposal.warnings)
        if count:
            says = plural("sessions.programme.warnings_below", count, count=count) + " " + says
        return says

    def on_mount(self) -> None:
        # The list scrolls with the arrows; Enter (a screen key) applies.
        self.query_one("#programme-preview", VerticalScroll).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "apply")

    def action_answer(self, apply: bool) -> None:
        self.dismiss(apply)
