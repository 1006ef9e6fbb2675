"""The store's data version, kept by every write whichever process makes it (a server, the command line, cron).

A transaction that changes what a page shows adds one row to `data_change` before it commits; the newest row's
id is the data version (`queries.data_version`) that the pages' caches are keyed by. A load from the command line
is then seen at the next page run of every session in every server process, and nothing else has to remember to
empty a cache.

Every write goes through an ORM session, so the session is where this is kept: its flushes and its INSERT, UPDATE
and DELETE statements say which tables a transaction changed. What logins write does not count — the audit log,
failed attempts, lockouts, a password rehashed — so twenty members logging in at once leave every cache warm.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, insert, inspect, text
from sqlalchemy.orm import Session, SessionTransaction

from smartdash import models

UNSHOWN_TABLES = frozenset({"audit_event", models.DataChange.__tablename__})
LOGIN_COLUMNS = frozenset({"failed_attempts", "locked_until", "password_hash"})  # of app_user
_CHANGED = "smartdash_changed_tables"  # key in Session.info: the tables this transaction changed so far


def changed_tables(session: Session) -> set[str]:
    """The tables the session's transaction has changed so far, those that no page shows left out."""
    return set(session.info.get(_CHANGED, ())) - UNSHOWN_TABLES


def note(session: Session, table: str) -> None:
    """Count a change the session does not see itself: rows written on its connection (a bulk insert, a COPY)."""
    session.info.setdefault(_CHANGED, set()).add(table)


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.deleted):
        note(session, obj.__table__.name)
    for obj in session.dirty:
        columns = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
        if obj.__table__.name == models.User.__tablename__:
            columns -= LOGIN_COLUMNS
        if columns:
            note(session, obj.__table__.name)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = state.statement.table.name
    if state.is_update and table == models.User.__tablename__:
        columns = {getattr(column, "key", column) for column in state.statement._values or {}}
        if columns and columns <= LOGIN_COLUMNS:  # a login's guess counted, a lockout: nothing a page shows
            return
    note(state.session, table)


@event.listens_for(Session, "before_commit")
def _record(session: Session) -> None:
    """Add the transaction's row to data_change, last thing before the commit."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction records
    session.flush()  # what is still pending counts too
    tables = changed_tables(session)
    if not tables:
        return
    if session.connection().dialect.name == "postgresql":
        # Writers add their rows one at a time, each until its commit: ids are then in commit order, and the newest
        # id a reader sees changes with every commit it can see. A lock on this table only, taken last, so it
        # waits for nothing but another writer's commit; reads are not blocked.
        session.execute(text("LOCK TABLE data_change IN SHARE ROW EXCLUSIVE MODE"))
    session.execute(insert(models.DataChange).values(at=dt.datetime.now(dt.UTC), tables=",".join(sorted(tables))[:255]))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
