"""The compte rendu of a bilan meeting, in the app's one form, saved field by field.

The association rates each ``FEEDBACK_QUESTIONS`` item from 1 to 5 (the wording is
``bilan.question.<key>`` in the catalogues), comments, says who else was there (a
partner, the chargé·e de mission DLA, another consultant), the next steps and the
date of a follow-up. Ratings are ``number`` fields with a check, so a 7 or a 3,5 is
refused under its field in the person's language, like a bad date.

Two facilitators may fill the same bilan's compte rendu from two terminals (one the
ratings during the meeting, the other the next steps afterwards). So only what the
person changed in the form is written, as a ``patch`` of those fields; ratings are
merged question by question; and the record is read and written under the store's
lock, so a change made meanwhile from the other terminal is kept, not overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import Any

from textual.widgets import Input

from facilitator.actions import ReviewChanges
from facilitator.domain import (
    FEEDBACK_QUESTIONS,
    BilanReview,
    InvalidInput,
    require_rating,
)
from facilitator.i18n import t
from screens.dialogs.form import Field, FormScreen

RATING_PREFIX = "rating_"
TEXT_FIELDS = ("comments", "third_person", "third_person_role", "next_steps")


def rating_field(key: str) -> str:
    """The form field of one question (a widget id cannot hold the catalogue's dots)."""
    return f"{RATING_PREFIX}{key}"


def check_rating(value: float | None, field: str = "rating") -> None:
    """A whole number from 1 to 5, or nothing (not asked, or not answered)."""
    if value is None:
        return
    if value != int(value):
        raise InvalidInput("domain.error.rating", field, value=f"{value:g}")
    require_rating(int(value), field)


def review_fields() -> list[Field]:
    """The form's fields: the ratings first, as they are asked at the end of the meeting."""
    fields = [
        Field(
            rating_field(key),
            t("bilan.review.rating_label", question=t(f"bilan.question.{key}")),
            "number",
            placeholder=t("bilan.review.rating_placeholder"),
            check=partial(check_rating, field=rating_field(key)),
        )
        for key in FEEDBACK_QUESTIONS
    ]
    fields += [
        Field("comments", t("bilan.review.comments")),
        Field("third_person", t("bilan.review.third_person")),
        Field(
            "third_person_role",
            t("bilan.review.third_person_role"),
            placeholder=t("bilan.review.third_person_role_placeholder"),
        ),
        Field("next_steps", t("word.next_steps")),
        Field("follow_up", t("word.follow_up"), "date"),
    ]
    return fields


def review_values(review: BilanReview | None) -> dict[str, Any]:
    """What the form shows for ``review`` (empty for a compte rendu not started)."""
    if review is None:
        return {}
    values: dict[str, Any] = {rating_field(k): review.ratings.get(k) for k in FEEDBACK_QUESTIONS}
    values.update({name: getattr(review, name) for name in TEXT_FIELDS})
    values["follow_up"] = review.follow_up
    return values


def review_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> ReviewChanges:
    """Compare the form as it opened with the form as it was saved."""
    ratings: dict[str, int | None] = {}
    for key in FEEDBACK_QUESTIONS:
        name = rating_field(key)
        new = after.get(name)
        new = int(new) if new is not None else None
        if new != before.get(name):
            ratings[key] = new
    fields: dict[str, Any] = {
        name: after.get(name) or ""
        for name in TEXT_FIELDS
        if (after.get(name) or "") != (before.get(name) or "")
    }
    follow_up: dt.date | None = after.get("follow_up")
    if follow_up != before.get("follow_up"):
        fields["follow_up"] = follow_up
    return ReviewChanges(fields, ratings)


class ReviewForm(FormScreen):
    """The app's form with one-line inputs, so ten fields fit a 40-row terminal whole.

    A bordered input takes three rows; here each field takes two (its label, then the
    input), and the focused input stands out by its background instead of a border.
    """

    def on_mount(self) -> None:
        # FormScreen's own on_mount runs too (Textual calls each class's handler).
        for field_input in self.query(Input):
            field_input.compact = True


def review_form(structure_name: str, review: BilanReview | None) -> ReviewForm:
    """The form, filled with what was saved so far."""
    return ReviewForm(
        t("bilan.review.title", structure=structure_name), review_fields(), review_values(review)
    )
