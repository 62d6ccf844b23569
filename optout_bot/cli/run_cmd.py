"""`run`, `verify`, `check`, `demo`, `validate` and `doctor`: parse, build a request, hand it
to the application layer (`optout_bot.app.run`), print what came back."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from optout_bot.cli.options import (
    browser_options,
    login_option,
    output_options,
    print_table,
    timestamp_option,
)

if TYPE_CHECKING:
    from optout_bot.app.config import Config
    from optout_bot.app.request import BrowserRequest, RunRequest
    from optout_bot.engine.outcome import Result

FLOW_HELP = "a bundled flow id or a path to a flow file"
FLOWS_HELP = (
    "one or more flow ids (see `optout-bot flows`) or paths to flow files (FILE#ID for one "
    "setting of a site file)"
)
ALL_HELP = (
    "every setting you look after: the settings file's `flows` (`optout-bot flows enable`), "
    "by default the AI-training setting of each bundled site"
)


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    run = add(
        "run",
        "switch the setting to the wanted state, then reload to prove it stuck",
        "Walk the flow in your signed-in browser, show the switch's state, ask before "
        "changing it (unless --yes), reload and re-read it, and save screenshots. With "
        "several flows (or --all) they share one browser, a few tabs at once; the exit code "
        "is the first flow's, in the order given, that did not end 0.",
    )
    run.add_argument("flows", metavar="FLOW", nargs="*", help=FLOWS_HELP)
    run.add_argument("--all", action="store_true", help=ALL_HELP)
    run.add_argument("-y", "--yes", action="store_true", help="change it without asking")
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be opened and clicked, step by step; open and touch nothing",
    )
    _run_options(run)
    run.set_defaults(handler=cmd_run)

    verify = add(
        "verify",
        "check the setting without changing anything",
        "Read-only: walk the flow, read the switch, reload and read it again. Never clicks "
        "the switch. Exit 3 when it is not in the wanted state. Several flows (or --all) "
        "run as with `run`.",
    )
    verify.add_argument("flows", metavar="FLOW", nargs="*", help=FLOWS_HELP)
    verify.add_argument("--all", action="store_true", help=ALL_HELP)
    verify.add_argument(
        "--dry-run", action="store_true", help="print the plan; open and touch nothing"
    )
    _run_options(verify)
    verify.set_defaults(handler=cmd_run)

    check = add(
        "check",
        "verify, optionally fix drift, and alert: what a scheduled job runs",
        "Verify the setting; with --fix, when it is found in the unwanted state, run the flow "
        "(as `run --yes`) to switch it back. When the end result needs attention (drift, "
        "login needed, not offered, a broken flow) send an alert: a desktop notification "
        "and the `notify` URLs of the settings file (`optout-bot config`). Several settings "
        "(or --all) are checked in one run, with one alert naming each that needs you.",
    )
    check.add_argument("flows", metavar="FLOW", nargs="*", help=FLOWS_HELP)
    check.add_argument("--all", action="store_true", help=ALL_HELP)
    check.add_argument(
        "--fix", action="store_true", help="switch it back when verify finds it changed"
    )
    check.add_argument(
        "--no-alert", dest="alert", action="store_false", help="do not send notifications"
    )
    _run_options(check)
    check.set_defaults(handler=cmd_check)

    validate = add(
        "validate",
        "check flow files and print every problem (runs nothing)",
        "Check flow files against the flow language. Prints each problem as "
        "FILE:LINE:COL: where: what (hint). Exit 2 if any file is invalid.",
    )
    from pathlib import Path

    validate.add_argument("files", metavar="FILE", nargs="+", type=Path)
    validate.set_defaults(handler=cmd_validate)

    doctor = add(
        "doctor",
        "show which browser and folders optout-bot would use",
        "Show the browser optout-bot would drive (or how to get one), and where it keeps "
        "profiles and evidence. Exit 1 when no browser is found.",
    )
    doctor.add_argument("--browser-path", metavar="PATH", help="check this browser instead")
    doctor.set_defaults(handler=cmd_doctor)

    demo = add(
        "demo",
        "switch off every bundled AI-training setting on local replicas (no account needed)",
        "Start the bundled local replicas (LinkedIn, ChatGPT, X), switch off the AI-training "
        "setting of each in one run, in a throw-away profile, and show where the evidence "
        "is. Nothing leaves this machine.",
    )
    demo.add_argument(
        "--platform", choices=("desktop", "mobile"), default="desktop", help="(default: desktop)"
    )
    demo.add_argument("--headed", action="store_true", help="show the browser window")
    demo.add_argument("--browser-path", metavar="PATH", help="Chrome/Chromium/Edge to launch")
    output_options(demo)
    demo.set_defaults(handler=cmd_demo)


def _run_options(parser: argparse.ArgumentParser) -> None:
    """What run, verify and check share: the browser, the output, the sign-in wait and the
    record's time-stamp."""
    browser_options(parser)
    output_options(parser)
    login_option(parser)
    timestamp_option(parser)


# -- requests from arguments ------------------------------------------------------------------


def load_settings() -> Config:
    """The settings file in effect; `RunStop(INVALID)` saying what is wrong with it."""
    from optout_bot.app.config import ConfigError, load_config
    from optout_bot.engine.outcome import RunStop, Status

    try:
        return load_config()
    except ConfigError as exc:
        raise RunStop(Status.INVALID, str(exc)) from None


def browser_request(args: argparse.Namespace, settings: Config) -> BrowserRequest:
    """The browser options given on the command line, the settings file for the rest."""
    from optout_bot.app.request import BrowserRequest

    return BrowserRequest.merged(
        settings,
        platform=args.platform,
        cdp=args.cdp,
        profile=args.profile,
        timeout=args.timeout,
        allow_timeout=getattr(args, "login_timeout", None),
        unattended=getattr(args, "command", "") == "check",
        headless=args.headless,
        browser_path=args.browser_path,
        replica=args.replica,
    )


def run_request(
    args: argparse.Namespace, mode: str, settings: Config, flow: str | None = None
) -> RunRequest:
    from optout_bot.app.request import RunRequest

    return RunRequest.merged(
        settings,
        flow=flow if flow is not None else args.flow,
        mode=mode,  # type: ignore[arg-type]
        browser=browser_request(args, settings),
        evidence_dir=args.evidence_dir,
        login_timeout=args.login_timeout,
        run_timeout=args.run_timeout,
        route=args.route,
        yes=getattr(args, "yes", False),
        confirm=_asking(args, confirm_on_terminal()),
        mask=args.mask,
        no_timestamp=getattr(args, "no_timestamp", False),
    )


def confirm_on_terminal() -> Callable[[str], bool] | None:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(question: str) -> bool:
        try:
            answer = input(f"{question} [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")

    return ask


def _asking(
    args: argparse.Namespace, ask: Callable[[str], bool] | None
) -> Callable[[str], bool] | None:
    """`ask`, with the live display (if any) taken down while the person answers."""
    live = getattr(args, "live", None)
    return live.asking(ask) if live is not None and ask is not None else ask


def configure_logging(args: argparse.Namespace) -> Callable[[], None]:
    def configure() -> None:
        from optout_bot.base import log

        live = getattr(args, "live", None)
        log.configure(
            args.log_format,
            verbose=not args.quiet,
            detail=getattr(args, "verbose", False),
            sink=live.event if live is not None else None,
        )

    return configure


def _problem(line: str) -> None:
    print(line, file=sys.stderr)


def _settings_or_exit(args: argparse.Namespace, mode: str) -> Config | int:
    """The settings file; when it is broken, the exit code after printing the INVALID result
    it makes (as every run's result is printed)."""
    from optout_bot.engine.outcome import Result, RunStop

    try:
        return load_settings()
    except RunStop as stop:
        configure_logging(args)()
        flow = getattr(args, "flow", None) or ",".join(getattr(args, "flows", None) or [])
        result = Result(flow=flow, platform=args.platform or "", mode=mode, wanted="")
        result.status, result.reason = stop.status, stop.reason
        return finish(result, args)


# -- commands ---------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from optout_bot.app.run import execute, execute_many
    from optout_bot.cli import progress

    if problem := _flows_or_all(args):
        return _usage(args, problem)
    settings = _settings_or_exit(args, args.command)
    if isinstance(settings, int):
        return settings
    flows = looked_after(settings) if args.all else list(args.flows)
    if args.dry_run:
        configure_logging(args)()
        return max((_dry_run(args, flow) for flow in flows), default=0)
    one = len(flows) == 1 and not args.all
    with progress.shown(args, several=len(flows) > 1) as args.live:
        if one:
            args.flow = flows[0]
            request = run_request(args, args.command, settings)
            results = [execute(request, on_problem=_problem, meanwhile=configure_logging(args))]
        else:
            requests = [run_request(args, args.command, settings, flow) for flow in flows]
            results = execute_many(requests, on_problem=_problem, meanwhile=configure_logging(args))
        if args.live is not None:
            args.live.end(results)
    return finish(results[0], args) if one else finish_many(results, args)


def _flows_or_all(args: argparse.Namespace) -> str:
    """What is wrong with the flows asked for (ids, or --all: one of the two), or ""."""
    if args.all and args.flows:
        return "give flow ids or --all, not both"
    if not args.all and not args.flows:
        return "give one or more flow ids (see `optout-bot flows`), or --all"
    return ""


def _usage(args: argparse.Namespace, message: str) -> int:
    print(f"optout-bot {args.command}: {message}", file=sys.stderr)
    return 2


def looked_after(settings: Config) -> list[str]:
    """The flows `--all` runs: the settings file's `flows`, else the default (the
    AI-training setting of each bundled site)."""
    from optout_bot.flow import catalog

    if settings.source("flows") == "file":
        return list(settings.flows)
    return catalog.default_flows()


def _dry_run(args: argparse.Namespace, flow_arg: str) -> int:
    from optout_bot.app.run import load
    from optout_bot.engine.outcome import RunStop, Status
    from optout_bot.engine.runner import plan

    try:
        flow = load(flow_arg, on_problem=_problem)
    except RunStop as stop:
        print(f"INVALID: {stop.reason}", file=sys.stderr)
        return stop.status.exit_code
    platform = args.platform or "desktop"
    if platform not in flow.platforms:
        print(f"INVALID: flow {flow.id} has no {platform} steps", file=sys.stderr)
        return Status.INVALID.exit_code
    steps = plan(flow, platform, args.command)
    if args.json:
        print(json.dumps({"flow": flow.id, "platform": platform, "mode": args.command,
                          "plan": steps}, indent=2))  # fmt: skip
        return 0
    print(f"{flow.id} {flow.version} ({platform}, {args.command}): the plan. Nothing is opened.")
    for line in steps:
        print(f"  {line}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """verify; with --fix, run --yes on drift; alert on whatever needs the member."""
    from optout_bot.app.request import CheckRequest
    from optout_bot.app.run import check, check_many

    if problem := _flows_or_all(args):
        return _usage(args, problem)
    settings = _settings_or_exit(args, "verify")
    if isinstance(settings, int):
        return settings
    flows = looked_after(settings) if args.all else list(args.flows)
    requests = [
        CheckRequest(
            verify=run_request(args, "verify", settings, flow),
            fix=args.fix,
            alert=args.alert,
            notify=settings.notify,
            desktop_notifications=settings.desktop_notifications,
        )
        for flow in flows
    ]
    request = requests[0]

    def drifted() -> None:
        import structlog

        structlog.get_logger("optout_bot").warning("drift found; switching it back (--fix)")

    if len(requests) > 1 or args.all:
        many = check_many(
            requests, on_problem=_problem, meanwhile=configure_logging(args), on_drift=drifted
        )
        return _checked(args, many.to_json(), many.alerts, lambda: finish_many(many.results, args))
    checked = check(
        request, on_problem=_problem, meanwhile=configure_logging(args), on_drift=drifted
    )
    _checked(args, checked.to_json(), checked.alerts, lambda: finish(checked.result, args))
    return checked.result.exit_code


def _checked(
    args: argparse.Namespace, data: dict, alerts: list[str] | None, show: Callable[[], int]
) -> int:
    """What a check prints: its JSON, or its results and one line per alert sent."""
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        show()
        for line in alerts or []:
            print(f"alert: {line}")
        head = data.get("chain_head")
        if head:
            print(
                f"chain head: #{head['seq']} {head['hash']} (note it elsewhere: `optout-bot "
                f"evidence verify --head {head['seq']}:{head['hash']}` proves nothing up to it "
                "changed)"
            )
    return int(data["exit_code"])


def cmd_validate(args: argparse.Namespace) -> int:
    from optout_bot.engine.outcome import Status
    from optout_bot.flow import FlowErrors, load_flows

    bad = 0
    for path in args.files:
        try:
            flows = load_flows(path)
        except FlowErrors as errors:
            bad += 1
            for error in errors.errors:
                print(error)
            continue
        first = flows[0]
        what = (
            first.id
            if len(flows) == 1
            else f"{len(flows)} settings: {', '.join(f.id for f in flows)}"
        )
        print(f"{path}: ok ({what}; {first.version}, {', '.join(first.platforms)})")
    if bad:
        print(f"{bad} of {len(args.files)} flow file(s) invalid", file=sys.stderr)
        return Status.INVALID.exit_code
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from optout_bot import __version__
    from optout_bot.app import browsing
    from optout_bot.base import paths
    from optout_bot.engine.browsers import BrowserNotFound

    print(f"optout-bot {__version__} (Python {sys.version.split()[0]})")
    print(f"data folder: {paths.data_dir()}  (override with ${paths.ENV_HOME})")
    _doctor_browsers()
    with browsing.playwright_factory() as pw:
        try:
            choice = browsing.choose_browser(pw, args.browser_path)
        except BrowserNotFound as exc:
            print(f"browser: none. {exc}")
            return 1
    print(f"browser: {choice.path} ({choice.source})")
    return 0


def _doctor_browsers() -> None:
    """The browsers `--cdp auto` can attach to, and the installed ones optout-bot can launch."""
    from optout_bot.engine import attach
    from optout_bot.engine.browsers import installed_browsers

    print("can attach to (--cdp auto):")
    found = attach.scan()
    for entry in found:
        state = "" if entry.alive else "  (closed: nothing listens there, skipped)"
        print(f"  {entry.name} at {entry.address}  {entry.folder}{state}")
    if not any(entry.alive for entry in found):
        print(f"  none: {attach.HOW_TO_ALLOW}")
    print("can launch:")
    launchable = installed_browsers()
    for path in launchable:
        print(f"  {path}")
    if not launchable:
        print("  none installed in the usual places")


def cmd_demo(args: argparse.Namespace) -> int:
    from optout_bot.app.run import DemoRequest, demo
    from optout_bot.cli import progress

    def started(address: str) -> None:
        print(
            f"optout-bot demo: local replicas of LinkedIn, ChatGPT and X run at {address}; "
            "nothing leaves this machine.",
            file=sys.stderr,
        )

    with progress.shown(args, several=True) as args.live:
        configure_logging(args)()
        request = DemoRequest(
            platform=args.platform,
            headed=args.headed,
            browser_path=args.browser_path,
            evidence_dir=args.evidence_dir,
            mask=args.mask,
            on_start=started,
        )
        results = demo(request)
        if args.live is not None:
            args.live.end(results)
    return finish_many(results, args)


# -- output -----------------------------------------------------------------------------------


def finish(result: Result, args: argparse.Namespace) -> int:
    """Print the result (one JSON object with --json, else the summary line and where the
    evidence is) and return its exit code."""
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        _print_result(result, args)
    return result.exit_code


def _print_result(result: Result, args: argparse.Namespace) -> None:
    """The summary line (coloured after a live display), and where the evidence is."""
    if getattr(args, "live", None) is not None:
        from optout_bot.cli import progress

        progress.result_line(summary_line(result), result.status)
    else:
        print(summary_line(result))
    if result.screenshots:
        record = f" (record #{result.record['seq']})" if result.record.get("seq") else ""
        print(f"evidence: {result.evidence_dir}{record}")
    stamp = result.record.get("timestamp")
    if isinstance(stamp, dict) and stamp.get("state") != "off":
        from optout_bot.evidence.timestamping import clock

        if stamp.get("timestamped"):
            print(f"timestamp: {clock(str(stamp.get('time')))} by {stamp.get('tsa')} (RFC 3161)")
        else:
            print(
                f"timestamp: not timestamped: {stamp.get('why')} (`optout-bot evidence "
                "timestamp` stamps it later)"
            )


def finish_many(results: list[Result], args: argparse.Namespace) -> int:
    """Several flows' results: with --json one object {"results": [...], "exit_code": N},
    else each result's line and a table; N (the exit code) is 0 when every flow ended 0,
    else the first flow's, in the order given, that did not."""
    code = next((r.exit_code for r in results if r.exit_code != 0), 0)
    if args.json:
        print(json.dumps({"results": [r.to_json() for r in results], "exit_code": code},
                         indent=2))  # fmt: skip
        return code
    for result in results:
        _print_result(result, args)
    rows = [("SETTING", "STATE", "RESULT", "EXIT", "EVIDENCE")]
    for r in results:
        record = f"record #{r.record['seq']}" if r.record.get("seq") else ""
        state = r.state_after if r.state_after != "unknown" else r.state_before
        rows.append((r.flow, state, r.status.verdict, str(r.exit_code), record))
    print()
    print_table(rows)
    return code


def summary_line(result: Result) -> str:
    where = f" ({result.platform})" if result.platform else ""
    return f"{result.status.verdict}: {result.flow}{where}: {result.reason}"
