"""The guarded API: every action a page offers, checked against the user's role and written to the audit log.

Pages call these, never the unguarded functions behind them; the command line, run by whoever holds the
machine, calls the unguarded ones and audits under the system user.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from smartdash import auth, importing, queries
from smartdash.auth import CurrentUser, require
from smartdash.db import session_scope, store_error

log = logging.getLogger(__name__)


def import_files(user: CurrentUser | None, engine: Engine, files: Sequence[tuple[str, bytes]], **limits):
    """Load files (see importing.import_files); a store failure is raised as a StoreError a page can show."""
    require(user, "import")
    with store_failures_told("import"):
        results = importing.import_files(engine, files, loaded_by=user.login, **limits)
    for result in results:
        auth.record(
            engine,
            user.login,
            "import",
            {"file": result.file_name, "load": result.load_id, "inserted": result.inserted, "updated": result.updated},
        )
    return results


def undo_load(user: CurrentUser | None, engine: Engine, load_id: int) -> int:
    require(user, "undo")
    with store_failures_told("undo"):
        count = importing.undo_load(engine, load_id, undone_by=user.login)
    auth.record(engine, user.login, "undo", {"load": load_id, "rows": count})
    return count


@contextmanager
def store_failures_told(what: str) -> Iterator[None]:
    """A database exception leaves as the StoreError its reader should see; its details go to the server log."""
    try:
        yield
    except Exception as error:
        told = store_error(error)
        if told is None or told is error:
            raise
        log.warning("%s refused by the store: %s", what, type(told).__name__, exc_info=error)
        raise told from error


def largest_overdue_clients(user: CurrentUser | None, *, session: Session, entity: str, as_of: dt.date) -> pd.DataFrame:
    """Client names are confidential: viewers may not read them. A read in the caller's session, so that the pages can
    cache it (smartdash.web.store) with the guard inside."""
    require(user, "see_clients")
    return queries.largest_overdue_clients(session=session, entity=entity, as_of=as_of)


def add_user(user: CurrentUser | None, engine: Engine, login: str, role: str, password: str | None) -> None:
    require(user, "users")
    auth.add_user(engine, login, role, password, by=user.login)


def set_password(user: CurrentUser | None, engine: Engine, login: str, password: str) -> None:
    if user is None or user.login != login:  # anyone may change their own password
        require(user, "users")
    auth.set_password(engine, login, password, by=user.login)


def set_role(user: CurrentUser | None, engine: Engine, login: str, role: str) -> None:
    require(user, "users")
    auth.set_role(engine, login, role, by=user.login)


def disable_user(user: CurrentUser | None, engine: Engine, login: str) -> None:
    require(user, "users")
    auth.disable_user(engine, login, by=user.login)


def list_users(user: CurrentUser | None, engine: Engine) -> pd.DataFrame:
    require(user, "users")
    with session_scope(engine) as session:
        return auth.list_users(session=session)


def audit_log(user: CurrentUser | None, engine: Engine) -> pd.DataFrame:
    require(user, "audit")
    with session_scope(engine) as session:
        return auth.audit_log(session=session)


def record_export(user: CurrentUser | None, engine: Engine, what: str, detail: dict | None = None) -> None:
    require(user, "export")
    auth.record(engine, user.login, "export", {"what": what, **(detail or {})})
