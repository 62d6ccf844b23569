"""What a run is asked to do: every option, typed, with the settings file already merged.

The command line, the scheduled `check`, the demo and `inspect` all describe their work as
one of these requests and hand it to `optout_bot.app.run`; nothing below this layer sees
`argparse` or the settings file. A value the person did not give on the command line is
``None`` in `BrowserRequest.merged` / `RunRequest.merged`, and the settings file (or its
default) fills it in, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from optout_bot.app.config import Config
    from optout_bot.engine.session import Session

Mode = Literal["run", "verify"]
Route = Literal["menus", "direct"]
Platform = Literal["desktop", "mobile"]


@dataclass(frozen=True)
class BrowserRequest:
    """Which browser, how, and how patiently: what a run and `inspect` share."""

    platform: Platform
    #: attach to the person's running browser at this DevTools URL, or 'auto': the running
    #: browser that allows debugging (``--cdp``, or `cdp` in the settings file) ...
    cdp: str | None = None
    #: ... or launch the profile optout-bot keeps under this name (None with a `cdp` URL;
    #: with 'auto', the kept profile a scheduled check falls back to when nothing runs)
    profile: str | None = "default"
    headless: bool = False
    #: the browser to launch (None: found automatically)
    browser_path: str | None = None
    #: seconds each step may wait for the page
    timeout: float = 15.0
    #: seconds attaching may wait for the person to click Allow in the browser's prompt
    allow_timeout: float = 300.0
    #: (testing) ``HOST:PORT`` of a local replica that answers for the flow's hosts
    replica: str | None = None
    #: where kept profiles live (None: profiles/ in optout-bot's data folder)
    profiles_dir: Path | None = None
    #: called with the open session before the flow starts (the demo signs in its profile)
    prepare_session: Callable[[Session], None] | None = field(default=None, compare=False)

    @classmethod
    def merged(
        cls,
        settings: Config,
        *,
        platform: Platform | None = None,
        cdp: str | None = None,
        profile: str | None = None,
        timeout: float | None = None,
        allow_timeout: float | None = None,
        unattended: bool = False,
        **given: object,
    ) -> BrowserRequest:
        """The options given, the settings file's values for the ones that were not.

        A ``--profile`` given wins over the settings file's `cdp`, except `unattended` (the
        scheduled `check`, whose job line always names its profile): there `cdp = "auto"`
        still attaches, and the profile is where it checks when no browser allows
        debugging."""
        from optout_bot.engine.attach import AUTO

        if not cdp and settings.cdp and (unattended or not profile):
            cdp = settings.cdp
        kept = profile or settings.profile
        return cls(
            platform=platform or settings.platform,
            cdp=cdp,
            profile=(kept if cdp == AUTO else None) if cdp else kept,
            timeout=timeout or settings.timeout,
            allow_timeout=allow_timeout or settings.login_timeout,
            **given,  # type: ignore[arg-type]
        )

    @property
    def timeout_ms(self) -> int:
        return int(self.timeout * 1000)


@dataclass(frozen=True)
class RunRequest:
    """One run of one flow: `run` (may change the setting) or `verify` (read-only)."""

    #: a flow id (the person's flows first, then the bundled ones) or a path to a flow file
    flow: str
    mode: Mode
    browser: BrowserRequest
    #: where the run's screenshots and record.json go
    evidence_dir: Path
    #: "direct": the setting's URL (the menus when it does not show the switch); "menus":
    #: the menus as a person walks them; None: the mode's own (`chosen_route`)
    route: Route | None = None
    #: change the switch without asking
    yes: bool = False
    #: asks the person before a change; None when there is nobody to ask (no terminal)
    confirm: Callable[[str], bool] | None = field(default=None, compare=False)
    #: seconds to wait for the person to sign in by hand on first use
    login_timeout: float = 300.0
    #: seconds the whole run may take, the sign-in wait excluded
    run_timeout: float = 300.0
    #: paint over the member's name and photo in screenshots
    mask: bool = True
    #: the evidence store (None: the one in optout-bot's data folder)
    store_path: Path | None = None
    #: RFC 3161 time-stamping authorities asked, in order, for the record's hash once it is
    #: finished; empty: not time-stamped (`timestamp_off` says why, in the record's history)
    timestamp_urls: tuple[str, ...] = ()
    timestamp_timeout: float = 5.0
    #: why the record is not time-stamped, when `timestamp_urls` is empty ("": nothing kept)
    timestamp_off: str = ""

    @classmethod
    def merged(
        cls,
        settings: Config,
        *,
        flow: str,
        mode: Mode,
        browser: BrowserRequest,
        evidence_dir: Path | None = None,
        login_timeout: float | None = None,
        run_timeout: float | None = None,
        route: Route | None = None,
        no_timestamp: bool = False,
        **given: object,
    ) -> RunRequest:
        """The options given, the settings file's values for the ones that were not.

        Time-stamping: the settings file's `timestamp_urls` (by default a public TSA), off
        with `no_timestamp`; a run against a local replica (testing) only ever uses the URLs
        the settings file names itself, never the default public one."""
        urls, off = settings.timestamp_urls, ""
        if no_timestamp:
            urls, off = (), "timestamping was turned off for this run (--no-timestamp)"
        elif browser.replica and settings.source("timestamp_urls") != "file":
            urls = ()
            off = (
                "a run against a local replica is time-stamped only by the timestamp_urls the "
                "settings file names"
            )
        elif not urls:
            where = f" in {settings.path}" if settings.path else ""
            off = f"timestamping is off (timestamp_urls = []{where})"
        return cls(
            flow=flow,
            mode=mode,
            browser=browser,
            evidence_dir=evidence_dir or settings.evidence_dir,
            login_timeout=login_timeout or settings.login_timeout,
            run_timeout=run_timeout or settings.run_timeout,
            route=route,
            timestamp_urls=tuple(urls),
            timestamp_timeout=settings.timestamp_timeout,
            timestamp_off=off,
            **given,  # type: ignore[arg-type]
        )

    @property
    def chosen_route(self) -> Route:
        """The route given, else the mode's own: verify reads, so it goes straight to the
        setting's URL; run walks the menus as a person would."""
        return self.route or ("direct" if self.mode == "verify" else "menus")

    def as_mode(self, mode: Mode, *, yes: bool | None = None) -> RunRequest:
        """The same request in another mode (`check --fix` runs after it verified)."""
        from dataclasses import replace

        return replace(self, mode=mode, yes=self.yes if yes is None else yes)


@dataclass(frozen=True)
class CheckRequest:
    """What a scheduled job asks: verify; with `fix`, run when the setting drifted; alert."""

    verify: RunRequest
    fix: bool = False
    alert: bool = True
    #: Apprise URLs to tell (the settings file's `notify`)
    notify: tuple[str, ...] = ()
    desktop_notifications: bool = True


@dataclass
class RecordRequest:
    """`optout-bot record`: where to start, and what to do with the flow."""

    browser: BrowserRequest
    url: str
    #: the flow file to write
    out: Path | None = None
    #: the flow's id (None: from the site's host name, e.g. "example-ai-training")
    flow_id: str | None = None
    #: the wanted state (None: ask, the opposite of the switch's state as the default)
    wanted: str | None = None
    #: how long the person has to reach the switch
    max_seconds: float = 900.0
    #: replace `out` when it exists
    force: bool = False
