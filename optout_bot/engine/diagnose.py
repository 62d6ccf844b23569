"""When a flow breaks (exit 1): what the page looked like, and what it had instead.

Writes ``diagnosis/`` into the run's evidence folder:

- ``diagnosis.json``: the failing step and target, the reason, the URL, the closest
  candidate elements on the page by role and name (the renamed button is usually there),
  and the likely replacement for what the flow did not find, with its verified locators, or
  why there is none (`replacement.py`);
- ``aria-snapshot.yaml``: the page's accessibility tree (Playwright's `aria_snapshot`), the
  same view of the page that role locators use.

The runner saves a screenshot beside it. Nothing here clicks or types.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot.base.files import write_private
from optout_bot.base.paths import private_dir
from optout_bot.engine import pagejs
from optout_bot.engine.outcome import first_line
from optout_bot.engine.replacement import Replacement, likely
from optout_bot.flow.model import SwitchSpec, Target

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Interactive elements and what a person would call them (role, name), plus stable hooks.
_CANDIDATES_JS = pagejs.load("optout_bot.engine", "diagnose-candidates.js")

#: A candidate's texts that say which element it is (its role, type and state do not).
IDENTIFYING = ("id", "href", "aria-labelledby", "data-testid", "data-test-id")
#: A flow's word is looked for inside a candidate's texts only from this length on.
_CONTAINED_FROM = 4


@dataclass
class Failure:
    """What broke: the step in words, the target it looked for, and why."""

    step: str
    target: Target | None
    reason: str
    #: where `target` is in the flow, when what broke is that its element was not found:
    #: (section, position), the section "navigate" (the run's platform), "after_setting_url"
    #: or "verify" for a click step, "switch" for the switch; None for anything else (an
    #: address, a refused click, a step that is no click): nothing to replace
    where: tuple[str, int] | None = None
    #: the click step's `because`, for judging a replacement as the click would be judged
    because: str | None = None
    #: the flow's switch, when the target is the switch (for the switch guard)
    switch: SwitchSpec | None = None


@dataclass
class Diagnosis:
    """Where the diagnosis was written, and the likely replacement it found, if any."""

    folder: Path
    replacement: Replacement | None = None


def wanted_words(target: Target | None) -> list[str]:
    """What the flow was looking for, as words to find on the page: the names and texts it
    gives (each alternative of a name pattern: ``^(Data privacy|Datenschutz)$`` gives both),
    and the attribute values and ids its CSS names (``allowDataForGenerativeAI``). A role
    itself is not a word: every link would look like what a link target wants."""
    words: list[str] = []
    for alt in target.alternatives if target else ():
        if alt.strategy == "css":
            words += _css_values(alt.value or "")
        elif alt.pattern is not None:
            words += _literals(alt.pattern.pattern)
        else:
            words.append((alt.name if alt.strategy == "role" else alt.value) or "")
    return [w for w in words if w.strip()]


#: An attribute test in CSS: its attribute's name, and its value (quoted or not).
_ATTRIBUTE_TEST = re.compile(
    r"""\[\s*([\w-]+)\s*[~|^$*]?=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([\w-]+))"""
)
#: Attributes whose values say what kind of element it is, not which one.
_KIND_ATTRIBUTES = frozenset({"role", "type"})


def _css_values(css: str) -> list[str]:
    """The attribute values and ids a CSS selector names (not a role or a type)."""
    values = [
        next(v for v in value if v)
        for name, *value in _ATTRIBUTE_TEST.findall(css)
        if name.lower() not in _KIND_ATTRIBUTES and any(value)
    ]
    return values + re.findall(r"#([A-Za-z_][\w-]*)", css)


def _literals(pattern: str) -> list[str]:
    """The plain pieces of a regular expression: its alternatives, anchors and groups gone,
    escapes undone; pieces of fewer than three letters or digits say too little."""
    out = []
    for piece in re.split(r"[|()^$]", pattern):
        piece = re.sub(r"\\[sS][*+?]?", " ", piece)
        piece = re.sub(r"\\(.)", r"\1", piece).strip(" ?:")
        if len(re.findall(r"\w", piece)) >= 3:
            out.append(piece)
    return out


def rank(candidates: list[dict[str, Any]], target: Target | None, limit: int = 10) -> list[dict]:
    """The candidates most like what the target names, best first, each with its score: the
    best likeness (0 to 1, `difflib`) of a word the flow gives to one of the candidate's texts
    (its name, each identifying attribute), 0.5 more when a text holds such a word (of four
    characters or more) as it is, and 0.2 more when the candidate has a role the target
    names."""
    words = list(dict.fromkeys(w.lower() for w in wanted_words(target)))
    roles = {a.value for a in (target.alternatives if target else ()) if a.strategy == "role"}

    def score(candidate: dict[str, Any]) -> float:
        attributes = candidate["attributes"]
        texts = [
            t.lower()
            for t in (candidate.get("name", ""), *(attributes.get(a, "") for a in IDENTIFYING))
            if t
        ]
        best = 0.0
        for w in words:
            for t in texts:
                likeness = difflib.SequenceMatcher(None, w, t)
                # The cheap upper bounds first, as difflib.get_close_matches does.
                if likeness.real_quick_ratio() > best and likeness.quick_ratio() > best:
                    best = max(best, likeness.ratio())
        contains = any(len(w) >= _CONTAINED_FROM and w in t for w in words for t in texts)
        same_role = candidate["role"] in roles
        return round(best + (0.5 if contains else 0) + (0.2 if same_role else 0), 3)

    scored = [{**c, "score": score(c)} for c in candidates if c.get("name") or c["attributes"]]
    scored.sort(key=lambda c: (-c["score"], not c.get("visible")))
    return scored[:limit]


def diagnose(page: Page, run_dir: Path, failure: Failure) -> Diagnosis:
    """Write the diagnosis folder; best effort: a page that has gone still gets a note."""
    folder = private_dir(run_dir / "diagnosis")
    found = Diagnosis(folder)
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
    if "candidates" in info:
        found.replacement = _replacement(page, failure, info)
    _write(folder / "diagnosis.json", json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    return found


def _replacement(page: Page, failure: Failure, info: dict[str, Any]) -> Replacement | None:
    """The likely replacement (`replacement.likely`), noted in `info` with why not."""
    try:
        replacement = likely(page, failure, info["candidates"])
    except Exception as exc:  # noqa: BLE001 - the page may be gone: then no proposal
        replacement = f"could not check the closest candidate: {first_line(exc)}"
    if isinstance(replacement, str):
        info["replacement"] = None
        info["no_replacement"] = replacement
        return None
    info["replacement"] = replacement.to_json()
    return replacement


def _write(path: Path, text: str) -> None:
    # A diagnosis shows the signed-in page's text: private, like the rest of the evidence.
    write_private(path, text.encode("utf-8"), replace=True)
