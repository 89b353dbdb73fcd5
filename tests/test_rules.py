"""The guidance's rules, each on data that triggers it and on data just inside the line."""

from __future__ import annotations

import datetime as dt
import json
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
from facilitator.i18n import set_language
from facilitator.resources import data_dir
from facilitator.rules import (
    RULES,
    ConsultantDays,
    Finding,
    Scope,
    Severity,
    add_months,
    consultant_days,
    findings,
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
) -> list[Finding]:
    return findings(c, structures, participants, sessions, today=today)


def codes(found: list[Finding]) -> list[str]:
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
    with pytest.raises(KeyError):
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


def test_a_clean_cohort_has_no_findings() -> None:
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


def test_no_structures_means_no_days_finding() -> None:
    assert run(cohort(0)) == []


def tenths(*days: float) -> Cohort:
    return Cohort(
        name="Dixièmes",
        consultants=[
            Consultant(name=f"C{i}", days_budgeted=d, days_spent=d / 2) for i, d in enumerate(days)
        ],
    )


def test_days_typed_in_tenths_add_up_exactly() -> None:
    assert sum((1.2, 7.1, 1.7)) < 10  # what a plain float sum gives: 9.999999999999998
    structures, participants = eligible(8)
    c = tenths(1.2, 7.1, 1.7)
    assert consultant_days(c, 8).budgeted == 10.0
    assert consultant_days(c, 8).spent == 5.0
    assert run(c, structures, participants) == []
    # just below the line, still too few
    assert codes(run(tenths(1.2, 7.1, 1.6), structures, participants)) == ["consultant-days"]


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


def test_an_earlier_cohort_start_date_counts_as_the_start() -> None:
    sessions = programme(dt.date(2026, 2, 1), dt.date(2026, 6, 1))  # 4 months from the intro
    early = cohort(start_date=dt.date(2026, 1, 1))  # 5 months and 0 days from here
    assert run(early, sessions=sessions) == []
    earlier = cohort(start_date=dt.date(2025, 12, 31))
    assert codes(run(earlier, sessions=sessions)) == ["programme-too-long"]
    later = cohort(start_date=dt.date(2026, 3, 1))  # after the intro: the intro wins
    assert run(later, sessions=sessions) == []


def test_no_length_finding_while_the_end_is_unknown() -> None:
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 2, 1))
    sessions[-1].date = None  # the bilan is not dated yet: the span so far is 2 months
    assert run(cohort(), sessions=sessions) == []
    assert run(cohort(), sessions=[Session(kind=SessionKind.INTRO, date=dt.date(2026, 1, 6))]) == []
    assert run(cohort(start_date=dt.date(2026, 1, 6))) == []
    undated = [Session(kind=k) for k in SessionKind]
    assert programme_span(cohort(), undated) is None


def test_no_short_finding_while_the_start_is_unknown() -> None:
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 4, 1))
    sessions[0].date = None  # intro undated, no start date: the real start may be earlier
    assert run(cohort(), sessions=sessions) == []


def test_a_partly_dated_programme_can_already_be_too_long() -> None:
    sessions = programme(dt.date(2026, 1, 6), dt.date(2026, 9, 1))
    sessions[-1].date = None
    sessions[2].date = dt.date(2026, 7, 1)
    found = run(cohort(), sessions=sessions)
    assert codes(found) == ["programme-too-long"]


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


def test_not_employer_and_not_general_interest_are_separate_findings() -> None:
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
    assert codes(run(cohort(), [s], [])) == ["structure-no-governance"]
    flagged = Participant(
        structure_id=s.id, name="Bénévole du bureau", role=Role.OTHER, governance=True
    )
    assert run(cohort(), [s], [director, flagged]) == []
    # a président·e counts even with the flag left unticked
    president = Participant(structure_id=s.id, name="Président", role=Role.PRESIDENT)
    assert run(cohort(), [s], [director, president]) == []
    other = structure("Autre")
    assert codes(run(cohort(), [s], [board(other)])) == ["structure-no-governance"]


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
    assert per_structure == ["structure-not-employer", "structure-no-governance"]


def test_findings_are_frozen() -> None:
    s = structure("Figée", employer=False)
    found = run(cohort(), [s], [board(s)])
    with pytest.raises(AttributeError):
        found[0].message = "autre"  # type: ignore[misc]


# --- English ---------------------------------------------------------------------------


def test_messages_in_english() -> None:
    set_language("en")
    young = structure("Young one", created=dt.date(2024, 1, 1), employer=False)
    structures, participants = eligible(9)
    sessions = programme(dt.date(2026, 1, 15), dt.date(2026, 6, 16))
    found = run(cohort(1), [*structures, young], participants, sessions)
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
