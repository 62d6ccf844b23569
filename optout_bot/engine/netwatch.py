"""Knowing when a page has finished talking to its server, and how it answered.

Settings pages save with a background fetch() the moment the switch changes (no Save
button). Reloading while that request is in flight would race it, so around the click the
runner watches the page's fetch/XHR requests (`watching()`) and waits until they have all
been answered (bounded), then reloads. "Answered" means the response headers arrived: the
server has decided by then, and a page that never reads the response body (common for a
save) never gets a "requestfinished".

Why only around the click (speed): while Playwright's network events are subscribed to,
every request of every page (scripts, pictures, fonts) travels to Python three or four times.
Subscribed for the whole run, that cost about 30 ms per `run` (A/B, 8 rounds alternated,
six navigations); the change is the only moment optout-bot needs them. How the server
answered the page itself (`document_status`) is read from the page when a failure asks for
it, not collected on every response.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

# The HTTP status of the document the page shows (Chromium 109+; None elsewhere).
_STATUS_JS = (
    "() => { const n = performance.getEntriesByType('navigation')[0];"
    " return n && n.responseStatus ? n.responseStatus : null; }"
)


class NetWatch:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.pending: set[Request] = set()

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Track the page's fetch/XHR requests while the block runs (and `wait_idle` in it)."""
        # Any: Page.on's overloads are keyed by each event's literal name.
        listeners: tuple[tuple[Any, Any], ...] = (
            ("request", self._on_request),
            ("requestfinished", self._on_done),
            ("requestfailed", self._on_done),
            ("response", self._on_response),
        )
        self.pending.clear()
        for event, handler in listeners:
            self.page.on(event, handler)
        try:
            yield
        finally:
            for event, handler in listeners:
                self.page.remove_listener(event, handler)

    def _on_request(self, request: Request) -> None:
        if request.resource_type in ("fetch", "xhr"):
            self.pending.add(request)

    def _on_done(self, request: Request) -> None:
        self.pending.discard(request)

    def _on_response(self, response: Response) -> None:
        self.pending.discard(response.request)

    @property
    def document_status(self) -> int | None:
        """The HTTP status the server gave the document the page shows, if known."""
        try:
            status = self.page.evaluate(_STATUS_JS)
        except Exception:  # noqa: BLE001 - page closed, or navigating: unknown
            return None
        return status if isinstance(status, int) else None

    def wait_idle(self, timeout_ms: int) -> bool:
        """Wait until every fetch/XHR has been answered; False if still busy at the deadline."""
        from playwright.sync_api import TimeoutError as PWTimeout

        deadline = time.monotonic() + timeout_ms / 1000
        while self.pending:
            remaining_ms = (deadline - time.monotonic()) * 1000
            if remaining_ms <= 0:
                return False
            # Wake on the next response (failed requests are caught by the short slice).
            try:
                self.page.wait_for_event("response", timeout=min(remaining_ms, 250))
            except PWTimeout:
                pass
        return True
