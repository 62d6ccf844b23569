"""The replica's HTTPS server: `Replica` (the public handle) and the request handler.

Chromium reaches it as https://www.linkedin.com through two switches from `chromium_args()`:
``--host-resolver-rules`` maps the host to 127.0.0.1:PORT, and
``--ignore-certificate-errors-spki-list`` accepts the replica's fresh self-signed certificate
(and no other bad certificate).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import secrets
import socket
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

from optout_bot.replicas import pages
from optout_bot.replicas.site import Request, Response, Site, bundled_sites
from optout_bot.replicas.state import (
    AI_SETTING,
    DEFAULT_ACCOUNT,
    LOGGED_OUT_REDIRECTS,
    LOGIN_STALE_S,
    MOVED_AI_SLUG,
    PROMO_PAGES,
    SETTINGS_BY_KEY,
    SETTINGS_BY_SLUG,
    SWITCH_MARKUPS,
    Account,
    ReplicaState,
    Scenario,
)
from optout_bot.replicas.strings import strings_for
from optout_bot.replicas.tls import HOSTNAMES, make_certificate

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
BASE_URL = "https://www.linkedin.com"

#: Everything a page needs is inline; nothing may come from another origin.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
MOBILE_UA = re.compile(r"Mobile|Android|iPhone")
SESSION_COOKIE = "li_at"
CSRF_COOKIE = "JSESSIONID"
SESSION_MAX_AGE_S = 365 * 24 * 3600
#: Bounds: the TLS handshake, an idle keep-alive connection, a request body, slow_ms.
HANDSHAKE_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 30.0
MAX_BODY = 64 * 1024
MAX_SLOW_MS = 60_000

_QUIET_ERRORS = (ConnectionError, TimeoutError, ssl.SSLError)


def safe_redirect(target: str | None) -> str:
    """A root-relative path on www.linkedin.com for a redirect parameter; /feed/ otherwise."""
    if not target:
        return "/feed/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.scheme != "https" or parts.hostname not in HOSTNAMES:
            return "/feed/"
        return urlunsplit(("", "", parts.path or "/", parts.query, ""))
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/feed/"
    return target


class _TLSServer(ThreadingHTTPServer):
    """A threading HTTP server whose connections speak TLS.

    The handshake happens in the connection's own thread (not in the accept loop), bounded
    by a timeout, so one stalled client cannot block the others.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext, replica: Replica):
        super().__init__(address, _Handler)
        self.ssl_context = context
        self.replica = replica
        self._open: set[ssl.SSLSocket] = set()
        self._open_lock = threading.Lock()

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(HANDSHAKE_TIMEOUT_S)
        try:
            conn = self.ssl_context.wrap_socket(request, server_side=True)
        except OSError:  # includes ssl.SSLError: a client that gave up or spoke no TLS
            return
        with self._open_lock:
            self._open.add(conn)
        try:
            _Handler(conn, client_address, self)
        finally:
            with self._open_lock:
                self._open.discard(conn)
            conn.close()

    def close_open_connections(self) -> None:
        with self._open_lock:
            conns = list(self._open)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], _QUIET_ERRORS):
            return  # a browser closing a connection is not news
        super().handle_error(request, client_address)


class Replica:
    """A local, scriptable stand-in for the LinkedIn pages around the AI-training setting.

    Use it as a context manager (or call start()/stop()), launch Chromium with
    `chromium_args()`, and open https://www.linkedin.com/... as usual.
    """

    host = HOST
    base_url = BASE_URL

    def __init__(
        self,
        port: int = 0,
        accounts: Iterable[str] | Mapping[str, Mapping[str, bool]] | None = None,
        scenario: Scenario | None = None,
        sites: Iterable[Site] | None = None,
    ):
        """`accounts`: emails, or email -> {setting key: value}; default one member with
        every setting on. Unknown accounts that sign in are created with the defaults.
        `sites`: the other sites it plays (default: every bundled one, fresh)."""
        self.port = port
        self.scenario = scenario if scenario is not None else Scenario()
        self.state = ReplicaState(accounts)
        self.sites: dict[str, Site] = {
            s.name: s for s in (sites if sites is not None else bundled_sites())
        }
        #: host name -> the site answering for it (LinkedIn's hosts are the server's own)
        self.site_hosts: dict[str, Site] = {h: s for s in self.sites.values() for h in s.hosts}
        #: every host the replica answers for, LinkedIn's first
        self.hosts: tuple[str, ...] = (*HOSTNAMES, *self.site_hosts)
        self.spki = ""
        self._server: _TLSServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Replica:
        if self._server is not None:
            return self
        # The key only has to exist on disk while ssl loads it; nothing is left behind, even
        # if this process is killed later.
        with tempfile.TemporaryDirectory(prefix="optout-bot-replica-") as tmp:
            cert = make_certificate(Path(tmp), self.hosts)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(cert.cert, cert.key)
        context.set_alpn_protocols(["http/1.1"])
        self._server = _TLSServer((HOST, self.port), context, self)
        self.spki = cert.spki
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"optout-bot-replica:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_open_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Replica:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what callers need -----------------------------------------------------------------

    def chromium_args(self, hosts: Iterable[str] | None = None) -> list[str]:
        """Switches that make Chromium load `hosts` (by default every host the replica
        answers for) from this replica, trusting its certificate."""
        from optout_bot.engine.session import host_mapping_args

        if self._server is None:
            raise RuntimeError("the replica is not running; call start() first")
        return [
            *host_mapping_args(self.hosts if hosts is None else hosts, f"{HOST}:{self.port}"),
            f"--ignore-certificate-errors-spki-list={self.spki}",
        ]

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def writes(self) -> list[dict[str, Any]]:
        """One dict per setting-change request: key, value, account, stored, status."""
        return self.state.writes

    def sign_in_cookie(self, account: str = DEFAULT_ACCOUNT) -> dict[str, Any]:
        """A fresh session for the account (created if new), as a cookie for add_cookies()."""
        return {
            "name": SESSION_COOKIE,
            "value": self.state.new_session(account),
            "domain": "www.linkedin.com",
            "path": "/",
            "expires": time.time() + SESSION_MAX_AGE_S,
            "httpOnly": True,
            "secure": True,
            "sameSite": "None",
        }

    def expire_sessions(self, site: str = "linkedin") -> None:
        """End every session on `site` ("linkedin", or a name `site()` knows) server side, as
        sessions expire; browsers keep their cookies, and the site shows them signed out."""
        if site == "linkedin":
            self.state.expire_sessions()
        else:
            self.site(site).expire_sessions()

    def site(self, name: str) -> Site:
        """The site played under `name` ("chatgpt", "x"), to set or read its state."""
        try:
            return self.sites[name]
        except KeyError:
            raise KeyError(
                f"no site {name!r}; the replica plays: {', '.join(self.sites)}"
            ) from None

    def sign_in_cookies(self, account: str = DEFAULT_ACCOUNT) -> list[dict[str, Any]]:
        """Fresh signed-in sessions on every site the replica plays, LinkedIn's included."""
        cookies = [self.sign_in_cookie(account)]
        for site in self.sites.values():
            cookies += site.sign_in_cookies(account)
        return cookies

    def sign_in_profile(
        self,
        playwright: Any,
        profile_dir: Path,
        executable_path: str,
        account: str = DEFAULT_ACCOUNT,
    ) -> Path:
        """Leave a kept browser profile signed in to every site of the replica, as if the
        member had signed in by hand once (for tests, the benchmarks and the docs)."""
        from optout_bot.engine.session import QUIET_ARGS

        profile_dir.mkdir(parents=True, exist_ok=True)
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir),
            executable_path=executable_path,
            headless=True,
            args=QUIET_ARGS + self.chromium_args(),
        )
        try:
            context.add_cookies(self.sign_in_cookies(account))
        finally:
            context.close()
        return profile_dir

    def get_setting(self, key: str, account: str = DEFAULT_ACCOUNT) -> bool:
        """The value stored server-side (KeyError for an unknown setting or account)."""
        return self.state.get_setting(key, account)

    def set_setting(self, key: str, value: bool, account: str = DEFAULT_ACCOUNT) -> None:
        """Store a value server-side (creating the account if new)."""
        self.state.set_setting(key, value, account)

    def approve_pending_logins(self, account: str = DEFAULT_ACCOUNT, wait: float = 0.0) -> int:
        """Sign in every login page now waiting (as the member approving on their phone).

        A login page waits from its first poll until it is closed. With `wait` > 0, block up
        to that many seconds for at least one. Returns how many were approved.
        """
        stale = LOGIN_STALE_S + 2 * self.scenario.slow_ms / 1000
        return self.state.approve_logins(account, wait, stale)


# --------------------------------------------------------------------------------------------
# The request handler
# --------------------------------------------------------------------------------------------

Route = Callable[["_Handler", "re.Match[str]"], None]


class _Handler(BaseHTTPRequestHandler):
    server: _TLSServer
    protocol_version = "HTTP/1.1"
    server_version = "Play"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    # The head and the body go out in two writes: with Nagle's algorithm the second waited
    # for the browser's delayed ACK, 40 ms on every answer (a real site answers at once).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: no request lines on stderr

    # -- plumbing --------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch(GET_ROUTES)

    def do_POST(self) -> None:
        self._dispatch(POST_ROUTES)

    def _dispatch(self, routes: list[tuple[re.Pattern[str], Route]]) -> None:
        self.replica = self.server.replica
        # One snapshot per request, so a test flipping a flag mid-request sees no half state.
        self.scenario = dataclasses.replace(self.replica.scenario)
        self.state = self.replica.state
        slow_ms = min(max(int(self.scenario.slow_ms), 0), MAX_SLOW_MS)
        if slow_ms:
            time.sleep(slow_ms / 1000)
        self.out_cookies: list[str] = []
        parts = urlsplit(self.path)
        self.route_path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.cookies = self._parse_cookies()
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        site = self.replica.site_hosts.get(host)
        if site is not None:
            self._serve_site(site, host)
            return
        if self.scenario.outage_status:  # LinkedIn's outage (a site has its own failures)
            body = b"<!DOCTYPE html><title>LinkedIn</title><h1>Something went wrong</h1>"
            self._send(self.scenario.outage_status, body, "text/html; charset=utf-8")
            return
        try:
            for pattern, handler in routes:
                match = pattern.fullmatch(self.route_path)
                if match:
                    handler(self, match)
                    return
            self._not_found()
        except _QUIET_ERRORS:
            raise
        except Exception:
            # A bug in the replica: say so loudly, and answer like a web server would.
            log.exception("replica failed on %s %s", self.command, self.path)
            self._send(500, b"Internal error in the replica", "text/plain; charset=utf-8")

    def _serve_site(self, site: Site, host: str) -> None:
        """Another site's request (see site.py): its answer, or a 500 for a bug in it."""
        request = Request(
            method=self.command,
            host=host,
            path=self.route_path,
            query=self.query,
            cookies=self.cookies,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self._read_body() if self.command == "POST" else b"",
            mobile=self._mobile_ua,
        )
        try:
            response = site.handle(request)
        except _QUIET_ERRORS:
            raise
        except Exception:
            log.exception("replica site %s failed on %s %s", site.name, self.command, self.path)
            response = Response(500, b"Internal error in the replica", "text/plain; charset=utf-8")
        self.out_cookies.extend(response.cookies)
        own_csp = any(name.lower() == "content-security-policy" for name, _ in response.headers)
        self._send(
            response.status, response.body, response.content_type, response.headers, csp=not own_csp
        )

    def _parse_cookies(self) -> dict[str, str]:
        cookies: dict[str, str] = {}
        for header in self.headers.get_all("Cookie") or []:
            for part in header.split(";"):
                name, sep, value = part.strip().partition("=")
                if sep:
                    cookies[name] = value
        return cookies

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Iterable[tuple[str, str]] = (),
        *,
        csp: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, no-store")
        if csp:
            self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        for cookie in self.out_cookies:
            self.send_header("Set-Cookie", cookie)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _html(self, page: str, status: int = 200) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _json(self, data: Any, status: int = 200) -> None:
        self._send(status, json.dumps(data).encode("utf-8"), "application/json")

    def _redirect(self, location: str) -> None:
        if location.startswith("/"):
            location = BASE_URL + location
        self._send(303, b"", "text/plain", [("Location", location)])

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(max(length, 0), MAX_BODY))

    def _form(self) -> dict[str, str]:
        data = parse_qs(self._read_body().decode("utf-8", "replace"))
        return {k: v[-1] for k, v in data.items()}

    def _set_cookie(self, name: str, value: str, *, http_only: bool, max_age: int) -> None:
        flags = "; HttpOnly" if http_only else ""
        self.out_cookies.append(
            f"{name}={value}; Max-Age={max_age}; Path=/; Secure; SameSite=None{flags}"
        )

    def _sign_in(self, email: str) -> None:
        token = self.state.new_session(email)
        self._set_cookie(SESSION_COOKIE, token, http_only=True, max_age=SESSION_MAX_AGE_S)

    @property
    def _mobile_ua(self) -> bool:
        return bool(MOBILE_UA.search(self.headers.get("User-Agent", "")))

    def _account(self) -> Account | None:
        return self.state.session_account(self.cookies.get(SESSION_COOKIE))

    def _csrf(self) -> str:
        """The JSESSIONID value (quotes stripped), issuing one if the browser has none."""
        value = self.cookies.get(CSRF_COOKIE, "").strip('"')
        if not value:
            value = f"ajax:{secrets.randbelow(10**19):019d}"
            self._set_cookie(CSRF_COOKIE, f'"{value}"', http_only=False, max_age=SESSION_MAX_AGE_S)
        return value

    def _ctx(
        self, account: Account | None, mobile: bool | None = None, page: str | None = None
    ) -> pages.PageContext:
        """What a page needs; `page` names it for `Scenario.promo_at` (see PROMO_PAGES)."""
        scenario = self.scenario
        _check_choice("switch_markup", scenario.switch_markup, SWITCH_MARKUPS)
        if scenario.promo_at is not None:
            _check_choice("promo_at", scenario.promo_at, PROMO_PAGES)
        language = scenario.language
        promo = scenario.promo_dialog or (page is not None and page == scenario.promo_at)
        return pages.PageContext(
            s=strings_for(language),
            language=language,
            member=account,
            mobile=self._mobile_ua if mobile is None else mobile,
            promo=promo and account is not None,
            csrf=self._csrf() if account is not None else "",
            switch_markup=scenario.switch_markup,
            renamed_classes=scenario.renamed_classes,
            reordered_menus=scenario.reordered_menus,
            moved_setting=scenario.moved_setting,
            renamed_switch=scenario.renamed_switch,
            promo_delay_ms=min(max(int(scenario.promo_delay_ms), 0), MAX_SLOW_MS),
        )

    def _member(self) -> Account | None:
        """The signed-in member, or None after sending the logged-out or checkpoint redirect."""
        account = self._account()
        original = BASE_URL + self.path
        if account is None:
            self._redirect(self._logged_out_location(original))
            return None
        if self.scenario.security_check:
            challenge = "AgH" + secrets.token_urlsafe(24)
            query = urlencode({"ut": secrets.token_urlsafe(12), "session_redirect": original})
            self._redirect(f"/checkpoint/challenge/{challenge}?{query}")
            return None
        return account

    def _logged_out_location(self, original: str) -> str:
        kind = self.scenario.logged_out_redirect
        _check_choice("logged_out_redirect", kind, LOGGED_OUT_REDIRECTS)
        if kind == "uas":
            return "/uas/login?" + urlencode({"session_redirect": original})
        if kind == "login":
            return "/login?" + urlencode({"session_redirect": original})
        query = urlencode(
            {"trk": "public_profile_nav", "original_referer": "", "sessionRedirect": original},
            quote_via=quote,
        )
        return "/authwall?" + query

    def _not_found(self) -> None:
        self._html(pages.not_found_page(self._ctx(self._account())), 404)

    # -- member pages ----------------------------------------------------------------------

    def feed(self, match: re.Match[str]) -> None:
        account = self._member()
        if account:
            self._html(pages.feed_page(self._ctx(account, page="feed")))

    def member_placeholder(self, match: re.Match[str]) -> None:
        account = self._member()
        if account:
            section = match.group(1)
            s = strings_for(self.scenario.language)
            title = s[_PLACEHOLDER_TITLES.get(section, "page.profile")]
            active = _NAV_ITEM.get(section, "")
            self._html(pages.member_placeholder_page(self._ctx(account), title, active))

    def _hidden(self) -> frozenset[str]:
        return frozenset({AI_SETTING}) if self.scenario.not_offered else frozenset()

    def category(self, match: re.Match[str]) -> None:
        variant, category = match.group(1), match.group(2)
        if category not in pages.CATEGORIES:
            return self._not_found()
        account = self._member()
        if account:
            # Desktop's "Settings & Privacy" lands on Account preferences: the hub.
            hub = variant == "d" and category == "account"
            name = "hub" if hub else "privacy" if category == "privacy" else None
            ctx = self._ctx(account, mobile=variant == "m", page=name)
            page = pages.category_page(
                ctx, variant, category, self.state.settings_of(account.email), self._hidden()
            )
            self._html(page)

    def mobile_home(self, match: re.Match[str]) -> None:
        account = self._member()
        if account:
            self._html(pages.mobile_settings_home(self._ctx(account, mobile=True, page="hub")))

    def setting(self, match: re.Match[str], own: bool = False) -> None:
        variant, slug = match.group(1), match.group(2)
        setting = SETTINGS_BY_SLUG.get(slug)
        if self.scenario.moved_setting and not own:
            if setting is not None and setting.key == AI_SETTING:
                # the old address: to the list the setting is now found from
                return self._redirect(f"/mypreferences/{variant}/categories/privacy")
            if slug == MOVED_AI_SLUG:
                setting = SETTINGS_BY_KEY[AI_SETTING]
        if setting is not None and setting.own_page != own:
            setting = None  # its page is elsewhere
        if setting is None and slug not in pages.PLACEHOLDER_CATEGORY:
            return self._not_found()
        account = self._member()
        if not account:
            return
        ctx = self._ctx(account, mobile=variant == "m", page="setting" if setting else None)
        if setting is None:
            category = pages.PLACEHOLDER_CATEGORY[slug]
            return self._html(pages.placeholder_setting_page(ctx, variant, slug, category))
        if setting.key in self._hidden():
            return self._html(pages.not_found_page(ctx), 404)
        checked = self.state.get_setting(setting.key, account.email)
        page = pages.setting_page(
            ctx, variant, setting, checked, max(0, self.scenario.late_switch_ms)
        )
        self._html(page)

    def own_page(self, match: re.Match[str]) -> None:
        """A setting with a page of its own (SettingDef.own_page)."""
        self.setting(match, own=True)

    def api_settings(self, match: re.Match[str]) -> None:
        try:
            data = json.loads(self._read_body() or b"null")
        except ValueError:
            data = None
        key = data.get("key") if isinstance(data, dict) else None
        value = data.get("value") if isinstance(data, dict) else None
        account = self._account()
        email = account.email if account else None

        def answer(status: int, stored: bool = False) -> None:
            self.state.record_write(key, value, email, stored, status)
            self._json({"status": status}, status)

        if account is None:
            return answer(401)
        csrf = self.cookies.get(CSRF_COOKIE, "").strip('"')
        if not csrf or self.headers.get("csrf-token") != csrf:
            return answer(403)
        if key not in SETTINGS_BY_KEY or not isinstance(value, bool):
            return answer(400)
        if key in self._hidden():
            return answer(404)
        if self.scenario.save_fails:
            return answer(500)
        if self.scenario.save_lost:
            return answer(200)
        self.state.set_setting(key, value, account.email)
        answer(200, stored=True)

    # -- signing in and out ----------------------------------------------------------------

    def _redirect_param(self) -> str:
        return self.query.get("session_redirect") or self.query.get("sessionRedirect") or ""

    def home(self, match: re.Match[str]) -> None:
        if self._account():
            return self._redirect("/feed/")
        self._html(pages.guest_home_page(self._ctx(None)))

    def login(self, match: re.Match[str]) -> None:
        redirect = self._redirect_param()
        if self._account():
            return self._redirect(safe_redirect(redirect))
        token = self.state.issue_login(redirect)
        self._html(pages.login_page(self._ctx(None), token, redirect))

    def login_submit(self, match: re.Match[str]) -> None:
        form = self._form()
        email = form.get("session_key", "").strip()
        redirect = form.get("session_redirect", "")
        if not email or not form.get("session_password"):
            # LinkedIn answers a failed sign-in on this URL, with the form again.
            token = self.state.issue_login(redirect)
            s = strings_for(self.scenario.language)
            page = pages.login_page(self._ctx(None), token, redirect, s["login.error_empty"])
            return self._html(page)
        self._sign_in(email)
        self._redirect(safe_redirect(redirect))

    def login_poll(self, match: re.Match[str]) -> None:
        token = self.query.get("token", "")
        login = self.state.poll_login(token)
        if login is None:
            return self._json({"approved": False, "gone": True}, 404)
        if login.approved_for is None:
            return self._json({"approved": False})
        self._json({"approved": True, "next": "/uas/login/complete?" + urlencode({"token": token})})

    def login_complete(self, match: re.Match[str]) -> None:
        done = self.state.complete_login(self.query.get("token", ""))
        if done is None:
            return self._redirect("/login")
        email, redirect = done
        self._sign_in(email)
        self._redirect(safe_redirect(redirect))

    def authwall(self, match: re.Match[str]) -> None:
        redirect = self._redirect_param()
        if self._account():
            return self._redirect(safe_redirect(redirect))
        self._html(pages.authwall_page(self._ctx(None), redirect))

    def signup(self, match: re.Match[str]) -> None:
        self._html(pages.signup_page(self._ctx(None), self._redirect_param()))

    def checkpoint(self, match: re.Match[str]) -> None:
        page = pages.checkpoint_page(self._ctx(None), match.group(1), self._redirect_param())
        self._html(page)

    def checkpoint_verify(self, match: re.Match[str]) -> None:
        # Passing the check is up to the test (scenario.security_check = False); while it is
        # on, the member page sends the browser straight back here.
        self._redirect(safe_redirect(self._form().get("session_redirect")))

    def logout(self, match: re.Match[str]) -> None:
        self.state.end_session(self.cookies.get(SESSION_COOKIE))
        self._set_cookie(SESSION_COOKIE, "", http_only=True, max_age=0)
        self._redirect("/?trk=guest_homepage-basic_nav-header-signin")


def _check_choice(field: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"Scenario.{field} is {value!r}; expected one of {choices}")


#: First path segment -> the top-bar item it highlights.
_NAV_ITEM = {
    "mynetwork": "network",
    "jobs": "jobs",
    "messaging": "messaging",
    "notifications": "notifications",
}
#: First path segment -> the title string of its placeholder page.
_PLACEHOLDER_TITLES = {
    "mynetwork": "page.network",
    "jobs": "page.jobs",
    "messaging": "page.messaging",
    "notifications": "page.notifications",
    "help": "page.help",
    "premium": "premium.title",
    "my-items": "page.job_posting",
    "in": "page.profile",
}


def _routes(table: list[tuple[str, Route]]) -> list[tuple[re.Pattern[str], Route]]:
    return [(re.compile(pattern), handler) for pattern, handler in table]


GET_ROUTES = _routes(
    [
        (r"/", _Handler.home),
        (r"/feed/?", _Handler.feed),
        (r"/mypreferences/(d|m)/categories/([a-z-]+)", _Handler.category),
        (r"/mypreferences/(d|m)/settings/([a-z-]+)", _Handler.setting),
        (r"/mypreferences/(d|m)/(interest-categories|member-cookies)", _Handler.own_page),
        (r"/mypreferences/m/home", _Handler.mobile_home),
        (
            r"/(mynetwork|jobs|messaging|notifications|in|help|premium|my-items)/.*",
            _Handler.member_placeholder,
        ),
        (r"/(?:uas/)?login", _Handler.login),
        (r"/uas/login/poll", _Handler.login_poll),
        (r"/uas/login/complete", _Handler.login_complete),
        (r"/authwall", _Handler.authwall),
        (r"/signup/.*", _Handler.signup),
        (r"/checkpoint/challenge/(AgH[A-Za-z0-9_-]+)", _Handler.checkpoint),
        (r"/m/logout/?", _Handler.logout),
    ]
)
POST_ROUTES = _routes(
    [
        (r"/checkpoint/lg/login-submit", _Handler.login_submit),
        (r"/checkpoint/challenge/verify", _Handler.checkpoint_verify),
        (r"/mypreferences/api/settings", _Handler.api_settings),
    ]
)
