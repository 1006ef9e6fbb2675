"""The committee at once: N sessions log in at the same moment, see the overview, then open one more page, against
one smartdash server on this machine. Prints each session's times, the errors, the server's peak RSS (VmHWM) and
CPU, and the targets. Asserts nothing; talks only to 127.0.0.1, with a bounded number of requests and a timeout.

    python benchmarks/load.py --protocol --sessions 20   # sessions speak Streamlit's websocket protocol
    python benchmarks/load.py --protocol --sessions 50
    python benchmarks/load.py --browser --sessions 3     # real chromium sessions (Debian's, through Playwright)
    python benchmarks/load.py --protocol --browser --sessions 3   # both, and whether they saw the same elements
    python benchmarks/load.py --bytes                    # what each page sends to the browser, in bytes

--scale grows the store with run.py's reduced scale set first, --full with its full one; --postgres URL runs the
server on a new PostgreSQL database there; --servers 2 runs two server processes on the one store, each session
sticking to one of them (the README's production set-up, without a proxy's own cost). The protocol client
(stream_client.py) costs the server what a browser's session costs it and little CPU of its own: the figures are
the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stream_client import StreamlitClient  # noqa: E402

PASSWORD = "mot de passe du banc d'essai"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
OTHER_PAGES = ["Capitaux propres", "Financement 1+1", "Créances", "Exécution du plan", "Sociétariat", "Effectifs"]
ALL_PAGES = [
    "Vue d'ensemble",
    *OTHER_PAGES,
    "Versions du plan",
    "Réunions et décisions",
    "Catalogue des indicateurs",
    "Dossier du comité",
    "Chargement des données",
    "Administration",
]
TARGETS = {(20, 1): (3.0, 1.5 * 1024), (50, 1): (8.0, None), (100, 2): (5.0, None)}
# (sessions, server processes): (overview after login, s; servers' RSS, MiB)


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


def logins(n: int) -> list[str]:
    return [f"membre{i:02d}" for i in range(n)]


# --------------------------------------------------------------------------- protocol sessions


async def protocol_session(url: str, login: str, other: str, start_together: asyncio.Barrier) -> dict:
    result = {"login": login, "other": other, "errors": []}
    try:
        async with StreamlitClient(url) as client:
            started = time.perf_counter()
            await client.run()  # the login page
            result["login_page"] = time.perf_counter() - started
            await start_together.wait()  # every member presses "Se connecter" at the same moment
            overview = await client.login(login, PASSWORD)
            result["overview"], result["overview_bytes"] = overview.seconds, overview.bytes
            result["errors"] += overview.exceptions()
            if "À surveiller" not in overview.headings():
                result["errors"].append(f"overview not shown: {overview.headings()[:3]}")
            second = await client.open(other)
            result["second"], result["second_bytes"] = second.seconds, second.bytes
            result["errors"] += second.exceptions()
            result["elements"] = {"overview": seen(overview), other: seen(second)}
    except Exception as exc:  # a failed session is a result, not a crash of the benchmark
        result["errors"].append(f"{type(exc).__name__}: {str(exc)[:160]}")
    return result


def seen(run) -> dict:
    """What a reader sees of a page, comparable with what the browser shows: headings, metrics, counts of elements."""

    def plain(text: str) -> str:
        """The text as a browser shows it: escapes dropped, `:orange[…]` colour spans reduced to their text and a
        `:material/science:` icon to its ligature name (what the icon font's element holds as text)."""
        text = re.sub(r":material/(\w+):", r"\1", text.replace("\\", ""))
        return re.sub(r":(?:red|orange|green|blue|violet|gray|grey|rainbow|primary)\[(.*?)\]", r"\1", text)

    return {
        "headings": [plain(h) for h in run.headings()],
        "metrics": sorted((plain(m.label), m.body) for m in run.of_type("metric")),  # columns reorder them
        "charts": len(run.of_type("vega_lite_chart")),
        "tables": len(run.of_type("dataframe")),
    }


async def drive_protocol(urls: list[str], sessions: int) -> list[dict]:
    """Session n talks to server n mod len(urls): what a proxy with sticky sessions does, at no cost of its own."""
    barrier = asyncio.Barrier(sessions)
    return await asyncio.gather(
        *(
            protocol_session(urls[n % len(urls)], login, OTHER_PAGES[n % len(OTHER_PAGES)], barrier)
            for n, login in enumerate(logins(sessions))
        )
    )


# --------------------------------------------------------------------------- browser sessions


async def browser_session(browser, url: str, login: str, other: str, start_together: asyncio.Barrier) -> dict:
    result = {"login": login, "other": other, "errors": []}
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    try:
        started = time.perf_counter()
        await page.goto(url)
        await page.get_by_label("Identifiant").fill(login)
        await page.get_by_label("Mot de passe").fill(PASSWORD)
        result["login_page"] = time.perf_counter() - started
        await start_together.wait()
        started = await page_clock(page)
        await page.get_by_role("button", name="Se connecter").click()
        await page.get_by_text("À surveiller").first.wait_for()
        result["overview"] = await settled(page, started)
        overview = await shown(page)
        started = await page_clock(page)
        await page.get_by_test_id("stSidebar").get_by_role("link", name=other, exact=True).click()
        await page.get_by_role("heading", level=1, name=other_heading(other)).wait_for()
        result["second"] = await settled(page, started)
        result["elements"] = {"overview": overview, other: await shown(page)}
        result["errors"] += [await e.inner_text() for e in await page.get_by_test_id("stException").all()]
    except Exception as exc:
        result["errors"].append(f"{type(exc).__name__}: {str(exc)[:160]}")
    finally:
        await context.close()
    return result


def other_heading(title: str) -> str:
    return {
        "Capitaux propres": "Trajectoire des capitaux propres",
        "Financement 1+1": "Financement et règle du 1+1",
        "Créances": "Créances clients",
        "Exécution du plan": "Exécution du plan",
        "Sociétariat": "Sociétariat par bureau",
        "Effectifs": "Effectifs",
    }[title]


STABLE_MS = 1000


async def page_clock(page) -> float:
    return await page.evaluate("performance.now()")


async def settled(page, since_ms: float) -> float:
    """Wait until the run is over, every visible chart is drawn and the page has not changed for STABLE_MS (metrics
    and tables draw after their containers); return the seconds from `since_ms` (the page's clock) to its last
    change."""
    last_change = await page.evaluate(
        """async (stable) => {
        let last = -1, since = performance.now();
        const started = performance.now();
        while (performance.now() - started < 60000) {
            await new Promise(r => setTimeout(r, 50));
            const app = document.querySelector('[data-testid="stApp"]');
            const count = document.getElementsByTagName('*').length
                + document.querySelectorAll('[data-testid="stMetricValue"]').length * 1000;
            const drawn = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                .every(c => c.offsetParent === null || c.querySelector('canvas, svg'));  // hidden tabs draw later
            const waiting = document.querySelector('[data-testid*="Skeleton"]');  // a lazily loaded part not there yet
            if (app.dataset.testScriptState !== 'notRunning' || !drawn || waiting || count !== last) {
                last = count; since = performance.now();
            } else if (performance.now() - since >= stable) {
                return since;
            }
        }
        return null;
    }""",
        STABLE_MS,
    )
    if last_change is None:
        raise TimeoutError("the page did not settle within 60 s")
    return (last_change - since_ms) / 1000


async def shown(page) -> dict:
    """What the page shows once it stops changing (read every second, 30 s at most)."""
    before = await _shown(page)
    for _ in range(30):
        await asyncio.sleep(1)
        now = await _shown(page)
        if now == before:
            return now
        before = now
    return before


async def _shown(page) -> dict:
    main = page.get_by_test_id("stMain")
    headings = [t.strip() for t in await main.locator("[data-testid='stHeading'] :is(h1, h2, h3)").all_inner_texts()]
    labels = await main.get_by_test_id("stMetricLabel").all_inner_texts()
    values = await main.get_by_test_id("stMetricValue").all_inner_texts()
    return {
        "headings": headings,
        "metrics": sorted((a.strip(), b.strip()) for a, b in zip(labels, values, strict=False)),
        "charts": await main.get_by_test_id("stVegaLiteChart").count(),
        "tables": await main.get_by_test_id("stDataFrame").count(),
    }


async def drive_browser(urls: list[str], sessions: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        barrier = asyncio.Barrier(sessions)
        results = await asyncio.gather(
            *(
                browser_session(browser, urls[n % len(urls)], login, OTHER_PAGES[n % len(OTHER_PAGES)], barrier)
                for n, login in enumerate(logins(sessions))
            )
        )
        await browser.close()
    return results


# --------------------------------------------------------------------------- bytes per page


async def page_bytes(url: str) -> list[tuple[str, int, dict]]:
    """(page, bytes of its run's messages, bytes by element type) for every page, opened by an administrator (who
    may open them all) in a session that had opened another page first."""
    out = []
    async with StreamlitClient(url) as client:
        await client.login("bench", PASSWORD)
        for title in ALL_PAGES:
            await client.open("Dossier du comité" if title == "Vue d'ensemble" else "Vue d'ensemble")
            run = await client.open(title)
            out.append((title, run.bytes, run.bytes_by_type))
    return out


# --------------------------------------------------------------------------- the server


def start_server(store_url: str, *, script: str = "app.py", cwd: Path = ROOT) -> tuple[subprocess.Popen, str, object]:
    """A Streamlit server of `script` (run from the checkout `cwd`) on a free port over `store_url`, once healthy:
    the process, its address and its log (closed by stop_server). The other benchmarks start theirs here too."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, SMARTDASH_DATABASE_URL=store_url)
    log = open(Path(tempfile.mkdtemp()) / "server.log", "w")  # noqa: SIM115 - closed by stop_server
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true"],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    return server, url, log


def stop_server(server: subprocess.Popen, log) -> None:
    server.terminate()
    server.wait(timeout=30)
    log.close()


async def warm_up(url: str) -> None:
    """A warm store: the server has served every page once (Python modules imported, caches filled)."""
    async with StreamlitClient(url) as client:
        await client.login(logins(1)[0], PASSWORD)
        for title in ALL_PAGES:
            await client.open(title)


def report(kind: str, results: list[dict], sessions: int, wall: float, cpu: float, rss: float, servers: int = 1) -> None:
    errors = [(r["login"], e) for r in results for e in r["errors"]]
    ok = [r for r in results if "second" in r]
    print(
        f"{kind}: {sessions} sessions at once on {servers} server process{'es' if servers > 1 else ''}, "
        f"{wall:.1f} s in all; sessions with an error: "
        f"{len({login for login, _e in errors})}, errors: {len(errors)}"
    )
    for name, key in (("login page", "login_page"), ("overview after login", "overview"), ("second page", "second")):
        times = [r[key] for r in ok if key in r]
        if times:
            print(
                f"  {name:22}slowest {max(times):6.2f} s · median {statistics.median(times):6.2f} s · fastest {min(times):6.2f} s"
            )
    for login, error in errors[:10]:
        print(f"  error ({login}): {error}")
    print(
        f"  server{'s' if servers > 1 else ''}: peak RSS (VmHWM) {rss:,.0f} MiB; CPU {cpu:.1f} s during the {wall:.1f} s "
        f"({os.cpu_count()} cores)".replace(",", " ")
    )
    target = TARGETS.get((sessions, servers))
    if target and kind == "protocol":
        limit, rss_limit = target
        slowest = max((r["overview"] for r in ok), default=float("inf"))
        met = slowest <= limit and not errors and (rss_limit is None or rss <= rss_limit)
        print(
            f"  target for {sessions} sessions on {servers} server process{'es' if servers > 1 else ''}: "
            f"overview ≤ {limit:g} s after login, 0 errors"
            + (f", RSS ≤ {rss_limit / 1024:g} GiB" if rss_limit else "")
            + f" — {'met' if met else 'NOT met'} (slowest {slowest:.2f} s, {len(errors)} errors, {rss:.0f} MiB)"
        )


def compare(protocol: list[dict], browser: list[dict]) -> None:
    """Whether the protocol sessions saw what the browser sessions show, page by page."""

    def by_page(results):
        pages = {}
        for r in results:
            for page, content in r.get("elements", {}).items():
                pages.setdefault(page, content)
        return pages

    mine, theirs = by_page(protocol), by_page(browser)
    for page in sorted(set(mine) & set(theirs)):
        a, b = mine[page], theirs[page]
        same = {key: a[key] == b[key] for key in a}
        sizes = {key: len(value) if isinstance(value, list) else value for key, value in a.items()}
        print(f"  {page}: " + ", ".join(f"{key} {'same' if ok else 'DIFFERENT'} ({sizes[key]})" for key, ok in same.items()))
        for key, ok in same.items():
            if not ok:
                print(f"    protocol {key}: {a[key]}\n    browser  {key}: {b[key]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--protocol", action="store_true", help="sessions speak Streamlit's websocket protocol")
    parser.add_argument("--browser", action="store_true", help="sessions are chromium tabs")
    parser.add_argument("--bytes", action="store_true", help="print the bytes each page sends")
    parser.add_argument("--scale", action="store_true", help="grow the store with the reduced scale set first")
    parser.add_argument("--full", action="store_true", help="grow it with run.py's full scale set (5,2 M rows)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to create the store on")
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="server processes on the one store, each session "
        "sticking to one of them as behind a proxy with sticky sessions (default 1)",
    )
    parser.add_argument("--quick", action="store_true", help="2 protocol sessions: a smoke test of the benchmark")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.scale, args.full = 2, False, False
    if not (args.protocol or args.browser or args.bytes):
        args.protocol = True
    from run import add_scale, new_store

    from smartdash import auth

    store_url, engine = new_store(args.postgres)
    if args.full:
        add_scale(engine, years=10, indicators=60, items_per_week=10_000, weeks_of_receivables=520)
    elif args.scale:
        add_scale(engine, years=2, indicators=10, items_per_week=1000, weeks_of_receivables=8)
    for login in logins(max(args.sessions, 1)):
        auth.add_user(engine, login, "viewer", PASSWORD, by="bench")
    if args.postgres is None:
        from sqlalchemy.engine import make_url

        size = sum(p.stat().st_size for p in Path(make_url(store_url).database).parent.iterdir())
        print(f"store: SQLite, {size / 2**20:,.0f} MiB on disk".replace(",", " "))
    servers = [start_server(store_url) for _ in range(args.servers)]
    pids, urls = [server.pid for server, _url, _log in servers], [url for _server, url, _log in servers]
    try:
        for url in urls:
            asyncio.run(warm_up(url))
        if args.bytes:
            print("bytes each page sends (its run's websocket messages, uncompressed), by element type:")
            for title, size, by_type in asyncio.run(page_bytes(urls[0])):
                top = sorted(by_type.items(), key=lambda kv: -kv[1])[:4]
                print(
                    f"  {title:28}{size:>9,} B   ".replace(",", " ") + " · ".join(f"{k} {v:,}".replace(",", " ") for k, v in top)
                )
        runs = {}
        for kind, drive in (("protocol", drive_protocol), ("browser", drive_browser)):
            if not getattr(args, kind):
                continue
            cpu, start = sum(map(cpu_seconds, pids)), time.perf_counter()
            runs[kind] = asyncio.run(drive(urls, args.sessions))
            report(
                kind,
                runs[kind],
                args.sessions,
                time.perf_counter() - start,
                sum(map(cpu_seconds, pids)) - cpu,
                sum(map(peak_rss_mib, pids)),
                len(pids),
            )
        if len(runs) == 2:
            print("what the protocol sessions saw against what chromium shows:")
            compare(runs["protocol"], runs["browser"])
    finally:
        for server, _url, log in servers:
            stop_server(server, log)
        drop_store(store_url, engine, args.postgres)


def drop_store(store_url: str, engine, server_url: str | None) -> None:
    """The benchmark's store goes when it ends: a temporary SQLite folder, or a PostgreSQL database of its own."""
    import shutil

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from smartdash.db import make_engine

    engine.dispose()
    if server_url is None:
        shutil.rmtree(Path(make_url(store_url).database).parent, ignore_errors=True)
        return
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = make_url(store_url).database
        conn.execute(text("DROP DATABASE IF EXISTS " + conn.dialect.identifier_preparer.quote(name) + " WITH (FORCE)"))
    admin.dispose()


if __name__ == "__main__":
    main()
