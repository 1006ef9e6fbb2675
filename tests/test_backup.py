"""`python -m smartdash backup` and `restore`: a consistent copy while a load runs in another process, a restore that
brings back exactly the state before or after that load, and the checks a restore makes before replacing anything."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from smartdash import models as m
from smartdash.backup import backup
from smartdash.config import DEMO_DIR
from smartdash.db import make_engine, session_scope
from smartdash.demo import demo_file_name
from smartdash.importing import import_files
from smartdash.store import ensure_schema
from tests.test_concurrency import receivables, writing

ROOT = Path(__file__).resolve().parent.parent


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url)
    return subprocess.run(
        [sys.executable, "-m", "smartdash", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def state(engine) -> dict[str, list]:
    """Every row of every table: two states are equal only if the stores are."""
    with session_scope(engine) as s:
        return {t.name: sorted(map(repr, s.execute(select(t)).all())) for t in m.Base.metadata.sorted_tables}


class Sqlite:
    """A SQLite store on a file of its own (the `store` fixture's shape: backend, url, engine)."""

    backend = "sqlite"

    def __init__(self, path: Path):
        self.path, self.url = path, f"sqlite:///{path}"
        self.engine = make_engine(self.url)
        ensure_schema(self.engine)


@pytest.fixture
def sqlite_store(tmp_path):
    store = Sqlite(tmp_path / "store" / "smartdash.db")
    files = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(store.engine, [*files, ("creances.csv", receivables(50, prefix="I", seed=1))], loaded_by="test")
    yield store
    store.engine.dispose()


def test_a_backup_during_a_load_restores_the_state_before_or_after_it_never_a_mix(sqlite_store, tmp_path):
    store = sqlite_store
    (tmp_path / "grosse.csv").write_bytes(receivables(40_000, prefix="G", seed=2))
    before = state(store.engine)
    env = dict(os.environ, SMARTDASH_DATABASE_URL=store.url)
    load = subprocess.Popen(
        [sys.executable, "-m", "smartdash", "import", "--allow-large-removal", str(tmp_path / "grosse.csv")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not writing(store):
        assert load.poll() is None, load.communicate()
        time.sleep(0.01)
    saved = backup(make_engine(store.url), tmp_path / "sauvegarde.db")  # what `backup --out` runs
    assert load.poll() is None  # the backup was taken while the load was running
    out, err = load.communicate(timeout=600)
    assert saved.loads == 6
    assert load.returncode == 0 and "chargé" in out, err
    after = state(store.engine)
    assert after != before

    refused = cli(store.url, "restore", str(tmp_path / "sauvegarde.db"))  # without --yes: nothing happens
    assert refused.returncode == 1 and "--yes" in refused.stderr and state(store.engine) == after
    restored = cli(store.url, "restore", str(tmp_path / "sauvegarde.db"), "--yes")
    assert restored.returncode == 0, restored.stderr
    now = state(store.engine)  # the running process's engine reads the restored store
    assert now in (before, after)
    assert now == before  # the load had not committed when the backup was taken
    [aside] = store.path.parent.glob("smartdash.avant-restauration-*.db")
    kept = make_engine(f"sqlite:///{aside}")
    assert state(kept) == after  # the replaced store is kept aside, whole
    kept.dispose()
    import_files(
        store.engine, [("creances.csv", receivables(10, prefix="N", seed=4))], loaded_by="test", allow_large_removal=True
    )


def damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 200] = b"\xff" * 200  # a page of a table, overwritten
    path.write_bytes(bytes(data))


def newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")


def not_smartdash(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")


def not_sqlite(path: Path) -> None:
    path.write_bytes(b"date_situation;entite\n31/12/2025;SMARTCOOP\n")


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (not_sqlite, "n'est pas une base SQLite"),
        (not_smartdash, "n'est pas une base smartdash"),
        (damaged, "endommagée"),
        (newer, "version plus récente de smartdash"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_sound_smartdash_store_and_changes_nothing(sqlite_store, tmp_path, spoil, said):
    store = sqlite_store
    saved = cli(store.url, "backup", "--out", str(tmp_path / "sauvegarde.db"))
    assert saved.returncode == 0
    spoil(tmp_path / "sauvegarde.db")
    before = state(store.engine)
    refused = cli(store.url, "restore", str(tmp_path / "sauvegarde.db"), "--yes")
    assert refused.returncode == 3 and said in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert "Traceback" not in refused.stderr
    assert state(store.engine) == before
    assert not list(store.path.parent.glob("*avant-restauration*"))


def test_a_vanished_store_is_brought_back_by_a_restore(sqlite_store, tmp_path):
    store = sqlite_store
    assert cli(store.url, "backup", "--out", str(tmp_path / "sauvegarde.db")).returncode == 0
    before = state(store.engine)
    store.engine.dispose()
    store.path.unlink()
    assert cli(store.url, "loads").returncode == 3  # the marker: no empty store is made in its place
    restored = cli(store.url, "restore", str(tmp_path / "sauvegarde.db"), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert state(make_engine(store.url)) == before


def test_backup_on_each_backend(store, tmp_path):
    """SQLite: a file; PostgreSQL: the pg_dump and pg_restore lines, never the password."""
    saved = cli(store.url, "backup", "--out", str(tmp_path / "sauvegarde.db"))
    if store.backend == "sqlite":
        assert saved.returncode == 0 and (tmp_path / "sauvegarde.db").exists()
        assert cli(store.url, "backup", "--out", store.url[len("sqlite:///") :]).returncode == 3  # not over itself
    else:
        assert saved.returncode == 3 and not (tmp_path / "sauvegarde.db").exists()
        assert "pg_dump --format=custom" in saved.stderr and "pg_restore" in saved.stderr
        password = store.engine.url.password
        assert not password or password not in saved.stderr
