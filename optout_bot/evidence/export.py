"""An evidence export: chosen records of the store as one zip file that anyone can check
without optout-bot (`optout-bot evidence export`; issue 14, items 4 and 5).

What the zip holds, every name relative to its root (never a path of this machine):

    HEAD                        the chain head when it was made, and the newest record in it
    SHA256SUMS                  the sha256 of every other file, as `sha256sum -c` reads it
    VERIFY.md                   how to check all of it with standard tools, each record's
                                commands filled in (from templates/export-verify.md.j2)
    records/0001.json           record #1 exactly as it was hashed: its sha256 *is* its hash
    records/0001.tsr            its trusted time-stamp, the TSA's reply as it came (RFC 3161)
    records/0001/01-before.png  its screenshots (and page snapshots, only when asked for),
                                under the names the record gives them
    report.html                 the report of these records (`evidence.report`)
    tsa/<signer>-<id>.pem       the certificates the tokens carry, for `openssl -untrusted`:
                                a convenience, not a trust anchor

Never the browser profile, its cookies, or the settings file: every name in the zip is made
here, and a file of the machine goes in only when a record lists it, it lies in that record's
own evidence folder (not a link, not under a profiles folder), its name has the form of a
screenshot or a page snapshot, and its bytes have the sha256 the record holds. The store must
verify first (`verify_store`): an export of evidence that does not check would not either.

Deterministic: the same records (and the same chain head) give the same bytes, on any machine.
Entries are sorted, stored uncompressed (deflate's output can differ between zlib builds, and
PNGs do not shrink anyway), dated with the newest exported record's time (UTC), marked as made
on Unix with mode 0600 (private, as the rest of the evidence), with no comment and no extra
fields. The report is rendered as an export's (`render_report(exported=True)`): its time is the
newest record's, with no local times and no "N days ago".

Checking an export is `evidence.export_check`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import pem

from optout_bot import __version__
from optout_bot.base import paths, templates, times
from optout_bot.base.files import private_output
from optout_bot.evidence.layout import FOLDER_TAIL, SHOT_TAIL, Layout, safe_name
from optout_bot.evidence.record import Record, Shot
from optout_bot.evidence.store import (
    ZERO_HASH,
    EvidenceStore,
    StampCheck,
    describe,
    verify_store,
)
from optout_bot.evidence.timestamping import (
    NEVER_SENT,
    StampError,
    TokenChain,
    check_reply,
    clock,
    token_chain,
)

HEAD_FILE = "HEAD"
SUMS_FILE = "SHA256SUMS"
GUIDE_FILE = "VERIFY.md"
REPORT_FILE = "report.html"
RECORDS = "records"
TSA = "tsa"
#: Every file of an export: private to whoever unzips it, as the evidence is where it was kept.
FILE_MODE = 0o600
#: What a screenshot's and a page snapshot's name may end with.
SCREENSHOT_TYPES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
PAGE_TYPES = (".mhtml",)
#: The name of a record's file in an export: one safe part, as the recorder writes them.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
#: What stands for the TSA's root certificate in VERIFY.md's commands (got elsewhere).
ROOT_PLACEHOLDER = "ROOT.pem"
#: What stands for the zip's own name in VERIFY.md (its bytes cannot depend on it).
ZIP_PLACEHOLDER = "EXPORT.zip"

_HEAD = re.compile(r"chain (\d+):([0-9a-f]{64})\nexported (\d+):([0-9a-f]{64})\n")


class ExportError(Exception):
    """The export cannot be made: one line, why and what to do."""


# -- names and the small files, shared with export_check ---------------------------------------


def stem(seq: int) -> str:
    """`0001`: how a record's files are named (sorted by seq up to #9999)."""
    return f"{seq:04d}"


def json_name(seq: int) -> str:
    return f"{RECORDS}/{stem(seq)}.json"


def tsr_name(seq: int) -> str:
    return f"{RECORDS}/{stem(seq)}.tsr"


def file_name(seq: int, name: str) -> str:
    return f"{RECORDS}/{stem(seq)}/{name}"


def name_problem(name: str, kinds: Sequence[str]) -> str:
    """Why `name` cannot be a record's file in an export (`kinds`: the endings it may have),
    or ""."""
    if not FILE_NAME.fullmatch(name):
        return f"{name!r} is not a plain file name"
    if not name.lower().endswith(tuple(kinds)):
        return f"{name!r} does not end with {' or '.join(kinds)}"
    return ""


def render_sums(digests: Mapping[str, str]) -> bytes:
    """SHA256SUMS: `<sha256>  <name>` per file, sorted by name, as `sha256sum -c` reads it."""
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests)).encode()


def render_head(chain: tuple[int, str], newest: tuple[int, str]) -> bytes:
    """HEAD: `chain SEQ:HASH` (the whole chain's newest record when the export was made) and
    `exported SEQ:HASH` (the newest record in the export), in `--head`'s SEQ:HASH form."""
    return f"chain {chain[0]}:{chain[1]}\nexported {newest[0]}:{newest[1]}\n".encode()


def parse_head(data: bytes) -> tuple[tuple[int, str], tuple[int, str]] | None:
    """HEAD's (chain, exported), or None when it is not as `render_head` writes it."""
    match = _HEAD.fullmatch(data.decode("ascii", "replace"))
    if not match:
        return None
    return (int(match[1]), match[2]), (int(match[3]), match[4])


@dataclass(frozen=True)
class TsaFile:
    """One tsa/*.pem: the certificates tokens signed by one certificate carry."""

    name: str
    signer: str
    root: str
    data: bytes
    #: the records whose tokens it signed
    seqs: tuple[int, ...]


def tsa_files(chains: Mapping[int, TokenChain]) -> list[TsaFile]:
    """The tsa/*.pem files for these records' token chains (seq -> chain), one per signing
    certificate: its chain as far as the tokens carry it, then any other certificate they
    carry, each once, in the order of the records."""
    by_signer: dict[bytes, list[int]] = {}
    for seq in sorted(chains):
        by_signer.setdefault(chains[seq].certificates[0], []).append(seq)
    files = []
    for signer_der, seqs in by_signer.items():
        first = chains[seqs[0]]
        certificates: list[bytes] = []
        for seq in seqs:
            certificates.extend(c for c in chains[seq].certificates if c not in certificates)
        fingerprint = hashlib.sha256(signer_der).hexdigest()[:12]
        name = f"{TSA}/{safe_name(first.signer)}-{fingerprint}.pem"
        text = (
            f'# The certificates the time-stamping authority "{first.signer}" puts in its\n'
            "# tokens, copied from them for convenience. NOT a trust anchor: anyone can put any\n"
            "# certificate in a file. Give it to openssl as -untrusted (certificates it may use\n"
            "# to build the chain); the trust comes from -CAfile, a root certificate you got\n"
            f'# elsewhere: "{first.root}". See VERIFY.md.\n'
        ).encode()
        armored = b"".join(pem.armor("CERTIFICATE", der) for der in certificates)
        files.append(TsaFile(name, first.signer, first.root, text + armored, tuple(seqs)))
    return sorted(files, key=lambda f: f.name)


# -- choosing the records ----------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which records an export takes, and whether their page snapshots go with them."""

    flow: str | None = None
    #: records that began at or after this moment
    since: datetime.datetime | None = None
    pages: bool = False

    def takes(self, record: Record) -> bool:
        if self.flow is not None and record.flow.id != self.flow:
            return False
        if self.since is not None:
            moment = record.started or record.ended
            if moment is None or moment < self.since:
                return False
        return True

    def words(self) -> str:
        """`of flow X since 2026-11-22 00:00:00 UTC`, or ""."""
        parts = []
        if self.flow is not None:
            parts.append(f"of flow {self.flow}")
        if self.since is not None:
            parts.append(f"since {clock(times.iso(self.since))}")
        return " ".join(parts)


# -- making one --------------------------------------------------------------------------------


@dataclass
class Member:
    """One file of the zip: its bytes (or the file they are read from, checked again against
    the sha256 the record holds as they are read)."""

    name: str
    sha256: str
    data: bytes | None = None
    path: Path | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ExportError(
                f"{self.path} changed while it was being exported (its sha256 is no longer "
                "the one its record holds): run `optout-bot evidence verify`"
            )
        return data


def _member(name: str, data: bytes) -> Member:
    return Member(name, hashlib.sha256(data).hexdigest(), data=data)


@dataclass
class Exported:
    """What an export holds (what `evidence export` says it wrote)."""

    path: Path
    records: int = 0
    screenshots: int = 0
    pages: int = 0
    #: page snapshots the records name that were left out (not asked for)
    pages_left_out: int = 0
    stamped: int = 0
    files: int = 0
    size: int = 0
    chain_head: tuple[int, str] = (0, "")
    newest: tuple[int, str] = (0, "")
    names: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.path),
            "records": self.records,
            "screenshots": self.screenshots,
            "pages": self.pages,
            "pages_left_out": self.pages_left_out,
            "timestamped": self.stamped,
            "files": self.files,
            "bytes": self.size,
            "chain_head": {"seq": self.chain_head[0], "hash": self.chain_head[1]},
            "newest": {"seq": self.newest[0], "hash": self.newest[1]},
        }


@dataclass(frozen=True)
class _Chosen:
    seq: int
    hash: str
    text: str
    record: Record


def export_evidence(
    store_path: Path, out: Path, selection: Selection | None = None, *, replace: bool = False
) -> Exported:
    """Write the records `selection` takes from the store at `store_path` to the zip `out`,
    atomically (all of it or nothing; an existing `out` only with `replace`), after checking it
    as `evidence verify` will. `ExportError` when the store does not verify, no record is
    chosen, or a file of a record cannot go in."""
    selection = selection or Selection()
    if not Path(store_path).exists():
        raise ExportError(f"no evidence store at {store_path}: nothing to export")
    checked = verify_store(store_path)
    if not checked.ok:
        first = checked.first
        count = len(checked.problems)
        raise ExportError(
            f"the evidence store does not verify ({count} problem{'s' * (count != 1)}; the "
            f"first: {first}): an export of it would not either. `optout-bot evidence verify` "
            "names every problem"
        )
    layout = Layout(store_path)
    with EvidenceStore(store_path) as store:
        rows = store.hashed()
        stamps = store.stamps()
        chain_head = store.head()
    chosen, flows = [], set()
    for seq, digest, text in rows:
        record = Record.from_json({**json.loads(text), "hash": digest})
        flows.add(record.flow.id)
        if selection.takes(record):
            chosen.append(_Chosen(seq, digest, text, record))
    if not chosen or chain_head is None:
        which = f" {selection.words()}" if selection.words() else ""
        known = f" (recorded flows: {', '.join(sorted(flows))})" if selection.flow and flows else ""
        raise ExportError(f"no records{which} in {store_path}{known}: nothing to export")

    exported = Exported(Path(out), chain_head=chain_head)
    members: list[Member] = []
    chains: dict[int, TokenChain] = {}
    for item in chosen:
        if hashlib.sha256(item.text.encode()).hexdigest() != item.hash:  # verified just now
            raise ExportError(f"record #{item.seq} changed while it was being exported")
        members.append(_member(json_name(item.seq), item.text.encode()))
        stamp = stamps.get(item.seq)
        if stamp is not None and stamp.stamped and stamp.reply:
            try:
                check_reply(stamp.reply, item.hash)
                chains[item.seq] = token_chain(stamp.reply)
            except StampError as exc:
                raise ExportError(f"record #{item.seq}'s time-stamp token: {exc}") from None
            members.append(_member(tsr_name(item.seq), stamp.reply))
        files = _record_files(item, layout, selection.pages, store_path)
        members.extend(files)
        exported.screenshots += sum(1 for m in files if not m.name.lower().endswith(PAGE_TYPES))
        exported.pages += sum(1 for m in files if m.name.lower().endswith(PAGE_TYPES))
        if not selection.pages:
            exported.pages_left_out += sum(1 for s in item.record.pages if s.described)
    pems = tsa_files(chains)
    members.extend(_member(f.name, f.data) for f in pems)

    newest = (chosen[-1].seq, chosen[-1].hash)
    moment = _newest_time([c.record for c in chosen])
    members.append(_member(HEAD_FILE, render_head(chain_head, newest)))
    timestamps = {t.seq: t for t in checked.timestamps}
    report = _report(chosen, checked.checked, timestamps, layout, moment)
    members.append(_member(REPORT_FILE, report))
    guide = render_guide(chosen, chain_head, pems, timestamps, stamps, selection, exported)
    members.append(_member(GUIDE_FILE, guide))
    members.append(_member(SUMS_FILE, render_sums({m.name: m.sha256 for m in members})))

    exported.records = len(chosen)
    exported.stamped = len(chains)
    exported.newest = newest
    exported.names = sorted(m.name for m in members)
    exported.files = len(members)
    exported.size = _write_zip(Path(out), members, moment, replace=replace)
    return exported


def _record_files(item: _Chosen, layout: Layout, pages: bool, store_path: Path) -> list[Member]:
    """The screenshots (and, with `pages`, page snapshots) of one record, each checked to be
    the record's own file (see the module docstring)."""
    record = item.record
    folder = layout.find(record.evidence_dir, FOLDER_TAIL)
    wanted: list[tuple[Shot, Sequence[str]]] = [(s, SCREENSHOT_TYPES) for s in record.screenshots]
    if pages:
        wanted += [(s, PAGE_TYPES) for s in record.pages]
    members: list[Member] = []
    for shot, kinds in wanted:
        if not shot.described:  # a bare path (a hand-made record): nothing to check it by
            continue
        what = f"record #{item.seq}'s file {shot.name or shot.path!r}"
        problem = name_problem(shot.name, kinds)
        if problem:
            raise ExportError(f"{what}: {problem}; it is not exported")
        path = layout.find(shot.path, SHOT_TAIL)
        if path.name != shot.name or path.resolve().parent != folder.resolve():
            raise ExportError(f"{what} is not in the record's own folder ({folder}); refused")
        if path.is_symlink() or not stat.S_ISREG(path.lstat().st_mode):
            raise ExportError(f"{what} is not a plain file ({path}); refused")
        if _private_place(path.resolve(), store_path):
            raise ExportError(f"{what} lies in a browser profile or beside the settings; refused")
        name = file_name(item.seq, shot.name)
        if any(m.name == name for m in members):
            raise ExportError(f"{what}: the record names two files {shot.name!r}")
        members.append(Member(name, shot.sha256.lower(), path=path))
    return members


def _private_place(path: Path, store_path: Path) -> bool:
    """Whether `path` is in a browser profile folder or is the settings file (never exported,
    whatever a record says)."""
    profiles = {
        paths.profiles_dir().resolve(),
        (Path(store_path).absolute().parent / "profiles").resolve(),
    }
    if path == paths.config_path().resolve():
        return True
    return any(path.is_relative_to(folder) for folder in profiles)


def _newest_time(records: Iterable[Record]) -> datetime.datetime:
    """The newest record's time (ended, else started): what dates the zip and its report."""
    moments = [m for r in records for m in (r.ended, r.started) if m is not None]
    return max(moments) if moments else datetime.datetime(1980, 1, 1, tzinfo=times.UTC)


def _report(
    chosen: Sequence[_Chosen],
    checked: int,
    timestamps: Mapping[int, StampCheck],
    layout: Layout,
    moment: datetime.datetime,
) -> bytes:
    from optout_bot.evidence.report import render_report

    chain = {"ok": True, "checked": checked, "message": "", "problems": []}
    html = render_report(
        [c.record for c in chosen],
        chain,
        generated_at=moment,
        layout=layout,
        timestamps={c.seq: timestamps[c.seq].to_json() for c in chosen if c.seq in timestamps},
        exported=True,
    )
    return html.encode("utf-8")


def render_guide(
    chosen: Sequence[_Chosen],
    chain_head: tuple[int, str],
    pems: Sequence[TsaFile],
    timestamps: Mapping[int, StampCheck],
    stamps: Mapping[int, Any],
    selection: Selection,
    exported: Exported,
) -> bytes:
    """VERIFY.md, from templates/export-verify.md.j2, each record's commands filled in."""
    pem_of = {seq: f.name for f in pems for seq in f.seqs}
    seqs = {c.seq for c in chosen}
    records = []
    for item in chosen:
        record = item.record
        check = timestamps.get(item.seq)
        stamp = stamps.get(item.seq)
        why = (stamp.why if stamp is not None else "") or NEVER_SENT
        shots = [s for s in record.screenshots if s.described]
        if selection.pages:
            shots += [s for s in record.pages if s.described]
        listing = ".screenshots + .pages" if selection.pages and record.pages else ".screenshots"
        jq = ""
        if shots and len(shots) == len(record.screenshots) + (
            len(record.pages) if selection.pages else 0
        ):
            jq = (
                f"jq -r '({listing})[] | .sha256 + \"  {RECORDS}/{stem(item.seq)}/\" + .name' "
                f"{json_name(item.seq)} | sha256sum -c"
            )
        records.append(
            {
                "seq": item.seq,
                "json": json_name(item.seq),
                "tsr": tsr_name(item.seq) if item.seq in pem_of else "",
                "pem": pem_of.get(item.seq, ""),
                "hash": item.hash,
                "prev_hash": record.prev_hash,
                "what": describe(record),
                "tsa_time": clock(check.tsa_time) if check and check.tsa_time else "",
                "why": why,
                "linked": item.seq - 1 in seqs,
                "first": item.seq == 1,
                "previous": json_name(item.seq - 1),
                "jq": jq,
            }
        )
    gaps = _gaps(sorted(seqs), chain_head[0])
    env = templates.environment("optout_bot.evidence", html=False)
    text = env.get_template("export-verify.md.j2").render(
        version=__version__,
        records=records,
        flows=sorted({c.record.flow.id for c in chosen}),
        first=describe(chosen[0].record),
        last=describe(chosen[-1].record),
        chain_head=chain_head,
        newest=(chosen[-1].seq, chosen[-1].hash),
        gaps=gaps,
        tsas=pems,
        stamped=[r for r in records if r["tsr"]],
        unstamped=[r for r in records if not r["tsr"]],
        pages=selection.pages,
        pages_left_out=exported.pages_left_out,
        root=ROOT_PLACEHOLDER,
        zip=ZIP_PLACEHOLDER,
        zero=ZERO_HASH,
        selection=selection.words(),
        files={"head": HEAD_FILE, "sums": SUMS_FILE, "guide": GUIDE_FILE, "report": REPORT_FILE},
    )
    return text.encode("utf-8")


def _gaps(seqs: Sequence[int], head: int) -> list[str]:
    """`#2-#4`, `#7`: the stretches of the chain (up to its head) not in the export."""
    gaps, expected = [], 1
    for seq in [*seqs, head + 1]:
        if seq > expected:
            gaps.append(f"#{expected}" if seq - 1 == expected else f"#{expected}-#{seq - 1}")
        expected = seq + 1
    return gaps


def _write_zip(
    out: Path, members: Sequence[Member], moment: datetime.datetime, *, replace: bool
) -> int:
    """The zip, deterministic (see the module docstring), written beside `out` and put in
    place whole; its size."""
    utc = moment.astimezone(times.UTC)
    date_time = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    date_time = max(date_time, (1980, 1, 1, 0, 0, 0))  # the first time a zip can hold
    with private_output(out, replace=replace) as tmp, open(tmp, "wb") as stream:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for member in sorted(members, key=lambda m: m.name):
                info = zipfile.ZipInfo(member.name, date_time=date_time)
                info.create_system = 3  # Unix, so that the mode below is read as one
                info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, member.read())
        stream.flush()
        os.fsync(stream.fileno())
        _check_written(tmp)
    return out.stat().st_size


def _check_written(zipped: Path) -> None:
    """The zip as written is checked the way its reader will check it, before it is put in
    place: an export that does not verify is never handed over."""
    from optout_bot.evidence.export_check import verify_export

    report = verify_export(zipped)
    if not report.ok:
        raise ExportError(f"the export did not check as written ({report.first}); not written")
