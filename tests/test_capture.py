"""The quick-capture syntax: what a facilitator types in one line while people talk."""

from __future__ import annotations

import contextlib
import json
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from facilitator.capture import (
    KIND_PREFIXES,
    LEVER_TAGS,
    CaptureDraft,
    _markers,
    complete_mention,
    complete_tag,
    completions,
    fold,
    kind_from_word,
    mention_token,
    parse_capture,
    prefixes_for,
    syntax_help,
    tag_token,
)
from facilitator.domain import InvalidInput, Lever, Note, NoteKind, Structure
from facilitator.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent

JARDINS = Structure(
    name="Les Jardins de Cocagne", das=["Maraîchage bio", "Insertion par l'activité", "Formation"]
)
RESSOURCERIE = Structure(name="La Ressourcerie du Pays", das=["Collecte", "Boutique"])
VELO = Structure(name="Vélo-École", das=["Ateliers d'autoréparation", "Formation"])
VELO_NORD = Structure(name="Vélo-École du Nord")
THEATRE = Structure(name="Théâtre des Îles")
STRUCTURES = [JARDINS, RESSOURCERIE, VELO, VELO_NORD, THEATRE]


def parse(line: str, **kw: object) -> CaptureDraft:
    return parse_capture(line, STRUCTURES, **kw)  # type: ignore[arg-type]


def refused(line: str, structures: list[Structure] | None = None, **kw: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        cohort = STRUCTURES if structures is None else structures
        parse_capture(line, cohort, **kw)  # type: ignore[arg-type]
    return info.value


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    try:
        yield
    finally:
        set_language("fr")


# --- the brief's examples -------------------------------------------------------------


def test_constat_with_spaced_mention_and_lever() -> None:
    draft = parse("constat: @Les Jardins #rh les bénévoles s'essoufflent")
    assert draft == CaptureDraft(
        kind=NoteKind.FINDING,
        text="les bénévoles s'essoufflent",
        structure_id=JARDINS.id,
        lever=Lever.HUMAN,
        das="",
        mentioned=(JARDINS.id,),
    )


def test_kind_word_directly_before_a_mention_counts_without_colon() -> None:
    draft = parse("frein @jardins #finances dépendance à une subvention unique")
    assert draft.kind is NoteKind.OBSTACLE
    assert draft.structure_id == JARDINS.id
    assert draft.lever is Lever.FINANCIAL
    assert draft.text == "dépendance à une subvention unique"


def test_second_mention_stays_in_the_text() -> None:
    draft = parse("pa: @ressourcerie #alliances mutualiser un poste avec @Vélo-école")
    assert draft.kind is NoteKind.ACTION
    assert draft.structure_id == RESSOURCERIE.id
    assert draft.lever is Lever.ALLIANCES
    assert draft.text == "mutualiser un poste avec @Vélo-école"
    assert draft.mentioned == (RESSOURCERIE.id, VELO.id)


def test_leading_question_mark() -> None:
    draft = parse("? comment valoriser le bénévolat")
    assert draft.kind is NoteKind.QUESTION
    assert draft.text == "comment valoriser le bénévolat"
    assert draft.structure_id is None
    assert parse("?comment faire").text == "comment faire"


# --- kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "kind"), list(KIND_PREFIXES.items()))
def test_every_prefix_with_colon(word: str, kind: NoteKind) -> None:
    assert parse(f"{word}: ce qui a été dit").kind is kind
    assert parse(f"{word} : ce qui a été dit").text == "ce qui a été dit"
    assert parse(f"{word.upper()}:ce qui a été dit").kind is kind


@pytest.mark.parametrize(("word", "kind"), list(KIND_PREFIXES.items()))
def test_every_prefix_folds_accents_hyphens_and_apostrophes(word: str, kind: NoteKind) -> None:
    assert parse(f"{fold(word).replace(' ', '-')}: texte").kind is kind


@pytest.mark.parametrize(("word", "kind"), list(KIND_PREFIXES.items()))
def test_every_prefix_before_a_mention_or_tag(word: str, kind: NoteKind) -> None:
    assert parse(f"{word} @cocagne ce qui a été dit").kind is kind
    assert parse(f"{word} #rh ce qui a été dit").kind is kind


@pytest.mark.parametrize("kind", list(NoteKind))
def test_stable_kind_values_are_prefixes_too(kind: NoteKind) -> None:
    assert parse(f"{kind.value}: texte").kind is kind


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("constat: x", NoteKind.FINDING),
        ("c: x", NoteKind.FINDING),
        ("cst: x", NoteKind.FINDING),
        ("finding: x", NoteKind.FINDING),
        ("problématique: x", NoteKind.PROBLEM),
        ("pb: x", NoteKind.PROBLEM),
        ("prob: x", NoteKind.PROBLEM),
        ("issue: x", NoteKind.PROBLEM),
        ("ambition: x", NoteKind.AMBITION),
        ("amb: x", NoteKind.AMBITION),
        ("frein: x", NoteKind.OBSTACLE),
        ("f: x", NoteKind.OBSTACLE),
        ("obstacle: x", NoteKind.OBSTACLE),
        ("Condition de réussite : x", NoteKind.SUCCESS_CONDITION),
        ("cr: x", NoteKind.SUCCESS_CONDITION),
        ("cond: x", NoteKind.SUCCESS_CONDITION),
        ("success condition: x", NoteKind.SUCCESS_CONDITION),
        ("effet miroir: x", NoteKind.MIRROR),
        ("em: x", NoteKind.MIRROR),
        ("miroir: x", NoteKind.MIRROR),
        ("mirror: x", NoteKind.MIRROR),
        ("piste d'action: x", NoteKind.ACTION),
        ("piste d’action: x", NoteKind.ACTION),
        ("pa: x", NoteKind.ACTION),
        ("piste: x", NoteKind.ACTION),
        ("action: x", NoteKind.ACTION),
        ("question: x", NoteKind.QUESTION),
        ("q: x", NoteKind.QUESTION),
        ("? x", NoteKind.QUESTION),
        ("Évolution de la vision: x", NoteKind.VISION_CHANGE),
        ("evolution de la vision: x", NoteKind.VISION_CHANGE),
        ("ev: x", NoteKind.VISION_CHANGE),
        ("vision: x", NoteKind.VISION_CHANGE),
        ("retour: x", NoteKind.FEEDBACK),
        ("ret: x", NoteKind.FEEDBACK),
        ("feedback: x", NoteKind.FEEDBACK),
    ],
)
def test_french_short_and_english_prefixes(line: str, kind: NoteKind) -> None:
    draft = parse(line)
    assert draft.kind is kind
    assert draft.text == "x"


@pytest.mark.parametrize(
    "line",
    [
        "Freinage des dons en 2024",
        "action sociale est le cœur du projet",
        "Action sociale : un DAS à part entière",
        "frein budget serré",
        "Retour à l'équilibre prévu en 2026",
        "question de fond sur la gouvernance",
        "c'est compliqué avec la mairie",
        "f budget",
        "pa mutualiser",
        "Constat partagé: les bénévoles partent",
        "10:30 arrivée des participants",
        "Vision partagée par le CA",
        "pb",
        "q",
    ],
)
def test_ordinary_sentences_are_not_mistaken_for_a_prefix(line: str) -> None:
    draft = parse(line)
    assert draft.kind is NoteKind.FINDING
    assert draft.text == line


def test_no_prefix_takes_the_callers_default_kind() -> None:
    assert parse("les dons baissent", default_kind=NoteKind.OBSTACLE).kind is NoteKind.OBSTACLE
    assert parse("q: les dons ?", default_kind=NoteKind.OBSTACLE).kind is NoteKind.QUESTION


def test_only_the_first_prefix_is_read() -> None:
    draft = parse("frein: constat: x")
    assert draft.kind is NoteKind.OBSTACLE
    assert draft.text == "constat: x"


def test_kind_from_word_for_the_command_line() -> None:
    assert kind_from_word("frein") is NoteKind.OBSTACLE
    assert kind_from_word("Piste-Action") is NoteKind.ACTION
    assert kind_from_word("pa:") is NoteKind.ACTION
    assert kind_from_word("?") is NoteKind.QUESTION
    assert kind_from_word("?:") is NoteKind.QUESTION
    assert kind_from_word("mirror effect") is NoteKind.MIRROR
    assert kind_from_word("nimporte") is None
    assert kind_from_word("") is None


def test_only_a_colon_may_follow_a_lone_question_mark_word() -> None:
    assert kind_from_word("? :") is NoteKind.QUESTION
    assert kind_from_word("?X") is None


def test_prefix_table_is_consistent() -> None:
    folded: dict[str, NoteKind] = {}
    for word, kind in KIND_PREFIXES.items():
        assert folded.setdefault(fold(word), kind) is kind, word
    assert "pa" in prefixes_for(NoteKind.ACTION) and "frein" not in prefixes_for(NoteKind.ACTION)
    for kind in NoteKind:
        assert prefixes_for(kind), kind
        assert all(KIND_PREFIXES[word] is kind for word in prefixes_for(kind))
        assert folded.get(fold(kind.value), kind) is kind


# --- mentions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "structure"),
    [
        ("@jardins", JARDINS),
        ("@JARDINS", JARDINS),
        ("@Les-Jardins-de-Cocagne", JARDINS),
        ("@les_jardins_de_cocagne", JARDINS),
        ("@jardins-de-cocagne", JARDINS),
        ("@cocagne", JARDINS),
        ("@jard", JARDINS),
        ("@ressourcerie", RESSOURCERIE),
        ("@la-ressourcerie", RESSOURCERIE),
        ("@velo-ecole", VELO),
        ("@VÉLO-ÉCOLE", VELO),
        ("@vélo_école", VELO),
        ("@veloecole", VELO),
        ("@velo-ecole-du-nord", VELO_NORD),
        ("@nord", VELO_NORD),
        ("@theatre", THEATRE),
        ("@iles", THEATRE),
        ("@Îles", THEATRE),
    ],
)
def test_mentions_ignore_case_accents_and_punctuation(mention: str, structure: Structure) -> None:
    draft = parse(f"{mention} les bénévoles s'essoufflent")
    assert draft.structure_id == structure.id
    assert draft.text == "les bénévoles s'essoufflent"


def test_an_article_inside_a_name_can_start_a_mention() -> None:
    trame = Structure(name="Ressourcerie La Trame")
    escale = Structure(name="Centre social L'Escale")
    for mention, structure in [("@la-trame", trame), ("@trame", trame), ("@l-escale", escale)]:
        assert parse_capture(f"{mention} x", [trame, escale]).structure_id == structure.id
    # A link word never starts one.
    assert refused("@du-pays x").key.startswith("capture.error.unknown_mention")


def test_exact_name_wins_over_names_it_begins() -> None:
    assert parse("@Vélo-École texte").structure_id == VELO.id


@pytest.mark.parametrize(
    ("named", "begun", "mention"),
    [
        ("Les Jardins", "Jardins partagés", "@jardins"),
        ("La Ruche", "Ruchers du Sud", "@ruche"),
        ("L'Atelier", "Ateliers du Vélo", "@atelier"),
        ("Le Relais", "Relais Emploi", "@relais"),
        ("The Hub", "Hubert Solidaire", "@hub"),
    ],
)
def test_a_name_without_its_leading_article_wins_over_a_name_it_begins(
    named: str, begun: str, mention: str
) -> None:
    """« @jardins » is « Les Jardins » whole, and only the start of « Jardins partagés »."""
    cohort = [Structure(name=begun), Structure(name=named)]
    assert parse_capture(f"{mention} texte", cohort).structure_id == cohort[1].id
    assert complete_mention(mention[1:], cohort) == [named, begun]


def test_velo_ecole_is_ambiguous_between_two_structures_whose_names_fold_the_same() -> None:
    twin = Structure(name="Velo Ecole")
    error = refused("@velo-ecole texte", [*STRUCTURES, twin])
    assert error.key == "capture.error.ambiguous_mention"
    # The two exact names only: « Vélo-École du Nord », which it merely begins, is not one.
    assert error.values["candidates"] == "Vélo-École, Velo Ecole"


def test_relais_is_ambiguous_between_le_relais_and_les_relais() -> None:
    cohort = [
        Structure(name="Relais Emploi"),
        Structure(name="Le Relais"),
        Structure(name="Les Relais"),
    ]
    error = refused("@relais texte", cohort)
    assert error.key == "capture.error.ambiguous_mention"
    assert error.values["candidates"] == "Le Relais, Les Relais"


def test_spaced_words_continue_the_name_while_it_matches() -> None:
    assert parse("@Vélo École du Nord texte").structure_id == VELO_NORD.id
    draft = parse("@Vélo École du quartier, texte")
    assert draft.structure_id == VELO.id
    assert draft.text == "du quartier, texte"


def test_a_small_word_after_the_mention_is_given_back_to_the_text() -> None:
    draft = parse("@jardins de plus en plus de départs")
    assert draft.structure_id == JARDINS.id
    assert draft.text == "de plus en plus de départs"


def test_ambiguous_mention_lists_the_candidates() -> None:
    error = refused("@velo texte")
    assert error.key == "capture.error.ambiguous_mention"
    assert error.values["mention"] == "velo"
    assert "Vélo-École, Vélo-École du Nord" in error.message
    # The example is the first candidate's token (« @Vélo-École » is in the second's too).
    assert error.values["example"] == "Vélo-École"
    assert error.message.endswith("par exemple @Vélo-École.")


def test_a_first_word_that_is_not_an_article_is_never_left_out() -> None:
    """« @ecole » is not « Vélo-École » without « Vélo »: it begins a later word of both."""
    error = refused("@ecole texte")
    assert error.key == "capture.error.ambiguous_mention"
    assert error.values["candidates"] == "Vélo-École, Vélo-École du Nord"


def test_words_after_a_mention_are_read_into_it_only_if_they_continue_a_name() -> None:
    draft = parse("@cocagne jardins en friche")  # « jardins » is in the name, not after cocagne
    assert draft.structure_id == JARDINS.id
    assert draft.text == "jardins en friche"


EPICERIE = Structure(name="Épicerie solidaire")


def test_unknown_mention_lists_the_structures_alphabetically_accents_folded() -> None:
    error = refused("@mairie texte", [*STRUCTURES, EPICERIE])
    assert error.values["names"] == (
        "Épicerie solidaire, La Ressourcerie du Pays, Les Jardins de Cocagne, "
        "Théâtre des Îles, Vélo-École, Vélo-École du Nord"
    )
    assert complete_mention("", [*STRUCTURES, EPICERIE])[0] == "Épicerie solidaire"


def test_unknown_mention_names_it_and_the_structures() -> None:
    error = refused("constat: @mairie texte")
    assert error.key == "capture.error.unknown_mention"
    assert "« @mairie »" in error.message
    assert "Les Jardins de Cocagne" in error.message


@pytest.mark.parametrize(
    "typed,meant",
    [("cocagnes", JARDINS), ("ressourcrie", RESSOURCERIE), ("theatro", THEATRE), ("ils", THEATRE)],
)
def test_a_mistyped_mention_suggests_the_nearest_name_that_reads_back(
    typed: str, meant: Structure
) -> None:
    """« @escalle » for L'Escale: the nearest name is suggested, as a token that names
    that structure when typed instead."""
    error = refused(f"frein: @{typed} le local ferme")
    assert error.key == "capture.error.unknown_mention_near"
    assert error.values["mention"] == typed and error.values["name"] == meant.name
    fixed = parse(f"frein: @{error.values['suggestion']} le local ferme")
    assert (fixed.structure_id, fixed.text) == (meant.id, "le local ferme")


def test_nothing_is_suggested_for_a_name_far_from_all_or_as_near_to_two() -> None:
    assert refused("@mairie texte").key == "capture.error.unknown_mention"  # far from all
    twins = [Structure(name="Atelier Nord"), Structure(name="Atelier Sud")]
    assert refused("@ateleir texte", twins).key == "capture.error.unknown_mention"


def test_every_mention_must_name_a_structure() -> None:
    assert refused("avec @jardins et @mairie").key == "capture.error.unknown_mention"


def test_mention_without_any_structure() -> None:
    assert refused("@jardins texte", []).key == "capture.error.no_structure"


def test_mention_inside_the_sentence_sets_the_structure_and_stays() -> None:
    draft = parse("la subvention de @jardins baisse")
    assert draft.structure_id == JARDINS.id
    assert draft.text == "la subvention de @jardins baisse"


def test_default_structure_is_overridden_only_by_an_opening_mention() -> None:
    bilan = {"default_structure": JARDINS.id}
    draft = parse("pa: mutualiser un poste avec @velo-ecole", **bilan)
    assert draft.structure_id == JARDINS.id
    assert draft.text == "mutualiser un poste avec @velo-ecole"
    assert draft.mentioned == (VELO.id,)
    assert parse("pa: @velo-ecole propose un poste", **bilan).structure_id == VELO.id
    assert parse("pa: sans mention", **bilan).structure_id == JARDINS.id


def test_tags_before_the_opening_mention_still_let_it_open_the_note() -> None:
    draft = parse("#rh @jardins les bénévoles")
    assert draft.structure_id == JARDINS.id
    assert draft.text == "les bénévoles"


def test_email_addresses_and_lone_signs_are_plain_text() -> None:
    draft = parse("écrire à contact@jardins.fr @ 10h, priorité #1")
    assert draft.structure_id is None
    assert draft.text == "écrire à contact@jardins.fr @ 10h, priorité #1"


# --- levers and DAS --------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "lever"), list(LEVER_TAGS.items()))
def test_every_lever_tag(tag: str, lever: Lever) -> None:
    draft = parse(f"les bénévoles partent #{tag}")
    assert draft.lever is lever
    assert draft.text == "les bénévoles partent"
    assert parse(f"texte #{fold(tag).upper().replace(' ', '_')}").lever is lever


@pytest.mark.parametrize("lever", list(Lever))
def test_lever_values_are_tags(lever: Lever) -> None:
    assert parse(f"texte #{lever.value}").lever is lever


def test_english_lever_tags() -> None:
    assert parse("x #hr").lever is Lever.HUMAN
    assert parse("x #finance").lever is Lever.FINANCIAL
    assert parse("x #partnerships").lever is Lever.ALLIANCES


def test_same_lever_twice_is_fine_two_levers_are_refused() -> None:
    assert parse("#rh bénévoles #humain").lever is Lever.HUMAN
    error = refused("#rh bénévoles et #finances")
    assert error.key == "capture.error.two_levers"
    assert "« #rh »" in error.message
    assert "« #finances »" in error.message


def test_das_of_the_mentioned_structure() -> None:
    draft = parse("@jardins #maraichage les légumes se vendent mal")
    assert draft.das == "Maraîchage bio"
    assert draft.lever is None
    assert draft.text == "les légumes se vendent mal"
    assert parse("@jardins #insertion-par-l-activite texte").das == "Insertion par l'activité"


def test_das_and_lever_together() -> None:
    draft = parse("f: @velo-ecole #ateliers #rf les ateliers ne paient pas")
    assert (draft.das, draft.lever) == ("Ateliers d'autoréparation", Lever.FINANCIAL)


def test_das_of_another_structure_is_unknown_for_the_mentioned_one() -> None:
    error = refused("@jardins #collecte texte")
    assert error.key == "capture.error.unknown_tag"
    assert "#Maraîchage-bio" in error.message
    assert "#Collecte" not in error.message


def test_without_mention_das_come_from_every_structure() -> None:
    draft = parse("#collecte les dépôts augmentent")
    assert draft.das == "Collecte"
    assert draft.structure_id is None
    # The same DAS in two structures is one DAS.
    assert parse("#formation texte").das == "Formation"


def test_ambiguous_das_tag() -> None:
    structure = Structure(name="Asso", das=["Insertion", "Inscriptions"])
    error = refused("@asso #ins texte", [structure])
    assert error.key == "capture.error.ambiguous_tag"
    assert "Inscriptions, Insertion" in error.message


def test_a_default_structure_limits_the_das_to_its_own() -> None:
    bilan = {"default_structure": JARDINS.id}
    assert parse("pa: #maraichage texte", **bilan).das == "Maraîchage bio"
    error = refused("pa: #collecte texte", **bilan)  # the Ressourcerie's, not the Jardins'
    assert error.key == "capture.error.unknown_tag"
    assert "#Collecte" not in error.message
    line = "pa: #"
    candidates = completions(line, len(line), STRUCTURES, default_structure=JARDINS.id)[2]
    assert "#Maraîchage-bio" in candidates and "#Collecte" not in candidates


def test_a_das_spelled_two_ways_in_two_structures_keeps_its_first_spelling() -> None:
    first, second = Structure(name="A", das=["Formation"]), Structure(name="B", das=["FORMATION"])
    assert parse_capture("#formation texte", [first, second]).das == "Formation"
    assert complete_tag("form", [first, second]) == ["Formation"]


def test_two_different_das_are_refused() -> None:
    assert refused("@jardins #maraichage #formation x").key == "capture.error.two_das"


def test_unknown_tag_says_which_tags_exist() -> None:
    error = refused("texte #zorglub")
    assert error.key == "capture.error.unknown_tag"
    message = error.message
    assert "« #zorglub »" in message
    assert "#rh" in message
    assert "#rf" in message
    assert "#ap" in message
    assert "#Collecte" in message


def test_unknown_tag_when_no_das_is_recorded() -> None:
    error = refused("@nord #zorglub texte")
    assert error.key == "capture.error.unknown_tag_no_das"
    assert "#rh" in error.message


def test_tags_are_removed_and_spacing_tidied() -> None:
    assert parse("trouver #rh, vite").text == "trouver, vite"
    assert parse("les   dons #rf   baissent.").text == "les dons baissent."
    assert parse("les dons baissent #rf.").text == "les dons baissent."
    # Glued tags are tags too.
    assert refused("c: x #rh#ap").key == "capture.error.two_levers"
    assert parse("c: x #rh#humain").text == "x"


def test_separator_after_an_opening_mention_goes_with_it() -> None:
    assert parse("@jardins : le CA ne se réunit plus").text == "le CA ne se réunit plus"
    assert parse("frein @jardins, dépendance").text == "dépendance"
    assert parse("#rh — bénévoles").text == "bénévoles"
    assert parse(": typed by the facilitator").text == ": typed by the facilitator"
    assert parse("@jardins x : y").text == "x : y"


def test_only_the_separator_after_an_opening_mention_goes_not_the_later_ones() -> None:
    draft = parse("@jardins : le CA, le bureau ; la trésorière")
    assert draft.text == "le CA, le bureau ; la trésorière"


def test_a_dash_typed_after_the_kind_prefix_stays() -> None:
    assert parse("frein: – le CA ne suit pas").text == "– le CA ne suit pas"


def test_an_email_address_after_a_mention_is_plain_text() -> None:
    draft = parse("@jardins écrire à contact@velo-ecole.fr")
    assert draft.text == "écrire à contact@velo-ecole.fr"
    assert draft.mentioned == (JARDINS.id,)


def test_a_spaced_mention_reads_a_hyphenated_rest_that_repeats_the_names_words() -> None:
    pas = Structure(name="Pas à Pas")
    draft = parse_capture("@Pas à-Pas les bénévoles", [pas, *STRUCTURES])
    assert (draft.structure_id, draft.text) == (pas.id, "les bénévoles")


def test_a_default_structure_is_kept_as_given_and_an_empty_one_is_none() -> None:
    # The id passes through even when the structures given do not hold it.
    assert parse_capture("le CA", [], default_structure=JARDINS.id).structure_id == JARDINS.id
    assert parse("le CA", default_structure="").structure_id is None


# --- empty ------------------------------------------------------------------------------


ASSO = Structure(name="Asso", das=["Insertion", "Inscriptions"])
LEVERS_SHOWN = (
    "#rh (richesses humaines), #rf (ressources financières), #ap (alliances et partenariats)"
)


@pytest.mark.parametrize(
    ("line", "structures", "key", "values"),
    [
        ("@jardins texte", [], "no_structure", {"mention": "jardins"}),
        ("@velo texte", None, "ambiguous_mention", {"mention": "velo"}),
        ("#rh x #finances", None, "two_levers", {"first": "rh", "second": "finances"}),
        (
            "@jardins #maraichage #formation x",
            None,
            "two_das",
            {"first": "maraichage", "second": "formation"},
        ),
        (
            "@asso #ins texte",
            [ASSO],
            "ambiguous_tag",
            {"tag": "ins", "candidates": "Inscriptions, Insertion", "example": "Inscriptions"},
        ),
        ("@asso #zz texte", [ASSO], "unknown_tag", {"tag": "zz", "levers": LEVERS_SHOWN}),
        ("@nord #zz texte", None, "unknown_tag_no_das", {"tag": "zz", "levers": LEVERS_SHOWN}),
        ("constat: @mairie texte", None, "unknown_mention", {"mention": "mairie"}),
    ],
)
def test_every_refusal_names_the_text_and_what_was_typed(
    line: str, structures: list[Structure] | None, key: str, values: dict[str, str]
) -> None:
    error = refused(line, structures)
    assert (error.key, error.field) == (f"capture.error.{key}", "text")
    assert {k: error.values[k] for k in values} == values
    assert "capture." not in error.message and "{" not in error.message


@pytest.mark.parametrize(
    "line", ["", "   ", "c:", "frein :", "?", "#rh", "@jardins #rh", "q: @nord", "@jardins :"]
)
def test_empty_text_is_refused(line: str) -> None:
    error = refused(line)
    assert error.key == "capture.error.empty"
    assert error.field == "text"


# --- messages in both languages --------------------------------------------------------


def test_messages_in_french() -> None:
    assert refused("c:").message.startswith("La note est vide")
    assert "plusieurs structures" in refused("@velo x").message
    assert "n'est ni un levier ni un DAS" in refused("x #zz").message
    assert "#rh (richesses humaines)" in refused("x #zz").message


def test_messages_in_english(english: None) -> None:
    assert refused("c:").message.startswith("The note is empty")
    assert "could mean several structures" in refused("@velo x").message
    assert "matches no structure" in refused("@mairie x").message
    message = refused("x #zz").message
    assert "neither a lever nor a known DAS" in message
    assert "#hr (human resources)" in message
    assert "only one lever" in refused("x #rh #rf").message


def _catalogue(lang: str) -> dict[str, str]:
    path = ROOT / "data" / "i18n" / lang / "capture.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    fr, en = _catalogue("fr"), _catalogue("en")
    assert fr.keys() == en.keys()
    fields = string.Formatter()
    for key in fr:
        placeholders_fr = {f for _, f, _, _ in fields.parse(fr[key]) if f}
        placeholders_en = {f for _, f, _, _ in fields.parse(en[key]) if f}
        assert placeholders_fr == placeholders_en, key


def test_every_key_the_module_uses_is_in_the_catalogue() -> None:
    source = (ROOT / "facilitator" / "capture.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"capture\.([a-z_.]+)"', source))
    used |= {f"lever_tag.{lever.value}" for lever in Lever}
    used |= {"help.kinds", "help.kind_line", "help.mention", "help.tag", "help.text"}
    assert used <= _catalogue("fr").keys()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_catalogue_lever_tags_are_lever_tags(lang: str) -> None:
    for lever in Lever:
        assert LEVER_TAGS[_catalogue(lang)[f"lever_tag.{lever.value}"]] is lever


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_syntax_help_is_translated(lang: str) -> None:
    set_language(lang)
    try:
        lines = syntax_help()
    finally:
        set_language("fr")
    assert len(lines) == len(NoteKind) + 4
    assert not any("capture." in line.lower() or "{" in line for line in lines)


def test_syntax_help_lists_every_kind_with_its_prefixes() -> None:
    lines = syntax_help()
    assert lines[0].startswith("Commencez la ligne par un type")
    assert "  frein — frein:, f:, obstacle:" in lines
    assert "  question — ?, question:, q:" in lines
    assert "#rh (richesses humaines)" in lines[-2]
    assert lines[-3].startswith("@nom désigne une structure")
    assert lines[-1].startswith("Le reste de la ligne")


# --- the draft ------------------------------------------------------------------------


def test_draft_becomes_a_note() -> None:
    draft = parse("f: @jardins #rf #maraichage les légumes")
    note = draft.to_note(session_id="s1", author="camille")
    assert isinstance(note, Note)
    assert (note.kind, note.text, note.structure_id) == (
        NoteKind.OBSTACLE,
        "les légumes",
        JARDINS.id,
    )
    assert (note.lever, note.das, note.session_id, note.author) == (
        Lever.FINANCIAL,
        "Maraîchage bio",
        "s1",
        "camille",
    )


def test_draft_is_frozen() -> None:
    draft = parse("x")
    with pytest.raises(AttributeError):
        draft.text = "y"  # type: ignore[misc]


# --- completion -----------------------------------------------------------------------


def test_complete_mention_best_first() -> None:
    assert complete_mention("velo-ecole", STRUCTURES) == ["Vélo-École", "Vélo-École du Nord"]
    assert complete_mention("jar", STRUCTURES) == ["Les Jardins de Cocagne"]
    assert complete_mention("", STRUCTURES) == sorted((s.name for s in STRUCTURES), key=fold)
    assert complete_mention("zz", STRUCTURES) == []


def test_completions_of_a_mention() -> None:
    line = "c: @jar les bénévoles"
    assert completions(line, 7, STRUCTURES) == (3, 7, ["@Les-Jardins-de-Cocagne"])
    # The cursor in the middle replaces the whole mention.
    assert completions(line, 5, STRUCTURES)[:2] == (3, 7)
    start, end, candidates = completions("@", 1, STRUCTURES)
    assert (start, end) == (0, 1)
    assert len(candidates) == len(STRUCTURES)


def test_completions_of_a_tag_use_the_mentioned_structure() -> None:
    line = "c: @jardins #"
    start, end, candidates = completions(line, len(line), STRUCTURES)
    assert (start, end) == (12, 13)
    assert candidates[:3] == ["#rh", "#rf", "#ap"]
    assert "#Maraîchage-bio" in candidates
    assert "#Collecte" not in candidates
    assert completions("x #fin", 6, STRUCTURES)[2] == ["#finances"]
    assert completions("@jardins#ma", 11, STRUCTURES) == (8, 11, ["#Maraîchage-bio"])


def test_completions_follow_the_language(english: None) -> None:
    assert completions("x #", 3, STRUCTURES)[2][:3] == ["#hr", "#finance", "#partnerships"]


def test_no_completion_outside_a_marker() -> None:
    assert completions("c: les bénévoles", 8, STRUCTURES) == (8, 8, [])
    assert completions("contact@jar", 11, STRUCTURES) == (11, 11, [])
    assert completions("priorité #1", 11, STRUCTURES) == (11, 11, [])
    assert completions("", 5, STRUCTURES) == (0, 0, [])


def test_no_completion_for_what_parse_reads_as_plain_text() -> None:
    assert completions("@_jar", 5, STRUCTURES) == (5, 5, [])  # a mention starts with a letter
    assert completions("réunion au #2e", 14, STRUCTURES) == (14, 14, [])  # a tag too
    assert completions("x@jar", 5, STRUCTURES) == (5, 5, [])  # glued to a word


def test_the_cursor_inside_a_marker_replaces_it_up_to_its_end() -> None:
    assert completions("@jard #rh", 2, STRUCTURES) == (0, 5, ["@Les-Jardins-de-Cocagne"])


def test_a_mention_that_names_nothing_yet_leaves_the_next_one_to_set_the_das() -> None:
    line = "@vélo @jardins #"  # « vélo » is still ambiguous
    assert completions(line, len(line), STRUCTURES)[2] == [
        "#rh",
        "#rf",
        "#ap",
        "#Maraîchage-bio",
        "#Insertion-par-l'activité",
        "#Formation",
    ]


def test_a_mention_after_an_opening_tag_overrides_the_default_structure_for_the_das() -> None:
    line = "#rh @vélo-école #"
    candidates = completions(line, len(line), STRUCTURES, default_structure=JARDINS.id)[2]
    assert candidates == ["#rh", "#rf", "#ap", "#Ateliers-d'autoréparation", "#Formation"]


def test_tokens_turn_underscores_into_hyphens_and_a_tag_never_starts_with_a_digit() -> None:
    assert mention_token("Les_Jardins  de Cocagne") == "Les-Jardins-de-Cocagne"
    assert mention_token("Jardins_ - Cocagne") == "Jardins-Cocagne"
    assert mention_token("2 Roues") == "2-Roues"
    assert tag_token("2024") == ""
    # A DAS that cannot be typed as a tag is not offered as an empty one.
    assert complete_tag("", [Structure(name="A", das=["2024", "Accueil"])]) == [
        "rh",
        "rf",
        "ap",
        "Accueil",
    ]
    assert tag_token("2024 : accueil") == "accueil"


def test_complete_tag_offers_one_spelling_per_lever() -> None:
    assert complete_tag("r", STRUCTURES) == ["rh", "rf"]
    assert complete_tag("part", STRUCTURES) == ["partenariats"]


# --- properties --------------------------------------------------------------------------

TRICKY = [*"@#?:;,.'’-_ \t", *"abcéèàçœ", *"AÉZ019", "\u0301", "İ", "ß", "²"]
any_text = st.text(
    alphabet=st.sampled_from(TRICKY) | st.characters(),
    max_size=60,
)
names = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "P", "Mn"]), min_size=1, max_size=25
)


@given(any_text)
@settings(max_examples=400)
def test_parse_only_ever_refuses_with_invalid_input(line: str) -> None:
    try:
        draft = parse(line)
    except InvalidInput as error:
        assert error.key.startswith("capture.error.")
        assert error.message and not error.message.startswith("capture.")
        return
    assert draft.text
    assert not any(m.sigil == "#" for m in _markers(draft.text))


@given(any_text, st.lists(names, max_size=4), st.lists(names, max_size=3))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_parse_never_crashes_on_odd_structures(
    line: str, structure_names: list[str], das: list[str]
) -> None:
    structures = [Structure(name=n, das=das) for n in structure_names]
    with contextlib.suppress(InvalidInput):
        parse_capture(line, structures)


@given(any_text, st.integers(min_value=-2, max_value=70))
def test_completions_never_raise(line: str, cursor: int) -> None:
    start, end, candidates = completions(line, cursor, STRUCTURES)
    assert 0 <= start <= end <= len(line)
    assert all(c[:1] in "@#" for c in candidates)


words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçô", min_size=1, max_size=9),
    min_size=1,
    max_size=8,
)
spelled_prefixes = st.sampled_from(list(KIND_PREFIXES)).flatmap(
    lambda w: st.sampled_from([w, w.upper(), fold(w), fold(w).replace(" ", "-")])
)
lever_tags = st.none() | st.sampled_from(list(LEVER_TAGS))


@given(spelled_prefixes, st.sampled_from([":", " :", ": "]), words, lever_tags, st.data())
def test_valid_lines_round_trip(
    prefix: str, colon: str, body: list[str], tag: str | None, data: st.DataObject
) -> None:
    tokens = list(body)
    if tag is not None:
        tokens.insert(data.draw(st.integers(0, len(tokens))), f"#{tag}")
    draft = parse(f"{prefix}{colon} {' '.join(tokens)}")
    assert draft.kind is KIND_PREFIXES[next(w for w in KIND_PREFIXES if fold(w) == fold(prefix))]
    assert draft.lever is (LEVER_TAGS[tag] if tag is not None else None)
    assert draft.text == " ".join(body)
    if tag is not None:
        assert f"#{tag}" not in draft.text


@given(st.sampled_from(list(KIND_PREFIXES)), lever_tags, words)
def test_prefix_before_a_marker_round_trips(prefix: str, tag: str | None, body: list[str]) -> None:
    marker = f"#{tag}" if tag is not None else "@cocagne"
    draft = parse(f"{prefix} {marker} {' '.join(body)}")
    assert draft.kind is KIND_PREFIXES[prefix]
    assert draft.text == " ".join(body)


@given(words, lever_tags)
def test_question_mark_round_trips(body: list[str], tag: str | None) -> None:
    suffix = f" #{tag}" if tag else ""
    draft = parse(f"? {' '.join(body)}{suffix}")
    assert draft.kind is NoteKind.QUESTION
    assert draft.text == " ".join(body)


@given(st.lists(names, min_size=1, max_size=6), st.data())
def test_mention_tokens_read_back_as_their_structure(
    structure_names: list[str], data: st.DataObject
) -> None:
    keys = ["".join(fold(n).split()) for n in structure_names]
    assume(all(keys) and len(set(keys)) == len(keys))
    structures = [Structure(name=n) for n in structure_names]
    chosen = data.draw(st.sampled_from(structures))
    token = mention_token(chosen.name)
    draft = parse_capture(f"@{token} (ok)", structures)
    assert draft.structure_id == chosen.id
    assert draft.text == "(ok)"


@given(st.lists(names, min_size=1, max_size=5, unique_by=lambda n: "".join(fold(n).split())))
def test_das_tokens_read_back_as_their_das(das: list[str]) -> None:
    keys = ["".join(fold(d).split()) for d in das]
    assume(all(keys) and all(k not in {"".join(fold(t).split()) for t in LEVER_TAGS} for k in keys))
    structure = Structure(name="Asso", das=das)
    for name in das:
        token = tag_token(name)
        assume(token and "".join(fold(token).split()) == "".join(fold(name).split()))
        assert parse_capture(f"@asso #{token} texte", [structure]).das == name


# --- the core stays free of Textual -----------------------------------------------------


def test_capture_does_not_import_textual() -> None:
    code = "import sys, facilitator.capture; print('textual' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"
