"""Load and validate flow files.

Flow files are untrusted input: people share them with strangers. So the loader

- reads at most `MAX_FILE_BYTES` of strict UTF-8;
- parses with PyYAML's *safe* parser and builds its own small node tree from the event
  stream, which means nothing is ever constructed from a tag, aliases are never expanded
  (no billion laughs), and every node keeps its line and column;
- reads each scalar from its raw text, so YAML 1.1 surprises do not bite (``wanted: off`` is
  the string "off", ``version: 1.10`` is "1.10");
- checks the tree against the schema of `optout_bot.flow.model`, whose step registry
  (`STEP_TYPES`) is the single list of step names, and collects every problem before raising
  them together as `FlowErrors`.

Public API: `load_flow`, `load_flow_text`, `validate_paths`.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import yaml
import yaml.resolver

from optout_bot.flow.errors import FlowError, FlowErrors
from optout_bot.flow.model import (
    FORMAT_VERSION,
    LOCATOR_STRATEGIES,
    MISSING_MEANS,
    PLATFORMS,
    STEP_MODIFIERS,
    STEP_TYPES,
    WANTED_STATES,
    Flow,
    Locator,
    LoginSpec,
    Mark,
    Overlay,
    Platform,
    Step,
    SwitchSpec,
    Target,
    WantedState,
)

__all__ = [
    "ARIA_ROLES",
    "MAX_FILE_BYTES",
    "load_flow",
    "load_flow_text",
    "validate_paths",
]

MAX_FILE_BYTES = 256 * 1024
MAX_REGEX_CHARS = 500
MAX_CSS_CHARS = 1000
MAX_TIMEOUT_MS = 120_000
#: Flows nest six levels at most (navigate > desktop > step > click > list > locator).
#: PyYAML's scanner slows down quadratically with flow-collection depth (100,000 '[' take
#: minutes), so parsing stops at the first node deeper than this.
MAX_DEPTH = 20

#: The roles Playwright's ``get_by_role`` accepts (WAI-ARIA 1.2 without abstract roles).
# fmt: off
ARIA_ROLES = frozenset((
    "alert", "alertdialog", "application", "article", "banner", "blockquote", "button",
    "caption", "cell", "checkbox", "code", "columnheader", "combobox", "complementary",
    "contentinfo", "definition", "deletion", "dialog", "directory", "document", "emphasis",
    "feed", "figure", "form", "generic", "grid", "gridcell", "group", "heading", "img",
    "insertion", "link", "list", "listbox", "listitem", "log", "main", "marquee", "math",
    "menu", "menubar", "menuitem", "menuitemcheckbox", "menuitemradio", "meter",
    "navigation", "none", "note", "option", "paragraph", "presentation", "progressbar",
    "radio", "radiogroup", "region", "row", "rowgroup", "rowheader", "scrollbar", "search",
    "searchbox", "separator", "slider", "spinbutton", "status", "strong", "subscript",
    "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term", "textbox",
    "time", "timer", "toolbar", "tooltip", "tree", "treegrid", "treeitem",
))
# fmt: on

_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
_SCREENSHOT_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT_RE = re.compile(r"[-+]?[0-9]+")
_HOST_RE = re.compile(
    r"(?=.{1,253}\Z)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
)
#: A Playwright selector-engine prefix such as ``xpath=``, ``text=``, ``internal:role=``,
#: ``_react=``. Plain CSS never has an ``=`` right after a leading identifier (attribute
#: selectors put theirs inside ``[...]``), so this cannot reject valid CSS.
_ENGINE_PREFIX_RE = re.compile(r"\s*[A-Za-z_][\w:-]*\s*=")
#: Control characters (other than tab and newline) and bidirectional overrides: a flow's
#: strings end up in terminal output and reports, where these could hide or forge text.
_FORBIDDEN_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: Which model field a step's action value goes into, by the step class's ``ARG``.
_ARG_FIELD = {"target": "target", "url": "url", "regex": "pattern", "name": "name"}
_ARG_WHAT = {
    "target": "a target (a locator mapping or a list of them)",
    "url": "an https URL",
    "regex": "a regular expression",
    "name": "a screenshot name",
}

#: Strategies that also come as ``<strategy>_regex``; the model keeps both as one strategy
#: with either ``value`` or ``pattern``.
_REGEX_STRATEGIES = ("label", "text")
#: Locator key as written in a flow -> model strategy.
_STRATEGY_KEYS: dict[str, str] = {}
for _s in LOCATOR_STRATEGIES:
    _STRATEGY_KEYS[_s] = _s
    if _s in _REGEX_STRATEGIES:
        _STRATEGY_KEYS[f"{_s}_regex"] = _s
_LOCATOR_KEYS = (*_STRATEGY_KEYS, "name", "name_regex")

_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
#: The only explicit tags a flow may use, and the node kind each belongs on. Anything else
#: (``!!python/object/apply:...``, ``!!binary``, local ``!tags``) is refused.
_ALLOWED_TAGS = {
    **{
        _YAML_TAG_PREFIX + t: "scalar" for t in ("str", "int", "float", "bool", "null", "timestamp")
    },
    _YAML_TAG_PREFIX + "seq": "sequence",
    _YAML_TAG_PREFIX + "map": "mapping",
}

#: YAML 1.1's guess at a plain scalar's type (used only to describe values in messages).
#: Typed here because the stubs leave `Resolver.resolve` untyped.
_resolve_implicit_tag: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = (
    yaml.resolver.Resolver().resolve
)


# --------------------------------------------------------------------------------------------
# The YAML layer: a node tree with marks, built from PyYAML's safe event stream.
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    mark: Mark


@dataclass(eq=False)
class _Scalar(_Node):
    value: str
    #: Unquoted and untagged: the only form YAML would have turned into a bool, number or null.
    plain: bool
    tag: str | None = None

    @property
    def is_null(self) -> bool:
        if self.tag == _YAML_TAG_PREFIX + "null":
            return True
        return self.plain and self.tag is None and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(eq=False)
class _Seq(_Node):
    items: list[_Node] = field(default_factory=list)


@dataclass(eq=False)
class _Map(_Node):
    pairs: list[tuple[_Scalar, _Node]] = field(default_factory=list)


@dataclass(eq=False)
class _Reported(_Node):
    """Stands in for a node that was already reported (an alias), so it is not reported twice."""


def _key_path(path: str, key: str) -> str:
    # Keys from the file are echoed in breadcrumbs; quote anything unusual so a key cannot
    # smuggle control characters or confusing punctuation into the output.
    shown = key if re.fullmatch(r"[\w$-]+", key) else repr(key)
    return f"{path}.{shown}" if path else shown


def _index_path(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _show(value: str, limit: int = 60) -> str:
    """A user-supplied value quoted for a message, shortened if long."""
    if len(value) > limit:
        value = value[:limit] + "..."
    return repr(value)


_Report = Callable[[Mark, str, str, str], None]


@dataclass(eq=False)
class _Open:
    """A sequence or mapping whose end event has not arrived yet."""

    node: _Seq | _Map
    path: str
    #: The collection carries a refused tag; it becomes a `_Reported` node when closed.
    reported: bool = False
    pending_key: _Node | None = None
    first_seen: dict[str, Mark] = field(default_factory=dict)

    def child_path(self) -> str:
        if isinstance(self.node, _Seq):
            return _index_path(self.path, len(self.node.items))
        if self.pending_key is None:  # the next node is a key
            return self.path
        key = self.pending_key
        return _key_path(self.path, key.value) if isinstance(key, _Scalar) else self.path

    def add(self, child: _Node, report: _Report) -> None:
        if isinstance(self.node, _Seq):
            self.node.items.append(child)
            return
        if self.pending_key is None:
            self.pending_key = child
            return
        key, self.pending_key = self.pending_key, None
        if isinstance(key, _Reported):
            return
        if not isinstance(key, _Scalar) or key.is_null:
            got = "nothing (null)" if isinstance(key, _Scalar) else _describe(key)
            report(key.mark, self.path, f"mapping keys must be strings, got {got}", "")
            return
        first = self.first_seen.get(key.value)
        if first is not None:
            # PyYAML would silently keep the last value; a flow reviewer reading the first
            # one would be misled, so refuse.
            report(
                key.mark,
                _key_path(self.path, key.value),
                f"duplicate key {_show(key.value)} (first given at line {first.line})",
                "remove one of them",
            )
            return
        self.first_seen[key.value] = key.mark
        self.node.pairs.append((key, child))


def _to_mark(file: str, yaml_mark: Any) -> Mark:
    # PyYAML marks are 0-based; editors and compilers count from 1.
    return Mark(file, yaml_mark.line + 1, yaml_mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG_PREFIX) :] if tag.startswith(_YAML_TAG_PREFIX) else tag


def _compose(text: str, file: str, report: _Report) -> _Node | None:
    """Build the node tree of the single document in `text`, reporting YAML-level problems.

    Raises `yaml.YAMLError` on a syntax error (the caller turns it into a `FlowError`).
    """
    root: _Node | None = None
    stack: list[_Open] = []
    documents = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                report(
                    _to_mark(file, event.start_mark),
                    "",
                    "a flow file holds one YAML document; found a second one",
                    "remove the '---' line and what follows it, or move it to its own file",
                )
                break
            continue
        if not isinstance(
            event,
            (yaml.AliasEvent, yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.CollectionEndEvent),
        ):
            continue  # stream and document boundaries

        mark = _to_mark(file, event.start_mark)
        path = stack[-1].child_path() if stack else ""
        node: _Node
        if isinstance(event, yaml.AliasEvent):
            report(
                mark,
                path,
                "anchors and aliases are not allowed in flow files",
                "write the value out in full",
            )
            node = _Reported(mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            # A collection under a refused tag was reported; keep it from being judged again.
            node = _Reported(done.node.mark) if done.reported else done.node
        else:
            assert isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent))
            if event.anchor is not None:
                report(
                    mark,
                    path,
                    "anchors and aliases are not allowed in flow files",
                    f"remove '&{event.anchor}' and write repeated values out in full",
                )
            if isinstance(event, yaml.ScalarEvent):
                kind = "scalar"
            elif isinstance(event, yaml.SequenceStartEvent):
                kind = "sequence"
            else:
                kind = "mapping"
            tag = event.tag
            bad_tag = tag is not None and _ALLOWED_TAGS.get(tag) != kind
            if bad_tag:
                assert tag is not None
                report(
                    mark,
                    path,
                    f"YAML tag {_show(_short_tag(tag))} is not allowed in flow files",
                    "flows hold plain values only; remove the tag",
                )
            if isinstance(event, yaml.ScalarEvent):
                explicit_str = tag == _YAML_TAG_PREFIX + "str"
                node = (
                    _Reported(mark)
                    if bad_tag
                    else _Scalar(
                        mark,
                        event.value,
                        plain=event.style is None and not explicit_str,
                        tag=None if tag is None or explicit_str else tag,
                    )
                )
            else:
                if len(stack) >= MAX_DEPTH:
                    report(mark, path, f"nested more than {MAX_DEPTH} levels deep", "")
                    return None
                container: _Seq | _Map = (
                    _Seq(mark) if isinstance(event, yaml.SequenceStartEvent) else _Map(mark)
                )
                stack.append(_Open(container, path, reported=bad_tag))
                continue
        if stack:
            stack[-1].add(node, report)
        else:
            root = node
    return root


def _scalar_kind(node: _Scalar) -> str:
    """What YAML would have made of a scalar: str, int, float, bool, null or timestamp."""
    if node.tag is not None:
        return node.tag[len(_YAML_TAG_PREFIX) :]
    if not node.plain:
        return "str"
    tag = _resolve_implicit_tag(yaml.ScalarNode, node.value, (True, False))
    return tag[len(_YAML_TAG_PREFIX) :]


def _describe(node: _Node) -> str:
    """The node as a reader would name it: "a mapping", "a list", "the string 'x'"..."""
    if isinstance(node, _Map):
        return "a mapping"
    if isinstance(node, _Seq):
        return "a list"
    if isinstance(node, _Reported):
        return "an alias"
    assert isinstance(node, _Scalar)
    kind = _scalar_kind(node)
    if kind == "null":
        return "nothing (null)"
    # Other plain scalars (yes, 1.0, 2026-11-22) are shown as written, not under the type
    # YAML 1.1 would give them: the loader itself reads them from their text.
    return f"the string {_show(node.value)}" if kind == "str" else _show(node.value)


def _suggest(word: str, choices: Iterable[str]) -> str:
    """A "did you mean" for a close match, else the list of valid choices.

    Returned with its leading separator, ready to append: ``; did you mean 'click'?`` or
    ``; expected one of: goto, click, ...``.
    """
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return "; expected one of: " + ", ".join(options)


# --------------------------------------------------------------------------------------------
# The schema layer: node tree -> model.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    required: bool
    #: What the key is for; shown when it is missing.
    help: str


_TOP_KEYS: dict[str, _Key] = {
    "format": _Key(True, f"the flow format; write {FORMAT_VERSION}"),
    "id": _Key(True, "a short slug naming the flow, e.g. linkedin-ai-training"),
    "site": _Key(True, "the site's name, e.g. LinkedIn"),
    "setting": _Key(True, "the setting's name as the site shows it"),
    "description": _Key(True, "what the setting does, in a sentence or two"),
    "version": _Key(True, "the flow's own version, e.g. 1.0.0"),
    "last_verified": _Key(True, "the date the flow last worked against the site, e.g. 2026-11-22"),
    "ui_variant": _Key(False, "which UI variant the flow was written for"),
    "platforms": _Key(True, "the platforms the flow covers, e.g. [desktop, mobile]"),
    "allowed_origins": _Key(
        True, "the https origins the flow may open, e.g. [https://www.linkedin.com]"
    ),
    "setting_url": _Key(True, "the setting's direct URL for each platform"),
    "login": _Key(True, "how to tell a signed-in page from a logged-out one"),
    "switch": _Key(True, "the switch to read and set, and the state wanted"),
    "navigate": _Key(True, "the steps that lead to the setting, for each platform"),
    "verify": _Key(False, "steps run after the reload, before the switch is read again"),
    "not_offered": _Key(False, "targets that show the setting is not offered to this account"),
    "overlays": _Key(False, "pop-ups that can cover any page and how to close them"),
    "mask": _Key(False, "elements hidden in screenshots (the member's name and photo)"),
    # Editors use this to find a JSON Schema; the loader ignores it.
    "$schema": _Key(False, "a JSON Schema URL for editors"),
}
_LOGIN_KEYS = {
    "url": _Key(True, "the sign-in page, an https URL inside allowed_origins"),
    "logged_out_urls": _Key(True, "regular expressions for URLs of logged-out pages"),
    "security_check_urls": _Key(True, "regular expressions for URLs of security-check pages"),
    "signed_in": _Key(True, "an element only a signed-in page shows"),
}
_SWITCH_KEYS = {
    "label": _Key(True, "the switch's label as the site shows it"),
    "target": _Key(True, "how to find the switch"),
    "wanted": _Key(True, "the state wanted: on or off"),
}
_OVERLAY_KEYS = {
    "appears": _Key(True, "how to recognise the pop-up"),
    "dismiss": _Key(True, "what to click to close it"),
}

_T = TypeVar("_T")


class _Reader:
    """Walks a node tree, producing model objects and collecting `FlowError`s.

    Every reading method returns None after reporting a problem; callers carry on with the
    rest of the file so that one pass finds every problem.
    """

    def __init__(self, file: str, yaml_errors: Sequence[FlowError] = ()) -> None:
        self.file = file
        #: Starts with the problems found while parsing, so "no errors" means the whole file
        #: is sound (a reader may return None for a node reported while parsing).
        self.errors: list[FlowError] = list(yaml_errors)
        self._yaml_error_count = len(yaml_errors)
        #: Normalised allowed origins, or None when `allowed_origins` itself is broken (then
        #: URLs are not checked against it, to avoid a cascade of follow-on errors).
        self.origins: frozenset[str] | None = None

    # -- reporting ---------------------------------------------------------------------------

    def report(self, mark: Mark, path: str, message: str, hint: str = "") -> None:
        self.errors.append(FlowError(self.file, mark.line, mark.col, path, message, hint))

    def wrong_type(self, node: _Node, path: str, expected: str, hint: str = "") -> None:
        if not isinstance(node, _Reported):
            self.report(node.mark, path, f"expected {expected}, got {_describe(node)}", hint)

    # -- containers ----------------------------------------------------------------------------

    def mapping(self, node: _Node, path: str, expected: str = "a mapping") -> _Map | None:
        if isinstance(node, _Map):
            return node
        self.wrong_type(node, path, expected)
        return None

    def sequence(
        self,
        node: _Node,
        path: str,
        expected: str,
        *,
        non_empty: bool = False,
    ) -> _Seq | None:
        if not isinstance(node, _Seq):
            hint = "write a YAML list, one '- item' per line" if isinstance(node, _Scalar) else ""
            self.wrong_type(node, path, expected, hint)
            return None
        if non_empty and not node.items:
            self.report(node.mark, path, f"expected {expected}, got an empty list")
            return None
        return node

    def keys(
        self,
        node: _Map,
        path: str,
        schema: dict[str, _Key],
        what: str = "key",
    ) -> dict[str, _Node]:
        """The values of a mapping by key; reports unknown and missing keys."""
        found: dict[str, _Node] = {}
        for key, value in node.pairs:
            if key.value in schema:
                found[key.value] = value
            else:
                shown = [k for k in schema if not k.startswith("$")]
                self.report(
                    key.mark,
                    _key_path(path, key.value),
                    f"unknown {what} {_show(key.value)}" + _suggest(key.value, shown),
                )
        for name, spec in schema.items():
            if spec.required and name not in found:
                self.report(
                    node.mark, _key_path(path, name), f"missing required key {name!r}", spec.help
                )
        return found

    def list_of(
        self,
        node: _Node,
        path: str,
        expected: str,
        read: Callable[[_Node, str], _T | None],
        *,
        non_empty: bool = False,
    ) -> list[_T] | None:
        """Read every item of a list with `read`; None if the list or any item is bad."""
        seq = self.sequence(node, path, expected, non_empty=non_empty)
        if seq is None:
            return None
        out: list[_T] = []
        ok = True
        for i, item in enumerate(seq.items):
            value = read(item, _index_path(path, i))
            if value is None:
                ok = False
            else:
                out.append(value)
        return out if ok else None

    # -- scalars -------------------------------------------------------------------------------

    def string(
        self,
        node: _Node,
        path: str,
        *,
        expected: str = "a string",
        allow_empty: bool = False,
        strip: bool = False,
        max_len: int = 10_000,
    ) -> str | None:
        """A string, read from the scalar's raw text (``off`` stays "off")."""
        if not isinstance(node, _Scalar) or (node.is_null and not allow_empty):
            self.wrong_type(node, path, expected)
            return None
        value = "" if node.is_null else node.value
        if strip:
            value = value.strip()
        bad = _FORBIDDEN_CHARS_RE.search(value)
        if bad:
            self.report(
                node.mark, path, f"control character U+{ord(bad.group()):04X} is not allowed here"
            )
            return None
        if not value and not allow_empty:
            self.report(node.mark, path, f"expected {expected}, got an empty string")
            return None
        if len(value) > max_len:
            self.report(node.mark, path, f"too long ({len(value)} characters; at most {max_len})")
            return None
        return value

    def choice(self, node: _Node, path: str, choices: Sequence[str], what: str) -> str | None:
        """One of `choices`, with a "did you mean" for near misses."""
        if not isinstance(node, _Scalar) or node.is_null:
            self.wrong_type(node, path, f"{what}, one of: " + ", ".join(choices))
            return None
        if node.value in choices:
            return node.value
        self.report(
            node.mark, path, f"unknown {what} {_show(node.value)}" + _suggest(node.value, choices)
        )
        return None

    def boolean(self, node: _Node, path: str) -> bool | None:
        # Only true/false: yes/no/on/off are booleans in YAML 1.1 but strings in 1.2, and a
        # flow should mean the same thing to every reader.
        if isinstance(node, _Scalar) and node.plain and node.value.lower() in ("true", "false"):
            return node.value.lower() == "true"
        self.wrong_type(node, path, "true or false")
        return None

    def integer(self, node: _Node, path: str, low: int, high: int) -> int | None:
        if not (isinstance(node, _Scalar) and node.plain and _INT_RE.fullmatch(node.value)):
            self.wrong_type(node, path, "a whole number")
            return None
        # Cap the digits before int(): Python refuses very long numbers with a ValueError.
        if len(node.value.lstrip("+-")) <= 12:
            value = int(node.value)
        else:
            value = low - 1 if node.value.startswith("-") else high + 1
        if not low <= value <= high:
            self.report(
                node.mark, path, f"must be between {low} and {high}, got {_show(node.value)}"
            )
            return None
        return value

    def date(self, node: _Node, path: str) -> datetime.date | None:
        if isinstance(node, _Scalar) and _DATE_RE.fullmatch(node.value):
            try:
                return datetime.date.fromisoformat(node.value)
            except ValueError as exc:
                self.report(node.mark, path, f"not a valid date: {exc}")
                return None
        self.wrong_type(node, path, "a date like 2026-11-22")
        return None

    def version(self, node: _Node, path: str) -> str | None:
        # `1.0.0`, "1.0.0" and `2` all come out as the text written.
        if isinstance(node, _Scalar) and not node.is_null and _VERSION_RE.fullmatch(node.value):
            return node.value
        self.wrong_type(node, path, "a version like 1.0.0")
        return None

    # -- URLs ----------------------------------------------------------------------------------

    def _https_origin(self, node: _Node, path: str, text: str) -> tuple[str, str, str] | None:
        """(origin, path and query, fragment) of an https URL; None after reporting why not."""
        if re.search(r"\s|\\", text):
            self.report(node.mark, path, "URLs must not contain spaces or backslashes")
            return None
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError as exc:
            self.report(node.mark, path, f"not a valid URL: {exc}")
            return None
        if parts.scheme == "http":
            self.report(
                node.mark,
                path,
                f"only https:// URLs are allowed, got {_show(text)}",
                "write https:// instead of http://",
            )
            return None
        if parts.scheme != "https":
            self.report(node.mark, path, f"expected an https:// URL, got {_show(text)}")
            return None
        if "@" in parts.netloc:
            self.report(
                node.mark,
                path,
                "URLs must not carry a user name or password",
                "remove the part before '@'",
            )
            return None
        host = parts.hostname or ""
        if not _HOST_RE.fullmatch(host):
            self.report(
                node.mark,
                path,
                f"not a valid host name: {_show(host)}",
                "internationalised names must be written in punycode (xn--...)",
            )
            return None
        origin = f"https://{host}" if port in (None, 443) else f"https://{host}:{port}"
        rest = parts.path + ("?" + parts.query if parts.query else "")
        return origin, rest, parts.fragment

    def origin(self, node: _Node, path: str) -> str | None:
        text = self.string(node, path, expected="an origin like https://www.example.com")
        if text is None:
            return None
        parsed = self._https_origin(node, path, text)
        if parsed is None:
            return None
        origin, rest, fragment = parsed
        if rest not in ("", "/") or fragment:
            self.report(
                node.mark,
                path,
                f"an origin has no path or query, got {_show(text)}",
                f"write just {origin}",
            )
            return None
        return origin

    def url(self, node: _Node, path: str) -> str | None:
        """An https URL whose origin is in allowed_origins."""
        text = self.string(node, path, expected="an https URL", max_len=2000)
        if text is None:
            return None
        parsed = self._https_origin(node, path, text)
        if parsed is None:
            return None
        origin = parsed[0]
        if self.origins is not None and origin not in self.origins:
            self.report(
                node.mark,
                path,
                f"URL {_show(text)} is outside allowed_origins ({', '.join(sorted(self.origins))})",
                f"add {origin} to allowed_origins if the flow really needs it",
            )
            return None
        return text

    # -- regexes, selectors, locators, targets -------------------------------------------------

    def regex(self, node: _Node, path: str) -> re.Pattern[str] | None:
        text = self.string(node, path, expected="a regular expression", max_len=MAX_REGEX_CHARS)
        if text is None:
            return None
        try:
            pattern = re.compile(text)
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            self.report(node.mark, path, f"invalid regular expression: {exc.msg}{where}")
            return None
        problem = _js_incompatibility(text)
        if problem is not None:
            self.report(node.mark, path, *problem)
            return None
        return pattern

    def css(self, node: _Node, path: str) -> str | None:
        text = self.string(node, path, expected="a CSS selector", max_len=MAX_CSS_CHARS)
        if text is None:
            return None
        if not text.strip():
            self.report(node.mark, path, "expected a CSS selector, got only spaces")
            return None
        # Playwright reads a selector string as its own mini-language: `xpath=`, `text=`,
        # `internal:...=`, `_react=` engines, `>>` chains, and a leading `//` or `..` (XPath)
        # or quote (text). Flows get plain CSS only, so they can be read and reviewed as such.
        stripped = text.lstrip()
        if (
            ">>" in text
            or _ENGINE_PREFIX_RE.match(text)
            or stripped.startswith(("//", "..", '"', "'"))
        ):
            self.report(
                node.mark,
                path,
                f"only plain CSS is allowed, not Playwright selector syntax: {_show(text)}",
                "use role, text, label or test_id locators, or list alternatives",
            )
            return None
        return text

    def locator(self, node: _Node, path: str) -> Locator | None:
        m = self.mapping(
            node, path, "a locator mapping such as {css: ...} or {role: ..., name: ...}"
        )
        if m is None:
            return None
        start = len(self.errors)
        values: dict[str, _Node] = {}
        strategies: list[_Scalar] = []
        for k, _value in m.pairs:
            if k.value in _STRATEGY_KEYS:
                strategies.append(k)
        for k, value in m.pairs:
            if k.value in _LOCATOR_KEYS:
                values[k.value] = value
                continue
            # Without a strategy the stray key probably *is* the strategy, misspelt.
            what = "locator key" if strategies else "locator strategy"
            choices = _LOCATOR_KEYS if strategies else tuple(_STRATEGY_KEYS)
            self.report(
                k.mark,
                _key_path(path, k.value),
                f"unknown {what} {_show(k.value)}" + _suggest(k.value, choices),
            )
        if not strategies:
            if len(self.errors) == start:
                self.report(
                    m.mark, path, "a locator needs a strategy, one of: " + ", ".join(_STRATEGY_KEYS)
                )
            return None
        if len(strategies) > 1:
            self.report(
                strategies[1].mark,
                _key_path(path, strategies[1].value),
                f"a locator has exactly one strategy, found {strategies[0].value!r} "
                f"and {strategies[1].value!r}",
                "to give alternatives, make the target a list with one locator per item",
            )
            return None
        key = strategies[0].value
        strategy = _STRATEGY_KEYS[key]
        kpath = _key_path(path, key)
        for extra in ("name", "name_regex"):
            if extra in values and strategy != "role":
                extra_key = next(k for k, _ in m.pairs if k.value == extra)
                self.report(
                    extra_key.mark,
                    _key_path(path, extra),
                    f"{extra!r} only goes with 'role'",
                    "to match by accessible name, write {role: ..., name: ...}",
                )

        loc: Locator | None = None
        if strategy == "css":
            css = self.css(values[key], kpath)
            loc = None if css is None else Locator("css", value=css, mark=m.mark)
        elif strategy == "test_id":
            tid = self.string(values[key], kpath, expected="a test id", max_len=200)
            loc = None if tid is None else Locator("test_id", value=tid, mark=m.mark)
        elif strategy == "role":
            loc = self._role(m, values, path)
        elif key.endswith("_regex"):
            pattern = self.regex(values[key], kpath)
            loc = (
                None
                if pattern is None
                else Locator(cast(Any, strategy), pattern=pattern, mark=m.mark)
            )
        else:
            text = self.string(values[key], kpath, expected=f"the {key} text", max_len=500)
            loc = None if text is None else Locator(cast(Any, strategy), value=text, mark=m.mark)
        return loc if len(self.errors) == start else None

    def _role(self, m: _Map, values: dict[str, _Node], path: str) -> Locator | None:
        role = self.choice(values["role"], _key_path(path, "role"), sorted(ARIA_ROLES), "role")
        name: str | None = None
        pattern: re.Pattern[str] | None = None
        if "name" in values and "name_regex" in values:
            second = [k for k, _ in m.pairs if k.value in ("name", "name_regex")][1]
            self.report(
                second.mark,
                _key_path(path, second.value),
                "give either 'name' or 'name_regex', not both",
            )
            return None
        if "name" in values:
            name = self.string(
                values["name"], _key_path(path, "name"), expected="the accessible name", max_len=500
            )
            if name is None:
                return None
        if "name_regex" in values:
            pattern = self.regex(values["name_regex"], _key_path(path, "name_regex"))
            if pattern is None:
                return None
        if role is None:
            return None
        return Locator("role", value=role, name=name, pattern=pattern, mark=m.mark)

    def target(self, node: _Node, path: str) -> Target | None:
        """One locator mapping, or a non-empty list of them (alternatives, first match wins)."""
        if isinstance(node, _Map):
            loc = self.locator(node, path)
            return None if loc is None else Target((loc,), mark=node.mark)
        if isinstance(node, _Seq):
            locs = self.list_of(node, path, "a list of locators", self.locator, non_empty=True)
            return None if locs is None else Target(tuple(locs), mark=node.mark)
        self.wrong_type(
            node,
            path,
            "a locator mapping or a list of them",
            "e.g. {css: '#id'} or {role: button, name: Save}",
        )
        return None

    # -- steps ---------------------------------------------------------------------------------

    def step(self, node: _Node, path: str) -> Step | None:
        if isinstance(node, _Scalar) and not node.is_null:
            # A bare step name, e.g. `- reload`.
            cls = STEP_TYPES.get(node.value)
            if cls is None:
                self.report(
                    node.mark,
                    path,
                    f"unknown step {_show(node.value)}" + _suggest(node.value, STEP_TYPES),
                )
                return None
            if cls.ARG != "none":
                self.report(
                    node.mark,
                    path,
                    f"step {cls.KEY!r} needs {_ARG_WHAT[cls.ARG]}",
                    f"write it as `{cls.KEY}: ...`",
                )
                return None
            return cast(Step, cls(mark=node.mark))

        m = self.mapping(node, path, "a step such as {click: ...}, or a bare step name")
        if m is None:
            return None
        start = len(self.errors)
        actions = [(k, v) for k, v in m.pairs if k.value in STEP_TYPES]
        for key, _value in m.pairs:
            if key.value in STEP_TYPES or key.value in STEP_MODIFIERS:
                continue
            if actions:
                message = f"unknown step modifier {_show(key.value)}" + _suggest(
                    key.value, STEP_MODIFIERS
                )
            else:
                message = f"unknown step {_show(key.value)}" + _suggest(key.value, STEP_TYPES)
            self.report(key.mark, _key_path(path, key.value), message)
        if not actions:
            if len(self.errors) == start:
                self.report(
                    m.mark, path, "a step needs an action, one of: " + ", ".join(STEP_TYPES)
                )
            return None
        if len(actions) > 1:
            self.report(
                actions[1][0].mark,
                _key_path(path, actions[1][0].value),
                f"a step has exactly one action, found {actions[0][0].value!r} "
                f"and {actions[1][0].value!r}",
                "split them into two steps",
            )
            return None

        key, value = actions[0]
        cls = STEP_TYPES[key.value]
        apath = _key_path(path, key.value)
        kwargs: dict[str, Any] = {}
        if cls.ARG == "none":
            if not (
                isinstance(value, _Scalar)
                and (value.is_null or (value.plain and value.value.lower() == "true"))
            ):
                self.wrong_type(
                    value,
                    apath,
                    "nothing or true",
                    f"{cls.KEY!r} takes no value; write `- {cls.KEY}`",
                )
        else:
            read: dict[str, Callable[[_Node, str], Any]] = {
                "target": self.target,
                "url": self.url,
                "regex": self.regex,
                "name": self.screenshot_name,
            }
            kwargs[_ARG_FIELD[cls.ARG]] = read[cls.ARG](value, apath)

        for mkey, mvalue in m.pairs:
            mpath = _key_path(path, mkey.value)
            if mkey.value == "optional":
                kwargs["optional"] = self.boolean(mvalue, mpath)
            elif mkey.value == "timeout":
                kwargs["timeout_ms"] = self.integer(mvalue, mpath, 1, MAX_TIMEOUT_MS)
            elif mkey.value == "missing_means":
                kwargs["missing_means"] = self.choice(
                    mvalue, mpath, MISSING_MEANS, "missing_means value"
                )
        # A None value was either reported just now or came from a node reported earlier.
        if len(self.errors) != start or any(v is None for v in kwargs.values()):
            return None
        return cast(Step, cls(mark=m.mark, **kwargs))

    def screenshot_name(self, node: _Node, path: str) -> str | None:
        text = self.string(node, path, expected="a screenshot name")
        if text is None:
            return None
        if not _SCREENSHOT_NAME_RE.fullmatch(text):
            self.report(
                node.mark,
                path,
                f"screenshot name {_show(text)} is not allowed",
                "use up to 64 letters, digits, '-' and '_', no dots or slashes: "
                "it becomes a file name",
            )
            return None
        return text

    def steps(self, node: _Node, path: str, *, non_empty: bool) -> tuple[Step, ...] | None:
        out: list[Step] | None = self.list_of(
            node, path, "a list of steps", self.step, non_empty=non_empty
        )
        return None if out is None else tuple(out)

    # -- per-platform mappings -----------------------------------------------------------------

    def per_platform(
        self,
        node: _Node,
        path: str,
        declared: tuple[Platform, ...] | None,
        read: Callable[[_Node, str], _T | None],
        what: str,
    ) -> dict[Platform, _T] | None:
        """A mapping platform -> value with exactly the platforms the flow declares."""
        m = self.mapping(node, path, f"a mapping from platform to {what}")
        if m is None:
            return None
        start = len(self.errors)
        out: dict[Platform, _T] = {}
        for key, value in m.pairs:
            kpath = _key_path(path, key.value)
            if key.value not in PLATFORMS:
                self.report(
                    key.mark,
                    kpath,
                    f"unknown platform {_show(key.value)}" + _suggest(key.value, PLATFORMS),
                )
                continue
            platform: Platform = key.value  # narrowed by the `in PLATFORMS` test above
            if declared is not None and platform not in declared:
                self.report(
                    key.mark,
                    kpath,
                    f"platform {platform!r} is not in platforms ({', '.join(declared)})",
                    f"add it to platforms or remove it from {path}",
                )
            item = read(value, kpath)
            if item is not None:
                out[platform] = item
        if declared is not None:
            for platform in declared:
                if not any(k.value == platform for k, _ in m.pairs):
                    self.report(
                        m.mark,
                        _key_path(path, platform),
                        f"missing {what} for platform {platform!r}, which platforms lists",
                        f"add `{platform}:` under {path}",
                    )
        return out if len(self.errors) == start else None

    # -- the flow ------------------------------------------------------------------------------

    def platforms(self, node: _Node, path: str) -> tuple[Platform, ...] | None:
        seq = self.sequence(
            node, path, "a list of platforms, e.g. [desktop, mobile]", non_empty=True
        )
        if seq is None:
            return None
        out: list[Platform] = []
        ok = True
        for i, item in enumerate(seq.items):
            ipath = _index_path(path, i)
            value = self.choice(item, ipath, PLATFORMS, "platform")
            if value is None:
                ok = False
            elif value in out:
                self.report(item.mark, ipath, f"platform {value!r} is listed twice")
            else:
                out.append(cast(Platform, value))
        # A bad entry leaves the declared set unknown; a duplicate does not.
        return tuple(out) if ok else None

    def allowed_origins(self, node: _Node, path: str) -> tuple[str, ...] | None:
        origins = self.list_of(
            node,
            path,
            "a list of origins, e.g. [https://www.example.com]",
            self.origin,
            non_empty=True,
        )
        if origins is None:
            return None
        seen: set[str] = set()
        assert isinstance(node, _Seq)
        for i, (origin, item) in enumerate(zip(origins, node.items, strict=True)):
            if origin in seen:
                self.report(item.mark, _index_path(path, i), f"origin {origin!r} is listed twice")
            seen.add(origin)
        self.origins = frozenset(seen)
        return tuple(dict.fromkeys(origins))

    def login(self, node: _Node, path: str) -> LoginSpec | None:
        m = self.mapping(
            node, path, "a mapping with url, logged_out_urls, security_check_urls and signed_in"
        )
        if m is None:
            return None
        k = self.keys(m, path, _LOGIN_KEYS)
        url = _opt(k, "url", path, self.url)
        logged_out = _opt(k, "logged_out_urls", path, self._regex_list)
        security = _opt(k, "security_check_urls", path, self._regex_list)
        signed_in = _opt(k, "signed_in", path, self.target)
        if url is None or logged_out is None or security is None or signed_in is None:
            return None
        return LoginSpec(url, tuple(logged_out), tuple(security), signed_in)

    def _regex_list(self, node: _Node, path: str) -> list[re.Pattern[str]] | None:
        return self.list_of(node, path, "a list of regular expressions", self.regex)

    def switch(self, node: _Node, path: str) -> SwitchSpec | None:
        m = self.mapping(node, path, "a mapping with label, target and wanted")
        if m is None:
            return None
        k = self.keys(m, path, _SWITCH_KEYS)
        label = _opt(k, "label", path, lambda n, p: self.string(n, p, strip=True, max_len=500))
        target = _opt(k, "target", path, self.target)
        # Read from the raw text: an unquoted `off` is YAML 1.1's False but means "off" here.
        wanted = _opt(k, "wanted", path, lambda n, p: self.choice(n, p, WANTED_STATES, "state"))
        if label is None or target is None or wanted is None:
            return None
        return SwitchSpec(label, target, cast(WantedState, wanted))

    def overlay(self, node: _Node, path: str) -> Overlay | None:
        m = self.mapping(node, path, "a mapping with appears and dismiss")
        if m is None:
            return None
        k = self.keys(m, path, _OVERLAY_KEYS)
        appears = _opt(k, "appears", path, self.target)
        dismiss = _opt(k, "dismiss", path, self.target)
        if appears is None or dismiss is None:
            return None
        return Overlay(appears, dismiss)

    def flow(self, root: _Node) -> Flow | None:
        m = self.mapping(root, "", "a mapping of flow keys (format, id, site, ...)")
        if m is None:
            return None
        k = self.keys(m, "", _TOP_KEYS)

        # The format comes first: a flow for a newer engine may use keys and steps this one
        # does not know, so the only useful message is "upgrade".
        fmt: int | None = None
        if "format" in k:
            fmt = self.integer(k["format"], "format", 1, 10**6)
            if fmt is not None and fmt > FORMAT_VERSION:
                del self.errors[self._yaml_error_count :]  # e.g. "unknown key": moot now
                self.report(
                    k["format"].mark,
                    "format",
                    f"this flow needs a newer optout-bot (flow format {fmt}, this engine "
                    f"understands up to {FORMAT_VERSION}); upgrade with "
                    "`pip install -U optout-bot`",
                )
                return None

        def text(n: _Node, p: str) -> str | None:
            return self.string(n, p, strip=True, max_len=2000)

        flow_id = _opt(k, "id", "", self.flow_id)
        site = _opt(k, "site", "", text)
        setting = _opt(k, "setting", "", text)
        description = _opt(
            k, "description", "", lambda n, p: self.string(n, p, strip=True, max_len=5000)
        )
        version = _opt(k, "version", "", self.version)
        last_verified = _opt(k, "last_verified", "", self.date)
        ui_variant = (
            ""
            if "ui_variant" not in k
            else self.string(
                k["ui_variant"], "ui_variant", allow_empty=True, strip=True, max_len=500
            )
        )
        if "$schema" in k:
            self.string(k["$schema"], "$schema", max_len=2000)
        platforms = _opt(k, "platforms", "", self.platforms)
        allowed = _opt(k, "allowed_origins", "", self.allowed_origins)
        setting_url = _opt(
            k, "setting_url", "", lambda n, p: self.per_platform(n, p, platforms, self.url, "a URL")
        )
        login = _opt(k, "login", "", self.login)
        switch = _opt(k, "switch", "", self.switch)
        navigate = _opt(
            k,
            "navigate",
            "",
            lambda n, p: self.per_platform(
                n, p, platforms, lambda n2, p2: self.steps(n2, p2, non_empty=True), "steps"
            ),
        )
        verify = () if "verify" not in k else self.steps(k["verify"], "verify", non_empty=False)
        not_offered = (
            ()
            if "not_offered" not in k
            else self.list_of(k["not_offered"], "not_offered", "a list of targets", self.target)
        )
        overlays = (
            ()
            if "overlays" not in k
            else self.list_of(k["overlays"], "overlays", "a list of overlays", self.overlay)
        )
        mask = (
            ()
            if "mask" not in k
            else self.list_of(k["mask"], "mask", "a list of targets", self.target)
        )

        if self.errors:
            return None
        # No problem was reported, so every reader returned a value.
        assert fmt is not None and flow_id is not None and site is not None
        assert setting is not None and description is not None and version is not None
        assert last_verified is not None and ui_variant is not None and platforms is not None
        assert allowed is not None and setting_url is not None and login is not None
        assert switch is not None and navigate is not None and verify is not None
        assert not_offered is not None and overlays is not None and mask is not None
        return Flow(
            format=fmt,
            id=flow_id,
            site=site,
            setting=setting,
            description=description,
            version=version,
            last_verified=last_verified,
            platforms=platforms,
            allowed_origins=allowed,
            setting_url=setting_url,
            login=login,
            switch=switch,
            navigate=navigate,
            verify=verify,
            not_offered=tuple(not_offered),
            overlays=tuple(overlays),
            mask=tuple(mask),
            ui_variant=ui_variant,
        )

    def flow_id(self, node: _Node, path: str) -> str | None:
        text = self.string(node, path, expected="a flow id")
        if text is None:
            return None
        if not _SLUG_RE.fullmatch(text):
            self.report(
                node.mark,
                path,
                f"flow id {_show(text)} is not a slug",
                "use 2-64 lowercase letters, digits and '-', starting with a letter "
                "or digit, e.g. linkedin-ai-training",
            )
            return None
        return text


def _opt(
    found: dict[str, _Node], key: str, path: str, read: Callable[[_Node, str], _T | None]
) -> _T | None:
    """Read `key` from a mapping's values if present (a missing one was reported already)."""
    if key not in found:
        return None
    return read(found[key], _key_path(path, key))


def _js_incompatibility(source: str) -> tuple[str, str] | None:
    """Why a Python regex would not mean the same in the browser, or None.

    Playwright hands a pattern's source text to JavaScript's RegExp. Python-only syntax either
    fails there or silently means something else, so the few usual suspects are refused:
    inline flags ``(?i)``, named groups ``(?P<n>...)``, other ``(?...)`` extensions, and the
    anchors ``\\A`` / ``\\Z``. Escapes and character classes are skipped so that ``\\(?`` or
    ``[(?]`` are not mistaken for groups.
    """
    i = 0
    in_class = False
    while i < len(source):
        c = source[i]
        if c == "\\":
            if not in_class and source[i + 1 : i + 2] in ("A", "Z"):
                return (
                    f"'\\{source[i + 1]}' does not work in browser regular expressions",
                    "use ^ and $ instead",
                )
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            # A ']' straight after '[' or '[^' is a literal in Python's syntax.
            j = i + 1
            if source[j : j + 1] == "^":
                j += 1
            if source[j : j + 1] == "]":
                j += 1
            i = j
            continue
        elif c == "(" and source[i + 1 : i + 2] == "?":
            rest = source[i + 2 :]
            if rest.startswith((":", "=", "!", "<=", "<!")):
                pass  # (?:...), lookahead and lookbehind work in JavaScript too
            elif rest.startswith("P"):
                return (
                    "named groups (?P<name>...) do not work in browser regular expressions",
                    "use a plain group (...)",
                )
            elif rest[:1] in set("aiLmsux-"):
                return (
                    "inline flags such as (?i) do not work in browser regular expressions",
                    "spell out the cases instead, e.g. [Dd]ata for Data or data",
                )
            else:
                return (
                    f"'(?{rest[:1]}' does not work in browser regular expressions",
                    "use plain groups (...) or (?:...)",
                )
        i += 1
    return None


# --------------------------------------------------------------------------------------------
# Entry points.
# --------------------------------------------------------------------------------------------


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _parse(text: str, filename: str) -> Flow:
    errors: list[FlowError] = []

    def report(mark: Mark, path: str, message: str, hint: str) -> None:
        errors.append(FlowError(filename, mark.line, mark.col, path, message, hint))

    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FlowErrors(
            [FlowError(filename, 1, 1, "", f"file is larger than {MAX_FILE_BYTES // 1024} KiB")]
        )
    try:
        root = _compose(text, filename, report)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        hint = ""
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            hint = f"{exc.context} at line {exc.context_mark.line + 1}"
        raise FlowErrors(
            [
                FlowError(
                    filename,
                    line,
                    col,
                    "",
                    f"YAML syntax error: {exc.problem or exc.context}",
                    hint,
                )
            ],
        ) from None
    except yaml.YAMLError as exc:
        # A reader error (a character YAML does not allow) has a character index, not a mark.
        index = getattr(exc, "position", 0)
        line, col = _position(text, index)
        reason = getattr(exc, "reason", str(exc))
        raise FlowErrors([FlowError(filename, line, col, "", f"YAML error: {reason}")]) from None

    if root is None:
        if not errors:
            errors.append(
                FlowError(
                    filename,
                    1,
                    1,
                    "",
                    "the file is empty",
                    "a flow is a mapping starting with `format: 1`",
                )
            )
        raise FlowErrors(errors)

    reader = _Reader(filename, errors)
    flow = reader.flow(root)
    if reader.errors or flow is None:
        # YAML-level problems and schema problems, in file order.
        raise FlowErrors(sorted(reader.errors, key=lambda e: (e.line, e.col)))
    return flow


def load_flow_text(text: str, filename: str = "<flow>") -> Flow:
    """Validate a flow given as text; `filename` is used in error messages.

    The flow's ``source`` stays None and ``sha256`` is the digest of the UTF-8 text.
    Raises `FlowErrors` with every problem found.
    """
    flow = _parse(text, filename)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return dataclasses.replace(flow, sha256=digest)


def load_flow(path: str | os.PathLike[str]) -> Flow:
    """Read, validate and return the flow in `path`.

    The returned flow's ``source`` is the resolved path and ``sha256`` the digest of the
    file's bytes (what the evidence report records). Raises `FlowErrors` with every problem
    found; errors name the file as `path` was given.
    """
    filename = os.fspath(path)
    try:
        with open(filename, "rb") as fh:
            # Read one byte past the limit rather than trusting stat(): a FIFO or a file that
            # grows while we read must not get us to read without bound.
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FlowErrors([FlowError(filename, 1, 1, "", f"cannot read file: {reason}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise FlowErrors(
            [FlowError(filename, 1, 1, "", f"file is larger than {MAX_FILE_BYTES // 1024} KiB")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise FlowErrors(
            [
                FlowError(
                    filename,
                    line,
                    col,
                    "",
                    f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                    "save it as UTF-8",
                )
            ]
        ) from None
    flow = _parse(text, filename)
    return dataclasses.replace(
        flow, source=Path(filename).resolve(), sha256=hashlib.sha256(data).hexdigest()
    )


def validate_paths(paths: Iterable[str | os.PathLike[str]]) -> dict[str, list[FlowError]]:
    """Every problem of every file, by path as given (an empty list means the file is valid).

    For ``optout-bot validate FILE...``, which reports all files rather than stopping at the
    first bad one.
    """
    results: dict[str, list[FlowError]] = {}
    for path in paths:
        try:
            load_flow(path)
        except FlowErrors as exc:
            results[os.fspath(path)] = exc.errors
        else:
            results[os.fspath(path)] = []
    return results
