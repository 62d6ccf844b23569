"""The flow language, described once (see ARCHITECTURE.md): frozen models whose fields are the
keys (an alias where the engine's name differs: ``timeout`` is ``timeout_ms``), each described
by the docstring under it and read by a kind of `optout_bot.flow.values`.

A step type is one class below: its one own field is its action key, its docstring the help;
defining it registers it in `STEP_TYPES` (its executor goes in `engine.steps.EXECUTORS`).
"""

from __future__ import annotations

import datetime
import functools
import inspect
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, TypeAlias, get_args

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import core_schema

from optout_bot.flow import values as v
from optout_bot.flow.patterns import UrlPattern
from optout_bot.flow.safe_yaml import Mark, Scalar, YMap, show
from optout_bot.flow.values import Found, Mapping, Schema, Seq, problem, suggest

__all__ = ["Mark", "UrlPattern"]  # re-exported for the engine, with everything below

#: Newest flow format this engine understands. A flow that declares a higher `format` is
#: refused with a message to upgrade optout-bot. Format 1: one setting per file (`Flow`);
#: format 2: a site's settings in one file (`SiteFile`).
FORMAT_VERSION = 2
#: The format of a file of one setting (what `inspect` drafts, and people share most).
ONE_SETTING_FORMAT = 1
#: What a setting is about, for choosing which to look after and for grouping in reports.
Category = Literal["ai-training", "research", "sharing", "ads", "cookies"]
CATEGORIES: tuple[Category, ...] = get_args(Category)
MAX_TIMEOUT_MS = 120_000
#: The longest a step's `title` may be: one short line of a progress display.
MAX_TITLE = 80

Platform = Literal["desktop", "mobile"]
PLATFORMS: tuple[Platform, ...] = get_args(Platform)
SwitchState = Literal["on", "off", "unknown"]
WantedState = Literal["on", "off"]
WANTED_STATES: tuple[WantedState, ...] = get_args(WantedState)
#: What a step's failure to find its element means: the flow broke (exit 1), or the site does
#: not offer the setting to this account (exit 5).
MissingMeans = Literal["broken", "not_offered"]
MISSING_MEANS: tuple[MissingMeans, ...] = get_args(MissingMeans)
LocatorStrategy = Literal["css", "test_id", "role", "label", "text"]
LOCATOR_STRATEGIES: tuple[LocatorStrategy, ...] = get_args(LocatorStrategy)

#: The roles Playwright's ``get_by_role`` accepts (WAI-ARIA 1.2 without abstract roles).
_ROLES = """
    alert alertdialog application article banner blockquote button caption cell checkbox code
    columnheader combobox complementary contentinfo definition deletion dialog directory
    document emphasis feed figure form generic grid gridcell group heading img insertion link
    list listbox listitem log main marquee math menu menubar menuitem menuitemcheckbox
    menuitemradio meter navigation none note option paragraph presentation progressbar radio
    radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider
    spinbutton status strong subscript superscript switch tab table tablist tabpanel term
    textbox time timer toolbar tooltip tree treegrid treeitem
"""
ARIA_ROLES = frozenset(_ROLES.split())


# --------------------------------------------------------------------------------------------
# Targets: what the engine gets, and the locator a flow writes.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locator:
    """One way to find an element, as the engine gets it: a Playwright strategy and its
    ``value`` (the role, for role); ``pattern`` for a ``*_regex`` key, ``name`` with role."""

    strategy: LocatorStrategy
    value: str | None = None
    name: str | None = None
    pattern: re.Pattern[str] | None = None
    mark: Mark | None = None

    def describe(self) -> str:
        if self.strategy == "role":
            if self.pattern is not None:
                return f"role={self.value} name~/{self.pattern.pattern}/"
            return f"role={self.value}" + (f" name={self.name!r}" if self.name is not None else "")
        if self.pattern is not None:
            return f"{self.strategy}~/{self.pattern.pattern}/"
        return f"{self.strategy}={self.value!r}"


@dataclass(frozen=True)
class Target:
    """An element, named by an ordered list of alternatives: the first that matches wins."""

    alternatives: tuple[Locator, ...]
    mark: Mark | None = None

    def describe(self) -> str:
        return self.alternatives[0].describe() if self.alternatives else "(nothing)"


def _one_strategy(schema: Schema) -> None:
    schema["oneOf"] = [{"required": [key]} for key in STRATEGIES]
    schema["dependentRequired"] = {"name": ["role"], "name_regex": ["role"]}
    schema["not"] = {"required": ["name", "name_regex"]}


class LocatorForm(Mapping):
    """One way to find an element: exactly one strategy key; name or name_regex go with role
    only."""

    model_config = ConfigDict(json_schema_extra=_one_strategy)
    EXPECTED = "a locator mapping such as {css: ...} or {role: ..., name: ...}"

    css: Annotated[str | None, v.css] = None
    """a CSS selector (plain CSS: no XPath or Playwright syntax); prefer stable attributes"""
    test_id: Annotated[str | None, v.text(200, "a test id")] = None
    """the element's data-testid"""
    role: Annotated[str | None, v.choice(sorted(ARIA_ROLES), "role")] = None
    """the ARIA role"""
    label: Annotated[str | None, v.text(500, "the label text")] = None
    """the label, matched exactly"""
    label_regex: Annotated[re.Pattern[str] | None, v.page_regex("the label")] = None
    """the label, as a regular expression"""
    text: Annotated[str | None, v.text(500, "the text text")] = None
    """the visible text, matched exactly"""
    text_regex: Annotated[re.Pattern[str] | None, v.page_regex("the visible text")] = None
    """the visible text, as a regular expression"""
    name: Annotated[str | None, v.text(500, "the accessible name")] = None
    """the accessible name (with role), matched exactly"""
    name_regex: Annotated[re.Pattern[str] | None, v.page_regex("the accessible name")] = None
    """the accessible name (with role), as a regular expression"""

    @classmethod
    def unknown_key(cls, key: str, data: dict[str, Any]) -> tuple[str, str]:
        if any(k in STRATEGIES for k in data):
            return f"unknown locator key {show(key)}" + suggest(key, cls.yaml_keys()), ""
        # Without a strategy the stray key probably *is* the strategy, misspelt.
        return f"unknown locator strategy {show(key)}" + suggest(key, STRATEGIES), ""

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        keys = [k for k in data if k in STRATEGIES]
        names = [k for k in data if k in ("name", "name_regex")]
        if len(keys) > 1:  # its values are not read: which one was meant is unclear
            hint = "to give alternatives, make the target a list with one locator per item"
            message = f"a locator has exactly one strategy, found {keys[0]!r} and {keys[1]!r}"
            unknown = [k for k in data if k not in cls.yaml_keys()]
            found = [((k,), *cls.unknown_key(k, data), True) for k in unknown]
            raise v.problems(*found, ((keys[1],), message, hint, True))
        if not keys and set(data) <= set(cls.yaml_keys()):  # (unknown keys say more)
            return [((), "a locator needs a strategy, one of: " + ", ".join(STRATEGIES), "", False)]
        if keys != ["role"]:
            hint = "to match by accessible name, write {role: ..., name: ...}"
            return [((n,), f"{n!r} only goes with 'role'", hint, True) for n in names if keys]
        if len(names) == 2:
            return [((names[1],), "give either 'name' or 'name_regex', not both", "", True)]
        return []

    def locator(self) -> Locator:
        key = next(k for k in STRATEGIES if getattr(self, k) is not None)
        value, strategy = getattr(self, key), key.removesuffix("_regex")
        if key == "role":
            return Locator("role", value, self.name, self.name_regex, self.mark)
        if isinstance(value, re.Pattern):
            return Locator(strategy, pattern=value, mark=self.mark)  # type: ignore[arg-type]
        return Locator(strategy, value=value, mark=self.mark)  # type: ignore[arg-type]


#: The keys that choose a locator's strategy, in the order messages list them.
STRATEGIES = tuple(k for k in LocatorForm.model_fields if not k.startswith("name"))


class Alternatives:
    """The kind of a target: one locator mapping, or a non-empty list of them (one mapping is
    read as a list of one; the index is not in the file, so errors are placed at the mapping)."""

    expected = "a target (a locator mapping or a list of them)"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        one = handler.generate_schema(LocatorForm)
        return core_schema.no_info_wrap_validator_function(
            self.read,
            core_schema.list_schema(one),
            ref="target",
            json_schema_input_schema=v.one_of(
                one, core_schema.list_schema(one, min_length=1, max_length=MAX_ALTERNATIVES)
            ),
            metadata=v.shown(description="one locator, or a list of alternatives: the first wins"),
        )

    @staticmethod
    def read(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Target:
        if isinstance(value, dict):
            forms = handler([value])
        elif isinstance(value, list):
            forms = handler(_ALTERNATIVES.check(value))
        else:
            hint = "e.g. {css: '#id'} or {role: button, name: Save}"
            raise v.wrong_type(value, "a locator mapping or a list of them", hint)
        return Target(tuple(f.locator() for f in forms), mark=getattr(value, "mark", None))


#: The most alternatives a target may list: each is tried while the step waits.
MAX_ALTERNATIVES = 12
_ALTERNATIVES = Seq("a list of locators", non_empty=True, most=MAX_ALTERNATIVES)
TargetField = Annotated[Target, Alternatives()]
Targets = Annotated[tuple[TargetField, ...], Seq("a list of targets")]


# --------------------------------------------------------------------------------------------
# Steps: one action key plus optional modifiers; one whose action takes no value may be bare.
# --------------------------------------------------------------------------------------------


class StepBase(Mapping):
    """Modifiers shared by every step."""

    EXPECTED = "a step such as {click: ...}, or a bare step name"
    #: The action key (the class's own field), its help (the class docstring), what its value
    #: is ("" when it takes none), and an example for the docs and the tests.
    KEY: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    NEEDS: ClassVar[str] = ""
    EXAMPLE: ClassVar[str] = ""

    title: Annotated[str | None, v.text(MAX_TITLE, "a title", strip=True)] = None
    """what the step does, in plain words shown while it runs, e.g. "Open the Me menu";
    without it, the run describes the step from its target (the selector shows with -v)"""
    optional: Annotated[bool, v.BOOL] = False
    """a step that cannot be done is skipped, not a failure"""
    timeout_ms: Annotated[int | None, v.integer(1, MAX_TIMEOUT_MS)] = Field(
        default=None, alias="timeout"
    )
    """how long this step may wait, in milliseconds"""
    missing_means: Annotated[MissingMeans, v.choice(MISSING_MEANS, "missing_means value")] = (
        "broken"
    )
    """when the element is missing: the flow broke (exit 1), or the site does not offer it (5)"""
    because: Annotated[str | None, v.text(200, "a reason", strip=True)] = None
    """why a click or dismiss_if_present step clicks something other than a link, menu item,
    tab, disclosure button (aria-expanded, aria-haspopup) or a dialog's close button: such a
    click is refused without it. It unlocks nothing else: whatever reads as delete, sign out,
    pay, post, send, follow, ... is refused all the same"""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        (action,) = (n for n in cls.model_fields if n not in StepBase.model_fields)
        field = cls.model_fields[action]
        cls.KEY, cls.HELP = field.alias or action, inspect.cleandoc(cls.__doc__ or "")
        # An action that takes a value requires it; one that takes none defaults to nothing.
        cls.NEEDS = field.metadata[-1].expected if field.is_required() else ""
        STEP_TYPES[cls.KEY] = cls

    @classmethod
    def unknown_key(cls, key: str, data: dict[str, Any]) -> tuple[str, str]:
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
STEP_MODIFIERS = tuple(StepBase.yaml_keys())


class Goto(StepBase):
    """open a URL (must be inside allowed_origins)"""

    EXAMPLE = "goto: https://www.example.com/settings"
    url: Annotated[str, v.url] = Field(alias="goto")


class GotoSetting(StepBase):
    """open the setting's direct URL for the current platform"""

    EXAMPLE = "goto_setting"
    goto_setting: Annotated[None, v.no_value("goto_setting")] = None


class Click(StepBase):
    """click an element, as a person would"""

    EXAMPLE = "click: {role: link, name: Data privacy}"
    target: TargetField = Field(alias="click")


class WaitFor(StepBase):
    """wait until an element is visible"""

    EXAMPLE = "wait_for: {role: switch}"
    target: TargetField = Field(alias="wait_for")


class ExpectUrl(StepBase):
    """wait until the page URL matches a regular expression; when it does not, the run looks
    for the switch anyway: found, the page has moved (the run goes on, warns and records the
    new address); not found, this check is why the flow is broken"""

    EXAMPLE = "expect_url: '/settings/data-for-ai-improvement'"
    pattern: Annotated[UrlPattern, v.regex()] = Field(alias="expect_url")


class DismissIfPresent(StepBase):
    """click an element if it is there (a banner's close button), else go on"""

    EXAMPLE = "dismiss_if_present: {role: button, name: Dismiss}"
    target: TargetField = Field(alias="dismiss_if_present")


class Screenshot(StepBase):
    """save a screenshot into the evidence folder under this name"""

    EXAMPLE = "screenshot: before-change"
    name: Annotated[str, v.screenshot_name] = Field(alias="screenshot")


class Reload(StepBase):
    """reload the page"""

    EXAMPLE = "reload"
    reload: Annotated[None, v.no_value("reload")] = None


#: Any step; narrow with isinstance (the classes are the values of `STEP_TYPES`).
Step: TypeAlias = StepBase


class Steps:
    """The kind of a step: the registered step type whose action key it has. A bare name is
    read as ``{name: }``."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        choices = {f"step:{k}": handler.generate_schema(c) for k, c in STEP_TYPES.items()}
        union = core_schema.tagged_union_schema(
            choices, discriminator=lambda d: "step:" + next(k for k in d if k in STEP_TYPES)
        )
        # For editors, the bare names too.
        bare = [
            core_schema.literal_schema([k], metadata=v.shown(description=c.HELP))
            for k, c in STEP_TYPES.items()
            if not c.NEEDS
        ]
        return core_schema.no_info_before_validator_function(
            self.read,
            union,
            ref="step",
            json_schema_input_schema=v.one_of(*bare, *choices.values()),
            metadata=v.shown(description=f"one action ({', '.join(STEP_TYPES)}) plus modifiers"),
        )

    @staticmethod
    def read(data: Any) -> Any:
        if isinstance(data, Scalar) and not data.is_null:
            cls = STEP_TYPES.get(data.text)
            if cls is None:
                raise problem(f"unknown step {show(data.text)}" + suggest(data.text, STEP_TYPES))
            if cls.NEEDS:
                hint = f"write it as `{cls.KEY}: ...`"
                raise problem(f"step {cls.KEY!r} needs {cls.NEEDS}", hint)
            bare = YMap(data.mark)
            bare[cls.KEY] = Scalar(data.mark, "", plain=True)
            return bare
        if not isinstance(data, dict):
            raise v.wrong_type(data, StepBase.EXPECTED)
        if any(k in STEP_TYPES for k in data):
            return data
        unknown = [k for k in data if k not in STEP_MODIFIERS]
        if not unknown:
            raise problem("a step needs an action, one of: " + ", ".join(STEP_TYPES))
        what = "unknown step {}" + "{}"
        found = [((k,), what.format(show(k), suggest(k, STEP_TYPES)), "", True) for k in unknown]
        raise v.problems(*found)


AnyStep = Annotated[Step, Steps()]


# --------------------------------------------------------------------------------------------
# The flow.
# --------------------------------------------------------------------------------------------


class PerPlatform:
    """The kind of a mapping platform -> value for each platform the flow declares (which the
    validation's context holds); the engine gets a dict."""

    def __init__(self, what: str, key: str, *, every: bool = True) -> None:
        #: `every`: each declared platform must have a value (else the owner checks)
        self.what, self.key, self.every = what, key, every

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        value = handler.generate_schema(get_args(source)[1])
        fields: dict[str, Any] = {
            p: core_schema.typed_dict_field(value, required=False) for p in PLATFORMS
        }
        each = core_schema.typed_dict_schema(
            fields, extra_behavior="forbid", metadata=v.shown(minProperties=1)
        )
        expected = f"a mapping from platform to {self.what}"
        return core_schema.with_info_wrap_validator_function(
            lambda data, handler, info: v.read_mapping(self, expected, data, handler, info), each
        )

    def check(self, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        declared = context.get("platforms")
        if declared is None:  # platforms itself is broken, and reported
            return []
        found: list[Found] = []
        for p in PLATFORMS:
            if p in data and p not in declared:
                message = f"platform {p!r} is not in platforms ({', '.join(declared)})"
                fix = f"add it to platforms or remove it from {self.key}"
                found.append(((p,), message, fix, True))
            elif self.every and p in declared and p not in data:
                message = f"missing {self.what} for platform {p!r}, which platforms lists"
                found.append(((p,), message, f"add `{p}:` under {self.key}", False))
        return found

    def unknown_key(self, key: str, data: dict[str, Any]) -> tuple[str, str]:
        return f"unknown platform {show(key)}" + suggest(key, PLATFORMS), ""


_Regexes = Annotated[
    tuple[Annotated[UrlPattern, v.regex()], ...], Seq("a list of regular expressions")
]


class LoginSpec(Mapping):
    """How to tell a signed-in page from a logged-out or security-check one."""

    EXPECTED = "a mapping with url, logged_out_urls, security_check_urls and signed_in"
    url: Annotated[str, v.url]
    """the sign-in page, an https URL inside allowed_origins"""
    logged_out_urls: _Regexes
    """regular expressions for URLs of logged-out pages"""
    security_check_urls: _Regexes
    """regular expressions for URLs of security-check pages"""
    signed_in: TargetField
    """an element only a signed-in page shows"""
    logged_out: Targets = ()
    """elements only a logged-out page shows (a "Log in" button), for a site whose logged-out
    pages keep the signed-in URLs (a single-page app): looked for when a step fails or the
    switch is not found, so the run stops as not signed in (exit 4), clicking nothing more"""


class SwitchSpec(Mapping):
    """The switch the flow is about and the state the member wants."""

    EXPECTED = "a mapping with label, target and wanted"
    label: Annotated[str, v.text(500, strip=True)]
    """the switch's label as the site shows it. Whenever the switch is found, its name on the
    page must be one the flow declares, or it is neither read nor set: that name (its
    aria-labelledby, aria-label, label, title or own text; for a switch with none, its
    aria-describedby, else the nearest text beside it) must hold this label (case, accents,
    punctuation and lookalike letters aside, as whole words), or match a name_regex /
    label_regex of the target that this label matches too (its translations; a regex that
    matches an empty name declares nothing). So a flow cannot call a switch by another name:
    its label has to fit every name it declares. The element must be a switch or a checkbox (not
    a toggle button such as Follow), and must not read as a destructive, sign-out or money
    action, nor, when wanted on, as a social one (switching "Share my data" off is an opt-out)"""
    target: TargetField
    """how to find the switch"""
    # Read from the raw text: an unquoted `off` is YAML 1.1's False but means "off" here.
    wanted: Annotated[WantedState, v.choice(WANTED_STATES, "state")]
    """the state wanted: on or off"""


class Overlay(Mapping):
    """Something that can pop up over any page (a promo dialog) and how to close it."""

    EXPECTED = "a mapping with appears and dismiss"
    appears: TargetField
    """how to recognise the pop-up"""
    dismiss: TargetField
    """what to click to close it"""


_Route = Annotated[tuple[AnyStep, ...], Seq("a list of steps", non_empty=True)]
_Platforms = Annotated[
    tuple[Annotated[Platform, v.choice(PLATFORMS, "platform")], ...],
    Seq("a list of platforms, e.g. [desktop, mobile]", non_empty=True, unique="platform"),
]
_Origins = Annotated[
    tuple[Annotated[str, v.origin], ...],
    Seq("a list of origins, e.g. [https://www.example.com]", non_empty=True, unique="origin"),
]
#: The most settings one site file may describe.
MAX_SETTINGS = 50
_Url = Annotated[str, v.url]


class Flow(Mapping):
    """An optout-bot flow: where a setting lives, how a person gets there, which switch it is
    and the state wanted."""

    EXPECTED = "a mapping of flow keys (format, id, site, ...)"

    format: Annotated[int, v.integer(1, 10**6, FORMAT_VERSION)] = Field(
        description="the flow format: 1 for a file of one setting (2: a site file, `SiteFile`)"
    )
    id: Annotated[str, v.flow_id]
    """a short slug naming the flow, e.g. linkedin-ai-training"""
    site: Annotated[str, v.text(2000, strip=True)]
    """the site's name, e.g. LinkedIn"""
    setting: Annotated[str, v.text(2000, strip=True)]
    """the setting's name as the site shows it"""
    category: Annotated[Category, v.choice(CATEGORIES, "category")] = "ai-training"
    """what the setting is about: ai-training, research, sharing, ads or cookies"""
    description: Annotated[str, v.text(5000, strip=True)]
    """what the setting does, in a sentence or two"""
    version: Annotated[str, v.VERSION]
    """the flow's own version, e.g. 1.0.0"""
    last_verified: Annotated[datetime.date, v.DATE]
    """the date the flow last worked against the site, e.g. 2026-11-22"""
    ui_variant: Annotated[str, v.text(500, strip=True, allow_empty=True)] = ""
    """which UI variant the flow was written for"""
    platforms: _Platforms
    """the platforms the flow covers, e.g. [desktop, mobile]"""
    allowed_origins: _Origins
    """the https origins the flow may open, e.g. [https://www.linkedin.com]"""
    setting_url: Annotated[dict[Platform, _Url], PerPlatform("a URL", "setting_url")]
    """the setting's direct URL for each platform"""
    login: LoginSpec
    """how to tell a signed-in page from a logged-out one"""
    switch: SwitchSpec
    """the switch to read and set, and the state wanted"""
    navigate: Annotated[dict[Platform, _Route], PerPlatform("steps", "navigate")]
    """the steps that lead to the setting, for each platform"""
    after_setting_url: Annotated[tuple[AnyStep, ...], Seq("a list of steps")] = ()
    """steps run whenever the runner opens the setting's direct URL itself (the direct route,
    verify's default, and the way round broken menus), before it looks for the switch: for
    a setting whose page shows the switch only after a click (a row that opens it in a
    dialog). A goto_setting step in navigate is not followed by them"""
    verify: Annotated[tuple[AnyStep, ...], Seq("a list of steps")] = ()
    """steps run after the runner's reload, before it reads the switch again"""
    not_offered: Targets = ()
    """targets that show the setting is not offered to this account"""
    overlays: Annotated[tuple[Overlay, ...], Seq("a list of overlays")] = ()
    """pop-ups that can cover any page and how to close them"""
    mask: Targets = ()
    """elements hidden in screenshots (the member's name and photo), unless --no-mask"""
    json_schema_url: Annotated[str | None, v.text(2000)] = Field(default=None, alias="$schema")
    """a JSON Schema URL for editors (the loader ignores it)"""

    _source: Any = None
    _sha256: str = ""

    @property
    def source(self) -> Any:
        """The resolved path of the flow file (None for a flow given as text)."""
        return self._source

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes (of the UTF-8 text, for a flow given as text)."""
        return self._sha256

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        # The format comes first: a flow for a newer engine may use keys and steps this one
        # does not know, so the only useful message is "upgrade".
        fmt = _peek("format", data)
        if fmt is not None and fmt > FORMAT_VERSION:
            raise problem(
                f"this flow needs a newer optout-bot (flow format {fmt}, this engine "
                f"understands up to {FORMAT_VERSION}); upgrade with `pip install -U optout-bot`",
                sub=("format",),
            )
        # URLs are checked against allowed_origins, per-platform values against platforms:
        # read those first (None when broken; they are reported as keys of the flow).
        origins = _peek("allowed_origins", data)
        context["origins"] = None if origins is None else frozenset(origins)
        context["platforms"] = _peek("platforms", data)
        return []


@functools.cache
def _reader(key: str) -> TypeAdapter[Any]:
    return TypeAdapter(Flow.model_fields[key].rebuild_annotation())


def _peek(key: str, data: dict[str, Any]) -> Any:
    """The value of a key of the flow if it is valid, else None (its problems are reported
    as the key's)."""
    try:
        return _reader(key).validate_python(data[key], context={}) if key in data else None
    except ValidationError:
        return None


# --------------------------------------------------------------------------------------------
# Format 2: a site's settings in one file.
# --------------------------------------------------------------------------------------------

_Steps = Annotated[tuple[AnyStep, ...], Seq("a list of steps")]


class RouteSpec(Mapping):
    """A way through the site's menus that several settings share (the first steps of their
    navigation), named once."""

    EXPECTED = "a mapping with id and navigate"
    id: Annotated[str, v.flow_id]
    """a short slug naming the route, e.g. data-privacy"""
    navigate: Annotated[dict[Platform, _Route], PerPlatform("steps", "navigate")]
    """its steps, for each platform"""


class SettingSpec(Mapping):
    """One setting of a site file: what a one-setting flow file says about its setting."""

    EXPECTED = "a mapping with id, setting, description, setting_url, navigate and switch"
    id: Annotated[str, v.flow_id]
    """a short slug naming the setting everywhere (run, verify, history, report, schedule),
    e.g. linkedin-ai-training"""
    setting: Annotated[str, v.text(2000, strip=True)]
    """the setting's name as the site shows it"""
    category: Annotated[Category, v.choice(CATEGORIES, "category")] = "ai-training"
    """what the setting is about: ai-training, research, sharing, ads or cookies"""
    description: Annotated[str, v.text(5000, strip=True)]
    """what the setting does, in a sentence or two"""
    setting_url: Annotated[dict[Platform, _Url], PerPlatform("a URL", "setting_url")]
    """the setting's direct URL for each platform"""
    route: Annotated[str | None, v.flow_id] = None
    """the id of a shared route (`routes`) its navigation starts with"""
    navigate: Annotated[dict[Platform, _Steps], PerPlatform("steps", "navigate", every=False)] = (
        Field(default_factory=dict)
    )
    """the steps that lead to the setting, for each platform (after the route's, if any)"""
    switch: SwitchSpec
    """the switch to read and set, and the state wanted"""
    after_setting_url: Annotated[tuple[AnyStep, ...], Seq("a list of steps")] = ()
    """steps run whenever the runner itself opens setting_url (as for a one-setting flow)"""
    verify: Annotated[tuple[AnyStep, ...], Seq("a list of steps")] = ()
    """steps run after the runner's reload, before it reads the switch again"""
    not_offered: Targets = ()
    """targets that show this setting is not offered to this account (besides the site's)"""

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        routes, declared = context.get("routes"), context.get("platforms")
        route = data.get("route")
        found: list[Found] = []
        name = route.text if isinstance(route, Scalar) else None
        if name is not None and routes is not None and name not in routes:
            if routes:
                message = f"no route {show(name)} in routes" + suggest(name, routes)
                found.append((("route",), message, "", False))
            else:
                message = f"no route {show(name)}: the file declares no routes"
                hint = "declare it under `routes:` (an id and its navigate), or remove `route:`"
                found.append((("route",), message, hint, False))
        navigate = data.get("navigate")
        given = navigate if isinstance(navigate, dict) else {}
        if declared is not None and route is None and isinstance(navigate, (dict, type(None))):
            for p in declared:
                if p not in given:
                    where: tuple[str, ...] = ("navigate",) if navigate is not None else ()
                    message = f"missing steps for platform {p!r}, which platforms lists"
                    hint = f"add `{p}:` under navigate, or start from a shared `route:`"
                    found.append(((*where,), message, hint, navigate is None))
        return found


class SiteFile(Mapping):
    """A site file (format 2): what a site's settings share -- origins, sign-in, pop-ups,
    masks, shared routes -- and the settings, each run on its own by its id."""

    EXPECTED = "a mapping of site file keys (format, site, settings, ...)"

    format: Annotated[int, v.integer(2, 2)] = Field(description="the flow format; write 2")
    site: Annotated[str, v.text(2000, strip=True)]
    """the site's name, e.g. LinkedIn"""
    version: Annotated[str, v.VERSION]
    """the file's own version, e.g. 2.0.0"""
    last_verified: Annotated[datetime.date, v.DATE]
    """the date the file last worked against the site, e.g. 2026-11-30"""
    ui_variant: Annotated[str, v.text(500, strip=True, allow_empty=True)] = ""
    """which UI variant the file was written for"""
    platforms: _Platforms
    """the platforms every setting covers, e.g. [desktop, mobile]"""
    allowed_origins: _Origins
    """the https origins its flows may open, e.g. [https://www.linkedin.com]"""
    login: LoginSpec
    """how to tell a signed-in page from a logged-out one"""
    routes: Annotated[tuple[RouteSpec, ...], Seq("a list of routes")] = ()
    """ways through the menus that several settings share, each named by an id"""
    settings: Annotated[
        tuple[SettingSpec, ...], Seq("a list of settings", non_empty=True, most=MAX_SETTINGS)
    ]
    """the site's settings, each with its own id, switch and way to it"""
    not_offered: Targets = ()
    """targets that show a setting is not offered to this account"""
    overlays: Annotated[tuple[Overlay, ...], Seq("a list of overlays")] = ()
    """pop-ups that can cover any page and how to close them"""
    mask: Targets = ()
    """elements hidden in screenshots (the member's name and photo), unless --no-mask"""
    json_schema_url: Annotated[str | None, v.text(2000)] = Field(default=None, alias="$schema")
    """a JSON Schema URL for editors (the loader ignores it)"""

    @classmethod
    def check(cls, data: dict[str, Any], context: dict[str, Any]) -> list[Found]:
        Flow.check(data, context)  # origins and platforms, as a one-setting flow reads them
        routes = data.get("routes")
        context["routes"] = [
            r["id"].text
            for r in (routes if isinstance(routes, list) else [])
            if isinstance(r, dict) and isinstance(r.get("id"), Scalar)
        ]
        found: list[Found] = []
        for key, items in (("routes", routes), ("settings", data.get("settings"))):
            seen: set[str] = set()
            for index, item in enumerate(items if isinstance(items, list) else []):
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, Scalar):
                    continue
                if ident.text in seen:
                    message = f"id {ident.text!r} is used twice in {key}"
                    found.append(((key, index, "id"), message, "give each its own id", False))
                seen.add(ident.text)
        return found

    def flows(self) -> tuple[Flow, ...]:
        """Each setting as the engine runs it: a one-setting flow with what the site shares."""
        routes = {r.id: r.navigate for r in self.routes}
        out = []
        for s in self.settings:
            start = routes.get(s.route, {}) if s.route else {}
            navigate = {p: (*start.get(p, ()), *s.navigate.get(p, ())) for p in self.platforms}
            flow = Flow.model_construct(
                format=2,
                id=s.id,
                site=self.site,
                setting=s.setting,
                category=s.category,
                description=s.description,
                version=self.version,
                last_verified=self.last_verified,
                ui_variant=self.ui_variant,
                platforms=self.platforms,
                allowed_origins=self.allowed_origins,
                setting_url=s.setting_url,
                login=self.login,
                switch=s.switch,
                navigate=navigate,
                after_setting_url=s.after_setting_url,
                verify=s.verify,
                not_offered=(*self.not_offered, *s.not_offered),
                overlays=self.overlays,
                mask=self.mask,
            )
            flow._mark = s.mark
            out.append(flow)
        return tuple(out)
