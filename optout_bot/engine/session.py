"""The user's own logged-in browser, behind one small interface.

Two kinds of session:

- `CdpSession` attaches to the user's running Chrome/Chromium (debugging allowed at
  chrome://inspect/#remote-debugging and found by `engine.attach`, or a DevTools URL), opens
  one new tab in its existing, signed-in context, and on close removes only that tab: the
  user's browser and other tabs stay as they were.
- `ProfileSession` launches a browser on a profile that optout-bot keeps in its data dir. The
  user signs in there once by hand; later runs reuse it. A lock file keeps two runs from
  sharing one profile.

Neither reads, stores or logs cookies, passwords or tokens: they stay inside the browser.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from optout_bot.base import paths
from optout_bot.base.names import is_profile_name
from optout_bot.engine import attach
from optout_bot.engine.browsers import BrowserChoice
from optout_bot.engine.features import quiet_features_args
from optout_bot.engine.outcome import RunStop, Status, first_line
from optout_bot.flow.model import Platform

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, Playwright

#: The phone optout-bot pretends to be for --platform mobile (a Playwright device descriptor).
MOBILE_DEVICE = "Pixel 7"
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}

# Without these, Chromium spends its first seconds phoning home (and stalls on closed networks).
QUIET_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-default-browser-check",
]

#: A flow's locator patterns run in the page as JavaScript RegExps, in V8's backtracking engine.
#: The loader keeps them to a shape that cannot backtrack for long (`flow.patterns`); this
#: switch is the second layer, in every browser optout-bot launches: V8 falls back to its
#: linear-time engine when a match backtracks too much. (Checked in tests/test_patterns.py:
#: /(a+)+$/ on forty a's and a b returns at once with it, and hangs the page without.)
SAFE_REGEXP_ARGS = ["--js-flags=--enable-experimental-regexp-engine-on-excessive-backtracks"]
#: The switches of every browser optout-bot launches.
LAUNCH_ARGS = QUIET_ARGS + SAFE_REGEXP_ARGS


def host_mapping_args(hosts: Iterable[str], address: str) -> list[str]:
    """Chromium switches that resolve each of `hosts` to `address` (``127.0.0.1:PORT``): how
    the tests, the demo and ``--replica`` reach a local replica under the real host names."""
    rules = ", ".join(f"MAP {host} {address}" for host in hosts)
    return [f"--host-resolver-rules={rules}"]


@dataclass
class SessionOptions:
    platform: Platform = "desktop"
    headless: bool = False
    browser: BrowserChoice | None = None
    #: Extra Chromium switches (e.g. the replica's host mapping).
    extra_args: list[str] = field(default_factory=list)
    ignore_https_errors: bool = False
    timeout_ms: int = 15_000
    #: Where profiles live (default: profiles/ in optout-bot's data folder).
    profiles_dir: Path | None = None
    #: How long attaching over a WebSocket may wait for the person to click Allow in the
    #: browser's "allow this connection?" prompt (the sign-in wait, `login_timeout`).
    allow_timeout_ms: int = 300_000
    #: The attached browser's name, as its prompt goes by ("Chrome is asking you ...").
    attach_name: str = "Chrome"


def mobile_descriptor(pw: Playwright) -> dict[str, Any]:
    device = dict(pw.devices[MOBILE_DEVICE])
    device.pop("default_browser_type", None)
    return device


class Session:
    """A place to open one page in the user's signed-in browser."""

    kind: str = ""

    #: Can a person sign in, in a window we opened, while the run waits?
    interactive: bool = False

    def new_page(self) -> Page:
        raise NotImplementedError

    def devtools(self, page: Page) -> CDPSession | None:
        """The DevTools session that emulates `page`, if this session made one (screenshots
        go through it: see `capture.Camera`)."""
        return None

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CdpSession(Session):
    kind = "cdp"
    interactive = False

    def __init__(self, pw: Playwright, url: str, options: SessionOptions) -> None:
        self.options = options
        #: the tabs this run opened (each flow of a run gets one), closed at the end
        self._pages: list[Page] = []
        self._emulation: dict[Page, CDPSession] = {}
        self.browser: Browser = _connect(pw, url, options)
        if not self.browser.contexts:
            self.browser.close()
            raise RunStop(
                Status.ERROR, f"the browser at {attach.shown(url)} has no open window to work in"
            )
        self.context: BrowserContext = self.browser.contexts[0]

    def new_page(self) -> Page:
        page = self.context.new_page()
        self._pages.append(page)
        if self.options.platform == "mobile":
            self._emulation[page] = _emulate_mobile_over_cdp(page, self.context)
        page.set_default_timeout(self.options.timeout_ms)
        return page

    def close(self) -> None:
        # Close only the tab we opened. For a browser reached with connect_over_cdp,
        # Browser.close() only disconnects (Playwright docs: "In case this browser is
        # connected to, clears all created contexts belonging to this browser and disconnects
        # from the browser server"); the user's browser and its other tabs stay.
        try:
            for page in self._pages:
                if not page.is_closed():
                    page.close()
        except Exception:  # noqa: BLE001 - the browser may be gone already
            pass
        finally:
            self._pages = []
            self._emulation = {}
            try:
                self.browser.close()
            except Exception:  # noqa: BLE001
                pass

    def devtools(self, page: Page) -> CDPSession | None:
        return self._emulation.get(page)


#: Seconds a WebSocket connect may take before the person is told the browser is asking them
#: to allow it (the prompt of a browser that allows debugging from chrome://inspect).
ALLOW_NOTICE_S = 2.0


def _connect(pw: Playwright, url: str, options: SessionOptions) -> Browser:
    """Attach to the browser at `url`.

    A browser that allows debugging from chrome://inspect/#remote-debugging asks the person
    to allow each connection, and the connect waits until they click. So a WebSocket connect
    may take as long as a sign-in by hand (`allow_timeout_ms`); when it has not answered
    within `ALLOW_NOTICE_S`, the person is told, once, to click Allow. An ``http://`` URL is a
    browser started with --remote-debugging-port, which never asks: the step timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    log = structlog.get_logger("optout_bot")
    where = attach.shown(url)
    asks = url.startswith(("ws://", "wss://"))
    timeout_ms = options.allow_timeout_ms if asks else options.timeout_ms
    seconds = round(timeout_ms / 1000)
    told = threading.Event()

    def tell() -> None:
        told.set()
        log.warning(
            f"{options.attach_name} is asking you to allow optout-bot: click Allow "
            f"(optout-bot waits up to {seconds} s)"
        )

    notice = threading.Timer(ALLOW_NOTICE_S, tell) if asks else None
    if notice is not None:
        notice.daemon = True
        notice.start()
    try:
        return pw.chromium.connect_over_cdp(url, timeout=timeout_ms)
    except Exception as exc:  # noqa: BLE001 - Playwright raises plain Error here
        if notice is not None:
            notice.cancel()
        if told.is_set() and isinstance(exc, PlaywrightTimeout):
            raise RunStop(
                Status.ERROR,
                f"{options.attach_name} at {where} did not let optout-bot attach within "
                f"{seconds} s: nobody clicked Allow. Run again and click Allow when "
                f"{options.attach_name} asks (--login-timeout, or `login_timeout` in the "
                "settings file, waits longer)",
            ) from None
        if asks:
            fix = (
                f"Is debugging still allowed at {attach.INSPECT_PAGE}, and was the connection "
                "allowed? Run again and click Allow when the browser asks"
            )
        else:
            fix = (
                "Is a browser listening there? For your everyday browser, allow debugging at "
                f"{attach.INSPECT_PAGE} and use --cdp auto; a browser started with "
                "--remote-debugging-port=9222 (and its own --user-data-dir) is at "
                "--cdp http://127.0.0.1:9222"
            )
        raise RunStop(
            Status.ERROR,
            f"cannot attach to a browser at {where}: {attach.scrubbed(first_line(exc))}. {fix}",
        ) from None
    finally:
        if notice is not None:
            notice.cancel()


def _emulate_mobile_over_cdp(page: Page, context: BrowserContext) -> CDPSession:
    """Make one tab of the user's desktop browser look like a phone, via DevTools."""
    device = _PHONE
    cdp = context.new_cdp_session(page)
    viewport = device["viewport"]
    cdp.send(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": viewport["width"],
            "height": viewport["height"],
            "deviceScaleFactor": device["device_scale_factor"],
            "mobile": True,
        },
    )
    cdp.send("Emulation.setUserAgentOverride", {"userAgent": device["user_agent"]})
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    return cdp


# Filled from Playwright's descriptor at first use (see `_load_phone`), so the CDP emulation
# and the profile launch use one and the same phone.
_PHONE: dict[str, Any] = {}


def _load_phone(pw: Playwright) -> dict[str, Any]:
    if not _PHONE:
        _PHONE.update(mobile_descriptor(pw))
    return _PHONE


class ProfileSession(Session):
    kind = "profile"

    def __init__(self, pw: Playwright, name: str, options: SessionOptions) -> None:
        from filelock import FileLock, Timeout

        if not is_profile_name(name):
            raise RunStop(
                Status.INVALID,
                f"--profile {name!r}: use letters, digits, '.', '_' or '-' (up to 64)",
            )
        if options.browser is None:
            raise RunStop(Status.ERROR, "no browser to launch")
        if not options.headless and _no_display():
            raise RunStop(
                Status.INVALID,
                "there is no display to open a browser window on. Run with --headless "
                "(the profile must already be signed in) or attach to your browser with --cdp",
            )
        self.options = options
        self.interactive = not options.headless
        #: the tabs handed out so far (each flow of a run gets one of its own)
        self._handed: list[Page] = []
        self._windows = 0
        self._devtools: CDPSession | None = None
        base = paths.private_dir(options.profiles_dir or paths.profiles_dir())
        self.profile_dir = base / name
        self._lock = FileLock(str(base / f"{name}.lock"))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise RunStop(
                Status.ERROR,
                f"profile {name!r} is in use by another optout-bot run; wait for it to "
                "finish, or use another --profile",
            ) from None
        try:
            self.context = self._launch(pw, options)
        except BaseException:
            self._lock.release()
            raise

    def _launch(self, pw: Playwright, options: SessionOptions) -> BrowserContext:
        assert options.browser is not None
        paths.private_dir(self.profile_dir)
        device: dict[str, Any]
        if options.platform == "mobile":
            device = _load_phone(pw)
        else:
            device = {"viewport": DESKTOP_VIEWPORT}
        try:
            return pw.chromium.launch_persistent_context(
                str(self.profile_dir),
                executable_path=options.browser.path,
                headless=options.headless,
                args=LAUNCH_ARGS + options.extra_args + quiet_features_args(),
                ignore_https_errors=options.ignore_https_errors,
                timeout=60_000,
                **device,
            )
        except Exception as exc:  # noqa: BLE001
            raise RunStop(
                Status.ERROR,
                f"could not start {options.browser.path} on profile {self.profile_dir}: "
                f"{first_line(exc)}. Is that profile open in another browser window?",
            ) from None

    def new_page(self) -> Page:
        # A persistent context opens with one blank tab: use it rather than a second window,
        # once. Each further flow of the run gets a window of its own (`_new_window`).
        blank = [
            p for p in self.context.pages if p.url in ("about:blank", "") and p not in self._handed
        ]
        page = blank[0] if blank else self._new_window()
        self._handed.append(page)
        page.set_default_timeout(self.options.timeout_ms)
        return page

    def _new_window(self) -> Page:
        """A page in a window of its own, not a tab behind the first one.

        Chromium draws only the tab in front of each window, even headless: a flow working in
        a tab behind another waited about a second on each click and each screenshot (no new
        frames came to show the click landed or to capture), so three flows at once took
        longer than one after the other. Playwright opens tabs only, so the window is asked
        of DevTools, with a marker in its address (its own ``#fragment`` of about:blank) to
        tell it from the windows other flows of the run open at the same moment. When that
        fails, a tab: slower, the same results."""
        self._windows += 1
        marker = f"about:blank#optout-bot-window-{self._windows}"
        try:
            if self._devtools is None:
                self._devtools = self.context.new_cdp_session(self._handed[0])
            with self.context.expect_page(
                lambda page: page.url == marker, timeout=self.options.timeout_ms
            ) as opened:
                self._devtools.send("Target.createTarget", {"url": marker, "newWindow": True})
            return opened.value
        except Exception:  # noqa: BLE001 - no DevTools, first page gone, or no window came
            return self.context.new_page()

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:  # noqa: BLE001 - browser already gone (killed, window closed)
            pass
        finally:
            self._lock.release()


def open_session(
    pw: Playwright, *, cdp_url: str | None, profile: str, options: SessionOptions
) -> Session:
    _load_phone(pw)
    if cdp_url:
        return CdpSession(pw, cdp_url, options)
    return ProfileSession(pw, profile, options)


def _no_display() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
