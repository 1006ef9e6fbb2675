"""Two processes at once on one store: loads of one receivables snapshot run one after the other, each against what the
other committed; undo stays exact; a load that waits too long is refused with a message; a load killed with kill -9
leaves nothing. Real `python -m smartdash` processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from smartdash import models as m
from smartdash.config import DEMO_DIR
from smartdash.db import StoreBusy, session_scope
from smartdash.demo import demo_file_name
from smartdash.formatting import number
from smartdash.importing import import_files

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 12, 31)
OFFICES = ["ANVERS", "GAND", "BRUXELLES", "CHARLEROI", "LIEGE", "MONS", "NAMUR"]


def receivables(rows: int, *, prefix: str, seed: int) -> bytes:
    """A whole receivables snapshot of SMARTCOOP at AS_OF: `rows` open invoices."""
    rng = random.Random(seed)
    lines = ["date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du"]
    for i in range(rows):
        due = AS_OF - dt.timedelta(days=rng.randint(-60, 400))
        invoiced = min(due - dt.timedelta(days=30), AS_OF)  # never after the snapshot
        lines.append(
            f"{AS_OF:%d/%m/%Y};SMARTCOOP;{rng.choice(OFFICES)};Client {rng.randint(1, 30000)};{prefix}{i:07d};"
            f"{invoiced:%d/%m/%Y};{due:%d/%m/%Y};{rng.randint(100, 5_000_000) // 100},"
            f"{rng.randint(0, 99):02d}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def snapshot_store(store, tmp_path):
    """A store with the demo's reference data and a first snapshot of 50 items at AS_OF; the files of a big (100 000
    items) and a small (1 000 items) later snapshot of the same entity and date."""
    files = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(store.engine, [*files, ("creances-initiales.csv", receivables(50, prefix="I", seed=1))], loaded_by="test")
    (tmp_path / "grosse.csv").write_bytes(receivables(40_000, prefix="G", seed=2))
    (tmp_path / "petite.csv").write_bytes(receivables(1_000, prefix="P", seed=3))
    return store


# `python -m smartdash ARGS`, its modules imported before it waits for a line on standard input: started ahead, it runs
# the command the moment it is told to, without the second it takes to import pandas and SQLAlchemy
READY = (
    "import sys, runpy, smartdash.cli, smartdash.importing; sys.stdin.readline(); sys.argv[0] = 'smartdash'; "
    "runpy.run_module('smartdash', run_name='__main__')"
)


def cli(store, *args: str, config: Path | None = None, ready: bool = False) -> subprocess.Popen:
    """`python -m smartdash ARGS` on the store; with `ready`, started but waiting for `go()`."""
    env = dict(os.environ, SMARTDASH_DATABASE_URL=store.url)
    if config is not None:
        env["SMARTDASH_CONFIG"] = str(config)
    command = [sys.executable, "-c", READY, *args] if ready else [sys.executable, "-m", "smartdash", *args]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        text=True,
        stdin=subprocess.PIPE if ready else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def go(process: subprocess.Popen) -> None:
    process.stdin.write("\n")
    process.stdin.flush()  # communicate() closes it


def writing(store) -> bool:
    """True while another process holds a write transaction on the store (on PostgreSQL: one that wrote rows)."""
    if store.backend == "sqlite":
        probe = sqlite3.connect(store.url[len("sqlite:///") :], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with store.engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                )
            ).scalar()
        )


def start_while_writing(store, first: list[str], second: list[str]) -> tuple[subprocess.Popen, subprocess.Popen]:
    """Start `first`, wait until it writes to the store, then let `second` run: the two overlap for sure."""
    a, b = cli(store, *first), cli(store, *second, ready=True)
    while not writing(store):
        assert a.poll() is None, f"the first process ended before it was seen writing: {a.communicate()}"
        time.sleep(0.01)
    go(b)
    return a, b


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def items(engine) -> list[tuple]:
    """The snapshot's items and its ageing, as stored (ageing rows without their renewed ids)."""
    with session_scope(engine) as s:
        stored = s.execute(
            select(m.ReceivableItem.__table__).where(m.ReceivableItem.as_of == AS_OF).order_by(m.ReceivableItem.id)
        ).all()
        a = m.ReceivableAgeing
        ageing = s.execute(
            select(a.office_id, a.bucket, a.items, a.amount).where(a.as_of == AS_OF).order_by(a.office_id, a.bucket)
        ).all()
    return [tuple(r) for r in stored] + [tuple(r) for r in ageing]


def loads(engine) -> list[tuple]:
    with session_scope(engine) as s:
        d = m.DataLoad
        return [
            tuple(r)
            for r in s.execute(
                select(d.id, d.file_name, d.rows_inserted, d.rows_deleted, d.status).where(d.kind == "receivables").order_by(d.id)
            )
        ]


def count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(m.ReceivableItem).where(m.ReceivableItem.as_of == AS_OF))


SIZES = {"grosse.csv": 40_000, "petite.csv": 1_000}


def test_two_loads_of_one_snapshot_at_once_apply_one_after_the_other_and_undo_exactly(snapshot_store, tmp_path):
    store = snapshot_store
    initial = items(store.engine)
    big, small = start_while_writing(
        store,
        ["import", "--allow-large-removal", str(tmp_path / "grosse.csv")],
        ["import", "--allow-large-removal", str(tmp_path / "petite.csv")],
    )
    for process in (big, small):
        code, out, err = finish(process)
        assert code == 0 and "chargé (n°" in out and err == "", (out, err)
    (first_id, first, _, first_removed, _), (last_id, last, _, last_removed, _) = loads(store.engine)[1:]
    assert first == "grosse.csv"
    # the second load read what the first committed: it removed the first's items, not the 50 initial ones again
    assert first_removed == 50 and last_removed == SIZES[first]
    assert count(store.engine) == SIZES[last] == 1_000
    for load_id, expected in ((last_id, SIZES[first]), (first_id, 50)):
        code, out, err = finish(cli(store, "undo", str(load_id)))
        assert code == 0 and err == "", (out, err)
        assert count(store.engine) == expected
    assert items(store.engine) == initial
    assert [status for *_, status in loads(store.engine)] == ["applied", "undone", "undone"]


def test_the_same_file_loaded_twice_at_once_loads_once_and_says_so(snapshot_store, tmp_path):
    store = snapshot_store
    twice = ["import", "--allow-large-removal", str(tmp_path / "grosse.csv")]
    a, b = start_while_writing(store, twice, twice)
    outcomes = [finish(a), finish(b)]
    for code, out, err in outcomes:
        assert code == 0 and err == "" and "Traceback" not in out, (out, err)
    said = sorted(out for _code, out, _err in outcomes)
    assert "chargé (n°" in said[0] and f"{number(40_000)} nouvelles lignes" in said[0]
    assert f"déjà à jour, rien n'a changé ({number(40_000)} lignes identiques)" in said[1]
    assert count(store.engine) == 40_000 and len(loads(store.engine)) == 2


LOCK_HOLDER = """
import sys
from smartdash.db import make_engine, write_scope
engine = make_engine(sys.argv[1])
with write_scope(engine, load_lock=True):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes it
"""


def test_a_load_waiting_too_long_for_another_is_refused_with_one_line_and_changes_nothing(snapshot_store, tmp_path):
    store = snapshot_store
    before = items(store.engine)
    config = tmp_path / "config.toml"
    config.write_text("[database]\nlock_wait_seconds = 1\n", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, store.url],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        code, out, err = finish(cli(store, "import", "--allow-large-removal", str(tmp_path / "petite.csv"), config=config))
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert code == 3 and out == ""
    assert err.splitlines() == ["Erreur : " + StoreBusy().message("fr")]
    assert items(store.engine) == before and len(loads(store.engine)) == 1


def test_a_load_killed_with_kill_9_leaves_nothing_and_the_next_load_runs(snapshot_store, tmp_path):
    store = snapshot_store
    before = items(store.engine)
    load = cli(store, "import", "--allow-large-removal", str(tmp_path / "grosse.csv"))
    while not writing(store):
        assert load.poll() is None, load.communicate()
        time.sleep(0.01)
    load.send_signal(signal.SIGKILL)
    load.wait(timeout=60)
    if store.backend == "postgresql":  # the server rolls back once it sees the client gone
        deadline = time.monotonic() + 60
        while writing(store) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert items(store.engine) == before and len(loads(store.engine)) == 1
    code, out, err = finish(cli(store, "import", "--allow-large-removal", str(tmp_path / "petite.csv")))
    assert code == 0 and f"{number(1_000)} nouvelles lignes" in out and "50 retirées" in out, (out, err)
