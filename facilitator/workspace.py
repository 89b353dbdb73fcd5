"""The workspace: a folder holding one data file per cohort, its locks and backups.

Where it is: ``--data DIR``, else ``$FACILITATOR_DATA``, else the user data
directory platformdirs gives for ``facilitator``. Nothing is created until a
command needs to write.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from facilitator.domain import Cohort, InvalidInput, Record
from facilitator.files import Modes, ensure_root, read_nofollow, write_atomic
from facilitator.store import CohortStore, DamagedFile, ReadOnlyStore, StoreError
from facilitator.text import match_one, some_names

T = TypeVar("T")


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("FACILITATOR_DATA")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("facilitator", appauthor=False))


@dataclass(frozen=True)
class CohortEntry:
    """A cohort file of the workspace, readable or not.

    A damaged cohort keeps the name its snapshot or newest readable backup gives it
    (``known_name``), so ``--cohort`` finds it by name as well as by id for a restore.
    """

    path: Path
    cohort: Cohort | None
    problem: StoreError | None = None
    known_name: str | None = None

    @property
    def name(self) -> str:
        if self.cohort:
            return self.cohort.name
        return self.known_name or self.path.name

    @property
    def id(self) -> str:
        return self.cohort.id if self.cohort else self.path.stem


PREFERENCES = ".preferences.json"
"""The person's choices kept between runs (the theme), beside the cohorts: a dot file,
so it is never taken for one."""


class Workspace:
    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.root = root
        self.read_only = read_only

    def preference(self, name: str) -> str | None:
        """One choice kept from an earlier run, or None (never chosen, or unreadable)."""
        preferences = self._preferences()
        value = preferences.get(name) if preferences is not None else None
        return value if isinstance(value, str) else None

    def remember(self, name: str, value: str) -> None:
        """Keep ``value`` for the next run, durably and privately. A preferences file that
        cannot be read is left as it is, not overwritten."""
        if self.read_only:
            raise ReadOnlyStore()
        preferences = self._preferences()
        if preferences is None:
            return
        ensure_root(self.root, self.modes)
        data = json.dumps({**preferences, name: value}, ensure_ascii=False, indent=1)
        write_atomic(self.root / PREFERENCES, data.encode("utf-8"), self.modes)

    def _preferences(self) -> dict[str, object] | None:
        """The choices kept, {} when there are none yet, None when the file is unreadable."""
        try:
            data = json.loads(read_nofollow(self.root / PREFERENCES))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, StoreError):  # a link or a FIFO planted there too
            return None
        return data if isinstance(data, dict) else None

    @property
    def modes(self) -> Modes:
        return Modes.for_workspace(self.root)

    def cohort_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("*.json") if not p.name.startswith("."))

    def open(self, path: Path, *, resume: bool = True) -> CohortStore:
        """The cohort's store; an erasure of a person that a kill or a full disk
        interrupted is finished first (quietly: ``forget`` reports its own)."""
        store = self._store(path)
        if resume and not self.read_only:
            from facilitator.privacy import resume_pending

            with contextlib.suppress(StoreError, OSError):
                resume_pending(store)  # still recorded when it fails: tried again next time
        return store

    def _store(self, path: Path) -> CohortStore:
        # Its modes are the workspace's: the store reads them off the folder it is in.
        return CohortStore(path, read_only=self.read_only)

    def entries(self) -> list[CohortEntry]:
        """Every cohort file, with its cohort or the problem that keeps it unread."""
        entries = []
        for path in self.cohort_files():
            store = self._store(path)
            try:
                cohorts = store.records(Cohort)
            except StoreError as problem:
                entries.append(CohortEntry(path, None, problem, _damaged_name(store)))
                continue
            entries.append(CohortEntry(path, cohorts[0] if cohorts else None))
        return entries

    def find(self, query: str | None, *, damaged: bool = False, resume: bool = True) -> CohortStore:
        """The cohort named (or id-prefixed) by ``query``; the only one if None.

        With ``damaged``, an unreadable cohort is found too (by id, or by the name its
        snapshot or backups give it): what a restore needs, and only a restore.
        """
        entries = self.entries()
        readable = [e for e in entries if e.cohort is not None]
        if damaged:
            readable = [e for e in entries if e.cohort is not None or e.problem is not None]
        if query is None:
            if len(entries) == 1 and entries[0].problem is not None:
                if damaged:
                    return self.open(entries[0].path, resume=resume)
                raise entries[0].problem
            if not readable:
                raise InvalidInput("workspace.error.no_cohort", path=str(self.root))
            active = [e for e in readable if e.cohort and not e.cohort.archived]
            pool = active if len(active) == 1 else readable
            if len(pool) > 1:
                names = some_names([e.name for e in pool])
                raise InvalidInput("workspace.error.which_cohort", names=names)
            return self.open(pool[0].path, resume=resume)
        entry = match_one(
            query, readable, name=lambda e: e.name, ident=lambda e: e.id, what="cohort"
        )
        return self.open(entry.path, resume=resume)

    def create(self, records: Sequence[Record]) -> CohortStore:
        """A new cohort file named by the cohort's id."""
        if self.read_only:
            raise ReadOnlyStore()
        cohort = next(r for r in records if isinstance(r, Cohort))
        return CohortStore.create(self.root / f"{cohort.id}.json", records)


def _damaged_name(store: CohortStore) -> str | None:
    """The name of a cohort that cannot be opened, from whatever of it still reads."""
    from facilitator.recovery import readable_name

    return readable_name(store)


__all__ = ["CohortEntry", "DamagedFile", "Workspace", "data_dir"]
