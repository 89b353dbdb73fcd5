"""The language is looked up when text is shown, never frozen when a module is read.

Key descriptions are declared in class bodies, read at import, before the command line
has chosen a language: they hold lazy keys, and every screen describes its keys in the
language of the moment, in the footer, the help screen and the command palette alike.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from facilitator.i18n import and_list, day_count, lazy, number, plural, set_language, spoken, t
from facilitator.workspace import Workspace
from screens.base import Speaking, spoken_binding
from screens.dashboard import DashboardScreen
from screens.help import HelpScreen
from tests.conftest import ROOT, make_app
from tests.helpers.screens import our_screens


def class_body_calls(path: Path) -> list[str]:
    """The ``t(...)`` and ``plural(...)`` calls of a file that run when its classes are
    defined: at import, before any language is chosen."""
    found = []
    for cls in (
        n for n in ast.walk(ast.parse(path.read_text("utf-8"))) if isinstance(n, ast.ClassDef)
    ):
        for statement in cls.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for node in ast.walk(statement):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in {"t", "plural", "duration", "number"}
                ):
                    found.append(f"{path.name}:{node.lineno} {cls.name}")
    return found


def test_no_class_body_looks_up_a_text() -> None:
    files = sorted(
        [*ROOT.joinpath("screens").rglob("*.py"), *ROOT.joinpath("facilitator").rglob("*.py")]
    )
    assert [call for path in files for call in class_body_calls(path)] == []


def test_every_screen_of_the_app_describes_its_keys_in_the_language_of_the_moment() -> None:
    ours = our_screens()
    assert len(ours) > 20
    assert sorted(c.__qualname__ for c in ours if not issubclass(c, Speaking)) == []


def test_a_lazy_key_is_looked_up_each_time_it_is_shown() -> None:
    text = lazy("format.plus_minutes", minutes=5)
    assert text.key == "format.plus_minutes"
    assert spoken(text) == t("format.plus_minutes", minutes=5) == "+5 min"
    set_language("en")
    assert spoken(text) == t("format.plus_minutes", "en", minutes=5)
    assert spoken("Copy") == "Copy"  # Textual's own text is shown as it is


def test_a_binding_s_group_is_spoken_too() -> None:
    from screens.agenda_editor import AgendaEditorScreen

    group = AgendaEditorScreen._RESIZE
    [resize] = [b for b in AgendaEditorScreen.BINDINGS if getattr(b, "group", None) is group][:1]
    set_language("en")
    shown = spoken_binding(resize)
    assert shown.group is not None
    assert shown.group.description == t("agenda_editor.key.resize", "en", minutes=5)
    assert shown.description == t("format.plus_minutes", "en", minutes=5)


def footer_words(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(key.description) for key in app.screen.query(FooterKey) if key.description}


def help_words(app) -> set[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#keys", DataTable)
    return {str(table.get_row_at(i)[1]) for i in range(table.row_count)}


def palette_words(app) -> set[str]:  # type: ignore[no-untyped-def]
    """Each command's name: the first line of its option (its help is the second)."""
    options = app.screen.query_one(CommandList).options
    return {getattr(o.prompt, "plain", str(o.prompt)).split("\n")[0] for o in options}


async def test_switching_language_in_one_process_changes_footer_help_and_palette(
    small_workspace: Workspace,
) -> None:
    app = make_app(small_workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)

        seen: dict[str, tuple[set[str], set[str], set[str]]] = {}
        for lang in ("fr", "en", "fr"):
            set_language(lang)
            app.screen.refresh_bindings()
            await pilot.pause()
            footer = footer_words(app)
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            helped = help_words(app)
            await pilot.press("escape")
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            palette = palette_words(app)
            await pilot.press("escape")
            await pilot.pause()
            seen.setdefault(lang, (footer, helped, palette))
            assert seen[lang] == (footer, helped, palette)  # back to French, French again

            quit_, help_ = t("key.quit", lang), t("key.help", lang)
            assert help_ in footer and {quit_, help_} <= helped
            assert {quit_, help_} <= palette
        assert t("key.quit", "en") != t("key.quit", "fr")
        for french, english in zip(seen["fr"], seen["en"], strict=True):
            assert french != english
            assert not {w for w in french | english if "." in w and w == w.lower() and " " not in w}


@pytest.fixture
def small_workspace(small_cohort, workspace: Workspace) -> Workspace:  # type: ignore[no-untyped-def]
    return workspace


def test_concerns_are_worded_in_the_language_asked_whatever_the_process_speaks(
    small_cohort,  # type: ignore[no-untyped-def]
) -> None:
    from facilitator.rules import concerns
    from facilitator.view import CohortView

    view = CohortView.load(small_cohort)
    args = (view.cohort, view.structures, view.participants, view.sessions)
    french = concerns(*args, today=dt.date(2026, 11, 26))
    english = concerns(*args, today=dt.date(2026, 11, 26), lang="en")
    assert [f.code for f in french] == [f.code for f in english] and french
    assert all(fr.message != en.message for fr, en in zip(french, english, strict=True))
    set_language("en")
    assert concerns(*args, today=dt.date(2026, 11, 26)) == english


def test_an_export_in_another_language_leaves_the_process_language_alone(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save or a poll running on another thread keeps speaking French while a bilan
    is written in English: nothing switches the process's language."""
    import facilitator.i18n as i18n
    from facilitator.bilan_export import export_bilan, export_report
    from facilitator.document import markdown_escape
    from facilitator.view import CohortView

    switched: list[str] = []
    monkeypatch.setattr(i18n, "set_language", switched.append)
    view = CohortView.load(demo_workspace.find(None))
    today = dt.date(2026, 11, 26)
    structure = view.structures[0]
    english = export_bilan(view, structure.id, today=today, lang="en").decode()
    report = export_report(view, today=today, lang="en").decode()
    assert switched == [] and i18n.language() == "fr"
    french = export_bilan(view, structure.id, today=today, lang="fr").decode()
    assert english != french
    french_report = export_report(view, today=today, lang="fr").decode()
    said = [markdown_escape(f"{f.message} {f.advice}") for f in concerns_of(view, today)]
    assert said and all(sentence in french_report for sentence in said)
    assert not any(sentence in report or sentence in english for sentence in said)
    for concern in concerns_of(view, today, "en"):
        assert markdown_escape(f"{concern.message} {concern.advice}") in report


def concerns_of(view, today: dt.date, lang: str = "fr"):  # type: ignore[no-untyped-def]
    from facilitator.rules import concerns

    return concerns(
        view.cohort, view.structures, view.participants, view.sessions, today=today, lang=lang
    )


# --- numbers and plurals, as CLDR writes and counts them --------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "digits", "written"),
    [
        (9.5, "fr", 2, "9,5"),
        (9.5, "en", 2, "9.5"),
        (10.0, "fr", 2, "10"),
        (2.25, "fr", 2, "2,25"),
        (2.25, "fr", 1, "2,2"),  # to a tenth, half to even as CLDR rounds
        (1.04, "en", 1, "1"),
        (7.0, "fr", 0, "7"),
        (1234.5, "fr", 1, "1\u202f234,5"),  # French groups thousands with a narrow space
        (1234.5, "en", 1, "1,234.5"),
    ],
)
def test_a_number_is_written_as_the_language_writes_it(
    value: float, lang: str, digits: int, written: str
) -> None:
    assert number(value, lang, digits) == written


@pytest.mark.parametrize(
    ("value", "lang", "said"),
    [
        (0.0, "fr", "0 jour"),
        (1.0, "fr", "1 jour"),
        (1.5, "fr", "1,5 jour"),
        (1.96, "fr", "2 jours"),  # counted as written, to a tenth: 2
        (2.0, "fr", "2 jours"),
        (0.0, "en", "0 days"),
        (1.0, "en", "1 day"),
        (1.04, "en", "1 day"),  # written « 1 »: one day, not « 1 days »
        (1.5, "en", "1.5 days"),
    ],
)
def test_days_are_counted_as_each_language_counts(value: float, lang: str, said: str) -> None:
    assert day_count(value, lang) == said


def test_a_plural_form_a_catalogue_lacks_is_its_other_form() -> None:
    """CLDR gives French a « many » form for whole millions; the catalogues say « other »."""
    assert plural("format.unit.day", 1_000_000, "fr") == "1000000 jours"
    assert plural("format.unit.day", 1_000_000.0, "fr") == "1\u202f000\u202f000 jours"


def test_integers_are_counted_without_being_rewritten() -> None:
    assert plural("format.unit.day", 1, "en") == "1 day"
    assert plural("format.unit.day", 2, "en") == "2 days"
    assert plural("format.unit.day", 0, "fr") == "0 jour"


def test_a_list_is_joined_as_each_language_joins_it() -> None:
    assert and_list([], "fr") == ""
    assert and_list(["Intro"], "fr") == "Intro"
    assert and_list(["Intro", "S1"], "fr") == "Intro et S1"
    assert and_list(["Intro", "S1", "S2"], "fr") == "Intro, S1 et S2"
    assert and_list(["Intro", "S1", "S2"], "en") == "Intro, S1, and S2"
    set_language("en")
    assert and_list(["Intro", "S1"]) == "Intro and S1"
