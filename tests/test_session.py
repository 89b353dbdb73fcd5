"""The live session screen: the clock keys, capture, the feed, re-planning, restarts."""

from __future__ import annotations

from typing import Any

import arrow
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from facilitator import actions
from facilitator.clock import Status
from facilitator.domain import (
    ClockEvent,
    Lever,
    Note,
    NoteKind,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import t
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from screens.dialogs.form import FormScreen
from screens.dialogs.replan import ReplanScreen
from screens.session import SessionScreen
from screens.widgets.capture_line import CaptureLine
from screens.widgets.note_feed import NoteFeed
from tests.conftest import FIXED_NOW, make_app

CAPTURES = [
    ("constat: @jardins #rh les bénévoles s'essoufflent", NoteKind.FINDING, Lever.HUMAN),
    ("pb: @escale #finances la CAF stagne", NoteKind.PROBLEM, Lever.FINANCIAL),
    (
        "ambition: @trame #alliances un tiers-lieu avec la commune",
        NoteKind.AMBITION,
        Lever.ALLIANCES,
    ),
    ("frein: @musette #rh plus de bénévoles le samedi", NoteKind.OBSTACLE, Lever.HUMAN),
    (
        "cr: @escale #finances un tarif au quotient familial",
        NoteKind.SUCCESS_CONDITION,
        Lever.FINANCIAL,
    ),
    ("em: @jardins #alliances vous sous-estimez vos partenaires", NoteKind.MIRROR, Lever.ALLIANCES),
    ("pa: @trame #finances vendre en ligne", NoteKind.ACTION, Lever.FINANCIAL),
    ("? @escale #rh qui porte le projet au CA", NoteKind.QUESTION, Lever.HUMAN),
]


def session_of(workspace: Workspace, kind: SessionKind) -> Session:
    store = workspace.find(None)
    return next(s for s in store.records(Session) if s.kind == kind)


class Room:
    """The app open on one session's live screen, with a clock the test moves."""

    def __init__(self, workspace: Workspace, kind: SessionKind = SessionKind.STATE_OF_PLAY) -> None:
        self.workspace = workspace
        self.session = session_of(workspace, kind)
        self.app = make_app(workspace)
        self.now = FIXED_NOW
        self.app.now = lambda: self.now

    async def __aenter__(self) -> Room:
        self._context = self.app.run_test(size=(100, 30))
        self.pilot = await self._context.__aenter__()
        self.app.open_session(self.session.id)
        await self.pilot.pause()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._context.__aexit__(*exc)

    @property
    def screen(self) -> SessionScreen:
        return next(s for s in reversed(self.app.screen_stack) if isinstance(s, SessionScreen))

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await self.settle()

    async def settle(self) -> None:
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()
        self.screen.tick()

    def later(self, **shift: float) -> None:
        self.now = self.now.shift(**shift)
        self.screen.tick()

    def disk(self) -> CohortStore:
        return self.workspace.find(None)

    async def capture(self, line: str) -> None:
        await self.press("c")
        self.screen.query_one(CaptureLine).input.value = line
        await self.press("enter")


async def test_start_pause_next_and_extend(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        assert room.screen.state is not None and room.screen.state.status is Status.NOT_STARTED
        await room.press("space")
        room.later(minutes=4)
        state = room.screen.state
        assert state is not None and state.status is Status.RUNNING and state.elapsed == 240
        await room.press("space")
        room.later(minutes=10)
        assert room.screen.state is not None and room.screen.state.status is Status.PAUSED
        assert room.screen.state.elapsed == 240  # paused time does not count
        await room.press("space", "n")
        assert room.screen.state is not None and room.screen.state.current == 1
        budget = room.screen.state.runs[1].budget
        await room.press("plus")
        assert room.screen.state.runs[1].budget == budget + 5 * 60
        actions = [
            e.action for e in room.disk().records(ClockEvent) if e.session_id == room.session.id
        ]
        assert actions == ["start", "pause", "resume", "next", "extend"]


async def test_the_agenda_the_clock_runs_on_is_kept(demo_workspace: Workspace) -> None:
    # A session created without an agenda runs on its template's, which is then kept.
    session = session_of(demo_workspace, SessionKind.STATE_OF_PLAY)
    demo_workspace.find(None).patch(Session, session.id, {"agenda": [], "start_time": None})
    async with Room(demo_workspace) as room:
        await room.press("space")
        kept = session_of(demo_workspace, SessionKind.STATE_OF_PLAY)
        assert len(kept.agenda) == len(room.screen.plan.items) > 5
        assert kept.start_time is not None


async def test_a_refused_key_says_why(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.press("n")
        assert any(
            "pas commencée" in n.message or "terminée" in n.message for n in room.app._notifications
        )
        assert room.disk().records(ClockEvent) == []


async def test_overtime_counts_past_zero_and_rings_once(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Room(demo_workspace) as room:
        bells: list[int] = []
        monkeypatch.setattr(room.app, "bell", lambda: bells.append(1))
        await room.press("space")
        budget = room.screen.state.runs[0].budget if room.screen.state else 0
        room.later(seconds=budget + 70)
        room.later(seconds=1)
        state = room.screen.state
        assert state is not None and state.remaining == 0 and state.overtime == 71
        assert bells == [1]
        panel_text = str(room.screen.query_one("#clock-time").render())
        assert "+01:11" in panel_text
        assert room.screen.query_one("#clock").has_class("-over")


async def test_replan_proposes_and_applies_on_confirmation(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.press("space")
        room.later(minutes=40)  # the welcome overruns by 25 minutes
        before = list(room.screen.plan.items)
        await room.press("r")
        assert isinstance(room.app.screen, ReplanScreen)
        await room.press("escape")
        assert [i.minutes for i in room.screen.plan.items] == [i.minutes for i in before]
        await room.press("r")
        await room.press("enter")
        after = session_of(demo_workspace, SessionKind.STATE_OF_PLAY).agenda
        assert sum(i.minutes for i in after[1:]) < sum(i.minutes for i in before[1:])
        assert all(i.minutes >= i.min_minutes for i in after[1:])
        assert [i.fixed_time for i in after] == [i.fixed_time for i in before]


@pytest.mark.parametrize("width", [80, 120])
async def test_the_replan_proposal_is_seen_whole(demo_workspace: Workspace, width: int) -> None:
    """Planned and proposed minutes stand side by side inside the dialog at 80 columns;
    the titles give way, clipped."""
    async with Room(demo_workspace) as room:
        await room.pilot.resize_terminal(width, 24)
        await room.press("space")
        room.later(minutes=40)
        await room.press("r")
        table = room.app.screen.query_one("#replan", DataTable)
        frame = room.app.screen.query_one(".frame")
        used = sum(column.get_render_width(table) for column in table.columns.values())
        assert used <= frame.content_region.width
        assert [str(c.label) for c in table.columns.values()][:2] == [
            t("session.replan.col.before"),
            t("session.replan.col.after"),
        ]


def test_snapshot_replan_80x24(snap_compare: Any, demo_workspace: Workspace) -> None:
    session = session_of(demo_workspace, SessionKind.STATE_OF_PLAY)
    app = make_app(demo_workspace)
    clock = {"now": FIXED_NOW}
    app.now = lambda: clock["now"]

    async def overrun_then_replan(pilot: Pilot[None]) -> None:
        app.open_session(session.id)
        await pilot.pause()
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()  # the press is in the view the dialog is drawn from
        clock["now"] = FIXED_NOW.shift(minutes=40)  # the welcome overran by 25 minutes
        live = app.screen
        assert isinstance(live, SessionScreen)
        live.tick()  # drawn at the new time now, not at the next second's timer
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=overrun_then_replan)


@pytest.mark.parametrize("line,kind,lever", CAPTURES, ids=[c[1].value for c in CAPTURES])
async def test_capture_each_kind_with_mention_and_tag(
    demo_workspace: Workspace, line: str, kind: NoteKind, lever: Lever
) -> None:
    async with Room(demo_workspace) as room:
        await room.capture(line)
        assert room.screen.query_one(CaptureLine).input.value == ""
        notes = [n for n in room.disk().records(Note) if n.created == FIXED_NOW]
        assert len(notes) == 1
        note = notes[0]
        assert (note.kind, note.lever, note.session_id) == (kind, lever, room.session.id)
        assert note.structure_id is not None and "#" not in note.text
        newest = room.screen.query_one(NoteFeed).get_option_at_index(0)
        assert newest.id == note.id and note.text in str(newest.prompt)


async def test_a_line_that_cannot_be_read_keeps_its_text(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        count = len(room.disk().records(Note))
        await room.capture("constat: @personne rien")
        line = room.screen.query_one(CaptureLine)
        assert line.input.value == "constat: @personne rien"
        assert "personne" in str(line.query_one("#capture-error").render())
        assert len(room.disk().records(Note)) == count


async def test_typing_after_a_refused_line_replaces_it_and_up_brings_it_back(
    demo_workspace: Workspace,
) -> None:
    """The next note typed after a refused one is not run on after its text: the refused
    line is selected, so typing replaces it, and ↑ brings it back to be corrected."""
    async with Room(demo_workspace) as room:
        await room.capture("frein: @escalle le local ferme")
        line = room.screen.query_one(CaptureLine)
        assert line.input.selected_text == "frein: @escalle le local ferme"
        await room.press(*"ok", "space", *"merci")
        assert line.input.value == "ok merci"
        assert "↑" in str(line.query_one("#capture-error").render())
        await room.press("enter")
        assert [n.text for n in room.disk().records(Note) if n.created == FIXED_NOW] == ["ok merci"]
        await room.press("up")
        assert line.input.value == "frein: @escalle le local ferme"
        assert line.input.cursor_position == len(line.input.value)
        line.input.value = "frein: @escale le local ferme"  # corrected
        await room.press("enter")
        saved = {n.text for n in room.disk().records(Note) if n.created == FIXED_NOW}
        assert saved == {"ok merci", "le local ferme"}
        assert line.draft is None


async def test_tab_puts_the_suggested_name_in_a_refused_line(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.capture("frein: @escalle le local ferme")
        line = room.screen.query_one(CaptureLine)
        assert "Tab" in str(line.query_one("#capture-error").render())
        await room.press("tab")
        assert line.input.value == "frein: @L'Escale le local ferme"
        await room.press("enter")
        escale = next(s for s in room.disk().records(Structure) if "Escale" in s.name)
        [note] = [n for n in room.disk().records(Note) if n.created == FIXED_NOW]
        assert (note.text, note.structure_id, note.kind) == (
            "le local ferme",
            escale.id,
            NoteKind.OBSTACLE,
        )


async def test_a_refused_line_corrected_in_place_is_no_draft(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.capture("frein: @escalle le local ferme")
        line = room.screen.query_one(CaptureLine)
        await room.press("end", "space", *"vite")
        assert line.input.value == "frein: @escalle le local ferme vite"
        assert line.draft is None
        assert "↑" not in str(line.query_one("#capture-error").render())


async def test_edit_delete_and_undo_a_note(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.capture("constat: @jardins #rh première version")
        await room.press("escape")  # back to the feed, newest first
        feed = room.screen.query_one(NoteFeed)
        feed.highlighted = 0
        note_id = feed.selected_id
        await room.press("e")
        from textual.widgets import Input

        room.app.screen.query_one("#field-text", Input).value = "version corrigée"
        await room.press("ctrl+s")
        edited = room.disk().get(Note, note_id or "")
        assert (
            edited is not None and edited.text == "version corrigée" and edited.edited == FIXED_NOW
        )
        assert edited.lever == Lever.HUMAN  # untouched fields stay

        await room.press("d")
        assert room.disk().get(Note, note_id or "") is None
        await room.press("u")
        restored = room.disk().get(Note, note_id or "")
        assert restored is not None and restored.text == "version corrigée"


async def test_an_edit_over_a_note_changed_elsewhere_says_both_and_loses_neither(
    demo_workspace: Workspace,
) -> None:
    """The other consultant corrects the note while this one's form is open: saving does
    not overwrite it unasked. Both texts are said; the form opens again on this one's
    version, and Enter then keeps it."""
    async with Room(demo_workspace) as room:
        await room.capture("constat: @jardins #rh première version")
        await room.press("escape")
        feed = room.screen.query_one(NoteFeed)
        feed.highlighted = 0
        note_id = feed.selected_id or ""
        await room.press("e")
        form = room.app.screen
        assert isinstance(form, FormScreen)
        actions.edit_note(CohortStore(room.disk().path), note_id, now=FIXED_NOW, text="leur texte")
        form.query_one("#field-text", Input).value = "mon texte"
        await room.press("ctrl+s")
        assert room.disk().get(Note, note_id).text == "leur texte"  # type: ignore[union-attr]
        said = [n.message for n in room.app._notifications]
        assert any("leur texte" in m and "mon texte" in m for m in said), said
        again = room.app.screen
        assert isinstance(again, FormScreen) and again is not form
        assert again.query_one("#field-text", Input).value == "mon texte"
        await room.press("ctrl+s")
        assert room.disk().get(Note, note_id).text == "mon texte"  # type: ignore[union-attr]


async def test_the_clock_survives_a_restart(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.press("space")
        room.later(minutes=20)
        await room.press("n")
        room.later(minutes=3)
        before = room.screen.state
    # Another process, later: the same item, and the time that passed since.
    async with Room(demo_workspace) as again:
        again.now = FIXED_NOW.shift(minutes=30)
        again.screen.tick()
        after = again.screen.state
        assert before is not None and after is not None
        assert after.current == before.current == 1
        assert after.elapsed == 10 * 60
        assert after.status is Status.RUNNING


async def test_a_note_from_another_terminal_shows_in_the_feed(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        other = CohortStore(room.disk().path)
        other.put(
            Note(
                text="depuis la ligne de commande",
                session_id=room.session.id,
                created=arrow.get(FIXED_NOW),
            )
        )
        room.app.poll_store()
        await room.settle()
        prompts = [
            str(room.screen.query_one(NoteFeed).get_option_at_index(i).prompt) for i in range(3)
        ]
        assert any("depuis la ligne de commande" in p for p in prompts)


async def test_filter_the_feed_by_structure_then_clear_it(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace) as room:
        await room.press("f")  # an empty choice must not crash the form
        from textual.widgets import Select

        form = room.app.screen
        jardins = next(s for s in room.screen.view.structures if "Jardins" in s.name)
        form.query_one("#field-structure_id", Select).value = jardins.id
        await room.press("ctrl+s")
        notes = [n for n in room.screen.view.notes if n.session_id == room.session.id]
        shown = room.screen.query_one(NoteFeed).option_count
        assert 0 < shown < len(notes)
        assert "Jardins" in str(room.screen.query_one("#feed-title").render())
        await room.press("f")
        room.app.screen.query_one("#field-structure_id", Select).clear()
        await room.press("ctrl+s")
        assert room.screen.query_one(NoteFeed).option_count == len(notes)


async def test_a_refused_write_keeps_the_typed_note_and_the_file(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from facilitator import store as store_module

    async with Room(demo_workspace) as room:
        path = room.disk().path
        before = {
            p: p.read_bytes() for p in path.parent.iterdir() if p.is_file() and p.suffix != ".lock"
        }

        def disk_full(fd: int, data: object) -> int:
            raise OSError(28, os.strerror(28))

        monkeypatch.setattr(store_module.os, "write", disk_full)
        await room.capture("constat: @jardins #rh une note à ne pas perdre")
        monkeypatch.undo()
        line = room.screen.query_one(CaptureLine)
        assert line.input.value == "constat: @jardins #rh une note à ne pas perdre"
        assert "No space left" in str(line.query_one("#capture-error").render())
        after = {
            p: p.read_bytes() for p in path.parent.iterdir() if p.is_file() and p.suffix != ".lock"
        }
        assert after == before
        await room.press("enter")  # the disk has room again: the same line goes through
        assert any(n.text == "une note à ne pas perdre" for n in room.disk().records(Note))
