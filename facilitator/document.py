"""A printed document as a few kinds of blocks, and its layouts: Markdown, HTML, Word.

The bilan of a structure, the cohort's report and the sign-in sheet are each built once
as a :class:`Document` (headings, lists, tables, paragraphs) whose words are already in
the language asked for; a layout only places them and decides nothing. So the brief a
facilitator reads in a terminal before a bilan meeting (``facilitator.review`` lays the
same blocks out with Rich) and the page printed for it cannot say different things, and
a new format is one function, not a second copy of every document.

Every layout escapes what people typed (a structure named ``<Atelier | Bis>`` stays
that name) and is deterministic: the same document gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

_NOT_IN_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def format_safe(text: str) -> str:
    """Text that HTML, Word (XML) and iCalendar can all hold.

    A note may carry a control character pasted from elsewhere; Word refuses the
    whole document for one, and HTML and iCalendar forbid them. Each control
    character (tab and newline aside), DEL and C1 ones, a lone surrogate or a
    non-character becomes U+FFFD, so the person sees where something was.
    """
    return _NOT_IN_XML.sub("\ufffd", text)


def _cleaned(value: Any) -> Any:
    """``value`` (a document or any part of it) with every string made format-safe."""
    if isinstance(value, str):
        return format_safe(value)
    if isinstance(value, tuple | list):
        return type(value)(_cleaned(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _cleaned(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


class Tone(StrEnum):
    """What a piece of text tells at a glance; a layout turns it into colour or weight."""

    PLAIN = "plain"
    GOOD = "good"  # governance represented, a task done
    WARN = "warn"  # governance missing, a task late, a finding
    MUTED = "muted"  # nothing to say yet: "to come", "—"


@dataclass(frozen=True)
class Heading:
    """A section title; the document's own title is level 1, its sections level 2."""

    level: int
    text: str


@dataclass(frozen=True)
class Item:
    """One line of a list: a note, a person, a finding; ``meta`` is its muted detail."""

    text: str
    meta: str = ""
    tone: Tone = Tone.PLAIN


@dataclass(frozen=True)
class Items:
    """A list. Without bullets it reads as a heading's details (date, place, cohort).

    ``empty`` is said when there is nothing, so a reader knows the section was looked at
    and is empty, rather than wondering whether it was left out.
    """

    items: tuple[Item, ...]
    bullets: bool = True
    empty: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    tone: Tone = Tone.PLAIN


@dataclass(frozen=True)
class Cell:
    """A table cell: one or more lines (several notes in one before/after cell), and
    a muted detail under them (a session's place under its name)."""

    lines: tuple[str, ...] = ()
    tone: Tone = Tone.PLAIN
    meta: str = ""


def cell(*lines: str, tone: Tone = Tone.PLAIN, meta: str = "") -> Cell:
    return Cell(tuple(lines), tone, meta)


@dataclass(frozen=True)
class Table:
    """A table with a header row.

    ``keep`` marks short columns (dates, counts) a narrow layout should keep on one line
    and take room from the others. ``sign`` marks columns left blank to be signed by
    hand: printed layouts make their rows tall enough for a signature and add
    ``spare_rows`` blank rows for people who come without being on the list.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()
    keep: frozenset[int] = frozenset()
    sign: frozenset[int] = frozenset()
    spare_rows: int = 0


Block = Heading | Items | Paragraph | Table


@dataclass(frozen=True)
class Document:
    lang: str
    title: str
    blocks: tuple[Block, ...]


# --- Markdown ---------------------------------------------------------------------------


_MARKDOWN_SPECIAL = "\\`*_[]<>|#"


def markdown_escape(text: str) -> str:
    """Text as itself in Markdown: one line, punctuation that means something escaped.

    The facilitator's own titles and places may hold a ``|`` (which would split a
    table cell) or a ``*``; CommonMark shows any backslash-escaped punctuation as is.
    """
    flat = " ".join(text.split())
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in flat)


def to_markdown(doc: Document) -> str:
    """CommonMark with pipe tables; every typed text escaped, one line per list item."""

    def md_cell(value: Cell) -> str:
        # A pipe-table cell is one line: several lines become <br>, which the usual
        # renderers (GitHub, GitLab, pandoc's HTML) show as line breaks.
        lines = [markdown_escape(line) for line in value.lines]
        if value.meta:
            lines.append(f"*{markdown_escape(value.meta)}*")
        return "<br>".join(lines)

    out = [f"# {markdown_escape(doc.title)}", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * max(block.level, 2)} {markdown_escape(block.text)}", ""]
        elif isinstance(block, Items):
            if not block.items:
                if block.empty:
                    out += [f"*{markdown_escape(block.empty)}*", ""]
                continue
            for item in block.items:
                meta = f" — *{markdown_escape(item.meta)}*" if item.meta else ""
                out.append(f"- {markdown_escape(item.text)}{meta}")
            out.append("")
        elif isinstance(block, Paragraph):
            text = markdown_escape(block.text)
            out += [f"*{text}*" if block.tone == Tone.MUTED else text, ""]
        else:
            out.append("| " + " | ".join(markdown_escape(c) for c in block.columns) + " |")
            rule = ("---:" if i in block.numeric else "---" for i in range(len(block.columns)))
            out.append("| " + " | ".join(rule) + " |")
            for row in block.rows:
                out.append("| " + " | ".join(md_cell(c) for c in row) + " |")
            out.append("")
    return "\n".join(out)


# --- HTML -------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 15mm 15mm 18mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 10.5pt;
  color: #111; line-height: 1.35; max-width: 180mm; margin: 10mm auto; padding: 0 4mm; }
h1 { font-size: 17pt; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 0.4mm solid #333; }
h3 { font-size: 11.5pt; margin: 4mm 0 1.5mm; }
h4 { font-size: 10.5pt; font-style: italic; margin: 3mm 0 1mm; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
ul { margin: 0 0 3mm; padding-left: 6mm; }
ul.details { list-style: none; padding: 0; }
li { margin: 0.6mm 0; break-inside: avoid; }
.meta { color: #555; font-size: 9.5pt; }
p { margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; }
thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm;
  border-bottom: 0.3mm solid #bbb; }
th { border-bottom: 0.6mm solid #333; }
th.numeric, td.numeric { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.sign { width: 45mm; height: 14mm; border: 0.3mm solid #777; }
.good { color: #1b5e20; }
.warn { color: #8a1c1c; font-weight: bold; }
.muted { color: #666; font-style: italic; }
@media print { body { margin: 0; padding: 0; max-width: none; } }
"""


def _e(text: str) -> str:
    return html.escape(format_safe(text), quote=True)


def _tone_class(tone: Tone, *others: str) -> str:
    names = [*others, tone.value] if tone != Tone.PLAIN else list(others)
    return f' class="{" ".join(names)}"' if names else ""


def _html_table(table: Table) -> list[str]:
    def classes(index: int) -> tuple[str, ...]:
        return ("numeric",) if index in table.numeric else ()

    head = "".join(
        f'<th scope="col"{_tone_class(Tone.PLAIN, *classes(i))}>{_e(name)}</th>'
        for i, name in enumerate(table.columns)
    )
    out = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    blank = tuple(Cell() for _ in table.columns)
    for row in (*table.rows, *(blank for _ in range(table.spare_rows))):
        cells = []
        for i, value in enumerate(row):
            extra = (*classes(i), "sign") if i in table.sign else classes(i)
            lines = [_e(line) for line in value.lines]
            if value.meta:
                lines.append(f'<span class="meta">{_e(value.meta)}</span>')
            text = "<br>".join(lines)
            cells.append(f"<td{_tone_class(value.tone, *extra)}>{text}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def to_html(doc: Document) -> str:
    """A self-contained page (inline CSS, no link, no script, no image) printable on A4."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(doc.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(doc.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(doc.title)}</h1>",
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 2), 6)
            out.append(f"<h{level}>{_e(block.text)}</h{level}>")
        elif isinstance(block, Items):
            if not block.items:
                if block.empty:
                    out.append(f'<p class="muted">{_e(block.empty)}</p>')
                continue
            out.append("<ul>" if block.bullets else '<ul class="details">')
            for item in block.items:
                meta = f' <span class="meta">— {_e(item.meta)}</span>' if item.meta else ""
                out.append(f"<li{_tone_class(item.tone)}>{_e(item.text)}{meta}</li>")
            out.append("</ul>")
        elif isinstance(block, Paragraph):
            out.append(f"<p{_tone_class(block.tone)}>{_e(block.text)}</p>")
        else:
            out += _html_table(block)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# --- Word (DOCX) --------------------------------------------------------------------------

_DOCX_LANG = {"fr": "fr-FR", "en": "en-GB"}

_DOCX_COLOURS = {Tone.GOOD: "1B5E20", Tone.WARN: "8A1C1C", Tone.MUTED: "666666"}


def to_docx(doc: Document) -> bytes:
    """A Word document (opens in Word and LibreOffice): real headings for the outline,
    real tables with a repeated header row, A4 pages, the text's language set so the
    spelling checker reads French as French."""
    # python-docx pulls in lxml: imported here so the terminal commands stay quick.
    import docx
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, RGBColor
    from docx.text.paragraph import Paragraph as DocxParagraph

    doc = _cleaned(doc)  # python-docx refuses a control character anywhere
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    document.core_properties.title = doc.title
    document.core_properties.language = _DOCX_LANG.get(doc.lang, doc.lang)
    document.core_properties.author = ""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None and (props := run_defaults.find(qn("w:rPr"))) is not None:
        lang = props.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            props.append(lang)
        lang.set(qn("w:val"), _DOCX_LANG.get(doc.lang, doc.lang))

    def write(paragraph: DocxParagraph, text: str, tone: Tone, *, bold: bool = False) -> None:
        run = paragraph.add_run(text)
        run.bold = bold or tone == Tone.WARN or None
        run.italic = tone == Tone.MUTED or None
        if tone in _DOCX_COLOURS:
            run.font.color.rgb = RGBColor.from_string(_DOCX_COLOURS[tone])

    document.add_heading(doc.title, level=1)
    for block in doc.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(max(block.level, 2), 9))
        elif isinstance(block, Items):
            if not block.items:
                if block.empty:
                    write(document.add_paragraph(), block.empty, Tone.MUTED)
                continue
            for item in block.items:
                paragraph = document.add_paragraph(style="List Bullet" if block.bullets else None)
                write(paragraph, item.text, item.tone)
                if item.meta:
                    write(paragraph, f" — {item.meta}", Tone.MUTED)
        elif isinstance(block, Paragraph):
            write(document.add_paragraph(), block.text, block.tone)
        else:
            table = document.add_table(rows=1, cols=len(block.columns))
            table.style = "Table Grid"
            header = table.rows[0]
            flag = OxmlElement("w:tblHeader")  # repeat the header row on every page
            flag.set(qn("w:val"), "true")
            header._tr.get_or_add_trPr().append(flag)
            for target, name in zip(header.cells, block.columns, strict=True):
                write(target.paragraphs[0], name, Tone.PLAIN, bold=True)
            blank = tuple(Cell() for _ in block.columns)
            for row in (*block.rows, *(blank for _ in range(block.spare_rows))):
                cells = table.add_row().cells
                if block.sign:
                    table.rows[-1].height = Mm(14)
                    table.rows[-1].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
                for target, value in zip(cells, row, strict=True):
                    lines = [(line, value.tone) for line in value.lines]
                    if value.meta:
                        lines.append((value.meta, Tone.MUTED))
                    for index, (line, tone) in enumerate(lines):
                        paragraph = target.paragraphs[0] if index == 0 else target.add_paragraph()
                        write(paragraph, line, tone)
            document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
