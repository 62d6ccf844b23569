"""`optout-bot config`: where the settings file is, and every setting in effect."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Exit code for a settings file that cannot be used (invalid input, as for a bad flow file).
EXIT_INVALID = 2


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    parser = add(
        "config",
        "show the settings file and every setting in effect",
        "Show where optout-bot's settings file is (config.toml in your config folder, or "
        "$OPTOUT_BOT_CONFIG) and every setting in effect, with where it comes from (the file "
        "or the default). Notification URLs are shown with their secrets left out. Exit 2 "
        "when the file is invalid.",
    )
    parser.epilog = (
        "exit codes:\n  0  done\n  2  the settings file is invalid (the message says where)\n"
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    what.add_argument("--path", action="store_true", help="print only the settings file's path")
    parser.set_defaults(handler=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    from optout_bot.app.config import ConfigError, load_config
    from optout_bot.base.paths import config_path

    path = config_path()
    if args.path:
        print(path)
        return 0
    try:
        config = load_config(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    exists = path.is_file()
    settings = {key: _shown(key, value) for key, value in config.settings().items()}
    if args.json:
        report = {
            "path": str(path),
            "exists": exists,
            "settings": {
                key: {"value": value, "source": config.source(key)}
                for key, value in settings.items()
            },
        }
        print(json.dumps(report, indent=2))
        return 0
    state = "" if exists else " (not found: every setting is a default)"
    print(f"settings file: {path}{state}")
    if not exists:
        print("  create it to change a setting; $OPTOUT_BOT_CONFIG points to another file")
    width = max(len(key) for key in settings)
    for key, value in settings.items():
        print(f"{key.ljust(width)} = {_toml(value)}  ({config.source(key)})")
    return 0


def _shown(key: str, value: Any) -> Any:
    """A JSON-able value; notification URLs redacted (they often hold tokens)."""
    from optout_bot.base.redact import redact

    if key == "notify":
        return [redact(url) for url in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _toml(value: Any) -> str:
    """A value written as it would be in config.toml (TOML has no null: an unset key)."""
    if value is None:
        return "(not set)"
    return json.dumps(value, ensure_ascii=False)
