"""The live clock: the current item, the time left (then overtime), ahead or behind.

It repaints only itself, once a second, with ``layout=False`` on fixed-size lines:
over SSH that keeps a running clock to a few dozen bytes a second.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from facilitator.clock import ClockState, Status, clock_label
from facilitator.i18n import t

WARN_SHARE = 0.20  # a warning colour when a fifth of the item is left
CRITICAL_SHARE = 0.05


def urgency(state: ClockState, budget: float) -> str:
    """``""``, ``warn``, ``critical`` or ``over``: how close the current item is to its end."""
    if state.status is not Status.RUNNING and state.status is not Status.PAUSED:
        return ""
    if state.overtime > 0:
        return "over"
    if budget <= 0:
        return ""
    share = state.remaining / budget
    if share <= CRITICAL_SHARE:
        return "critical"
    if share <= WARN_SHARE:
        return "warn"
    return ""


def time_line(state: ClockState, budget: float) -> Text:
    """« 12:34 restantes sur 15 min » or « +02:10 de dépassement »; paused says so."""
    if state.status is Status.FINISHED:
        return Text(t("session.clock.finished"), style="bold")
    if state.overtime > 0:
        big = Text(f"+{clock_label(state.overtime)}", style="bold")
        text = big + Text(" " + t("session.clock.overtime"))
    else:
        big = Text(clock_label(state.remaining), style="bold")
        text = big + Text(" " + t("session.clock.left", minutes=round(budget / 60)))
    if state.status is Status.PAUSED:
        text += Text("  ⏸ " + t("agenda.status.paused"), style="bold")
    elif state.status is Status.NOT_STARTED:
        text += Text("  " + t("session.clock.not_started"))
    return text


def schedule_line(state: ClockState, timezone: str) -> str:
    """Ahead or behind for the whole session, and when it will end at this pace."""
    if state.status is Status.NOT_STARTED or state.status is Status.FINISHED:
        return ""
    end = state.projected_end.to(timezone).format("HH:mm")
    minutes = round(state.behind / 60)
    if minutes > 0:
        pace = t("session.clock.behind", minutes=minutes)
    elif minutes < 0:
        pace = t("session.clock.ahead", minutes=-minutes)
    else:
        pace = t("session.clock.on_time")
    return t("session.clock.schedule", pace=pace, end=end)


class ClockPanel(Vertical):
    """Three fixed lines: the item, the time, the pace."""

    DEFAULT_CSS = """
    ClockPanel { height: 3; padding: 0 1; background: $boost; }
    ClockPanel > Static { height: 1; width: 1fr; }
    ClockPanel #clock-item { text-style: bold; }
    ClockPanel.-warn #clock-time { color: $warning; }
    ClockPanel.-critical #clock-time { color: $error; }
    ClockPanel.-over #clock-time { color: $error; text-style: reverse; }
    ClockPanel #clock-pace { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="clock-item")
        yield Static("", id="clock-time")
        yield Static("", id="clock-pace")

    def show(self, title: str, state: ClockState, budget: float, timezone: str) -> None:
        level = urgency(state, budget)
        for name in ("warn", "critical", "over"):
            self.set_class(level == name, f"-{name}")
        marker = {Status.RUNNING: "▶", Status.PAUSED: "⏸", Status.FINISHED: "■"}.get(
            state.status, "○"
        )
        self._set("clock-item", f"{marker} {title}")
        self._set("clock-time", time_line(state, budget))
        self._set("clock-pace", schedule_line(state, timezone))

    def _set(self, line_id: str, content: str | Text) -> None:
        """Repaint a line only when its text changed: a tick usually changes one line."""
        key = content.markup if isinstance(content, Text) else content
        if self._lines.get(line_id) != key:
            self._lines[line_id] = key
            self.query_one(f"#{line_id}", Static).update(content, layout=False)
