"""Which flows exist: a FLOW argument is a path (``FILE#ID`` for one setting of a site file),
or an id looked up in the user's flows folder (``flows/`` beside config.toml) and then in the
bundled flows, so a user flow overrides a bundled one of the same id (e.g. a fix someone shared
the day the site changed its page).

A file holds one flow (format 1, whose id is usually its name) or a site's settings (format 2,
one id each). The ids are read from the files without validating them (`ids_in`), so finding
a flow stays cheap; loading it validates the whole file.
"""

from __future__ import annotations

import difflib
import functools
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


#: Only this much of a file is read for its ids (the loader's own limit).
_SCAN_BYTES = 256 * 1024


def ids_in(path: Path) -> list[str]:
    """The flow ids a file declares: a site file's settings' ids, a one-setting file's id. Read
    without validation; a file that cannot be read that way counts as its name's stem (so
    loading it says what is wrong). Read once per process while the file stays the same (a
    run of several flows looks each one up)."""
    try:
        stat = path.stat()
    except OSError:
        return [path.stem]
    return list(_ids_in(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=256)
def _ids_in(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    import yaml

    from optout_bot.flow.safe_yaml import Scalar, compose

    try:
        with open(path, "rb") as fh:
            text = fh.read(_SCAN_BYTES).decode("utf-8")
        root = compose(text, str(path), lambda *_: None)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return (path.stem,)
    ids: list[str] = []
    if isinstance(root, dict):
        settings = root.get("settings")
        items = settings if isinstance(settings, list) else [root]
        for item in items:
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, Scalar) and ident.text and ident.text not in ids:
                ids.append(ident.text)
    return tuple(ids) or (path.stem,)


def _flows_in(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {i: p for p in sorted(folder.glob("*.yaml")) for i in ids_in(p)}


def default_flows() -> list[str]:
    """The flows `--all` runs when the settings file names none: the AI-training setting of
    each bundled site, the user's own version of it if they installed one."""
    from optout_bot.flow.loader import FlowErrors, load_flows

    chosen: list[str] = []
    for path in sorted(set(bundled_flows().values())):
        try:
            flows = load_flows(path)
        except FlowErrors:
            continue  # a broken bundled file is reported when it is run by its id
        chosen += [f.id for f in flows if f.category == "ai-training"][:1]
    return chosen


def bundled_flows() -> dict[str, Path]:
    """Flow id -> file, for every bundled flow."""
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


def locate(arg: str) -> tuple[Path, str | None]:
    """The file a FLOW argument names, and which of its flows: ``FILE#ID`` (that setting),
    a path (None: its only flow), or an id (that flow's file)."""
    file, sep, flow_id = arg.rpartition("#")
    if sep and flow_id and Path(file).expanduser().is_file():
        return Path(file).expanduser(), flow_id
    path = resolve(arg)
    return path, (arg if path != Path(arg).expanduser() else None)


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
    # A prefix is what people type ("linkedin-ai"); else the nearest spelling.
    close = [i for i in flows if i.startswith(arg)][:1] or difflib.get_close_matches(
        arg, list(flows), n=1
    )
    hint = f"; did you mean '{close[0]}'?" if close else ""
    known = ", ".join(flows) or "(none)"
    raise UnknownFlow(
        f"unknown flow '{arg}'{hint} Known flows: {known}. Or give a path to a flow file."
    )
