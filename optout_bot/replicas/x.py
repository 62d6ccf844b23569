"""The replica of X (https://x.com) around "Grok & Third-party Collaborators", desktop and
mobile web.

What follows the public facts (shared/reference/services.md, "X: Grok training"): the URLs
(`/home`, `/settings`, `/settings/privacy_and_safety`, `/settings/grok_settings`), the path
More -> Settings and privacy -> Privacy and safety -> Grok & Third-party Collaborators, the
switch (`<input type="checkbox" aria-describedby="CHECKBOX_1_LABEL">`, on by default, in its
2026 or 2024 wording), the `twid` cookie of a signed-in browser and the logged-out
redirect to `/i/flow/login`; from X's widely documented web client, the `auth_token` session
cookie and the `ct0` CSRF token that the page echoes in an `x-csrf-token` header.
What is the replica's own reading of X's pages: the exact markup around them (the
data-testid values, the mobile drawer's "Settings & Support" disclosure, the other rows and
checkboxes), so the bundled flow finds its way by URLs, roles and names first.

Page text lives in files beside this module (`x/*.html`, `x/x.css`, `x/x.js`), rendered by
Jinja2 with autoescaping.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

import jinja2

from optout_bot.replicas.assets import avatar_uri
from optout_bot.replicas.site import Request, Response

ORIGIN = "https://x.com"
HOSTS = ("x.com", "www.x.com")
DEFAULT_ACCOUNT = "member@example.com"
SESSION_COOKIE = "auth_token"
USER_COOKIE = "twid"
CSRF_COOKIE = "ct0"
SESSION_MAX_AGE_S = 365 * 24 * 3600
#: Where the page saves a checkbox (X's REST settings endpoint; form-encoded, like X's).
SAVE_PATH = "/i/api/1.1/account/settings.json"
#: Where the cookie banner's answer goes, and the cookie that remembers it.
CONSENT_PATH = "/i/api/1.1/cookie_consent"
CONSENT_COOKIE = "d_prefs"
LOGIN_PATH = "/i/flow/login"

#: The switch's label (services.md), now and in 2024.
WORDING_2026 = (
    "Allow your public data as well as your interactions, inputs, and results with Grok and "
    "xAI to be used for training and fine-tuning."
)
WORDING_2024 = (
    "Allow your posts as well as your interactions, inputs, and results with Grok to be used "
    "for training and fine-tuning."
)

#: The checkboxes of /settings/grok_settings, in page order: server key, page label. The
#: first is the training switch (CHECKBOX_1_LABEL); its label comes from the scenario.
GROK_SETTING = "grok_training"
CHECKBOXES: tuple[tuple[str, str], ...] = (
    (GROK_SETTING, ""),
    ("grok_personalization", "Allow X to personalize your experience with Grok."),
    ("grok_remember_history", "Allow Grok to remember your conversation history."),
)
_KEYS = frozenset(key for key, _ in CHECKBOXES)

#: The settings list (/settings on a phone, the left column on a desktop): path, title.
SETTINGS_MENU: tuple[tuple[str, str], ...] = (
    ("/settings/account", "Your account"),
    ("/settings/monetization", "Monetization"),
    ("/settings/premium", "Premium"),
    ("/settings/security_and_account_access", "Security and account access"),
    ("/settings/privacy_and_safety", "Privacy and safety"),
    ("/settings/notifications", "Notifications"),
    ("/settings/accessibility_display_and_languages", "Accessibility, display, and languages"),
    ("/settings/about", "Additional resources"),
)

#: Privacy and safety's sections: heading, rows (path, title, description).
PRIVACY_SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Your X activity",
        (
            ("/settings/audience_and_tagging", "Audience, media and tagging",
             "Manage what information you allow other people on X to see."),
            ("/settings/your_tweets", "Your posts",
             "Manage the information associated with your posts."),
            ("/settings/content_you_see", "Content you see",
             "Decide what you see on X based on your preferences like Topics and interests."),
            ("/settings/mute_and_block", "Mute and block",
             "Manage the accounts, words, and notifications that you’ve muted or blocked."),
            ("/settings/direct_messages", "Direct Messages",
             "Manage who can message you directly."),
        ),
    ),
    (
        "Data sharing and personalization",
        (
            ("/settings/ads_preferences", "Ads preferences",
             "Manage your ads experience on X."),
            ("/settings/off_twitter_activity", "Inferred identity",
             "Allow X to personalize your experience with your inferred activity."),
            ("/settings/data_sharing_with_business_partners",
             "Data sharing with business partners",
             "Allow sharing of additional information with X’s business partners."),
            ("/settings/location_information", "Location information",
             "Manage the location information X uses to personalize your experience."),
            ("/settings/grok_settings", "Grok & Third-party Collaborators", ""),
        ),
    ),
)  # fmt: skip
GROK_TITLE = "Grok & Third-party Collaborators"
_PRIVACY_PATHS = frozenset(path for _, rows in PRIVACY_SECTIONS for path, _, _ in rows)
#: Every settings page this replica draws (the rest of /settings/... answers 404).
_SETTINGS_TITLES = {
    **dict(SETTINGS_MENU),
    **{path: title for _, rows in PRIVACY_SECTIONS for path, title, _ in rows},
}


@dataclass
class XScenario:
    """How the X replica misbehaves; the defaults are a healthy site. Tests flip these while
    the server runs; each request reads them afresh. (Latency is the server's:
    `Scenario.slow_ms` delays every host.)"""

    #: The save endpoint answers 500; the page puts the checkbox back and shows a toast.
    save_fails: bool = False
    #: The training checkbox carries its 2024 wording.
    wording_2024: bool = False
    #: A cookie banner (as visitors from the EU see) covers the bottom of every page until
    #: it is answered.
    cookie_banner: bool = False


@dataclass
class XAccount:
    email: str
    name: str = "Jane Doe"
    handle: str = "janedoe"
    user_id: str = field(default_factory=lambda: str(10**17 + secrets.randbelow(10**18)))
    settings: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(_KEYS, True))


_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_suffix("")),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
    undefined=jinja2.StrictUndefined,
)


class X:
    """The X site of the replica (see `optout_bot.replicas.site.Site`): server-side settings
    per account, sessions, and every save attempt in `writes`."""

    name: str = "x"
    hosts: tuple[str, ...] = HOSTS

    def __init__(self, scenario: XScenario | None = None) -> None:
        self.scenario = scenario if scenario is not None else XScenario()
        self._lock = threading.Lock()
        self._accounts: dict[str, XAccount] = {}
        self._sessions: dict[str, str] = {}  # auth_token -> email
        #: One dict per save request: key, value, account, stored, status.
        self.writes: list[dict[str, Any]] = []
        #: every answer the cookie banner got, in order ("refuse" or "accept")
        self.cookie_choices: list[str] = []

    # -- what tests use --------------------------------------------------------------------

    def get_setting(self, account: str = DEFAULT_ACCOUNT, key: str = GROK_SETTING) -> bool:
        """The value stored server-side (KeyError for an unknown account)."""
        with self._lock:
            if account not in self._accounts:
                raise KeyError(f"no X account {account!r}; known: {', '.join(self._accounts)}")
            return self._accounts[account].settings[key]

    def set_setting(
        self, value: bool, account: str = DEFAULT_ACCOUNT, key: str = GROK_SETTING
    ) -> None:
        """Store a value server-side (creating the account if new)."""
        if key not in _KEYS:
            raise KeyError(f"unknown X setting {key!r}; known: {', '.join(sorted(_KEYS))}")
        with self._lock:
            self._account(account).settings[key] = bool(value)

    def sign_in_cookies(self, account: str = DEFAULT_ACCOUNT) -> list[dict[str, Any]]:
        token = secrets.token_hex(20)
        with self._lock:
            user = self._account(account)
            self._sessions[token] = account
        return [
            _cookie(SESSION_COOKIE, token, http_only=True),
            _cookie(USER_COOKIE, quote(f"u={user.user_id}", safe=""), http_only=False),
            _cookie(CSRF_COOKIE, secrets.token_hex(16), http_only=False),
        ]

    def expire_sessions(self) -> None:
        with self._lock:
            self._sessions.clear()

    # -- requests --------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if request.host != "x.com":  # www.x.com: X sends every path to the bare host
            parts = ("https", "x.com", request.path, _query(request), "")
            return Response.redirect(urlunsplit(parts), 301)
        scenario = XScenario(**vars(self.scenario))  # one snapshot per request
        if request.method == "POST":
            if request.path == SAVE_PATH:
                return self._save(request, scenario)
            if request.path == CONSENT_PATH:
                return self._consent(request)
            if request.path == LOGIN_PATH:
                return self._login_submit(request)
            return self._page("not_found.html", request, None, status=404)
        user = self._user(request)
        path = request.path.rstrip("/") or "/"
        if path == "/":
            if user is not None:
                return Response.redirect(ORIGIN + "/home", 302)
            return self._page("landing.html", request, None)
        if path in ("/login", "/i/flow/login"):
            target = _safe_redirect(request.query.get("redirect_after_login"))
            if user is not None:
                return Response.redirect(ORIGIN + target, 302)
            return self._page("login.html", request, None, redirect=target)
        if path == "/logout":
            return self._logout(request)
        if path != "/home" and path != "/settings" and path not in _SETTINGS_TITLES:
            return self._page("not_found.html", request, user, status=404)
        if user is None:
            original = urlunsplit(("", "", request.path, _query(request), ""))
            location = f"{ORIGIN}{LOGIN_PATH}?redirect_after_login={quote(original, safe='')}"
            return Response.redirect(location, 302)
        if path == "/home":
            return self._page("home.html", request, user)
        if path == "/settings" and not request.mobile:
            # A desktop's settings open on their first entry, the list beside it.
            return Response.redirect(ORIGIN + "/settings/account", 302)
        wording = WORDING_2024 if scenario.wording_2024 else WORDING_2026
        # In 2024 the page and its row were called "Grok".
        grok_title = "Grok" if scenario.wording_2024 else GROK_TITLE
        if path == "/settings":
            return self._page("settings.html", request, user, title="Settings", back="/home")
        # The list entry a page belongs to, and the page its back arrow leads to.
        in_privacy = path in _PRIVACY_PATHS
        selected = "/settings/privacy_and_safety" if in_privacy else path
        back = "/settings/privacy_and_safety" if in_privacy else "/settings"
        page: dict[str, Any] = dict(selected=selected, back=back, title=_SETTINGS_TITLES[path])
        if path == "/settings/privacy_and_safety":
            titles = {"/settings/grok_settings": grok_title}
            sections = [
                (heading, [(href, titles.get(href, text), sub) for href, text, sub in rows])
                for heading, rows in PRIVACY_SECTIONS
            ]
            sub = wording.rstrip(".")
            return self._page(
                "privacy.html", request, user, sections=sections, grok_sub=sub, **page
            )
        if path == "/settings/grok_settings":
            boxes = [
                (number, key, label or wording)
                for number, (key, label) in enumerate(CHECKBOXES, start=1)
            ]
            page["title"] = grok_title
            return self._page("grok.html", request, user, boxes=boxes, **page)
        return self._page("placeholder.html", request, user, **page)

    def _consent(self, request: Request) -> Response:
        """The cookie banner's answer: "refuse" (non-essential cookies) or "accept" (all)."""
        choice = request.body.decode("utf-8", "replace").strip()
        if choice not in ("refuse", "accept"):
            return Response.json({"errors": [{"code": 400}]}, 400)
        with self._lock:
            self.cookie_choices.append(choice)
        response = Response.json({"choice": choice})
        response.set_cookie(CONSENT_COOKIE, choice, max_age=365 * 24 * 3600, http_only=False)
        return response

    def _page(
        self,
        template: str,
        request: Request,
        user: XAccount | None,
        *,
        status: int = 200,
        **values: Any,
    ) -> Response:
        values.setdefault("selected", "")
        values["cookie_banner"] = (
            self.scenario.cookie_banner and CONSENT_COOKIE not in request.cookies
        )
        page = _TEMPLATES.get_template(template).render(
            user=user,
            mobile=request.mobile,
            path=request.path,
            avatar=avatar_uri(user.name) if user else "",
            settings_menu=SETTINGS_MENU,
            config={"savePath": SAVE_PATH, "csrfCookie": CSRF_COOKIE, "consentPath": CONSENT_PATH},
            **values,
        )
        return Response.html(page, status)

    def _save(self, request: Request, scenario: XScenario) -> Response:
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        key = next(iter(form), None)
        raw = form.get(key) if key else None
        value = {"true": True, "false": False}.get(raw or "")
        user = self._user(request)
        email = user.email if user else None

        def answer(status: int, stored: bool = False) -> Response:
            with self._lock:
                self.writes.append(
                    {"key": key, "value": value, "account": email, "stored": stored,
                     "status": status}
                )  # fmt: skip
            if status != 200:
                return Response.json({"errors": [{"code": status, "message": "error"}]}, status)
            return Response.json({key: value} if key else {})

        if user is None:
            return answer(401)
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not csrf or request.headers.get("x-csrf-token") != csrf:
            return answer(403)
        if len(form) != 1 or key not in _KEYS or value is None:
            return answer(400)
        if scenario.save_fails:
            return answer(500)
        with self._lock:
            user.settings[key] = value
        return answer(200, stored=True)

    def _login_submit(self, request: Request) -> Response:
        """The sign-in form: any e-mail with any password signs in (a replica)."""
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        email = form.get("username", "").strip()
        target = _safe_redirect(form.get("redirect_after_login"))
        if not email or not form.get("password"):
            return self._page("login.html", request, None, redirect=target, error=True)
        response = Response.redirect(ORIGIN + target, 302)
        for cookie in self.sign_in_cookies(email):
            response.set_cookie(
                cookie["name"], cookie["value"], max_age=SESSION_MAX_AGE_S,
                http_only=cookie["httpOnly"],
            )  # fmt: skip
        return response

    def _logout(self, request: Request) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        response = Response.redirect(ORIGIN + "/", 302)
        for name in (SESSION_COOKIE, USER_COOKIE, CSRF_COOKIE):
            response.set_cookie(name, "", max_age=0)
        return response

    def _user(self, request: Request) -> XAccount | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            return self._accounts.get(email) if email else None

    def _account(self, email: str) -> XAccount:
        """The account for `email`, created with the defaults if new (lock held)."""
        account = self._accounts.get(email)
        if account is None:
            account = self._accounts[email] = XAccount(email)
        return account


def _cookie(name: str, value: str, *, http_only: bool) -> dict[str, Any]:
    """A cookie for every host of x.com, as Playwright's add_cookies() takes it (lasting, so
    a kept profile keeps it)."""
    return {
        "name": name,
        "value": value,
        "domain": ".x.com",
        "path": "/",
        "expires": time.time() + SESSION_MAX_AGE_S,
        "secure": True,
        "httpOnly": http_only,
        "sameSite": "Lax",
    }


def _query(request: Request) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in request.query.items())


def _safe_redirect(target: str | None) -> str:
    """A root-relative path on x.com for redirect_after_login; /home otherwise."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/home"
    parts = urlsplit(target)
    return urlunsplit(("", "", parts.path, parts.query, ""))
