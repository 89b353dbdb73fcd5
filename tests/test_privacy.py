"""Erasing a participant's personal data leaves no trace of it in any file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from facilitator.domain import BilanReview, Note, Participant
from facilitator.files import PRIVATE, filesystem_type, on_network_filesystem
from facilitator.presence import PresenceBoard
from facilitator.privacy import forget, person_record
from facilitator.store import CohortStore


def every_byte(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_forget_erases_name_email_and_phone_everywhere_backups_included(
    small_cohort: CohortStore,
) -> None:
    amina = next(p for p in small_cohort.records(Participant) if p.name == "Amina Diallo")
    small_cohort.patch(
        Participant, amina.id, {"email": "amina.diallo@example.org", "phone": "06 00 00 00 42"}
    )
    small_cohort.put(Note(text="Amina Diallo propose de mutualiser un poste"))
    small_cohort.put(Note(text="Écrire à amina.diallo@example.org ou au 0600000042"))
    small_cohort.put(Note(text="Amina relancera le CA"))
    small_cohort.put(
        BilanReview(
            id="b",
            session_id="b",
            structure_id=amina.structure_id,
            next_steps="Revoir Diallo Amina en juin",
        )
    )
    small_cohort.backup()
    small_cohort.put(Note(text="encore DIALLO amina, après la sauvegarde"))
    assert b"Diallo" in every_byte(small_cohort.path.parent)

    report = forget(CohortStore(small_cohort.path), amina.id)

    everything = every_byte(small_cohort.path.parent).decode("utf-8", "replace").lower()
    for secret in (
        "amina diallo",
        "diallo amina",
        "amina.diallo@example.org",
        "06 00 00 00 42",
        "0600000042",
    ):
        assert secret not in everything, secret
    assert report.notes_changed == 3 and report.backups_rewritten >= 1
    assert [n.text for n in report.first_name_notes] == ["Amina relancera le CA"]
    store = CohortStore(small_cohort.path)
    assert store.get(Participant, amina.id) is not None  # the record stays, anonymous
    assert "[personne anonymisée]" in {n.text.split(" propose")[0] for n in store.records(Note)}


def test_a_person_can_have_everything_held_about_them(small_cohort: CohortStore) -> None:
    paul = next(p for p in small_cohort.records(Participant) if p.name == "Paul Morel")
    small_cohort.put(Note(text="Paul Morel préside depuis 2019"))
    record = person_record(small_cohort, paul.id)
    assert record["participant"]["name"] == "Paul Morel"
    assert record["participant"]["structure"] == "Les Jardins du Lien"
    assert [m["text"] for m in record["notes_mentioning"]] == ["Paul Morel préside depuis 2019"]
    json.dumps(record)


def test_presence_shows_other_live_apps_and_forgets_dead_ones(small_cohort: CohortStore) -> None:
    mine = PresenceBoard(small_cohort.path, PRIVATE)
    mine.announce()
    other = PresenceBoard(small_cohort.path, PRIVATE)
    other.pid = os.getppid()  # a live process that is not this one
    other.me = other.folder / f"{other.host}-{other.pid}.json"
    other.announce()
    assert [v.pid for v in mine.others()] == [os.getppid()]
    dead = PresenceBoard(small_cohort.path, PRIVATE)
    dead.pid = 2**22 + 12345  # no such process
    dead.me = dead.folder / f"{dead.host}-{dead.pid}.json"
    dead.announce()
    assert [v.pid for v in mine.others()] == [os.getppid()]
    assert not dead.me.exists()
    other.leave()
    assert mine.others() == []
    assert oct(mine.me.stat().st_mode & 0o777) == "0o600"


def test_network_filesystems_are_recognised(tmp_path: Path) -> None:
    shared, local = tmp_path / "shared", tmp_path / "local"
    shared.mkdir()
    local.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"/dev/vda / ext4 rw 0 0\nserver:/export {shared} nfs4 rw 0 0\n"
        f"//nas/team {tmp_path}/nas cifs rw 0 0\n"
    )
    # A workspace not created yet is judged by the folder that will hold it.
    assert on_network_filesystem(shared / "facilitator" / "ws", mounts) == "nfs4"
    assert on_network_filesystem(local / "ws", mounts) is None
    assert filesystem_type(Path("/srv"), mounts) == "ext4"
