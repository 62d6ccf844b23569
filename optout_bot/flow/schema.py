"""A JSON Schema (draft 2020-12) for flow files, generated from the flow model and the loader.

Editors (VS Code's YAML extension, JetBrains IDEs) use it to complete and check a flow as it is
typed. It is generated, never written by hand: the step types and their help come from the
model's registry (`STEP_TYPES`), the keys, which are required and what each is for from the
loader's key tables (`_TOP_KEYS`, `_LOGIN_KEYS`, ...), the locator keys from the loader's
strategy table, and roles, platforms and states from the same tuples the loader checks
against. Adding a step type or a key updates the schema; `tests/test_schema.py` fails until
the committed copy (`flows/flow.schema.json`) is written again::

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
import re
import sys
from collections.abc import Mapping
from typing import Any

from optout_bot.flow import loader
from optout_bot.flow.loader import (
    _LOCATOR_KEYS,
    _LOGIN_KEYS,
    _OVERLAY_KEYS,
    _STRATEGY_KEYS,
    _SWITCH_KEYS,
    _TOP_KEYS,
    ARIA_ROLES,
    MAX_CSS_CHARS,
    MAX_REGEX_CHARS,
    MAX_TIMEOUT_MS,
    _Key,
)
from optout_bot.flow.model import (
    FORMAT_VERSION,
    LOCATOR_STRATEGIES,
    MISSING_MEANS,
    PLATFORMS,
    STEP_MODIFIERS,
    STEP_TYPES,
    WANTED_STATES,
    StepArg,
)

__all__ = ["DRAFT", "json_schema", "schema_text", "write_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _whole(pattern: str) -> str:
    """A Python `fullmatch` pattern as a JSON Schema pattern (which searches, unanchored)."""
    return f"^(?:{pattern})$"


def _host_pattern() -> str:
    """The loader's host-name pattern, without its length look-ahead (which ends in Python's
    ``\\Z``) and with upper case allowed (the loader lowercases host names)."""
    pattern = loader._HOST_RE.pattern
    lookahead = re.match(r"\(\?=[^)]*\)", pattern)
    if lookahead:
        pattern = pattern[lookahead.end() :]
    return pattern.replace("a-z", "A-Za-z")


def _text_pattern() -> str:
    """No control characters or bidirectional overrides, as the loader refuses them."""
    forbidden = loader._FORBIDDEN_CHARS_RE.pattern
    assert forbidden.startswith("[") and forbidden.endswith("]"), forbidden
    return f"^[^{forbidden[1:-1]}]*$"


def _text(max_len: int, *, allow_empty: bool = False) -> Schema:
    schema: Schema = {"type": "string", "maxLength": max_len, "pattern": _text_pattern()}
    if not allow_empty:
        schema["minLength"] = 1
    return schema


# -- values --------------------------------------------------------------------------------------


def _defs() -> dict[str, Schema]:
    host = _host_pattern()
    engine_prefix = "^" + loader._ENGINE_PREFIX_RE.pattern
    defs: dict[str, Schema] = {
        "url": {
            "type": "string",
            "maxLength": 2000,
            "pattern": f"^https://(?:{host})(?::[0-9]+)?(?:[/?#][^\\s\\\\]*)?$",
            "description": "an https URL whose origin is in allowed_origins",
        },
        "origin": {
            "type": "string",
            "maxLength": 2000,
            "pattern": f"^https://(?:{host})(?::[0-9]+)?/?$",
            "description": "an https origin, with no path: https://www.example.com",
        },
        "regex": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_REGEX_CHARS,
            "format": "regex",
            "description": "a regular expression (searched, not anchored: add ^ and $); "
            "no (?i), (?P<name>...) or \\A / \\Z, which browsers do not understand",
        },
        "regex_list": {"type": "array", "items": _ref("regex")},
        "css": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_CSS_CHARS,
            "pattern": "\\S",
            # The loader refuses Playwright's own selector syntax: flows hold plain CSS.
            "not": {
                "anyOf": [
                    {"pattern": ">>"},
                    {"pattern": engine_prefix},
                    {"pattern": "^\\s*(?://|\\.\\.|[\"'])"},
                ]
            },
            "description": "a CSS selector (plain CSS, not Playwright's selector syntax); "
            "prefer language-independent attributes",
        },
        "screenshot_name": {
            "type": "string",
            "pattern": _whole(loader._SCREENSHOT_NAME_RE.pattern),
            "description": "up to 64 letters, digits, '-' and '_': it becomes a file name",
        },
        "locator": _locator_schema(),
        "target": {
            "description": "one locator, or a list of alternatives (the first that matches "
            "wins): language-independent attributes first, then role + name",
            "oneOf": [
                _ref("locator"),
                {"type": "array", "minItems": 1, "items": _ref("locator")},
            ],
        },
        "targets": {"type": "array", "items": _ref("target")},
        "step": _step_schema(),
        "steps": {"type": "array", "items": _ref("step")},
        "overlay": _mapping(
            _OVERLAY_KEYS,
            _overlay_values(),
            "something that can pop up over any page, and how to close it",
        ),
    }
    return defs


#: The value each locator key takes (keys from the loader's strategy table).
def _locator_value(key: str) -> Schema:
    strategy = _STRATEGY_KEYS[key]
    if strategy == "css":
        return _ref("css")
    if strategy == "role":
        return {"enum": sorted(ARIA_ROLES), "description": "the ARIA role"}
    if key.endswith("_regex"):
        return {**_ref("regex"), "description": f"the {strategy} text, as a regular expression"}
    if strategy == "test_id":
        return {"type": "string", "minLength": 1, "maxLength": 200, "description": "data-testid"}
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": 500,
        "description": f"the {strategy} text, matched exactly",
    }


def _locator_schema() -> Schema:
    """One locator: exactly one strategy key; `name` / `name_regex` (one of them) with role."""
    assert set(_STRATEGY_KEYS.values()) == set(LOCATOR_STRATEGIES)
    extras = [k for k in _LOCATOR_KEYS if k not in _STRATEGY_KEYS]
    variants: list[Schema] = []
    for key in _STRATEGY_KEYS:
        properties: Schema = {key: _locator_value(key)}
        variant: Schema = {
            "type": "object",
            "required": [key],
            "properties": properties,
            "additionalProperties": False,
        }
        if _STRATEGY_KEYS[key] == "role":
            for extra in extras:
                properties[extra] = (
                    {**_ref("regex"), "description": "the accessible name, as a regular expression"}
                    if extra.endswith("_regex")
                    else {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 500,
                        "description": "the accessible name, matched exactly",
                    }
                )
            variant["not"] = {"required": extras}
        variants.append(variant)
    return {
        "description": "one way to find an element: exactly one of "
        + ", ".join(_STRATEGY_KEYS)
        + "; name or name_regex go with role only",
        "oneOf": variants,
    }


# -- steps -------------------------------------------------------------------------------------

_ARG_SCHEMAS: dict[StepArg, Schema] = {
    "target": _ref("target"),
    "url": _ref("url"),
    "regex": _ref("regex"),
    "name": _ref("screenshot_name"),
    # `- reload`, `reload:` or `reload: true`
    "none": {"enum": [None, True], "description": "no value (or true)"},
}

#: The value each step modifier takes. Keyed by `STEP_MODIFIERS`: a modifier added there
#: without an entry here makes `json_schema()` fail, rather than the schema silently accept
#: anything.
_MODIFIER_SCHEMAS: dict[str, Schema] = {
    "optional": {
        "type": "boolean",
        "description": "a step that cannot be done is skipped, not a failure",
    },
    "timeout": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_TIMEOUT_MS,
        "description": "how long this step may wait, in milliseconds",
    },
    "missing_means": {
        "enum": list(MISSING_MEANS),
        "description": "what it means when the element is not found: the flow broke (exit 1), "
        "or the site does not offer the setting to this account (exit 5)",
    },
}


def _step_schema() -> Schema:
    """A bare step name (for steps that take no value), or a mapping with exactly one action
    key from the registry plus modifiers."""
    modifiers = {name: _MODIFIER_SCHEMAS[name] for name in STEP_MODIFIERS}
    variants: list[Schema] = []
    for key, cls in STEP_TYPES.items():
        if cls.ARG == "none":
            variants.append({"const": key, "description": cls.HELP})
        variants.append(
            {
                "type": "object",
                "description": cls.HELP,
                "required": [key],
                "properties": {key: {**_ARG_SCHEMAS[cls.ARG], "description": cls.HELP}},
                "additionalProperties": False,
            }
        )
        variants[-1]["properties"].update(modifiers)
    return {
        "description": "one action ("
        + ", ".join(STEP_TYPES)
        + ") plus optional modifiers ("
        + ", ".join(STEP_MODIFIERS)
        + ")",
        "oneOf": variants,
    }


# -- mappings ------------------------------------------------------------------------------------


def _mapping(keys: Mapping[str, _Key], values: Mapping[str, Schema], description: str) -> Schema:
    """An object with exactly the keys of a loader key table, each described by its help."""
    return {
        "type": "object",
        "description": description,
        "required": [name for name, spec in keys.items() if spec.required],
        "properties": {
            # A key without a value schema here accepts any value: the table stays the list
            # of keys (tests/test_schema.py asks for a value schema for each).
            name: {**values.get(name, {}), "description": spec.help}
            for name, spec in keys.items()
        },
        "additionalProperties": False,
    }


def _per_platform(value: Schema) -> Schema:
    return {
        "type": "object",
        "minProperties": 1,
        "properties": {platform: value for platform in PLATFORMS},
        "additionalProperties": False,
    }


def _top_values() -> dict[str, Schema]:
    return {
        "format": {"type": "integer", "minimum": 1, "maximum": FORMAT_VERSION},
        "id": {"type": "string", "pattern": _whole(loader._SLUG_RE.pattern)},
        "site": _text(2000),
        "setting": _text(2000),
        "description": _text(5000),
        # `version: 1.10` is read as written by the loader; YAML 1.2 makes it a number.
        "version": {
            "anyOf": [
                {"type": "string", "pattern": _whole(loader._VERSION_RE.pattern)},
                {"type": "number"},
            ]
        },
        "last_verified": {
            "type": "string",
            "format": "date",
            "pattern": _whole(loader._DATE_RE.pattern),
        },
        "ui_variant": {"anyOf": [_text(500, allow_empty=True), {"type": "null"}]},
        "platforms": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": list(PLATFORMS)},
        },
        "allowed_origins": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": _ref("origin"),
        },
        "setting_url": _per_platform(_ref("url")),
        "login": _mapping(_LOGIN_KEYS, _login_values(), "how to tell a signed-in page"),
        "switch": _mapping(_SWITCH_KEYS, _switch_values(), "the switch and the state wanted"),
        "navigate": _per_platform({**_ref("steps"), "minItems": 1}),
        "verify": _ref("steps"),
        "not_offered": _ref("targets"),
        "overlays": {"type": "array", "items": _ref("overlay")},
        "mask": _ref("targets"),
        "$schema": {"type": "string"},
    }


def _login_values() -> dict[str, Schema]:
    return {
        "url": _ref("url"),
        "logged_out_urls": _ref("regex_list"),
        "security_check_urls": _ref("regex_list"),
        "signed_in": _ref("target"),
    }


def _switch_values() -> dict[str, Schema]:
    return {
        "label": _text(500),
        "target": _ref("target"),
        "wanted": {"enum": list(WANTED_STATES)},
    }


def _overlay_values() -> dict[str, Schema]:
    return {"appears": _ref("target"), "dismiss": _ref("target")}


#: The tables `_mapping` is given, and their value schemas: the test checks that every key of
#: every table has one.
def value_schemas() -> dict[str, tuple[Mapping[str, _Key], dict[str, Schema]]]:
    return {
        "flow": (_TOP_KEYS, _top_values()),
        "login": (_LOGIN_KEYS, _login_values()),
        "switch": (_SWITCH_KEYS, _switch_values()),
        "overlay": (_OVERLAY_KEYS, _overlay_values()),
    }


# -- the schema ----------------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a flow file, as a JSON-ready dict."""
    top = _mapping(
        _TOP_KEYS,
        _top_values(),
        "An optout-bot flow: where a setting lives, how a person gets there, which switch it "
        "is and the state wanted. Check a flow with `optout-bot validate FILE`, which is the "
        "authority; this schema is for editors.",
    )
    schema: Schema = {
        "$schema": DRAFT,
        "title": f"optout-bot flow (format {FORMAT_VERSION})",
        **top,
        "$defs": _defs(),
    }
    return schema


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
