"""The cohort list: open, create, archive cohorts and change their settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import actions
from facilitator.domain import InvalidInput
from facilitator.i18n import lazy, t
from facilitator.store import StoreError
from facilitator.workspace import CohortEntry
from screens.base import AppScreen
from screens.dialogs.backups import BackupsScreen
from screens.dialogs.cohort_settings import CohortSettingsScreen, settings_changes, settings_from

if TYPE_CHECKING:
    pass


class CohortListScreen(AppScreen[None]):
    WRITE_ACTIONS = frozenset(["archive", "new", "settings"])
    BINDINGS = [
        Binding("enter", "open", lazy("cohorts.key.open"), show=False),
        Binding("n", "new", lazy("cohorts.key.new")),
        # r renamed a cohort before the settings form held the name: the same form.
        Binding("s,r", "settings", lazy("cohorts.key.settings")),
        Binding("a", "archive", lazy("cohorts.key.archive")),
        Binding("b", "backups", lazy("cohorts.key.backups")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("word.cohorts"), classes="title")
        yield Static("", id="cohorts-hint", classes="hint")
        yield DataTable(id="cohorts", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#cohorts", DataTable)
        table.add_columns(
            t("cohorts.col.name"),
            t("cohorts.col.structures"),
            t("word.start"),
            t("cohorts.col.state"),
        )
        self.entries: list[CohortEntry] = []

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="cohort-list")
    def load(self) -> None:
        entries = self.facilitator.workspace.entries()
        counts = {}
        for entry in entries:
            if entry.problem is None:
                try:
                    counts[entry.path] = len(
                        self.facilitator.workspace.open(entry.path).docs("structures")
                    )
                except StoreError:
                    counts[entry.path] = 0
        self.app.call_from_thread(self.show, entries, counts)

    def show(self, entries: list[CohortEntry], counts: dict[Any, int]) -> None:
        self.entries = entries
        table = self.query_one("#cohorts", DataTable)
        table.clear()
        for entry in entries:
            if entry.problem is not None or entry.cohort is None:
                message = entry.problem.message if entry.problem else t("cohorts.state.empty")
                table.add_row(entry.path.name, "", "", message, key=str(entry.path))
                continue
            cohort = entry.cohort
            state = t("cohorts.state.archived") if cohort.archived else t("cohorts.state.active")
            start = cohort.start_date.isoformat() if cohort.start_date else ""
            table.add_row(
                cohort.name, str(counts.get(entry.path, 0)), start, state, key=str(entry.path)
            )
        hint = (
            t("cohorts.empty", path=str(self.facilitator.workspace.root))
            if not entries
            else t("cohorts.hint")
        )
        self.query_one("#cohorts-hint", Static).update(hint)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """What acts on a cohort is dimmed while the list has none."""
        if super().check_action(action, parameters) is None:
            return None  # read-only
        if action in ("settings", "archive", "backups") and not getattr(self, "entries", None):
            return None
        return True

    def _selected(self) -> CohortEntry | None:
        table = self.query_one("#cohorts", DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.entries if str(e.path) == key), None)

    @on(DataTable.RowSelected, "#cohorts")
    def action_open(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        if entry.problem is not None:
            self.notify(entry.problem.message, severity="error", timeout=30)
            return
        self.facilitator.open_cohort(entry.path)

    def action_new(self) -> None:
        def created(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.create(values)

        self.app.push_screen(CohortSettingsScreen(None), created)

    @work(thread=True, group="cohort-write")
    def create(self, values: dict[str, Any]) -> None:
        try:
            store = actions.create_cohort(
                self.facilitator.workspace,
                now=self.facilitator.now(),
                **settings_from(values, None),
            )
        except (StoreError, InvalidInput) as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=30)
            return
        self.app.call_from_thread(self.notify, t("cohorts.created", name=values["name"]))
        self.app.call_from_thread(self.facilitator.open_cohort, store.path)

    def action_backups(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        store = self.facilitator.workspace.open(entry.path)

        def closed(restored: bool | None) -> None:
            if restored:
                self.load()
                if self.facilitator.store is not None and self.facilitator.store.path == entry.path:
                    self.facilitator.poll_store()

        self.app.push_screen(BackupsScreen(store, entry.name), closed)

    def action_settings(self) -> None:
        entry = self._selected()
        if entry is None or entry.cohort is None:
            return
        cohort = entry.cohort

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            changes = settings_changes(cohort, values)
            if not changes:
                self.notify(t("cohorts.unchanged"), timeout=3)
                return
            self.patch(entry, changes, t("cohorts.saved", name=values["name"]))

        self.app.push_screen(CohortSettingsScreen(cohort), done)

    def action_archive(self) -> None:
        entry = self._selected()
        if entry is None or entry.cohort is None:
            return
        archived = not entry.cohort.archived
        message = t(
            "cohorts.archived" if archived else "cohorts.unarchived", name=entry.cohort.name
        )
        self.patch(entry, {"archived": archived}, message)

    @work(thread=True, group="cohort-write")
    def patch(self, entry: CohortEntry, fields: dict[str, Any], done: str) -> None:
        assert entry.cohort is not None
        try:
            store = self.facilitator.workspace.open(entry.path)
            actions.update_cohort(store, now=self.facilitator.now(), **fields)
        except (StoreError, InvalidInput) as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=30)
            return
        self.app.call_from_thread(self.notify, done)
        self.app.call_from_thread(self.load)
