"""What the replica remembers: accounts and their settings, sessions, pending logins, writes.

The server reads and changes this from many request threads at once; every change goes
through `ReplicaState`'s lock. `Scenario` is the exception: tests flip its plain attributes
while the server runs, and each request reads them afresh.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ACCOUNT = "member@example.com"
DEFAULT_NAME = "Jane Doe"

#: Where a member page sends a visitor without a valid session (all three have been seen).
LOGGED_OUT_REDIRECTS = ("authwall", "uas", "login")

#: Pages `Scenario.promo_at` can name: the feed, the settings hub (desktop: Account
#: preferences, where "Settings & Privacy" lands; mobile: the Settings home), the Data privacy
#: list, and a setting's page.
PROMO_PAGES = ("feed", "hub", "privacy", "setting")
#: How long after DOMContentLoaded the promotion modal appears, unless the scenario says.
PROMO_DELAY_MS = 250
#: How a setting's switch is marked up: LinkedIn's native checkbox with role="switch", or a
#: <button role="switch" aria-checked> as ARIA-first design systems render it.
SWITCH_MARKUPS = ("checkbox", "aria-button")

#: A login page that has not polled for this long is no longer "waiting" (its tab was closed).
#: Background tabs poll at least once a second (Chromium's timer throttling), so this is generous.
LOGIN_STALE_S = 5.0
#: A login page stops polling after this long; the server forgets its token then too.
LOGIN_PAGE_LIFETIME_S = 600.0


@dataclass
class Scenario:
    """How the replica misbehaves. The defaults are a normal, healthy site."""

    #: The settings API answers 500; the page reverts the switch and shows an error toast.
    save_fails: bool = False
    #: The settings API answers 200 but stores nothing (a reload shows the old value).
    save_lost: bool = False
    #: The account does not have the AI setting: no row in Data privacy, its URLs answer 404.
    not_offered: bool = False
    #: Every response is delayed by this many milliseconds (server side).
    slow_ms: int = 0
    #: When non-zero, every request is answered with this HTTP status (an outage).
    outage_status: int = 0
    #: The setting page's switch is inserted by script this many milliseconds after load.
    late_switch_ms: int = 0
    #: A "Try Premium" modal covers every member page shortly after it loads.
    promo_dialog: bool = False
    #: Where a logged-out visit to a member page goes: "authwall", "uas" or "login".
    logged_out_redirect: str = "authwall"
    #: Signed-in member pages redirect to a security check under /checkpoint/challenge/.
    security_check: bool = False
    #: UI language; a key of `optout_bot.replicas.strings.STRINGS` ("en", "de").
    language: str = "en"

    # UI variants: a redesign the flows must survive. URLs, roles and the switch's
    # aria-labelledby stay as they are; markup, class names, wording and order change.

    #: One of SWITCH_MARKUPS: "aria-button" renders the switch as <button role="switch">.
    switch_markup: str = "checkbox"
    #: Every class name (and the ids that only serve styling and scripts, #global-nav among
    #: them) is hashed, like a new build of a CSS-in-JS design system.
    renamed_classes: bool = False
    #: The Me menu, the mobile drawer, the settings menu and every settings list come in
    #: another order, and Data privacy's AI row moves to a section of its own.
    reordered_menus: bool = False
    #: The promotion modal appears on this one page (one of PROMO_PAGES), a promotion "at an
    #: arbitrary step"; `promo_dialog` still means every member page.
    promo_at: str | None = None
    #: How long after load the promotion modal appears.
    promo_delay_ms: int = PROMO_DELAY_MS
    #: The AI setting's page moved to another address (MOVED_AI_SLUG): Data privacy links
    #: there, and the old address redirects to the Data privacy list, as a site does when it
    #: reorganises its settings.
    moved_setting: bool = False
    #: The AI setting's switch was redesigned: its label has a new id
    #: (RENAMED_SWITCH_LABEL_ID, so the switch's aria-labelledby changes) and longer wording
    #: (the strings' "label_renamed", which still holds the old label's words), so neither a
    #: flow's aria-labelledby hook nor its exact name finds it.
    renamed_switch: bool = False


@dataclass(frozen=True)
class SettingDef:
    """One switch-type setting: its server key and the slug of its page."""

    key: str
    slug: str
    #: The settings category whose list shows this setting as a row.
    category: str
    default: bool = True
    #: A page of its own at /mypreferences/{d,m}/<slug> (not under settings/), whose switch
    #: carries the key as its id, as LinkedIn's interest and cookie pages do.
    own_page: bool = False

    def path(self, variant: str) -> str:
        """The setting's page on the desktop ("d") or mobile ("m") site."""
        where = self.slug if self.own_page else f"settings/{self.slug}"
        return f"/mypreferences/{variant}/{where}"


#: Where the AI setting's page is under `Scenario.moved_setting`.
MOVED_AI_SLUG = "generative-ai-data"
#: The id of the AI setting's switch label under `Scenario.renamed_switch`.
RENAMED_SWITCH_LABEL_ID = "dataForGenerativeAiTraining"

#: Switch-type settings with a page under /mypreferences/{d,m}/settings/<slug>. The AI setting
#: first; the rest are its siblings (same page pattern), from the reference's table.
SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("allowDataForGenerativeAI", "data-for-ai-improvement", "privacy"),
    SettingDef("allowAnonymizedDataResearch", "policy-and-academic-research", "privacy"),
    SettingDef("shareDataWithTrustedPartners", "share-data-with-select-partners", "ads"),
    SettingDef("allowLinkedInAudienceNetwork", "ads-beyond-linkedin", "ads"),
    SettingDef("allowUseOfThirdPartyData", "ads-interactions-with-business", "ads"),
    SettingDef("allowIpToPersonalizeAds", "ads-inferred-location", "ads"),
    SettingDef("allowAdsByAge", "ads-by-age", "ads"),
    SettingDef("allowAdsByGender", "ads-by-gender", "ads"),
    SettingDef("allowConversionTrackings", "ads-related-actions", "ads"),
    SettingDef("allowProfileAndActivityDataForMarketingAds", "linkedin-promotions", "ads"),
    SettingDef("adsPrivacyAllowInterestsAndBehaviors", "interest-categories", "ads", own_page=True),
    SettingDef("nonEssentialCookieConsent", "member-cookies", "privacy", own_page=True),
)
SETTINGS_BY_KEY: dict[str, SettingDef] = {s.key: s for s in SETTINGS}
SETTINGS_BY_SLUG: dict[str, SettingDef] = {s.slug: s for s in SETTINGS}

#: The setting that `Scenario.not_offered` takes away.
AI_SETTING = "allowDataForGenerativeAI"


@dataclass
class Account:
    email: str
    name: str = DEFAULT_NAME
    settings: dict[str, bool] = field(default_factory=lambda: {s.key: s.default for s in SETTINGS})


@dataclass
class PendingLogin:
    """A login page that was served; it is *waiting* once it has polled."""

    redirect: str
    issued: float
    first_poll: float | None = None
    last_poll: float = 0.0
    approved_for: str | None = None


def new_session_token() -> str:
    # Real li_at values start like this; the rest is just random.
    return "AQEDA" + secrets.token_urlsafe(32)


class ReplicaState:
    """Accounts, sessions and pending logins, guarded by one lock."""

    def __init__(self, accounts: Iterable[str] | Mapping[str, Mapping[str, bool]] | None = None):
        self._lock = threading.Lock()
        #: Notified whenever a login page polls for the first time.
        self._login_polled = threading.Condition(self._lock)
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, str] = {}  # li_at value -> account email
        self.logins: dict[str, PendingLogin] = {}  # per-page token -> login
        #: One dict per setting-change request the API received (see `record_write`).
        self.writes: list[dict[str, Any]] = []
        if accounts is None:
            accounts = [DEFAULT_ACCOUNT]
        for email in accounts:
            account = self._account(email)
            if isinstance(accounts, Mapping):
                for key, value in accounts[email].items():
                    self._check_key(key)
                    account.settings[key] = bool(value)

    # -- accounts and settings -------------------------------------------------------------

    def _account(self, email: str) -> Account:
        """The account for this email, created with default settings if new (lock held)."""
        account = self.accounts.get(email)
        if account is None:
            account = self.accounts[email] = Account(email)
        return account

    @staticmethod
    def _check_key(key: str) -> None:
        if key not in SETTINGS_BY_KEY:
            raise KeyError(f"unknown setting {key!r}; known: {', '.join(SETTINGS_BY_KEY)}")

    def account(self, email: str) -> Account | None:
        with self._lock:
            return self.accounts.get(email)

    def get_setting(self, key: str, email: str) -> bool:
        self._check_key(key)
        with self._lock:
            account = self.accounts.get(email)
            if account is None:
                raise KeyError(f"no account {email!r}; known: {', '.join(self.accounts)}")
            return account.settings[key]

    def settings_of(self, email: str) -> dict[str, bool]:
        with self._lock:
            return dict(self.accounts[email].settings)

    def set_setting(self, key: str, value: bool, email: str) -> None:
        self._check_key(key)
        with self._lock:
            self._account(email).settings[key] = bool(value)

    def record_write(
        self, key: Any, value: Any, email: str | None, stored: bool, status: int
    ) -> None:
        self.writes.append(
            {"key": key, "value": value, "account": email, "stored": stored, "status": status}
        )

    # -- sessions --------------------------------------------------------------------------

    def new_session(self, email: str) -> str:
        token = new_session_token()
        with self._lock:
            self._account(email)
            self.sessions[token] = email
        return token

    def session_account(self, token: str | None) -> Account | None:
        if not token:
            return None
        with self._lock:
            email = self.sessions.get(token)
            return self.accounts.get(email) if email else None

    def end_session(self, token: str | None) -> None:
        with self._lock:
            self.sessions.pop(token or "", None)

    def expire_sessions(self) -> None:
        """Forget every session, as sessions expire: browsers keep their cookies."""
        with self._lock:
            self.sessions.clear()

    # -- logins waiting for approval on the phone ------------------------------------------

    def issue_login(self, redirect: str) -> str:
        token = secrets.token_urlsafe(18)
        now = time.monotonic()
        with self._lock:
            # Forget pages that have stopped polling by now, so the table stays small.
            for old in [
                t for t, p in self.logins.items() if now - p.issued > LOGIN_PAGE_LIFETIME_S
            ]:
                del self.logins[old]
            self.logins[token] = PendingLogin(redirect=redirect, issued=now)
        return token

    def poll_login(self, token: str) -> PendingLogin | None:
        """Note a poll from a login page; None if the token is unknown."""
        now = time.monotonic()
        with self._lock:
            login = self.logins.get(token)
            if login is None:
                return None
            if login.first_poll is None:
                login.first_poll = now
                self._login_polled.notify_all()
            login.last_poll = now
            return login

    def _waiting(self, stale_s: float) -> list[PendingLogin]:
        now = time.monotonic()
        return [
            p
            for p in self.logins.values()
            if p.first_poll is not None and p.approved_for is None and now - p.last_poll <= stale_s
        ]

    def approve_logins(self, email: str, wait_s: float, stale_s: float) -> int:
        """Approve every waiting login page for this account, waiting up to wait_s for one."""
        deadline = time.monotonic() + max(0.0, wait_s)
        with self._lock:
            self._account(email)
            while not self._waiting(stale_s):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._login_polled.wait(min(left, 0.25))
            waiting = self._waiting(stale_s)
            for login in waiting:
                login.approved_for = email
            return len(waiting)

    def complete_login(self, token: str) -> tuple[str, str] | None:
        """(account email, redirect) for an approved token, which is used up; else None."""
        with self._lock:
            login = self.logins.get(token)
            if login is None or login.approved_for is None:
                return None
            del self.logins[token]
            return login.approved_for, login.redirect
