"""The flow JSON Schema: generated from the flow language's models, committed up to date, and
in agreement with the loader on the bundled flow and on typical mistakes."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from optout_bot.flow import FlowErrors, load_flow_text
from optout_bot.flow.model import STEP_MODIFIERS, STEP_TYPES
from optout_bot.flow.schema import json_schema, reference_text, schema_text, write_schema

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "flows" / "flow.schema.json"
BUNDLED = ROOT / "tests" / "flows" / "linkedin-ai-training.yaml"
SITE = ROOT / "flows" / "linkedin.yaml"
REFERENCE = ROOT / "docs" / "flow-language.md"

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as editors read it (1.2 core schema): `off` and `2026-11-22` stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def as_editors_read(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)  # a SafeLoader subclass: safe


def schema_errors(data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    data = as_editors_read(BUNDLED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_committed_schema_is_up_to_date() -> None:
    """flows/flow.schema.json is exactly what the flow language's models generate today."""
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "flows/flow.schema.json is stale; regenerate it with "
        "`python -m optout_bot.flow.schema flows/flow.schema.json`"
    )


def test_write_schema_writes_the_committed_form(tmp_path: Path) -> None:
    """write_schema writes sorted, indented JSON with a trailing newline."""
    out = tmp_path / "flow.schema.json"
    write_schema(out)
    text = out.read_text(encoding="utf-8")
    assert text == schema_text()
    assert text.endswith("}\n") and text.startswith('{\n  "$defs"')


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The generated schema is itself valid against the 2020-12 meta-schema."""
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return schema["$defs"][ref.rsplit("/", 1)[-1]] if ref else node


def test_every_step_type_and_modifier_is_in_the_schema() -> None:
    """Each registered step is one oneOf branch (plus a bare name when it takes no value),
    described by its HELP, and every branch allows exactly the modifiers."""
    schema = json_schema()
    branches = [_resolve(schema, b) for b in schema["$defs"]["step"]["oneOf"]]
    objects = {b["required"][0]: b for b in branches if b.get("type") == "object"}
    bare = {b["const"] for b in branches if "const" in b}
    assert set(objects) == set(STEP_TYPES)
    assert bare == {k for k, cls in STEP_TYPES.items() if not cls.NEEDS}
    for key, branch in objects.items():
        assert branch["description"] == STEP_TYPES[key].HELP
        assert set(branch["properties"]) == {key, *STEP_MODIFIERS}
        assert branch["additionalProperties"] is False


def _objects(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every mapping of the language (a one-setting flow and a site file included)."""
    return [(name, d) for name, d in schema["$defs"].items() if d.get("type") == "object"]


def test_every_key_has_a_value_schema() -> None:
    """No key of any mapping accepts anything, and no mapping accepts keys it does not list."""
    for where, mapping in _objects(json_schema()):
        assert mapping["additionalProperties"] is False, where
        for key, value in mapping["properties"].items():
            assert {"type", "enum", "$ref", "anyOf", "oneOf"} & set(value), f"{where}.{key}"


def test_required_keys_say_what_they_are_for() -> None:
    """Every required key of the flow and its mappings has a description (the loader's hint)."""
    for where, mapping in _objects(json_schema()):
        for key in mapping.get("required", []):
            if not where.endswith("Locator"):  # a locator's one key is described by its kind
                assert mapping["properties"][key].get("description"), f"{where}.{key}"


def test_bundled_flow_validates(bundled: dict[str, Any]) -> None:
    """The bundled LinkedIn flow is valid against the schema, as an editor reads it."""
    assert schema_errors(bundled) == []


def test_dollar_schema_key_is_allowed(bundled: dict[str, Any]) -> None:
    """A flow may name its schema for editors (`$schema:`), as the loader allows."""
    data = {"$schema": "./flow.schema.json", **bundled}
    assert schema_errors(data) == []


def _bad(bundled: dict[str, Any], change: Any) -> list[str]:
    data = copy.deepcopy(bundled)
    change(data)
    return schema_errors(data)


_STEP = "navigate/desktop/6"
_TARGET = "switch/target"

# (what is wrong, the change that makes it wrong, where the schema reports it)
_MISTAKES: list[tuple[str, Any, str]] = [
    ("unknown step", lambda d: d["navigate"]["desktop"].append({"clik": {"css": "a"}}), _STEP),
    ("unknown bare step", lambda d: d["navigate"]["desktop"].append("reloa"), _STEP),
    ("bare step that needs a value", lambda d: d["navigate"]["desktop"].append("click"), _STEP),
    (
        "two actions in one step",
        lambda d: d["navigate"]["desktop"].append({"reload": None, "goto_setting": None}),
        _STEP,
    ),
    (
        "unknown modifier",
        lambda d: d["navigate"]["desktop"].append({"reload": None, "retries": 3}),
        _STEP,
    ),
    (
        "timeout too long",
        lambda d: d["navigate"]["desktop"].append({"reload": None, "timeout": 10**6}),
        _STEP,
    ),
    ("bad role", lambda d: d["switch"]["target"].append({"role": "swtich", "name": "x"}), _TARGET),
    (
        "two strategies in one locator",
        lambda d: d["switch"]["target"].append({"css": "a", "text": "b"}),
        _TARGET,
    ),
    (
        "name without role",
        lambda d: d["switch"]["target"].append({"css": "a", "name": "b"}),
        _TARGET,
    ),
    (
        "name and name_regex",
        lambda d: d["switch"]["target"].append({"role": "switch", "name": "a", "name_regex": "a"}),
        _TARGET,
    ),
    (
        "Playwright selector syntax",
        lambda d: d["switch"]["target"].append({"css": "xpath=//a"}),
        _TARGET,
    ),
    ("empty target list", lambda d: d["switch"].update(target=[]), _TARGET),
    ("bad wanted state", lambda d: d["switch"].update(wanted="disabled"), "switch/wanted"),
    ("unknown top-level key", lambda d: d.update(stepz=[]), ""),
    ("missing required key", lambda d: d.pop("login"), ""),
    ("unknown platform", lambda d: d.update(platforms=["desktop", "tablet"]), "platforms/1"),
    (
        "http URL",
        lambda d: d["setting_url"].update(desktop="http://www.linkedin.com/x"),
        "setting_url/desktop",
    ),
    (
        "origin with a path",
        lambda d: d.update(allowed_origins=["https://www.linkedin.com/feed"]),
        "allowed_origins/0",
    ),
    ("flow id not a slug", lambda d: d.update(id="LinkedIn AI"), "id"),
    ("bad screenshot name", lambda d: d["verify"].append({"screenshot": "../x"}), "verify/0"),
    (
        "bad missing_means",
        lambda d: d["navigate"]["desktop"][-1].update(missing_means="gone"),
        "navigate/desktop/5",
    ),
    (
        "title not a string",
        lambda d: d["navigate"]["desktop"].append({"reload": None, "title": {"a": "b"}}),
        _STEP,
    ),
    (
        "title too long",
        lambda d: d["navigate"]["desktop"].append({"reload": None, "title": "Open " * 20}),
        _STEP,
    ),
    ("date not a date", lambda d: d.update(last_verified="22/11/2026"), "last_verified"),
    ("newer flow format", lambda d: d.update(format=99), "format"),
]


@pytest.mark.parametrize(("what", "change", "where"), _MISTAKES, ids=[m[0] for m in _MISTAKES])
def test_invalid_flows_fail_schema_validation(
    bundled: dict[str, Any], what: str, change: Any, where: str
) -> None:
    """Typical mistakes fail against the schema, as they fail in the loader, at that place."""
    errors = _bad(bundled, change)
    assert errors, what
    assert all(e.startswith(f"{where}:") for e in errors), errors


def test_schema_and_loader_agree_on_step_forms(bundled: dict[str, Any]) -> None:
    """Every way the loader accepts a value-less step (bare, empty, true) the schema accepts."""
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "verify: []",
        "verify:\n  - reload\n  - reload:\n  - reload: true\n    optional: true\n"
        "  - screenshot: after-verify\n    timeout: 5000\n"
        "  - wait_for: {role: switch, name_regex: '^Use'}\n    missing_means: not_offered\n"
        "  - reload:\n    title: Reload the setting's page\n",
    )
    load_flow_text(text)  # the loader accepts it
    assert schema_errors(as_editors_read(text)) == []


def test_loader_rejects_what_the_schema_rejects(bundled: dict[str, Any]) -> None:
    """Spot check the other way round: a bad role is refused by both."""
    text = BUNDLED.read_text(encoding="utf-8").replace("- role: switch", "- role: swtich")
    with pytest.raises(FlowErrors, match="unknown role 'swtich'"):
        load_flow_text(text)
    assert schema_errors(as_editors_read(text))


def test_committed_reference_is_up_to_date() -> None:
    """docs/flow-language.md is exactly the reference the flow language's models generate."""
    assert REFERENCE.read_text(encoding="utf-8") == reference_text(), (
        "docs/flow-language.md is stale; regenerate it with "
        "`python -m optout_bot.flow.schema docs/flow-language.md`"
    )


def test_reference_lists_every_step_and_key() -> None:
    """Every step type (with its help and example) and every top-level key is in the reference."""
    text = reference_text()
    for key, cls in STEP_TYPES.items():
        assert f"| `{key}` |" in text and cls.HELP in text and cls.EXAMPLE in text
    defs = json_schema()["$defs"]
    for model in ("Flow", "SiteFile", "RouteSpec", "SettingSpec"):
        for key in defs[model]["properties"]:
            assert f"| `{key}` |" in text, (model, key)


def test_write_schema_writes_the_reference_for_a_markdown_path(tmp_path: Path) -> None:
    """The regeneration command writes the reference when given a .md path."""
    out = tmp_path / "flow-language.md"
    write_schema(out)
    assert out.read_text(encoding="utf-8") == reference_text()
