"""`optout-bot inspect`: what a flow author needs to know about a settings page.

Opens nothing and clicks nothing itself: `inspect_page` is given a page (in the member's own
session), lets it settle, and lists every switch, checkbox and radio on it -- including those
in open shadow roots and same-origin iframes -- with its role, accessible name, state (read
by `switch.read_state`, three-way), tag and type, and the attributes a flow can rely on. An
id that looks generated (``ember123``, React's ``:r1:``, long hex) and class names change
between page loads or builds, so they are only mentioned as warnings.

For each control it suggests locators in the flow's own syntax, best first: CSS on
language-independent hooks (``aria-labelledby``, ``data-testid``, a stable id or name), then
``role`` + exact ``name``, then ``label`` (`engine/suggest.py`, which a broken run's
diagnosis shares). Every suggestion is first put to the flow loader's own check
(`flow.loader.as_locator`), so none is something a flow may not hold (CSS cannot find a
control by the text beside it: only Playwright's ``:text-is()`` could, and a flow's CSS is
plain CSS); then it is resolved on the page with `locators.to_playwright`, exactly as a
flow's would be, and kept only when it finds exactly one element and that element is this
control.

Then it writes a flow skeleton for the likeliest AI-training switch that `load_flow_text`
accepts as it is, with TODO comments where a person has to look (`skeleton`, from a
template). The page-side halves are JavaScript in `authoring/js/inspect-*.js`.

Privacy: it reads no cookies, storage or form values; of a control it reads only its checked
state and its markup's attributes, and of the page its title and headings.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from optout_bot.authoring.skeleton import (
    locator_yaml,
    login_pattern,
    shorten,
    skeleton,
    strip_fragment,
)
from optout_bot.base.urls import origin_of
from optout_bot.engine import pagejs, switch
from optout_bot.engine.suggest import css_string, looks_generated, suggestions, verified
from optout_bot.flow.loader import FlowErrors, load_flow_text
from optout_bot.flow.model import Platform, SwitchState

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Frame, JSHandle, Page

#: Everything inspected: switch-like controls as the switch engine sees them, and radios.
CONTROLS_CSS = ", ".join(
    (
        switch.SWITCHY_CSS,
        "input[type='radio']:not([aria-hidden='true'])",
        "[role='radio']:not([aria-hidden='true'])",
    )
)

#: Attributes read from each control; which of them a flow may rely on is decided below.
_READ_ATTRIBUTES = (
    "id",
    "name",
    "aria-labelledby",
    "data-testid",
    "data-test-id",
    "role",
    "type",
    "class",
)

#: Words in a control's name that point at AI training (English, and German "KI").
_AI_WORDS_CASED = re.compile(r"\b(?:AI|KI|ML|LLMs?|GenAI)\b")
_AI_WORDS = re.compile(
    r"generativ|train|model|machine learning|artificial intelligence|künstliche|improve"
    r"|verbesser",
    re.IGNORECASE,
)

#: Elements that only a signed-in page usually shows, for the skeleton's `signed_in` (each
#: must be visible on the inspected page to be offered).
_SIGNED_IN_GUESSES = (
    'a[href*="logout" i], a[href*="signout" i], a[href*="sign-out" i], a[href*="log-out" i]',
    "header button[aria-expanded]:has(img)",
    "header [aria-haspopup]:has(img), nav [aria-haspopup]:has(img)",
)

# The page-side halves, in authoring/js/inspect-*.js (see each file for what it takes and gives).
_COLLECT_JS = pagejs.load("optout_bot.authoring", "inspect-collect.js")
_INFO_JS = pagejs.load("optout_bot.authoring", "inspect-controls.js")
_INDEX_JS = pagejs.load("optout_bot.authoring", "inspect-index-of.js")
_PAGE_JS = pagejs.load("optout_bot.authoring", "inspect-page.js")
_ORIGIN_JS = pagejs.load("optout_bot.authoring", "inspect-origin.js")


@dataclass
class Control:
    """One switch, checkbox or radio on the page, as `inspect_page` found it."""

    index: int
    role: str
    name: str
    #: where the name comes from: aria-labelledby, aria-label, label, content, title, or
    #: "nearby text" (the control has no name of its own); "" when there is none
    name_from: str
    state: SwitchState
    tag: str
    type: str
    #: the attributes a flow may rely on (no generated ids, no class names)
    attributes: dict[str, str]
    #: verified locators in the flow's syntax, best first
    suggestions: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the iframe's URL when the control is in one (None: the page itself)
    frame: str | None = None
    visible: bool = True

    @property
    def element(self) -> str:
        return self.tag + (f"[type={self.type}]" if self.type else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "role": self.role,
            "name": self.name,
            "name_from": self.name_from,
            "state": self.state,
            "tag": self.tag,
            "type": self.type,
            "visible": self.visible,
            "frame": self.frame,
            "attributes": self.attributes,
            "suggestions": self.suggestions,
            "warnings": self.warnings,
        }


@dataclass
class Inspection:
    """What `inspect_page` found: the page, its controls, and a flow skeleton."""

    url: str
    final_url: str
    title: str
    heading: str
    platform: Platform
    controls: list[Control]
    #: index into `controls` of the likeliest AI-training switch (None: no control at all)
    chosen: int | None
    skeleton: str
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "title": self.title,
            "heading": self.heading,
            "platform": self.platform,
            "controls": [c.to_json() for c in self.controls],
            "chosen": self.chosen,
            "notes": self.notes,
            "skeleton": self.skeleton,
        }


# -- the page ------------------------------------------------------------------------------------


def settle(page: Page, timeout_ms: int) -> None:
    """Wait (bounded) for the page to load, its network to go quiet, and a control to show
    up (settings pages often render their switches by script after load)."""
    from playwright.sync_api import Error as PWError

    quiet_ms = min(timeout_ms, 5_000)
    try:
        page.wait_for_load_state("load", timeout=timeout_ms)
    except PWError:
        pass  # still loading something (a stalled image): inspect what is there
    try:
        page.wait_for_load_state("networkidle", timeout=quiet_ms)
    except PWError:
        pass  # a page that keeps a connection open never goes idle: inspect it anyway
    try:
        page.locator(CONTROLS_CSS).first.wait_for(state="attached", timeout=quiet_ms)
    except PWError:
        pass


def inspect_page(
    page: Page,
    url: str | None = None,
    *,
    platform: Platform = "desktop",
    timeout_ms: int = 15_000,
    today: datetime.date | None = None,
) -> Inspection:
    """Open `url` (or take the page as it is), let it settle and inspect it. Read-only."""
    if url is not None:
        page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    settle(page, timeout_ms)
    requested = url or page.url
    notes: list[str] = []
    info = page.evaluate(_PAGE_JS)
    controls = _controls(page, timeout_ms, notes)
    chosen = choose(controls)
    final_url = page.url
    # The setting's URL is where the page ended up (a canonical form of the URL asked for),
    # unless that is a sign-in page.
    setting_url = final_url
    if strip_fragment(final_url) != strip_fragment(requested):
        signed_out = bool(login_pattern(origin_of(final_url), "").search(final_url))
        notes.append(
            f"the page moved to {final_url}"
            + (
                ": that looks like a sign-in page. Sign in to the site in this browser "
                "profile first (or attach to your own browser with --cdp)"
                if signed_out
                else ""
            )
        )
        if signed_out:
            setting_url = requested
    text = skeleton(
        setting_url,
        controls[chosen] if chosen is not None else None,
        heading=info["heading"] or info["title"],
        site_name=info["siteName"],
        platform=platform,
        signed_in=signed_in_guess(page),
        today=today or datetime.date.today(),
    )
    try:
        load_flow_text(text, "<skeleton>")
    except FlowErrors as errors:  # a bug of ours: say so rather than hand out a broken file
        notes.append(f"the skeleton does not validate (please report this): {errors}")
    if not controls:
        notes.append(
            "no switch, checkbox or radio on this page: is it the setting's own page, and "
            "are you signed in? The skeleton's switch target is a placeholder"
        )
    return Inspection(
        url=requested,
        final_url=final_url,
        title=info["title"],
        heading=info["heading"],
        platform=platform,
        controls=controls,
        chosen=chosen,
        skeleton=text,
        notes=notes,
    )


def _controls(page: Page, timeout_ms: int, notes: list[str]) -> list[Control]:
    origin = page.evaluate(_ORIGIN_JS)
    out: list[Control] = []
    skipped: list[str] = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        if frame is not page.main_frame:
            try:
                same = frame.evaluate(_ORIGIN_JS) == origin and origin != "null"
            except Exception:  # noqa: BLE001 - the frame went away meanwhile
                continue
            if not same:
                skipped.append(frame.url)
                continue
        where = None if frame is page.main_frame else frame.url
        out.extend(_frame_controls(frame, where, len(out), timeout_ms))
    if skipped:
        notes.append(
            f"{len(skipped)} cross-origin iframe(s) not inspected (a flow cannot reach into "
            "them either): " + ", ".join(sorted(set(skipped)))
        )
    return out


def _frame_controls(frame: Frame, where: str | None, start: int, timeout_ms: int) -> list[Control]:
    array = frame.evaluate_handle(_COLLECT_JS, CONTROLS_CSS)
    handles: list[ElementHandle] = []
    props: dict[str, JSHandle] = {}
    try:
        infos: list[dict[str, Any]] = frame.evaluate(_INFO_JS, [array, list(_READ_ATTRIBUTES)])
        props = array.get_properties()
        for i in range(len(infos)):
            element = props[str(i)].as_element()
            assert element is not None
            handles.append(element)
        everything = frame.locator(CONTROLS_CSS)
        positions: list[int] = everything.evaluate_all(_INDEX_JS, array)
        controls = []
        for i, (info, handle, position) in enumerate(zip(infos, handles, positions, strict=True)):
            state: SwitchState = "unknown"
            if position >= 0:
                state = switch.read_state(everything.nth(position), min(timeout_ms, 5_000))
            control = _control(start + i, info, state, where)
            control.suggestions = verified(frame, suggestions(info), handle)
            if not control.suggestions:
                control.warnings.append(
                    "no locator finds exactly this control: ask the site for an id or a "
                    "label, or reach it through its row's attributes in a css selector of "
                    "your own"
                )
            if where is not None:
                control.warnings.append(
                    f"inside an iframe ({where}): a flow's locators do not reach into frames; "
                    "use the frame's URL as setting_url so the control is on the page itself"
                )
            controls.append(control)
        return controls
    finally:
        leftovers: list[JSHandle] = [*handles, *props.values(), array]
        for leftover in leftovers:
            _dispose(leftover)


def _dispose(handle: JSHandle) -> None:
    try:
        handle.dispose()
    except Exception:  # noqa: BLE001 - the page may be gone; nothing to free then
        pass


def _control(index: int, info: dict[str, Any], state: SwitchState, where: str | None) -> Control:
    raw: dict[str, str] = info["attrs"]
    stable: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in raw.items():
        if key == "class":
            if value.strip():
                warnings.append(
                    f'class="{shorten(value, 80)}": class names change between builds of a '
                    "site, so no suggestion uses them"
                )
        elif key == "id" and looks_generated(value):
            warnings.append(
                f'id="{value}" looks generated (it changes between page loads), so no '
                "suggestion uses it"
            )
        elif key == "aria-labelledby" and any(looks_generated(i) for i in value.split()):
            warnings.append(
                f'aria-labelledby="{value}" names generated ids, so no suggestion uses it'
            )
        elif key == "name" and looks_generated(value):
            warnings.append(f'name="{value}" looks generated, so no suggestion uses it')
        elif value.strip():
            stable[key] = value
    if "aria-labelledby" in stable and not info["labelledbyResolves"]:
        warnings.append(f'aria-labelledby="{stable["aria-labelledby"]}" names no element here')
    name, name_from = info["name"], info["nameFrom"]
    near = info.get("near")
    if not name and near and near["text"]:
        name, name_from = near["text"], "nearby text"
        warnings.append(
            "it has no accessible name of its own (no label or aria-label): the name shown "
            "is the nearest text in its row"
        )
    elif not name:
        warnings.append("it has no accessible name, and no text nearby")
    return Control(
        index=index,
        role=info["role"],
        name=name,
        name_from=name_from,
        state=state,
        tag=info["tag"],
        type=info["type"],
        attributes=stable,
        warnings=warnings,
        frame=where,
        visible=bool(info["visible"]),
    )


# -- the skeleton's switch --------------------------------------------------------------------


def choose(controls: list[Control]) -> int | None:
    """The likeliest AI-training switch: by words in its name, then switches before other
    controls, the page itself before iframes, and locatable before not; else the first."""
    if not controls:
        return None

    def score(c: Control) -> tuple[int, int, int, int, int]:
        words = len(_AI_WORDS_CASED.findall(c.name)) + len(_AI_WORDS.findall(c.name))
        return (
            min(words, 3),
            c.role == "switch",
            c.frame is None,
            bool(c.suggestions),
            -c.index,
        )

    return max(controls, key=score).index


# -- the skeleton's guesses ---------------------------------------------------------------------


def signed_in_guess(page: Page, every: bool = False) -> list[dict[str, str]]:
    """The first guess at what only a signed-in page shows that this page shows (`every`:
    each of them)."""
    from playwright.sync_api import Error as PWError

    out: list[dict[str, str]] = []
    for css in _SIGNED_IN_GUESSES:
        try:
            if page.locator(css).first.is_visible():
                out.append({"css": css})
        except PWError:
            continue
        if out and not every:
            break
    return out


# -- output ---------------------------------------------------------------------------------------


def render_text(result: Inspection) -> str:
    """The human report: a table of controls with their details, then the skeleton."""
    lines = [f"inspected {result.final_url}"]
    if result.heading or result.title:
        lines.append(f"page: {result.heading or result.title}")
    for note in result.notes:
        lines.append(f"note: {note}")
    lines.append("")
    if not result.controls:
        lines.append("no switch, checkbox or radio found")
    else:
        rows = [("", "#", "ROLE", "STATE", "ELEMENT", "NAME")]
        for c in result.controls:
            rows.append(
                (
                    "*" if c.index == result.chosen else "",
                    str(c.index + 1),
                    c.role or "-",
                    c.state,
                    c.element,
                    shorten(c.name, 70)
                    + (" (nearby text)" if c.name_from == "nearby text" else ""),
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

        def row(cells: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        lines.append(row(rows[0]))
        pad = " " * (widths[0] + widths[1] + 4)
        for c, cells in zip(result.controls, rows[1:], strict=True):
            lines.append(row(cells))
            if c.frame:
                lines.append(f"{pad}in iframe: {c.frame}")
            if not c.visible:
                lines.append(f"{pad}not visible (no box on the page)")
            shown = " ".join(f"{k}={css_string(v)}" for k, v in c.attributes.items())
            lines.append(f"{pad}stable attributes: {shown or '(none)'}")
            for warning in c.warnings:
                lines.append(f"{pad}warning: {warning}")
            if c.suggestions:
                lines.append(f"{pad}locators (verified: each finds exactly this control):")
                for s in c.suggestions:
                    lines.extend(locator_yaml(s, pad + "  "))
            lines.append("")
        if result.chosen is not None:
            lines.append("* the likeliest AI-training switch: the skeleton below is for it")
    lines += ["", "# ---- flow skeleton: save it as a .yaml file " + "-" * 40, result.skeleton]
    return "\n".join(lines)
