"""The synthesis of a session: constats by structure and DAS for the état des lieux,
the structures × levers matrix for l'évolution, notes by kind otherwise."""

from __future__ import annotations

import io

from rich.console import Console
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from facilitator.domain import Lever, Note, NoteKind, SessionKind
from facilitator.i18n import set_language
from facilitator.view import CohortView
from facilitator.views.synthesis import (
    NAME_COLUMN,
    TOTAL,
    evolution_matrix,
    findings_by_structure,
)
from facilitator.workspace import Workspace
from screens.dialogs.synthesis import SynthesisScreen, cell_label
from tests.conftest import FIXED_NOW
from tests.test_session import Room


def plain(widget: Static, width: int = 200) -> str:
    """What a Static shows, as text (its content may be any Rich renderable)."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def static_text(screen: SynthesisScreen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.render())


async def open_synthesis(room: Room) -> SynthesisScreen:
    await room.press("m")
    screen = room.app.screen
    assert isinstance(screen, SynthesisScreen)
    return screen


# --- état des lieux --------------------------------------------------------------------


def test_constats_by_structure_and_das_from_the_demo(demo_workspace: Workspace) -> None:
    view = CohortView.load(demo_workspace.find(None))
    session = next(s for s in view.sessions if s.kind == SessionKind.STATE_OF_PLAY)
    groups = {g.structure.name: g for g in findings_by_structure(view, session) if g.structure}
    assert len(groups) == 7
    counts = {
        name: (g.count(NoteKind.FINDING), g.count(NoteKind.PROBLEM)) for name, g in groups.items()
    }
    assert counts == {
        "Centre social L'Escale": (2, 0),
        "Compagnie du Grand Écart": (2, 1),
        "Crèche parentale Les P'tits Cailloux": (1, 0),
        "Entente sportive du Val de Gervanne": (2, 0),
        "Les Jardins du Martinet": (2, 0),
        "Ressourcerie La Trame": (2, 0),
        "Épicerie solidaire La Musette": (1, 0),
    }
    jardins = groups["Les Jardins du Martinet"]
    # The structure's own DAS, in its order, the one nobody spoke about included.
    assert [(d.das, len(d.notes)) for d in jardins.groups] == [
        ("Chantier d'insertion maraîchage", 1),
        ("Vente de paniers solidaires", 1),
        ("Accompagnement socioprofessionnel", 0),
    ]
    compagnie = groups["Compagnie du Grand Écart"]
    assert [len(d.notes) for d in compagnie.groups] == [1, 1, 1]
    assert compagnie.groups[0].notes[0].kind == NoteKind.PROBLEM


def test_notes_without_das_or_structure_are_grouped_not_lost(demo_workspace: Workspace) -> None:
    store = demo_workspace.find(None)
    view = CohortView.load(store)
    session = next(s for s in view.sessions if s.kind == SessionKind.STATE_OF_PLAY)
    jardins = next(s for s in view.structures if s.name == "Les Jardins du Martinet")
    store.put(
        Note(text="sans DAS", structure_id=jardins.id, session_id=session.id, created=FIXED_NOW),
        Note(
            text="autre casse",
            das="vente de PANIERS solidaires",
            structure_id=jardins.id,
            session_id=session.id,
            created=FIXED_NOW,
        ),
        Note(text="pour le groupe", session_id=session.id, created=FIXED_NOW),
    )
    groups = findings_by_structure(CohortView.load(store), session)
    mine = next(g for g in groups if g.structure and g.structure.id == jardins.id)
    assert [(d.das, len(d.notes)) for d in mine.groups][-2:] == [
        ("Accompagnement socioprofessionnel", 0),
        ("", 1),
    ]
    assert len(mine.groups[1].notes) == 2  # matched to the structure's own spelling
    assert groups[-1].structure is None and groups[-1].notes[0].text == "pour le groupe"


async def test_the_state_of_play_synthesis_on_screen(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.STATE_OF_PLAY) as room:
        screen = await open_synthesis(room)
        summary = static_text(screen, "#synthesis-summary")
        assert "Constats : 12 · problématiques : 1 · structures sans constat : 0" in summary
        assert "non reprises ici : 6" in summary
        body = plain(screen.query_one("#synthesis-text", Static))
        assert "Les Jardins du Martinet   constats : 2 · problématiques : 0" in body
        assert "Accompagnement socioprofessionnel — rien de noté" in body
        assert "Chantier d'insertion maraîchage (1)" in body
        await room.press("escape")
        assert not isinstance(room.app.screen, SynthesisScreen)


# --- l'évolution -------------------------------------------------------------------------

EVOLUTION_LINES = [
    "ambition: @jardins #rh une équipe de bénévoles référents",
    "frein: @jardins #rh les bénévoles s'essoufflent",
    "frein: @jardins #rh personne pour coordonner",
    "cr: @jardins #finances un financement du poste de coordination",
    "em: @escale #alliances vous sous-estimez vos partenaires",
    "pa: @escale #alliances rencontrer la mairie",
    "ambition: @trame une boutique en ligne",
]


async def test_the_evolution_matrix_counts_each_cell(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        for line in EVOLUTION_LINES:
            await room.capture(line)
        await room.press("escape")  # out of the capture line
        view = room.app.view
        assert view is not None
        matrix = evolution_matrix(view, room.session)
        names = {s.name: s.id for s in view.structures}
        jardins, escale = names["Les Jardins du Martinet"], names["Centre social L'Escale"]
        trame = names["Ressourcerie La Trame"]
        assert cell_label(matrix.cell(jardins, Lever.HUMAN.value)) == "A1 F2 C0 M0"
        assert cell_label(matrix.cell(jardins, Lever.FINANCIAL.value)) == "A0 F0 C1 M0"
        assert cell_label(matrix.cell(escale, Lever.ALLIANCES.value)) == "A0 F0 C0 M1"
        assert cell_label(matrix.cell(trame, "none")) == "A1 F0 C0 M0"  # no lever: kept
        assert cell_label(matrix.cell(escale, Lever.HUMAN.value)) == "—"
        assert cell_label(matrix.cell(TOTAL, Lever.HUMAN.value)) == "A1 F2 C0 M0"
        assert len(matrix.cell(escale, NAME_COLUMN)) == 1  # the piste d'action is not counted

        screen = await open_synthesis(room)
        table = screen.query_one("#synthesis-matrix", DataTable)
        assert table.get_cell(jardins, Lever.HUMAN.value).plain == "A1 F2 C0 M0"
        assert table.get_cell(TOTAL, "none").plain == "A1 F0 C0 M0"
        assert "pistes d'action : 1" in static_text(screen, "#synthesis-summary")
        legend = static_text(screen, "#synthesis-legend")
        assert "A ambition" in legend and "F frein" in legend and "M effet miroir" in legend
        # The cursor starts on the first structure's first lever; move to Jardins × RH.
        assert table.cursor_coordinate == Coordinate(0, 1)
        row = table.get_row_index(jardins)
        await room.press(*["down"] * row)
        assert screen.selected_cell() == (jardins, Lever.HUMAN.value)
        assert "Les Jardins du Martinet × richesses humaines — notes : 3" in static_text(
            screen, "#cell-title"
        )
        notes = plain(screen.query_one("#cell-notes-text", Static))
        assert "ambition · une équipe de bénévoles référents" in notes
        assert "frein · personne pour coordonner" in notes
        assert "coordination" not in notes  # the financial cell's note stays there
        await room.press("enter")
        assert screen.query_one("#cell-notes").has_focus
        await room.press("escape")  # back to the matrix, not out of the synthesis
        assert table.has_focus and isinstance(room.app.screen, SynthesisScreen)


async def test_the_matrix_follows_notes_taken_while_open(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        screen = await open_synthesis(room)
        view = room.app.view
        assert view is not None
        jardins = next(s for s in view.structures if s.name == "Les Jardins du Martinet")
        table = screen.query_one("#synthesis-matrix", DataTable)
        assert table.get_cell(jardins.id, Lever.HUMAN.value).plain == "—"
        room.disk().put(
            Note(
                kind=NoteKind.MIRROR,
                text="vu d'ailleurs",
                structure_id=jardins.id,
                session_id=room.session.id,
                lever=Lever.HUMAN,
                created=FIXED_NOW,
            )
        )
        room.app.poll_store()
        await room.settle()
        assert table.get_cell(jardins.id, Lever.HUMAN.value).plain == "A0 F0 C0 M1"


async def test_other_sessions_list_notes_by_kind(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.INTRO) as room:
        screen = await open_synthesis(room)
        assert "Notes de la session : 2" in static_text(screen, "#synthesis-summary")
        body = plain(screen.query_one("#synthesis-text", Static))
        assert "Problématiques (1)" in body and "Questions (1)" in body
        assert "Crèche parentale Les P'tits Cailloux" in body


async def test_the_synthesis_in_english(demo_workspace: Workspace) -> None:
    set_language("en")
    async with Room(demo_workspace, SessionKind.STATE_OF_PLAY) as room:
        screen = await open_synthesis(room)
        assert "Findings: 12 · key issues: 1" in static_text(screen, "#synthesis-summary")
        body = plain(screen.query_one("#synthesis-text", Static))
        assert "Les Jardins du Martinet   findings: 2 · key issues: 0" in body
        assert "Accompagnement socioprofessionnel — nothing noted" in body
