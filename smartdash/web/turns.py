"""Page runs of one server process take turns, in the order they were asked for.

A server process runs Python one thread at a time (the interpreter's lock), whatever the number of sessions. When
fifty members log in in the same second, fifty page runs sharing it in 5 ms slices all finish together, at the end:
the first member waits as long as the last, and every switch between them costs time too. Taking turns, the runs
of app.py go one after another, and the members see their pages one after another: the first at once, the last
sooner than before (benchmarks/load.py, 100 sessions on two servers: benchmarks/README.md). What is not a run of
app.py shares the interpreter as before: Streamlit's sending of what a run drew, widget callbacks, fragments.

A run that has had its turn for QUICK_SECONDS is a long one (a dossier, a large load, or one waiting on the store's
lock): the next run starts beside it, as every run did before, so a long run never holds the others back for more
than that. The time is the clock's, not the processor's: a run that waits inside its turn holds it all the same.
A run ended by st.rerun() (or by the reader's new request) runs again at once in the same turn, its clock going on:
a page that reruns without end holds the others back no longer than a long run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

QUICK_SECONDS = 1.0
_new_event = threading.Event  # what a waiting run sleeps on
RERUN = "RerunException"  # Streamlit's end of a run that st.rerun() or a new request asks for (this layer imports no streamlit)


class Turns:
    """Runs enter one at a time, first asked first served; a run that has lasted `quick_seconds` no longer holds
    the next one back."""

    def __init__(self, quick_seconds: float = QUICK_SECONDS) -> None:
        self.quick_seconds = quick_seconds
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()  # the runs waiting for their turn, the first one first
        self._started: dict[object, float] = {}  # the runs in their turn, with when they started
        self._mine = threading.local()  # `kept`: the turn this thread's run, ended by a rerun, runs again in

    @contextmanager
    def turn(self) -> Iterator[None]:
        kept, self._mine.kept = getattr(self._mine, "kept", None), None
        if kept is not None:  # this thread's run was ended by a rerun: it keeps the turn, and its start
            yield from self._held(kept)
            return
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
        except BaseException:  # stopped while waiting (the server shutting down): the runs behind must not wait for it
            with self._lock:
                if me in self._waiting:
                    self._waiting.remove(me)
                    self._wake_first()
            raise
        yield from self._held(mine)

    def _held(self, mine: object) -> Iterator[None]:
        try:
            yield
        except BaseException as error:
            if type(error).__name__ == RERUN:  # the same thread runs the script again at once, in this turn
                self._mine.kept = mine
                raise
            self._end(mine)
            raise
        self._end(mine)

    def _end(self, mine: object) -> None:
        with self._lock:
            del self._started[mine]
            self._wake_first()

    def _wait_for(self, me: threading.Event) -> float | None:
        """0 when `me` may start now; else how long to wait at most before looking again (None: until woken)."""
        if self._waiting[0] is not me:
            return None
        now = time.monotonic()
        ages = [now - started for started in self._started.values() if now - started < self.quick_seconds]
        return 0 if not ages else self.quick_seconds - max(ages)  # when the oldest quick run turns long: look again

    def _wake_first(self) -> None:
        if self._waiting:
            self._waiting[0].set()


_process_turns = Turns()


def turn():
    """This page run's turn in the server process (a context manager)."""
    return _process_turns.turn()
