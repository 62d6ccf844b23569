"""Record what a person sees: `optout-bot run` on a terminal (inside tmux, captured), and the
same run piped. Writes docs/terminal-session.txt; tests/test_progress.py drives the same
`Tmux` to check the live display.

    python scripts/terminal_session.py                 # writes docs/terminal-session.txt
    python scripts/terminal_session.py --out /tmp/s.txt

Needs tmux and a Chromium (as the tests do). Everything runs against the bundled replicas, in
a temporary data folder and profile: nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 120, 40
#: What the pane shows once the command has ended (then the pane waits to be captured).
EXIT_MARK = "[exit "


class Tmux:
    """One command in a detached tmux session of its own (a server on a socket of its own,
    so a person's tmux is never touched), its pane captured as text."""

    def __init__(self, width: int = WIDTH, height: int = HEIGHT) -> None:
        self.width, self.height = width, height
        self.socket = f"optout-bot-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path = REPO) -> None:
        """Run `argv` in the pane with exactly `env`; once it ends, the pane shows
        `[exit CODE]` and stays open to be captured."""
        assigned = [f"{k}={v}" for k, v in env.items()]
        command = (
            f"cd {shlex.quote(str(cwd))} && env -i {shlex.join([*assigned, *argv])}; "
            f'echo "{EXIT_MARK}$?]"; exec sleep 3600'
        )
        self._tmux(
            "new-session", "-d", "-s", "run", "-x", str(self.width), "-y", str(self.height),
            command,
        )  # fmt: skip

    def capture(self, escapes: bool = False) -> str:
        """The pane's text, its history included, wrapped lines joined; `escapes`: with the
        colours, as escape sequences."""
        return self._tmux("capture-pane", "-p", "-J", "-S", "-", *(["-e"] if escapes else []))

    def wait(
        self, done: Callable[[str], bool], timeout: float, seen: list[str] | None = None
    ) -> str:
        """Capture until `done(text)`, at most `timeout` seconds; every capture goes into
        `seen`. TimeoutError with the last capture otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.capture()
            if seen is not None:
                seen.append(text)
            if done(text):
                return text
            if time.monotonic() > deadline:
                raise TimeoutError(f"the pane did not get there in {timeout} s:\n{text}")
            time.sleep(0.05)  # the next look (each look is bounded by the deadline above)

    def type(self, keys: str) -> None:
        """Type `keys` into the pane, then Enter."""
        self._tmux("send-keys", "-t", "run", keys, "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def child_env(extra: Mapping[str, str]) -> dict[str, str]:
    """What the recorded command sees: a terminal's basics, this checkout, and `extra`; no
    NO_COLOR (the point is the terminal's display)."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL") if k in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    return {**env, "TERM": "tmux-256color", "PYTHONPATH": str(REPO), **extra}


def run_command(flow: str, port: int, evidence: Path) -> list[str]:
    return [
        sys.executable, "-m", "optout_bot", "run", flow, "--yes", "--headless",
        "--replica", f"127.0.0.1:{port}", "--evidence-dir", str(evidence),
    ]  # fmt: skip


def record(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from optout_bot.engine.browsers import find_browser
    from optout_bot.replicas import Replica

    browser = find_browser().path
    with tempfile.TemporaryDirectory() as tmp, Replica() as replica:
        home = Path(tmp) / "home"
        with sync_playwright() as pw:
            replica.sign_in_profile(pw, home / "profiles" / "default", browser)
        env = child_env({
            "OPTOUT_BOT_HOME": str(home),
            "OPTOUT_BOT_BROWSER": browser,
            "OPTOUT_BOT_CONFIG": str(Path(tmp) / "config.toml"),
        })  # fmt: skip
        argv = run_command("linkedin-ai-training", replica.port, Path(tmp) / "evidence")
        shown = ["optout-bot", *argv[3:]]
        with Tmux() as tmux:
            tmux.start(argv, env)
            screen = tmux.wait(lambda text: EXIT_MARK in text, timeout=120)
        replica.set_setting("allowDataForGenerativeAI", True)  # the same run again, piped
        piped = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True)
    terminal = "\n".join(line.rstrip() for line in screen.strip("\n").splitlines())
    text = (
        "# Made by scripts/terminal_session.py (against the bundled replica); do not edit.\n\n"
        f"## On a terminal ({WIDTH}x{HEIGHT}, tmux capture-pane; colours not shown)\n\n"
        f"$ {shlex.join(shown)}\n{terminal}\n\n"
        f"## The same run piped (`2>&1 | cat`): plain lines, no escape codes\n\n"
        f"$ {shlex.join(shown)} 2>&1 | cat\n{piped.stderr}{piped.stdout}"
        f"{EXIT_MARK}{piped.returncode}]\n"
    )
    # The temporary folders' names change on every run: show where they were, not what.
    text = text.replace(tmp, "$TMP").replace(str(replica.port), "PORT")
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "terminal-session.txt")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (apt-get install tmux)")
    record(args.out)


if __name__ == "__main__":
    main()
