"""A cohort's backups, newest first; Enter brings one back after a confirmation.

The state being replaced is kept as a backup first, so a restore can itself be
undone from this same list.
"""

from __future__ import annotations

import arrow
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator import actions
from facilitator.i18n import lazy, t
from facilitator.store import BackupInfo, CohortStore, StoreError
from screens.base import Dialog, WriteGuard
from screens.dialogs.confirm import ConfirmScreen


class BackupsScreen(WriteGuard, Dialog[bool]):
    """Dismissed with True when a backup was brought back."""

    WRITE_ACTIONS = frozenset(["restore"])
    BINDINGS = [
        Binding("escape", "dismiss(False)", lazy("key.close")),
        Binding("enter", "restore", lazy("backups.key.restore")),
    ]

    def __init__(self, store: CohortStore, name: str) -> None:
        super().__init__()
        self.store = store
        self.cohort_name = name
        self.found: list[BackupInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="frame"):
            yield Static(t("backups.title", name=self.cohort_name), classes="title")
            yield OptionList(id="backups")
            yield Static(t("backups.hint"), classes="hint")

    def on_mount(self) -> None:
        self.found = self.store.backups()
        listing = self.query_one("#backups", OptionList)
        for backup in self.found:
            when = backup.taken.to("local").format("YYYY-MM-DD HH:mm:ss")
            size = backup.path.stat().st_size // 1024
            listing.add_option(Option(t("backups.line", when=when, size=size), id=backup.path.name))
        if not self.found:
            listing.add_option(Option(t("backups.none"), disabled=True))
        else:
            listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected, "#backups")
    def action_restore(self) -> None:
        if self.check_action("restore", ()) is None:
            # Read-only: Enter on the list comes here as a selection, past the key's guard.
            self.notify(t("store.error.read_only"), severity="warning")
            return
        listing = self.query_one("#backups", OptionList)
        if listing.highlighted is None or not self.found:
            return
        backup = self.found[listing.highlighted]
        when = backup.taken.to("local").format("YYYY-MM-DD HH:mm")

        def answered(yes: bool | None) -> None:
            if yes:
                self.restore(backup)

        question = t("backups.question", when=when, name=self.cohort_name)
        self.app.push_screen(ConfirmScreen(question, t("backups.key.restore")), answered)

    @work(thread=True, group="restore")
    def restore(self, backup: BackupInfo) -> None:
        try:
            kept = actions.restore_backup(self.store, backup.path, now=arrow.utcnow())
        except StoreError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=30)
            return
        self.app.call_from_thread(self.notify, t("backups.done", kept=kept.name), timeout=8)
        self.app.call_from_thread(self.dismiss, True)
