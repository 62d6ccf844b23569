"""The page-side scripts (`optout_bot/**/js/*.js`) and their loader: every file is used and
documented, every script a module hands to Playwright is one well-formed function, and the
loader's two directives behave."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Page

from optout_bot.authoring import inspect, recording
from optout_bot.engine import capture, diagnose, guard, pagecalls, pagejs, switch

PACKAGE = Path(pagejs.__file__).resolve().parent.parent
#: The modules that run page-side scripts (importing them loads every script they use).
RUNNERS: tuple[ModuleType, ...] = (switch, pagecalls, guard, capture, diagnose, inspect, recording)


def _files() -> set[tuple[str, str]]:
    """(package, file name) of every .js file in a js/ folder of the package."""
    found = set()
    for path in PACKAGE.rglob("js/*.js"):
        package = ".".join(path.parent.parent.relative_to(PACKAGE.parent).parts)
        found.add((package, path.name))
    return found


def _scripts() -> dict[str, str]:
    """Every script the modules hand to Playwright, by module and name."""
    return {
        f"{module.__name__}.{name}": value
        for module in RUNNERS
        for name, value in vars(module).items()
        if name.endswith("_JS") and isinstance(value, str)
    }


def test_every_script_file_is_used_and_every_used_file_exists() -> None:
    """The files on disk are exactly the files the modules load (directly or through an
    include): no orphan file, and none loaded that is not shipped in the package."""
    assert _files(), "no script files found"
    # Loaded when a run installs it, with the run's own values: load it as a run does.
    pagejs.load("optout_bot.engine", "boundary-popups.js", ALLOWED=[], REPORT="")
    assert pagejs.read_so_far() == _files()


def test_every_script_file_starts_by_saying_what_it_does() -> None:
    """Each file opens with a comment of its own: what it does, and what it receives and
    returns (or that it is a piece for other scripts to include)."""
    for path in PACKAGE.rglob("js/*.js"):
        lines = path.read_text(encoding="utf-8").splitlines()
        header = []
        for line in lines:
            if not line.startswith("//"):
                break
            header.append(line)
        text = " ".join(header)
        assert len(header) >= 2, f"{path.name}: no header comment"
        assert "Receives" in text or "include" in text, f"{path.name}: {text}"


def test_every_script_is_one_function_to_the_browser(page: Page) -> None:
    """Each assembled script parses in Chromium as one function expression, the form
    Playwright's evaluate calls with its argument; no directive is left in it."""
    scripts = _scripts()
    assert len(scripts) >= 20
    kinds = page.evaluate(
        "(scripts) => Object.fromEntries(Object.entries(scripts).map(([name, source]) => {"
        "  try { return [name, typeof (0, eval)('(' + source + '\\n)')]; }"
        "  catch (e) { return [name, String(e)]; }"
        "}))",
        scripts,
    )
    assert kinds == dict.fromkeys(scripts, "function")
    for name, source in scripts.items():
        assert "// @include" not in source and "// @const" not in source, name


def test_includes_are_inlined_and_consts_come_from_python() -> None:
    """A script gets its shared functions inlined, and the constants the Python side uses
    defined with the very same value."""
    assert "function read(el)" in switch.READ_JS
    assert f"const SWITCHY = {json.dumps(switch.SWITCHY_CSS)};" in switch.READ_JS
    assert "function nativeQueryAll(selectors)" in capture._PAINT_CSS_JS
    assert len(re.findall(r"function paint\(", capture._PAINT_CSS_JS)) == 1


def test_a_missing_script_fails_when_loaded() -> None:
    """Loading a file that is not there fails at once (at import, for a module)."""
    with pytest.raises(FileNotFoundError):
        pagejs.load("optout_bot.engine", "no-such-script.js")


def test_a_const_without_a_value_is_named() -> None:
    """A script whose // @const (here in an included file) has no value given fails, naming
    the file and the constant."""
    with pytest.raises(KeyError, match=r"js/switch-lib.js needs a value for .*@const SWITCHY"):
        pagejs.load("optout_bot.engine", "switch-read.js")
