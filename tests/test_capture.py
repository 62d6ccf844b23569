"""Evidence screenshots: every way `Camera` takes one paints the same masks over the same
elements, lets animations finish first, and leaves the page working."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import Page

from optout_bot.engine.capture import MASK_COLOR, Camera
from optout_bot.flow.model import Locator

GREY = [int(MASK_COLOR[i : i + 2], 16) for i in (1, 3, 5)]

PAGE = """
<style>body { margin: 0; background: #fff; }
  #photo { position: absolute; left: 40px; top: 40px; width: 80px; height: 80px;
           background: #c00; }
  #name { position: absolute; left: 200px; top: 40px; font: 20px sans-serif; color: #00c; }
  #go { position: absolute; left: 40px; top: 200px; width: 120px; height: 40px; }
</style>
<img id="photo" alt="Sandy Share" src="data:,">
<span id="name" role="heading" aria-level="1">Sandy Share</span>
<button id="go" onclick="document.body.dataset.clicked = 'yes'">Go</button>
"""


def _pixel(page: Page, png: bytes, x: float, y: float) -> list[int]:
    data = "data:image/png;base64," + base64.b64encode(png).decode()
    return page.evaluate(
        """async ([data, x, y]) => {
            const img = new Image(); img.src = data; await img.decode();
            const c = document.createElement('canvas');
            c.width = img.width; c.height = img.height;
            const g = c.getContext('2d'); g.drawImage(img, 0, 0);
            return Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
        }""",
        [data, x, y],
    )


def _css(value: str) -> Locator:
    return Locator(strategy="css", value=value)


def _shot(page: Page, mask: list[Locator], fast: bool = True) -> tuple[bytes, str]:
    camera = Camera(page)
    camera.fast = fast
    png = camera.png(mask)
    return png, (camera.way if camera.fast else "playwright")


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "playwright"])
def test_a_masked_element_is_painted_grey_and_the_rest_is_not(page, fast):
    """A masked element is solid grey in the picture and the rest of the page is untouched,
    both ways."""
    page.set_content(PAGE)
    png, way = _shot(page, [_css("#photo")], fast)
    assert way == ("css" if fast else "playwright")
    assert _pixel(page, png, 80, 80) == GREY
    assert _pixel(page, png, 300, 300) == [255, 255, 255]


@pytest.mark.parametrize(
    "mask",
    [
        Locator(strategy="role", value="heading", name="Sandy Share"),
        _css("#name:has-text('Sandy')"),  # a Playwright extension: not for querySelector
    ],
    ids=["role", "playwright-css"],
)
def test_masks_that_only_playwright_can_find_are_found_by_playwright(page, mask):
    """Masks that querySelectorAll cannot answer for (a role, Playwright's CSS) are found by
    Playwright's engine."""
    page.set_content(PAGE)
    box = page.locator("#name").bounding_box()
    assert box is not None
    png, way = _shot(page, [mask])
    assert way == "engine"
    assert _pixel(page, png, box["x"] + 5, box["y"] + box["height"] / 2) == GREY


def test_with_a_shadow_root_on_the_page_css_masks_go_through_playwright(page):
    """Playwright's CSS looks inside open shadow roots and querySelectorAll does not: an
    element there is masked all the same."""
    page.set_content(
        PAGE + "<div id='host'></div><script>"
        "const r = document.getElementById('host').attachShadow({mode: 'open'});"
        'r.innerHTML = \'<b class="avatar" style="position:absolute;left:400px;top:40px;'
        "width:60px;height:60px;background:#0c0\"></b>';</script>"
    )
    png, way = _shot(page, [_css(".avatar")])
    assert way == "engine"
    assert _pixel(page, png, 430, 70) == GREY


def test_the_masks_take_no_clicks_and_can_be_cleared(page):
    """The painted masks let clicks through to the page, and clear() removes them."""
    page.set_content(PAGE)
    camera = Camera(page)
    camera.png([_css("#go")])
    page.locator("#go").click(timeout=2_000)
    assert page.locator("body").get_attribute("data-clicked") == "yes"
    assert page.locator("optout-bot-masks").count() == 1
    camera.clear()
    assert page.locator("optout-bot-masks").count() == 0


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "playwright"])
def test_a_running_transition_is_finished_before_the_picture(page, fast):
    """A switch caught mid-slide is not evidence: finite animations end first."""
    page.set_content(
        "<style>#s { width: 100px; height: 100px; background: rgb(255, 0, 0);"
        " transition: background-color 60s linear; } #s.on { background: rgb(0, 0, 255); }"
        "</style><div id='s'></div>"
    )
    page.evaluate("() => { getComputedStyle(s).backgroundColor; s.classList.add('on'); }")
    png, _ = _shot(page, [], fast)
    assert _pixel(page, png, 50, 50) == [0, 0, 255]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "playwright"])
def test_the_picture_is_the_scrolled_viewport_in_device_pixels(browser, fast):
    """A phone's screenshot has the phone's pixels (here 2x), and shows where the page is
    scrolled to: the same picture Playwright's own screenshot takes."""
    context = browser.new_context(viewport={"width": 300, "height": 200}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.set_content(
            "<body style='margin:0;height:3000px;background:#fff'>"
            "<div style='position:absolute;top:1000px;left:0;width:300px;height:50px;"
            "background:rgb(0,200,0)'></div></body>"
        )
        page.evaluate("() => scrollTo(0, 990)")
        png, _ = _shot(page, [], fast)
        assert png[16:24] == (600).to_bytes(4, "big") + (400).to_bytes(4, "big")
        assert _pixel(page, png, 20, 40) == [0, 200, 0]  # 10 px below the top edge, x2
        assert _pixel(page, png, 20, 10) == [255, 255, 255]
    finally:
        context.close()


def test_a_real_high_density_screen_is_captured_once_not_scaled_twice(playwright, chromium_path):
    """The member's own Chrome on a 2x screen (no emulation): device pixels, as Playwright's."""
    from optout_bot.engine.session import QUIET_ARGS

    browser = playwright.chromium.launch(
        executable_path=chromium_path, args=[*QUIET_ARGS, "--force-device-scale-factor=2"]
    )
    try:
        page = browser.new_page(no_viewport=True)
        page.set_content("<p>hi</p>")
        fast, _ = _shot(page, [], True)
        theirs, _ = _shot(page, [], False)
        assert fast[16:24] == theirs[16:24]
        assert int.from_bytes(fast[16:20], "big") == 2 * page.evaluate("innerWidth")
    finally:
        browser.close()


def test_a_phone_emulated_in_the_members_browser_is_captured_through_its_own_session(
    browser, playwright
):
    """--cdp --platform mobile: the tab is made a phone by optout-bot's DevTools session;
    the picture goes through that session, in the phone's pixels, and the tab stays a phone
    (a capture from another session with a clip would reset the emulation)."""
    from optout_bot.engine.session import _emulate_mobile_over_cdp, _load_phone

    _load_phone(playwright)
    context = browser.new_context(no_viewport=True)
    try:
        page = context.new_page()
        devtools = _emulate_mobile_over_cdp(page, context)
        page.set_content("<meta name='viewport' content='width=device-width'><p>hi</p>")
        before = page.evaluate("() => [devicePixelRatio, innerWidth, innerHeight]")
        camera = Camera(page, devtools)
        png = camera.png([_css("p")])
        assert camera.fast
        width, height = (int.from_bytes(png[i : i + 4], "big") for i in (16, 20))
        assert (width, height) == tuple(round(before[0] * n) for n in before[1:])
        assert page.evaluate("() => [devicePixelRatio, innerWidth, innerHeight]") == before
    finally:
        context.close()


def test_the_fast_way_leaves_an_emulated_viewport_as_it_was(page):
    """Playwright's own viewport emulation (a kept profile) survives our captures."""
    page.set_content(PAGE)
    before = page.evaluate("() => [devicePixelRatio, innerWidth, innerHeight]")
    camera = Camera(page)
    png = camera.png([_css("#photo")])
    assert camera.fast
    assert int.from_bytes(png[16:20], "big") == before[1]
    assert page.evaluate("() => [devicePixelRatio, innerWidth, innerHeight]") == before
