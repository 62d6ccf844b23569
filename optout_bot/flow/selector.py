"""What a flow's ``css`` may be: a selector that browsers and Playwright's CSS engine both take
as plain CSS, and that means what a reviewer reads.

Playwright's ``page.locator()`` takes more than CSS: ``//a`` and ``(//a)`` run as XPath, a
leading quote as text, ``xpath=`` / ``text=`` / ``internal:...=`` pick other engines, ``>>``
chains them, and ``:has-text()``, ``:visible``, ``:right-of()`` ... are its own pseudo-classes.
A shared flow that promises CSS gets none of that. `css_problem` reads the selector with a real
CSS parser -- tinycss2's tokenizer (CSS Syntax Level 3) and cssselect2's selector grammar
(Selectors Level 4) -- and then holds what it parsed to what browsers implement:

- syntax errors are refused, with the column inside the selector (tinycss2 keeps every
  token's place); so is what CSS closes silently at the end (``a:is(b``, an open string),
  which Playwright's own parser refuses;
- every pseudo-class must be on `PSEUDO_CLASSES` (the long-standing ones every Chromium-based
  browser has; `tests/test_selector.py` checks each against a real Chromium); Playwright's
  own and parser extensions (``:contains()``) are named as such;
- no backslash escapes outside quoted strings (Playwright's parser mangles them), no
  comments (an open one swallows what follows, closing brackets too), no pseudo-elements
  (nothing to click), no namespaces (``*|a``), no ``s`` attribute flag,
  which Chromium lacks; ``:is()`` and ``:where()`` lists are read strictly (browsers forgive a
  bad item there; Playwright does not).

`css_problem` is the one check: the flow loader (`values.css`) and `inspect`'s suggestions both
use it, so inspect never suggests a selector the loader refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import tinycss2
from cssselect2 import parser as css_parser
from tinycss2 import ast as css_ast
from tinycss2.nth import parse_nth

#: Bounds on a selector's shape, far above what a selector that names one element needs.
MAX_TOKENS = 200
MAX_NESTING = 8
#: A problem with a selector: the message, and a hint.
Problem = tuple[str, str]

#: Pseudo-classes a flow may use: standard, long supported by Chromium, Edge and Chrome, and
#: taken by Playwright's CSS engine.
_PSEUDO_CLASSES = """
    root empty first-child last-child only-child first-of-type last-of-type only-of-type
    link any-link visited hover active focus focus-visible focus-within target
    enabled disabled checked indeterminate default required optional valid invalid
    in-range out-of-range read-only read-write placeholder-shown defined scope
"""
PSEUDO_CLASSES = frozenset(_PSEUDO_CLASSES.split())
#: Functional pseudo-classes a flow may use (their arguments are checked below).
_FUNCTIONAL = "is where not has nth-child nth-last-child nth-of-type nth-last-of-type lang"
FUNCTIONAL_PSEUDO_CLASSES = frozenset(_FUNCTIONAL.split())
#: Playwright's own pseudo-classes: not CSS, whatever Playwright makes of them.
_PLAYWRIGHT = """
    has-text text text-is text-matches visible nth-match light left-of right-of above below near
"""
PLAYWRIGHT_PSEUDO_CLASSES = frozenset(_PLAYWRIGHT.split())
#: Pseudo-classes some selector libraries (jQuery, Sizzle, Soup Sieve) add and no browser has.
_LIBRARY = """
    contains -soup-contains -soup-contains-own eq gt lt first last even odd selected header
    input button submit
"""
LIBRARY_PSEUDO_CLASSES = frozenset(_LIBRARY.split())

_PLAYWRIGHT_HINT = "use role, text, label or test_id locators, or list alternatives"
_LIBRARY_HINT = (
    "use standard CSS (e.g. :nth-child() for :eq()), or a text or label locator for :contains()"
)
_TEXT_HINT = "to find an element by its text, use a text, label or role (with name) locator"
#: Playwright's syntax around CSS: an engine prefix such as ``xpath=``, ``internal:role=`` or
#: ``_react=`` (plain CSS has no ``=`` right after a leading identifier: attribute selectors
#: put theirs inside ``[...]``), a leading quote (text), or ``>>`` (a chain).
PLAYWRIGHT_SYNTAX = r"^(?:\s*[A-Za-z_][\w:-]*\s*=|\s*[\"'])|>>"
#: What Playwright runs as XPath: a selector starting with ``/``, ``..`` or ``(`` then ``/``.
XPATH_SYNTAX = r"^\s*(?:\(\s*)*(?:/|\.\.)"


def css_problem(value: str) -> Problem | None:
    """Why `value` is not a plain CSS selector a flow may use, or None."""
    if re.search(XPATH_SYNTAX, value) or re.match(r"\s*xpath\s*=", value, re.IGNORECASE):
        return (
            f"XPath is not allowed, only plain CSS: {_shown(value)}",
            "write a CSS selector, or use a role, text or label locator",
        )
    if re.search(PLAYWRIGHT_SYNTAX, value):
        return (
            f"only plain CSS is allowed, not Playwright selector syntax: {_shown(value)}",
            _PLAYWRIGHT_HINT,
        )
    # CSS's own preprocessing (the loader refuses these characters anyway), so that every
    # token's line and column are places in `value`.
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    try:
        tokens = tinycss2.parse_component_value_list(value)
        _check_tokens(tokens, value, len(value))
        selectors = list(css_parser.parse(tokens))
        for selector in selectors:
            _check_selector(selector)
    except _Refused as refused:
        return refused.problem
    except css_parser.SelectorError as exc:
        return _syntax(exc)
    return None


class _Refused(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.problem = (message, hint)


def _shown(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:79] + "…")


def _place(token: Any) -> str:
    line, col = getattr(token, "source_line", None), getattr(token, "source_column", None)
    if line is None or col is None:
        return " at its end"
    return f" at column {col}" if line == 1 else f" at line {line}, column {col}"


def _invalid(token: Any, what: str) -> _Refused:
    return _Refused(
        f"invalid CSS selector{_place(token)}: {what}",
        "check the brackets, quotes and commas; a flow's css must be a selector browsers take",
    )


def _syntax(exc: css_parser.SelectorError) -> Problem:
    # cssselect2 raises SelectorError(token, message); the token is None at the end.
    token, what = (*exc.args, None, "")[:2]
    return _invalid(token, str(what).rstrip(".")).problem


# -- tokens ------------------------------------------------------------------------------------


def _offsets(value: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", value)]
    return starts


def _check_tokens(tokens: list[Any], value: str, end: int) -> None:
    """Refuse what tinycss2 reports (a bad string, an unmatched bracket), blocks the end of
    the text closes (``a:is(b``), namespaces (``*|a``), and parse the lists of ``:is()`` and
    ``:where()`` strictly."""
    starts = _offsets(value)
    count = 0
    strings: list[tuple[int, int]] = []

    def offset(token: Any) -> int:
        return starts[token.source_line - 1] + token.source_column - 1

    def walk(items: list[Any], stop: int, depth: int) -> None:
        nonlocal count
        count += len(items)
        if depth > MAX_NESTING or count > MAX_TOKENS:
            # The parser's time grows with these faster than with the length.
            raise _Refused(
                f"the selector is too complex (at most {MAX_TOKENS} parts, brackets nested "
                f"at most {MAX_NESTING} deep)",
                "a flow's selector names one element: write a shorter one",
            )
        for i, token in enumerate(items):
            if isinstance(token, css_ast.ParseError):
                raise _invalid(token, token.message.lower())
            if isinstance(token, css_ast.Comment):
                # One that is never closed swallows the rest, closing brackets included.
                raise _Refused(
                    f"comments are not allowed in a flow's CSS{_place(token)}",
                    "write the comment in the YAML, after a #",
                )
            if isinstance(token, css_ast.LiteralToken) and token.value in ("|", "||"):
                raise _Refused(
                    f"namespaces ('|') are not allowed in a flow's CSS{_place(token)}",
                    "write the element name alone, e.g. svg instead of *|svg",
                )
            token_end = offset(items[i + 1]) if i + 1 < len(items) else stop
            if isinstance(token, css_ast.StringToken):
                strings.append((offset(token), token_end))
            inner = _block(token)
            if inner is None:
                continue
            closer, content = inner
            if value[token_end - 1 : token_end] != closer:
                raise _invalid(token, f"this {_opener(token)} is never closed")
            walk(content, token_end - 1, depth + 1)
            name = token.lower_name if isinstance(token, css_ast.FunctionBlock) else ""
            if name in ("is", "where", "not", "has"):
                # Read strictly: browsers forgive a bad item of :is() and :where() (Playwright
                # does not), and the parser drops pseudo-elements from these lists unread.
                for inner in css_parser.parse(
                    token.arguments, forgiving=False, relative=name == "has"
                ):
                    _check_selector(inner)

    walk(tokens, end, 0)
    # Playwright's CSS parser unescapes identifiers before it hands them on (\\- becomes a bare
    # '-', which Chromium refuses); in quoted strings escapes are safe.
    for escape in re.finditer(r"\\", value):
        if not any(start <= escape.start() < stop for start, stop in strings):
            raise _Refused(
                f"a backslash escape outside quotes is not allowed in a flow's CSS at column "
                f"{escape.start() - starts[value.count(chr(10), 0, escape.start())] + 1}",
                'quote the value instead, e.g. [id="123"] for #\\31 23',
            )


def _block(token: Any) -> tuple[str, list[Any]] | None:
    if isinstance(token, css_ast.FunctionBlock):
        return ")", token.arguments
    if isinstance(token, css_ast.ParenthesesBlock):
        return ")", token.content
    if isinstance(token, css_ast.SquareBracketsBlock):
        return "]", token.content
    if isinstance(token, css_ast.CurlyBracketsBlock):
        return "}", token.content
    return None


def _opener(token: Any) -> str:
    if isinstance(token, css_ast.FunctionBlock):
        return f"'{token.name}('"
    return {"() block": "'('", "[] block": "'['", "{} block": "'{'"}.get(token.type, "bracket")


# -- the parsed selector -----------------------------------------------------------------------


def _check_selector(selector: Any) -> None:
    """Check a parsed selector (a relative one, in :has()) and all it holds."""
    if selector.pseudo_element is not None:
        raise _Refused(
            f"pseudo-elements such as '::{selector.pseudo_element}' are not allowed",
            "a pseudo-element is not an element a flow can find or click; select its element",
        )
    if isinstance(selector, css_parser.RelativeSelector):
        selector = selector.selector
    for simple in _simple_selectors(selector.parsed_tree):
        _check_simple(simple)


def _simple_selectors(node: Any) -> Iterator[Any]:
    while isinstance(node, css_parser.CombinedSelector):
        yield from _simple_selectors(node.right)
        node = node.left
    if isinstance(node, css_parser.CompoundSelector):
        yield from node.simple_selectors
    else:
        yield node


def _check_simple(simple: Any) -> None:
    if isinstance(simple, css_parser.AttributeSelector) and simple.case_sensitive:
        raise _Refused(
            f"the 's' flag of [{simple.name} ... s] is not supported by Chromium",
            "leave it out: attribute values are case-sensitive in HTML anyway",
        )
    if isinstance(simple, css_parser.NamespaceSelector):
        raise _Refused(
            "namespaces ('|') are not allowed in a flow's CSS",
            "write the element name alone, e.g. svg instead of *|svg",
        )
    lists = (
        css_parser.MatchesAnySelector,
        css_parser.SpecificityAdjustmentSelector,
        css_parser.NegationSelector,
        css_parser.RelationalSelector,
    )
    if isinstance(simple, lists):
        if not simple.selector_list:
            name = _LIST_NAMES[type(simple)]
            raise _Refused(f"':{name}()' needs a selector inside", "write what it should match")
        for inner in simple.selector_list:
            _check_selector(inner)
    elif isinstance(simple, css_parser.PseudoClassSelector):
        _check_pseudo(simple.name, functional=False)
    elif isinstance(simple, css_parser.FunctionalPseudoClassSelector):
        _check_pseudo(simple.name, functional=True)
        _check_arguments(simple.name, simple.arguments)


_LIST_NAMES = {
    css_parser.MatchesAnySelector: "is",
    css_parser.SpecificityAdjustmentSelector: "where",
    css_parser.NegationSelector: "not",
    css_parser.RelationalSelector: "has",
}


def _check_pseudo(name: str, *, functional: bool) -> None:
    written = f":{name}()" if functional else f":{name}"
    if name in PLAYWRIGHT_PSEUDO_CLASSES:
        raise _Refused(f"'{written}' is Playwright's own selector syntax, not CSS", _TEXT_HINT)
    if name in LIBRARY_PSEUDO_CLASSES:
        raise _Refused(f"'{written}' is not CSS: no browser has it", _LIBRARY_HINT)
    allowed = FUNCTIONAL_PSEUDO_CLASSES if functional else PSEUDO_CLASSES
    if name not in allowed:
        raise _Refused(
            f"'{written}' is not a pseudo-class a flow may use",
            "use standard ones, e.g. :is(), :has(), :not(), :nth-child(), :checked, :disabled",
        )


def _check_arguments(name: str, arguments: list[Any]) -> None:
    meaningful = [t for t in arguments if t.type not in ("whitespace", "comment")]
    if name == "lang":
        # One code: Chromium takes no list (:lang(en, de)) and no quoted ranges.
        if len(meaningful) != 1 or meaningful[0].type != "ident":
            raise _Refused(
                "':lang()' takes one language code, e.g. :lang(de)",
                "for several, write :is(:lang(en), :lang(de))",
            )
        return
    # nth-child(An+B [of S]), nth-last-child(...), nth-of-type(An+B), nth-last-of-type(An+B)
    of = next(
        (i for i, t in enumerate(arguments) if t.type == "ident" and t.lower_value == "of"), None
    )
    formula = arguments if of is None else arguments[:of]
    if parse_nth(formula) is None:
        raise _Refused(
            f"':{name}()' takes a formula such as 2, odd, even or 2n+1",
            "see https://developer.mozilla.org/docs/Web/CSS/:nth-child",
        )
    if of is not None:
        if name not in ("nth-child", "nth-last-child"):
            raise _Refused(f"':{name}()' takes no 'of' selector", "use :nth-child(An+B of S)")
        for inner in css_parser.parse(arguments[of + 1 :], forgiving=False):
            _check_selector(inner)
