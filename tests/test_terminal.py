"""Escape sequences in names and notes never reach the terminal raw (issue 12, point 8).

The real program prints to a pipe and to a real pseudo-terminal; what comes out may
hold Rich's own colour codes (``ESC [ ... m``) and nothing else of the kind.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.domain import Note, Participant, Structure
from facilitator.store import CohortStore
from facilitator.terminal import visible
from facilitator.workspace import Workspace
from tests.conftest import ROOT, run_cli

TITLE = "\x1b]0;pwned\x07"  # sets the window title
CLEAR = "\x1b[2J\x1b[H\x1bc"  # clears the screen, resets the terminal
LINK = "\x1b]8;;https://evil.example/\x1b\\clic\x1b]8;;\x1b\\"  # an OSC 8 link
BELL, RLO, C1 = "\x07", "\u202e", "\x9b31m"  # bell, right-to-left override, 8-bit CSI

HOSTILE = f"Mallory{TITLE} Vidal"
NOTE = f"Mallory{CLEAR} a dit {LINK} {RLO}eton enu{BELL} {C1}fin"

# What a terminal would act on: any ESC that does not start a colour code (SGR), BEL,
# C1 controls, bidirectional overrides and isolates.
RAW = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x07\x80-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(small_cohort: CohortStore) -> CohortStore:
    jardins = small_cohort.records(Structure)[0]
    small_cohort.patch(Structure, jardins.id, {"name": f"Jardins{CLEAR}"})
    small_cohort.put(Participant(structure_id=jardins.id, name=HOSTILE))
    small_cohort.put(Note(text=NOTE, structure_id=jardins.id))
    small_cohort.put(Note(text=f"Mallory{TITLE} reviendra"))  # a first name alone: reread
    small_cohort.put(Note(text=f"{TITLE}orpheline", structure_id="partie"))  # check names it
    return small_cohort


def in_a_terminal(*args: str, data: Path) -> str:
    """The program's output as a real terminal receives it (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "FACILITATOR_LANG": "fr", "COLUMNS": "120", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--data", str(data), *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    child.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args",
    [
        ("list", "participants"),
        ("list", "structures"),
        ("review",),
        ("review", "--structure", "jardins"),
        ("export", "notes"),
        ("check",),
    ],
)
def test_data_printed_to_a_pipe_or_a_terminal_is_shown_not_obeyed(
    hostile: CohortStore, workspace: Workspace, args: tuple[str, ...]
) -> None:
    piped = run_cli(*args, data=workspace.root)
    shown = in_a_terminal(*args, data=workspace.root)
    if args[0] != "export":  # an export into a pipe or a file stays exact
        assert not RAW.search(piped.stdout + piped.stderr), repr(piped.stdout[:400])
    assert not RAW.search(shown), repr(shown[:600])
    assert "␛" in (shown if args[0] == "export" else piped.stdout + shown)


def test_forget_prints_the_name_and_notes_to_reread_visibly(
    hostile: CohortStore, workspace: Workspace
) -> None:
    done = run_cli("forget", "--participant", "mallory", data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert not RAW.search(done.stdout), repr(done.stdout)
    assert "Mallory␛]0;pwned␇ Vidal" in done.stdout  # the name said, as it is written
    assert "Mallory␛]0;pwned␇ reviendra" in done.stdout  # the note to reread


def test_an_error_quoting_a_typed_value_shows_it(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    done = run_cli("list", "structures", "--cohort", f"autre{TITLE}", data=workspace.root)
    assert done.returncode == 2
    assert not RAW.search(done.stderr) and "␛]0;pwned␇" in done.stderr


def test_an_export_into_a_file_keeps_the_data_exact(
    hostile: CohortStore, workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "notes.json"
    assert run_cli("export", "notes", "--format", "json", "-o", str(out), data=workspace.root)
    assert "\\u001b]0;pwned" in out.read_text() or "\x1b]0;pwned" in out.read_text()


def test_the_sanitiser_shows_every_control_character() -> None:
    assert visible("a\x1b[31mb\x07c\x7fd\x9be\u202ef\u2028g") == (
        "a␛[31mb␇c␡d⟨U+009B⟩e⟨U+202E⟩f⟨U+2028⟩g"
    )
    assert visible("ligne 1\nligne 2\tfin", keep="\n") == "ligne 1\nligne 2␉fin"
    assert visible("Émilie Vidal, 2 500 €") == "Émilie Vidal, 2 500 €"
    assert visible("👩‍👩‍👧 famille") == "👩‍👩‍👧 famille"  # emoji joiners are not controls
