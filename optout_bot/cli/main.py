"""The `optout-bot` command line: build the parser from the command modules, dispatch.

Kept light at import time: Playwright is imported only by commands that drive a browser, so
`--help`, `flows` and `validate` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import NoReturn

from optout_bot import __version__
from optout_bot.cli.options import EXIT_CODES_HELP, HelpFormatter, subcommands

#: Listed first in `--help`, in this order: the commands a person starts with. The other
#: command modules follow in name order.
_FIRST = ("setup_cmd", "run_cmd")


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
    parser.add_argument(
        "--version",
        action=_Version,
        nargs=0,
        help="show the version and the flow formats it reads, and exit",
    )
    add = subcommands(parser, "command", "COMMAND")
    for module in command_modules():
        module.register(add)
    return parser


class _Version(argparse.Action):
    """`--version`: the version and the flow formats this engine reads (the flow model is
    imported only here, so that `--help` stays quick)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        from optout_bot.flow.model import FORMAT_VERSION, ONE_SETTING_FORMAT

        span = "and" if FORMAT_VERSION == ONE_SETTING_FORMAT + 1 else "to"
        print(
            f"optout-bot {__version__}: reads flow formats {ONE_SETTING_FORMAT} {span} "
            f"{FORMAT_VERSION} (format {ONE_SETTING_FORMAT}: one setting per file; format "
            f"{FORMAT_VERSION}: a site's settings in one file)"
        )
        parser.exit()


def command_modules() -> list[ModuleType]:
    """Every ``optout_bot/cli/*_cmd.py``: adding a command touches no other file."""
    from optout_bot import cli

    names = sorted(i.name for i in pkgutil.iter_modules(cli.__path__) if i.name.endswith("_cmd"))
    names.sort(key=lambda name: _FIRST.index(name) if name in _FIRST else len(_FIRST))
    return [importlib.import_module(f"optout_bot.cli.{name}") for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    from optout_bot.engine.outcome import Status

    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.handler
    try:
        return command(args)
    except KeyboardInterrupt:
        print("optout-bot: interrupted", file=sys.stderr)
        return Status.INTERRUPTED.exit_code


def run() -> NoReturn:
    """The `optout-bot` command: `main`, then out without the interpreter's teardown.

    Why (speed): tearing down the modules a run imports (Playwright, pydantic, the flow
    language) takes tens of milliseconds after the work is done -- 60-70 ms measured on the
    imports of a run alone, on a run that lasts about a second. By the time `main` returns,
    everything optout-bot wrote is closed and on disk (evidence files are written durably, the
    store commits and closes, Playwright's driver has stopped), so only the output streams
    need flushing. Coverage's subprocess measurement saves its data before `os._exit` too
    (`patch = ["_exit"]` in pyproject.toml)."""
    try:
        code = main()
    except BrokenPipeError:
        # The reader went away (`optout-bot flows | head`): what it wanted is printed; the
        # rest has nowhere to go. Exit as a command killed by SIGPIPE does, quietly.
        os._exit(141)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`), or a closed stream
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
