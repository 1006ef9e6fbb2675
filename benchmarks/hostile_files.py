"""Hostile files through `python -m smartdash import`: how long a refusal takes and the memory it needs, at the sizes
the attacks were first tried with. Each file is imported by a process of its own into a fresh SQLite store (the
demo's reference data loaded), timed, and its peak resident memory read from the kernel. Prints its figures;
asserts nothing.

    python benchmarks/hostile_files.py [--repo PATH] [--timeout 600] [--only NAME ...]

--repo runs the command line of another checkout (the figures before a change, e.g. the main branch).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile  # noqa: E402


def legit_workbook(rows: int) -> bytes:
    """A receivables workbook as a spreadsheet program writes one: for the cost of reading an honest file."""
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("creances")
    sheet.append(hostile.RECEIVABLES_HEADER.split(";"))
    as_of = dt.date(2026, 3, 31)
    for i in range(rows):
        sheet.append([as_of, "SMARTCOOP", "GAND", f"Client {i % 3000}", f"R-{i:07d}", dt.date(2026, 1, 1),
                      dt.date(2026, 1, 31), (100 + i % 5000) / 100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILES = {
    "empty.csv": ("an empty file: what any refusal costs (starting Python, opening the store)", lambda: b""),
    "bomb-3M-rows-varied.xlsx": ("3 000 000 rows, each different (compresses ~30 times)",
                                 lambda: hostile.row_bomb(3_000_000)),
    "bomb-2M-rows-varied.xlsx": ("2 000 000 rows, each different", lambda: hostile.row_bomb(2_000_000)),
    "bomb-3M-rows-same.xlsx": ("3 000 000 times the same row (compresses ~250 times)",
                               lambda: hostile.row_bomb(3_000_000, varied=False)),
    "cell-200MB.xlsx": ("one client name of 200 000 000 characters", lambda: hostile.long_cell_workbook(200_000_000)),
    "legit-50k.xlsx": ("an honest workbook of 50 000 items (loaded)", lambda: legit_workbook(50_000)),
}


def run(repo: Path, url: str, args: list[str], timeout: float) -> tuple[int | None, float, int, str]:
    """(exit code or None on timeout, seconds, peak RSS in MiB, last line of output) of one command."""
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url)
    log = tempfile.TemporaryFile()  # not a pipe: a refusal may print far more than a pipe holds
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "smartdash", *args], cwd=repo, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    code = None
    while time.perf_counter() - start < timeout:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        time.sleep(0.05)
    else:
        process.kill()
        _pid, _status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    log.seek(0)
    output = log.read().decode("utf-8", "replace").strip().splitlines()
    last = next((line for line in reversed(output) if line.strip()), "")
    return code, seconds, usage.ru_maxrss // 1024, last[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose command line runs (default: this one)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is stopped")
    parser.add_argument("--only", nargs="*", help="file names to run (default: all)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    base = work / "base.db"
    reference = [str(ROOT / "data" / "demo" / f) for f in ("entites.csv", "bureaux.csv")]
    run(args.repo, f"sqlite:///{base}", ["init-db"], args.timeout)
    run(args.repo, f"sqlite:///{base}", ["import", *reference], args.timeout)
    print(f"command line of {args.repo}; each file into a copy of a store holding the demo's entities and offices")
    print("| file | what | size | exit | time | peak RSS | last line |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, (what, make) in FILES.items():
        if args.only and name not in args.only:
            continue
        path = work / name
        path.write_bytes(make())
        store = work / f"{name}.db"
        store.write_bytes(base.read_bytes())
        code, seconds, rss, last = run(args.repo, f"sqlite:///{store}", ["import", str(path)], args.timeout)
        size = f"{path.stat().st_size / 1e6:.1f} MB".replace(".", ",")
        exit_ = "stopped" if code is None else str(code)
        time_ = f"{seconds:.1f}".replace(".", ",")
        print(f"| {name} | {what} | {size} | {exit_} | {time_} s | {rss} MiB | {last} |")
        path.unlink()
        store.unlink()


if __name__ == "__main__":
    main()
