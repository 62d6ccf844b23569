"""Load flow files, which are untrusted: YAML in, a validated `Flow` or located errors out.

At most `MAX_FILE_BYTES` of strict UTF-8 are composed (`safe_yaml`) and validated (`model`); the
YAML layer's problems and the language's are raised together as `FlowErrors`, in file order.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from optout_bot.flow.model import Flow, Locator, SiteFile, Target, TargetField
from optout_bot.flow.safe_yaml import Mark, Scalar, YMap, compose, locate
from optout_bot.flow.values import explain, forbidden_char

__all__ = [
    "FlowError",
    "FlowErrors",
    "load_flow",
    "load_flow_text",
    "load_flows",
    "load_flows_data",
    "locator_problem",
    "validate_paths",
]

MAX_FILE_BYTES = 256 * 1024
#: The characters of `values.FORBIDDEN_CHARS_RE` that PyYAML's reader lets through anywhere,
#: comments included (it refuses the other controls itself), lone surrogates (which it refuses
#: with a vaguer message), and a carriage return that no line feed follows (YAML reads it as a
#: line break, grep does not).
#: Refusing them first keeps every line number the same as `grep -n` and editors show, and
#: no step can hide "inside a comment" behind a line break nobody sees.
_HIDDEN_RE = re.compile(
    "[\x85\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)
_HIDDEN_HINT = {
    "line separator": "YAML reads it as a line break where editors and grep -n show none",
    "bidirectional control": "it changes the order in which the text around it is shown",
    "lone surrogate": "it is not a character at all",
}
#: At most this many hidden characters are listed; the rest are counted.
_HIDDEN_LISTED = 10


@dataclass(frozen=True)
class FlowError:
    """One problem in a flow file: ``file:line:col: path: message (hint)``; no path for a
    problem of the whole file (a YAML syntax error, an unreadable file)."""

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        path = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.line}:{self.col}: {path}{self.message}{hint}"


class FlowErrors(Exception):
    """Every problem found in one flow file, in file order; ``str()`` prints one per line."""

    def __init__(self, errors: Sequence[FlowError]) -> None:
        self.errors: list[FlowError] = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __iter__(self) -> Iterator[FlowError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


def _fail(file: str, message: str, line: int = 1, col: int = 1, hint: str = "") -> FlowErrors:
    """The one problem of a file that cannot be read as a flow at all."""
    return FlowErrors([FlowError(file, line, col, "", message, hint)])


def _hidden_characters(text: str, filename: str) -> list[FlowError]:
    """Each hidden character in `text`, at its line and column as `grep -n` counts them."""
    found = list(_HIDDEN_RE.finditer(text))
    errors = []
    for match in found[:_HIDDEN_LISTED]:
        index = match.start()
        line, col = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
        if match.group() == "\r":
            what, hint = (
                "a carriage return (U+000D) without a line feed",
                "save the file with \\n or \\r\\n line endings",
            )
        else:
            what = forbidden_char(match.group())
            hint = _HIDDEN_HINT[what.rsplit(" U+", 1)[0]] + "; delete it"
        errors.append(
            FlowError(filename, line, col, "", f"{what} is not allowed in a flow file", hint)
        )
    if len(found) > _HIDDEN_LISTED:
        last = errors[-1]
        more = f"and {len(found) - _HIDDEN_LISTED} more such characters after this one"
        errors.append(FlowError(filename, last.line, last.col, "", more))
    return errors


def _is_site_file(root: object) -> bool:
    """A format 2 file: it says so, or it lists settings."""
    if not isinstance(root, dict):
        return False
    fmt = root.get("format")
    return "settings" in root or (isinstance(fmt, Scalar) and fmt.text == "2")


def _parse(text: str, filename: str) -> tuple[Flow, ...]:
    errors: list[FlowError] = []

    def report(mark: Mark, path: str, message: str, hint: str) -> None:
        errors.append(FlowError(filename, mark.line, mark.col, path, message, hint))

    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise _fail(filename, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
    hidden = _hidden_characters(text, filename)
    if hidden:
        raise FlowErrors(hidden)
    try:
        root = compose(text, filename, report)
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, col = (where.line + 1, where.column + 1) if where is not None else (1, 1)
        hint = ""
        if exc.context and exc.context_mark is not None and exc.context_mark is not where:
            hint = f"{exc.context} at line {exc.context_mark.line + 1}"
        message = f"YAML syntax error: {exc.problem or exc.context}"
        raise _fail(filename, message, line, col, hint) from None
    except yaml.YAMLError as exc:
        # A reader error (a character YAML does not allow) has a character index, not a mark.
        index = getattr(exc, "position", 0)
        line, col = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
        raise _fail(filename, f"YAML error: {getattr(exc, 'reason', exc)}", line, col) from None

    if root is None:  # an empty file, or one the YAML layer stopped reading
        hint = "a flow is a mapping starting with `format: 1` (one setting) or `format: 2`"
        raise FlowErrors(errors) if errors else _fail(filename, "the file is empty", hint=hint)
    model: type[Flow] | type[SiteFile] = SiteFile if _is_site_file(root) else Flow
    flows: tuple[Flow, ...] = ()
    try:
        parsed = model.model_validate(root, context={})
        flows = parsed.flows() if isinstance(parsed, SiteFile) else (parsed,)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            for loc, message, hint, at_key in explain(error, root):
                _, mark, path = locate(root, loc, at_key)
                report(mark, path, message, hint)
        if not errors:  # every refusal is explained or was reported; this is a safety net
            errors.append(FlowError(filename, 1, 1, "", "the flow is not valid"))
    if errors:
        # The YAML layer's problems and the language's, in file order; at one place, a
        # mapping's unknown keys before its missing ones (the likely misspellings of them).
        order = sorted(errors, key=lambda e: (e.line, e.col, e.message.startswith("missing ")))
        raise FlowErrors(order)
    return flows


def _one(flows: tuple[Flow, ...], filename: str, flow_id: str | None) -> Flow:
    """The flow `flow_id` names in a file, or its only one."""
    ids = [f.id for f in flows]
    if flow_id is not None:
        for flow in flows:
            if flow.id == flow_id:
                return flow
        raise _fail(
            filename, f"no setting {flow_id!r} in this file", hint=f"it has: {', '.join(ids)}"
        )
    if len(flows) == 1:
        return flows[0]
    raise _fail(
        filename,
        f"this site file describes {len(flows)} settings; say which",
        hint=f"use {filename}#ID or the id alone, one of: {', '.join(ids)}",
    )


def load_flow_text(text: str, filename: str = "<flow>", flow_id: str | None = None) -> Flow:
    """Validate a flow given as text (its ``sha256`` is the UTF-8 text's; ``source`` is None);
    from a site file, the setting `flow_id` (or its only one)."""
    flows = _parse(text, filename)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    for flow in flows:
        flow._sha256 = digest
    return _one(flows, filename, flow_id)


def load_flow(path: str | os.PathLike[str], flow_id: str | None = None) -> Flow:
    """Read and validate the flow in `path` (from a site file, the setting `flow_id`, or its
    only one); errors name the file as given, ``source`` is the resolved path and ``sha256``
    the digest of the bytes (what the evidence records)."""
    return _one(load_flows(path), os.fspath(path), flow_id)


def load_flows(path: str | os.PathLike[str]) -> tuple[Flow, ...]:
    """Every flow in `path`: the one of a format 1 file, each setting of a site file."""
    filename = os.fspath(path)
    try:
        with open(filename, "rb") as fh:
            # Read one byte past the limit rather than trusting stat(): a FIFO or a file that
            # grows while we read must not get us to read without bound.
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _fail(filename, f"cannot read file: {exc.strerror or exc}") from None
    flows = load_flows_data(data, filename)
    source = Path(filename).resolve()
    for flow in flows:
        flow._source = source
    return flows


def load_flows_data(data: bytes, filename: str) -> tuple[Flow, ...]:
    """Every flow in a file's bytes, read as `load_flows` reads a file (errors name it
    `filename`, ``sha256`` is the digest of the bytes, ``source`` is None): for files that
    are not on disk yet, such as a flow source's files read from git."""
    if len(data) > MAX_FILE_BYTES:
        raise _fail(filename, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})"
        raise _fail(filename, message, line, col, "save it as UTF-8") from None
    flows = _parse(text, filename)
    digest = hashlib.sha256(data).hexdigest()
    for flow in flows:
        flow._sha256 = digest
    return flows


def validate_paths(paths: Iterable[str | os.PathLike[str]]) -> dict[str, list[FlowError]]:
    """Every problem of every file, by path as given (an empty list means the file is valid),
    for ``optout-bot validate FILE...``, which reports all files, not just the first bad one."""
    results: dict[str, list[FlowError]] = {}
    for path in paths:
        try:
            load_flows(path)
            results[os.fspath(path)] = []
        except FlowErrors as exc:
            results[os.fspath(path)] = exc.errors
    return results


@functools.cache
def _target_reader() -> TypeAdapter[Target]:
    return TypeAdapter(TargetField)


def locator_problem(locator: dict[str, str]) -> str | None:
    """Why a flow's target could not be `locator` (``{"css": ...}``, ``{"role": ..., "name":
    ...}``), in the loader's words, or None: tools that write flows (inspect) ask the loader's
    own checks, quoted values and all, before they suggest anything."""
    read = _read_locator(locator)
    return read if isinstance(read, str) else None


def as_locator(locator: dict[str, str]) -> Locator:
    """`locator` as the flow's locator model, read as the loader reads a flow's (so every
    key it takes means the same here); ValueError, in the loader's words, when it is none."""
    read = _read_locator(locator)
    if isinstance(read, str):
        raise ValueError(read)
    return read


def _read_locator(locator: dict[str, str]) -> Locator | str:
    """The locator, or why a flow's target could not be it."""
    mark = Mark("<locator>", 1, 1)
    node = YMap(mark)
    for key, value in locator.items():
        node[key] = Scalar(mark, value, plain=False)
        node.key_marks[key] = mark
    try:
        target = _target_reader().validate_python(node, context={})
    except ValidationError as exc:
        found = [f for error in exc.errors() for f in explain(error, node)]
        return "; ".join(message for _, message, _, _ in found) or "not a valid locator"
    return target.alternatives[0]
