"""What every schedule backend shares: the `Job` record, the errors, running the platform's
commands (`Host`), and the interface a backend module implements (`Backend`).

It lives here rather than in `unattended.schedule` because that module imports every backend
for its registry; the backends import only this one, so there is no import cycle.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

EVERY = ("daily", "weekly")
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
#: Environment the job must see as the user had it when scheduling (where its data, settings
#: and browser are); PATH and HOME are set on top, since cron and launchd start jobs bare.
CARRIED_ENV = (
    "OPTOUT_BOT_HOME",
    "OPTOUT_BOT_CONFIG",
    "OPTOUT_BOT_BROWSER",
    "PLAYWRIGHT_BROWSERS_PATH",
)
#: Seconds one scheduler command (crontab, systemctl, launchctl, schtasks) may take.
COMMAND_TIMEOUT = 30.0
#: What to say when a backend's command is missing and the backend has no better advice.
MISSING_HINT = "is this the right scheduler for this system?"


class ScheduleError(Exception):
    """The scheduler could not do it; the message says why and what to do."""


class InvalidJob(ValueError):
    """A bad flow id, profile, frequency or scheduler name (invalid input)."""


# -- the job ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """When a job runs: local time of day, and the weekday for weekly jobs (0 = Sunday)."""

    hour: int
    minute: int
    weekday: int = 0

    @property
    def time(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Job:
    """One scheduled check: what runs, when, where the scheduler keeps it."""

    flow: str
    every: str  # "daily" | "weekly" | "custom" (an entry changed by hand)
    fix: bool
    profile: str
    #: The FLOW argument of the command: the flow id, or the absolute path of a flow file.
    target: str
    slot: Slot | None
    command: tuple[str, ...]
    log: str = ""
    #: Environment set for the job, as (name, value) pairs.
    env: tuple[tuple[str, str], ...] = ()
    backend: str = ""
    #: Where the scheduler keeps it: a file, "crontab of user X", a task name.
    location: str = ""
    #: How the schedule reads when it is not ours to describe (a hand-edited entry).
    schedule_text: str = field(default="", compare=False)

    @property
    def when(self) -> str:
        if self.slot is None or self.every not in EVERY:
            return self.schedule_text or "(unknown schedule)"
        day = "every day" if self.every == "daily" else f"every {WEEKDAYS[self.slot.weekday]}"
        text = f"{day} at {self.slot.time}"
        if self.backend == "systemd":
            # The systemd timer's RandomizedDelaySec and Persistent (see backends/systemd.py).
            text += " (up to an hour later; a missed run happens at the next start-up)"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "every": self.every,
            "fix": self.fix,
            "profile": self.profile,
            "target": self.target,
            "when": self.when,
            "time": self.slot.time if self.slot else None,
            "weekday": WEEKDAYS[self.slot.weekday]
            if self.slot and self.every == "weekly"
            else None,
            "backend": self.backend,
            "location": self.location,
            "command": list(self.command),
            "log": self.log,
        }


def no_line_breaks(values: Sequence[str]) -> None:
    """Refuse a value with a line break: it would end a crontab line or a unit-file setting
    early (a way to smuggle in a second entry); no path needs one."""
    for value in values:
        if "\n" in value or "\r" in value or "\0" in value:
            raise InvalidJob(f"cannot schedule a command with a line break in {value!r}")


def job_from_command(flow: str, words: Sequence[str], **fields: Any) -> Job:
    """A Job from the words of our command line (`schedule.job_command`'s shape), as a backend
    reads it back from its entry; `fields` are the rest of the Job."""
    words = list(words)
    target, profile = flow, "default"
    if "check" in words:
        at = words.index("check")
        if at + 1 < len(words):
            target = words[at + 1]
    if "--profile" in words:
        at = words.index("--profile")
        if at + 1 < len(words):
            profile = words[at + 1]
    return Job(
        flow=flow,
        fix="--fix" in words,
        profile=profile,
        target=target,
        command=tuple(words),
        **fields,
    )


# -- running the platform's commands ----------------------------------------------------------

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def run_command(argv: list[str], input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a scheduler command (arguments as a list, no shell), with a time limit."""
    try:
        return subprocess.run(
            argv,
            input=input,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=COMMAND_TIMEOUT,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise ScheduleError(
            f"`{shlex.join(argv)}` did not finish within {COMMAND_TIMEOUT:g} s"
        ) from None


def failure(argv: list[str], proc: subprocess.CompletedProcess[str]) -> ScheduleError:
    """The error for a scheduler command that exited non-zero: the command and its message."""
    detail = (proc.stderr or proc.stdout or "").strip() or f"exit code {proc.returncode}"
    return ScheduleError(f"`{shlex.join(argv)}` failed: {detail}")


@dataclass(frozen=True)
class Host:
    """The user's machine as a backend sees it: their home folder, and how commands run
    (tests record the commands instead of running them)."""

    home: Path
    run: Runner = run_command
    #: Advice when the backend's command is not installed (`Backend.MISSING_HINT`).
    missing_hint: str = MISSING_HINT

    def call(self, argv: list[str], input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run `argv`, whatever its exit code; a missing program is a ScheduleError."""
        try:
            return self.run(argv, input=input)
        except FileNotFoundError:
            raise ScheduleError(f"`{argv[0]}` was not found; {self.missing_hint}") from None

    def check(self, argv: list[str], input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run `argv`; a non-zero exit is a ScheduleError too."""
        proc = self.call(argv, input=input)
        if proc.returncode != 0:
            raise failure(argv, proc)
        return proc


# -- the interface ----------------------------------------------------------------------------


class Backend(Protocol):
    """One platform scheduler. Each module of this package is one (a module satisfies this
    protocol through its module-level names), registered in `schedule.BACKENDS`.

    The caller validates the flow id and builds the Job; a backend only installs, reads back
    and removes its entries, replacing an earlier entry for the same flow on `add`.
    """

    #: The name in `$OPTOUT_BOT_SCHEDULER`, `Job.backend` and the CLI's output.
    NAME: str
    #: How to get the backend's command when it is missing.
    MISSING_HINT: str

    def location(self, host: Host, flow: str) -> str:
        """Where the entry for `flow` is kept, in words the user can look up."""
        ...

    def add(self, host: Host, job: Job) -> None:
        """Install `job`, replacing any earlier entry for the same flow."""
        ...

    def jobs(self, host: Host) -> list[Job]:
        """optout-bot's entries, read back; nobody else's."""
        ...

    def remove(self, host: Host, flow: str) -> bool:
        """Remove the entry for `flow`; False when there was none."""
        ...

    def notes(self, host: Host) -> list[str]:
        """Things the user should know about this scheduler here (shown after `add`)."""
        ...
