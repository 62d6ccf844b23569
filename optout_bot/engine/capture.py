"""Evidence screenshots: the viewport as a PNG, with the flow's masks painted over.

Two ways to the same picture:

- **fast** (Chromium): paint the masks in the page, then capture with the DevTools protocol's
  `Page.captureScreenshot` (with `optimizeForSpeed`, a quicker PNG encoder). Two round trips;
- **Playwright's** `page.screenshot(mask=...)`: about seven round trips and the slower
  encoder. Used when the fast way fails once, or does not apply: a page whose pixel ratio a
  DevTools session we do not own emulates (see `Camera`).

Both paint every element any mask locator matches (found by Playwright's selector engine, or
by `querySelectorAll` where that provably finds the same elements), in the same solid grey,
and let finite CSS animations finish first so a switch is not caught half-way across.
tests/test_capture.py checks that both ways give the same picture. The page-side halves are
in `engine/js/capture-*.js`.

Why the fast way exists (speed): it halves the time of every evidence screenshot, and a run
takes two (verify) or three (run). Measured on its own, against `page.screenshot(mask=...)`
with the same masks (the LinkedIn flow's), on the replica's setting page, a fresh page each
time, 40 rounds alternated (`python benchmarks/paths.py`, section 6 of BENCHMARKS.md; 2 cores
under a load average of 6-10): the first shot on a page took 60 ms against 113 ms (saved
50 ms, 95% CI 45-59), a later one 51 ms against 103 ms (saved 53 ms, 46-57) -- about 0.1 s
per verify and 0.15 s per run. The recorder sees one interface, `Camera.png(mask)` (and
`clear()`), whichever way answers.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import structlog

from optout_bot.engine import pagejs
from optout_bot.engine.locators import plain_css, to_playwright

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Page

    from optout_bot.flow.model import Locator

log = structlog.get_logger("optout_bot")

#: Masked regions are painted in solid grey: plainly redacted, not mistaken for page content.
MASK_COLOR = "#7f7f7f"

# The page-side halves, in engine/js/capture-*.js (see each file for what it takes and gives).
_SETTLE_JS = pagejs.load("optout_bot.engine", "capture-settle.js")
_PAINT_JS = pagejs.load("optout_bot.engine", "capture-paint.js")
_PAINT_CSS_JS = pagejs.load("optout_bot.engine", "capture-paint-css.js")
_UNPAINT_JS = pagejs.load("optout_bot.engine", "capture-unpaint.js")


class _ScaledElsewhere(Exception):
    """The page's device scale is emulated by a DevTools session we do not own."""


class Camera:
    """Takes the screenshots of one page.

    `devtools` is the DevTools session that emulates the page (a phone in the member's own
    browser), when optout-bot made one: captures go through it. A capture from any other
    session gives CSS pixels for an emulated phone, and one with a `clip` resets the
    emulation; so the fast way never clips, and leaves a page whose device scale someone
    else emulates (Playwright's own phone emulation) to Playwright's screenshot.
    """

    def __init__(self, page: Page, devtools: CDPSession | None = None) -> None:
        self.page = page
        self._cdp = devtools
        self._owns_emulation = devtools is not None
        #: the device scale factor our own DevTools session captures at
        self._session_scale: float | None = None
        #: False once the fast way failed or does not apply: Playwright's is used from then on
        self.fast = True
        #: how the last masks were found ("css" or "engine"), for tests and debugging
        self.way = ""

    def png(self, mask: Sequence[Locator] = (), timeout_ms: int = 15_000) -> bytes:
        """The viewport, with every element any of `mask` matches painted over."""
        if self.fast:
            try:
                return self._fast(mask)
            except Exception as exc:  # noqa: BLE001 - fall back to Playwright's way
                self.fast = False
                self.clear()
                log.debug("fast screenshot not used", reason=str(exc).splitlines()[0])
        return self.page.screenshot(
            timeout=timeout_ms,
            animations="disabled",
            mask=[to_playwright(self.page, loc) for loc in mask],
            mask_color=MASK_COLOR,
        )

    def _fast(self, mask: Sequence[Locator]) -> bytes:
        if self._cdp is None:
            self._cdp = self.page.context.new_cdp_session(self.page)
        pixel_ratio: float | None = None
        if not mask:
            pixel_ratio = self.page.evaluate(_SETTLE_JS)
        else:
            selectors = [plain_css(loc) for loc in mask]
            if all(css is not None for css in selectors):
                pixel_ratio = self.page.evaluate(_PAINT_CSS_JS, [selectors, MASK_COLOR])
                self.way = "css"
            if pixel_ratio is None:
                self.way = "engine"
                combined = to_playwright(self.page, mask[0])
                for loc in mask[1:]:
                    combined = combined.or_(to_playwright(self.page, loc))
                pixel_ratio = combined.evaluate_all(_PAINT_JS, MASK_COLOR)
        if not self._owns_emulation:
            # Our session captures at the scale it sees: the screen's own (1, or 2 on a
            # high-density screen), which is the page's unless another session emulates it.
            if self._session_scale is None:
                metrics = self._cdp.send("Page.getLayoutMetrics")
                css_width = metrics.get("cssContentSize", {}).get("width") or 0
                self._session_scale = (
                    metrics["contentSize"]["width"] / css_width if css_width else 1.0
                )
            if abs(float(pixel_ratio or 1) - self._session_scale) > 0.01:
                raise _ScaledElsewhere(
                    f"the page's pixel ratio {pixel_ratio} is emulated by another session"
                )
        # The masks stay until the next screenshot repaints them or the page goes (after a
        # screenshot the runner reloads the page, closes it, or clicks the switch, which the
        # masks let through: they take no pointer events). One round trip fewer per
        # screenshot; `clear()` removes them.
        shot: dict[str, Any] = self._cdp.send(
            "Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True}
        )
        return base64.b64decode(shot["data"])

    def mhtml(self) -> bytes:
        """The page as one file (MHTML: its HTML, styles and images), as DevTools saves it.
        Nothing is masked: it is kept private, and left out of exports unless asked for."""
        if self._cdp is None:
            self._cdp = self.page.context.new_cdp_session(self.page)
        snapshot: dict[str, Any] = self._cdp.send("Page.captureSnapshot", {"format": "mhtml"})
        return str(snapshot["data"]).encode("utf-8")

    def clear(self) -> None:
        """Remove the masks the fast way painted."""
        try:
            self.page.evaluate(_UNPAINT_JS)
        except Exception:  # noqa: BLE001 - page gone: so are the masks
            pass
