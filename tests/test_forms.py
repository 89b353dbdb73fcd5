"""Every form alike at 80×24: one field a line with its label beside it, the keys said
under the title, Escape asking before it throws typing away, checkboxes that read without
colour, and the key names in the person's language in the help and the footer."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len
from textual.binding import Binding
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets._footer import FooterKey

from facilitator.domain import InvalidInput, parse_creation
from facilitator.i18n import set_language, t
from facilitator.store import CohortStore
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from screens.app import FacilitatorApp
from screens.base import key_label
from screens.board import BoardScreen
from screens.dialogs.cohort_settings import CohortSettingsScreen
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.form import FormScreen, TickBox
from screens.help import HelpScreen
from tests.conftest import make_app

SIZE = (80, 24)


async def settle(app: FacilitatorApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_form(app: FacilitatorApp, pilot: Pilot[None], *keys: str) -> FormScreen:
    await settle(app, pilot)
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)
    assert isinstance(app.screen, FormScreen)
    return app.screen


def structures(app: FacilitatorApp) -> list[str]:
    assert app.store is not None
    return [s.name for s in CohortView.load(CohortStore(app.store.path)).structures]


def on_screen(widget: Widget) -> bool:
    """Whether the whole of the widget is drawn, none of it clipped off."""
    region = widget.region
    return bool(region) and widget.screen.region.contains_region(region)


def inside(widget: Widget, area: Region) -> bool:
    return bool(widget.region) and area.contains_region(widget.region)


# --- Escape on a form the person typed into -------------------------------------------


async def test_escape_asks_before_throwing_away_what_was_typed(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "2", "a")
        before = structures(app)
        name = form.query_one("#field-name", Input)
        name.value = "Ludothèque Le Dé Vert"
        await pilot.press("escape")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.question == "Abandonner ce que vous avez saisi ?"
        assert str(question.query_one("#yes", Button).label) == "Abandonner"

        # The default goes back to the form, with what was typed.
        assert question.focused is question.query_one("#no")
        await pilot.press("enter")
        assert app.screen is form
        assert name.value == "Ludothèque Le Dé Vert"

        # Escape on the question too: back to the form.
        await pilot.press("escape", "escape")
        assert app.screen is form

        # The Annuler button asks the same, and « Abandonner » closes the form.
        await pilot.click("#cancel")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        assert structures(app) == before


async def test_an_untouched_form_closes_at_once(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "2", "e")  # an edit: filled, not typed into
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)

        # A field changed and changed back is untouched too.
        form = await open_form(app, pilot, "p")
        name = form.query_one("#field-name", Input)
        name.value = "Hélène"
        name.value = ""
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_the_cohort_settings_ask_too(demo_workspace: Workspace) -> None:
    """CheckedFormScreen inherits the question (a ticked box counts as typing too)."""
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "s")
        assert isinstance(form, CohortSettingsScreen)
        form.query_one("#field-territory", Input).value = "Diois"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)

        form = await open_form(app, pilot, "2", "a")
        form.query_one("#field-employer", TickBox).value = False
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)


# --- one layout for every form --------------------------------------------------------


async def test_the_participant_form_fits_80x24_one_field_a_line(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "2", "p")
        assert str(form.query_one(".form-title", Static).render()) == "Ajouter un·e participant·e"
        keys = str(form.query_one(".form-keys", Static).render())
        assert keys.startswith("Tab : champ suivant")
        assert on_screen(form.query_one("#form"))
        for button in form.query(Button):
            assert on_screen(button)
        for row in form.query(".form-row"):
            label, control = row.children
            assert row.region.height == 1, label  # label beside its field, one line
            assert on_screen(control)
            assert label.region.y == control.region.y
            assert label.region.right <= control.region.x


async def test_an_error_keeps_the_title_and_the_focused_field_in_view(
    demo_workspace: Workspace,
) -> None:
    """The cohort's fourteen settings fill 80×24; sentences under three of them make the
    fields scroll under the title, which stays, as do the keys and the buttons."""
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "s")
        form.query_one("#field-name", Input).value = ""
        form.query_one("#field-spent_2", Input).value = "beaucoup"
        form.query_one("#field-timezone", Input).value = "Mars/Olympus"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#error-timezone").has_class("shown")
        fields = form.query_one("#form-fields")
        for part in (".form-title", ".form-keys", "#save", "#cancel"):
            assert on_screen(form.query_one(part)), part
        assert form.focused is form.query_one("#field-name")
        assert inside(form.focused, fields.region)
        assert inside(form.query_one("#error-name"), fields.region)

        # Tab down to the last field: it scrolls into view, the title still there.
        form.query_one("#field-start_date").focus()
        await pilot.press("tab")
        await pilot.pause()
        assert form.focused is form.query_one("#field-timezone")
        assert inside(form.focused, fields.region)
        assert on_screen(form.query_one(".form-title"))


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_cohort_placeholders_fit_and_each_has_its_example(
    demo_workspace: Workspace, language: str
) -> None:
    set_language(language)
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        form = await open_form(app, pilot, "n")
        for field in form.query(Input):
            assert cell_len(field.placeholder) <= field.content_region.width, field.id
        assert "DLA" in form.query_one("#field-dlas", Input).placeholder
        cofinancers = form.query_one("#field-cofinancers", Input).placeholder
        assert "DLA" not in cofinancers and "Région" in cofinancers
        for label in form.query(".form-label"):
            assert label.region.height == 1, label  # every setting on one line


# --- a creation year alone ------------------------------------------------------------


def test_a_creation_date_may_be_a_year_alone() -> None:
    assert parse_creation("2012") == dt.date(2012, 1, 1)
    assert parse_creation(" 12/09/2018 ") == dt.date(2018, 9, 12)
    assert parse_creation("2018-09-12") == dt.date(2018, 9, 12)
    for bad in ("0000", "12", "20120", "l'an 2012"):
        with pytest.raises(InvalidInput):
            parse_creation(bad)


async def test_the_structure_form_takes_a_year_alone(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "2", "a")
        form.query_one("#field-name", Input).value = "Ludothèque Le Dé Vert"
        form.query_one("#field-created", Input).value = "2012"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        assert app.view is not None
        added = next(s for s in app.view.structures if s.name == "Ludothèque Le Dé Vert")
        assert added.created == dt.date(2012, 1, 1)


# --- checkboxes that read without colour ----------------------------------------------


async def test_a_ticked_box_and_an_empty_one_differ_in_their_characters(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "2", "a")
        employer = form.query_one("#field-employer", TickBox)
        assert employer.value is True
        assert "✓" in employer.render().plain
        employer.focus()
        await pilot.press("space")
        assert employer.value is False
        assert "✓" not in employer.render().plain
        assert "X" not in employer.render().plain


# --- key names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "fr", "en"),
    [
        ("pageup", "Page préc.", "PgUp"),
        ("pagedown", "Page suiv.", "PgDn"),
        ("home", "Début", "Home"),
        ("end", "Fin", "End"),
        ("tab", "Tab", "Tab"),
        ("shift+tab", "Maj+Tab", "Shift+Tab"),
        ("escape", "Échap", "Esc"),
        ("space", "Espace", "Space"),
        ("ctrl+q", "Ctrl+Q", "Ctrl+Q"),
    ],
)
def test_key_names_in_both_languages(key: str, fr: str, en: str) -> None:
    assert key_label(key) == fr
    set_language("en")
    assert key_label(key) == en


async def test_the_footer_and_the_help_name_keys_in_french(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.get_key_display(Binding("escape", "back", "Retour")) == "Échap"
        assert app.get_key_display(Binding("space", "go", "Go", key_display="␣")) == "␣"
        assert app.view is not None
        session = app.view.sessions[0]
        app.open_session(session.id)
        await settle(app, pilot)
        shown = {key.key_display for key in app.screen.query(FooterKey)}
        assert "Espace" in shown and "space" not in shown

        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#keys", DataTable)
        keys = {str(table.get_row_at(row)[0]) for row in range(table.row_count)}
        assert {"Tab", "Maj+Tab"} <= keys
        assert not any(k.isupper() and len(k) > 2 for k in keys), keys


def test_no_catalogue_says_the_old_participant_title() -> None:
    assert t("board.form.new_participant") == "Ajouter un·e participant·e"
    set_language("en")
    assert t("board.form.new_participant") == "Add a participant"
