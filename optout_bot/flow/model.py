"""The flow language, described once: typed models from which come the validation of flow
files, their JSON Schema (`optout_bot.flow.schema`) and the step reference in the docs
(`optout_bot.flow.reference`).

A flow is data only: where the setting lives, how a person gets there, which switch it is and
which state is wanted. The loader (`optout_bot.flow.loader`) validates untrusted YAML into these
frozen objects; the runner only ever sees validated ones. Mappings are pydantic models whose
fields are the keys (an alias where the engine's name differs, e.g. ``timeout`` is
``timeout_ms``); each value is read by a kind of `optout_bot.flow.values`. Targets and locators
reach the engine as small frozen value types (`Target`, `Locator`).

A step type is one class below: its action key is its one own field, its docstring the help,
and defining it registers it in `STEP_TYPES`. Its executor is registered in
`optout_bot.engine.steps.EXECUTORS`; a test fails while either is missing.
"""

from __future__ import annotations

import datetime
import inspect
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, TypeAlias

from pydantic import ConfigDict, Field, GetCoreSchemaHandler, TypeAdapter, ValidationError
from pydantic_core import core_schema

from optout_bot.flow.safe_yaml import Mark, Scalar, YMap
from optout_bot.flow.values import (
    Bool,
    Choice,
    Css,
    Date,
    FlowId,
    Found,
    Int,
    Mapping,
    NoValue,
    Origin,
    Regex,
    Schema,
    ScreenshotName,
    Seq,
    Text,
    Url,
    Version,
    problem,
    problems,
    show,
    suggest,
    wrong_type,
)

__all__ = ["Mark"]  # re-exported: the engine imports it from here

#: Newest flow format this engine understands. A flow that declares a higher `format` is
#: refused with a message to upgrade optout-bot.
FORMAT_VERSION = 1
MAX_TIMEOUT_MS = 120_000

Platform = Literal["desktop", "mobile"]
PLATFORMS: tuple[Platform, ...] = ("desktop", "mobile")
SwitchState = Literal["on", "off", "unknown"]
WantedState = Literal["on", "off"]
WANTED_STATES: tuple[WantedState, ...] = ("on", "off")
#: What a step's failure to find its element means: the flow broke (exit 1), or the site does
#: not offer the setting to this account (exit 5).
MissingMeans = Literal["broken", "not_offered"]
MISSING_MEANS: tuple[MissingMeans, ...] = ("broken", "not_offered")
LOCATOR_STRATEGIES = ("css", "test_id", "role", "label", "text")

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


# --------------------------------------------------------------------------------------------
# Targets: what the engine gets, and the locator forms a flow writes.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locator:
    """One way to find an element, using one of Playwright's locator strategies.

    - ``css``: a CSS selector (``value``); prefer language-independent attributes.
    - ``test_id``: ``value`` is the ``data-testid``.
    - ``role``: ``value`` is the ARIA role; ``name`` is the accessible name.
    - ``label`` / ``text``: ``value`` is the label or visible text, matched exactly, or
      ``pattern`` when the flow gave ``label_regex`` / ``text_regex``.

    ``name`` (role only) is an exact string or a compiled pattern (``name_regex``).
    """

    strategy: Literal["css", "test_id", "role", "label", "text"]
    value: str | None = None
    name: str | None = None
    pattern: re.Pattern[str] | None = None
    mark: Mark | None = None

    def describe(self) -> str:
        if self.strategy == "role":
            if self.pattern is not None:
                return f"role={self.value} name~/{self.pattern.pattern}/"
            if self.name is not None:
                return f"role={self.value} name={self.name!r}"
            return f"role={self.value}"
        if self.pattern is not None:
            return f"{self.strategy}~/{self.pattern.pattern}/"
        return f"{self.strategy}={self.value!r}"


@dataclass(frozen=True)
class Target:
    """An element, named by an ordered list of alternatives: the first that matches wins.

    Put the language-independent alternative first (an id or attribute), then role + English
    name as the fallback.
    """

    alternatives: tuple[Locator, ...]
    mark: Mark | None = None

    def describe(self) -> str:
        return self.alternatives[0].describe() if self.alternatives else "(nothing)"


class LocatorForm(Mapping):
    """A locator as a flow writes it: one strategy key (the form's first field)."""

    EXPECTED = "a locator mapping such as {css: ...} or {role: ..., name: ...}"
    KEY: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        cls.KEY = next(iter(cls.model_fields))
        LOCATOR_FORMS[cls.KEY] = cls

    @classmethod
    def unknown_key(cls, key: str, data: YMap) -> tuple[str, str]:
        if key in LOCATOR_FORMS:
            return (
                f"a locator has exactly one strategy, found {cls.KEY!r} and {key!r}",
                "to give alternatives, make the target a list with one locator per item",
            )
        if key in ("name", "name_regex"):
            hint = "to match by accessible name, write {role: ..., name: ...}"
            return f"{key!r} only goes with 'role'", hint
        return f"unknown locator key {show(key)}" + suggest(key, LOCATOR_KEYS), ""

    def locator(self) -> Locator:
        strategy: Any = self.KEY.removesuffix("_regex")
        value = getattr(self, self.KEY)
        if isinstance(value, re.Pattern):
            return Locator(strategy, pattern=value, mark=self.mark)
        return Locator(strategy, value=value, mark=self.mark)


#: Strategy key as written in a flow -> its form, in the order messages list them.
LOCATOR_FORMS: dict[str, type[LocatorForm]] = {}
_EXACTLY = "matched exactly"


class CssLocator(LocatorForm):
    css: Annotated[str, Css()]


class TestIdLocator(LocatorForm):
    __test__ = False  # not a test class, whatever pytest thinks of the name
    test_id: Annotated[str, Text(200, "a test id")] = Field(description="data-testid")


class RoleLocator(LocatorForm):
    model_config = ConfigDict(json_schema_extra={"not": {"required": ["name", "name_regex"]}})

    role: Annotated[str, Choice(sorted(ARIA_ROLES), "role")] = Field(description="the ARIA role")
    name: Annotated[str | None, Text(500, "the accessible name")] = Field(
        None, description=f"the accessible name, {_EXACTLY}"
    )
    name_regex: Annotated[re.Pattern[str] | None, Regex("the accessible name")] = None

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        names = [k for k in data if k in ("name", "name_regex")]
        if len(names) == 2:
            message = "give either 'name' or 'name_regex', not both"
            raise problem(message, sub=(names[1],), at_key=True)
        return []

    def locator(self) -> Locator:
        return Locator("role", self.role, self.name, self.name_regex, self.mark)


class LabelLocator(LocatorForm):
    label: Annotated[str, Text(500, "the label text")] = Field(description=f"the label, {_EXACTLY}")


class LabelRegexLocator(LocatorForm):
    label_regex: Annotated[re.Pattern[str], Regex("the label")]


class TextLocator(LocatorForm):
    text: Annotated[str, Text(500, "the text text")] = Field(description=f"the text, {_EXACTLY}")


class TextRegexLocator(LocatorForm):
    text_regex: Annotated[re.Pattern[str], Regex("the visible text")]


LOCATOR_KEYS = (*LOCATOR_FORMS, "name", "name_regex")


def _locator_input(data: Any) -> Any:
    """A mapping with a strategy; without one, a stray key probably *is* it, misspelt."""
    if not isinstance(data, dict):
        raise wrong_type(data, LocatorForm.EXPECTED)
    if not any(k in LOCATOR_FORMS for k in data):
        unknown = [k for k in data if k not in LOCATOR_KEYS]
        if not unknown:
            raise problem("a locator needs a strategy, one of: " + ", ".join(LOCATOR_FORMS))
        what = "unknown locator strategy"
        raise problems(
            *(((k,), f"{what} {show(k)}" + suggest(k, LOCATOR_FORMS), "", True) for k in unknown)
        )
    return data


def _many(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Target:
    locators = handler(Seq("a list of locators", non_empty=True).check(value))
    return Target(tuple(locators), mark=value.mark)


class Alternatives:
    """The kind of a target: one locator mapping, or a non-empty list of them."""

    expected = "a target (a locator mapping or a list of them)"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        forms = {f"locator:{k}": handler.generate_schema(c) for k, c in LOCATOR_FORMS.items()}
        union = core_schema.tagged_union_schema(
            forms, discriminator=lambda d: "locator:" + next(k for k in d if k in LOCATOR_FORMS)
        )
        to_locator = core_schema.no_info_after_validator_function(lambda f: f.locator(), union)
        one = core_schema.no_info_before_validator_function(
            _locator_input, to_locator, ref="locator"
        )
        choices = {
            "target:one": core_schema.no_info_after_validator_function(
                lambda loc: Target((loc,), mark=loc.mark), one
            ),
            "target:many": core_schema.no_info_wrap_validator_function(
                _many, core_schema.list_schema(one)
            ),
        }
        tagged = core_schema.tagged_union_schema(
            choices, discriminator=lambda v: "target:one" if isinstance(v, dict) else "target:many"
        )
        return core_schema.no_info_before_validator_function(_target_input, tagged, ref="target")

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Schema:
        json = handler(schema)
        target = handler.resolve_ref_schema(json)
        target["description"] = (
            "one locator, or a list of alternatives (the first that matches wins): "
            "language-independent attributes first, then role + name"
        )
        target["oneOf"][1]["minItems"] = 1
        locator = handler.resolve_ref_schema(target["oneOf"][0])
        locator["description"] = (
            "one way to find an element: exactly one of "
            + ", ".join(LOCATOR_FORMS)
            + "; name or name_regex go with role only"
        )
        return dict(json)


def _target_input(data: Any) -> Any:
    if isinstance(data, (dict, list)):
        return data
    hint = "e.g. {css: '#id'} or {role: button, name: Save}"
    raise wrong_type(data, "a locator mapping or a list of them", hint)


TargetField = Annotated[Target, Alternatives()]
Targets = Annotated[tuple[TargetField, ...], Seq("a list of targets")]


# --------------------------------------------------------------------------------------------
# Steps. Each step is one action key plus optional modifiers, e.g.
#
#     - click: {role: link, name: Data privacy}
#       timeout: 10000
#       missing_means: not_offered
#
# A step whose action takes no value may be written bare: `- reload`.
# --------------------------------------------------------------------------------------------


class StepBase(Mapping):
    """Modifiers shared by every step."""

    EXPECTED = "a step such as {click: ...}, or a bare step name"
    #: The action key (the class's own field), its help (the docstring), what its value is
    #: ("" when it takes none), and an example, for the docs and the tests.
    KEY: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    NEEDS: ClassVar[str] = ""
    EXAMPLE: ClassVar[str] = ""

    optional: Annotated[bool, Bool()] = Field(
        False, description="a step that cannot be done is skipped, not a failure"
    )
    timeout_ms: Annotated[int | None, Int(1, MAX_TIMEOUT_MS)] = Field(
        None, alias="timeout", description="how long this step may wait, in milliseconds"
    )
    missing_means: Annotated[MissingMeans, Choice(MISSING_MEANS, "missing_means value")] = Field(
        "broken",
        description="what it means when the element is not found: the flow broke (exit 1), "
        "or the site does not offer the setting to this account (exit 5)",
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        (action,) = (n for n in cls.model_fields if n not in StepBase.model_fields)
        field = cls.model_fields[action]
        cls.KEY = field.alias or action
        cls.HELP = inspect.cleandoc(cls.__doc__ or "")
        kind = field.metadata[-1]
        cls.NEEDS = "" if isinstance(kind, NoValue) else kind.expected
        STEP_TYPES[cls.KEY] = cls

    @classmethod
    def unknown_key(cls, key: str, data: YMap) -> tuple[str, str]:
        if key in STEP_TYPES:
            message = f"a step has exactly one action, found {cls.KEY!r} and {key!r}"
            return message, "split them into two steps"
        return f"unknown step modifier {show(key)}" + suggest(key, STEP_MODIFIERS), ""

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Schema:
        json = handler(schema)
        step = handler.resolve_ref_schema(json)
        step["required"] = [cls.KEY]
        step["properties"][cls.KEY]["description"] = cls.HELP
        return dict(json)


#: The step registry: action key -> step class, filled as the classes below are defined.
STEP_TYPES: dict[str, type[StepBase]] = {}
#: Modifier keys any step may carry next to its action key.
STEP_MODIFIERS = tuple(f.alias or n for n, f in StepBase.model_fields.items())


class Goto(StepBase):
    """open a URL (must be inside allowed_origins)"""

    EXAMPLE = "goto: https://www.linkedin.com/mypreferences/d/categories/privacy"
    url: Annotated[str, Url()] = Field(alias="goto")


class GotoSetting(StepBase):
    """open the setting's direct URL for the current platform"""

    EXAMPLE = "goto_setting"
    goto_setting: Annotated[None, NoValue("goto_setting")] = None


class Click(StepBase):
    """click an element, as a person would"""

    EXAMPLE = "click: {role: link, name: Data privacy}"
    target: TargetField = Field(alias="click")


class WaitFor(StepBase):
    """wait until an element is visible"""

    EXAMPLE = "wait_for: {role: switch}"
    target: TargetField = Field(alias="wait_for")


class ExpectUrl(StepBase):
    """wait until the page URL matches a regular expression"""

    EXAMPLE = r"expect_url: '/settings/data-for-ai-improvement'"
    pattern: Annotated[re.Pattern[str], Regex()] = Field(alias="expect_url")


class DismissIfPresent(StepBase):
    """click an element if it is there (a banner's close button), else go on"""

    EXAMPLE = "dismiss_if_present: {role: button, name: Dismiss}"
    target: TargetField = Field(alias="dismiss_if_present")


class Screenshot(StepBase):
    """save a screenshot into the evidence folder under this name"""

    EXAMPLE = "screenshot: before-change"
    name: Annotated[str, ScreenshotName()] = Field(alias="screenshot")


class Reload(StepBase):
    """reload the page"""

    EXAMPLE = "reload"
    reload: Annotated[None, NoValue("reload")] = None


#: Any step; narrow with isinstance (the classes are in `STEP_TYPES`).
Step: TypeAlias = StepBase


def _step_input(data: Any) -> Any:
    """A step mapping with an action; a bare name becomes ``{name: }``."""
    if isinstance(data, Scalar) and not data.is_null:
        cls = STEP_TYPES.get(data.text)
        if cls is None:
            raise problem(f"unknown step {show(data.text)}" + suggest(data.text, STEP_TYPES))
        if cls.NEEDS:
            raise problem(f"step {cls.KEY!r} needs {cls.NEEDS}", f"write it as `{cls.KEY}: ...`")
        bare = YMap(data.mark)
        bare[cls.KEY] = Scalar(data.mark, "", plain=True)
        return bare
    if not isinstance(data, dict):
        raise wrong_type(data, StepBase.EXPECTED)
    if not any(k in STEP_TYPES for k in data):
        unknown = [k for k in data if k not in STEP_MODIFIERS]
        if not unknown:
            raise problem("a step needs an action, one of: " + ", ".join(STEP_TYPES))
        raise problems(
            *(((k,), f"unknown step {show(k)}" + suggest(k, STEP_TYPES), "", True) for k in unknown)
        )
    return data


class Steps:
    """The kind of a step: any registered step type, chosen by its action key."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        choices = {f"step:{k}": handler.generate_schema(c) for k, c in STEP_TYPES.items()}
        union = core_schema.tagged_union_schema(
            choices, discriminator=lambda d: "step:" + next(k for k in d if k in STEP_TYPES)
        )
        return core_schema.no_info_before_validator_function(_step_input, union, ref="step")

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Schema:
        json = handler(schema)
        step = handler.resolve_ref_schema(json)
        bare = [{"const": k, "description": c.HELP} for k, c in STEP_TYPES.items() if not c.NEEDS]
        # Called once per use of the kind, on the one shared definition: add the names once.
        step["oneOf"] = bare + [b for b in step["oneOf"] if "const" not in b]
        step["description"] = (
            f"one action ({', '.join(STEP_TYPES)}) plus optional modifiers "
            f"({', '.join(STEP_MODIFIERS)})"
        )
        return dict(json)


AnyStep = Annotated[Step, Steps()]


# --------------------------------------------------------------------------------------------
# The flow.
# --------------------------------------------------------------------------------------------

Regexes = Annotated[
    tuple[Annotated[re.Pattern[str], Regex()], ...], Seq("a list of regular expressions")
]


class LoginSpec(Mapping):
    """How to tell a signed-in page from a logged-out or security-check one."""

    EXPECTED = "a mapping with url, logged_out_urls, security_check_urls and signed_in"
    url: Annotated[str, Url()] = Field(
        description="the sign-in page, an https URL inside allowed_origins"
    )
    logged_out_urls: Regexes = Field(description="regular expressions for URLs of logged-out pages")
    security_check_urls: Regexes = Field(
        description="regular expressions for URLs of security-check pages"
    )
    #: An element that only a signed-in page shows (the top bar with the Me menu).
    signed_in: TargetField = Field(description="an element only a signed-in page shows")


class SwitchSpec(Mapping):
    """The switch the flow is about and the state the member wants."""

    EXPECTED = "a mapping with label, target and wanted"
    label: Annotated[str, Text(500, strip=True)] = Field(
        description="the switch's label as the site shows it"
    )
    target: TargetField = Field(description="how to find the switch")
    # Read from the raw text: an unquoted `off` is YAML 1.1's False but means "off" here.
    wanted: Annotated[WantedState, Choice(WANTED_STATES, "state")] = Field(
        description="the state wanted: on or off"
    )


class Overlay(Mapping):
    """Something that can pop up over any page (a promo dialog) and how to close it."""

    EXPECTED = "a mapping with appears and dismiss"
    appears: TargetField = Field(description="how to recognise the pop-up")
    dismiss: TargetField = Field(description="what to click to close it")


class _PerPlatform(Mapping):
    """A value for each platform the flow declares (given to the validation as context)."""

    WHAT: ClassVar[str]
    FIELD: ClassVar[str]
    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    @classmethod
    def unknown_key(cls, key: str, data: YMap) -> tuple[str, str]:
        return f"unknown platform {show(key)}" + suggest(key, PLATFORMS), ""

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        declared = context.get("platforms")
        if declared is None:  # platforms itself is broken, and reported
            return []
        found: list[Found] = [
            (
                (key,),
                f"platform {key!r} is not in platforms ({', '.join(declared)})",
                f"add it to platforms or remove it from {cls.FIELD}",
                True,
            )
            for key in data
            if key in PLATFORMS and key not in declared
        ]
        for platform in declared:
            if platform not in data:
                message = f"missing {cls.WHAT} for platform {platform!r}, which platforms lists"
                found.append(((platform,), message, f"add `{platform}:` under {cls.FIELD}", False))
        return found

    def by_platform(self) -> dict[Platform, Any]:
        return {p: getattr(self, p) for p in PLATFORMS if p in self.model_fields_set}


class SettingUrls(_PerPlatform):
    EXPECTED, WHAT, FIELD = "a mapping from platform to a URL", "a URL", "setting_url"
    desktop: Annotated[str, Url()] = ""
    mobile: Annotated[str, Url()] = ""


_Route = Annotated[tuple[AnyStep, ...], Seq("a list of steps", non_empty=True)]


class Routes(_PerPlatform):
    EXPECTED, WHAT, FIELD = "a mapping from platform to steps", "steps", "navigate"
    desktop: _Route = ()
    mobile: _Route = ()


class ByPlatform:
    """Reads a per-platform mapping and gives the engine a dict platform -> value."""

    def __init__(self, form: type[_PerPlatform]) -> None:
        self.form = form

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            lambda doc: doc.by_platform(), handler.generate_schema(self.form)
        )


_Platforms = Annotated[
    tuple[Annotated[Platform, Choice(PLATFORMS, "platform")], ...],
    Seq("a list of platforms, e.g. [desktop, mobile]", non_empty=True, unique="platform"),
]
_Origins = Annotated[
    tuple[Annotated[str, Origin()], ...],
    Seq("a list of origins, e.g. [https://www.example.com]", non_empty=True, unique="origin"),
]
_TEXT = Text(2000, strip=True)


class Flow(Mapping):
    """An optout-bot flow: where a setting lives, how a person gets there, which switch it is
    and the state wanted. Check a flow with `optout-bot validate FILE`, which is the
    authority; this schema is for editors."""

    EXPECTED = "a mapping of flow keys (format, id, site, ...)"

    format: Annotated[int, Int(1, 10**6, FORMAT_VERSION)] = Field(
        description=f"the flow format; write {FORMAT_VERSION}"
    )
    id: Annotated[str, FlowId()] = Field(
        description="a short slug naming the flow, e.g. linkedin-ai-training"
    )
    site: Annotated[str, _TEXT] = Field(description="the site's name, e.g. LinkedIn")
    setting: Annotated[str, _TEXT] = Field(description="the setting's name as the site shows it")
    description: Annotated[str, Text(5000, strip=True)] = Field(
        description="what the setting does, in a sentence or two"
    )
    version: Annotated[str, Version()] = Field(description="the flow's own version, e.g. 1.0.0")
    last_verified: Annotated[datetime.date, Date()] = Field(
        description="the date the flow last worked against the site, e.g. 2026-11-22"
    )
    #: Free text: which UI variant the flow was written for.
    ui_variant: Annotated[str, Text(500, strip=True, allow_empty=True)] = Field(
        "", description="which UI variant the flow was written for"
    )
    platforms: _Platforms = Field(
        description="the platforms the flow covers, e.g. [desktop, mobile]"
    )
    allowed_origins: _Origins = Field(
        description="the https origins the flow may open, e.g. [https://www.linkedin.com]"
    )
    setting_url: Annotated[dict[Platform, str], ByPlatform(SettingUrls)] = Field(
        description="the setting's direct URL for each platform"
    )
    login: LoginSpec = Field(description="how to tell a signed-in page from a logged-out one")
    switch: SwitchSpec = Field(description="the switch to read and set, and the state wanted")
    navigate: Annotated[dict[Platform, tuple[Step, ...]], ByPlatform(Routes)] = Field(
        description="the steps that lead to the setting, for each platform"
    )
    #: Steps run after the runner's own reload and before it re-reads the switch.
    verify: Annotated[tuple[AnyStep, ...], Seq("a list of steps")] = Field(
        (), description="steps run after the reload, before the switch is read again"
    )
    #: Signals on a page that the setting is not offered to this account.
    not_offered: Targets = Field(
        (), description="targets that show the setting is not offered to this account"
    )
    overlays: Annotated[tuple[Overlay, ...], Seq("a list of overlays")] = Field(
        (), description="pop-ups that can cover any page and how to close them"
    )
    #: Elements painted over in screenshots (the member's name and photo), unless --no-mask.
    mask: Targets = Field(
        (), description="elements hidden in screenshots (the member's name and photo)"
    )
    # Editors use this to find a JSON Schema; the loader ignores it.
    json_schema_url: Annotated[str | None, Text(2000)] = Field(
        None, alias="$schema", description="a JSON Schema URL for editors"
    )

    _source: Any = None
    _sha256: str = ""

    @property
    def source(self) -> Any:
        """The resolved path of the flow file (None for a flow given as text)."""
        return self._source

    @property
    def sha256(self) -> str:
        """The SHA-256 of the flow file's bytes (of the UTF-8 text for a flow given as text)."""
        return self._sha256

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        # The format comes first: a flow for a newer engine may use keys and steps this one
        # does not know, so the only useful message is "upgrade".
        fmt = _peek(_FORMAT, data.get("format"))
        if fmt is not None and fmt > FORMAT_VERSION:
            raise problem(
                f"this flow needs a newer optout-bot (flow format {fmt}, this engine "
                f"understands up to {FORMAT_VERSION}); upgrade with `pip install -U optout-bot`",
                sub=("format",),
            )
        # URLs are checked against allowed_origins, per-platform values against platforms:
        # read those first (None when broken; they are reported as keys of the flow).
        origins = _peek(_ORIGINS, data.get("allowed_origins"))
        context["origins"] = None if origins is None else frozenset(origins)
        context["platforms"] = _peek(_PLATFORMS, data.get("platforms"))
        return []


_FORMAT = TypeAdapter(Annotated[int, Int(1, 10**6)])
_ORIGINS: TypeAdapter[tuple[str, ...]] = TypeAdapter(_Origins)
_PLATFORMS: TypeAdapter[tuple[Platform, ...]] = TypeAdapter(_Platforms)


def _peek(adapter: TypeAdapter[Any], node: object) -> Any:
    """The value of a node if it is valid, else None (its problems are reported elsewhere)."""
    if node is None:
        return None
    try:
        return adapter.validate_python(node, context={})
    except ValidationError:
        return None
