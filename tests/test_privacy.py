"""Erasing a participant's personal data leaves no trace of it in any file."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from facilitator.domain import (
    Attendance,
    BilanReview,
    Note,
    Participant,
    Presence,
    Session,
    SessionKind,
    Structure,
    label,
)
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


# --- issue 13: what forget lists, what it scrubs, what export person hands over -------

ANONYMOUS = "[personne anonymisée]"


def _person(store: CohortStore, name: str) -> Participant:
    return next(p for p in store.records(Participant) if p.name == name)


def _add_person(store: CohortStore, name: str) -> Participant:
    jardins = next(s for s in store.records(Structure) if s.name == "Les Jardins du Lien")
    person = Participant(structure_id=jardins.id, name=name)
    store.put(person)
    return person


def test_a_three_letter_first_name_written_alone_is_listed_to_reread_never_changed(
    small_cohort: CohortStore,
) -> None:
    """« Léa » alone may be another Léa: three letters are enough to be listed."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.put(Note(text="Léa viendra jeudi"), Note(text="le vélo avance"))
    report = forget(CohortStore(small_cohort.path), lea.id)
    assert [n.text for n in report.first_name_notes] == ["Léa viendra jeudi"]
    assert [m.text for m in report.to_reread] == ["Léa viendra jeudi"]
    texts = {n.text for n in CohortStore(small_cohort.path).records(Note)}
    assert "Léa viendra jeudi" in texts  # listed, not changed


def test_a_two_letter_first_name_written_alone_is_too_common_to_list(
    small_cohort: CohortStore,
) -> None:
    """« Jo » alone is below the three letters a first name needs to be listed."""
    jo = _add_person(small_cohort, "Jo Bonnefoy")
    small_cohort.put(Note(text="Jo viendra jeudi"), Note(text="Jo Bonnefoy présente"))
    report = forget(CohortStore(small_cohort.path), jo.id)
    assert report.first_name_notes == () and report.to_reread == ()
    texts = {n.text for n in CohortStore(small_cohort.path).records(Note)}
    assert texts == {"Jo viendra jeudi", f"{ANONYMOUS} présente"}


def test_a_three_letter_name_alone_is_scrubbed_and_a_two_letter_one_is_not(
    small_cohort: CohortStore,
) -> None:
    """A person known by one word of three letters (« Tom ») is erased where written; two
    letters (« Al ») could be any word: the note is left as it was."""
    tom, al = _add_person(small_cohort, "Tom"), _add_person(small_cohort, "Al")
    small_cohort.put(Note(text="Tom anime l'atelier"), Note(text="Al anime la suite"))
    forget(CohortStore(small_cohort.path), tom.id)
    forget(CohortStore(small_cohort.path), al.id)
    texts = {n.text for n in CohortStore(small_cohort.path).records(Note)}
    assert texts == {f"{ANONYMOUS} anime l'atelier", "Al anime la suite"}


def test_a_damaged_snapshot_kept_among_the_backups_is_scrubbed_as_text(
    small_cohort: CohortStore,
) -> None:
    """A cohort restored over a damaged file keeps that file aside (``.damaged``): it does
    not parse, yet it holds her name, and forget scrubs its bytes, the rest kept."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.patch(Participant, lea.id, {"email": "lea.bonnet@example.org"})
    good = small_cohort.backup()
    small_cohort.put(Note(text="Léa Bonnet porte le projet vélo"))
    small_cohort.compact()
    whole = small_cohort.path.read_bytes()
    small_cohort.path.write_bytes(whole[:-3] + b"\xff\xfe")  # cut short, not UTF-8
    kept = CohortStore(small_cohort.path).restore(good)
    assert kept.parent == small_cohort.backup_dir and kept.name.endswith(".damaged")
    damaged = kept.read_bytes()
    assert b"L\xc3\xa9a Bonnet" in damaged and b"lea.bonnet@example.org" in damaged
    with pytest.raises(ValueError):
        json.loads(damaged)

    report = forget(CohortStore(small_cohort.path), lea.id)

    scrubbed = kept.read_bytes()
    assert b"L\xc3\xa9a Bonnet" not in scrubbed and b"lea.bonnet@example.org" not in scrubbed
    assert ANONYMOUS.encode() in scrubbed
    assert scrubbed.endswith(b"\xff\xfe")  # what is not hers is kept byte for byte
    assert b"porte le projet v\xc3\xa9lo" in scrubbed
    assert report.backups_rewritten >= 2  # the good backup and the damaged one


@pytest.mark.parametrize(
    "content",
    [
        b'{"participants": {"1": {"name": "L\xc3\xa9a Bonnet"',  # cut short
        b'["L\xc3\xa9a Bonnet a \xc3\xa9crit", 3]',  # JSON, but not a cohort
        b"\xef\xbb\xbf\x00garbage L\xc3\xa9a Bonnet \xff end",  # not even text
    ],
    ids=["cut-short", "not-a-cohort", "binary"],
)
def test_any_file_of_the_backups_folder_that_does_not_read_as_a_cohort_is_scrubbed(
    small_cohort: CohortStore, content: bytes
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.backup_dir.mkdir(parents=True, exist_ok=True)
    odd = small_cohort.backup_dir / "20260101T000000Z.damaged"
    odd.write_bytes(content)
    report = forget(CohortStore(small_cohort.path), lea.id)
    expected = content.replace("Léa Bonnet".encode(), ANONYMOUS.encode())
    assert odd.read_bytes() == expected
    assert report.backups_rewritten >= 1


def test_export_person_lists_only_their_own_attendance(small_cohort: CohortStore) -> None:
    """Another person's presence is not theirs to receive."""
    paul, amina = _person(small_cohort, "Paul Morel"), _person(small_cohort, "Amina Diallo")
    intro = Session(kind=SessionKind.INTRO, date=dt.date(2027, 1, 11))
    state = Session(kind=SessionKind.STATE_OF_PLAY, date=dt.date(2027, 2, 22))
    gone = Session(kind=SessionKind.EVOLUTION, date=dt.date(2027, 4, 26))

    def came(session: Session, person: Participant, presence: Presence) -> Attendance:
        key = Attendance.key(session.id, person.id)
        return Attendance(
            id=key, session_id=session.id, participant_id=person.id, presence=presence
        )

    small_cohort.put(
        intro,
        state,
        gone,
        came(intro, paul, Presence.PRESENT),
        came(state, paul, Presence.EXCUSED),
        came(gone, paul, Presence.PRESENT),
        came(intro, amina, Presence.ABSENT),
        came(state, amina, Presence.PRESENT),
    )
    small_cohort.delete(Session, gone.id)  # a session removed since: nothing to list

    record = person_record(CohortStore(small_cohort.path), paul.id)

    assert sorted(record["attendance"], key=lambda a: a["date"]) == [
        {"session": label(SessionKind.INTRO), "date": "2027-01-11", "presence": "présent·e"},
        {
            "session": label(SessionKind.STATE_OF_PLAY),
            "date": "2027-02-22",
            "presence": "excusé·e",
        },
    ]
    theirs = person_record(small_cohort, amina.id)["attendance"]
    assert sorted(theirs, key=lambda a: a["date"]) == [
        {"session": label(SessionKind.INTRO), "date": "2027-01-11", "presence": "absent·e"},
        {
            "session": label(SessionKind.STATE_OF_PLAY),
            "date": "2027-02-22",
            "presence": "présent·e",
        },
    ]
