"""Recording a flow by doing: `optout-bot record START_URL`.

The person clicks their way from START_URL to the switch in their own signed-in browser; the
recorder watches and writes the flow a careful author would.

How the clicks are seen (`Recorder`). A script (`js/record-capture.js`) runs in an isolated
world of every frame of the recording's page (DevTools: `Page.addScriptToEvaluateOnNewDocument`
with a world name, and a binding only that world has): the page's own scripts can neither
see it nor call it. It describes each click as it happens, before the page acts on it (the
page may navigate away at once), and lets it through unchanged. A click (or Space, or Enter)
on a switch or a checkbox is not let through, so nothing is changed while recording: it ends
the recording, and becomes the flow's switch.

What a click becomes (`Recording.flow_data`). Each target's alternatives are the ones a
careful author writes, best first, each checked in the page to find exactly the clicked
element: hooks that are the same in every language (the link's path, `aria-labelledby`, ids
that do not look made up, test ids, a menu button's place in the page), then its role and
accessible name in the page's language. A name that holds an image's words (a member's photo
is named after them) is matched without them: no one's name goes into a flow. The switch's
alternatives are checked again by Playwright's own engine, the one the runner uses. A click
that closes a pop-up becomes one of the flow's `overlays`. Every step gets a title in words.

The flow is written back in the flow language (`flow.writer`) and loaded before it is kept.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from optout_bot.authoring.skeleton import flow_id_for, login_pattern, scrub, shorten
from optout_bot.base import words
from optout_bot.base.urls import origin_of
from optout_bot.base.words import normalise
from optout_bot.engine import pagejs
from optout_bot.engine.suggest import TEST_ID_ATTRIBUTES, generated_id_pattern
from optout_bot.flow.model import ONE_SETTING_FORMAT
from optout_bot.flow.patterns import literal

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Page

_CAPTURE_JS = pagejs.load("optout_bot.authoring", "record-capture.js")

#: The words a settings list shows after a setting's name for its state ("... On"): left out
#: of a recorded name, which must still match once the state has changed.
STATE_WORDS = (
    r"\s+(on|off|enabled|disabled|an|aus|ein|activé|désactivé|activado|desactivado|"
    r"attivo|disattivo|aan|uit)$"
)

#: How long the recorder waits for the person's next click before it looks whether the
#: window is still open and the recording's time is up.
_PUMP_MS = 250


class RecordingEnded(Exception):
    """The recording ended without a switch (the window closed, the time ran out)."""


@dataclass
class Click:
    """One click the person made, as the page described it."""

    alternatives: list[dict[str, str]]
    role: str
    name: str
    tag: str
    url: str
    expands: bool = False
    #: the pop-up it was in: {"alternatives", "role", "name"}
    dialog: dict[str, Any] | None = None

    @property
    def closes(self) -> bool:
        """A click on a pop-up's close button (named as one, or nameless)."""
        return self.dialog is not None and (not self.name or words.closes(normalise(self.name)))

    def refusal(self) -> str:
        """Why a run would refuse this click (it reads as delete, sign out, pay, ...)."""
        found = words.denial(normalise(self.name), social=self.role != "link")
        return f"'{found.word}' reads as {found.category.reads_as}" if found else ""

    @classmethod
    def of(cls, message: dict[str, Any]) -> Click:
        page = message.get("page") or {}
        dialog = message.get("dialog")
        return cls(
            alternatives=_alternatives(message.get("alternatives")),
            role=str(message.get("role") or ""),
            name=scrub(str(message.get("name") or "")),
            tag=str(message.get("tag") or ""),
            url=str(page.get("url") or ""),
            expands=bool(message.get("expands")),
            dialog=dialog if isinstance(dialog, dict) else None,
        )

    def title(self) -> str:
        """What the step does, in words."""
        name = shorten(self.name, 80)
        if not name:
            return f"Click the {self.role or self.tag or 'element'}"
        if self.expands:
            return f'Open the "{name}" menu'
        if self.role == "link":
            return f'Open "{name}"'
        if self.role == "tab":
            return f'Open the "{name}" tab'
        return f'Click "{name}"'


def _alternatives(value: object) -> list[dict[str, str]]:
    """The page's alternatives, as plain {key: text} mappings (a page may send anything)."""
    out: list[dict[str, str]] = []
    if not isinstance(value, list):
        return out
    for item in value[:12]:
        if (
            isinstance(item, dict)
            and item
            and all(isinstance(k, str) and isinstance(v, str) for k, v in item.items())
        ):
            out.append(dict(item))
    return out


@dataclass
class Recording:
    """What the person did, from the start URL to the switch."""

    start_url: str
    platform: str
    clicks: list[Click] = field(default_factory=list)
    switch: Click | None = None
    #: the switch's state when it was clicked ("on", "off" or "unknown")
    state: str = "unknown"
    site: str = ""
    heading: str = ""
    signed_in: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def steps(self) -> list[Click]:
        """The clicks that lead to the switch: the ones that closed a pop-up are the flow's
        `overlays`, not steps."""
        return [c for c in self.clicks if not c.closes]

    def overlays(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for click in self.clicks:
            dialog = click.dialog
            if not click.closes or not dialog or not click.alternatives:
                continue
            appears = _alternatives(dialog.get("alternatives"))
            name = scrub(str(dialog.get("name") or ""))
            role = "alertdialog" if dialog.get("role") == "alertdialog" else "dialog"
            if name and {"role": role, "name": name} not in appears:
                appears.append({"role": role, "name": name})
            if not appears:
                appears = [{"css": f'[role="{role}"]'}]
            overlay = {"appears": appears, "dismiss": click.alternatives}
            if overlay not in out:
                out.append(overlay)
        return out

    def flow_data(
        self, *, flow_id: str | None, wanted: str, today: datetime.date
    ) -> dict[str, Any]:
        """The recording as flow data (`flow.writer.dump_data` writes it)."""
        if self.switch is None:
            raise RecordingEnded("no switch was clicked")
        setting_url = self.switch.url
        host = urlsplit(setting_url).hostname or "site"
        origins = list(
            dict.fromkeys(
                origin_of(u)
                for u in (self.start_url, *(c.url for c in self.clicks), setting_url)
                if u.startswith("https://")
            )
        )
        origin = origin_of(setting_url)
        label = shorten(self.switch.name, 500) or "the switch"
        setting = shorten(scrub(self.heading), 500) or label
        ident = flow_id or flow_id_for(host)
        site = shorten(scrub(self.site), 200) or _from_host(host)
        steps: list[dict[str, Any]] = [
            {"goto": self.start_url, "title": f"Open {_shown(self.start_url)}"}
        ]
        steps += [{"click": c.alternatives, "title": c.title()} for c in self.steps()]
        path = urlsplit(setting_url).path
        if _without_fragment(setting_url) != _without_fragment(self.start_url):
            steps.append(
                {"expect_url": literal(path), "title": "Check that the setting's page opened"}
            )
        data: dict[str, Any] = {
            "format": ONE_SETTING_FORMAT,
            "id": ident,
            "site": site,
            "setting": setting,
            "category": "ai-training",
            "description": f"{setting}: recorded with optout-bot record on {today.isoformat()}.",
            "version": "0.1.0",
            "last_verified": today.isoformat(),
            "ui_variant": f"{self.platform} pages as recorded on {today.isoformat()}",
            "platforms": [self.platform],
            "allowed_origins": origins,
            "setting_url": {self.platform: setting_url},
            "login": {
                "url": f"{origin}/login",
                "logged_out_urls": [login_pattern(origin, path).pattern],
                "security_check_urls": [],
                "signed_in": self.signed_in or [{"css": "body"}],
            },
            "switch": {"label": label, "target": self.switch.alternatives, "wanted": wanted},
            "navigate": {self.platform: steps},
        }
        if overlays := self.overlays():
            data["overlays"] = overlays
        return data


def site_name(page: dict[str, Any]) -> str:
    """The site's name as the page gives it: its `og:site_name` (or `application-name`),
    else the last part of its title ("Settings | LinkedIn" -> "LinkedIn")."""
    named = str(page.get("site") or "").strip()
    if named:
        return named
    title = str(page.get("title") or "")
    parts = [p.strip() for p in re.split(r"\s[|–—-]\s", title) if p.strip()]
    return parts[-1] if len(parts) > 1 and len(parts[-1]) <= 40 else ""


def _from_host(host: str) -> str:
    """``www.example.co`` -> ``Example``."""
    return flow_id_for(host)[: -len("-ai-training")].split("-")[0].capitalize()


def _shown(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or ''}{parts.path}"


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")


#: The header of a recorded flow file.
HEADER = """\
# Recorded by `optout-bot record` on {today} from
# {start}
# Check the login section (a guess), then: optout-bot verify ./{file}
"""


class Recorder:
    """Watches one page for the person's clicks (see the module docstring)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.messages: list[dict[str, Any]] = []
        self.ready = False
        self._binding = f"__optoutRecord_{secrets.token_hex(8)}"
        self._world = f"optout-bot-recorder-{secrets.token_hex(4)}"
        self._cdp: CDPSession | None = None

    def start(self) -> None:
        """Watch every document the page loads from now on (the start URL included)."""
        cdp = self.page.context.new_cdp_session(self.page)
        self._cdp = cdp
        cdp.on("Runtime.bindingCalled", self._on_binding)
        cdp.send("Page.enable")
        cdp.send("Runtime.enable")
        cdp.send("Runtime.addBinding", {"name": self._binding, "executionContextName": self._world})
        args = {
            "binding": self._binding,
            "generated": generated_id_pattern(),
            "testIds": list(TEST_ID_ATTRIBUTES),
            "stateWords": STATE_WORDS,
        }
        source = f"({_CAPTURE_JS})({json.dumps(args)});"
        cdp.send(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": source, "worldName": self._world, "runImmediately": True},
        )

    def _on_binding(self, event: dict[str, Any]) -> None:
        if event.get("name") != self._binding:
            return
        try:
            message = json.loads(str(event.get("payload") or ""))
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if message.get("kind") == "ready":
            self.ready = True
            return
        self.messages.append(message)

    def wait_until_ready(self, deadline: float) -> None:
        while not self.ready:
            self._pump(deadline)

    def next_message(self, deadline: float) -> dict[str, Any]:
        """The next click the person made (bounded by `deadline`, a monotonic time)."""
        while not self.messages:
            self._pump(deadline)
        return self.messages.pop(0)

    def _pump(self, deadline: float) -> None:
        """Let Playwright deliver the page's messages for a moment; `RecordingEnded` once
        the window is closed or the time is up."""
        from playwright.sync_api import Error as PWError
        from playwright.sync_api import TimeoutError as PWTimeout

        left = deadline - time.monotonic()
        if left <= 0:
            raise RecordingEnded("the recording's time ran out before a switch was clicked")
        if self.page.is_closed():
            raise RecordingEnded("the window was closed before a switch was clicked")
        try:
            self.page.wait_for_event("close", timeout=min(_PUMP_MS, left * 1000))
        except PWTimeout:
            return
        except PWError:
            pass
        raise RecordingEnded("the window was closed before a switch was clicked")


def record(
    page: Page,
    url: str,
    *,
    platform: str,
    max_seconds: float,
    timeout_ms: int,
    on_ready: Callable[[], None] = lambda: None,
    on_click: Callable[[Click], None] = lambda _c: None,
) -> Recording:
    """Open `url` in `page` and record the person's clicks until they click a switch."""
    from optout_bot.authoring.inspect import signed_in_guess
    from optout_bot.engine import switch as switches

    recorder = Recorder(page)
    recorder.start()
    deadline = time.monotonic() + max_seconds
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    recorder.wait_until_ready(time.monotonic() + timeout_ms / 1000)
    recording = Recording(start_url=url, platform=platform)
    recording.signed_in = signed_in_guess(page, every=True)
    on_ready()
    while True:
        message = recorder.next_message(deadline)
        click = Click.of(message)
        if message.get("kind") != "switch":
            if refusal := click.refusal():
                recording.notes.append(
                    f"the click on {click.name!r} was left out: {refusal}, and optout-bot "
                    "never does those"
                )
                continue
            if not click.alternatives:
                what = repr(click.name) if click.name else f"a {click.role or click.tag}"
                recording.notes.append(
                    f"the click on {what} at {click.url} could not be told apart from the "
                    "page's other elements; it was left out"
                )
                continue
            recording.clicks.append(click)
            on_click(click)
            continue
        page_facts = message.get("page") or {}
        recording.site = site_name(page_facts)
        recording.heading = str(page_facts.get("heading") or "")
        click.alternatives = confirmed(page, click.alternatives)
        recording.switch = click
        if click.alternatives:
            recording.state = switches.read_state(_locator_of(page, click), timeout_ms)
        return recording


def _locator_of(page: Page, click: Click) -> Any:
    from optout_bot.engine.locators import to_playwright
    from optout_bot.flow.loader import as_locator

    return to_playwright(page, as_locator(click.alternatives[0])).first


def confirmed(page: Page, alternatives: list[dict[str, str]]) -> list[dict[str, str]]:
    """The alternatives that Playwright's own engine (the runner's) also finds exactly the
    element with: the one the page's check found for the first of them."""
    from playwright.sync_api import Error as PWError

    from optout_bot.engine.locators import to_playwright
    from optout_bot.engine.suggest import verified
    from optout_bot.flow.loader import as_locator

    for anchor in alternatives:
        try:
            found = to_playwright(page, as_locator(anchor))
            if found.count() != 1:
                continue
            handle = found.element_handle(timeout=2_000)
        except (PWError, ValueError):  # a page's alternative the loader would refuse
            continue
        try:
            return verified(page.main_frame, alternatives, handle)
        finally:
            handle.dispose()
    return []
