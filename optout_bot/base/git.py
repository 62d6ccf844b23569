"""Running git on someone else's repository, safely: the one place optout-bot starts git.

A flow source (`flow/sources.py`) is a repository a stranger may control, so git is run
as a tool, never as a shell, and told to trust nothing of its own surroundings:

- a subprocess with an argument list (no shell), stdin closed, output captured, and a
  timeout after which git and whatever it started (ssh, a remote helper) are killed;
- no system or global git config (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL`), no inherited
  `GIT_*` variables (a `GIT_DIR` from a hook would point git elsewhere), no prompts (no
  terminal, no askpass, ssh in batch mode), hooks off (`core.hooksPath`), no fsmonitor;
- one transport only: `protocol.allow=never` and the scheme of the URL given allowed (`file`
  for a local folder), so a repository cannot send git on to `ext::` or another scheme;
  no submodules; every object checked as it arrives (`transfer.fsckObjects`);
- the clone is bare and never checked out: files are read from git's objects (`ls-tree`,
  `cat-file`), so no file of the repository is written by git, and a symbolic link in it is
  a tree entry to refuse, not a path to follow;
- a repository or revision that starts with `-` is refused before git sees it, and `--` or
  `--end-of-options` comes before every positional argument anyway.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

#: Seconds a clone may take (the whole repository comes over the network).
FETCH_TIMEOUT = 120.0
#: Seconds any other git command may take (they read the local clone).
LOCAL_TIMEOUT = 30.0
#: The URL schemes a source may use; `file` is also a local folder's.
SCHEMES = ("https", "http", "ssh", "git", "file")

#: A revision as people write one: a tag, a branch, a commit (no `^`, `~`, `:`, `@{`).
_REV = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/+-]{0,199}")
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<path>.*)")
#: `[user@]host:path`, git's scp-like ssh address (no `/` before the colon).
_SCP = re.compile(r"(?P<authority>(?:[^@/:]+@)?[^/:@]+):(?P<path>.*)")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_HEX40 = re.compile(r"[0-9a-f]{40}")


class GitError(Exception):
    """git could not do what was asked; the message says what, in words. `input_error`: the
    repository or revision given is at fault (exit 2), not the network or git (exit 1)."""

    def __init__(self, message: str, *, input_error: bool = False) -> None:
        super().__init__(message)
        self.input_error = input_error


@dataclass(frozen=True)
class Remote:
    """A repository as optout-bot fetches it: `url` is what git is given (a local folder as
    an absolute path), `scheme` the one transport allowed for it."""

    url: str
    scheme: str

    @property
    def local(self) -> bool:
        return self.scheme == "file"


def split_rev(text: str) -> tuple[str, str | None]:
    """``REPO@REV`` into the repository and the revision (None when there is none).

    The last ``@`` starts a revision only when it is in the repository's path (after the
    host of a URL or the ``host:`` of an scp-like address, so ``git@host:x`` and
    ``https://user@host/x`` keep theirs), what follows reads as a revision, and what
    precedes names a whole repository (a path that is not empty and does not end in
    ``/``). A local folder whose own name has an ``@`` in it is taken whole when it exists."""
    head, sep, tail = text.rpartition("@")
    if not sep or not head or not _is_rev(tail) or any(c in text for c in "\0\r\n"):
        return text, None
    address = None if _looks_local(text) else (_URL.fullmatch(text) or _SCP.fullmatch(text))
    if address is not None:
        path = address.group("path")
        if "@" not in path or not _whole(path.rpartition("@")[0]):
            return text, None
        return head, tail
    if _path(text).exists():
        return text, None
    return (head, tail) if _whole(head) else (text, None)


def _path(text: str) -> Path:
    """`text` as a path, ``~`` expanded when it can be (``~nobody/x`` stays as written)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        return Path(text)


def _whole(path: str) -> bool:
    return bool(path.strip("/")) and not path.endswith(("/", "\\", ":"))


def _is_rev(text: str) -> bool:
    return bool(_REV.fullmatch(text)) and ".." not in text and not text.endswith((".lock", "/"))


def check_rev(rev: str) -> str:
    """`rev` if it reads as a tag, a branch or a commit; `GitError` otherwise."""
    if rev.startswith("-"):
        raise GitError(f"refusing revision {rev!r}: it starts with '-'", input_error=True)
    if not _is_rev(rev):
        raise GitError(
            f"refusing revision {rev!r}: give a tag, a branch or a commit (letters, digits, "
            "'.', '_', '/', '+', '-')",
            input_error=True,
        )
    return rev


def _looks_local(text: str) -> bool:
    return text.startswith(("/", "./", "../", "~", ".\\", "..\\")) or bool(
        _WINDOWS_DRIVE.match(text)
    )


def remote(text: str) -> Remote:
    """The repository `text` names: a URL (https, http, ssh, git, file), an scp-like
    ``[user@]host:path``, or a local folder. `GitError(input_error=True)` for anything else,
    and for a URL that carries a password or token (it would be kept and shown)."""
    if not text.strip():
        raise GitError("no repository given", input_error=True)
    if text.startswith("-"):
        raise GitError(f"refusing repository {text!r}: it starts with '-'", input_error=True)
    if any(c in text for c in "\0\r\n"):
        raise GitError("refusing a repository with a control character in it", input_error=True)
    url, scp = _URL.fullmatch(text), _SCP.fullmatch(text)
    if _looks_local(text) or (not url and not scp) or _path(text).is_dir():
        return _local(text)
    if url:
        scheme = url.group("scheme").lower()
        authority = url.group("authority")
        if scheme not in SCHEMES:
            allowed = ", ".join(SCHEMES)
            raise GitError(
                f"refusing {scheme}:// (a source is fetched over {allowed}, or from a folder)",
                input_error=True,
            )
        if scheme == "file":
            if authority not in ("", "localhost"):
                raise GitError("a file:// URL names a folder on this computer", input_error=True)
            return _local(unquote(url.group("path")))
        _check_authority(authority, scheme, text)
        return Remote(text, scheme)
    assert scp is not None
    if "::" in text:
        raise GitError(
            "refusing a transport::address repository (git would run a program for it)",
            input_error=True,
        )
    _check_authority(scp.group("authority"), "ssh", text)
    return Remote(text, "ssh")


def _check_authority(authority: str, scheme: str, text: str) -> None:
    userinfo, at, host = authority.rpartition("@")
    if host.startswith("-") or not host.strip("[]"):
        raise GitError(f"refusing repository {shown(text)!r}: no valid host", input_error=True)
    if at and (":" in userinfo or scheme in ("https", "http")):
        raise GitError(
            f"refusing {shown(text)}: its URL carries a user name, password or token, which "
            "optout-bot would record and show. Give the URL without it (a public repository, "
            "or an ssh URL with your key)",
            input_error=True,
        )


def _local(text: str) -> Remote:
    folder = _path(text)
    if not folder.is_dir():
        raise GitError(f"no such folder: {text}", input_error=True)
    return Remote(str(folder.resolve()), "file")


def shown(url: str) -> str:
    """`url` safe to print: ``https://user:secret@host/`` (or any https user part, which may
    be a token) loses its user part; ``ssh://git@host/`` keeps its user name."""
    match = _URL.fullmatch(url)
    if not match or "@" not in match.group("authority"):
        return url
    userinfo, _, host = match.group("authority").rpartition("@")
    if ":" not in userinfo and match.group("scheme").lower() not in ("https", "http"):
        return url
    return f"{match.group('scheme')}://…@{host}{match.group('path')}"


# -- running git ------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_") and k not in ("SSH_ASKPASS", "SSH_ASKPASS_REQUIRE")
    }
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="",
        SSH_ASKPASS_REQUIRE="never",
        # No password or passphrase prompt, no "trust this host key?" question.
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_OPTIONAL_LOCKS="0",
        LC_ALL="C",
        LANGUAGE="C",
    )
    return env


def _config(scheme: str | None) -> list[str]:
    settings = [
        f"core.hooksPath={os.devnull}",
        "core.fsmonitor=false",
        "core.askPass=",
        "credential.helper=",
        "protocol.allow=never",
        "submodule.recurse=false",
        "transfer.fsckObjects=true",
        "gc.auto=0",
        "maintenance.auto=false",
        # v1.0.0-rc1 before v1.0.0 when tags are sorted as versions.
        "versionsort.suffix=-",
    ]
    if scheme is not None:
        settings.append(f"protocol.{scheme}.allow=always")
    return [arg for setting in settings for arg in ("-c", setting)]


def run_git(
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float = LOCAL_TIMEOUT,
    scheme: str | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """git `args` in `cwd` with the settings above (`scheme`: the one transport allowed).

    Popen rather than `subprocess.run`: on a timeout, git's own children (ssh, a remote
    helper) are killed with it (its process group), so no pipe stays open waiting for them.
    `GitError` when git is missing or times out; git's own failures are in the result."""
    argv = ["git", *_config(scheme), *args]
    posix = os.name == "posix"
    if not cwd.is_dir():  # else Popen's FileNotFoundError would read as "no git"
        raise GitError(f"no folder {cwd} to run git in")
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            shell=False,
            start_new_session=posix,
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if not posix else 0,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed (or not on PATH): optout-bot runs git to fetch a flow "
            "source. Install git and try again."
        ) from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc, posix)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        command = next((a for a in args if not a.startswith("-")), "")
        raise GitError(f"`git {command}` took longer than {timeout:g} s and was stopped") from None
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def _kill(proc: subprocess.Popen[bytes], posix: bool) -> None:
    if posix:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's own explanation: its last lines of stderr that say something."""
    lines = [
        line.strip()
        for line in result.stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and not line.startswith("hint:")
    ]
    return "; ".join(lines[-3:]) or f"git exited with {result.returncode}"


# -- a fetched repository ---------------------------------------------------------------------


@dataclass(frozen=True)
class TreeEntry:
    """One file of a commit, as `git ls-tree -r -l` lists it."""

    mode: str
    kind: str
    oid: str
    #: bytes (None for a submodule)
    size: int | None
    path: str

    @property
    def regular(self) -> bool:
        return self.kind == "blob" and self.mode in ("100644", "100755")

    @property
    def what(self) -> str:
        if self.mode == "120000":
            return "a symbolic link"
        if self.kind == "commit":
            return "a submodule"
        return "not a regular file"


class Clone:
    """A bare clone of a repository (its refs and objects, no files checked out)."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return run_git([f"--git-dir={self.git_dir}", *args], cwd=self.git_dir)

    def _out(self, *args: str) -> str:
        result = self._git(*args)
        if result.returncode != 0:
            raise GitError(f"`git {args[0]}` failed: {_said(result)}")
        return result.stdout.decode("utf-8", "replace")

    def tags(self) -> list[tuple[str, str]]:
        """(tag, commit) for every tag that names a commit, newest version first."""
        out = self._out(
            "for-each-ref",
            "--sort=-version:refname",
            "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)"
            "%00%(*objectname)",
            "refs/tags",
        )
        tags = []
        for line in out.splitlines():
            name, kind, oid, peeled_kind, peeled = (line.split("\0") + [""] * 5)[:5]
            if kind == "commit":
                tags.append((name, oid))
            elif kind == "tag" and peeled_kind == "commit":
                tags.append((name, peeled))
        return tags

    def branches(self) -> dict[str, str]:
        out = self._out("for-each-ref", "--format=%(refname:strip=2)%00%(objectname)", "refs/heads")
        branches = {}
        for line in out.splitlines():
            name, _, oid = line.partition("\0")
            branches[name] = oid
        return branches

    def default_branch(self) -> str | None:
        """The branch the repository's HEAD names (None when it names none that exists)."""
        result = self._git("symbolic-ref", "--quiet", "--short", "HEAD")
        name = result.stdout.decode("utf-8", "replace").strip()
        return name if result.returncode == 0 and name in self.branches() else None

    def commit(self, rev: str) -> str | None:
        """The 40-hex commit `rev` names, None when it names none."""
        check_rev(rev)
        result = self._git(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
        )
        oid = result.stdout.decode("ascii", "replace").strip()
        return oid if result.returncode == 0 and _HEX40.fullmatch(oid) else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether commit `older` is in `newer`'s history."""
        return self._git("merge-base", "--is-ancestor", older, newer).returncode == 0

    def tree(self, commit: str) -> list[TreeEntry]:
        """Every file of `commit` (recursively), with modes and sizes."""
        if not _HEX40.fullmatch(commit):
            raise GitError(f"not a commit id: {commit!r}")
        result = self._git("ls-tree", "-r", "-l", "-z", "--full-tree", commit)
        if result.returncode != 0:
            raise GitError(f"`git ls-tree` failed: {_said(result)}")
        entries = []
        for record in result.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, oid, size = meta.decode("ascii", "replace").split()
            path = raw_path.decode("utf-8", "surrogateescape")
            entries.append(TreeEntry(mode, kind, oid, int(size) if size.isdigit() else None, path))
        return entries

    def blob(self, oid: str) -> bytes:
        result = self._git("cat-file", "blob", oid)
        if result.returncode != 0:
            raise GitError(f"`git cat-file` failed: {_said(result)}")
        return result.stdout


@contextlib.contextmanager
def cloned(source: Remote, *, timeout: float | None = None) -> Iterator[Clone]:
    """A bare clone of `source` in a temporary folder, removed when the block ends.
    `GitError` when git cannot fetch it (`input_error` for a local folder that is not a
    repository)."""
    # Removed however the block ends (read-only pack files included, which Windows keeps
    # otherwise: TemporaryDirectory makes them writable first).
    with tempfile.TemporaryDirectory(
        prefix="optout-bot-source-", ignore_cleanup_errors=True
    ) as tmp:
        git_dir = Path(tmp) / "repository.git"
        # --no-local: fetched through git's transport (and its checks), never by copying or
        # hard-linking the folder's files; --template=: no hooks or files of any template;
        # bare: nothing is checked out.
        clone = ["clone", "--bare", "--quiet", "--no-local", "--template=", "--", source.url]
        try:
            result = run_git(
                [*clone, str(git_dir)],
                cwd=Path(tmp),
                timeout=timeout or FETCH_TIMEOUT,
                scheme=source.scheme,
            )
        except GitError as exc:
            raise GitError(f"could not fetch {shown(source.url)}: {exc}") from None
        if result.returncode != 0 or not git_dir.is_dir():
            raise GitError(
                f"could not fetch {shown(source.url)}: {_said(result)}",
                input_error=source.local,
            )
        yield Clone(git_dir)
