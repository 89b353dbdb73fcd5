"""The guidance's concerns, each with what to do about it.

A concern is only useful with its advice beside it: the facilitator reads out the
problem and, in the same glance, the next move. Warnings and information differ by
mark (▲, ℹ) as well as colour, so they stay apart in a 16-colour terminal, on a
projector that washes colours out, or for a reader who does not see them.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.reactive import reactive
from textual.widgets import Static

from facilitator.rules import Concern, Severity
from screens.widgets.bullet import Bullet

MARKS = {Severity.WARNING: "▲", Severity.INFO: "ℹ"}
ADVICE_MARK = "→"


class ConcernList(VerticalGroup):
    """Concerns in the order given, or a reassuring sentence when there are none."""

    DEFAULT_CSS = """
    ConcernList {
        height: auto;
    }
    ConcernList > .concern {
        height: auto;
        margin-bottom: 1;
    }
    ConcernList > .concern:last-of-type {
        margin-bottom: 0;
    }
    ConcernList > .concern.-warning > .concern--message > .bullet--mark {
        color: $text-warning;
        text-style: bold;
    }
    ConcernList > .concern.-info > .concern--message > .bullet--mark {
        color: $text-primary;
        text-style: bold;
    }
    ConcernList > .concern > .concern--advice {
        padding-left: 2;
    }
    ConcernList > .concern > .concern--advice {
        color: $text-muted;
    }
    ConcernList > .concerns--empty {
        color: $text-success;
    }
    """

    concerns: reactive[tuple[Concern, ...]] = reactive((), recompose=True)

    def __init__(
        self, empty: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.empty = empty

    def show(self, concerns: Sequence[Concern], empty: str | None = None) -> None:
        """Redraw with ``concerns``; ``empty`` is the sentence shown when there are none."""
        if empty is not None and empty != self.empty:
            self.empty = empty
            self.refresh(recompose=True)
        self.concerns = tuple(concerns)

    def compose(self) -> ComposeResult:
        if not self.concerns:
            yield Static(self.empty, classes="concerns--empty", markup=False)
            return
        for concern in self.concerns:
            with VerticalGroup(classes=f"concern -{concern.severity.value}"):
                yield Bullet(MARKS[concern.severity], concern.message, classes="concern--message")
                if concern.advice:
                    yield Bullet(ADVICE_MARK, concern.advice, classes="concern--advice")
