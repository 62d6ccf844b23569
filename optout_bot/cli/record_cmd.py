"""`optout-bot record START_URL`: write a flow by clicking through the site once."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

from optout_bot.cli.options import browser_options, positive_float

EPILOG = """\
exit codes:
  0  the flow was written (and loads)
  1  the recording ended without a switch (window closed, time up), or the page failed
  2  bad usage (a URL that is not https://, an --out file that exists, a bad settings file)
  130  interrupted (Ctrl-C); nothing was written

examples:
  optout-bot record https://www.example.com/ --cdp auto
  optout-bot record https://www.example.com/ --profile example --platform mobile
  optout-bot record https://www.example.com/ --wanted off --id example-ai-training --out f.yaml
"""


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "record",
        "write a flow by clicking your way to the switch once",
        "Open START_URL in a window of your signed-in browser (--cdp) or a kept profile, "
        "and record each click you make on the way to the setting (your clicks do what they "
        "always do). Click the switch or checkbox itself last: that click is held back, so "
        "nothing is changed while recording, and it becomes the flow's switch. The flow is "
        "written with the alternatives a careful author would choose for each element "
        "(hooks the same in every language first, then role and name), each checked to find "
        "exactly that element, with a title on every step; pop-ups you closed become its "
        "`overlays`. Then its plan is printed (as `run --dry-run`). Nothing you type, no "
        "cookie and no password is recorded; check the file before you share it.",
    )
    parser.epilog = EPILOG
    parser.add_argument("url", metavar="START_URL", help="where to start (https://...)")
    browser_options(parser, with_route=False)
    flow = parser.add_argument_group("the flow")
    flow.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the flow here (default: <id>.yaml in this folder; never over a file that "
        "exists unless --force)",
    )
    flow.add_argument("--force", action="store_true", help="replace --out if it exists")
    flow.add_argument(
        "--id",
        dest="flow_id",
        metavar="ID",
        help="the flow's id (default: from the site's name, e.g. example-ai-training)",
    )
    flow.add_argument(
        "--wanted",
        choices=("on", "off"),
        help="the state the flow keeps the switch in (default: asked, the opposite of its "
        "state now; without a terminal, that opposite)",
    )
    flow.add_argument(
        "--max-minutes",
        type=positive_float,
        default=15.0,
        metavar="MINUTES",
        help="how long you have to reach the switch (default: 15)",
    )
    parser.set_defaults(handler=cmd_record)


def cmd_record(args: argparse.Namespace) -> int:
    from optout_bot.app.request import RecordRequest
    from optout_bot.app.run import record
    from optout_bot.authoring.recording import Click, Recording
    from optout_bot.cli.run_cmd import browser_request, load_settings
    from optout_bot.engine.outcome import RunStop
    from optout_bot.engine.runner import plan
    from optout_bot.flow.catalog import bundled_flows

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def ready() -> None:
        say(
            f"Recording in the browser window: click your way to the setting, then click "
            f"its switch (that click is held back: nothing is changed). Up to "
            f"{args.max_minutes:g} minutes; close the window to stop."
        )

    def clicked(click: Click) -> None:
        say(f"  recorded: {click.title()}")

    def wanted(recording: Recording) -> str:
        state = recording.state
        default = "on" if state == "off" else "off"
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            say(f"the switch is {state}; the flow keeps it {default} (--wanted chooses)")
            return default
        question = f"The switch is {state}. Keep it on or off? [{default}] "
        try:
            answer = input(question).strip().lower()
        except EOFError:
            answer = ""
        return answer if answer in ("on", "off") else default

    try:
        request = RecordRequest(
            browser=browser_request(args, load_settings()),
            url=args.url,
            out=args.out,
            flow_id=args.flow_id,
            wanted=args.wanted,
            max_seconds=args.max_minutes * 60,
            force=args.force,
        )
        done = record(request, on_ready=ready, on_click=clicked, choose_wanted=wanted)
    except RunStop as stop:
        say(f"optout-bot record: {stop.reason}")
        return stop.status.exit_code
    flow = done.flow
    for note in done.recording.notes:
        say(f"  note: {note}")
    print(f"wrote {done.path}: {flow.id}, '{flow.switch.label}' kept {flow.switch.wanted}")
    if flow.id in bundled_flows():
        print(
            f"  its id is a bundled flow's: `flows add` would put it in place of the bundled "
            f"{flow.id} (--id gives it another)"
        )
    platform = flow.platforms[0]
    print(f"{flow.id} {flow.version} ({platform}, run): the plan. Nothing is opened.")
    for line in plan(flow, platform, "run"):
        print(f"  {line}")
    shown = shlex.quote(str(done.path))
    print(
        f"Next: `optout-bot verify {shown}` (read-only), then `optout-bot flows add {shown}` "
        "to keep it as your own."
    )
    return 0
