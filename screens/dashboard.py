"""The dashboard: where the programme stands (built out by the dashboard work)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from facilitator.view import CohortView
from screens.base import AreaScreen


class DashboardScreen(AreaScreen):
    AREA = "dashboard"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="cohort-name", classes="title")

    def show(self, view: CohortView) -> None:
        self.query_one("#cohort-name", Static).update(view.cohort.name)
