"""The floor: the least a Textual app can do, measured beside facilitator in the same run.

A target such as "at most 1.25× the floor" only means something against a floor taken
on the same machine, at the same moment, under the same load: Textual's own start-up,
a bare Input's echo and a one-line clock are what facilitator cannot go below.

Modes (first argument):

- ``label``: paints one label and idles (cold start and memory);
- ``input``: one focused Input under the label, emptied on Enter as the capture line is
  (key-to-echo, and the key typed just after Enter);
- ``clock``: the label shows a ticking ``MM:SS`` once a second, repainting that line
  only (terminal output per second).
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Input, Label

MARK = "facilitator bench floor"


class FloorApp(App[None]):
    """One label, optionally an input or a one-line clock; nothing else."""

    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Label(MARK, id="mark")
        if self.mode == "input":
            line = Input(id="line")
            line.cursor_blink = False
            yield line
        elif self.mode == "clock":
            yield Label("00:00", id="clock")

    def on_mount(self) -> None:
        if self.mode == "input":
            self.query_one(Input).focus()
        elif self.mode == "clock":
            self.set_interval(1.0, self.tick)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.input.value = ""

    def tick(self) -> None:
        elapsed = int(time.monotonic() - self.started)
        self.query_one("#clock", Label).update(
            f"{elapsed // 60:02}:{elapsed % 60:02}", layout=False
        )


if __name__ == "__main__":
    FloorApp(sys.argv[1] if len(sys.argv) > 1 else "label").run()
