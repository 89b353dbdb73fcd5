"""The live clock of a session: a pure function of its recorded presses and ``now``.

A run is an append-only log of ``ClockEvent`` (start, pause, next...). Nothing is
written per tick: any process (the live screen, the projector view, a restarted
app) replays the same log and gets the same state, which is why the replay must
never depend on anything but the events, the agenda and the ``now`` passed in.

Replaying the log:

- events are sorted by time (a stable sort: presses recorded at the same instant
  keep their order), and events later than ``now`` are not applied yet;
- an event that makes no sense at that point (pause while paused, next after the
  end, a jump to an item that no longer exists...) is ignored and listed in
  ``ClockState.ignored`` rather than raising: two terminals may press at once, and
  a session in front of a group must never crash on a log. ``make_event`` applies
  the very same rules beforehand, so the screen can refuse the key with a reason;
- ``next`` or ``skip`` on the last item finishes the session; a finished session
  ignores everything after;
- ``extend`` adds minutes to the current item (negative minutes take back an
  extension, never below zero minutes in all);
- moving (next, previous, skip, jump) is allowed while paused and stays paused.

Durations are seconds (float); instants are ``arrow.Arrow``. Clock times of the
agenda (fixed times, end of day) are read in the time zone of the ``Arrow`` given
(``planned_start`` for the state, ``now`` for a re-plan): pass them in the
session's local zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import arrow

from facilitator.agenda import item_title, minute_of_day, plan, squeeze
from facilitator.domain import AgendaItem, ClockEvent, InvalidInput
from facilitator.i18n import t


class Action(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"
    PREVIOUS = "previous"
    EXTEND = "extend"
    SKIP = "skip"
    JUMP = "jump"


class Status(StrEnum):
    NOT_STARTED = "not-started"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"

    def label(self, lang: str | None = None) -> str:
        return t(f"agenda.status.{self.value}", lang)


@dataclass(frozen=True)
class ItemRun:
    """What happened to one agenda item during the run.

    ``started`` is when it first became the current item, ``ended`` when it was
    last left (``None`` while it is current or before it is reached). ``elapsed``
    counts only running time, summed over every visit.
    """

    index: int
    planned_minutes: int
    extension_minutes: int = 0
    elapsed: float = 0.0
    started: arrow.Arrow | None = None
    ended: arrow.Arrow | None = None
    skipped: bool = False

    @property
    def budget(self) -> float:
        """Seconds allowed: the planned minutes plus the extensions."""
        return (self.planned_minutes + self.extension_minutes) * 60.0

    @property
    def done(self) -> bool:
        return self.ended is not None


@dataclass(frozen=True)
class ClockState:
    """The clock at ``now``.

    ``behind`` is the projected end minus the planned end, in seconds: positive
    when the session will finish late, negative when ahead. The planned end is
    the plan laid from ``planned_start`` (fixed times held), or, without one, the
    actual start plus the agenda's minutes; before both, it is unknown and
    ``behind`` is 0. The projected end is ``now`` plus what is left of the current
    item plus the budgets of the items after it (what is left of them, skipped
    ones excepted), an item with a fixed time not starting before that time.
    Extensions count as lateness: extending is choosing to end later.
    """

    status: Status
    current: int | None  # the item on screen; 0 before the start, None once finished
    elapsed: float  # in the current item, pauses excluded
    remaining: float  # of the current item's budget, 0 once it is used up
    overtime: float  # past the current item's budget, 0 until then
    total_elapsed: float  # since the start, pauses excluded
    paused: float  # total time spent paused
    started_at: arrow.Arrow | None
    finished_at: arrow.Arrow | None
    projected_end: arrow.Arrow
    planned_end: arrow.Arrow | None
    behind: float
    runs: tuple[ItemRun, ...]
    ignored: tuple[ClockEvent, ...] = field(default=())


# --- the rules shared by the replay and by make_event ------------------------

_ACTIONS = frozenset(a.value for a in Action)
# The presses that record an item: the one to go to (jump), or the one they end, so
# that two screens pressing « next » together end one item, not two.
_NAMING_AN_ITEM = frozenset({Action.JUMP, Action.NEXT, Action.SKIP, Action.PREVIOUS})


def _refusal(
    status: Status,
    current: int | None,
    runs: Sequence[ItemRun],
    action: str,
    minutes: int,
    item: int | None,
) -> InvalidInput | None:
    """Why ``action`` cannot happen now, as bad input with its catalogue key; else None."""
    count = len(runs)
    if action not in _ACTIONS:
        return InvalidInput("agenda.clock.error.unknown_action", "action", value=action)
    if status is Status.FINISHED:
        return InvalidInput("agenda.clock.error.finished", "action")
    if status is Status.NOT_STARTED:
        if action != Action.START:
            return InvalidInput("agenda.clock.error.not_started", "action")
        if count == 0:
            return InvalidInput("agenda.clock.error.no_items", "action")
        return None
    assert current is not None  # running or paused always has a current item
    match action:
        case Action.NEXT | Action.SKIP | Action.PREVIOUS if item is not None and item != current:
            # The press names the item it ends: pressed for one another screen has
            # already left, it is a second press for the same moment, not a new one.
            return InvalidInput("agenda.clock.error.moved_on", "action", value=item + 1)
        case Action.START:
            return InvalidInput("agenda.clock.error.already_started", "action")
        case Action.PAUSE if status is Status.PAUSED:
            return InvalidInput("agenda.clock.error.not_running", "action")
        case Action.RESUME if status is Status.RUNNING:
            return InvalidInput("agenda.clock.error.not_paused", "action")
        case Action.PREVIOUS if current == 0:
            return InvalidInput("agenda.clock.error.at_first", "action")
        case Action.JUMP if item is None or not 0 <= item < count:
            shown = "?" if item is None else item + 1
            return InvalidInput("agenda.clock.error.bad_item", "item", value=shown, count=count)
        case Action.JUMP if item == current:
            return InvalidInput("agenda.clock.error.same_item", "item")
        case Action.EXTEND if minutes == 0:
            return InvalidInput("agenda.clock.error.zero_extension", "minutes")
        case Action.EXTEND if runs[current].budget + minutes * 60 < 0:
            budget = runs[current].planned_minutes + runs[current].extension_minutes
            return InvalidInput(
                "agenda.clock.error.shorten_too_much", "minutes", value=-minutes, budget=budget
            )
    return None


# --- replay ---------------------------------------------------------------------


@dataclass
class _Replay:
    """The mutable state while the log is replayed; only ``clock_state`` sees it."""

    runs: list[ItemRun]
    status: Status = Status.NOT_STARTED
    current: int | None = None
    last: arrow.Arrow | None = None
    running: dt.timedelta = dt.timedelta()
    paused: dt.timedelta = dt.timedelta()
    elapsed: list[dt.timedelta] = field(default_factory=list)
    started_at: arrow.Arrow | None = None
    finished_at: arrow.Arrow | None = None

    def advance(self, to: arrow.Arrow) -> None:
        """Let time pass until ``to``; exact timedeltas so the sums add up to the wall time."""
        if self.last is not None:
            spent = to.datetime - self.last.datetime
            if self.status is Status.RUNNING and self.current is not None:
                self.running += spent
                self.elapsed[self.current] += spent
            elif self.status is Status.PAUSED:
                self.paused += spent
        self.last = to

    def apply(self, event: ClockEvent) -> None:
        at = event.at
        match event.action:
            case Action.START:
                self.status, self.started_at = Status.RUNNING, at
                self.enter(0, at)
            case Action.PAUSE:
                self.status = Status.PAUSED
            case Action.RESUME:
                self.status = Status.RUNNING
            case Action.NEXT | Action.SKIP:
                current = self._current()
                if event.action == Action.SKIP:
                    self.runs[current] = dataclasses.replace(self.runs[current], skipped=True)
                self.leave(at)
                if current + 1 < len(self.runs):
                    self.enter(current + 1, at)
                else:
                    self.status, self.current, self.finished_at = Status.FINISHED, None, at
            case Action.PREVIOUS:
                current = self._current()
                self.leave(at)
                self.enter(current - 1, at)
            case Action.JUMP:
                assert event.item is not None
                self.leave(at)
                self.enter(event.item, at)
            case Action.EXTEND:
                run = self.runs[self._current()]
                self.runs[run.index] = dataclasses.replace(
                    run, extension_minutes=run.extension_minutes + event.minutes
                )

    def _current(self) -> int:
        assert self.current is not None
        return self.current

    def enter(self, index: int, at: arrow.Arrow) -> None:
        """Going back to a skipped item means doing it after all: it is no longer skipped."""
        run = self.runs[index]
        self.runs[index] = dataclasses.replace(
            run, started=run.started or at, ended=None, skipped=False
        )
        self.current = index

    def leave(self, at: arrow.Arrow) -> None:
        index = self._current()
        self.runs[index] = dataclasses.replace(self.runs[index], ended=at)


def clock_state(
    items: Sequence[AgendaItem],
    events: Sequence[ClockEvent],
    now: arrow.Arrow,
    *,
    planned_start: arrow.Arrow | None = None,
) -> ClockState:
    """The clock at ``now`` from the agenda and the run's events (see the module doc)."""
    replay = _Replay(runs=[ItemRun(i, item.minutes) for i, item in enumerate(items)])
    replay.elapsed = [dt.timedelta() for _ in items]
    ignored: list[ClockEvent] = []
    for event in sorted((e for e in events if e.at <= now), key=lambda e: e.at):
        replay.advance(event.at)
        if _refusal(
            replay.status, replay.current, replay.runs, event.action, event.minutes, event.item
        ):
            ignored.append(event)
        else:
            replay.apply(event)
    if replay.status is not Status.FINISHED:
        replay.advance(now)

    runs = tuple(
        dataclasses.replace(run, elapsed=spent.total_seconds())
        for run, spent in zip(replay.runs, replay.elapsed, strict=True)
    )
    current = replay.current
    if replay.status is Status.NOT_STARTED and runs:
        current = 0
    elapsed = remaining = overtime = 0.0
    if current is not None:
        elapsed = runs[current].elapsed
        remaining = max(0.0, runs[current].budget - elapsed)
        overtime = max(0.0, elapsed - runs[current].budget)

    projected = _projected_end(items, runs, replay, current, remaining, now, planned_start)
    planned = _planned_end(items, replay.started_at, planned_start)
    return ClockState(
        status=replay.status,
        current=current,
        elapsed=elapsed,
        remaining=remaining,
        overtime=overtime,
        total_elapsed=replay.running.total_seconds(),
        paused=replay.paused.total_seconds(),
        started_at=replay.started_at,
        finished_at=replay.finished_at,
        projected_end=projected,
        planned_end=planned,
        behind=(projected.datetime - planned.datetime).total_seconds() if planned else 0.0,
        runs=runs,
        ignored=tuple(ignored),
    )


def at_clock_time(reference: arrow.Arrow, time: dt.time) -> arrow.Arrow:
    """``time`` on ``reference``'s day, in ``reference``'s time zone."""
    return reference.replace(hour=time.hour, minute=time.minute, second=0, microsecond=0)


def _projected_end(
    items: Sequence[AgendaItem],
    runs: Sequence[ItemRun],
    replay: _Replay,
    current: int | None,
    remaining: float,
    now: arrow.Arrow,
    planned_start: arrow.Arrow | None,
) -> arrow.Arrow:
    if replay.finished_at is not None:
        return replay.finished_at
    if replay.status is Status.NOT_STARTED:
        cursor = max(now, planned_start) if planned_start else now
        after = range(len(items))
    else:
        assert current is not None
        cursor = now.shift(seconds=remaining)
        after = range(current + 1, len(items))
    for i in after:
        if runs[i].skipped:
            continue
        fixed = items[i].fixed_time
        if planned_start is not None and fixed is not None:
            cursor = max(cursor, at_clock_time(planned_start, fixed))
        cursor = cursor.shift(seconds=max(0.0, runs[i].budget - runs[i].elapsed))
    return cursor


def _planned_end(
    items: Sequence[AgendaItem],
    started_at: arrow.Arrow | None,
    planned_start: arrow.Arrow | None,
) -> arrow.Arrow | None:
    if planned_start is not None:
        start = planned_start.replace(second=0, microsecond=0)
        laid = plan(items, start.time())
        end_minute = laid[-1].end_minute if laid else minute_of_day(start.time())
        return start.shift(minutes=end_minute - minute_of_day(start.time()))
    if started_at is not None:
        return started_at.shift(minutes=sum(item.minutes for item in items))
    return None


# --- what the screen may do next ------------------------------------------------


def allowed_actions(state: ClockState) -> frozenset[Action]:
    """The actions that would be accepted now, so the screen can disable the others.

    ``extend`` is offered for any positive number of minutes and ``jump`` when
    there is another item to go to.
    """
    probes: dict[Action, list[tuple[int, int | None]]] = {
        Action.EXTEND: [(1, None)],
        Action.JUMP: [(0, i) for i in range(len(state.runs))],
    }
    allowed = {
        action
        for action in Action
        if any(
            _refusal(state.status, state.current, state.runs, action, minutes, item) is None
            for minutes, item in probes.get(action, [(0, None)])
        )
    }
    return frozenset(allowed)


def make_event(
    state: ClockState,
    session_id: str,
    action: str,
    at: arrow.Arrow,
    *,
    minutes: int = 0,
    item: int | None = None,
) -> ClockEvent:
    """The event to record for a press, or ``InvalidInput`` saying why it cannot happen.

    ``state`` must be the clock at ``at``; the check is the one the replay applies,
    so an event made here is never ignored later (unless another terminal's press
    lands first).
    """
    refusal = _refusal(state.status, state.current, state.runs, action, minutes, item)
    if refusal is not None:
        raise refusal
    return ClockEvent(
        session_id=session_id,
        action=Action(action).value,
        at=at.to("utc"),
        minutes=minutes if action == Action.EXTEND else 0,
        item=item if action in _NAMING_AN_ITEM else None,
    )


# --- re-planning ----------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    """Minutes that cannot fit before a fixed time (``index`` of that item) or the end."""

    key: str
    minutes: int
    time: dt.time
    index: int | None = None

    def message(
        self,
        items: Sequence[AgendaItem],
        structure_names: Mapping[str, str] | None = None,
        lang: str | None = None,
    ) -> str:
        title = (
            item_title(items[self.index], structure_names, lang) if self.index is not None else ""
        )
        shown = self.time.strftime("%H:%M")
        return t(self.key, lang, minutes=self.minutes, time=shown, title=title)


@dataclass(frozen=True)
class Replan:
    """A proposal, not a change: the screen shows it and the facilitator accepts it or not.

    ``items`` is the whole agenda with the proposed minutes; only the items in
    ``remaining`` (those still to come, skipped ones excepted) may differ.
    ``gained`` is the minutes taken off them. ``fits`` is false when even at their
    minimums they do not fit, and ``shortfalls`` then says where and by how much.
    """

    fits: bool
    items: tuple[AgendaItem, ...]
    remaining: tuple[int, ...]
    gained: int
    shortfalls: tuple[Shortfall, ...] = ()

    @property
    def minutes(self) -> tuple[int, ...]:
        """The proposed minutes of the remaining items, in order."""
        return tuple(self.items[i].minutes for i in self.remaining)


def replan(
    items: Sequence[AgendaItem],
    state: ClockState,
    now: arrow.Arrow,
    *,
    end: dt.time | None = None,
) -> Replan:
    """New minutes for the items still to come so that fixed times and the end hold.

    The items to come are cut into stretches, each ending at the next fixed time
    (or at ``end``); a fixed item starts its stretch at its own time. The first
    stretch starts when the current item would end (``now`` if it already overruns).
    Each stretch that does not fit is squeezed (``agenda.squeeze``: in proportion,
    never below the minimums, a round table's remaining slots in equal shares).
    Without ``end`` the last stretch is open and keeps its minutes. Clock times are
    read in ``now``'s time zone.
    """
    if state.status is Status.FINISHED:
        return Replan(fits=True, items=tuple(items), remaining=(), gained=0)
    if state.status is Status.NOT_STARTED or state.current is None:
        cursor, first = now, 0
    else:
        cursor, first = now.shift(seconds=state.remaining), state.current + 1
    remaining = [i for i in range(first, len(items)) if not state.runs[i].skipped]

    stretches: list[tuple[arrow.Arrow, list[int], int | None]] = [(cursor, [], None)]
    for i in remaining:
        fixed = items[i].fixed_time
        if fixed is None:
            stretches[-1][1].append(i)
            continue
        start, members, _ = stretches[-1]
        stretches[-1] = (start, members, i)
        stretches.append((at_clock_time(now, fixed), [i], None))

    new = list(items)
    shortfalls: list[Shortfall] = []
    for start, members, until in stretches:
        limit = items[until].fixed_time if until is not None else end
        if limit is None:
            continue
        available = int((at_clock_time(now, limit).datetime - start.datetime).total_seconds() // 60)
        minutes, missing = squeeze([items[i] for i in members], available)
        for i, m in zip(members, minutes, strict=True):
            new[i] = dataclasses.replace(items[i], minutes=m)
        if missing > 0:
            # A time already behind is said to be: « 1367 min missing » would say nothing.
            passed = "passed" if at_clock_time(now, limit) < now else "missing"
            where = "before" if until is not None else "end"
            shortfalls.append(Shortfall(f"agenda.replan.{passed}_{where}", missing, limit, until))
    finish = _finish(new, stretches, now)
    if finish.date() > now.date():
        shortfalls.append(Shortfall("agenda.replan.past_midnight", 0, finish.time()))

    gained = sum(items[i].minutes - new[i].minutes for i in remaining)
    return Replan(
        fits=not shortfalls,
        items=tuple(new),
        remaining=tuple(remaining),
        gained=gained,
        shortfalls=tuple(shortfalls),
    )


def _finish(
    items: Sequence[AgendaItem],
    stretches: Sequence[tuple[arrow.Arrow, list[int], int | None]],
    now: arrow.Arrow,
) -> arrow.Arrow:
    """When the proposed agenda would end: each stretch from its start (a fixed time
    waits for the items before it), its items at their proposed minutes."""
    end = now
    for start, members, _ in stretches:
        end = max(end, start).shift(minutes=sum(items[i].minutes for i in members))
    return end


def clock_label(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``) for a duration, rounded down to the second."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
