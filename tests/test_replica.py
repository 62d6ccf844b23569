"""The LinkedIn replica (optout_bot.replicas), driven by a real headless Chromium.

One replica and one browser serve the whole module; each test gets fresh browser contexts,
its own member account and a healthy `Scenario` to change. Every locator the bundled flow
uses is read from tests/flows/linkedin-ai-training.yaml, so a page change that would break the flow
breaks these tests too.
"""

from __future__ import annotations

import dataclasses
import http.client
import os
import re
import selectors
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot.replicas import Replica, Scenario
from optout_bot.replicas.strings import STRINGS

ROOT = Path(__file__).resolve().parents[1]
FLOW: dict[str, Any] = yaml.safe_load(
    (ROOT / "tests" / "flows" / "linkedin-ai-training.yaml").read_text()
)

AI = "allowDataForGenerativeAI"
BASE = "https://www.linkedin.com"
DESKTOP_SETTING_URL = FLOW["setting_url"]["desktop"]
MOBILE_SETTING_URL = FLOW["setting_url"]["mobile"]
PRIVACY_URL = BASE + "/mypreferences/d/categories/privacy"
CHROMIUM = os.environ.get("OPTOUT_BOT_BROWSER") or "/usr/bin/chromium"
QUIET_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
MOBILE_DEVICE = "Pixel 7"


# --------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    with Replica() as running:
        yield running


@pytest.fixture(autouse=True)
def healthy_site(replica: Replica) -> None:
    replica.scenario = Scenario()


def launch(playwright: Playwright, args: list[str]) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_ARGS + args)


@pytest.fixture(scope="module")
def chromium(playwright: Playwright, replica: Replica) -> Iterator[Browser]:
    browser = launch(playwright, replica.chromium_args())
    yield browser
    browser.close()


@pytest.fixture
def account(request: pytest.FixtureRequest) -> str:
    """A member of its own for each test, so tests cannot see each other's settings."""
    return re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-") + "@example.com"


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(playwright: Playwright, chromium: Browser, replica: Replica) -> Iterator[NewPage]:
    """Pages in fresh contexts (desktop or a phone), signed in as an account if asked.

    Also proves that no page asks anything of another origin.
    """
    contexts: list[BrowserContext] = []
    offsite: list[str] = []

    def make(signed_in: str | None = None, mobile: bool = False) -> Page:
        if mobile:
            options = dict(playwright.devices[MOBILE_DEVICE])
            options.pop("default_browser_type", None)
        else:
            options = {"viewport": {"width": 1280, "height": 900}}
        context = chromium.new_context(**options)
        contexts.append(context)
        context.on(
            "request",
            lambda req: (
                None if req.url.startswith((BASE + "/", "data:")) else offsite.append(req.url)
            ),
        )
        if signed_in:
            context.add_cookies([replica.sign_in_cookie(signed_in)])  # type: ignore[list-item]
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert offsite == []


def flow_locator(page: Page, alt: dict[str, str]) -> Locator:
    """A flow locator as the runner builds it (role names exact, regexes searched)."""
    if "css" in alt:
        return page.locator(alt["css"])
    if "role" in alt and "name_regex" in alt:
        return page.get_by_role(alt["role"], name=re.compile(alt["name_regex"]))  # type: ignore[arg-type]
    if "role" in alt:
        return page.get_by_role(alt["role"], name=alt["name"], exact=True)  # type: ignore[arg-type]
    if "text_regex" in alt:
        return page.get_by_text(re.compile(alt["text_regex"]))
    raise AssertionError(f"locator kind not covered by these tests: {alt}")


def alternatives(target: Any) -> list[dict[str, str]]:
    return target if isinstance(target, list) else [target]


def expect_each_alternative_unique(page: Page, target: Any) -> Locator:
    """Every alternative of a flow target matches exactly one visible element; returns the first."""
    locators = [flow_locator(page, alt) for alt in alternatives(target)]
    for loc in locators:
        expect(loc).to_have_count(1)
        expect(loc).to_be_visible()
    return locators[0]


def run_flow_navigation(page: Page, platform: str) -> None:
    """Walk the flow's navigate steps for a platform, checking every alternative on the way."""
    for step in FLOW["navigate"][platform]:
        if "goto" in step:
            page.goto(step["goto"])
        elif "click" in step:
            expect_each_alternative_unique(page, step["click"]).click()
        elif "expect_url" in step:
            expect(page).to_have_url(re.compile(step["expect_url"]))
        else:
            raise AssertionError(f"step kind not covered by these tests: {step}")


def switch(page: Page) -> Locator:
    return flow_locator(page, FLOW["switch"]["target"][0])


def not_offered_text(page: Page) -> Locator:
    return page.get_by_text(re.compile(FLOW["not_offered"][0]["text_regex"]))


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the replica's certificate is self-signed by design
    return context


def raw_request(
    replica: Replica,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, http.client.HTTPResponse, bytes]:
    """One request straight to the server (no browser), as www.linkedin.com."""
    conn = http.client.HTTPSConnection(replica.host, replica.port, context=_tls(), timeout=10)
    try:
        conn.request(
            method, path, body=body, headers={"Host": "www.linkedin.com", **(headers or {})}
        )
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# The certificate
# --------------------------------------------------------------------------------------------


def test_certificate_accepted_with_launch(new_page: NewPage) -> None:
    """Chromium started with launch() and chromium_args() loads the real URL over TLS."""
    page = new_page()
    response = page.goto(BASE + "/login")
    assert response is not None and response.ok
    assert response.security_details()["subjectName"] == "www.linkedin.com"  # type: ignore[index]
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def test_certificate_accepted_with_persistent_context(
    playwright: Playwright, replica: Replica, tmp_path: Path
) -> None:
    """launch_persistent_context() honours the SPKI switch too (no ignore_https_errors needed)."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=QUIET_ARGS + replica.chromium_args(),
        ignore_https_errors=False,
    )
    try:
        response = context.new_page().goto(BASE + "/login")
        assert response is not None and response.ok
    finally:
        context.close()


def test_certificate_rejected_without_spki_switch(playwright: Playwright, replica: Replica) -> None:
    """Without the SPKI switch Chromium refuses the certificate: the switch is what lets it in."""
    host_rule_only = [a for a in replica.chromium_args() if a.startswith("--host-resolver-rules")]
    browser = launch(playwright, host_rule_only)
    try:
        with pytest.raises(PlaywrightError, match="ERR_CERT_AUTHORITY_INVALID"):
            browser.new_page().goto(BASE + "/login")
    finally:
        browser.close()


# --------------------------------------------------------------------------------------------
# Signing in
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "path", "param"),
    [
        ("authwall", "/authwall", "sessionRedirect"),
        ("uas", "/uas/login", "session_redirect"),
        ("login", "/login", "session_redirect"),
    ],
)
def test_logged_out_member_page_redirects(
    replica: Replica, new_page: NewPage, kind: str, path: str, param: str
) -> None:
    """A logged-out visit to the setting page ends where the scenario says, carrying the URL."""
    replica.scenario.logged_out_redirect = kind
    page = new_page()
    page.goto(DESKTOP_SETTING_URL)
    expected = (
        re.escape(f"{BASE}{path}?")
        + ".*"
        + re.escape(f"{param}={quote(DESKTOP_SETTING_URL, safe='')}")
    )
    expect(page).to_have_url(re.compile(expected))
    assert any(re.search(p, page.url) for p in FLOW["login"]["logged_out_urls"])
    assert page.locator(FLOW["login"]["signed_in"][0]["css"]).count() == 0


def test_login_form_signs_in_and_returns(new_page: NewPage, account: str) -> None:
    """Authwall -> Sign in -> the form signs in and lands back on the page first asked for."""
    page = new_page()
    page.goto(DESKTOP_SETTING_URL)
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login\?session_redirect="))
    page.get_by_label("Email or phone").fill(account)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(DESKTOP_SETTING_URL)
    expect(switch(page)).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "li_at")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["domain"] == "www.linkedin.com"
    keys = page.evaluate("Object.keys(localStorage)")
    assert any(k.startswith("voyager") for k in keys)


def test_approve_pending_logins_signs_in_waiting_page(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """A login page polls; approving on the 'phone' signs it in and it goes where it was sent."""
    page = new_page()
    with page.expect_response(lambda r: "/uas/login/poll" in r.url):
        page.goto(BASE + "/login?session_redirect=" + quote(PRIVACY_URL, safe=""))
    assert replica.approve_pending_logins(account, wait=5) >= 1
    expect(page).to_have_url(PRIVACY_URL)
    expect(page.locator("#global-nav")).to_be_visible()
    assert replica.get_setting(AI, account) is True  # the new account has the defaults


def test_approve_pending_logins_counts_only_waiting_pages() -> None:
    """With no login page polling, approving finds nothing (and `wait` is a bounded wait)."""
    with Replica() as fresh:
        assert fresh.approve_pending_logins() == 0
        started = time.monotonic()
        assert fresh.approve_pending_logins(wait=0.2) == 0
        assert time.monotonic() - started < 2


def test_sign_out_clears_the_session(new_page: NewPage, account: str) -> None:
    """Sign Out in the Me menu ends the session; member pages then need a login again."""
    page = new_page(signed_in=account)
    page.goto(BASE + "/feed/")
    page.locator(".global-nav__primary-link-me-menu-trigger").click()
    page.get_by_role("link", name="Sign Out", exact=True).click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "li_at"]
    page.goto(BASE + "/feed/")
    expect(page).to_have_url(re.compile(r"/authwall\?"))


def test_security_check_redirects_and_verify_returns(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """With security_check, member pages go to a checkpoint; Verify returns once it is cleared."""
    replica.scenario.security_check = True
    page = new_page(signed_in=account)
    page.goto(BASE + "/feed/")
    expect(page).to_have_url(re.compile(r"/checkpoint/challenge/AgH[\w-]+\?ut="))
    assert any(re.search(p, page.url) for p in FLOW["login"]["security_check_urls"])
    expect(page.get_by_role("heading", name="Let's do a quick security check")).to_be_visible()
    replica.scenario.security_check = False
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page).to_have_url(BASE + "/feed/")


# --------------------------------------------------------------------------------------------
# The flow's navigation paths
# --------------------------------------------------------------------------------------------


def test_desktop_navigation_path_uses_flow_locators(new_page: NewPage, account: str) -> None:
    """Feed -> Me -> Settings & Privacy -> Data privacy -> row -> switch, by the flow's locators."""
    page = new_page(signed_in=account)
    run_flow_navigation(page, "desktop")
    for target in (FLOW["login"]["signed_in"], FLOW["switch"]["target"]):
        expect_each_alternative_unique(page, target)
    label = page.locator("label#" + AI)
    expect(label).to_have_text(FLOW["switch"]["label"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Data for Generative AI Improvement")
    expect(page.get_by_role("link", name="Learn more")).to_be_visible()


def test_mobile_navigation_path_uses_flow_locators(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """On a phone: feed -> photo -> Settings -> Data privacy -> row -> switch, and it saves."""
    page = new_page(signed_in=account, mobile=True)
    run_flow_navigation(page, "mobile")
    expect(page).to_have_url(MOBILE_SETTING_URL)
    expect(page.locator(FLOW["login"]["signed_in"][0]["css"])).to_have_count(1)
    expect_each_alternative_unique(page, FLOW["switch"]["target"])
    switch(page).click()
    expect(page.get_by_role("alert")).to_have_text("Your setting was updated.")
    assert replica.get_setting(AI, account) is False


def test_mobile_user_agent_gets_mobile_feed(new_page: NewPage, account: str) -> None:
    """The same /feed/ URL renders the compact phone layout for a mobile User-Agent."""
    page = new_page(signed_in=account, mobile=True)
    page.goto(BASE + "/feed/")
    expect(page.get_by_role("button", name="Open navigation menu", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Primary Navigation")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Navigation drawer")).to_be_hidden()


# --------------------------------------------------------------------------------------------
# The switch and the settings API
# --------------------------------------------------------------------------------------------


def test_switch_off_is_stored_and_survives_reload(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """Clicking the switch saves at once (no Save button); a reload and the list show Off."""
    page = new_page(signed_in=account)
    page.goto(DESKTOP_SETTING_URL)
    control = switch(page)
    expect(control).to_be_checked()
    expect(control).to_have_attribute("aria-checked", "true")
    before = len(replica.writes)
    control.click()
    expect(control).to_have_attribute("aria-checked", "false")
    expect(page.locator(".artdeco-toggle__text")).to_have_text("Off")
    expect(page.get_by_role("alert")).to_have_text("Your setting was updated.")
    assert replica.get_setting(AI, account) is False
    assert replica.writes[before:] == [
        {"key": AI, "value": False, "account": account, "stored": True, "status": 200}
    ]
    page.reload()
    expect(switch(page)).not_to_be_checked()
    expect(switch(page)).to_have_attribute("aria-checked", "false")
    page.goto(PRIVACY_URL)
    row = page.get_by_role("link", name=re.compile("^Data for Generative AI Improvement"))
    expect(row).to_have_text(re.compile(r"Off$"))


def test_server_side_value_is_what_pages_show(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """set_setting() before the visit decides the switch's initial state and the row's Off."""
    replica.set_setting(AI, False, account=account)
    page = new_page(signed_in=account)
    page.goto(DESKTOP_SETTING_URL)
    expect(switch(page)).not_to_be_checked()
    expect(switch(page)).to_have_attribute("aria-checked", "false")
    page.goto(PRIVACY_URL)
    research = page.get_by_role(
        "link", name=re.compile("^Social, economic, and workplace research")
    )
    expect(research).to_have_text(re.compile(r"On$"))
    expect(
        page.get_by_role("link", name=re.compile("^Data for Generative AI Improvement"))
    ).to_have_text(re.compile(r"Off$"))


def test_save_fails_reverts_and_stores_nothing(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """When the API answers 500 the page flips the switch back and shows an error toast."""
    replica.scenario.save_fails = True
    page = new_page(signed_in=account)
    page.goto(DESKTOP_SETTING_URL)
    before = len(replica.writes)
    switch(page).click()
    expect(page.get_by_role("alert")).to_have_text("Something went wrong. Please try again.")
    expect(switch(page)).to_be_checked()
    expect(switch(page)).to_have_attribute("aria-checked", "true")
    expect(page.locator(".artdeco-toggle__text")).to_have_text("On")
    assert replica.get_setting(AI, account) is True
    assert replica.writes[before:] == [
        {"key": AI, "value": False, "account": account, "stored": False, "status": 500}
    ]


def test_save_lost_looks_saved_until_reload(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """With save_lost the page shows Off and a success toast, but a reload shows On again."""
    replica.scenario.save_lost = True
    page = new_page(signed_in=account)
    page.goto(DESKTOP_SETTING_URL)
    switch(page).click()
    expect(page.get_by_role("alert")).to_have_text("Your setting was updated.")
    expect(switch(page)).not_to_be_checked()
    assert replica.get_setting(AI, account) is True
    assert replica.writes[-1]["stored"] is False and replica.writes[-1]["status"] == 200
    page.reload()
    expect(switch(page)).to_be_checked()


def test_switch_is_disabled_while_saving(replica: Replica, new_page: NewPage, account: str) -> None:
    """During a slow save the switch is disabled, so a second click cannot race the first."""
    page = new_page(signed_in=account)
    page.goto(DESKTOP_SETTING_URL)
    replica.scenario.slow_ms = 400
    switch(page).click()
    expect(switch(page)).to_be_disabled()
    expect(switch(page)).to_be_enabled()
    assert replica.get_setting(AI, account) is False


def test_settings_api_checks_session_csrf_and_input(replica: Replica, account: str) -> None:
    """The API answers 401 without a session, 403 without the CSRF token, 400 for bad input."""
    cookie = replica.sign_in_cookie(account)["value"]
    body = b'{"key": "allowDataForGenerativeAI", "value": false}'
    api = "/mypreferences/api/settings"
    before = len(replica.writes)
    status, _, _ = raw_request(replica, "POST", api, {"Content-Type": "application/json"}, body)
    assert status == 401
    jar = f'li_at={cookie}; JSESSIONID="ajax:1"'
    status, _, _ = raw_request(replica, "POST", api, {"Cookie": jar}, body)
    assert status == 403
    headers = {"Cookie": jar, "csrf-token": "ajax:1"}
    status, _, _ = raw_request(replica, "POST", api, headers, b'{"key": "nope", "value": false}')
    assert status == 400
    status, _, _ = raw_request(replica, "POST", api, headers, body)
    assert status == 200
    assert [(w["status"], w["account"], w["stored"]) for w in replica.writes[before:]] == [
        (401, None, False),
        (403, account, False),
        (400, account, False),
        (200, account, True),
    ]
    assert replica.get_setting(AI, account) is False


# --------------------------------------------------------------------------------------------
# Scenarios that make pages harder
# --------------------------------------------------------------------------------------------


def test_not_offered_hides_row_and_404s_setting_urls(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """An account without the setting: no row in Data privacy, and its URLs are 'Page not found'."""
    replica.scenario.not_offered = True
    page = new_page(signed_in=account)
    page.goto(PRIVACY_URL)
    expect(page.get_by_role("link", name=re.compile("^Social, economic"))).to_be_visible()
    final_click = FLOW["navigate"]["desktop"][-2]["click"]
    for alt in alternatives(final_click):
        expect(flow_locator(page, alt)).to_have_count(0)
    response = page.goto(DESKTOP_SETTING_URL)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(not_offered_text(page)).to_be_visible()
    expect(page.locator("#global-nav")).to_be_visible()  # still signed in
    expect(switch(page)).to_have_count(0)

    phone = new_page(signed_in=account, mobile=True)
    response = phone.goto(MOBILE_SETTING_URL)
    assert response is not None and response.status == 404
    expect(not_offered_text(phone)).to_be_visible()
    phone.goto(BASE + "/mypreferences/m/categories/privacy")
    expect(
        phone.locator('a[href$="/mypreferences/m/settings/data-for-ai-improvement"]')
    ).to_have_count(0)
    expect(
        phone.locator('a[href$="/mypreferences/m/settings/policy-and-academic-research"]')
    ).to_be_visible()


def test_unknown_path_is_page_not_found(new_page: NewPage) -> None:
    """Any other URL gets LinkedIn's 404 page, whose text the flow's not_offered check knows."""
    page = new_page()
    response = page.goto(BASE + "/mypreferences/d/settings/data-for-generative-ai-improvement")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(not_offered_text(page)).to_be_visible()


def test_late_switch_arrives_after_load(replica: Replica, new_page: NewPage, account: str) -> None:
    """With late_switch_ms the switch is not in the page's HTML and is added that much later."""
    replica.scenario.late_switch_ms = 1500
    page = new_page(signed_in=account)
    response = page.goto(DESKTOP_SETTING_URL, wait_until="domcontentloaded")
    assert response is not None
    html = response.text()
    assert html.count('<input role="switch"') == 1  # only inside the inert <template>
    assert html.index('<input role="switch"') > html.index('<template id="late-switch">')
    expect(switch(page)).to_have_count(0)
    expect(switch(page)).to_be_visible(timeout=10_000)
    assert page.evaluate("window.__replicaSwitchInsertedAt") >= 1500
    expect_each_alternative_unique(page, FLOW["switch"]["target"])
    switch(page).click()
    expect(page.get_by_role("alert")).to_have_text("Your setting was updated.")
    assert replica.get_setting(AI, account) is False


def test_promo_dialog_blocks_clicks_until_dismissed(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """The Premium modal covers the page and eats clicks; the flow's Dismiss locator closes it."""
    replica.scenario.promo_dialog = True
    page = new_page(signed_in=account)
    page.goto(BASE + "/feed/")
    overlay = FLOW["overlays"][0]
    dialog = flow_locator(page, overlay["appears"][0])
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    me = page.get_by_role("button", name=re.compile(r"(^|\s)Me$"))
    box = me.bounding_box()
    assert box is not None
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).className",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top == "artdeco-modal-overlay"
    with pytest.raises(PlaywrightTimeout):
        me.click(timeout=500)
    expect_each_alternative_unique(page, overlay["dismiss"]).click()
    expect(dialog).to_have_count(0)
    me.click()
    expect(me).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Settings & Privacy", exact=True)).to_be_visible()


def test_slow_ms_delays_every_response(replica: Replica) -> None:
    """slow_ms holds each response back on the server side."""
    replica.scenario.slow_ms = 300
    started = time.monotonic()
    status, _, _ = raw_request(replica, "GET", "/login")
    assert status == 200
    assert time.monotonic() - started >= 0.3


# --------------------------------------------------------------------------------------------
# UI variants: a redesign the flow must survive
# --------------------------------------------------------------------------------------------

FEED_URL = BASE + "/feed/"
HUB_URL = BASE + "/mypreferences/d/categories/account"
#: The desktop page each `Scenario.promo_at` name stands for.
PROMO_PAGE_URLS = {
    "feed": FEED_URL,
    "hub": HUB_URL,
    "privacy": PRIVACY_URL,
    "setting": DESKTOP_SETTING_URL,
}
EVERY_VARIANT: dict[str, Any] = {
    "language": "de",
    "switch_markup": "aria-button",
    "renamed_classes": True,
    "reordered_menus": True,
}


def use_variant(replica: Replica, **fields: Any) -> None:
    replica.scenario = dataclasses.replace(Scenario(), **fields)


def _leaves(value: Any) -> Iterator[str]:
    """Every string in a string table (dicts, lists and tuples of strings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    else:
        for item in value:
            yield from _leaves(item)


#: English UI strings that German says differently ("Jobs" or "LinkedIn" are the same in both).
ENGLISH_ONLY = sorted(set(_leaves(STRINGS["en"])) - set(_leaves(STRINGS["de"])))

#: The page's words: text nodes, the title, and names given in attributes.
PAGE_WORDS_JS = """() => {
  const out = [document.title];
  for (const el of document.querySelectorAll('body *:not(script):not(style)')) {
    for (const a of ['aria-label', 'placeholder', 'alt']) {
      if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    }
    for (const n of el.childNodes) if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent);
  }
  return out.join('\\n');
}"""


def english_left(page: Page) -> list[str]:
    words = page.evaluate(PAGE_WORDS_JS)
    return [s for s in ENGLISH_ONLY if re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", words)]


def test_every_language_has_every_string() -> None:
    """The string tables have the same keys, so no page can fall back to English by accident."""

    def keys(table: dict[str, Any], prefix: str = "") -> set[str]:
        found = set()
        for key, value in table.items():
            found.add(prefix + key)
            if isinstance(value, dict):
                found |= keys(value, prefix + key + ".")
        return found

    assert set(STRINGS) >= {"en", "de"}
    for language, table in STRINGS.items():
        assert keys(table) == keys(STRINGS["en"]), language


def test_german_pages_are_all_german_with_the_same_urls_and_ids(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """language "de": LinkedIn's German names along the whole path, no English left, and the
    same URLs and aria-labelledby as the English site."""
    use_variant(replica, language="de")
    page = new_page(signed_in=account)
    page.goto(FEED_URL)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("button", name=re.compile(r"(^|\s)Ich$")).click()
    expect(page.get_by_role("link", name="Einstellungen & Datenschutz", exact=True)).to_be_visible()
    assert english_left(page) == []
    page.get_by_role("link", name="Einstellungen & Datenschutz", exact=True).click()
    expect(page).to_have_url(HUB_URL)
    page.get_by_role("link", name="Datenschutz", exact=True).click()
    expect(page).to_have_url(PRIVACY_URL)
    row = page.get_by_role("link", name=re.compile("^Daten zur Verbesserung generativer KI"))
    expect(row).to_have_text(re.compile("Ein$"))
    assert english_left(page) == []
    row.click()
    expect(page).to_have_url(DESKTOP_SETTING_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Daten zur Verbesserung generativer KI"
    )
    control = page.get_by_role(
        "switch",
        name="Meine Daten für das Training von KI-Modellen zur Erstellung von Inhalten verwenden",
        exact=True,
    )
    expect(control).to_have_attribute("aria-labelledby", AI)
    expect(page.locator(".artdeco-toggle__text")).to_have_text("Ein")
    assert english_left(page) == []
    control.click()
    expect(page.get_by_role("alert")).to_have_text("Ihre Einstellung wurde aktualisiert.")
    expect(page.locator(".artdeco-toggle__text")).to_have_text("Aus")
    assert replica.get_setting(AI, account) is False

    response = page.goto(BASE + "/mypreferences/d/settings/data-for-generative-ai-improvement")
    assert response is not None and response.status == 404
    expect(page.get_by_text("Diese Seite existiert nicht")).to_be_visible()
    expect(not_offered_text(page)).to_be_visible()
    assert english_left(page) == []

    phone = new_page(signed_in=account, mobile=True)
    phone.goto(FEED_URL)
    phone.get_by_role("button", name="Navigationsmenü öffnen", exact=True).click()
    expect(phone.get_by_role("link", name="Einstellungen", exact=True)).to_be_visible()
    assert english_left(phone) == []

    guest = new_page()
    guest.goto(DESKTOP_SETTING_URL)
    expect(guest.get_by_role("link", name="Einloggen", exact=True)).to_be_visible()
    assert english_left(guest) == []


def test_aria_button_switch_saves_on_click_and_reverts_on_failure(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """switch_markup "aria-button": a <button role="switch" aria-checked>, no input, with the
    same save-on-change, toast, and revert when the save fails."""
    use_variant(replica, switch_markup="aria-button")
    page = new_page(signed_in=account)
    response = page.goto(DESKTOP_SETTING_URL)
    assert response is not None and 'type="checkbox"' not in response.text()
    control = page.locator(f'[role="switch"][aria-labelledby="{AI}"]')
    expect(control).to_have_count(1)
    assert control.evaluate("el => [el.tagName, el.type]") == ["BUTTON", "button"]
    expect(page.get_by_role("switch", name=FLOW["switch"]["label"], exact=True)).to_be_checked()
    expect(control).to_have_css("background-color", "rgb(1, 117, 79)")  # styled as "on"
    control.click()
    expect(control).to_have_attribute("aria-checked", "false")
    expect(page.get_by_role("alert")).to_have_text("Your setting was updated.")
    expect(page.locator(".artdeco-toggle__text")).to_have_text("Off")
    expect(control).to_have_css("background-color", "rgb(102, 102, 102)")
    assert replica.get_setting(AI, account) is False
    page.reload()
    expect(control).to_have_attribute("aria-checked", "false")

    replica.scenario.save_fails = True
    before = len(replica.writes)
    control.click()
    expect(page.get_by_role("alert")).to_have_text("Something went wrong. Please try again.")
    expect(control).to_have_attribute("aria-checked", "false")
    assert replica.get_setting(AI, account) is False
    assert [(w["value"], w["status"]) for w in replica.writes[before:]] == [(True, 500)]


CLASS_TOKENS_JS = """() => [...new Set(
  [...document.querySelectorAll('[class]')].flatMap(el => [...el.classList]))]"""
SELECTORS_JS = """() => [...document.styleSheets].flatMap(
  sheet => [...sheet.cssRules].map(rule => rule.selectorText || ''))"""


def test_renamed_classes_leave_no_original_name_and_keep_the_look(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """renamed_classes: every class (and #global-nav) is hashed, in markup, stylesheet and
    script; pages look and work the same."""
    views = [
        (FEED_URL, False),
        (DESKTOP_SETTING_URL, False),
        (FEED_URL, True),
        (BASE + "/nope", False),
    ]
    landmarks = ("header", "main", "h1", '[role="switch"]')
    for url, mobile in views:
        original: set[str] = set()
        boxes: dict[bool, list[Any]] = {}
        for renamed in (False, True):
            use_variant(replica, renamed_classes=renamed, promo_at="feed", promo_delay_ms=0)
            page = new_page(signed_in=account, mobile=mobile)
            page.goto(url)
            if url == FEED_URL:  # the promotion's markup counts too
                expect(page.get_by_role("dialog")).to_be_visible()
            tokens = set(page.evaluate(CLASS_TOKENS_JS))
            if not renamed:
                selectors = " ".join(page.evaluate(SELECTORS_JS))
                original = tokens | set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selectors))
                assert "artdeco-toggle__button" in original
            else:
                assert tokens and not tokens & original, (url, tokens & original)
                assert all(re.fullmatch(r"_[0-9a-z]{5}", t) for t in tokens), tokens
                style = page.locator("style").text_content() or ""
                left = [
                    c for c in original if re.search(r"\." + re.escape(c) + r"(?![\w-])", style)
                ]
                assert left == [], url
                expect(page.locator("#global-nav")).to_have_count(0)
            boxes[renamed] = [
                page.locator(sel).first.bounding_box() if page.locator(sel).count() else None
                for sel in landmarks
            ]
        assert boxes[True] == boxes[False], url

    # The script still finds what it drives: the Me menu, the drawer, the switch and its toast.
    use_variant(replica, renamed_classes=True)
    page = new_page(signed_in=account)
    page.goto(FEED_URL)
    for alt in alternatives(FLOW["login"]["signed_in"])[1:]:
        expect(flow_locator(page, alt)).to_have_count(1)
    me = page.locator("header nav button[aria-expanded]:has(img)")
    me.click()
    expect(me).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Settings & Privacy", exact=True).click()
    page.goto(DESKTOP_SETTING_URL)
    switch(page).click()
    toast = page.get_by_role("alert")
    expect(toast).to_have_text("Your setting was updated.")
    expect(toast).to_have_css("border-left-width", "6px")
    assert not set(toast.evaluate("el => [...el.classList]")) & {"artdeco-toast"}
    phone = new_page(signed_in=account, mobile=True)
    phone.goto(FEED_URL)
    phone.get_by_role("button", name="Open navigation menu", exact=True).click()
    expect(phone.get_by_role("navigation", name="Navigation drawer")).to_be_visible()


def test_reordered_menus_change_every_order_and_move_the_ai_row(
    replica: Replica, new_page: NewPage, account: str
) -> None:
    """reordered_menus: the Me menu, the drawer, the settings menu (Data privacy first) and the
    rows come in another order, and the AI row sits in another section."""
    hrefs = "els => els.map(el => el.getAttribute('href'))"
    seen: dict[bool, dict[str, Any]] = {}
    for reordered in (False, True):
        use_variant(replica, reordered_menus=reordered)
        page = new_page(signed_in=account)
        page.goto(PRIVACY_URL)
        phone = new_page(signed_in=account, mobile=True)
        phone.goto(FEED_URL)
        seen[reordered] = {
            "me": page.locator("#me-menu a").evaluate_all(hrefs),
            "menu": page.get_by_role("navigation", name="Settings")
            .locator("a")
            .evaluate_all(hrefs),
            "rows": page.locator("main a").evaluate_all(hrefs),
            "ai section": page.locator(
                'section:has(a[href$="/data-for-ai-improvement"]) h2'
            ).inner_text(),
            "drawer": phone.locator('nav[aria-label="Navigation drawer"] a').evaluate_all(hrefs),
        }
    before, after = seen[False], seen[True]
    for name in ("me", "menu", "rows", "drawer"):
        assert after[name] != before[name] and sorted(after[name]) == sorted(before[name]), name
    assert after["menu"][0].endswith("/categories/privacy")
    assert before["menu"][0].endswith("/categories/account")
    assert (before["ai section"], after["ai section"]) == (
        "How LinkedIn uses your data",
        "Other applications",
    )


@pytest.mark.parametrize("where", PROMO_PAGE_URLS)
def test_promo_at_shows_the_promotion_on_that_page_only(
    replica: Replica, account: str, where: str
) -> None:
    """promo_at names the one member page that carries the promotion."""
    use_variant(replica, promo_at=where)
    jar = {"Cookie": "li_at=" + replica.sign_in_cookie(account)["value"]}
    served = {}
    for name, url in PROMO_PAGE_URLS.items():
        status, _, body = raw_request(replica, "GET", url.removeprefix(BASE), jar)
        assert status == 200
        served[name] = b'<template id="promo-template">' in body
    assert served == {name: name == where for name in PROMO_PAGE_URLS}
    status, _, body = raw_request(replica, "GET", "/mypreferences/m/home", jar)
    assert (b'<template id="promo-template">' in body) is (where == "hub")


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_late_promotion_appears_after_its_delay_and_the_flow_closes_it(
    replica: Replica, new_page: NewPage, account: str, language: str
) -> None:
    """promo_delay_ms holds the promotion back; the flow's overlay locators find it and its
    close button in either language."""
    use_variant(replica, language=language, promo_at="setting", promo_delay_ms=1200)
    page = new_page(signed_in=account)
    page.goto(DESKTOP_SETTING_URL)
    dialog = flow_locator(page, FLOW["overlays"][0]["appears"][0])
    expect(dialog).to_be_visible(timeout=10_000)
    assert page.evaluate("window.__replicaPromoShownAt") >= 1200
    expect_each_alternative_unique(page, FLOW["overlays"][0]["dismiss"]).click()
    expect(dialog).to_have_count(0)


WALK_VARIANTS: dict[str, dict[str, Any]] = {
    "german": {"language": "de"},
    "aria-button": {"switch_markup": "aria-button"},
    "renamed-classes": {"renamed_classes": True},
    "reordered-menus": {"reordered_menus": True},
    "everything": EVERY_VARIANT,
}


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
@pytest.mark.parametrize("fields", WALK_VARIANTS.values(), ids=WALK_VARIANTS.keys())
def test_every_flow_locator_finds_its_element_on_a_variant(
    replica: Replica, new_page: NewPage, account: str, fields: dict[str, Any], platform: str
) -> None:
    """Each alternative of every navigation step (URL, structure, English or German name) finds
    exactly one element on a redesign; of the switch's, all but the input-only one."""
    use_variant(replica, **fields)
    page = new_page(signed_in=account, mobile=platform == "mobile")
    run_flow_navigation(page, platform)
    targets = alternatives(FLOW["switch"]["target"])
    if fields.get("switch_markup") == "aria-button":
        expect(flow_locator(page, targets[0])).to_have_count(0)
        targets = [alt for alt in targets if not alt.get("css", "").startswith("input")]
    expect_each_alternative_unique(page, targets)


# --------------------------------------------------------------------------------------------
# Running it by hand, and stopping
# --------------------------------------------------------------------------------------------


def test_stop_is_quick_with_a_connection_open() -> None:
    """stop() returns promptly even while a browser keeps a connection alive."""
    fresh = Replica().start()
    status, _, _ = raw_request(fresh, "GET", "/login")
    assert status == 200
    conn = http.client.HTTPSConnection(fresh.host, fresh.port, context=_tls(), timeout=10)
    conn.request("GET", "/login")
    conn.getresponse().read()  # keep-alive: the server thread now waits for a next request
    started = time.monotonic()
    fresh.stop()
    conn.close()
    assert time.monotonic() - started < 2


def test_module_entry_point_prints_chromium_args() -> None:
    """`python -m optout_bot.replicas` serves, prints the Chromium switches, stops on Ctrl-C."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "optout_bot.replicas"],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    try:
        assert proc.stdout is not None
        output = ""
        deadline = time.monotonic() + 15
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while "Ctrl-C" not in output and time.monotonic() < deadline:
                if sel.select(timeout=max(0.0, deadline - time.monotonic())):
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    output += chunk.decode()
        assert re.search(r"--host-resolver-rules=MAP www.linkedin.com 127.0.0.1:\d+", output), (
            output
        )
        assert "--ignore-certificate-errors-spki-list=" in output
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
