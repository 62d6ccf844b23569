"""What each speed path buys: section 6 of BENCHMARKS.md (benchmarks/run.py calls `measure`).

    python benchmarks/paths.py                  # 40 rounds (about 3 minutes); rewrites section 6
    python benchmarks/paths.py --rounds 5 --out /tmp/b.md

Each of the engine's speed paths is timed against the plain Playwright way it replaces, in one
process, against the bundled LinkedIn replica, on the LinkedIn setting page (desktop), the page
a run reads the switch and takes its screenshots on:

- (a) `capture.Camera`: one masked evidence screenshot (the flow's `mask` targets) -- the
  DevTools capture with masks painted in the page, against `page.screenshot(mask=...)` (the
  Camera's own fallback). Timed twice per page, as a run takes them: the first shot on a new
  page (it opens the DevTools session), then one after a reload;
- (b) find the switch and ask it what a run asks (the switch guard's facts, its state, its
  description): `locators.find` with the questions (`pagecalls.py`: one `page.evaluate`),
  against Playwright's way (wait for the locator, count, then each question on the locator);
- (c) find an element to click and read it for the click guard (what acts on the click, and
  all it says): `locators.find` with the guard's question, against Playwright's way (wait,
  `is_visible`, the same script on the locator);
- (d) set the switch: `switch.set_state` given the CSS it was found by (its quick click: one
  page call aims, the mouse clicks, one wait in the page), against its general way
  (Playwright's click, and a wait on an element handle), on a fresh page each time, the
  switch going to the other state each time.

Every measurement starts on a fresh page (a new tab, the setting page loaded, the element
found, none of it timed): the first call on a new document is what a run pays, since each
click of a run's navigation, and its reload, loads a new one. The two sides alternate A B B A
round after round, so machine noise hits both alike. A path "pays" when the 95% confidence
interval of the per-round saving (median of paired differences, distribution-free) is above
zero.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from optout_bot.engine import guard, locators, pagecalls, switch  # noqa: E402
from optout_bot.engine.browsers import find_browser  # noqa: E402
from optout_bot.engine.capture import Camera  # noqa: E402
from optout_bot.engine.session import QUIET_ARGS  # noqa: E402
from optout_bot.flow import load_flow  # noqa: E402
from optout_bot.flow import model as m  # noqa: E402
from optout_bot.replicas import Replica  # noqa: E402

FLOW = REPO / "flows" / "linkedin.yaml"
TIMEOUT_MS = 10_000

HEADING = "## 6. What each speed path buys"


@dataclass
class Row:
    path: str
    what: str
    ours: str
    theirs: str
    #: per side, one value per measurement (ms)
    a: list[float]
    b: list[float]
    #: how often a run pays this
    per_run: str

    @property
    def saved(self) -> list[float]:
        """Per round, what the speed path saved (ms): the mean of the round's two plain
        measurements minus the mean of its two speed-path ones."""
        n = len(self.a) // 2
        return [
            (self.b[2 * i] + self.b[2 * i + 1]) / 2 - (self.a[2 * i] + self.a[2 * i + 1]) / 2
            for i in range(n)
        ]


def median_ci(values: list[float], level: float = 0.95) -> tuple[float, float]:
    """A distribution-free confidence interval for the median (order statistics)."""
    data = sorted(values)
    n = len(data)
    if n < 6:  # too few for a 95% interval: the range
        return data[0], data[-1]
    # the largest k with P(Binomial(n, 1/2) < k) <= (1 - level) / 2
    k, tail = 0, 0.0
    while True:
        nxt = tail + comb(n, k) / 2**n
        if nxt > (1 - level) / 2:
            break
        tail, k = nxt, k + 1
    k = max(k, 1)
    return data[k - 1], data[n - k]


class Bench:
    def __init__(self, pw: Any, replica: Replica) -> None:
        self.flow = load_flow(FLOW, "linkedin-ai-training")
        self.url = self.flow.setting_url["desktop"]
        self.browser = pw.chromium.launch(
            executable_path=find_browser().path,
            args=[*QUIET_ARGS, *replica.chromium_args()],
        )
        self.context = self.browser.new_context()
        self.context.add_cookies([replica.sign_in_cookie()])
        self.masks = [alt for target in self.flow.mask for alt in target.alternatives]
        steps = [s for s in self.flow.navigate["desktop"] if isinstance(s, m.Click)]
        #: what the guard reads in (c): the flow's Me button and its Data privacy link, both
        #: on the setting page too
        self.me, self.privacy = steps[0].target, steps[2].target

    @contextmanager
    def fresh_page(self) -> Iterator[Any]:
        page = self.context.new_page()
        try:
            page.goto(self.url, wait_until="load")
            yield page
        finally:
            page.close()

    def found(self, page: Any, target: m.Target) -> locators.Found:
        found = locators.find(page, target, TIMEOUT_MS, "attached")
        if found is None:
            raise SystemExit(f"not on the page: {target.describe()}")
        return found

    # -- (a) one masked screenshot: first on a new page, then after a reload ------------------

    def shots(self, fast: bool) -> tuple[float, float]:
        with self.fresh_page() as page:
            self.found(page, self.flow.switch.target)
            camera = Camera(page)
            camera.fast = fast
            took = []
            for again in (False, True):
                if again:
                    page.reload(wait_until="load")
                    self.found(page, self.flow.switch.target)
                start = time.perf_counter()
                png = camera.png(self.masks, TIMEOUT_MS)
                took.append((time.perf_counter() - start) * 1000)
                assert png[:8] == b"\x89PNG\r\n\x1a\n"
            # the speed path was measured, not its fallback
            assert camera.fast == fast and (not fast or camera.way == "css"), camera.way
            return took[0], took[1]

    # -- (b) find the switch and ask it what a run asks ----------------------------------------

    def playwright_find(self, page: Any, target: m.Target, state: str) -> locators.Found:
        """Playwright's own way: wait for any alternative, then the first present, in order."""
        locators.any_of(page, target).wait_for(state=state, timeout=TIMEOUT_MS)  # type: ignore[arg-type]
        for index, alt in enumerate(target.alternatives):
            loc = locators.to_playwright(page, alt).first
            if loc.is_visible() if state == "visible" else loc.count() > 0:
                return locators.Found(loc, index, alt.describe(), alt)
        raise SystemExit(f"not on the page: {target.describe()}")

    def switch_asked(self, page: Any, fast: bool) -> tuple[Any, ...]:
        target = self.flow.switch.target
        if fast:
            found = locators.find(page, target, TIMEOUT_MS, "attached", switch.FOUND_QUESTIONS)
            assert found is not None and found.answers is not None, "not the fast way"
            probe = switch.Probe(
                found.locator, locators.plain_css(found.source), TIMEOUT_MS, found.answers
            )
            return probe.judge(), probe.read(), probe.describe()
        found = self.playwright_find(page, target, "attached")
        facts = found.locator.evaluate(pagecalls.CALL_ON_ELEMENT_JS, ["judge", []])
        state = switch.read_state(found.locator, TIMEOUT_MS)
        return guard.SwitchFacts.of(facts), state, switch.describe(found.locator, TIMEOUT_MS)

    def switch_found(self, fast: bool) -> float:
        with self.fresh_page() as page:
            start = time.perf_counter()
            facts, state, attrs = self.switch_asked(page, fast)
            took = (time.perf_counter() - start) * 1000
            assert facts is not None and state in ("on", "off") and attrs.get("tag")
            return took

    # -- (c) find an element to click, and the click guard's reading ---------------------------

    def click_read(self, page: Any, target: m.Target, fast: bool) -> guard.Click:
        if fast:
            found = locators.find(page, target, TIMEOUT_MS, ask=(guard.CLICK_QUESTION,))
            assert found is not None and found.answers is not None, "not the fast way"
            return guard.read_click(found, TIMEOUT_MS)
        found = self.playwright_find(page, target, "visible")
        call = [guard.CLICK_QUESTION[0], []]
        return guard.Click.of(found.locator.evaluate(pagecalls.CALL_ON_ELEMENT_JS, call))

    def guard_read(self, target: m.Target, fast: bool) -> float:
        with self.fresh_page() as page:
            start = time.perf_counter()
            click = self.click_read(page, target, fast)
            took = (time.perf_counter() - start) * 1000
            assert click.reading.texts(), "nothing read"
            return took

    # -- (d) set the switch ----------------------------------------------------------------------

    def set_switch(self, fast: bool) -> float:
        with self.fresh_page() as page:
            found = self.found(page, self.flow.switch.target)
            css = locators.plain_css(found.source)
            wanted = "off" if switch.read_state(found.locator) == "on" else "on"
            start = time.perf_counter()
            done = switch.set_state(
                page, found.locator, wanted, TIMEOUT_MS, css=css if fast else None
            )
            took = (time.perf_counter() - start) * 1000
            assert done.ok and done.tried == ("click",), done
            return took

    def check(self) -> None:
        """Both sides of (b) and (c) give the same answers, so only their speed differs."""
        with self.fresh_page() as page:
            assert self.switch_asked(page, True) == self.switch_asked(page, False), "differ"
            for target in (self.me, self.privacy):
                fast, plain = (
                    self.click_read(page, target, True),
                    self.click_read(page, target, False),
                )
                assert fast == plain, target.describe()

    def close(self) -> None:
        self.browser.close()


def alternate(rounds: int, measure: Callable[[bool], Any]) -> tuple[list[Any], list[Any]]:
    """A B B A, round after round: (speed path's values, plain way's values)."""
    fast: list[Any] = []
    plain: list[Any] = []
    for _ in range(rounds):
        for side in (True, False, False, True):
            (fast if side else plain).append(measure(side))
    return fast, plain


def measure(rounds: int, progress: Callable[[str], None] | None = None) -> list[Row]:
    """Time (a) to (d) against their plain Playwright ways; one Row each measurement."""
    from playwright.sync_api import sync_playwright

    say = progress or (lambda _: None)
    with Replica() as replica, sync_playwright() as pw:
        bench = Bench(pw, replica)
        try:
            say("warming up")
            bench.check()
            alternate(2, bench.shots)
            alternate(2, bench.switch_found)
            alternate(2, lambda fast: bench.guard_read(bench.me, fast))
            alternate(2, bench.set_switch)

            say("(a) Camera vs page.screenshot(mask=...)")
            fast, plain = alternate(rounds, bench.shots)
            say("(b) find the switch and ask it, vs Playwright's way")
            found = alternate(rounds, bench.switch_found)
            say("(c) find and read for the click guard, vs Playwright's way")
            me = alternate(rounds, lambda f: bench.guard_read(bench.me, f))
            privacy = alternate(rounds, lambda f: bench.guard_read(bench.privacy, f))
            say("(d) set_state's quick click vs its general way")
            setting = alternate(rounds, bench.set_switch)
        finally:
            bench.close()
    cam, pw_shot = "`Camera.png`", "`page.screenshot(mask=...)`"
    return [
        Row("(a)", "masked screenshot, first on a new page", cam, pw_shot,
            [f for f, _ in fast], [p for p, _ in plain], "1"),
        Row("(a)", "masked screenshot, later on the page", cam, pw_shot,
            [f for _, f in fast], [p for _, p in plain], "1 (verify), 2 (run)"),
        Row("(b)", "find the switch: guard facts, state, description", "`find(ask=...)`",
            "wait, count, 3 evaluates", *found, "2"),
        Row("(c)", "find the Me button, read it for the guard", "`find(ask=...)`",
            "wait, `is_visible`, evaluate", *me, "4 clicks on 3 pages [1]"),
        Row("(c)", "find a link, read it for the guard", "`find(ask=...)`",
            "wait, `is_visible`, evaluate", *privacy, "(the same clicks)"),
        Row("(d)", "set the switch (click, wait)", "`set_state(css=...)`",
            "`set_state` (Playwright's click)", *setting, "1 (run)"),
    ]  # fmt: skip


def section(rows: list[Row], rounds: int, load: str) -> list[str]:
    """Section 6 of BENCHMARKS.md."""
    lines = [
        HEADING,
        "",
        f"`python benchmarks/paths.py --rounds {rounds}` (also run by `benchmarks/run.py`): each",
        "speed path against the plain Playwright way it replaces, in one process, on the",
        "replica's LinkedIn setting page (desktop), a fresh page for every measurement (the",
        "first call on a new document is what a run pays), alternated A B B A over "
        f"{rounds} rounds.",
        "Saved: the median of the per-round differences (plain minus speed path), with its 95%",
        "confidence interval; a path pays when the whole interval is above zero. A path that",
        "does not pay is to be removed, the plain Playwright way kept (issue 9, item 8).",
        "",
        "| path | what | speed path | ms | plain Playwright | ms | saved (95% CI) | pays "
        "| per run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        saved = r.saved
        lo, hi = median_ci(saved)
        verdict = "too few rounds" if len(saved) < 6 else "yes" if lo > 0 else "**no**"
        lines.append(
            f"| {r.path} | {r.what} | {r.ours} | {statistics.median(r.a):.1f} | {r.theirs} | "
            f"{statistics.median(r.b):.1f} | **{statistics.median(saved):+.1f}** "
            f"({lo:+.1f} .. {hi:+.1f}) | {verdict} | {r.per_run} |"
        )
    lines += [
        "",
        "Times in ms, medians. [1] Playwright's click that follows installs its selector script",
        "on the page anyway, so in a run the fast find saves the round trips, not the install;",
        "a verify, which clicks nothing, installs it nowhere. The fast ways' answers are",
        "checked equal to the plain ways' before timing (`Bench.check`).",
        "",
        "The flow, settings and evidence store loaded on a worker thread while Playwright's",
        "driver starts, has no row here: it is inside every optout-bot time of sections 1 and",
        "3, not measured apart.",
        "",
        f"Load while measuring: {load}.",
        "",
    ]
    return lines


def load_now() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) / {five:.2f} (5 min) on {os.cpu_count()} cores"


def write_section(out: Path, lines: list[str]) -> None:
    """Replace section 6 of `out` (or add it), keeping every other section."""
    previous = out.read_text() if out.exists() else "# Benchmarks\n"
    head = previous[: previous.index(HEADING[:6])] if HEADING[:6] in previous else previous
    tail = previous[previous.index("## 7.") :] if "## 7." in previous else ""
    out.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + ("\n" + tail if tail else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    before = load_now()
    rows = measure(args.rounds, lambda what: print(what, file=sys.stderr))
    load = f"{before} before, {load_now()} after"
    lines = section(rows, args.rounds, load)
    write_section(args.out, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
