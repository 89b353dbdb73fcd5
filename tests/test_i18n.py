"""Every word on screen comes from the catalogues, and both languages are complete."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from facilitator.i18n import LANGUAGES, catalogue, t
from tests.conftest import ROOT

# Calls whose string arguments reach the screen or the terminal.
TEXT_CALLS = {
    "Static",
    "Label",
    "Button",
    "Binding",
    "notify",
    "Option",
    "Input",
    "Header",
    "Checkbox",
    "RadioButton",
    "Digits",
    "Markdown",
    "TabPane",
    "Tab",
    "add_column",
    "add_columns",
    "add_row",
    "Fail",
    "_out",
    "_err",
    "InvalidInput",
    "update",
    "Text",
    "Panel",
    "Table",
    "Rule",
    "SystemCommand",
}
# Where only some positional arguments are text (a Binding's key and action are not).
TEXT_POSITIONS = {"Binding": slice(2, 3), "SystemCommand": slice(0, 2)}
TEXT_KEYWORDS = {"label", "description", "title", "placeholder", "tooltip", "message", "prompt"}
# Literals that are not words: ids, CSS classes, key names, markup, separators.
NOT_WORDS = re.compile(r"^[\s\W\d_]*$|^[a-z0-9_.:+#-]+$|^\{.*\}$")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_hold_the_same_keys_and_placeholders() -> None:
    fr, en = catalogue("fr"), catalogue("en")
    assert set(fr) == set(en), set(fr) ^ set(en)
    for key in fr:
        assert placeholders(fr[key]) == placeholders(en[key]), key
        assert fr[key].strip() and en[key].strip(), key


def python_files() -> list[Path]:
    return sorted(
        [*ROOT.joinpath("facilitator").rglob("*.py"), *ROOT.joinpath("screens").rglob("*.py")]
    )


def call_name(node: ast.Call) -> str:
    func = node.func
    return (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_text_bypasses_the_catalogues(path: Path) -> None:
    offenders = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or call_name(node) not in TEXT_CALLS:
            continue
        positional = node.args[TEXT_POSITIONS.get(call_name(node), slice(None))]
        args = [*positional, *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]
        for arg in args:
            literals = (
                [arg]
                if isinstance(arg, ast.Constant)
                else [v for v in getattr(arg, "values", []) if isinstance(v, ast.Constant)]
            )
            for literal in literals:
                if isinstance(literal.value, str) and not NOT_WORDS.match(literal.value):
                    offenders.append(f"line {literal.lineno}: {literal.value!r}")
    assert not offenders, offenders


def literal_keys(path: Path) -> list[str]:
    """The catalogue keys a file names literally (``t("area.key")`` and the errors)."""
    keys = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and call_name(node) in {
            "t",
            "lazy",
            "InvalidInput",
            "StoreError",
        }:
            first = node.args[0] if node.args else None
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and "." in first.value
            ):
                keys.append(first.value)
    return keys


def test_every_key_used_in_code_exists() -> None:
    known = set(catalogue("fr"))
    missing = [
        f"{p.name}: {key}" for p in python_files() for key in literal_keys(p) if key not in known
    ]
    assert not missing, missing


def test_every_key_a_table_or_a_list_names_exists() -> None:
    """Keys held in a tuple or a mapping (a table's headings, the areas) are checked too:
    any string of the code that looks like a key of a catalogue's area."""
    known = set(catalogue("fr")) | {family(key) for key in catalogue("fr")}
    missing = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        fragments = {
            id(value)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for value in node.values
        }
        missing += [
            f"{path.name}:{node.lineno}: {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and id(node) not in fragments
            and isinstance(node.value, str)
            and KEY_LIKE.fullmatch(node.value)
            and node.value.split(".", 1)[0] in AREAS
            and not node.value.endswith(".tcss")
            and node.value not in known
        ]
    assert not missing, missing


def test_english_is_used_when_asked() -> None:
    assert t("domain.lever.ressources-financieres", "en") == "financial resources"
    assert t("domain.lever.ressources-financieres") == "ressources financières"
    assert LANGUAGES == ("fr", "en")


def test_durations_read_as_a_programme_says_them() -> None:
    from facilitator.i18n import duration

    assert [duration(m, "fr") for m in (45, 60, 90, 470, 605)] == [
        "45 min",
        "1 h",
        "1 h 30",
        "7 h 50",
        "10 h 05",
    ]
    assert duration(90, "en") == "1 h 30"


# --- keys built from a value: every family listed, every key named ---------------------

KEY_LIKE = re.compile(r"[a-z_]+(?:\.[\w-]+)+")


def key_families(path: Path) -> list[re.Pattern[str]]:
    """The keys a file builds from a value (``t(f"rules.{code}.message")``), as patterns:
    this is how a tool lists them, and finds the text no code names any more."""
    families = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            pattern = "".join(
                re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in node.values
            )
            area = pattern.split("\\.", 1)[0]
            if area in AREAS:
                families.append(re.compile(pattern))
    return families


def named_keys(path: Path) -> set[str]:
    """Every string of a file that looks like a key, and the plural forms of each."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and KEY_LIKE.fullmatch(node.value)
        ):
            found |= {node.value, *(f"{node.value}.{form}" for form in PLURAL_FORMS)}
    return found


PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
AREAS = {path.stem for path in (ROOT / "data" / "i18n" / "fr").glob("*.json")}


def test_every_key_built_from_a_value_names_keys_that_exist() -> None:
    known = set(catalogue("fr"))
    empty = [
        f"{p.name}: {family.pattern}"
        for p in python_files()
        for family in key_families(p)
        if not any(family.fullmatch(key) for key in known)
        and not any(family.fullmatch(f"{key}.x") for key in known)
    ]
    assert not empty, empty


def test_every_text_of_the_catalogues_is_named_by_the_code() -> None:
    """A text no code names is dead: it drifts from what the screens say, unseen."""
    literal = set().union(*(named_keys(p) for p in python_files()))
    families = [f for p in python_files() for f in key_families(p)]
    forms = [re.compile(f.pattern + r"\.(?:" + "|".join(PLURAL_FORMS) + ")") for f in families]
    unnamed = [
        key
        for key in sorted(catalogue("fr"))
        if key not in literal and not any(f.fullmatch(key) for f in [*families, *forms])
    ]
    assert not unnamed, unnamed


# --- each text once -----------------------------------------------------------------------

# French texts that mean different things, each kept under its own key on purpose.
HOMOGRAPHS = {
    "Début": "the start of an item or a session, the top of a page, the Home key",
    "Fin": "the end of a session, the bottom of a page, the End key",
    "en cours": "a cohort under way, a running clock, a task in progress",
    "Annuler": "French says undo (the agenda editor) and cancel (a form) alike",
    "Durée": "a session's length, and the key that sets an item's minutes",
    "État": "a cohort's state, a task's status",
    "Bilan": "the area, and a session's tag beside a note (« Review » in English)",
    "demi-journée": "an agenda's variant, and the choice the programme dialog offers",
}


def family(key: str) -> str:
    """A plural's forms are one text: ``x.one`` and ``x.other`` are ``x``."""
    stem, _, last = key.rpartition(".")
    return stem if last in PLURAL_FORMS else key


def test_each_text_is_written_once() -> None:
    """A word said in several places has one key (the glossary's words in ``word``, the
    keys in ``key``, the formats in ``format``), so its translation cannot drift: the
    same French under two keys is a homograph, listed with what tells its meanings apart."""
    keys: dict[str, set[str]] = {}
    for key, text in catalogue("fr").items():
        keys.setdefault(text, set()).add(family(key))
    repeated = {text: sorted(k) for text, k in keys.items() if len(k) > 1}
    assert set(repeated) - set(HOMOGRAPHS) == set(), {
        text: repeated[text] for text in set(repeated) - set(HOMOGRAPHS)
    }
    assert set(HOMOGRAPHS) <= set(repeated), set(HOMOGRAPHS) - set(repeated)
