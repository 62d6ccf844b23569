"""The YAML layer of untrusted flow files: a node tree with marks from PyYAML's safe events.

Nothing is constructed from a tag, aliases are never expanded (no billion laughs), duplicate
keys are refused, nesting is capped, and a scalar keeps its raw text (``off`` stays "off").
Mappings and lists are dict and list subclasses with marks, for pydantic; problems go to a
callback, for the loader to give with the flow language's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml
import yaml.reader
import yaml.resolver

#: Flows nest six levels at most (navigate > desktop > step > click > list > locator).
#: PyYAML's scanner slows down quadratically with flow-collection depth (100,000 '[' take
#: minutes), so parsing stops at the first node deeper than this.
MAX_DEPTH = 20

YAML_TAG = "tag:yaml.org,2002:"
#: The only explicit tags a flow may use, and the node kind each belongs on. Anything else
#: (``!!python/object/apply:...``, ``!!binary``, local ``!tags``) is refused.
_ALLOWED_TAGS: dict[str, type[yaml.Event]] = {
    **{
        YAML_TAG + t: yaml.ScalarEvent for t in ("str", "int", "float", "bool", "null", "timestamp")
    },
    YAML_TAG + "seq": yaml.SequenceStartEvent,
    YAML_TAG + "map": yaml.MappingStartEvent,
}
_NO_ANCHORS = "anchors and aliases are not allowed in flow files"

#: libyaml's parser when PyYAML was built with it (seven times faster: every run reads its
#: flow files at start-up), else PyYAML's own. Both give the same events and marks; only
#: events are used, never a constructor.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: YAML 1.1's guess at a plain scalar's type (only to describe values in messages).
_implicit_tag: Callable[..., str] = yaml.resolver.Resolver().resolve


@dataclass(frozen=True)
class Mark:
    """Where a node sits in its flow file (1-based line and column)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(eq=False)
class Scalar:
    """A scalar as written: its raw text, and whether it was plain (unquoted, untagged)."""

    mark: Mark
    text: str
    plain: bool
    tag: str | None = None

    @property
    def is_null(self) -> bool:
        if self.tag == YAML_TAG + "null":
            return True
        return self.plain and self.tag is None and self.text in ("", "~", "null", "Null", "NULL")


class YMap(dict[str, Any]):
    """A mapping node: keys as written to nodes, with the marks of its keys, and the `reader`
    (the flow language's model or kind that read it), which words errors about its keys."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.reader: Any = None


class YSeq(list[Any]):
    """A sequence node."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark


@dataclass(frozen=True)
class Reported:
    """Stands in for a node already reported (an alias, a refused tag): not judged again."""

    mark: Mark


Node = Scalar | YMap | YSeq | Reported
Report = Callable[[Mark, str, str, str], None]


def key_path(path: str, key: str) -> str:
    # Keys from the file are echoed in breadcrumbs; quote anything unusual so a key cannot
    # smuggle control characters or confusing punctuation into the output.
    shown = key if re.fullmatch(r"[\w$-]+", key) else repr(key)
    return f"{path}.{shown}" if path else shown


def show(value: str, limit: int = 60) -> str:
    """A user-supplied value quoted for a message, shortened if long."""
    return repr(value[:limit] + "..." if len(value) > limit else value)


def describe(node: object) -> str:
    """The node as a reader would name it: "a mapping", "a list", "the string 'x'"..."""
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    if isinstance(node, Reported):
        return "an alias"
    if not isinstance(node, Scalar):
        return show(repr(node))
    if node.is_null:
        return "nothing (null)"
    # Other scalars YAML 1.1 would not make strings (yes, 1.0, 2026-11-22, !!int 5) are shown
    # as written, not under that type: the flow language reads them from their text.
    implicit = node.plain and _implicit_tag(yaml.ScalarNode, node.text, (True, False))
    is_str = node.tag is None and implicit in (False, YAML_TAG + "str")
    return f"the string {show(node.text)}" if is_str else show(node.text)


def locate(root: Node, loc: Iterable[str | int], at_key: bool = False) -> tuple[Node, Mark, str]:
    """The node, mark and breadcrumb (``navigate.desktop[2].click``) of a pydantic error
    location (union tags, which contain ':', are skipped). A missing key joins the breadcrumb
    and leaves the mark at its mapping; `at_key` marks a key, not its value."""
    node: Node = root
    mark, path = root.mark, ""
    parts = list(loc)
    for i, part in enumerate(parts):
        if isinstance(node, YMap) and isinstance(part, str) and part in node:
            last = i == len(parts) - 1
            mark = node.key_marks[part] if at_key and last else node[part].mark
            node, path = node[part], key_path(path, part)
        elif isinstance(node, YSeq) and isinstance(part, int) and 0 <= part < len(node):
            node, path = node[part], f"{path}[{part}]"
            mark = node.mark
        elif isinstance(part, str) and ":" not in part:
            path = key_path(path, part)
    return node, mark, path


class _TooDeep(Exception):
    """Stops composing at the first collection nested deeper than `MAX_DEPTH`."""


def compose(text: str, file: str, report: Report) -> Node | None:
    """Build the node tree of the single document in `text`, reporting YAML-level problems.

    Raises `yaml.YAMLError` on a syntax error (the caller turns it into a located error).
    libyaml's parser reads it first when there is one; on any error in it, PyYAML's own
    parser reads the file again, so what is refused, where, and in which words, is always
    PyYAML's (libyaml words errors its own way and refuses a few escapes PyYAML takes).
    """
    yaml.reader.Reader(text)  # PyYAML's check of the characters allowed, as before
    if _PARSER is not yaml.SafeLoader:
        held: list[tuple[Any, ...]] = []
        try:
            root = _compose(yaml.parse(text, Loader=_PARSER), file, lambda *a: held.append(a))
        except yaml.YAMLError:
            pass
        else:
            for problem in held:
                report(*problem)
            return root
    return _compose(yaml.parse(text, Loader=yaml.SafeLoader), file, report)


def _compose(events: Iterator[Any], file: str, report: Report) -> Node | None:

    def mark_of(event: Any) -> Mark:
        # PyYAML marks are 0-based; editors and compilers count from 1.
        return Mark(file, event.start_mark.line + 1, event.start_mark.column + 1)

    def read(event: Any, path: str, depth: int) -> Node:
        mark = mark_of(event)
        if isinstance(event, yaml.AliasEvent):
            report(mark, path, _NO_ANCHORS, "write the value out in full")
            return Reported(mark)
        if event.anchor is not None:
            fix = f"remove '&{event.anchor}' and write repeated values out in full"
            report(mark, path, _NO_ANCHORS, fix)
        tag = event.tag
        refused = tag is not None and not isinstance(event, _ALLOWED_TAGS.get(tag, ()))
        if refused:
            shown = show("!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag)
            fix = "flows hold plain values only; remove the tag"
            report(mark, path, f"YAML tag {shown} is not allowed in flow files", fix)
        if isinstance(event, yaml.ScalarEvent):
            as_str = tag == YAML_TAG + "str"
            plain = not event.style and not as_str  # None (PyYAML) or "" (libyaml)
            if refused:
                return Reported(mark)
            return Scalar(mark, event.value, plain, None if as_str else tag)
        if depth >= MAX_DEPTH:
            report(mark, path, f"nested more than {MAX_DEPTH} levels deep", "")
            raise _TooDeep
        node = YSeq(mark) if isinstance(event, yaml.SequenceStartEvent) else YMap(mark)
        while not isinstance(child := next(events), yaml.CollectionEndEvent):
            if isinstance(node, YSeq):
                node.append(read(child, f"{path}[{len(node)}]", depth + 1))
                continue
            key = read(child, path, depth + 1)
            value = read(
                next(events),
                key_path(path, key.text) if isinstance(key, Scalar) else path,
                depth + 1,
            )
            if isinstance(key, Reported):
                continue
            if not isinstance(key, Scalar) or key.is_null:
                report(key.mark, path, f"mapping keys must be strings, got {describe(key)}", "")
            elif key.text in node.key_marks:
                # PyYAML would silently keep the last value; a flow reviewer reading the
                # first one would be misled, so refuse.
                first = node.key_marks[key.text].line
                message = f"duplicate key {show(key.text)} (first given at line {first})"
                report(key.mark, key_path(path, key.text), message, "remove one of them")
            else:
                node[key.text], node.key_marks[key.text] = value, key.mark
        # A collection under a refused tag was reported; keep it from being judged again.
        return Reported(mark) if refused else node

    root: Node | None = None
    documents = 0
    try:
        for event in events:
            documents += isinstance(event, yaml.DocumentStartEvent)
            if documents > 1:
                message = "a flow file holds one YAML document; found a second one"
                hint = "remove the '---' line and what follows it, or move it to its own file"
                report(mark_of(event), "", message, hint)
                break
            if isinstance(event, yaml.NodeEvent):
                root = read(event, "", 0)
    except _TooDeep:
        return None
    return root
