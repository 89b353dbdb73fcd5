"""One modal form for every record: fields, inline validation, Enter saves, Escape cancels.

Each field parses its text with the core's own parser (a bad date raises
``InvalidInput``); the sentence is shown under the field and nothing is
returned until every field is valid.

Every form is laid out alike: the title and a line saying the keys at the top, then one
field a line, its label beside it, then the buttons. Only the fields scroll, so at 80×24
the title, the keys and the buttons stay in view however many fields there are and
whatever sentences appear under them. Escape on a form the person has typed into asks
before throwing it away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from facilitator.domain import InvalidInput, parse_date
from facilitator.i18n import lazy, number, t
from screens.base import Dialog
from screens.dialogs.confirm import ConfirmScreen

FieldKind = Literal["text", "date", "bool", "choice", "number", "list"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: FieldKind = "text"
    required: bool = False
    choices: Sequence[tuple[str, str]] = ()  # (label, value)
    placeholder: str = ""
    check: Callable[[Any], object] | None = None  # extra rule, raises InvalidInput
    # (other field's name, function of its value): while the person has not changed this
    # field, it follows the other one (a new participant's governance box follows the role).
    default_from: tuple[str, Callable[[Any], Any]] | None = None
    # Reads the text in place of the kind's own parser, with the field's name for the
    # sentence (a creation date may be a year alone): ``parse(text, name)``.
    parse: Callable[[str, str], Any] | None = None


def _number(text: str, field: str) -> float:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        raise InvalidInput("forms.error.number", field, value=text.strip()) from None
    if value < 0:
        raise InvalidInput("forms.error.negative", field, value=text.strip())
    return value


def parse_field(field: Field, raw: Any) -> Any:
    """The value of a field from what its widget holds, or InvalidInput."""
    if field.kind == "bool":
        return bool(raw)
    if field.kind == "choice":
        return None if raw is Select.NULL else raw
    text = str(raw or "").strip()
    if not text:
        if field.required:
            raise InvalidInput("forms.error.required", field.name, label=field.label)
        return [] if field.kind == "list" else None if field.kind in ("date", "number") else ""
    if field.parse is not None:
        return field.parse(text, field.name)
    if field.kind == "date":
        return parse_date(text, field.name)
    if field.kind == "number":
        return _number(text, field.name)
    if field.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    return " ".join(text.split())


def _shown(field: Field, value: Any) -> Any:
    if field.kind == "bool":
        return bool(value)
    if field.kind == "choice":
        return value if value is not None else Select.NULL
    if field.kind == "list":
        return ", ".join(value or [])
    if field.kind == "date":
        return value.isoformat() if value else ""
    if field.kind == "number":
        return "" if value is None else number(value)
    return value or ""


class TickBox(Checkbox):
    """A checkbox that reads without colour: ✓ when ticked, blank when not.

    Textual's draws the same X either way and only its colour tells (lost on a
    monochrome terminal, in a screenshot, to a colour-blind eye).
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # read at each render
        return "✓" if self.value else " "


class FormFields(VerticalScroll, can_focus=False):
    """The fields, scrolling under the form's title: it follows the focus, and is not
    itself a stop for Tab (a stop that swallows typing between two fields)."""


LABEL_WIDTH = 30
"""The label column at most, its gap included (a longer label wraps): the field beside it
keeps 44 columns in a form 78 wide."""


class FormScreen(Dialog[dict[str, Any] | None]):
    """Returns the parsed values, or None when cancelled.

    ``keys`` is the line under the title; by default it says Tab, Enter and Escape.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", lazy("forms.cancel")),
        Binding("ctrl+s", "submit", lazy("forms.save")),
        # Priority: the focus moves before the keys that follow are handed to a field.
        # Over SSH a Tab and the next field's text arrive in one read; without it the
        # text lands in the field being left.
        Binding("tab", "app.focus_next", lazy("forms.next_field"), show=False, priority=True),
        Binding(
            "shift+tab",
            "app.focus_previous",
            lazy("forms.previous_field"),
            show=False,
            priority=True,
        ),
    ]
    # The head and the buttons are docked, so the fields between them get what is left of
    # the screen's height and scroll in it; the rules name the row (``.form-row >``) to
    # win over a subclass's older, looser ones.

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        values: dict[str, Any] | None = None,
        *,
        keys: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.initial = values or {}
        self.keys = keys or t("forms.keys")
        # What a following field was last set to; a different value means the person
        # changed it themselves, and from then on it no longer follows.
        self._followed: dict[str, Any] = {}
        # What each widget held once the form was up: a form that still holds it has
        # nothing to lose, and Escape closes it without asking.
        self._opened: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="frame"):
            with Vertical(id="form-head"):
                yield Static(self.form_title, classes="form-title")
                yield Static(self.keys, classes="form-keys")
            with FormFields(id="form-fields"):
                for field in self.fields:
                    yield from self._compose_field(field)
            with Horizontal(id="form-buttons", classes="buttons"):
                yield Button(t("forms.cancel"), id="cancel")
                yield Button(t("forms.save"), id="save", variant="primary")

    def _compose_field(self, field: Field) -> ComposeResult:
        value = _shown(field, self.initial.get(field.name))
        widget_id = f"field-{field.name}"
        with Horizontal(classes="form-row"):
            yield Label(self._label(field), classes="form-label")
            if field.kind == "bool":
                yield TickBox("", value, id=widget_id, compact=True)
            elif field.kind == "choice":
                yield Select(
                    [(lbl, val) for lbl, val in field.choices],
                    value=value,
                    id=widget_id,
                    allow_blank=not field.required,
                    prompt=t("forms.choose"),
                    compact=True,
                )
            else:
                placeholder = field.placeholder or (
                    t("forms.date_placeholder") if field.kind == "date" else ""
                )
                yield Input(str(value), placeholder=placeholder, id=widget_id, compact=True)
        yield Static("", id=f"error-{field.name}", classes="field-error")

    @staticmethod
    def _label(field: Field) -> str:
        return f"{field.label} *" if field.required else field.label

    def on_mount(self) -> None:
        for input_widget in self.query(Input):
            input_widget.cursor_blink = False
        # The label column as wide as this form's longest label and a gap, up to
        # LABEL_WIDTH: a form of short labels gives its fields the room.
        longest = max((cell_len(self._label(f)) for f in self.fields), default=0)
        for label in self.query(".form-label"):
            label.styles.width = min(longest + 1, LABEL_WIDTH)
        if self.fields:
            self._widget(self.fields[0]).focus()
        for field in self.fields:
            if field.default_from is not None:
                self._followed[field.name] = self._raw(field)
        self._opened = self._held()

    def _held(self) -> dict[str, Any]:
        return {field.name: self._raw(field) for field in self.fields}

    @property
    def changed(self) -> bool:
        """Whether a field holds something else than when the form opened."""
        return self._held() != self._opened

    def _widget(self, field: Field) -> Widget:
        return self.query_one(f"#field-{field.name}")

    def _raw(self, field: Field) -> Any:
        widget = self._widget(field)
        return widget.value if isinstance(widget, Input | Checkbox | Select) else None

    def _check(self, field: Field) -> tuple[Any, str | None]:
        raw = self._raw(field)
        try:
            value = parse_field(field, raw)
            if field.check is not None:
                field.check(value)
        except InvalidInput as error:
            return None, error.message
        return value, None

    def _show_error(self, field: Field, message: str | None) -> None:
        error = self.query_one(f"#error-{field.name}", Static)
        error.update(message or "")
        error.set_class(message is not None, "shown")

    def _point_at(self, field: Field) -> None:
        """Focus a refused field and, once laid out, bring its sentence into view too."""
        self._widget(field).focus()
        error = self.query_one(f"#error-{field.name}", Static)
        self.call_after_refresh(error.scroll_visible, animate=False)

    @on(Input.Changed)
    def recheck(self, event: Input.Changed) -> None:
        """Once a field was flagged, clear the message as soon as it is fixed."""
        name = (event.input.id or "").removeprefix("field-")
        field = next((f for f in self.fields if f.name == name), None)
        if field is not None and self.query_one(f"#error-{name}", Static).has_class("shown"):
            self._show_error(field, self._check(field)[1])

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def follow(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        """Let untouched fields follow the field they default from."""
        control = event.control
        name = (control.id or "").removeprefix("field-") if control is not None else ""
        if name in self._followed:
            if self._raw(self._field(name)) != self._followed[name]:
                del self._followed[name]  # changed by hand: it is the person's now
            return
        for field in self.fields:
            if field.default_from is None or field.default_from[0] != name:
                continue
            if field.name not in self._followed:
                continue
            value, message = self._check(self._field(name))
            if message is not None:
                continue
            derive = field.default_from[1]
            target = self._widget(field)
            shown = _shown(field, derive(value))
            self._followed[field.name] = shown
            if isinstance(target, Input | Checkbox | Select):
                with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
                    target.value = shown

    def _field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_submit(self) -> None:
        values: dict[str, Any] = {}
        first_bad: Field | None = None
        for field in self.fields:
            value, message = self._check(field)
            self._show_error(field, message)
            if message is not None:
                first_bad = first_bad or field
            values[field.name] = value
        if first_bad is not None:
            self._point_at(first_bad)
            return
        self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving; once something was typed, only if the person says so."""
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        question = ConfirmScreen(t("forms.discard_question"), t("forms.discard"))
        self.app.push_screen(question, answered)
