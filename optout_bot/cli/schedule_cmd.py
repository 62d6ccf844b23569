"""`optout-bot schedule add|list|remove`: unattended checks with the system's own scheduler."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optout_bot.unattended.schedule import Scheduler

EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_CODES_HELP = """\
exit codes:
  0  done
  1  the scheduler failed (or, for remove, there was no such scheduled check)
  2  invalid input: unknown flow, bad flow id or profile, bad settings file
"""


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "schedule",
        "check a flow daily or weekly, unattended (cron, systemd, launchd, Task Scheduler)",
        "Install, list and remove scheduled checks. Each runs `optout-bot check FLOW "
        "--headless` with your system's own scheduler (cron or a systemd user timer on "
        "Linux, launchd on macOS, Task Scheduler on Windows; $OPTOUT_BOT_SCHEDULER picks "
        "another), as you, at a fixed time of day, logging to optout-bot's data folder. "
        "The check alerts you (see `optout-bot config`) when the setting is on again.",
    )
    parser.epilog = EXIT_CODES_HELP
    from optout_bot.cli.options import subcommands

    action = subcommands(parser, "action", epilog=EXIT_CODES_HELP)

    add_job = action(
        "add",
        "schedule a check of FLOW (again: replaces its schedule)",
        "Schedule a check of FLOW. Adding a flow that is already scheduled replaces its schedule.",
    )
    add_job.add_argument(
        "flow", metavar="FLOW", nargs="?", help="a bundled flow id or a path to a flow file"
    )
    add_job.add_argument(
        "--all",
        action="store_true",
        help="one job that checks every setting you look after (`optout-bot flows enable`), "
        f"listed as '{ALL_JOB}'",
    )
    add_job.add_argument(
        "--every",
        choices=("daily", "weekly"),
        default="daily",
        help="how often (default: %(default)s)",
    )
    add_job.add_argument(
        "--fix",
        action="store_true",
        help="switch the setting back when a check finds it changed (default: only alert)",
    )
    add_job.add_argument(
        "--profile",
        metavar="NAME",
        help="the signed-in browser profile to use (default: `profile` in the settings "
        "file, else 'default')",
    )
    add_job.set_defaults(handler=cmd_add)

    list_jobs = action("list", "show the scheduled checks", "Show the scheduled checks.")
    list_jobs.add_argument("--json", action="store_true", help="print a JSON list on stdout")
    list_jobs.set_defaults(handler=cmd_list)

    remove = action(
        "remove",
        "stop checking FLOW on a schedule",
        "Remove the scheduled check of FLOW. Exit 1 when there is none.",
    )
    remove.add_argument("flow", metavar="FLOW", help="the flow id (as `schedule list` shows)")
    remove.set_defaults(handler=cmd_remove)


#: The name of the one job that checks every setting looked after (`schedule add --all`).
ALL_JOB = "all"


def _error(message: str, code: int) -> int:
    print(f"optout-bot schedule: {message}", file=sys.stderr)
    return code


def _scheduler() -> Scheduler:
    from optout_bot.unattended.schedule import pick_scheduler

    return pick_scheduler()


def cmd_add(args: argparse.Namespace) -> int:
    from optout_bot.app.config import ConfigError, load_config
    from optout_bot.base import paths
    from optout_bot.unattended.schedule import InvalidJob, ScheduleError

    if args.all == bool(args.flow):
        return _error("give a FLOW or --all (one of the two)", EXIT_INVALID)
    job_target = (ALL_JOB, "--all") if args.all else _job_target(args.flow)
    if isinstance(job_target, int):
        return job_target
    flow_id, target = job_target
    profile = args.profile
    if profile is None:
        try:
            profile = load_config().profile
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
    try:
        scheduler = _scheduler()
        replacing = any(job.flow == flow_id for job in scheduler.jobs())
        job = scheduler.add(flow_id, args.every, args.fix, profile, target=target)
    except InvalidJob as exc:
        return _error(str(exc), EXIT_INVALID)
    except ScheduleError as exc:
        return _error(str(exc), EXIT_FAILED)
    verb = "rescheduled" if replacing else "scheduled"
    action = "check it and switch it back if it changed" if job.fix else "check it and alert"
    print(f"{verb} {job.flow}: {job.when}, {action}")
    print(f"  with: {job.backend} ({job.location})")
    print(f"  runs: {shlex.join(job.command)}")
    print(f"  log:  {job.log}")
    notes = scheduler.notes()
    if not (paths.profiles_dir() / profile).is_dir():
        notes.append(
            f"profile '{profile}' is not signed in yet, and a scheduled check cannot open a "
            f"window to sign in: run `optout-bot run {shlex.quote(target)} --profile "
            f"{profile}` once first"
        )
    for note in notes:
        print(f"note: {note}")
    return 0


def _job_target(flow: str) -> tuple[str, str] | int:
    """(the job's name, what it checks) for FLOW: a bundled id, or a flow source's id in
    effect, as itself; a flow file by its absolute path (cron starts jobs in the home
    folder, not here), the job named after the flow's id. An exit code when FLOW is unknown
    or invalid."""
    from pathlib import Path

    from optout_bot.flow import FlowErrors, catalog, load_flow

    try:
        path, which = catalog.locate(flow)
    except catalog.UnknownFlow as exc:
        return _error(str(exc), EXIT_INVALID)
    if catalog.bundled_flows().get(flow) == path:
        return flow, flow
    entry = catalog.available().get(flow)
    if entry is not None and entry.source is not None and entry.path == path:
        # A flow source's file moves with each update (sources/NAME/COMMIT/): by its id.
        return flow, flow
    try:
        flow_id = load_flow(path, which).id
    except FlowErrors as errors:
        for error in errors.errors:
            print(error, file=sys.stderr)
        return _error(f"{path} is not a valid flow; nothing was scheduled", EXIT_INVALID)
    return flow_id, str(Path(path).resolve()) + (f"#{which}" if "#" in flow else "")


def cmd_list(args: argparse.Namespace) -> int:
    from optout_bot.unattended.schedule import InvalidJob, ScheduleError

    try:
        scheduler = _scheduler()
        jobs = scheduler.jobs()
    except InvalidJob as exc:
        return _error(str(exc), EXIT_INVALID)
    except ScheduleError as exc:
        return _error(str(exc), EXIT_FAILED)
    if args.json:
        print(json.dumps([job.to_json() for job in jobs], indent=2))
        return 0
    if not jobs:
        print(
            f"no scheduled checks ({scheduler.name}). Add one with: "
            "optout-bot schedule add linkedin-ai-training --every daily"
        )
        return 0
    rows = [("FLOW", "WHEN", "FIX", "PROFILE", "SCHEDULER", "LOG")]
    for job in jobs:
        fix = "yes" if job.fix else "no"
        rows.append((job.flow, job.when, fix, job.profile, job.backend, job.log))
    from optout_bot.cli.options import print_table

    print_table(rows)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from optout_bot.unattended.schedule import InvalidJob, ScheduleError, validate

    try:
        validate(args.flow)
        scheduler = _scheduler()
        removed = scheduler.remove(args.flow)
    except InvalidJob as exc:
        return _error(str(exc), EXIT_INVALID)
    except ScheduleError as exc:
        return _error(str(exc), EXIT_FAILED)
    if not removed:
        return _error(
            f"no scheduled check of {args.flow} ({scheduler.name}); "
            "`optout-bot schedule list` shows them",
            EXIT_FAILED,
        )
    print(f"removed the scheduled check of {args.flow} ({scheduler.location(args.flow)})")
    return 0
