"""`optout-bot inspect URL`: list a page's switches with verified locators, and write a flow
skeleton for the likeliest AI-training one. Read-only: it never clicks anything."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from optout_bot.cli.options import browser_options

EPILOG = """\
exit codes:
  0  inspected; at least one switch, checkbox or radio found
  1  the page has none, or it could not be opened (or no browser was found)
  2  bad usage (a URL that is not https://, an invalid settings file)

examples:
  optout-bot inspect https://www.example.com/settings/privacy --cdp http://127.0.0.1:9222
  optout-bot inspect https://www.example.com/settings/privacy --profile example --json
"""


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "inspect",
        "list a page's switches with locators that work, and write a flow skeleton",
        "For writing a flow for a new site or layout. Open URL in your signed-in browser "
        "(--cdp) or a kept profile, wait for it to settle, and list every switch, checkbox "
        "and radio on it (also in open shadow roots and same-origin iframes): role, "
        "accessible name, state, and the attributes a flow can rely on. For each, suggest "
        "locators in the flow's syntax, best first, each checked on the page to find exactly "
        "that control. Then print a flow skeleton for the likeliest AI-training switch, which "
        "`optout-bot validate` accepts as it is. Read-only: it clicks nothing, and reads no "
        "cookies or form values.",
    )
    parser.epilog = EPILOG
    parser.add_argument("url", metavar="URL", help="the setting's page (https://...)")
    browser_options(parser, with_route=False)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object on stdout: url, controls (with suggestions) and skeleton",
    )
    parser.set_defaults(handler=cmd_inspect)


def cmd_inspect(args: argparse.Namespace) -> int:
    from optout_bot.app.run import inspect
    from optout_bot.authoring.inspect import render_text
    from optout_bot.cli.run_cmd import browser_request, load_settings
    from optout_bot.engine.outcome import RunStop, Status

    try:
        result = inspect(browser_request(args, load_settings()), args.url)
    except RunStop as stop:
        print(f"optout-bot inspect: {stop.reason}", file=sys.stderr)
        return stop.status.exit_code
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result))
    return 0 if result.controls else Status.ERROR.exit_code
