"""Names folded, found and clipped: the one text module the command line, the capture
line, the board and the exports compare and cut names with."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from facilitator.domain import InvalidInput
from facilitator.i18n import set_language
from facilitator.text import NAMES_SHOWN, clip, fit, fold, match_one, some_names


@dataclass(frozen=True)
class Item:
    id: str
    name: str


def find(query: str, *items: Item) -> Item:
    return match_one(query, items, name=lambda i: i.name, ident=lambda i: i.id, what="structure")


def refusal(query: str, *items: Item) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        find(query, *items)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Vélo-École", "velo ecole"),
        ("VELO_ECOLE", "velo ecole"),
        ("  velo   ecole  ", "velo ecole"),
        ("Cœur d'Œuvre", "coeur d oeuvre"),
        ("Æsop", "aesop"),
        ("İstanbul", "istanbul"),  # casefold brings a combining dot back: stripped too
        ("Straße", "strasse"),  # casefold, not lower
        ("L'Épi — Café", "l epi cafe"),
        ("ﬁn", "fin"),  # compatibility forms (NFKD), not just accents
        ("", ""),
        ("« ! »", ""),
    ],
)
def test_a_name_is_folded_without_case_accents_or_punctuation(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_text_that_fits_is_kept_whole_and_longer_text_ends_in_an_ellipsis() -> None:
    assert clip("Jardins", 7) == "Jardins"
    assert clip("Jardins", 6) == "Jardi…"
    assert clip("Jardins", 1) == "…"
    assert clip("", 0) == ""


def test_a_clipped_text_loses_the_space_before_its_ellipsis() -> None:
    assert clip("Les Jardins", 5) == "Les…"


def test_wide_characters_are_clipped_by_the_cells_they_take() -> None:
    """A CJK character takes two cells: four of them need eight."""
    assert clip("漢字漢字", 8) == "漢字漢字"
    assert clip("漢字漢字", 7) == "漢字漢…"
    assert clip("漢字漢字", 6) == "漢字…"


def test_fit_pads_short_text_and_clips_long_text_to_the_column() -> None:
    assert fit("Vélo", 6) == "Vélo  "
    assert fit("Vélo-École", 6) == "Vélo-…"
    assert fit("漢字", 5) == "漢字 "
    assert fit("Vélo", 4) == "Vélo"


JARDINS = Item("a1b2c3d4", "Les Jardins")
JARDINS_PARTAGES = Item("e5f6a7b8", "Les Jardins partagés")
VELO = Item("c9d0e1f2", "Vélo-École de Crest")


def test_a_name_is_found_whatever_its_case_accents_and_punctuation() -> None:
    assert find("velo ecole de crest", JARDINS, VELO) == VELO
    assert find("VÉLO_ÉCOLE", JARDINS, VELO) == VELO


def test_an_exact_name_wins_over_a_longer_name_it_begins() -> None:
    assert find("les jardins", JARDINS, JARDINS_PARTAGES) == JARDINS


def test_the_start_of_one_name_finds_it() -> None:
    assert find("les jardins p", JARDINS, JARDINS_PARTAGES, VELO) == JARDINS_PARTAGES


def test_a_word_inside_one_name_finds_it_when_no_name_begins_with_it() -> None:
    assert find("crest", JARDINS, VELO) == VELO


def test_a_start_shared_by_two_names_is_refused_naming_both_in_order() -> None:
    error = refusal("les jard", JARDINS_PARTAGES, JARDINS, VELO)
    assert error.key == "workspace.error.ambiguous"
    assert error.values["names"] == "Les Jardins, Les Jardins partagés"
    assert error.values["query"] == "les jard"
    assert error.values["what"] == "structure"


def test_two_names_equal_once_folded_are_ambiguous_not_the_first_one() -> None:
    twin = Item("f0f0f0f0", "Les jardins")
    error = refusal("Les Jardins", JARDINS, twin)
    assert error.key == "workspace.error.ambiguous"


def test_a_word_inside_two_names_is_ambiguous() -> None:
    error = refusal("jardins", JARDINS, JARDINS_PARTAGES, VELO)
    assert error.key == "workspace.error.ambiguous"


def test_an_exact_id_finds_its_item_even_a_short_one() -> None:
    short = Item("ab", "Ateliers")
    assert find("ab", short, Item("zz", "Abeilles")) == short


def test_the_start_of_an_id_finds_it_from_four_characters() -> None:
    assert find("c9d0", JARDINS, VELO) == VELO
    assert refusal("c9d", JARDINS, VELO).key == "workspace.error.no_match"


def test_an_id_is_compared_as_typed_not_folded() -> None:
    assert refusal("C9D0", JARDINS, VELO).key == "workspace.error.no_match"


def test_nothing_found_names_what_and_the_query() -> None:
    error = refusal("Ressourcerie", JARDINS, VELO)
    assert error.key == "workspace.error.no_match"
    assert (error.values["what"], error.values["query"]) == ("structure", "Ressourcerie")
    assert "Ressourcerie" in error.message


@pytest.mark.parametrize("query", ["", "   ", "« ! »"])
def test_an_empty_query_is_refused_even_when_there_is_one_item(query: str) -> None:
    error = refusal(query, JARDINS)
    assert (error.key, error.values["what"]) == ("workspace.error.empty_query", "structure")


def test_what_is_named_in_the_person_s_language() -> None:
    with pytest.raises(InvalidInput) as caught:
        match_one("x", [JARDINS], name=lambda i: i.name, ident=lambda i: i.id, what="participant")
    assert caught.value.values["what"] == "participant·e"
    set_language("en")
    with pytest.raises(InvalidInput) as caught:
        match_one("x", [JARDINS], name=lambda i: i.name, ident=lambda i: i.id, what="participant")
    assert caught.value.values["what"] == "participant"
    assert refusal("", JARDINS).message.startswith("The structure name is empty")


def test_up_to_ten_names_are_all_listed() -> None:
    names = [f"S{i:02}" for i in range(NAMES_SHOWN)]
    assert NAMES_SHOWN == 10
    assert some_names(names) == ", ".join(names)


def test_beyond_ten_names_the_rest_are_counted() -> None:
    names = [f"S{i:02}" for i in range(NAMES_SHOWN + 3)]
    assert some_names(names) == ", ".join(names[:10]) + " et 3 autre(s)"
    assert some_names(names[:11]) == ", ".join(names[:10]) + " et 1 autre(s)"


def test_an_ambiguity_among_many_names_stays_one_sentence() -> None:
    many = [Item(f"id{i:04}", f"Jardin {i:04}") for i in range(500)]
    error = refusal("jardin", *many)
    assert error.values["names"].endswith(" et 490 autre(s)")
    assert len(error.message) < 400
