"""The practical lower bound: a minimal hand-written Playwright script doing the same route,
clicks and reads as `optout-bot verify|run linkedin-ai-training --cdp URL` (`verify`: open
the setting's URL; `run`: walk the menus; then read the switch, click it for `run`, reload
and re-read), without the tool's safety and evidence: no flow file, no login detection, no
locator alternatives, no origin boundary, no screenshots.

    python benchmarks/handwritten.py verify|run CDP_URL [SCREENSHOT_DIR]

With SCREENSHOT_DIR it also keeps what optout-bot keeps as evidence: the screenshots (before,
after the change, after the reload), the fastest way Chromium offers (the DevTools capture
optout-bot uses, without masks), and the page after the reload as MHTML (the same DevTools
call), so the comparison isolates the engine's own overhead.
"""

import base64
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SWITCH = 'input[role="switch"][aria-labelledby="allowDataForGenerativeAI"]'
SETTING = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"


def main(mode: str, cdp_url: str, shots: str | None = None) -> int:
    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(cdp_url)
        page = browser.contexts[0].new_page()
        cdp = page.context.new_cdp_session(page) if shots else None

        def shoot(name: str) -> None:
            assert cdp is not None
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
            Path(f"{shots}/{name}.png").write_bytes(base64.b64decode(shot["data"]))

        if mode == "verify":  # optout-bot's default route for verify: the setting's URL
            page.goto(SETTING, wait_until="domcontentloaded")
        else:  # and for run: the menus, as a person walks them
            page.goto("https://www.linkedin.com/feed/", wait_until="domcontentloaded")
            page.get_by_role("button", name="Me").click()
            page.get_by_role("link", name="Settings & Privacy").click()
            page.locator('nav a[href$="/mypreferences/d/categories/privacy"]').click()
            page.locator('a[href$="/mypreferences/d/settings/data-for-ai-improvement"]').click()
        switch = page.locator(SWITCH)
        switch.wait_for(state="attached")
        on = switch.is_checked()
        if shots:
            shoot("01-before")
        if mode == "run" and on:
            with page.expect_response("**/mypreferences/api/settings"):
                switch.click()
            if shots:
                shoot("02-after-change")
        page.reload(wait_until="domcontentloaded")
        switch.wait_for(state="attached")
        off = not switch.is_checked()
        if shots:
            shoot("03-after-reload")
            assert cdp is not None
            page_file = cdp.send("Page.captureSnapshot", {"format": "mhtml"})["data"]
            Path(f"{shots}/page-after-reload.mhtml").write_text(page_file, encoding="utf-8")
        page.close()
        browser.close()
    return 0 if off else 3


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
