"""Installing as people install command-line tools: the wheel carries everything the package
reads at run time (flows, templates, page scripts, the replicas' pages), and `pipx install`
of it in a clean environment gives a working `optout-bot`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("optout_bot-*.whl")
    return built


def _tracked(*paths: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", *paths], cwd=REPO, capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def test_the_wheel_carries_every_file_the_package_reads(wheel: Path):
    """Every file of the package that is not Python (page scripts, templates, the replicas'
    pages) and every bundled flow, with its schema."""
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [p for p in _tracked("optout_bot") if not p.endswith(".py")]
    flows = [p for p in _tracked("flows") if p.endswith((".yaml", ".json"))]

    assert data and flows
    assert [p for p in data if p not in names] == []
    assert [p for p in flows if f"optout_bot/_bundled_{p}" not in names] == []


def test_pipx_install_gives_a_working_optout_bot(wheel: Path, tmp_path: Path):
    """`pipx install` of the wheel in a clean folder: `optout-bot flows` lists the bundled
    flows, `--version` names the flow formats, and `python -m optout_bot` works too."""
    pytest.importorskip("pipx", reason="pipx is a test dependency (./dev setup installs it)")
    env = {
        **os.environ,
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
        "OPTOUT_BOT_HOME": str(tmp_path / "home"),
        "OPTOUT_BOT_CONFIG": str(tmp_path / "config.toml"),
    }
    installed = subprocess.run(
        [sys.executable, "-m", "pipx", "install", str(wheel)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    tool = tmp_path / "bin" / ("optout-bot.exe" if os.name == "nt" else "optout-bot")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    flows = run(str(tool), "flows")
    assert flows.returncode == 0, flows.stderr
    for flow in ("linkedin-ai-training", "chatgpt-model-training", "x-grok-training"):
        assert flow in flows.stdout
    version = run(str(tool), "--version")
    assert "reads flow formats 1 and 2" in version.stdout
    venv = tmp_path / "pipx" / "venvs" / "optout-bot"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    as_module = run(str(python), "-m", "optout_bot", "--version")
    assert as_module.stdout == version.stdout
