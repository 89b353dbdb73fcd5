"""The dashboard's read model: where the programme stands and what comes next.

Worked out from a ``CohortView`` and the cohort's ``today``, with no UI: the
steps of the programme (:func:`programme_timeline`), the travaux préparatoires to
chase (:func:`tasks_due`), the guidance's attention points, the next step, the
days, and the same put into words in the language asked. The dashboard
(``screens/dashboard.py``) lays them out; tests call them on any data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from facilitator.domain import PreparatoryTask, Session, SessionKind, TaskStatus, label
from facilitator.i18n import language, number, plural, t
from facilitator.programme import (
    ParticipantTime,
    day_words,
    format_day,
    humanize_day,
    participant_time,
    participant_time_warnings,
)
from facilitator.rules import Concern, ConsultantDays, Severity, concerns, consultant_days
from facilitator.text import fold
from facilitator.view import CohortView, session_title


class Stage(StrEnum):
    """Where an entry stands relative to today."""

    DONE = "done"
    NEXT = "next"
    LATER = "later"


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the calendar, already in words.

    ``details`` are sub-entries (each bilan of a group of bilans), shown only when
    the timeline is ``detailed``: there is room for them on a large screen, not in
    80×24. A detail is one line, its ``when`` first (padded so titles line up), then
    its ``title``.
    """

    stage: Stage
    title: str
    when: str = ""
    details: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True)
class TaskRow:
    """One task, in words: ``when`` it is due (« dans 5 jours »), by whom, what, where it stands."""

    when: str
    structure: str
    title: str
    status: str
    late: bool = False


@dataclass(frozen=True)
class TaskSection:
    """A heading and its rows; a ``late`` section is drawn in the error colour."""

    title: str
    rows: tuple[TaskRow, ...]
    late: bool = False


TASK_HORIZON = dt.timedelta(weeks=3)
"""Open tasks due within three weeks are listed with the late ones.

Collective sessions are six to seven weeks apart, so three weeks is the second half of
an intersession: soon enough to matter, early enough for a reminder to be acted on
before the session. Further ahead, a list would only be noise.
"""

COLLECTIVE_KINDS = (SessionKind.INTRO, SessionKind.STATE_OF_PLAY, SessionKind.EVOLUTION)

PARTICIPANT_TIME = "participant-time"
"""The code of the participants' time warning, which comes from the programme, not the rules."""


# --- where the programme stands ---------------------------------------------------------


def _by_date(session: Session) -> tuple[dt.date, dt.time, str]:
    """Day, then start time (two bilans on one day), then id: the same order on every redraw."""
    return (session.date or dt.date.max, session.start_time or dt.time.max, session.id)


@dataclass(frozen=True)
class Milestone:
    """A step of the programme: one collective session, or all the bilans together.

    ``focus`` is the session the step is about today: the session itself, or among
    bilans the next one to hold (the last one once all are held; none while every
    bilan set is held but some structures still have none). ``sessions`` is empty
    while the step has no session yet. For bilans, ``held`` counts those behind us
    and ``unplanned`` the structures that have none yet.
    """

    kind: SessionKind
    stage: Stage
    sessions: tuple[Session, ...] = ()
    focus: Session | None = None
    held: int = 0
    unplanned: int = 0

    @property
    def dated(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.date is not None)


def programme_timeline(
    sessions: Iterable[Session], structure_ids: Iterable[str], today: dt.date
) -> list[Milestone]:
    """The programme's steps in the guidance's order, each done, next or later.

    Every collective stage appears even without a session (it is still to plan), and
    the bilans form one step, done only when every structure has held its own. The
    next step is the first one not done, in programme order rather than by date: an
    état des lieux left undated is what needs doing even if the évolution has a date.
    """
    by_kind: dict[SessionKind, list[Session]] = {kind: [] for kind in SessionKind}
    for session in sessions:
        by_kind[session.kind].append(session)
    steps: list[tuple[Milestone, bool]] = []
    for kind in COLLECTIVE_KINDS:
        own = sorted(by_kind[kind], key=_by_date)
        if not own:
            steps.append((Milestone(kind, Stage.LATER), False))
        for session in own:
            done = session.held(today)
            steps.append((Milestone(kind, Stage.LATER, (session,), session, int(done)), done))
    bilans = tuple(sorted(by_kind[SessionKind.BILAN], key=_by_date))
    held = sum(b.held(today) for b in bilans)
    unplanned = len(set(structure_ids) - {b.structure_id for b in bilans})
    done = bool(bilans) and held == len(bilans) and unplanned == 0
    focus = next((b for b in bilans if not b.held(today)), bilans[-1] if done else None)
    steps.append((Milestone(SessionKind.BILAN, Stage.LATER, bilans, focus, held, unplanned), done))

    timeline: list[Milestone] = []
    next_found = False
    for milestone, done in steps:
        if done:
            stage = Stage.DONE
        elif not next_found:
            stage, next_found = Stage.NEXT, True
        else:
            stage = Stage.LATER
        timeline.append(dataclasses.replace(milestone, stage=stage))
    return timeline


@dataclass(frozen=True)
class TaskDigest:
    """The open travaux préparatoires that need a word with the structure, and the rest counted.

    ``late`` are past their due date, oldest first; ``soon`` are due within the
    horizon, soonest first. ``later`` counts open tasks due after it or undated.
    """

    late: tuple[PreparatoryTask, ...] = ()
    soon: tuple[PreparatoryTask, ...] = ()
    later: int = 0
    done: int = 0

    @property
    def to_chase(self) -> int:
        return len(self.late) + len(self.soon)


def tasks_due(
    tasks: Iterable[PreparatoryTask],
    today: dt.date,
    names: Mapping[str, str] | None = None,
    horizon: dt.timedelta = TASK_HORIZON,
) -> TaskDigest:
    """Sort the open tasks into late, due within ``horizon`` and later; count the done ones.

    A task due today is not late yet. Ties on the due date go by structure name
    (``names``, accents and case ignored), so the list does not reshuffle between redraws.
    """
    names = names or {}

    def order(task: PreparatoryTask) -> tuple[dt.date, str, str]:
        return (task.due or dt.date.max, fold(names.get(task.structure_id, "")), fold(task.title))

    late: list[PreparatoryTask] = []
    soon: list[PreparatoryTask] = []
    later = done = 0
    for task in tasks:
        if task.status == TaskStatus.DONE:
            done += 1
        elif task.late(today):
            late.append(task)
        elif task.due is None or task.due > today + horizon:
            later += 1
        else:
            soon.append(task)
    return TaskDigest(tuple(sorted(late, key=order)), tuple(sorted(soon, key=order)), later, done)


def attention_points(view: CohortView, today: dt.date) -> list[Concern]:
    """The rules' concerns and the participants' time warning, warnings first.

    ``programme.programme_warnings`` is not used: its sentences are the rules' own
    concerns (programme length, consultant days) plus the participants' time, so
    taking the concerns and that one warning shows each sentence once. The time
    warning comes as one sentence (problem and advice together), so it has no advice.
    """
    found = concerns(view.cohort, view.structures, view.participants, view.sessions, today=today)
    found += [
        Concern(PARTICIPANT_TIME, Severity.WARNING, view.cohort.id, sentence, "")
        for sentence in participant_time_warnings(view.sessions, view.structures)
    ]
    # Stable: within a severity the rules' order (cohort first, then by structure) stays.
    return sorted(found, key=lambda f: f.severity != Severity.WARNING)


@dataclass(frozen=True)
class NextStep:
    """What comes next: a step of the programme and the tasks to chase before it.

    ``milestone`` is ``None`` once every session is held; ``last_day`` is then the
    day the programme ended.
    """

    milestone: Milestone | None
    to_chase: int = 0
    last_day: dt.date | None = None


def next_step(timeline: Sequence[Milestone], digest: TaskDigest) -> NextStep:
    """The next step of ``timeline``, with the count of tasks to chase before it.

    After the programme, nothing is to chase: a late task no longer prepares anything.
    """
    upcoming = next((m for m in timeline if m.stage is Stage.NEXT), None)
    if upcoming is None:
        days = [s.date for m in timeline for s in m.dated if s.date is not None]
        return NextStep(None, 0, max(days, default=None))
    return NextStep(upcoming, digest.to_chase)


@dataclass(frozen=True)
class DashboardState:
    """Everything the dashboard shows, worked out once per redraw."""

    today: dt.date
    timeline: tuple[Milestone, ...]
    tasks: TaskDigest
    points: tuple[Concern, ...]
    step: NextStep
    consultants: ConsultantDays
    participants: ParticipantTime


def summarize(view: CohortView, today: dt.date) -> DashboardState:
    """The dashboard's content for ``view`` as of ``today``, ready to put into words."""
    names = view.structure_names()
    timeline = programme_timeline(view.sessions, names.keys(), today)
    digest = tasks_due(view.tasks, today, names)
    return DashboardState(
        today=today,
        timeline=tuple(timeline),
        tasks=digest,
        points=tuple(attention_points(view, today)),
        step=next_step(timeline, digest),
        consultants=consultant_days(view.cohort, len(view.structures)),
        participants=participant_time(view.sessions, view.structures),
    )


# --- in words -----------------------------------------------------------------------------


def _kind(kind: SessionKind, lang: str | None = None) -> str:
    """The session kind's name (``domain.label``), in ``lang`` when given."""
    return label(kind) if lang is None else t(f"domain.sessionkind.{kind.value}", lang)


def next_step_line(
    step: NextStep, names: Mapping[str, str], today: dt.date, lang: str | None = None
) -> str:
    """The dashboard's first line: the next session, when, and what to chase before it.

    « Prochaine étape : 2nde session collective — L'évolution, mardi 8 décembre
    (dans 12 jours) · 5 travaux à relancer »: short enough for one line in 120
    columns, where the panel below names them in full (travaux préparatoires).
    """
    lang = lang or language()
    milestone = step.milestone
    if milestone is None:
        if step.last_day is None:  # only for a timeline built by hand: every real one has bilans
            return t("dashboard.next.nothing", lang)
        return t(
            "dashboard.next.finished",
            lang,
            date=day_words(step.last_day, "long", lang),
            when=humanize_day(step.last_day, today, lang),
        )
    session = milestone.focus
    if session is None:
        what = (
            t("word.bilans", lang)
            if milestone.kind == SessionKind.BILAN
            else _kind(milestone.kind, lang)
        )
        parts = [t("dashboard.next.to_plan", lang, session=what)]
    elif session.date is None:
        parts = [t("dashboard.next.undated", lang, session=session_title(session, names, lang))]
    else:
        parts = [
            t(
                "dashboard.next.dated",
                lang,
                session=session_title(session, names, lang),
                date=day_words(session.date, "long", lang),
                when=humanize_day(session.date, today, lang),
            )
        ]
    if milestone.kind == SessionKind.BILAN and milestone.held:
        parts.append(
            t(
                "dashboard.next.bilans_held",
                lang,
                held=milestone.held,
                total=len(milestone.sessions) + milestone.unplanned,
            )
        )
    if step.to_chase:
        parts.append(plural("dashboard.next.to_chase", step.to_chase, lang))
    return t("format.separator", lang).join(parts)


def _when(day: dt.date, today: dt.date, lang: str) -> str:
    return t(
        "dashboard.timeline.when",
        lang,
        date=format_day(day, lang),
        relative=humanize_day(day, today, lang),
    )


def _bilans_entry(
    milestone: Milestone, names: Mapping[str, str], today: dt.date, lang: str
) -> TimelineEntry:
    """All the bilans on two lines: how many, from when to when, and how far the next one is."""
    count = len(milestone.sessions)
    title = t("dashboard.bilans.count", lang, count=count) if count else t("word.bilans", lang)
    undated = count - len(milestone.dated)
    dates = [s.date for s in milestone.dated if s.date is not None]
    parts: list[str] = []
    if dates:
        first, last = min(dates), max(dates)
        span = (
            t("dashboard.bilans.on", lang, date=day_words(first, "short", lang))
            if first == last
            else t(
                "dashboard.bilans.range",
                lang,
                first=day_words(first, "short", lang),
                last=day_words(last, "short", lang),
            )
        )
        focus = milestone.focus
        upcoming = focus.date if focus is not None and not focus.held(today) else None
        if upcoming is not None and milestone.stage is Stage.NEXT:
            relative = t(
                "dashboard.bilans.next", lang, relative=humanize_day(upcoming, today, lang)
            )
        else:  # before the bilans, from the first one; after, from the last one
            relative = humanize_day(first if upcoming is not None else last, today, lang)
        parts.append(t("dashboard.timeline.when", lang, date=span, relative=relative))
    if undated:
        parts.append(plural("dashboard.bilans.undated", undated, lang))
    if not count:
        parts.append(t("dashboard.timeline.unplanned", lang))
    elif milestone.unplanned:
        parts.append(plural("dashboard.bilans.unplanned", milestone.unplanned, lang))

    def stage(bilan: Session) -> Stage:
        if bilan.held(today):
            return Stage.DONE
        return (
            Stage.NEXT
            if milestone.stage is Stage.NEXT and bilan is milestone.focus
            else Stage.LATER
        )

    details = tuple(
        TimelineEntry(
            stage=stage(s),
            title=names.get(s.structure_id or "", ""),
            when=day_words(s.date, "short", lang) if s.date else t("word.undated", lang),
        )
        for s in milestone.sessions
    )
    return TimelineEntry(milestone.stage, title, t("format.separator", lang).join(parts), details)


def timeline_entries(
    timeline: Sequence[Milestone], names: Mapping[str, str], today: dt.date, lang: str | None = None
) -> list[TimelineEntry]:
    """The calendar in words: each session with its full date and its distance from today."""
    lang = lang or language()
    entries: list[TimelineEntry] = []
    for milestone in timeline:
        if milestone.kind == SessionKind.BILAN:
            entries.append(_bilans_entry(milestone, names, today, lang))
            continue
        title = _kind(milestone.kind, lang)
        session = milestone.focus
        if session is None:
            when = t("dashboard.timeline.unplanned", lang)
        elif session.date is None:
            when = t("word.undated", lang)
        else:
            when = _when(session.date, today, lang)
        entries.append(TimelineEntry(milestone.stage, title, when))
    return entries


def task_sections(
    digest: TaskDigest, names: Mapping[str, str], today: dt.date, lang: str | None = None
) -> list[TaskSection]:
    """The late tasks, then those due within the horizon, each row in words."""
    lang = lang or language()
    weeks = TASK_HORIZON.days // 7

    def row(task: PreparatoryTask, late: bool) -> TaskRow:
        return TaskRow(
            when=humanize_day(task.due, today, lang) if task.due else "",
            structure=names.get(task.structure_id, ""),
            title=task.title,
            status=t(f"domain.taskstatus.{task.status.value}", lang),
            late=late,
        )

    return [
        TaskSection(
            t("dashboard.tasks.late", lang, count=len(digest.late)),
            tuple(row(task, True) for task in digest.late),
            late=True,
        ),
        TaskSection(
            t("dashboard.tasks.soon", lang, count=len(digest.soon), weeks=weeks),
            tuple(row(task, False) for task in digest.soon),
        ),
    ]


def task_note(digest: TaskDigest, lang: str | None = None) -> str:
    """What the list leaves out, counted: tasks due later, tasks done."""
    lang = lang or language()
    parts = []
    if digest.later:
        parts.append(plural("dashboard.tasks.later", digest.later, lang))
    if digest.done:
        parts.append(plural("dashboard.tasks.done", digest.done, lang))
    return t("format.separator", lang).join(parts)


@dataclass(frozen=True)
class DaysLine:
    """One line of the days panel: what it counts, then the detail, indented below it."""

    head: str
    detail: str


def days_lines(
    consultants: ConsultantDays, participants: ParticipantTime, lang: str | None = None
) -> tuple[DaysLine, DaysLine]:
    """The days panel: the consultants' days, then what the programme asks of a participant.

    « Consultant·es : 8 j budgétés, 2 j passés », « besoin 7,5 à 9 j pour 6 structures »;
    « Participant·es : environ 4,5 j chacun·e », « sessions 1,5 j + préparation 3 j ».
    Short enough for the 46 columns the panel has beside the tasks. The need is the
    guidance's 10 to 12 days for 8 structures, pro rata; a budget below it is also a
    concern, which says what to do. A participant's days are an estimate, given to a
    tenth of a day.
    """
    lang = lang or language()

    def days(value: float) -> str:
        return plural("dashboard.days.unit", value, lang, digits=1)

    if consultants.structures:
        needed = t(
            "dashboard.days.needed",
            lang,
            min=number(consultants.needed_min, lang),
            max=number(consultants.needed_max, lang),
            structures=plural("format.unit.structure", consultants.structures, lang),
        )
    else:
        needed = t("dashboard.days.needed_unknown", lang)
    consultant_line = DaysLine(
        t(
            "dashboard.days.consultants",
            lang,
            budgeted=plural("dashboard.days.budgeted", consultants.budgeted, lang),
            spent=plural("dashboard.days.spent", consultants.spent, lang),
        ),
        needed,
    )
    participant_line = DaysLine(
        t("dashboard.days.participants", lang, total=days(participants.total)),
        t(
            "dashboard.days.participants_detail",
            lang,
            sessions=days(participants.in_sessions),
            preparation=days(participants.preparation),
        ),
    )
    return consultant_line, participant_line
