"""The quick-capture line: one line typed while people talk becomes one note.

The syntax is the core's (``facilitator.capture``), shared with ``facilitator
capture``. A line that cannot be read says why underneath and stays, selected: the next
thing said, typed over it, replaces it instead of running on after it, and the
refused line is kept as a draft that ↑ brings back. A good line is handed on
(``Captured``) and cleared at once, so the next thing said can be typed while the
note is being written to disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, Static

from facilitator.capture import CaptureDraft, completions, parse_capture
from facilitator.domain import InvalidInput, NoteKind, Structure
from facilitator.i18n import lazy, t
from screens.base import key_label


class MarkerSuggester(Suggester):
    """Completes the ``@structure`` or ``#tag`` being typed at the end of the line."""

    def __init__(self, owner: CaptureLine) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.owner = owner

    async def get_suggestion(self, value: str) -> str | None:
        """The line with the best candidate's missing letters, when it extends what is typed.

        The input shows a suggestion only as a tail of the typed text; a candidate
        found in the middle of a name (``@cocagne``) is offered by Tab instead.
        """
        start, _, candidates = self.owner.candidates(value)
        if not candidates:
            return None
        typed = value[start:]
        best = candidates[0]
        if not best.casefold().startswith(typed.casefold()):
            return None
        return value + best[len(typed) :] + " "


class CaptureInput(Input):
    """The line itself. Enter is taken here, in the line's own turn, before the keys
    typed after it: a binding would bubble to the app first while those keys were
    already typed in, and over SSH Enter and the next letters often arrive together.
    Those letters belong to the next note, not to the one being saved."""

    def __init__(self, owner: CaptureLine, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owner = owner

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.owner.submit(self.value)
            return
        await super()._on_key(event)


class CaptureLine(Vertical):
    BINDINGS = [
        Binding("escape", "screen.leave", lazy("capture.key.leave")),
        Binding("tab", "complete", lazy("capture.key.complete"), show=False),
        Binding("up", "recall", lazy("capture.key.recall"), show=False),
    ]
    DEFAULT_CSS = """
    CaptureLine { height: auto; }
    CaptureLine Input { width: 1fr; }
    CaptureLine #capture-error { color: $error; height: auto; padding: 0 1; display: none; }
    CaptureLine #capture-error.shown { display: block; }
    CaptureLine #capture-error.hint { color: $text-muted; }
    """

    @dataclass
    class Captured(Message):
        draft: CaptureDraft
        line: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.structures: Sequence[Structure] = ()
        self.default_structure: str | None = None
        self.default_kind = NoteKind.FINDING
        self.draft: str | None = None  # the last line refused, until it is brought back
        self.fix: tuple[str, str] | None = None  # a mistyped @name, and what Tab puts instead

    def compose(self) -> ComposeResult:
        line = CaptureInput(
            self,
            placeholder=t("capture.placeholder"),
            id="capture",
            suggester=MarkerSuggester(self),
        )
        line.cursor_blink = False
        yield line
        yield Static("", id="capture-error")

    @property
    def input(self) -> Input:
        return self.query_one("#capture", Input)

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#capture-error", Static)
        error.update(message or "")
        error.set_class(message is not None, "shown")
        error.set_class(False, "hint")

    def show_draft_hint(self) -> None:
        """Under the line, once the refused one is typed over: how to bring it back."""
        error = self.query_one("#capture-error", Static)
        error.update(t("capture.draft_kept", key=key_label("up")))
        error.set_class(True, "shown", "hint")

    def restore(self, line: str, message: str) -> None:
        """Give a line back after its write failed, unless something new was typed."""
        if not self.input.value:
            self.input.value = line
        self.show_error(message)

    def candidates(self, value: str) -> tuple[int, int, list[str]]:
        return completions(
            value, len(value), self.structures, default_structure=self.default_structure
        )

    def action_complete(self) -> None:
        """Tab replaces the @structure or #tag being typed by the best candidate; on a line
        refused for a mistyped name, by the name it suggested."""
        line = self.input
        if self.fix is not None and line.value == self.draft:
            typed, meant = self.fix
            self.fix = self.draft = None
            line.value = line.value.replace(typed, meant, 1)
            line.cursor_position = len(line.value)
            self.show_error(None)
            return
        if not line.cursor_at_end:
            return
        start, _, candidates = self.candidates(line.value)
        if candidates:
            line.value = line.value[:start] + candidates[0] + " "
            line.cursor_position = len(line.value)

    def submit(self, line: str) -> None:
        """Read the line: a good one is cleared at once and handed on; a bad one stays."""
        if not line.strip():
            return
        try:
            draft = parse_capture(
                line,
                self.structures,
                default_kind=self.default_kind,
                default_structure=self.default_structure,
            )
        except InvalidInput as error:
            self.show_error(error.message)
            suggestion = error.values.get("suggestion")
            self.fix = (f"@{error.values['mention']}", f"@{suggestion}") if suggestion else None
            self.draft = line
            self.input.select_all()  # what is typed next replaces it
            return
        self.show_error(None)
        self.input.value = ""
        self.post_message(self.Captured(draft, line))

    def on_mount(self) -> None:
        self.watch(self.input, "selection", self._selection_moved, init=False)

    def _selection_moved(self) -> None:
        """The cursor moved inside the refused line: it is being corrected where it is,
        so it is no draft to keep any more."""
        line = self.input
        if self.draft is not None and line.value == self.draft and line.selection.is_empty:
            self.draft = None

    def action_recall(self) -> None:
        """↑ brings the refused line back to be corrected; what was in the line instead
        becomes the draft in its turn."""
        draft = self.draft
        if draft is None:
            return
        line = self.input
        self.draft, line.value = (line.value or None), draft
        line.cursor_position = len(line.value)
        self.show_error(None)

    @on(Input.Changed, "#capture")
    def typing(self) -> None:
        value = self.input.value
        if self.draft is not None and value != self.draft:
            self.show_draft_hint()
        elif self.query_one("#capture-error", Static).has_class("shown") and not value:
            self.show_error(None)
