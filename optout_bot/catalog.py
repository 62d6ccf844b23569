"""Bundled flows: where they are and how a FLOW argument (an id or a path) is resolved."""

from __future__ import annotations

import difflib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir() -> Path:
    # An installed wheel carries the flows inside the package; a source checkout (or an
    # editable install) has them at the top level of the repository.
    inside = _PACKAGE / "_bundled_flows"
    return inside if inside.is_dir() else _PACKAGE.parent / "flows"


def bundled_flows() -> dict[str, Path]:
    """Flow id -> file, for every bundled flow (the id is the file name's stem)."""
    folder = bundled_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


class UnknownFlow(Exception):
    pass


def resolve(arg: str) -> Path:
    """A path to a flow file (if `arg` names an existing file) or a bundled flow's file."""
    path = Path(arg).expanduser()
    if path.is_file():
        return path
    looks_like_path = arg.endswith((".yaml", ".yml")) or "/" in arg or "\\" in arg
    flows = bundled_flows()
    if not looks_like_path and arg in flows:
        return flows[arg]
    if looks_like_path:
        raise UnknownFlow(f"no flow file at {arg}")
    close = difflib.get_close_matches(arg, list(flows), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    known = ", ".join(flows) or "(none)"
    raise UnknownFlow(
        f"unknown flow '{arg}'{hint} Bundled flows: {known}. Or give a path to a flow file."
    )
