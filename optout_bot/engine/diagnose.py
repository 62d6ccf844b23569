"""When a flow breaks (exit 1): what the page looked like, and what it had instead.

Writes ``diagnosis/`` into the run's evidence folder:

- ``diagnosis.json``: the failing step and target, the reason, the URL, and the closest
  candidate elements on the page by role and name (the renamed button is usually there);
- ``aria-snapshot.yaml``: the page's accessibility tree (Playwright's `aria_snapshot`), the
  same view of the page that role locators use.

The runner saves a screenshot beside it. Nothing here clicks or types.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot.base.files import write_private
from optout_bot.base.paths import private_dir
from optout_bot.engine import pagejs
from optout_bot.flow.model import Target

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Interactive elements and what a person would call them (role, name), plus stable hooks.
_CANDIDATES_JS = pagejs.load("optout_bot.engine", "diagnose-candidates.js")


@dataclass
class Failure:
    """What broke: the step in words, the target it looked for, and why."""

    step: str
    target: Target | None
    reason: str


def wanted_words(target: Target | None) -> list[str]:
    """The names, texts and attribute values the flow was looking for."""
    words: list[str] = []
    for alt in target.alternatives if target else ():
        for value in (alt.name, alt.value, alt.pattern.pattern if alt.pattern else None):
            if value:
                words.append(value.strip("^$"))
    return words


def rank(candidates: list[dict[str, Any]], target: Target | None, limit: int = 10) -> list[dict]:
    """The candidates most like what the target names, best first, each with its score."""
    words = [w.lower() for w in wanted_words(target)]
    roles = {a.value for a in (target.alternatives if target else ()) if a.strategy == "role"}

    def score(candidate: dict[str, Any]) -> float:
        hay = " ".join(
            [candidate.get("name", "")] + [str(v) for v in candidate["attributes"].values()]
        ).lower()
        best = max(
            (difflib.SequenceMatcher(None, word, hay).ratio() for word in words), default=0.0
        )
        contains = any(word and word in hay for word in words)
        same_role = candidate["role"] in roles
        return round(best + (0.5 if contains else 0) + (0.2 if same_role else 0), 3)

    scored = [{**c, "score": score(c)} for c in candidates if c.get("name") or c["attributes"]]
    scored.sort(key=lambda c: (-c["score"], not c.get("visible")))
    return scored[:limit]


def diagnose(page: Page, run_dir: Path, failure: Failure) -> Path:
    """Write the diagnosis folder; best effort: a page that has gone still gets a note."""
    folder = private_dir(run_dir / "diagnosis")
    info: dict[str, Any] = {
        "step": failure.step,
        "target": failure.target.describe() if failure.target else None,
        "alternatives": [a.describe() for a in failure.target.alternatives]
        if failure.target
        else [],
        "reason": failure.reason,
    }
    try:
        info["url"] = page.url
        info["title"] = page.title()
        candidates = page.evaluate(_CANDIDATES_JS)
        info["candidates"] = rank(candidates, failure.target)
        _write(folder / "aria-snapshot.yaml", page.locator("body").aria_snapshot(timeout=5_000))
    except Exception as exc:  # noqa: BLE001 - the page may be gone; say so, keep the rest
        info["error"] = f"could not read the page: {exc}".splitlines()[0]
    _write(folder / "diagnosis.json", json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    return folder


def _write(path: Path, text: str) -> None:
    # A diagnosis shows the signed-in page's text: private, like the rest of the evidence.
    write_private(path, text.encode("utf-8"), replace=True)
