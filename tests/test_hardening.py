"""The smaller holes of issue 12, point 10, each on real files through the real program."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.domain import Cohort, Note, Session, SessionKind, Structure
from facilitator.store import CohortStore, encode_line
from facilitator.workspace import Workspace
from tests.conftest import ROOT, run_cli
from tests.test_cli import all_bytes, assert_one_sentence_error


def test_folders_made_on_the_way_to_a_workspace_are_private_whatever_the_umask(
    tmp_path: Path,
) -> None:
    code = (
        "import os, sys; os.umask(0); from facilitator.cli import main; "
        f"sys.exit(main(['--data', {str(tmp_path / 'a' / 'b' / 'ws')!r}, 'cohort', 'new', 'C']))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "ws"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


# --- bad metadata: the damaged file and its backup are named, and nothing is written ----


def _rewrite(path: Path, change: object) -> None:
    data = json.loads(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data))


def _meta(value: object) -> object:
    return lambda data: data["_meta"]["1"].__setitem__("schema", value)


def _unknown_kind(data: dict[str, dict[str, dict[str, object]]]) -> None:
    data["notes"]["1"] = {"id": "n1", "kind": "rumeur", "text": "x", "created": "2026-11-02"}


@pytest.mark.parametrize(
    "damage",
    ["schema one", "schema -1", "unknown op", "unknown kind", "unknown kind in the journal"],
)
def test_bad_metadata_names_the_damaged_file_and_stops_writes(
    small_cohort: CohortStore, workspace: Workspace, damage: str
) -> None:
    small_cohort.put(Note(text="avant"))
    small_cohort.backup()
    small_cohort.compact()
    if damage == "schema one":
        _rewrite(small_cohort.path, _meta("one"))
    elif damage == "schema -1":
        _rewrite(small_cohort.path, _meta(-1))
    elif damage == "unknown kind":
        _rewrite(small_cohort.path, _unknown_kind)
    else:
        op = (
            {"o": "zap", "t": "notes", "i": "x"}
            if damage == "unknown op"
            else {"o": "put", "t": "notes", "d": {"id": "n", "kind": "rumeur", "text": "x"}}
        )
        with open(small_cohort.journal_path, "ab") as journal:
            journal.write(encode_line(small_cohort.generation, [op]))  # a valid checksum
    before = all_bytes(workspace.root)
    for args in (("review",), ("capture", "après"), ("list", "structures")):
        done = run_cli(*args, data=workspace.root)
        assert done.returncode == 1, (args, done.stdout)
        assert_one_sentence_error(done.stderr)
        assert "inattendue" not in done.stderr
        assert str(small_cohort.path) in done.stderr and "sauvegarde lisible" in done.stderr
    assert all_bytes(workspace.root) == before  # capture wrote nothing to it


# --- exports hold only what their format can -----------------------------------------


def test_a_control_character_in_a_note_leaves_every_export_readable(
    small_cohort: CohortStore, workspace: Workspace, tmp_path: Path
) -> None:
    import docx

    jardins = small_cohort.records(Structure)[0]
    small_cohort.put(
        Session(kind=SessionKind.BILAN, structure_id=jardins.id, date=dt.date(2027, 6, 3)),
        Session(kind=SessionKind.INTRO, date=dt.date(2026, 12, 3), place="Salle\x0b B\x00"),
        Note(text="collé depuis un PDF\x0c\x1b[31m fin\x7f", structure_id=jardins.id),
    )
    word = tmp_path / "bilan.docx"
    done = run_cli(
        "export", "bilan", "--structure", "jardins", "--format", "docx", "-o", str(word),
        data=workspace.root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "collé depuis un PDF\ufffd\ufffd[31m fin\ufffd" in text
    for args, name in (
        (("export", "bilan", "--structure", "jardins", "--format", "html"), "b.html"),
        (("export", "attendance", "--session", "intro", "--format", "html"), "a.html"),
        (("export", "agenda", "--session", "intro", "--format", "html"), "g.html"),
        (("export", "calendar"), "c.ics"),
    ):
        out = tmp_path / name
        done = run_cli(*args, "-o", str(out), data=workspace.root)
        assert done.returncode == 0, (args, done.stderr)
        body = out.read_text()
        assert not [c for c in body if ord(c) < 32 and c not in "\t\n\r"], (name, body[:300])


def test_a_newline_in_a_cohort_name_keeps_the_calendar_one_line_a_property(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    import icalendar

    cohort = small_cohort.records(Cohort)[0]
    small_cohort.patch(Cohort, cohort.id, {"name": "Cohorte\nDrôme 2026"})
    small_cohort.put(Session(kind=SessionKind.INTRO, date=dt.date(2026, 12, 3)))
    done = run_cli("export", "calendar", data=workspace.root)
    assert done.returncode == 0, done.stderr
    calendar = icalendar.Calendar.from_ical(done.stdout)
    assert str(calendar["x-wr-calname"]) == "Cohorte Drôme 2026"


# --- bad input ----------------------------------------------------------------------


def test_restore_of_an_empty_name_is_bad_input(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    small_cohort.backup()
    small_cohort.put(Note(text="après la sauvegarde"))
    before = all_bytes(workspace.root)
    done = run_cli("restore", "", data=workspace.root)
    assert done.returncode == 2
    assert_one_sentence_error(done.stderr)
    assert all_bytes(workspace.root) == before


def test_an_argument_that_is_not_utf8_is_bad_input(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    env = {**os.environ, "FACILITATOR_LANG": "fr"}
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "--data", str(workspace.root), "capture", b"caf\xe9"],
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 2, done.stderr
    assert_one_sentence_error(done.stderr.decode("utf-8", "replace"))


def test_a_date_far_outside_a_programme_is_bad_input_when_read(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    session = Session(kind=SessionKind.INTRO, date=dt.date(2026, 12, 3))
    small_cohort.put(session)
    small_cohort.patch(Session, session.id, {"date": "9999-12-31"})
    for args in (("review",), ("export", "calendar"), ("export", "report")):
        done = run_cli(*args, data=workspace.root)
        assert done.returncode == 2, (args, done.stderr)
        assert_one_sentence_error(done.stderr)
        assert "9999-12-31" in done.stderr and "2099" in done.stderr


def test_an_ambiguous_name_among_ten_thousand_names_at_most_ten(workspace: Workspace) -> None:
    structures = [Structure(name=f"Association {n:05d}") for n in range(10_000)]
    workspace.create([Cohort(name="Grande"), *structures])
    done = run_cli("capture", "@association une note", "--structure", "asso", data=workspace.root)
    assert done.returncode == 2
    assert_one_sentence_error(done.stderr)
    assert len(done.stderr) < 1000, len(done.stderr)
    assert "Association 00009" in done.stderr and "Association 00010" not in done.stderr
    assert "9990 autre(s)" in done.stderr


# --- read-only means nothing written, not even a lock ------------------------------------


def test_read_only_creates_no_lock_file(small_cohort: CohortStore, workspace: Workspace) -> None:
    small_cohort.lock_path.unlink()
    for args in (
        ("--read-only", "review"),
        ("--read-only", "list", "structures"),
        ("--read-only", "restore"),
        ("--read-only", "capture", "non"),
        ("list", "cohorts"),
        ("check",),
    ):
        run_cli(*args, data=workspace.root)
        assert not small_cohort.lock_path.exists(), args


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "ro"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_listing_and_reading_work_on_a_read_only_mount(read_only_mount: Path) -> None:
    workspace = Workspace(read_only_mount / "ws")
    store = workspace.create([Cohort(name="Copie"), Structure(name="Les Jardins")])
    store.put(Note(text="une note"))
    store.backup()
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    for args in (
        ("list", "cohorts"),
        ("list", "structures"),
        ("restore",),
        ("review",),
        ("check",),
        ("export", "notes"),
    ):
        done = run_cli(*args, data=workspace.root)
        assert done.returncode == 0, (args, done.stderr)
    done = run_cli("capture", "non", data=workspace.root)
    assert done.returncode == 1
    assert_one_sentence_error(done.stderr)
