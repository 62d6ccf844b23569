"""What a person sees while a run works: steps in words, selectors only with -v; on a terminal
a live display (spinner, ticks and times, a coloured result line), elsewhere plain lines."""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from optout_bot.base.log import HumanRenderer
from optout_bot.cli import progress
from optout_bot.engine.outcome import Result, Status
from scripts.terminal_session import EXIT_MARK, Tmux, child_env, run_command
from tests.conftest import ACCOUNT, AI_KEY, REPO

STEP = {
    "event": "Open the Me menu",
    "level": "info",
    "step": 2,
    "of": 6,
    "flow": "linkedin-ai-training",
    "detail": "click css='header nav button[aria-expanded]:has(img)'",
}


def test_plain_lines_show_words_and_selectors_only_with_v():
    """A step's plain line is `[2/6] Open the Me menu`, its flow and selector not shown;
    with -v the selector follows in brackets, and a located switch names its locator."""
    assert HumanRenderer()(None, "info", dict(STEP)) == "  [2/6] Open the Me menu"
    assert HumanRenderer(detail=True)(None, "info", dict(STEP)) == (
        "  [2/6] Open the Me menu (click css='header nav button[aria-expanded]:has(img)')"
    )
    read = {"event": "the switch is ON", "level": "info", "locator": "css='#s'", "flow": "x"}
    assert HumanRenderer()(None, "info", dict(read)) == "  - the switch is ON"
    assert HumanRenderer(detail=True)(None, "info", dict(read)) == (
        "  - the switch is ON (locator=css='#s')"
    )


def _args(**given: object) -> argparse.Namespace:
    values = {"json": False, "quiet": False, "log_format": "human", "verbose": False}
    return argparse.Namespace(**{**values, **given})


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("given", "env", "live"),
    [
        ({}, {}, True),
        ({"json": True}, {}, False),
        ({"quiet": True}, {}, False),
        ({"log_format": "json"}, {}, False),
        ({}, {"NO_COLOR": "1"}, False),
        ({}, {"TERM": "dumb"}, False),
    ],
)
def test_the_live_display_is_for_a_terminal_only(monkeypatch, given, env, live):
    """Live only on a terminal, for a person: not with --json, -q, JSON lines, NO_COLOR or
    TERM=dumb (and never when stderr is not a terminal)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert progress.wanted(_args(**given), _Tty()) is live
    assert progress.wanted(_args(**given), io.StringIO()) is False


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100, color_system=None), out


def test_several_flows_keep_a_line_each():
    """Interleaved events of several flows, told apart by their bound `flow`: each finished
    step is ticked under its flow's name with its time; the live part has one line per flow
    at work; a flow that ended not as wanted gets a cross where it stopped."""
    console, out = _console()
    live = progress.LiveProgress(console, several=True)
    for flow, event in [
        ("a", "Open A"),
        ("b", "Open B"),
        ("a", "Open the menu of A"),
        ("b", "Open the menu of B"),
    ]:
        live.event({"event": event, "level": "info", "step": 1, "of": 2, "flow": flow})
    live.console.print(live.__rich__())  # what the live part shows now
    live.event({"event": "saving took long", "level": "warning", "flow": "b"})
    ok, broken = Result("a", "desktop", "run", "off"), Result("b", "desktop", "run", "off")
    ok.status, broken.status = Status.OK, Status.FLOW_BROKEN
    live.end([ok, broken])
    text = out.getvalue()
    assert re.search(r"✓ a: Open A  \d+\.\d s", text)
    assert re.search(r"✓ b: Open B  \d+\.\d s", text)
    now = text[text.index("✓ b: Open B") :]
    assert re.search(r". a: Open the menu of A  \d+\.\d s\n.*. b: Open the menu of B", now)
    assert "! b: saving took long" in text
    assert re.search(r"✓ a: Open the menu of A  \d+\.\d s", text)
    assert re.search(r"✗ b: Open the menu of B  \d+\.\d s", text)


def test_the_selector_shows_live_with_v_only():
    """The live display shows a step's selector with -v only."""
    for detail in (False, True):
        console, out = _console()
        live = progress.LiveProgress(console, several=False, detail=detail)
        live.event(dict(STEP))
        live.end([])
        assert ("css=" in out.getvalue()) is detail


def test_a_title_is_not_read_as_markup():
    """Words from a shared flow are shown as written: rich markup in a title styles
    nothing."""
    console, out = _console()
    live = progress.LiveProgress(console, several=False)
    live.event({"event": "[bold red]Open[/] it", "level": "info", "step": 1, "of": 1})
    live.end([])
    assert "[bold red]Open[/] it" in out.getvalue()


# -- a whole run, on a terminal and piped ---------------------------------------------------------

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
SPINNER = re.compile("[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


@needs_tmux
def test_run_on_a_terminal_shows_titles_ticks_times_and_a_green_result(
    home: Path, replica, sign_in_profile, tmp_path: Path
):
    """`optout-bot run` in a real terminal (tmux, 120x40): a spinner while it works, each
    step's title with a tick and its time, the result line in green, and no selector
    anywhere; the same run piped prints the plain lines, without an escape code."""
    sign_in_profile()
    argv = run_command("linkedin-ai-training", replica.port, tmp_path / "evidence")
    env = child_env({k: os.environ[k] for k in os.environ if k.startswith("OPTOUT_BOT_")})
    seen: list[str] = []
    with Tmux() as tmux:
        tmux.start(argv, env)
        screen = tmux.wait(lambda text: EXIT_MARK in text, timeout=120, seen=seen)
        coloured = tmux.capture(escapes=True)

    assert f"{EXIT_MARK}0]" in screen, screen
    for title in [
        "Open your LinkedIn feed",
        "Open the Me menu",
        "Open Settings & Privacy",
        "Open Data privacy",
        'Open "Data for Generative AI Improvement"',
        "Check that the setting's page opened",
        "the switch is ON",
        "switching it OFF",
        "after the reload the switch is OFF",
    ]:
        assert re.search(rf"  ✓ {re.escape(title)}  \d+\.\d s\n", screen), (title, screen)
    assert any(SPINNER.search(text) for text in seen), "no spinner was ever seen"
    assert "css=" not in screen and "role=" not in screen and "[1/6]" not in screen
    result = next(line for line in coloured.splitlines() if "OK: linkedin-ai-training" in line)
    assert "32m" in result or "92m" in result, repr(result)  # green (SGR 32 / bright 92)
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False

    replica.set_setting(AI_KEY, True, account=ACCOUNT)  # the same run again, piped
    piped = subprocess.run(
        argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr.splitlines()[:2] == [
        "  [1/6] Open your LinkedIn feed",
        "  [2/6] Open the Me menu",
    ]
    assert "  - the switch is ON\n" in piped.stderr
    assert piped.stdout.startswith("OK: linkedin-ai-training (desktop):")
    everything = piped.stdout + piped.stderr
    assert "\x1b" not in everything and "✓" not in everything and "css=" not in everything


@needs_tmux
def test_the_question_on_a_terminal_reads_whole_between_the_steps(
    home: Path, replica, sign_in_profile, tmp_path: Path
):
    """Without --yes the live display steps aside for the question: it names the site, the
    setting and its state in words, comes after the steps done and before the change, and
    is not drawn over when the display comes back (-v: the selectors show)."""
    sign_in_profile()
    argv = run_command("linkedin-ai-training", replica.port, tmp_path / "evidence")
    argv = [a for a in argv if a != "--yes"] + ["-v"]
    env = child_env({k: os.environ[k] for k in os.environ if k.startswith("OPTOUT_BOT_")})
    with Tmux() as tmux:
        tmux.start(argv, env)
        tmux.wait(lambda text: "[y/N]" in text, timeout=120)
        tmux.type("y")
        screen = tmux.wait(lambda text: EXIT_MARK in text, timeout=120)
    lines = screen.splitlines()
    asked = next(n for n, line in enumerate(lines) if "[y/N]" in line)
    assert lines[asked] == (
        'LinkedIn: "Use my data for training content creation AI models" is ON. Switch it OFF? '
        "(optout-bot clicks it once, then reloads the page to check) [y/N] y"
    )
    assert lines[asked - 1].startswith("  ✓ the switch is ON (css=")
    assert lines[asked + 1].startswith("  ✓ switching it OFF  ")
    assert "  ✓ Open the Me menu (click css='header nav button" in screen
    assert f"{EXIT_MARK}0]" in screen
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_the_committed_session_is_what_the_script_makes():
    """docs/terminal-session.txt is made by scripts/terminal_session.py and shows the run on a
    terminal (ticks, no selector) and piped (plain lines)."""
    text = (REPO / "docs" / "terminal-session.txt").read_text(encoding="utf-8")
    assert text.startswith("# Made by scripts/terminal_session.py")
    terminal, piped = text.split("## The same run piped", 1)
    assert "  ✓ Open the Me menu  " in terminal and "[2/6]" not in terminal
    assert "  [2/6] Open the Me menu\n" in piped and "✓" not in piped
    assert "css=" not in text
    assert sys.executable not in text
