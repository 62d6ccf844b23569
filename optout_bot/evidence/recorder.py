"""The evidence of one run: its screenshots folder and its record in the evidence store.

One recorder, one lifecycle: `Evidence(...)` begins a pending record, every screenshot and
milestone is committed to the store as it happens (so a crash or a kill keeps what was seen
so far), and `finish(result)` moves the record into the hash chain and writes `record.json`
beside the screenshots.

The folder layout and how recorded paths stay true when the data folder moves are in
`evidence.layout`. Folders are 0700 and files 0600 on POSIX: screenshots show a signed-in
account.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from optout_bot.base import times
from optout_bot.base.files import write_private
from optout_bot.base.paths import home_relative
from optout_bot.engine.capture import Camera
from optout_bot.evidence.layout import run_folder, safe_name
from optout_bot.evidence.record import FlowRef, Record

if TYPE_CHECKING:
    from collections.abc import Sequence

    from playwright.sync_api import CDPSession, Page

    from optout_bot.engine.outcome import Result
    from optout_bot.evidence.store import EvidenceStore
    from optout_bot.flow.model import Flow, Locator

log = structlog.get_logger("optout_bot")

__all__ = ["Evidence", "record_fields", "safe_name"]


class Evidence:
    def __init__(
        self,
        root: Path,
        flow: Flow,
        platform: str,
        mode: str,
        store: EvidenceStore | None = None,
        session: str = "",
    ) -> None:
        started = times.utc_now()
        # The folder's name and the record's start are the same moment.
        self.dir = run_folder(root, flow.id, platform, mode, started)
        self.screenshots: list[Path] = []
        self.pages: list[Path] = []
        self._camera: Camera | None = None
        self.store = store
        self.run_id: str | None = None
        #: the finished record, once `finish()` put it into the chain
        self.record: Record | None = None
        if store is not None:
            self.run_id = store.begin(
                Record(
                    started_at=times.iso(started),
                    flow=FlowRef(
                        flow.id,
                        flow.version,
                        flow.sha256,
                        home_relative(flow.source) if flow.source else "",
                    ),
                    site=flow.site,
                    setting=flow.setting,
                    platform=platform,
                    mode=mode,
                    session=session,
                    wanted=flow.switch.wanted,
                    evidence_dir=str(self.dir),
                )
            )

    def screenshot(
        self,
        page: Page,
        name: str,
        timeout_ms: int = 15_000,
        mask: Sequence[Locator] = (),
        devtools: CDPSession | None = None,
    ) -> Path:
        path = self.dir / f"{len(self.screenshots) + 1:02d}-{safe_name(name)}.png"
        png = self._camera_for(page, devtools).png(mask, timeout_ms)
        # Private from the first byte (it shows a signed-in account), never over an older file,
        # and on disk before the record names it.
        write_private(path, png, replace=False)
        self.screenshots.append(path)
        if self.store is not None and self.run_id is not None:
            self._store_call("add_screenshot", self.run_id, path)
        return path

    def page_snapshot(self, page: Page, name: str, devtools: CDPSession | None = None) -> Path:
        """The page as one MHTML file (what the page said, beside what it looked like), hashed
        into the record like a screenshot."""
        path = self.dir / f"page-{safe_name(name)}.mhtml"
        write_private(path, self._camera_for(page, devtools).mhtml(), replace=False)
        self.pages.append(path)
        if self.store is not None and self.run_id is not None:
            self._store_call("add_screenshot", self.run_id, path, key="pages")
        return path

    def _camera_for(self, page: Page, devtools: CDPSession | None) -> Camera:
        """The page's camera: one per page, so its DevTools session is opened once."""
        if self._camera is None or self._camera.page is not page:
            self._camera = Camera(page, devtools)
        return self._camera

    def note(self, **fields: Any) -> None:
        """Commit what the run has found out so far (a kill later keeps it)."""
        if self.store is not None and self.run_id is not None:
            self._store_call("update", self.run_id, **fields)

    def finish(self, result: Result) -> dict[str, Any] | None:
        """Close the record: into the hash chain, and record.json beside the screenshots."""
        if self.store is None or self.run_id is None:
            return None
        body = self._store_call("finish", self.run_id, **record_fields(result))
        self.run_id = None
        if body is not None:
            self.record = Record.from_json(body)
        return body

    def _store_call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        from optout_bot.evidence.store import StoreError

        assert self.store is not None
        try:
            return getattr(self.store, method)(*args, **kwargs)
        except (StoreError, sqlite3.Error, OSError) as exc:
            # The screenshots are on disk whatever happens; a store hiccup must not stop the
            # member's opt-out half-way. It is said loudly, and the record stays pending (it
            # will be recovered as interrupted).
            log.warning("could not write the evidence record", error=str(exc))
            return None


def record_fields(result: Result) -> dict[str, Any]:
    """The parts of a run's result that go into its evidence record."""
    switch = None
    if result.switch_locator:
        switch = {
            "locator": result.switch_locator,
            "alternative": result.switch_alternative,
            "method": result.switch_method,
            "attributes": result.switch_attributes,
            "state": result.state_after,
        }
    return {
        "status": result.status.value,
        "exit_code": result.exit_code,
        "reason": result.reason,
        "state_before": result.state_before,
        "state_after": result.state_after,
        "changed": result.changed,
        "persisted": result.persisted,
        "final_url": result.final_url,
        "session": result.session,
        "switch": switch,
        "route": result.route,
        "moved_url": result.moved_url,
        "diagnosis": result.diagnosis,
    }
