"""The live clock (facilitator.clock): replayed from events and a ``now``, never the wall clock."""

from __future__ import annotations

import datetime as dt
import json

import arrow
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator import agenda
from facilitator.clock import (
    Action,
    ClockState,
    Replan,
    Status,
    allowed_actions,
    at_clock_time,
    clock_label,
    clock_state,
    make_event,
    replan,
)
from facilitator.domain import (
    AgendaItem,
    ClockEvent,
    InvalidInput,
    Session,
    SessionKind,
    Structure,
)

PARIS = "Europe/Paris"
DAY = arrow.get(dt.datetime(2026, 3, 14, 9, 0), PARIS)  # a Saturday session at 9:00


def at(hhmm: str, seconds: int = 0) -> arrow.Arrow:
    hour, minute = map(int, hhmm.split(":"))
    return DAY.replace(hour=hour, minute=minute, second=seconds)


def ev(action: str, when: arrow.Arrow, **kw: object) -> ClockEvent:
    return ClockEvent(session_id="s1", action=action, at=when.to("utc"), **kw)  # type: ignore[arg-type]


def item(minutes: int, **kw: object) -> AgendaItem:
    return AgendaItem(minutes=minutes, **kw)  # type: ignore[arg-type]


MORNING = [item(15, key="welcome"), item(30, key="sharing"), item(15, key="break")]


# --- concrete examples ------------------------------------------------------


def test_before_the_start() -> None:
    state = clock_state(MORNING, [], at("08:50"), planned_start=at("09:00"))
    assert state.status is Status.NOT_STARTED
    assert state.current == 0 and state.elapsed == 0 and state.remaining == 15 * 60
    assert state.projected_end == at("10:00") and state.planned_end == at("10:00")
    assert state.behind == 0


def test_starting_ten_minutes_late_shows_ten_minutes_behind() -> None:
    state = clock_state(MORNING, [], at("09:10"), planned_start=at("09:00"))
    assert state.projected_end == at("10:10")
    assert state.behind == 600


def test_start_at_nine_pause_five_minutes_extend_five_minutes() -> None:
    events = [
        ev("start", at("09:00")),
        ev("pause", at("09:10")),
        ev("resume", at("09:15")),
        ev("extend", at("09:18"), minutes=5),
        ev("next", at("09:25")),
    ]
    state = clock_state(MORNING, events, at("09:40"), planned_start=at("09:00"))
    assert state.status is Status.RUNNING and state.current == 1
    welcome, sharing, _ = state.runs
    assert welcome.elapsed == 20 * 60  # 9:00-9:10 and 9:15-9:25
    assert welcome.extension_minutes == 5 and welcome.budget == 20 * 60
    assert (welcome.started, welcome.ended) == (at("09:00"), at("09:25"))
    assert welcome.done and not sharing.done
    assert state.elapsed == 15 * 60 and state.remaining == 15 * 60 and state.overtime == 0
    assert state.total_elapsed == 35 * 60 and state.paused == 5 * 60
    assert state.projected_end == at("10:10")  # 9:40 + 15 left + 15 of break
    assert state.planned_end == at("10:00")
    assert state.behind == 600  # the pause and the extension

    later = clock_state(MORNING, events, at("10:00"), planned_start=at("09:00"))
    assert later.elapsed == 35 * 60 and later.remaining == 0 and later.overtime == 5 * 60
    assert later.projected_end == at("10:15") and later.behind == 15 * 60


def test_without_a_planned_start_the_plan_begins_with_the_actual_start() -> None:
    state = clock_state(MORNING, [ev("start", at("09:07"))], at("09:17"))
    assert state.planned_end == at("10:07") and state.projected_end == at("10:07")
    assert state.behind == 0
    before = clock_state(MORNING, [], at("09:00"))
    assert before.planned_end is None and before.behind == 0


def test_the_planned_end_is_laid_from_the_minute_of_the_planned_start() -> None:
    state = clock_state(MORNING, [], at("08:50"), planned_start=at("09:00", 40))
    assert state.planned_end == at("10:00")
    fraction = at("09:00", 40).replace(microsecond=500_000)
    assert clock_state(MORNING, [], at("08:50"), planned_start=fraction).planned_end == at("10:00")
    empty = clock_state([], [], at("08:50"), planned_start=at("09:00"))
    assert empty.planned_end == at("09:00")


def test_a_fixed_time_is_on_the_minute_whatever_the_seconds_of_now() -> None:
    now = at("12:10", 42).replace(microsecond=123456)
    assert at_clock_time(now, dt.time(12, 30)) == at("12:30")


def test_slack_before_lunch_absorbs_an_overrun() -> None:
    items = [item(60, key="exchanges"), item(60, key="lunch", fixed_time=dt.time(12, 30))]
    items.append(item(30, key="synthesis"))
    start = [ev("start", at("11:00"))]
    on_time = clock_state(items, start, at("12:15"), planned_start=at("11:00"))
    assert on_time.overtime == 15 * 60
    assert on_time.planned_end == at("14:00") and on_time.projected_end == at("14:00")
    assert on_time.behind == 0
    late = clock_state(items, start, at("12:45"), planned_start=at("11:00"))
    assert late.projected_end == at("14:15") and late.behind == 15 * 60


def test_next_on_the_last_item_finishes_and_then_nothing_moves() -> None:
    events = [
        ev("start", at("09:00")),
        ev("next", at("09:15")),
        ev("skip", at("09:20")),
        ev("next", at("09:30")),
        ev("pause", at("09:31")),
        ev("previous", at("09:32")),
    ]
    state = clock_state(MORNING, events, at("11:00"), planned_start=at("09:00"))
    assert state.status is Status.FINISHED and state.current is None
    assert state.finished_at == at("09:30") and state.projected_end == at("09:30")
    assert state.behind == -30 * 60  # half an hour ahead
    assert state.total_elapsed == 30 * 60
    assert [r.skipped for r in state.runs] == [False, True, False]
    assert state.remaining == 0 and state.overtime == 0
    assert [e.action for e in state.ignored] == ["pause", "previous"]
    assert allowed_actions(state) == frozenset()


def test_skip_moves_on_and_the_skipped_item_no_longer_counts() -> None:
    events = [ev("start", at("09:00")), ev("skip", at("09:05"))]
    state = clock_state(MORNING, events, at("09:05"), planned_start=at("09:00"))
    assert state.current == 1 and state.runs[0].skipped
    assert state.projected_end == at("09:50")
    back = clock_state(MORNING, [*events, ev("previous", at("09:06"))], at("09:06"))
    assert back.current == 0 and not back.runs[0].skipped  # going back means doing it


def test_two_screens_pressing_next_together_end_one_item() -> None:
    """Each « next » names the item it ends: the second press, made for the item the
    first one has already ended, is ignored instead of skipping the item after it."""
    events = [
        ev("start", at("09:00")),
        ev("next", at("09:15"), item=0),
        ev("next", at("09:15", 1), item=0),  # the other screen, a second later
    ]
    state = clock_state(MORNING, events, at("09:20"))
    assert state.current == 1 and not state.runs[1].done
    assert [(e.action, e.item) for e in state.ignored] == [("next", 0)]
    # The item the clock is on is ended: the press goes through, as before.
    moved = clock_state(MORNING, [*events, ev("next", at("09:20"), item=1)], at("09:21"))
    assert moved.current == 2 and moved.ignored == state.ignored
    # A press that names no item (made before presses named one) moves on as it did.
    old = clock_state(MORNING, [*events[:2], ev("next", at("09:15", 1))], at("09:20"))
    assert old.current == 2


def test_a_press_records_the_item_it_ends() -> None:
    state = clock_state(MORNING, [ev("start", at("09:00"))], at("09:01"))
    for action in ("next", "skip"):
        assert make_event(state, "s1", action, at("09:01"), item=0).item == 0
    assert make_event(state, "s1", "pause", at("09:01"), item=0).item is None


def test_jump_and_previous() -> None:
    events = [
        ev("start", at("09:00")),
        ev("jump", at("09:05"), item=2),
        ev("previous", at("09:08")),
    ]
    state = clock_state(MORNING, events, at("09:10"))
    assert state.current == 1
    assert [r.elapsed for r in state.runs] == [300, 120, 180]
    assert state.runs[0].ended == at("09:05")  # left by the jump
    assert state.runs[2].started == at("09:05") and state.runs[2].ended == at("09:08")


def test_previous_onto_an_item_a_jump_passed_over_starts_it_at_that_press() -> None:
    events = [ev("start", at("09:00")), ev("jump", at("09:05"), item=2)]
    state = clock_state(MORNING, [*events, ev("previous", at("09:08"))], at("09:10"))
    assert state.runs[1].started == at("09:08") and state.runs[1].ended is None


def test_a_revisited_item_keeps_the_start_of_its_first_visit() -> None:
    events = [ev("start", at("09:00")), ev("next", at("09:15")), ev("previous", at("09:20"))]
    state = clock_state(MORNING, events, at("09:25"))
    welcome, sharing, _ = state.runs
    assert (welcome.started, welcome.ended) == (at("09:00"), None)  # current again
    assert welcome.elapsed == 20 * 60  # 9:00-9:15 and 9:20-9:25
    assert (sharing.started, sharing.ended) == (at("09:15"), at("09:20"))


def test_after_jumping_back_the_projection_counts_what_is_left_of_items_already_begun() -> None:
    events = [
        ev("start", at("09:00")),
        ev("jump", at("09:05"), item=2),  # the break, 5 of its 15 minutes
        ev("jump", at("09:10"), item=1),  # back to the sharing
    ]
    state = clock_state(MORNING, events, at("09:10"), planned_start=at("09:00"))
    assert state.current == 1 and state.runs[2].elapsed == 5 * 60
    assert state.projected_end == at("09:50")  # 30 min of sharing, then 10 of break
    assert state.behind == -10 * 60


def test_after_jumping_back_an_item_already_overrun_adds_nothing_to_the_projection() -> None:
    events = [
        ev("start", at("09:00")),
        ev("jump", at("09:05"), item=2),
        ev("jump", at("09:25"), item=1),  # the break ran 20 minutes of its 15
    ]
    state = clock_state(MORNING, events, at("09:25"), planned_start=at("09:00"))
    assert state.projected_end == at("09:55")  # 30 min of sharing, the break counts 0, not -5


def test_moving_while_paused_stays_paused() -> None:
    events = [ev("start", at("09:00")), ev("pause", at("09:05")), ev("next", at("09:07"))]
    state = clock_state(MORNING, events, at("09:20"))
    assert state.status is Status.PAUSED and state.current == 1
    assert state.elapsed == 0 and state.paused == 15 * 60


def test_invalid_events_are_ignored_not_fatal() -> None:
    events = [
        ev("pause", at("08:59")),  # not started
        ev("start", at("09:00")),
        ev("resume", at("09:01")),  # not paused
        ev("pause", at("09:02")),
        ev("pause", at("09:03")),  # already paused
        ev("jump", at("09:04"), item=9),  # no such item
        ev("dance", at("09:05")),  # not an action
        ev("previous", at("09:06")),  # first item
        ev("extend", at("09:07"), minutes=-100),  # below zero minutes
        ev("extend", at("09:08"), minutes=0),
        ev("start", at("09:09")),  # already started
    ]
    state = clock_state(MORNING, events, at("09:10"))
    assert state.status is Status.PAUSED and state.current == 0
    assert len(state.ignored) == 9
    assert state.total_elapsed == 120


def test_an_empty_agenda_cannot_start() -> None:
    state = clock_state([], [ev("start", at("09:00"))], at("09:10"))
    assert state.status is Status.NOT_STARTED and state.current is None
    assert state.remaining == 0 and len(state.ignored) == 1
    assert allowed_actions(state) == frozenset()


def test_events_out_of_order_are_sorted_and_future_ones_wait() -> None:
    events = [
        ev("next", at("09:15")),
        ev("start", at("09:00")),
        ev("pause", at("09:20")),
        ev("resume", at("09:50")),
    ]
    state = clock_state(MORNING, events, at("09:30"))
    assert state.status is Status.PAUSED and state.current == 1
    assert state.paused == 10 * 60 and not state.ignored
    assert state == clock_state(MORNING, sorted(events, key=lambda e: e.at), at("09:30"))


def test_same_instant_events_keep_their_recorded_order() -> None:
    events = [ev("start", at("09:00")), ev("next", at("09:10")), ev("next", at("09:10"))]
    assert clock_state(MORNING, events, at("09:20")).current == 2


def test_allowed_actions_follow_the_state() -> None:
    assert allowed_actions(clock_state(MORNING, [], at("09:00"))) == {Action.START}
    running = clock_state(MORNING, [ev("start", at("09:00"))], at("09:01"))
    assert allowed_actions(running) == {
        Action.PAUSE,
        Action.NEXT,
        Action.EXTEND,
        Action.SKIP,
        Action.JUMP,
    }
    paused = clock_state(
        MORNING,
        [ev("start", at("09:00")), ev("next", at("09:01")), ev("pause", at("09:02"))],
        at("09:03"),
    )
    assert Action.RESUME in allowed_actions(paused) and Action.PREVIOUS in allowed_actions(paused)
    assert Action.PAUSE not in allowed_actions(paused)
    single = clock_state([item(10)], [ev("start", at("09:00"))], at("09:01"))
    assert Action.JUMP not in allowed_actions(single)


def test_make_event_refuses_with_a_reason_and_builds_utc_events() -> None:
    state = clock_state(MORNING, [ev("start", at("09:00"))], at("09:01"))
    with pytest.raises(InvalidInput) as caught:
        make_event(state, "s1", "resume", at("09:01"))
    assert caught.value.key == "agenda.clock.error.not_paused"
    assert "agenda." not in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        make_event(state, "s1", "jump", at("09:01"), item=7)
    assert caught.value.values == {"value": 8, "count": 3}
    with pytest.raises(InvalidInput) as caught:
        make_event(state, "s1", "extend", at("09:01"), minutes=-20)
    assert caught.value.key == "agenda.clock.error.shorten_too_much"
    event = make_event(state, "s1", "extend", at("09:01"), minutes=5, item=2)
    assert (event.action, event.minutes, event.item) == ("extend", 5, None)
    assert event.at.utcoffset() == dt.timedelta(0) and event.at == at("09:01")
    assert make_event(state, "s1", Action.NEXT, at("09:01"), minutes=5).minutes == 0


def test_an_item_may_be_shortened_to_exactly_zero_minutes_but_not_below() -> None:
    start = ev("start", at("09:00"))
    state = clock_state(MORNING, [start], at("09:01"))
    to_zero = make_event(state, "s1", "extend", at("09:01"), minutes=-15)
    zero = clock_state(MORNING, [start, to_zero], at("09:01"))
    assert not zero.ignored and zero.runs[0].budget == 0
    assert zero.remaining == 0 and zero.overtime == 60
    with pytest.raises(InvalidInput) as caught:
        make_event(state, "s1", "extend", at("09:01"), minutes=-16)
    assert caught.value.key == "agenda.clock.error.shorten_too_much"
    assert caught.value.values == {"value": 16, "budget": 15}
    # An extension taken back to exactly zero minutes in all, on replay too.
    extended = [start, ev("extend", at("09:01"), minutes=5), ev("extend", at("09:02"), minutes=-20)]
    assert clock_state(MORNING, extended, at("09:03")).ignored == ()
    below = [*extended[:2], ev("extend", at("09:02"), minutes=-21)]
    assert len(clock_state(MORNING, below, at("09:03")).ignored) == 1


def _press(events: list[ClockEvent], action: str, **kw: object) -> InvalidInput:
    state = clock_state(MORNING, events, at("09:30"))
    with pytest.raises(InvalidInput) as caught:
        make_event(state, "s1", action, at("09:30"), **kw)  # type: ignore[arg-type]
    return caught.value


START = [ev("start", at("09:00"))]
ON_THE_LAST = [*START, ev("jump", at("09:10"), item=2)]


@pytest.mark.parametrize(
    ("events", "action", "kw", "key", "field", "values"),
    [
        ([], "dance", {}, "unknown_action", "action", {"value": "dance"}),
        ([*ON_THE_LAST, ev("next", at("09:20"))], "pause", {}, "finished", "action", {}),
        ([], "next", {}, "not_started", "action", {}),
        (START, "start", {}, "already_started", "action", {}),
        ([*START, ev("pause", at("09:10"))], "pause", {}, "not_running", "action", {}),
        (START, "resume", {}, "not_paused", "action", {}),
        (START, "previous", {}, "at_first", "action", {}),
        (START, "jump", {"item": 3}, "bad_item", "item", {"value": 4, "count": 3}),
        (START, "jump", {"item": -1}, "bad_item", "item", {"value": 0, "count": 3}),
        (START, "jump", {}, "bad_item", "item", {"value": "?", "count": 3}),
        (START, "jump", {"item": 0}, "same_item", "item", {}),
        (START, "extend", {}, "zero_extension", "minutes", {}),
        (START, "next", {"item": 1}, "moved_on", "action", {"value": 2}),
        (START, "skip", {"item": 2}, "moved_on", "action", {"value": 3}),
        (
            [*START, ev("next", at("09:05"), item=0)],
            "previous",
            {"item": 0},
            "moved_on",
            "action",
            {"value": 1},
        ),
        (
            [*START, ev("extend", at("09:05"), minutes=5)],
            "extend",
            {"minutes": -21},
            "shorten_too_much",
            "minutes",
            {"value": 21, "budget": 20},
        ),
    ],
)
def test_every_refused_press_says_why_and_names_the_field(
    events: list[ClockEvent],
    action: str,
    kw: dict[str, object],
    key: str,
    field: str,
    values: dict[str, object],
) -> None:
    error = _press(events, action, **kw)
    assert (error.key, error.field, error.values) == (f"agenda.clock.error.{key}", field, values)
    assert "agenda." not in error.message and "{" not in error.message


def test_the_last_item_is_a_valid_jump_one_past_it_is_not() -> None:
    state = clock_state(MORNING, START, at("09:05"))
    assert make_event(state, "s1", "jump", at("09:05"), item=2).item == 2
    assert _press(START, "jump", item=3).key == "agenda.clock.error.bad_item"


def test_an_empty_agenda_refuses_to_start_with_its_own_reason() -> None:
    state = clock_state([], [], at("09:00"))
    with pytest.raises(InvalidInput) as caught:
        make_event(state, "s1", "start", at("09:00"))
    assert (caught.value.key, caught.value.field) == ("agenda.clock.error.no_items", "action")


def test_a_made_event_belongs_to_its_session() -> None:
    state = clock_state(MORNING, START, at("09:01"))
    assert make_event(state, "session-7", "pause", at("09:01")).session_id == "session-7"


def test_clock_label() -> None:
    assert clock_label(0) == "00:00"
    assert clock_label(59.9) == "00:59"
    assert clock_label(15 * 60) == "15:00"
    assert clock_label(3723) == "1:02:03"
    assert clock_label(-5) == "00:00"


# --- re-planning, by example -------------------------------------------------


def test_replan_a_round_table_after_an_overrun() -> None:
    structures = [Structure(name=f"Asso {i + 1}") for i in range(8)]
    template = agenda.load_template("etat-des-lieux-journee")
    items = agenda.instantiate(template, structures)
    events = [ev("start", at("09:00")), ev("next", at("09:40"))]  # welcome: 40 min, not 20
    now = at("09:50")
    state = clock_state(items, events, now, planned_start=at("09:00"))
    assert state.behind == 10 * 60  # 20 min over, 10 absorbed before lunch

    proposal = replan(items, state, now, end=template.end)
    assert proposal.fits and not proposal.shortfalls
    assert proposal.remaining == tuple(range(2, len(items)))
    # 9:55 (slot 1 ends) to 12:30: 155 min for 165 planned; 10 taken in proportion.
    assert proposal.minutes[:9] == (15, 14, 14, 14, 14, 14, 14, 14, 42)
    assert proposal.gained == 10
    assert proposal.items[0] == items[0] and proposal.items[1] == items[1]
    afternoon = [i.minutes for i in proposal.items[11:]]
    assert afternoon == [i.minutes for i in items[11:]]  # the afternoon still fits
    planned = agenda.plan(list(proposal.items), dt.time(9, 0))
    assert planned[11].start == dt.time(12, 30)


def test_replan_says_what_cannot_fit() -> None:
    items = [
        item(60, key="exchanges", min_minutes=40),
        item(30, key="synthesis", min_minutes=20),
        item(60, key="lunch", min_minutes=45, fixed_time=dt.time(12, 30)),
        item(120, key="mirror", min_minutes=60),
    ]
    now = at("12:20")  # exchanges overran by 20 min: 10 min left before lunch
    state = clock_state(items, [ev("start", at("11:00"))], now, planned_start=at("11:00"))
    proposal = replan(items, state, now, end=dt.time(14, 0))
    assert not proposal.fits
    assert proposal.minutes == (20, 45, 60)  # everything at its minimum
    assert proposal.gained == 10 + 15 + 60
    before_lunch, at_end = proposal.shortfalls
    assert (before_lunch.minutes, before_lunch.index, before_lunch.time) == (10, 2, dt.time(12, 30))
    assert (at_end.minutes, at_end.index, at_end.time) == (15, None, dt.time(14, 0))
    assert before_lunch.message(items, lang="fr") == (
        "Il manque 10 min avant « Déjeuner » à 12:30 : même réduites au minimum, "
        "les séquences d'avant ne tiennent pas."
    )
    assert at_end.message(items, lang="en").startswith("15 min missing to finish at 14:00")


def test_replan_squeezes_after_lunch_to_keep_the_end() -> None:
    items = [
        item(60, key="exchanges", min_minutes=40),
        item(60, key="lunch", min_minutes=45, fixed_time=dt.time(12, 30)),
        item(120, key="mirror", min_minutes=60),
    ]
    now = at("11:30")
    state = clock_state(items, [ev("start", at("11:00"))], now)
    proposal = replan(items, state, now, end=dt.time(14, 30))
    assert proposal.fits and proposal.minutes == (48, 72)  # 60 min taken, rooms 15 and 60
    assert replan(items, state, now).minutes == (60, 120)  # open end: nothing to keep


def test_replan_after_jumping_back_leaves_a_skipped_item_out() -> None:
    items = [
        item(60, key="exchanges", min_minutes=40),
        item(30, key="sharing", min_minutes=20),
        item(30, key="synthesis", min_minutes=20),
    ]
    events = [
        ev("start", at("11:00")),
        ev("next", at("12:00")),
        ev("skip", at("12:05")),  # the sharing is dropped
        ev("jump", at("12:06"), item=0),  # back to the exchanges, 4 minutes more
    ]
    now = at("12:10")
    state = clock_state(items, events, now)
    assert state.current == 0 and state.runs[1].skipped and state.remaining == 0
    # Only the synthesis is still to come: 29 of its minutes (it ran from 12:05 to 12:06).
    assert state.projected_end == at("12:39")
    proposal = replan(items, state, now, end=dt.time(12, 35))
    assert proposal.remaining == (2,)
    assert proposal.fits and proposal.minutes == (25,) and proposal.gained == 5
    assert proposal.items[1] == items[1]  # the skipped item is not squeezed


def test_replan_before_the_start_reworks_every_item_from_now() -> None:
    items = [
        item(60, key="exchanges", min_minutes=40),
        item(60, key="lunch", min_minutes=45, fixed_time=dt.time(12, 30)),
    ]
    now = at("11:00")
    state = clock_state(items, [], now)
    proposal = replan(items, state, now)
    assert proposal.remaining == (0, 1) and proposal.fits
    late = replan(items, clock_state(items, [], at("11:40")), at("11:40"))
    assert late.minutes == (50, 60)  # 11:40 to the lunch at 12:30


def test_replan_reports_a_shortfall_of_a_single_minute() -> None:
    items = [
        item(60, key="exchanges", min_minutes=40),
        item(30, key="synthesis", min_minutes=20),
        item(60, key="lunch", min_minutes=45, fixed_time=dt.time(12, 30)),
    ]
    now = at("12:11")  # the exchanges ran over; 19 min left for the synthesis's 20
    state = clock_state(items, [ev("start", at("11:00"))], now)
    proposal = replan(items, state, now)
    assert not proposal.fits
    (short,) = proposal.shortfalls
    assert (short.minutes, short.index) == (1, 2)


def test_a_shortfall_names_the_fixed_item_in_the_language_asked() -> None:
    items = [
        item(60, key="exchanges"),
        item(30, key="synthesis", min_minutes=30),
        item(60, key="lunch", fixed_time=dt.time(12, 0)),
    ]
    now = at("11:40")  # the exchanges overran by 40 min: 20 left for the synthesis's 30
    state = clock_state(items, [ev("start", at("10:00"))], now)
    (short,) = replan(items, state, now).shortfalls
    assert short.message(items, lang="en").startswith("10 min missing before “Lunch” at 12:00")
    assert short.message(items, lang="fr").startswith("Il manque 10 min avant « Déjeuner »")


def test_a_shortfall_before_a_structures_slot_names_the_structure() -> None:
    jardins = Structure(name="Les Jardins")
    items = [
        item(60, key="exchanges", min_minutes=60),
        item(45, key="bilan-opening", structure_id=jardins.id, fixed_time=dt.time(10, 30)),
    ]
    now = at("09:40")  # the exchanges started late: 50 min left of their 60 at the minimum
    state = clock_state(items, [ev("start", at("09:40"))], now)
    (short,) = replan(items, state, now).shortfalls
    assert short.message(items, {jardins.id: jardins.name}, lang="fr").startswith(
        "Il manque 10 min avant « Ouverture du bilan — Les Jardins » à 10:30"
    )


def test_a_status_is_named_in_the_language_asked() -> None:
    assert [s.label("en") for s in Status] == ["not started", "running", "paused", "finished"]
    assert Status.PAUSED.label() == "en pause"  # the current language, French here


def test_replan_after_the_end_has_passed_says_so_plainly() -> None:
    """Past the planned end, « N min missing » would read as time to find: the sentence
    says the end is already past, and by how much the rest at its minimums overruns it."""
    items = [item(60, key="exchanges", min_minutes=40), item(30, key="synthesis", min_minutes=20)]
    now = at("17:45")  # the exchanges, begun at 16:00, overran by 45 min
    state = clock_state(items, [ev("start", at("16:00"))], now, planned_start=at("16:00"))
    proposal = replan(items, state, now, end=dt.time(17, 30))
    assert proposal.minutes == (20,) and not proposal.fits
    (passed,) = proposal.shortfalls
    assert (passed.key, passed.minutes, passed.time) == (
        "agenda.replan.passed_end",
        35,  # from 17:45, the synthesis at its 20 minutes ends at 18:05
        dt.time(17, 30),
    )
    assert "17:30" in passed.message(items) and "35 min" in passed.message(items)
    # At 17:30 on the dot the end is not past yet: what is missing, as before.
    on_time = clock_state(items, [ev("start", at("16:30"))], at("17:30"))
    (short,) = replan(items, on_time, at("17:30"), end=dt.time(17, 30)).shortfalls
    assert (short.key, short.minutes) == ("agenda.replan.missing_end", 20)


def test_replan_of_a_session_that_would_run_past_midnight_says_so() -> None:
    items = [item(60, key="exchanges"), item(120, key="mirror")]
    late = clock_state(items, [ev("start", at("22:00"))], at("22:30"), planned_start=at("22:00"))
    (midnight,) = replan(items, late, at("22:30")).shortfalls
    assert (midnight.key, midnight.time) == ("agenda.replan.past_midnight", dt.time(1, 0))
    assert "01:00" in midnight.message(items)
    # Ending at midnight on the dot is still the same day's end... and a minute less is too.
    early = clock_state(items, [ev("start", at("20:59"))], at("21:00"))
    assert replan(items, early, at("21:00")).shortfalls == ()


def test_replan_when_finished_proposes_nothing() -> None:
    items = [item(10)]
    finished = clock_state(items, [ev("start", at("09:00")), ev("next", at("09:10"))], at("10:00"))
    assert replan(items, finished, at("10:00")) == Replan(True, tuple(items), (), 0)


# --- properties over any agenda and any valid event log ----------------------

T0 = arrow.get(dt.datetime(2026, 3, 14, 9, 0), "UTC")
clock_items = st.builds(
    lambda minutes, minimum, fixed, per: AgendaItem(
        key="sharing" if per else "plenary",
        minutes=minutes,
        min_minutes=minimum,
        fixed_time=fixed,
        per_structure=per,
    ),
    st.integers(0, 60),
    st.integers(0, 45),
    st.one_of(st.none(), st.builds(dt.time, st.integers(9, 16), st.sampled_from([0, 15, 30]))),
    st.booleans(),
)


@st.composite
def runs(
    draw: st.DrawFn, forward_only: bool = False
) -> tuple[list[AgendaItem], list[ClockEvent], arrow.Arrow]:
    """An agenda, a log of accepted presses (built the way the screen builds them), a now."""
    items = draw(st.lists(clock_items, min_size=1, max_size=7))
    when = T0.shift(minutes=draw(st.integers(-30, 30)))
    log: list[ClockEvent] = []
    for _ in range(draw(st.integers(0, 25))):
        # microseconds, and sometimes none at all: presses at the same instant happen
        when = when.shift(microseconds=draw(st.integers(0, 20 * 60 * 10**6)))
        state = clock_state(items, log, when)
        choices = sorted(allowed_actions(state))
        if forward_only:
            choices = [c for c in choices if c not in (Action.PREVIOUS, Action.JUMP)]
        if not choices:
            break
        action = draw(st.sampled_from(choices))
        minutes = draw(st.integers(-10, 30)) if action is Action.EXTEND else 0
        target = draw(st.integers(0, len(items) - 1)) if action is Action.JUMP else None
        try:
            log.append(make_event(state, "s1", action, when, minutes=minutes, item=target))
        except InvalidInput:
            continue
    now = when.shift(microseconds=draw(st.integers(0, 90 * 60 * 10**6)))
    return items, log, now


def seconds(a: arrow.Arrow, b: arrow.Arrow) -> float:
    return (a.datetime - b.datetime).total_seconds()


@settings(max_examples=120, deadline=None)
@given(runs(), st.one_of(st.none(), st.integers(-60, 60)))
def test_time_adds_up_and_is_never_negative(
    run: tuple[list[AgendaItem], list[ClockEvent], arrow.Arrow], offset: int | None
) -> None:
    items, log, now = run
    planned_start = None if offset is None else T0.shift(minutes=offset)
    state = clock_state(items, log, now, planned_start=planned_start)
    assert state.ignored == ()  # a log made with make_event is never refused on replay
    assert state.overtime >= 0 and state.remaining >= 0 and state.total_elapsed >= 0
    assert sum(r.elapsed for r in state.runs) == pytest.approx(state.total_elapsed, abs=1e-6)
    if state.started_at is None:
        assert state.total_elapsed == 0 and state.paused == 0
    else:
        wall = seconds(state.finished_at or now, state.started_at)
        assert state.total_elapsed + state.paused == pytest.approx(wall, abs=1e-6)
    if state.current is not None:
        run_ = state.runs[state.current]
        assert state.remaining - state.overtime == pytest.approx(run_.budget - run_.elapsed)
        assert state.elapsed == run_.elapsed
    for r in state.runs:
        assert r.budget >= 0 and r.elapsed >= 0
        if r.started is not None:
            assert state.started_at is not None and r.started >= state.started_at
        if r.ended is not None:
            assert r.started is not None and r.started <= r.ended
    assert state.projected_end >= (state.finished_at or now)
    if planned_start is not None:
        assert state.planned_end is not None
        assert state.behind == pytest.approx(seconds(state.projected_end, state.planned_end))


@settings(max_examples=80, deadline=None)
@given(runs(forward_only=True))
def test_start_times_never_decrease(
    run: tuple[list[AgendaItem], list[ClockEvent], arrow.Arrow],
) -> None:
    items, log, now = run
    state = clock_state(items, log, now)
    starts = [r.started for r in state.runs if r.started is not None]
    assert starts == sorted(starts)
    ends = [r.ended for r in state.runs if r.ended is not None]
    assert ends == sorted(ends)
    visited = [r.index for r in state.runs if r.started is not None]
    assert visited == list(range(len(visited)))  # no gaps when only moving forward


@settings(max_examples=80, deadline=None)
@given(runs())
def test_restart_reads_the_same_state(
    run: tuple[list[AgendaItem], list[ClockEvent], arrow.Arrow],
) -> None:
    """Another process reads the events back from the store: same state, to the microsecond."""
    items, log, now = run
    stored = [json.loads(json.dumps(e.to_doc())) for e in log]
    reread = [ClockEvent.from_doc(doc) for doc in stored]
    session = Session(kind=SessionKind.STATE_OF_PLAY, agenda=items)
    reread_items = Session.from_doc(json.loads(json.dumps(session.to_doc()))).agenda
    for planned_start in (None, T0):
        original = clock_state(items, log, now, planned_start=planned_start)
        assert clock_state(reread_items, reread, now, planned_start=planned_start) == original
    if len({e.at for e in log}) == len(log):  # distinct instants: the stored order is irrelevant
        assert clock_state(items, list(reversed(reread)), now) == clock_state(items, log, now)


def _check_replan(
    items: list[AgendaItem],
    state: ClockState,
    now: arrow.Arrow,
    end: dt.time | None,
    proposal: Replan,
) -> None:
    assert [i.id for i in proposal.items] == [i.id for i in items]
    assert [i.fixed_time for i in proposal.items] == [i.fixed_time for i in items]
    for i, (old, new) in enumerate(zip(items, proposal.items, strict=True)):
        if i not in proposal.remaining:
            assert new == old
        else:
            assert new.minutes >= min(old.minutes, old.min_minutes)  # minimums kept
    old_total = sum(items[i].minutes for i in proposal.remaining)
    assert proposal.gained == old_total - sum(proposal.minutes) >= 0
    assert proposal.fits == (not proposal.shortfalls)
    if state.status is Status.FINISHED:
        assert proposal.remaining == ()
        return

    # Walk the proposal: every fixed time and the end hold, or a shortfall says so,
    # and then the stretch before it is at its minimums and short by what it says.
    by_limit = {s.index: s for s in proposal.shortfalls}
    cursor = now if state.status is Status.NOT_STARTED else now.shift(seconds=state.remaining)
    stretch: list[int] = []

    def arrive(limit: arrow.Arrow, index: int | None) -> None:
        if cursor <= limit:
            assert index not in by_limit
            return
        shortfall = by_limit[index]
        assert all(
            proposal.items[i].minutes == min(items[i].minutes, items[i].min_minutes)
            for i in stretch
        )
        over = seconds(cursor, limit)
        assert over <= shortfall.minutes * 60 < over + 60

    for i in proposal.remaining:
        fixed = items[i].fixed_time
        if fixed is not None:
            arrive(at_clock_time(now, fixed), i)
            cursor, stretch = at_clock_time(now, fixed), []
        stretch.append(i)
        cursor = cursor.shift(minutes=proposal.items[i].minutes)
    if end is not None:
        arrive(at_clock_time(now, end), None)


@settings(max_examples=150, deadline=None)
@given(runs(), st.one_of(st.none(), st.builds(dt.time, st.integers(10, 18), st.just(0))))
def test_replan_keeps_fixed_times_and_minimums_or_says_it_cannot(
    run: tuple[list[AgendaItem], list[ClockEvent], arrow.Arrow], end: dt.time | None
) -> None:
    items, log, now = run
    state = clock_state(items, log, now)
    _check_replan(items, state, now, end, replan(items, state, now, end=end))
