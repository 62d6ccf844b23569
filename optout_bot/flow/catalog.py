"""Which flows exist: a FLOW argument is a path, or an id looked up in the user's flows folder
(``flows/`` beside config.toml) and then in the bundled flows, so a user flow overrides a bundled
one of the same id (e.g. a fix someone shared the day the site changed its page).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_dir() -> Path:
    # An installed wheel carries the flows inside the package; a source checkout (or an
    # editable install) has them at the top level of the repository.
    inside = _PACKAGE / "_bundled_flows"
    return inside if inside.is_dir() else _PACKAGE.parent / "flows"


def user_dir() -> Path:
    from optout_bot.base.paths import config_path

    return config_path().parent / "flows"


def _flows_in(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def bundled_flows() -> dict[str, Path]:
    """Flow id -> file, for every bundled flow (the id is the file name's stem)."""
    return _flows_in(bundled_dir())


@dataclass(frozen=True)
class Entry:
    id: str
    path: Path
    origin: str  # "user" | "bundled"
    #: the bundled file this user flow overrides, if any
    overrides: Path | None = None


def available() -> dict[str, Entry]:
    """Every flow id in effect: user flows over bundled ones."""
    entries = {i: Entry(i, p, "bundled") for i, p in bundled_flows().items()}
    for flow_id, path in _flows_in(user_dir()).items():
        bundled = entries.get(flow_id)
        entries[flow_id] = Entry(flow_id, path, "user", bundled.path if bundled else None)
    return dict(sorted(entries.items()))


class UnknownFlow(Exception):
    pass


def resolve(arg: str) -> Path:
    """A path to a flow file (if `arg` names an existing file) or the file of a flow id."""
    path = Path(arg).expanduser()
    if path.is_file():
        return path
    looks_like_path = arg.endswith((".yaml", ".yml")) or "/" in arg or "\\" in arg
    if looks_like_path:
        raise UnknownFlow(f"no flow file at {arg}")
    flows = available()
    if arg in flows:
        return flows[arg].path
    close = difflib.get_close_matches(arg, list(flows), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    known = ", ".join(flows) or "(none)"
    raise UnknownFlow(
        f"unknown flow '{arg}'{hint} Known flows: {known}. Or give a path to a flow file."
    )
