"""The only module that creates database engines and sessions, and the one that guards the store.

Three kinds of transaction:

- `session_scope`: reads (and the few writes of the committee pages) that see ONE snapshot of the store: REPEATABLE
  READ on PostgreSQL, one read transaction on SQLite (WAL: readers never wait for a writer).
- `read_scope`: the same snapshot, read only.
- `write_scope`: a write transaction that holds the store's write lock from its first statement (SQLite `BEGIN
  IMMEDIATE`), and with `load_lock` the store's load lock (PostgreSQL `pg_advisory_xact_lock`): loads and undos run one
  at a time per store, each reading what the previous one committed. A second writer waits `lock_wait` seconds at
  most, then is refused (`StoreBusy`). `write_soon` is for writes nobody should wait for (a login's audit line): done
  at once when the write lock is free, else by a thread of its own once it is.

`engine_for` keeps one engine per URL for the process, a few URLs at most (the engine it forgets is disposed);
nothing else holds an engine, so one a caller drops goes with its pool and connections.

A SQLite store is a file: it is opened read-only when the file or its folder is not writable (writes are then refused
with `StoreReadOnly`, reads work); a missing file is never created again where a store existed (the `.id` marker beside
it); a file deleted or replaced under a running process is detected before any read or write (`StoreMissing`,
`StoreReplaced`), and a write whose file vanished before its commit is reported as not stored.

Every failure a user can meet is a `StoreError` whose `message(lang)` says what happened without SQL, values, names
or paths; `store_error(exc)` turns a database exception into one (the details go to the server log).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, exc, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from smartdash import change_log  # noqa: F401 - every session keeps the store's data version
from smartdash.config import load_settings
from smartdash.i18n import N_, gettext

LOCK_WAIT_SECONDS = 30.0
FULL_DISK_BYTES = 1 << 20  # less free than this beside a SQLite store, and an I/O error there is a full disk
log = logging.getLogger(__name__)
# the load lock's first key; the second is the store's schema, so stores sharing a PostgreSQL database do not
# wait for each other
_LOAD_LOCK_CLASS = 0x534D4C44


# --------------------------------------------------------------------------- errors a user can meet


class StoreError(Exception):
    """A store problem told in the reader's language, without SQL, values, names or paths."""

    said = N_("The data store returned an error: nothing was written. The details are in the server log.")

    def message(self, lang: str = "fr") -> str:
        return gettext(lang, self.said)

    def __str__(self) -> str:
        return self.message("fr")


class StoreUnavailable(StoreError):
    said = N_("The data store is unavailable at the moment. Try again shortly; if it lasts, tell the administrator.")


class StoreBusy(StoreError):
    said = N_("The data store has been busy with another load for too long: nothing was written. Try again shortly.")


class StoreFull(StoreError):
    said = N_("No space left to write in the data store (disk full): nothing was written. Tell the administrator.")


class StoreReadOnly(StoreError):
    said = N_("The data store is read-only: you can read it, but nothing can be written to it.")


class StoreMissing(StoreError):
    said = N_(
        "The data store's file has disappeared: nothing was written. The administrator must restore a backup "
        "(python -m smartdash restore) or create a new store (python -m smartdash init-db --new)."
    )


class StoreReplaced(StoreError):
    said = N_(
        "The data store's file was replaced while the server was running: nothing was written. Restart the "
        "server to open the new store."
    )


class StoreTooNew(StoreError):
    said = N_("The data store was written by a newer version of smartdash: update smartdash before opening it.")


class StoreNeedsUpgrade(StoreReadOnly):
    said = N_(
        "The data store is read-only and its schema needs an upgrade: the administrator must make it writable"
        " and run python -m smartdash init-db."
    )


class StoreConflict(StoreError):
    said = N_(
        "The same data was changed elsewhere at the same time: nothing was written. Try again (the preview "
        "will show the current state)."
    )


_SQLITE_ERRORS = {
    "SQLITE_BUSY": StoreBusy,
    "SQLITE_LOCKED": StoreBusy,
    "SQLITE_FULL": StoreFull,
    "SQLITE_READONLY": StoreReadOnly,
    "SQLITE_CANTOPEN": StoreUnavailable,
    "SQLITE_CONSTRAINT": StoreConflict,
}
_PG_CLASSES = {
    "08": StoreUnavailable,
    "57": StoreUnavailable,
    "53": StoreFull,
    "40": StoreConflict,
    "23": StoreConflict,
    "55": StoreBusy,
}


def store_error(error: BaseException) -> StoreError | None:
    """The StoreError a user should read for `error` (a database exception, or one already told), else None."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, StaleDataError):
        return StoreConflict()
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return StoreBusy()
    if isinstance(error, sqlite3.Error):  # straight from the driver (backups)
        orig = error
    elif isinstance(error, exc.DBAPIError):
        orig = error.orig
    else:
        return None
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", "") or ""
        kind = next((k for prefix, k in _SQLITE_ERRORS.items() if name.startswith(prefix)), None)
        return kind() if kind else StoreError()
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is None:  # the driver never reached the server (refused, name unknown, timeout)
        return StoreUnavailable() if isinstance(error, exc.OperationalError) else StoreError()
    if sqlstate == "25006":  # read_only_sql_transaction
        return StoreReadOnly()
    if sqlstate == "53100":  # disk_full
        return StoreFull()
    return _PG_CLASSES.get(sqlstate[:2], StoreError)()


# --------------------------------------------------------------------------- SQLite files


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other stores and in-memory ones)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or ":memory:" in url:
        return None
    return Path(url[len(prefix) :].split("?", 1)[0])


def marker_path(path: Path) -> Path:
    """The file beside a SQLite store that records its store id: where it exists, a store existed."""
    return path.with_name(path.name + ".id")


def _writable(path: Path) -> bool:
    """Writable by this process and not marked read-only by its mode: a store an administrator set to 0444 is read-only
    even for a process running as root."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(stat.S_IMODE(mode) & 0o222)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class _SqliteStore:
    """What a SQLite engine opens: its file, how long a writer waits for another, whether it may write there."""

    path: Path
    lock_wait: float
    read_only: bool = False
    opened: tuple[int, int] | None = None  # the file this engine first opened: every connection must open the same

    def open_args(self, cargs: list, cparams: dict) -> None:
        """Connect to the file, never creating it where a store existed, read-only where it may not write."""
        path, folder = self.path, self.path.parent
        if not path.exists():
            if marker_path(path).exists():
                raise StoreMissing()
            folder.mkdir(parents=True, exist_ok=True)
            mode = "rwc"
        elif _writable(path) and _writable(folder):
            mode = "rw"
        else:  # no -wal/-shm can be made in a read-only folder: nobody writes there, the file cannot change
            mode = "ro" if _writable(folder) else "ro&immutable=1"
        self.read_only = mode.startswith("ro")
        cargs[:] = [f"file:{quote(str(path))}?mode={mode}"]
        cparams.update(uri=True, timeout=self.lock_wait)

    def check_file(self, identity: tuple[int, int] | None) -> None:
        """The file at the store's path is still the one this connection opened."""
        now = _identity(self.path)
        if now is None:
            raise StoreMissing()
        if now != identity:
            raise StoreReplaced()

    def check_new_connection(self, identity: tuple[int, int] | None) -> None:
        """A new connection opened the file the engine first opened: a file put in its place under a running process
        (another store, an empty one) is refused to new sessions as to the old ones, until the process restarts."""
        if self.opened is None:
            self.opened = identity
        elif identity != self.opened:
            raise StoreReplaced()

    def disk_full(self) -> bool:
        """No room left beside the store (SQLite says "disk I/O error" when it cannot make its shared-memory file)."""
        try:
            found = os.statvfs(self.path.parent)
        except OSError:
            return False
        return found.f_bavail * found.f_frsize < FULL_DISK_BYTES


_stores: weakref.WeakKeyDictionary[Engine, _SqliteStore] = weakref.WeakKeyDictionary()


def _sqlite_events(engine: Engine, store: _SqliteStore) -> None:
    @event.listens_for(engine, "do_connect")
    def connect_args(_dialect, _record, cargs, cparams):
        store.open_args(cargs, cparams)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        record.info["file"] = _identity(store.path)
        store.check_new_connection(record.info["file"])
        dbapi_connection.isolation_level = None  # smartdash emits BEGIN itself: reads in one snapshot, savepoints
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        if not store.read_only:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "handle_error")
    def on_error(context):
        error = context.original_exception
        name = getattr(error, "sqlite_errorname", "") or ""
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and store.disk_full():
            return StoreFull()
        return None

    @event.listens_for(engine, "checkout")
    def on_checkout(_dbapi_connection, record, _proxy):
        store.check_file(record.info.get("file"))

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        options = connection.get_execution_options()
        # read_scope's transactions cannot write; a pooled connection forgets it at its next transaction
        connection.exec_driver_sql("PRAGMA query_only = 1" if options.get("smartdash_read_only") else "PRAGMA query_only = 0")
        # how long this transaction waits for another writer (a number of ours, not data); set at every BEGIN, as a
        # pooled connection keeps what the previous transaction set
        wait_ms = int(options.get("smartdash_lock_wait", store.lock_wait) * 1000)
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
        if options.get("smartdash_write"):
            if store.read_only:
                raise StoreReadOnly()
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                store.check_file(connection.connection.info.get("file"))
            except StoreError:
                connection.connection.dbapi_connection.execute("ROLLBACK")
                raise
        else:
            connection.exec_driver_sql("BEGIN")


# --------------------------------------------------------------------------- engines


def make_engine(url: str, *, lock_wait: float = LOCK_WAIT_SECONDS, **kwargs) -> Engine:
    """A new engine for `url`. A SQLite file gets foreign keys, WAL, its own transaction control and the file guard;
    a writer waits `lock_wait` seconds at most for another one."""
    path = sqlite_path(url)
    if url.startswith("postgresql"):
        kwargs.setdefault("pool_pre_ping", True)  # a server restarted since: reconnect rather than fail once
        if "connect_timeout" not in url:  # an unreachable server is told within seconds, not minutes
            kwargs["connect_args"] = {"connect_timeout": 10, **kwargs.get("connect_args", {})}
    engine = create_engine(url, **kwargs)
    if path is not None:
        store = _SqliteStore(path, lock_wait)
        _stores[engine] = store
        _sqlite_events(engine, store)
    engine.smartdash_lock_wait = lock_wait
    return engine


ENGINES_KEPT = 4
_engines: dict[str, Engine] = {}  # by URL, the most recently asked for last
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One shared engine per URL for the whole process. Past `ENGINES_KEPT` URLs (tests, a server switched to another
    store), the engine asked for least recently is disposed: its pooled connections close (it stays usable, and
    opens new ones if still used)."""
    with _engines_lock:
        engine = _engines.pop(url, None) or make_engine(url, lock_wait=load_settings().lock_wait_seconds)
        _engines[url] = engine
        evicted = [_engines.pop(u) for u in list(_engines)[:-ENGINES_KEPT]]
    for old in evicted:
        old.dispose()
    return engine


def dispose_engines() -> None:
    """Close the pooled connections of every shared engine and forget them (a test's stores, a restored store)."""
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.dispose()


def default_engine() -> Engine:
    """The engine of the configured store (config.toml / SMARTDASH_DATABASE_URL)."""
    return engine_for(load_settings().database_url)


def _flavoured(engine: Engine, kind: str) -> Engine:
    """The engine with the execution options of a kind of transaction, made once and kept on the engine itself: a
    cache beside it would keep every engine a process ever opened alive, with its pool and its open connections."""
    flavours = engine.__dict__.setdefault("smartdash_flavours", {})
    if kind not in flavours:
        if engine.dialect.name == "postgresql":
            options = {
                "snapshot": {"isolation_level": "REPEATABLE READ"},
                "read": {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True},
                "write": {"isolation_level": "READ COMMITTED"},
            }[kind]
        else:
            options = {"smartdash_write": kind == "write", "smartdash_read_only": kind == "read"}
        flavours[kind] = engine.execution_options(**options)
    return flavours[kind]


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose reads see one snapshot of the store (REPEATABLE READ on PostgreSQL, one read transaction on
    SQLite), committed on success and rolled back on any error."""
    factory = sessionmaker(bind=_flavoured(engine, "snapshot"), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A read-only session on one snapshot of the store (a page's loader)."""
    factory = sessionmaker(bind=_flavoured(engine, "read"), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


@contextmanager
def write_scope(engine: Engine, *, load_lock: bool = False, lock_wait: float | None = None) -> Iterator[Session]:
    """A write transaction holding the store's write lock from its start (and with `load_lock`, the load lock), on the
    store this engine opened; the commit is checked to have reached the store's file. `lock_wait`: how long to wait
    for another writer's lock (default: the engine's), then StoreBusy."""
    bind = _flavoured(engine, "write")
    if lock_wait is not None:
        bind = bind.execution_options(smartdash_lock_wait=lock_wait)
    factory = sessionmaker(bind=bind, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            connection = session.connection()
            opened = connection.connection.info.get("file")
            if lock_wait is not None and engine.dialect.name == "postgresql":
                session.execute(text("SELECT set_config('lock_timeout', :ms, true)"), {"ms": f"{int(lock_wait * 1000)}ms"})
            if load_lock and engine.dialect.name == "postgresql":
                _take_load_lock(
                    session, getattr(engine, "smartdash_lock_wait", LOCK_WAIT_SECONDS) if lock_wait is None else lock_wait
                )
            _check_store_id(engine, session)
            yield session
        store = _stores.get(engine)
        if store is not None:
            store.check_file(opened)  # deleted between BEGIN and COMMIT: the write went nowhere


QUICK_WAIT_SECONDS = 0.2
_deferred: list[threading.Thread] = []


def write_soon(engine: Engine, write: Callable[[Session], None]) -> bool:
    """Run `write` in a write transaction now when the store's write lock comes free within `QUICK_WAIT_SECONDS`, else
    in a thread of its own that waits for it as any writer does; True when written now. For writes nobody should wait
    for: a SQLite store has one writer at a time, and a large load holds that lock for seconds, during which a member
    logging in would wait for the line the audit log keeps of it. A deferred write that fails is logged."""
    try:
        with write_scope(engine, lock_wait=QUICK_WAIT_SECONDS) as session:
            write(session)
        return True
    except (exc.DBAPIError, exc.TimeoutError) as error:
        if not isinstance(store_error(error), StoreBusy):
            raise

    def later() -> None:
        try:
            with write_scope(engine) as session:
                write(session)
        except Exception:
            log.exception("a deferred write could not be stored")

    thread = threading.Thread(target=later, name="smartdash-deferred-write")
    thread.start()
    _deferred[:] = [t for t in _deferred if t.is_alive()] + [thread]
    return False


def wait_for_deferred_writes(timeout: float | None = None) -> None:
    """Wait for the writes `write_soon` deferred (tests; a command before it exits)."""
    for thread in list(_deferred):
        thread.join(timeout)


def _take_load_lock(session: Session, wait: float) -> None:
    """PostgreSQL: the store's load lock, held until the transaction ends; waits `wait` seconds at most."""
    session.execute(text("SELECT set_config('lock_timeout', :ms, true)"), {"ms": f"{int(wait * 1000)}ms"})
    session.execute(text("SELECT pg_advisory_xact_lock(:kind, hashtext(current_schema()))"), {"kind": _LOAD_LOCK_CLASS})


def _check_store_id(engine: Engine, session: Session) -> None:
    """The store written to is the one this engine first opened (not another store put at the same place)."""
    from smartdash.models import StoreInfo

    if not engine.__dict__.get("smartdash_has_id"):  # a store not migrated yet has no id
        if not inspect(session.connection()).has_table(StoreInfo.__tablename__):
            return
        engine.smartdash_has_id = True
    found = session.scalar(select(StoreInfo.store_id))
    known = engine.__dict__.setdefault("smartdash_store_id", found)
    if found != known:
        raise StoreReplaced()


def remember_store(engine: Engine) -> None:
    """Write the marker beside a SQLite store: from now on its file is never silently created again."""
    from smartdash.models import StoreInfo

    store = _stores.get(engine)
    if store is None or store.read_only:
        return
    with session_scope(engine) as session:
        store_id = session.scalar(select(StoreInfo.store_id))
    marker = marker_path(store.path)
    if store_id and (not marker.exists() or marker.read_text(encoding="utf-8").strip() != store_id):
        marker.write_text(store_id + "\n", encoding="utf-8")


def forget_missing_store(url: str) -> bool:
    """Allow a new SQLite store where one vanished (its marker remains): True when there was one to forget."""
    path = sqlite_path(url)
    if path is None or path.exists() or not marker_path(path).exists():
        return False
    marker_path(path).unlink()
    return True


def store_read_only(engine: Engine) -> bool:
    """True when the engine's SQLite file was opened read-only (its file or folder is not writable)."""
    store = _stores.get(engine)
    return store is not None and store.read_only


def has_schema(engine: Engine) -> bool:
    """True when the store has been initialised (the alembic version table exists)."""
    return inspect(engine).has_table("alembic_version")
