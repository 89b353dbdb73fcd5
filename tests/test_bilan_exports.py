"""The bilan, the notes, the sign-in sheet and the report, written then read back.

Each format is parsed the way its reader would (python-docx, html.parser, csv, json)
and must still hold the structure's name, its participants and its notes. The Markdown
bilans of the demo cohort are golden files: see ``tests/golden/README.md`` to
regenerate them (``UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import arrow
import docx
import pytest

from facilitator.bilan_export import (
    bilan_document,
    cohort_document,
    export_bilan,
    export_report,
)
from facilitator.demo import build_demo
from facilitator.document import (
    Cell,
    Document,
    Heading,
    Items,
    Paragraph,
    Table,
    to_docx,
    to_html,
)
from facilitator.domain import (
    BilanReview,
    Cohort,
    InvalidInput,
    Lever,
    Note,
    NoteKind,
    Participant,
    Record,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import t
from facilitator.records_export import (
    attendance_document,
    export_attendance,
    export_notes,
    next_session,
)
from facilitator.text import fold
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from tests.conftest import FIXED_NOW, ROOT, run_cli

GOLDEN = Path(__file__).parent / "golden"
DEMO = json.loads((ROOT / "data" / "demo" / "cohort.json").read_text(encoding="utf-8"))
DEMO_REFS = {raw["name"]: raw["ref"] for raw in DEMO["structures"]}
HEX_ID = re.compile(r"[0-9a-f]{32}")


def check_golden(name: str, text: str) -> None:
    """``text`` must equal ``tests/golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} changed: review the diff, then UPDATE_GOLDEN=1"


def demo_view(tmp_path: Path, extra: list[Record] | None = None) -> CohortView:
    records = build_demo(FIXED_NOW.date())
    store = Workspace(tmp_path / "ws").create([*records, *(extra or [])])
    return CohortView.load(store)


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> CohortView:
    """The demo cohort, as of FIXED_NOW; read only by the tests that share it."""
    return demo_view(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def today(view: CohortView) -> dt.date:
    return view.cohort.today(FIXED_NOW)


def structure(view: CohortView, prefix: str) -> Structure:
    return next(s for s in view.structures if s.name.startswith(prefix))


def jardins(view: CohortView) -> Structure:
    return structure(view, "Les Jardins")


# --- golden Markdown bilans -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DEMO_REFS))
def test_markdown_bilan_of_the_demo_is_golden(view: CohortView, today: dt.date, name: str) -> None:
    target = next(s for s in view.structures if s.name == name)
    text = export_bilan(view, target.id, today=today, fmt="md", lang="fr").decode("utf-8")
    assert not HEX_ID.search(text), "record ids must not reach a document"
    assert text.startswith(f"# Bilan individuel — {name}\n")
    check_golden(f"bilan-{DEMO_REFS[name]}.fr.md", text)


def test_markdown_bilan_in_english_is_golden(view: CohortView, today: dt.date) -> None:
    text = export_bilan(view, jardins(view).id, today=today, fmt="md", lang="en").decode()
    assert not HEX_ID.search(text)
    check_golden("bilan-jardins.en.md", text)


def test_two_builds_of_the_demo_give_the_same_bilan(tmp_path: Path, today: dt.date) -> None:
    first, second = demo_view(tmp_path / "a"), demo_view(tmp_path / "b")
    texts = [
        export_bilan(v, jardins(v).id, today=today, fmt="md", lang="fr") for v in (first, second)
    ]
    assert texts[0] == texts[1]


def test_the_bilan_holds_the_thread(view: CohortView, today: dt.date) -> None:
    target = jardins(view)
    doc = bilan_document(view, target.id, today=today, lang="fr")
    text = export_bilan(view, target.id, today=today, fmt="md", lang="fr").decode()
    for note in view.notes_of(target.id):
        assert note.text in text
    for person in view.participants_of(target.id):
        assert person.name in text
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert headings == [
        "Participant·es (3)",
        "Présence aux sessions",
        "Constats et problématiques, par levier et DAS",
        "Ambition",
        "Freins",
        "Conditions de réussite",
        "Effet miroir reçu",
        "Pistes d'actions",
        "Avant / après, par levier",
        "Travaux préparatoires",
    ]
    # The director first, then the governance.
    people = next(b for b in doc.blocks if isinstance(b, Items) and b.bullets)
    assert next(i.text for i in people.items) == "Nadia Benali"
    # Held sessions say who came; sessions ahead say they are to come.
    attendance = next(b for b in doc.blocks if isinstance(b, Table))
    intro, s1, s2, bilan = attendance.rows
    assert intro[2].lines == (
        "présent·es : Bernard Chevalier, Nadia Benali",
        "excusé·es : Sylvie Marchand",
    )
    assert intro[3].lines == ("✓ représentée",)
    assert s2[2].lines == ("à venir",) and bilan[2].lines == ("à venir",)
    assert s1[4].lines == ("3",)


def test_governance_missing_and_late_tasks_are_flagged(view: CohortView) -> None:
    compagnie = structure(view, "Compagnie")
    late = dt.date(2026, 12, 20)  # after S2's preparatory work was due
    text = export_bilan(view, compagnie.id, today=late, fmt="md", lang="fr").decode()
    assert "✗ absente" in text
    assert "à faire, en retard" in text
    assert "Problématique : Comment financer le temps de création" in text


def filled_review(view: CohortView) -> BilanReview:
    target = jardins(view)
    session = view.bilan_of(target.id)
    assert session is not None
    return BilanReview(
        id=session.id,
        session_id=session.id,
        structure_id=target.id,
        ratings={"collective": 5, "peers": 4, "method": 3},
        comments="Très utile pour préparer le CA.",
        third_person="Hélène Garcia",
        third_person_role="chargée de mission DLA",
        next_steps="Convention avec La Musette avant l'été.",
        follow_up=dt.date(2027, 3, 16),
    )


def test_a_filled_bilan_review_closes_the_brief(tmp_path: Path, today: dt.date) -> None:
    records = build_demo(FIXED_NOW.date())
    base = CohortView.load(Workspace(tmp_path / "base").create(records))
    review = filled_review(base)
    bilan = base.bilan_of(jardins(base).id)
    assert bilan is not None
    vision = Note(
        kind=NoteKind.VISION_CHANGE,
        text="Le modèle tient d'abord à nos alliances.",
        structure_id=jardins(base).id,
        session_id=bilan.id,
        lever=Lever.ALLIANCES,
        created=FIXED_NOW,
    )
    view = CohortView.load(Workspace(tmp_path / "ws").create([*records, review, vision]))
    text = export_bilan(view, jardins(view).id, today=today, fmt="md", lang="fr").decode()
    tail = text.split("## Le bilan", 1)[1]
    assert f"| {t('bilan.question.collective', 'fr')} | 5/5 |" in tail
    assert f"| {t('bilan.question.intersession', 'fr')} | — |" in tail
    assert "Tierce personne : Hélène Garcia (chargée de mission DLA)" in tail
    assert "Suites : Convention avec La Musette avant l'été." in tail
    assert "Point de suivi : mardi 16 mars 2027" in tail
    assert "## Évolution de la vision" in text
    # Said at the bilan, so on the « after » side of its lever.
    row = next(line for line in text.splitlines() if line.startswith("| Alliances"))
    assert row.rstrip(" |").endswith("Le modèle tient d'abord à nos alliances.")


# --- HTML -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What a reader of the page gets: its text, its tags and their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(html_text: str) -> Page:
    page = Page()
    page.feed(html_text)
    page.close()
    return page


def assert_self_contained(page: Page, lang: str) -> None:
    assert ("html", {"lang": lang}) in page.tags
    assert "@page { size: A4;" in page.style and "margin" in page.style
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "link", "img", "iframe", "object"}
    assert not any("src" in attrs or "href" in attrs for _, attrs in page.tags)


def test_html_bilan_is_printable_and_holds_the_thread(view: CohortView, today: dt.date) -> None:
    target = jardins(view)
    page = parse(export_bilan(view, target.id, today=today, fmt="html", lang="en").decode())
    assert_self_contained(page, "en")
    assert target.name in page.words
    assert "Individual review — Les Jardins du Martinet" in page.words
    for note in view.notes_of(target.id):
        assert " ".join(note.text.split()) in page.words
    for person in view.participants_of(target.id):
        assert person.name in page.words
    assert sum(1 for tag, _ in page.tags if tag == "table") == 3  # attendance, before/after, tasks


def test_html_escapes_what_people_typed(tmp_path: Path) -> None:
    cohort = Cohort(name="<b>Collectif</b>")
    odd = Structure(name='<script>alert("x")</script> & Cie | <i>', das=["<DAS>"])
    person = Participant(structure_id=odd.id, name="Zoé <Zed>")
    note = Note(text="<img src=x onerror=alert(1)>", structure_id=odd.id, lever=Lever.HUMAN)
    store = Workspace(tmp_path / "ws").create([cohort, odd, person, note])
    view = CohortView.load(store)
    data = export_bilan(view, odd.id, today=dt.date(2026, 11, 26), fmt="html", lang="fr")
    page = parse(data.decode())
    assert_self_contained(page, "fr")
    assert odd.name in page.words and "Zoé <Zed>" in page.words
    assert "<img src=x onerror=alert(1)>" in page.words
    md = export_bilan(view, odd.id, today=dt.date(2026, 11, 26), fmt="md", lang="fr").decode()
    assert "<script>" not in md and r"\<script\>" in md


# --- DOCX -------------------------------------------------------------------------------------


def test_docx_bilan_opens_with_headings_and_tables(view: CohortView, today: dt.date) -> None:
    target = jardins(view)
    data = export_bilan(view, target.id, today=today, fmt="docx", lang="fr")
    assert data[:2] == b"PK"
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"Bilan individuel — {target.name}"
    assert "Présence aux sessions" in headings and "Avant / après, par levier" in headings
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    for note in view.notes_of(target.id):
        assert note.text in body or note.text in cells
    for person in view.participants_of(target.id):
        assert person.name in body
    attendance, before_after, tasks = document.tables
    assert [c.text for c in attendance.rows[0].cells] == [
        "Session",
        "Date",
        "Présence",
        "Gouvernance",
        "Notes",
    ]
    assert len(attendance.rows) == 1 + 4
    assert next(c.text for c in before_after.rows[0].cells) == "Levier"
    assert before_after.rows[1].cells[0].text == "Ressources financières"
    assert len(tasks.rows) == 1 + 2
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.language == "fr-FR"


def test_docx_of_a_generic_document_keeps_cells_and_signatures() -> None:
    doc = Document(
        "en",
        "Title",
        (
            Heading(2, "Part"),
            Items((), empty="nothing"),
            Paragraph("plain"),
            Table(
                ("a", "b"), ((Cell(("one", "two"), meta="detail"), Cell()),), sign=frozenset({1})
            ),
        ),
    )
    document = docx.Document(io.BytesIO(to_docx(doc)))
    table = document.tables[0]
    assert table.rows[1].cells[0].text == "one\ntwo\ndetail"
    assert "nothing" in [p.text for p in document.paragraphs]


# --- notes ------------------------------------------------------------------------------------


def test_notes_csv_opens_in_a_french_spreadsheet(view: CohortView) -> None:
    data = export_notes(view, fmt="csv", lang="fr")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == [
        "Identifiant",
        "Notée le",
        "Session",
        "Structure",
        "Type",
        "Levier",
        "DAS",
        "Texte",
        "Auteur·rice",
    ]
    assert len(body) == len(view.notes) == 21
    by_id = {row[0]: row for row in body}
    for note in view.notes:
        row = by_id[note.id]
        assert row[7] == note.text
        structure_name = view.structure(note.structure_id)
        assert structure_name is not None and row[3] == structure_name.name
        local = arrow.get(row[1])
        assert local == note.created
        assert local.utcoffset() == note.created.to("Europe/Paris").utcoffset()
    first = body[0]
    assert first[2] == "Session introductive"
    assert first[4] == "problématique" and first[5] == "ressources financières"


def test_notes_csv_in_english_uses_commas_and_guards_formulas(tmp_path: Path) -> None:
    cohort = Cohort(name="C")
    place = Structure(name="=Structure")
    notes = [
        Note(text='=HYPERLINK("http://x")', structure_id=place.id, created=FIXED_NOW),
        Note(text="plain; with, separators\nand a line", author="@me", created=FIXED_NOW),
    ]
    view = CohortView.load(Workspace(tmp_path / "ws").create([cohort, place, *notes]))
    data = export_notes(view, fmt="csv", lang="en").decode("utf-8-sig")
    header, formula, plain = list(csv.reader(io.StringIO(data)))
    assert header[0] == "Id" and header[7] == "Text"
    assert formula[7] == '\'=HYPERLINK("http://x")' and formula[3] == "'=Structure"
    assert plain[7] == "plain; with, separators\nand a line" and plain[8] == "'@me"
    assert plain[2] == "" and plain[3] == "" and plain[5] == ""


def test_notes_json_has_stable_keys(view: CohortView) -> None:
    records = json.loads(export_notes(view, fmt="json", lang="en"))
    assert isinstance(records, list) and len(records) == len(view.notes)
    assert {tuple(r) for r in records} == {
        (
            "id",
            "created",
            "session_kind",
            "session_label",
            "session_date",
            "structure_id",
            "structure",
            "kind",
            "kind_label",
            "lever",
            "lever_label",
            "das",
            "text",
            "author",
        )
    }
    first = records[0]
    assert first["kind"] == "problematique" and first["kind_label"] == "key issue"
    assert first["session_kind"] == "intro" and first["lever"] == "ressources-financieres"
    assert [r["text"] for r in records] == [n.text for n in view.notes]
    names = {s.name for s in view.structures}
    assert {r["structure"] for r in records} <= names


# --- the sign-in sheet ------------------------------------------------------------------------


def test_the_next_session_is_the_one_to_come(view: CohortView, today: dt.date) -> None:
    coming = next_session(view, today)
    assert coming.kind == SessionKind.EVOLUTION
    after_s2 = dt.date(2026, 12, 9)
    first_bilan = next_session(view, after_s2)
    assert first_bilan.kind == SessionKind.BILAN
    assert first_bilan.structure_id == jardins(view).id
    musette = structure(view, "Épicerie")
    own = next_session(view, after_s2, musette.id)
    assert own.structure_id == musette.id
    with pytest.raises(InvalidInput) as raised:
        next_session(view, dt.date(2027, 6, 1))
    assert "--session" in raised.value.message


def test_sessions_at_the_same_time_are_not_guessed(tmp_path: Path) -> None:
    cohort = Cohort(name="C")
    a, b = Structure(name="A"), Structure(name="B")
    day = dt.date(2027, 1, 5)
    sessions = [
        Session(kind=SessionKind.BILAN, date=day, start_time=dt.time(10), structure_id=s.id)
        for s in (a, b)
    ]
    view = CohortView.load(Workspace(tmp_path / "ws").create([cohort, a, b, *sessions]))
    with pytest.raises(InvalidInput) as raised:
        next_session(view, day)
    assert "Bilan individuel — A" in raised.value.message
    assert next_session(view, day, b.id).structure_id == b.id


def test_sign_in_sheet_lists_everyone_with_an_empty_signature(
    view: CohortView, today: dt.date
) -> None:
    session = next_session(view, today)
    rows = list(
        csv.reader(
            io.StringIO(export_attendance(view, session, fmt="csv", lang="fr").decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0] == ["Nom", "Structure", "Rôle", "Signature"]
    assert len(rows) == 1 + len(view.participants)
    names = view.structure_names()
    # Grouped by structure, in the order a reader expects (accents ignored: « É » near « E »).
    expected = sorted(
        ((names[p.structure_id], p.name) for p in view.participants),
        key=lambda pair: (fold(pair[0]), fold(pair[1])),
    )
    assert [(r[1], r[0]) for r in rows[1:]] == expected
    assert all(r[3] == "" for r in rows[1:])
    roles = {p.name: p.role for p in view.participants}
    assert all(r[2] == t(f"domain.role.{roles[r[0]].value}", "fr") for r in rows[1:])

    page = parse(export_attendance(view, session, fmt="html", lang="fr").decode())
    assert_self_contained(page, "fr")
    assert "Feuille d'émargement — 2nde session collective — L'évolution" in page.words
    for person in view.participants:
        assert person.name in page.words
    signatures = [a for tag, a in page.tags if tag == "td" and "sign" in (a.get("class") or "")]
    assert len(signatures) == len(view.participants) + 3  # and three spare lines

    md = export_attendance(view, session, fmt="md", lang="en").decode()
    assert md.startswith("# Sign-in sheet — Collective session 2 — Evolution")
    assert "| Name | Structure | Role | Signature |" in md


def test_a_bilan_sheet_lists_its_structure_and_a_day_two_signatures(
    view: CohortView, today: dt.date
) -> None:
    target = jardins(view)
    bilan = view.bilan_of(target.id)
    assert bilan is not None
    doc = attendance_document(view, bilan, lang="fr")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert {r[0].lines[0] for r in table.rows} == {p.name for p in view.participants_of(target.id)}

    full_day = dataclasses.replace(
        next(s for s in view.sessions if s.kind == SessionKind.STATE_OF_PLAY),
        agenda=[],
        template="etat-des-lieux-journee",
        end_time=None,
    )
    doc = attendance_document(view, full_day, structure_id=target.id, lang="fr")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.columns[-2:] == ("Signature matin", "Signature après-midi")
    assert len(table.rows) == 3
    assert "09:00 – 17:00" in to_html(doc)


# --- the cohort report -----------------------------------------------------------------------


def test_report_holds_programme_structures_concerns_and_threads(
    view: CohortView, today: dt.date
) -> None:
    text = export_report(view, today=today, fmt="md", lang="fr").decode()
    assert text.startswith("# Rapport du collectif — Collectif MSE — Vallée de la Drôme")
    for heading in ("Programme", "Structures (7)", "Présence", "Points d'attention"):
        assert f"\n## {heading}\n" in text
    for s in view.structures:
        assert f"\n### {s.name}\n" in text
    for note in view.notes:
        assert note.text in text
    assert "n'est pas employeuse" in text  # a concern of the rules, in French
    assert not HEX_ID.search(text)
    page = parse(export_report(view, today=today, fmt="html", lang="en").decode())
    assert_self_contained(page, "en")
    assert "Cohort report" in page.words and "Each structure's thread" in page.words
    assert "employs no staff" in page.words  # the concerns follow the language asked


def test_shared_themes_are_named_with_their_structures(tmp_path: Path, today: dt.date) -> None:
    records = build_demo(FIXED_NOW.date())
    by_name = {r.name: r for r in records if isinstance(r, Structure)}
    said = {
        "Les Jardins du Martinet": "Le bénévolat s'essouffle au chantier",
        "Centre social L'Escale": "Trop peu de bénévoles pour l'accompagnement scolaire",
        "Épicerie solidaire La Musette": "Les bénévoles de l'épicerie vieillissent",
    }
    notes: list[Record] = [
        Note(
            kind=NoteKind.OBSTACLE,
            text=text,
            structure_id=by_name[name].id,
            lever=Lever.HUMAN,
            created=FIXED_NOW,
        )
        for name, text in said.items()
    ]
    view = CohortView.load(Workspace(tmp_path / "ws").create([*records, *notes]))
    doc = cohort_document(view, today=today, lang="fr")
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert "3 structures partagent ce frein (richesses humaines)" in headings
    assert "Binômes possibles" in headings
    text = export_report(view, today=today, fmt="md", lang="fr").decode()
    for name, said_text in said.items():
        assert f"- {said_text} — *{name}*" in text


# --- through the command line -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "ws"
    Workspace(root).create(build_demo(FIXED_NOW.date()))
    return root


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_cli_bilan_docx_needs_a_file(demo_data: Path, tmp_path: Path) -> None:
    out = run_cli("export", "bilan", "--structure", "jardins", "--format", "docx", data=demo_data)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "-o" in out.stderr and "Traceback" not in out.stderr

    target = tmp_path / "bilan.docx"
    out = run_cli(
        "export", "bilan", "--structure", "jardins", "--format", "docx", "-o", str(target),
        data=demo_data,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout == "" and private(target)
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "Bilan individuel — Les Jardins du Martinet"


def test_cli_bilan_markdown_goes_to_stdout_in_the_language_asked(demo_data: Path) -> None:
    out = run_cli("export", "bilan", "--structure", "Escale", "--lang", "en", data=demo_data)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Individual review — Centre social L'Escale\n")
    assert "Isabelle Perrin" in out.stdout


def test_cli_a_failed_export_writes_nothing(demo_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    out = run_cli("export", "bilan", "--structure", "nope", "-o", str(target), data=demo_data)
    assert out.returncode == 2 and not target.exists()
    assert out.stderr.startswith("facilitator: ") and "Traceback" not in out.stderr
    out = run_cli("export", "bilan", data=demo_data)  # --structure is required
    assert out.returncode == 2 and "--structure" in out.stderr


def test_cli_notes_as_csv_file_and_json_on_stdout(demo_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.csv"
    out = run_cli("export", "notes", "-o", str(target), data=demo_data)
    assert out.returncode == 0, out.stderr
    assert private(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 21
    out = run_cli("export", "notes", "--format", "json", "--lang", "en", data=demo_data)
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert {r["text"] for r in records} == {row[7] for row in rows[1:]}


def test_cli_sign_in_sheet(demo_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    out = run_cli(
        "export", "attendance", "--session", "etat-des-lieux", "--format", "html",
        "-o", str(target), data=demo_data,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    page = parse(target.read_text(encoding="utf-8"))
    assert "Feuille d'émargement — 1re session collective — État des lieux" in page.words
    assert "Nadia Benali" in page.words and "Antoine Mercier" in page.words

    out = run_cli(
        "export", "attendance", "--session", "bilan", "--structure", "musette", "--format", "md",
        data=demo_data,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Françoise Brun" in out.stdout and "Nadia Benali" not in out.stdout

    out = run_cli("export", "attendance", "--session", "bilan", data=demo_data)
    assert out.returncode == 2 and "--structure" in out.stderr


def test_cli_sign_in_sheet_without_a_session(tmp_path: Path) -> None:
    cohort = Cohort(name="C")
    place = Structure(name="A")
    person = Participant(structure_id=place.id, name="Zoé")
    past = Session(kind=SessionKind.INTRO, date=dt.date(2001, 1, 9))
    workspace = Workspace(tmp_path / "ws")
    workspace.create([cohort, place, person, past])
    out = run_cli("export", "attendance", data=workspace.root)
    assert out.returncode == 2 and out.stdout == ""
    assert "--session" in out.stderr and out.stderr.count("\n") == 1

    later = Workspace(tmp_path / "later")
    ahead = Session(kind=SessionKind.EVOLUTION, date=dt.date(2099, 3, 3), place="Crest")
    later.create([Cohort(name="D"), place, person, past, ahead])
    out = run_cli("export", "attendance", data=later.root)
    assert out.returncode == 0, out.stderr
    assert "Zoé;A;autre;" in out.stdout
    assert "2nde session collective" in out.stderr and "3 mars 2099" in out.stderr


def test_cli_report(demo_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    out = run_cli("export", "report", "--format", "html", "-o", str(target), data=demo_data)
    assert out.returncode == 0, out.stderr
    page = parse(target.read_text(encoding="utf-8"))
    assert_self_contained(page, "fr")
    assert "Le fil de chaque structure" in page.words
