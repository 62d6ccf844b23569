"""Page-side JavaScript: the scripts optout-bot runs inside pages, kept as `.js` files in a
`js/` folder beside the modules that run them (`engine/js/`, `authoring/js/`) and shipped in
the wheel as package data.

A file is either a script exactly as Playwright receives it (an arrow function for
`evaluate`, `evaluate_all`, `evaluate_handle` or `wait_for_function`) or a piece several
scripts share. Two directives, each a comment on a line of its own, put them together:

- ``// @include NAME.js`` is replaced by that file (from the same folder): the switch's
  readers, waits and clicks share one set of functions, so they cannot disagree;
- ``// @const NAME`` is replaced by ``const NAME = <JSON value>;``, the value given by the
  Python side, which uses it too (the CSS of switch-like controls), so the two cannot drift.

Every script is read and put together once (cached), when the module that runs it is
imported: a missing file fails at import, never in the middle of a run. Each file starts
with a comment saying what it does, what it receives and what it returns; comments stay in
what the page gets, where they change nothing.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

_DIRECTIVE = re.compile(r"^[ \t]*// @(include|const) ([\w.-]+)[ \t]*$", re.MULTILINE)

#: Every (package, file name) read so far, includes too: a test compares it with the files.
_read: set[tuple[str, str]] = set()


def load(package: str, name: str, **consts: object) -> str:
    """The script `name` from `package`'s `js/` folder, its directives resolved. `consts`
    are the values its ``// @const`` lines (and those of the files it includes) name."""
    return _load(package, name, tuple(sorted((k, json.dumps(v)) for k, v in consts.items())))


@functools.cache
def _load(package: str, name: str, consts: tuple[tuple[str, str], ...]) -> str:
    text = resources.files(package).joinpath("js").joinpath(name).read_text(encoding="utf-8")
    _read.add((package, name))
    values = dict(consts)

    def resolve(directive: re.Match[str]) -> str:
        kind, arg = directive.groups()
        if kind == "include":
            return _load(package, arg, consts)
        if arg not in values:
            raise KeyError(f"{package}: js/{name} needs a value for its '// @const {arg}'")
        return f"const {arg} = {values[arg]};"

    # Stripped: a trailing line comment would swallow the parenthesis Playwright adds.
    return _DIRECTIVE.sub(resolve, text).strip()


def read_so_far() -> frozenset[tuple[str, str]]:
    """Every (package, file name) loaded so far, directly or through an include."""
    return frozenset(_read)
