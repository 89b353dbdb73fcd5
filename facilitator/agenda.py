"""Agenda templates, planning and editing: a session's timed plan, before any clock runs.

A template (``data/templates/<name>.json``) is the guidance turned into timed items;
``instantiate`` turns it into the ``AgendaItem`` list a session keeps, with one
round-table slot per structure of the cohort. ``plan`` lays the items on the clock.
Every editing helper returns a new list, so the screen can show a change before it
is saved and an undo is just the previous list.

Clock times here are minutes of the session's day (``dt.time`` at the edges); the
live clock, with real instants, is ``facilitator.clock``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from facilitator.domain import (
    AgendaItem,
    InvalidInput,
    SessionKind,
    Structure,
    new_id,
    require_duration,
)
from facilitator.i18n import t
from facilitator.resources import load_json
from facilitator.text import fold

MAX_ITEM_MINUTES = 8 * 60
"""One item longer than a working day is a typo (``900`` for ``90``), not a plan."""


class ItemKind(StrEnum):
    """How the group works during an item; the screen shows it and the exports too."""

    THEORY = "theory"
    ROUND_TABLE = "round-table"
    SUB_GROUPS = "sub-groups"
    PLENARY = "plenary"
    BREAK = "break"
    INDIVIDUAL = "individual"


# --- templates ------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateItem:
    """One line of a template. A ``per_structure`` item's minutes are per slot."""

    key: str
    minutes: int
    min_minutes: int
    kind: ItemKind
    per_structure: bool = False
    fixed_time: dt.time | None = None
    title: str = ""  # a facilitator's own item (in a workspace's template) has a title, no key


@dataclass(frozen=True)
class Template:
    """A session's agenda as the guidance suggests it, in one variant.

    ``end`` is the fixed end of day of the full-day variants (``None`` when the
    session simply ends after its last item).
    """

    name: str
    session: SessionKind
    variant: str
    start: dt.time
    end: dt.time | None
    items: tuple[TemplateItem, ...]
    own_name: str = ""  # a workspace's template: the name the facilitator gave it

    def label(self, lang: str | None = None) -> str:
        """What a person picks from: the session's name and the variant (or the
        facilitator's own name for a template of the workspace)."""
        if self.own_name:
            return t("agenda.own_template", lang, name=self.own_name)
        return t(
            "agenda.template",
            lang,
            session=t(f"domain.sessionkind.{self.session.value}", lang),
            variant=t(f"agenda.variant.{self.variant}", lang),
        )


@cache
def _index() -> dict[SessionKind, tuple[str, ...]]:
    """Template names by session kind, the default variant first.

    An index file rather than a directory listing keeps all data access to
    ``resources.load_json`` and makes the default variant an explicit choice.
    """
    raw: dict[str, list[str]] = load_json("templates", "index.json")
    return {SessionKind(kind): tuple(names) for kind, names in raw.items()}


def template_names(kind: SessionKind | None = None) -> list[str]:
    index = _index()
    kinds = [kind] if kind is not None else list(index)
    return [name for k in kinds for name in index.get(k, ())]


@cache
def load_template(name: str) -> Template:
    """The template called ``name``; an unknown name is bad input (it may come from the CLI)."""
    if name not in template_names():
        raise InvalidInput("agenda.error.unknown_template", "template", value=name)
    return _parse_template(name, load_json("templates", f"{name}.json"))


def templates(kind: SessionKind) -> list[Template]:
    """The variants offered for a kind of session, the default first."""
    return [load_template(name) for name in template_names(kind)]


def default_template(kind: SessionKind) -> Template:
    return templates(kind)[0]


_TEMPLATE_ITEM_FIELDS = {
    "key",
    "title",
    "minutes",
    "min_minutes",
    "kind",
    "per_structure",
    "fixed_time",
}


def _parse_template(name: str, doc: dict[str, Any]) -> Template:
    """Check a shipped template strictly: a mistake there is ours, so it fails loudly."""

    def fail(why: str) -> ValueError:
        return ValueError(f"agenda template {name!r}: {why}")

    items: list[TemplateItem] = []
    for raw in doc.get("items", []):
        unknown = set(raw) - _TEMPLATE_ITEM_FIELDS
        if unknown:
            raise fail(f"unknown fields {sorted(unknown)}")
        minutes, minimum = int(raw["minutes"]), int(raw.get("min_minutes", raw["minutes"]))
        key, title = str(raw.get("key", "")), str(raw.get("title", ""))
        if not 0 <= minimum <= minutes <= MAX_ITEM_MINUTES:
            raise fail(f"{key or title!r}: need 0 <= min_minutes <= minutes <= {MAX_ITEM_MINUTES}")
        if not (key or title.strip()):
            raise fail("an item has neither a key nor a title")
        fixed = raw.get("fixed_time")
        items.append(
            TemplateItem(
                key=key,
                title=title,
                minutes=minutes,
                min_minutes=minimum,
                kind=ItemKind(raw["kind"]),
                per_structure=bool(raw.get("per_structure")),
                fixed_time=dt.time.fromisoformat(fixed) if fixed else None,
            )
        )
    if not items:
        raise fail("no items")
    end = doc.get("end")
    return Template(
        name=name,
        session=SessionKind(doc["session"]),
        variant=str(doc["variant"]),
        start=dt.time.fromisoformat(doc["start"]),
        end=dt.time.fromisoformat(end) if end else None,
        items=tuple(items),
        own_name=str(doc.get("own_name", "")),
    )


# --- a workspace's own templates ----------------------------------------------------

_ITEM_KINDS = frozenset(kind.value for kind in ItemKind)

OWN_PREFIX = "espace-"
"""A workspace template's name starts with this, so it never takes a shipped one's."""


def own_templates_dir(root: Path) -> Path:
    return root / "templates"


def own_template_name(name: str) -> str:
    """The file name of a facilitator's template: its name folded to letters and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60]
    if not slug:
        raise InvalidInput("domain.error.empty_name", "name")
    return OWN_PREFIX + slug


def own_templates(root: Path, kind: SessionKind | None = None) -> list[Template]:
    """The templates the workspace's facilitators saved, in name order (of one kind if
    given). A file that does not read as a template is skipped, never rewritten."""
    folder = own_templates_dir(root)
    found: list[Template] = []
    for path in sorted(folder.glob(f"{OWN_PREFIX}*.json")):  # none if there is no folder
        try:
            template = _parse_template(path.stem, json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if kind is None or template.session == kind:
            found.append(template)
    return sorted(found, key=lambda tpl: tpl.own_name.casefold())


def template_doc(template: Template) -> dict[str, Any]:
    """A template as its file holds it (the shipped templates' format)."""

    def item(raw: TemplateItem) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "key": raw.key,
            "minutes": raw.minutes,
            "min_minutes": raw.min_minutes,
            "kind": raw.kind.value,
        }
        if raw.title:
            doc["title"] = raw.title
        if raw.per_structure:
            doc["per_structure"] = True
        if raw.fixed_time is not None:
            doc["fixed_time"] = raw.fixed_time.isoformat(timespec="minutes")
        return doc

    return {
        "session": template.session.value,
        "variant": template.variant,
        "own_name": template.own_name,
        "start": template.start.isoformat(timespec="minutes"),
        "end": template.end.isoformat(timespec="minutes") if template.end else None,
        "items": [item(i) for i in template.items],
    }


def template_from_agenda(name: str, kind: SessionKind, day: Day) -> Template:
    """An agenda as a template: a round table's slots become one round-table item (with
    one slot's minutes), laid out again for the structures of whichever cohort uses it."""
    items: list[TemplateItem] = []
    index = 0
    while index < len(day.items):
        block = round_table(day.items, index)
        item = day.items[block.start]
        items.append(
            TemplateItem(
                key=item.key,
                title=item.title,
                minutes=item.minutes,
                min_minutes=min(item.min_minutes, item.minutes),
                kind=ItemKind(item.kind) if item.kind in _ITEM_KINDS else ItemKind.PLENARY,
                per_structure=item.per_structure,
                fixed_time=item.fixed_time,
            )
        )
        index = block.stop
    if not items:
        raise InvalidInput("agenda.error.empty_template", "name")
    return Template(
        name=own_template_name(name),
        session=kind,
        variant="own",
        start=day.start,
        end=day.end,
        items=tuple(items),
        own_name=" ".join(name.split()),
    )


def template_items(kind: SessionKind) -> list[TemplateItem]:
    """The items a facilitator can add to a session of ``kind``: every item of its
    templates, once each (by key), in the order the default template gives them."""
    seen: dict[str, TemplateItem] = {}
    for template in templates(kind):
        for item in template.items:
            seen.setdefault(item.key, item)
    return list(seen.values())


def from_template_item(item: TemplateItem, structures: Sequence[Structure]) -> list[AgendaItem]:
    """One template item as agenda items: a round table gives one slot per structure."""
    owners: Sequence[str | None] = (
        [s.id for s in structures] if item.per_structure and structures else [None]
    )
    return [
        AgendaItem(
            key=item.key,
            title=item.title,
            minutes=item.minutes,
            min_minutes=item.min_minutes,
            kind=item.kind.value,
            per_structure=item.per_structure,
            fixed_time=item.fixed_time,
            structure_id=owner,
        )
        for owner in owners
    ]


FREE_ITEM_MINIMUM = 2 / 3
"""A facilitator's own item may shrink to two thirds of its minutes when the day is
re-planned, about what the guidance's items allow (45 → 30, 75 → 50)."""


def free_item(title: str, minutes: int, kind: ItemKind = ItemKind.PLENARY) -> AgendaItem:
    """An item the facilitator names: their title, their minutes."""
    name = " ".join(title.split())
    if not name:
        raise InvalidInput("agenda.error.empty_title", "title")
    check_minutes(minutes)
    return AgendaItem(
        title=name,
        minutes=minutes,
        min_minutes=int(minutes * FREE_ITEM_MINIMUM),
        kind=kind.value,
    )


def instantiate(template: Template, structures: Sequence[Structure]) -> list[AgendaItem]:
    """The template as a session's own agenda, for these structures, in their order.

    A per-structure item becomes one slot per structure (``structure_id`` set, the
    template's per-slot minutes). With no structure yet, one unassigned slot is kept
    so the round table stays visible in the plan and its time is counted.
    """
    return [slot for item in template.items for slot in from_template_item(item, structures)]


# --- titles -------------------------------------------------------------------


def item_title(
    item: AgendaItem,
    structure_names: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> str:
    """The title to show: the facilitator's own wording, else the template's.

    A structure's slot adds the structure's name, looked up at display time so a
    renamed structure is shown by its new name; a slot whose structure is gone
    falls back to the plain title rather than showing an id.
    """
    if item.title:
        return item.title
    base = t(f"agenda.item.{item.key}" if item.key else "agenda.item.untitled", lang)
    name = (structure_names or {}).get(item.structure_id or "")
    return t("agenda.slot", lang, title=base, structure=name) if name else base


def minimum_warnings(
    items: Sequence[AgendaItem],
    structure_names: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> list[str]:
    """One sentence per item planned below its advised minimum.

    Below the minimum is allowed (the facilitator knows the group, and a live
    agenda must be squeezable), so it is flagged rather than refused.
    """
    return [
        t(
            "agenda.warning.below_minimum",
            lang,
            title=item_title(item, structure_names, lang),
            minutes=item.minutes,
            min=item.min_minutes,
        )
        for item in items
        if item.minutes < item.min_minutes
    ]


# --- planning -------------------------------------------------------------------


def minute_of_day(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def clock_time(minute: int) -> dt.time:
    """A minute of the session's day as a clock time (past midnight wraps around)."""
    minute %= 24 * 60
    return dt.time(minute // 60, minute % 60)


@dataclass(frozen=True)
class PlannedItem:
    """An item placed on the clock.

    Times are kept as minutes of the session's day so they can be compared and
    subtracted (an evening session may run past 24:00); ``start``/``end`` are the
    clock times to show. ``slack_before`` is only non-zero before a fixed time:
    positive minutes of gap, or negative minutes by which the items before overrun it.
    """

    index: int
    item: AgendaItem
    start_minute: int
    end_minute: int
    slack_before: int = 0

    @property
    def start(self) -> dt.time:
        return clock_time(self.start_minute)

    @property
    def end(self) -> dt.time:
        return clock_time(self.end_minute)

    @property
    def below_minimum(self) -> bool:
        return self.item.minutes < self.item.min_minutes


def plan(items: Sequence[AgendaItem], start: dt.time) -> list[PlannedItem]:
    """Each item's start and end, one after the other from ``start``.

    A fixed time holds: that item starts then, whatever came before, and the gap
    (or the overrun) is shown on it as ``slack_before`` so the facilitator sees
    where the day is too tight instead of a silently shifted lunch.
    """
    planned: list[PlannedItem] = []
    cursor = minute_of_day(start)
    for index, item in enumerate(items):
        slack = 0
        if item.fixed_time is not None:
            fixed = minute_of_day(item.fixed_time)
            slack, cursor = fixed - cursor, fixed
        planned.append(PlannedItem(index, item, cursor, cursor + item.minutes, slack))
        cursor += item.minutes
    return planned


def planned_minutes(items: Sequence[AgendaItem], start: dt.time) -> int:
    """From the start to the end of the last item, slack before fixed times included."""
    planned = plan(items, start)
    return planned[-1].end_minute - minute_of_day(start) if planned else 0


def end_time(items: Sequence[AgendaItem], start: dt.time) -> dt.time:
    return clock_time(minute_of_day(start) + planned_minutes(items, start))


def end_slack(items: Sequence[AgendaItem], start: dt.time, end: dt.time) -> int:
    """Minutes left before a fixed end of day (negative: the plan runs past it)."""
    return minute_of_day(end) - minute_of_day(start) - planned_minutes(items, start)


# --- editing (each returns a new list) ----------------------------------------


def _check_position(index: int, count: int) -> None:
    if not 0 <= index < count:
        raise InvalidInput("agenda.error.bad_position", "position", value=index + 1, count=count)


def check_minutes(minutes: int) -> int:
    """An item's minutes: at least one, at most a working day."""
    require_duration(minutes)
    if minutes > MAX_ITEM_MINUTES:
        raise InvalidInput("agenda.error.too_long", "minutes", value=minutes, max=MAX_ITEM_MINUTES)
    return minutes


def insert(items: Sequence[AgendaItem], index: int, item: AgendaItem) -> list[AgendaItem]:
    """``item`` placed at ``index`` (``len(items)`` appends)."""
    _check_position(index, len(items) + 1)
    check_minutes(item.minutes)
    return [*items[:index], item, *items[index:]]


def delete(items: Sequence[AgendaItem], index: int) -> list[AgendaItem]:
    _check_position(index, len(items))
    return [*items[:index], *items[index + 1 :]]


def move(items: Sequence[AgendaItem], index: int, to: int) -> list[AgendaItem]:
    """The item at ``index`` moved so that it ends up at position ``to``."""
    _check_position(index, len(items))
    _check_position(to, len(items))
    moved = list(items)
    moved.insert(to, moved.pop(index))
    return moved


def resize(items: Sequence[AgendaItem], index: int, minutes: int) -> list[AgendaItem]:
    """New minutes for one item; below its minimum is accepted (see ``minimum_warnings``).

    A facilitator's own item keeps its minimum in proportion (see ``free_item``); a
    template item keeps the guidance's."""
    _check_position(index, len(items))
    check_minutes(minutes)
    if items[index].key:
        return _replace(items, index, minutes=minutes)
    return _replace(items, index, minutes=minutes, min_minutes=int(minutes * FREE_ITEM_MINIMUM))


def rename(items: Sequence[AgendaItem], index: int, title: str) -> list[AgendaItem]:
    """The facilitator's own title; an empty one brings the template's title back."""
    _check_position(index, len(items))
    return _replace(items, index, title=" ".join(title.split()))


def pin(items: Sequence[AgendaItem], index: int, fixed_time: dt.time | None) -> list[AgendaItem]:
    """Pin an item to a clock time (lunch, a guest's slot), or unpin it with ``None``."""
    _check_position(index, len(items))
    return _replace(items, index, fixed_time=fixed_time)


def round_table(items: Sequence[AgendaItem], index: int) -> range:
    """The positions of the round table the item at ``index`` belongs to (just ``index``
    for an item that is not a structure's slot): its neighbours with the same title."""
    _check_position(index, len(items))
    item = items[index]
    if not item.per_structure:
        return range(index, index + 1)

    def same(other: AgendaItem) -> bool:
        return other.per_structure and (other.key, other.title) == (item.key, item.title)

    first, last = index, index
    while first > 0 and same(items[first - 1]):
        first -= 1
    while last + 1 < len(items) and same(items[last + 1]):
        last += 1
    return range(first, last + 1)


def set_round_table(
    items: Sequence[AgendaItem], index: int, structures: Sequence[Structure], on: bool
) -> list[AgendaItem]:
    """Make an item a round table, one slot per structure with the item's minutes each
    (``on``), or fold a round table back into one item with one slot's minutes."""
    block = round_table(items, index)
    item = items[block.start]
    if on == item.per_structure:
        return list(items)
    if on:
        owners: Sequence[str | None] = [s.id for s in structures] or [None]
        slots = [
            dataclasses.replace(
                item,
                id=new_id() if rank else item.id,
                per_structure=True,
                structure_id=owner,
                kind=ItemKind.ROUND_TABLE.value,
                fixed_time=item.fixed_time if rank == 0 else None,
            )
            for rank, owner in enumerate(owners)
        ]
    else:
        slots = [dataclasses.replace(item, per_structure=False, structure_id=None)]
    return [*items[: block.start], *slots, *items[block.stop :]]


def with_slot_for(items: Sequence[AgendaItem], structure_id: str) -> list[AgendaItem]:
    """The agenda with a slot for a structure that joined: one more at the end of each
    round table laid out per structure, as long as the others' (an unassigned slot, kept
    while a cohort had no structure, becomes the structure's own)."""
    out = list(items)
    index = 0
    while index < len(out):
        block = round_table(out, index)
        last = out[block.stop - 1]
        if last.per_structure and structure_id not in {out[i].structure_id for i in block}:
            if last.structure_id is None and len(block) == 1:
                out[block.start] = dataclasses.replace(last, structure_id=structure_id)
            else:
                slot = dataclasses.replace(
                    last, id=new_id(), structure_id=structure_id, fixed_time=None
                )
                out.insert(block.stop, slot)
                index = block.stop + 1
                continue
        index = block.stop
    return out


def without_slots_of(items: Sequence[AgendaItem], structure_id: str) -> list[AgendaItem]:
    """The agenda without the slots of a structure that left the cohort."""
    return [
        item for item in items if not (item.per_structure and item.structure_id == structure_id)
    ]


def _replace(items: Sequence[AgendaItem], index: int, **changes: Any) -> list[AgendaItem]:
    edited = list(items)
    edited[index] = dataclasses.replace(edited[index], **changes)
    return edited


# --- what an edit may not do ------------------------------------------------------

DAY_MINUTES = 24 * 60


def _order_problem(planned: Sequence[PlannedItem], start: int) -> PlannedItem | None:
    """The first item that would start before the session or before the item ahead of it
    (a fixed time pinned too early): the plan must read from top to bottom."""
    previous = start - 1
    for item in planned:
        if item.start_minute <= previous:
            return item
        previous = item.start_minute
    return None


def overrun(items: Sequence[AgendaItem], start: dt.time, end: dt.time | None) -> int:
    """Minutes by which the plan runs past the end of its day: the session's fixed end,
    or midnight for a session that simply ends after its last item."""
    limit = minute_of_day(end) if end is not None else DAY_MINUTES
    return max(0, minute_of_day(start) + planned_minutes(items, start) - limit)


@dataclass(frozen=True)
class Day:
    """A session's agenda with the hours it is planned on."""

    items: Sequence[AgendaItem]
    start: dt.time
    end: dt.time | None  # the fixed end of day, if any


def check_agenda(before: Day, after: Day, structure_names: Mapping[str, str] | None = None) -> None:
    """Refuse an edit (``before`` → ``after``) that makes the day impossible, as bad input.

    Impossible is: an item that would start before the session or before the item above
    it (a fixed time out of order), or a plan that runs past the end of the day (its
    fixed end, else midnight). Only what the edit makes worse is refused, so an agenda
    laid out too long for its day (a full-day template for twelve structures) can still
    be shortened item by item.
    """
    problem = _order_problem(plan(after.items, after.start), minute_of_day(after.start))
    if (
        problem is not None
        and _order_problem(plan(before.items, before.start), minute_of_day(before.start)) is None
    ):
        raise InvalidInput(
            "agenda.error.out_of_order",
            "time",
            title=item_title(problem.item, structure_names),
            time=problem.start.strftime("%H:%M"),
            position=problem.index + 1,
        )
    late = overrun(after.items, after.start, after.end)
    if late > overrun(before.items, before.start, before.end):
        key = "agenda.error.past_end" if after.end is not None else "agenda.error.past_midnight"
        raise InvalidInput(
            key,
            "minutes",
            end=(after.end or dt.time()).strftime("%H:%M"),
            minutes=late,
        )


# --- squeezing ------------------------------------------------------------------


def squeeze(items: Sequence[AgendaItem], available: int) -> tuple[list[int], int]:
    """New minutes so the items fit in ``available`` minutes, and the minutes still missing.

    Items that fit keep their minutes (nothing is stretched). Otherwise each item
    gives up time in proportion to its room above its minimum, so short items the
    guidance says cannot shrink are not cut like long ones; nothing goes below its
    minimum (an item already below it stays as it is). The slots of one round table
    (per-structure items with the same key) shrink as one block, then split what
    the block keeps into equal shares, the spare minutes going to the first slots,
    so the structures still to speak are treated alike. When even the minimums do
    not fit, every item is at its minimum and the second value says by how much.
    """
    minutes = [item.minutes for item in items]
    deficit = sum(minutes) - available
    if deficit <= 0:
        return minutes, 0
    floors = [min(item.minutes, item.min_minutes) for item in items]
    blocks = _blocks(items)
    room = [sum(minutes[i] - floors[i] for i in block) for block in blocks]
    total_room = sum(room)
    if deficit >= total_room:
        return floors, deficit - total_room

    shares = [divmod(deficit * r, total_room) for r in room]
    cuts = [whole for whole, _ in shares]
    leftover = deficit - sum(cuts)
    by_remainder = sorted(range(len(blocks)), key=lambda b: (-shares[b][1], b))
    for b in by_remainder[:leftover]:
        cuts[b] += 1

    new = list(minutes)
    for block, cut in zip(blocks, cuts, strict=True):
        if cut == 0:
            continue
        if len(block) == 1:
            new[block[0]] -= cut
            continue
        keep = sum(minutes[i] for i in block) - cut - sum(floors[i] for i in block)
        each, spare = divmod(keep, len(block))
        for rank, i in enumerate(block):
            new[i] = floors[i] + each + (1 if rank < spare else 0)
    return new, 0


def _blocks(items: Sequence[AgendaItem]) -> list[list[int]]:
    """Indexes grouped into the units that shrink together: a round table, or one item."""
    blocks: list[list[int]] = []
    tables: dict[tuple[str, str], list[int]] = {}
    for i, item in enumerate(items):
        if item.per_structure:
            name = (item.key, item.title)
            if name not in tables:
                tables[name] = []
                blocks.append(tables[name])
            tables[name].append(i)
        else:
            blocks.append([i])
    return blocks
