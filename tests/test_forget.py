"""``forget`` erases a person everywhere, under every form of every value they had
(issue 12, points 6 and 7). Real files, and the real program in real processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.domain import (
    BilanReview,
    Cohort,
    Note,
    Participant,
    PreparatoryTask,
    Session,
    SessionKind,
    Structure,
)
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from tests.conftest import ROOT, run_cli
from tests.test_cli import assert_one_sentence_error

NAME, EARLIER = "Émilie Vidal", "Émilie Martin"
EMAIL, EARLIER_EMAIL = "e.vidal@jardins.org", "emilie.martin@asso.fr"
PHONE, EARLIER_PHONE = "+33 7 11 22 33 44", "06 12 34 56 78"

# Every way of writing her that must be gone (normalised: no accents, lower case).
CERTAIN = [
    "emilie vidal",
    "vidal emilie",
    "vidal, emilie",
    "emilie martin",
    "martin emilie",
    "e. vidal",
    "mme vidal",
    "e.vidal@jardins.org",
    "emilie.martin@asso.fr",
]
PHONE_DIGITS = ["711223344", "612345678"]


def _fold(text: str) -> str:
    """Normalised as ``forget`` compares, at C speed for whole files: no accents, no
    case, one space for any run of spaces."""
    bare = re.sub(r"[\u0300-\u036f]", "", unicodedata.normalize("NFKD", text))
    return re.sub(r"\s+", " ", bare.casefold())


def every_text(folder: Path) -> str:
    """Every file of the workspace, decoded and normalised, JSON escapes read too."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes().decode("utf-8", "replace")
        texts.append(_fold(raw))
        if "\\u" in raw:
            texts.append(_fold(raw.encode("utf-8").decode("unicode_escape", "replace")))
    return "\n".join(texts)


def traces(folder: Path) -> list[str]:
    text = every_text(folder)
    digits = re.sub(r"[ .\-/+]", "", text)
    found = [form for form in CERTAIN if form in text]
    return found + [d for d in PHONE_DIGITS if d in digits]


def emilie(store: CohortStore) -> Participant:
    jardins = store.records(Structure)[0]
    person = Participant(
        structure_id=jardins.id, name=EARLIER, email=EARLIER_EMAIL, phone=EARLIER_PHONE
    )
    store.put(person)
    store.put(Note(text="Émilie Martin a présenté le budget 2025"))
    store.backup()  # the only place her maiden name, old email and phone remain
    store.patch(Participant, person.id, {"name": NAME, "email": EMAIL, "phone": PHONE})
    store.compact()
    return person


def test_forget_finds_every_form_of_every_value_she_ever_had(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    person = emilie(small_cohort)
    jardins = small_cohort.records(Structure)[0]
    nfd = unicodedata.normalize("NFD", NAME)
    written = [
        f"{nfd} relance le conseil d'administration",
        "ÉMILIE VIDAL voit la trésorière",
        "Émilie\u00a0Vidal et Émilie  Vidal (espace insécable, espace double)",
        "É. Vidal a écrit ; Mme Vidal aussi ; Vidal, Émilie signe",
        "Écrire à E.Vidal@Jardins.org, au 07.11.22.33.44 ou au 06-12-34-56-78",
        "Ou au 0711223344, ou au +33 (0)7 11 22 33 44",
    ]
    small_cohort.put(*(Note(text=text, structure_id=jardins.id) for text in written))
    small_cohort.put(
        Session(kind=SessionKind.INTRO, place="Chez Émilie Vidal, 3 rue des Lilas"),
        PreparatoryTask(
            structure_id=jardins.id, title="Émilie Vidal envoie le budget", before="evolution"
        ),
        BilanReview(
            session_id="b", structure_id=jardins.id, third_person="Émilie Martin (ancienne DLA)"
        ),
        Note(text="Émilie relancera la mairie"),  # a first name alone: to reread
        Note(text="Le local est rue Vidal"),  # a last name alone: to reread
    )
    assert traces(workspace.root)
    before = {
        (table, doc["id"], field): value
        for table, docs in small_cohort.all_docs().items()
        for doc in docs.values()
        for field, value in doc.items()
    }
    person_export = run_cli("export", "person", "--participant", "émilie", data=workspace.root)
    assert person_export.returncode == 0, person_export.stderr
    exported = json.loads(person_export.stdout)
    assert exported["earlier_values"] == {
        "names": [EARLIER],
        "emails": [EARLIER_EMAIL],
        "phones": [EARLIER_PHONE],
    }

    done = run_cli("forget", "--participant", "émilie vidal", data=workspace.root)
    assert done.returncode == 0, done.stderr

    assert traces(workspace.root) == []
    assert "Émilie relancera la mairie" in done.stdout and "rue Vidal" in done.stdout
    after = CohortStore(small_cohort.path, read_only=True)
    changed = {
        value
        for (table, key, field), value in before.items()
        if table != "participants"
        and after.all_docs().get(table, {}).get(key, {}).get(field) != value
    }
    # export person found exactly what forget changed, and the two to reread.
    assert {m["text"] for m in exported["mentions"]} == changed
    assert {m["text"] for m in exported["to_reread"]} == {
        "Émilie relancera la mairie",
        "Le local est rue Vidal",
    }
    record = after.get(Participant, person.id)
    assert record is not None and (record.email, record.phone) == ("", "")
    texts = {n.text for n in after.records(Note)}
    assert "[personne anonymisée] relance le conseil d'administration" in texts
    assert "Le local est rue Vidal" in texts  # what is uncertain is never changed


def test_a_shared_last_name_is_only_listed_to_reread(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    """With Paul Vidal in the cohort too, « Mme Vidal » may be either: not erased."""
    jardins = small_cohort.records(Structure)[0]
    small_cohort.put(
        Participant(structure_id=jardins.id, name=NAME),
        Participant(structure_id=jardins.id, name="Paul Vidal"),
        Note(text="Mme Vidal préside"),
        Note(text="Émilie Vidal trésorière"),
    )
    done = run_cli("forget", "--participant", "émilie vidal", data=workspace.root)
    assert done.returncode == 0, done.stderr
    texts = {n.text for n in CohortStore(small_cohort.path).records(Note)}
    assert texts == {"Mme Vidal préside", "[personne anonymisée] trésorière"}
    assert "Mme Vidal préside" in done.stdout
    others = {p.name for p in CohortStore(small_cohort.path).records(Participant)}
    assert "Paul Vidal" in others


def test_the_kept_aside_files_of_a_damaged_cohort_are_erased_too(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    emilie(small_cohort)
    for text in ("Émilie Vidal propose", "Mme Vidal dispose", "une note sans elle"):
        assert run_cli("capture", text, data=workspace.root).returncode == 0
    lines = small_cohort.journal_path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"sans", b"SANS")  # a bad checksum on the last good line
    small_cohort.journal_path.write_bytes(b"\n".join(lines))
    assert run_cli("restore", "--salvage", data=workspace.root).returncode == 0
    assert list(small_cohort.backup_dir.glob("*.journal.damaged"))

    done = run_cli("forget", "--participant", NAME, data=workspace.root)
    assert done.returncode == 0, done.stderr
    assert traces(workspace.root) == []
    # The kept-aside journal's good lines still read (their checksums were redone).
    from facilitator.recovery import journal_lines

    kept = next(small_cohort.backup_dir.glob("*.journal.damaged")).read_bytes()
    assert [line.good for line in journal_lines(kept)] == [True, True, False]


# --- point 7: an erasure that is atomic, resumable, and scans inside the lock ----------


WRITER = """
import sys
from pathlib import Path
from facilitator.domain import Note, Participant
from facilitator.store import CohortStore

store = CohortStore(Path(sys.argv[1]))
pid = sys.argv[2]
n = 0
while True:
    note = Note(text=f"Émilie Vidal, note {n}")
    store.put(note)
    # The state the write was made on: was she still named when it was written?
    named = store.get(Participant, pid).name == "Émilie Vidal"
    print(note.id, int(named), flush=True)
    n += 1
"""


def test_notes_written_during_a_forget_are_erased_by_it(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    """Each note is written under the lock on the state of that moment: any note
    written before the forget's own write must be erased by it."""
    jardins = small_cohort.records(Structure)[0]
    person = Participant(structure_id=jardins.id, name=NAME)
    small_cohort.put(person)
    for n in range(1500):  # a cohort large enough for the forget to take a while
        small_cohort.put(Note(text=f"Émilie Vidal, ancienne note {n}"))
    for run in range(3):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(small_cohort.path), person.id],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert writer.stdout is not None
        writer.stdout.readline()
        name = NAME if run == 0 else person.id[:8]
        done = run_cli("forget", "--participant", name, data=workspace.root)
        assert done.returncode == 0, done.stderr
        time.sleep(0.2)
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        written_before = [line.split()[0] for line in out.splitlines() if line.endswith(" 1")]
        notes = {n.id: n.text for n in CohortStore(small_cohort.path).records(Note)}
        survivors = [key for key in written_before if "Émilie Vidal" in notes.get(key, "")]
        assert not survivors, f"run {run}: {len(survivors)} notes written before it survived"
        # Make her named again for the next run, as a new participant would be.
        CohortStore(small_cohort.path).patch(Participant, person.id, {"name": NAME})


def kill_forget(workspace: Path, rng: random.Random, longest: float = 0.5) -> int | None:
    """Start ``forget``, kill -9 it after a random moment; its exit code if it ended first.

    A run takes about 0.45 s here, start-up included, more on a busy machine."""
    env = {**os.environ, "FACILITATOR_LANG": "fr"}
    command = [sys.executable, "-m", "facilitator", "--data", str(workspace)]
    child = subprocess.Popen(
        [*command, "forget", "--participant", NAME],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    time.sleep(rng.uniform(0.1, longest))
    child.send_signal(signal.SIGKILL)
    child.communicate()
    return child.returncode if child.returncode >= 0 else None


@pytest.fixture
def pristine(small_cohort: CohortStore, tmp_path: Path) -> Path:
    """A workspace where she is everywhere: 300 notes, backups old and new, a session's
    place, her earlier name, email and phone only in a backup."""
    emilie(small_cohort)
    jardins = small_cohort.records(Structure)[0]
    for n in range(300):
        small_cohort.put(
            Note(text=f"Note {n} : Émilie Vidal ({EMAIL}, {PHONE})", structure_id=jardins.id)
        )
        if n % 60 == 0:
            small_cohort.backup()
    small_cohort.put(Session(kind=SessionKind.INTRO, place="Chez Mme Vidal"))
    copy = tmp_path / "pristine"
    shutil.copytree(small_cohort.path.parent, copy)
    return copy


def erase_under_kills(workspace: Path, rng: random.Random, *, by_opening: bool) -> int:
    """Run ``forget`` and kill it, again and again, each run resuming the erasure the
    last one left, until one ends; then check she is gone. The kills it took."""
    kills = 0
    # Each run starts the erasure's remaining steps again: on a busy machine it may need
    # longer than the first kills allow, so later kills wait longer.
    while (code := kill_forget(workspace, rng, 0.5 + 0.25 * kills)) is None:
        kills += 1
        if by_opening and kills % 3 == 0 and list(workspace.glob("*.erasing")):
            Workspace(workspace).find(None)  # any opening finishes a recorded erasure too
            break
    if code is not None:
        # It ended: done (0), or she was already erased by the run killed last (2).
        assert code in (0, 2), code
    assert traces(workspace) == [], f"after {kills} kills"
    assert not list(workspace.glob("*.erasing"))
    assert run_cli("check", data=workspace).returncode == 0
    return kills


def reset(workspace: Path, pristine: Path) -> None:
    shutil.rmtree(workspace)
    shutil.copytree(pristine, workspace)


def test_forget_killed_at_random_moments_is_finished_by_the_next_run(
    workspace: Workspace, pristine: Path
) -> None:
    rng = random.Random(12)
    kills = 0
    for round_ in range(4):
        reset(workspace.root, pristine)
        kills += erase_under_kills(workspace.root, rng, by_opening=round_ % 2 == 1)
    assert kills >= 3  # the erasure was interrupted, and resumed, several times


@pytest.mark.slow
def test_forget_under_a_hundred_random_kills_leaves_no_trace(
    workspace: Workspace, pristine: Path
) -> None:
    """At least 100 kill -9 at random moments of erasures, each resumed by the next run
    (or by an opening of the cohort), and not one trace of her anywhere after each."""
    rng = random.Random(20261201)
    kills = rounds = 0
    while kills < 100:
        reset(workspace.root, pristine)
        kills += erase_under_kills(workspace.root, rng, by_opening=rounds % 4 == 3)
        rounds += 1
    print(f"forget: {kills} kill -9 over {rounds} erasures, each left without a trace")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real filesystem of 4 MB, to be filled up (root only: it is a tmpfs mount)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` up, leaving about ``leave`` bytes free."""
    filler = disk / "filler"
    with open(filler, "wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    with open(filler, "r+b") as handle:
        handle.truncate(max(0, filler.stat().st_size - leave))
    return filler


@pytest.mark.parametrize("leave", [0, 24_000])
def test_forget_on_a_full_disk_says_it_is_unfinished_and_is_finished_later(
    small_disk: Path, leave: int
) -> None:
    """Nothing free at all: nothing can be recorded. A little free: the erasure is
    recorded, then stops. Either way it says so, never « intact », and the next
    run, once there is space, finishes it."""
    workspace = Workspace(small_disk / "ws")
    store = workspace.create([Cohort(name="Cohorte pleine"), Structure(name="Les Jardins")])
    emilie(store)
    for n in range(200):
        store.put(Note(text=f"Note {n} : Émilie Vidal ({EMAIL})"))
    store.compact()
    filler = fill(small_disk, leave)

    done = run_cli("forget", "--participant", NAME, data=workspace.root)
    assert done.returncode == 1, done.stdout
    assert_one_sentence_error(done.stderr)
    assert "pas terminé" in done.stderr and "intact" not in done.stderr, done.stderr

    filler.unlink()
    again = run_cli("forget", "--participant", NAME, data=workspace.root)
    assert again.returncode == 0, again.stderr
    assert traces(workspace.root) == []
    assert not list(workspace.root.glob("*.erasing"))
