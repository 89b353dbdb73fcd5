"""Bringing a damaged cohort back: what a restore would drop, and a salvage that drops
nothing readable.

A cohort is damaged when its snapshot does not parse, or a complete line of its
journal is bad (see :mod:`facilitator.store`); it is then never written to. There
are two ways back, and both first keep the damaged snapshot and journal aside, byte
for byte, in the backups folder:

- **restore a backup**: the cohort becomes that backup, and the acknowledged writes
  of the journal that the backup does not hold are dropped (``check`` says how many);
- **salvage**: a new backup is built from the snapshot (or, when the snapshot itself
  is what is damaged, from the newest readable backup) and every journal line whose
  checksum is good, then restored like any backup; only the bad lines are lost.

Everything here reads bytes: nothing trusts the store's own reading, which refuses
a damaged cohort by design.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.files import StoreError, read_nofollow
from facilitator.i18n import t
from facilitator.store import (
    AtomicJSONStorage,
    CohortStore,
    DamagedFile,
    Op,
    Tables,
    apply_ops,
    decode_line,
    doc_problems,
    entry_problem,
    from_tinydb,
    migrate,
)

MISSING = object()


@dataclass(frozen=True)
class JournalLine:
    """One complete line of a journal (1-based), its entry, or None when it is damaged."""

    number: int
    entry: dict[str, Any] | None

    @property
    def good(self) -> bool:
        return self.entry is not None and entry_problem(self.entry) is None


def journal_lines(raw: bytes) -> list[JournalLine]:
    """Every complete line; an unterminated tail is a write never acknowledged."""
    return [JournalLine(n, decode_line(line)) for n, line in enumerate(raw.split(b"\n")[:-1], 1)]


def _read(path: Path) -> bytes:
    try:
        return read_nofollow(path)
    except FileNotFoundError:
        return b""


def _state(path: Path) -> tuple[Tables, dict[str, Any]] | None:
    """The tables and metadata of a snapshot or a backup, or None when unreadable."""
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, StoreError):
        data = AtomicJSONStorage(path).read()
        if data is not None:
            tables, meta = migrate(*from_tinydb(data))
            if isinstance(meta.get("generation", 0), int) and not any(doc_problems(tables)):
                return tables, meta
    return None


def readable_name(store: CohortStore) -> str | None:
    """A damaged cohort's name, from its snapshot if that still parses, else its backups."""
    for path in (store.path, store.newest_good_backup()):
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, StoreError):
            data = AtomicJSONStorage(path).read() if path is not None else None
            for doc in (data or {}).get("cohort", {}).values():
                if isinstance(doc.get("name"), str) and doc["name"].strip():
                    return str(doc["name"])
    return None


@dataclass(frozen=True)
class Salvage:
    """What a salvage would make of a cohort, before anything is written."""

    tables: Tables
    meta: dict[str, Any]
    base: Path  # the snapshot, or the backup it starts from when the snapshot is damaged
    applied: tuple[tuple[Op, ...], ...]  # the journal lines applied, in order
    lost_lines: tuple[int, ...]  # journal lines that could not be read or applied
    lost_records: int  # records of the base that cannot be read back, left out


def salvage_state(store: CohortStore) -> Salvage:
    """Everything readable of a cohort, as one state (nothing is written)."""
    base: Path | None = store.path
    state = _state(store.path)
    if state is None:
        base = store.newest_good_backup()
        state = _state(base) if base is not None else None
    if state is None or base is None:
        raise DamagedFile(store.path, t("store.reason.nothing_readable"), None)
    tables, meta = state
    generation = int(meta.get("generation", 0))
    applied: list[tuple[Op, ...]] = []
    lost: list[int] = []
    for line in journal_lines(_read(store.journal_path)):
        if not line.good or line.entry is None:
            lost.append(line.number)
        elif line.entry["g"] >= generation:  # older lines are folded into the base already
            ops = tuple(line.entry["ops"])
            apply_ops(tables, ops)
            applied.append(ops)
    dropped = 0
    for table, key, _ in list(doc_problems(tables)):
        del tables[table][key]
        dropped += 1
    return Salvage(tables, meta, base, tuple(applied), tuple(lost), dropped)


def writes_lost(applied: Sequence[Sequence[Op]], final: Tables, backup: Tables) -> int:
    """How many of the journal's writes ``applied`` a restore of ``backup`` would undo.

    A write counts when a field it was the last to set (or a record it was the last to
    create or delete) differs between ``final`` and ``backup``: a write later
    overwritten by another does not count twice, and one the backup already holds does
    not count at all.
    """
    last: dict[tuple[str, str, str | None], int] = {}
    for index, ops in enumerate(applied):
        for op in ops:
            table = op["t"]
            if op["o"] == "put":
                key = op["d"]["id"]
                last[(table, key, None)] = index
                for name in op["d"]:
                    last[(table, key, name)] = index
            elif op["o"] == "patch":
                for name in op["f"]:
                    last[(table, op["i"], name)] = index
            else:
                last[(table, op["i"], None)] = index
    lost = set()
    for (table, key, name), index in last.items():
        now = final.get(table, {}).get(key)
        then = backup.get(table, {}).get(key)
        if name is None:
            differs = (now is None) != (then is None)
        else:
            differs = (now or {}).get(name, MISSING) != (then or {}).get(name, MISSING)
        if differs:
            lost.add(index)
    return len(lost)


@dataclass(frozen=True)
class Census:
    """What each way back would keep of a damaged cohort (``check`` says it)."""

    good_lines: int  # acknowledged writes a salvage keeps
    bad_lines: int  # journal lines lost either way
    backup: Path | None  # the newest readable backup
    lost_by_restore: int | None  # of the good lines, those a restore of it would undo


def census(store: CohortStore) -> Census | None:
    """Read-only: how a damaged cohort could come back, or None when nothing is readable."""
    try:
        salvage = salvage_state(store)
    except StoreError:
        return None
    backup = store.newest_good_backup()
    state = _state(backup) if backup is not None else None
    lost = writes_lost(salvage.applied, salvage.tables, state[0]) if state is not None else None
    return Census(len(salvage.applied), len(salvage.lost_lines), backup, lost)


def salvage(store: CohortStore) -> tuple[Path, Salvage]:
    """Write the salvage of a damaged cohort as a new backup, under the cohort's lock.

    The caller then restores it like any backup (``actions.restore_backup``), which
    keeps the damaged files aside first: the salvage itself changes no cohort file.
    """
    with store.holding_lock():
        state = salvage_state(store)
        return store.write_backup(state.tables, state.meta), state


__all__ = [
    "Census",
    "JournalLine",
    "Salvage",
    "census",
    "journal_lines",
    "readable_name",
    "salvage",
    "writes_lost",
]
