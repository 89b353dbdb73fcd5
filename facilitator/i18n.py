"""Message catalogues: every word shown or exported comes from ``data/i18n``.

Catalogues are split by area (``data/i18n/<lang>/<area>.json``) and keys are
``area.key``. A text said in more than one place is written once, in a shared area:
``word`` for the glossary's words and the headings several tables or forms use,
``key`` for what a key does and the keys' names, ``format`` for dates, units and
separators, ``domain`` for the records' values (a lever, a session kind, a presence).
The other areas hold what one part of the program alone says. French is the
default; English is complete (tests check both catalogues hold the same keys and
placeholders, and that no text is written under two keys).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import TYPE_CHECKING

from facilitator.resources import data_dir

if TYPE_CHECKING:
    from babel import Locale

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_current = DEFAULT_LANGUAGE


class UnknownLanguage(ValueError):
    pass


def resolve_language(explicit: str | None = None) -> str:
    """The language asked for: the flag, else ``$FACILITATOR_LANG``, else French."""
    lang = (explicit or os.environ.get("FACILITATOR_LANG") or DEFAULT_LANGUAGE).strip().lower()
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    return lang


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    _current = lang


def language() -> str:
    return _current


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed ``area.key``."""
    import json

    messages: dict[str, str] = {}
    for path in sorted((data_dir() / "i18n" / lang).glob("*.json")):
        area = path.stem
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            messages[f"{area}.{key}"] = text
    return messages


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The message ``key`` in the current language, formatted with ``values``.

    A missing key is a programming error caught by the catalogue tests; at run
    time it shows the key itself rather than crashing in front of a group.
    """
    text = catalogue(lang or _current).get(key)
    if text is None:
        return key
    return text.format(**values) if values else text


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale  # CLDR's data, loaded once, when a number is first written

    return Locale.parse(lang)


def _rounded(value: float, digits: int) -> Decimal:
    """``value`` to ``digits`` decimals, half to even as CLDR writes it, without the
    trailing zeros: the number a reader sees, which is also the one a plural counts."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
    return rounded.normalize() if rounded else Decimal(0)


def number(value: float, lang: str | None = None, digits: int = 2) -> str:
    """A quantity as people write it: ``10``, ``9,5`` in French, ``9.5`` in English
    (CLDR's separators, through Babel), to at most ``digits`` decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(
        format_decimal(_rounded(value, digits), format=pattern, locale=_locale(lang or _current))
    )


def duration(minutes: int, lang: str | None = None) -> str:
    """A length of time as a programme reads it: « 45 min », « 3 h », « 7 h 50 »."""
    hours, rest = divmod(max(int(minutes), 0), 60)
    if not hours:
        return t("format.duration.minutes", lang, minutes=rest)
    if not rest:
        return t("format.duration.hours", lang, hours=hours)
    return t("format.duration.hours_minutes", lang, hours=hours, minutes=rest)


def plural(
    key: str, count: float, lang: str | None = None, /, *, digits: int = 2, **values: object
) -> str:
    """``key.one``, ``key.other`` (or ``key.many``...) for ``count``, as CLDR's rules
    for the language count it: French keeps the singular below 2 (« 0 jour »,
    « 1,5 jour »), English only for 1, and a form a catalogue lacks is ``other``.

    ``count`` is written as :func:`number` writes it, to ``digits`` decimals, and the
    form follows the number as written: « 1 day » for 1.04 to a tenth.
    """
    lang = lang or _current
    values.setdefault("count", number(count, lang, digits) if isinstance(count, float) else count)
    form = _locale(lang).plural_form(_rounded(count, digits))
    chosen = f"{key}.{form}"
    return t(chosen if chosen in catalogue(lang) else f"{key}.other", lang, **values)


def and_list(items: Sequence[str], lang: str | None = None) -> str:
    """« a, b et c », « a, b, and c »: items listed as CLDR says the language does."""
    from babel.lists import format_list

    return str(format_list(list(items), locale=_locale(lang or _current))) if items else ""


def day_count(value: float, lang: str | None = None) -> str:
    """A number of days, to a tenth, with its word: « 4,5 jours », « 1 jour », « 4.5 days »."""
    return plural("format.unit.day", value, lang, digits=1)


class Lazy(str):
    """A catalogue key written where no language is known yet (a key's description in a
    class body, read at import): the screens look it up each time they show it, in the
    language of that moment. Shown untranslated, it reads as its key, plainly wrong."""

    values: dict[str, object]

    def __new__(cls, key: str, values: dict[str, object]) -> Lazy:
        made = super().__new__(cls, key)
        made.values = values
        return made

    @property
    def key(self) -> str:
        return str.__str__(self)

    def text(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.values)


def lazy(key: str, **values: object) -> Lazy:
    """``key``, to be looked up when shown: for text declared in a class body."""
    return Lazy(key, values)


def spoken(text: str, lang: str | None = None) -> str:
    """``text`` as shown: a :class:`Lazy` key looked up now, any other text as it is."""
    return text.text(lang) if isinstance(text, Lazy) else text


class Explained(Exception):
    """A problem to show to a person: a catalogue key and its values.

    The sentence is built when shown, in the language of the moment, and says
    what is wrong and what to do.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    @property
    def message(self) -> str:
        return t(self.key, **self.values)

    def __str__(self) -> str:
        return self.message
