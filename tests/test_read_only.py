"""Read-only, everywhere that writes (issue 13).

One guarantee, checked at every entry point that writes: in read-only mode it refuses,
saying it is read-only, and no byte of the workspace changes (every file's bytes and
every file's and folder's mode, the ``.lock`` files aside). Each family (the store, the
workspace, privacy, recovery, the actions, the command line, the screens) lists its
entry points here and a completeness test fails when a new one is not listed: a writer
added tomorrow is covered, or the suite says it is not.

Every refusal case has a control: the same call on a writable copy of the same
workspace succeeds and changes bytes, so a case cannot pass by failing for another
reason (a wrong id, a bad argument).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from facilitator import actions, privacy, recovery
from facilitator.actions import AgendaEdit, ReviewChanges
from facilitator.capture import parse_capture
from facilitator.clock import Action
from facilitator.domain import (
    Cohort,
    Note,
    PreparatoryTask,
    Presence,
    SessionKind,
    Structure,
    TaskStatus,
)
from facilitator.i18n import t
from facilitator.programme import session_plan
from facilitator.store import CohortStore, ReadOnlyStore, put_op
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from tests.conftest import FIXED_NOW, run_cli

NOW = FIXED_NOW

# --- the workspace every case starts from ---------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every file's bytes and mode, every folder's mode; lock files left out (read-only
    may take an existing lock, which rewrites nothing but is not a write of data)."""
    found: dict[str, tuple[int, bytes | None]] = {}
    for folder, _dirs, files in os.walk(root):
        here = Path(folder)
        found[str(here.relative_to(root))] = (os.lstat(here).st_mode, None)
        for name in files:
            path = here / name
            if path.suffix == ".lock":
                continue
            mode = os.lstat(path).st_mode
            data = path.read_bytes() if stat.S_ISREG(mode) else os.readlink(path).encode()
            found[str(path.relative_to(root))] = (mode, data)
    return found


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@dataclass
class World:
    """The demo cohort, lived in: a clock running, an agenda edit to undo, a deleted
    note to bring back, a backup, a pending erasure (in ``pending_root`` only)."""

    root: Path
    ids: dict[str, str]
    edit: AgendaEdit
    deleted: Note
    backup: str  # relative to root
    names: dict[str, str]

    def workspace(self, root: Path | None = None, *, read_only: bool) -> Workspace:
        return Workspace(root or self.root, read_only=read_only)

    def store(self, root: Path | None = None, *, read_only: bool) -> CohortStore:
        return self.workspace(root, read_only=read_only).find(None)


def build_world(root: Path) -> World:
    from facilitator.demo import build_demo

    workspace = Workspace(root)
    store = workspace.create(build_demo(NOW.date()))
    # Not the demo's name any more: ``facilitator demo`` has something to create.
    actions.update_cohort(store, now=NOW, name="Cohorte de la vallée")
    view = CohortView.load(store)
    sessions = {s.kind: s for s in view.sessions if s.kind != SessionKind.BILAN}
    state_of_play = sessions[SessionKind.STATE_OF_PLAY]
    evolution = sessions[SessionKind.EVOLUTION]
    bilan = next(s for s in view.sessions if s.kind == SessionKind.BILAN)
    structure = view.structures[0]
    person = next(p for p in view.participants if p.structure_id == structure.id)
    notes = [n for n in view.notes if n.session_id == state_of_play.id]
    task = store.records(PreparatoryTask)[0]
    actions.press_clock(store, state_of_play.id, Action.START, now=NOW)
    edit = actions.add_agenda_item(store, evolution.id, now=NOW, title="Météo", minutes=10)
    deleted = actions.delete_note(store, notes[-1].id, now=NOW)
    backup = store.backup()
    return World(
        root=root,
        ids={
            "state_of_play": state_of_play.id,
            "evolution": evolution.id,
            "bilan": bilan.id,
            "structure": structure.id,
            "participant": person.id,
            "note": notes[0].id,
            "task": task.id,
        },
        edit=edit,
        deleted=deleted,
        backup=str(backup.relative_to(root)),
        names={"structure": structure.name, "participant": person.name},
    )


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path / "ws")


def writable_copy(world: World, tmp_path: Path) -> Path:
    copy = tmp_path / "control"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(world.root, copy, symlinks=True)
    return copy


def assert_refused(call: Callable[[], object], root: Path) -> None:
    """The read-only guarantee: refused with the read-only sentence, nothing changed."""
    before = snapshot(root)
    with pytest.raises(ReadOnlyStore) as refused:
        call()
    assert refused.value.message == t("store.error.read_only")
    assert changed(before, snapshot(root)) == []


def assert_control_writes(call: Callable[[], object], root: Path) -> None:
    before = snapshot(root)
    call()
    assert changed(before, snapshot(root)), "the control wrote nothing: not a write case"


def public_functions(module: Any) -> set[str]:
    return {
        name
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
    }


# --- the store --------------------------------------------------------------------------

Call = Callable[[CohortStore, World, Path], object]

STORE_WRITES: dict[str, Call] = {
    "put": lambda s, w, r: s.put(Note(text="non")),
    "patch": lambda s, w, r: s.patch(Note, w.ids["note"], {"text": "non"}),
    "delete": lambda s, w, r: s.delete(Note, w.ids["note"]),
    "apply": lambda s, w, r: s.apply([put_op(Note(text="non"))]),
    "compact": lambda s, w, r: s.compact(),
    "backup": lambda s, w, r: s.backup(),
    "restore": lambda s, w, r: s.restore(r / w.backup),
    "write_backup": lambda s, w, r: s.write_backup(s.all_docs(), {"schema": 1, "generation": 1}),
}
STORE_READS = {
    "all_docs",
    "backups",
    "docs",
    "generation",
    "get",
    "holding_lock",
    "locked_read",
    "newest_good_backup",
    "records",
    "refresh",
}
# A classmethod that makes a new file and has no read-only mode of its own: every
# caller goes through Workspace.create, which is guarded (below).
STORE_NO_MODE = {"create"}


def test_every_public_method_of_the_store_is_listed() -> None:
    public = {n for n in vars(CohortStore) if not n.startswith("_")}
    assert public == STORE_WRITES.keys() | STORE_READS | STORE_NO_MODE


@pytest.mark.parametrize("name", sorted(STORE_WRITES))
def test_the_store_refuses_each_write(name: str, world: World, tmp_path: Path) -> None:
    call = STORE_WRITES[name]
    store = world.store(read_only=True)
    assert_refused(lambda: call(store, world, world.root), world.root)
    control = writable_copy(world, tmp_path)
    assert_control_writes(
        lambda: call(world.store(control, read_only=False), world, control), control
    )


def test_reading_the_store_in_read_only_changes_no_byte(world: World) -> None:
    before = snapshot(world.root)
    store = world.store(read_only=True)
    store.refresh()
    with store.locked_read():
        store.docs("notes")
    with store.holding_lock():
        store.all_docs()
    store.records(Note)
    store.get(Note, world.ids["note"])
    store.backups()
    store.newest_good_backup()
    assert store.generation >= 1
    assert changed(before, snapshot(world.root)) == []


# --- the workspace, privacy, recovery -----------------------------------------------------

WORKSPACE_WRITES = {"create", "remember"}
# open and find finish an interrupted erasure, a write: read-only skips it (below).
WORKSPACE_RESUMING = {"open", "find"}
WORKSPACE_READS = {"cohort_files", "entries", "modes", "preference"}


def test_every_public_method_of_the_workspace_is_listed() -> None:
    public = {n for n in vars(Workspace) if not n.startswith("_")}
    assert public == WORKSPACE_WRITES | WORKSPACE_RESUMING | WORKSPACE_READS


def test_creating_a_cohort_in_a_read_only_workspace_is_refused(
    world: World, tmp_path: Path
) -> None:
    def create(root: Path, read_only: bool) -> Callable[[], object]:
        return lambda: Workspace(root, read_only=read_only).create([Cohort(name="Une autre")])

    assert_refused(create(world.root, True), world.root)
    assert_control_writes(create(writable_copy(world, tmp_path), False), tmp_path / "control")


def test_creating_the_first_cohort_of_a_read_only_folder_makes_no_folder(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    with pytest.raises(ReadOnlyStore):
        Workspace(root / "ws", read_only=True).create([Cohort(name="Première")])
    assert not root.exists()


def plant_pending_erasure(world: World, root: Path) -> None:
    """An erasure a kill interrupted: recorded, not done (what ``forget`` writes first)."""
    store = world.store(root, read_only=False)
    identity = privacy.identity_of(store, world.ids["participant"])
    privacy._record(store, {world.ids["participant"]: identity})


RESUMERS: dict[str, Callable[[Workspace, World], object]] = {
    "Workspace.open": lambda ws, w: ws.open(ws.cohort_files()[0]),
    "Workspace.find": lambda ws, w: ws.find(None),
    "privacy.resume_pending": lambda ws, w: privacy.resume_pending(ws._store(ws.cohort_files()[0])),
}


@pytest.mark.parametrize("name", sorted(RESUMERS))
def test_an_interrupted_erasure_is_not_finished_in_read_only(
    name: str, world: World, tmp_path: Path
) -> None:
    """Not refused (opening is a read), but the erasure it would finish is left for a
    writable run: no byte changes."""
    plant_pending_erasure(world, world.root)
    before = snapshot(world.root)
    RESUMERS[name](world.workspace(read_only=True), world)
    assert changed(before, snapshot(world.root)) == []
    assert privacy.pending(world.store(read_only=True))  # still to do
    control = writable_copy(world, tmp_path)
    assert_control_writes(
        lambda: RESUMERS[name](world.workspace(control, read_only=False), world), control
    )


PRIVACY_WRITES: dict[str, Call] = {
    "forget": lambda s, w, r: privacy.forget(s, w.ids["participant"]),
}
PRIVACY_SKIPS = {"resume_pending"}  # silent in read-only: above
PRIVACY_READS = {
    "erasure_path",
    "fold",
    "identity_of",
    "mentions",
    "normalise",
    "pending",
    "person_json",
    "person_record",
    "scrub_tables",  # works on documents in memory; the caller writes them
}
RECOVERY_WRITES: dict[str, Call] = {
    "salvage": lambda s, w, r: recovery.salvage(s),
}
RECOVERY_READS = {"census", "journal_lines", "readable_name", "salvage_state", "writes_lost"}


def test_every_public_function_of_privacy_and_recovery_is_listed() -> None:
    assert public_functions(privacy) == PRIVACY_WRITES.keys() | PRIVACY_SKIPS | PRIVACY_READS
    assert public_functions(recovery) == RECOVERY_WRITES.keys() | RECOVERY_READS


@pytest.mark.parametrize(
    "name", [f"privacy.{n}" for n in PRIVACY_WRITES] + [f"recovery.{n}" for n in RECOVERY_WRITES]
)
def test_privacy_and_recovery_refuse_each_write(name: str, world: World, tmp_path: Path) -> None:
    family, function = name.split(".")
    call = (PRIVACY_WRITES if family == "privacy" else RECOVERY_WRITES)[function]
    store = world.store(read_only=True)
    assert_refused(lambda: call(store, world, world.root), world.root)
    control = writable_copy(world, tmp_path)
    assert_control_writes(
        lambda: call(world.store(control, read_only=False), world, control), control
    )


# --- the actions: every change a person makes ----------------------------------------------


def _state_of_play_items(s: CohortStore, w: World) -> list[Any]:
    view = CohortView.load(s)
    session = view.session(w.ids["state_of_play"])
    assert session is not None
    return list(session_plan(session, view.structures).items)[::-1]


def _other_template(s: CohortStore, w: World) -> str:
    view = CohortView.load(s)
    session = view.session(w.ids["evolution"])
    assert session is not None
    names = [c.name for c in actions.template_choices(s, SessionKind.EVOLUTION)]
    return next(n for n in names if n != session.template)


ACTION_WRITES: dict[str, Call] = {
    "create_cohort": lambda s, w, r: actions.create_cohort(
        Workspace(r, read_only=s.read_only), now=NOW, name="Une autre cohorte"
    ),
    "update_cohort": lambda s, w, r: actions.update_cohort(s, now=NOW, territory="Ardèche"),
    "set_consultant": lambda s, w, r: actions.set_consultant(
        s, now=NOW, name="Claire Petit", days_budgeted=8.0
    ),
    "add_structure": lambda s, w, r: actions.add_structure(s, now=NOW, name="Nouvelle asso"),
    "update_structure": lambda s, w, r: actions.update_structure(
        s, w.ids["structure"], now=NOW, sector="culture"
    ),
    "delete_structure": lambda s, w, r: actions.delete_structure(s, w.ids["structure"], now=NOW),
    "add_participant": lambda s, w, r: actions.add_participant(
        s, now=NOW, name="Zoé Martin", structure_id=w.ids["structure"]
    ),
    "update_participant": lambda s, w, r: actions.update_participant(
        s, w.ids["participant"], now=NOW, email="zoe@example.org"
    ),
    "delete_participant": lambda s, w, r: actions.delete_participant(
        s, w.ids["participant"], now=NOW
    ),
    "forget_participant": lambda s, w, r: actions.forget_participant(
        s, w.ids["participant"], now=NOW
    ),
    "add_session": lambda s, w, r: actions.add_session(
        s, now=NOW, kind=SessionKind.EVOLUTION, date=dt.date(2027, 1, 12)
    ),
    "update_session": lambda s, w, r: actions.update_session(
        s, w.ids["evolution"], now=NOW, place="Ailleurs"
    ),
    "delete_session": lambda s, w, r: actions.delete_session(s, w.ids["evolution"], now=NOW),
    "undo_removal": lambda s, w, r: actions.undo_removal(
        s, _planned_removal(s, w.ids["structure"]), now=NOW
    ),
    "remember_theme": lambda s, w, r: actions.remember_theme(
        Workspace(r, read_only=s.read_only), "nord"
    ),
    "add_agenda_item": lambda s, w, r: actions.add_agenda_item(
        s, w.ids["evolution"], now=NOW, title="Pause", minutes=5
    ),
    "remove_agenda_item": lambda s, w, r: actions.remove_agenda_item(
        s, w.ids["evolution"], 1, now=NOW
    ),
    "move_agenda_item": lambda s, w, r: actions.move_agenda_item(
        s, w.ids["evolution"], 1, 2, now=NOW
    ),
    "resize_agenda_item": lambda s, w, r: actions.resize_agenda_item(
        s, w.ids["evolution"], 1, 20, now=NOW
    ),
    "rename_agenda_item": lambda s, w, r: actions.rename_agenda_item(
        s, w.ids["evolution"], 1, "Autrement", now=NOW
    ),
    "pin_agenda_item": lambda s, w, r: actions.pin_agenda_item(
        s, w.ids["evolution"], 0, None, now=NOW
    ),
    "set_round_table": lambda s, w, r: actions.set_round_table(
        s, w.ids["evolution"], 1, True, now=NOW
    ),
    "undo_agenda_edit": lambda s, w, r: actions.undo_agenda_edit(
        s, w.ids["evolution"], w.edit, now=NOW
    ),
    "change_template": lambda s, w, r: actions.change_template(
        s, w.ids["evolution"], _other_template(s, w), now=NOW
    ),
    "save_agenda_as_template": lambda s, w, r: actions.save_agenda_as_template(
        s, w.ids["evolution"], "Mon modèle", now=NOW
    ),
    "apply_programme": lambda s, w, r: actions.apply_programme(
        s, now=NOW, start=dt.date(2027, 3, 1), redate=True
    ),
    "press_clock": lambda s, w, r: actions.press_clock(
        s, w.ids["state_of_play"], Action.PAUSE, now=NOW.shift(minutes=5)
    ),
    "reset_clock": lambda s, w, r: actions.reset_clock(s, w.ids["state_of_play"], now=NOW),
    "apply_replan": lambda s, w, r: actions.apply_replan(
        s, w.ids["state_of_play"], _state_of_play_items(s, w), now=NOW
    ),
    "mark_attendance": lambda s, w, r: actions.mark_attendance(
        s, w.ids["evolution"], {w.ids["participant"]: Presence.ABSENT}, now=NOW
    ),
    "capture_note": lambda s, w, r: actions.capture_note(
        s, parse_capture("constat: rien", s.records(Structure)), now=NOW
    ),
    "edit_note": lambda s, w, r: actions.edit_note(s, w.ids["note"], now=NOW, text="changé"),
    "delete_note": lambda s, w, r: actions.delete_note(s, w.ids["note"], now=NOW),
    "restore_note": lambda s, w, r: actions.restore_note(s, w.deleted, now=NOW),
    "add_tasks": lambda s, w, r: actions.add_tasks(
        s,
        [
            PreparatoryTask(
                structure_id=w.ids["structure"], title="Lire", before=SessionKind.EVOLUTION
            )
        ],
        now=NOW,
    ),
    "set_task_status": lambda s, w, r: actions.set_task_status(
        s, w.ids["task"], TaskStatus.IN_PROGRESS, now=NOW
    ),
    "save_bilan_review": lambda s, w, r: actions.save_bilan_review(
        s, w.ids["bilan"], ReviewChanges(fields={"comments": "Bien."}), now=NOW
    ),
    "restore_backup": lambda s, w, r: actions.restore_backup(s, r / w.backup, now=NOW),
}
ACTION_READS = {
    "note_values",
    "check_created",
    "check_days",
    "check_email",
    "check_phone",
    "check_structure_name",
    "cohort_of",
    "merged_ratings",
    "new_session",
    "participant_removal",
    "propose",
    "session_removal",
    "structure_removal",
    "template_choices",
    "updated_session",
}


def test_every_public_action_is_listed() -> None:
    """A new action fails here until it is listed, as a write (with a case) or a read."""
    assert public_functions(actions) == ACTION_WRITES.keys() | ACTION_READS


@pytest.mark.parametrize("name", sorted(ACTION_WRITES))
def test_each_action_refuses_in_read_only(name: str, world: World, tmp_path: Path) -> None:
    call = ACTION_WRITES[name]
    store = world.store(read_only=True)
    assert_refused(lambda: call(store, world, world.root), world.root)
    control = writable_copy(world, tmp_path)
    assert_control_writes(
        lambda: call(world.store(control, read_only=False), world, control), control
    )


def _planned_removal(store: CohortStore, structure_id: str) -> actions.Removal:
    """A structure's deletion as planned, not made: undoing it puts its records again."""
    removal = actions.structure_removal(CohortView.load(store), structure_id)
    assert removal is not None
    return removal


# --- the command line ------------------------------------------------------------------------


def cli_leaves() -> set[str]:
    """Every command the parser knows, as typed: ``capture``, ``export notes``, ``agenda pin``."""
    import argparse

    from facilitator.cli import build_parser

    def walk(parser: argparse.ArgumentParser, prefix: str) -> Iterator[str]:
        groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not groups:
            yield prefix
        for group in groups:
            for name, sub in group.choices.items():
                yield from walk(sub, f"{prefix} {name}".strip())

    return set(walk(build_parser(), ""))


# Each command that writes, with arguments that work on the world's copy (the control).
CLI_WRITES: dict[str, Callable[[World], list[str]]] = {
    "demo": lambda w: ["demo", "--no-open"],
    "capture": lambda w: ["capture", "constat: rien de neuf"],
    "forget": lambda w: ["forget", "--participant", w.names["participant"]],
    "restore": lambda w: ["restore", Path(w.backup).name],
    "restore --salvage": lambda w: ["restore", "--salvage"],
    "cohort new": lambda w: ["cohort", "new", "Une autre cohorte"],
    "cohort set": lambda w: ["cohort", "set", "--territory", "Ardèche"],
    "structure add": lambda w: ["structure", "add", "Nouvelle asso"],
    "structure set": lambda w: ["structure", "set", w.names["structure"], "--sector", "culture"],
    "participant add": lambda w: [
        *["participant", "add", "Zoé Martin", "--structure", w.names["structure"]]
    ],
    "participant set": lambda w: [
        *["participant", "set", w.names["participant"], "--email", "zoe@example.org"]
    ],
    "programme propose --apply": lambda w: [
        *["programme", "propose", "--start", "2027-03-01", "--redate", "--apply"]
    ],
    "session add": lambda w: ["session", "add", "evolution", "--date", "2027-01-12"],
    "session set": lambda w: ["session", "set", "evolution", "--place", "Ailleurs"],
    "agenda add": lambda w: ["agenda", "add", "--session", "evolution", "Pause", "--minutes", "5"],
    "agenda remove": lambda w: ["agenda", "remove", "--session", "evolution", "2"],
    "agenda move": lambda w: ["agenda", "move", "--session", "evolution", "2", "--to", "3"],
    "agenda resize": lambda w: [
        *["agenda", "resize", "--session", "evolution", "2", "--minutes", "20"]
    ],
    "agenda rename": lambda w: [
        *["agenda", "rename", "--session", "evolution", "2", "--title", "Autrement"]
    ],
    "agenda pin": lambda w: ["agenda", "pin", "--session", "evolution", "2", "--time", "14:30"],
}
# The import commands of shared/CLI.md, once the parser has them.
CLI_WRITES_TO_COME: dict[str, Callable[[World, Path], list[str]]] = {
    "import structures": lambda w, f: ["import", "structures", str(f)],
    "import participants": lambda w, f: ["import", "participants", str(f)],
}
IMPORT_CSV = {
    "import structures": "nom;création\nLa Ressourcerie;2015\n",
    "import participants": "nom;structure;rôle\nZoé Martin;{structure};autre\n",
}
# Commands that read, each run in read-only below; the TUI ones open the app, whose
# keys are tested on every screen further down.
CLI_READS: dict[str, list[str]] = {
    "list": ["list", "structures"],
    "check": ["check"],
    "review": ["review"],
    "restore": ["restore"],  # without BACKUP: the listing
    "export agenda": ["export", "agenda", "--session", "evolution"],
    "export bilan": ["export", "bilan", "--structure", "{structure}"],
    "export notes": ["export", "notes"],
    "export calendar": ["export", "calendar"],
    "export attendance": ["export", "attendance"],
    "export person": ["export", "person", "--participant", "{participant}"],
    "export report": ["export", "report"],
    "agenda show": ["agenda", "show", "--session", "evolution"],
    "programme propose": ["programme", "propose", "--start", "2027-03-01", "--redate"],
}
CLI_TUI = {"session", "project", "serve"}  # and `facilitator` alone


def test_every_command_is_listed() -> None:
    """A new command fails here until it is listed as one that writes or one that reads."""
    listed = {name.split(" --")[0] for name in CLI_WRITES} | CLI_READS.keys() | CLI_TUI
    listed |= CLI_WRITES_TO_COME.keys() & cli_leaves()
    assert cli_leaves() == listed


def in_process(args: list[str], root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from facilitator.cli import main

    capsys.readouterr()
    code = main(["--data", str(root), *args])
    return code, capsys.readouterr().err


def assert_cli_refused(code: int, err: str) -> None:
    """Exit 1 (an operation failed, shared/CLI.md), one plain sentence saying why."""
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("facilitator: "), err
    assert t("store.error.read_only") in lines[0], err


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACILITATOR_LANG", raising=False)
    monkeypatch.delenv("FACILITATOR_DATA", raising=False)


@pytest.mark.usefixtures("no_environment")
@pytest.mark.parametrize("name", sorted(CLI_WRITES) + sorted(CLI_WRITES_TO_COME))
def test_each_command_that_writes_refuses_with_read_only(
    name: str, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if name in CLI_WRITES:
        args = CLI_WRITES[name](world)
    else:
        if name not in cli_leaves():
            pytest.skip(f"`{name}` is not in the parser yet")
        source = tmp_path / "import.csv"
        source.write_text(IMPORT_CSV[name].format(structure=world.names["structure"]))
        args = CLI_WRITES_TO_COME[name](world, source)
    before = snapshot(world.root)
    for where in (["--read-only", *args], [*args, "--read-only"]):  # before or after
        assert_cli_refused(*in_process(where, world.root, capsys))
        assert changed(before, snapshot(world.root)) == []
    control = writable_copy(world, tmp_path)
    written = snapshot(control)
    code, err = in_process(args, control, capsys)
    assert code == 0, err
    assert changed(written, snapshot(control)), "the control wrote nothing: not a write case"


@pytest.mark.usefixtures("no_environment")
@pytest.mark.parametrize("name", sorted(CLI_READS))
def test_each_command_that_reads_works_in_read_only_and_changes_no_byte(
    name: str, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(**world.names) for a in CLI_READS[name]]
    before = snapshot(world.root)
    code, err = in_process(["--read-only", *args], world.root, capsys)
    assert code == 0, err
    assert changed(before, snapshot(world.root)) == []


@pytest.mark.parametrize("name", ["capture", "forget", "restore"])
def test_the_real_program_refuses_with_read_only(name: str, world: World) -> None:
    """A few through the real program, as a script over SSH runs it."""
    before = snapshot(world.root)
    done = run_cli("--read-only", *CLI_WRITES[name](world), data=world.root)
    assert_cli_refused(done.returncode, done.stderr)
    assert changed(before, snapshot(world.root)) == []


# --- the screens --------------------------------------------------------------------------
#
# Every key of every screen is listed below as one that writes (W) or one that does not
# (R); a key added tomorrow fails the completeness test until it is listed. Each write
# key is then pressed in a read-only app, where it must be disabled (dimmed, and it does
# nothing) or refused with the read-only sentence: never a form, a question or a dialog
# that the store would refuse only once filled in. These lists do not come from the
# screens' own WRITE_ACTIONS, so a write action missing there is seen here.
# (This replaces test_app.py's « every write key » test, which pressed four board keys.)

W, R = "write", "read"
ALL_AGENDA_KEYS = "a d delete K J ctrl+up ctrl+down plus equals_sign minus m f r t T s h u"
SCREEN_KEYS: dict[str, dict[str, str]] = {
    "FacilitatorApp": dict.fromkeys("ctrl+q f1 question_mark ctrl+p 1 2 3 4 f2".split(), R),
    "CohortListScreen": {"enter": R, "n": W, "s": W, "r": W, "a": W, "b": R},
    "BackupsScreen": {"escape": R, "enter": W},
    "DashboardScreen": {"s": W},
    "BoardScreen": {
        **dict.fromkeys("a p e enter d delete o u".split(), W),
        **dict.fromkeys("s tab shift+tab".split(), R),
    },
    "BoardMatrix": {"enter": W},  # edits the structure
    "ParticipantList": {"enter": W},  # edits the person
    "SessionsScreen": {"enter": R, "g": R, **dict.fromkeys("p a e d delete u".split(), W)},
    "AgendaEditorScreen": {"escape": R, **dict.fromkeys(ALL_AGENDA_KEYS.split(), W)},
    "SessionScreen": {
        **dict.fromkeys("space n c p plus equals_sign s r e d delete u z".split(), W),
        **dict.fromkeys("escape f b a m t v g".split(), R),
    },
    "CaptureLine": {"escape": R, "tab": R, "up": R},  # the line itself is disabled: tested below
    "AttendanceScreen": {"escape": R, **dict.fromkeys("space p e x backspace delete t".split(), W)},
    "IntersessionScreen": {"escape": R, "n": W, "plus": W, "space": W},
    "BilanScreen": {"r": W, "s": R, "m": R},
    "ThreadScreen": {"r": W, "s": R, "m": R},
}
# Screens and widgets that show and never write, whatever their keys.
VIEWS = {
    "BilanTable",
    "DashboardScroll",
    "HelpScreen",
    "ProjectorApp",
    "ProjectorScreen",
    "ReadingScreen",
    "ReadingScroll",
    "SynthesisScreen",
}
# Opened only by a write key: the tests below check that none opens in read-only.
DIALOGS = {"ConfirmScreen", "FormScreen", "ProgrammePreviewScreen", "ReplanScreen"}


def bound_keys() -> dict[str, set[str]]:
    """Every class of the app's screens and widgets that declares keys, with them."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import screens

    found: dict[str, set[str]] = {}
    for module_info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            declared = cls.__dict__.get("BINDINGS") or []
            if declared or cls.__dict__.get("WRITE_ACTIONS"):
                keys = found.setdefault(name, set())
                for binding in declared:
                    assert isinstance(binding, Binding), (name, binding)
                    keys.update(k.strip() for k in binding.key.split(","))
    return found


def test_every_key_of_every_screen_is_listed() -> None:
    found = bound_keys()
    assert found.keys() == SCREEN_KEYS.keys() | VIEWS | DIALOGS
    for name, keys in SCREEN_KEYS.items():
        assert found[name] == keys.keys(), name


async def settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def said(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


@contextlib.asynccontextmanager
async def read_only_app(world: World) -> Any:
    from tests.conftest import make_app

    app = make_app(world.workspace(read_only=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert t("tui.read_only") in app.sub_title  # the header says so throughout
        yield app, pilot


async def press_refused(app: Any, pilot: Any, key: str, where: str, *, bound: bool) -> None:
    """One write key, in read-only, opens nothing over this screen. A key of the screen's
    own is disabled (dimmed in the footer, it does nothing); Enter on a list, which comes
    as a selection past the keys' guard, is refused with the read-only sentence."""
    stack = list(app.screen_stack)
    heard = len(said(app))
    active = app.screen.active_bindings.get(key)
    await pilot.press(key)
    await settle(app, pilot)
    assert list(app.screen_stack) == stack, f"{where}: {key} opened {app.screen!r} in read-only"
    if bound:
        assert active is not None and not active.enabled, f"{where}: {key} is not disabled"
    else:
        assert t("store.error.read_only") in said(app)[heard:], f"{where}: {key} is not refused"


async def open_board(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("2")


async def open_board_people(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("2")
    await settle(app, pilot)
    people = app.screen.people
    people.focus()
    people.highlighted = 0
    await pilot.pause()
    assert app.screen._participant_in_focus() is not None


async def open_cohorts(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("f2")


async def open_backups(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("f2")
    await settle(app, pilot)
    await pilot.press("b")  # listing the backups reads: only bringing one back writes


async def open_sessions(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("3")


async def open_agenda(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("3")
    await settle(app, pilot)
    app.open_agenda(w.ids["evolution"])


async def open_session(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("3")
    await settle(app, pilot)
    app.open_session(w.ids["state_of_play"])


async def open_attendance(app: Any, pilot: Any, w: World) -> None:
    await open_session(app, pilot, w)
    await settle(app, pilot)
    await pilot.press("a")


async def open_tasks(app: Any, pilot: Any, w: World) -> None:
    await open_session(app, pilot, w)
    await settle(app, pilot)
    await pilot.press("t")


async def open_bilan(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("4")


async def open_thread(app: Any, pilot: Any, w: World) -> None:
    await pilot.press("4")
    await settle(app, pilot)
    await pilot.press("enter")


def write_keys(*names: str) -> list[str]:
    return [k for name in names for k, kind in SCREEN_KEYS[name].items() if kind == W]


# Where each screen is, and the write keys pressed there; ``LIST_ENTER`` are the
# screens whose list writes on Enter (a selection, which their own keys do not see).
LIST_ENTER = {"BackupsScreen", "AttendanceScreen"}
SCREEN_CASES: dict[str, tuple[Callable[..., Any], str, list[str]]] = {
    "cohort list": (open_cohorts, "CohortListScreen", write_keys("CohortListScreen")),
    "backups": (open_backups, "BackupsScreen", write_keys("BackupsScreen")),
    "dashboard": (lambda app, pilot, w: pilot.pause(), "DashboardScreen", ["s"]),
    "board, a structure": (open_board, "BoardScreen", write_keys("BoardScreen")),
    "board, a person": (open_board_people, "BoardScreen", ["e", "enter", "d", "delete", "o"]),
    "sessions": (open_sessions, "SessionsScreen", write_keys("SessionsScreen")),
    "agenda editor": (open_agenda, "AgendaEditorScreen", write_keys("AgendaEditorScreen")),
    "live session": (open_session, "SessionScreen", write_keys("SessionScreen")),
    "attendance": (open_attendance, "AttendanceScreen", write_keys("AttendanceScreen")),
    "intersession": (open_tasks, "IntersessionScreen", write_keys("IntersessionScreen")),
    "bilan": (open_bilan, "BilanScreen", write_keys("BilanScreen")),
    "thread": (open_thread, "ThreadScreen", write_keys("ThreadScreen")),
}


def test_every_screen_that_writes_has_a_case() -> None:
    screens_with_writes = {
        name for name, keys in SCREEN_KEYS.items() if W in keys.values() and "Screen" in name
    }
    assert {case[1] for case in SCREEN_CASES.values()} == screens_with_writes


@pytest.mark.parametrize("case", sorted(SCREEN_CASES))
async def test_every_write_key_of_each_screen_is_disabled_or_refused(
    case: str, world: World
) -> None:
    opener, screen_name, keys = SCREEN_CASES[case]
    before = snapshot(world.root)
    async with read_only_app(world) as (app, pilot):
        await opener(app, pilot, world)
        await settle(app, pilot)
        assert type(app.screen).__name__ == screen_name
        for key in keys:
            if not (key == "enter" and screen_name in LIST_ENTER):  # the list's, below
                await press_refused(app, pilot, key, case, bound=True)
        if screen_name in LIST_ENTER:
            await press_refused(app, pilot, "enter", case, bound=False)
    assert changed(before, snapshot(world.root)) == []


# --- the UI's own guards ------------------------------------------------------------------
#
# The store refuses every write in read-only mode, so a screen without its own guard
# still writes nothing: it opens a form or a question that fails once answered, or
# loses what was typed. These tests see the screen's guard itself: each would pass with
# the store's guard alone only if no dialog opened and nothing was lost.


async def test_forget_on_the_board_asks_nothing_in_read_only(world: World) -> None:
    """« o » on a person is disabled: no question whose « yes » would then fail; here the
    app even holds a writable store, so only the board's guard stands in the way."""
    from screens.dialogs.confirm import ConfirmScreen

    before = snapshot(world.root)
    async with read_only_app(world) as (app, pilot):
        await open_board_people(app, pilot, world)
        app.store = CohortStore(app.store.path)  # writable: the store would not refuse
        assert not app.screen.active_bindings["o"].enabled
        await pilot.press("o")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")  # « oui », had a question opened
        await settle(app, pilot)
    assert changed(before, snapshot(world.root)) == []


async def test_replan_proposes_nothing_in_read_only(world: World) -> None:
    """« r » on the live screen, clock running, is disabled: no re-plan is proposed that
    the save would then refuse."""
    from screens.dialogs.replan import ReplanScreen

    before = snapshot(world.root)
    async with read_only_app(world) as (app, pilot):
        await open_session(app, pilot, world)
        await settle(app, pilot)
        assert not app.screen.active_bindings["r"].enabled
        await pilot.press("r")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReplanScreen)
        await pilot.press("enter")  # « appliquer », had it opened
        await settle(app, pilot)
    assert changed(before, snapshot(world.root)) == []


async def test_the_capture_line_takes_no_typing_in_read_only(world: World) -> None:
    """The line is disabled: neither « c » nor a click puts the cursor in it, so nothing
    is typed that the save would refuse and throw away."""
    from textual.widgets import Input

    from screens.widgets.capture_line import CaptureLine

    before = snapshot(world.root)
    async with read_only_app(world) as (app, pilot):
        await open_session(app, pilot, world)
        await settle(app, pilot)
        line = app.screen.query_one(CaptureLine).input
        assert line.disabled
        await pilot.press("c")
        await pilot.click(Input)
        await settle(app, pilot)
        assert app.focused is not line
        await pilot.press(*"constat", "enter")
        await settle(app, pilot)
        assert line.value == ""
        assert t("session.note.saved") not in said(app)
    assert changed(before, snapshot(world.root)) == []


async def test_restoring_a_backup_from_the_cohort_list_is_refused_in_read_only(
    world: World,
) -> None:
    """« b » lists the backups (a read); Enter on one says read-only at once, without the
    question. The screen holds a writable store here: only its own guard refuses."""
    from screens.dialogs.backups import BackupsScreen
    from screens.dialogs.confirm import ConfirmScreen

    before = snapshot(world.root)
    async with read_only_app(world) as (app, pilot):
        await open_backups(app, pilot, world)
        await settle(app, pilot)
        assert isinstance(app.screen, BackupsScreen)
        assert app.screen.found  # the listing is there to read
        app.screen.store = CohortStore(app.screen.store.path)  # would not refuse
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert said(app)[-1] == t("store.error.read_only")
        await pilot.press("o")  # « oui », had the question opened
        await settle(app, pilot)
    assert changed(before, snapshot(world.root)) == []


async def test_enter_on_the_sign_in_sheet_marks_no_one_in_read_only(world: World) -> None:
    """Enter on a person comes as a selection, past the keys' guard: refused at once, and
    no mark is shown waiting for a save that will never come."""
    before = snapshot(world.root)
    async with read_only_app(world) as (app, pilot):
        await open_attendance(app, pilot, world)
        await settle(app, pilot)
        sheet = app.screen
        assert sheet.selected_id is not None
        await pilot.press("enter")
        await settle(app, pilot)
        assert said(app)[-1] == t("store.error.read_only")
        assert sheet.pending == {}
    assert changed(before, snapshot(world.root)) == []


async def test_the_read_only_mark_shows_at_80_columns(demo_workspace: Workspace) -> None:
    """The header cuts its end at 80 columns: the mark comes before the cohort's name
    (the demo's is long enough to be cut)."""
    import html
    import re

    from tests.conftest import make_app

    app = make_app(Workspace(demo_workspace.root, read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        svg = app.export_screenshot()  # what the 80 cells show, not the whole title
        shown = html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg)))
        assert t("tui.read_only").replace(" ", "\xa0") in shown.replace(" ", "\xa0")
