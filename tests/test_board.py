"""The participant board: the matrix on the demo, sorting, the forms and deletions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from rich.console import Console
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from facilitator.domain import (
    Attendance,
    Note,
    Participant,
    PreparatoryTask,
    Presence,
    Role,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import set_language
from facilitator.store import CohortStore
from facilitator.text import fold
from facilitator.view import CohortView
from facilitator.views.board import BoardSort, board_rows, sort_rows
from facilitator.workspace import Workspace
from screens.app import FacilitatorApp
from screens.board import (
    BoardScreen,
    changed_fields,
    participant_removal,
    removal_question,
    structure_removal,
)
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.form import FormScreen
from screens.widgets.board_matrix import BoardMatrix
from screens.widgets.structure_detail import StructureDetail
from tests.conftest import FIXED_NOW, make_app

TODAY = FIXED_NOW.to("Europe/Paris").date()


async def settle(app: FacilitatorApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_board(app: FacilitatorApp, pilot: Pilot[None]) -> BoardScreen:
    await settle(app, pilot)
    await pilot.press("2")
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)
    return app.screen


def fresh(app: FacilitatorApp) -> CohortView:
    """The cohort as another process reads it from disk now."""
    assert app.store is not None
    return CohortView.load(CohortStore(app.store.path))


def view_of(app: FacilitatorApp) -> CohortView:
    assert app.view is not None
    return app.view


def by_name(view: CohortView, name: str) -> Structure:
    return next(s for s in view.structures if s.name == name)


def cell(matrix: BoardMatrix, structure_id: str, column: str) -> str:
    return matrix.get_cell(structure_id, column).plain


def row_ids(matrix: BoardMatrix) -> list[str]:
    return [str(row.key.value) for row in matrix.ordered_rows]


def notices(app: FacilitatorApp) -> list[str]:
    return [n.message for n in app._notifications]


async def put_cursor_on(screen: BoardScreen, pilot: Pilot[None], structure_id: str) -> None:
    screen.matrix.focus()
    screen.matrix.move_cursor(row=row_ids(screen.matrix).index(structure_id))
    await pilot.pause()
    assert screen.detail.shown_id == structure_id


def form(app: FacilitatorApp) -> FormScreen:
    assert isinstance(app.screen, FormScreen)
    return app.screen


def shown_text(static: Static) -> str:
    """What a Static shows, as plain text, whatever it was given (markup, Rich table)."""
    console = Console(width=200, record=True, file=io.StringIO())
    content = static.content
    console.print(content.plain if isinstance(content, Content) else content)
    return console.export_text()


def error_text(screen: FormScreen, name: str) -> str:
    error = screen.query_one(f"#error-{name}")
    return str(error.render()) if error.has_class("shown") else ""


# --- the matrix ---------------------------------------------------------------------------


def expected_cell(view: CohortView, structure: Structure, kind: SessionKind) -> str:
    """The cell worked out the long way, to check the board's arithmetic against."""
    if kind == SessionKind.BILAN:
        session = view.bilan_of(structure.id)
    else:
        session = next(s for s in view.sessions if s.kind == kind and s.structure_id is None)
    assert session is not None and session.date is not None
    if session.date >= TODAY:
        return session.date.strftime("%d/%m")
    people = view.participants_of(structure.id)
    here = [
        p
        for p in people
        if (mark := view.presence(session.id, p.id)) is not None
        and mark.presence == Presence.PRESENT
    ]
    governance = any(p.speaks_for_governance for p in here)
    return f"{len(here)}/{len(people)} {'G' if governance else ' '}"


async def test_the_matrix_shows_who_came_and_whether_the_governance_did(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        matrix = screen.matrix
        assert matrix.row_count == len(view.structures) == 7
        for structure in view.structures:
            for kind in SessionKind:
                assert cell(matrix, structure.id, kind.value) == expected_cell(
                    view, structure, kind
                ), (structure.name, kind)
            assert cell(matrix, structure.id, "notes") == str(len(view.notes_of(structure.id)))

        # A few read straight from the demo data, in case both computations agree wrongly.
        jardins = by_name(view, "Les Jardins du Martinet")
        compagnie = by_name(view, "Compagnie du Grand Écart")
        sport = by_name(view, "Entente sportive du Val de Gervanne")
        escale = by_name(view, "Centre social L'Escale")
        assert cell(matrix, jardins.id, "intro") == "2/3 G"  # the treasurer was excused
        assert cell(matrix, jardins.id, "etat-des-lieux") == "3/3 G"
        assert cell(matrix, compagnie.id, "intro").rstrip() == "2/2"  # no governance at all
        assert cell(matrix, sport.id, "etat-des-lieux").rstrip() == "1/2"  # the chair excused
        assert cell(matrix, jardins.id, "prep") == "1/2"
        assert cell(matrix, escale.id, "prep") == "1/1 ✓"
        assert cell(matrix, sport.id, "prep") == "0/1 !"  # due before session 1, not done

        # The detail follows the cursor: participants with contacts, tasks, concerns.
        await put_cursor_on(screen, pilot, compagnie.id)
        detail = screen.query_one(StructureDetail)
        assert detail.border_title == compagnie.name
        people = screen.people
        assert [o.id for o in people.options] == [p.id for p in view.participants_of(compagnie.id)]
        prompts = " ".join(str(o.prompt) for o in people.options)
        assert "lea.fontaine@example.org" in prompts and "06 00 00 00 04" in prompts
        concerns = shown_text(screen.query_one("#detail-concerns", Static))
        assert "gouvernance" in concerns.lower() and "→" in concerns


async def test_s_cycles_the_sort_and_says_which_it_is(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        rows = board_rows(view, TODAY)
        hint = screen.query_one("#board-sort")
        by_names = [s.id for s in sorted(view.structures, key=lambda s: fold(s.name))]
        assert row_ids(screen.matrix) == by_names
        assert "nom" in str(hint.render())

        await pilot.press("s")
        assert screen.sort == BoardSort.NOTES
        counts = [len(view.notes_of(i)) for i in row_ids(screen.matrix)]
        assert counts == sorted(counts)
        assert "notes" in str(hint.render())

        await pilot.press("s")
        assert screen.sort == BoardSort.ATTENDANCE
        rates = {r.structure.id: r.attendance_rate or 0 for r in rows}
        shown = [rates[i] for i in row_ids(screen.matrix)]
        assert shown == sorted(shown) and "présence" in str(hint.render())

        await pilot.press("s")
        assert screen.sort == BoardSort.PREP
        assert row_ids(screen.matrix) == [r.structure.id for r in sort_rows(rows, BoardSort.PREP)]
        assert "travaux" in str(hint.render())

        await pilot.press("s")
        assert screen.sort == BoardSort.NAME
        assert row_ids(screen.matrix) == by_names


async def test_a_click_on_a_header_sorts_by_that_column(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        matrix = screen.matrix
        columns = list(matrix.columns.values())
        notes = next(i for i, c in enumerate(columns) if c.key.value == "notes")
        x = sum(c.get_render_width(matrix) for c in columns[:notes]) + 1
        await pilot.click(matrix, offset=(x, 0))
        await pilot.pause()
        assert screen.sort == BoardSort.NOTES


async def test_wide_the_participants_sit_under_the_matrix(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        people = screen.people
        assert people.parent is not None and people.parent.id == "board-people"
        assert screen.query_one("#board-detail ParticipantsSection").display is False
        escale = by_name(view, "Centre social L'Escale")
        assert [o.id for o in people.options] == [p.id for p in view.participants_of(escale.id)]
        await pilot.press("tab")  # straight from the matrix to its participants
        assert app.focused is people
        await pilot.press("e")
        edit = form(app)
        assert edit.query_one("#field-name", Input).value == view.participants_of(escale.id)[0].name
        await pilot.press("escape")
        await pilot.press("shift+tab")
        assert app.focused is screen.matrix


def test_sorting_puts_structures_with_nothing_to_compare_last(demo_workspace: Workspace) -> None:
    view = CohortView.load(demo_workspace.open(demo_workspace.cohort_files()[0]))
    rows = board_rows(view, TODAY)
    before_anything = board_rows(view, dt.date(2000, 1, 1))  # no session held yet
    assert all(r.attendance_rate is None for r in before_anything)
    assert [r.structure.name for r in sort_rows(before_anything, BoardSort.ATTENDANCE)] == [
        r.structure.name for r in sort_rows(rows, BoardSort.NAME)
    ]
    prep = sort_rows(rows, BoardSort.PREP)
    rates = [r.prep_rate for r in prep]
    assert rates == sorted(rates, key=lambda v: (v is None, v or 0))


# --- adding -------------------------------------------------------------------------------


async def test_a_bad_creation_date_is_flagged_under_its_field_and_nothing_saved(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        await pilot.press("a")
        new = form(app)
        new.query_one("#field-name", Input).value = "Ludothèque Le Dé Vert"
        new.query_one("#field-created", Input).value = "31/02/2019"
        new.query_one("#field-das", Input).value = "Prêt de jeux, Animations en EHPAD"
        await pilot.press("ctrl+s")
        assert app.screen is new  # refused
        assert "AAAA-MM-JJ" in error_text(new, "created")
        assert error_text(new, "name") == ""
        assert len(fresh(app).structures) == 7

        new.query_one("#field-created", Input).value = "2031-01-01"
        await pilot.press("ctrl+s")
        assert app.screen is new
        assert "futur" in error_text(new, "created")

        new.query_one("#field-created", Input).value = "12/09/2018"
        await pilot.pause()
        assert error_text(new, "created") == ""  # cleared as soon as it is right
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "Structure « Ludothèque Le Dé Vert » ajoutée." in notices(app)

        added = by_name(fresh(app), "Ludothèque Le Dé Vert")
        assert added.created == dt.date(2018, 9, 12)
        assert added.das == ["Prêt de jeux", "Animations en EHPAD"]
        assert added.employer and added.general_interest
        assert screen.matrix.selected_id == added.id  # the cursor went to it
        assert cell(screen.matrix, added.id, "intro") == "0/0"


async def test_a_name_already_in_the_cohort_is_refused(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_board(app, pilot)
        await pilot.press("a")
        new = form(app)
        new.query_one("#field-name", Input).value = "ressourcerie la trame"
        await pilot.press("ctrl+s")
        assert app.screen is new
        assert "déjà" in error_text(new, "name")


async def test_add_a_participant_whose_governance_follows_the_role(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        compagnie = by_name(view_of(app), "Compagnie du Grand Écart")
        await put_cursor_on(screen, pilot, compagnie.id)
        await pilot.press("p")
        new = form(app)
        assert new.query_one("#field-structure_id", Select).value == compagnie.id
        # The company already has its director: the next person is "other", not governance.
        assert new.query_one("#field-role", Select).value == Role.OTHER.value
        governance = new.query_one("#field-governance", Checkbox)
        assert governance.value is False
        new.query_one("#field-role", Select).value = Role.PRESIDENT.value
        await pilot.pause()
        assert governance.value is True  # follows the role until ticked by hand

        new.query_one("#field-name", Input).value = "Hélène Garnier"
        new.query_one("#field-email", Input).value = "helene.garnier@"
        await pilot.press("ctrl+s")
        assert app.screen is new
        assert "e-mail" in error_text(new, "email")
        new.query_one("#field-email", Input).value = "helene.garnier@example.org"
        new.query_one("#field-phone", Input).value = "06 00 00 00 99"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "« Hélène Garnier » ajouté·e." in notices(app)

        person = next(p for p in fresh(app).participants if p.name == "Hélène Garnier")
        assert (person.structure_id, person.role, person.governance) == (
            compagnie.id,
            Role.PRESIDENT,
            True,
        )
        assert (person.email, person.phone) == ("helene.garnier@example.org", "06 00 00 00 99")
        assert cell(screen.matrix, compagnie.id, "intro").rstrip() == "2/3"
        assert screen.people.selected_id == person.id


async def test_a_governance_box_ticked_by_hand_stays_as_ticked(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_board(app, pilot)
        await pilot.press("p")
        new = form(app)
        governance = new.query_one("#field-governance", Checkbox)
        governance.value = True
        await pilot.pause()
        new.query_one("#field-role", Select).value = Role.OTHER.value
        await pilot.pause()
        assert governance.value is True


# --- editing ------------------------------------------------------------------------------


async def test_editing_writes_only_the_changed_field_and_keeps_a_concurrent_edit(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        jardins = by_name(view_of(app), "Les Jardins du Martinet")
        await put_cursor_on(screen, pilot, jardins.id)
        await pilot.press("e")
        edit = form(app)
        assert edit.query_one("#field-name", Input).value == jardins.name
        assert edit.query_one("#field-created", Input).value == "2004-03-15"
        edit.query_one("#field-sector", Input).value = "Insertion et maraîchage biologique"

        # Meanwhile, another facilitator changes the network of the same structure.
        assert app.store is not None
        CohortStore(app.store.path).patch(Structure, jardins.id, {"network": "Réseau Cocagne"})

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Structure « Les Jardins du Martinet » enregistrée." in notices(app)
        after = fresh(app).structure(jardins.id)
        assert after is not None
        assert after.sector == "Insertion et maraîchage biologique"
        assert after.network == "Réseau Cocagne"  # their edit survives ours
        unchanged = {k: v for k, v in after.to_doc().items() if k not in ("sector", "network")}
        assert unchanged == {
            k: v for k, v in jardins.to_doc().items() if k not in ("sector", "network")
        }


async def test_edit_a_participant_from_the_detail_pane(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        jardins = by_name(view, "Les Jardins du Martinet")
        await put_cursor_on(screen, pilot, jardins.id)
        await pilot.press("tab", "tab")  # the detail, then its participants
        assert app.focused is screen.people
        await pilot.press("down")
        person = view.participants_of(jardins.id)[1]
        assert screen.people.selected_id == person.id
        await pilot.press("enter")
        edit = form(app)
        assert edit.query_one("#field-name", Input).value == person.name
        assert edit.query_one("#field-governance", Checkbox).value == person.governance
        edit.query_one("#field-phone", Input).value = "04 75 00 00 00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        after = next(p for p in fresh(app).participants if p.id == person.id)
        assert after.to_doc() == {**person.to_doc(), "phone": "04 75 00 00 00"}
        assert "enregistré·e" in notices(app)[-1]


def test_changed_fields_compares_with_the_record_as_the_form_opened() -> None:
    person = Participant(structure_id="s", name="Ana", role=Role.PRESIDENT, governance=True)
    values: dict[str, Any] = {
        "name": "Ana",
        "structure_id": "s",
        "role": "president",
        "governance": True,
        "email": "",
        "phone": "",
    }
    assert changed_fields(person, values) == {}
    assert changed_fields(person, {**values, "role": "tresorier"}) == {"role": "tresorier"}


# --- deleting -----------------------------------------------------------------------------


async def test_delete_a_participant_after_confirmation(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        jardins = by_name(view, "Les Jardins du Martinet")
        await put_cursor_on(screen, pilot, jardins.id)
        screen.people.focus()
        await pilot.pause()
        person = view.participants_of(jardins.id)[0]
        marks = [a for a in view.attendance if a.participant_id == person.id]
        assert len(marks) == 2

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert person.name in app.screen.question
        assert "2 relevés de présence" in app.screen.question
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert len(fresh(app).participants) == len(view.participants)

        await pilot.press("d")
        await pilot.press("o")
        await settle(app, pilot)
        after = fresh(app)
        assert person.id not in {p.id for p in after.participants}
        assert not [a for a in after.attendance if a.participant_id == person.id]
        assert len(after.attendance) == len(view.attendance) - 2
        assert any(n.startswith(f"« {person.name} » supprimé·e.") for n in notices(app))
        # Bernard Chevalier was the chair: the introduction now shows no governance.
        assert person.name == "Bernard Chevalier"
        assert cell(screen.matrix, jardins.id, "intro") == "1/2  "


async def test_delete_a_structure_with_all_that_belongs_to_it(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        jardins = by_name(view, "Les Jardins du Martinet")
        people = {p.id for p in view.participants_of(jardins.id)}
        notes = view.notes_of(jardins.id)
        await put_cursor_on(screen, pilot, jardins.id)

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert jardins.name in question
        for words in (
            "3 participant·es",
            "6 relevés de présence",
            "2 travaux préparatoires",
            f"{len(notes)} notes",
            "sa session de bilan individuel",
        ):
            assert words in question, words
        await pilot.press("n")
        await settle(app, pilot)
        assert fresh(app).structure(jardins.id) is not None

        await pilot.press("delete")
        await pilot.press("y")
        await settle(app, pilot)
        after = fresh(app)
        assert after.structure(jardins.id) is None
        assert not people & {p.id for p in after.participants}
        assert not [a for a in after.attendance if a.participant_id in people]
        assert not [t for t in after.tasks if t.structure_id == jardins.id]
        assert not after.notes_of(jardins.id)
        assert after.bilan_of(jardins.id) is None
        assert len(after.structures) == 6 and len(after.participants) == len(view.participants) - 3
        assert any(
            n.startswith("Structure « Les Jardins du Martinet » supprimée.") and "u annule" in n
            for n in notices(app)
        )
        assert jardins.id not in row_ids(screen.matrix)

        await pilot.press("u")  # the deletion undone: the structure and all it took are back
        await settle(app, pilot)
        back = fresh(app)
        assert back.structure(jardins.id) is not None
        assert {p.id for p in back.participants_of(jardins.id)} == people
        assert len(back.notes_of(jardins.id)) == len(notes)
        assert back.bilan_of(jardins.id) is not None
        assert jardins.id in row_ids(screen.matrix)
        await pilot.press("u")
        await settle(app, pilot)
        assert "Aucune suppression à annuler ici." in notices(app)


def test_a_structure_is_deleted_in_one_write(demo_workspace: Workspace) -> None:
    store = demo_workspace.open(demo_workspace.cohort_files()[0])
    view = CohortView.load(store)
    escale = by_name(view, "Centre social L'Escale")
    removal = structure_removal(view, escale.id)
    assert removal is not None
    version = store.version
    store.apply(removal.ops)
    assert store.version == version + 1
    tables = {op["t"] for op in removal.ops}
    assert tables == {
        Structure.TABLE,
        Participant.TABLE,
        Attendance.TABLE,
        PreparatoryTask.TABLE,
        Note.TABLE,
        Session.TABLE,
    }


def test_the_question_names_only_what_there_is(demo_workspace: Workspace) -> None:
    store = demo_workspace.open(demo_workspace.cohort_files()[0])
    lone = Structure(name="Nouvelle venue")
    person = Participant(structure_id=lone.id, name="Zoé Petit")
    store.put(lone, person)
    view = CohortView.load(store)
    removal = structure_removal(view, lone.id)
    assert removal is not None
    assert removal_question(removal, structure=True) == (
        "Supprimer la structure « Nouvelle venue » ? Seront aussi supprimés : "
        "1 participant·e. C'est définitif."
    )
    alone = participant_removal(view, person.id)
    assert alone is not None
    assert removal_question(alone, structure=False) == "Supprimer « Zoé Petit » ? C'est définitif."
    set_language("en")
    assert removal_question(removal, structure=True) == (
        'Delete the structure "Nouvelle venue"? This also deletes 1 participant. '
        "It cannot be undone."
    )


# --- cancelling ---------------------------------------------------------------------------


async def test_escape_cancels_a_form_and_saves_nothing(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        before = fresh(app)
        await pilot.press("a")
        form(app).query_one("#field-name", Input).value = "Jamais enregistrée"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)  # what was typed is not lost unasked
        await pilot.press("o")
        await settle(app, pilot)
        assert app.screen is screen

        await pilot.press("e")
        form(app).query_one("#field-name", Input).value = "Jamais renommée"
        await pilot.press("escape", "o")
        await settle(app, pilot)
        assert app.screen is screen

        after = fresh(app)
        assert after.structures == before.structures
        assert after.version == before.version


async def test_an_empty_cohort_says_how_to_begin(tmp_path: Any) -> None:
    from facilitator.domain import Cohort

    workspace = Workspace(tmp_path / "ws")
    workspace.create([Cohort(name="Cohorte vide")])
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        assert screen.matrix.row_count == 0
        assert "appuyez sur a" in shown_text(screen.query_one("#detail-facts", Static))
        await pilot.press("p")
        assert app.screen is screen  # nothing to attach a participant to yet
        assert "Ajoutez d'abord une structure (touche a)." in notices(app)
        await pilot.press("e", "d")
        assert app.screen is screen


async def test_the_board_speaks_english_when_asked(demo_workspace: Workspace) -> None:
    set_language("en")
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        assert "Sorted by name" in shown_text(screen.query_one("#board-sort", Static))
        headers = [c.label.plain for c in screen.matrix.columns.values()]
        assert headers == ["Structure", "Intro", "S1", "S2", "Review", "Prep", "Notes"]
        await pilot.press("e")
        form(app).query_one("#field-sector", Input).value = "Social centre"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert notices(app)[-1] == 'Structure "Centre social L\'Escale" saved.'


# --- how it looks -------------------------------------------------------------------------


async def _to_board(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("2")
    await pilot.pause()


def test_board_snapshot_80x24(snap_compare: Any, demo_workspace: Workspace) -> None:
    assert snap_compare(make_app(demo_workspace), terminal_size=(80, 24), run_before=_to_board)


def test_board_snapshot_120x40(snap_compare: Any, demo_workspace: Workspace) -> None:
    assert snap_compare(make_app(demo_workspace), terminal_size=(120, 40), run_before=_to_board)


async def test_forget_a_participant_from_the_board(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_board(app, pilot)
        view = view_of(app)
        jardins = by_name(view, "Les Jardins du Martinet")
        await put_cursor_on(screen, pilot, jardins.id)
        await pilot.press("o")  # no person picked yet: it says how
        assert "Tab" in notices(app)[-1]
        screen.people.focus()
        await pilot.pause()
        person = view.participants_of(jardins.id)[0]
        await pilot.press("o")
        assert isinstance(app.screen, ConfirmScreen) and person.name in app.screen.question
        await pilot.press("o")  # « o » answers yes in French
        await settle(app, pilot)
        await settle(app, pilot)
    everything = b"".join(p.read_bytes() for p in demo_workspace.root.rglob("*") if p.is_file())
    assert person.name.encode() not in everything
    assert person.email.encode() not in everything
