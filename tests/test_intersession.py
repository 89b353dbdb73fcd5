"""Travaux d'intersession given at the end of a session: for one structure or for all
at once, due a week before the next session by default, listed with their state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from textual.widgets import Input, OptionList, Select

from facilitator.domain import PreparatoryTask, SessionKind, TaskStatus
from facilitator.store import Op
from facilitator.view import CohortView
from facilitator.views.intersession import default_due, next_kind, session_of_kind
from facilitator.workspace import Workspace
from screens.dialogs.form import FormScreen
from screens.dialogs.intersession import IntersessionScreen
from tests.test_session import Room, session_of

TITLE = "Chiffrer l'ambition à trois ans avec le bureau"


def new_tasks(room: Room) -> list[PreparatoryTask]:
    """The tasks with the test's title, as a fresh reader of the file sees them."""
    return [t for t in room.disk().records(PreparatoryTask) if t.title == TITLE]


async def open_form(room: Room) -> FormScreen:
    await room.press("t")
    assert isinstance(room.app.screen, IntersessionScreen)
    await room.press("n")
    form = room.app.screen
    assert isinstance(form, FormScreen)
    form.query_one("#field-title", Input).value = TITLE
    return form


def test_the_next_session_and_its_default_due_date(demo_workspace: Workspace) -> None:
    view = CohortView.load(demo_workspace.find(None))
    assert next_kind(SessionKind.INTRO) == SessionKind.STATE_OF_PLAY
    assert next_kind(SessionKind.STATE_OF_PLAY) == SessionKind.EVOLUTION
    assert next_kind(SessionKind.EVOLUTION) == SessionKind.BILAN
    assert next_kind(SessionKind.BILAN) == SessionKind.BILAN
    evolution = session_of(demo_workspace, SessionKind.EVOLUTION)
    assert evolution.date is not None
    assert default_due(view, SessionKind.EVOLUTION, None) == evolution.date - dt.timedelta(days=7)
    bilans = [s for s in view.sessions if s.kind == SessionKind.BILAN]
    latest = max(bilans, key=lambda s: s.date or dt.date.min)
    assert session_of_kind(view, SessionKind.BILAN, latest.structure_id) == latest
    assert session_of_kind(view, SessionKind.BILAN, None) == min(
        bilans, key=lambda s: s.date or dt.date.max
    )


async def test_a_task_for_all_structures_in_one_write(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.STATE_OF_PLAY) as room:
        await open_form(room)
        writes: list[int] = []
        store = room.app.store
        assert store is not None
        apply = store.apply

        def counted(ops: Sequence[Op]) -> None:
            writes.append(len(ops))
            apply(ops)

        store.apply = counted  # type: ignore[method-assign]
        await room.press("enter")  # Enter in the title saves with the defaults
        tasks = new_tasks(room)
        evolution = session_of(demo_workspace, SessionKind.EVOLUTION)
        assert evolution.date is not None
        assert writes == [7]
        assert len(tasks) == 7 and len({t.structure_id for t in tasks}) == 7
        assert {(t.before, t.due, t.status) for t in tasks} == {
            (SessionKind.EVOLUTION, evolution.date - dt.timedelta(days=7), TaskStatus.TODO)
        }
        assert isinstance(room.app.screen, IntersessionScreen)  # back on the list
        listing = room.app.screen.query_one(OptionList)
        ids = {listing.get_option_at_index(i).id for i in range(listing.option_count)}
        assert {t.id for t in tasks} <= ids


async def test_a_task_for_one_structure_with_its_own_date(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.STATE_OF_PLAY) as room:
        form = await open_form(room)
        view = room.app.view
        assert view is not None
        trame = next(s for s in view.structures if s.name == "Ressourcerie La Trame")
        form.query_one("#field-structure", Select).value = trame.id
        form.query_one("#field-due", Input).value = "20/11/2026"
        await room.press("ctrl+s")
        tasks = new_tasks(room)
        assert [(t.structure_id, t.due, t.before) for t in tasks] == [
            (trame.id, dt.date(2026, 11, 20), SessionKind.EVOLUTION)
        ]


async def test_before_the_bilans_each_structure_is_due_before_its_own(
    demo_workspace: Workspace,
) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        form = await open_form(room)
        view = room.app.view
        assert view is not None
        assert form.query_one("#field-before", Select).value == SessionKind.BILAN.value
        first_bilan = session_of_kind(view, SessionKind.BILAN, None)
        assert first_bilan is not None and first_bilan.date is not None
        shown = form.query_one("#field-due", Input).value
        assert shown == (first_bilan.date - dt.timedelta(days=7)).isoformat()
        await room.press("ctrl+s")
        tasks = new_tasks(room)
        assert len(tasks) == 7
        for task in tasks:
            bilan = view.bilan_of(task.structure_id)
            assert bilan is not None and bilan.date is not None
            assert task.due == bilan.date - dt.timedelta(days=7)


async def test_the_due_date_follows_the_session_chosen(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.INTRO) as room:
        form = await open_form(room)
        view = room.app.view
        assert view is not None
        state_of_play = session_of(demo_workspace, SessionKind.STATE_OF_PLAY)
        assert state_of_play.date is not None
        due = form.query_one("#field-due", Input)
        assert due.value == (state_of_play.date - dt.timedelta(days=7)).isoformat()
        form.query_one("#field-before", Select).value = SessionKind.EVOLUTION.value
        await room.settle()
        expected = default_due(view, SessionKind.EVOLUTION, None)
        assert expected is not None and due.value == expected.isoformat()
        await room.press("escape")
        assert new_tasks(room) == []


async def test_the_list_shows_the_next_sessions_tasks_and_moves_them_on(
    demo_workspace: Workspace,
) -> None:
    async with Room(demo_workspace, SessionKind.STATE_OF_PLAY) as room:
        await room.press("t")
        screen = room.app.screen
        assert isinstance(screen, IntersessionScreen)
        before = [
            t for t in room.disk().records(PreparatoryTask) if t.before == SessionKind.EVOLUTION
        ]
        listing = screen.query_one(OptionList)
        shown = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert {t.id for t in before} <= set(shown)
        summary = str(screen.query_one("#intersession-summary").render())
        assert "Travaux prévus : 5" in summary and "structures sans travail : 2" in summary
        selected = screen.selected_task_id
        task = next(t for t in before if t.id == selected)
        await room.press("space")
        after = next(t for t in room.disk().records(PreparatoryTask) if t.id == selected)
        order = [TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.DONE]
        assert after.status == order[(order.index(task.status) + 1) % 3]
