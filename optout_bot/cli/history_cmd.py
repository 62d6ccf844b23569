"""`optout-bot history [FLOW]`: the runs recorded in the evidence store, newest last."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable
from typing import Any

from optout_bot.cli.evidence_cmd import store_option
from optout_bot.cli.options import positive_int

EPILOG = """\
exit codes:
  0  listed (also when there are no records yet)
  1  the evidence store is unreadable
  2  bad usage

examples:
  optout-bot history
  optout-bot history linkedin-ai-training --limit 10
  optout-bot history --json
"""

EMPTY = (
    "no records yet: every `optout-bot run` and `optout-bot verify` is recorded here, with "
    "its screenshots' hashes. Make one with `optout-bot verify linkedin-ai-training`."
)


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "history",
        "list the recorded runs: when, flow, state before -> after, status",
        "List the runs recorded in the evidence store, newest last: when (local time and "
        "UTC), flow, platform, mode, the switch's state before -> after, status, exit "
        "code, and its trusted time-stamp (the time-stamping authority's time and host) or "
        "why it has none. `optout-bot evidence verify` checks that none was altered.",
    )
    parser.epilog = EPILOG
    parser.add_argument("flow", nargs="?", metavar="FLOW", help="only this flow's runs (its id)")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON list of the records on stdout; each has a "timestamp" beside '
        "it, which is not part of the record (nor of its hash)",
    )
    store_option(parser)
    parser.add_argument("--limit", type=positive_int, metavar="N", help="only the newest N records")
    parser.set_defaults(handler=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    import sqlite3

    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path

    path = args.store or default_store_path()
    everything: list[dict[str, Any]] = []
    if path.exists():  # never create a store just to say it is empty
        try:
            with EvidenceStore(path) as store:
                stamps = store.stamps()
                everything = [
                    {**body, "timestamp": store.stamp_of(body, stamps).to_json()}
                    for body in store.records()
                ]
        except (sqlite3.DatabaseError, StoreError, OSError) as exc:
            print(
                f"optout-bot history: store unreadable: {path}: {exc}. "
                "`optout-bot evidence verify` tells more; keep a copy of the file as it is.",
                file=sys.stderr,
            )
            return 1
    records = [r for r in everything if args.flow is None or _flow_id(r) == args.flow]
    shown = records[-args.limit :] if args.limit else records
    if args.json:
        print(json.dumps(shown, indent=2))
        return 0
    if not records:
        if args.flow and everything:
            flows = ", ".join(sorted({_flow_id(r) for r in everything}))
            print(f"no records for {args.flow} yet (recorded flows: {flows})")
        else:
            print(EMPTY)
        return 0
    print_table(shown)
    if len(shown) < len(records):
        print(f"(the newest {len(shown)} of {len(records)} records)")
    return 0


def print_table(records: list[dict[str, Any]]) -> None:
    from optout_bot.evidence.record import Record

    rows: list[tuple[str, ...]] = [
        (
            "#",
            "WHEN (LOCAL)",
            "UTC",
            "FLOW",
            "PLATFORM",
            "MODE",
            "STATE",
            "STATUS",
            "EXIT",
            "TIMESTAMP",
        )
    ]
    for body in records:
        record = Record.from_json(body)
        seq = "?" if record.seq is None else str(record.seq)
        if record.damaged:
            rows.append((seq, "(damaged: run `optout-bot evidence verify`)"))
            continue
        local, utc = _when(record.started_at)
        rows.append(
            (
                seq,
                local,
                utc,
                record.flow.id,
                record.platform,
                record.mode,
                f"{record.state_before} -> {record.state_after}",
                record.status,
                "-" if record.exit_code is None else str(record.exit_code),
                _stamp(body.get("timestamp")),
            )
        )
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(rows[0]))]
    for row in rows:
        if len(row) < len(widths):  # a damaged record's note spans the columns
            print(f"{row[0].ljust(widths[0])}  {row[1]}")
            continue
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _stamp(stamp: object) -> str:
    """`2026-11-22 14:00:06 UTC, timestamp.digicert.com` or `not timestamped: why`."""
    from optout_bot.evidence.timestamping import clock

    if not isinstance(stamp, dict):
        return ""
    if stamp.get("timestamped"):
        return f"{clock(str(stamp.get('time')))}, {stamp.get('tsa')}"
    return f"not timestamped: {stamp.get('why')}"


def _flow_id(body: dict[str, Any]) -> str:
    from optout_bot.evidence.record import FlowRef

    return FlowRef.from_json(body.get("flow")).id if isinstance(body.get("flow"), dict) else ""


def _when(stamp: str) -> tuple[str, str]:
    """(`2026-11-22 15:00 CET`, `2026-11-22 14:00`) for a record's UTC time stamp."""
    from optout_bot.base.times import parse_time

    moment = parse_time(stamp)
    if moment is None:
        return ("?", stamp or "?")
    local = moment.astimezone()
    zone = local.tzname() or ""
    if not zone or len(zone) > 6 or " " in zone:  # Windows' long names; keep the offset
        zone = local.strftime("%z")
    utc = moment.astimezone(datetime.timezone.utc)
    return (f"{local:%Y-%m-%d %H:%M} {zone}", f"{utc:%Y-%m-%d %H:%M}")
