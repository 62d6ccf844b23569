"""`optout-bot flows [list | add FILE | add REPO[@REV] | update | remove | sources | show ID |
schema ...]`: the flows in effect, and sharing them (a file, or a git repository pinned to a
commit: `flow/sources.py`)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optout_bot.flow.sources import Source, SourceError


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "flows",
        "list, add, update, show the flows (bundled, your own, from git); the JSON Schema",
        "Flows are YAML files that describe how to reach a setting. Your own flows (added "
        "with `flows add FILE`) live in flows/ beside the settings file; flow sources (git "
        "repositories, added with `flows add REPO[@REV]`) in sources/ beside it, each pinned "
        "to a commit. When two have the same id, your own file is in effect, then the "
        "sources in the order added, then the bundled flow; a source overrides a bundled "
        "flow only when it was added with --override-bundled.",
    )
    from optout_bot.cli.options import subcommands

    parser.set_defaults(handler=cmd_list)
    action = subcommands(parser, "flows_command", epilog="", required=False)
    listing = action("list", "the flows in effect (the default)")
    listing.add_argument("--json", action="store_true", help="one JSON list")
    listing.set_defaults(handler=cmd_list)
    adding = action(
        "add",
        "install a flow file, or a git repository of flows pinned to a commit",
        "FILE: validate a flow file (every problem is printed, nothing is installed when it "
        "is invalid) and copy it into your flows folder under its id; it overrides a "
        "bundled flow of the same id. REPO[@REV]: fetch a git repository (a URL or a local "
        "folder) at REV, or without @REV at its newest tag (else its default branch's "
        "head), validate every flow file of that commit (*.yaml and *.yml at its root and "
        "under flows/), and install a copy of them, recording the exact commit. Nothing is "
        "installed when anything is wrong; every problem is printed. Only what is committed "
        "counts, and git runs with hooks off and only the repository's own transport.",
        epilog="REPO[@REV]: REPO is an https://, ssh://, git:// or file:// URL, an scp-like\n"
        "[user@]host:path address, or a local folder. The last @ starts REV only when it\n"
        "comes after the host (git@host:x and https://user@host/x keep theirs) and what\n"
        "follows reads as a tag, branch or commit; a folder that exists is taken whole.\n"
        "An https URL with a user name, password or token in it is refused (optout-bot\n"
        "records and shows the URL it fetches).\n\n"
        "examples:\n"
        "  optout-bot flows add my-flow.yaml\n"
        "  optout-bot flows add https://example.org/friend/flows.git\n"
        "  optout-bot flows add https://example.org/friend/flows.git@v1.2.0 --name friend\n"
        "  optout-bot flows add ~/src/my-flows@main\n",
    )
    adding.add_argument(
        "path", metavar="FILE | REPO[@REV]", help="a flow file, or a git repository (see below)"
    )
    adding.add_argument(
        "--name",
        help="the flow source's name (default: the repository's last path component, e.g. "
        "'flows' for .../friend/flows.git); lowercase letters, digits and '-'",
    )
    adding.add_argument(
        "--override-bundled",
        action="store_true",
        help="let this source's flows override bundled flows of the same id (without it, "
        "the bundled flow stays in effect and `flows` lists the source's as not in effect)",
    )
    adding.set_defaults(handler=cmd_add)
    updating = action(
        "update",
        "move flow sources to their newest tag (or a given revision), checked first",
        "Fetch SOURCE (every source when none is named), take its newest tag (a source "
        "added at a branch: that branch's head; no tags: the default branch's head) or "
        "--rev, validate every flow file, show which flows are added, removed or changed "
        "(version old -> new), then switch to that commit. Nothing switches when anything "
        "is wrong: the source stays at its commit, every problem printed. A newest tag "
        "older than the commit in use is not moved to without --rev.",
    )
    updating.add_argument("source", nargs="?", metavar="SOURCE", help="a source's name")
    updating.add_argument(
        "--rev", metavar="REV", help="move to this tag, branch or commit (needs SOURCE)"
    )
    updating.add_argument(
        "--diff", action="store_true", help="print the unified diff of the files that change"
    )
    updating.add_argument(
        "--dry-run", action="store_true", help="show what would change; switch nothing"
    )
    updating.set_defaults(handler=cmd_update)
    removing = action(
        "remove",
        "remove a flow source and its installed flows",
        "Remove SOURCE from the flow sources and delete its installed copy; a flow of the "
        "same id from elsewhere (your own, another source, a bundled one) is then in effect.",
    )
    removing.add_argument("source", metavar="SOURCE", help="a source's name")
    removing.set_defaults(handler=cmd_remove)
    listing_sources = action(
        "sources", "the flow sources: repository, tag and commit in use, what update follows"
    )
    listing_sources.add_argument("--json", action="store_true", help="one JSON list")
    listing_sources.set_defaults(handler=cmd_sources)
    for name, verb in (("enable", "look after"), ("disable", "stop looking after")):
        switch = action(
            name,
            f"{verb} these settings in `run --all`, `verify --all` and `check --all`",
            f"{verb.capitalize()} these flows: the settings file's `flows` list, which "
            "--all runs (by default the AI-training setting of each bundled site). Your "
            "settings file keeps its comments and layout.",
        )
        switch.add_argument("ids", metavar="ID", nargs="+")
        switch.set_defaults(handler=cmd_enable, enable=name == "enable")
    repair = action(
        "repair",
        "check the newest repaired flow a run proposed, and install it as your own",
        "A run that reached its switch only through a fallback (a later alternative, a "
        "page at a new address) leaves proposed-flow.yaml beside its evidence; so does a "
        "run that broke because an element was gone when the page clearly had its "
        "replacement (added, checked on the page, as the target's first alternative). "
        "This takes the newest proposal for ID, verifies it read-only in your browser, "
        "shows what it changes, and installs it as your own flow (its version one up, "
        "last_verified today) once you agree (--yes to skip the question); a proposal "
        "whose check does not reach the switch is not installed.",
    )
    repair.add_argument("flow", metavar="ID")
    repair.add_argument("-y", "--yes", action="store_true", help="install it without asking")
    from optout_bot.cli.options import browser_options, login_option, output_options

    browser_options(repair)
    output_options(repair)
    login_option(repair)
    repair.set_defaults(handler=cmd_repair)
    show = action("show", "print a flow with its origin and SHA-256")
    show.add_argument("flow", metavar="ID")
    show.set_defaults(handler=cmd_show)
    schema = action("schema", "print the JSON Schema of flow files (for editor completion)")
    schema.add_argument("--out", type=Path, metavar="FILE", help="write it to FILE instead")
    schema.set_defaults(handler=cmd_schema)


def cmd_list(args: argparse.Namespace) -> int:
    from optout_bot.flow import FlowErrors, load_flows
    from optout_bot.flow.catalog import Entry, available
    from optout_bot.flow.model import Flow

    rows: list[tuple[str, ...]] = [
        ("ID", "SITE", "SETTING", "CATEGORY", "PLATFORMS", "VERSION", "ORIGIN")
    ]
    data: list[dict[str, object]] = []
    loaded: dict[Path, tuple[Flow, ...] | FlowErrors] = {}

    def read(entry: Entry) -> Flow | str:
        """The entry's flow, or why it cannot be read."""
        if entry.path not in loaded:  # a site file holds several flows: read it once
            try:
                loaded[entry.path] = load_flows(entry.path)
            except FlowErrors as errors:
                loaded[entry.path] = errors
        flows = loaded[entry.path]
        if isinstance(flows, FlowErrors):
            return str(flows.errors[0])
        return next((f for f in flows if f.id == entry.id), None) or "no such id in it"

    def row(entry: Entry, origin: str) -> tuple[str, ...]:
        flow = read(entry)
        if isinstance(flow, str):
            return (entry.id, "?", f"(invalid: {flow})", "", "", "", origin)
        return (flow.id, flow.site, flow.setting, flow.category, ",".join(flow.platforms),
                flow.version, origin)  # fmt: skip

    for entry in available().values():
        origin = entry.origin
        if entry.overrides is not None:
            origin += " (overrides the bundled one)"
        rows.append(row(entry, origin))
        # The flows of this id that are present but not in effect, right below it.
        rows += [
            row(other, f"{other.origin}, not in effect: {other.why}") for other in entry.shadowed
        ]
        shadowed = []
        for other in entry.shadowed:
            flow = read(other)
            shadowed.append(
                {"origin": other.origin, "source": other.source, "path": str(other.path),
                 "version": None if isinstance(flow, str) else flow.version, "why": other.why}
            )  # fmt: skip
        common = {"origin": entry.origin, "source": entry.source, "shadowed": shadowed}
        flow = read(entry)
        if isinstance(flow, str):
            data.append({"id": entry.id, "path": str(entry.path), **common, "valid": False})
            continue
        data.append(
            {"id": flow.id, "site": flow.site, "setting": flow.setting,
             "category": flow.category,
             "platforms": list(flow.platforms), "version": flow.version,
             "last_verified": flow.last_verified.isoformat(), **common,
             "overrides": str(entry.overrides) if entry.overrides else None,
             "path": str(entry.path), "sha256": flow.sha256, "valid": True}
        )  # fmt: skip
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2))
        return 0
    from optout_bot.cli.options import print_table

    print_table(rows)
    _warn_about_sources()
    return 0


def _warn_about_sources() -> None:
    """The flow sources' registry, when it cannot be read (the flows list leaves them out)."""
    from optout_bot.flow.sources import SourceError, registered

    try:
        registered()
    except SourceError as exc:
        print(f"warning: flow sources left out: {exc}", file=sys.stderr)


def cmd_add(args: argparse.Namespace) -> int:
    try:
        path = Path(args.path).expanduser()
    except RuntimeError:  # ~nobody/...
        path = Path(args.path)
    is_file = path.is_file() or (
        args.path.lower().endswith((".yaml", ".yml")) and not path.is_dir()
    )
    if not is_file:
        return _add_source(args)
    if args.name or args.override_bundled:
        print(
            "optout-bot flows add: --name and --override-bundled are for a flow source (a "
            "git repository); your own flow file always overrides a bundled one",
            file=sys.stderr,
        )
        return 2
    return _add_file(Path(args.path))


def _add_file(file: Path) -> int:
    from optout_bot.base.files import write_private
    from optout_bot.base.names import site_slug
    from optout_bot.flow import FlowErrors, load_flows
    from optout_bot.flow.catalog import bundled_flows, user_dir

    try:
        flows = load_flows(file)
    except FlowErrors as errors:
        for error in errors.errors:
            print(error)
        print(f"{file}: not installed ({len(errors.errors)} problem(s))", file=sys.stderr)
        return 2
    first = flows[0]
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # A one-setting flow is kept under its id; a site file under its site's name.
    stem = first.id if first.format == 1 else site_slug(first.site)
    target = folder / f"{stem}.yaml"
    replaced = target.exists()
    # Atomic: a half-copied flow must never be picked up by a scheduled run.
    write_private(target, file.read_bytes(), replace=True)
    what = "replaced" if replaced else "installed"
    ids = ", ".join(f.id for f in flows)
    print(f"{what} {ids} {first.version} ({', '.join(first.platforms)}) as {target}")
    bundled = bundled_flows()
    over = [f.id for f in flows if f.id in bundled]
    if over:
        print(
            f"it overrides the bundled {', '.join(over)}; `optout-bot flows show {over[0]}` "
            "shows it"
        )
    return 0


def _refused(command: str, exc: SourceError) -> int:
    """A flow source refused or not fetched: every problem on stdout (as `validate` prints
    them), what happened on stderr; exit 2 or 1."""
    for problem in exc.problems:
        print(problem)
    print(f"optout-bot flows {command}: {exc}", file=sys.stderr)
    return exc.exit_code


def _add_source(args: argparse.Namespace) -> int:
    from optout_bot.base.git import shown, split_rev
    from optout_bot.flow import sources

    repo, rev = split_rev(args.path)
    try:
        name = sources.name_for(repo, args.name)
        print(f"fetching {shown(repo)}{f' at {rev}' if rev else ''}", file=sys.stderr)
        snapshot = sources.prepare(repo, rev)
        source = sources.add(snapshot, name, override_bundled=args.override_bundled)
    except sources.SourceError as exc:
        return _refused("add", exc)
    count = sum(len(flows) for flows in snapshot.flows.values())
    print(
        f"added flow source {source.name}: {source.url} at {source.at}, commit {source.commit}"
        f" ({count} flow(s))"
    )
    for rel, flows in snapshot.flows.items():
        for flow in flows:
            print(f"  {flow.id} {flow.version} ({rel})")
    _say_not_in_effect(source)
    return 0


def _say_not_in_effect(source: Source) -> None:
    """Each flow of `source` that another keeps out of effect, why, and how to change it."""
    from optout_bot.flow.sources import not_in_effect

    hidden = not_in_effect(source.name)
    for flow_id, why in hidden.items():
        print(f"note: {flow_id} from {source.name} is not in effect: {why}")
    if not source.override_bundled and any("--override-bundled" in w for w in hidden.values()):
        print(
            f"to let {source.name} override bundled flows: `optout-bot flows remove "
            f"{source.name}`, then `optout-bot flows add {source.url} --override-bundled`"
        )


def cmd_update(args: argparse.Namespace) -> int:
    from optout_bot.flow import sources

    try:
        chosen = [sources.find(args.source)] if args.source else sources.registered()
    except sources.SourceError as exc:
        return _refused("update", exc)
    if args.rev and not args.source:
        print("optout-bot flows update: --rev needs the SOURCE to move", file=sys.stderr)
        return 2
    if not chosen:
        print("no flow sources yet: `optout-bot flows add REPO` adds one")
        return 0
    return max(_update(source, args) for source in chosen)


def _update(source: Source, args: argparse.Namespace) -> int:
    from optout_bot.flow import sources

    print(f"fetching {source.name} ({source.url})", file=sys.stderr)
    try:
        snapshot = sources.prepare(
            source.url, args.rev, follows=source.follows, current=source.commit
        )
    except sources.SourceError as exc:
        for problem in exc.problems:
            print(problem)
        print(
            f"optout-bot flows update: {exc}; {source.name} stays at {source.at}",
            file=sys.stderr,
        )
        return exc.exit_code
    what = f"the {source.follows}" if args.rev is None else args.rev
    if snapshot.commit == source.commit:
        print(f"{source.name}: already at {snapshot.at}, {what}; nothing to do")
        return 0
    if snapshot.behind:
        print(
            f"{source.name}: {what}, {snapshot.at}, is older than the commit in use, "
            f"{source.at}; staying (`optout-bot flows update {source.name} --rev "
            f"{snapshot.tag or snapshot.commit}` moves to it)"
        )
        return 0
    print(f"{source.name}: {source.at} -> {snapshot.at}")
    found = sources.changes(source, snapshot)
    for change in found:
        if change.kind != "unchanged":
            print(f"  {change}")
    same = [c.id for c in found if c.kind == "unchanged"]
    if same:
        print(f"  unchanged: {', '.join(same)}")
    if args.diff:
        sys.stdout.write(sources.diff(source, snapshot))
    if args.dry_run:
        print(f"{source.name}: nothing switched (--dry-run); it stays at {source.at}")
        return 0
    try:
        moved = sources.switch(source, snapshot)
    except sources.SourceError as exc:
        return _refused("update", exc)
    print(f"updated {moved.name} to {moved.at}, commit {moved.commit}")
    _say_not_in_effect(moved)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from optout_bot.flow import sources

    try:
        source = sources.remove(args.source)
    except sources.SourceError as exc:
        return _refused("remove", exc)
    print(f"removed flow source {source.name} ({source.url} at {source.at})")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from optout_bot.flow import sources

    try:
        found = sources.registered()
    except sources.SourceError as exc:
        return _refused("sources", exc)
    if args.json:
        print(json.dumps([s.to_json() for s in found], indent=2))
        return 0
    if not found:
        print("no flow sources yet: `optout-bot flows add REPO[@REV]` adds one")
        return 0
    from optout_bot.cli.options import print_table

    rows = [("NAME", "AT", "FOLLOWS", "OVERRIDES BUNDLED", "FILES", "UPDATED", "REPOSITORY")]
    for s in found:
        rows.append((s.name, s.at, s.follows, "yes" if s.override_bundled else "no",
                     str(len(s.files)), s.updated[:10], s.url))  # fmt: skip
    print_table(rows)
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    from optout_bot.app.config import ConfigError, load_config, set_flows
    from optout_bot.cli.run_cmd import looked_after
    from optout_bot.flow.catalog import UnknownFlow, locate

    verb = "enable" if args.enable else "disable"
    for flow_id in args.ids:
        try:
            locate(flow_id)
        except UnknownFlow as exc:
            print(f"optout-bot flows {verb}: {exc}", file=sys.stderr)
            return 2
    try:
        settings = load_config()
        now = looked_after(settings)
        if args.enable:
            wanted = now + [i for i in dict.fromkeys(args.ids) if i not in now]
        else:
            wanted = [i for i in now if i not in args.ids]
        set_flows(settings.path, wanted)
    except ConfigError as exc:
        print(f"optout-bot flows {verb}: {exc}", file=sys.stderr)
        return 2
    print(f"--all looks after: {', '.join(wanted) or '(nothing)'} ({settings.path})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from optout_bot.flow.catalog import UnknownFlow, available, resolve

    try:
        path = resolve(args.flow)
    except UnknownFlow as exc:
        print(f"optout-bot flows show: {exc}", file=sys.stderr)
        return 2
    entry = available().get(args.flow)
    data = path.read_bytes()
    origin = entry.origin if entry and entry.path == path else "file"
    print(f"# origin: {origin} ({path})")
    if entry is not None and entry.path == path and entry.source is not None:
        print(f"# {_source_line(entry.source)}")
    if entry is not None and entry.overrides is not None:
        print(f"# overrides the bundled flow at {entry.overrides}")
    for other in entry.shadowed if entry is not None and entry.path == path else ():
        print(f"# not in effect: {other.origin} ({other.path}): {other.why}")
    print(f"# sha256: {hashlib.sha256(data).hexdigest()}")
    sys.stdout.write(data.decode("utf-8", errors="replace"))
    return 0


def _source_line(name: str) -> str:
    from optout_bot.flow.sources import SourceError, find

    try:
        source = find(name)
    except SourceError as exc:
        return str(exc)
    return f"from {source.url} at {source.at}, commit {source.commit}"


def cmd_schema(args: argparse.Namespace) -> int:
    from optout_bot.flow.schema import schema_text

    text = schema_text()
    if args.out:
        args.out.write_text(text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    """The newest proposal for the flow: verified read-only, shown, installed on a yes."""
    from optout_bot.app.run import execute
    from optout_bot.authoring.repair import DIFF, INSTALLED, bumped
    from optout_bot.base.files import write_private
    from optout_bot.cli import run_cmd
    from optout_bot.engine.outcome import RunStop, Status
    from optout_bot.flow.catalog import user_dir

    def say(line: str) -> None:
        print(line, file=sys.stderr)

    proposal = newest_proposal(args.flow)
    if proposal is None:
        say(
            f"optout-bot flows repair: no proposal for {args.flow}. A run leaves one beside "
            "its evidence when it reached the switch only through a fallback, or broke where "
            "the page had a likely replacement."
        )
        return 1
    say(f"proposal: {proposal}")
    try:
        settings = run_cmd.load_settings()
    except RunStop as stop:
        say(f"optout-bot flows repair: {stop.reason}")
        return stop.status.exit_code
    request = run_cmd.run_request(args, "verify", settings, flow=str(proposal))
    result = execute(request, on_problem=say, meanwhile=run_cmd.configure_logging(args))
    print(run_cmd.summary_line(result), file=sys.stderr)
    if result.state_after == "unknown":
        say("not installed: the proposal did not reach the switch (see the line above)")
        return result.exit_code or 1
    diff = proposal.parent / DIFF
    if diff.is_file():
        print(diff.read_text(encoding="utf-8"), end="")
    if not args.yes:
        ask = run_cmd.confirm_on_terminal()
        if ask is None:
            say("not installed: no terminal to ask on; pass --yes to install it")
            return Status.CONFIRMATION_NEEDED.exit_code
        if not ask(f"Install this as your own {args.flow}?"):
            say("not installed, at your request")
            return Status.DECLINED.exit_code
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{args.flow}.yaml"
    text = bumped(proposal.read_text(encoding="utf-8"))
    write_private(target, text.encode("utf-8"), replace=True)
    # Installed: not the newest proposal any more (the evidence beside it is untouched).
    proposal.replace(proposal.with_name(INSTALLED))
    print(f"installed {args.flow} as {target}; `optout-bot flows show {args.flow}` shows it")
    return 0


def newest_proposal(flow_id: str) -> Path | None:
    """The newest run of `flow_id` in the evidence store that left a proposal beside it."""
    from optout_bot.authoring.repair import PROPOSAL
    from optout_bot.evidence.layout import FOLDER_TAIL, Layout
    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path

    path = default_store_path()
    if not path.exists():
        return None
    try:
        with EvidenceStore(path) as store:
            records = store.read(flow_id)
    except StoreError:
        return None
    layout = Layout(path)
    for record in reversed(records):
        if not record.evidence_dir:
            continue
        proposal = layout.find(record.evidence_dir, tail=FOLDER_TAIL) / PROPOSAL
        if proposal.is_file():
            return proposal
    return None
