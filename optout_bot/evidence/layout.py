"""Where a run's files are: the evidence folder layout, and paths recorded so that the
evidence can move.

Layout: ``<evidence root>/<flow id>/<UTC stamp>-<platform>-<mode>[-N]/NN-<name>.png``, with
``record.json`` beside the screenshots (and ``record.tsr``, its trusted time-stamp, once it
has one). The default evidence root is ``evidence/`` in the
data folder, beside the store (``evidence.sqlite3``).

**Recorded paths are relative to the store's folder** (the folder that holds the store file),
written with forward slashes: ``evidence/linkedin-ai-training/20261122T140000Z-desktop-run/
01-before.png``. The store is what `evidence verify` and `report` open, so its folder is the
one anchor they always know: moving the whole data folder (or a store together with the
evidence folder beside or below it, as the demo keeps them) keeps every path true.

Evidence kept outside the store's folder (``--evidence-dir`` or the settings file's
``evidence_dir`` somewhere else) cannot be named relative to it; it is recorded with absolute
paths, as every record was before, and found where it is.

Finding a recorded path (`Layout.find`): a relative one under the store's folder; an absolute
one where it says; and an absolute one that is gone, by its ``<flow>/<run folder>/<file>``
tail under the evidence roots this store would use today (``evidence/`` in its folder, the
folder itself, the data folder's ``evidence/``). So stores written with absolute paths keep
verifying after the data folder moved, without a record being rewritten (their hashes cover
the text as it was written).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path, PurePosixPath

from optout_bot.base import paths, times
from optout_bot.base.paths import private_dir

#: The copy of a finished record beside its screenshots.
RECORD_JSON = "record.json"
#: The record's trusted time-stamp beside it: the TSA's reply (a DER TimeStampResp), as it
#: came (`evidence.timestamping`); what `openssl ts -verify -in` reads.
RECORD_TSR = "record.tsr"
#: How many trailing parts name a file or a folder within an evidence root.
SHOT_TAIL = 3  # <flow>/<run folder>/<file>
FOLDER_TAIL = 2  # <flow>/<run folder>

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name(name: str) -> str:
    """A file-name stem that cannot climb out of the folder or clash with the index."""
    return _UNSAFE.sub("-", name).strip("-")[:64] or "shot"


def run_folder(
    root: Path, flow_id: str, platform: str, mode: str, moment: datetime.datetime
) -> Path:
    """Create (0700) and return a new run's folder; never one that exists already."""
    private_dir(root)
    base = private_dir(root / safe_name(flow_id))
    stem = f"{times.folder_stamp(moment)}-{platform}-{mode}"
    folder, suffix = base / stem, 1
    while folder.exists():
        suffix += 1
        folder = base / f"{stem}-{suffix}"
    return private_dir(folder)


class Layout:
    """How one store's records name their files, and how to find them again.

    `store` None: no anchor (paths are taken as they are, relative ones from here)."""

    def __init__(self, store: Path | None = None) -> None:
        self.base = Path(store).absolute().parent if store is not None else None

    def record(self, path: Path | str) -> str:
        """How a record names `path`: relative to the store's folder when it lies inside
        it, else absolute."""
        where = Path(path).absolute()
        if self.base is not None:
            try:
                return where.relative_to(self.base).as_posix()
            except ValueError:
                pass
        return str(where)

    def find(self, recorded: str, tail: int = SHOT_TAIL) -> Path:
        """Where a recorded path is now (the path as recorded, resolved, when it is nowhere)."""
        if not recorded:
            return Path(self.base or ".")
        written = Path(recorded)
        if not written.is_absolute():
            return (self.base / PurePosixPath(recorded)) if self.base else written
        if written.exists() or self.base is None:
            return written
        parts = written.parts[-tail:]
        if len(parts) == tail:
            for root in self._roots():
                moved = root.joinpath(*parts)
                if moved.exists():
                    return moved
        return written

    def _roots(self) -> list[Path]:
        assert self.base is not None
        found: list[Path] = []
        for root in (self.base / "evidence", self.base, paths.default_evidence_dir()):
            if root not in found and root.is_dir():
                found.append(root)
        return found
