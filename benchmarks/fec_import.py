"""Ledger export (FEC) import: a 1 000 000-line FEC, generated to the specification (LPF art. A47 A-1), loaded by
`python -m smartdash import FILE --entity SMARTFR` in its own process, into a fresh store holding the demo's
reference data. Prints the wall time and the process's peak memory (RSS); asserts nothing.

Target: 1 000 000 lines in ≤ 20 s, peak RSS ≤ 500 MiB.

    python benchmarks/fec_import.py [--lines 1000000] [--repeat 1] [--postgres URL] [--keep FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from smartdash import schema  # noqa: E402
from smartdash.config import DEMO_DIR  # noqa: E402
from smartdash.db import make_engine  # noqa: E402
from smartdash.demo import demo_file_name  # noqa: E402
from smartdash.importing import import_files  # noqa: E402
from tests.fec_factory import large_fec_lines  # noqa: E402

NAME = "123456782FEC20251231.txt"  # a made-up SIREN; the entity is given by --entity


def write_fec(path: Path, lines: int) -> None:
    """The file, written line by line (never whole in memory)."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for line in large_fec_lines(lines):
            out.write(line + "\n")


def fresh_store(url: str | None) -> str:
    """A new, migrated store with the demo's reference data; its URL."""
    if url is None:
        store = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    else:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # DDL names an object, it takes no bound parameter: a generated name, quoted by the dialect
            conn.execute(text("CREATE DATABASE " + conn.dialect.identifier_preparer.quote(name)))
        admin.dispose()
        store = url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(store)
    schema.upgrade(engine)
    import_files(
        engine,
        [
            (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
            for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
        ],
        loaded_by="bench",
    )
    engine.dispose()
    return store


def drop_store(server: str | None, store: str) -> None:
    """The PostgreSQL database a run created is dropped (a SQLite store is a file in a temporary folder)."""
    if server is None:
        return
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = store.rsplit("/", 1)[1]
        conn.execute(text("DROP DATABASE IF EXISTS " + conn.dialect.identifier_preparer.quote(name) + " WITH (FORCE)"))
    admin.dispose()


def run(store: str, path: Path, *extra: str) -> tuple[float, float, str]:
    """`python -m smartdash import` in its own process: wall seconds, peak RSS in MiB, what it printed."""
    env = dict(os.environ, SMARTDASH_DATABASE_URL=store)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "smartdash", "import", str(path), "--entity", "SMARTFR", "--user", "bench", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the import failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output.strip()  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs, each into a fresh store")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to create the stores on")
    parser.add_argument("--keep", metavar="FILE", help="write the FEC here and keep it")
    parser.add_argument("--quick", action="store_true", help="20 000 lines: a smoke test of the benchmark")
    args = parser.parse_args()
    if args.quick:
        args.lines = 20_000

    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / NAME
    start = time.perf_counter()
    write_fec(path, args.lines)
    print(
        f"{path.name}: {args.lines} lines, {path.stat().st_size / 2**20:.1f} MiB, generated in "
        f"{time.perf_counter() - start:.1f} s"
    )
    label = "PostgreSQL" if args.postgres else "SQLite"
    for i in range(args.repeat):
        store = fresh_store(args.postgres)
        try:
            dry, dry_rss, _ = run(store, path, "--dry-run")
            seconds, rss, output = run(store, path)
        finally:
            drop_store(args.postgres, store)
        print(
            f"run {i + 1} ({label}): import {seconds:.1f} s, peak RSS {rss:.0f} MiB "
            f"(preview --dry-run: {dry:.1f} s, {dry_rss:.0f} MiB) — target ≤ 20 s, ≤ 500 MiB"
        )
        print("  " + output.splitlines()[-1][:300])
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
