"""`--cdp auto`: finding the person's running browser that allows debugging by its
DevToolsActivePort, attaching over its WebSocket while /json/version answers 404, the
"allow this connection?" wait, what is said when there is none, `doctor`, and the scheduled
check that falls back to the kept profile."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from optout_bot.app.config import load_config
from optout_bot.app.request import BrowserRequest
from optout_bot.engine import attach
from optout_bot.engine.browsers import installed_browsers
from optout_bot.unattended import alerts
from tests.conftest import ACCOUNT, AI_KEY, REPO
from tests.test_sessions import _devtools_port, start_debuggable

#: The steps a person is given when no browser allows debugging.
STEPS = "open chrome://inspect/#remote-debugging"


# -- the folders, the file, the probe (pure) --------------------------------------------------


def test_linux_folders_in_order_of_preference():
    """On Linux each browser's folder is under ~/.config (or $XDG_CONFIG_HOME), Chrome first,
    then its Beta, Dev and Canary, Chromium (and the snap's), Edge, Brave."""
    found = attach.user_data_dirs("linux", "/home/ann", {})
    assert [(kind.name, str(folder)) for kind, folder in found] == [
        ("Chrome", "/home/ann/.config/google-chrome"),
        ("Chrome Beta", "/home/ann/.config/google-chrome-beta"),
        ("Chrome Dev", "/home/ann/.config/google-chrome-unstable"),
        ("Chrome Canary", "/home/ann/.config/google-chrome-canary"),
        ("Chromium", "/home/ann/.config/chromium"),
        ("Chromium", "/home/ann/snap/chromium/common/chromium"),
        ("Edge", "/home/ann/.config/microsoft-edge"),
        ("Brave", "/home/ann/.config/BraveSoftware/Brave-Browser"),
    ]
    xdg = attach.user_data_dirs("linux", "/home/ann", {"XDG_CONFIG_HOME": "/cfg"})
    assert str(xdg[0][1]) == "/cfg/google-chrome"


def test_macos_folders_are_under_application_support():
    """On macOS each browser's folder is under ~/Library/Application Support."""
    found = attach.user_data_dirs("darwin", "/Users/ann", {})
    support = PurePosixPath("/Users/ann/Library/Application Support")
    assert [(kind.name, folder) for kind, folder in found] == [
        ("Chrome", support / "Google/Chrome"),
        ("Chrome Beta", support / "Google/Chrome Beta"),
        ("Chrome Dev", support / "Google/Chrome Dev"),
        ("Chrome Canary", support / "Google/Chrome Canary"),
        ("Chromium", support / "Chromium"),
        ("Edge", support / "Microsoft Edge"),
        ("Brave", support / "BraveSoftware/Brave-Browser"),
    ]


def test_windows_folders_are_under_localappdata():
    """On Windows each browser's folder is its "User Data" under %LOCALAPPDATA% (Canary's
    is Chrome SxS), else under the home folder's AppData\\Local."""
    local = r"C:\Users\ann\AppData\Local"
    found = attach.user_data_dirs("win32", r"C:\Users\ann", {"LOCALAPPDATA": local})
    assert [(kind.name, str(folder)) for kind, folder in found] == [
        ("Chrome", local + r"\Google\Chrome\User Data"),
        ("Chrome Beta", local + r"\Google\Chrome Beta\User Data"),
        ("Chrome Dev", local + r"\Google\Chrome Dev\User Data"),
        ("Chrome Canary", local + r"\Google\Chrome SxS\User Data"),
        ("Chromium", local + r"\Chromium\User Data"),
        ("Edge", local + r"\Microsoft\Edge\User Data"),
        ("Brave", local + r"\BraveSoftware\Brave-Browser\User Data"),
    ]
    without = attach.user_data_dirs("win32", r"C:\Users\ann", {})
    assert without[0][1] == PureWindowsPath(r"C:\Users\ann\AppData\Local\Google\Chrome\User Data")


def _port_file(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / attach.PORT_FILE).write_text(text)
    return folder


@pytest.mark.parametrize(
    "text",
    ["", "9222\n", "port\n/devtools/browser/x\n", "0\n/devtools/browser/x\n",
     "70000\n/devtools/browser/x\n", "9222\n/json/version\n", "9222\n/devtools/browser/a b\n"],
)  # fmt: skip
def test_a_port_file_that_does_not_read_as_one_is_ignored(tmp_path: Path, text: str):
    """Only 'PORT' then '/devtools/browser/ID' is a DevToolsActivePort; anything else is none."""
    assert attach.read_port_file(_port_file(tmp_path, text)) is None


def test_scan_prefers_chrome_and_skips_what_does_not_listen(tmp_path: Path):
    """Several browsers found: Chrome first, then Chromium, then Brave; a file whose port
    does not listen (the browser was closed) is seen but not attached to."""
    config = tmp_path / ".config"
    _port_file(config / "BraveSoftware/Brave-Browser", "4003\n/devtools/browser/brave\n")
    _port_file(config / "chromium", "4002\n/devtools/browser/chromium\n")
    _port_file(config / "google-chrome", "4001\n/devtools/browser/chrome\n")
    _port_file(config / "microsoft-edge", "4004\n/devtools/browser/edge\n")

    def probe(port: int) -> bool:
        return port != 4004  # Edge was closed

    found = attach.scan("linux", tmp_path, {}, probe)
    assert [(f.name, f.port, f.alive) for f in found] == [
        ("Chrome", 4001, True), ("Chromium", 4002, True), ("Edge", 4004, False),
        ("Brave", 4003, True),
    ]  # fmt: skip
    best = attach.attachable("linux", tmp_path, {}, probe)[0]
    assert best.ws_url == "ws://127.0.0.1:4001/devtools/browser/chrome"
    assert best.address == "127.0.0.1:4001"


def _closed_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_stale_file_is_skipped_by_a_real_connect(tmp_path: Path):
    """The probe is a real TCP connect: a closed port is refused at once (stale), a port
    something listens on is alive."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        live = server.getsockname()[1]
        _port_file(tmp_path / ".config/chromium", f"{live}\n/devtools/browser/a\n")
        _port_file(tmp_path / ".config/google-chrome", f"{_closed_port()}\n/devtools/browser/b\n")
        began = time.monotonic()
        found = attach.scan("linux", tmp_path, {})
        assert time.monotonic() - began < 2 * attach.PROBE_TIMEOUT + 1
    assert [(f.name, f.alive) for f in found] == [("Chrome", False), ("Chromium", True)]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("auto", True), ("http://127.0.0.1:9222", True), ("ws://127.0.0.1:9/devtools/browser/x", True),
     ("127.0.0.1:9222", False), ("", False), ("Auto", False), ("file:///tmp", False)],
)  # fmt: skip
def test_cdp_values(value: str, ok: bool):
    """--cdp takes 'auto' or an http(s):// or ws(s):// URL with a host."""
    assert (attach.cdp_problem(value) == "") is ok


def test_the_websocket_paths_id_is_never_shown():
    """Messages show host and port only, never the browser's WebSocket id."""
    url = "ws://127.0.0.1:9222/devtools/browser/4f2a-secretish"
    assert attach.shown(url) == "ws://127.0.0.1:9222"
    assert "4f2a" not in attach.scrubbed(f"WebSocket error: {url} 404 Not Found")


# -- the settings file and the request --------------------------------------------------------


def test_settings_file_cdp_auto_or_a_url(tmp_path: Path):
    """`cdp = "auto"` or a URL is read as it is; anything else names the key and the fix."""
    from optout_bot.app.config import ConfigError

    path = tmp_path / "config.toml"
    path.write_text('cdp = "auto"\n')
    assert load_config(path).cdp == "auto"
    path.write_text('cdp = "http://127.0.0.1:9222"\n')
    assert load_config(path).cdp == "http://127.0.0.1:9222"
    path.write_text('cdp = "9222"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}: 'cdp' must be 'auto' (your running browser that allows debugging) or a "
        "DevTools URL such as 'http://127.0.0.1:9222', got '9222'"
    )


def test_profile_on_the_command_line_wins_except_for_a_scheduled_check(tmp_path: Path):
    """With `cdp = "auto"` in the settings file, `--profile` launches that profile; the
    scheduled check (whose job line always names its profile) attaches, keeping the profile
    to fall back to."""
    path = tmp_path / "config.toml"
    path.write_text('cdp = "auto"\nprofile = "work"\n')
    settings = load_config(path)
    assert BrowserRequest.merged(settings).cdp == "auto"
    assert BrowserRequest.merged(settings).profile == "work"
    given = BrowserRequest.merged(settings, profile="home")
    assert (given.cdp, given.profile) == (None, "home")
    checked = BrowserRequest.merged(settings, profile="home", unattended=True)
    assert (checked.cdp, checked.profile) == ("auto", "home")
    url = BrowserRequest.merged(settings, cdp="http://127.0.0.1:9222")
    assert (url.cdp, url.profile) == ("http://127.0.0.1:9222", None)
    assert BrowserRequest.merged(settings).allow_timeout == 300.0


# -- a person's everyday browser, with debugging allowed ---------------------------------------


class DevToolsProxy:
    """127.0.0.1:PORT in front of a browser's DevTools port, as a browser that allows
    debugging from chrome://inspect behaves: every /json/* request is answered 404, all else
    is passed through. With `hold`, a WebSocket waits (as the browser's "allow?" prompt keeps
    it waiting) until `allow()`."""

    def __init__(self, target: int, *, hold: bool = False) -> None:
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.allowed = threading.Event()
        if not hold:
            self.allowed.set()
        self.waiting = threading.Event()
        self.json_asked: list[str] = []
        self._sockets: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def allow(self) -> None:
        self.allowed.set()

    def close(self) -> None:
        self._closed = True
        self.allowed.set()
        for sock in [self.server, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self._sockets.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            path = head.split(b" ", 2)[1].decode("latin-1")
            if path.startswith("/json"):
                self.json_asked.append(path)
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                conn.close()
                return
            self.waiting.set()
            if not self.allowed.wait(60) or self._closed:
                conn.close()
                return
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            self._sockets.append(upstream)
            upstream.settimeout(None)
            conn.settimeout(None)
            upstream.sendall(head)
            threading.Thread(target=self._pump, args=(upstream, conn), daemon=True).start()
            self._pump(conn, upstream)
        except OSError:
            with contextlib.suppress(OSError):
                conn.close()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


@dataclass
class EverydayBrowser:
    """A Chromium "the person" runs with debugging allowed: its DevToolsActivePort, in a
    standard user-data folder under a temporary HOME, names a proxy where /json/* is 404."""

    proc: subprocess.Popen[str]
    port: int
    folder: Path
    proxy: DevToolsProxy
    ws_path: str = ""
    extra: list[DevToolsProxy] = field(default_factory=list)

    def tabs(self) -> list[str]:
        """The person's tabs, asked of the browser itself (not through the proxy)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=10) as r:
            return [t["url"] for t in json.load(r) if t["type"] == "page"]

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.proxy.port}{self.ws_path}"


def _wait_for_file(path: Path, proc: subprocess.Popen[str], timeout_s: float = 30) -> str:
    """The file's text once the browser has written it (bounded)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.is_file() and len(path.read_text().splitlines()) >= 2:
            return path.read_text()
        assert proc.poll() is None, "the browser exited"
        time.sleep(0.05)
    raise AssertionError(f"the browser did not write {path}")


@pytest.fixture
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The person's HOME: empty, so no browser of the machine's own is found."""
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


@pytest.fixture
def everyday(
    chromium_path: str, replica, user_home: Path, playwright
) -> Iterator[Callable[..., EverydayBrowser]]:
    """`everyday(folder="chromium", hold=False)`: start the person's browser on
    <HOME>/.config/<folder>, signed in to the replica, with a tab of their own open."""
    started: list[EverydayBrowser] = []

    def start(folder: str = "chromium", *, hold: bool = False) -> EverydayBrowser:
        data = user_home / ".config" / folder
        proc = start_debuggable(chromium_path, data, replica)
        try:
            port = _devtools_port(proc)
            written = _wait_for_file(data / attach.PORT_FILE, proc)
            assert written.splitlines()[0] == str(port)
            # The person is signed in and has a tab of their own open.
            cdp = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            cdp.contexts[0].add_cookies([replica.sign_in_cookie(ACCOUNT)])
            cdp.contexts[0].pages[0].goto("https://www.linkedin.com/feed/")
            cdp.close()  # disconnects; the browser keeps running
        except BaseException:
            proc.kill()
            proc.wait(timeout=20)
            raise
        proxy = DevToolsProxy(port, hold=hold)
        path = written.splitlines()[1]
        (data / attach.PORT_FILE).write_text(f"{proxy.port}\n{path}\n")
        browser = EverydayBrowser(proc, port, data, proxy, path)
        started.append(browser)
        return browser

    yield start
    for browser in started:
        browser.proxy.close()
        browser.proc.terminate()
        try:
            browser.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            browser.proc.kill()
            browser.proc.wait(timeout=20)


def _cli_env(user_home: Path, tmp_path: Path, chromium_path: str) -> dict[str, str]:
    env = {**os.environ, "HOME": str(user_home), "OPTOUT_BOT_HOME": str(tmp_path / "data"),
           "OPTOUT_BOT_CONFIG": str(tmp_path / "config.toml"),
           "OPTOUT_BOT_BROWSER": chromium_path}  # fmt: skip
    env.pop("XDG_CONFIG_HOME", None)
    return env


def test_cdp_auto_attaches_while_json_version_is_404_and_leaves_the_browser_as_it_was(
    everyday, replica, user_home: Path, tmp_path: Path, chromium_path: str
):
    """`optout-bot verify linkedin-ai-training --cdp auto` finds the running Chromium by the
    DevToolsActivePort in its user-data folder under HOME, attaches to ws://127.0.0.1:PORT/PATH
    though /json/version answers 404, exits 0, and the browser and its tabs are still there."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    browser = everyday()
    before = browser.tabs()
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"http://127.0.0.1:{browser.proxy.port}/json/version", timeout=10)
    assert answer.value.code == 404

    proc = subprocess.run(
        [sys.executable, "-m", "optout_bot", "verify", "linkedin-ai-training", "--cdp", "auto",
         "--json", "--evidence-dir", str(tmp_path / "ev")],
        cwd=REPO, env=_cli_env(user_home, tmp_path, chromium_path), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip

    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert (result["status"], result["session"]) == ("ok", "cdp")
    assert f"attaching to Chromium at 127.0.0.1:{browser.proxy.port}" in proc.stderr
    assert browser.ws_path not in proc.stderr + proc.stdout
    assert "is asking you to allow" not in proc.stderr  # it answered at once
    assert browser.proxy.json_asked == ["/json/version"]  # only ours, above
    assert browser.proc.poll() is None, "the person's browser must keep running"
    assert browser.tabs() == before
    assert replica.writes == []


def test_cdp_auto_switches_off_in_the_everyday_browser(
    run_cli, everyday, replica, user_home: Path, tmp_path: Path
):
    """`run --cdp auto --yes` switches the setting off in a new tab of the person's browser
    and closes only that tab."""
    browser = everyday()
    before = browser.tabs()

    result = run_cli(
        "run", "linkedin-ai-training", "--yes", "--cdp", "auto", "--json",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 0, result.out + result.err
    assert result.json["session"] == "cdp"
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert browser.tabs() == before


def test_with_no_browser_allowing_debugging_auto_is_exit_2_with_the_steps(
    run_cli, user_home: Path, tmp_path: Path
):
    """Nothing found: exit 2 (usage), saying to open chrome://inspect/#remote-debugging, turn
    it on and run again, and why --remote-debugging-port cannot use the everyday profile."""
    result = run_cli(
        "verify", "linkedin-ai-training", "--cdp", "auto", "--json",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 2
    reason = result.json["reason"]
    assert reason.startswith("no browser with debugging allowed is running. ")
    assert f"{STEPS} in your everyday Chrome" in reason
    assert "turn remote debugging on, then run optout-bot again" in reason
    assert "--remote-debugging-port cannot use your everyday profile" in reason
    assert "Chrome 136" in reason
    # The run's evidence record says the same, not "interrupted".
    history = run_cli("history", "--json")
    assert [(r["status"], r["reason"]) for r in history.json] == [("invalid", reason)]


def test_a_cdp_value_that_is_neither_auto_nor_a_url_is_a_usage_error(run_cli, tmp_path: Path):
    """`--cdp 9222` (a port without a URL) is exit 2, saying what --cdp takes."""
    result = run_cli(
        "verify", "linkedin-ai-training", "--cdp", "9222", "--json",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 2
    assert result.json["reason"] == (
        "--cdp '9222': expected 'auto' or a DevTools URL such as http://127.0.0.1:9222 or "
        "ws://127.0.0.1:9222/devtools/browser/..."
    )


def test_a_stale_port_file_is_skipped(run_cli, user_home: Path, tmp_path: Path):
    """A DevToolsActivePort left by a browser that was closed (nothing listens on its port)
    is skipped: when it is the only one, exit 2 with the steps, naming what was left."""
    port = _closed_port()
    _port_file(user_home / ".config" / "google-chrome", f"{port}\n/devtools/browser/gone\n")

    result = run_cli(
        "verify", "linkedin-ai-training", "--cdp", "auto", "--json",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 2
    assert (
        f"left by Chrome (127.0.0.1:{port}), but nothing listens there now"
        in (result.json["reason"])
    )
    assert STEPS in result.json["reason"]


def test_a_stale_file_of_a_preferred_browser_does_not_hide_a_running_one(
    run_cli, everyday, replica, user_home: Path, tmp_path: Path
):
    """A closed Chrome's stale file is skipped and the running Chromium is attached to."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    _port_file(user_home / ".config/google-chrome", f"{_closed_port()}\n/devtools/browser/gone\n")
    browser = everyday("chromium")

    result = run_cli(
        "verify", "linkedin-ai-training", "--cdp", "auto", "--json",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 0, result.out + result.err
    assert f"attaching to Chromium at 127.0.0.1:{browser.proxy.port}" in result.err


def test_cdp_with_a_websocket_url_attaches_directly(run_cli, everyday, replica, tmp_path: Path):
    """`--cdp ws://127.0.0.1:PORT/devtools/browser/ID` attaches without asking /json/version."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    browser = everyday()

    result = run_cli(
        "verify", "linkedin-ai-training", "--cdp", browser.ws_url, "--json",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 0, result.out + result.err
    assert result.json["session"] == "cdp"
    assert browser.proxy.json_asked == []


def test_the_settings_file_cdp_auto_attaches(
    run_cli, everyday, replica, home: Path, tmp_path: Path
):
    """`cdp = "auto"` in the settings file: a run without --cdp attaches to the browser."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    (tmp_path / "config.toml").write_text('cdp = "auto"\n')
    browser = everyday()

    result = run_cli(
        "verify", "linkedin-ai-training", "--json", "--evidence-dir", str(tmp_path / "ev")
    )

    assert result.code == 0, result.out + result.err
    assert result.json["session"] == "cdp"
    assert f"127.0.0.1:{browser.proxy.port}" in result.err


# -- the browser's "allow this connection?" prompt ---------------------------------------------


def _start_cli(
    args: list[str], env: dict[str, str], out: Path
) -> tuple[subprocess.Popen[str], queue.Queue]:
    """optout-bot in a process of its own, its stdout into `out`; its stderr lines come on
    the queue (None at the end)."""
    with out.open("w") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "optout_bot", *args], cwd=REPO, env=env,
            stdout=stdout, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return proc, lines


def _wait_for_line(lines: queue.Queue, text: str, timeout_s: float = 60) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"never said {text!r}; said: {''.join(seen)}")


ASKING = "Chrome is asking you to allow optout-bot: click Allow"


def test_while_chrome_asks_to_allow_the_connection_the_person_is_told_and_it_waits(
    everyday, replica, user_home: Path, tmp_path: Path, chromium_path: str
):
    """The browser holds the connection while it asks the person: after ~2 s optout-bot says
    "Chrome is asking you to allow optout-bot: click Allow" (once), waits, and carries on
    when the person clicks Allow."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    browser = everyday("google-chrome", hold=True)
    proc, lines = _start_cli(
        ["verify", "linkedin-ai-training", "--cdp", "auto", "--json",
         "--evidence-dir", str(tmp_path / "ev")],
        _cli_env(user_home, tmp_path, chromium_path), tmp_path / "out.json",
    )  # fmt: skip
    try:
        said = _wait_for_line(lines, ASKING)
        assert browser.proxy.waiting.is_set()
        browser.proxy.allow()  # the person clicks Allow
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    rest = []
    while (line := lines.get(timeout=10)) is not None:
        rest.append(line)
    assert proc.returncode == 0, "".join(said + rest)
    assert "attaching to Chrome at" in "".join(said)
    assert "".join(said + rest).count(ASKING) == 1
    assert json.loads((tmp_path / "out.json").read_text())["session"] == "cdp"


def test_when_nobody_clicks_allow_the_wait_ends_saying_so(
    everyday, user_home: Path, tmp_path: Path, chromium_path: str
):
    """The wait for Allow is bounded by the sign-in wait (--login-timeout): then exit 1,
    saying nobody clicked Allow and what to do."""
    browser = everyday("google-chrome", hold=True)
    proc, lines = _start_cli(
        ["verify", "linkedin-ai-training", "--cdp", "auto", "--json", "--login-timeout", "3",
         "--evidence-dir", str(tmp_path / "ev")],
        _cli_env(user_home, tmp_path, chromium_path), tmp_path / "out.json",
    )  # fmt: skip
    try:
        said = _wait_for_line(lines, ASKING)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    out = (tmp_path / "out.json").read_text()
    assert proc.returncode == 1, out + "".join(said)
    reason = json.loads(out)["reason"]
    assert reason.startswith(
        f"Chrome at ws://127.0.0.1:{browser.proxy.port} did not let optout-bot attach within "
        "3 s: nobody clicked Allow. Run again and click Allow when Chrome asks"
    )
    assert browser.proc.poll() is None


# -- doctor ------------------------------------------------------------------------------------


def test_doctor_lists_what_it_can_attach_to_and_launch(
    run_cli, everyday, user_home: Path, chromium_path: str
):
    """`doctor` names each browser that allows debugging with its port (a stale one as
    closed), and the installed browsers it could launch."""
    stale = _closed_port()
    _port_file(user_home / ".config/google-chrome", f"{stale}\n/devtools/browser/gone\n")
    browser = everyday("chromium")

    result = run_cli("doctor")

    assert result.code == 0, result.out
    lines = result.out.splitlines()
    at = lines.index("can attach to (--cdp auto):")
    assert lines[at + 1].startswith(f"  Chrome at 127.0.0.1:{stale}  ")
    assert lines[at + 1].endswith("(closed: nothing listens there, skipped)")
    assert lines[at + 2] == f"  Chromium at 127.0.0.1:{browser.proxy.port}  {browser.folder}"
    assert lines[at + 3] == "can launch:"
    assert lines[at + 4 :] and all(line.startswith("  ") for line in lines[at + 4 : -1])
    if chromium_path in installed_browsers():
        assert f"  {chromium_path}" in lines[at + 4 :]


def test_doctor_with_nothing_to_attach_to_says_what_to_do(run_cli, user_home: Path):
    """With no browser allowing debugging, doctor says how to allow it."""
    result = run_cli("doctor")
    lines = result.out.splitlines()
    at = lines.index("can attach to (--cdp auto):")
    assert lines[at + 1].startswith(f"  none: {STEPS} in your everyday Chrome")


# -- the scheduled check -----------------------------------------------------------------------


def test_a_scheduled_check_set_to_auto_with_no_browser_says_so_plainly(
    run_cli, user_home: Path, home: Path, tmp_path: Path
):
    """`cdp = "auto"`, no browser allows debugging, no kept profile: the check says that no
    browser with debugging allowed is running (exit 2), not that a sign-in is needed."""
    (tmp_path / "config.toml").write_text('cdp = "auto"\n')

    result = run_cli(
        "check", "linkedin-ai-training", "--headless", "--profile", "default", "--json",
        "--no-alert", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 2
    assert result.json["status"] == "invalid"
    assert result.json["reason"].startswith("no browser with debugging allowed is running. ")
    title, body = alerts.compose(result.json)
    assert title == "linkedin-ai-training: optout-bot's scheduled check cannot start"
    assert body.startswith("no browser with debugging allowed is running. ")


def test_a_scheduled_check_set_to_auto_falls_back_to_the_signed_in_kept_profile(
    run_cli, sign_in_profile, replica, user_home: Path, tmp_path: Path
):
    """`cdp = "auto"`, no browser allows debugging, the kept profile is signed in: the check
    runs there (headless) and says so."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    sign_in_profile()
    (tmp_path / "config.toml").write_text('cdp = "auto"\n')

    result = run_cli(
        "check", "linkedin-ai-training", "--headless", "--profile", "default", "--json",
        "--no-alert", "--replica", f"127.0.0.1:{replica.port}",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 0, result.out + result.err
    assert result.json["session"] == "profile"
    assert result.json["reason"].startswith(
        "no browser with debugging allowed is running, so checked on the kept profile 'default': "
    )
    assert "checked on the kept profile 'default'" in result.err


def test_a_scheduled_check_set_to_auto_attaches_when_the_browser_runs(
    run_cli, everyday, sign_in_profile, replica, tmp_path: Path
):
    """The job line names its profile, yet `cdp = "auto"` attaches while a browser allows
    debugging: the kept profile is only the fallback."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    sign_in_profile()
    (tmp_path / "config.toml").write_text('cdp = "auto"\n')
    browser = everyday()
    before = browser.tabs()

    result = run_cli(
        "check", "linkedin-ai-training", "--headless", "--profile", "default", "--json",
        "--no-alert", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 0, result.out + result.err
    assert result.json["session"] == "cdp"
    assert browser.tabs() == before


def test_setup_with_the_everyday_browser_attaches_and_remembers_it(
    run_cli, everyday, replica, home: Path, tmp_path: Path
):
    """`setup --browser everyday`: the settings file says `cdp = "auto"`, the run switches
    the setting off in the person's own browser, and their tabs stay as they were."""
    from optout_bot.app.config import load_config

    browser = everyday()
    before = browser.tabs()

    result = run_cli(
        "setup", "--flows", "linkedin-ai-training", "--browser", "everyday", "--yes",
        "--schedule", "none", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert result.code == 0, result.out + result.err
    assert load_config(tmp_path / "config.toml").cdp == "auto"
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert browser.tabs() == before
