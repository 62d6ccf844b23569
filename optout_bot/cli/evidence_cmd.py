"""`optout-bot evidence verify` (check that the recorded evidence is as it was recorded, and
pinned to a head noted elsewhere) and `optout-bot evidence timestamp` (stamp the records
still waiting for a trusted time-stamp)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from optout_bot.cli.options import positive_float

if TYPE_CHECKING:
    from optout_bot.evidence.store import VerifyReport

EXIT_CODES = """\
exit codes:
  0  every record, its record.json, its screenshots and its time-stamp token are as they
     were recorded (a record that is not time-stamped is said, and is not a problem); with
     --head, that record is there with that hash
  1  something was altered, removed or reordered, a token does not match its record, the
     --head record is missing or different, or the store is unreadable or missing
  2  bad usage (--head not SEQ:HASH)
"""

TIMESTAMP_EXIT_CODES = """\
exit codes:
  0  every record (of those asked for) has its time-stamp
  1  some could not be stamped (each is named, with why), or the store is unreadable
  2  bad usage
"""

HEAD_FORM = "SEQ:HASH, a record's number and its 64-hex-digit hash, e.g. 12:3f5a…"
_HEAD = re.compile(r"#?(\d+):([0-9A-Fa-f]{64})")


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "evidence",
        "check the evidence of past runs (evidence verify), time-stamp it (evidence timestamp)",
        "Work with the evidence store, where every run is recorded as a hash-chained record "
        "with the sha256 of each screenshot, and each record's hash is time-stamped by a "
        "time-stamping authority (RFC 3161).",
    )
    parser.epilog = (
        "examples:\n  optout-bot evidence verify\n  optout-bot evidence verify --json\n"
        "  optout-bot evidence verify --head 12:3f5a...\n  optout-bot evidence timestamp"
    )
    from optout_bot.cli.options import subcommands

    sub = subcommands(parser, "evidence_command")
    verify = sub(
        "verify",
        "recompute every record's hash and chain link, re-hash every screenshot, check "
        "every time-stamp",
        "Recompute each record's hash from its stored content, check that the "
        "records form one unbroken chain (none removed or reordered), that the record.json "
        "beside the screenshots still matches, and that each screenshot still has the sha256 "
        "recorded when it was taken. Check each record's time-stamp token against the "
        "record's hash (its signature too, and that the certificate signing it is one for "
        "time-stamping; not whether that certificate chains to a root you trust: "
        "`openssl ts -verify -digest HASH -in record.tsr -CAfile ROOT.pem` does that) and "
        "print the time-stamping authority's time beside the recorded time. Prints every "
        "problem, naming the record. Nothing is sent anywhere.",
    )
    verify.epilog = EXIT_CODES
    store_option(verify)
    verify.add_argument(
        "--head",
        metavar="SEQ:HASH",
        help="a chain head noted elsewhere (`evidence verify`, `check` and each alert print "
        "it): prove that record is still there with that hash and nothing before it changed, "
        "and say how many records came after. Catches the newest records being removed, "
        "which the chain alone cannot show",
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    verify.set_defaults(handler=cmd_verify)

    stamp = sub(
        "timestamp",
        "time-stamp every record still waiting (RFC 3161)",
        "Send the hash of each record that has no time-stamp yet (the network was down, the "
        "time-stamping authority did not answer, timestamping was off) to the time-stamping "
        "authorities of the settings file's `timestamp_urls` (or --url), and keep each token "
        "in the store and as record.tsr beside record.json. Only the hash leaves the "
        "machine. A record stamped later is proved to exist from that later time on. "
        "Records that have their token are left alone (--again stamps them anew).",
    )
    stamp.epilog = TIMESTAMP_EXIT_CODES
    store_option(stamp)
    stamp.add_argument(
        "seqs", nargs="*", type=int, metavar="SEQ", help="only these records (default: all)"
    )
    stamp.add_argument(
        "--url",
        action="append",
        metavar="URL",
        help="a time-stamping authority to ask (repeat for more, asked in order; default: "
        "`timestamp_urls` of the settings file)",
    )
    stamp.add_argument(
        "--again",
        action="store_true",
        help="stamp records that have a token too; the new token replaces the old one (in "
        "the store and record.tsr), which then proves only the later time",
    )
    stamp.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="how long each authority may take (default: 5, or `timestamp_timeout`)",
    )
    stamp.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    stamp.set_defaults(handler=cmd_timestamp)


def store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH",
        type=Path,
        help="the evidence store (default: evidence.sqlite3 in optout-bot's data folder)",
    )


def parse_head(text: str) -> tuple[int, str] | None:
    """`12:3f5a...` (64 hex digits; a leading # is fine) as (12, "3f5a..."); None if not."""
    match = _HEAD.fullmatch(text.strip())
    if not match or int(match.group(1)) < 1:
        return None
    return int(match.group(1)), match.group(2).lower()


# -- evidence verify ---------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    from optout_bot.evidence.store import verify_store

    head = None
    if args.head is not None:
        head = parse_head(args.head)
        if head is None:
            print(
                f"optout-bot evidence verify: --head {args.head!r}: expected {HEAD_FORM}",
                file=sys.stderr,
            )
            return 2
    report = verify_store(args.store, head=head)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0 if report.ok else 1
    if report.ok:
        records = _plural(report.checked, "record")
        shots = _plural(report.screenshots, "screenshot")
        if report.pages:
            shots += f" and {_plural(report.pages, 'page snapshot')}"
        print(f"evidence OK: {records}, chain intact, {shots} checked")
        _print_timestamps(report)
        _print_pinned(report)
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


def _print_timestamps(report: VerifyReport) -> None:
    """One line per record: the recorded time and the TSA's, or why it has none."""
    if not report.timestamps:
        return
    stamped = report.stamped
    waiting = sum(1 for t in report.timestamps if t.state == "not_timestamped")
    line = f"timestamps: {stamped} of {_plural(len(report.timestamps), 'record')} timestamped"
    if waiting:
        line += f" ({waiting} not timestamped: `optout-bot evidence timestamp` stamps them)"
    print(line)
    for check in report.timestamps:
        print(f"  {check}")


def _print_pinned(report: VerifyReport) -> None:
    pinned = report.pinned
    if pinned and pinned.get("found"):
        after = int(pinned["after"])
        came = "no record came after it" if not after else f"{_plural(after, 'record')} after it"
        print(
            f"head #{pinned['seq']} {pinned['hash']} is in the chain, nothing up to it "
            f"changed; {came}"
        )


# -- evidence timestamp ------------------------------------------------------------------------


def cmd_timestamp(args: argparse.Namespace) -> int:
    import sqlite3

    from optout_bot.app.config import ConfigError, load_config
    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path
    from optout_bot.evidence.timestamping import stamp_records, url_problem

    name = "optout-bot evidence timestamp"
    for url in args.url or []:
        if url_problem(url):
            print(f"{name}: --url {url!r}: {url_problem(url)}", file=sys.stderr)
            return 2
    try:
        settings = load_config()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    urls = tuple(args.url or settings.timestamp_urls)
    if not urls:
        print(
            f"{name}: timestamping is off (timestamp_urls = [] in {settings.path}); name a "
            "time-stamping authority with --url URL",
            file=sys.stderr,
        )
        return 1
    path = args.store or default_store_path()
    if not path.exists():
        print(f"{name}: no evidence store at {path}: nothing to stamp")
        return 0
    try:
        with EvidenceStore(path) as store:
            before = {seq for seq, s in store.stamps().items() if s.stamped}
            outcomes = stamp_records(
                store,
                urls,
                seqs=args.seqs or None,
                again=args.again,
                timeout=args.timeout or settings.timestamp_timeout,
            )
    except (sqlite3.DatabaseError, StoreError, OSError) as exc:
        print(f"{name}: store unreadable: {path}: {exc}", file=sys.stderr)
        return 1
    missing = sorted(set(args.seqs or ()) - {o.seq for o in outcomes})
    new = [o for o in outcomes if o.stamped and (args.again or o.seq not in before)]
    kept = [o for o in outcomes if o.stamped and o not in new]
    waiting = [o for o in outcomes if not o.stamped]
    if args.json:
        print(
            json.dumps(
                {
                    "stamped": [{"seq": o.seq, **o.to_json()} for o in new],
                    "already": [o.seq for o in kept],
                    "waiting": [{"seq": o.seq, **o.to_json()} for o in waiting],
                    "unknown": missing,
                    "store": str(path),
                },
                indent=2,
            )
        )
        return 1 if waiting or missing else 0
    for outcome in new:
        print(f"record #{outcome.seq}: {outcome.words()}")
    for outcome in waiting:
        print(f"record #{outcome.seq}: {outcome.words()}")
    for seq in missing:
        print(f"record #{seq}: no such record in {path}")
    summary = f"{len(new)} stamped now"
    if kept:
        summary += f", {len(kept)} already stamped"
    if waiting:
        summary += f", {len(waiting)} still not timestamped (try again later)"
    print(f"timestamps: {summary}")
    return 1 if waiting or missing else 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
