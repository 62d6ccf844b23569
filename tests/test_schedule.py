"""Scheduling: each backend's generated entry exactly, the runners' commands, and a real
add/list/remove round trip against this machine's crontab."""

from __future__ import annotations

import dataclasses
import json
import plistlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout_bot.base.names import is_flow_id
from optout_bot.cli import main as cli
from optout_bot.unattended.backends import crontab, launchd, systemd, windows
from optout_bot.unattended.schedule import (
    BACKENDS,
    InvalidJob,
    Job,
    ScheduleError,
    Scheduler,
    Slot,
    job_command,
    job_environment,
    machine_seed,
    pick_scheduler,
    scheduler_name,
    slot_for,
    validate,
)
from tests.conftest import LINKEDIN_FLOW

FLOW = "linkedin-ai-training"
PYTHON = "/opt/py 3/bin/python"
LOG = "/home/me/.local/share/optout-bot/logs/linkedin-ai-training.log"
ENV = (
    ("HOME", "/home/me"),
    ("PATH", "/opt/py 3/bin:/usr/bin:/bin"),
    ("OPTOUT_BOT_HOME", "/data/50%"),
)


def make_job(every: str = "daily", fix: bool = False, profile: str = "default", **kw) -> Job:
    fields = {
        "flow": FLOW,
        "every": every,
        "fix": fix,
        "profile": profile,
        "target": FLOW,
        "slot": Slot(hour=14, minute=7, weekday=6 if every == "weekly" else 0),
        "command": tuple(job_command(FLOW, fix=fix, profile=profile, python=PYTHON)),
        "log": LOG,
        "env": ENV,
        "backend": "cron",
        "location": "crontab of user me",
    }
    fields.update(kw)
    return Job(**fields)


# -- the job itself ---------------------------------------------------------------------------


def test_the_job_command_runs_check_headless_with_an_absolute_python():
    """`python -m optout_bot check FLOW --headless --profile P [--fix] --log-format json`."""
    assert job_command(FLOW, fix=False, profile="default", python="/usr/bin/python3") == [
        "/usr/bin/python3", "-m", "optout_bot", "check", FLOW, "--headless",
        "--profile", "default", "--log-format", "json",
    ]  # fmt: skip
    assert job_command(FLOW, fix=True, profile="work", python="/usr/bin/python3")[7:] == [
        "work", "--fix", "--log-format", "json",
    ]  # fmt: skip


def test_the_job_environment_has_home_path_and_optout_bots_variables():
    """HOME, PATH (Python's folder first, the user's PATH after), and OPTOUT_BOT_* as set."""
    environ = {
        "PATH": "/usr/bin:relative/bin:/bin:/usr/bin",
        "OPTOUT_BOT_HOME": "/data",
        "OPTOUT_BOT_BROWSER": "",
        "SECRET_TOKEN": "x",
    }
    assert job_environment(environ, python="/venv/bin/python", home="/home/me") == (
        ("HOME", "/home/me"),
        ("PATH", "/venv/bin:/usr/bin:/bin"),
        ("OPTOUT_BOT_HOME", "/data"),
    )
    assert job_environment({}, python="/venv/bin/python", home="/h")[1] == (
        "PATH",
        "/venv/bin:/usr/local/bin:/usr/bin:/bin",
    )


def test_the_time_is_fixed_per_flow_and_spread_over_the_day():
    """Same flow and machine: same time; times fall 09:00-20:59; flows differ."""
    assert slot_for(FLOW, "me@laptop") == slot_for(FLOW, "me@laptop")
    slots = {slot_for(f"flow-{n}", "me@laptop") for n in range(200)}
    assert {s.hour for s in slots} == set(range(9, 21))
    assert {s.minute for s in slots} > {0, 15, 30, 45}
    assert {s.weekday for s in slots} == set(range(7))
    assert slot_for(FLOW, "me@laptop") != slot_for(FLOW, "you@desktop")


@pytest.mark.parametrize(
    ("flow", "every", "profile", "message"),
    [
        (
            "Bad Flow",
            "daily",
            "default",
            "flow id 'Bad Flow': use lower-case letters, digits and '-' (2 to 64 characters)",
        ),
        (
            "x; rm -rf ~",
            "daily",
            "default",
            "flow id 'x; rm -rf ~': use lower-case letters, digits and '-' (2 to 64 characters)",
        ),
        (
            "-leading",
            "daily",
            "default",
            "flow id '-leading': use lower-case letters, digits and '-' (2 to 64 characters)",
        ),
        (FLOW, "hourly", "default", "--every 'hourly': choose from daily, weekly"),
        (
            FLOW,
            "daily",
            "my profile",
            "--profile 'my profile': use letters, digits, '.', '_' or '-' (up to 64)",
        ),
    ],
)
def test_flow_ids_frequencies_and_profiles_are_validated(flow, every, profile, message):
    """What goes into file names and crontab lines is checked first."""
    with pytest.raises(InvalidJob) as error:
        validate(flow, every, profile)
    assert str(error.value) == message


def test_a_flow_id_with_a_trailing_line_break_is_refused():
    """The id rule matches the whole text: a trailing newline is not a valid flow id."""
    with pytest.raises(InvalidJob) as error:
        validate(FLOW + "\n")
    assert str(error.value) == (
        "flow id 'linkedin-ai-training\\n': use lower-case letters, digits and '-' "
        "(2 to 64 characters)"
    )


@pytest.mark.parametrize(
    "flow", [FLOW, "a1", "x" * 64, "x" * 65, "a", "-x", "Ab", "a_b", "a.b", "0-9"]
)
def test_the_scheduler_and_its_backends_share_the_projects_flow_id_rule(flow):
    """validate, the crontab marker and the Task Scheduler listing accept what names does."""
    ours = is_flow_id(flow)
    try:
        validate(flow)
        validated = True
    except InvalidJob:
        validated = False
    assert validated is ours
    expected = flow if ours else None
    assert crontab.flow_of(f"5 4 * * * true # optout-bot:{flow}") == expected
    assert windows.task_flows(f'"\\optout-bot\\{flow}","N/A","Ready"\r\n') == (
        [flow] if ours else []
    )


def test_a_job_describes_when_it_runs():
    """`when` is what `schedule add` and `schedule list` print."""
    assert make_job().when == "every day at 14:07"
    assert make_job("weekly").when == "every Saturday at 14:07"
    assert make_job(backend="systemd").when == (
        "every day at 14:07 (up to an hour later; a missed run happens at the next start-up)"
    )
    assert make_job(
        every="custom", slot=None, schedule_text="cron schedule '*/5 * * * *'"
    ).when == ("cron schedule '*/5 * * * *'")


# -- cron -------------------------------------------------------------------------------------


def test_the_cron_line_daily():
    """Quoted words, escaped %, output to the log, and the marker at the end."""
    assert crontab.line(make_job()) == (
        "7 14 * * * HOME=/home/me PATH='/opt/py 3/bin:/usr/bin:/bin' OPTOUT_BOT_HOME=/data/50\\% "
        "'/opt/py 3/bin/python' -m optout_bot check linkedin-ai-training --headless "
        "--profile default --log-format json "
        ">> /home/me/.local/share/optout-bot/logs/linkedin-ai-training.log 2>&1 "
        "# optout-bot:linkedin-ai-training"
    )


def test_the_cron_line_weekly_with_fix():
    """Weekly: the weekday field (0 = Sunday); --fix in the command."""
    line = crontab.line(make_job("weekly", fix=True, profile="work"))
    assert line.startswith("7 14 * * 6 HOME=/home/me ")
    assert " --profile work --fix --log-format json >> " in line


def test_the_cron_line_parses_back():
    """`schedule list` reads the same Job back from the line."""
    job = make_job("weekly", fix=True, profile="work")
    assert crontab.parse_line(crontab.line(job), location="crontab of user me") == job


def test_the_cron_line_runs_as_cron_would_run_it(tmp_path: Path):
    """/bin/sh gets exactly our words and environment, output lands in the log."""
    python = tmp_path / "py 3" / "python"
    python.parent.mkdir()
    python.write_text(
        '#!/bin/sh\nprintf \'%s\\n\' "$@" "HOME=$HOME" "OPTOUT_BOT_HOME=$OPTOUT_BOT_HOME"\n'
    )
    python.chmod(0o755)
    log = tmp_path / "my logs" / "it's.log"
    log.parent.mkdir()
    env = (("HOME", "/home/me"), ("PATH", "/usr/bin:/bin"), ("OPTOUT_BOT_HOME", "/data/50% $x"))
    command = tuple(job_command(FLOW, fix=True, profile="work", python=str(python)))
    job = make_job(command=command, log=str(log), env=env)
    line = crontab.line(job)
    # What cron does: the sixth field on is the command; \% becomes %; /bin/sh runs it.
    script = line.split(None, 5)[5].replace("\\%", "%")
    subprocess.run(["/bin/sh", "-c", script], check=True, env={}, timeout=30)
    assert log.read_text().splitlines() == [
        *command[1:],
        "HOME=/home/me",
        "OPTOUT_BOT_HOME=/data/50% $x",
    ]


def test_a_line_with_a_line_break_is_refused():
    """A newline in a path would split the crontab line: refused, not written."""
    with pytest.raises(InvalidJob):
        crontab.line(make_job(log="/tmp/evil\n* * * * * rm -rf ~"))


USER_CRONTAB = (
    "MAILTO=''\n"
    "# my own jobs; optout-bot:linkedin-ai-training is mentioned here but not ours\n"
    "5 4 * * * /usr/bin/backup --all # nightly\n"
    "#7 14 * * * old-command # optout-bot:linkedin-ai-training\n"
    "0 * * * * echo '# optout-bot:linkedin-ai-training' > /tmp/x  # mine\n"
)


def test_crontab_with_appends_and_replaces_only_our_line():
    """Adding keeps every other line byte for byte; adding again replaces, never doubles."""
    once = crontab.with_job(USER_CRONTAB, make_job())
    assert once == USER_CRONTAB + crontab.line(make_job()) + "\n"
    twice = crontab.with_job(once, make_job("weekly", fix=True))
    assert twice == USER_CRONTAB + crontab.line(make_job("weekly", fix=True)) + "\n"
    assert (
        crontab.with_job("5 4 * * * x", make_job())
        == "5 4 * * * x\n" + crontab.line(make_job()) + "\n"
    )
    assert crontab.with_job("", make_job()) == crontab.line(make_job()) + "\n"


def test_crontab_without_removes_only_our_line():
    """Removing takes out our line; comments and look-alike lines stay."""
    other = crontab.line(make_job(flow="other-flow"))
    text = USER_CRONTAB + crontab.line(make_job()) + "\n" + other + "\n"
    assert crontab.without(text, FLOW) == (USER_CRONTAB + other + "\n", True)
    assert crontab.without(USER_CRONTAB, FLOW) == (USER_CRONTAB, False)


def test_a_hand_edited_cron_schedule_is_still_listed():
    """A line of ours whose times were changed by hand: listed as custom, not lost."""
    line = "*/30 * * * * /usr/bin/python3 -m optout_bot check x-flow --headless # optout-bot:x-flow"
    job = crontab.parse_line(line)
    assert job is not None
    assert (job.flow, job.every, job.slot, job.when) == (
        "x-flow",
        "custom",
        None,
        "cron schedule '*/30 * * * *'",
    )
    assert crontab.parse_line("5 4 * * * /usr/bin/backup # nightly") is None


# -- systemd ----------------------------------------------------------------------------------

HEADER = (
    "# Written by optout-bot. Change it with `optout-bot schedule add`, remove it with "
    "`optout-bot schedule remove linkedin-ai-training`.\n"
)


def test_the_systemd_units():
    """A oneshot service logging to the file, and a persistent timer with a random delay."""
    service, timer = systemd.units(make_job("weekly", fix=True, profile="work"))
    assert service == HEADER + (
        "[Unit]\n"
        "Description=optout-bot: check linkedin-ai-training\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        'Environment="HOME=/home/me"\n'
        'Environment="PATH=/opt/py 3/bin:/usr/bin:/bin"\n'
        'Environment="OPTOUT_BOT_HOME=/data/50%%"\n'
        'ExecStart="/opt/py 3/bin/python" -m optout_bot check linkedin-ai-training --headless '
        "--profile work --fix --log-format json\n"
        "StandardOutput=append:/home/me/.local/share/optout-bot/logs/linkedin-ai-training.log\n"
        "StandardError=append:/home/me/.local/share/optout-bot/logs/linkedin-ai-training.log\n"
    )
    assert timer == HEADER + (
        "[Unit]\n"
        "Description=optout-bot: check linkedin-ai-training weekly\n"
        "\n"
        "[Timer]\n"
        "OnCalendar=Sat *-*-* 14:07:00\n"
        "Persistent=true\n"
        "RandomizedDelaySec=1h\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    _, daily = systemd.units(make_job())
    assert "OnCalendar=*-*-* 14:07:00\n" in daily


def test_the_systemd_units_parse_back():
    """`schedule list` reads the same Job back from the unit files."""
    for job in (make_job(backend="systemd"), make_job("weekly", fix=True, backend="systemd")):
        service, timer = systemd.units(job)
        assert systemd.parse_units(FLOW, service, timer, location=job.location) == job


# -- launchd ----------------------------------------------------------------------------------


def test_the_launchd_plist():
    """A LaunchAgent with the command, the calendar interval, the environment and the log."""
    job = make_job("weekly", fix=True, backend="launchd")
    written = plistlib.dumps(launchd.plist(job))
    assert plistlib.loads(written) == {
        "Label": "org.optout-bot.linkedin-ai-training",
        "ProgramArguments": list(job.command),
        "StartCalendarInterval": {"Hour": 14, "Minute": 7, "Weekday": 6},
        "EnvironmentVariables": {
            "HOME": "/home/me",
            "PATH": "/opt/py 3/bin:/usr/bin:/bin",
            "OPTOUT_BOT_HOME": "/data/50%",
        },
        "StandardOutPath": LOG,
        "StandardErrorPath": LOG,
        "RunAtLoad": False,
        "ProcessType": "Background",
    }
    assert launchd.plist(make_job())["StartCalendarInterval"] == {"Hour": 14, "Minute": 7}
    parsed = launchd.parse_plist(FLOW, plistlib.loads(written), location=job.location)
    assert parsed == dataclasses.replace(job, env=tuple(sorted(job.env)))  # plists sort keys


# -- Windows Task Scheduler -------------------------------------------------------------------

WRAPPER = r"C:\Users\Me Too\AppData\Local\optout-bot\jobs\linkedin-ai-training.cmd"


def test_the_schtasks_arguments():
    """/Create of optout-bot\\FLOW running the wrapper, daily or weekly at the slot's time."""
    assert windows.create_args(make_job(), WRAPPER) == [
        "schtasks", "/Create", "/TN", "optout-bot\\linkedin-ai-training",
        "/TR", f'"{WRAPPER}"', "/SC", "DAILY", "/ST", "14:07", "/F",
    ]  # fmt: skip
    assert windows.create_args(make_job("weekly"), WRAPPER)[6:10] == [
        "/SC", "WEEKLY", "/D", "SAT",
    ]  # fmt: skip


def test_the_windows_wrapper():
    """The .cmd sets optout-bot's variables (% doubled), runs the command, appends to the log."""
    job = make_job(
        "weekly",
        fix=True,
        command=tuple(
            job_command(
                FLOW, fix=True, profile="default", python=r"C:\Program Files\Python\python.exe"
            )
        ),
        log=r"C:\Users\Me\AppData\Local\optout-bot\logs\linkedin-ai-training.log",
        backend="schtasks",
        location="Task Scheduler: optout-bot\\linkedin-ai-training",
    )
    text = windows.wrapper(job)
    assert text.split("\r\n") == [
        "@echo off",
        "rem Written by optout-bot for the scheduled task optout-bot\\linkedin-ai-training; "
        "`optout-bot schedule remove linkedin-ai-training` removes both.",
        'rem optout-bot-job {"every": "weekly", "fix": true, "flow": "linkedin-ai-training", '
        '"log": "C:\\\\Users\\\\Me\\\\AppData\\\\Local\\\\optout-bot\\\\logs\\\\'
        'linkedin-ai-training.log", '
        '"profile": "default", "slot": [14, 7, 6], "target": "linkedin-ai-training"}',
        'set "OPTOUT_BOT_HOME=/data/50%%"',
        '"C:\\Program Files\\Python\\python.exe" -m optout_bot check linkedin-ai-training '
        "--headless --profile default --fix --log-format json "
        ">> C:\\Users\\Me\\AppData\\Local\\optout-bot\\logs\\linkedin-ai-training.log 2>&1",
        "",
    ]
    parsed = windows.parse_wrapper(text, location=job.location)
    assert parsed == dataclasses.replace(job, command=(), env=())


def test_schtasks_query_output_is_filtered_to_our_folder():
    """Only tasks in \\optout-bot\\ with a valid flow id are ours."""
    output = (
        '"\\Microsoft\\Windows\\Defrag\\ScheduledDefrag","N/A","Ready"\r\n'
        '"\\optout-bot\\linkedin-ai-training","23/11/2026 14:07:00","Ready"\r\n'
        '"\\optout-bot\\linkedin-ai-training","24/11/2026 14:07:00","Ready"\r\n'
        '"\\optout-bot\\Bad Name","N/A","Ready"\r\n'
        '"\\other\\optout-bot\\x-flow","N/A","Ready"\r\n'
        "\r\n"
    )
    assert windows.task_flows(output) == ["linkedin-ai-training"]


# -- the runners, with the platform's commands recorded ---------------------------------------


class Commands:
    """Stands in for subprocess: records each command; answers from a table of failures."""

    def __init__(self, fail: tuple[str, ...] = (), stdout: str = "") -> None:
        self.calls: list[list[str]] = []
        self.fail, self.stdout = fail, stdout

    def __call__(self, argv: list[str], input: str | None = None):
        self.calls.append(list(argv))
        failed = any(word in argv for word in self.fail)
        return subprocess.CompletedProcess(
            argv, 1 if failed else 0, "" if failed else self.stdout, "boom" if failed else ""
        )


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(tmp_path / "no-config.toml"))
    return home


def _options(tmp_path: Path, run: Commands) -> dict:
    return {
        "run": run,
        "home": tmp_path / "user",
        "python": "/usr/bin/python3",
        "environ": {"PATH": "/usr/bin:/bin"},
        "seed": "",
    }


def test_systemd_add_list_remove(tmp_path: Path, data_home: Path):
    """Unit files in ~/.config/systemd/user, daemon-reload, enable --now; remove undoes it."""
    run = Commands()
    scheduler = Scheduler("systemd", **_options(tmp_path, run))
    job = scheduler.add(FLOW, "weekly", True, "work")
    units = tmp_path / "user" / ".config" / "systemd" / "user"
    service, timer = systemd.units(job)
    assert (units / "optout-bot-linkedin-ai-training.service").read_text() == service
    assert (units / "optout-bot-linkedin-ai-training.timer").read_text() == timer
    assert run.calls == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", "optout-bot-linkedin-ai-training.timer"],
        ["systemctl", "--user", "restart", "optout-bot-linkedin-ai-training.timer"],
    ]
    assert job.log == str(data_home / "logs" / "linkedin-ai-training.log")
    assert (data_home / "logs").is_dir()
    assert scheduler.jobs() == [job]
    run.calls.clear()
    assert scheduler.remove(FLOW) is True
    assert run.calls == [
        ["systemctl", "--user", "disable", "--now", "optout-bot-linkedin-ai-training.timer"],
        ["systemctl", "--user", "daemon-reload"],
    ]
    assert list(units.iterdir()) == []
    assert scheduler.remove(FLOW) is False
    assert scheduler.jobs() == []


def test_systemd_failure_is_a_schedule_error(tmp_path: Path, data_home: Path):
    """A failing systemctl: ScheduleError with the command and its message."""
    scheduler = Scheduler("systemd", **_options(tmp_path, Commands(fail=("enable",))))
    with pytest.raises(ScheduleError) as error:
        scheduler.add(FLOW, "daily", False, "default")
    assert str(error.value) == (
        "`systemctl --user enable --now optout-bot-linkedin-ai-training.timer` failed: boom"
    )


def test_launchd_add_list_remove(tmp_path: Path, data_home: Path, monkeypatch):
    """A plist in ~/Library/LaunchAgents, bootstrapped into gui/UID; remove boots it out."""
    monkeypatch.setattr("os.getuid", lambda: 501, raising=False)
    run = Commands()
    scheduler = Scheduler("launchd", **_options(tmp_path, run))
    job = scheduler.add(FLOW, "daily", False, "default")
    plist = (
        tmp_path / "user" / "Library" / "LaunchAgents" / "org.optout-bot.linkedin-ai-training.plist"
    )
    assert plistlib.loads(plist.read_bytes()) == launchd.plist(job)
    assert run.calls == [["launchctl", "bootstrap", "gui/501", str(plist)]]
    assert scheduler.jobs() == [job]
    run.calls.clear()
    scheduler.add(FLOW, "weekly", False, "default")  # replacing: unload the old one first
    assert run.calls == [
        ["launchctl", "bootout", "gui/501/org.optout-bot.linkedin-ai-training"],
        ["launchctl", "bootstrap", "gui/501", str(plist)],
    ]
    run.calls.clear()
    assert scheduler.remove(FLOW) is True
    assert run.calls == [["launchctl", "bootout", "gui/501/org.optout-bot.linkedin-ai-training"]]
    assert not plist.exists()
    assert scheduler.remove(FLOW) is False


def test_launchd_falls_back_to_load_on_old_macos(tmp_path: Path, data_home: Path, monkeypatch):
    """No `launchctl bootstrap`: the legacy `launchctl load -w`."""
    monkeypatch.setattr("os.getuid", lambda: 501, raising=False)
    run = Commands(fail=("bootstrap",))
    scheduler = Scheduler("launchd", **_options(tmp_path, run))
    scheduler.add(FLOW, "daily", False, "default")
    plist = launchd.plist_path(scheduler.host, FLOW)
    assert run.calls[-1] == ["launchctl", "load", "-w", str(plist)]


def test_schtasks_add_list_remove(tmp_path: Path, data_home: Path):
    """The wrapper in the data folder, /Create; list reads the wrapper; /Delete removes both."""
    run = Commands(stdout='"\\optout-bot\\linkedin-ai-training","N/A","Ready"\r\n')
    scheduler = Scheduler("schtasks", **_options(tmp_path, run))
    job = scheduler.add(FLOW, "weekly", True, "default")
    wrapper = data_home / "jobs" / "linkedin-ai-training.cmd"
    assert wrapper.read_bytes().decode() == windows.wrapper(job)
    assert run.calls == [windows.create_args(job, str(wrapper))]
    listed = scheduler.jobs()
    assert listed == [dataclasses.replace(job, command=(), env=())]
    run.calls.clear()
    assert scheduler.remove(FLOW) is True
    assert run.calls == [
        ["schtasks", "/Query", "/FO", "CSV", "/NH"],
        ["schtasks", "/Delete", "/TN", "optout-bot\\linkedin-ai-training", "/F"],
    ]
    assert not wrapper.exists()
    assert Scheduler("schtasks", **_options(tmp_path, Commands())).remove(FLOW) is False


def test_a_job_with_a_line_break_touches_nothing(tmp_path: Path, data_home: Path):
    """A line break in the job's command is refused before any command runs or folder is made."""
    run = Commands()
    options = {**_options(tmp_path, run), "python": "/opt/py\n/python"}
    for name in BACKENDS:
        with pytest.raises(InvalidJob):
            Scheduler(name, **options).add(FLOW, "daily", False, "default")
    assert run.calls == []
    assert not data_home.exists()
    assert not (tmp_path / "user").exists()


# -- choosing the scheduler -------------------------------------------------------------------


def test_the_scheduler_is_the_platforms_own():
    """macOS launchd, Windows schtasks, Linux systemd when its user instance answers, else cron."""
    assert scheduler_name("darwin", {}) == "launchd"
    assert scheduler_name("win32", {}) == "schtasks"
    assert scheduler_name("linux", {}, systemd_available=lambda: True) == "systemd"
    assert scheduler_name("linux", {}, systemd_available=lambda: False) == "cron"
    assert scheduler_name("freebsd14", {}, systemd_available=lambda: True) == "cron"


def test_the_environment_overrides_the_scheduler():
    """$OPTOUT_BOT_SCHEDULER picks any backend; a wrong value lists the right ones."""
    assert scheduler_name("darwin", {"OPTOUT_BOT_SCHEDULER": "cron"}) == "cron"
    assert pick_scheduler("win32", environ={"OPTOUT_BOT_SCHEDULER": "systemd"}).backend is systemd
    with pytest.raises(InvalidJob) as error:
        scheduler_name("linux", {"OPTOUT_BOT_SCHEDULER": "at"})
    assert str(error.value) == (
        "$OPTOUT_BOT_SCHEDULER='at': choose from cron, systemd, launchd, schtasks"
    )


def test_every_backend_is_registered_under_its_own_name():
    """BACKENDS maps each name to the module whose NAME it is, each with the whole interface."""
    assert list(BACKENDS) == ["cron", "systemd", "launchd", "schtasks"]
    assert {
        "cron": crontab,
        "systemd": systemd,
        "launchd": launchd,
        "schtasks": windows,
    } == BACKENDS
    for name, backend in BACKENDS.items():
        assert name == backend.NAME
        assert backend.MISSING_HINT
        for function in ("location", "add", "jobs", "remove", "notes"):
            assert callable(getattr(backend, function)), (name, function)


def test_the_scheduler_reads_its_name_and_location_from_the_backend(tmp_path: Path):
    """`Scheduler(name)` runs that backend: its name, and where it keeps a flow's job."""
    scheduler = Scheduler("systemd", **_options(tmp_path, Commands()))
    assert scheduler.name == "systemd"
    assert scheduler.location(FLOW) == str(
        tmp_path / "user" / ".config" / "systemd" / "user" / "optout-bot-linkedin-ai-training.timer"
    )
    assert scheduler.job(FLOW, "daily", False, "default").location == scheduler.location(FLOW)


def test_cron_daemon_detection(tmp_path: Path):
    """A `cron` or `crond` process counts as a running daemon; no /proc means unknown."""
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "comm").write_text("bash\n")
    assert crontab.daemon_running(tmp_path) is False
    (tmp_path / "77").mkdir()
    (tmp_path / "77" / "comm").write_text("cron\n")
    assert crontab.daemon_running(tmp_path) is True
    assert crontab.daemon_running(tmp_path / "missing") is None


# -- a real crontab ---------------------------------------------------------------------------

THEIR_CRONTAB = "MAILTO=''\n# the user's own jobs\n5 4 * * * /usr/bin/backup --all # nightly\n"


def _crontab(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["crontab", *args], input=input, capture_output=True, text=True, timeout=30
    )


@pytest.fixture
def real_crontab(data_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This user's real crontab holding only THEIR_CRONTAB; the original is put back after."""
    if shutil.which("crontab") is None:
        pytest.skip("needs the `crontab` command (Debian/Ubuntu: apt-get install cron)")
    before = _crontab("-l")
    if before.returncode != 0 and "no crontab for" not in before.stderr.lower():
        pytest.skip(f"cannot read this user's crontab: {before.stderr.strip()}")
    saved = before.stdout if before.returncode == 0 else None
    monkeypatch.setenv("OPTOUT_BOT_SCHEDULER", "cron")
    assert _crontab("-", input=THEIR_CRONTAB).returncode == 0
    try:
        yield
    finally:
        if saved is None:
            _crontab("-r")
        else:
            _crontab("-", input=saved)


def test_cron_add_list_remove_on_the_real_crontab(real_crontab, tmp_path: Path, data_home: Path):
    """add writes our line after the user's, add again replaces it, remove restores the rest."""
    scheduler = Scheduler("cron", python="/usr/bin/python3", environ={"PATH": "/usr/bin:/bin"})
    job = scheduler.add(FLOW, "daily", False, "default")
    assert _crontab("-l").stdout == THEIR_CRONTAB + crontab.line(job) + "\n"
    assert scheduler.jobs() == [job]
    again = scheduler.add(FLOW, "weekly", True, "work")
    assert _crontab("-l").stdout == THEIR_CRONTAB + crontab.line(again) + "\n"
    assert scheduler.jobs() == [again]
    assert scheduler.remove(FLOW) is True
    assert _crontab("-l").stdout == THEIR_CRONTAB
    assert scheduler.remove(FLOW) is False
    assert scheduler.jobs() == []


def test_schedule_commands_on_the_real_crontab(real_crontab, data_home: Path, capsys):
    """`schedule add/list/remove`: what was installed, where and when; the user's lines stay."""
    slot = slot_for(FLOW, machine_seed())
    weekday = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    assert cli.main(["schedule", "add", FLOW]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"scheduled {FLOW}: every day at {slot.time}, check it and alert"
    assert out[1].startswith("  with: cron (crontab of user ")
    assert out[2] == (f"  runs: {shlex_join(job_command(FLOW, fix=False, profile='default'))}")
    assert out[3] == f"  log:  {data_home / 'logs' / 'linkedin-ai-training.log'}"
    assert (
        "note: profile 'default' is not signed in yet, and a scheduled check cannot open a "
        "window to sign in: run `optout-bot run linkedin-ai-training --profile default` once "
        "first"
    ) in out

    assert (
        cli.main(["schedule", "add", FLOW, "--every", "weekly", "--fix", "--profile", "work"]) == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"rescheduled {FLOW}: every {weekday[slot.weekday]} at {slot.time}, check it and "
        "switch it back if it changed"
    )
    crontab = _crontab("-l").stdout
    assert crontab.startswith(THEIR_CRONTAB)
    assert crontab.count("# optout-bot:") == 1
    assert (
        " check linkedin-ai-training --headless --profile work --fix --log-format json " in crontab
    )

    assert cli.main(["schedule", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert {k: listed[k] for k in ("flow", "every", "fix", "profile", "time", "backend")} == {
        "flow": FLOW,
        "every": "weekly",
        "fix": True,
        "profile": "work",
        "time": slot.time,
        "backend": "cron",
    }
    assert cli.main(["schedule", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["FLOW", "WHEN", "FIX", "PROFILE", "SCHEDULER", "LOG"]
    assert table[1].startswith(f"{FLOW}  every {weekday[slot.weekday]} at {slot.time}  yes  work")

    assert cli.main(["schedule", "remove", FLOW]) == 0
    assert capsys.readouterr().out.startswith(f"removed the scheduled check of {FLOW} (crontab")
    assert _crontab("-l").stdout == THEIR_CRONTAB

    assert cli.main(["schedule", "remove", FLOW]) == 1
    assert capsys.readouterr().err == (
        f"optout-bot schedule: no scheduled check of {FLOW} (cron); "
        "`optout-bot schedule list` shows them\n"
    )
    assert cli.main(["schedule", "list"]) == 0
    assert capsys.readouterr().out.startswith("no scheduled checks (cron).")


def test_schedule_add_of_a_flow_file_runs_it_by_absolute_path(
    real_crontab, data_home: Path, tmp_path: Path, capsys, monkeypatch
):
    """A flow file: the job is named by the flow's id and runs the file's absolute path."""
    monkeypatch.chdir(tmp_path)
    Path("my-flow.yaml").write_text(LINKEDIN_FLOW.read_text())
    assert cli.main(["schedule", "add", "my-flow.yaml", "--profile", "work"]) == 0
    capsys.readouterr()
    (job,) = Scheduler("cron").jobs()
    assert job.flow == FLOW
    assert job.target == str(tmp_path / "my-flow.yaml")


def test_schedule_add_of_an_unknown_flow_exits_2(data_home: Path, capsys, monkeypatch):
    """An unknown flow id: exit 2 with the catalog's message; nothing is scheduled."""
    monkeypatch.setenv("OPTOUT_BOT_SCHEDULER", "cron")
    assert cli.main(["schedule", "add", "linkedin-ai"]) == 2
    assert capsys.readouterr().err.startswith(
        "optout-bot schedule: unknown flow 'linkedin-ai'; did you mean 'linkedin-ai-training'?"
    )


def test_schedule_remove_of_a_bad_flow_id_exits_2(data_home: Path, capsys, monkeypatch):
    """A flow id that could not be ours is invalid input, not 'not found'."""
    monkeypatch.setenv("OPTOUT_BOT_SCHEDULER", "cron")
    assert cli.main(["schedule", "remove", "../etc"]) == 2
    assert capsys.readouterr().err == (
        "optout-bot schedule: flow id '../etc': use lower-case letters, digits and '-' "
        "(2 to 64 characters)\n"
    )


def test_schedule_without_crontab_says_to_install_cron(
    data_home: Path, tmp_path: Path, capsys, monkeypatch
):
    """No `crontab` binary: exit 1 and how to install cron."""
    monkeypatch.setenv("OPTOUT_BOT_SCHEDULER", "cron")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert cli.main(["schedule", "add", FLOW]) == 1
    assert capsys.readouterr().err == (
        "optout-bot schedule: `crontab` was not found; install cron (Debian/Ubuntu: sudo "
        "apt-get install cron; Fedora: sudo dnf install cronie; Arch: sudo pacman -S cronie)\n"
    )


def test_a_bad_config_stops_schedule_add_with_exit_2(
    data_home: Path, tmp_path: Path, capsys, monkeypatch
):
    """The default profile comes from the settings file, so a bad file is exit 2."""
    monkeypatch.setenv("OPTOUT_BOT_SCHEDULER", "cron")
    bad = tmp_path / "bad.toml"
    bad.write_text("profile = 3\n")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(bad))
    assert cli.main(["schedule", "add", FLOW]) == 2
    assert "'profile' must be a profile name" in capsys.readouterr().err


def shlex_join(words: list[str]) -> str:
    import shlex

    return shlex.join(words)


def test_schedule_add_all_is_one_job_that_checks_every_setting(real_crontab, data_home, capsys):
    """`schedule add --all`: one job, listed as 'all', running `check --all`."""
    assert cli.main(["schedule", "add", "--all", "--fix"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("scheduled all: ")
    (job,) = Scheduler("cron").jobs()
    assert job.flow == "all" and job.target == "--all"
    assert " check --all --headless " in _crontab("-l").stdout
    assert cli.main(["schedule", "add", "linkedin-ai-training", "--all"]) == 2
    assert "give a FLOW or --all" in capsys.readouterr().err
    assert cli.main(["schedule", "remove", "all"]) == 0


# -- setup: the guided first run, which ends by scheduling a check ---------------------------
# (here, beside the other tests that use this user's real crontab: one file, one worker)

SITES = ["linkedin-ai-training", "chatgpt-model-training", "x-grok-training"]


def test_setup_completes_unattended_with_its_flags(
    real_crontab, run_cli, replica, sign_in_profile, home, tmp_path, monkeypatch
):
    """Every question answered by a flag, against the replicas: the settings chosen are
    saved, switched off and proved after a reload, one daily check of all of them is
    scheduled, alerts go where asked, and setup ends by saying where the evidence is."""
    from optout_bot.app.config import load_config
    from tests.conftest import ACCOUNT, AI_KEY

    config = tmp_path / "config.toml"
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    sign_in_profile()
    evidence = tmp_path / "evidence"

    result = run_cli(
        "setup", "--flows", *SITES, "--browser", "kept", "--yes", "--schedule", "daily",
        "--notify", "ntfy://127.0.0.1:9/optout-alerts", "--headless",
        "--replica", f"127.0.0.1:{replica.port}", "--evidence-dir", str(evidence),
        "--timeout", "10",
    )  # fmt: skip

    assert result.code == 0, result.err
    saved = load_config(config)
    assert list(saved.flows) == SITES
    assert list(saved.notify) == ["ntfy://127.0.0.1:9/optout-alerts"]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert replica.site("chatgpt").get_setting(ACCOUNT) is False
    assert replica.site("x").get_setting(ACCOUNT) is False
    (job,) = Scheduler("cron").jobs()
    assert (job.flow, job.every, job.fix) == ("all", "daily", False)
    assert len(list(evidence.glob("*/*/record.json"))) == 3
    assert f"Evidence (screenshots, one folder per run): {evidence}" in result.err
    assert "`optout-bot report`" in result.err


def test_setup_without_a_terminal_takes_each_missing_answer_as_its_default(
    run_cli, tmp_path, monkeypatch
):
    """No terminal and no --browser: the default (a kept profile), said so, and the flag
    that chooses; --no-run and --schedule none: nothing opened, nothing scheduled."""
    from optout_bot.app.config import load_config

    config = tmp_path / "config.toml"
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))

    result = run_cli("setup", "--flows", "linkedin-research", "--no-run", "--schedule", "none")

    assert result.code == 0, result.err
    assert "(no terminal to ask on; --browser chooses)" in result.err
    assert list(load_config(config).flows) == ["linkedin-research"]
    assert "running:" not in result.err


def test_setup_refuses_an_unknown_setting_and_changes_nothing(run_cli, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))

    result = run_cli("setup", "--flows", "linkedin-ai", "--no-run", "--schedule", "none")

    assert result.code == 2
    assert "unknown flow 'linkedin-ai'; did you mean 'linkedin-ai-training'?" in result.err
    assert not config.exists()
