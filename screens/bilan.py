"""The Bilan area (key 4): each structure's bilan, its thread, the cohort's effet miroir.

A facilitator comes here in the five minutes before a bilan meeting, and during it:

- the list says, per structure, when its bilan is, how much was noted about it and
  whether the compte rendu is filled; bilans come in the order they are held and
  the cursor starts on the next one (Entrée opens the structure's thread);
- the thread (``ThreadScreen``) is everything about one structure in the order the
  work went, scrolled with the keyboard;
- the effet miroir (``MirrorScreen``, key ``m``) is what several structures share,
  lever by lever, with the pairs that could work on an action together;
- ``r`` fills the compte rendu of the bilan (the association's ratings of the
  programme, who else was there, next steps, a follow-up date), ``s`` opens the
  bilan's live screen, where the change in the participant's view and the specific
  points are captured as notes.

The screens read ``facilitator.thread`` (the same model as ``facilitator review``
and the exports) and redraw from the app's newest view, so a note taken in another
terminal appears in an open thread.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

import arrow
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from facilitator import actions
from facilitator.domain import FEEDBACK_QUESTIONS, BilanReview, Session, Structure
from facilitator.i18n import language, lazy, plural, t
from facilitator.programme import day_words, humanize_day
from facilitator.text import fold
from facilitator.thread import Thread, peer_pairs, shared_themes, thread
from facilitator.view import CohortView
from screens.base import AreaBar, AreaScreen, ViewScreen
from screens.dialogs.bilan_form import review_changes, review_form, review_values
from screens.widgets.mirror_view import Mirror, MirrorView, by_name
from screens.widgets.name_table import NameTable
from screens.widgets.thread_view import ThreadView

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

DONE, PARTLY, TODO, NOTHING = "✓", "◐", "○", "—"


# --- what each row says ------------------------------------------------------------------


def review_state(thread: Thread) -> str:
    """« ✓ rempli », « ◐ en partie » or « ○ à remplir »: a mark and its words.

    Filled means every question rated: the ratings are what the bilan exports
    compare across the cohort; comments and next steps alone are a start.
    """
    if thread.bilan is None:
        return t("bilan.state.no_bilan", mark=NOTHING)
    review = thread.review
    if review is not None and all(k in review.ratings for k in FEEDBACK_QUESTIONS):
        return t("bilan.state.done", mark=DONE)
    if review is not None and _started(review):
        return t("bilan.state.partly", mark=PARTLY)
    return t("bilan.state.todo", mark=TODO)


def bilan_order(th: Thread) -> tuple[dt.date, dt.time, str]:
    """By bilan day and hour, as they will be held; structures without one last, by name."""
    bilan = th.bilan
    return (
        (bilan.date if bilan else None) or dt.date.max,
        (bilan.start_time if bilan else None) or dt.time.max,
        fold(th.structure.name),
    )


def _started(review: BilanReview) -> bool:
    return bool(
        review.ratings
        or review.comments
        or review.third_person
        or review.next_steps
        or review.follow_up
    )


def short_day(day: dt.date) -> str:
    """« 24 déc. »: the list's date column stays narrow enough for 80 columns."""
    return str(
        arrow.Arrow(day.year, day.month, day.day).format(t("bilan.day_format"), locale=language())
    )


# --- actions shared by the list and the thread ---------------------------------------------


def _bilan_of(
    app: FacilitatorApp, structure_id: str
) -> tuple[CohortView, Structure, Session] | None:
    """The structure and its bilan session; says so when the structure has no bilan."""
    view = app.view
    structure = view.structure(structure_id) if view is not None else None
    if view is None or structure is None:
        return None
    bilan = view.bilan_of(structure_id)
    if bilan is None:
        app.notify(t("bilan.no_bilan", structure=structure.name), severity="warning")
        return None
    return view, structure, bilan


def edit_review(app: FacilitatorApp, structure_id: str) -> None:
    """Open the compte rendu form of the structure's bilan; save only what changed."""
    found = _bilan_of(app, structure_id)
    if found is None:
        return
    view, structure, bilan = found
    review = next((r for r in view.bilans if r.id == bilan.id), None)
    before = review_values(review)

    def done(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        changes = review_changes(before, values)
        if not changes:
            app.notify(t("forms.unchanged"), timeout=3)
            return
        app.save(
            lambda store: actions.save_bilan_review(store, bilan.id, changes, now=app.now()),
            t("bilan.review.saved", structure=structure.name),
        )

    app.push_screen(review_form(structure.name, review), done)


def open_bilan_session(app: FacilitatorApp, structure_id: str) -> None:
    """The bilan's live screen, where the change in view and specific points are noted."""
    found = _bilan_of(app, structure_id)
    if found is not None:
        app.open_session(found[2].id)


# --- the list --------------------------------------------------------------------------------


class BilanTable(NameTable, inherit_bindings=False):
    """One row per structure, keyed by its id; Entrée opens its thread.

    Enter runs the screen's action rather than posting RowSelected, so its
    description shows in the footer and a mouse click only moves the cursor. The
    table's own keys are declared again with French descriptions: Textual's are
    English and would show in the help (F1).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open_thread", lazy("bilan.key.open")),
        Binding("up", "cursor_up", lazy("bilan.key.previous"), show=False),
        Binding("down", "cursor_down", lazy("bilan.key.next"), show=False),
        Binding("pageup", "page_up", lazy("key.pageup"), show=False),
        Binding("pagedown", "page_down", lazy("key.pagedown"), show=False),
        Binding("home", "scroll_top", lazy("bilan.key.first"), show=False),
        Binding("end", "scroll_bottom", lazy("bilan.key.last"), show=False),
    ]


class BilanScreen(AreaScreen):
    """The structures with their bilan; the name column takes the room the others leave."""

    AREA = "bilan"
    WRITE_ACTIONS = frozenset(["review"])
    # The footer holds four keys in 80 columns beside the app's: Entrée and the effet
    # miroir show; the compte rendu and the live bilan, also in the thread, are in F1.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", lazy("word.report"), show=False),
        Binding("s", "live", lazy("bilan.key.live"), show=False),
        Binding("m", "mirror", lazy("word.mirror")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, list[str]]] = []
        self._next: str | None = None  # the next bilan to hold: where the cursor starts

    def compose_body(self) -> ComposeResult:
        yield Static(t("word.bilans"), classes="title")
        yield BilanTable(id="bilans")
        yield Static(id="bilan-summary", markup=False)

    def on_mount(self) -> None:
        self.query_one(BilanTable).focus()

    def show(self, view: CohortView) -> None:
        today = view.cohort.today(self.facilitator.now())
        threads = sorted((thread(view, s.id) for s in view.structures), key=bilan_order)
        self._rows = [(th.structure.id, self._cells(th, today)) for th in threads]
        self._next = next(
            (
                th.structure.id
                for th in threads
                if th.bilan and th.bilan.date and th.bilan.date >= today
            ),
            None,
        )
        self._draw()
        held = sum(1 for th in threads if th.bilan and th.bilan.held(today))
        planned = sum(1 for th in threads if th.bilan is not None)
        filled = sum(1 for th in threads if review_state(th).startswith(DONE))
        themes = shared_themes(view.notes)
        parts = [
            t("bilan.summary.held", held=held, total=planned),
            t("bilan.summary.filled", filled=filled, total=planned),
            plural("bilan.summary.themes", len(themes)) if themes else t("bilan.summary.no_theme"),
        ]
        self.query_one("#bilan-summary", Static).update(t("format.separator").join(parts))

    @staticmethod
    def _cells(th: Thread, today: dt.date) -> list[str]:
        bilan = th.bilan
        day = bilan.date if bilan is not None else None
        return [
            th.structure.name,
            short_day(day) if day else NOTHING,
            humanize_day(day, today) if day else t("bilan.undated"),
            str(th.note_count),
            review_state(th),
        ]

    def _draw(self) -> None:
        columns = [
            ("structure", t("word.structure")),
            ("date", t("word.bilan")),
            ("when", t("word.when")),
            ("notes", t("word.notes")),
            ("review", t("word.report")),
        ]
        self.query_one(BilanTable).show_table(columns, self._rows, default=self._next)

    def action_open_thread(self) -> None:
        structure_id = self.query_one(BilanTable).selected_id
        if structure_id is not None:
            self.app.push_screen(ThreadScreen(structure_id))

    def action_review(self) -> None:
        structure_id = self.query_one(BilanTable).selected_id
        if structure_id is not None:
            edit_review(self.facilitator, structure_id)

    def action_live(self) -> None:
        structure_id = self.query_one(BilanTable).selected_id
        if structure_id is not None:
            open_bilan_session(self.facilitator, structure_id)

    def action_mirror(self) -> None:
        self.app.push_screen(MirrorScreen())


# --- reading screens: the thread and the effet miroir --------------------------------------


class ReadingScroll(VerticalScroll, inherit_bindings=False):
    """A long read scrolled by keyboard, its keys described in the person's language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", lazy("key.up"), show=False),
        Binding("down", "scroll_down", lazy("key.down"), show=False),
        Binding("pageup", "page_up", lazy("key.pageup"), show=False),
        Binding("pagedown", "page_down", lazy("key.pagedown"), show=False),
        Binding("home", "scroll_home", lazy("bilan.key.home"), show=False),
        Binding("end", "scroll_end", lazy("bilan.key.end"), show=False),
    ]


class ReadingScreen(ViewScreen[None]):
    """A long read over the Bilan area: a title line, a scrolled body, Échap to go back.

    It keeps the header and the area bar, so the facilitator still sees where they
    are, and redraws from the app's newest view like the areas do.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", lazy("key.back")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar("bilan")
        yield Static(id="reading-title", markup=False)
        with ReadingScroll(id="reading-body"):
            yield from self.compose_body()
        # Compact and without the palette's key (Ctrl+P still opens it): the way back,
        # the thread's three keys, Quitter and Aide then fit in 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one("#reading-body").focus()

    def set_title(self, text: str) -> None:
        self.query_one("#reading-title", Static).update(text)

    def action_back(self) -> None:
        self.dismiss()


class ThreadScreen(ReadingScreen):
    """One structure's thread; from here its compte rendu and its live bilan."""

    WRITE_ACTIONS = frozenset(["review"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", lazy("word.report")),
        Binding("s", "live", lazy("bilan.key.live")),
        Binding("m", "mirror", lazy("word.mirror")),
    ]

    def __init__(self, structure_id: str) -> None:
        super().__init__()
        self.structure_id = structure_id

    def compose_body(self) -> ComposeResult:
        yield ThreadView(id="thread")

    def show(self, view: CohortView) -> None:
        try:
            th = thread(view, self.structure_id)
        except KeyError:  # deleted from another terminal: nothing left to read here
            self.app.notify(t("bilan.thread.gone"), severity="warning")
            self.dismiss()
            return
        today = view.cohort.today(self.facilitator.now())
        bilan = th.bilan
        if bilan is not None and bilan.date is not None:
            title = t(
                "bilan.thread.title_dated",
                structure=th.structure.name,
                date=day_words(bilan.date, "long"),
                relative=humanize_day(bilan.date, today),
            )
        else:
            title = t("bilan.thread.title", structure=th.structure.name)
        self.set_title(title)
        self.query_one(ThreadView).show(th, today)

    def action_review(self) -> None:
        edit_review(self.facilitator, self.structure_id)

    def action_live(self) -> None:
        open_bilan_session(self.facilitator, self.structure_id)

    def action_mirror(self) -> None:
        self.app.push_screen(MirrorScreen())


class MirrorScreen(ReadingScreen):
    """The effet miroir across the cohort: shared themes by lever, and pairs of peers."""

    def compose_body(self) -> ComposeResult:
        yield MirrorView(id="mirror")

    def show(self, view: CohortView) -> None:
        themes = shared_themes(view.notes)
        names = view.structure_names()
        self.set_title(t("bilan.mirror.title"))
        self.query_one(MirrorView).mirror = Mirror(
            themes=tuple(themes), pairs=by_name(peer_pairs(themes), names), names=names
        )
