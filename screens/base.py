"""What the app's screens share: keys described in the language of the moment, the
typed app, the guard of the write keys, and redrawing from the app's newest
``CohortView``; for the cohort areas, the header, the area bar and the footer too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Static

from facilitator import actions
from facilitator.actions import Removal
from facilitator.i18n import Lazy, spoken, t
from facilitator.store import CohortStore
from facilitator.view import CohortView

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

AREAS = {
    "dashboard": "tui.area.dashboard",
    "board": "tui.area.board",
    "sessions": "word.sessions",
    "bilan": "word.bilan",
}
"""The four areas, in the order of their keys 1 to 4, and the key of each one's name."""
ResultT = TypeVar("ResultT")


def key_label(key: str) -> str:
    """A key as people read it: ``ctrl+q`` -> ``Ctrl+Q``, ``question_mark`` -> ``?``,
    ``pageup`` -> « Page préc. »; the help screen and the footer both say it so."""
    names = {
        "question_mark": "?",
        "plus": "+",
        "minus": "-",
        "equals_sign": "=",
        "up": "↑",
        "down": "↓",
        "left": "←",
        "right": "→",
        "space": t("key.name.space"),
        "escape": t("key.name.escape"),
        "enter": t("key.name.enter"),
        "delete": t("key.name.delete"),
        "backspace": t("key.name.backspace"),
        "pageup": t("key.name.pageup"),
        "pagedown": t("key.name.pagedown"),
        "home": t("key.name.home"),
        "end": t("key.name.end"),
        "tab": t("key.name.tab"),
        "shift+tab": t("key.name.shift_tab"),
    }

    def one(k: str) -> str:
        if k in names:
            return names[k]
        if k.startswith("ctrl+"):
            return "Ctrl+" + one(k.removeprefix("ctrl+")).upper()
        return k.upper() if len(k) > 1 else k

    return "/".join(one(k) for k in key.split(","))


class AreaBar(Static):
    """The four areas with their keys; the current one stands out. Clickable."""

    DEFAULT_CSS = """
    AreaBar {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, active: str) -> None:
        super().__init__(id="area-bar")
        self.active = active

    def on_mount(self) -> None:
        parts = []
        for number, (area, name_key) in enumerate(AREAS.items(), start=1):
            name = t(name_key)
            if area == self.active:
                parts.append(f"[reverse b] {number} {name} [/]")
            else:
                parts.append(f"[@click=app.area('{area}')] {number} {name} [/]")
        self.update("  ".join(parts))


def spoken_binding(binding: Binding) -> Binding:
    """``binding`` with its description (and its group's) in the language of the moment:
    BINDINGS are read at import, before any language is chosen, so they hold
    :func:`~facilitator.i18n.lazy` keys."""
    group = binding.group
    if group is not None and isinstance(group.description, Lazy):
        group = replace(group, description=spoken(group.description))
    if group is binding.group and not isinstance(binding.description, Lazy):
        return binding
    tooltip = spoken(binding.tooltip) if binding.tooltip else binding.tooltip
    return replace(binding, description=spoken(binding.description), tooltip=tooltip, group=group)


FIRST_ACTIONS = ("help", "command_palette")  # shown first in every footer


class Speaking(Screen[ResultT]):
    """A screen whose keys (its own, its widgets', the app's) are described in the
    language of the moment, wherever they are read: the footer, the help screen, the
    command palette. Every screen of the app is one (a test checks it)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys in the language of the moment, help and the palette first: the footer
        is cut at its right end on a narrow terminal, never the way to find the rest."""
        spoken_keys = {
            key: active._replace(
                binding=spoken_binding(active.binding),
                tooltip=spoken(active.tooltip) if active.tooltip else active.tooltip,
            )
            for key, active in super().active_bindings.items()
        }
        first = [k for k, a in spoken_keys.items() if a.binding.action in FIRST_ACTIONS]
        first.sort(key=lambda k: FIRST_ACTIONS.index(spoken_keys[k].binding.action))
        return {k: spoken_keys[k] for k in [*first, *(k for k in spoken_keys if k not in first)]}


class Dialog(ModalScreen[ResultT], Speaking[ResultT]):
    """A modal screen of the app: a dialog, the help, a notice.

    ModalScreen comes first: Textual takes default CSS from the first base alone, and
    ModalScreen's lets the screen underneath show through."""


class WriteGuard:
    """Screens name the actions that write; in read-only mode those keys are shown
    disabled (and do nothing) instead of failing when pressed."""

    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        workspace = getattr(getattr(self, "app", None), "workspace", None)
        if action in self.WRITE_ACTIONS and workspace is not None and workspace.read_only:
            return None
        return True


class AppScreen(WriteGuard, Speaking[ResultT]):
    """A screen of the facilitator's app, which it knows by its type."""

    @property
    def facilitator(self) -> FacilitatorApp:
        # Typed, not imported: screens.app imports every screen.
        return cast("FacilitatorApp", self.app)


class ViewScreen(AppScreen[ResultT]):
    """A screen of the open cohort: ``show(view)`` draws it from the app's newest view,
    on mount and after every change (a dialog is one too: see ``ViewModal``)."""

    _following = False
    _stale = False  # a newer view came while the screen was not on show

    def follow_view(self) -> None:
        """Draw from the app's view now and after every change. Done on mount, after a
        subclass's own on_mount (Textual calls every class's): call it earlier there
        when what follows needs the screen drawn."""
        if not self._following:
            self._following = True
            self.watch(self.app, "view", self._view_changed)

    def on_mount(self) -> None:
        self.follow_view()

    def _view_changed(self, view: CohortView | None) -> None:
        if view is None:
            return
        if not self.is_current:
            # Redrawn when shown again: a hidden screen whose widgets recompose keeps
            # Textual (8.2) from repainting the screen on show until the next key.
            self._stale = True
            return
        self.show(view)

    def on_screen_resume(self) -> None:
        view = self.facilitator.view
        if self._stale and view is not None:
            self._stale = False
            self.show(view)

    @property
    def view(self) -> CohortView:
        """The app's newest view: a screen of the open cohort is only shown with one."""
        view = self.facilitator.view
        assert view is not None
        return view

    def show(self, view: CohortView) -> None:
        """Redraw from ``view``."""
        raise NotImplementedError


class ViewModal(Dialog[ResultT], ViewScreen[ResultT]):
    """A dialog over the open cohort's screens, drawn from its view as they are."""


class AreaScreen(ViewScreen[None]):
    """A cohort area: subclasses compose their body and redraw in ``show``.

    An area that deletes records (``delete_records``) keeps each deletion's undo, most recent
    last, for its ``u`` key (``undo_removal``).
    """

    AREA: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.removed: list[Removal] = []

    def delete_records(self, delete: Callable[[CohortStore], Removal], done: str) -> None:
        """Run ``delete`` in the save worker and say ``done`` with how to undo it."""

        def write(store: CohortStore) -> None:
            removal = delete(store)
            self.app.call_from_thread(self.removed.append, removal)

        self.facilitator.save(write, t("forms.deleted_undo", done=done, key=key_label("u")))

    def action_undo_removal(self) -> None:
        if not self.removed:
            self.notify(t("forms.nothing_to_undo"), timeout=3)
            return
        removal = self.removed.pop()

        def refused(message: str) -> None:
            self.removed.append(removal)  # still there to undo once the reason is gone

        self.facilitator.save(
            lambda store: actions.undo_removal(store, removal, now=self.facilitator.now()),
            t("forms.undone", name=removal.name),
            on_error=refused,
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar(self.AREA)
        yield from self.compose_body()
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
