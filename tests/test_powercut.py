"""Power cuts at every step of every kind of write: what was said saved is there after.

See tests/helpers/powercut.py for the model: after a cut, a file holds what was
fsynced and a folder the entries its last fsync saw (or, in the "metadata" model,
the entries it has at the cut). Each test cuts the power before each step of one
operation in turn, then opens the cohort as the app would after the power came
back and checks it: it opens, every acknowledged write is there, nothing else is
(the write in flight may or may not be), and it takes a new write.

``bench/durability-mutants`` takes each fsync (and the atomic replace) out in turn:
one of these tests must fail each time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from facilitator import store as store_module
from facilitator.domain import Cohort, Note, Participant, Role, Structure
from facilitator.privacy import forget
from facilitator.store import CohortStore, from_tinydb
from facilitator.workspace import Workspace
from tests.helpers.powercut import Disk, Model, cut_at_every_step

MODELS: list[Model] = ["posix", "metadata"]
NAME = "Quatremare"  # a surname found nowhere else, to look for byte by byte


def the_cohort(root: Path) -> Path:
    [path] = Workspace(root).cohort_files()
    return path


def notes_on(root: Path) -> dict[str, str]:
    """The notes of the cohort under ``root``, opened as the app opens it after a crash,
    which then takes a new write that a fresh reader sees."""
    path = the_cohort(root)
    store = CohortStore(path)
    notes = {n.id: n.text for n in store.records(Note)}
    store.put(Note(text="après la coupure"))
    again = CohortStore(path, read_only=True)
    assert "après la coupure" in {n.text for n in again.records(Note)}
    return notes


def backups_on(root: Path) -> list[Path]:
    folder = root / "backups"
    return sorted(p for p in folder.rglob("*.json")) if folder.is_dir() else []


def assert_every_backup_reads(root: Path) -> None:
    """A backup under its own name is whole: a half-written one never takes the name."""
    for backup in backups_on(root):
        from_tinydb(json.loads(backup.read_bytes()))


def new_cohort(root: Path, *notes: str) -> CohortStore:
    store = Workspace(root).create([Cohort(name="Cohorte coupée"), Structure(name="Les Jardins")])
    for text in notes:
        store.put(Note(text=text))
    return store


def outcome(steps: list[tuple[str, Any]], start: Any) -> tuple[Any, Any]:
    """The state the last acknowledged step left, and the one the step in flight would."""
    done, trying = start, None
    for status, state in steps:
        if status == "ok":
            done, trying = state, None
        else:
            trying = state
    return done, trying


# --- writes, with compactions and backups among them -----------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_a_power_cut_during_writes_and_compactions_loses_no_acknowledged_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    # A compaction every 3 lines and a rotation of the backups within one run.
    monkeypatch.setattr(store_module, "JOURNAL_MAX_LINES", 3)
    monkeypatch.setattr(store_module, "BACKUPS_KEPT", 2)

    def run(root: Path, steps: list[tuple[str, Any]]) -> None:
        store = CohortStore(the_cohort(root))
        state: dict[str, str] = {}
        notes = []
        for n in range(7):
            note = Note(text=f"constat {n}")
            state = {**state, note.id: note.text}
            steps.append(("try", state))
            store.put(note)
            steps.append(("ok", state))
            notes.append(note)
        state = {**state, notes[0].id: "constat 0, revu"}
        steps.append(("try", state))
        store.patch(Note, notes[0].id, {"text": "constat 0, revu"})
        steps.append(("ok", state))
        state = {k: v for k, v in state.items() if k != notes[1].id}
        steps.append(("try", state))
        store.delete(Note, notes[1].id)
        steps.append(("ok", state))

    def check(after: Path, steps: list[tuple[str, Any]], disk: Disk) -> None:
        done, trying = outcome(steps, {})
        found = notes_on(after)
        assert found in (done, trying), f"found {sorted(found.values())}, saved {done}"
        assert_every_backup_reads(after)

    count = cut_at_every_step(
        monkeypatch, lambda root: new_cohort(root), run, check, tmp_path, model=model
    )
    assert count > 60  # appends, three compactions, backups and their rotation


@pytest.mark.parametrize("model", MODELS)
def test_a_power_cut_while_a_cohort_is_created_leaves_none_or_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    """The workspace folder is new too (``--data`` names a folder not made yet)."""

    def run(root: Path, steps: list[Any]) -> None:
        records = [Cohort(name="Cohorte neuve"), Structure(name="Les Jardins")]
        Workspace(root / "espace" / "dla").create(records)
        steps.append("created")

    def check(after: Path, steps: list[Any], disk: Disk) -> None:
        files = Workspace(after / "espace" / "dla").cohort_files()
        if steps or files:
            assert [s.name for s in CohortStore(files[0]).records(Structure)] == ["Les Jardins"]

    cut_at_every_step(monkeypatch, lambda root: root.mkdir(), run, check, tmp_path, model=model)


@pytest.mark.parametrize("model", MODELS)
def test_a_power_cut_during_a_compaction_keeps_every_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    texts = {f"constat {n}" for n in range(5)}

    def run(root: Path, steps: list[Any]) -> None:
        CohortStore(the_cohort(root)).compact()
        steps.append("compacted")

    def check(after: Path, steps: list[Any], disk: Disk) -> None:
        assert set(notes_on(after).values()) == texts
        assert_every_backup_reads(after)

    cut_at_every_step(
        monkeypatch,
        lambda root: new_cohort(root, *sorted(texts)),
        run,
        check,
        tmp_path,
        model=model,
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("first", [True, False], ids=["first-backup", "another-backup"])
def test_a_backup_said_made_survives_a_power_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model, first: bool
) -> None:
    """The first backup of a cohort also makes its folders: they must last as well."""
    texts = set() if first else {"constat"}

    def make(root: Path) -> None:
        new_cohort(root, *texts)
        assert (root / "backups").exists() != first

    def run(root: Path, steps: list[Any]) -> None:
        steps.append(CohortStore(the_cohort(root)).backup().relative_to(root))

    def check(after: Path, steps: list[Any], disk: Disk) -> None:
        assert_every_backup_reads(after)
        if steps:
            tables, _ = from_tinydb(json.loads((after / steps[0]).read_bytes()))
            assert {d["text"] for d in tables["notes"].values()} == texts
        assert set(notes_on(after).values()) == texts

    cut_at_every_step(monkeypatch, make, run, check, tmp_path, model=model)


@pytest.mark.parametrize("model", MODELS)
def test_a_power_cut_during_a_restore_leaves_the_cohort_before_or_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    def make(root: Path) -> None:
        store = new_cohort(root, "avant")
        store.backup()
        store.put(Note(text="après la sauvegarde"))

    def run(root: Path, steps: list[Any]) -> None:
        store = CohortStore(the_cohort(root))
        backup = backups_on(root)[-1]  # the one made after "avant" (the first write made one)
        steps.append(store.restore(backup).relative_to(root))

    def check(after: Path, steps: list[Any], disk: Disk) -> None:
        assert_every_backup_reads(after)
        found = set(notes_on(after).values())
        if steps:
            assert found == {"avant"}
            kept, _ = from_tinydb(json.loads((after / steps[0]).read_bytes()))
            assert {d["text"] for d in kept["notes"].values()} == {"avant", "après la sauvegarde"}
        else:
            assert found in ({"avant"}, {"avant", "après la sauvegarde"})

    cut_at_every_step(monkeypatch, make, run, check, tmp_path, model=model)


# --- forget: once said done, no byte of the person is left --------------------------------


def every_byte(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.parametrize("model", MODELS)
def test_a_power_cut_during_forget_never_leaves_a_person_half_erased(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    def make(root: Path) -> None:
        store = new_cohort(root)
        [jardins] = store.records(Structure)
        person = Participant(structure_id=jardins.id, name=f"Zoé {NAME}", role=Role.DIRECTOR)
        store.put(person)
        store.put(Note(text=f"Zoé {NAME} porte le projet de tiers-lieu", structure_id=jardins.id))
        store.backup()
        store.put(Note(text=f"Zoé {NAME} est aussi trésorière ailleurs"))

    def run(root: Path, steps: list[Any]) -> None:
        store = CohortStore(the_cohort(root))
        [person] = store.records(Participant)
        forget(store, person.id)
        steps.append("forgotten")

    def check(after: Path, steps: list[Any], disk: Disk) -> None:
        if steps:  # said forgotten: not a byte of her, even before the app opens again
            assert NAME.encode() not in every_byte(after)
        path = the_cohort(after)
        Workspace(after).open(path)  # finishes an erasure that was recorded, as the app does
        names = {p.name for p in CohortStore(path, read_only=True).records(Participant)}
        if steps or f"Zoé {NAME}" not in names:
            # Said forgotten, or the cohort no longer names her: then nothing does.
            assert NAME.encode() not in every_byte(after)
        notes_on(after)

    cut_at_every_step(monkeypatch, make, run, check, tmp_path, model=model)


# --- the simulated disk itself -----------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_the_simulated_disk_keeps_only_what_was_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    """If the seam stopped seeing the store's calls, every test above would pass for
    nothing: the disk must forget a write that was never fsynced."""
    from facilitator import files

    root = tmp_path / "disque"
    root.mkdir()
    disk = Disk(root, model=model)
    with disk.installed(monkeypatch):
        files.write_atomic(root / "gardé", "gardé".encode())
        fd = files.os.open(root / "perdu", os.O_WRONLY | os.O_CREAT, 0o600)
        files.os.write(fd, b"jamais synchronise")
        files.os.close(fd)
        fd = files.os.open(root / "gardé", os.O_WRONLY | os.O_APPEND)
        files.os.write(fd, b", et la suite perdue")
        files.os.close(fd)
    assert disk.steps >= 7
    after = disk.power_off()
    assert (after / "gardé").read_bytes() == "gardé".encode()
    if model == "posix":
        assert not (after / "perdu").exists()
    else:
        assert (after / "perdu").read_bytes() == b""
