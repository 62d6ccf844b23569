"""The command line contract: help, usage errors, validate, flows, confirmation, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from optout_bot.app import run as app_run
from optout_bot.cli import main as cli
from optout_bot.cli import run_cmd
from optout_bot.engine.outcome import Status
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW, REPO

COMMANDS = ["run", "verify", "validate", "flows", "demo", "doctor"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optout_bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )


def test_help_lists_every_command_and_the_exit_codes():
    """`optout-bot --help` names each subcommand and documents the exit codes."""
    proc = _cli("--help")
    assert proc.returncode == 0
    for command in COMMANDS:
        assert command in proc.stdout
    assert "5  the setting is not offered" in proc.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_subcommand_has_help(command, capsys):
    """Every subcommand answers --help with its own usage line."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: optout-bot {command}" in capsys.readouterr().out


def test_output_into_a_closed_pipe_ends_quietly():
    """`optout-bot flows | head -1`: the reader is gone before the list is printed; the
    command ends as one killed by SIGPIPE does (141), with no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "optout_bot", "flows"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err


def test_a_wrong_flag_is_a_usage_error_with_exit_2():
    """An unknown flag prints the usage and the offending flag on stderr, exit 2."""
    proc = _cli("run", "linkedin-ai-training", "--headles")
    assert proc.returncode == 2
    assert "unrecognized arguments: --headles" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_wrong_choice_lists_the_valid_ones():
    """--platform tablet is refused with the valid choices."""
    proc = _cli("verify", "linkedin-ai-training", "--platform", "tablet")
    assert proc.returncode == 2
    assert "choose from 'desktop', 'mobile'" in proc.stderr


def test_validate_accepts_the_bundled_flows(capsys):
    """Every bundled flow file validates."""
    flows = sorted((REPO / "flows").glob("*.yaml"))
    assert cli.main(["validate", *map(str, flows)]) == 0
    assert "ok (12 settings: linkedin-ai-training, linkedin-research," in capsys.readouterr().out


def test_validate_prints_every_problem_with_its_location(tmp_path, capsys):
    """A broken flow file gets file:line:col for each problem, and exit 2."""
    bad = tmp_path / "bad.yaml"
    text = (
        LINKEDIN_FLOW.read_text()
        .replace("- click:", "- clik:", 1)
        .replace('wanted: "off"', "wanted: of")
    )
    bad.write_text(text)
    lines = text.splitlines()
    clik = next(n for n, line in enumerate(lines, 1) if "- clik:" in line)
    col = lines[clik - 1].index("clik") + 1
    wanted = next(n for n, line in enumerate(lines, 1) if "wanted: of" in line)

    assert cli.main(["validate", str(bad), str(LINKEDIN_FLOW)]) == 2
    out = capsys.readouterr().out
    assert f"{bad}:{clik}:{col}: " in out and "did you mean 'click'?" in out
    assert f"{bad}:{wanted}:11: switch.wanted: unknown state 'of'" in out
    assert "ok (linkedin-ai-training" in out


def test_flows_lists_the_bundled_flows(capsys):
    """`flows` shows each setting of a site file on a line of its own: id, site, setting,
    category, platforms and version."""
    assert cli.main(["flows"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ai = next(line for line in lines if line.startswith("linkedin-ai-training "))
    assert "LinkedIn" in ai and "ai-training" in ai and "desktop,mobile" in ai and "2.0.0" in ai
    research = next(line for line in lines if line.startswith("linkedin-research "))
    assert "Social, economic, and workplace research" in research and " research " in research


def test_every_bundled_flow_id_loads_from_the_file_the_catalog_names():
    """Flow ids resolve through the catalog's quick read of the files; loading agrees."""
    from optout_bot.flow import load_flow
    from optout_bot.flow.catalog import bundled_flows

    for flow_id, path in bundled_flows().items():
        assert load_flow(path, flow_id).id == flow_id


def test_an_unknown_flow_id_is_exit_2_with_a_suggestion(run_cli):
    """A typo in the flow id suggests the bundled flow and runs nothing."""
    result = run_cli("verify", "linkedin-ai-trainig", "--json")
    assert result.code == 2
    assert result.json["status"] == "invalid"
    assert "did you mean 'linkedin-ai-training'?" in result.json["reason"]


def test_an_invalid_flow_file_runs_nothing(run_cli, replica, tmp_path):
    """run on an invalid flow prints file:line:col, exits 2, and starts no browser."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(LINKEDIN_FLOW.read_text().replace("role: switch", "role: swich"))
    evidence = tmp_path / "evidence"
    result = run_cli(
        "run",
        str(bad),
        "--yes",
        "--headless",
        "--replica",
        f"127.0.0.1:{replica.port}",
        "--evidence-dir",
        str(evidence),
    )
    assert result.code == 2
    assert f"{bad}:" in result.err and "swich" in result.err
    assert "nothing was run" in result.out
    assert not evidence.exists()
    assert replica.writes == []


def test_without_yes_and_without_a_terminal_nothing_changes_and_exit_is_2(linkedin, replica):
    """run with nobody to ask shows the state, changes nothing, and says to pass --yes."""
    result = linkedin("run")
    assert result.code == 2
    assert result.json["status"] == "confirmation_needed"
    assert result.json["state_before"] == "on"
    assert "--yes" in result.json["reason"]
    assert replica.writes == []


@pytest.mark.parametrize(("answer", "code"), [(True, 0), (False, 3)])
def test_the_confirmation_question_decides(linkedin, replica, monkeypatch, answer, code):
    """Answering yes switches it off (exit 0); answering no leaves it on (exit 3). The question
    names the switch as the page does, and shows no CSS selector."""
    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return answer

    monkeypatch.setattr(run_cmd, "confirm_on_terminal", lambda: confirm)
    result = linkedin("run")
    assert result.code == code
    assert asked == [
        'LinkedIn: "Use my data for training content creation AI models" is ON. '
        "Switch it OFF? (optout-bot clicks it once, then reloads the page to check)"
    ]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is (not answer)


def test_json_output_is_exactly_one_object_with_the_contract_keys(linkedin):
    """--json prints one JSON object holding every documented key."""
    result = linkedin("verify")
    data = json.loads(result.out)
    for key in (
        "flow",
        "platform",
        "mode",
        "status",
        "state_before",
        "state_after",
        "wanted",
        "changed",
        "persisted",
        "evidence_dir",
        "screenshots",
    ):
        assert key in data
    assert data["wanted"] == "off"


def test_human_output_has_live_steps_and_a_summary_line(
    run_cli, replica, sign_in_profile, tmp_path
):
    """Without --json, progress goes to stderr step by step, in words (no selector, no escape
    codes: not a terminal), and one summary to stdout."""
    sign_in_profile()
    result = run_cli(
        "run",
        "linkedin-ai-training",
        "--yes",
        "--headless",
        "--replica",
        f"127.0.0.1:{replica.port}",
        "--evidence-dir",
        str(tmp_path),
    )
    assert result.code == 0
    assert "[1/6] Open your LinkedIn feed\n" in result.err
    assert "[2/6] Open the Me menu\n" in result.err
    assert "[6/6]" in result.err
    assert "css=" not in result.err and "\x1b" not in result.err
    assert result.out.startswith("OK: linkedin-ai-training (desktop):")
    assert "evidence: " in result.out


def test_json_log_format_gives_json_lines_on_stderr(linkedin):
    """--log-format json turns progress into JSON lines for unattended runs."""
    result = linkedin("verify", "--log-format", "json")
    lines = [json.loads(line) for line in result.err.splitlines() if line.strip()]
    assert lines and all("event" in line and "level" in line for line in lines)


def test_every_status_has_a_documented_exit_code():
    """Each status maps to one of the documented exit codes."""
    assert {s.exit_code for s in Status} == {0, 1, 2, 3, 4, 5, 130}
    assert Status.DRIFT.exit_code == Status.NOT_PERSISTED.exit_code == 3


def test_an_unexpected_error_is_one_line_and_exit_1(run_cli, monkeypatch):
    """A bug inside optout-bot ends with exit 1 and a one-line reason, not a traceback."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_run, "_drive", broken)
    result = run_cli("verify", "linkedin-ai-training", "--json")
    assert result.code == 1
    assert result.json["status"] == "error"
    assert "unexpected error: RuntimeError: boom" in result.json["reason"]
    assert "Traceback" not in result.err


def test_ctrl_c_during_a_run_exits_130_without_a_traceback(
    replica, home, sign_in_profile, tmp_path
):
    """SIGINT in the middle of a slow run stops it with exit 130 and a one-line reason."""
    import os
    import signal

    sign_in_profile()
    replica.scenario.slow_ms = 3000
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optout_bot",
            "verify",
            "linkedin-ai-training",
            "--headless",
            "--json",
            "--replica",
            f"127.0.0.1:{replica.port}",
            "--evidence-dir",
            str(tmp_path),
        ],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()  # "[1/1] open the setting's page": under way
        assert "[1/1] open the setting's page" in first
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert json.loads(out)["status"] == "interrupted"
    assert "Traceback" not in err
    assert replica.writes == []


def test_demo_switches_off_every_bundled_ai_setting_on_the_replicas(run_cli, tmp_path):
    """`optout-bot demo` needs no account: LinkedIn, ChatGPT and X switched off in one run,
    exit 0, each with its three screenshots and its record."""
    evidence = tmp_path / "demo-evidence"
    result = run_cli("demo", "--evidence-dir", str(evidence))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    flows = ["chatgpt-model-training", "linkedin-ai-training", "x-grok-training"]
    assert [line.split()[1] for line in lines if line.startswith("OK: ")] == flows
    folders = [line.removeprefix("evidence: ") for line in lines if line.startswith("evidence: ")]
    assert len(folders) == 3
    for where in folders:
        run_dir = Path(where.rsplit(" (record #", 1)[0])
        assert (run_dir / "record.json").is_file()
        assert run_dir.parent.parent == evidence
        assert sorted(p.name for p in run_dir.glob("*.png")) == [
            "01-before.png",
            "02-after-change.png",
            "03-after-reload.png",
        ]


def test_a_flow_that_does_not_load_says_so_in_one_line(run_cli, tmp_path):
    """Before the settings are read there is no platform yet: no empty '()' in the summary."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\nnavigate: {desktop: [{clik: a}]}\n")
    result = run_cli("verify", str(bad))
    assert result.code == 2
    assert result.out.startswith(f"INVALID: {bad}: {bad} is not a valid flow"), result.out
    assert "unknown step 'clik'; did you mean 'click'?" in result.err


@pytest.mark.parametrize(
    ("flow", "code", "out", "err"),
    [
        ("tests/flows/linkedin-ai-training.yaml", 0, "ok (linkedin-ai-training; 1.0.0", ""),
        ("flows/linkedin.yaml", 0, "ok (12 settings: linkedin-ai-training, ", ""),
        ("nope.yaml", 2, "nope.yaml", "1 of 1 flow file(s) invalid"),
    ],
)
def test_the_command_exits_with_its_code_and_all_it_printed(flow, code, out, err):
    """`optout-bot` leaves without the interpreter's teardown (cli.main.run), after flushing:
    the exit code is main's, and what it printed arrives whole, into a pipe too."""
    proc = subprocess.run(
        [sys.executable, "-m", "optout_bot", "validate", flow],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == code
    assert out in proc.stdout and proc.stdout.endswith("\n")
    assert err in proc.stderr
