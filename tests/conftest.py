from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import arrow
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
def group_folder(tmp_path: Path) -> Path:
    """A shared workspace's folder: setgid, so every file made in it is the group's."""
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o2770)
    return folder


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
        Participant(
            structure_id=jardins.id, name="Paul Morel", role=Role.PRESIDENT, governance=True
        ),
        Participant(structure_id=velo.id, name="Léa Bonnet", role=Role.DIRECTOR),
    ]
    return workspace.create([cohort, jardins, velo, *people])


def run_cli(
    *args: str, data: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
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


# --- the TUI on the demo cohort, at a fixed moment ----------------------------------

# A Thursday morning in Paris, twelve days before the demo's session 2.
FIXED_NOW = arrow.get("2026-11-26T09:00:00+00:00")


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Workspace:
    from facilitator.demo import build_demo

    workspace = Workspace(tmp_path / "demo")
    workspace.create(build_demo(FIXED_NOW.date()))
    return workspace


def make_app(workspace: Workspace, cohort: Path | None = None):  # type: ignore[no-untyped-def]
    """The app as a facilitator opens it, with time fixed and no background polling."""
    from screens.app import FacilitatorApp

    return FacilitatorApp(workspace, cohort, now=lambda: FIXED_NOW, poll=False)
