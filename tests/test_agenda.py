"""Agenda templates, planning, editing and squeezing (facilitator.agenda): pure, no clock."""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator import agenda
from facilitator.agenda import ItemKind, PlannedItem
from facilitator.domain import AgendaItem, InvalidInput, SessionKind, Structure
from facilitator.i18n import catalogue
from facilitator.resources import data_dir

NINE = dt.time(9, 0)


def cohort(n: int) -> list[Structure]:
    return [Structure(name=f"Asso {i + 1}") for i in range(n)]


def item(minutes: int, **kw: object) -> AgendaItem:
    return AgendaItem(minutes=minutes, **kw)  # type: ignore[arg-type]


# --- templates ------------------------------------------------------------------


def test_every_template_file_is_indexed_and_loads() -> None:
    folder = data_dir() / "templates"
    files = {p.stem for p in folder.glob("*.json")} - {"index"}
    assert files == set(agenda.template_names())
    for kind in SessionKind:
        variants = agenda.templates(kind)
        assert variants, kind
        assert agenda.default_template(kind) is variants[0]
        assert all(t.session is kind for t in variants)


def test_default_variants_are_the_short_ones() -> None:
    assert agenda.default_template(SessionKind.INTRO).variant == "court"
    assert agenda.default_template(SessionKind.STATE_OF_PLAY).variant == "demi-journee"
    assert agenda.default_template(SessionKind.EVOLUTION).variant == "demi-journee"


def test_unknown_template_is_bad_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.load_template("../secrets")
    assert caught.value.key == "agenda.error.unknown_template"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_word_of_a_template_is_in_the_catalogues(lang: str) -> None:
    messages = catalogue(lang)
    for name in agenda.template_names():
        template = agenda.load_template(name)
        assert f"agenda.variant.{template.variant}" in messages
        assert "agenda." not in template.label(lang)
        for entry in template.items:
            assert f"agenda.item.{entry.key}" in messages, (name, entry.key)
    for kind in ItemKind:
        assert f"agenda.kind.{kind.value}" in messages


def test_agenda_catalogues_have_the_same_keys_and_placeholders() -> None:
    fr = json.loads((data_dir() / "i18n" / "fr" / "agenda.json").read_text(encoding="utf-8"))
    en = json.loads((data_dir() / "i18n" / "en" / "agenda.json").read_text(encoding="utf-8"))
    assert fr.keys() == en.keys()

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key in fr:
        assert fields(fr[key]) == fields(en[key]), key


def test_template_items_are_sane() -> None:
    for name in agenda.template_names():
        for entry in agenda.load_template(name).items:
            assert 0 < entry.min_minutes <= entry.minutes, (name, entry.key)


# --- each template fits its session --------------------------------------------


def test_intro_lasts_at_least_an_hour_and_a_half() -> None:
    for template in agenda.templates(SessionKind.INTRO):
        items = agenda.instantiate(template, cohort(8))
        assert agenda.planned_minutes(items, template.start) >= 90
    short = agenda.load_template("intro-court")
    assert agenda.planned_minutes(agenda.instantiate(short, cohort(8)), short.start) == 90


@pytest.mark.parametrize("kind", [SessionKind.STATE_OF_PLAY, SessionKind.EVOLUTION])
def test_collective_sessions_are_half_a_day_by_default(kind: SessionKind) -> None:
    template = agenda.default_template(kind)
    assert template.end is None
    full_group = agenda.planned_minutes(agenda.instantiate(template, cohort(8)), template.start)
    assert 210 <= full_group <= 240  # the guidance's 3h30 to 4h, for the ideal 8 structures
    for n in range(1, 9):
        minutes = agenda.planned_minutes(agenda.instantiate(template, cohort(n)), template.start)
        assert minutes <= 270, n  # never more than 4h30


@pytest.mark.parametrize("name", ["etat-des-lieux-journee", "evolution-journee"])
@pytest.mark.parametrize("n", range(1, 9))
def test_full_days_fit_between_start_and_fixed_end(name: str, n: int) -> None:
    template = agenda.load_template(name)
    assert template.end == dt.time(17, 0)
    items = agenda.instantiate(template, cohort(n))
    planned = agenda.plan(items, template.start)
    lunch = next(p for p in planned if p.item.key == "lunch")
    assert lunch.start == dt.time(12, 30)
    assert all(p.slack_before >= 0 for p in planned)
    assert agenda.end_slack(items, template.start, template.end) >= 0
    assert 6 * 60 <= agenda.planned_minutes(items, template.start) <= 8 * 60


def test_bilan_is_about_an_hour_and_a_half_of_individual_time() -> None:
    (template,) = agenda.templates(SessionKind.BILAN)
    items = agenda.instantiate(template, cohort(1))
    assert agenda.planned_minutes(items, template.start) == 90
    assert {i.kind for i in items} == {"individual"}


# --- instantiation --------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 8])
def test_round_table_gets_one_slot_per_structure(n: int) -> None:
    structures = cohort(n)
    template = agenda.load_template("etat-des-lieux-demi-journee")
    items = agenda.instantiate(template, structures)
    slots = [i for i in items if i.key == "sharing"]
    assert [s.structure_id for s in slots] == [s.id for s in structures]
    assert all(s.per_structure and s.minutes == 12 and s.min_minutes == 8 for s in slots)
    assert len(items) == len(template.items) - 1 + n
    assert all(i.structure_id is None for i in items if not i.per_structure)
    assert len({i.id for i in items}) == len(items)
    names = {s.id: s.name for s in structures}
    assert agenda.item_title(slots[-1], names, "fr") == f"Partage de l'état des lieux — Asso {n}"
    assert agenda.item_title(slots[0], names, "en") == "State of play — Asso 1"


def test_without_structures_the_round_table_keeps_one_open_slot() -> None:
    items = agenda.instantiate(agenda.load_template("evolution-demi-journee"), [])
    (slot,) = [i for i in items if i.key == "ambition"]
    assert slot.per_structure and slot.structure_id is None


def test_fixed_times_come_from_the_template() -> None:
    items = agenda.instantiate(agenda.load_template("evolution-journee"), cohort(3))
    assert [i.fixed_time for i in items if i.fixed_time] == [dt.time(12, 30)]


# --- titles ------------------------------------------------------------------------


def test_titles_custom_then_template_then_untitled() -> None:
    structure = Structure(name="Les Jardins partagés")
    slot = item(10, key="sharing", per_structure=True, structure_id=structure.id)
    names = {structure.id: structure.name}
    assert (
        agenda.item_title(slot, names, "fr") == "Partage de l'état des lieux — Les Jardins partagés"
    )
    assert agenda.item_title(slot, {}, "fr") == "Partage de l'état des lieux"  # structure gone
    renamed = agenda.rename([slot], 0, "  Tour   des Jardins ")[0]
    assert agenda.item_title(renamed, names, "fr") == "Tour des Jardins"
    assert agenda.item_title(item(5), lang="en") == "Untitled item"
    assert agenda.item_title(item(5, key="lunch"), lang="fr") == "Déjeuner"


# --- planning ---------------------------------------------------------------------


def test_plan_lays_items_end_to_end() -> None:
    planned = agenda.plan([item(20), item(45), item(15)], NINE)
    assert [(p.start, p.end) for p in planned] == [
        (dt.time(9, 0), dt.time(9, 20)),
        (dt.time(9, 20), dt.time(10, 5)),
        (dt.time(10, 5), dt.time(10, 20)),
    ]
    assert agenda.end_time([item(20), item(45), item(15)], NINE) == dt.time(10, 20)
    assert agenda.planned_minutes([], NINE) == 0


def test_fixed_time_with_slack() -> None:
    items = [item(60), item(60, key="lunch", fixed_time=dt.time(12, 30)), item(30)]
    planned = agenda.plan(items, dt.time(10, 0))
    assert planned[1].start == dt.time(12, 30)
    assert planned[1].slack_before == 90
    assert planned[2].start == dt.time(13, 30)
    assert agenda.planned_minutes(items, dt.time(10, 0)) == 240
    assert agenda.end_slack(items, dt.time(10, 0), dt.time(17, 0)) == 180


def test_fixed_time_with_deficit_holds_and_shows_it() -> None:
    items = [item(120), item(60, key="lunch", fixed_time=dt.time(12, 30)), item(30)]
    planned = agenda.plan(items, dt.time(11, 0))
    assert planned[0].end == dt.time(13, 0)
    assert planned[1].start == dt.time(12, 30)
    assert planned[1].slack_before == -30
    assert planned[2].start == dt.time(13, 30)


def test_an_evening_session_may_run_past_midnight() -> None:
    planned = agenda.plan([item(90), item(60)], dt.time(23, 0))
    assert planned[1].start == dt.time(0, 30)
    assert planned[1].end_minute == 25 * 60 + 30


fixed_times = st.one_of(st.none(), st.builds(dt.time, st.integers(8, 18), st.sampled_from([0, 30])))
agenda_items = st.builds(
    lambda minutes, minimum, fixed, per, kind: AgendaItem(
        minutes=minutes,
        min_minutes=minimum,
        fixed_time=fixed,
        per_structure=per,
        key="slot" if per else kind,
        kind=kind,
    ),
    st.integers(0, 120),
    st.integers(0, 90),
    fixed_times,
    st.booleans(),
    st.sampled_from([k.value for k in ItemKind]),
)
agendas = st.lists(agenda_items, max_size=12)


@settings(max_examples=150, deadline=None)
@given(agendas, st.builds(dt.time, st.integers(7, 14), st.integers(0, 59)))
def test_plan_properties(items: list[AgendaItem], start: dt.time) -> None:
    planned = agenda.plan(items, start)
    assert [p.item for p in planned] == items
    previous_end = agenda.minute_of_day(start)
    for p in planned:
        assert p.end_minute - p.start_minute == p.item.minutes
        if p.item.fixed_time is None:
            assert p.start_minute == previous_end and p.slack_before == 0
        else:
            assert p.start == p.item.fixed_time
            assert p.slack_before == p.start_minute - previous_end
        previous_end = p.end_minute
    if all(p.slack_before >= 0 for p in planned):
        starts = [p.start_minute for p in planned]
        assert starts == sorted(starts)
    total = sum(i.minutes for i in items) + sum(p.slack_before for p in planned)
    assert agenda.planned_minutes(items, start) == total


# --- editing --------------------------------------------------------------------


def three() -> list[AgendaItem]:
    return [item(10, key="a"), item(20, key="b"), item(30, key="c")]


def keys(items: list[AgendaItem]) -> list[str]:
    return [i.key for i in items]


def test_editing_returns_new_lists_and_leaves_the_old_one() -> None:
    items = three()
    before = list(items)
    assert keys(agenda.insert(items, 1, item(5, key="x"))) == ["a", "x", "b", "c"]
    assert keys(agenda.insert(items, 3, item(5, key="x"))) == ["a", "b", "c", "x"]
    assert keys(agenda.delete(items, 0)) == ["b", "c"]
    assert keys(agenda.move(items, 0, 2)) == ["b", "c", "a"]
    assert keys(agenda.move(items, 2, 0)) == ["c", "a", "b"]
    assert agenda.resize(items, 1, 25)[1].minutes == 25
    assert agenda.pin(items, 2, dt.time(12, 0))[2].fixed_time == dt.time(12, 0)
    assert agenda.pin(agenda.pin(items, 2, dt.time(12, 0)), 2, None)[2].fixed_time is None
    assert items == before and items[1].minutes == 20
    assert agenda.resize(items, 1, 25)[1].id == items[1].id


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda xs: agenda.delete(xs, 3), "agenda.error.bad_position"),
        (lambda xs: agenda.delete(xs, -1), "agenda.error.bad_position"),
        (lambda xs: agenda.insert(xs, 4, item(5)), "agenda.error.bad_position"),
        (lambda xs: agenda.move(xs, 0, 3), "agenda.error.bad_position"),
        (lambda xs: agenda.resize(xs, 0, -5), "domain.error.no_duration"),
        (lambda xs: agenda.resize(xs, 0, 0), "domain.error.no_duration"),
        (lambda xs: agenda.resize(xs, 0, 900), "agenda.error.too_long"),
        (lambda xs: agenda.insert(xs, 0, item(-1)), "domain.error.no_duration"),
    ],
)
def test_bad_edits_are_refused_with_a_catalogue_key(edit, key: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        edit(three())
    assert caught.value.key == key
    assert "agenda." not in caught.value.message and "domain." not in caught.value.message


def test_bad_position_is_shown_one_based() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.delete(three(), 5)
    assert caught.value.values == {"value": 6, "count": 3}


def test_below_the_minimum_is_allowed_but_flagged() -> None:
    items = agenda.resize([item(30, key="mirror", min_minutes=25)], 0, 10)
    assert items[0].minutes == 10
    (planned,) = agenda.plan(items, NINE)
    assert isinstance(planned, PlannedItem) and planned.below_minimum
    (warning,) = agenda.minimum_warnings(items, lang="fr")
    assert "10 min" in warning and "25 min" in warning and "Effet miroir" in warning
    assert agenda.minimum_warnings(three()) == []


# --- squeezing ------------------------------------------------------------------


def test_squeeze_keeps_minutes_when_they_fit() -> None:
    assert agenda.squeeze(three(), 60) == ([10, 20, 30], 0)
    assert agenda.squeeze(three(), 90) == ([10, 20, 30], 0)  # nothing is stretched


def test_squeeze_in_proportion_to_the_room_above_minimums() -> None:
    items = [item(30, min_minutes=20), item(60, min_minutes=30), item(15, min_minutes=15)]
    new, missing = agenda.squeeze(items, 85)  # 20 to take from rooms of 10 and 30
    assert (new, missing) == ([25, 45, 15], 0)


def test_squeeze_reports_what_cannot_fit() -> None:
    items = [item(30, min_minutes=20), item(60, min_minutes=30)]
    assert agenda.squeeze(items, 40) == ([20, 30], 10)


def test_round_table_slots_share_equally_remainder_first() -> None:
    slots = [item(15, key="s", per_structure=True, min_minutes=10) for _ in range(5)]
    new, missing = agenda.squeeze(slots, 62)
    assert missing == 0
    assert new == [13, 13, 12, 12, 12]


@settings(max_examples=200, deadline=None)
@given(agendas, st.integers(-30, 600))
def test_squeeze_properties(items: list[AgendaItem], available: int) -> None:
    new, missing = agenda.squeeze(items, available)
    floors = [min(i.minutes, i.min_minutes) for i in items]
    assert all(m >= f for m, f in zip(new, floors, strict=True))
    assert missing >= 0
    if missing:
        assert new == floors and sum(floors) - available == missing
    else:
        assert sum(new) == min(sum(i.minutes for i in items), available)
    for old, m in zip(items, new, strict=True):
        if not old.per_structure:
            assert m <= old.minutes
    table = [m for m, old in zip(new, items, strict=True) if old.per_structure]
    assert sum(table) <= sum(i.minutes for i in items if i.per_structure)
