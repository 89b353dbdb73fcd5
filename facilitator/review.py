"""``facilitator review``: a bilan brief or the cohort's summary, printed in the terminal.

Read over SSH on a phone or a laptop minutes before a meeting, often piped into
``less`` or a file: so it is plain Rich output (no TUI, and no Textual import, which
would double the start-up time), as wide as the terminal or 80 columns when not one,
without colour when not a terminal or when ``NO_COLOR`` is set, and built from the same
:class:`~facilitator.document.Document` as the printed bilan, so screen and paper agree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TextIO

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from facilitator.document import Cell, Document, Heading, Item, Items, Paragraph, Table, Tone
from facilitator.terminal import visible

NOT_A_TERMINAL_WIDTH = 80
"""A pipe or a file gets 80 columns: what a mail, a printer or ``less`` on a phone shows."""

TONE_STYLES = {Tone.PLAIN: "", Tone.GOOD: "green", Tone.WARN: "bold yellow", Tone.MUTED: "dim"}

INDENT = 2


def make_console(file: TextIO | None = None) -> Console:
    """A console sized by the terminal, or 80 columns and no colour for a pipe or a file.

    Markup, emoji codes and highlighting are off: the text is what people typed, and a
    note reading « [urgent] » or « :) » must print as written.
    """
    stream = file or sys.stdout
    tty = stream.isatty()
    return Console(
        file=stream,
        width=None if tty else NOT_A_TERMINAL_WIDTH,
        force_terminal=tty,
        no_color=not tty or bool(os.environ.get("NO_COLOR")),
        color_system="auto" if tty else None,
        markup=False,
        emoji=False,
        highlight=False,
    )


def _text(text: str, style: str = "") -> Text:
    """Every string printed here comes from the data: control characters are shown
    (see :mod:`facilitator.terminal`), newlines of a multi-line note kept."""
    return Text(visible(text, keep="\n"), style=style)


def _styled(text: str, tone: Tone, extra: str = "") -> Text:
    style = " ".join(s for s in (TONE_STYLES[tone], extra) if s)
    return _text(text, style)


def _item(item: Item) -> Text:
    line = _styled(item.text, item.tone)
    if item.meta:
        line.append("  ")
        line.append(_text(item.meta, "dim"))
    return line


def _items(block: Items, indent: int) -> RenderableType:
    if not block.items:
        return Padding(_styled(block.empty, Tone.MUTED, "italic"), (0, 0, 0, indent), expand=False)
    if not block.bullets:
        lines = Text("\n").join(_item(item) for item in block.items)
        return Padding(lines, (0, 0, 0, indent), expand=False)
    # A grid, so a long note wraps under its own text and not under the bullet.
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in block.items:
        grid.add_row(Text("•", style="dim"), _item(item))
    return Padding(grid, (0, 0, 0, indent), expand=False)


def _cell(value: Cell) -> Text:
    text = _styled("\n".join(value.lines), value.tone)
    if value.meta:
        text.append(_text(f"\n{value.meta}", "dim"))
    return text


def _table(block: Table, indent: int) -> RenderableType:
    table = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        expand=False,
    )
    for index, name in enumerate(block.columns):
        numeric = index in block.numeric
        table.add_column(
            _text(name),
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=index in block.keep,
        )
    for row in block.rows:
        table.add_row(*(_cell(value) for value in row))
    return Padding(table, (0, 0, 0, indent), expand=False)


def renderables(doc: Document) -> Iterator[RenderableType]:
    """The document's blocks, laid out for a terminal: a rule under each section title,
    lists and tables indented under their heading."""
    yield _text(doc.title, "bold")
    yield Rule(characters="═", style="dim")
    indent = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level <= 2:
                yield Text()
                yield Rule(_text(block.text, "bold"), align="left", style="dim")
                indent = 0
            elif block.level == 3:
                yield _text(block.text, "bold")
                indent = INDENT
            else:
                yield Padding(_text(block.text, "italic"), (0, 0, 0, INDENT), expand=False)
                indent = INDENT * 2
        elif isinstance(block, Items):
            yield _items(block, indent)
        elif isinstance(block, Paragraph):
            yield Padding(_styled(block.text, block.tone), (0, 0, 0, indent), expand=False)
        else:
            yield _table(block, indent)


def print_document(doc: Document, console: Console | None = None) -> None:
    """Print ``doc``; lines lose the blanks Rich pads them with, which a file, a mail or
    a diff would otherwise carry (a terminal cannot tell the difference)."""
    console = console or make_console()
    for renderable in renderables(doc):
        with console.capture() as captured:
            console.print(renderable)
        lines = captured.get().split("\n")
        console.file.write("\n".join(line.rstrip(" ") for line in lines))
    console.file.flush()
