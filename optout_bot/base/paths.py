"""Where optout-bot keeps its own files: browser profiles and evidence, and where its
settings file is.

Everything lives under one user data directory (platformdirs' choice for the OS, e.g.
``~/.local/share/optout-bot`` on Linux), overridable with ``$OPTOUT_BOT_HOME``. Folders are
created private to the user (0700 on POSIX): a profile holds a signed-in session.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "OPTOUT_BOT_HOME"
ENV_CONFIG = "OPTOUT_BOT_CONFIG"
CONFIG_FILE_NAME = "config.toml"


def data_dir() -> Path:
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("optout-bot", appauthor=False))


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def profiles_dir() -> Path:
    return data_dir() / "profiles"


def default_evidence_dir() -> Path:
    return data_dir() / "evidence"


def config_path() -> Path:
    """$OPTOUT_BOT_CONFIG, else config.toml in the OS's user config folder."""
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("optout-bot", appauthor=False)) / CONFIG_FILE_NAME


def home_relative(path: str | os.PathLike[str]) -> str:
    """`path` with the home folder written as ``~``: for what is kept and may be shared (an
    evidence record names the flow file it followed), so the user's name stays out of it."""
    text = str(path)
    try:
        home = str(Path.home())
    except RuntimeError:  # no home folder to speak of
        return text
    if home not in ("", "/") and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text
