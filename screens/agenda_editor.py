"""The agenda editor of one session: its items on the clock, changed one action at a time.

Every change is one of the agenda actions of ``facilitator.actions``, run in the app's
save worker; the table is redrawn from the app's newest view, so what is shown is what
the store holds. Each action returns an ``AgendaEdit``, kept on a stack for ``u``.

Edits are made one after the other: a key pressed while the previous edit is being
saved waits for the store's answer, then runs on the agenda as it now is (positions
move as items do, so a key computed on the old agenda would act on the wrong item).

A refused edit writes nothing and says why: under the field when a form can tell on
its own (a time that cannot be, a zero duration, a fixed time before the item above),
else in the status line under the table, in the error colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import arrow
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import actions, agenda
from facilitator.actions import AgendaEdit
from facilitator.agenda import Day, TemplateItem, item_title, minimum_warnings, template_items
from facilitator.domain import AgendaItem, InvalidInput, Session, parse_time, require_name
from facilitator.i18n import lazy, t
from facilitator.programme import SessionPlan, format_day, session_plan
from facilitator.store import CohortStore
from facilitator.view import CohortView
from screens.base import ViewScreen
from screens.dialogs.form import Field, FormScreen

if TYPE_CHECKING:
    pass

STEP = 5
"""Minutes that ``+`` and ``-`` add or take."""

PIN = "⚑"
MAX_WARNINGS = 2
"""Below-minimum sentences shown in full; the rest are counted, so the table keeps its rows."""

# Width of every column but the title, cell padding included (DataTable pads 1 each side),
# plus the vertical scrollbar: what is left is the title's.
COLUMNS = ("position", "start", "minutes", "fixed", "slack")
HEADERS = {
    "position": "agenda_editor.col.position",
    "start": "word.start",
    "minutes": "word.minutes",
    "fixed": "agenda_editor.col.fixed",
    "slack": "agenda_editor.col.slack",
}
FIXED_COLUMNS = (2, 5, 4, 4, 8)
TITLE_MIN = 20

Write = Callable[[CohortStore], AgendaEdit]


def whole_number(text: str, field: str) -> int:
    raw = text.strip()
    if not raw.isdigit():
        raise InvalidInput("agenda_editor.error.whole", field, value=raw)
    return int(raw)


def whole_minutes(text: str) -> int:
    """Minutes as typed (« 45 », « 45 min »): at least one, at most a working day."""
    return agenda.check_minutes(whole_number(text.lower().removesuffix("min"), "minutes"))


def _hhmm(time: dt.time) -> str:
    return time.strftime("%H:%M")


def fitted_title(item: AgendaItem, names: dict[str, str], width: int) -> str:
    """The item's title in ``width`` cells; a round-table slot keeps its structure's name
    whole and shortens the title before it, since the name is what tells slots apart."""
    full = item_title(item, names)
    if cell_len(full) <= width:
        return full
    name = names.get(item.structure_id or "")
    if not item.title and name:
        rest = width - cell_len(t("agenda.slot", title="", structure=name))
        if rest >= TITLE_MIN // 2:
            base = Text(item_title(item, {}))
            base.truncate(rest, overflow="ellipsis")
            return t("agenda.slot", title=base.plain, structure=name)
    shortened = Text(full)
    shortened.truncate(width, overflow="ellipsis")
    return shortened.plain


def item_choice(item: TemplateItem) -> str:
    """A template item as the add form offers it: its title, minutes, and fixed time."""
    title = t(f"agenda.item.{item.key}")
    if item.per_structure:
        return t("agenda_editor.item_choice_round", title=title, minutes=item.minutes)
    if item.fixed_time is not None:
        return t(
            "agenda_editor.item_choice_fixed",
            title=title,
            minutes=item.minutes,
            time=_hhmm(item.fixed_time),
        )
    return t("agenda_editor.item_choice", title=title, minutes=item.minutes)


def first_change(edit: AgendaEdit) -> int:
    """Where an edit shows: the first position it changed (an undo has no cursor of its own)."""
    before, after = edit.before.items, edit.after.items
    changed = (i for i, (b, a) in enumerate(zip(before, after, strict=False)) if b != a)
    return min(next(changed, min(len(before), len(after))), max(0, len(after) - 1))


class AgendaEditorScreen(ViewScreen[None]):
    """One session's agenda as a table, each key one agenda action."""

    AUTO_FOCUS = "#editor-table"
    WRITE_ACTIONS = frozenset(
        [
            "add",
            "remove",
            "move",
            "resize",
            "minutes",
            "rename",
            "pin",
            "round_table",
            "template",
            "save_template",
            "hours",
            "undo",
        ]
    )
    _MOVE = Binding.Group(lazy("agenda_editor.key.move"))
    _RESIZE = Binding.Group(lazy("agenda_editor.key.resize", minutes=STEP))
    BINDINGS = [
        Binding("a", "add", lazy("key.add")),
        Binding("d,delete", "remove", lazy("agenda_editor.key.remove")),
        Binding("K,ctrl+up", "move(-1)", lazy("agenda_editor.key.up"), group=_MOVE),
        Binding("J,ctrl+down", "move(1)", lazy("agenda_editor.key.down"), group=_MOVE),
        Binding(
            "plus,equals_sign",
            f"resize({STEP})",
            lazy("format.plus_minutes", minutes=STEP),
            group=_RESIZE,
        ),
        Binding(
            "minus",
            f"resize({-STEP})",
            lazy("format.minus_minutes", minutes=STEP),
            group=_RESIZE,
        ),
        Binding("m", "minutes", lazy("agenda_editor.key.minutes"), show=False),
        # In the help (F1), not the footer: so that Quitter and Aide still fit in 80 columns.
        Binding("f", "pin", lazy("agenda_editor.key.pin"), show=False),
        Binding("r", "rename", lazy("agenda_editor.key.rename"), show=False),
        Binding("t", "round_table", lazy("agenda_editor.key.round_table"), show=False),
        Binding("T", "template", lazy("agenda_editor.key.template"), show=False),
        Binding("s", "save_template", lazy("agenda_editor.key.save_template"), show=False),
        Binding("h", "hours", lazy("agenda_editor.key.hours"), show=False),
        Binding("u", "undo", lazy("agenda_editor.key.undo")),
        Binding("escape", "back", lazy("key.back"), show=False),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.undo_stack: list[AgendaEdit] = []
        self.cursor = 0
        self._busy = False
        self._awaited: int | None = None  # the store version the last edit wrote
        self._queued: list[Callable[[], None]] = []
        self._status = ""

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="editor-title")
        yield DataTable(id="editor-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="editor-end")
        yield Static("", id="editor-notes")
        yield Static("", id="editor-status", classes="-empty")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self, event: Resize) -> None:
        if self.facilitator.view is not None:
            self.show(self.facilitator.view)

    # --- what is shown ------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        view = self.facilitator.view
        return view.session(self.session_id) if view is not None else None

    def plan(self) -> SessionPlan | None:
        session = self.session
        return session_plan(session, self.view.structures) if session is not None else None

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#editor-table", DataTable)

    def clock_started(self) -> bool:
        return any(e.session_id == self.session_id for e in self.view.clock)

    def show(self, view: CohortView) -> None:
        if self._busy and self._awaited is not None and view.version >= self._awaited:
            self._idle()
        plan = self.plan()
        if plan is None:
            return  # deleted meanwhile: the save worker said so
        self._show(view, plan)
        if not self._busy and self._queued:
            self._queued.pop(0)()

    def _show(self, view: CohortView, plan: SessionPlan) -> None:
        session = plan.session
        names = view.structure_names()
        self.query_one("#editor-title", Static).update(
            t(
                "agenda_editor.title",
                session=view.session_title(session),
                day=format_day(session.date) if session.date else "",
            )
        )
        self._fill_table(plan, names)
        self._show_end(plan)
        notes: list[str] = []
        if plan.stand_in is not None:
            notes.append(t("agenda_editor.stand_in", template=plan.stand_in.label()))
        notes.extend(
            t(
                "agenda_editor.deficit",
                minutes=-p.slack_before,
                title=item_title(p.item, names),
                time=_hhmm(p.start),
            )
            for p in plan.planned
            if p.item.fixed_time is not None and p.slack_before < 0
        )
        warnings = minimum_warnings(plan.items, names)
        notes.extend(warnings[:MAX_WARNINGS])
        if len(warnings) > MAX_WARNINGS:
            notes.append(t("agenda_editor.more_warnings", count=len(warnings) - MAX_WARNINGS))
        self._set("#editor-notes", "\n".join(notes))
        if self.clock_started() and not self._status:
            self.status(t("agenda_editor.locked"))

    def _fill_table(self, plan: SessionPlan, names: dict[str, str]) -> None:
        table = self.table
        width = max(TITLE_MIN, self.size.width - sum(FIXED_COLUMNS) - 2 * (len(COLUMNS) + 1) - 2)
        table.clear(columns=True)
        for key, column_width in zip(COLUMNS, FIXED_COLUMNS, strict=True):
            table.add_column(t(HEADERS[key]), key=key, width=column_width)
        table.add_column(t("word.item"), key="title", width=width)
        for planned in plan.planned:
            item = planned.item
            minutes = Text(str(item.minutes), justify="right")
            if planned.below_minimum:
                minutes = Text(f"{item.minutes}!", style="bold yellow", justify="right")
            title = Text(fitted_title(item, names, width), no_wrap=True, overflow="ellipsis")
            table.add_row(
                Text(str(planned.index + 1), justify="right"),
                _hhmm(planned.start),
                minutes,
                PIN if item.fixed_time is not None else "",
                self._slack(planned),
                title,
                key=item.id,
            )
        if plan.items:
            self.cursor = min(self.cursor, len(plan.items) - 1)
            table.move_cursor(row=self.cursor, animate=False)

    @staticmethod
    def _slack(planned: agenda.PlannedItem) -> Text:
        if planned.item.fixed_time is None:
            return Text("")
        slack = planned.slack_before
        if slack > 0:
            return Text(t("format.plus_minutes", minutes=slack), style="green")
        if slack < 0:
            return Text(t("format.minus_minutes", minutes=-slack), style="bold red")
        return Text(t("agenda_editor.slack.none"))

    def _show_end(self, plan: SessionPlan) -> None:
        end = self.query_one("#editor-end", Static)
        if not plan.items:
            end.update(t("agenda_editor.empty"))
            end.set_class(False, "-over")
            return
        planned_end = _hhmm(plan.planned[-1].end)
        slack = plan.end_slack
        if plan.end is None or slack is None:
            text = t("agenda_editor.end.open", end=planned_end)
        elif slack > 0:
            text = t(
                "agenda_editor.end.spare", end=planned_end, minutes=slack, day_end=_hhmm(plan.end)
            )
        elif slack < 0:
            text = t(
                "agenda_editor.end.over", end=planned_end, minutes=-slack, day_end=_hhmm(plan.end)
            )
        else:
            text = t("agenda_editor.end.exact", end=planned_end)
        if any(i.fixed_time is not None for i in plan.items):
            text += "\n" + t("agenda_editor.legend")
        end.update(text)
        end.set_class(slack is not None and slack < 0, "-over")

    def _set(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.set_class(not text, "-empty")

    def status(self, message: str) -> None:
        """The line under the table: why the last edit was refused (or nothing)."""
        self._status = message
        self._set("#editor-status", message)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.cursor = event.cursor_row

    # --- the selected item ----------------------------------------------------------------

    def _selected(self) -> tuple[int, AgendaItem, SessionPlan] | None:
        """The item under the cursor, or None with the reason in the status line."""
        plan = self.plan()
        if plan is None:
            return None
        if not plan.items:
            self.status(t("agenda_editor.error.no_item"))
            return None
        index = min(self.table.cursor_row, len(plan.items) - 1)
        return index, plan.items[index], plan

    def _title(self, item: AgendaItem) -> str:
        return item_title(item, self.view.structure_names())

    def _preview(self, change: Callable[[list[AgendaItem]], list[AgendaItem]]) -> None:
        """Raise the sentence the action would refuse this change with, before any write:
        the same pure check (``agenda.check_agenda``) on the agenda as shown."""
        plan = self.plan()
        if plan is None:
            return
        before = Day(plan.items, plan.start, plan.end)
        after = Day(change(list(plan.items)), plan.start, plan.end)
        agenda.check_agenda(before, after, self.view.structure_names())

    # --- writing --------------------------------------------------------------------------

    def _defer(self, run: Callable[[], None]) -> bool:
        """While an edit is being saved, keep ``run`` for after it (True: kept)."""
        if self._busy:
            self._queued.append(run)
            return True
        return False

    def _idle(self) -> None:
        self._busy = False
        self._awaited = None

    def edit(
        self,
        write: Write,
        saved: Callable[[AgendaEdit], str],
        cursor: Callable[[AgendaEdit], int],
        *,
        undoing: AgendaEdit | None = None,
    ) -> None:
        """Run one agenda action in the save worker; on success keep its edit for undo,
        say ``saved`` and put the cursor on ``cursor``; a refusal says why, writes nothing."""
        if self.facilitator.store is None or self.facilitator.workspace.read_only:
            return  # the keys are disabled in read-only mode
        self.status("")
        self._busy = True

        def run(store: CohortStore) -> None:
            try:
                done = write(store)
            except InvalidInput as error:
                self.app.call_from_thread(self._refused, error.message, undoing)
                return
            if undoing is None:
                self.undo_stack.append(done)
            self.app.call_from_thread(self._done, saved(done), cursor(done), store.version)

        self.facilitator.save(run, None, on_error=lambda message: self._refused(message, undoing))

    def _done(self, message: str, cursor: int, version: int) -> None:
        self.cursor = max(0, cursor)
        self._awaited = version
        self.status("")
        self.notify(message, timeout=3)
        if self.view.version >= version:  # a poll brought this version in already
            self._idle()
            self.show(self.view)

    def _refused(self, message: str, undoing: AgendaEdit | None) -> None:
        if undoing is not None:
            self.undo_stack.append(undoing)  # still there to undo once the reason is gone
        self._idle()
        self._queued.clear()  # keys pressed after a refused edit assumed it was made
        self.status(message)

    def _now(self) -> arrow.Arrow:
        return self.facilitator.now()

    # --- the keys -------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add(self) -> None:
        if self._defer(self.action_add):
            return
        plan = self.plan()
        if plan is None:
            return
        count = len(plan.items)
        choices = [(item_choice(i), i.key) for i in template_items(plan.session.kind)]

        def position(text: str) -> int:
            where = whole_number(text, "position") if text else count + 1
            if not 1 <= where <= count + 1:
                raise InvalidInput(
                    "agenda.error.bad_position", "position", value=where, count=count + 1
                )
            return where

        fields = [
            Field("key", t("agenda_editor.field.item"), "choice", choices=choices),
            Field(
                "title",
                t("agenda_editor.field.title"),
                placeholder=t("agenda_editor.field.title_placeholder"),
            ),
            Field(
                "minutes",
                t("agenda_editor.field.minutes"),
                placeholder=t("agenda_editor.field.minutes_template"),
                check=lambda v: whole_minutes(v) if v else None,
            ),
            Field(
                "position",
                t("agenda_editor.field.position", count=count + 1),
                check=lambda v: position(v),
            ),
        ]
        after = min(self.table.cursor_row, count - 1) + 2 if count else 1

        def answered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            key, title = values["key"] or "", values["title"]
            minutes = whole_minutes(values["minutes"]) if values["minutes"] else None
            at = position(values["position"]) - 1
            now = self._now()

            def write(store: CohortStore) -> AgendaEdit:
                added = actions.add_agenda_item(
                    store,
                    self.session_id,
                    now=now,
                    key=key,
                    title="" if key else title,
                    minutes=minutes,
                    at=at,
                )
                if not (key and title):
                    return added
                # A template item under the facilitator's own words: one edit to undo.
                renamed = actions.rename_agenda_item(store, self.session_id, at, title, now=now)
                return AgendaEdit(added.before, renamed.after, added.template_before)

            def saved(done: AgendaEdit) -> str:
                return t("agenda_editor.saved.added", title=self._title(done.after.items[at]))

            self.edit(write, saved, lambda _d: at)

        form = FormScreen(t("agenda_editor.form.add"), fields, {"position": str(after)})
        self.app.push_screen(form, answered)

    def action_remove(self) -> None:
        if self._defer(self.action_remove):
            return
        selected = self._selected()
        if selected is None:
            return
        index, item, _plan = selected
        title, now = self._title(item), self._now()
        self.edit(
            lambda store: actions.remove_agenda_item(store, self.session_id, index, now=now),
            lambda _d: t("agenda_editor.saved.removed", title=title),
            lambda _d: index,
        )

    def action_move(self, step: int) -> None:
        if self._defer(lambda: self.action_move(step)):
            return
        selected = self._selected()
        if selected is None:
            return
        index, item, plan = selected
        to = index + step
        if not 0 <= to < len(plan.items):
            edge = "agenda_editor.error.at_top" if to < 0 else "agenda_editor.error.at_bottom"
            self.status(t(edge, title=self._title(item)))
            return
        title, now = self._title(item), self._now()
        self.edit(
            lambda store: actions.move_agenda_item(store, self.session_id, index, to, now=now),
            lambda _d: t("agenda_editor.saved.moved", title=title, position=to + 1),
            lambda _d: to,
        )

    def action_resize(self, change: int) -> None:
        if self._defer(lambda: self.action_resize(change)):
            return
        selected = self._selected()
        if selected is None:
            return
        self._resize(selected[0], selected[1], selected[1].minutes + change)

    def _resize(self, index: int, item: AgendaItem, minutes: int) -> None:
        title, now = self._title(item), self._now()
        self.edit(
            lambda store: actions.resize_agenda_item(
                store, self.session_id, index, minutes, now=now
            ),
            lambda _d: t("agenda_editor.saved.resized", title=title, minutes=minutes),
            lambda _d: index,
        )

    def action_minutes(self) -> None:
        if self._defer(self.action_minutes):
            return
        selected = self._selected()
        if selected is None:
            return
        index, item, _plan = selected

        def check(text: str) -> None:
            minutes = whole_minutes(text)
            self._preview(lambda items: agenda.resize(items, index, minutes))

        def answered(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._resize(index, item, whole_minutes(values["minutes"]))

        fields = [Field("minutes", t("agenda_editor.field.minutes"), required=True, check=check)]
        title = t("agenda_editor.form.minutes", title=self._title(item))
        self.app.push_screen(FormScreen(title, fields, {"minutes": str(item.minutes)}), answered)

    def action_rename(self) -> None:
        if self._defer(self.action_rename):
            return
        selected = self._selected()
        if selected is None:
            return
        index, item, _plan = selected
        now = self._now()

        def answered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            new = values["title"]
            self.edit(
                lambda store: actions.rename_agenda_item(
                    store, self.session_id, index, new, now=now
                ),
                lambda done: t(
                    "agenda_editor.saved.renamed", title=self._title(done.after.items[index])
                ),
                lambda _d: index,
            )

        def check(text: str) -> None:
            if not text and not item.key:  # a free item has no template title to fall back on
                raise InvalidInput("agenda.error.empty_title", "title")

        fields = [
            Field(
                "title",
                t("agenda_editor.field.new_title"),
                placeholder=t(f"agenda.item.{item.key}") if item.key else "",
                check=check,
            )
        ]
        title = t("agenda_editor.form.rename", title=self._title(item))
        self.app.push_screen(FormScreen(title, fields, {"title": item.title}), answered)

    def action_pin(self) -> None:
        if self._defer(self.action_pin):
            return
        selected = self._selected()
        if selected is None:
            return
        index, item, _plan = selected

        def parsed(text: str) -> dt.time | None:
            return parse_time(text) if text else None

        def check(text: str) -> None:
            time = parsed(text)
            self._preview(lambda items: agenda.pin(items, index, time))

        def answered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            time, title, now = parsed(values["time"]), self._title(item), self._now()
            self.edit(
                lambda store: actions.pin_agenda_item(store, self.session_id, index, time, now=now),
                lambda _d: (
                    t("agenda_editor.saved.pinned", title=title, time=_hhmm(time))
                    if time is not None
                    else t("agenda_editor.saved.unpinned", title=title)
                ),
                lambda _d: index,
            )

        current = _hhmm(item.fixed_time) if item.fixed_time is not None else ""
        fields = [Field("time", t("agenda_editor.field.time"), placeholder="12:30", check=check)]
        title = t("agenda_editor.form.pin", title=self._title(item))
        self.app.push_screen(FormScreen(title, fields, {"time": current}), answered)

    def action_round_table(self) -> None:
        if self._defer(self.action_round_table):
            return
        selected = self._selected()
        if selected is None:
            return
        index, item, plan = selected
        on = not item.per_structure
        first = agenda.round_table(plan.items, index).start
        title = item.title or (t(f"agenda.item.{item.key}") if item.key else self._title(item))
        now = self._now()
        self.edit(
            lambda store: actions.set_round_table(store, self.session_id, index, on, now=now),
            lambda _d: t(
                "agenda_editor.saved.round_table_on"
                if on
                else "agenda_editor.saved.round_table_off",
                title=title,
            ),
            lambda _d: first,
        )

    def action_template(self) -> None:
        if self._defer(self.action_template):
            return
        plan, store = self.plan(), self.facilitator.store
        if plan is None or store is None:
            return
        offered = actions.template_choices(store, plan.session.kind)
        labels = {tpl.name: tpl.label() for tpl in offered}
        fields = [
            Field(
                "template",
                t("agenda_editor.field.template"),
                "choice",
                required=True,
                choices=[(label, name) for name, label in labels.items()],
            )
        ]
        current = plan.session.template if plan.session.template in labels else None

        def answered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            name, now = values["template"], self._now()
            self.edit(
                lambda store: actions.change_template(store, self.session_id, name, now=now),
                lambda _d: t("agenda_editor.saved.template", template=labels[name]),
                lambda _d: 0,
            )

        form = FormScreen(t("agenda_editor.form.template"), fields, {"template": current})
        self.app.push_screen(form, answered)

    def action_hours(self) -> None:
        """The session's date, start and end of day: what a refused edit often asks to
        move. The same form as in the Sessions area."""
        from screens.sessions import edit_session

        session = self.session
        if session is not None:
            edit_session(self.facilitator, self.view, session)

    def action_save_template(self) -> None:
        if self._defer(self.action_save_template):
            return
        if self.plan() is None or self.facilitator.store is None:
            return
        fields = [
            Field(
                "name",
                t("agenda_editor.field.name"),
                required=True,
                check=lambda v: require_name(v),
            )
        ]

        def answered(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._save_template(values["name"])

        self.app.push_screen(FormScreen(t("agenda_editor.form.save_template"), fields), answered)

    def _save_template(self, name: str) -> None:
        """Not an agenda edit (nothing to undo here): the workspace gains a template."""
        store, now = self.facilitator.store, self._now()
        if store is None or self.facilitator.workspace.read_only:
            return
        self.status("")

        def run(store: CohortStore) -> None:
            try:
                saved = actions.save_agenda_as_template(store, self.session_id, name, now=now)
            except InvalidInput as error:
                self.app.call_from_thread(self.status, error.message)
                return
            self.app.call_from_thread(
                self.notify,
                t("agenda_editor.saved.as_template", name=saved.own_name or name),
                timeout=5,
            )

        self.facilitator.save(run, None, on_error=self.status)

    def action_undo(self) -> None:
        if self._defer(self.action_undo):
            return
        if not self.undo_stack:
            self.status(t("agenda_editor.error.nothing_to_undo"))
            return
        last, now = self.undo_stack.pop(), self._now()
        self.edit(
            lambda store: actions.undo_agenda_edit(store, self.session_id, last, now=now),
            lambda _d: t("agenda_editor.saved.undone"),
            first_change,
            undoing=last,
        )
