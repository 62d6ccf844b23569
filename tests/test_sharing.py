"""Sharing flows: `flows add` validates and installs, a user flow overrides the bundled one,
`flows show` prints origin and SHA-256."""

from __future__ import annotations

import hashlib
import json

from tests.conftest import LINKEDIN_FLOW


def _shared(tmp_path, version: str = "1.1.0"):
    shared = tmp_path / "from-a-friend.yaml"
    shared.write_text(
        LINKEDIN_FLOW.read_text().replace('version: "1.0.0"', f'version: "{version}"')
    )
    return shared


def test_flows_add_installs_a_valid_flow_that_then_overrides_the_bundled_one(run_cli, tmp_path):
    """A shared fix installs under its id, is listed as the user's, and is what `run` uses."""
    added = run_cli("flows", "add", str(_shared(tmp_path)))
    assert added.code == 0
    assert "installed linkedin-ai-training 1.1.0" in added.out
    assert "overrides the bundled" in added.out

    listing = json.loads(run_cli("flows", "list", "--json").out)
    (entry,) = [e for e in listing if e["id"] == "linkedin-ai-training"]
    assert entry["origin"] == "user" and entry["version"] == "1.1.0" and entry["overrides"]
    assert "user (overrides the bundled one)" in run_cli("flows").out

    plan = json.loads(run_cli("run", "linkedin-ai-training", "--dry-run", "--json").out)
    assert plan["flow"] == "linkedin-ai-training"


def test_flows_add_refuses_an_invalid_flow_and_installs_nothing(run_cli, tmp_path):
    """Every problem is printed with file:line:col; the flows folder stays as it was."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(LINKEDIN_FLOW.read_text().replace("- click:", "- clik:", 1))
    result = run_cli("flows", "add", str(bad))
    assert result.code == 2
    assert f"{bad}:" in result.out and "did you mean 'click'?" in result.out
    assert not (tmp_path / "flows").exists()


def test_flows_show_prints_origin_sha256_and_the_file(run_cli, tmp_path):
    """`flows show ID` says where the flow in effect comes from and its hash."""
    shared = _shared(tmp_path, "2.0.0")
    run_cli("flows", "add", str(shared))
    result = run_cli("flows", "show", "linkedin-ai-training")
    assert result.code == 0
    assert result.out.startswith("# origin: user (")
    assert f"# sha256: {hashlib.sha256(shared.read_bytes()).hexdigest()}" in result.out
    assert 'version: "2.0.0"' in result.out


def test_flows_show_of_an_unknown_id_is_exit_2(run_cli):
    """A typo gets the suggestion, exit 2."""
    result = run_cli("flows", "show", "linkedin-ai")
    assert result.code == 2
    assert "linkedin-ai-training" in result.err


def test_a_flow_needing_a_newer_engine_is_refused_with_a_message(run_cli, tmp_path):
    """A flow of format 99 says to upgrade optout-bot, and is not installed."""
    future = tmp_path / "future.yaml"
    future.write_text(LINKEDIN_FLOW.read_text().replace("format: 1", "format: 99"))
    result = run_cli("flows", "add", str(future))
    assert result.code == 2
    assert "newer optout-bot" in result.out


def test_a_lone_surrogate_in_a_shared_flow_is_refused_everywhere_without_a_crash(run_cli, tmp_path):
    """A `"\\ud800"` escape in a site name: validate, run --dry-run and flows add refuse it at
    its place; a copy already in the flows folder is listed as invalid, and nothing crashes."""
    evil_site = 'site: "L\\ud800"'
    evil = tmp_path / "evil.yaml"
    evil.write_text(LINKEDIN_FLOW.read_text().replace("\nsite: LinkedIn\n", f"\n{evil_site}\n"))
    line = evil.read_text().splitlines().index(evil_site) + 1
    problem = f"{evil}:{line}:7: site: lone surrogate U+D800 is not allowed here"

    checked = run_cli("validate", str(evil))
    assert checked.code == 2 and problem in checked.out
    dry = run_cli("run", str(evil), "--dry-run")
    assert dry.code == 2 and problem in dry.err and "Traceback" not in dry.err
    added = run_cli("flows", "add", str(evil))
    assert added.code == 2 and problem in added.out

    installed = tmp_path / "flows" / "evil.yaml"  # beside the test's settings file
    installed.parent.mkdir()
    installed.write_text(evil.read_text())
    listing = run_cli("flows")
    assert listing.code == 0 and "(invalid: " in listing.out and "lone surrogate" in listing.out
