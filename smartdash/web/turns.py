"""Page runs of one server process take turns, in the order they were asked for.

A server process runs Python one thread at a time (the interpreter's lock), whatever the number of sessions. When
fifty members log in in the same second, fifty page runs sharing it in 5 ms slices all finish together, at the end:
the first member waits as long as the last, and every switch between them costs time too. Taking turns, each run has
the interpreter to itself and the members see their pages one after another, the first at once, the last no later
than before (measured with benchmarks/load.py, 100 sessions on two servers: README in benchmarks/).

A run that has had its turn for QUICK_SECONDS is a long one (a dossier, a large load): the next run starts beside it,
as all runs did before, so a long run never holds the others back for more than that.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

QUICK_SECONDS = 1.0
_new_event = threading.Event  # what a waiting run sleeps on


class Turns:
    """Runs enter one at a time, first asked first served; a run that has lasted `quick_seconds` no longer holds
    the next one back."""

    def __init__(self, quick_seconds: float = QUICK_SECONDS) -> None:
        self.quick_seconds = quick_seconds
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()  # the runs waiting for their turn, the first one first
        self._started: dict[object, float] = {}  # the runs in their turn, with when they started

    @contextmanager
    def turn(self) -> Iterator[None]:
        me = _new_event()
        with self._lock:
            self._waiting.append(me)
        try:
            while True:
                with self._lock:
                    wait = self._wait_for(me)
                    if wait == 0:
                        self._waiting.popleft()
                        mine = object()
                        self._started[mine] = time.monotonic()
                        self._wake_first()  # the next run waits for this one, with a time limit of its own
                        break
                me.wait(wait)
                me.clear()  # the state is read again under the lock: a wake-up lost here changes nothing
        except BaseException:  # stopped while waiting: the runs behind must not wait for this one
            with self._lock:
                if me in self._waiting:
                    self._waiting.remove(me)
                    self._wake_first()
            raise
        try:
            yield
        finally:
            with self._lock:
                del self._started[mine]
                self._wake_first()

    def _wait_for(self, me: threading.Event) -> float | None:
        """0 when `me` may start now; else how long to wait at most before looking again (None: until woken)."""
        if self._waiting[0] is not me:
            return None
        now = time.monotonic()
        quick = [now - started for started in self._started.values() if now - started < self.quick_seconds]
        return 0 if not quick else self.quick_seconds - max(quick)

    def _wake_first(self) -> None:
        if self._waiting:
            self._waiting[0].set()


_process_turns = Turns()


def turn():
    """This page run's turn in the server process (a context manager)."""
    return _process_turns.turn()
