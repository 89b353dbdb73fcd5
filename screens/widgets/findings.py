"""The guidance's findings, each with what to do about it.

A finding is only useful with its advice beside it: the facilitator reads out the
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

from facilitator.rules import Finding, Severity
from screens.widgets.bullet import Bullet

MARKS = {Severity.WARNING: "▲", Severity.INFO: "ℹ"}
ADVICE_MARK = "→"


class FindingList(VerticalGroup):
    """Findings in the order given, or a reassuring sentence when there are none."""

    DEFAULT_CSS = """
    FindingList {
        height: auto;
    }
    FindingList > .finding {
        height: auto;
        margin-bottom: 1;
    }
    FindingList > .finding:last-of-type {
        margin-bottom: 0;
    }
    FindingList > .finding.-warning > .finding--message > .bullet--mark {
        color: $text-warning;
        text-style: bold;
    }
    FindingList > .finding.-info > .finding--message > .bullet--mark {
        color: $text-primary;
        text-style: bold;
    }
    FindingList > .finding > .finding--advice {
        padding-left: 2;
    }
    FindingList > .finding > .finding--advice {
        color: $text-muted;
    }
    FindingList > .findings--empty {
        color: $text-success;
    }
    """

    findings: reactive[tuple[Finding, ...]] = reactive((), recompose=True)

    def __init__(
        self, empty: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.empty = empty

    def show(self, findings: Sequence[Finding], empty: str | None = None) -> None:
        """Redraw with ``findings``; ``empty`` is the sentence shown when there are none."""
        if empty is not None and empty != self.empty:
            self.empty = empty
            self.refresh(recompose=True)
        self.findings = tuple(findings)

    def compose(self) -> ComposeResult:
        if not self.findings:
            yield Static(self.empty, classes="findings--empty", markup=False)
            return
        for finding in self.findings:
            with VerticalGroup(classes=f"finding -{finding.severity.value}"):
                yield Bullet(MARKS[finding.severity], finding.message, classes="finding--message")
                if finding.advice:
                    yield Bullet(ADVICE_MARK, finding.advice, classes="finding--advice")
