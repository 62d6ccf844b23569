"""How a run ends: its status, the exit code that status maps to, and the result record.

The exit codes (`EXIT_CODES`) are a contract that scripts and schedulers rely on; `--help`
prints them from here and the README documents them.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from optout_bot.flow.model import SwitchState


#: What each exit code means.
EXIT_CODES: dict[int, str] = {
    0: "the setting is in the wanted state, confirmed after a reload",
    1: "the flow broke (the page is not as the flow expects), the run timed out, or an "
    "unexpected error",
    2: "invalid input: bad flow file, unknown flow id, bad usage",
    3: "the setting is not in the wanted state at the end",
    4: "login needed (logged out, authwall, security check)",
    5: "the setting is not offered for this account",
    130: "interrupted (Ctrl-C)",
}


class Status(str, enum.Enum):
    """How a run ended. Everything said about a status (exit code, the CLI's verdict, the
    report's label and tone, whether it alerts) is in `STATUS_TABLE`, nowhere else."""

    OK = "ok"
    FLOW_BROKEN = "flow_broken"
    ERROR = "error"
    INVALID = "invalid"
    #: verify found the setting in the unwanted state
    DRIFT = "drift"
    #: run changed the switch but the change did not survive the reload (or the save failed)
    NOT_PERSISTED = "not_persisted"
    #: the person answered "no" at the confirmation prompt
    DECLINED = "declined"
    #: run without --yes and without a terminal to ask on
    CONFIRMATION_NEEDED = "confirmation_needed"
    LOGIN_REQUIRED = "login_required"
    NOT_OFFERED = "not_offered"
    #: the run went past its overall limit (`run_timeout`)
    TIMED_OUT = "timed_out"
    INTERRUPTED = "interrupted"

    @classmethod
    def of(cls, value: object) -> Status | None:
        """The status a stored record or a JSON result names; None for one this version
        does not know (a record from a newer optout-bot, or a damaged one)."""
        try:
            return cls(value)
        except ValueError:
            return None

    @property
    def exit_code(self) -> int:
        return STATUS_TABLE[self].exit_code

    @property
    def verdict(self) -> str:
        return STATUS_TABLE[self].verdict

    @property
    def label(self) -> str:
        return STATUS_TABLE[self].label

    @property
    def tone(self) -> Tone:
        return STATUS_TABLE[self].tone

    @property
    def alerts(self) -> bool:
        return STATUS_TABLE[self].alerts


#: How a status looks: "good" (as wanted), "bad" (not as wanted), "warn" (could not tell),
#: "calm" (nothing to worry about, or the member's own choice).
Tone = Literal["good", "bad", "warn", "calm"]


@dataclass(frozen=True)
class StatusInfo:
    #: the process's exit code: a contract scripts and schedulers rely on (README)
    exit_code: int
    #: the first word of the CLI's summary line ("DRIFT: linkedin-ai-training: ...")
    verdict: str
    #: the report's and history's word for it
    label: str
    tone: Tone
    #: whether a scheduled check tells the member (a status not in this table alerts too)
    alerts: bool


# fmt: off
STATUS_TABLE: dict[Status, StatusInfo] = {
    Status.OK:                  StatusInfo(0,   "OK",            "Confirmed",     "good", False),
    Status.FLOW_BROKEN:         StatusInfo(1,   "FLOW BROKEN",   "Page changed",  "warn", True),
    Status.ERROR:               StatusInfo(1,   "ERROR",         "Error",         "warn", True),
    Status.INVALID:             StatusInfo(2,   "INVALID",       "Invalid input", "warn", True),
    Status.CONFIRMATION_NEEDED: StatusInfo(2,   "NEEDS --yes",   "Needed a yes",  "calm", True),
    Status.DRIFT:               StatusInfo(3,   "DRIFT",         "Not as wanted", "bad",  True),
    Status.NOT_PERSISTED:       StatusInfo(3,   "DID NOT STICK", "Did not stick", "bad",  True),
    Status.DECLINED:            StatusInfo(3,   "NOT CHANGED",   "Declined",      "calm", False),
    Status.LOGIN_REQUIRED:      StatusInfo(4,   "LOGIN NEEDED",  "Sign-in needed", "calm", True),
    Status.NOT_OFFERED:         StatusInfo(5,   "NOT OFFERED",   "Not offered",   "calm", True),
    Status.TIMED_OUT:           StatusInfo(1,   "TIMED OUT",     "Timed out",     "warn", True),
    Status.INTERRUPTED:         StatusInfo(130, "INTERRUPTED",   "Interrupted",   "warn", True),
}
# fmt: on


def first_line(exc: BaseException) -> str:
    """An exception as the one-line reason a person reads (Playwright errors run to pages)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class RunStop(Exception):
    """Raised inside the runner to end the run with a given status and a one-line reason."""

    def __init__(self, status: Status, reason: str, final: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        #: no fallback may follow (the page left the allowed origins)
        self.final = final


@dataclass
class Result:
    """Everything a run found out. `to_json()` is the `--json` contract."""

    flow: str
    platform: str
    mode: str  # "run" | "verify"
    wanted: str
    status: Status = Status.ERROR
    reason: str = ""
    state_before: SwitchState = "unknown"
    state_after: SwitchState = "unknown"
    changed: bool = False
    #: True/False once a reload re-read confirmed or refuted the state; None when never checked.
    persisted: bool | None = None
    evidence_dir: str = ""
    screenshots: list[str] = field(default_factory=list)
    #: the page after the reload as one file (MHTML)
    pages: list[str] = field(default_factory=list)
    session: str = ""  # "cdp" | "profile"
    final_url: str = ""
    #: the switch target's alternative that matched, and its index (0 = the flow's first)
    switch_locator: str = ""
    switch_alternative: int | None = None
    #: how the switch was set: "click", or a fallback ("label", "track", "keyboard")
    switch_method: str = ""
    #: the switch's identifying attributes and live state as the page had them at the end
    switch_attributes: dict[str, str | None] = field(default_factory=dict)
    login_reason: str = ""  # "logged_out" | "security_check" when status is login_required
    flow_version: str = ""
    flow_sha256: str = ""
    #: how the setting page was reached: "navigation" (the flow's steps) or "direct-url"
    #: (the steps broke and the flow's setting_url was used instead)
    route: str = ""
    #: the setting's page's address when it was not the one the flow expects (`expect_url`)
    #: but the switch was there: the page moved, and the flow needs an update
    moved_url: str = ""
    #: steps whose target matched by a later alternative than the flow's first, as
    #: [section, position, alternative] ("navigate" or "after_setting_url"): a repair's
    #: proposal moves each to the front
    promotions: list[tuple[str, int, int]] = field(default_factory=list)
    #: the diagnosis folder when the flow broke
    diagnosis: str = ""
    #: when the flow broke because an element was not found and the page had a likely
    #: replacement for it (`engine.replacement`): {"section", "position", "element",
    #: "locators", "score"}; a repair's proposal adds it as a new alternative
    replacement: dict[str, Any] = field(default_factory=dict)
    #: the run's evidence record: {"seq", "id", "hash"} once it is in the chain
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["exit_code"] = self.exit_code
        return data
