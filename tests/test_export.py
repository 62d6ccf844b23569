"""`optout-bot evidence export` and `evidence verify EXPORT` (issue 14, items 4 and 5).

An export unzipped in a clean folder is checked the way someone without optout-bot checks it:
the commands of its own VERIFY.md, run as plain subprocesses (`sha256sum -c`, `openssl ts
-verify` with the local test TSA's root, `jq`); then `evidence verify` catches one changed
byte in each file of it, naming the file. Real SQLite, files and tokens from a local
`openssl ts` authority (tests/local_tsa.py); no browser, but for one real run at the end.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
import stat
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from optout_bot.cli import main as cli
from optout_bot.evidence.export import SUMS_FILE, render_sums
from optout_bot.evidence.export_check import verify_export
from optout_bot.evidence.store import EvidenceStore, default_store_path
from optout_bot.evidence.timestamping import check_reply, stamp_records
from tests.local_tsa import Pki
from tests.test_store import fake_run, tamper

TOOLS = ("sha256sum", "openssl", "jq", "unzip")
#: Every name an export may hold.
ALLOWED = re.compile(
    r"HEAD|SHA256SUMS|VERIFY\.md|report\.html|tsa/[A-Za-z0-9_-]+\.pem"
    r"|records/\d{4}\.(json|tsr)|records/\d{4}/\d\d-[a-z-]+\.png|records/\d{4}/page-[a-z-]+\.mhtml"
)
COOKIES = b"SQLite format 3\x00 the member's session cookie"
SETTINGS = b'timestamp_urls = ["http://127.0.0.1:9/tsr"]\n# the settings file\n'


@dataclass
class Out:
    code: int
    out: str
    err: str


@pytest.fixture
def optout_bot(capsys: pytest.CaptureFixture[str]) -> Callable[..., Out]:
    def run(*args: str | Path) -> Out:
        capsys.readouterr()
        code = cli.main([str(a) for a in args])
        captured = capsys.readouterr()
        return Out(code, captured.out, captured.err)

    return run


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """optout-bot's data folder in a temp dir, with a signed-in profile's cookies in it and
    a settings file beside: what an export must never hold."""
    home = tmp_path / "home"
    cookies = home / "profiles" / "default" / "Default" / "Cookies"
    cookies.parent.mkdir(parents=True)
    cookies.write_bytes(COOKIES)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_bytes(SETTINGS)
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    return home


@pytest.fixture
def records(data: Path, tsa) -> list[dict[str, Any]]:
    """Four records (the first with a page snapshot; the fourth of another flow), the first
    three time-stamped by the local TSA, the fourth not (it was never sent)."""
    server = tsa()
    root = data / "evidence"
    with EvidenceStore() as store:
        made = [
            fake_run(store, root, mode="run", before="on",
                     started_at="2026-11-22T14:00:00.000001Z", pages=("after-reload",)),
            fake_run(store, root, started_at="2026-11-23T09:30:00.000002Z"),
            fake_run(store, root, platform="mobile", started_at="2026-11-24T09:30:00.1Z"),
            fake_run(store, root, flow="example-flow", shots=("01-before",),
                     started_at="2026-11-25T23:45:10.000004Z"),
        ]  # fmt: skip
        stamp_records(store, [server.url], seqs=[1, 2, 3])
    return made


def _zip(tmp_path: Path, optout_bot, *args: str, name: str = "evidence.zip") -> Path:
    out = tmp_path / name
    result = optout_bot("evidence", "export", "--out", out, *args)
    assert result.code == 0, result.err
    return out


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def _rezip(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the zip `src`, each file's bytes passed through `change` (None leaves it
    out); a well-formed zip (its CRCs match the new bytes), as someone editing it makes."""
    with zipfile.ZipFile(dst, "w") as out:
        for name, data in _members(src).items():
            changed = change(name, data)
            if changed is not None:
                out.writestr(name, changed)
    return dst


def _one_byte(data: bytes, at: int | None = None) -> bytes:
    changed = bytearray(data)
    changed[len(data) // 2 if at is None else at] ^= 0x01
    return bytes(changed)


def _messages(path: Path) -> list[str]:
    report = verify_export(path)
    assert not report.ok
    return [str(p) for p in report.problems]


def _guide_commands(guide: str) -> list[str]:
    """Every command of VERIFY.md's ```sh blocks, in order: the doc is what is tested."""
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


# -- the export, checked with standard tools ---------------------------------------------------


@pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS), reason=f"needs {', '.join(TOOLS)} on PATH"
)
def test_an_export_unzipped_in_a_clean_folder_verifies_with_the_commands_of_its_verify_md(
    records, optout_bot, pki: Pki, tmp_path: Path
):
    """Every command of VERIFY.md, run as written (the test TSA's root for ROOT.pem):
    unzip, `sha256sum -c SHA256SUMS`, `sha256sum records/*.json`, one `openssl ts -verify
    -digest HASH` per time-stamped record (each OK), each `jq .prev_hash` printing the hash
    beside it, each record's screenshots checked against the record with `sha256sum -c`,
    and `optout-bot evidence verify EXPORT.zip` (exit 0)."""
    exported = _zip(tmp_path, optout_bot)
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(exported, clean / "EXPORT.zip")
    guide = _members(exported)["VERIFY.md"].decode()
    commands = _guide_commands(guide)
    assert commands[0] == "mkdir evidence && unzip EXPORT.zip -d evidence && cd evidence"
    folder = clean / "evidence"
    ran: list[str] = []
    for command in commands:
        if command.startswith("optout-bot "):
            argv = shlex.split(command)[1:]
            result = optout_bot(*(clean / a if a == "EXPORT.zip" else a for a in argv))
            assert result.code == 0, result.out
            ran.append("optout-bot")
            continue
        where = clean if command.startswith("mkdir ") else folder
        done = _shell(command.replace("ROOT.pem", str(pki.ca)), where)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if command.startswith("openssl ts -verify"):
            assert "Verification: OK" in done.stdout
        if command.startswith("jq -r .prev_hash"):
            assert done.stdout.strip() == command.rsplit("# ", 1)[1]
        if "sha256sum -c" in command:
            lines = done.stdout.splitlines()
            assert lines and all(line.endswith(": OK") for line in lines)
        ran.append(command.split()[0] + (" -c" if "sha256sum -c" in command else ""))
    assert ran.count("openssl") == 3  # the three time-stamped records
    assert ran.count("jq") == 4  # four links (#1 to the zeros)
    assert ran.count("jq -c") == 4  # each record's screenshots, against the record
    assert ran[:3] == ["mkdir", "sha256sum -c", "sha256sum"]
    assert ran[-1] == "optout-bot"
    # The hash a command names is the sha256 of the record's file, which is the record's.
    for record in records[:3]:
        seq = record["seq"]
        assert f"-digest {record['hash']} -in records/{seq:04d}.tsr" in guide
        assert (
            hashlib.sha256((folder / f"records/{seq:04d}.json").read_bytes()).hexdigest()
            == (record["hash"])
        )
    assert "#4 (2026-11-25 23:45 UTC, example-flow verify desktop): not sent yet" in guide
    assert 'certificates lead to the root "optout-bot test root"' in guide
    # The folder it was unzipped to verifies as the zip does.
    assert optout_bot("evidence", "verify", folder).code == 0


def test_a_record_file_is_the_record_exactly_as_hashed_and_its_token_is_for_it(
    records, optout_bot, tmp_path: Path
):
    """records/NNNN.json is the stored text: its sha256 is the record's hash, the token's
    imprint; HEAD names the chain head; VERIFY.md's commands name the pem of the TSA."""
    files = _members(_zip(tmp_path, optout_bot))
    with EvidenceStore() as store:
        stored = store.hashed()
        stamps = store.stamps()
    for seq, digest, text in stored:
        assert files[f"records/{seq:04d}.json"] == text.encode()
        assert hashlib.sha256(text.encode()).hexdigest() == digest
    for seq in (1, 2, 3):
        assert files[f"records/{seq:04d}.tsr"] == stamps[seq].reply
        assert (
            check_reply(files[f"records/{seq:04d}.tsr"], stored[seq - 1][1]).digest
            == (stored[seq - 1][1])
        )
    assert "records/0004.tsr" not in files
    assert files["HEAD"] == f"chain 4:{stored[3][1]}\nexported 4:{stored[3][1]}\n".encode()
    [pem] = [n for n in files if n.startswith("tsa/")]
    assert pem.startswith("tsa/optout-bot-test-TSA-") and b"NOT a trust anchor" in files[pem]
    assert files[SUMS_FILE] == render_sums(
        {n: hashlib.sha256(d).hexdigest() for n, d in files.items() if n != SUMS_FILE}
    )


def test_exporting_twice_gives_the_same_bytes_whatever_the_machines_time_zone(
    records, optout_bot, tmp_path: Path
):
    """Same records, same bytes: sorted entries, stored, dated with the newest record's
    time, mode 0600, made on Unix, no extra fields or comment; the report shows no local
    time and no "days ago", so another zone, another day give the same zip."""
    first = _zip(tmp_path, optout_bot, name="first.zip")
    with pytest.MonkeyPatch.context() as zone:
        zone.setenv("TZ", "America/New_York")
        time.tzset()
        try:
            second = _zip(tmp_path, optout_bot, name="second.zip")
        finally:
            zone.undo()
            time.tzset()
    assert first.read_bytes() == second.read_bytes()
    again = _zip(tmp_path, optout_bot, "--force", name="first.zip")
    assert again.read_bytes() == second.read_bytes()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        assert archive.comment == b""
    names = [i.filename for i in infos]
    assert names == sorted(names)
    with EvidenceStore() as store:
        newest = store.read()[-1].ended
    assert newest is not None
    dated = (*newest.timetuple()[:5], newest.second // 2 * 2)  # a zip keeps 2-second steps
    for info in infos:
        assert info.date_time == dated
        assert info.compress_type == zipfile.ZIP_STORED
        assert (info.create_system, info.external_attr >> 16) == (3, stat.S_IFREG | 0o600)
        assert info.extra == b"" and info.comment == b""
    report = _members(first)["report.html"].decode()
    assert "before this report" not in report and " local (" not in report
    assert "the time it is given is the newest record's" in report


# -- one changed byte in any file --------------------------------------------------------------


def test_one_changed_byte_in_any_file_of_the_export_is_caught_naming_that_file(
    records, optout_bot, tmp_path: Path
):
    """For each file of the zip in turn, a copy with one byte of it changed (and the zip
    otherwise well-formed) fails `evidence verify`, exit 1, naming that file; an untouched
    copy passes."""
    exported = _zip(tmp_path, optout_bot, "--with-pages")
    names = list(_members(exported))
    assert len(names) == 23  # HEAD, sums, guide, report, pem, 4 json, 3 tsr, 10 png, 1 mhtml
    intact = _rezip(exported, tmp_path / "intact.zip", lambda n, d: d)
    assert verify_export(intact).ok, verify_export(intact).problems
    for name in names:
        copy = _rezip(exported, tmp_path / "changed.zip",
                      lambda n, d, name=name: _one_byte(d) if n == name else d)  # fmt: skip
        messages = _messages(copy)
        assert any(name in m for m in messages), (name, messages)
    result = optout_bot("evidence", "verify", copy)  # the last one, through the command
    assert result.code == 1 and name in result.out
    assert result.out.splitlines()[-1].startswith("export NOT OK: ")


@pytest.mark.parametrize(
    ("name", "blamed"),
    [
        ("records/0001/01-before.png", "records/0001/01-before.png"),
        ("records/0002.json", "records/0002.json"),
        ("records/0003.tsr", "records/0003.tsr"),
        ("tsa/", "tsa/"),
        ("HEAD", "HEAD"),
    ],
)
def test_the_file_changed_is_told_from_a_changed_sha256sums(
    records, optout_bot, tmp_path: Path, name: str, blamed: str
):
    """A file that no longer matches what vouches for it (its record, its token, the tokens'
    certificates) is named as changed; when it does match and only its SHA256SUMS line
    changed, SHA256SUMS is named."""
    exported = _zip(tmp_path, optout_bot)
    target = next(n for n in _members(exported) if n.startswith(name))
    changed = _rezip(exported, tmp_path / "a.zip", lambda n, d: _one_byte(d) if n == target else d)
    report = verify_export(changed)
    assert not report.ok and all(p.path != SUMS_FILE for p in report.problems)
    assert any(p.path and p.path.startswith(blamed) for p in report.problems), report.problems

    def sums_line(n: str, d: bytes) -> bytes:
        if n != SUMS_FILE:
            return d
        line = next(x for x in d.decode().splitlines() if x.endswith(f"  {target}"))
        other = "1" if line[3] == "0" else "0"  # another hex digit: the line still reads
        return d.replace(line.encode(), (line[:3] + other + line[4:]).encode())

    sums = _rezip(exported, tmp_path / "b.zip", sums_line)
    report = verify_export(sums)
    if target == "records/0003.tsr":  # its unsigned parts could change unseen: either may be
        [problem] = report.problems
        assert problem.path == target and "(or SHA256SUMS was)" in problem.detail
        return
    [problem] = report.problems
    assert problem.path == SUMS_FILE and problem.kind == "sums_altered", report.problems
    assert problem.detail.startswith(f"SHA256SUMS was changed: its sha256 for {target} is not")


def test_a_changed_record_breaks_its_token_and_the_next_records_link(
    records, optout_bot, tmp_path: Path
):
    """A record rewritten with a new SHA256SUMS to match: its token is for another hash,
    and the record after it links to the old one; both name the changed record."""
    exported = _zip(tmp_path, optout_bot)
    files = _members(exported)
    body = json.loads(files["records/0002.json"])
    body["state_after"] = "on"
    forged = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    files["records/0002.json"] = forged
    del files[SUMS_FILE]
    files[SUMS_FILE] = render_sums({n: hashlib.sha256(d).hexdigest() for n, d in files.items()})
    copy = _rezip(exported, tmp_path / "forged.zip", lambda n, d: files[n])
    report = verify_export(copy)
    assert [(p.kind, p.path) for p in report.problems] == [
        ("timestamp_invalid", "records/0002.json"),
        ("chain_broken", "records/0002.json"),
    ]
    assert str(report.problems[0]) == (
        "record #2 (2026-11-23 09:30 UTC, linkedin-ai-training verify desktop): "
        "records/0002.tsr is a time-stamp of another hash than records/0002.json's: "
        "records/0002.json was changed after it was time-stamped, or the token is another "
        "record's"
    )
    assert report.problems[1].detail == (
        "records/0002.json was changed: record #3, whose time-stamp checks, links to another "
        "hash (its prev_hash)"
    )


def test_a_flipped_byte_in_the_zip_itself_is_a_damaged_file(records, optout_bot, tmp_path: Path):
    """One byte flipped in the zip's bytes, inside a file's data: the zip's own CRC catches
    it, naming the file."""
    exported = _zip(tmp_path, optout_bot)
    with zipfile.ZipFile(exported) as archive:
        info = archive.getinfo("records/0001/02-after-change.png")
    raw = bytearray(exported.read_bytes())
    raw[info.header_offset + 30 + len(info.filename) + 5] ^= 0x01
    (tmp_path / "flipped.zip").write_bytes(bytes(raw))
    [problem] = verify_export(tmp_path / "flipped.zip").problems
    assert (problem.kind, problem.path) == ("file_damaged", "records/0001/02-after-change.png")
    assert "Bad CRC-32" in problem.detail


def test_added_removed_and_unlisted_files_are_named(records, optout_bot, tmp_path: Path):
    """A screenshot removed, a file added (listed in SHA256SUMS or not), a file of a record
    that is not there: each named."""
    exported = _zip(tmp_path, optout_bot)
    removed = _rezip(exported, tmp_path / "r.zip",
                     lambda n, d: None if n == "records/0002/01-before.png" else d)  # fmt: skip
    assert _messages(removed) == [
        "record #2 (2026-11-23 09:30 UTC, linkedin-ai-training verify desktop): "
        "records/0002/01-before.png is missing (record #2 lists that screenshot)",
        "SHA256SUMS lists records/0002/01-before.png, which is not in the export (removed, "
        "or SHA256SUMS was changed)",
    ]
    files = _members(exported)
    files["records/0002/04-extra.png"] = b"\x89PNG more"
    files["notes.txt"] = b"hello"
    with zipfile.ZipFile(tmp_path / "added.zip", "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
    messages = _messages(tmp_path / "added.zip")
    assert (
        "record #2 (2026-11-23 09:30 UTC, linkedin-ai-training verify desktop): "
        "records/0002/04-extra.png is not one of record #2's files (added?)"
    ) in messages
    assert "notes.txt is not a file an evidence export holds (added?)" in messages
    assert "notes.txt is not listed in SHA256SUMS (added, or SHA256SUMS was changed)" in messages


def test_a_hostile_zip_is_read_safely(records, optout_bot, tmp_path: Path):
    """Names that climb out of the folder, absolute names, links and a zip bomb are problems
    and are never read."""
    exported = _zip(tmp_path, optout_bot)
    files = _members(exported)
    with zipfile.ZipFile(tmp_path / "hostile.zip", "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
        out.writestr("../outside.txt", b"x")
        out.writestr("/etc/evil", b"x")
        link = zipfile.ZipInfo("records/0001/link.png")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(link, "../../../../etc/passwd")
    messages = _messages(tmp_path / "hostile.zip")
    assert messages[:3] == [
        "'../outside.txt': '..' or an empty part in its path (it would land outside its "
        "folder); not read",
        "'/etc/evil': an absolute path (it would be written outside the folder it is unzipped "
        "to); not read",
        "records/0001/link.png is a symbolic link; not read",
    ]
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("report.html", bytes(50 * 1024 * 1024))
    [problem] = verify_export(tmp_path / "bomb.zip").problems
    assert problem.kind == "export_unsafe" and "(a zip bomb?)" in problem.detail
    (tmp_path / "not.zip").write_bytes(b"not a zip")
    [problem] = verify_export(tmp_path / "not.zip").problems
    assert problem.kind == "export_unreadable"


# -- choosing what goes in ---------------------------------------------------------------------


def test_flow_and_since_choose_the_records_and_the_chain_still_checks(
    records, optout_bot, tmp_path: Path
):
    """--flow takes one flow's records, --since those begun since a date; the export says
    what the chain runs through that it does not hold, and verifies."""
    one = _zip(tmp_path, optout_bot, "--flow", "example-flow", name="flow.zip")
    files = _members(one)
    assert sorted(n for n in files if n.endswith(".json")) == ["records/0004.json"]
    assert files["HEAD"].decode().splitlines()[0] == files["HEAD"].decode().splitlines()[1].replace(
        "exported", "chain"
    )
    assert "(of flow example-flow)" in files["VERIFY.md"].decode()
    assert "Not in this export (the chain runs through them" in files["VERIFY.md"].decode()
    assert ": #1-#3." in files["VERIFY.md"].decode()
    assert verify_export(one).ok

    since = _zip(tmp_path, optout_bot, "--since", "2026-11-24", "--flow",
                 "linkedin-ai-training", name="since.zip")  # fmt: skip
    files = _members(since)
    assert sorted(n for n in files if n.endswith(".json")) == ["records/0003.json"]
    assert files["HEAD"].decode().startswith("chain 4:")
    assert ": #1-#2, #4." in files["VERIFY.md"].decode()
    report = verify_export(since)
    assert report.ok, report.problems
    assert report.export == {
        "chain_head": {"seq": 4, "hash": records[3]["hash"]},
        "files": len(files) - 1,
    }
    assert '<span title="the record before it is not in this report">…</span>' in (
        files["report.html"].decode()
    )

    later = _zip(tmp_path, optout_bot, "--since", "2026-11-23T12:00Z", name="later.zip")
    assert sorted(n for n in _members(later) if n.endswith(".json")) == [
        "records/0003.json",
        "records/0004.json",
    ]
    result = optout_bot("evidence", "export", "--out", tmp_path / "x.zip", "--flow", "nope")
    assert result.code == 1
    assert result.err == (
        f"optout-bot evidence export: no records of flow nope in {default_store_path()} "
        "(recorded flows: example-flow, linkedin-ai-training): nothing to export\n"
    )


def test_page_snapshots_stay_out_unless_asked_for(records, optout_bot, tmp_path: Path):
    """By default the MHTML is left out (VERIFY.md and the command say so); --with-pages puts
    it in, checked against its record like a screenshot."""
    plain = tmp_path / "plain.zip"
    result = optout_bot("evidence", "export", "--out", plain)
    assert result.code == 0
    assert result.out.splitlines()[0] == (
        f"exported 4 records (3 time-stamped), 10 screenshots (1 page snapshot left out: "
        f"--with-pages) to {plain} (22 files, {plain.stat().st_size} bytes)"
    )
    files = _members(plain)
    assert not any(n.endswith(".mhtml") for n in files)
    assert "the\n1 page snapshot the records name is not in this export" in (
        files["VERIFY.md"].decode()
    )
    pages = _members(_zip(tmp_path, optout_bot, "--with-pages", name="pages.zip"))
    page = pages["records/0001/page-after-reload.mhtml"]
    assert hashlib.sha256(page).hexdigest() == records[0]["pages"][0]["sha256"]
    report = verify_export(tmp_path / "pages.zip")
    assert report.ok and (report.screenshots, report.pages) == (10, 1)
    assert ".screenshots + .pages" in pages["VERIFY.md"].decode()


def test_nothing_private_is_ever_exported(data, records, optout_bot, tmp_path: Path):
    """Only the names an export holds, none of the profile's or the settings' bytes; a record
    that names a file in a browser profile is refused, and nothing is written."""
    files = _members(_zip(tmp_path, optout_bot, "--with-pages"))
    assert [n for n in files if not ALLOWED.fullmatch(n)] == []
    private = {COOKIES, SETTINGS}
    assert not any(p in data for data in files.values() for p in private)

    profile = data / "profiles" / "default"
    shot = profile / "01-before.png"
    shot.write_bytes(b"\x89PNG a picture in the profile")
    with EvidenceStore() as store:
        run = store.begin({"flow": {"id": "x"}, "evidence_dir": profile})
        store.add_screenshot(run, shot)
        store.finish(run, status="ok")
    out = tmp_path / "refused.zip"
    result = optout_bot("evidence", "export", "--out", out)
    assert result.code == 1 and not out.exists()
    assert result.err == (
        "optout-bot evidence export: record #5's file '01-before.png' lies in a browser "
        "profile or beside the settings; refused\n"
    )


def test_records_name_their_files_relative_to_the_store_so_a_moved_store_exports_the_same(
    records, data, optout_bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Item 5: the records name their folder and files relative to the store's folder; the
    export names them relative to its root. The data folder moved elsewhere exports the same
    bytes."""
    for record in records:
        assert not Path(record["evidence_dir"]).is_absolute()
        assert all(not Path(s["path"]).is_absolute() for s in record["screenshots"])
    before = _zip(tmp_path, optout_bot, name="before.zip").read_bytes()
    moved = tmp_path / "elsewhere" / "data"
    moved.parent.mkdir()
    shutil.move(str(data), str(moved))
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(moved))
    after = _zip(tmp_path, optout_bot, name="after.zip").read_bytes()
    assert after == before
    assert str(tmp_path).encode() not in after


# -- the command line --------------------------------------------------------------------------


def test_bad_usage_is_exit_2_and_a_store_that_does_not_verify_is_exit_1(
    records, optout_bot, tmp_path: Path
):
    """An --out that exists (without --force) is left alone; --since must be a date; --head
    and --store are the store's, not an export's; a store with a problem is not exported."""
    out = tmp_path / "there.zip"
    out.write_bytes(b"keep me")
    result = optout_bot("evidence", "export", "--out", out)
    assert (result.code, result.err) == (
        2,
        f"optout-bot evidence export: {out} exists; --force replaces it\n",
    )
    assert out.read_bytes() == b"keep me"
    result = optout_bot("evidence", "export", "--out", tmp_path / "a.zip", "--since", "last week")
    assert result.code == 2
    assert result.err == (
        "optout-bot evidence export: --since 'last week': expected a date (2026-11-22) or an "
        "ISO time (2026-11-22T14:00Z), UTC unless it names its zone\n"
    )
    exported = _zip(tmp_path, optout_bot)
    for flag in ("--head", "--store"):
        value = "1:" + "0" * 64 if flag == "--head" else str(default_store_path())
        result = optout_bot("evidence", "verify", exported, flag, value)
        assert result.code == 2 and f"{flag} is for the store, not an export" in result.err

    tamper(default_store_path(), "UPDATE records SET body = replace(body, "
           "'\"state_after\":\"off\"', '\"state_after\":\"on\"') WHERE seq = 2")  # fmt: skip
    result = optout_bot("evidence", "export", "--out", tmp_path / "b.zip")
    assert result.code == 1 and not (tmp_path / "b.zip").exists()
    assert result.err.startswith(
        "optout-bot evidence export: the evidence store does not verify (2 problems; the "
        "first: record #2 (2026-11-23 09:30 UTC, linkedin-ai-training verify desktop): the "
        "stored record was altered"
    )


def test_verify_an_export_prints_what_it_checked(records, optout_bot, tmp_path: Path):
    """Exit 0 with the counts, each record's time-stamp, the newest record and the chain head;
    --json has the same as an object."""
    exported = _zip(tmp_path, optout_bot)
    result = optout_bot("evidence", "verify", exported)
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert lines[0] == (
        "export OK: 4 records, their links intact, 10 screenshots checked against their "
        "records, 21 files match SHA256SUMS"
    )
    assert lines[1] == (
        "timestamps: 3 of 4 records timestamped (1 not timestamped: `optout-bot evidence "
        "timestamp` stamps them)"
    )
    assert lines[2].startswith("  #1  recorded ") and lines[2].endswith("(optout-bot test TSA)")
    assert lines[5].endswith("not timestamped: no records/0004.tsr in the export")
    assert lines[6] == (
        f"newest record in it: #4 {records[3]['hash']}; the chain's head when it was "
        f"exported: #4 {records[3]['hash']}"
    )
    data = json.loads(optout_bot("evidence", "verify", exported, "--json").out)
    assert data["ok"] is True and data["checked"] == 4
    assert data["export"]["chain_head"]["seq"] == 4


def test_the_export_command_has_help_with_examples(capsys: pytest.CaptureFixture[str]):
    """`evidence export --help` documents the options, the exit codes and examples."""
    with pytest.raises(SystemExit):
        cli.main(["evidence", "export", "--help"])
    text = capsys.readouterr().out
    for part in ("--out FILE.zip", "--flow ID", "--since DATE", "--with-pages", "--force",
                 "exit codes:", "examples:", "VERIFY.md"):  # fmt: skip
        assert part in text


# -- a real run against the replica ------------------------------------------------------------


def test_a_real_run_exported_end_to_end(linkedin, tsa, pki: Pki, tmp_path: Path, run_cli, home):
    """A run against the replica, time-stamped by the local TSA, with its screenshots kept
    outside the data folder (recorded absolute): exported with its page, verified by
    `evidence verify` and by openssl; nothing of the signed-in profile is in it."""
    server = tsa()
    (tmp_path / "config.toml").write_text(f'timestamp_urls = ["{server.url}"]\n')
    result = linkedin("run", "--yes")
    assert result.code == 0, result.json["reason"]
    out = tmp_path / "real.zip"
    exported = run_cli("evidence", "export", "--out", str(out), "--with-pages", "--json")
    assert exported.code == 0, exported.err
    assert exported.json["records"] == 1 and exported.json["pages"] == 1
    checked = run_cli("evidence", "verify", str(out))
    assert checked.code == 0, checked.out
    files = _members(out)
    assert sorted(n for n in files if n.startswith("records/0001/")) == [
        "records/0001/01-before.png",
        "records/0001/02-after-change.png",
        "records/0001/03-after-reload.png",
        "records/0001/page-after-reload.mhtml",
    ]
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    digest = hashlib.sha256((folder / "records/0001.json").read_bytes()).hexdigest()
    assert digest == result.json["record"]["hash"]
    [pem] = (folder / "tsa").iterdir()
    verified = subprocess.run(
        ["openssl", "ts", "-verify", "-digest", digest, "-in", "records/0001.tsr",
         "-CAfile", str(pki.ca), "-untrusted", f"tsa/{pem.name}"],
        cwd=folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert verified.returncode == 0 and "Verification: OK" in verified.stdout, verified.stderr
    profile = {
        hashlib.sha256(p.read_bytes()).digest()
        for p in (home / "profiles").rglob("*")
        if p.is_file() and not p.is_symlink()
    }
    assert not profile & {hashlib.sha256(d).digest() for d in files.values()}
    assert [n for n in files if not ALLOWED.fullmatch(n)] == []
