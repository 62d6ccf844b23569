"""Evidence screenshots: every way `Camera` takes one paints the same masks over the same
elements, lets animations finish first, and leaves the page working."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import Page

from optout_bot.capture import MASK_COLOR, Camera
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
