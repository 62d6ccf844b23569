"""Finding the person's running browser that allows debugging (``--cdp auto``).

Since Chrome 136, ``--remote-debugging-port`` is ignored for the default user-data folder:
it works only with a separate ``--user-data-dir``, a fresh profile the person must sign in
to again. Since Chrome 144 a person can instead allow debugging of their everyday browser
from ``chrome://inspect/#remote-debugging``; the browser then asks them to allow each
connection, and ``/json/version`` answers 404. What it does write is ``DevToolsActivePort``
in its user-data folder: the port on the first line, the browser's WebSocket path
(``/devtools/browser/<id>``) on the second. A client connects to ``ws://127.0.0.1:PORT/PATH``
directly.

So `scan` reads that file in each Chromium-based browser's standard user-data folder
(`user_data_dirs`: Linux, macOS, Windows), in the order of preference `BROWSERS` gives, and
skips a file whose port nothing listens on (the browser was closed: the file stays behind).
Every function takes the platform, home folder and environment, so tests can point them at
a temporary HOME. The WebSocket path's id is kept out of messages (`shown`): only
``host:port`` is printed.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

#: The value of ``--cdp`` (and of ``cdp`` in the settings file) that means "find it".
AUTO = "auto"
#: The file a browser writes into its user-data folder when debugging is allowed.
PORT_FILE = "DevToolsActivePort"
#: Where a person allows debugging of their everyday browser (Chrome 144 and later).
INSPECT_PAGE = "chrome://inspect/#remote-debugging"
#: Seconds a TCP connect to a port from a DevToolsActivePort may take before the file is
#: judged stale (on this machine's loopback a closed port refuses at once).
PROBE_TIMEOUT = 0.5

_WS_PATH = re.compile(r"/devtools/browser/[A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class Kind:
    """One browser: its name, the name its "allow?" prompt goes by, and its user-data folder
    under each platform's base folder (None: that browser has no such build there)."""

    name: str
    #: what the person sees asking them ("Chrome is asking you to allow optout-bot")
    product: str
    linux: str | None
    mac: str | None
    windows: str | None


#: In order of preference: the first found that listens is the one attached to.
BROWSERS: tuple[Kind, ...] = (
    Kind("Chrome", "Chrome", "google-chrome", "Google/Chrome", r"Google\Chrome\User Data"),
    Kind("Chrome Beta", "Chrome", "google-chrome-beta", "Google/Chrome Beta",
         r"Google\Chrome Beta\User Data"),
    Kind("Chrome Dev", "Chrome", "google-chrome-unstable", "Google/Chrome Dev",
         r"Google\Chrome Dev\User Data"),
    Kind("Chrome Canary", "Chrome", "google-chrome-canary", "Google/Chrome Canary",
         r"Google\Chrome SxS\User Data"),
    Kind("Chromium", "Chromium", "chromium", "Chromium", r"Chromium\User Data"),
    Kind("Edge", "Edge", "microsoft-edge", "Microsoft Edge", r"Microsoft\Edge\User Data"),
    Kind("Brave", "Brave", "BraveSoftware/Brave-Browser", "BraveSoftware/Brave-Browser",
         r"BraveSoftware\Brave-Browser\User Data"),
)  # fmt: skip


def user_data_dirs(
    platform: str = sys.platform,
    home: PurePath | str | None = None,
    env: Mapping[str, str] | None = None,
) -> list[tuple[Kind, PurePath]]:
    """Each browser's standard user-data folder on `platform`, in `BROWSERS`' order.

    Linux: ``$XDG_CONFIG_HOME`` (else ``~/.config``), and the snap's Chromium; macOS:
    ``~/Library/Application Support``; Windows: ``%LOCALAPPDATA%`` (else
    ``~\\AppData\\Local``)."""
    env = os.environ if env is None else env
    windows = platform.startswith("win")
    pure: type[PurePath] = PureWindowsPath if windows else PurePosixPath
    home_dir = pure(home if home is not None else Path.home())
    folders: list[tuple[Kind, PurePath]] = []
    if windows:
        local = pure(env["LOCALAPPDATA"]) if env.get("LOCALAPPDATA") else home_dir / "AppData/Local"
        folders = [(kind, local / kind.windows) for kind in BROWSERS if kind.windows]
    elif platform == "darwin":
        support = home_dir / "Library" / "Application Support"
        folders = [(kind, support / kind.mac) for kind in BROWSERS if kind.mac]
    else:
        config = (
            pure(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home_dir / ".config"
        )
        for kind in BROWSERS:
            if kind.linux:
                folders.append((kind, config / kind.linux))
            if kind.name == "Chromium":  # the snap keeps its own
                folders.append((kind, home_dir / "snap" / "chromium" / "common" / "chromium"))
    return folders


def read_port_file(folder: PurePath | str) -> tuple[int, str] | None:
    """(port, WebSocket path) from `folder`'s DevToolsActivePort; None when there is none
    or it does not read as one."""
    try:
        text = (Path(str(folder)) / PORT_FILE).read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    lines = text.splitlines()
    if len(lines) < 2 or not lines[0].strip().isdigit():
        return None
    port, path = int(lines[0].strip()), lines[1].strip()
    if not 0 < port < 65536 or not _WS_PATH.fullmatch(path):
        return None
    return port, path


def listening(port: int, timeout: float = PROBE_TIMEOUT) -> bool:
    """Does anything accept a TCP connection on 127.0.0.1:`port`? (A plain connect: the
    browser's "allow this connection?" prompt comes only with a DevTools WebSocket.)"""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class Debuggable:
    """A browser's DevToolsActivePort: where it is, and whether the browser still runs."""

    kind: Kind
    folder: PurePath
    port: int
    path: str
    #: something listens on the port (False: the browser was closed, the file is stale)
    alive: bool

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``: what messages show (never the path's id)."""
        return f"127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.address}{self.path}"


def scan(
    platform: str = sys.platform,
    home: PurePath | str | None = None,
    env: Mapping[str, str] | None = None,
    probe: Callable[[int], bool] = listening,
) -> list[Debuggable]:
    """Every DevToolsActivePort in the standard user-data folders, in order of preference,
    each with whether its port is listening."""
    found = []
    for kind, folder in user_data_dirs(platform, home, env):
        entry = read_port_file(folder)
        if entry is not None:
            port, path = entry
            found.append(Debuggable(kind, folder, port, path, probe(port)))
    return found


def attachable(
    platform: str = sys.platform,
    home: PurePath | str | None = None,
    env: Mapping[str, str] | None = None,
    probe: Callable[[int], bool] = listening,
) -> list[Debuggable]:
    """The running browsers that allow debugging, best first (stale files skipped)."""
    return [found for found in scan(platform, home, env, probe) if found.alive]


#: What is said, plainly, when `--cdp auto` finds nothing (not a sign-in problem).
NOT_RUNNING = "no browser with debugging allowed is running"

#: Why the old way is no use for the everyday browser (Chrome 136 and later).
WHY_NOT_THE_PORT_SWITCH = (
    "Starting Chrome with --remote-debugging-port cannot use your everyday profile: since "
    "Chrome 136 that switch is ignored for the default user-data folder, so it needs a "
    "separate --user-data-dir, a fresh profile you would have to sign in to again"
)

#: What to do when no browser allows debugging.
HOW_TO_ALLOW = (
    f"open {INSPECT_PAGE} in your everyday Chrome (or Edge, Brave, Chromium), turn remote "
    "debugging on, then run optout-bot again and click Allow when the browser asks"
)


def nothing_found(stale: list[Debuggable]) -> str:
    """The reason a run gives when `--cdp auto` finds no browser, with what to do."""
    closed = ""
    if stale:
        names = ", ".join(f"{s.name} ({s.address})" for s in stale)
        closed = f" (a DevToolsActivePort was left by {names}, but nothing listens there now)"
    return (
        f"{NOT_RUNNING}{closed}. To attach to your everyday "
        f"browser: {HOW_TO_ALLOW}. {WHY_NOT_THE_PORT_SWITCH}"
    )


def cdp_problem(value: str) -> str:
    """What is wrong with a ``--cdp`` value, or "" when it is 'auto' or a DevTools URL."""
    if value == AUTO:
        return ""
    parts = urlsplit(value)
    if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname:
        return ""
    return (
        "expected 'auto' or a DevTools URL such as http://127.0.0.1:9222 or "
        "ws://127.0.0.1:9222/devtools/browser/..."
    )


def shown(url: str) -> str:
    """`url` as messages show it: scheme, host and port, never the WebSocket path's id."""
    parts = urlsplit(url)
    if parts.scheme in ("ws", "wss"):
        return f"{parts.scheme}://{parts.netloc}"
    return url


def scrubbed(text: str) -> str:
    """`text` (an error message) with any browser WebSocket path's id left out."""
    return _WS_PATH.sub("/devtools/browser/…", text)
