"""Regenerate docs/report.png, the report screenshot shown in the README.

    python docs/make_report_screenshot.py

Runs the LinkedIn flow against the bundled replica a few times (a run, a verify, a verify that
finds the switch back on, a fixing run, a final verify) into a throw-away data folder, writes
`optout-bot report`, and screenshots the top of it in headless Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from optout_bot.engine.browsers import find_browser  # noqa: E402
from optout_bot.engine.session import QUIET_ARGS  # noqa: E402
from optout_bot.replicas import Replica  # noqa: E402

KEY = "allowDataForGenerativeAI"


def main() -> int:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="optout-docs-"))
    env = {**os.environ, "OPTOUT_BOT_HOME": str(home), "OPTOUT_BOT_CONFIG": str(home / "c.toml")}
    with Replica() as replica, sync_playwright() as pw:
        replica.sign_in_profile(pw, home / "profiles" / "default", find_browser().path)

        def cli(*args: str) -> None:
            subprocess.run(
                [sys.executable, "-m", "optout_bot", *args, "linkedin-ai-training", "--headless",
                 "-q", "--replica", f"127.0.0.1:{replica.port}"],
                env=env, check=False, capture_output=True,
            )  # fmt: skip

        cli("run", "--yes")
        cli("verify")
        replica.set_setting(KEY, True)  # the site flipped it back on
        cli("verify")
        cli("run", "--yes")
        cli("verify", "--platform", "mobile")
        out = home / "report.html"
        subprocess.run(
            [sys.executable, "-m", "optout_bot", "report", "--out", str(out)], env=env, check=True
        )
        browser = pw.chromium.launch(executable_path=find_browser().path, args=QUIET_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        page.goto(out.as_uri())
        page.screenshot(path=str(REPO / "docs" / "report.png"))
        browser.close()
    print(REPO / "docs" / "report.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
