"""The cohort's records as files: every note (CSV, JSON) and a session's sign-in sheet.

**CSV for a spreadsheet in French.** The notes and the sign-in sheet are opened in Excel
or LibreOffice far more often than read by a program (scripts have the JSON), so the CSV
is written for them:

* UTF-8 *with* a byte-order mark. Without it Excel reads a CSV as Windows-1252 and turns
  « Élodie » into « Ã‰lodie »; with it Excel, LibreOffice, pandas (``utf-8-sig``) and
  Python's csv module (``encoding="utf-8-sig"``) all read the accents right.
* Fields separated by ``;`` in French, ``,`` in English: a French Excel splits columns on
  its list separator, the semicolon (the comma is its decimal mark), and would put a
  whole comma-separated line in one cell.
* A cell a person typed that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading
  apostrophe, which spreadsheets hide: otherwise a note like « =HYPERLINK(...) » would run
  as a formula on the reader's machine (CSV injection). The JSON keeps the text as typed.

Times are the cohort's local time (where the sessions take place), ISO 8601 with their
UTC offset, so they sort as text and stay exact. JSON keys are stable English words;
the labels beside them follow the language asked for.

**The sign-in sheet** (feuille d'émargement) lists who is expected at a session, with
their structure and role and a blank column to sign in, two for a session spanning a
meal (funders ask for a signature per half-day). It is a
:class:`~facilitator.document.Document`, so it prints like the other documents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from facilitator.agenda import ItemKind, clock_time, minute_of_day
from facilitator.document import Document, Item, Items, Table, cell, to_html, to_markdown
from facilitator.domain import InvalidInput, Note, Participant, Session, SessionKind
from facilitator.i18n import language, t
from facilitator.programme import MEAL_MINUTES, format_day, session_plan
from facilitator.text import fold
from facilitator.view import CohortView

CSV_DELIMITER = {"fr": ";", "en": ","}
"""The list separator a spreadsheet expects in each language (see the module's notes)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SPARE_ROWS = 3
"""Blank lines at the end of a printed sheet, for whoever comes without being listed."""


class NotesFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class SheetFormat(StrEnum):
    CSV = "csv"
    MARKDOWN = "md"
    HTML = "html"


def _csv(rows: Iterable[Sequence[str]], lang: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER.get(lang, ","), lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _typed(text: str) -> str:
    """A cell a person typed, kept from running as a formula in a spreadsheet."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# --- notes --------------------------------------------------------------------------------


def _note_record(note: Note, view: CohortView, lang: str) -> dict[str, Any]:
    """One note with stable keys: the enum values a script matches on, and their labels."""
    session = view.session(note.session_id)
    structure = view.structure(note.structure_id)
    return {
        "id": note.id,
        "created": note.created.to(view.cohort.timezone).isoformat(timespec="seconds"),
        "session_kind": session.kind.value if session else None,
        "session_label": t(f"domain.sessionkind.{session.kind.value}", lang) if session else "",
        "session_date": session.date.isoformat() if session and session.date else None,
        "structure_id": structure.id if structure else None,
        "structure": structure.name if structure else "",
        "kind": note.kind.value,
        "kind_label": t(f"domain.notekind.{note.kind.value}", lang),
        "lever": note.lever.value if note.lever else None,
        "lever_label": t(f"domain.lever.{note.lever.value}", lang) if note.lever else "",
        "das": note.das,
        "text": note.text,
        "author": note.author,
    }


NOTE_COLUMNS = (
    "id",
    "created",
    "session_label",
    "structure",
    "kind_label",
    "lever_label",
    "das",
    "text",
    "author",
)
"""The CSV's columns, in order: the JSON's keys a spreadsheet reader wants."""
NOTE_HEADERS = {
    "id": "records.notes.column.id",
    "created": "records.notes.column.created",
    "session_label": "word.session",
    "structure": "word.structure",
    "kind_label": "word.kind",
    "lever_label": "word.lever",
    "das": "word.das",
    "text": "word.text",
    "author": "records.notes.column.author",
}
"""Each column's heading, in the person's language."""

_TYPED_COLUMNS = frozenset({"structure", "das", "text", "author"})


def export_notes(
    view: CohortView, *, fmt: NotesFormat | str = NotesFormat.CSV, lang: str | None = None
) -> bytes:
    """Every note of the cohort, oldest first (the order they were taken in)."""
    lang = lang or language()
    records = [_note_record(note, view, lang) for note in view.notes]
    if NotesFormat(fmt) == NotesFormat.JSON:
        return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    header = [t(NOTE_HEADERS[name], lang) for name in NOTE_COLUMNS]
    rows = [
        [
            _typed(record[name] or "") if name in _TYPED_COLUMNS else str(record[name] or "")
            for name in NOTE_COLUMNS
        ]
        for record in records
    ]
    return _csv([header, *rows], lang)


# --- the sign-in sheet ------------------------------------------------------------------------


def next_session(view: CohortView, today: dt.date, structure_id: str | None = None) -> Session:
    """The next session to come (today's included): the sheet one prints without asking.

    With a structure, only the sessions it attends (the collective ones and its own
    bilan). Several at the same time, or none dated ahead, is said, with what to type.
    """
    ahead = [
        s
        for s in view.sessions
        if s.date is not None
        and s.date >= today
        and (structure_id is None or s.structure_id in (None, structure_id))
    ]
    if not ahead:
        raise InvalidInput("records.error.no_next_session", "session")

    def moment(session: Session) -> tuple[dt.date, dt.time]:
        return (session.date or dt.date.max, session.start_time or dt.time())

    first = min(moment(s) for s in ahead)
    tied = [s for s in ahead if moment(s) == first]
    if len(tied) > 1:
        names = ", ".join(view.session_title(s) for s in tied)  # the current language
        raise InvalidInput("records.error.several_next", "session", names=names)
    return tied[0]


def expected(view: CohortView, session: Session, structure_id: str | None) -> list[Participant]:
    """Who is expected: everyone at a collective session, the structure's people at its
    bilan; ``structure_id`` narrows to one structure. By structure, then by name."""
    owner = session.structure_id if session.kind == SessionKind.BILAN else None
    wanted = structure_id or owner
    names = view.structure_names()
    people = [p for p in view.participants if wanted is None or p.structure_id == wanted]
    return sorted(people, key=lambda p: (fold(names.get(p.structure_id, "")), fold(p.name)))


def _spans_a_meal(session: Session, view: CohortView) -> bool:
    plan = session_plan(session, view.structures)
    return any(
        item.kind == ItemKind.BREAK.value and item.minutes >= MEAL_MINUTES for item in plan.items
    )


def attendance_document(
    view: CohortView,
    session: Session,
    *,
    structure_id: str | None = None,
    lang: str | None = None,
) -> Document:
    """The sign-in sheet of ``session``: details, then one row per expected person."""
    lang = lang or language()
    plan = session_plan(session, view.structures)
    end = clock_time(minute_of_day(plan.start) + plan.span_minutes)
    hours = f"{plan.start:%H:%M} – {end:%H:%M}"
    day = format_day(session.date, lang) if session.date else t("word.to_be_set", lang)
    details = [
        t("exports.agenda.date", lang, value=day),
        t("exports.agenda.hours", lang, value=hours),
        t("exports.agenda.place", lang, value=session.place or t("exports.agenda.no_place", lang)),
        t("exports.agenda.cohort", lang, value=view.cohort.name),
    ]
    halves = ("morning", "afternoon") if _spans_a_meal(session, view) else ("single",)
    columns = (
        *(t(key, lang) for key in ("records.sheet.column.name", "word.structure", "word.role")),
        *(t(f"records.sheet.column.sign_{half}", lang) for half in halves),
    )
    names = view.structure_names()
    rows = tuple(
        (
            cell(person.name),
            cell(names.get(person.structure_id, "")),
            cell(t(f"domain.role.{person.role.value}", lang)),
            *(cell() for _ in halves),
        )
        for person in expected(view, session, structure_id)
    )
    table = Table(
        columns=columns,
        rows=rows,
        sign=frozenset(range(3, 3 + len(halves))),
        spare_rows=SPARE_ROWS,
    )
    title = t("records.sheet.title", lang, session=view.session_title(session, lang))
    return Document(lang, title, (Items(tuple(Item(d) for d in details), bullets=False), table))


def export_attendance(
    view: CohortView,
    session: Session,
    *,
    structure_id: str | None = None,
    fmt: SheetFormat | str = SheetFormat.CSV,
    lang: str | None = None,
) -> bytes:
    """The sign-in sheet in ``fmt``: a printable page, or a CSV to fill in a spreadsheet."""
    lang = lang or language()
    doc = attendance_document(view, session, structure_id=structure_id, lang=lang)
    chosen = SheetFormat(fmt)
    if chosen == SheetFormat.HTML:
        return to_html(doc).encode("utf-8")
    if chosen == SheetFormat.MARKDOWN:
        return to_markdown(doc).encode("utf-8")
    table = next(block for block in doc.blocks if isinstance(block, Table))
    rows = [[_typed(" / ".join(c.lines)) for c in row] for row in table.rows]
    return _csv([list(table.columns), *rows], lang)
