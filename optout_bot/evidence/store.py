"""The evidence store: every run as a hash-chained, append-only record in SQLite.

Members need proof of *when* they opted out (class actions, GDPR complaints), so a record has
to be hard to change without it showing. Each finished run becomes a record whose hash covers
its whole body (flow, states, the sha256 of each screenshot, its place in the chain) and the
hash of the record before it. `verify()` (`optout-bot evidence verify`) recomputes everything
from the stored text and the files, and names each record that was altered, removed, reordered,
or whose record.json or screenshots changed.

A run's record goes through:

    begin()                       a *pending* row (status "running"), outside the chain
    update(), add_screenshot()    each milestone committed at once: a crash keeps what was seen
    finish()                      seq + prev_hash + hash, into the chain, in one transaction;
                                  then record.json (the same body and hash) beside the
                                  screenshots, so the folder can be checked on its own

A pending row whose process is gone (killed, crashed, machine rebooted) is finished as
"interrupted" the next time any optout-bot opens the store (`recover()`); finished rows are
never rewritten (SQLite triggers refuse UPDATE and DELETE on them).

What a chain cannot show by itself: the removal of its *newest* records (nothing after them
breaks). `evidence verify` prints the chain head (newest seq and hash), and so do `check` and
its alerts; noted somewhere else (an e-mail to yourself, a notification), it pins everything
up to it: `verify(head=(seq, hash))` (`evidence verify --head SEQ:HASH`) says whether that
record is still there with that hash, and how many came after.

Nor can it show *when*: a whole chain can be rebuilt with other dates. After a record is
finished, its hash is sent to a time-stamping authority (`evidence.timestamping`); the
signed reply is kept in the `timestamps` table, beside the record and outside its hash (the
record is hashed before it is stamped, so the chain is as it always was). `verify()` checks
each token against its record's hash and reports the TSA's time beside the recorded one; a
record without a token is "not timestamped" (and why), which is not a problem of the chain.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import hashlib
import json
import os
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath
from typing import Any

from optout_bot.base import paths, times
from optout_bot.base.files import write_private
from optout_bot.evidence.layout import FOLDER_TAIL, RECORD_JSON, RECORD_TSR, SHOT_TAIL, Layout
from optout_bot.evidence.record import SCHEMA, Record
from optout_bot.evidence.timestamping import NEVER_SENT, STAMPED, Stamp, clock, host_of

ZERO_HASH = "0" * 64
BUSY_TIMEOUT_S = 10.0
#: A pending row older than this is taken as dead even if its pid is alive (pid reuse) or
#: it comes from another machine (a store on a shared folder).
STALE_AFTER_S = 24 * 3600
INTERRUPTED_REASON = (
    "the run stopped before it finished (killed or crashed); what it saw so far is kept"
)
#: Assigned by the store, never by callers.
_RESERVED = frozenset({"id", "seq", "prev_hash", "hash"})

_DDL = (
    # seq is the rowid: chain order is the table itself, not a separate index.
    """CREATE TABLE IF NOT EXISTS records (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS pending (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        boot TEXT NOT NULL,
        started REAL NOT NULL,
        updated REAL NOT NULL
    )""",
    # Append only: a bug (or a careless hand) cannot rewrite the chain through SQL without
    # first dropping these, and verify() would still see it.
    """CREATE TRIGGER IF NOT EXISTS records_append_only_update BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, 'evidence records are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS records_append_only_delete BEFORE DELETE ON records
    BEGIN SELECT RAISE(ABORT, 'evidence records are append-only'); END""",
)
#: A record's trusted time-stamp (or why it has none), one row per record, beside the chain
#: and outside its hashes. Not part of the schema version: a store from before it gets the
#: table the first time this version opens it, and older versions simply do not read it.
_STAMPS_DDL = """CREATE TABLE IF NOT EXISTS timestamps (
    seq INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    state TEXT NOT NULL,
    reply BLOB,
    tsa_url TEXT NOT NULL DEFAULT '',
    gen_time TEXT NOT NULL DEFAULT '',
    nonce TEXT NOT NULL DEFAULT '',
    why TEXT NOT NULL DEFAULT '',
    tried_at TEXT NOT NULL
)"""
_STAMP_COLUMNS = "seq, record_id, hash, state, tried_at, reply, tsa_url, gen_time, nonce, why"


class StoreError(Exception):
    """The store cannot do what was asked (newer schema, unknown run, ...)."""


class UnknownRun(StoreError, LookupError):
    """No pending run with that id (never begun, or already finished / recovered)."""


def default_store_path() -> Path:
    return paths.data_dir() / "evidence.sqlite3"


# -- canonical form and hashing --------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON-able: {value!r}")


def canonical_json(body: Mapping[str, Any]) -> str:
    """The one text a body hashes as: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(
        body,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def record_hash(body: Mapping[str, Any]) -> str:
    """sha256 hex of the canonical JSON of `body` (without its "hash" key, if it has one)."""
    plain = {k: v for k, v in body.items() if k != "hash"}
    return hashlib.sha256(canonical_json(plain).encode()).hexdigest()


def render_record_json(body: Mapping[str, Any]) -> bytes:
    """record.json's exact bytes for a finished body (which includes "hash")."""
    text = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """Paths and enums (Status) as strings, tuples as lists: what reading it back gives."""
    result: dict[str, Any] = json.loads(canonical_json(value))
    return result


def utc_now() -> str:
    return times.iso(times.utc_now())


def _utc_stamp(unix: float) -> str:
    return times.iso(datetime.datetime.fromtimestamp(unix, times.UTC))


def describe(body: Mapping[str, Any] | Record) -> str:
    """`2026-11-22 14:00 UTC, linkedin-ai-training verify desktop`: which run a record is."""
    record = body if isinstance(body, Record) else Record.from_json(body)
    moment = record.started
    when = moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "unknown time"
    what = " ".join(x for x in (record.flow.id, record.mode, record.platform) if x)
    return f"{when}, {what}" if what else when


def _template() -> dict[str, Any]:
    """A new record's body before anything is known: the shape is `Record`'s."""
    return Record(started_at=utc_now()).to_json()


# -- whether the process behind a pending row is still there ---------------------------------


def _boot_id() -> str:
    """Changes at each boot (Linux); "" elsewhere. After a reboot every old pid is dead."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


if sys.platform == "win32":

    def _pid_alive(pid: int) -> bool:
        # os.kill(pid, 0) would *terminate* the process on Windows; ask for its exit code.
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:

    def _pid_alive(pid: int) -> bool:
        if pid <= 0:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # someone else's process: alive
            return True
        except OSError:
            return False
        return True


# -- verification report ---------------------------------------------------------------------


@dataclass
class Problem:
    #: the record's seq (what the record says it is); None for store-wide problems
    seq: int | None
    record_id: str | None
    #: store_unreadable | store_missing | record_altered | chain_broken | record_json_altered
    #: | record_json_missing | screenshot_altered | screenshot_missing | timestamp_invalid
    #: | timestamp_file_altered | timestamp_file_missing | record_removed | head_missing
    #: | head_mismatch
    kind: str
    detail: str
    path: str | None = None
    #: which run: `2026-11-22 14:00 UTC, linkedin-ai-training verify desktop`
    summary: str = ""

    def __str__(self) -> str:
        if self.seq is None:
            return self.detail
        where = f" ({self.summary})" if self.summary else ""
        return f"record #{self.seq}{where}: {self.detail}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["message"] = str(self)
        return data


@dataclass(frozen=True)
class StampCheck:
    """One record's trusted time-stamp as `verify()` found it."""

    seq: int
    #: the record's own time: when it ended (else began), as recorded
    recorded_at: str
    #: "timestamped" (the token checks), "not_timestamped" (none: `why`), "invalid" (a
    #: token that does not check: a problem of the report)
    state: str
    tsa_time: str = ""
    tsa: str = ""
    why: str = ""

    def __str__(self) -> str:
        recorded = f"recorded {clock(self.recorded_at)}" if self.recorded_at else "recorded ?"
        if self.state == "timestamped":
            return f"#{self.seq}  {recorded}, TSA time {clock(self.tsa_time)} ({self.tsa})"
        if self.state == "invalid":
            return f"#{self.seq}  {recorded}, time-stamp token INVALID: {self.why}"
        return f"#{self.seq}  {recorded}, not timestamped: {self.why}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    screenshots: int = 0
    pages: int = 0
    #: the newest record (seq, hash): note it elsewhere to pin the chain up to it
    head: tuple[int, str] | None = None
    store: str = ""
    #: each record's time-stamp, in chain order
    timestamps: list[StampCheck] = field(default_factory=list)
    #: a chain head noted elsewhere, checked: {"seq", "hash", "found", "after"}
    pinned: dict[str, Any] | None = None
    #: for an export (`evidence.export_check`): {"chain_head": {"seq", "hash"} from its HEAD,
    #: "files": how many matched SHA256SUMS}; None for a store
    export: dict[str, Any] | None = None

    @property
    def stamped(self) -> int:
        return sum(1 for t in self.timestamps if t.state == "timestamped")

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "screenshots": self.screenshots,
            "pages": self.pages,
            "head": {"seq": self.head[0], "hash": self.head[1]} if self.head else None,
            "store": self.store,
            "problems": [p.to_json() for p in self.problems],
            "timestamps": [t.to_json() for t in self.timestamps],
            "pinned": self.pinned,
            **({"export": self.export} if self.export is not None else {}),
        }


@dataclass
class _Flagger:
    """Adds problems about one record to the report."""

    report: VerifyReport
    seq: int
    record_id: str
    summary: str

    def __call__(self, kind: str, detail: str, path: str | None = None) -> None:
        self.report.problems.append(
            Problem(self.seq, self.record_id, kind, detail, path, self.summary)
        )


def _unreadable(path: Path, exc: object) -> Problem:
    return Problem(
        None,
        None,
        "store_unreadable",
        f"store unreadable: {path}: {exc} (the file is damaged or is not an optout-bot "
        "evidence store; keep a copy of it as it is)",
        path=str(path),
    )


def verify_store(path: Path | None = None, head: tuple[int, str] | None = None) -> VerifyReport:
    """Verify the store at `path` without ever raising: a missing or damaged store is a
    problem in the report. A missing store is *not* created. `head`: a chain head noted
    elsewhere (seq, hash), checked too (see `EvidenceStore.verify`)."""
    path = path or default_store_path()
    if not path.exists():
        problem = Problem(
            None,
            None,
            "store_missing",
            f"no evidence store at {path}: nothing to verify (each run records itself "
            "there; a store that was there and is gone means its records were removed)",
            path=str(path),
        )
        return VerifyReport(problems=[problem], store=str(path))
    try:
        with EvidenceStore(path) as store:
            return store.verify(head=head)
    except (sqlite3.DatabaseError, StoreError, OSError) as exc:
        return VerifyReport(problems=[_unreadable(path, exc)], store=str(path))


# -- the store -------------------------------------------------------------------------------


class EvidenceStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        #: how this store's records name their files (relative to its folder), and finds them
        self.layout = Layout(self.path)
        self._conn: sqlite3.Connection | None = None
        self._host = socket.gethostname()
        self._boot = _boot_id()
        self._conn = self._open()
        try:
            self.recover()
        except BaseException:
            self.close()
            raise

    # -- opening

    def _open(self) -> sqlite3.Connection:
        if not self.path.parent.is_dir():
            paths.private_dir(self.path.parent)
        if not self.path.exists():
            # Created 0600 before SQLite sees it; SQLite gives its -wal/-shm the same mode.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            if os.name == "posix":
                os.chmod(self.path, 0o600)
        # One thread at a time, but not always the one that opened it: the CLI opens the store
        # on a worker thread while Playwright starts, then hands it over (never shared).
        conn = sqlite3.connect(
            str(self.path),
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA:
                raise StoreError(
                    f"{self.path} was written by a newer optout-bot (store schema {version}; "
                    f"this one knows {SCHEMA}): upgrade optout-bot"
                )
            if version < SCHEMA:
                with self._transaction(conn):
                    for statement in _DDL:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA}")
            has_stamps = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'timestamps'"
            ).fetchone()
            if not has_stamps:
                with self._transaction(conn):
                    conn.execute(_STAMPS_DDL)
        except BaseException:
            conn.close()
            raise
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the evidence store is closed")
        return self._conn

    @staticmethod
    @contextlib.contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front: two runs finishing at once queue here
        # (for up to BUSY_TIMEOUT_S) instead of both reading the same "last seq".
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # nothing half-done stays: the store is as before
                conn.rollback()
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- a run's lifecycle

    def begin(self, body: Record | Mapping[str, Any] | None = None) -> str:
        """Insert a pending row (status "running"); returns the run's id.

        `body` is laid over a new record's defaults; its `evidence_dir` is recorded relative
        to the store's folder when it lies inside it (see `evidence.layout`)."""
        given = _plain(body.to_json() if isinstance(body, Record) else dict(body or {}))
        if given.get("evidence_dir"):
            given["evidence_dir"] = self.layout.record(str(given["evidence_dir"]))
        merged = _template()
        merged.update({k: v for k, v in given.items() if k not in ("seq", "prev_hash", "hash")})
        run_id = str(given.get("id") or uuid.uuid4().hex)
        merged["id"] = run_id
        merged["status"] = "running"
        merged["exit_code"] = None
        now = time.time()
        with self._transaction(self.conn) as conn:
            if conn.execute("SELECT 1 FROM records WHERE id = ?", (run_id,)).fetchone():
                raise StoreError(f"a finished record with id {run_id} already exists")
            try:
                conn.execute(
                    "INSERT INTO pending (id, body, pid, host, boot, started, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, canonical_json(merged), os.getpid(), self._host, self._boot, now, now),
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"a run with id {run_id} is already pending") from None
        return run_id

    def update(self, run_id: str, **fields: Any) -> None:
        """Merge `fields` into the pending body (a shallow merge) and commit."""
        changes = self._checked_fields(fields)

        def merge(body: dict[str, Any]) -> None:
            body.update(changes)

        self._change_pending(run_id, merge)

    def add_screenshot(self, run_id: str, path: Path, key: str = "screenshots") -> dict[str, str]:
        """Hash the file now and append it to the pending body's screenshots (or, with
        `key="pages"`, its page snapshots); commit."""
        path = Path(path)
        entry = {"name": path.name, "path": self.layout.record(path), "sha256": file_sha256(path)}

        def append(body: dict[str, Any]) -> None:
            shots = body.get(key)
            body[key] = [*(shots if isinstance(shots, list) else []), entry]

        self._change_pending(run_id, append)
        return entry

    def finish(self, run_id: str, **fields: Any) -> dict[str, Any]:
        """Move the pending run into the chain (one transaction), then write record.json.

        `ended_at` defaults to now and `exit_code` to the status's exit code. Returns the
        final body, with "hash"."""
        body = self._append(run_id, self._checked_fields(fields))
        if body is None:
            raise UnknownRun(f"no pending run {run_id} (never begun, or already finished)")
        self._write_record_json(body)
        return body

    def recover(self) -> list[dict[str, Any]]:
        """Finish, as "interrupted", every pending run whose process is gone; return them.

        Their `ended_at` is the last moment they were seen (their last milestone);
        `recovered_at` says when the store noticed."""
        rows = self.conn.execute("SELECT id, pid, host, boot, started, updated FROM pending")
        now = time.time()
        recovered = []
        for run_id, pid, host, boot, started, updated in rows.fetchall():
            if not self._gone(pid, host, boot, started, now):
                continue
            body = self._append(
                run_id,
                {
                    "status": "interrupted",
                    "exit_code": None,
                    "reason": INTERRUPTED_REASON,
                    "ended_at": _utc_stamp(updated),
                    "recovered_at": utc_now(),
                },
            )
            if body is not None:  # else another process recovered it first
                self._write_record_json(body)
                recovered.append(body)
        return recovered

    def _gone(self, pid: int, host: str, boot: str, started: float, now: float) -> bool:
        if now - started > STALE_AFTER_S:
            return True
        if host != self._host:
            return False  # cannot see that machine's processes; wait for STALE_AFTER_S
        if boot and self._boot and boot != self._boot:
            return True
        return not _pid_alive(pid)

    # -- reading

    def records(self, flow_id: str | None = None) -> list[dict[str, Any]]:
        """Finished records in chain order, each with its stored "hash"."""
        found = []
        for seq, run_id, digest, text in self.conn.execute(
            "SELECT seq, id, hash, body FROM records ORDER BY seq"
        ):
            try:
                body = json.loads(text)
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError:
                body = {"seq": seq, "id": run_id, "damaged": True}
            body["hash"] = digest
            flow = body.get("flow")
            if flow_id is None or (isinstance(flow, dict) and flow.get("id") == flow_id):
                found.append(body)
        return found

    def hashed(self) -> list[tuple[int, str, str]]:
        """Each finished record as (seq, hash, text), in chain order: the text exactly as it
        was hashed (the sha256 of its UTF-8 bytes is the hash). What an export hands over."""
        rows = self.conn.execute("SELECT seq, hash, body FROM records ORDER BY seq")
        return [(int(seq), str(digest), str(text)) for seq, digest, text in rows]

    def read(self, flow_id: str | None = None) -> list[Record]:
        """`records()`, typed."""
        return [Record.from_json(body) for body in self.records(flow_id)]

    def head(self) -> tuple[int, str] | None:
        """The newest record's (seq, hash): the chain head to note elsewhere."""
        row = self.conn.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1")
        found = row.fetchone()
        return (int(found[0]), str(found[1])) if found else None

    # -- time-stamps (beside the chain, outside its hashes)

    def stamps(self) -> dict[int, Stamp]:
        """Each record's time-stamp row (stamped, or why not), by seq."""
        rows = self.conn.execute(f"SELECT {_STAMP_COLUMNS} FROM timestamps ORDER BY seq")
        found = {}
        for seq, run_id, digest, state, tried, reply, url, gen_time, nonce, why in rows:
            found[int(seq)] = Stamp(
                int(seq),
                str(run_id),
                str(digest),
                str(state),
                str(tried),
                bytes(reply) if reply is not None else None,
                str(url or ""),
                str(gen_time or ""),
                str(nonce or ""),
                str(why or ""),
            )
        return found

    def stamp_of(self, body: Mapping[str, Any], stamps: Mapping[int, Stamp]) -> Stamp:
        """A record's time-stamp from `stamps()`; "never sent" when it has no row."""
        seq = body.get("seq")
        found = stamps.get(seq) if isinstance(seq, int) else None
        if found is not None:
            return found
        return Stamp(
            seq if isinstance(seq, int) else 0,
            str(body.get("id") or ""),
            str(body.get("hash") or ""),
            "",
            "",
            why=NEVER_SENT,
        )

    def keep_stamp(self, stamp: Stamp) -> None:
        """Keep a record's time-stamp (or why it has none), replacing what was kept for it."""
        with self._transaction(self.conn) as conn:
            conn.execute(
                f"INSERT OR REPLACE INTO timestamps ({_STAMP_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp.seq,
                    stamp.record_id,
                    stamp.hash,
                    stamp.state,
                    stamp.tried_at,
                    stamp.reply,
                    stamp.tsa_url,
                    stamp.gen_time,
                    stamp.nonce,
                    stamp.why,
                ),
            )

    def pending(self) -> list[dict[str, Any]]:
        """Runs begun and not finished (still running, or not yet recovered)."""
        rows = self.conn.execute("SELECT body FROM pending ORDER BY started")
        return [json.loads(text) for (text,) in rows]

    # -- verification

    def verify(self, head: tuple[int, str] | None = None) -> VerifyReport:
        """Recompute every hash and link from the stored text, and check each record's
        record.json and screenshots, and its time-stamp token. Never raises on a damaged
        database.

        `head`: a chain head noted elsewhere (seq, hash). A problem when that record is
        missing (the newest records were removed) or has another hash (rewritten);
        `report.pinned` says how many records came after it."""
        report = VerifyReport(store=str(self.path))
        try:
            damage = [
                line
                for (text,) in self.conn.execute("PRAGMA quick_check")
                for line in str(text).splitlines()
                if line != "ok" and not line.startswith("***")
            ]
            if damage:
                detail = "damaged: " + "; ".join(damage[:3])
                report.problems.append(_unreadable(self.path, detail))
            rows = self.conn.execute(
                "SELECT seq, id, hash, body FROM records ORDER BY seq"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            report.problems.append(_unreadable(self.path, exc))
            return report

        parsed: list[tuple[int, str, str, str, dict[str, Any] | None]] = []
        hash_of: dict[int, str] = {}  # claimed seq -> stored hash
        for seq, run_id, digest, text in rows:
            body = _load_body(text)
            parsed.append((seq, run_id, digest, text, body))
            claimed = body.get("seq") if body else None
            if isinstance(claimed, int):
                hash_of.setdefault(claimed, digest)

        previous = 0
        for seq, run_id, digest, text, body in parsed:
            report.checked += 1
            report.head = (seq, digest)
            claimed = body.get("seq") if body else None
            name = claimed if isinstance(claimed, int) else seq

            problem = _Flagger(report, name, run_id, describe(body) if body else "")

            # The stored text itself: hash, id, parseable.
            if body is None:
                problem("record_altered", "the stored record is not valid JSON (altered)")
            elif hashlib.sha256(text.encode()).hexdigest() != digest:
                problem(
                    "record_altered",
                    "the stored record was altered (its content no longer matches its hash)",
                )
            elif body.get("id") != run_id:
                problem("record_altered", "the stored record's id does not match its row")

            # Its place in the chain: consecutive, where it says it is, linked.
            broken = []
            gap = seq != previous + 1
            if gap and seq == previous + 2:
                broken.append(f"record #{previous + 1} before it is missing (removed)")
            elif gap:
                broken.append(f"records #{previous + 1}-#{seq - 1} before it are missing")
            if body is not None and not isinstance(claimed, int):
                broken.append("it has no sequence number")
            if body is not None and isinstance(claimed, int):
                if claimed != seq:
                    broken.append(
                        f"it says it is #{claimed} but is stored as #{seq} (records were "
                        "reordered or renumbered)"
                    )
                expected = ZERO_HASH if claimed == 1 else hash_of.get(claimed - 1)
                if expected is None:
                    if not (gap and claimed == seq):  # else already said above
                        broken.append(f"record #{claimed - 1} before it is missing (removed)")
                elif body.get("prev_hash") != expected:
                    before = "the start of the chain" if claimed == 1 else f"record #{claimed - 1}"
                    broken.append(f"it does not link to {before} (prev_hash mismatch)")
            if broken:
                problem("chain_broken", "chain broken: " + "; ".join(broken))
            previous = seq

            if body is not None:
                self._check_files(Record.from_json(body), body, digest, problem, report)
        self._check_stamps(parsed, report)
        if head is not None:
            _check_head(report, {seq: digest for seq, _, digest, _, _ in parsed}, head)
        return report

    def _check_stamps(
        self, parsed: list[tuple[int, str, str, str, dict[str, Any] | None]], report: VerifyReport
    ) -> None:
        """Each record's token against its hash, record.tsr against the stored token; a
        token kept for a record that is gone."""
        from optout_bot.evidence.timestamping import StampError, check_reply, read_reply

        try:
            stamps = self.stamps()
        except sqlite3.DatabaseError as exc:
            report.problems.append(_unreadable(self.path, f"its time-stamps: {exc}"))
            return
        owner = {digest: seq for seq, _, digest, _, _ in parsed}
        for seq, run_id, digest, _text, body in parsed:
            if body is None:
                continue
            record = Record.from_json(body)
            recorded = record.ended_at or record.started_at
            stamp = self.stamp_of({**body, "seq": seq, "hash": digest}, stamps)
            if not stamp.stamped:
                report.timestamps.append(
                    StampCheck(seq, recorded, "not_timestamped", why=stamp.why)
                )
                continue
            problem = _Flagger(report, seq, run_id, describe(body))
            try:
                nonce = int(stamp.nonce) if stamp.nonce else None
                facts = check_reply(stamp.reply or b"", digest, nonce)
            except (StampError, ValueError) as exc:
                why = str(exc)
                try:
                    other = owner.get(read_reply(stamp.reply or b"").digest)
                except StampError:
                    other = None
                if other is not None and other != seq:
                    why = f"it is record #{other}'s token, not this record's (swapped)"
                problem("timestamp_invalid", f"its time-stamp token does not check: {why}")
                report.timestamps.append(StampCheck(seq, recorded, "invalid", why=why))
                continue
            report.timestamps.append(
                StampCheck(
                    seq,
                    recorded,
                    "timestamped",
                    tsa_time=times.iso(facts.gen_time),
                    tsa=stamp.tsa or host_of(stamp.tsa_url) or facts.signer,
                )
            )
            self._check_tsr(record, stamp, problem)
        chained = {seq for seq, *_ in parsed}
        for seq, stamp in stamps.items():
            if seq not in chained and stamp.state == STAMPED:
                report.problems.append(
                    Problem(
                        seq,
                        stamp.record_id,
                        "record_removed",
                        f"it was time-stamped ({clock(stamp.gen_time)}), but it is no longer "
                        "in the store (removed)",
                    )
                )

    def _check_tsr(self, record: Record, stamp: Stamp, problem: _Flagger) -> None:
        folder = self.layout.find(record.evidence_dir, FOLDER_TAIL)
        if not record.evidence_dir or not folder.is_dir():
            return
        target = folder / RECORD_TSR
        try:
            on_disk = target.read_bytes()
        except FileNotFoundError:
            problem(
                "timestamp_file_missing",
                f"{RECORD_TSR} is missing from {folder} (`optout-bot evidence timestamp` writes "
                "it again from the store)",
                str(target),
            )
            return
        except OSError as exc:
            problem("timestamp_file_missing", f"{RECORD_TSR} cannot be read: {exc}", str(target))
            return
        if on_disk != stamp.reply:
            problem(
                "timestamp_file_altered",
                f"{RECORD_TSR} was altered (it is not the time-stamp token the store keeps)",
                str(target),
            )

    def _check_files(
        self,
        record: Record,
        body: dict[str, Any],
        digest: str,
        problem: _Flagger,
        report: VerifyReport,
    ) -> None:
        # No folder (a run that stopped before it had one) or a folder that is gone: no
        # record.json to compare; any screenshots it listed are reported missing below.
        folder = self.layout.find(record.evidence_dir, FOLDER_TAIL)
        if record.evidence_dir and folder.is_dir():
            target = folder / RECORD_JSON
            try:
                on_disk = target.read_bytes()
            except FileNotFoundError:
                problem(
                    "record_json_missing",
                    f"{RECORD_JSON} is missing from {folder} (deleted, or the run was killed "
                    "in the instant after it was recorded)",
                    str(target),
                )
            except OSError as exc:
                problem("record_json_missing", f"{RECORD_JSON} cannot be read: {exc}", str(target))
            else:
                # record.json is compared with the stored body as it is, never re-serialized
                # from `record`: a record from an older version must match byte for byte.
                if on_disk != render_record_json({**body, "hash": digest}):
                    problem(
                        "record_json_altered",
                        f"{RECORD_JSON} was altered (it no longer matches the stored record"
                        f"{_other_owner(on_disk, body)})",
                        str(target),
                    )
        # A page snapshot is checked as a screenshot is.
        for shot in (*record.screenshots, *record.pages):
            what = "page snapshot" if shot in record.pages else "screenshot"
            if what == "screenshot":
                report.screenshots += 1
            else:
                report.pages += 1
            if not shot.described:
                continue
            name = shot.name or "?"
            where = str(self.layout.find(shot.path, SHOT_TAIL))
            try:
                actual = file_sha256(Path(where))
            except FileNotFoundError:
                problem("screenshot_missing", f"{what} {name} is missing ({where})", where)
                continue
            except OSError as exc:
                problem("screenshot_missing", f"{what} {name} cannot be read: {exc}", where)
                continue
            if actual != shot.sha256:
                problem("screenshot_altered", f"{what} {name} was altered (sha256 mismatch)", where)

    # -- internals

    @staticmethod
    def _checked_fields(fields: dict[str, Any]) -> dict[str, Any]:
        reserved = _RESERVED.intersection(fields)
        if reserved:
            raise ValueError(f"the store assigns {', '.join(sorted(reserved))} itself")
        return _plain(fields)

    def _change_pending(self, run_id: str, change: Any) -> None:
        with self._transaction(self.conn) as conn:
            row = conn.execute("SELECT body FROM pending WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise UnknownRun(f"no pending run {run_id} (never begun, or already finished)")
            body = json.loads(row[0])
            change(body)
            conn.execute(
                "UPDATE pending SET body = ?, updated = ? WHERE id = ?",
                (canonical_json(body), time.time(), run_id),
            )

    def _append(self, run_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
        """Pending -> chain in one transaction; None if `run_id` is not pending (any more)."""
        with self._transaction(self.conn) as conn:
            row = conn.execute("SELECT body FROM pending WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                return None
            body = json.loads(row[0])
            body.update(changes)
            if body.get("status", "running") == "running":
                raise ValueError("finish() needs the run's final status")
            if "exit_code" not in changes:
                body["exit_code"] = _exit_code(body["status"])
            if not body.get("ended_at"):
                body["ended_at"] = utc_now()
            last = conn.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1")
            head = last.fetchone()
            body["seq"] = head[0] + 1 if head else 1
            body["prev_hash"] = head[1] if head else ZERO_HASH
            text = canonical_json(body)
            digest = hashlib.sha256(text.encode()).hexdigest()
            conn.execute(
                "INSERT INTO records (seq, id, hash, body) VALUES (?, ?, ?, ?)",
                (body["seq"], run_id, digest, text),
            )
            conn.execute("DELETE FROM pending WHERE id = ?", (run_id,))
        return {**body, "hash": digest}

    def _write_record_json(self, body: dict[str, Any]) -> None:
        """record.json beside the screenshots; best effort (the record is already safe in the
        store, and verify() reports a record.json that is missing)."""
        recorded = Record.from_json(body).evidence_dir
        folder = self.layout.find(recorded, FOLDER_TAIL)
        if not recorded or not folder.is_dir():
            return
        target = folder / RECORD_JSON
        try:
            # One folder per run: never overwrite another record's copy.
            write_private(target, render_record_json(body), replace=False)
        except FileExistsError:
            _warn("record.json already exists; not overwritten", path=str(target))
        except OSError as exc:
            _warn("could not write record.json", path=str(target), error=str(exc))


def _exit_code(status: Any) -> int | None:
    from optout_bot.engine.outcome import Status

    try:
        return Status(status).exit_code
    except ValueError:
        return None


def _check_head(report: VerifyReport, hashes: Mapping[int, str], head: tuple[int, str]) -> None:
    """A chain head noted elsewhere against the store (see `EvidenceStore.verify`)."""
    seq, noted = head
    noted = noted.lower()
    newest = max(hashes, default=0)
    found = hashes.get(seq)
    after = sum(1 for s in hashes if s > seq)
    if found is None:
        ends = f"the chain now ends at #{newest}" if newest else "the store has no records"
        removed = "the newest records were removed" if seq > newest else "it was removed"
        report.problems.append(
            Problem(
                seq,
                None,
                "head_missing",
                f"not in the store, though it was noted as the chain head ({noted[:12]}…): "
                f"{ends}, so {removed} (or this is another store)",
            )
        )
    elif found != noted:
        report.problems.append(
            Problem(
                seq,
                None,
                "head_mismatch",
                f"its hash is {found[:12]}…, not the {noted[:12]}… noted as the chain head: "
                "the chain was rewritten up to it (or this is another store)",
            )
        )
    report.pinned = {"seq": seq, "hash": noted, "found": found == noted, "after": after}


def _load_body(text: str) -> dict[str, Any] | None:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _other_owner(on_disk: bytes, body: Mapping[str, Any]) -> str:
    try:
        other = json.loads(on_disk)
    except ValueError:
        return ""
    if isinstance(other, dict) and other.get("id") not in (None, body.get("id")):
        return f"; it belongs to record {other.get('id')}: two runs share the folder"
    return ""


def _warn(message: str, **extra: Any) -> None:
    import structlog

    structlog.get_logger("optout_bot").warning(message, **extra)
