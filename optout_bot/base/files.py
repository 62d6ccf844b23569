"""Writing a private file durably: the one way optout-bot puts a file on disk that matters.

Screenshots show a signed-in account, records are evidence, a report holds both, and a
flow file is read by scheduled runs. Each is written the same way:

- into a temporary file beside the target, private to the user (0600) from its first byte;
- flushed and fsynced, then put in place in one step, so a reader (or a crash) sees the
  whole file or nothing;
- `replace=True` swaps it for an existing file (`os.replace`); `replace=False` never
  overwrites: the file is linked in place (which fails if the name exists), so a second
  writer gets `FileExistsError` and the first file stays as it was;
- the folder is fsynced too, so the new name survives a power cut (POSIX).

`private_output()` is the same for a file someone else writes (Chromium printing a PDF);
`sync_folder()` makes a folder renamed into place durable (a flow source's files).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Filesystems without hard links (FAT, some network shares) answer os.link with one of these.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.ENOSYS}


def write_private(path: Path, data: bytes, *, replace: bool) -> Path:
    """Write `data` to `path` durably and privately, all or nothing; return `path`.

    With `replace=False` an existing `path` is never touched: `FileExistsError`."""
    path = Path(path)
    if not replace and path.exists():  # fail early; _publish still checks atomically
        raise FileExistsError(errno.EEXIST, "refusing to overwrite", str(path))
    with private_output(path, replace=replace) as tmp, open(tmp, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return path


@contextlib.contextmanager
def private_output(path: Path, *, replace: bool) -> Iterator[Path]:
    """A private temporary file beside `path`, put in place when the block ends without an
    error (and removed when it does not). What is written to it must be flushed by then."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp: mode 0600 from the start, in the same folder (so the rename is atomic).
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if os.name == "posix":
            tmp.chmod(0o600)  # someone else may have written it (Chromium's PDF)
        _publish(tmp, path, replace)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    sync_folder(path.parent)


def _publish(tmp: Path, path: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic, and fails if `path` exists: never overwrites
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        _copy_exclusive(tmp, path)


def _copy_exclusive(tmp: Path, path: Path) -> None:
    """Without hard links: create `path` exclusively (O_EXCL, 0600) and copy into it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(tmp.read_bytes())
        out.flush()
        os.fsync(out.fileno())


def sync_folder(folder: Path) -> None:
    """Make the names in `folder` durable (a file or folder just renamed into it)."""
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
