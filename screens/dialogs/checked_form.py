"""The shared form, with one more check over all its values before it closes.

``FormScreen`` checks each field on its own. Some rules need two fields at once (a
session that would end before it starts, an agenda that runs past the end of its
day, days given to a consultant without a name): the core's own check runs on the
parsed values, and its sentence is shown under the field it names, the form staying
open. Nothing reaches the store until every check has passed.

It also lays the fields out one a line, the label beside its field: the settings
(fourteen) and a session (seven) would otherwise take two or three screens at 80×24
as the other forms stack them (a label over a bordered box), their buttons out of view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from facilitator.domain import InvalidInput
from facilitator.store import CohortStore
from screens.widgets.form import Field, FormScreen

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

T = TypeVar("T")
FORM_WIDTH = 78


class CheckedFormScreen(FormScreen):
    """A ``FormScreen`` whose values also go through ``check_all`` before it closes.

    ``check_all`` raises ``InvalidInput``; its ``field`` names a field of the form, or
    a name ``aliases`` maps to one (the agenda's checks speak of ``minutes``, which the
    session form asks as an end time). Any other goes under ``fallback`` (default: the
    last field).
    """

    DEFAULT_CSS = """
    CheckedFormScreen > VerticalScroll {
        width: 78;
        layout: grid;
        grid-size: 2;
        grid-columns: 31 1fr;
        grid-rows: auto;
    }
    CheckedFormScreen .form-title,
    CheckedFormScreen .field-error,
    CheckedFormScreen #form-buttons { column-span: 2; }
    CheckedFormScreen .form-title { padding-bottom: 0; }
    CheckedFormScreen .form-keys { column-span: 2; color: $text-muted; padding-bottom: 1; }
    CheckedFormScreen Input.-textual-compact { background: $boost; }
    CheckedFormScreen Input.-textual-compact:focus { background: $primary 35%; }
    CheckedFormScreen #form-buttons { padding-top: 0; }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        values: dict[str, Any] | None = None,
        *,
        check_all: Callable[[dict[str, Any]], object],
        aliases: Mapping[str, str] | None = None,
        fallback: str | None = None,
        keys: str = "",
    ) -> None:
        super().__init__(title, fields, values)
        self.check_all = check_all
        self.aliases = dict(aliases or {})
        self.fallback = fallback or self.fields[-1].name
        self.keys = keys

    def on_mount(self) -> None:
        # FormScreen's own on_mount runs too (Textual calls each class's): not called here.
        for control in self.query(Input):
            control.compact = True
        for choice in self.query(Select):
            choice.compact = True
        title = self.query_one(".form-title", Static)
        self._fit(title)
        if self.keys:
            keys = Static(self.keys, classes="form-keys")
            self.query_one(VerticalScroll).mount(keys, after=title)
            self._fit(keys)

    def _show_error(self, field: Field, message: str | None) -> None:
        super()._show_error(field, message)
        self._fit(self.query_one(f"#error-{field.name}", Static))

    def _fit(self, line: Static) -> None:
        """Give a line across both columns the height its text takes across both.

        Textual's grid sizes an ``auto`` row by each column's width alone, so a sentence
        spanning the two would get the height it needs in the narrow label column: blank
        lines under it. Its maximum height is set from the form's whole width instead.
        """
        scroll = self.query_one(VerticalScroll)
        width = scroll.scrollable_content_region.width or min(FORM_WIDTH, self.app.size.width) - 4
        height = line.get_content_height(self.app.size, self.app.size, width)
        line.styles.max_height = height + line.styles.padding.bottom

    def dismiss(self, result: dict[str, Any] | None = None) -> AwaitComplete:
        """FormScreen closes through here once each field is valid: check them together."""
        if result is not None:
            try:
                self.check_all(result)
            except InvalidInput as error:
                self.refuse(error)
                return AwaitComplete.nothing()
        return super().dismiss(result)

    def refuse(self, error: InvalidInput) -> None:
        names = {f.name for f in self.fields}
        name = error.field if error.field in names else self.aliases.get(error.field or "")
        field = self._field(name if name in names else self.fallback)
        self._show_error(field, error.message)
        self._widget(field).focus()


def save_checked(
    app: FacilitatorApp,
    write: Callable[[CohortStore], T],
    saved: str | Callable[[T], str],
) -> None:
    """``app.save`` for a write whose input the form already checked: should the store
    have changed meanwhile (another facilitator added that bilan), the action's
    sentence is shown instead of « saved », and nothing is written. ``saved`` may be
    worked out from what the action returned (how many sessions it added)."""

    def run(store: CohortStore) -> None:
        try:
            result = write(store)
        except InvalidInput as error:
            app.call_from_thread(app.notify, error.message, severity="error", timeout=30)
            return
        message = saved if isinstance(saved, str) else saved(result)
        app.call_from_thread(app.notify, message, timeout=3)

    app.save(run, None)
