"""A flow's `css` is what it claims: plain CSS, read by a CSS parser when the flow loads, that
browsers and Playwright's CSS engine both take -- never XPath, Playwright's own syntax or a
parser's extension -- and each refusal is placed in the file with a hint."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from optout_bot.authoring import inspect as inspect_module
from optout_bot.flow import FlowErrors, load_flow, load_flow_text
from optout_bot.flow.selector import FUNCTIONAL_PSEUDO_CLASSES, PSEUDO_CLASSES, css_problem
from tests.conftest import LINKEDIN_FLOW
from tests.test_flow_loader import changed, the_error

#: Line 20, column 12 of the test flow: the value of switch.target[0].css.
AT = "f.yaml:20:12: switch.target[0].css: "


def error_for(selector: str) -> str:
    """The error for `selector` as the switch's first css alternative, without its place."""
    quoted = "'" + selector.replace("'", "''") + "'"
    error = the_error(changed("css: '#ai-switch'", f"css: {quoted}"))
    assert error.startswith(AT), error
    return error[len(AT) :]


XPATH_HINT = "(write a CSS selector, or use a role, text or label locator)"
SYNTAX_HINT = (
    "(check the brackets, quotes and commas; a flow's css must be a selector browsers take)"
)
TEXT_HINT = "(to find an element by its text, use a text, label or role (with name) locator)"


@pytest.mark.parametrize(
    "selector", ["(//a)", "//input[@role='switch']", "..", "/html/body", " ( //a)", "xpath=//a"]
)
def test_xpath_in_any_form_is_refused(selector: str) -> None:
    """What Playwright would run as XPath -- (//a) included -- is refused as such."""
    assert error_for(selector) == f"XPath is not allowed, only plain CSS: {selector!r} {XPATH_HINT}"


@pytest.mark.parametrize(
    "selector",
    ["text=Use my data", "css=div", "internal:role=switch", "_react=Switch", "#a >> nth=0", '"x"'],
)
def test_playwright_selector_syntax_is_refused(selector: str) -> None:
    """Engine prefixes, >> chains and a leading quote (Playwright's text engine) are refused."""
    assert error_for(selector) == (
        f"only plain CSS is allowed, not Playwright selector syntax: {selector!r} "
        "(use role, text, label or test_id locators, or list alternatives)"
    )


@pytest.mark.parametrize(
    ("selector", "written"),
    [
        ("button:has-text('Save')", ":has-text()"),
        ("span:text('AI')", ":text()"),
        ("span:text-is('AI') + button", ":text-is()"),
        ("span:text-matches('a+')", ":text-matches()"),
        ("#ai:visible", ":visible"),
        (":nth-match(button, 2)", ":nth-match()"),
        ("button:right-of(#label)", ":right-of()"),
        ("input:near(#label, 50)", ":near()"),
        ("div:light(button)", ":light()"),
        ("div :is(p, b:has-text('x'))", ":has-text()"),  # inside another pseudo-class too
    ],
)
def test_playwright_pseudo_classes_are_refused(selector: str, written: str) -> None:
    """Playwright's own pseudo-classes are named as such, wherever they sit."""
    assert (
        error_for(selector)
        == f"'{written}' is Playwright's own selector syntax, not CSS {TEXT_HINT}"
    )


@pytest.mark.parametrize(
    ("selector", "written"),
    [("p:contains('AI')", ":contains()"), ("p:-soup-contains('AI')", ":-soup-contains()")],
)
def test_parser_extensions_no_browser_has_are_refused(selector: str, written: str) -> None:
    """A selector library's extensions (Soup Sieve's, jQuery's) are not CSS."""
    assert error_for(selector).startswith(f"'{written}' is not CSS: no browser has it (")


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("input[role='switch'", "at column 6: this '[' is never closed"),
        ("div:is(a, b", "at column 5: this 'is(' is never closed"),
        ("div > > a", "at column 7: expected a compound selector, got literal"),
        ("a, , b", "at column 4: expected a compound selector, got literal"),
        ("#123", "at column 1: expected a compound selector, got hash"),
        ("a)", "at column 2: unmatched )"),
        (":is(a,,b)", "at column 7: expected a compound selector, got literal"),
        ("a,", "at its end: expected a compound selector, got EOF"),
    ],
)
def test_syntax_errors_are_placed_inside_the_selector(selector: str, message: str) -> None:
    """A selector the parser cannot read is refused at the file's place, with the column
    inside the selector where the parser stopped."""
    assert error_for(selector) == f"invalid CSS selector {message} {SYNTAX_HINT}"


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("a::before", "pseudo-elements such as '::before' are not allowed"),
        (":is(a, ::after)", "pseudo-elements such as '::after' are not allowed"),
        (
            "button:h\\61s-text('x')",
            "a backslash escape outside quotes is not allowed in a flow's CSS at column 9",
        ),
        ("\\-", "a backslash escape outside quotes is not allowed in a flow's CSS at column 1"),
        ("a /* the link */", "comments are not allowed in a flow's CSS at column 3"),
        (":not(a /* [x] )", "comments are not allowed in a flow's CSS at column 8"),
        ("*|input", "namespaces ('|') are not allowed in a flow's CSS at column 2"),
        ("[type=checkbox s]", "the 's' flag of [type ... s] is not supported by Chromium"),
        (":dir(ltr)", "':dir()' is not a pseudo-class a flow may use"),
        (":paused", "':paused' is not a pseudo-class a flow may use"),
        (":lang('*-CH')", "':lang()' takes one language code, e.g. :lang(de)"),
        (":lang(en, de)", "':lang()' takes one language code, e.g. :lang(de)"),
        (":nth-child(first)", "':nth-child()' takes a formula such as 2, odd, even or 2n+1"),
        (":is(" * 9 + "a" + ")" * 9, "the selector is too complex"),
        ("a " * 150, "the selector is too complex"),
    ],
)
def test_what_browsers_or_playwright_would_not_take_is_refused(selector: str, message: str) -> None:
    """Pseudo-elements, namespaces, Chromium's missing features and pseudo-classes outside
    the standard list are refused before any browser sees them; so is a selector too complex
    to parse quickly."""
    assert error_for(selector).startswith(message)


def test_the_schema_refuses_the_cheap_cases_too() -> None:
    """The JSON Schema (editors) refuses XPath, Playwright prefixes, >> and its pseudo-classes."""
    from optout_bot.flow.values import css

    pattern = css.schema["not"]["pattern"]
    for refused in ("(//a)", "//a", "text=x", "a >> b", "a:has-text('x')", "#x:visible"):
        assert re.search(pattern, refused), refused
    for plain in ("#a", "a:visited", "a:has(b)", "[a$='/x']"):
        assert not re.search(pattern, plain), plain


#: Plain CSS a flow may use: what the bundled flow, inspect and the tests use, and more.
PLAIN = [
    "#ai-switch",
    "header button[aria-expanded]:has(img)",
    '[role="dialog"] button:is([aria-label="Dismiss"], [aria-label="Schließen"])',
    'a[href$="/mypreferences/d/categories/privacy"]',
    'img.global-nav__me-photo, img.avatar, [class*="profile-photo"]',
    'input[role="switch"][aria-labelledby=x] , a[href$="/y"]:not([hidden])',
    'a[href*="logout" i], a[href*="signout" i]',
    "div.row:has(> span) > button[role=switch]:not([aria-disabled='true'])",
    "li:nth-child(2n+1 of .item) ~ li:nth-last-of-type(-n+3)",
    "html:is(:lang(en), :lang(de)) main :where(input:checked, [aria-checked='true']):focus-within",
    '[id="123"] > a:any-link[title="a \\"quote\\" and a \\\\"]',
    "section\n  > input[type='checkbox']:enabled",
]


def test_plain_css_is_accepted() -> None:
    """Standard CSS -- :is(), :has(), :where(), :not(), An+B of S, attribute operators and
    flags -- loads as it is written."""
    for selector in PLAIN:
        assert css_problem(selector) is None, selector


def test_every_selector_of_the_bundled_flow_and_of_inspect_is_plain_css() -> None:
    """The bundled flow loads (its css is all plain), and so do inspect's own guesses."""
    load_flow(LINKEDIN_FLOW)
    text = LINKEDIN_FLOW.read_text(encoding="utf-8")
    assert re.findall(r"css: '([^']*)'", text)
    for selector in [*re.findall(r"css: '([^']*)'", text), *inspect_module._SIGNED_IN_GUESSES]:
        assert css_problem(selector) is None, selector


def test_what_the_loader_takes_chromium_and_playwright_take(page: Page) -> None:
    """Every plain selector above and every allowed pseudo-class is taken by Chromium's
    querySelectorAll and by Playwright's CSS engine (no "not a valid selector")."""
    page.set_content("<main><input type=checkbox id=x></main>")
    selectors = [
        *PLAIN,
        *(f"input:{p}" for p in sorted(PSEUDO_CLASSES)),
        *(
            f"input:{p}({'en' if p == 'lang' else '2n+1' if 'nth' in p else 'a'})"
            for p in sorted(FUNCTIONAL_PSEUDO_CLASSES)
        ),
    ]
    for selector in selectors:
        assert css_problem(selector) is None, selector
        page.evaluate("s => document.querySelectorAll(s).length", selector)
        page.locator(selector).count()


# -- fuzz ---------------------------------------------------------------------------------------

#: Pieces of CSS, Playwright syntax and XPath that a random selector is made of.
PIECES = [
    "a", "div", "#x", ".c", "*", "[a]", "[a=b]", "[a$='/x' i]", "[a!=b]", "[", "]", "(", ")",
    ":is(", ":has(", ":not(", ":where(", ":nth-child(", "2n+1", " of ", ":hover", ":has-text(",
    ":visible", ":contains(", "::before", ":", ",", " ", ">", "+", "~", ">>", "//", "..", "|",
    "'", '"', "\\", "=", "text=", "/*", "*/", "\n", "é",
]  # fmt: skip
selectors = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(selector=selectors)
def test_random_selectors_give_a_flow_or_a_located_error(selector: str) -> None:
    """Any selector loads or is refused at its place with a message, never a traceback."""
    quoted = '"' + selector.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    try:
        load_flow_text(changed("css: '#ai-switch'", f"css: {quoted}"), "f.yaml")
    except FlowErrors as exc:
        for error in exc.errors:
            assert (error.line, error.col, error.file) == (20, 12, "f.yaml")
            assert error.message


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(selectors, min_size=100, max_size=100))
def test_random_selectors_the_loader_takes_are_taken_by_the_browser(page: Page, batch) -> None:
    """A random selector the loader accepts is one Chromium and Playwright accept too."""
    page.set_content("<main><a href='#x'>x</a></main>")
    for selector in batch:
        if css_problem(selector) is None:
            page.evaluate("s => document.querySelectorAll(s).length", selector)
            page.locator(selector).count()


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=60) | selectors)
def test_any_text_gets_an_answer_not_an_exception(text: str) -> None:
    """`css_problem` answers for any text at all (inspect and the loader both rely on it)."""
    problem = css_problem(text)
    assert problem is None or (isinstance(problem, tuple) and all(problem))
