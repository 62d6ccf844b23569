"""Reading and setting a switch, three-way: "on", "off" or "unknown".

A switch that is missing, detached, indeterminate or says nothing we understand reads
"unknown" -- never "off". A native checkbox is read through its live `checked` property
(the attribute goes stale once a script or a click changes it); ARIA switches through
`aria-checked`, then `aria-pressed`, then the `data-state` that headless UI kits set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optout_bot.flow.model import SwitchState, WantedState

if TYPE_CHECKING:
    from playwright.sync_api import Locator as PWLocator
    from playwright.sync_api import Page

READ_JS = """
(el) => {
  if (!el || !el.isConnected) return 'unknown';
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
    if (el.indeterminate) return 'unknown';
    return el.checked ? 'on' : 'off';
  }
  for (const attr of ['aria-checked', 'aria-pressed']) {
    const v = el.getAttribute(attr);
    if (v === 'true') return 'on';
    if (v === 'false') return 'off';
  }
  const ds = el.getAttribute('data-state');
  if (ds === 'checked' || ds === 'on') return 'on';
  if (ds === 'unchecked' || ds === 'off') return 'off';
  return 'unknown';
}
"""

# Resolves when the element reads the wanted state; the same reading rules as READ_JS.
WAIT_JS = "([el, wanted]) => (" + READ_JS + ")(el) === wanted"


#: What identifies a switch on the page, recorded with the evidence.
IDENTITY_ATTRIBUTES = (
    "id",
    "name",
    "type",
    "role",
    "aria-labelledby",
    "aria-label",
    "aria-checked",
    "data-state",
    "class",
)

DESCRIBE_JS = r"""
(el, attrs) => {
  const out = {tag: el.tagName.toLowerCase()};
  for (const a of attrs) out[a] = el.getAttribute(a);
  if ('checked' in el) out.checked = String(el.checked);
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const label = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
  out.label = (label || el.getAttribute('aria-label') || '').trim().slice(0, 200);
  return out;
}
"""


def describe(switch: PWLocator, timeout_ms: int = 5_000) -> dict[str, str | None]:
    """The switch's identifying attributes and live state, as the page has them."""
    try:
        return dict(switch.evaluate(DESCRIBE_JS, list(IDENTITY_ATTRIBUTES), timeout=timeout_ms))
    except Exception:  # noqa: BLE001 - evidence detail; never worth failing the run for
        return {}


def read_state(switch: PWLocator, timeout_ms: int = 5_000) -> SwitchState:
    try:
        value = switch.evaluate(READ_JS, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - gone, detached, page closed: we cannot tell
        return "unknown"
    return value if value in ("on", "off") else "unknown"


def wait_for_state(page: Page, switch: PWLocator, wanted: SwitchState, timeout_ms: int) -> bool:
    """Wait (bounded, event-driven in the page) until the switch reads `wanted`."""
    from playwright.sync_api import TimeoutError as PWTimeout

    try:
        handle = switch.element_handle(timeout=timeout_ms)
        page.wait_for_function(WAIT_JS, arg=[handle, wanted], timeout=timeout_ms)
    except PWTimeout:
        return False
    return True


#: How long a clicked switch may take to show its new state. Short on purpose: a page that
#: flips the switch and flips it back when its save fails shows `wanted` only briefly, and the
#: reload re-read, not this wait, decides whether the change stuck.
FLIP_WAIT_MS = 3_000


def flip(page: Page, switch: PWLocator, wanted: WantedState, timeout_ms: int) -> bool:
    """Click the switch once, as a person would; True once it reads `wanted`."""
    switch.scroll_into_view_if_needed(timeout=timeout_ms)
    switch.click(timeout=timeout_ms)
    return wait_for_state(page, switch, wanted, min(timeout_ms, FLIP_WAIT_MS))
