"""Task Scheduler (Windows): the task ``optout-bot\\FLOW``, running a small ``.cmd`` wrapper
kept in optout-bot's data folder (it adds the log redirection; ``/TR`` alone cannot).

The wrapper also carries the job's details in a ``rem`` line, so `jobs` can describe a task
without parsing ``schtasks /Query /XML``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from optout_bot.base import paths
from optout_bot.base.names import is_flow_id
from optout_bot.unattended.backends import protocol
from optout_bot.unattended.backends.protocol import CARRIED_ENV, WEEKDAYS, Host, Job, Slot

NAME = "schtasks"
MISSING_HINT = protocol.MISSING_HINT
FOLDER = "optout-bot"
_META = "rem optout-bot-job "
_QUERY = ("schtasks", "/Query", "/FO", "CSV", "/NH")


# -- the entry --------------------------------------------------------------------------------


def task_name(flow: str) -> str:
    return f"{FOLDER}\\{flow}"


def _cmd_word(word: str) -> str:
    """One word of a .cmd line: quoted when needed; `%` doubled (cmd expands it)."""
    word = word.replace("%", "%%")
    if word and not re.search(r'[\s&|<>^(),;=!"]', word):
        return word
    return '"' + word.replace('"', "") + '"'


def wrapper(job: Job) -> str:
    """The .cmd file the task runs: optout-bot's variables, the command, the log redirect."""
    protocol.no_line_breaks([*job.command, job.log, *(v for _, v in job.env)])
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
        f"{task_name(job.flow)}; `optout-bot schedule remove {job.flow}` removes both.",
        _META + json.dumps(meta, sort_keys=True),
    ]
    # Task Scheduler starts the task with the user's own environment: only optout-bot's
    # variables need carrying (HOME and PATH are Unix cron's problem).
    lines += [
        f'set "{name}={value.replace("%", "%%")}"' for name, value in job.env if name in CARRIED_ENV
    ]
    command = " ".join(_cmd_word(word) for word in job.command)
    lines.append(f"{command} >> {_cmd_word(job.log)} 2>&1")
    return "\r\n".join(lines) + "\r\n"


def create_args(job: Job, wrapper_file: str) -> list[str]:
    """``schtasks /Create`` arguments for `job`, running `wrapper_file` (`wrapper`'s text)."""
    assert job.slot is not None
    args = ["schtasks", "/Create", "/TN", task_name(job.flow), "/TR", f'"{wrapper_file}"']
    if job.every == "daily":
        args += ["/SC", "DAILY"]
    else:
        args += ["/SC", "WEEKLY", "/D", WEEKDAYS[job.slot.weekday][:3].upper()]
    return [*args, "/ST", job.slot.time, "/F"]


def parse_wrapper(text: str, *, location: str = "") -> Job | None:
    """The Job described in our wrapper's ``rem`` line (None if it has none, or a broken one)."""
    for line in text.splitlines():
        if line.startswith(_META):
            try:
                meta = json.loads(line[len(_META) :])
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
                    backend=NAME,
                    location=location,
                )
            except (ValueError, KeyError, TypeError):
                return None
    return None


def task_flows(csv_text: str) -> list[str]:
    """The flow ids of our tasks in ``schtasks /Query /FO CSV /NH`` output."""
    flows = []
    for row in csv.reader(io.StringIO(csv_text)):
        if not row:
            continue
        name = row[0].strip().lstrip("\\")
        folder, _, flow = name.rpartition("\\")
        if folder.lower() == FOLDER and is_flow_id(flow) and flow not in flows:
            flows.append(flow)
    return flows


# -- the user's Task Scheduler ----------------------------------------------------------------


def wrapper_path(flow: str) -> Path:
    return paths.data_dir() / "jobs" / f"{flow}.cmd"


def _flows(host: Host) -> list[str]:
    return task_flows(host.check(list(_QUERY)).stdout)


# -- the backend interface (protocol.Backend) -----------------------------------------------------


def location(host: Host, flow: str) -> str:
    return f"Task Scheduler: {task_name(flow)}"


def add(host: Host, job: Job) -> None:
    path = wrapper_path(job.flow)
    paths.private_dir(path.parent)
    path.write_text(wrapper(job), encoding="utf-8", newline="")
    host.check(create_args(job, str(path)))


def jobs(host: Host) -> list[Job]:
    found = []
    for flow in _flows(host):
        job = None
        try:
            job = parse_wrapper(
                wrapper_path(flow).read_text(encoding="utf-8"), location=location(host, flow)
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
                backend=NAME,
                location=location(host, flow),
                schedule_text="(wrapper file missing)",
            )
        found.append(job)
    return found


def remove(host: Host, flow: str) -> bool:
    if flow not in _flows(host):
        return False
    host.check(["schtasks", "/Delete", "/TN", task_name(flow), "/F"])
    wrapper_path(flow).unlink(missing_ok=True)
    return True


def notes(host: Host) -> list[str]:
    return []
