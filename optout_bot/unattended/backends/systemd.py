"""systemd user timers (Linux, when the user's systemd instance answers):
``~/.config/systemd/user/optout-bot-FLOW.{service,timer}``, enabled with ``systemctl --user``.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from optout_bot.base.names import is_flow_id
from optout_bot.unattended.backends.protocol import (
    WEEKDAYS,
    Host,
    Job,
    Runner,
    ScheduleError,
    Slot,
    job_from_command,
    no_line_breaks,
    run_command,
)

NAME = "systemd"
MISSING_HINT = "set OPTOUT_BOT_SCHEDULER=cron to use cron instead"
_ON_CALENDAR = re.compile(r"^(?:(Sun|Mon|Tue|Wed|Thu|Fri|Sat) )?\*-\*-\* (\d\d):(\d\d):00$")


# -- the entry --------------------------------------------------------------------------------


def unit_name(flow: str) -> str:
    return f"optout-bot-{flow}"


def _word(word: str) -> str:
    """One ExecStart= word: quoted when needed; `%` and `$` escaped (specifiers, variables)."""
    word = word.replace("%", "%%").replace("$", "$$")
    if word and not re.search(r"[\s\"'\\;]", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _assignment(name: str, value: str) -> str:
    """One Environment= value: quoted, `%` escaped (no `$` expansion happens there)."""
    text = f"{name}={value}".replace("%", "%%")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def units(job: Job) -> tuple[str, str]:
    """(the .service text, the .timer text)."""
    assert job.slot is not None
    no_line_breaks([*job.command, job.log, *(v for _, v in job.env)])
    header = (
        "# Written by optout-bot. Change it with `optout-bot schedule add`, remove it with "
        f"`optout-bot schedule remove {job.flow}`.\n"
    )
    log = job.log.replace("%", "%%")
    environment = "".join(f"Environment={_assignment(name, value)}\n" for name, value in job.env)
    service = (
        f"{header}[Unit]\n"
        f"Description=optout-bot: check {job.flow}\n"
        "\n[Service]\n"
        "Type=oneshot\n"
        f"{environment}"
        f"ExecStart={' '.join(_word(word) for word in job.command)}\n"
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


def parse_units(flow: str, service: str, timer: str, *, location: str = "") -> Job:
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
    return job_from_command(
        flow,
        words,
        every=every,
        slot=slot,
        log=log,
        env=tuple(env),
        backend=NAME,
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


# -- the user's systemd instance --------------------------------------------------------------


def available(run: Runner = run_command) -> bool:
    """Whether this user's systemd instance answers (not the case in many containers)."""
    if shutil.which("systemctl") is None:
        return False
    try:
        proc = run(["systemctl", "--user", "show-environment"])
    except (OSError, ScheduleError):
        return False
    return proc.returncode == 0


def unit_dir(host: Host) -> Path:
    return host.home / ".config" / "systemd" / "user"


def _systemctl(host: Host, *args: str) -> None:
    host.check(["systemctl", "--user", *args])


# -- the backend interface (protocol.Backend) -----------------------------------------------------


def location(host: Host, flow: str) -> str:
    return str(unit_dir(host) / f"{unit_name(flow)}.timer")


def add(host: Host, job: Job) -> None:
    service, timer = units(job)
    folder = unit_dir(host)
    folder.mkdir(parents=True, exist_ok=True)
    unit = unit_name(job.flow)
    (folder / f"{unit}.service").write_text(service, encoding="utf-8")
    (folder / f"{unit}.timer").write_text(timer, encoding="utf-8")
    _systemctl(host, "daemon-reload")
    _systemctl(host, "enable", "--now", f"{unit}.timer")
    # `enable --now` leaves a running timer on its old schedule; restart picks up the new.
    _systemctl(host, "restart", f"{unit}.timer")


def jobs(host: Host) -> list[Job]:
    found = []
    for timer in sorted(unit_dir(host).glob("optout-bot-*.timer")):
        flow = timer.stem.removeprefix("optout-bot-")
        service = timer.with_suffix(".service")
        if not is_flow_id(flow) or not service.is_file():
            continue
        found.append(
            parse_units(
                flow,
                service.read_text(encoding="utf-8"),
                timer.read_text(encoding="utf-8"),
                location=str(timer),
            )
        )
    return found


def remove(host: Host, flow: str) -> bool:
    unit = unit_name(flow)
    folder = unit_dir(host)
    files = [folder / f"{unit}.timer", folder / f"{unit}.service"]
    if not any(f.exists() for f in files):
        return False
    host.call(["systemctl", "--user", "disable", "--now", f"{unit}.timer"])  # gone is fine
    for f in files:
        f.unlink(missing_ok=True)
    _systemctl(host, "daemon-reload")
    return True


def notes(host: Host) -> list[str]:
    return [
        "systemd runs user timers only while you are logged in; to run them always: "
        "loginctl enable-linger"
    ]
