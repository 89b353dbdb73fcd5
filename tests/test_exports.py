"""Exports read back: Markdown tables parse, HTML is self-contained, calendars import."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import arrow
import icalendar
import pytest

from facilitator import agenda
from facilitator.domain import (
    Cohort,
    InvalidInput,
    Lever,
    Note,
    Participant,
    Session,
    SessionKind,
    Structure,
)
from facilitator.exports import (
    agenda_document,
    agenda_lines,
    export_agenda,
    export_calendar,
    markdown_escape,
    session_uid,
    vtimezone,
)
from facilitator.programme import format_day, propose_programme
from facilitator.records_export import FORMULA_STARTS, export_attendance, export_notes
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from tests.conftest import run_cli

NOW = arrow.get("2026-11-20T09:15:00+00:00")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def cohort() -> Cohort:
    return Cohort(name="Collectif <Drôme> & Co", timezone="Europe/Paris")


@pytest.fixture
def group() -> list[Structure]:
    return [
        Structure(name="Les Jardins | du Lien"),
        Structure(name="<script>alert(1)</script> Vélo-École"),
        Structure(name="Épicerie *La Musette*"),
    ]


@pytest.fixture
def programme(group: list[Structure]) -> list[Session]:
    """A summer-to-winter programme, so events fall on both sides of a clock change."""
    sessions = propose_programme(
        dt.date(2026, 7, 7), group, templates={SessionKind.STATE_OF_PLAY: "etat-des-lieux-journee"}
    )
    return [dataclasses.replace(s, place="Salle « A & B », Crest") for s in sessions]


def state_of_play(sessions: list[Session]) -> Session:
    return next(s for s in sessions if s.kind == SessionKind.STATE_OF_PLAY)


# --- Markdown -------------------------------------------------------------------------------

CELL_SPLIT = re.compile(r"(?<!\\)\|")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of the one table, cells unescaped."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(lines) >= 3
    assert re.fullmatch(r"\| --- \| ---: \| --- \| --- \| --- \|", lines[1])
    return [[unescape(c.strip()) for c in CELL_SPLIT.split(line)[1:-1]] for line in lines[2:]]


def test_markdown_agenda_reads_back_line_by_line(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    session = state_of_play(programme)
    text = export_agenda(cohort, session, group, fmt="md", lang="fr").decode("utf-8")
    names = {s.id: s.name for s in group}

    heading = text.splitlines()[0]
    assert heading.startswith("# ") and "État des lieux" in heading
    assert format_day(session.date or dt.date.min, "fr") in text
    assert "Salle « A & B », Crest" in text

    rows = table_rows(text)
    assert len(rows) == len(session.agenda)
    previous = -1
    for row, item in zip(rows, session.agenda, strict=True):
        assert len(row) == 5
        start, minutes, title = row[0], row[1], row[2]
        assert re.fullmatch(r"\d\d:\d\d", start), start
        assert int(minutes) == item.minutes
        assert title == agenda.item_title(item, names, "fr")
        minute = int(start[:2]) * 60 + int(start[3:])
        assert minute > previous
        previous = minute
    assert rows[0][0] == "09:00"
    # The fixed lunch says it is fixed and how much room is left before it.
    lunch = next(r for r in rows if r[2] == "Déjeuner")
    assert lunch[0] == "12:30" and "heure fixe" in lunch[4] and "marge" in lunch[4]
    assert "17:00" in text.split("|")[-1]  # the end line names the fixed end of day


def test_markdown_shows_an_overrun_plainly(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    session = state_of_play(programme)
    morning = agenda.resize(session.agenda, 0, 200)
    afternoon = next(i for i, item in enumerate(morning) if item.key == "das-subgroups")
    stretched = agenda.resize(morning, afternoon, 120)
    text = export_agenda(
        cohort, dataclasses.replace(session, agenda=stretched), group, lang="fr"
    ).decode()
    lunch = next(r for r in table_rows(text) if r[2] == "Déjeuner")
    assert "dépassent" in lunch[4]
    assert "Fin prévue à 17:35 : 35 min au-delà de l'heure de fin fixée (17:00)" in text


def test_an_empty_agenda_is_exported_as_the_template_with_a_note(
    cohort: Cohort, group: list[Structure]
) -> None:
    empty = Session(kind=SessionKind.EVOLUTION, date=dt.date(2026, 12, 8))
    doc = agenda_document(cohort, empty, group, lang="fr")
    assert doc.note is not None and "pas encore d'agenda" in doc.note
    assert len(doc.rows) == len(
        agenda.instantiate(agenda.default_template(SessionKind.EVOLUTION), group)
    )
    assert empty.agenda == []
    assert "> Cette session n'a pas encore d'agenda" in export_agenda(cohort, empty, group).decode()


def test_markdown_escape_keeps_text_as_itself() -> None:
    assert markdown_escape("a | b *c* _d_\nsuite") == r"a \| b \*c\* \_d\_ suite"
    assert unescape(markdown_escape(r"x\|y")) == r"x\|y"


# --- HTML -----------------------------------------------------------------------------------


class Page(HTMLParser):
    """What a reader of the page gets: its text, tags and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_agenda_is_self_contained_and_complete(
    lang: str, cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    session = state_of_play(programme)
    page_text = export_agenda(cohort, session, group, fmt="html", lang=lang).decode()
    page = Page()
    page.feed(page_text)
    text = "\n".join(page.text)
    names = {s.id: s.name for s in group}

    assert page.lang == lang
    for planned in agenda.plan(session.agenda, session.start_time or dt.time(9)):
        assert agenda.item_title(planned.item, names, lang) in text
        assert f"{planned.start:%H:%M}" in text
    assert format_day(session.date or dt.date.min, lang) in text
    # Escaped, not interpreted: the structure named like a script is text.
    assert "script" not in page.tags and "<script>alert(1)</script>" in text
    assert "Collectif <Drôme> & Co" in text
    # Nothing to fetch: inline style only, no link, no source, no address.
    assert "style" in page.tags and "link" not in page.tags
    assert not [a for a in page.attrs if a[0] in ("src", "href")]
    assert "http" not in page_text
    assert "size: A4" in page_text


def test_html_in_english_has_english_headings(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    page_text = export_agenda(
        cohort, state_of_play(programme), group, fmt="html", lang="en"
    ).decode()
    assert "<th" in page_text and ">Time</th>" in page_text and ">Item</th>" in page_text
    assert "State of play" in page_text and "Lunch" in page_text


# --- iCalendar ------------------------------------------------------------------------------


def events(data: bytes) -> list[Any]:
    """The events, loosely typed: icalendar's property union is not what is tested here."""
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_calendar_has_one_event_per_dated_session(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    undated = dataclasses.replace(programme[-1], date=None)
    sessions = [*programme[:-1], undated]
    exported = export_calendar(cohort, sessions, group, now=NOW, lang="fr")
    found = events(exported.data)

    assert len(found) == len(programme) - 1
    assert exported.skipped == (f"Bilan individuel — {group[-1].name}",)
    by_uid = {str(e["UID"]): e for e in found}
    for session in sessions[:-1]:
        event = by_uid[f"{session.id}@facilitator"]
        start = event["DTSTART"].dt
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Paris"
        assert start.date() == session.date
        assert f"{start:%H:%M}" == f"{session.start_time:%H:%M}"
        assert event["DTEND"].dt > start
        assert str(event["LOCATION"]) == "Salle « A & B », Crest"
        assert event["DTSTAMP"].dt == NOW.datetime
        lines = str(event["DESCRIPTION"]).splitlines()
        timed = [line for line in lines if re.match(r"^\d\d:\d\d \(\d+ min\) \S", line)]
        assert len(timed) == len(session.agenda)
    bilans = [e for e in found if str(e["SUMMARY"]).startswith("Bilan individuel")]
    assert len(bilans) == len(group) - 1
    assert any(group[0].name in str(e["SUMMARY"]) for e in bilans)


def test_calendar_times_are_right_in_paris_on_both_sides_of_a_clock_change(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    found = events(export_calendar(cohort, programme, group, now=NOW).data)
    offsets = set()
    for event in found:
        start = event["DTSTART"].dt
        local = start.astimezone(PARIS)
        assert (local.hour, local.minute) == (start.hour, start.minute)
        offsets.add(local.utcoffset())
    assert offsets == {dt.timedelta(hours=2), dt.timedelta(hours=1)}
    state = next(e for e in found if "État des lieux" in str(e["SUMMARY"]))
    assert state["DTSTART"].dt.astimezone(dt.UTC).hour == 7  # 09:00 in Paris summer time
    bilan = next(e for e in found if e["DTSTART"].dt.month == 11)
    assert bilan["DTSTART"].dt.astimezone(dt.UTC).hour == 9  # 10:00 in Paris winter time
    assert state["DTEND"].dt.astimezone(PARIS).time() == dt.time(17, 0)


def test_calendar_embeds_a_vtimezone_without_rdates(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    data = export_calendar(cohort, programme, group, now=NOW).data
    calendar = icalendar.Calendar.from_ical(data)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Paris"
    assert b"RRULE:FREQ=YEARLY" in data and b"RDATE" not in data
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    assert b"\r\n" in data
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"


@pytest.mark.parametrize(
    "name",
    ["Europe/Paris", "America/Martinique", "Indian/Reunion", "Europe/Dublin", "Africa/Casablanca"],
)
def test_vtimezone_gives_the_offsets_zoneinfo_gives(name: str) -> None:
    zone = ZoneInfo(name)
    component = vtimezone(zone, dt.date(2026, 9, 1), dt.date(2027, 5, 5))
    wrapped = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n" + component.to_ical()
    (parsed,) = icalendar.Calendar.from_ical(wrapped + b"END:VCALENDAR\r\n").walk("VTIMEZONE")
    assert isinstance(parsed, icalendar.Timezone)
    read_back = parsed.to_tz(lookup_tzid=False)
    moment = dt.datetime(2026, 9, 1, 12)
    while moment < dt.datetime(2027, 5, 5):
        # Noon is never inside a clock change, so both must agree exactly.
        assert (
            moment.replace(tzinfo=zone).utcoffset() == moment.replace(tzinfo=read_back).utcoffset()
        ), (name, moment)
        moment += dt.timedelta(days=1)


def test_uids_are_stable_across_exports(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    first = {str(e["UID"]) for e in events(export_calendar(cohort, programme, group, now=NOW).data)}
    later = NOW.shift(days=3)
    again = {
        str(e["UID"]) for e in events(export_calendar(cohort, programme, group, now=later).data)
    }
    assert first == again == {session_uid(s) for s in programme}


def test_an_unknown_time_zone_is_said_plainly(
    group: list[Structure], programme: list[Session]
) -> None:
    with pytest.raises(InvalidInput) as error:
        export_calendar(Cohort(name="x", timezone="Europe/Atlantis"), programme, group, now=NOW)
    assert "Europe/Atlantis" in error.value.message


def test_calendar_lines_follow_the_language(
    cohort: Cohort, group: list[Structure], programme: list[Session]
) -> None:
    lines = agenda_lines(agenda_document(cohort, state_of_play(programme), group, lang="en"))
    assert lines[0] == "09:00 (20 min) Welcome and opening"
    assert any(line.startswith("12:30 (60 min) Lunch — fixed time") for line in lines)


# --- the command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    done = run_cli("demo", "--no-open", data=data)
    assert done.returncode == 0, done.stderr
    return data


def workspace_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.suffix != ".lock"}


def test_cli_exports_the_agenda_in_markdown_and_html(demo: Path) -> None:
    md = run_cli("export", "agenda", "--session", "etat-des-lieux", data=demo)
    assert md.returncode == 0, md.stderr
    rows = table_rows(md.stdout)
    assert rows and all(re.fullmatch(r"\d\d:\d\d", r[0]) and r[1].isdigit() for r in rows)
    assert "pas encore d'agenda" not in md.stdout  # the demo's sessions have their own
    assert "| Heure | Min | Séquence |" in md.stdout

    html_done = run_cli(
        "export", "agenda", "--session", "etat-des-lieux", "--format", "html", data=demo
    )
    assert html_done.returncode == 0, html_done.stderr
    page = Page()
    page.feed(html_done.stdout)
    assert page.lang == "fr" and "table" in page.tags


def test_cli_writes_a_private_file_with_o(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "agenda.html"
    done = run_cli(
        "export", "agenda", "--session", "intro", "--format", "html", "-o", str(target), data=demo
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_exports_a_bilan_in_english(demo: Path) -> None:
    structures = run_cli("list", "structures", data=demo).stdout.splitlines()
    name = structures[0].split("\t")[1]
    done = run_cli(
        "export", "agenda", "--session", "bilan", "--structure", name, "--lang", "en", data=demo
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"# Individual review (bilan) — {name}")
    assert "| Time | Min | Item | Format | Remark |" in done.stdout
    assert "Date: " in done.stdout


def test_cli_exports_the_calendar(demo: Path, tmp_path: Path) -> None:
    done = run_cli("export", "calendar", data=demo)
    assert done.returncode == 0, done.stderr
    found = events(done.stdout.encode("utf-8"))
    sessions = run_cli("list", "sessions", data=demo).stdout.splitlines()
    assert len(found) == len(sessions)
    assert sum("Bilan" in str(e["SUMMARY"]) for e in found) == sum("Bilan" in s for s in sessions)
    assert all(str(e["DTSTART"].dt.tzinfo) == "Europe/Paris" for e in found)

    target = tmp_path / "programme.ics"
    written = run_cli("export", "calendar", "-o", str(target), "--lang", "en", data=demo)
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    english = events(target.read_bytes())
    assert any("Individual review" in str(e["SUMMARY"]) for e in english)


def test_cli_exports_from_a_read_only_workspace(demo: Path) -> None:
    done = run_cli("--read-only", "export", "calendar", data=demo)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "args,words",
    [
        (["agenda", "--session", "pleniere"], "pleniere"),
        (["agenda", "--session", "bilan"], "--structure"),
        (["agenda", "--session", "bilan", "--structure", "Atlantide"], "Atlantide"),
        (["agenda", "--session", "intro", "--format", "pdf"], "pdf"),
        (["agenda", "--session", "intro", "--cohort", "nulle part"], "nulle part"),
        (["agenda"], "--session"),
    ],
)
def test_cli_errors_are_one_sentence_and_write_nothing(
    demo: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    before = workspace_bytes(demo)
    target = tmp_path / "out.md"
    done = run_cli("export", *args, "-o", str(target), data=demo)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("facilitator: ") and words in lines[0]
    assert done.stdout == ""
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert workspace_bytes(demo) == before


def test_cli_errors_follow_the_language(demo: Path) -> None:
    done = run_cli("export", "agenda", "--session", "bilan", "--lang", "en", data=demo)
    assert done.returncode == 2
    assert "A bilan belongs to one structure" in done.stderr


# --- issue 13: the boundaries and escapes a small slip would break -------------------


def _lunch_starting(session: Session, late: int) -> Session:
    """``session`` with the items before its fixed lunch lengthened so that they end
    ``late`` minutes after it is due (negative: that many minutes before)."""
    planned = agenda.plan(session.agenda, session.start_time or dt.time(9))
    lunch = next(p for p in planned if p.item.key == "lunch")
    assert lunch.slack_before > 1  # the template leaves room before lunch
    first = session.agenda[0].minutes + lunch.slack_before + late
    return dataclasses.replace(session, agenda=agenda.resize(session.agenda, 0, first))


@pytest.mark.parametrize(
    "late,remark,overrun",
    [
        (-1, "fixed time (12:30); 1 min to spare before it", False),
        (0, "fixed time (12:30)", False),
        (1, "fixed time (12:30); the items before it overrun it by 1 min", True),
    ],
    ids=["a-minute-early", "on-time", "a-minute-late"],
)
def test_a_fixed_item_reached_exactly_on_time_has_neither_slack_nor_overrun(
    cohort: Cohort,
    group: list[Structure],
    programme: list[Session],
    late: int,
    remark: str,
    overrun: bool,
) -> None:
    session = _lunch_starting(state_of_play(programme), late)
    doc = agenda_document(cohort, session, group, lang="en")
    (lunch,) = (row for row in doc.rows if row.title == "Lunch")
    assert (lunch.start, lunch.remark, lunch.overrun) == ("12:30", remark, overrun)


def test_the_html_agenda_escapes_a_title_holding_a_script_and_an_ampersand(
    cohort: Cohort,
) -> None:
    """A bilan's title holds its structure's name, typed by a person: in the page's
    ``<title>`` and its heading it is text, never markup."""
    odd = Structure(name='<script>alert("x")</script> & Cie')
    bilan = Session(kind=SessionKind.BILAN, date=dt.date(2027, 5, 3), structure_id=odd.id)
    page = export_agenda(cohort, bilan, [odd], fmt="html", lang="fr").decode()
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie"
    day = format_day(dt.date(2027, 5, 3), "fr")
    assert f"<title>Bilan individuel — {escaped} — {day}</title>" in page
    assert f"<h1>Bilan individuel — {escaped}</h1>" in page
    assert "<script" not in page and "& Cie" not in page
    read = Page()
    read.feed(page)
    assert "script" not in read.tags
    assert f"Bilan individuel — {odd.name}" in read.text


# --- the CSV formula guard, on every cell a person typed ---------------------------------

# Written out, not read from the module: a character dropped there must fail here.
GUARDED = ["=", "+", "-", "@", "\t", "\r"]
NOTE_TYPED = {"structure": 3, "das": 6, "text": 7, "author": 8}
SHEET_TYPED = {"name": 0, "structure": 1}


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _typed_cohort(tmp_path: Path, start: str) -> CohortView:
    """A cohort where every cell a person types begins with ``start``."""
    place = Structure(name=f"{start}Structure")
    person = Participant(structure_id=place.id, name=f"{start}Nom Prénom")
    session = Session(kind=SessionKind.INTRO, date=dt.date(2027, 1, 11))
    note = Note(
        text=f"{start}texte",
        das=f"{start}das",
        author=f"{start}autrice",
        structure_id=place.id,
        session_id=session.id,
        lever=Lever.FINANCIAL,
        created=NOW,
    )
    records = [Cohort(name="C"), place, person, session, note]
    return CohortView.load(Workspace(tmp_path / "ws").create(records))


def test_the_guard_covers_exactly_the_characters_tested_here() -> None:
    assert sorted(FORMULA_STARTS) == sorted(GUARDED)


@pytest.mark.parametrize("column", NOTE_TYPED, ids=str)
@pytest.mark.parametrize("start", GUARDED, ids=repr)
def test_a_note_cell_starting_like_a_formula_is_kept_from_running(
    tmp_path: Path, start: str, column: str
) -> None:
    view = _typed_cohort(tmp_path, start)
    header, row = _read_csv(export_notes(view, fmt="csv", lang="fr"))
    assert len(row) == len(header) == 9
    typed = {"structure": "Structure", "das": "das", "text": "texte", "author": "autrice"}
    assert row[NOTE_TYPED[column]] == f"'{start}{typed[column]}"
    # The JSON is for scripts: the text as typed.
    (record,) = json.loads(export_notes(view, fmt="json", lang="fr"))
    assert record[column] == f"{start}{typed[column]}"


@pytest.mark.parametrize("column", SHEET_TYPED, ids=str)
@pytest.mark.parametrize("start", GUARDED, ids=repr)
def test_a_sign_in_sheet_cell_starting_like_a_formula_is_kept_from_running(
    tmp_path: Path, start: str, column: str
) -> None:
    view = _typed_cohort(tmp_path, start)
    session = view.sessions[0]
    header, row, *spare = _read_csv(export_attendance(view, session, fmt="csv", lang="fr"))
    assert header == ["Nom", "Structure", "Rôle", "Signature"] and spare == []
    typed = {"name": "Nom Prénom", "structure": "Structure"}
    assert row[SHEET_TYPED[column]] == f"'{start}{typed[column]}"
    assert row[3] == ""  # the blank to sign stays blank


def test_cells_that_do_not_start_like_a_formula_are_left_as_typed(tmp_path: Path) -> None:
    view = _typed_cohort(tmp_path, " ")  # a space first: no formula
    (_, row) = _read_csv(export_notes(view, fmt="csv", lang="fr"))
    assert [row[i] for i in NOTE_TYPED.values()] == [" Structure", " das", " texte", " autrice"]
    assert row[4] == "constat" and row[5] == "ressources financières"  # labels, not typed
    (_, sheet) = _read_csv(export_attendance(view, view.sessions[0], fmt="csv", lang="fr"))
    assert sheet[:2] == [" Nom Prénom", " Structure"]
