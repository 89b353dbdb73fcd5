"""The real program in a real terminal (tmux): what a facilitator does, key by key.

Each test drives ``python -m facilitator`` inside a detached tmux session of a
given size and TERM, and reads the screen with ``capture-pane`` (see
``tests/e2e_helpers.py``). Texts are looked up in the catalogues, in French.
A key is sent only once the screen shows that the one before was taken: the
program receives keys the way a laggy SSH link delivers them, all at once.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import arrow
import pytest

from facilitator.agenda import item_title
from facilitator.domain import Note, SessionKind, Structure, label, session_name
from facilitator.i18n import t
from facilitator.live import live_session, session_events
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from tests.conftest import run_cli
from tests.e2e_helpers import Terminal, Tmux, message_pattern, program, tmux_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed: no real terminal to drive"
    ),
]

CONSTAT = "constat: @jardins #rh les bénévoles s'essoufflent"
SAID = "les bénévoles s'essoufflent"  # the note's text once the mention and the tag are read
REMAINING = r"(\d\d):(\d\d) " + message_pattern("session.clock.left")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    with tmux_server(tmp_path) as server:
        yield server


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo workspace, made by the command line as a facilitator would."""
    data = tmp_path / "data"
    done = run_cli("demo", "--no-open", data=data)
    assert done.returncode == 0, done.stderr
    return data


def remaining(screen: str) -> int:
    """Seconds left on the live screen's clock line."""
    match = re.search(REMAINING, screen)
    assert match is not None, screen
    return int(match[1]) * 60 + int(match[2])


def ready(term: Terminal) -> str:
    """The live screen once its keys are live: the footer offers them (the feed has the focus)."""
    return term.wait_for(f"{label(SessionKind.STATE_OF_PLAY)} · ", t("session.key.start_pause"))


def start_clock(term: Terminal) -> str:
    ready(term)
    term.press("Space")
    return term.wait_for(
        lambda s: t("session.clock.not_started") not in s and re.search(REMAINING, s)
    )


def capture(term: Terminal, line: str) -> str:
    term.press("c")
    term.wait_for(t("capture.key.leave"))  # the capture line has the focus
    term.type(line)
    term.wait_for(line)
    term.press("Enter")
    return term.wait_for(t("session.note.saved"), lambda s: re.search(REMAINING, s))


def test_letters_typed_with_enter_go_to_the_next_note(tmux: Tmux, demo: Path) -> None:
    """Over SSH, Enter and the next letters often arrive in one read: the letters
    belong to the next note, not to the one being saved."""
    live = tmux.terminal(program(demo, "session", "etat-des-lieux"))
    ready(live)
    live.press("c")
    live.wait_for(t("capture.key.leave"))
    live.type("constat: @jardins premiere note")
    live.wait_for("premiere note")
    live.press("Enter", "X", "Y", "Z")  # one send-keys: one write to the terminal
    live.wait_for(t("session.note.saved"))
    live.press("C-q")
    assert live.wait_exit() == 0
    texts = [n.text for n in Workspace(demo).find(None).records(Note)]
    assert "premiere note" in texts
    assert not any("XYZ" in text for text in texts)


def test_c_the_text_and_enter_in_one_read_save_the_whole_note(tmux: Tmux, demo: Path) -> None:
    """Over SSH « c » and the words after it often arrive in one read: they all land in
    the capture line (its letters are no keys of the screen), and the note keeps its
    structure. The clock stays as it was: the space in the text did not start it."""
    live = tmux.terminal(program(demo, "session", "etat-des-lieux"), width=80, height=24)
    ready(live)
    live.press("c", "constat: @escale BURST les bénévoles sont partis en juin", "Enter")
    live.wait_for(t("session.note.saved"))
    screen = live.wait_for("BURST")
    assert t("session.clock.not_started") in screen
    live.press("C-q")
    assert live.wait_exit() == 0
    cohort = Workspace(demo).find(None)
    escale = next(s for s in cohort.records(Structure) if "Escale" in s.name)
    burst = [n for n in cohort.records(Note) if "BURST" in n.text]
    assert [(n.text, n.structure_id) for n in burst] == [
        ("BURST les bénévoles sont partis en juin", escale.id)
    ]


def test_two_screens_pressing_n_together_end_one_item(tmux: Tmux, demo: Path) -> None:
    """Two consultants on one session press « n » at the same moment: the item on the
    clock ends, once; the item after it is not skipped."""
    first = tmux.terminal(program(demo, "session", "etat-des-lieux"))
    second = tmux.terminal(program(demo, "session", "etat-des-lieux"))
    ready(second)
    start_clock(first)
    second.wait_for(lambda s: t("session.clock.not_started") not in s and re.search(REMAINING, s))
    view = CohortView.load(Workspace(demo).find(None))
    session = next(s for s in view.sessions if s.kind is SessionKind.STATE_OF_PLAY)
    plan = live_session(view, session, arrow.utcnow()).plan
    title = item_title(plan.items[1], view.structure_names())
    on_the_second = re.compile(rf"▶ \d\d:\d\d +\d+ min +{re.escape(title[:30])}")
    # One tmux command: both programs get their « n » within a millisecond.
    tmux.run("send-keys", "-t", first.name, "n", ";", "send-keys", "-t", second.name, "n")
    for term in (first, second):
        term.wait_for(lambda s: on_the_second.search(s))
    time.sleep(1)  # a press the second screen would make late has had its time
    for term in (first, second):
        term.press("C-q")
        assert term.wait_exit() == 0
    view = CohortView.load(Workspace(demo).find(None))
    state = live_session(view, session, arrow.utcnow()).state
    assert state.current == 1
    assert [e.action for e in session_events(view, session.id)].count("next") == 1


# --- issue 5: a crash loses neither the note nor the clock -------------------------------


def test_a_kill_9_keeps_the_note_and_the_running_clock(tmux: Tmux, demo: Path) -> None:
    live = tmux.terminal(program(demo, "session", "etat-des-lieux"))
    pid = live.pid
    assert "facilitator" in Path(f"/proc/{pid}/cmdline").read_bytes().decode().replace("\0", " ")
    start_clock(live)
    before = remaining(capture(live, CONSTAT))
    os.kill(pid, signal.SIGKILL)
    assert live.wait_exit() < 0  # killed, not quit

    again = tmux.terminal(program(demo, "session", "etat-des-lieux"))
    # The note is in the feed, and the clock still runs: the time left went on going down.
    screen = again.wait_for(SAID, lambda s: re.search(REMAINING, s) and remaining(s) < before)
    assert t("session.clock.not_started") not in screen
    assert t("agenda.status.paused") not in screen


# --- issue 8: the usual path works in the terminals people have --------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color", "linux"])
def test_open_a_session_start_capture_and_quit(
    tmux: Tmux, tmp_path: Path, term: str, size: tuple[int, int]
) -> None:
    width, height = size
    app = tmux.terminal(program(tmp_path / "data", "demo"), width=width, height=height, term=term)
    environ = Path(f"/proc/{app.pid}/environ").read_bytes().split(b"\0")
    assert f"TERM={term}".encode() in environ
    assert not any(v.startswith((b"COLORTERM=", b"FACILITATOR_DATA=")) for v in environ)
    app.wait_for(f"3 {t('word.sessions')}")
    app.press("3")
    app.wait_for(t("sessions.col.length"), session_name(SessionKind.STATE_OF_PLAY))
    app.press("Up")  # the cursor starts on the next session, the évolution in the demo
    app.press("Enter")
    ready(app)
    start_clock(app)
    capture(app, CONSTAT)
    app.wait_for(SAID)
    app.press("C-q")
    assert app.wait_exit() == 0


def test_a_terminal_too_small_says_what_it_needs(tmux: Tmux, demo: Path) -> None:
    small = tmux.terminal(program(demo), width=60, height=20)
    small.wait_for("80×24", "60×20")
    small.press("C-q")
    assert small.wait_exit() == 0


# --- the projector follows the live screen from another terminal ------------------------


def test_the_projector_follows_the_clock_within_two_seconds(tmux: Tmux, demo: Path) -> None:
    projector = tmux.terminal(program(demo, "project", "--session", "etat-des-lieux"))
    live = tmux.terminal(program(demo, "session", "etat-des-lieux"))
    projector.pattern(message_pattern("projector.starts_on"))
    ready(live)
    live.press("Space")
    pressed = time.monotonic()
    projector.wait_for(
        t("session.clock.left", minutes=15),
        lambda s: re.search(message_pattern("projector.progress", position=1), s),
        timeout=5,
    )
    assert time.monotonic() - pressed < 2.5
    live.press("C-q")
    projector.press("q")
    assert live.wait_exit() == 0 and projector.wait_exit() == 0
