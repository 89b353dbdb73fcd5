"""Documents made from a cohort: a session's timed agenda, the programme's calendar.

Exports are what leaves the app: an agenda printed for the room or mailed to the
participants, a calendar imported into Google, Outlook or LibreOffice. Each is built
as bytes first, so the command line writes nothing when anything fails, and in the
language asked for (``lang``), whatever the app's current one. Nothing here reads the
wall clock; the calendar's stamp is passed in.

A session with no agenda of its own is exported with its template's
(:func:`facilitator.programme.session_plan`), and the document says so: a facilitator
printing the demo's agenda gets the proposal, not an empty table, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import arrow
import icalendar

from facilitator import __version__
from facilitator.agenda import ItemKind, PlannedItem, clock_time, item_title, minute_of_day
from facilitator.document import format_safe, markdown_escape
from facilitator.domain import SESSION_ORDER, Cohort, InvalidInput, Session, Structure
from facilitator.i18n import catalogue, language, t
from facilitator.programme import SessionPlan, format_day, session_plan
from facilitator.view import session_title


class AgendaFormat(StrEnum):
    MARKDOWN = "md"
    HTML = "html"


# --- what every agenda format shows ------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    """One line of the printed agenda; ``remark`` explains a fixed time, if any."""

    start: str
    minutes: int
    title: str
    kind: str
    remark: str
    is_break: bool
    overrun: bool


@dataclass(frozen=True)
class AgendaDocument:
    """A session's agenda as words, ready for any format (one source for md, html, ics)."""

    lang: str
    title: str
    cohort: str
    day: str
    hours: str
    place: str
    note: str | None
    rows: tuple[AgendaRow, ...]
    end: str

    def meta(self) -> list[str]:
        """The heading's lines: date, hours, place, cohort."""
        return [
            t("exports.agenda.date", self.lang, value=self.day),
            t("exports.agenda.hours", self.lang, value=self.hours),
            t("exports.agenda.place", self.lang, value=self.place),
            t("exports.agenda.cohort", self.lang, value=self.cohort),
        ]

    def columns(self) -> list[str]:
        return [
            t(key, self.lang)
            for key in (
                "exports.agenda.column.time",
                "word.minutes",
                "word.item",
                "exports.agenda.column.kind",
                "exports.agenda.column.remark",
            )
        ]


def _hhmm(time: dt.time) -> str:
    return f"{time:%H:%M}"


def _kind_label(kind: str, lang: str) -> str:
    """A custom kind typed by the facilitator is shown as typed, not as a missing key."""
    key = f"agenda.kind.{kind}"
    return t(key, lang) if key in catalogue(lang) else kind


def _remark(planned: PlannedItem, lang: str) -> str:
    fixed = planned.item.fixed_time
    if fixed is None:
        return ""
    values = {"time": _hhmm(fixed), "minutes": abs(planned.slack_before)}
    if planned.slack_before > 0:
        return t("exports.agenda.fixed_slack", lang, **values)
    if planned.slack_before < 0:
        return t("exports.agenda.fixed_overrun", lang, **values)
    return t("exports.agenda.fixed", lang, **values)


def _end_line(plan: SessionPlan, lang: str) -> str:
    end = clock_time(minute_of_day(plan.start) + plan.planned_minutes)
    slack = plan.end_slack
    values: dict[str, object] = {"time": _hhmm(end)}
    if plan.end is None or slack is None:
        return t("exports.agenda.end", lang, **values)
    values |= {"end": _hhmm(plan.end), "minutes": abs(slack)}
    which = "end_slack" if slack > 0 else "end_overrun" if slack < 0 else "end_on_time"
    return t(f"exports.agenda.{which}", lang, **values)


def _hours(plan: SessionPlan) -> str:
    """From the start to the announced end (:attr:`SessionPlan.span_minutes`)."""
    end = clock_time(minute_of_day(plan.start) + plan.span_minutes)
    return f"{_hhmm(plan.start)} – {_hhmm(end)}"


def agenda_document(
    cohort: Cohort,
    session: Session,
    structures: Sequence[Structure],
    *,
    lang: str | None = None,
) -> AgendaDocument:
    """The words of a session's agenda in ``lang``; the formats only lay them out."""
    lang = lang or language()
    plan = session_plan(session, structures)
    names = {s.id: s.name for s in structures}
    note = None
    if plan.stand_in is not None:
        note = t("exports.agenda.stand_in", lang, template=plan.stand_in.label(lang))
    rows = tuple(
        AgendaRow(
            start=_hhmm(p.start),
            minutes=p.item.minutes,
            title=item_title(p.item, names, lang),
            kind=_kind_label(p.item.kind, lang),
            remark=_remark(p, lang),
            is_break=p.item.kind == ItemKind.BREAK.value,
            overrun=p.slack_before < 0,
        )
        for p in plan.planned
    )
    return AgendaDocument(
        lang=lang,
        title=session_title(session, {x.id: x.name for x in structures}, lang),
        cohort=cohort.name,
        day=format_day(session.date, lang) if session.date else t("word.to_be_set", lang),
        hours=_hours(plan),
        place=session.place or t("exports.agenda.no_place", lang),
        note=note,
        rows=rows,
        end=_end_line(plan, lang),
    )


# --- Markdown -----------------------------------------------------------------------------


def agenda_markdown(doc: AgendaDocument) -> str:
    """A Markdown page: heading, the details as a list, a note if any, the table, the end."""
    lines = [f"# {markdown_escape(doc.title)}", ""]
    lines += [f"- {markdown_escape(line)}" for line in doc.meta()]
    lines.append("")
    if doc.note:
        lines += [f"> {markdown_escape(doc.note)}", ""]
    lines.append("| " + " | ".join(doc.columns()) + " |")
    lines.append("| --- | ---: | --- | --- | --- |")
    for row in doc.rows:
        cells = [row.start, str(row.minutes), row.title, row.kind, row.remark]
        lines.append("| " + " | ".join(markdown_escape(c) for c in cells) + " |")
    lines += ["", markdown_escape(doc.end), ""]
    return "\n".join(lines)


# --- HTML ---------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 11pt;
  color: #111; line-height: 1.35; max-width: 180mm; margin: 10mm auto; padding: 0 4mm; }
h1 { font-size: 17pt; margin: 0 0 3mm; }
ul.meta { list-style: none; margin: 0 0 4mm; padding: 0; }
ul.meta li { margin: 0.5mm 0; }
p.note { border-left: 1mm solid #777; background: #f2f2f2; margin: 0 0 4mm; padding: 2mm 3mm; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: 1.5mm 2mm;
  border-bottom: 0.3mm solid #bbb; }
th { border-bottom: 0.6mm solid #333; }
td.time, td.minutes { white-space: nowrap; font-variant-numeric: tabular-nums; }
th.minutes, td.minutes { text-align: right; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.break td { color: #555; font-style: italic; }
tr.overrun td.remark { font-weight: bold; }
p.end { margin-top: 4mm; }
@media print { body { margin: 0; padding: 0; max-width: none; } p.note { background: none; } }
"""

_COLUMN_CLASSES = ("time", "minutes", "item", "kind", "remark")


def _e(text: str) -> str:
    return html.escape(format_safe(text), quote=True)


def agenda_html(doc: AgendaDocument) -> str:
    """A self-contained page (inline CSS, no link, no script) that prints on A4."""
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(doc.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(doc.title)} — {_e(doc.day)}</title>\n<style>{_CSS}</style>\n</head>\n"
    )
    body = [f"<body>\n<h1>{_e(doc.title)}</h1>", '<ul class="meta">']
    body += [f"<li>{_e(line)}</li>" for line in doc.meta()]
    body.append("</ul>")
    if doc.note:
        body.append(f'<p class="note">{_e(doc.note)}</p>')
    header = "".join(
        f'<th class="{cls}" scope="col">{_e(name)}</th>'
        for cls, name in zip(_COLUMN_CLASSES, doc.columns(), strict=True)
    )
    body += ["<table>", f"<thead><tr>{header}</tr></thead>", "<tbody>"]
    for row in doc.rows:
        classes = " ".join(c for c, on in (("break", row.is_break), ("overrun", row.overrun)) if on)
        cells = (
            f'<td class="time"><time>{_e(row.start)}</time></td>'
            f'<td class="minutes">{row.minutes}</td>'
            f'<td class="item">{_e(row.title)}</td>'
            f'<td class="kind">{_e(row.kind)}</td>'
            f'<td class="remark">{_e(row.remark)}</td>'
        )
        row_class = f' class="{classes}"' if classes else ""
        body.append(f"<tr{row_class}>{cells}</tr>")
    body += ["</tbody>", "</table>", f'<p class="end">{_e(doc.end)}</p>', "</body>", "</html>", ""]
    return head + "\n".join(body)


def export_agenda(
    cohort: Cohort,
    session: Session,
    structures: Sequence[Structure],
    *,
    fmt: AgendaFormat | str = AgendaFormat.MARKDOWN,
    lang: str | None = None,
) -> bytes:
    """The agenda in ``fmt``, UTF-8 encoded, ready to write."""
    doc = agenda_document(cohort, session, structures, lang=lang)
    text = agenda_html(doc) if AgendaFormat(fmt) == AgendaFormat.HTML else agenda_markdown(doc)
    return text.encode("utf-8")


# --- iCalendar ----------------------------------------------------------------------------


def agenda_lines(doc: AgendaDocument) -> list[str]:
    """The agenda as plain lines, « 09:00 (15 min) Accueil », for a calendar's description."""
    lines = [doc.note] if doc.note else []
    for row in doc.rows:
        values = {"time": row.start, "minutes": row.minutes, "title": row.title}
        line = t("exports.calendar.line", doc.lang, **values)
        if row.remark:
            line = t("exports.calendar.remark", doc.lang, line=line, remark=row.remark)
        lines.append(line)
    lines.append(doc.end)
    return lines


@dataclass(frozen=True)
class CalendarExport:
    """The .ics bytes, and the titles of the sessions left out for want of a date."""

    data: bytes
    skipped: tuple[str, ...]


def cohort_zone(cohort: Cohort) -> ZoneInfo:
    """The cohort's time zone; a name zoneinfo does not know is bad data, said plainly."""
    try:
        return ZoneInfo(cohort.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "exports.error.bad_timezone", "timezone", value=cohort.timezone
        ) from None


@dataclass(frozen=True)
class _Transition:
    """A change of UTC offset, as a VTIMEZONE observance states it.

    ``local`` is the wall-clock time at which it happens, read in the offset in force
    before it (RFC 5545: 02:00 for the spring change in Paris, 03:00 for the autumn one).
    """

    local: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    daylight: bool

    def rule(self) -> tuple[object, ...]:
        """What must repeat from year to year for one yearly RRULE to describe it."""
        return (
            self.daylight,
            self.local.month,
            _byday(self.local.date()),
            self.local.time(),
            self.offset_from,
            self.offset_to,
            self.name,
        )


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _byday(day: dt.date) -> str:
    """``-1SU`` for the last Sunday of a month, ``2SU`` for the second, and so on."""
    next_month = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if (day + dt.timedelta(days=7)) >= next_month:
        return f"-1{_WEEKDAYS[day.weekday()]}"
    return f"{(day.day - 1) // 7 + 1}{_WEEKDAYS[day.weekday()]}"


def _transitions(zone: ZoneInfo, year: int) -> list[_Transition]:
    """The offset changes of ``zone`` during ``year``, found from zoneinfo itself.

    Days are compared at noon UTC, then the day of a change is searched by quarter
    hours (every real zone changes on a quarter hour). The observance moving clocks
    forward is the DAYLIGHT one, whatever tzdata calls it: Ireland's summer time is
    its « standard » time there, which Outlook would read upside down.
    """
    found = []
    utc = dt.UTC
    moment = dt.datetime(year, 1, 1, 12, tzinfo=utc)
    previous = moment.astimezone(zone).utcoffset()
    while moment.year == year:
        following = moment + dt.timedelta(days=1)
        offset = following.astimezone(zone).utcoffset()
        if offset != previous and offset is not None and previous is not None:
            step = moment
            while step.astimezone(zone).utcoffset() == previous:
                step += dt.timedelta(minutes=15)
            after = step.astimezone(zone)
            found.append(
                _Transition(
                    local=(step + previous).replace(tzinfo=None),
                    offset_from=previous,
                    offset_to=offset,
                    name=after.tzname() or zone.key,
                    daylight=offset > previous,
                )
            )
        moment, previous = following, offset
    return found


def _observance(change: _Transition, *, yearly: bool) -> icalendar.cal.Component:
    observance = icalendar.TimezoneDaylight() if change.daylight else icalendar.TimezoneStandard()
    observance.add("dtstart", change.local)
    observance.add("tzoffsetfrom", change.offset_from)
    observance.add("tzoffsetto", change.offset_to)
    observance.add("tzname", change.name)
    if yearly:
        byday = _byday(change.local.date())
        observance.add("rrule", {"freq": "yearly", "bymonth": change.local.month, "byday": byday})
    return observance


def vtimezone(zone: ZoneInfo, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """The VTIMEZONE of ``zone`` for events from ``first`` to ``last``.

    Written with yearly RRULEs, as tzurl/vzic write them, rather than as icalendar's
    list of RDATEs since 1970: Outlook is known to misread RDATE-based definitions
    (and shift events by an hour), while Google and LibreOffice read both. When the
    zone's rules change within the span (Morocco's Ramadan time) no yearly rule
    holds: each change is then its own dated observance, still without RDATE. A zone
    without daylight saving time (La Réunion, Martinique...) is one STANDARD
    observance. The span starts a year early so every event has an observance before it.
    """
    years = range(first.year - 1, last.year + 1)
    per_year = [_transitions(zone, year) for year in years]
    changes = [change for year in per_year for change in year]
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone.key)
    if changes and len({tuple(change.rule() for change in year) for year in per_year}) == 1:
        for change in per_year[0]:
            timezone.add_component(_observance(change, yearly=True))
        return timezone
    opening = dt.datetime(years.start, 1, 1, tzinfo=zone)
    offset = opening.utcoffset() or dt.timedelta(0)
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    standard.add("tzname", opening.tzname() or zone.key)
    timezone.add_component(standard)
    for change in changes:
        timezone.add_component(_observance(change, yearly=False))
    return timezone


def _one_line(text: str) -> str:
    """A calendar's name, a summary or a place: one line, no control character (a
    newline in a cohort's name would break the file's content line)."""
    return " ".join(format_safe(text).split())


def session_uid(session: Session) -> str:
    """Stable across exports, so re-importing the file updates events instead of doubling them."""
    return f"{session.id}@facilitator"


def export_calendar(
    cohort: Cohort,
    sessions: Sequence[Session],
    structures: Sequence[Structure],
    *,
    now: arrow.Arrow,
    lang: str | None = None,
) -> CalendarExport:
    """One VEVENT per dated session, local times in the cohort's zone with its VTIMEZONE.

    Times carry a TZID and the calendar embeds the matching VTIMEZONE (see
    :func:`vtimezone`); X-WR-TIMEZONE names the zone for clients that look there.
    ``now`` is the DTSTAMP.
    """
    lang = lang or language()
    zone = cohort_zone(cohort)
    order = {kind: i for i, kind in enumerate(SESSION_ORDER)}
    dated = sorted(
        ((s.date, s) for s in sessions if s.date is not None),
        key=lambda pair: (pair[0], pair[1].start_time or dt.time.min, order[pair[1].kind]),
    )
    names = {x.id: x.name for x in structures}
    skipped = tuple(session_title(s, names, lang) for s in sessions if s.date is None)

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//facilitator//facilitator {__version__}//{lang.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _one_line(cohort.name))
    calendar.add("x-wr-timezone", cohort.timezone)
    if dated:  # before the events, where every client looks for it
        calendar.add_component(vtimezone(zone, dated[0][0], dated[-1][0]))
    stamp = now.to("utc").datetime
    for day, session in dated:
        plan = session_plan(session, structures)
        doc = agenda_document(cohort, session, structures, lang=lang)
        start = dt.datetime.combine(day, plan.start, tzinfo=zone)
        event = icalendar.Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=max(plan.span_minutes, 1)))
        summary = t("exports.calendar.summary", lang, session=doc.title, cohort=cohort.name)
        event.add("summary", _one_line(summary))
        if session.place:
            event.add("location", _one_line(session.place))
        event.add("description", format_safe("\n".join(agenda_lines(doc))).replace("\r", ""))
        calendar.add_component(event)
    return CalendarExport(data=calendar.to_ical(), skipped=skipped)
