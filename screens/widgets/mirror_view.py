"""The effet miroir across the cohort: what several structures share, and who could pair up.

Draws what ``facilitator.thread.shared_themes`` and ``peer_pairs`` found (the core
does the grouping; this only lays it out): one panel per lever, each shared frein,
condition de réussite or piste d'action headed « 3 structures partagent ce frein »
with the words they have in common and every note under its structure's name; then
the pairs of structures that share the most, to suggest actions they could carry
together. When nothing is shared yet it says so, and says when that will change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from facilitator.domain import Lever, Note, label
from facilitator.i18n import plural, t
from facilitator.text import fold
from facilitator.thread import LEVERS, SharedTheme, theme_words
from screens.widgets.bullet import Bullet
from screens.widgets.thread_view import lever_name

NOTE_MARK = "•"
PAIR_MARK = "↔"
MAX_PAIRS = 8
"""Beyond this many pairs the list stops suggesting and starts listing; the rest are counted."""


@dataclass(frozen=True)
class Mirror:
    """What the view draws: the themes, the pairs and the structures' names."""

    themes: tuple[SharedTheme, ...]
    pairs: tuple[tuple[str, str, int], ...]
    names: Mapping[str, str]


def spoken_words(theme: SharedTheme) -> list[str]:
    """The theme's words as people wrote them (« bénévoles », not the stem « benevol »).

    The core matches notes on folded, stemmed words; for each stem the first word of
    the notes that folds to it is shown instead, so the heading reads as French.
    """
    found: list[str] = []
    for stem in theme.words:
        word = next(
            (
                token
                for note in theme.notes
                for token in re.findall(r"\w+", note.text)
                if stem in theme_words(token)
            ),
            stem,
        )
        if word.lower() not in (w.lower() for w in found):
            found.append(word.lower())
    return found


def theme_heading(theme: SharedTheme) -> Content:
    """« 3 structures partagent ce frein · autour de « bénévoles » »."""
    shared = t(f"bilan.mirror.shared.{theme.kind.value}", count=theme.structures)
    words = t("bilan.list_separator").join(
        t("bilan.mirror.word", word=word) for word in spoken_words(theme)
    )
    return Content.assemble((shared, "bold"), (t("bilan.mirror.around", words=words), "dim"))


def themes_by_lever(themes: Sequence[SharedTheme]) -> dict[Lever | None, list[SharedTheme]]:
    """The themes under their lever, levers in the model's order, biggest themes first."""
    grouped: dict[Lever | None, list[SharedTheme]] = {}
    for lever in LEVERS:
        of_lever = [th for th in themes if th.lever == lever]
        if of_lever:
            grouped[lever] = of_lever
    return grouped


def note_line(note: Note, names: Mapping[str, str]) -> Content:
    name = names.get(note.structure_id or "", "")
    return Content.assemble((name, "bold"), t("bilan.mirror.says"), note.text)


def by_name(
    pairs: Sequence[tuple[str, str, int]], names: Mapping[str, str]
) -> tuple[tuple[str, str, int], ...]:
    """The pairs as people look them up: most shared first, then by the structures' names.

    The core breaks ties by id, which is stable but means nothing to a reader and
    differs between two copies of a cohort; names read the same everywhere.
    """

    def key(name_id: str) -> str:
        return fold(names.get(name_id, ""))

    ordered: list[tuple[str, str, int]] = []
    for first, second, count in pairs:
        a, b = sorted((first, second), key=key)
        ordered.append((a, b, count))
    return tuple(sorted(ordered, key=lambda p: (-p[2], key(p[0]), key(p[1]))))


def pair_themes(first: str, second: str, themes: Sequence[SharedTheme]) -> list[SharedTheme]:
    return [th for th in themes if first in th.structure_ids and second in th.structure_ids]


def pair_text(pair: tuple[str, str, int], mirror: Mirror) -> Content:
    """« L'Escale et La Musette — 2 points en commun », then what they share, dimmed."""
    first, second, count = pair
    title = t(
        "bilan.mirror.pair",
        first=mirror.names.get(first, ""),
        second=mirror.names.get(second, ""),
    )
    shared = [
        t(
            "bilan.mirror.pair_theme",
            kind=label(th.kind),
            words=t("bilan.list_separator").join(
                t("bilan.mirror.word", word=w) for w in spoken_words(th)
            ),
        )
        for th in pair_themes(first, second, mirror.themes)
    ]
    count_text = plural("bilan.mirror.pair_count", count)
    return Content.assemble(
        (title, "bold"),
        count_text,
        "\n",
        (t("bilan.list_separator").join(shared), "dim"),
    )


class MirrorView(VerticalGroup):
    """Panels of shared themes by lever, then the suggested pairs; or one plain sentence."""

    DEFAULT_CSS = """
    MirrorView {
        height: auto;
    }
    MirrorView .mirror--theme {
        height: auto;
        margin-bottom: 1;
    }
    MirrorView .mirror--theme:last-of-type {
        margin-bottom: 0;
    }
    MirrorView .mirror--notes {
        height: auto;
        padding-left: 2;
    }
    MirrorView .mirror--heading {
        height: auto;
    }
    MirrorView .mirror--hint, MirrorView .mirror--empty {
        height: auto;
        color: $text-muted;
    }
    MirrorView .mirror--pair {
        margin-top: 1;
    }
    """

    mirror: reactive[Mirror | None] = reactive(None, recompose=True)

    def compose(self) -> ComposeResult:
        mirror = self.mirror
        if mirror is None:
            return
        if not mirror.themes:
            with VerticalGroup(id="mirror-empty", classes="panel") as panel:
                panel.border_title = t("word.mirror")
                yield Static(t("bilan.mirror.empty"), classes="mirror--empty")
            return
        for lever, themes in themes_by_lever(mirror.themes).items():
            name = lever_name(lever)
            with VerticalGroup(
                id=f"mirror-{lever.value if lever else 'none'}", classes="panel"
            ) as panel:
                panel.border_title = plural("bilan.mirror.lever", len(themes), lever=name)
                for theme in themes:
                    with VerticalGroup(classes="mirror--theme"):
                        yield Static(theme_heading(theme), classes="mirror--heading")
                        with VerticalGroup(classes="mirror--notes"):
                            for note in theme.notes:
                                yield Bullet(NOTE_MARK, note_line(note, mirror.names))
        with VerticalGroup(id="mirror-pairs", classes="panel") as panel:
            panel.border_title = t("bilan.mirror.pairs", count=len(mirror.pairs))
            yield Static(t("bilan.mirror.pairs_hint"), classes="mirror--hint")
            for pair in mirror.pairs[:MAX_PAIRS]:
                yield Bullet(PAIR_MARK, pair_text(pair, mirror), classes="mirror--pair")
            if len(mirror.pairs) > MAX_PAIRS:
                yield Static(
                    t("bilan.mirror.more_pairs", count=len(mirror.pairs) - MAX_PAIRS),
                    classes="mirror--hint",
                )
