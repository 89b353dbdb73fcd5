"""What a session has produced so far, laid out the way that session works.

Each session asks a different question of its notes, so each gets its own picture:

- the état des lieux: each structure's constats and problématiques, by domaine
  d'activité stratégique, with the DAS nobody spoke about yet left visible (that is
  the gap the facilitator has to fill before the session ends);
- l'évolution: a matrix of the structures by the three levers of the model, each cell
  counting ambitions, freins, conditions de réussite and effets miroir (``A1 F2 C1
  M1``), and the notes of the cell under the cursor below it;
- any other session: its notes by kind.

The grouping is done in the core (:mod:`facilitator.views.synthesis`); the screen
only lays it out and redraws when the view changes, so notes
another facilitator captures appear while the synthesis is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.widgets import DataTable, Static

from facilitator.domain import Lever, Note, NoteKind, Session, SessionKind, label, lever_short
from facilitator.i18n import lazy, t
from facilitator.view import CohortView
from facilitator.views.synthesis import (
    FINDING_KINDS,
    MATRIX_KINDS,
    NAME_COLUMN,
    NO_LEVER,
    NO_STRUCTURE,
    TOTAL,
    EvolutionMatrix,
    StructureFindings,
    cell_counts,
    evolution_matrix,
    findings_by_structure,
    session_notes,
)
from screens.base import ViewModal

MIN_NAME_WIDTH = 12

BULLET = "▪"


def plural_count(kind: NoteKind, count: int) -> str:
    """``Constats : 3``: a count with the kind's plural word, no agreement to get wrong."""
    return t("synthesis.count", label=t(f"synthesis.plural.{kind.value}"), count=count)


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def cell_label(notes: Iterable[Note]) -> str:
    """``A1 F2 C1 M0``, or ``—`` for an empty cell; the letters come from the catalogue."""
    counts = cell_counts(notes)
    if not any(counts):
        return "—"
    return " ".join(
        f"{t(f'synthesis.letter.{k.value}')}{n}" for k, n in zip(MATRIX_KINDS, counts, strict=True)
    )


def cell_text(notes: Iterable[Note]) -> Text:
    """The cell's label with its zeros dimmed, so the eye goes to what was said."""
    counts = cell_counts(notes)
    if not any(counts):
        return Text("—", style="dim")
    out = Text()
    for index, (kind, count) in enumerate(zip(MATRIX_KINDS, counts, strict=True)):
        if index:
            out.append(" ")
        out.append(
            f"{t(f'synthesis.letter.{kind.value}')}{count}", style="bold" if count else "dim"
        )
    return out


def legend() -> Text:
    out = Text()
    for index, kind in enumerate(MATRIX_KINDS):
        if index:
            out.append(" · ", style="dim")
        out.append(t(f"synthesis.letter.{kind.value}"), style="bold")
        out.append(" " + label(kind))
    return out


# --- drawing --------------------------------------------------------------------------


def note_line(note: Note, *, kind: bool = False, structure: str = "", indent: int = 4) -> Padding:
    """One note as a bullet that wraps under its own text, with dim tags after it."""
    out = Text()
    out.append(f"{BULLET} ", style="dim")
    if kind:
        out.append(label(note.kind), style="bold")
        out.append(" · ", style="dim")
    out.append(note.text)
    tags = [tag for tag in (structure, lever_short(note.lever) if note.lever else "") if tag]
    if tags:
        out.append("  (" + " · ".join(tags) + ")", style="dim")
    return Padding(out, (0, 0, 0, indent))


def findings_renderable(groups: Sequence[StructureFindings]) -> RenderableType:
    """Structure headings with their counts, DAS sub-headings, the notes indented below."""
    parts: list[RenderableType] = []
    for group in groups:
        name = group.structure.name if group.structure else t("synthesis.no_structure")
        heading = Text()
        heading.append(name, style="bold")
        counts = [plural_count(kind, group.count(kind)) for kind in FINDING_KINDS]
        heading.append("   " + " · ".join(counts), style="dim" if not group.notes else "")
        if parts:
            parts.append(Text(""))
        parts.append(heading)
        if not group.notes and not group.groups:
            parts.append(
                Padding(Text(t("synthesis.findings.none"), style="dim italic"), (0, 0, 0, 2))
            )
        for das in group.groups:
            title = das.das or t("synthesis.no_das")
            line = Text(title, style="italic" if das.das else "dim italic")
            line.append(
                f" ({len(das.notes)})" if das.notes else f" — {t('synthesis.das_empty')}",
                style="dim",
            )
            parts.append(Padding(line, (0, 0, 0, 2)))
            for note in das.notes:
                parts.append(note_line(note, kind=note.kind != NoteKind.FINDING))
    return Group(*parts)


def by_kind_renderable(view: CohortView, notes: Sequence[Note]) -> RenderableType:
    """Headings per kind (in the catalogue's order), each note with its structure."""
    if not notes:
        return Text(t("synthesis.empty"), style="dim italic")
    parts: list[RenderableType] = []
    for kind in NoteKind:
        chosen = [n for n in notes if n.kind == kind]
        if not chosen:
            continue
        if parts:
            parts.append(Text(""))
        heading = Text()
        heading.append(t(f"synthesis.plural.{kind.value}").capitalize(), style="bold")
        heading.append(f" ({len(chosen)})", style="dim")
        parts.append(heading)
        for note in chosen:
            structure = view.structure(note.structure_id)
            parts.append(note_line(note, structure=structure.name if structure else "", indent=2))
    return Group(*parts)


class SynthesisScreen(ViewModal[None]):
    """The synthesis of one session: read-only, scrollable, follows the store."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m", "back", lazy("key.close")),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self._kind: SessionKind | None = None
        self._matrix: EvolutionMatrix | None = None
        self._signature: tuple[object, ...] = ()
        self._shown_cell: tuple[str, str] | None = None

    @property
    def session(self) -> Session | None:
        view = self.facilitator.view
        return view.session(self.session_id) if view is not None else None

    def compose(self) -> ComposeResult:
        session = self.session
        self._kind = session.kind if session else None
        with Vertical(classes="frame"):
            yield Static("", id="synthesis-title")
            yield Static("", id="synthesis-summary")
            if self._kind == SessionKind.EVOLUTION:
                yield DataTable(id="synthesis-matrix", cursor_type="cell", zebra_stripes=True)
                yield Static(legend(), id="synthesis-legend")
                yield Static("", id="cell-title")
                with VerticalScroll(id="cell-notes"):
                    yield Static("", id="cell-notes-text")
                hint = "synthesis.hint.matrix"
            else:
                with VerticalScroll(id="synthesis-body"):
                    yield Static("", id="synthesis-text")
                hint = "synthesis.hint.scroll"
            yield Static(t(hint), id="synthesis-hint")

    def on_mount(self) -> None:
        focus = "#synthesis-matrix" if self._kind == SessionKind.EVOLUTION else "#synthesis-body"
        self.query_one(focus).focus()

    def show(self, view: CohortView) -> None:
        session = self.session
        if session is None:
            return
        self.query_one("#synthesis-title", Static).update(
            t("synthesis.title", session=view.session_title(session))
        )
        notes = session_notes(view, session.id)
        if session.kind == SessionKind.STATE_OF_PLAY:
            self._show_findings(view, session, notes)
        elif session.kind == SessionKind.EVOLUTION:
            self._show_matrix(view, session, notes)
        else:
            summary = t("word.session_notes", count=len(notes))
            self.query_one("#synthesis-summary", Static).update(summary)
            self.query_one("#synthesis-text", Static).update(by_kind_renderable(view, notes))

    # --- état des lieux -----------------------------------------------------------------

    def _show_findings(self, view: CohortView, session: Session, notes: Sequence[Note]) -> None:
        groups = findings_by_structure(view, session)
        findings = [n for g in groups for n in g.notes]
        silent = sum(1 for g in groups if g.structure is not None and not g.notes)
        summary = [plural_count(kind, sum(g.count(kind) for g in groups)) for kind in FINDING_KINDS]
        summary.append(t("synthesis.findings.silent", count=silent))
        others = [n for n in notes if n.kind not in FINDING_KINDS]
        text = Text(capitalized(" · ".join(summary)))
        if others:
            text.append("\n" + t("synthesis.findings.others", count=len(others)))
        self.query_one("#synthesis-summary", Static).update(text)
        body = findings_renderable(groups) if findings or groups else Text(t("synthesis.empty"))
        self.query_one("#synthesis-text", Static).update(body)

    # --- évolution --------------------------------------------------------------------------

    def _show_matrix(self, view: CohortView, session: Session, notes: Sequence[Note]) -> None:
        matrix = evolution_matrix(view, session)
        self._matrix = matrix
        # The total row counts the four kinds; the line above says what the matrix leaves out.
        parts = [t("word.session_notes", count=len(notes))]
        actions = sum(n.kind == NoteKind.ACTION for n in notes)
        if actions:
            parts.append(t("synthesis.summary.actions", count=actions))
        others = sum(n.kind not in (*MATRIX_KINDS, NoteKind.ACTION) for n in notes)
        if others:
            parts.append(t("synthesis.summary.others", count=others))
        summary = " · ".join(parts)
        self.query_one("#synthesis-summary", Static).update(summary)
        self._draw_matrix()

    def _lever_header(self, column: str, full: bool) -> Text:
        if column == NO_LEVER:
            return Text(t("synthesis.no_lever"), style="dim")
        name = label(Lever(column)) if full else lever_short(Lever(column))
        return Text(capitalized(name), style="bold")

    def _draw_matrix(self) -> None:
        """Rebuild the table only when what it shows or its width changed, keeping the
        cursor's cell.

        The levers are spelled out when the names still fit beside them, else
        shortened (« RH », « Finances »); the name column takes what the figures leave
        and long names end in an ellipsis.
        """
        matrix = self._matrix
        if matrix is None:
            return
        table = self.query_one("#synthesis-matrix", DataTable)
        width = table.scrollable_content_region.width
        signature = (
            width,
            tuple(matrix.rows),
            tuple((n.id, n.kind, n.lever, n.structure_id) for n in matrix.notes),
        )
        if signature == self._signature:
            self._show_cell()
            return
        self._signature = signature
        first_draw = not table.columns
        cursor = table.cursor_coordinate
        names = {s.id: s.name for s in matrix.structures}
        cells = {
            row: [cell_text(matrix.cell(row, column)) for column in matrix.columns()]
            for row in matrix.rows
        }
        longest = max(
            [cell_len(n) for n in names.values()]
            + [cell_len(t("word.structure")), cell_len(t("synthesis.total"))]
        )
        pad = 2 * table.cell_padding
        for full in (True, False):
            headers = [self._lever_header(column, full) for column in matrix.columns()]
            others = sum(
                max([header.cell_len] + [line[index].cell_len for line in cells.values()]) + pad
                for index, header in enumerate(headers)
            )
            room = width - others - pad
            if room >= longest:
                break
        table.clear(columns=True)
        table.add_column(
            Text(t("word.structure"), style="bold"),
            key=NAME_COLUMN,
            width=max(MIN_NAME_WIDTH, min(longest, room)),
        )
        for column, header in zip(matrix.columns(), headers, strict=True):
            table.add_column(header, key=column)
        for row in matrix.rows:
            if row == TOTAL:
                name = Text(t("synthesis.total"), style="bold")
            elif row == NO_STRUCTURE:
                name = Text(t("synthesis.no_structure"), style="italic")
            else:
                name = Text(names[row], overflow="ellipsis", no_wrap=True)
            table.add_row(name, *cells[row], key=row)
        if not first_draw and cursor.row < table.row_count and cursor.column < len(table.columns):
            table.cursor_coordinate = cursor
        else:
            table.cursor_coordinate = Coordinate(0, 1)  # the first structure's first lever
        self._show_cell()

    def selected_cell(self) -> tuple[str, str] | None:
        """The (row, column) keys under the matrix cursor."""
        if self._matrix is None:
            return None
        table = self.query_one("#synthesis-matrix", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(key.row_key.value), str(key.column_key.value)

    def _cell_name(self, row: str, column: str) -> str:
        view = self.facilitator.view
        structure = view.structure(row) if view else None
        if row == TOTAL:
            where = t("synthesis.all_structures")
        elif structure is not None:
            where = structure.name
        else:
            where = t("synthesis.no_structure")
        if column == NAME_COLUMN:
            return where
        what = t("synthesis.no_lever") if column == NO_LEVER else label(Lever(column))
        return f"{where} × {what}"

    def _show_cell(self) -> None:
        """The notes of the highlighted cell; on a name, all of that structure's notes."""
        cell = self.selected_cell()
        view = self.facilitator.view
        if cell is None or view is None or self._matrix is None:
            return
        row, column = cell
        if column == NAME_COLUMN:
            every = session_notes(view, self.session_id)
            known = {s.id for s in self._matrix.structures}
            if row == TOTAL:
                notes = every
            elif row == NO_STRUCTURE:
                notes = [n for n in every if n.structure_id not in known]
            else:
                notes = [n for n in every if n.structure_id == row]
        else:
            notes = self._matrix.cell(row, column)
        title = t("synthesis.cell.title", cell=self._cell_name(row, column), count=len(notes))
        self.query_one("#cell-title", Static).update(title)
        body: RenderableType
        if notes:
            body = Group(
                *(
                    note_line(
                        n,
                        kind=True,
                        structure=(
                            s.name if row == TOTAL and (s := view.structure(n.structure_id)) else ""
                        ),
                        indent=0,
                    )
                    for n in notes
                )
            )
        else:
            body = Text(t("synthesis.cell.empty"), style="dim italic")
        self.query_one("#cell-notes-text", Static).update(body)
        if cell != self._shown_cell:  # a note arriving in the cell read keeps the place
            self._shown_cell = cell
            self.query_one("#cell-notes", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_cell()

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell: its notes get the keys, to scroll through a long list."""
        self._show_cell()
        self.query_one("#cell-notes", VerticalScroll).focus()

    def action_back(self) -> None:
        """From a cell's notes back to the matrix; from anywhere else, close."""
        notes = self.query("#cell-notes")
        if notes and notes.first().has_focus:
            self.query_one("#synthesis-matrix").focus()
        else:
            self.dismiss()

    def on_resize(self, event: Resize) -> None:
        if self._matrix is not None:
            self.call_after_refresh(self._draw_matrix)
