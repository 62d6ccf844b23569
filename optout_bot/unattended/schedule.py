"""Unattended checks on a schedule, with the operating system's own scheduler.

One job per flow runs ``<python> -m optout_bot check FLOW --headless --profile P [--fix]
--log-format json`` daily or weekly, as the user (no root, no daemon of our own):

- cron (Linux and other Unix): one crontab line per flow, ending in ``# optout-bot:FLOW`` so
  that listing and removing touch exactly our lines and never the user's own;
- systemd user timers (Linux, when the user's systemd instance answers):
  ``~/.config/systemd/user/optout-bot-FLOW.{service,timer}``;
- launchd (macOS): ``~/Library/LaunchAgents/org.optout-bot.FLOW.plist``;
- Task Scheduler (Windows): the task ``optout-bot\\FLOW``, running a small ``.cmd`` wrapper
  kept in optout-bot's data folder (it adds the log redirection; ``/TR`` alone cannot).

Each backend is split in two: pure functions that *generate* the entry (a crontab line, unit
files, a plist, schtasks arguments) from a `Job`, tested on any OS, and a thin `Scheduler`
that runs the platform's commands. ``$OPTOUT_BOT_SCHEDULER`` (cron, systemd, launchd,
schtasks) overrides the choice.

Jobs run at a fixed time of day derived from a hash of the flow id, the user and the host:
not everyone at 00:00, and never the same minute for every user of a flow. The hours are in
the daytime, when a laptop is more likely to be awake.
"""

from __future__ import annotations

import abc
import builtins
import csv
import getpass
import hashlib
import io
import json
import os
import plistlib
import re
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from optout_bot.base import paths

ENV_SCHEDULER = "OPTOUT_BOT_SCHEDULER"
BACKENDS = ("cron", "systemd", "launchd", "schtasks")
EVERY = ("daily", "weekly")
Every = Literal["daily", "weekly"]
#: Flow ids go into file names, task names and crontab lines: nothing else gets in.
FLOW_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
#: Same rule as `session.PROFILE_NAME`.
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: Seconds one scheduler command (crontab, systemctl, launchctl, schtasks) may take.
COMMAND_TIMEOUT = 30.0
#: Environment the job must see as the user had it when scheduling (where its data, settings
#: and browser are); PATH and HOME are set on top, since cron and launchd start jobs bare.
CARRIED_ENV = (
    "OPTOUT_BOT_HOME",
    "OPTOUT_BOT_CONFIG",
    "OPTOUT_BOT_BROWSER",
    "PLAYWRIGHT_BROWSERS_PATH",
)
FALLBACK_PATH = ("/usr/local/bin", "/usr/bin", "/bin")
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


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


def validate(flow: str, every: str = "daily", profile: str = "default") -> None:
    if not FLOW_ID.match(flow):
        raise InvalidJob(
            f"flow id {flow!r}: use lower-case letters, digits and '-' (2 to 64 characters)"
        )
    if every not in EVERY:
        raise InvalidJob(f"--every {every!r}: choose from {', '.join(EVERY)}")
    if not PROFILE_NAME.match(profile):
        raise InvalidJob(f"--profile {profile!r}: use letters, digits, '.', '_' or '-' (up to 64)")


def _no_line_breaks(values: Sequence[str]) -> None:
    # A line break would end a crontab line or a unit-file setting early; no path needs one.
    for value in values:
        if "\n" in value or "\r" in value or "\0" in value:
            raise InvalidJob(f"cannot schedule a command with a line break in {value!r}")


# -- cron -------------------------------------------------------------------------------------

CRON_MARKER = "# optout-bot:"
_CRON_OURS = re.compile(r"#\s*optout-bot:(?P<flow>[a-z0-9][a-z0-9-]{1,63})\s*$")
_CRON_TIMES = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-6])$")


def cron_line(job: Job) -> str:
    """``M H * * D  HOME=... PATH=... python -m optout_bot check ... >> LOG 2>&1 # optout-bot:F``.

    Every word is shell-quoted (cron runs the line with /bin/sh), and ``%`` is escaped: cron
    turns a bare ``%`` into a line break.
    """
    assert job.slot is not None
    _no_line_breaks([*job.command, job.log, *(v for _, v in job.env)])
    day = "*" if job.every == "daily" else str(job.slot.weekday)
    words = [f"{name}={shlex.quote(value)}" for name, value in job.env]
    words += [shlex.quote(word) for word in job.command]
    words += [">>", shlex.quote(job.log), "2>&1"]
    command = " ".join(words).replace("%", "\\%")
    return f"{job.slot.minute} {job.slot.hour} * * {day} {command} {CRON_MARKER}{job.flow}"


def cron_flow(line: str) -> str | None:
    """The flow id of one of our crontab lines, None for any other line."""
    if line.lstrip().startswith("#"):
        return None
    match = _CRON_OURS.search(line)
    return match.group("flow") if match else None


def parse_cron_line(line: str, *, location: str = "") -> Job | None:
    """Our crontab line back into a Job (None if the line is not ours)."""
    flow = cron_flow(line)
    if flow is None:
        return None
    body = _CRON_OURS.sub("", line).strip()
    fields = body.split(None, 5)
    times, rest = " ".join(fields[:5]), fields[5] if len(fields) > 5 else ""
    slot, every = None, "custom"
    match = _CRON_TIMES.match(times)
    if match:
        minute, hour, day = match.groups()
        every = "daily" if day == "*" else "weekly"
        slot = Slot(int(hour), int(minute), 0 if day == "*" else int(day))
    try:
        words = shlex.split(rest.replace("\\%", "%"))
    except ValueError:
        words = rest.split()
    env: list[tuple[str, str]] = []
    while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        name, _, value = words.pop(0).partition("=")
        env.append((name, value))
    log = ""
    if ">>" in words:
        at = words.index(">>")
        log = words[at + 1] if at + 1 < len(words) else ""
        words = words[:at]
    return _job_from_command(
        flow,
        words,
        every=every,
        slot=slot,
        log=log,
        env=tuple(env),
        backend="cron",
        location=location,
        schedule_text=f"cron schedule '{times}'",
    )


def _job_from_command(flow: str, words: Sequence[str], **fields: Any) -> Job:
    """A Job from the words of our command line (`job_command`'s shape)."""
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


def crontab_with(crontab: str, job: Job) -> str:
    """`crontab` with `job`'s line in place of any earlier line for the same flow."""
    kept, _ = crontab_without(crontab, job.flow)
    if kept and not kept.endswith("\n"):
        kept += "\n"
    return kept + cron_line(job) + "\n"


def crontab_without(crontab: str, flow: str) -> tuple[str, bool]:
    """`crontab` less our line(s) for `flow`; every other line exactly as it was."""
    lines = crontab.splitlines(keepends=True)
    kept = [line for line in lines if cron_flow(line) != flow]
    return "".join(kept), len(kept) != len(lines)


# -- systemd ----------------------------------------------------------------------------------


def _systemd_word(word: str) -> str:
    """One ExecStart= word: quoted when needed; `%` and `$` escaped (specifiers, variables)."""
    word = word.replace("%", "%%").replace("$", "$$")
    if word and not re.search(r"[\s\"'\\;]", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _systemd_assignment(name: str, value: str) -> str:
    """One Environment= value: quoted, `%` escaped (no `$` expansion happens there)."""
    text = f"{name}={value}".replace("%", "%%")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_unit_name(flow: str) -> str:
    return f"optout-bot-{flow}"


def systemd_units(job: Job) -> tuple[str, str]:
    """(the .service text, the .timer text)."""
    assert job.slot is not None
    _no_line_breaks([*job.command, job.log, *(v for _, v in job.env)])
    header = (
        "# Written by optout-bot. Change it with `optout-bot schedule add`, remove it with "
        f"`optout-bot schedule remove {job.flow}`.\n"
    )
    log = job.log.replace("%", "%%")
    environment = "".join(
        f"Environment={_systemd_assignment(name, value)}\n" for name, value in job.env
    )
    service = (
        f"{header}[Unit]\n"
        f"Description=optout-bot: check {job.flow}\n"
        "\n[Service]\n"
        "Type=oneshot\n"
        f"{environment}"
        f"ExecStart={' '.join(_systemd_word(word) for word in job.command)}\n"
        f"StandardOutput=append:{log}\n"
        f"StandardError=append:{log}\n"
    )
    day = "" if job.every == "daily" else WEEKDAYS[job.slot.weekday][:3] + " "
    timer = (
        f"{header}[Unit]\n"
        f"Description=optout-bot: check {job.flow} {job.every}\n"
        "\n[Timer]\n"
        f"OnCalendar={day}*-*-* {job.slot.time}:00\n"
        # A laptop asleep or off at that time runs the check when it is back.
        "Persistent=true\n"
        "RandomizedDelaySec=1h\n"
        "\n[Install]\n"
        "WantedBy=timers.target\n"
    )
    return service, timer


_ON_CALENDAR = re.compile(r"^(?:(Sun|Mon|Tue|Wed|Thu|Fri|Sat) )?\*-\*-\* (\d\d):(\d\d):00$")


def parse_systemd_units(flow: str, service: str, timer: str, *, location: str = "") -> Job:
    """Our unit files back into a Job."""
    settings = _unit_settings(service)
    calendar = _unit_settings(timer).get("OnCalendar", [""])[-1]
    slot, every = None, "custom"
    match = _ON_CALENDAR.match(calendar)
    if match:
        day, hour, minute = match.groups()
        every = "weekly" if day else "daily"
        weekday = [d[:3] for d in WEEKDAYS].index(day) if day else 0
        slot = Slot(int(hour), int(minute), weekday)
    exec_start = settings.get("ExecStart", [""])[-1]
    try:
        words = [w.replace("%%", "%") for w in shlex.split(exec_start.replace("$$", "$"))]
    except ValueError:
        words = exec_start.split()
    env = []
    for assignment in settings.get("Environment", []):
        try:
            name, _, value = shlex.split(assignment)[0].replace("%%", "%").partition("=")
        except (ValueError, IndexError):
            continue
        env.append((name, value))
    log = settings.get("StandardOutput", [""])[-1].removeprefix("append:").replace("%%", "%")
    return _job_from_command(
        flow,
        words,
        every=every,
        slot=slot,
        log=log,
        env=tuple(env),
        backend="systemd",
        location=location,
        schedule_text=f"OnCalendar={calendar}",
    )


def _unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        settings.setdefault(key.strip(), []).append(value.strip())
    return settings


# -- launchd ----------------------------------------------------------------------------------


def launchd_label(flow: str) -> str:
    return f"org.optout-bot.{flow}"


def launchd_plist(job: Job) -> dict[str, Any]:
    """The LaunchAgent (write it with `plistlib.dumps`)."""
    assert job.slot is not None
    interval: dict[str, int] = {"Hour": job.slot.hour, "Minute": job.slot.minute}
    if job.every == "weekly":
        interval["Weekday"] = job.slot.weekday  # 0 = Sunday, as in cron
    return {
        "Label": launchd_label(job.flow),
        "ProgramArguments": list(job.command),
        "StartCalendarInterval": interval,
        "EnvironmentVariables": dict(job.env),
        "StandardOutPath": job.log,
        "StandardErrorPath": job.log,
        "RunAtLoad": False,
        "ProcessType": "Background",
    }


def parse_launchd_plist(flow: str, plist: Mapping[str, Any], *, location: str = "") -> Job:
    interval = plist.get("StartCalendarInterval")
    slot, every = None, "custom"
    if isinstance(interval, dict) and {"Hour", "Minute"} <= interval.keys():
        every = "weekly" if "Weekday" in interval else "daily"
        slot = Slot(int(interval["Hour"]), int(interval["Minute"]), int(interval.get("Weekday", 0)))
    env = plist.get("EnvironmentVariables") or {}
    return _job_from_command(
        flow,
        [str(word) for word in plist.get("ProgramArguments") or []],
        every=every,
        slot=slot,
        log=str(plist.get("StandardOutPath") or ""),
        env=tuple((str(k), str(v)) for k, v in env.items()),
        backend="launchd",
        location=location,
        schedule_text=f"StartCalendarInterval {interval}",
    )


# -- Windows Task Scheduler -------------------------------------------------------------------

SCHTASKS_FOLDER = "optout-bot"
_CMD_META = "rem optout-bot-job "


def schtasks_name(flow: str) -> str:
    return f"{SCHTASKS_FOLDER}\\{flow}"


def _cmd_word(word: str) -> str:
    """One word of a .cmd line: quoted when needed; `%` doubled (cmd expands it)."""
    word = word.replace("%", "%%")
    if word and not re.search(r'[\s&|<>^(),;=!"]', word):
        return word
    return '"' + word.replace('"', "") + '"'


def windows_wrapper(job: Job) -> str:
    """The .cmd file the task runs: optout-bot's variables, the command, the log redirect."""
    _no_line_breaks([*job.command, job.log, *(v for _, v in job.env)])
    meta = {
        "flow": job.flow,
        "every": job.every,
        "fix": job.fix,
        "profile": job.profile,
        "target": job.target,
        "slot": [job.slot.hour, job.slot.minute, job.slot.weekday] if job.slot else None,
        "log": job.log,
    }
    lines = [
        "@echo off",
        "rem Written by optout-bot for the scheduled task "
        f"{schtasks_name(job.flow)}; `optout-bot schedule remove {job.flow}` removes both.",
        _CMD_META + json.dumps(meta, sort_keys=True),
    ]
    # Task Scheduler starts the task with the user's own environment: only optout-bot's
    # variables need carrying (HOME and PATH are Unix cron's problem).
    lines += [
        f'set "{name}={value.replace("%", "%%")}"' for name, value in job.env if name in CARRIED_ENV
    ]
    command = " ".join(_cmd_word(word) for word in job.command)
    lines.append(f"{command} >> {_cmd_word(job.log)} 2>&1")
    return "\r\n".join(lines) + "\r\n"


def schtasks_create_args(job: Job, wrapper: str) -> list[str]:
    """``schtasks /Create`` arguments for `job`, running `wrapper` (`windows_wrapper`'s file)."""
    assert job.slot is not None
    args = ["schtasks", "/Create", "/TN", schtasks_name(job.flow), "/TR", f'"{wrapper}"']
    if job.every == "daily":
        args += ["/SC", "DAILY"]
    else:
        args += ["/SC", "WEEKLY", "/D", WEEKDAYS[job.slot.weekday][:3].upper()]
    return [*args, "/ST", job.slot.time, "/F"]


def parse_windows_wrapper(text: str, *, location: str = "") -> Job | None:
    for line in text.splitlines():
        if line.startswith(_CMD_META):
            try:
                meta = json.loads(line[len(_CMD_META) :])
                slot = Slot(*meta["slot"]) if meta.get("slot") else None
                fix, profile = bool(meta["fix"]), str(meta["profile"])
                return Job(
                    flow=str(meta["flow"]),
                    every=str(meta["every"]),
                    fix=fix,
                    profile=profile,
                    target=str(meta["target"]),
                    slot=slot,
                    command=(),
                    log=str(meta.get("log", "")),
                    backend="schtasks",
                    location=location,
                )
            except (ValueError, KeyError, TypeError):
                return None
    return None


def schtasks_flows(csv_text: str) -> list[str]:
    """The flow ids of our tasks in ``schtasks /Query /FO CSV /NH`` output."""
    flows = []
    for row in csv.reader(io.StringIO(csv_text)):
        if not row:
            continue
        name = row[0].strip().lstrip("\\")
        folder, _, flow = name.rpartition("\\")
        if folder.lower() == SCHTASKS_FOLDER and FLOW_ID.match(flow) and flow not in flows:
            flows.append(flow)
    return flows


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


def _failed(argv: list[str], proc: subprocess.CompletedProcess[str]) -> ScheduleError:
    detail = (proc.stderr or proc.stdout or "").strip() or f"exit code {proc.returncode}"
    return ScheduleError(f"`{shlex.join(argv)}` failed: {detail}")


class Scheduler(abc.ABC):
    """A platform's scheduler: add (or replace), list and remove optout-bot's jobs."""

    name: ClassVar[str]

    def __init__(
        self,
        *,
        run: Runner = run_command,
        home: Path | None = None,
        python: str | None = None,
        environ: Mapping[str, str] | None = None,
        seed: str | None = None,
    ) -> None:
        self.run = run
        self.home = home or Path.home()
        self.python = python or sys.executable
        self.environ = os.environ if environ is None else environ
        self.seed = machine_seed() if seed is None else seed

    def job(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        """The Job `add` would install (nothing is changed)."""
        validate(flow, every, profile)
        return Job(
            flow=flow,
            every=every,
            fix=fix,
            profile=profile,
            target=target or flow,
            slot=slot_for(flow, self.seed, weekly=every == "weekly"),
            command=tuple(
                job_command(target or flow, fix=fix, profile=profile, python=self.python)
            ),
            log=str(log_file(flow)),
            env=job_environment(self.environ, python=self.python, home=str(self.home)),
            backend=self.name,
            location=self.location(flow),
        )

    @abc.abstractmethod
    def location(self, flow: str) -> str: ...

    @abc.abstractmethod
    def add(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        """Install the job for `flow`, replacing any earlier one for the same flow."""

    @abc.abstractmethod
    def list(self) -> builtins.list[Job]: ...

    @abc.abstractmethod
    def remove(self, flow: str) -> bool:
        """Remove the job for `flow`; False when there was none."""

    def notes(self) -> builtins.list[str]:
        """Things the user should know about this scheduler here (shown after `add`)."""
        return []

    def _call(
        self, argv: builtins.list[str], input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        try:
            return self.run(argv, input=input)
        except FileNotFoundError:
            raise ScheduleError(f"`{argv[0]}` was not found; {self.missing_hint}") from None

    missing_hint: ClassVar[str] = "is this the right scheduler for this system?"


def log_file(flow: str) -> Path:
    return paths.data_dir() / "logs" / f"{flow}.log"


def _prepare_log(job: Job) -> None:
    paths.private_dir(Path(job.log).parent)


class CronScheduler(Scheduler):
    name = "cron"
    missing_hint: ClassVar[str] = (
        "install cron (Debian/Ubuntu: sudo apt-get install cron; Fedora: sudo dnf install "
        "cronie; Arch: sudo pacman -S cronie)"
    )

    def location(self, flow: str) -> str:
        return f"crontab of user {_user()}"

    def read(self) -> str:
        argv = ["crontab", "-l"]
        proc = self._call(argv)
        if proc.returncode != 0:
            if "no crontab for" in (proc.stderr or "").lower():
                return ""
            raise _failed(argv, proc)
        return proc.stdout

    def write(self, text: str) -> None:
        argv = ["crontab", "-"]
        proc = self._call(argv, input=text)
        if proc.returncode != 0:
            raise _failed(argv, proc)

    def add(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        job = self.job(flow, every, fix, profile, target)
        current = self.read()
        _prepare_log(job)
        self.write(crontab_with(current, job))
        return job

    def list(self) -> builtins.list[Job]:
        jobs = []
        for line in self.read().splitlines():
            job = parse_cron_line(line, location=self.location(""))
            if job is not None:
                jobs.append(job)
        return jobs

    def remove(self, flow: str) -> bool:
        validate(flow)
        current = self.read()
        kept, removed = crontab_without(current, flow)
        if removed:
            self.write(kept)
        return removed

    def notes(self) -> builtins.list[str]:
        if cron_daemon_running() is False:
            return [
                "no cron daemon seems to be running here, so the job will not run until one "
                "is (e.g. sudo systemctl enable --now cron)"
            ]
        return []


def cron_daemon_running(proc_dir: Path = Path("/proc")) -> bool | None:
    """Whether a cron daemon process is running (None: cannot tell on this system)."""
    if not proc_dir.is_dir():
        return None
    names = {"cron", "crond", "cronie", "fcron", "busybox-crond"}
    for comm in proc_dir.glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in names:
                return True
        except OSError:
            continue
    return False


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "?"


class SystemdScheduler(Scheduler):
    name = "systemd"
    missing_hint: ClassVar[str] = "set OPTOUT_BOT_SCHEDULER=cron to use cron instead"

    @property
    def unit_dir(self) -> Path:
        return self.home / ".config" / "systemd" / "user"

    def location(self, flow: str) -> str:
        return str(self.unit_dir / f"{systemd_unit_name(flow)}.timer")

    def _systemctl(self, *args: str) -> None:
        argv = ["systemctl", "--user", *args]
        proc = self._call(argv)
        if proc.returncode != 0:
            raise _failed(argv, proc)

    def add(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        job = self.job(flow, every, fix, profile, target)
        service, timer = systemd_units(job)
        _prepare_log(job)
        self.unit_dir.mkdir(parents=True, exist_ok=True)
        unit = systemd_unit_name(flow)
        (self.unit_dir / f"{unit}.service").write_text(service, encoding="utf-8")
        (self.unit_dir / f"{unit}.timer").write_text(timer, encoding="utf-8")
        self._systemctl("daemon-reload")
        self._systemctl("enable", "--now", f"{unit}.timer")
        # `enable --now` leaves a running timer on its old schedule; restart picks up the new.
        self._systemctl("restart", f"{unit}.timer")
        return job

    def list(self) -> builtins.list[Job]:
        jobs = []
        for timer in sorted(self.unit_dir.glob("optout-bot-*.timer")):
            flow = timer.stem.removeprefix("optout-bot-")
            service = timer.with_suffix(".service")
            if not FLOW_ID.match(flow) or not service.is_file():
                continue
            jobs.append(
                parse_systemd_units(
                    flow,
                    service.read_text(encoding="utf-8"),
                    timer.read_text(encoding="utf-8"),
                    location=str(timer),
                )
            )
        return jobs

    def remove(self, flow: str) -> bool:
        validate(flow)
        unit = systemd_unit_name(flow)
        files = [self.unit_dir / f"{unit}.timer", self.unit_dir / f"{unit}.service"]
        if not any(f.exists() for f in files):
            return False
        argv = ["systemctl", "--user", "disable", "--now", f"{unit}.timer"]
        self._call(argv)  # a timer that is already gone is fine
        for f in files:
            f.unlink(missing_ok=True)
        self._systemctl("daemon-reload")
        return True

    def notes(self) -> builtins.list[str]:
        return [
            "systemd runs user timers only while you are logged in; to run them always: "
            "loginctl enable-linger"
        ]


def systemd_user_available(run: Runner = run_command) -> bool:
    """Whether this user's systemd instance answers (not the case in many containers)."""
    if shutil.which("systemctl") is None:
        return False
    try:
        proc = run(["systemctl", "--user", "show-environment"])
    except (OSError, ScheduleError):
        return False
    return proc.returncode == 0


class LaunchdScheduler(Scheduler):
    name = "launchd"

    @property
    def agents_dir(self) -> Path:
        return self.home / "Library" / "LaunchAgents"

    def plist_path(self, flow: str) -> Path:
        return self.agents_dir / f"{launchd_label(flow)}.plist"

    def location(self, flow: str) -> str:
        return str(self.plist_path(flow))

    @property
    def domain(self) -> str:
        return f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui/0"

    def _unload(self, flow: str) -> None:
        # Either command may fail when the agent is not loaded: that is the state we want.
        proc = self._call(["launchctl", "bootout", f"{self.domain}/{launchd_label(flow)}"])
        if proc.returncode != 0:
            self._call(["launchctl", "unload", str(self.plist_path(flow))])

    def add(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        job = self.job(flow, every, fix, profile, target)
        path = self.plist_path(flow)
        _prepare_log(job)
        self.agents_dir.mkdir(parents=True, exist_ok=True)
        if path.exists():
            self._unload(flow)
        path.write_bytes(plistlib.dumps(launchd_plist(job)))
        argv = ["launchctl", "bootstrap", self.domain, str(path)]
        proc = self._call(argv)
        if proc.returncode != 0:
            # Older macOS (before 10.11) has no bootstrap: the legacy subcommand.
            legacy = ["launchctl", "load", "-w", str(path)]
            fallback = self._call(legacy)
            if fallback.returncode != 0:
                raise _failed(argv, proc)
        return job

    def list(self) -> builtins.list[Job]:
        jobs = []
        for path in sorted(self.agents_dir.glob("org.optout-bot.*.plist")):
            flow = path.name.removeprefix("org.optout-bot.").removesuffix(".plist")
            if not FLOW_ID.match(flow):
                continue
            try:
                plist = plistlib.loads(path.read_bytes())
            except (OSError, ValueError, plistlib.InvalidFileException):
                continue
            jobs.append(parse_launchd_plist(flow, plist, location=str(path)))
        return jobs

    def remove(self, flow: str) -> bool:
        validate(flow)
        path = self.plist_path(flow)
        if not path.exists():
            return False
        self._unload(flow)
        path.unlink(missing_ok=True)
        return True


class SchtasksScheduler(Scheduler):
    name = "schtasks"

    def wrapper(self, flow: str) -> Path:
        return paths.data_dir() / "jobs" / f"{flow}.cmd"

    def location(self, flow: str) -> str:
        return f"Task Scheduler: {schtasks_name(flow)}"

    def add(self, flow: str, every: str, fix: bool, profile: str, target: str | None = None) -> Job:
        job = self.job(flow, every, fix, profile, target)
        wrapper = self.wrapper(flow)
        _prepare_log(job)
        paths.private_dir(wrapper.parent)
        wrapper.write_text(windows_wrapper(job), encoding="utf-8", newline="")
        argv = schtasks_create_args(job, str(wrapper))
        proc = self._call(argv)
        if proc.returncode != 0:
            raise _failed(argv, proc)
        return job

    def _flows(self) -> builtins.list[str]:
        argv = ["schtasks", "/Query", "/FO", "CSV", "/NH"]
        proc = self._call(argv)
        if proc.returncode != 0:
            raise _failed(argv, proc)
        return schtasks_flows(proc.stdout)

    def list(self) -> builtins.list[Job]:
        jobs = []
        for flow in self._flows():
            job = None
            try:
                job = parse_windows_wrapper(
                    self.wrapper(flow).read_text(encoding="utf-8"), location=self.location(flow)
                )
            except OSError:
                pass
            if job is None:  # the task without its wrapper: still ours, details unknown
                job = Job(
                    flow,
                    "custom",
                    False,
                    "?",
                    flow,
                    None,
                    (),
                    backend=self.name,
                    location=self.location(flow),
                    schedule_text="(wrapper file missing)",
                )
            jobs.append(job)
        return jobs

    def remove(self, flow: str) -> bool:
        validate(flow)
        if flow not in self._flows():
            return False
        argv = ["schtasks", "/Delete", "/TN", schtasks_name(flow), "/F"]
        proc = self._call(argv)
        if proc.returncode != 0:
            raise _failed(argv, proc)
        self.wrapper(flow).unlink(missing_ok=True)
        return True


SCHEDULERS: dict[str, type[Scheduler]] = {
    "cron": CronScheduler,
    "systemd": SystemdScheduler,
    "launchd": LaunchdScheduler,
    "schtasks": SchtasksScheduler,
}


def scheduler_name(
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
    systemd_available: Callable[[], bool] = systemd_user_available,
) -> str:
    """Which backend to use: $OPTOUT_BOT_SCHEDULER, else the platform's own."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENV_SCHEDULER, "").strip()
    if override:
        if override not in SCHEDULERS:
            raise InvalidJob(f"${ENV_SCHEDULER}={override!r}: choose from {', '.join(SCHEDULERS)}")
        return override
    if platform == "darwin":
        return "launchd"
    if platform in ("win32", "cygwin"):
        return "schtasks"
    if platform.startswith("linux") and systemd_available():
        return "systemd"
    return "cron"


def pick_scheduler(platform: str = sys.platform, **options: Any) -> Scheduler:
    """The Scheduler for this platform (see `scheduler_name`)."""
    environ = options.get("environ")
    return SCHEDULERS[scheduler_name(platform, environ)](**options)
