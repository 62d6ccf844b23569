"""Several flows in one run: one browser, a few tabs at once (app/together.py), one result
per flow in the order given, one evidence record each; a flow that fails never stops the
others; the exit code is the first flow's, in the order given, that did not end 0."""

from __future__ import annotations

import pytest
from playwright.sync_api import Playwright

from optout_bot.app.together import concurrent, run_together
from tests.conftest import ACCOUNT

THREE = ["linkedin-ai-training", "linkedin-research", "linkedin-ads-age"]


@pytest.fixture
def many(run_cli, replica, sign_in_profile, tmp_path):
    """`many("verify", ID, ID, ..., "--yes")`: flows against the replica, signed in,
    headless, JSON out, evidence in a temp folder."""
    sign_in_profile()

    def go(mode: str, *args: str):
        ids = [a for a in args if not a.startswith("-")]
        flags = [a for a in args if a.startswith("-")]
        return run_cli(
            mode, *ids, "--headless", "--json", "--replica", f"127.0.0.1:{replica.port}",
            "--evidence-dir", str(tmp_path / "evidence"), "--timeout", "10", *flags,
        )  # fmt: skip

    return go


def test_this_playwright_runs_flows_at_the_same_time(playwright: Playwright, browser):
    """Each task waits for something only another task does: they can only all end when they
    run at the same time (one after the other, the first would wait in vain)."""
    assert concurrent(playwright)
    page = browser.new_page()
    try:
        page.set_content("<p>shared</p>")

        def waiter() -> str:
            page.wait_for_function("() => window.go === true", timeout=5_000)
            return "waited"

        def starter() -> str:
            page.evaluate("window.go = true")
            return "started"

        assert run_together(playwright, [waiter, starter]) == ["waited", "started"]
    finally:
        page.close()


def test_a_task_that_fails_is_its_own_outcome_and_the_limit_holds(playwright, browser):
    """At most `limit` tasks run at once (each waits on a page meanwhile), and one that raises
    is handed back as its outcome while the others finish."""
    page = browser.new_page()
    running, most = [0], [0]

    def task(i: int):
        def go() -> int:
            running[0] += 1
            most[0] = max(most[0], running[0])
            try:
                page.evaluate("1")  # a wait on the page: the other tasks run meanwhile
                if i == 1:
                    raise ValueError("boom")
                return i
            finally:
                running[0] -= 1

        return go

    try:
        outcomes = run_together(playwright, [task(i) for i in range(5)], limit=2)
    finally:
        page.close()

    assert outcomes[0] == 0 and outcomes[2:] == [2, 3, 4]
    assert isinstance(outcomes[1], ValueError)
    assert most[0] == 2


def test_three_settings_verified_in_one_run(many, replica):
    """`verify A B C --json`: one object, three results in the order given, each with its
    own record, exit 0."""
    for key in ("allowDataForGenerativeAI", "allowAnonymizedDataResearch", "allowAdsByAge"):
        replica.set_setting(key, False)

    result = many("verify", *THREE)

    assert result.code == 0, result.out
    data = result.json
    assert data["exit_code"] == 0
    assert [r["flow"] for r in data["results"]] == THREE
    assert all(r["status"] == "ok" and r["exit_code"] == 0 for r in data["results"])
    seqs = [r["record"]["seq"] for r in data["results"]]
    assert len(set(seqs)) == 3
    assert replica.writes == []


def test_one_setting_drifted_is_exit_3_and_the_others_still_complete(many, replica):
    replica.set_setting("allowDataForGenerativeAI", False)
    replica.set_setting("allowAdsByAge", False)  # research stays on: drift

    result = many("verify", *THREE)

    assert result.code == 3, result.out
    statuses = [(r["flow"], r["status"]) for r in result.json["results"]]
    assert statuses == [(THREE[0], "ok"), (THREE[1], "drift"), (THREE[2], "ok")]
    assert result.json["exit_code"] == 3


def test_an_unknown_flow_among_others_is_its_own_result(many, replica):
    replica.set_setting("allowDataForGenerativeAI", False)

    result = many("verify", "linkedin-ai-training", "linkedin-nope")

    assert result.code == 2, result.out
    (ok, unknown) = result.json["results"]
    assert ok["status"] == "ok" and unknown["status"] == "invalid"
    assert "unknown flow 'linkedin-nope'" in unknown["reason"]


def test_run_switches_several_off_with_one_browser(many, replica):
    """run --yes of three settings: each off, proved after a reload, one record each."""
    result = many("run", *THREE, "--yes")

    assert result.code == 0, result.out
    assert [r["state_after"] for r in result.json["results"]] == ["off", "off", "off"]
    settings = replica.state.settings_of(ACCOUNT)
    assert not settings["allowAnonymizedDataResearch"] and not settings["allowAdsByAge"]
    assert settings["allowAdsByGender"]  # untouched


def test_the_text_output_ends_with_a_table(run_cli, replica, sign_in_profile, tmp_path):
    sign_in_profile()
    for key in ("allowDataForGenerativeAI", "allowAnonymizedDataResearch"):
        replica.set_setting(key, False)
    result = run_cli(
        "verify", THREE[0], THREE[1], "--headless", "--replica", f"127.0.0.1:{replica.port}",
        "--evidence-dir", str(tmp_path / "evidence"), "-q",
    )  # fmt: skip
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert lines[0].startswith("OK: linkedin-ai-training")
    header = next(i for i, line in enumerate(lines) if line.startswith("SETTING"))
    assert lines[header].split() == ["SETTING", "STATE", "RESULT", "EXIT", "EVIDENCE"]
    assert lines[header + 1].split()[:4] == ["linkedin-ai-training", "off", "OK", "0"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give one or more flow ids"),
        (("linkedin-ai-training", "--all"), "give flow ids or --all, not both"),
    ],
)
def test_flows_or_all_but_not_both_nor_neither(run_cli, args, message):
    result = run_cli("verify", *args)
    assert result.code == 2
    assert message in result.err


def test_all_runs_the_ai_training_setting_of_each_bundled_site_by_default(run_cli):
    plan = run_cli("verify", "--all", "--dry-run")
    assert plan.code == 0
    firsts = [line.split()[0] for line in plan.out.splitlines() if "the plan" in line]
    assert firsts == ["chatgpt-model-training", "linkedin-ai-training", "x-grok-training"]


#: The issue's three sites, in the order it names them.
SITES = ["linkedin-ai-training", "chatgpt-model-training", "x-grok-training"]


def _all_off(replica) -> None:
    replica.set_setting("allowDataForGenerativeAI", False)
    replica.site("chatgpt").set_setting(False, ACCOUNT)
    replica.site("x").set_setting(False, ACCOUNT)


def test_the_three_sites_verified_in_one_run(many, replica):
    """`verify linkedin-ai-training chatgpt-model-training x-grok-training --json`: exit 0,
    three results in that order, all ok."""
    _all_off(replica)

    result = many("verify", *SITES)

    assert result.code == 0, result.out
    assert [(r["flow"], r["status"]) for r in result.json["results"]] == [
        (flow, "ok") for flow in SITES
    ]


def test_only_chatgpt_on_is_exit_3_and_the_other_two_complete_ok(many, replica):
    _all_off(replica)
    replica.site("chatgpt").set_setting(True, ACCOUNT)

    result = many("verify", *SITES)

    assert result.code == 3, result.out
    assert result.json["exit_code"] == 3
    assert [(r["flow"], r["status"]) for r in result.json["results"]] == [
        (SITES[0], "ok"), (SITES[1], "drift"), (SITES[2], "ok")
    ]  # fmt: skip


def test_flows_enable_and_disable_choose_what_all_looks_after(run_cli, home):
    """`flows enable` adds to what --all runs (the default first), `flows disable` takes
    away; the settings file keeps the person's comments and other keys."""
    from optout_bot.base.paths import config_path

    config = config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('# my settings\nplatform = "desktop"  # my laptop\n')

    enabled = run_cli("flows", "enable", "linkedin-research")
    assert enabled.code == 0, enabled.err
    text = config.read_text()
    assert "# my settings" in text and "# my laptop" in text
    assert (
        'flows = ["chatgpt-model-training", "linkedin-ai-training", "x-grok-training", '
        '"linkedin-research"]'
    ) in text
    plan = run_cli("verify", "--all", "--dry-run").out
    assert "linkedin-ai-training 2.0.0" in plan and "linkedin-research 2.0.0" in plan

    assert run_cli("flows", "disable", "linkedin-ai-training").code == 0
    assert (
        'flows = ["chatgpt-model-training", "x-grok-training", "linkedin-research"]'
    ) in config.read_text()
    plan = run_cli("verify", "--all", "--dry-run").out
    assert "linkedin-ai-training" not in plan and "linkedin-research 2.0.0" in plan


def test_flows_enable_refuses_an_unknown_id(run_cli):
    result = run_cli("flows", "enable", "linkedin-reserch")
    assert result.code == 2
    assert "did you mean 'linkedin-research'?" in result.err


def test_the_changes_of_several_flows_are_asked_once(playwright, browser):
    """Each flow's question waits until every flow still working has asked or ended; one
    question then lists them all, and its answer goes to each."""
    from optout_bot.app.together import OneQuestion
    from optout_bot.engine.runner import CONFIRM_NOTE

    asked: list[str] = []
    gate = OneQuestion(lambda text: asked.append(text) or True, playwright)
    page = browser.new_page()

    def flow(index: int, wants: bool):
        def go() -> bool | None:
            gate.started(index)
            try:
                page.evaluate("1")  # working on its page meanwhile
                if not wants:
                    return None
                question = f'Site {index}: "Setting {index}" is ON. Switch it OFF? {CONFIRM_NOTE}'
                return gate.confirm_for(index)(question)
            finally:
                gate.ended(index)

        return go

    try:
        answers = run_together(playwright, [flow(0, True), flow(1, False), flow(2, True)])
    finally:
        page.close()

    assert answers == [True, None, True]
    (question,) = asked
    assert question.startswith("optout-bot would change 2 settings")
    assert '1. Site 0: "Setting 0" is ON. Switch it OFF?\n' in question
    assert '2. Site 2: "Setting 2" is ON. Switch it OFF?\n' in question
    assert question.endswith("Change all of them?") and CONFIRM_NOTE not in question


def test_sign_ins_by_hand_take_turns(playwright, browser):
    """Two flows that need the person to sign in: the second waits while the first has
    them signing in, never two sign-in pages at once."""
    from optout_bot.app.together import Turns

    turns = Turns(playwright)
    page = browser.new_page()
    events: list[str] = []

    def flow(name: str):
        def go() -> None:
            page.evaluate("1")
            with turns.one_at_a_time():
                events.append(f"{name} signs in")
                page.evaluate("1")  # waiting for the person: the other flow runs meanwhile
                page.evaluate("1")
                events.append(f"{name} done")

        return go

    try:
        run_together(playwright, [flow("A"), flow("B")])
    finally:
        page.close()

    assert events == ["A signs in", "A done", "B signs in", "B done"]
