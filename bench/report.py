"""Figures and the one table the bench prints.

Each figure is measured in several runs; a run gives one value (for figures made of
many samples, such as key-to-echo, the run's median or p90). The table shows the
median of the runs and their range, so one run disturbed by another process on a
loaded 2-core machine moves the range, not the verdict. The floor is measured in the
same bench run, interleaved with the figure where it can be, so that a slow machine
moves both.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: a value that was actually observed."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass
class Figure:
    """One row: a measured figure, its floor and its target.

    ``limit`` is an absolute target (at most this many units); ``ratio_limit`` a target
    relative to the floor. A figure with neither is reported for context only.
    """

    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    limit: float | None = None
    ratio_limit: float | None = None
    note: str = ""
    absent: str = ""  # why the figure could not be measured at all

    @property
    def ratio(self) -> float | None:
        if not self.values or not self.floor:
            return None
        floor = median(self.floor)
        return median(self.values) / floor if floor > 0 else None

    @property
    def status(self) -> str:
        if self.absent or not self.values:
            return "MISSED" if self.has_target else "n/a"
        if self.ratio_limit is not None:
            ratio = self.ratio
            return "ok" if ratio is not None and ratio <= self.ratio_limit else "MISSED"
        if self.limit is not None:
            return "ok" if median(self.values) <= self.limit else "MISSED"
        return "—"

    @property
    def has_target(self) -> bool:
        return self.limit is not None or self.ratio_limit is not None

    @property
    def missed(self) -> bool:
        return self.status == "MISSED"

    def target_text(self) -> str:
        if self.ratio_limit is not None:
            return f"≤ {self.ratio_limit:g}× floor"
        if self.limit is not None:
            return f"≤ {fmt(self.limit, self.unit)}"
        return "report"


def number(value: float, unit: str) -> str:
    """As many digits as the unit deserves: tenths of a millisecond or a MiB, whole bytes."""
    if unit == "ms":
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    if unit == "MiB":
        return f"{value:.1f}"
    if unit == "%":
        return f"{value:.0f}"
    return f"{value:.0f}"


def fmt(value: float, unit: str) -> str:
    return f"{number(value, unit)} {unit}"


def row(figure: Figure) -> list[str]:
    name = f"{figure.name} ({figure.note})" if figure.note else figure.name
    if figure.absent or not figure.values:
        why = figure.absent or "no successful run"
        return [name, why, "", "", "", figure.target_text(), figure.status]
    values = figure.values
    spread = f"{number(min(values), figure.unit)}–{fmt(max(values), figure.unit)}"
    floor = fmt(median(figure.floor), figure.unit) if figure.floor else "—"
    ratio = f"{figure.ratio:.2f}×" if figure.ratio is not None else "—"
    return [
        name,
        fmt(median(values), figure.unit),
        spread,
        floor,
        ratio,
        figure.target_text(),
        figure.status,
    ]


HEADER = ["figure", "median", "range (min–max)", "floor", "× floor", "target", "result"]


def table(figures: Sequence[Figure]) -> str:
    """A Markdown table: readable in a terminal, pasted as is into README.md."""
    rows = [HEADER, *(row(f) for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    right = {1, 2, 3, 4}

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)]
    lines = [line(HEADER), "|" + "|".join(rule) + "|", *(line(r) for r in rows[1:])]
    return "\n".join(lines)
