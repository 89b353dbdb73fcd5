"""The file layer: private durable writes, links and special files refused, mounts read."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from facilitator import files
from facilitator.files import (
    PARENT_MODE,
    PRIVATE,
    LinkRefused,
    Modes,
    NotARegularFile,
    ensure_dir,
    ensure_root,
    filesystem_type,
    is_link,
    on_network_filesystem,
    open_nofollow,
    read_nofollow,
    refuse_link,
    sweep_temp_files,
    temp_path,
    tighten,
    write_atomic,
)

GROUP = Modes(file=0o660, dir=0o2770)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# --- modes ---------------------------------------------------------------------------


def test_a_setgid_folder_is_a_group_workspace_and_any_other_a_private_one(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    assert Modes.for_workspace(shared) == GROUP
    assert Modes.for_workspace(tmp_path) == PRIVATE == Modes(file=0o600, dir=0o700)
    assert Modes.for_workspace(tmp_path / "absent") == PRIVATE
    (tmp_path / "a-file").write_text("")
    assert Modes.for_workspace(tmp_path / "a-file" / "ws") == PRIVATE


@pytest.mark.parametrize(
    "before,mode,after",
    [
        (0o666, 0o600, 0o600),
        (0o640, 0o600, 0o600),
        (0o604, 0o600, 0o600),
        (0o400, 0o600, 0o400),  # permissions are only ever taken away, never added
        (0o664, 0o660, 0o660),
        (0o2775, 0o2770, 0o2770),  # a group workspace keeps its setgid bit
        (0o2775, 0o700, 0o700),  # a private one does not take it
    ],
)
def test_tighten_takes_away_only_the_permissions_beyond_the_mode(
    tmp_path: Path, before: int, mode: int, after: int
) -> None:
    target = tmp_path / "entry"
    target.mkdir() if before & stat.S_ISGID else target.write_text("x")
    os.chmod(target, before)
    tighten(target, mode)
    assert oct(mode_of(target)) == oct(after)


def test_tighten_leaves_an_entry_alone_when_nothing_is_beyond_the_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "entry"
    target.write_text("x")
    os.chmod(target, 0o2600)  # a setgid bit on a file: nothing beyond 0o777 is judged
    calls: list[int] = []
    monkeypatch.setattr(os, "fchmod", lambda fd, mode: calls.append(mode))
    tighten(target, 0o600)
    assert calls == []


def test_tighten_never_changes_what_a_link_points_to_nor_a_fifo_nor_an_absent_file(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    link = tmp_path / "link"
    link.symlink_to(outside)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o666)
    os.chmod(fifo, 0o666)
    for path in (link, fifo, tmp_path / "absent", tmp_path / "absent" / "below"):
        tighten(path, 0o600)
    assert mode_of(outside) == 0o644
    assert mode_of(fifo) == 0o666


def test_tighten_raises_what_it_does_not_understand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> int:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "open", broken)
    with pytest.raises(OSError) as caught:
        tighten(tmp_path, 0o700)
    assert caught.value.errno == errno.EIO


def test_an_entry_we_may_not_open_is_tightened_by_its_name_unless_it_is_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not readable by us (a 0200 file of another member): judged by lstat."""
    regular, folder = tmp_path / "regular", tmp_path / "folder"
    regular.write_text("x")
    folder.mkdir()
    os.chmod(regular, 0o644)
    os.chmod(folder, 0o755)
    outside = tmp_path / "outside"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    link = tmp_path / "link"
    link.symlink_to(outside)
    real_open = os.open

    def refused(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).parent == tmp_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refused)
    tighten(regular, 0o600)
    tighten(folder, 0o700)
    tighten(link, 0o600)
    tighten(tmp_path / "absent", 0o600)
    assert mode_of(regular) == 0o600
    assert mode_of(folder) == 0o700
    assert mode_of(outside) == 0o644


# --- links and special files ------------------------------------------------------------


def test_a_link_is_a_link_and_an_absent_entry_or_one_below_a_file_is_not(
    tmp_path: Path,
) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    assert is_link(tmp_path / "link")
    assert not is_link(tmp_path / "file")
    assert not is_link(tmp_path / "absent")
    assert not is_link(tmp_path / "file" / "below")
    refuse_link(tmp_path / "file")
    refuse_link(tmp_path / "absent")
    with pytest.raises(LinkRefused) as caught:
        refuse_link(tmp_path / "link")
    assert caught.value.path == tmp_path / "link"
    assert str(tmp_path / "link") in str(caught.value)


def test_opening_a_link_a_folder_or_a_fifo_where_a_file_belongs_is_refused_by_name(
    tmp_path: Path,
) -> None:
    target = tmp_path / "target"
    target.write_text("secret")
    link = tmp_path / "link"
    link.symlink_to(target)
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(LinkRefused):
        open_nofollow(link, os.O_RDONLY)
    with pytest.raises(LinkRefused):
        read_nofollow(link)
    for flags in (os.O_RDONLY, os.O_WRONLY):  # EISDIR, or a folder opened for reading
        with pytest.raises(NotARegularFile) as caught:
            open_nofollow(folder, flags)
        assert caught.value.path == folder
    for flags in (os.O_RDONLY, os.O_WRONLY):  # a FIFO opened, or ENXIO without a reader
        with pytest.raises(NotARegularFile):
            open_nofollow(fifo, flags)
    assert str(fifo) in str(NotARegularFile(fifo))
    with pytest.raises(FileNotFoundError):
        read_nofollow(tmp_path / "absent")
    assert target.read_text() == "secret"


def test_a_file_opened_for_writing_is_created_with_the_mode_asked(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        fd = open_nofollow(tmp_path / "new", os.O_WRONLY | os.O_CREAT, 0o640)
        os.close(fd)
        fd = open_nofollow(tmp_path / "default", os.O_WRONLY | os.O_CREAT)
        os.close(fd)
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "new") == 0o640
    assert mode_of(tmp_path / "default") == 0o600
    assert read_nofollow(tmp_path / "new") == b""


def test_a_refused_open_leaves_no_descriptor_open(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        with pytest.raises(NotARegularFile):
            open_nofollow(folder, os.O_RDONLY)
    assert len(os.listdir("/proc/self/fd")) == before


# --- folders ----------------------------------------------------------------------------


def test_a_new_workspace_and_the_folders_on_the_way_are_made_with_their_modes(
    tmp_path: Path,
) -> None:
    root = tmp_path / "a" / "b" / "ws"
    old = os.umask(0)
    try:
        ensure_root(root, GROUP)
    finally:
        os.umask(old)
    assert oct(mode_of(tmp_path / "a")) == oct(PARENT_MODE) == "0o700"
    assert oct(mode_of(tmp_path / "a" / "b")) == "0o700"
    assert oct(mode_of(root)) == "0o2770"


def test_an_existing_workspace_is_tightened_through_the_link_the_person_made(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    os.chmod(real, 0o755)
    named = tmp_path / "named"
    named.symlink_to(real)
    ensure_root(named)
    assert mode_of(real) == 0o700
    assert named.is_symlink()


def test_a_workspace_where_a_file_is_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError) as caught:
        ensure_root(tmp_path / "file")
    assert caught.value.errno == errno.ENOTDIR
    assert caught.value.strerror == os.strerror(errno.ENOTDIR)
    assert caught.value.filename == str(tmp_path / "file")
    with pytest.raises(NotADirectoryError):
        ensure_root(tmp_path / "file" / "ws")
    assert (tmp_path / "file").read_text() == "x"


def test_a_workspace_folder_made_meanwhile_by_another_process_is_taken_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "a" / "ws"
    real_mkdir = os.mkdir

    def racing(path: object, mode: int = 0o777) -> None:
        real_mkdir(path, mode)  # type: ignore[arg-type]
        raise FileExistsError(errno.EEXIST, "File exists", str(path))

    monkeypatch.setattr(os, "mkdir", racing)
    ensure_root(root)
    assert root.is_dir()


def test_a_folder_of_the_workspace_is_made_private_and_an_existing_one_tightened(
    tmp_path: Path,
) -> None:
    old = os.umask(0)
    try:
        ensure_dir(tmp_path / "new", GROUP)
    finally:
        os.umask(old)
    assert oct(mode_of(tmp_path / "new")) == "0o2770"
    existing = tmp_path / "existing"
    existing.mkdir()
    os.chmod(existing, 0o755)
    ensure_dir(existing)
    assert mode_of(existing) == 0o700


def test_a_link_or_a_file_where_a_folder_of_the_workspace_belongs_is_refused(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.chmod(outside, 0o755)
    (tmp_path / "link").symlink_to(outside)
    (tmp_path / "file").write_text("x")
    with pytest.raises(LinkRefused):
        ensure_dir(tmp_path / "link")
    with pytest.raises(NotARegularFile):
        ensure_dir(tmp_path / "file")
    assert mode_of(outside) == 0o755


@pytest.mark.parametrize("made", ["folder", "link"])
def test_a_folder_made_meanwhile_by_another_process_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: str
) -> None:
    folder = tmp_path / "backups"
    outside = tmp_path / "outside"
    outside.mkdir()
    real_mkdir = os.mkdir

    def racing(path: object, mode: int = 0o777) -> None:
        if made == "folder":
            real_mkdir(path, 0o755)  # type: ignore[arg-type]
            os.chmod(path, 0o755)  # type: ignore[arg-type]
        else:
            Path(str(path)).symlink_to(outside)
        raise FileExistsError(errno.EEXIST, "File exists", str(path))

    monkeypatch.setattr(os, "mkdir", racing)
    if made == "folder":
        ensure_dir(folder)
        assert mode_of(folder) == 0o700
    else:
        with pytest.raises(LinkRefused):
            ensure_dir(folder)


# --- atomic writes ----------------------------------------------------------------------


def test_an_atomic_write_replaces_the_file_with_the_mode_asked_whatever_the_umask(
    tmp_path: Path,
) -> None:
    target = tmp_path / "cohort.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    old = os.umask(0)
    try:
        write_atomic(target, b"new", GROUP)
        write_atomic(tmp_path / "private.json", b"p")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new"
    assert mode_of(target) == 0o660
    assert mode_of(tmp_path / "private.json") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.json", "private.json"]


def test_a_write_made_of_several_os_writes_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:3])))
    write_atomic(tmp_path / "f", b"0123456789")
    assert (tmp_path / "f").read_bytes() == b"0123456789"


def test_a_create_only_write_refuses_an_existing_file_and_leaves_it_alone(
    tmp_path: Path,
) -> None:
    target = tmp_path / "cohort.json"
    write_atomic(target, b"first", replace=False)
    assert target.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        write_atomic(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["cohort.json"]


def test_an_atomic_write_over_a_link_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_text("theirs")
    link = tmp_path / "cohort.json"
    link.symlink_to(outside)
    write_atomic(link, b"ours")
    assert not link.is_symlink()
    assert link.read_bytes() == b"ours"
    assert outside.read_text() == "theirs"


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cohort.json"
    target.write_bytes(b"old")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    monkeypatch.undo()

    def no_replace(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cohort.json"]


def test_a_temporary_file_is_hidden_beside_its_target_and_named_for_it(
    tmp_path: Path,
) -> None:
    target = tmp_path / "abc.json"
    first, second = temp_path(target), temp_path(target)
    assert first.parent == tmp_path
    assert first.name.startswith(f".abc.json.{os.getpid()}.")
    assert first.name.endswith(files.TEMP_SUFFIX) and files.TEMP_SUFFIX == ".tmp"
    assert len(first.name) == len(f".abc.json.{os.getpid()}.") + 8 + 4
    assert first != second


def test_the_sweep_removes_a_killed_writers_temporary_files_of_that_stem_only(
    tmp_path: Path,
) -> None:
    orphans = [temp_path(tmp_path / "abc.json"), temp_path(tmp_path / "abc.erasing")]
    kept = [temp_path(tmp_path / "xyz.json"), tmp_path / "abc.json", tmp_path / ".abc.json"]
    for path in (*orphans, *kept):
        path.write_text("")
    removed = sweep_temp_files(tmp_path, "abc.")
    assert sorted(removed) == sorted(orphans)
    assert sorted(tmp_path.iterdir()) == sorted(kept)
    assert sweep_temp_files(tmp_path, "abc.") == []


def test_a_folder_reached_through_a_link_is_never_swept(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    orphan = temp_path(outside / "abc.json")
    orphan.write_text("")
    (tmp_path / "link").symlink_to(outside)
    with pytest.raises(LinkRefused):
        sweep_temp_files(tmp_path / "link", "abc.")
    assert orphan.exists()


# --- network filesystems ----------------------------------------------------------------

NETWORK_TYPES = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.rclone",
]


@pytest.mark.parametrize("kind", NETWORK_TYPES)
def test_each_network_filesystem_where_locks_may_not_hold_is_recognised(
    tmp_path: Path, kind: str
) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nserver:/x {tmp_path} {kind} rw 0 0\n")
    assert on_network_filesystem(tmp_path, mounts) == kind
    assert frozenset(NETWORK_TYPES) == files.NETWORK_FILESYSTEMS


@pytest.mark.parametrize("kind", ["ext4", "btrfs", "tmpfs", "fuse", "nfsd", "overlay"])
def test_a_local_filesystem_is_not_a_network_one(tmp_path: Path, kind: str) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"server:/x {tmp_path} {kind} rw 0 0\n")
    assert filesystem_type(tmp_path, mounts) == kind
    assert on_network_filesystem(tmp_path, mounts) is None


def test_the_deepest_mount_holding_a_folder_gives_its_type_and_the_last_one_listed_wins(
    tmp_path: Path,
) -> None:
    deep = tmp_path / "srv" / "data"
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"a {tmp_path}/srv/data nfs rw 0 0\n"
        f"b {tmp_path}/srv cifs rw 0 0\n"
        "c / ext4 rw 0 0\n"
        f"d {tmp_path}/srv/data ceph rw 0 0\n"  # mounted over: the later mount is seen
    )
    assert filesystem_type(deep, mounts) == "ceph"
    assert filesystem_type(deep / "ws", mounts) == "ceph"
    assert filesystem_type(tmp_path / "srv" / "data2", mounts) == "cifs"
    assert filesystem_type(tmp_path / "srv", mounts) == "cifs"
    assert filesystem_type(tmp_path / "srvx", mounts) == "ext4"
    assert filesystem_type(tmp_path, mounts) == "ext4"


def test_a_mount_point_with_a_space_is_read_from_its_escaped_form(tmp_path: Path) -> None:
    spaced = tmp_path / "Mes documents"
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/ / ext4 rw 0 0\nnas {str(spaced).replace(' ', chr(92) + '040')} cifs rw\n")
    assert filesystem_type(spaced / "ws", mounts) == "cifs"


def test_short_lines_are_skipped_and_a_line_of_three_fields_is_read(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"\nnfs\n{tmp_path} nfs\nserver {tmp_path} nfs4\n")
    assert filesystem_type(tmp_path, mounts) == "nfs4"
    mounts.write_text(f"\n{tmp_path} nfs\n")
    assert filesystem_type(tmp_path, mounts) is None


def test_an_unreadable_mount_table_or_no_mount_holding_the_folder_is_unknown(
    tmp_path: Path,
) -> None:
    assert filesystem_type(tmp_path, tmp_path / "absent") is None
    assert on_network_filesystem(tmp_path, tmp_path / "absent") is None
    mounts = tmp_path / "mounts"
    mounts.write_text("a /elsewhere nfs rw 0 0\n")
    assert filesystem_type(tmp_path, mounts) is None


def test_a_workspace_not_made_yet_is_judged_by_the_nearest_folder_that_exists(
    tmp_path: Path,
) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/ / ext4 rw 0 0\nsrv {tmp_path} nfs rw 0 0\n")
    assert on_network_filesystem(tmp_path / "a" / "b" / "ws", mounts) == "nfs"


def test_a_mount_point_is_matched_whole_whatever_its_last_letters(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/ / ext4 rw 0 0\nnas {tmp_path}/NAS-X nfs rw 0 0\n")
    assert filesystem_type(tmp_path / "NAS-X" / "ws", mounts) == "nfs"
    assert filesystem_type(tmp_path / "NAS-" / "ws", mounts) == "ext4"


def test_the_mount_point_is_compared_with_the_real_path_of_the_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "named").symlink_to(real)
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/ / ext4 rw 0 0\nsrv {real} nfs rw 0 0\n")
    assert on_network_filesystem(tmp_path / "named", mounts) == "nfs"


def test_a_new_folder_is_private_from_its_creation_not_only_after_its_chmod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between mkdir and chmod, another member could already open a looser folder."""
    seen: list[int] = []
    real_chmod = os.chmod

    def chmod(path: object, mode: int) -> None:
        seen.append(mode_of(Path(str(path))))
        real_chmod(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "chmod", chmod)
    old = os.umask(0)
    try:
        ensure_dir(tmp_path / "backups")
        ensure_root(tmp_path / "a" / "ws")
    finally:
        os.umask(old)
    assert [oct(mode) for mode in seen] == ["0o700", "0o700"]
    assert mode_of(tmp_path / "a") == 0o700


def test_a_temporary_file_gone_before_the_sweep_reaches_it_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = temp_path(tmp_path / "abc.json")
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter([gone]))
    assert sweep_temp_files(tmp_path, "abc.") == [gone]


def test_only_the_missing_folders_on_the_way_to_a_workspace_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []
    real_mkdir = os.mkdir

    def mkdir(path: object, mode: int = 0o777) -> None:
        made.append(Path(str(path)))
        real_mkdir(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", mkdir)
    ensure_root(tmp_path / "a" / "ws")
    assert made == [tmp_path / "a", tmp_path / "a" / "ws"]
    monkeypatch.chdir(tmp_path)
    ensure_root(Path("b") / "ws")  # a relative path stops at the current folder
    assert made[2:] == [Path("b"), Path("b") / "ws"]


def test_a_link_planted_at_the_temporary_files_name_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.write_text("theirs")
    planted = tmp_path / ".cohort.json.guessed.tmp"
    planted.symlink_to(outside)
    monkeypatch.setattr(files, "temp_path", lambda target: planted)
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "cohort.json", b"ours")
    assert outside.read_text() == "theirs"
    assert not (tmp_path / "cohort.json").exists()


def test_a_temporary_file_is_private_from_its_creation_not_only_after_its_chmod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real_fchmod = os.fchmod

    def fchmod(fd: int, mode: int) -> None:
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        real_fchmod(fd, mode)

    monkeypatch.setattr(os, "fchmod", fchmod)
    old = os.umask(0)
    try:
        write_atomic(tmp_path / "cohort.json", b"x")
        write_atomic(tmp_path / "group.json", b"x", GROUP)
    finally:
        os.umask(old)
    assert [oct(mode) for mode in seen] == ["0o600", "0o660"]


def test_a_failed_write_whose_temporary_file_is_gone_already_reports_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failed(src: object, dst: object) -> None:
        os.unlink(src)  # type: ignore[arg-type]
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "replace", failed)
    with pytest.raises(OSError) as caught:
        write_atomic(tmp_path / "cohort.json", b"x")
    assert caught.value.errno == errno.EIO
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_fsynced_as_a_folder_and_a_file_there_is_refused(tmp_path: Path) -> None:
    files.fsync_dir(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        files.fsync_dir(tmp_path / "file")
