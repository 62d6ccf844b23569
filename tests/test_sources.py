"""Flow sources: `flows add REPO[@REV]` installs the flows of a git repository pinned to one
commit, after validating every one; `flows update` moves to a newer tag only when all of it is
valid, and says what changed; `flows` shows where each flow comes from and which one is in
effect; git never runs a hook, a prompt or a transport of the repository's choosing.

The repositories are real ones, made with git in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from optout_bot.base.git import split_rev
from tests.conftest import LINKEDIN_FLOW

#: The test's own git: no settings of the developer's, a fixed author.
GIT_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "A Friend",
    "GIT_AUTHOR_EMAIL": "friend@example.org",
    "GIT_COMMITTER_NAME": "A Friend",
    "GIT_COMMITTER_EMAIL": "friend@example.org",
}


class Repo:
    """A git repository someone shares flows in."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=GIT_ENV, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> Repo:
        path = self.path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return self

    def commit(self, tag: str | None = None) -> str:
        """Commit everything (and tag it); the commit's 40 hex digits."""
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "--message", "flows")
        if tag:
            self.git("tag", "--annotate", "--message", tag, tag)
        return self.git("rev-parse", "HEAD")


def flow(flow_id: str = "friend-linkedin-ai", version: str = "1.0.0") -> str:
    """A one-setting flow: the LinkedIn AI setting under another id and version."""
    text = LINKEDIN_FLOW.read_text(encoding="utf-8")
    text = text.replace("\nid: linkedin-ai-training\n", f"\nid: {flow_id}\n")
    return text.replace('version: "1.0.0"', f'version: "{version}"')


@pytest.fixture
def friend(tmp_path: Path) -> Repo:
    """A friend's repository: a flow under flows/ and a README, tagged v1.0.0."""
    repo = Repo(tmp_path / "friend-flows")
    repo.write("flows/friend.yaml", flow()).write("README.md", "# my flows\n")
    repo.commit(tag="v1.0.0")
    return repo


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    return tmp_path / "sources"  # beside the tests' config.toml (conftest's `home` fixture)


def registry(sources_dir: Path) -> list[dict]:
    return json.loads((sources_dir / "sources.json").read_text())["sources"]


def listed(run_cli) -> dict[str, dict]:
    return {e["id"]: e for e in json.loads(run_cli("flows", "list", "--json").out)}


def test_add_takes_the_newest_tag_and_records_its_exact_commit(run_cli, friend, sources_dir):
    """Without @REV the newest tag by version (v1.10.0 after v1.9.0) is installed, its commit
    recorded; only the flow files are copied, and `flows` names the source and commit."""
    friend.write("flows/friend.yaml", flow(version="1.9.0"))
    friend.commit(tag="v1.9.0")
    friend.write("flows/friend.yaml", flow(version="1.10.0"))
    newest = friend.commit(tag="v1.10.0")
    friend.write("flows/friend.yaml", flow(version="2.0.0-dev"))
    friend.commit()  # the branch moves on past the newest tag

    added = run_cli("flows", "add", str(friend.path))
    assert added.code == 0, added.err
    assert f"added flow source friend-flows: {friend.path} at v1.10.0 ({newest[:7]})" in added.out
    assert "friend-linkedin-ai 1.10.0 (flows/friend.yaml)" in added.out

    (source,) = registry(sources_dir)
    assert source["commit"] == newest and source["tag"] == "v1.10.0"
    assert source["url"] == str(friend.path) and source["override_bundled"] is False
    assert source["follows"] == "newest tag" and source["rev"] is None
    installed = sources_dir / "friend-flows" / newest
    assert sorted(p.relative_to(installed).as_posix() for p in installed.rglob("*")) == [
        "flows",
        "flows/friend.yaml",
    ]  # no README, no .git
    entry = listed(run_cli)["friend-linkedin-ai"]
    assert entry["origin"] == f"source friend-flows@{newest[:7]}" and entry["version"] == "1.10.0"
    assert f"source friend-flows@{newest[:7]}" in run_cli("flows").out


def test_add_at_an_explicit_tag_or_commit_pins_that_one(run_cli, friend, sources_dir):
    """`REPO@v1.0.0` and `REPO@<commit>` install exactly that commit, not the newest tag."""
    first = friend.git("rev-parse", "HEAD")
    friend.write("flows/friend.yaml", flow(version="1.1.0"))
    second = friend.commit(tag="v1.1.0")
    friend.write("flows/friend.yaml", flow(version="1.2.0"))
    friend.commit()

    at_tag = run_cli("flows", "add", f"{friend.path}@v1.0.0", "--name", "at-tag")
    assert at_tag.code == 0, at_tag.err
    at_commit = run_cli("flows", "add", f"{friend.path}@{second}", "--name", "at-commit")
    assert at_commit.code == 0, at_commit.err

    by_name = {s["name"]: s for s in registry(sources_dir)}
    assert by_name["at-tag"]["commit"] == first and by_name["at-tag"]["tag"] == "v1.0.0"
    assert by_name["at-commit"]["commit"] == second and by_name["at-commit"]["tag"] == "v1.1.0"
    assert by_name["at-commit"]["rev"] == second
    # Both have the flow; the one added first is in effect.
    entry = listed(run_cli)["friend-linkedin-ai"]
    assert entry["origin"] == f"source at-tag@{first[:7]}" and entry["version"] == "1.0.0"
    (other,) = entry["shadowed"]
    assert other["origin"] == f"source at-commit@{second[:7]}"
    assert other["why"] == f"source at-tag@{first[:7]}, added before it, wins"


def test_a_repository_without_tags_is_taken_at_its_default_branch_head(
    run_cli, tmp_path, sources_dir
):
    """No tags: the head of the branch the repository's HEAD names."""
    repo = Repo(tmp_path / "untagged")
    repo.write("friend.yml", flow())  # a flow file at the root, as .yml
    head = repo.commit()
    added = run_cli("flows", "add", str(repo.path))
    assert added.code == 0, added.err
    (source,) = registry(sources_dir)
    assert source["commit"] == head and source["tag"] is None
    assert source["files"] == ["friend.yml"]
    assert f"at {head[:7]}, commit {head}" in added.out


def test_update_moves_to_the_newer_tag_says_what_changed_and_runs_the_new_flow(
    run_cli, friend, sources_dir
):
    """v1.0.0 -> v1.1.0: the changed flow is shown with its versions, a new flow as added; then
    `flows show` and `run` use the new commit's flow, and a second update has nothing to do."""
    assert run_cli("flows", "add", f"{friend.path}@v1.0.0").code == 0
    old = registry(sources_dir)[0]["commit"]
    friend.write("flows/friend.yaml", flow(version="1.1.0"))
    friend.write("flows/extra.yaml", flow("friend-extra", "0.1.0"))
    new = friend.commit(tag="v1.1.0")

    dry = run_cli("flows", "update", "--dry-run")
    assert dry.code == 0 and "changed   friend-linkedin-ai 1.0.0 -> 1.1.0" in dry.out
    assert "nothing switched (--dry-run)" in dry.out and registry(sources_dir)[0]["commit"] == old

    updated = run_cli("flows", "update", "--diff")
    assert updated.code == 0, updated.err
    assert f"friend-flows: v1.0.0 ({old[:7]}) -> v1.1.0 ({new[:7]})" in updated.out
    assert "changed   friend-linkedin-ai 1.0.0 -> 1.1.0 (flows/friend.yaml)" in updated.out
    assert "added     friend-extra 0.1.0 (flows/extra.yaml)" in updated.out
    assert '-version: "1.0.0"\n+version: "1.1.0"' in updated.out  # --diff
    assert f"updated friend-flows to v1.1.0 ({new[:7]}), commit {new}" in updated.out
    (source,) = registry(sources_dir)
    assert source["commit"] == new and source["tag"] == "v1.1.0"

    shown = run_cli("flows", "show", "friend-linkedin-ai")
    assert shown.out.startswith(f"# origin: source friend-flows@{new[:7]} (")
    assert f"# from {friend.path} at v1.1.0 ({new[:7]}), commit {new}" in shown.out
    assert 'version: "1.1.0"' in shown.out
    plan = run_cli("run", "friend-linkedin-ai", "--dry-run")
    assert plan.code == 0 and plan.out.startswith("friend-linkedin-ai 1.1.0 (desktop, run)")

    again = run_cli("flows", "update", "friend-flows")
    assert again.code == 0
    assert f"friend-flows: already at v1.1.0 ({new[:7]}), the newest tag" in again.out


def test_update_refuses_an_invalid_newer_tag_and_stays_on_the_old_commit(
    run_cli, friend, sources_dir
):
    """A newer tag with a broken flow: every problem shown, exit 2, nothing switched."""
    assert run_cli("flows", "add", str(friend.path)).code == 0
    before = registry(sources_dir)
    folders = sorted(p.name for p in (sources_dir / "friend-flows").iterdir())
    friend.write("flows/friend.yaml", flow(version="1.1.0").replace("- click:", "- clik:", 1))
    friend.commit(tag="v1.1.0")

    refused = run_cli("flows", "update", "friend-flows")
    assert refused.code == 2
    assert re.search(r"^flows/friend\.yaml:\d+:\d+: .*did you mean 'click'\?", refused.out, re.M)
    assert "stays at v1.0.0" in refused.err
    assert registry(sources_dir) == before
    assert sorted(p.name for p in (sources_dir / "friend-flows").iterdir()) == folders
    assert listed(run_cli)["friend-linkedin-ai"]["version"] == "1.0.0"


@pytest.mark.parametrize("installed_before", [False, True], ids=["first", "second source"])
def test_add_refuses_a_source_with_an_invalid_or_malicious_flow_and_installs_nothing(
    run_cli, friend, tmp_path, sources_dir, installed_before
):
    """A typo in one file, a flow that leaves its site and a YAML tag that would run a command
    in others: every problem of every file is shown, and neither the sources folder nor the
    registry changes."""
    if installed_before:
        assert run_cli("flows", "add", str(friend.path)).code == 0
    snapshot = {p: p.read_bytes() for p in sources_dir.rglob("*") if p.is_file()}
    bad = Repo(tmp_path / "bad-flows")
    bad.write("flows/typo.yaml", flow("bad-typo").replace("- click:", "- clik:", 1))
    bad.write(
        "flows/evil.yaml",
        flow("bad-evil").replace(
            "    - goto: https://www.linkedin.com/feed/", "    - goto: https://evil.example/", 1
        ),
    )
    bad.write("tagged.yaml", "format: !!python/object/apply:os.system ['touch pwned']\n")
    bad.write("flows/fine.yaml", flow("bad-fine"))
    bad.commit(tag="v1.0.0")

    refused = run_cli("flows", "add", str(bad.path))
    assert refused.code == 2
    assert re.search(r"^flows/typo\.yaml:\d+:\d+: .*did you mean 'click'\?", refused.out, re.M)
    assert re.search(r"^flows/evil\.yaml:\d+:\d+: .*outside allowed_origins", refused.out, re.M)
    assert re.search(r"^tagged\.yaml:1:9: .*YAML tag '!!python/object/apply", refused.out, re.M)
    assert "not installed" in refused.err and "Traceback" not in refused.err
    assert {p: p.read_bytes() for p in sources_dir.rglob("*") if p.is_file()} == snapshot
    assert not (sources_dir / "bad-flows").exists()
    assert "bad-fine" not in listed(run_cli)


def test_a_source_without_flows_or_with_an_id_twice_is_refused(run_cli, tmp_path, sources_dir):
    """No flow file at all, or one id in two files: refused, nothing installed."""
    empty = Repo(tmp_path / "empty")
    empty.write("docs/notes.yaml", flow())  # not at the root, not under flows/
    empty.commit(tag="v1")
    refused = run_cli("flows", "add", str(empty.path))
    assert refused.code == 2 and "no flow files" in refused.out

    twice = Repo(tmp_path / "twice")
    twice.write("flows/a.yaml", flow()).write("flows/b.yaml", flow())
    twice.commit(tag="v1")
    refused = run_cli("flows", "add", str(twice.path))
    assert refused.code == 2
    assert "flows/b.yaml: flow id 'friend-linkedin-ai' is also in flows/a.yaml" in refused.out
    assert not sources_dir.exists()


def test_a_symbolic_link_in_a_source_is_refused(run_cli, friend, tmp_path, sources_dir):
    """A flow file that is a link (it could point anywhere on this computer) is refused."""
    secret = tmp_path / "secret.yaml"
    secret.write_text(flow("secret-flow"))
    (friend.path / "flows" / "linked.yaml").symlink_to(secret)
    friend.commit(tag="v1.1.0")
    refused = run_cli("flows", "add", str(friend.path))
    assert refused.code == 2
    assert "flows/linked.yaml: a symbolic link; a source's flow files must be regular" in (
        refused.out
    )
    assert not sources_dir.exists()


def test_precedence_user_file_then_sources_then_bundled(run_cli, tmp_path, sources_dir):
    """A source's flow with a bundled id stays out of effect unless the source was added with
    --override-bundled; your own file beats both; `flows` lists each, and why."""
    repo = Repo(tmp_path / "shared")
    repo.write("flows/linkedin-ai-training.yaml", flow("linkedin-ai-training", "9.0.0"))
    commit = repo.commit(tag="v1.0.0")
    origin = f"source shared@{commit[:7]}"

    plain = run_cli("flows", "add", str(repo.path))
    assert plain.code == 0
    assert (
        "note: linkedin-ai-training from shared is not in effect: the bundled flow stays "
        "(source shared was added without --override-bundled)"
    ) in plain.out
    assert "--override-bundled`" in plain.out  # and how to allow it
    entry = listed(run_cli)["linkedin-ai-training"]
    assert entry["origin"] == "bundled" and entry["version"] == "2.0.0"
    assert [(s["origin"], s["version"]) for s in entry["shadowed"]] == [(origin, "9.0.0")]
    table = run_cli("flows").out
    assert f"{origin}, not in effect: the bundled flow stays" in table
    assert run_cli("run", "linkedin-ai-training", "--dry-run").out.startswith(
        "linkedin-ai-training 2.0.0 "
    )

    assert run_cli("flows", "remove", "shared").code == 0
    assert run_cli("flows", "add", str(repo.path), "--override-bundled").code == 0
    entry = listed(run_cli)["linkedin-ai-training"]
    assert entry["origin"] == origin and entry["version"] == "9.0.0" and entry["overrides"]
    assert entry["shadowed"][0]["origin"] == "bundled"
    assert run_cli("run", "linkedin-ai-training", "--dry-run").out.startswith(
        "linkedin-ai-training 9.0.0 "
    )
    assert f"{origin} (overrides the bundled one)" in run_cli("flows").out

    mine = tmp_path / "mine.yaml"
    mine.write_text(flow("linkedin-ai-training", "10.0.0"))
    assert run_cli("flows", "add", str(mine)).code == 0
    entry = listed(run_cli)["linkedin-ai-training"]
    assert entry["origin"] == "user" and entry["version"] == "10.0.0"
    assert {s["origin"]: s["why"] for s in entry["shadowed"]} == {
        "bundled": "your own flow overrides it",
        origin: "your own flow of this id overrides it",
    }


def test_update_does_not_move_back_to_an_older_newest_tag_unasked(run_cli, friend, sources_dir):
    """A source added at a commit past its newest tag stays there; --rev moves it back."""
    friend.write("flows/friend.yaml", flow(version="1.1.0-dev"))
    ahead = friend.commit()
    assert run_cli("flows", "add", f"{friend.path}@{ahead}").code == 0
    stays = run_cli("flows", "update", "friend-flows")
    assert stays.code == 0 and "is older than the commit in use" in stays.out
    assert registry(sources_dir)[0]["commit"] == ahead
    back = run_cli("flows", "update", "friend-flows", "--rev", "v1.0.0")
    assert back.code == 0 and "changed   friend-linkedin-ai 1.1.0-dev -> 1.0.0" in back.out
    assert registry(sources_dir)[0]["tag"] == "v1.0.0"


def test_a_damaged_registry_is_reported_not_a_traceback(run_cli, friend, sources_dir):
    """A hand-edited sources.json: the sources are left out and every command says why."""
    assert run_cli("flows", "add", str(friend.path)).code == 0
    (sources_dir / "sources.json").write_text("{not json")
    listing = run_cli("flows")
    assert listing.code == 0 and "warning: flow sources left out:" in listing.err
    assert run_cli("flows", "sources").code == 1
    unknown = run_cli("run", "friend-linkedin-ai", "--dry-run")
    assert unknown.code == 2 and "The flow sources were left out" in unknown.err
    assert "Traceback" not in listing.err + unknown.err


def test_a_flow_file_still_installs_as_your_own_and_takes_no_source_options(run_cli, tmp_path):
    """`flows add FILE` is unchanged; --name or --override-bundled with a file is bad usage."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(flow())
    assert run_cli("flows", "add", str(mine), "--override-bundled").code == 2
    added = run_cli("flows", "add", str(mine))
    assert added.code == 0 and "installed friend-linkedin-ai 1.0.0" in added.out
    assert not (tmp_path / "sources").exists()


def test_remove_takes_the_source_and_its_files_away(run_cli, friend, sources_dir):
    """`flows remove NAME`: out of the registry, its folder gone, its flows unknown."""
    assert run_cli("flows", "add", str(friend.path)).code == 0
    removed = run_cli("flows", "remove", "friend-flows")
    assert removed.code == 0 and "removed flow source friend-flows" in removed.out
    assert registry(sources_dir) == [] and not (sources_dir / "friend-flows").exists()
    assert "friend-linkedin-ai" not in listed(run_cli)
    unknown = run_cli("flows", "remove", "friend-flows")
    assert unknown.code == 2 and "no flow source named 'friend-flows'" in unknown.err


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("--upload-pack=touch pwned", "starts with '-'"),
        ("REPO@-v1", None),  # a revision that starts with '-' is not taken as one
        ("https://user:secret@example.org/flows.git", "carries a user name, password or token"),
        ("ext::sh -c touch% pwned", "refusing"),
        ("ssh://-oProxyCommand=touch%20pwned/x", "no valid host"),
    ],
    ids=["dash repo", "dash rev", "password", "ext transport", "ssh option host"],
)
def test_a_repository_or_revision_git_could_misread_is_refused(
    run_cli, friend, tmp_path, monkeypatch, argument, message
):
    """Options in disguise, a password in a URL, a transport that runs a program: exit 2,
    before git is asked, nothing written, no secret repeated."""
    monkeypatch.chdir(tmp_path)
    result = run_cli("flows", "add", "--", argument.replace("REPO", str(friend.path)))
    assert result.code == 2
    if message:
        assert message in result.err
    assert "secret" not in result.out + result.err
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "sources").exists()


def test_a_revision_starting_with_a_dash_or_unknown_is_refused(run_cli, friend, sources_dir):
    """`update --rev -x` is refused as an option in disguise; an unknown tag lists the tags."""
    assert run_cli("flows", "add", str(friend.path)).code == 0
    dash = run_cli("flows", "update", "friend-flows", "--rev=--output=x")
    assert dash.code == 2 and "starts with '-'" in dash.err
    missing = run_cli("flows", "add", f"{friend.path}@v9.9.9", "--name", "other")
    assert missing.code == 2
    assert "has no revision 'v9.9.9' (its newest tags: v1.0.0; branches: main)" in missing.err


def test_a_missing_repository_folder_is_exit_2(run_cli, tmp_path):
    """A folder that does not exist, or is not a git repository: said so, exit 2."""
    missing = run_cli("flows", "add", str(tmp_path / "nowhere"))
    assert missing.code == 2 and f"no such folder: {tmp_path / 'nowhere'}" in missing.err
    (tmp_path / "plain").mkdir()
    plain = run_cli("flows", "add", str(tmp_path / "plain"))
    assert plain.code == 2 and "could not fetch" in plain.err
    assert not (tmp_path / "sources").exists()


def test_git_runs_no_hook_and_ignores_the_git_settings_around_it(
    run_cli, friend, tmp_path, monkeypatch
):
    """Hooks in the source repository, and hooks a global git config points at (a clone runs
    reference-transaction hooks), never run; a GIT_DIR in the environment is ignored."""
    marker = tmp_path / "hook-ran"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "reference-transaction", "post-merge"):
        for folder in (hooks, friend.path / ".git" / "hooks"):
            hook = folder / name
            hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
            hook.chmod(0o755)
    global_config = tmp_path / "gitconfig"
    global_config.write_text(f"[core]\n\thooksPath = {hooks}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))

    added = run_cli("flows", "add", str(friend.path))
    assert added.code == 0, added.err
    assert not marker.exists()


def test_git_missing_or_too_slow_is_exit_1_with_the_command_and_its_timeout(
    run_cli, friend, tmp_path, monkeypatch
):
    """No git on PATH: said so. A git that hangs (and its children) is stopped at the
    timeout, which the message names."""
    from optout_bot.base import git

    sleep = shutil.which("sleep")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    missing = run_cli("flows", "add", str(friend.path))
    assert missing.code == 1 and "git is not installed" in missing.err

    hanging = bin_dir / "git"
    hanging.write_text(f"#!/bin/sh\n{sleep} 30 &\nwait\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(git, "FETCH_TIMEOUT", 0.5)
    started = time.monotonic()
    slow = run_cli("flows", "add", str(friend.path))
    assert slow.code == 1
    assert f"could not fetch {friend.path}: `git clone` took longer than 0.5 s" in slow.err
    assert time.monotonic() - started < 10  # its child was stopped too: no pipe left open
    assert not (tmp_path / "sources").exists()


def test_flows_sources_lists_each_source(run_cli, friend):
    """`flows sources` shows the name, tag and commit, and what update follows."""
    assert run_cli("flows", "sources").out.startswith("no flow sources yet")
    assert run_cli("flows", "add", f"{friend.path}@main", "--name", "tracking").code == 0
    out = run_cli("flows", "sources").out
    assert re.search(r"^tracking\s+v1\.0\.0 \([0-9a-f]{7}\)\s+branch main\s+no\s+1\s", out, re.M)


@pytest.mark.parametrize(
    ("text", "repo", "rev"),
    [
        ("https://example.org/f/flows.git@v1.2.0", "https://example.org/f/flows.git", "v1.2.0"),
        ("https://user@example.org/f/flows.git", "https://user@example.org/f/flows.git", None),
        ("ssh://git@example.org/f/flows.git@main", "ssh://git@example.org/f/flows.git", "main"),
        ("git@example.org:f/flows.git", "git@example.org:f/flows.git", None),
        ("git@example.org:f/flows.git@v1", "git@example.org:f/flows.git", "v1"),
        ("https://example.org/@v1", "https://example.org/@v1", None),
        ("./flows@release/2024", "./flows", "release/2024"),
        ("/srv/flows@-x", "/srv/flows@-x", None),
    ],
)
def test_the_revision_is_split_off_at_the_last_at_in_the_path(text, repo, rev):
    """`git@host:x` and `https://user@host/x` keep their @; a REV must read as one."""
    assert split_rev(text) == (repo, rev)
