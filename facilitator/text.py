"""Text as people type and read it: names folded to compare them, one name found among
many, and text clipped to the cells a column has.

Facilitators type fast and on any keyboard, so a name is compared folded: no case,
no accents, no punctuation (« Vélo-École », ``velo ecole`` and ``VELO_ECOLE`` are one
name). The command line, the capture line, the board and the sorting all compare
names this way, so a name the board accepts is one the capture line can tell apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from rich.cells import cell_len

from facilitator.domain import InvalidInput
from facilitator.i18n import t

T = TypeVar("T")
ELLIPSIS = "…"

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``text`` lowercased, without accents, its punctuation turned into single spaces.

    Facilitators type fast and on any keyboard: « Vélo-École », ``velo ecole`` and
    ``VELO_ECOLE`` must be the same name, and ``cœur`` the same word as ``coeur``.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    # casefold can bring combining marks back (İ → i̇): strip them once more.
    bare = "".join(c for c in unicodedata.normalize("NFKD", bare) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, an ellipsis where it was cut."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def fit(text: str, width: int) -> str:
    """``text`` clipped to ``width`` cells, or padded to it: a column of equal widths."""
    clipped = clip(text, width)
    return clipped + " " * max(0, width - cell_len(clipped))


def match_one(
    query: str,
    items: Sequence[T],
    *,
    name: Callable[[T], str],
    ident: Callable[[T], str],
    what: str,
) -> T:
    """The one item whose name matches ``query`` (accents and case ignored) or
    whose id starts with it.

    An exact name wins over a prefix of a name; several candidates are an
    error that lists them, so the person can type more.
    """
    wanted = fold(query)
    what = t(f"workspace.what.{what}")
    if not wanted:
        raise InvalidInput("workspace.error.empty_query", what=what)
    exact = [i for i in items if fold(name(i)) == wanted or ident(i) == query]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or [
        i
        for i in items
        if fold(name(i)).startswith(wanted) or (len(query) >= 4 and ident(i).startswith(query))
    ]
    if not candidates:
        candidates = [i for i in items if wanted in fold(name(i))]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InvalidInput("workspace.error.no_match", what=what, query=query)
    names = some_names(sorted(name(i) for i in candidates))
    raise InvalidInput("workspace.error.ambiguous", what=what, query=query, names=names)


NAMES_SHOWN = 10


def some_names(names: Sequence[str]) -> str:
    """At most ten names, then how many more: an error among 10,000 structures stays
    a sentence, not 270 KB."""
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return t("workspace.and_more", names=shown, count=more) if more > 0 else shown
