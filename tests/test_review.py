"""``facilitator review``: the cohort summary and a bilan brief, as the real program prints
them into a pipe (80 columns, no colour), in French and in English."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from facilitator.bilan_export import bilan_document
from facilitator.demo import build_demo
from facilitator.domain import BilanReview, Lever, Note, NoteKind, Record, Session, Structure
from facilitator.review import make_console, print_document
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from tests.conftest import FIXED_NOW, ROOT, run_cli

ANSI = re.compile(r"\x1b\[")
SHARED = {
    "Les Jardins du Martinet": "Le bénévolat s'essouffle au chantier",
    "Centre social L'Escale": "Trop peu de bénévoles pour l'accompagnement scolaire",
    "Épicerie solidaire La Musette": "Les bénévoles de l'épicerie vieillissent",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, plus three freins the cohort shares and a filled bilan for Les Jardins."""
    root = tmp_path_factory.mktemp("review") / "ws"
    records: list[Record] = list(build_demo(FIXED_NOW.date()))
    by_name = {r.name: r for r in records if isinstance(r, Structure)}
    jardins = by_name["Les Jardins du Martinet"]
    bilan = next(r for r in records if isinstance(r, Session) and r.structure_id == jardins.id)
    records += [
        Note(
            kind=NoteKind.OBSTACLE,
            text=text,
            structure_id=by_name[name].id,
            lever=Lever.HUMAN,
            created=FIXED_NOW,
        )
        for name, text in SHARED.items()
    ]
    records.append(
        BilanReview(
            id=bilan.id,
            session_id=bilan.id,
            structure_id=jardins.id,
            ratings={"collective": 5, "peers": 4},
            third_person="Hélène Garcia",
            third_person_role="chargée de mission DLA",
            next_steps="Convention avec La Musette avant l'été.",
            follow_up=dt.date(2027, 3, 16),
        )
    )
    Workspace(root).create(records)
    return root


def assert_plain_80(out: subprocess.CompletedProcess[str]) -> list[str]:
    """Exit 0, nothing on stderr, no colour codes, no line wider than 80 cells."""
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert "Traceback" not in out.stdout
    assert not ANSI.search(out.stdout)
    lines = out.stdout.splitlines()
    assert lines, "nothing printed"
    assert max(cell_len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines), "lines padded with blanks"
    return lines


def test_cohort_summary_in_french(data: Path) -> None:
    out = run_cli("review", data=data)
    lines = assert_plain_80(out)
    assert lines[0] == "Collectif MSE — Vallée de la Drôme 2026-2027"
    text = out.stdout
    for section in ("Programme", "Structures (7)", "Présence", "Points d'attention"):
        assert re.search(rf"^{re.escape(section)} ─+$", text, re.M), section
    assert "Thèmes partagés ─" in text
    # Every structure, with its notes counted by kind.
    for name in SHARED:
        assert name in text
    assert "2 constats, 2 freins," in text  # L'Escale
    assert "  • Épicerie solidaire La Musette et Les Jardins du Martinet  1 thème" in text
    # Humanized days next to the dates.
    assert re.search(r"(il y a|dans) \d+ (jours|mois)", text)
    # The rules' concerns, and the theme three structures share.
    assert "n'est pas employeuse" in text
    assert "3 structures partagent ce frein (richesses humaines)" in text
    assert "Binômes possibles" in text


def test_cohort_summary_in_english(data: Path) -> None:
    out = run_cli("review", "--lang", "en", data=data)
    assert_plain_80(out)
    assert "Points of attention ─" in out.stdout
    assert "3 structures share this obstacle (human resources)" in out.stdout
    assert "employs no staff" in out.stdout
    assert re.search(r"(in \d+ days|days ago|months? ago)", out.stdout)


def test_bilan_brief_in_french(data: Path) -> None:
    out = run_cli("review", "--structure", "jardins", data=data)
    lines = assert_plain_80(out)
    assert lines[0] == "Bilan individuel — Les Jardins du Martinet"
    text = out.stdout
    assert re.search(r"^Bilan : \w+ \d+ \w+ \d{4} à 10:00 \((dans|il y a) ", text, re.M)
    for person in ("Nadia Benali  dirigeant·e salarié·e", "Bernard Chevalier  président·e"):
        assert person in text
    headings = re.findall(r"^(\S.*?) ─{3,}$", text, re.M)
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
        "Le bilan",
    ]
    assert "✓ représentée" in text
    assert "Ressources financières\n  Chantier d'insertion maraîchage\n    • Les aides" in text
    assert "Le bénévolat s'essouffle au chantier" in text
    assert "Tierce personne : Hélène Garcia (chargée de mission DLA)" in text
    assert "5/5" in text and "Point de suivi : mardi 16 mars 2027" in text


def test_bilan_brief_in_english(data: Path) -> None:
    out = run_cli("review", "--structure", "Escale", "--lang", "en", data=data)
    lines = assert_plain_80(out)
    assert lines[0] == "Individual review — Centre social L'Escale"
    for heading in ("Attendance", "Obstacles", "Mirror effect received", "Preparatory work"):
        assert re.search(rf"^{heading} ─+$", out.stdout, re.M), heading
    assert "Isabelle Perrin  salaried director" in out.stdout
    assert "The review meeting" not in out.stdout  # nothing filled for L'Escale


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--structure", "nope"), "« nope »"),
        (("--structure", "e"), "plusieurs"),
        (("--cohort", "inconnue"), "« inconnue »"),
    ],
)
def test_a_bad_name_is_one_sentence_and_exit_2(
    data: Path, args: tuple[str, ...], words: str
) -> None:
    out = run_cli("review", *args, data=data)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.startswith("facilitator: ") and out.stderr.count("\n") == 1
    assert words in out.stderr.lower() or words in out.stderr
    assert "Traceback" not in out.stderr


def test_an_empty_workspace_says_what_to_do(tmp_path: Path) -> None:
    out = run_cli("review", "--lang", "en", data=tmp_path / "empty")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("facilitator: ")


def test_review_starts_without_textual(data: Path) -> None:
    code = (
        "import sys\n"
        "from facilitator.cli import main\n"
        f"rc = main(['--data', {str(data)!r}, 'review', '--structure', 'jardins'])\n"
        "sys.stderr.write(repr((rc, sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'screens', 'docx', 'icalendar')))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stderr == "(0, [])"


# --- the console, in process ------------------------------------------------------------------


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_colour_unless_no_color(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = CohortView.load(Workspace(data).find(None))
    jardins = next(s for s in view.structures if s.name.startswith("Les Jardins"))
    doc = bilan_document(view, jardins.id, today=FIXED_NOW.date(), lang="fr", relative=True)

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    coloured = FakeTty()
    print_document(doc, make_console(coloured))
    assert "\x1b[32m" in coloured.getvalue() or "\x1b[" in coloured.getvalue()

    monkeypatch.setenv("NO_COLOR", "1")
    plain = FakeTty()
    print_document(doc, make_console(plain))
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", plain.getvalue())  # no foreground colour

    piped = io.StringIO()
    print_document(doc, make_console(piped))
    assert not ANSI.search(piped.getvalue())
    assert max(cell_len(line) for line in piped.getvalue().splitlines()) <= 80


def test_typed_text_is_not_markup(tmp_path: Path) -> None:
    from facilitator.domain import Cohort

    cohort = Cohort(name="C")
    odd = Structure(name="[bold]Atelier[/bold] :smile:")
    note = Note(text="[red]urgent[/red] :) \\[x]", structure_id=odd.id, kind=NoteKind.OBSTACLE)
    view = CohortView.load(Workspace(tmp_path / "ws").create([cohort, odd, note]))
    out = io.StringIO()
    print_document(
        bilan_document(view, odd.id, today=FIXED_NOW.date(), lang="fr"), make_console(out)
    )
    assert "[bold]Atelier[/bold] :smile:" in out.getvalue()
    assert "[red]urgent[/red] :) \\[x]" in out.getvalue()
