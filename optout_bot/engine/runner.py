"""Walking a flow in the user's browser, in phases:

    open -> (login check at every step) -> navigate -> read -> act -> reload -> verify -> re-read

Success is only ever claimed after the reload re-read: the server, not the page's optimism,
has the last word. Nothing is clicked on a logged-out or security-check page, and a missing
switch is never "off".
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import structlog

from optout_bot.engine import guard, locators, switch
from optout_bot.engine import steps as actions
from optout_bot.engine.boundary import Boundary
from optout_bot.engine.diagnose import Failure, diagnose
from optout_bot.engine.netwatch import NetWatch
from optout_bot.engine.outcome import Result, RunStop, Status, first_line
from optout_bot.engine.steps import StepContext, StepFailed
from optout_bot.flow import model as m

if TYPE_CHECKING:
    from playwright.sync_api import Locator as PWLocator
    from playwright.sync_api import Page

    from optout_bot.engine.session import Session
    from optout_bot.evidence.recorder import Evidence

log = structlog.get_logger("optout_bot")

Mode = Literal["run", "verify"]

#: Stops worth a screenshot of the page as it was (the other stops already have theirs).
_SHOOT_AT_STOP = {Status.FLOW_BROKEN, Status.NOT_OFFERED, Status.LOGIN_REQUIRED}
LoginKind = Literal["logged_out", "security_check"]


@dataclass
class RunOptions:
    mode: Mode = "run"
    platform: m.Platform = "desktop"
    #: change the switch without asking
    yes: bool = False
    #: asks a person "switch it off?"; None when there is nobody to ask (no terminal)
    confirm: Callable[[str], bool] | None = None
    timeout_ms: int = 15_000
    login_timeout_ms: int = 300_000
    #: the whole run's limit, the wait for a sign-in by hand excluded
    run_timeout_ms: int = 300_000
    #: paint over the flow's `mask` elements (the member's name and photo) in screenshots
    mask: bool = True
    #: "menus": the flow's navigation steps (the direct URL when they break); "direct": the
    #: setting's direct URL (the navigation steps when it does not lead to the switch)
    route: Literal["menus", "direct"] = "menus"
    #: a sign-in by hand waits for its turn in this (several flows of one run sign in one
    #: site at a time); None: no one else to wait for
    sign_in_turn: Callable[[], AbstractContextManager[None]] | None = None


def plan(flow: m.Flow, platform: m.Platform, mode: Mode) -> list[str]:
    """What a run would do, step by step, in words (`--dry-run`); nothing is opened."""
    switch_spec = flow.switch
    alternatives = " or ".join(a.describe() for a in switch_spec.target.alternatives)
    lines = [
        f"{index}. {actions.describe(step)}"
        for index, step in enumerate(flow.navigate.get(platform, ()), 1)
    ]
    lines += [
        f"whenever the setting's direct URL is opened, then: {actions.describe(step)}"
        for step in flow.after_setting_url
    ]
    lines.append(f"read the switch '{switch_spec.label}' ({alternatives})")
    wanted = switch_spec.wanted
    if mode == "run":
        other = "on" if wanted == "off" else "off"
        lines.append(
            f"if it reads {other.upper()}: click it once to turn it {wanted.upper()} "
            "(asking first, unless --yes); otherwise click nothing"
        )
    else:
        lines.append("never click the switch (verify is read-only)")
    lines.append("reload the page and read the switch again")
    lines += [f"then: {actions.describe(step)}" for step in flow.verify]
    lines.append(f"exit 0 only if it reads {wanted.upper()} after the reload")
    lines.append(
        "stop at once, clicking nothing, on a sign-in or security-check page, or when a page "
        f"leaves {', '.join(flow.allowed_origins)}"
    )
    for overlay in flow.overlays:
        lines.append(
            f"whenever {overlay.appears.describe()} covers the page: click "
            f"{overlay.dismiss.describe()}"
        )
    lines.append("never click anything that reads as delete, send, post, sign out, pay, ...")
    lines.append(
        "never read or set a switch that is not a switch or a checkbox named as the flow says"
    )
    return lines


#: What follows the question before a change (app/together.py lists several without it).
CONFIRM_NOTE = "(optout-bot clicks it once, then reloads the page to check)"


class _LoginNeeded(Exception):
    def __init__(self, kind: LoginKind, url: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.url = url


class FlowRunner:
    def __init__(
        self, flow: m.Flow, session: Session, evidence: Evidence, options: RunOptions
    ) -> None:
        self.flow = flow
        self.session = session
        self.evidence = evidence
        self.options = options
        #: this flow's log: its events carry the flow's id (several flows of one run log at
        #: once; the live display keeps a line for each)
        self._log = log.bind(flow=flow.id)
        self.result = Result(
            flow=flow.id,
            platform=options.platform,
            mode=options.mode,
            wanted=flow.switch.wanted,
            session=session.kind,
            evidence_dir=str(evidence.dir),
            flow_version=flow.version,
            flow_sha256=flow.sha256,
        )
        #: the run's origin boundary (set up with the page)
        self._boundary: Boundary | None = None
        #: set when the page visibly refused the change, for the final reason
        self._refused = ""
        #: how many pop-ups the overlay handlers have closed so far
        self._dismissals = 0
        #: each pop-up's locator handler as installed on the page: (overlay, locator, handler)
        self._handlers: list[tuple[m.Overlay, PWLocator, Callable[[object], None]]] = []
        #: what broke, for the diagnosis folder
        self._failure: Failure | None = None
        #: the navigation step under way and the one before it (for pop-up recovery)
        self._current: tuple[m.Step, m.Step | None] | None = None
        #: reads the switch found last (see `switch.Probe`)
        self._probe: switch.Probe | None = None
        #: when the run must have ended (time.monotonic(); set as `run` begins); moved on by
        #: a sign-in's wait
        self._deadline = 0.0
        #: the switch's name on the page, as the switch guard read it
        self._switch_name = ""
        #: the switch as the direct route found it, for `_find_switch` to take over
        self._found: locators.Found | None = None
        #: an `expect_url` step that failed on the way (step, index, total, reason): the
        #: page may have moved; `_find_switch` decides
        self._unexpected: tuple[m.Step, int, int, str] | None = None
        #: steps whose target matched by a later alternative: (section, position, index)
        self._promotions: list[tuple[str, int, int]] = []

    # -- the whole run -----------------------------------------------------------------------

    def run(self) -> Result:
        from playwright.sync_api import Error as PWError

        result = self.result
        page: Page | None = None
        try:
            if self.options.platform not in self.flow.platforms:
                raise RunStop(
                    Status.INVALID,
                    f"flow {self.flow.id} has no {self.options.platform} steps "
                    f"(it covers: {', '.join(self.flow.platforms)})",
                )
            self._deadline = time.monotonic() + self.options.run_timeout_ms / 1000
            page = self.session.new_page()
            try:
                self._run(page)
            except _LoginNeeded as need:  # past the menus (a reload, the switch): no waiting
                self._stop_for_login(need)
        except actions.Refused as refused:
            result.status, result.reason = Status.FLOW_BROKEN, refused.reason
            self._shoot("refused")
        except RunStop as stop:
            result.status, result.reason = stop.status, stop.reason
            if page is not None and stop.status in _SHOOT_AT_STOP:
                self._shoot(stop.status.value.replace("_", "-"))
            breached = self._boundary is not None and self._boundary.breach is not None
            if page is not None and stop.status is Status.FLOW_BROKEN and not breached:
                self._diagnose(page)
        except PWError as exc:
            result.status = Status.ERROR
            result.reason = f"the browser stopped answering: {first_line(exc)}"
        finally:
            if self._boundary is not None:
                self._boundary.uninstall()
            if page is not None:
                try:
                    result.final_url = page.url
                except Exception:  # noqa: BLE001
                    pass
            result.screenshots = [str(p) for p in self.evidence.screenshots]
            result.pages = [str(p) for p in self.evidence.pages]
        result.promotions = list(self._promotions)
        return result

    def _run(self, page: Page) -> None:
        flow, opts, result = self.flow, self.options, self.result
        self.page = page
        self.ctx = StepContext(
            page=page,
            flow=flow,
            platform=opts.platform,
            timeout_ms=opts.timeout_ms,
            remaining_ms=self._remaining_ms,
            net=NetWatch(page),
            shoot=lambda name: self._shoot(name),
        )
        self._boundary = Boundary(page, flow.allowed_origins)
        self._boundary.install()
        page.on("framenavigated", self._on_navigated)
        self._install_overlays(page)

        self._navigate()
        found = self._find_switch("before")
        result.state_before = self._switch().read()
        self._log.info(f"the switch is {result.state_before.upper()}", locator=found.description)
        self.evidence.note(state_before=result.state_before, final_url=page.url)
        self._shoot("before", of_switch=True)
        if result.state_before == "unknown":
            raise RunStop(
                Status.FLOW_BROKEN,
                f"found the switch ({found.description}) but cannot tell whether it is on or off",
            )

        wanted = flow.switch.wanted
        if opts.mode == "run" and result.state_before != wanted:
            self._confirm(result.state_before, wanted)
            self._check_bounds()  # the page may have moved while the person answered
            self._change(found, wanted)

        self._reload_and_reread()

    # -- phases ------------------------------------------------------------------------------

    def _navigate(self) -> None:
        steps = self.flow.navigate[self.options.platform]
        waited_for_login = False
        while True:
            try:
                direct = self.options.route == "direct" and not self.result.route
                if direct and self._direct():
                    return
                previous: tuple[m.Step, int] | None = None
                self._unexpected = None
                for index, step in enumerate(steps, 1):
                    started = self._dismissals
                    self._current = (step, previous[0] if previous else None)
                    try:
                        self._step(step, index, len(steps), previous, ("navigate", index - 1))
                    except RunStop as stop:
                        if not self._fall_back(stop, step):
                            raise
                        return
                    self._note_match("navigate", index - 1)
                    previous = (step, started)
                self.result.route = self.result.route or "navigation"
                self._current = None
                return
            except _LoginNeeded as need:
                if waited_for_login or not self.session.interactive or need.kind != "logged_out":
                    self._stop_for_login(need)
                self._wait_for_login(need)
                waited_for_login = True  # sign in once, then walk the flow from the top

    def _direct(self) -> bool:
        """--route direct: open the setting's URL (and take the flow's `after_setting_url`
        steps); False (walk the menus) when that does not lead to the switch."""
        try:
            self._open_setting_url()
            target = self.flow.switch.target
            wait = self._wait_ms()
            if self._redirected_away():
                # The setting's address now leads elsewhere (a list, a moved page): the
                # switch is there at once or not at all, and the menus are the way on.
                wait = min(wait, actions.EXPECT_URL_FIRST_MS)
            found = locators.find(self.page, target, wait, "attached", switch.FOUND_QUESTIONS)
            if found is not None:
                self.result.route = "direct-url"
                self._found = found  # _find_switch takes it from here: no second search
                return True
            reason = "the switch is not on the setting's direct URL"
        except RunStop as stop:
            if stop.status is not Status.FLOW_BROKEN or stop.final:
                raise
            reason = stop.reason
        self._log.warning(
            "the direct URL did not lead to the switch; walking the menus instead. The flow "
            "needs an update",
            reason=reason,
        )
        self.result.route = "navigation-fallback"
        self.evidence.note(route="navigation-fallback", route_reason=reason)
        return False

    def _redirected_away(self) -> bool:
        """The setting's direct URL was answered with another page (a redirect to another
        path), and no `after_setting_url` steps were to lead on from it."""
        asked = self.flow.setting_url.get(self.options.platform)
        if not asked or self.flow.after_setting_url:
            return False
        here, there = urlsplit(self.page.url), urlsplit(asked)
        return (here.netloc, here.path.rstrip("/")) != (there.netloc, there.path.rstrip("/"))

    def _fall_back(self, stop: RunStop, step: m.Step) -> bool:
        """The menus changed: go to the setting's direct URL instead, once, and say so."""
        url = self.flow.setting_url.get(self.options.platform)
        if stop.status is not Status.FLOW_BROKEN or stop.final or not url:
            return False
        if (self.ctx.net.document_status or 0) >= 500:
            return False  # the site is down, not redesigned: another URL will not help
        if isinstance(step, (m.Goto, m.GotoSetting)) or self.result.route:
            return False
        self._log.warning(
            "the navigation path broke; opening the setting's direct URL instead. The flow "
            "needs an update",
            reason=stop.reason,
        )
        self.result.route = "direct-url"
        self.evidence.note(route="direct-url", route_reason=stop.reason)
        self._unexpected = None
        self._open_setting_url()
        return True

    def _open_setting_url(self) -> None:
        """Open the setting's direct URL, then take the flow's `after_setting_url` steps (the
        click that shows a switch kept in a dialog)."""
        after = self.flow.after_setting_url
        self._step(m.GotoSetting(), 1, 1 + len(after))
        for index, step in enumerate(after, 2):
            self._step(step, index, 1 + len(after), where=("after_setting_url", index - 2))
            self._note_match("after_setting_url", index - 2)

    def _note_match(self, section: str, position: int) -> None:
        """Remember a step whose target matched by a later alternative (for the proposal)."""
        if self.ctx.matched > 0:
            self._promotions.append((section, position, self.ctx.matched))

    def _step(
        self,
        step: m.Step,
        index: int,
        total: int,
        previous: tuple[m.Step, int] | None = None,
        where: tuple[str, int] | None = None,
    ) -> None:
        """Take one step; `where` is its place in the flow (section, position), for the
        diagnosis when its element is not found."""
        # What the diagnosis describes is the last thing tried, never an earlier step that
        # a fallback went round (its page is gone: a replacement for it is not on this one).
        self._failure = None
        self._check_deadline()
        self.ctx.matched = 0
        # In words for people; the selector as `detail`, shown with -v (and in JSON lines).
        self._log.info(actions.in_words(step), step=index, of=total, detail=actions.describe(step))
        try:
            try:
                actions.execute(self.ctx, step)
            except StepFailed:
                # Closing a pop-up can undo what the previous step did (the click that closes
                # it also closes an open menu): a person would redo that step, so we do, once.
                if previous is None or self._dismissals == previous[1]:
                    raise
                self._log.info("a pop-up was closed; repeating the previous step")
                actions.execute(self.ctx, previous[0])
                actions.execute(self.ctx, step)
        except StepFailed as failed:
            self._check_login()
            self._check_logged_out_page()
            self._check_bounds()
            if failed.missing and (step.missing_means == "not_offered" or self._not_offered()):
                raise RunStop(
                    Status.NOT_OFFERED,
                    f"{self.flow.site} does not offer '{self.flow.setting}' to this account "
                    f"({failed.reason})",
                ) from None
            if step.optional:
                self._log.info("optional step skipped", reason=failed.reason)
                return
            if isinstance(step, m.ExpectUrl) and self._unexpected is None:
                # The switch on the page is the ground truth, not its address: go on, and let
                # `_find_switch` tell a page that moved (the switch is there) from a flow
                # that went wrong (it is not: this step's failure is then the reason).
                self._unexpected = (step, index, total, failed.reason)
                self._log.info(
                    "the page is not at the address the flow expects; looking for the switch",
                    url=self.page.url,
                )
                self._check_origin()
                return
            # Only a click's missing element can be replaced (see replacement.py).
            replaceable = isinstance(step, m.Click) and failed.missing
            self._failure = Failure(
                actions.describe(step),
                getattr(step, "target", None),
                failed.reason,
                where=where if replaceable else None,
                because=getattr(step, "because", None),
            )
            raise RunStop(
                Status.FLOW_BROKEN, self._broken(step, index, total, failed.reason)
            ) from None
        self._check_origin()
        self._check_login()

    def _find_switch(self, when: str) -> locators.Found:
        self._failure = None  # see _step
        self._check_bounds()
        target = self.flow.switch.target
        found, self._found = self._found, None
        if found is None:
            found = locators.find(
                self.page, target, self._wait_ms(), "attached", switch.FOUND_QUESTIONS
            )
        if found is None:
            self._check_login()
            self._check_logged_out_page()
            self._check_deadline()
            if self._not_offered():
                raise RunStop(
                    Status.NOT_OFFERED,
                    f"{self.flow.site} does not offer '{self.flow.setting}' to this account "
                    "(the page says it is not available)",
                )
            if self._unexpected is not None:
                step, index, total, reason = self._unexpected
                self._failure = Failure(actions.describe(step), None, reason)
                raise RunStop(Status.FLOW_BROKEN, self._broken(step, index, total, reason))
            self._failure = Failure(
                f"read the switch {when}",
                target,
                "not found within the step timeout",
                where=("switch", 0),
                switch=self.flow.switch,
            )
            raise RunStop(
                Status.FLOW_BROKEN,
                f"the switch '{self.flow.switch.label}' was not found {when} "
                f"({target.describe()}){self._http_note()}; its state is unknown. The page "
                "may have changed: the flow needs an update",
            )
        if self._unexpected is not None and not self.result.moved_url:
            self.result.moved_url = self.page.url
            self._log.warning(
                "the setting's page has moved: the switch is at an address the flow does not "
                "expect. The flow needs an update",
                url=self.page.url,
            )
            self.evidence.note(moved_url=self.page.url)
        self._unexpected = None  # found: a later search that fails is about itself
        if found.index > 0:
            self._log.warning(
                "the switch matched a fallback locator; this flow needs an update",
                locator=found.description,
            )
        self.result.switch_locator = found.description
        self.result.switch_alternative = found.index
        self._probe = switch.Probe(
            found.locator,
            locators.plain_css(found.source),
            self.options.timeout_ms,
            answers=found.answers,
        )
        self._judge_switch()
        return found

    def _judge_switch(self) -> None:
        """The switch guard (guard.py), each time the switch is found, before it is read: an
        element that is not a switch, is not named as the flow says, or reads as a denied
        action is neither read as the setting nor clicked."""
        facts = self._switch().judge()
        if facts is None:
            raise actions.Refused(
                "refused to read or set the switch: its name could not be read to check it"
            )
        reason = guard.switch_refusal(facts, self.flow.switch)
        if reason is not None:
            raise actions.Refused(reason)
        self._switch_name = facts.name

    def _switch(self) -> switch.Probe:
        assert self._probe is not None, "_find_switch comes first"
        return self._probe

    def _confirm(self, state: str, wanted: str) -> None:
        if self.options.yes:
            return
        # The page's own name for the switch, which the guard matched with the flow's label:
        # the person answers about what the page says, not about a shared flow's words.
        label = self.flow.switch.label
        name = self._switch_name or label
        flow_says = ""
        if guard.names_differ(name, label):
            flow_says = f' (the flow calls it "{guard.plain(label)}")'
        # The site, the setting and its state in words: no selector (the evidence has it).
        question = (
            f'{self.flow.site}: "{guard.plain(name, 120)}"{flow_says} is {state.upper()}. '
            f"Switch it {wanted.upper()}? {CONFIRM_NOTE}"
        )
        if self.options.confirm is None:
            raise RunStop(
                Status.CONFIRMATION_NEEDED,
                f"the switch is {state} and there is no terminal to ask on; nothing changed. "
                "Pass --yes to change it without asking",
            )
        if not self.options.confirm(question):
            raise RunStop(Status.DECLINED, f"left {state} at your request; nothing changed")

    def _change(self, found: locators.Found, wanted: m.WantedState) -> None:
        from playwright.sync_api import Error as PWError

        self._log.info(f"switching it {wanted.upper()}")
        timeout = self.options.timeout_ms
        with self.ctx.net.watching():
            try:
                outcome = switch.set_state(
                    self.page, found.locator, wanted, timeout, css=self._switch().css
                )
            except PWError as exc:
                raise RunStop(
                    Status.FLOW_BROKEN,
                    f"could not click the switch: {first_line(exc)}",
                ) from None
            # The page saves on its own; let that request finish before judging or reloading.
            idle = self.ctx.net.wait_idle(timeout)
            pending = [r.url for r in self.ctx.net.pending]
        if outcome.attempts == 0 and not outcome.ok:
            raise RunStop(Status.FLOW_BROKEN, f"could not click the switch: {outcome.error}")
        flipped = outcome.ok
        if outcome.method not in (None, "click"):
            self._log.info("the switch was set another way", way=outcome.method)
        # We acted on it: from here on the setting may have changed, whatever the page shows.
        self.result.changed = outcome.attempts > 0
        self.result.switch_method = outcome.method or ""
        self.evidence.note(changed=self.result.changed)
        if not flipped:
            self._log.warning(f"the switch did not turn {wanted} when clicked")
        if not idle:
            self._log.warning("the page was still saving when the wait ended", pending=pending)
        now = self._switch().read()
        self._shoot("after-change", of_switch=True)
        if now != wanted:
            self._refused = f"the page showed {now} right after the click: the save was refused. "
            self._log.warning("the page put the switch back: the save was refused", state=now)

    def _reload_and_reread(self) -> None:
        result, flow = self.result, self.flow
        self._log.info("reloading to confirm the setting stuck")
        self._check_deadline()
        try:
            self.page.reload(wait_until="domcontentloaded", timeout=self._wait_ms())
        except Exception as exc:  # noqa: BLE001
            self._check_bounds()
            raise RunStop(Status.FLOW_BROKEN, f"the reload failed: {first_line(exc)}") from None
        self._check_origin()
        self._check_login()
        for index, step in enumerate(flow.verify, 1):
            self._step(step, index, len(flow.verify), where=("verify", index - 1))
        self._find_switch("after the reload")
        result.state_after = self._switch().read()
        result.switch_attributes = self._switch().describe()
        self._shoot("after-reload", of_switch=True)
        self._keep_page("after-reload")
        seen_before = flow.switch.wanted if result.changed else result.state_before
        result.persisted = result.state_after == seen_before
        wanted = flow.switch.wanted
        self._log.info(f"after the reload the switch is {result.state_after.upper()}")
        if result.state_after == wanted:
            result.status = Status.OK
            result.reason = f"'{flow.switch.label}' is {wanted}, confirmed after a reload"
        elif result.state_after == "unknown":
            raise RunStop(
                Status.FLOW_BROKEN,
                "after the reload the switch cannot be read; its state is unknown",
            )
        elif self.options.mode == "verify":
            raise RunStop(
                Status.DRIFT,
                f"'{flow.switch.label}' is {result.state_after}, not {wanted}. "
                f"Run `optout-bot run {flow.id}` to switch it {wanted}",
            )
        else:
            raise RunStop(
                Status.NOT_PERSISTED,
                f"{self._refused}'{flow.switch.label}' is {result.state_after} again after a "
                f"reload: {flow.site} did not keep the change. Try again later",
            )

    # -- login -------------------------------------------------------------------------------

    def _login_kind(self, url: str) -> LoginKind | None:
        login = self.flow.login
        if any(p.search(url) for p in login.security_check_urls):
            return "security_check"
        if any(p.search(url) for p in login.logged_out_urls):
            return "logged_out"
        return None

    def _check_login(self) -> None:
        url = self.page.url
        kind = self._login_kind(url)
        if kind is not None:
            raise _LoginNeeded(kind, url)

    def _check_logged_out_page(self) -> None:
        """After a step failed or the switch was not found: a page that shows what only a
        logged-out page shows (`login.logged_out`) is a sign-in to ask for, not a broken
        flow, whatever its URL."""
        for target in self.flow.login.logged_out:
            found = locators.find_now(self.page, target)
            if found is not None:
                self._log.info("the page shows it is signed out", locator=found.description)
                raise _LoginNeeded("logged_out", self.page.url)

    def _stop_for_login(self, need: _LoginNeeded) -> None:
        self.result.login_reason = need.kind
        site = self.flow.site
        if need.kind == "security_check":
            why = f"{site} asks for a security check"
            fix = "complete it in your browser, then run optout-bot again"
        else:
            why = f"not signed in to {site}"
            fix = (
                "sign in in your browser, then run again"
                if self.session.kind == "cdp"
                else "run again without --headless and sign in in the window that opens"
            )
        raise RunStop(Status.LOGIN_REQUIRED, f"{why} ({urlsplit(need.url).path}); {fix}")

    def _wait_for_login(self, need: _LoginNeeded) -> None:
        """Let the person sign in by hand (2FA included) in the window we opened; bounded.
        The time it takes does not count against the run's own limit."""
        began = time.monotonic()
        turn = self.options.sign_in_turn or contextlib.nullcontext
        try:
            with turn():  # another flow of the run may be waiting for a sign-in: after it
                self._wait_for_sign_in(need)
        finally:
            self._deadline += time.monotonic() - began

    def _wait_for_sign_in(self, need: _LoginNeeded) -> None:
        flow, page = self.flow, self.page
        seconds = self.options.login_timeout_ms // 1000
        self._log.warning(
            f"Sign in to {flow.site} in the browser window that opened (2FA included). "
            f"optout-bot waits up to {seconds} s and never sees your password.",
        )
        if need.kind == "logged_out" and not page.url.startswith(flow.login.url):
            page.goto(flow.login.url, wait_until="domcontentloaded")
        deadline = time.monotonic() + self.options.login_timeout_ms / 1000
        while True:
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0:
                raise RunStop(
                    Status.LOGIN_REQUIRED,
                    f"gave up waiting for the sign-in to {flow.site} after {seconds} s",
                )
            try:
                page.wait_for_url(lambda url: self._login_kind(url) is None, timeout=remaining)
            except Exception:  # noqa: BLE001 - timeout, or the window was closed
                if page.is_closed():
                    raise RunStop(Status.LOGIN_REQUIRED, "the browser window was closed") from None
                continue
            remaining = max(1, int((deadline - time.monotonic()) * 1000))
            if locators.find(page, flow.login.signed_in, min(remaining, 10_000)) is not None:
                self._log.info("signed in; continuing")
                return
            # Somewhere that is neither a login page nor signed in: wait for the next page.
            here = page.url

            def moved(url: str, here: str = here) -> bool:
                return url != here

            try:
                page.wait_for_url(moved, timeout=remaining)
            except Exception:  # noqa: BLE001
                continue

    # -- safety and diagnosis ------------------------------------------------------------------

    def _remaining_ms(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def _wait_ms(self) -> int:
        """How long the runner's own waits may take: the step timeout, within the deadline
        (at least 1 ms: 0 means 'no limit' to Playwright)."""
        return max(1, min(self.options.timeout_ms, self._remaining_ms()))

    def _check_deadline(self) -> None:
        """Stop (exit 1, recorded) once the run is past its overall limit."""
        if self._remaining_ms() <= 0:
            seconds = self.options.run_timeout_ms / 1000
            raise RunStop(
                Status.TIMED_OUT,
                f"the run took longer than its limit of {seconds:g} s (run_timeout; a sign-in "
                "by hand does not count) and stopped without clicking anything else; pass "
                "--run-timeout for a slow connection",
                final=True,
            )

    def _on_navigated(self, frame: object) -> None:
        page = self.page
        if frame is page.main_frame and self._boundary is not None:
            self._boundary.observe(page.main_frame.url)

    def _check_bounds(self) -> None:
        """Stop (exit 1, nothing else clicked) once the page tried to leave the boundary or
        the run is past its deadline, in that order."""
        self._check_origin()
        self._check_deadline()

    def _check_origin(self) -> None:
        """Stop (exit 1, nothing else clicked) once the page tried to leave the boundary."""
        breach = self._boundary.breach if self._boundary is not None else None
        if breach is not None:
            raise RunStop(
                Status.FLOW_BROKEN,
                f"{breach}; the run stopped without clicking anything else",
                final=True,
            )

    def _not_offered(self) -> bool:
        return any(locators.find_now(self.page, t) is not None for t in self.flow.not_offered)

    def _masks(self) -> list[m.Locator]:
        if not self.options.mask:
            return []
        # Every alternative: a mask hides all that match, not the first that matches.
        return [alt for target in self.flow.mask for alt in target.alternatives]

    def _install_overlays(self, page: Page) -> None:
        """Pop-ups declared by the flow are closed whenever they get in the way of an action
        (Playwright's locator handlers) and before every screenshot."""
        for overlay in self.flow.overlays:
            # Playwright calls the handler with the overlay's locator.
            def handler(_appeared: object, overlay: m.Overlay = overlay) -> None:
                self._dismiss(overlay)

            appears = locators.any_of(page, overlay.appears)
            page.add_locator_handler(appears, handler)
            self._handlers.append((overlay, appears, handler))

    def _dismiss(self, overlay: m.Overlay) -> None:
        found = locators.find_now(self.page, overlay.dismiss, ask=(guard.CLICK_QUESTION,))
        if found is not None:
            self._log.info("dismissing a pop-up", locator=found.description)
            actions.guarded_click(found, self.options.timeout_ms)
            self._dismissals += 1
            self._redo_undone_step()

    def _redo_undone_step(self) -> None:
        """A pop-up's close button is also a click outside an open menu: when the menu item
        this step wants is gone after the close, redo the click that opened the menu, right
        away (Playwright then finishes the step's own click)."""
        from playwright.sync_api import Error as PWError

        if self._current is None:
            return
        step, previous = self._current
        if not isinstance(step, m.Click) or not isinstance(previous, m.Click):
            return
        if locators.find_now(self.page, step.target) is not None:
            return
        self._log.info("closing the pop-up also undid the previous step; repeating it")
        try:
            actions.execute(self.ctx, previous)
        except (StepFailed, PWError):
            pass  # the step's own retry (in _step) takes it from here

    def _clear_overlays(self) -> None:
        """Close the pop-ups on the page now (before a screenshot). The close click is an
        action, and before an action Playwright runs the pop-up's own handler, which closes it
        first: the click would then wait its whole timeout for a button that is gone (a
        screenshot lost to a promotion over the setting). So its handler is set aside while
        it is closed here."""
        for overlay, appears, handler in self._handlers:
            if locators.find_now(self.page, overlay.appears) is None:
                continue
            self.page.remove_locator_handler(appears)
            try:
                self._dismiss(overlay)
            finally:
                self.page.add_locator_handler(appears, handler)

    def _diagnose(self, page: Page) -> None:
        failure = self._failure or Failure("", None, self.result.reason)
        try:
            found = diagnose(page, self.evidence.dir, failure)
        except OSError as exc:
            self._log.warning("could not write the diagnosis", error=str(exc))
            return
        folder = found.folder
        self.result.diagnosis = str(folder)
        if found.replacement is not None:
            self.result.replacement = found.replacement.to_json()
            self._log.warning(
                "the page has a likely replacement for what the flow did not find",
                element=found.replacement.element,
            )
        other = "mobile" if self.options.platform == "desktop" else "desktop"
        hints = []
        if other in self.flow.platforms:
            hints.append(f"try the {other} flow (--platform {other})")
        url = self.flow.setting_url.get(self.options.platform, "URL")
        hints.append(
            f"update the flow: `optout-bot inspect {url}` lists the page's switches and "
            "suggests locators"
        )
        hints.append(f"or report it with the folder {folder} attached")
        self.result.reason += ". What to do: " + "; ".join(hints)
        self._log.warning("diagnosis saved", folder=str(folder))

    def _http_note(self) -> str:
        status = self.ctx.net.document_status
        if not status or status < 400:
            return ""
        if status >= 500:
            return f" ({self.flow.site} answered HTTP {status}: the site may be down; try later)"
        return f" (the page answered HTTP {status})"

    def _broken(self, step: m.Step, index: int, total: int, reason: str) -> str:
        where = f" at {step.mark}" if step.mark else ""
        return (
            f"step {index}/{total} ({actions.describe(step)}{where}) failed: {reason}"
            f"{self._http_note()}. The page is not as the flow expects; the flow may need an "
            "update"
        )

    def _keep_page(self, name: str) -> None:
        """The page itself into the evidence (MHTML), beside its screenshot."""
        try:
            self.evidence.page_snapshot(self.page, name, devtools=self.session.devtools(self.page))
        except Exception as exc:  # noqa: BLE001 - a missing snapshot must not hide the result
            self._log.warning("page snapshot failed", name=name, error=first_line(exc))

    def _shoot(self, name: str, of_switch: bool = False) -> None:
        """A screenshot into the evidence; `of_switch`: with the switch found last in view."""
        try:
            self._clear_overlays()  # evidence shows the setting, not a promotion over it
            if of_switch:
                self._switch().show()
            self.evidence.screenshot(
                self.page, name, mask=self._masks(), devtools=self.session.devtools(self.page)
            )
        except Exception as exc:  # noqa: BLE001 - a missing screenshot must not hide the result
            self._log.warning("screenshot failed", name=name, error=first_line(exc))
