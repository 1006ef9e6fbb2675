"""The only module that creates database engines and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from smartdash import change_log  # noqa: F401 - every session keeps the store's data version
from smartdash.config import load_settings


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str, **kwargs) -> Engine:
    """A new engine for `url`; SQLite files get their folder, foreign keys and WAL."""
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One shared engine per URL for the whole process."""
    return make_engine(url)


def default_engine() -> Engine:
    """The engine of the configured store (config.toml / SMARTDASH_DATABASE_URL)."""
    return engine_for(load_settings().database_url)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def has_schema(engine: Engine) -> bool:
    """True when the store has been initialised (the alembic version table exists)."""
    return inspect(engine).has_table("alembic_version")
