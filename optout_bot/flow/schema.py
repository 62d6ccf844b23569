"""Generated from the models: the JSON Schema of flow files (for editors, which read YAML 1.2)
and the reference in the docs. Tests fail until the committed copies are written again::

    python -m optout_bot.flow.schema flows/flow.schema.json docs/flow-language.md

The loader stays the authority: a schema cannot say everything it checks (that URLs stay inside
`allowed_origins`, that a regular expression means the same in the browser, ...).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from optout_bot.base import templates
from optout_bot.flow import model as m

__all__ = ["DRAFT", "json_schema", "reference_text", "schema_text", "write_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _tidy(schema: Any, keys: bool = False) -> Any:
    """Without pydantic's titles, which repeat class and key names (the descriptions say
    more), and empty defaults (null for a number). `keys`: `schema` maps a model's keys to
    their schemas (`properties`), where `title` is a key of the language (a step's)."""
    if isinstance(schema, dict):
        return {
            k: _tidy(v, keys=k == "properties" and not keys)
            for k, v in schema.items()
            if (keys or k != "title") and v not in (None, [])
        }
    return [_tidy(v) for v in schema] if isinstance(schema, list) else schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a flow file, either format, as a JSON-ready dict."""
    from pydantic import TypeAdapter

    either: TypeAdapter[m.Flow | m.SiteFile] = TypeAdapter(m.Flow | m.SiteFile)
    schema = _tidy(either.json_schema(by_alias=True))
    flow, site = schema.pop("anyOf")
    # Chosen by `format`, as the loader chooses: an editor then reports a mistake where it
    # is, not "valid under none of the formats".
    schema |= {
        "if": {"properties": {"format": {"const": 2}}, "required": ["format"]},
        "then": site,
        "else": flow,
    }
    title = f"optout-bot flow (format 1: one setting; format {m.FORMAT_VERSION}: a site file)"
    return {"$schema": DRAFT, "title": title, **schema}


def schema_text() -> str:
    """`json_schema()` as committed: pretty-printed, keys sorted, a trailing newline."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def reference_text() -> str:
    """The flow language's reference, in Markdown: its keys, steps and locators."""
    env = templates.environment("optout_bot.flow", html=False)
    return env.get_template("flow-language.md.j2").render(m=m).rstrip() + "\n"


def write_schema(path: str | os.PathLike[str]) -> None:
    """Write `schema_text()` (or, for a ``.md`` path, `reference_text()`) to `path`."""
    text = reference_text() if os.fspath(path).endswith(".md") else schema_text()
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


if __name__ == "__main__":  # pragma: no cover - `python -m optout_bot.flow.schema PATH...`
    if len(sys.argv) < 2:
        print("usage: python -m optout_bot.flow.schema PATH.json|PATH.md ...", file=sys.stderr)
        raise SystemExit(2)
    for path in sys.argv[1:]:
        write_schema(path)
