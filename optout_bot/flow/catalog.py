"""Which flows exist: a FLOW argument is a path (``FILE#ID`` for one setting of a site file),
or an id looked up among the flows in effect. Three places hold flows, and when two hold the
same id the first of these is in effect:

1. the user's flows folder (``flows/`` beside config.toml): their own files (e.g. a fix
   someone shared the day the site changed its page);
2. the flow sources (`sources.py`: git repositories pinned to a commit), in the order they
   were added; a source's flow overrides a bundled one only when the source was added with
   ``--override-bundled``;
3. the bundled flows.

The others are still listed (`Entry.shadowed`), each with why it is not in effect.

A file holds one flow (format 1, whose id is usually its name) or a site's settings (format 2,
one id each). The ids are read from the files without validating them (`ids_in`), so finding
a flow stays cheap; loading it validates the whole file.
"""

from __future__ import annotations

import dataclasses
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
    #: "user", "bundled" or "source NAME@abc1234"
    origin: str
    #: the bundled file this flow overrides, if any
    overrides: Path | None = None
    #: the name of the flow source it comes from, if it does
    source: str | None = None
    #: the flows of the same id this one keeps out of effect (on the flow in effect)
    shadowed: tuple[Entry, ...] = ()
    #: why this flow is not in effect (on a shadowed one)
    why: str = ""


def available() -> dict[str, Entry]:
    """Every flow id, and the flow in effect for it: the user's own file, else a source's
    (the first added; over a bundled flow only with ``--override-bundled``), else the
    bundled one. Each entry lists the flows of its id it keeps out of effect, and why."""
    found: dict[str, list[Entry]] = {}
    for flow_id, path in bundled_flows().items():
        found.setdefault(flow_id, []).append(Entry(flow_id, path, "bundled"))
    may_override: dict[str, bool] = {}
    for name, origin, override, flows in _source_flows():
        may_override[name] = override
        for flow_id, path in flows.items():
            found.setdefault(flow_id, []).append(Entry(flow_id, path, origin, source=name))
    for flow_id, path in _flows_in(user_dir()).items():
        found.setdefault(flow_id, []).append(Entry(flow_id, path, "user"))
    entries = {}
    for flow_id, here in found.items():
        bundled = next((e for e in here if e.origin == "bundled"), None)
        sources = [e for e in here if e.source is not None]
        eligible = [e for e in sources if bundled is None or may_override[str(e.source)]]
        users = [e for e in here if e.origin == "user"]
        winner = (users or eligible or [bundled or here[0]])[0]
        shadowed = tuple(
            dataclasses.replace(e, why=_why(e, winner, bundled, may_override))
            for e in here
            if e is not winner
        )
        overrides = bundled.path if bundled is not None and bundled is not winner else None
        entries[flow_id] = dataclasses.replace(winner, overrides=overrides, shadowed=shadowed)
    return dict(sorted(entries.items()))


def _why(loser: Entry, winner: Entry, bundled: Entry | None, may_override: dict[str, bool]) -> str:
    """Why `loser` is not in effect, in a few words after "not in effect: "."""
    if loser.source is None:  # the bundled flow
        if winner.origin == "user":
            return "your own flow overrides it"
        return f"{winner.origin} overrides it (added with --override-bundled)"
    if winner.origin == "user":
        return "your own flow of this id overrides it"
    if bundled is not None and not may_override[loser.source]:
        who = "the bundled flow stays" if winner is bundled else f"{winner.origin} wins"
        return f"{who} (source {loser.source} was added without --override-bundled)"
    return f"{winner.origin}, added before it, wins"


def _source_flows() -> list[tuple[str, str, bool, dict[str, Path]]]:
    """(name, origin, override_bundled, flow id -> file) of each source, in the order added.
    A registry that cannot be read gives none (`flows`, `flows sources` and an unknown id
    say why)."""
    from optout_bot.flow.sources import SourceError, registered

    try:
        sources = registered()
    except SourceError:
        return []
    found = []
    for source in sources:
        flows: dict[str, Path] = {}
        for path in source.paths():
            if path.is_file():
                for flow_id in ids_in(path):
                    flows.setdefault(flow_id, path)
        found.append((source.name, source.origin, source.override_bundled, flows))
    return found


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
        + _sources_problem()
    )


def _sources_problem() -> str:
    """Why the flow sources were left out, if they were."""
    from optout_bot.flow.sources import SourceError, registered

    try:
        registered()
    except SourceError as exc:
        return f" (The flow sources were left out: {exc}.)"
    return ""
