"""The store keeps every acknowledged write: crashes, concurrency, damage, permissions."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from facilitator import store as store_module
from facilitator.domain import Note, Structure
from facilitator.store import (
    AtomicJSONStorage,
    CohortStore,
    DamagedFile,
    ReadOnlyStore,
    RecordGone,
    WriteFailed,
    encode_line,
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
    assert sorted(n.text for n in CohortStore(small_cohort.path).records(Note)) == [
        "acquise",
        "suivante",
    ]


def test_stale_journal_after_interrupted_compaction_is_ignored(small_cohort: CohortStore) -> None:
    small_cohort.put(Note(text="une"))
    journal = small_cohort.journal_path.read_bytes()
    small_cohort.compact()
    # As if the compaction had crashed after writing the snapshot, before emptying the journal.
    small_cohort.journal_path.write_bytes(journal)
    reader = CohortStore(small_cohort.path)
    assert [n.text for n in reader.records(Note)] == ["une"]
    reader.put(Note(text="deux"))
    assert sorted(n.text for n in CohortStore(small_cohort.path).records(Note)) == ["deux", "une"]


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


def test_a_failed_replace_during_compaction_keeps_every_write(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cohort.put(Note(text="dans le journal"))
    before = small_cohort.path.read_bytes()

    def refused(src: object, dst: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr("facilitator.files.os.replace", refused)
    with pytest.raises(WriteFailed, match="Permission denied"):
        small_cohort.compact()
    monkeypatch.undo()
    assert small_cohort.path.read_bytes() == before
    assert not list(small_cohort.path.parent.glob(".*.tmp"))
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["dans le journal"]


def test_a_write_whose_compaction_fails_is_still_saved(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "JOURNAL_MAX_LINES", 1)

    def full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("facilitator.files.os.replace", full)
    note = Note(text="acquise malgré tout")
    small_cohort.put(note)  # no error: the journal holds it
    monkeypatch.undo()
    assert CohortStore(small_cohort.path).get(Note, note.id) is not None


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


def test_restore_brings_a_backup_back_and_keeps_the_current_state(
    small_cohort: CohortStore,
) -> None:
    small_cohort.put(Note(text="gardée"))
    backup = small_cohort.backup()
    small_cohort.put(Note(text="plus tard"))
    kept = small_cohort.restore(backup)
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["gardée"]
    assert "plus tard" in kept.read_text()


def test_write_failure_leaves_the_file_intact(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cohort.put(Note(text="sûre"))
    before = (small_cohort.path.read_bytes(), small_cohort.journal_path.read_bytes())

    def disk_full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "write", disk_full)
    with pytest.raises(WriteFailed, match="No space left"):
        small_cohort.put(Note(text="perdue ?"))
    monkeypatch.undo()
    assert (small_cohort.path.read_bytes(), small_cohort.journal_path.read_bytes()) == before
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["sûre"]


def test_read_only_store_refuses_writes_and_changes_no_byte(small_cohort: CohortStore) -> None:
    small_cohort.put(Note(text="là"))
    before = {p: p.read_bytes() for p in small_cohort.path.parent.rglob("*") if p.is_file()}
    store = CohortStore(small_cohort.path, read_only=True)
    assert len(store.records(Note)) == 1
    for write in (
        lambda: store.put(Note(text="non")),
        lambda: store.delete(Note, "x"),
        lambda: store.patch(Note, "x", {"text": "non"}),
        store.compact,
        store.backup,
    ):
        with pytest.raises(ReadOnlyStore):
            write()
    assert {p: p.read_bytes() for p in small_cohort.path.parent.rglob("*") if p.is_file()} == before


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
