"""The command line's shared pieces: option groups, number types, the help formatter and
the subcommand factory, so every command is parsed and formatted alike (exact flags, no
abbreviations, prose wrapped, tables kept as written)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from optout_bot.engine.outcome import EXIT_CODES

EXIT_CODES_HELP = "exit codes:\n" + "".join(
    f"  {code:>3}  {meaning}\n" for code, meaning in EXIT_CODES.items()
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


positive_float = _positive(float, "a number")
positive_int = _positive(int, "a whole number")


def browser_options(
    parser: argparse.ArgumentParser, *, with_session: bool = True, with_route: bool = True
) -> None:
    group = parser.add_argument_group("browser")
    if with_session:
        where = group.add_mutually_exclusive_group()
        where.add_argument(
            "--cdp",
            metavar="auto|URL",
            help="attach to your running browser: 'auto' finds the Chrome, Edge, Brave or "
            "Chromium where you turned debugging on at chrome://inspect/#remote-debugging "
            "(click Allow when it asks); or a DevTools URL (http://127.0.0.1:9222, "
            "ws://...). Works in a new tab and leaves your tabs alone (default: `cdp` in the "
            "settings file)",
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
    if with_route:
        group.add_argument(
            "--route",
            choices=("menus", "direct"),
            help="reach the setting through the menus as a person would (the default for run; "
            "the direct URL if they changed), or straight through its URL (the default for "
            "verify and check; the menus if that page does not show the switch)",
        )
    group.add_argument(
        "--browser-path",
        metavar="PATH",
        help="Chrome/Chromium/Edge to launch (default: found automatically; env "
        "OPTOUT_BOT_BROWSER)",
    )
    group.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="how long each step may wait for the page (default: 15, or the settings file)",
    )
    group.add_argument(
        "--replica",
        metavar="HOST:PORT",
        help="(testing) send the site's traffic to a local replica at HOST:PORT and accept "
        "its self-signed certificate",
    )


def output_options(parser: argparse.ArgumentParser) -> None:
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
    loud = group.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="only warnings and the summary")
    loud.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show each step's selector too (the evidence always keeps them)",
    )
    group.add_argument(
        "--no-mask",
        dest="mask",
        action="store_false",
        help="keep your name and photo in screenshots (masked by default, so evidence can "
        "be shared)",
    )


def login_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--login-timeout",
        type=positive_float,
        metavar="SECONDS",
        help="how long to wait for you to sign in by hand on first use, or to click Allow "
        "when your browser asks (--cdp) (default: 300, or the settings file)",
    )
    parser.add_argument(
        "--run-timeout",
        type=positive_float,
        metavar="SECONDS",
        help="the longest the whole run may take, not counting a sign-in by hand; then it "
        "stops as timed out, exit 1 (default: 300, or the settings file)",
    )


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


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Rows as columns padded to their widest cell, two spaces apart (the first row is the
    heading)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def timestamp_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-timestamp",
        action="store_true",
        help="do not send the record's hash to a time-stamping authority (RFC 3161) this "
        "time (default: each record's hash, and only that, goes to the settings file's "
        "`timestamp_urls`; `optout-bot evidence timestamp` stamps it later)",
    )
