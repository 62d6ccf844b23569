"""The evidence report: one self-contained HTML page (and a PDF of it) a person can attach to a
complaint.

`render_report(records, chain)` turns evidence records and the chain check into a page; the
page makes no requests at all. Its CSS is inline, every screenshot is embedded as a ``data:``
URI (after checking its sha256 against the record: a changed file is shown as "altered", a
vanished one as "missing"), the timeline is inline SVG, and a Content-Security-Policy forbids
anything else. It needs no script: the full-size view of a screenshot is a CSS ``:target``
overlay.

The markup is in ``templates/`` (Jinja2, autoescaped: everything that came from a web page, a
flow file or a record is escaped by the engine, never by hand; undefined names are errors);
what each part shows is computed in `report_view`.

`write_report` saves it atomically and private to the user; `write_pdf` prints the same HTML
with Chromium (A4, print CSS: a run's card never splits across pages).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from optout_bot import __version__
from optout_bot.base import templates
from optout_bot.base.files import private_output, write_private
from optout_bot.evidence import report_view as view
from optout_bot.evidence.layout import Layout
from optout_bot.evidence.record import Record
from optout_bot.evidence.report_view import MAX_EMBED_BYTES, Shot, load_shot

__all__ = [
    "CSP",
    "MAX_EMBED_BYTES",
    "Shot",
    "load_shot",
    "render_report",
    "write_pdf",
    "write_report",
]

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
PDF_MARGIN = {"top": "14mm", "right": "12mm", "bottom": "16mm", "left": "12mm"}


@functools.lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    env = templates.environment("optout_bot.evidence", html=True)
    env.filters["short"] = view.short
    return env


def _css() -> Markup:
    """The report's style sheet, inlined as it is: it is our own file, and HTML escapes inside
    <style> would break its quotes and child selectors (`content: "·"`, `.legend > span`)."""
    css = (resources.files("optout_bot.evidence") / "templates" / "report.css").read_text("utf-8")
    return Markup(css)


def render_report(
    records: Iterable[Record | Mapping[str, Any]],
    chain: Mapping[str, Any],
    *,
    generated_at: datetime | None = None,
    title: str = "optout-bot evidence report",
    layout: Layout | None = None,
    timestamps: view.Stamps | None = None,
    exported: bool = False,
) -> str:
    """The whole report as one HTML document that needs nothing else to display.

    `layout` finds the screenshots the records name (see `evidence.layout`); `timestamps`
    (seq -> `store.StampCheck.to_json()`) are the records' time-stamps as verified.

    `exported`: the page of an evidence export (`evidence.export`), which must come out the
    same, byte for byte, from the same records on any machine on any day: its time is
    `generated_at` (the newest record's), said as such, and it shows no local times and no
    "N days before this report"; its notes on checking point to the export's VERIFY.md."""
    now = generated_at or datetime.now(timezone.utc)
    now = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    typed = [r if isinstance(r, Record) else Record.from_json(r) for r in records]
    entries, groups = view.group(typed)
    problems = view.problems_by_seq(chain)

    def figures(entry: view.Entry) -> list[view.Figure]:
        record = entry.record
        return [
            view.Figure(
                load_shot(shot, record.evidence_dir, layout),
                f"{entry.anchor}-shot-{i}",
                entry.anchor,
            )
            for i, shot in enumerate(record.screenshots, 1)
        ]

    return (
        _templates()
        .get_template("report.html.j2")
        .render(
            csp=CSP,
            version=__version__,
            title=title,
            css=_css(),
            generated=view.when(now, seconds=True),
            masthead=view.masthead(now, entries, groups, exported=exported),
            chain=view.chain_view(chain, len(entries)),
            settings=[
                view.setting_view(
                    number, group, problems, now, figures, timestamps, exported=exported
                )
                for number, group in enumerate(groups, 1)
            ],
            ledger=view.ledger(entries, problems),
            recorded_by=view.versions(entries),
            exported=exported,
        )
    )


# ---- files -------------------------------------------------------------------------------------


def write_report(html: str, out: Path) -> Path:
    """Save the report atomically (a reader never sees half a file), private to the user."""
    return write_private(Path(out), html.encode("utf-8"), replace=True)


def write_pdf(html: str, out: Path, playwright: Any, browser_path: str | None = None) -> Path:
    """Print the report to an A4 PDF with headless Chromium; saved atomically, mode 0600."""
    from optout_bot.engine.session import QUIET_ARGS

    out = Path(out)
    with private_output(out, replace=True) as tmp:
        browser = playwright.chromium.launch(
            headless=True, executable_path=browser_path, args=QUIET_ARGS
        )
        try:
            page = browser.new_page()
            # The page is self-contained; should anything try the network anyway, it fails.
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            page.pdf(
                path=str(tmp),
                format="A4",
                print_background=True,
                margin=PDF_MARGIN,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:7.5px;width:100%;text-align:center;color:#6b7482;'
                    'font-family:sans-serif">page <span class="pageNumber"></span> of '
                    '<span class="totalPages"></span></div>'
                ),
            )
        finally:
            browser.close()
    return out
