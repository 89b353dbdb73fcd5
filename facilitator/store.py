"""One cohort's data on disk: a TinyDB snapshot plus an append-only journal.

Why not TinyDB's own JSONStorage: it rewrites the file in place, so a kill -9
during a write leaves an unreadable file, and two processes writing one file
destroy it within a few inserts. Why not only an atomic rewrite per write: at
10,000 notes the whole file is parsed and rewritten for every note (75-115 ms
measured), too slow for capture in front of a group.

So a cohort is three files in the workspace:

- ``<id>.json``: a TinyDB database (one table per record type, plus ``_meta``
  with the schema version and a generation number), only ever replaced
  atomically (temp file, fsync, ``os.replace``, fsync of the directory);
- ``<id>.journal``: one line per write since the snapshot, each
  ``<crc32> <json>``, appended and fsynced before the write is acknowledged;
  each line names the snapshot generation it applies to;
- ``<id>.lock``: the lock file every read and write of the cohort holds, so
  two processes never interleave.

Every operation re-reads what changed on disk inside the lock (the journal's
new tail, or the whole snapshot after another process compacted it), so two
processes never lose each other's writes. When the journal grows past a bound
it is folded into a new snapshot (generation + 1) and emptied; a crash between
the two steps leaves journal lines of an older generation, which are ignored.
A torn tail (an unterminated last line: a write that was never acknowledged) is
dropped. A complete line that is damaged, even the last, a line of a newer
generation than the snapshot (an older copy of the snapshot put back by a sync
tool), or a snapshot that does not parse makes the file "damaged": it is
read-only from then on and never overwritten (see :mod:`facilitator.recovery`).

The store is safe to use from worker threads: an in-process lock serialises
them and the file lock serialises processes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import stat
import threading
import types
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import arrow
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from facilitator import __version__
from facilitator.domain import RECORD_TYPES, TABLES, Record, encode_value
from facilitator.files import (
    PRIVATE,
    LinkRefused,
    Modes,
    NotARegularFile,
    ensure_dir,
    ensure_root,
    fsync_dir,
    is_link,
    open_nofollow,
    read_nofollow,
    refuse_link,
    sweep_temp_files,
    tighten,
    write_atomic,
)
from facilitator.files import StoreError as StoreError  # re-exported: its family lives here
from facilitator.i18n import t

SCHEMA_VERSION = 1
META_TABLE = "_meta"
JOURNAL_MAX_LINES = 400
JOURNAL_MAX_BYTES = 1 << 20
LOCK_TIMEOUT_S = 15.0
BACKUPS_KEPT = 20
BACKUP_INTERVAL_S = 30 * 60
RELOAD_ATTEMPTS = 3

R = TypeVar("R", bound=Record)
Tables = dict[str, dict[str, dict[str, Any]]]
Op = dict[str, Any]


class DamagedFile(StoreError):
    """A cohort file that cannot be read. It is never written to."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        where = t("store.backup_at", path=str(backup)) if backup else t("store.no_backup")
        super().__init__("store.error.damaged", path=str(path), reason=reason, backup=where)
        self.path = path
        self.reason = reason
        self.backup = backup


class ReadOnlyStore(StoreError):
    def __init__(self) -> None:
        super().__init__("store.error.read_only")


class WriteFailed(StoreError):
    """The disk refused a write (full, permissions...). Nothing was changed."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            "store.error.write_failed", path=str(path), reason=error.strerror or str(error)
        )
        self.error = error


class RecordGone(StoreError):
    def __init__(self) -> None:
        super().__init__("store.error.gone")


class _NewerJournal(Exception):
    """A journal line of a newer generation than the snapshot in memory."""

    def __init__(self, line: int, generation: int) -> None:
        self.line = line
        self.generation = generation


class StoreBusy(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__("store.error.busy", path=str(path), seconds=int(LOCK_TIMEOUT_S))


# --- the snapshot: a TinyDB file written atomically ------------------------------


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file.

    ``TinyDB(path, storage=AtomicJSONStorage)`` opens a cohort snapshot like any
    TinyDB database; every write replaces the file atomically and durably.
    """

    def __init__(self, path: str | Path, modes: Modes = PRIVATE) -> None:
        super().__init__()
        self.path = Path(path)
        self.modes = modes

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = read_nofollow(self.path)
        except FileNotFoundError:
            return None
        if not raw:
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a TinyDB database")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomic(self.path, payload, self.modes)


def to_tinydb(tables: Tables, meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Lay records out as TinyDB does: table -> {document id: document}.

    TinyDB's numeric document ids are only positions here; records are found
    by their own ``id``.
    """
    data: dict[str, dict[str, Any]] = {META_TABLE: {"1": meta}}
    for name, docs in tables.items():
        data[name] = {str(n): doc for n, doc in enumerate(docs.values(), start=1)}
    return data


def from_tinydb(data: dict[str, dict[str, Any]]) -> tuple[Tables, dict[str, Any]]:
    meta = dict(data.get(META_TABLE, {}).get("1", {}))
    tables: Tables = {name: {} for name in TABLES}
    for name, docs in data.items():
        if name == META_TABLE:
            continue
        if not isinstance(docs, dict):
            raise ValueError(f"table {name!r} is not an object")
        table = tables.setdefault(name, {})
        for doc in docs.values():
            if not isinstance(doc, dict) or "id" not in doc:
                raise ValueError(f"a document of {name!r} has no id")
            table[doc["id"]] = doc
    return tables, meta


# Each migration takes (tables, meta) of one schema version and returns the next.
Migration = Callable[[Tables, dict[str, Any]], tuple[Tables, dict[str, Any]]]


def _v0_to_v1(tables: Tables, meta: dict[str, Any]) -> tuple[Tables, dict[str, Any]]:
    """Schema 0: files from before the schema marker; notes had no ``edited`` time."""
    for note in tables.get("notes", {}).values():
        note.setdefault("edited", None)
    return tables, {**meta, "schema": 1}


MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1}


def migrate(tables: Tables, meta: dict[str, Any]) -> tuple[Tables, dict[str, Any]]:
    schema = int(meta.get("schema", 0))
    while schema < SCHEMA_VERSION:
        tables, meta = MIGRATIONS[schema](tables, meta)
        schema = int(meta["schema"])
    return tables, meta


# --- the journal ------------------------------------------------------------------


def put_op(record: Record) -> Op:
    """Insert or replace a whole record."""
    return {"o": "put", "t": record.TABLE, "d": record.to_doc()}


def patch_op(cls: type[Record], record_id: str, fields: dict[str, Any]) -> Op:
    """Change some fields of a record, leaving the fields others may edit alone."""
    return {"o": "patch", "t": cls.TABLE, "i": record_id, "f": encode_value(fields)}


def delete_op(cls: type[Record], record_id: str) -> Op:
    return {"o": "del", "t": cls.TABLE, "i": record_id}


def encode_line(generation: int, ops: Sequence[Op]) -> bytes:
    body = json.dumps(
        {"g": generation, "ops": list(ops)}, ensure_ascii=False, separators=(",", ":")
    )
    raw = body.encode("utf-8")
    return b"%08x " % zlib.crc32(raw) + raw + b"\n"


def decode_line(line: bytes) -> dict[str, Any] | None:
    """The entry of one journal line, or None when the line is damaged."""
    if line[8:9] != b" ":  # a shorter line has no body whose checksum could match
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        entry = json.loads(body)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and "ops" in entry else None


def apply_ops(tables: Tables, ops: Iterable[Op]) -> None:
    """Apply journal operations. Each is idempotent and last-writer-wins per field."""
    for op in ops:
        table = tables.setdefault(op["t"], {})
        kind = op["o"]
        if kind == "put":
            table[op["d"]["id"]] = op["d"]
        elif kind == "patch":
            doc = table.get(op["i"])
            if doc is not None:  # a patch of a deleted record is dropped
                table[op["i"]] = {**doc, **op["f"]}
        elif kind == "del":
            table.pop(op["i"], None)
        else:
            raise ValueError(f"unknown operation {kind!r}")


ERASING_SUFFIX = ".erasing"
"""Beside a cohort file: the erasures of people recorded and not finished (see privacy)."""
DAMAGED_SUFFIX = ".damaged"
DAMAGED_JOURNAL_SUFFIX = ".journal.damaged"
"""A damaged cohort's snapshot and journal, kept aside byte for byte before a restore."""


def _backup_stamp() -> str:
    return arrow.utcnow().format("YYYYMMDDTHHmmssSSSSSS")


RECORD_TABLES: dict[str, type[Record]] = {r.TABLE: r for r in RECORD_TYPES}


@cache
def _enum_fields(table: str) -> dict[str, tuple[frozenset[str], bool]]:
    """The fields of a table's records that hold an enum: their values, and whether
    None is allowed."""
    cls = RECORD_TABLES[table]
    hints = typing.get_type_hints(cls)
    found: dict[str, tuple[frozenset[str], bool]] = {}
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        enums = [a for a in args if isinstance(a, type) and issubclass(a, StrEnum)]
        if enums:
            found[field.name] = (frozenset(e.value for e in enums[0]), type(None) in args)
    return found


def field_problem(table: str, fields: dict[str, Any]) -> str | None:
    """Why some fields of a record of ``table`` cannot be read back, or None.

    Only what is cheap is checked (an enum value, the id), so every line of a journal
    and every record of a snapshot can be checked as it is read: a note of an unknown
    kind names the damaged file at once instead of failing later, far from the cause.
    """
    if table not in RECORD_TABLES:
        return None  # a table this version does not know is carried along untouched
    if "id" in fields and not isinstance(fields["id"], str):
        return t("store.reason.bad_record", table=table)
    for name, (allowed, optional) in _enum_fields(table).items():
        value = fields.get(name)
        if name in fields and not ((optional and not value) or value in allowed):
            return t("store.reason.bad_value", table=table, field=name, value=repr(value))
    return None


def op_problem(op: Any) -> str | None:
    """Why a journal operation cannot be applied, or None."""
    if not isinstance(op, dict) or not isinstance(op.get("t"), str):
        return t("store.reason.bad_op", op=repr(op)[:60])
    kind = op.get("o")
    if kind == "put":
        doc = op.get("d")
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            return t("store.reason.bad_op", op=repr(op)[:60])
        return field_problem(op["t"], doc)
    if kind == "patch":
        if not isinstance(op.get("i"), str) or not isinstance(op.get("f"), dict):
            return t("store.reason.bad_op", op=repr(op)[:60])
        return field_problem(op["t"], op["f"])
    if kind == "del":
        return None if isinstance(op.get("i"), str) else t("store.reason.bad_op", op=repr(op)[:60])
    return t("store.reason.unknown_op", op=repr(kind)[:40])


def entry_problem(entry: dict[str, Any]) -> str | None:
    """Why a journal entry whose checksum is good still cannot be applied, or None."""
    generation, ops = entry.get("g"), entry.get("ops")
    if type(generation) is not int or generation < 0 or not isinstance(ops, list):
        return t("store.reason.bad_op", op=repr(entry)[:60])
    for op in ops:
        problem = op_problem(op)
        if problem is not None:
            return problem
    return None


def doc_problems(tables: Tables) -> Iterator[tuple[str, str, str]]:
    """(table, id, why) for every record of ``tables`` that cannot be read back."""
    for table, docs in tables.items():
        if table not in RECORD_TABLES:
            continue
        for key, doc in docs.items():
            problem = field_problem(table, doc)
            if problem is not None:
                yield table, key, problem


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: arrow.Arrow


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    """What tells a snapshot replaced by another process from the one we read."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise LinkRefused(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotARegularFile(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class CohortStore:
    """Read and write one cohort, safely across threads and processes."""

    def __init__(self, path: Path, *, read_only: bool = False, modes: Modes | None = None) -> None:
        self.path = path
        self.journal_path = path.with_suffix(".journal")
        self.lock_path = path.with_suffix(".lock")
        self.backup_dir = path.parent / "backups" / path.stem
        self.read_only = read_only
        self.modes = modes or Modes.for_workspace(path.parent)
        self._thread_lock = threading.RLock()
        self._file_lock = FileLock(
            str(self.lock_path), timeout=LOCK_TIMEOUT_S, mode=self.modes.file, thread_local=False
        )
        self._tables: Tables = {}
        self._meta: dict[str, Any] = {}
        self._snap_key: tuple[int, int, int] | None = None
        self._journal_key: int | None = None  # inode of the journal we have read
        self._journal_pos = 0  # bytes of the journal applied so far
        self._journal_lines = 0
        self._journal_needs_trim = False  # a torn tail or stale lines to cut before appending
        self._needs_compaction = False  # after a migration, write the new schema
        self._housekept = False
        self._backed_up = False
        self.version = 0  # bumped whenever the in-memory state changes
        # table -> (record type, id -> record): decoded once, then kept up to date
        # op by op, so a write among 10,000 notes decodes one note, not all of them.
        self._decoded: dict[str, tuple[type[Record], dict[str, Record]]] = {}

    # --- creating ---------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, records: Sequence[Record], *, modes: Modes | None = None
    ) -> CohortStore:
        """Write a new cohort file holding ``records``, atomically."""
        store = cls(path, modes=modes)
        ensure_root(path.parent, store.modes)
        with store._locked():
            if os.path.lexists(path):
                raise FileExistsError(path)
            tables: Tables = {name: {} for name in TABLES}
            for record in records:
                tables.setdefault(record.TABLE, {})[record.id] = record.to_doc()
            meta = {"schema": SCHEMA_VERSION, "generation": 1, "app": __version__}
            store._write_snapshot(tables, meta)
            store.journal_path.unlink(missing_ok=True)
            store._reload_locked()
        return store

    # --- reading ----------------------------------------------------------------

    def refresh(self) -> bool:
        """Take in what other processes wrote. True when something changed."""
        before = self.version
        with self._locked():
            self._reload_locked()
        return self.version != before

    @contextmanager
    def locked_read(self) -> Iterator[None]:
        """Read several tables as one consistent state: take in what changed on
        disk, then hold other threads off while the caller reads."""
        with self._locked():
            self._reload_locked()
            yield

    def docs(self, table: str) -> list[dict[str, Any]]:
        with self._thread_lock:
            if not self._meta:
                self.refresh()
            return list(self._tables.get(table, {}).values())

    def all_docs(self) -> Tables:
        """Every table as documents (shallow copies of the tables): for a scan of every
        field of every record, as the erasure of a person makes. Treat the documents
        as read-only and write changes through ``apply``."""
        with self._thread_lock:
            if not self._meta:
                self.refresh()
            return {name: dict(docs) for name, docs in self._tables.items()}

    def records(self, cls: type[R]) -> list[R]:
        """All records of one type, decoded again only when that table changed.

        The records are shared between callers: treat them as read-only and
        write changes through ``put`` or ``patch``.
        """
        with self._thread_lock:
            if not self._meta:
                self.refresh()
            cached = self._decoded.get(cls.TABLE)
            if cached is None or cached[0] is not cls:
                docs = self._tables.get(cls.TABLE, {})
                cached = (cls, {key: self._decode(cls, doc) for key, doc in docs.items()})
                self._decoded[cls.TABLE] = cached
            return list(cached[1].values())  # type: ignore[arg-type]

    def get(self, cls: type[R], record_id: str) -> R | None:
        with self._thread_lock:
            if not self._meta:
                self.refresh()
            doc = self._tables.get(cls.TABLE, {}).get(record_id)
            return self._decode(cls, doc) if doc is not None else None

    def _decode(self, cls: type[R], doc: dict[str, Any]) -> R:
        """A record from its document; one that cannot be read names the damaged file
        and its backup rather than failing far from the cause."""
        try:
            return cls.from_doc(doc)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problem = f"{type(error).__name__}: {error}"
            key = doc.get("id", "?")
            reason = t("store.reason.record", table=cls.TABLE, id=key, problem=problem)
            raise self._damaged(reason) from None

    @property
    def generation(self) -> int:
        return int(self._meta.get("generation", 0))

    # --- writing ----------------------------------------------------------------

    def put(self, *records: Record) -> None:
        """Insert or replace whole records."""
        self.apply([put_op(r) for r in records])

    def patch(self, cls: type[Record], record_id: str, fields: dict[str, Any]) -> None:
        """Change some fields of a record, leaving fields others may edit alone."""
        self.apply([patch_op(cls, record_id, fields)])

    def delete(self, cls: type[Record], record_id: str) -> None:
        self.apply([delete_op(cls, record_id)])

    def apply(self, ops: Sequence[Op]) -> None:
        """Write ``ops`` as one durable step; they are on disk when this returns."""
        if self.read_only:
            raise ReadOnlyStore()
        if not ops:
            return
        with self._locked():
            self._reload_locked()
            for op in ops:
                if op["o"] == "patch" and op["i"] not in self._tables.get(op["t"], {}):
                    # Deleted meanwhile, likely by another facilitator: say so rather
                    # than "saved" over a write that would change nothing.
                    raise RecordGone()
            with contextlib.suppress(OSError):
                # A backup is a courtesy before the first write: its failure
                # must not stand in the way of the write itself.
                self._backup_if_due()
            try:
                self._append_locked(ops)
            except OSError as error:
                raise WriteFailed(self.journal_path, error) from error
            apply_ops(self._tables, ops)
            self._changed(ops)
            if (
                self._needs_compaction
                or self._journal_lines >= JOURNAL_MAX_LINES
                or self._journal_pos >= JOURNAL_MAX_BYTES
            ):
                # The write above is durable in the journal: a compaction that
                # fails now (disk full) must not make it look failed; it is
                # tried again at the next write.
                with contextlib.suppress(WriteFailed):
                    self._compact_locked()

    def compact(self) -> None:
        """Fold the journal into a new snapshot now."""
        if self.read_only:
            raise ReadOnlyStore()
        with self._locked():
            self._reload_locked()
            self._compact_locked()

    # --- backups ----------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        """This cohort's backups, newest first."""
        found = []
        if any(is_link(folder) for folder in (self.backup_dir.parent, self.backup_dir)):
            return []
        if not self.backup_dir.is_dir():
            return []
        for path in self.backup_dir.glob("*.json"):
            if path.is_symlink() or not path.is_file():
                continue  # never read, restored or rotated through a link
            try:
                taken = arrow.get(path.stem, "YYYYMMDDTHHmmssSSSSSS")
            except (ValueError, arrow.parser.ParserError):
                continue
            found.append(BackupInfo(path, taken))
        return sorted(found, key=lambda b: b.taken, reverse=True)

    def newest_good_backup(self) -> Path | None:
        for backup in self.backups():
            try:
                data = AtomicJSONStorage(backup.path).read()
                if data is not None:
                    from_tinydb(data)
                    return backup.path
            except (OSError, ValueError, StoreError):
                continue
        return None

    def backup(self) -> Path:
        """Write the current state as a backup (a complete TinyDB file)."""
        if self.read_only:
            raise ReadOnlyStore()
        with self._locked():
            self._reload_locked()
            return self._backup_locked()

    def restore(self, backup: Path) -> Path:
        """Replace the cohort by a backup; the current state is kept as a backup first.

        This works on a damaged cohort too: what cannot be read is kept aside as it
        is, the snapshot and the journal both (``<time>.damaged`` and
        ``<time>.journal.damaged`` in the backups folder), and the path of the first
        is returned.
        """
        if self.read_only:
            raise ReadOnlyStore()
        try:
            data = AtomicJSONStorage(backup).read()
            if data is None:
                raise ValueError(t("store.reason.empty"))
            tables, meta = migrate(*from_tinydb(data))
        except ValueError as error:  # not JSON, not a TinyDB database
            raise DamagedFile(backup, str(error), None) from None
        with self._locked():
            kept = self._backup_current_bytes()
            generation = max(self._newest_generation(), int(meta.get("generation", 0))) + 1
            self._write_snapshot(tables, {**meta, "generation": generation, "app": __version__})
            self._truncate_journal()
            self._reload_locked()
        return kept

    @contextmanager
    def holding_lock(self) -> Iterator[None]:
        """Hold the cohort's lock without reading the cohort: for recovery, which reads
        damaged files as bytes and must not be raced by a writer meanwhile."""
        with self._locked():
            yield

    def write_backup(self, tables: Tables, meta: dict[str, Any]) -> Path:
        """Write ``tables`` as a new backup of this cohort (a salvage, for instance)."""
        if self.read_only:
            raise ReadOnlyStore()
        with self._locked():
            return self._write_backup(tables, meta)

    # --- internals ----------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if self.read_only and (
                not os.access(self.path.parent, os.W_OK)
                or not os.path.lexists(self.lock_path)
                or _read_only_mount(self.path.parent)
            ):
                # Read-only changes nothing, not even a lock file: without one (or
                # the right to take it, on a read-only mount) read without it. The
                # snapshot is replaced atomically; a journal read mid-compaction is
                # caught by the generation check and read again (_reload_locked).
                yield
                return
            refuse_link(self.lock_path)
            try:
                self._file_lock.acquire()
            except Timeout:
                raise StoreBusy(self.path) from None
            except OSError as error:
                if error.errno == errno.ELOOP:  # planted between the check and the open
                    raise LinkRefused(self.lock_path) from None
                raise
            try:
                if not self._housekept and not self.read_only:
                    self._housekeeping()
                yield
            finally:
                self._file_lock.release()

    def _reload_locked(self) -> None:
        for _ in range(RELOAD_ATTEMPTS):
            snap_key = _stat_key(self.path)
            if snap_key is None:
                raise StoreError("store.error.missing", path=str(self.path))
            if snap_key != self._snap_key:
                self._load_snapshot(snap_key)
            try:
                self._read_journal()
                return
            except _NewerJournal as found:
                # A snapshot read without the lock in the middle of a compaction, or a
                # new snapshot that looks like the old one (same inode, size and time):
                # read it again before calling the cohort damaged.
                newer = found
                self._snap_key = None
        raise self._damaged(
            t(
                "store.reason.newer_journal",
                line=newer.line,
                journal=newer.generation,
                snapshot=self.generation,
            )
        )

    def _load_snapshot(self, snap_key: tuple[int, int, int]) -> None:
        try:
            data = AtomicJSONStorage(self.path, self.modes).read()
            if data is None:
                raise ValueError(t("store.reason.empty"))
            tables, meta = from_tinydb(data)
        except PermissionError:
            raise
        except (OSError, ValueError, UnicodeDecodeError) as error:
            raise self._damaged(str(error)) from None
        for name in ("schema", "generation"):
            value = meta.get(name, 0)
            if type(value) is not int or value < 0:  # "one", -1, 1.5, true...
                raise self._damaged(t("store.reason.bad_meta", field=name, value=repr(value)))
        for table, key, problem in doc_problems(tables):
            raise self._damaged(t("store.reason.record", table=table, id=key, problem=problem))
        schema = meta.get("schema", 0)
        if schema > SCHEMA_VERSION:
            raise self._damaged(t("store.reason.newer", schema=schema, ours=SCHEMA_VERSION))
        if schema < SCHEMA_VERSION:
            tables, meta = migrate(tables, meta)
            self._needs_compaction = True
        self._tables, self._meta, self._snap_key = tables, meta, snap_key
        self._journal_key, self._journal_pos, self._journal_lines = None, 0, 0
        self._changed(None)

    def _changed(self, ops: Iterable[Op] | None) -> None:
        """Note a change of the state: bring the decoded records up to date with
        ``ops`` (already applied to the tables), or drop them all (None)."""
        self.version += 1
        if ops is None:
            self._decoded.clear()
            return
        for op in ops:
            cached = self._decoded.get(op["t"])
            if cached is None:
                continue
            cls, records = cached
            key = op["d"]["id"] if op["o"] == "put" else op["i"]
            doc = self._tables.get(op["t"], {}).get(key)
            if doc is None:
                records.pop(key, None)
            else:
                records[key] = self._decode(cls, doc)

    def _read_journal(self) -> None:
        try:
            with os.fdopen(open_nofollow(self.journal_path, os.O_RDONLY), "rb") as handle:
                inode = os.fstat(handle.fileno()).st_ino
                if (
                    inode != self._journal_key
                    or os.fstat(handle.fileno()).st_size < self._journal_pos
                ):
                    if self._journal_key is not None:
                        # The journal was replaced under us: start again from the snapshot.
                        self._snap_key = None
                        self._load_snapshot(_stat_key(self.path) or (0, 0, 0))
                    self._journal_key, self._journal_pos, self._journal_lines = inode, 0, 0
                handle.seek(self._journal_pos)
                tail = handle.read()
        except FileNotFoundError:
            if self._journal_pos:
                # The journal we read was removed (by hand, a sync tool): what it
                # held is no longer on the disk, so it is not in the cohort either.
                self._load_snapshot(_stat_key(self.path) or (0, 0, 0))
            self._journal_key, self._journal_pos, self._journal_lines = None, 0, 0
            self._journal_needs_trim = False
            return
        if not tail:
            return
        lines = tail.split(b"\n")
        complete, torn = lines[:-1], lines[-1]
        generation = self.generation
        changed: list[Op] = []
        for line in complete:
            entry = decode_line(line)
            if entry is None:
                # Only an unterminated tail is a torn write: a line that ends with its
                # newline was written whole, and may have been acknowledged. A bad
                # one, even the last, is damage, never cut by the next write.
                raise self._damaged(t("store.reason.journal", line=self._journal_lines + 1))
            problem = entry_problem(entry)  # a good checksum on an operation we cannot apply
            if problem is not None:
                number = self._journal_lines + 1
                raise self._damaged(t("store.reason.journal_op", line=number, problem=problem))
            line_generation = entry["g"]
            if line_generation > generation:
                # Written on a newer snapshot than this one: an older copy of the
                # snapshot was put back (a sync tool, a hand copy). Those writes are
                # nowhere else; dropping them would lose them silently.
                raise _NewerJournal(self._journal_lines + 1, line_generation)
            self._journal_pos += len(line) + 1
            self._journal_lines += 1
            if line_generation < generation:
                # Folded into the snapshot already by a compaction that crashed
                # before it emptied the journal.
                self._journal_needs_trim = True
                continue
            apply_ops(self._tables, entry["ops"])
            changed.extend(entry["ops"])
        if torn:
            self._journal_needs_trim = True
        if changed:
            self._changed(changed)

    def _append_locked(self, ops: Sequence[Op]) -> None:
        line = encode_line(self.generation, ops)
        if self._journal_needs_trim:
            self._trim_journal()
        existed = os.path.lexists(self.journal_path)
        fd = open_nofollow(
            self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, self.modes.file
        )
        size = os.fstat(fd).st_size
        try:
            if not existed:
                os.fchmod(fd, self.modes.file)
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            inode = os.fstat(fd).st_ino
        except OSError:
            # Leave the journal as it was: no half line, no new empty file.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
                if not existed:
                    self.journal_path.unlink()
            raise
        finally:
            os.close(fd)
        if not existed:
            fsync_dir(self.journal_path.parent)
        self._journal_key = inode
        self._journal_pos += len(line)
        self._journal_lines += 1

    def _trim_journal(self) -> None:
        """Cut what is not ours to keep: a torn tail, or lines of an older generation.

        Only ever done just before an append, whose fsync makes the cut durable with
        the new line; a cut that a power failure undoes brings back lines that are
        dropped or ignored again (tests/test_powercut.py)."""
        keep = self._journal_pos if self._has_current_lines() else 0
        fd = open_nofollow(self.journal_path, os.O_RDWR)
        try:
            os.ftruncate(fd, keep)
        finally:
            os.close(fd)
        if keep == 0:
            self._journal_pos = self._journal_lines = 0
        self._journal_needs_trim = False

    def _has_current_lines(self) -> bool:
        # Called only just after a read of the journal under the lock: it exists.
        with os.fdopen(open_nofollow(self.journal_path, os.O_RDONLY), "rb") as handle:
            first = handle.readline()
        entry = decode_line(first.rstrip(b"\n"))
        return entry is not None and entry.get("g") == self.generation

    def _compact_locked(self) -> None:
        meta = {
            **self._meta,
            "schema": SCHEMA_VERSION,
            "generation": self.generation + 1,
            "app": __version__,
        }
        try:
            self._backup_if_due(force=True)
            self._write_snapshot(self._tables, meta)
            self._truncate_journal()
        except OSError as error:
            # The journal still holds every acknowledged write: nothing is lost.
            raise WriteFailed(Path(error.filename or self.path), error) from error
        self._meta = meta
        self._snap_key = _stat_key(self.path)
        self._journal_pos = self._journal_lines = 0
        self._journal_needs_trim = False
        self._needs_compaction = False

    def _write_snapshot(self, tables: Tables, meta: dict[str, Any]) -> None:
        AtomicJSONStorage(self.path, self.modes).write(to_tinydb(tables, meta))

    def _truncate_journal(self) -> None:
        try:
            fd = open_nofollow(self.journal_path, os.O_RDWR)
        except FileNotFoundError:
            return
        try:
            os.ftruncate(fd, 0)
            os.fsync(fd)
        finally:
            os.close(fd)

    def _newest_generation(self) -> int:
        """The highest generation the snapshot or any journal line names, readable or not:
        a restored snapshot must be newer than all of them. Both files were just read
        under the lock (a link or a special file there was refused then)."""
        newest = self.generation
        with contextlib.suppress(OSError, ValueError, TypeError):
            data = AtomicJSONStorage(self.path).read() or {}
            newest = max(newest, int(from_tinydb(data)[1].get("generation", 0)))
        with contextlib.suppress(OSError):
            for line in read_nofollow(self.journal_path).split(b"\n"):
                entry = decode_line(line)
                if entry is not None and isinstance(entry.get("g"), int):
                    newest = max(newest, entry["g"])
        return newest

    def _housekeeping(self) -> None:
        """Once per process, under the lock: refuse a cohort whose files or backup
        folders are links, sweep orphan temporary files left by a killed writer, and
        take back any permission a file should not have."""
        for entry in self._entries():
            refuse_link(entry)
        sweep_temp_files(self.path.parent, f"{self.path.stem}.")  # .json, .erasing
        if self.backup_dir.is_dir():
            sweep_temp_files(self.backup_dir, "")
        tighten(Path(os.path.realpath(self.path.parent)), self.modes.dir)
        for folder in (self.backup_dir.parent, self.backup_dir):
            tighten(folder, self.modes.dir)
        backups = list(self.backup_dir.glob("*")) if self.backup_dir.is_dir() else []
        for path in (self.path, self.journal_path, self.lock_path, *backups):
            tighten(path, self.modes.file)  # a link among the backups is left alone
        self._housekept = True

    def _entries(self) -> tuple[Path, ...]:
        """The workspace entries of this cohort that must never be links."""
        return (
            self.path,
            self.journal_path,
            self.lock_path,
            self.path.with_suffix(ERASING_SUFFIX),
            self.backup_dir.parent,
            self.backup_dir,
        )

    def _backup_if_due(self, force: bool = False) -> None:
        """Keep a backup before the first write of a process and before compactions."""
        if self._backed_up and not force:
            return
        self._backed_up = True
        newest = self.backups()
        if (
            newest
            and (arrow.utcnow() - newest[0].taken).total_seconds() < BACKUP_INTERVAL_S
            and not force
        ):
            return
        self._backup_locked()

    def _backup_locked(self) -> Path:
        return self._write_backup(self._tables, self._meta)

    def _write_backup(self, tables: Tables, meta: dict[str, Any]) -> Path:
        ensure_dir(self.backup_dir.parent, self.modes)
        ensure_dir(self.backup_dir, self.modes)
        target = self.backup_dir / f"{_backup_stamp()}.json"
        AtomicJSONStorage(target, self.modes).write(to_tinydb(tables, meta))
        for old in self.backups()[BACKUPS_KEPT:]:
            old.path.unlink(missing_ok=True)
        return target

    def _backup_current_bytes(self) -> Path:
        """Keep the current files as they are, even unreadable, before a restore.

        A readable cohort becomes an ordinary backup. A damaged one is kept byte for
        byte, its snapshot (``.damaged``) and its journal (``.journal.damaged``), so
        the good lines around a bad one can still be salvaged from there.
        """
        ensure_dir(self.backup_dir.parent, self.modes)
        ensure_dir(self.backup_dir, self.modes)
        try:
            self._reload_locked()
            return self._backup_locked()
        except DamagedFile:
            stamp = _backup_stamp()
            kept = self.backup_dir / f"{stamp}{DAMAGED_SUFFIX}"
            write_atomic(kept, read_nofollow(self.path), self.modes)
            try:
                journal = read_nofollow(self.journal_path)
            except FileNotFoundError:
                return kept
            write_atomic(self.backup_dir / f"{stamp}{DAMAGED_JOURNAL_SUFFIX}", journal, self.modes)
            return kept

    def _damaged(self, reason: str) -> DamagedFile:
        return DamagedFile(self.path, reason, self.newest_good_backup())
