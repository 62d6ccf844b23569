"""Several flows in one run: one Playwright, one browser, a few tabs at once, one question.

Why greenlets, not threads. Playwright's sync API already runs on greenlets: each call parks
the calling greenlet while a dispatcher greenlet runs the event loop, and resumes it when the
answer comes. So flow runners, each in a greenlet of its own, can all wait on their pages at
the same time, on one thread, through one Playwright and one browser (a kept profile can be
opened by one process only; an attached browser asks the person once). Nothing else changes:
the evidence store and the runners' own code never run at the same time as each other, so
the hash chain stays one strict order without a lock.

Only in the kept profile, where each flow gets a window of its own (`ProfileSession.new_page`):
Chromium draws only the tab in front of each window, so flows in tabs of one window would wait
on frames that do not come. The person's own browser (attached over CDP) is not given new
windows, so there the flows take turns, each in a tab (`execute_many`).

`run_together` reaches two attributes of Playwright's sync objects (`_loop` and
`_dispatcher_fiber`, which every one of them has) and its `wait_for_future`. Should a later
Playwright change those, the flows run one after the other instead: slower, the same results.
tests/test_many.py pins which way this Playwright takes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import structlog

from optout_bot.engine.runner import CONFIRM_NOTE

log = structlog.get_logger("optout_bot")

T = TypeVar("T")

#: How many flows work at once (tabs open at once), by default.
TABS = 3


def _hooks(anchor: Any) -> tuple[Any, Any, Callable[..., None]] | None:
    """Playwright's event loop, its dispatcher greenlet and its waiting function, or None
    when this Playwright does not have them where we look."""
    try:
        from playwright._impl._greenlets import wait_for_future

        loop, fiber = anchor._loop, anchor._dispatcher_fiber
    except (ImportError, AttributeError):
        return None
    if loop is None or fiber is None or fiber.dead:
        return None
    return loop, fiber, wait_for_future


def concurrent(anchor: Any) -> bool:
    """Whether `run_together` can run tasks at the same time with this Playwright."""
    return _hooks(anchor) is not None


def run_together(
    anchor: Any, tasks: Sequence[Callable[[], T]], limit: int = TABS
) -> list[T | BaseException]:
    """Run `tasks` (each a function that drives Playwright synchronously), at most `limit` at
    once, and return each one's value or the exception it raised, in the order given.
    `anchor` is any object of the running sync Playwright (the `Playwright` itself). Returns
    when every task has ended; a KeyboardInterrupt stops the wait and is raised."""
    hooks = _hooks(anchor)
    if hooks is None or len(tasks) < 2 or limit < 2:
        return [_call(task) for task in tasks]
    import greenlet

    loop, fiber, wait_for_future = hooks
    out: list[Any] = [None] * len(tasks)
    done = loop.create_future()
    waiting = list(range(len(tasks)))
    running = [0]

    def start_next() -> None:
        while waiting and running[0] < limit:
            index = waiting.pop(0)
            running[0] += 1
            # A greenlet of its own, its parent the dispatcher: when the task ends, control
            # goes back to the event loop, which resumes whichever task's answer came next.
            loop.call_soon(greenlet.greenlet(lambda i=index: body(i), parent=fiber).switch)

    def body(index: int) -> None:
        try:
            out[index] = _call(tasks[index])
        finally:
            running[0] -= 1
            start_next()
            if not waiting and running[0] == 0 and not done.done():
                done.set_result(None)

    start_next()
    wait_for_future(loop, fiber, done)
    return out


def _call(task: Callable[[], T]) -> T | BaseException:
    try:
        return task()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - handed back as the task's outcome
        return exc


class OneQuestion:
    """The changes several flows of one run ask for, asked once.

    Each flow's runner asks before it clicks (`RunOptions.confirm`). Here its question waits
    (its greenlet parked, as in any Playwright wait) until every flow still working has asked
    or ended; then one question lists them all, and the answer goes to each. With more flows
    than tabs at once, the ones that start later are asked in a later question. Without
    Playwright's hooks (the flows then run one after the other) each flow asks on its own.
    """

    def __init__(self, ask: Callable[[str], bool], anchor: Any) -> None:
        self._ask = ask
        self._hooks = _hooks(anchor)
        self._working: set[int] = set()
        self._waiting: dict[int, tuple[str, Any]] = {}

    def started(self, index: int) -> None:
        self._working.add(index)

    def ended(self, index: int) -> None:
        self._working.discard(index)
        self._maybe_ask()

    def confirm_for(self, index: int) -> Callable[[str], bool]:
        """The `confirm` of flow `index`."""
        if self._hooks is None:
            return self._ask

        def confirm(question: str) -> bool:
            assert self._hooks is not None
            loop, fiber, wait_for_future = self._hooks
            answer = loop.create_future()
            self._waiting[index] = (question, answer)
            self._maybe_ask()
            wait_for_future(loop, fiber, answer)
            return bool(answer.result())

        return confirm

    def _maybe_ask(self) -> None:
        if not self._waiting or any(i not in self._waiting for i in self._working):
            return
        waiting, self._waiting = self._waiting, {}
        questions = [question for question, _ in (waiting[i] for i in sorted(waiting))]
        if len(questions) == 1:
            text = questions[0]
        else:
            lines = [q.removesuffix(f" {CONFIRM_NOTE}") for q in questions]
            text = (
                f"optout-bot would change {len(lines)} settings {CONFIRM_NOTE_MANY}:\n"
                + "".join(f"  {n}. {line}\n" for n, line in enumerate(lines, 1))
                + "Change all of them?"
            )
        yes = False
        try:
            yes = self._ask(text)
        finally:  # Ctrl-C at the question: every flow hears "no" (and the run stops)
            for _, answer in waiting.values():
                if not answer.done():
                    answer.set_result(yes)


class Turns:
    """One at a time: a flow that needs the person to sign in waits while another flow of the
    run has them signing in (each site's sign-in page in turn, never two at once)."""

    def __init__(self, anchor: Any) -> None:
        self._hooks = _hooks(anchor)
        self._held = False
        self._queue: list[Any] = []

    @contextlib.contextmanager
    def one_at_a_time(self) -> Iterator[None]:
        if self._hooks is not None and self._held:
            loop, fiber, wait_for_future = self._hooks
            turn = loop.create_future()
            self._queue.append(turn)
            wait_for_future(loop, fiber, turn)  # handed over by the one before
        self._held = True
        try:
            yield
        finally:
            if self._queue:
                self._queue.pop(0).set_result(None)  # still held: it is the next one's
            else:
                self._held = False


#: What a question for several says instead of each one's CONFIRM_NOTE.
CONFIRM_NOTE_MANY = "(it clicks each switch once, then reloads its page to check)"
