"""`optout-bot report [FLOW] [--out FILE] [--pdf]`: the evidence as one self-contained page."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from optout_bot.cli.evidence_cmd import store_option


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "report",
        "write the evidence as one self-contained HTML page (or PDF)",
        "Write every recorded run (or one flow's) as one HTML file with the screenshots "
        "embedded and no external requests: per setting its current state, a timeline of "
        "every check, and each run's before / after / after-reload screenshots with their "
        "hashes and the chain's status. --pdf prints the same page through Chromium.",
    )
    parser.add_argument("flow", nargs="?", metavar="FLOW", help="only this flow's runs (its id)")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="where to write it (default: optout-bot-report-<date>.html or .pdf here)",
    )
    parser.add_argument("--pdf", action="store_true", help="write a PDF instead of HTML")
    parser.add_argument("--browser-path", metavar="PATH", help="Chromium to print the PDF with")
    store_option(parser)
    parser.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    import sqlite3

    from optout_bot.evidence import report
    from optout_bot.evidence.layout import Layout
    from optout_bot.evidence.store import (
        EvidenceStore,
        StoreError,
        default_store_path,
        verify_store,
    )

    path = args.store or default_store_path()
    if not path.exists():
        print(
            f"no evidence yet ({path} does not exist): run `optout-bot verify FLOW` first",
            file=sys.stderr,
        )
        return 1
    try:
        with EvidenceStore(path) as store:
            records = store.records(args.flow)
    except (sqlite3.DatabaseError, StoreError, OSError) as exc:
        print(f"optout-bot report: store unreadable: {path}: {exc}", file=sys.stderr)
        return 1
    if not records:
        print(f"no records{' for ' + args.flow if args.flow else ''} yet", file=sys.stderr)
        return 1
    checked = verify_store(path)
    chain: dict[str, Any] = {
        "ok": checked.ok,
        "checked": checked.checked,
        "message": "" if checked.ok else str(checked.first),
        "problems": [p.to_json() for p in checked.problems],
    }
    stamps = {t.seq: t.to_json() for t in checked.timestamps}
    html = report.render_report(records, chain, layout=Layout(path), timestamps=stamps)
    today = datetime.date.today().isoformat()
    out = args.out or Path(f"optout-bot-report-{today}.{'pdf' if args.pdf else 'html'}")
    if args.pdf:
        from optout_bot.app import browsing
        from optout_bot.engine.browsers import BrowserNotFound

        with browsing.playwright_factory() as pw:
            try:
                browser = browsing.choose_browser(pw, args.browser_path)
            except BrowserNotFound as exc:
                print(f"optout-bot report: {exc}", file=sys.stderr)
                return 1
            report.write_pdf(html, out, pw, browser.path)
    else:
        report.write_report(html, out)
    state = "intact" if checked.ok else f"NOT intact ({len(checked.problems)} problems)"
    count = f"{len(records)} record{'s' * (len(records) != 1)}"
    print(f"report: {out} ({count}, evidence chain {state})")
    return 0
