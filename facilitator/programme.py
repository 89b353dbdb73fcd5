"""The programme's calendar: proposed dates for the four sessions, and what they cost people.

The guidance (« Une démarche en 4 sessions », « 4 / 5 mois ») gives the shape and
leaves the dates to the consultant. :func:`propose_programme` turns a start date into
a first draft a facilitator can then move around; the gaps between sessions are the
point of the method, as the travaux préparatoires happen there, so they are named
constants below rather than numbers lost in the code.

Nothing here reads the wall clock: ``today`` is always passed in. Words come from the
catalogues (``programme.*``); dates are written by arrow in the chosen language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import arrow

from facilitator.agenda import (
    ItemKind,
    PlannedItem,
    Template,
    default_template,
    instantiate,
    load_template,
    minute_of_day,
    plan,
    template_names,
)
from facilitator.domain import (
    SESSION_ORDER,
    AgendaItem,
    Cohort,
    InvalidInput,
    Participant,
    Session,
    SessionKind,
    Structure,
    label,
)
from facilitator.i18n import catalogue, day_count, language, t
from facilitator.rules import MAX_PROGRAMME_MONTHS, MIN_PROGRAMME_MONTHS, add_months, concerns
from facilitator.workdays import is_working_day, previous_working_day, working_day

# --- the shape of the calendar --------------------------------------------------------

INTRO_TO_STATE_OF_PLAY = dt.timedelta(weeks=6)
"""Between the introduction and the état des lieux: each structure writes its état des
lieux and gathers its figures per DAS, with its governance. Five to six weeks is what
the guidance's example allows; six leaves room for a board meeting."""

STATE_OF_PLAY_TO_EVOLUTION = dt.timedelta(weeks=7)
"""Between the two collective sessions (six to eight weeks): the structures work on
their ambition, obstacles and success conditions, again with their governance."""

BILANS_FROM = dt.timedelta(weeks=2)
BILANS_UNTIL = dt.timedelta(weeks=5)
"""The bilans spread over the 2nd to 5th week after the second collective session: late
enough for each participant to have revisited their view of the model, soon enough to
keep the group's momentum."""

BILAN_SPACING = dt.timedelta(hours=4)
"""When there are more bilans than working days in their window, a day holds several,
four hours apart (10:00, 14:00, 18:00 with the standard template)."""


def _chosen_templates(choices: Mapping[SessionKind, str] | None) -> dict[SessionKind, Template]:
    """The template of each kind: the caller's choice, else the default variant.

    A choice made for the wrong kind is refused: a full-day état des lieux laid out
    as the introduction would be a silent mistake on the day.
    """
    chosen = {kind: default_template(kind) for kind in SESSION_ORDER}
    for kind, name in (choices or {}).items():
        template = load_template(name)
        if template.session != kind:
            raise InvalidInput(
                "programme.error.template_kind", "template", value=name, kind=label(kind)
            )
        chosen[kind] = template
    return chosen


def _bilan_days(evolution: dt.date, start: dt.date) -> list[dt.date]:
    """The working days on which bilans can be held, in order.

    The window is 2 to 5 weeks after the second collective session; its end is moved to
    the 4-month mark when it falls short of it, so that even one bilan, set on the
    window's last day, keeps the programme inside the guidance's 4 to 5 months.
    """
    first = working_day(evolution + BILANS_FROM)
    last = previous_working_day(evolution + BILANS_UNTIL)
    last = max(last, working_day(add_months(start, MIN_PROGRAMME_MONTHS)))
    last = min(last, previous_working_day(add_months(start, MAX_PROGRAMME_MONTHS)))
    first = min(first, last)
    days = []
    day = first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _spread(count: int, days: Sequence[dt.date]) -> list[tuple[dt.date, int]]:
    """A day and a rank within that day for each of ``count`` bilans.

    With no more bilans than days, each gets its own day, evenly spread from the first
    day to the last (a single bilan goes on the last day, see :func:`_bilan_days`).
    With more, the days take turns, so no day holds more than one bilan more than
    another, each a :data:`BILAN_SPACING` after the previous one.
    """
    if count == 0:
        return []
    if count == 1:
        return [(days[-1], 0)]
    if count <= len(days):
        last = len(days) - 1
        return [(days[round(i * last / (count - 1))], 0) for i in range(count)]
    placed: list[tuple[dt.date, int]] = []
    for i in range(count):
        day = days[i * len(days) // count]
        placed.append((day, sum(1 for d, _ in placed if d == day)))
    return placed


def _shifted(time: dt.time, by: dt.timedelta) -> dt.time:
    moment = dt.datetime.combine(dt.date.min, time) + by
    return moment.time()


def propose_programme(
    start: dt.date,
    structures: Sequence[Structure],
    *,
    templates: Mapping[SessionKind, str] | None = None,
) -> list[Session]:
    """A first calendar for the programme starting on ``start``: new, unsaved sessions.

    The introduction is on ``start`` (or the next working day), the état des lieux
    six weeks later, the évolution seven weeks after that, then one bilan per structure
    (in the order given) over the 2nd to 5th week after it; every date is a working day
    (no weekend, no fixed public holiday), and the whole stays within 4 to 5 months of
    ``start``. Each session gets its template's start time and fixed end (``None`` for
    sessions that simply end after their last item) and an agenda instantiated on the
    cohort's structures. ``templates`` picks a variant per kind by template name
    (``{SessionKind.STATE_OF_PLAY: "etat-des-lieux-journee"}``); the defaults otherwise.
    """
    chosen = _chosen_templates(templates)

    def session(
        kind: SessionKind,
        day: dt.date,
        structure: Structure | None = None,
        start_time: dt.time | None = None,
    ) -> Session:
        template = chosen[kind]
        return Session(
            kind=kind,
            date=day,
            start_time=start_time or template.start,
            end_time=template.end,
            template=template.name,
            agenda=instantiate(template, [structure] if structure else structures),
            structure_id=structure.id if structure else None,
        )

    intro = working_day(start)
    state_of_play = working_day(intro + INTRO_TO_STATE_OF_PLAY)
    evolution = working_day(state_of_play + STATE_OF_PLAY_TO_EVOLUTION)
    proposal = [
        session(SessionKind.INTRO, intro),
        session(SessionKind.STATE_OF_PLAY, state_of_play),
        session(SessionKind.EVOLUTION, evolution),
    ]
    bilan_start = chosen[SessionKind.BILAN].start
    for structure, (day, rank) in zip(
        structures, _spread(len(structures), _bilan_days(evolution, start)), strict=True
    ):
        proposal.append(
            session(SessionKind.BILAN, day, structure, _shifted(bilan_start, BILAN_SPACING * rank))
        )
    return proposal


# --- proposing the programme of a cohort that may already have sessions -------------------

INTRO_VARIANTS = ("court", "long")
"""« 1h30 suffit si le groupe connaît déjà la notion de MSE », longer with more theory."""

COLLECTIVE_VARIANTS = ("demi-journee", "journee")
"""The two collective sessions last half a day or a day (« d'une demi-journée à une journée »)."""


def programme_templates(intro: str, collective: str) -> dict[SessionKind, str]:
    """The template of each collective session for the variants a facilitator picks."""
    if intro not in INTRO_VARIANTS:
        raise InvalidInput(
            "programme.error.intro", "intro", value=intro, choices=", ".join(INTRO_VARIANTS)
        )
    if collective not in COLLECTIVE_VARIANTS:
        raise InvalidInput(
            "programme.error.collective",
            "collective",
            value=collective,
            choices=", ".join(COLLECTIVE_VARIANTS),
        )
    return {
        SessionKind.INTRO: f"intro-{intro}",
        SessionKind.STATE_OF_PLAY: f"etat-des-lieux-{collective}",
        SessionKind.EVOLUTION: f"evolution-{collective}",
    }


class Change(StrEnum):
    """What applying a proposal does to one session."""

    NEW = "new"  # a session the programme did not have
    MOVED = "moved"  # an existing session with nothing recorded yet, given the proposed date
    KEPT = "kept"  # an existing session holding notes, attendance or clock presses: untouched
    SAME = "same"  # an existing session already as proposed


@dataclass(frozen=True)
class ProposedSession:
    session: Session  # as it will be once the proposal is applied
    change: Change
    before: Session | None = None


@dataclass(frozen=True)
class ProgrammeProposal:
    """A programme to show before anything is written: each session and what happens to
    it, what it asks of each participant, and what the guidance would question."""

    start: dt.date
    sessions: tuple[ProposedSession, ...]
    time: ParticipantTime
    warnings: tuple[str, ...]

    @property
    def changes(self) -> tuple[ProposedSession, ...]:
        """The sessions that applying writes: the new ones and the moved ones."""
        return tuple(p for p in self.sessions if p.change in (Change.NEW, Change.MOVED))


def _moved(existing: Session, proposed: Session) -> Session:
    """An existing session given the proposed day and hours; its own agenda is kept unless
    the proposal lays it out from another template (or it has none yet)."""
    changed = dataclasses.replace(
        existing,
        date=proposed.date,
        start_time=proposed.start_time,
        end_time=proposed.end_time,
    )
    if existing.template != proposed.template or not existing.agenda:
        changed = dataclasses.replace(changed, template=proposed.template, agenda=proposed.agenda)
    return changed


def _new_bilans(
    fresh: Sequence[Session],
    kept: Sequence[Session],
    start: dt.date,
    missing: Collection[str],
) -> dict[str, tuple[dt.date, dt.time | None]]:
    """The day and hour of each missing bilan (by structure id), when the cohort keeps its
    own dates: in the bilans' window after its own évolution, on the days its other bilans
    leave free (all of them when none is), spread as a first proposal spreads them."""
    evolution = next(
        (s.date for s in kept if s.kind == SessionKind.EVOLUTION and s.date is not None), None
    )
    proposed: dict[str | None, Session] = {
        s.structure_id: s for s in fresh if s.kind == SessionKind.BILAN
    }
    if evolution is None:
        return {sid: (proposed[sid].date or start, proposed[sid].start_time) for sid in missing}
    taken = {s.date for s in kept if s.kind == SessionKind.BILAN}
    window = _bilan_days(evolution, start)
    days = [d for d in window if d not in taken] or window
    ordered = [sid for sid in proposed if sid is not None and sid in missing]
    bilan_start = next(
        (s.start_time for s in fresh if s.kind == SessionKind.BILAN and s.start_time), None
    )
    placed: dict[str, tuple[dt.date, dt.time | None]] = {}
    for sid, (day, rank) in zip(ordered, _spread(len(ordered), days), strict=True):
        hour = _shifted(bilan_start, BILAN_SPACING * rank) if bilan_start else None
        placed[sid] = (day, hour)
    return placed


def plan_programme(
    cohort: Cohort,
    structures: Sequence[Structure],
    participants: Iterable[Participant],
    sessions: Sequence[Session],
    *,
    start: dt.date,
    templates: Mapping[SessionKind, str] | None = None,
    holding_records: Collection[str] = (),
    redate: bool = False,
    today: dt.date,
) -> ProgrammeProposal:
    """The programme :func:`propose_programme` gives from ``start``, laid over the sessions
    the cohort already has.

    Each proposed session takes the place of the cohort's session of the same kind (for a
    bilan: of the same structure). By default the sessions the cohort has keep their own
    dates and agendas (a facilitator proposes again to add what is missing, not to undo
    the dates they chose): a stage the cohort lacks is added, and the bilan of a structure
    that joined since is placed after the cohort's own évolution. With ``redate``, every
    session is given the proposed date, except one whose id is in ``holding_records``
    (it holds notes, attendance or clock presses), which is never moved. Nothing is
    deleted: sessions the proposal has no place for are left as they are.
    """
    fresh = propose_programme(start, structures, templates=templates)
    by_kind: dict[tuple[SessionKind, str | None], list[Session]] = {}
    for session in sorted(sessions, key=lambda s: (s.date or dt.date.max, s.id)):
        by_kind.setdefault((session.kind, session.structure_id), []).append(session)
    matched = {
        (s.kind, s.structure_id): by_kind[(s.kind, s.structure_id)][0]
        for s in fresh
        if (s.kind, s.structure_id) in by_kind
    }
    missing_bilans = {
        s.structure_id
        for s in fresh
        if s.kind == SessionKind.BILAN and (s.kind, s.structure_id) not in matched
    }
    new_bilans = (
        {}
        if redate
        else _new_bilans(fresh, list(sessions), start, {sid for sid in missing_bilans if sid})
    )
    laid: list[ProposedSession] = []
    for proposed in fresh:
        existing = matched.get((proposed.kind, proposed.structure_id))
        if existing is None:
            if proposed.structure_id in new_bilans:
                day, hour = new_bilans[proposed.structure_id]
                proposed = dataclasses.replace(proposed, date=day, start_time=hour)
            laid.append(ProposedSession(proposed, Change.NEW))
        elif existing.id in holding_records:
            laid.append(ProposedSession(existing, Change.KEPT, existing))
        elif not redate:
            laid.append(ProposedSession(existing, Change.SAME, existing))
        else:
            moved = _moved(existing, proposed)
            change = Change.SAME if moved == existing else Change.MOVED
            laid.append(ProposedSession(moved, change, existing))
    placed = {p.session.id for p in laid}
    result = [p.session for p in laid] + [s for s in sessions if s.id not in placed]
    people = list(participants)
    planned_cohort = dataclasses.replace(cohort, start_date=start)
    warnings = programme_warnings(planned_cohort, structures, people, result, today=today)
    return ProgrammeProposal(
        start=start,
        sessions=tuple(laid),
        time=participant_time(result, structures),
        warnings=tuple(warnings),
    )


# --- a session's agenda, as it will be run ------------------------------------------------


@dataclass(frozen=True)
class SessionPlan:
    """A session's agenda on the clock, whether it has one of its own or not.

    ``stand_in`` is the template laid out because the session has no agenda yet (the
    demo's sessions, or a session created before its agenda was written); exports say
    so rather than printing an empty table, and nothing is saved.
    """

    session: Session
    items: tuple[AgendaItem, ...]
    start: dt.time
    end: dt.time | None
    planned: tuple[PlannedItem, ...]
    stand_in: Template | None

    @property
    def planned_minutes(self) -> int:
        """From the start to the end of the last item (see ``agenda.planned_minutes``)."""
        return self.planned[-1].end_minute - minute_of_day(self.start) if self.planned else 0

    @property
    def end_slack(self) -> int | None:
        """Minutes to spare before the fixed end of day (negative: overrun), if there is one."""
        if self.end is None:
            return None
        return minute_of_day(self.end) - minute_of_day(self.start) - self.planned_minutes

    @property
    def span_minutes(self) -> int:
        """From the start to the announced end: the fixed end of day, or the last item's end
        when that is later (an overrun still takes people's time)."""
        slack = self.end_slack
        return self.planned_minutes + max(slack or 0, 0)


def _template_for(session: Session) -> Template:
    """The session's own template when it names a known one of its kind, else the default."""
    if session.template in template_names(session.kind):
        return load_template(session.template)
    return default_template(session.kind)


def session_plan(session: Session, structures: Sequence[Structure]) -> SessionPlan:
    """The timed agenda of ``session``, standing in the template's when it has none.

    A bilan's stand-in is laid out for its own structure only; a collective session's
    for every structure, in the order given.
    """
    template = _template_for(session)
    items: list[AgendaItem] = list(session.agenda)
    stand_in = None
    if not items:
        owners = structures
        if session.kind == SessionKind.BILAN:
            owners = [s for s in structures if s.id == session.structure_id]
        items = instantiate(template, owners)
        stand_in = template
    start = session.start_time or template.start
    end = session.end_time if session.agenda or session.end_time else template.end
    return SessionPlan(
        session=session,
        items=tuple(items),
        start=start,
        end=end,
        planned=tuple(plan(items, start)),
        stand_in=stand_in,
    )


# --- the time it asks of each participant -----------------------------------------------

WORKDAY_MINUTES = 7 * 60
"""A day of a participant's time is 7 working hours."""

MEAL_MINUTES = 45
"""A break this long or longer is a meal: time away, not time given to the programme.
Shorter pauses count, as they do in any working day."""

PREPARATORY_DAYS: Mapping[SessionKind, float] = {
    SessionKind.INTRO: 0.0,
    SessionKind.STATE_OF_PLAY: 1.5,
    SessionKind.EVOLUTION: 1.0,
    SessionKind.BILAN: 0.5,
}
"""The allowance for travaux préparatoires before each session, per participant.

An estimate, stated so it can be argued with: nothing is asked before the
introduction (it presents the work); before the état des lieux a structure writes up
its missions and model and gathers its figures per DAS with its governance, a first
for most (a day and a half); before the évolution it works out its ambition,
obstacles and success conditions on that basis (a day); before the bilan the
participant revisits their view of the model (half a day). Three days in all, which
puts the guidance's own programmes, half-day or full-day sessions, inside its 4 to 6
days."""

MIN_PARTICIPANT_DAYS = 4.0
MAX_PARTICIPANT_DAYS = 6.0
"""« La démarche implique que la personne dirigeante ... se mobilise 4 à 6 jours »."""


def working_minutes(timed: SessionPlan) -> int:
    """Minutes a participant gives to a session: from its start to its announced end,
    meals out (people stay until the announced end even when the plan finishes early)."""
    meals = sum(
        item.minutes
        for item in timed.items
        if item.kind == ItemKind.BREAK.value and item.minutes >= MEAL_MINUTES
    )
    return max(timed.span_minutes - meals, 0)


@dataclass(frozen=True)
class ParticipantTime:
    """The estimate of a participant's days, split so a sentence can explain it."""

    in_sessions: float
    preparation: float

    @property
    def total(self) -> float:
        """Rounded to a tenth of a day: the estimate is not precise to the hour."""
        return round(self.in_sessions + self.preparation, 1)


def participant_time(
    sessions: Iterable[Session], structures: Sequence[Structure]
) -> ParticipantTime:
    """What the whole programme asks of one participant, sessions and preparation.

    A participant attends every collective session and one bilan (the average of the
    cohort's bilans, which differ little). A stage with no session yet counts as its
    default template laid out for these structures, so a programme being built is
    judged on what it will be, not on what is missing.
    """
    by_kind: dict[SessionKind, list[Session]] = {kind: [] for kind in SESSION_ORDER}
    for session in sessions:
        by_kind[session.kind].append(session)
    minutes = 0.0
    for kind, own in by_kind.items():
        held = own or [Session(kind=kind)]
        spent = [working_minutes(session_plan(s, structures)) for s in held]
        minutes += sum(spent) / len(spent) if kind == SessionKind.BILAN else sum(spent)
    return ParticipantTime(
        in_sessions=minutes / WORKDAY_MINUTES,
        preparation=sum(PREPARATORY_DAYS.values()),
    )


def participant_time_warnings(
    sessions: Iterable[Session],
    structures: Sequence[Structure],
    *,
    lang: str | None = None,
) -> list[str]:
    """A sentence (what is off, then what to do) when a participant's time leaves 4-6 days.

    Empty when the estimate is within the guidance.
    """
    lang = lang or language()
    estimate = participant_time(sessions, structures)
    if MIN_PARTICIPANT_DAYS <= estimate.total <= MAX_PARTICIPANT_DAYS:
        return []
    which = "too_little" if estimate.total < MIN_PARTICIPANT_DAYS else "too_much"
    values = {
        "days": day_count(estimate.total, lang),
        "sessions": day_count(round(estimate.in_sessions, 1), lang),
        "preparation": day_count(estimate.preparation, lang),
    }
    message = t(f"programme.participant_time.{which}.message", lang, **values)
    advice = t(f"programme.participant_time.{which}.advice", lang, **values)
    return [f"{message} {advice}"]


PROGRAMME_RULES = (
    "programme-too-short",
    "programme-too-long",
    "consultant-days",
    "state-of-play-before-intro",
    "evolution-before-state-of-play",
    "bilan-before-evolution",
    "collective-sessions-too-close",
)
"""The rules' concerns that concern the calendar and its cost, shown beside a proposal."""

CALENDAR_RULES = tuple(code for code in PROGRAMME_RULES if code != "consultant-days")
"""The concerns about the dates themselves: said again when a session is moved."""


def calendar_warnings(
    cohort: Cohort,
    structures: Sequence[Structure],
    participants: Iterable[Participant],
    sessions: Sequence[Session],
    session: Session,
    *,
    today: dt.date,
) -> list[str]:
    """What to weigh once ``session`` has its date, one sentence each: a day off (a weekend
    or a public holiday), then the calendar's concerns (sessions out of order or too
    close, a programme outside 4 to 5 months). Said, never refused: the facilitator
    may have their reasons."""
    sentences = []
    if session.date is not None and not is_working_day(session.date):
        sentences.append(t("programme.day_off", date=format_day(session.date)))
    found = concerns(cohort, structures, participants, sessions, today=today)
    sentences += [f"{f.message} {f.advice}" for f in found if f.code in CALENDAR_RULES]
    return sentences


def programme_warnings(
    cohort: Cohort,
    structures: Sequence[Structure],
    participants: Iterable[Participant],
    sessions: Sequence[Session],
    *,
    today: dt.date,
) -> list[str]:
    """Everything to weigh about a programme's calendar, one sentence each.

    The programme's length and the consultant's days are the rules' concerns (one
    source of truth for the guidance's numbers); the participants' time is added here.
    Sentences are in the current language, as the rules' are.
    """
    found = concerns(cohort, structures, participants, sessions, today=today)
    sentences = [f"{f.message} {f.advice}" for f in found if f.code in PROGRAMME_RULES]
    return sentences + participant_time_warnings(sessions, structures)


# --- dates in words ------------------------------------------------------------------------

DAYS_SAID_IN_DAYS = 60
"""Under two months a date is said in days (« dans 40 jours »): arrow's own choice
would say « dans un mois » for anything from 30 to 59 days, too vague to plan the
travaux préparatoires by. Beyond, arrow's months and years read well."""


def _arrow_day(day: dt.date) -> arrow.Arrow:
    return arrow.Arrow(day.year, day.month, day.day)


def humanize_day(day: dt.date, today: dt.date, lang: str | None = None) -> str:
    """``day`` relative to ``today``: « aujourd'hui », « demain », « dans 12 jours ».

    Today, tomorrow and yesterday come from the catalogue (arrow says « dans un jour »
    and « maintenant »); the rest from arrow's fr/en locales.
    """
    lang = lang or language()
    delta = (day - today).days
    near = {-1: "yesterday", 0: "today", 1: "tomorrow"}
    if delta in near:
        return t(f"programme.relative.{near[delta]}", lang)
    target, reference = _arrow_day(day), _arrow_day(today)
    if abs(delta) < DAYS_SAID_IN_DAYS:
        return str(target.humanize(reference, locale=lang, granularity="day"))
    return str(target.humanize(reference, locale=lang))


def format_day(day: dt.date, lang: str | None = None) -> str:
    """« mardi 8 décembre 2026 » / « Tuesday 8 December 2026 » (« 1er » in French)."""
    lang = lang or language()
    first = "programme.day_format.first"
    key = first if day.day == 1 and first in catalogue(lang) else "programme.day_format.other"
    return str(_arrow_day(day).format(t(key, lang), locale=lang))


def day_words(day: dt.date, style: Literal["long", "short"], lang: str | None = None) -> str:
    """« mardi 8 décembre » (long) or « 8 décembre » (short): dates close enough to need
    no year, whose humanized distance (« dans 12 jours ») already places them."""
    lang = lang or language()
    key = f"programme.day.{style}.{'first' if day.day == 1 else 'other'}"
    return str(arrow.Arrow(day.year, day.month, day.day).format(t(key, lang), locale=lang))
