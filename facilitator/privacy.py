"""Participants' personal data: what is held about one person, and erasing it.

Names, emails and phones are personal data. ``forget`` removes them from the
cohort, its journal (folded into a fresh snapshot) and every backup, and replaces
the person's mentions in every text field of every table (notes, bilans, a
session's place, task titles...) by a neutral word; the participant stays as an
anonymous record so attendance counts still add up.

What is looked for is built from **every value the person ever had**: the current
record, the journal and every backup (an earlier name, an old email or phone). Text
is compared normalised (accents, NFD forms, case, non-breaking and repeated spaces,
typographic apostrophes), and a name is also found as « Vidal Emma », « Vidal, Emma »,
« E. Vidal » or « Mme Vidal », a phone with dots, spaces or +33. A first or last
name written alone cannot be told from an ordinary word (« Rose », « rue Vidal »):
those mentions are listed for the facilitator to reread, never changed.

An erasure is **atomic and resumable**: it is first recorded by participant id, with
the values to look for, in ``<cohort>.erasing``; each step is idempotent; the whole
erasure runs under the cohort's write lock, so a note written meanwhile by another
process is scanned too; and the record is removed only once everything is erased.
Killed or stopped by a full disk, the erasure is finished by the next ``forget`` or
the next opening of the cohort (:func:`resume_pending`).
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.domain import Attendance, Note, Participant, Session, Structure, label
from facilitator.files import (
    TEMP_SUFFIX,
    StoreError,
    fsync_dir,
    read_nofollow,
    refuse_link,
    sweep_temp_files,
    write_atomic,
)
from facilitator.i18n import t
from facilitator.store import (
    ERASING_SUFFIX,
    META_TABLE,
    RECORD_TABLES,
    CohortStore,
    Op,
    ReadOnlyStore,
    Tables,
    WriteFailed,
    decode_line,
    encode_line,
    patch_op,
)

IDENTITY_FIELDS = ("name", "email", "phone")
TITLES = (
    "m",
    "mr",
    "mme",
    "mlle",
    "madame",
    "monsieur",
    "mademoiselle",
    "dr",
    "docteur",
    "docteure",
    "pr",
    "professeur",
    "me",
    "maitre",
    "mrs",
    "ms",
    "miss",
)
"""Words before a last name that make it a person's (« Mme Vidal », « Dr Vidal »)."""
PHONE_SEPARATOR = r"[ .\-/]?"
MIN_WORD = 3  # shorter first or last names alone are too common to flag


# --- comparing text as people write it ----------------------------------------------

APOSTROPHES = dict.fromkeys(map(ord, "’‘ʼ`´"), "'")
DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` without accents or case, every run of spaces (non-breaking ones too) as
    one space, zero-width characters dropped; and, for each character of the result,
    the position in ``text`` it comes from (one more entry: the end of ``text``).

    Matching runs on the result; replacing runs on ``text`` through the positions, so
    what is not the person's is left exactly as it was written.
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            out.append(" ")
            origin.append(index)
            continue
        if unicodedata.category(char) == "Cf":  # zero-width spaces, soft hyphens, marks
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold().translate(APOSTROPHES).translate(DASHES):
                out.append(folded)
                origin.append(index)
    origin.append(len(text))
    return "".join(out), origin


def fold(text: str) -> str:
    return normalise(text)[0].strip()


# --- who the person is, and was ---------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Every value one person ever had in a cohort."""

    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    def union(self, other: Identity) -> Identity:
        return Identity(
            self.names | other.names, self.emails | other.emails, self.phones | other.phones
        )

    def with_fields(self, fields: dict[str, Any]) -> Identity:
        """Add the name, email and phone of a record or of a patch of it."""
        found = {
            k: v.strip() for k, v in fields.items() if k in IDENTITY_FIELDS and isinstance(v, str)
        }
        anonymous = fold(t("privacy.anonymous"))
        names = {v for v in [found.get("name", "")] if v and fold(v) != anonymous}
        emails = {v for v in [found.get("email", "")] if v}
        phones = {v for v in [found.get("phone", "")] if v}
        return self.union(Identity(frozenset(names), frozenset(emails), frozenset(phones)))

    def to_doc(self) -> dict[str, list[str]]:
        return {
            "names": sorted(self.names),
            "emails": sorted(self.emails),
            "phones": sorted(self.phones),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Identity:
        def strings(key: str) -> frozenset[str]:
            return frozenset(v for v in doc.get(key, []) if isinstance(v, str))

        return cls(strings("names"), strings("emails"), strings("phones"))

    def matches(self, query: str) -> bool:
        """Whether ``query`` names this person (for ``forget`` run again after a kill)."""
        wanted = fold(query)
        return bool(wanted) and any(fold(name).startswith(wanted) for name in self.names)


def _identity_in_tables(tables: dict[str, Any], participant_id: str) -> Identity:
    found = Identity()
    for doc in _docs(tables.get(Participant.TABLE)):
        if doc.get("id") == participant_id:
            found = found.with_fields(doc)
    return found


def _docs(table: Any) -> Iterator[dict[str, Any]]:
    if isinstance(table, dict):
        yield from (doc for doc in table.values() if isinstance(doc, dict))


def _identity_in_journal(raw: bytes, participant_id: str) -> Identity:
    found = Identity()
    for line in raw.split(b"\n"):
        entry = decode_line(line)
        for op in entry.get("ops", []) if entry else []:
            if not isinstance(op, dict) or op.get("t") != Participant.TABLE:
                continue
            if op.get("o") == "put" and isinstance(op.get("d"), dict):
                fields = op["d"] if op["d"].get("id") == participant_id else {}
            elif op.get("o") == "patch" and isinstance(op.get("f"), dict):
                fields = op["f"] if op.get("i") == participant_id else {}
            else:
                fields = {}
            found = found.with_fields(fields)
    return found


def identity_of(store: CohortStore, participant_id: str) -> Identity:
    """Every name, email and phone the person had: now, in the journal, in every backup."""
    found = Identity()
    current = store.get(Participant, participant_id)
    if current is not None:
        found = found.with_fields(current.to_doc())
    with contextlib.suppress(FileNotFoundError):
        found = found.union(_identity_in_journal(read_nofollow(store.journal_path), participant_id))
    for path in _backup_files(store):
        raw = read_nofollow(path)
        if path.name.endswith(".journal.damaged"):
            found = found.union(_identity_in_journal(raw, participant_id))
            continue
        with contextlib.suppress(ValueError):
            data = json.loads(raw)
            if isinstance(data, dict):
                found = found.union(_identity_in_tables(data, participant_id))
    return found


# --- finding the person in text --------------------------------------------------------


def _words(name: str) -> list[str]:
    return fold(name).split()


def _initials(first: str) -> str:
    """« e\\.? » for Emma, « j\\.?-?p\\.? » for Jean-Pierre (« J.-P. », « JP »)."""
    parts = [p for p in first.split("-") if p]
    return r"\s?-?\s?".join(re.escape(p[0]) + r"\.?" for p in parts)


def _name_patterns(name: str, others: Iterable[list[str]]) -> tuple[list[str], list[str]]:
    """(certain, uncertain) regular expressions, on normalised text, for one name."""
    words = _words(name)
    if not words:
        return [], []
    sep = r"(?:\s?,\s?|\s)"
    certain = [sep.join(map(re.escape, words))] if len("".join(words)) >= MIN_WORD else []
    uncertain: list[str] = []
    if len(words) >= 2:
        first, rest = words[0], words[1:]
        last = rest[-1]
        certain.append(sep.join(map(re.escape, [*rest, first])))
        if len(rest) > 1:  # a middle name left out, or only the last of two last names
            certain.append(sep.join(map(re.escape, [first, last])))
            certain.append(sep.join(map(re.escape, [last, first])))
        surname = r"\s".join(map(re.escape, rest))
        same_last = [o for o in others if o and o[-1] == last]
        titled = rf"(?:{'|'.join(TITLES)})\.?\s?{surname}"
        initial = rf"{_initials(first)}\s?{surname}"
        (uncertain if same_last else certain).append(titled)
        (uncertain if any(o[0][0] == first[0] for o in same_last) else certain).append(initial)
        uncertain += [re.escape(w) for w in (first, last) if len(w) >= MIN_WORD]
    return certain, uncertain


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if digits.startswith("33"):
            digits = "0" + digits[2:]
    if len(digits) < 6:
        return None
    if digits.startswith("0") and len(digits) == 10:  # French: 06..., +33 6..., 0033 6...
        core = PHONE_SEPARATOR.join(digits[1:])
        prefix = r"(?:0|(?:\+|00)\s?33\s?(?:\(0\)\s?)?)"
        return rf"(?<!\d){prefix}{PHONE_SEPARATOR}{core}(?!\d)"
    return rf"(?<!\d){PHONE_SEPARATOR.join(digits)}(?!\d)"


def _alternatives(patterns: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted(set(patterns), key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in unique)) if unique else None


@dataclass(frozen=True)
class Mention:
    """A text field that may name the person without certainty: to reread."""

    table: str
    record_id: str
    field: str
    text: str

    @property
    def where(self) -> str:
        return t(f"privacy.where.{self.table}") if self.table in RECORD_TABLES else self.table


class Matcher:
    """The person's identifying strings, as found in normalised text."""

    def __init__(self, identity: Identity, others: Iterable[str] = ()) -> None:
        other_words = [_words(o) for o in others]
        certain: list[str] = []
        uncertain: list[str] = []
        for name in identity.names:
            sure, unsure = _name_patterns(name, other_words)
            certain += sure
            uncertain += unsure
        names = _alternatives(certain)
        loose = _alternatives(uncertain)
        parts = [rf"(?<!\w)(?:{names.pattern})(?!\w)"] if names else []
        for email in identity.emails:
            folded = fold(email)
            if len(folded) >= MIN_WORD:
                parts.append(rf"(?<![\w.+-]){re.escape(folded)}(?![\w-])")
        parts += [p for p in map(_phone_pattern, identity.phones) if p]
        self.certain = re.compile("|".join(parts)) if parts else None
        self.uncertain = re.compile(rf"(?<!\w)(?:{loose.pattern})(?!\w)") if loose else None

    def names(self, text: str) -> bool:
        return self.certain is not None and self.certain.search(normalise(text)[0]) is not None

    def may_name(self, text: str) -> bool:
        return self.uncertain is not None and self.uncertain.search(normalise(text)[0]) is not None

    def scrub(self, text: str, replacement: str) -> str:
        """``text`` with every certain mention replaced; the rest as it was written."""
        if self.certain is None:
            return text
        folded, origin = normalise(text)
        pieces, kept = [], 0
        for match in self.certain.finditer(folded):
            # To the next character kept: an accent written apart (NFD) goes with its
            # letter, the space after the name stays.
            start, end = origin[match.start()], origin[match.end()]
            pieces += [text[kept:start], replacement]
            kept = end
        return "".join([*pieces, text[kept:]]) if pieces else text

    def scrub_value(self, value: Any, replacement: str) -> Any:
        if isinstance(value, str):
            return self.scrub(value, replacement)
        if isinstance(value, list):
            return [self.scrub_value(v, replacement) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_value(v, replacement) for k, v in value.items()}
        return value


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)


def _scanned(table: str, name: str) -> bool:
    """Whether a field may hold free text: not an id, not another person's identity."""
    if name == "id" or name.endswith("_id"):
        return False
    return not (table == Participant.TABLE and name in IDENTITY_FIELDS)


def scrub_tables(
    tables: dict[str, Any], participant_id: str, matcher: Matcher, replacement: str
) -> dict[tuple[str, str], dict[str, Any]]:
    """The changes that erase the person from ``tables``: (table, id) -> new fields.

    The person's own record loses their name, email and phone; in every other record,
    every field that may hold text loses their mentions. ``tables`` is not changed.
    """
    changes: dict[tuple[str, str], dict[str, Any]] = {}
    for table, docs in tables.items():
        if table == META_TABLE:
            continue
        for doc in _docs(docs):
            key = doc.get("id")
            if not isinstance(key, str):
                continue
            fields: dict[str, Any] = {}
            if table == Participant.TABLE and key == participant_id:
                wanted = {"name": replacement, "email": "", "phone": ""}
                fields = {k: v for k, v in wanted.items() if doc.get(k, v) != v}
            for name, value in doc.items():
                if _scanned(table, name):
                    new = matcher.scrub_value(value, replacement)
                    if new != value:
                        fields[name] = new
            if fields:
                changes[(table, key)] = fields
    return changes


def mentions(
    tables: dict[str, Any], participant_id: str, matcher: Matcher, *, certain: bool
) -> list[Mention]:
    """Every text field that names the person (``certain``), or only may (to reread)."""

    def test(text: str) -> bool:
        named = matcher.names(text)
        return named if certain else not named and matcher.may_name(text)

    found = []
    for table, docs in tables.items():
        if table == META_TABLE:
            continue
        for doc in _docs(docs):
            if table == Participant.TABLE and doc.get("id") == participant_id:
                continue
            for name, value in doc.items():
                if not _scanned(table, name):
                    continue
                for text in _texts(value):
                    if test(text):
                        found.append(Mention(table, str(doc.get("id")), name, text))
    return found


# --- erasing, durably and resumably --------------------------------------------------


class ErasureUnfinished(StoreError):
    """The erasure stopped (a full disk, a refusal): it is recorded and will be finished."""

    def __init__(self, reason: str) -> None:
        super().__init__("privacy.error.unfinished", reason=reason)


@dataclass(frozen=True)
class ForgetReport:
    notes_changed: int
    backups_rewritten: int
    first_name_notes: tuple[Note, ...]  # notes that may still name the person: to reread
    records_changed: int = 0  # every record changed, notes included
    to_reread: tuple[Mention, ...] = ()  # in every table
    participant_id: str = ""
    identity: Identity = field(default_factory=Identity)


def erasure_path(store: CohortStore) -> Path:
    return store.path.with_suffix(ERASING_SUFFIX)


def pending(store: CohortStore) -> dict[str, Identity]:
    """The erasures recorded and not finished: participant id -> values to erase."""
    try:
        raw = read_nofollow(erasure_path(store))
    except (FileNotFoundError, StoreError):  # a link there is refused when writing
        return {}
    try:
        doc = json.loads(raw)
        return {pid: Identity.from_doc(one) for pid, one in doc["erasing"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}  # a record cut short is rewritten whole by the next forget


def _record(store: CohortStore, erasing: dict[str, Identity]) -> None:
    path = erasure_path(store)
    if not erasing:
        refuse_link(path)
        path.unlink(missing_ok=True)
        fsync_dir(path.parent)
        return
    doc = {"erasing": {pid: one.to_doc() for pid, one in sorted(erasing.items())}}
    write_atomic(path, json.dumps(doc, ensure_ascii=False).encode("utf-8"), store.modes)


def forget(store: CohortStore, participant_id: str) -> ForgetReport:
    """Erase one participant's personal data everywhere the cohort keeps it."""
    if store.read_only:
        raise ReadOnlyStore()
    with store.holding_lock():
        store.refresh()
        known = pending(store)
        if store.get(Participant, participant_id) is None and participant_id not in known:
            raise KeyError(participant_id)
        return _erase(store, participant_id, known)


def resume_pending(store: CohortStore) -> list[ForgetReport]:
    """Finish the erasures a kill or a full disk interrupted (nothing when none is)."""
    if store.read_only or not pending(store):
        return []
    with store.holding_lock():
        store.refresh()
        return [_erase(store, pid, pending(store)) for pid in list(pending(store))]


def _erase(store: CohortStore, participant_id: str, known: dict[str, Identity]) -> ForgetReport:
    """One erasure, every step idempotent, under the cohort's lock (held by the caller)."""
    identity = known.get(participant_id, Identity()).union(identity_of(store, participant_id))
    try:
        _record(store, {**known, participant_id: identity})  # first: what is to be erased
    except OSError as error:
        raise ErasureUnfinished(error.strerror or str(error)) from error
    anonymous = t("privacy.anonymous")
    others = [p.name for p in store.records(Participant) if p.id != participant_id]
    matcher = Matcher(identity, others)
    try:
        changes = scrub_tables(store.all_docs(), participant_id, matcher, anonymous)
        ops: list[Op] = [
            patch_op(RECORD_TABLES[table], key, fields)
            for (table, key), fields in changes.items()
            if table in RECORD_TABLES
        ]
        store.apply(ops)
        store.compact()  # the journal lines that held the person are folded away
        _sweep(store)
        rewritten = _scrub_backups(store, participant_id, matcher, anonymous)
        rest = pending(store)
        rest.pop(participant_id, None)
        _record(store, rest)  # last: the erasure is done
    except OSError as error:
        raise ErasureUnfinished(error.strerror or str(error)) from error
    except WriteFailed as error:  # its own sentence would say the file is intact
        raise ErasureUnfinished(error.error.strerror or str(error.error)) from error
    except StoreError as error:
        raise ErasureUnfinished(error.message) from error
    tables = store.all_docs()
    reread = tuple(mentions(tables, participant_id, matcher, certain=False))
    notes = {n.id: n for n in store.records(Note)}
    return ForgetReport(
        notes_changed=sum(table == Note.TABLE for table, _ in changes),
        backups_rewritten=rewritten,
        first_name_notes=tuple(
            notes[key] for key in dict.fromkeys(m.record_id for m in reread) if key in notes
        ),
        records_changed=len(changes),
        to_reread=reread,
        participant_id=participant_id,
        identity=identity,
    )


def _sweep(store: CohortStore) -> None:
    """Orphan temporary files hold whole snapshots, or a record of this erasure: they go
    before the erasure is done."""
    sweep_temp_files(store.path.parent, f"{store.path.stem}.")
    if store.backup_dir.is_dir():
        sweep_temp_files(store.backup_dir, "")


def _backup_files(store: CohortStore) -> list[Path]:
    """Every file of the cohort's backups folder, read without following links."""
    refuse_link(store.backup_dir.parent)
    refuse_link(store.backup_dir)
    if not store.backup_dir.is_dir():
        return []
    return [
        path
        for path in sorted(store.backup_dir.iterdir())
        if not path.is_symlink()
        and path.is_file()
        and not (path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX))
    ]


def _scrub_backups(
    store: CohortStore, participant_id: str, matcher: Matcher, replacement: str
) -> int:
    """Rewrite every backup of the cohort without the person, damaged ones included."""
    rewritten = 0
    for path in _backup_files(store):
        raw = read_nofollow(path)
        if path.name.endswith(".journal.damaged"):
            new = _scrub_journal(raw, participant_id, matcher, replacement)
        else:
            new = _scrub_snapshot(raw, participant_id, matcher, replacement)
        if new != raw:
            write_atomic(path, new, store.modes)
            rewritten += 1
    return rewritten


def _scrub_snapshot(raw: bytes, participant_id: str, matcher: Matcher, replacement: str) -> bytes:
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError(type(data))
    except ValueError:  # a damaged file kept as it was: scrub its text
        return _scrub_bytes(raw, matcher, replacement)
    for (table, key), fields in scrub_tables(data, participant_id, matcher, replacement).items():
        for doc in _docs(data.get(table)):
            if doc.get("id") == key:
                doc.update(fields)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _scrub_journal(raw: bytes, participant_id: str, matcher: Matcher, replacement: str) -> bytes:
    """A damaged journal kept aside: good lines rewritten with a fresh checksum, so a
    salvage from it still reads them; bad ones scrubbed as text."""
    lines = raw.split(b"\n")
    out = []
    for line in lines:
        entry = decode_line(line)
        if entry is None:
            out.append(_scrub_bytes(line, matcher, replacement))
            continue
        ops = [_scrub_op(op, participant_id, matcher, replacement) for op in entry.get("ops", [])]
        if ops == entry.get("ops"):
            out.append(line)
        else:
            out.append(encode_line(entry.get("g", 0), ops).rstrip(b"\n"))
    return b"\n".join(out)


def _scrub_op(op: Any, participant_id: str, matcher: Matcher, replacement: str) -> Any:
    if not isinstance(op, dict):
        return op
    table = op.get("t")
    if op.get("o") == "put" and isinstance(op.get("d"), dict) and isinstance(table, str):
        changes = scrub_tables({table: {"1": op["d"]}}, participant_id, matcher, replacement)
        fields = next(iter(changes.values()), {})
        return {**op, "d": {**op["d"], **fields}} if fields else op
    if op.get("o") == "patch" and isinstance(op.get("f"), dict) and isinstance(table, str):
        doc = {"id": op.get("i"), **op["f"]}
        changes = scrub_tables({table: {"1": doc}}, participant_id, matcher, replacement)
        fields = next(iter(changes.values()), {})
        return {**op, "f": {**op["f"], **{k: v for k, v in fields.items() if k in op["f"]}}}
    return op


def _scrub_bytes(raw: bytes, matcher: Matcher, replacement: str) -> bytes:
    text = raw.decode("utf-8", "surrogateescape")
    return matcher.scrub(text, replacement).encode("utf-8", "surrogateescape")


# --- what is held about one person ----------------------------------------------------


def person_record(store: CohortStore, participant_id: str) -> dict[str, Any]:
    """Everything the cohort holds about one person, to hand to them on request: the
    same mentions ``forget`` would erase, and those it would ask to reread."""
    participant = store.get(Participant, participant_id)
    if participant is None:
        raise KeyError(participant_id)
    structure = store.get(Structure, participant.structure_id)
    sessions = {s.id: s for s in store.records(Session)}
    attendance = []
    for record in store.records(Attendance):
        session = sessions.get(record.session_id)
        if record.participant_id == participant.id and session is not None:
            attendance.append(
                {
                    "session": label(session.kind),
                    "date": session.date.isoformat() if session.date else None,
                    "presence": label(record.presence),
                }
            )
    identity = identity_of(store, participant_id)
    others = [p.name for p in store.records(Participant) if p.id != participant_id]
    matcher = Matcher(identity, others)
    tables = store.all_docs()
    notes = {n.id: n for n in store.records(Note)}

    def listed(found: list[Mention]) -> list[dict[str, str]]:
        return [{"where": m.where, "field": m.field, "text": m.text} for m in found]

    named = mentions(tables, participant_id, matcher, certain=True)
    return {
        "participant": {
            "name": participant.name,
            "role": label(participant.role),
            "governance": participant.governance,
            "email": participant.email,
            "phone": participant.phone,
            "structure": structure.name if structure else None,
        },
        "earlier_values": {
            "names": sorted(identity.names - {participant.name}),
            "emails": sorted(identity.emails - {participant.email}),
            "phones": sorted(identity.phones - {participant.phone}),
        },
        "attendance": attendance,
        "notes_mentioning": [
            {
                "created": notes[m.record_id].created.isoformat(),
                "kind": label(notes[m.record_id].kind),
                "text": m.text,
            }
            for m in named
            if m.table == Note.TABLE and m.record_id in notes
        ],
        "mentions": listed(named),
        "to_reread": listed(mentions(tables, participant_id, matcher, certain=False)),
    }


def person_json(store: CohortStore, participant_id: str) -> bytes:
    return (
        json.dumps(person_record(store, participant_id), ensure_ascii=False, indent=2) + "\n"
    ).encode()


__all__ = [
    "ErasureUnfinished",
    "ForgetReport",
    "Identity",
    "Matcher",
    "Mention",
    "Tables",
    "forget",
    "identity_of",
    "normalise",
    "pending",
    "person_json",
    "person_record",
    "resume_pending",
]
