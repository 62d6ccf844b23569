"""Showing a secret-bearing URL safely. Notification URLs (Apprise) often carry a token or
a password; the settings display, error messages and alert reports show them redacted."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit


def redact(url: str) -> str:
    """A notification URL safe to show: its scheme and host, e.g. ``ntfy://ntfy.sh/…``.

    Many Apprise URLs carry a token where a host would be (``tgram://BOTTOKEN/CHAT``,
    ``discord://WEBHOOK_ID/TOKEN``), so the host is kept only when it looks like one: a
    dotted name, ``localhost`` or an IP address.
    """
    try:
        parts = urlsplit(url.strip())
        scheme, host = parts.scheme, parts.hostname or ""
    except ValueError:
        return "…"
    if not scheme:
        return "…"
    if not _looks_like_host(host):
        return f"{scheme}://…"
    return f"{scheme}://{host}/…"


def _looks_like_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    return len(labels) >= 2 and all(re.fullmatch(r"[a-z0-9-]{1,63}", label) for label in labels)
