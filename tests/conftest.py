"""Shared test fixtures: a real Chromium, the bundled LinkedIn replica, and the CLI run
in-process against both.

One sync Playwright runs per test session (pytest-playwright's `playwright` fixture); the CLI
is pointed at it through `browsing.playwright_factory`, since sync Playwright allows one instance
per thread.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app import browsing
from optout_bot.cli import main as cli
from optout_bot.engine.browsers import BrowserNotFound, find_browser
from optout_bot.engine.session import LAUNCH_ARGS
from optout_bot.evidence import timestamping
from optout_bot.replicas import Replica
from tests.local_tsa import pki, refused, tsa  # noqa: F401 - the suite's fixtures

REPO = Path(__file__).resolve().parent.parent
#: A one-setting flow file (format 1), as people share them: the LinkedIn AI setting, the
#: same as the bundled site file's (a test keeps them equal), which hostile variants start from.
LINKEDIN_FLOW = REPO / "tests" / "flows" / "linkedin-ai-training.yaml"
#: The bundled LinkedIn site file (format 2).
LINKEDIN_SITE = REPO / "flows" / "linkedin.yaml"
ACCOUNT = "member@example.com"
AI_KEY = "allowDataForGenerativeAI"


#: The hosts a test may send a time-stamp request to: its own local TSA.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@pytest.fixture(scope="session", autouse=True)
def no_time_stamps_off_this_machine() -> Iterator[None]:
    """No test ever sends a time-stamp request off this machine (the default TSA is a public
    one): a request to any other host fails at once, as a TSA that cannot be reached does,
    so a run that would have reached the network is "not timestamped" instead of waiting."""
    from urllib.parse import urlsplit

    real = timestamping.post_query

    def local_only(url: str, query: bytes, timeout: float = timestamping.TIMEOUT_S) -> bytes:
        if urlsplit(url).hostname not in LOCAL_HOSTS:
            raise timestamping.StampError(f"tests never reach {url} (not this machine)")
        return real(url, query, timeout)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timestamping, "post_query", local_only)
        yield


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The browser the tests drive: $OPTOUT_BOT_BROWSER, else whatever optout-bot finds."""
    try:
        return find_browser().path
    except BrowserNotFound as exc:
        pytest.fail(f"tests need a Chromium: {exc}")


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium_path: str) -> dict:
    """pytest-playwright's launch options: our Chromium, with the switches optout-bot launches
    it with (quiet on a closed network, regular expressions in bounded time)."""
    return {"executable_path": chromium_path, "args": LAUNCH_ARGS}


@pytest.fixture
def replica() -> Iterator[Replica]:
    with Replica() as server:
        yield server


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chromium_path: str) -> Path:
    """optout-bot's data folder (profiles, evidence) in a temp dir; the browser to use."""
    home = tmp_path / "home"
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    monkeypatch.setenv("OPTOUT_BOT_BROWSER", chromium_path)
    # A settings file of the test's own (absent: defaults), never the developer's.
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(tmp_path / "config.toml"))
    return home


@pytest.fixture
def shared_playwright(playwright, monkeypatch: pytest.MonkeyPatch):
    """Make the CLI use the test session's Playwright instead of starting its own."""
    monkeypatch.setattr(browsing, "playwright_factory", lambda: contextlib.nullcontext(playwright))
    return playwright


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        import json

        return json.loads(self.out)


@pytest.fixture
def run_cli(home: Path, shared_playwright, capsys: pytest.CaptureFixture[str]):
    """Run `optout-bot ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def sign_in_profile(home: Path, playwright, chromium_path: str, replica: Replica):
    """Sign a kept profile in to the replica once, as a member would by hand."""

    def sign_in(name: str = "default", account: str = ACCOUNT) -> Path:
        return replica.sign_in_profile(playwright, home / "profiles" / name, chromium_path, account)

    return sign_in


@pytest.fixture
def flow_cli(run_cli, replica: Replica, sign_in_profile, tmp_path: Path):
    """`flow_cli(FLOW)("run", "--yes", ...)`: a flow against the replica, headless, JSON out,
    evidence in a temp folder; the kept profile signed in to every site first, unless
    `signed_in=False`."""

    def make(default: str, *, signed_in: bool = True) -> Callable[..., CliResult]:
        if signed_in:
            sign_in_profile()

        def go(mode: str, *extra: str, flow: str = default) -> CliResult:
            return run_cli(
                mode, flow, "--headless", "--json", "--replica", f"127.0.0.1:{replica.port}",
                "--evidence-dir", str(tmp_path / "evidence"), "--timeout", "10", *extra,
            )  # fmt: skip

        return go

    return make


@pytest.fixture
def linkedin(flow_cli):
    """`linkedin("run", "--yes", ...)`: the LinkedIn flow against the replica, signed in,
    headless, JSON out, evidence in a temp folder."""
    return flow_cli("linkedin-ai-training")


def have_xvfb() -> bool:
    return shutil.which("Xvfb") is not None


def pytest_report_header() -> str:
    return f"optout-bot browser: {os.environ.get('OPTOUT_BOT_BROWSER', '(auto)')}"


#: Test files whose tests share something of the machine (the real crontab, a virtual
#: display, the tmux server) or build something costly once for the file (a wheel): each
#: runs whole on one worker. Every other test goes to whichever worker is free (`./dev test`
#: runs pytest-xdist with `--dist load`), so a long file does not leave one worker busy
#: alone at the end.
WHOLE_FILES = frozenset({"test_schedule.py", "test_sessions.py", "test_progress.py",
                         "test_install.py"})  # fmt: skip


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With `--dist load`: xdist's scheduling by scope, where a test's scope is its file for
    WHOLE_FILES and the test itself otherwise. (xdist's own `loadgroup` cannot do this under
    pytest 9.2: it renames test ids through an attribute pytest no longer reads.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return file if Path(file).name in WHOLE_FILES else nodeid

    return Scheduling(config, log)  # type: ignore[arg-type]


@dataclass
class Out:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def optout_bot(capsys: pytest.CaptureFixture[str]) -> Callable[..., Out]:
    """Run `optout-bot ARGS...` in-process; exit code, stdout, stderr."""

    def run(*args: str) -> Out:
        capsys.readouterr()
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Out(code, captured.out, captured.err)

    return run
