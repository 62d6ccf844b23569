"""The `optout-bot` command line.

Kept light at import time: Playwright is imported only by commands that drive a browser, so
`--help`, `flows` and `validate` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot import __version__
from optout_bot.engine.outcome import Result, RunStop, Status
from optout_bot.flow import catalog

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

    from optout_bot.evidence.recorder import Evidence
    from optout_bot.evidence.store import EvidenceStore
    from optout_bot.flow.model import Flow

EXIT_CODES_HELP = """\
exit codes:
  0  the setting is in the wanted state, confirmed after a reload
  1  the flow broke (the page is not as the flow expects) or an unexpected error
  2  invalid input: bad flow file, unknown flow id, bad usage
  3  the setting is not in the wanted state at the end
  4  login needed (logged out, authwall, security check)
  5  the setting is not offered for this account
"""


@contextlib.contextmanager
def _start_playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


#: Starts Playwright for commands that need a browser. Tests that already run a Playwright
#: instance (pytest-playwright's) swap this to share it: one sync Playwright per thread.
playwright_factory: Callable[[], contextlib.AbstractContextManager[Playwright]] = _start_playwright


# -- argument parsing ------------------------------------------------------------------------


def _browser_options(parser: argparse.ArgumentParser, *, with_session: bool = True) -> None:
    group = parser.add_argument_group("browser")
    if with_session:
        where = group.add_mutually_exclusive_group()
        where.add_argument(
            "--cdp",
            metavar="URL",
            help="attach to your running Chrome/Chromium (started with "
            "--remote-debugging-port=9222), e.g. http://127.0.0.1:9222; works in a new tab "
            "and leaves your other tabs alone",
        )
        where.add_argument(
            "--profile",
            metavar="NAME",
            help="the browser profile optout-bot keeps for you (default: 'default', or "
            "`profile` in the settings file); the first run opens a window to sign in once",
        )
    group.add_argument(
        "--platform",
        choices=("desktop", "mobile"),
        help="desktop site, or mobile web as a phone (default: desktop, or the settings file)",
    )
    group.add_argument(
        "--headless", action="store_true", help="no window (for scheduled, unattended runs)"
    )
    group.add_argument(
        "--route",
        choices=("menus", "direct"),
        default="menus",
        help="reach the setting through the menus as a person would (default; the direct URL "
        "if they changed), or straight through its URL (the menus if that fails)",
    )
    group.add_argument(
        "--browser-path",
        metavar="PATH",
        help="Chrome/Chromium/Edge to launch (default: found automatically; env "
        "OPTOUT_BOT_BROWSER)",
    )
    group.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="how long each step may wait for the page (default: 15, or the settings file)",
    )
    group.add_argument(
        "--replica",
        metavar="HOST:PORT",
        help="(testing) send the site's traffic to a local replica at HOST:PORT and accept "
        "its self-signed certificate",
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output")
    group.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    group.add_argument(
        "--evidence-dir",
        metavar="DIR",
        type=Path,
        help="where screenshots go (default: evidence/ in optout-bot's data folder, or "
        "`evidence_dir` in the settings file)",
    )
    group.add_argument(
        "--log-format",
        choices=("human", "json"),
        default="human",
        help="progress on stderr as readable lines or JSON lines (default: %(default)s)",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="only warnings and the summary")
    group.add_argument(
        "--no-mask",
        dest="mask",
        action="store_false",
        help="keep your name and photo in screenshots (masked by default, so evidence can "
        "be shared)",
    )


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose to the terminal; keeps text that has line breaks of its own (the exit-code
    table, examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _positive(convert: Callable[[str], float], noun: str) -> Callable[[str], float]:
    """An argparse type: a number of `convert`'s kind, more than 0."""

    def parse(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {noun}: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError("must be more than 0")
        return value

    return parse


_positive_float = _positive(float, "a number")
positive_int = _positive(int, "a whole number")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="optout-bot",
        description="Switch off AI-training settings in your own browser, prove it stuck "
        "(reload and re-read), and keep screenshots as evidence.",
        epilog=EXIT_CODES_HELP
        + "\nexamples:\n  optout-bot demo\n  optout-bot run linkedin-ai-training\n"
        "  optout-bot verify linkedin-ai-training --headless --json",
        formatter_class=HelpFormatter,
        # Scripts rely on exact flags; a typo like --headles must not pass as --headless.
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"optout-bot {__version__}")
    add = subcommands(parser, "command", "COMMAND")

    run = add(
        "run",
        "switch the setting to the wanted state, then reload to prove it stuck",
        "Walk the flow in your signed-in browser, show the switch's state, ask before "
        "changing it (unless --yes), reload and re-read it, and save screenshots.",
    )
    run.add_argument("flow", metavar="FLOW", help="a bundled flow id or a path to a flow file")
    run.add_argument("-y", "--yes", action="store_true", help="change it without asking")
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be opened and clicked, step by step; open and touch nothing",
    )
    _browser_options(run)
    _output_options(run)
    _login_option(run)
    run.set_defaults(handler=cmd_run)

    verify = add(
        "verify",
        "check the setting without changing anything",
        "Read-only: walk the flow, read the switch, reload and read it again. Never clicks "
        "the switch. Exit 3 when it is not in the wanted state.",
    )
    verify.add_argument("flow", metavar="FLOW", help="a bundled flow id or a path to a flow file")
    verify.add_argument(
        "--dry-run", action="store_true", help="print the plan; open and touch nothing"
    )
    _browser_options(verify)
    _output_options(verify)
    _login_option(verify)
    verify.set_defaults(handler=cmd_run)

    check = add(
        "check",
        "verify, optionally fix drift, and alert: what a scheduled job runs",
        "Verify the setting; with --fix, when it is found in the unwanted state, run the flow "
        "(as `run --yes`) to switch it back. When the end result needs attention (drift, "
        "login needed, not offered, a broken flow) send an alert: a desktop notification "
        "and the `notify` URLs of the settings file (`optout-bot config`).",
    )
    check.add_argument("flow", metavar="FLOW", help="a bundled flow id or a path to a flow file")
    check.add_argument(
        "--fix", action="store_true", help="switch it back when verify finds it changed"
    )
    check.add_argument(
        "--no-alert", dest="alert", action="store_false", help="do not send notifications"
    )
    _browser_options(check)
    _output_options(check)
    _login_option(check)
    check.set_defaults(handler=cmd_check)

    validate = add(
        "validate",
        "check flow files and print every problem (runs nothing)",
        "Check flow files against the flow language. Prints each problem as "
        "FILE:LINE:COL: where: what (hint). Exit 2 if any file is invalid.",
    )
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
        "run linkedin-ai-training against the bundled LinkedIn replica (no account needed)",
        "Start the bundled local replica of LinkedIn, run the LinkedIn flow against it in a "
        "throw-away profile, and show where the evidence is. Nothing leaves this machine.",
    )
    demo.add_argument(
        "--platform", choices=("desktop", "mobile"), default="desktop", help="(default: desktop)"
    )
    demo.add_argument("--headed", action="store_true", help="show the browser window")
    demo.add_argument("--browser-path", metavar="PATH", help="Chrome/Chromium/Edge to launch")
    _output_options(demo)
    demo.set_defaults(handler=cmd_demo)

    for module in _command_modules():
        module.register(add)
    return parser


def _command_modules() -> list[Any]:
    import importlib
    import pkgutil

    from optout_bot import cli

    return [
        importlib.import_module(f"optout_bot.cli.{info.name}")
        for info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda i: i.name)
        if info.name.endswith("_cmd")
    ]


def subcommands(
    parser: argparse.ArgumentParser,
    dest: str,
    metavar: str = "ACTION",
    epilog: str = EXIT_CODES_HELP,
    required: bool = True,
) -> Callable[..., argparse.ArgumentParser]:
    """`add(name, help, description)` for `parser`'s subcommands, all formatted alike: exact
    flags only (no abbreviations), the epilog kept as written."""
    sub = parser.add_subparsers(dest=dest, metavar=metavar)
    sub.required = required

    def add(
        name: str, help: str, description: str = "", epilog: str = epilog
    ) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=description or help,
            epilog=epilog,
            formatter_class=HelpFormatter,
            allow_abbrev=False,
        )

    return add


def _login_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--login-timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="how long to wait for you to sign in by hand on first use (default: 300, or the "
        "settings file)",
    )


# -- commands --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.handler
    try:
        return command(args)
    except KeyboardInterrupt:
        print("optout-bot: interrupted", file=sys.stderr)
        return Status.INTERRUPTED.exit_code


def cmd_validate(args: argparse.Namespace) -> int:
    from optout_bot.flow import FlowErrors, load_flow

    bad = 0
    for path in args.files:
        try:
            flow = load_flow(path)
        except FlowErrors as errors:
            bad += 1
            for error in errors.errors:
                print(error)
            continue
        print(f"{path}: ok ({flow.id} {flow.version}, {', '.join(flow.platforms)})")
    if bad:
        print(f"{bad} of {len(args.files)} flow file(s) invalid", file=sys.stderr)
        return Status.INVALID.exit_code
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from optout_bot.base import paths
    from optout_bot.engine.browsers import BrowserNotFound, find_browser

    print(f"optout-bot {__version__} (Python {sys.version.split()[0]})")
    print(f"data folder: {paths.data_dir()}  (override with ${paths.ENV_HOME})")
    with playwright_factory() as pw:
        try:
            choice = find_browser(args.browser_path, _playwright_chromium(pw))
        except BrowserNotFound as exc:
            print(f"browser: none. {exc}")
            return 1
    print(f"browser: {choice.path} ({choice.source})")
    return 0


def _load(arg: str) -> Flow:
    from optout_bot.flow import FlowErrors, load_flow

    try:
        path = catalog.resolve(arg)
    except catalog.UnknownFlow as exc:
        raise RunStop(Status.INVALID, str(exc)) from None
    try:
        return load_flow(path)
    except FlowErrors as errors:
        for error in errors.errors:
            print(error, file=sys.stderr)
        raise RunStop(
            Status.INVALID,
            f"{path} is not a valid flow ({len(errors.errors)} problem(s) above); nothing was run",
        ) from None


def _confirm_on_terminal() -> Callable[[str], bool] | None:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(question: str) -> bool:
        try:
            answer = input(f"{question} [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")

    return ask


def _replica_args(spec: str) -> list[str]:
    host, sep, port = spec.rpartition(":")
    if not sep or not port.isdigit() or host not in ("127.0.0.1", "localhost", "[::1]"):
        raise RunStop(Status.INVALID, f"--replica {spec!r}: expected 127.0.0.1:PORT")
    return [f"--host-resolver-rules=MAP www.linkedin.com {host}:{port}"]


def cmd_run(args: argparse.Namespace) -> int:
    if args.dry_run:
        _configure_logging(args)
        return _dry_run(args)
    partial = Result(flow=args.flow, platform=args.platform or "", mode=args.command, wanted="")
    result = _attempt(partial, lambda: _configured_drive(args, args.command))
    return _finish(result, args)


def _dry_run(args: argparse.Namespace) -> int:
    from optout_bot.engine.runner import plan

    try:
        flow = _load(args.flow)
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
    from optout_bot.unattended import alerts

    partial = Result(flow=args.flow, platform=args.platform or "", mode="verify", wanted="")
    args.yes = True  # only ever used by the fix, which the member asked for with --fix
    checked = _attempt(partial, lambda: _configured_drive(args, "verify"))
    result = checked
    if args.fix and checked.status == Status.DRIFT:
        import structlog

        structlog.get_logger("optout_bot").warning("drift found; switching it back (--fix)")
        partial = Result(flow=args.flow, platform=args.platform or "", mode="run", wanted="")
        result = _attempt(partial, lambda: _configured_drive(args, "run"))
    data = result.to_json()
    data["checked"] = checked.to_json() if result is not checked else None
    cfg = getattr(args, "config", None)
    if args.alert and cfg is not None and alerts.should_alert(data):
        data["alerts"] = alerts.notify(
            data, urls=list(cfg.notify), desktop=cfg.desktop_notifications
        )
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        _finish(result, args)
        for line in data.get("alerts", []):
            print(f"alert: {line}")
    return result.exit_code


def _configure_logging(args: argparse.Namespace) -> None:
    from optout_bot.base import log

    log.configure(args.log_format, verbose=not args.quiet)


def _configured_drive(args: argparse.Namespace, mode: str, read_config: bool = True) -> Result:
    """Read the settings, load the flow, begin the evidence record, then walk the flow.

    Playwright's driver is a Node.js process that takes about a quarter of a second to start.
    The settings, the flow and the evidence store are read meanwhile, on a worker thread, so
    that time is not waited through twice. Nothing reaches a browser before the flow has
    loaded and validated: an invalid flow stops the driver and the run, as before."""
    import playwright.sync_api  # noqa: F401 - first: the driver starts as soon as it is in

    worker = _Background(lambda: _prepare(args, mode, read_config))
    begun: _Begun | None = None
    try:
        with playwright_factory() as pw:
            begun = worker.result()
            return _drive(begun, args, mode, pw)
    except BaseException as exc:
        if begun is None:
            # The driver failed to start, or Ctrl-C: the record (if begun) says so. A bad
            # flow or settings file is the more useful thing to report.
            begun = worker.result_or_none()
            if begun is None and isinstance(worker.error, RunStop):
                raise worker.error from None
            if begun is not None:
                _end(begun, _failed(begun.flow.id, args, mode, exc))
        raise


class _Background:
    """`work` on a worker thread; `result()` waits for it, then returns or re-raises."""

    def __init__(self, work: Callable[[], _Begun]) -> None:
        self._value: _Begun | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], _Begun]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc

    def result(self) -> _Begun:
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self._value is not None
        return self._value

    def result_or_none(self) -> _Begun | None:
        self._thread.join()
        return self._value


def _with_config(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the options not given on the command line from the settings file."""
    from optout_bot.app.config import ConfigError, load_config

    try:
        cfg = load_config()
    except ConfigError as exc:
        raise RunStop(Status.INVALID, str(exc)) from None
    args.config = cfg
    if not args.cdp and args.profile is None:
        args.profile = cfg.profile
    args.platform = args.platform or cfg.platform
    args.timeout = args.timeout or cfg.timeout
    args.login_timeout = args.login_timeout or cfg.login_timeout
    args.evidence_dir = args.evidence_dir or cfg.evidence_dir
    return args


def _attempt(partial: Result, work: Callable[[], Result]) -> Result:
    """Run `work`; any way it ends becomes a Result (never a traceback for the user)."""
    try:
        return work()
    except RunStop as stop:
        partial.status, partial.reason = stop.status, stop.reason
    except KeyboardInterrupt:
        partial.status, partial.reason = Status.INTERRUPTED, "interrupted (Ctrl-C)"
    except Exception as exc:  # one line, not a traceback (OPTOUT_BOT_DEBUG=1 re-raises)
        if os.environ.get("OPTOUT_BOT_DEBUG"):
            raise
        partial.status = Status.ERROR
        partial.reason = (
            f"unexpected error: {type(exc).__name__}: {exc}. Set OPTOUT_BOT_DEBUG=1 to see "
            "where, and please report it"
        )
    return partial


@dataclass(frozen=True)
class _Begun:
    """A run whose evidence record is open: what `_begin` made and `_end` closes."""

    flow: Flow
    store: EvidenceStore
    evidence: Evidence
    #: extra browser arguments (--replica)
    extra: list[str]


def _prepare(args: argparse.Namespace, mode: str, read_config: bool) -> _Begun:
    _configure_logging(args)
    if read_config:
        _with_config(args)
    return _begin(args, _load(args.flow), mode)


def _begin(args: argparse.Namespace, flow: Flow, mode: str) -> _Begun:
    """Open the evidence store and begin the run's record (a pending row from the start)."""
    from optout_bot.base import paths
    from optout_bot.evidence.recorder import Evidence

    extra: list[str] = []
    if getattr(args, "replica", None):
        extra = _replica_args(args.replica)
    evidence_root = args.evidence_dir or paths.default_evidence_dir()
    store = _open_store(getattr(args, "store_path", None))
    try:
        evidence = Evidence(
            evidence_root, flow, args.platform, mode, store, "cdp" if args.cdp else "profile"
        )
    except OSError as exc:
        store.close()
        raise RunStop(Status.ERROR, f"cannot write evidence to {evidence_root}: {exc}") from None
    # What the walk imports, imported here while the driver starts (see _configured_drive).
    import optout_bot.engine.runner
    import optout_bot.engine.session  # noqa: F401

    return _Begun(flow, store, evidence, extra)


def _failed(flow_id: str, args: argparse.Namespace, mode: str, exc: BaseException) -> Result:
    """What the record says when the run ends by Ctrl-C or a crash."""
    result = Result(flow=flow_id, platform=args.platform, mode=mode, wanted="")
    interrupted = isinstance(exc, KeyboardInterrupt)
    result.status = Status.INTERRUPTED if interrupted else Status.ERROR
    result.reason = "interrupted (Ctrl-C)" if interrupted else f"{type(exc).__name__}: {exc}"
    return result


def _end(begun: _Begun, result: Result) -> None:
    """Close the run's record (into the hash chain) and the store."""
    try:
        result.screenshots = [str(p) for p in begun.evidence.screenshots]
        body = begun.evidence.finish(result)
        if body:
            result.record = {k: body.get(k) for k in ("seq", "id", "hash")}
    finally:
        begun.store.close()


def _drive(begun: _Begun, args: argparse.Namespace, mode: str, pw: Playwright) -> Result:
    """Walk the flow in the user's browser; the record is closed however that ends."""
    try:
        result = _walk(pw, begun.flow, args, mode, begun.evidence, begun.extra)
    except BaseException as exc:
        # Ctrl-C or a crash: the record still says what happened so far.
        _end(begun, _failed(begun.flow.id, args, mode, exc))
        raise
    _end(begun, result)
    return result


def _open_store(path: Path | None = None) -> EvidenceStore:
    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path

    path = path or default_store_path()
    try:
        return EvidenceStore(path)
    except (StoreError, sqlite3.Error, OSError) as exc:
        raise RunStop(
            Status.ERROR,
            f"cannot open the evidence store {path}: {exc}. Nothing was run; "
            "`optout-bot evidence verify` checks it",
        ) from None


def _walk(
    pw: Playwright,
    flow: Flow,
    args: argparse.Namespace,
    mode: str,
    evidence: Evidence,
    extra: list[str],
) -> Result:
    from optout_bot.engine.browsers import BrowserNotFound, find_browser
    from optout_bot.engine.runner import FlowRunner, RunOptions
    from optout_bot.engine.session import SessionOptions, open_session

    browser = None
    if not args.cdp:
        try:
            browser = find_browser(args.browser_path, _playwright_chromium(pw))
        except BrowserNotFound as exc:
            raise RunStop(Status.ERROR, str(exc)) from None
    options = SessionOptions(
        platform=args.platform,
        headless=args.headless,
        browser=browser,
        extra_args=extra,
        ignore_https_errors=bool(extra),
        timeout_ms=int(args.timeout * 1000),
        profiles_dir=getattr(args, "profiles_dir", None),
    )
    run_options = RunOptions(
        mode=mode,  # type: ignore[arg-type]
        platform=args.platform,
        yes=getattr(args, "yes", False),
        confirm=_confirm_on_terminal(),
        timeout_ms=int(args.timeout * 1000),
        login_timeout_ms=int(args.login_timeout * 1000),
        mask=args.mask,
        route=getattr(args, "route", "menus"),
    )
    prepare = getattr(args, "prepare_session", None)
    with open_session(pw, cdp_url=args.cdp, profile=args.profile, options=options) as session:
        if prepare is not None:
            prepare(session)
        return FlowRunner(flow, session, evidence, run_options).run()


def _playwright_chromium(pw: Playwright) -> str | None:
    try:
        return pw.chromium.executable_path
    except Exception:  # noqa: BLE001 - no bundled browser registered
        return None


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from optout_bot.base import paths
    from optout_bot.replicas import Replica

    _configure_logging(args)
    partial = Result(flow="linkedin-ai-training", platform=args.platform, mode="run", wanted="")
    with Replica() as replica, tempfile.TemporaryDirectory(prefix="optout-bot-demo-") as tmp:
        print(
            f"optout-bot demo: a local LinkedIn replica runs at 127.0.0.1:{replica.port}; "
            "nothing leaves this machine.",
            file=sys.stderr,
        )
        # A throw-away profile, signed in as the replica's demo member: no account needed.
        args.cdp, args.profile, args.headless = None, "demo", not args.headed
        args.yes, args.timeout, args.login_timeout = True, 15.0, 60.0
        args.replica = f"127.0.0.1:{replica.port}"
        args.evidence_dir = args.evidence_dir or paths.data_dir() / "demo-evidence"
        # The demo's records stay apart from the member's real evidence.
        args.store_path = args.evidence_dir / "demo-evidence.sqlite3"
        args.profiles_dir = Path(tmp)
        args.prepare_session = lambda session: session.context.add_cookies(
            [replica.sign_in_cookie()]
        )
        args.flow = "linkedin-ai-training"
        result = _attempt(partial, lambda: _configured_drive(args, "run", read_config=False))
    return _finish(result, args)


def _finish(result: Result, args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(summary_line(result))
        if result.screenshots:
            record = f" (record #{result.record['seq']})" if result.record.get("seq") else ""
            print(f"evidence: {result.evidence_dir}{record}")
    return result.exit_code


def summary_line(result: Result) -> str:
    where = f" ({result.platform})" if result.platform else ""
    return f"{result.status.verdict}: {result.flow}{where}: {result.reason}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
