"""The notes of a session as they are said, newest first, with a filter.

Shared by the live session screen and any screen that lists notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitator.domain import Lever, Note, NoteKind, label, lever_short
from facilitator.i18n import t
from facilitator.text import clip
from facilitator.view import CohortView


@dataclass(frozen=True)
class NoteFilter:
    structure_id: str | None = None
    kind: NoteKind | None = None
    lever: Lever | None = None

    def accepts(self, note: Note) -> bool:
        return (
            (self.structure_id is None or note.structure_id == self.structure_id)
            and (self.kind is None or note.kind == self.kind)
            and (self.lever is None or note.lever == self.lever)
        )

    def describe(self, view: CohortView) -> str:
        parts = []
        structure = view.structure(self.structure_id)
        if structure is not None:
            parts.append(structure.name)
        if self.kind is not None:
            parts.append(label(self.kind))
        if self.lever is not None:
            parts.append(label(self.lever))
        return " · ".join(parts)


class NoteFeed(OptionList):
    """Newest first, each note a dim line saying when, what and who, then its words
    across the whole width; redrawn only when the notes shown change."""

    DEFAULT_CSS = """
    NoteFeed { height: 1fr; border: none; padding: 0 1; }
    NoteFeed:focus { border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] = ()
        self._last: tuple[Sequence[Note], CohortView] | None = None

    def on_resize(self) -> None:
        """The dim line is clipped to the width: lay the notes out again at the new one."""
        if self._last is not None:
            self._shown = ()
            self.show(*self._last)

    def show(self, notes: Sequence[Note], view: CohortView) -> None:
        self._last = (notes, view)
        newest = sorted(notes, key=lambda n: n.created, reverse=True)
        signature = tuple((n.id, (n.edited or n.created).isoformat()) for n in newest)
        if signature == self._shown:
            return
        self._shown = signature
        selected = self.selected_id
        self.clear_options()
        width = max(30, self.scrollable_content_region.width - 2)
        self.add_options(Option(note_text(note, view, width), id=note.id) for note in newest)
        if selected is not None and selected in {n.id for n in newest}:
            self.highlighted = self.get_option_index(selected)

    @property
    def selected_id(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id


def note_text(note: Note, view: CohortView, width: int) -> Text:
    """One dim line (when, kind, structure, lever, DAS) clipped to ``width``, then the words."""
    structure = view.structure(note.structure_id)
    meta = [note.created.to(view.cohort.timezone).format("HH:mm"), label(note.kind)]
    if structure is not None:
        meta.append(structure.name)
    if note.lever is not None:
        meta.append(lever_short(note.lever))
    if note.das:
        meta.append(note.das)
    return Text.assemble((clip(t("format.separator").join(meta), width), "dim"), "\n", note.text)
