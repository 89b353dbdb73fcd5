"""A clock a room can read: big digits, one line saying what they mean, a thin progress line.

Built to be cheap over SSH: each part has a fixed height and repaints only when
its own text changed, without a layout pass (a running countdown changes the
digits once a second and nothing else).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widget import Widget
from textual.widgets import Digits, Static

from facilitator.i18n import t

LEVELS = ("warn", "critical", "over", "paused", "waiting", "finished")


class BigClock(Vertical):
    """The digits (3 lines) and their caption (1 line), centred.

    ``level`` is a CSS class: the colours below are chosen so that they stay
    apart in 16 colours too (white, bright yellow, bright red, grey, cyan),
    where the theme's warning and error both fall on bright red.
    """

    DEFAULT_CSS = """
    BigClock { height: auto; width: 100%; }
    BigClock > Center { height: 3; }
    BigClock Digits { width: auto; height: 3; color: $text; text-style: bold; }
    BigClock #big-caption { width: 100%; height: 1; text-align: center; }
    BigClock.-warn Digits { color: #ffd24a; }
    BigClock.-critical Digits, BigClock.-over Digits { color: #ff5f5f; }
    BigClock.-over #big-caption { color: #ff5f5f; text-style: bold; }
    BigClock.-paused Digits { color: #9e9e9e; }
    BigClock.-paused #big-caption { text-style: bold reverse; }
    BigClock.-waiting Digits { color: #87d7ff; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._digits = ""
        self._caption = ""

    def compose(self) -> ComposeResult:
        # Centred as a box of its own width: a tick repaints the digits' cells, not the row.
        with Center():
            yield Digits("", id="big-digits")
        yield Static("", id="big-caption", markup=False)

    def show(self, digits: str, caption: str, level: str) -> None:
        """Repaint what changed only: the digits, the caption, the colour."""
        for name in LEVELS:
            self.set_class(level == name, f"-{name}")
        if digits != self._digits:
            if bool(digits) != bool(self._digits):
                self.query_one(Center).display = bool(digits)  # once the session has ended
            self._digits = digits
            self.query_one(Digits).update(digits)
        if caption != self._caption:
            self._caption = caption
            self.query_one("#big-caption", Static).update(caption, layout=False)


class ProgressLine(Widget):
    """``━━━━━━────────  séquence 3 / 12``: how far the session is, at a glance.

    The bar's glyphs differ (heavy and light lines), so it reads without colour.
    """

    DEFAULT_CSS = """
    ProgressLine { height: 1; width: 100%; content-align: center middle; }
    """

    BAR_WIDTH = 40

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.position = 0
        self.count = 0
        self.share = 0.0
        self._key: tuple[int, int, int, int] | None = None

    def show(self, position: int, count: int, share: float) -> None:
        self.position, self.count, self.share = position, count, share
        key = (position, count, self._filled(), self.size.width)
        if key != self._key:
            self._key = key
            self.refresh(layout=False)

    def _bar_width(self) -> int:
        return max(0, min(self.BAR_WIDTH, self.size.width - 24))

    def _filled(self) -> int:
        return round(self._bar_width() * max(0.0, min(1.0, self.share)))

    def on_resize(self) -> None:
        self.show(self.position, self.count, self.share)

    def render(self) -> Text:
        if self.count == 0:
            return Text("")
        width, filled = self._bar_width(), self._filled()
        line = Text(justify="center", no_wrap=True, overflow="ellipsis")
        line.append("━" * filled, style="bold")
        line.append("─" * (width - filled), style="dim")
        if width:
            line.append("  ")
        line.append(t("projector.progress", position=self.position, count=self.count))
        return line
