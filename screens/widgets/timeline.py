"""The programme's calendar as a list: what is behind (✓), what comes next (▶), what follows (○).

The widget draws entries it is given; it does not know sessions or dates, so any
screen can show a calendar (the programme's, one structure's) with the same marks.
Each entry takes two lines, its title then its date: a session's full name and a
full date do not share one line in 80 columns, and cutting either would cost the
group the one thing it reads.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.reactive import reactive

from facilitator.views.dashboard import Stage, TimelineEntry
from screens.widgets.bullet import Bullet

MARKS = {Stage.DONE: "✓", Stage.NEXT: "▶", Stage.LATER: "○"}
"""A mark per stage, so the calendar reads without colour (16-colour terminals, projectors)."""


class Timeline(VerticalGroup):
    """A vertical calendar; the next entry stands out by its mark, a bar and bold."""

    DEFAULT_CSS = """
    Timeline {
        height: auto;
    }
    Timeline > .timeline--entry {
        height: auto;
        border-left: blank;
    }
    Timeline > .timeline--entry.-done {
        color: $text-muted;
    }
    Timeline > .timeline--entry.-done > Bullet > .bullet--mark {
        color: $text-success;
    }
    Timeline > .timeline--entry.-next {
        border-left: thick $primary;
        background: $primary 20%;
        text-style: bold;
    }
    Timeline > .timeline--entry.-next > Bullet > .bullet--mark {
        color: $text-primary;
    }
    Timeline .timeline--details {
        display: none;
        height: auto;
        padding-left: 2;
        text-style: none;
    }
    Timeline.-detailed .timeline--details {
        display: block;
    }
    Timeline .timeline--details .bullet--text {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    Timeline .timeline--details .-done {
        color: $text-muted;
    }
    Timeline .timeline--details .-next {
        text-style: bold;
    }
    """

    entries: reactive[tuple[TimelineEntry, ...]] = reactive((), recompose=True)
    detailed: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        for entry in self.entries:
            with VerticalGroup(classes=f"timeline--entry -{entry.stage.value}"):
                text = Content(entry.title)
                if entry.when:
                    text = Content.assemble(text, "\n", (entry.when, "not bold"))
                yield Bullet(MARKS[entry.stage], text)
                if entry.details:
                    width = max(cell_len(d.when) for d in entry.details)
                    with VerticalGroup(classes="timeline--details"):
                        for detail in entry.details:
                            when = detail.when + " " * (width - cell_len(detail.when))
                            yield Bullet(
                                MARKS[detail.stage],
                                Content.assemble(when, "  ", detail.title),
                                classes=f"-{detail.stage.value}",
                            )

    def watch_detailed(self, detailed: bool) -> None:
        self.set_class(detailed, "-detailed")
