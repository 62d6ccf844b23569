"""cron (Linux and other Unix): one line per flow in the user's crontab.

Each line ends in ``# optout-bot:FLOW`` so that listing and removing touch exactly our lines
and never the user's own; every other line is written back byte for byte.
"""

from __future__ import annotations

import getpass
import re
import shlex
from pathlib import Path

from optout_bot.base.names import FLOW_ID_PATTERN
from optout_bot.unattended.backends.protocol import (
    Host,
    Job,
    Slot,
    failure,
    job_from_command,
    no_line_breaks,
)

NAME = "cron"
MISSING_HINT = (
    "install cron (Debian/Ubuntu: sudo apt-get install cron; Fedora: sudo dnf install "
    "cronie; Arch: sudo pacman -S cronie)"
)
MARKER = "# optout-bot:"
_OURS = re.compile(rf"#\s*optout-bot:(?P<flow>{FLOW_ID_PATTERN})\s*$")
_TIMES = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-6])$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


# -- the entry --------------------------------------------------------------------------------


def line(job: Job) -> str:
    """``M H * * D  HOME=... PATH=... python -m optout_bot check ... >> LOG 2>&1 # optout-bot:F``.

    Every word is shell-quoted (cron runs the line with /bin/sh), and ``%`` is escaped: cron
    turns a bare ``%`` into a line break.
    """
    assert job.slot is not None
    no_line_breaks([*job.command, job.log, *(v for _, v in job.env)])
    day = "*" if job.every == "daily" else str(job.slot.weekday)
    words = [f"{name}={shlex.quote(value)}" for name, value in job.env]
    words += [shlex.quote(word) for word in job.command]
    words += [">>", shlex.quote(job.log), "2>&1"]
    command = " ".join(words).replace("%", "\\%")
    return f"{job.slot.minute} {job.slot.hour} * * {day} {command} {MARKER}{job.flow}"


def flow_of(text: str) -> str | None:
    """The flow id of one of our crontab lines, None for any other line."""
    if text.lstrip().startswith("#"):
        return None
    match = _OURS.search(text)
    return match.group("flow") if match else None


def parse_line(text: str, *, location: str = "") -> Job | None:
    """Our crontab line back into a Job (None if the line is not ours)."""
    flow = flow_of(text)
    if flow is None:
        return None
    body = _OURS.sub("", text).strip()
    fields = body.split(None, 5)
    times, rest = " ".join(fields[:5]), fields[5] if len(fields) > 5 else ""
    slot, every = None, "custom"
    match = _TIMES.match(times)
    if match:
        minute, hour, day = match.groups()
        every = "daily" if day == "*" else "weekly"
        slot = Slot(int(hour), int(minute), 0 if day == "*" else int(day))
    try:
        words = shlex.split(rest.replace("\\%", "%"))
    except ValueError:
        words = rest.split()
    env: list[tuple[str, str]] = []
    while words and _ASSIGNMENT.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        env.append((name, value))
    log = ""
    if ">>" in words:
        at = words.index(">>")
        log = words[at + 1] if at + 1 < len(words) else ""
        words = words[:at]
    return job_from_command(
        flow,
        words,
        every=every,
        slot=slot,
        log=log,
        env=tuple(env),
        backend=NAME,
        location=location,
        schedule_text=f"cron schedule '{times}'",
    )


def with_job(crontab: str, job: Job) -> str:
    """`crontab` with `job`'s line in place of any earlier line for the same flow."""
    kept, _ = without(crontab, job.flow)
    if kept and not kept.endswith("\n"):
        kept += "\n"
    return kept + line(job) + "\n"


def without(crontab: str, flow: str) -> tuple[str, bool]:
    """`crontab` less our line(s) for `flow`; every other line exactly as it was."""
    lines = crontab.splitlines(keepends=True)
    kept = [text for text in lines if flow_of(text) != flow]
    return "".join(kept), len(kept) != len(lines)


def daemon_running(proc_dir: Path = Path("/proc")) -> bool | None:
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


# -- the user's crontab -----------------------------------------------------------------------


def read(host: Host) -> str:
    """The user's crontab ("" when they have none)."""
    argv = ["crontab", "-l"]
    proc = host.call(argv)
    if proc.returncode != 0:
        if "no crontab for" in (proc.stderr or "").lower():
            return ""
        raise failure(argv, proc)
    return proc.stdout


def write(host: Host, text: str) -> None:
    host.check(["crontab", "-"], input=text)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment: say so
        return "?"


# -- the backend interface (protocol.Backend) -----------------------------------------------------


def location(host: Host, flow: str) -> str:
    return f"crontab of user {_user()}"


def add(host: Host, job: Job) -> None:
    write(host, with_job(read(host), job))


def jobs(host: Host) -> list[Job]:
    found = []
    for text in read(host).splitlines():
        job = parse_line(text, location=location(host, ""))
        if job is not None:
            found.append(job)
    return found


def remove(host: Host, flow: str) -> bool:
    kept, removed = without(read(host), flow)
    if removed:
        write(host, kept)
    return removed


def notes(host: Host) -> list[str]:
    if daemon_running() is False:
        return [
            "no cron daemon seems to be running here, so the job will not run until one "
            "is (e.g. sudo systemctl enable --now cron)"
        ]
    return []
