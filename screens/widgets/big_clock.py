"""A clock a room can read: big digits, one line saying what they mean, a thin progress line.

Built to be cheap over SSH: each part has a fixed height and repaints only when
its own text changed, without a layout pass (a running countdown changes the
digits once a second and nothing else).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from facilitator.i18n import t

LEVELS = ("warn", "critical", "over", "paused", "waiting", "finished")

# Each glyph on a grid of 3 × 5 pixels (the colon 1 × 5), drawn with half blocks: a
# pixel is ``scale`` cells wide and half as many rows high, so it is about square.
FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("...", "...", "...", "...", "..."),
}
GLYPH_ROWS = 5
WIDEST = "+88:88"  # an overtime: the scale is chosen for it, so it never jumps


def pixel_width(text: str) -> int:
    """Pixels across ``text``, a one-pixel gap between glyphs."""
    return sum(len(FONT.get(c, FONT[" "])[0]) for c in text) + max(len(text) - 1, 0)


def big_lines(text: str, scale: int) -> list[str]:
    """``text`` in big digits, ``scale`` cells a pixel: half as many rows as pixel rows."""
    rows = [".".join(FONT.get(c, FONT[" "])[r] for c in text) for r in range(GLYPH_ROWS)]
    tall = [row.replace("#", "#" * scale).replace(".", "." * scale) for row in rows]
    half_rows = [line for line in tall for _ in range(scale)]
    if len(half_rows) % 2:
        half_rows.append("." * len(half_rows[0]))
    cells = {("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄", (".", "."): " "}
    return [
        "".join(cells[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(half_rows[::2], half_rows[1::2], strict=True)
    ]


def fitting_scale(width: int, rows: int) -> int:
    """The largest scale at which an overtime fits ``width`` cells and ``rows`` rows."""
    across = max(width, 0) // pixel_width(WIDEST)
    down = 2 * max(rows, 0) // GLYPH_ROWS
    return max(1, min(across, down))


class BigDigits(Widget):
    """The clock's digits, as large as the window allows (``scale``): readable from the
    back of the room on a projector, three rows at the smallest."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = ""
        self.scale = 1

    def update(self, value: str) -> None:
        """A new value repaints the digits' cells; only a new length takes a layout."""
        if value != self.value:
            relayout = len(value) != len(self.value)
            self.value = value
            self.refresh(layout=relayout)

    def rescale(self, scale: int) -> None:
        if scale != self.scale:
            self.scale = scale
            self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return pixel_width(self.value) * self.scale

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return -(-GLYPH_ROWS * self.scale // 2) if self.value else 0

    def render(self) -> Text:
        return Text("\n".join(big_lines(self.value, self.scale)), no_wrap=True)


class BigClock(Vertical):
    """The digits (as large as the window allows) and their caption (1 line), centred.

    ``level`` is a CSS class: the colours below are chosen so that they stay
    apart in 16 colours too (white, bright yellow, bright red, grey, cyan),
    where the theme's warning and error both fall on bright red.
    """

    DEFAULT_CSS = """
    BigClock { height: auto; width: 100%; }
    BigClock > Center { height: auto; }
    BigClock BigDigits { width: auto; height: auto; color: $text; text-style: bold; }
    BigClock #big-caption { width: 100%; height: 1; text-align: center; }
    BigClock.-warn BigDigits { color: #ffd24a; }
    BigClock.-critical BigDigits, BigClock.-over BigDigits { color: #ff5f5f; }
    BigClock.-over #big-caption { color: #ff5f5f; text-style: bold; }
    BigClock.-paused BigDigits { color: #9e9e9e; }
    BigClock.-paused #big-caption { text-style: bold reverse; }
    BigClock.-waiting BigDigits { color: #87d7ff; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._digits = ""
        self._caption = ""

    def compose(self) -> ComposeResult:
        # Centred as a box of its own width: a tick repaints the digits' cells, not the row.
        with Center():
            yield BigDigits(id="big-digits")
        yield Static("", id="big-caption", markup=False)

    def fit(self, width: int, rows: int) -> None:
        """Size the digits for a window of ``width`` cells with ``rows`` rows to spare."""
        self.query_one(BigDigits).rescale(fitting_scale(width, rows))

    def show(self, digits: str, caption: str, level: str) -> None:
        """Repaint what changed only: the digits, the caption, the colour."""
        for name in LEVELS:
            self.set_class(level == name, f"-{name}")
        if digits != self._digits:
            if bool(digits) != bool(self._digits):
                self.query_one(Center).display = bool(digits)  # once the session has ended
            self._digits = digits
            self.query_one(BigDigits).update(digits)
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
