"""Questions the engine asks of an element in the page, in one round trip.

Why this exists (speed). To evaluate a script on an element, Playwright first installs its
selector script in the page's world: tens of milliseconds on every new page, per world
(its own for waits and clicks, the page's for `evaluate`). Then every question is a round
trip of its own. When a flow's alternative is plain CSS that provably finds what
Playwright's CSS engine finds (`locators.plain_css`, `js/native-css.js`), the engine instead
finds the element inside one `page.evaluate` and asks it everything it needs there:

- `locators.find` and `find_now` find which alternative is on the page and, in the same
  call, ask it the caller's questions (`Question`): the click guard's reading before a click,
  the switch guard's facts and the switch's state when the switch is found;
- `switch.Probe` asks the switch it found ("read", "show", ...);
- `switch.set_state` asks the switch's state and where to click it (with a watch that the
  click lands there), clicks by coordinates, and waits for it to read the wanted state, by
  CSS.

Every answer is the same as the general way's: the page-side code is one set of functions
(`js/page-calls.js` and what it includes), and wherever the fast way cannot tell it answers
NEXT and the caller asks Playwright (or ABSENT: provably nothing there). A verify then
installs no selector script at all. Measured in BENCHMARKS.md, section 1 (the whole run) and
section 6 (each path on its own).
"""

from __future__ import annotations

from typing import Any

from optout_bot.engine import pagejs

#: The answer no call gives: "not this way, ask the next one" (Playwright).
NEXT = "optout-bot:next"
#: locators.find's answer when no alternative can be on the page now.
ABSENT = "optout-bot:absent"

#: What counts as a switch-like control (CSS; Playwright's CSS pierces open shadow roots).
#: `aria-hidden` copies are left out: Radix, for one, renders a hidden "bubble" checkbox next
#: to its `<button role="switch">` for form submission; the button is the control.
SWITCHY_CSS = ", ".join(
    f"{sel}:not([aria-hidden='true'])"
    for sel in (
        "input[type='checkbox']",
        "[role='switch']",
        "[role='checkbox']",
        "[aria-checked]",
        "[data-state='checked']",
        "[data-state='unchecked']",
    )
)

#: Where the page keeps the watch of switch.set_state's quick click (js/switch-lib.js, aimAt).
AIM_KEY = "__optoutBotAim"
#: What the wait after that click throws when the watch swallowed it (js/switch-wait-css.js).
BLOCKED = "optout-bot: the click did not land on the switch"

#: A question: the call's name (see js/page-calls.js) and its arguments.
Question = tuple[str, tuple[Any, ...]]


def script(name: str) -> str:
    """A page-side script of the engine (engine/js/NAME) with the constants they share."""
    return pagejs.load(
        "optout_bot.engine",
        name,
        SWITCHY=SWITCHY_CSS,
        NEXT=NEXT,
        ABSENT=ABSENT,
        AIM_KEY=AIM_KEY,
        BLOCKED=BLOCKED,
    )


#: locators.find's fast way (js/find-css.js).
FIND_JS = script("find-css.js")
#: One call on the element a plain CSS selector finds (js/page-call-css.js).
CALL_BY_CSS_JS = script("page-call-css.js")
#: One call on an element handle or a locator (js/page-call-element.js).
CALL_ON_ELEMENT_JS = script("page-call-element.js")


def ask(name: str, *args: Any) -> Question:
    return (name, args)
