"""The replica's one server plays several sites, each by its Host header (replicas/site.py):
a site's answers, cookies and headers reach the browser; LinkedIn is untouched beside it; a
bug in a site is a 500, not a dead server."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Playwright

from optout_bot.engine.session import QUIET_ARGS
from optout_bot.replicas import Replica
from optout_bot.replicas.site import Request, Response
from tests.conftest import ACCOUNT


class Echo:
    """A site that says who asked, signs in by cookie, and fails on /boom."""

    name = "echo"
    hosts = ("echo.example", "www.echo.example")

    def __init__(self) -> None:
        self.seen: list[Request] = []

    def handle(self, request: Request) -> Response:
        self.seen.append(request)
        if request.path == "/boom":
            raise RuntimeError("a bug in the site")
        who = request.cookies.get("echo_session", "nobody")
        response = Response.html(f"<title>Echo</title><p id=who>{who} on {request.host}</p>")
        response.headers.append(("Content-Security-Policy", "default-src 'none'"))
        response.set_cookie("seen", "1", max_age=60)
        return response

    def sign_in_cookies(self, account: str) -> list[dict[str, Any]]:
        return [
            {"name": "echo_session", "value": account, "domain": "echo.example", "path": "/",
             "secure": True, "httpOnly": True, "sameSite": "Lax"},
        ]  # fmt: skip


def test_one_server_answers_each_site_by_its_host(playwright: Playwright, chromium_path: str):
    echo = Echo()
    with Replica(sites=[echo]) as replica:
        assert replica.site("echo") is echo
        assert replica.hosts == ("www.linkedin.com", "linkedin.com", *Echo.hosts)
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=QUIET_ARGS + replica.chromium_args()
        )
        try:
            context = browser.new_context()
            context.add_cookies(replica.sign_in_cookies(ACCOUNT))
            page = context.new_page()

            response = page.goto("https://echo.example/")
            assert response is not None and response.status == 200
            assert page.text_content("#who") == f"{ACCOUNT} on echo.example"
            assert response.headers["content-security-policy"] == "default-src 'none'"
            assert any(c["name"] == "seen" for c in context.cookies("https://echo.example"))

            failed = page.goto("https://www.echo.example/boom")
            assert failed is not None and failed.status == 500

            # LinkedIn, beside it, as before (signed in by the same call).
            page.goto("https://www.linkedin.com/feed/")
            assert page.url == "https://www.linkedin.com/feed/"
        finally:
            browser.close()
    assert [r.path for r in echo.seen] == ["/", "/boom"]
