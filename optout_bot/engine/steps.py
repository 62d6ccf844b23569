"""What each step type does in the page: one executor per entry of the step registry.

`EXECUTORS` is keyed by the flow language's step classes, and a test
(tests/test_step_registry.py) checks that every registered step type has an executor, help
and a description, so the flow language and the engine cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from optout_bot.engine import guard, locators
from optout_bot.engine.outcome import first_line
from optout_bot.flow import model as m

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from optout_bot.engine.netwatch import NetWatch

# How long `dismiss_if_present` looks for its element unless the step says otherwise.
DISMISS_DEFAULT_MS = 1_500


class Refused(Exception):
    """An action the safety guard will not do: a click or a switch that reads as a
    destructive, sign-out, money or social action, or that is not what the flow says."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def guarded_click(found: locators.Found, timeout_ms: int, because: str | None = None) -> None:
    """Click, unless what the click acts on reads as delete / send / post / sign out / pay /
    ..., or is not something a flow clicks without saying why (`because`; see guard.py)."""
    reason = guard.click_refusal(guard.read_click(found, timeout_ms), because)
    if reason is not None:
        raise Refused(reason)
    found.locator.click(timeout=timeout_ms)


class StepFailed(Exception):
    """A step could not be done; `missing` when its element was not found at all."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing


@dataclass
class StepContext:
    page: Page
    flow: m.Flow
    platform: m.Platform
    timeout_ms: int
    #: what is left of the whole run's time (`run_timeout`), in milliseconds
    remaining_ms: Callable[[], int]
    net: NetWatch
    #: saves a screenshot into the evidence folder (masked, overlays closed) under a name
    shoot: Callable[[str], None]
    #: which of the last step's target alternatives matched (0: the flow's first), for a
    #: repair's proposal to promote the one that worked
    matched: int = 0

    def timeout(self, step: m.StepBase, default: int | None = None) -> int:
        """How long `step` may wait: its own timeout (else `default`, else the run's), never
        more than the run's (`--timeout`), so a shared flow cannot make a step wait longer
        than the person allowed, nor past the whole run's limit (at least 1 ms: 0 would
        mean 'no limit' to Playwright)."""
        own = min(step.timeout_ms or default or self.timeout_ms, self.timeout_ms)
        return max(1, min(own, self.remaining_ms()))


#: How long an `expect_url` waits before it looks whether the flow's switch is already on the
#: page (then the page moved, and waiting longer for the address would only delay the run).
EXPECT_URL_FIRST_MS = 2_000


def _open(ctx: StepContext, url: str, step: m.StepBase) -> None:
    from playwright.sync_api import Error as PWError

    try:
        response = ctx.page.goto(url, wait_until="domcontentloaded", timeout=ctx.timeout(step))
    except PWError as exc:
        if ctx.page.is_closed():
            raise  # the browser went away: not the flow's fault (the runner says so)
        raise StepFailed(f"could not open {url}: {first_line(exc)}") from None
    if response is not None and response.status in (404, 410):
        raise StepFailed(f"{url} answered HTTP {response.status}", missing=True)


def _goto(ctx: StepContext, step: m.Goto) -> None:
    _open(ctx, step.url, step)


def _goto_setting(ctx: StepContext, step: m.GotoSetting) -> None:
    _open(ctx, ctx.flow.setting_url[ctx.platform], step)


def _click(ctx: StepContext, step: m.Click) -> None:
    from playwright.sync_api import Error as PWError

    found = locators.find(ctx.page, step.target, ctx.timeout(step), ask=(guard.CLICK_QUESTION,))
    if found is None:
        raise StepFailed(f"{step.target.describe()} not found", missing=True)
    ctx.matched = found.index
    try:
        guarded_click(found, ctx.timeout(step), step.because)
    except PWError as exc:
        raise StepFailed(f"could not click {found.description}: {first_line(exc)}") from None


def _wait_for(ctx: StepContext, step: m.WaitFor) -> None:
    found = locators.find(ctx.page, step.target, ctx.timeout(step))
    if found is None:
        raise StepFailed(f"{step.target.describe()} did not appear", missing=True)
    ctx.matched = found.index


def _expect_url(ctx: StepContext, step: m.ExpectUrl) -> None:
    """Wait for the address to match. When it does not at first and the flow's switch is
    already on the page, the page has moved: say so now (the runner then takes the switch),
    rather than after the whole timeout."""
    from playwright.sync_api import TimeoutError as PWTimeout

    def matches(url: str) -> bool:
        # Matched here, by RE2 (linear time), not by Playwright's `re`.
        return bool(step.pattern.search(url))

    timeout = ctx.timeout(step)
    first = min(timeout, EXPECT_URL_FIRST_MS)
    try:
        ctx.page.wait_for_url(matches, timeout=first)
        return
    except PWTimeout:
        pass
    switch_here = locators.find_now(ctx.page, ctx.flow.switch.target, "attached") is not None
    if timeout > first and not switch_here:
        try:
            ctx.page.wait_for_url(matches, timeout=timeout - first)
            return
        except PWTimeout:
            pass
    raise StepFailed(
        f"the page is at {ctx.page.url}, expected a URL matching /{step.pattern.pattern}/"
    )


def _dismiss_if_present(ctx: StepContext, step: m.DismissIfPresent) -> None:
    from playwright.sync_api import Error as PWError

    timeout = ctx.timeout(step, DISMISS_DEFAULT_MS)
    found = locators.find(ctx.page, step.target, timeout, ask=(guard.CLICK_QUESTION,))
    if found is None:
        return
    try:
        guarded_click(found, ctx.timeout(step), step.because)
    except PWError:
        pass  # it went away by itself in the meantime: that is what we wanted


def _screenshot(ctx: StepContext, step: m.Screenshot) -> None:
    ctx.shoot(step.name)


def _reload(ctx: StepContext, step: m.Reload) -> None:
    ctx.page.reload(wait_until="domcontentloaded", timeout=ctx.timeout(step))


#: The executor of each step type: the one place a step type of the flow language
#: (`optout_bot.flow.model.STEP_TYPES`) gets its meaning in the page. A test fails while a
#: registered step type has none.
EXECUTORS: dict[type[m.StepBase], Callable[[StepContext, Any], None]] = {
    m.Goto: _goto,
    m.GotoSetting: _goto_setting,
    m.Click: _click,
    m.WaitFor: _wait_for,
    m.ExpectUrl: _expect_url,
    m.DismissIfPresent: _dismiss_if_present,
    m.Screenshot: _screenshot,
    m.Reload: _reload,
}


def execute(ctx: StepContext, step: m.Step) -> None:
    EXECUTORS[type(step)](ctx, step)


def in_words(step: m.Step) -> str:
    """What the step does, in words a person who never saw a selector reads while it runs:
    its `title`, else a phrase made from its target's name or text (`click "Data privacy"`),
    else a plain phrase for what it does. One line: whitespace collapsed, control and format
    characters dropped (a shared flow cannot draw lines of its own), long names cut."""
    if step.title:
        return _one_line(step.title, m.MAX_TITLE)
    if isinstance(step, m.Goto):
        return f"open {step.url}"
    if isinstance(step, m.GotoSetting):
        return "open the setting's page"
    if isinstance(step, (m.Click, m.WaitFor, m.DismissIfPresent)):
        what = target_in_words(step.target)
        if isinstance(step, m.Click):
            return f"click {what}"
        if isinstance(step, m.WaitFor):
            return f"wait for {what}"
        return f"close {what} if it is there"
    if isinstance(step, m.ExpectUrl):
        return "check the page's address"
    if isinstance(step, m.Screenshot):
        return "take a screenshot"
    if isinstance(step, m.Reload):
        return "reload the page"
    return step.KEY.replace("_", " ")


#: A role's name in words, for a target that gives a role but no name (`a switch`).
_ROLE_WORDS = {"menuitem": "menu item", "tab": "tab", "img": "picture", "textbox": "text box"}


def target_in_words(target: m.Target) -> str:
    """A target as a person would point at it: the name, text or label of its first
    alternative that has one, quoted (`"Settings & Privacy"`); else its role (`a link`);
    else `something on the page` (a CSS selector or a test id says nothing to a person)."""
    for alt in target.alternatives:
        if alt.pattern is None and (alt.strategy in ("text", "label") and alt.value):
            return f'"{_one_line(alt.value, 60)}"'
        if alt.strategy == "role" and alt.name:
            return f'"{_one_line(alt.name, 60)}"'
    for alt in target.alternatives:
        if alt.strategy == "role" and alt.value:
            word = _ROLE_WORDS.get(alt.value, alt.value)
            return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"
    return "something on the page"


def _one_line(text: str, limit: int) -> str:
    """`text` on one line, as a person reads it: format characters dropped, whitespace
    collapsed, cut at `limit` characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(step: m.Step) -> str:
    """What the step does, with its selector (`click css='#x'`): for `-v`, the evidence and
    the diagnosis of a broken flow, where the exact element matters."""
    if isinstance(step, m.Goto):
        return f"open {step.url}"
    if isinstance(step, m.GotoSetting):
        return "open the setting's page"
    if isinstance(step, (m.Click, m.WaitFor, m.DismissIfPresent)):
        verb: dict[type[m.StepBase], str] = {
            m.Click: "click",
            m.WaitFor: "wait for",
            m.DismissIfPresent: "dismiss if present",
        }
        because = f" (because: {step.because})" if step.because else ""
        return f"{verb[type(step)]} {step.target.describe()}{because}"
    if isinstance(step, m.ExpectUrl):
        return f"expect the URL to match /{step.pattern.pattern}/"
    if isinstance(step, m.Screenshot):
        return f"screenshot {step.name!r}"
    return step.KEY  # a step with no value says it all by its name (reload)
