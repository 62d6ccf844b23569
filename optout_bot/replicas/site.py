"""The seam between the replica's one HTTPS server and the sites it plays.

One local server answers for every site (server.py), by the request's Host header: LinkedIn's
pages are the server's own (the first replica, in server.py, pages.py, state.py, ...); every
other site is a `Site` in a module of its own (`replicas/<name>.py`, its page text in files
beside it), listed in `bundled_sites()`. A site sees a `Request` and returns a `Response`: it
keeps its own server-side state (thread-safe: the server answers each connection on a thread
of its own), decides what a signed-in or signed-out visitor gets, and may fail a save on
purpose. What every site shares comes from the server: TLS with one throwaway certificate
for every host, the bounds on bodies and connections, and the scenario's latency
(`Scenario.slow_ms`) before every answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Request:
    """One request, as a site sees it."""

    method: str
    host: str
    path: str
    #: the last value of each query parameter
    query: Mapping[str, str]
    cookies: Mapping[str, str]
    #: header names in lower case
    headers: Mapping[str, str]
    body: bytes = b""
    #: sent by a phone's browser (its User-Agent), for the mobile layout
    mobile: bool = False

    def json(self) -> Any:
        """The body as JSON (None when it is not)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


@dataclass
class Response:
    """What a site answers. The server adds Content-Length, no caching, nosniff, and a strict
    Content-Security-Policy unless the site gives its own in `headers`."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    #: whole Set-Cookie values
    cookies: list[str] = field(default_factory=list)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode("utf-8"))

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(data).encode("utf-8"), "application/json")

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> Response:
        """To an absolute https URL (a site knows its own origin)."""
        return cls(status, b"", "text/plain", [("Location", location)])

    def set_cookie(self, name: str, value: str, *, max_age: int, http_only: bool = True) -> None:
        flags = "; HttpOnly" if http_only else ""
        self.cookies.append(
            f"{name}={value}; Max-Age={max_age}; Path=/; Secure; SameSite=Lax{flags}"
        )


class Site(Protocol):
    """A site the replica plays besides LinkedIn."""

    #: a short name, for `Replica.site(name)` ("chatgpt", "x")
    name: str
    #: every host name it answers for (the first is its canonical one)
    hosts: tuple[str, ...]

    def handle(self, request: Request) -> Response:
        """The answer to one request (404 pages included)."""
        ...

    def sign_in_cookies(self, account: str) -> list[dict[str, Any]]:
        """A fresh signed-in session for `account`, as cookies for Playwright's
        `BrowserContext.add_cookies()` (the account is created if new)."""
        ...

    def expire_sessions(self) -> None:
        """Forget every session, as sessions expire: a browser still holds its cookies, and
        the site shows itself signed out to it."""
        ...


def bundled_sites() -> list[Site]:
    """A new instance of every site module, each with fresh state."""
    from optout_bot.replicas import x
    from optout_bot.replicas.chatgpt import ChatGPT

    return [ChatGPT(), x.X()]
