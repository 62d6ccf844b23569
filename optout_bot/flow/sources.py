"""Flow sources: flows shared in a git repository, installed pinned to one commit.

`optout-bot flows add REPO[@REV]` fetches the repository (`base/git.py`: git as a subprocess,
one transport, no hooks, nothing checked out), takes REV or its newest tag (else its default
branch's head), validates every flow file of that commit (`*.yaml` and `*.yml` at its root
and anywhere under `flows/`; names starting with a dot are skipped), and installs a copy of
those files only, recording the exact commit. Nothing is installed while anything is wrong,
and every problem is reported. `flows update` does the same for a newer tag (or a given
revision) and switches only when everything is valid; `flows remove` takes a source away.

On disk, beside the settings file:

    sources/sources.json       the registry: each source in the order it was added
    sources/NAME/COMMIT/...    NAME's flow files at COMMIT, at their paths in the repository

A commit's files are written into a hidden folder and renamed into place whole; then the
registry (written atomically) names that commit. A scheduled run reads either the old
commit's files or the new one's, never a half-written folder. The commit before stays on
disk for a run that may be reading it; older ones go.

Which flow is in effect when ids collide is the catalog's (`catalog.available`): your own
file, then the sources in the order they were added, then the bundled flows; a source's
flow overrides a bundled one only when it was added with `--override-bundled`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optout_bot.base import git
from optout_bot.base.files import sync_folder, write_private
from optout_bot.base.names import is_source_name, site_slug
from optout_bot.base.paths import config_path, private_dir
from optout_bot.base.times import iso, utc_now
from optout_bot.flow.loader import MAX_FILE_BYTES, FlowErrors, load_flows, load_flows_data
from optout_bot.flow.model import Flow

REGISTRY = "sources.json"
REGISTRY_FORMAT = 1
#: A source with more flow files than this is refused (each is read and validated).
MAX_FILES = 200
#: What `update` moves a source to when no revision is given.
NEWEST_TAG = "newest tag"
_BRANCH = "branch "
_SUFFIXES = (".yaml", ".yml")
#: A folder or file name in a source, as it will be on every platform's disk.
_NAME_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+ -]{0,99}")
_MAX_DEPTH = 8
_LOCK_SECONDS = 30


class SourceError(Exception):
    """A source that is refused or could not be fetched: the message, every problem found
    (``file:line:col: ...``), and the exit code (2: the source or what was typed is at fault;
    1: git, the network or the disk)."""

    def __init__(self, message: str, problems: list[str] | None = None, exit_code: int = 2):
        super().__init__(message)
        self.problems = problems or []
        self.exit_code = exit_code


def sources_dir() -> Path:
    """Where sources are installed: `sources/` beside the settings file."""
    return config_path().parent / "sources"


@dataclass(frozen=True)
class Source:
    """One source in the registry."""

    name: str
    #: the repository as given (a local folder as its absolute path); never with a password
    url: str
    #: what `update` moves to: "newest tag" (else the default branch's head), or "branch X"
    follows: str
    #: the revision asked for at the last add or update (None: the newest tag)
    rev: str | None
    #: the exact commit in use, 40 hex digits
    commit: str
    #: the tag at that commit, if there is one
    tag: str | None
    #: whether this source's flows may override bundled flows of the same id
    override_bundled: bool
    added: str
    updated: str
    #: its flow files, paths as in the repository
    files: tuple[str, ...]

    @property
    def folder(self) -> Path:
        return sources_dir() / self.name / self.commit

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def origin(self) -> str:
        """How `flows` names where a flow comes from: ``source NAME@abc1234``."""
        return f"source {self.name}@{self.short}"

    @property
    def at(self) -> str:
        """The tag and the commit, for people: ``v1.1.0 (abc1234)``."""
        return f"{self.tag} ({self.short})" if self.tag else self.short

    def paths(self) -> list[Path]:
        return [self.folder / rel for rel in self.files]

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["files"] = list(self.files)
        return data

    @classmethod
    def from_json(cls, data: object) -> Source:
        if not isinstance(data, dict):
            raise ValueError("a source is not a mapping")
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in fields}
        values["files"] = tuple(values.get("files") or ())
        source = cls(**values)
        texts = (source.name, source.url, source.follows, source.commit, source.added,
                 source.updated, *source.files)  # fmt: skip
        if not all(isinstance(t, str) for t in texts) or not all(
            isinstance(t, (str, type(None))) for t in (source.rev, source.tag)
        ):
            raise ValueError(f"a value of source {source.name!r} is not text")
        if not isinstance(source.override_bundled, bool):
            raise ValueError(f"override_bundled of {source.name!r} is not true or false")
        if not is_source_name(source.name) or not re.fullmatch(r"[0-9a-f]{40}", source.commit):
            raise ValueError(f"not a valid source: {source.name!r}")
        if any(not _safe_path(rel) for rel in source.files):
            raise ValueError(f"source {source.name!r} names a file outside its folder")
        return source


# -- the registry -----------------------------------------------------------------------------


def registered() -> list[Source]:
    """Every source, in the order added. `SourceError` (exit 1) when the registry cannot be
    read: it is only ever written whole, so that means someone edited it."""
    path = sources_dir() / REGISTRY
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}", exit_code=1) from None
    try:
        data = json.loads(text)
        return [Source.from_json(item) for item in data["sources"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(
            f"{path} is damaged ({exc}); fix it, or remove it and add the sources again",
            exit_code=1,
        ) from None


def find(name: str) -> Source:
    sources = registered()
    for source in sources:
        if source.name == name:
            return source
    raise _unknown(name, sources)


def _unknown(name: str, sources: list[Source]) -> SourceError:
    known = ", ".join(s.name for s in sources) or "none yet"
    return SourceError(f"no flow source named {name!r} (sources: {known})")


def _save(sources: list[Source]) -> None:
    data = {"format": REGISTRY_FORMAT, "sources": [s.to_json() for s in sources]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_private(sources_dir() / REGISTRY, text.encode("utf-8"), replace=True)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """One change to the sources at a time (two `flows update` at once would each write the
    registry from what they read)."""
    from filelock import FileLock, Timeout

    private_dir(sources_dir())
    try:
        with FileLock(str(sources_dir() / ".lock"), timeout=_LOCK_SECONDS):
            yield
    except Timeout:
        raise SourceError(
            "another optout-bot is changing the flow sources; try again when it is done",
            exit_code=1,
        ) from None


# -- a source at one commit, checked ----------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A repository's flow files at one commit, every one valid: what `add` and `switch`
    install."""

    url: str
    commit: str
    tag: str | None
    follows: str
    rev: str | None
    #: path in the repository -> the file's bytes
    files: dict[str, bytes]
    #: path in the repository -> its flows
    flows: dict[str, tuple[Flow, ...]]
    #: the newest tag is older than the commit in use (`prepare(current=...)`)
    behind: bool = False

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def at(self) -> str:
        return f"{self.tag} ({self.short})" if self.tag else self.short


def prepare(
    repo: str, rev: str | None = None, *, follows: str | None = None, current: str | None = None
) -> Snapshot:
    """Fetch `repo` and check its flows at `rev` (else what `follows` says: the newest tag,
    else the default branch's head; or a branch's head). `current`: the commit in use, to
    tell whether the newest tag is behind it. `SourceError` with every problem when anything
    is wrong; nothing is written."""
    try:
        if rev is not None:
            git.check_rev(rev)
        remote = git.remote(repo)
        url = remote.url if remote.local else git.shown(repo)
        with git.cloned(remote) as clone:
            commit, tag, follows = _pick(clone, url, rev, follows)
            behind = bool(
                rev is None and current and current != commit and clone.is_ancestor(commit, current)
            )
            files, problems = _files(clone, commit)
    except git.GitError as exc:
        raise SourceError(str(exc), exit_code=2 if exc.input_error else 1) from None
    where = f"{url} at {f'{tag} ({commit[:7]})' if tag else commit[:7]}"
    flows: dict[str, tuple[Flow, ...]] = {}
    for rel, data in files.items():
        try:
            flows[rel] = load_flows_data(data, rel)
        except FlowErrors as errors:
            problems += [str(e) for e in errors.errors]
    seen: dict[str, str] = {}
    for rel, found in flows.items():
        for flow in found:
            if flow.id in seen:
                problems.append(
                    f"{rel}: flow id {flow.id!r} is also in {seen[flow.id]}; each id once"
                )
            seen.setdefault(flow.id, rel)
    if problems:
        raise SourceError(f"{where}: not installed ({len(problems)} problem(s))", problems)
    return Snapshot(url, commit, tag, follows, rev, files, flows, behind)


def _pick(
    clone: git.Clone, url: str, rev: str | None, follows: str | None
) -> tuple[str, str | None, str]:
    """(commit, its tag, what update follows from now on)."""
    tags = clone.tags()
    branches = clone.branches()
    tag_names = {name for name, _ in tags}
    if rev is not None:
        commit = clone.commit(rev)
        if commit is None:
            some = ", ".join(name for name, _ in tags[:5]) or "none"
            more = f"; branches: {', '.join(list(branches)[:5])}" if branches else ""
            raise SourceError(f"{url} has no revision {rev!r} (its newest tags: {some}{more})")
        tag = rev if rev in tag_names else next((t for t, c in tags if c == commit), None)
        is_branch = rev in branches and rev not in tag_names
        return commit, tag, f"{_BRANCH}{rev}" if is_branch else NEWEST_TAG
    if follows and follows.startswith(_BRANCH):
        branch = follows[len(_BRANCH) :]
        if branch not in branches:
            raise SourceError(f"{url} has no branch {branch!r} any more; give a revision")
        commit = branches[branch]
        return commit, next((t for t, c in tags if c == commit), None), follows
    if tags:
        tag, commit = tags[0]
        return commit, tag, NEWEST_TAG
    default = clone.default_branch()
    if default is None:
        raise SourceError(f"{url} has no commits (no tags and no default branch)")
    return branches[default], None, NEWEST_TAG


def _in_scope(path: str) -> bool:
    """A flow file's place: the root, or anywhere under flows/; no dot-files (tool configs
    such as .pre-commit-config.yaml)."""
    parts = path.split("/")
    if any(part.startswith(".") for part in parts):
        return False
    if not path.lower().endswith(_SUFFIXES):
        return False
    return len(parts) == 1 or parts[0] == "flows"


def _safe_path(path: str) -> bool:
    parts = path.split("/")
    return 0 < len(parts) <= _MAX_DEPTH and all(_NAME_PART.fullmatch(p) for p in parts)


def _files(clone: git.Clone, commit: str) -> tuple[dict[str, bytes], list[str]]:
    """The flow files of `commit` (path -> bytes), and every problem with them."""
    problems: list[str] = []
    wanted: list[git.TreeEntry] = []
    folded: dict[str, str] = {}
    for entry in clone.tree(commit):
        if entry.path != "flows" and not _in_scope(entry.path):
            continue
        if not entry.regular:
            problems.append(
                f"{entry.path}: {entry.what}; a source's flow files must be regular files "
                "(a link could point outside the repository)"
            )
        elif entry.size is not None and entry.size > MAX_FILE_BYTES:
            problems.append(
                f"{entry.path}: file is larger than {MAX_FILE_BYTES // 1024} KiB (a flow is "
                "much smaller)"
            )
        elif not _safe_path(entry.path):
            problems.append(
                f"{entry.path!r}: a name optout-bot will not write; use letters, digits, "
                "'.', '_', '-', '+' and spaces, at most 8 folders deep"
            )
        elif entry.path.lower() in folded:
            problems.append(
                f"{entry.path}: the same name as {folded[entry.path.lower()]} on a disk that "
                "ignores case"
            )
        else:
            folded[entry.path.lower()] = entry.path
            wanted.append(entry)
    if len(wanted) > MAX_FILES:
        problems.append(f"{len(wanted)} flow files; a source may have at most {MAX_FILES}")
        return {}, problems
    if not wanted and not problems:
        problems.append(
            "no flow files: a source has *.yaml or *.yml files at its root or under flows/"
        )
    return {e.path: clone.blob(e.oid) for e in wanted}, problems


# -- installing, updating, removing -----------------------------------------------------------


def default_name(url: str) -> str:
    """A source's name from its repository's last path component: ``friends-flows`` for
    ``https://example.org/friend/friends-flows.git``."""
    tail = re.split(r"[/:\\]", url.rstrip("/\\"))[-1]
    tail = tail[:-4] if tail.lower().endswith(".git") else tail
    return site_slug(tail) if re.search(r"[A-Za-z0-9]", tail) else ""


def name_for(repo: str, name: str | None) -> str:
    """The name a new source of `repo` gets (`name`, else `default_name`), checked before
    anything is fetched: `SourceError` when it cannot name a source or one has it."""
    try:
        remote = git.remote(repo)  # what is wrong with the repository is said first
    except git.GitError as exc:
        raise SourceError(str(exc), exit_code=2 if exc.input_error else 1) from None
    name = name or default_name(remote.url)
    check_name(name)
    if any(s.name == name for s in registered()):
        raise _taken(name)
    return name


def _taken(name: str) -> SourceError:
    return SourceError(
        f"there is already a flow source named {name!r}: `optout-bot flows update {name}` "
        "moves it to a newer commit; --name gives this one another name"
    )


def add(snapshot: Snapshot, name: str, *, override_bundled: bool) -> Source:
    """Install a checked snapshot as a new source named `name` (see `name_for`)."""
    check_name(name)
    with _locked():
        sources = registered()
        if any(s.name == name for s in sources):
            raise _taken(name)
        # Files of an earlier, unfinished add of this name (the registry never named them).
        shutil.rmtree(sources_dir() / name, ignore_errors=True)
        _install(name, snapshot)
        now = iso(utc_now())
        source = Source(
            name, snapshot.url, snapshot.follows, snapshot.rev, snapshot.commit, snapshot.tag,
            override_bundled, now, now, tuple(snapshot.files),
        )  # fmt: skip
        _save([*sources, source])
    return source


def check_name(name: str) -> None:
    if not is_source_name(name):
        raise SourceError(
            f"{name!r} cannot name a flow source: give --name NAME, 2 to 64 lowercase letters, "
            "digits and '-' (e.g. friends-flows)"
        )


def switch(source: Source, snapshot: Snapshot) -> Source:
    """Move `source` to a checked snapshot: its files first, then the registry."""
    with _locked():
        sources = registered()
        if source.name not in {s.name for s in sources}:
            raise SourceError(f"flow source {source.name!r} was removed meanwhile")
        _install(source.name, snapshot)
        moved = dataclasses.replace(
            source, commit=snapshot.commit, tag=snapshot.tag, follows=snapshot.follows,
            rev=snapshot.rev, updated=iso(utc_now()), files=tuple(snapshot.files),
        )  # fmt: skip
        _save([moved if s.name == source.name else s for s in sources])
        # The commit before stays for a run that is reading it; the ones before it go.
        keep = {moved.commit, source.commit}
        for folder in (sources_dir() / source.name).iterdir():
            if folder.name not in keep and not folder.name.startswith("."):
                shutil.rmtree(folder, ignore_errors=True)
    return moved


def remove(name: str) -> Source:
    with _locked():
        sources = registered()
        source = next((s for s in sources if s.name == name), None)
        if source is None:
            raise _unknown(name, sources)
        _save([s for s in sources if s.name != name])
        shutil.rmtree(sources_dir() / name, ignore_errors=True)
    return source


def _install(name: str, snapshot: Snapshot) -> Path:
    """The snapshot's files in `sources/NAME/COMMIT/`, put there whole (a rename)."""
    base = private_dir(sources_dir() / name)
    target = base / snapshot.commit
    staging = Path(tempfile.mkdtemp(prefix=f".{snapshot.short}.", dir=base))
    try:
        for rel, data in snapshot.files.items():
            write_private(staging.joinpath(*rel.split("/")), data, replace=False)
        if target.exists():  # left by an earlier add or update that did not finish
            shutil.rmtree(target)
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SourceError(f"could not install {name}: {exc}", exit_code=1) from None
    sync_folder(base)
    return target


# -- what an update changes -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What happens to one flow id: "added", "removed", "changed" or "unchanged"."""

    kind: str
    id: str
    old_version: str | None = None
    new_version: str | None = None
    file: str | None = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"added     {self.id} {self.new_version} ({self.file})"
        if self.kind == "removed":
            return f"removed   {self.id} {self.old_version}"
        if self.kind == "unchanged":
            return f"unchanged {self.id} {self.new_version}"
        if self.old_version == self.new_version:
            how = f"{self.new_version}, changed without a new version"
        else:
            how = f"{self.old_version} -> {self.new_version}"
        return f"changed   {self.id} {how} ({self.file})"


def _installed_flows(source: Source) -> dict[str, Flow | None]:
    """The source's flows in use, by id (None: a file that no longer loads)."""
    from optout_bot.flow.catalog import ids_in

    flows: dict[str, Flow | None] = {}
    for path in source.paths():
        try:
            flows.update((f.id, f) for f in load_flows(path))
        except FlowErrors:
            flows.update((i, None) for i in ids_in(path))
    return flows


def changes(source: Source, snapshot: Snapshot) -> list[Change]:
    """Each flow id of the source before and after, and how it changes."""
    from optout_bot.flow.writer import flow_data

    old = _installed_flows(source)
    new = {f.id: (f, rel) for rel, flows in snapshot.flows.items() for f in flows}
    found = []
    for flow_id in sorted(old.keys() | new.keys()):
        before = old.get(flow_id)
        if flow_id not in new:
            found.append(Change("removed", flow_id, before.version if before else "?"))
            continue
        after, rel = new[flow_id]
        if flow_id not in old:
            found.append(Change("added", flow_id, None, after.version, rel))
        elif before is not None and flow_data(before) == flow_data(after):
            found.append(Change("unchanged", flow_id, before.version, after.version, rel))
        else:
            old_version = before.version if before else "?"
            found.append(Change("changed", flow_id, old_version, after.version, rel))
    return found


def diff(source: Source, snapshot: Snapshot) -> str:
    """A unified diff of the source's files from the commit in use to the snapshot's."""
    out: list[str] = []
    for rel in sorted(set(source.files) | set(snapshot.files)):
        path = source.folder.joinpath(*rel.split("/"))
        before = path.read_bytes() if rel in source.files and path.is_file() else b""
        after = snapshot.files.get(rel, b"")
        if before == after:
            continue
        out += difflib.unified_diff(
            before.decode("utf-8", "replace").splitlines(keepends=True),
            after.decode("utf-8", "replace").splitlines(keepends=True),
            f"a/{rel} ({source.short})" if rel in source.files else "/dev/null",
            f"b/{rel} ({snapshot.short})" if rel in snapshot.files else "/dev/null",
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def not_in_effect(name: str) -> dict[str, str]:
    """The flow ids of source `name` that another flow of the same id keeps out of effect,
    and why (the catalog's words)."""
    from optout_bot.flow.catalog import available

    hidden = {}
    for entry in available().values():
        if entry.source == name:
            continue
        for other in entry.shadowed:
            if other.source == name:
                hidden[entry.id] = other.why
    return hidden
