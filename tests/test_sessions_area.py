"""The Sessions area from the keyboard: propose and apply the programme from an empty
workspace, propose it again over sessions that hold notes, add, edit and delete a
session, bad input said next to its field with nothing written, and read-only mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from facilitator import actions
from facilitator.capture import CaptureDraft
from facilitator.domain import Cohort, Note, NoteKind, Session, SessionKind, Structure
from facilitator.programme import Change
from facilitator.store import CohortStore
from facilitator.view import CohortView
from facilitator.workspace import Workspace
from screens.app import FacilitatorApp
from screens.dashboard import DashboardScreen
from screens.dialogs.checked_form import CheckedFormScreen
from screens.dialogs.cohort_settings import CohortSettingsScreen
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.programme import (
    ProgrammeChoicesScreen,
    ProgrammePreviewScreen,
    change_words,
    preview,
)
from screens.session import SessionScreen
from screens.sessions import SessionsScreen, removal_question, short_title
from tests.conftest import FIXED_NOW, make_app

NAMES = ("Les Jardins du Lien", "Vélo-École de Crest", "Radio Méga")


async def settle(app: FacilitatorApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def fresh(path: Path) -> CohortView:
    """The cohort as another process reads it from disk now."""
    return CohortView.load(CohortStore(path))


def fill(form: Any, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#field-{name}", Input).value = value


def error_of(form: Any, name: str) -> str:
    return str(form.query_one(f"#error-{name}").render())


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def a_cohort(workspace: Workspace, *names: str, start: dt.date | None = None) -> CohortStore:
    store = actions.create_cohort(
        workspace, now=FIXED_NOW, name="Collectif Drôme", start_date=start
    )
    for name in names:
        actions.add_structure(store, now=FIXED_NOW, name=name)
    return store


def note_in(store: CohortStore, session: Session, structure: Structure) -> Note:
    draft = CaptureDraft(
        kind=NoteKind.FINDING,
        text="le bénévolat s'essouffle",
        structure_id=structure.id,
        lever=None,
        das="",
    )
    return actions.capture_note(store, draft, now=FIXED_NOW, session_id=session.id)


async def open_sessions(app: FacilitatorApp, pilot: Pilot[None]) -> SessionsScreen:
    await settle(app, pilot)
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(app.screen, SessionsScreen)
    return app.screen


# --- the programme ----------------------------------------------------------------------


async def test_from_an_empty_workspace_the_programme_is_proposed_and_applied(
    tmp_path: Path,
) -> None:
    workspace = Workspace(tmp_path / "ws")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, CohortSettingsScreen)
        fill(form, name="Collectif Drôme", start_date="2027-01-11")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        [path] = workspace.cohort_files()
        store = CohortStore(path)
        for name in NAMES:
            actions.add_structure(store, now=FIXED_NOW, name=name)
        app.poll_store()

        screen = await open_sessions(app, pilot)
        empty = text_of(screen, "#sessions-empty")
        assert "p pour proposer le programme" in empty and "a pour ajouter" in empty
        assert screen.query_one("#sessions-empty").display
        assert not screen.query_one("#sessions").display
        bindings = {b.binding.action: b for b in screen.active_bindings.values()}
        assert bindings["propose"].enabled and bindings["propose"].binding.show
        assert not bindings["edit_session"].enabled  # nothing to edit yet
        palette = [command.title for command in app.get_system_commands(screen)]
        assert "Programme" in palette

        await pilot.press("p")
        choices = app.screen
        assert isinstance(choices, ProgrammeChoicesScreen)
        assert choices.query_one("#field-start", Input).value == "2027-01-11"
        assert choices.query_one("#field-intro", Select).value == "court"
        choices.query_one("#field-collective", Select).value = "journee"
        await pilot.press("enter")
        await settle(app, pilot)
        shown = app.screen
        assert isinstance(shown, ProgrammePreviewScreen)
        assert "S1 · État des lieux" in shown_preview(shown)
        assert fresh(path).sessions == ()  # a preview writes nothing

        # Escape goes back to the choices, as they were left.
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgrammeChoicesScreen)
        assert app.screen.query_one("#field-collective", Select).value == "journee"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgrammePreviewScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionsScreen)

        view = fresh(path)
        kinds = [s.kind for s in view.sessions]
        assert (
            kinds
            == [SessionKind.INTRO, SessionKind.STATE_OF_PLAY, SessionKind.EVOLUTION]
            + [SessionKind.BILAN] * 3
        )
        intro = view.sessions[0]
        assert intro.date == dt.date(2027, 1, 11)
        assert view.sessions[1].template == "etat-des-lieux-journee"
        assert {view.structure(s.structure_id).name for s in view.sessions[3:]} == set(NAMES)  # type: ignore[union-attr]
        assert view.cohort.start_date == dt.date(2027, 1, 11)
        assert screen.query_one("#sessions").display
        assert not screen.query_one("#sessions-missing").display  # every structure has its bilan

        # Enter still opens the live screen of the selected session.
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionScreen)


async def test_the_preview_lists_sessions_time_and_warnings(workspace: Workspace) -> None:
    store = a_cohort(workspace, *NAMES, start=dt.date(2027, 1, 11))
    proposal = actions.propose(store, now=FIXED_NOW, collective="journee")
    view = CohortView.load(store)
    lines = _rendered(preview(proposal, view, lambda s: short_title(s, view)))
    assert "Du lundi 11 janvier 2027 au" in lines and "6 sessions" in lines
    assert "S1 · État des lieux" in lines and "Bilan · Radio Méga" in lines
    assert "lun 11 janvier" in lines and "09:30–" in lines
    assert "2,4 jours en session + 3 jours de travaux préparatoires = 5,4 jours" in lines
    assert "la démarche prévoit 4 à 6 jours" in lines
    # No consultant days given: the guidance's warning is there, with what to do.
    assert "⚠" in lines and "Prévoyez" in lines
    assert "nouvelle" not in lines  # a first programme does not say « new » on every line


def shown_preview(screen: ProgrammePreviewScreen) -> str:
    """The words of the preview the dialog shows."""
    return _rendered(preview(screen.proposal, screen.cohort_view, screen.name_of))


def _rendered(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=76, record=True, color_system=None)
    console.print(renderable)
    return " ".join(console.export_text().split())  # the words, whatever the wrapping


async def test_proposing_again_only_adds_what_is_missing(workspace: Workspace) -> None:
    """A structure that joined late: p, then Enter twice, adds its bilan and moves nothing."""
    store = a_cohort(workspace, *NAMES, start=dt.date(2027, 1, 11))
    actions.apply_programme(store, now=FIXED_NOW)
    before = {s.id: s for s in CohortView.load(store).sessions}
    late = actions.add_structure(store, now=FIXED_NOW, name="Ludothèque Le Dé")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions(app, pilot)
        await pilot.press("p")
        assert isinstance(app.screen, ProgrammeChoicesScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        shown = app.screen
        assert isinstance(shown, ProgrammePreviewScreen)
        assert [p.change for p in shown.proposal.changes] == [Change.NEW]
        await pilot.press("enter")
        await settle(app, pilot)
    after = {s.id: s for s in fresh(store.path).sessions}
    assert {k: v.date for k, v in after.items() if k in before} == {
        k: v.date for k, v in before.items()
    }
    assert [s.structure_id for k, s in after.items() if k not in before] == [late.id]


async def test_proposing_again_keeps_the_session_holding_a_note(workspace: Workspace) -> None:
    store = a_cohort(workspace, *NAMES, start=dt.date(2027, 1, 11))
    actions.apply_programme(store, now=FIXED_NOW)
    before = CohortView.load(store)
    state_of_play = next(s for s in before.sessions if s.kind == SessionKind.STATE_OF_PLAY)
    note = note_in(store, state_of_play, before.structures[0])
    late = actions.add_structure(store, now=FIXED_NOW, name="Ludothèque Le Dé")

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sessions(app, pilot)
        missing = screen.query_one("#sessions-missing", Static)
        assert missing.display
        assert str(missing.render()) == (
            "1 structure sans bilan : Ludothèque Le Dé — p pour le proposer"
        )

        await pilot.press("p")
        choices = app.screen
        assert isinstance(choices, ProgrammeChoicesScreen)
        fill(choices, start="2027-01-18")  # a week later
        redate = choices.query_one("#field-redate", Checkbox)
        assert not redate.value  # by default the dates already chosen are kept
        redate.value = True
        await pilot.press("enter")
        await settle(app, pilot)
        shown = app.screen
        assert isinstance(shown, ProgrammePreviewScreen)
        changes = {p.session.id: p for p in shown.proposal.sessions}
        assert changes[state_of_play.id].change is Change.KEPT
        assert change_words(changes[state_of_play.id], shown.cohort_view) == "gardée : 1 note"
        lines = shown_preview(shown)
        assert "gardée : 1 note" in lines and "nouvelle" in lines and "déplacée" in lines
        says = text_of(shown, "#programme-apply-says")
        assert "1 session ajoutée" in says and "rien n'est supprimé" in says
        await pilot.press("enter")
        await settle(app, pilot)

        after = fresh(store.path)
        kept = after.session(state_of_play.id)
        assert kept is not None and kept.date == state_of_play.date  # not moved
        intro = next(s for s in after.sessions if s.kind == SessionKind.INTRO)
        assert intro.date == dt.date(2027, 1, 18)
        assert after.bilan_of(late.id) is not None
        assert [n.session_id for n in after.notes] == [state_of_play.id]
        assert note.id == after.notes[0].id
        assert len(after.sessions) == len(before.sessions) + 1
        assert not screen.query_one("#sessions-missing").display


async def test_a_bad_programme_start_is_said_next_to_the_field(workspace: Workspace) -> None:
    store = a_cohort(workspace, *NAMES)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions(app, pilot)
        await pilot.press("p")
        choices = app.screen
        # No start date yet: today where the sessions take place.
        assert choices.query_one("#field-start", Input).value == "2026-11-26"
        fill(choices, start="2026-02-30")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is choices
        assert "2026-02-30" in error_of(choices, "start")
        await pilot.press("escape", "o")  # and say yes to discarding what was typed
        await settle(app, pilot)
        assert isinstance(app.screen, SessionsScreen)
    assert fresh(store.path).sessions == ()


# --- one session ------------------------------------------------------------------------


async def test_add_edit_and_delete_a_session(workspace: Workspace) -> None:
    store = a_cohort(workspace, *NAMES)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sessions(app, pilot)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, CheckedFormScreen)
        assert form.query_one("#field-kind", Select).value == "intro"  # the first one missing

        # An impossible date: its sentence under the date, nothing written.
        fill(form, date="2026-02-30", start_time="14:00", end_time="13:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "2026-02-30" in error_of(form, "date")
        # The date fixed, the end before the start is said under the end.
        fill(form, date="2027-01-12")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_of(form, "date") == ""
        assert "13:00" in error_of(form, "end_time") and "14:00" in error_of(form, "end_time")
        assert form.focused is form.query_one("#field-end_time")
        # An end too early for the agenda (90 minutes from 14:00): said there too.
        fill(form, end_time="15:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "15:00" in error_of(form, "end_time")
        assert fresh(store.path).sessions == ()

        fill(form, end_time="16:00", place="Salle des fêtes, Crest")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionsScreen)
        [intro] = fresh(store.path).sessions
        assert (intro.kind, intro.date, intro.start_time, intro.end_time, intro.place) == (
            SessionKind.INTRO,
            dt.date(2027, 1, 12),
            dt.time(14, 0),
            dt.time(16, 0),
            "Salle des fêtes, Crest",
        )
        assert intro.template == "intro-court" and intro.agenda

        # Edit: the form shows the session; only what changes is written.
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CheckedFormScreen)
        assert form.query_one("#field-start_time", Input).value == "14:00"
        fill(form, start_time="17:00")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is form
        assert "17:00" in error_of(form, "end_time")  # would end before it starts
        fill(form, start_time="14:00", date="2027-01-19", place="https://visio.example/drome")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionsScreen)
        [moved] = fresh(store.path).sessions
        assert (moved.date, moved.place, moved.start_time, moved.end_time) == (
            dt.date(2027, 1, 19),
            "https://visio.example/drome",
            dt.time(14, 0),
            dt.time(16, 0),
        )

        # Delete: the question says the note stays; the note is kept, without a session.
        view = fresh(store.path)
        note = note_in(store, moved, view.structures[0])
        app.poll_store()
        await settle(app, pilot)
        await pilot.press("d")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Supprimer « Session introductive », mardi 19 janvier\u00a0?" in question.question
        assert "Sa note est gardée" in question.question
        await pilot.press("n")  # no: nothing happens
        await settle(app, pilot)
        assert len(fresh(store.path).sessions) == 1
        await pilot.press("d")
        await pilot.press("y")
        await settle(app, pilot)
        after = fresh(store.path)
        assert after.sessions == ()
        assert [(n.id, n.session_id) for n in after.notes] == [(note.id, None)]
        assert screen.query_one("#sessions-empty").display
        # Undone: the session is back, with its note attached again.
        await pilot.press("u")
        await settle(app, pilot)
        back = fresh(store.path)
        assert back.sessions == (moved,)
        assert [(n.id, n.session_id) for n in back.notes] == [(note.id, moved.id)]


async def test_a_bilan_is_added_for_a_structure_without_one(workspace: Workspace) -> None:
    store = a_cohort(workspace, *NAMES, start=dt.date(2027, 1, 11))
    actions.apply_programme(store, now=FIXED_NOW)
    late = actions.add_structure(store, now=FIXED_NOW, name="Ludothèque Le Dé")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions(app, pilot)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, CheckedFormScreen)
        assert form.query_one("#field-kind", Select).value == "bilan"
        structure = form.query_one("#field-structure_id", Select)
        assert structure.value == late.id  # only the structures without a bilan are offered
        fill(form, date="2027-05-04")
        form.query_one("#field-date", Input).focus()
        await pilot.press("enter")  # Enter in a text field saves
        await settle(app, pilot)
    bilan = fresh(store.path).bilan_of(late.id)
    assert bilan is not None and bilan.date == dt.date(2027, 5, 4)


def test_the_deletion_question_names_what_goes_and_what_stays(workspace: Workspace) -> None:
    from facilitator.actions import Removal

    gone = Removal(name="Bilan · Radio Méga", attendance=2, clock=3, bilans=1, kept_notes=4)
    assert removal_question(gone, "mardi 4 mai") == (
        "Supprimer « Bilan · Radio Méga », mardi 4 mai\u00a0? "
        "Partent avec elle : 2 marques de présence, "
        "3 appuis sur le chrono et le compte rendu du bilan. Ses 4 notes sont gardées, "
        "dans le fil de chaque structure, sans session."
    )
    assert removal_question(Removal(name="S2"), "à dater") == (
        "Supprimer « S2 », à dater\u00a0? Rien n'y a encore été noté."
    )


async def test_read_only_disables_the_session_keys(workspace: Workspace) -> None:
    store = a_cohort(workspace, *NAMES, start=dt.date(2027, 1, 11))
    actions.apply_programme(store, now=FIXED_NOW)
    before = store.path.read_bytes()
    app = make_app(Workspace(workspace.root, read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sessions(app, pilot)
        await pilot.press("p", "a", "e", "d")
        await settle(app, pilot)
        assert app.screen is screen
        disabled = {b.binding.action for b in screen.active_bindings.values() if not b.enabled}
        assert {
            "propose",
            "add_session",
            "edit_session",
            "delete_session",
            "undo_removal",
        } <= disabled
        await pilot.press("enter")  # reading is still allowed: the live screen opens
        await settle(app, pilot)
        assert isinstance(app.screen, SessionScreen)
    assert store.path.read_bytes() == before
    assert CohortStore(store.path).records(Cohort)[0].start_date == dt.date(2027, 1, 11)


async def test_a_session_moved_to_a_saturday_before_its_stage_is_saved_and_said(
    workspace: Workspace,
) -> None:
    store = a_cohort(workspace, *NAMES, start=dt.date(2027, 1, 11))
    actions.apply_programme(store, now=FIXED_NOW)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sessions(app, pilot)
        table = screen.query_one("#sessions", DataTable)
        evolution = next(s for s in fresh(store.path).sessions if s.kind == SessionKind.EVOLUTION)
        table.move_cursor(row=table.get_row_index(evolution.id))
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CheckedFormScreen)
        fill(form, date="2027-02-20")  # a Saturday, before the état des lieux of 22 February
        await pilot.press("enter")
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
    moved = next(s for s in fresh(store.path).sessions if s.kind == SessionKind.EVOLUTION)
    assert moved.date == dt.date(2027, 2, 20)  # saved: the facilitator may have a reason
    assert any("samedi 20 février 2027 n'est pas un jour ouvré" in m for m in said), said
    assert any("avant la 1re session collective" in m for m in said), said
