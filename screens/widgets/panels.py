"""Panels side by side that end level."""

from __future__ import annotations

from textual.containers import VerticalGroup
from textual.layout import Layout
from textual.layouts.grid import GridLayout


class PanelRow(VerticalGroup):
    """Panels stacked, or side by side when the CSS gives it a grid: then they end level.

    A grid row is as tall as its tallest panel; stretching the others to it keeps their
    bottom borders on one line instead of a ragged edge above the next panel.
    """

    def pre_layout(self, layout: Layout) -> None:
        if isinstance(layout, GridLayout):
            layout.stretch_height = True
