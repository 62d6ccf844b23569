"""The evidence report in a real headless Chromium: self-contained, honest about tampering,
escaped, and printable to PDF."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from markupsafe import escape

from optout_bot.engine.outcome import Status
from optout_bot.evidence.report import CSP, render_report, write_pdf, write_report

LINKEDIN = "linkedin-ai-training"
OTHER = "example-ai-setting"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
INTACT = {"ok": True, "checked": 6, "message": "ok", "problems": []}

# (flow, mode, before, after, status, started, screenshots): in chain order.
RUNS = [
    (
        LINKEDIN,
        "run",
        "on",
        "off",
        "ok",
        "2026-11-03T09:12:05.000001Z",
        ["before", "after-change", "after-reload"],
    ),
    (LINKEDIN, "verify", "off", "off", "ok", "2026-11-10T10:00:00.5Z", ["before", "after-reload"]),
    (
        OTHER,
        "verify",
        "unknown",
        "unknown",
        "login_required",
        "2026-11-12T08:00:00Z",
        ["login-required"],
    ),
    (LINKEDIN, "verify", "on", "on", "drift", "2026-11-17T11:17:05Z", ["before", "after-reload"]),
    (
        LINKEDIN,
        "run",
        "on",
        "off",
        "ok",
        "2026-11-17T11:21:05Z",
        ["before", "after-change", "after-reload"],
    ),
    (OTHER, "verify", "on", "on", "drift", "2026-11-24T12:12:00Z", ["before", "after-reload"]),
]


@pytest.fixture(scope="module")
def pngs(browser) -> dict[str, bytes]:
    """Real PNG screenshots, one per kind, taken once for the module."""
    page = browser.new_page(viewport={"width": 480, "height": 300})
    shots = {}
    for kind in ("before", "after-change", "after-reload", "login-required"):
        page.set_content(f"<h1 style='font-family:sans-serif'>{kind}</h1>")
        shots[kind] = page.screenshot()
    page.close()
    return shots


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_records(folder: Path, pngs: dict[str, bytes], runs=RUNS, overrides=None) -> list[dict]:
    """Hash-chained records as the evidence store writes them, screenshots on disk."""
    records: list[dict] = []
    prev = "0" * 64
    for seq, (flow, mode, before, after, status, started, shots) in enumerate(runs, 1):
        run_dir = folder / f"{seq:02d}-{mode}"
        run_dir.mkdir(parents=True)
        screenshots = []
        for n, kind in enumerate(shots, 1):
            path = run_dir / f"{n:02d}-{kind}.png"
            path.write_bytes(pngs[kind])
            screenshots.append({"name": path.name, "path": str(path), "sha256": _sha(pngs[kind])})
        record = {
            "schema": 1,
            "id": _sha(str(seq).encode())[:32],
            "seq": seq,
            "prev_hash": prev,
            "started_at": started,
            "ended_at": started,
            "tool_version": "0.1.0",
            "flow": {"id": flow, "version": "1.0.0", "sha256": "ab" * 32, "path": f"{flow}.yaml"},
            "platform": "desktop",
            "mode": mode,
            "session": "profile",
            "state_before": before,
            "state_after": after,
            "wanted": "off",
            "changed": before != after,
            "persisted": None if status == "login_required" else True,
            "status": status,
            "exit_code": {"ok": 0, "drift": 3, "login_required": 4}[status],
            "reason": f"{status}: the switch reads {after}",
            "final_url": "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
            "switch": None,
            "evidence_dir": str(run_dir),
            "screenshots": screenshots,
        }
        if flow == LINKEDIN:
            record.update(site="LinkedIn", setting="Data for Generative AI Improvement")
        record.update((overrides or {}).get(seq, {}))
        record["hash"] = _sha(json.dumps(record, sort_keys=True).encode())
        prev = record["hash"]
        records.append(record)
    return records


@pytest.fixture
def records(tmp_path: Path, pngs) -> list[dict]:
    return make_records(tmp_path / "evidence", pngs)


STYLE_SHEET = Path(__file__).resolve().parent.parent / "optout_bot/evidence/templates/report.css"


def without_csp(html: str) -> str:
    """The page minus its CSP, so anything it referenced would really be fetched."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">'
    assert meta in html
    return html.replace(meta, "")


def open_offline(context, html: str):
    """Show `html` with every network request refused; note the ones attempted anyway."""
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    page.attempted = []
    page.console_errors = []
    page.dialogs = []
    page.on("request", lambda request: page.attempted.append(request.url))
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(html, wait_until="load")
    return page


def images_decoded(page) -> list[tuple[str, int]]:
    return page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.alt, i.complete ? i.naturalWidth : 0])"
    )


def test_the_report_needs_no_network_and_every_screenshot_shows(context, records):
    """With the network cut, the page requests nothing but its data: images, and all decode."""
    html = render_report(records, INTACT, generated_at=NOW)
    # Without its CSP, any external reference would show up as an attempted request.
    page = open_offline(context, without_csp(html))
    assert [u for u in page.attempted if not u.startswith("data:")] == []
    decoded = images_decoded(page)
    assert len(decoded) == sum(len(r["screenshots"]) for r in records) == 13
    assert [alt for alt, width in decoded if width <= 0] == []
    assert page.locator("script").count() == 0
    page.close()

    page = open_offline(context, html)
    assert page.console_errors == []  # nothing was refused by the CSP either
    assert all(width > 0 for _, width in images_decoded(page))


def test_the_style_sheet_is_inlined_as_written(context, records):
    """The CSS reaches the page unescaped: its quoted content and child selectors apply."""
    css = (
        Path(__file__).resolve().parent.parent / "optout_bot/evidence/templates/report.css"
    ).read_text("utf-8")
    assert "</" not in css  # it could not close its <style> element early
    html = render_report(records, INTACT, generated_at=NOW)
    assert f"<style>\n{css}</style>" in html
    page = open_offline(context, html)
    separator = page.evaluate(
        "getComputedStyle(document.querySelector('.masthead .meta span + span'), '::before')"
        ".content"
    )
    assert separator == '"·"'


def test_the_timeline_has_one_point_per_record_of_each_setting(context, records):
    """Each setting's SVG timeline has one .timeline-point per record, linked to its card."""
    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))
    linkedin = page.locator(f'section[data-flow="{LINKEDIN}"]')
    other = page.locator(f'section[data-flow="{OTHER}"]')
    assert linkedin.locator("svg .timeline-point").count() == 4
    assert other.locator("svg .timeline-point").count() == 2
    assert page.locator(".timeline-point").count() == len(records)
    # The drift check sits on the "On" row, above the "Off" ones, and is coloured differently.
    cys = linkedin.locator(".timeline-point").evaluate_all(
        "ps => ps.map(p => [p.getAttribute('data-status'), +p.getAttribute('cy'), "
        "p.getAttribute('stroke'), p.parentNode.getAttribute('href')])"
    )
    drift = [c for c in cys if c[0] == "drift"]
    ok = [c for c in cys if c[0] == "ok"]
    assert len(drift) == 1 and len(ok) == 3
    assert drift[0][1] < ok[0][1] and drift[0][2] != ok[0][2]
    for *_, href in cys:
        assert page.locator(f"article{href}").count() == 1
    tip = linkedin.locator(".timeline-point title").first.text_content()
    assert "3 Nov 2026, 09:12 UTC" in tip and "Off" in tip


def test_the_current_state_is_the_latest_records(context, records):
    """The big badge shows each setting's latest state: green "Off — as wanted", red "On"."""
    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))
    linkedin = page.locator(f'section[data-flow="{LINKEDIN}"] .current')
    assert linkedin.locator(".current-state").inner_text() == "Off — as wanted"
    assert "current-good" in linkedin.get_attribute("class")
    assert "17 Nov 2026, 11:21 UTC" in linkedin.inner_text()
    other = page.locator(f'section[data-flow="{OTHER}"] .current')
    assert other.locator(".current-state").inner_text() == "On"
    assert "current-bad" in other.get_attribute("class")
    # Site and setting names come from the records; without them, the flow id.
    head = page.locator(f'section[data-flow="{LINKEDIN}"] .setting-head').text_content()
    assert "LinkedIn" in head and "Data for Generative AI Improvement" in head
    assert page.locator(f'section[data-flow="{OTHER}"] h2').inner_text() == OTHER
    # The drift between two runs counts once, though the run after it also began "on".
    facts = page.locator(f'section[data-flow="{LINKEDIN}"] .keyfacts li.alert').text_content()
    assert facts == "Found switched back ononce 17 Nov 2026"
    # Cards run newest first within a setting.
    ids = page.locator(f'section[data-flow="{LINKEDIN}"] article.run').evaluate_all(
        "cards => cards.map(c => c.id)"
    )
    assert ids == ["run-5", "run-4", "run-2", "run-1"]


def test_a_setting_last_seen_behind_a_login_page_is_unknown(context, tmp_path, pngs):
    """When the latest check could not read the switch, the badge says Unknown, not Off."""
    runs = [RUNS[0], (LINKEDIN, *RUNS[2][1:])]
    records = make_records(tmp_path / "ev", pngs, runs)
    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))
    current = page.locator(".current")
    assert current.locator(".current-state").inner_text() == "Unknown"
    assert "current-calm" in current.get_attribute("class")
    assert "last known: off" in current.inner_text()


def test_an_altered_or_missing_screenshot_is_flagged_not_fatal(context, records, pngs):
    """A screenshot whose bytes changed is shown marked "altered"; a deleted one "missing"."""
    altered = Path(records[0]["screenshots"][1]["path"])
    altered.write_bytes(pngs["after-reload"])  # a real PNG, just not the one recorded
    Path(records[1]["screenshots"][0]["path"]).unlink()
    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))

    flagged = page.locator("#run-1-shot-2")
    assert flagged.get_attribute("data-integrity") == "altered"
    assert flagged.locator(".shot-flag").inner_text().lower() == "altered"
    assert flagged.locator("img").evaluate("i => i.naturalWidth") > 0
    assert _sha(pngs["after-reload"])[:12] in flagged.inner_text()
    missing = page.locator("#run-2-shot-1")
    assert missing.get_attribute("data-integrity") == "missing"
    assert missing.locator(".shot-flag").inner_text().lower() == "missing"
    assert missing.locator("img").count() == 0
    assert page.locator('[data-integrity="ok"]').count() == 11
    assert page.locator('[data-integrity="altered"] .shot-flag').first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    ) != page.locator('[data-integrity="ok"] .shot-flag').first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )


def test_the_chain_banner_says_intact_or_lists_the_problems(context, records):
    """An intact chain gets the green banner; a broken one a red banner naming each problem."""
    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))
    banner = page.locator(".chain")
    assert "Evidence chain intact: 6 records verified" in banner.inner_text()
    assert "chain-ok" in banner.get_attribute("class")
    assert "optout-bot evidence verify" in banner.inner_text()

    broken = {
        "ok": False,
        "checked": 6,
        "message": "1 problem",
        "problems": [{"seq": 3, "kind": "hash_mismatch", "detail": "record 3 was edited"}],
    }
    page = open_offline(context, render_report(records, broken, generated_at=NOW))
    banner = page.locator(".chain")
    assert "chain-broken" in banner.get_attribute("class")
    assert "Evidence chain broken: 1 problem" in banner.inner_text()
    assert "hash_mismatch" in banner.inner_text()
    assert "record 3 was edited" in banner.inner_text()
    assert page.locator(".chain-ok").count() == 0
    assert "record 3 was edited" in page.locator("#run-3 .chain-note").inner_text()
    assert page.locator(".ledger tr.problem").count() == 1


def test_text_from_web_pages_and_flows_is_escaped(context, tmp_path, pngs):
    """A reason, URL or name carrying markup is shown as text; nothing of it runs or loads."""
    evil = {
        1: {
            "reason": "<script>alert(1)</script>",
            "final_url": '"><img src=x onerror=alert(2)>',
        },
        # The latest record names the site and setting.
        2: {"site": "<b>Linked</b>In", "setting": "</title><script>alert(3)</script>"},
    }
    records = make_records(tmp_path / "ev", pngs, RUNS[:2], evil)
    records[0]["screenshots"][0]["name"] = '"><svg onload=alert(4)>.png'
    html = render_report(records, INTACT, generated_at=NOW, title="<i>My</i> report")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    page = open_offline(context, without_csp(html))  # escaping must hold without the CSP too
    assert "<script>alert(1)</script>" in page.locator("#run-1 .reason").inner_text()
    assert '"><img src=x onerror=alert(2)>' in page.locator("#run-1 .facts").inner_text()
    assert page.locator(".site").text_content() == "<b>Linked</b>In"
    assert page.locator(".setting h2").text_content() == "</title><script>alert(3)</script>"
    assert page.title() == "<i>My</i> report"
    assert page.locator("script, svg[onload], img[src=x], b, i").count() == 0
    assert page.dialogs == []
    assert [u for u in page.attempted if not u.startswith("data:")] == []


def test_odd_records_still_render(context):
    """Missing fields, no screenshots and unparsable times give a page, not a traceback."""
    odd = [{}, {"flow": "bare-id", "started_at": "yesterday", "screenshots": ["/nonexistent.png"]}]
    page = open_offline(context, render_report(odd, {"ok": False}, generated_at=NOW))
    assert page.locator(".timeline-point").count() == 2
    assert page.locator('[data-integrity="missing"]').count() == 1
    empty = open_offline(context, render_report([], {"ok": True, "checked": 0}))
    assert "No records yet" in empty.inner_text("main")


def test_write_report_is_atomic_and_private(tmp_path):
    """write_report replaces the file in one step, mode 0600, leaving no temp file behind."""
    out = tmp_path / "reports" / "report.html"
    assert write_report("<p>first</p>", out) == out
    write_report("<p>second</p>", out)
    assert out.read_text(encoding="utf-8") == "<p>second</p>"
    assert os.listdir(out.parent) == ["report.html"]
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_write_pdf_prints_the_report(playwright, chromium_path, records, tmp_path):
    """write_pdf prints the same HTML to an A4 PDF with at least one page."""
    html = render_report(records, INTACT, generated_at=NOW)
    out = write_pdf(html, tmp_path / "report.pdf", playwright, chromium_path)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) >= 1024
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) >= 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_every_status_has_its_own_words_in_the_report(status):
    """The report explains every status in plain words, not the fallback for unknown ones."""
    from optout_bot.evidence.record import Record
    from optout_bot.evidence.report_view import explain

    record = Record.from_json(
        {"status": status, "wanted": "off", "state_after": "on", "flow": {"id": "x"}}
    )
    assert "Finished with status" not in explain(record)


def test_settings_are_grouped_by_site_each_with_its_own_timeline(context, tmp_path, pngs):
    """Settings of one site sit together under the site's heading, in the order the sites
    first appear, each setting with its own timeline."""
    runs = [
        (LINKEDIN, "run", "on", "off", "ok", "2026-11-01T09:00:00Z", ["before"]),
        ("chatgpt-model-training", "run", "on", "off", "ok", "2026-11-01T09:01:00Z", ["before"]),
        ("linkedin-research", "run", "on", "off", "ok", "2026-11-01T09:02:00Z", ["before"]),
        (
            "chatgpt-model-training",
            "verify",
            "off",
            "off",
            "ok",
            "2026-11-02T09:00:00Z",
            ["before"],
        ),
    ]
    sites = {
        2: {"site": "ChatGPT", "setting": "Improve the model for everyone"},
        3: {"site": "LinkedIn", "setting": "Social, economic, and workplace research"},
        4: {"site": "ChatGPT", "setting": "Improve the model for everyone"},
    }
    records = make_records(tmp_path / "evidence", pngs, runs=runs, overrides=sites)
    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))

    order = page.locator(".site-heading, section[data-flow]").evaluate_all(
        "els => els.map(e => e.dataset.flow || 'site:' + e.textContent)"
    )
    assert order == [
        "site:LinkedIn",
        LINKEDIN,
        "linkedin-research",
        "site:ChatGPT",
        "chatgpt-model-training",
    ]
    chatgpt = page.locator('section[data-flow="chatgpt-model-training"]')
    assert chatgpt.locator("svg .timeline-point").count() == 2


def test_a_page_that_moved_is_shown_with_its_new_address(context, tmp_path, pngs):
    """A run that found the setting at an address the flow does not expect says where, and
    that the flow needs an update; the others say nothing of it."""
    moved = "https://www.linkedin.com/mypreferences/d/settings/generative-ai-data"
    records = make_records(tmp_path / "ev", pngs, RUNS[:2], {2: {"moved_url": moved}})

    page = open_offline(context, render_report(records, INTACT, generated_at=NOW))

    facts = page.locator("#run-2 .facts").inner_text()
    assert f"Page moved\n{moved} (not where the flow expects it: it needs an update)" in facts
    assert "Page moved" not in page.locator("#run-1 .facts").inner_text()


def test_a_report_of_one_flows_records_shows_gaps_not_broken_links():
    """A record whose predecessor is not in the report (another flow's, or left out of an
    export) is a gap in the ledger, not a broken link; a record that does not hold the hash of
    the record before it, when that one is there, still is one."""
    from optout_bot.evidence.record import Record
    from optout_bot.evidence.report_view import group, ledger

    bodies = [
        {"seq": 1, "hash": "a" * 64, "prev_hash": "0" * 64},
        {"seq": 2, "hash": "b" * 64, "prev_hash": "a" * 64},
        {"seq": 4, "hash": "d" * 64, "prev_hash": "c" * 64},
        {"seq": 5, "hash": "e" * 64, "prev_hash": "f" * 64},
    ]
    entries, _ = group(Record.from_json(body) for body in bodies)
    assert [row["link"] for row in ledger(entries, {})] == ["start", "ok", "gap", "bad"]
    later, _ = group(Record.from_json(body) for body in bodies[2:])
    assert [row["link"] for row in ledger(later, {})] == ["gap", "bad"]
