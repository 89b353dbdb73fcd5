"""``facilitator check``: read every file of the workspace and say what is wrong.

Each problem is one sentence naming the file, what is wrong and what to do.
Checking never writes: a damaged file stays exactly as it was found.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from facilitator.domain import Note, Participant, Session, Structure
from facilitator.files import TEMP_SUFFIX, LinkRefused, Modes, on_network_filesystem
from facilitator.i18n import t
from facilitator.store import CohortStore, DamagedFile, StoreError


def workspace_warnings(root: Path) -> list[str]:
    """Risks that are not problems yet: a network filesystem where locks may not hold."""
    kind = on_network_filesystem(root)
    return [t("check.network_fs", path=str(root), kind=kind)] if kind else []


def check_workspace(root: Path) -> list[str]:
    if not root.is_dir():
        return [t("check.no_workspace", path=str(root))]
    modes = Modes.for_workspace(root)
    problems: list[str] = []
    problems += _permissions(Path(os.path.realpath(root)), modes)
    problems += [LinkRefused(link).message for link in links_inside(root)]
    for path in sorted(root.glob("*.json")):
        problems += check_cohort(path, modes)
    for tmp in sorted(root.glob(f".*{TEMP_SUFFIX}")):
        problems.append(t("check.orphan_temp", path=str(tmp)))
    return list(dict.fromkeys(problems))  # a link is named once, not per cohort it breaks


def links_inside(root: Path) -> list[Path]:
    """Every symbolic link inside the workspace, found without following any."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted([*dirs, *files]):
            path = Path(folder) / name
            if path.is_symlink():
                found.append(path)
    return sorted(found)


def check_cohort(path: Path, modes: Modes) -> list[str]:
    store = CohortStore(path, read_only=True, modes=modes)
    problems: list[str] = []
    for file in (path, store.journal_path, store.lock_path, store.backup_dir):
        problems += _permissions(file, modes)
    try:
        store.refresh()
    except StoreError as error:
        sentence = recovery_sentence(store) if isinstance(error, DamagedFile) else None
        return [*problems, error.message, *([sentence] if sentence else [])]
    from facilitator.privacy import pending

    for participant_id in pending(store):
        problems.append(t("check.erasing", path=path.name, participant=participant_id))
    structures = {s.id for s in store.records(Structure)}
    sessions = {s.id for s in store.records(Session)}
    for participant in store.records(Participant):
        if participant.structure_id not in structures:
            problems.append(t("check.dangling", path=path.name, what=participant.name))
    for note in store.records(Note):
        if (note.structure_id and note.structure_id not in structures) or (
            note.session_id and note.session_id not in sessions
        ):
            problems.append(t("check.dangling", path=path.name, what=note.text[:40]))
    return problems


def _permissions(path: Path, modes: Modes) -> list[str]:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return []
    if stat.S_ISLNK(st.st_mode):
        return []  # named as a link, and its target is not ours to judge
    allowed = modes.dir if stat.S_ISDIR(st.st_mode) else modes.file
    if stat.S_IMODE(st.st_mode) & ~allowed & 0o777:
        return [
            t(
                "check.loose",
                path=str(path),
                mode=oct(stat.S_IMODE(st.st_mode))[2:],
                wanted=oct(allowed & 0o777)[2:],
            )
        ]
    return []


def recovery_sentence(store: CohortStore) -> str | None:
    """For a damaged cohort: how many acknowledged writes a restore of the newest backup
    would drop, and how many journal lines a salvage keeps."""
    from facilitator.recovery import census

    found = census(store)
    if found is None:
        return None
    if found.backup is None or found.lost_by_restore is None:
        return t("check.census_no_backup", good=found.good_lines, bad=found.bad_lines)
    return t(
        "check.census",
        backup=found.backup.name,
        lost=found.lost_by_restore,
        good=found.good_lines,
        bad=found.bad_lines,
    )
