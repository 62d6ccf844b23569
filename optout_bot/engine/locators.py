"""Turning a flow's targets into Playwright locators, and finding the first alternative
that is on the page.

All waiting is Playwright's own (event-driven, bounded by a timeout): the alternatives are
combined with `Locator.or_()` so one wait covers them all, then the first alternative that
matches, in the flow's order, is the one used and reported.

Plain CSS, found without Playwright (speed). When a target's alternatives are plain CSS
(`plain_css`), `find` and `find_now` first look inside one `page.evaluate`
(`pagecalls.FIND_JS`): the first alternative present, in the flow's order, found as
Playwright's `.first` would, and the answers to the caller's questions about it (the click
guard's reading, the switch guard's facts) in the same round trip. An alternative that is
not CSS but has a CSS *superset* (`superset`: a test id, a dialog) can still be proved absent
that way. Whenever the page cannot tell (an open shadow root, `display: contents`, an
alternative that only Playwright's engine understands, nothing there yet to wait for), the
general way below answers, with Playwright's own waiting. See pagecalls.py for why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from optout_bot.engine import pagecalls
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


#: CSS for the elements a role can find by its own markup, beyond an explicit `role`
#: attribute: only roles whose markup is simple and certain (a superset is a proof of
#: absence, never of presence, so a role left out here only means "ask Playwright").
_ROLE_TAGS = {"dialog": ("dialog",), "alertdialog": ()}


def superset(loc: Locator) -> str | None:
    """CSS that finds every element `loc` could find (and maybe more), when there is such a
    simple CSS: when it finds nothing, `loc` provably finds nothing either."""
    if loc.strategy == "test_id" and loc.value:
        return f"[data-testid={json.dumps(loc.value)}]"
    if loc.strategy == "role" and loc.value in _ROLE_TAGS:
        return ", ".join((f"[role~={json.dumps(loc.value)} i]", *_ROLE_TAGS[loc.value]))
    return None


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
    #: the page's answers to the finder's questions (`pagecalls.Question`), by call name,
    #: when the element was found the fast way; None when found by Playwright
    answers: dict[str, Any] | None = None


def _present(loc: PWLocator, state: WaitState) -> bool:
    return loc.first.is_visible() if state == "visible" else loc.count() > 0


def _fast(
    page: Page, target: Target, state: WaitState, ask: Sequence[pagecalls.Question]
) -> Found | str:
    """The page's own answer (see the module): a Found, ABSENT or NEXT."""
    alternatives = [
        {"css": css}
        if (css := plain_css(alt)) is not None
        else {"superset": sup}
        if (sup := superset(alt)) is not None
        else None
        for alt in target.alternatives
    ]
    if alternatives[0] is None:
        return pagecalls.NEXT  # nothing to gain: the first alternative needs Playwright
    try:
        answer = page.evaluate(
            pagecalls.FIND_JS, [alternatives, state, [[c, list(a)] for c, a in ask]]
        )
    except Exception:  # noqa: BLE001 - navigating, closed: Playwright's way says what is wrong
        return pagecalls.NEXT
    if not isinstance(answer, dict):
        return str(answer)
    index = int(answer["index"])
    alt = target.alternatives[index]
    answers = {call: value for (call, _), value in zip(ask, answer["answers"], strict=True)}
    return Found(to_playwright(page, alt).first, index, alt.describe(), alt, answers)


def find_now(
    page: Page,
    target: Target,
    state: WaitState = "visible",
    ask: Sequence[pagecalls.Question] = (),
) -> Found | None:
    """The first alternative present right now, without waiting. `ask`: questions for the
    element, answered in the same round trip when the page can tell (`Found.answers`)."""
    fast = _fast(page, target, state, ask)
    if isinstance(fast, Found):
        return fast
    if fast == pagecalls.ABSENT:
        return None
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


def find(
    page: Page,
    target: Target,
    timeout_ms: int,
    state: WaitState = "visible",
    ask: Sequence[pagecalls.Question] = (),
) -> Found | None:
    """Wait (bounded) until any alternative is present; return the first in the flow's order.
    `ask`: as for `find_now`."""
    from playwright.sync_api import TimeoutError as PWTimeout

    fast = _fast(page, target, state, ask)
    if isinstance(fast, Found):
        return fast
    combined = any_of(page, target)
    # The combined wait can succeed and the element vanish again before we look (a re-render):
    # try a few times, each bounded by the same timeout.
    for _ in range(3):
        try:
            combined.wait_for(state=state, timeout=timeout_ms)
        except PWTimeout:
            return None
        found = find_now(page, target, state, ask)
        if found is not None:
            return found
    return None
