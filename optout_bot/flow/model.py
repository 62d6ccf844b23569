"""The typed model of a flow file.

A flow is data only: where the setting lives, how a person gets there, which switch it is and
which state is wanted. The loader (`optout_bot.flow.loader`) turns untrusted YAML into these
frozen objects; the runner only ever sees validated instances.

The step vocabulary is the registry `STEP_TYPES` below: the loader builds its validation and
its "did you mean" suggestions from it, so a step type exists in exactly one place.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

#: Newest flow format this engine understands. A flow that declares a higher `format` is
#: refused with a message to upgrade optout-bot.
FORMAT_VERSION = 1

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


@dataclass(frozen=True)
class Mark:
    """Where a node sits in its flow file (1-based line and column)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


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


# --------------------------------------------------------------------------------------------
# Steps. Each step is one action key plus optional modifiers, e.g.
#
#     - click: {role: link, name: Data privacy}
#       timeout: 10000
#       missing_means: not_offered
#
# `ARG` says how the value of the action key is read: a target, a URL, a regex, a file-name
# stem, or nothing (the value must then be `true` or empty).
# --------------------------------------------------------------------------------------------

StepArg = Literal["target", "url", "regex", "name", "none"]


@dataclass(frozen=True)
class StepBase:
    """Modifiers shared by every step."""

    ARG: ClassVar[StepArg] = "none"
    KEY: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    mark: Mark | None = field(default=None, kw_only=True)
    #: A step marked optional that cannot be done is skipped, not a failure.
    optional: bool = field(default=False, kw_only=True)
    #: Per-step timeout in milliseconds; None means the runner's default.
    timeout_ms: int | None = field(default=None, kw_only=True)
    missing_means: MissingMeans = field(default="broken", kw_only=True)


@dataclass(frozen=True)
class Goto(StepBase):
    KEY: ClassVar[str] = "goto"
    ARG: ClassVar[StepArg] = "url"
    HELP: ClassVar[str] = "open a URL (must be inside allowed_origins)"
    url: str = ""


@dataclass(frozen=True)
class GotoSetting(StepBase):
    KEY: ClassVar[str] = "goto_setting"
    ARG: ClassVar[StepArg] = "none"
    HELP: ClassVar[str] = "open the setting's direct URL for the current platform"


@dataclass(frozen=True)
class Click(StepBase):
    KEY: ClassVar[str] = "click"
    ARG: ClassVar[StepArg] = "target"
    HELP: ClassVar[str] = "click an element, as a person would"
    target: Target = field(default_factory=lambda: Target(()))


@dataclass(frozen=True)
class WaitFor(StepBase):
    KEY: ClassVar[str] = "wait_for"
    ARG: ClassVar[StepArg] = "target"
    HELP: ClassVar[str] = "wait until an element is visible"
    target: Target = field(default_factory=lambda: Target(()))


@dataclass(frozen=True)
class ExpectUrl(StepBase):
    KEY: ClassVar[str] = "expect_url"
    ARG: ClassVar[StepArg] = "regex"
    HELP: ClassVar[str] = "wait until the page URL matches a regular expression"
    pattern: re.Pattern[str] = field(default_factory=lambda: re.compile(""))


@dataclass(frozen=True)
class DismissIfPresent(StepBase):
    KEY: ClassVar[str] = "dismiss_if_present"
    ARG: ClassVar[StepArg] = "target"
    HELP: ClassVar[str] = "click an element if it is there (a banner's close button), else go on"
    target: Target = field(default_factory=lambda: Target(()))


@dataclass(frozen=True)
class Screenshot(StepBase):
    KEY: ClassVar[str] = "screenshot"
    ARG: ClassVar[StepArg] = "name"
    HELP: ClassVar[str] = "save a screenshot into the evidence folder under this name"
    name: str = ""


@dataclass(frozen=True)
class Reload(StepBase):
    KEY: ClassVar[str] = "reload"
    ARG: ClassVar[StepArg] = "none"
    HELP: ClassVar[str] = "reload the page"


Step = Goto | GotoSetting | Click | WaitFor | ExpectUrl | DismissIfPresent | Screenshot | Reload

#: The step registry: action key -> step class. The loader's schema is built from this.
STEP_TYPES: dict[str, type[StepBase]] = {
    cls.KEY: cls
    for cls in (Goto, GotoSetting, Click, WaitFor, ExpectUrl, DismissIfPresent, Screenshot, Reload)
}

#: Modifier keys any step may carry next to its action key.
STEP_MODIFIERS = ("optional", "timeout", "missing_means")


# --------------------------------------------------------------------------------------------
# The flow.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginSpec:
    """How to tell a signed-in page from a logged-out or security-check one."""

    url: str
    logged_out_urls: tuple[re.Pattern[str], ...]
    security_check_urls: tuple[re.Pattern[str], ...]
    #: An element that only a signed-in page shows (the top bar with the Me menu).
    signed_in: Target


@dataclass(frozen=True)
class SwitchSpec:
    """The switch the flow is about and the state the member wants."""

    label: str
    target: Target
    wanted: WantedState


@dataclass(frozen=True)
class Overlay:
    """Something that can pop up over any page (a promo dialog) and how to close it."""

    appears: Target
    dismiss: Target


@dataclass(frozen=True)
class Flow:
    format: int
    id: str
    site: str
    setting: str
    description: str
    version: str
    last_verified: datetime.date
    platforms: tuple[Platform, ...]
    allowed_origins: tuple[str, ...]
    setting_url: dict[Platform, str]
    login: LoginSpec
    switch: SwitchSpec
    navigate: dict[Platform, tuple[Step, ...]]
    #: Steps run after the runner's own reload and before it re-reads the switch.
    verify: tuple[Step, ...] = ()
    #: Signals on a page that the setting is not offered to this account.
    not_offered: tuple[Target, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    #: Elements painted over in screenshots (the member's name and photo), unless --no-mask.
    mask: tuple[Target, ...] = ()
    #: Free text: which UI variant the flow was written for.
    ui_variant: str = ""
    source: Path | None = None
    sha256: str = ""
