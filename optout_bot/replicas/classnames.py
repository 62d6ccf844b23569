"""Hashed class names, as a new build of a CSS-in-JS design system ships them.

`Scenario.renamed_classes` serves every page through `rename_markup()` with `RENAMED_CSS`:
each class token becomes a short hash (``artdeco-toggle__button`` -> ``_k3f9q``), and so do
the ids in `RENAMED_IDS`, which only hook the site's own styles and script. Ids that carry
meaning stay: those that `aria-labelledby` and `<label for>` point at (the switch keeps
``aria-labelledby="allowDataForGenerativeAI"``), and the replica's own plumbing.

The page script finds its elements by class and id, so it gets the names it needs from the
page config (`script_names()`), as a bundler would inline them.
"""

from __future__ import annotations

import functools
import hashlib
import re

#: Part of every hash: another "build" would hash every name differently.
BUILD = "2026.11-b7"

#: Ids that exist for styling and scripting only; a redesign renames them like classes.
#: ``global-nav`` is the top bar (a flow's signed-in check needs a fallback for it).
RENAMED_IDS = frozenset(
    {"global-nav", "me-menu", "nav-drawer", "nav-drawer-backdrop", "toasts", "promo-overlay"}
)

#: The class names the page script looks up (it builds "artdeco-toast--<kind>" itself).
SCRIPT_CLASSES = (
    "global-nav__primary-link-me-menu-trigger",
    "artdeco-toggle__text",
    "artdeco-toast",
    "artdeco-toast--success",
    "artdeco-toast--error",
)

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_CLASS_ATTR = re.compile(r'(\sclass=")([^"]*)(")')
_ID_ATTR = re.compile(r'(\sid=")(' + "|".join(map(re.escape, sorted(RENAMED_IDS))) + r')(")')
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
#: A selector list: the text between one rule's "}" (or the start) and the next "{".
_PRELUDE = re.compile(r"[^{}]+(?=\{)")
_CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID_SELECTOR = re.compile(r"#(" + "|".join(map(re.escape, sorted(RENAMED_IDS))) + r")(?![\w-])")


@functools.cache
def hashed(name: str) -> str:
    """The build's name for a class or id: "_" and five base-36 characters."""
    number = int.from_bytes(hashlib.blake2s(f"{BUILD}:{name}".encode()).digest()[:8], "big")
    digits = []
    for _ in range(5):
        number, digit = divmod(number, 36)
        digits.append(_ALPHABET[digit])
    return "_" + "".join(digits)


def rename_markup(markup: str) -> str:
    """Every token of every class attribute, and the ids in RENAMED_IDS, hashed."""
    markup = _CLASS_ATTR.sub(
        lambda m: m[1] + " ".join(hashed(t) for t in m[2].split()) + m[3], markup
    )
    return _ID_ATTR.sub(lambda m: m[1] + hashed(m[2]) + m[3], markup)


def rename_css(css: str) -> str:
    """The stylesheet with the same hashed names in its selectors (declarations untouched)."""

    def selectors(m: re.Match[str]) -> str:
        prelude = _CLASS_SELECTOR.sub(lambda c: "." + hashed(c[1]), m[0])
        return _ID_SELECTOR.sub(lambda i: "#" + hashed(i[1]), prelude)

    return _PRELUDE.sub(selectors, _COMMENT.sub("", css))


def script_names() -> dict[str, dict[str, str]]:
    """What the page script needs to find its elements in a renamed build."""
    return {
        "classes": {name: hashed(name) for name in SCRIPT_CLASSES},
        "ids": {name: hashed(name) for name in sorted(RENAMED_IDS)},
    }
