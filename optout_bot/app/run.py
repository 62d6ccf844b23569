"""The use cases: `execute` a run, `check` on a schedule, the `demo`, and `inspect` a page.

Each takes a request (`optout_bot.app.request`) and returns what happened; however a run
ends (a bad flow, no browser, a crash, Ctrl-C) it becomes a `Result` with a status and a
one-line reason, never a traceback, and its evidence record is closed.

The path of one run, in order:

    execute(request)
      _Preparing (worker thread): load_flow -> EvidenceStore -> Evidence (a pending record)
      playwright_factory()            # meanwhile: Playwright's driver starts
      browser_session(...)            # attach, or launch the kept profile
      FlowRunner(flow, session, evidence, options).run() -> Result
      _close(...)                     # the record goes into the hash chain
    _timestamp(...)                   # its hash to a time-stamping authority (bounded)
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from optout_bot.app import browsing
from optout_bot.engine.outcome import Result, RunStop, Status

T = TypeVar("T")

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

    from optout_bot.app.request import BrowserRequest, CheckRequest, RecordRequest, RunRequest
    from optout_bot.app.together import OneQuestion, Turns
    from optout_bot.authoring.inspect import Inspection
    from optout_bot.authoring.recording import Click, Recording
    from optout_bot.engine.runner import RunOptions
    from optout_bot.engine.session import Session
    from optout_bot.evidence.recorder import Evidence
    from optout_bot.evidence.store import EvidenceStore
    from optout_bot.flow.model import Flow
    from optout_bot.replicas import Replica


def load(flow_arg: str, *, on_problem: Callable[[str], None] | None = None) -> Flow:
    """The flow a FLOW argument names (an id or a path), validated; `RunStop(INVALID)` when
    it is unknown or invalid, after handing each problem (``file:line:col: ...``) to
    `on_problem`."""
    from optout_bot.flow import FlowErrors, catalog, load_flow

    try:
        path, flow_id = catalog.locate(flow_arg)
    except catalog.UnknownFlow as exc:
        raise RunStop(Status.INVALID, str(exc)) from None
    try:
        return load_flow(path, flow_id)
    except FlowErrors as errors:
        for error in errors.errors:
            if on_problem is not None:
                on_problem(str(error))
        raise RunStop(
            Status.INVALID,
            f"{path} is not a valid flow ({len(errors.errors)} problem(s) above); nothing was run",
        ) from None


# -- execute ----------------------------------------------------------------------------------


def execute(
    request: RunRequest,
    *,
    on_problem: Callable[[str], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Result:
    """Walk the flow as `request` asks and return how it ended. `on_problem` receives each
    problem of an invalid flow file; `meanwhile` runs first on the worker thread (the CLI
    configures its logging there, off the start-up path)."""
    # A run that stops before the walk (an invalid flow, no browser) names no platform.
    partial = Result(flow=request.flow, platform="", mode=request.mode, wanted="")
    result = _attempt(partial, lambda: _execute(request, on_problem, meanwhile))
    _timestamp([request], [result])
    return result


def _attempt(partial: Result, work: Callable[[], T]) -> T | Result:
    """Run `work`; any way it ends becomes a Result (never a traceback for the user)."""
    try:
        return work()
    except KeyboardInterrupt:
        partial.status, partial.reason = Status.INTERRUPTED, "interrupted (Ctrl-C)"
    except Exception as exc:  # one line, not a traceback (OPTOUT_BOT_DEBUG=1 re-raises)
        if os.environ.get("OPTOUT_BOT_DEBUG") and not isinstance(exc, RunStop):
            raise
        _ended_by(partial, exc)
    return partial


def _ended_by(partial: Result, exc: BaseException) -> Result:
    """`partial` as a run that `exc` ended: a RunStop's status and reason, else an error in
    one line."""
    if isinstance(exc, RunStop):
        partial.status, partial.reason = exc.status, exc.reason
    else:
        partial.status = Status.ERROR
        partial.reason = (
            f"unexpected error: {type(exc).__name__}: {exc}. Set OPTOUT_BOT_DEBUG=1 to see "
            "where, and please report it"
        )
    return partial


@dataclass(frozen=True)
class _Begun:
    """A run whose evidence record is open: what `_begin` made and `_close` closes."""

    flow: Flow
    store: EvidenceStore
    evidence: Evidence
    #: the store is this run's alone (closed with its record), not shared by several
    owns_store: bool = True


def _execute(
    request: RunRequest,
    on_problem: Callable[[str], None] | None,
    meanwhile: Callable[[], None] | None,
) -> Result:
    """Load the flow and begin the evidence record, then walk the flow.

    Why a worker thread: Playwright's driver is a Node.js process that takes about a quarter
    of a second to start (BENCHMARKS.md). The flow and the evidence store are read meanwhile,
    so that time is not waited through twice. Nothing reaches a browser before the flow has
    loaded and validated: an invalid flow stops the driver and the run."""
    import playwright.sync_api  # noqa: F401 - first: the driver starts as soon as it is in

    def prepare() -> _Begun:
        if meanwhile is not None:
            meanwhile()
        return _begin(request, load(request.flow, on_problem=on_problem))

    worker = _Preparing(prepare)
    begun: _Begun | None = None
    try:
        with browsing.playwright_factory() as pw:
            begun = worker.result()
            return _drive(begun, request, pw)
    except BaseException as exc:
        if begun is None:
            # The driver failed to start, or Ctrl-C: the record (if begun) says so. A bad
            # flow is the more useful thing to report.
            begun = worker.result_or_none()
            if begun is None and isinstance(worker.error, RunStop):
                raise worker.error from None
            if begun is not None:
                _close(begun, _failed(begun.flow.id, request, exc))
        elif begun.evidence.run_id is not None:
            # Stopped before the walk (the browser could not be opened or attached to): the
            # record says so, as the run's result does, instead of staying pending.
            _close(begun, _failed(begun.flow.id, request, exc))
        raise


class _Preparing(Generic[T]):
    """`work` on a worker thread; `result()` waits for it, then returns or re-raises."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._value: T | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc

    def result(self) -> T:
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self._value is not None
        return self._value

    def result_or_none(self) -> T | None:
        self._thread.join()
        return self._value


# -- several flows in one run ------------------------------------------------------------------


def execute_many(
    requests: Sequence[RunRequest],
    *,
    on_problem: Callable[[str], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
    limit: int | None = None,
) -> list[Result]:
    """Several flows in one run, one result each, in the order given: one browser session
    (the first request's browser; they share it), a few tabs at once (`app/together.py`),
    one evidence record each. A flow that cannot run (unknown, invalid, or failing) ends as
    its own result and never stops the others."""
    from optout_bot.app.together import TABS

    partials = [Result(flow=r.flow, platform="", mode=r.mode, wanted="") for r in requests]
    # Chromium draws only the tab in front of a window: a flow in a tab behind another would
    # wait on frames that do not come. In the person's own browser (attached), where each
    # flow gets a tab, the flows take turns; the kept profile gives each flow a window of its
    # own and runs a few at once.
    tabs = limit or (1 if requests and requests[0].browser.cdp else TABS)
    outcome = _attempt(partials[0], lambda: _execute_many(requests, on_problem, meanwhile, tabs))
    if isinstance(outcome, list):
        _timestamp(requests, outcome)
        return outcome
    # Stopped before any flow could start (no browser, the store, Ctrl-C): each says so.
    for partial in partials:
        partial.status, partial.reason = outcome.status, outcome.reason
    return partials


def _execute_many(
    requests: Sequence[RunRequest],
    on_problem: Callable[[str], None] | None,
    meanwhile: Callable[[], None] | None,
    limit: int,
) -> list[Result]:
    import playwright.sync_api  # noqa: F401 - first: the driver starts as soon as it is in

    from optout_bot.app.together import OneQuestion, Turns, run_together

    # One question for the whole run, when any flow would ask one.
    asks = [r.confirm for r in requests if r.confirm is not None and not r.yes]

    def prepare() -> tuple[EvidenceStore, list[_Begun | RunStop]]:
        if meanwhile is not None:
            meanwhile()
        store = _open_store(requests[0].store_path)
        begun: list[_Begun | RunStop] = []
        for request in requests:
            try:
                begun.append(_begin(request, load(request.flow, on_problem=on_problem), store))
            except RunStop as stop:
                begun.append(stop)
        return store, begun

    worker: _Preparing[tuple[EvidenceStore, list[_Begun | RunStop]]] = _Preparing(prepare)
    results: list[Result | None] = [None] * len(requests)
    prepared = None
    try:
        with browsing.playwright_factory() as pw:
            prepared = worker.result()
            begun = prepared[1]
            ready = [(i, b) for i, b in enumerate(begun) if isinstance(b, _Begun)]
            if ready:
                hosts = {h for _, b in ready for h in browsing.hosts_of(b.flow.allowed_origins)}
                with browsing.browser_session(pw, requests[0].browser, sorted(hosts)) as session:
                    gate = OneQuestion(asks[0], pw) if asks else None
                    turns = Turns(pw)
                    tasks = [_task(b, requests[i], session, i, gate, turns) for i, b in ready]
                    for (i, _), outcome in zip(ready, run_together(pw, tasks, limit), strict=True):
                        results[i] = _as_result(outcome, requests[i])
    except BaseException as exc:
        prepared = prepared or worker.result_or_none()
        if prepared is None:
            if isinstance(worker.error, RunStop):
                raise worker.error from None
            raise
        stop = exc if isinstance(exc, RunStop) else None
        for i, b in enumerate(prepared[1]):
            if isinstance(b, _Begun) and results[i] is None and b.evidence.run_id is not None:
                ended = _failed(b.flow.id, requests[i], exc)
                if stop is not None:
                    ended.status, ended.reason = stop.status, stop.reason
                _close(b, ended)
                results[i] = ended
        if stop is None:
            raise
    finally:
        if prepared is not None:
            prepared[0].close()
    out: list[Result] = []
    for i, request in enumerate(requests):
        result = results[i]
        if result is None:
            why = prepared[1][i] if prepared is not None else None
            result = Result(flow=request.flow, platform="", mode=request.mode, wanted="")
            if isinstance(why, RunStop):
                result.status, result.reason = why.status, why.reason
        out.append(result)
    return out


def _task(
    begun: _Begun,
    request: RunRequest,
    session: Session,
    index: int,
    gate: OneQuestion | None,
    turns: Turns,
) -> Callable[[], Result]:
    """Flow `index`'s walk, as a task of `run_together`: its question goes through `gate`
    (one question for all the run's changes) when there is one, its sign-in by hand waits
    for its turn."""

    def walk() -> Result:
        if gate is None:
            return _walk(begun, request, session, turns)
        gate.started(index)
        try:
            asking = replace(request, confirm=gate.confirm_for(index))
            return _walk(begun, asking, session, turns)
        finally:
            gate.ended(index)

    return walk


def _as_result(outcome: Result | BaseException, request: RunRequest) -> Result:
    """A flow's outcome as its result: a crash in one flow is that flow's error only."""
    if isinstance(outcome, Result):
        return outcome
    partial = Result(flow=request.flow, platform=request.browser.platform, mode=request.mode,
                     wanted="")  # fmt: skip
    return _ended_by(partial, outcome)


def _begin(request: RunRequest, flow: Flow, shared: EvidenceStore | None = None) -> _Begun:
    """Open the evidence store (or use `shared`) and begin the run's record (a pending row
    from the start)."""
    from optout_bot.evidence.recorder import Evidence

    store = shared if shared is not None else _open_store(request.store_path)
    try:
        evidence = Evidence(
            request.evidence_dir,
            flow,
            request.browser.platform,
            request.mode,
            store,
            "cdp" if request.browser.cdp else "profile",
        )
    except OSError as exc:
        if shared is None:
            store.close()
        raise RunStop(
            Status.ERROR, f"cannot write evidence to {request.evidence_dir}: {exc}"
        ) from None
    # What the walk imports, imported here while the driver starts (see _execute).
    import optout_bot.engine.runner
    import optout_bot.engine.session  # noqa: F401

    return _Begun(flow, store, evidence, owns_store=shared is None)


def _open_store(path: Path | None) -> EvidenceStore:
    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path

    path = path or default_store_path()
    try:
        return EvidenceStore(path)
    except (StoreError, sqlite3.Error, OSError) as exc:
        raise RunStop(
            Status.ERROR,
            f"cannot open the evidence store {path}: {exc}. Nothing was run; "
            "`optout-bot evidence verify` checks it",
        ) from None


def _failed(flow_id: str, request: RunRequest, exc: BaseException) -> Result:
    """What the record says when the run ends by Ctrl-C, a crash, or a stop (`RunStop`)
    before its walk."""
    result = Result(flow=flow_id, platform=request.browser.platform, mode=request.mode, wanted="")
    if isinstance(exc, RunStop):
        result.status, result.reason = exc.status, exc.reason
        return result
    interrupted = isinstance(exc, KeyboardInterrupt)
    result.status = Status.INTERRUPTED if interrupted else Status.ERROR
    result.reason = "interrupted (Ctrl-C)" if interrupted else f"{type(exc).__name__}: {exc}"
    return result


def _close(begun: _Begun, result: Result) -> None:
    """Close the run's record (into the hash chain) and the store."""
    try:
        result.screenshots = [str(p) for p in begun.evidence.screenshots]
        begun.evidence.finish(result)
        if begun.evidence.record is not None:
            result.record = begun.evidence.record.ref
    finally:
        if begun.owns_store:
            begun.store.close()


def _timestamp(requests: Sequence[RunRequest], results: Sequence[Result]) -> None:
    """Send each finished record's hash to the time-stamping authorities (the first
    request's: a run's requests share their settings), once the browser is closed, and keep
    what came back (`evidence.timestamping.stamp_records`); each result's record says how it
    went. Bounded by the TSAs' timeouts (a TSA that failed is not asked again in the run), and
    never a reason for the run to fail: a record that could not be stamped is kept as
    waiting, with why, for `optout-bot evidence timestamp`."""
    import structlog

    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path
    from optout_bot.evidence.timestamping import stamp_records

    first = requests[0] if requests else None
    if first is None or not (first.timestamp_urls or first.timestamp_off):
        return
    finished = {
        r.record["seq"]: r
        for r in results
        if isinstance(r.record.get("seq"), int) and r.status is not Status.INTERRUPTED
    }
    if not finished:
        return
    log = structlog.get_logger("optout_bot")
    try:
        with EvidenceStore(first.store_path or default_store_path()) as store:
            stamps = stamp_records(
                store,
                first.timestamp_urls,
                seqs=finished,
                off=first.timestamp_off,
                timeout=first.timestamp_timeout,
            )
    except (StoreError, sqlite3.Error, OSError) as exc:
        log.warning("could not time-stamp the evidence record", error=str(exc))
        return
    except KeyboardInterrupt:  # the record is safe; `evidence timestamp` stamps it later
        return
    for stamp in stamps:
        result = finished.get(stamp.seq)
        if result is None:
            continue
        result.record["timestamp"] = stamp.to_json()
        if stamp.stamped:
            log.info(f"record #{stamp.seq} {stamp.words()}")
        elif first.timestamp_urls:
            log.warning(
                f"record #{stamp.seq} {stamp.words()}; `optout-bot evidence timestamp` "
                "stamps it later"
            )


def chain_head(store_path: Path | None) -> dict[str, Any] | None:
    """The evidence store's chain head, {"seq", "hash"}, to note elsewhere (`check`'s summary
    and alerts); None when there is none or the store cannot be read."""
    from optout_bot.evidence.store import EvidenceStore, StoreError, default_store_path

    path = store_path or default_store_path()
    if not path.exists():
        return None
    try:
        with EvidenceStore(path) as store:
            head = store.head()
    except (StoreError, sqlite3.Error, OSError):
        return None
    return {"seq": head[0], "hash": head[1]} if head else None


def _options(request: RunRequest) -> RunOptions:
    from optout_bot.engine.runner import RunOptions

    return RunOptions(
        mode=request.mode,
        platform=request.browser.platform,
        yes=request.yes,
        confirm=request.confirm,
        timeout_ms=request.browser.timeout_ms,
        login_timeout_ms=int(request.login_timeout * 1000),
        run_timeout_ms=int(request.run_timeout * 1000),
        mask=request.mask,
        route=request.chosen_route,
    )


def _drive(begun: _Begun, request: RunRequest, pw: Playwright) -> Result:
    """Walk the flow in the user's browser; the record is closed however that ends."""
    hosts = browsing.hosts_of(begun.flow.allowed_origins)
    with browsing.browser_session(pw, request.browser, hosts) as session:
        return _walk(begun, request, session)


def _walk(
    begun: _Begun, request: RunRequest, session: Session, turns: Turns | None = None
) -> Result:
    """The flow's walk in an open session; its record is closed however that ends."""
    from optout_bot.engine.runner import FlowRunner

    options = _options(request)
    if turns is not None:
        options = replace(options, sign_in_turn=turns.one_at_a_time)
    try:
        result = FlowRunner(begun.flow, session, begun.evidence, options).run()
    except BaseException as exc:
        # Ctrl-C or a crash: the record still says what happened so far.
        _close(begun, _failed(begun.flow.id, request, exc))
        raise
    # The flow reached the switch and re-read it, or broke where the page had a likely
    # replacement: a proposal first, so the record's reason can say so.
    if result.state_after != "unknown" or result.replacement:
        _propose_repair(begun, result)
    _close(begun, result)
    return result


def _propose_repair(begun: _Begun, result: Result) -> None:
    """When the run got there through a fallback, leave a flow that would not need it
    (`authoring.repair`) beside the evidence; when it broke where the page had a likely
    replacement (`engine.replacement`), a flow with it as a new alternative, and say so in
    the run's reason. Never a reason for the run to fail."""
    import structlog

    from optout_bot.authoring.repair import Fallbacks, propose
    from optout_bot.engine.outcome import first_line

    log = structlog.get_logger("optout_bot")
    new = result.replacement
    additions = ((new["section"], new["position"], tuple(new["locators"])),) if new else ()
    found = Fallbacks(
        platform=result.platform,
        promotions=tuple(result.promotions),
        switch_index=result.switch_alternative or 0,
        moved_url=result.moved_url,
        additions=additions,
    )
    if not found:
        return
    try:
        path = propose(begun.flow, found, begun.evidence.dir)
    except Exception as exc:  # noqa: BLE001 - a proposal is a help, not part of the run
        log.warning("could not write a repaired flow", error=first_line(exc))
        return
    if path is None:
        return
    check = f"`optout-bot flows repair {begun.flow.id}` checks it and installs it"
    log.warning(f"a repaired flow is proposed beside the evidence: {check}", proposal=str(path))
    if new:
        result.reason += (
            f". A repaired flow is proposed beside the evidence, with {new['element']} as a "
            f"new alternative: {check}"
        )


# -- check ------------------------------------------------------------------------------------


@dataclass
class Checked:
    """What a scheduled check found: the final result, the verify before a fix (when one
    ran), and the alerts sent."""

    result: Result
    verified: Result | None = None
    alerts: list[str] | None = None
    #: the evidence chain's head after the check, {"seq", "hash"}: to note elsewhere
    head: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.result.to_json()
        data["checked"] = self.verified.to_json() if self.verified is not None else None
        data["chain_head"] = self.head
        if self.alerts is not None:
            data["alerts"] = self.alerts
        return data


def where_to_check(verify: RunRequest) -> tuple[RunRequest, str]:
    """Where an unattended check looks: attached to the running browser that allows
    debugging (``cdp = "auto"``) when there is one; when there is none and the kept profile
    exists, on that profile, headless, with a note saying so (a profile that is not signed
    in is then "login needed" as usual); otherwise as asked (the run then ends saying that
    no browser allows debugging, and what to do: not a sign-in problem)."""
    from optout_bot.base import paths
    from optout_bot.engine.attach import AUTO, NOT_RUNNING

    browser = verify.browser
    if browser.cdp != AUTO or not browser.profile or browsing.attachable():
        return verify, ""
    folder = (browser.profiles_dir or paths.profiles_dir()) / browser.profile
    if not folder.is_dir():
        return verify, ""
    note = f"{NOT_RUNNING}, so checked on the kept profile {browser.profile!r}"
    kept = replace(browser, cdp=None, headless=True)
    return replace(verify, browser=kept), note


def _saying(meanwhile: Callable[[], None] | None, note: str) -> Callable[[], None] | None:
    """`meanwhile` (which configures the logging), then `note` as a progress line."""
    if not note:
        return meanwhile

    def both() -> None:
        import structlog

        if meanwhile is not None:
            meanwhile()
        structlog.get_logger("optout_bot").warning(note)

    return both


def _noted(result: Result, note: str) -> Result:
    """`result` with `note` (where the check looked) before its reason."""
    if note:
        result.reason = f"{note}: {result.reason}" if result.reason else note
    return result


def check(
    request: CheckRequest,
    *,
    on_problem: Callable[[str], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
    on_drift: Callable[[], None] | None = None,
) -> Checked:
    """Verify; with `fix`, run (as ``run --yes``) when the setting drifted; then alert when
    the end result needs the member."""
    from optout_bot.unattended import alerts

    run, note = where_to_check(request.verify)
    verified = _noted(execute(run, on_problem=on_problem, meanwhile=_saying(meanwhile, note)), note)
    checked = Checked(verified)
    if request.fix and verified.status is Status.DRIFT:
        if on_drift is not None:
            on_drift()
        fixed = _noted(execute(run.as_mode("run", yes=True)), note)
        checked = Checked(fixed, verified=verified)
    checked.head = chain_head(run.store_path)
    data = checked.to_json()
    if request.alert and alerts.should_alert(data):
        checked.alerts = alerts.notify(
            data, urls=list(request.notify), desktop=request.desktop_notifications
        )
    return checked


@dataclass
class CheckedMany:
    """What a check of several settings found: each one's final result (after a fix, when
    one ran), and the one alert for all that need the member."""

    results: list[Result]
    alerts: list[str] | None = None
    #: the evidence chain's head after the check, {"seq", "hash"}: to note elsewhere
    head: dict[str, Any] | None = None

    @property
    def exit_code(self) -> int:
        """0 when every setting ended 0, else the first one's, in the order given, that did not."""
        return next((r.exit_code for r in self.results if r.exit_code != 0), 0)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "results": [r.to_json() for r in self.results],
            "exit_code": self.exit_code,
            "chain_head": self.head,
        }
        if self.alerts is not None:
            data["alerts"] = self.alerts
        return data


def check_many(
    requests: Sequence[CheckRequest],
    *,
    on_problem: Callable[[str], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
    on_drift: Callable[[], None] | None = None,
) -> CheckedMany:
    """`check` of several settings in one run: verify them all (one browser); with `fix`, run
    (as ``run --yes``) those that drifted, in one run again; then one alert naming every
    setting that needs the member. The options are the first request's."""
    from optout_bot.unattended import alerts

    first = requests[0]
    # They share the first request's browser: where it looks is where they all look.
    first_run, note = where_to_check(first.verify)
    runs = [replace(r.verify, browser=first_run.browser) if note else r.verify for r in requests]
    verified = [
        _noted(result, note)
        for result in execute_many(runs, on_problem=on_problem, meanwhile=_saying(meanwhile, note))
    ]
    final = list(verified)
    drifted = [i for i, r in enumerate(verified) if r.status is Status.DRIFT]
    if first.fix and drifted:
        if on_drift is not None:
            on_drift()
        fixed = execute_many([runs[i].as_mode("run", yes=True) for i in drifted])
        for i, result in zip(drifted, fixed, strict=True):
            final[i] = _noted(result, note)
    checked = CheckedMany(final, head=chain_head(first.verify.store_path))
    need = [r.to_json() for r in final if alerts.should_alert(r.to_json())]
    if first.alert and need:
        title, body = alerts.compose_many(need, head=checked.head)
        checked.alerts = alerts.send(
            title, body, urls=list(first.notify), desktop=first.desktop_notifications
        )
    return checked


# -- demo -------------------------------------------------------------------------------------


def demo_flows() -> list[str]:
    """What the demo runs: the AI-training setting of every bundled site."""
    from optout_bot.flow import catalog

    return catalog.default_flows()


@dataclass(frozen=True)
class DemoRequest:
    platform: str = "desktop"
    headed: bool = False
    browser_path: str | None = None
    evidence_dir: Path | None = None
    mask: bool = True
    #: told the replica's address once it runs
    on_start: Callable[[str], None] | None = field(default=None, compare=False)


def demo(request: DemoRequest, *, meanwhile: Callable[[], None] | None = None) -> list[Result]:
    """The AI-training setting of every bundled site, switched off against the bundled
    replicas in one run, in a throw-away profile signed in everywhere as the replicas' demo
    member: no account needed, nothing leaves the machine. The demo's records go to a store
    of their own, apart from the member's real evidence."""
    import tempfile

    from optout_bot.app.request import BrowserRequest
    from optout_bot.app.request import RunRequest as Run
    from optout_bot.base import paths
    from optout_bot.replicas import Replica

    evidence_dir = request.evidence_dir or paths.data_dir() / "demo-evidence"
    with Replica() as replica, tempfile.TemporaryDirectory(prefix="optout-bot-demo-") as tmp:
        address = f"127.0.0.1:{replica.port}"
        if request.on_start is not None:
            request.on_start(address)
        browser = BrowserRequest(
            platform="mobile" if request.platform == "mobile" else "desktop",
            profile="demo",
            headless=not request.headed,
            browser_path=request.browser_path,
            timeout=15.0,
            replica=address,
            profiles_dir=Path(tmp),
            prepare_session=lambda session: _sign_in(session, replica),
        )
        runs = [
            Run(
                flow=flow,
                mode="run",
                browser=browser,
                evidence_dir=evidence_dir,
                yes=True,
                login_timeout=60.0,
                mask=request.mask,
                store_path=evidence_dir / "demo-evidence.sqlite3",
                # The demo never sends anything anywhere, not even a hash.
                timestamp_off="the demo never contacts a time-stamping authority",
            )
            for flow in demo_flows()
        ]
        return execute_many(runs, meanwhile=meanwhile)


def _sign_in(session: Session, replica: Replica) -> None:
    """Leave the demo's throw-away profile signed in to every replica as the demo member."""
    from optout_bot.engine.session import ProfileSession

    assert isinstance(session, ProfileSession)  # the demo never attaches to a browser
    session.context.add_cookies(replica.sign_in_cookies())  # type: ignore[arg-type]


# -- inspect ----------------------------------------------------------------------------------


def inspect(request: BrowserRequest, url: str) -> Inspection:
    """List the switches on `url` in the session `request` describes; read-only. Raises
    `RunStop` with the status and reason when the page cannot be inspected."""
    from playwright.sync_api import Error as PWError

    from optout_bot.authoring.inspect import inspect_page
    from optout_bot.engine.outcome import first_line

    if not url.startswith("https://"):
        raise RunStop(Status.INVALID, f"{url!r}: flows open https:// pages only")
    with browsing.playwright_factory() as pw:
        hosts = browsing.hosts_of([url])
        with browsing.browser_session(pw, request, hosts) as session:
            page = session.new_page()
            try:
                return inspect_page(
                    page, url, platform=request.platform, timeout_ms=request.timeout_ms
                )
            except PWError as exc:
                raise RunStop(Status.ERROR, f"cannot inspect {url}: {first_line(exc)}") from None


# -- record -----------------------------------------------------------------------------------


@dataclass
class Recorded:
    """A recording written as a flow."""

    path: Path
    flow: Flow
    recording: Recording


def record(
    request: RecordRequest,
    *,
    on_ready: Callable[[], None] = lambda: None,
    on_click: Callable[[Click], None] = lambda _c: None,
    choose_wanted: Callable[[Recording], str] | None = None,
) -> Recorded:
    """Record a flow in the session `request.browser` describes (see authoring/recording.py)
    and write it to `request.out` (else ``<id>.yaml`` here), loaded before it is kept.
    `RunStop` says why nothing was written."""
    import datetime

    from playwright.sync_api import Error as PWError

    from optout_bot.authoring.recording import HEADER, RecordingEnded
    from optout_bot.authoring.recording import record as record_clicks
    from optout_bot.base.files import write_private
    from optout_bot.engine.outcome import first_line
    from optout_bot.flow import FlowErrors, load_flow_text
    from optout_bot.flow.writer import dump_data

    url = request.url
    if not url.startswith("https://"):
        raise RunStop(Status.INVALID, f"{url!r}: flows open https:// pages only")
    if request.out is not None and request.out.exists() and not request.force:
        raise RunStop(Status.INVALID, f"{request.out} exists; choose another --out or --force")
    hosts = browsing.hosts_of([url])
    with (
        browsing.playwright_factory() as pw,
        browsing.browser_session(pw, request.browser, hosts) as session,
    ):
        page = session.new_page()
        try:
            recording = record_clicks(
                page,
                url,
                platform=request.browser.platform,
                max_seconds=request.max_seconds,
                timeout_ms=request.browser.timeout_ms,
                on_ready=on_ready,
                on_click=on_click,
            )
        except RecordingEnded as ended:
            raise RunStop(Status.ERROR, f"{ended}; nothing was written") from None
        except PWError as exc:
            reason = f"cannot record on {url}: {first_line(exc)}; nothing was written"
            raise RunStop(Status.ERROR, reason) from None
    switch = recording.switch
    if switch is None or not switch.alternatives:
        raise RunStop(
            Status.ERROR,
            "the switch that was clicked could not be told apart from the page's other "
            "elements; nothing was written (`optout-bot inspect URL` lists what is there)",
        )
    wanted = request.wanted
    if wanted is None:
        wanted = choose_wanted(recording) if choose_wanted else _opposite(recording.state)
    today = datetime.date.today()
    data = recording.flow_data(flow_id=request.flow_id, wanted=wanted, today=today)
    out = request.out or Path(f"{data['id']}.yaml")
    if out.exists() and not request.force and request.out is None:
        raise RunStop(Status.INVALID, f"{out} exists; choose another --out or --force")
    text = HEADER.format(today=today.isoformat(), start=url, file=out.name) + dump_data(data)
    try:
        flow = load_flow_text(text, str(out))
    except FlowErrors as errors:  # a recorder bug: say what, keep nothing
        problems = "; ".join(str(e) for e in errors.errors[:5])
        raise RunStop(Status.ERROR, f"the recorded flow does not load: {problems}") from None
    write_private(out, text.encode("utf-8"), replace=True)
    return Recorded(out, flow, recording)


def _opposite(state: str) -> str:
    """The wanted state a recording defaults to: the other one; "off" when unknown (these
    are opt-outs)."""
    return "on" if state == "off" else "off"
