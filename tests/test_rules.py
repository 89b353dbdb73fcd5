"""The guidance's rules, each on data that triggers it and on data just inside the line."""

from __future__ import annotations

import datetime as dt
import json
import math
import string
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from facilitator import rules
from facilitator.domain import (
    Cohort,
    Consultant,
    Participant,
    Role,
    Session,
    SessionKind,
    Structure,
)
from facilitator.i18n import plural, set_language, t
from facilitator.resources import data_dir
from facilitator.rules import (
    RULES,
    Concern,
    ConsultantDays,
    Scope,
    Severity,
    add_months,
    concerns,
    consultant_days,
    months_and_days,
    programme_span,
)

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("fr")


def structure(name: str, **kwargs: Any) -> Structure:
    """An eligible structure unless told otherwise."""
    return Structure(name=name, **{"created": dt.date(2000, 1, 1), **kwargs})


def board(s: Structure) -> Participant:
    return Participant(
        structure_id=s.id, name=f"Présidence {s.name}", role=Role.PRESIDENT, governance=True
    )


def cohort(days: float = 10.0, **kwargs: Any) -> Cohort:
    return Cohort(
        name="Collectif test", consultants=[Consultant(name="C", days_budgeted=days)], **kwargs
    )


def eligible(count: int) -> tuple[list[Structure], list[Participant]]:
    structures = [structure(f"Association {i:02d}") for i in range(count)]
    return structures, [board(s) for s in structures]


def run(
    c: Cohort,
    structures: Sequence[Structure] = (),
    participants: Sequence[Participant] = (),
    sessions: Sequence[Session] = (),
    today: dt.date = TODAY,
) -> list[Concern]:
    return concerns(c, structures, participants, sessions, today=today)


def codes(found: list[Concern]) -> list[str]:
    return [f.code for f in found]


def programme(start: dt.date, end: dt.date) -> list[Session]:
    return [
        Session(kind=SessionKind.INTRO, date=start),
        Session(kind=SessionKind.STATE_OF_PLAY, date=start + dt.timedelta(days=30)),
        Session(kind=SessionKind.EVOLUTION, date=start + dt.timedelta(days=60)),
        Session(kind=SessionKind.BILAN, date=end),
    ]


# --- the registry ----------------------------------------------------------------------


def test_rules_have_unique_codes_and_a_title_in_both_languages() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert [r.scope for r in RULES] == sorted((r.scope for r in RULES), key=list(Scope).index)
    for lang in ("fr", "en"):
        set_language(lang)
        for r in RULES:
            assert r.title != f"rules.{r.code}.title"
    assert rules.rule("consultant-days").severity is Severity.WARNING
    with pytest.raises(KeyError, match="nope"):
        rules.rule("nope")


def test_catalogues_match_key_for_key_and_placeholder_for_placeholder() -> None:
    fr = json.loads((data_dir() / "i18n" / "fr" / "rules.json").read_text(encoding="utf-8"))
    en = json.loads((data_dir() / "i18n" / "en" / "rules.json").read_text(encoding="utf-8"))
    assert fr.keys() == en.keys()

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key in fr:
        assert fields(fr[key]) == fields(en[key]), key
    for r in RULES:
        for part in ("title", "message", "advice"):
            assert f"{r.code}.{part}" in fr


def test_a_clean_cohort_has_no_concerns() -> None:
    structures, participants = eligible(8)
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 5, 20))
    assert run(cohort(10), structures, participants, sessions) == []


# --- number of structures ------------------------------------------------------------


def test_eight_structures_are_fine_nine_are_too_many() -> None:
    structures, participants = eligible(8)
    assert "too-many-structures" not in codes(run(cohort(20), structures, participants))

    structures, participants = eligible(9)
    found = run(cohort(20), structures, participants)
    assert codes(found) == ["too-many-structures"]
    assert found[0].message == (
        "Le collectif compte 9 structures, "
        "au-delà des 8 structures que la fiche recommande au maximum."
    )
    assert found[0].severity is Severity.WARNING


# --- consultant days -----------------------------------------------------------------


def test_ten_days_for_eight_structures_is_enough() -> None:
    structures, participants = eligible(8)
    assert run(cohort(10), structures, participants) == []


def test_nine_and_a_half_days_for_eight_structures_is_too_few() -> None:
    structures, participants = eligible(8)
    c = cohort(9.5)
    found = run(c, structures, participants)
    assert codes(found) == ["consultant-days"]
    assert found[0].subject_id == c.id
    assert "9,5 jours pour 8 structures" in found[0].message
    assert "10 jours nécessaires" in found[0].message
    assert found[0].advice.startswith("Prévoyez au moins 10 jours")


def test_days_are_summed_over_consultants_and_prorated() -> None:
    structures, participants = eligible(5)
    split = Cohort(
        name="Deux consultants",
        consultants=[
            Consultant(name="A", days_budgeted=4),
            Consultant(name="B", days_budgeted=2.25),
        ],
    )
    assert run(split, structures, participants) == []

    found = run(cohort(6.2), structures, participants)
    assert codes(found) == ["consultant-days"]
    assert "6,2 jours pour 5 structures, en dessous des 6,25 jours" in found[0].message


def test_no_structures_means_no_days_concern() -> None:
    assert run(cohort(0)) == []


def tenths(*days: float) -> Cohort:
    return Cohort(
        name="Dixièmes",
        consultants=[
            Consultant(name=f"C{i}", days_budgeted=d, days_spent=d / 2) for i, d in enumerate(days)
        ],
    )


def test_consultant_days_typed_as_1_2_plus_7_1_plus_1_7_meet_a_10_day_budget() -> None:
    assert sum((1.2, 7.1, 1.7)) < 10  # what a plain float sum gives: 9.999999999999998
    structures, participants = eligible(8)
    c = tenths(1.2, 7.1, 1.7)
    assert consultant_days(c, 8).budgeted == 10.0
    assert consultant_days(c, 8).spent == 5.0
    assert run(c, structures, participants) == []
    # just below the line, still too few
    assert codes(run(tenths(1.2, 7.1, 1.6), structures, participants)) == ["consultant-days"]


def test_consultant_days_typed_as_0_1_plus_4_1_plus_3_3_meet_the_7_5_days_of_6_structures() -> None:
    # Even summed exactly (math.fsum), these floats fall short: only the rounding saves them.
    assert math.fsum((0.1, 4.1, 3.3)) < 7.5
    structures, participants = eligible(6)
    c = tenths(0.1, 4.1, 3.3)
    days = consultant_days(c, 6)
    assert (days.budgeted, days.needed_min) == (7.5, 7.5) and days.enough
    assert days.spent == 3.75
    assert run(c, structures, participants) == []
    assert codes(run(tenths(0.1, 4.1, 3.2), structures, participants)) == ["consultant-days"]


def test_consultant_days_read_model_is_prorated() -> None:
    c = Cohort(
        name="Deux",
        consultants=[
            Consultant(name="A", days_budgeted=5, days_spent=1.5),
            Consultant(name="B", days_budgeted=3, days_spent=0.5),
        ],
    )
    days = consultant_days(c, 6)
    assert (days.budgeted, days.spent, days.needed_min, days.needed_max) == (8, 2, 7.5, 9)
    assert days.structures == 6 and days.enough
    assert consultant_days(c, 8) == ConsultantDays(8, 2, 10, 12, 8)
    assert not consultant_days(c, 8).enough
    empty = consultant_days(Cohort(name="Vide"), 0)
    assert (empty.budgeted, empty.needed_min, empty.needed_max, empty.enough) == (0, 0, 0, True)


# --- programme length ----------------------------------------------------------------


def test_calendar_months_clamp_to_the_end_of_shorter_months() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert months_and_days(dt.date(2026, 1, 1), dt.date(2026, 4, 30)) == (3, 29)
    assert months_and_days(dt.date(2026, 1, 31), dt.date(2026, 5, 30)) == (3, 30)
    assert months_and_days(dt.date(2026, 1, 1), dt.date(2026, 1, 1)) == (0, 0)
    # A month is whole on the day it is reached, and not a day before.
    assert months_and_days(dt.date(2026, 1, 15), dt.date(2026, 6, 15)) == (5, 0)
    assert months_and_days(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == (1, 0)
    assert months_and_days(dt.date(2026, 1, 31), dt.date(2026, 2, 27)) == (0, 27)
    assert months_and_days(dt.date(2025, 11, 30), dt.date(2027, 1, 29)) == (13, 30)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 5, 31), []),  # exactly 4 months
        (dt.date(2026, 1, 31), dt.date(2026, 5, 30), ["programme-too-short"]),  # 3 months 30 days
        (dt.date(2026, 1, 15), dt.date(2026, 6, 15), []),  # exactly 5 months
        (dt.date(2026, 1, 15), dt.date(2026, 6, 16), ["programme-too-long"]),  # 5 months + 1 day
    ],
)
def test_programme_length_boundaries(start: dt.date, end: dt.date, expected: list[str]) -> None:
    structures, participants = eligible(8)
    assert codes(run(cohort(10), structures, participants, programme(start, end))) == expected


def test_programme_length_messages_give_the_duration_and_dates() -> None:
    short = run(cohort(), sessions=programme(dt.date(2026, 1, 31), dt.date(2026, 5, 30)))
    assert short[0].message == (
        "Du 31/01/2026 au 30/05/2026, le programme ne dure que 3 mois et 30 jours, "
        "moins que les 4 à 5 mois prévus par la démarche."
    )
    long = run(cohort(), sessions=programme(dt.date(2026, 1, 15), dt.date(2026, 6, 16)))
    assert "s'étend sur 5 mois et 1 jour" in long[0].message


def test_a_duration_of_whole_months_or_of_days_only_says_just_that() -> None:
    whole = run(cohort(), sessions=programme(dt.date(2026, 1, 15), dt.date(2026, 7, 15)))
    assert "le programme s'étend sur 6 mois, plus que" in whole[0].message
    days = [
        Session(kind=SessionKind.INTRO, date=dt.date(2026, 1, 1)),
        Session(kind=SessionKind.BILAN, date=dt.date(2026, 1, 20)),
    ]
    assert "le programme ne dure que 19 jours, moins que" in run(cohort(), sessions=days)[0].message


def test_an_earlier_cohort_start_date_counts_as_the_start() -> None:
    sessions = programme(dt.date(2026, 2, 1), dt.date(2026, 6, 1))  # 4 months from the intro
    early = cohort(start_date=dt.date(2026, 1, 1))  # 5 months and 0 days from here
    assert run(early, sessions=sessions) == []
    earlier = cohort(start_date=dt.date(2025, 12, 31))
    assert codes(run(earlier, sessions=sessions)) == ["programme-too-long"]
    later = cohort(start_date=dt.date(2026, 3, 1))  # after the intro: the intro wins
    assert run(later, sessions=sessions) == []


def test_no_length_concern_while_the_end_is_unknown() -> None:
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 2, 1))
    sessions[-1].date = None  # the bilan is not dated yet: the span so far is 2 months
    assert run(cohort(), sessions=sessions) == []
    assert run(cohort(), sessions=[Session(kind=SessionKind.INTRO, date=dt.date(2026, 1, 6))]) == []
    assert run(cohort(start_date=dt.date(2026, 1, 6))) == []
    undated = [Session(kind=k) for k in SessionKind]
    assert programme_span(cohort(), undated) is None


def test_no_short_concern_while_the_start_is_unknown() -> None:
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 4, 1))
    sessions[0].date = None  # intro undated, no start date: the real start may be earlier
    assert run(cohort(), sessions=sessions) == []


def test_a_partly_dated_programme_can_already_be_too_long() -> None:
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 9, 1))
    sessions[-1].date = None
    sessions[2].date = dt.date(2026, 7, 1)
    found = run(cohort(), sessions=sessions)
    assert codes(found) == ["programme-too-long"]


# --- order and spacing of the sessions ---------------------------------------------------

ORDER_RULES = (
    "state-of-play-before-intro",
    "evolution-before-state-of-play",
    "bilan-before-evolution",
    "collective-sessions-too-close",
)
DAY = dt.timedelta(days=1)
S1 = dt.date(2026, 9, 1)  # a well-spaced calendar: 6 weeks, 7 weeks, bilans 2 weeks later
S2 = dt.date(2026, 10, 13)
S3 = dt.date(2026, 12, 1)


def calendar(*sessions: Session, structures: Sequence[Structure] = ()) -> list[str]:
    """The codes of the order and spacing concerns only, for the sessions given."""
    found = run(cohort(), structures, [board(s) for s in structures], sessions)
    return [f.code for f in found if f.code in ORDER_RULES]


def at(kind: SessionKind, day: dt.date | None, owner: Structure | None = None) -> Session:
    return Session(kind=kind, date=day, structure_id=owner.id if owner else None)


def by_code(code: str, *sessions: Session, structures: Sequence[Structure] = ()) -> Concern:
    found = run(cohort(), structures, [board(s) for s in structures], sessions)
    return next(f for f in found if f.code == code)


def test_the_new_rules_are_cohort_warnings_in_programme_order() -> None:
    codes_in_order = [r.code for r in RULES]
    assert codes_in_order.index("programme-too-long") < codes_in_order.index(ORDER_RULES[0])
    for code in ORDER_RULES:
        assert rules.rule(code).scope is Scope.COHORT
        assert rules.rule(code).severity is Severity.WARNING


def test_a_well_ordered_calendar_has_no_order_concerns() -> None:
    jardins = structure("Les Jardins")
    sessions = (
        at(SessionKind.INTRO, S1),
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.EVOLUTION, S3),
        at(SessionKind.BILAN, S3 + 14 * DAY, jardins),
    )
    assert calendar(*sessions, structures=[jardins]) == []


@pytest.mark.parametrize(
    ("gap", "expected"),
    [(13, ["collective-sessions-too-close"]), (14, []), (1, ["collective-sessions-too-close"])],
)
def test_two_collective_sessions_need_two_weeks_between_them(gap: int, expected: list[str]) -> None:
    intro_then_state = (at(SessionKind.INTRO, S2 - gap * DAY), at(SessionKind.STATE_OF_PLAY, S2))
    assert calendar(*intro_then_state, at(SessionKind.EVOLUTION, S3)) == expected
    state_then_evolution = (
        at(SessionKind.STATE_OF_PLAY, S3 - gap * DAY),
        at(SessionKind.EVOLUTION, S3),
    )
    assert calendar(at(SessionKind.INTRO, S1), *state_then_evolution) == expected


def test_the_gap_message_names_both_sessions_and_the_days() -> None:
    found = by_code(
        "collective-sessions-too-close",
        at(SessionKind.INTRO, S2 - 13 * DAY),
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.EVOLUTION, S2 + DAY),
    )
    assert found.subject_id is not None
    assert found.message == (
        "Seulement 13 jours entre la session introductive du 30/09/2026 "
        "et la 1re session collective (état des lieux) du 13/10/2026, "
        "et 1 jour entre la 1re session collective (état des lieux) du 13/10/2026 "
        "et la 2nde session collective (évolution) du 14/10/2026, "
        "alors qu'il faut laisser au moins deux semaines entre deux sessions collectives."
    )
    assert found.advice.startswith("Espacez les sessions collectives d'au moins deux semaines")


def test_the_gap_skips_an_undated_stage_and_compares_with_the_closest_session() -> None:
    # No date for the état des lieux: the introduction and the évolution are compared.
    assert calendar(
        at(SessionKind.INTRO, S3 - 10 * DAY),
        at(SessionKind.STATE_OF_PLAY, None),
        at(SessionKind.EVOLUTION, S3),
    ) == ["collective-sessions-too-close"]
    # Two états des lieux (a make-up): the évolution is judged against the later one.
    two_states = (at(SessionKind.STATE_OF_PLAY, S2), at(SessionKind.STATE_OF_PLAY, S3 - 5 * DAY))
    found = by_code(
        "collective-sessions-too-close",
        at(SessionKind.INTRO, S1),
        *two_states,
        at(SessionKind.EVOLUTION, S3),
    )
    assert "5 jours entre la 1re session collective (état des lieux) du 26/11/2026" in found.message
    assert "49 jours" not in found.message  # the earlier état des lieux is not a pair that matters
    # Two sessions of one kind close together are one stage held twice, not a gap.
    assert calendar(at(SessionKind.INTRO, S1), at(SessionKind.INTRO, S1 + DAY)) == []


@pytest.mark.parametrize(
    ("offset", "expected", "when"),
    [
        (-1, ["evolution-before-state-of-play"], "avant"),
        (0, ["evolution-before-state-of-play"], "le même jour que"),
        (1, ["collective-sessions-too-close"], None),  # in order, though far too close
        (14, [], None),
    ],
)
def test_the_evolution_comes_after_the_state_of_play(
    offset: int, expected: list[str], when: str | None
) -> None:
    sessions = (
        at(SessionKind.INTRO, S1),
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.EVOLUTION, S2 + offset * DAY),
    )
    assert calendar(*sessions) == expected
    if when is not None:
        assert by_code("evolution-before-state-of-play", *sessions).message == (
            f"Le calendrier place la 2nde session collective (évolution) du "
            f"{(S2 + offset * DAY):%d/%m/%Y} {when} la 1re session collective (état des lieux) "
            "du 13/10/2026."
        )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-1, ["state-of-play-before-intro"]),
        (0, ["state-of-play-before-intro"]),
        (13, ["collective-sessions-too-close"]),
        (14, []),
    ],
)
def test_the_state_of_play_comes_after_the_introduction(offset: int, expected: list[str]) -> None:
    sessions = (at(SessionKind.INTRO, S1), at(SessionKind.STATE_OF_PLAY, S1 + offset * DAY))
    assert calendar(*sessions, at(SessionKind.EVOLUTION, S3)) == expected


def test_the_state_of_play_message_gives_both_dates() -> None:
    found = by_code(
        "state-of-play-before-intro",
        at(SessionKind.INTRO, S2),
        at(SessionKind.STATE_OF_PLAY, S1),
    )
    assert found.message == (
        "Le calendrier place la 1re session collective (état des lieux) du 01/09/2026 "
        "avant la session introductive du 13/10/2026."
    )
    assert found.advice.startswith("Commencez par la session introductive")


def test_every_later_session_must_follow_every_earlier_one() -> None:
    # Two évolutions, both on or before the later of two états des lieux: both are named.
    found = by_code(
        "evolution-before-state-of-play",
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.STATE_OF_PLAY, S3),
        at(SessionKind.EVOLUTION, S2 + 20 * DAY),
        at(SessionKind.EVOLUTION, S3),
    )
    assert found.message == (
        "Le calendrier place la 2nde session collective (évolution) du 02/11/2026 et du "
        "01/12/2026 avant ou le même jour que la 1re session collective (état des lieux) "
        "du 01/12/2026."
    )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, ["bilan-before-evolution"]), (0, ["bilan-before-evolution"]), (1, [])],
)
def test_a_bilan_comes_after_the_evolution(offset: int, expected: list[str]) -> None:
    """The day after is in order; the same day is too early, as the bilan follows up the
    session (« suite à la 2nde session collective »)."""
    jardins = structure("Les Jardins")
    sessions = (
        at(SessionKind.INTRO, S1),
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.EVOLUTION, S3),
        at(SessionKind.BILAN, S3 + offset * DAY, jardins),
    )
    assert calendar(*sessions, structures=[jardins]) == expected


def test_the_bilan_message_names_the_structures_and_dates() -> None:
    jardins, escale = structure("Les Jardins"), structure("L'Escale")
    sessions = (
        at(SessionKind.EVOLUTION, S3),
        at(SessionKind.BILAN, S3, escale),
        at(SessionKind.BILAN, S3 - 3 * DAY, jardins),
        at(SessionKind.BILAN, S3 + 15 * DAY, structure("La Trame")),  # fine: not named
        at(SessionKind.BILAN, None, structure("Sans date")),  # undated: not judged
    )
    one = by_code("bilan-before-evolution", *sessions[:1], sessions[2], structures=[jardins])
    assert one.message == (
        "Le calendrier place le bilan individuel de « Les Jardins » (28/11/2026) "
        "avant la 2nde session collective (évolution) du 01/12/2026."
    )
    both = by_code("bilan-before-evolution", *sessions, structures=[jardins, escale])
    assert both.message == (
        "Le calendrier place les bilans individuels de « Les Jardins » (28/11/2026) "
        "et de « L'Escale » (01/12/2026) avant ou le même jour que "
        "la 2nde session collective (évolution) du 01/12/2026."
    )
    assert both.advice.startswith("Datez chaque bilan après la 2nde session collective")
    # A bilan not yet given a structure is still found, and said so.
    alone = by_code(
        "bilan-before-evolution", at(SessionKind.EVOLUTION, S3), at(SessionKind.BILAN, S3)
    )
    assert "le bilan individuel sans structure (01/12/2026) le même jour que" in alone.message


def test_bilans_on_one_day_are_listed_by_start_time_and_an_untimed_one_last() -> None:
    # The ids run against the times, so only the start time can give this order.
    morning, afternoon, untimed = structure("Matin"), structure("Après-midi"), structure("Libre")
    sessions = (
        at(SessionKind.EVOLUTION, S3),
        Session(id="a", kind=SessionKind.BILAN, date=S3, structure_id=untimed.id),
        Session(
            id="b",
            kind=SessionKind.BILAN,
            date=S3,
            start_time=dt.time(14, 0),
            structure_id=afternoon.id,
        ),
        Session(
            id="c",
            kind=SessionKind.BILAN,
            date=S3,
            start_time=dt.time(9, 30),
            structure_id=morning.id,
        ),
    )
    found = by_code("bilan-before-evolution", *sessions, structures=[morning, afternoon, untimed])
    assert found.message.startswith(
        "Le calendrier place les bilans individuels de « Matin » (01/12/2026), "
        "de « Après-midi » (01/12/2026) et de « Libre » (01/12/2026) le même jour que"
    )


def test_a_state_of_play_before_the_introduction_leaves_a_later_one_judged_too_close() -> None:
    # The first état des lieux is out of order (its own concern); the make-up five days
    # after the introduction is still too close to it.
    found = run(
        cohort(),
        sessions=(
            at(SessionKind.INTRO, S2),
            at(SessionKind.STATE_OF_PLAY, S2 - 10 * DAY),
            at(SessionKind.STATE_OF_PLAY, S2 + 5 * DAY),
        ),
    )
    codes = [f.code for f in found if f.code in ORDER_RULES]
    assert codes == ["state-of-play-before-intro", "collective-sessions-too-close"]
    gap = next(f for f in found if f.code == "collective-sessions-too-close")
    assert "5 jours entre la session introductive du 13/10/2026" in gap.message


def test_three_bilans_too_early_are_listed_with_commas_then_and() -> None:
    a, b, c = structure("A"), structure("B"), structure("C")
    found = by_code(
        "bilan-before-evolution",
        at(SessionKind.EVOLUTION, S3),
        at(SessionKind.BILAN, S3 - DAY, a),
        at(SessionKind.BILAN, S3 - 2 * DAY, b),
        at(SessionKind.BILAN, S3 - 3 * DAY, c),
        structures=[a, b, c],
    )
    assert "de « C » (28/11/2026), de « B » (29/11/2026) et de « A » (30/11/2026) avant" in (
        found.message
    )


def test_bilans_follow_the_last_evolution_and_undated_sessions_are_not_judged() -> None:
    jardins = structure("Les Jardins")
    bilan = at(SessionKind.BILAN, S3 + DAY, jardins)
    two = (at(SessionKind.EVOLUTION, S3 - 7 * DAY), at(SessionKind.EVOLUTION, S3 + 7 * DAY))
    assert calendar(*two, bilan, structures=[jardins]) == ["bilan-before-evolution"]
    undated = (
        at(SessionKind.INTRO, None),
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.EVOLUTION, None),
        bilan,
    )
    assert calendar(*undated, structures=[jardins]) == []


def test_order_and_spacing_messages_in_english() -> None:
    set_language("en")
    jardins = structure("Les Jardins")
    sessions = (
        at(SessionKind.INTRO, S1),
        at(SessionKind.STATE_OF_PLAY, S1 - DAY),
        at(SessionKind.EVOLUTION, S1 + 10 * DAY),
        at(SessionKind.BILAN, S1, jardins),
    )
    found = {f.code: f for f in run(cohort(), [jardins], [board(jardins)], sessions)}
    assert found["state-of-play-before-intro"].message == (
        "The calendar puts collective session 1 (state of play), on 2026-08-31, "
        "before the introductory session on 2026-09-01."
    )
    assert found["bilan-before-evolution"].message == (
        'The calendar puts the individual review of "Les Jardins" (2026-09-01) '
        "before collective session 2 (evolution) on 2026-09-11."
    )
    assert found["collective-sessions-too-close"].message == (
        "Only 11 days between collective session 1 (state of play) on 2026-08-31 "
        "and collective session 2 (evolution) on 2026-09-11, "
        "while at least two weeks should be left between two collective sessions."
    )
    same_day = by_code(
        "evolution-before-state-of-play",
        at(SessionKind.STATE_OF_PLAY, S2),
        at(SessionKind.EVOLUTION, S2),
    )
    assert "(evolution), on 2026-10-13, on the same day as collective session 1" in same_day.message
    for f in found.values():
        assert "rules." not in f.message and "rules." not in f.advice


# --- structures ------------------------------------------------------------------------


def test_created_exactly_three_years_ago_is_fine_a_day_less_is_not() -> None:
    old = structure("Ancienne", created=dt.date(2023, 3, 10))
    young = structure("Jeune", created=dt.date(2023, 3, 11))
    found = run(cohort(), [old, young], [board(old), board(young)])
    assert codes(found) == ["structure-too-young"]
    assert found[0].subject_id == young.id
    assert found[0].message == (
        "« Jeune » a été créée le 11/03/2023, moins de 3 ans avant la date du jour (10/03/2026), "
        "alors que la démarche s'adresse de préférence "
        "aux associations créées depuis 3 ans au moins."
    )


def test_age_is_judged_at_the_programme_start() -> None:
    s = structure("Née en 2023", created=dt.date(2023, 3, 11))
    sessions = [Session(kind=SessionKind.INTRO, date=dt.date(2026, 3, 11))]
    assert run(cohort(), [s], [board(s)], sessions) == []  # 3 years old on the first day
    found = run(
        cohort(start_date=dt.date(2026, 3, 1)), [s], [board(s)], sessions, today=dt.date(2027, 1, 1)
    )
    assert codes(found) == ["structure-too-young"]
    assert "le début du programme (01/03/2026)" in found[0].message


def test_unknown_creation_date_asks_to_fill_it_in() -> None:
    s = structure("Sans date", created=None)
    found = run(cohort(), [s], [board(s)])
    assert codes(found) == ["structure-creation-unknown"]
    assert found[0].severity is Severity.INFO
    assert "« Sans date »" in found[0].message


def test_not_employer_and_not_general_interest_are_separate_concerns() -> None:
    s = structure("Club des amis", employer=False, general_interest=False)
    found = run(cohort(), [s], [board(s)])
    assert codes(found) == ["structure-not-employer", "structure-not-general-interest"]
    assert all(f.subject_id == s.id for f in found)
    assert found[0].message == (
        "« Club des amis » n'est pas employeuse, "
        "alors que la démarche s'adresse aux associations employeuses."
    )


def test_a_structure_needs_a_governance_participant() -> None:
    s = structure("Sans CA")
    director = Participant(structure_id=s.id, name="Directrice", role=Role.DIRECTOR)
    assert codes(run(cohort(), [s], [director])) == ["structure-no-governance"]
    # Nobody registered: that comes first, said once.
    assert codes(run(cohort(), [s], [])) == ["structure-no-participant"]
    flagged = Participant(
        structure_id=s.id, name="Bénévole du bureau", role=Role.OTHER, governance=True
    )
    assert run(cohort(), [s], [director, flagged]) == []
    # a président·e counts even with the flag left unticked
    president = Participant(structure_id=s.id, name="Président", role=Role.PRESIDENT)
    assert run(cohort(), [s], [director, president]) == []
    other = structure("Autre")
    assert codes(run(cohort(), [s], [board(other)])) == ["structure-no-participant"]


def test_a_structure_nobody_represents_is_said_once() -> None:
    s = structure("Personne")
    assert codes(run(cohort(), [s], [])) == ["structure-no-participant"]
    director = Participant(structure_id=s.id, name="Directrice", role=Role.DIRECTOR)
    assert "structure-no-participant" not in codes(run(cohort(), [s], [director]))
    (found,) = run(cohort(), [s], [])
    assert found.message == "Personne n'est inscrit·e pour « Personne »."


def test_order_is_cohort_first_then_structures_by_name() -> None:
    names = ["Zèbre", "école des arts", "Accueil", "Étoile"]
    structures = [structure(n, employer=False) for n in names]
    found = run(cohort(0), structures, [])
    assert found[0].code == "consultant-days"
    by_structure = [f for f in found if f.code == "structure-not-employer"]
    names_in_order = [
        next(s.name for s in structures if s.id == f.subject_id) for f in by_structure
    ]
    assert names_in_order == ["Accueil", "école des arts", "Étoile", "Zèbre"]
    per_structure = [f.code for f in found if f.subject_id == structures[0].id]
    assert per_structure == ["structure-not-employer", "structure-no-participant"]


def test_concerns_are_frozen() -> None:
    s = structure("Figée", employer=False)
    found = run(cohort(), [s], [board(s)])
    with pytest.raises(AttributeError):
        found[0].message = "autre"  # type: ignore[misc]


# --- English ---------------------------------------------------------------------------


def test_messages_in_english() -> None:
    set_language("en")
    young = structure("Young one", created=dt.date(2024, 1, 1), employer=False)
    structures, participants = eligible(9)
    director = Participant(structure_id=young.id, name="Director", role=Role.DIRECTOR)
    sessions = programme(dt.date(2026, 1, 15), dt.date(2026, 6, 16))
    found = run(cohort(1), [*structures, young], [*participants, director], sessions)
    by_code = {f.code: f for f in found}
    assert by_code["too-many-structures"].message == (
        "The group has 10 structures, more than the 8 the guidance recommends at most."
    )
    assert by_code["consultant-days"].message == (
        "The consultant budget is 1 day for 10 structures, below the 12.5 days needed "
        "(10 days for 8 structures, pro rata)."
    )
    assert by_code["programme-too-long"].message == (
        "From 2026-01-15 to 2026-06-16, the programme spans 5 months and 1 day, "
        "more than the 4 to 5 months the approach plans for."
    )
    assert by_code["structure-too-young"].message == (
        '"Young one" was created on 2024-01-01, less than 3 years before the programme start '
        "(2026-01-15), while the approach is meant for associations created at least 3 years ago."
    )
    assert by_code["structure-not-employer"].advice.startswith("Confirm its situation")
    assert by_code["structure-no-governance"].message == (
        "No member of the governance (chair, treasurer, board or bureau member) "
        'takes part for "Young one".'
    )
    assert Severity.INFO.label == "information"
    for f in found:
        assert "rules." not in f.message and "rules." not in f.advice
        assert "«" not in f.message


def test_french_plurals_keep_the_singular_below_two() -> None:
    structures, participants = eligible(1)
    found = run(cohort(1), structures, participants)
    assert "1 jour pour 1 structure, en dessous des 1,25 jour nécessaires" in found[0].message


# --- every concern in the language asked, whatever the process speaks ------------------


def _every_rule_at_once(
    too_long: bool,
) -> tuple[Cohort, list[Structure], list[Participant], list[Session]]:
    """One cohort that breaks every rule (too short or too long a programme)."""
    structures, people = eligible(9)  # too many structures, too few days
    structures += [
        structure("Jeune pousse", created=dt.date(2025, 6, 1)),  # too young
        structure("Sans salarié", employer=False),
        structure("Lucrative", general_interest=False),
        structure("Date inconnue", created=None),
        structure("Sans personne"),
    ]
    people += [board(s) for s in structures[9:-1]]
    people.append(Participant(structure_id=structures[0].id, name="Directrice", role=Role.DIRECTOR))
    people = [p for p in people if p.structure_id != structures[1].id]  # no governance...
    people.append(Participant(structure_id=structures[1].id, name="Salariée", role=Role.DIRECTOR))
    start = dt.date(2026, 9, 1)
    sessions = [
        Session(kind=SessionKind.INTRO, date=start + dt.timedelta(days=20)),
        Session(kind=SessionKind.STATE_OF_PLAY, date=start + dt.timedelta(days=10)),  # before
        Session(kind=SessionKind.STATE_OF_PLAY, date=start + dt.timedelta(days=25)),  # close
        Session(kind=SessionKind.STATE_OF_PLAY, date=start + dt.timedelta(days=27)),  # close
        Session(kind=SessionKind.EVOLUTION, date=start + dt.timedelta(days=5)),  # before
        Session(kind=SessionKind.EVOLUTION, date=start + dt.timedelta(days=30)),  # close
        Session(kind=SessionKind.BILAN, date=start + dt.timedelta(days=4)),  # unassigned
        Session(
            kind=SessionKind.BILAN,
            date=start + dt.timedelta(days=240 if too_long else 29),
            structure_id=structures[0].id,
        ),
    ]
    return cohort(days=2.5), structures, people, sessions


@pytest.mark.parametrize("too_long", [False, True])
def test_every_concern_is_worded_in_the_language_asked_while_the_process_speaks_another(
    too_long: bool,
) -> None:
    args = _every_rule_at_once(too_long)
    asked = concerns(*args, today=TODAY, lang="en")
    set_language("en")
    spoken = concerns(*args, today=TODAY)
    set_language("fr")
    french = concerns(*args, today=TODAY)
    assert {f.code for f in asked} >= {r.code for r in RULES} - {
        "programme-too-long" if not too_long else "programme-too-short"
    }
    assert [(f.message, f.advice) for f in asked] == [(f.message, f.advice) for f in spoken]
    assert all(en.message != fr.message for en, fr in zip(asked, french, strict=True))


def test_three_gaps_too_close_are_listed_in_order_then_joined() -> None:
    _, _, _, sessions = _every_rule_at_once(False)
    gaps = next(
        f for f in run(cohort(), sessions=sessions) if f.code == "collective-sessions-too-close"
    )
    parts = [
        t(
            "rules.collective-sessions-too-close.gap",
            days=plural("format.unit.day", days),
            first=t(f"rules.kind.{first}"),
            first_date=day.strftime("%d/%m/%Y"),
            second=t(f"rules.kind.{second}"),
            second_date=later.strftime("%d/%m/%Y"),
        )
        for days, first, day, second, later in [
            (5, "intro", dt.date(2026, 9, 21), "etat-des-lieux", dt.date(2026, 9, 26)),
            (7, "intro", dt.date(2026, 9, 21), "etat-des-lieux", dt.date(2026, 9, 28)),
            (3, "etat-des-lieux", dt.date(2026, 9, 28), "evolution", dt.date(2026, 10, 1)),
        ]
    ]
    joined = t("rules.list.and_then", head=", ".join(parts[:-1]), last=parts[-1])
    assert joined in gaps.message
