"""The settings file: defaults, every key, every kind of mistake, and `optout-bot config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout_bot.app import config as config_module
from optout_bot.app.config import (
    KEYS,
    Config,
    ConfigError,
    load_config,
)
from optout_bot.base import names
from optout_bot.base.paths import config_path
from optout_bot.base.redact import redact
from optout_bot.cli import main as cli
from optout_bot.engine import session


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """optout-bot's data folder in a temp dir (no browser needed here)."""
    home = tmp_path / "data"
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    return home


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """$OPTOUT_BOT_CONFIG points at a (not yet written) file in a temp dir."""
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(path))
    return path


FULL = """\
profile = "work"
cdp = "auto"
evidence_dir = "~/optout-evidence"
platform = "mobile"
notify = ["ntfy://ntfy.sh/my-secret-topic", "mailto://me:app-password@gmail.com"]
desktop_notifications = false
flows = ["linkedin-ai-training"]
login_timeout = 120
timeout = 7.5
run_timeout = 90
timestamp_urls = ["https://freetsa.org/tsr", "http://timestamp.digicert.com"]
timestamp_timeout = 3
"""


def test_no_file_means_every_default(config_file: Path, home: Path):
    """A missing settings file is not an error: every setting has its default."""
    config = load_config()
    assert config == Config()
    assert (config.profile, config.platform, config.notify) == ("default", "desktop", ())
    assert config.evidence_dir == home / "evidence"
    assert config.desktop_notifications is True
    assert (config.login_timeout, config.timeout) == (300.0, 15.0)
    assert config.path == config_file
    assert all(config.source(key) == "default" for key in KEYS)


def test_a_full_file_sets_every_key(config_file: Path, monkeypatch: pytest.MonkeyPatch):
    """Every documented key is read, typed, and marked as coming from the file."""
    monkeypatch.setenv("HOME", str(config_file.parent))
    config_file.write_text(FULL)
    config = load_config()
    assert config.profile == "work"
    assert config.cdp == "auto"
    assert config.evidence_dir == Path("~/optout-evidence").expanduser()
    assert config.platform == "mobile"
    assert config.notify == ("ntfy://ntfy.sh/my-secret-topic", "mailto://me:app-password@gmail.com")
    assert config.desktop_notifications is False
    assert config.flows == ("linkedin-ai-training",)
    assert (config.login_timeout, config.timeout, config.run_timeout) == (120.0, 7.5, 90.0)
    assert config.timestamp_urls == ("https://freetsa.org/tsr", "http://timestamp.digicert.com")
    assert config.timestamp_timeout == 3.0
    assert all(config.source(key) == "file" for key in KEYS)
    assert list(config.settings()) == list(KEYS)


def test_a_relative_evidence_dir_is_relative_to_the_file(config_file: Path):
    """evidence_dir = "ev" means next to config.toml, wherever the job was started."""
    config_file.write_text('evidence_dir = "ev"\n')
    assert load_config().evidence_dir == config_file.parent / "ev"


def test_an_explicit_path_wins_over_the_environment(config_file: Path, tmp_path: Path):
    """load_config(path) reads that file, whatever $OPTOUT_BOT_CONFIG says."""
    other = tmp_path / "other.toml"
    other.write_text('profile = "other"\n')
    config_file.write_text('profile = "env"\n')
    assert load_config(other).profile == "other"
    assert load_config().profile == "env"


def test_the_default_location_is_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Without $OPTOUT_BOT_CONFIG the file is config.toml in platformdirs' config folder."""
    import platformdirs

    monkeypatch.delenv("OPTOUT_BOT_CONFIG", raising=False)
    expected = Path(platformdirs.user_config_dir("optout-bot", appauthor=False)) / "config.toml"
    assert config_path() == expected
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", "~/my.toml")
    assert config_path() == Path("~/my.toml").expanduser()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'notify = "ntfy://ntfy.sh/x"',
            "'notify' must be a list of notification URLs (strings), got a string",
        ),
        (
            "notify = [1]",
            "'notify'[0] must be a notification URL such as 'ntfy://ntfy.sh/my-topic' "
            "(see https://github.com/caronc/apprise/wiki), got an integer",
        ),
        (
            'notify = ["ntfy://ntfy.sh/ok", "sk-secret-token-1234"]',
            "'notify'[1] must be a notification URL such as 'ntfy://ntfy.sh/my-topic' "
            "(see https://github.com/caronc/apprise/wiki), got '…'",
        ),
        (
            "profile = 3",
            "'profile' must be a profile name (letters, digits, '.', '_' or '-', up to 64), "
            "got an integer",
        ),
        (
            'profile = "my profile"',
            "'profile' must be a profile name (letters, digits, '.', '_' or '-', up to 64), "
            "got 'my profile'",
        ),
        (
            "evidence_dir = true",
            "'evidence_dir' must be a folder path (a string; '~' and paths relative to this "
            "file work), got a boolean",
        ),
        (
            'evidence_dir = ""',
            "'evidence_dir' must be a folder path (a string; '~' and paths relative to this "
            "file work), got an empty string",
        ),
        ('platform = "tablet"', "'platform' must be 'desktop' or 'mobile', got 'tablet'"),
        ("platform = 1.5", "'platform' must be 'desktop' or 'mobile', got a float"),
        (
            'desktop_notifications = "yes"',
            "'desktop_notifications' must be true or false, got a string",
        ),
        (
            'flows = "linkedin-ai-training"',
            "'flows' must be a list of flow ids (strings), got a string",
        ),
        (
            'flows = ["LinkedIn AI"]',
            "'flows'[0] must be a flow id like 'linkedin-ai-training' (see `optout-bot flows`), "
            "got 'LinkedIn AI'",
        ),
        ("timeout = 0", "'timeout' must be a number of seconds greater than 0, got 0"),
        ("timeout = -2.5", "'timeout' must be a number of seconds greater than 0, got -2.5"),
        ('timeout = "15"', "'timeout' must be a number of seconds greater than 0, got a string"),
        (
            "login_timeout = true",
            "'login_timeout' must be a number of seconds greater than 0, got a boolean",
        ),
        (
            'timestamp_urls = "http://timestamp.digicert.com"',
            "'timestamp_urls' must be a list of time-stamping authority URLs (strings); [] "
            "turns it off, got a string",
        ),
        (
            'timestamp_urls = ["timestamp.digicert.com"]',
            "'timestamp_urls'[0] must be a time-stamping authority's http:// or https:// URL "
            "such as 'http://timestamp.digicert.com' (RFC 3161 over plain http is usual: the "
            "answer is signed), got 'timestamp.digicert.com'",
        ),
        (
            "timestamp_timeout = 0",
            "'timestamp_timeout' must be a number of seconds greater than 0, got 0",
        ),
        (
            "login_timeout = nan",
            "'login_timeout' must be a number of seconds greater than 0, got nan",
        ),
        (
            "[notify]\nurl = 'x'",
            "'notify' must be a list of notification URLs (strings), got a table",
        ),
        (
            "timeout = 2026-11-22",
            "'timeout' must be a number of seconds greater than 0, got a date",
        ),
    ],
)
def test_each_bad_value_names_the_file_the_key_and_what_it_expects(
    config_file: Path, text: str, message: str
):
    """A bad value is refused with FILE: 'key' must be WHAT, got WHAT-INSTEAD."""
    config_file.write_text(text + "\n")
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == f"{config_file}: {message}"


def test_every_problem_is_reported_at_once(config_file: Path):
    """Two bad keys: two lines, in file order, so one edit fixes both."""
    config_file.write_text('platform = "tablet"\ntimeout = -1\n')
    with pytest.raises(ConfigError) as error:
        load_config()
    assert error.value.problems == [
        f"{config_file}: 'platform' must be 'desktop' or 'mobile', got 'tablet'",
        f"{config_file}: 'timeout' must be a number of seconds greater than 0, got -1",
    ]


def test_an_unknown_key_suggests_the_closest_known_one(config_file: Path):
    """A typo ('notfy') is refused with "did you mean 'notify'?" and the known keys."""
    config_file.write_text('notfy = ["ntfy://ntfy.sh/x"]\n')
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == (
        f"{config_file}: unknown key 'notfy'; did you mean 'notify'? Known keys: profile, "
        "cdp, evidence_dir, platform, notify, desktop_notifications, flows, login_timeout, "
        "timeout, run_timeout, timestamp_urls, timestamp_timeout"
    )


def test_an_unknown_key_without_a_close_match_lists_the_known_ones(config_file: Path):
    """No suggestion when nothing is close; the known keys are listed all the same."""
    config_file.write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value).startswith(f"{config_file}: unknown key 'colour'. Known keys: ")


def test_a_toml_syntax_error_has_the_line_and_column(config_file: Path):
    """Broken TOML is reported as FILE:LINE:COL: not valid TOML: tomllib's reason."""
    config_file.write_text('profile = "work"\nplatform = desktop\n')
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == f"{config_file}:2:12: not valid TOML: Invalid value"


def test_a_file_that_is_not_utf8_is_refused_clearly(config_file: Path):
    """Latin-1 bytes: a one-line message, not a UnicodeDecodeError traceback."""
    config_file.write_bytes(b'profile = "caf\xe9"\n')
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == f"{config_file}: not UTF-8 text (byte 14); save it as UTF-8"


def test_a_folder_in_place_of_the_file_is_refused_clearly(config_file: Path):
    """An unreadable settings path is a ConfigError naming it."""
    config_file.mkdir()
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value).startswith(f"{config_file}: cannot read it: ")


def test_profile_names_follow_the_session_rule():
    """The settings file and a browser session check profile names by the one rule."""
    assert config_module.is_profile_name is session.is_profile_name is names.is_profile_name


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("ntfy://ntfy.sh/my-secret-topic", "ntfy://ntfy.sh/…"),
        ("mailto://me:app-password@gmail.com", "mailto://gmail.com/…"),
        ("json://127.0.0.1:8080/hook?token=abc", "json://127.0.0.1/…"),
        ("json://localhost/x", "json://localhost/…"),
        ("tgram://123456:ABC-bot-token/987654", "tgram://…"),
        ("discord://webhook_id/webhook_token", "discord://…"),
        ("ntfys://topic-only", "ntfys://…"),
        ("not a url", "…"),
    ],
)
def test_redact_keeps_only_the_scheme_and_a_real_host(url: str, shown: str):
    """Tokens in the user, password, path, query, or in the host slot never show."""
    assert redact(url) == shown


# -- `optout-bot config` ----------------------------------------------------------------------


def test_config_command_shows_defaults_and_where_the_file_would_be(config_file: Path, home, capsys):
    """No file: the path, that it does not exist, and each default marked (default)."""
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"settings file: {config_file} (not found: every setting is a default)",
        "  create it to change a setting; $OPTOUT_BOT_CONFIG points to another file",
        'profile               = "default"  (default)',
        "cdp                   = (not set)  (default)",
        f'evidence_dir          = "{home / "evidence"}"  (default)',
        'platform              = "desktop"  (default)',
        "notify                = []  (default)",
        "desktop_notifications = true  (default)",
        "flows                 = []  (default)",
        "login_timeout         = 300.0  (default)",
        "timeout               = 15.0  (default)",
        "run_timeout           = 300.0  (default)",
        'timestamp_urls        = ["http://timestamp.digicert.com"]  (default)',
        "timestamp_timeout     = 5.0  (default)",
    ]


def test_config_command_redacts_notification_urls(config_file: Path, home, capsys):
    """Settings from the file are marked (file); URLs show scheme and host only."""
    config_file.write_text(
        'notify = ["ntfy://ntfy.sh/my-secret-topic", "tgram://123:bot-token/42"]\ntimeout = 9\n'
    )
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert f"settings file: {config_file}\n" in out
    assert 'notify                = ["ntfy://ntfy.sh/…", "tgram://…"]  (file)' in out
    assert "timeout               = 9.0  (file)" in out
    assert 'profile               = "default"  (default)' in out
    assert "secret" not in out and "bot-token" not in out


def test_config_command_json(config_file: Path, home, capsys):
    """--json: the path, whether it exists, and each setting's value and source."""
    config_file.write_text('platform = "mobile"\nnotify = ["mailto://me:pw@gmail.com"]\n')
    assert cli.main(["config", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["path"] == str(config_file)
    assert report["exists"] is True
    assert list(report["settings"]) == list(KEYS)
    assert report["settings"]["platform"] == {"value": "mobile", "source": "file"}
    assert report["settings"]["notify"] == {"value": ["mailto://gmail.com/…"], "source": "file"}
    assert report["settings"]["evidence_dir"] == {
        "value": str(home / "evidence"),
        "source": "default",
    }
    assert report["settings"]["timeout"] == {"value": 15.0, "source": "default"}


def test_config_path_prints_only_the_path(config_file: Path, capsys):
    """`config --path` prints the settings file's path and nothing else."""
    assert cli.main(["config", "--path"]) == 0
    assert capsys.readouterr().out == f"{config_file}\n"


def test_config_command_with_a_bad_file_exits_2_without_a_traceback(config_file: Path, capsys):
    """A bad settings file: exit 2, the ConfigError message on stderr, nothing on stdout."""
    config_file.write_text('notify = "ntfy://ntfy.sh/secret"\n')
    assert cli.main(["config"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"{config_file}: 'notify' must be a list of notification URLs (strings), got a string\n"
    )


def test_config_command_in_a_subprocess(config_file: Path):
    """The installed entry point: bad TOML gives exit 2 and one line, no traceback."""
    import subprocess
    import sys

    from tests.conftest import REPO

    config_file.write_text("profile = \n")
    proc = subprocess.run(
        [sys.executable, "-m", "optout_bot", "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 2
    assert proc.stderr == f"{config_file}:1:11: not valid TOML: Invalid value\n"
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["run", "verify"])
def test_a_run_with_a_bad_settings_file_is_invalid_before_any_browser(
    command: str, config_file: Path, capsys
):
    """run and verify stop with exit 2 and the file's problem as the reason; no record is made."""
    config_file.write_text("platform = 'tablet'\n")
    assert cli.main([command, "linkedin-ai-training", "--json"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "invalid" and result["mode"] == command
    assert result["reason"].startswith(f"{config_file}: ") and "platform" in result["reason"]
    assert result["record"] == {}
