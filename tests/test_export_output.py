"""``export -o`` replaces only an absent path or a regular file (issue 12, point 2).

A FIFO, a terminal or another character device is written into as it is, a folder
is refused, and an empty path or one holding NUL is bad input. Real processes.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.domain import Note
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from tests.conftest import run_cli
from tests.test_cli import assert_one_sentence_error


@pytest.fixture
def noted(small_cohort: CohortStore) -> CohortStore:
    small_cohort.put(Note(text="une seule subvention"))
    return small_cohort


def test_a_fifo_is_streamed_into_and_stays_a_fifo(noted: CohortStore, tmp_path: Path) -> None:
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)  # blocked forever if never written
    reader.start()
    done = run_cli("export", "notes", "-o", str(fifo), data=noted.path.parent)
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received, "nothing was written into the FIFO"
    assert b"une seule subvention" in received[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_character_device_is_written_into_not_replaced(
    noted: CohortStore, tmp_path: Path
) -> None:
    null = tmp_path / "null"  # the same device as /dev/null, made where a test may break it
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    done = run_cli("export", "notes", "-o", str(null), data=noted.path.parent)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert null.stat().st_rdev == os.makedev(1, 3)


def test_a_link_to_standard_output_writes_there(noted: CohortStore, tmp_path: Path) -> None:
    link = tmp_path / "sortie"
    link.symlink_to("/proc/self/fd/1")
    done = run_cli("export", "notes", "-o", str(link), data=noted.path.parent)
    assert done.returncode == 0, done.stderr
    assert "une seule subvention" in done.stdout
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_a_regular_file_is_replaced_also_through_a_link(noted: CohortStore, tmp_path: Path) -> None:
    real = tmp_path / "notes.csv"
    real.write_text("ancien contenu")
    link = tmp_path / "dernier.csv"
    link.symlink_to(real)
    done = run_cli("export", "notes", "-o", str(link), data=noted.path.parent)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and "une seule subvention" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_a_folder_and_an_empty_path_are_refused(noted: CohortStore, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for output in (str(folder), "", "   "):
        done = run_cli("export", "notes", "-o", output, data=noted.path.parent)
        assert done.returncode == 2, (output, done.stderr)
        assert_one_sentence_error(done.stderr)
    assert folder.is_dir() and not list(folder.iterdir())
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_path_with_nul_is_bad_input(
    noted: CohortStore, workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """A NUL cannot come through a real argv; a script calling ``main`` can pass one."""
    assert main(["--data", str(workspace.root), "export", "notes", "-o", "a\0b"]) == 2
    err = capsys.readouterr().err
    assert_one_sentence_error(err)
    assert "Erreur inattendue" not in err
