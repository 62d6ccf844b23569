"""Chromium features turned off in every browser optout-bot launches, beside Playwright's.

Headless Chromium (seen in 156) keeps the address bar's pop-up pages (``chrome://omnibox-popup
.top-chrome``, two per window) in a renderer of their own that stays busy for as long as the
browser runs: most of a core, more with each window. A verify of one flow spent a third of
its processor time there; three flows at once, each in a window, took longer than one after
the other on a two-core machine. Turning off the two features that make those pages
(`QUIET_FEATURES`) removes them; the tests check none is left.

Chromium keeps only the last ``--disable-features`` it is given, and Playwright passes its own
(features that keep its routes and clicks reliable): ours must repeat Playwright's list.
Playwright does not publish it, so it is read from the driver Playwright runs (a list of
quoted names). When it cannot be read, nothing is added: the browser is as before, slower
with several windows, never missing a feature Playwright needs.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

#: The address bar's two pop-up pages (its suggestions, its "AI mode" panel).
QUIET_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")

_LIST = re.compile(r"\bdisabledFeatures\s*=\s*\[(.*?)\]", re.S)
_NAME = re.compile(r'"([A-Za-z0-9_]+)"')
_COMMENT = re.compile(r"//[^\n]*")
#: Where Playwright's driver keeps its Chromium switches: in one bundle today, in a file of its
#: own in older releases.
_SOURCES = ("lib/coreBundle.js", "lib/server/chromium/chromiumSwitches.js")


def quiet_features_args() -> list[str]:
    """The switch that turns off `QUIET_FEATURES` and keeps Playwright's own list, or nothing
    when Playwright's list cannot be read."""
    theirs = playwright_disabled_features()
    if not theirs:
        return []
    names = list(dict.fromkeys([*theirs, *QUIET_FEATURES]))
    return ["--disable-features=" + ",".join(names)]


@functools.cache
def playwright_disabled_features() -> tuple[str, ...]:
    """The features Playwright's driver disables in every Chromium it launches, as its source
    lists them; empty when that list cannot be found."""
    import playwright

    package = Path(playwright.__file__).parent / "driver" / "package"
    for name in _SOURCES:
        try:
            data = (package / name).read_bytes()
        except OSError:
            continue
        start = data.find(b"disabledFeatures = [")
        if start < 0:
            continue
        found = _LIST.search(data[start : start + 8192].decode("utf-8", "replace"))
        if found:
            return tuple(_NAME.findall(_COMMENT.sub("", found.group(1))))
    return ()
