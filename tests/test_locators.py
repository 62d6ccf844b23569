"""Finding a flow's target: the page's own one-round-trip answer (`locators._fast`, see
pagecalls.py) finds exactly what Playwright's way finds, brings the caller's answers along,
and leaves to Playwright whatever it cannot prove."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from optout_bot.engine import guard, locators, pagecalls
from optout_bot.flow.model import Locator, Target


def _css(*selectors: str) -> Target:
    return Target(tuple(Locator("css", s) for s in selectors))


def _playwright_way(page: Page, target: Target, state: locators.WaitState) -> int | None:
    """Which alternative Playwright's own way finds: the reference."""
    for index, alt in enumerate(target.alternatives):
        loc = locators.to_playwright(page, alt)
        if loc.first.is_visible() if state == "visible" else loc.count() > 0:
            return index
    return None


HIDDEN = {
    "display:none": '<button id="a" style="display:none">A</button>',
    "visibility:hidden": '<button id="a" style="visibility:hidden">A</button>',
    "zero size": '<button id="a" style="width:0;height:0;padding:0;border:0"></button>',
    "hidden parent": '<div hidden><button id="a">A</button></div>',
    "content-visibility": '<div style="content-visibility:hidden"><button id="a">A</button></div>',
    "opacity 0 (visible to Playwright)": '<button id="a" style="opacity:0">A</button>',
    "off screen (visible to Playwright)": (
        '<button id="a" style="position:fixed;left:-999px">A</button>'
    ),
    "plain": '<button id="a">A</button>',
}


@pytest.mark.parametrize("html", HIDDEN.values(), ids=HIDDEN.keys())
@pytest.mark.parametrize("state", ["visible", "attached"])
def test_the_page_finds_the_alternative_playwright_finds(page: Page, html: str, state):
    """First alternative in every kind of hiding (and not hiding), a visible second one: the
    page's answer is Playwright's, for both states a step waits for."""
    page.set_content(f'{html}<a id="b" href="#b">B</a>')
    target = _css("#a", "#b")

    found = locators.find_now(page, target, state)

    assert found is not None
    assert found.index == _playwright_way(page, target, state)
    assert found.answers is not None  # answered by the page, in one round trip


@pytest.mark.parametrize(
    "html",
    [
        '<div id="a" style="display:contents"><span>A</span></div>',  # Playwright's own rule
        '<div id="host"></div><script>document.getElementById("host").attachShadow('
        '{mode: "open"}).innerHTML = \'<button id="a">A</button>\'</script>',  # pierced
    ],
    ids=["display:contents", "open shadow root"],
)
def test_what_the_page_cannot_prove_is_left_to_playwright(page: Page, html: str):
    page.set_content(f'{html}<a id="b" href="#b">B</a>')
    target = _css("#a", "#b")

    found = locators.find_now(page, target, "visible")

    assert found is not None
    assert found.index == _playwright_way(page, target, "visible") == 0
    assert found.answers is None  # Playwright's way


def test_an_alternative_only_playwright_understands_is_left_to_it(page: Page):
    page.set_content('<button id="a">Settings</button>')
    target = Target((Locator("role", "button", name="Settings"), Locator("css", "#a")))

    found = locators.find_now(page, target)

    assert found is not None and found.index == 0 and found.answers is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>nothing here</p>", None),
        ('<div role="dialog" aria-label="Premium">Try it</div>', 0),
        ('<dialog open aria-label="Premium">Try it</dialog>', 0),
        ('<div role="dialog" aria-label="Cookies">Yum</div>', None),
    ],
    ids=["no dialog", "role dialog", "dialog element", "another dialog"],
)
def test_a_dialog_is_proved_absent_by_the_page_and_found_by_playwright(page: Page, html, expected):
    """A role alternative with a CSS superset (a dialog): no dialog at all is answered by the
    page; any dialog is Playwright's to judge by name."""
    page.set_content(html)
    target = Target((Locator("role", "dialog", pattern=re.compile("Premium")),))

    found = locators.find_now(page, target)

    assert (found.index if found else None) == expected
    assert locators.superset(target.alternatives[0]) is not None


def test_find_waits_for_a_late_element_and_still_brings_the_answers(page: Page):
    """Nothing there yet: Playwright's waiting takes over, and the answer after the wait is
    the page's again."""
    page.set_content(
        "<script>setTimeout(() => { document.body.insertAdjacentHTML('beforeend',"
        ' \'<a id="late" href="#x">Data privacy</a>\'); }, 200)</script>'
    )
    found = locators.find(page, _css("#late"), 5_000, ask=(guard.CLICK_QUESTION,))

    assert found is not None and found.answers is not None
    assert guard.read_click(found).actor.name == "Data privacy"


def test_find_gives_up_within_its_timeout(page: Page):
    page.set_content("<p>nothing here</p>")
    assert locators.find(page, _css("#never"), 300) is None


def test_the_click_guard_reads_the_same_on_the_found_element_as_on_the_locator(page: Page):
    """The guard's reading brought along by the finder is the one the locator's way gives."""
    page.set_content(
        '<button id="a" aria-expanded="false" title="Menu"><img alt="Ada">Me'
        "<span hidden>x</span></button>"
    )
    found = locators.find_now(page, _css("#a"), ask=(guard.CLICK_QUESTION,))
    assert found is not None and found.answers is not None

    on_locator = found.locator.evaluate(pagecalls.CALL_ON_ELEMENT_JS, ["guard-click", []])

    assert found.answers["guard-click"] == on_locator
    assert guard.read_click(found) == guard.Click.of(on_locator)
