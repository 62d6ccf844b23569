"""The click guard and the switch guard against hostile pages (tests/hostile_pages/), in a real
Chromium: a click is judged by everything it acts on, however its words are disguised, and a
switch must be a switch, named as the flow says, and not a denied action. The vocabulary is
word stems in English and German, shared with the URL guard.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from optout_bot.engine import guard, locators, switch
from optout_bot.engine import steps as actions
from optout_bot.flow import load_flow_text
from optout_bot.flow.model import Locator, SwitchSpec, Target
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW

PAGES = Path(__file__).resolve().parent / "hostile_pages"


@pytest.fixture(scope="module")
def tab(browser, browser_context_args) -> Iterator[Page]:
    """One page for the module: each test opens its own document."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


def _open(tab: Page, name: str) -> Page:
    tab.goto("about:blank")
    tab.goto((PAGES / name).as_uri())
    return tab


def _found(page: Page, css: str) -> locators.Found:
    found = locators.find(page, Target((Locator("css", css),)), 2_000, "attached")
    assert found is not None, css
    return found


def _refused(page: Page, css: str, because: str | None = None) -> str:
    """The guard's reason for refusing a click on `css`; fails if it was clicked."""
    with pytest.raises(actions.Refused) as info:
        actions.guarded_click(_found(page, css), 2_000, because)
    assert page.evaluate("window.clicks") == 0
    return info.value.reason


# -- what a click acts on -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "reason"),
    [
        (
            "#icon",
            "refused to click button '🗑 Delete' (a <svg> inside it was the target): 'delete' "
            "reads as a destructive action, and optout-bot never does those",
        ),
        ("#glyph", "button '🗑 Delete' (a <span> inside it was the target)"),
        ("#out", "link 'Sign out' (a <span> inside it was the target): 'sign out' reads as"),
        ("#sign", "'sign out' reads as signing out"),
        (
            "#settings-label",
            "label 'Settings', which clicks button 'Delete account': 'delete' reads as a "
            "destructive action",
        ),
        ("#menu-text", "menuitem 'Data privacy · Remove' (a <span> inside it was the target)"),
    ],
    ids=[
        "svg in button",
        "span in button",
        "half of split link",
        "other half",
        "label for",
        "menu item",
    ],
)
def test_a_click_is_judged_by_the_element_that_acts_on_it(tab, css, reason):
    """An icon inside a Delete button, half of a split Sign out link, a label whose control
    deletes: the guard judges what acts on the click, and says which it was."""
    page = _open(tab, "inside-a-button.html")
    assert reason in _refused(page, css)


@pytest.mark.parametrize(
    "element",
    [
        "zero-width",
        "soft-hyphen",
        "homoglyph",
        "greek",
        "fullwidth",
        "combining",
        "css-before",
        "css-after",
        "font-size-zero",
        "zero-size",
        "hidden-word",
        "rtl-override",
        "rtl-css",
        "long",
        "labelled",
        "image-only",
    ],
)
def test_disguised_words_are_read_as_a_person_reads_them(tab, element):
    """Zero-width and bidi characters, soft hyphens, lookalike letters, fullwidth forms,
    combining marks, CSS-drawn words, invisible filler, hidden words, right-to-left text, a
    long name with the word at its end, a name from aria-labelledby and an image's alt as an
    icon button's only name: each is refused, unclicked."""
    page = _open(tab, "disguised.html")
    reason = _refused(page, f"#{element}")
    assert "never does those" in reason


def test_the_photo_alt_text_is_not_read_as_an_action(page):
    """The Me button shows the member's photo; a member called 'Sandy Share' is not an
    action: an image's alt is read only when it is the element's only name."""
    page.set_content(
        "<button id='me' aria-expanded='false'><img alt='Sandy Share' src='data:,'>"
        "<span>Me</span></button>"
    )
    click = guard.read_click(_found(page, "#me"))
    assert guard.click_refusal(click) is None


def test_a_click_on_something_no_flow_needs_must_say_why(tab):
    """A plain button that is not a link, menu item, tab, disclosure or a dialog's close
    button is refused unless the step says why (because:), and then clicked."""
    page = _open(tab, "switches.html")
    reason = _refused(page, "#plain-button")
    assert reason == (
        "refused to click button 'Open': a flow clicks links, menu items, tabs, disclosure "
        "buttons and a dialog's close button; for anything else the step must say why "
        "(because: ...)"
    )
    actions.guarded_click(_found(page, "#plain-button"), 2_000, "it opens the row")
    assert page.evaluate("window.clicks") == 1


def test_a_reason_does_not_unlock_a_denied_action(tab):
    """`because:` lets a plain button be clicked, never one that reads as delete."""
    page = _open(tab, "inside-a-button.html")
    assert "destructive" in _refused(page, "#delete", because="to tidy up")


# -- the vocabulary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording",
    [
        "Following",
        "Follow",
        "Unfollow",
        "Followed",
        "Sign-out",
        "Signout",
        "Log off",
        "Request deletion",
        "Deleted",
        "Remove connection",
        "Disconnect",
        "Unsubscribe",
        "Reply",
        "Replies",
        "Place order",
        "Close LinkedIn account",
        "Close your account",
        "Cancel my subscription",
        "Repost",
        "Send message",
        "Try Premium for free",
        "Zahlungspflichtig bestellen",
        "Ausloggen",
        "Abmelden",
        "Jetzt upgraden",
        "Konto dauerhaft schließen",
        "Konto löschen",
        "Beitrag teilen",
        "Gefällt mir",
        "Jetzt kaufen",
    ],
)
def test_every_wording_of_a_denied_action_is_refused(wording):
    """Denied actions are matched on word stems, inflections and phrases, in English and
    German."""
    assert guard.refusal(wording) is not None


@pytest.mark.parametrize(
    "wording",
    [
        "Me",
        "Ich",
        "Settings & Privacy",
        "Einstellungen & Datenschutz",
        "Data privacy",
        "Datenschutz",
        "Einstellungen",
        "Data for Generative AI Improvement On",
        "Daten zur Verbesserung generativer KI Aus",
        "Daten für die Verbesserung generativer KI",
        "Use my data for training content creation AI models",
        "Meine Daten für das Training von KI-Modellen zur Erstellung von Inhalten verwenden",
        "Dismiss",
        "Schließen",
        "Open navigation menu",
        "Navigationsmenü öffnen",
        "Messaging",
        "Account preferences",
    ],
)
def test_the_settings_path_reads_as_nothing_denied(wording):
    """What a person clicks and reads on the way to a privacy setting is not refused."""
    assert guard.refusal(wording) is None


@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("https://www.linkedin.com/m/logout/", "logout"),
        ("https://www.linkedin.com/m/log-out", "log out"),
        ("https://www.linkedin.com/settings/deleteAccount", "delete"),
        ("https://www.linkedin.com/psettings/close-your-account", "close your account"),
        ("https://www.linkedin.com/premium/checkout?upgrade=1", "checkout"),
        ("https://www.linkedin.com/email/unsubscribe?id=1", "unsubscribe"),
        ("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement", None),
        ("https://www.linkedin.com/messaging/", None),
        ("https://www.linkedin.com/feed/update/urn:li:activity:1/posts", None),
    ],
)
def test_urls_are_judged_by_the_same_vocabulary_less_its_social_words(url, word):
    """The URL guard reads the path and query as words, with the click vocabulary's
    destructive, sign-out and money stems."""
    assert guard.url_refusal(url) == word


# -- the switch ---------------------------------------------------------------------------


def _spec(label: str, *alternatives: str, wanted: str = "off") -> SwitchSpec:
    """A switch spec as a shared flow would write it (the LinkedIn flow, its switch changed)."""
    text = LINKEDIN_FLOW.read_text()
    start, end = text.index("switch:\n"), text.index("\n# The page LinkedIn shows")
    targets = "".join(f"    - {alt}\n" for alt in alternatives)
    block = f'switch:\n  label: {label}\n  target:\n{targets}  wanted: "{wanted}"\n'
    return load_flow_text(text[:start] + block + text[end:], "hostile.yaml").switch


def _judge(page: Page, css: str, spec: SwitchSpec) -> str | None:
    facts = switch.Probe(page.locator(css), css, 2_000).judge()
    assert facts is not None
    return guard.switch_refusal(facts, spec)


@pytest.mark.parametrize(
    ("css", "label", "reason"),
    [
        (
            "#follow",
            "Follow",
            "refused to read or set button 'Follow': it is a toggle button (aria-pressed), not "
            "a setting's switch or checkbox",
        ),
        (
            "#delete-account",
            "Delete my account",
            "refused to read or set checkbox 'Delete my account': 'delete' reads as a destructive "
            "action",
        ),
        (
            "#ai",
            "Opt out of AI training",
            "refused to read or set the switch: the page names it 'Use my data for training "
            "content creation AI models', not the flow's label 'Opt out of AI training' nor a "
            "name its target declares",
        ),
        (
            "#plain-button",
            "Open",
            "refused to read or set button 'Open': it is not a switch or a checkbox",
        ),
        (
            "#nameless",
            "Use my data",
            "refused to read or set the switch: it has no name on the page to compare with the "
            "flow's label 'Use my data'",
        ),
    ],
    ids=["follow toggle", "delete checkbox", "label of the opposite meaning", "button", "nameless"],
)
def test_the_switch_must_be_a_switch_named_as_the_flow_says(tab, css, label, reason):
    """A Follow toggle, a Delete my account checkbox, a switch the page names differently
    from the flow's label, a plain button and a nameless switch are refused, untouched."""
    page = _open(tab, "switches.html")
    spec = _spec(label, f"css: '{css}'")
    assert reason in (_judge(page, css, spec) or "")
    assert page.evaluate("window.clicks") == 0


@pytest.mark.parametrize(
    ("label", "alternative"),
    [
        ("Use my data for training content creation AI models", "css: '#ai'"),
        ("use my data for TRAINING", "css: '#ai'"),
        (
            "Meine Daten für das Training",
            "{role: switch, name_regex: '^(Use my data|Meine Daten)'}",
        ),
    ],
    ids=["label", "part of it, any case", "a translation in name_regex"],
)
def test_a_switch_named_as_the_flow_declares_passes(tab, label, alternative):
    """The page's name matches when it holds the flow's label, or matches a name_regex that
    the flow's label matches too (the label in another language)."""
    page = _open(tab, "switches.html")
    assert _judge(page, "#ai", _spec(label, alternative)) is None


@pytest.mark.parametrize(
    "alternative",
    [
        "{role: switch, name_regex: '.*'}",
        "{role: switch, name_regex: '^Use my data'}",
        "{role: switch, name: Use my data for training content creation AI models}",
    ],
    ids=["matches anything", "names the page's switch only", "exact name"],
)
def test_a_flow_cannot_call_a_switch_by_another_name(tab, alternative):
    """A regex that matches any name declares none, and a declared name that the flow's
    label does not fit does not make the label right."""
    page = _open(tab, "switches.html")
    spec = _spec("Opt out of AI training", alternative)
    assert "not the flow's label 'Opt out of AI training'" in (_judge(page, "#ai", spec) or "")


def test_a_flow_that_calls_the_ai_switch_opt_out_cannot_switch_training_on(
    linkedin, replica, tmp_path
):
    """A shared flow whose label says 'Opt out of AI training' with wanted on, aimed at the
    AI-training switch, would switch training back on: the switch's name on the page is not
    the flow's label, so the run stops (exit 1) with nothing clicked."""
    text = LINKEDIN_FLOW.read_text()
    text = text.replace(
        "  label: Use my data for training content creation AI models",
        "  label: Opt out of AI training",
    ).replace('  wanted: "off"', '  wanted: "on"')
    evil = tmp_path / "evil.yaml"
    evil.write_text(text)
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    result = linkedin("run", "--yes", flow=str(evil))
    assert result.code == 1
    assert result.json["status"] == "flow_broken"
    assert result.json["reason"].startswith(
        "refused to read or set the switch: the page names it 'Use my data for training "
        "content creation AI models', not the flow's label 'Opt out of AI training'"
    )
    assert replica.writes == []
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_a_steps_reason_is_shown_in_the_plan():
    """`because:` is part of the flow language, and --dry-run shows it beside the click."""
    text = LINKEDIN_FLOW.read_text().replace(
        "      missing_means: not_offered\n    - expect_url: '/mypreferences/d/",
        "      missing_means: not_offered\n      because: the row opens the setting\n"
        "    - expect_url: '/mypreferences/d/",
        1,
    )
    flow = load_flow_text(text, "with-reason.yaml")
    step = flow.navigate["desktop"][4]
    assert step.because == "the row opens the setting"
    assert actions.describe(step).endswith("(because: the row opens the setting)")


@pytest.mark.parametrize(
    ("html", "refused"),
    [
        ('<a id="t" href="/settings/share-data">Data sharing with select partners On</a>', False),
        ('<a id="t" href="/settings/delete">Delete account</a>', True),
        ('<a id="t" href="/settings/x">Sign out</a>', True),
        ('<a id="t" href="#">Share</a>', True),
        ('<a id="t" href="javascript:void(0)">Follow</a>', True),
        ('<button id="t" aria-expanded="false">Share</button>', True),
        ('<div role="button" id="w"><a id="t" href="/x">Share post</a></div>', True),
    ],
    ids=[
        "a settings link about sharing",
        "a link that deletes",
        "a link that signs out",
        "a script-only link",
        "a javascript: link",
        "a button",
        "a link inside a button",
    ],
)
def test_a_link_that_leads_to_a_page_is_judged_as_a_navigation(page, html, refused):
    """A link to a page is judged as its URL is, without the social words; everything that
    acts by script is judged by them all."""
    page.set_content(html)
    found = locators.find(page, Target((Locator("css", "#t"),)), 2_000, "attached")
    assert found is not None
    reason = guard.click_refusal(guard.read_click(found))
    assert (reason is not None) == refused, reason


@pytest.mark.parametrize(("wanted", "refused"), [("off", False), ("on", True)])
def test_a_social_switch_may_be_switched_off_never_on(page, wanted, refused):
    """Switching "Share my data with select partners" off is an opt-out; on, the sharing."""
    page.set_content(
        '<input type="checkbox" role="switch" id="s"'
        ' aria-label="Share my data with select partners">'
    )
    spec = _spec("Share my data with select partners", "css: '#s'", wanted=wanted)
    reason = _judge(page, "#s", spec)
    if refused:
        assert reason is not None and "'share' reads as a social action" in reason
    else:
        assert reason is None


@pytest.mark.parametrize(
    ("html", "because", "refused"),
    [
        ('<button id="t">Reject all</button>', None, False),
        ('<button id="t">Refuse non-essential cookies</button>', None, False),
        ('<button id="t">Only necessary cookies</button>', None, False),
        ('<button id="t">Alle ablehnen</button>', None, False),
        ('<button id="t">Accept all cookies</button>', "to get rid of the banner", True),
        ('<button id="t">Allow all</button>', "to get rid of the banner", True),
        ('<a id="t" href="/consent?all=1">Accept all cookies</a>', None, True),
        ('<button id="t">Alle akzeptieren</button>', "weg damit", True),
    ],
)
def test_a_cookie_banner_gets_the_most_private_answer_never_accept_all(
    page, html, because, refused
):
    """A banner's "Reject all" / "Only necessary" is a close button a flow may click; "Accept
    all" is refused in any form, link or button, whatever reason the step gives."""
    page.set_content(f'<div role="dialog" aria-label="Cookies">{html}</div>')
    found = locators.find(page, Target((Locator("css", "#t"),)), 2_000, "attached")
    assert found is not None
    reason = guard.click_refusal(guard.read_click(found), because)
    assert (reason is not None) == refused, reason
    if refused:
        assert "consent" in (reason or "")
