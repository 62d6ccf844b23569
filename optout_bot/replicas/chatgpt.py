"""ChatGPT (https://chatgpt.com), played by the replica around "Improve the model for everyone".

As the real one, it is a single-page app: every page of the app is one HTML shell, and its
script (chatgpt/app.js) draws the rest from the session, the URL's fragment and the account's
settings. The settings are a modal dialog over the chat, opened from the profile menu (the
button bottom-left in the sidebar; top-right in the header on a phone), on the tab the
fragment names (``#settings/DataControls``: a reload opens it again). The switch itself sits
in a second dialog, behind the "Improve the model for everyone" row's button, and is saved
the moment it is toggled; the page flips it back when the save fails. Signed out, the same
app shows "Log in" and "Sign up" at the same URL; /auth/login is the sign-in page.

The server side, as the app sees it:

- ``GET /api/auth/session``: ``{}`` signed out, else the user and a bearer token (the session
  is the ``__Secure-next-auth.session-token`` cookie; ``oai-client-auth-info`` carries the
  user's name for the page, as the real site sets it);
- ``GET /backend-api/settings/user`` (bearer): ``{"settings": {"training_allowed": ...}}``;
- ``POST /backend-api/settings/account_user_setting?feature=training_allowed&value=false``
  (bearer): the save, recorded in `writes`, failed on purpose by `ChatGPTScenario`.

Page text (HTML, CSS, JS) is in the files of chatgpt/, read once.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import secrets
import string
import threading
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote

from optout_bot.replicas.site import Request, Response
from optout_bot.replicas.state import DEFAULT_ACCOUNT, DEFAULT_NAME

HOST = "chatgpt.com"
ORIGIN = f"https://{HOST}"
SESSION_COOKIE = "__Secure-next-auth.session-token"
AUTH_INFO_COOKIE = "oai-client-auth-info"
SESSION_MAX_AGE_S = 30 * 24 * 3600
#: The account setting behind "Improve the model for everyone" (on unless switched off).
TRAINING = "training_allowed"
#: The account settings the API knows, with their defaults.
DEFAULTS = {TRAINING: True}

#: The app's own files: served under /cdn/assets/, from a folder beside this module.
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
#: The server's strict policy, but for the app's script and stylesheet (its own origin).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_CHAT_PATH = re.compile(r"/(c/[0-9a-f-]{8,64})?")


@dataclass
class ChatGPTScenario:
    """How the ChatGPT replica misbehaves. The defaults are a healthy site."""

    #: The settings API answers 500: the page puts the switch back and shows an error.
    save_fails: bool = False
    #: The settings API answers 200 but stores nothing (a reload shows the old value).
    save_lost: bool = False
    #: The account's settings load this many milliseconds late (server side), so the Data
    #: controls tab shows a spinner first.
    settings_slow_ms: int = 0


@functools.cache
def _text(name: str) -> str:
    folder = resources.files("optout_bot.replicas").joinpath("chatgpt")
    return folder.joinpath(name).read_text("utf-8")


def _name_of(account: str) -> str:
    if account == DEFAULT_ACCOUNT:
        return DEFAULT_NAME
    local = account.split("@", 1)[0]
    return " ".join(part.capitalize() for part in re.split(r"[._-]+", local) if part) or account


class ChatGPT:
    """The ChatGPT site of the replica (see the module): thread-safe, one per `Replica`."""

    name = "chatgpt"
    hosts: tuple[str, ...] = (HOST,)

    def __init__(self, scenario: ChatGPTScenario | None = None) -> None:
        self.scenario = scenario if scenario is not None else ChatGPTScenario()
        self._lock = threading.Lock()
        #: account -> its settings
        self._settings: dict[str, dict[str, bool]] = {}
        #: session cookie -> account; bearer token -> account
        self._sessions: dict[str, str] = {}
        self._bearers: dict[str, str] = {}
        #: one dict per save request: feature, value, account, stored, status
        self.writes: list[dict[str, Any]] = []
        #: (method, path) of every request, in order
        self.requests: list[tuple[str, str]] = []

    # -- for tests ---------------------------------------------------------------------------

    def get_setting(self, account: str = DEFAULT_ACCOUNT) -> bool:
        """Whether "Improve the model for everyone" is on for `account`, server side."""
        with self._lock:
            return self._account(account)[TRAINING]

    def set_setting(self, value: bool, account: str = DEFAULT_ACCOUNT) -> None:
        """Store the setting server side (the account is created if new)."""
        with self._lock:
            self._account(account)[TRAINING] = value

    def sign_in_cookies(self, account: str) -> list[dict[str, Any]]:
        session = self._new_session(account)
        expires = time.time() + SESSION_MAX_AGE_S
        common = {"domain": HOST, "path": "/", "expires": expires, "secure": True}
        return [
            {"name": SESSION_COOKIE, "value": session, "httpOnly": True, "sameSite": "Lax",
             **common},
            {"name": AUTH_INFO_COOKIE, "value": self._auth_info(account), "httpOnly": False,
             "sameSite": "Lax", **common},
        ]  # fmt: skip

    def expire_sessions(self) -> None:
        with self._lock:
            self._sessions.clear()
            self._bearers.clear()

    # -- state -------------------------------------------------------------------------------

    def _account(self, account: str) -> dict[str, bool]:
        """The account's settings, created with the defaults (call with the lock held)."""
        return self._settings.setdefault(account, dict(DEFAULTS))

    def _new_session(self, account: str) -> str:
        with self._lock:
            self._account(account)
            token = secrets.token_urlsafe(32)
            self._sessions[token] = account
            return token

    def _auth_info(self, account: str) -> str:
        user = {"user": {"name": _name_of(account), "email": account}, "loggedInWithMfa": False}
        return quote(json.dumps(user, separators=(",", ":")))

    def _session_account(self, request: Request) -> str | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))

    def _bearer_account(self, request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        with self._lock:
            return self._bearers.get(token)

    # -- requests ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.requests.append((request.method, request.path))
        scenario = dataclasses.replace(self.scenario)  # one snapshot per request
        path, method = request.path, request.method
        if method == "GET" and _CHAT_PATH.fullmatch(path):
            return self._shell(request)
        if method == "GET" and path.startswith("/cdn/assets/"):
            return self._asset(path.removeprefix("/cdn/assets/"))
        if path == "/api/auth/session" and method == "GET":
            return self._session(request)
        if path == "/backend-api/settings/user" and method == "GET":
            return self._user_settings(request, scenario)
        if path == "/backend-api/settings/account_user_setting" and method == "POST":
            return self._save(request, scenario)
        if path == "/auth/login":
            return self._login(request) if method == "GET" else self._login_submit(request)
        if path == "/api/auth/signout" and method == "POST":
            return self._sign_out(request)
        if path.startswith(("/api/", "/backend-api/")):
            return Response.json({"detail": "Not Found"}, 404)
        return self._page(_text("not-found.html"), 404)

    def _page(self, text: str, status: int = 200, **values: str) -> Response:
        response = Response.html(string.Template(text).substitute(values), status)
        response.headers.append(("Content-Security-Policy", CSP))
        return response

    def _shell(self, request: Request) -> Response:
        # The same shell signed in or out: the script asks /api/auth/session who is there.
        return self._page(_text("app.html"), layout="mobile" if request.mobile else "desktop")

    def _asset(self, name: str) -> Response:
        if name not in ASSETS:
            return Response(404, b"Not Found", "text/plain; charset=utf-8")
        return Response(200, _text(name).encode("utf-8"), ASSETS[name])

    def _session(self, request: Request) -> Response:
        account = self._session_account(request)
        if account is None:
            return Response.json({})
        with self._lock:
            bearer = next((t for t, a in self._bearers.items() if a == account), None)
            if bearer is None:
                bearer = "eyJ" + secrets.token_urlsafe(40)
                self._bearers[bearer] = account
        user_id = "user-" + hashlib.sha256(account.encode()).hexdigest()[:24]
        user = {"id": user_id, "name": _name_of(account), "email": account}
        return Response.json({"user": user, "accessToken": bearer, "authProvider": "openai"})

    def _user_settings(self, request: Request, scenario: ChatGPTScenario) -> Response:
        account = self._bearer_account(request)
        if account is None:
            return Response.json({"detail": "Unauthorized"}, 401)
        delay = min(max(int(scenario.settings_slow_ms), 0), 60_000)
        if delay:
            time.sleep(delay / 1000)
        with self._lock:
            settings = dict(self._account(account))
        return Response.json({"settings": settings})

    def _save(self, request: Request, scenario: ChatGPTScenario) -> Response:
        feature = request.query.get("feature")
        raw = request.query.get("value")
        value = {"true": True, "false": False}.get(raw or "")
        account = self._bearer_account(request)

        def answer(status: int, stored: bool = False) -> Response:
            write = {"feature": feature, "value": value if value is not None else raw,
                     "account": account, "stored": stored, "status": status}  # fmt: skip
            with self._lock:
                self.writes.append(write)
            return Response.json({"success": status == 200}, status)

        if account is None:
            return answer(401)
        if feature not in DEFAULTS or value is None:
            return answer(400)
        if scenario.save_fails:
            return answer(500)
        if scenario.save_lost:
            return answer(200)
        with self._lock:
            self._account(account)[feature] = value
        return answer(200, stored=True)

    # -- signing in and out --------------------------------------------------------------------

    def _login(self, request: Request) -> Response:
        if self._session_account(request) is not None:
            return Response.redirect(ORIGIN + "/")
        return self._page(_text("login.html"), error="")

    def _login_submit(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        email = form.get("email", "").strip()
        if not email or not form.get("password"):
            error = '<p class="error" role="alert">Enter your email and password.</p>'
            return self._page(_text("login.html"), error=error)
        response = Response.redirect(ORIGIN + "/")
        response.set_cookie(SESSION_COOKIE, self._new_session(email), max_age=SESSION_MAX_AGE_S)
        response.set_cookie(
            AUTH_INFO_COOKIE, self._auth_info(email), max_age=SESSION_MAX_AGE_S, http_only=False
        )
        return response

    def _sign_out(self, request: Request) -> Response:
        with self._lock:
            account = self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            for token in [t for t, a in self._bearers.items() if a == account]:
                del self._bearers[token]
        response = Response.json({"url": ORIGIN + "/"})
        response.set_cookie(SESSION_COOKIE, "", max_age=0)
        response.set_cookie(AUTH_INFO_COOKIE, "", max_age=0, http_only=False)
        return response
