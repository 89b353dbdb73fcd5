"""The re-plan proposal: what the rest of the session would become, to accept or not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from facilitator.agenda import item_title
from facilitator.clock import Replan
from facilitator.domain import AgendaItem
from facilitator.i18n import lazy, t
from screens.base import Dialog


class ReplanScreen(Dialog[bool]):
    """Shows old and proposed minutes of the items to come; Enter applies, Escape keeps."""

    BINDINGS = [
        Binding("escape", "answer(False)", lazy("forms.cancel")),
        Binding("enter", "answer(True)", lazy("key.apply")),
    ]

    def __init__(
        self, items: Sequence[AgendaItem], proposal: Replan, names: Mapping[str, str]
    ) -> None:
        super().__init__()
        self.items = items
        self.proposal = proposal
        self.names = names

    def compose(self) -> ComposeResult:
        proposal = self.proposal
        with Vertical(classes="frame"):
            yield Static(t("session.replan.title"), classes="title")
            if not proposal.remaining:
                yield Static(t("session.replan.nothing_left"))
            elif proposal.gained == 0 and proposal.fits:
                yield Static(t("session.replan.already_fits"))
            else:
                yield Static(t("session.replan.summary", minutes=proposal.gained))
            yield DataTable(id="replan", cursor_type="none")
            for shortfall in proposal.shortfalls:
                yield Static(shortfall.message(self.items, self.names), classes="shortfall")
            with Horizontal(id="replan-buttons", classes="buttons"):
                yield Button(t("forms.cancel"), id="keep")
                yield Button(
                    t("key.apply"),
                    id="apply",
                    variant="primary",
                    disabled=not proposal.gained,
                )

    def on_mount(self) -> None:
        table = self.query_one("#replan", DataTable)
        table.add_columns(
            t("word.item"),
            t("session.replan.col.before"),
            t("session.replan.col.after"),
        )
        for index in self.proposal.remaining:
            before, after = self.items[index].minutes, self.proposal.items[index].minutes
            table.add_row(
                item_title(self.items[index], self.names),
                str(before),
                str(after) if after != before else "=",
            )
        apply = self.query_one("#apply", Button)
        (apply if not apply.disabled else self.query_one("#keep", Button)).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")

    def action_answer(self, apply: bool) -> None:
        self.dismiss(apply and bool(self.proposal.gained))
