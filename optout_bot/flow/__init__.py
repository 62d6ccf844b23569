"""Flow files: the typed model, and the loader that validates untrusted YAML into it."""

from optout_bot.flow.loader import (
    FlowError,
    FlowErrors,
    load_flow,
    load_flow_text,
    load_flows,
    validate_paths,
)

__all__ = [
    "FlowError",
    "FlowErrors",
    "load_flow",
    "load_flow_text",
    "load_flows",
    "validate_paths",
]
