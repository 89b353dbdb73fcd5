"""Erasing a participant's personal data leaves no trace of it in any file."""

from __future__ import annotations

import datetime as dt
import json
import os
import zlib
from pathlib import Path

import pytest

from facilitator import privacy
from facilitator.domain import (
    Attendance,
    BilanReview,
    Cohort,
    Note,
    Participant,
    Presence,
    Role,
    Session,
    SessionKind,
    Structure,
    label,
)
from facilitator.files import PRIVATE, filesystem_type, on_network_filesystem
from facilitator.i18n import t
from facilitator.presence import PresenceBoard
from facilitator.privacy import (
    ErasureUnfinished,
    Identity,
    Matcher,
    _scrub_journal,
    _scrub_op,
    erasure_path,
    forget,
    person_json,
    person_record,
    resume_pending,
)
from facilitator.store import CohortStore, ReadOnlyStore, WriteFailed, decode_line, encode_line
from facilitator.workspace import Workspace


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


# --- a damaged journal kept among the backups ------------------------------------------

LEA = Identity(names=frozenset({"Léa Bonnet"}), emails=frozenset({"lea@example.org"}))
X = "[X]"


def _line(body: dict[str, object]) -> bytes:
    """A journal line written by another hand: same checksum, other JSON spacing."""
    raw = json.dumps(body).encode()
    return b"%08x " % zlib.crc32(raw) + raw


def test_a_damaged_journal_is_rewritten_line_by_line_good_lines_with_a_fresh_checksum() -> None:
    """Each good line keeps its generation and its other operations; a line without a
    generation gets 0; a bad line is scrubbed as text and the lines after it are still
    read; a line that does not name her is kept byte for byte; the file's end is kept."""
    own = {"id": "p1", "structure_id": "s", "name": "Léa Bonnet", "email": "lea@example.org"}
    delete = {"o": "del", "t": "notes", "i": "n0"}
    note = {"o": "put", "t": "notes", "d": {"id": "n1", "text": "Léa Bonnet viendra"}}
    untouched = _line({"g": 9, "ops": [{"o": "put", "t": "notes", "d": {"id": "n2"}}]})
    patch = {"o": "patch", "t": "notes", "i": "n1", "f": {"text": "écrire à lea@example.org"}}
    raw = b"\n".join(
        [
            encode_line(7, [{"o": "put", "t": "participants", "d": own}, delete, "odd"]).rstrip(),
            b'0000dead {"text": "L\xc3\xa9a Bonnet"}',
            encode_line(8, [note]).rstrip(b"\n"),
            untouched,
            _line({"ops": [patch]}),
            b"",
        ]
    )
    lines = [
        encode_line(
            7,
            [
                {"o": "put", "t": "participants", "d": {**own, "name": X, "email": ""}},
                delete,
                "odd",
            ],
        ),
        b'0000dead {"text": "[X]"}',
        encode_line(8, [{**note, "d": {"id": "n1", "text": "[X] viendra"}}]),
        untouched,
        encode_line(0, [{**patch, "f": {"text": "écrire à [X]"}}]),
        b"",
    ]
    expected = b"\n".join(line.rstrip(b"\n") for line in lines)
    assert _scrub_journal(raw, "p1", Matcher(LEA), X) == expected


@pytest.mark.parametrize(
    "op",
    [
        "not an operation",
        {"o": "del", "t": "participants", "i": "p1"},
        {"o": "put", "t": "notes", "d": {"id": "n1", "text": "rien à voir"}},
        {"o": "put", "t": "notes", "d": "Léa Bonnet"},
        {"o": "put", "t": 5, "d": {"id": "n1", "text": "Léa Bonnet"}},
        {"o": "put", "d": {"id": "n1", "text": "Léa Bonnet"}},
        {"o": "patch", "t": "notes", "i": "n1", "f": "Léa Bonnet"},
        {"o": "patch", "t": 5, "i": "n1", "f": {"text": "Léa Bonnet"}},
        {"o": "patch", "i": "n1", "f": {"text": "Léa Bonnet"}},
        {"o": "other", "t": "notes", "d": {"id": "n1", "text": "Léa Bonnet"}},
        {"t": "notes", "f": {"text": "Léa Bonnet"}, "i": "n1"},
    ],
    ids=[
        "not-a-dict",
        "delete",
        "put-not-naming",
        "put-no-doc",
        "put-odd-table",
        "put-no-table",
        "patch-no-fields",
        "patch-odd-table",
        "patch-no-table",
        "unknown-kind",
        "no-kind",
    ],
)
def test_a_journal_operation_that_holds_no_mention_or_is_not_understood_is_kept(
    op: object,
) -> None:
    assert _scrub_op(op, "p1", Matcher(LEA), X) == op


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (
            {"o": "put", "t": "notes", "g": 1, "d": {"id": "n1", "text": "Léa Bonnet lit"}},
            {"o": "put", "t": "notes", "g": 1, "d": {"id": "n1", "text": "[X] lit"}},
        ),
        (
            {"o": "put", "t": "participants", "d": {"id": "p1", "name": "Léa Bonnet"}},
            {"o": "put", "t": "participants", "d": {"id": "p1", "name": X}},
        ),
        (
            {"o": "put", "t": "participants", "d": {"id": "p2", "name": "Léa Bonnet"}},
            {"o": "put", "t": "participants", "d": {"id": "p2", "name": "Léa Bonnet"}},
        ),
        (
            {"o": "patch", "t": "notes", "i": "n1", "f": {"text": "Léa Bonnet", "n": 2}},
            {"o": "patch", "t": "notes", "i": "n1", "f": {"text": X, "n": 2}},
        ),
        (
            {"o": "patch", "t": "participants", "i": "p1", "f": {"email": "lea@example.org"}},
            {"o": "patch", "t": "participants", "i": "p1", "f": {"email": ""}},
        ),
        (
            {"o": "patch", "t": "participants", "i": "p2", "f": {"email": "lea@example.org"}},
            {"o": "patch", "t": "participants", "i": "p2", "f": {"email": "lea@example.org"}},
        ),
    ],
    ids=[
        "put-note",
        "put-her-record",
        "put-another-record",
        "patch-note",
        "patch-her-record",
        "patch-another-record",
    ],
)
def test_a_journal_operation_loses_her_mentions_and_her_own_record_its_identity(
    op: dict[str, object], expected: dict[str, object]
) -> None:
    """Only the fields the operation wrote change; another participant's identity
    fields are theirs, never scrubbed."""
    assert _scrub_op(op, "p1", Matcher(LEA), X) == expected


# --- forget and resume refuse what they cannot do ----------------------------------------


def test_forgetting_someone_unknown_says_whom(small_cohort: CohortStore) -> None:
    with pytest.raises(KeyError) as raised:
        forget(CohortStore(small_cohort.path), "nobody")
    assert raised.value.args == ("nobody",)


def test_a_read_only_cohort_leaves_a_pending_erasure_for_a_writable_opening(
    small_cohort: CohortStore,
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    record = {"erasing": {lea.id: {"names": ["Léa Bonnet"]}}}
    small_cohort.path.with_suffix(".erasing").write_text(json.dumps(record))
    assert resume_pending(CohortStore(small_cohort.path, read_only=True)) == []
    assert CohortStore(small_cohort.path).get(Participant, lea.id).name == "Léa Bonnet"


def test_an_unfinished_erasure_says_why() -> None:
    error = ErasureUnfinished("disque plein")
    assert error.key == "privacy.error.unfinished"
    assert error.values == {"reason": "disque plein"}
    assert "disque plein" in str(error)


@pytest.mark.parametrize(
    ("query", "found"),
    [("lea", True), ("LÉA B", True), ("Léa Bonnet", True), ("bonnet", False), ("", False)],
)
def test_a_pending_erasure_is_found_again_by_the_start_of_a_name(query: str, found: bool) -> None:
    """``forget Léa`` run again after a kill finds the erasure it left."""
    assert Identity(names=frozenset({"Léa Bonnet", "Zoé"})).matches(query) is found


def test_an_identity_without_names_matches_no_query() -> None:
    assert not Identity(emails=frozenset({"lea@example.org"})).matches("lea")


# --- what export person hands to the person ----------------------------------------------


def test_export_person_lists_everything_held_about_them_and_nothing_else(
    small_cohort: CohortStore,
) -> None:
    """Her current values and her earlier ones; the notes that name her; every mention
    in other tables; what only may name her, to reread. « Mme Bonnet » may be Marc
    Bonnet: to reread; « L. Bonnet » is hers (Marc's initial differs)."""
    jardins = next(s for s in small_cohort.records(Structure) if s.name == "Les Jardins du Lien")
    small_cohort.delete(Participant, _person(small_cohort, "Léa Bonnet").id)  # another Léa
    lea = Participant(
        structure_id=jardins.id, name="Léa Martin", email="old@example.org", phone="0600000001"
    )
    small_cohort.put(lea)
    small_cohort.patch(
        Participant,
        lea.id,
        {"name": "Léa Bonnet", "email": "lea@example.org", "phone": "0600000002"},
    )
    _add_person(small_cohort, "Marc Bonnet")
    named = Note(text="Léa Martin anime")
    initial = Note(text="L. Bonnet relira")
    small_cohort.put(named, initial, Note(text="Mme Bonnet excusée"), Note(text="rien"))
    small_cohort.put(
        BilanReview(
            id=named.id, session_id="s", structure_id=jardins.id, next_steps="voir L. Bonnet"
        )
    )

    record = person_record(CohortStore(small_cohort.path), lea.id)

    assert record["participant"] == {
        "name": "Léa Bonnet",
        "role": label(lea.role),
        "governance": False,
        "email": "lea@example.org",
        "phone": "0600000002",
        "structure": "Les Jardins du Lien",
    }
    assert record["earlier_values"] == {
        "names": ["Léa Martin"],
        "emails": ["old@example.org"],
        "phones": ["0600000001"],
    }
    assert record["notes_mentioning"] == [
        {"created": n.created.isoformat(), "kind": label(n.kind), "text": n.text}
        for n in (named, initial)
    ]
    notes, bilans = t("privacy.where.notes"), t("privacy.where.bilans")
    assert record["mentions"] == [
        {"where": notes, "field": "text", "text": "Léa Martin anime"},
        {"where": notes, "field": "text", "text": "L. Bonnet relira"},
        {"where": bilans, "field": "next_steps", "text": "voir L. Bonnet"},
    ]
    assert record["to_reread"] == [{"where": notes, "field": "text", "text": "Mme Bonnet excusée"}]
    assert json.loads(person_json(CohortStore(small_cohort.path), lea.id)) == record


def test_export_person_is_readable_json_ending_with_a_newline(small_cohort: CohortStore) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    out = person_json(small_cohort, lea.id)
    assert (
        out
        == (
            json.dumps(person_record(small_cohort, lea.id), ensure_ascii=False, indent=2) + "\n"
        ).encode()
    )
    assert "Léa Bonnet".encode() in out and b'\n  "participant": {\n' in out


def test_export_person_of_someone_unknown_says_whom(small_cohort: CohortStore) -> None:
    with pytest.raises(KeyError) as raised:
        person_record(small_cohort, "nobody")
    assert raised.value.args == ("nobody",)


def test_export_person_without_structure_nor_dated_session_says_so(
    small_cohort: CohortStore,
) -> None:
    """A structure deleted since, a session not yet dated: null, not a crash."""
    lost = Participant(structure_id="gone", name="Yann Le Goff")
    undated = Session(kind=SessionKind.INTRO)
    small_cohort.put(
        lost,
        undated,
        Attendance(
            id=Attendance.key(undated.id, lost.id),
            session_id=undated.id,
            participant_id=lost.id,
            presence=Presence.PRESENT,
        ),
    )
    record = person_record(small_cohort, lost.id)
    assert record["participant"]["structure"] is None
    assert record["attendance"] == [
        {"session": label(SessionKind.INTRO), "date": None, "presence": label(Presence.PRESENT)}
    ]


# --- a phone, however it was written ---------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("+33 6 12 34 56 78", "appeler le 06 12 34 56 78"),
        ("+33612345678", "appeler le 0612345678"),
        ("0033 6 12 34 56 78", "appeler le 06.12.34.56.78"),
        ("06 12 34 56 78", "appeler le +33 6 12 34 56 78"),
        ("12 34 56", "appeler le 123456"),
        ("12 34 56 78 90", "appeler le 1234567890"),
    ],
    ids=["+33-as-0", "+33-packed", "0033-as-0", "0-as-+33", "six-digits", "ten-not-french"],
)
def test_a_phone_is_erased_whatever_its_country_prefix_and_separators(
    stored: str, written: str
) -> None:
    """+33 and 0033 are the French 0; six digits are enough to be a phone; ten digits
    that do not start with 0 are kept as they are, not read as a French number."""
    matcher = Matcher(Identity(phones=frozenset({stored})))
    assert matcher.scrub(written, X) == f"appeler le {X}"


def test_a_phone_of_five_digits_is_too_short_to_look_for() -> None:
    assert Matcher(Identity(phones=frozenset({"12345"}))).certain is None


def test_a_damaged_journal_among_the_backups_stays_a_journal_that_reads_without_her(
    small_cohort: CohortStore,
) -> None:
    """Its good lines still read (a salvage would find them), her own record in it is
    anonymous, and every backup changed is counted once."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.patch(Participant, lea.id, {"email": "lea.bonnet@example.org"})
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.backup_dir.mkdir(parents=True, exist_ok=True)
    kept = small_cohort.backup_dir / "20260101T000000Z.journal.damaged"
    kept.write_bytes(
        encode_line(3, [{"o": "put", "t": "participants", "d": lea.to_doc()}])
        + encode_line(4, [{"o": "put", "t": "notes", "d": {"id": "n", "text": "Léa Bonnet"}}])
    )
    before = {p: p.read_bytes() for p in small_cohort.backup_dir.iterdir()}

    report = forget(CohortStore(small_cohort.path), lea.id)

    changed = [p for p, raw in before.items() if p.read_bytes() != raw]
    assert kept in changed and report.backups_rewritten == len(changed)
    lines = kept.read_bytes().split(b"\n")
    assert lines[-1] == b""
    entries = [decode_line(line) for line in lines[:-1]]
    assert [e["g"] for e in entries] == [3, 4]
    own, note = (e["ops"][0]["d"] for e in entries)
    assert (own["id"], own["name"], own["email"]) == (lea.id, ANONYMOUS, "")
    assert note == {"id": "n", "text": ANONYMOUS}


def test_a_good_backup_is_rewritten_as_a_cohort_her_record_anonymous_and_emptied(
    small_cohort: CohortStore,
) -> None:
    """Read as JSON, not as text: her email becomes empty, not the neutral word."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.patch(Participant, lea.id, {"email": "lea.bonnet@example.org"})
    good = small_cohort.backup()
    forget(CohortStore(small_cohort.path), lea.id)
    docs = json.loads(good.read_bytes())["participants"].values()
    doc = next(d for d in docs if d["id"] == lea.id)
    assert (doc["name"], doc["email"]) == (ANONYMOUS, "")


def _lea_in_a_shared_workspace(folder: Path) -> tuple[CohortStore, Participant]:
    velo = Structure(name="Vélo-École de Crest")
    lea = Participant(structure_id=velo.id, name="Léa Bonnet", role=Role.DIRECTOR)
    return Workspace(folder).create([Cohort(name="Cohorte partagée"), velo, lea]), lea


def test_backups_rewritten_by_forget_keep_a_group_workspace_s_file_mode(
    group_folder: Path,
) -> None:
    """In a shared (setgid) workspace every file is 0660 so that the other facilitator
    can open it; a backup rewritten without the person must stay so, good or damaged."""
    store, lea = _lea_in_a_shared_workspace(group_folder)
    good = store.backup()
    damaged = store.backup_dir / "20260101T000000Z.journal.damaged"
    damaged.write_bytes(
        encode_line(3, [{"o": "put", "t": "notes", "d": {"id": "n", "text": "Léa Bonnet"}}])
    )
    os.chmod(damaged, 0o660)

    report = forget(CohortStore(store.path), lea.id)

    assert report.backups_rewritten == 2
    assert b"Bonnet" not in good.read_bytes() + damaged.read_bytes()
    assert {oct(p.stat().st_mode & 0o777) for p in (good, damaged)} == {"0o660"}


# --- an erasure recorded, then finished -------------------------------------------------


def test_what_a_recorded_erasure_holds_reads_back_whole() -> None:
    identity = Identity(
        frozenset({"Léa Bonnet", "Léa B."}),
        frozenset({"lea@example.org"}),
        frozenset({"06 12 34 56 78"}),
    )
    doc = identity.to_doc()
    assert doc == {
        "names": ["Léa B.", "Léa Bonnet"],
        "emails": ["lea@example.org"],
        "phones": ["06 12 34 56 78"],
    }
    assert Identity.from_doc(json.loads(json.dumps(doc))) == identity
    # A record cut short, or written by hand: what is missing or not text is left out.
    assert Identity.from_doc({"names": ["Léa", 3]}) == Identity(frozenset({"Léa"}))


def test_a_resumed_erasure_erases_the_values_recorded_for_it_not_only_those_still_stored(
    small_cohort: CohortStore,
) -> None:
    """The record is what survives a kill: an old email and phone kept there (changed in
    the store since, by a salvage or a restore) are erased from the notes too."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.put(Note(text="Écrire à lea.old@example.org ou au 04 75 00 11 22"))
    recorded = Identity(
        frozenset({"Léa Bonnet"}), frozenset({"lea.old@example.org"}), frozenset({"0475001122"})
    )
    erasure_path(small_cohort).write_text(
        json.dumps({"erasing": {lea.id: recorded.to_doc()}}), encoding="utf-8"
    )

    [report] = resume_pending(CohortStore(small_cohort.path))

    note = next(n for n in CohortStore(small_cohort.path).records(Note) if "Écrire" in n.text)
    assert "lea.old" not in note.text and "75 00 11" not in note.text
    assert report.participant_id == lea.id and not erasure_path(small_cohort).exists()


def test_a_recorded_erasure_missing_a_kind_of_value_is_still_finished(
    small_cohort: CohortStore,
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    erasure_path(small_cohort).write_text(
        json.dumps({"erasing": {lea.id: {"names": ["Léa Bonnet"]}}}), encoding="utf-8"
    )
    [report] = resume_pending(CohortStore(small_cohort.path))
    assert report.participant_id == lea.id
    assert _person(CohortStore(small_cohort.path), ANONYMOUS).id == lea.id


def test_the_record_of_an_erasure_is_private_to_the_group_of_a_shared_workspace(
    group_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, lea = _lea_in_a_shared_workspace(group_folder)
    modes: list[int] = []
    real_scrub = privacy._scrub_backups

    def seen(*args: object) -> int:
        modes.append(erasure_path(store).stat().st_mode & 0o777)
        return real_scrub(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(privacy, "_scrub_backups", seen)
    forget(CohortStore(store.path), lea.id)
    assert [oct(m) for m in modes] == ["0o660"]


def test_an_erasure_whose_record_was_removed_meanwhile_still_finishes(
    small_cohort: CohortStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    real_scrub = privacy._scrub_backups

    def removed(*args: object) -> int:
        erasure_path(small_cohort).unlink()
        return real_scrub(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(privacy, "_scrub_backups", removed)
    report = forget(CohortStore(small_cohort.path), lea.id)
    assert report.participant_id == lea.id and not erasure_path(small_cohort).exists()


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (OSError(28, "No space left on device"), "No space left on device"),
        (OSError("le disque a disparu"), "le disque a disparu"),
    ],
)
def test_an_erasure_that_cannot_be_recorded_says_why(
    small_cohort: CohortStore,
    monkeypatch: pytest.MonkeyPatch,
    failure: OSError,
    reason: str,
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")

    def refused(*_args: object, **_kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(privacy, "write_atomic", refused)
    with pytest.raises(ErasureUnfinished) as caught:
        forget(CohortStore(small_cohort.path), lea.id)
    assert caught.value.values["reason"] == reason
    assert _person(CohortStore(small_cohort.path), "Léa Bonnet").id == lea.id


def test_a_title_and_a_last_name_another_participant_shares_are_kept_to_reread(
    small_cohort: CohortStore,
) -> None:
    """« Mme Bonnet » could be Marc Bonnet: forgetting Léa keeps it, listed to reread."""
    marc = _add_person(small_cohort, "Marc Bonnet")
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.put(Note(text="Mme Bonnet présentera le budget"))
    report = forget(CohortStore(small_cohort.path), lea.id)
    texts = [n.text for n in CohortStore(small_cohort.path).records(Note)]
    assert "Mme Bonnet présentera le budget" in texts
    assert _person(CohortStore(small_cohort.path), "Marc Bonnet").id == marc.id
    assert any("Mme Bonnet" in m.text for m in report.to_reread)


def test_a_title_and_a_last_name_nobody_else_has_are_erased(small_cohort: CohortStore) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.put(Note(text="Mme Bonnet présentera le budget"))
    forget(CohortStore(small_cohort.path), lea.id)
    texts = [n.text for n in CohortStore(small_cohort.path).records(Note)]
    assert f"{ANONYMOUS} présentera le budget" in texts


@pytest.mark.parametrize("written", ["J.-M. Arnaud", "JM Arnaud", "J-M Arnaud", "J. M. Arnaud"])
def test_a_hyphenated_first_name_is_found_by_its_initials(written: str) -> None:
    matcher = Matcher(Identity(frozenset({"Jean-Michel Arnaud"})))
    assert matcher.names(f"{written} a présenté le budget")
    assert not matcher.names("J. Arnaud a présenté le budget")  # Jean? Julie? to reread
    assert matcher.may_name("J. Arnaud a présenté le budget")


def test_her_values_are_read_from_the_journal_puts_and_her_own_patches_only() -> None:
    her, other = "p-lea", "p-marc"
    raw = b"".join(
        [
            encode_line(
                1,
                [
                    "not an operation",
                    {"o": "put", "t": "notes", "d": {"id": "n1", "text": "x"}},
                    {"o": "put", "t": "participants", "d": {"id": her, "name": "Léa Bonnet"}},
                ],
            ),
            encode_line(
                2, [{"o": "put", "t": "participants", "d": {"id": other, "name": "Marc Roux"}}]
            ),
            encode_line(
                3, [{"o": "patch", "t": "participants", "i": her, "f": {"email": "l@b.fr"}}]
            ),
            encode_line(
                4, [{"o": "patch", "t": "participants", "i": other, "f": {"phone": "0601"}}]
            ),
            # Neither a put nor a patch: whatever it carries is not her values.
            encode_line(
                5,
                [
                    {"o": "delete", "t": "participants", "i": her, "f": {"email": "x@y.fr"}},
                    {"o": "delete", "t": "participants", "d": {"id": her, "name": "Zoé Z"}},
                ],
            ),
            b"a line that does not decode\n",
        ]
    )
    assert privacy._identity_in_journal(raw, her) == Identity(
        frozenset({"Léa Bonnet"}), frozenset({"l@b.fr"})
    )


def test_her_values_are_read_from_a_backup_s_participants_only() -> None:
    tables = {
        "participants": {
            "1": {"id": "p-lea", "name": "Léa Bonnet", "email": "l@b.fr"},
            "2": {"id": "p-marc", "name": "Marc Roux", "phone": "0601"},
        },
        "notes": {"3": {"id": "p-lea", "name": "Zoé Z"}},
    }
    assert privacy._identity_in_tables(tables, "p-lea") == Identity(
        frozenset({"Léa Bonnet"}), frozenset({"l@b.fr"})
    )
    assert privacy._identity_in_tables({"notes": {}}, "p-lea") == Identity()


def test_the_report_of_a_forget_counts_every_record_changed_and_says_what_was_erased(
    small_cohort: CohortStore,
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.patch(Participant, lea.id, {"email": "lea@example.org"})
    small_cohort.put(Note(text="Léa Bonnet viendra"))
    small_cohort.put(Note(text="rien sur elle"))
    report = forget(CohortStore(small_cohort.path), lea.id)
    assert (report.notes_changed, report.records_changed) == (1, 2)  # the note, her record
    assert report.identity == Identity(frozenset({"Léa Bonnet"}), frozenset({"lea@example.org"}))


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (OSError(28, "No space left on device"), "No space left on device"),
        (OSError("le disque a disparu"), "le disque a disparu"),
        (WriteFailed(Path("x"), OSError(5, "Input/output error")), "Input/output error"),
        (WriteFailed(Path("x"), OSError("lecture impossible")), "lecture impossible"),
        (ReadOnlyStore(), t("store.error.read_only")),
    ],
)
def test_an_erasure_stopped_half_way_says_why_and_is_left_recorded(
    small_cohort: CohortStore,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    reason: str,
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")

    def stops(*_args: object) -> int:
        raise failure

    monkeypatch.setattr(privacy, "_scrub_backups", stops)
    with pytest.raises(ErasureUnfinished) as caught:
        forget(CohortStore(small_cohort.path), lea.id)
    assert caught.value.values["reason"] == reason
    assert lea.id in privacy.pending(CohortStore(small_cohort.path))


def test_a_forget_sweeps_the_temporary_files_a_killed_writer_left(
    small_cohort: CohortStore,
) -> None:
    """They may hold whole snapshots, her name in them."""
    lea = _person(small_cohort, "Léa Bonnet")
    orphan = small_cohort.path.with_name(f".{small_cohort.path.name}.999.abcd.tmp")
    orphan.write_text("Léa Bonnet")
    forget(CohortStore(small_cohort.path), lea.id)
    assert not orphan.exists()


# --- the text as compared, and what may hold her name ------------------------------------


def test_text_is_compared_with_one_space_for_every_run_and_invisible_marks_dropped() -> None:
    folded, origin = privacy.normalise("Ab  \u00a0C")
    assert (folded, origin) == ("ab c", [0, 1, 2, 5, 6])
    assert privacy.normalise("Bon\u00adnet")[0] == "bonnet"  # a soft hyphen
    assert privacy.normalise("Lé\u200ba")[0] == "lea"  # a zero-width space


def test_values_that_are_not_text_or_not_hers_give_no_identity() -> None:
    assert Identity().with_fields({"name": None, "email": 3, "role": "président"}) == Identity()


def test_the_neutral_word_of_an_earlier_erasure_is_never_taken_for_her_name() -> None:
    """A second forget of someone already anonymous must not erase « personne » everywhere."""
    assert Identity().with_fields({"name": ANONYMOUS}) == Identity()
    assert Identity().with_fields({"name": "Léa Bonnet"}).names == {"Léa Bonnet"}


def test_her_earlier_values_are_found_in_damaged_journals_and_good_backups_alike(
    small_cohort: CohortStore,
) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.backup_dir.mkdir(parents=True, exist_ok=True)
    (small_cohort.backup_dir / "20260101T000000Z.journal.damaged").write_bytes(
        encode_line(
            3, [{"o": "patch", "t": "participants", "i": lea.id, "f": {"email": "old@b.fr"}}]
        )
    )
    doc = {**lea.to_doc(), "phone": "06 11 22 33 44"}
    (small_cohort.backup_dir / "20260102T000000000000.json").write_text(
        json.dumps({"participants": {"1": doc}}), encoding="utf-8"
    )
    found = privacy.identity_of(CohortStore(small_cohort.path), lea.id)
    assert "old@b.fr" in found.emails and "06 11 22 33 44" in found.phones


def test_a_middle_name_or_a_second_last_name_may_be_left_out() -> None:
    matcher = Matcher(Identity(frozenset({"Marie Claire Dupont"})))
    for written in ("Marie Claire Dupont", "Marie Dupont", "Dupont Marie", "Claire Dupont Marie"):
        assert matcher.names(f"{written} viendra"), written


def test_a_title_before_a_last_name_of_two_words_is_her() -> None:
    assert Matcher(Identity(frozenset({"Anne Le Goff"}))).names("Mme Le Goff est venue")


def test_another_participant_s_last_name_is_compared_on_its_last_word() -> None:
    matcher = Matcher(Identity(frozenset({"Léa Bonnet"})), ["Marc Antoine Bonnet"])
    assert not matcher.names("Mme Bonnet est venue")
    assert matcher.may_name("Mme Bonnet est venue")


@pytest.mark.parametrize(
    ("other", "initial_is_hers"), [("Louis Bonnet", False), ("Marc Bonnet", True)]
)
def test_an_initial_is_hers_unless_another_bonnet_has_the_same_one(
    other: str, initial_is_hers: bool
) -> None:
    matcher = Matcher(Identity(frozenset({"Léa Bonnet"})), [other])
    assert matcher.names("L. Bonnet présentera") is initial_is_hers
    assert matcher.may_name("L. Bonnet présentera")  # her last name: at least to reread


def test_a_short_shared_last_name_with_a_title_is_still_listed_to_reread(
    small_cohort: CohortStore,
) -> None:
    """« Li » is too short to flag alone, but « Mme Li » may be her: reread, not erased."""
    velo = next(s for s in small_cohort.records(Structure) if s.name == "Vélo-École de Crest")
    lea = Participant(structure_id=velo.id, name="Léa Li")
    small_cohort.put(lea)
    _add_person(small_cohort, "Marc Li")
    small_cohort.put(Note(text="Mme Li a parlé du budget"))
    report = forget(CohortStore(small_cohort.path), lea.id)
    assert "Mme Li a parlé du budget" in [
        n.text for n in CohortStore(small_cohort.path).records(Note)
    ]
    assert [m.text for m in report.to_reread] == ["Mme Li a parlé du budget"]


def test_a_three_letter_email_is_hers() -> None:
    assert Matcher(Identity(emails=frozenset({"a@b"}))).names("écrire à a@b demain")


def test_a_longer_form_of_her_name_is_erased_whole_not_its_first_word_alone() -> None:
    matcher = Matcher(Identity(frozenset({"Léa Bonnet", "Léa"})))
    assert matcher.scrub("Léa Bonnet viendra", "[X]") == "[X] viendra"


def test_lists_and_records_inside_a_field_lose_her_name_too() -> None:
    matcher = Matcher(Identity(frozenset({"Léa Bonnet"})))
    value = {"who": ["Léa Bonnet", "Paul"], "more": {"by": "Léa Bonnet"}, "n": 3}
    assert matcher.scrub_value(value, "[X]") == {
        "who": ["[X]", "Paul"],
        "more": {"by": "[X]"},
        "n": 3,
    }


LEA_TABLES = {
    "_meta": {"1": {"id": "meta", "text": "Léa Bonnet"}},
    "participants": {
        "1": {"id": "p-lea", "name": "Léa Bonnet", "remark": "Léa Bonnet"},
        "2": {
            "id": "p-marc",
            "name": "Marc Roux",
            "remark": ["avec Léa Bonnet"],
            "extra": {"by": "Léa Bonnet"},
        },
    },
    "notes": {
        "3": {"text": "sans identifiant : Léa Bonnet"},
        "4": {"id": "n4", "text": "Léa Bonnet viendra", "structure_id": "Léa Bonnet"},
        "6": {"id": "Léa Bonnet", "text": "une note dont l'identifiant est son nom"},
    },
}


def test_mentions_skip_her_own_record_ids_and_the_metadata() -> None:
    matcher = Matcher(Identity(frozenset({"Léa Bonnet"})))
    found = privacy.mentions(LEA_TABLES, "p-lea", matcher, certain=True)
    assert [(m.table, m.record_id, m.field, m.text) for m in found] == [
        ("participants", "p-marc", "remark", "avec Léa Bonnet"),
        ("participants", "p-marc", "extra", "Léa Bonnet"),
        ("notes", "None", "text", "sans identifiant : Léa Bonnet"),
        ("notes", "n4", "text", "Léa Bonnet viendra"),
    ]


def test_the_changes_erase_her_from_every_record_and_empty_her_own_contact() -> None:
    tables = {
        **LEA_TABLES,
        "participants": {
            **LEA_TABLES["participants"],
            "1": {"id": "p-lea", "name": "Léa Bonnet", "email": "l@b.fr", "phone": "0601020304"},
        },
        "structures": {"5": {"id": "s5", "name": "Chez Léa Bonnet"}},
    }
    matcher = Matcher(Identity(frozenset({"Léa Bonnet"})))
    changes = privacy.scrub_tables(tables, "p-lea", matcher, "[X]")
    assert changes == {
        ("participants", "p-lea"): {"name": "[X]", "email": "", "phone": ""},
        ("participants", "p-marc"): {"remark": ["avec [X]"], "extra": {"by": "[X]"}},
        ("notes", "n4"): {"text": "[X] viendra"},  # its structure_id is a reference: kept
        ("structures", "s5"): {"name": "Chez [X]"},
    }


def test_a_forget_leaves_another_pending_erasure_recorded(small_cohort: CohortStore) -> None:
    lea = _person(small_cohort, "Léa Bonnet")
    paul = _person(small_cohort, "Paul Morel")
    erasure_path(small_cohort).write_text(
        json.dumps({"erasing": {paul.id: Identity(frozenset({"Paul Morel"})).to_doc()}}),
        encoding="utf-8",
    )
    forget(CohortStore(small_cohort.path), lea.id)
    assert list(privacy.pending(CohortStore(small_cohort.path))) == [paul.id]


def test_what_is_not_a_backup_in_the_backups_folder_is_neither_read_nor_rewritten(
    small_cohort: CohortStore, tmp_path: Path
) -> None:
    """A link (read through, it would rewrite a file elsewhere), a folder, an orphan
    temporary file (swept): the erasure finishes and leaves them be."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.backup()
    outside = tmp_path / "outside.json"
    outside.write_text(
        json.dumps({"participants": {"1": lea.to_doc()}}, ensure_ascii=False), encoding="utf-8"
    )
    (small_cohort.backup_dir / "20990101T000000000000.json").symlink_to(outside)
    (small_cohort.backup_dir / "a-folder").mkdir()
    orphan = small_cohort.backup_dir / ".20990102T000000000000.json.1.ab.tmp"
    orphan.write_text("Léa Bonnet")

    report = forget(CohortStore(small_cohort.path), lea.id)

    assert report.backups_rewritten == 1
    assert "Léa Bonnet" in outside.read_text(encoding="utf-8")
    assert (small_cohort.backup_dir / "a-folder").is_dir() and not orphan.exists()


def test_a_forget_in_a_process_that_wrote_long_ago_still_sweeps_orphan_temporary_files(
    small_cohort: CohortStore,
) -> None:
    """The store sweeps once, at a process's first write; the app stays open for hours,
    and a process killed meanwhile leaves whole snapshots in temporary files."""
    lea = _person(small_cohort, "Léa Bonnet")
    small_cohort.put(Note(text="première écriture"))
    small_cohort.backup()
    orphans = [
        small_cohort.path.with_name(f".{small_cohort.path.name}.999.abcd.tmp"),
        small_cohort.backup_dir / ".20990102T000000000000.json.1.ab.tmp",
    ]
    for orphan in orphans:
        orphan.write_text("Léa Bonnet")
    forget(small_cohort, lea.id)
    assert [o for o in orphans if o.exists()] == []
