"""The value kinds of the flow language: how each is read from YAML, and its JSON Schema.

A kind is a small object placed in a type annotation (``Annotated[str, Text(max_len=500)]``);
pydantic asks it both for its validation (read from a `Scalar` node's raw text, so ``off``
stays "off") and for its JSON Schema, so the two come from one declaration. `Mapping` is the
base of the language's mappings (the pydantic models), `Seq` makes a tuple field a YAML list.

A problem is raised as a pydantic error of type ``flow`` whose context carries our own wording:
one or more ``(sub-path, message, hint, at_key)`` entries, the sub-path leading from where
pydantic reports the error to the node it is about. The loader turns them into located
`FlowError`s. A node already reported by the YAML layer raises ``reported``, which the loader
drops, so nothing is reported twice.
"""

from __future__ import annotations

import datetime
import difflib
import re
import warnings
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AnyMapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError, core_schema

from optout_bot.base.names import FLOW_ID_PATTERN, is_flow_id
from optout_bot.flow.safe_yaml import Mark, Reported, Scalar, YMap, YSeq, describe, node_at, show

MAX_REGEX_CHARS = 500
MAX_CSS_CHARS = 1000
Schema = dict[str, Any]

#: Control characters (other than tab and newline) and bidirectional overrides: a flow's
#: strings end up in terminal output and reports, where these could hide or forge text.
FORBIDDEN_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HOST = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_VERSION = r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}"
_SCREENSHOT_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
#: A Playwright selector-engine prefix such as ``xpath=``, ``text=``, ``internal:role=``,
#: ``_react=``. Plain CSS never has an ``=`` right after a leading identifier (attribute
#: selectors put theirs inside ``[...]``), so this cannot reject valid CSS.
_ENGINE_PREFIX = r"\s*[A-Za-z_][\w:-]*\s*="


#: One problem: the path from where pydantic reports it to the node it is about (union tags
#: included), the message, the hint, and whether it is about the key rather than its value.
Found = tuple[tuple[str | int, ...], str, str, bool]


def problems(*found: Found) -> PydanticCustomError:
    """The error that carries these problems."""
    return PydanticCustomError("flow", "{message}", {"message": found[0][1], "problems": found})


def problem(
    message: str, hint: str = "", sub: tuple[str | int, ...] = (), *, at_key: bool = False
) -> PydanticCustomError:
    """The error for one problem, at this node or at `sub` below it."""
    return problems((sub, message, hint, at_key))


REPORTED = PydanticCustomError("reported", "already reported")


def wrong_type(node: object, expected: str, hint: str = "") -> PydanticCustomError:
    if isinstance(node, Reported):
        return REPORTED
    return problem(f"expected {expected}, got {describe(node)}", hint)


def suggest(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'click'?`` for a close match, else ``; expected one of: ...``."""
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return "; expected one of: " + ", ".join(options)


def whole(pattern: str) -> str:
    """A Python `fullmatch` pattern as a JSON Schema pattern (which searches, unanchored)."""
    return f"^(?:{pattern})$"


# --------------------------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------------------------


class Kind:
    """A kind of scalar. Subclasses say what they expect, how they read it, and their schema."""

    expected = "a string"

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> Any:
        raise NotImplementedError

    def json(self) -> Schema:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        def validate(value: object, info: core_schema.ValidationInfo) -> Any:
            if not isinstance(value, Scalar):
                raise wrong_type(value, self.expected)
            return self.read(value, info.context or {})

        return core_schema.with_info_plain_validator_function(validate)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Schema:
        return self.json()


class Text(Kind):
    """A string, read from its raw text; no control characters."""

    def __init__(
        self,
        max_len: int,
        expected: str = "a string",
        *,
        strip: bool = False,
        allow_empty: bool = False,
    ) -> None:
        self.max_len, self.expected, self.strip, self.allow_empty = (
            max_len,
            expected,
            strip,
            allow_empty,
        )

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> str:
        if node.is_null and not self.allow_empty:
            raise wrong_type(node, self.expected)
        value = "" if node.is_null else node.text
        if self.strip:
            value = value.strip()
        bad = FORBIDDEN_CHARS_RE.search(value)
        if bad:
            raise problem(f"control character U+{ord(bad.group()):04X} is not allowed here")
        if not value and not self.allow_empty:
            raise problem(f"expected {self.expected}, got an empty string")
        if len(value) > self.max_len:
            raise problem(f"too long ({len(value)} characters; at most {self.max_len})")
        return self.check(value)

    def check(self, value: str) -> Any:
        """Further rules of a subclass; returns the value to keep."""
        return value

    def json(self) -> Schema:
        allowed = FORBIDDEN_CHARS_RE.pattern[1:-1]
        schema: Schema = {
            "type": "string",
            "maxLength": self.max_len,
            "pattern": f"^[^{allowed}]*$",
        }
        if not self.allow_empty:
            return {**schema, "minLength": 1}
        # An empty value is null to an editor.
        return {"anyOf": [schema, {"type": "null"}]}


class Choice(Kind):
    """One of a few words, with "did you mean" for near misses."""

    def __init__(self, choices: Sequence[str], what: str) -> None:
        self.choices, self.what = tuple(choices), what
        self.expected = f"{what}, one of: " + ", ".join(self.choices)

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> str:
        if node.is_null:
            raise wrong_type(node, self.expected)
        if node.text not in self.choices:
            raise problem(
                f"unknown {self.what} {show(node.text)}" + suggest(node.text, self.choices)
            )
        return node.text

    def json(self) -> Schema:
        return {"enum": list(self.choices)}


class Bool(Kind):
    # Only true/false: yes/no/on/off are booleans in YAML 1.1 but strings in 1.2, and a flow
    # should mean the same thing to every reader.
    expected = "true or false"

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> bool:
        if node.plain and node.text.lower() in ("true", "false"):
            return node.text.lower() == "true"
        raise wrong_type(node, self.expected)

    def json(self) -> Schema:
        return {"type": "boolean"}


class Int(Kind):
    expected = "a whole number"

    def __init__(self, low: int, high: int, schema_high: int | None = None) -> None:
        self.low, self.high, self.schema_high = low, high, schema_high or high

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> int:
        if not (node.plain and re.fullmatch(r"[-+]?[0-9]+", node.text)):
            raise wrong_type(node, self.expected)
        # Cap the digits before int(): Python refuses very long numbers with a ValueError.
        digits = node.text.lstrip("+-")
        value = int(node.text) if len(digits) <= 12 else (-1 if node.text[0] == "-" else 1) * 10**13
        if not self.low <= value <= self.high:
            raise problem(f"must be between {self.low} and {self.high}, got {show(node.text)}")
        return value

    def json(self) -> Schema:
        return {"type": "integer", "minimum": self.low, "maximum": self.schema_high}


class Date(Kind):
    expected = "a date like 2026-11-22"

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> datetime.date:
        if not re.fullmatch(_DATE, node.text):
            raise wrong_type(node, self.expected)
        try:
            return datetime.date.fromisoformat(node.text)
        except ValueError as exc:
            raise problem(f"not a valid date: {exc}") from None

    def json(self) -> Schema:
        return {"type": "string", "format": "date", "pattern": whole(_DATE)}


class Version(Kind):
    expected = "a version like 1.0.0"

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> str:
        # `1.0.0`, "1.0.0" and `2` all come out as the text written.
        if node.is_null or not re.fullmatch(_VERSION, node.text):
            raise wrong_type(node, self.expected)
        return node.text

    def json(self) -> Schema:
        # `version: 1.10` is read as written here; YAML 1.2 makes it a number.
        return {"anyOf": [{"type": "string", "pattern": whole(_VERSION)}, {"type": "number"}]}


class FlowId(Text):
    def __init__(self) -> None:
        super().__init__(10_000, "a flow id")

    def check(self, value: str) -> str:
        if not is_flow_id(value):
            raise problem(
                f"flow id {show(value)} is not a slug",
                "use 2-64 lowercase letters, digits and '-', starting with a letter "
                "or digit, e.g. linkedin-ai-training",
            )
        return value

    def json(self) -> Schema:
        return {"type": "string", "pattern": whole(FLOW_ID_PATTERN)}


class ScreenshotName(Text):
    def __init__(self) -> None:
        super().__init__(10_000, "a screenshot name")

    def check(self, value: str) -> str:
        if not re.fullmatch(_SCREENSHOT_NAME, value):
            raise problem(
                f"screenshot name {show(value)} is not allowed",
                "use up to 64 letters, digits, '-' and '_', no dots or slashes: "
                "it becomes a file name",
            )
        return value

    def json(self) -> Schema:
        return {
            "type": "string",
            "pattern": whole(_SCREENSHOT_NAME),
            "description": "up to 64 letters, digits, '-' and '_': it becomes a file name",
        }


def _https_origin(text: str) -> tuple[str, str, str]:
    """(origin, path and query, fragment) of an https URL; raises the problem if it is not."""
    if re.search(r"\s|\\", text):
        raise problem("URLs must not contain spaces or backslashes")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise problem(f"not a valid URL: {exc}") from None
    if parts.scheme == "http":
        hint = "write https:// instead of http://"
        raise problem(f"only https:// URLs are allowed, got {show(text)}", hint)
    if parts.scheme != "https":
        raise problem(f"expected an https:// URL, got {show(text)}")
    if "@" in parts.netloc:
        raise problem("URLs must not carry a user name or password", "remove the part before '@'")
    host = parts.hostname or ""
    if len(host) > 253 or not re.fullmatch(_HOST, host):
        hint = "internationalised names must be written in punycode (xn--...)"
        raise problem(f"not a valid host name: {show(host)}", hint)
    origin = f"https://{host}" if port in (None, 443) else f"https://{host}:{port}"
    return origin, parts.path + ("?" + parts.query if parts.query else ""), parts.fragment


#: The host part of the URL patterns of the schema: upper case too (hosts are lowercased).
_SCHEMA_HOST = _HOST.replace("a-z", "A-Za-z")


class Origin(Text):
    def __init__(self) -> None:
        super().__init__(10_000, "an origin like https://www.example.com")

    def check(self, value: str) -> str:
        origin, rest, fragment = _https_origin(value)
        if rest not in ("", "/") or fragment:
            hint = f"write just {origin}"
            raise problem(f"an origin has no path or query, got {show(value)}", hint)
        return origin

    def json(self) -> Schema:
        return {
            "type": "string",
            "maxLength": 2000,
            "pattern": f"^https://(?:{_SCHEMA_HOST})(?::[0-9]+)?/?$",
            "description": "an https origin, with no path: https://www.example.com",
        }


class Url(Text):
    """An https URL whose origin is in the flow's allowed_origins (given in the context)."""

    def __init__(self) -> None:
        super().__init__(2000, "an https URL")

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> str:
        text: str = super().read(node, context)
        origins = context.get("origins")
        origin = _https_origin(text)[0]
        # No origins when allowed_origins itself is broken: no cascade of follow-on errors.
        if origins is not None and origin not in origins:
            raise problem(
                f"URL {show(text)} is outside allowed_origins ({', '.join(sorted(origins))})",
                f"add {origin} to allowed_origins if the flow really needs it",
            )
        return text

    def json(self) -> Schema:
        return {
            "type": "string",
            "maxLength": 2000,
            "pattern": f"^https://(?:{_SCHEMA_HOST})(?::[0-9]+)?(?:[/?#][^\\s\\\\]*)?$",
            "description": "an https URL whose origin is in allowed_origins",
        }


class Regex(Text):
    """A regular expression that means the same in Python and in the browser."""

    def __init__(self, description: str = "a regular expression") -> None:
        super().__init__(MAX_REGEX_CHARS, "a regular expression")
        self.description = description

    def check(self, value: str) -> re.Pattern[str]:
        try:
            # Python warns about constructs a future version may read differently ("Possible
            # nested set"); a shared flow must not print warnings on the member's terminal.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pattern = re.compile(value)
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            raise problem(f"invalid regular expression: {exc.msg}{where}") from None
        incompatible = js_incompatibility(value)
        if incompatible is not None:
            raise problem(*incompatible)
        return pattern

    def json(self) -> Schema:
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_REGEX_CHARS,
            "format": "regex",
            "description": self.description + " (searched, not anchored: add ^ and $); "
            "no (?i), (?P<name>...) or \\A / \\Z, which browsers do not understand",
        }


class Css(Text):
    def __init__(self) -> None:
        super().__init__(MAX_CSS_CHARS, "a CSS selector")

    def check(self, value: str) -> str:
        if not value.strip():
            raise problem("expected a CSS selector, got only spaces")
        # Playwright reads a selector string as its own mini-language: `xpath=`, `text=`,
        # `internal:...=`, `_react=` engines, `>>` chains, and a leading `//` or `..` (XPath)
        # or quote (text). Flows get plain CSS only, so they can be read and reviewed as such.
        if (
            ">>" in value
            or re.match(_ENGINE_PREFIX, value)
            or value.lstrip().startswith(("//", "..", '"', "'"))
        ):
            raise problem(
                f"only plain CSS is allowed, not Playwright selector syntax: {show(value)}",
                "use role, text, label or test_id locators, or list alternatives",
            )
        return value

    def json(self) -> Schema:
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_CSS_CHARS,
            "pattern": "\\S",
            "not": {
                "anyOf": [
                    {"pattern": ">>"},
                    {"pattern": "^" + _ENGINE_PREFIX},
                    {"pattern": "^\\s*(?://|\\.\\.|[\"'])"},
                ]
            },
            "description": "a CSS selector (plain CSS, not Playwright's selector syntax); "
            "prefer language-independent attributes",
        }


class NoValue(Kind):
    """The value of an action that takes none: nothing, or ``true``."""

    expected = "nothing or true"

    def __init__(self, key: str) -> None:
        self.key = key

    def read(self, node: Scalar, context: AnyMapping[str, Any]) -> None:
        if not (node.is_null or (node.plain and node.text.lower() == "true")):
            raise wrong_type(
                node, self.expected, f"{self.key!r} takes no value; write `- {self.key}`"
            )

    def json(self) -> Schema:
        return {"enum": [None, True]}


def js_incompatibility(source: str) -> tuple[str, str] | None:
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
            in_class = c != "]"
        elif c == "[":
            in_class = True
            # A ']' straight after '[' or '[^' is a literal in Python's syntax.
            i += 2 if source[i + 1 : i + 2] == "^" else 1
            i += 1 if source[i : i + 1] == "]" else 0
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
# Lists and mappings
# --------------------------------------------------------------------------------------------


class Seq:
    """Makes a tuple field a YAML list: what the list is, and whether it may be empty.

    With `unique`, the item's name (e.g. "platform"): items listed twice are refused, and the
    tuple keeps each once.
    """

    def __init__(self, expected: str, *, non_empty: bool = False, unique: str = "") -> None:
        self.expected, self.non_empty, self.unique = expected, non_empty, unique

    def check(self, value: object) -> object:
        if not isinstance(value, YSeq):
            hint = "write a YAML list, one '- item' per line" if isinstance(value, Scalar) else ""
            raise wrong_type(value, self.expected, hint)
        if self.non_empty and not value:
            raise problem(f"expected {self.expected}, got an empty list")
        return value

    def once(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        twice = [i for i, item in enumerate(items) if item in items[:i]]
        if twice:
            raise problems(
                *(((i,), f"{self.unique} {items[i]!r} is listed twice", "", False) for i in twice)
            )
        return items

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = core_schema.no_info_before_validator_function(self.check, handler(source))
        if self.unique:
            schema = core_schema.no_info_after_validator_function(self.once, schema)
        return schema

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Schema:
        json = handler(schema)
        if self.non_empty:
            json["minItems"] = 1
        if self.unique:
            json["uniqueItems"] = True
        return dict(json)


class Mapping(BaseModel):
    """A mapping of the flow language: its keys are the fields (YAML keys are the aliases).

    Every mapping remembers its mark, refuses unknown keys ("did you mean"), and reports a
    missing key at itself with the key's description as the hint.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    #: What a reader expects here, for "expected ..., got a list".
    EXPECTED: ClassVar[str] = "a mapping"
    _mark: Mark | None = PrivateAttr(None)

    @property
    def mark(self) -> Mark | None:
        """Where the mapping is in its flow file (None for one made in code)."""
        return self._mark

    @classmethod
    def yaml_keys(cls) -> list[str]:
        return [f.alias or name for name, f in cls.model_fields.items()]

    @classmethod
    def unknown_key(cls, key: str, data: YMap) -> tuple[str, str]:
        """The message and hint for a key this mapping does not have."""
        shown = [k for k in cls.yaml_keys() if not k.startswith("$")]
        return f"unknown key {show(key)}" + suggest(key, shown), ""

    @classmethod
    def key_help(cls, key: str) -> str:
        """What a key is for (its field's description), the hint when it is missing."""
        fields = cls.model_fields.items()
        return next((f.description or "" for n, f in fields if (f.alias or n) == key), "")

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        """Problems of the mapping as a whole, found before its keys are read (a hook)."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _read(cls, data: Any, handler: Any, info: core_schema.ValidationInfo) -> Any:
        if not isinstance(data, dict):
            raise wrong_type(data, cls.EXPECTED)
        if isinstance(data, YMap):
            data.reader = cls
        found = cls.check(data, info.context if info.context is not None else {})
        if not found:
            made = handler(data)
            if isinstance(data, YMap):
                made._mark = data.mark
            return made
        # Report the mapping's own problems together with those of its keys: one pass.
        try:
            handler(data)
        except ValidationError as exc:
            found += [f for error in exc.errors() for f in explain(error, data)]
        raise problems(*found)


def explain(error: ErrorDetails, root: object) -> list[Found]:
    """A pydantic error about the tree under `root` in the flow language's words."""
    loc, kind = tuple(error["loc"]), error["type"]
    if kind == "flow":
        return [(loc + tuple(sub), *rest) for sub, *rest in error["ctx"]["problems"]]
    if kind == "reported":
        return []
    key = str(loc[-1]) if loc else ""
    if kind == "missing":
        reader = getattr(error["input"], "reader", None)
        hint = reader.key_help(key) if reader is not None else ""
        return [(loc, f"missing required key {key!r}", hint, False)]
    if kind == "extra_forbidden":
        parent = node_at(root, loc[:-1])
        reader = getattr(parent, "reader", None)
        if reader is not None and isinstance(parent, YMap):
            return [(loc, *reader.unknown_key(key, parent), True)]
        return [(loc, f"unknown key {show(key)}", "", True)]
    # Every check of the language raises its own words; this is a safety net that still
    # gives a located error rather than a crash.
    return [(loc, error["msg"], "", False)]
