"""A flow's regular expressions run in bounded time, wherever they run.

A shared flow's pattern is hostile input, and a backtracking engine (Python's `re`, the
browser's RegExp) can take exponential time on one: ``(a+)+$`` against forty ``a`` and a ``b``
outlasts every timeout. So:

- Patterns optout-bot matches itself (the URLs of ``logged_out_urls``, ``security_check_urls``
  and ``expect_url``) are compiled and matched by RE2 (`UrlPattern`), whose time is linear in
  the text. RE2 has no backreferences or lookarounds; a pattern that needs them is refused.
- Patterns Playwright hands to the page as a JavaScript RegExp (the locator keys
  ``text_regex``, ``label_regex``, ``name_regex``) run in the browser's backtracking engine.
  `shape_problem` keeps them to a shape that cannot blow up there: RE2 must take them too, a
  quantifier applies to one character, escape, class or ``.`` only (never to a group), at
  most one is unbounded (``*``, ``+``, ``{n,}``), and the alternatives and bounded quantifiers
  multiply to at most `MAX_WAYS` ways of matching at one place. The browsers optout-bot
  launches also fall back to V8's linear-time engine on excessive backtracking
  (`engine.session.SAFE_REGEXP_ARGS`); a browser it attaches to has only this check.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import re2

#: The most ways a locator's pattern may match at one place of the text: the product of its
#: alternatives and of its bounded quantifiers' choices (``a?`` two, ``a{0,9}`` ten).
MAX_WAYS = 1000

#: A pattern's tokens for `shape_problem`: an escape, a character class, a group's opening, a
#: quantifier (with a lazy ``?``), one other character.
_TOKENS = re.compile(
    r"""\\.
    | \[\^?\]?(?:\\.|[^\]])*\]
    | \((?:\?(?:<[=!]|P?<\w*>|[^)]?))?
    | (?:[*+?]|\{[0-9]*(?:,[0-9]*)?\})\??
    | .""",
    re.VERBOSE | re.DOTALL,
)
#: RE2 logs a pattern it refuses to stderr; a shared flow must not write on the member's
#: terminal (the loader reports the problem in its own words).
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
_SHAPE_HINT = "write alternatives of plain words, e.g. ^(Data privacy|Datenschutz)$"


@dataclass(frozen=True)
class UrlPattern:
    """A regular expression compiled by RE2: `search` takes time linear in the text, whatever
    the pattern. Equal when the pattern is."""

    pattern: str
    _compiled: Any = field(compare=False, repr=False)

    @classmethod
    def compile(cls, pattern: str) -> UrlPattern:
        """Raises `re2.error` for what RE2 cannot take."""
        return cls(pattern, _re2(pattern))

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in `text` (add ^ and $ to anchor it)."""
        return self._compiled.search(text) is not None


@functools.lru_cache(maxsize=256)
def literal(text: str) -> str:
    """`text` as a pattern that matches it literally, in RE2 and Python alike: what is
    special escaped, and nothing else (unlike `re.escape`), so the pattern stays readable in
    the flow. For the patterns optout-bot writes itself (a skeleton, a recording, a repair)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)


def _re2(pattern: str) -> Any:
    """`pattern` compiled by RE2, once: the loader checks it (`re2_problem`), then keeps it."""
    return re2.compile(pattern, _OPTIONS)


def re2_problem(pattern: str) -> tuple[str, str] | None:
    """Why RE2 does not take `pattern` (which Python's `re` compiles), or None."""
    try:
        _re2(pattern)
    except re2.error as exc:
        reason = _reason(exc)
    else:
        return None
    hint = (
        "patterns are matched in linear time (RE2): no backreferences, lookarounds or "
        "possessive quantifiers"
    )
    for part in _TOKENS.findall(pattern):
        if part in ("(?=", "(?!", "(?<=", "(?<!"):
            return (
                f"lookarounds such as '{part}...)' are not allowed",
                hint + "; spell out what may follow, e.g. x/([^l]|l[^g]) for x/(?!lg)",
            )
        if re.fullmatch(r"\\[1-9]", part):
            return f"backreferences such as '{part}' are not allowed", hint
    return f"this regular expression is not allowed: {reason}", hint


def _reason(exc: Exception) -> str:
    said = exc.args[0] if exc.args else ""
    return (said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)) or "?"


def shape_problem(pattern: str) -> tuple[str, str] | None:
    """Why `pattern` (which RE2 takes) could backtrack for long in the browser, or None."""
    # Each open group: the ways of its finished alternatives, and of the current one.
    stack: list[list[int]] = [[0, 1]]
    unbounded = 0
    last = ""  # what the next quantifier would apply to: "", "atom", "group", "quantified"
    for part in _TOKENS.findall(pattern):
        if part.startswith("("):
            stack.append([0, 1])
            last = ""
        elif part == ")" and len(stack) > 1:
            done, current = stack.pop()
            stack[-1][1] *= done + current
            last = "group"
        elif part == "|":
            stack[-1][0] += stack[-1][1]
            stack[-1][1] = 1
            last = ""
        elif re.fullmatch(r"(?:[*+?]|\{[0-9]*(?:,[0-9]*)?\})\??", part):
            if last == "group":
                return (
                    "a repeated group such as (...)+ or (...)* is not allowed in a locator's "
                    "pattern: the browser's engine can take exponential time on it",
                    _SHAPE_HINT,
                )
            if last != "atom":
                continue  # a literal '{' or a lazy '?' (RE2 refuses the rest)
            low, high = _bounds(part[:-1] if len(part) > 1 and part.endswith("?") else part)
            if high is None:
                unbounded += 1
                if unbounded > 1:
                    return (
                        "more than one unbounded repetition (*, + or {n,}) in a locator's "
                        "pattern: the browser's engine can take polynomial time on it",
                        _SHAPE_HINT,
                    )
            else:
                stack[-1][1] *= high - low + 1
            last = "quantified"
        elif part in ("^", "$", "\\b", "\\B"):
            last = ""
        else:
            last = "atom"
        if any(done + current > MAX_WAYS for done, current in stack):
            return (
                f"the pattern has too many ways to match (more than {MAX_WAYS} combinations "
                "of alternatives and optional parts)",
                _SHAPE_HINT,
            )
    return None


def _bounds(quantifier: str) -> tuple[int, int | None]:
    """A quantifier's least and most repetitions (None: unbounded)."""
    if quantifier in ("*", "+", "?"):
        return {"*": (0, None), "+": (1, None), "?": (0, 1)}[quantifier]
    low, _, high = quantifier.strip("{}").partition(",")
    if "," not in quantifier:
        return int(low or 0), int(low or 0)
    return int(low or 0), int(high) if high else None
