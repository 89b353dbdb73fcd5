from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.domain import Cohort, Participant, Role, Structure
from facilitator.i18n import set_language
from facilitator.store import CohortStore
from facilitator.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def french() -> Iterator[None]:
    """Every test starts in French, the default, and leaves it so."""
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def small_cohort(workspace: Workspace) -> CohortStore:
    cohort = Cohort(name="Cohorte d'essai")
    jardins = Structure(name="Les Jardins du Lien", das=["maraîchage", "insertion"])
    velo = Structure(name="Vélo-École de Crest")
    people = [
        Participant(structure_id=jardins.id, name="Amina Diallo", role=Role.DIRECTOR),
        Participant(structure_id=jardins.id, name="Paul Morel", role=Role.PRESIDENT, governance=True),
        Participant(structure_id=velo.id, name="Léa Bonnet", role=Role.DIRECTOR),
    ]
    return workspace.create([cohort, jardins, velo, *people])


def run_cli(*args: str, data: Path, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real program, as a facilitator's script would run it."""
    full_env = {**os.environ, "FACILITATOR_LANG": "fr", **(env or {})}
    full_env.pop("FACILITATOR_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "facilitator", "--data", str(data), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        input=input,
        timeout=60,
    )
