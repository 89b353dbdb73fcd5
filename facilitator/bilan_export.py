"""What the bilan phase reads: one structure's bilan brief, and the cohort as a whole.

The bilan brief is what a facilitator rereads in the five minutes before a bilan
meeting, and what they print or send for it: who comes, who came to what (was the
governance there?), the constats by lever and DAS, the ambition, freins, conditions de
réussite, the effet miroir the peers gave, the pistes d'actions, what changed per lever
between the état des lieux and afterwards, the preparatory work, and the bilan's own
record once filled. It reads :func:`facilitator.thread.thread`, the one model of a
structure's thread, and is built once as a :class:`~facilitator.document.Document`:
``facilitator review --structure`` shows it in the terminal, ``export bilan`` writes it
as Markdown, HTML or Word.

The cohort document is ``facilitator review`` without a structure (the programme with
its dates, the structures and what was noted about each, attendance, the guidance's
concerns, the themes several structures share) and, with every thread in brief, the
``export report``.

Nothing here reads the wall clock: ``today`` is passed in, in the cohort's time zone.
No record id appears in a document, so two builds of the demo give the same text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

import arrow

from facilitator.document import (
    Block,
    Cell,
    Document,
    Heading,
    Item,
    Items,
    Paragraph,
    Table,
    Tone,
    cell,
    to_docx,
    to_html,
    to_markdown,
)
from facilitator.domain import (
    FEEDBACK_QUESTIONS,
    BilanReview,
    Lever,
    Note,
    NoteKind,
    Participant,
    PreparatoryTask,
    Role,
    Session,
    SessionKind,
    TaskStatus,
    session_name,
    session_tag,
)
from facilitator.i18n import and_list, language, plural, t
from facilitator.programme import format_day, humanize_day
from facilitator.text import fold
from facilitator.thread import SessionAttendance, Thread, peer_pairs, shared_themes, thread
from facilitator.view import CohortView

SEPARATOR = " · "

MAX_THEMES = 12
"""Themes shown in the cohort summary; the smaller ones beyond are counted, not listed.
Themes overlap (two notes can share several words), so a talkative cohort would
otherwise bury the three that matter under twenty pairs."""


class BilanFormat(StrEnum):
    MARKDOWN = "md"
    HTML = "html"
    DOCX = "docx"


class ReportFormat(StrEnum):
    MARKDOWN = "md"
    HTML = "html"


# --- time and words -----------------------------------------------------------------------


def _lever(lever: Lever | None, lang: str) -> str:
    return t(f"domain.lever.{lever.value}", lang) if lever else t("word.no_lever", lang)


def _kind(kind: NoteKind, lang: str) -> str:
    return t(f"domain.notekind.{kind.value}", lang)


def _short_date(day: dt.date | None, lang: str, key: str = "review.date_short") -> str:
    if day is None:
        return t("word.to_be_set", lang)
    return str(arrow.Arrow(day.year, day.month, day.day).format(t(key, lang), locale=lang))


def _session_tag(session: Session | None, lang: str) -> str:
    """« S1 »: how facilitators name the sessions between themselves."""
    return session_tag(session.kind, lang) if session else ""


def _when(session: Session | None, today: dt.date, lang: str, *, relative: bool) -> str:
    """« mardi 16 mars 2027 à 10:00 (dans 3 mois) — Les Jardins, Aouste »."""
    if session is None:
        return t("review.session.unplanned", lang)
    if session.date is None:
        when = t("word.undated", lang)
    else:
        when = format_day(session.date, lang)
        if session.start_time:
            when = t("review.at_time", lang, day=when, time=f"{session.start_time:%H:%M}")
        if relative:
            when = t(
                "review.relative", lang, when=when, relative=humanize_day(session.date, today, lang)
            )
    if session.place:
        when = t("review.with_place", lang, when=when, place=session.place)
    return when


def _note_item(
    note: Note, view: CohortView, lang: str, *, lever: bool = True, das: bool = True
) -> Item:
    """A note and where it comes from (session, lever, DAS), as its list shows it."""
    parts = [_session_tag(view.session(note.session_id), lang)]
    if lever and note.lever:
        parts.append(_lever(note.lever, lang))
    if das and note.das:
        parts.append(note.das)
    return Item(note.text, SEPARATOR.join(p for p in parts if p))


# --- the bilan of one structure --------------------------------------------------------------

BRIEF_KINDS = (
    NoteKind.AMBITION,
    NoteKind.OBSTACLE,
    NoteKind.SUCCESS_CONDITION,
    NoteKind.MIRROR,
    NoteKind.ACTION,
)
"""The sections the brief always shows, empty or not: an empty « freins » before a
bilan is itself something to ask about."""

EXTRA_KINDS = (NoteKind.QUESTION, NoteKind.VISION_CHANGE, NoteKind.FEEDBACK)
"""Shown only when something was noted."""


def _role(person: Participant, lang: str) -> str:
    role = t(f"domain.role.{person.role.value}", lang)
    if person.governance and not person.role.is_governance:
        role = t("word.role_governance", lang, role=role)
    return role


def _presence_cells(row: SessionAttendance, today: dt.date, lang: str) -> tuple[Cell, Cell]:
    """Who came, and whether the governance was among them (the guidance asks for it)."""
    marked = row.present or row.excused or row.absent
    if not marked:
        key = "word.presence.unmarked" if row.session.held(today) else "word.presence.to_come"
        return cell(t(key, lang), tone=Tone.MUTED), cell("—", tone=Tone.MUTED)
    lines = [
        t(f"word.presence.{name}", lang, names=", ".join(p.name for p in people))
        for name, people in (
            ("present", row.present),
            ("excused", row.excused),
            ("absent", row.absent),
            ("not_marked", row.unmarked),
        )
        if people
    ]
    if row.governance_present:
        governance = cell(t("review.governance.yes", lang), tone=Tone.GOOD)
    else:
        governance = cell(t("review.governance.no", lang), tone=Tone.WARN)
    return cell(*lines), governance


def _attendance_table(th: Thread, today: dt.date, lang: str) -> Table:
    rows = []
    for row in th.sessions:
        presence, governance = _presence_cells(row, today, lang)
        rows.append(
            (
                cell(session_name(row.session.kind, lang)),
                cell(_short_date(row.session.date, lang)),
                presence,
                governance,
                cell(str(row.notes)),
            )
        )
    columns = ("word.session", "word.date", "word.attendance", "word.governance", "word.notes")
    return Table(
        columns=tuple(t(key, lang) for key in columns),
        rows=tuple(rows),
        numeric=frozenset({4}),
    )


def _constats(th: Thread, view: CohortView, lang: str) -> list[Block]:
    blocks: list[Block] = []
    for lever, by_das in th.constats.items():
        blocks.append(Heading(3, _lever(lever, lang).capitalize()))
        for das, notes in by_das.items():
            if das or len(by_das) > 1:
                blocks.append(Heading(4, das or t("review.das.none", lang)))
            items = []
            for note in notes:
                item = _note_item(note, view, lang, lever=False, das=False)
                if note.kind == NoteKind.PROBLEM:  # constats and problématiques share the list
                    item = Item(t("review.problem", lang, text=note.text), item.meta)
                items.append(item)
            blocks.append(Items(tuple(items)))
    return blocks or [Paragraph(t("review.constats.none", lang), Tone.MUTED)]


def _before_after(th: Thread, lang: str) -> Block:
    if not th.before_after:
        return Paragraph(t("word.no_levers", lang), Tone.MUTED)

    def notes_cell(notes: Sequence[Note]) -> Cell:
        if not notes:
            return cell("—", tone=Tone.MUTED)
        if len(notes) == 1:
            return cell(notes[0].text)
        return cell(*(f"• {n.text}" for n in notes))

    rows = tuple(
        (cell(_lever(row.lever, lang).capitalize()), notes_cell(row.before), notes_cell(row.after))
        for row in th.before_after
    )
    columns = (
        "word.lever",
        "review.before_after.column.before",
        "review.before_after.column.after",
    )
    return Table(tuple(t(key, lang) for key in columns), rows)


def _task_status(task: PreparatoryTask, today: dt.date, lang: str) -> Cell:
    status = t(f"domain.taskstatus.{task.status.value}", lang)
    if task.status == TaskStatus.DONE:
        return cell(status, tone=Tone.GOOD)
    if task.late(today):
        return cell(t("review.task.late", lang, status=status), tone=Tone.WARN)
    return cell(status)


def _tasks(th: Thread, today: dt.date, lang: str) -> Block:
    if not th.tasks:
        return Paragraph(t("word.no_tasks", lang), Tone.MUTED)
    rows = tuple(
        (
            cell(task.title),
            cell(session_tag(task.before, lang)),
            cell(_short_date(task.due, lang) if task.due else "—"),
            _task_status(task, today, lang),
        )
        for task in th.tasks
    )
    columns = (
        "review.tasks.column.title",
        "review.tasks.column.before",
        "review.tasks.column.due",
        "review.tasks.column.status",
    )
    return Table(tuple(t(key, lang) for key in columns), rows)


def _review(review: BilanReview, lang: str) -> list[Block]:
    """The bilan meeting's own record: the association's ratings and what comes next."""
    blocks: list[Block] = []
    rated = [(key, review.ratings.get(key)) for key in FEEDBACK_QUESTIONS]
    if any(value is not None for _, value in rated):
        rows = tuple(
            (
                cell(t(f"bilan.question.{key}", lang)),  # the wording the form asked
                cell(t("review.rating.value", lang, value=value))
                if value is not None
                else cell("—", tone=Tone.MUTED),
            )
            for key, value in rated
        )
        columns = ("review.rating.column.question", "review.rating.column.rating")
        blocks.append(
            Table(
                tuple(t(key, lang) for key in columns),
                rows,
                numeric=frozenset({1}),
            )
        )
    details = []
    if review.comments:
        details.append(Item(t("review.bilan_record.comments", lang, text=review.comments)))
    if review.third_person:
        who = review.third_person
        if review.third_person_role:
            who = t("format.person_role", lang, name=who, role=review.third_person_role)
        details.append(Item(t("review.bilan_record.third_person", lang, name=who)))
    if review.next_steps:
        details.append(Item(t("review.bilan_record.next_steps", lang, text=review.next_steps)))
    if review.follow_up:
        day = format_day(review.follow_up, lang)
        details.append(Item(t("review.bilan_record.follow_up", lang, day=day)))
    if details:
        blocks.append(Items(tuple(details), bullets=False))
    return blocks or [Paragraph(t("review.bilan_record.empty", lang), Tone.MUTED)]


def bilan_document(
    view: CohortView,
    structure_id: str,
    *,
    today: dt.date,
    lang: str | None = None,
    relative: bool = False,
) -> Document:
    """One structure's bilan brief, in ``lang``.

    ``relative`` adds « dans 12 jours » beside the bilan's date: right on a screen read
    today, wrong on paper read next week, so the printed formats leave it out.
    """
    lang = lang or language()
    th = thread(view, structure_id)
    structure = th.structure
    details = [Item(t("review.bilan.cohort", lang, cohort=view.cohort.name))]
    if structure.das:
        details.append(Item(t("review.bilan.das", lang, das=SEPARATOR.join(structure.das))))
    details.append(
        Item(t("review.bilan.when", lang, when=_when(th.bilan, today, lang, relative=relative)))
    )
    # The salaried director first, then the governance: the order they speak for the structure.
    ordered = sorted(th.participants, key=lambda p: list(Role).index(p.role))
    people = tuple(Item(p.name, _role(p, lang)) for p in ordered)

    blocks: list[Block] = [
        Items(tuple(details), bullets=False),
        Heading(2, t("word.participants_count", lang, count=len(people))),
        Items(people, empty=t("review.participants.none", lang)),
        Heading(2, t("review.section.attendance", lang)),
        _attendance_table(th, today, lang),
        Heading(2, t("review.section.constats", lang)),
        *_constats(th, view, lang),
    ]
    for kind in (*BRIEF_KINDS, *EXTRA_KINDS):
        notes = th.of_kind(kind)
        if kind in EXTRA_KINDS and not notes:
            continue
        blocks.append(Heading(2, t(f"review.section.{kind.value}", lang)))
        items = tuple(_note_item(n, view, lang) for n in notes)
        blocks.append(Items(items, empty=t("review.nothing_yet", lang)))
    blocks += [
        Heading(2, t("word.before_after", lang)),
        _before_after(th, lang),
        Heading(2, t("review.section.tasks", lang)),
        _tasks(th, today, lang),
    ]
    if th.review is not None:
        blocks += [Heading(2, t("review.section.bilan_record", lang)), *_review(th.review, lang)]
    return Document(lang, t("review.bilan.title", lang, structure=structure.name), tuple(blocks))


def export_bilan(
    view: CohortView,
    structure_id: str,
    *,
    today: dt.date,
    fmt: BilanFormat | str = BilanFormat.MARKDOWN,
    lang: str | None = None,
) -> bytes:
    """The bilan brief in ``fmt``, ready to write (UTF-8 text, or a .docx file's bytes)."""
    doc = bilan_document(view, structure_id, today=today, lang=lang)
    chosen = BilanFormat(fmt)
    if chosen == BilanFormat.DOCX:
        return to_docx(doc)
    text = to_html(doc) if chosen == BilanFormat.HTML else to_markdown(doc)
    return text.encode("utf-8")


# --- the cohort as a whole ------------------------------------------------------------------


def _session_name(session: Session, view: CohortView, lang: str) -> str:
    structure = view.structure(session.structure_id)
    if session.kind == SessionKind.BILAN and structure is not None:
        return t(
            "domain.session_of",
            lang,
            session=session_name(session.kind, lang),
            structure=structure.name,
        )
    return session_name(session.kind, lang)


def _programme(view: CohortView, today: dt.date, lang: str, *, relative: bool) -> Block:
    if not view.sessions:
        return Paragraph(t("review.programme.none", lang), Tone.MUTED)
    dated = sorted(view.sessions, key=lambda s: (s.date or dt.date.max, s.start_time or dt.time()))
    rows = []
    for session in dated:
        if session.date is None:
            day = cell(t("word.undated", lang), tone=Tone.MUTED)
        else:
            # The weekday and the time in a narrow column: the whole date is in the brief.
            text = _short_date(session.date, lang, "review.date_weekday")
            if session.start_time:
                text = t("review.at_time_short", lang, day=text, time=f"{session.start_time:%H:%M}")
            day = cell(text, tone=Tone.MUTED if session.held(today) else Tone.PLAIN)
        # The place under the session's name: a fourth column would squeeze all three.
        row = [cell(_session_name(session, view, lang), meta=session.place or "—"), day]
        if relative:
            row.append(cell(humanize_day(session.date, today, lang) if session.date else ""))
        rows.append(tuple(row))
    columns = ["review.programme.column.session", "word.date", *(["word.when"] if relative else [])]
    return Table(
        tuple(t(key, lang) for key in columns),
        tuple(rows),
        keep=frozenset({1, 2}),
    )


def _kind_counts(th: Thread, lang: str) -> str:
    counts = [
        plural(f"review.kind.{kind.value}", len(notes), lang) for kind, notes in th.notes.items()
    ]
    return ", ".join(counts) if counts else t("review.structures.no_notes", lang)


def _structures(threads: Sequence[Thread], lang: str) -> Block:
    if not threads:
        return Paragraph(t("review.structures.none", lang), Tone.MUTED)
    rows = []
    for th in threads:
        governance = sum(1 for p in th.participants if p.speaks_for_governance)
        people = t(
            "review.structures.people", lang, count=len(th.participants), governance=governance
        )
        done = sum(1 for task in th.tasks if task.status == TaskStatus.DONE)
        tasks = f"{done}/{len(th.tasks)}" if th.tasks else "—"
        rows.append(
            (
                cell(th.structure.name),
                cell(people, tone=Tone.PLAIN if governance else Tone.WARN),
                cell(_kind_counts(th, lang)),
                cell(tasks),
            )
        )
    columns = (
        "word.structure",
        "word.participants",
        "word.notes",
        "review.structures.column.tasks",
    )
    return Table(tuple(t(key, lang) for key in columns), tuple(rows))


def _attendance(view: CohortView, threads: Sequence[Thread], today: dt.date, lang: str) -> Block:
    """Per collective session held: how many came, and whose governance was missing."""
    rows = []
    for session in view.collective_sessions():
        if not session.held(today):
            continue
        lived = [
            (th.structure.name, row)
            for th in threads
            for row in th.sessions
            if row.session.id == session.id
        ]
        people = sum(len(th.participants) for th in threads)
        present = sum(len(row.present) for _, row in lived)
        if not any(row.present or row.excused or row.absent for _, row in lived):
            rows.append(
                (
                    cell(session_name(session.kind, lang)),
                    cell(t("word.presence.unmarked", lang), tone=Tone.MUTED),
                    cell("—", tone=Tone.MUTED),
                )
            )
            continue
        missing = [name for name, row in lived if not row.governance_present]
        with_governance = len(lived) - len(missing)
        governance = [
            t("review.attendance.governance_count", lang, count=with_governance, total=len(lived))
        ]
        if missing:
            governance.append(
                t("review.attendance.governance_missing", lang, names=", ".join(missing))
            )
        rows.append(
            (
                cell(session_name(session.kind, lang)),
                cell(t("review.attendance.present_count", lang, count=present, total=people)),
                cell(*governance, tone=Tone.WARN if missing else Tone.GOOD),
            )
        )
    if not rows:
        return Paragraph(t("review.attendance.none_held", lang), Tone.MUTED)
    columns = ("word.session", "review.attendance.cohort_column.present", "word.governance")
    return Table(tuple(t(key, lang) for key in columns), tuple(rows))


def _concerns(view: CohortView, today: dt.date, lang: str) -> Items:
    from facilitator.rules import Severity, concerns

    found = concerns(
        view.cohort, view.structures, view.participants, view.sessions, today=today, lang=lang
    )
    items = tuple(
        Item(
            f"{f.message} {f.advice}",
            tone=Tone.WARN if f.severity == Severity.WARNING else Tone.PLAIN,
        )
        for f in found
    )
    return Items(items, empty=t("review.concerns.none", lang))


def _themes(view: CohortView, lang: str) -> list[Block]:
    """« 3 structures partagent ce frein », with what each of them said, then who could
    work with whom: the effet miroir across the cohort, for the facilitator to use."""
    themes = shared_themes(view.notes)
    if not themes:
        return [Paragraph(t("review.themes.none", lang), Tone.MUTED)]
    names = view.structure_names()
    blocks: list[Block] = []
    for theme in themes[:MAX_THEMES]:
        title = t(
            f"review.theme.{theme.kind.value}",
            lang,
            count=theme.structures,
            lever=_lever(theme.lever, lang),
        )
        blocks.append(Heading(3, title))
        blocks.append(
            Items(tuple(Item(n.text, names.get(n.structure_id or "", "")) for n in theme.notes))
        )
    if len(themes) > MAX_THEMES:
        blocks.append(
            Paragraph(plural("review.themes.more", len(themes) - MAX_THEMES, lang), Tone.MUTED)
        )
    pairs = sorted(
        (
            (sorted((names.get(a, ""), names.get(b, "")), key=fold), n)
            for a, b, n in peer_pairs(themes)
        ),
        key=lambda pair: (-pair[1], [fold(name) for name in pair[0]]),
    )
    if pairs:
        blocks.append(Heading(3, t("review.themes.pairs", lang)))
        items = tuple(
            Item(and_list(pair, lang), plural("review.themes.shared", n, lang)) for pair, n in pairs
        )
        blocks.append(Items(items))
    return blocks


def _thread_in_brief(th: Thread, view: CohortView, today: dt.date, lang: str) -> list[Block]:
    """One structure in the report: who, when its bilan is, and what was noted, by kind."""
    people = [
        t("format.person_role", lang, name=p.name, role=_role(p, lang)) for p in th.participants
    ]
    details = [
        Item(t("review.report.people", lang, names=", ".join(people) or "—")),
        Item(t("review.bilan.when", lang, when=_when(th.bilan, today, lang, relative=False))),
    ]
    blocks: list[Block] = [Heading(3, th.structure.name), Items(tuple(details), bullets=False)]
    for kind, notes in th.notes.items():
        blocks.append(Heading(4, t(f"review.section.{kind.value}", lang)))
        blocks.append(Items(tuple(_note_item(n, view, lang) for n in notes)))
    if not th.notes:
        blocks.append(Paragraph(t("review.structures.no_notes", lang), Tone.MUTED))
    return blocks


def cohort_document(
    view: CohortView,
    *,
    today: dt.date,
    lang: str | None = None,
    relative: bool = False,
    threads: bool = False,
) -> Document:
    """The cohort at a glance; with ``threads``, every structure's thread in brief (the
    report). ``relative`` adds a « quand » column to the programme, for the screen."""
    lang = lang or language()
    cohort = view.cohort
    all_threads = [thread(view, s.id) for s in view.structures]
    details = [Item(t("review.cohort.as_of", lang, day=format_day(today, lang)))]
    where = [t(f"domain.approach.{cohort.approach.value}", lang)]
    if cohort.territory:
        where.append(cohort.territory)
    details.append(Item(t("review.cohort.approach", lang, approach=SEPARATOR.join(where))))
    if cohort.dlas:
        details.append(Item(t("review.cohort.dlas", lang, names=", ".join(cohort.dlas))))
    if cohort.consultants:
        names = ", ".join(c.name for c in cohort.consultants)
        details.append(Item(t("review.cohort.consultants", lang, names=names)))
    blocks: list[Block] = [
        Items(tuple(details), bullets=False),
        Heading(2, t("word.programme", lang)),
        _programme(view, today, lang, relative=relative),
        Heading(2, t("review.section.structures", lang, count=len(all_threads))),
        _structures(all_threads, lang),
        Heading(2, t("word.attendance", lang)),
        _attendance(view, all_threads, today, lang),
        Heading(2, t("review.section.concerns", lang)),
        _concerns(view, today, lang),
        Heading(2, t("review.section.themes", lang)),
        *_themes(view, lang),
    ]
    title = cohort.name
    if threads:
        title = t("review.report.title", lang, cohort=cohort.name)
        blocks.append(Heading(2, t("review.section.threads", lang)))
        for th in all_threads:
            blocks += _thread_in_brief(th, view, today, lang)
    return Document(lang, title, tuple(blocks))


def export_report(
    view: CohortView,
    *,
    today: dt.date,
    fmt: ReportFormat | str = ReportFormat.MARKDOWN,
    lang: str | None = None,
) -> bytes:
    """The whole-cohort report in ``fmt``, UTF-8 encoded."""
    doc = cohort_document(view, today=today, lang=lang, threads=True)
    text = to_html(doc) if ReportFormat(fmt) == ReportFormat.HTML else to_markdown(doc)
    return text.encode("utf-8")
