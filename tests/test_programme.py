"""The proposed calendar follows the guidance; dates read well in French and English."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from facilitator import agenda
from facilitator.domain import (
    AgendaItem,
    Cohort,
    Consultant,
    InvalidInput,
    Session,
    SessionKind,
    Structure,
)
from facilitator.programme import (
    MAX_PARTICIPANT_DAYS,
    MIN_PARTICIPANT_DAYS,
    format_day,
    humanize_day,
    participant_time,
    participant_time_warnings,
    programme_warnings,
    propose_programme,
    session_plan,
    working_minutes,
)
from facilitator.rules import add_months, concerns, programme_span

# Written out again rather than imported: the test checks the rule, not a copy of it.
FRENCH_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}

STARTS = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(0, 730, 9)] + [
    dt.date(2026, 12, 24),  # Thursday before Christmas
    dt.date(2027, 4, 30),  # the day before 1 May
    dt.date(2026, 8, 15),  # a Saturday and a holiday
    dt.date(2027, 1, 31),  # month ends make « 4 months » shortest
]


def structures(count: int) -> list[Structure]:
    return [Structure(name=f"Association {i + 1}") for i in range(count)]


def by_kind(sessions: list[Session], kind: SessionKind) -> list[Session]:
    return [s for s in sessions if s.kind == kind]


def dated(session: Session) -> dt.date:
    assert session.date is not None
    return session.date


@pytest.mark.parametrize("count", [1, 5, 8])
def test_a_proposal_follows_the_guidance(count: int) -> None:
    group = structures(count)
    for start in STARTS:
        proposal = propose_programme(start, group)
        (intro,) = by_kind(proposal, SessionKind.INTRO)
        (state,) = by_kind(proposal, SessionKind.STATE_OF_PLAY)
        (evolution,) = by_kind(proposal, SessionKind.EVOLUTION)
        bilans = by_kind(proposal, SessionKind.BILAN)

        # In order, with room for the preparatory work between sessions.
        assert start <= dated(intro) < dated(state) < dated(evolution)
        assert 35 <= (dated(state) - dated(intro)).days <= 45
        assert 42 <= (dated(evolution) - dated(state)).days <= 56
        days = [dated(b) for b in bilans]
        assert days == sorted(days)
        assert all(14 <= (day - dated(evolution)).days <= 35 for day in days), start

        # One bilan per structure, each on its own day while there are days enough.
        assert [b.structure_id for b in bilans] == [s.id for s in group]
        assert len(set(days)) == count

        # Working days only.
        for session in proposal:
            day = dated(session)
            assert day.weekday() < 5, (start, session.kind, day)
            assert (day.month, day.day) not in FRENCH_FIXED_HOLIDAYS, (start, session.kind, day)

        # 4 to 5 months, as the rules measure it, and nothing for them to say about it.
        cohort = Cohort(name="Essai", start_date=start)
        span = programme_span(cohort, proposal)
        assert span is not None and span.settled
        assert add_months(start, 4) <= span.end <= add_months(start, 5), start
        codes = {f.code for f in concerns(cohort, group, [], proposal, today=start)}
        assert not codes & {"programme-too-short", "programme-too-long"}

        # Every session is ready to run: a template, times and an agenda for this group.
        for session in proposal:
            template = agenda.load_template(session.template)
            assert template.session == session.kind
            assert session.start_time is not None and session.end_time == template.end
            assert session.agenda
        slots = [i for i in state.agenda if i.per_structure]
        assert {i.structure_id for i in slots} == {s.id for s in group}


def test_more_bilans_than_days_share_days_at_different_times() -> None:
    group = structures(20)
    bilans = by_kind(propose_programme(dt.date(2026, 9, 1), group), SessionKind.BILAN)
    assert len(bilans) == 20
    moments = [(b.date, b.start_time) for b in bilans]
    assert len(set(moments)) == 20
    assert all(b.start_time is not None and b.start_time < dt.time(20) for b in bilans)


def test_template_choices_are_used_and_checked() -> None:
    group = structures(3)
    proposal = propose_programme(
        dt.date(2026, 9, 1),
        group,
        templates={
            SessionKind.STATE_OF_PLAY: "etat-des-lieux-journee",
            SessionKind.EVOLUTION: "evolution-journee",
        },
    )
    (state,) = by_kind(proposal, SessionKind.STATE_OF_PLAY)
    assert state.template == "etat-des-lieux-journee"
    assert state.end_time == dt.time(17, 0)
    assert any(item.fixed_time == dt.time(12, 30) for item in state.agenda)
    with pytest.raises(InvalidInput) as wrong_kind:
        propose_programme(dt.date(2026, 9, 1), group, templates={SessionKind.INTRO: "bilan"})
    assert "bilan" in wrong_kind.value.message
    with pytest.raises(InvalidInput):
        propose_programme(dt.date(2026, 9, 1), group, templates={SessionKind.INTRO: "nope"})


# --- dates in words --------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 8)


@pytest.mark.parametrize(
    "days,fr,en",
    [
        (-40, "il y a 40 jours", "40 days ago"),
        (-3, "il y a 3 jours", "3 days ago"),
        (-1, "hier", "yesterday"),
        (0, "aujourd'hui", "today"),
        (1, "demain", "tomorrow"),
        (12, "dans 12 jours", "in 12 days"),
        (40, "dans 40 jours", "in 40 days"),
        (90, "dans 3 mois", "in 3 months"),
        (400, "dans un an", "in a year"),
    ],
)
def test_humanize_day_in_both_languages(days: int, fr: str, en: str) -> None:
    day = TODAY + dt.timedelta(days=days)
    assert humanize_day(day, TODAY, "fr") == fr
    assert humanize_day(day, TODAY, "en") == en


def test_humanize_day_follows_the_current_language_by_default() -> None:
    assert humanize_day(TODAY, TODAY) == "aujourd'hui"


def test_format_day() -> None:
    assert format_day(TODAY, "fr") == "mardi 8 décembre 2026"
    assert format_day(TODAY, "en") == "Tuesday 8 December 2026"
    assert format_day(dt.date(2026, 12, 1), "fr") == "mardi 1er décembre 2026"
    assert format_day(dt.date(2026, 12, 1), "en") == "Tuesday 1 December 2026"


# --- the participants' time ------------------------------------------------------------------


def with_agenda(session: Session, *minutes: int) -> Session:
    return dataclasses.replace(
        session,
        agenda=[AgendaItem(key="exchanges", minutes=m, min_minutes=0) for m in minutes],
        end_time=None,
    )


def test_the_proposals_ask_four_to_six_days_of_each_participant() -> None:
    for count in (1, 5, 8):
        group = structures(count)
        for templates in (
            {},
            {
                SessionKind.INTRO: "intro-long",
                SessionKind.STATE_OF_PLAY: "etat-des-lieux-journee",
                SessionKind.EVOLUTION: "evolution-journee",
            },
        ):
            proposal = propose_programme(dt.date(2026, 9, 1), group, templates=templates)
            estimate = participant_time(proposal, group)
            assert MIN_PARTICIPANT_DAYS <= estimate.total <= MAX_PARTICIPANT_DAYS, (count, estimate)
            assert participant_time_warnings(proposal, group) == []


def test_a_full_day_counts_as_a_day_lunch_excluded() -> None:
    group = structures(3)
    proposal = propose_programme(
        dt.date(2026, 9, 1), group, templates={SessionKind.STATE_OF_PLAY: "etat-des-lieux-journee"}
    )
    (state,) = by_kind(proposal, SessionKind.STATE_OF_PLAY)
    only_state = [state]
    assert participant_time(only_state, group).total > participant_time([], group).total
    assert working_minutes(session_plan(state, group)) == 7 * 60  # 9:00-17:00 less lunch


def test_too_little_time_is_flagged_in_both_languages() -> None:
    group = structures(2)
    short = [with_agenda(s, 20) for s in propose_programme(dt.date(2026, 9, 1), group)]
    estimate = participant_time(short, group)
    assert estimate.total < MIN_PARTICIPANT_DAYS
    (french,) = participant_time_warnings(short, group, lang="fr")
    assert "4 à 6 jours" in french and "moins" in french
    assert f"{estimate.total:.1f}".replace(".", ",") in french
    (english,) = participant_time_warnings(short, group, lang="en")
    assert "4 to 6 days" in english and "less" in english


def test_too_much_time_is_flagged() -> None:
    group = structures(2)
    proposal = propose_programme(dt.date(2026, 9, 1), group)
    heavy = [with_agenda(s, 300, 300) if s.kind != SessionKind.BILAN else s for s in proposal]
    assert participant_time(heavy, group).total > MAX_PARTICIPANT_DAYS
    (warning,) = participant_time_warnings(heavy, group, lang="fr")
    assert "plus que les 4 à 6 jours" in warning


def test_missing_stages_count_as_their_default() -> None:
    group = structures(4)
    proposal = propose_programme(dt.date(2026, 9, 1), group)
    assert participant_time([], group) == participant_time(proposal, group)
    assert participant_time_warnings([], group) == []


def test_programme_warnings_reuse_the_rules() -> None:
    group = structures(8)
    start = dt.date(2026, 9, 1)
    proposal = propose_programme(start, group)
    funded = Cohort(
        name="Essai", start_date=start, consultants=[Consultant(name="C", days_budgeted=11)]
    )
    assert programme_warnings(funded, group, [], proposal, today=start) == []

    unfunded = dataclasses.replace(funded, consultants=[Consultant(name="C", days_budgeted=6)])
    (days,) = programme_warnings(unfunded, group, [], proposal, today=start)
    assert "6 jours" in days

    late = dataclasses.replace(proposal[-1], date=add_months(start, 7))
    stretched = [*proposal[:-1], late]
    (too_long,) = programme_warnings(funded, group, [], stretched, today=start)
    assert "7 mois" in too_long


def test_a_session_without_agenda_stands_in_its_template() -> None:
    group = structures(3)
    empty = Session(kind=SessionKind.EVOLUTION, template="evolution-journee")
    plan = session_plan(empty, group)
    assert plan.stand_in is not None and plan.stand_in.name == "evolution-journee"
    assert plan.items and plan.end == dt.time(17, 0)
    assert empty.agenda == []
    own = propose_programme(dt.date(2026, 9, 1), group)[0]
    assert session_plan(own, group).stand_in is None
    bilan = Session(kind=SessionKind.BILAN, structure_id=group[1].id)
    assert session_plan(bilan, group).stand_in == agenda.default_template(SessionKind.BILAN)


def test_a_programme_over_easter_2027_avoids_the_holidays_that_follow_easter() -> None:
    """Started on 15 February 2027, the état des lieux would fall on Easter Monday (29 March)
    and a bilan could fall on Whit Monday (17 May); Ascension is 6 May."""
    from facilitator.workdays import is_working_day

    assert not any(
        is_working_day(day)
        for day in (dt.date(2027, 3, 29), dt.date(2027, 5, 6), dt.date(2027, 5, 17))
    )
    assert is_working_day(dt.date(2027, 3, 30)) and is_working_day(dt.date(2026, 4, 7))
    group = [Structure(name=f"S{i}") for i in range(8)]
    proposal = propose_programme(dt.date(2027, 2, 15), group)
    days = [s.date for s in proposal if s.date is not None]
    assert dt.date(2027, 3, 29) not in days and dt.date(2027, 5, 17) not in days
    assert all(is_working_day(day) for day in days)
    state_of_play = next(s for s in proposal if s.kind == SessionKind.STATE_OF_PLAY)
    assert state_of_play.date == dt.date(2027, 3, 30)
