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
- (b) `switch.Probe`: read and describe the switch -- one `page.evaluate`, against
  `switch.read_state` + `switch.describe` on Playwright's locator;
- (c) `guard.read_click`: what the click guard reads on the element it is about to click
  (what acts on the click, and all it says) -- one `page.evaluate` that finds the element by
  the flow's plain CSS, against the same script on Playwright's locator (`Locator.evaluate`,
  the way for alternatives that are not plain CSS).

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

from optout_bot.engine import guard, locators, switch  # noqa: E402
from optout_bot.engine.browsers import find_browser  # noqa: E402
from optout_bot.engine.capture import Camera  # noqa: E402
from optout_bot.engine.session import QUIET_ARGS  # noqa: E402
from optout_bot.flow import load_flow  # noqa: E402
from optout_bot.flow import model as m  # noqa: E402
from optout_bot.replicas import Replica  # noqa: E402

FLOW = REPO / "flows" / "linkedin-ai-training.yaml"
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
        self.flow = load_flow(FLOW)
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

    # -- (b) read + describe the switch ------------------------------------------------------

    def probe(self, fast: bool) -> float:
        with self.fresh_page() as page:
            found = self.found(page, self.flow.switch.target)
            start = time.perf_counter()
            if fast:
                probe = switch.Probe(found.locator, locators.plain_css(found.source), TIMEOUT_MS)
                state, attrs = probe.read(), probe.describe()
            else:
                state = switch.read_state(found.locator, TIMEOUT_MS)
                attrs = switch.describe(found.locator, TIMEOUT_MS)
            took = (time.perf_counter() - start) * 1000
            assert state in ("on", "off") and attrs.get("tag"), (state, attrs)
            assert not fast or probe.way == "css", probe.way
            return took

    # -- (c) the click guard's reading -------------------------------------------------------

    def guard_read(self, target: m.Target, fast: bool) -> float:
        with self.fresh_page() as page:
            found = self.found(page, target)
            start = time.perf_counter()
            if fast:
                click = guard.read_click(found, TIMEOUT_MS)
            else:
                click = guard.Click.of(found.locator.evaluate(guard.CLICK_JS, timeout=TIMEOUT_MS))
            took = (time.perf_counter() - start) * 1000
            assert click.reading.texts(), "nothing read"
            return took

    def check(self) -> None:
        """Both sides of (b) and (c) give the same answers, so only their speed differs."""
        with self.fresh_page() as page:
            found = self.found(page, self.flow.switch.target)
            probe = switch.Probe(found.locator, locators.plain_css(found.source), TIMEOUT_MS)
            assert probe.read() == switch.read_state(found.locator), "reads differ"
            assert probe.describe() == switch.describe(found.locator), "descriptions differ"
            for target in (self.me, self.privacy):
                found = self.found(page, target)
                plain = guard.Click.of(found.locator.evaluate(guard.CLICK_JS))
                assert guard.read_click(found) == plain, target.describe()

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
    """Time (a), (b) and (c) against their plain Playwright ways; one Row each measurement."""
    from playwright.sync_api import sync_playwright

    say = progress or (lambda _: None)
    with Replica() as replica, sync_playwright() as pw:
        bench = Bench(pw, replica)
        try:
            say("warming up")
            bench.check()
            alternate(2, bench.shots)
            alternate(2, bench.probe)
            alternate(2, lambda fast: bench.guard_read(bench.me, fast))

            say("(a) Camera vs page.screenshot(mask=...)")
            fast, plain = alternate(rounds, bench.shots)
            say("(b) Probe vs the locator")
            probe = alternate(rounds, bench.probe)
            say("(c) guard.read_click vs the same script on the locator")
            me = alternate(rounds, lambda f: bench.guard_read(bench.me, f))
            privacy = alternate(rounds, lambda f: bench.guard_read(bench.privacy, f))
        finally:
            bench.close()
    cam, pw_shot = "`Camera.png`", "`page.screenshot(mask=...)`"
    return [
        Row("(a)", "masked screenshot, first on a new page", cam, pw_shot,
            [f for f, _ in fast], [p for p, _ in plain], "1"),
        Row("(a)", "masked screenshot, later on the page", cam, pw_shot,
            [f for _, f in fast], [p for _, p in plain], "1 (verify), 2 (run)"),
        Row("(b)", "read + describe the switch", "`Probe`", "`read_state` + `describe`",
            *probe, "2 (verify), 1 (run) [1]"),
        Row("(c)", "guard reads the Me button", "`guard.read_click`", "`Locator.evaluate`",
            *me, "4 clicks on 3 pages [2]"),
        Row("(c)", "guard reads a link", "`guard.read_click`", "`Locator.evaluate`",
            *privacy, "(the same clicks)"),
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
        "Times in ms, medians. [1] In `run`, clicking the switch evaluates scripts on it in the",
        "page's own world, which installs Playwright's selector script on that page anyway, so",
        "the probe saves the install only on the reloaded page. [2] The first read on each new",
        "page pays the install; the Me button and the Settings link are on the same page.",
        "",
        "(d), the flow, settings and evidence store loaded on a worker thread while Playwright's",
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
    """Replace section 6 of `out` (or add it at the end), keeping every other section."""
    previous = out.read_text() if out.exists() else "# Benchmarks\n"
    head = previous[: previous.index(HEADING[:6])] if HEADING[:6] in previous else previous
    out.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines))


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
