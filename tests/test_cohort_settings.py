"""The cohort's settings: one form to create a cohort and to change it, from the cohort
list and from the dashboard, with the sentence next to the field on bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from facilitator import actions
from facilitator.domain import Approach, Cohort, Consultant
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from screens.app import FacilitatorApp
from screens.cohorts import CohortListScreen
from screens.dashboard import DashboardScreen
from screens.dialogs.cohort_settings import (
    CohortSettingsScreen,
    settings_changes,
    settings_from,
    settings_values,
)
from tests.conftest import FIXED_NOW, make_app


async def settle(app: FacilitatorApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def fill(form: Any, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#field-{name}", Input).value = value


def error_of(form: Any, name: str) -> str:
    return str(form.query_one(f"#error-{name}").render())


def stored(path: Path) -> Cohort:
    return CohortStore(path).records(Cohort)[0]


async def test_a_cohort_created_then_set_from_the_list(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, CohortListScreen)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, CohortSettingsScreen)
        fill(
            form,
            name="Collectif Drôme 2027",
            territory="Drôme",
            consultant_1="Claire Martin",
            budgeted_1="11",
            start_date="2027-01-12",
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        [path] = workspace.cohort_files()
        cohort = stored(path)
        assert cohort.consultants == [Consultant(name="Claire Martin", days_budgeted=11.0)]
        assert (cohort.territory, cohort.start_date) == ("Drôme", dt.date(2027, 1, 12))
        assert cohort.timezone == "Europe/Paris"

        # Back on the list, s opens the same form with what was typed at creation.
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("s")
        form = app.screen
        assert isinstance(form, CohortSettingsScreen)
        assert form.query_one("#field-consultant_1", Input).value == "Claire Martin"
        assert form.query_one("#field-budgeted_1", Input).value == "11"
        assert form.query_one("#field-approach", Select).value == "territoriale"

        # A time zone that does not exist: its sentence under the field, nothing written.
        before = path.read_bytes()
        fill(
            form,
            dlas="DLA 26, DLA 07",
            cofinancers="Département de la Drôme",
            spent_1="2,5",
            consultant_2="Hugo Lefèvre",
            budgeted_2="1",
            timezone="Europe/Pariss",
        )
        form.query_one("#field-approach", Select).value = "reseau"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "Europe/Pariss" in error_of(form, "timezone")
        assert "Europe/Paris" in error_of(form, "timezone")  # says how to write one
        assert path.read_bytes() == before

        fill(form, timezone="America/Cayenne")
        await pilot.press("enter")  # Enter in a field saves, as in every form
        await settle(app, pilot)
        assert isinstance(app.screen, CohortListScreen)
        cohort = stored(path)
        assert cohort.dlas == ["DLA 26", "DLA 07"]
        assert cohort.cofinancers == ["Département de la Drôme"]
        assert cohort.approach is Approach.NETWORK
        assert cohort.timezone == "America/Cayenne"
        assert cohort.consultants == [
            Consultant(name="Claire Martin", days_budgeted=11.0, days_spent=2.5),
            Consultant(name="Hugo Lefèvre", days_budgeted=1.0),
        ]


async def test_the_dashboard_opens_the_same_settings(workspace: Workspace) -> None:
    store = actions.create_cohort(
        workspace,
        now=FIXED_NOW,
        name="Cohorte Vercors",
        consultants=[Consultant(name="Claire Martin", days_budgeted=10.0)],
    )
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("s")
        form = app.screen
        assert isinstance(form, CohortSettingsScreen)
        before = store.path.read_bytes()

        # Days with no name would be lost: refused under the name, nothing written.
        fill(form, budgeted_2="2")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "consultant·e 2" in error_of(form, "consultant_2")
        assert form.focused is form.query_one("#field-consultant_2")
        fill(form, budgeted_2="", timezone="Mars/Olympus")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Mars/Olympus" in error_of(form, "timezone")
        assert error_of(form, "consultant_2") == ""
        assert store.path.read_bytes() == before

        fill(form, timezone="Europe/Paris", name="Cohorte Vercors 2027", spent_1="4")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        cohort = stored(store.path)
        assert cohort.name == "Cohorte Vercors 2027"
        assert cohort.consultants == [
            Consultant(name="Claire Martin", days_budgeted=10.0, days_spent=4.0)
        ]
        assert app.view is not None and app.view.cohort.name == "Cohorte Vercors 2027"

        # Escape leaves everything as it was.
        before = store.path.read_bytes()
        await pilot.press("s")
        fill(app.screen, name="Jamais")
        await pilot.press("escape")
        await settle(app, pilot)
        assert store.path.read_bytes() == before


def test_only_changed_settings_are_written_and_extra_consultants_are_kept() -> None:
    cohort = Cohort(
        name="Trois consultant·es",
        consultants=[
            Consultant(name="A", days_budgeted=4),
            Consultant(name="B", days_budgeted=4),
            Consultant(name="C", days_budgeted=3, days_spent=1),
        ],
    )
    values = settings_values(cohort)
    parsed = {**values, "consultant_1": "A", "budgeted_1": 5.0, "spent_1": 0.0}
    changes = settings_changes(cohort, parsed)
    assert list(changes) == ["consultants"]
    assert changes["consultants"][2] == Consultant(name="C", days_budgeted=3, days_spent=1)
    assert changes["consultants"][0].days_budgeted == 5.0
    # A row emptied of its name and days is a consultant less.
    emptied = {**parsed, "consultant_2": "", "budgeted_2": None, "spent_2": None}
    assert [c.name for c in settings_from(emptied, cohort)["consultants"]] == ["A", "C"]


async def test_read_only_disables_the_settings_keys(workspace: Workspace) -> None:
    store = actions.create_cohort(workspace, now=FIXED_NOW, name="Cohorte lue")
    before = store.path.read_bytes()
    app = make_app(Workspace(workspace.root, read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        disabled = {b.binding.action for b in app.screen.active_bindings.values() if not b.enabled}
        assert "settings" in disabled
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("s", "r", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, CohortListScreen)
    assert store.path.read_bytes() == before


async def test_an_empty_list_dims_what_acts_on_a_cohort(tmp_path: Path) -> None:
    app = make_app(Workspace(tmp_path / "ws"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CohortListScreen)
        bindings = {b.binding.action: b.enabled for b in screen.active_bindings.values()}
        assert bindings["new"] and not bindings["settings"] and not bindings["archive"]
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen is screen
