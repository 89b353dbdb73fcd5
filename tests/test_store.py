"""The store keeps every acknowledged write: crashes, concurrency, damage, permissions."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import arrow
import pytest
from filelock import FileLock
from tinydb import TinyDB

from facilitator import store as store_module
from facilitator.domain import Note, Structure
from facilitator.i18n import t
from facilitator.store import (
    BACKUP_INTERVAL_S,
    BACKUPS_KEPT,
    JOURNAL_MAX_BYTES,
    JOURNAL_MAX_LINES,
    AtomicJSONStorage,
    CohortStore,
    DamagedFile,
    LinkRefused,
    ReadOnlyStore,
    RecordGone,
    WriteFailed,
    decode_line,
    encode_line,
    put_op,
)
from tests.conftest import ROOT

CHILD = [sys.executable, "-m", "tests.helpers.capture_loop"]


def spawn(path: Path, workload: str, count: int, journal_lines: int = 25) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CHILD, str(path), workload, str(count), str(journal_lines)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def note_ids(path: Path) -> set[str]:
    return {n.id for n in CohortStore(path, read_only=True).records(Note)}


def note_texts(path: Path) -> list[str]:
    """The notes of the cohort as a new process reads them, sorted."""
    return sorted(n.text for n in CohortStore(path).records(Note))


def generation_on_disk(path: Path) -> int:
    """The generation of the snapshot, as a new process reads it."""
    store = CohortStore(path)
    store.refresh()
    return store.generation


def journal_generations(store: CohortStore) -> list[int]:
    """The generation each line of the journal names."""
    lines = store.journal_path.read_bytes().splitlines()
    return [entry["g"] for entry in map(decode_line, lines) if entry is not None]


def every_byte(folder: Path) -> dict[Path, tuple[int, bytes | None]]:
    """Every entry under ``folder``, hidden ones too: its permissions, and a file's bytes
    (None for a folder)."""
    return {
        p: (stat.S_IMODE(p.lstat().st_mode), p.read_bytes() if p.is_file() else None)
        for p in [folder, *folder.rglob("*")]
    }


class Crash(BaseException):
    """A process stopping dead at a chosen step (what kill -9 does, in-process)."""


# --- basics -------------------------------------------------------------------------


def test_a_write_is_seen_by_another_store_and_survives_compaction(
    small_cohort: CohortStore,
) -> None:
    notes = [Note(text=f"constat {n}") for n in range(10)]
    small_cohort.put(*notes)
    other = CohortStore(small_cohort.path)
    assert {n.id for n in other.records(Note)} == {n.id for n in notes}
    other.compact()
    assert small_cohort.refresh() is True
    assert {n.id for n in small_cohort.records(Note)} == {n.id for n in notes}
    # The snapshot is a TinyDB database in its own right.
    db = TinyDB(small_cohort.path, storage=AtomicJSONStorage)
    assert {doc["id"] for doc in db.table("notes").all()} == {n.id for n in notes}


def test_patch_keeps_fields_edited_elsewhere(small_cohort: CohortStore) -> None:
    structure = small_cohort.records(Structure)[0]
    other = CohortStore(small_cohort.path)
    small_cohort.patch(Structure, structure.id, {"sector": "culture"})
    other.patch(Structure, structure.id, {"network": "Cocagne"})
    merged = CohortStore(small_cohort.path).get(Structure, structure.id)
    assert merged is not None
    assert (merged.sector, merged.network) == ("culture", "Cocagne")


def test_patching_a_record_deleted_elsewhere_says_so(small_cohort: CohortStore) -> None:
    note = Note(text="à supprimer")
    small_cohort.put(note)
    CohortStore(small_cohort.path).delete(Note, note.id)
    with pytest.raises(RecordGone):
        small_cohort.patch(Note, note.id, {"text": "ressuscitée ?"})
    assert CohortStore(small_cohort.path).get(Note, note.id) is None


def test_threads_of_one_process_do_not_lose_writes(small_cohort: CohortStore) -> None:
    def capture(n: int) -> None:
        for i in range(50):
            small_cohort.put(Note(text=f"thread {n} note {i}"))

    threads = [threading.Thread(target=capture, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(note_ids(small_cohort.path)) == 200


# --- crashes --------------------------------------------------------------------------


def kill_and_verify(path: Path, rng: random.Random, workload: str = "capture") -> int:
    """Start a writer, kill -9 it while it writes, check every acknowledged write."""
    child = spawn(path, workload, 100_000, journal_lines=rng.choice([5, 25, 400]))
    assert child.stdout is not None
    first = child.stdout.readline()  # it is writing now
    assert first, child.stderr.read() if child.stderr else ""
    time.sleep(rng.uniform(0, 0.05))
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate()
    acked = [line.split() for line in (first + rest).splitlines() if line.strip()]
    store = CohortStore(path, read_only=True)
    store.refresh()  # raises DamagedFile if the kill left an unreadable file
    notes = {n.id for n in store.records(Note)}
    if workload == "capture":
        missing = [ident for kind, ident in acked if kind == "put" and ident not in notes]
        assert not missing, f"{len(missing)} acknowledged notes lost"
    elif workload == "edit":
        structure = store.records(Structure)[0]
        last = " ".join(acked[-1][1:])
        # The last acknowledged edit, or a later one that reached the disk unacknowledged.
        assert int(structure.sector.split()[-1]) >= int(last.split()[-1])
    elif workload == "delete":
        assert not notes & {ident for _, ident in acked}
    return len(acked)


def test_kill_during_capture_loses_no_acknowledged_note(small_cohort: CohortStore) -> None:
    rng = random.Random(20261126)
    total = sum(kill_and_verify(small_cohort.path, rng) for _ in range(50))
    assert total > 50
    CohortStore(small_cohort.path).put(Note(text="après les crashs"))  # sweeps orphans
    assert not list(small_cohort.path.parent.glob(".*.tmp"))


@pytest.mark.slow
def test_kill_a_thousand_times_across_workloads(small_cohort: CohortStore) -> None:
    rng = random.Random(7)
    for n in range(1000):
        kill_and_verify(small_cohort.path, rng, ("capture", "edit", "delete", "clock")[n % 4])


def test_torn_journal_tail_is_dropped_and_trimmed(small_cohort: CohortStore) -> None:
    small_cohort.put(Note(text="acquise"))
    with open(small_cohort.journal_path, "ab") as journal:
        journal.write(
            encode_line(small_cohort.generation, [{"o": "put", "t": "notes", "d": {"id": "x"}}])[
                :30
            ]
        )
    reader = CohortStore(small_cohort.path)
    assert [n.text for n in reader.records(Note)] == ["acquise"]
    reader.put(Note(text="suivante"))
    assert reader.refresh() is False  # the cut is the writer's own: nothing to read again
    assert sorted(n.text for n in CohortStore(small_cohort.path).records(Note)) == [
        "acquise",
        "suivante",
    ]


def test_stale_journal_after_interrupted_compaction_is_ignored_and_cut_by_the_next_write(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="une"))
    journal = small_cohort.journal_path.read_bytes()
    small_cohort.compact()
    # As if the compaction had crashed after writing the snapshot, before emptying the journal.
    small_cohort.journal_path.write_bytes(journal)
    reader = CohortStore(small_cohort.path)
    assert [n.text for n in reader.records(Note)] == ["une"]
    assert journal_generations(reader) == [reader.generation - 1]
    reader.put(Note(text="deux"))
    assert reader.refresh() is False  # the cut is the writer's own: nothing to read again
    # The stale line is cut before the new one is appended: only current lines remain.
    assert journal_generations(reader) == [reader.generation]
    assert note_texts(small_cohort.path) == ["deux", "une"]


def test_a_restore_cut_short_before_it_emptied_the_journal_does_not_replay_what_it_undid(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replaying a stale line is not harmless here: the lines hold writes made after
    the backup, which the restored snapshot does not have and must not get back."""
    kept, deleted = Note(text="gardée"), Note(text="supprimée après la sauvegarde")
    small_cohort.put(kept, deleted)
    backup = small_cohort.backup()
    small_cohort.compact()  # the backup is of an older generation than the lines to come
    small_cohort.patch(Note, kept.id, {"text": "changée après la sauvegarde"})
    small_cohort.put(Note(text="écrite après la sauvegarde"))
    small_cohort.delete(Note, deleted.id)

    def crash(self: CohortStore) -> None:
        raise Crash

    monkeypatch.setattr(CohortStore, "_truncate_journal", crash)
    with pytest.raises(Crash):
        small_cohort.restore(backup)  # the new snapshot is written; the journal is not emptied
    monkeypatch.undo()
    reader = CohortStore(small_cohort.path)
    assert sorted(n.text for n in reader.records(Note)) == [
        "gardée",
        "supprimée après la sauvegarde",
    ]
    assert reader.generation > max(journal_generations(reader))  # the lines are stale
    reader.put(Note(text="suivante"))
    assert note_texts(small_cohort.path) == [
        "gardée",
        "suivante",
        "supprimée après la sauvegarde",
    ]


# --- concurrency ---------------------------------------------------------------------


@pytest.mark.parametrize("writers,count", [(2, 200), (3, 300)])
def test_processes_capturing_at_once_lose_nothing(
    small_cohort: CohortStore, writers: int, count: int
) -> None:
    children = [spawn(small_cohort.path, "capture", count) for _ in range(writers)]
    acked: set[str] = set()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        acked |= {line.split()[1] for line in out.splitlines()}
    assert len(acked) == writers * count
    assert note_ids(small_cohort.path) == acked


def test_two_processes_editing_two_fields_of_one_record_keep_both(
    small_cohort: CohortStore,
) -> None:
    children = [
        spawn(small_cohort.path, "edit", 150),
        spawn(small_cohort.path, "edit-network", 150),
    ]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    structure = CohortStore(small_cohort.path).records(Structure)[0]
    assert (structure.sector, structure.network) == ("sector 149", "network 149")


def test_a_journal_cut_shorter_in_place_by_another_store_is_read_again_from_the_snapshot(
    small_cohort: CohortStore,
) -> None:
    for n in range(3):
        small_cohort.put(Note(text=f"ancienne {n}"))
    stale = small_cohort.journal_path.read_bytes()
    small_cohort.compact()
    # A compaction that crashed before emptying the journal (rewritten in place).
    small_cohort.journal_path.write_bytes(stale)
    inode = small_cohort.journal_path.stat().st_ino
    reader = CohortStore(small_cohort.path)
    assert len(reader.records(Note)) == 3  # it has read the whole journal, stale lines and all
    writer = CohortStore(small_cohort.path)
    writer.put(Note(text="nouvelle"))  # cuts the stale lines, then appends its own
    after = small_cohort.journal_path.stat()
    assert after.st_ino == inode and after.st_size < len(stale)  # same file, shorter
    assert reader.refresh() is True
    assert reader.refresh() is False  # read again once, not at every look
    assert sorted(n.text for n in reader.records(Note)) == [
        "ancienne 0",
        "ancienne 1",
        "ancienne 2",
        "nouvelle",
    ]


def test_a_journal_replaced_by_another_file_is_read_again_from_the_snapshot(
    small_cohort: CohortStore,
) -> None:
    """A sync tool or a hand copy that puts an older journal back (a new file, not the
    one read before) leaves the cohort as a new reader sees it, not as a mix."""
    small_cohort.put(Note(text="une"))
    older = small_cohort.journal_path.read_bytes()
    small_cohort.put(Note(text="deux"))
    reader = CohortStore(small_cohort.path)
    assert len(reader.records(Note)) == 2
    inode = small_cohort.journal_path.stat().st_ino
    copy = small_cohort.journal_path.with_name("journal.copy")
    copy.write_bytes(older)
    os.replace(copy, small_cohort.journal_path)
    assert small_cohort.journal_path.stat().st_ino != inode
    assert reader.refresh() is True
    assert reader.refresh() is False  # read again once, not at every look
    assert [n.text for n in reader.records(Note)] == ["une"] == note_texts(small_cohort.path)


def test_a_journal_removed_under_a_reader_takes_its_writes_away_from_that_reader_too(
    small_cohort: CohortStore,
) -> None:
    """Removed by hand or by a sync tool, then a new one started: the reader shows what
    the disk holds, not the removed lines under the new one's."""
    small_cohort.put(Note(text="une"))
    reader = CohortStore(small_cohort.path)
    assert [n.text for n in reader.records(Note)] == ["une"]
    small_cohort.journal_path.unlink()
    assert reader.refresh() is True
    assert reader.refresh() is False
    assert reader.records(Note) == []
    CohortStore(small_cohort.path).put(Note(text="deux"))
    reader.refresh()
    assert [n.text for n in reader.records(Note)] == ["deux"] == note_texts(small_cohort.path)


def test_a_setgid_group_workspace_shares_with_the_group(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    code = f"""
import os
os.umask(0o077)
from pathlib import Path
from facilitator.domain import Cohort, Note
from facilitator.workspace import Workspace
store = Workspace(Path({str(shared)!r})).create([Cohort(name='c')])
store.put(Note(text='n'))
store.backup()
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    for path in shared.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o2770 if path.is_dir() else 0o660), f"{path} is {oct(mode)}"


def test_a_backup_of_a_group_workspace_is_the_group_s_whatever_the_umask(
    group_folder: Path,
) -> None:
    """In-process too (the test above runs in a child, which mutation testing cannot
    trace): the other facilitator must be able to read a backup to restore from it."""
    old = os.umask(0o077)
    try:
        store = CohortStore.create(group_folder / "abc.json", [Structure(name="Les Jardins")])
        backup = store.backup()
    finally:
        os.umask(old)
    assert oct(stat.S_IMODE(backup.stat().st_mode)) == "0o660"


def test_a_failed_replace_during_compaction_keeps_every_write(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cohort.put(Note(text="dans le journal"))
    before = small_cohort.path.read_bytes()
    refusals: list[object] = []
    real_replace = os.replace

    def refused(src: object, dst: object) -> None:
        if Path(str(dst)) != small_cohort.path:  # the backup before the compaction
            return real_replace(src, dst)  # type: ignore[arg-type]
        refusals.append(dst)
        raise OSError(13, "Permission denied")

    monkeypatch.setattr("facilitator.files.os.replace", refused)
    with pytest.raises(WriteFailed, match="Permission denied") as caught:
        small_cohort.compact()
    monkeypatch.undo()
    assert str(small_cohort.path) in str(caught.value)  # the error named no file: the cohort's
    assert refusals == [small_cohort.path]  # the new snapshot was written and refused
    assert small_cohort.path.read_bytes() == before
    assert not list(small_cohort.path.parent.glob(".*.tmp"))
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["dans le journal"]


def test_a_write_whose_compaction_fails_is_still_saved(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "JOURNAL_MAX_LINES", 1)
    refused: list[Path] = []

    def full(src: object, dst: object) -> None:
        refused.append(Path(str(dst)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("facilitator.files.os.replace", full)
    generation = generation_on_disk(small_cohort.path)
    note = Note(text="acquise malgré tout")
    small_cohort.put(note)  # no error: the journal holds it
    monkeypatch.undo()
    assert refused, "the write reached the limit: a compaction must have been tried"
    reader = CohortStore(small_cohort.path)
    assert reader.get(Note, note.id) is not None
    assert (reader.generation, journal_generations(reader)) == (generation, [generation])
    # The compaction is tried again at the next write, and succeeds now.
    monkeypatch.setattr(store_module, "JOURNAL_MAX_LINES", 1)
    small_cohort.put(Note(text="suivante"))
    assert generation_on_disk(small_cohort.path) == generation + 1
    assert small_cohort.journal_path.read_bytes() == b""
    assert note_texts(small_cohort.path) == ["acquise malgré tout", "suivante"]


def test_the_write_that_brings_the_journal_to_its_line_limit_compacts_it_not_the_one_before(
    small_cohort: CohortStore,
) -> None:
    generation = generation_on_disk(small_cohort.path)
    for n in range(JOURNAL_MAX_LINES - 1):
        small_cohort.put(Note(text=f"n{n}"))
    assert generation_on_disk(small_cohort.path) == generation
    assert len(journal_generations(small_cohort)) == JOURNAL_MAX_LINES - 1
    small_cohort.put(Note(text="la dernière"))
    assert generation_on_disk(small_cohort.path) == generation + 1
    assert small_cohort.journal_path.read_bytes() == b""
    assert len(CohortStore(small_cohort.path).records(Note)) == JOURNAL_MAX_LINES


def note_with_line_of(store: CohortStore, size: int) -> Note:
    """A note whose journal line is exactly ``size`` bytes long."""
    note = Note(text="")
    base = len(encode_line(store.generation, [put_op(note)]))
    note = dataclasses.replace(note, text="x" * (size - base))
    assert len(encode_line(store.generation, [put_op(note)])) == size
    return note


@pytest.mark.parametrize(
    "size,compacted", [(JOURNAL_MAX_BYTES - 1, False), (JOURNAL_MAX_BYTES, True)]
)
def test_the_write_that_brings_the_journal_to_its_byte_limit_compacts_it_not_one_byte_less(
    small_cohort: CohortStore, size: int, compacted: bool
) -> None:
    generation = generation_on_disk(small_cohort.path)
    small_cohort.put(note_with_line_of(small_cohort, size))
    assert generation_on_disk(small_cohort.path) == generation + compacted
    assert small_cohort.journal_path.stat().st_size == (0 if compacted else size)


# --- damage ----------------------------------------------------------------------------


def test_a_damaged_snapshot_is_never_overwritten(small_cohort: CohortStore) -> None:
    small_cohort.put(Note(text="avant"))
    small_cohort.backup()
    small_cohort.path.write_bytes(b'{"notes": {"1": {"id": ')
    damaged = small_cohort.path.read_bytes()
    store = CohortStore(small_cohort.path)
    with pytest.raises(DamagedFile) as caught:
        store.put(Note(text="après"))
    assert caught.value.backup is not None and caught.value.backup.exists()
    assert str(small_cohort.path) in caught.value.message
    assert small_cohort.path.read_bytes() == damaged


def test_a_damaged_line_in_the_middle_of_the_journal_stops_writes(
    small_cohort: CohortStore,
) -> None:
    for n in range(3):
        small_cohort.put(Note(text=f"n{n}"))
    lines = small_cohort.journal_path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"n1", b"n9")  # the checksum no longer matches
    small_cohort.journal_path.write_bytes(b"\n".join(lines))
    before = small_cohort.journal_path.read_bytes()
    with pytest.raises(DamagedFile):
        CohortStore(small_cohort.path).put(Note(text="x"))
    assert small_cohort.journal_path.read_bytes() == before


def test_a_file_from_a_newer_version_is_not_touched(small_cohort: CohortStore) -> None:
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"]["schema"] = store_module.SCHEMA_VERSION + 1
    small_cohort.path.write_text(json.dumps(data))
    before = small_cohort.path.read_bytes()
    with pytest.raises(DamagedFile, match="récente"):
        CohortStore(small_cohort.path).put(Note(text="x"))
    assert small_cohort.path.read_bytes() == before


def test_a_schema_0_file_is_migrated_on_the_next_write(small_cohort: CohortStore) -> None:
    data = json.loads(small_cohort.path.read_text())
    del data["_meta"]
    data["notes"] = {
        "1": {
            "id": "old",
            "kind": "constat",
            "text": "ancienne",
            "created": "2026-01-05T10:00:00+00:00",
        }
    }
    small_cohort.path.write_text(json.dumps(data))
    store = CohortStore(small_cohort.path)
    assert store.get(Note, "old") is not None
    store.put(Note(text="nouvelle"))
    migrated = json.loads(small_cohort.path.read_text())
    assert migrated["_meta"]["1"]["schema"] == store_module.SCHEMA_VERSION
    old = next(d for d in migrated["notes"].values() if d["id"] == "old")
    assert old["edited"] is None
    generation = store.generation
    store.put(Note(text="après la migration"))  # in the journal: migrated once only
    assert (store.generation, journal_generations(store)) == (generation, [generation])


def test_a_snapshot_record_without_an_id_is_reported_as_a_damaged_file(
    small_cohort: CohortStore,
) -> None:
    data = json.loads(small_cohort.path.read_text())
    data["notes"] = {"1": {"kind": "constat", "text": "sans identifiant"}}
    small_cohort.path.write_text(json.dumps(data))
    before = small_cohort.path.read_bytes()
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).records(Note)
    assert str(small_cohort.path) in caught.value.message
    assert "notes" in caught.value.reason
    assert small_cohort.path.read_bytes() == before


def test_restore_brings_a_backup_back_and_keeps_the_current_state(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="gardée"))
    backup = small_cohort.backup()
    small_cohort.put(Note(text="plus tard"))
    kept = small_cohort.restore(backup)
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["gardée"]
    assert "plus tard" in kept.read_text()


def refuse_journal_writes_after(
    monkeypatch: pytest.MonkeyPatch, journal: Path, written: int
) -> list[int]:
    """Make the disk fill up after ``written`` more bytes of ``journal``: a write of
    the journal puts down what still fits, then fails with ENOSPC. Other files are
    written as usual. Returns the sizes of the writes that reached the journal."""
    real_write = os.write
    room = [written]
    reached: list[int] = []

    def write(fd: int, data: bytes | memoryview) -> int:
        try:
            target = os.stat(journal)
        except FileNotFoundError:
            return real_write(fd, data)
        here = os.fstat(fd)
        if (here.st_dev, here.st_ino) != (target.st_dev, target.st_ino):
            return real_write(fd, data)
        if room[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        done = real_write(fd, bytes(data[: room[0]]))
        room[0] -= done
        reached.append(done)
        return done

    monkeypatch.setattr(store_module.os, "write", write)
    return reached


@pytest.mark.parametrize("written", [0, 1, 40])
def test_a_write_the_disk_refuses_part_way_leaves_the_journal_byte_for_byte(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch, written: int
) -> None:
    small_cohort.put(Note(text="sûre"))
    before = (small_cohort.path.read_bytes(), small_cohort.journal_path.read_bytes())
    reached = refuse_journal_writes_after(monkeypatch, small_cohort.journal_path, written)
    with pytest.raises(WriteFailed, match="No space left"):
        small_cohort.put(Note(text="perdue ?"))
    monkeypatch.undo()
    assert sum(reached) == written  # part of the line was on disk before the failure
    assert (small_cohort.path.read_bytes(), small_cohort.journal_path.read_bytes()) == before
    # Neither the same store's next write nor a new reader meets the half line.
    small_cohort.put(Note(text="suivante"))
    assert note_texts(small_cohort.path) == ["suivante", "sûre"]
    assert len(journal_generations(small_cohort)) == 2


def test_a_first_write_the_disk_refuses_part_way_leaves_no_journal(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not small_cohort.journal_path.exists()
    snapshot = small_cohort.path.read_bytes()
    reached = refuse_journal_writes_after(monkeypatch, small_cohort.journal_path, 20)
    with pytest.raises(WriteFailed, match="No space left"):
        small_cohort.put(Note(text="perdue ?"))
    monkeypatch.undo()
    assert reached == [20]
    assert not small_cohort.journal_path.exists()
    assert small_cohort.path.read_bytes() == snapshot
    small_cohort.put(Note(text="suivante"))
    assert note_texts(small_cohort.path) == ["suivante"]


def test_read_only_store_refuses_writes_and_changes_no_byte(small_cohort: CohortStore) -> None:
    small_cohort.put(Note(text="là"))
    backup = small_cohort.backup()
    # What a writer's housekeeping would tidy: an orphan temporary file, a loose mode.
    orphan = small_cohort.path.with_name(f".{small_cohort.path.name}.999.abcd.tmp")
    orphan.write_bytes(b"{}")
    os.chmod(small_cohort.journal_path, 0o640)
    before = every_byte(small_cohort.path.parent)
    store = CohortStore(small_cohort.path, read_only=True)
    assert len(store.records(Note)) == 1
    for write in (
        lambda: store.put(Note(text="non")),
        lambda: store.delete(Note, "x"),
        lambda: store.patch(Note, "x", {"text": "non"}),
        store.compact,
        store.backup,
        lambda: store.restore(backup),
        lambda: store.write_backup(store.all_docs(), {}),
    ):
        with pytest.raises(ReadOnlyStore):
            write()
    assert every_byte(small_cohort.path.parent) == before


def test_restore_refuses_in_read_only_mode_even_when_the_folder_is_writable(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="gardée"))
    backup = small_cohort.backup()
    small_cohort.put(Note(text="plus tard"))
    before = every_byte(small_cohort.path.parent)
    store = CohortStore(small_cohort.path, read_only=True)
    assert os.access(small_cohort.path.parent, os.W_OK) and small_cohort.lock_path.exists()
    with pytest.raises(ReadOnlyStore):
        store.restore(backup)
    assert every_byte(small_cohort.path.parent) == before
    assert note_texts(small_cohort.path) == ["gardée", "plus tard"]


# --- backups -------------------------------------------------------------------------


def backup_names(store: CohortStore) -> list[str]:
    return sorted(p.name for p in store.backup_dir.glob("*.json"))


def backup_aged(store: CohortStore, seconds: float) -> Path:
    """The cohort's only backup, taken ``seconds`` ago (as its name says)."""
    taken = store.backup()
    stamp = arrow.utcnow().shift(seconds=-seconds).format("YYYYMMDDTHHmmssSSSSSS")
    aged = taken.rename(taken.with_name(f"{stamp}.json"))
    assert [b.path for b in store.backups()] == [aged]
    return aged


def test_backups_keep_the_newest_twenty_and_remove_the_oldest(small_cohort: CohortStore) -> None:
    assert BACKUPS_KEPT == 20
    taken = [small_cohort.backup().name for _ in range(BACKUPS_KEPT)]
    assert backup_names(small_cohort) == taken  # twenty, none removed yet
    taken += [small_cohort.backup().name for _ in range(2)]
    assert len(set(taken)) == BACKUPS_KEPT + 2
    assert backup_names(small_cohort) == taken[2:]


@pytest.mark.parametrize(
    "age,backed_up", [(BACKUP_INTERVAL_S + 60, True), (BACKUP_INTERVAL_S - 60, False)]
)
def test_a_process_first_write_is_backed_up_only_when_the_newest_backup_is_older_than_the_interval(
    small_cohort: CohortStore, age: int, backed_up: bool
) -> None:
    small_cohort.put(Note(text="avant"))
    for old in small_cohort.backup_dir.glob("*.json"):
        old.unlink()
    aged = backup_aged(small_cohort, age)
    writer = CohortStore(small_cohort.path)  # a new process
    writer.put(Note(text="première écriture"))
    newest = writer.backups()[0].path
    assert (newest != aged) is backed_up
    if backed_up:  # the state before the write
        texts = {d["text"] for d in json.loads(newest.read_text())["notes"].values()}
        assert texts == {"avant"}


def test_only_the_first_write_of_a_process_is_backed_up(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BACKUP_INTERVAL_S", 0)  # every backup is due
    writer = CohortStore(small_cohort.path)
    for n in range(3):
        writer.put(Note(text=f"n{n}"))
    assert len(writer.backups()) == 1
    CohortStore(small_cohort.path).put(Note(text="un autre processus"))
    assert len(writer.backups()) == 2


@pytest.mark.parametrize("how", ["compact", "write at the limit"])
def test_a_compaction_is_preceded_by_a_backup_even_right_after_another(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    small_cohort.put(Note(text="avant"))  # the first write: a backup
    assert len(small_cohort.backups()) == 1
    generation = small_cohort.generation
    if how == "compact":
        small_cohort.compact()
    else:
        monkeypatch.setattr(store_module, "JOURNAL_MAX_LINES", 2)
        small_cohort.put(Note(text="à la limite"))
        monkeypatch.undo()
    assert generation_on_disk(small_cohort.path) == generation + 1  # it did compact
    backups = small_cohort.backups()
    assert len(backups) == 2
    meta = json.loads(backups[0].path.read_text())["_meta"]["1"]
    assert meta["generation"] == generation  # taken before the new snapshot


# --- permissions ----------------------------------------------------------------------


def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    code = f"""
import os
os.umask(0o022)
from facilitator.domain import Cohort, Note
from facilitator.workspace import Workspace
store = Workspace(__import__('pathlib').Path({str(tmp_path / "ws")!r})).create([Cohort(name='c')])
store.put(Note(text='n'))
store.backup()
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    found = list((tmp_path / "ws").rglob("*"))
    assert any(p.suffix == ".journal" for p in found) and any(p.suffix == ".lock" for p in found)
    for path in [tmp_path / "ws", *found]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path} is {oct(mode)}"


def test_a_looser_existing_file_is_tightened_when_opened(small_cohort: CohortStore) -> None:
    small_cohort.put(Note(text="n"))
    for path in (small_cohort.path, small_cohort.journal_path):
        os.chmod(path, 0o644)
    os.chmod(small_cohort.path.parent, 0o755)
    CohortStore(small_cohort.path).records(Note)
    for path in (small_cohort.path, small_cohort.journal_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(small_cohort.path.parent.stat().st_mode) == 0o700


def test_decoded_records_follow_every_write_here_and_elsewhere(small_cohort: CohortStore) -> None:
    """Records are decoded once and then updated op by op: they must always equal a
    fresh read, whoever wrote."""
    here, elsewhere = small_cohort, CohortStore(small_cohort.path)
    notes = [Note(text=f"n{n}") for n in range(6)]
    here.put(*notes[:3])
    assert len(here.records(Note)) == 3  # decoded now; from here on, kept up to date
    elsewhere.put(*notes[3:])
    here.patch(Note, notes[0].id, {"text": "modifiée ici"})
    elsewhere.patch(Note, notes[4].id, {"text": "modifiée ailleurs"})
    elsewhere.delete(Note, notes[1].id)
    here.delete(Note, notes[5].id)
    here.refresh()
    fresh = CohortStore(small_cohort.path)
    assert sorted((n.id, n.text) for n in here.records(Note)) == sorted(
        (n.id, n.text) for n in fresh.records(Note)
    )
    assert {n.text for n in here.records(Note)} == {"modifiée ici", "n2", "n3", "modifiée ailleurs"}


# --- the journal's lines, operations and records, one by one (mutation testing) ------


def test_a_journal_line_is_its_crc32_in_eight_hex_digits_a_space_and_compact_json() -> None:
    ops = [{"o": "del", "t": "notes", "i": "é"}]
    line = encode_line(7, ops)
    body = '{"g":7,"ops":[{"o":"del","t":"notes","i":"é"}]}'.encode()
    assert line == b"%08x " % zlib.crc32(body) + body + b"\n"
    assert decode_line(line[:-1]) == {"g": 7, "ops": ops}


def test_a_line_too_short_without_its_space_or_with_a_bad_checksum_is_damaged() -> None:
    good = encode_line(1, [])[:-1]
    body = good[9:]
    assert decode_line(good) == {"g": 1, "ops": []}
    assert decode_line(good[:8] + b"x" + body) is None  # no space after the checksum
    assert decode_line(b"%08x " % (zlib.crc32(body) ^ 1) + body) is None
    assert decode_line(b"zzzzzzzz " + body) is None  # a checksum that is not hex
    assert decode_line(b"00000000 ") is None  # the checksum of nothing, and no JSON
    for short in (b"", b"0", b"00000000", good[:9]):
        assert decode_line(short) is None


@pytest.mark.parametrize(
    "body",
    [b"[1,2]", b'{"g":1}', b"{not json", b'{"g":1,"ops":[],"x":"\xff"}', b'"ops"'],
)
def test_a_line_with_a_good_checksum_that_is_not_a_journal_entry_is_damaged(
    body: bytes,
) -> None:
    assert decode_line(b"%08x " % zlib.crc32(body) + body) is None


def bad_op(op: object) -> str:
    return t("store.reason.bad_op", op=repr(op)[:60])


@pytest.mark.parametrize(
    "op",
    [
        "put",
        {"o": "put", "d": {"id": "n"}},
        {"o": "put", "t": 3, "d": {"id": "n"}},
        {"o": "put", "t": "notes"},
        {"o": "put", "t": "notes", "d": ["id"]},
        {"o": "put", "t": "notes", "d": {"id": 4}},
        {"o": "put", "t": "notes", "d": {"text": "x" * 80}},  # repr cut at 60 characters
        "x" * 80,
        {"o": "patch", "t": "notes", "i": 1, "f": {"text": "x" * 80}},
        {"o": "del", "t": "notes", "i": 5, "text": "x" * 80},
        {"o": "patch", "t": "notes", "f": {}},
        {"o": "patch", "t": "notes", "i": 1, "f": {}},
        {"o": "patch", "t": "notes", "i": "n"},
        {"o": "patch", "t": "notes", "i": "n", "f": [1]},
        {"o": "del", "t": "notes"},
        {"o": "del", "t": "notes", "i": 5},
    ],
)
def test_an_incomplete_operation_is_named_with_the_start_of_its_text(op: object) -> None:
    assert store_module.op_problem(op) == bad_op(op)


def test_an_operation_of_an_unknown_kind_is_named_by_its_kind_cut_at_40() -> None:
    kind = "z" * 50
    assert store_module.op_problem({"o": kind, "t": "notes"}) == t(
        "store.reason.unknown_op", op=repr(kind)[:40]
    )
    assert store_module.op_problem({"t": "notes"}) == t("store.reason.unknown_op", op="None")


def test_complete_operations_are_checked_for_their_fields_values() -> None:
    op_problem = store_module.op_problem
    assert op_problem({"o": "put", "t": "notes", "d": {"id": "n", "kind": "frein"}}) is None
    assert op_problem({"o": "patch", "t": "notes", "i": "n", "f": {"lever": None}}) is None
    assert op_problem({"o": "del", "t": "notes", "i": "n"}) is None
    assert op_problem({"o": "put", "t": "later", "d": {"id": "n", "kind": "?"}}) is None
    rumour = t("store.reason.bad_value", table="notes", field="kind", value="'rumeur'")
    assert op_problem({"o": "put", "t": "notes", "d": {"id": "n", "kind": "rumeur"}}) == rumour
    assert op_problem({"o": "patch", "t": "notes", "i": "n", "f": {"kind": "rumeur"}}) == rumour


def test_a_record_field_holding_an_enum_takes_its_values_and_none_only_when_optional() -> None:
    problem = store_module.field_problem
    assert problem("notes", {}) is None
    assert problem("notes", {"id": "n", "kind": "frein", "lever": "alliances-partenariats"}) is None
    assert problem("notes", {"lever": None}) is None
    assert problem("notes", {"lever": ""}) is None
    assert problem("notes", {"lever": "x"}) == t(
        "store.reason.bad_value", table="notes", field="lever", value="'x'"
    )
    for kind in (None, "", "x"):
        assert problem("notes", {"kind": kind}) == t(
            "store.reason.bad_value", table="notes", field="kind", value=repr(kind)
        )
    assert problem("notes", {"id": 3}) == t("store.reason.bad_record", table="notes")
    assert problem("notes", {"id": None, "kind": "x"}) == t(
        "store.reason.bad_record", table="notes"
    )
    assert problem("unknown", {"id": 3}) is None


def test_the_enum_fields_of_a_record_are_found_from_its_type_hints() -> None:
    from facilitator.domain import Lever, NoteKind

    assert store_module._enum_fields("notes") == {
        "kind": (frozenset(k.value for k in NoteKind), False),
        "lever": (frozenset(k.value for k in Lever), True),
    }


@pytest.mark.parametrize(
    "entry",
    [
        {"g": "1", "ops": []},
        {"g": True, "ops": []},
        {"g": -1, "ops": []},
        {"g": 1.0, "ops": []},
        {"g": 1, "ops": {}},
        {"g": -1, "ops": ["x" * 80]},
        {"ops": []},
        {"g": 1},
    ],
)
def test_a_journal_entry_needs_a_whole_generation_and_a_list_of_operations(
    entry: dict[str, object],
) -> None:
    assert store_module.entry_problem(entry) == bad_op(entry)


def test_a_journal_entry_names_the_first_operation_it_cannot_apply() -> None:
    good = {"o": "del", "t": "notes", "i": "n"}
    first, second = {"o": "del", "t": "notes"}, {"o": "zap", "t": "notes"}
    assert store_module.entry_problem({"g": 0, "ops": []}) is None
    assert store_module.entry_problem({"g": 0, "ops": [good, good]}) is None
    assert store_module.entry_problem({"g": 2, "ops": [good, first, second]}) == bad_op(first)


def test_doc_problems_names_each_unreadable_record_of_known_tables_only() -> None:
    tables = {
        "notes": {"a": {"id": "a", "kind": "frein"}, "b": {"id": "b", "kind": "?"}},
        "later": {"c": {"id": 3}},
        "structures": {"d": {"id": 4}},
    }
    assert list(store_module.doc_problems(tables)) == [
        ("notes", "b", t("store.reason.bad_value", table="notes", field="kind", value="'?'")),
        ("structures", "d", t("store.reason.bad_record", table="structures")),
    ]


def test_operations_put_patch_and_delete_with_the_last_writer_winning_per_field() -> None:
    tables: dict[str, dict[str, dict[str, object]]] = {}
    store_module.apply_ops(
        tables,
        [
            {"o": "put", "t": "notes", "d": {"id": "a", "text": "x", "kind": "frein"}},
            {"o": "patch", "t": "notes", "i": "a", "f": {"text": "y"}},
            {"o": "patch", "t": "notes", "i": "gone", "f": {"text": "z"}},
            {"o": "put", "t": "notes", "d": {"id": "b"}},
            {"o": "del", "t": "notes", "i": "b"},
            {"o": "del", "t": "structures", "i": "never"},
        ],
    )
    assert tables == {"notes": {"a": {"id": "a", "text": "y", "kind": "frein"}}, "structures": {}}
    with pytest.raises(ValueError, match="zap"):
        store_module.apply_ops(tables, [{"o": "zap", "t": "notes"}])


def test_records_are_laid_out_as_tinydb_does_and_read_back() -> None:
    tables = {"notes": {"a": {"id": "a"}, "b": {"id": "b"}}, "later": {"c": {"id": "c"}}}
    data = store_module.to_tinydb(tables, {"generation": 4})
    assert data == {
        "_meta": {"1": {"generation": 4}},
        "notes": {"1": {"id": "a"}, "2": {"id": "b"}},
        "later": {"1": {"id": "c"}},
    }
    back, meta = store_module.from_tinydb(data)
    assert meta == {"generation": 4}
    assert back["notes"] == tables["notes"] and back["later"] == tables["later"]
    assert set(back) == {*store_module.TABLES, "later"}
    assert all(back[name] == {} for name in store_module.TABLES if name != "notes")
    assert store_module.from_tinydb({}) == ({name: {} for name in store_module.TABLES}, {})


@pytest.mark.parametrize(
    "data,message",
    [
        ({"notes": []}, "table 'notes' is not an object"),
        ({"notes": {"1": ["id"]}}, "a document of 'notes' has no id"),
        ({"notes": {"1": {"text": "x"}}}, "a document of 'notes' has no id"),
    ],
)
def test_a_snapshot_table_or_document_of_the_wrong_shape_is_refused(
    data: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        store_module.from_tinydb(data)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_schema_0_snapshot_is_migrated_and_a_current_one_left_as_it_is() -> None:
    tables = {"notes": {"a": {"id": "a"}, "b": {"id": "b", "edited": "2026"}}}
    migrated, meta = store_module.migrate(tables, {"generation": 3})
    assert migrated["notes"] == {
        "a": {"id": "a", "edited": None},
        "b": {"id": "b", "edited": "2026"},
    }
    assert meta == {"generation": 3, "schema": 1}
    assert store_module.migrate({}, {"schema": 0}) == ({}, {"schema": 1})
    current = {"notes": {"a": {"id": "a"}}}
    assert store_module.migrate(current, {"schema": 1}) == (
        {"notes": {"a": {"id": "a"}}},
        {"schema": 1},
    )


def test_each_store_error_says_what_is_wrong_with_which_file() -> None:
    path, backup = Path("/ws/abc.json"), Path("/ws/backups/abc/1.json")
    damaged = DamagedFile(path, "fichier vide", backup)
    assert (damaged.path, damaged.reason, damaged.backup) == (path, "fichier vide", backup)
    assert str(damaged) == t(
        "store.error.damaged",
        path=str(path),
        reason="fichier vide",
        backup=t("store.backup_at", path=str(backup)),
    )
    assert t("store.no_backup") in str(DamagedFile(path, "x", None))
    full = OSError(errno.ENOSPC, "No space left on device")
    failed = WriteFailed(path, full)
    assert failed.error is full
    assert str(failed) == t(
        "store.error.write_failed", path=str(path), reason="No space left on device"
    )
    assert "plain words" in str(WriteFailed(path, OSError("plain words")))
    assert str(store_module.StoreBusy(path)) == t("store.error.busy", path=str(path), seconds=15)
    assert str(ReadOnlyStore()) == t("store.error.read_only")
    assert str(RecordGone()) == t("store.error.gone")


def test_a_snapshot_absent_or_empty_reads_as_nothing_and_one_not_an_object_is_refused(
    tmp_path: Path,
) -> None:
    storage = AtomicJSONStorage(tmp_path / "abc.json")
    assert storage.read() is None
    storage.path.write_bytes(b"")
    assert storage.read() is None
    storage.path.write_bytes(b"[1]")
    with pytest.raises(ValueError, match=r"^not a TinyDB database$"):
        storage.read()
    storage.write({"notes": {"1": {"id": "é", "text": "a b"}}})
    assert storage.path.read_bytes() == '{"notes":{"1":{"id":"é","text":"a b"}}}'.encode()
    assert storage.read() == {"notes": {"1": {"id": "é", "text": "a b"}}}


def test_a_cohort_locked_by_another_program_past_the_timeout_is_busy_and_names_it(
    small_cohort: CohortStore,
) -> None:
    other = FileLock(str(small_cohort.lock_path), thread_local=False)
    store = CohortStore(small_cohort.path)
    store._file_lock.timeout = 0.2
    with other, pytest.raises(store_module.StoreBusy) as caught:
        store.put(Note(text="bloquée"))
    assert str(small_cohort.path) in str(caught.value)
    store.put(Note(text="libre"))
    assert note_texts(small_cohort.path) == ["libre"]


# --- backups listed, chosen and restored --------------------------------------------


def stamp_of(when: arrow.Arrow) -> str:
    return when.format("YYYYMMDDTHHmmssSSSSSS")


def test_the_backups_are_the_stamped_files_of_the_folder_newest_first(
    small_cohort: CohortStore,
) -> None:
    small_cohort.backup()  # makes the folder
    for old in small_cohort.backup_dir.iterdir():
        old.unlink()
    folder = small_cohort.backup_dir
    now = arrow.utcnow()
    names = [stamp_of(now.shift(hours=-h)) + ".json" for h in (3, 1, 2)]
    for name in names:
        (folder / name).write_bytes(small_cohort.path.read_bytes())
    (folder / "pas-une-date.json").write_text("{}")
    (folder / f"{stamp_of(now)}.json").mkdir()  # a folder, not a backup
    (folder / f"{stamp_of(now.shift(hours=1))}.json").symlink_to(small_cohort.path)
    (folder / f"{stamp_of(now)}.txt").write_text("{}")
    listed = small_cohort.backups()
    assert [b.path.name for b in listed] == sorted(names, reverse=True)
    assert [b.taken for b in listed] == [now.shift(hours=-h) for h in (1, 2, 3)]


def test_a_cohort_without_a_backup_folder_has_no_backups(small_cohort: CohortStore) -> None:
    assert not small_cohort.backup_dir.exists()
    assert small_cohort.backups() == []
    assert small_cohort.newest_good_backup() is None


def test_the_newest_good_backup_skips_unreadable_and_empty_ones(
    small_cohort: CohortStore,
) -> None:
    good = small_cohort.backup()
    folder = small_cohort.backup_dir
    now = arrow.utcnow()
    (folder / f"{stamp_of(now.shift(hours=1))}.json").write_text("{pas du json")
    (folder / f"{stamp_of(now.shift(hours=2))}.json").write_text("")
    (folder / f"{stamp_of(now.shift(hours=3))}.json").write_text('{"notes": {"1": {}}}')
    assert len(small_cohort.backups()) == 4
    assert small_cohort.newest_good_backup() == good
    good.unlink()
    assert small_cohort.newest_good_backup() is None


@pytest.mark.parametrize("content,reason", [(b"", "fichier vide"), (b"[]", "not a TinyDB")])
def test_restoring_an_empty_or_unreadable_backup_is_refused_and_names_it(
    small_cohort: CohortStore, tmp_path: Path, content: bytes, reason: str
) -> None:
    backup = tmp_path / "backup.json"
    backup.write_bytes(content)
    before = every_byte(small_cohort.path.parent)
    with pytest.raises(DamagedFile) as caught:
        small_cohort.restore(backup)
    assert caught.value.path == backup and caught.value.backup is None
    assert reason in caught.value.reason
    assert every_byte(small_cohort.path.parent) == before


def test_a_restored_snapshot_is_newer_than_every_generation_seen(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="avant"))
    backup = small_cohort.backup()
    data = json.loads(backup.read_text())
    data["_meta"]["1"]["generation"] = 50
    backup.write_text(json.dumps(data))
    small_cohort.restore(backup)
    assert generation_on_disk(small_cohort.path) == 51
    data["_meta"]["1"]["generation"] = 3
    backup.write_text(json.dumps(data))
    small_cohort.restore(backup)
    assert generation_on_disk(small_cohort.path) == 52
    with open(small_cohort.journal_path, "ab") as journal:  # a line of a newer snapshot
        journal.write(encode_line(80, [{"o": "del", "t": "notes", "i": "x"}]))
    small_cohort.restore(backup)
    assert generation_on_disk(small_cohort.path) == 81
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["avant"]


def test_a_damaged_cohort_is_restored_its_snapshot_and_journal_kept_byte_for_byte(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="avant"))
    backup = small_cohort.backup()
    small_cohort.put(Note(text="après"))
    journal = small_cohort.journal_path.read_bytes()
    small_cohort.path.write_bytes(b"{abime")
    kept = CohortStore(small_cohort.path).restore(backup)
    assert kept.name.endswith(".damaged") and kept.parent == small_cohort.backup_dir
    arrow.get(kept.name.removesuffix(".damaged"), "YYYYMMDDTHHmmssSSSSSS")  # stamped
    assert kept.read_bytes() == b"{abime"
    assert kept.with_name(kept.name.replace(".damaged", ".journal.damaged")).read_bytes() == journal
    assert note_texts(small_cohort.path) == ["avant"]
    small_cohort.journal_path.unlink(missing_ok=True)
    small_cohort.path.write_bytes(b"{encore")
    first = kept
    kept = CohortStore(small_cohort.path).restore(backup)
    assert kept.read_bytes() == b"{encore"
    assert first.read_bytes() == b"{abime"  # each restore keeps its own
    assert [p.name for p in small_cohort.backup_dir.glob("*.journal.damaged")] != []
    assert len(list(small_cohort.backup_dir.glob("*.journal.damaged"))) == 1


def test_a_salvage_is_written_as_a_new_backup_and_refused_in_read_only(
    small_cohort: CohortStore,
) -> None:
    tables = {"notes": {"s": {"id": "s", "text": "sauvée", "kind": "constat"}}}
    path = small_cohort.write_backup(tables, {"generation": 9})
    assert path.parent == small_cohort.backup_dir and path.suffix == ".json"
    assert json.loads(path.read_text())["notes"] == {"1": tables["notes"]["s"]}
    assert json.loads(path.read_text())["_meta"] == {"1": {"generation": 9}}
    with pytest.raises(ReadOnlyStore):
        CohortStore(small_cohort.path, read_only=True).write_backup(tables, {})


# --- reading: what changed on disk, records decoded ----------------------------------


def test_refresh_says_whether_another_store_changed_the_cohort(small_cohort: CohortStore) -> None:
    reader = CohortStore(small_cohort.path)
    assert reader.refresh() is True  # the first read
    assert reader.refresh() is False
    small_cohort.put(Note(text="ailleurs"))
    assert reader.refresh() is True
    assert reader.refresh() is False


def test_a_poll_rebuilds_the_view_only_when_the_cohort_changed(small_cohort: CohortStore) -> None:
    """What both apps' polls do every second: no rebuild while nothing changed; another
    process's write, or this one's own save, gives a new view holding it."""
    from facilitator.view import CohortView

    reader = CohortStore(small_cohort.path)
    first = CohortView.newer(reader, None)
    assert first is not None and first.version == reader.version
    assert CohortView.newer(reader, first) is None
    small_cohort.put(Note(text="ailleurs"))
    other = CohortView.newer(reader, first)
    assert other is not None and [n.text for n in other.notes] == ["ailleurs"]
    assert CohortView.newer(reader, other) is None
    reader.put(Note(text="ici"))  # a save of this app: its view is one version behind
    saved = CohortView.newer(reader, other)
    assert saved is not None and sorted(n.text for n in saved.notes) == ["ailleurs", "ici"]
    assert CohortView.newer(reader, saved) is None


def test_every_way_of_reading_loads_a_store_not_read_yet(small_cohort: CohortStore) -> None:
    note = Note(text="là")
    small_cohort.put(note)
    assert [d["text"] for d in CohortStore(small_cohort.path).docs("notes")] == ["là"]
    assert CohortStore(small_cohort.path).docs("nothing") == []
    assert list(CohortStore(small_cohort.path).all_docs()["notes"]) == [note.id]
    got = CohortStore(small_cohort.path).get(Note, note.id)
    assert got is not None and got.text == "là"
    assert CohortStore(small_cohort.path).get(Note, "absent") is None
    assert small_cohort.generation == 1
    assert CohortStore(small_cohort.path).records(Note)[0].text == "là"
    with small_cohort.locked_read():
        assert [d["text"] for d in small_cohort.docs("notes")] == ["là"]


def test_a_record_that_cannot_be_decoded_names_its_table_id_and_error(
    small_cohort: CohortStore,
) -> None:
    small_cohort.apply([{"o": "put", "t": "notes", "d": {"id": "n", "text": "x"}}])  # no date
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).records(Note)
    assert caught.value.reason == t(
        "store.reason.record", table="notes", id="n", problem="KeyError: 'created'"
    )
    with pytest.raises(DamagedFile) as caught:
        small_cohort._decode(Note, {"text": "x"})
    assert "l'enregistrement ? de la table notes" in caught.value.reason


def test_writing_no_operation_changes_nothing_and_is_still_refused_in_read_only(
    small_cohort: CohortStore,
) -> None:
    before = every_byte(small_cohort.path.parent)
    version = small_cohort.version
    small_cohort.apply([])
    assert every_byte(small_cohort.path.parent) == before
    assert small_cohort.version == version
    with pytest.raises(ReadOnlyStore):
        CohortStore(small_cohort.path, read_only=True).apply([])


def test_a_backup_that_fails_before_the_first_write_does_not_stop_the_write(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    writer = CohortStore(small_cohort.path)
    monkeypatch.setattr(writer, "_write_backup", full)
    writer.put(Note(text="écrite quand même"))
    assert note_texts(small_cohort.path) == ["écrite quand même"]


# --- the lock, read-only, housekeeping -------------------------------------------------


def held_lock(store: CohortStore) -> FileLock:
    return FileLock(str(store.lock_path), thread_local=False)


def test_a_read_only_store_waits_for_a_writer_when_it_may_take_the_lock(
    small_cohort: CohortStore,
) -> None:
    reader = CohortStore(small_cohort.path, read_only=True)
    reader._file_lock.timeout = 0.2
    with held_lock(small_cohort), pytest.raises(store_module.StoreBusy):
        reader.refresh()


@pytest.mark.parametrize("why", ["no lock file", "folder not writable", "read-only mount"])
def test_a_read_only_store_reads_without_the_lock_when_it_may_not_take_it(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    small_cohort.put(Note(text="lue"))
    if why == "no lock file":
        small_cohort.lock_path.unlink()
    elif why == "folder not writable":
        real_access = os.access
        monkeypatch.setattr(
            store_module.os,
            "access",
            lambda path, mode: mode != os.W_OK and real_access(path, mode),
        )
    else:
        monkeypatch.setattr(store_module, "_read_only_mount", lambda folder: True)
    reader = CohortStore(small_cohort.path, read_only=True)
    reader._file_lock.timeout = 0.2
    if why == "no lock file":
        assert [n.text for n in reader.records(Note)] == ["lue"]
        assert not small_cohort.lock_path.exists()
        return
    with held_lock(small_cohort):
        assert [n.text for n in reader.records(Note)] == ["lue"]


def test_a_read_only_mount_is_told_by_the_filesystem_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store_module._read_only_mount(tmp_path) is False
    assert store_module._read_only_mount(tmp_path / "absent") is False
    real = os.statvfs(tmp_path)

    class Flags:
        f_flag = real.f_flag | os.ST_RDONLY

    monkeypatch.setattr(store_module.os, "statvfs", lambda folder: Flags())
    assert store_module._read_only_mount(tmp_path) is True


def test_orphan_temporary_files_of_a_cohort_are_swept_by_its_first_writer_only(
    small_cohort: CohortStore,
) -> None:
    small_cohort.backup()
    stem = small_cohort.path.stem
    folder = small_cohort.path.parent
    orphans = [
        folder / f".{stem}.json.4242.0a0b0c0d.tmp",
        folder / f".{stem}.erasing.4242.0a0b0c0d.tmp",
        small_cohort.backup_dir / ".20260101T000000000000.json.4242.0a0b0c0d.tmp",
    ]
    others = [folder / ".autre.json.4242.0a0b0c0d.tmp", folder / f".{stem}json.1.tmp"]
    for path in (*orphans, *others):
        path.write_text("")
    CohortStore(small_cohort.path, read_only=True).records(Note)
    assert all(path.exists() for path in orphans)
    writer = CohortStore(small_cohort.path)
    writer.records(Note)
    assert not any(path.exists() for path in orphans)
    assert all(path.exists() for path in others)
    orphans[0].write_text("")
    writer.records(Note)  # once per process: a live writer's file is never swept
    assert orphans[0].exists()


def test_the_backups_folders_and_files_are_tightened_by_the_first_writer(
    small_cohort: CohortStore,
) -> None:
    backup = small_cohort.backup()
    for path in (small_cohort.backup_dir.parent, small_cohort.backup_dir):
        os.chmod(path, 0o755)
    os.chmod(backup, 0o644)
    os.chmod(small_cohort.lock_path, 0o666)
    CohortStore(small_cohort.path).records(Note)
    assert stat.S_IMODE(small_cohort.backup_dir.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(small_cohort.backup_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(small_cohort.lock_path.stat().st_mode) == 0o600


def test_a_cohort_whose_snapshot_is_gone_or_not_a_file_says_so(
    small_cohort: CohortStore,
) -> None:
    from facilitator.files import NotARegularFile, StoreError

    small_cohort.path.unlink()
    with pytest.raises(StoreError) as caught:
        CohortStore(small_cohort.path).records(Note)
    assert caught.value.key == "store.error.missing"
    assert str(small_cohort.path) in str(caught.value)
    os.mkfifo(small_cohort.path)
    with pytest.raises(NotARegularFile):
        CohortStore(small_cohort.path).records(Note)


def test_a_snapshot_with_a_bad_record_restored_over_is_still_counted_for_its_generation(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="avant"))
    backup = small_cohort.backup()
    small_cohort.compact()
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"]["generation"] = 40
    data["notes"]["1"]["kind"] = "rumeur"
    small_cohort.path.write_text(json.dumps(data))
    CohortStore(small_cohort.path).restore(backup)
    assert generation_on_disk(small_cohort.path) == 41
    assert note_texts(small_cohort.path) == ["avant"]


# --- damage named precisely ----------------------------------------------------------


def append_lines(store: CohortStore, *lines: bytes) -> None:
    with open(store.journal_path, "ab") as journal:
        journal.write(b"".join(lines))


def test_a_line_with_a_bad_checksum_in_the_middle_of_the_journal_names_its_number(
    small_cohort: CohortStore,
) -> None:
    reader = CohortStore(small_cohort.path)
    small_cohort.put(Note(text="n0"))
    reader.records(Note)  # one line read already: the count goes on from there
    small_cohort.put(Note(text="n1"))
    good = encode_line(small_cohort.generation, [{"o": "del", "t": "notes", "i": "x"}])
    append_lines(small_cohort, good[:-3] + b"X" + good[-2:], good)
    for store in (reader, CohortStore(small_cohort.path)):
        with pytest.raises(DamagedFile) as caught:
            store.refresh()
        assert caught.value.reason == t("store.reason.journal", line=3)


def test_a_line_whose_operation_cannot_be_applied_names_its_number_and_the_problem(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="n0"))
    append_lines(small_cohort, encode_line(small_cohort.generation, [{"o": "zap", "t": "notes"}]))
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).refresh()
    problem = t("store.reason.unknown_op", op="'zap'")
    assert caught.value.reason == t("store.reason.journal_op", line=2, problem=problem)


def test_a_line_of_a_newer_snapshot_names_its_number_and_both_generations(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="n0"))
    append_lines(small_cohort, encode_line(5, [{"o": "del", "t": "notes", "i": "x"}]))
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).refresh()
    assert caught.value.reason == t("store.reason.newer_journal", line=2, journal=5, snapshot=1)


@pytest.mark.parametrize(
    "field,value", [("schema", "one"), ("schema", -1), ("generation", True), ("generation", 1.5)]
)
def test_bad_metadata_names_its_field_and_value(
    small_cohort: CohortStore, field: str, value: object
) -> None:
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"][field] = value
    small_cohort.path.write_text(json.dumps(data))
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).refresh()
    assert caught.value.reason == t("store.reason.bad_meta", field=field, value=repr(value))


def test_a_generation_0_snapshot_is_read(small_cohort: CohortStore) -> None:
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"]["generation"] = 0
    small_cohort.path.write_text(json.dumps(data))
    store = CohortStore(small_cohort.path)
    store.put(Note(text="lue"))
    assert store.generation == 0
    assert note_texts(small_cohort.path) == ["lue"]


def test_a_snapshot_of_a_newer_schema_names_both_schemas(small_cohort: CohortStore) -> None:
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"]["schema"] = 2
    small_cohort.path.write_text(json.dumps(data))
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).refresh()
    assert caught.value.reason == t("store.reason.newer", schema=2, ours=1)


@pytest.mark.parametrize("content", [b"", b"{pas du json", b"\xff\xfe", b"[]"])
def test_an_empty_or_unreadable_snapshot_is_damage_named_with_the_newest_good_backup(
    small_cohort: CohortStore, content: bytes
) -> None:
    backup = small_cohort.backup()
    small_cohort.path.write_bytes(content)
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).refresh()
    assert caught.value.backup == backup
    assert caught.value.path == small_cohort.path
    if not content:
        assert caught.value.reason == t("store.reason.empty")


def test_a_snapshot_we_may_not_read_is_a_permission_problem_not_damage(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(path: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(store_module, "read_nofollow", refused)
    with pytest.raises(PermissionError):
        CohortStore(small_cohort.path).refresh()


def test_a_lock_link_planted_between_the_check_and_the_open_is_refused_by_name(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitator.files import LinkRefused

    store = CohortStore(small_cohort.path)

    def planted(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ELOOP, "Too many levels of symbolic links")

    monkeypatch.setattr(store._file_lock, "acquire", planted)
    with pytest.raises(LinkRefused) as caught:
        store.refresh()
    assert caught.value.path == small_cohort.lock_path

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(store._file_lock, "acquire", broken)
    with pytest.raises(OSError) as error:
        store.refresh()
    assert error.value.errno == errno.EIO


# --- creating, compacting: what the snapshot says about itself ---------------------


def snapshot_meta(path: Path) -> dict[str, object]:
    meta: dict[str, object] = json.loads(path.read_text())["_meta"]["1"]
    return meta


def test_a_new_cohort_holds_every_table_and_says_its_schema_generation_and_app(
    tmp_path: Path,
) -> None:
    from facilitator import __version__

    path = tmp_path / "ws" / "abc.json"
    path.parent.mkdir()
    path.with_suffix(".journal").write_bytes(
        encode_line(1, [put_op(Note(text="d'une cohorte effacée"))])
    )
    store = CohortStore.create(path, [Structure(name="Les Jardins")])
    data = json.loads(path.read_text())
    assert set(data) == {"_meta", *store_module.TABLES}
    assert snapshot_meta(path) == {"schema": 1, "generation": 1, "app": __version__}
    assert not path.with_suffix(".journal").exists()
    assert store.records(Note) == []
    assert [s.name for s in store.records(Structure)] == ["Les Jardins"]


def test_a_cohort_is_never_created_over_an_existing_file_or_link(tmp_path: Path) -> None:
    from facilitator.files import LinkRefused

    path = tmp_path / "abc.json"
    path.write_text("mine")
    with pytest.raises(FileExistsError):
        CohortStore.create(path, [])
    assert path.read_text() == "mine"
    link = tmp_path / "def.json"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(LinkRefused):
        CohortStore.create(link, [])
    assert not (tmp_path / "nowhere").exists()


def test_a_compaction_and_a_restore_write_the_current_schema_and_app(
    small_cohort: CohortStore,
) -> None:
    from facilitator import __version__

    small_cohort.put(Note(text="n"))
    backup = small_cohort.backup()
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"]["app"] = "0.0.1"
    small_cohort.path.write_text(json.dumps(data))
    store = CohortStore(small_cohort.path)
    store.compact()
    assert snapshot_meta(small_cohort.path) == {"schema": 1, "generation": 2, "app": __version__}
    backup_data = json.loads(backup.read_text())
    backup_data["_meta"]["1"]["app"] = "0.0.1"
    backup.write_text(json.dumps(backup_data))
    store.restore(backup)
    assert snapshot_meta(small_cohort.path) == {"schema": 1, "generation": 3, "app": __version__}


def test_a_store_that_compacted_or_created_the_cohort_has_nothing_to_read_again(
    small_cohort: CohortStore, tmp_path: Path
) -> None:
    assert small_cohort.refresh() is False  # made by create
    small_cohort.put(Note(text="n"))
    small_cohort.compact()
    assert small_cohort.refresh() is False
    small_cohort.put(Note(text="après"))
    assert small_cohort.refresh() is False
    assert journal_generations(small_cohort) == [small_cohort.generation]


def test_records_are_decoded_once_and_only_the_written_ones_again(
    small_cohort: CohortStore,
) -> None:
    from facilitator.domain import Participant

    kept, changed = Note(text="gardée"), Note(text="avant")
    small_cohort.put(kept, changed)
    first = {n.id: n for n in small_cohort.records(Note)}
    assert all(a is b for a, b in zip(small_cohort.records(Note), first.values(), strict=True))
    small_cohort.patch(Note, changed.id, {"text": "après"})
    again = {n.id: n for n in small_cohort.records(Note)}
    assert again[kept.id] is first[kept.id]
    assert again[changed.id] is not first[changed.id] and again[changed.id].text == "après"
    people = small_cohort.records(Participant)
    small_cohort.put(Note(text="une autre table"))
    assert all(a is b for a, b in zip(small_cohort.records(Participant), people, strict=True))


def without_generation(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text())
    del data["_meta"]["1"]["generation"]
    data["_meta"]["1"].update(changes)
    path.write_text(json.dumps(data))


def test_a_backup_or_a_damaged_snapshot_without_a_generation_counts_as_generation_0(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="avant"))
    backup = small_cohort.backup()
    without_generation(backup)
    small_cohort.compact()  # the note now in the snapshot, the journal empty
    data = json.loads(small_cohort.path.read_text())
    data["notes"]["1"]["kind"] = "rumeur"  # damaged: the store reads no generation
    small_cohort.path.write_text(json.dumps(data))
    without_generation(small_cohort.path)
    CohortStore(small_cohort.path).restore(backup)
    assert generation_on_disk(small_cohort.path) == 1
    assert note_texts(small_cohort.path) == ["avant"]


@pytest.mark.parametrize("generation", [None, [3], "x"])
def test_a_restore_over_a_snapshot_whose_generation_is_unreadable_still_works(
    small_cohort: CohortStore, generation: object
) -> None:
    small_cohort.put(Note(text="avant"))
    backup = small_cohort.backup()
    data = json.loads(small_cohort.path.read_text())
    data["_meta"]["1"]["generation"] = generation
    small_cohort.path.write_text(json.dumps(data))
    kept = CohortStore(small_cohort.path).restore(backup)
    assert kept.name.endswith(".damaged")
    assert generation_on_disk(small_cohort.path) == 2
    assert note_texts(small_cohort.path) == ["avant"]


def test_a_damaged_cohort_of_a_group_workspace_is_kept_aside_for_the_group(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    os.chmod(root, 0o2770)
    store = CohortStore.create(root / "abc.json", [Structure(name="Les Jardins")])
    store.put(Note(text="n"))
    backup = tmp_path / "backup.json"
    backup.write_bytes(store.path.read_bytes())
    store.path.write_bytes(b"{abime")
    old = os.umask(0o077)
    try:
        kept = CohortStore(store.path).restore(backup)
    finally:
        os.umask(old)
    journal = kept.with_name(kept.name.replace(".damaged", ".journal.damaged"))
    for path in (kept, journal):
        assert oct(stat.S_IMODE(path.stat().st_mode)) == "0o660", path
    for folder in (store.backup_dir.parent, store.backup_dir):
        assert oct(stat.S_IMODE(folder.stat().st_mode)) == "0o2770", folder


def test_a_failed_compaction_names_the_file_the_disk_refused(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cohort.put(Note(text="n"))

    def refused(*args: object) -> None:
        raise OSError(errno.EACCES, "Permission denied", "/ws/backups/refusé")

    monkeypatch.setattr(small_cohort, "_write_snapshot", refused)
    with pytest.raises(WriteFailed) as caught:
        small_cohort.compact()
    assert str(caught.value) == t(
        "store.error.write_failed", path="/ws/backups/refusé", reason="Permission denied"
    )


def test_a_new_journal_of_a_group_workspace_is_the_groups_from_its_creation_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    os.chmod(root, 0o2770)
    store = CohortStore.create(root / "abc.json", [])
    store.backup()  # the first write's backup is made already
    created: list[int] = []
    real_fchmod = os.fchmod

    def fchmod(fd: int, mode: int) -> None:
        created.append(stat.S_IMODE(os.fstat(fd).st_mode))
        real_fchmod(fd, mode)

    old = os.umask(0)
    try:
        monkeypatch.setattr(store_module.os, "fchmod", fchmod)
        store.put(Note(text="première"))
        assert created == [0o660]  # opened with the group's mode, then made sure of it
    finally:
        os.umask(old)
    monkeypatch.undo()
    store.journal_path.unlink()
    old = os.umask(0o077)
    try:
        CohortStore(store.path).put(Note(text="sous un umask strict"))
    finally:
        os.umask(old)
    assert oct(stat.S_IMODE(store.journal_path.stat().st_mode)) == "0o660"
    os.chmod(store.journal_path, 0o600)
    CohortStore(store.path).put(Note(text="un journal existant"))
    assert oct(stat.S_IMODE(store.journal_path.stat().st_mode)) == "0o600"  # never loosened


def test_a_failed_rollback_of_a_refused_write_still_reports_the_disk_s_first_refusal(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cohort.put(Note(text="sûre"))

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def broken(fd: int, size: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(store_module.os, "write", full)
    monkeypatch.setattr(store_module.os, "ftruncate", broken)
    with pytest.raises(WriteFailed) as caught:
        small_cohort.put(Note(text="refusée"))
    assert caught.value.error.errno == errno.ENOSPC


def test_a_damaged_record_in_the_snapshot_is_named_by_its_table_and_id(
    small_cohort: CohortStore,
) -> None:
    data = json.loads(small_cohort.path.read_text(encoding="utf-8"))
    data["notes"] = {"n-abime": {"id": "n-abime", "kind": "constat"}}  # no date
    small_cohort.path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).records(Note)
    assert caught.value.reason == t(
        "store.reason.record", table="notes", id="n-abime", problem="KeyError: 'created'"
    )


def test_a_refused_append_names_the_journal(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module.os, "write", full)
    with pytest.raises(WriteFailed) as caught:
        small_cohort.put(Note(text="perdue ?"))
    assert str(small_cohort.journal_path) in caught.value.message


def test_a_link_in_place_of_the_snapshot_is_refused_by_name(small_cohort: CohortStore) -> None:
    elsewhere = small_cohort.path.with_name("ailleurs.json.bak")
    small_cohort.path.rename(elsewhere)
    small_cohort.path.symlink_to(elsewhere)
    with pytest.raises(LinkRefused) as caught:
        CohortStore(small_cohort.path).records(Note)
    assert str(small_cohort.path) in caught.value.message


def test_a_record_of_an_unknown_kind_in_the_snapshot_is_named_when_the_cohort_opens(
    small_cohort: CohortStore,
) -> None:
    data = json.loads(small_cohort.path.read_text(encoding="utf-8"))
    data["notes"] = {"n-x": {"id": "n-x", "kind": "inconnu", "text": "t"}}
    small_cohort.path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DamagedFile) as caught:
        CohortStore(small_cohort.path).refresh()
    problem = t("store.reason.bad_value", table="notes", field="kind", value="'inconnu'")
    assert caught.value.reason == t("store.reason.record", table="notes", id="n-x", problem=problem)
