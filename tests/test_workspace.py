"""The workspace: finding a cohort by name, creating one, and read-only mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitator.domain import Cohort, InvalidInput
from facilitator.store import DamagedFile, ReadOnlyStore
from facilitator.text import match_one
from facilitator.workspace import Workspace


def every_byte(folder: Path) -> dict[Path, bytes | None]:
    return {p: (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def test_two_names_equal_once_folded_are_ambiguous_not_the_first() -> None:
    cohorts = [Cohort(name="Les Jardins"), Cohort(name="les  JARDINS")]
    with pytest.raises(InvalidInput) as caught:
        match_one(
            "Les Jardins", cohorts, name=lambda c: c.name, ident=lambda c: c.id, what="cohort"
        )
    assert caught.value.key == "workspace.error.ambiguous"
    assert "Les Jardins" in caught.value.message and "les  JARDINS" in caught.value.message


def test_one_exact_name_wins_over_names_it_begins() -> None:
    cohorts = [Cohort(name="Jardins partagés"), Cohort(name="Jardins")]
    found = match_one(
        "jardins", cohorts, name=lambda c: c.name, ident=lambda c: c.id, what="cohort"
    )
    assert found is cohorts[1]


def test_find_refuses_two_cohorts_of_the_same_name(workspace: Workspace) -> None:
    workspace.create([Cohort(name="Promo 2026")])
    workspace.create([Cohort(name="Promo 2026")])
    with pytest.raises(InvalidInput) as caught:
        workspace.find("promo 2026")
    assert caught.value.key == "workspace.error.ambiguous"


def test_create_refuses_in_read_only_mode_even_when_the_folder_is_writable(
    workspace: Workspace,
) -> None:
    workspace.create([Cohort(name="Déjà là")])
    before = every_byte(workspace.root)
    read_only = Workspace(workspace.root, read_only=True)
    with pytest.raises(ReadOnlyStore):
        read_only.create([Cohort(name="Nouvelle")])
    assert every_byte(workspace.root) == before


def test_create_in_read_only_mode_makes_no_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadOnlyStore):
        Workspace(tmp_path / "ws", read_only=True).create([Cohort(name="Nouvelle")])
    assert list(tmp_path.iterdir()) == []


def test_a_cohort_whose_snapshot_has_a_record_without_an_id_is_listed_as_damaged(
    workspace: Workspace,
) -> None:
    store = workspace.create([Cohort(name="Abîmée")])
    data = json.loads(store.path.read_text())
    data["notes"] = {"1": {"kind": "constat", "text": "sans identifiant"}}
    store.path.write_text(json.dumps(data))
    [entry] = workspace.entries()
    assert isinstance(entry.problem, DamagedFile)
    assert str(store.path) in entry.problem.message
