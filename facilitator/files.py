"""Private, durable file writes.

Every byte the app keeps goes through here: a write is in a temporary file of
the same directory, fsynced, renamed over the target with ``os.replace`` and the
directory fsynced, so a crash leaves either the old file or the new one, never a
mix. Files are created 0600 and directories 0700 whatever the umask (0660 and
2770 in a shared group workspace, whose directory carries the setgid bit).
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

TEMP_SUFFIX = ".tmp"


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
        except FileNotFoundError:
            pass
        return cls()


PRIVATE = Modes()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(path: Path, modes: Modes = PRIVATE) -> None:
    """Create ``path`` (and parents) and make sure the app's own folder is private."""
    if path.is_dir():
        tighten(path, modes.dir)
        return
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, modes.dir)


def tighten(path: Path, mode: int) -> None:
    """Take away any permission beyond ``mode`` from an existing file or folder."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & ~mode & 0o777:
        os.chmod(path, (current & mode & 0o777) | (current & mode & stat.S_ISGID))


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def write_atomic(
    target: Path, data: bytes, modes: Modes = PRIVATE, *, replace: bool = True
) -> None:
    """Replace ``target`` with ``data``, durably: on disk before this returns.

    With ``replace=False`` the file is only created: an existing ``target`` (even one
    made a moment ago by another process) raises ``FileExistsError`` and is left alone.
    """
    tmp = temp_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, modes.file)
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
    while it holds that lock, so what is found here is an orphan.
    """
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
    """The network filesystem type under ``path``, where file locks may not hold."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    kind = filesystem_type(probe, mounts)
    return kind if kind in NETWORK_FILESYSTEMS else None
