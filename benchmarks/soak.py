"""Flakiness soak: the LinkedIn flow many times against the replica, with random latency and
random render delays, desktop and mobile alternating. Reports failures and p50 / p95.

    python benchmarks/soak.py                # 100 runs (about 10 minutes)
    python benchmarks/soak.py --runs 20 --seed 7

Each run is a real `optout-bot run linkedin-ai-training --yes --headless` process on a kept
profile signed in to the replica, starting from the switch "on" so every run clicks, with
every replica response delayed by a random 0-800 ms and the switch rendered a random
0-2000 ms late. A run fails unless it exits 0 and the replica stored "off".
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from optout_bot.engine.browsers import find_browser  # noqa: E402
from optout_bot.replicas import Replica  # noqa: E402

AI_KEY = "allowDataForGenerativeAI"


def sign_in(profile: Path, replica: Replica) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        replica.sign_in_profile(pw, profile, find_browser().path)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-latency-ms", type=int, default=800)
    parser.add_argument("--max-render-delay-ms", type=int, default=2000)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    home = Path(tempfile.mkdtemp(prefix="optout-soak-"))
    env = {**os.environ, "OPTOUT_BOT_HOME": str(home)}
    failures: list[str] = []
    times: list[float] = []
    with Replica() as replica:
        sign_in(home / "profiles" / "default", replica)
        for i in range(args.runs):
            platform = "desktop" if i % 2 == 0 else "mobile"
            replica.scenario.slow_ms = rng.randint(0, args.max_latency_ms)
            replica.scenario.late_switch_ms = rng.randint(0, args.max_render_delay_ms)
            replica.set_setting(AI_KEY, True)
            cmd = [
                sys.executable, "-m", "optout_bot", "run", "linkedin-ai-training", "--yes",
                "--headless", "-q", "--platform", platform, "--replica",
                f"127.0.0.1:{replica.port}", "--evidence-dir", str(home / "evidence"),
                "--timeout", "20",
            ]  # fmt: skip
            start = time.perf_counter()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
            took = time.perf_counter() - start
            times.append(took)
            stored_off = replica.get_setting(AI_KEY) is False
            ok = proc.returncode == 0 and stored_off
            note = (
                f"run {i + 1:3d} {platform:7s} latency {replica.scenario.slow_ms:3d} ms "
                f"late {replica.scenario.late_switch_ms:4d} ms: {took:5.2f} s "
                f"exit {proc.returncode}{'' if ok else '  FAILED'}"
            )
            print(note, file=sys.stderr)
            if not ok:
                failures.append(f"{note}\n{proc.stdout.strip()}")
    print()
    print(f"soak: {args.runs} runs (seed {seed}), {len(failures)} failed")
    print(
        f"run time p50 {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
        f"max {max(times):.2f} s"
    )
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
