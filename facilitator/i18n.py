"""Message catalogues: every word shown or exported comes from ``data/i18n``.

Catalogues are split by area (``data/i18n/<lang>/<area>.json``) and keys are
``area.key``. French is the default; English is complete (a test checks both
catalogues hold the same keys and the same placeholders).
"""

from __future__ import annotations

import os
from functools import cache

from facilitator.resources import data_dir

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


def number(value: float, lang: str | None = None, digits: int = 2) -> str:
    """A quantity as people write it: ``10``, ``9,5`` in French, ``9.5`` in English."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(round(value))
    return text.replace(".", t("format.decimal_separator", lang))


def duration(minutes: int, lang: str | None = None) -> str:
    """A length of time as a programme reads it: « 45 min », « 3 h », « 7 h 50 »."""
    hours, rest = divmod(max(int(minutes), 0), 60)
    if not hours:
        return t("format.duration.minutes", lang, minutes=rest)
    if not rest:
        return t("format.duration.hours", lang, hours=hours)
    return t("format.duration.hours_minutes", lang, hours=hours, minutes=rest)


def plural(key: str, count: float, lang: str | None = None, /, **values: object) -> str:
    """``key.one`` or ``key.other`` for ``count``, as each language counts.

    French keeps the singular below 2 (« 0 jour », « 1,5 jour »), English only for 1.
    ``count`` is passed to the message as written by :func:`number` unless given.
    """
    lang = lang or _current
    singular = count < 2 if lang == "fr" else count == 1
    values.setdefault("count", number(count, lang) if isinstance(count, float) else count)
    return t(f"{key}.{'one' if singular else 'other'}", lang, **values)


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
