"""What every cohort area shares: the header, the area bar, the footer, and
redrawing from the app's newest ``CohortView``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from facilitator.i18n import t
from facilitator.view import CohortView

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

AREAS = ("dashboard", "board", "sessions", "bilan")


class AreaBar(Static):
    """The four areas with their keys; the current one stands out. Clickable."""

    DEFAULT_CSS = """
    AreaBar {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, active: str) -> None:
        super().__init__(id="area-bar")
        self.active = active

    def on_mount(self) -> None:
        parts = []
        for number, area in enumerate(AREAS, start=1):
            name = t(f"tui.area.{area}")
            if area == self.active:
                parts.append(f"[reverse b] {number} {name} [/]")
            else:
                parts.append(f"[@click=app.area('{area}')] {number} {name} [/]")
        self.update("  ".join(parts))


class WriteGuard:
    """Screens name the actions that write; in read-only mode those keys are shown
    disabled (and do nothing) instead of failing when pressed."""

    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        workspace = getattr(getattr(self, "app", None), "workspace", None)
        if action in self.WRITE_ACTIONS and workspace is not None and workspace.read_only:
            return None
        return True


class AreaScreen(WriteGuard, Screen[None]):
    """A cohort area: subclasses compose their body and redraw in ``show``."""

    AREA: ClassVar[str] = ""

    @property
    def facilitator(self) -> FacilitatorApp:
        from screens.app import FacilitatorApp

        assert isinstance(self.app, FacilitatorApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar(self.AREA)
        yield from self.compose_body()
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        # Textual calls every class's on_mount, this one after a subclass's:
        # subclasses set up their widgets and must not call super().on_mount().
        self.watch(self.app, "view", self._view_changed)

    _stale = False  # a newer view came while the screen was not on show

    def _view_changed(self, view: CohortView | None) -> None:
        if view is None:
            return
        if not self.is_current:
            # Redrawn when shown again: a hidden screen whose widgets recompose keeps
            # Textual (8.2) from repainting the screen on show until the next key.
            self._stale = True
            return
        self.show(view)

    def on_screen_resume(self) -> None:
        view = self.facilitator.view
        if self._stale and view is not None:
            self._stale = False
            self.show(view)

    def show(self, view: CohortView) -> None:
        """Redraw from ``view``. Called on mount and after every change."""
        raise NotImplementedError
