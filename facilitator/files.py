"""Private, durable file writes, and workspace files opened without following links.

Every byte the app keeps goes through here: a write is in a temporary file of
the same directory, fsynced, renamed over the target with ``os.replace`` and the
directory fsynced, so a crash leaves either the old file or the new one, never a
mix. Files are created 0600 and directories 0700 whatever the umask (0660 and
2770 in a shared group workspace, whose directory carries the setgid bit).

In a group workspace every member can create entries, so any of them could put a
symbolic link where the journal or a backup folder belongs and have another
member's app append to, truncate, chmod or delete a file of theirs. So files of a
workspace are opened with ``O_NOFOLLOW`` and checked to be regular files, folders
are checked with ``lstat``, and an entry that is a link is refused with a sentence
naming it: nothing is read, written, swept or rotated through it. The workspace
folder itself is the one the person named (``--data``), and may be a link they made.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from facilitator.i18n import Explained

TEMP_SUFFIX = ".tmp"
NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC
PARENT_MODE = 0o700
"""Folders made on the way to a new workspace (``--data a/b/ws``): private too."""


class StoreError(Explained):
    """A problem with a workspace file, to show to a person (what is wrong, what to do).

    Defined here, beside the file operations that raise it, and re-exported by
    :mod:`facilitator.store`, where the rest of its family lives.
    """


class LinkRefused(StoreError):
    """A workspace entry that is a symbolic link: it is never followed."""

    def __init__(self, path: Path | str) -> None:
        super().__init__("files.error.link", path=str(path))
        self.path = Path(path)


class NotARegularFile(StoreError):
    """A workspace entry where a file belongs that is a FIFO, a device or a folder."""

    def __init__(self, path: Path | str) -> None:
        super().__init__("files.error.special", path=str(path))
        self.path = Path(path)


@dataclass(frozen=True)
class Modes:
    """The permissions of a workspace's files and directories."""

    file: int = 0o600
    dir: int = 0o700

    @classmethod
    def for_workspace(cls, root: Path) -> Modes:
        """Private modes, or group modes when the workspace is a setgid directory.

        A shared group workspace is one the facilitators' group owns with the
        setgid bit, so that every file created in it belongs to that group.
        """
        try:
            if root.stat().st_mode & stat.S_ISGID:
                return cls(file=0o660, dir=0o2770)
        except (FileNotFoundError, NotADirectoryError):
            pass
        return cls()


PRIVATE = Modes()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False


def refuse_link(path: Path) -> None:
    """Raise :class:`LinkRefused` when ``path`` is a symbolic link (absent is fine)."""
    if is_link(path):
        raise LinkRefused(path)


def open_nofollow(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` of a workspace file that refuses a link and anything but a regular file.

    ``O_NONBLOCK`` keeps a FIFO planted where a file belongs from blocking the open;
    it changes nothing for a regular file.
    """
    try:
        fd = os.open(path, flags | NOFOLLOW | os.O_NONBLOCK, mode)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LinkRefused(path) from None
        if error.errno in (errno.EISDIR, errno.ENXIO):
            raise NotARegularFile(path) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotARegularFile(path)
    return fd


def read_nofollow(path: Path) -> bytes:
    """The bytes of a workspace file, refusing a link (``FileNotFoundError`` when absent)."""
    fd = open_nofollow(path, os.O_RDONLY)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def ensure_root(path: Path, modes: Modes = PRIVATE) -> None:
    """Create the workspace folder the person named, and the folders on the way to it.

    Folders made on the way are private (0700), whatever the umask: ``mkdir -p``
    would make them 0777 under umask 000. The workspace folder itself may be a
    link the person made; what is inside it may not (see :func:`ensure_dir`).
    """
    if path.is_dir():
        tighten(Path(os.path.realpath(path)), modes.dir)
        return
    missing = []
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PARENT_MODE)  # the workspace's own mode follows
        except FileExistsError:
            continue
        if folder == path:
            os.chmod(folder, modes.dir)
        fsync_dir(folder.parent)  # the new folder's name lasts a power cut too
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))


def ensure_dir(path: Path, modes: Modes = PRIVATE) -> None:
    """Create a folder of the workspace (its parent exists) and make sure it is private.

    A link where the folder belongs is refused: writing, sweeping or rotating
    inside it would act on a folder outside the workspace.
    """
    refuse_link(path)
    if path.is_dir():
        tighten(path, modes.dir)
        return
    try:
        os.mkdir(path, modes.dir)
    except FileExistsError:
        refuse_link(path)  # made a moment ago by another process: a folder, or refused
        if not path.is_dir():
            raise NotARegularFile(path) from None
        tighten(path, modes.dir)
        return
    os.chmod(path, modes.dir)
    fsync_dir(path.parent)  # else a power cut can take the folder, and what is saved in it


def tighten(path: Path, mode: int) -> None:
    """Take away any permission beyond ``mode`` from an existing file or folder.

    The change is made on a descriptor opened without following links, so a link
    planted in the workspace never has its target's permissions changed.
    """
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | os.O_NONBLOCK)
    except PermissionError:
        # Not readable by us (0200...): judge it by lstat, never through a link.
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
            _tighten_mode(st.st_mode, mode, lambda new: os.chmod(path, new))
        return
    except OSError as error:  # absent, a link (ELOOP), or a FIFO without a writer (ENXIO)
        if error.errno in (errno.ENOENT, errno.ELOOP, errno.ENXIO, errno.ENOTDIR):
            return
        raise
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
            _tighten_mode(st.st_mode, mode, lambda new: os.fchmod(fd, new))
    finally:
        os.close(fd)


def _tighten_mode(current_mode: int, mode: int, chmod: Callable[[int], None]) -> None:
    current = stat.S_IMODE(current_mode)
    if current & ~mode & 0o777:
        chmod((current & mode & 0o777) | (current & mode & stat.S_ISGID))


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def write_atomic(
    target: Path, data: bytes, modes: Modes = PRIVATE, *, replace: bool = True
) -> None:
    """Replace ``target`` with ``data``, durably: on disk before this returns.

    With ``replace=False`` the file is only created: an existing ``target`` (even one
    made a moment ago by another process) raises ``FileExistsError`` and is left alone.
    A link at ``target`` is replaced by the file, never written through.
    """
    tmp = temp_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, modes.file)
    try:
        try:
            os.fchmod(fd, modes.file)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # atomic, and refuses an existing name
            tmp.unlink()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def sweep_temp_files(folder: Path, stem: str) -> list[Path]:
    """Remove temporary files a killed writer left behind for ``stem``.

    Callers hold the cohort's lock: a live writer only has a temporary file
    while it holds that lock, so what is found here is an orphan. A folder
    reached through a link is refused, never swept.
    """
    refuse_link(folder)
    removed = []
    for tmp in folder.glob(f".{stem}*{TEMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


NETWORK_FILESYSTEMS = frozenset(
    {
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
    }
)


def filesystem_type(path: Path, mounts: Path = Path("/proc/mounts")) -> str | None:
    """The type of the filesystem holding ``path`` (Linux), or None when unknown."""
    try:
        lines = mounts.read_text().splitlines()
    except OSError:
        return None
    target = os.path.realpath(path)
    best, kind = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, kind = mount_point, parts[2]
    return kind


def on_network_filesystem(path: Path, mounts: Path = Path("/proc/mounts")) -> str | None:
    """The network filesystem type under ``path``, where file locks may not hold.

    A workspace not made yet is judged by where it will be: its real path names the
    mount that will hold it (``os.path.realpath`` needs no file to exist).
    """
    kind = filesystem_type(path, mounts)
    return kind if kind in NETWORK_FILESYSTEMS else None
