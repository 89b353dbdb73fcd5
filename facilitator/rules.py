"""The guidance's recommendations, checked against a cohort: concerns, never refusals.

The fiche « Organiser un accompagnement collectif sur le modèle socio-économique »
states preferences (« idéalement 8 structures maximum », « de préférence depuis 3 ans
minimum »), not laws: a consultant may knowingly run a group of nine, or take in a young
association. So nothing here raises or blocks; :func:`concerns` returns what a screen
shows and a person weighs, each with a sentence saying what is off and one saying what
to do about it.

Every rule is a row of :data:`RULES`, so a screen can list what is checked without
running anything. The function is pure: the caller passes ``today``, and the same data
always gives the same concerns in the same order.

Three reading choices, made here once:

* A structure's age is judged at the **programme start** (the earliest of
  ``Cohort.start_date`` and the first dated session), and at ``today`` only while no
  programme date is known. Eligibility is a question asked when a structure joins;
  judged at ``today``, a concern would vanish mid-programme on the structure's
  birthday, and reviewing a past cohort would give different answers each year.
* Durations are in **calendar months**: a programme from 1 January to 1 May lasts
  exactly 4 months and is fine, to 30 April it lasts 3 months and 30 days and is too
  short; to 1 June it lasts 5 months and is fine, to 2 June it is too long. Adding a
  month to the 31st lands on the last day of a shorter month (31 January + 1 month is
  28 or 29 February), as people count.
* The sessions' **order** is judged on dated sessions only, stage after stage: each
  session of a stage must fall strictly after every session of the stage before (the
  same day does not count as after: a group cannot share its état des lieux on the
  day it is introduced to the work, nor a bilan follow up a session held that day).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import ClassVar

from facilitator.domain import (
    SESSION_ORDER,
    Cohort,
    Participant,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import and_list, language, plural, t
from facilitator.text import fold

MAX_STRUCTURES = 8
"""« Idéalement 8 structures maximum »."""

MIN_STRUCTURE_AGE_YEARS = 3
"""« De préférence depuis 3 ans minimum »."""

MIN_CONSULTANT_DAYS_FOR_MAX = 10.0
"""Below 10 consultant days for 8 structures the results « n'ont pas été concluants »."""

MAX_CONSULTANT_DAYS_FOR_MAX = 12.0
"""« Difficile de mobiliser un·e consultant·e moins de 10 / 12 jours (pour 8 associations) »:
the upper end of the range, what a comfortable budget looks like."""

MIN_PROGRAMME_MONTHS = 4
MAX_PROGRAMME_MONTHS = 5
"""« La durée totale pour ce type d'accompagnement est estimée à 4 / 5 mois »."""

MIN_DAYS_BETWEEN_COLLECTIVE_SESSIONS = 14
"""Two weeks at least between two collective sessions: the travaux préparatoires happen
in between (« souvent nécessaires pour que les sessions collectives soient
intéressantes »), and a structure cannot write its état des lieux, or rework its model,
with its governance in less. The proposed calendar leaves six to seven weeks."""

COLLECTIVE_KINDS = (SessionKind.INTRO, SessionKind.STATE_OF_PLAY, SessionKind.EVOLUTION)
"""The sessions the whole group attends, in programme order."""

DAY_DIGITS = 6
"""Days are summed to a millionth of a day: typed in tenths or quarters, they add up to
what a person computes (1.2 + 7.1 + 1.7 is 10, not 9.999999999999998)."""


class Severity(StrEnum):
    """How much a concern matters: a departure from the guidance, or a gap to fill."""

    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return t(f"rules.severity.{self.value}")


class Scope(StrEnum):
    """What a rule looks at: the whole cohort, or each structure in turn."""

    COHORT = "cohort"
    STRUCTURE = "structure"


@dataclass(frozen=True)
class Concern:
    """One thing the guidance would question, in the language current when found.

    ``subject_id`` is the id of the structure concerned, or of the cohort for
    cohort-level concerns, so a screen can jump to it.
    """

    code: str
    severity: Severity
    subject_id: str | None
    message: str
    advice: str


# --- calendar arithmetic ------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the end of shorter months.

    Written out rather than borrowed so the boundary the rules rely on is visible:
    31 January + 1 month is the last day of February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def months_and_days(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The span from ``start`` to ``end`` as whole months plus leftover days."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    months = max(months, 0)
    return months, (end - add_months(start, months)).days


# --- the programme's dates ----------------------------------------------------------


def programme_start(cohort: Cohort, sessions: Iterable[Session]) -> dt.date | None:
    """The earliest known date of the programme: its start date or its first session."""
    dates = [s.date for s in sessions if s.date is not None]
    if cohort.start_date is not None:
        dates.append(cohort.start_date)
    return min(dates, default=None)


@dataclass(frozen=True)
class ProgrammeSpan:
    """From the programme start to its latest dated session.

    ``settled`` says both ends are final: the start is set on the cohort or every
    session of the earliest stage has a date, and every bilan has a date. Until then
    the span is only a lower bound on the real one: enough to say a programme is too
    long, not that it is too short.
    """

    start: dt.date
    end: dt.date
    settled: bool


def programme_span(cohort: Cohort, sessions: Iterable[Session]) -> ProgrammeSpan | None:
    """The programme's known span, or ``None`` while no session has a date."""
    sessions = list(sessions)
    dated = [s.date for s in sessions if s.date is not None]
    start = programme_start(cohort, sessions)
    if not dated or start is None:
        return None
    stages = [s.kind for s in sessions]
    first_stage = min(stages, key=SESSION_ORDER.index)
    start_settled = cohort.start_date is not None or all(
        s.date is not None for s in sessions if s.kind == first_stage
    )
    bilans = [s for s in sessions if s.kind == SessionKind.BILAN]
    end_settled = bool(bilans) and all(s.date is not None for s in bilans)
    return ProgrammeSpan(start=start, end=max(dated), settled=start_settled and end_settled)


# --- the consultants' days ----------------------------------------------------------


@dataclass(frozen=True)
class ConsultantDays:
    """The consultants' days, and what the guidance asks for this many structures.

    ``budgeted`` and ``spent`` are summed over the consultants to :data:`DAY_DIGITS`
    decimals; ``needed_min`` to ``needed_max`` is 10 to 12 days for 8 structures, pro
    rata (7.5 to 9 days for 6). The one definition the rule, the dashboard and the
    exports share.
    """

    budgeted: float
    spent: float
    needed_min: float
    needed_max: float
    structures: int

    @property
    def enough(self) -> bool:
        """Whether the budget reaches the low end of the range (always, with no structure)."""
        return self.budgeted >= self.needed_min


def _sum_days(days: Iterable[float]) -> float:
    return round(math.fsum(days), DAY_DIGITS)


def consultant_days(cohort: Cohort, structure_count: int) -> ConsultantDays:
    """The cohort's consultant days against the guidance, for ``structure_count`` structures."""
    share = structure_count / MAX_STRUCTURES
    return ConsultantDays(
        budgeted=_sum_days(c.days_budgeted for c in cohort.consultants),
        spent=_sum_days(c.days_spent for c in cohort.consultants),
        needed_min=MIN_CONSULTANT_DAYS_FOR_MAX * share,
        needed_max=MAX_CONSULTANT_DAYS_FOR_MAX * share,
        structures=structure_count,
    )


# --- wording helpers ----------------------------------------------------------------


def _quantity(unit: str, value: float, lang: str) -> str:
    """``value`` with its unit, singular or plural as the language wants (``plural``
    writes the count as :func:`~facilitator.i18n.number` does: « 7,5 jours »)."""
    return plural(f"format.unit.{unit}", value, lang)


def _date(day: dt.date, lang: str) -> str:
    return day.strftime(t("format.date", lang))


def _duration(start: dt.date, end: dt.date, lang: str) -> str:
    months, days = months_and_days(start, end)
    if months and days:
        return t(
            "rules.duration.months_and_days",
            lang,
            months=_quantity("month", months, lang),
            days=_quantity("day", days, lang),
        )
    if months:
        return _quantity("month", months, lang)
    return _quantity("day", days, lang)


# --- the rules ----------------------------------------------------------------------

Values = Mapping[str, object]
"""The placeholders of a concern's message and advice; ``None`` means nothing found."""


@dataclass(frozen=True)
class _Facts:
    """What every check needs, worked out once per call."""

    cohort: Cohort
    structures: tuple[Structure, ...]
    names: Mapping[str, str]
    sessions: tuple[Session, ...]
    with_governance: frozenset[str]
    with_people: frozenset[str]
    span: ProgrammeSpan | None
    age_reference: dt.date
    age_reference_is_start: bool
    lang: str  # the concerns' words


@dataclass(frozen=True)
class Rule:
    """One recommendation of the guidance; its words are ``rules.<code>.*``."""

    SCOPE: ClassVar[Scope]
    code: str
    severity: Severity

    @property
    def scope(self) -> Scope:
        return self.SCOPE

    @property
    def title(self) -> str:
        return t(f"rules.{self.code}.title")


@dataclass(frozen=True)
class CohortRule(Rule):
    SCOPE: ClassVar[Scope] = Scope.COHORT
    check: Callable[[_Facts], Values | None]


@dataclass(frozen=True)
class StructureRule(Rule):
    SCOPE: ClassVar[Scope] = Scope.STRUCTURE
    check: Callable[[_Facts, Structure], Values | None]


def _too_many_structures(facts: _Facts) -> Values | None:
    count = len(facts.structures)
    return {"count": count} if count > MAX_STRUCTURES else None


def _consultant_days(facts: _Facts) -> Values | None:
    """10 days for 8 structures, pro rata: fewer structures need fewer days."""
    days = consultant_days(facts.cohort, len(facts.structures))
    if days.structures == 0 or days.enough:
        return None
    return {
        "budgeted": _quantity("day", days.budgeted, facts.lang),
        "required": _quantity("day", days.needed_min, facts.lang),
        "structures": _quantity("structure", days.structures, facts.lang),
    }


def _span_values(span: ProgrammeSpan, lang: str) -> Values:
    return {
        "duration": _duration(span.start, span.end, lang),
        "start": _date(span.start, lang),
        "end": _date(span.end, lang),
    }


def _programme_too_short(facts: _Facts) -> Values | None:
    span = facts.span
    if span is None or not span.settled:
        return None
    if span.end >= add_months(span.start, MIN_PROGRAMME_MONTHS):
        return None
    return _span_values(span, facts.lang)


def _programme_too_long(facts: _Facts) -> Values | None:
    # An unsettled span only grows as dates are filled in, so it may already be too long.
    span = facts.span
    if span is None or span.end <= add_months(span.start, MAX_PROGRAMME_MONTHS):
        return None
    return _span_values(span, facts.lang)


# --- the order and spacing of the sessions -------------------------------------------


def _dated(facts: _Facts, kind: SessionKind) -> list[Session]:
    """The sessions of ``kind`` that have a date, earliest first (ties by start time, id)."""
    return sorted(
        (s for s in facts.sessions if s.kind == kind and s.date is not None),
        key=lambda s: (s.date, s.start_time or dt.time.max, s.id),
    )


def _day(session: Session) -> dt.date:
    assert session.date is not None  # only dated sessions reach the wording
    return session.date


def _then(items: Sequence[str], lang: str) -> str:
    """« a, b, et c » for a sequence in time (« puis », in the catalogue's words)."""
    if len(items) == 1:
        return items[0]
    return t("rules.list.and_then", lang, head=", ".join(items[:-1]), last=items[-1])


def _out_of_order(
    facts: _Facts, earlier: SessionKind, later: SessionKind
) -> tuple[dt.date, list[Session], str] | None:
    """The sessions of the ``later`` stage dated on or before the ``earlier`` stage's last.

    With several sessions of a stage (a session held twice, a make-up), every later
    session must follow every earlier one, so the latest earlier date is the line.
    Undated sessions are not judged: they may still be put in the right place. Returns
    the line, the offenders and how they stand to it (« avant », « le même jour que »).
    """
    before = _dated(facts, earlier)
    if not before:
        return None
    line = _day(before[-1])
    offenders = [s for s in _dated(facts, later) if _day(s) <= line]
    if not offenders:
        return None
    sooner = any(_day(s) < line for s in offenders)
    same = any(_day(s) == line for s in offenders)
    which = "before_or_same_day" if sooner and same else "before" if sooner else "same_day"
    return line, offenders, t(f"rules.order.{which}", facts.lang)


def _dates_of(sessions: Sequence[Session], lang: str) -> str:
    """« du 06/10/2026 et du 08/10/2026 »: each distinct day once."""
    days = sorted({_day(s) for s in sessions})
    return and_list([t("rules.on_date", lang, date=_date(d, lang)) for d in days], lang)


def _state_of_play_before_intro(facts: _Facts) -> Values | None:
    found = _out_of_order(facts, SessionKind.INTRO, SessionKind.STATE_OF_PLAY)
    if found is None:
        return None
    line, offenders, when = found
    lang = facts.lang
    return {"state_of_play": _dates_of(offenders, lang), "when": when, "intro": _date(line, lang)}


def _evolution_before_state_of_play(facts: _Facts) -> Values | None:
    found = _out_of_order(facts, SessionKind.STATE_OF_PLAY, SessionKind.EVOLUTION)
    if found is None:
        return None
    line, offenders, when = found
    lang = facts.lang
    return {
        "evolution": _dates_of(offenders, lang),
        "when": when,
        "state_of_play": _date(line, lang),
    }


def _bilan_before_evolution(facts: _Facts) -> Values | None:
    """Bilans not after the évolution: the bilan shares what the participant changed in
    their view « suite à la 2nde session collective », so the same day is too early too."""
    found = _out_of_order(facts, SessionKind.EVOLUTION, SessionKind.BILAN)
    if found is None:
        return None
    line, offenders, when = found
    lang = facts.lang

    def of(bilan: Session) -> str:
        name = facts.names.get(bilan.structure_id or "")
        if name is None:
            return t("rules.bilan.unassigned", lang, date=_date(_day(bilan), lang))
        return t("rules.bilan.of", lang, name=name, date=_date(_day(bilan), lang))

    return {
        "bilans": plural(
            "rules.bilan.list",
            len(offenders),
            lang,
            list=and_list([of(b) for b in offenders], lang),
        ),
        "when": when,
        "evolution": _date(line, lang),
    }


def _collective_sessions_too_close(facts: _Facts) -> Values | None:
    """Consecutive collective stages less than two weeks apart.

    Each collective session is compared with the closest session before it of the
    previous stage that has a date (the introduction when the état des lieux has none
    yet); sessions in the wrong order are the order rules' concerns, not this one's.
    """
    stages = [dated for kind in COLLECTIVE_KINDS if (dated := _dated(facts, kind))]
    lang = facts.lang
    gaps: list[str] = []
    for previous, current in pairwise(stages):
        for session in current:
            earlier = [p for p in previous if _day(p) < _day(session)]
            if not earlier:
                continue
            closest = earlier[-1]
            gap = (_day(session) - _day(closest)).days
            if gap < MIN_DAYS_BETWEEN_COLLECTIVE_SESSIONS:
                gaps.append(
                    t(
                        "rules.collective-sessions-too-close.gap",
                        lang,
                        days=_quantity("day", gap, lang),
                        first=t(f"rules.kind.{closest.kind.value}", lang),
                        first_date=_date(_day(closest), lang),
                        second=t(f"rules.kind.{session.kind.value}", lang),
                        second_date=_date(_day(session), lang),
                    )
                )
    if not gaps:
        return None
    return {"gaps": _then(gaps, lang)}


def _creation_unknown(facts: _Facts, structure: Structure) -> Values | None:
    return {"name": structure.name} if structure.created is None else None


def _too_young(facts: _Facts, structure: Structure) -> Values | None:
    created = structure.created
    if created is None:
        return None
    if add_months(created, 12 * MIN_STRUCTURE_AGE_YEARS) <= facts.age_reference:
        return None
    reference = "start" if facts.age_reference_is_start else "today"
    lang = facts.lang
    return {
        "name": structure.name,
        "created": _date(created, lang),
        "reference": t(f"rules.reference.{reference}", lang, date=_date(facts.age_reference, lang)),
    }


def _not_employer(facts: _Facts, structure: Structure) -> Values | None:
    return None if structure.employer else {"name": structure.name}


def _not_general_interest(facts: _Facts, structure: Structure) -> Values | None:
    return None if structure.general_interest else {"name": structure.name}


def _no_governance(facts: _Facts, structure: Structure) -> Values | None:
    """Said once somebody is registered: before that, registering them comes first."""
    if structure.id in facts.with_governance or structure.id not in facts.with_people:
        return None
    return {"name": structure.name}


def _no_participant(facts: _Facts, structure: Structure) -> Values | None:
    return None if structure.id in facts.with_people else {"name": structure.name}


COHORT_RULES: tuple[CohortRule, ...] = (
    CohortRule("too-many-structures", Severity.WARNING, _too_many_structures),
    CohortRule("consultant-days", Severity.WARNING, _consultant_days),
    CohortRule("programme-too-short", Severity.WARNING, _programme_too_short),
    CohortRule("programme-too-long", Severity.WARNING, _programme_too_long),
    CohortRule("state-of-play-before-intro", Severity.WARNING, _state_of_play_before_intro),
    CohortRule("evolution-before-state-of-play", Severity.WARNING, _evolution_before_state_of_play),
    CohortRule("bilan-before-evolution", Severity.WARNING, _bilan_before_evolution),
    CohortRule("collective-sessions-too-close", Severity.WARNING, _collective_sessions_too_close),
)
STRUCTURE_RULES: tuple[StructureRule, ...] = (
    StructureRule("structure-creation-unknown", Severity.INFO, _creation_unknown),
    StructureRule("structure-too-young", Severity.WARNING, _too_young),
    StructureRule("structure-not-employer", Severity.WARNING, _not_employer),
    StructureRule("structure-not-general-interest", Severity.WARNING, _not_general_interest),
    StructureRule("structure-no-participant", Severity.WARNING, _no_participant),
    StructureRule("structure-no-governance", Severity.WARNING, _no_governance),
)
RULES: tuple[Rule, ...] = (*COHORT_RULES, *STRUCTURE_RULES)
"""Every rule, in the order their concerns are listed."""


def rule(code: str) -> Rule:
    """The rule behind a concern's ``code``."""
    for candidate in RULES:
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def _concern(found: Rule, subject_id: str | None, values: Values, lang: str) -> Concern:
    return Concern(
        code=found.code,
        severity=found.severity,
        subject_id=subject_id,
        message=t(f"rules.{found.code}.message", lang, **values),
        advice=t(f"rules.{found.code}.advice", lang, **values),
    )


def _sort_key(structure: Structure) -> tuple[str, str]:
    """Name order as a reader expects it: case and accents ignored (« École » near « Ecole »)."""
    return fold(structure.name), structure.id


def concerns(
    cohort: Cohort,
    structures: Iterable[Structure],
    participants: Iterable[Participant],
    sessions: Iterable[Session],
    *,
    today: dt.date,
    lang: str | None = None,
) -> list[Concern]:
    """Everything the guidance would question in this cohort, as of ``today``, worded in
    ``lang`` (the person's language unless told).

    Cohort-level concerns come first, in :data:`RULES` order, then each structure's
    in name order. ``structures``, ``participants`` and ``sessions`` are those of the
    cohort (one workspace file holds one cohort); participants of other structures are
    ignored.
    """
    ordered = tuple(sorted(structures, key=_sort_key))
    sessions = list(sessions)
    people = list(participants)
    start = programme_start(cohort, sessions)
    facts = _Facts(
        cohort=cohort,
        structures=ordered,
        names={s.id: s.name for s in ordered},
        sessions=tuple(sessions),
        with_governance=frozenset(p.structure_id for p in people if p.speaks_for_governance),
        with_people=frozenset(p.structure_id for p in people),
        span=programme_span(cohort, sessions),
        age_reference=start if start is not None else today,
        age_reference_is_start=start is not None,
        lang=lang or language(),
    )
    found: list[Concern] = []
    for cohort_rule in COHORT_RULES:
        values = cohort_rule.check(facts)
        if values is not None:
            found.append(_concern(cohort_rule, cohort.id, values, facts.lang))
    for structure in ordered:
        for structure_rule in STRUCTURE_RULES:
            values = structure_rule.check(facts, structure)
            if values is not None:
                found.append(_concern(structure_rule, structure.id, values, facts.lang))
    return found
