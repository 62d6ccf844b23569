"""Knowing when a page has finished talking to its server.

Settings pages save with a background fetch() the moment the switch changes (no Save
button). Reloading while that request is in flight would race it, so after a click the
runner waits until the page's fetch/XHR requests have all been answered (bounded), then
reloads. "Answered" means the response headers arrived: the server has decided by then, and a
page that never reads the response body (common for a save) never gets a "requestfinished".
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response


class NetWatch:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.pending: set[Request] = set()
        self.last_document_status: int | None = None
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_done)
        page.on("response", self._on_response)

    def _on_request(self, request: Request) -> None:
        if request.resource_type in ("fetch", "xhr"):
            self.pending.add(request)

    def _on_done(self, request: Request) -> None:
        self.pending.discard(request)

    def _on_response(self, response: Response) -> None:
        request = response.request
        self.pending.discard(request)
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self.last_document_status = response.status

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
