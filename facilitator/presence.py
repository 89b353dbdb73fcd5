"""Who else has a cohort open: one small file per running app, beside the cohort.

On a shared machine two facilitators may open the same cohort; each app says
it is there (user, host, since when) and refreshes its file while it runs. A
file whose process is gone stops counting: at once on the same host (the pid
no longer exists), after ``STALE_SECONDS`` without a heartbeat elsewhere (a
workspace on a shared disk). Nothing here is the participants' data.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import arrow

from facilitator.files import Modes, StoreError, ensure_dir, is_link, read_nofollow, write_atomic

HEARTBEAT_SECONDS = 10
STALE_SECONDS = 3 * HEARTBEAT_SECONDS
FOLDER = ".presence"


@dataclass(frozen=True)
class Visitor:
    user: str
    host: str
    pid: int
    since: arrow.Arrow
    seen: arrow.Arrow

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


class PresenceBoard:
    """This process's presence on one cohort, and the others'."""

    def __init__(self, cohort_file: Path, modes: Modes) -> None:
        self.folder = cohort_file.parent / FOLDER / cohort_file.stem
        self.modes = modes
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.me = self.folder / f"{self.host}-{self.pid}.json"
        self.since = arrow.utcnow()

    def _user(self) -> str:
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return str(os.getuid())

    def announce(self, now: arrow.Arrow | None = None) -> None:
        """Say (again) that this app has the cohort open; also the heartbeat.

        A presence folder that is a link is left alone (``facilitator check`` names it):
        presence is a courtesy, never a reason to write outside the workspace.
        """
        try:
            ensure_dir(self.folder.parent, self.modes)
            ensure_dir(self.folder, self.modes)
        except StoreError:
            return
        seen = (now or arrow.utcnow()).isoformat()
        record = {
            "user": self._user(),
            "host": self.host,
            "pid": self.pid,
            "since": self.since.isoformat(),
            "seen": seen,
        }
        write_atomic(self.me, json.dumps(record).encode(), self.modes)

    def leave(self) -> None:
        if not (is_link(self.folder.parent) or is_link(self.folder)):
            self.me.unlink(missing_ok=True)

    def others(self, now: arrow.Arrow | None = None) -> list[Visitor]:
        """The other apps that have this cohort open now, oldest first."""
        now = now or arrow.utcnow()
        found: list[Visitor] = []
        if is_link(self.folder.parent) or is_link(self.folder):
            return found  # never swept through a link
        for path in self.folder.glob("*.json"):
            if path == self.me:
                continue
            try:
                raw = json.loads(read_nofollow(path))
                visitor = Visitor(
                    raw["user"],
                    raw["host"],
                    int(raw["pid"]),
                    arrow.get(raw["since"]),
                    arrow.get(raw["seen"]),
                )
            except (OSError, ValueError, KeyError, TypeError, StoreError):
                continue
            if visitor.host == self.host:
                if not _alive(visitor.pid):
                    with contextlib.suppress(OSError):
                        path.unlink()  # the process died without cleaning up
                    continue
            elif (now - visitor.seen).total_seconds() > STALE_SECONDS:
                continue
            found.append(visitor)
        return sorted(found, key=lambda v: v.since)
