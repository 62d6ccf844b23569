"""Turning a `BrowserRequest` into an open browser session: Playwright, the browser to
launch, the replica's host mapping. Used by every command that drives a browser (run,
verify, check, demo, inspect, doctor), so each sets a browser up the same way."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.engine.outcome import RunStop, Status

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

    from optout_bot.app.request import BrowserRequest
    from optout_bot.engine.attach import Debuggable
    from optout_bot.engine.browsers import BrowserChoice
    from optout_bot.engine.session import Session

#: The addresses a replica may listen on: this machine only.
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


@contextlib.contextmanager
def _start_playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


#: Starts Playwright for commands that need a browser. Tests that already run a Playwright
#: instance (pytest-playwright's) swap this to share it: one sync Playwright per thread.
playwright_factory: Callable[[], contextlib.AbstractContextManager[Playwright]] = _start_playwright


def bundled_chromium(pw: Playwright) -> str | None:
    """Playwright's own Chromium, when one is installed."""
    try:
        return pw.chromium.executable_path
    except Exception:  # noqa: BLE001 - no bundled browser registered
        return None


def choose_browser(pw: Playwright, path: str | None) -> BrowserChoice:
    """The browser to launch (raises `BrowserNotFound` saying how to get one)."""
    from optout_bot.engine.browsers import find_browser

    return find_browser(path, bundled_chromium(pw))


def hosts_of(origins: Iterable[str]) -> list[str]:
    """The host names of https origins, in order, each once."""
    hosts = (urlsplit(origin).hostname for origin in origins)
    return [host for host in dict.fromkeys(hosts) if host]


def replica_args(spec: str, hosts: Iterable[str]) -> list[str]:
    """Chromium switches that send `hosts` to a local replica at ``HOST:PORT``."""
    from optout_bot.engine.session import host_mapping_args

    address, sep, port = spec.rpartition(":")
    if not sep or not port.isdigit() or address not in _LOOPBACK:
        raise RunStop(Status.INVALID, f"--replica {spec!r}: expected 127.0.0.1:PORT")
    return host_mapping_args(hosts, f"{address}:{port}")


def attachable() -> list[Debuggable]:
    """The running browsers that allow debugging (``--cdp auto``), best first: those of this
    user's home folder and environment."""
    from optout_bot.engine.attach import attachable as found

    return found()


def attach_target(cdp: str) -> tuple[str, str]:
    """The DevTools URL to attach to and the browser's name as its prompt calls it, for a
    ``--cdp`` value: 'auto' finds the running browser (`RunStop(INVALID)` with the steps
    when there is none); a URL is used as it is."""
    import structlog

    from optout_bot.engine import attach

    if cdp != attach.AUTO:
        if problem := attach.cdp_problem(cdp):
            raise RunStop(Status.INVALID, f"--cdp {attach.shown(cdp)!r}: {problem}")
        return cdp, "Chrome"
    found = attach.scan()
    alive = [entry for entry in found if entry.alive]
    if not alive:
        raise RunStop(Status.INVALID, attach.nothing_found(found))
    chosen, others = alive[0], alive[1:]
    also = {"also_found": ", ".join(o.name for o in others)} if others else {}
    structlog.get_logger("optout_bot").info(
        f"attaching to {chosen.name} at {chosen.address}", **also
    )
    return chosen.ws_url, chosen.kind.product


@contextlib.contextmanager
def browser_session(
    pw: Playwright, request: BrowserRequest, hosts: Iterable[str]
) -> Iterator[Session]:
    """An open session as `request` asks: attached (``cdp``: a DevTools URL, or 'auto' for the
    running browser that allows debugging) or on a kept profile; `hosts` are the site's host
    names, sent to the replica when the request names one."""
    from optout_bot.engine.browsers import BrowserNotFound
    from optout_bot.engine.session import SessionOptions, open_session

    extra = replica_args(request.replica, hosts) if request.replica else []
    browser = None
    cdp_url, attach_name = attach_target(request.cdp) if request.cdp else (None, "Chrome")
    if not request.cdp:
        try:
            browser = choose_browser(pw, request.browser_path)
        except BrowserNotFound as exc:
            raise RunStop(Status.ERROR, str(exc)) from None
    options = SessionOptions(
        platform=request.platform,
        headless=request.headless,
        browser=browser,
        extra_args=extra,
        ignore_https_errors=bool(extra),
        timeout_ms=request.timeout_ms,
        profiles_dir=request.profiles_dir,
        allow_timeout_ms=int(request.allow_timeout * 1000),
        attach_name=attach_name,
    )
    with open_session(
        pw, cdp_url=cdp_url, profile=request.profile or "default", options=options
    ) as session:
        if request.prepare_session is not None:
            request.prepare_session(session)
        yield session
