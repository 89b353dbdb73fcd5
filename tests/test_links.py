"""A link planted in a group workspace is refused, never followed (issue 12, point 1).

In a shared workspace (setgid, group-writable) any member can replace the journal,
the lock or a backup folder by a symbolic link to a file of another member's. The
member who then runs ``capture`` or ``forget`` must not append to, truncate, chmod or
delete that file: the command refuses with one sentence naming the link.

The attacker is a second Unix user of the workspace's group when the machine allows
it (these tests run as root and create one), else the same user (links planted by
anyone are refused alike). The attacker only runs ``rm`` and ``ln``.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from facilitator.domain import Cohort, Note, Participant, Structure
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from tests.conftest import run_cli
from tests.test_cli import assert_one_sentence_error

GROUP, ATTACKER = "fac_team12", "fac_mallory12"
SECRET = b"a private file of the member running the app\n"


@dataclass(frozen=True)
class Attacker:
    """Who plants the links: another member of the group, or the same account."""

    uid: int | None
    gid: int | None

    def run(self, script: str) -> None:
        def become() -> None:
            if self.uid is not None and self.gid is not None:
                os.setgroups([self.gid])
                os.setgid(self.gid)
                os.setuid(self.uid)

        subprocess.run(["/bin/sh", "-c", script], check=True, preexec_fn=become, timeout=30)

    def plant(self, link: Path, target: Path) -> None:
        """Replace ``link`` (a file or a folder of the workspace) by a link to ``target``."""
        self.run(f"rm -rf '{link}' && ln -s '{target}' '{link}'")


def _second_user() -> tuple[int, int] | str:
    """A Unix user in a group of its own, made for these tests, or why not."""
    if os.geteuid() != 0:
        return "needs root to create a second Unix user"
    if not (shutil.which("useradd") and shutil.which("groupadd")):
        return "useradd/groupadd are not installed"
    try:
        grp.getgrnam(GROUP)
    except KeyError:
        made = subprocess.run(["groupadd", GROUP], capture_output=True, text=True)
        if made.returncode:
            return f"groupadd failed: {made.stderr.strip()}"
    try:
        pwd.getpwnam(ATTACKER)
    except KeyError:
        made = subprocess.run(
            ["useradd", "-M", "-N", "-g", GROUP, "-s", "/usr/sbin/nologin", ATTACKER],
            capture_output=True,
            text=True,
        )
        if made.returncode:
            return f"useradd failed: {made.stderr.strip()}"
    return pwd.getpwnam(ATTACKER).pw_uid, grp.getgrnam(GROUP).gr_gid


@pytest.fixture(scope="module")
def second_user() -> Iterator[tuple[int, int] | str]:
    found = _second_user()
    yield found
    if not isinstance(found, str):
        subprocess.run(["userdel", ATTACKER], capture_output=True)
        subprocess.run(["groupdel", GROUP], capture_output=True)


@dataclass(frozen=True)
class Scene:
    workspace: Path
    private: Path  # a folder of the member running the app, outside the workspace
    cohort: CohortStore
    attacker: Attacker


@pytest.fixture(params=["another-user", "same-user"])
def scene(request: pytest.FixtureRequest, second_user: tuple[int, int] | str) -> Iterator[Scene]:
    if request.param == "another-user":
        if isinstance(second_user, str):
            pytest.skip(second_user)
        attacker = Attacker(*second_user)
    else:
        attacker = Attacker(None, None)
    # Not under pytest's 0700 base: the other member must reach the workspace.
    base = Path(tempfile.mkdtemp(prefix="facilitator-links-", dir="/tmp"))
    try:
        os.chmod(base, 0o711)
        workspace, private = base / "ws", base / "private"
        private.mkdir(mode=0o700)
        workspace.mkdir()
        if attacker.gid is not None:
            os.chown(workspace, -1, attacker.gid)
        os.chmod(workspace, 0o2770)  # the README's group workspace
        cohort = Workspace(workspace).create(
            [Cohort(name="Cohorte partagée"), Structure(name="Les Jardins du Lien")]
        )
        jardins = cohort.records(Structure)[0]
        cohort.put(Participant(structure_id=jardins.id, name="Emma Vidal"))
        cohort.put(Note(text="Emma Vidal propose un poste partagé"))
        yield Scene(workspace, private, cohort, attacker)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def secret_file(scene: Scene, name: str = "secret.txt", mode: int = 0o644) -> Path:
    path = scene.private / name
    path.write_bytes(SECRET)
    os.chmod(path, mode)
    return path


def assert_refused(done: subprocess.CompletedProcess[str], link: Path) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert_one_sentence_error(done.stderr)
    assert str(link) in done.stderr and "lien symbolique" in done.stderr, done.stderr


def test_a_journal_link_is_neither_appended_to_nor_truncated_nor_chmodded(scene: Scene) -> None:
    target = secret_file(scene)
    journal = scene.cohort.journal_path
    scene.attacker.plant(journal, target)

    for args in (("capture", "une note de plus"), ("forget", "--participant", "Emma Vidal")):
        done = run_cli(*args, data=scene.workspace)
        assert_refused(done, journal)
        assert target.read_bytes() == SECRET, args  # not appended to, not truncated
        assert stat.S_IMODE(target.stat().st_mode) == 0o644, args  # not tightened to 0640
    assert journal.is_symlink()  # left where it is for the person to see


def test_a_backup_folder_link_is_never_swept_rotated_or_written_in(scene: Scene) -> None:
    """Rotation keeps 20 backups and the sweep removes ``.*.tmp``: through a link, both
    would delete files of a folder outside the workspace."""
    for n in range(25):
        (scene.private / f"2020010{n % 9 + 1}T0000{n:02d}000000.json").write_text("{}")
    (scene.private / ".brouillon.tmp").write_text("mine")
    before = sorted(p.name for p in scene.private.iterdir())
    backups = scene.cohort.backup_dir
    scene.cohort.backup()  # the folders exist, group-writable as in any group workspace
    scene.attacker.plant(backups, scene.private)

    done = run_cli("capture", "une note de plus", data=scene.workspace)
    assert_refused(done, backups)
    assert sorted(p.name for p in scene.private.iterdir()) == before
    # The whole backups folder planted as a link is refused the same way.
    scene.attacker.plant(backups.parent, scene.private)
    done = run_cli("capture", "une note de plus", data=scene.workspace)
    assert_refused(done, backups.parent)
    assert sorted(p.name for p in scene.private.iterdir()) == before


def test_a_lock_link_is_refused_and_its_target_kept(scene: Scene) -> None:
    target = secret_file(scene)
    lock = scene.cohort.lock_path
    scene.attacker.plant(lock, target)
    done = run_cli("capture", "une note de plus", data=scene.workspace)
    assert_refused(done, lock)
    assert target.read_bytes() == SECRET
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_cohort_file_link_is_listed_checked_and_refused(scene: Scene) -> None:
    copy = scene.private / "copie.json"
    copy.write_bytes(scene.cohort.path.read_bytes())
    os.chmod(copy, 0o644)
    before = copy.read_bytes()
    scene.attacker.plant(scene.cohort.path, copy)

    listed = run_cli("list", "cohorts", data=scene.workspace)
    assert listed.returncode == 0 and "illisible" in listed.stdout, listed
    checked = run_cli("check", data=scene.workspace)
    assert checked.returncode == 1
    assert f"« {scene.cohort.path} » est un lien symbolique" in checked.stdout
    assert checked.stdout.count(str(scene.cohort.path)) == 1, checked.stdout
    done = run_cli(
        "capture", "une note de plus", "--cohort", scene.cohort.path.stem, data=scene.workspace
    )
    assert done.returncode in (1, 2)
    assert_one_sentence_error(done.stderr)
    assert copy.read_bytes() == before and stat.S_IMODE(copy.stat().st_mode) == 0o644


def test_a_link_in_the_presence_folder_is_left_alone(tmp_path: Path) -> None:
    from facilitator.files import PRIVATE
    from facilitator.presence import PresenceBoard

    outside = tmp_path / "outside"
    outside.mkdir()
    host, dead = socket.gethostname(), 2**22 + 12345  # no such process: swept when seen
    ghost = outside / f"{host}-{dead}.json"
    ghost.write_text(
        json.dumps({"user": "u", "host": host, "pid": dead, "since": "2026-01-01", "seen": "x"})
    )
    cohort = tmp_path / "ws" / "c.json"
    cohort.parent.mkdir()
    (cohort.parent / ".presence").mkdir()
    (cohort.parent / ".presence" / "c").symlink_to(outside)
    board = PresenceBoard(cohort, PRIVATE)
    board.announce()
    assert board.others() == []
    board.leave()
    assert [p.name for p in outside.iterdir()] == [ghost.name]
