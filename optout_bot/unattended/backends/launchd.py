"""launchd (macOS): the LaunchAgent ``~/Library/LaunchAgents/org.optout-bot.FLOW.plist``,
loaded into the user's GUI domain with ``launchctl``.
"""

from __future__ import annotations

import os
import plistlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from optout_bot.base.names import is_flow_id
from optout_bot.unattended.backends import protocol
from optout_bot.unattended.backends.protocol import (
    Host,
    Job,
    Slot,
    failure,
    job_from_command,
)

NAME = "launchd"
MISSING_HINT = protocol.MISSING_HINT


# -- the entry --------------------------------------------------------------------------------


def label(flow: str) -> str:
    return f"org.optout-bot.{flow}"


def plist(job: Job) -> dict[str, Any]:
    """The LaunchAgent (write it with `plistlib.dumps`)."""
    assert job.slot is not None
    interval: dict[str, int] = {"Hour": job.slot.hour, "Minute": job.slot.minute}
    if job.every == "weekly":
        interval["Weekday"] = job.slot.weekday  # 0 = Sunday, as in cron
    return {
        "Label": label(job.flow),
        "ProgramArguments": list(job.command),
        "StartCalendarInterval": interval,
        "EnvironmentVariables": dict(job.env),
        "StandardOutPath": job.log,
        "StandardErrorPath": job.log,
        "RunAtLoad": False,
        "ProcessType": "Background",
    }


def parse_plist(flow: str, agent: Mapping[str, Any], *, location: str = "") -> Job:
    """Our LaunchAgent (as `plistlib.loads` reads it) back into a Job."""
    interval = agent.get("StartCalendarInterval")
    slot, every = None, "custom"
    if isinstance(interval, dict) and {"Hour", "Minute"} <= interval.keys():
        every = "weekly" if "Weekday" in interval else "daily"
        slot = Slot(int(interval["Hour"]), int(interval["Minute"]), int(interval.get("Weekday", 0)))
    env = agent.get("EnvironmentVariables") or {}
    return job_from_command(
        flow,
        [str(word) for word in agent.get("ProgramArguments") or []],
        every=every,
        slot=slot,
        log=str(agent.get("StandardOutPath") or ""),
        env=tuple((str(k), str(v)) for k, v in env.items()),
        backend=NAME,
        location=location,
        schedule_text=f"StartCalendarInterval {interval}",
    )


# -- the user's launchd -----------------------------------------------------------------------


def agents_dir(host: Host) -> Path:
    return host.home / "Library" / "LaunchAgents"


def plist_path(host: Host, flow: str) -> Path:
    return agents_dir(host) / f"{label(flow)}.plist"


def _domain() -> str:
    return f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui/0"


def _unload(host: Host, flow: str) -> None:
    # Either command may fail when the agent is not loaded: that is the state we want.
    proc = host.call(["launchctl", "bootout", f"{_domain()}/{label(flow)}"])
    if proc.returncode != 0:
        host.call(["launchctl", "unload", str(plist_path(host, flow))])


# -- the backend interface (protocol.Backend) -----------------------------------------------------


def location(host: Host, flow: str) -> str:
    return str(plist_path(host, flow))


def add(host: Host, job: Job) -> None:
    path = plist_path(host, job.flow)
    agents_dir(host).mkdir(parents=True, exist_ok=True)
    if path.exists():
        _unload(host, job.flow)
    path.write_bytes(plistlib.dumps(plist(job)))
    argv = ["launchctl", "bootstrap", _domain(), str(path)]
    proc = host.call(argv)
    # Older macOS (before 10.11) has no bootstrap: then the legacy subcommand.
    if proc.returncode != 0 and host.call(["launchctl", "load", "-w", str(path)]).returncode != 0:
        raise failure(argv, proc)


def jobs(host: Host) -> list[Job]:
    found = []
    for path in sorted(agents_dir(host).glob("org.optout-bot.*.plist")):
        flow = path.name.removeprefix("org.optout-bot.").removesuffix(".plist")
        if not is_flow_id(flow):
            continue
        try:
            agent = plistlib.loads(path.read_bytes())
        except (OSError, ValueError, plistlib.InvalidFileException):
            continue
        found.append(parse_plist(flow, agent, location=str(path)))
    return found


def remove(host: Host, flow: str) -> bool:
    path = plist_path(host, flow)
    if not path.exists():
        return False
    _unload(host, flow)
    path.unlink(missing_ok=True)
    return True


def notes(host: Host) -> list[str]:
    return []
