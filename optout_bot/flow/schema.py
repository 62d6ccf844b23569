"""A JSON Schema (draft 2020-12) for flow files, generated from the flow language's models.

Editors (VS Code's YAML extension, JetBrains IDEs) use it to complete and check a flow as it is
typed. It is generated, never written by hand: every key, step, locator form, value pattern and
help text comes from `optout_bot.flow.model` and the value kinds it uses, which also validate.
`tests/test_schema.py` fails until the committed copy (`flows/flow.schema.json`) is written
again::

    python -m optout_bot.flow.schema flows/flow.schema.json

The loader (`optout-bot validate`) stays the authority: a schema cannot say everything it
checks (that URLs stay inside `allowed_origins`, that `setting_url` and `navigate` cover
exactly the declared platforms, that a regular expression means the same in the browser).

The schema describes a flow as YAML 1.2 reads it, as editors do: ``wanted: off`` is the
string "off" and ``last_verified: 2026-11-22`` a string.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from optout_bot.flow.model import FORMAT_VERSION, Flow

__all__ = ["DRAFT", "json_schema", "schema_text", "write_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _tidy(schema: Any) -> Any:
    """The generated schema without pydantic's titles, which only repeat class and key names
    (the descriptions say more), and without empty defaults (``null`` for an integer, ``[]``
    for a list that must not be empty). No key of the language is called "title" or
    "default", so no property is lost."""
    if isinstance(schema, dict):
        return {
            k: _tidy(v)
            for k, v in schema.items()
            if k != "title" and not (k == "default" and v in (None, []))
        }
    if isinstance(schema, list):
        return [_tidy(v) for v in schema]
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a flow file, as a JSON-ready dict."""
    schema = _tidy(Flow.model_json_schema(by_alias=True))
    return {"$schema": DRAFT, "title": f"optout-bot flow (format {FORMAT_VERSION})", **schema}


def schema_text() -> str:
    """`json_schema()` as committed: pretty-printed, keys sorted, a trailing newline."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def write_schema(path: str | os.PathLike[str]) -> None:
    """Write `schema_text()` to `path` (UTF-8; the text itself is ASCII)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(schema_text())


if __name__ == "__main__":  # pragma: no cover - `python -m optout_bot.flow.schema PATH`
    if len(sys.argv) != 2:
        print("usage: python -m optout_bot.flow.schema PATH", file=sys.stderr)
        raise SystemExit(2)
    write_schema(sys.argv[1])
