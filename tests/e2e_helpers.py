"""The real program in a real terminal: tmux runs it, the test types and reads the screen.

Each test gets its own tmux server (``-L``), so the person's own tmux sessions
are never touched and everything started is killed at the end. The program is
the pane's command itself, started through ``env -i`` (which execs it), so the
pane's pid is the Python process: a test can kill -9 it like a crash would.
Its environment is spelled out whole: the TERM asked for, no COLORTERM, no
FACILITATOR_DATA, French.

Reading the screen polls ``tmux capture-pane`` until the text expected is there;
a fixed sleep would be either too slow or flaky.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import arrow

from facilitator.domain import Cohort
from facilitator.i18n import catalogue, language
from facilitator.programme import INTRO_TO_STATE_OF_PLAY
from facilitator.workdays import is_working_day
from tests.conftest import ROOT

TIMEOUT = 15.0
POLL = 0.05

# No status line (the pane gets every row of the size asked for); a pane whose
# program ended stays, so its exit status can be read.
TMUX_CONF = "set -g status off\nset -g remain-on-exit on\nset -g history-limit 100\n"


def message_pattern(key: str, **values: object) -> str:
    """A regex for the catalogue message ``key``: the values given, anything for the others."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(catalogue(language())[key]):
        parts.append(re.escape(literal))
        if name:
            parts.append(re.escape(str(values[name])) if name in values else ".+?")
    return "".join(parts)


def cohort_today(now: arrow.Arrow | None = None, timezone: str | None = None) -> dt.date:
    """Today as the program reads it: where the cohort's sessions take place
    (:meth:`Cohort.today`, Paris by default), not the machine's ``date.today()``, which
    at 23:30 UTC is still yesterday when Paris is already tomorrow."""
    cohort = Cohort(name="") if timezone is None else Cohort(name="", timezone=timezone)
    return cohort.today(arrow.utcnow() if now is None else now)


def a_programme_start(today: dt.date, *, weeks: int = 8, longest: str = "") -> dt.date:
    """The first Monday at least ``weeks`` weeks after ``today`` on which a proposed
    programme keeps its introduction, and its état des lieux six weeks later (both
    working days), and whose état des lieux the Sessions area writes in no more
    characters than ``longest`` (see :func:`short_enough`)."""
    day = today + dt.timedelta(weeks=weeks)
    day += dt.timedelta(days=-day.weekday() % 7)
    while not (
        is_working_day(day)
        and is_working_day(day + INTRO_TO_STATE_OF_PLAY)
        and short_enough(day + INTRO_TO_STATE_OF_PLAY, longest)
    ):
        day += dt.timedelta(weeks=1)
    return day


def short_enough(day: dt.date, longest: str) -> bool:
    """Whether the Sessions area writes ``day`` in no more characters than ``longest``
    (« lun 22 février »): a longer month could be cut at 80 columns."""
    if not longest:
        return True
    from screens.dialogs.programme import short_day

    return len(short_day(day)) <= len(longest)


def program(data: Path, *args: str) -> list[str]:
    """The command line of facilitator on the workspace ``data``."""
    return [sys.executable, "-m", "facilitator", "--data", str(data), *args]


def zombie_status(pid: int) -> int | None:
    """The exit status of a process that ended but was not reaped, from /proc (Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    if fields[0] != "Z":
        return None
    code = int(fields[-1])  # exit_code, in waitpid's format
    return -(code & 0x7F) if code & 0x7F else code >> 8


class Tmux:
    """One private tmux server; its terminals share it, and it dies with the test."""

    def __init__(self, work: Path) -> None:
        self.socket = f"facilitator-e2e-{uuid.uuid4().hex[:10]}"
        self.conf = work / "tmux.conf"
        self.conf.write_text(TMUX_CONF, encoding="utf-8")

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-u", "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
            timeout=10,
            check=False,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def terminal(
        self,
        command: Sequence[str],
        *,
        width: int = 80,
        height: int = 24,
        term: str = "xterm-256color",
    ) -> Terminal:
        return Terminal(self, command, width=width, height=height, term=term)

    def kill(self) -> None:
        """Stop the server and remove its socket, which tmux leaves behind."""
        self.run("kill-server", check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


@contextmanager
def tmux_server(work: Path) -> Iterator[Tmux]:
    server = Tmux(work)
    try:
        yield server
    finally:
        server.kill()


class Terminal:
    """A detached tmux session of ``width``×``height`` running ``command`` under ``term``."""

    def __init__(
        self, server: Tmux, command: Sequence[str], *, width: int, height: int, term: str
    ) -> None:
        self.server = server
        self.name = f"t{uuid.uuid4().hex[:8]}"
        self.size = (width, height)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(ROOT)),
            "LANG": "C.UTF-8",
            "TERM": term,
            "FACILITATOR_LANG": "fr",
        }
        server.run(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
            "-c", str(ROOT),
            "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command,
        )  # fmt: skip
        self._pid = self.pid
        self._wait_exec(command[0])

    # --- reading -------------------------------------------------------------------

    def screen(self) -> str:
        return self.server.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, *expected: str | Callable[[str], object], timeout: float = TIMEOUT) -> str:
        """The screen once it shows everything ``expected`` (texts, or tests on the whole screen).

        All at once: a capture may fall in the middle of a repaint, so one text
        seen is not the whole screen drawn.
        """
        tests = [
            (lambda screen, text=e: text in screen) if isinstance(e, str) else e for e in expected
        ]
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(test(screen) for test in tests):
                return screen
            if self._dead()[0] or time.monotonic() > deadline:
                raise AssertionError(
                    f"waited {timeout:.0f}s for {expected!r}; the screen shows:\n{screen}"
                )
            time.sleep(POLL)

    def pattern(self, regex: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The first match of ``regex`` once the screen shows one."""
        screen = self.wait_for(lambda s: re.search(regex, s), timeout=timeout)
        match = re.search(regex, screen)
        assert match is not None
        return match

    # --- typing --------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """tmux key names: ``Space``, ``Enter``, ``Down``, ``C-q``, ``F1``, or a letter."""
        self.server.run("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.server.run("send-keys", "-t", self.name, "-l", text)

    # --- the process ---------------------------------------------------------------

    @property
    def pid(self) -> int:
        """The program's pid: the pane's own process, as ``env`` execs the command."""
        return int(self.server.run("display", "-p", "-t", self.name, "#{pane_pid}").strip())

    def _wait_exec(self, executable: str) -> None:
        """Until the pane's process is the program (tmux forks, then ``env`` execs it)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                argv = Path(f"/proc/{self._pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                return  # already gone: the test will see the pane dead
            if argv[0] == os.fsencode(executable):
                return
            time.sleep(0.01)
        raise AssertionError(f"{executable} did not start in the pane")

    def _dead(self) -> tuple[bool, str]:
        shown = self.server.run(
            "display", "-p", "-t", self.name, "#{pane_dead} #{pane_dead_status}"
        )
        dead, _, status = shown.strip().partition(" ")
        return dead == "1", status

    def exit_status(self) -> int | None:
        """None while the program runs; its exit status once it ended (-N: killed by signal N).

        tmux does not always reap a program that closed its terminal (it stays a
        zombie, and tmux shows no status): the kernel still knows its exit code.
        """
        dead, status = self._dead()
        if not dead:
            return None
        for _ in range(20):
            if status:
                return int(status)
            reaped = zombie_status(self._pid)
            if reaped is not None:
                return reaped
            time.sleep(POLL)
            _, status = self._dead()
        return -1

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout:.0f}s:\n{self.screen()}")
            time.sleep(POLL)
        return status

    def kill(self) -> None:
        self.server.run("kill-session", "-t", self.name, check=False)
