"""The dashboard (« Tableau de bord », key 1): where the programme stands, what comes next.

The screen a facilitator opens first, often projected in front of the group: one line
says the next step, then the calendar of the four sessions, the guidance's concerns
with what to do about each, the travaux préparatoires to chase, and the days the
programme takes: the consultants' against the guidance's, and each participant's.

What it shows is worked out in the core, in :mod:`facilitator.views.dashboard` (the
steps, the tasks to chase, the attention points, the next step, the days, in words);
this screen only lays them out.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalGroup, VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from facilitator.i18n import lazy, t
from facilitator.view import CohortView
from facilitator.views.dashboard import (
    TASK_HORIZON,
    days_lines,
    next_step_line,
    summarize,
    task_note,
    task_sections,
    timeline_entries,
)
from screens.base import AreaScreen
from screens.widgets.concerns import ConcernList
from screens.widgets.panels import PanelRow
from screens.widgets.tasks import TaskList
from screens.widgets.timeline import Timeline

# --- the screen ---------------------------------------------------------------------------

WIDE = 110
"""From this width the calendar and the concerns sit side by side."""

TALL = 34
"""From this height each bilan gets its own line in the calendar."""


class DashboardScroll(VerticalScroll, inherit_bindings=False):
    """The dashboard's body, scrolled by keyboard; its keys are described in the person's language.

    Textual's own descriptions are English and would show in the help (F1).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", lazy("key.up"), show=False),
        Binding("down", "scroll_down", lazy("key.down"), show=False),
        Binding("pageup", "page_up", lazy("key.pageup"), show=False),
        Binding("pagedown", "page_down", lazy("key.pagedown"), show=False),
        Binding("home", "scroll_home", lazy("dashboard.key.home"), show=False),
        Binding("end", "scroll_end", lazy("dashboard.key.end"), show=False),
    ]


class DashboardScreen(AreaScreen):
    """The next step on top; below, the calendar, the concerns, the tasks and the days.

    In 80×24 everything is one scrolled column. From :data:`WIDE` columns the calendar
    and the concerns sit side by side, and below them the tasks and the days, whose
    short lines need only a narrow column: from 120 columns a task's due date, structure
    and status still share one line, and everything fits in 120×40 without scrolling.
    From :data:`TALL` rows each bilan gets its own line in the calendar.
    """

    AREA = "dashboard"
    WRITE_ACTIONS = frozenset(["settings"])
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "settings", lazy("cohorts.key.settings")),
    ]
    _today: dt.date | None = None  # the day last drawn for: redraw when it changes
    # Screen declares it as an instance variable, so it cannot be annotated ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]

    def action_settings(self) -> None:
        """The cohort's settings, the same form as on the cohort list."""
        from screens.dialogs.cohort_settings import edit_open_cohort

        edit_open_cohort(self.facilitator)

    def compose_body(self) -> ComposeResult:
        yield Static(id="next-step", markup=False)
        with DashboardScroll(id="dashboard-body"):
            with PanelRow(id="dashboard-top"):
                yield Timeline(id="timeline", classes="panel")
                yield ConcernList(id="concerns", classes="panel")
            with PanelRow(id="dashboard-bottom"):
                yield TaskList(id="tasks", classes="panel")
                with VerticalGroup(id="days", classes="panel"):
                    for which in ("consultants", "participants"):
                        yield Static(id=f"days-{which}", classes="days--head", markup=False)
                        yield Static(
                            id=f"days-{which}-detail", classes="days--detail", markup=False
                        )

    def on_mount(self) -> None:
        # A dashboard left open overnight must not keep saying « demain ».
        self.set_interval(60, self._check_day)

    def on_resize(self, event: Resize) -> None:
        self.query_one(Timeline).detailed = event.size.height >= TALL

    def on_screen_resume(self) -> None:
        self.query_one(Timeline).detailed = self.size.height >= TALL

    def _check_day(self) -> None:
        view = self.facilitator.view
        if view is not None and view.cohort.today(self.facilitator.now()) != self._today:
            self.show(view)

    def show(self, view: CohortView) -> None:
        today = view.cohort.today(self.facilitator.now())
        self._today = today
        state = summarize(view, today)
        names = view.structure_names()

        self.query_one("#next-step", Static).update(next_step_line(state.step, names, today))

        timeline = self.query_one(Timeline)
        timeline.border_title = t("dashboard.timeline.title")
        timeline.entries = tuple(timeline_entries(state.timeline, names, today))
        timeline.detailed = self.size.height >= TALL

        concern_list = self.query_one(ConcernList)
        concern_list.border_title = t("word.concerns_count", count=len(state.points))
        concern_list.show(state.points, t("dashboard.concerns.empty"))

        task_list = self.query_one(TaskList)
        task_list.border_title = t("dashboard.tasks.title", count=state.tasks.to_chase)
        task_list.show(
            task_sections(state.tasks, names, today),
            task_note(state.tasks),
            t("dashboard.tasks.empty", weeks=TASK_HORIZON.days // 7),
        )

        days = self.query_one("#days", VerticalGroup)
        days.border_title = t("dashboard.days.title")
        lines = days_lines(state.consultants, state.participants)
        for which, days_line in zip(("consultants", "participants"), lines, strict=True):
            self.query_one(f"#days-{which}", Static).update(days_line.head)
            self.query_one(f"#days-{which}-detail", Static).update(days_line.detail)
