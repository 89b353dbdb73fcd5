"""The dashboard: the next step, the calendar, the concerns and the tasks to chase.

The reasoning is tested as plain functions on hand-made programmes (before, during,
between, after); the screen with a pilot on the demo at the fixed moment of
``conftest.FIXED_NOW`` (Thursday 26 November 2026, twelve days before session 2);
the look with snapshots at 80×24 and 120×40.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import arrow
import pytest
from textual.widgets import Static

from facilitator.domain import (
    Cohort,
    Consultant,
    Participant,
    PreparatoryTask,
    Role,
    Session,
    SessionKind,
    Structure,
    TaskStatus,
)
from facilitator.i18n import set_language
from facilitator.programme import ParticipantTime
from facilitator.rules import ConsultantDays, Severity, consultant_days
from facilitator.view import CohortView
from facilitator.views import dashboard
from facilitator.views.dashboard import (
    DaysLine,
    Stage,
    attention_points,
    days_lines,
    next_step,
    next_step_line,
    programme_timeline,
    summarize,
    task_note,
    tasks_due,
    timeline_entries,
)
from facilitator.workspace import Workspace
from screens.dashboard import DashboardScreen
from screens.widgets.concerns import ConcernList
from screens.widgets.tasks import TaskList
from screens.widgets.timeline import Timeline
from tests.conftest import FIXED_NOW, make_app

# --- a programme by hand ---------------------------------------------------------------

INTRO = dt.date(2026, 9, 1)  # a Tuesday
STATE_OF_PLAY = dt.date(2026, 10, 13)
EVOLUTION = dt.date(2026, 12, 1)
BILAN_DAYS = (dt.date(2026, 12, 15), dt.date(2026, 12, 17), dt.date(2027, 1, 5))

JARDINS = Structure(name="Les Jardins")
ESCALE = Structure(name="L'Escale")
TRAME = Structure(name="La Trame")
STRUCTURES = (JARDINS, ESCALE, TRAME)
NAMES = {s.id: s.name for s in STRUCTURES}
NEXT_EVOLUTION = "Prochaine étape : 2nde session collective — L'évolution"


def programme(*, bilans: bool = True) -> list[Session]:
    sessions = [
        Session(kind=SessionKind.INTRO, date=INTRO),
        Session(kind=SessionKind.STATE_OF_PLAY, date=STATE_OF_PLAY),
        Session(kind=SessionKind.EVOLUTION, date=EVOLUTION),
    ]
    if bilans:
        sessions += [
            Session(kind=SessionKind.BILAN, date=day, structure_id=structure.id)
            for structure, day in zip(STRUCTURES, BILAN_DAYS, strict=True)
        ]
    return sessions


def task(
    structure: Structure,
    due: dt.date | None,
    status: TaskStatus = TaskStatus.TODO,
    title: str = "Travail",
) -> PreparatoryTask:
    return PreparatoryTask(
        structure_id=structure.id, title=title, before=SessionKind.EVOLUTION, due=due, status=status
    )


def line(
    sessions: list[Session],
    today: dt.date,
    tasks: tuple[PreparatoryTask, ...] = (),
    lang: str | None = None,
) -> str:
    timeline = programme_timeline(sessions, NAMES, today)
    return next_step_line(next_step(timeline, tasks_due(tasks, today, NAMES)), NAMES, today, lang)


def stages(sessions: list[Session], today: dt.date) -> list[tuple[SessionKind, Stage]]:
    return [(m.kind, m.stage) for m in programme_timeline(sessions, NAMES, today)]


# --- the next step ------------------------------------------------------------------------


def test_before_the_programme_the_introduction_comes_next() -> None:
    today = dt.date(2026, 8, 20)
    assert stages(programme(), today) == [
        (SessionKind.INTRO, Stage.NEXT),
        (SessionKind.STATE_OF_PLAY, Stage.LATER),
        (SessionKind.EVOLUTION, Stage.LATER),
        (SessionKind.BILAN, Stage.LATER),
    ]
    assert (
        line(programme(), today)
        == "Prochaine étape : Session introductive, mardi 1er septembre (dans 12 jours)"
    )


def test_between_sessions_the_next_collective_session_and_the_tasks_to_chase() -> None:
    today = dt.date(2026, 11, 19)
    tasks = (
        task(JARDINS, dt.date(2026, 11, 10)),  # late
        task(ESCALE, dt.date(2026, 11, 24), TaskStatus.IN_PROGRESS),  # due soon
        task(TRAME, dt.date(2026, 11, 24), TaskStatus.DONE),  # done: nothing to chase
        task(TRAME, dt.date(2027, 1, 1)),  # beyond three weeks
    )
    assert stages(programme(), today)[:3] == [
        (SessionKind.INTRO, Stage.DONE),
        (SessionKind.STATE_OF_PLAY, Stage.DONE),
        (SessionKind.EVOLUTION, Stage.NEXT),
    ]
    assert line(programme(), today, tasks) == (
        f"{NEXT_EVOLUTION}, mardi 1er décembre (dans 12 jours) · 2 travaux à relancer"
    )


def test_one_task_to_chase_is_said_in_the_singular() -> None:
    today = dt.date(2026, 11, 19)
    assert line(programme(), today, (task(JARDINS, today),)).endswith(" · 1 travail à relancer")


def test_a_session_today_is_still_the_next_step() -> None:
    assert line(programme(), EVOLUTION) == f"{NEXT_EVOLUTION}, mardi 1er décembre (aujourd'hui)"
    assert stages(programme(), EVOLUTION)[2] == (SessionKind.EVOLUTION, Stage.NEXT)


def test_during_the_bilans_the_next_bilan_and_how_many_are_held() -> None:
    today = dt.date(2026, 12, 16)
    timeline = programme_timeline(programme(), NAMES, today)
    bilans = timeline[-1]
    assert (bilans.stage, bilans.held, bilans.focus and bilans.focus.structure_id) == (
        Stage.NEXT,
        1,
        ESCALE.id,
    )
    assert line(programme(), today, (task(TRAME, dt.date(2026, 12, 20)),)) == (
        "Prochaine étape : Bilan individuel — L'Escale, jeudi 17 décembre (demain)"
        " · bilans tenus : 1 sur 3 · 1 travail à relancer"
    )


def test_after_the_last_bilan_the_programme_is_over_and_nothing_is_chased() -> None:
    today = dt.date(2027, 1, 20)
    late = (task(JARDINS, dt.date(2026, 11, 1)),)
    assert all(stage is Stage.DONE for _, stage in stages(programme(), today))
    step = next_step(programme_timeline(programme(), NAMES, today), tasks_due(late, today, NAMES))
    assert step.milestone is None and step.to_chase == 0 and step.last_day == BILAN_DAYS[-1]
    assert (
        next_step_line(step, NAMES, today)
        == "Programme terminé : dernière session le mardi 5 janvier (il y a 15 jours)."
    )


def test_a_stage_without_a_session_or_a_date_is_what_to_do_next() -> None:
    today = dt.date(2026, 10, 20)
    missing = [s for s in programme() if s.kind != SessionKind.EVOLUTION]
    assert line(missing, today) == f"{NEXT_EVOLUTION}, à planifier (Sessions, touche 3)"
    undated = [
        dataclasses.replace(s, date=None) if s.kind == SessionKind.EVOLUTION else s
        for s in programme()
    ]
    assert line(undated, today) == f"{NEXT_EVOLUTION}, date à fixer (Sessions, touche 3)"


def test_bilans_are_not_done_while_a_structure_has_none() -> None:
    today = dt.date(2027, 1, 20)
    two_bilans = programme()[:-1]  # La Trame has no bilan yet
    timeline = programme_timeline(two_bilans, NAMES, today)
    assert (timeline[-1].stage, timeline[-1].unplanned) == (Stage.NEXT, 1)
    assert line(two_bilans, today) == (
        "Prochaine étape : Bilans individuels, à planifier (Sessions, touche 3)"
        " · bilans tenus : 2 sur 3"
    )
    bilans = timeline_entries(timeline, NAMES, today)[-1]
    assert (bilans.stage, bilans.when) == (
        Stage.NEXT,
        "du 15 décembre au 17 décembre · il y a 34 jours · 1 à planifier",
    )


def test_a_programme_without_sessions_has_everything_to_plan() -> None:
    today = dt.date(2026, 8, 1)
    entries = timeline_entries(programme_timeline([], NAMES, today), NAMES, today)
    assert [(e.stage, e.when) for e in entries] == [
        (Stage.NEXT, "à planifier"),
        (Stage.LATER, "à planifier"),
        (Stage.LATER, "à planifier"),
        (Stage.LATER, "à planifier"),
    ]
    assert entries[-1].title == "Bilans individuels"


def test_bilans_to_plan_when_there_is_none() -> None:
    today = dt.date(2026, 12, 20)
    assert (
        line(programme(bilans=False), today)
        == "Prochaine étape : Bilans individuels, à planifier (Sessions, touche 3)"
    )


def test_the_next_step_in_english() -> None:
    today = dt.date(2026, 11, 19)
    assert line(programme(), today, (task(JARDINS, today), task(ESCALE, today)), lang="en") == (
        "Next step: Collective session 2 — Evolution, Tuesday 1 December (in 12 days)"
        " · 2 tasks to follow up"
    )


def test_today_is_taken_where_the_sessions_take_place() -> None:
    late_evening_utc = arrow.get("2026-11-30T23:30:00+00:00")
    assert Cohort(name="c", timezone="Europe/Paris").today(late_evening_utc) == EVOLUTION
    assert Cohort(name="c", timezone="Not/AZone").today(late_evening_utc) == dt.date(2026, 11, 30)


# --- the calendar in words ----------------------------------------------------------------


def test_the_calendar_gives_each_session_its_date_and_distance() -> None:
    today = dt.date(2026, 11, 19)
    entries = timeline_entries(programme_timeline(programme(), NAMES, today), NAMES, today)
    assert [(e.stage, e.title, e.when) for e in entries] == [
        (Stage.DONE, "Session introductive", "mardi 1er septembre 2026 · il y a 3 mois"),
        (
            Stage.DONE,
            "1re session collective — État des lieux",
            "mardi 13 octobre 2026 · il y a 37 jours",
        ),
        (
            Stage.NEXT,
            "2nde session collective — L'évolution",
            "mardi 1er décembre 2026 · dans 12 jours",
        ),
        (Stage.LATER, "Bilans individuels : 3", "du 15 décembre au 5 janvier · dans 26 jours"),
    ]
    assert [(d.title, d.when) for d in entries[-1].details] == [
        ("Les Jardins", "15 décembre"),
        ("L'Escale", "17 décembre"),
        ("La Trame", "5 janvier"),
    ]


def test_the_bilans_line_says_when_the_next_one_is_and_how_many_lack_a_date() -> None:
    today = dt.date(2026, 12, 16)
    sessions = [*programme()[:-1], Session(kind=SessionKind.BILAN, structure_id=TRAME.id)]
    bilans = timeline_entries(programme_timeline(sessions, NAMES, today), NAMES, today)[-1]
    assert bilans.when == "du 15 décembre au 17 décembre · prochain demain · 1 à dater"
    assert [d.stage for d in bilans.details] == [Stage.DONE, Stage.NEXT, Stage.LATER]


# --- tasks and concerns ---------------------------------------------------------------------


def test_tasks_late_first_then_due_within_three_weeks_done_ones_counted() -> None:
    today = dt.date(2026, 11, 19)
    tasks = [
        task(TRAME, dt.date(2026, 11, 30), title="soon, later in the list"),
        task(ESCALE, dt.date(2026, 11, 2), TaskStatus.IN_PROGRESS, title="oldest late"),
        task(JARDINS, dt.date(2026, 11, 18), title="late yesterday"),
        task(JARDINS, today, title="due today, not late"),
        task(ESCALE, today + dt.timedelta(weeks=3), title="last day of the horizon"),
        task(ESCALE, today + dt.timedelta(weeks=3, days=1), title="beyond"),
        task(ESCALE, None, title="undated"),
        task(JARDINS, dt.date(2026, 11, 1), TaskStatus.DONE, title="done"),
    ]
    digest = tasks_due(tasks, today, NAMES)
    assert [t.title for t in digest.late] == ["oldest late", "late yesterday"]
    assert [t.title for t in digest.soon] == [
        "due today, not late",
        "soon, later in the list",
        "last day of the horizon",
    ]
    assert (digest.later, digest.done, digest.to_chase) == (2, 1, 5)
    assert task_note(digest) == "2 autres à rendre plus tard · 1 fait"


def cohort_view(**records: Any) -> CohortView:
    return CohortView(path=Path("essai.json"), cohort=Cohort(name="Essai"), **records)


def test_attention_points_add_the_participants_time_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The programme's own warning is added; the rules' calendar concerns are not repeated."""
    monkeypatch.setattr(
        dashboard, "participant_time_warnings", lambda sessions, structures: ["Trop peu de jours."]
    )
    short = [
        Session(kind=SessionKind.INTRO, date=INTRO),
        Session(kind=SessionKind.BILAN, date=dt.date(2026, 10, 1), structure_id=JARDINS.id),
    ]
    young = Structure(name="Toute Jeune", created=dt.date(2025, 1, 1))
    people = (
        Participant(structure_id=JARDINS.id, name="P", role=Role.PRESIDENT),
        Participant(structure_id=young.id, name="Q", role=Role.PRESIDENT),
    )
    view = cohort_view(structures=(JARDINS, young), participants=people, sessions=tuple(short))
    points = attention_points(view, dt.date(2026, 9, 15))
    codes = [p.code for p in points]
    assert codes.count("programme-too-short") == 1 and codes.count("participant-time") == 1
    assert all(
        p.severity == Severity.WARNING for p in points[: codes.index("structure-creation-unknown")]
    )
    assert points[-1].code == "structure-creation-unknown"  # information comes after warnings
    time_point = points[codes.index("participant-time")]
    assert (time_point.message, time_point.advice) == ("Trop peu de jours.", "")


def test_summarize_a_cohort_without_anything_yet() -> None:
    state = summarize(cohort_view(), dt.date(2026, 9, 1))
    assert state.timeline[0].stage is Stage.NEXT and state.tasks.to_chase == 0
    assert (
        next_step_line(state.step, {}, state.today)
        == "Prochaine étape : Session introductive, à planifier (Sessions, touche 3)"
    )


# --- the days --------------------------------------------------------------------------------


def test_the_days_say_budget_spent_and_need_pro_rata() -> None:
    consultants = ConsultantDays(budgeted=8, spent=2, needed_min=7.5, needed_max=9, structures=6)
    participants = ParticipantTime(in_sessions=1.46, preparation=3)
    assert days_lines(consultants, participants) == (
        DaysLine("Consultant·es : 8 j budgétés, 2 j passés", "besoin 7,5 à 9 j pour 6 structures"),
        DaysLine("Participant·es : environ 4,5 j chacun·e", "sessions 1,5 j + préparation 3 j"),
    )


def test_the_days_in_the_singular_and_in_english() -> None:
    one = ConsultantDays(budgeted=1, spent=1.5, needed_min=1.25, needed_max=1.5, structures=1)
    participants = ParticipantTime(in_sessions=1, preparation=3)
    consultant_line, participant_line = days_lines(one, participants)
    assert consultant_line == DaysLine(
        "Consultant·es : 1 j budgété, 1,5 j passé", "besoin 1,25 à 1,5 j pour 1 structure"
    )
    assert participant_line.head == "Participant·es : environ 4 j chacun·e"
    assert days_lines(one, participants, "en") == (
        DaysLine(
            "Consultants: 1 day budgeted, 1.5 spent", "need: 1.25 to 1.5 days for 1 structure"
        ),
        DaysLine("Participants: about 4 days each", "sessions 1 day + preparation 3 days"),
    )


def test_without_structures_the_days_give_the_guidance_rule() -> None:
    nothing = consultant_days(Cohort(name="Vide"), 0)
    consultant_line, _ = days_lines(nothing, ParticipantTime(1.5, 3))
    assert consultant_line == DaysLine(
        "Consultant·es : 0 j budgété, 0 j passé", "besoin 10 à 12 j pour 8 structures, au prorata"
    )


def test_days_typed_in_tenths_are_shown_as_typed() -> None:
    cohort = Cohort(
        name="Dixièmes",
        consultants=[
            Consultant(name=n, days_budgeted=d, days_spent=s)
            for n, d, s in (("A", 1.2, 0.1), ("B", 7.1, 0.2), ("C", 1.7, 0))
        ],
    )
    consultant_line, _ = days_lines(consultant_days(cohort, 8), ParticipantTime(1.5, 3))
    assert consultant_line.head == "Consultant·es : 10 j budgétés, 0,3 j passé"
    assert consultant_line.detail == "besoin 10 à 12 j pour 8 structures"


def test_the_days_lines_fit_80_columns_in_both_languages() -> None:
    """Long figures still fit the 76 columns of a full-width panel in 80×24."""
    wide = ConsultantDays(
        budgeted=12.25, spent=10.75, needed_min=8.75, needed_max=10.5, structures=7
    )
    participants = ParticipantTime(in_sessions=2.55, preparation=3)
    for lang in ("fr", "en"):
        for days_line in days_lines(wide, participants, lang):
            assert len(days_line.head) <= 76 and len(days_line.detail) + 2 <= 76


def test_summarize_works_out_the_days() -> None:
    view = dataclasses.replace(
        cohort_view(structures=STRUCTURES, sessions=tuple(programme())),
        cohort=Cohort(name="Essai", consultants=[Consultant(name="C", days_budgeted=4)]),
    )
    state = summarize(view, dt.date(2026, 9, 1))
    assert state.consultants == ConsultantDays(4, 0, 3.75, 4.5, 3)
    assert state.participants.preparation == 3 and state.participants.in_sessions > 0


# --- the screen on the demo -------------------------------------------------------------------


def text(widget: Any) -> str:
    """Everything a widget shows, as plain text, one Static per line."""
    return "\n".join(str(static.visual) for static in widget.query(Static))


async def test_the_dashboard_on_the_demo(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)

        assert str(screen.query_one("#next-step", Static).visual) == (
            f"{NEXT_EVOLUTION}, mardi 8 décembre (dans 12 jours) · 5 travaux à relancer"
        )

        timeline = screen.query_one(Timeline)
        shown = text(timeline)
        for expected in (
            "Session introductive\nmardi 25 août 2026 · il y a 3 mois",
            "1re session collective — État des lieux\nmardi 6 octobre 2026 · il y a 51 jours",
            "2nde session collective — L'évolution\nmardi 8 décembre 2026 · dans 12 jours",
            "Bilans individuels : 7\ndu 22 décembre au 5 janvier · dans 26 jours",
        ):
            assert expected in shown
        entries = timeline.query(".timeline--entry")
        assert [e.has_class("-done") for e in entries] == [True, True, False, False]
        assert entries[2].has_class("-next")
        assert not timeline.detailed  # 30 rows: the bilans stay on one line

        concerns = screen.query_one(ConcernList)
        assert concerns.border_title == "Points d'attention (2)"
        assert [f.severity for f in concerns.concerns] == [Severity.WARNING, Severity.WARNING]
        shown = text(concerns)
        assert (
            "« Compagnie du Grand Écart »" in shown
            and "Associez au moins une personne du conseil d'administration" in shown
        )
        assert (
            "« Épicerie solidaire La Musette » n'est pas employeuse" in shown
            and "orientez-la vers un autre accompagnement du DLA" in shown
        )
        assert len(concerns.query(".concern.-warning")) == 2

        tasks = screen.query_one(TaskList)
        late, soon = tasks.query(".tasks--section")
        assert "En retard (1)" in text(late)
        assert (
            "il y a 58 jours  Entente sportive du Val de Gervanne · en cours\nRépartir le budget"
            in text(late)
        )
        soon_text = text(soon)
        assert soon_text.startswith("À rendre d'ici 3 semaines (4)")
        assert "dans 5 jours     Compagnie du Grand Écart · à faire" in soon_text
        assert "dans 7 jours     Les Jardins du Martinet · en cours" in soon_text
        assert "Compléter la grille" not in text(tasks)  # done
        assert "1 autre à rendre plus tard · 4 faits" in text(tasks)

        days = screen.query_one("#days")
        assert days.border_title == "Jours"
        assert text(days) == (
            "Consultant·es : 11 j budgétés, 5 j passés\n"
            "besoin 8,75 à 10,5 j pour 7 structures\n"
            "Participant·es : environ 4,5 j chacun·e\n"
            "sessions 1,5 j + préparation 3 j"
        )


async def test_the_body_scrolls_with_the_keyboard_in_80x24(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        body = app.screen.query_one("#dashboard-body")
        assert app.focused is body
        assert body.max_scroll_y > 0
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        assert body.scroll_y == 0


async def test_bilans_are_listed_one_by_one_on_a_large_screen(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        assert timeline.detailed
        details = timeline.query_one(".timeline--details")
        assert details.display
        assert "22 décembre  Les Jardins du Martinet" in text(details)
        assert app.screen.has_class("-wide")
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert not timeline.detailed and not details.display


async def test_the_dashboard_redraws_when_the_cohort_changes(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.view
        assert view is not None
        app.view = dataclasses.replace(
            view, tasks=tuple(dataclasses.replace(t, status=TaskStatus.DONE) for t in view.tasks)
        )
        await pilot.pause()
        assert str(app.screen.query_one("#next-step", Static).visual).endswith("(dans 12 jours)")
        assert text(app.screen.query_one(TaskList)) == (
            "Aucun travail préparatoire en retard ni à rendre d'ici 3 semaines.\n10 faits"
        )


async def test_the_help_lists_the_scroll_keys_in_french(demo_workspace: Workspace) -> None:
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        from textual.widgets import DataTable

        table = app.screen.query_one("#keys", DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Descendre", "Page suivante", "Fin du tableau de bord"} <= actions
        assert "Scroll Down" not in actions


async def test_the_dashboard_in_english(demo_workspace: Workspace) -> None:
    # The keys' descriptions follow the language too (tests/test_language.py).
    set_language("en")
    try:
        app = make_app(demo_workspace)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert str(screen.query_one("#next-step", Static).visual) == (
                "Next step: Collective session 2 — Evolution, Tuesday 8 December (in 12 days)"
                " · 5 tasks to follow up"
            )
            shown = text(screen.query_one(Timeline))
            assert "Tuesday 25 August 2026 · 3 months ago" in shown
            assert "Individual reviews: 7\nfrom 22 December to 5 January · in 26 days" in shown
            assert screen.query_one(ConcernList).border_title == "Points of attention (2)"
            assert "Late (1)" in text(screen.query_one(TaskList))
            assert screen.query_one("#days").border_title == "Days"
            assert "Consultants: 11 days budgeted, 5 spent" in text(screen.query_one("#days"))
            assert "58 days ago" in text(screen.query_one(TaskList))
    finally:
        set_language("fr")


# --- how it looks ------------------------------------------------------------------------------


def test_snapshot_80x24(snap_compare: Any, demo_workspace: Workspace) -> None:
    assert snap_compare(make_app(demo_workspace), terminal_size=(80, 24))


def test_snapshot_120x40(snap_compare: Any, demo_workspace: Workspace) -> None:
    assert snap_compare(make_app(demo_workspace), terminal_size=(120, 40))


def test_the_demo_moment_is_the_one_the_snapshots_show() -> None:
    """The snapshots are only stable if the demo is built for the same fixed day."""
    assert FIXED_NOW.to("Europe/Paris").date() == dt.date(2026, 11, 26)
