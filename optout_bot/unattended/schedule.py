"""Unattended checks on a schedule, with the operating system's own scheduler.

One job per flow runs ``<python> -m optout_bot check FLOW --headless --profile P [--fix]
--log-format json`` daily or weekly, as the user (no root, no daemon of our own). This module
is what every platform shares: the rules for a job (flow id, profile, `every`), the command
line and environment it runs with, its time of day, and `Scheduler`, which adds, lists and
removes jobs through one backend. The backends, one module per platform scheduler in
`unattended.backends`, are registered in `BACKENDS` (name -> module, in the shape of
pre-commit's ``all_languages.py``):

- ``cron`` (`backends.crontab`): one crontab line per flow, marked ``# optout-bot:FLOW``;
- ``systemd`` (`backends.systemd`): user timers in ``~/.config/systemd/user``;
- ``launchd`` (`backends.launchd`): a LaunchAgent in ``~/Library/LaunchAgents``;
- ``schtasks`` (`backends.windows`): a Task Scheduler task running a ``.cmd`` wrapper.

`scheduler_name` is the one place that picks the backend for a platform;
``$OPTOUT_BOT_SCHEDULER`` (any name of `BACKENDS`) overrides it.

Jobs run at a fixed time of day derived from a hash of the flow id, the user and the host:
not everyone at 00:00, and never the same minute for every user of a flow. The hours are in
the daytime, when a laptop is more likely to be awake.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from optout_bot.base import paths
from optout_bot.base.names import is_flow_id, is_profile_name
from optout_bot.unattended.backends import crontab, launchd, systemd, windows
from optout_bot.unattended.backends.protocol import (
    CARRIED_ENV,
    EVERY,
    WEEKDAYS,
    Backend,
    Host,
    InvalidJob,
    Job,
    Runner,
    ScheduleError,
    Slot,
    no_line_breaks,
    run_command,
)

__all__ = [
    "BACKENDS",
    "CARRIED_ENV",
    "ENV_SCHEDULER",
    "EVERY",
    "WEEKDAYS",
    "InvalidJob",
    "Job",
    "ScheduleError",
    "Scheduler",
    "Slot",
    "job_command",
    "job_environment",
    "log_file",
    "machine_seed",
    "pick_scheduler",
    "scheduler_name",
    "slot_for",
    "validate",
]

ENV_SCHEDULER = "OPTOUT_BOT_SCHEDULER"
#: Every backend by the name `$OPTOUT_BOT_SCHEDULER`, `Job.backend` and the CLI use.
BACKENDS: dict[str, Backend] = {
    "cron": crontab,
    "systemd": systemd,
    "launchd": launchd,
    "schtasks": windows,
}
FALLBACK_PATH = ("/usr/local/bin", "/usr/bin", "/bin")


# -- the job ----------------------------------------------------------------------------------


def validate(flow: str, every: str = "daily", profile: str = "default") -> None:
    """Check what goes into file names, task names and crontab lines (the project's one id
    rule, `base.names`); InvalidJob says what is allowed."""
    if not is_flow_id(flow):
        raise InvalidJob(
            f"flow id {flow!r}: use lower-case letters, digits and '-' (2 to 64 characters)"
        )
    if every not in EVERY:
        raise InvalidJob(f"--every {every!r}: choose from {', '.join(EVERY)}")
    if not is_profile_name(profile):
        raise InvalidJob(f"--profile {profile!r}: use letters, digits, '.', '_' or '-' (up to 64)")


def slot_for(flow: str, seed: str = "", *, weekly: bool = True) -> Slot:
    """A fixed time for `flow`, spread by a hash: minute 0-59, hour 9-20, any weekday.

    A daily job's weekday is 0: it has none, and a Job read back must equal the one written.
    """
    digest = hashlib.sha256(f"{seed}/{flow}".encode()).digest()
    weekday = digest[2] % 7 if weekly else 0
    return Slot(hour=9 + digest[1] % 12, minute=digest[0] % 60, weekday=weekday)


def machine_seed() -> str:
    """`user@host`: spreads the same flow over different users' machines."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment: still a fine seed
        user = ""
    return f"{user}@{socket.gethostname()}"


def job_command(target: str, *, fix: bool, profile: str, python: str | None = None) -> list[str]:
    """The command line a scheduled job runs (an absolute Python, so the right one runs)."""
    command = [python or sys.executable, "-m", "optout_bot", "check", target, "--headless"]
    command += ["--profile", profile]
    if fix:
        command.append("--fix")
    return [*command, "--log-format", "json"]


def job_environment(
    environ: Mapping[str, str], *, python: str, home: str
) -> tuple[tuple[str, str], ...]:
    """HOME, PATH (Python's folder first, then the user's PATH) and optout-bot's own variables.

    The PATH is the one the user had when scheduling: the job then finds the same browser and
    `notify-send` the user's own commands do; cron's default PATH is /usr/bin:/bin only.
    """
    folders: list[str] = [str(Path(python).parent)]
    for folder in environ.get("PATH", "").split(os.pathsep) or []:
        if folder and os.path.isabs(folder) and folder not in folders:
            folders.append(folder)
    if len(folders) == 1:
        folders += FALLBACK_PATH
    env = [("HOME", home), ("PATH", os.pathsep.join(folders))]
    env += [(name, environ[name]) for name in CARRIED_ENV if environ.get(name)]
    return tuple(env)


def log_file(flow: str) -> Path:
    return paths.data_dir() / "logs" / f"{flow}.log"


# -- adding, listing, removing ----------------------------------------------------------------


class Scheduler:
    """optout-bot's jobs in one backend: the job is checked and built here, the same way for
    every backend; the backend installs, reads back and removes its entries."""

    def __init__(
        self,
        backend: str,
        *,
        run: Runner = run_command,
        home: Path | None = None,
        python: str | None = None,
        environ: Mapping[str, str] | None = None,
        seed: str | None = None,
    ) -> None:
        self.backend = BACKENDS[backend]
        self.host = Host(home=home or Path.home(), run=run, missing_hint=self.backend.MISSING_HINT)
        self.python = python or sys.executable
        self.environ = os.environ if environ is None else environ
        self.seed = machine_seed() if seed is None else seed

    @property
    def name(self) -> str:
        return self.backend.NAME

    def job(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        """The Job `add` would install (nothing is changed)."""
        validate(flow, every, profile)
        target = target or flow
        job = Job(
            flow=flow,
            every=every,
            fix=fix,
            profile=profile,
            target=target,
            slot=slot_for(flow, self.seed, weekly=every == "weekly"),
            command=tuple(job_command(target, fix=fix, profile=profile, python=self.python)),
            log=str(log_file(flow)),
            env=job_environment(self.environ, python=self.python, home=str(self.host.home)),
            backend=self.name,
            location=self.location(flow),
        )
        # Refused before anything is touched (each backend's writer checks again).
        no_line_breaks([*job.command, job.log, *(value for _, value in job.env)])
        return job

    def add(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        """Install the job for `flow`, replacing any earlier one for the same flow."""
        job = self.job(flow, every, fix, profile, target)
        paths.private_dir(Path(job.log).parent)
        self.backend.add(self.host, job)
        return job

    def jobs(self) -> list[Job]:
        """optout-bot's scheduled jobs in this backend."""
        return self.backend.jobs(self.host)

    def remove(self, flow: str) -> bool:
        """Remove the job for `flow`; False when there was none."""
        validate(flow)
        return self.backend.remove(self.host, flow)

    def location(self, flow: str) -> str:
        """Where the backend keeps the job for `flow`."""
        return self.backend.location(self.host, flow)

    def notes(self) -> list[str]:
        """Things the user should know about this scheduler here (shown after `add`)."""
        return self.backend.notes(self.host)


# -- choosing the backend ---------------------------------------------------------------------


def scheduler_name(
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
    systemd_available: Callable[[], bool] = systemd.available,
) -> str:
    """Which backend to use: $OPTOUT_BOT_SCHEDULER, else the platform's own."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENV_SCHEDULER, "").strip()
    if override:
        if override not in BACKENDS:
            raise InvalidJob(f"${ENV_SCHEDULER}={override!r}: choose from {', '.join(BACKENDS)}")
        return override
    if platform == "darwin":
        return "launchd"
    if platform in ("win32", "cygwin"):
        return "schtasks"
    if platform.startswith("linux") and systemd_available():
        return "systemd"
    return "cron"


def pick_scheduler(platform: str = sys.platform, **options: Any) -> Scheduler:
    """The Scheduler for this platform (see `scheduler_name`); `options` go to `Scheduler`."""
    return Scheduler(scheduler_name(platform, options.get("environ")), **options)
