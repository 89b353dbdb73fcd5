"""A yes/no question before anything is deleted."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from facilitator.i18n import lazy, t
from screens.base import Dialog


class ConfirmScreen(Dialog[bool]):
    BINDINGS = [
        Binding("escape,n", "answer(False)", lazy("forms.no")),
        Binding("y,o", "answer(True)", lazy("forms.yes")),
    ]

    def __init__(self, question: str, yes: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes = yes or t("forms.yes")

    def compose(self) -> ComposeResult:
        with Vertical(classes="frame"):
            yield Static(self.question)
            with Horizontal(id="confirm-buttons", classes="buttons"):
                yield Button(t("forms.no"), id="no")
                yield Button(self.yes, id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
