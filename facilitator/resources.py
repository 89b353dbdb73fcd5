"""Where the shipped data (templates, demo cohort, catalogues) is found.

A wheel carries ``data/`` as ``facilitator/_data``; an editable install or a bare
checkout imports the source tree, where it is the repository's ``data/``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def data_dir() -> Path:
    packaged = Path(__file__).with_name("_data")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def load_json(*parts: str) -> Any:
    return json.loads(data_dir().joinpath(*parts).read_text(encoding="utf-8"))
