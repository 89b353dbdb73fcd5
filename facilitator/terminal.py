"""Text from the data, made safe to print on a terminal: the one sanitiser.

A participant's name or a note is typed by people, imported from spreadsheets, or
written by whoever can reach the workspace. Printed raw, an escape sequence in it
would act on the facilitator's terminal: set the window title, clear the screen,
plant an OSC 8 link, ring the bell; a right-to-left override would make a line
read differently from what it says. Every value from the data that the command
line prints (``list``, ``review``, ``forget``, ``check``, an export shown in a
terminal, errors that quote a value) goes through :func:`visible` first, Rich
output included: Rich drops a few control characters but lets ESC through.

Control characters are shown, not dropped, so the person sees that something odd
is in the data: C0 ones as their Unicode control pictures (ESC as ␛, BEL as ␇),
DEL as ␡, and the others (C1, bidirectional overrides and isolates, line and
paragraph separators) as ⟨U+202E⟩.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
SHOWN_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def _shown(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"⟨U+{code:04X}⟩"


def unsafe(char: str) -> bool:
    return char in BIDI_CONTROLS or unicodedata.category(char) in SHOWN_CATEGORIES


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character shown visibly; those in ``keep`` (a
    newline in a multi-line note, the tab between two fields) are printed as they are."""
    if text.isprintable() and not BIDI_CONTROLS.intersection(text):
        return text  # the common case, at C speed
    return "".join(c if c in keep or not unsafe(c) else _shown(c) for c in text)


__all__ = ["visible"]
