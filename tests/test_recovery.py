"""A damaged cohort can be brought back from the command line (issue 12, point 3).

By id or by name; what is kept aside holds the snapshot and the journal; ``check``
says how many acknowledged writes a restore would drop; a salvage keeps every
journal line whose checksum is good. Real processes on real files.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.domain import Cohort, Note, Structure
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from tests.conftest import run_cli
from tests.test_cli import assert_one_sentence_error


def capture(workspace: Path, *texts: str, cohort: str | None = None) -> list[str]:
    ids = []
    for text in texts:
        where = ("--cohort", cohort) if cohort else ()
        done = run_cli("capture", text, *where, data=workspace)
        assert done.returncode == 0, done.stderr
        ids.append(done.stdout.strip())
    return ids


def damage_line(store: CohortStore, number: int) -> None:
    """Flip a character of one complete journal line, as a bad sector would."""
    lines = store.journal_path.read_bytes().split(b"\n")
    line = lines[number - 1]
    lines[number - 1] = line[:20] + bytes([line[20] ^ 0x01]) + line[21:]
    store.journal_path.write_bytes(b"\n".join(lines))


def texts(path: Path) -> list[str]:
    return sorted(n.text for n in CohortStore(path, read_only=True).records(Note))


def test_restore_lists_and_brings_back_a_damaged_cohort_by_id(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    capture(workspace.root, "première", "deuxième", "troisième")
    damage_line(small_cohort, 2)
    snapshot, journal = small_cohort.path.read_bytes(), small_cohort.journal_path.read_bytes()

    listed = run_cli("restore", data=workspace.root)
    assert listed.returncode == 0, listed.stderr
    backups = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    assert backups and all(name.endswith(".json") for name in backups)
    assert "illisible" in listed.stderr  # it says the cohort is damaged, and how to come back
    assert "perdrait 2 des 2 écriture(s) confirmée(s)" in listed.stderr, listed.stderr
    assert "--salvage les garde toutes (1 ligne(s) abîmée(s)" in listed.stderr

    checked = run_cli("check", data=workspace.root)
    assert checked.returncode == 1
    assert "perdrait 2 des 2 écriture(s) confirmée(s)" in checked.stdout, checked.stdout

    cohort_id = small_cohort.path.stem
    done = run_cli("restore", "--cohort", cohort_id, backups[0], data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert texts(small_cohort.path) == []  # the backup from before the first capture
    kept = sorted(small_cohort.backup_dir.glob("*.damaged"))  # <time>.damaged, then the journal
    assert [p.name.endswith(".journal.damaged") for p in kept] == [False, True]
    assert kept[0].read_bytes() == snapshot and kept[1].read_bytes() == journal
    assert kept[0].name in done.stdout and kept[1].name in done.stdout


def test_a_damaged_cohort_is_found_by_name_among_others(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    workspace.create([Cohort(name="Autre cohorte"), Structure(name="Ailleurs")])
    capture(workspace.root, "une note", "une autre", cohort="Cohorte d'essai")
    damage_line(small_cohort, 1)

    listed = run_cli("restore", "--cohort", "cohorte d'essai", data=workspace.root)
    assert listed.returncode == 0, listed.stderr
    backup = listed.stdout.splitlines()[0].split("\t")[0]
    done = run_cli("restore", "--cohort", "Cohorte d'essai", backup, data=workspace.root)
    assert done.returncode == 0, done.stderr
    CohortStore(small_cohort.path).refresh()  # readable again: no DamagedFile
    # An unknown name is still an error that lists nothing it should not.
    unknown = run_cli("restore", "--cohort", "inconnue", backup, data=workspace.root)
    assert unknown.returncode == 2
    assert_one_sentence_error(unknown.stderr)


def test_salvage_keeps_every_journal_line_whose_checksum_is_good(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    capture(workspace.root, "première", "deuxième", "troisième", "quatrième")
    damage_line(small_cohort, 2)
    journal = small_cohort.journal_path.read_bytes()

    done = run_cli("restore", "--salvage", "--cohort", small_cohort.path.stem, data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert texts(small_cohort.path) == ["première", "quatrième", "troisième"]
    assert "3 ligne(s)" in done.stdout and "perdues : 2" in done.stdout, done.stdout
    assert [p.read_bytes() for p in small_cohort.backup_dir.glob("*.journal.damaged")] == [journal]
    assert run_cli("check", data=workspace.root).returncode == 0
    # The cohort takes writes again.
    capture(workspace.root, "cinquième")
    assert "cinquième" in texts(small_cohort.path)


def test_salvage_of_an_unreadable_snapshot_starts_from_the_newest_backup(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    capture(workspace.root, "avant", "après")
    small_cohort.path.write_bytes(b'{"notes": {"1": {"id": ')  # a snapshot cut short
    done = run_cli("restore", "--salvage", data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert texts(small_cohort.path) == ["après", "avant"]
    assert {p.name.split(".", 1)[1] for p in small_cohort.backup_dir.glob("*.damaged")} == {
        "damaged",
        "journal.damaged",
    }


def test_restore_needs_a_backup_or_salvage_not_both(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    done = run_cli("restore", "--salvage", "2026", data=workspace.root)
    assert done.returncode == 2
    assert_one_sentence_error(done.stderr)


def test_a_complete_last_line_with_a_bad_checksum_is_damage_not_a_torn_write(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    """Issue 12, point 4: the acknowledged note of that line must not be cut by the
    next write; only an unterminated tail is a write that was never acknowledged."""
    capture(workspace.root, "acquise", "acquise aussi")
    damage_line(small_cohort, 2)  # the last line, newline and all
    before = small_cohort.journal_path.read_bytes()
    assert before.endswith(b"\n")

    done = run_cli("capture", "la suivante", data=workspace.root)
    assert done.returncode == 1, done.stdout
    assert_one_sentence_error(done.stderr)
    assert "la ligne 2 du journal est abîmée" in done.stderr, done.stderr
    assert small_cohort.journal_path.read_bytes() == before  # nothing cut, nothing added
    assert run_cli("check", data=workspace.root).returncode == 1
    # The damaged line is the one lost, and only it, once salvaged.
    assert run_cli("restore", "--salvage", data=workspace.root).returncode == 0
    assert texts(small_cohort.path) == ["acquise"]


def test_an_unterminated_tail_is_still_a_torn_write(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    capture(workspace.root, "acquise")
    with open(small_cohort.journal_path, "ab") as journal:
        journal.write(b'0badc0de {"g": 1, "ops": [')  # a kill -9 in the middle of a write
    capture(workspace.root, "suivante")
    assert texts(small_cohort.path) == ["acquise", "suivante"]


def test_journal_lines_newer_than_the_snapshot_are_damage_not_stale(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    """Issue 12, point 5: as after a sync tool copied an older snapshot back."""
    capture(workspace.root, "avant")
    CohortStore(small_cohort.path).compact()
    older = small_cohort.path.read_bytes()  # what the sync tool will bring back
    capture(workspace.root, "après")
    CohortStore(small_cohort.path).compact()
    capture(workspace.root, "dernière")  # a line of the newest generation only
    small_cohort.path.write_bytes(older)
    journal = small_cohort.journal_path.read_bytes()

    done = run_cli("capture", "encore une", data=workspace.root)
    assert done.returncode == 1, done.stdout
    assert_one_sentence_error(done.stderr)
    assert "plus récente" in done.stderr and "génération 3" in done.stderr, done.stderr
    assert small_cohort.journal_path.read_bytes() == journal  # not trimmed away
    review = run_cli("review", data=workspace.root)
    assert review.returncode == 1 and "génération 3" in review.stderr
    assert run_cli("restore", "--salvage", data=workspace.root).returncode == 0
    assert "dernière" in texts(small_cohort.path)


def test_stale_lines_of_an_older_generation_are_still_ignored(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    """Replaying them would bring back a note deleted since: they are not replayed."""
    capture(workspace.root, "une")
    journal = small_cohort.journal_path.read_bytes()  # the line that puts « une »
    store = CohortStore(small_cohort.path)
    [une] = store.records(Note)
    store.delete(Note, une.id)
    store.compact()
    small_cohort.journal_path.write_bytes(journal)  # as a compaction cut short leaves it
    capture(workspace.root, "deux")
    assert texts(small_cohort.path) == ["deux"]
