"""The Bilan area: the list of bilans, a structure's thread, the effet miroir, the compte rendu.

Pilot tests on the demo cohort at ``conftest.FIXED_NOW`` (twelve days before the
second collective session, so the demo has constats but no shared freins yet: the
tests that need some add them); pure tests for the form's comparison and merge, the
mirror's words and order; snapshots of the thread at 120×40 and 80×24 and of the
mirror with shared notes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from facilitator.actions import ReviewChanges, merged_ratings
from facilitator.domain import (
    FEEDBACK_QUESTIONS,
    BilanReview,
    Lever,
    Note,
    NoteKind,
    Session,
    SessionKind,
    Structure,
)
from facilitator.store import CohortStore
from facilitator.thread import SharedTheme
from facilitator.workspace import Workspace
from screens.bilan import BilanScreen, BilanTable, MirrorScreen, ThreadScreen
from screens.dialogs.bilan_form import (
    ReviewForm,
    check_rating,
    rating_field,
    review_changes,
    review_values,
)
from screens.session import SessionScreen
from screens.widgets.mirror_view import by_name, spoken_words
from screens.widgets.thread_view import ThreadView
from tests.conftest import FIXED_NOW, make_app

ESCALE = "Centre social L'Escale"
MUSETTE = "Épicerie solidaire La Musette"
COMPAGNIE = "Compagnie du Grand Écart"
JARDINS = "Les Jardins du Martinet"


# --- helpers ---------------------------------------------------------------------------


def store_of(workspace: Workspace) -> CohortStore:
    store = workspace.find(None)
    assert store is not None
    return store


def structure_id(workspace: Workspace, name: str) -> str:
    return next(s.id for s in store_of(workspace).records(Structure) if s.name == name)


def bilan_of(workspace: Workspace, name: str) -> Session:
    sid = structure_id(workspace, name)
    return next(
        s
        for s in store_of(workspace).records(Session)
        if s.kind == SessionKind.BILAN and s.structure_id == sid
    )


def fresh_review(workspace: Workspace, bilan: Session) -> BilanReview | None:
    """The compte rendu as another process would read it from disk."""
    return CohortStore(store_of(workspace).path).get(BilanReview, bilan.id)


def text_of(widget: Widget) -> str:
    """Every word a widget shows, its border title included, as plain text."""
    parts = [str(widget.border_title or "")]
    statics = [widget] if isinstance(widget, Static) else []
    parts += [str(s.render()) for s in [*statics, *widget.query(Static)]]
    parts += [str(w.border_title) for w in widget.query("*") if w.border_title]
    return "\n".join(parts)


def add_shared_notes(workspace: Workspace) -> None:
    """Three structures share a frein on bénévoles, two a piste on mutualising logistics."""
    store = store_of(workspace)
    ids = {s.name: s.id for s in store.records(Structure)}
    evolution = next(s for s in store.records(Session) if s.kind == SessionKind.EVOLUTION)

    def note(kind: NoteKind, name: str, text: str, lever: Lever) -> Note:
        return Note(
            kind=kind,
            text=text,
            structure_id=ids[name],
            session_id=evolution.id,
            lever=lever,
            created=FIXED_NOW,
        )

    store.put(
        note(
            NoteKind.OBSTACLE,
            ESCALE,
            "Le renouvellement des bénévoles s'essouffle depuis deux ans.",
            Lever.HUMAN,
        ),
        note(
            NoteKind.OBSTACLE,
            MUSETTE,
            "Trop peu de bénévoles pour ouvrir l'épicerie le samedi.",
            Lever.HUMAN,
        ),
        note(
            NoteKind.OBSTACLE,
            COMPAGNIE,
            "Les bénévoles du festival fatiguent et personne ne prend le relais.",
            Lever.HUMAN,
        ),
        note(
            NoteKind.ACTION,
            JARDINS,
            "Mutualiser un poste de coordination logistique avec La Musette.",
            Lever.ALLIANCES,
        ),
        note(
            NoteKind.ACTION,
            MUSETTE,
            "Mutualiser la logistique des livraisons avec les Jardins.",
            Lever.ALLIANCES,
        ),
    )


async def open_area(pilot: Pilot[None]) -> BilanScreen:
    await pilot.press("4")
    screen = pilot.app.screen
    assert isinstance(screen, BilanScreen)
    return screen


async def open_thread(pilot: Pilot[None], name: str) -> ThreadScreen:
    """From the Bilan area, the thread of ``name`` (cursor moved onto it, then Entrée)."""
    screen = await open_area(pilot)
    table = screen.query_one(BilanTable)
    view = pilot.app.view  # type: ignore[attr-defined]
    wanted = next(s.id for s in view.structures if s.name == name)
    table.move_cursor(row=table.get_row_index(wanted))
    await pilot.press("enter")
    thread_screen = pilot.app.screen
    assert isinstance(thread_screen, ThreadScreen)
    return thread_screen


async def open_form(pilot: Pilot[None], name: str = ESCALE) -> ReviewForm:
    await open_thread(pilot, name)
    await pilot.press("r")
    form = pilot.app.screen
    assert isinstance(form, ReviewForm)
    return form


def fill(form: ReviewForm, **values: str) -> None:
    """Type into the form's fields by setting them, as pilot typing is slow."""
    for name, value in values.items():
        form.query_one(f"#field-{name}", Input).value = value


def error_under(form: ReviewForm, name: str) -> str:
    error = form.query_one(f"#error-{name}", Static)
    return str(error.render()) if error.has_class("shown") else ""


async def saved(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- the list ---------------------------------------------------------------------------


def plain(row: list[Text]) -> list[str]:
    return [cell.plain for cell in row]


async def test_the_list_says_when_each_bilan_is_and_what_is_left_to_fill(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_area(pilot)
        table = screen.query_one(BilanTable)
        assert table.row_count == 7
        row = plain(table.get_row(structure_id(demo_workspace, ESCALE)))
        assert row == [ESCALE, "24 déc", "dans 28 jours", "4", "○ à remplir"]
        summary = str(screen.query_one("#bilan-summary", Static).render())
        assert "Bilans tenus : 0 sur 7" in summary
        assert "rien de partagé pour l'instant" in summary


async def test_bilans_come_in_the_order_they_are_held_from_the_next_one(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        table = (await open_area(pilot)).query_one(BilanTable)
        days = [table.get_row_at(i)[1].plain for i in range(table.row_count)]
        assert days == ["22 déc", "24 déc", "28 déc", "29 déc", "31 déc", "4 janv", "5 janv"]
        assert table.selected_id == structure_id(demo_workspace, JARDINS)


async def test_the_list_fits_80_columns_and_shortens_only_names(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        table = (await open_area(pilot)).query_one(BilanTable)
        await pilot.pause()
        assert table.virtual_size.width <= table.size.width
        names = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert all(n in {s.name for s in app.view.structures} or n.endswith("…") for n in names)


async def test_a_structure_without_bilan_says_so_instead_of_opening_a_form(
    demo_workspace: Workspace,
) -> None:
    store_of(demo_workspace).delete(Session, bilan_of(demo_workspace, ESCALE).id)
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_area(pilot)
        table = screen.query_one(BilanTable)
        escale = structure_id(demo_workspace, ESCALE)
        assert table.get_row_index(escale) == table.row_count - 1  # no bilan: last
        assert table.get_row(escale)[-1].plain == "— pas de bilan"
        table.move_cursor(row=table.get_row_index(escale))
        await pilot.press("r")
        assert pilot.app.screen is screen
        await pilot.press("s")
        assert pilot.app.screen is screen
        said = [n.message for n in app._notifications]
        assert said and all("n'a pas encore de session de bilan" in m for m in said)

        await pilot.press("enter")
        thread_screen = pilot.app.screen
        assert isinstance(thread_screen, ThreadScreen)
        assert "Pas encore de session de bilan" in text_of(thread_screen.query_one("#thread-bilan"))
        await pilot.press("r")
        assert pilot.app.screen is thread_screen


# --- the thread -------------------------------------------------------------------------


async def test_entree_opens_the_thread_in_the_order_the_work_went(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_thread(pilot, ESCALE)
        title = str(screen.query_one("#reading-title", Static).render())
        assert title == f"{ESCALE} — bilan jeudi 24 décembre (dans 28 jours)"

        journey = text_of(screen.query_one("#thread-journey"))
        assert "Isabelle Perrin" in journey and "◆ gouvernance représentée" in journey
        assert "excusé·es : Amandine Roche" in journey
        assert "L'évolution · mardi 8 décembre (dans 12 jours)" in journey

        tasks = text_of(screen.query_one("#thread-tasks"))
        assert "Présenter les constats de l'état des lieux au conseil d'administration" in tasks

        state = text_of(screen.query_one("#thread-state"))
        assert "Effet ciseau sur l'accueil de loisirs" in state
        assert "Accueil de loisirs enfance-jeunesse" in state  # the DAS as a heading
        assert "Ressources financières" in state and "Richesses humaines" in state
        assert "Comment faire apparaître le bénévolat" in state  # the question from the intro

        evolution = text_of(screen.query_one("#thread-evolution"))
        assert "Freins (1)" in evolution
        assert "hésite à défendre une hausse des tarifs" in evolution
        assert "Pas encore de notes pour : l'ambition" in evolution

        before_after = text_of(screen.query_one("#thread-before-after"))
        assert "Avant — état des lieux" in before_after and "Après" in before_after

        bilan = text_of(screen.query_one("#thread-bilan"))
        assert "jeudi 24 décembre 2026" in bilan
        assert "Pas encore rempli" in bilan

        sections = [
            screen.query_one(f"#{name}").region.y
            for name in ("thread-journey", "thread-state", "thread-evolution", "thread-bilan")
        ]
        assert sections == sorted(sections)

        await pilot.press("escape")
        assert isinstance(pilot.app.screen, BilanScreen)


async def test_a_governance_absence_is_said_in_words(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_thread(pilot, COMPAGNIE)
        journey = text_of(screen.query_one("#thread-journey"))
        assert "◇ sans la gouvernance" in journey
        assert "absent·es : Mathis Roux" in journey


async def test_the_thread_scrolls_with_the_keyboard(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_thread(pilot, ESCALE)
        body = screen.query_one("#reading-body")
        assert body.has_focus
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        assert body.scroll_y == 0


async def test_before_and_after_sit_side_by_side_at_120_and_stack_at_80(
    demo_workspace: Workspace,
) -> None:
    for size, side_by_side in (((120, 40), True), ((80, 24), False)):
        app = make_app(demo_workspace)
        async with app.run_test(size=size) as pilot:
            screen = await open_thread(pilot, ESCALE)
            await pilot.pause()
            before, after = list(screen.query(".thread--side"))[:2]
            assert (before.region.y == after.region.y) is side_by_side, size
            assert screen.query_one(ThreadView).has_class("-wide") is side_by_side


async def test_a_note_taken_elsewhere_appears_and_the_reader_keeps_their_place(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_thread(pilot, ESCALE)
        body = screen.query_one("#reading-body")
        await pilot.press("pagedown", "pagedown")
        place = body.scroll_y
        bilan = bilan_of(demo_workspace, ESCALE)
        note = Note(
            kind=NoteKind.VISION_CHANGE,
            text="Le bénévolat compte désormais dans le modèle.",
            structure_id=bilan.structure_id,
            session_id=bilan.id,
            created=FIXED_NOW,
        )
        app.save(lambda store: store.put(note), None)
        await saved(pilot)
        assert "Le bénévolat compte désormais" in text_of(screen.query_one("#thread-bilan"))
        assert body.scroll_y == place


# --- the effet miroir -------------------------------------------------------------------


async def test_the_mirror_says_plainly_when_nothing_is_shared(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_area(pilot)
        await pilot.press("m")
        screen = pilot.app.screen
        assert isinstance(screen, MirrorScreen)
        assert "Rien n'est encore partagé" in text_of(screen.query_one("#mirror-empty"))


async def test_the_mirror_groups_shared_freins_and_actions_by_lever(
    demo_workspace: Workspace,
) -> None:
    add_shared_notes(demo_workspace)
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_thread(pilot, ESCALE)
        await pilot.press("m")
        screen = pilot.app.screen
        assert isinstance(screen, MirrorScreen)

        human = text_of(screen.query_one("#mirror-richesses-humaines"))
        assert "3 structures partagent ce frein" in human
        assert "« bénévoles »" in human
        for name in (ESCALE, MUSETTE, COMPAGNIE):
            assert name in human
        assert "Trop peu de bénévoles pour ouvrir l'épicerie le samedi." in human

        alliances = text_of(screen.query_one("#mirror-alliances-partenariats"))
        assert "2 structures envisagent cette piste d'action" in alliances

        pairs = text_of(screen.query_one("#mirror-pairs"))
        assert "Binômes suggérés (4)" in pairs
        # Within a pair and between pairs with as many points, names in alphabetical order.
        assert f"{ESCALE} et {COMPAGNIE}" in pairs
        assert f"{MUSETTE} et {JARDINS}" in pairs

        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ThreadScreen)


def test_a_theme_shows_the_words_people_wrote_not_the_stems() -> None:
    notes = (
        Note(kind=NoteKind.OBSTACLE, text="Nos Bénévoles fatiguent", structure_id="a"),
        Note(kind=NoteKind.OBSTACLE, text="Le bénévolat recule", structure_id="b"),
    )
    theme = SharedTheme(NoteKind.OBSTACLE, None, ("benevol",), notes, ("a", "b"))
    assert spoken_words(theme) == ["bénévoles"]


def test_pairs_read_by_shared_count_then_by_name() -> None:
    names = {"1": "Zèbre", "2": "Abeille", "3": "Écureuil"}
    pairs = [("1", "2", 1), ("1", "3", 2), ("2", "3", 1)]
    assert by_name(pairs, names) == (("3", "1", 2), ("2", "3", 1), ("2", "1", 1))


# --- the compte rendu -------------------------------------------------------------------


async def test_a_rating_of_7_and_a_bad_date_are_refused_under_their_field(
    demo_workspace: Workspace,
) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        fill(form, rating_collective="7", rating_peers="3,5", follow_up="31/02/2027")
        await pilot.press("ctrl+s")
        assert pilot.app.screen is form
        assert "« 7 » n'est pas une note de 1 à 5" in error_under(form, "rating_collective")
        assert "« 3.5 » n'est pas une note de 1 à 5" in error_under(form, "rating_peers")
        assert "« 31/02/2027 » n'est pas une date valide" in error_under(form, "follow_up")
        assert error_under(form, "rating_method") == ""
        fill(form, rating_collective="4")
        await pilot.pause()
        assert error_under(form, "rating_collective") == ""
        await pilot.press("escape")
    assert fresh_review(demo_workspace, bilan_of(demo_workspace, ESCALE)) is None


async def test_a_valid_form_saves_the_review_under_the_bilans_id(
    demo_workspace: Workspace,
) -> None:
    bilan = bilan_of(demo_workspace, ESCALE)
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        fill(
            form,
            rating_collective="4",
            rating_peers="5",
            rating_method="3",
            rating_intersession="2",
            rating_next="5",
            comments="Les échanges entre pairs ont débloqué la question des tarifs.",
            third_person="Sophie Martin",
            third_person_role="chargée de mission DLA",
            next_steps="Présenter au CA une grille tarifaire au quotient familial.",
            follow_up="15/03/2027",
        )
        await pilot.press("ctrl+s")
        await saved(pilot)
        assert isinstance(pilot.app.screen, ThreadScreen)
        bilan_text = text_of(pilot.app.screen.query_one("#thread-bilan"))
        assert "★★★★☆ 4/5" in bilan_text and "Sophie Martin (chargée de mission DLA)" in bilan_text
        await pilot.press("escape")
        row = pilot.app.screen.query_one(BilanTable).get_row(bilan.structure_id)
        assert row[-1].plain == "✓ rempli"

    review = fresh_review(demo_workspace, bilan)
    assert review == BilanReview(
        id=bilan.id,
        session_id=bilan.id,
        structure_id=bilan.structure_id or "",
        ratings={"collective": 4, "peers": 5, "method": 3, "intersession": 2, "next": 5},
        comments="Les échanges entre pairs ont débloqué la question des tarifs.",
        third_person="Sophie Martin",
        third_person_role="chargée de mission DLA",
        next_steps="Présenter au CA une grille tarifaire au quotient familial.",
        follow_up=dt.date(2027, 3, 15),
    )


async def test_editing_one_field_keeps_the_others_and_a_colleagues_change(
    demo_workspace: Workspace,
) -> None:
    bilan = bilan_of(demo_workspace, ESCALE)
    store_of(demo_workspace).put(
        BilanReview(
            id=bilan.id,
            session_id=bilan.id,
            structure_id=bilan.structure_id or "",
            ratings={"collective": 4, "peers": 5},
            third_person="Sophie Martin",
            next_steps="Présenter la grille au CA.",
        )
    )
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#field-rating_collective", Input).value == "4"
        # Meanwhile, a colleague in another terminal adds a rating and comments.
        colleague = CohortStore(store_of(demo_workspace).path)
        colleague.patch(
            BilanReview,
            bilan.id,
            {"ratings": {"collective": 4, "peers": 5, "method": 2}, "comments": "Très utile."},
        )
        fill(form, rating_peers="3", follow_up="2027-03-15")
        await pilot.press("ctrl+s")
        await saved(pilot)

    review = fresh_review(demo_workspace, bilan)
    assert review is not None
    assert review.ratings == {"collective": 4, "peers": 3, "method": 2}
    assert review.comments == "Très utile."
    assert review.third_person == "Sophie Martin"
    assert review.next_steps == "Présenter la grille au CA."
    assert review.follow_up == dt.date(2027, 3, 15)


async def test_saving_an_unchanged_form_writes_nothing(demo_workspace: Workspace) -> None:
    bilan = bilan_of(demo_workspace, ESCALE)
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await pilot.press("ctrl+s")
        await saved(pilot)
        assert isinstance(pilot.app.screen, ThreadScreen)
    assert fresh_review(demo_workspace, bilan) is None


def test_the_form_compares_what_was_shown_with_what_was_saved() -> None:
    before = review_values(
        BilanReview(
            session_id="b",
            structure_id="s",
            ratings={"collective": 4, "peers": 2},
            comments="ok",
        )
    )
    after = {
        **before,
        rating_field("peers"): None,
        rating_field("method"): 5.0,
        "comments": "ok",
        "next_steps": "suite",
    }
    changes = review_changes(before, after)
    assert changes == ReviewChanges({"next_steps": "suite"}, {"peers": None, "method": 5})
    assert merged_ratings({"collective": 4, "peers": 2}, changes.ratings) == {
        "collective": 4,
        "method": 5,
    }
    assert not review_changes(before, dict(before))


@pytest.mark.parametrize("value", [0.0, 6.0, 7.0, 2.5, -1.0])
def test_a_rating_is_a_whole_number_from_1_to_5(value: float) -> None:
    from facilitator.domain import InvalidInput

    with pytest.raises(InvalidInput):
        check_rating(value)


def test_every_question_has_its_wording() -> None:
    from facilitator.i18n import catalogue

    for lang in ("fr", "en"):
        for key in FEEDBACK_QUESTIONS:
            assert f"bilan.question.{key}" in catalogue(lang)


async def test_read_only_shows_the_thread_but_no_form(demo_workspace: Workspace) -> None:
    read_only = Workspace(demo_workspace.root, read_only=True)
    app = make_app(read_only)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_area(pilot)
        await pilot.press("r")
        assert pilot.app.screen is screen
        thread_screen = await open_thread(pilot, ESCALE)
        await pilot.press("r")
        assert pilot.app.screen is thread_screen
        disabled = {
            b.binding.action for b in thread_screen.active_bindings.values() if not b.enabled
        }
        assert "review" in disabled


# --- the live bilan ---------------------------------------------------------------------


async def test_s_opens_the_bilans_live_screen_from_the_thread(demo_workspace: Workspace) -> None:
    bilan = bilan_of(demo_workspace, ESCALE)
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_thread(pilot, ESCALE)
        await pilot.press("s")
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session_id == bilan.id
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ThreadScreen)


# --- the look ---------------------------------------------------------------------------


def _thread_of_escale(workspace: Workspace) -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_thread(pilot, ESCALE)
        await pilot.pause()

    return run_before


def test_snapshot_thread_120x40(snap_compare: Any, demo_workspace: Workspace) -> None:
    assert snap_compare(
        make_app(demo_workspace),
        terminal_size=(120, 40),
        run_before=_thread_of_escale(demo_workspace),
    )


def test_snapshot_thread_80x24(snap_compare: Any, demo_workspace: Workspace) -> None:
    assert snap_compare(
        make_app(demo_workspace),
        terminal_size=(80, 24),
        run_before=_thread_of_escale(demo_workspace),
    )


def test_snapshot_mirror_120x40(snap_compare: Any, demo_workspace: Workspace) -> None:
    add_shared_notes(demo_workspace)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_area(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(make_app(demo_workspace), terminal_size=(120, 40), run_before=run_before)
