"""One structure's thread, laid out for a five-minute read before its bilan.

The widget draws a ``facilitator.thread.Thread`` as it is (the model ``facilitator
review`` and the bilan exports read too), in the order the work went: who takes
part and which sessions they came to, the travaux préparatoires, what was said at
the état des lieux, then at l'évolution, the « avant / après » per lever, and the
bilan itself with its compte rendu.

Nothing here relies on colour alone: a held session is ✓ and one to come ○, the
gouvernance present is ◆ and absent ◇, each with its words, so the thread reads the
same over SSH in 16 colours, on a projector or printed from a screenshot.

The « avant / après » columns and the two top panels sit side by side from
:data:`WIDE` columns and stack below it, so 80 columns keep whole sentences. The
widget decides from its own width (not the screen's breakpoints), so it lays out the
same wherever it is placed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import Static

from facilitator.domain import (
    FEEDBACK_QUESTIONS,
    BilanReview,
    Lever,
    Note,
    NoteKind,
    Participant,
    PreparatoryTask,
    Session,
    TaskStatus,
    label,
    session_name,
)
from facilitator.i18n import plural, t
from facilitator.programme import day_words, format_day, humanize_day
from facilitator.thread import BeforeAfter, SessionAttendance, Thread
from screens.widgets.bullet import Bullet
from screens.widgets.panels import PanelRow

HELD, COMING = "✓", "○"
GOVERNANCE_IN, GOVERNANCE_OUT = "◆", "◇"
NOTE_MARK, PROBLEM_MARK, QUESTION_MARK = "•", "?", "?"
TASK_MARKS = {TaskStatus.DONE: "✓", TaskStatus.IN_PROGRESS: "◐", TaskStatus.TODO: "○"}
STAR_ON, STAR_OFF = "★", "☆"

WIDE = 100
"""From this width (the widget's own) two columns of notes still hold ~45 characters a line."""

EVOLUTION_KINDS = (
    NoteKind.AMBITION,
    NoteKind.OBSTACLE,
    NoteKind.SUCCESS_CONDITION,
    NoteKind.MIRROR,
    NoteKind.ACTION,
)
"""What the 2nde session is about, in the order a structure works through it; each is
shown even when empty, since a missing frein or piste before a bilan is worth seeing."""

BILAN_KINDS = (NoteKind.VISION_CHANGE, NoteKind.FEEDBACK)
"""What the bilan meeting itself captures, shown in the bilan's panel."""


# --- the words of each line (plain functions, tested without a terminal) ----------------


def lever_name(lever: Lever | None) -> str:
    """The lever as a heading: « Ressources financières », « Sans levier »."""
    name = label(lever) if lever is not None else t("word.no_lever")
    return name[:1].upper() + name[1:]


def names(people: Iterable[Participant]) -> str:
    return t("bilan.list_separator").join(p.name for p in people)


def note_text(note: Note, *, lever: bool = True, das: bool = True) -> Content:
    """The note's words, then where it belongs (lever, DAS) dimmed, when asked for."""
    where = []
    if lever and note.lever is not None:
        where.append(label(note.lever))
    if das and note.das:
        where.append(note.das)
    if not where:
        return Content(note.text)
    return Content.assemble(
        note.text, (t("bilan.thread.note_where", where=" · ".join(where)), "dim")
    )


def participant_text(person: Participant) -> Content:
    role = label(person.role)
    if person.speaks_for_governance and not person.role.is_governance:
        role = t("word.role_governance", role=role)
    return Content.assemble((person.name, "bold"), t("bilan.thread.role", role=role))


def session_title(session: Session, today: dt.date) -> Content:
    """« État des lieux · mardi 6 octobre (il y a 51 jours) »."""
    name = session_name(session.kind)
    if session.date is None:
        when = t("bilan.thread.undated")
    else:
        when = t(
            "bilan.thread.when",
            date=day_words(session.date, "long"),
            relative=humanize_day(session.date, today),
        )
    return Content.assemble((name, "bold"), t("format.separator"), when)


def presence_line(attendance: SessionAttendance) -> str:
    """Who came, in words, the gouvernance first since the guidance asks for it:
    « ◆ gouvernance représentée · présent·es : … · excusé·es : … »."""
    if not (attendance.present or attendance.excused or attendance.absent):
        return t("word.presence.unmarked")
    parts = [
        t("bilan.thread.governance_in", mark=GOVERNANCE_IN)
        if attendance.governance_present
        else t("bilan.thread.governance_out", mark=GOVERNANCE_OUT)
    ]
    groups = (
        ("word.presence.present", attendance.present),
        ("word.presence.excused", attendance.excused),
        ("word.presence.absent", attendance.absent),
        ("word.presence.not_marked", attendance.unmarked),
    )
    parts += [t(key, names=names(people)) for key, people in groups if people]
    return t("format.separator").join(parts)


def task_text(task: PreparatoryTask, today: dt.date) -> Content:
    """« Présenter les constats au CA — fait · avant L'évolution »."""
    parts = [
        label(task.status),
        t("bilan.thread.task_before", session=session_name(task.before)),
    ]
    if task.due is not None and task.status != TaskStatus.DONE:
        parts.append(humanize_day(task.due, today))
    return Content.assemble(
        task.title,
        (t("bilan.thread.note_where", where=t("format.separator").join(parts)), "dim"),
    )


def stars(rating: int | None) -> str:
    """« ★★★★☆ 4/5 », or a dash: the figure is there for who cannot tell the stars apart."""
    if rating is None:
        return t("bilan.thread.not_rated")
    return t("bilan.thread.rating", stars=STAR_ON * rating + STAR_OFF * (5 - rating), rating=rating)


def review_lines(review: BilanReview, today: dt.date) -> list[tuple[str, str]]:
    """The compte rendu as (what, value) pairs, only the fields that were filled."""
    rows: list[tuple[str, str]] = [
        (t(f"bilan.question.{key}"), stars(review.ratings.get(key))) for key in FEEDBACK_QUESTIONS
    ]
    if review.comments:
        rows.append((t("bilan.thread.comments"), review.comments))
    if review.third_person or review.third_person_role:
        who = review.third_person or t("bilan.thread.unnamed")
        if review.third_person_role:
            who = t("format.person_role", name=who, role=review.third_person_role)
        rows.append((t("bilan.thread.third_person"), who))
    if review.next_steps:
        rows.append((t("word.next_steps"), review.next_steps))
    if review.follow_up is not None:
        rows.append(
            (
                t("word.follow_up"),
                t(
                    "bilan.thread.when",
                    date=format_day(review.follow_up),
                    relative=humanize_day(review.follow_up, today),
                ),
            )
        )
    return rows


# --- the widget --------------------------------------------------------------------------


class ThreadView(VerticalGroup):
    """The thread of one structure in panels; redrawn whole when the thread changes."""

    DEFAULT_CSS = """
    ThreadView {
        height: auto;
    }
    ThreadView .thread--top {
        height: auto;
        layout: vertical;
    }
    ThreadView.-wide .thread--top {
        layout: grid;
        grid-size: 2 1;
        grid-columns: 3fr 2fr;
        grid-rows: auto;
    }
    ThreadView .thread--heading {
        height: auto;
        text-style: bold;
        color: $text-primary;
        margin-top: 1;
    }
    ThreadView .panel > .thread--heading:first-child {
        margin-top: 0;
    }
    ThreadView .thread--missing {
        margin-top: 1;
    }
    ThreadView .panel > .thread--missing:first-child {
        margin-top: 0;
    }
    ThreadView .thread--group {
        height: auto;
        padding-left: 2;
    }
    ThreadView .thread--das {
        height: auto;
        text-style: italic;
    }
    ThreadView .thread--empty, ThreadView .thread--hint {
        height: auto;
        color: $text-muted;
    }
    ThreadView .thread--session {
        height: auto;
    }
    ThreadView .thread--session.-coming > .bullet--mark {
        color: $text-muted;
    }
    ThreadView .thread--session.-held > .bullet--mark {
        color: $text-success;
    }
    ThreadView .thread--columns {
        height: auto;
        layout: vertical;
    }
    ThreadView.-wide .thread--columns {
        layout: grid;
        grid-size: 2;
        grid-columns: 1fr 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
    }
    ThreadView .thread--side {
        height: auto;
    }
    ThreadView .thread--side:last-of-type {
        margin-top: 1;
    }
    ThreadView.-wide .thread--side:last-of-type {
        margin-top: 0;
    }
    ThreadView .thread--caption {
        height: auto;
        color: $text-muted;
        text-style: underline;
    }
    ThreadView .thread--review {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-columns: auto 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
        padding-left: 2;
    }
    ThreadView .thread--review > .thread--what {
        color: $text-muted;
        height: auto;
    }
    ThreadView .thread--review > .thread--value {
        height: auto;
    }
    """

    thread: reactive[Thread | None] = reactive(None, recompose=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = dt.date.min

    def show(self, thread: Thread, today: dt.date) -> None:
        """Draw ``thread`` as of ``today``; nothing is redrawn when neither changed."""
        if today != self.today:
            self.today = today
            self.mutate_reactive(ThreadView.thread)
        self.thread = thread

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    def compose(self) -> ComposeResult:
        thread = self.thread
        if thread is None:
            return
        with PanelRow(classes="thread--top"):
            with VerticalGroup(id="thread-journey", classes="panel") as journey:
                journey.border_title = t("bilan.thread.journey")
                yield from self._journey(thread)
            with VerticalGroup(id="thread-tasks", classes="panel") as tasks:
                tasks.border_title = t("bilan.thread.tasks", count=len(thread.tasks))
                yield from self._tasks(thread.tasks)
        with VerticalGroup(id="thread-state", classes="panel") as state:
            state.border_title = t("bilan.thread.state")
            yield from self._state(thread)
        with VerticalGroup(id="thread-evolution", classes="panel") as evolution:
            evolution.border_title = t("bilan.thread.evolution")
            yield from self._evolution(thread)
        with VerticalGroup(id="thread-before-after", classes="panel") as before_after:
            before_after.border_title = t("word.before_after")
            yield from self._before_after(thread.before_after)
        with VerticalGroup(id="thread-bilan", classes="panel") as bilan:
            bilan.border_title = t("domain.sessionkind.bilan")
            yield from self._bilan(thread)

    # --- panels ---------------------------------------------------------------------------

    def _journey(self, thread: Thread) -> ComposeResult:
        yield Static(t("word.participants"), classes="thread--heading")
        if not thread.participants:
            yield Static(t("bilan.thread.no_participants"), classes="thread--empty")
        for person in thread.participants:
            mark = GOVERNANCE_IN if person.speaks_for_governance else ""
            yield Bullet(mark, participant_text(person))
        yield Static(t("word.sessions"), classes="thread--heading")
        for attendance in thread.sessions:
            session = attendance.session
            done = session.held(self.today)
            text = session_title(session, self.today)
            if done and attendance.notes:
                text = Content.assemble(
                    text,
                    t("format.separator"),
                    plural("word.note_count", attendance.notes),
                )
            if done:
                text = Content.assemble(text, "\n", presence_line(attendance))
            yield Bullet(
                HELD if done else COMING,
                text,
                classes=f"thread--session {'-held' if done else '-coming'}",
            )
        yield Static(
            t("bilan.thread.legend", held=HELD, coming=COMING, governance=GOVERNANCE_IN),
            classes="thread--hint",
        )

    def _tasks(self, tasks: Sequence[PreparatoryTask]) -> ComposeResult:
        if not tasks:
            yield Static(t("bilan.thread.no_tasks"), classes="thread--empty")
        for task in tasks:
            yield Bullet(TASK_MARKS[task.status], task_text(task, self.today))

    def _state(self, thread: Thread) -> ComposeResult:
        if not thread.constats:
            yield Static(t("bilan.thread.no_constats"), classes="thread--empty")
        for lever, by_das in thread.constats.items():
            yield Static(lever_name(lever), classes="thread--heading")
            with VerticalGroup(classes="thread--group"):
                for das, notes in by_das.items():
                    if das:
                        yield Static(das, classes="thread--das")
                    for note in notes:
                        yield self._finding(note)
        questions = thread.of_kind(NoteKind.QUESTION)
        if questions:
            yield Static(
                t("bilan.thread.kind.question", count=len(questions)), classes="thread--heading"
            )
            with VerticalGroup(classes="thread--group"):
                for note in questions:
                    yield Bullet(QUESTION_MARK, note_text(note))

    @staticmethod
    def _finding(note: Note) -> Bullet:
        """A constat as it was said; a problématique marked as a question to work on."""
        if note.kind == NoteKind.PROBLEM:
            text = Content.assemble(
                (t("bilan.thread.problem"), "italic"), note_text(note, lever=False, das=False)
            )
            return Bullet(PROBLEM_MARK, text)
        return Bullet(NOTE_MARK, note_text(note, lever=False, das=False))

    def _evolution(self, thread: Thread) -> ComposeResult:
        yield from self._kinds(thread, EVOLUTION_KINDS, "bilan.thread.missing")

    def _kinds(self, thread: Thread, kinds: Sequence[NoteKind], missing: str) -> ComposeResult:
        """Each kind with notes under its heading; the kinds with none named on one line.

        Before the session they belong to, every kind is empty: one line saying so
        keeps the panel short, and still shows what is missing before a bilan.
        """
        empty = [kind for kind in kinds if not thread.of_kind(kind)]
        for kind in kinds:
            notes = thread.of_kind(kind)
            if not notes:
                continue
            yield Static(
                t(f"bilan.thread.kind.{kind.value}", count=len(notes)), classes="thread--heading"
            )
            with VerticalGroup(classes="thread--group"):
                for note in notes:
                    yield Bullet(NOTE_MARK, note_text(note))
        if empty:
            kinds_text = t("bilan.list_separator").join(
                t(f"bilan.thread.plural.{kind.value}") for kind in empty
            )
            yield Static(t(missing, kinds=kinds_text), classes="thread--empty thread--missing")

    def _before_after(self, rows: Sequence[BeforeAfter]) -> ComposeResult:
        if not rows:
            yield Static(t("word.no_levers"), classes="thread--empty")
        for row in rows:
            yield Static(lever_name(row.lever), classes="thread--heading")
            with VerticalGroup(classes="thread--group"), VerticalGroup(classes="thread--columns"):
                for caption, notes in (
                    (t("bilan.thread.before"), row.before),
                    (t("bilan.thread.after"), row.after),
                ):
                    with VerticalGroup(classes="thread--side"):
                        yield Static(caption, classes="thread--caption")
                        if not notes:
                            yield Static(t("bilan.thread.nothing_yet"), classes="thread--empty")
                        for note in notes:
                            yield Bullet(NOTE_MARK, note_text(note, lever=False))

    def _bilan(self, thread: Thread) -> ComposeResult:
        bilan = thread.bilan
        if bilan is None:
            yield Static(t("bilan.thread.no_bilan"), classes="thread--empty")
        else:
            when = (
                t(
                    "bilan.thread.when",
                    date=format_day(bilan.date),
                    relative=humanize_day(bilan.date, self.today),
                )
                if bilan.date is not None
                else t("bilan.thread.undated")
            )
            yield Static(t("bilan.thread.bilan_on", when=when), classes="thread--when")
        yield from self._kinds(
            thread,
            BILAN_KINDS,
            "bilan.thread.missing_bilan" if bilan is not None else "bilan.thread.missing",
        )
        yield Static(t("word.report"), classes="thread--heading")
        review = thread.review
        if review is None:
            hint = (
                t("bilan.thread.review_hint")
                if bilan is not None
                else t("bilan.thread.nothing_yet")
            )
            with VerticalGroup(classes="thread--group"):
                yield Static(hint, classes="thread--empty")
            return
        with VerticalGroup(classes="thread--review"):
            for what, value in review_lines(review, self.today):
                yield Static(Content(what), classes="thread--what")
                yield Static(Content(value), classes="thread--value")
