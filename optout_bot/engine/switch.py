"""Reading and setting a switch, three-way: "on", "off" or "unknown".

A switch that is missing, detached, indeterminate or says nothing we understand reads
"unknown" -- never "off". The shapes design systems produce, and how each is read:

- a native checkbox: its live `checked` property (the attribute goes stale once a script or a
  click changes it); `indeterminate` is unknown;
- an ARIA switch: `aria-checked`, then `aria-pressed` ("mixed" is unknown), then the
  `data-state="checked|unchecked"` that Radix / shadcn set;
- a custom element host (`<md-switch selected>`): its boolean `checked` / `selected`
  property, else that boolean attribute -- only when it has no `aria-checked`;
- anything else (a web component's host, a row wrapping the control): the one switch-like
  control in its open shadow root, else in its light DOM. None or several: unknown.

Setting (`set_state`) acts as a person would, one way at a time, and re-reads between ways so
a switch that already reads `wanted` is never clicked again (a second toggle would undo the
first). The ways, in order: click the control; click its `<label>`; click the `<label>` its
`aria-labelledby` names; click the drawn track that takes the pointer instead of a visually
hidden input; focus it and press Space. Every wait is a condition evaluated in the page
(`wait_for_function`), bounded by the caller's timeout -- never a fixed sleep.

The page-side logic is JavaScript in `engine/js/switch-*.js` (loaded by `pagejs`): one
shared `switch-lib.js` and one small script per question, so reading, waiting and acting
can never disagree.

Why `Probe` and the quick click exist (speed). Those scripts run in the page's own world (a
custom element's `checked` property lives only there), and to hand Playwright's evaluate an
element there, Playwright first installs its selector script in that world: tens of
milliseconds on every new page. The runner reads, describes and shows the switch it found
through `Probe`, whose only interface is `read()`, `describe()`, `show()` and `judge()` (the
switch guard's facts: see guard.py): answers the finder brought along
(`locators.find(..., ask=FOUND_QUESTIONS)`), else one `page.evaluate` when the flow's CSS
provably finds the same element (`locators.plain_css`, `js/native-css.js`), else an element
handle taken once, else the locator -- the same answers, fewer round trips (pagecalls.py).
`set_state` given that CSS clicks in three round trips where the general way takes about
ten (`_click_by_css`: aim, mouse click with a watch on where it lands, one wait). Section 6
of BENCHMARKS.md measures both against the plain Playwright way.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import structlog

from optout_bot.engine import guard, pagecalls
from optout_bot.engine.outcome import first_line
from optout_bot.flow.model import SwitchState, WantedState

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Frame, Page
    from playwright.sync_api import Locator as PWLocator

log = structlog.get_logger("optout_bot")

#: What counts as a switch-like control (see pagecalls.py, where the page's scripts get it).
SWITCHY_CSS = pagecalls.SWITCHY_CSS
#: The same set as an XPath step (XPath does not pierce shadow roots; see `near_text`).
_SWITCHY_XPATH = (
    "*[(@role='switch' or @role='checkbox' or @aria-checked or @data-state='checked'"
    " or @data-state='unchecked' or (self::input and @type='checkbox'))"
    " and not(@aria-hidden='true')]"
)


def _script(name: str) -> str:
    """A page-side script of the switch engine (engine/js/switch-*.js); every one of them
    includes the same switch-lib.js, so reading, waiting and acting can never disagree."""
    return pagecalls.script(name)


READ_JS = _script("switch-read.js")
WAIT_JS = _script("switch-wait.js")
SETTLED_JS = _script("switch-settled.js")
CONTROL_JS = _script("switch-control.js")
LANDS_JS = _script("switch-click-lands.js")
LABELS_JS = _script("switch-labels.js")
TRACK_JS = _script("switch-track.js")
FOCUS_JS = _script("switch-focus.js")
DESCRIBE_JS = _script("switch-describe.js")
WAIT_BY_CSS_JS = _script("switch-wait-css.js")
UNAIM_JS = _script("switch-unaim.js")

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


# -- the found switch, read cheaply (why: see the module docstring) ------------------------

#: What the runner asks the switch where it finds it (`locators.find`'s `ask`), answered in
#: the same round trip when the page can tell: the guard's facts, its state, its description.
FOUND_QUESTIONS = (
    pagecalls.ask("judge"),
    pagecalls.ask("read"),
    pagecalls.ask("describe", list(IDENTITY_ATTRIBUTES)),
)


class Probe:
    """The page-side readers, run on a switch that `locators.find` found, the cheapest way
    that reaches the same element:

    1. when the alternative that matched is plain CSS that provably finds what Playwright
       finds (`locators.plain_css`, js/native-css.js): inside one `page.evaluate` (one round
       trip, no selector script to install);
    2. else an element handle, taken once (the install is paid once per page);
    3. else (detached, re-rendered) the locator, looked up again with Playwright's waiting.
    """

    def __init__(
        self,
        locator: PWLocator,
        css: str | None,
        timeout_ms: int = 5_000,
        answers: dict[str, object] | None = None,
    ) -> None:
        self.locator = locator
        self.page = locator.page
        self._css = css
        self._timeout_ms = timeout_ms
        self._pinned: ElementHandle | None = None
        self._pin_tried = False
        #: answers the finder brought along (`Found.answers`), each used once
        self._answers = dict(answers or {})
        #: which way answered last ("found", "css", "handle", "locator"), for tests and
        #: debugging
        self.way = ""

    @property
    def css(self) -> str | None:
        """The plain CSS the switch is found by in one page.evaluate, while that holds."""
        return self._css

    def _call(self, call: str, *args: object) -> object:
        if call in self._answers:
            self.way = "found"
            return self._answers.pop(call)
        if self._css is not None:
            try:
                value = self.page.evaluate(pagecalls.CALL_BY_CSS_JS, [self._css, call, list(args)])
            except Exception:  # noqa: BLE001 - the next way says what is wrong
                value = pagecalls.NEXT
            if value != pagecalls.NEXT:
                self.way = "css"
                return value
            self._css = None  # not provably the same element on this page: stop asking
        if not self._pin_tried:
            self._pin_tried = True
            try:
                self._pinned = self.locator.element_handle(timeout=self._timeout_ms)
            except Exception:  # noqa: BLE001 - gone: the locator way waits and answers
                self._pinned = None
        if self._pinned is not None:
            try:
                value = self._pinned.evaluate(pagecalls.CALL_ON_ELEMENT_JS, [call, list(args)])
            except Exception:  # noqa: BLE001 - context destroyed, handle disposed
                value = pagecalls.NEXT
            if value != pagecalls.NEXT:
                self.way = "handle"
                return value
            self._pinned = None
        self.way = "locator"
        return self.locator.evaluate(
            pagecalls.CALL_ON_ELEMENT_JS, [call, list(args)], timeout=self._timeout_ms
        )

    def read(self) -> SwitchState:
        try:
            value = self._call("read")
        except Exception:  # noqa: BLE001 - gone, detached, page closed: we cannot tell
            return "unknown"
        return value if value in ("on", "off") else "unknown"

    def describe(self) -> dict[str, str | None]:
        try:
            return dict(self._call("describe", list(IDENTITY_ATTRIBUTES)))  # type: ignore[call-overload]
        except Exception:  # noqa: BLE001 - evidence detail; never worth failing the run for
            return {}

    def judge(self) -> guard.SwitchFacts | None:
        """What the switch guard judges (`guard.switch_refusal`); None when the switch cannot
        be read at all."""
        try:
            return guard.SwitchFacts.of(self._call("judge"))  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - gone, detached, page closed: refused by the caller
            return None

    def show(self) -> None:
        """Scroll the switch into view for a screenshot."""
        try:
            self._call("show")
        except Exception:  # noqa: BLE001 - a screenshot of the page as it is, then
            pass


class _Clock:
    """One deadline for a whole operation. `left()` is what remains in ms, at least 1:
    Playwright reads a timeout of 0 as "no timeout"."""

    def __init__(self, timeout_ms: int) -> None:
        self._end = time.monotonic() + timeout_ms / 1000

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self._end

    def left(self, cap: int | None = None) -> int:
        ms = int((self._end - time.monotonic()) * 1000)
        return max(1, ms if cap is None else min(cap, ms))


def _dispose(*handles: object) -> None:
    for handle in handles:
        if handle is None:
            continue
        try:
            handle.dispose()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the page may be gone; nothing to free then
            pass


def _wait_in_page(page: Page, switch: PWLocator, js: str, wanted: str, timeout_ms: int) -> bool:
    """Wait (bounded) until `js` holds for the switch's element, following re-renders: when the
    element is replaced, wait again on whatever the locator finds now. True once `js` held."""
    from playwright.sync_api import Error as PWError

    clock = _Clock(timeout_ms)
    while not clock.expired:
        try:
            handle = switch.element_handle(timeout=clock.left())
        except PWError:
            return False
        try:
            frame: Frame = handle.owner_frame() or page.main_frame
            held = frame.wait_for_function(js, arg=[handle, wanted], timeout=clock.left())
            if held.json_value() != "gone":
                return True
        except PWError:
            return False  # timed out, or the page went away
        finally:
            _dispose(handle)
    return False


def wait_for_state(page: Page, switch: PWLocator, wanted: SwitchState, timeout_ms: int) -> bool:
    """Wait (bounded, event-driven in the page) until the switch reads `wanted`."""
    return _wait_in_page(page, switch, WAIT_JS, wanted, timeout_ms)


#: How long a clicked switch may take to show its new state. Short on purpose: a page that
#: flips the switch and flips it back when its save fails shows `wanted` only briefly, and the
#: reload re-read, not this wait, decides whether the change stuck. It is also how long a way
#: of setting the switch gets before the next way is tried.
FLIP_WAIT_MS = 3_000

Method = Literal["click", "label", "track", "keyboard"]
#: The ways to set a switch, in the order they are tried.
METHODS: tuple[Method, ...] = ("click", "label", "track", "keyboard")


@dataclass(frozen=True)
class SetResult:
    """How setting a switch went."""

    #: the switch reads the wanted state
    ok: bool
    #: the way that set it (or, when not ok, the last way tried); None when nothing was done
    method: Method | None = None
    #: how many clicks / key presses reached the page
    attempts: int = 0
    #: every way that reached the page, in order
    tried: tuple[Method, ...] = ()
    #: why nothing could be done, when attempts == 0 and not ok
    error: str = ""


def _targets(ctl: ElementHandle, method: Method) -> list[ElementHandle]:
    """What `method` acts on, looked up now (earlier attempts may have changed the page)."""
    if method in ("click", "keyboard"):
        return [ctl]
    js = LABELS_JS if method == "label" else TRACK_JS
    found = ctl.evaluate_handle(js)
    try:
        if method == "track":
            element = found.as_element()
            return [element] if element is not None else []
        items = found.get_properties()
        return [e for h in items.values() if (e := h.as_element()) is not None]
    finally:
        if method == "label":
            _dispose(found)


def _act(page: Page, method: Method, target: ElementHandle, ctl: ElementHandle, ms: int) -> bool:
    """Click / press once; False when this way does not apply (nothing reached the page)."""
    if method == "keyboard":
        # Only with focus on the switch: a Space pressed anywhere else may press something else.
        if not target.evaluate(FOCUS_JS):
            return False
        target.press("Space", timeout=ms)
        return True
    # Never Playwright's force: it would click whatever is on top. A pop-up on top is fine
    # (Playwright waits for it, the flow's overlay handlers close it); the switch's own
    # drawing on top means this is not the way to set it.
    if target.evaluate(LANDS_JS, ctl) not in ("ok", "on-control", "covered-other"):
        return False
    target.click(timeout=ms)
    return True


def set_state(
    page: Page,
    switch: PWLocator,
    wanted: WantedState,
    timeout_ms: int,
    *,
    settle_ms: int = FLIP_WAIT_MS,
    css: str | None = None,
) -> SetResult:
    """Set the switch to `wanted` as a person would, one way at a time (see METHODS), all
    within `timeout_ms`. Each way gets `settle_ms` to show `wanted` before the next is tried,
    and the switch is re-read before every way: once it reads `wanted`, or anything but the
    state it started in, nothing more is clicked. `css`: the plain CSS `switch` was found by,
    when the page's own scripts find the same element (`Probe.css`): the common case then
    takes fewer round trips (`_click_by_css`)."""
    clock = _Clock(timeout_ms)
    if css is not None:
        done = _click_by_css(page, switch, css, wanted, clock, settle_ms)
        if done is not None:
            return done
    start = read_state(switch, clock.left())
    if start == wanted:
        return SetResult(True)
    if start == "unknown":
        return SetResult(False, error="the switch cannot be read, so it was not touched")
    return _Ways(page, switch, wanted, start, clock, settle_ms).run(METHODS)


def _click_by_css(
    page: Page, switch: PWLocator, css: str, wanted: WantedState, clock: _Clock, settle_ms: int
) -> SetResult | None:
    """The common case, the first way (a click on the control), in three round trips: one
    page call reads the switch, checks that a click at its centre lands on it and nothing
    else, and arms a watch that swallows the click should anything else be under the pointer
    by then (js/switch-lib.js, aimAt: what Playwright's click checks, without its selector
    script to install and its waits for a still element); the mouse clicks there, as a
    person would; one wait in the page watches the switch come to read `wanted`. None, before
    anything is clicked, when the case is not that simple (the control is not the element
    itself, a click would not land on it, the page cannot tell): the general way then starts
    from the beginning, with Playwright's click."""
    from playwright.sync_api import Error as PWError

    try:
        aim = page.evaluate(pagecalls.CALL_BY_CSS_JS, [css, "aim", []])
    except PWError:
        return None
    if not isinstance(aim, dict) or aim.get("state") not in ("on", "off"):
        return None
    start: SwitchState = aim["state"]
    if start == wanted:
        return SetResult(True)
    if "x" not in aim:
        return None
    ways = _Ways(page, switch, wanted, start, clock, settle_ms)
    ways.looked = True  # read just now: the first way needs no second reading
    try:
        page.mouse.click(aim["x"], aim["y"])
    except PWError as exc:
        _unaim(page)
        ways.error = first_line(exc)
        return ways.run(METHODS[1:])
    try:
        page.wait_for_function(WAIT_BY_CSS_JS, arg=[css, wanted], timeout=clock.left(settle_ms))
        ways.tried.append("click")
        return ways.result(True)
    except PWError as exc:
        _unaim(page)
        if pagecalls.BLOCKED in str(exc):
            # Something else was under the pointer: nothing reached the page. Playwright's
            # click, which waits for the switch to be uncovered, takes it from the start.
            log.info("the quick click did not land on the switch; clicking it the usual way")
            return ways.run(METHODS)
    ways.tried.append("click")
    if _settle(page, switch, wanted, clock, 1):  # not (yet) `wanted`: the patient half decides
        return ways.result(True)
    return ways.run(METHODS[1:])


def _unaim(page: Page) -> None:
    try:
        page.evaluate(UNAIM_JS)
    except Exception:  # noqa: BLE001 - the page is gone, and the watch with it
        pass


class _Ways:
    """The ways of setting one switch, tried in order (see `set_state`); what has been done
    so far, for the result."""

    def __init__(
        self,
        page: Page,
        switch: PWLocator,
        wanted: WantedState,
        start: SwitchState,
        clock: _Clock,
        settle_ms: int,
    ) -> None:
        self.page, self.switch, self.wanted, self.start = page, switch, wanted, start
        self.clock, self.settle_ms = clock, settle_ms
        #: every way that reached the page, in order
        self.tried: list[Method] = []
        #: whether the switch was read since the last way (no re-read needed before the next)
        self.looked = False
        self.error = "no way to set the switch applies to this page"

    def result(self, ok: bool) -> SetResult:
        tried = self.tried
        method = tried[-1] if tried else None
        return SetResult(ok, method, len(tried), tuple(tried), "" if ok or tried else self.error)

    def run(self, methods: tuple[Method, ...]) -> SetResult:
        from playwright.sync_api import Error as PWError

        page, switch, wanted, clock = self.page, self.switch, self.wanted, self.clock
        tried = self.tried
        ctl: ElementHandle | None = None
        ctl_after = -1  # how many attempts had been made when `ctl` was looked up
        try:
            for method in methods:
                if clock.expired:
                    break
                try:
                    if ctl_after != len(tried):
                        # Looked up again after every attempt: a re-render may have replaced it.
                        _dispose(ctl)
                        ctl, ctl_after = _control(switch, clock), len(tried)
                    if ctl is None:
                        self.error = "the switch has no control to act on"
                        break
                    targets = _targets(ctl, method)
                except PWError as exc:
                    self.error = first_line(exc)
                    continue
                try:
                    for target in targets:
                        if clock.expired:
                            break
                        if self.looked:  # re-read before every way but the first: no second toggle
                            now = read_state(switch, clock.left(1_000))
                            if now == wanted:
                                return self.result(True)
                            if now != self.start:
                                log.warning("the switch changed unexpectedly while set", state=now)
                                return self.result(False)
                        self.looked = True
                        try:
                            if not _act(page, method, target, ctl, clock.left()):
                                continue
                        except PWError as exc:
                            self.error = first_line(exc)
                            continue
                        tried.append(method)
                        if method != "click":
                            log.info("trying another way", way=method, attempt=len(tried))
                        if _settle(page, switch, wanted, clock, self.settle_ms):
                            return self.result(True)
                finally:
                    _dispose(*(t for t in targets if t is not ctl))
            return self.result(read_state(switch, clock.left(1_000)) == wanted)
        finally:
            _dispose(ctl)


def _control(switch: PWLocator, clock: _Clock) -> ElementHandle | None:
    """The element that carries the switch's state (see CONTROL_JS), or None."""
    handle = switch.evaluate_handle(CONTROL_JS, timeout=clock.left())
    element = handle.as_element()
    if element is None:
        _dispose(handle)
    return element


def _settle(page: Page, switch: PWLocator, wanted: str, clock: _Clock, settle_ms: int) -> bool:
    """After one click or key press: does the switch come to read `wanted`?"""
    if _wait_in_page(page, switch, WAIT_JS, wanted, clock.left(settle_ms)):
        return True
    # Still saving (disabled or aria-busy)? Then the page heard us: wait for it, up to the
    # deadline, rather than ask again another way and risk a second toggle.
    _wait_in_page(page, switch, SETTLED_JS, wanted, clock.left())
    return read_state(switch, clock.left(1_000)) == wanted


def flip(page: Page, switch: PWLocator, wanted: WantedState, timeout_ms: int) -> bool:
    """Set the switch as a person would (see `set_state`); True once it reads `wanted`.

    Raises Playwright's Error when nothing at all could be done to it (it could not be
    clicked, focused or read), as a failed click always did."""
    from playwright.sync_api import Error as PWError

    outcome = set_state(page, switch, wanted, timeout_ms)
    if not outcome.ok and outcome.attempts == 0:
        raise PWError(outcome.error)
    return outcome.ok


def near_text(page: Page, text: str | re.Pattern[str]) -> PWLocator:
    """The switch-like control nearest to the element with `text` (a plain string matches the
    whole text exactly; a pattern searches), for switches with no accessible name of their own:
    `<div class="row"><span>Use my data</span><button aria-checked="true"></button></div>`.

    Built only from locator composition, so it is lazy like any locator (it waits, and it
    finds the switch again after a re-render):

    - the row: the text's nearest ancestor (or the text's element itself, a `<label>` that
      wraps its checkbox) that holds a switch. Those come outermost first in document order,
      so the nearest is the last. The test is CSS,
      which pierces open shadow roots, so a switch inside a web component counts. (Filtering
      the text's few ancestors, not every element on the page, keeps this fast on big pages.)
    - in the row, the first switch that follows the text (XPath `following::`), so a flat
      grid of `label, switch, label, switch` pairs gets the right one;
    - when none follows (the switch is drawn before its text, or sits in a shadow root that
      XPath cannot see), the row's last switch, the one nearest before the text.
    """
    if isinstance(text, str):
        label = page.get_by_text(text, exact=True)
    else:
        label = page.get_by_text(text)
    row = label.locator("xpath=ancestor-or-self::*").filter(has=page.locator(SWITCHY_CSS)).last
    in_row = row.locator(SWITCHY_CSS)
    following = in_row.and_(label.locator(f"xpath=following::{_SWITCHY_XPATH}").first)
    # `or_` unites in document order: a following switch comes before the row's last one
    # (or is it), so `.first` prefers it.
    return following.or_(in_row.last).first
