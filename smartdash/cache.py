"""The pages' cached reads, keyed by the store and its data version.

A read is cached per store URL, data version (`queries.data_version`, one indexed query, read once per page run)
and arguments. Any write that changes what a page shows — by this server process, another one, the command line
or cron — moves the version on (smartdash.change_log), so the next page run of every session reads the store
again; logins and exports do not, and leave the caches warm. The time limit only frees the memory of versions
no one reads any more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from smartdash import queries
from smartdash.db import session_scope
from smartdash.inert import st

TTL_SECONDS = 1800
_RUN_VERSION = "cache_data_version"  # session-state key: (this run's marker, store URL, version)


def data_version(engine: Engine) -> int:
    """The store's data version, read at most once per page run (outside a page run: at every call)."""
    ctx = get_script_run_ctx()
    url = str(engine.url)
    if ctx is None:
        return _read_version(engine)
    run = ctx.cursors  # Streamlit gives each run of the script a new dict here: it marks the run
    seen = st.session_state.get(_RUN_VERSION)
    if seen is not None and seen[0] is run and seen[1] == url:
        return seen[2]
    version = _read_version(engine)
    st.session_state[_RUN_VERSION] = (run, url, version)
    return version


def forget_run_version() -> None:
    """This session wrote to the store: the rest of its run reads the version again."""
    st.session_state.pop(_RUN_VERSION, None)


def _read_version(engine: Engine) -> int:
    with session_scope(engine) as session:
        return queries.data_version(session=session)


def store_read(engine: Callable[[], Engine], *, max_entries: int = 64):
    """Decorate `read(session, *args)`: it becomes `read(*args)`, cached per store, data version and arguments; the
    session is opened only when the cache does not have the answer. `engine` gives the store's engine."""

    def decorate(read: Callable[..., Any]) -> Callable[..., Any]:
        def cached(_engine: Engine, url: str, version: int, *args):
            with session_scope(_engine) as session:
                return read(session, *args)

        # Streamlit tells caches apart by module and qualified name: one per decorated read
        cached.__module__, cached.__qualname__, cached.__name__ = read.__module__, read.__qualname__, read.__name__
        cached = st.cache_data(ttl=TTL_SECONDS, max_entries=max_entries, show_spinner=False)(cached)

        def call(*args):
            e = engine()
            return cached(e, str(e.url), data_version(e), *args)

        call.__doc__, call.__name__, call.__qualname__ = read.__doc__, read.__name__, read.__qualname__
        return call

    return decorate
