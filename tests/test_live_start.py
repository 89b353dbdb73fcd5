"""Starting a session's clock before its day asks first, and a clock can be reset."""

from __future__ import annotations

import datetime as dt

from facilitator import actions
from facilitator.capture import parse_capture
from facilitator.domain import ClockEvent, Note, Session, SessionKind
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from screens.dialogs.confirm import ConfirmScreen
from screens.session import SessionScreen
from tests.conftest import FIXED_NOW, make_app


def a_session(workspace: Workspace, day: dt.date) -> tuple[CohortStore, Session]:
    store = actions.create_cohort(workspace, now=FIXED_NOW, name="Cohorte Drôme 2027")
    actions.add_structure(store, now=FIXED_NOW, name="Les Jardins du Lien")
    session = actions.add_session(store, now=FIXED_NOW, kind=SessionKind.STATE_OF_PLAY, date=day)
    return store, session


def presses(store: CohortStore, session: Session) -> list[ClockEvent]:
    fresh = CohortStore(store.path)
    return [e for e in fresh.records(ClockEvent) if e.session_id == session.id]


async def test_a_clock_started_before_the_sessions_day_is_asked_about(
    workspace: Workspace,
) -> None:
    store, session = a_session(workspace, FIXED_NOW.date() + dt.timedelta(days=90))
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.open_session(session.id)
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing recorded
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, SessionScreen)
        assert presses(store, session) == []
        await pilot.press("space", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [e.action for e in presses(store, session)] == ["start"]


async def test_on_its_day_the_clock_starts_at_once(workspace: Workspace) -> None:
    store, session = a_session(workspace, FIXED_NOW.to("Europe/Paris").date())
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.open_session(session.id)
        await pilot.pause()
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert [e.action for e in presses(store, session)] == ["start"]


async def test_z_resets_the_clock_and_keeps_the_notes(workspace: Workspace) -> None:
    store, session = a_session(workspace, FIXED_NOW.to("Europe/Paris").date())
    actions.press_clock(store, session.id, "start", now=FIXED_NOW)
    actions.press_clock(store, session.id, "next", now=FIXED_NOW.shift(minutes=5))
    note = actions.capture_note(
        store, parse_capture("un constat", []), now=FIXED_NOW, session_id=session.id
    )
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.open_session(session.id)
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert presses(store, session) == []
    assert CohortStore(store.path).get(Note, note.id) is not None
    # The agenda can be edited again.
    actions.resize_agenda_item(store, session.id, 0, 25, now=FIXED_NOW)


def test_reset_clock_erases_only_that_sessions_presses(workspace: Workspace) -> None:
    store, session = a_session(workspace, dt.date(2027, 2, 22))
    other = actions.add_session(store, now=FIXED_NOW, kind="intro", date=dt.date(2027, 1, 11))
    actions.press_clock(store, session.id, "start", now=FIXED_NOW)
    actions.press_clock(store, other.id, "start", now=FIXED_NOW)
    assert actions.reset_clock(store, session.id, now=FIXED_NOW) == 1
    assert presses(store, session) == [] and len(presses(store, other)) == 1
