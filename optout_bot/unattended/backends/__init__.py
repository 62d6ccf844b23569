"""The platform schedulers, one module each, all behind the same small interface
(`protocol.Backend`): ``crontab`` (cron), ``systemd`` (user timers), ``launchd`` (macOS) and
``windows`` (Task Scheduler).

Each module has two halves: pure functions that *generate* its entry from a `protocol.Job` and read
it back (tested on any OS), and the interface functions that run the platform's commands. The
registry of backends, and the choice of one for this platform, is `unattended.schedule`.
"""
