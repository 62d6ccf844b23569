"""Guards for flows that came from strangers.

A shared flow file must never be able to post, message, pay, delete, or sign the member out.
The flow language has no typing, no scripts and no file paths (the loader refuses them); what
is left is *where a click lands*, *which switch is set*, and *where the page goes*. Three
judges, one vocabulary (`words.py`: English and German word stems in five categories --
destructive, sign-out, money, social, consent -- matched after Unicode folding):

- `click_refusal`, before every click (flow `click` and `dismiss_if_present` steps, overlay
  close buttons). It judges what the click acts on, not only the element the flow named: the
  nearest element that acts (the element, or the button / link / label / ARIA widget it sits
  in: an icon inside a "Delete" button is the button), every acting ancestor above it, and a
  label's control. It reads all they say, hidden or not: every text node of the subtree
  (open shadow roots too), ::before / ::after content, aria-label, aria-labelledby, title,
  value and placeholder -- a superset of the accessible name the browser computes -- and the
  visible text once more with invisible filler left out, so neither a word split by hidden
  text ("De<span hidden>x</span>lete") nor one buried under filler goes unseen. Nothing is
  cut: an element with more text than any name (`MAX_CHARS`) is refused unread. One
  exception, on purpose: an image's alt text is read only when the element has no other text,
  since the Me button holds the member's photo, whose alt is their name, and a name is not an
  action (an icon button whose only name is its image's alt is still read). A second, on
  purpose too: a link that leads to a page (inside nothing else that acts) is a navigation,
  judged without the social words -- privacy settings are named "Data
  sharing with select partners" -- while every button, form control and script-only link is
  judged by them all (posting, sending, following take one of those). Then the kind of
  element: a flow's clicks go to links, menu items, tabs, disclosure buttons (aria-expanded,
  aria-haspopup, <summary>) and a dialog's close button; anything else needs the step to say
  why (`because:`), and is still refused when it reads as a denied action.
- `switch_refusal`, whenever the switch is found (before it is read, so a verify checks it
  too, and after the reload): its control must be a switch or a checkbox (not a toggle button
  such as Follow), its name on the page must be one the flow declares (see
  `SwitchSpec.label`), and it must not read as a denied action ("Delete my account"); the
  social words count only for a flow that wants the switch on: switching "Share my data
  with select partners" off is an opt-out, switching it on is the sharing.
- `url_refusal`, at the engine's navigation boundary, before any request is sent.

Why the page is read the way it is (speed): one script per click (the page call 'guard-
click', `js/guard-lib.js`), behind one function, `read_click`. When the flow's alternative
is plain CSS that provably finds what Playwright finds (`locators.plain_css`, `js/native-
css.js`) it is asked in the same `page.evaluate` that found the element (`CLICK_QUESTION`,
see pagecalls.py), or in one of its own, which installs nothing; otherwise on the locator
(`Locator.evaluate`), whose first call on a new page also installs Playwright's selector
script in the page's world (tens of milliseconds). The switch's facts come through
`switch.Probe` (`judge`), the same way as its reads. Measured on a fresh replica page per
click, 20 rounds alternated, under a load average of about 10 on 2 cores: the whole new
guard (read and judge) took 11 ms on the Me button and 14 ms on a link, against 13 and 10 ms
for the old one (the element's own text and three attributes through Playwright's isolated
world, and a deny list): the median paired difference was 0 ms on the Me button and +3 ms on
the link. The switch's facts cost about 15 ms per find (twice a run). Section 6 of
BENCHMARKS.md has `read_click` against the same script on the locator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from optout_bot.base import words
from optout_bot.engine import pagecalls

if TYPE_CHECKING:
    from optout_bot.engine.locators import Found
    from optout_bot.flow.model import SwitchSpec

#: Must agree with GUARD_MAX_CHARS in js/guard-lib.js (beyond it the page stops reading).
MAX_CHARS = 20_000
#: The click guard's question, asked where the element is found (`locators.find`'s `ask`).
CLICK_QUESTION = pagecalls.ask("guard-click")


@dataclass(frozen=True)
class Element:
    """An element that acts, as the page script describes it."""

    tag: str
    role: str = ""
    type: str = ""
    href: bool = False
    #: a link that leads to a page (not "#..." or "javascript:"): its click is a navigation
    navigates: bool = False
    expanded: bool = False
    popup: bool = False
    dialog: bool = False
    name: str = ""
    #: the switch's kind (switch facts only; see js/switch-facts.js)
    kind: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> Element:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def describe(self) -> str:
        """'button 'Delete'', 'link 'Data privacy'', 'checkbox', for a reason line."""
        what = self.role or ("link" if self.tag in ("a", "area") else self.tag)
        if self.tag == "input" and self.type and not self.role:
            what = f"{self.type} input" if self.type not in ("checkbox", "radio") else self.type
        return f"{what} {shown(self.name)}" if self.name.strip() else what


_RIGHT_TO_LEFT = re.compile("[\u202b\u202e\u2067]")


@dataclass(frozen=True)
class Reading:
    """Everything the acting elements say (see js/guard-lib.js's guardRead)."""

    every: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    alts: list[str] = field(default_factory=list)
    chars: int = 0

    @classmethod
    def of(cls, data: dict[str, Any]) -> Reading:
        return cls(
            list(data.get("every", [])),
            list(data.get("seen", [])),
            list(data.get("names", [])),
            list(data.get("alts", [])),
            int(data.get("chars", 0)),
        )

    def texts(self) -> list[str]:
        """The readings to judge, normalised: every piece on its own and all together, the
        seen text joined (a word split by hidden filler is whole there), the names; the
        images' alt text only when nothing else names the element (see the module)."""
        raw = [*self.every, *self.names]
        # Right-to-left overrides and embeddings show the characters reversed: read both ways.
        raw += [t[::-1] for t in raw if _RIGHT_TO_LEFT.search(t)]
        pieces = [p for p in (words.normalise(t) for t in raw) if p]
        out = [*pieces, " ".join(pieces), words.normalise("".join(self.seen))]
        if not any(re.search(r"\w", p) for p in pieces):  # no word of its own but the alt
            out += [words.normalise(a) for a in self.alts]
        return [t for t in out if t]


def shown(name: str, limit: int = 60) -> str:
    """A page's name, quoted for a reason line: format characters dropped (a right-to-left
    override must not turn the line around), whitespace collapsed, long names cut."""
    return repr(plain(name, limit))


def plain(name: str, limit: int = 60) -> str:
    """A page's name as `shown` cleans it, unquoted (for words a person reads: a question)."""
    text = "".join(ch for ch in name if ch.isprintable() or ch == " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _denied(reading: Reading, *, social: bool = True) -> words.Denial | None:
    """The first denied wording in what the elements say; without `social`, by every
    category but the social words."""
    for text in reading.texts():
        found = words.denial(text, social=social)
        if found is not None:
            return found
    return None


def _never(denial: words.Denial) -> str:
    return f"'{denial.word}' reads as {denial.category.reads_as}, and optout-bot never does those"


# -- clicks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    """What a click on the flow's element would act on (see js/guard-lib.js's
    guardJudgeClick)."""

    #: the tag of the element the flow named, when it is inside the one that acts ("svg")
    target: str
    actor: Element
    #: acting ancestors above it, and a label's control
    also: tuple[Element, ...]
    reading: Reading
    #: the control a label clicks, when the actor is a label
    control: Element | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> Click:
        return cls(
            str(data.get("target") or ""),
            Element.of(data["actor"]),
            tuple(Element.of(a) for a in data.get("also", [])),
            Reading.of(data["reading"]),
            Element.of(data["control"]) if data.get("control") else None,
        )

    def describe(self) -> str:
        what = self.actor.describe()
        if self.target:
            what += f" (a <{self.target}> inside it was the target)"
        if self.control is not None:
            what += f", which clicks {self.control.describe()}"
        return what


def read_click(found: Found, timeout_ms: int = 5_000) -> Click:
    """Read what a click on `found` would act on: the answer the finder brought along, else
    one round trip (see the module)."""
    from optout_bot.engine.locators import plain_css

    call = CLICK_QUESTION[0]
    data: Any = (found.answers or {}).get(call, pagecalls.NEXT)
    css = plain_css(found.source)
    if data == pagecalls.NEXT and css is not None:
        try:
            data = found.locator.page.evaluate(pagecalls.CALL_BY_CSS_JS, [css, call, []])
        except Exception:  # noqa: BLE001 - the locator's way says what is wrong
            data = pagecalls.NEXT
    if data == pagecalls.NEXT:
        data = found.locator.evaluate(pagecalls.CALL_ON_ELEMENT_JS, [call, []], timeout=timeout_ms)
    return Click.of(data)


#: The kinds of element a flow clicks without saying why.
ALLOWED = "links, menu items, tabs, disclosure buttons and a dialog's close button"


def _allowed(el: Element) -> bool:
    if (el.tag in ("a", "area") and el.href) or el.role in ("link", "menuitem", "tab"):
        return True
    button = el.role == "button" or (el.tag == "button" and not el.role) or el.tag == "summary"
    if button and (el.expanded or el.popup or el.tag == "summary"):
        return True
    return button and el.dialog and words.closes(words.normalise(el.name))


def click_refusal(click: Click, because: str | None = None) -> str | None:
    """Why the click must not be done (one line), or None. `because` is the step's stated
    reason for clicking something that is not a link, menu item, tab, disclosure button or
    a dialog's close button."""
    what = click.describe()
    if click.reading.chars > MAX_CHARS:
        return f"refused to click {what}: it holds more text than any name, so it cannot be judged"
    # A link that leads to a page, inside nothing else that acts, is a navigation: judged
    # without the social words (settings are named "Data sharing with partners"; posting,
    # sending or following takes a button or a form, which are judged by them all).
    navigation = click.actor.navigates and all(a.navigates for a in click.also)
    denial = _denied(click.reading, social=not navigation)
    if denial is not None:
        return f"refused to click {what}: {_never(denial)}"
    if not because and not _allowed(click.actor):
        return (
            f"refused to click {what}: a flow clicks {ALLOWED}; for anything else the step "
            "must say why (because: ...)"
        )
    return None


def refusal(text: str) -> str | None:
    """The words that make a click on an element reading `text` unsafe, if any."""
    found = words.denial(words.normalise(text))
    return found.word if found else None


# -- the switch -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SwitchFacts:
    """What the switch guard judges (see js/switch-facts.js)."""

    control: Element
    #: its name on the page, and where that came from (aria-labelledby, label, beside, ...)
    name: str
    source: str
    reading: Reading

    @classmethod
    def of(cls, data: dict[str, Any]) -> SwitchFacts:
        return cls(
            Element.of(data["control"]),
            str(data.get("name") or ""),
            str(data.get("from") or ""),
            Reading.of(data["reading"]),
        )


def _tokens(text: str) -> str:
    return " ".join(re.findall(r"\w+", words.normalise(text)))


def names_differ(name: str, label: str) -> bool:
    """Whether the page's name and the flow's label read differently (normalised words)."""
    return _tokens(name) != _tokens(label)


def names_match(name: str, spec: SwitchSpec) -> bool:
    """Whether the page's `name` for the switch is one the flow declares (see
    `SwitchSpec.label`): it holds the flow's label (normalised, whole words); or a role or
    label alternative of the target names both it and the flow's label (its name, or its
    regex: the label's translations), a regex that matches an empty name declaring nothing.
    A flow cannot relabel a switch: its label has to fit every name it declares."""
    page = _tokens(name)
    if not page:
        return False
    if f" {_tokens(spec.label)} " in f" {page} ":
        return True
    collapsed = re.sub(r"\s+", " ", name).strip()
    for alt in spec.target.alternatives:
        if alt.strategy not in ("role", "label"):
            continue
        exact = alt.name if alt.strategy == "role" else alt.value
        if alt.pattern is not None and not alt.pattern.search(""):
            if alt.pattern.search(collapsed) and alt.pattern.search(spec.label):
                return True
        elif exact is not None and _tokens(exact) == page == _tokens(spec.label):
            return True
    return False


def switch_refusal(facts: SwitchFacts, spec: SwitchSpec) -> str | None:
    """Why the element the flow calls its switch must be neither read as the setting nor set
    (one line), or None."""
    what = replace(facts.control, name=facts.name).describe()
    what = what if facts.name.strip() else f"the {what}"
    # Switched off, a social switch ("Share my data with select partners") is an opt-out,
    # the tool's purpose; switched on, it is the social action itself.
    denial = _denied(facts.reading, social=spec.wanted == "on")
    if denial is not None:
        return f"refused to read or set {what}: {_never(denial)}"
    if facts.control.kind == "toggle-button":
        return (
            f"refused to read or set {what}: it is a toggle button (aria-pressed), not a "
            "setting's switch or checkbox"
        )
    if facts.control.kind not in ("switch", "checkbox"):
        return f"refused to read or set {what}: it is not a switch or a checkbox"
    if not facts.name.strip():
        return (
            f"refused to read or set {what}: it has no name on the page to compare with the "
            f"flow's label {shown(spec.label)}"
        )
    if not names_match(facts.name, spec):
        return (
            f"refused to read or set the switch: the page names it {shown(facts.name)}, not "
            f"the flow's label {shown(spec.label)} nor a name its target declares"
        )
    return None


# -- navigation -------------------------------------------------------------------------------


def url_refusal(url: str) -> str | None:
    """The words that make navigating to `url` unsafe (sign-out, delete, pay, ...), if any;
    judged before any request is sent (`words.url_denial`)."""
    found = words.url_denial(url)
    return found.word if found else None
