"""Hostile files through `python -m smartdash import`: how long a refusal takes and the memory it needs, at the sizes
the attacks were first tried with. Each file is imported by a process of its own into a fresh SQLite store (the
demo's reference data loaded), timed, and its peak resident memory read from the kernel. Prints its figures;
asserts nothing.

    python benchmarks/hostile_files.py [--repo PATH] [--timeout 600] [--only NAME ...]
    python benchmarks/hostile_files.py --server [--rounds 2] [--postgres URL] [--only NAME ...]

--repo runs the command line (with --server: the server) of another checkout (the figures before a change, e.g. the
main branch).

--server asks whether one large honest upload starves the other sessions of a running server: a server on a demo
store; 3 readers log in at once and see the overview (the baseline); then an editor uploads a file on the data page
(its preview: the file read, checked and compared with the store) and loads it; during each of the two steps, groups
of 3 readers log in one after the other, and two groups after the load (the first computes the figures of the
changed store again). The editor is a process of its own (reading the preview's messages costs the client CPU the
readers' clocks must not share); readers speak Streamlit's protocol (stream_client.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from load import start_server  # noqa: E402

from tests import hostile  # noqa: E402


def legit_workbook(rows: int, as_of: str = "31/03/2026") -> bytes:
    """A receivables workbook as a spreadsheet program writes one: for the cost of reading an honest file."""
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("creances")
    sheet.append(hostile.RECEIVABLES_HEADER.split(";"))
    as_of = dt.datetime.strptime(as_of, "%d/%m/%Y").date()
    for i in range(rows):
        sheet.append(
            [
                as_of,
                "SMARTCOOP",
                "GAND",
                f"Client {i % 3000}",
                f"R-{i:07d}",
                dt.date(2026, 1, 1),
                dt.date(2026, 1, 31),
                (100 + i % 5000) / 100,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILES = {
    "empty.csv": ("an empty file: what any refusal costs (starting Python, opening the store)", lambda: b""),
    "bomb-3M-rows-varied.xlsx": ("3 000 000 rows, each different (compresses ~30 times)", lambda: hostile.row_bomb(3_000_000)),
    "bomb-2M-rows-varied.xlsx": ("2 000 000 rows, each different", lambda: hostile.row_bomb(2_000_000)),
    "bomb-3M-rows-same.xlsx": (
        "3 000 000 times the same row (compresses ~250 times)",
        lambda: hostile.row_bomb(3_000_000, varied=False),
    ),
    "cell-200MB.xlsx": ("one client name of 200 000 000 characters", lambda: hostile.long_cell_workbook(200_000_000)),
    "parts-400k.xlsx": (
        "400 000 empty members, about the most a 50 MB upload holds (zipfile lists every one)",
        lambda: hostile.many_parts(400_000, zip64=True),
    ),
    "parts-small-bomb.xlsx": (
        "1 900 parts of 512 KiB each compressed ~900 times (1 GB from 1 MB)",
        lambda: hostile.small_parts_bomb(1_900, 1 << 19),
    ),
    "legit-50k.xlsx": ("an honest workbook of 50 000 items (loaded)", lambda: legit_workbook(50_000)),
    "legit-500k.xlsx": ("an honest workbook of 500 000 items, [import] max_rows (loaded)", lambda: legit_workbook(500_000)),
}
# --quick: a smoke test of the benchmark in seconds — what any refusal costs, a small bomb, a small honest file
QUICK_FILES = {
    "empty.csv": FILES["empty.csv"],
    "parts-small-bomb.xlsx": FILES["parts-small-bomb.xlsx"],
    "legit-2k.xlsx": ("an honest workbook of 2 000 items (loaded)", lambda: legit_workbook(2_000)),
}


def run(repo: Path, url: str, args: list[str], timeout: float) -> tuple[int | None, float, int, str]:
    """(exit code or None on timeout, seconds, peak RSS in MiB, last line of output) of one command."""
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url)
    log = tempfile.TemporaryFile()  # not a pipe: a refusal may print far more than a pipe holds
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "smartdash", *args], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT
    )
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


# --------------------------------------------------------------------------- one large upload on a running server

UPLOADS = {
    "creances-200k.csv": (
        "an honest receivables CSV of 200 000 items",
        lambda: hostile.receivables_csv(200_000, as_of="15/03/2026").encode(),
    ),
    "creances-100k.xlsx": ("an honest receivables workbook of 100 000 items", lambda: legit_workbook(100_000, "15/03/2026")),
    "creances-500k.xlsx": (
        "an honest receivables workbook of 500 000 items, [import] max_rows (run when named in --only)",
        lambda: legit_workbook(500_000, "15/03/2026"),
    ),
    "creances-500k.csv": (
        "an honest receivables CSV of 500 000 items, [import] max_rows (run when named in --only)",
        lambda: hostile.receivables_csv(500_000, as_of="15/03/2026").encode(),
    ),
}
DEFAULT_UPLOADS = ("creances-200k.csv", "creances-100k.xlsx")
READERS = 3
EDITOR = "chargeur"


async def reader(url: str, login: str) -> tuple[float, float]:
    """(seconds from arriving to the overview shown, of which the login's run) of a new session logging in."""
    from load import PASSWORD
    from stream_client import StreamlitClient

    started = time.perf_counter()
    async with StreamlitClient(url, timeout=600) as client:
        await client.run()
        overview = await client.login(login, PASSWORD)
    if "À surveiller" not in overview.headings():
        raise RuntimeError(f"{login}: no overview ({overview.headings()[:3]}, {overview.exceptions()[:1]})")
    return time.perf_counter() - started, overview.seconds


async def readers(url: str, first: int) -> list[tuple[float, float]]:
    return await asyncio.gather(*(reader(url, f"membre{first + i:02d}") for i in range(READERS)))


def editor(url: str, name: str, data: bytes, steps) -> None:
    """The editor's session, in a process of its own: tells `steps` (a queue) when each step starts and ends."""
    from load import PASSWORD
    from stream_client import StreamlitClient

    async def session() -> None:
        async with StreamlitClient(url, timeout=1200) as client:
            await client.login(EDITOR, PASSWORD)
            await client.open("Chargement des données")
            steps.put(("preview", time.perf_counter()))
            preview = await client.upload("Fichier CSV, XLSX ou FEC", name, data)
            steps.put(("previewed", time.perf_counter()))
            shown = dict((m.label, m.body) for m in preview.of_type("metric"))
            steps.put(("new rows", shown.get("Nouvelles lignes", preview.text()[:200])))
            steps.put(("load", time.perf_counter()))
            loaded = await client.click("Charger ce fichier")
            steps.put(("loaded", time.perf_counter()))
            steps.put(("result", next((a.body for a in loaded.of_type("alert")), loaded.text()[:200])))

    try:
        asyncio.run(session())
    except Exception as exc:  # told to the driver, which stops waiting
        steps.put(("error", f"{type(exc).__name__}: {str(exc)[:300]}"))


def timed(results: list[tuple[float, float]]) -> str:
    total = sorted(r[0] for r in results)
    return f"slowest {total[-1]:.1f} s, fastest {total[0]:.1f} s (login run alone: slowest {max(r[1] for r in results):.1f} s)"


async def upload_round(url: str, name: str, data: bytes) -> dict:
    """One upload; during each of its two steps, groups of readers arrive one after the other (the first 1 s into
    the step, each next one 0,5 s after the previous one saw its overview) until the step is over."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    steps = context.Queue()
    process = context.Process(target=editor, args=(url, name, data, steps))
    process.start()
    seen: dict = {}

    def told() -> None:
        while not steps.empty():
            key, value = steps.get()
            seen[key] = value
            if key == "error":
                raise RuntimeError(value)

    async def step(wanted: str):
        while wanted not in seen:
            told()
            await asyncio.sleep(0.05)
        return seen[wanted]

    async def groups(start: str, end: str) -> list[tuple[float, list]]:
        out, first = [], 0
        await step(start)
        await asyncio.sleep(1)
        while True:
            told()
            if end in seen:
                return out
            arrived = time.perf_counter() - seen[start]
            out.append((arrived, await readers(url, first % (3 * READERS))))
            first += READERS
            await asyncio.sleep(0.5)

    try:
        results = {"during the preview": await groups("preview", "previewed"), "during the load": await groups("load", "loaded")}
        await step("result")
        # the store changed: the first readers after it compute the pages' figures again, the next ones find them
        results["after the load"] = [(time.perf_counter() - seen["loaded"], await readers(url, i * READERS)) for i in range(2)]
    finally:
        process.join(timeout=1200)
    results["steps"] = (seen["previewed"] - seen["preview"], seen["loaded"] - seen["load"], seen["new rows"], seen["result"])
    return results


def server_main(args: argparse.Namespace) -> None:
    from load import PASSWORD, cpu_seconds, drop_store, peak_rss_mib, stop_server, warm_up
    from run import new_store

    from smartdash import auth

    uploads = {n: u for n, u in UPLOADS.items() if n in (args.only or DEFAULT_UPLOADS)}
    made = {name: make() for name, (_what, make) in uploads.items()}
    for round_ in range(1, args.rounds + 1):
        for name, data in made.items():
            store_url, engine = new_store(args.postgres)
            auth.add_user(engine, EDITOR, "editor", PASSWORD, by="bench")
            for i in range(4 * READERS):
                auth.add_user(engine, f"membre{i:02d}", "viewer", PASSWORD, by="bench")
            engine.dispose()
            server, url, log = start_server(store_url, cwd=args.repo)  # --repo: the figures before a change
            try:
                asyncio.run(warm_up(url))
                base = asyncio.run(readers(url, 3 * READERS))
                cpu = cpu_seconds(server.pid)
                during = asyncio.run(upload_round(url, name, data))
                cpu = cpu_seconds(server.pid) - cpu
                preview, load, new_rows, result = during["steps"]
                print(
                    f"round {round_}, {name} ({uploads[name][0]}, {len(data) / 1e6:.1f} MB), "
                    f"{'PostgreSQL' if args.postgres else 'SQLite'}, server of {args.repo}:"
                )
                print(f"  {READERS} readers, no upload:   {timed(base)}")
                for phase in ("during the preview", "during the load", "after the load"):
                    where = "after" if phase.startswith("after") else "into"
                    for since, results in during[phase]:
                        print(f"  {READERS} readers {phase}, arriving {since:.1f} s {where} it: {timed(results)}")
                print(f"  the upload: preview {preview:.1f} s ({new_rows} new rows), load {load:.1f} s — {result}")
                print(f"  server: CPU {cpu:.1f} s during the upload round, peak RSS {peak_rss_mib(server.pid):.0f} MiB")
            finally:
                stop_server(server, log)
                drop_store(store_url, engine, args.postgres)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose command line runs (default: this one)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is stopped")
    parser.add_argument("--only", nargs="*", help="file names to run (default: all)")
    parser.add_argument(
        "--server", action="store_true", help="large honest uploads on a running server, readers logging in meanwhile"
    )
    parser.add_argument("--rounds", type=int, default=2, help="--server: rounds of each upload (default 2)")
    parser.add_argument("--postgres", metavar="URL", help="--server: a PostgreSQL server to create the store on")
    parser.add_argument("--dry-run", action="store_true", help="import --dry-run: the preview (read, checked, compared)")
    parser.add_argument("--make", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="three small files: a smoke test of the benchmark")
    args = parser.parse_args()
    files = QUICK_FILES if args.quick else FILES
    if args.make:
        name, path = args.make
        Path(path).write_bytes({**FILES, **QUICK_FILES}[name][1]())
        return
    if args.server:
        server_main(args)
        return
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    base = work / "base.db"
    reference = [str(ROOT / "data" / "demo" / f) for f in ("entites.csv", "bureaux.csv")]
    run(args.repo, f"sqlite:///{base}", ["init-db"], args.timeout)
    run(args.repo, f"sqlite:///{base}", ["import", *reference], args.timeout)
    dry = " (--dry-run)" if args.dry_run else ""
    print(f"command line of {args.repo}{dry}; each file into a copy of a store holding the demo's entities and offices")
    print("| file | what | size | exit | time | peak RSS | last line |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, (what, _make) in files.items():
        if args.only and name not in args.only:
            continue
        path = work / name
        # made by a process of its own: a child forked from this one would count its memory as its own peak
        subprocess.run([sys.executable, __file__, "--make", name, str(path)], check=True)
        store = work / f"{name}.db"
        store.write_bytes(base.read_bytes())
        command = ["import", str(path), *(["--dry-run"] if args.dry_run else [])]
        code, seconds, rss, last = run(args.repo, f"sqlite:///{store}", command, args.timeout)
        size = f"{path.stat().st_size / 1e6:.1f} MB".replace(".", ",")
        exit_ = "stopped" if code is None else str(code)
        time_ = f"{seconds:.1f}".replace(".", ",")
        print(f"| {name} | {what} | {size} | {exit_} | {time_} s | {rss} MiB | {last} |")
        path.unlink()
        store.unlink()


if __name__ == "__main__":
    main()
