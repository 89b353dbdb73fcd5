"""A new user's first programme, key by key, in a real terminal at 80×24.

From an empty workspace and without the demo: create a cohort, add three structures
and one person each, propose and accept the programme, edit the état des lieux agenda
(add an item, pin lunch), open that session live, start the clock and capture a
constat. Then the data is checked through the command line, as a script would.
Keys are sent the way a person types them, each once the screen shows the one before
was taken; inside a form, a Tab and the next field's text go in one burst, as over SSH.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.i18n import t
from facilitator.programme import INTRO_TO_STATE_OF_PLAY
from screens.dialogs.programme import short_day
from tests.conftest import run_cli
from tests.e2e_helpers import (
    Terminal,
    Tmux,
    a_programme_start,
    cohort_today,
    program,
    tmux_server,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed: no real terminal to drive"
    ),
]

COHORT = "Cohorte Drôme 2027"
STRUCTURES = {
    "Les Jardins du Lien": "Awa Diallo",
    "Radio Méga": "Marc Roux",
    "Vélo-École de Crest": "Inès Martin",
}  # in the board's order (by name), so each person is added with the cursor on theirs
CONSTAT = "constat: @jardins #rh les bénévoles s'essoufflent"


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    with tmux_server(tmp_path) as server:
        yield server


def fill(term: Terminal, *fields: str) -> None:
    """Type into a form's fields in order, Tab between them, in one burst."""
    for index, text in enumerate(fields):
        if index:
            term.press("Tab")
        if text:
            term.type(text)


def test_a_first_programme_from_an_empty_workspace(tmux: Tmux, tmp_path: Path) -> None:
    # Weeks ahead of the cohort's today (Paris, not the machine's date): the cursor
    # starts on the introduction, and the état des lieux is asked about before starting.
    start = a_programme_start(cohort_today(), longest="lun 22 février")
    state_of_play = start + INTRO_TO_STATE_OF_PLAY
    first, day = start.isoformat(), short_day(state_of_play)
    data = tmp_path / "empty"
    term = tmux.terminal(program(data))
    term.wait_for(t("word.cohorts"), t("cohorts.key.new"))

    # The cohort: name, approach (kept), thématique, territory, DLAs, co-financers,
    # first consultant and their days, then the start date.
    term.press("n")
    term.wait_for(t("cohorts.new_title"))
    fill(term, COHORT, "", "", "Drôme", "DLA 26", "", "Claire Petit", "8")
    for _ in range(5):
        term.press("Tab")
    term.type(first)
    term.wait_for(first, "Claire Petit")
    term.press("Enter")
    term.wait_for(t("tui.area.dashboard"), COHORT)

    # Three structures, then one person each, on the board.
    term.press("2")
    term.wait_for(t("board.key.add_structure"))
    for count, name in enumerate(STRUCTURES, start=1):
        term.press("a")
        term.wait_for(t("board.form.new_structure"))
        fill(term, name, "2012-03-01")
        term.wait_for("2012-03-01")
        term.press("Enter")
        # The matrix lists it (the toast wraps, so the data is what is waited for).
        term.wait_for(lambda s, n=count: len(re.findall(r"—\s+—\s+—\s+—", s)) == n)
    term.press("Home")
    for index, person in enumerate(STRUCTURES.values()):
        if index:
            term.press("Down")
        term.press("p")
        term.wait_for(t("board.form.new_participant"))
        term.type(person)
        term.wait_for(person)
        term.press("Enter")
        term.wait_for(lambda s, p=person: p in s and t("board.form.new_participant") not in s)

    # The programme: full-day collective sessions, previewed, then applied.
    term.press("3")
    term.wait_for(t("word.programme"))
    term.press("p")
    term.wait_for(first)
    term.press("Tab", "Tab", "Enter")  # the collective sessions' choice, opened
    term.wait_for(t("sessions.programme.collective.journee"))
    term.press("Down", "Enter")
    full_day, half_day = (
        t(f"sessions.programme.collective.{v}") for v in ("journee", "demi-journee")
    )
    term.wait_for(lambda s: full_day in s and half_day not in s)  # chosen, the list closed
    term.press("C-s")
    term.wait_for("Bilan · Vélo-École de Crest", day)
    term.press("Enter")
    # The list itself, not the preview closing over it (it shows the same rows).
    preview = t("sessions.programme.preview_title")
    term.wait_for(
        lambda s: preview not in s and re.search(rf"S1 · État des lieux\s+{re.escape(day)}", s)
    )

    # The état des lieux agenda: an item of our own after the welcome, lunch at 12:15.
    term.press("Down")
    term.press("g")
    term.wait_for(t("agenda_editor.col.slack"), t("word.item"), "Déjeuner")
    term.press("a")
    term.wait_for(t("agenda_editor.form.add"))
    fill(term, "", "Météo du jour", "10")
    term.wait_for("Météo du jour")
    term.press("Enter")
    term.wait_for(lambda s: re.search(r"2\s+09:20\s+10\s+Météo du jour", s))
    for _ in range(6):
        term.press("Down")
    term.press("f")
    term.wait_for(t("agenda_editor.form.pin", title="Déjeuner"), "12:30")
    # The time is selected as the form opens: typing replaces it.
    term.type("12:15")
    term.wait_for("12:15")
    term.press("Enter")
    term.wait_for(lambda s: re.search(r"8\s+12:15\s+60\s+⚑.*Déjeuner", s))

    # Live: the clock starts, a constat is captured.
    term.press("Escape")
    term.wait_for(t("word.programme"))
    term.press("Enter")
    term.wait_for(t("session.key.start_pause"))
    term.press("Space")  # the session is weeks ahead of today: the app asks first
    term.wait_for(t("session.start_anyway"))
    term.press("y")
    # The time left was on screen before the start: wait for the question to go too, or
    # the next key goes to it.
    term.wait_for(
        t("session.clock.left", minutes=20), lambda screen: t("session.start_anyway") not in screen
    )
    term.press("c")
    term.wait_for(t("capture.key.leave"))
    term.type(CONSTAT)
    term.wait_for("s'essoufflent")
    term.press("Enter")
    term.wait_for(t("session.note.saved"))
    term.press("C-q")
    assert term.wait_exit() == 0

    # The command line sees what the screens wrote.
    sessions = run_cli("list", "sessions", data=data)
    assert sessions.returncode == 0, sessions.stderr
    assert len(sessions.stdout.splitlines()) == 6
    assert state_of_play.isoformat() in sessions.stdout and "Radio Méga" in sessions.stdout
    shown = run_cli("agenda", "show", "--session", "etat-des-lieux", data=data)
    assert shown.returncode == 0, shown.stderr
    rows = shown.stdout.splitlines()
    assert re.match(r"2\t09:20\t10\t\tMétéo du jour$", rows[1]), rows
    assert re.match(r"8\t12:15\t60\t12:15\tDéjeuner$", rows[7]), rows
    people = run_cli("list", "participants", data=data)
    assert sorted(line.split("\t")[1].split(",")[0] for line in people.stdout.splitlines()) == (
        sorted(STRUCTURES.values())
    )
    notes = json.loads(run_cli("export", "notes", "--format", "json", data=data).stdout)
    (note,) = notes
    assert (note["text"], note["structure"]) == (
        "les bénévoles s'essoufflent",
        "Les Jardins du Lien",
    )
    assert "État des lieux" in note["session_label"]
    cohort = run_cli("list", "cohorts", data=data)
    assert cohort.stdout.strip().endswith(COHORT)
