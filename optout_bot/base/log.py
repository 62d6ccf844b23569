"""Logging, configured once per command: live progress for people, JSON lines for machines.

Everything goes to stderr, so stdout stays free for the summary line or the `--json` object.
The runner logs what it does (steps, states, URLs of the site's pages); it never logs
cookies, tokens or form contents -- it never reads them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO

import structlog

_MARKS = {"warning": "!", "error": "x", "critical": "x"}


#: Keys that name an element by its selector: shown with -v only (people read titles; the
#: evidence and the diagnosis keep the selectors).
DETAIL_KEYS = ("detail", "locator")


class HumanRenderer:
    """`[3/6] Open Data privacy`, `! warning text (key=value)`; with `detail` (-v) the
    selectors too: `[3/6] Open Data privacy (click role=link name='Data privacy')`. The flow
    a line is about (`flow`, bound by the runner) is not shown: the lines are as they were
    before several flows ran at once."""

    def __init__(self, detail: bool = False) -> None:
        self.detail = detail

    def __call__(self, logger: object, method: str, event: dict[str, Any]) -> str:
        message = str(event.pop("event", ""))
        level = str(event.pop("level", method))
        step, of = event.pop("step", None), event.pop("of", None)
        event.pop("timestamp", None)
        event.pop("flow", None)
        if step is not None and "detail" in event:
            detail = event.pop("detail")
            if self.detail:
                message = f"{message} ({detail})"
        for key in DETAIL_KEYS:
            if not self.detail:
                event.pop(key, None)
        extras = " ".join(f"{k}={v}" for k, v in event.items())
        prefix = f"[{step}/{of}]" if step is not None else _MARKS.get(level, "-")
        line = f"  {prefix} {message}"
        return f"{line} ({extras})" if extras else line


class _ToSink:
    """The last processor when a live display shows the run (`configure(sink=...)`): each
    event goes to it, and nothing is printed."""

    def __init__(self, sink: Callable[[dict[str, Any]], None]) -> None:
        self.sink = sink

    def __call__(self, logger: object, method: str, event: dict[str, Any]) -> str:
        self.sink(dict(event))
        raise structlog.DropEvent


class _OneLine(logging.Handler):
    """Playwright logs errors raised inside its event listeners with a full traceback (for
    instance a Ctrl-C that lands while a listener runs). The run reports those itself, so
    people get one line, and nothing for an interrupt."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, KeyboardInterrupt):
            return
        detail = f" ({type(error).__name__}: {error})" if error else ""
        print(f"  ! playwright: {record.getMessage()}{detail}", file=self.stream)


class _CurrentStderr:
    """Whatever sys.stderr is at the time of writing (it is swapped by tests and tools that
    capture output; a stream captured at configure time may be closed by then)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure(
    fmt: str = "human",
    stream: TextIO | None = None,
    verbose: bool = True,
    *,
    detail: bool = False,
    sink: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Logging for a command: `fmt` "json" (JSON lines) or "human" (lines, or each event
    handed to `sink`, a live display, instead); `verbose` False: warnings only; `detail`:
    human lines show selectors too."""
    out: Any = stream or _CurrentStderr()
    playwright_log = logging.getLogger("playwright")
    playwright_log.handlers = [_OneLine(out)]
    playwright_log.propagate = False
    processors: list[Any] = [structlog.processors.add_log_level]
    if fmt == "json":
        processors += [
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ]
    elif sink is not None:
        processors.append(_ToSink(sink))
    else:
        processors.append(HumanRenderer(detail))
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(10 if verbose else 30),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
