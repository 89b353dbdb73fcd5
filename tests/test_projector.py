"""The projector view: what it shows in each state of the clock, following the store, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import arrow
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from facilitator.agenda import item_title
from facilitator.domain import AgendaItem, ClockEvent, Session, SessionKind
from facilitator.i18n import t
from facilitator.live import live_session, running_session, sessions_on
from facilitator.programme import format_day, session_plan
from facilitator.store import CohortStore
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from screens.help import TooSmallScreen
from screens.projector import ProjectorApp, ProjectorHelp, ProjectorScreen, project
from screens.session import SessionScreen
from screens.widgets.big_clock import BigDigits
from tests.conftest import FIXED_NOW, make_app, run_cli


def state_of_play(workspace: Workspace) -> tuple[CohortStore, Session]:
    store = workspace.find(None)
    return store, next(s for s in store.records(Session) if s.kind == SessionKind.STATE_OF_PLAY)


def press(store: CohortStore, session: Session, action: str, at: arrow.Arrow, **more: Any) -> None:
    store.put(ClockEvent(session_id=session.id, action=action, at=at, **more))


def shown_at(store: CohortStore, session: Session, **later: float) -> Any:
    return project(CohortView.load(store), session.id, FIXED_NOW.shift(**later))


# --- what is shown ------------------------------------------------------------------------


def test_before_the_start_the_planned_start_is_said_to_be_one(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    plan = session_plan(session, CohortView.load(store).structures)
    shown = shown_at(store, session)
    start = plan.start.strftime("%H:%M")
    assert (shown.digits, shown.level) == (start, "waiting")
    assert session.date is not None and session.date != FIXED_NOW.date()
    assert shown.caption == t("projector.starts_on", day=format_day(session.date), time=start)
    assert shown.title == item_title(plan.items[0], CohortView.load(store).structure_names())
    assert (shown.position, shown.count, shown.share) == (1, len(plan.items), 0.0)
    # Held today, the day goes without saying.
    store.patch(Session, session.id, {"date": FIXED_NOW.to("Europe/Paris").date()})
    assert shown_at(store, session).caption == t("projector.starts_at", time=start)


def test_it_counts_down_warns_then_counts_the_overtime(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    press(store, session, "start", FIXED_NOW)
    running = shown_at(store, session, minutes=3, seconds=25)
    assert (running.digits, running.level) == ("11:35", "")
    assert running.caption == t("session.clock.left", minutes=15)
    assert shown_at(store, session, minutes=13).level == "warn"
    over = shown_at(store, session, minutes=16, seconds=5)
    assert (over.digits, over.level) == ("+01:05", "over")
    assert over.caption == t("projector.overtime", minutes=15)


def test_a_pause_is_said_and_the_digits_stop(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    press(store, session, "start", FIXED_NOW)
    press(store, session, "pause", FIXED_NOW.shift(minutes=3))
    paused = shown_at(store, session, minutes=10)
    assert (paused.digits, paused.level, paused.caption) == (
        "12:00",
        "paused",
        t("projector.paused"),
    )
    assert shown_at(store, session, minutes=20).digits == "12:00"


def test_the_next_item_passes_over_skipped_ones(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    view = CohortView.load(store)
    items = session_plan(session, view.structures).items
    press(store, session, "start", FIXED_NOW)
    press(store, session, "next", FIXED_NOW.shift(minutes=1))
    press(store, session, "skip", FIXED_NOW.shift(minutes=2))
    press(store, session, "jump", FIXED_NOW.shift(minutes=3), item=0)
    shown = shown_at(store, session, minutes=4)
    minutes = items[2].minutes
    assert shown.next == t(
        "projector.next", title=item_title(items[2], view.structure_names()), minutes=minutes
    )
    assert shown.position == 1


def test_the_last_item_then_the_closing_word(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    count = len(session_plan(session, CohortView.load(store).structures).items)
    press(store, session, "start", FIXED_NOW)
    press(store, session, "jump", FIXED_NOW.shift(minutes=1), item=count - 1)
    last = shown_at(store, session, minutes=2)
    assert (last.next, last.position) == (t("projector.last"), count)
    press(store, session, "next", FIXED_NOW.shift(minutes=3))
    done = shown_at(store, session, minutes=30)
    assert (done.title, done.digits, done.level) == (t("projector.finished.title"), "", "finished")
    ended = FIXED_NOW.shift(minutes=3).to("Europe/Paris").format("HH:mm")
    assert done.caption == t("projector.finished.caption", time=ended)
    assert (done.position, done.share) == (count, 1.0)


def test_a_session_gone_from_the_cohort_is_said(demo_workspace: Workspace) -> None:
    store, _ = state_of_play(demo_workspace)
    assert project(CohortView.load(store), "nope", FIXED_NOW).title == t("projector.missing")


# --- which session to follow ----------------------------------------------------------------


def test_it_follows_the_running_clock_then_today_s_session(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    intro = next(s for s in store.records(Session) if s.kind == SessionKind.INTRO)
    assert running_session(CohortView.load(store), FIXED_NOW) is None
    press(store, intro, "start", FIXED_NOW.shift(minutes=-30))
    press(store, session, "start", FIXED_NOW.shift(minutes=-10))
    assert running_session(CohortView.load(store), FIXED_NOW) == session
    press(store, session, "pause", FIXED_NOW.shift(minutes=-5))
    assert running_session(CohortView.load(store), FIXED_NOW) == intro  # running, pressed earlier
    press(store, intro, "pause", FIXED_NOW.shift(minutes=-4))
    assert running_session(CohortView.load(store), FIXED_NOW) == intro  # both paused: the latest
    press(store, session, "resume", FIXED_NOW.shift(minutes=-3))
    press(store, session, "pause", FIXED_NOW.shift(minutes=-2))
    assert running_session(CohortView.load(store), FIXED_NOW) == session  # paused still counts
    # A press recorded after ``now`` (another machine's clock ahead) is not taken yet.
    press(store, intro, "resume", FIXED_NOW.shift(minutes=5))
    assert running_session(CohortView.load(store), FIXED_NOW) == session

    today = FIXED_NOW.to("Europe/Paris").date()
    assert sessions_on(CohortView.load(store), today) == []
    store.patch(Session, session.id, {"date": today})
    assert [s.id for s in sessions_on(CohortView.load(store), today)] == [session.id]


def test_the_command_says_what_to_do_when_there_is_nothing_to_follow(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("demo", "--no-open", data=data).returncode == 0
    files = sorted((p.name, p.stat().st_mtime_ns) for p in data.rglob("*"))
    done = run_cli("project", data=data)
    assert done.returncode == 2
    assert done.stderr == f"facilitator: {t('cli.error.project_no_session')}\n"
    wrong = run_cli("project", "--session", "pleniere", data=data)
    assert wrong.returncode == 2 and "pleniere" in wrong.stderr and "Traceback" not in wrong.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in data.rglob("*")) == files


# --- the app ----------------------------------------------------------------------------------


class Projector:
    """The projector app on the demo's état des lieux, with a clock the test moves."""

    def __init__(self, workspace: Workspace, size: tuple[int, int] = (80, 24)) -> None:
        self.store, self.session = state_of_play(workspace)
        self.now = FIXED_NOW
        self.app = ProjectorApp(self.store.path, self.session.id, now=lambda: self.now, poll=False)
        self.size = size

    async def __aenter__(self) -> Projector:
        self._context = self.app.run_test(size=self.size)
        self.pilot: Pilot[None] = await self._context.__aenter__()
        await self.settle()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._context.__aexit__(*exc)

    @property
    def screen(self) -> ProjectorScreen:
        return next(s for s in self.app.screen_stack if isinstance(s, ProjectorScreen))

    async def settle(self) -> None:
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def poll(self) -> None:
        self.app.poll_store()
        await self.settle()

    def later(self, **shift: float) -> None:
        self.now = self.now.shift(**shift)
        self.screen.tick()

    @property
    def digits(self) -> str:
        return self.screen.query_one(BigDigits).value


async def test_it_follows_presses_made_in_another_process(demo_workspace: Workspace) -> None:
    async with Projector(demo_workspace) as room:
        assert room.screen.shown is not None and room.screen.shown.level == "waiting"
        other = CohortStore(room.store.path)  # the facilitator's live screen, elsewhere
        press(other, room.session, "start", room.now)
        room.later(seconds=1)
        assert room.screen.shown.level == "waiting"  # not read yet
        await room.poll()
        assert room.digits == "14:59"
        room.later(seconds=30)
        assert room.digits == "14:29"
        press(other, room.session, "pause", room.now)
        await room.poll()
        room.later(minutes=5)
        assert room.digits == "14:29" and room.screen.shown.level == "paused"


@pytest.mark.parametrize("follow", [True, False], ids=["no-session-named", "session-named"])
async def test_named_by_no_session_it_goes_to_the_clock_that_starts(
    demo_workspace: Workspace, follow: bool
) -> None:
    """Opened with no session named, it follows the facilitator: when another session's
    clock starts, the projector shows that one. Named, it stays on the session named."""
    room = Projector(demo_workspace)
    room.app = ProjectorApp(
        room.store.path, room.session.id, now=lambda: room.now, poll=False, follow=follow
    )
    evolution = next(s for s in room.store.records(Session) if s.kind is SessionKind.EVOLUTION)
    async with room:
        press(CohortStore(room.store.path), evolution, "start", room.now)
        room.later(seconds=1)
        await room.poll()
        assert room.screen.session_id == (evolution.id if follow else room.session.id)
        assert room.screen.shown is not None
        assert (room.screen.shown.level == "waiting") is not follow


async def test_the_facilitator_s_words_are_shown_as_typed(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    items = [AgendaItem(title="Atelier [rouge] et [/vert]", minutes=20), AgendaItem(minutes=5)]
    store.patch(Session, session.id, {"agenda": items})
    async with Projector(demo_workspace) as room:
        title = room.screen.query_one("#item-title", Static).render()
        assert "Atelier [rouge] et [/vert]" in str(title)
        assert room.screen.shown is not None and room.screen.shown.count == 2


async def test_the_digits_are_repainted_only_when_they_change(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Projector(demo_workspace) as room:
        press(room.store, room.session, "start", room.now)
        await room.poll()
        updates: list[str] = []
        original = BigDigits.refresh

        def counted(digits: BigDigits, *args: Any, **kwargs: Any) -> BigDigits:
            updates.append(digits.value)
            return original(digits, *args, **kwargs)

        monkeypatch.setattr(BigDigits, "refresh", counted)
        room.later(seconds=0.4)  # 899.6 s left: shown as 14:59, rounded down
        for _ in range(5):
            room.screen.tick()
        room.later(seconds=0.5)
        assert updates == ["14:59"]
        room.later(seconds=0.2)
        assert updates == ["14:59", "14:58"]


async def test_it_never_writes(demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    press(store, session, "start", FIXED_NOW)
    root = demo_workspace.root

    def files() -> list[tuple[str, int, int]]:
        return sorted(
            (str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*")
        )

    before = files()
    async with Projector(demo_workspace) as room:
        assert room.app.store.read_only
        await room.poll()
        room.later(minutes=1)
        await room.pilot.press("f1")
        await room.pilot.press("escape")
    assert files() == before


async def test_only_quit_and_help_keys(demo_workspace: Workspace) -> None:
    async with Projector(demo_workspace) as room:
        await room.pilot.press("f1")
        assert isinstance(room.app.screen, ProjectorHelp)
        table = room.app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert actions == {t("key.quit"), t("key.help")}
        await room.pilot.press("escape")
        assert isinstance(room.app.screen, ProjectorScreen)
        await room.pilot.press("escape")  # nowhere to go back to: nothing happens
        assert isinstance(room.app.screen, ProjectorScreen)
        await room.pilot.press("q")
        assert room.app._exit_renderables == [] and not room.app.is_running


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_everything_is_centred_and_on_screen(
    demo_workspace: Workspace, size: tuple[int, int]
) -> None:
    async with Projector(demo_workspace, size) as room:
        press(room.store, room.session, "start", room.now)
        await room.poll()
        room.later(minutes=16)  # overtime: the widest digits
        width, height = size
        digits = room.screen.query_one(BigDigits).region
        assert abs(digits.x + digits.width / 2 - width / 2) <= 1
        # As large as the window allows: a third of the rows, most of the width.
        assert digits.height >= height // 3 and digits.width >= width // 2, digits
        for line in ("#context", "#item-title", "#next", "#progress", "#hint"):
            region = room.screen.query_one(line).region
            assert region.height >= 1 and region.bottom <= height and region.right <= width, line
        stage = room.screen.query_one("#stage").region
        assert abs((stage.y + stage.bottom) / 2 - height / 2) <= 2  # centred vertically too


async def test_a_tiny_terminal_says_what_it_needs(demo_workspace: Workspace) -> None:
    async with Projector(demo_workspace, (30, 10)) as room:
        assert isinstance(room.app.screen, TooSmallScreen)
        assert "40×12" in str(room.app.screen.query_one("#too-small").render())


async def test_pushed_over_the_live_screen_escape_goes_back(demo_workspace: Workspace) -> None:
    _, session = state_of_play(demo_workspace)
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_session(session.id)
        await pilot.pause()
        app.push_screen(ProjectorScreen(session.id))
        await pilot.pause()
        assert isinstance(app.screen, ProjectorScreen) and app.screen.shown is not None
        assert app.screen.shown.level == "waiting"
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


async def test_the_projector_and_the_live_screen_agree(demo_workspace: Workspace) -> None:
    """One computation for both, on the session's own day (measured against its plan) too."""
    store, session = state_of_play(demo_workspace)
    store.patch(Session, session.id, {"date": FIXED_NOW.to("Europe/Paris").date()})
    press(store, session, "start", FIXED_NOW.shift(minutes=-20))
    press(store, session, "next", FIXED_NOW.shift(minutes=-3))
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_session(session.id)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        view = CohortView.load(store)
        today = view.session(session.id)
        assert today is not None
        for later in (0, 95, 600):
            now = FIXED_NOW.shift(seconds=later)
            live = live_session(view, today, now)
            assert live.state == screen.compute(now)
            assert live.state.planned_end is not None and live.state.behind != 0


def test_snapshot_80x24(snap_compare: Any, demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    press(store, session, "start", FIXED_NOW.shift(minutes=-4, seconds=-25))
    app = ProjectorApp(store.path, session.id, now=lambda: FIXED_NOW, poll=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_snapshot_200x50_overtime(snap_compare: Any, demo_workspace: Workspace) -> None:
    store, session = state_of_play(demo_workspace)
    press(store, session, "start", FIXED_NOW.shift(minutes=-17))
    app = ProjectorApp(store.path, session.id, now=lambda: FIXED_NOW, poll=False)
    assert snap_compare(app, terminal_size=(200, 50), run_before=_settle)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
