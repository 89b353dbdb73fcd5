"""The cohort's settings: one form to create a cohort and to change it at any time.

Opened from the cohort list (on the selected cohort, or empty to create one) and from
the dashboard (on the open cohort). The consultants are asked as rows of three fields,
name, days budgeted, days spent, for the first two: a DLA programme has one consultant,
sometimes a pair, and each number then sits in its own field, checked there, with no
syntax to learn. A third consultant and beyond (set from the command line) are kept as
they are, and the form says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from facilitator import actions
from facilitator.domain import (
    Approach,
    Cohort,
    Consultant,
    InvalidInput,
    check_timezone,
    label,
    require_name,
    require_programme_date,
)
from facilitator.i18n import t
from screens.dialogs.checked_form import CheckedFormScreen, save_checked
from screens.dialogs.form import Field

if TYPE_CHECKING:
    from screens.app import FacilitatorApp

CONSULTANT_ROWS = 2
DEFAULT_TIMEZONE = "Europe/Paris"


def _days(field: str) -> Callable[[float | None], object]:
    def check(value: float | None) -> None:
        if value is not None:
            actions.check_days(value, field)

    return check


def _start(day: dt.date | None) -> None:
    if day is not None:
        require_programme_date(day, "start_date")


def settings_fields() -> list[Field]:
    fields = [
        Field("name", t("cohorts.field.name"), required=True, check=require_name),
        Field(
            "approach",
            t("cohorts.field.approach"),
            "choice",
            required=True,
            choices=[(label(a), a.value) for a in Approach],
        ),
        Field(
            "thematic",
            t("cohorts.field.thematic"),
            placeholder=t("cohorts.field.thematic_placeholder"),
        ),
        Field("territory", t("cohorts.field.territory")),
        Field(
            "dlas", t("cohorts.field.dlas"), "list", placeholder=t("cohorts.field.dlas_placeholder")
        ),
        Field(
            "cofinancers",
            t("cohorts.field.cofinancers"),
            "list",
            placeholder=t("cohorts.field.cofinancers_placeholder"),
        ),
    ]
    for row in range(1, CONSULTANT_ROWS + 1):
        fields += [
            Field(f"consultant_{row}", t("cohorts.field.consultant", row=row)),
            Field(
                f"budgeted_{row}",
                t("cohorts.field.days_budgeted", row=row),
                "number",
                check=_days(f"budgeted_{row}"),
            ),
            Field(
                f"spent_{row}",
                t("cohorts.field.days_spent", row=row),
                "number",
                check=_days(f"spent_{row}"),
            ),
        ]
    fields += [
        Field("start_date", t("cohorts.field.start_date"), "date", check=_start),
        Field(
            "timezone",
            t("cohorts.field.timezone"),
            required=True,
            placeholder=DEFAULT_TIMEZONE,
            check=check_timezone,
        ),
    ]
    return fields


def settings_values(cohort: Cohort | None) -> dict[str, Any]:
    """What the form shows: the cohort's settings, or a new cohort's defaults."""
    if cohort is None:
        return {"approach": Approach.TERRITORIAL.value, "timezone": DEFAULT_TIMEZONE}
    values: dict[str, Any] = {
        "name": cohort.name,
        "approach": cohort.approach.value,
        "thematic": cohort.thematic,
        "territory": cohort.territory,
        "dlas": cohort.dlas,
        "cofinancers": cohort.cofinancers,
        "start_date": cohort.start_date,
        "timezone": cohort.timezone,
    }
    for row, consultant in enumerate(cohort.consultants[:CONSULTANT_ROWS], start=1):
        values[f"consultant_{row}"] = consultant.name
        values[f"budgeted_{row}"] = consultant.days_budgeted
        values[f"spent_{row}"] = consultant.days_spent
    return values


def settings_from(values: dict[str, Any], cohort: Cohort | None) -> dict[str, Any]:
    """The settings as ``create_cohort`` and ``update_cohort`` take them.

    A consultant row left without a name is no consultant; with days but no name it is
    refused, under its name field (the days would otherwise be lost without a word).
    """
    consultants = []
    for row in range(1, CONSULTANT_ROWS + 1):
        name = values.get(f"consultant_{row}") or ""
        budgeted = values.get(f"budgeted_{row}")
        spent = values.get(f"spent_{row}")
        if not name:
            if budgeted or spent:
                raise InvalidInput("cohorts.error.consultant_name", f"consultant_{row}", row=row)
            continue
        consultants.append(
            Consultant(name=name, days_budgeted=budgeted or 0.0, days_spent=spent or 0.0)
        )
    kept = list(cohort.consultants[CONSULTANT_ROWS:]) if cohort is not None else []
    return {
        "name": values["name"],
        "approach": values["approach"],
        "thematic": values["thematic"],
        "territory": values["territory"],
        "dlas": values["dlas"],
        "cofinancers": values["cofinancers"],
        "consultants": consultants + kept,
        "start_date": values["start_date"],
        "timezone": values["timezone"],
    }


def settings_changes(cohort: Cohort, values: dict[str, Any]) -> dict[str, Any]:
    """Only the settings the person changed: two facilitators changing different
    settings at once both keep theirs."""
    return {
        name: value
        for name, value in settings_from(values, cohort).items()
        if value != getattr(cohort, name)
    }


class CohortSettingsScreen(CheckedFormScreen):
    """The settings form; returns the parsed values (see :func:`settings_from`)."""

    def __init__(self, cohort: Cohort | None) -> None:
        if cohort is None:
            title = t("cohorts.new_title")
        else:
            title = t("cohorts.settings_title", name=cohort.name)
            hidden = len(cohort.consultants) - CONSULTANT_ROWS
            if hidden > 0:
                names = ", ".join(c.name for c in cohort.consultants[CONSULTANT_ROWS:])
                title += "\n" + t("cohorts.more_consultants", names=names)
        super().__init__(
            title,
            settings_fields(),
            settings_values(cohort),
            check_all=lambda values: settings_from(values, cohort),
            keys=t("cohorts.form_keys"),
        )


def edit_open_cohort(app: FacilitatorApp) -> None:
    """The settings of the cohort open in the app (the dashboard's key)."""
    view = app.view
    if view is None or app.store is None:
        return
    cohort = view.cohort

    def done(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        changes = settings_changes(cohort, values)
        if not changes:
            app.notify(t("cohorts.unchanged"), timeout=3)
            return
        save_checked(
            app,
            lambda store: actions.update_cohort(store, now=app.now(), **changes),
            t("cohorts.saved", name=values["name"]),
        )

    app.push_screen(CohortSettingsScreen(cohort), done)
