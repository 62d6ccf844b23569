"""A flow back in the flow language: the inverse of the loader, for the flows optout-bot
writes itself (a repair's proposal, a recording). One description: the keys are the model's
own aliases, so a key added to the model is written without a change here.

`flow_data(flow)` is the flow as plain data (what `yaml.safe_load` of its file would give),
one setting per file (format 1); `dump_flow(flow)` is that as YAML text. Loading the text
gives the same flow (tests/test_flow_writer.py holds every bundled flow to that).
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

from optout_bot.flow import model as m

#: Steps whose action takes no value: written bare, as people write them.
_BARE: dict[type, str] = {m.GotoSetting: "goto_setting", m.Reload: "reload"}


def dump_flow(flow: m.Flow) -> str:
    """The flow as the text of a one-setting flow file."""
    return dump_data(flow_data(flow))


def dump_data(data: dict[str, Any]) -> str:
    """Flow data (`flow_data`, edited or read back) as the text of a flow file: keys in the
    order given, every line whole."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=2**31 - 1, indent=2)


def flow_data(flow: m.Flow) -> dict[str, Any]:
    data = _model(flow)
    data.pop("format", None)
    return {"format": m.ONE_SETTING_FORMAT, **data}


def _model(obj: BaseModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fields = type(obj).model_fields
    if isinstance(obj, m.StepBase):  # the action first, then its modifiers (title, ...)
        base = m.StepBase.model_fields
        fields = {**{k: f for k, f in fields.items() if k not in base}, **base}
    for name, field in fields.items():
        value = getattr(obj, name)
        if value is None or value == field.default:
            continue
        if isinstance(value, (tuple, list)) and not value and not field.is_required():
            continue
        out[field.alias or name] = _value(value)
    return out


def _value(value: Any) -> Any:
    if isinstance(value, m.Target):
        return [_locator(a) for a in value.alternatives]
    if type(value) in _BARE:
        rest = _model(value)
        rest.pop(_BARE[type(value)], None)
        return {_BARE[type(value)]: None, **rest} if rest else _BARE[type(value)]
    if isinstance(value, BaseModel):
        return _model(value)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_value(v) for v in value]
    pattern = getattr(value, "pattern", None)  # a regular expression: re's, RE2's, UrlPattern
    if pattern is not None and not isinstance(value, str):
        return pattern if isinstance(pattern, str) else pattern.pattern
    return value


def _locator(alt: m.Locator) -> dict[str, Any]:
    if alt.strategy == "role":
        out: dict[str, Any] = {"role": alt.value}
        if alt.pattern is not None:
            out["name_regex"] = alt.pattern.pattern
        elif alt.name is not None:
            out["name"] = alt.name
        return out
    if alt.pattern is not None:
        return {f"{alt.strategy}_regex": alt.pattern.pattern}
    return {alt.strategy: alt.value}
