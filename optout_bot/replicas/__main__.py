"""Serve the replica in the foreground for poking at it by hand:

    python -m optout_bot.replicas [--port 8443] [--not-offered] [--promo-dialog] [--language de] ...

It prints the Chromium switches to use; stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import threading

from optout_bot.replicas import Replica, Scenario
from optout_bot.replicas.state import LOGGED_OUT_REDIRECTS, PROMO_PAGES, SWITCH_MARKUPS
from optout_bot.replicas.strings import STRINGS

#: Scenario fields that take one of a few values.
_CHOICES = {
    "logged_out_redirect": LOGGED_OUT_REDIRECTS,
    "language": tuple(STRINGS),
    "switch_markup": SWITCH_MARKUPS,
    "promo_at": PROMO_PAGES,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m optout_bot.replicas",
        description="Serve the local LinkedIn replica on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free)")
    scenario = parser.add_argument_group("scenario (how the site misbehaves)")
    # One option per Scenario field, so the two cannot drift apart.
    for field in dataclasses.fields(Scenario):
        flag = "--" + field.name.replace("_", "-")
        if field.type in (bool, "bool"):
            scenario.add_argument(flag, action="store_true")
        elif field.type in (int, "int"):
            scenario.add_argument(flag, type=int, default=field.default, metavar="MS")
        elif field.name in _CHOICES:
            scenario.add_argument(flag, choices=_CHOICES[field.name], default=field.default)
        else:
            scenario.add_argument(flag, default=field.default)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scenario = Scenario(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Scenario)})
    try:
        with Replica(port=args.port, scenario=scenario) as replica:
            switches = " ".join(shlex.quote(a) for a in replica.chromium_args())
            print(
                f"LinkedIn replica on https://{replica.host}:{replica.port} (as {replica.base_url})"
            )
            print(f"chromium args: {switches}")
            print(f"try: chromium --user-data-dir=$(mktemp -d) {switches} {replica.base_url}/login")
            print("Sign in with any email and password. Ctrl-C stops.", flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
