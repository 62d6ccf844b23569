"""One origin boundary for the whole run: nothing the run's page does, and nothing it opens,
reaches another origin or a sign-out / delete / pay URL. Each way out is tried on a small
local page (tests/boundary_pages/) served on one origin, with a second origin standing for
'another site'; the second server's log shows what was really sent."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from optout_bot.engine.boundary import Boundary
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW

PAGES = Path(__file__).parent / "boundary_pages"


@dataclass
class Site:
    origin: str
    #: every path asked of this server, in order
    hits: list[str] = field(default_factory=list)


def _serve(site_hits: list[str]) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            site_hits.append(self.path)
            parts = urlsplit(self.path)
            if parts.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", parse_qs(parts.query)["to"][0])
                self.end_headers()
                return
            file = PAGES / parts.path.removeprefix("/boundary_pages/")
            found = parts.path.startswith("/boundary_pages/") and file.is_file()
            body = file.read_bytes() if found else b"<p>elsewhere</p>"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    """The run's own site and another one."""
    servers, found = [], []
    for _ in range(2):
        hits: list[str] = []
        server = _serve(hits)
        servers.append(server)
        found.append(Site(f"http://127.0.0.1:{server.server_address[1]}", hits))
    yield found[0], found[1]
    for server in servers:
        server.shutdown()


@pytest.fixture
def governed(page, sites):
    """The run's page on the start page, behind a boundary around the run's own site."""
    own, other = sites
    boundary = Boundary(page, (own.origin,))
    boundary.install()
    page.goto(f"{own.origin}/boundary_pages/start.html?other={other.origin}")
    yield boundary, page, own, other
    boundary.uninstall()


def until(check: Callable[[], object], page, seconds: float = 5.0) -> object:
    """Wait (bounded) for `check()` to be true, letting the browser's events through."""
    deadline = time.monotonic() + seconds
    while not (value := check()) and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    return value


def test_a_link_to_another_site_is_aborted_before_the_request(governed):
    boundary, page, own, other = governed
    with page.expect_event("requestfailed"):
        page.click("#away")
    assert "outside the flow's allowed origins" in boundary.breach
    assert "/careers" not in other.hits
    assert page.url.startswith(own.origin)  # the page stays where it was


def test_a_redirect_to_another_site_is_aborted_at_the_hop(governed):
    boundary, page, own, other = governed
    with page.expect_event("requestfailed"):
        page.click("#hop")
    assert any(hit.startswith("/redirect") for hit in own.hits)  # the first hop was fine
    assert "/hop" not in other.hits
    assert other.origin in boundary.breach


def test_a_sign_out_url_on_the_site_itself_is_never_requested(governed):
    """The link reads "Account": the URL itself gives it away."""
    boundary, page, own, _ = governed
    with page.expect_event("requestfailed"):
        page.click("#logout")
    assert "/m/logout/" not in own.hits
    assert "'logout'" in boundary.breach


def test_a_goto_to_a_sign_out_url_fails_and_sends_nothing(governed):
    boundary, page, own, _ = governed
    with pytest.raises(Exception, match="ERR_ABORTED"):
        page.goto(f"{own.origin}/m/logout/")
    assert "/m/logout/" not in own.hits
    assert boundary.breach is not None


@pytest.mark.parametrize(
    ("control", "path"),
    [("#away-tab", "/help"), ("#open-away", "/popup"), ("#form-away button", "/form")],
    ids=["target=_blank link", "window.open", "form with a target"],
)
def test_a_new_tab_on_another_site_is_never_opened(governed, control, path):
    boundary, page, _, other = governed
    page.click(control)
    assert until(lambda: boundary.breach, page)
    assert other.origin in boundary.breach
    assert not any(hit.startswith(path) for hit in other.hits)
    assert page.context.pages == [page]


def test_a_new_tab_on_the_site_itself_is_closed_and_the_run_goes_on(governed):
    boundary, page, _, _ = governed
    with page.context.expect_event("page") as opened:
        page.click("#open-same")
    until(lambda: opened.value.is_closed(), page)
    assert opened.value.is_closed()
    assert boundary.breach is None


def test_a_page_that_moves_away_on_its_own_is_held_back(governed):
    """After the last navigation step the page itself leaves: the move is never sent, so
    the switch can never be clicked on the other site."""
    boundary, page, own, other = governed
    with page.expect_event("requestfailed"):
        page.click("#move-later")
    assert "/later" not in other.hits
    assert page.url.startswith(own.origin)
    assert other.origin in boundary.breach


def test_pictures_and_scripts_from_other_origins_are_not_navigations(governed):
    boundary, page, _, other = governed
    page.click("#same")
    page.wait_for_selector("#next")
    assert "/image.png" in other.hits  # the start page's image loaded
    assert boundary.breach is None


def test_the_persons_other_tabs_are_not_governed(governed):
    """Attached to the person's browser, their own tabs go wherever they like."""
    boundary, page, _, other = governed
    theirs = page.context.new_page()
    theirs.goto(f"{other.origin}/their-own")
    assert not theirs.is_closed() and "/their-own" in other.hits
    assert boundary.breach is None
    theirs.close()


def _flow_with(replace: str, by: str) -> str:
    text = LINKEDIN_FLOW.read_text()
    assert replace in text
    return text.replace(replace, by, 1)


def test_a_flow_that_opens_the_sign_out_url_is_refused_before_anything_runs(
    linkedin, replica, tmp_path
):
    """`goto: .../m/logout/` is on the site, but reads as signing out: validate refuses it at
    its place (exit 2), nothing is opened, and the member stays signed in. (Had it slipped
    through, the boundary would still not send it: the tests above.)"""
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        _flow_with(
            "    - goto: https://www.linkedin.com/feed/",
            "    - goto: https://www.linkedin.com/m/logout/",
        )
    )
    result = linkedin("run", "--yes", flow=str(evil))
    assert result.code == 2
    assert "evil.yaml:" in result.err and "reads as 'logout' (signing out)" in result.err
    assert replica.writes == []
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True
    assert linkedin("verify").json["login_reason"] == ""  # still signed in


def test_an_origin_is_named_one_way_whatever_the_url_spells(page):
    """The boundary compares origins as the browser does: host case, the default port and a
    user name do not make https://www.linkedin.com another site; another port does."""
    boundary = Boundary(page, ("https://www.linkedin.com",))
    for same in (
        "https://WWW.LinkedIn.com/feed/",
        "https://www.linkedin.com:443/feed/",
        "https://someone@www.linkedin.com/feed/",
    ):
        assert boundary.refusal(same) is None, same
    for other in ("https://www.linkedin.com:8443/", "http://www.linkedin.com/", "https://x:y/"):
        assert "outside the flow's allowed origins" in boundary.refusal(other), other
