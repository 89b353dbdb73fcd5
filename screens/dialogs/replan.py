"""The re-plan proposal: what the rest of the session would become, to accept or not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from facilitator.agenda import item_title
from facilitator.clock import Replan
from facilitator.domain import AgendaItem
from facilitator.i18n import lazy, t
from facilitator.text import clip
from screens.base import Dialog

FRAME_WIDTH = 76  # as dialogs.tcss sizes the frame
TITLE_MIN = 16


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
        """The minutes first, side by side, and the item's title in what is left of the
        width, clipped: at 80 columns the proposal must be seen before it is applied."""
        table = self.query_one("#replan", DataTable)
        before, after = t("session.replan.col.before"), t("session.replan.col.after")
        table.add_column(before, key="before")
        table.add_column(after, key="after")
        # The frame's border and padding, two cells of padding a column, a scrollbar.
        frame = min(FRAME_WIDTH, self.app.size.width) - 4
        width = max(TITLE_MIN, frame - cell_len(before) - cell_len(after) - 3 * 2 - 1)
        table.add_column(t("word.item"), key="item", width=width)
        for index in self.proposal.remaining:
            planned, proposed = self.items[index].minutes, self.proposal.items[index].minutes
            table.add_row(
                Text(str(planned), justify="right"),
                Text(str(proposed) if proposed != planned else "=", justify="right"),
                clip(item_title(self.items[index], self.names), width),
            )
        apply = self.query_one("#apply", Button)
        (apply if not apply.disabled else self.query_one("#keep", Button)).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")

    def action_answer(self, apply: bool) -> None:
        self.dismiss(apply and bool(self.proposal.gained))
