"""The live session: the agenda and its clock, quick capture, the notes as they come.

The clock is the core's pure function of the session's recorded presses and
``now``: nothing is written per tick, so quitting, a crash or a second terminal
shows the same clock. A press is recorded (fsynced) in a worker and the screen
follows the store. Keys from shared/CLI.md: ``space`` starts or pauses, ``n``
goes to the next item, ``c`` puts the cursor in the capture line, ``escape``
leaves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import arrow
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

from facilitator import actions
from facilitator.agenda import item_title
from facilitator.clock import (
    Action,
    ClockState,
    Status,
    allowed_actions,
    make_event,
    replan,
)
from facilitator.domain import (
    ClockEvent,
    InvalidInput,
    Lever,
    Note,
    NoteKind,
    Session,
    SessionKind,
    label,
)
from facilitator.i18n import lazy, t
from facilitator.live import live_session
from facilitator.programme import SessionPlan, format_day, session_plan
from facilitator.store import CohortStore
from facilitator.view import CohortView
from screens.base import ViewScreen
from screens.dialogs.attendance import AttendanceScreen
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.form import Field, FormScreen
from screens.dialogs.intersession import IntersessionScreen
from screens.dialogs.replan import ReplanScreen
from screens.dialogs.synthesis import SynthesisScreen
from screens.widgets.capture_line import CaptureLine
from screens.widgets.clock_panel import ClockPanel
from screens.widgets.note_feed import NoteFeed, NoteFilter

if TYPE_CHECKING:
    pass

EXTEND_MINUTES = 5
AGENDA_ROWS = 5

# The kind a line without a prefix takes, by session: what is mostly said there.
DEFAULT_KIND = {
    SessionKind.INTRO: NoteKind.QUESTION,
    SessionKind.STATE_OF_PLAY: NoteKind.FINDING,
    SessionKind.EVOLUTION: NoteKind.FINDING,
    SessionKind.BILAN: NoteKind.VISION_CHANGE,
}


class SessionScreen(ViewScreen[None]):
    AUTO_FOCUS = "NoteFeed"  # a space pressed at once starts the clock, not a blank note
    WRITE_ACTIONS = frozenset(
        [
            "capture",
            "clock",
            "delete_note",
            "edit_note",
            "extend",
            "replan",
            "reset_clock",
            "toggle_clock",
            "undo",
        ]
    )
    BINDINGS = [
        Binding("space", "toggle_clock", lazy("session.key.start_pause")),
        Binding("n", "clock('next')", lazy("session.key.next")),
        # A priority binding runs as the key is read, before the keys after it are handed
        # to the widget that has the focus: they go to the capture line (see action_capture).
        Binding("c", "capture", lazy("session.key.capture"), priority=True),
        Binding("escape", "leave", lazy("session.key.leave"), show=False),
        Binding("p", "clock('previous')", lazy("session.key.previous"), show=False),
        Binding("plus", "extend", lazy("format.plus_minutes", minutes=EXTEND_MINUTES)),
        Binding(
            "equals_sign", "extend", lazy("format.plus_minutes", minutes=EXTEND_MINUTES), show=False
        ),
        Binding("s", "clock('skip')", lazy("session.key.skip"), show=False),
        Binding("r", "replan", lazy("session.key.replan")),
        Binding("f", "filter", lazy("session.key.filter"), show=False),
        Binding("e", "edit_note", lazy("word.edit_note"), show=False),
        Binding("d,delete", "delete_note", lazy("session.key.delete"), show=False),
        Binding("u", "undo", lazy("key.undo_removal"), show=False),
        Binding("b", "toggle_bell", lazy("session.key.bell"), show=False),
        Binding("a", "attendance", lazy("attendance.key.open")),
        Binding("m", "synthesis", lazy("synthesis.key.open")),
        Binding("t", "tasks", lazy("intersession.key.open")),
        Binding("v", "project", lazy("projector.key.open"), show=False),
        Binding("z", "reset_clock", lazy("session.key.reset"), show=False),
        Binding("g", "agenda", lazy("agenda_editor.key.open")),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.state: ClockState | None = None
        self.note_filter = NoteFilter()
        self.deleted: list[Note] = []
        self.bell = True
        self._agenda_text = ""
        self._was_over = False

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="session-title")
        yield ClockPanel(id="clock")
        yield Static("", id="agenda")
        yield CaptureLine(id="capture-line")
        yield Static("", id="feed-title")
        yield NoteFeed(id="feed")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(CaptureLine).input.disabled = self.facilitator.workspace.read_only
        self.follow_view()
        self.set_interval(1.0, self.tick)
        self.query_one(NoteFeed).focus()

    # --- what is shown ---------------------------------------------------------------

    @property
    def session(self) -> Session:
        session = self.view.session(self.session_id)
        assert session is not None
        return session

    @property
    def plan(self) -> SessionPlan:
        return session_plan(self.session, self.view.structures)

    def events(self) -> list[ClockEvent]:
        return [e for e in self.view.clock if e.session_id == self.session_id]

    def show(self, view: CohortView) -> None:
        if view.session(self.session_id) is None:
            return
        session = self.session
        title = view.session_title(session)
        when = format_day(session.date) if session.date else ""
        self.query_one("#session-title", Static).update(
            " · ".join(p for p in (title, when, session.place) if p)
        )
        capture = self.query_one(CaptureLine)
        capture.structures = view.structures
        capture.default_structure = (
            session.structure_id if session.kind == SessionKind.BILAN else None
        )
        capture.default_kind = DEFAULT_KIND[session.kind]
        self._show_feed(view)
        self.tick()

    def _show_feed(self, view: CohortView) -> None:
        notes = [
            n for n in view.notes if n.session_id == self.session_id and self.note_filter.accepts(n)
        ]
        described = self.note_filter.describe(view)
        title = t("word.session_notes", count=len(notes)) if notes else t("session.feed.empty")
        if described:
            title = t("session.feed.filtered", title=title, filter=described)
        self.query_one("#feed-title", Static).update(title)
        self.query_one(NoteFeed).show(notes, view)

    def compute(self, now: arrow.Arrow | None = None) -> ClockState:
        return live_session(self.view, self.session, now or self.facilitator.now()).state

    def tick(self) -> None:
        """Once a second: only the clock panel repaints, the agenda when it changed."""
        if self.facilitator.view is None or self.view.session(self.session_id) is None:
            return
        plan = self.plan
        state = self.compute()
        self.state = state
        names = self.view.structure_names()
        timezone = self.view.cohort.timezone
        if state.current is not None and plan.items:
            title = item_title(plan.items[state.current], names)
            budget = state.runs[state.current].budget
        else:
            title, budget = t("session.clock.no_item"), 0.0
        self.query_one(ClockPanel).show(title, state, budget, timezone)
        over = state.status is Status.RUNNING and state.overtime > 0
        if over and not self._was_over and self.bell:
            self.app.bell()
        self._was_over = over
        agenda = self._agenda_lines(plan, state, names, timezone)
        if agenda.plain != self._agenda_text:
            self._agenda_text = agenda.plain
            self.query_one("#agenda", Static).update(agenda)

    def _agenda_lines(
        self, plan: SessionPlan, state: ClockState, names: dict[str, str], timezone: str
    ) -> Text:
        """The items around the current one, with their projected start times."""
        current = state.current if state.current is not None else len(plan.items)
        first = max(0, min(current - 1, len(plan.items) - AGENDA_ROWS))
        lines = Text()
        projected = self._projected_starts(plan, state, timezone)
        for index in range(first, min(len(plan.items), first + AGENDA_ROWS)):
            item, run = plan.items[index], state.runs[index]
            if run.skipped:
                mark, style = "↷", "dim strike"
            elif index == state.current and state.status is not Status.FINISHED:
                mark, style = "▶", "bold"
            elif run.done:
                mark, style = "✓", "dim"
            else:
                mark, style = "·", ""
            start = projected.get(index, plan.planned[index].start.strftime("%H:%M"))
            minutes = round(run.budget / 60)
            line = f"{mark} {start}  {minutes:>3} min  {item_title(item, names)}"
            if lines:
                lines.append("\n")
            lines.append(line, style=style)
        if plan.stand_in is not None and not self.events():
            lines.append(
                "\n" + t("session.agenda.from_template", template=plan.stand_in.label()),
                style="italic",
            )
        return lines

    def _projected_starts(
        self, plan: SessionPlan, state: ClockState, timezone: str
    ) -> dict[int, str]:
        """When each item still to come will start at the current pace."""
        if state.status in (Status.NOT_STARTED, Status.FINISHED) or state.current is None:
            return {}
        starts: dict[int, str] = {}
        cursor = self.facilitator.now().to(timezone).shift(seconds=state.remaining)
        for index in range(state.current + 1, len(plan.items)):
            run = state.runs[index]
            if run.skipped:
                continue
            fixed = plan.items[index].fixed_time
            if fixed is not None:
                pinned = cursor.replace(hour=fixed.hour, minute=fixed.minute, second=0)
                cursor = max(cursor, pinned)
            starts[index] = cursor.format("HH:mm")
            cursor = cursor.shift(seconds=run.budget)
        if state.started_at is not None and state.current < len(plan.items):
            run = state.runs[state.current]
            if run.started is not None:
                starts[state.current] = run.started.to(timezone).format("HH:mm")
        return starts

    # --- the clock ---------------------------------------------------------------------

    def action_toggle_clock(self) -> None:
        state = self.compute()
        if state.status is Status.NOT_STARTED:
            self._start()
        elif state.status is Status.RUNNING:
            self.press(Action.PAUSE)
        elif state.status is Status.PAUSED:
            self.press(Action.RESUME)

    def _start(self) -> None:
        """Start the clock; before the session's day, ask first: a clock started by
        mistake re-times the agenda to now and closes its editor until the day."""
        session = self.session
        today = self.view.cohort.today(self.facilitator.now())
        if session.date is None or session.date <= today:
            self.press(Action.START)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.press(Action.START)

        question = t("session.start_other_day", date=format_day(session.date))
        self.app.push_screen(ConfirmScreen(question, t("session.start_anyway")), answered)

    def action_reset_clock(self) -> None:
        """Back to before the first press (a clock started by mistake, a rehearsal): the
        presses are erased, the notes stay, and the agenda can be edited again."""
        if not self.events():
            self.notify(t("session.reset.nothing"), timeout=3)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.facilitator.save(
                    lambda store: actions.reset_clock(
                        store, self.session_id, now=self.facilitator.now()
                    ),
                    t("session.reset.done"),
                )

        question = t("session.reset.question", count=len(self.events()))
        self.app.push_screen(ConfirmScreen(question, t("session.reset.yes")), answered)

    def action_clock(self, action: str) -> None:
        self.press(Action(action))

    def action_extend(self) -> None:
        self.press(Action.EXTEND, minutes=EXTEND_MINUTES)

    def press(self, action: Action, *, minutes: int = 0) -> None:
        """Record one press; refused presses say why instead of doing nothing."""
        now = self.facilitator.now()
        state = self.compute(now)
        if action not in allowed_actions(state):
            self.notify(t(f"session.refused.{action.value}"), severity="warning", timeout=3)
            return
        try:
            event = make_event(
                state, self.session_id, action.value, now, minutes=minutes, item=state.current
            )
        except InvalidInput as error:
            self.notify(error.message, severity="warning", timeout=3)
            return
        self.facilitator.save(
            lambda store: actions.press_clock(
                store,
                self.session_id,
                event.action,
                now=event.at,
                minutes=event.minutes,
                item=event.item,
            ),
            None,
        )

    def action_replan(self) -> None:
        now = self.facilitator.now()
        state = self.compute(now)
        plan = self.plan
        local = now.to(self.view.cohort.timezone)
        # Keep the fixed end of day, else the end the session was planned to have.
        end = plan.end or (state.planned_end.to(local.tzinfo).time() if state.planned_end else None)
        proposal = replan(plan.items, state, local, end=end)

        def answered(apply: bool | None) -> None:
            if apply:
                self.facilitator.save(
                    lambda store: actions.apply_replan(
                        store, self.session_id, proposal.items, now=self.facilitator.now()
                    ),
                    t("session.replan.applied"),
                )

        self.app.push_screen(
            ReplanScreen(plan.items, proposal, self.view.structure_names()), answered
        )

    def action_project(self) -> None:
        """The projector view over this screen, for a screen the group sees; Escape returns."""
        from screens.projector import ProjectorScreen

        self.app.push_screen(ProjectorScreen(self.session_id))

    def action_agenda(self) -> None:
        """The agenda editor, until the clock starts; after that only a re-plan changes it."""
        self.facilitator.open_agenda(self.session_id)

    def action_toggle_bell(self) -> None:
        self.bell = not self.bell
        self.notify(t("session.bell.on" if self.bell else "session.bell.off"), timeout=2)

    # --- the room: attendance, what was said, the work until next time ---------------------

    def action_attendance(self) -> None:
        """The sign-in sheet, marked while people arrive; each mark is saved at once."""
        self.app.push_screen(AttendanceScreen(self.session_id))

    def action_synthesis(self) -> None:
        """What this session produced so far, laid out the way the session works."""
        self.app.push_screen(SynthesisScreen(self.session_id))

    def action_tasks(self) -> None:
        """The travaux d'intersession before the next session, and a form to add one."""
        self.app.push_screen(IntersessionScreen(self.session_id))

    # --- capture ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "capture" and isinstance(self.focused, Input):
            return False  # « c » typed in a line is a letter
        return super().check_action(action, parameters)

    def action_capture(self) -> None:
        # At once, as « c » is read: the text typed right after it (a paste, a laggy SSH
        # link that sends it all in one read) lands in the line, not on the screen's keys.
        self.set_focus(self.query_one(CaptureLine).input)

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(NoteFeed).focus()
        else:
            self.app.pop_screen()

    @on(CaptureLine.Captured)
    def captured(self, event: CaptureLine.Captured) -> None:
        draft, now, author = event.draft, self.facilitator.now(), self.facilitator.author
        line = event.line
        capture = self.query_one(CaptureLine)

        def failed(message: str) -> None:
            capture.restore(line, message)

        self.facilitator.save(
            lambda store: actions.capture_note(
                store, draft, now=now, session_id=self.session_id, author=author
            ),
            t("session.note.saved"),
            on_error=failed,
        )

    # --- the feed -------------------------------------------------------------------------

    def _selected_note(self) -> Note | None:
        note_id = self.query_one(NoteFeed).selected_id
        return next((n for n in self.view.notes if n.id == note_id), None)

    def _note_fields(self, *, kind_required: bool) -> list[Field]:
        """Kind, structure and lever as choices: what the filter and the edit form share."""
        return [
            Field(
                "kind",
                t("word.kind"),
                "choice",
                required=kind_required,
                choices=[(label(k), k.value) for k in NoteKind],
            ),
            Field(
                "structure_id",
                t("word.structure"),
                "choice",
                choices=[(s.name, s.id) for s in self.view.structures],
            ),
            Field(
                "lever",
                t("word.lever"),
                "choice",
                choices=[(label(lv), lv.value) for lv in Lever],
            ),
        ]

    def action_filter(self) -> None:
        fields = self._note_fields(kind_required=False)
        current = {
            "structure_id": self.note_filter.structure_id,
            "kind": self.note_filter.kind.value if self.note_filter.kind else None,
            "lever": self.note_filter.lever.value if self.note_filter.lever else None,
        }

        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.note_filter = NoteFilter(
                structure_id=values["structure_id"],
                kind=NoteKind(values["kind"]) if values["kind"] else None,
                lever=Lever(values["lever"]) if values["lever"] else None,
            )
            self._show_feed(self.view)

        self.app.push_screen(FormScreen(t("session.filter.title"), fields, current), chosen)

    def action_edit_note(self) -> None:
        note = self._selected_note()
        if note is not None:
            before = actions.note_values(note)
            self._edit_note(note.id, before, before)

    def _edit_note(self, note_id: str, before: dict[str, Any], shown: dict[str, Any]) -> None:
        """The edit form over ``shown``; what it changes is written only if the note is
        still as ``before`` on disk. Changed on another screen meanwhile, both texts are
        said and the form opens again on the person's own version, over the note as it
        now is: saving it then replaces the other, Escape keeps it."""
        fields = [
            Field("text", t("word.text"), required=True),
            *self._note_fields(kind_required=True),
            Field("das", t("word.das")),
        ]

        def edited(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            changed = {k: v for k, v in values.items() if v != before[k]}
            if not changed:
                return
            expected = {k: before[k] for k in changed}

            def write(store: CohortStore) -> None:
                try:
                    actions.edit_note(
                        store, note_id, now=self.facilitator.now(), expected=expected, **changed
                    )
                except actions.NoteChanged as conflict:
                    now_is = actions.note_values(conflict.current)
                    self.app.call_from_thread(self._edit_note, note_id, now_is, values)
                    raise

            self.facilitator.save(write, t("session.note.edited"))

        self.app.push_screen(FormScreen(t("word.edit_note"), fields, shown), edited)

    def action_delete_note(self) -> None:
        note = self._selected_note()
        if note is None:
            return
        self.deleted.append(note)
        self.facilitator.save(
            lambda store: actions.delete_note(store, note.id, now=self.facilitator.now()),
            t("session.note.deleted"),
        )

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify(t("session.note.nothing_to_undo"), timeout=2)
            return
        note = self.deleted.pop()
        self.facilitator.save(
            lambda store: actions.restore_note(store, note, now=self.facilitator.now()),
            t("session.note.restored"),
        )
