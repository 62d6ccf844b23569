"""The evidence report: one self-contained HTML page (and a PDF of it) a person can attach to a
complaint.

`render_report(records, chain)` is pure: evidence records and the chain check in, a page out.
The page makes no requests at all. Its CSS is inline, every screenshot is embedded as a
``data:`` URI (after checking its sha256 against the record: a changed file is shown as
"altered", a vanished one as "missing"), the timeline is inline SVG, and a
Content-Security-Policy forbids anything else. It needs no script: the full-size view of a
screenshot is a CSS ``:target`` overlay. Everything that came from a web page or a flow file is
escaped.

`write_report` saves it atomically and private to the user; `write_pdf` prints the same HTML
with Chromium (A4, print CSS: a run's card never splits across pages).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from optout_bot import __version__
from optout_bot.base.files import private_output, write_private
from optout_bot.base.times import parse_time
from optout_bot.evidence.layout import FOLDER_TAIL, SHOT_TAIL, Layout

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
PDF_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
PDF_MARGIN = {"top": "14mm", "right": "12mm", "bottom": "16mm", "left": "12mm"}
#: A screenshot bigger than this is not embedded (the report would become unwieldy).
MAX_EMBED_BYTES = 40 * 1024 * 1024

# English names whatever the machine's locale: the report reads the same everywhere.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Record = Mapping[str, Any]


# ---- small helpers ---------------------------------------------------------------------------


def _e(value: object) -> str:
    """Escape for HTML text and attribute values (quotes included)."""
    return escape("" if value is None else str(value), quote=True)


def _tag(name: str, content: str = "", /, **attrs: object) -> str:
    """`<name attrs>content</name>`. Attribute values are escaped and empty ones left out
    (`cls` is `class`, `_` is `-`); `content` is HTML already."""
    parts = [name]
    for key, value in attrs.items():
        if value is None or value == "":
            continue
        attr = "class" if key == "cls" else key.replace("_", "-")
        parts.append(f'{attr}="{_e(value)}"')
    return f"<{' '.join(parts)}>{content}</{name}>"


def _text(record: Record, key: str, default: str = "") -> str:
    value = record.get(key)
    return default if value is None or value == "" else str(value)


def _short(value: object, n: int = 12) -> str:
    text = "" if value is None else str(value)
    return text[:n] + "…" if len(text) > n else text


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _date(dt: datetime) -> str:
    return f"{dt.day} {_MONTHS[dt.month - 1]} {dt.year}"


def _when(dt: datetime | None, *, seconds: bool = False) -> str:
    """`22 Nov 2026, 14:00 UTC`: the same on every machine, whatever its locale."""
    if dt is None:
        return "unknown time"
    clock = dt.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{_date(dt)}, {clock} UTC"


def _local(dt: datetime) -> str:
    """The same moment on the clock of the machine that made the report, when that differs."""
    local = dt.astimezone()
    offset = local.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        return ""
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    zone = local.tzname() or ""
    label = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    if zone and not zone.startswith(("UTC", "+", "-")):
        label = f"{zone}, {label}"
    day = "" if local.date() == dt.date() else f"{_date(local)} "
    return f"{day}{local.strftime('%H:%M')} local ({label})"


def _ago(dt: datetime, now: datetime) -> str:
    delta = now - dt
    if delta < timedelta(0):
        return "after this report was made"
    days = delta.days
    if days == 0:
        hours = int(delta.total_seconds() // 3600)
        if hours == 0:
            return "less than an hour before this report"
        return f"{hours} hour{'s' * (hours != 1)} before this report"
    if days < 60:
        return f"{days} day{'s' * (days != 1)} before this report"
    months = days // 30
    return f"about {months} months before this report"


def _duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None or end < start:
        return ""
    seconds = (end - start).total_seconds()
    if seconds < 60:
        return f"took {seconds:.0f} s"
    return f"took {seconds // 60:.0f} min {seconds % 60:.0f} s"


def _anchor(index: int) -> str:
    # Chain position, not the record's own id: ids come from a file and could repeat.
    return f"run-{index + 1}"


# ---- what the fields mean ----------------------------------------------------------------------

_STATE_WORD = {"on": "On", "off": "Off", "unknown": "Unknown"}

_STATUS_LABEL = {
    "ok": "Confirmed",
    "drift": "Not as wanted",
    "not_persisted": "Did not stick",
    "declined": "Declined",
    "confirmation_needed": "Needed a yes",
    "login_required": "Sign-in needed",
    "not_offered": "Not offered",
    "flow_broken": "Page changed",
    "error": "Error",
    "invalid": "Invalid input",
    "interrupted": "Interrupted",
}

_STATUS_TONE = {
    "ok": "good",
    "drift": "bad",
    "not_persisted": "bad",
    "flow_broken": "warn",
    "error": "warn",
    "invalid": "warn",
    "interrupted": "warn",
}

#: Timeline colours per tone (the CSS uses the same palette).
_TONE_COLOUR = {"good": "#2e8b57", "bad": "#cc3b30", "warn": "#d08a1e", "calm": "#8792a2"}

_MODE_LABEL = {"run": "Run: may change the setting", "verify": "Verify: read only"}
_PLATFORM_LABEL = {"desktop": "Desktop web", "mobile": "Mobile web"}
_SESSION_LABEL = {
    "profile": "optout-bot's own browser profile",
    "cdp": "the person's own browser (attached)",
}

_SHOT_LABEL = {
    "before": "Before",
    "after-change": "After the change",
    "after-reload": "After reloading",
    "login-required": "Sign-in page",
    "not-offered": "Setting not offered",
    "flow-broken": "Where the page differed",
}


def _state(record: Record, key: str) -> str:
    value = record.get(key)
    return value if value in _STATE_WORD else "unknown"


def _wanted(record: Record) -> str:
    value = record.get("wanted")
    return value if value in ("on", "off") else "off"


def _status(record: Record) -> str:
    return _text(record, "status", "unknown")


def _tone(record: Record) -> str:
    return _STATUS_TONE.get(_status(record), "calm")


def _state_tone(state: str, wanted: str) -> str:
    if state == "unknown":
        return "calm"
    return "good" if state == wanted else "bad"


def _explain(record: Record) -> str:
    """The status in a sentence a person without the source code understands."""
    status, mode = _status(record), _text(record, "mode")
    after, wanted = _state(record, "state_after"), _wanted(record)
    changed = record.get("changed") is True
    if status == "ok":
        if mode == "verify":
            return (
                f"Checked without changing anything: the setting is {after}, "
                f"and was still {after} after reloading the page."
            )
        if changed:
            return (
                f"optout-bot switched the setting {after}; after reloading the page "
                f"it was still {after}."
            )
        return f"The setting was already {after}, so nothing was clicked; a reload confirmed it."
    explanations = {
        "drift": (
            f"The setting was found {after} although it should be {wanted}: "
            "it was switched back, or the earlier change did not last."
        ),
        "not_persisted": (
            f"The switch was clicked, but after reloading the page the setting was {after}: "
            "the site did not keep the change."
        ),
        "declined": "The person was asked before anything was changed, and said no.",
        "confirmation_needed": (
            "Nothing was changed: the run needed a yes before clicking, and there was "
            "nobody to ask."
        ),
        "login_required": (
            "The browser was not signed in (or the site asked for a security check), "
            "so nothing was read or clicked."
        ),
        "not_offered": "The site does not offer this setting for this account.",
        "flow_broken": (
            "The page did not look as expected (the site may have changed its pages), "
            "so the setting could not be read reliably."
        ),
        "error": "An unexpected error stopped the check before it could finish.",
        "invalid": "The check could not start: its instructions (the flow) were invalid.",
        "interrupted": "The check was interrupted before it could finish.",
    }
    return explanations.get(status, f"Finished with status “{status}”.")


# ---- screenshots -------------------------------------------------------------------------------

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _sniff(data: bytes) -> str | None:
    """The image type from the bytes themselves (never SVG: it could carry a script)."""
    for magic, mime in _IMAGE_MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class Shot:
    name: str
    label: str
    recorded_sha256: str
    actual_sha256: str
    #: "ok" | "altered" | "missing" | "unreadable" | "unchecked" (no sha256 in the record)
    integrity: str
    data_uri: str
    note: str


def _shot_label(name: str) -> str:
    match = re.fullmatch(r"(?:\d+-)?(.+?)(?:\.(?:png|jpe?g|webp|gif))?", name, re.IGNORECASE)
    stem = match.group(1) if match else name
    return _SHOT_LABEL.get(stem.lower(), stem.replace("-", " ").replace("_", " ").capitalize())


def load_shot(entry: object, evidence_dir: str = "", layout: Layout | None = None) -> Shot:
    """Read one screenshot and check it against the sha256 the record holds."""
    if isinstance(entry, Mapping):
        path_text = str(entry.get("path") or "")
        name = str(entry.get("name") or "")
        recorded = str(entry.get("sha256") or "").strip().lower()
    else:
        path_text, name, recorded = str(entry or ""), "", ""
    name = name or Path(path_text).name or "screenshot"
    layout = layout or Layout()
    if path_text:
        path = layout.find(path_text, SHOT_TAIL)
    else:
        path = layout.find(evidence_dir, FOLDER_TAIL) / name
    label = _shot_label(name)

    def fail(integrity: str, note: str, actual: str = "") -> Shot:
        return Shot(name, label, recorded, actual, integrity, "", note)

    try:
        size = path.stat().st_size
        if size > MAX_EMBED_BYTES:
            return fail("unreadable", f"too large to embed ({size // 1_048_576} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        return fail("missing", "the file is gone")
    except OSError as exc:
        return fail("unreadable", f"cannot be read ({exc.strerror or type(exc).__name__})")
    actual = hashlib.sha256(data).hexdigest()
    if not recorded:
        integrity, note = "unchecked", "no checksum in the record"
    elif actual != recorded:
        integrity, note = "altered", "altered: sha256 differs from the record"
    else:
        integrity, note = "ok", "sha256 matches the record"
    mime = _sniff(data)
    if mime is None:
        return fail(integrity if integrity == "altered" else "unreadable", "not an image", actual)
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return Shot(name, label, recorded, actual, integrity, uri, note)


# ---- the data, grouped ---------------------------------------------------------------------------


@dataclass
class Entry:
    """One record with what the page needs from it, computed once."""

    index: int  # position in the chain
    record: Record
    started: datetime | None
    ended: datetime | None

    @property
    def anchor(self) -> str:
        return _anchor(self.index)

    @property
    def seq(self) -> object:
        return self.record.get("seq", self.index + 1)


@dataclass
class Setting:
    flow_id: str
    entries: list[Entry]  # chain order

    def _latest(self, key: str) -> str:
        for entry in reversed(self.entries):
            value = entry.record.get(key)
            if isinstance(value, str) and value:
                return value
            flow = entry.record.get("flow")
            if isinstance(flow, Mapping) and isinstance(flow.get(key), str) and flow[key]:
                return str(flow[key])
        return ""

    @property
    def site(self) -> str:
        return self._latest("site")

    @property
    def name(self) -> str:
        return self._latest("setting") or self.flow_id


def _flow_id(record: Record) -> str:
    flow = record.get("flow")
    if isinstance(flow, Mapping):
        return str(flow.get("id") or "unknown flow")
    return str(flow or "unknown flow")


def _entries(records: Sequence[Record]) -> list[Entry]:
    entries = []
    for index, item in enumerate(records):
        record: Record = item if isinstance(item, Mapping) else {}
        started = parse_time(record.get("started_at"))
        ended = parse_time(record.get("ended_at"))
        entries.append(Entry(index, record, started or ended, ended))
    return entries


def _group(entries: Iterable[Entry]) -> list[Setting]:
    groups: dict[str, Setting] = {}
    for entry in entries:
        flow_id = _flow_id(entry.record)
        groups.setdefault(flow_id, Setting(flow_id, [])).entries.append(entry)
    return list(groups.values())


# ---- the page ------------------------------------------------------------------------------------


def _css() -> str:
    return (resources.files("optout_bot.evidence") / "report_assets" / "report.css").read_text(
        "utf-8"
    )


def render_report(
    records: list[dict],
    chain: dict,
    *,
    generated_at: datetime | None = None,
    title: str = "optout-bot evidence report",
    layout: Layout | None = None,
) -> str:
    """The whole report as one HTML document that needs nothing else to display."""
    now = _utc(generated_at or datetime.now(timezone.utc))
    entries = _entries(records)
    settings = _group(entries)
    problems = _problems_by_seq(chain)
    parts = [
        _masthead(title, now, entries, settings),
        _chain_banner(chain, len(entries)),
    ]
    if not entries:
        parts.append(
            '<section class="empty"><h2>No records yet</h2><p>Nothing has been run or '
            "verified with this evidence store so far.</p></section>"
        )
    if len(settings) > 1:
        parts.append(_glance(settings))
    for number, setting in enumerate(settings, 1):
        parts.append(_setting_section(number, setting, problems, now, layout))
    if entries:
        parts.append(_ledger(entries, problems))
    parts.append(_colophon(now, entries))
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="optout-bot {_e(__version__)}">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_css()}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _problems_by_seq(chain: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for problem in chain.get("problems") or []:
        if isinstance(problem, Mapping):
            found.setdefault(str(problem.get("seq")), []).append(problem)
    return found


def _masthead(title: str, now: datetime, entries: list[Entry], settings: list[Setting]) -> str:
    times = [e.started for e in entries if e.started]
    meta = [f"Generated {_e(_when(now))}"]
    meta.append(f"{len(entries)} record{'s' * (len(entries) != 1)}")
    meta.append(f"{len(settings)} setting{'s' * (len(settings) != 1)}")
    if times:
        first, last = _date(min(times)), _date(max(times))
        meta.append(first if first == last else f"{first} – {last}")
    sites = sorted({s.site for s in settings if s.site})
    eyebrow = " · ".join([*sites, "AI-training settings", "evidence"])
    where = f" on {_e(' and '.join(sites))}" if sites else ""
    return (
        '<header class="masthead">\n'
        f'<p class="eyebrow">{_e(eyebrow)}</p>\n'
        f"<h1>{_e(title)}</h1>\n"
        '<p class="lede">What happened to AI-training settings'
        f"{where}: when they were switched off, every check since, and the screenshots "
        "taken in the person's own browser at each step.</p>\n"
        f'<p class="meta">{"".join(f"<span>{m}</span>" for m in meta)}</p>\n'
        "</header>"
    )


_CHAIN_EXPLAINED = (
    "Each record holds the hash of the record before it, and its own hash covers its content, "
    "so the records form a chain: editing, removing or reordering any of them is detected by "
    "<code>optout-bot evidence verify</code>. Each screenshot's sha256 is in its record and "
    "was checked again for this report."
)


def _chain_banner(chain: Mapping[str, Any], count: int) -> str:
    checked = chain.get("checked", count)
    if chain.get("ok"):
        noun = "record" if checked == 1 else "records"
        return (
            '<section class="chain chain-ok" role="status">\n'
            '<div class="chain-icon" aria-hidden="true">✓</div>\n<div>\n'
            f'<p class="chain-title">Evidence chain intact: {_e(checked)} {noun} verified</p>\n'
            f'<p class="chain-text">{_CHAIN_EXPLAINED}</p>\n</div>\n</section>'
        )
    items = []
    for problem in chain.get("problems") or []:
        if not isinstance(problem, Mapping):
            continue
        items.append(
            f"<li>Record #{_e(problem.get('seq'))}: <code>{_e(problem.get('kind'))}</code> — "
            f"{_e(problem.get('detail'))}</li>"
        )
    listing = f'<ul class="chain-problems">{"".join(items)}</ul>\n' if items else ""
    message = _text(chain, "message", "the evidence chain did not verify")
    return (
        '<section class="chain chain-broken" role="alert">\n'
        '<div class="chain-icon" aria-hidden="true">!</div>\n<div>\n'
        f'<p class="chain-title">Evidence chain broken: {_e(message)}</p>\n'
        f"{listing}"
        f'<p class="chain-text">{_CHAIN_EXPLAINED} Records from the problem onwards cannot '
        "be relied on as they are.</p>\n</div>\n</section>"
    )


def _current(setting: Setting) -> tuple[str, str, str]:
    """(tone, big text, small text) for the setting's current state: its latest record's."""
    latest = setting.entries[-1]
    record = latest.record
    state, wanted = _state(record, "state_after"), _wanted(record)
    tone = _state_tone(state, wanted)
    if tone == "good":
        big = f"{_STATE_WORD[state]} — as wanted"
    elif tone == "bad":
        big = _STATE_WORD[state]
    else:
        big = "Unknown"
    small = f"as of {_when(latest.started)}"
    if record.get("persisted") is True:
        small += " · confirmed after a reload"
    elif tone == "bad":
        small += f" · wanted: {wanted}"
    if tone == "calm":
        for entry in reversed(setting.entries[:-1]):
            known = _state(entry.record, "state_after")
            if known != "unknown":
                small += f" · last known: {known}, {_date(entry.started) if entry.started else ''}"
                break
    return tone, big, small.rstrip(", ")


def _glance(settings: list[Setting]) -> str:
    rows = []
    for number, setting in enumerate(settings, 1):
        tone, big, _ = _current(setting)
        latest = setting.entries[-1].started
        rows.append(
            f'<a href="#setting-{number}"><span><span class="glance-name">{_e(setting.name)}'
            f'</span><br><span class="glance-site">{_e(setting.site)}</span>'
            f'</span><span><span class="state state-{tone}">{_e(big)}</span>'
            f'<span class="glance-when"><br>{_e(_when(latest))}</span></span></a>'
        )
    return '<nav class="glance" aria-label="Settings in this report">' + "".join(rows) + "</nav>"


def _keyfacts(setting: Setting) -> str:
    entries = setting.entries
    runs = sum(1 for e in entries if e.record.get("mode") == "run")
    verifies = sum(1 for e in entries if e.record.get("mode") == "verify")
    facts = []
    switched = next(
        (
            e
            for e in entries
            if e.record.get("mode") == "run"
            and e.record.get("changed") is True
            and _status(e.record) == "ok"
        ),
        None,
    )
    wanted = _wanted(entries[-1].record)
    if switched is not None:
        facts.append(("", f"Switched {wanted} by optout-bot", _when(switched.started), ""))
    first_ok = next((e for e in entries if _status(e.record) == "ok"), None)
    if switched is None and first_ok is not None:
        facts.append(("", f"First confirmed {wanted}", _when(first_ok.started), ""))
    kinds = []
    if runs:
        kinds.append(f"{runs} run{'s' * (runs != 1)}")
    if verifies:
        kinds.append(f"{verifies} verif{'ies' if verifies != 1 else 'y'}")
    facts.append(("", "Checks recorded", str(len(entries)), ", ".join(kinds)))
    unwanted = "on" if wanted == "off" else "off"
    back = _switched_back(entries, wanted)
    if back:
        dates = ", ".join(_date(e.started) for e in back[-3:] if e.started)
        times = "once" if len(back) == 1 else f"{len(back)} times"
        facts.append(("alert", f"Found switched back {unwanted}", times, dates))
    else:
        facts.append(("", f"Found switched back {unwanted}", "never", "in any check"))
    items = "".join(
        f'<li class="{cls}"><span class="k">{_e(k)}</span><span class="v">{_e(v)}'
        f"{f' <small>{_e(sub)}</small>' if sub else ''}</span></li>"
        for cls, k, v, sub in facts
    )
    return f'<ul class="keyfacts">{items}</ul>'


def _switched_back(entries: list[Entry], wanted: str) -> list[Entry]:
    """The records that found the setting unwanted again after it had been seen as wanted:
    one per such event (the run that then fixes it does not count a second time)."""
    found, last = [], "unknown"
    for entry in entries:
        for key in ("state_before", "state_after"):
            state = _state(entry.record, key)
            if state == "unknown":
                continue
            if state != wanted and last == wanted:
                found.append(entry)
            last = state
    return found


def _setting_section(
    number: int,
    setting: Setting,
    problems: Mapping[str, list[Mapping[str, Any]]],
    now: datetime,
    layout: Layout | None,
) -> str:
    tone, big, small = _current(setting)
    state = _state(setting.entries[-1].record, "state_after")
    cards = "\n".join(
        _run_card(entry, problems.get(str(entry.record.get("seq"))) or [], now, layout)
        for entry in reversed(setting.entries)
    )
    site = f'<p class="site">{_e(setting.site)}</p>\n' if setting.site else ""
    return (
        f'<section class="setting" id="setting-{number}" data-flow="{_e(setting.flow_id)}">\n'
        '<div class="setting-head">\n<div>\n'
        f"{site}<h2>{_e(setting.name)}</h2>\n"
        f'<p class="flow-id">flow <code>{_e(setting.flow_id)}</code></p>\n</div>\n'
        f'<div class="current current-{tone}" data-state="{_e(state)}">\n'
        '<span class="current-label">Current state</span>\n'
        f'<span class="current-state">{_e(big)}</span>\n'
        f'<span class="current-when">{_e(small)}</span>\n</div>\n</div>\n'
        f"{_keyfacts(setting)}\n"
        f"{_timeline(setting)}\n"
        f'<h3 class="runs-title">Every check, newest first</h3>\n{cards}\n</section>'
    )


# ---- the timeline (inline SVG) ----------------------------------------------------------------

_W, _H = 760, 132
_LEFT, _RIGHT = 92, 18
_ROW_Y = {"on": 22, "off": 58, "unknown": 94}
_AXIS_Y = 112


def _timeline(setting: Setting) -> str:
    entries = setting.entries
    wanted = _wanted(entries[-1].record)
    known = [e.started for e in entries if e.started]
    first = min(known) if known else None
    last = max(known) if known else None
    span = (last - first).total_seconds() if first and last else 0.0
    width = _W - _LEFT - _RIGHT

    def x_of(when: datetime | None) -> float:
        if when is None or first is None or span <= 0:
            return _LEFT + width / 2
        return _LEFT + width * (when - first).total_seconds() / span

    rows = []
    for state, row_y in _ROW_Y.items():
        label = _STATE_WORD[state] + (" (wanted)" if state == wanted else "")
        if state == wanted:
            rows.append(
                f'<rect class="wanted-band" x="{_LEFT - 8}" y="{row_y - 13}" '
                f'width="{width + 16}" height="26" rx="6"/>'
            )
        rows.append(
            f'<line class="row-line" x1="{_LEFT - 8}" y1="{row_y}" '
            f'x2="{_W - _RIGHT + 8}" y2="{row_y}"/>'
            f'<text class="row-label" x="{_LEFT - 16}" y="{row_y + 4}" text-anchor="end">'
            f"{_e(label)}</text>"
        )

    # Points in time order (ties keep chain order); a record without a time sits where the
    # previous one did, so every record still gets exactly one point.
    placed: list[tuple[float, float, Entry]] = []
    previous_x: float = _LEFT + (0 if span > 0 else width / 2)
    for entry in entries:
        x = x_of(entry.started) if entry.started else previous_x
        previous_x = x
        placed.append((x, _ROW_Y[_state(entry.record, "state_after")], entry))
    ordered = sorted(placed, key=lambda p: (p[0], p[2].index))
    path = ""
    if len(ordered) > 1:
        points = " ".join(f"{x:.1f},{y}" for x, y, _ in ordered)
        path = f'<polyline class="path" points="{points}"/>'

    dots = []
    for x, y, entry in ordered:
        record = entry.record
        colour = _TONE_COLOUR[_tone(record)]
        fill = colour if record.get("mode") == "run" else "#ffffff"
        tip = (
            f"{_when(entry.started)} · {_text(record, 'mode', '?')} · "
            f"{_STATE_WORD[_state(record, 'state_before')]} → "
            f"{_STATE_WORD[_state(record, 'state_after')]} · "
            f"{_STATUS_LABEL.get(_status(record), _status(record))}: {_explain(record)}"
        )
        dots.append(
            f'<a href="#{entry.anchor}"><circle class="timeline-point" cx="{x:.1f}" cy="{y}" '
            f'r="6.5" fill="{fill}" stroke="{colour}" data-status="{_e(_status(record))}">'
            f"<title>{_e(tip)}</title></circle></a>"
        )

    ticks = [f'<line class="axis" x1="{_LEFT}" y1="{_AXIS_Y}" x2="{_W - _RIGHT}" y2="{_AXIS_Y}"/>']
    for x, label, anchor in _ticks(first, last, x_of):
        ticks.append(
            f'<line class="axis" x1="{x:.1f}" y1="{_AXIS_Y}" x2="{x:.1f}" y2="{_AXIS_Y + 4}"/>'
            f'<text class="tick" x="{x:.1f}" y="{_AXIS_Y + 17}" text-anchor="{anchor}">'
            f"{_e(label)}</text>"
        )

    summary = (
        f"Timeline of {len(entries)} check{'s' * (len(entries) != 1)} of "
        f"{setting.name}: "
        + "; ".join(f"{_when(e.started)} {_state(e.record, 'state_after')}" for e in entries)
    )
    svg = (
        f'<svg viewBox="0 0 {_W} {_H + 8}" role="img" aria-label="{_e(summary)}" '
        'xmlns="http://www.w3.org/2000/svg">'
        + "".join(rows)
        + "".join(ticks)
        + path
        + "".join(dots)
        + "</svg>"
    )
    return f'<figure class="timeline">{svg}{_legend(entries)}</figure>'


def _ticks(
    first: datetime | None, last: datetime | None, x_of: Any
) -> list[tuple[float, str, str]]:
    if first is None or last is None:
        return []
    span = last - first
    if span.total_seconds() <= 0:
        return [(x_of(first), _when(first), "middle")]
    count = 5 if span >= timedelta(days=4) else 3
    ticks = []
    for i in range(count):
        when = first + span * i / (count - 1)
        if span >= timedelta(days=2):
            label = f"{when.day} {_MONTHS[when.month - 1]}"
            if i in (0, count - 1) or when.year != first.year:
                label += f" {when.year}"
        else:
            label = f"{when.day} {_MONTHS[when.month - 1]} {when.strftime('%H:%M')}"
        anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
        ticks.append((x_of(when), label, anchor))
    return ticks


def _legend(entries: list[Entry]) -> str:
    seen: dict[str, None] = {}
    for entry in entries:
        seen.setdefault(_status(entry.record), None)
    items = []
    for status in seen:
        colour = _TONE_COLOUR[_STATUS_TONE.get(status, "calm")]
        label = _STATUS_LABEL.get(status, status)
        items.append(
            f'<span><span class="dot" style="background:{colour};border-color:{colour}">'
            f"</span>{_e(label)}</span>"
        )
    items.append(
        '<span><span class="dot" style="background:#4a5565;border-color:#4a5565"></span>run</span>'
        '<span><span class="dot" style="background:#fff;border-color:#4a5565"></span>verify</span>'
    )
    return f'<figcaption class="legend">{"".join(items)}</figcaption>'


# ---- one run -----------------------------------------------------------------------------------


def _run_card(
    entry: Entry, problems: list[Mapping[str, Any]], now: datetime, layout: Layout | None
) -> str:
    record = entry.record
    tone = _tone(record)
    status = _status(record)
    before, after, wanted = (
        _state(record, "state_before"),
        _state(record, "state_after"),
        _wanted(record),
    )

    sub = []
    if entry.started:
        sub.append(_DAYS[entry.started.weekday()])
        local = _local(entry.started)
        if local:
            sub.append(local)
        sub.append(_ago(entry.started, now))
    duration = _duration(entry.started, entry.ended)
    if duration:
        sub.append(duration)
    iso = entry.started.isoformat() if entry.started else ""

    mode, platform, session = (
        _text(record, "mode"),
        _text(record, "platform"),
        _text(record, "session"),
    )
    tags = [
        _MODE_LABEL.get(mode, mode),
        _PLATFORM_LABEL.get(platform, platform),
        _SESSION_LABEL.get(session, session),
    ]
    tag_html = "".join(f'<span class="tag">{_e(t)}</span>' for t in tags if t)

    reason = _text(record, "reason")
    reason_html = (
        f'<p class="reason"><span class="k">Recorded reason</span>{_e(reason)}</p>'
        if reason
        else ""
    )
    notes = "".join(
        f'<p class="chain-note">Chain problem at this record: <code>{_e(p.get("kind"))}</code> — '
        f"{_e(p.get('detail'))}</p>"
        for p in problems
    )
    shots = record.get("screenshots") or []
    shot_html = ""
    if isinstance(shots, list) and shots:
        evidence_dir = _text(record, "evidence_dir")
        figures = "".join(
            _figure(load_shot(s, evidence_dir, layout), f"{entry.anchor}-shot-{i}", entry.anchor)
            for i, s in enumerate(shots, 1)
        )
        shot_html = f'<div class="shots">{figures}</div>'

    when = _tag("time", _e(_when(entry.started, seconds=True)), datetime=iso) + _tag(
        "span", _e(" · ".join(sub)), cls="run-when-sub"
    )
    pill = _tag("span", _e(_STATUS_LABEL.get(status, status)), cls="pill", title=f"status {status}")
    transition = (
        _tag("span", _STATE_WORD[before], cls=f"state state-{_state_tone(before, wanted)}")
        + '<span class="arrow" aria-label="then">→</span>'
        + _tag("span", _STATE_WORD[after], cls=f"state state-{_state_tone(after, wanted)}")
    )
    return (
        f'<article class="run tone-{tone}" id="{entry.anchor}" data-status="{_e(status)}">\n'
        f'<div class="run-head">\n<p class="run-when">{when}</p>\n{pill}\n</div>\n'
        f'<div class="run-tags">{tag_html}</div>\n'
        f'<div class="story">\n<span class="transition">{transition}</span>\n'
        f'<p class="explain">{_e(_explain(record))}</p>\n</div>\n'
        f"{reason_html}{notes}{shot_html}\n"
        f"{_facts(record)}\n"
        "</article>"
    )


def _facts(record: Record) -> str:
    flow = record.get("flow")
    flow = flow if isinstance(flow, Mapping) else {"id": flow}
    rows: list[tuple[str, str, str]] = []  # (term, text, full value for the tooltip)
    flow_text = f"{flow.get('id') or '?'} v{flow.get('version') or '?'}"
    if flow.get("sha256"):
        flow_text += f" · sha256 {_short(flow.get('sha256'))}"
    rows.append(("Flow", flow_text, str(flow.get("sha256") or "")))
    if record.get("final_url"):
        rows.append(("Final page", _text(record, "final_url"), ""))
    switch = record.get("switch")
    if isinstance(switch, Mapping) and switch.get("locator"):
        rows.append(("Switch found by", str(switch.get("locator")), ""))
    status = _status(record)
    exit_code = record.get("exit_code")
    result = f"status {status}" + (f" · exit code {exit_code}" if exit_code is not None else "")
    persisted = record.get("persisted")
    if persisted is not None:
        result += " · confirmed after a reload" if persisted else " · different after a reload"
    rows.append(("Result", result, ""))
    seq, digest, prev = record.get("seq", "?"), _text(record, "hash"), _text(record, "prev_hash")
    rows.append(("Record", f"#{seq} · hash {_short(digest)}", digest))
    rows.append(("Previous hash", _short(prev) or "—", prev))
    if record.get("tool_version"):
        rows.append(("Recorded by", f"optout-bot {_text(record, 'tool_version')}", ""))
    items = "".join(
        _tag("dt", _e(term)) + _tag("dd", _e(text), cls="mono", title=full)
        for term, text, full in rows
    )
    return f'<dl class="facts">{items}</dl>'


def _figure(shot: Shot, fig_id: str, back: str) -> str:
    sha = shot.actual_sha256 or shot.recorded_sha256
    hash_line = f"sha256 {sha[:12]}" if sha else "no sha256"
    if shot.integrity == "altered" and shot.recorded_sha256:
        hash_line = f"sha256 {shot.actual_sha256[:12]} (record: {shot.recorded_sha256[:12]})"
    flag_text = {
        "ok": "✓ sha256 matches",
        "altered": "altered",
        "missing": "missing",
        "unreadable": "unreadable",
        "unchecked": "not checked",
    }[shot.integrity]
    if shot.data_uri:
        picture = (
            f'<a class="shot-open" href="#{fig_id}" title="Show full size">'
            f'<img src="{shot.data_uri}" alt="{_e(shot.label)}: {_e(shot.name)}"></a>'
            f'<a class="shot-close" href="#{back}"><span>✕ Close</span></a>'
        )
    else:
        picture = f'<div class="shot-none">{_e(shot.note)}</div>'
    caption = (
        _tag("span", _e(shot.label), cls="shot-label")
        + _tag("span", _e(shot.name), cls="shot-file mono")
        + _tag("span", _e(hash_line), cls="shot-hash mono", title=sha)
        + _tag("span", _e(flag_text), cls="shot-flag", title=shot.note)
    )
    return _tag(
        "figure",
        picture + _tag("figcaption", caption),
        cls=f"shot shot-{shot.integrity}",
        id=fig_id,
        data_integrity=shot.integrity,
    )


# ---- ledger and footer -----------------------------------------------------------------------


def _ledger(entries: list[Entry], problems: Mapping[str, list[Mapping[str, Any]]]) -> str:
    rows = []
    previous_hash: object = None
    for entry in entries:
        record = entry.record
        prev = record.get("prev_hash")
        if entry.index == 0:
            link = '<span title="first record">start</span>'
        elif prev and prev == previous_hash:
            link = '<span class="link-ok" title="holds the previous record\'s hash">✓</span>'
        else:
            link = (
                '<span class="link-bad" title="does not hold the previous record\'s hash">✗</span>'
            )
        previous_hash = record.get("hash")
        cls = ' class="problem"' if str(record.get("seq")) in problems else ""
        state = _state(record, "state_after")
        cells = [
            _tag("td", _e(entry.seq)),
            _tag("td", _tag("a", _e(_when(entry.started)), href=f"#{entry.anchor}")),
            _tag("td", _e(_flow_id(record))),
            _tag("td", _e(_text(record, "mode"))),
            _tag("td", _e(_STATUS_LABEL.get(_status(record), _status(record)))),
            _tag("td", _STATE_WORD[state], cls=f"after-{_state_tone(state, _wanted(record))}"),
            _tag("td", _e(_short(record.get("hash"))), cls="mono", title=_text(record, "hash")),
            _tag("td", _e(_short(prev)), cls="mono", title=_text(record, "prev_hash")),
            _tag("td", link),
        ]
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (
        '<section class="ledger">\n<h2>The evidence chain</h2>\n'
        "<p>Every record in the order it was written. A record's “previous” hash must equal the "
        "hash of the row above it; that link is what makes a later edit detectable.</p>\n"
        "<table><thead><tr><th>#</th><th>When</th><th>Flow</th><th>Mode</th><th>Status</th>"
        "<th>After</th><th>Hash</th><th>Previous</th><th>Link</th></tr></thead>\n<tbody>"
        + "\n".join(rows)
        + "</tbody></table>\n</section>"
    )


def _colophon(now: datetime, entries: list[Entry]) -> str:
    versions = sorted({_text(e.record, "tool_version") for e in entries} - {""})
    recorded = f" · records written by optout-bot {_e(', '.join(versions))}" if versions else ""
    return (
        '<footer class="colophon">\n<h3>How to check this report</h3>\n<ol>\n'
        "<li>On the machine that holds the evidence, run <code>optout-bot evidence verify</code>: "
        "it recomputes every record's hash and the links between them.</li>\n"
        "<li>Compare a screenshot with its original: <code>sha256sum FILE</code> (macOS: "
        "<code>shasum -a 256 FILE</code>) must print the sha256 shown under it.</li>\n"
        "<li>This file is self-contained: it loads nothing from the network, and its "
        "screenshots are embedded at full resolution (click one, or zoom in the PDF).</li>\n"
        "</ol>\n"
        f'<p class="meta">Generated {_e(_when(now, seconds=True))} by optout-bot '
        f"{_e(__version__)}{recorded}.</p>\n</footer>"
    )


# ---- files -------------------------------------------------------------------------------------


def write_report(html: str, out: Path) -> Path:
    """Save the report atomically (a reader never sees half a file), private to the user."""
    return write_private(Path(out), html.encode("utf-8"), replace=True)


def write_pdf(html: str, out: Path, playwright: Any, browser_path: str | None = None) -> Path:
    """Print the report to an A4 PDF with headless Chromium; saved atomically, mode 0600."""
    out = Path(out)
    with private_output(out, replace=True) as tmp:
        browser = playwright.chromium.launch(
            headless=True, executable_path=browser_path, args=PDF_ARGS
        )
        try:
            page = browser.new_page()
            # The page is self-contained; should anything try the network anyway, it fails.
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            page.pdf(
                path=str(tmp),
                format="A4",
                print_background=True,
                margin=PDF_MARGIN,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:7.5px;width:100%;text-align:center;color:#6b7482;'
                    'font-family:sans-serif">page <span class="pageNumber"></span> of '
                    '<span class="totalPages"></span></div>'
                ),
            )
        finally:
            browser.close()
    return out
