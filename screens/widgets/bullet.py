"""A mark and a text, with the text's wrapped lines kept under the text.

The dashboard's lists (the calendar, the findings and their advice, the tasks) read
as lists in 80 columns only if the second line of a long sentence does not run back
under the mark; a single ``Static`` cannot hang its indent, two side by side can.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.widgets import Static


class Bullet(HorizontalGroup):
    """One list item: ``mark`` in a two-cell gutter, ``text`` wrapped beside it.

    Style the parts through their classes, ``bullet--mark`` and ``bullet--text``;
    the item's own classes say what it is (``-warning``, ``-done``...).
    """

    DEFAULT_CSS = """
    Bullet {
        height: auto;
    }
    Bullet > .bullet--mark {
        width: 2;
        height: auto;
    }
    Bullet > .bullet--text {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(
        self,
        mark: str | Content,
        text: str | Content,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._mark = mark
        self._text = text

    def compose(self) -> ComposeResult:
        # Words come from the caller as data, never as markup: a structure named
        # « [Les Amis] » must show its brackets.
        yield Static(self._as_content(self._mark), classes="bullet--mark")
        yield Static(self._as_content(self._text), classes="bullet--text")

    @staticmethod
    def _as_content(value: str | Content) -> Content:
        return value if isinstance(value, Content) else Content(value)
