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
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
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


def _read_version(engine: Engine) -> int:
    with session_scope(engine) as session:
        return queries.data_version(session=session)


def store_read(engine: Callable[[], Engine], *, max_entries: int = 64):
    """Decorate `read(session, *args)`: it becomes `read(*args)`, cached per store, data version and arguments; the
    session is opened only when the cache does not have the answer, and a second call in the same run gets the first
    call's answer (the same object: callers do not change what they are given). `engine` gives the store's engine."""

    def decorate(read: Callable[..., Any]) -> Callable[..., Any]:
        def cached(_engine: Engine, url: str, version: int, *args):
            with session_scope(_engine) as session:
                return read(session, *args)

        # Streamlit tells caches apart by module and qualified name: one per decorated read
        cached.__module__, cached.__qualname__, cached.__name__ = read.__module__, read.__qualname__, read.__name__
        cached = st.cache_data(ttl=TTL_SECONDS, max_entries=max_entries, show_spinner=False)(cached)

        def call(*args):
            e = engine()
            reads = _this_run(e)
            if reads is None:
                return cached(e, str(e.url), _read_version(e), *args)
            key = (read.__qualname__, args)
            try:
                hash(key)
            except TypeError:  # unhashable arguments (a list): straight to the cache
                return cached(e, reads.url, reads.version, *args)
            if key not in reads.answers:
                reads.answers[key] = cached(e, reads.url, reads.version, *args)
            return reads.answers[key]

        call.__doc__, call.__name__, call.__qualname__ = read.__doc__, read.__name__, read.__qualname__
        return call

    return decorate


_MEMOS: list[OrderedDict] = []


def clear() -> None:
    """Forget every cached read and every memo of this process (a benchmark's cold run)."""
    st.cache_data.clear()
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
