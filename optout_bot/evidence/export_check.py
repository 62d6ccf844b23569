"""Checking an evidence export (`optout-bot evidence verify EXPORT.zip`): every file of it,
each by something other than SHA256SUMS too, and each problem naming the file.

An export is hostile input until checked: it is read with `zipfile`, never unpacked. Names
that would land outside a folder when unzipped (absolute, ``..``, backslashes, drive letters,
control characters), links, other special files, encrypted entries and repeated names are
problems and are not read; so is a zip that would unpack to more than `MAX_TOTAL` bytes, or to
more than `MAX_RATIO` times its own size (a zip bomb). Each entry is read as a stream, hashed
as it comes, never past its stated size; only the small files (records, tokens, HEAD,
SHA256SUMS, certificates) are kept in memory, each at most `MAX_SMALL` bytes. The folder an
export was unzipped to is read the same way (links and special files refused).

What is checked, and what it catches:

- SHA256SUMS: as `export.render_sums` writes it; every other file listed, each listed file
  there, each sha256 equal. Catches a changed, added or removed file, and any change to
  SHA256SUMS itself. Anyone who changes a file can write a new SHA256SUMS, so it is the first
  check, never the only one:
- records/NNNN.json: canonical JSON (as hashed), the seq it says, its hash recomputed; each
  links to the record before it when that one is in the export too (`prev_hash`), #1 to 64
  zeros.
- records/NNNN.tsr: the token checks (`timestamping.check_reply`: signature, signed attributes,
  the certificate's purpose and validity) and is for the record's recomputed hash. A changed
  record no longer matches its token; a changed token no longer checks.
- records/NNNN/*: each file's sha256 is the one its record holds; a screenshot the record
  lists is there (page snapshots may be left out); nothing else is.
- HEAD: as `export.render_head` writes it; its `exported` line is the newest record's
  recomputed hash, and its `chain` line is at or after it.
- tsa/*.pem: exactly the certificates the tokens carry (`export.tsa_files`).
- report.html and VERIFY.md: SHA256SUMS only (they are views of the records, not evidence).

When a file disagrees with its SHA256SUMS line but agrees with what else vouches for it (a
screenshot with its record, a record with its token or the next record's link), SHA256SUMS is
the file named as changed; otherwise the file is, and the message says either may be.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from optout_bot.base import times
from optout_bot.evidence.export import (
    GUIDE_FILE,
    HEAD_FILE,
    PAGE_TYPES,
    RECORDS,
    REPORT_FILE,
    SCREENSHOT_TYPES,
    SUMS_FILE,
    TSA,
    json_name,
    parse_head,
    render_head,
    render_sums,
    stem,
    tsa_files,
    tsr_name,
)
from optout_bot.evidence.record import Record
from optout_bot.evidence.store import (
    ZERO_HASH,
    Problem,
    StampCheck,
    VerifyReport,
    canonical_json,
    describe,
)
from optout_bot.evidence.timestamping import StampError, TokenChain, check_reply, token_chain

#: At most this many files in an export.
MAX_ENTRIES = 100_000
#: An export unpacks to at most this many bytes...
MAX_TOTAL = 64 * 1024**3
#: ...and to at most this many times its own size (beyond the first MB; exports are stored
#: uncompressed, so a real one is about 1:1 even after someone zips it again).
MAX_RATIO = 100
#: The files kept in memory to be read (records, tokens, HEAD, SHA256SUMS, certificates).
MAX_SMALL = 16 * 1024**2

_JSON = re.compile(r"records/(\d+)\.json")
_TSR = re.compile(r"records/(\d+)\.tsr")
_FILE = re.compile(r"records/(\d+)/([^/]+)")
_PEM = re.compile(r"tsa/[^/]+\.pem")
_SUM_LINE = re.compile(r"([0-9a-f]{64})  (\S[^\n]*)")
_CHUNK = 1 << 16


@dataclass
class _File:
    """One file of the export as read: its sha256 (and bytes, for the small ones)."""

    name: str
    sha256: str = ""
    data: bytes | None = None
    #: why it could not be read ("" when it was)
    damaged: str = ""


@dataclass
class _Read:
    files: dict[str, _File] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, kind: str, detail: str, path: str | None = None) -> None:
        self.problems.append(Problem(None, None, kind, detail, path))


def _small(name: str) -> bool:
    return bool(
        name in (HEAD_FILE, SUMS_FILE)
        or _JSON.fullmatch(name)
        or _TSR.fullmatch(name)
        or _PEM.fullmatch(name)
    )


def _unsafe(name: str) -> str:
    """Why an entry's name is not one an export may hold, or ""."""
    if not name:
        return "an empty name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "a control character in its name"
    if "\\" in name:
        return "a backslash in its name"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute path (it would be written outside the folder it is unzipped to)"
    if any(part in ("", ".", "..") for part in name.rstrip("/").split("/")):
        return "'..' or an empty part in its path (it would land outside its folder)"
    return ""


def _take(read: _Read, name: str, size: int, stream: IO[bytes]) -> None:
    """Hash one file as it is read (never past `size`), keeping a small one's bytes."""
    keep = _small(name)
    if keep and size > MAX_SMALL:
        read.problem("export_unsafe", f"{name} is {size} bytes, too large to be what it says", name)
        return
    digest, kept, seen = hashlib.sha256(), bytearray(), 0
    while True:
        chunk = stream.read(min(_CHUNK, size - seen + 1))
        if not chunk:
            break
        seen += len(chunk)
        if seen > size:
            read.problem("export_unsafe", f"{name} holds more than its stated size", name)
            return
        digest.update(chunk)
        if keep:
            kept += chunk
    read.files[name] = _File(name, digest.hexdigest(), bytes(kept) if keep else None)


def _bounded(read: _Read, total: int, own: int, count: int) -> bool:
    if count > MAX_ENTRIES:
        read.problem("export_unsafe", f"the export holds {count} files, more than an export can")
        return False
    if total > MAX_TOTAL or (total > 1024**2 and total > MAX_RATIO * max(own, 1)):
        read.problem(
            "export_unsafe",
            f"the export would unpack to {total} bytes from {own}: refused (a zip bomb?)",
        )
        return False
    return True


def _read_zip(path: Path) -> _Read:
    read = _Read()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        read.problem("export_unreadable", f"{path}: not a zip file that can be read ({exc})")
        return read
    with archive:
        infos = archive.infolist()
        if not _bounded(read, sum(i.file_size for i in infos), path.stat().st_size, len(infos)):
            return read
        for info in infos:
            name = info.filename
            why = _unsafe(name)
            if why:
                read.problem("export_unsafe", f"{name!r}: {why}; not read", name)
                continue
            if info.is_dir():
                continue
            kind = stat.S_IFMT(info.external_attr >> 16)
            if info.create_system == 3 and kind == stat.S_IFLNK:
                read.problem("export_unsafe", f"{name} is a symbolic link; not read", name)
                continue
            if info.create_system == 3 and kind not in (0, stat.S_IFREG):
                read.problem("export_unsafe", f"{name} is not a plain file; not read", name)
                continue
            if info.flag_bits & 0x1:
                read.problem("export_unsafe", f"{name} is encrypted; not read", name)
                continue
            if name in read.files:
                read.problem("export_unsafe", f"{name} is in the zip twice", name)
                continue
            try:
                with archive.open(info) as stream:
                    _take(read, name, info.file_size, stream)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
                read.files[name] = _File(name, damaged=str(exc) or type(exc).__name__)
    return read


def _read_folder(root: Path) -> _Read:
    read = _Read()
    found: list[tuple[str, Path, int]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                rel = (here / name).relative_to(root).as_posix()
                read.problem("export_unsafe", f"{rel} is a symbolic link; not read", rel)
                dirs.remove(name)
        for name in sorted(names):
            full = here / name
            rel = full.relative_to(root).as_posix()
            mode = full.lstat().st_mode
            if stat.S_ISLNK(mode):
                read.problem("export_unsafe", f"{rel} is a symbolic link; not read", rel)
            elif not stat.S_ISREG(mode):
                read.problem("export_unsafe", f"{rel} is not a plain file; not read", rel)
            else:
                found.append((rel, full, full.lstat().st_size))
    total = sum(size for _, _, size in found)
    if not _bounded(read, total, total, len(found)):
        return read
    for rel, full, size in found:
        try:
            with open(full, "rb") as stream:
                _take(read, rel, size, stream)
        except OSError as exc:
            read.files[rel] = _File(rel, damaged=str(exc))
    return read


# -- the checks --------------------------------------------------------------------------------


@dataclass
class _Entry:
    """A record of the export, as its JSON file says."""

    seq: int
    hash: str
    body: dict[str, Any]
    record: Record
    summary: str
    #: its time-stamp token is for its hash
    stamped: bool = False
    #: something other than SHA256SUMS vouches for its hash (its token, the next record's
    #: link, HEAD's line)
    vouched: bool = False


class _Checker:
    def __init__(self, read: _Read, report: VerifyReport) -> None:
        self.files = read.files
        self.report = report
        self.entries: dict[int, _Entry] = {}
        #: files whose own check (not SHA256SUMS) passed: a mismatch is then SHA256SUMS's
        self.vouched: set[str] = set()
        self.chains: dict[int, TokenChain] = {}
        self.tokens_unreadable = False
        #: what `report.export` says: the chain head of HEAD, the files SHA256SUMS matched
        self.export: dict[str, Any] = {}
        report.export = self.export

    def problem(self, kind: str, detail: str, path: str | None, seq: int | None = None) -> None:
        entry = self.entries.get(seq) if seq is not None else None
        self.report.problems.append(
            Problem(
                seq,
                str(entry.body.get("id")) if entry else None,
                kind,
                detail,
                path,
                entry.summary if entry else "",
            )
        )

    def run(self) -> None:
        for name, found in sorted(self.files.items()):
            if found.damaged:
                self.problem("file_damaged", f"{name} cannot be read from the export "
                             f"({found.damaged})", name)  # fmt: skip
        self._records()
        self._tokens()
        self._chain()
        self._head()
        self._record_files()
        self._certificates()
        self._unknown()
        self.vouched.update(json_name(e.seq) for e in self.entries.values() if e.vouched)
        self._sums()

    def _data(self, name: str) -> bytes | None:
        found = self.files.get(name)
        return found.data if found is not None and not found.damaged else None

    def _records(self) -> None:
        for name in sorted(self.files):
            match = _JSON.fullmatch(name)
            data = self._data(name)
            if not match or data is None:
                continue
            seq = int(match[1])
            if name != json_name(seq):
                continue  # not a name the export writes: _unknown names it
            try:
                body = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                body = None
            if not isinstance(body, dict):
                self.problem("record_altered", f"{name} is not a record (not a JSON object)",
                             name)  # fmt: skip
                continue
            digest = hashlib.sha256(data).hexdigest()
            record = Record.from_json({**body, "hash": digest})
            self.entries[seq] = _Entry(seq, digest, body, record, describe(record))
            if canonical_json(body).encode() != data:
                self.problem(
                    "record_altered",
                    f"{name} is not the record as it was hashed (its JSON was rewritten)",
                    name,
                    seq,
                )
            if body.get("seq") != seq:
                self.problem(
                    "record_altered", f"{name} says it is record #{body.get('seq')}", name, seq
                )
        if self.entries:
            newest = max(self.entries)
            self.report.head = (newest, self.entries[newest].hash)
        self.report.checked = len(self.entries)

    def _chain(self) -> None:
        for seq, entry in sorted(self.entries.items()):
            before = self.entries.get(seq - 1)
            expected = ZERO_HASH if seq == 1 else (before.hash if before else None)
            if expected is None:
                continue  # its predecessor is not in the export: nothing to link to
            if entry.body.get("prev_hash") == expected:
                if before is not None and entry.stamped:
                    before.vouched = True
                continue
            if before is not None and entry.stamped and not before.stamped:
                # The later record is sealed by its time-stamp: the earlier one changed.
                self.problem(
                    "chain_broken",
                    f"{json_name(seq - 1)} was changed: record #{seq}, whose time-stamp "
                    f"checks, links to another hash (its prev_hash)",
                    json_name(seq - 1),
                    seq - 1,
                )
                continue
            what = "the start of the chain" if seq == 1 else f"record #{seq - 1}"
            link = "64 zeros" if seq == 1 else f"the sha256 of {json_name(seq - 1)}"
            either = "it was changed" if seq == 1 else "one of the two was changed"
            self.problem(
                "chain_broken",
                f"{json_name(seq)} does not link to {what} (its prev_hash is not {link}): {either}",
                json_name(seq),
                seq,
            )

    def _tokens(self) -> None:
        from optout_bot.evidence.timestamping import read_reply

        for name in sorted(self.files):
            match = _TSR.fullmatch(name)
            data = self._data(name)
            if not match or data is None or name != tsr_name(int(match[1])):
                continue
            seq = int(match[1])
            entry = self.entries.get(seq)
            try:
                self.chains[seq] = token_chain(data)
            except StampError as exc:
                self.tokens_unreadable = True
                self.problem(
                    "timestamp_invalid", f"{name} is not a time-stamp that checks: {exc}", name,
                    seq if entry else None,
                )  # fmt: skip
                if entry is not None:
                    recorded = entry.record.ended_at or entry.record.started_at
                    self.report.timestamps.append(
                        StampCheck(seq, recorded, "invalid", why=str(exc))
                    )
                continue
            if entry is None:
                self.problem("file_unknown", f"{name} is a time-stamp of no record in the "
                             f"export ({json_name(seq)} is not there)", name)  # fmt: skip
                continue
            recorded = entry.record.ended_at or entry.record.started_at
            try:
                facts = check_reply(data, entry.hash)
            except StampError:
                signed = read_reply(data).digest
                other = next((e.seq for e in self.entries.values() if e.hash == signed), None)
                why = (
                    f"it is record #{other}'s time-stamp (swapped)"
                    if other is not None
                    else f"{json_name(seq)} was changed after it was time-stamped, or the "
                    "token is another record's"
                )
                self.problem(
                    "timestamp_invalid",
                    f"{name} is a time-stamp of another hash than {json_name(seq)}'s: {why}",
                    json_name(seq) if other is None else name,
                    seq,
                )
                self.report.timestamps.append(StampCheck(seq, recorded, "invalid", why=why))
                continue
            entry.stamped = entry.vouched = True
            self.report.timestamps.append(
                StampCheck(
                    seq,
                    recorded,
                    "timestamped",
                    tsa_time=times.iso(facts.gen_time),
                    tsa=facts.signer,
                )
            )
        for seq, entry in self.entries.items():
            if not any(t.seq == seq for t in self.report.timestamps):
                recorded = entry.record.ended_at or entry.record.started_at
                self.report.timestamps.append(
                    StampCheck(
                        seq, recorded, "not_timestamped", why=f"no {tsr_name(seq)} in the export"
                    )
                )
        self.report.timestamps.sort(key=lambda t: t.seq)

    def _record_files(self) -> None:
        present: dict[int, dict[str, _File]] = {}
        for name, each in self.files.items():
            match = _FILE.fullmatch(name)
            if match and f"{RECORDS}/{stem(int(match[1]))}/{match[2]}" == name:
                present.setdefault(int(match[1]), {})[match[2]] = each
        for seq, entry in sorted(self.entries.items()):
            here = present.pop(seq, {})
            listed = [(s, "screenshot") for s in entry.record.screenshots if s.described]
            listed += [(s, "page snapshot") for s in entry.record.pages if s.described]
            for shot, what in listed:
                name = f"{RECORDS}/{stem(seq)}/{shot.name}"
                found: _File | None = here.pop(shot.name) if shot.name in here else None
                if found is None:
                    if what == "screenshot":
                        self.problem("screenshot_missing", f"{name} is missing (record #{seq} "
                                     f"lists that screenshot)", name, seq)  # fmt: skip
                    continue
                if what == "screenshot":
                    self.report.screenshots += 1
                else:
                    self.report.pages += 1
                if found.damaged:
                    continue
                if found.sha256 != shot.sha256.lower():
                    self.problem(
                        "screenshot_altered",
                        f"{name} was altered (its sha256 is not the one record #{seq} holds "
                        f"for this {what})",
                        name,
                        seq,
                    )
                else:
                    self.vouched.add(name)
            for name in sorted(here):
                path = f"{RECORDS}/{stem(seq)}/{name}"
                self.problem("file_unknown", f"{path} is not one of record #{seq}'s files "
                             "(added?)", path, seq)  # fmt: skip
        for seq, here in sorted(present.items()):
            for name in sorted(here):
                path = f"{RECORDS}/{stem(seq)}/{name}"
                self.problem("file_unknown", f"{path} belongs to no record in the export "
                             f"({json_name(seq)} is not there)", path)  # fmt: skip

    def _head(self) -> None:
        data = self._data(HEAD_FILE)
        if data is None:
            if HEAD_FILE not in self.files:
                self.problem("file_missing", f"{HEAD_FILE} is missing", HEAD_FILE)
            return
        parsed = parse_head(data)
        if parsed is None:
            self.problem("head_altered", f"{HEAD_FILE} is not as an export writes it (changed)",
                         HEAD_FILE)  # fmt: skip
            return
        chain, exported = parsed
        self.export["chain_head"] = {"seq": chain[0], "hash": chain[1]}
        newest = self.report.head
        if newest is not None and exported != newest:
            self.problem(
                "head_altered",
                f"{HEAD_FILE} says the newest record here is #{exported[0]} {exported[1][:12]}…, "
                f"but it is #{newest[0]} {newest[1][:12]}… ({HEAD_FILE} or that record was "
                "changed)",
                HEAD_FILE,
            )
            return
        if chain[0] < exported[0] or (chain[0] == exported[0] and chain[1] != exported[1]):
            self.problem("head_altered", f"{HEAD_FILE}'s chain head is not at or after the "
                         "newest record here (changed)", HEAD_FILE)  # fmt: skip
            return
        if newest is not None:
            self.entries[newest[0]].vouched = True
        if chain[0] == exported[0] and data == render_head(chain, exported):
            self.vouched.add(HEAD_FILE)  # every byte of it follows from the records

    def _certificates(self) -> None:
        expected = {f.name: f.data for f in tsa_files(self.chains)}
        present = sorted(n for n in self.files if n.startswith(f"{TSA}/"))
        for name in present:
            data = self._data(name)
            if data is None:
                continue
            if name not in expected:
                if not self.tokens_unreadable:
                    self.problem("certificates_altered", f"{name} holds certificates no token "
                                 "in the export carries (added?)", name)  # fmt: skip
            elif data != expected[name]:
                self.problem(
                    "certificates_altered",
                    f"{name} is not the certificates the tokens carry (changed)",
                    name,
                )
            else:
                self.vouched.add(name)
        for name in sorted(set(expected) - set(present)):
            self.problem("file_missing", f"{name} is missing (the certificates of the tokens "
                         "that name it)", name)  # fmt: skip

    def _unknown(self) -> None:
        for name in sorted(self.files):
            if name in (HEAD_FILE, SUMS_FILE, GUIDE_FILE, REPORT_FILE):
                continue
            json_match, tsr_match = _JSON.fullmatch(name), _TSR.fullmatch(name)
            if json_match and name == json_name(int(json_match[1])):
                continue
            if tsr_match and name == tsr_name(int(tsr_match[1])):
                continue
            file_match = _FILE.fullmatch(name)
            if file_match and name == f"{RECORDS}/{stem(int(file_match[1]))}/{file_match[2]}":
                continue
            if _PEM.fullmatch(name):
                continue
            self.problem("file_unknown", f"{name} is not a file an evidence export holds "
                         "(added?)", name)  # fmt: skip
        for name in (GUIDE_FILE, REPORT_FILE):
            if name not in self.files:
                self.problem("file_missing", f"{name} is missing", name)
        if not self.entries:
            self.problem("file_missing", "the export holds no record (records/NNNN.json)", None)

    def _sums(self) -> None:
        data = self._data(SUMS_FILE)
        if data is None:
            if SUMS_FILE not in self.files:
                self.problem("file_missing", f"{SUMS_FILE} is missing", SUMS_FILE)
            return
        listed: dict[str, str] = {}
        before = len(self.report.problems)
        text = data.decode("utf-8", "replace")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        else:
            self.problem("sums_altered", f"{SUMS_FILE} does not end its last line (changed)",
                         SUMS_FILE)  # fmt: skip
        for number, line in enumerate(lines, 1):
            match = _SUM_LINE.fullmatch(line)
            if not match or match[2] in listed:
                self.problem("sums_altered", f"{SUMS_FILE} line {number} is not `<sha256>  "
                             f"<file>` as the export wrote it (changed): {line[:80]!r}",
                             SUMS_FILE)  # fmt: skip
                continue
            listed[match[2]] = match[1]
        checked = 0
        for name, digest in sorted(listed.items()):
            found = self.files.get(name)
            if found is None:
                self.problem("file_missing", f"{SUMS_FILE} lists {name}, which is not in the "
                             f"export (removed, or {SUMS_FILE} was changed)", name)  # fmt: skip
                continue
            if found.damaged:
                continue
            checked += 1
            if found.sha256 == digest:
                continue
            seq = self._seq_of(name)
            if name in self.vouched:
                self.problem(
                    "sums_altered",
                    f"{SUMS_FILE} was changed: its sha256 for {name} is not that file's, and "
                    f"{name} itself checks ({self._why_vouched(name)})",
                    SUMS_FILE,
                )
            else:
                self.problem(
                    "sums_mismatch",
                    f"{name} does not match its sha256 in {SUMS_FILE}: {name} was changed "
                    f"(or {SUMS_FILE} was)",
                    name,
                    seq if seq in self.entries else None,
                )
        for name in sorted(set(self.files) - set(listed) - {SUMS_FILE}):
            self.problem("file_unlisted", f"{name} is not listed in {SUMS_FILE} (added, or "
                         f"{SUMS_FILE} was changed)", name)  # fmt: skip
        self.export["files"] = checked
        if len(self.report.problems) == before and data != render_sums(listed):
            # Every line holds, yet it is not as written (another order, say): still changed.
            self.problem("sums_altered", f"{SUMS_FILE} is not as the export wrote it (changed)",
                         SUMS_FILE)  # fmt: skip

    @staticmethod
    def _seq_of(name: str) -> int | None:
        for pattern in (_JSON, _TSR, _FILE):
            match = pattern.fullmatch(name)
            if match:
                return int(match[1])
        return None

    def _why_vouched(self, name: str) -> str:
        if name.endswith(PAGE_TYPES) or name.endswith(SCREENSHOT_TYPES):
            return "its sha256 is the one its record holds"
        if name.startswith(f"{TSA}/"):
            return "it holds the certificates the tokens carry"
        if name == HEAD_FILE:
            return "it names the newest record here, with its hash"
        return "its hash is the one its time-stamp, the next record or HEAD vouches for"


def verify_export(path: Path) -> VerifyReport:
    """Check the export at `path` (a zip, or the folder it was unzipped to) without ever
    raising; each problem names the file. `report.head` is the newest record in the export;
    `report.export` says its chain head (from HEAD) and how many files matched SHA256SUMS."""
    report = VerifyReport(store=str(path), export={})  # filled in by _Checker
    if not path.exists():
        report.problems.append(
            Problem(None, None, "export_unreadable", f"no evidence export at {path}")
        )
        return report
    read = _read_folder(path) if path.is_dir() else _read_zip(path)
    report.problems.extend(read.problems)
    if not read.files:
        if not read.problems:
            report.problems.append(
                Problem(None, None, "export_unreadable", f"{path} holds no file of an export")
            )
        return report
    _Checker(read, report).run()
    return report
