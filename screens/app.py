"""The Textual app: four areas (modes) over one cohort, and the cohort list.

The app owns the open cohort's store and its newest ``CohortView``; screens
watch ``view`` and redraw from it. Disk work runs in thread workers: the
initial load, a poll every second that takes in other facilitators' writes,
and every save (``save``), which says "saved" only once the store returned,
that is once the write is fsynced.
"""

from __future__ import annotations

import getpass
import importlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

import arrow
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider

from facilitator import actions
from facilitator.check import workspace_warnings
from facilitator.domain import InvalidInput
from facilitator.i18n import lazy, t
from facilitator.presence import HEARTBEAT_SECONDS, PresenceBoard, Visitor
from facilitator.store import CohortStore, StoreError
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from screens.base import AREAS, key_label
from screens.help import HelpScreen, SizeGuard

POLL_SECONDS = 1.0


def _lazy(module: str, name: str) -> Callable[[], Screen[object]]:
    """An area's screen, imported the first time it is shown: a facilitator who
    opens a session straight away does not wait for the board and the bilans."""

    def make() -> Screen[object]:
        screen: Screen[object] = getattr(importlib.import_module(module), name)()
        return screen

    return make


class FacilitatorApp(SizeGuard, App[None]):
    CSS_PATH = ["app.tcss", "areas.tcss", "dialogs/dialogs.tcss"]
    TITLE = "facilitator"
    MODES = {
        "cohorts": _lazy("screens.cohorts", "CohortListScreen"),
        "dashboard": _lazy("screens.dashboard", "DashboardScreen"),
        "board": _lazy("screens.board", "BoardScreen"),
        "sessions": _lazy("screens.sessions", "SessionsScreen"),
        "bilan": _lazy("screens.bilan", "BilanScreen"),
    }
    BINDINGS = [
        Binding("ctrl+q", "quit", lazy("key.quit"), priority=True),
        Binding("f1,question_mark", "help", lazy("key.help")),
        Binding("ctrl+p", "command_palette", lazy("tui.key.palette")),
        Binding("1", "area('dashboard')", lazy("tui.area.dashboard"), show=False),
        Binding("2", "area('board')", lazy("tui.area.board"), show=False),
        Binding("3", "area('sessions')", lazy("word.sessions"), show=False),
        Binding("4", "area('bilan')", lazy("word.bilan"), show=False),
        Binding("f2", "switch_mode('cohorts')", lazy("word.cohorts"), show=False),
    ]

    view: var[CohortView | None] = var(None, init=False)
    visitors: var[tuple[Visitor, ...]] = var((), init=False)

    def __init__(
        self,
        workspace: Workspace,
        cohort: Path | None = None,
        *,
        session: str | None = None,
        now: Callable[[], arrow.Arrow] = arrow.utcnow,
        poll: bool = True,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.store: CohortStore | None = None
        self.now = now
        self._initial_cohort = cohort
        self._initial_session = session
        self._poll = poll
        self.presence: PresenceBoard | None = None
        self._announced = 0.0

    # --- opening --------------------------------------------------------------------

    def on_mount(self) -> None:
        kept = self.workspace.preference("theme")
        self.theme = kept if kept in self.available_themes else "textual-dark"
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        path = self._initial_cohort
        if path is None:
            entries = self.workspace.entries()
            readable = [e for e in entries if e.problem is None]
            path = readable[0].path if len(entries) == 1 and readable else None
        if path is None:
            self.switch_mode("cohorts")
        else:
            # Straight into a session: its area underneath, where Escape leads.
            self.open_cohort(path, "sessions" if self._initial_session else "dashboard")
            if self._initial_session is not None and self.store is not None:
                self.open_session(self._initial_session)
        if self._poll:
            self.set_interval(POLL_SECONDS, self.poll_store)
        self.check_size(self.size.width, self.size.height)

    def open_cohort(self, path: Path, area: str = "dashboard") -> None:
        """Load a cohort and show one of its areas (called from the cohort list too)."""
        self.store = self.workspace.open(path)
        try:
            self.view = CohortView.load(self.store)
        except StoreError as error:
            self.store = None
            self.switch_mode("cohorts")
            self.notify(error.message, severity="error", timeout=30)
            return
        self._arrive(self.store)
        self._show_subtitle()
        self.switch_mode(area)

    def _arrive(self, store: CohortStore) -> None:
        """Say this app has the cohort open, and warn once about a network disk."""
        if self.presence is not None:
            self.presence.leave()
        self.presence = None if self.workspace.read_only else PresenceBoard(store.path, store.modes)
        self._announced = 0.0
        self.visitors = ()
        for warning in workspace_warnings(store.path.parent):
            self.notify(warning, severity="warning", timeout=20)

    def _show_subtitle(self) -> None:
        """Read-only mode and who else has the cohort open, then its name: at 80 columns
        the header cuts its end, and the cohort's name is the one already known."""
        parts = []
        if self.workspace.read_only:
            parts.append(t("tui.read_only"))
        if self.visitors:
            parts.append(t("tui.also_open", who=", ".join(v.label for v in self.visitors)))
        if self.view:
            parts.append(self.view.cohort.name)
        self.sub_title = " · ".join(parts)

    def watch_visitors(self) -> None:
        self._show_subtitle()

    def on_unmount(self) -> None:
        if self.presence is not None:
            self.presence.leave()

    # --- keeping up with the disk -------------------------------------------------------

    @work(thread=True, exclusive=True, group="poll")
    def poll_store(self) -> None:
        store = self.store
        if store is None:
            return
        self._keep_presence()
        try:
            view = CohortView.newer(store, self.view)
        except StoreError:
            return  # the next save or open says what is wrong; polling stays quiet
        if view is not None:
            self.call_from_thread(self._set_view, store, view)

    def _keep_presence(self) -> None:
        """The heartbeat of this app's presence, and the others' (in the poll worker)."""
        presence = self.presence
        if presence is None:
            return
        try:
            if time.monotonic() - self._announced >= HEARTBEAT_SECONDS:
                presence.announce()
                self._announced = time.monotonic()
            others = tuple(presence.others())
        except OSError:
            return  # presence is a courtesy: never in the way of the work
        if others != self.visitors:
            self.call_from_thread(setattr, self, "visitors", others)

    def _set_view(self, store: CohortStore, view: CohortView) -> None:
        if store is self.store:
            self.view = view
            self._show_subtitle()

    def save(
        self,
        write: Callable[[CohortStore], object],
        saved: str | None,
        *,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``write`` on the store in a worker; say ``saved`` once it is on disk.

        A refused write says why and calls ``on_error`` with that sentence (the
        capture line gives the typed note back); the file is left as it was.
        """
        if self.store is None:
            return
        if self.workspace.read_only:  # the keys are disabled; this is the safety net
            self.notify(t("store.error.read_only"), severity="warning")
            return
        self._save(self.store, write, saved, on_error)

    @work(thread=True, group="save")
    def _save(
        self,
        store: CohortStore,
        write: Callable[[CohortStore], object],
        saved: str | None,
        on_error: Callable[[str], None] | None,
    ) -> None:
        try:
            write(store)
            view = CohortView.load(store)
        except (StoreError, InvalidInput) as error:
            # Bad input the screen could not check beforehand (the store changed under
            # it, or a check only the action can make): said, and nothing was written.
            severity = "warning" if isinstance(error, InvalidInput) else "error"
            self.call_from_thread(self.notify, error.message, severity=severity, timeout=30)
            if on_error is not None:
                self.call_from_thread(on_error, error.message)
            return
        self.call_from_thread(self._set_view, store, view)
        if saved:
            self.call_from_thread(self.notify, saved, timeout=3)

    # --- navigation -----------------------------------------------------------------

    @property
    def author(self) -> str:
        """Who writes: the Unix user, so two facilitators' notes can be told apart."""
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return ""

    def open_session(self, session_id: str) -> None:
        """The live screen of one session, over the current area."""
        from screens.session import SessionScreen

        self.push_screen(SessionScreen(session_id))

    def open_agenda(self, session_id: str) -> None:
        """The agenda editor of one session, until its clock starts; after that only a
        re-plan on the live screen changes it."""
        view = self.view
        if view is not None and any(e.session_id == session_id for e in view.clock):
            self.notify(t("agenda_editor.locked"), severity="warning", timeout=5)
            return
        from screens.agenda_editor import AgendaEditorScreen

        self.push_screen(AgendaEditorScreen(session_id))

    def action_area(self, area: str) -> None:
        if self.store is None:
            self.notify(t("tui.no_cohort_open"), severity="warning")
            return
        self.switch_mode(area)

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, in the person's language (Textual's own says it in English)."""
        self.notify(t("key.quit_hint", key=key_label("ctrl+q")))

    def get_key_display(self, binding: Binding) -> str:
        """The footer names keys as the help screen does, in the person's language."""
        return binding.key_display or key_label(binding.key)

    def _theme_chosen(self, theme: Theme) -> None:
        if not self.workspace.read_only and theme.name != self.workspace.preference("theme"):
            self._remember_theme(theme.name)

    @work(thread=True, group="preferences")
    def _remember_theme(self, name: str) -> None:
        try:
            actions.remember_theme(self.workspace, name)
        except (OSError, StoreError) as error:  # a preference, not the cohort: said, not fatal
            said = error.message if isinstance(error, StoreError) else str(error)
            self.call_from_thread(self.notify, said, severity="warning")

    def action_command_palette(self) -> None:
        """Textual's palette, its search field in the person's language."""
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder=t("tui.palette.placeholder"), id="--command-palette")
            )

    def _change_theme(self) -> None:
        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=t("tui.palette.theme_search"))
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every action, in the person's language."""
        if self.store is not None:
            for area, name_key in AREAS.items():
                yield SystemCommand(
                    t(name_key),
                    t(f"tui.area.{area}.help"),
                    lambda a=area: self.action_area(a),
                )
        yield SystemCommand(
            t("word.cohorts"), t("tui.cohorts.help"), lambda: self.switch_mode("cohorts")
        )
        for binding in screen.active_bindings.values():
            if binding.binding.show and binding.binding.description and binding.node is screen:
                action = binding.binding.action
                yield SystemCommand(
                    binding.binding.description,
                    binding.binding.tooltip or binding.binding.description,
                    lambda a=action, s=screen: self.run_action(a, s),
                )
        yield SystemCommand(t("tui.theme"), t("tui.theme.help"), self._change_theme)
        yield SystemCommand(
            t("tui.screenshot"),
            t("tui.screenshot.help"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )
        yield SystemCommand(t("key.help"), t("tui.help.help"), self.action_help)
        yield SystemCommand(t("key.quit"), t("tui.quit.help"), self.exit)


def run(workspace: Workspace, cohort: Path | None, session: str | None = None) -> int:
    FacilitatorApp(workspace, cohort, session=session).run()
    return 0
