"""Import throughput: a 200 000-row receivables file (French-locale CSV) through the full loader, against a bare
executemany of the same rows. Prints its figures; asserts nothing.

    python benchmarks/import_throughput.py [--rows 200000] [--repeat 3] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from smartdash import formats, models, schema  # noqa: E402
from smartdash.config import DEMO_DIR  # noqa: E402
from smartdash.db import make_engine  # noqa: E402
from smartdash.demo import demo_file_name  # noqa: E402
from smartdash.importing import collector_paused, import_files  # noqa: E402


def receivables_file(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    offices = ["ANVERS", "GAND", "BRUXELLES", "CHARLEROI", "LIEGE", "LLN", "MONS", "NAMUR", "TOURNAI"]
    as_of = dt.date(2026, 11, 22)
    lines = ["date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du"]
    for i in range(rows):
        # issued on or before the snapshot (the loader refuses an invoice dated after it), due 30 days later
        invoice = as_of - dt.timedelta(days=rng.randint(0, 430))
        due = invoice + dt.timedelta(days=30)
        amount = f"{rng.randint(100, 5_000_000) / 100:,.2f}".replace(",", "\u00a0").replace(".", ",")
        lines.append(
            f"{as_of:%d/%m/%Y};SMARTCOOP;{rng.choice(offices)};Client {rng.randint(1, 30000)};"
            f"F{i:07d};{invoice:%d/%m/%Y};{due:%d/%m/%Y};{amount} €"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def fresh_engine(url: str | None):
    if url is None:
        path = Path(tempfile.mkdtemp()) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
    else:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # DDL names an object, it takes no bound parameter: a generated name, quoted by the dialect
            conn.execute(text("CREATE DATABASE " + conn.dialect.identifier_preparer.quote(name)))
        engine = make_engine(url.rsplit("/", 1)[0] + "/" + name)
    schema.upgrade(engine)
    reference = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(engine, reference, loaded_by="bench")
    return engine


def measure(url: str | None, rows: int, repeat: int) -> None:
    """Each run on a fresh store: the import of a new weekly snapshot, the common case. The machine's speed varies
    from run to run by up to a fifth: the median and the slowest run are printed with every run."""
    label = "PostgreSQL" if url else "SQLite"
    data = receivables_file(rows)
    parse_runs, import_runs = [], []
    for _ in range(repeat):
        engine = fresh_engine(url)
        start = time.perf_counter()
        with collector_paused():  # as the import parses
            formats.parse_file("creances.csv", data)
        parse_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        [result] = import_files(engine, [("creances.csv", data)], loaded_by="bench", max_rows=rows + 1, max_file_mb=500)
        import_runs.append(time.perf_counter() - start)
        assert result.inserted == rows
        engine.dispose()
        gc.collect()  # the next run starts from a clean heap, as a load in a long-running server would
    bare_engine = fresh_engine(url)
    parsed = formats.parse_file("creances.csv", data)
    records = [
        {
            "as_of": r["date_situation"],
            "entity_id": 4,
            "office_id": None,
            "client": r["client"],
            "invoice_no": r["facture"],
            "invoice_date": r["date_facture"],
            "due_date": r["date_echeance"],
            "amount_open": Decimal(r["montant_du"]),
            "is_synthetic": False,
        }
        for r in parsed.rows
    ]
    start = time.perf_counter()
    with bare_engine.begin() as conn:
        conn.execute(insert(models.ReceivableItem), records)
    bare_s = time.perf_counter() - start
    parse_s, full_s = statistics.median(parse_runs), statistics.median(import_runs)
    print(f"{label}: {rows} rows, {len(data) / 1e6:.1f} MB, {repeat} runs")
    print(f"  parse only            {parse_s:6.2f} s  {rows / parse_s:9.0f} rows/s  (median)")
    print(f"  full import           {full_s:6.2f} s  {rows / full_s:9.0f} rows/s  (median; parse, validate, upsert, ageing)")
    print("  full import, each run " + " ".join(f"{rows / s:.0f}" for s in import_runs) + " rows/s")
    print(f"  bare executemany      {bare_s:6.2f} s  {rows / bare_s:9.0f} rows/s  (SQLAlchemy insert, one run)")
    print(f"  import / bare         {full_s / bare_s:6.2f} x")
    print(f"  import rows/s: median {rows / full_s:.0f}, slowest run {rows / max(import_runs):.0f}")
    target = "target ≥ 50 000 rows/s" if url is None else "no target on PostgreSQL"
    print(f"  import / bare: {full_s / bare_s:.2f} x, {rows / full_s:.0f} rows/s ({target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", help="server URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--only-sqlite", action="store_true", help="skip PostgreSQL even with --postgres")
    parser.add_argument("--only-postgres", action="store_true", help="skip SQLite")
    parser.add_argument("--repeat", type=int, default=3, help="runs, each on a fresh store (default 3)")
    parser.add_argument("--quick", action="store_true", help="20 000 rows, one run: a smoke test of the benchmark")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat = 20_000, 1
    if not args.only_postgres:
        measure(None, args.rows, args.repeat)
    if args.postgres and not args.only_sqlite:
        measure(args.postgres, args.rows, args.repeat)


if __name__ == "__main__":
    main()
