"""The evidence report's view models: what each part of the page shows, computed from the
records once, as plain values. No markup here (that is in templates/), and no escaping
either: the template engine escapes every value.

Words are English and times UTC whatever the machine's locale, so the report reads the
same everywhere; a status's label and tone come from the status table
(`engine.outcome.STATUS_TABLE`), and a status this version does not know shows as its own
text, in the "calm" tone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from optout_bot.base.times import parse_time
from optout_bot.engine.outcome import Status
from optout_bot.evidence.layout import FOLDER_TAIL, SHOT_TAIL, Layout
from optout_bot.evidence.record import Record
from optout_bot.evidence.record import Shot as RecordedShot

#: A screenshot bigger than this is not embedded (the report would become unwieldy).
MAX_EMBED_BYTES = 40 * 1024 * 1024

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ---- words and times ---------------------------------------------------------------------------


def short(value: object, n: int = 12) -> str:
    text = "" if value is None else str(value)
    return text[:n] + "…" if len(text) > n else text


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


# ---- what the fields mean ----------------------------------------------------------------------

_STATE_WORD = {"on": "On", "off": "Off", "unknown": "Unknown"}

#: Timeline colours per tone (the CSS uses the same palette).
TONE_COLOUR = {"good": "#2e8b57", "bad": "#cc3b30", "warn": "#d08a1e", "calm": "#8792a2"}

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


def _state(value: str) -> str:
    return value if value in _STATE_WORD else "unknown"


def _wanted(record: Record) -> str:
    return record.wanted if record.wanted in ("on", "off") else "off"


def label(status: str) -> str:
    known = Status.of(status)
    return known.label if known else status


def tone(status: str) -> str:
    known = Status.of(status)
    return known.tone if known else "calm"


def _state_tone(state: str, wanted: str) -> str:
    if state == "unknown":
        return "calm"
    return "good" if state == wanted else "bad"


def explain(record: Record) -> str:
    """The status in a sentence a person without the source code understands."""
    status, mode = record.status, record.mode
    after, wanted = _state(record.state_after), _wanted(record)
    if status == "ok":
        if mode == "verify":
            return (
                f"Checked without changing anything: the setting is {after}, "
                f"and was still {after} after reloading the page."
            )
        if record.changed:
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
        "timed_out": (
            "The check went past its time limit (the site may have been slow) and stopped "
            "without changing anything."
        ),
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


def load_shot(shot: RecordedShot, evidence_dir: str = "", layout: Layout | None = None) -> Shot:
    """Read one screenshot (found through `layout`) and check it against its sha256."""
    layout = layout or Layout()
    name = shot.name or Path(shot.path).name or "screenshot"
    if shot.path:
        path = layout.find(shot.path, SHOT_TAIL)
    else:
        path = layout.find(evidence_dir, FOLDER_TAIL) / name
    recorded = shot.sha256.strip().lower()
    title = _shot_label(name)

    def fail(integrity: str, note: str, actual: str = "") -> Shot:
        return Shot(name, title, recorded, actual, integrity, "", note)

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
    return Shot(name, title, recorded, actual, integrity, uri, note)


_FLAG = {
    "ok": "✓ sha256 matches",
    "altered": "altered",
    "missing": "missing",
    "unreadable": "unreadable",
    "unchecked": "not checked",
}


@dataclass(frozen=True)
class Figure:
    shot: Shot
    id: str
    back: str

    @property
    def sha(self) -> str:
        return self.shot.actual_sha256 or self.shot.recorded_sha256

    @property
    def hash_line(self) -> str:
        shot = self.shot
        if shot.integrity == "altered" and shot.recorded_sha256:
            return f"sha256 {shot.actual_sha256[:12]} (record: {shot.recorded_sha256[:12]})"
        return f"sha256 {self.sha[:12]}" if self.sha else "no sha256"

    @property
    def flag(self) -> str:
        return _FLAG[self.shot.integrity]


# ---- the records, grouped by setting -----------------------------------------------------------


@dataclass
class Entry:
    """One record with its place in the chain."""

    index: int
    record: Record

    @property
    def started(self) -> datetime | None:
        return self.record.started or self.record.ended

    @property
    def anchor(self) -> str:
        # Chain position, not the record's own id: ids come from a file and could repeat.
        return f"run-{self.index + 1}"

    @property
    def seq(self) -> int:
        return self.record.seq if self.record.seq is not None else self.index + 1

    @property
    def flow_id(self) -> str:
        return self.record.flow.id or "unknown flow"


@dataclass
class Group:
    flow_id: str
    entries: list[Entry]  # chain order

    def _latest(self, key: str) -> str:
        for entry in reversed(self.entries):
            value = getattr(entry.record, key)
            if value:
                return str(value)
        return ""

    @property
    def site(self) -> str:
        return self._latest("site")

    @property
    def name(self) -> str:
        return self._latest("setting") or self.flow_id


def group(records: Iterable[Record]) -> tuple[list[Entry], list[Group]]:
    """The records in chain order, and one group per setting, the settings of a site
    together (sites in the order they first appear, a site's settings likewise)."""
    entries = [Entry(index, record) for index, record in enumerate(records)]
    groups: dict[str, Group] = {}
    for entry in entries:
        groups.setdefault(entry.flow_id, Group(entry.flow_id, [])).entries.append(entry)
    first_seen: dict[str, int] = {}
    for index, g in enumerate(groups.values()):
        first_seen.setdefault(g.site, index)
    return entries, sorted(groups.values(), key=lambda g: first_seen[g.site])


# ---- the parts of the page ---------------------------------------------------------------------

Problems = Mapping[str, list[Mapping[str, Any]]]
#: seq -> the record's time-stamp as `evidence verify` found it (`store.StampCheck.to_json()`)
Stamps = Mapping[int, Mapping[str, Any]]


def problems_by_seq(chain: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for problem in chain.get("problems") or []:
        if isinstance(problem, Mapping):
            found.setdefault(str(problem.get("seq")), []).append(problem)
    return found


def masthead(
    now: datetime, entries: list[Entry], groups: list[Group], *, exported: bool = False
) -> dict[str, Any]:
    """`exported`: `now` is the newest record's time (an export's page says so)."""
    times = [e.started for e in entries if e.started]
    meta = [f"As of {_when(now)}, the newest record" if exported else f"Generated {_when(now)}"]
    meta.append(f"{len(entries)} record{'s' * (len(entries) != 1)}")
    meta.append(f"{len(groups)} setting{'s' * (len(groups) != 1)}")
    if times:
        first, last = _date(min(times)), _date(max(times))
        meta.append(first if first == last else f"{first} – {last}")
    sites = sorted({g.site for g in groups if g.site})
    return {
        "eyebrow": " · ".join([*sites, "AI-training settings", "evidence"]),
        "sites": " and ".join(sites),
        "meta": meta,
    }


def chain_view(chain: Mapping[str, Any], count: int) -> dict[str, Any]:
    problems = [p for p in chain.get("problems") or [] if isinstance(p, Mapping)]
    message = chain.get("message")
    return {
        "ok": bool(chain.get("ok")),
        "checked": chain.get("checked", count),
        "message": str(message) if message else "the evidence chain did not verify",
        "problems": [
            {"seq": p.get("seq"), "kind": p.get("kind"), "detail": p.get("detail")}
            for p in problems
        ],
    }


@dataclass
class SettingView:
    number: int
    flow_id: str
    site: str
    name: str
    tone: str
    big: str
    small: str
    state: str
    latest: str
    keyfacts: list[dict[str, str]]
    timeline: dict[str, Any]
    cards: list[dict[str, Any]] = field(default_factory=list)


def setting_view(
    number: int,
    group: Group,
    problems: Problems,
    now: datetime,
    shots: Callable[[Entry], list[Figure]],
    stamps: Stamps | None = None,
    *,
    exported: bool = False,
) -> SettingView:
    tone_, big, small = _current(group)
    latest = group.entries[-1]
    return SettingView(
        number=number,
        flow_id=group.flow_id,
        site=group.site,
        name=group.name,
        tone=tone_,
        big=big,
        small=small,
        state=_state(latest.record.state_after),
        latest=_when(latest.started),
        keyfacts=_keyfacts(group),
        timeline=_timeline(group),
        cards=[
            _card(
                entry,
                problems.get(str(entry.record.seq)) or [],
                now,
                shots(entry),
                (stamps or {}).get(entry.seq),
                exported=exported,
            )
            for entry in reversed(group.entries)
        ],
    )


def _current(group: Group) -> tuple[str, str, str]:
    """(tone, big text, small text) for the setting's current state: its latest record's."""
    latest = group.entries[-1]
    record = latest.record
    state, wanted = _state(record.state_after), _wanted(record)
    tone_ = _state_tone(state, wanted)
    if tone_ == "good":
        big = f"{_STATE_WORD[state]} — as wanted"
    elif tone_ == "bad":
        big = _STATE_WORD[state]
    else:
        big = "Unknown"
    small = f"as of {_when(latest.started)}"
    if record.persisted is True:
        small += " · confirmed after a reload"
    elif tone_ == "bad":
        small += f" · wanted: {wanted}"
    if tone_ == "calm":
        for entry in reversed(group.entries[:-1]):
            known = _state(entry.record.state_after)
            if known != "unknown":
                small += f" · last known: {known}, {_date(entry.started) if entry.started else ''}"
                break
    return tone_, big, small.rstrip(", ")


def _keyfacts(group: Group) -> list[dict[str, str]]:
    entries = group.entries
    runs = sum(1 for e in entries if e.record.mode == "run")
    verifies = sum(1 for e in entries if e.record.mode == "verify")
    facts: list[dict[str, str]] = []

    def fact(key: str, value: str, sub: str = "", cls: str = "") -> None:
        facts.append({"cls": cls, "key": key, "value": value, "sub": sub})

    switched = next(
        (
            e
            for e in entries
            if e.record.mode == "run" and e.record.changed and e.record.status == "ok"
        ),
        None,
    )
    wanted = _wanted(entries[-1].record)
    if switched is not None:
        fact(f"Switched {wanted} by optout-bot", _when(switched.started))
    first_ok = next((e for e in entries if e.record.status == "ok"), None)
    if switched is None and first_ok is not None:
        fact(f"First confirmed {wanted}", _when(first_ok.started))
    kinds = []
    if runs:
        kinds.append(f"{runs} run{'s' * (runs != 1)}")
    if verifies:
        kinds.append(f"{verifies} verif{'ies' if verifies != 1 else 'y'}")
    fact("Checks recorded", str(len(entries)), ", ".join(kinds))
    unwanted = "on" if wanted == "off" else "off"
    back = _switched_back(entries, wanted)
    if back:
        dates = ", ".join(_date(e.started) for e in back[-3:] if e.started)
        count = "once" if len(back) == 1 else f"{len(back)} times"
        fact(f"Found switched back {unwanted}", count, dates, cls="alert")
    else:
        fact(f"Found switched back {unwanted}", "never", "in any check")
    return facts


def _switched_back(entries: list[Entry], wanted: str) -> list[Entry]:
    """The records that found the setting unwanted again after it had been seen as wanted:
    one per such event (the run that then fixes it does not count a second time)."""
    found, last = [], "unknown"
    for entry in entries:
        for state in (entry.record.state_before, entry.record.state_after):
            state = _state(state)
            if state == "unknown":
                continue
            if state != wanted and last == wanted:
                found.append(entry)
            last = state
    return found


def _card(
    entry: Entry,
    problems: list[Mapping[str, Any]],
    now: datetime,
    figures: list[Figure],
    stamp: Mapping[str, Any] | None = None,
    *,
    exported: bool = False,
) -> dict[str, Any]:
    """`exported`: the card of an export's page, the same on every machine and every day: no
    local time (the machine's zone) and no "N days before this report"."""
    record = entry.record
    before, after, wanted = _state(record.state_before), _state(record.state_after), _wanted(record)
    sub = []
    if entry.started:
        sub.append(_DAYS[entry.started.weekday()])
        local = "" if exported else _local(entry.started)
        if local:
            sub.append(local)
        if not exported:
            sub.append(_ago(entry.started, now))
    duration = _duration(entry.started, record.ended)
    if duration:
        sub.append(duration)
    tags = [
        _MODE_LABEL.get(record.mode, record.mode),
        _PLATFORM_LABEL.get(record.platform, record.platform),
        _SESSION_LABEL.get(record.session, record.session),
    ]
    return {
        "anchor": entry.anchor,
        "status": record.status,
        "label": label(record.status),
        "tone": tone(record.status),
        "when": _when(entry.started, seconds=True),
        "iso": entry.started.isoformat() if entry.started else "",
        "sub": " · ".join(sub),
        "tags": [t for t in tags if t],
        "before": _STATE_WORD[before],
        "before_tone": _state_tone(before, wanted),
        "after": _STATE_WORD[after],
        "after_tone": _state_tone(after, wanted),
        "explain": explain(record),
        "reason": record.reason,
        "problems": [{"kind": p.get("kind"), "detail": p.get("detail")} for p in problems],
        "figures": figures,
        "facts": _facts(record, stamp),
    }


def time_stamp(stamp: Mapping[str, Any] | None) -> str:
    """A record's trusted time-stamp in words: the authority's time and host, or why there
    is none."""
    if not stamp:
        return "not timestamped: not checked"
    state = stamp.get("state")
    if state == "timestamped":
        moment = parse_time(stamp.get("tsa_time"))
        return (
            f"{_when(moment, seconds=True)} by {stamp.get('tsa') or '?'} (RFC 3161; the "
            "token matches this record)"
        )
    if state == "invalid":
        return f"INVALID: {stamp.get('why') or 'the token does not check'}"
    return f"not timestamped: {stamp.get('why') or 'never sent'}"


def _facts(record: Record, stamp: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def row(term: str, text: str, full: str = "") -> None:
        rows.append({"term": term, "text": text, "full": full})

    flow = record.flow
    flow_text = f"{flow.id or '?'} v{flow.version or '?'}"
    if flow.sha256:
        flow_text += f" · sha256 {short(flow.sha256)}"
    row("Flow", flow_text, flow.sha256)
    if record.final_url:
        row("Final page", record.final_url)
    if record.moved_url:
        row("Page moved", f"{record.moved_url} (not where the flow expects it: it needs an update)")
    switch = record.switch
    if switch is not None and switch.get("locator"):
        row("Switch found by", str(switch.get("locator")))
    result = f"status {record.status}"
    if record.exit_code is not None:
        result += f" · exit code {record.exit_code}"
    if record.persisted is not None:
        result += (
            " · confirmed after a reload" if record.persisted else " · different after a reload"
        )
    row("Result", result)
    seq = "?" if record.seq is None else str(record.seq)
    row("Record", f"#{seq} · hash {short(record.hash)}", record.hash)
    row("Previous hash", short(record.prev_hash) or "—", record.prev_hash)
    row("Time-stamp", time_stamp(stamp))
    if record.tool_version:
        row("Recorded by", f"optout-bot {record.tool_version}")
    return rows


def _link(entry: Entry, previous: Entry | None) -> str:
    """How a record links to the row above it: "start" (the chain's first), "ok", "bad", or
    "gap": the record before it is not in this report (one flow's, or an export's
    selection), so there is nothing here to compare its previous hash with."""
    seq = entry.record.seq
    if previous is None:
        return "start" if seq in (None, 1) else "gap"
    before = previous.record.seq
    if seq is not None and before is not None and before != seq - 1 and seq != 1:
        return "gap"
    prev_hash = entry.record.prev_hash
    return "ok" if prev_hash and prev_hash == previous.record.hash else "bad"


def ledger(entries: list[Entry], problems: Problems) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        record = entry.record
        link = _link(entry, entries[entry.index - 1] if entry.index else None)
        state = _state(record.state_after)
        rows.append(
            {
                "seq": entry.seq,
                "anchor": entry.anchor,
                "when": _when(entry.started),
                "flow": entry.flow_id,
                "mode": record.mode,
                "label": label(record.status),
                "after": _STATE_WORD[state],
                "after_tone": _state_tone(state, _wanted(record)),
                "hash": record.hash,
                "prev": record.prev_hash,
                "link": link,
                "problem": record.seq is not None and str(record.seq) in problems,
            }
        )
    return rows


# ---- the timeline (inline SVG) -----------------------------------------------------------------

_W, _H = 760, 132
_LEFT, _RIGHT = 92, 18
_ROW_Y = {"on": 22, "off": 58, "unknown": 94}
_AXIS_Y = 112


def _timeline(group: Group) -> dict[str, Any]:
    entries = group.entries
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

    rows = [
        {
            "y": row_y,
            "wanted": state == wanted,
            "label": _STATE_WORD[state] + (" (wanted)" if state == wanted else ""),
            "x1": _LEFT - 8,
            "x2": _W - _RIGHT + 8,
            "label_x": _LEFT - 16,
            "band_width": width + 16,
        }
        for state, row_y in _ROW_Y.items()
    ]

    # Points in time order (ties keep chain order); a record without a time sits where the
    # previous one did, so every record still gets exactly one point.
    placed: list[tuple[float, float, Entry]] = []
    previous_x: float = _LEFT + (0 if span > 0 else width / 2)
    for entry in entries:
        x = x_of(entry.started) if entry.started else previous_x
        previous_x = x
        placed.append((x, _ROW_Y[_state(entry.record.state_after)], entry))
    ordered = sorted(placed, key=lambda p: (p[0], p[2].index))
    path = " ".join(f"{x:.1f},{y}" for x, y, _ in ordered) if len(ordered) > 1 else ""

    dots = []
    for x, y, entry in ordered:
        record = entry.record
        colour = TONE_COLOUR[tone(record.status)]
        tip = (
            f"{_when(entry.started)} · {record.mode or '?'} · "
            f"{_STATE_WORD[_state(record.state_before)]} → "
            f"{_STATE_WORD[_state(record.state_after)]} · "
            f"{label(record.status)}: {explain(record)}"
        )
        dots.append(
            {
                "x": f"{x:.1f}",
                "y": y,
                "fill": colour if record.mode == "run" else "#ffffff",
                "colour": colour,
                "status": record.status,
                "tip": tip,
                "anchor": entry.anchor,
            }
        )

    summary = (
        f"Timeline of {len(entries)} check{'s' * (len(entries) != 1)} of {group.name}: "
        + "; ".join(f"{_when(e.started)} {_state(e.record.state_after)}" for e in entries)
    )
    statuses = dict.fromkeys(e.record.status for e in entries)
    return {
        "width": _W,
        "height": _H + 8,
        "rows": rows,
        "axis_x1": _LEFT,
        "axis_x2": _W - _RIGHT,
        "axis_y": _AXIS_Y,
        "ticks": [
            {"x": f"{x:.1f}", "label": text, "anchor": anchor}
            for x, text, anchor in _ticks(first, last, x_of)
        ],
        "path": path,
        "dots": dots,
        "summary": summary,
        "legend": [{"colour": TONE_COLOUR[tone(s)], "label": label(s)} for s in statuses],
    }


def _ticks(
    first: datetime | None, last: datetime | None, x_of: Callable[[datetime], float]
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
            text = f"{when.day} {_MONTHS[when.month - 1]}"
            if i in (0, count - 1) or when.year != first.year:
                text += f" {when.year}"
        else:
            text = f"{when.day} {_MONTHS[when.month - 1]} {when.strftime('%H:%M')}"
        anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
        ticks.append((x_of(when), text, anchor))
    return ticks


def versions(entries: Sequence[Entry]) -> list[str]:
    return sorted({e.record.tool_version for e in entries} - {""})


def when(dt: datetime, *, seconds: bool = False) -> str:
    return _when(dt, seconds=seconds)
