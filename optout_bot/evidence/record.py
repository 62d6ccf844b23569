"""The evidence record: what one run's record holds, described once.

The store keeps each record as canonical JSON text, and its hash covers that text; `Record`
is the typed reading of such a body (for the recorder that begins it, the store that
verifies it, history, the report and alerts) and the shape a new one is written in.

Reading is lenient on purpose: records written by older versions lack fields added since
(`site`, `setting`), a newer version may add keys this one does not know, and a damaged
record may have anything anywhere. `Record.from_json` never raises: a missing or ill-typed
field reads as its default, and unknown keys are kept in `extra`. Nothing is ever written
back from a `Record` that was read: verification hashes the stored text, never `to_json()`.

Paths (`evidence_dir`, each screenshot's `path`) are as recorded: relative to the store's
folder in new records, absolute in older ones (see `evidence.layout`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from optout_bot import __version__
from optout_bot.base import times

SCHEMA = 1


def _text(value: object, default: str = "") -> str:
    if value is None or value == "":
        return default
    return value if isinstance(value, str) else str(value)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class FlowRef:
    """Which flow file the run followed."""

    id: str = ""
    version: str = ""
    sha256: str = ""
    path: str = ""

    @classmethod
    def from_json(cls, value: object) -> FlowRef:
        if isinstance(value, Mapping):
            return cls(*(_text(value.get(f.name)) for f in fields(cls)))
        return cls(id=_text(value))  # a bare id (hand-made or damaged records)

    def to_json(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file name, where it was recorded, its sha256 when taken."""

    name: str
    path: str
    sha256: str = ""
    #: False for an entry that was not an object (a bare path, or junk): nothing to check
    described: bool = True

    @classmethod
    def from_json(cls, value: object) -> Shot:
        if isinstance(value, Mapping):
            return cls(
                _text(value.get("name")),
                _text(value.get("path")),
                _text(value.get("sha256")),
            )
        return cls("", value if isinstance(value, str) else "", "", described=False)

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "path": self.path, "sha256": self.sha256}


#: Keys `to_json()` leaves out while they are empty: milestones only some runs reach.
_OPTIONAL = ("route", "route_reason", "moved_url", "diagnosis", "recovered_at", "pages")


@dataclass(frozen=True)
class Record:
    """One run's evidence record (see the module docstring for how it is read)."""

    id: str = ""
    schema: int = SCHEMA
    #: the chain: assigned by the store when the run finishes
    seq: int | None = None
    prev_hash: str = ""
    hash: str = ""
    started_at: str = ""
    ended_at: str | None = None
    #: when a store found the run's process gone and finished it as "interrupted"
    recovered_at: str | None = None
    tool_version: str = __version__
    flow: FlowRef = field(default_factory=FlowRef)
    #: the flow's site and setting names, so nobody needs the flow file to say what this was
    site: str = ""
    setting: str = ""
    platform: str = ""
    mode: str = ""
    session: str = ""
    state_before: str = "unknown"
    state_after: str = "unknown"
    wanted: str = ""
    changed: bool = False
    persisted: bool | None = None
    status: str = "running"
    exit_code: int | None = None
    reason: str = ""
    final_url: str = ""
    switch: Mapping[str, Any] | None = None
    route: str = ""
    route_reason: str = ""
    #: where the setting's page was found when the flow expected another address
    moved_url: str = ""
    diagnosis: str = ""
    evidence_dir: str = ""
    screenshots: tuple[Shot, ...] = ()
    #: the setting's page as it was after the reload, one file each (MHTML): hashed like a
    #: screenshot, private, not exported unless asked for
    pages: tuple[Shot, ...] = ()
    #: keys this version does not know (a newer optout-bot's), kept as they were
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: the stored text could not be read at all (only seq and id are known)
    damaged: bool = False

    @classmethod
    def from_json(cls, body: object) -> Record:
        """A stored body (or record.json, or anything claiming to be one), read leniently."""
        data: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
        shots = data.get("screenshots")
        pages = data.get("pages")
        persisted = data.get("persisted")
        switch = data.get("switch")
        return cls(
            id=_text(data.get("id")),
            schema=_int(data.get("schema")) or SCHEMA,
            seq=_int(data.get("seq")),
            prev_hash=_text(data.get("prev_hash")),
            hash=_text(data.get("hash")),
            started_at=_text(data.get("started_at")),
            ended_at=_text(data.get("ended_at")) or None,
            recovered_at=_text(data.get("recovered_at")) or None,
            tool_version=_text(data.get("tool_version")),
            flow=FlowRef.from_json(data.get("flow")),
            site=_text(data.get("site")),
            setting=_text(data.get("setting")),
            platform=_text(data.get("platform")),
            mode=_text(data.get("mode")),
            session=_text(data.get("session")),
            state_before=_text(data.get("state_before"), "unknown"),
            state_after=_text(data.get("state_after"), "unknown"),
            wanted=_text(data.get("wanted")),
            changed=data.get("changed") is True,
            persisted=persisted if isinstance(persisted, bool) else None,
            status=_text(data.get("status"), "unknown"),
            exit_code=_int(data.get("exit_code")),
            reason=_text(data.get("reason")),
            final_url=_text(data.get("final_url")),
            switch=switch if isinstance(switch, Mapping) else None,
            route=_text(data.get("route")),
            route_reason=_text(data.get("route_reason")),
            moved_url=_text(data.get("moved_url")),
            diagnosis=_text(data.get("diagnosis")),
            evidence_dir=_text(data.get("evidence_dir")),
            screenshots=tuple(Shot.from_json(s) for s in shots) if isinstance(shots, list) else (),
            pages=tuple(Shot.from_json(s) for s in pages) if isinstance(pages, list) else (),
            extra={k: v for k, v in data.items() if k not in _KNOWN},
            damaged=data.get("damaged") is True,
        )

    def to_json(self) -> dict[str, Any]:
        """The body in today's shape (what a new record is begun with)."""
        body: dict[str, Any] = dict(self.extra)
        for f in fields(self):
            if f.name in ("extra", "damaged", "seq", "prev_hash", "hash"):
                continue
            value = getattr(self, f.name)
            if f.name in _OPTIONAL and not value:
                continue
            if f.name == "flow":
                value = self.flow.to_json()
            elif f.name in ("screenshots", "pages"):
                value = [s.to_json() if s.described else s.path for s in value]
            elif f.name == "switch" and value is not None:
                value = dict(value)
            body[f.name] = value
        for key in ("seq", "prev_hash", "hash"):  # the chain's, once it has them
            if getattr(self, key):
                body[key] = getattr(self, key)
        if self.damaged:
            body["damaged"] = True
        return body

    # -- what readers ask

    @property
    def started(self) -> datetime.datetime | None:
        return times.parse_time(self.started_at)

    @property
    def ended(self) -> datetime.datetime | None:
        return times.parse_time(self.ended_at)

    @property
    def ref(self) -> dict[str, Any]:
        """{"seq", "id", "hash"}: how a run's result names its record."""
        return {"seq": self.seq, "id": self.id, "hash": self.hash}


_KNOWN = frozenset(f.name for f in fields(Record)) - {"extra"}
