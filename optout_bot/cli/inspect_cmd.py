"""`optout-bot inspect URL`: list a page's switches with verified locators, and write a flow
skeleton for the likeliest AI-training one. Read-only: it never clicks anything."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

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
    from optout_bot.cli.main import _browser_options

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
    _browser_options(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object on stdout: url, controls (with suggestions) and skeleton",
    )
    parser.set_defaults(handler=cmd_inspect)


def cmd_inspect(args: argparse.Namespace) -> int:
    from optout_bot.app.config import ConfigError, load_config
    from optout_bot.authoring.inspect import inspect_page, render_text
    from optout_bot.cli import main as cli
    from optout_bot.engine.browsers import BrowserNotFound, find_browser
    from optout_bot.engine.outcome import RunStop, Status
    from optout_bot.engine.session import SessionOptions, open_session

    def fail(status: Status, message: str) -> int:
        print(f"optout-bot inspect: {message}", file=sys.stderr)
        return status.exit_code

    if not args.url.startswith("https://"):
        return fail(Status.INVALID, f"{args.url!r}: flows open https:// pages only")
    try:
        config = load_config()
    except ConfigError as exc:
        return fail(Status.INVALID, str(exc))
    profile = args.profile or config.profile
    platform = args.platform or config.platform
    timeout_ms = int((args.timeout or config.timeout) * 1000)

    from playwright.sync_api import Error as PWError

    try:
        extra = cli._replica_args(args.replica) if args.replica else []
        with cli.playwright_factory() as pw:
            browser = None
            if not args.cdp:
                try:
                    browser = find_browser(args.browser_path, cli._playwright_chromium(pw))
                except BrowserNotFound as exc:
                    return fail(Status.ERROR, str(exc))
            options = SessionOptions(
                platform=platform,
                headless=args.headless,
                browser=browser,
                extra_args=extra,
                ignore_https_errors=bool(extra),
                timeout_ms=timeout_ms,
            )
            with open_session(pw, cdp_url=args.cdp, profile=profile, options=options) as session:
                page = session.new_page()
                try:
                    result = inspect_page(page, args.url, platform=platform, timeout_ms=timeout_ms)
                except PWError as exc:
                    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    return fail(Status.ERROR, f"cannot inspect {args.url}: {first}")
    except RunStop as stop:
        return fail(stop.status, stop.reason)

    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result))
    return 0 if result.controls else Status.ERROR.exit_code
