"""The value kinds of the flow language: each, in an annotation (``Annotated[str, text(500)]``),
gives pydantic both its check (of a `Scalar`'s raw text, so ``off`` stays "off") and its JSON
Schema. `Seq` makes a tuple a YAML list; `Mapping` is the base of the language's mappings.

A problem is a pydantic error of type ``flow`` carrying our words (`Found`); `explain` words
pydantic's own errors the same way. A node the YAML layer reported raises ``reported``.
"""

from __future__ import annotations

import datetime
import difflib
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError, core_schema

from optout_bot.base import words
from optout_bot.base.names import FLOW_ID_PATTERN
from optout_bot.flow.patterns import UrlPattern, re2_problem, shape_problem
from optout_bot.flow.safe_yaml import Mark, Reported, Scalar, YMap, YSeq, describe, locate, show
from optout_bot.flow.selector import (
    PLAYWRIGHT_PSEUDO_CLASSES,
    PLAYWRIGHT_SYNTAX,
    XPATH_SYNTAX,
    css_problem,
)

Schema = dict[str, Any]
#: A problem: the path from where pydantic reports it to its node (union tags included),
#: the message, the hint, and whether it is about the key rather than the key's value.
Found = tuple[tuple[str | int, ...], str, str, bool]
Reader = Callable[[Scalar, dict[str, Any]], Any]

MAX_REGEX_CHARS = 500
MAX_CSS_CHARS = 1000
#: What a flow's text must not hold. A flow's strings end up in terminal output and reports,
#: where these could hide or forge text: control characters (other than tab and newline), the
#: line and paragraph separators YAML reads as line breaks where editors and `grep -n` show
#: none, bidirectional controls that reorder what a reviewer sees, and lone surrogates (not
#: text at all, and a crash for anything that encodes them).
FORBIDDEN_CHARS_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)


def forbidden_char(char: str) -> str:
    """How messages name a character of `FORBIDDEN_CHARS_RE`, e.g. "line separator U+2028"."""
    code = ord(char)
    if char in "\x85\u2028\u2029":
        kind = "line separator"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif code < 0xA0:
        kind = "control character"
    else:
        kind = "bidirectional control"
    return f"{kind} U+{code:04X}"


_HOST = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
_HTTPS = f"^https://(?:{_HOST.replace('a-z', 'A-Za-z')})(?::[0-9]+)?"  # hosts are lowercased
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_VERSION = r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}"
_SCREENSHOT_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
#: What the JSON Schema refuses of a CSS selector: XPath, Playwright's engine prefixes and
#: ``>>`` chains (`selector.PLAYWRIGHT_SYNTAX`), and its own pseudo-classes.
_PLAYWRIGHT_PSEUDO = sorted(PLAYWRIGHT_PSEUDO_CLASSES, key=lambda n: (-len(n), n))
_SELECTOR_SYNTAX = "|".join(
    (XPATH_SYNTAX, PLAYWRIGHT_SYNTAX, ":(?:" + "|".join(_PLAYWRIGHT_PSEUDO) + r")\b(?!-)")
)
_NO_FORBIDDEN_CHARS = f"^[^{FORBIDDEN_CHARS_RE.pattern[1:-1]}]*$"


def problems(*found: Found) -> PydanticCustomError:
    return PydanticCustomError("flow", "{message}", {"message": found[0][1], "problems": found})


def problem(message: str, hint: str = "", sub: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """One problem, at this node or at the value of `sub` below it."""
    return problems((sub, message, hint, False))


def wrong_type(node: object, expected: str, hint: str = "") -> PydanticCustomError:
    if isinstance(node, Reported):
        return PydanticCustomError("reported", "already reported")
    return problem(f"expected {expected}, got {describe(node)}", hint)


def suggest(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'click'?`` for a close match, else ``; expected one of: ...``."""
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1)
    return f"; did you mean {close[0]!r}?" if close else "; expected one of: " + ", ".join(options)


def shown(**json: Any) -> dict[str, Any]:
    """Core schema metadata that adds `json` to what the JSON Schema shows of it."""
    return {"pydantic_js_updates": json}


def one_of(*choices: core_schema.CoreSchema) -> core_schema.CoreSchema:
    """A union only shown (as JSON Schema ``oneOf``), for what a reader turns into one type."""
    return core_schema.tagged_union_schema(dict(enumerate(choices)), discriminator=lambda _: None)


def whole(pattern: str) -> str:
    """A Python `fullmatch` pattern as a JSON Schema pattern (which searches, unanchored)."""
    return f"^(?:{pattern})$"


# --------------------------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------------------------


class Kind:
    """A kind of scalar: what a reader expects, how it is read (given the validation's
    context), and its JSON Schema. Only a kind that says so (`nullable`) takes an empty value."""

    def __init__(self, expected: str, read: Reader, schema: Schema, nullable: bool = False) -> None:
        self.expected, self.read, self.schema, self.nullable = expected, read, schema, nullable

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        def validate(value: object, info: core_schema.ValidationInfo) -> Any:
            if not isinstance(value, Scalar) or (value.is_null and not self.nullable):
                raise wrong_type(value, self.expected)
            return self.read(value, info.context if info.context is not None else {})

        return core_schema.with_info_plain_validator_function(validate)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Schema:
        return dict(self.schema)


def text(
    max_len: int,
    expected: str = "a string",
    *,
    strip: bool = False,
    allow_empty: bool = False,
    check: Callable[[str, dict[str, Any]], Any] | None = None,
    **schema: Any,
) -> Kind:
    """A string, as written, with no control characters; `check` adds rules (and may give
    another value, e.g. a compiled pattern), `schema` adds to its JSON Schema."""

    def read(node: Scalar, context: dict[str, Any]) -> Any:
        value = "" if node.is_null else node.text.strip() if strip else node.text
        bad = FORBIDDEN_CHARS_RE.search(value)
        if bad:
            raise problem(f"{forbidden_char(bad.group())} is not allowed here")
        if not value and not allow_empty:
            raise problem(f"expected {expected}, got an empty string")
        if len(value) > max_len:
            raise problem(f"too long ({len(value)} characters; at most {max_len})")
        return check(value, context) if check else value

    plain = {"type": "string", "maxLength": max_len, "pattern": _NO_FORBIDDEN_CHARS, **schema}
    # An empty value is null to an editor.
    json = {"anyOf": [plain, {"type": "null"}]} if allow_empty else {**plain, "minLength": 1}
    return Kind(expected, read, json, nullable=allow_empty)


def choice(choices: Sequence[str], what: str) -> Kind:
    """One of a few words, with "did you mean" for near misses."""

    def read(node: Scalar, context: dict[str, Any]) -> str:
        if node.text not in choices:
            raise problem(f"unknown {what} {show(node.text)}" + suggest(node.text, choices))
        return node.text

    return Kind(f"{what}, one of: " + ", ".join(choices), read, {"enum": list(choices)})


def integer(low: int, high: int, schema_high: int | None = None) -> Kind:
    def read(node: Scalar, context: dict[str, Any]) -> int:
        if not (node.plain and re.fullmatch(r"[-+]?[0-9]+", node.text)):
            raise wrong_type(node, "a whole number")
        # int() refuses very long numbers; 14 digits are out of range anyway, keep the sign.
        value = int(node.text if len(node.text) < 14 else node.text[0] + "1" * 14)
        if not low <= value <= high:
            raise problem(f"must be between {low} and {high}, got {show(node.text)}")
        return value

    return Kind(
        "a whole number", read, {"type": "integer", "minimum": low, "maximum": schema_high or high}
    )


def _bool(node: Scalar, context: dict[str, Any]) -> bool:
    # Only true/false: yes/no/on/off are booleans in YAML 1.1 but strings in 1.2, and a flow
    # should mean the same thing to every reader.
    if node.plain and node.text.lower() in ("true", "false"):
        return node.text.lower() == "true"
    raise wrong_type(node, "true or false")


def _date(node: Scalar, context: dict[str, Any]) -> datetime.date:
    if not re.fullmatch(_DATE, node.text):
        raise wrong_type(node, "a date like 2026-11-22")
    try:
        return datetime.date.fromisoformat(node.text)
    except ValueError as exc:
        raise problem(f"not a valid date: {exc}") from None


def _version(node: Scalar, context: dict[str, Any]) -> str:
    # `1.0.0`, "1.0.0" and `2` all come out as the text written.
    if not re.fullmatch(_VERSION, node.text):
        raise wrong_type(node, "a version like 1.0.0")
    return node.text


BOOL = Kind("true or false", _bool, {"type": "boolean"})
DATE = Kind(
    "a date like 2026-11-22", _date, {"type": "string", "format": "date", "pattern": whole(_DATE)}
)
# YAML 1.2 (an editor) reads `version: 1.10` as a number.
_VERSION_SCHEMA = {"anyOf": [{"type": "string", "pattern": whole(_VERSION)}, {"type": "number"}]}
VERSION = Kind("a version like 1.0.0", _version, _VERSION_SCHEMA)


def no_value(key: str) -> Kind:
    """The value of an action that takes none: nothing, or ``true``."""

    def read(node: Scalar, context: dict[str, Any]) -> None:
        if not (node.is_null or (node.plain and node.text.lower() == "true")):
            raise wrong_type(node, "nothing or true", f"{key!r} takes no value; write `- {key}`")

    return Kind("nothing or true", read, {"enum": [None, True]}, nullable=True)


def checked(max_len: int, expected: str, pattern: str) -> Callable[[Any], Kind]:
    """Makes a check of a string (given the validation's context) a kind of text; the check's
    docstring describes it in the JSON Schema."""
    return lambda check: text(
        max_len, expected, check=check, pattern=pattern, description=check.__doc__
    )


def name(pattern: str, expected: str, refused: str, hint: str, **schema: Any) -> Kind:
    """A name that becomes part of a file name: all of it matches `pattern`, else it is
    `refused` (the name goes in its ``{}``)."""

    def check(value: str, context: dict[str, Any]) -> str:
        if not re.fullmatch(pattern, value):
            raise problem(refused.format(show(value)), hint)
        return value

    return text(10_000, expected, check=check, pattern=whole(pattern), **schema)


flow_id = name(
    FLOW_ID_PATTERN,
    "a flow id",
    "flow id {} is not a slug",
    "use 2-64 lowercase letters, digits and '-', starting with a letter or digit, "
    "e.g. linkedin-ai-training",
)
screenshot_name = name(
    _SCREENSHOT_NAME,
    "a screenshot name",
    "screenshot name {} is not allowed",
    "use up to 64 letters, digits, '-' and '_', no dots or slashes: it becomes a file name",
    maxLength=64,
    description="up to 64 letters, digits, '-' and '_': it becomes a file name",
)


def _https_origin(url: str) -> tuple[str, str]:
    """The origin of an https URL and the rest of it; raises the problem if it is not one."""
    if re.search(r"\s|\\", url):
        raise problem("URLs must not contain spaces or backslashes")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise problem(f"not a valid URL: {exc}") from None
    if parts.scheme == "http":
        hint = "write https:// instead of http://"
        raise problem(f"only https:// URLs are allowed, got {show(url)}", hint)
    if parts.scheme != "https":
        raise problem(f"expected an https:// URL, got {show(url)}")
    if "@" in parts.netloc:
        raise problem("URLs must not carry a user name or password", "remove the part before '@'")
    host = parts.hostname or ""
    if len(host) > 253 or not re.fullmatch(_HOST, host):
        hint = "internationalised names must be written in punycode (xn--...)"
        raise problem(f"not a valid host name: {show(host)}", hint)
    origin = f"https://{host}" if port in (None, 443) else f"https://{host}:{port}"
    return origin, url[len(parts.scheme) + 3 + len(parts.netloc) :]


@checked(2000, "an origin like https://www.example.com", _HTTPS + "/?$")
def origin(value: str, context: dict[str, Any]) -> str:
    """an https origin, with no path: https://www.example.com"""
    origin, rest = _https_origin(value)
    if rest not in ("", "/"):
        raise problem(f"an origin has no path or query, got {show(value)}", f"write just {origin}")
    return origin


@checked(2000, "an https URL", _HTTPS + r"(?:[/?#][^\s\\]*)?$")
def url(value: str, context: dict[str, Any]) -> str:
    """an https URL whose origin is in allowed_origins, not reading as sign-out, delete or pay"""
    origin = _https_origin(value)[0]
    # No origins when allowed_origins itself is broken: no cascade of follow-on errors.
    origins = context.get("origins")
    if origins is not None and origin not in origins:
        raise problem(
            f"URL {show(value)} is outside allowed_origins ({', '.join(sorted(origins))})",
            f"add {origin} to allowed_origins if the flow really needs it",
        )
    denied = words.url_denial(value)
    if denied is not None:
        raise problem(
            f"URL {show(value)} reads as '{denied.word}' ({denied.category.reads_as}); a "
            "flow never opens such a page",
            "point the step at the setting's page, or at a menu on the way to it",
        )
    return value


@checked(MAX_CSS_CHARS, "a CSS selector", r"\S")
def css(value: str, context: dict[str, Any]) -> str:
    """a CSS selector (plain CSS that browsers take: no XPath, no Playwright selector syntax
    such as >>, text= or :has-text(), no pseudo-elements)"""
    if not value.strip():
        raise problem("expected a CSS selector, got only spaces")
    # Flows get plain CSS only, so they can be read and reviewed as such (see selector.py).
    refused = css_problem(value)
    if refused is not None:
        raise problem(*refused)
    return value


# The JSON Schema cannot hold a CSS parser: it refuses the cheap cases (XPath, engine prefixes,
# >> chains, Playwright's own pseudo-classes), the loader the rest.
css.schema["not"] = {"pattern": _SELECTOR_SYNTAX}


def _compiled(value: str) -> re.Pattern[str]:
    """The pattern compiled by Python (for its error messages, and for Playwright, which
    takes a `re.Pattern`), and checked to mean the same in the browser."""
    try:
        # Python warns about constructs a future version may read differently ("Possible
        # nested set"); a shared flow must not print warnings on the member's terminal.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pattern = re.compile(value)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise problem(f"invalid regular expression: {exc.msg}{where}") from None
    for found in (js_incompatibility(value), re2_problem(value)):
        if found is not None:
            raise problem(*found)
    return pattern


def _url_regex(value: str, context: dict[str, Any]) -> UrlPattern:
    _compiled(value)
    return UrlPattern.compile(value)


def _page_regex(value: str, context: dict[str, Any]) -> re.Pattern[str]:
    pattern = _compiled(value)
    found = shape_problem(value)
    if found is not None:
        raise problem(*found)
    return pattern


_REGEX_RULES = "searched (add ^ and $); no (?i), (?P<name>...), \\A, \\Z, lookarounds or \\1"


def regex() -> Kind:
    """A regular expression of a URL, matched by optout-bot in linear time (RE2), that
    means the same in the browser; the engine gets a `UrlPattern`."""
    return text(
        MAX_REGEX_CHARS,
        "a regular expression",
        check=_url_regex,
        format="regex",
        description=f"a regular expression, {_REGEX_RULES}",
    )


def page_regex(what: str) -> Kind:
    """A regular expression Playwright matches in the page (the browser's backtracking
    RegExp): also of a shape that cannot take it long (`patterns.shape_problem`); the engine
    gets a `re.Pattern`, which Playwright sends."""
    rules = "quantifiers only on single characters, at most one * or +"
    return text(
        MAX_REGEX_CHARS,
        "a regular expression",
        check=_page_regex,
        format="regex",
        description=f"{what}, {_REGEX_RULES}; {rules}",
    )


#: The parts of a regular expression that matter to `js_incompatibility`: an escape, a
#: character class (a ']' straight after '[' or '[^' is a literal in Python), a group opening
#: with its first letters, any other character.
_REGEX_PARTS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]?|\(\?(?:<[=!]|.?)|.", re.DOTALL)


def js_incompatibility(source: str) -> tuple[str, str] | None:
    """Why a Python regex would not mean the same in the browser's RegExp (which Playwright
    hands its text to), or None: Python-only syntax fails there or silently means another thing."""
    where = "does not work in browser regular expressions"
    for part in _REGEX_PARTS.findall(source):
        if part in ("\\A", "\\Z"):
            return f"'{part}' {where}", "use ^ and $ instead"
        if not part.startswith("(?") or part in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
            continue
        if part == "(?P":
            return "named groups (?P<name>...) do not work in browser regular expressions", (
                "use a plain group (...)"
            )
        if part[2:] and part[2] in "aiLmsux-":
            hint = "spell out the cases instead, e.g. [Dd]ata for Data or data"
            return "inline flags such as (?i) do not work in browser regular expressions", hint
        return (
            f"'{part}' does not work in browser regular expressions",
            "use plain groups (...) or (?:...)",
        )
    return None


# --------------------------------------------------------------------------------------------
# Lists and mappings
# --------------------------------------------------------------------------------------------


#: The most items a list of a flow may hold: a flow walks a few menus to one switch, and a
#: shared flow must not be able to queue thousands of waits (each bounded, but not together).
MAX_ITEMS = 40


class Seq:
    """Makes a tuple a YAML list: what the list is, whether it may be empty, how many items it
    may hold, and whether an item may be listed twice (`unique` names the item, e.g.
    "platform")."""

    def __init__(
        self, expected: str, *, non_empty: bool = False, unique: str = "", most: int = MAX_ITEMS
    ) -> None:
        self.expected, self.non_empty, self.unique, self.most = expected, non_empty, unique, most

    def check(self, value: object) -> object:
        if not isinstance(value, YSeq):
            hint = "write a YAML list, one '- item' per line" if isinstance(value, Scalar) else ""
            raise wrong_type(value, self.expected, hint)
        if self.non_empty and not value:
            raise problem(f"expected {self.expected}, got an empty list")
        if len(value) > self.most:
            hint = "a flow walks a few menus to one switch; shorten the list"
            raise problem(f"too many items ({len(value)}; at most {self.most})", hint)
        return value

    def read(self, value: object, handler: Any) -> tuple[Any, ...]:
        items = handler(self.check(value))
        twice = [(i, x) for i, x in enumerate(items) if self.unique and x in items[:i]]
        if twice:
            raise problems(
                *[((i,), f"{self.unique} {x!r} is listed twice", "", False) for i, x in twice]
            )
        return items

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        json = {"minItems": 1} if self.non_empty else {}
        json |= {"maxItems": self.most}
        json |= {"uniqueItems": True} if self.unique else {}
        return core_schema.no_info_wrap_validator_function(
            self.read, handler(source), metadata=shown(**json)
        )


class Mapping(BaseModel):
    """A mapping of the flow language: it keeps its mark, refuses unknown keys ("did you mean")
    and reports a missing key with the key's description as the hint."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, arbitrary_types_allowed=True, use_attribute_docstrings=True
    )
    #: What a reader expects here, for "expected ..., got a list".
    EXPECTED: ClassVar[str] = "a mapping"
    _mark: Mark | None = PrivateAttr(None)

    @property
    def mark(self) -> Mark | None:
        """Where the mapping is in its flow file (None for one made in code)."""
        return self._mark

    @classmethod
    def yaml_keys(cls) -> dict[str, str]:
        """Each key as a flow writes it, and what it is for."""
        return {f.alias or n: f.description or "" for n, f in cls.model_fields.items()}

    @classmethod
    def unknown_key(cls, key: str, data: dict[str, Any]) -> tuple[str, str]:
        """The message and hint for a key this mapping does not have."""
        shown = [k for k in cls.yaml_keys() if not k.startswith("$")]
        return f"unknown key {show(key)}" + suggest(key, shown), ""

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        """Problems of the mapping as a whole, found before its keys are read (a hook)."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _read(cls, data: Any, handler: Any, info: core_schema.ValidationInfo) -> Any:
        made = read_mapping(cls, cls.EXPECTED, data, handler, info)
        made._mark = getattr(data, "mark", None)
        return made


def read_mapping(reader: Any, expected: str, data: Any, handler: Any, info: Any) -> Any:
    """Validate a mapping node with `handler`, after the `reader`'s own `check` of it; the
    reader words the errors about its keys (`unknown_key`)."""
    if not isinstance(data, dict):
        raise wrong_type(data, expected)
    if isinstance(data, YMap):
        data.reader = reader
    found = reader.check(data, info.context if info.context is not None else {})
    if not found:
        return handler(data)
    # Report the mapping's own problems together with those of its keys: one pass.
    try:
        handler(data)
    except ValidationError as exc:
        found += [f for error in exc.errors() for f in explain(error, data)]
    raise problems(*found)


def _first_sentence(help_text: str) -> str:
    """A key's help as an error's one-line hint: its first sentence (a key whose help runs on,
    as the switch's label does, would otherwise spill its whole reference into the error)."""
    one_line = " ".join(help_text.split())
    return re.split(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z])", one_line, maxsplit=1)[0]


def explain(error: ErrorDetails, root: Any) -> list[Found]:
    """A pydantic error about the tree under `root`, in the flow language's words."""
    loc, kind = tuple(error["loc"]), error["type"]
    if kind == "flow":
        return [(loc + tuple(sub), *rest) for sub, *rest in error["ctx"]["problems"]]
    key = str(loc[-1]) if loc else ""
    if kind == "missing":
        help_text = (getattr(error["input"], "reader", None) or Mapping).yaml_keys().get(key, "")
        return [(loc, f"missing required key {key!r}", _first_sentence(help_text), False)]
    if kind == "extra_forbidden":
        parent: Any = locate(root, loc[:-1])[0]
        reader = getattr(parent, "reader", None) or Mapping
        return [(loc, *reader.unknown_key(key, parent), True)]
    # Every check of the language raises its own words (or "reported", which was); this
    # safety net still gives a located error rather than a crash.
    return [] if kind == "reported" else [(loc, error["msg"], "", False)]
