"""Agenda templates, planning, editing and squeezing (facilitator.agenda): pure, no clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import string
from pathlib import Path

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


# --- labels and warnings in the language asked ------------------------------------------
# (The tests run in French: a label asked in English must come out in English.)


def test_a_shipped_template_is_labelled_by_its_session_and_variant_in_the_language_asked() -> None:
    template = agenda.load_template("intro-long")
    assert template.label("en") == "Introductory session (long, with theory)"
    assert template.label("fr") == "Session introductive (longue, avec apports théoriques)"


def test_a_workspace_template_is_labelled_by_its_own_name_in_the_language_asked() -> None:
    own = dataclasses.replace(agenda.load_template("intro-court"), own_name="Matinée Drôme")
    assert own.label("en") == "Matinée Drôme (workspace template)"
    assert own.label("fr") == "Matinée Drôme (modèle de l'espace de travail)"


def test_a_slot_below_its_minimum_is_flagged_with_its_structure_in_the_language_asked() -> None:
    slot = item(10, key="mirror", min_minutes=25, per_structure=True, structure_id="s1")
    (warning,) = agenda.minimum_warnings([slot], {"s1": "Les Jardins"}, lang="en")
    title = agenda.item_title(slot, {"s1": "Les Jardins"}, "en")
    assert title.endswith(" — Les Jardins")
    assert warning == f"“{title}”: 10 min, below the advised minimum (25 min)."


def test_an_item_planned_exactly_at_its_minimum_is_not_flagged() -> None:
    at_minimum = item(25, key="mirror", min_minutes=25)
    assert agenda.minimum_warnings([at_minimum]) == []
    assert not agenda.plan([at_minimum], NINE)[0].below_minimum


# --- a template file, read strictly ---------------------------------------------------------


def template_file(*items: dict[str, object], **fields: object) -> dict[str, object]:
    """A template as its file holds it, with these items."""
    return {"session": "intro", "variant": "own", "start": "09:00", "items": list(items), **fields}


def test_a_template_item_without_a_minimum_may_not_shrink() -> None:
    template = agenda._parse_template(
        "t", template_file({"key": "mirror", "minutes": 45, "kind": "plenary"})
    )
    (only,) = template.items
    assert (only.minutes, only.min_minutes) == (45, 45)
    assert template.own_name == ""  # a shipped template, not a workspace's


def test_a_shipped_template_file_reads_as_a_shipped_template() -> None:
    fresh = agenda.load_template.__wrapped__("intro-long")  # not the cached one
    assert fresh == agenda.load_template("intro-long") and fresh.own_name == ""


def test_a_template_item_keeps_the_minimum_it_gives() -> None:
    raw = {"key": "mirror", "minutes": 45, "min_minutes": 30, "kind": "plenary"}
    (only,) = agenda._parse_template("t", template_file(raw)).items
    assert only.min_minutes == 30


def test_a_template_item_with_a_title_only_has_an_empty_key_and_one_with_a_key_an_empty_title() -> (
    None
):
    own = {"title": "Visite du jardin", "minutes": 30, "kind": "plenary"}
    shipped = {"key": "mirror", "minutes": 30, "kind": "plenary"}
    first, second = agenda._parse_template("t", template_file(own, shipped)).items
    assert (first.key, first.title) == ("", "Visite du jardin")
    assert (second.key, second.title) == ("mirror", "")


def test_a_template_item_may_have_no_minimum_and_last_a_whole_working_day() -> None:
    raw = {"key": "mirror", "minutes": agenda.MAX_ITEM_MINUTES, "min_minutes": 0, "kind": "plenary"}
    (only,) = agenda._parse_template("t", template_file(raw)).items
    assert (only.minutes, only.min_minutes) == (480, 0)


def test_a_template_item_is_fixed_in_time_and_laid_per_structure_only_when_it_says_so() -> None:
    pinned = {"key": "lunch", "minutes": 60, "kind": "break", "fixed_time": "12:30"}
    table = {"key": "round", "minutes": 10, "kind": "round-table", "per_structure": True}
    lunch, round_table = agenda._parse_template("t", template_file(pinned, table)).items
    assert (lunch.fixed_time, lunch.per_structure) == (dt.time(12, 30), False)
    assert (round_table.fixed_time, round_table.per_structure) == (None, True)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (
            {"key": "mirror", "minutes": 45, "kind": "plenary", "colour": "red"},
            "unknown fields ['colour']",
        ),
        (
            {"title": "Visite", "minutes": 481, "kind": "plenary"},
            "'Visite': need 0 <= min_minutes <= minutes <= 480",
        ),
        (
            {"key": "mirror", "minutes": 30, "min_minutes": 40, "kind": "plenary"},
            "'mirror': need 0 <= min_minutes <= minutes <= 480",
        ),
        (
            {"title": "  ", "minutes": 30, "kind": "plenary"},
            "an item has neither a key nor a title",
        ),
    ],
)
def test_a_mistake_in_a_template_file_is_said_with_the_template_and_the_item(
    raw: dict[str, object], why: str
) -> None:
    with pytest.raises(ValueError) as caught:
        agenda._parse_template("mine", template_file(raw))
    assert str(caught.value) == f"agenda template 'mine': {why}"


def test_a_template_file_without_items_is_a_mistake() -> None:
    doc = template_file()
    del doc["items"]
    with pytest.raises(ValueError, match=r"^agenda template 'mine': no items$"):
        agenda._parse_template("mine", doc)


# --- a workspace's own templates ------------------------------------------------------------


def test_an_own_template_is_named_by_its_name_folded_to_letters_digits_and_dashes() -> None:
    assert agenda.own_template_name("  (Matinée) Drôme 2  ") == "espace-matinee-drome-2"
    assert agenda.own_template_name("a" * 70) == "espace-" + "a" * 60


def test_an_own_template_name_without_a_letter_or_digit_is_refused_on_the_name_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.own_template_name(" — ! ")
    assert (caught.value.key, caught.value.field) == ("domain.error.empty_name", "name")


def write_own(root: Path, stem: str, doc: object) -> None:
    folder = agenda.own_templates_dir(root)
    folder.mkdir(exist_ok=True)
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
    (folder / f"{stem}.json").write_text(text, encoding="utf-8")


def test_own_templates_are_listed_by_their_names_skipping_unreadable_files(tmp_path: Path) -> None:
    mirror = {"key": "mirror", "minutes": 30, "kind": "plenary"}
    write_own(tmp_path, "espace-a", "{not json")
    write_own(tmp_path, "espace-b", template_file(mirror, own_name="Zèbre"))
    write_own(tmp_path, "espace-c", template_file(mirror, own_name="abeille"))
    write_own(tmp_path, "espace-d", template_file(mirror, own_name="Écureuil", session="bilan"))
    write_own(tmp_path, "other", template_file(mirror, own_name="not a workspace template"))
    listed = agenda.own_templates(tmp_path)
    assert [tpl.own_name for tpl in listed] == ["abeille", "Zèbre", "Écureuil"]
    assert [tpl.name for tpl in agenda.own_templates(tmp_path, SessionKind.BILAN)] == ["espace-d"]


def test_a_workspace_without_a_templates_folder_has_no_own_templates(tmp_path: Path) -> None:
    assert agenda.own_templates(tmp_path) == []


def day_to_save() -> agenda.Day:
    """A morning with a pinned item, a round table of three, a break and an odd kind."""
    table = agenda.TemplateItem("mirror", 15, 10, ItemKind.ROUND_TABLE, per_structure=True)
    items = [
        *agenda.from_template_item(table, cohort(3)),
        dataclasses.replace(agenda.free_item("Visite", 40), fixed_time=dt.time(10, 30)),
        item(15, key="break", min_minutes=20, kind="break"),
        item(20, title="Atelier", kind="atelier"),
    ]
    return agenda.Day(items, NINE, dt.time(12, 30))


def test_an_agenda_saved_as_a_template_keeps_its_items_hours_and_name() -> None:
    template = agenda.template_from_agenda("  Matinée   Drôme ", SessionKind.INTRO, day_to_save())
    assert (template.name, template.own_name) == ("espace-matinee-drome", "Matinée Drôme")
    assert (template.session, template.variant) == (SessionKind.INTRO, "own")
    assert (template.start, template.end) == (NINE, dt.time(12, 30))
    table, visit, pause, odd = template.items
    assert table == agenda.TemplateItem("mirror", 15, 10, ItemKind.ROUND_TABLE, per_structure=True)
    assert (visit.title, visit.fixed_time, visit.kind) == (
        "Visite",
        dt.time(10, 30),
        ItemKind.PLENARY,
    )
    assert (pause.key, pause.minutes, pause.min_minutes, pause.kind) == (
        "break",
        15,
        15,
        ItemKind.BREAK,
    )
    assert (odd.title, odd.kind) == ("Atelier", ItemKind.PLENARY)  # a kind no longer known


def test_an_empty_agenda_cannot_be_saved_as_a_template() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.template_from_agenda("Vide", SessionKind.INTRO, agenda.Day([], NINE, None))
    assert (caught.value.key, caught.value.field) == ("agenda.error.empty_template", "name")


@pytest.mark.parametrize("end", [dt.time(12, 30), None], ids=["fixed end", "no end"])
def test_a_saved_template_reads_back_as_itself(tmp_path: Path, end: dt.time | None) -> None:
    day = dataclasses.replace(day_to_save(), end=end)
    template = agenda.template_from_agenda("Matinée Drôme", SessionKind.INTRO, day)
    doc = agenda.template_doc(template)
    assert doc["end"] == (None if end is None else "12:30")
    write_own(tmp_path, template.name, doc)
    assert agenda.own_templates(tmp_path) == [template]


def test_the_items_offered_for_a_session_come_from_its_own_templates_only() -> None:
    offered = agenda.template_items(SessionKind.BILAN)
    assert [i.key for i in offered] == [i.key for i in agenda.load_template("bilan").items]


# --- round tables as the cohort changes -------------------------------------------------------


def test_an_item_made_a_round_table_gives_each_structure_a_slot_the_first_keeping_id_and_time() -> (
    None
):
    pinned = item(20, key="mirror", fixed_time=dt.time(10, 0))
    structures = cohort(3)
    items = agenda.set_round_table([item(10, key="a"), pinned], 1, structures, on=True)
    first, *others = items[1:]
    assert (first.id, first.fixed_time) == (pinned.id, dt.time(10, 0))
    assert all(slot.fixed_time is None for slot in others)
    assert len({slot.id for slot in items}) == 4 and None not in {slot.id for slot in items}
    assert [slot.structure_id for slot in items[1:]] == [s.id for s in structures]
    assert all(slot.per_structure is True for slot in items[1:])
    assert {(slot.kind, slot.minutes, slot.key) for slot in items[1:]} == {
        ("round-table", 20, "mirror")
    }


def test_an_item_made_a_round_table_before_any_structure_keeps_one_open_slot() -> None:
    plain = item(20, key="mirror")
    (slot,) = agenda.set_round_table([plain], 0, [], on=True)
    assert (slot.id, slot.per_structure, slot.structure_id) == (plain.id, True, None)


def test_a_round_table_folds_back_into_one_item_of_one_slots_minutes() -> None:
    table = agenda.set_round_table([item(20, key="mirror")], 0, cohort(3), on=True)
    assert agenda.set_round_table(table, 2, cohort(3), on=True) == table
    (folded,) = agenda.set_round_table(table, 2, cohort(3), on=False)
    assert (folded.id, folded.minutes, folded.per_structure, folded.structure_id) == (
        table[0].id,
        20,
        False,
        None,
    )


def test_a_structure_that_joins_gets_a_new_unpinned_slot_at_the_end_of_each_round_table() -> None:
    old, new = cohort(2)
    first = dataclasses.replace(
        agenda.from_template_item(
            agenda.TemplateItem("mirror", 15, 10, ItemKind.ROUND_TABLE, per_structure=True), [old]
        )[0],
        fixed_time=dt.time(9, 30),
    )
    second = item(10, key="echo", per_structure=True, structure_id=old.id)
    items = agenda.with_slot_for([first, second, item(5, key="end")], new.id)
    assert [(i.key, i.structure_id) for i in items] == [
        ("mirror", old.id),
        ("mirror", new.id),
        ("echo", old.id),
        ("echo", new.id),
        ("end", None),
    ]
    assert items[1].fixed_time is None
    assert len({i.id for i in items}) == 5 and None not in {i.id for i in items}


def test_the_open_slot_of_a_round_table_that_starts_the_day_goes_to_the_first_structure() -> None:
    (joined,) = cohort(1)
    (open_slot,) = agenda.instantiate(
        agenda.Template(
            "t",
            SessionKind.INTRO,
            "own",
            NINE,
            None,
            (agenda.TemplateItem("mirror", 15, 10, ItemKind.ROUND_TABLE, per_structure=True),),
        ),
        [],
    )
    (slot,) = agenda.with_slot_for([open_slot], joined.id)
    assert (slot.id, slot.structure_id) == (open_slot.id, joined.id)


# --- squeezing at the edges -----------------------------------------------------------------


def test_a_one_minute_deficit_is_taken_from_one_item() -> None:
    items = [item(30, min_minutes=20), item(60, min_minutes=30)]
    assert agenda.squeeze(items, 89) == ([30, 59], 0)


def test_a_round_table_of_two_shrinks_both_slots_alike() -> None:
    slots = [item(15, key="s", per_structure=True, min_minutes=10) for _ in range(2)]
    assert agenda.squeeze(slots, 24) == ([12, 12], 0)


def test_two_round_tables_shrink_as_two_blocks() -> None:
    a = [item(20, key="a", per_structure=True, min_minutes=10) for _ in range(2)]
    b = [item(10, key="b", per_structure=True, min_minutes=10) for _ in range(2)]
    assert agenda.squeeze([*a, *b], 56) == ([18, 18, 10, 10], 0)


# --- a facilitator's own items --------------------------------------------------------------


def test_an_own_item_may_shrink_to_two_thirds_of_its_minutes_and_has_the_kind_asked() -> None:
    visit = agenda.free_item("  Visite   du jardin ", 45)
    assert (visit.title, visit.minutes, visit.min_minutes, visit.kind) == (
        "Visite du jardin",
        45,
        30,
        "plenary",
    )
    assert agenda.free_item("Café", 15, ItemKind.BREAK).kind == "break"


def test_an_own_item_without_a_title_is_refused_on_the_title_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.free_item("   ", 30)
    assert (caught.value.key, caught.value.field) == ("agenda.error.empty_title", "title")


def test_a_resized_own_item_keeps_its_minimum_in_proportion_a_template_item_keeps_its_own() -> None:
    items = [
        item(5, key="a"),
        agenda.free_item("Visite", 45),
        item(30, key="mirror", min_minutes=25),
    ]
    resized = agenda.resize(agenda.resize(items, 1, 60), 2, 40)
    assert [(i.minutes, i.min_minutes) for i in resized] == [(5, 0), (60, 40), (40, 25)]
    assert [i.id for i in resized] == [i.id for i in items]


# --- limits of an edit ----------------------------------------------------------------------


def test_an_item_may_last_a_whole_working_day_and_not_a_minute_more() -> None:
    assert agenda.check_minutes(agenda.MAX_ITEM_MINUTES) == 480
    with pytest.raises(InvalidInput) as caught:
        agenda.check_minutes(481)
    assert (caught.value.key, caught.value.field) == ("agenda.error.too_long", "minutes")
    assert caught.value.values == {"value": 481, "max": 480}


def test_a_round_table_is_its_run_of_neighbouring_slots_with_the_same_title() -> None:
    a = [item(10, key="a", per_structure=True, structure_id=f"s{i}") for i in range(3)]
    b = [item(10, key="b", per_structure=True, structure_id=f"s{i}") for i in range(2)]
    items = [item(5, key="x"), *a, *b, item(5, key="y")]
    expected = [range(0, 1), *[range(1, 4)] * 3, *[range(4, 6)] * 2, range(6, 7)]
    assert [agenda.round_table(items, i) for i in range(len(items))] == expected
    assert [agenda.round_table(b, i) for i in range(2)] == [range(0, 2), range(0, 2)]


def day(*items: AgendaItem, end: dt.time | None = None) -> agenda.Day:
    return agenda.Day(list(items), NINE, end)


def test_an_item_pinned_before_the_session_starts_is_refused_one_pinned_at_its_start_is_not() -> (
    None
):
    agenda.check_agenda(day(), day(item(10, key="a", fixed_time=NINE)))
    with pytest.raises(InvalidInput) as caught:
        agenda.check_agenda(day(), day(item(10, key="a", fixed_time=dt.time(8, 59))))
    assert caught.value.key == "agenda.error.out_of_order"
    assert caught.value.values["time"] == "08:59" and caught.value.values["position"] == 1


def test_an_item_pinned_at_the_start_of_the_item_above_it_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.check_agenda(day(), day(item(30, key="a"), item(10, key="b", fixed_time=NINE)))
    assert caught.value.values["position"] == 2


def test_a_plan_that_ends_in_time_overruns_by_nothing() -> None:
    assert agenda.overrun([item(60, key="a")], NINE, dt.time(10, 0)) == 0
    assert agenda.overrun([item(61, key="a")], NINE, dt.time(10, 0)) == 1


def test_a_position_outside_the_agenda_is_refused_on_the_position_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        agenda.move(three(), 0, 3)
    assert (caught.value.field, caught.value.values) == ("position", {"value": 4, "count": 3})


def test_an_item_out_of_order_is_said_by_its_title_time_and_position_on_the_time_field() -> None:
    slot = item(10, key="mirror", per_structure=True, structure_id="s1", fixed_time=dt.time(9, 15))
    after = day(item(30, key="a"), item(10, key="b"), slot)
    with pytest.raises(InvalidInput) as caught:
        agenda.check_agenda(day(), after, {"s1": "Les Jardins"})
    assert caught.value.field == "time"
    assert caught.value.values == {
        "title": agenda.item_title(slot, {"s1": "Les Jardins"}),
        "time": "09:15",
        "position": 3,
    }
    assert str(caught.value.values["title"]).endswith(" — Les Jardins")


def test_a_plan_past_its_end_of_day_is_said_with_the_end_and_the_minutes_on_the_minutes_field() -> (
    None
):
    with pytest.raises(InvalidInput) as caught:
        agenda.check_agenda(day(end=dt.time(10, 0)), day(item(75, key="a"), end=dt.time(10, 0)))
    assert (caught.value.key, caught.value.field) == ("agenda.error.past_end", "minutes")
    assert caught.value.values == {"end": "10:00", "minutes": 15}


def test_a_plan_past_midnight_is_said_with_the_minutes_on_the_minutes_field() -> None:
    evening = agenda.Day([item(130, key="a")], dt.time(22, 0), None)
    with pytest.raises(InvalidInput) as caught:
        agenda.check_agenda(agenda.Day([], dt.time(22, 0), None), evening)
    assert (caught.value.key, caught.value.field) == ("agenda.error.past_midnight", "minutes")
    assert caught.value.values == {"end": "00:00", "minutes": 10}


def test_an_agenda_already_past_its_end_of_day_may_be_shortened_item_by_item() -> None:
    noon = dt.time(12, 0)
    too_long = day(item(200, key="a"), end=noon)  # 20 min past noon
    agenda.check_agenda(too_long, day(item(190, key="a"), end=noon))
    with pytest.raises(InvalidInput):
        agenda.check_agenda(too_long, day(item(210, key="a"), end=noon))
