"""A session as it runs, read from one ``CohortView`` at a given ``now``.

Every screen that follows a session (the live screen, the projector view in
another terminal) needs the same three things: the agenda the clock runs on,
the clock at ``now`` and which session to follow. Computing them here, from
the view and ``now`` alone, is what lets two processes agree to the second
without talking to each other: they replay the same recorded presses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow

from facilitator.clock import ClockState, Status, clock_state
from facilitator.domain import ClockEvent, Session
from facilitator.programme import SessionPlan, session_plan
from facilitator.view import CohortView


def planned_start(session: Session, plan: SessionPlan, now: arrow.Arrow) -> arrow.Arrow | None:
    """When the session was planned to start, if it is run on its planned day.

    Run on another day (postponed, or rehearsed), ahead or behind is measured
    against its own start instead of a date that no longer means anything.
    """
    if session.date is None or session.date != now.date():
        return None
    return now.replace(hour=plan.start.hour, minute=plan.start.minute, second=0, microsecond=0)


def session_events(view: CohortView, session_id: str) -> list[ClockEvent]:
    return [e for e in view.clock if e.session_id == session_id]


@dataclass(frozen=True)
class LiveSession:
    """One session's agenda and clock at one instant, in the cohort's time zone."""

    session: Session
    plan: SessionPlan
    state: ClockState
    now: arrow.Arrow  # in the cohort's time zone

    @property
    def next_index(self) -> int | None:
        """The item that comes after the current one, skipped items passed over."""
        state = self.state
        if state.current is None or state.status is Status.FINISHED:
            return None
        return next(
            (i for i in range(state.current + 1, len(state.runs)) if not state.runs[i].skipped),
            None,
        )

    @property
    def progress(self) -> float:
        """How far through the agenda, 0 to 1: items behind plus the share of the current one."""
        state, count = self.state, len(self.state.runs)
        if state.status is Status.FINISHED:
            return 1.0
        if count == 0 or state.current is None or state.status is Status.NOT_STARTED:
            return 0.0
        run = state.runs[state.current]
        share = min(1.0, run.elapsed / run.budget) if run.budget > 0 else 1.0
        return (state.current + share) / count


def live_session(view: CohortView, session: Session, now: arrow.Arrow) -> LiveSession:
    """The clock of ``session`` at ``now``: the computation the live screen shows."""
    plan = session_plan(session, view.structures)
    local = now.to(view.cohort.timezone)
    state = clock_state(
        plan.items,
        session_events(view, session.id),
        local,
        planned_start=planned_start(session, plan, local),
    )
    return LiveSession(session=session, plan=plan, state=state, now=local)


def running_session(view: CohortView, now: arrow.Arrow) -> Session | None:
    """The session whose clock is running, else one whose clock is paused, the most
    recently pressed first.

    A projector started with no session named follows what the facilitator is
    running: a bilan paused a minute ago does not hide the S2 whose clock runs,
    and a finished session is no longer a reason to follow it.
    """
    latest: dict[str, arrow.Arrow] = {}
    for event in view.clock:
        seen = latest.get(event.session_id)
        if event.at <= now and (seen is None or event.at > seen):
            latest[event.session_id] = event.at
    paused: Session | None = None
    for session_id in sorted(latest, key=lambda s: latest[s], reverse=True):
        session = view.session(session_id)
        if session is None:
            continue
        status = live_session(view, session, now).state.status
        if status is Status.RUNNING:
            return session
        if status is Status.PAUSED and paused is None:
            paused = session
    return paused


def sessions_on(view: CohortView, day: dt.date, structure_id: str | None = None) -> list[Session]:
    """The sessions held on ``day``; with a structure, its own and the collective ones first."""
    held = [s for s in view.sessions if s.date == day]
    if structure_id is not None:
        own = [s for s in held if s.structure_id in (None, structure_id)]
        held = own or held
    return held
