"""The likely replacement for an element a broken flow did not find: the one element the
page has instead, which a repaired flow may add as a new alternative (`authoring/repair.py`
writes the proposal; `optout-bot flows repair` checks it read-only before anything installs
it).

Decided while the page is still open (the diagnosis, `diagnose.py`), and conservatively: no
proposal is better than a wrong one. The diagnosis's top-ranked candidate is the likely
replacement only when all of these hold:

1. what broke is that a click step's element or the switch was not found at all (not an
   address, a refused click, a wait, a switch that could not be read), and the flow's own
   target still finds nothing (else the page was only slow: nothing to repair);
2. the target says what kind of element it is: the roles of its role alternatives (the
   switch also: "switch" or "checkbox" when it names none, since the switch guard takes no
   other), and the candidate is visible and has one of those roles;
3. it is like what the flow names (its score, see `diagnose.rank`, at least `MIN_SCORE`:
   more than a same role and a passing likeness) and clearly more so than the next candidate
   (`MIN_LEAD`): of two elements as likely, neither is proposed;
4. the guard takes it as the run would: a click's element by the click guard
   (`guard.click_refusal`, with the step's `because`: a proposal never suggests clicking
   what reads as delete, sign out, pay, post, ...), the switch by the switch guard
   (`guard.switch_refusal`: a switch or checkbox, named as the flow's label says, not a
   denied action);
5. it can be found: of the locators made from what the page says of it
   (`suggest.suggestions`: its aria-labelledby, test id, stable id, the link's address, its
   role and exact name), at least one that the flow loader takes finds exactly this element
   (`suggest.verified`). The replacement's locators are the first of those that depends on
   no language (CSS on a hook), then its role and exact name, when they verify.

Where a repaired flow puts it: first, before the target's old alternatives (all kept, in
their order). The run proved that none of them finds anything on today's page, and the
runner prefers the flow's order: put last, the new alternative would be matched as a
fallback on every run of the repaired flow, which would warn that the flow needs an update
and propose moving it to the front, the repair not done. Nor does first make the old
alternatives cost more when the site brings them back (an A/B test): `locators.find`
combines them all with `Locator.or_()` into one wait, so the order decides which match is
used, not how long is waited. And a CSS alternative first is found in one page call
(pagecalls.py), where an old role alternative before it sends the search to Playwright.
Measured on the replica's renamed switch (`Scenario.renamed_switch`), `locators.find` with
the switch's questions on a freshly loaded page, 12 rounds each, alternated, load average
about 4 on 2 cores: the new locators first, median 14 ms (index 0); last, 52 ms (index 3,
the selector script installed, then one count per alternative), twice a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from optout_bot.engine import guard, locators, pagejs, switch
from optout_bot.engine.suggest import suggestions, verified
from optout_bot.flow.loader import as_locator

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Page

    from optout_bot.engine.diagnose import Failure

#: The least score (`diagnose.rank`) of a likely replacement: 1.0 is a same role (0.2) and a
#: likeness of 0.8 (a name a word or two away), or a name or hook of the flow's held whole.
MIN_SCORE = 1.0
#: How far a likely replacement must be ahead of the next candidate.
MIN_LEAD = 0.25
#: A switch target that names no role: the kinds the switch guard takes.
SWITCH_ROLES = frozenset({"switch", "checkbox"})

_ELEMENT_JS = pagejs.load("optout_bot.engine", "diagnose-element.js")


@dataclass(frozen=True)
class Replacement:
    """A new alternative for the target that was not found: where it goes, what it is."""

    #: "navigate", "after_setting_url", "verify" (the step at `position`) or "switch"
    section: str
    position: int
    #: the element in words ("switch 'Use my data ...'")
    element: str
    #: its verified locators, in the flow's syntax, best first
    locators: tuple[dict[str, str], ...]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "position": self.position,
            "element": self.element,
            "locators": [dict(loc) for loc in self.locators],
            "score": self.score,
        }


def likely(page: Page, failure: Failure, ranked: list[dict[str, Any]]) -> Replacement | str:
    """The likely replacement for the element `failure` did not find (see the module), or
    why there is none, in a line."""
    if failure.where is None or failure.target is None:
        return "only a click step's element or the switch, when not found, is replaced"
    section, position = failure.where
    is_switch = section == "switch"
    roles = {a.value for a in failure.target.alternatives if a.strategy == "role" and a.value}
    if is_switch:
        if failure.switch is None:
            return "the flow's switch is not known here"
        roles = roles or set(SWITCH_ROLES)
    if not roles:
        return "the target names no role, so what kind of element replaces it is unknown"
    if not ranked:
        return "the page has no candidates"
    if locators.find_now(page, failure.target, "attached") is not None:
        return "the flow's own target finds its element now: the page was slow, not changed"
    top = ranked[0]
    element = f"{top['role']} {guard.shown(top.get('name', ''))}"
    if top["role"] not in roles:
        return f"the closest candidate, {element}, is not a {' or '.join(sorted(roles))}"
    if not top.get("visible"):
        return f"the closest candidate, {element}, is not visible"
    score = float(top["score"])
    if score < MIN_SCORE:
        return f"no candidate is like what the flow names (the closest, {element}, scores {score})"
    if len(ranked) > 1 and score - float(ranked[1]["score"]) < MIN_LEAD:
        return f"the closest candidate, {element}, is not clearly closer than the next"
    handle = page.evaluate_handle(_ELEMENT_JS, [top["index"], top["role"], top.get("name", "")])
    try:
        target = handle.as_element()
        if target is None:
            return "the page changed before the candidate could be checked"
        found = _locators(page, top, target)
    finally:
        handle.dispose()
    if not found:
        return f"no locator finds exactly the closest candidate, {element}"
    refusal = _refusal(page, failure, found[0])
    if refusal is not None:
        return f"the closest candidate is not proposed: {refusal}"
    return Replacement(section, position, element, tuple(found), score)


def _locators(page: Page, top: dict[str, Any], element: ElementHandle) -> list[dict[str, str]]:
    """The candidate's verified locators: the first on a hook, then its role and name."""
    attrs = {k: str(v) for k, v in top["attributes"].items()}
    info = {
        "tag": top["tag"],
        "role": top["role"],
        "name": top.get("name", ""),
        "type": attrs.get("type", ""),
        "attrs": attrs,
    }
    found = verified(page, [s for s in suggestions(info) if "label" not in s], element)
    hooks = [s for s in found if "css" in s][:1]
    named = [s for s in found if "role" in s][:1]
    return hooks + named


def _refusal(page: Page, failure: Failure, suggestion: dict[str, str]) -> str | None:
    """What the guard says of the element, judged as the run would judge it."""
    model = as_locator(suggestion)
    locator = locators.to_playwright(page, model).first
    if failure.switch is not None:
        facts = switch.Probe(locator, locators.plain_css(model)).judge()
        if facts is None:
            return "its name could not be read to check it"
        return guard.switch_refusal(facts, failure.switch)
    found = locators.Found(locator, 0, model.describe(), model)
    return guard.click_refusal(guard.read_click(found), failure.because)
