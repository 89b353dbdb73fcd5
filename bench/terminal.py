"""A program in a pseudo-terminal, read the way a terminal over SSH would read it.

Why a real pty and not Textual's pilot: the figures that matter in the room are what
a person sees (the first paint, a typed letter appearing) and what crosses an SSH link
(bytes written to the terminal). Only a real terminal device gives the program its real
driver, its real writer thread and its real output.

Escape sequences are stripped just enough to find text on the screen: Textual paints a
line as cursor moves and style changes around runs of plain text, so the plain text of
one widget line stays contiguous once the sequences are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence

ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, styles, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, clipboard
    rb"|\x1bP.*?\x1b\\"  # DCS
    rb"|\x1b[@-Z\\-_]"  # two-byte escapes
    rb"|\x1b[()][0-9A-Za-z]"  # character set selection
)

CTRL_Q = b"\x11"
ENTER = b"\r"
BACKSPACE = b"\x7f"


def plain(raw: bytes) -> str:
    """The printable text of terminal output, escape sequences removed."""
    return ESCAPES.sub(b"", raw).decode("utf-8", errors="ignore")


def terminal_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a program under test: a plain 256-colour terminal.

    COLORTERM and Textual's own switches are dropped so that every run paints with the
    same colour system (the byte counts depend on it) whatever terminal started the bench.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "FACILITATOR_")) and key not in ("COLORTERM", "NO_COLOR")
    }
    env["TERM"] = "xterm-256color"
    env["FACILITATOR_LANG"] = "fr"
    if extra:
        env.update(extra)
    return env


class Timeout(Exception):
    """The text never showed up: the measure is void, not slow."""


class PtyProgram:
    """One program started in its own pseudo-terminal of a given size.

    Output is drained continuously by whoever calls :meth:`pump` (or the waiting
    methods), so the program never blocks on a full pty buffer while we wait.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.argv = list(argv)
        self.cols, self.rows = cols, rows
        self.output = bytearray()
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal before the program can ask for it
            try:
                winsize = struct.pack("HHHH", rows, cols, 0, 0)
                fcntl.ioctl(pty.STDIN_FILENO, termios.TIOCSWINSZ, winsize)
                if cwd:
                    os.chdir(cwd)
                os.execve(self.argv[0], self.argv, dict(env or terminal_env()))
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.exit_status: int | None = None

    # --- reading ------------------------------------------------------------------------

    def pump(self, timeout: float) -> int:
        """Read what the program wrote within ``timeout`` seconds; the number of bytes."""
        if self.fd < 0:
            time.sleep(max(timeout, 0))
            return 0
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the program closed its terminal
            chunk = b""
        if not chunk:
            self._closed()
            return 0
        self.output += chunk
        return len(chunk)

    def drain(self, seconds: float) -> int:
        """Read everything written during the next ``seconds``; the number of bytes."""
        end = time.perf_counter() + seconds
        total = 0
        while (left := end - time.perf_counter()) > 0:
            total += self.pump(left)
        return total

    def wait_for(self, text: str, *, since: int = 0, timeout: float = 20.0) -> float:
        """The moment (``perf_counter``) ``text`` appeared in the output after byte ``since``.

        The clock stops when the chunk holding the text has been read, which is when
        a terminal would have it on the screen (up to its own drawing time).
        """
        return self.wait_for_any((text,), since=since, timeout=timeout)[1]

    def wait_for_any(
        self, texts: Sequence[str], *, since: int = 0, timeout: float = 20.0
    ) -> tuple[str, float]:
        """Which of ``texts`` appeared first after byte ``since``, and when."""
        start = time.perf_counter()
        while True:
            shown = plain(bytes(self.output[since:]))
            found = [(shown.find(text), text) for text in texts if text in shown]
            if found:
                return min(found)[1], time.perf_counter()
            left = timeout - (time.perf_counter() - start)
            if left <= 0 or self.fd < 0:
                raise Timeout(f"{texts!r} not seen in {timeout:.0f} s from {self.argv[-1]!r}")
            self.pump(min(left, 0.5))

    def send(self, data: bytes) -> tuple[int, float]:
        """Write keys to the program; where its output stood and when they were sent."""
        mark = len(self.output)
        sent = time.perf_counter()
        os.write(self.fd, data)
        return mark, sent

    # --- the process ----------------------------------------------------------------------

    def peak_rss_mib(self) -> float:
        """VmHWM, the resident set's high-water mark, from /proc (MiB)."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def close(self, grace: float = 3.0) -> None:
        """Quit the way a person does (ctrl+q), then insist: never leave a child behind."""
        if self.exit_status is None and self.fd >= 0:
            with contextlib.suppress(OSError):
                os.write(self.fd, CTRL_Q)
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None and self.exit_status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, sig)
            end = time.perf_counter() + grace
            while self.exit_status is None and time.perf_counter() < end:
                self.pump(0.05)  # keep draining so the program can write its goodbye
                self._reap()
            if self.exit_status is not None:
                break
        self._closed()

    def kill(self) -> None:
        """End the program at once, for measures that are over once a figure is read."""
        if self.exit_status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            end = time.perf_counter() + 10
            while self.exit_status is None and time.perf_counter() < end:
                self.pump(0.02)
                self._reap()
        self._closed()

    def _reap(self) -> None:
        with contextlib.suppress(ChildProcessError):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.exit_status = status

    def _closed(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
        if self.exit_status is None:
            self._reap()

    def __enter__(self) -> PtyProgram:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pump_all(programs: Sequence[PtyProgram], seconds: float) -> None:
    """Drain several programs at once for ``seconds`` (they run side by side)."""
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        fds = {p.fd: p for p in programs if p.fd >= 0}
        if not fds:
            time.sleep(left)
            return
        ready, _, _ = select.select(list(fds), [], [], left)
        for fd in ready:
            fds[fd].pump(0)
