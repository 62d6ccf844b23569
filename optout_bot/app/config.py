"""optout-bot's settings file: ``config.toml`` in the user's config folder.

The file is optional and every key in it is optional; a missing file means the defaults.
``$OPTOUT_BOT_CONFIG`` points at another file. Example::

    profile = "default"
    cdp = "auto"                              # attach to your running browser (or a URL)
    platform = "desktop"                      # or "mobile"
    evidence_dir = "~/Documents/optout-evidence"
    notify = ["ntfy://ntfy.sh/my-secret-topic", "mailto://me:app-password@gmail.com"]
    desktop_notifications = true
    flows = ["linkedin-ai-training"]          # what --all looks after (`flows enable`)
    login_timeout = 300                       # seconds
    timeout = 15                              # seconds, per step
    run_timeout = 300                         # seconds, a whole run (sign-in wait excluded)
    timestamp_urls = ["http://timestamp.digicert.com"]  # RFC 3161 TSAs, in order; [] = off
    timestamp_timeout = 5                     # seconds each TSA may take

A bad file is never half-used: `load_config` raises `ConfigError` naming the file, each bad
key and what it expects. Notification URLs often carry tokens or passwords, so nothing here
prints them in full: `base.redact.redact()` keeps the scheme and the host only.
"""

from __future__ import annotations

import datetime
import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from optout_bot.base import paths
from optout_bot.base.names import is_flow_id, is_profile_name
from optout_bot.base.paths import config_path
from optout_bot.base.redact import redact
from optout_bot.evidence.timestamping import DEFAULT_URLS, TIMEOUT_S, url_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


#: Apprise URLs are `scheme://...` (https://github.com/caronc/apprise/wiki).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")

Platform = Literal["desktop", "mobile"]


class ConfigError(Exception):
    """The settings file cannot be used; the message says where and what to change."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Config:
    """The settings in effect: the file's values over the defaults."""

    profile: str = "default"
    #: Attach to the person's running browser: "auto" (the one that allows debugging) or a
    #: DevTools URL; None: launch the kept profile. ``--profile`` on the command line wins.
    cdp: str | None = None
    evidence_dir: Path = field(default_factory=paths.default_evidence_dir)
    platform: Platform = "desktop"
    #: Apprise notification URLs (secrets-ish: show them with `redact()`).
    notify: tuple[str, ...] = ()
    desktop_notifications: bool = True
    #: The flows `run --all`, `verify --all` and `check --all` look after (`flows enable` /
    #: `flows disable`); unset: the AI-training setting of each bundled site.
    flows: tuple[str, ...] = ()
    login_timeout: float = 300.0
    timeout: float = 15.0
    #: the longest a whole run may take, the wait for a sign-in by hand excluded
    run_timeout: float = 300.0
    #: RFC 3161 time-stamping authorities, asked in order for each new record's hash (only
    #: the hash is sent); empty: records are not time-stamped (see evidence/timestamping.py)
    timestamp_urls: tuple[str, ...] = DEFAULT_URLS
    #: seconds each time-stamping authority may take to answer
    timestamp_timeout: float = TIMEOUT_S
    #: The settings file looked at (it may not exist: then every setting is a default).
    path: Path | None = field(default=None, compare=False)
    #: The keys the file set; every other key has its default.
    from_file: frozenset[str] = field(default=frozenset(), compare=False)

    def source(self, key: str) -> Literal["file", "default"]:
        return "file" if key in self.from_file else "default"

    def settings(self) -> dict[str, Any]:
        """Setting name -> value, in the documented order (what `optout-bot config` shows)."""
        return {name: getattr(self, name) for name in KEYS}


def load_config(path: Path | None = None) -> Config:
    """Read the settings file (`config_path()` unless given); a missing file = defaults."""
    path = Path(path) if path is not None else config_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read it: {exc.strerror or exc}"]) from None
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_toml_problem(path, exc)]) from None
    return _from_table(table, path)


# -- validation -------------------------------------------------------------------------------


def _toml_problem(path: Path, exc: Exception) -> str:
    # tomllib's messages end with "(at line L, column C)"; put the position where editors
    # and terminals expect it (FILE:LINE:COL) and keep the rest as the problem.
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match:
        line, col = match.groups()
        return f"{path}:{line}:{col}: not valid TOML: {message[: match.start()]}"
    return f"{path}: not valid TOML: {message}"


def _kind(value: object) -> str:
    """How TOML names the type of `value` ("a string", "a table", ...)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return "a date-time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time"
    return type(value).__name__


class _Invalid(Exception):
    """One key's problem: what it must be, and what it was instead."""

    def __init__(self, expected: str, got: str, where: str = "") -> None:
        super().__init__(expected)
        self.expected, self.got, self.where = expected, got, where


def _profile(value: object, base: Path) -> str:
    expected = "must be a profile name (letters, digits, '.', '_' or '-', up to 64)"
    if not isinstance(value, str):
        raise _Invalid(expected, _kind(value))
    if not is_profile_name(value):
        raise _Invalid(expected, repr(value))
    return value


def _cdp(value: object, base: Path) -> str:
    from optout_bot.engine.attach import cdp_problem

    expected = (
        "must be 'auto' (your running browser that allows debugging) or a DevTools URL such "
        "as 'http://127.0.0.1:9222'"
    )
    if not isinstance(value, str):
        raise _Invalid(expected, _kind(value))
    if cdp_problem(value.strip()):
        raise _Invalid(expected, "an empty string" if not value.strip() else repr(value))
    return value.strip()


def _evidence_dir(value: object, base: Path) -> Path:
    expected = "must be a folder path (a string; '~' and paths relative to this file work)"
    if not isinstance(value, str):
        raise _Invalid(expected, _kind(value))
    if not value.strip():
        raise _Invalid(expected, "an empty string")
    folder = Path(value).expanduser()
    # Relative to the settings file, not to wherever cron or launchd happen to start us.
    return folder if folder.is_absolute() else base / folder


def _platform(value: object, base: Path) -> str:
    expected = "must be 'desktop' or 'mobile'"
    if not isinstance(value, str):
        raise _Invalid(expected, _kind(value))
    if value not in ("desktop", "mobile"):
        raise _Invalid(expected, repr(value))
    return value


def _notify(value: object, base: Path) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid("must be a list of notification URLs (strings)", _kind(value))
    for index, url in enumerate(value):
        expected = (
            "must be a notification URL such as 'ntfy://ntfy.sh/my-topic' "
            "(see https://github.com/caronc/apprise/wiki)"
        )
        if not isinstance(url, str):
            raise _Invalid(expected, _kind(url), where=f"[{index}]")
        if not _URL.match(url.strip()):
            # Shown redacted: a pasted token without its scheme is still a secret.
            got = "an empty string" if not url.strip() else f"'{redact(url)}'"
            raise _Invalid(expected, got, where=f"[{index}]")
    return tuple(url.strip() for url in value)


def _timestamp_urls(value: object, base: Path) -> tuple[str, ...]:
    expected = (
        "must be a time-stamping authority's http:// or https:// URL such as "
        "'http://timestamp.digicert.com' (RFC 3161 over plain http is usual: the answer is "
        "signed)"
    )
    if not isinstance(value, list):
        raise _Invalid(
            "must be a list of time-stamping authority URLs (strings); [] turns it off",
            _kind(value),
        )
    for index, url in enumerate(value):
        if not isinstance(url, str):
            raise _Invalid(expected, _kind(url), where=f"[{index}]")
        if url_problem(url.strip()):
            got = "an empty string" if not url.strip() else repr(url)
            raise _Invalid(expected, got, where=f"[{index}]")
    return tuple(url.strip() for url in value)


def _bool(value: object, base: Path) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false", _kind(value))
    return value


def _flows(value: object, base: Path) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid("must be a list of flow ids (strings)", _kind(value))
    for index, flow in enumerate(value):
        expected = "must be a flow id like 'linkedin-ai-training' (see `optout-bot flows`)"
        if not isinstance(flow, str):
            raise _Invalid(expected, _kind(flow), where=f"[{index}]")
        if not is_flow_id(flow):
            raise _Invalid(expected, repr(flow), where=f"[{index}]")
    return tuple(value)


def _seconds(value: object, base: Path) -> float:
    expected = "must be a number of seconds greater than 0"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid(expected, _kind(value))
    if not value > 0 or value == float("inf"):
        raise _Invalid(expected, repr(value))
    return float(value)


#: Key -> parser; the order is the order `optout-bot config` shows them in.
_PARSERS: dict[str, Callable[[object, Path], Any]] = {
    "profile": _profile,
    "cdp": _cdp,
    "evidence_dir": _evidence_dir,
    "platform": _platform,
    "notify": _notify,
    "desktop_notifications": _bool,
    "flows": _flows,
    "login_timeout": _seconds,
    "timeout": _seconds,
    "run_timeout": _seconds,
    "timestamp_urls": _timestamp_urls,
    "timestamp_timeout": _seconds,
}
KEYS: tuple[str, ...] = tuple(_PARSERS)


def _from_table(table: dict[str, Any], path: Path) -> Config:
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, raw in table.items():
        parse = _PARSERS.get(key)
        if parse is None:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "."
            problems.append(f"{path}: unknown key '{key}'{hint} Known keys: {', '.join(KEYS)}")
            continue
        try:
            values[key] = parse(raw, path.parent)
        except _Invalid as bad:
            problems.append(f"{path}: '{key}'{bad.where} {bad.expected}, got {bad.got}")
    if problems:
        raise ConfigError(problems)
    return Config(**values, path=path, from_file=frozenset(values))


def set_flows(path: Path | None, flows: list[str]) -> None:
    """Write `flows` into the settings file at `path` (created if missing), keeping every
    other key, comment and the layout as the person wrote them."""
    set_values(path, {"flows": flows})


def set_values(path: Path | None, values: dict[str, Any]) -> None:
    """Write each of `values` (a string, a bool or a list of strings; None removes the key)
    into the settings file at `path` (created if missing), keeping every other key, comment
    and the layout as the person wrote them."""
    import tomlkit

    path = Path(path) if path is not None else config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read it: {exc}"]) from None
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    for key, value in values.items():
        if value is None:
            document.pop(key, None)
        elif isinstance(value, list):
            array = tomlkit.array()
            array.extend(value)
            document[key] = array
        else:
            document[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    from optout_bot.base.files import write_private

    write_private(path, tomlkit.dumps(document).encode("utf-8"), replace=True)
