"""The switch engine on small local pages, one per shape that design systems build, in a real
Chromium: three-way reads, and setting a switch with exactly one toggle.

The pages live in tests/switch_pages/ and are served from a made-up origin under a
Content-Security-Policy without 'unsafe-eval', as real sites send: every read and wait of the
engine has to work there. Each page takes its starting state from the URL's hash and counts
every toggle it makes in <body data-changes>.
"""

from __future__ import annotations

import mimetypes
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PWError
from playwright.sync_api import Locator, Page, Route

from optout_bot.engine import guard, pagecalls, switch
from optout_bot.flow.model import Locator as FlowLocator
from optout_bot.flow.model import SwitchSpec, Target

PAGES = Path(__file__).resolve().parent / "switch_pages"
ORIGIN = "https://switches.test"
CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'"
#: How long each way of setting a switch gets before the next (FLIP_WAIT_MS is for real sites).
SETTLE_MS = 400
TIMEOUT_MS = 5_000
LABEL = "Use my data for training"


@pytest.fixture(scope="module")
def tab(browser, browser_context_args) -> Iterator[Page]:
    """One page for the whole module (a new context per test costs more than the tests): each
    test loads its own document, and the test pages are served from ORIGIN."""

    def serve(route: Route) -> None:
        path = PAGES / urlsplit(route.request.url).path.lstrip("/")
        if not path.is_file():
            route.fulfill(status=404)
            return
        kind = mimetypes.guess_type(path.name)[0] or "text/plain"
        route.fulfill(
            body=path.read_bytes(),
            headers={"content-type": f"{kind}; charset=utf-8", "content-security-policy": CSP},
        )

    context = browser.new_context(**browser_context_args)
    context.route(f"{ORIGIN}/**", serve)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(tab: Page) -> Page:
    """The module's page, fresh, for tests that write their own document with set_content.
    (set_content keeps the window, and with it the last document's script globals.)"""
    tab.goto("about:blank")
    return tab


@pytest.fixture
def open_page(tab: Page) -> Callable[..., Page]:
    """`open_page("aria.html?delay=frame", on=True)`: a test page, served with a strict CSP."""

    def go(name: str, on: bool) -> Page:
        # about:blank first: a URL that differs only in its hash would not load a new document.
        tab.goto("about:blank")
        tab.goto(f"{ORIGIN}/{name}#{'on' if on else 'off'}")
        return tab

    return go


def _changes(page: Page) -> int:
    return int(page.locator("body").get_attribute("data-changes") or 0)


def _by_id(page: Page) -> Locator:
    return page.locator("#s")


@dataclass(frozen=True)
class Shape:
    page: str
    #: the way set_state is expected to succeed with
    method: switch.Method
    find: Callable[[Page], Locator] = _by_id
    #: the ways expected to reach the page before it, in order
    before: tuple[switch.Method, ...] = ()


SHAPES = [
    pytest.param(Shape("native.html", "click"), id="native checkbox"),
    pytest.param(Shape("aria.html", "click"), id="aria switch"),
    pytest.param(Shape("aria.html?delay=microtask", "click"), id="aria switch, microtask"),
    pytest.param(Shape("aria.html?delay=frame", "click"), id="aria switch, next frame"),
    pytest.param(Shape("aria.html?delay=100", "click"), id="aria switch, 100 ms"),
    pytest.param(Shape("radix.html", "click"), id="radix switch"),
    pytest.param(
        Shape("radix.html", "click", lambda p: p.get_by_role("switch", name=LABEL)),
        id="radix switch by role",
    ),
    pytest.param(Shape("data-state.html", "click"), id="data-state only"),
    pytest.param(Shape("track-over-input.html", "track"), id="input under a track"),
    pytest.param(Shape("sr-only-label.html", "label"), id="sr-only input, label for"),
    pytest.param(Shape("wrapping-label.html", "label"), id="0x0 input, wrapping label"),
    pytest.param(Shape("labelledby.html", "label"), id="hidden input, aria-labelledby label"),
    pytest.param(Shape("track-sibling.html", "track"), id="0x0 input, track beside it"),
    pytest.param(
        Shape("keyboard-only.html", "keyboard", before=("click",)),
        id="ignores clicks, answers Space",
    ),
    pytest.param(Shape("hidden-input-only.html", "keyboard"), id="sr-only input, nothing drawn"),
    pytest.param(Shape("shadow-button.html", "click"), id="shadow button, host"),
    pytest.param(
        Shape("shadow-button.html", "click", lambda p: p.get_by_role("switch")),
        id="shadow button, inner",
    ),
    pytest.param(Shape("shadow-checkbox.html", "click"), id="shadow checkbox, host"),
    pytest.param(
        Shape("shadow-checkbox.html", "click", lambda p: p.get_by_role("checkbox")),
        id="shadow checkbox, inner",
    ),
    pytest.param(Shape("host-aria.html", "click"), id="aria on the host"),
    pytest.param(Shape("host-selected.html?kind=property", "click"), id="selected property"),
    pytest.param(Shape("host-selected.html?kind=attribute", "click"), id="selected attribute"),
    pytest.param(
        Shape("beside-text.html", "click", lambda p: switch.near_text(p, LABEL)),
        id="no name, beside its text",
    ),
]


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_reads_and_is_set_both_ways_with_one_toggle_each(open_page, shape: Shape):
    """Every shape reads on and off, and is set off and back on by the expected way, each time
    with exactly one toggle of the page's state, never two."""
    page = open_page(shape.page, on=True)
    loc = shape.find(page)
    assert switch.read_state(loc) == "on"

    for toggles, wanted in enumerate(("off", "on"), 1):
        result = switch.set_state(page, loc, wanted, TIMEOUT_MS, settle_ms=SETTLE_MS)

        assert result.ok, (wanted, result)
        assert result.tried == (*shape.before, shape.method), (wanted, result)
        assert switch.read_state(loc) == wanted
        assert _changes(page) == toggles


#: What the pages name their switch, where it is not LABEL: the button's own text.
NAMED = {"data-state.html": "AI"}


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_passes_the_switch_guard_under_its_name(open_page, shape: Shape):
    """The switch guard takes every shape for a switch and reads its name on the page (its
    label, aria-label, own text, or the text beside it), which is the flow's label."""
    page = open_page(shape.page, on=True)
    label = NAMED.get(shape.page.split("?")[0], LABEL)
    spec = SwitchSpec.model_construct(
        label=label, target=Target((FlowLocator("css", "#s"),)), wanted="off"
    )
    facts = switch.Probe(shape.find(page), None, TIMEOUT_MS).judge()
    assert facts is not None
    assert guard.switch_refusal(facts, spec) is None, facts
    assert _changes(page) == 0


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_reads_off_as_the_page_first_draws_it(open_page, shape: Shape):
    """A switch drawn off from the start (no attribute ever set) reads off, not unknown."""
    page = open_page(shape.page, on=False)
    assert switch.read_state(shape.find(page)) == "off"


def test_native_checkbox_is_read_from_its_live_property_not_the_stale_attribute(page):
    """After a script unchecks a checkbox its `checked` attribute still says on; we read off."""
    page.set_content('<input type="checkbox" id="s" checked aria-checked="true">')
    page.eval_on_selector("#s", "el => { el.checked = false; }")
    assert page.get_attribute("#s", "checked") is not None
    assert switch.read_state(page.locator("#s")) == "off"


_WC = (
    "<script>customElements.define('x-two', class extends HTMLElement { constructor() {"
    " super(); this.attachShadow({mode: 'open'}).innerHTML ="
    " '<input type=checkbox checked><input type=checkbox>'; } });</script>"
)


@pytest.mark.parametrize(
    "html",
    [
        '<div id="other">no switch here</div>',
        '<button id="s">no state at all</button>',
        '<button id="s" aria-checked="mixed">half</button>',
        '<div id="s" aria-checked="mixed"><input type="checkbox" checked></div>',
        '<button id="s" data-state="indeterminate">half</button>',
        '<input type="checkbox" id="s">'
        '<script>document.getElementById("s").indeterminate = true</script>',
        '<x-unknown id="s"></x-unknown>',
        f'<x-two id="s"></x-two>{_WC}',
    ],
    ids=[
        "missing",
        "no state",
        "aria mixed",
        "mixed host over a checked input",
        "data-state indeterminate",
        "indeterminate",
        "custom element with no state",
        "two controls in a shadow root",
    ],
)
def test_missing_or_unreadable_switch_reads_unknown(page, html):
    """A missing switch, or one whose state cannot be told, reads unknown, never off."""
    page.set_content(html)
    assert switch.read_state(page.locator("#s"), timeout_ms=500) == "unknown"


def test_a_detached_switch_reads_unknown(page):
    """A switch removed from the page reads unknown, through its locator and its old handle."""
    page.set_content('<input type="checkbox" id="s" checked>')
    loc = page.locator("#s")
    handle = loc.element_handle()
    assert switch.read_state(loc) == "on"

    page.eval_on_selector("#s", "el => el.remove()")

    assert handle.evaluate(switch.READ_JS) == "unknown"
    assert switch.read_state(loc, timeout_ms=300) == "unknown"


def test_a_switch_that_refuses_to_change_is_reported(page):
    """When a click does not change the state, flip says so instead of pretending."""
    page.set_content('<input type="checkbox" id="s" checked onclick="return false">')
    assert switch.flip(page, page.locator("#s"), "off", timeout_ms=500) is False
    assert switch.read_state(page.locator("#s")) == "on"


def test_a_switch_that_never_changes_gives_up_within_the_bound(page):
    """Clicked and pressed, a dead switch stays on: set_state says so within its timeout."""
    page.set_content('<button role="switch" id="s" aria-checked="true">AI</button>')
    started = time.monotonic()

    result = switch.set_state(page, page.locator("#s"), "off", 1_500, settle_ms=250)

    assert time.monotonic() - started < 2.5
    assert not result.ok
    assert result.tried == ("click", "keyboard")
    assert switch.read_state(page.locator("#s")) == "on"


def test_flip_raises_when_nothing_can_be_done_to_the_switch(page):
    """A switch with no box, no label and no focus cannot be clicked or pressed: flip raises,
    as a failed click always did, and set_state says nothing was tried."""
    page.set_content('<input type="checkbox" id="s" checked style="display: none">')
    loc = page.locator("#s")

    assert switch.set_state(page, loc, "off", 1_000) == switch.SetResult(
        False, error="no way to set the switch applies to this page"
    )
    with pytest.raises(PWError, match="no way to set the switch"):
        switch.flip(page, loc, "off", 1_000)
    assert switch.read_state(loc) == "on"


def test_a_switch_that_already_reads_wanted_is_not_touched(open_page):
    """Asked for the state it is in, set_state does nothing at all."""
    page = open_page("aria.html", on=False)
    assert switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS) == switch.SetResult(True)
    assert _changes(page) == 0


BUSY = """
<button role="switch" id="s" aria-checked="true">AI</button>
<script>
  const s = document.getElementById("s");
  s.addEventListener("click", () => {
    s.setAttribute("aria-busy", "true");
    setTimeout(() => {
      s.setAttribute("aria-checked", "false");
      s.removeAttribute("aria-busy");
      document.body.dataset.changes = "1";
    }, 700);
  });
</script>
"""


def test_a_switch_still_saving_is_waited_for_not_pressed_again(page):
    """A switch that is busy past the settle time is waited for; no second way is tried."""
    page.set_content(BUSY)
    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, settle_ms=200)
    assert (result.ok, result.tried) == (True, ("click",))
    assert _changes(page) == 1


RERENDER = """
<div id="app"><button role="switch" id="s" aria-checked="true">AI</button></div>
<script>
  document.getElementById("app").addEventListener("click", () => {
    requestAnimationFrame(() => {
      const old = document.getElementById("s");
      const next = old.cloneNode(true);  // a framework re-render: a new node, new state
      const on = old.getAttribute("aria-checked") === "true";
      next.setAttribute("aria-checked", on ? "false" : "true");
      old.replaceWith(next);
      document.body.dataset.changes = String(Number(document.body.dataset.changes || 0) + 1);
    });
  });
</script>
"""


def test_a_switch_replaced_by_a_re_render_is_followed(page):
    """When the click replaces the switch's node, the wait follows the locator to the new one."""
    page.set_content(RERENDER)
    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, settle_ms=SETTLE_MS)
    assert (result.ok, result.tried) == (True, ("click",))
    assert _changes(page) == 1


RERENDER_ON_CLICK_ONLY = """
<div id="app"><div role="switch" tabindex="0" id="s" aria-checked="true">AI</div></div>
<script>
  const app = document.getElementById("app");
  app.addEventListener("click", () => {  // re-renders, and changes nothing
    const old = document.getElementById("s");
    old.replaceWith(old.cloneNode(true));
  });
  app.addEventListener("keydown", (e) => {
    if (e.key !== " " || e.target.id !== "s") return;
    e.target.setAttribute("aria-checked", "false");
    document.body.dataset.changes = "1";
  });
</script>
"""


def test_the_next_way_acts_on_the_control_as_it_is_now(page):
    """A click that only re-renders the switch leaves a new node: the keyboard goes to that one,
    not to the detached node the click went to."""
    page.set_content(RERENDER_ON_CLICK_ONLY)
    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, settle_ms=SETTLE_MS)
    assert (result.ok, result.tried) == (True, ("click", "keyboard"))
    assert _changes(page) == 1


COVERED = """
<div id="promo" style="position: fixed; inset: 0; background: rgba(0,0,0,.5)">Try Premium</div>
<input type="checkbox" id="s" checked>
<script>setTimeout(() => document.getElementById("promo").remove(), 300);</script>
"""


def test_an_unrelated_pop_up_over_the_switch_is_waited_out_not_worked_around(page):
    """Something unrelated on top (a pop-up) is not the switch's own drawing: the switch itself
    is clicked once it is gone, not its label or the keyboard."""
    page.set_content(COVERED)
    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, settle_ms=SETTLE_MS)
    assert (result.ok, result.tried) == (True, ("click",))


def test_a_label_whose_click_would_follow_a_link_is_not_clicked(page):
    """A label that is all link would navigate, not toggle: it is skipped for the keyboard."""
    page.set_content(
        '<input type="checkbox" id="s" checked style="position: absolute; opacity: 0; width: 0">'
        '<label for="s"><a href="#elsewhere">Use my data for training</a></label>'
    )
    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, settle_ms=SETTLE_MS)
    assert (result.ok, result.tried) == (True, ("keyboard",))
    assert "#elsewhere" not in page.url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (LABEL, "s"),
        ("Personalised ads", "ads"),
        ("Switch drawn before its text", "before"),
        ("Grid row one", "grid1"),
        ("Grid row two", "grid2"),
        (re.compile(r"inside a comp", re.IGNORECASE), "wc"),
        ("Wrapped one", "wrapped1"),
        ("Wrapped two", "wrapped2"),
    ],
)
def test_near_text_finds_the_switch_of_that_row(open_page, text, expected):
    """near_text picks the switch in the text's own row: after the text, else before it,
    through a web component's shadow root, inside its own wrapping label, and the right one in
    a flat grid of pairs."""
    page = open_page("beside-text.html", on=True)
    found = switch.near_text(page, text)
    which = found.evaluate("el => el.id || (el.getRootNode().host || {}).id")
    assert which == expected


def test_describe_records_what_identifies_the_switch(page):
    """The evidence gets the switch's id hooks, its live state and its label text."""
    page.set_content(
        '<span id="lbl">Use my data</span>'
        '<input type="checkbox" role="switch" aria-labelledby="lbl" checked>'
    )
    page.eval_on_selector("input", "el => { el.checked = false; }")
    attrs = switch.describe(page.locator("input"))
    assert attrs["aria-labelledby"] == "lbl" and attrs["role"] == "switch"
    assert attrs["checked"] == "false" and attrs["label"] == "Use my data"


def test_describe_names_the_control_inside_a_web_component(open_page):
    """For a web component's host, the evidence says which inner control carries the state."""
    page = open_page("shadow-checkbox.html", on=True)
    attrs = switch.describe(page.locator("#s"))
    assert attrs["tag"] == "x-check"
    assert attrs["control"] == "input[type=checkbox]" and attrs["checked"] == "true"


# -- Probe: the same answers, the cheaper way ------------------------------------------------


def _probe(loc: Locator) -> switch.Probe:
    return switch.Probe(loc, "#s", TIMEOUT_MS)


@pytest.mark.parametrize("on", [True, False])
@pytest.mark.parametrize("shape", [p for p in SHAPES if p.values[0].find is _by_id])
def test_the_probe_answers_as_the_locator_does_on_every_shape(open_page, shape: Shape, on):
    """The probe's querySelector way reads and describes each shape exactly as Playwright's
    locator does; on pages with a shadow root it takes the element-handle way instead."""
    page = open_page(shape.page, on=on)
    loc = _by_id(page)
    probe = _probe(loc)

    assert probe.read() == switch.read_state(loc) == ("on" if on else "off")
    assert probe.describe() == switch.describe(loc)
    shadow = page.evaluate("() => [...document.querySelectorAll('*')].some(e => e.shadowRoot)")
    assert probe.way == ("handle" if shadow else "css")


REPLACE_UNCHECKED = """() => {
  const s = document.getElementById('s');
  const n = s.cloneNode();
  n.checked = false;
  s.replaceWith(n);
}"""


def test_the_probe_follows_a_re_rendered_switch(page):
    """The switch node replaced after it was found: the probe reads the new node, whichever
    way it took."""
    page.set_content('<div id="app"><input type="checkbox" id="s" checked></div>')
    for css in ("#s", None):
        page.evaluate("() => { document.getElementById('s').checked = true; }")
        probe = switch.Probe(page.locator("#s"), css, TIMEOUT_MS)
        assert probe.read() == "on"
        page.evaluate(REPLACE_UNCHECKED)
        assert probe.read() == "off", probe.way


@pytest.mark.parametrize(
    "css",
    [
        "#s >> nth=0",  # Playwright's own syntax: not for querySelector
        "#s:has-text('AI')",  # a Playwright extension
    ],
)
def test_the_probe_leaves_playwright_only_css_to_playwright(page, css):
    """CSS that only Playwright's engine understands is read through an element handle, right."""
    page.set_content('<div role="switch" id="s" aria-checked="true">AI</div>')
    probe = switch.Probe(page.locator(css), css, TIMEOUT_MS)
    assert probe.read() == "on"
    assert probe.way == "handle"


def test_the_probe_reads_unknown_when_the_switch_is_gone(page):
    """With no switch on the page the probe reads unknown and describes nothing, never off."""
    page.set_content("<p>nothing here</p>")
    probe = switch.Probe(page.locator("#s"), "#s", 300)
    assert probe.read() == "unknown"
    assert probe.describe() == {}


@pytest.mark.parametrize("css", ["#s", None], ids=["css", "handle"])
def test_the_probe_shows_a_switch_below_the_fold(page, css):
    """show() scrolls a switch that is out of view into the viewport, whichever way the
    probe takes."""
    page.set_content('<div style="height:3000px"></div><input type="checkbox" id="s">')
    in_view = (
        "() => { const r = document.getElementById('s').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert page.evaluate(in_view) is False
    probe = switch.Probe(page.locator("#s"), css, TIMEOUT_MS)
    probe.show()
    assert probe.way == ("css" if css else "handle")
    assert page.evaluate(in_view) is True


@pytest.mark.parametrize("shape", [p for p in SHAPES if p.values[0].find is _by_id])
def test_each_shape_is_set_the_same_ways_when_found_by_css(open_page, shape: Shape):
    """Given the CSS the switch was found by (the runner's common case, fewer round trips),
    set_state tries the same ways in the same order, with one toggle each, never two."""
    page = open_page(shape.page, on=True)
    loc = _by_id(page)

    for toggles, wanted in enumerate(("off", "on"), 1):
        result = switch.set_state(page, loc, wanted, TIMEOUT_MS, settle_ms=SETTLE_MS, css="#s")

        assert result.ok, (wanted, result)
        assert result.tried == (*shape.before, shape.method), (wanted, result)
        assert switch.read_state(loc) == wanted
        assert _changes(page) == toggles


def test_a_switch_found_by_css_that_already_reads_wanted_is_not_touched(open_page):
    page = open_page("native.html", on=False)
    result = switch.set_state(page, _by_id(page), "off", TIMEOUT_MS, css="#s")
    assert result == switch.SetResult(True)
    assert _changes(page) == 0


DECOY = """
<input type="checkbox" id="s" checked style="width:40px;height:40px"
       onchange="document.body.dataset.changes = (+document.body.dataset.changes || 0) + 1">
<button id="decoy" style="display:none;position:absolute;left:0;top:0;width:300px;height:300px"
        onclick="document.body.dataset.deleted = 'yes'">Delete my account</button>
<script>
  // Slides over the switch as the pointer arrives, and goes away a little later.
  addEventListener('pointermove', () => {
    const d = document.getElementById('decoy');
    if (d.dataset.done) return;
    d.dataset.done = '1';
    d.style.display = 'block';
    setTimeout(() => { d.style.display = 'none'; }, 300);
  }, {once: false});
</script>
"""


def test_the_quick_click_never_lands_on_what_moved_under_the_pointer(page, monkeypatch):
    """Something slides over the switch between the check and the click: the watch swallows
    the click (the decoy never hears it), and the usual click, which waits for the switch to
    be uncovered, sets it, once."""
    page.set_content(DECOY)
    quick: list[tuple[float, float]] = []
    click = page.mouse.click
    monkeypatch.setattr(page.mouse, "click", lambda x, y: quick.append((x, y)) or click(x, y))

    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, css="#s")

    assert result.ok and result.tried == ("click",), result
    assert len(quick) == 1  # the quick click was tried, and swallowed
    assert page.evaluate("document.body.dataset.deleted") is None
    assert page.evaluate("document.body.dataset.changes") == "1"
    assert page.evaluate(f"window.{pagecalls.AIM_KEY}") is None  # the watch is gone


def test_the_watch_swallows_every_event_of_a_click_that_lands_elsewhere(page):
    page.set_content(DECOY)
    aim = page.evaluate(pagecalls.CALL_BY_CSS_JS, ["#s", "aim", []])
    assert aim["state"] == "on" and {"x", "y"} <= aim.keys()
    page.evaluate("document.getElementById('decoy').dataset.done = '1'")
    page.evaluate("document.getElementById('decoy').style.display = 'block'")

    page.mouse.click(aim["x"], aim["y"])

    assert page.evaluate("document.body.dataset.deleted") is None
    with pytest.raises(PWError, match=pagecalls.BLOCKED):
        page.wait_for_function(switch.WAIT_BY_CSS_JS, arg=["#s", "off"], timeout=2_000)
    # The watch ended with that click: the page's own clicks work again.
    page.mouse.click(aim["x"], aim["y"])
    assert page.evaluate("document.body.dataset.deleted") == "yes"


def test_a_switch_a_click_would_not_land_on_alone_gets_no_quick_click(page):
    """A label over the switch's centre: no aim, so the general way decides (it clicks the
    label, which is what a person clicks)."""
    page.set_content(
        '<label for="s" style="position:relative;display:inline-block">'
        '<input type="checkbox" id="s" checked>'
        '<span style="position:absolute;inset:-5px;background:#ccc"></span></label>'
    )
    aim = page.evaluate(pagecalls.CALL_BY_CSS_JS, ["#s", "aim", []])
    assert aim == {"state": "on"}


def test_a_switch_the_page_puts_back_at_once_is_not_clicked_again(page):
    """A save that fails puts the switch back before any wait sees it: the quick click still
    knows it was heard (the switch read wanted right after it), so no other way is tried and
    the page gets one change, not two; the reload's re-read judges the rest."""
    page.set_content(
        '<input type="checkbox" role="switch" id="s" aria-label="AI" checked '
        'style="width:40px;height:40px" onchange="document.body.dataset.changes = '
        "(+document.body.dataset.changes || 0) + 1; setTimeout(() => { this.checked = "
        '!this.checked; }, 1)">'
    )

    result = switch.set_state(page, page.locator("#s"), "off", TIMEOUT_MS, css="#s")

    assert result.tried == ("click",)
    # The page puts it back a moment later (a timer: on a busy machine, after set_state
    # returned); by then still one change, never a second click.
    page.wait_for_function("document.getElementById('s').checked", timeout=TIMEOUT_MS)
    assert page.evaluate("document.body.dataset.changes") == "1"
    assert switch.read_state(page.locator("#s")) == "on"
