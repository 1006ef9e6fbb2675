"""Import throughput: a 200 000-row receivables file (French-locale CSV) through the full loader, against a bare
executemany of the same rows; with --xlsx, the same rows as a workbook too. Then, side by side, the same file loaded
by the command line (`python -m smartdash import FILE`, validation included) and by pandas' unvalidated path
(`read_csv` + `to_sql`), each in a process of its own on a fresh store: the ratio against its 1,5 x target.
Prints its figures; asserts nothing.

    python benchmarks/import_throughput.py [--rows 200000] [--repeat 3] [--xlsx] [--postgres URL] [--repo PATH]

--repo runs the command line of another checkout (the figures before a change, e.g. the main worktree).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import subprocess
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

HEADER = ["date_situation", "entite", "bureau", "client", "facture", "date_facture", "date_echeance", "montant_du"]


def receivables_items(rows: int, seed: int = 7):
    """The items of a weekly snapshot: (as-of, entity, office, client, invoice, invoice date, due date, cents)."""
    rng = random.Random(seed)
    offices = ["ANVERS", "GAND", "BRUXELLES", "CHARLEROI", "LIEGE", "LLN", "MONS", "NAMUR", "TOURNAI"]
    as_of = dt.date(2026, 11, 22)
    for i in range(rows):
        # issued on or before the snapshot (the loader refuses an invoice dated after it), due 30 days later
        invoice = as_of - dt.timedelta(days=rng.randint(0, 430))
        due = invoice + dt.timedelta(days=30)
        cents = rng.randint(100, 5_000_000)  # drawn in the order the CSV of earlier figures drew them
        office, client = rng.choice(offices), rng.randint(1, 30000)
        yield as_of, "SMARTCOOP", office, f"Client {client}", f"F{i:07d}", invoice, due, cents


def receivables_file(rows: int, seed: int = 7) -> bytes:
    lines = [";".join(HEADER)]
    for as_of, entity, office, client, invoice_no, invoice, due, cents in receivables_items(rows, seed):
        amount = f"{cents / 100:,.2f}".replace(",", "\u00a0").replace(".", ",")
        lines.append(f"{as_of:%d/%m/%Y};{entity};{office};{client};{invoice_no};{invoice:%d/%m/%Y};{due:%d/%m/%Y};{amount} €")
    return ("\n".join(lines) + "\n").encode("utf-8")


def receivables_workbook(rows: int, seed: int = 7) -> bytes:
    """The same items as a workbook a spreadsheet program writes: dates and amounts as typed cells."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("creances")
    sheet.append(HEADER)
    for *cells, cents in receivables_items(rows, seed):
        sheet.append([*cells, Decimal(cents) / 100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def measure_workbook(url: str | None, rows: int, repeat: int) -> None:
    """The same snapshot as an .xlsx workbook (read by python-calamine after the archive checks), on fresh stores."""
    label = "PostgreSQL" if url else "SQLite"
    data = receivables_workbook(rows)
    parse_runs, import_runs = [], []
    for _ in range(repeat):
        engine = fresh_engine(url)
        start = time.perf_counter()
        with collector_paused():
            formats.parse_file("creances.xlsx", data)
        parse_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        [result] = import_files(engine, [("creances.xlsx", data)], loaded_by="bench", max_rows=rows + 1, max_file_mb=500)
        import_runs.append(time.perf_counter() - start)
        assert result.inserted == rows
        engine.dispose()
        gc.collect()
    parse_s, full_s = statistics.median(parse_runs), statistics.median(import_runs)
    print(f"{label}, XLSX: {rows} rows, {len(data) / 1e6:.1f} MB, {repeat} runs")
    print(f"  read and parse        {parse_s:6.2f} s  {rows / parse_s:9.0f} rows/s  (median)")
    print(f"  full import           {full_s:6.2f} s  {rows / full_s:9.0f} rows/s  (median; read, validate, upsert, ageing)")
    print(f"  xlsx import rows/s: median {rows / full_s:.0f}, slowest run {rows / max(import_runs):.0f}")


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


ROOT = Path(__file__).resolve().parent.parent
# pandas' path: the file as it is, read and written without a check (strings where the loader reads dates and cents)
PANDAS_PATH = """
import sys
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(sys.argv[2])
frame = pd.read_csv(sys.argv[1], sep=";", dtype=str, keep_default_na=False)
frame.to_sql("receivables_raw", engine, index=False, chunksize=50_000)
engine.dispose()
"""


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])}… failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def measure_cli_against_pandas(url: str | None, rows: int, repeat: int, repo: Path) -> None:
    """The file loaded by `python -m smartdash import` (parse, validate, one transaction, ageing) and by pandas'
    `read_csv` + `to_sql`, each run in a fresh process on a fresh store (the loader's with its reference data):
    interpreter start and imports are in both. Runs alternate, so a slower minute of the machine falls on both."""
    label = "PostgreSQL" if url else "SQLite"
    folder = Path(tempfile.mkdtemp())
    path = folder / "creances.csv"
    path.write_bytes(receivables_file(rows))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDASH_")}
    config = folder / "config.toml"  # limits above the file: the figure is the load, not a refusal
    config.write_text(f"[import]\nmax_rows = {rows + 1}\nmax_file_mb = 500\n", encoding="utf-8")
    env["SMARTDASH_CONFIG"] = str(config)
    cli_runs, pandas_runs = [], []
    for _ in range(repeat):
        engine = fresh_engine(url)
        store_url = engine.url.render_as_string(hide_password=False)
        engine.dispose()
        command = [sys.executable, "-m", "smartdash", "import", str(path), "--user", "bench"]
        cli_runs.append(_timed(command, repo, {**env, "SMARTDASH_DATABASE_URL": store_url}))
        bare = fresh_engine(url)
        bare_url = bare.url.render_as_string(hide_password=False)
        bare.dispose()
        pandas_runs.append(_timed([sys.executable, "-c", PANDAS_PATH, str(path), bare_url], ROOT, env))
    cli_s, pandas_s = statistics.median(cli_runs), statistics.median(pandas_runs)
    print(f"{label}, side by side ({rows} rows, {path.stat().st_size / 1e6:.1f} MB, {repeat} runs, command line of {repo}):")
    print(f"  python -m smartdash import  {cli_s:6.2f} s  (median; each run " + " ".join(f"{s:.2f}" for s in cli_runs) + ")")
    each = " ".join(f"{s:.2f}" for s in pandas_runs)
    print(f"  pandas read_csv + to_sql    {pandas_s:6.2f} s  (median; each run {each})")
    verdict = "met" if cli_s <= 1.5 * pandas_s else "not met"
    print(f"  command line / pandas: {cli_s / pandas_s:.2f} x (target ≤ 1,5 x: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", help="server URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--only-sqlite", action="store_true", help="skip PostgreSQL even with --postgres")
    parser.add_argument("--only-postgres", action="store_true", help="skip SQLite")
    parser.add_argument("--repeat", type=int, default=3, help="runs, each on a fresh store (default 3)")
    parser.add_argument("--xlsx", action="store_true", help="also the same rows as an .xlsx workbook")
    parser.add_argument("--quick", action="store_true", help="20 000 rows, one run: a smoke test of the benchmark")
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose command line runs (default: this one)")
    parser.add_argument("--only-side-by-side", action="store_true", help="only the command line against pandas")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat = 20_000, 1
    if not args.only_postgres:
        if not args.only_side_by_side:
            measure(None, args.rows, args.repeat)
            if args.xlsx:
                measure_workbook(None, args.rows, args.repeat)
        measure_cli_against_pandas(None, args.rows, args.repeat, args.repo)
    if args.postgres and not args.only_sqlite:
        if not args.only_side_by_side:
            measure(args.postgres, args.rows, args.repeat)
            if args.xlsx:
                measure_workbook(args.postgres, args.rows, args.repeat)
        measure_cli_against_pandas(args.postgres, args.rows, args.repeat, args.repo)


if __name__ == "__main__":
    main()
