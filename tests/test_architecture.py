"""The core stays free of the UI: printing commands start fast and run where no TUI can."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import facilitator
from tests.conftest import ROOT


def test_the_core_imports_no_textual() -> None:
    modules = [f"facilitator.{m.name}" for m in pkgutil.iter_modules(facilitator.__path__)]
    assert "facilitator.store" in modules and "facilitator.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    if name != 'facilitator.__main__':\n"
        "        importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
