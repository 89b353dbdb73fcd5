"""The shared form, with one more check over all its values before it closes.

``FormScreen`` checks each field on its own. Some rules need two fields at once (a
session that would end before it starts, an agenda that runs past the end of its
day, days given to a consultant without a name): the core's own check runs on the
parsed values, and its sentence is shown under the field it names, the form staying
open. Nothing reaches the store until every check has passed. (The layout, one field a
line and the keys under the title, is every form's: ``FormScreen``'s.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.await_complete import AwaitComplete

from facilitator.domain import InvalidInput
from facilitator.store import CohortStore
from screens.dialogs.form import Field, FormScreen

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

T = TypeVar("T")


class CheckedFormScreen(FormScreen):
    """A ``FormScreen`` whose values also go through ``check_all`` before it closes.

    ``check_all`` raises ``InvalidInput``; its ``field`` names a field of the form, or
    a name ``aliases`` maps to one (the agenda's checks speak of ``minutes``, which the
    session form asks as an end time). Any other goes under ``fallback`` (default: the
    last field).
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
        super().__init__(title, fields, values, keys=keys)
        self.check_all = check_all
        self.aliases = dict(aliases or {})
        self.fallback = fallback or self.fields[-1].name

    def dismiss(self, result: dict[str, Any] | None = None) -> AwaitComplete:
        """FormScreen closes through here once each field is valid: check them together."""
        if result is not None:
            try:
                self.check_all(result)
            except InvalidInput as error:
                self.refuse(error)
                return cast(AwaitComplete, AwaitComplete.nothing())  # type: ignore[no-untyped-call]
        return super().dismiss(result)

    def refuse(self, error: InvalidInput) -> None:
        names = {f.name for f in self.fields}
        name = error.field if error.field in names else self.aliases.get(error.field or "")
        field = self._field(name if name in names else self.fallback)
        self._show_error(field, error.message)
        self._point_at(field)


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
