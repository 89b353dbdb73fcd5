"""The agenda editor: each key is one agenda action, checked on the store, and undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, Static

from facilitator import actions
from facilitator.domain import Session, SessionKind, Structure
from facilitator.i18n import t
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from screens.agenda_editor import AgendaEditorScreen
from screens.app import FacilitatorApp
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.form import FormScreen
from tests.conftest import FIXED_NOW, make_app

DAY = dt.date(2026, 12, 8)
STRUCTURES = ("Les Jardins du Lien", "Vélo-École de Crest", "La Trame")


def build(workspace: Workspace, template: str | None = None) -> tuple[CohortStore, Session]:
    """A cohort set up from an empty workspace, the way a facilitator would."""
    store = actions.create_cohort(workspace, now=FIXED_NOW, name="Cohorte Drôme 2026")
    for name in STRUCTURES:
        actions.add_structure(store, now=FIXED_NOW, name=name)
    session = actions.add_session(
        store, now=FIXED_NOW, kind=SessionKind.STATE_OF_PLAY, date=DAY, template=template
    )
    return store, session


def on_disk(workspace: Workspace, session_id: str) -> Session:
    """The session as a fresh read of the file has it (not the app's memory)."""
    store = workspace.find(None)
    session = store.get(Session, session_id)
    assert session is not None
    return session


def minutes(workspace: Workspace, session_id: str) -> list[int]:
    return [i.minutes for i in on_disk(workspace, session_id).agenda]


class Editor:
    """The app open on one session's agenda editor."""

    def __init__(self, workspace: Workspace, session: Session) -> None:
        self.workspace = workspace
        self.session = session
        self.app: FacilitatorApp = make_app(workspace)

    async def __aenter__(self) -> Editor:
        self._context = self.app.run_test(size=(80, 24))
        self.pilot = await self._context.__aenter__()
        await self.settle()
        self.app.push_screen(AgendaEditorScreen(self.session.id))
        await self.settle()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._context.__aexit__(*exc)

    @property
    def screen(self) -> AgendaEditorScreen:
        screen = next(
            s for s in reversed(self.app.screen_stack) if isinstance(s, AgendaEditorScreen)
        )
        return screen

    @property
    def table(self) -> DataTable[Any]:
        return self.screen.table

    async def settle(self) -> None:
        for _ in range(3):
            await self.app.workers.wait_for_complete()
            await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await self.settle()

    async def select(self, row: int) -> None:
        self.table.move_cursor(row=row)
        await self.pilot.pause()

    def form(self) -> FormScreen:
        assert isinstance(self.app.screen, FormScreen), self.app.screen
        return self.app.screen

    async def fill(self, **values: str) -> None:
        form = self.form()
        for name, value in values.items():
            widget = form.query_one(f"#field-{name}")
            if isinstance(widget, Select):
                widget.value = value
            else:
                assert isinstance(widget, Input)
                widget.value = value
        await self.pilot.pause()

    async def submit(self) -> None:
        await self.press("ctrl+s")

    def field_error(self, name: str) -> str:
        error = self.form().query_one(f"#error-{name}", Static)
        return str(error.render()) if error.has_class("shown") else ""

    @property
    def status(self) -> str:
        return self.screen._status

    def notices(self) -> list[str]:
        return [n.message for n in self.app._notifications]

    def row(self, index: int) -> list[str]:
        return [str(cell) for cell in self.table.get_row_at(index)]


@pytest.fixture
def cohort(workspace: Workspace) -> tuple[CohortStore, Session]:
    return build(workspace)


# The default état des lieux (demi-journée) for three structures, from 09:00:
#  0 welcome 15 · 1-3 sharing 12 × 3 (La Trame, Les Jardins, Vélo-École) · 4 break 15
#  5 das-subgroups 50 · 6 exchanges 30 · 7 synthesis 15 · 8 intersession 10 → ends 11:51.


def keys(workspace: Workspace, session_id: str) -> list[str]:
    return [i.key or i.title for i in on_disk(workspace, session_id).agenda]


async def test_the_editor_shows_the_agenda_on_the_clock(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        assert editor.table.row_count == len(session.agenda) == 9
        assert editor.row(0)[:3] == ["1", "09:00", "15"]
        assert editor.row(1)[5] == "Partage de l'état des lieux — La Trame"
        assert editor.row(3)[5] == "Partage de l'état de… — Vélo-École de Crest"  # 80 columns
        assert editor.row(4)[:2] == ["5", "09:51"]
        title = str(editor.screen.query_one("#editor-title", Static).render())
        assert "1re session collective — État des lieux" in title
        assert "mardi 8 décembre 2026" in title
        end = str(editor.screen.query_one("#editor-end", Static).render())
        assert end == "Fin prévue à 11:51 · pas d'heure de fin de journée"


# --- adding ----------------------------------------------------------------------------------


async def test_add_an_item_of_the_template_after_the_selected_one_then_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    before = on_disk(workspace, session.id).agenda
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        form = editor.form()
        assert form.query_one("#field-position", Input).value == "2"  # after the selected item
        offered = dict(form.fields[0].choices)
        # The journée's items are offered to a demi-journée too, lunch with its time.
        assert offered["Déjeuner · 60 min, à 12:30"] == "lunch"
        assert offered["Partage de l'état des lieux · 12 min par structure"] == "sharing"
        await editor.fill(key="das-method")
        await editor.submit()
        agenda = on_disk(workspace, session.id).agenda
        assert [i.key for i in agenda][:3] == ["welcome", "das-method", "sharing"]
        assert agenda[1].minutes == 20
        assert editor.table.cursor_row == 1
        assert editor.row(1)[:3] == ["2", "09:15", "20"]
        assert (
            "« L'analyse par domaine d'activité stratégique (DAS) : la méthode » ajoutée"
            in (editor.notices()[-1])
        )

        await editor.press("u")
        assert on_disk(workspace, session.id).agenda == before
        assert editor.table.row_count == 9


async def test_add_a_round_table_gives_one_slot_per_structure(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        await editor.fill(key="closing", minutes="5", position="10")
        await editor.submit()
        agenda = on_disk(workspace, session.id).agenda
        assert [i.key for i in agenda[-1:]] == ["closing"]  # the template's own is not per slot
        await editor.press("a")
        await editor.fill(key="sharing", position="11")
        await editor.submit()
        agenda = on_disk(workspace, session.id).agenda
        assert len(agenda) == 13
        assert [i.structure_id is not None for i in agenda[10:]] == [True, True, True]
        assert editor.table.cursor_row == 10


async def test_add_an_item_of_ones_own_then_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    before = on_disk(workspace, session.id).agenda
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        await editor.fill(title="Intervention de la chargée de mission DLA", minutes="20")
        await editor.fill(position="3")
        await editor.submit()
        agenda = on_disk(workspace, session.id).agenda
        assert agenda[2].title == "Intervention de la chargée de mission DLA"
        assert (agenda[2].key, agenda[2].minutes) == ("", 20)
        assert editor.table.cursor_row == 2
        await editor.press("u")
        assert on_disk(workspace, session.id).agenda == before


async def test_a_template_item_under_ones_own_title_is_one_edit_to_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    before = on_disk(workspace, session.id).agenda
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        await editor.fill(key="break", title="Pause café", minutes="10", position="1")
        await editor.submit()
        first = on_disk(workspace, session.id).agenda[0]
        assert (first.key, first.title, first.minutes) == ("break", "Pause café", 10)
        await editor.press("u")
        assert on_disk(workspace, session.id).agenda == before


async def test_bad_values_in_the_add_form_are_said_under_their_field(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        await editor.fill(title="Visite", minutes="0", position="12")
        await editor.submit()
        assert isinstance(editor.app.screen, FormScreen)  # still open: nothing was sent
        assert editor.field_error("minutes") == t("domain.error.no_duration", value=0)
        assert editor.field_error("position") == t("agenda.error.bad_position", value=12, count=10)
        await editor.fill(minutes="un quart d'heure", position="2")
        await editor.submit()
        assert "n'est pas un nombre entier" in editor.field_error("minutes")
        await editor.press("escape")
        assert len(on_disk(workspace, session.id).agenda) == 9


async def test_an_item_with_neither_title_nor_template_is_refused_in_the_status_line(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    version = workspace.find(None).version
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        await editor.fill(minutes="20")
        await editor.submit()
        assert isinstance(editor.app.screen, AgendaEditorScreen)
        assert editor.status == t("agenda.error.empty_title")
        shown = editor.screen.query_one("#editor-status", Static)
        assert shown.display and str(shown.render()) == editor.status
        assert editor.screen.undo_stack == []
    store = workspace.find(None)
    assert len(on_disk(workspace, session.id).agenda) == 9 and store.version == version


# --- removing, moving ------------------------------------------------------------------------


async def test_remove_the_selected_item_then_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    before = on_disk(workspace, session.id).agenda
    async with Editor(workspace, session) as editor:
        await editor.select(4)
        await editor.press("d")
        assert keys(workspace, session.id).count("break") == 0
        assert editor.table.cursor_row == 4
        assert editor.row(4)[5] == "Analyse par DAS en sous-groupes, avec appui"
        assert editor.notices()[-1] == "« Pause » retirée (u pour annuler)."
        await editor.press("delete")
        assert "das-subgroups" not in keys(workspace, session.id)
        await editor.press("u", "u")
        assert on_disk(workspace, session.id).agenda == before
        assert editor.table.cursor_row == 4


async def test_move_down_and_up_with_the_cursor_following_then_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    before = on_disk(workspace, session.id).agenda
    async with Editor(workspace, session) as editor:
        await editor.press("J")
        assert keys(workspace, session.id)[:2] == ["sharing", "welcome"]
        assert editor.table.cursor_row == 1
        await editor.press("ctrl+down")
        assert keys(workspace, session.id)[:3] == ["sharing", "sharing", "welcome"]
        assert editor.table.cursor_row == 2
        await editor.press("K")
        assert keys(workspace, session.id)[:2] == ["sharing", "welcome"]
        await editor.press("ctrl+up")
        assert on_disk(workspace, session.id).agenda == before
        assert editor.table.cursor_row == 0
        await editor.press("u")  # undo the last move up: welcome is second again
        assert keys(workspace, session.id)[:2] == ["sharing", "welcome"]
        assert editor.table.cursor_row == 0  # on the first position the undo changed
        await editor.press("u", "u", "u")
        assert on_disk(workspace, session.id).agenda == before


async def test_keys_pressed_while_an_edit_is_saved_run_after_it_on_the_new_agenda(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.pilot.press("J", "J", "J")  # no waiting between the keys
        await editor.settle()
        await editor.settle()
        assert keys(workspace, session.id)[:4] == ["sharing", "sharing", "sharing", "welcome"]
        assert editor.table.cursor_row == 3


async def test_moving_past_either_end_says_so_and_writes_nothing(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    version = workspace.find(None).version
    async with Editor(workspace, session) as editor:
        await editor.press("K")
        assert editor.status == "« Accueil et ouverture » est déjà la première séquence."
        await editor.select(8)
        await editor.press("J")
        assert editor.status == (
            "« Consignes pour le travail d'intersession » est déjà la dernière séquence."
        )
    assert workspace.find(None).version == version


# --- minutes ---------------------------------------------------------------------------------


async def test_resize_by_five_minutes_and_by_typing_then_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.select(6)
        await editor.press("plus")
        assert minutes(workspace, session.id)[6] == 35
        await editor.press("minus", "minus")
        assert minutes(workspace, session.id)[6] == 25
        assert editor.table.cursor_row == 6
        await editor.press("m")
        assert editor.form().query_one("#field-minutes", Input).value == "25"
        await editor.fill(minutes="40")
        await editor.submit()
        assert minutes(workspace, session.id)[6] == 40
        assert editor.row(7)[1] == "11:36"  # the next item starts 10 min later than planned
        await editor.press("u")
        assert minutes(workspace, session.id)[6] == 25
        await editor.press("u", "u", "u")
        assert minutes(workspace, session.id)[6] == 30


async def test_below_the_advised_minimum_is_flagged_not_refused(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("minus", "minus")
        assert minutes(workspace, session.id)[0] == 5
        assert editor.row(0)[2] == "5!"
        notes = str(editor.screen.query_one("#editor-notes", Static).render())
        assert notes == (
            "« Accueil et ouverture » : 5 min, en dessous du minimum conseillé (10 min)."
        )


async def test_a_zero_duration_is_refused_with_the_actions_sentence(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("minus", "minus")
        version = workspace.find(None).version
        await editor.press("minus")
        assert editor.status == t("domain.error.no_duration", value=0)
        assert minutes(workspace, session.id)[0] == 5
        assert workspace.find(None).version == version
        await editor.press("m")
        await editor.fill(minutes="0")
        await editor.submit()
        assert editor.field_error("minutes") == t("domain.error.no_duration", value=0)
        await editor.press("escape", "o")  # and say yes to discarding what was typed
        await editor.press("plus")  # the next edit clears the line
        assert editor.status == ""


async def test_an_agenda_past_the_end_of_its_day_is_refused(workspace: Workspace) -> None:
    _store, session = build(workspace, "etat-des-lieux-journee")
    async with Editor(workspace, session) as editor:
        end = str(editor.screen.query_one("#editor-end", Static).render())
        assert end.startswith(
            "Fin prévue à 16:50 · 10 min de marge avant la fin de journée (17:00)"
        )
        await editor.select(13)
        await editor.press("m")
        await editor.fill(minutes="30")
        await editor.submit()
        assert editor.field_error("minutes") == t("agenda.error.past_end", minutes=5, end="17:00")
        await editor.press("escape", "o")  # and say yes to discarding what was typed
        await editor.press("plus", "plus", "plus")
        assert editor.status == t("agenda.error.past_end", minutes=5, end="17:00")
        assert minutes(workspace, session.id)[13] == 25
        end = str(editor.screen.query_one("#editor-end", Static).render())
        assert end.startswith("Fin prévue à 17:00, juste à la fin de journée")


# --- titles, fixed times, round tables -----------------------------------------------------


async def test_rename_then_undo_and_an_empty_title_brings_the_templates_back(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.select(6)
        await editor.press("r")
        await editor.fill(title="Nos constats, nos questions")
        await editor.submit()
        assert on_disk(workspace, session.id).agenda[6].title == "Nos constats, nos questions"
        assert editor.row(6)[5] == "Nos constats, nos questions"
        await editor.press("u")
        assert on_disk(workspace, session.id).agenda[6].title == ""
        await editor.press("r")
        await editor.fill(title="Nos constats")
        await editor.submit()
        await editor.press("r")
        assert editor.form().query_one("#field-title", Input).value == "Nos constats"
        await editor.fill(title="")
        await editor.submit()
        assert on_disk(workspace, session.id).agenda[6].title == ""
        assert editor.row(6)[5] == "Échanges sur les constats et les problémat…"


async def test_pin_lunch_at_half_past_twelve_and_unpin_it(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("a")
        await editor.fill(title="Déjeuner", minutes="60", position="10")
        await editor.submit()
        assert editor.table.cursor_row == 9
        await editor.press("f")
        await editor.fill(time="12:30")
        await editor.submit()
        lunch = on_disk(workspace, session.id).agenda[9]
        assert lunch.fixed_time == dt.time(12, 30)
        assert editor.row(9)[:5] == ["10", "12:30", "60", "⚑", "+39 min"]
        assert editor.notices()[-1] == "« Déjeuner » fixée à 12:30."
        end = str(editor.screen.query_one("#editor-end", Static).render())
        assert end.splitlines()[-1] == t("agenda_editor.legend")

        await editor.press("f")
        assert editor.form().query_one("#field-time", Input).value == "12:30"
        await editor.fill(time="")
        await editor.submit()
        assert on_disk(workspace, session.id).agenda[9].fixed_time is None
        assert editor.row(9)[:5] == ["10", "11:51", "60", "", ""]
        assert editor.notices()[-1] == "« Déjeuner » n'a plus d'heure fixe."

        await editor.press("u")
        assert on_disk(workspace, session.id).agenda[9].fixed_time == dt.time(12, 30)
        await editor.press("u")
        assert on_disk(workspace, session.id).agenda[9].fixed_time is None


async def test_a_deficit_before_a_fixed_time_shows_in_red(workspace: Workspace) -> None:
    _store, session = build(workspace, "etat-des-lieux-journee")
    async with Editor(workspace, session) as editor:
        await editor.select(5)
        await editor.press("m")
        await editor.fill(minutes="135")
        await editor.submit()
        assert minutes(workspace, session.id)[5] == 135
        assert editor.row(6)[:5] == ["7", "12:30", "60", "⚑", "−5 min"]
        notes = str(editor.screen.query_one("#editor-notes", Static).render())
        assert notes.splitlines()[0] == "Il manque 5 min avant « Déjeuner » à 12:30."


async def test_a_fixed_time_before_the_item_above_is_refused_under_the_field(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    version = workspace.find(None).version
    async with Editor(workspace, session) as editor:
        await editor.select(4)
        await editor.press("f")
        await editor.fill(time="9:20")
        await editor.submit()
        assert editor.field_error("time") == t(
            "agenda.error.out_of_order", title="Pause", time="09:20", position=5
        )
        await editor.fill(time="midi")
        await editor.submit()
        assert editor.field_error("time") == t("domain.error.bad_time", value="midi")
        await editor.press("escape")
    assert workspace.find(None).version == version


async def test_round_table_on_and_off_then_undo(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    store, session = cohort
    before = on_disk(workspace, session.id).agenda
    async with Editor(workspace, session) as editor:
        await editor.select(6)
        await editor.press("t")
        agenda = on_disk(workspace, session.id).agenda
        assert len(agenda) == 11
        slots = agenda[6:9]
        assert all(s.key == "exchanges" and s.per_structure for s in slots)
        assert {s.structure_id for s in slots} == {s.id for s in store.records(Structure)}
        assert editor.row(7)[5] == "Échanges sur les con… — Les Jardins du Lien"
        assert editor.table.cursor_row == 6
        await editor.select(8)  # any slot folds the whole round table back
        await editor.press("t")
        agenda = on_disk(workspace, session.id).agenda
        assert len(agenda) == 9 and not agenda[6].per_structure
        assert editor.table.cursor_row == 6
        await editor.select(2)
        await editor.press("t")  # the template's own round table, folded into one item
        assert [i.key for i in on_disk(workspace, session.id).agenda].count("sharing") == 1
        await editor.press("u", "u", "u")
        assert on_disk(workspace, session.id).agenda == before


# --- templates -------------------------------------------------------------------------------


async def test_change_template_lays_the_day_out_again_and_undo_puts_it_back(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    before = on_disk(workspace, session.id)
    async with Editor(workspace, session) as editor:
        await editor.select(5)
        await editor.press("T")
        form = editor.form()
        labels = [label for label, _value in form.fields[0].choices]
        assert labels == [
            "1re session collective — État des lieux (demi-journée)",
            "1re session collective — État des lieux (journée)",
        ]
        assert form.query_one("#field-template", Select).value == "etat-des-lieux-demi-journee"
        await editor.fill(template="etat-des-lieux-journee")
        await editor.submit()
        after = on_disk(workspace, session.id)
        assert after.template == "etat-des-lieux-journee"
        assert (len(after.agenda), after.end_time) == (14, dt.time(17, 0))
        assert editor.table.row_count == 14 and editor.table.cursor_row == 0
        await editor.press("u")
        undone = on_disk(workspace, session.id)
        assert undone.agenda == before.agenda
        assert (undone.template, undone.end_time) == (before.template, before.end_time)


async def test_save_as_template_offers_it_in_another_cohort_of_the_workspace(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("minus")  # the accueil in 10 min: this cohort's own agenda
        await editor.press("s")
        await editor.fill(name="Matinée Drôme")
        await editor.submit()
        assert editor.notices()[-1] == (
            "Modèle « Matinée Drôme » enregistré : il est proposé dans toutes les cohortes "
            "de l'espace de travail."
        )
        assert editor.status == ""
        await editor.press("s")
        await editor.fill(name="Matinée Drôme")
        await editor.submit()
        assert editor.status == t("agenda.error.template_taken", name="Matinée Drôme")
    other = actions.create_cohort(workspace, now=FIXED_NOW, name="Cohorte Ardèche")
    offered = actions.template_choices(other, SessionKind.STATE_OF_PLAY)
    assert [tpl.label() for tpl in offered][-1] == ("Matinée Drôme (modèle de l'espace de travail)")
    assert offered[-1].items[0].minutes == 10


async def test_an_own_template_is_offered_by_T(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    store, session = cohort
    actions.resize_agenda_item(store, session.id, 0, 5, now=FIXED_NOW)
    actions.save_agenda_as_template(store, session.id, "Accueil court", now=FIXED_NOW)
    actions.resize_agenda_item(store, session.id, 0, 15, now=FIXED_NOW)
    async with Editor(workspace, session) as editor:
        await editor.press("T")
        choices = dict(editor.form().fields[0].choices)
        name = choices["Accueil court (modèle de l'espace de travail)"]
        await editor.fill(template=name)
        await editor.submit()
        assert on_disk(workspace, session.id).agenda[0].minutes == 5


# --- what may not be edited ------------------------------------------------------------------


async def test_undo_with_nothing_to_undo_says_so(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("u")
        assert editor.status == "Rien à annuler depuis l'ouverture de l'agenda."


async def test_once_the_clock_started_every_edit_is_refused(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    store, session = cohort
    async with Editor(workspace, session) as editor:
        await editor.press("plus")  # an edit to undo, made before the clock starts
        actions.press_clock(store, session.id, "start", now=FIXED_NOW)
        editor.app.poll_store()
        await editor.settle()
        assert editor.status == t("agenda_editor.locked")
        version = workspace.find(None).version
        await editor.press("minus")
        assert editor.status == t("actions.error.clock_started")
        await editor.press("u")
        assert editor.status == t("actions.error.clock_started")
        assert len(editor.screen.undo_stack) == 1  # kept: the undo did not happen
        assert workspace.find(None).version == version
        assert minutes(workspace, session.id)[0] == 20


async def test_read_only_disables_every_write_key(workspace: Workspace) -> None:
    _store, session = build(workspace)
    read_only = Workspace(workspace.root, read_only=True)
    async with Editor(read_only, session) as editor:
        screen = editor.screen
        for action in screen.WRITE_ACTIONS:
            assert screen.check_action(action, ()) is None
        assert screen.check_action("back", ()) is True
        await editor.press("a")
        assert isinstance(editor.app.screen, AgendaEditorScreen)  # no form opens
        await editor.press("plus", "d", "J", "u")
        assert editor.status == ""
    assert on_disk(workspace, session.id).agenda == session.agenda


# --- from the live session -------------------------------------------------------------------


async def test_g_on_the_live_screen_opens_the_editor_until_the_clock_starts(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    from screens.session import SessionScreen

    _store, session = cohort
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.open_session(session.id)
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, AgendaEditorScreen)
        assert app.screen.session_id == session.id
        await pilot.press("plus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("space")  # before the session's day: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # the clock starts
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert [n.message for n in app._notifications][-1] == t("agenda_editor.locked")
    assert minutes(workspace, session.id)[0] == 20


# --- how it looks ----------------------------------------------------------------------------


def test_snapshot_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """A full day with lunch pinned, a deficit before it and an item below its minimum."""
    workspace = Workspace(tmp_path / "ws")
    store, session = build(workspace, "etat-des-lieux-journee")
    actions.resize_agenda_item(store, session.id, 5, 135, now=FIXED_NOW)  # −5 before lunch
    actions.resize_agenda_item(store, session.id, 8, 40, now=FIXED_NOW)  # below its minimum
    app = make_app(workspace)

    async def open_editor(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        pilot.app.push_screen(AgendaEditorScreen(session.id))
        await pilot.pause()
        pilot.app.screen.table.move_cursor(row=6)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_editor)


async def test_the_editor_speaks_english_when_asked(
    workspace: Workspace, cohort: tuple[CohortStore, Session]
) -> None:
    from facilitator.i18n import set_language

    set_language("en")
    _store, session = cohort
    async with Editor(workspace, session) as editor:
        headers = [c.label.plain for c in editor.table.columns.values()]
        assert headers == ["#", "Start", "Min", "Fixed", "Slack", "Item"]
        end = str(editor.screen.query_one("#editor-end", Static).render())
        assert end == "Planned end 11:51 · no fixed end of day"
        await editor.press("K")
        assert editor.status == '"Welcome and opening" is already the first item.'


async def test_h_moves_the_end_of_the_day_from_the_editor(workspace: Workspace) -> None:
    """A refused edit asks for a later end of day: h gives the session's hours here."""
    _store, session = build(workspace, template="etat-des-lieux-journee")
    async with Editor(workspace, session) as editor:
        await editor.press("h")
        await editor.fill(end_time="17:30")
        await editor.submit()
        assert isinstance(editor.app.screen, AgendaEditorScreen)
        assert on_disk(workspace, session.id).end_time == dt.time(17, 30)
