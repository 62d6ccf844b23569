"""Time stamps as optout-bot writes and reads them: one parser, one writer.

Records say when in ISO 8601 UTC with a ``Z`` and microseconds
(``2026-11-22T14:00:00.000001Z``); evidence folders start with a compact stamp
(``20261122T140000Z``); a `--json` result or a record from elsewhere may carry any ISO form
(with an offset, without a zone, with 1 to 9 fraction digits). `parse_time` reads all of them
the same way everywhere (the store, history, the report, alerts).
"""

from __future__ import annotations

import datetime
import re

UTC = datetime.timezone.utc
#: The compact stamp that starts an evidence folder's name.
FOLDER_STAMP = "%Y%m%dT%H%M%SZ"

_FOLDER = re.compile(r"\d{8}T\d{6}Z")
# Python 3.10's fromisoformat takes exactly 3 or 6 fraction digits, and no trailing "Z".
_FRACTION = re.compile(r"(?<=:\d\d)\.(\d+)")


def parse_time(value: object) -> datetime.datetime | None:
    """`value` as an aware UTC datetime; None if it is absent or not a time we can read.

    A time without a zone is taken as UTC (optout-bot never writes local times)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _FOLDER.fullmatch(text):
        return datetime.datetime.strptime(text, FOLDER_STAMP).replace(tzinfo=UTC)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime.datetime) -> str:
    """`2026-11-22T14:00:00.000001Z`: how records write a moment (always UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def folder_stamp(moment: datetime.datetime) -> str:
    """`20261122T140000Z`: how an evidence folder's name starts."""
    return moment.astimezone(UTC).strftime(FOLDER_STAMP)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(UTC)


def stamp_in(name: str) -> datetime.datetime | None:
    """The folder stamp a file or folder name starts with (`20261122T140000Z-desktop-run`)."""
    match = _FOLDER.match(name)
    return parse_time(match.group(0)) if match else None
