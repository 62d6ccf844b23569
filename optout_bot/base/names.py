"""The names people give that become file names, cron comments and command-line words:
a flow's id, a kept browser profile's name and a flow source's name. One rule each, checked
everywhere against these patterns (the flow loader, the settings file, the scheduler, the
session, the flow sources)."""

from __future__ import annotations

import re

#: A flow id: a slug, e.g. ``linkedin-ai-training``.
FLOW_ID_PATTERN = r"[a-z0-9][a-z0-9-]{1,63}"
#: A kept profile's name, e.g. ``default`` or ``work.2``.
PROFILE_NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"

#: A flow source's name (a folder of its own), a slug like a flow id: ``friends-flows``.
SOURCE_NAME_PATTERN = FLOW_ID_PATTERN

FLOW_ID = re.compile(FLOW_ID_PATTERN)
SOURCE_NAME = re.compile(SOURCE_NAME_PATTERN)
PROFILE_NAME = re.compile(PROFILE_NAME_PATTERN)


def is_flow_id(text: str) -> bool:
    return FLOW_ID.fullmatch(text) is not None


def is_profile_name(text: str) -> bool:
    return PROFILE_NAME.fullmatch(text) is not None


def is_source_name(text: str) -> bool:
    return SOURCE_NAME.fullmatch(text) is not None


def site_slug(site: str) -> str:
    """A site's name as a file-name stem, e.g. ``linkedin`` for LinkedIn (a site file in the
    user's flows folder is kept under it)."""
    return re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-")[:64] or "site"
