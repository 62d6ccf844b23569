"""`optout-bot flows [list | add PATH | show ID | schema]`: the flows in effect, and sharing."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "flows",
        "list, add, show the flows (bundled and your own); print the flow JSON Schema",
        "Flows are YAML files that describe how to reach a setting. Your own flows (added "
        "with `flows add`) live in flows/ beside the settings file and override a bundled "
        "flow with the same id.",
    )
    from optout_bot.cli.options import subcommands

    parser.set_defaults(handler=cmd_list)
    action = subcommands(parser, "flows_command", epilog="", required=False)
    listing = action("list", "the flows in effect (the default)")
    listing.add_argument("--json", action="store_true", help="one JSON list")
    listing.set_defaults(handler=cmd_list)
    adding = action(
        "add",
        "validate a flow file and install it as your own",
        "Validate a flow file (every problem is printed, nothing is installed "
        "when it is invalid) and copy it into your flows folder under its id.",
    )
    adding.add_argument("path", type=Path, metavar="PATH")
    adding.set_defaults(handler=cmd_add)
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
        "A run that reached its switch only through a fallback (a later alternative, the "
        "other route, a page at a new address) leaves proposed-flow.yaml beside its "
        "evidence. This takes the newest proposal for ID, verifies it read-only in your "
        "browser, shows what it changes, and installs it as your own flow (its version one "
        "up, last_verified today) once you agree (--yes to skip the question).",
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
    from optout_bot.flow.catalog import available
    from optout_bot.flow.model import Flow

    rows = [("ID", "SITE", "SETTING", "CATEGORY", "PLATFORMS", "VERSION", "SOURCE")]
    data = []
    loaded: dict[Path, tuple[Flow, ...] | FlowErrors] = {}
    for entry in available().values():
        source = entry.origin
        if entry.overrides is not None:
            source += " (overrides the bundled one)"
        if entry.path not in loaded:  # a site file holds several flows: read it once
            try:
                loaded[entry.path] = load_flows(entry.path)
            except FlowErrors as errors:
                loaded[entry.path] = errors
        flows = loaded[entry.path]
        flow = (
            None
            if isinstance(flows, FlowErrors)
            else next((f for f in flows if f.id == entry.id), None)
        )
        if flow is None:
            why = str(flows.errors[0]) if isinstance(flows, FlowErrors) else "no such id in it"
            rows.append((entry.id, "?", f"(invalid: {why})", "", "", "", source))
            data.append({"id": entry.id, "path": str(entry.path), "origin": entry.origin,
                         "valid": False})  # fmt: skip
            continue
        rows.append(
            (flow.id, flow.site, flow.setting, flow.category, ",".join(flow.platforms),
             flow.version, source)
        )  # fmt: skip
        data.append(
            {"id": flow.id, "site": flow.site, "setting": flow.setting,
             "category": flow.category,
             "platforms": list(flow.platforms), "version": flow.version,
             "last_verified": flow.last_verified.isoformat(), "origin": entry.origin,
             "overrides": str(entry.overrides) if entry.overrides else None,
             "path": str(entry.path), "sha256": flow.sha256, "valid": True}
        )  # fmt: skip
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2))
        return 0
    from optout_bot.cli.options import print_table

    print_table(rows)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from optout_bot.base.files import write_private
    from optout_bot.base.names import site_slug
    from optout_bot.flow import FlowErrors, load_flows
    from optout_bot.flow.catalog import bundled_flows, user_dir

    try:
        flows = load_flows(args.path)
    except FlowErrors as errors:
        for error in errors.errors:
            print(error)
        print(f"{args.path}: not installed ({len(errors.errors)} problem(s))", file=sys.stderr)
        return 2
    first = flows[0]
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # A one-setting flow is kept under its id; a site file under its site's name.
    stem = first.id if first.format == 1 else site_slug(first.site)
    target = folder / f"{stem}.yaml"
    replaced = target.exists()
    # Atomic: a half-copied flow must never be picked up by a scheduled run.
    write_private(target, Path(args.path).read_bytes(), replace=True)
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
    if entry is not None and entry.overrides is not None:
        print(f"# overrides the bundled flow at {entry.overrides}")
    print(f"# sha256: {hashlib.sha256(data).hexdigest()}")
    sys.stdout.write(data.decode("utf-8", errors="replace"))
    return 0


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
            "its evidence when it reached the switch only through a fallback."
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
