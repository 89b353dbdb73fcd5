"""The workspace: finding a cohort by name, creating one, and read-only mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitator import privacy
from facilitator.domain import Cohort, InvalidInput, Participant, Role, Structure
from facilitator.files import PRIVATE, Modes
from facilitator.store import CohortStore, DamagedFile, ReadOnlyStore, StoreError
from facilitator.text import match_one
from facilitator.workspace import Workspace, data_dir

GROUP = Modes(file=0o660, dir=0o2770)


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


# --- where the workspace is -----------------------------------------------------------


def test_the_data_flag_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_DATA", "/env/place")
    assert data_dir("/flag/place") == Path("/flag/place")


def test_the_environment_is_used_without_a_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_DATA", "/env/place")
    assert data_dir() == data_dir("") == Path("/env/place")


def test_a_tilde_is_the_home_folder_in_the_flag_and_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FACILITATOR_DATA", "~/from-env")
    assert data_dir("~/from-flag") == tmp_path / "from-flag"
    assert data_dir() == tmp_path / "from-env"


def test_without_flag_or_environment_the_user_data_folder_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FACILITATOR_DATA", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "facilitator"


# --- the cohort files ------------------------------------------------------------------


def test_a_workspace_not_made_yet_has_no_cohorts(tmp_path: Path) -> None:
    absent = Workspace(tmp_path / "nowhere")
    assert absent.cohort_files() == [] and absent.entries() == []
    assert not (tmp_path / "nowhere").exists()


def test_cohort_files_are_the_visible_json_files_sorted(workspace: Workspace) -> None:
    stores = [workspace.create([Cohort(name=n)]) for n in ("B", "A", "C")]
    (workspace.root / ".hidden.json").write_text("{}")
    (workspace.root / "notes.txt").write_text("x")
    assert workspace.cohort_files() == sorted(s.path for s in stores)


def test_an_entry_names_a_readable_cohort_by_its_record(workspace: Workspace) -> None:
    cohort = Cohort(name="Promo 2026")
    store = workspace.create([cohort])
    [entry] = workspace.entries()
    assert (entry.path, entry.cohort, entry.problem) == (store.path, cohort, None)
    assert (entry.name, entry.id) == ("Promo 2026", cohort.id)


def test_a_damaged_cohort_keeps_the_name_its_backup_gives_it(workspace: Workspace) -> None:
    cohort = Cohort(name="Promo abîmée")
    store = workspace.create([cohort])
    store.backup()
    store.path.write_text("{ not json")
    [entry] = workspace.entries()
    assert entry.cohort is None and isinstance(entry.problem, DamagedFile)
    assert (entry.name, entry.id) == ("Promo abîmée", cohort.id)


def test_a_damaged_cohort_with_nothing_readable_is_named_by_its_file(
    workspace: Workspace,
) -> None:
    store = workspace.create([Cohort(name="Perdue")])
    store.path.write_text("{ not json")
    [entry] = workspace.entries()
    assert entry.known_name is None
    assert (entry.name, entry.id) == (store.path.name, store.path.stem)


def test_a_file_holding_no_cohort_record_is_listed_without_one(workspace: Workspace) -> None:
    store = workspace.create([Cohort(name="Vidée")])
    data = json.loads(store.path.read_text())
    data["cohort"] = {}
    store.path.write_text(json.dumps(data))
    [entry] = workspace.entries()
    assert (entry.cohort, entry.problem) == (None, None)


# --- finding a cohort ------------------------------------------------------------------


def test_with_no_query_the_only_cohort_is_opened(workspace: Workspace) -> None:
    store = workspace.create([Cohort(name="Seule")])
    assert workspace.find(None).path == store.path


def test_with_no_query_and_no_cohort_the_person_is_told_where_it_looked(
    workspace: Workspace,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        workspace.find(None)
    assert caught.value.key == "workspace.error.no_cohort"
    assert caught.value.values["path"] == str(workspace.root)


def test_with_no_query_the_one_active_cohort_wins_over_archived_ones(
    workspace: Workspace,
) -> None:
    workspace.create([Cohort(name="Ancienne", archived=True)])
    active = workspace.create([Cohort(name="En cours")])
    workspace.create([Cohort(name="Plus ancienne", archived=True)])
    assert workspace.find(None).path == active.path


def test_with_no_query_the_only_archived_cohort_is_opened(workspace: Workspace) -> None:
    store = workspace.create([Cohort(name="Ancienne", archived=True)])
    assert workspace.find(None).path == store.path


@pytest.mark.parametrize("archived", [False, True])
def test_with_no_query_two_cohorts_ask_which_naming_both(
    workspace: Workspace, archived: bool
) -> None:
    workspace.create([Cohort(name="Promo A", archived=archived)])
    workspace.create([Cohort(name="Promo B", archived=archived)])
    with pytest.raises(InvalidInput) as caught:
        workspace.find(None)
    assert caught.value.key == "workspace.error.which_cohort"
    assert sorted(caught.value.values["names"].split(", ")) == ["Promo A", "Promo B"]


def test_two_active_cohorts_and_an_archived_one_still_ask_which(workspace: Workspace) -> None:
    for name, archived in (("A", False), ("B", False), ("C", True)):
        workspace.create([Cohort(name=name, archived=archived)])
    with pytest.raises(InvalidInput) as caught:
        workspace.find(None)
    assert sorted(caught.value.values["names"].split(", ")) == ["A", "B", "C"]


def test_with_no_query_the_only_cohort_damaged_is_its_problem_unless_restoring(
    workspace: Workspace,
) -> None:
    store = workspace.create([Cohort(name="Abîmée")])
    store.path.write_text("{ not json")
    with pytest.raises(DamagedFile):
        workspace.find(None)
    assert workspace.find(None, damaged=True).path == store.path


def test_a_damaged_cohort_beside_a_good_one_is_skipped_without_a_query(
    workspace: Workspace,
) -> None:
    good = workspace.create([Cohort(name="Bonne")])
    bad = workspace.create([Cohort(name="Abîmée")])
    bad.path.write_text("{ not json")
    assert workspace.find(None).path == good.path


def test_a_cohort_is_found_by_its_name_or_the_start_of_its_id(workspace: Workspace) -> None:
    jardins = Cohort(name="Promo Jardins")
    found_by_id = workspace.create([jardins])
    velo = workspace.create([Cohort(name="Promo Vélo")])
    assert workspace.find("promo velo").path == velo.path
    assert workspace.find(jardins.id[:6]).path == found_by_id.path


def test_a_damaged_cohort_is_found_by_name_only_for_a_restore(workspace: Workspace) -> None:
    store = workspace.create([Cohort(name="Promo abîmée")])
    workspace.create([Cohort(name="Promo bonne")])
    store.backup()
    store.path.write_text("{ not json")
    with pytest.raises(InvalidInput) as caught:
        workspace.find("promo abimee")
    assert caught.value.key == "workspace.error.no_match"
    assert workspace.find("promo abimee", damaged=True).path == store.path


# --- opening ---------------------------------------------------------------------------


def _erasure_left_half_done(workspace: Workspace) -> tuple[CohortStore, str]:
    """A cohort whose erasure of Léa was recorded, then the process was killed."""
    velo = Structure(name="Vélo-École")
    lea = Participant(structure_id=velo.id, name="Léa Bonnet", role=Role.DIRECTOR)
    store = workspace.create([Cohort(name="Promo"), velo, lea])
    privacy._record(store, {lea.id: privacy.identity_of(store, lea.id)})
    return store, lea.id


def _name_of(store: CohortStore, participant_id: str) -> str:
    return next(p.name for p in store.records(Participant) if p.id == participant_id)


def test_opening_a_cohort_finishes_an_interrupted_erasure(workspace: Workspace) -> None:
    store, lea = _erasure_left_half_done(workspace)
    opened = workspace.find("promo")
    assert _name_of(opened, lea) != "Léa Bonnet"
    assert not privacy.erasure_path(store).exists()


def test_an_erasure_is_left_for_later_when_asked_or_when_read_only(
    workspace: Workspace,
) -> None:
    store, lea = _erasure_left_half_done(workspace)
    for opened in (
        workspace.open(store.path, resume=False),
        workspace.find("promo", resume=False),
        Workspace(workspace.root, read_only=True).open(store.path),
    ):
        assert _name_of(opened, lea) == "Léa Bonnet"
        assert privacy.erasure_path(store).exists()


def test_a_read_only_workspace_opens_read_only_stores(workspace: Workspace) -> None:
    store = workspace.create([Cohort(name="Promo")])
    read_only = Workspace(workspace.root, read_only=True)
    assert read_only.open(store.path).read_only
    assert not workspace.open(store.path).read_only
    with pytest.raises(ReadOnlyStore):
        read_only.find("promo").put(Cohort(name="Autre"))


def test_a_group_workspace_opens_and_creates_with_the_group_s_modes(
    group_folder: Path, tmp_path: Path
) -> None:
    root = group_folder
    shared = Workspace(root)
    cohort = Cohort(name="Partagée")
    store = shared.create([cohort])
    assert shared.modes == GROUP
    assert store.path == root / f"{cohort.id}.json"
    assert oct(store.path.stat().st_mode & 0o777) == "0o660"
    assert shared.open(store.path).modes == GROUP
    assert [e.path for e in shared.entries()] == [store.path]
    assert Workspace(tmp_path / "private").modes == PRIVATE


def test_opening_by_path_or_as_the_only_cohort_finishes_an_interrupted_erasure(
    workspace: Workspace,
) -> None:
    store, lea = _erasure_left_half_done(workspace)
    assert _name_of(workspace.find(None, resume=False), lea) == "Léa Bonnet"
    assert _name_of(workspace.find(None), lea) != "Léa Bonnet"
    store, lea = _erasure_left_half_done(workspace)
    assert _name_of(workspace.open(store.path), lea) != "Léa Bonnet"


@pytest.mark.parametrize("failure", [StoreError("store.error.locked"), OSError(28, "disk full")])
def test_an_erasure_that_fails_again_does_not_keep_the_cohort_from_opening(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    """It stays recorded, to be tried at the next opening; the cohort opens now."""
    store, lea = _erasure_left_half_done(workspace)

    def fails(_store: CohortStore) -> None:
        raise failure

    monkeypatch.setattr(privacy, "resume_pending", fails)
    assert _name_of(workspace.open(store.path), lea) == "Léa Bonnet"
    assert privacy.erasure_path(store).exists()


def test_a_damaged_cohort_listed_first_does_not_hide_the_next_ones(workspace: Workspace) -> None:
    stores = sorted(
        (workspace.create([Cohort(name=n)]) for n in ("Une", "Deux")), key=lambda s: s.path
    )
    stores[0].path.write_text("{ not json")
    entries = workspace.entries()
    assert [e.path for e in entries] == [s.path for s in stores]
    assert entries[1].cohort is not None and entries[1].cohort.name in {"Une", "Deux"}


def test_looking_for_a_cohort_to_restore_still_finds_the_good_ones(workspace: Workspace) -> None:
    good = workspace.create([Cohort(name="Promo bonne")])
    bad = workspace.create([Cohort(name="Promo abîmée")])
    bad.path.write_text("{ not json")
    assert workspace.find("promo bonne", damaged=True).path == good.path


def test_a_cohort_not_found_is_named_a_cohort_in_the_refusal(workspace: Workspace) -> None:
    workspace.create([Cohort(name="Promo")])
    with pytest.raises(InvalidInput) as caught:
        workspace.find("ressourcerie")
    assert caught.value.values["what"] == "cohorte"
