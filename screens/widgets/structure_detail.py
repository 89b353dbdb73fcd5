"""The detail of one structure beside (or below) the board's matrix.

What a facilitator checks before speaking to a structure: who its people are and how
to reach them, what work it owes before the next session, and what the guidance would
question about it. The participants are a list of their own so they can be picked
(edited, deleted) without leaving the board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain import (
    Participant,
    PreparatoryTask,
    Structure,
    TaskStatus,
    label,
    session_tag,
)
from facilitator.i18n import t
from facilitator.rules import Concern, Severity
from screens.widgets.board_matrix import (
    DONE_MARK,
    GOVERNANCE_MARK,
    LATE_MARK,
    NOTHING,
    Palette,
)

TASK_MARKS = {TaskStatus.DONE: DONE_MARK, TaskStatus.IN_PROGRESS: "◐", TaskStatus.TODO: "○"}
INDENT = "  "
CONTACT_SEPARATOR = "   "


@dataclass(frozen=True)
class StructureFacts:
    """Everything the pane shows for one structure, gathered by the screen."""

    structure: Structure
    participants: Sequence[Participant]
    tasks: Sequence[PreparatoryTask]
    concerns: Sequence[Concern]
    today: dt.date


def _date(day: dt.date) -> str:
    return day.strftime(t("format.date"))


def _heading(text: str) -> Content:
    return Content.from_markup("[b $text-primary]$words[/]", words=text)


def _grid(first_width: int) -> Table:
    """Two columns, the second wrapping under itself: a hanging indent that Textual's
    own text wrapping does not give, so a long line never runs back under its mark."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, width=first_width)
    grid.add_column(ratio=1)
    return grid


def structure_facts(structure: Structure, palette: Palette) -> Table:
    """Sector, network, creation with employer and intérêt général, DAS: one per row."""
    created = (
        Text(_date(structure.created))
        if structure.created is not None
        else Text(t("board.detail.created_unknown"), style=palette.warn)
    )
    for key, held in (
        ("employer", structure.employer),
        ("general_interest", structure.general_interest),
    ):
        created.append(" · ")
        if held:
            created.append(t(f"board.detail.{key}.yes"))
        else:
            created.append(f"{LATE_MARK} {t(f'board.detail.{key}.no')}", style=palette.warn)
    rows = [
        (t("word.sector"), Text(structure.sector or NOTHING)),
        (t("word.network"), Text(structure.network or NOTHING)),
        (t("board.detail.created"), created),
        (t("word.das"), Text(", ".join(structure.das) or NOTHING)),
    ]
    grid = _grid(max(cell_len(name) for name, _ in rows))
    for name, value in rows:
        grid.add_row(Text(name, style=palette.muted), value)
    return grid


def participant_prompt(participant: Participant, width: int) -> Content:
    """Governance mark, name and role, then the contacts, in as few lines as ``width``
    allows: the role and each contact move to a line of their own when it is narrow."""

    def fits(line: Content) -> bool:
        return width <= 0 or line.cell_length <= width

    mark = GOVERNANCE_MARK if participant.speaks_for_governance else " "
    name = Content.from_markup("[b $success]$mark[/] [b]$name[/]", mark=mark, name=participant.name)
    role = Content.from_markup("[$foreground-muted]$role[/]", role=label(participant.role))
    head = Content.assemble(name, Content.from_markup("[$foreground-muted] · [/]"), role)
    lines = [head] if fits(head) else [name, Content(INDENT) + role]
    contacts = [c for c in (participant.email, participant.phone) if c]
    together = Content(INDENT + CONTACT_SEPARATOR.join(contacts))
    if not contacts:
        lines.append(
            Content.from_markup(
                f"{INDENT}[$foreground-muted]$words[/]", words=t("board.detail.no_contact")
            )
        )
    elif fits(together):
        lines.append(together)
    else:
        lines.extend(Content(INDENT + contact) for contact in contacts)
    return Content("\n").join(lines)


def task_rows(tasks: Sequence[PreparatoryTask], today: dt.date, palette: Palette) -> Table:
    """Each task's mark and title, then its status, the session it prepares, its due date."""
    grid = _grid(1)
    for task in sorted(tasks, key=lambda task: (task.due or dt.date.max, task.title)):
        late = task.late(today)
        if late:
            mark = Text(LATE_MARK, style=palette.bad)
        elif task.status == TaskStatus.DONE:
            mark = Text(DONE_MARK, style=palette.good)
        else:
            mark = Text(TASK_MARKS[task.status])
        stage = session_tag(task.before)
        parts = [label(task.status), t("board.detail.task_before", stage=stage)]
        if task.due is not None:
            parts.append(t("board.detail.task_due", date=_date(task.due)))
        body = Text(task.title)
        body.append("\n" + " · ".join(parts), style=palette.muted)
        if late:
            body.append(" " + t("board.detail.late"), style=palette.bad)
        grid.add_row(mark, body)
    return grid


def concern_rows(concerns: Sequence[Concern], palette: Palette) -> Table:
    """Each concern, then what to do about it."""
    grid = _grid(1)
    for concern in concerns:
        warning = concern.severity == Severity.WARNING
        mark = Text(LATE_MARK, style=palette.warn) if warning else Text("i", style=palette.info)
        body = Text(concern.message)
        body.append(f"\n→ {concern.advice}", style=palette.muted)
        grid.add_row(mark, body)
    return grid


class ParticipantList(OptionList):
    """A structure's participants; the highlighted one is what e and d act on here.

    The highlight shows only while the list has focus, so nobody reads it as a
    choice made while they are working in the matrix.
    """

    DEFAULT_CSS = """
    ParticipantList {
        border: none;
        padding: 0;
        background: transparent;
        height: auto;
        & > .option-list--option-highlighted {
            background: transparent;
            color: $foreground;
            text-style: none;
        }
        &:focus {
            background-tint: $foreground 0%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    # Enter edits (the screen's action); a click only highlights, it never opens a form.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "screen.edit", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._people: list[Participant] = []
        self._width = 0

    @property
    def selected_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def show_people(self, people: Sequence[Participant], select: str | None = None) -> None:
        """List ``people``, keeping the highlight on ``select`` or on whom it was on."""
        keep = select or self.selected_id
        self._people = list(people)
        self._width = self.scrollable_content_region.width
        self.set_options(Option(participant_prompt(p, self._width), id=p.id) for p in self._people)
        ids = [p.id for p in self._people]
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    def on_resize(self, event: Resize) -> None:
        """Contacts go on one line or two depending on the width: lay them out again."""
        if self._people and self.scrollable_content_region.width != self._width:
            self.call_after_refresh(self.show_people, self._people)


class ParticipantsSection(Vertical):
    """A heading with the count and the legend, then the participant list.

    A section of its own so a wide screen can show it under the matrix, where there is
    room for the contacts on one line, and a narrow one inside the detail pane.
    """

    DEFAULT_CSS = """
    ParticipantsSection { height: auto; }
    ParticipantsSection > .detail-heading { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="detail-heading")
        yield ParticipantList()

    @property
    def people(self) -> ParticipantList:
        return self.query_one(ParticipantList)

    def show(self, participants: Sequence[Participant], select: str | None = None) -> None:
        count = len(participants)
        legend = (
            t("board.detail.participants_legend", mark=GOVERNANCE_MARK)
            if count
            else t("board.detail.no_participants")
        )
        self.query_one(".detail-heading", Static).update(
            Content.assemble(
                _heading(t("word.participants_count", count=count)),
                Content.from_markup("  [$foreground-muted]$legend[/]", legend=legend),
            )
        )
        self.people.display = bool(count)
        self.people.show_people(participants, select)


class StructureDetail(VerticalScroll):
    """Facts, participants, preparatory work and concerns of the selected structure."""

    DEFAULT_CSS = """
    StructureDetail {
        border: round $primary-muted;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    StructureDetail:focus-within { border: round $primary; }
    StructureDetail .detail-heading { margin-top: 1; }
    StructureDetail.-empty .detail-section { display: none; }
    StructureDetail Static { width: 100%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._facts: StructureFacts | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-facts")
        yield ParticipantsSection(classes="detail-section")
        yield Static(id="detail-tasks-title", classes="detail-heading detail-section")
        yield Static(id="detail-tasks", classes="detail-section")
        yield Static(id="detail-concerns-title", classes="detail-heading detail-section")
        yield Static(id="detail-concerns", classes="detail-section")

    @property
    def shown_id(self) -> str | None:
        return self._facts.structure.id if self._facts else None

    def show(self, facts: StructureFacts | None, select: str | None = None) -> None:
        """Redraw for ``facts``, or say how to begin when there is no structure.

        The highlighted participant stays where it was, or moves to ``select``.
        """
        self._facts = facts
        self.set_class(facts is None, "-empty")
        if facts is None:
            self.border_title = t("board.detail.title_empty")
            self.query_one("#detail-facts", Static).update(t("board.detail.empty"))
            return
        self.border_title = facts.structure.name
        palette = Palette.from_variables(self.app.get_css_variables())
        self.query_one("#detail-facts", Static).update(structure_facts(facts.structure, palette))
        self.query_one(ParticipantsSection).show(facts.participants, select)
        self._show_tasks(facts, palette)
        self._show_concerns(facts, palette)

    def _show_tasks(self, facts: StructureFacts, palette: Palette) -> None:
        done = sum(task.status == TaskStatus.DONE for task in facts.tasks)
        self.query_one("#detail-tasks-title", Static).update(
            _heading(t("board.detail.tasks", done=done, total=len(facts.tasks)))
        )
        body = self.query_one("#detail-tasks", Static)
        if facts.tasks:
            body.update(task_rows(facts.tasks, facts.today, palette))
        else:
            body.update(Text(t("word.no_tasks"), style=palette.muted))

    def _show_concerns(self, facts: StructureFacts, palette: Palette) -> None:
        self.query_one("#detail-concerns-title", Static).update(
            _heading(t("word.concerns_count", count=len(facts.concerns)))
        )
        body = self.query_one("#detail-concerns", Static)
        if facts.concerns:
            body.update(concern_rows(facts.concerns, palette))
        else:
            quiet = palette.good + Style(bold=False)
            body.update(Text(f"{DONE_MARK} {t('board.detail.no_concerns')}", style=quiet))
