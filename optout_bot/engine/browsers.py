"""Finding a Chromium-based browser on the user's machine.

Order: ``--browser-path``, then ``$OPTOUT_BOT_BROWSER``, then Playwright's own Chromium (if
``playwright install chromium`` was run), then an installed Google Chrome, Chromium or
Microsoft Edge in the usual places for the OS.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ENV_BROWSER = "OPTOUT_BOT_BROWSER"

HOW_TO_FIX = (
    "Install one of: Google Chrome, Chromium or Microsoft Edge; or run "
    "`python -m playwright install chromium`; or point optout-bot at a browser with "
    f"--browser-path PATH (or the {ENV_BROWSER} environment variable)."
)


class BrowserNotFound(Exception):
    """No usable browser; the message says what to do."""


@dataclass(frozen=True)
class BrowserChoice:
    path: str
    source: str  # where we found it, for the progress line


def _linux_candidates() -> list[str]:
    names = [
        "google-chrome",
        "google-chrome-stable",
        "chromium",
        "chromium-browser",
        "microsoft-edge",
        "microsoft-edge-stable",
    ]
    found = [p for p in (shutil.which(n) for n in names) if p]
    return [*found, "/usr/bin/chromium", "/snap/bin/chromium", "/usr/bin/google-chrome"]


def _mac_candidates() -> list[str]:
    apps = [
        "Google Chrome.app/Contents/MacOS/Google Chrome",
        "Chromium.app/Contents/MacOS/Chromium",
        "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    ]
    roots = [Path("/Applications"), Path.home() / "Applications"]
    return [str(root / app) for root in roots for app in apps]


def _windows_candidates() -> list[str]:
    rel = [
        r"Google\Chrome\Application\chrome.exe",
        r"Chromium\Application\chrome.exe",
        r"Microsoft\Edge\Application\msedge.exe",
    ]
    roots = [os.environ.get(var) for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")]
    return [str(Path(root) / r) for root in roots if root for r in rel]


def installed_candidates(platform: str = sys.platform) -> list[str]:
    if platform.startswith("win"):
        return _windows_candidates()
    if platform == "darwin":
        return _mac_candidates()
    return _linux_candidates()


def _usable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def installed_browsers(candidates: list[str] | None = None) -> list[str]:
    """The installed browsers optout-bot could launch (`installed_candidates` that are
    there), each once."""
    paths = installed_candidates() if candidates is None else candidates
    return [path for path in dict.fromkeys(paths) if _usable(path)]


def find_browser(
    explicit: str | None = None,
    playwright_chromium: str | None = None,
    env: dict[str, str] | None = None,
    candidates: list[str] | None = None,
) -> BrowserChoice:
    """Pick the browser to drive, or raise BrowserNotFound with the fix."""
    env = dict(os.environ) if env is None else env
    for path, source in ((explicit, "--browser-path"), (env.get(ENV_BROWSER), ENV_BROWSER)):
        if path:
            if not _usable(path):
                raise BrowserNotFound(
                    f"{source} points at {path!r}, which is not an executable file. " + HOW_TO_FIX
                )
            return BrowserChoice(path, source)
    if playwright_chromium and _usable(playwright_chromium):
        return BrowserChoice(playwright_chromium, "Playwright's Chromium")
    for path in installed_candidates() if candidates is None else candidates:
        if _usable(path):
            return BrowserChoice(path, "installed browser")
    raise BrowserNotFound("No Chrome, Chromium or Edge found. " + HOW_TO_FIX)
