"""One origin boundary for a whole run: no document of the run's page, and no page it opens,
goes anywhere outside the flow's `allowed_origins` or to a URL that reads as sign-out,
delete, pay and the like (`guard.url_refusal`), from the first step to the last screenshot.

Three layers, each where it can act before a request leaves the browser:

- **The run's page** (every navigation: `goto`, clicks, scripts, redirects, the reload).
  Document requests of its main frame are paused by the DevTools protocol (`Fetch.enable`
  for the `Document` resource type only, so images, scripts and API calls are never
  paused and the HTTP cache stays on, unlike Playwright's `route`) and judged: allowed ones
  continue, others are aborted before they are sent, each redirect hop included. An
  aborted navigation leaves the page where it was.
- **New tabs and windows** the page would open on another origin (`window.open`, links and
  forms with a `target`): a script added to every document before the page's own cancels
  them in the page and tells optout-bot (`js/boundary-popups.js`).
- **Any tab it opens anyway** (on an allowed origin, or by a way the script did not see) is
  closed as soon as it appears; when it was outside the boundary the run stops. Such a tab's
  first request may have left already: the one case the first two layers exist to prevent.

Attached to the person's own browser, only optout-bot's tab and the tabs it opens are
governed; their other tabs never pass through here.

A breach is kept in `breach` (the first one, as a sentence) and the runner stops the run
(exit 1) at its next checkpoint: after every step, before reading or clicking the switch,
after the reload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import structlog

from optout_bot.base.urls import origin_of
from optout_bot.engine import guard, pagejs

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, ConsoleMessage, Page

log = structlog.get_logger("optout_bot")

#: How the page-side script reports a cancelled opening: a console message with this prefix.
REPORT_PREFIX = "optout-bot: cancelled a new tab at "


class Boundary:
    """Governs one page (the run's) and whatever it opens; see the module docstring."""

    def __init__(self, page: Page, allowed_origins: tuple[str, ...]) -> None:
        self.page = page
        self.allowed = allowed_origins
        #: the first breach, as a sentence; None while the run stayed inside
        self.breach: str | None = None
        self._cdp: CDPSession | None = None
        self._main_frame = ""

    # -- what is allowed -----------------------------------------------------------------------

    def refusal(self, url: str) -> str | None:
        """Why a document at `url` may not be opened, or None."""
        if url.startswith(("about:", "data:", "blob:", "chrome-error:")):
            return None
        if origin_of(url) not in self.allowed:
            return (
                f"the page tried to open {origin_of(url)}, outside the flow's allowed origins "
                f"({', '.join(self.allowed)})"
            )
        word = guard.url_refusal(url)
        if word is not None:
            return (
                f"the page tried to open {urlsplit(url).path or '/'}, which reads as "
                f"'{word}' (sign-out, delete, pay and the like are never opened)"
            )
        return None

    def _breach(self, reason: str) -> None:
        if self.breach is None:
            self.breach = reason
            log.warning("stopped at the origin boundary", reason=reason)

    # -- installing it -------------------------------------------------------------------------

    def install(self) -> None:
        page = self.page
        script = pagejs.load(
            "optout_bot.engine",
            "boundary-popups.js",
            ALLOWED=list(self.allowed),
            REPORT=REPORT_PREFIX,
        )
        page.on("console", self._console)
        page.context.on("page", self._opened)
        # Through Playwright's own session: a DevTools session of ours would need its Page
        # domain on for the script to run, and then every page event of every navigation
        # would travel to Python as well (about 25 ms a run, measured).
        page.add_init_script(script=script)
        try:
            cdp = page.context.new_cdp_session(page)
            self._main_frame = cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
            cdp.on("Fetch.requestPaused", self._paused)
            cdp.send(
                "Fetch.enable",
                {"patterns": [{"urlPattern": "*", "resourceType": "Document"}]},
            )
            self._cdp = cdp
        except Exception as exc:  # noqa: BLE001 - a browser without the Fetch domain
            # The navigation observer (`observe`) still stops the run after the fact.
            log.warning("navigations cannot be paused in this browser", error=str(exc))

    def uninstall(self) -> None:
        try:
            self.page.context.remove_listener("page", self._opened)
            self.page.remove_listener("console", self._console)
            if self._cdp is not None:
                self._cdp.detach()
        except Exception:  # noqa: BLE001 - the browser is gone already
            pass
        self._cdp = None

    # -- the layers ----------------------------------------------------------------------------

    def _paused(self, event: dict[str, Any]) -> None:
        cdp, request_id = self._cdp, event["requestId"]
        if cdp is None:
            return
        reason = None
        if event.get("frameId") == self._main_frame:
            reason = self.refusal(event["request"]["url"])
        try:
            if reason is None:
                cdp.send("Fetch.continueRequest", {"requestId": request_id})
            else:
                self._breach(f"{reason}; the request was not sent")
                # Aborted, not failed: the page stays where it was, with no error page.
                cdp.send("Fetch.failRequest", {"requestId": request_id, "errorReason": "Aborted"})
        except Exception:  # noqa: BLE001 - the page closed while the request waited
            pass

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "debug" or not message.text.startswith(REPORT_PREFIX):
            return
        url = message.text.removeprefix(REPORT_PREFIX)
        reason = self.refusal(url)
        self._breach(f"{reason or f'the page tried to open {url}'} in a new tab (cancelled)")

    def _opened(self, new: Page) -> None:
        try:
            if new.opener() is not self.page:
                return  # one of the person's own tabs: not ours to govern
            url = new.url
            new.close()
        except Exception:  # noqa: BLE001 - closed already
            return
        reason = self.refusal(url)
        if reason is not None:
            self._breach(f"{reason} in a new tab (closed)")
        else:
            log.info("closed a tab the page opened", url=url)

    def observe(self, url: str) -> None:
        """The page is at `url` now (a navigation that could not be paused): a breach after
        the fact still stops the run."""
        reason = self.refusal(url)
        if reason is not None and origin_of(url) not in self.allowed:
            self._breach(reason)
