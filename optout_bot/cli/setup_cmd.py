"""`optout-bot setup`: a guided first run.

It asks, in order: which settings to look after, which browser to use, whether to switch
them off now, and whether to check them daily (and where alerts go); then it says where the
evidence is and how to see the report. Each question has a flag, so the whole of it also
runs unattended; a question without its flag and without a terminal to ask on takes its
default and says so. What it does, it does through the commands a person could type
(`flows enable`, `run --all`, `schedule add --all`) and the settings file, so nothing set
up here works differently from what the rest of the README describes.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from optout_bot.cli.options import EXIT_CODES_HELP, browser_options, login_option

#: Exit code for bad input (an unknown flow, a broken settings file), as everywhere.
EXIT_INVALID = 2

BROWSERS = {
    "kept": "a browser profile optout-bot keeps for you (sign in once in the window it opens)",
    "everyday": "your everyday Chrome, Edge or Brave, attached (allow it once at "
    "chrome://inspect/#remote-debugging; no second sign-in)",
}


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "setup",
        "a guided first run: choose settings and browser, switch them off, schedule checks",
        "Asks which settings to look after, which browser to use, switches the settings off "
        "(after asking), offers a daily check with alerts, and ends by saying where the "
        "evidence is. Every question has a flag: with all of them it runs unattended. "
        "Without a terminal, a question whose flag is missing takes its default.",
    )
    parser.epilog = EXIT_CODES_HELP
    parser.add_argument(
        "--flows",
        nargs="+",
        metavar="ID",
        help="the settings to look after (default: the AI-training setting of each bundled "
        "site; see `optout-bot flows`)",
    )
    parser.add_argument(
        "--browser",
        choices=tuple(BROWSERS),
        help="kept: a profile optout-bot keeps (default); everyday: your own browser, "
        "attached (--cdp auto)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="the kept profile's name (default: 'default')"
    )
    now = parser.add_mutually_exclusive_group()
    now.add_argument("-y", "--yes", action="store_true", help="switch them off without asking")
    now.add_argument("--no-run", action="store_true", help="set up only; switch nothing now")
    parser.add_argument(
        "--schedule",
        choices=("daily", "weekly", "none"),
        help="check them on a schedule and alert when one is on again (default: daily)",
    )
    parser.add_argument(
        "--notify",
        metavar="URL",
        action="append",
        help="where alerts go besides a desktop notification (an Apprise URL: ntfy://..., "
        "mailto://..., tgram://...; repeat for several)",
    )
    browser_options(parser, with_session=False)
    login_option(parser)
    parser.add_argument(
        "--evidence-dir", metavar="DIR", type=Path, help="where screenshots go this time"
    )
    parser.set_defaults(handler=cmd_setup)


class _Asker:
    """Questions on the terminal, or their defaults (said so) without one."""

    def __init__(self) -> None:
        self.terminal = sys.stdin.isatty() and sys.stderr.isatty()

    def choose(self, question: str, options: Sequence[str], default: str, flag: str) -> str:
        if not self.terminal:
            say(f"{question} {default} (no terminal to ask on; {flag} chooses)")
            return default
        shown = "/".join(o.upper() if o == default else o for o in options)
        while True:
            answer = _input(f"{question} [{shown}] ").strip().lower() or default
            if answer in options:
                return answer
            say(f"  please answer one of: {', '.join(options)}")

    def text(self, question: str, flag: str) -> str:
        if not self.terminal:
            return ""
        return _input(f"{question} ").strip()


def _input(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        return ""


def say(line: str) -> None:
    print(line, file=sys.stderr)


def cmd_setup(args: argparse.Namespace) -> int:
    from optout_bot.app.config import ConfigError, load_config, set_values
    from optout_bot.cli.main import main
    from optout_bot.flow import catalog

    ask = _Asker()
    try:
        settings = load_config()
    except ConfigError as exc:
        say(f"optout-bot setup: {exc}")
        return EXIT_INVALID

    # 1. What to look after.
    flows = list(args.flows or [])
    if not flows:
        flows = _choose_flows(ask, catalog.default_flows(), catalog.available())
    for flow in flows:
        try:
            catalog.locate(flow)
        except catalog.UnknownFlow as exc:
            say(f"optout-bot setup: {exc}")
            return EXIT_INVALID

    # 2. Which browser.
    if not args.browser and ask.terminal:
        say("Which browser should optout-bot use?")
        for name, what in BROWSERS.items():
            say(f"  {name:9} {what}")
    browser = args.browser or ask.choose("Browser:", tuple(BROWSERS), "kept", "--browser")
    profile = args.profile or settings.profile
    values: dict[str, object] = {"flows": flows}
    if browser == "everyday":
        values["cdp"] = "auto"
    else:
        values["profile"] = profile if profile != "default" else None
    notify = list(args.notify or [])
    if notify:
        values["notify"] = notify
    try:
        set_values(settings.path, values)
    except ConfigError as exc:
        say(f"optout-bot setup: {exc}")
        return EXIT_INVALID
    say(f"looking after: {', '.join(flows)} (saved in {settings.path})")

    passthrough = _passthrough(args, browser, profile)

    # 3. Switch them off now (signing in where needed, one site at a time).
    code = 0
    if not args.no_run:
        if browser == "kept" and not args.headless:
            say(
                "A browser window opens; sign in to each site it shows (one at a time). "
                "optout-bot never sees your password."
            )
        command = ["run", "--all", *passthrough, *(["--yes"] if args.yes else [])]
        say(f"running: optout-bot {shlex.join(command)}")
        code = main(command)

    # 4. A check on a schedule, and where its alerts go.
    every = args.schedule or ask.choose(
        "Check them on a schedule and alert you when one is on again?",
        ("daily", "weekly", "none"),
        "daily",
        "--schedule",
    )
    if every != "none":
        if not notify and args.notify is None:
            url = ask.text(
                "Where should alerts go besides a desktop notification? An Apprise URL "
                "(ntfy://..., mailto://...), or Enter for none:",
                "--notify",
            )
            if url:
                set_values(settings.path, {"notify": [url]})
        schedule = ["schedule", "add", "--all", "--every", every]
        if browser == "kept":
            schedule += ["--profile", profile]
        scheduled = main(schedule)
        code = code or scheduled

    # 5. Where the evidence is.
    evidence = args.evidence_dir or settings.evidence_dir
    say("")
    say(f"Evidence (screenshots, one folder per run): {evidence}")
    say("See it: `optout-bot report` (an HTML page), `optout-bot history` (every run).")
    say("Check again any time: `optout-bot verify --all`.")
    return code


def _choose_flows(ask: _Asker, default: list[str], available: Mapping[str, object]) -> list[str]:
    if not ask.terminal:
        shown = ", ".join(default)
        say(f"settings to look after: {shown} (no terminal to ask on; --flows chooses)")
        return default
    say("Settings optout-bot knows (`optout-bot flows show ID` describes each):")
    ids = list(available)
    names = _names(available)
    for number, flow_id in enumerate(ids, 1):
        mark = "*" if flow_id in default else " "
        say(f"  {mark} {number:2}. {names.get(flow_id, flow_id)}  ({flow_id})")
    while True:
        answer = ask.text(
            "Which to look after? Numbers or ids, separated by spaces; Enter for the ones "
            "marked *:",
            "--flows",
        )
        if not answer:
            return default
        chosen: list[str] = []
        for word in answer.replace(",", " ").split():
            if word.isdigit() and 1 <= int(word) <= len(ids):
                chosen.append(ids[int(word) - 1])
            elif word in available:
                chosen.append(word)
            else:
                say(f"  not one of the settings: {word!r}")
                chosen = []
                break
        if chosen:
            return list(dict.fromkeys(chosen))


def _names(available: Mapping[str, object]) -> dict[str, str]:
    """Flow id -> "Site: setting", for the flows whose files load (a broken one shows its
    id only; running it says what is wrong)."""
    from optout_bot.flow.catalog import Entry
    from optout_bot.flow.loader import FlowErrors, load_flows

    names: dict[str, str] = {}
    for path in {e.path for e in available.values() if isinstance(e, Entry)}:
        try:
            flows = load_flows(path)
        except FlowErrors:
            continue
        names.update((f.id, f"{f.site}: {f.setting}") for f in flows)
    return names


def _passthrough(args: argparse.Namespace, browser: str, profile: str) -> list[str]:
    """The options of this setup that the run takes as they are."""
    out = ["--cdp", "auto"] if browser == "everyday" else ["--profile", profile]
    for flag, value in (
        ("--platform", args.platform),
        ("--route", args.route),
        ("--browser-path", args.browser_path),
        ("--timeout", args.timeout),
        ("--replica", args.replica),
        ("--login-timeout", args.login_timeout),
        ("--run-timeout", args.run_timeout),
        ("--evidence-dir", args.evidence_dir),
    ):
        if value is not None:
            out += [flag, str(value)]
    if args.headless:
        out.append("--headless")
    return out
