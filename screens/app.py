"""The TUI. For now it opens the workspace and shows the cohort; the dashboard,
board and live session screens build on it."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain import Cohort, Participant, Structure
from facilitator.i18n import t
from facilitator.store import CohortStore, StoreError
from facilitator.workspace import Workspace


class CohortListScreen(Screen[None]):
    """Every cohort of the workspace; Enter opens one."""

    BINDINGS = [Binding("ctrl+q", "app.quit", t("tui.quit"))]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("tui.cohorts.title"), classes="title")
        entries = self.workspace.entries()
        if not entries:
            yield Static(t("tui.cohorts.empty", path=str(self.workspace.root)), classes="hint")
        options = [
            Option(e.name if e.problem is None else f"{e.path.name} — {e.problem.message}", id=str(e.path), disabled=e.problem is not None)
            for e in entries
        ]
        yield OptionList(*options, id="cohorts")
        yield Footer()

    @on(OptionList.OptionSelected, "#cohorts")
    def open_cohort(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.app.push_screen(CohortScreen(self.workspace.open(Path(event.option.id))))


class CohortScreen(Screen[None]):
    """One cohort: its structures and their participants."""

    BINDINGS = [Binding("ctrl+q", "app.quit", t("tui.quit"))]

    def __init__(self, store: CohortStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="cohort-name", classes="title")
        yield DataTable(id="structures", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#structures", DataTable)
        table.add_columns(t("tui.col.structure"), t("tui.col.sector"), t("tui.col.participants"))
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            cohort = self.store.records(Cohort)[0]
            structures = sorted(self.store.records(Structure), key=lambda s: s.name)
            participants = self.store.records(Participant)
        except StoreError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=30)
            return
        self.app.call_from_thread(self.show, cohort, structures, participants)

    def show(self, cohort: Cohort, structures: list[Structure], participants: list[Participant]) -> None:
        self.query_one("#cohort-name", Static).update(cohort.name)
        self.title = cohort.name
        table = self.query_one("#structures", DataTable)
        table.clear()
        for structure in structures:
            people = ", ".join(p.name for p in participants if p.structure_id == structure.id)
            table.add_row(structure.name, structure.sector, people, key=structure.id)


class FacilitatorApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "facilitator"

    def __init__(self, workspace: Workspace, cohort: Path | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.cohort_path = cohort

    def on_mount(self) -> None:
        path = self.cohort_path
        if path is None:
            files = self.workspace.cohort_files()
            path = files[0] if len(files) == 1 else None
        if path is not None:
            self.push_screen(CohortScreen(self.workspace.open(path)))
        else:
            self.push_screen(CohortListScreen(self.workspace))


def run(workspace: Workspace, cohort: Path | None) -> int:
    FacilitatorApp(workspace, cohort).run()
    return 0
