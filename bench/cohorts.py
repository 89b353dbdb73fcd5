"""The workspaces the bench measures: the demo cohort, copies of it, and bigger cohorts.

Every workspace lives in a temporary directory (never the person's data directory), and
every measure that writes gets its own copy: a started clock or a grown journal would
otherwise change what the next measure sees.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import arrow

from facilitator.agenda import item_title
from facilitator.domain import Lever, Note, NoteKind, Session, SessionKind, Structure
from facilitator.i18n import set_language
from facilitator.programme import session_plan
from facilitator.workspace import Workspace, fold

SESSION_KIND = SessionKind.STATE_OF_PLAY.value
"""The live screen measured: ``facilitator session etat-des-lieux``."""

MARK_CHARS = 20
"""How much of an agenda title to look for: at 80 columns long titles end in an ellipsis."""

SENTENCES = (
    "les bénévoles s'essoufflent et le bureau ne se renouvelle plus",
    "la subvention de fonctionnement baisse de 15 % l'an prochain",
    "piste : mutualiser un poste de coordination avec deux voisins",
    "le conseil d'administration découvre le budget le jour du vote",
    "la mairie propose un local, à condition d'ouvrir le samedi",
    "les adhérents paient en retard, la trésorerie tient trois mois",
    "une fondation soutiendrait l'investissement mais pas le fonctionnement",
)


def facilitator_command() -> Path:
    """The ``facilitator`` entry point installed beside the Python running the bench."""
    command = Path(sys.executable).parent / "facilitator"
    if not command.exists():
        raise SystemExit(f"bench: no facilitator entry point beside {sys.executable}")
    return command


def temp_root(parent: Path, prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def make_demo(parent: Path) -> Path:
    """A workspace holding the demo cohort, made the way a person makes it."""
    root = temp_root(parent, "demo-")
    subprocess.run(
        [str(facilitator_command()), "--data", str(root), "demo", "--no-open"],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=60,
    )
    return root


def copy_workspace(template: Path, parent: Path, prefix: str = "copy-") -> Path:
    """A fresh copy of a workspace: measures that write never see each other's writes."""
    root = temp_root(parent, prefix)
    shutil.copytree(template, root, dirs_exist_ok=True)
    return root


def cohort_file(root: Path) -> Path:
    files = Workspace(root).cohort_files()
    if len(files) != 1:
        raise RuntimeError(f"expected one cohort in {root}, found {len(files)}")
    return Path(files[0])


def note_for(structures: list[Structure], sessions: list[Session], index: int) -> Note:
    """A note shaped like the ones said in a session: a sentence, a structure, a lever."""
    rng = random.Random(index)
    return Note(
        kind=rng.choice([NoteKind.FINDING, NoteKind.OBSTACLE, NoteKind.ACTION, NoteKind.QUESTION]),
        text=f"{rng.choice(SENTENCES)} ({index})",
        structure_id=rng.choice(structures).id,
        session_id=sessions[index % len(sessions)].id,
        lever=rng.choice([*Lever, None]),
        author="bench",
        created=arrow.utcnow().shift(minutes=-index),
    )


def grow(root: Path, total_notes: int) -> None:
    """Top the cohort up to ``total_notes`` notes in one write, then compact.

    The notes are spread over every session of the programme, as in a cohort whose
    sessions have all been held. One ``apply`` and a compaction leave a snapshot and an
    empty journal, as a long-lived cohort is between two compactions.
    """
    store = Workspace(root).find(None)
    have = len(store.records(Note))
    structures = store.records(Structure)
    sessions = store.records(Session)
    notes = [note_for(structures, sessions, have + i) for i in range(max(0, total_notes - have))]
    if notes:
        store.put(*notes)
    store.compact()


def agenda_mark(root: Path) -> str:
    """Text that only the live session screen paints: its first agenda item's title."""
    set_language("fr")
    store = Workspace(root).find(None)
    structures = sorted(store.records(Structure), key=lambda s: fold(s.name))
    session = next(s for s in store.records(Session) if s.kind == SESSION_KIND)
    plan = session_plan(session, structures)
    names = {s.id: s.name for s in structures}
    return str(item_title(plan.items[0], names))[:MARK_CHARS]
