"""The projector view: what the group sees of a live session, from a second terminal.

The current item's title, a big countdown, the next item and how far the
session is. It only reads: ``facilitator project`` opens the cohort read-only in
its own small App (``ProjectorApp``), polls the store every second and replays
the session's recorded presses with ``now``, as the live screen does
(``facilitator.live``), so it follows the facilitator's clock within a second
without any link between the two processes. ``ProjectorScreen`` also works
pushed over the live screen of ``FacilitatorApp``: it needs only an app with a
``view`` and a ``now``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, cast

import arrow
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from facilitator.agenda import item_title
from facilitator.clock import Status, clock_label
from facilitator.domain import Session, label
from facilitator.i18n import lazy, t
from facilitator.live import LiveSession, live_session, running_session
from facilitator.programme import format_day
from facilitator.store import CohortStore, StoreError
from facilitator.view import CohortView
from screens.base import Speaking, key_label
from screens.help import HelpScreen, SizeGuard
from screens.widgets.big_clock import BigClock, ProgressLine
from screens.widgets.clock_panel import urgency

POLL_SECONDS = 1.0
TALL = 36  # rows from which the lines stand further apart
OTHER_ROWS_SHORT, OTHER_ROWS_TALL = 11, 15  # the rows of all but the digits, and margins
# Title, digits, caption, next and progress fit in 40×12; below that, say so.
# A tick lands just after the second shown changes, so no second is skipped or shown twice.
TICK_MARGIN = 0.02


# --- what is shown: a pure function of the view and now --------------------------------


@dataclass(frozen=True)
class Projection:
    """Every text of the projector view at one instant; ``level`` is the clock's colour."""

    context: str  # the session
    title: str
    digits: str = ""
    caption: str = ""
    level: str = ""
    next: str = ""
    position: int = 0
    count: int = 0
    share: float = 0.0
    change_in: float = 1.0  # seconds until the digits change, when the clock runs
    cohort: str = ""


def session_line(view: CohortView, session: Session) -> str:
    structure = view.structure(session.structure_id)
    return f"{label(session.kind)} — {structure.name}" if structure else label(session.kind)


def project(view: CohortView, session_id: str, now: arrow.Arrow) -> Projection:
    """The projector's texts for ``session_id`` at ``now`` (the same clock as the live screen)."""
    session = view.session(session_id)
    if session is None:
        return Projection(context="", title=t("projector.missing"), cohort=view.cohort.name)
    live = live_session(view, session, now)
    items, state = live.plan.items, live.state
    context, cohort = session_line(view, session), view.cohort.name
    if not items:
        return Projection(context=context, title=t("projector.empty"), cohort=cohort)
    names = view.structure_names()
    count = len(items)
    if state.status is Status.FINISHED:
        ended = state.finished_at.to(live.now.tzinfo) if state.finished_at else live.now
        return Projection(
            context=context,
            cohort=cohort,
            title=t("projector.finished.title"),
            caption=t("projector.finished.caption", time=ended.format("HH:mm")),
            level="finished",
            position=count,
            count=count,
            share=1.0,
        )
    current = state.current if state.current is not None else 0
    shown = Projection(
        context=context,
        cohort=cohort,
        title=item_title(items[current], names),
        next=_next_line(live, names),
        position=current + 1,
        count=count,
        share=live.progress,
    )
    if state.status is Status.NOT_STARTED:
        return _waiting(shown, live)
    budget = state.runs[current].budget
    minutes = round(budget / 60)
    if state.overtime > 0:
        digits = f"+{clock_label(state.overtime)}"
        caption = t("projector.overtime", minutes=minutes)
        change_in = 1.0 - state.overtime % 1.0
    else:
        digits = clock_label(state.remaining)
        caption = t("session.clock.left", minutes=minutes)
        change_in = state.remaining % 1.0 or 1.0
    level = urgency(state, budget)
    if state.status is Status.PAUSED:
        level, caption, change_in = "paused", t("projector.paused"), 1.0
    return replace(shown, digits=digits, caption=caption, level=level, change_in=change_in)


def _waiting(shown: Projection, live: LiveSession) -> Projection:
    """Before the start: the planned start time, said as such so nobody reads a countdown."""
    time = live.plan.start.strftime("%H:%M")
    day = live.session.date
    if day is None or day == live.now.date():
        caption = t("projector.starts_at", time=time)
    else:
        caption = t("projector.starts_on", day=format_day(day), time=time)
    return replace(shown, digits=time, caption=caption, level="waiting", share=0.0)


def _next_line(live: LiveSession, names: dict[str, str]) -> str:
    index = live.next_index
    if index is None:
        return t("projector.last")
    item = live.plan.items[index]
    minutes = round(live.state.runs[index].budget / 60)
    return t("projector.next", title=item_title(item, names), minutes=minutes)


# --- the screen --------------------------------------------------------------------------


class Follows(Protocol):
    """What the screen needs from its app: the newest view and the time."""

    view: CohortView | None
    now: Callable[[], arrow.Arrow]


class ProjectorScreen(Speaking[None], inherit_bindings=False):
    """One session, big and centred; every line has a fixed height.

    Nothing on it to focus, select or copy, so Screen's own keys (tab, ctrl+c)
    are not inherited: only quit, help and, pushed over another screen, back.

    Only the lines whose text changed are repainted, without layout, so a
    running countdown costs the digits' few cells a second over SSH.
    """

    BINDINGS = [Binding("escape", "leave", lazy("projector.key.leave"))]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]

    def __init__(self, session_id: str, *, follow: bool = False) -> None:
        super().__init__()
        self.session_id = session_id
        self.follow = follow  # no session named: go to whichever clock is running
        self.shown: Projection | None = None
        self._texts: dict[str, str] = {}
        self._timer: Timer | None = None

    @property
    def follows(self) -> Follows:
        return cast(Follows, self.app)

    def compose(self) -> ComposeResult:
        # Titles are the facilitator's own words: a "[" in them is text, not markup.
        with Vertical(id="stage"):
            yield Static(t("projector.loading"), id="context", markup=False)
            yield Static("", id="item-title", markup=False)
            yield BigClock(id="big-clock")
            yield Static("", id="next", markup=False)
            yield ProgressLine(id="progress")
        yield Static(t("projector.hint"), id="hint")

    def on_mount(self) -> None:
        self.watch(self.app, "view", self._view_changed)

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _view_changed(self, view: CohortView | None) -> None:
        # A clock that starts elsewhere comes with a new view: follow it here, not per tick.
        if self.follow and view is not None:
            running = running_session(view, self.follows.now())
            self.session_id = running.id if running is not None else self.session_id
        self.tick()

    def tick(self) -> None:
        """Recompute from the events and ``now``; then wait until the digits next change."""
        if self._timer is not None:
            self._timer.stop()
        view = self.follows.view
        delay = POLL_SECONDS
        if view is not None:
            shown = project(view, self.session_id, self.follows.now())
            self.show(shown)
            delay = shown.change_in + TICK_MARGIN
        self._timer = self.set_timer(min(max(delay, TICK_MARGIN), 1.0 + TICK_MARGIN), self.tick)

    def show(self, shown: Projection) -> None:
        self.shown = shown
        self._set("context", self._context_text(shown))
        self._set("item-title", shown.title)
        self.query_one(BigClock).show(shown.digits, shown.caption, shown.level)
        self._set("next", shown.next)
        self.query_one(ProgressLine).show(shown.position, shown.count, shown.share)

    def _context_text(self, shown: Projection) -> str:
        """The cohort's name before the session's when the line has room for both."""
        both = " · ".join(p for p in (shown.cohort, shown.context) if p)
        return both if len(both) <= self.size.width - 4 else shown.context or shown.cohort

    def on_resize(self) -> None:
        width, height = self.size
        # Every row but the digits': the lines and their margins (projector.tcss), one spare.
        others = (OTHER_ROWS_TALL if height >= TALL else OTHER_ROWS_SHORT) + 1
        self.query_one(BigClock).fit(width * 85 // 100, height - others)
        if self.shown is not None:
            self.show(self.shown)

    def _set(self, line_id: str, text: str) -> None:
        if self._texts.get(line_id) != text:
            self._texts[line_id] = text
            self.query_one(f"#{line_id}", Static).update(text, layout=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape goes back only when there is somewhere to go (pushed over the live screen)."""
        if action == "leave":
            return self.app.screen_stack[0] is not self
        return True

    def action_leave(self) -> None:
        if self.app.screen_stack[0] is not self:
            self.app.pop_screen()


class ProjectorHelp(HelpScreen):
    """The keys of the projector, with its own last line (there is no command palette)."""

    FOOTER = lazy("projector.help.footer")


# --- the app -------------------------------------------------------------------------------


class ProjectorApp(SizeGuard, App[None]):
    """A read-only window on one session: it never writes, so it can run beside the live screen."""

    MIN_SIZE = (40, 12)

    CSS_PATH = ["app.tcss", "projector.tcss"]
    TITLE = "facilitator"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q,q", "quit", lazy("key.quit"), priority=True),
        Binding("f1", "help", lazy("key.help")),
    ]

    view: var[CohortView | None] = var(None, init=False)

    def __init__(
        self,
        path: Path,
        session_id: str,
        *,
        now: Callable[[], arrow.Arrow] = arrow.utcnow,
        poll: bool = True,
        follow: bool = False,
    ) -> None:
        super().__init__()
        self.store = CohortStore(path, read_only=True)
        self.session_id = session_id
        self.follow = follow
        self.now = now
        self._poll = poll
        self._reported: str | None = None

    def get_default_screen(self) -> Screen[None]:
        return ProjectorScreen(self.session_id, follow=self.follow)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.poll_store()
        if self._poll:
            self.set_interval(POLL_SECONDS, self.poll_store)
        self.check_size(self.size.width, self.size.height)

    @work(thread=True, exclusive=True, group="poll")
    def poll_store(self) -> None:
        """Take in the facilitator's presses; the view is rebuilt only when the file changed."""
        try:
            view = CohortView.newer(self.store, self.view)
        except StoreError as error:
            self.call_from_thread(self._report, error.message)
            return
        if view is not None:
            self.call_from_thread(self._set_view, view)

    def _set_view(self, view: CohortView) -> None:
        self._reported = None
        self.view = view

    def _report(self, message: str) -> None:
        """Say a read problem once, not every second; the last good view stays on screen."""
        if message != self._reported:
            self._reported = message
            self.notify(message, severity="error", timeout=10)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(ProjectorHelp(self.screen))

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, in the person's language."""
        self.notify(t("key.quit_hint", key=key_label("ctrl+q,q")))


def run(path: Path, session_id: str, *, follow: bool = False) -> int:
    """The projector on ``session_id``; with ``follow``, on whichever session's clock
    runs from then on (the command line names no session)."""
    ProjectorApp(path, session_id, follow=follow).run()
    return 0
