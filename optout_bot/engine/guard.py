"""Guards for flows that came from strangers.

A shared flow file must never be able to post, message, pay, delete, or sign the member out.
The flow language has no typing, no scripts and no file paths (the loader refuses them); what
is left is *where a click lands*. Before every click the runner reads what the element says to
a person (its visible text, aria-label, title or value: not the photo's alt text, which is the
member's name) and refuses anything that reads as a destructive or social action, in the
languages the flows support.

Why `wording` reads the way it does (speed): it uses Playwright's attribute and text calls,
which run in Playwright's own isolated world, not one `Locator.evaluate`, which would run in
the page's own world -- and the first evaluate there on every new page costs tens of
milliseconds (Playwright installs its selector script in that world first), at every click
of every run. One `count()` first skips the three attribute reads for the many links and
buttons that have none of them. It sits behind one function, `wording(element)`. Measured on
its own, against one main-world `Locator.evaluate` of the same text, a fresh page each time,
40 rounds alternated (`python benchmarks/paths.py`, section 6 of BENCHMARKS.md; 2 cores under
a load average of 6-10): 8 ms against 33 ms on the Me button (saved 27 ms, 95% CI 25-30) and
on a link (saved 24 ms, 22-32). The desktop flow's four clicks land on three new pages: about
75 ms per run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator as PWLocator

# Whole words or phrases, matched case-insensitively against the element's visible wording.
_DENY_EN = [
    r"delete",
    r"remove",
    r"deactivate",
    r"close (?:your |my |the )?account",
    r"sign ?out",
    r"log ?out",
    r"hibernate",
    r"post",
    r"repost",
    r"send",
    r"message",
    r"publish",
    r"share",
    r"comment",
    r"like",
    r"connect",
    r"follow",
    r"unfollow",
    r"invite",
    r"endorse",
    r"accept",
    r"block",
    r"report",
    r"buy",
    r"purchase",
    r"checkout",
    r"subscribe",
    r"pay",
    r"upgrade",
    r"try (?:premium|now|for free)",
    r"apply",
    r"donate",
]
_DENY_DE = [
    r"löschen",
    r"entfernen",
    r"deaktivieren",
    r"konto schließen",
    r"abmelden",
    r"posten",
    r"beitrag",
    r"senden",
    r"nachricht",
    r"veröffentlichen",
    r"teilen",
    r"kommentieren",
    r"vernetzen",
    r"folgen",
    r"einladen",
    r"annehmen",
    r"blockieren",
    r"melden",
    r"kaufen",
    r"abonnieren",
    r"bezahlen",
    r"premium (?:testen|gratis)",
    r"bewerben",
]

DENIED = re.compile(
    r"(?<!\w)(?:" + "|".join(_DENY_EN + _DENY_DE) + r")(?!\w)", re.IGNORECASE | re.UNICODE
)

# What a person reads on the element: aria-label first (an icon button's only name), then the
# visible text, then title / value. Image alt text is left out on purpose: the "Me" button
# holds the member's photo, whose alt is their name, and a name is not an action. Read in
# Playwright's isolated world (see the module docstring).


def wording(element: PWLocator, timeout_ms: int = 5_000) -> str:
    text = element.inner_text(timeout=timeout_ms) or element.text_content(timeout=timeout_ms)
    label = title = value = ""
    # Most links and buttons have none of the attributes: one count saves three reads.
    if element.and_(element.page.locator("[aria-label], [title], [value]")).count():
        label, title, value = (
            element.get_attribute(name, timeout=timeout_ms) or ""
            for name in ("aria-label", "title", "value")
        )
    parts = [label, text or "", title, value]
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()[:300]


def refusal(text: str) -> str | None:
    """The word that makes a click on an element with this wording unsafe, if any."""
    found = DENIED.search(text)
    return found.group(0) if found else None


# What a URL may not read as: the destructive, sign-out and money words of the click
# vocabulary, read from the URL's path and query split into words ("m/logout" -> "m logout").
_URL_DENIED = re.compile(
    r"(?<![a-z])(?:sign ?out|log ?out|logoff|delete|deactivate|close (?:my |your )?account"
    r"|hibernate|unsubscribe|purchase|checkout|buy|pay(?:ment)?)(?![a-z])"
)


def url_refusal(url: str) -> str | None:
    """The word that makes navigating to `url` unsafe (sign-out, delete, pay, ...), if any;
    judged before any request is sent."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    words = re.sub(r"[^a-z]+", " ", unquote(f"{parts.path} {parts.query}").lower())
    found = _URL_DENIED.search(words)
    return found.group(0) if found else None
