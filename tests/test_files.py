"""base/files.py: the one durable, private, all-or-nothing file write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from optout_bot.base import files
from optout_bot.base.files import private_output, write_private

POSIX = os.name == "posix"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_replace_swaps_the_file_in_one_step_and_leaves_no_temp_file(tmp_path: Path):
    """replace=True overwrites an existing file; nothing but the target stays in the folder."""
    target = tmp_path / "sub" / "report.html"
    assert write_private(target, b"first", replace=True) == target
    write_private(target, b"second", replace=True)
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["report.html"]


def test_no_replace_refuses_to_overwrite_and_keeps_the_first_file(tmp_path: Path):
    """replace=False raises FileExistsError on an existing name and leaves it untouched."""
    target = tmp_path / "01-before.png"
    write_private(target, b"first", replace=False)
    with pytest.raises(FileExistsError):
        write_private(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["01-before.png"]


def test_a_name_taken_between_the_check_and_the_link_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The refusal is atomic: a file that appears after the early check still wins."""
    target = tmp_path / "record.json"
    real_output = files.private_output

    def racing(path: Path, *, replace: bool):
        path.write_bytes(b"the other writer's")
        return real_output(path, replace=replace)

    monkeypatch.setattr(files, "private_output", racing)
    with pytest.raises(FileExistsError):
        write_private(target, b"mine", replace=False)
    assert target.read_bytes() == b"the other writer's"
    assert os.listdir(tmp_path) == ["record.json"]


def test_without_hard_links_the_file_is_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """On a filesystem without links the write still lands, and still never overwrites."""

    def no_link(src: object, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    target = tmp_path / "shot.png"
    write_private(target, b"png", replace=False)
    assert target.read_bytes() == b"png"
    with pytest.raises(FileExistsError):
        files._copy_exclusive(tmp_path / "shot.png", target)


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_files_are_private_whatever_the_umask(tmp_path: Path):
    """0600 for both kinds of write, even under a permissive umask."""
    old = os.umask(0)
    try:
        write_private(tmp_path / "a", b"a", replace=False)
        write_private(tmp_path / "b", b"b", replace=True)
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a") == _mode(tmp_path / "b") == 0o600


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path):
    """An error inside private_output() removes the temporary file and publishes nothing."""
    target = tmp_path / "report.pdf"
    with pytest.raises(RuntimeError), private_output(target, replace=True) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("the printer broke")
    assert os.listdir(tmp_path) == []


def test_a_path_under_home_is_kept_with_a_tilde(monkeypatch, tmp_path):
    """What evidence keeps of a flow file's place leaves the user's name out of it."""
    from optout_bot.base.paths import home_relative

    monkeypatch.setenv("HOME", str(tmp_path / "alice"))
    assert home_relative(tmp_path / "alice" / ".config" / "f.yaml") == "~/.config/f.yaml"
    assert home_relative(tmp_path / "alice") == "~"
    assert home_relative(tmp_path / "alicex" / "f.yaml") == str(tmp_path / "alicex" / "f.yaml")
    assert home_relative("/usr/share/f.yaml") == "/usr/share/f.yaml"
