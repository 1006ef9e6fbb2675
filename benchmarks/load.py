"""Load: N concurrent browser sessions (Debian's chromium) log in and open the overview and one other page at the
same time, against one smartdash server on this machine. Prints the slowest page load, the errors, and the
server's peak RSS (VmHWM). Asserts nothing; talks only to localhost.

    python benchmarks/load.py [--sessions 20] [--scale]     # --scale: the reduced scale set of run.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PASSWORD = "mot de passe du banc d'essai"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
OTHER_PAGES = ["Capitaux propres", "Financement 1+1", "Créances", "Exécution du plan", "Sociétariat", "Effectifs"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    """VmHWM of a process and its children (the server may fork none; read them all the same)."""
    total = 0
    for p in [pid, *[int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


async def session(browser, url: str, n: int, results: list) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    try:
        start = time.perf_counter()
        await page.goto(url)
        await page.get_by_label("Identifiant").fill("bench")
        await page.get_by_label("Mot de passe").fill(PASSWORD)
        await page.get_by_role("button", name="Se connecter").click()
        await page.get_by_text("À surveiller").first.wait_for()
        overview = time.perf_counter() - start
        other = OTHER_PAGES[n % len(OTHER_PAGES)]
        start = time.perf_counter()
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name=other, exact=True).click()
        await page.get_by_role("heading", level=1).first.wait_for()
        await page.wait_for_function("document.querySelectorAll('[data-testid=\"stSpinner\"]').length === 0")
        second = time.perf_counter() - start
        errors = await page.get_by_test_id("stException").count()
        results.append((overview, other, second, errors))
    except Exception as exc:  # a failed session is a result, not a crash of the benchmark
        results.append((None, str(exc)[:120], None, 1))
    finally:
        await context.close()


async def drive(url: str, sessions: int) -> list:
    from playwright.async_api import async_playwright

    results: list = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        await asyncio.gather(*(session(browser, url, n, results) for n in range(sessions)))
        await browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--scale", action="store_true", help="grow the store with the reduced scale set first")
    parser.add_argument("--full", action="store_true", help="grow it with run.py's full scale set (5,2 M rows)")
    args = parser.parse_args()
    from run import add_scale, new_store

    store_url, engine = new_store(None)
    if args.full:
        add_scale(engine, years=10, indicators=60, items_per_week=10_000, weeks_of_receivables=520)
    elif args.scale:
        add_scale(engine, years=2, indicators=10, items_per_week=1000, weeks_of_receivables=8)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, SMARTDASH_DATABASE_URL=store_url)
    log = open(Path(tempfile.mkdtemp()) / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.headless", "true"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        cpu_before, start = cpu_seconds(server.pid), time.perf_counter()
        results = asyncio.run(drive(url, args.sessions))
        wall = time.perf_counter() - start
        server_cpu = cpu_seconds(server.pid) - cpu_before
        rss = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    ok = [r for r in results if r[0] is not None]
    errors = sum(r[3] for r in results)
    print(f"{args.sessions} concurrent sessions in {wall:.1f} s; sessions that failed or showed an error: {errors}")
    if ok:
        print(f"  login + overview: slowest {max(r[0] for r in ok):.2f} s, median "
              f"{sorted(r[0] for r in ok)[len(ok) // 2]:.2f} s")
        print(f"  second page:      slowest {max(r[2] for r in ok):.2f} s ({max(ok, key=lambda r: r[2])[1]})")
    for r in results:
        if r[0] is None:
            print(f"  failed: {r[1]}")
    print(f"  server peak RSS (VmHWM): {rss:.0f} MiB; server CPU during the run: {server_cpu:.1f} s of {wall:.1f} s "
          f"wall on {os.cpu_count()} cores (the rest is the {args.sessions} browser tabs)")


if __name__ == "__main__":
    main()
