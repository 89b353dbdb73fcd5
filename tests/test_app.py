"""The app shell: areas, help, the too-small notice, the cohort list."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from facilitator.domain import Cohort, Note
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from screens.bilan import BilanScreen
from screens.board import BoardScreen
from screens.cohorts import CohortListScreen
from screens.dashboard import DashboardScreen
from screens.dialogs.form import FormScreen
from screens.help import HelpScreen, TooSmallScreen
from screens.sessions import SessionsScreen
from tests.conftest import make_app


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_only_cohort_opens_on_its_dashboard_and_keys_move_between_areas(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        assert app.sub_title.startswith("Collectif MSE")
        for key, screen in (
            ("2", BoardScreen),
            ("3", SessionsScreen),
            ("4", BilanScreen),
            ("1", DashboardScreen),
        ):
            await pilot.press(key)
            assert isinstance(app.screen, screen)


async def test_help_lists_the_keys_of_the_screen_underneath(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = [
            app.screen.query_one("#keys", DataTable).get_row_at(i)
            for i in range(app.screen.query_one("#keys", DataTable).row_count)
        ]
        descriptions = {str(row[1]) for row in rows}
        assert {"Quitter", "Aide"} <= descriptions
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_a_small_terminal_gets_a_plain_message(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small").render())
        assert "80×24" in text and "60×20" in text
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)


async def test_several_cohorts_open_on_the_list(demo_workspace: Workspace) -> None:
    demo_workspace.create([Cohort(name="Autre cohorte")])
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, CohortListScreen)
        table = app.screen.query_one("#cohorts", DataTable)
        assert table.row_count == 2
        names = sorted(str(table.get_row_at(i)[0]) for i in range(2))
        assert names[0] == "Autre cohorte"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        opened = app.view.cohort.name if app.view else ""
        # Back to the list and into the other cohort: the areas follow the switch.
        await pilot.press("f2")
        await settle(app, pilot)
        table = app.screen.query_one("#cohorts", DataTable)
        other = next(i for i in range(2) if str(table.get_row_at(i)[0]) != opened)
        table.move_cursor(row=other)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view is not None and app.view.cohort.name != opened


async def test_create_rename_and_archive_a_cohort(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, CohortListScreen)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-name", Input).value = "Collectif Sport 2027"
        form.query_one("#field-start_date", Input).value = "31/02/2027"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)  # refused: the date is impossible
        assert "AAAA-MM-JJ" in str(form.query_one("#error-start_date").render())
        assert workspace.cohort_files() == []
        form.query_one("#field-start_date", Input).value = "01/02/2027"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        [path] = workspace.cohort_files()
        cohort = CohortStore(path).records(Cohort)[0]
        assert (cohort.name, cohort.start_date.isoformat() if cohort.start_date else "") == (
            "Collectif Sport 2027",
            "2027-02-01",
        )

        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("r")
        app.screen.query_one("#field-name", Input).value = "Collectif Sport Drôme 2027"
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        cohort = CohortStore(path).records(Cohort)[0]
        assert cohort.name == "Collectif Sport Drôme 2027" and cohort.archived


async def test_escape_cancels_a_form_and_saves_nothing(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        app.screen.query_one("#field-name", Input).value = "Jamais"
        await pilot.press("escape", "o")  # and say yes to discarding what was typed
        await settle(app, pilot)
        assert isinstance(app.screen, CohortListScreen)
        assert workspace.cohort_files() == []


async def test_a_note_written_elsewhere_reaches_the_view(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        CohortStore(small_cohort.path).put(Note(text="depuis un autre terminal"))
        app.poll_store()
        await settle(app, pilot)
        assert app.view is not None and [n.text for n in app.view.notes] == [
            "depuis un autre terminal"
        ]


async def test_the_header_says_who_else_has_the_cohort_open(demo_workspace: Workspace) -> None:
    import os

    from facilitator.files import PRIVATE
    from facilitator.presence import PresenceBoard

    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.store is not None
        other = PresenceBoard(app.store.path, PRIVATE)
        other.pid = os.getppid()  # another live process on this host
        other.me = other.folder / f"{other.host}-{other.pid}.json"
        other.announce()
        app.poll_store()
        await settle(app, pilot)
        assert "aussi ouvert par" in app.sub_title and other.host in app.sub_title
        assert app.presence is not None and app.presence.me.exists()  # this app said it is here too
    assert not app.presence.me.exists()  # and left when it closed


async def test_read_only_says_so_in_the_header(demo_workspace: Workspace) -> None:
    read_only = Workspace(demo_workspace.root, read_only=True)
    app = make_app(read_only)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "lecture seule" in app.sub_title
        assert app.presence is None


async def test_restore_a_backup_from_the_cohort_list(
    small_cohort: CohortStore, workspace: Workspace
) -> None:
    from screens.dialogs.backups import BackupsScreen
    from screens.dialogs.confirm import ConfirmScreen

    small_cohort.put(Note(text="avant"))
    small_cohort.backup()
    small_cohort.put(Note(text="après"))
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("b")
        assert isinstance(app.screen, BackupsScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await settle(app, pilot)
        await settle(app, pilot)
        assert not isinstance(app.screen, BackupsScreen)
    assert [n.text for n in CohortStore(small_cohort.path).records(Note)] == ["avant"]


async def test_a_cohort_on_a_network_disk_is_warned_about_once_opened(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locks may not hold on NFS or SMB: the facilitator hears it, in the check's words."""
    import facilitator.check

    monkeypatch.setattr(facilitator.check, "on_network_filesystem", lambda root: "nfs4")
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
        assert any("nfs4" in message for message in said), said


def test_every_dialog_lets_the_screen_underneath_show_through() -> None:
    """Textual takes a screen's default CSS along its first base only: a dialog whose
    first base is not a ModalScreen loses the see-through background (and looks like
    a blank page over the cohort)."""
    from textual.screen import ModalScreen

    from tests.helpers.screens import our_screens

    dialogs = [c for c in our_screens() if issubclass(c, ModalScreen)]
    assert len(dialogs) > 12
    assert sorted(c.__qualname__ for c in dialogs if ModalScreen not in c._css_bases(c)) == []


# --- Textual's own commands, in the person's language, and the theme kept ----------------


async def test_the_palette_speaks_french_and_the_theme_chosen_is_kept(
    demo_workspace: Workspace,
) -> None:
    from textual.command import CommandPalette

    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "Chercher une commande…"
        titles = {str(c.title) for c in app.get_system_commands(app.screen_stack[-2])}
        assert {"Couleurs", "Capture d'écran", "Aide", "Quitter"} <= titles
        await pilot.press("escape")
        app.theme = "nord"
        await settle(app, pilot)
    assert demo_workspace.preference("theme") == "nord"
    again = make_app(demo_workspace)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"


def test_preferences_are_private_and_an_unreadable_file_is_left_alone(tmp_path: Path) -> None:
    import os

    workspace = Workspace(tmp_path / "ws")
    assert workspace.preference("theme") is None
    workspace.remember("theme", "nord")
    path = tmp_path / "ws" / ".preferences.json"
    assert workspace.preference("theme") == "nord" and (path.stat().st_mode & 0o777) == 0o600
    assert workspace.cohort_files() == []  # never taken for a cohort
    path.write_text("{ not json", encoding="utf-8")
    workspace.remember("theme", "gruvbox")
    assert (
        path.read_text(encoding="utf-8") == "{ not json" and workspace.preference("theme") is None
    )
    path.unlink()
    os.mkfifo(path)  # planted where the file belongs: read without blocking, not written
    assert workspace.preference("theme") is None
    workspace.remember("theme", "gruvbox")
    assert path.is_fifo()
