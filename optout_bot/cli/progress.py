"""The live display of a run on a terminal (rich): a spinner on the step under way, a tick and
the time for each step done, one live line per flow of the run, a coloured result line.

Only on a terminal a person watches (`wanted`): stderr is a terminal, the output is not
`--json`, `--log-format json` or `-q`, NO_COLOR is unset and TERM is not dumb. Everywhere else
(cron, pipes, scripts) the run prints the plain lines of `base.log.HumanRenderer`, as before.

It is fed the run's log events (`base.log.configure(sink=...)`): the runner logs each step in
words (`engine.steps.in_words`) with its selector as `detail`, shown only with -v, and binds
the flow's id (`flow`), which keeps the lines of several flows of one run apart. Steps done
are printed for good above the live part, so the question before a change (asked with the
live part taken down) and anything printed after the run read in order. Text from a flow is
shown as `rich.text.Text`, never parsed as markup: a shared flow's title cannot style or
rewrite the display.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from optout_bot.engine.outcome import Result, Status

#: The colour of a result's tone (`engine.outcome.STATUS_TABLE`): as wanted green, what needs
#: the person (not as wanted, a sign-in, a question) yellow, what went wrong red.
TONE_STYLE = {"good": "green", "bad": "yellow", "calm": "yellow", "warn": "red"}
TICK, CROSS = "✓", "✗"


def wanted(args: argparse.Namespace, stream: Any = None) -> bool:
    """Whether this command's progress is shown live: on a terminal, for a person."""
    stream = stream or sys.stderr
    if getattr(args, "json", False) or getattr(args, "quiet", False):
        return False
    if getattr(args, "log_format", "human") != "human":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@dataclass
class _Doing:
    """What a flow is doing now, since when."""

    text: str
    since: float = field(default_factory=time.monotonic)


class LiveProgress:
    """The live display of one run; `event` is the logging sink."""

    def __init__(self, console: Console, *, several: bool, detail: bool = False) -> None:
        self.console = console
        self.several = several
        self.detail = detail
        self._doing: dict[str, _Doing] = {}
        self._lock = threading.RLock()
        self._live = self._new_live()

    def _new_live(self) -> Live:
        # A new one for each showing: a Live started again remembers the height of what it
        # last drew and would move up over (and erase) the lines printed while it was down.
        return Live(
            self, console=self.console, transient=True, refresh_per_second=12.5, auto_refresh=True
        )

    # -- the sink ----------------------------------------------------------------------------

    def event(self, event: dict[str, Any]) -> None:
        """One log event of the run (see `base.log.configure`)."""
        message = str(event.pop("event", ""))
        level = str(event.pop("level", "info"))
        flow = str(event.pop("flow", "") or "")
        step = event.pop("step", None)
        event.pop("of", None)
        event.pop("timestamp", None)
        detail = event.pop("detail", None)
        locator = event.pop("locator", None)
        if self.detail and (detail or locator):
            message += f" ({detail or locator})"
        extras = " ".join(f"{k}={v}" for k, v in event.items())
        if extras:
            message += f" ({extras})"
        # Printed after the lock is let go: the refresh thread holds the Live's lock while it
        # asks `__rich__` for ours, so printing (which takes the Live's) under ours deadlocks.
        lines: list[Text] = []
        with self._lock:
            if level in ("warning", "error", "critical"):
                style = "yellow" if level == "warning" else "red"
                line = Text("  ! ", style=style)
                if self.several and flow:
                    line.append(f"{flow}: ", style="bold")
                line.append(message, style=style)
                lines.append(line)
            else:
                lines += self._finish(flow, TICK, "green")
                if step is not None or not self.several or flow:
                    self._doing[flow] = _Doing(message)
                else:
                    lines.append(Text(f"  - {message}", style="dim"))
        self._print(lines)

    def _finish(self, flow: str, mark: str, style: str) -> list[Text]:
        """The line of the step `flow` was doing, done (to print for good, above the live
        part); none when it was doing nothing. Call with the lock held."""
        doing = self._doing.pop(flow, None)
        if doing is None:
            return []
        line = Text("  ")
        line.append(mark, style=style)
        line.append(" ")
        if self.several and flow:
            line.append(f"{flow}: ", style="bold")
        line.append(doing.text)
        line.append(f"  {time.monotonic() - doing.since:.1f} s", style="dim")
        return [line]

    def _print(self, lines: list[Text]) -> None:
        """Print `lines` above the live part; never with the lock held (see `event`)."""
        for line in lines:
            self.console.print(line, soft_wrap=True)

    # -- the live part -----------------------------------------------------------------------

    def __rich__(self) -> Group:
        with self._lock:
            rows = list(self._doing.items())
        table = Table.grid(padding=(0, 1))
        table.add_column(width=1)
        table.add_column()
        now = time.monotonic()
        for flow, doing in rows:
            text = Text()
            if self.several and flow:
                text.append(f"{flow}: ", style="bold")
            text.append(doing.text)
            text.append(f"  {now - doing.since:.1f} s", style="dim")
            table.add_row(Spinner("dots", style="cyan"), text)
        return Group(Text(""), table) if rows else Group()

    def start(self) -> None:
        self._live.start()

    def stop(self) -> None:
        """Take the live part down (again: harmless)."""
        self._live.stop()

    def end(self, results: Sequence[Result]) -> None:
        """Take the live part down; the step each flow was at is done (✓) when its flow ended
        as wanted, else it is where the flow stopped (✗, in the result's colour)."""
        self._live.stop()
        lines: list[Text] = []
        with self._lock:
            outcome = {r.flow: r.status for r in results}
            for flow in list(self._doing):
                status = outcome.get(flow) if flow else (results[0].status if results else None)
                if status is None or status.tone == "good":
                    lines += self._finish(flow, TICK, "green")
                else:
                    lines += self._finish(flow, CROSS, TONE_STYLE[status.tone])
        self._print(lines)

    def asking(self, ask: Callable[[str], bool]) -> Callable[[str], bool]:
        """`ask`, with the live part taken down while the person reads and answers."""

        def paused(question: str) -> bool:
            self._live.stop()
            lines: list[Text] = []
            with self._lock:  # what was under way is done: the question comes after it
                for flow in list(self._doing):
                    lines += self._finish(flow, TICK, "green")
            self._print(lines)
            try:
                return ask(question)
            finally:
                self._live = self._new_live()
                self._live.start()

        return paused


@contextmanager
def shown(args: argparse.Namespace, *, several: bool) -> Iterator[LiveProgress | None]:
    """The live display while the block runs, when `wanted`; else None (plain lines)."""
    if not wanted(args):
        yield None
        return
    console = Console(stderr=True, highlight=False, emoji=False, markup=False)
    live = LiveProgress(console, several=several, detail=getattr(args, "verbose", False))
    live.start()
    try:
        yield live
    finally:
        live.stop()  # (already down after `end`)


def result_line(line: str, status: Status) -> None:
    """The summary line on stdout, in its tone's colour when stdout is a terminal."""
    console = Console(highlight=False, emoji=False, markup=False, soft_wrap=True)
    console.print(Text(line, style=f"bold {TONE_STYLE[status.tone]}"))
