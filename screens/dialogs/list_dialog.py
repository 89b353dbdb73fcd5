"""A modal around one list: a title, a summary, the list, the keys to use.

Below 40 rows it takes the whole height and the list what is left; from 40 rows
it shrinks around a short list instead of showing a block of empty lines. The
attendance sheet and the intersession work are both built on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from screens.base import ViewModal

if TYPE_CHECKING:
    pass


class ListDialog(ViewModal[None]):
    """Subclasses give ``PREFIX`` (the ids: ``<prefix>-title``, ``-summary``, ``-hint``),
    the list widget, the hint, and redraw in ``show``."""

    PREFIX: ClassVar[str] = "dialog"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    def make_list(self) -> Widget:
        raise NotImplementedError

    def hint(self) -> str | Text:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="frame"):
            yield Static("", id=f"{self.PREFIX}-title", classes="dialog-title")
            yield Static("", id=f"{self.PREFIX}-summary", classes="dialog-summary")
            yield self.make_list().add_class("dialog-list")
            yield Static(self.hint(), id=f"{self.PREFIX}-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        # Subclasses use ready(), not on_mount: Textual calls every class's on_mount,
        # a subclass's before this one, when the list is still empty.
        self.follow_view()
        self.query_one(".dialog-list").focus()
        self.ready()

    def ready(self) -> None:
        """Once the list is filled and focused."""
