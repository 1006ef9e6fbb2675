"""The pages' cached reads, keyed by the store and its data version.

A read is cached per store URL, data version (`queries.data_version`, one indexed query, read once per page run)
and arguments. Any write that changes what a page shows — by this server process, another one, the command line
or cron — moves the version on (smartdash.change_log), so the next page run of every session reads the store
again; logins and exports do not, and leave the caches warm. The time limit only frees the memory of versions
no one reads any more.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner import get_script_run_ctx

from smartdash import queries
from smartdash.db import session_scope
from smartdash.inert import st

TTL_SECONDS = 1800
_RUN = "cache_this_run"  # session-state key: what this session's current run has read


@dataclass
class _RunReads:
    """What a page run has read: the data version (once) and each cached read's answer, handed out again to a second
    call with the same arguments (the sidebar, the filters and the page all ask for the reference data)."""

    marker: object
    url: str
    version: int
    answers: dict = field(default_factory=dict)


def _this_run(engine: Engine) -> _RunReads | None:
    """This run's reads, the store's data version read on first use (outside a page run: None)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    run, url = ctx.cursors, str(engine.url)  # Streamlit gives each run of the script a new dict here: it marks the run
    reads = st.session_state.get(_RUN)
    if reads is None or reads.marker is not run or reads.url != url:
        reads = _RunReads(run, url, _read_version(engine))
        st.session_state[_RUN] = reads
    return reads


def data_version(engine: Engine) -> int:
    """The store's data version, read at most once per page run (outside a page run: at every call)."""
    reads = _this_run(engine)
    return _read_version(engine) if reads is None else reads.version


def forget_run_version() -> None:
    """This session wrote to the store: the rest of its run reads the version, and the store, again."""
    st.session_state.pop(_RUN, None)


def read_with_run_version(engine: Engine, read: Callable[[Session], Any]) -> Any:
    """`read(session)`, and this run's data version in the same transaction when the run has not read it yet: a page
    run's first read (the logged-in account) and the version are one transaction, not two."""
    ctx = get_script_run_ctx()
    reads, url = (st.session_state.get(_RUN) if ctx is not None else None), str(engine.url)
    with session_scope(engine) as session:
        answer = read(session)
        if ctx is None or (reads is not None and reads.marker is ctx.cursors and reads.url == url):
            return answer
        version = queries.data_version(session=session)
    st.session_state[_RUN] = _RunReads(ctx.cursors, url, version)
    return answer


_RUN_MEMO = "cache_run_memo"  # session-state key: (run marker, {name: (key, value)})


def once_per_run(name: str, key: Hashable, make: Callable[[], Any]) -> Any:
    """`make()` at most once per page run of this session for the same `key` (outside a page run: at every call). For
    what every part of a run asks again (the logged-in account: the login gate, the sidebar, the page's own gate)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return make()
    memo = st.session_state.get(_RUN_MEMO)
    if memo is None or memo[0] is not ctx.cursors:
        memo = (ctx.cursors, {})
        st.session_state[_RUN_MEMO] = memo
    kept = memo[1].get(name)
    if kept is not None and kept[0] == key:
        return kept[1]
    value = make()
    memo[1][name] = (key, value)
    return value


def forget_this_run(name: str) -> None:
    """The next `once_per_run(name, …)` of this run makes its value again."""
    memo = st.session_state.get(_RUN_MEMO) if get_script_run_ctx() is not None else None
    if memo is not None:
        memo[1].pop(name, None)


def _read_version(engine: Engine) -> int:
    with session_scope(engine) as session:
        return queries.data_version(session=session)


def store_read(engine: Callable[[], Engine], *, max_entries: int = 64):
    """Decorate `read(session, *args)`: it becomes `read(*args)`, cached per store, data version and arguments; the
    session is opened only when the cache does not have the answer, and a second call in the same run gets the first
    call's answer. Answers are kept in this process and handed to every session as they are, not copied (callers do
    not change what they are given): Streamlit's cache_data unpickled a copy at every call, 5 ms for the overview's
    tiles, in every member's page run. `engine` gives the store's engine."""

    def decorate(read: Callable[..., Any]) -> Callable[..., Any]:
        answers = _Answers.of(read, max_entries)

        def from_store(e: Engine, url: str, version: int, args: tuple):
            key = _key((url, version, args))
            return answers.get(key, lambda: _read_in_session(read, e, args))

        def call(*args):
            e = engine()
            reads = _this_run(e)
            if reads is None:
                return from_store(e, str(e.url), _read_version(e), args)
            key = (read.__module__, read.__qualname__, args)
            try:
                hash(key)
            except TypeError:  # unhashable arguments (a list): straight to the process's answers
                return from_store(e, reads.url, reads.version, args)
            if key not in reads.answers:
                reads.answers[key] = from_store(e, reads.url, reads.version, args)
            return reads.answers[key]

        call.__doc__, call.__name__, call.__qualname__ = read.__doc__, read.__name__, read.__qualname__
        return call

    return decorate


def _read_in_session(read: Callable[..., Any], engine: Engine, args: tuple):
    with session_scope(engine) as session:
        return read(session, *args)


def _key(value: tuple) -> Hashable:
    """The value itself when it is hashable, else a digest of it pickled (a list of entities)."""
    try:
        hash(value)
        return value
    except TypeError:
        return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=20).digest()


@dataclass
class _Answer:
    value: Any
    at: float


class _Answers:
    """One cached read's answers in this process, shared by every session, the newest `max_entries` kept, none older
    than TTL_SECONDS. An answer missing when several sessions ask at once is read from the store once: the others
    wait for it (twenty members opening the overview just after a load make one read, not twenty). An error is not
    kept (a refused read of client names is refused again)."""

    _all: dict[tuple[str, str], _Answers] = {}
    _all_lock = threading.Lock()

    def __init__(self, code: object, max_entries: int) -> None:
        self.code, self.max_entries = code, max_entries
        self.entries: OrderedDict[Hashable, _Answer] = OrderedDict()
        self.reading: dict[Hashable, threading.Lock] = {}
        self.lock = threading.Lock()

    @classmethod
    def of(cls, read: Callable[..., Any], max_entries: int) -> _Answers:
        """The answers of `read`, by module and qualified name (a module imported again keeps them), forgotten if the
        function's code changed."""
        name, code = (read.__module__, read.__qualname__), getattr(read, "__code__", read)
        with cls._all_lock:
            answers = cls._all.get(name)
            if answers is None or answers.code != code:
                answers = cls._all[name] = cls(code, max_entries)
            return answers

    def _fresh(self, key: Hashable) -> _Answer | None:
        answer = self.entries.get(key)
        if answer is None or time.monotonic() - answer.at > TTL_SECONDS:
            return None
        self.entries.move_to_end(key)
        return answer

    def get(self, key: Hashable, read: Callable[[], Any]) -> Any:
        with self.lock:
            answer = self._fresh(key)
            if answer is not None:
                return answer.value
            reading = self.reading.setdefault(key, threading.Lock())
        with reading:
            with self.lock:
                answer = self._fresh(key)
                if answer is not None:
                    return answer.value
            try:
                value = read()
            finally:
                with self.lock:
                    self.reading.pop(key, None)
            with self.lock:
                self.entries[key] = _Answer(value, time.monotonic())
                self.entries.move_to_end(key)
                while len(self.entries) > self.max_entries:
                    self.entries.popitem(last=False)
            return value

    @classmethod
    def clear_all(cls) -> None:
        with cls._all_lock:
            for answers in cls._all.values():
                with answers.lock:
                    answers.entries.clear()


_MEMOS: list[OrderedDict] = []


def clear() -> None:
    """Forget every cached read and every memo of this process (a benchmark's cold run)."""
    _Answers.clear_all()
    for answers in _MEMOS:
        answers.clear()


def by_content(*, max_entries: int = 512):
    """Decorate a pure function of data: its answers are kept per process, keyed by a digest of its pickled arguments,
    and shared by every session (callers do not change them). For arguments Streamlit's cache hashes slowly: a chart's
    small frame of dates and Decimals took 7 ms to hash there, 0,25 ms to pickle and digest here."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        answers: OrderedDict[bytes, Any] = OrderedDict()
        lock = threading.Lock()

        def call(*args, **kwargs):
            try:
                key = hashlib.blake2b(pickle.dumps((args, kwargs), protocol=5), digest_size=20).digest()
            except (pickle.PicklingError, TypeError, AttributeError):
                return function(*args, **kwargs)
            with lock:
                if key in answers:
                    answers.move_to_end(key)
                    return answers[key]
            answer = function(*args, **kwargs)  # outside the lock: two sessions may build the same answer once each
            with lock:
                answers[key] = answer
                while len(answers) > max_entries:
                    answers.popitem(last=False)
            return answer

        call.__doc__, call.__name__, call.__qualname__ = function.__doc__, function.__name__, function.__qualname__
        _MEMOS.append(answers)
        return call

    return decorate
