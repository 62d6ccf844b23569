"""Locators in the flow's language for one element on the page, each verified: what
`authoring/inspect.py` suggests for a page's switches, and what a broken run's diagnosis
proposes for the element that replaced the one the flow looked for (`replacement.py`).

`suggestions` makes the candidates from what the page says of the element (its tag, role,
name and attributes), best first: CSS on language-independent hooks (``aria-labelledby``,
a test id, a stable id or form name, a link's address), then ``role`` + exact ``name``, then
``label``. An id that looks generated (``ember123``, React's ``:r1:``, long hex) changes
between page loads, and class names between builds: neither is ever used.

`verified` keeps a candidate only when the flow loader's own check takes it
(`flow.loader.as_locator`: nothing a flow may not hold is suggested) and, resolved with
`locators.to_playwright` exactly as a flow's locator is, it finds exactly one element on the
page, and that element is the one it was made for.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from optout_bot.engine import pagejs
from optout_bot.engine.locators import to_playwright
from optout_bot.flow.loader import as_locator
from optout_bot.flow.model import ARIA_ROLES

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Frame, Page

#: Ids a framework made up at render time: Ember's ``ember123``, React's ``:r1:`` / ``«r1»``
#: / ``_r_1_``, MUI / Radix / Headless UI counters, numbers and long hex or UUID parts.
_GENERATED_ID = re.compile(
    r"[:«»]"
    r"|^_r_[0-9a-z]+_$"
    r"|^(?:ember|mui|radix|headlessui|react-aria|rc|uid|id|input|field)[-_]?\d+"
    r"|\d{4,}"
    r"|(?:^|[-_])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?:$|[-_])",
    re.IGNORECASE,
)

TEST_ID_ATTRIBUTES = ("data-testid", "data-test-id")

_SAME_JS = pagejs.load("optout_bot.engine", "same-element.js")


def generated_id_pattern() -> str:
    """`looks_generated`'s regular expression, as its source (the recorder's page script uses
    it too: it means the same in JavaScript, case-insensitive)."""
    return _GENERATED_ID.pattern


def looks_generated(value: str) -> bool:
    """An id (or name) a framework made up at render time, which a flow cannot rely on."""
    return bool(_GENERATED_ID.search(value.strip()))


def css_string(value: str) -> str:
    """A CSS string literal (double-quoted)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\n\r\f]", lambda m: f"\\{ord(m.group()):x} ", escaped) + '"'


def suggestions(info: dict[str, Any]) -> list[dict[str, str]]:
    """Every locator worth trying for an element, best first (unverified). `info`: its
    ``tag``, ``role``, accessible ``name``, ``type`` and ``attrs`` (the attributes read)."""
    tag, role = info["tag"], info["role"]
    attrs: dict[str, str] = {k: v for k, v in info["attrs"].items() if k != "class" and v.strip()}
    out: list[dict[str, str]] = []
    role_attr = attrs.get("role", "").strip()
    base = tag + (f"[role={css_string(role_attr)}]" if role_attr else "")
    labelledby = attrs.get("aria-labelledby", "").strip()
    if labelledby and not any(looks_generated(i) for i in labelledby.split()):
        out.append({"css": f"{base}[aria-labelledby={css_string(labelledby)}]"})
    for attr in TEST_ID_ATTRIBUTES:
        if attr in attrs:
            out.append({"css": f"[{attr}={css_string(attrs[attr])}]"})
    ident = attrs.get("id", "").strip()
    if ident and not looks_generated(ident):
        simple = re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", ident)
        out.append({"css": f"#{ident}" if simple else f"[id={css_string(ident)}]"})
    name_attr = attrs.get("name", "").strip()
    if name_attr and not looks_generated(name_attr):
        typed = f"[type={css_string(info['type'])}]" if info.get("type") else ""
        out.append({"css": f"{tag}{typed}[name={css_string(name_attr)}]"})
    path = _link_path(attrs.get("href", ""))
    if path:
        out.append({"css": f"{tag}[href$={css_string(path)}]"})
    name = info["name"]
    if name and role in ARIA_ROLES:
        out.append({"role": role, "name": name})
    if name:
        out.append({"label": name})
    return out


def _link_path(href: str) -> str:
    """The path a link's address ends in, when that is all it holds (no query, no fragment,
    no script) and says where it leads (not "/"); else ""."""
    parts = urlsplit(href.strip())
    if parts.scheme not in ("", "http", "https") or parts.query or parts.fragment:
        return ""
    path = parts.path
    return path if path.strip("/") and not looks_generated(path) else ""


def verified(
    frame: Frame | Page, candidates: list[dict[str, str]], handle: ElementHandle
) -> list[dict[str, str]]:
    """The candidates that find exactly one element on the page, and that it is `handle`."""
    from playwright.sync_api import Error as PWError

    out: list[dict[str, str]] = []
    for suggestion in candidates:
        if suggestion in out:
            continue
        try:  # only what the flow loader takes (its own reading): a suggestion goes into a flow
            model = as_locator(suggestion)
        except ValueError:
            continue
        # A Frame has the locator methods of a Page; the flow's locators are resolved by
        # the same code the runner uses.
        found = to_playwright(cast("Page", frame), model)
        try:
            if found.count() == 1 and found.evaluate(_SAME_JS, handle, timeout=2_000):
                out.append(suggestion)
        except PWError:
            continue  # a selector the browser does not take, or the page changed meanwhile
    return out
