"""The words of the job, as data: cohort, structures, participants, sessions, notes.

Every record has a stable ``id`` (a uuid4 hex string) and is stored as a plain
JSON object in the table named by its class's ``TABLE``. Dates are ISO strings on
disk, ``datetime.date`` / ``datetime.time`` here; instants are UTC ``arrow.Arrow``.
Labels shown to people come from the catalogues (``domain.*`` keys), never from
the enum values, which are stable identifiers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

import arrow

from facilitator.i18n import Explained, t


def new_id() -> str:
    return uuid.uuid4().hex


class InvalidInput(Explained, ValueError):
    """Input a person typed that cannot be accepted, next to the field it came from."""

    def __init__(self, key: str, field: str | None = None, **values: object) -> None:
        super().__init__(key, **values)
        self.field = field


class Approach(StrEnum):
    TERRITORIAL = "territoriale"
    NETWORK = "reseau"
    SECTORAL = "sectorielle"


class Role(StrEnum):
    DIRECTOR = "dirigeant"
    PRESIDENT = "president"
    TREASURER = "tresorier"
    BOARD_MEMBER = "membre-ca"
    OTHER = "autre"

    @property
    def is_governance(self) -> bool:
        return self in (Role.PRESIDENT, Role.TREASURER, Role.BOARD_MEMBER)


class SessionKind(StrEnum):
    INTRO = "intro"
    STATE_OF_PLAY = "etat-des-lieux"
    EVOLUTION = "evolution"
    BILAN = "bilan"


SESSION_ORDER = (
    SessionKind.INTRO,
    SessionKind.STATE_OF_PLAY,
    SessionKind.EVOLUTION,
    SessionKind.BILAN,
)


class NoteKind(StrEnum):
    FINDING = "constat"  # what the glossary calls a constat
    PROBLEM = "problematique"
    AMBITION = "ambition"
    OBSTACLE = "frein"
    SUCCESS_CONDITION = "condition-de-reussite"
    MIRROR = "effet-miroir"
    ACTION = "piste-action"
    QUESTION = "question"
    VISION_CHANGE = "evolution-vision"
    FEEDBACK = "retour"


class Lever(StrEnum):
    """The three levers of a socio-economic model."""

    HUMAN = "richesses-humaines"
    FINANCIAL = "ressources-financieres"
    ALLIANCES = "alliances-partenariats"


class TaskStatus(StrEnum):
    TODO = "a-faire"
    IN_PROGRESS = "en-cours"
    DONE = "fait"


class Presence(StrEnum):
    PRESENT = "present"
    EXCUSED = "excuse"
    ABSENT = "absent"


def label(value: StrEnum) -> str:
    """The on-screen word for an enum value (``domain.<enum>.<value>``)."""
    return t(f"domain.{type(value).__name__.lower()}.{value.value}")


def session_name(kind: SessionKind, lang: str | None = None) -> str:
    """A session kind as a list or a thread names it: « Session introductive »,
    « S1 · État des lieux », « Bilan individuel »."""
    if kind in (SessionKind.INTRO, SessionKind.BILAN):
        return t(f"domain.sessionkind.{kind.value}", lang)
    name = t(f"domain.sessionname.{kind.value}", lang)
    return t("domain.tagged", lang, tag=session_tag(kind, lang), name=name)


def lever_short(lever: Lever, lang: str | None = None) -> str:
    """A lever in a word or two, beside a note or over a narrow column: RH, finances."""
    return t(f"domain.lever_short.{lever.value}", lang)


def session_tag(kind: SessionKind, lang: str | None = None) -> str:
    """A session kind in a few letters, for a column or beside a note: Intro, S1, S2, Bilan."""
    return t(f"domain.sessiontag.{kind.value}", lang)


# --- parsing what people type -------------------------------------------------


def parse_date(text: str, field: str = "date") -> dt.date:
    """A date typed as ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``."""
    raw = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise InvalidInput("domain.error.bad_date", field, value=raw)


def parse_creation(text: str, field: str = "created") -> dt.date:
    """A structure's creation date, or its year alone (1 January of it): the year is
    often all a structure knows of its statutes."""
    raw = text.strip()
    if len(raw) == 4 and raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return dt.date(int(raw), 1, 1)
    return parse_date(raw, field)


def parse_time(text: str, field: str = "time") -> dt.time:
    """A clock time typed as ``HH:MM`` or ``HHhMM`` (``9h30``)."""
    raw = text.strip().lower().replace("h", ":")
    if raw.endswith(":"):
        raw += "00"
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise InvalidInput("domain.error.bad_time", field, value=text.strip()) from None


def require_name(text: str, field: str = "name") -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("domain.error.empty_name", field)
    return name


def require_duration(value: int, field: str = "minutes") -> int:
    """The minutes of an agenda item a person plans: at least one."""
    if value <= 0:
        raise InvalidInput("domain.error.no_duration", field, value=value)
    return value


def check_timezone(name: str, field: str = "timezone") -> str:
    """An IANA time zone name (``Europe/Paris``, ``America/Cayenne``)."""
    import zoneinfo

    raw = name.strip()
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("domain.error.bad_timezone", field, value=raw) from None
    return raw


EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
"""Sessions and programme starts outside these years are typos (2206 for 2026)."""


def require_programme_date(day: dt.date, field: str = "date") -> dt.date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise InvalidInput(
            "domain.error.date_out_of_range",
            field,
            value=day.isoformat(),
            first=EARLIEST_YEAR,
            last=LATEST_YEAR,
        )
    return day


# --- records -------------------------------------------------------------------

R = TypeVar("R", bound="Record")


def encode_value(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, arrow.Arrow):
        return value.to("utc").isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    return value


@dataclass(kw_only=True)
class Record:
    """A stored thing with a stable id. Subclasses name their table."""

    TABLE: ClassVar[str] = ""
    id: str = field(default_factory=new_id)

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = encode_value(self)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**cls._decode({k: v for k, v in doc.items() if k in known}))

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        return doc


def _opt_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _opt_time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _opt_arrow(value: str | None) -> arrow.Arrow | None:
    return arrow.get(value) if value else None


@dataclass(kw_only=True)
class Consultant:
    name: str
    days_budgeted: float = 0.0
    days_spent: float = 0.0


@dataclass(kw_only=True)
class Cohort(Record):
    TABLE: ClassVar[str] = "cohort"
    name: str
    approach: Approach = Approach.TERRITORIAL
    thematic: str = ""
    territory: str = ""
    dlas: list[str] = field(default_factory=list)
    cofinancers: list[str] = field(default_factory=list)
    consultants: list[Consultant] = field(default_factory=list)
    start_date: dt.date | None = None
    timezone: str = "Europe/Paris"  # where the sessions take place: clock times are read in it
    archived: bool = False

    def today(self, now: arrow.Arrow) -> dt.date:
        """The day it is where the sessions take place; UTC if the zone is unknown.

        A screen opened at 00:30 in Paris must already say « demain » for tomorrow's
        session, though it is still yesterday in UTC.
        """
        try:
            return now.to(self.timezone).date()
        except (arrow.parser.ParserError, ValueError):
            return now.to("utc").date()

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        if "approach" in out:
            out["approach"] = Approach(out["approach"])
        out["consultants"] = [Consultant(**c) for c in out.get("consultants", [])]
        out["start_date"] = _opt_date(out.get("start_date"))
        return out


@dataclass(kw_only=True)
class Structure(Record):
    """An association taking part in the programme."""

    TABLE: ClassVar[str] = "structures"
    name: str
    created: dt.date | None = None
    employer: bool = True
    general_interest: bool = True
    sector: str = ""
    network: str = ""
    das: list[str] = field(default_factory=list)

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["created"] = _opt_date(out.get("created"))
        return out


@dataclass(kw_only=True)
class Participant(Record):
    TABLE: ClassVar[str] = "participants"
    structure_id: str
    name: str
    role: Role = Role.OTHER
    governance: bool = False
    email: str = ""
    phone: str = ""

    @property
    def speaks_for_governance(self) -> bool:
        """Speaks for the governance (board or bureau): what the guidance asks about.

        The flag says so; a governance role counts too, so a président·e whose flag
        was left unticked does not make the rules cry wolf.
        """
        return self.governance or self.role.is_governance

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        if "role" in out:
            out["role"] = Role(out["role"])
        return out


@dataclass(kw_only=True)
class AgendaItem:
    """One line of a session's agenda.

    ``per_structure`` items are expanded into one slot per structure of the
    cohort; ``fixed_time`` pins an item to a clock time (lunch, end of day).
    """

    id: str = field(default_factory=new_id)
    key: str = ""  # the template item it came from; its title is in the catalogues
    title: str = ""  # the facilitator's own wording, shown instead when set
    minutes: int
    min_minutes: int = 0
    kind: str = "plenary"
    per_structure: bool = False
    fixed_time: dt.time | None = None
    structure_id: str | None = None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AgendaItem:
        out = dict(doc)
        out["fixed_time"] = _opt_time(out.get("fixed_time"))
        return cls(**out)


@dataclass(kw_only=True)
class Session(Record):
    TABLE: ClassVar[str] = "sessions"
    kind: SessionKind
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None  # a fixed end of day, from the template; re-planning keeps it
    place: str = ""
    structure_id: str | None = None  # a bilan belongs to one structure
    template: str = ""  # the agenda template it was laid out from
    agenda: list[AgendaItem] = field(default_factory=list)

    def held(self, today: dt.date) -> bool:
        """Behind us: its day is over. On its own day a session is still to hold, in
        every screen and document alike (``today`` is the cohort's: ``Cohort.today``)."""
        return self.date is not None and self.date < today

    def attended(self, today: dt.date, *, marked: bool) -> bool:
        """Who came can be told: the session is held, or it is today and someone is
        already marked present (``marked``). The board shows its attendance from then."""
        return self.held(today) or (marked and self.date == today)

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["kind"] = SessionKind(out["kind"])
        out["date"] = _opt_date(out.get("date"))
        out["start_time"] = _opt_time(out.get("start_time"))
        out["end_time"] = _opt_time(out.get("end_time"))
        out["agenda"] = [AgendaItem.from_doc(i) for i in out.get("agenda", [])]
        return out


@dataclass(kw_only=True)
class Attendance(Record):
    """Whether one participant came to one session.

    Its id is derived from the pair, so marking twice updates one record and two
    facilitators marking different people never touch the same record.
    """

    TABLE: ClassVar[str] = "attendance"
    session_id: str
    participant_id: str
    presence: Presence = Presence.PRESENT

    @staticmethod
    def key(session_id: str, participant_id: str) -> str:
        return f"{session_id}:{participant_id}"

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["presence"] = Presence(out["presence"])
        return out


@dataclass(kw_only=True)
class Note(Record):
    """Something said in a session, captured as it was said."""

    TABLE: ClassVar[str] = "notes"
    kind: NoteKind = NoteKind.FINDING
    text: str
    structure_id: str | None = None
    session_id: str | None = None
    lever: Lever | None = None
    das: str = ""
    author: str = ""
    created: arrow.Arrow = field(default_factory=arrow.utcnow)
    edited: arrow.Arrow | None = None

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["kind"] = NoteKind(out.get("kind", NoteKind.FINDING))
        out["lever"] = Lever(out["lever"]) if out.get("lever") else None
        out["created"] = arrow.get(out["created"])
        out["edited"] = _opt_arrow(out.get("edited"))
        return out


@dataclass(kw_only=True)
class PreparatoryTask(Record):
    """Travail d'intersession: work a structure does before a session."""

    TABLE: ClassVar[str] = "tasks"
    structure_id: str
    title: str
    before: SessionKind
    due: dt.date | None = None
    status: TaskStatus = TaskStatus.TODO

    def late(self, today: dt.date) -> bool:
        """Not done and its due day is over: a task due today is not late yet."""
        return self.status != TaskStatus.DONE and self.due is not None and self.due < today

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["before"] = SessionKind(out["before"])
        out["due"] = _opt_date(out.get("due"))
        out["status"] = TaskStatus(out.get("status", TaskStatus.TODO))
        return out


@dataclass(kw_only=True)
class ClockEvent(Record):
    """One press on a session's clock (start, pause, next...), in UTC.

    The clock's state is computed from these events and a ``now``; nothing is
    written per tick. Each event is its own record so two terminals never
    overwrite each other's presses.
    """

    TABLE: ClassVar[str] = "clock"
    session_id: str
    action: str
    at: arrow.Arrow = field(default_factory=arrow.utcnow)
    minutes: int = 0
    item: int | None = None

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["at"] = arrow.get(out["at"])
        return out


FEEDBACK_QUESTIONS = ("collective", "peers", "method", "intersession", "next")
"""The association's feedback on the programme, each rated 1 to 5 at its bilan
(the wording is in the catalogues, ``bilan.question.<key>``)."""


@dataclass(kw_only=True)
class BilanReview(Record):
    """What the bilan meeting itself records, beside the notes taken in it.

    One per bilan session (its id is the session's), so two facilitators filling
    different fields of it keep both.
    """

    TABLE: ClassVar[str] = "bilans"
    session_id: str
    structure_id: str
    ratings: dict[str, int] = field(default_factory=dict)  # question key -> 1..5
    comments: str = ""
    third_person: str = ""  # a partner, the chargé·e de mission DLA, another consultant
    third_person_role: str = ""
    next_steps: str = ""
    follow_up: dt.date | None = None

    @classmethod
    def _decode(cls, doc: dict[str, Any]) -> dict[str, Any]:
        out = dict(doc)
        out["follow_up"] = _opt_date(out.get("follow_up"))
        return out


def require_rating(value: int, field: str = "rating") -> int:
    if not 1 <= value <= 5:
        raise InvalidInput("domain.error.rating", field, value=value)
    return value


RECORD_TYPES: tuple[type[Record], ...] = (
    Cohort,
    Structure,
    Participant,
    Session,
    Attendance,
    Note,
    PreparatoryTask,
    ClockEvent,
    BilanReview,
)
TABLES = tuple(r.TABLE for r in RECORD_TYPES)
