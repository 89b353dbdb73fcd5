"""Émargement on the live session screen: single keys, records written at once,
the governance mark, and two facilitators marking at the same time."""

from __future__ import annotations

from collections.abc import Sequence

from facilitator.domain import Attendance, Participant, Presence, SessionKind, Structure
from facilitator.store import CohortStore, Op
from facilitator.view import CohortView
from facilitator.views.attendance import Governance, expected_structures, roll_call
from facilitator.workspace import Workspace
from screens.dialogs.attendance import AttendanceList, AttendanceScreen
from tests.test_session import Room


def marks(store: CohortStore, session_id: str) -> dict[str, Presence]:
    """What a fresh reader of the file sees: participant id -> presence."""
    found = {}
    for record in store.records(Attendance):
        if record.session_id == session_id:
            assert record.id == Attendance.key(session_id, record.participant_id)
            found[record.participant_id] = record.presence
    return found


def people(store: CohortStore, structure_name: str) -> list[Participant]:
    structure = next(s for s in store.records(Structure) if s.name == structure_name)
    view = CohortView.load(store)
    return view.participants_of(structure.id)


def heading(screen: AttendanceScreen, structure_name: str) -> str:
    listing = screen.query_one(AttendanceList)
    for index in range(listing.option_count):
        option = listing.get_option_at_index(index)
        prompt = str(option.prompt)
        if option.disabled and prompt.startswith(structure_name):
            return prompt
    raise AssertionError(structure_name)


async def open_sheet(room: Room) -> AttendanceScreen:
    await room.press("a")
    screen = room.app.screen
    assert isinstance(screen, AttendanceScreen)
    return screen


async def test_each_key_writes_its_mark_at_once(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        session = room.session.id
        escale = people(room.disk(), "Centre social L'Escale")
        assert [p.name for p in escale] == ["Amandine Roche", "Gérard Lopez", "Isabelle Perrin"]
        screen = await open_sheet(room)
        assert "16 attendu·es" in str(screen.query_one("#attendance-summary").render())
        assert screen.selected_id == escale[0].id  # the first person, not a heading
        await room.press("x", "e", "p")  # each key moves on to the next person
        assert marks(room.disk(), session) == {
            escale[0].id: Presence.ABSENT,
            escale[1].id: Presence.EXCUSED,
            escale[2].id: Presence.PRESENT,
        }
        summary = str(screen.query_one("#attendance-summary").render())
        assert "présent·es : 1" in summary and "excusé·es : 1" in summary
        assert "absent·es : 1" in summary and "à marquer : 13" in summary


async def test_space_cycles_and_delete_clears(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        session = room.session.id
        first = people(room.disk(), "Centre social L'Escale")[0]
        screen = await open_sheet(room)
        await room.press("space")
        assert marks(room.disk(), session) == {first.id: Presence.PRESENT}
        await room.press("space")
        assert marks(room.disk(), session) == {first.id: Presence.EXCUSED}
        await room.press("space")
        assert marks(room.disk(), session) == {first.id: Presence.ABSENT}
        assert screen.selected_id == first.id  # cycling stays on the person
        await room.press("delete")
        assert marks(room.disk(), session) == {}
        assert "à marquer" in str(screen.query_one(AttendanceList).get_option(first.id).prompt)


async def test_the_governance_mark_follows_the_marks(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        screen = await open_sheet(room)
        # Amandine (CA) and Gérard (trésorier) speak for L'Escale's governance.
        assert "G· gouvernance à marquer" in heading(screen, "Centre social L'Escale")
        await room.press("x", "e")
        assert "G✗ gouvernance non représentée" in heading(screen, "Centre social L'Escale")
        await room.press("up", "space", "space")  # Gérard: excused -> absent -> present
        assert "G✓ gouvernance représentée" in heading(screen, "Centre social L'Escale")
        # The Compagnie has no governance participant at all: said, not left blank.
        assert "G! aucun membre de la gouvernance" in heading(screen, "Compagnie du Grand Écart")
        summary = str(screen.query_one("#attendance-summary").render())
        assert "gouvernance représentée : 1 structure(s) sur 7" in summary


async def test_all_unmarked_present_in_one_step(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        session = room.session.id
        first = people(room.disk(), "Centre social L'Escale")[0]
        await open_sheet(room)
        await room.press("e")
        writes: list[int] = []
        store = room.app.store
        assert store is not None
        apply = store.apply

        def counted(ops: Sequence[Op]) -> None:
            writes.append(len(ops))
            apply(ops)

        store.apply = counted  # type: ignore[method-assign]
        await room.press("t")
        found = marks(room.disk(), session)
        assert len(found) == 16 and found[first.id] == Presence.EXCUSED
        assert sum(p == Presence.PRESENT for p in found.values()) == 15
        assert writes == [15]


async def test_two_facilitators_marking_different_people(demo_workspace: Workspace) -> None:
    async with Room(demo_workspace, SessionKind.EVOLUTION) as room:
        session = room.session.id
        escale = people(room.disk(), "Centre social L'Escale")
        screen = await open_sheet(room)
        # Another terminal marks Isabelle while this one is open on Amandine.
        other = room.disk()
        other.put(
            Attendance(
                id=Attendance.key(session, escale[2].id),
                session_id=session,
                participant_id=escale[2].id,
                presence=Presence.EXCUSED,
            )
        )
        await room.press("p")
        assert marks(room.disk(), session) == {
            escale[0].id: Presence.PRESENT,
            escale[2].id: Presence.EXCUSED,
        }
        room.app.poll_store()
        await room.settle()
        assert "excusé·e" in str(screen.query_one(AttendanceList).get_option(escale[2].id).prompt)


async def test_a_bilan_lists_only_its_structure(demo_workspace: Workspace) -> None:
    store = demo_workspace.find(None)
    view = CohortView.load(store)
    bilan = next(s for s in view.sessions if s.kind == SessionKind.BILAN)
    assert [s.id for s in expected_structures(view, bilan)] == [bilan.structure_id]
    rolls = roll_call(view, bilan)
    assert len(rolls) == 1 and all(p.structure_id == bilan.structure_id for p, _ in rolls[0].people)
    collective = next(s for s in view.sessions if s.kind == SessionKind.STATE_OF_PLAY)
    held = roll_call(view, collective)
    assert len(held) == 7
    states = {r.structure.name: r.governance for r in held}
    # From the demo: Monique (présidente) excused at the Entente, Antoine excused at the crèche.
    assert states["Entente sportive du Val de Gervanne"] == Governance.MISSING
    assert states["Les Jardins du Martinet"] == Governance.REPRESENTED
    assert states["Compagnie du Grand Écart"] == Governance.NOBODY
