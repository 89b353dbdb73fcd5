"""The Sessions area: the programme's sessions in order, planning them, and the way
into each one live.

One row per session (held ✓, next ▶, to come ○) with its day, how far it is and
its length; the selected session's place, hours and agenda are shown below, so
the table stays readable at 80 columns. Enter opens the live screen.

A cohort without sessions says what to do: ``p`` proposes the whole programme
(a form of three choices, then a preview, before anything is written), ``a`` adds
one session by hand. ``e`` moves the selected session or says where it is held,
``d`` deletes it after a question that says what goes with it and that its notes
stay. A structure that joined after the programme was proposed has no bilan: a
line says so, and ``p`` proposes it.

Every form checks with the core's own functions before closing
(``actions.new_session``, ``actions.updated_session``): an end before the start or
an agenda past its day is said under the field, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from facilitator import actions
from facilitator.actions import Removal, session_removal
from facilitator.agenda import item_title, templates
from facilitator.domain import (
    SESSION_ORDER,
    InvalidInput,
    Session,
    SessionKind,
    Structure,
    label,
    parse_time,
    session_name,
)
from facilitator.i18n import and_list, duration, lazy, plural, t
from facilitator.live import live_session
from facilitator.programme import (
    ProgrammeProposal,
    calendar_warnings,
    day_words,
    humanize_day,
    session_plan,
)
from facilitator.store import CohortStore, StoreError
from facilitator.text import clip
from facilitator.view import CohortView
from screens.base import AreaScreen
from screens.dialogs.checked_form import CheckedFormScreen, save_checked
from screens.dialogs.confirm import ConfirmScreen
from screens.dialogs.form import Field
from screens.dialogs.programme import (
    ProgrammeChoicesScreen,
    ProgrammePreviewScreen,
    counts_words,
    short_day,
)

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

NAME_WIDTH = 33  # the table then fits 80 columns with its date, distance and length
AGENDA_LINES = 6
NAMES_MIN = 20  # the structures without a bilan: at least this much of their names

# The agenda's checks name what they look at; in the session form that is an hour.
HOUR_FIELDS = {"time": "start_time", "minutes": "end_time"}


def short_title(session: Session, view: CohortView) -> str:
    """« S1 · État des lieux », « Bilan · Les Jardins du Martinet »: the table's names."""
    structure = view.structure(session.structure_id)
    if session.kind is SessionKind.BILAN and structure is not None:
        return t("sessions.bilan_of", structure=structure.name)
    return session_name(session.kind)


# --- what the forms ask -------------------------------------------------------------------


def _hour(value: str) -> None:
    if value:
        parse_time(value)


def _hour_of(text: str, field: str) -> dt.time | None:
    return parse_time(text, field) if text else None


def _hhmm(time: dt.time | None) -> str:
    return time.strftime("%H:%M") if time is not None else ""


def without_bilan(view: CohortView) -> list[Structure]:
    """The structures a bilan can be added for (one each)."""
    return [s for s in view.structures if view.bilan_of(s.id) is None]


def session_fields(view: CohortView, new: bool) -> list[Field]:
    """The session form: kind, structure and template only when adding one."""
    fields: list[Field] = []
    if new:
        fields += [
            Field(
                "kind",
                t("word.session"),
                "choice",
                required=True,
                choices=[(label(kind), kind.value) for kind in SESSION_ORDER],
            ),
            Field(
                "structure_id",
                t("sessions.field.structure"),
                "choice",
                choices=[(s.name, s.id) for s in without_bilan(view)],
            ),
        ]
    fields += [
        Field("date", t("word.date"), "date", required=True),
        Field(
            "start_time",
            t("word.start"),
            placeholder=t("sessions.field.time_placeholder"),
            check=_hour,
        ),
        Field(
            "end_time",
            t("sessions.field.end"),
            placeholder=t("sessions.field.end_placeholder"),
            check=_hour,
        ),
        Field(
            "place", t("sessions.field.place"), placeholder=t("sessions.field.place_placeholder")
        ),
    ]
    if new:
        offered = [template for kind in SESSION_ORDER for template in templates(kind)]
        fields.append(
            Field(
                "template",
                t("sessions.field.template"),
                "choice",
                choices=[(template.label(), template.name) for template in offered],
            )
        )
    return fields


def new_session_args(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as ``actions.add_session`` takes them."""
    kind = SessionKind(values["kind"])
    return {
        "kind": kind,
        "structure_id": values["structure_id"] if kind == SessionKind.BILAN else None,
        "date": values["date"],
        "start_time": _hour_of(values["start_time"], "start_time"),
        "end_time": _hour_of(values["end_time"], "end_time"),
        "place": values["place"],
        "template": values["template"],
    }


def edit_values(session: Session, view: CohortView) -> dict[str, Any]:
    """What the edit form shows: the hours the session runs on, its own or its template's."""
    plan = session_plan(session, view.structures)
    return {
        "date": session.date,
        "start_time": _hhmm(plan.start),
        "end_time": _hhmm(plan.end),
        "place": session.place,
    }


def session_changes(session: Session, view: CohortView, values: dict[str, Any]) -> dict[str, Any]:
    """Only what the person changed in the edit form, as ``actions.update_session`` takes it."""
    shown = edit_values(session, view)
    changes: dict[str, Any] = {}
    if values["date"] != shown["date"]:
        changes["date"] = values["date"]
    for name in ("start_time", "end_time"):
        if values[name] != shown[name]:
            changes[name] = _hour_of(values[name], name)
    if values["place"] != shown["place"]:
        changes["place"] = values["place"]
    return changes


def programme_choices(view: CohortView, today: dt.date) -> dict[str, Any]:
    """The proposal form's defaults: the cohort's start (else today), and the variants
    its sessions already use, so proposing again changes only what the person changes."""
    choices: dict[str, Any] = {
        "start": view.cohort.start_date or today,
        "intro": "court",
        "collective": "demi-journee",
    }
    if view.sessions:
        choices["redate"] = False  # proposed again: the dates already chosen are kept
    for session in view.sessions:
        if session.kind == SessionKind.INTRO and session.template.startswith("intro-"):
            choices["intro"] = session.template.removeprefix("intro-")
        if session.kind == SessionKind.STATE_OF_PLAY and session.template.endswith("journee"):
            choices["collective"] = session.template.removeprefix("etat-des-lieux-")
    return choices


# --- what a deletion takes with it ------------------------------------------------------


def _counted(what: str, count: int) -> str:
    return plural(f"sessions.count.{what}", count, count=count)


def removal_question(removal: Removal, day: str) -> str:
    """The question asked before deleting a session (on ``day``, in words): what goes
    with it, and that its notes stay."""
    counts = (("attendance", removal.attendance), ("clock", removal.clock))
    parts = [_counted(what, count) for what, count in counts if count]
    if removal.bilans:
        parts.append(t("sessions.count.bilan"))
    sentences = [t("sessions.confirm.delete", name=removal.name, day=day)]
    if parts:
        sentences.append(t("sessions.confirm.goes", what=and_list(parts)))
    elif not removal.kept_notes:
        sentences.append(t("sessions.confirm.nothing_goes"))
    if removal.kept_notes:
        sentences.append(
            plural("sessions.confirm.kept_notes", removal.kept_notes, count=removal.kept_notes)
        )
    return " ".join(sentences)


def with_calendar_warnings(
    app: FacilitatorApp, write: Callable[[CohortStore], Session]
) -> Callable[[CohortStore], Session]:
    """``write``, then what the calendar now asks to weigh (a weekend, sessions out of
    order or too close), said as warnings: the session is saved all the same."""

    def run(store: CohortStore) -> Session:
        session = write(store)
        view = CohortView.load(store)
        for sentence in calendar_warnings(
            view.cohort,
            view.structures,
            view.participants,
            view.sessions,
            session,
            today=view.cohort.today(app.now()),
        ):
            app.call_from_thread(app.notify, sentence, severity="warning", timeout=20)
        return session

    return run


def edit_session(app: FacilitatorApp, view: CohortView, session: Session) -> None:
    """The session form (date, hours, place), checked by the core before it closes; only
    what changed is written. From the Sessions area, and from the agenda editor, where
    the end of the day is what a refused edit often asks to move."""
    name = short_title(session, view)

    def check(values: dict[str, Any]) -> None:
        actions.updated_session(view, session.id, **session_changes(session, view, values))

    def edited(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        changes = session_changes(session, view, values)
        if not changes:
            app.notify(t("sessions.unchanged"), timeout=3)
            return
        save_checked(
            app,
            with_calendar_warnings(
                app,
                lambda store: actions.update_session(store, session.id, now=app.now(), **changes),
            ),
            t("sessions.saved.edited", name=name),
        )

    form = CheckedFormScreen(
        t("forms.edit_title", name=name),
        session_fields(view, new=False),
        edit_values(session, view),
        check_all=check,
        aliases=HOUR_FIELDS,
        fallback="end_time",
        keys=t("forms.keys"),
    )
    app.push_screen(form, edited)


# --- the screen ---------------------------------------------------------------------------


class SessionsScreen(AreaScreen):
    AREA = "sessions"
    WRITE_ACTIONS = frozenset(
        ["propose", "add_session", "edit_session", "delete_session", "undo_removal"]
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_session", lazy("sessions.key.open")),
        Binding("p", "propose", lazy("word.programme")),
        Binding("a", "add_session", lazy("key.add")),
        Binding("e", "edit_session", lazy("key.edit")),
        Binding("d,delete", "delete_session", lazy("key.delete")),
        Binding("u", "undo_removal", lazy("key.undo_removal"), show=False),
        Binding("g", "agenda", lazy("agenda_editor.key.open")),
    ]

    _view: CohortView | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(t("sessions.hint"), id="sessions-hint", classes="hint")
        yield Static("", id="sessions-empty")
        yield Static("", id="sessions-missing")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="session-detail")

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column(t("word.session"), key="session")
        table.add_column(t("word.date"), key="date")
        table.add_column(t("word.when"), key="when")
        table.add_column(t("sessions.col.length"), key="length")
        table.focus()

    def today(self, view: CohortView) -> dt.date:
        return view.cohort.today(self.facilitator.now())

    def show(self, view: CohortView) -> None:
        self._view = view
        self.set_class(not view.sessions, "-empty")
        self._show_empty(view)
        self._show_missing(view)
        table = self.query_one("#sessions", DataTable)
        selected = self._selected_id()
        table.clear()
        today = self.today(view)
        upcoming = next(
            (s.id for s in view.sessions if s.date is not None and s.date >= today), None
        )
        for session in view.sessions:
            held = session.held(today)
            mark = "✓" if held else "▶" if session.id == upcoming else "○"
            plan = session_plan(session, view.structures)
            table.add_row(
                Text(mark, style="green" if held else "bold" if mark == "▶" else ""),
                clip(short_title(session, view), NAME_WIDTH),
                short_day(session.date) if session.date else t("sessions.undated"),
                humanize_day(session.date, today) if session.date else "",
                duration(plan.span_minutes),
                key=session.id,
            )
        target = selected or upcoming
        if target is not None and target in {s.id for s in view.sessions}:
            table.move_cursor(row=table.get_row_index(target))
        self._show_detail()
        self.refresh_bindings()

    def _show_empty(self, view: CohortView) -> None:
        text = t("sessions.empty")
        if not view.structures:
            text += "\n\n" + t("sessions.empty_no_structure")
        self.query_one("#sessions-empty", Static).update(text)

    def _show_missing(self, view: CohortView) -> None:
        """The structures a programme proposed again would give a bilan."""
        missing = [s.name for s in without_bilan(view)]
        line = self.query_one("#sessions-missing", Static)
        line.display = bool(missing and view.sessions)
        if line.display:
            # The names take what the sentence leaves of one line.
            count = len(missing)
            room = (self.size.width or 80) - 2 - len(plural("sessions.no_bilan", count, names=""))
            names = clip(", ".join(missing), max(room, NAMES_MIN))
            line.update(plural("sessions.no_bilan", count, names=names))

    def _selected_id(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _selected(self) -> Session | None:
        return self._view.session(self._selected_id()) if self._view is not None else None

    @on(DataTable.RowHighlighted, "#sessions")
    def _show_detail(self) -> None:
        view = self._view
        session = self._selected()
        detail = self.query_one("#session-detail", Static)
        if view is None or session is None:
            detail.update("")
            return
        detail.update(self._detail(view, session))

    def _detail(self, view: CohortView, session: Session) -> Text:
        """Where and when, and the agenda as it stands (or as its clock left it)."""
        live = live_session(view, session, self.facilitator.now())
        plan = live.plan
        text = Text()
        text.append(view.session_title(session), style="bold")
        # The announced hours: to the fixed end of day when there is one.
        end = plan.end or (plan.planned[-1].end if plan.planned else None)
        hours = (
            t("sessions.hours", start=plan.start.strftime("%H:%M"), end=end.strftime("%H:%M"))
            if end is not None
            else ""
        )
        where = " · ".join(part for part in (session.place, hours) if part)
        if where:
            text.append("\n" + where, style="dim")
        if live.state.started_at is not None:
            text.append(
                "\n" + t("sessions.clock", status=live.state.status.label()), style="italic"
            )
        names = view.structure_names()
        # As many items as the pane holds below the title lines (at least a few).
        room = self.query_one("#session-detail", Static).size.height - text.plain.count("\n") - 2
        shown = len(plan.planned) if len(plan.planned) <= room + 1 else max(AGENDA_LINES, room)
        for planned in plan.planned[:shown]:
            start = planned.start.strftime("%H:%M")
            text.append(
                f"\n{start}  {planned.item.minutes:>3} min  {item_title(planned.item, names)}"
            )
        if len(plan.planned) > shown:
            text.append("\n" + t("sessions.more", count=len(plan.planned) - shown), style="dim")
        return text

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Opening, editing and deleting need a session: dimmed until there is one."""
        if super().check_action(action, parameters) is None:
            return None  # read-only
        if action in ("open_session", "edit_session", "delete_session", "agenda"):
            return True if self._selected() is not None else None
        return True

    @on(DataTable.RowSelected, "#sessions")
    def action_open_session(self) -> None:
        session_id = self._selected_id()
        if session_id is not None:
            self.facilitator.open_session(session_id)

    def action_agenda(self) -> None:
        session_id = self._selected_id()
        if session_id is not None:
            self.facilitator.open_agenda(session_id)

    # --- proposing the programme --------------------------------------------------------

    def action_propose(self) -> None:
        view = self._view
        if view is not None:
            self._choose(programme_choices(view, self.today(view)))

    def _choose(self, choices: dict[str, Any]) -> None:
        def chosen(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._propose(values)

        self.app.push_screen(ProgrammeChoicesScreen(choices), chosen)

    @work(thread=True, exclusive=True, group="sessions-propose")
    def _propose(self, choices: dict[str, Any]) -> None:
        """Work the proposal out from the store (a read; nothing is written)."""
        store = self.facilitator.store
        if store is None:
            return
        try:
            proposal = actions.propose(store, now=self.facilitator.now(), **choices)
            view = CohortView.load(store)
        except (InvalidInput, StoreError) as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=30)
            self.app.call_from_thread(self._choose, choices)
            return
        self.app.call_from_thread(self._preview, proposal, view, choices)

    def _preview(
        self, proposal: ProgrammeProposal, view: CohortView, choices: dict[str, Any]
    ) -> None:
        def answered(apply: bool | None) -> None:
            if apply:
                self._apply(choices)
            else:
                self._choose(choices)

        screen = ProgrammePreviewScreen(proposal, view, lambda s: short_title(s, view))
        self.app.push_screen(screen, answered)

    def _apply(self, choices: dict[str, Any]) -> None:
        save_checked(
            self.facilitator,
            lambda store: actions.apply_programme(store, now=self.facilitator.now(), **choices),
            lambda applied: t("sessions.programme.applied", what=counts_words(applied)),
        )

    # --- one session --------------------------------------------------------------------

    def action_add_session(self) -> None:
        view = self._view
        if view is None:
            return

        def check(values: dict[str, Any]) -> None:
            actions.new_session(view, **new_session_args(values))

        def added(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            args = new_session_args(values)
            session = Session(kind=args["kind"], structure_id=args["structure_id"])
            save_checked(
                self.facilitator,
                with_calendar_warnings(
                    self.facilitator,
                    lambda store: actions.add_session(store, now=self.facilitator.now(), **args),
                ),
                t("sessions.saved.added", name=short_title(session, view)),
            )

        missing = next(
            (k for k in SESSION_ORDER if not any(s.kind == k for s in view.sessions)), None
        )
        alone = without_bilan(view)
        defaults = {
            "kind": (missing or SessionKind.BILAN).value,
            "structure_id": alone[0].id if alone else None,
        }
        form = CheckedFormScreen(
            t("sessions.form.new"),
            session_fields(view, new=True),
            defaults,
            check_all=check,
            aliases=HOUR_FIELDS,
            fallback="end_time",
            keys=t("forms.keys"),
        )
        self.app.push_screen(form, added)

    def action_edit_session(self) -> None:
        view, session = self._view, self._selected()
        if view is not None and session is not None:
            edit_session(self.facilitator, view, session)

    def action_delete_session(self) -> None:
        view, session = self._view, self._selected()
        removal = session_removal(view, session.id) if view and session else None
        if removal is None or session is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            self.delete_records(
                lambda store: actions.delete_session(store, session.id, now=self.facilitator.now()),
                t("sessions.deleted", name=removal.name),
            )

        day = day_words(session.date, "long") if session.date else t("sessions.undated")
        question = removal_question(removal, day)
        self.app.push_screen(ConfirmScreen(question, t("sessions.confirm.yes")), answered)
