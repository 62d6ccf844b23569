"""Alerts after an unattended check: what happened, in words, and what to do about it.

`compose()` turns a run's ``--json`` result into a title and a body; `notify()` sends them to
the user's notification URLs with Apprise (ntfy, e-mail, Telegram, Matrix, ... see
https://github.com/caronc/apprise/wiki) and, where there is a desktop to show it on, as a
desktop notification. Delivery never raises and never takes much more than `TIMEOUT` seconds:
a scheduled check must end, alerts or not. Notification URLs often carry tokens, so they are
only ever described redacted (`base.redact.redact`).

Each alert ends with the evidence chain's head (the newest record's number and hash) when the
check knows it: the alert is then a witness outside the machine, and
`optout-bot evidence verify --head SEQ:HASH` proves later that nothing up to that record was
changed or removed.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from optout_bot.base.redact import redact
from optout_bot.base.times import UTC, parse_time, stamp_in, utc_now
from optout_bot.engine.outcome import STATUS_TABLE, Status
from optout_bot.evidence.layout import RECORD_JSON
from optout_bot.evidence.record import Record

#: Seconds `notify()` waits for all deliveries together.
TIMEOUT = 15.0
#: Seconds a desktop notification command may take.
DESKTOP_TIMEOUT = 10.0

#: Statuses that need no alert (all is well, or a person answered "no" at the prompt): the
#: status table says which. Everything else alerts, also invalid (a scheduled check that
#: cannot even start must not fail silently) and a status this version does not know.
QUIET_STATUSES = frozenset(status.value for status, info in STATUS_TABLE.items() if not info.alerts)

APPRISE_HELP = "https://github.com/caronc/apprise/wiki"


def should_alert(result: Mapping[str, Any]) -> bool:
    """True when the run's result is worth telling the user about."""
    status = Status.of(result.get("status"))
    return status is None or status.alerts


def record_of(result: Mapping[str, Any]) -> Record | None:
    """The evidence record of the run behind `result`, from the record.json beside its
    screenshots; None when there is none (the run stopped before its record was finished)."""
    folder = result.get("evidence_dir")
    if not isinstance(folder, str) or not folder:
        return None
    try:
        return Record.from_json(json.loads((Path(folder) / RECORD_JSON).read_bytes()))
    except (OSError, ValueError):
        return None


# -- what to say ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """The facts of a result that the messages use."""

    flow: str
    site: str
    setting: str
    wanted: str
    state: str
    context: str  # "(verify, desktop, 2026-11-22 14:00 UTC)"
    evidence: str  # " Evidence: DIR" or ""
    reason: str
    result: Mapping[str, Any]

    def command(self, mode: str, *extra: str) -> str:
        """The optout-bot command line that repeats this run in `mode`."""
        parts = ["optout-bot", mode, self.flow]
        if self.result.get("platform") == "mobile":
            parts += ["--platform", "mobile"]
        profile = self.result.get("profile")
        if profile and profile != "default":
            parts += ["--profile", str(profile)]
        parts += extra
        return "`" + shlex.join(parts) + "`"


def compose(
    result: Mapping[str, Any],
    *,
    record: Record | None = None,
    now: datetime.datetime | None = None,
) -> tuple[str, str]:
    """(title, body) for a run's result: what happened and what to do, per status.

    The site and setting names and the run's time come from its evidence `record` when
    there is one (the flow file may be gone or changed by now). The result's `chain_head`
    ends the body, when it has one (`head_line`)."""
    title, body = _compose(result, record, now)
    line = head_line(result.get("chain_head"))
    return title, f"{body}\n\n{line}" if line else body


def head_line(head: object) -> str:
    """`Evidence chain head: #12 HASH (...)`: the sentence that makes an alert a witness of
    the evidence as it is now; "" without a head."""
    if not isinstance(head, Mapping):
        return ""
    seq, digest = head.get("seq"), head.get("hash")
    if not isinstance(seq, int) or not isinstance(digest, str) or not digest:
        return ""
    return (
        f"Evidence chain head: #{seq} {digest} (keep this message: `optout-bot evidence "
        f"verify --head {seq}:{digest}` proves that no record up to it was changed or removed)"
    )


def _compose(
    result: Mapping[str, Any], record: Record | None, now: datetime.datetime | None
) -> tuple[str, str]:
    run = _facts(result, record, now)
    status = str(result.get("status", ""))
    site, setting, wanted = run.site, run.setting, run.wanted
    opposite = {"on": "off", "off": "on"}.get(wanted, "")
    state = run.state if run.state in ("on", "off") else opposite
    if status == "drift":
        title = f"{site}: {setting} is {state.upper() or 'CHANGED'} again"
        body = (
            f"optout-bot found '{setting}' switched {state or 'away from ' + wanted} "
            f"{run.context}. Run {run.command('run')} to switch it {wanted} again."
        )
    elif status == "not_persisted":
        title = f"{site}: {setting} did not stay {wanted}"
        body = (
            f"optout-bot switched '{setting}' {wanted}, but after a reload it was "
            f"{state or 'not ' + wanted} {run.context}. {site} may not have saved the change: "
            f"try again later with {run.command('run')}, or switch it {wanted} by hand in "
            f"{site}'s settings."
        )
    elif status == "login_required":
        what = (
            "showed a security check"
            if result.get("login_reason") == "security_check"
            else "asked to sign in"
        )
        title = f"{site}: optout-bot needs you to sign in again"
        body = (
            f"optout-bot could not check '{setting}' {run.context}: {site} {what}. Nothing "
            f"was changed. Sign in again: run {run.command('run')} (without --headless) and "
            "sign in in the window that opens; the scheduled checks work again after that."
        )
    elif status == "not_offered":
        title = f"{site}: {setting} is not offered"
        body = (
            f"optout-bot did not find '{setting}' {run.context}; {site} may not offer it in "
            "your region or for your account type. Nothing was changed. If you do see the "
            f"setting in {site}'s settings, the flow is out of date: update optout-bot "
            "(pip install -U optout-bot) or report it."
        )
    elif status == "flow_broken":
        title = f"{site}: the page changed, optout-bot could not check it"
        body = (
            f"The page has changed {run.context}: {run.reason}. Update optout-bot "
            "(pip install -U optout-bot) or the flow (`optout-bot flows` lists them), or "
            "report it with the screenshots. Until then, check the setting by hand."
        )
    elif status == "interrupted":
        title = f"{site}: optout-bot's check was interrupted"
        body = (
            f"The check of '{setting}' {run.context} stopped before it finished (was the "
            "computer going to sleep or shutting down?). The next scheduled check tries "
            f"again; to check now, run {run.command('verify')}."
        )
    elif status == "timed_out":
        title = f"{site}: optout-bot's check took too long"
        body = (
            f"The check of '{setting}' {run.context} went past its time limit and stopped "
            f"without changing anything: {run.reason}. {site} may be slow right now; the next "
            f"scheduled check tries again. To check now, run {run.command('verify')}."
        )
    elif status == "invalid":
        title = f"{site}: optout-bot's scheduled check cannot start"
        body = (
            f"{run.reason} {run.context}. Do what that says (it may be the flow, the "
            "settings file, the browser or the schedule: `optout-bot schedule list`), then "
            "run " + run.command("verify") + "."
        )
    elif status == "ok":
        title = f"{site}: {setting} is {wanted}"
        body = f"optout-bot confirmed '{setting}' is {wanted} after a reload {run.context}."
    else:  # error, and anything this version does not know
        title = f"{site}: optout-bot's check failed"
        body = (
            f"{run.reason or 'optout-bot stopped with an error'} {run.context}. Run "
            f"{run.command('verify')} to see it again; if it keeps failing, please report it."
        )
    return title, body + run.evidence


def _facts(result: Mapping[str, Any], record: Record | None, now: datetime.datetime | None) -> _Run:
    flow = str(result.get("flow") or "?")
    site = (record.site if record else "") or str(result.get("site") or "") or flow
    setting = (record.setting if record else "") or str(result.get("setting") or "") or flow
    when = _when(result, record, now).strftime("%Y-%m-%d %H:%M UTC")
    bits = [str(result[k]) for k in ("mode", "platform") if result.get(k)]
    evidence = str(result.get("evidence_dir") or "")
    return _Run(
        flow=flow,
        site=site,
        setting=setting,
        wanted=str(result.get("wanted") or "off"),
        state=str(result.get("state_after") or "unknown"),
        context="(" + ", ".join([*bits, when]) + ")",
        evidence=f" Evidence: {evidence}" if evidence else "",
        reason=str(result.get("reason") or "").rstrip("."),
        result=result,
    )


def _when(
    result: Mapping[str, Any], record: Record | None, now: datetime.datetime | None
) -> datetime.datetime:
    """When the run happened: a timestamp in the result, the record's start, the evidence
    folder's name, or now."""
    for key in ("finished_at", "started_at", "time"):
        moment = parse_time(result.get(key))
        if moment is not None:
            return moment
    if record is not None and record.started is not None:
        return record.started
    stamped = stamp_in(Path(str(result.get("evidence_dir") or "")).name)
    return stamped or (now or utc_now()).astimezone(UTC)


# -- sending ----------------------------------------------------------------------------------


def compose_many(
    results: Sequence[Mapping[str, Any]], *, head: Mapping[str, Any] | None = None
) -> tuple[str, str]:
    """One alert for the settings of one check that need the person: a title that counts
    them, and each one's own title and body, one after the other; then the evidence chain's
    `head`, when there is one."""
    parts = [compose(result, record=record_of(result)) for result in results]
    line = head_line(head)
    if len(parts) == 1:
        title, body = parts[0]
    else:
        title = f"optout-bot: {len(parts)} settings need you"
        body = "\n\n".join(f"{n}. {t}: {b}" for n, (t, b) in enumerate(parts, 1))
    return title, f"{body}\n\n{line}" if line else body


def notify(
    result: Mapping[str, Any],
    *,
    urls: list[str] | tuple[str, ...],
    desktop: bool = True,
    timeout: float = TIMEOUT,
    record: Record | None = None,
) -> list[str]:
    """Send the alert for `result`; one line per delivery saying how it went (never raises).

    `record` is the run's evidence record; without it, the record.json beside the result's
    screenshots is read (`record_of`).
    """
    title, body = compose(result, record=record or record_of(result))
    return send(title, body, urls=urls, desktop=desktop, timeout=timeout)


def send(
    title: str,
    body: str,
    *,
    urls: list[str] | tuple[str, ...],
    desktop: bool = True,
    timeout: float = TIMEOUT,
) -> list[str]:
    """Send an alert; one line per delivery saying how it went (never raises).

    The Apprise URLs go one after another in a worker thread (so each failure is told apart)
    while the desktop notification runs beside them; after `timeout` seconds whatever has not
    finished is reported as such and left to finish in the background.
    """
    deadline = time.monotonic() + timeout
    outcomes: dict[str, str] = {}
    workers = []
    if urls:
        workers.append(_start(_send_urls, list(urls), title, body, outcomes))
    if desktop:
        workers.append(_start(_send_desktop, title, body, outcomes))
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    lines = [
        outcomes.get(f"url{index}", f"{redact(url)}: not sent: no answer within {timeout:g} s")
        for index, url in enumerate(urls)
    ]
    if desktop:
        lines.append(outcomes.get("desktop", f"desktop: no answer within {timeout:g} s"))
    return lines


def _start(target: Callable[..., None], *args: Any) -> threading.Thread:
    # A daemon thread: a delivery still hanging when the check ends must not keep it alive.
    thread = threading.Thread(target=target, args=args, daemon=True, name="optout-bot-alert")
    thread.start()
    return thread


class _Problems(logging.Handler):
    """Apprise tells why a delivery failed only in its log: keep the last warning/error."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a bad log record must not stop an alert
            pass


def _send_urls(urls: list[str], title: str, body: str, outcomes: dict[str, str]) -> None:
    # Apprise's plugins use deprecated modules (2.2's e-mail plugin imports `imghdr`): not
    # ours to fix, and a scheduled check's log is no place for the warnings. (The main
    # thread only waits meanwhile, so changing the process-wide filters here is safe.)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _send_urls_quietly(urls, title, body, outcomes)


def _send_urls_quietly(urls: list[str], title: str, body: str, outcomes: dict[str, str]) -> None:
    try:
        import apprise
    except ImportError:
        for index, url in enumerate(urls):
            outcomes[f"url{index}"] = (
                f"{redact(url)}: not sent: Apprise is not installed (pip install apprise)"
            )
        return
    problems = _Problems()
    logger = logging.getLogger("apprise")
    logger.addHandler(problems)
    try:
        for index, url in enumerate(urls):
            problems.messages.clear()
            outcomes[f"url{index}"] = _send_url(apprise, url, title, body, problems)
    finally:
        logger.removeHandler(problems)


def _send_url(apprise: Any, url: str, title: str, body: str, problems: _Problems) -> str:
    shown = redact(url)
    try:
        service = apprise.Apprise()
        if not service.add(url):
            return (
                f"{shown}: not sent: not a notification URL Apprise understands "
                f"(see {APPRISE_HELP})"
            )
        if service.notify(title=title, body=body):
            return f"{shown}: sent"
        why = problems.messages[-1] if problems.messages else "the service did not accept it"
    except Exception as exc:  # noqa: BLE001 - a delivery problem is reported, never raised
        why = f"{type(exc).__name__}: {exc}"
    return f"{shown}: not sent: {_scrub(why, url)}"


def _scrub(message: str, url: str) -> str:
    """`message` without the URL or the parts of it that may be secrets."""
    secrets = {url, url.strip()}
    try:
        parts = urlsplit(url.strip())
        secrets |= {parts.username or "", parts.password or "", parts.query}
        secrets |= set(parts.path.split("/"))
        if parts.hostname and redact(url).endswith("://…"):
            secrets.add(parts.hostname)  # a token where a host would be
    except ValueError:
        pass
    for secret in sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True):
        message = message.replace(secret, "…")
    return message.strip().rstrip(".")


# -- desktop notifications --------------------------------------------------------------------


@dataclass(frozen=True)
class DesktopCommand:
    """A desktop notification as a command: arguments (no shell) and extra environment."""

    argv: list[str]
    env: dict[str, str]


# PowerShell's own app id: Windows shows toasts only for registered apps, and this one is.
_POWERSHELL_APP_ID = r"{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe"
# The title and body reach PowerShell through the environment, so no quoting can break them.
_WINDOWS_TOAST = (
    "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, "
    "ContentType = WindowsRuntime] > $null; "
    "$x = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent("
    "[Windows.UI.Notifications.ToastTemplateType]::ToastText02); "
    "$t = $x.GetElementsByTagName('text'); "
    "$t.Item(0).AppendChild($x.CreateTextNode($env:OPTOUT_BOT_TITLE)) > $null; "
    "$t.Item(1).AppendChild($x.CreateTextNode($env:OPTOUT_BOT_BODY)) > $null; "
    "[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier("
    f"'{_POWERSHELL_APP_ID}').Show([Windows.UI.Notifications.ToastNotification]::new($x))"
)
# AppleScript gets the title and body as arguments (argv), so no quoting can break them.
_MAC_SCRIPT = [
    "on run argv",
    "display notification (item 2 of argv) with title (item 1 of argv)",
    "end run",
]


def desktop_command(
    title: str,
    body: str,
    *,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
    environ: Mapping[str, str] | None = None,
    uid: int | None = None,
    run_user: Path = Path("/run/user"),
) -> DesktopCommand | None:
    """How to show a desktop notification here, or None when there is no desktop to use."""
    environ = os.environ if environ is None else environ
    if platform == "darwin":
        osascript = which("osascript")
        if not osascript:
            return None
        argv = [osascript]
        for line in _MAC_SCRIPT:
            argv += ["-e", line]
        return DesktopCommand([*argv, title, body], {})
    if platform in ("win32", "cygwin"):
        shell = which("powershell") or which("pwsh")
        if not shell:
            return None
        argv = [shell, "-NoProfile", "-NonInteractive", "-Command", _WINDOWS_TOAST]
        return DesktopCommand(argv, {"OPTOUT_BOT_TITLE": title, "OPTOUT_BOT_BODY": body})
    notify_send = which("notify-send")
    if not notify_send:
        return None
    env: dict[str, str] = {}
    if not environ.get("DBUS_SESSION_BUS_ADDRESS"):
        # cron starts jobs without the session's bus address; the user's bus usually lives
        # at a fixed place (systemd-logind), so a notification can still reach the desktop.
        bus = run_user / str(os.getuid() if uid is None else uid) / "bus"
        if bus.exists():
            env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
        elif not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
            return None
    argv = [notify_send, "--app-name=optout-bot", "--urgency=normal", title, body]
    return DesktopCommand(argv, env)


def _send_desktop(title: str, body: str, outcomes: dict[str, str]) -> None:
    try:
        command = desktop_command(title, body)
    except Exception:  # noqa: BLE001 - no desktop is not a failure
        command = None
    if command is None:
        outcomes["desktop"] = "desktop: not available"
        return
    name = Path(command.argv[0]).name
    try:
        proc = subprocess.run(
            command.argv,
            env={**os.environ, **command.env},
            capture_output=True,
            text=True,
            errors="replace",
            timeout=DESKTOP_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        outcomes["desktop"] = f"desktop: not shown: {name} took over {DESKTOP_TIMEOUT:g} s"
        return
    except OSError as exc:
        outcomes["desktop"] = f"desktop: not shown: {name}: {exc.strerror or exc}"
        return
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        why = detail[0] if detail else f"exit code {proc.returncode}"
        outcomes["desktop"] = f"desktop: not shown: {name}: {why}"
        return
    outcomes["desktop"] = f"desktop: shown ({name})"
