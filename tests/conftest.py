"""Test fixtures: every store test runs on SQLite and, when selected, on PostgreSQL.

The PostgreSQL run is selected by SMARTDASH_TEST_POSTGRES_URL (a server URL, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test). The suite creates a fresh database on that
server for the run and a fresh schema per test, and drops them afterwards. In CI (CI=true) the
variable is required: a PostgreSQL run that cannot happen fails, it is never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from smartdash import schema
from smartdash.db import make_engine

PG_ENV = "SMARTDASH_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parent.parent


def _pg_server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not _pg_server_url():
        raise pytest.UsageError(f"CI run without {PG_ENV}: the PostgreSQL run is mandatory in CI.")


def pytest_report_header(config: pytest.Config) -> str:
    url = _pg_server_url()
    if url:
        return f"smartdash stores: SQLite and PostgreSQL ({make_url(url).render_as_string(hide_password=True)})"
    return f"smartdash stores: SQLite only — PostgreSQL run NOT selected (set {PG_ENV} to select it)"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _pg_server_url():
        terminalreporter.write_line(
            f"NOTE: the PostgreSQL run was not selected; only SQLite was tested. Set {PG_ENV} "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the suite on PostgreSQL too.",
            yellow=True,
        )


BACKENDS = ["sqlite"] + (["postgresql"] if _pg_server_url() else [])


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database on the PostgreSQL server for this run; its URL."""
    server = make_url(_pg_server_url())
    name = f"smartdash_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE " + conn.dialect.identifier_preparer.quote(name)))
    except Exception as exc:  # the run was selected: failing to reach the server is a failure
        pytest.fail(f"PostgreSQL run selected but the server at {server.render_as_string()} is unreachable: {exc}")
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS " + conn.dialect.identifier_preparer.quote(name) + " WITH (FORCE)"))
    admin.dispose()


@dataclass
class Store:
    """An empty, migrated store: its URL (for the app and the CLI) and an engine on it."""

    backend: str
    url: str
    engine: Engine


def _new_store(backend: str, request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Store]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'smartdash.db'}"
        engine = make_engine(url)
        schema.upgrade(engine)
        yield Store(backend, url, engine)
        engine.dispose()
        return
    database = request.getfixturevalue("pg_database")
    name = f"t_{uuid.uuid4().hex[:10]}"
    base = make_engine(database)
    with base.begin() as conn:
        conn.execute(text("CREATE SCHEMA " + conn.dialect.identifier_preparer.quote(name)))
    url = make_url(database).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)
    engine = make_engine(url)
    schema.upgrade(engine)
    yield Store(backend, url, engine)
    engine.dispose()
    with base.begin() as conn:
        conn.execute(text("DROP SCHEMA " + conn.dialect.identifier_preparer.quote(name) + " CASCADE"))
    base.dispose()


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path_factory) -> Iterator[Store]:
    """A fresh, empty, migrated store per test, on each backend."""
    yield from _new_store(request.param, request, tmp_path_factory)


@pytest.fixture(scope="session", params=BACKENDS)
def demo_store(request, tmp_path_factory) -> Iterator[Store]:
    """One store per backend with the demo data set loaded; tests must not write to it."""
    from smartdash.demo import load_demo

    for s in _new_store(request.param, request, tmp_path_factory):
        load_demo(s.engine)
        yield s


PASSWORD = "un mot de passe de test"
ROLES = ("viewer", "editor", "admin")


def ensure_users(url: str) -> None:
    """One account per role (login = role name) in the store at `url`."""
    from smartdash import auth
    from smartdash.db import engine_for

    engine = engine_for(url)
    for role in ROLES:
        try:
            auth.add_user(engine, role, role, PASSWORD, by="test")
        except auth.AccountError:
            pass  # already there


def login(at, role: str = "admin"):
    """Open the AppTest session as the account of `role` (created by app_env)."""
    import datetime as dt

    at.session_state["auth_login"] = role
    at.session_state["auth_last_seen"] = dt.datetime.now(dt.UTC)
    return at


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at a store (SMARTDASH_DATABASE_URL for the duration of a test) holding one account per
    role; `login(at, role)` then opens a session as one of them."""

    def point(url: str) -> None:
        monkeypatch.setenv("SMARTDASH_DATABASE_URL", url)
        from smartdash.db import engine_for
        from smartdash.store import ensure_schema

        ensure_schema(engine_for(url))
        ensure_users(url)

    return point


def key_figures_under_plan(engine: Engine) -> int:
    """How many key figures the overview shows and a closed meeting freezes: each active key indicator of the
    catalogue for each entity under the plan (derived from the store, so a new key indicator changes it)."""
    from sqlalchemy import func, select

    from smartdash import models as m
    from smartdash.db import session_scope

    with session_scope(engine) as s:
        keys = s.scalar(select(func.count()).select_from(m.Indicator).where(m.Indicator.is_key, m.Indicator.active))
        planned = s.scalar(select(func.count()).select_from(m.Entity).where(m.Entity.under_plan))
    return keys * planned


def shown_tables(at) -> list:
    """Every table an AppTest page shows, in the page's order within each kind: the grids (st.dataframe), then the
    static tables (st.table, for a few rows read at a glance) with their cells as the reader reads them (the inert
    path's markdown escapes removed)."""
    from smartdash.inert import unescape

    def read(frame):
        frame = frame.map(lambda v: unescape(v) if isinstance(v, str) else v)
        frame.columns = [unescape(c) if isinstance(c, str) else c for c in frame.columns]
        return frame

    return [df.value for df in at.dataframe] + [read(t.value) for t in at.table]
