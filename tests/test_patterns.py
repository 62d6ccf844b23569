"""A shared flow's regular expressions run in bounded time: its URL patterns are matched by
RE2 (linear in the URL), its locator patterns -- which run in the page's backtracking RegExp --
are held to a shape that cannot blow up there, and the browsers optout-bot launches fall back
to V8's linear-time engine anyway."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from optout_bot.engine.session import LAUNCH_ARGS, SAFE_REGEXP_ARGS
from optout_bot.flow import FlowErrors, load_flow, load_flow_text
from optout_bot.flow.patterns import UrlPattern, re2_problem, shape_problem
from tests.conftest import LINKEDIN_FLOW, REPO
from tests.test_flow_loader import BASE, changed, the_error

#: A pattern that takes a backtracking engine 2**40 steps on `EVIL_URL`, and RE2 forty.
CATASTROPHIC = "(a+)+$"
EVIL_URL = "https://www.example.com/" + "a" * 40 + "b"
LOGGED_OUT = "'^https://www\\.example\\.com/login'"
#: The flow's second switch alternative, `name: ...` on line 22 (its value at column 13).
NAME = "      name: Use my data for AI"
SHAPE_HINT = "(write alternatives of plain words, e.g. ^(Data privacy|Datenschutz)$)"
RE2_HINT = (
    "patterns are matched in linear time (RE2): no backreferences, lookarounds or possessive "
    "quantifiers"
)


#: The test flow with an expect_url step of the catastrophic pattern as its third step.
EXPECTING = BASE.replace("    - reload\n", f"    - expect_url: '{CATASTROPHIC}'\n")


def run_bounded(code: str, timeout_s: float = 60) -> str:
    """Run `code` in a fresh Python and return its output; a hang fails the test at the
    timeout instead of hanging it (a backtracking match holds the GIL: no thread can stop it)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- URL patterns: RE2 --------------------------------------------------------------------------


def test_a_catastrophic_url_pattern_is_matched_in_linear_time() -> None:
    """(a+)+$ in logged_out_urls, security_check_urls and expect_url loads (RE2 takes it) and
    is matched against forty a's and a b at once, where Python's re would run for days."""
    flow = EXPECTING.replace(LOGGED_OUT, f"'{CATASTROPHIC}'").replace(
        "security_check_urls: []", f"security_check_urls: ['{CATASTROPHIC}']"
    )
    out = run_bounded(
        f"""
        from optout_bot.flow import load_flow_text
        flow = load_flow_text({flow!r})
        patterns = [*flow.login.logged_out_urls, *flow.login.security_check_urls,
                    flow.navigate["desktop"][2].pattern]
        print([p.search({EVIL_URL!r}) for p in patterns])
        """,
        timeout_s=20,
    )
    assert out.strip() == "[False, False, False]"


def test_expect_url_waits_with_the_linear_time_pattern() -> None:
    """An expect_url step with (a+)+$ on a page whose URL is forty a's and a b fails at its
    timeout, as any URL that does not match: Playwright never gets the pattern to backtrack
    on."""
    out = run_bounded(
        f"""
        from playwright.sync_api import sync_playwright
        from optout_bot.engine import steps
        from optout_bot.engine.browsers import find_browser
        from optout_bot.engine.session import LAUNCH_ARGS
        from optout_bot.flow import load_flow_text

        flow = load_flow_text({EXPECTING!r})
        step = flow.navigate["desktop"][2]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_browser().path, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.route("https://www.example.com/**", lambda r: r.fulfill(body="<p>hi</p>"))
            page.goto({EVIL_URL!r})
            ctx = steps.StepContext(page, flow, "desktop", 1_000, lambda: 60_000, None, print)
            try:
                steps.execute(ctx, step)
            except steps.StepFailed as failed:
                print(failed.reason)
            browser.close()
        """
    )
    assert out.strip() == (f"the page is at {EVIL_URL}, expected a URL matching /{CATASTROPHIC}/")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "^https://x/checkpoint/(?!lg/)",
            "lookarounds such as '(?!...)' are not allowed ("
            + RE2_HINT
            + "; spell out what may follow, e.g. x/([^l]|l[^g]) for x/(?!lg))",
        ),
        ("(?<=/)login", "lookarounds such as '(?<=...)' are not allowed ("),
        ("(login)/\\1", f"backreferences such as '\\1' are not allowed ({RE2_HINT})"),
    ],
)
def test_url_patterns_re2_cannot_take_are_refused(pattern: str, message: str) -> None:
    """Lookarounds and backreferences, which need a backtracking engine, are refused at their
    place, with how to spell the pattern without them."""
    error = the_error(changed(LOGGED_OUT, f"'{pattern}'"))
    assert error.startswith(f"f.yaml:14:21: login.logged_out_urls[0]: {message}")


def test_url_patterns_compare_by_their_text() -> None:
    """Two loads of one flow are equal: a UrlPattern is equal when its pattern is."""
    assert UrlPattern.compile("^a") == UrlPattern.compile("^a") != UrlPattern.compile("^b")
    assert load_flow_text(BASE) == load_flow_text(BASE)


def test_re2_says_nothing_on_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    """A pattern RE2 refuses is reported in the loader's words only: RE2 logs nothing."""
    with pytest.raises(FlowErrors):
        load_flow_text(changed(LOGGED_OUT, "'(?=x)'"))
    assert capfd.readouterr() == ("", "")


BUNDLED = load_flow(LINKEDIN_FLOW)
#: The bundled flow's security-check pattern before RE2, with a negative lookahead.
LOOKAHEAD = re.compile(r"^https://www\.linkedin\.com/checkpoint/(?!lg/|rp/)")


@settings(max_examples=500, deadline=None)
@given(rest=st.text(alphabet="lrgp/?#x", max_size=5))
def test_the_bundled_security_check_pattern_means_what_the_lookahead_meant(rest: str) -> None:
    """Spelt out for RE2, LinkedIn's security-check pattern matches exactly the checkpoint
    pages the lookahead (?!lg/|rp/) did: every one but sign-in (lg/) and password reset
    (rp/), which logged_out_urls takes."""
    flow = BUNDLED
    (pattern,) = flow.login.security_check_urls
    for url in (
        f"https://www.linkedin.com/checkpoint/{rest}",
        f"https://www.linkedin.com/{rest}",
    ):
        assert pattern.search(url) == bool(LOOKAHEAD.search(url)), url
    for url in (
        "https://www.linkedin.com/checkpoint/lg/login",
        "https://www.linkedin.com/checkpoint/rp/x",
    ):
        assert not pattern.search(url)
        assert any(p.search(url) for p in flow.login.logged_out_urls)


# -- locator patterns: a shape that cannot backtrack long ---------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            CATASTROPHIC,
            "a repeated group such as (...)+ or (...)* is not allowed in a locator's pattern: "
            "the browser's engine can take exponential time on it",
        ),
        ("^(\\w+\\s?)*$", "a repeated group such as (...)+"),
        ("(?:Data privacy){1,3}", "a repeated group such as (...)+"),
        (
            "Data.*privacy.*",
            "more than one unbounded repetition (*, + or {n,}) in a locator's pattern: the "
            "browser's engine can take polynomial time on it",
        ),
        ("a{2,}b+", "more than one unbounded repetition"),
        (
            "(a|a)" * 10 + "b",
            "the pattern has too many ways to match (more than 1000 combinations of "
            "alternatives and optional parts)",
        ),
        ("x?" * 10 + "x" * 10, "the pattern has too many ways to match"),
    ],
)
def test_locator_patterns_that_could_backtrack_long_are_refused(pattern: str, message: str) -> None:
    """Nested quantifiers, two unbounded repetitions and exponentially many ways to match
    (even without any +) are refused at the locator's key, with the plain way to write it."""
    text = changed(NAME, f"      name_regex: '{pattern}'")
    error = the_error(text)
    assert error.startswith(f"f.yaml:22:19: switch.target[1].name_regex: {message}")
    assert error.endswith(SHAPE_HINT)


@pytest.mark.parametrize("key", ["text_regex", "label_regex"])
def test_every_locator_pattern_key_is_held_to_the_shape(key: str) -> None:
    """text_regex and label_regex are checked like name_regex."""
    text = changed("    - css: '#ai-switch'", f"    - {key}: '{CATASTROPHIC}'")
    column = len("    - ") + len(key) + len(": ") + 1  # where the value starts
    assert the_error(text).startswith(
        f"f.yaml:20:{column}: switch.target[0].{key}: a repeated group such as (...)+"
    )


def test_locator_patterns_must_also_be_re2() -> None:
    """A locator's pattern is refused when RE2 refuses it too (a backreference here)."""
    text = changed(NAME, "      name_regex: '(Me)\\1'")
    assert the_error(text).startswith(
        "f.yaml:22:19: switch.target[1].name_regex: backreferences such as '\\1' are not allowed"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        "^(Data privacy|Datenschutz)$",
        "(^|\\s)(Me|Ich)$",
        "(isn.t available|[Tt]his page doesn.t exist)",
        "^Use my data.*",
        "^[Dd]ata ?for AI\\b",
        "colou?r",
        "\\d{1,3} items?",
    ],
)
def test_plain_locator_patterns_are_accepted(pattern: str) -> None:
    """Alternatives of words, anchors, classes, one .* and a few optional letters load."""
    flow = load_flow_text(changed(NAME, f"      name_regex: '{pattern}'"))
    assert flow.switch.target.alternatives[1].pattern.pattern == pattern


def test_every_locator_pattern_of_the_bundled_flow_passes() -> None:
    """LinkedIn's locator patterns are all alternatives of plain words: the flow loads."""
    text = LINKEDIN_FLOW.read_text(encoding="utf-8")
    assert len(re.findall(r"_regex: ", text)) >= 10
    load_flow(LINKEDIN_FLOW)


# -- the browser: V8's linear-time fallback -----------------------------------------------------


def test_launched_browsers_fall_back_to_linear_time_regexps(page: Page) -> None:
    """A browser launched with optout-bot's switches (as the tests' is) answers /(a+)+$/ on
    forty a's and a b at once: V8 leaves its backtracking engine for the linear one. Without
    the switch the page would spin; the wait's own timeout bounds this test either way."""
    assert SAFE_REGEXP_ARGS[0] in LAUNCH_ARGS
    page.set_content("<p>" + "a" * 40 + "b</p>")
    page.wait_for_function(
        "() => /(a+)+$/.test('a'.repeat(40) + 'b') === false", timeout=10_000, polling=100
    )
    assert page.get_by_text(re.compile(CATASTROPHIC)).count() == 0


# -- fuzz ---------------------------------------------------------------------------------------

#: Pieces of regular expressions, the catastrophic ones included.
PIECES = [
    "a", "b", ".", "\\d", "\\w", "\\s", "[a-z]", "[^/]", "(", ")", "(?:", "(?=", "(?!", "(?<=",
    "|", "*", "+", "?", "{2}", "{1,3}", "{2,}", "^", "$", "\\1", "\\b", "\\", "[", "]", "{",
    "(?i)", "(?P<n>", "\\Z", "é",
]  # fmt: skip
patterns = st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map("".join)


@settings(max_examples=300, deadline=None)
@given(pattern=patterns, where=st.sampled_from(["url", "locator"]))
def test_random_patterns_give_a_flow_or_a_located_error(pattern: str, where: str) -> None:
    """Any pattern, as a URL pattern or a locator's, loads or is refused at its place, never a
    traceback; what loads as a locator's keeps the safe shape."""
    quoted = "'" + pattern.replace("'", "''") + "'"
    if where == "url":
        text, place = changed(LOGGED_OUT, quoted), (14, 21)
    else:
        text, place = changed(NAME, f"      name_regex: {quoted}"), (22, 19)
    try:
        load_flow_text(text, "f.yaml")
    except FlowErrors as exc:
        for error in exc.errors:
            assert (error.line, error.col) == place
            assert error.message
    else:
        if where == "locator":
            # No repeated group: a ")" that is not escaped (`\)` is a literal) followed by a
            # quantifier.
            assert not re.search(r"\)[*+?{]", re.sub(r"\\.", "x", pattern))


@settings(max_examples=500, deadline=None)
@given(pattern=st.text(max_size=40) | patterns)
def test_any_pattern_python_compiles_gets_an_answer_not_an_exception(pattern: str) -> None:
    """The RE2 and shape checks answer for any pattern Python's re compiles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's "possible nested set"
            re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return
    for check in (re2_problem, shape_problem):
        problem = check(pattern)
        assert problem is None or (isinstance(problem, tuple) and all(problem))
