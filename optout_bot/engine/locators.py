"""Turning a flow's targets into Playwright locators, and finding the first alternative
that is on the page.

All waiting is Playwright's own (event-driven, bounded by a timeout): the alternatives are
combined with `Locator.or_()` so one wait covers them all, then the first alternative that
matches, in the flow's order, is the one used and reported.

Plain CSS, found without Playwright (speed). To evaluate a script on an element in the
page's own world, Playwright first installs its selector script there: tens of milliseconds
on every new page. When a flow's alternative is CSS (`plain_css`), the switch's reads
(`switch.Probe`) and the screenshot masks (`capture.Camera`) instead find the element inside
the one `page.evaluate` they make anyway, with `nativeQueryAll` (`engine/js/native-css.js`):
`querySelectorAll`, but only where that provably finds what Playwright's CSS engine finds
(standard CSS, no open shadow root in the document); else it answers null and the caller
asks Playwright. One page-side function, included by both scripts, so the two cannot
disagree. What it buys is measured with them (section 6 of BENCHMARKS.md; see `switch.py`
and `capture.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from optout_bot.flow.model import Locator, Target

if TYPE_CHECKING:
    from playwright.sync_api import Locator as PWLocator
    from playwright.sync_api import Page

WaitState = Literal["attached", "visible"]


def plain_css(loc: Locator) -> str | None:
    """The selector, when the alternative is CSS: the key to the one-round-trip paths (see
    the module docstring). A loaded flow's is plain CSS (`flow.selector`); a target made in
    code may still use Playwright's own extensions, and the page-side check
    (`js/native-css.js`) finds that out and hands the question back to Playwright."""
    return loc.value if loc.strategy == "css" else None


def to_playwright(page: Page, loc: Locator) -> PWLocator:
    text = loc.pattern if loc.pattern is not None else loc.value
    if loc.strategy == "css":
        return page.locator(loc.value or "")
    if loc.strategy == "test_id":
        return page.get_by_test_id(loc.value or "")
    if loc.strategy == "role":
        name = loc.pattern if loc.pattern is not None else loc.name
        return page.get_by_role(
            loc.value,  # type: ignore[arg-type]  # validated against the ARIA role list
            name=name,
            exact=True if isinstance(name, str) else None,
        )
    if loc.strategy == "label":
        return page.get_by_label(text or "", exact=loc.pattern is None)
    return page.get_by_text(text or "", exact=loc.pattern is None)


@dataclass(frozen=True)
class Found:
    locator: PWLocator
    #: which alternative matched (0 = the flow's first, preferred one)
    index: int
    description: str
    #: that alternative, as the flow gives it
    source: Locator


def _present(loc: PWLocator, state: WaitState) -> bool:
    return loc.first.is_visible() if state == "visible" else loc.count() > 0


def find_now(page: Page, target: Target, state: WaitState = "visible") -> Found | None:
    """The first alternative present right now, without waiting."""
    for index, alt in enumerate(target.alternatives):
        loc = to_playwright(page, alt)
        if _present(loc, state):
            return Found(loc.first, index, alt.describe(), alt)
    return None


def any_of(page: Page, target: Target) -> PWLocator:
    """One locator matching any alternative (for waits and Playwright's locator handlers)."""
    alts = [to_playwright(page, a) for a in target.alternatives]
    combined = alts[0]
    for alt in alts[1:]:
        combined = combined.or_(alt)
    return combined.first


def find(page: Page, target: Target, timeout_ms: int, state: WaitState = "visible") -> Found | None:
    """Wait (bounded) until any alternative is present; return the first in the flow's order."""
    from playwright.sync_api import TimeoutError as PWTimeout

    combined = any_of(page, target)
    # The combined wait can succeed and the element vanish again before we look (a re-render):
    # try a few times, each bounded by the same timeout.
    for _ in range(3):
        try:
            combined.wait_for(state=state, timeout=timeout_ms)
        except PWTimeout:
            return None
        found = find_now(page, target, state)
        if found is not None:
            return found
    return None
