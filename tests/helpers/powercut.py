"""A power cut, simulated: after a crash, a file holds only what was fsynced.

kill -9 cannot test durability: the page cache survives the process, so a write
that was never fsynced is still read back. A power cut loses it. As SQLite's
crash-test VFS does, this module stands between the store and the disk and
keeps, beside the real files, a model of what the disk has *durably*:

- a file's bytes become durable when the file is fsynced (its content then);
- a folder's entries (names, and the files or folders they point to) become
  durable when the folder is fsynced; a file created, renamed, linked or
  unlinked since then is, durably, where the last fsync of its folder left it.

Every call of the store that changes the disk (``os.open`` that creates, ``write``,
``ftruncate``, ``fsync``, ``replace``, ``link``, ``unlink``, ``mkdir``, and
``Path.unlink``) is one *step*. ``Disk(root, crash_at=n)`` lets n - 1 steps happen
and cuts the power just before step n: it writes what the disk durably holds into
a fresh folder (the disk as it is after the power comes back) and raises
:class:`PowerCut`, which no ``except Exception`` of the code under test catches.
:meth:`Disk.power_off` cuts it after the last step, once the code said "saved".

Two models of what survives, from the strictest (POSIX) to a common one:

- ``"posix"``: only what was fsynced, file data and folder entries alike;
- ``"metadata"``: folder entries as they are at the cut (a journaling filesystem
  that commits renames and unlinks on its own), file data only where fsynced.

The seam is the ``os`` name of the modules of ``facilitator`` that hold one (the
store and the file operations): within :meth:`Disk.installed`, it is a proxy that
forwards every call to the real ``os`` and notes the steps.
"""

from __future__ import annotations

import itertools
import os
import shutil
import stat
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal

import pytest

Model = Literal["posix", "metadata"]
Entry = tuple[Literal["file", "dir"], int]
"""What a folder entry points to: a file (by its identity here) or a folder."""


class PowerCut(BaseException):
    """The power went off. A BaseException, so that no ``except Exception`` sees it."""


class _Os(types.ModuleType):
    """``os`` as the code under test sees it: the real one, with steps noted."""

    def __init__(self, disk: Disk) -> None:
        super().__init__("os")
        self._disk = disk

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def open(self, path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if not flags & os.O_CREAT:
            return os.open(path, flags, mode, **kwargs)
        existed = os.path.lexists(path)
        self._disk.step(f"open+create {path}")
        fd = os.open(path, flags, mode, **kwargs)
        if not existed:
            self._disk.created(os.fstat(fd).st_ino)
        return fd

    def write(self, fd: int, data: Any) -> int:
        self._disk.step(f"write {len(data)} bytes to {self._disk.name_of(fd)}")
        return os.write(fd, data)

    def ftruncate(self, fd: int, length: int) -> None:
        self._disk.step(f"ftruncate {self._disk.name_of(fd)} to {length}")
        os.ftruncate(fd, length)

    def fsync(self, fd: int) -> None:
        self._disk.step(f"fsync {self._disk.name_of(fd)}")
        os.fsync(fd)
        self._disk.synced(fd)

    def replace(self, src: Any, dst: Any, **kwargs: Any) -> None:
        self._disk.step(f"replace {dst} by {src}")
        os.replace(src, dst, **kwargs)

    def rename(self, src: Any, dst: Any, **kwargs: Any) -> None:
        self._disk.step(f"rename {src} to {dst}")
        os.rename(src, dst, **kwargs)

    def link(self, src: Any, dst: Any, **kwargs: Any) -> None:
        self._disk.step(f"link {dst} to {src}")
        os.link(src, dst, **kwargs)

    def unlink(self, path: Any, **kwargs: Any) -> None:
        self._disk.step(f"unlink {path}")
        os.unlink(path, **kwargs)

    remove = unlink

    def mkdir(self, path: Any, mode: int = 0o777, **kwargs: Any) -> None:
        self._disk.step(f"mkdir {path}")
        os.mkdir(path, mode, **kwargs)


class Disk:
    """What the disk under ``root`` durably holds, step by step (see the module)."""

    def __init__(self, root: Path, *, crash_at: int | None = None, model: Model = "posix") -> None:
        self.root = root
        self.crash_at = crash_at
        self.model = model
        self.steps = 0
        self.trace: list[str] = []
        self.after: Path | None = None  # the disk after the power came back
        self._ids = itertools.count(1)
        self._identity: dict[int, int] = {}  # inode -> identity of the file it holds now
        self._data: dict[int, bytes] = {}  # identity -> durable bytes
        self._dirs: dict[Path, dict[str, Entry]] = {}  # folder -> durable entries
        for folder, _, _ in os.walk(root):
            self._dirs[Path(folder)] = self._entries(Path(folder), durable_data=True)

    # --- the model ---------------------------------------------------------------

    def _file(self, inode: int) -> int:
        if inode not in self._identity:
            self.created(inode)
        return self._identity[inode]

    def created(self, inode: int) -> None:
        """A new file: nothing of it is durable yet (an inode number may be reused)."""
        identity = next(self._ids)
        self._identity[inode] = identity
        self._data[identity] = b""

    def _entries(self, folder: Path, *, durable_data: bool = False) -> dict[str, Entry]:
        entries: dict[str, Entry] = {}
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    entries[entry.name] = ("dir", 0)
                elif entry.is_file(follow_symlinks=False):
                    identity = self._file(entry.inode())
                    if durable_data:
                        self._data[identity] = Path(entry.path).read_bytes()
                    entries[entry.name] = ("file", identity)
        return entries

    def synced(self, fd: int) -> None:
        if self.after is not None:
            return
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            folder = Path(os.readlink(f"/proc/self/fd/{fd}"))
            self._dirs[folder] = self._entries(folder)
        elif stat.S_ISREG(st.st_mode):
            with open(f"/proc/self/fd/{fd}", "rb") as handle:
                self._data[self._file(st.st_ino)] = handle.read()

    def name_of(self, fd: int) -> str:
        try:
            return os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return f"fd {fd}"

    def step(self, what: str) -> None:
        if self.after is not None:
            return  # the power is off: the code's own clean-up changes nothing durable
        self.steps += 1
        self.trace.append(what)
        if self.steps == self.crash_at:
            self.power_off()
            raise PowerCut(what)

    def power_off(self) -> Path:
        """Cut the power now (once): the disk as it is when the power comes back."""
        if self.after is None:
            self.after = self._power_back()
        return self.after

    def _power_back(self) -> Path:
        after = self.root.with_name(f"{self.root.name}.after-cut-{self.steps}")
        shutil.rmtree(after, ignore_errors=True)
        self._lay_out(self.root, after)
        return after

    def _lay_out(self, folder: Path, into: Path) -> None:
        os.mkdir(into, 0o700)
        if self.model == "metadata" and folder.is_dir():
            entries = self._entries(folder)
        else:
            entries = self._dirs.get(folder, {})
        for name, (kind, identity) in entries.items():
            if kind == "dir":
                self._lay_out(folder / name, into / name)
            else:
                fd = os.open(into / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                try:
                    os.write(fd, self._data.get(identity, b""))
                finally:
                    os.close(fd)

    # --- the seam ----------------------------------------------------------------

    @contextmanager
    def installed(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
        """Route the file operations of ``facilitator`` through this disk."""
        proxy = _Os(self)
        with monkeypatch.context() as patch:
            for name, module in list(sys.modules.items()):
                if name.split(".")[0] == "facilitator" and getattr(module, "os", None) is os:
                    patch.setattr(module, "os", proxy)
            real_unlink = Path.unlink

            def unlink(path: Path, missing_ok: bool = False) -> None:
                if missing_ok and not os.path.lexists(path):
                    return
                self.step(f"unlink {path}")
                real_unlink(path, missing_ok=missing_ok)

            patch.setattr(Path, "unlink", unlink)
            yield self


def cut_at_every_step(
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], None],
    run: Callable[[Path, list[Any]], None],
    check: Callable[[Path, list[Any], Disk], None],
    base: Path,
    *,
    model: Model = "posix",
) -> int:
    """Cut the power before each step of ``run`` in turn; ``check`` the disk each time.

    ``make(root)`` builds the starting workspace (once; each run starts from a copy).
    ``run(root, acknowledged)`` does the work and appends to ``acknowledged`` what the
    code under test said was saved, as soon as it says so. ``check(after, acknowledged,
    disk)`` looks at the disk after the power came back. The first run, without a cut,
    counts the steps (and is checked too). Returns the number of steps.
    """
    template = base / "start"
    make(template)

    def fresh(name: str) -> Path:
        root = base / name
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(template, root, symlinks=True)
        return root

    root = fresh("uncut")
    counting = Disk(root)
    acknowledged: list[Any] = []
    with counting.installed(monkeypatch):
        run(root, acknowledged)
    check(root, acknowledged, counting)
    # Before each step, and once more just after the last one: what was said saved
    # must then be there, from the disk alone.
    for n in range(1, counting.steps + 2):
        root = fresh(f"cut-{n}")
        disk = Disk(root, crash_at=n, model=model)
        acknowledged = []
        with disk.installed(monkeypatch), suppress(PowerCut):
            run(root, acknowledged)
        assert (disk.after is not None) == (n <= counting.steps), "the runs are not alike"
        try:
            check(disk.power_off(), acknowledged, disk)
        except (AssertionError, OSError, ValueError) as error:
            steps = "\n  ".join(f"{i}. {s}" for i, s in enumerate(disk.trace, start=1))
            raise AssertionError(
                f"after a power cut before step {n} ({model}):\n  {steps}\n{error}"
            ) from None
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(disk.after, ignore_errors=True)
    return counting.steps
