"""The flow skeleton `optout-bot inspect` writes: a flow for the control it chose, which
`load_flow_text` accepts as it is, with TODO comments where a person has to look.

The YAML is a Jinja2 template (`templates/flow-skeleton.yaml.j2`); this module works out
the values and renders it. Quoting is not left to the template: every value that comes from
the page goes through `yaml_str`, which gives a scalar that reads back as exactly that value
(PyYAML's emitter does the quoting), so a page cannot break the file or add keys to it.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import yaml

from optout_bot.base import templates
from optout_bot.base.urls import origin_of
from optout_bot.flow.model import ONE_SETTING_FORMAT, Platform
from optout_bot.flow.patterns import literal
from optout_bot.flow.values import FORBIDDEN_CHARS_RE

if TYPE_CHECKING:
    from optout_bot.authoring.inspect import Control

#: Paths of sign-in pages, for the skeleton's `logged_out_urls` (a guess, marked TODO).
_LOGIN_PATHS = (
    "login",
    "signin",
    "sign-in",
    "sign_in",
    "signup",
    "sign-up",
    "auth",
    "authwall",
    "account/login",
    "uas/login",
)


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def login_pattern(origin: str, setting_path: str) -> re.Pattern[str]:
    """A guess at the site's sign-in pages: its origin, then a usual sign-in path (not one
    the setting's own page starts with)."""
    paths = [p for p in _LOGIN_PATHS if not setting_path.lstrip("/").startswith(p)]
    return re.compile(f"^{literal(origin)}/({'|'.join(literal(p) for p in paths)})")


def flow_id_for(host: str) -> str:
    """``www.linkedin.com`` -> ``linkedin-ai-training``: the host without ``www.`` or
    ``m.`` and its top-level domain, as a slug."""
    labels = [lb for lb in host.lower().split(".") if lb]
    while len(labels) > 2 and labels[0] in ("www", "m", "mobile"):
        labels.pop(0)
    if len(labels) > 1:
        labels.pop()  # the top-level domain
    stem = re.sub(r"[^a-z0-9]+", "-", "-".join(labels)).strip("-") or "site"
    return f"{stem[:52].rstrip('-')}-ai-training"


# -- YAML scalars --------------------------------------------------------------------------------

_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
#: Words that YAML 1.1 readers (and some editors) take for booleans or null: always quoted.
_YAML_WORDS = frozenset(("y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"))
#: What YAML reads as a line break (NEL and the Unicode separators too, in YAML 1.1).
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def yaml_str(value: str) -> str:
    """A YAML scalar, on one line, that reads back as exactly `value`: plain when it is one
    simple word (``switch``), else single-quoted (backslashes stay literal, for regexes and
    CSS), else -- for a line break or a character YAML cannot carry as it is -- double-quoted
    with escapes."""
    if _PLAIN_WORD.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    # In single quotes a line break would be folded into a space: escape it instead.
    style = '"' if _LINE_BREAKS.search(value) else "'"
    # PyYAML picks double quotes itself for what single quotes cannot carry; the width keeps
    # it from folding a long value onto a second line.
    text = yaml.safe_dump(value, default_style=style, allow_unicode=True, width=2**31 - 1)
    return text.rstrip("\n")


def locator_yaml(suggestion: dict[str, str], indent: str) -> list[str]:
    """One locator as a YAML list item, in the flow's syntax."""
    lines = []
    for i, (key, value) in enumerate(suggestion.items()):
        lines.append(f"{indent}{'- ' if i == 0 else '  '}{key}: {yaml_str(value)}")
    return lines


def _locators(items: list[dict[str, str]], indent: str) -> str:
    return "\n".join(line for item in items for line in locator_yaml(item, indent))


def comment(text: str) -> str:
    """Text for a YAML comment: on one line."""
    return _LINE_BREAKS.sub(" ", text)


# -- the skeleton --------------------------------------------------------------------------------


@functools.cache
def _template() -> jinja2.Template:
    # YAML, not HTML: `yaml_str` quotes the values.
    env = templates.environment("optout_bot.authoring", html=False)
    env.filters.update(yaml=yaml_str, comment=comment, locators=_locators)
    return env.get_template("flow-skeleton.yaml.j2")


def skeleton(
    url: str,
    control: Control | None,
    *,
    heading: str,
    site_name: str,
    platform: Platform,
    signed_in: list[dict[str, str]],
    today: datetime.date,
) -> str:
    """A flow for `control` on the page at `url` that the loader accepts as it is; TODO
    comments mark what a person has to check or fill in."""
    origin = origin_of(url)
    host = urlsplit(url).hostname or "site"
    setting_url = strip_fragment(url)
    if control is not None and control.frame is not None and control.frame.startswith("https://"):
        setting_url = strip_fragment(control.frame)
    flow_id = flow_id_for(host)
    site = scrub(site_name) or flow_id[: -len("-ai-training")].split("-")[0].capitalize()
    setting = scrub(heading) or "TODO: the setting's name as the site shows it"
    return _template().render(
        today=today.isoformat(),
        url=url,
        format=ONE_SETTING_FORMAT,
        flow_id=flow_id,
        site=shorten(site, 200),
        setting=shorten(setting, 500),
        # In the folded description, as Python writes a string: quoted, escapes visible.
        setting_quoted=repr(shorten(setting, 200)),
        ui_variant=f"{platform} page as inspected on {today.isoformat()}",
        platform=platform,
        origin=origin,
        setting_url=setting_url,
        logged_out_url=login_pattern(origin, urlsplit(setting_url).path).pattern,
        signed_in=signed_in,
        label=shorten(scrub(control.name), 500) if control is not None else "",
        suggestions=control.suggestions if control is not None else [],
    )


def scrub(text: str) -> str:
    """Text the loader takes: line separators become spaces, other characters it refuses
    (controls, bidirectional controls, lone surrogates) are dropped."""
    spaced = re.sub("[\x85\u2028\u2029]", " ", text)
    return FORBIDDEN_CHARS_RE.sub("", spaced).strip()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
