"""`optout-bot evidence verify` (check that the recorded evidence is as it was recorded, and
pinned to a head noted elsewhere; or check an export), `optout-bot evidence timestamp` (stamp
the records still waiting for a trusted time-stamp) and `optout-bot evidence export` (the
records as one zip anyone can check without optout-bot)."""

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
     --head, that record is there with that hash; for an EXPORT, every file of it checks
  1  something was altered, removed or reordered, a token does not match its record, the
     --head record is missing or different, or the store is unreadable or missing; for an
     EXPORT, a file that does not check (each is named), or one that is not a safe zip
  2  bad usage (--head not SEQ:HASH; --head or --store with an export)

examples:
  optout-bot evidence verify
  optout-bot evidence verify --head 12:3f5a...
  optout-bot evidence verify optout-bot-evidence.zip
  optout-bot evidence verify ./evidence   (an export unzipped there)
"""

EXPORT_EPILOG = """exit codes:
  0  the export was written, after it was checked as `evidence verify FILE.zip` checks it
  1  the store does not verify, no record was chosen, a record's file cannot go in, or the
     zip cannot be written
  2  bad usage (--out exists and no --force, --since not a date)

examples:
  optout-bot evidence export --out optout-bot-evidence.zip
  optout-bot evidence export --out linkedin.zip --flow linkedin-ai-training --since 2026-11-01
  optout-bot evidence export --out all.zip --with-pages --force
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
        "  optout-bot evidence verify --head 12:3f5a...\n  optout-bot evidence timestamp\n"
        "  optout-bot evidence export --out optout-bot-evidence.zip\n"
        "  optout-bot evidence verify optout-bot-evidence.zip"
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
        "problem, naming the record. Nothing is sent anywhere. Given an EXPORT (the zip "
        "`evidence export` wrote, or the folder it was unzipped to), check it instead: every "
        "file against SHA256SUMS, and each by more than that (a record's hash recomputed "
        "from its JSON and its links, its token against that hash, each screenshot against "
        "its record), naming each file that does not check; the zip is read, never "
        "unpacked.",
    )
    verify.epilog = EXIT_CODES
    verify.add_argument(
        "export",
        nargs="?",
        metavar="EXPORT",
        type=Path,
        help="an evidence export (a .zip from `evidence export`, or the folder it was "
        "unzipped to): check it instead of the store",
    )
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

    export = sub(
        "export",
        "write the evidence as one zip anyone can check with standard tools",
        "Write the chosen records as one zip file to hand to a lawyer or an authority: each "
        "record exactly as it was hashed (records/NNNN.json, whose sha256 is its hash), its "
        "trusted time-stamp (records/NNNN.tsr), its screenshots (records/NNNN/), the chain "
        "head (HEAD), the report (report.html), the certificates the time-stamps carry "
        "(tsa/*.pem), SHA256SUMS for every other file, and VERIFY.md: how to check all of "
        "it with sha256sum and openssl alone, each record's command filled in, or with "
        "`optout-bot evidence verify FILE.zip`. The store must verify first. Page snapshots "
        "(MHTML) stay out unless --with-pages; the browser profile, its cookies and the "
        "settings file are never in it. The same records give the same bytes.",
        epilog=EXPORT_EPILOG,
    )
    export.add_argument(
        "--out", type=Path, required=True, metavar="FILE.zip", help="the zip to write"
    )
    export.add_argument("--flow", metavar="ID", help="only this flow's records (its id)")
    export.add_argument(
        "--since",
        metavar="DATE",
        help="only records that began at or after DATE (UTC): 2026-11-22, or a time "
        "2026-11-22T14:00Z",
    )
    export.add_argument(
        "--with-pages",
        action="store_true",
        help="put the page snapshots (the setting's page after the reload, MHTML) in too; "
        "they can show more of the account than the screenshots, so they are left out by "
        "default",
    )
    export.add_argument(
        "--force", action="store_true", help="replace --out if it exists (default: refuse)"
    )
    store_option(export)
    export.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    export.set_defaults(handler=cmd_export)


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

    if args.export is not None:
        return _verify_export(args)
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


def _verify_export(args: argparse.Namespace) -> int:
    from optout_bot.evidence.export_check import verify_export

    for flag, given in (("--head", args.head), ("--store", args.store)):
        if given is not None:
            print(
                f"optout-bot evidence verify: {flag} is for the store, not an export (an "
                "export's HEAD file says its chain head)",
                file=sys.stderr,
            )
            return 2
    report = verify_export(args.export)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0 if report.ok else 1
    if not report.ok:
        for problem in report.problems:
            print(problem)
        problems = _plural(len(report.problems), "problem")
        print(f"export NOT OK: {problems} in {args.export}")
        return 1
    export = report.export or {}
    shots = _plural(report.screenshots, "screenshot")
    if report.pages:
        shots += f" and {_plural(report.pages, 'page snapshot')}"
    print(
        f"export OK: {_plural(report.checked, 'record')}, their links intact, {shots} "
        f"checked against their records, {_plural(int(export.get('files', 0)), 'file')} "
        "match SHA256SUMS"
    )
    _print_timestamps(report)
    head, chain = report.head, export.get("chain_head")
    if head and chain:
        print(
            f"newest record in it: #{head[0]} {head[1]}; the chain's head when it was "
            f"exported: #{chain['seq']} {chain['hash']}"
        )
    print(
        "the time-stamps' signatures check; that their authority's certificate leads to a "
        "root you trust is `openssl ts -verify -CAfile` (see the export's VERIFY.md)"
    )
    return 0


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


# -- evidence export ---------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from optout_bot.base.times import parse_time
    from optout_bot.evidence.export import ExportError, Selection, export_evidence
    from optout_bot.evidence.store import default_store_path

    name = "optout-bot evidence export"
    since = None
    if args.since is not None:
        since = parse_time(args.since)
        if since is None:
            print(
                f"{name}: --since {args.since!r}: expected a date (2026-11-22) or an ISO time "
                "(2026-11-22T14:00Z), UTC unless it names its zone",
                file=sys.stderr,
            )
            return 2
    out: Path = args.out
    if out.is_dir():
        print(f"{name}: --out {out} is a folder; name the zip to write", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        print(f"{name}: {out} exists; --force replaces it", file=sys.stderr)
        return 2
    store = args.store or default_store_path()
    selection = Selection(flow=args.flow, since=since, pages=args.with_pages)
    try:
        exported = export_evidence(store, out, selection, replace=args.force)
    except ExportError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"{name}: {out} exists; --force replaces it", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{name}: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(exported.to_json(), indent=2))
        return 0
    shots = _plural(exported.screenshots, "screenshot")
    if exported.pages:
        shots += f", {_plural(exported.pages, 'page snapshot')}"
    elif exported.pages_left_out:
        shots += f" ({_plural(exported.pages_left_out, 'page snapshot')} left out: --with-pages)"
    print(
        f"exported {_plural(exported.records, 'record')} ({exported.stamped} time-stamped), "
        f"{shots} to {out} ({_plural(exported.files, 'file')}, {exported.size} bytes)"
    )
    seq, digest = exported.chain_head
    print(f"chain head: #{seq} {digest}")
    print(
        f"VERIFY.md inside says how to check it with sha256sum and openssl; or: "
        f"optout-bot evidence verify {out}"
    )
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
