"""The command line as facilitators script it: real processes on real files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import arrow
import pytest

from facilitator import __version__
from facilitator.domain import Lever, Note, NoteKind, SessionKind, Structure
from facilitator.programme import propose_programme
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from screens.dialogs.programme import short_day
from tests.conftest import ROOT, run_cli
from tests.e2e_helpers import a_programme_start, cohort_today


def all_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.suffix != ".lock"}


def assert_one_sentence_error(stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2, stderr
    assert lines[0].startswith("facilitator: ")


def test_version(tmp_path: Path) -> None:
    done = run_cli("--version", data=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"facilitator {__version__}"


def test_demo_is_created_once_and_listed(tmp_path: Path) -> None:
    first = run_cli("demo", "--no-open", data=tmp_path)
    assert first.returncode == 0, first.stderr
    name = first.stdout.strip()
    assert name
    second = run_cli("demo", "--no-open", data=tmp_path)
    assert second.stdout.strip() == name
    cohorts = run_cli("list", "cohorts", data=tmp_path).stdout.splitlines()
    assert len(cohorts) == 1 and cohorts[0].split("\t")[1] == name
    structures = run_cli("list", "structures", data=tmp_path).stdout.splitlines()
    assert 6 <= len(structures) <= 8
    assert all(len(line.split("\t")) == 2 for line in structures)
    sessions = run_cli("list", "sessions", data=tmp_path).stdout
    assert "État des lieux" in sessions and "Bilan" in sessions


def test_capture_prints_the_id_of_a_durable_note(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    done = run_cli("capture", "frein: @jardins #finances une seule subvention", data=workspace.root)
    assert done.returncode == 0, done.stderr
    note_id = done.stdout.strip()
    note = CohortStore(small_cohort.path).get(Note, note_id)
    assert note is not None
    jardins = next(s for s in small_cohort.records(Structure) if s.name.startswith("Les Jardins"))
    assert (note.kind, note.structure_id, note.lever) == (
        NoteKind.OBSTACLE,
        jardins.id,
        Lever.FINANCIAL,
    )
    assert "subvention" in note.text and "#" not in note.text


def test_capture_options_after_the_subcommand(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    done = run_cli(
        "capture",
        "les bénévoles s'essoufflent",
        "--structure",
        "velo",
        "--kind",
        "constat",
        "--lang",
        "en",
        data=workspace.root,
    )
    assert done.returncode == 0, done.stderr
    note = CohortStore(small_cohort.path).get(Note, done.stdout.strip())
    assert note is not None and note.kind == NoteKind.FINDING
    assert CohortStore(small_cohort.path).get(Structure, note.structure_id or "") is not None


@pytest.mark.parametrize(
    "args,words",
    [
        (["capture", "   "], "vide"),
        (["capture", "constat: @inconnue texte"], "inconnue"),
        (["capture", "texte", "--cohort", "nulle part"], "nulle part"),
        (["capture", "texte", "--session", "bilan"], "structure"),
        (["capture", "texte", "--kind", "nimporte"], "nimporte"),
        (["capture"], "TEXT"),
        (["nonsense"], "nonsense"),
    ],
)
def test_bad_input_is_one_sentence_exit_2_and_changes_nothing(
    small_cohort: CohortStore, workspace: Workspace, args: list[str], words: str
) -> None:
    before = all_bytes(workspace.root)
    done = run_cli(*args, data=workspace.root)
    assert done.returncode == 2, done
    assert_one_sentence_error(done.stderr)
    assert words in done.stderr
    assert all_bytes(workspace.root) == before


def test_errors_follow_the_language(small_cohort: CohortStore, workspace: Workspace) -> None:
    french = run_cli("capture", "  ", data=workspace.root)
    english = run_cli("capture", "  ", "--lang", "en", data=workspace.root)
    assert french.stderr != english.stderr
    assert "empty" in english.stderr.lower()


def test_read_only_refuses_to_write(small_cohort: CohortStore, workspace: Workspace) -> None:
    before = all_bytes(workspace.root)
    done = run_cli("--read-only", "capture", "constat: rien", data=workspace.root)
    assert done.returncode == 1
    assert_one_sentence_error(done.stderr)
    assert "lecture seule" in done.stderr
    assert all_bytes(workspace.root) == before


def test_check_reports_a_damaged_file_and_leaves_it_alone(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    small_cohort.put(Note(text="n"))
    small_cohort.backup()
    ok = run_cli("check", data=workspace.root)
    assert ok.returncode == 0, ok.stdout
    small_cohort.path.write_bytes(b"{ not json")
    before = all_bytes(workspace.root)
    damaged = run_cli("check", data=workspace.root)
    assert damaged.returncode == 1
    assert small_cohort.path.name in damaged.stdout
    assert "backups" in damaged.stdout  # where the newest good backup is
    assert all_bytes(workspace.root) == before
    # Other commands refuse the damaged file without touching it either.
    capture = run_cli("capture", "constat: x", data=workspace.root)
    assert capture.returncode == 1
    assert all_bytes(workspace.root) == before


def test_list_participants_shows_role_and_structure(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    lines = run_cli("list", "participants", data=workspace.root).stdout.splitlines()
    assert any(line.endswith("Paul Morel, président·e, Les Jardins du Lien") for line in lines)


def test_data_folder_from_the_environment(small_cohort: CohortStore, workspace: Workspace) -> None:
    env = {**os.environ, "FACILITATOR_DATA": str(workspace.root), "FACILITATOR_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "list", "structures"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert "Vélo-École de Crest" in done.stdout


def test_an_empty_workspace_says_what_to_do(tmp_path: Path) -> None:
    done = run_cli("list", "structures", data=tmp_path / "empty")
    assert done.returncode == 2
    assert_one_sentence_error(done.stderr)
    assert "facilitator demo" in done.stderr


def test_forget_a_participant_leaves_no_trace_in_any_file(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    from facilitator.domain import Participant

    lea = next(p for p in small_cohort.records(Participant) if p.name == "Léa Bonnet")
    small_cohort.patch(Participant, lea.id, {"email": "lea.bonnet@example.org"})
    small_cohort.put(Note(text="Léa Bonnet porte le projet vélo"))
    small_cohort.backup()
    person = run_cli("export", "person", "--participant", "léa", data=workspace.root)
    assert person.returncode == 0, person.stderr
    assert "lea.bonnet@example.org" in person.stdout and "porte le projet" in person.stdout

    done = run_cli("forget", "--participant", "lea bonnet", data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert "1 note" in done.stdout
    for path in workspace.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"L\xc3\xa9a Bonnet" not in data and b"lea.bonnet" not in data, path


def test_restore_lists_and_brings_back_a_backup(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    small_cohort.put(Note(text="avant l'erreur"))
    backup = small_cohort.backup()
    small_cohort.put(Note(text="l'erreur"))
    listed = run_cli("restore", data=workspace.root)
    assert listed.returncode == 0 and backup.name in listed.stdout
    unknown = run_cli("restore", "nope", data=workspace.root)
    assert unknown.returncode == 2
    assert_one_sentence_error(unknown.stderr)
    done = run_cli("restore", backup.name[:15], data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["avant l'erreur"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_serve_refuses_any_address_but_loopback(tmp_path: Path, host: str) -> None:
    done = run_cli("serve", "--host", host, data=tmp_path)
    assert done.returncode == 2
    assert_one_sentence_error(done.stderr)
    assert "127.0.0.1" in done.stderr


def test_check_warns_but_passes_on_a_healthy_workspace(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    done = run_cli("check", data=workspace.root)
    assert done.returncode == 0
    assert "Attention" not in done.stdout  # a local disk here


def test_nothing_is_written_outside_the_workspace(tmp_path: Path) -> None:
    """Personal data stays in the private workspace: no temporary file in /tmp."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch), "HOME": str(tmp_path / "home")}
    data = tmp_path / "data"
    for args in (
        ["demo", "--no-open"],
        ["capture", "constat: @jardins #rh une note"],
        ["export", "notes", "--format", "json", "-o", str(tmp_path / "notes.json")],
        [
            "export",
            "bilan",
            "--structure",
            "jardins",
            "--format",
            "docx",
            "-o",
            str(tmp_path / "b.docx"),
        ],
        ["review", "--structure", "jardins"],
        ["forget", "--participant", "nadia"],
        ["check"],
    ):
        done = run_cli(*args, data=data, env=env)
        assert done.returncode == 0, (args, done.stderr)
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "home").exists()


# --- the day the end-to-end tests take as today (issue 13) -------------------------------


@pytest.mark.parametrize(
    "utc,timezone,day",
    [
        ("2026-12-31T23:30:00+00:00", None, "2027-01-01"),  # Paris is already tomorrow
        ("2027-06-30T22:30:00+00:00", None, "2027-07-01"),  # summer time: UTC+2
        ("2027-06-30T21:30:00+00:00", None, "2027-06-30"),
        ("2027-01-01T02:00:00+00:00", "America/Martinique", "2026-12-31"),  # still yesterday
        ("2026-12-31T23:30:00+00:00", "Europe/Atlantis", "2026-12-31"),  # unknown: UTC
    ],
)
def test_the_tests_today_is_the_cohorts_not_the_machines(
    utc: str, timezone: str | None, day: str
) -> None:
    assert cohort_today(arrow.get(utc), timezone) == dt.date.fromisoformat(day)


def test_the_tests_today_follows_the_clock_the_program_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 23:30 UTC on 31 December, the machine's date is still the 31st; Paris, where
    the cohort's sessions are, is on 1 January, and so is the day the tests plan from."""
    late = arrow.get("2026-12-31T23:30:00+00:00")
    monkeypatch.setattr(arrow, "utcnow", lambda: late)
    assert cohort_today() == dt.date(2027, 1, 1)


def test_a_programme_start_keeps_its_sessions_where_the_end_to_end_test_expects_them() -> None:
    """Whatever today is (holidays and long months included), the start chosen is a
    Monday weeks ahead, and the programme proposed from it holds the introduction on it
    and the état des lieux six weeks later, written as short as « lun 22 février »."""
    group = [Structure(name="A"), Structure(name="B")]
    today = dt.date(2026, 12, 2)
    while today < dt.date(2028, 1, 1):
        start = a_programme_start(today, longest="lun 22 février")
        assert start.weekday() == 0 and start >= today + dt.timedelta(weeks=8)
        proposed = {s.kind: s.date for s in propose_programme(start, group)}
        assert proposed[SessionKind.INTRO] == start, today
        state_of_play = proposed[SessionKind.STATE_OF_PLAY]
        assert state_of_play == start + dt.timedelta(weeks=6), today
        assert len(short_day(state_of_play)) <= len("lun 22 février"), today
        today += dt.timedelta(days=3)
