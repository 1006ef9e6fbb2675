"""Page runs take turns in a server process (smartdash.web.turns): one quick run at a time, in the order asked, and a
long run does not hold the next one back. Threads stand for the page runs; nothing here measures time: each test
waits on events, with a generous limit that only a broken gate reaches."""

from __future__ import annotations

import threading

import pytest

from smartdash.web import turns as turns_module
from smartdash.web.turns import Turns

LIMIT = 20  # seconds: reached only when the gate never lets a run in


def run_in_thread(turns: Turns, entered: list, name: str, hold: threading.Event | None = None) -> threading.Thread:
    def run():
        with turns.turn():
            entered.append(name)
            if hold is not None:
                assert hold.wait(LIMIT)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def waiting(turns: Turns, count: int) -> None:
    """Wait until `count` runs wait for their turn."""
    for _ in range(LIMIT * 100):
        with turns._lock:
            if len(turns._waiting) == count:
                return
        threading.Event().wait(0.01)
    raise AssertionError(f"{count} runs never waited")


def test_runs_enter_one_at_a_time_in_the_order_they_asked():
    turns = Turns(quick_seconds=LIMIT)
    entered, first_holds = [], threading.Event()
    first = run_in_thread(turns, entered, "first", first_holds)
    waiting(turns, 0)
    while not entered:
        threading.Event().wait(0.01)
    others = []
    for n in range(5):
        others.append(run_in_thread(turns, entered, f"run {n}"))
        waiting(turns, n + 1)  # each one asks after the one before
    assert entered == ["first"]  # none enters beside a quick run
    first_holds.set()
    for thread in [first, *others]:
        thread.join(LIMIT)
    assert entered == ["first"] + [f"run {n}" for n in range(5)]


def test_a_long_run_lets_the_next_one_in():
    turns = Turns(quick_seconds=0.05)
    entered, long_holds = [], threading.Event()
    long = run_in_thread(turns, entered, "long", long_holds)
    quick = run_in_thread(turns, entered, "quick")
    quick.join(LIMIT)  # it entered and ended while the long run still holds its turn
    assert not quick.is_alive() and long.is_alive()
    assert entered == ["long", "quick"]
    long_holds.set()
    long.join(LIMIT)


def test_a_run_stopped_while_waiting_does_not_hold_up_the_others(monkeypatch):
    turns = Turns(quick_seconds=LIMIT)
    entered, first_holds = [], threading.Event()
    first = run_in_thread(turns, entered, "first", first_holds)
    while not entered:
        threading.Event().wait(0.01)

    class Stopped(Exception):
        pass

    class StoppedInItsWait(threading.Event):  # the run is stopped while it waits (its server shutting down)
        def wait(self, timeout=None):
            raise Stopped

    monkeypatch.setattr(turns_module, "_new_event", StoppedInItsWait)
    with pytest.raises(Stopped), turns.turn():
        entered.append("never")
    monkeypatch.undo()
    later = run_in_thread(turns, entered, "later")
    waiting(turns, 1)  # only the later run waits: the stopped one left the queue
    first_holds.set()
    later.join(LIMIT)
    first.join(LIMIT)
    assert entered == ["first", "later"]


def test_an_error_in_a_run_ends_its_turn():
    turns = Turns(quick_seconds=LIMIT)
    with pytest.raises(ValueError), turns.turn():
        raise ValueError("the page failed")
    entered = []
    run_in_thread(turns, entered, "next").join(LIMIT)
    assert entered == ["next"]


def test_a_run_ended_by_a_rerun_runs_again_in_its_turn():
    """Streamlit ends a run with its RerunException (st.rerun(), or the reader's new request) and the same thread runs
    the script again at once: it keeps its turn rather than going to the back of the line."""

    class RerunException(BaseException):  # Streamlit's, told by its name
        pass

    turns = Turns(quick_seconds=LIMIT)
    entered, reruns = [], threading.Event()

    def run_then_rerun():
        with pytest.raises(RerunException), turns.turn():
            entered.append("run")
            assert reruns.wait(LIMIT)
            raise RerunException
        with turns.turn():
            entered.append("run again")

    first = threading.Thread(target=run_then_rerun, daemon=True)
    first.start()
    while not entered:
        threading.Event().wait(0.01)
    other = run_in_thread(turns, entered, "another session")
    waiting(turns, 1)
    reruns.set()
    first.join(LIMIT)
    other.join(LIMIT)
    assert entered == ["run", "run again", "another session"]
    assert not turns._started and not turns._waiting  # every turn ended


def test_a_run_stopped_by_streamlit_ends_its_turn():
    class StopException(BaseException):  # st.stop(): the run ends there
        pass

    turns = Turns(quick_seconds=LIMIT)
    with pytest.raises(StopException), turns.turn():
        raise StopException
    entered = []
    run_in_thread(turns, entered, "next").join(LIMIT)
    assert entered == ["next"] and not turns._started
