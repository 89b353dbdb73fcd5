"""Participants' personal data: what is held about one person, and erasing it.

Names, emails and phones are personal data. ``forget`` removes them from the
cohort, its journal (folded into a fresh snapshot) and every backup, and
replaces mentions of the person's name in notes by a neutral word; the
participant stays as an anonymous record so attendance counts still add up.
A first name written alone in a note cannot be told from an ordinary word:
``forget`` lists those notes so the facilitator can reread them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.domain import Attendance, BilanReview, Note, Participant, Session, Structure, label
from facilitator.files import read_nofollow, refuse_link, write_atomic
from facilitator.i18n import t
from facilitator.store import CohortStore, Op, patch_op


@dataclass(frozen=True)
class ForgetReport:
    notes_changed: int
    backups_rewritten: int
    first_name_notes: tuple[Note, ...]  # notes naming the first name alone: to reread


def _pattern(participant: Participant) -> re.Pattern[str] | None:
    """The person's identifying strings, longest first, as one case-insensitive pattern."""
    name = participant.name.strip()
    words = name.split()
    variants = {name, participant.email.strip(), participant.phone.strip()}
    if len(words) >= 2:
        variants.add(" ".join(reversed(words)))
    phone_digits = re.sub(r"\D", "", participant.phone)
    if len(phone_digits) >= 8:
        variants.add(phone_digits)
    variants = {v for v in variants if len(v) >= 3}
    if not variants:
        return None
    alternatives = sorted((re.escape(v) for v in variants), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrub(v, pattern, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern, replacement) for k, v in value.items()}
    return value


def forget(store: CohortStore, participant_id: str) -> ForgetReport:
    """Erase one participant's personal data everywhere the cohort keeps it."""
    participant = store.get(Participant, participant_id)
    if participant is None:
        raise KeyError(participant_id)
    pattern = _pattern(participant)
    anonymous = t("privacy.anonymous")
    ops: list[Op] = [
        patch_op(Participant, participant.id, {"name": anonymous, "email": "", "phone": ""})
    ]
    changed = 0
    if pattern is not None:
        for note in store.records(Note):
            text = pattern.sub(anonymous, note.text)
            if text != note.text:
                ops.append(patch_op(Note, note.id, {"text": text}))
                changed += 1
        for review in store.records(BilanReview):
            fields = {
                k: pattern.sub(anonymous, v)
                for k, v in (
                    ("comments", review.comments),
                    ("next_steps", review.next_steps),
                    ("third_person", review.third_person),
                )
                if pattern.search(v)
            }
            if fields:
                ops.append(patch_op(BilanReview, review.id, fields))
    store.apply(ops)
    store.compact()  # the journal lines that held the name are folded away
    rewritten = _scrub_backups(store, pattern, anonymous) if pattern is not None else 0
    first = participant.name.split()[0] if participant.name.split() else ""
    loose = re.compile(rf"\b{re.escape(first)}\b", re.IGNORECASE) if len(first) >= 3 else None
    to_reread = tuple(n for n in store.records(Note) if loose and loose.search(n.text))
    return ForgetReport(changed, rewritten, to_reread)


def _scrub_backups(store: CohortStore, pattern: re.Pattern[str], replacement: str) -> int:
    """Rewrite every backup of the cohort without the person's identifying strings."""
    rewritten = 0
    refuse_link(store.backup_dir.parent)
    refuse_link(store.backup_dir)
    if not store.backup_dir.is_dir():
        return 0
    for path in sorted(store.backup_dir.iterdir()):
        if path.is_symlink() or not path.is_file() or path.name.startswith("."):
            continue
        raw = read_nofollow(path)
        try:
            data = json.loads(raw)
            new = json.dumps(
                _scrub(data, pattern, replacement), ensure_ascii=False, separators=(",", ":")
            ).encode()
        except ValueError:  # a damaged file kept as it was: scrub its bytes
            new = pattern.sub(replacement, raw.decode("utf-8", "replace")).encode()
        if new != raw:
            write_atomic(path, new, store.modes)
            rewritten += 1
    return rewritten


def person_record(store: CohortStore, participant_id: str) -> dict[str, Any]:
    """Everything the cohort holds about one person, to hand to them on request."""
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
    pattern = _pattern(participant)
    mentions = [
        {"created": n.created.isoformat(), "kind": label(n.kind), "text": n.text}
        for n in store.records(Note)
        if pattern is not None and pattern.search(n.text)
    ]
    return {
        "participant": {
            "name": participant.name,
            "role": label(participant.role),
            "governance": participant.governance,
            "email": participant.email,
            "phone": participant.phone,
            "structure": structure.name if structure else None,
        },
        "attendance": attendance,
        "notes_mentioning": mentions,
    }


def person_json(store: CohortStore, participant_id: str) -> bytes:
    return (
        json.dumps(person_record(store, participant_id), ensure_ascii=False, indent=2) + "\n"
    ).encode()


__all__ = ["ForgetReport", "Path", "forget", "person_json", "person_record"]
