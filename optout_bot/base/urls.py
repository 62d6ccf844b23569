"""The one way optout-bot names a URL's origin."""

from __future__ import annotations

from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """``scheme://host[:port]``: the host lower-cased, the port left out when it is 443, no
    user name. A URL whose port cannot be read keeps its raw host part, which then matches no
    allowed origin."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return f"{parts.scheme}://{parts.netloc}"
    host = (parts.hostname or "").lower()
    return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, 443) else "")
