"""Émargement: who came to a session, marked live while the group settles in.

Each mark is its own ``Attendance`` record whose id is ``Attendance.key(session,
participant)``: marking twice updates one record, and two facilitators marking
different people at the same moment never write the same record. A mark is written
at once (one ``put`` in a save worker) and shown at once: the list keeps the mark
as typed until the store's newest view holds it, so a slow disk never makes a
name blink back to its old state.

What the guidance asks about is the governance: each structure's heading says
whether someone of its board is there. Every state has a mark and a word of its
own (``✓``, ``~``, ``✗``, ``·``; ``G`` for governance), and colour only repeats them,
so the list reads the same on a washed-out projector or a 16-colour terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator import actions
from facilitator.domain import (
    Participant,
    Presence,
    label,
)
from facilitator.i18n import lazy, t
from facilitator.store import CohortStore
from facilitator.text import fit
from facilitator.view import CohortView
from facilitator.views.attendance import (
    Governance,
    StructureRoll,
    roll_call,
    tally,
)
from screens.dialogs.list_dialog import ListDialog

MARKS: dict[Presence | None, str] = {
    Presence.PRESENT: "✓",
    Presence.EXCUSED: "~",
    Presence.ABSENT: "✗",
    None: "·",
}
STYLES: dict[Presence | None, str] = {
    Presence.PRESENT: "bold green",
    Presence.EXCUSED: "yellow",
    Presence.ABSENT: "bold red",
    None: "dim italic",
}
GOVERNANCE_MARK = "G"
HEADING_PREFIX = "structure:"

# Space (or Enter, or a click) walks through the states; an unmarked person becomes present
# first, since that is what most people in the room are.
NEXT_PRESENCE: dict[Presence | None, Presence] = {
    None: Presence.PRESENT,
    Presence.PRESENT: Presence.EXCUSED,
    Presence.EXCUSED: Presence.ABSENT,
    Presence.ABSENT: Presence.PRESENT,
}


def presence_word(presence: Presence | None) -> str:
    return label(presence) if presence is not None else t("attendance.unmarked")


GOVERNANCE_MARKS = {
    Governance.REPRESENTED: "✓",
    Governance.AWAITED: "·",
    Governance.MISSING: "✗",
    Governance.NOBODY: "!",
}
GOVERNANCE_STYLES = {
    Governance.REPRESENTED: "bold green",
    Governance.AWAITED: "dim",
    Governance.MISSING: "bold red",
    Governance.NOBODY: "yellow",
}


# --- drawing ------------------------------------------------------------------------


def summary_text(rolls: Sequence[StructureRoll]) -> Text:
    """The counts at the top: people in each state, then governance represented."""
    counts = tally(rolls)
    out = Text()
    for index, presence in enumerate((Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT, None)):
        key = presence.value if presence is not None else "unmarked"
        if index:
            out.append("   ")
        out.append(MARKS[presence], style=STYLES[presence])
        out.append(" " + t(f"attendance.summary.{key}", count=counts[presence]))
    represented = sum(r.governance == Governance.REPRESENTED for r in rolls)
    out.append("\n")
    out.append(t("attendance.summary.expected", count=sum(counts.values())))
    out.append("   ")
    out.append(f"{GOVERNANCE_MARK} ", style="bold")
    out.append(t("attendance.summary.governance", count=represented, total=len(rolls)))
    return out


def heading_text(roll: StructureRoll, width: int) -> Text:
    """The structure's name, and on the right whether its governance is represented."""
    state = roll.governance
    status = (
        f"{GOVERNANCE_MARK}{GOVERNANCE_MARKS[state]} {t(f'attendance.governance.{state.value}')}"
    )
    name_width = max(8, width - cell_len(status) - 2)
    out = Text(fit(roll.structure.name, name_width), style="bold")
    out.append("  ")
    out.append(status, style=GOVERNANCE_STYLES[state])
    return out


def person_text(
    person: Participant, presence: Presence | None, width: int, name_width: int
) -> Text:
    """``✓ présent·e   Nadia Benali   G président·e``, in columns."""
    word_width = max(cell_len(presence_word(p)) for p in MARKS) + 2
    out = Text("  ")
    out.append(
        fit(f"{MARKS[presence]} {presence_word(presence)}", word_width), style=STYLES[presence]
    )
    out.append(" ")
    out.append(fit(person.name, name_width))
    out.append(" ")
    out.append(GOVERNANCE_MARK if person.speaks_for_governance else " ", style="bold")
    out.append(" ")
    room = width - 2 - word_width - 1 - name_width - 3
    if room > 3:
        out.append(fit(label(person.role), room).rstrip(), style="dim")
    return out


HINTS = (
    (
        ("attendance.hint.cycle_keys", "attendance.hint.cycle"),
        ("attendance.hint.present_key", "domain.presence.present"),
        ("attendance.hint.excused_key", "domain.presence.excuse"),
        ("attendance.hint.absent_key", "domain.presence.absent"),
    ),
    (
        ("key.name.delete", "attendance.hint.clear"),
        ("attendance.hint.all_key", "attendance.hint.all"),
        ("key.name.escape", "attendance.hint.close"),
    ),
)
"""The keys on two lines, marking first: each line fits 80 columns, so no key is
ever parted from its word."""


def key_hints() -> Text:
    """The keys, said in the dialog itself: the facilitator should not have to guess."""
    out = Text()
    for line_number, line in enumerate(HINTS):
        if line_number:
            out.append("\n")
        for index, (keys, what) in enumerate(line):
            if index:
                out.append("  ·  ", style="dim")
            out.append(t(keys), style="bold")
            out.append(" " + t(what), style="dim")
    return out


@dataclass
class _Pending:
    """A mark typed here and not yet in the view; ``written`` once the store returned."""

    presence: Presence | None
    written: threading.Event = field(default_factory=threading.Event)


class AttendanceList(OptionList):
    """Structures as headings (not selectable), their people below, one line each."""

    DEFAULT_CSS = """
    AttendanceList {
        height: 1fr;
        border: none;
        padding: 0 1;
        background: $surface;
        scrollbar-size-vertical: 1;
    }
    AttendanceList:focus { border: none; background-tint: initial; }
    AttendanceList > .option-list--option-disabled { color: $foreground; }
    """

    def on_resize(self, event: Resize) -> None:
        """The columns follow the width: the screen lays the lines out again."""
        screen = self.screen
        if isinstance(screen, AttendanceScreen):
            screen.redraw(rebuild=True)


class AttendanceScreen(ListDialog):
    """The sign-in sheet of one session, marked with single keys."""

    WRITE_ACTIONS = frozenset(["all_present", "clear", "cycle", "mark"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", lazy("key.close")),
        Binding("space", "cycle", lazy("attendance.key.cycle")),
        Binding("p", "mark('present')", lazy("attendance.key.present")),
        Binding("e", "mark('excuse')", lazy("attendance.key.excused")),
        Binding("x", "mark('absent')", lazy("attendance.key.absent")),
        Binding("backspace,delete", "clear", lazy("attendance.key.clear")),
        Binding("t", "all_present", lazy("attendance.key.all")),
    ]
    PREFIX = "attendance"

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.pending: dict[str, _Pending] = {}
        self._ids: tuple[str, ...] = ()

    def make_list(self) -> AttendanceList:
        return AttendanceList(id="attendance-list")

    def hint(self) -> Text:
        return key_hints()

    def ready(self) -> None:
        listing = self.query_one(AttendanceList)
        first = next((i for i, o in enumerate(listing.options) if not o.disabled), None)
        listing.highlighted = first

    # --- what is shown -----------------------------------------------------------------

    def show(self, view: CohortView) -> None:
        for participant_id, mark in list(self.pending.items()):
            found = view.presence(self.session_id, participant_id)
            if mark.written.is_set() or (found.presence if found else None) == mark.presence:
                del self.pending[participant_id]
        self.redraw()

    def rolls(self) -> list[StructureRoll]:
        view = self.facilitator.view
        session = view.session(self.session_id) if view is not None else None
        if view is None or session is None:
            return []
        return roll_call(view, session, {pid: m.presence for pid, m in self.pending.items()})

    def redraw(self, *, rebuild: bool = False) -> None:
        """Lay the list out from the view and the pending marks, keeping the cursor."""
        view = self.facilitator.view
        session = view.session(self.session_id) if view is not None else None
        if view is None or session is None:
            return
        self.query_one("#attendance-title", Static).update(
            t("attendance.title", session=view.session_title(session))
        )
        rolls = self.rolls()
        self.query_one("#attendance-summary", Static).update(summary_text(rolls))
        listing = self.query_one(AttendanceList)
        width = max(40, listing.scrollable_content_region.width - 1)  # room for a scrollbar
        names = [cell_len(p.name) for roll in rolls for p, _ in roll.people]
        name_width = min(max(names, default=10), max(12, width // 3))
        lines: list[tuple[str, Text, bool]] = []
        for roll in rolls:
            lines.append((HEADING_PREFIX + roll.structure.id, heading_text(roll, width), True))
            if not roll.people:
                lines.append(
                    (
                        f"{HEADING_PREFIX}{roll.structure.id}:empty",
                        Text("  " + t("attendance.nobody"), style="dim italic"),
                        True,
                    )
                )
            for person, presence in roll.people:
                lines.append((person.id, person_text(person, presence, width, name_width), False))
        ids = tuple(key for key, _, _ in lines)
        if ids == self._ids and not rebuild:
            for key, text, _ in lines:
                listing.replace_option_prompt(key, text)
            return
        selected = self.selected_id
        self._ids = ids
        listing.clear_options()
        listing.add_options(
            Option(text, id=key, disabled=disabled) for key, text, disabled in lines
        )
        if selected in ids:
            listing.highlighted = listing.get_option_index(selected)

    @property
    def selected_id(self) -> str | None:
        """The participant under the cursor."""
        listing = self.query_one(AttendanceList)
        if listing.highlighted is None or not listing.option_count:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return None if option.disabled else option.id

    @on(OptionList.OptionHighlighted)
    def _keep_heading_in_sight(self, event: OptionList.OptionHighlighted) -> None:
        """Moving up onto a structure's first person also brings its heading into view."""
        listing = self.query_one(AttendanceList)
        index = event.option_index
        while index > 0 and listing.get_option_at_index(index - 1).disabled:
            index -= 1
        # Every option is one line (the texts are fitted to the width), so index = line.
        if index != event.option_index and listing.scroll_offset.y > index:
            listing.scroll_to(y=index, animate=False, immediate=True)

    # --- marking --------------------------------------------------------------------------

    def current(self, participant_id: str) -> Presence | None:
        for roll in self.rolls():
            for person, presence in roll.people:
                if person.id == participant_id:
                    return presence
        return None

    def write(self, marks: Mapping[str, Presence | None]) -> None:
        """Show ``marks`` now and write them in one step (None erases a mark)."""
        if not marks:
            return
        pending = {pid: _Pending(presence) for pid, presence in marks.items()}
        self.pending.update(pending)
        self.redraw()
        session_id, wanted = self.session_id, dict(marks)

        def write(store: CohortStore) -> None:
            actions.mark_attendance(store, session_id, wanted, now=self.facilitator.now())
            for mark in pending.values():
                mark.written.set()

        def failed(_message: str) -> None:
            for participant_id, mark in pending.items():
                if self.pending.get(participant_id) is mark:
                    del self.pending[participant_id]
            self.redraw()

        self.facilitator.save(write, None, on_error=failed)

    def _advance(self) -> None:
        """To the next person (headings are skipped), stopping at the last one."""
        listing = self.query_one(AttendanceList)
        start = listing.highlighted
        if start is None:
            return
        for index in range(start + 1, listing.option_count):
            if not listing.get_option_at_index(index).disabled:
                listing.highlighted = index
                return

    def action_cycle(self) -> None:
        participant_id = self.selected_id
        if participant_id is not None:
            self.write({participant_id: NEXT_PRESENCE[self.current(participant_id)]})

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.check_action("cycle", ()) is None:  # read-only: Enter is past the key's guard
            self.notify(t("store.error.read_only"), severity="warning")
            return
        self.action_cycle()

    def action_mark(self, presence: str) -> None:
        participant_id = self.selected_id
        if participant_id is not None:
            self.write({participant_id: Presence(presence)})
            self._advance()

    def action_clear(self) -> None:
        participant_id = self.selected_id
        if participant_id is not None and self.current(participant_id) is not None:
            self.write({participant_id: None})

    def action_all_present(self) -> None:
        """Everyone not marked yet is present: then only the exceptions need a key."""
        marks: dict[str, Presence | None] = {
            person.id: Presence.PRESENT
            for roll in self.rolls()
            for person, presence in roll.people
            if presence is None
        }
        if not marks:
            self.notify(t("attendance.all_marked"), timeout=3)
            return
        self.write(marks)
        self.notify(t("attendance.all_done", count=len(marks)), timeout=3)
