"""The evidence folder of one run: screenshots with predictable, safe names.

Layout: ``<evidence root>/<flow id>/<UTC time>-<platform>-<mode>/NN-<name>.png``. Files are
private to the user (0600; folders 0700): screenshots show a signed-in account.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from optout_bot.paths import private_dir

if TYPE_CHECKING:
    from collections.abc import Sequence

    from playwright.sync_api import Locator as PWLocator
    from playwright.sync_api import Page

#: Masked regions are painted in solid grey: plainly redacted, not mistaken for page content.
MASK_COLOR = "#7f7f7f"

#: Masked regions are painted in solid grey: plainly redacted, not mistaken for page content.
MASK_COLOR = "#7f7f7f"

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name(name: str) -> str:
    """A file-name stem that cannot climb out of the folder or clash with the index."""
    return _UNSAFE.sub("-", name).strip("-")[:64] or "shot"


class Evidence:
    def __init__(self, root: Path, flow_id: str, platform: str, mode: str) -> None:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        base = private_dir(root / safe_name(flow_id))
        run_dir = base / f"{stamp}-{platform}-{mode}"
        suffix = 1
        while run_dir.exists():
            suffix += 1
            run_dir = base / f"{stamp}-{platform}-{mode}-{suffix}"
        self.dir = private_dir(run_dir)
        self.screenshots: list[Path] = []

    def screenshot(
        self,
        page: Page,
        name: str,
        timeout_ms: int = 15_000,
        mask: Sequence[PWLocator] = (),
    ) -> Path:
        path = self.dir / f"{len(self.screenshots) + 1:02d}-{safe_name(name)}.png"
        page.screenshot(
            path=str(path),
            timeout=timeout_ms,
            animations="disabled",
            mask=list(mask),
            mask_color=MASK_COLOR,
        )
        if os.name == "posix":
            path.chmod(0o600)
        self.screenshots.append(path)
        return path
