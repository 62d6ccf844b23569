"""`optout-bot evidence verify`: check that the recorded evidence is as it was recorded."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

EXIT_CODES = """\
exit codes:
  0  every record, its record.json and its screenshots are as they were recorded
  1  something was altered, removed or reordered, or the store is unreadable or missing
  2  bad usage
"""


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "evidence",
        "check the evidence of past runs (evidence verify)",
        "Work with the evidence store, where every run is recorded as a hash-chained record "
        "with the sha256 of each screenshot.",
    )
    parser.epilog = "examples:\n  optout-bot evidence verify\n  optout-bot evidence verify --json"
    from optout_bot.cli.options import subcommands

    verify = subcommands(parser, "evidence_command", epilog=EXIT_CODES)(
        "verify",
        "recompute every record's hash and chain link, and re-hash every screenshot",
        "Recompute each record's hash from its stored content, check that the "
        "records form one unbroken chain (none removed or reordered), that the record.json "
        "beside the screenshots still matches, and that each screenshot still has the sha256 "
        "recorded when it was taken. Prints every problem, naming the record.",
    )
    store_option(verify)
    verify.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    verify.set_defaults(handler=cmd_verify)


def store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH",
        type=Path,
        help="the evidence store (default: evidence.sqlite3 in optout-bot's data folder)",
    )


def cmd_verify(args: argparse.Namespace) -> int:
    from optout_bot.evidence.store import verify_store

    report = verify_store(args.store)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0 if report.ok else 1
    if report.ok:
        records = _plural(report.checked, "record")
        shots = _plural(report.screenshots, "screenshot")
        if report.pages:
            shots += f" and {_plural(report.pages, 'page snapshot')}"
        print(f"evidence OK: {records}, chain intact, {shots} checked")
        if report.head:
            seq, digest = report.head
            print(f"chain head: #{seq} {digest} (note it elsewhere to pin the chain up to it)")
        return 0
    for problem in report.problems:
        print(problem)
    if report.checked:
        problems = _plural(len(report.problems), "problem")
        print(f"evidence NOT OK: {problems} in {_plural(report.checked, 'record')}")
    return 1


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
