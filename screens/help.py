"""The help screen (F1 or ?) and the too-small notice."""

from __future__ import annotations

from typing import ClassVar, cast

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static

from facilitator.i18n import Lazy, lazy, spoken, t
from screens.base import Dialog, key_label


def is_ours(node: object, binding: Binding) -> bool:
    """Keys the app declares itself; Textual's built-in ones (cursor moves, copy,
    focus) speak English and are not what a facilitator looks for."""
    for cls in type(node).__mro__:
        for declared in cls.__dict__.get("BINDINGS", ()):
            if (
                isinstance(declared, Binding)
                and declared.action == binding.action
                and binding.key in declared.key.split(",")
            ):
                return cls.__module__.split(".")[0] == "screens"
    return False


class HelpScreen(Dialog[None]):
    """Every key of the screen underneath, with what it does."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", lazy("key.close"))]
    FOOTER: ClassVar[Lazy] = lazy("tui.help.footer")  # the last line, under the keys

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="frame"):
            yield Static(t("tui.help.title"), classes="title")
            yield DataTable(id="keys", cursor_type="none", show_header=False)
            yield Static(spoken(self.FOOTER), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_columns(t("tui.help.col.key"), t("tui.help.col.action"))
        seen: set[str] = set()
        for key, active in self.under.active_bindings.items():
            description = active.binding.description
            if not description or description in seen or not is_ours(active.node, active.binding):
                continue
            seen.add(description)
            table.add_row(
                key_label(active.binding.key if "," in active.binding.key else key), description
            )


class SizeGuard:
    """For an App: below ``MIN_SIZE`` the layout cannot hold, so a plain notice says
    what size is needed instead; it goes away when the terminal is big enough."""

    MIN_SIZE: ClassVar[tuple[int, int]] = (80, 24)

    def on_resize(self, event: Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        app = cast("App[object]", self)
        min_width, min_height = self.MIN_SIZE
        too_small = width < min_width or height < min_height
        showing = isinstance(app.screen, TooSmallScreen)
        if too_small and not showing:
            app.push_screen(TooSmallScreen(min_width, min_height))
        elif not too_small and showing:
            app.pop_screen()


class TooSmallScreen(Dialog[None]):
    """Shown instead of a broken layout when the terminal is below the size needed."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.needed = (width, height)

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.update_message()

    def on_resize(self) -> None:
        self.update_message()

    def update_message(self) -> None:
        width, height = self.needed
        self.query_one("#too-small", Static).update(
            t(
                "tui.too_small",
                width=width,
                height=height,
                current_width=self.app.size.width,
                current_height=self.app.size.height,
            )
        )
