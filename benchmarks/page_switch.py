"""Page switches and the login in a real browser (Debian's chromium through Playwright), side by side with the
floor: `floor_app.py`, a bare Streamlit app with smartdash's server settings whose pages show a title, three metrics,
a 500-point Altair line and a 20-row table. Both servers run at once on the demo store's machine, warmed (every page
served once); rounds alternate between them, so the ratios compare like with like on a shared machine.

    python benchmarks/page_switch.py [--rounds 3] [--postgres URL] [--quick] [--pages "Créances,Exécution du plan"]

Times are from the click to the page settled (the run over, every chart drawn, nothing changed for a second: the
`settled` of load.py), read on the page's own clock; each figure is the median of --rounds. Printed: each smartdash
page's switch against the floor's, their ratio (target ≤ 1,5), and the login (from "Se connecter" to the overview
settled, on a warm server, in a browser that has visited once: logged out, then in again each round; target ≤ 1,5 s;
the first visit's login is printed apart). Asserts nothing. --pages times only the pages named (comma-separated menu
titles), each switched to from the page before it in the menu, as in the full run (that page is opened first, untimed).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import ALL_PAGES, ARGS, PASSWORD, drop_store, settled, start_server  # noqa: E402
from stream_client import StreamlitClient  # noqa: E402

FLOOR_PAGES = ("Floor one", "Floor two", "Floor three")
SWITCH_TARGET = 1.5  # × the floor's page switch
LOGIN_TARGET = 1.5  # s, warm server


async def warm_up(url: str, pages: list[str]) -> None:
    """A warm server: every page measured served once (modules imported, caches filled), as load.py does."""
    async with StreamlitClient(url) as client:
        await client.login("bench", PASSWORD)
        for title in pages:
            await client.open(title)


async def switch(page, title: str) -> float:
    """Click a page in the sidebar; the seconds from the click to the new page settled."""
    before = page.url
    started = await page.evaluate("performance.now()")
    await page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    await page.wait_for_function("(before) => location.href !== before", arg=before)
    return await settled(page, started)


async def open_session(browser, url: str):
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    await page.goto(url)
    return context, page


async def login(page) -> float:
    """The session logs in: the seconds from "Se connecter" to the overview settled."""
    await page.get_by_label("Identifiant").fill("bench")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await settled(page, 0)
    started = await page.evaluate("performance.now()")
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_text("À surveiller").first.wait_for()
    return await settled(page, started)


async def logout(page) -> None:
    await page.get_by_test_id("stSidebar").get_by_role("button", name="Se déconnecter").click()
    await page.get_by_label("Identifiant").wait_for()


def previous_page(title: str) -> str:
    """The page a switch to `title` starts from in the full run: the one before it in the menu (the last for the first)."""
    return ALL_PAGES[ALL_PAGES.index(title) - 1]


async def measure(app_url: str, floor_url: str, rounds: int, pages: list[str]) -> tuple[dict, dict, list]:
    from playwright.async_api import async_playwright

    app_times: dict[str, list[float]] = {t: [] for t in pages}
    floor_times: dict[str, list[float]] = {t: [] for t in FLOOR_PAGES}
    logins: list[float] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        floor_context, floor = await open_session(browser, floor_url)
        await settled(floor, 0)
        # the browser warm as a member's is: the app's scripts, styles and fonts in its cache (a first visit fetches
        # and compiles them, which is the network's and the browser's time, not the app's)
        context, app = await open_session(browser, app_url)
        first_login = await login(app)
        await logout(app)
        floor_cycle = 0  # the floor page shown; each switch goes to the next one
        for _ in range(rounds):
            logins.append(await login(app))
            shown = ALL_PAGES[0]
            # each smartdash switch is followed by a floor switch: both see the machine as it is at that moment
            for title in [*pages[1:], pages[0]]:
                if shown != previous_page(title):  # --pages: from the page the full run comes from, as there
                    await switch(app, previous_page(title))
                app_times[title].append(await switch(app, title))
                shown = title
                floor_cycle += 1
                floor_title = FLOOR_PAGES[floor_cycle % len(FLOOR_PAGES)]
                floor_times[floor_title].append(await switch(floor, floor_title))
            await logout(app)
        await context.close()
        await floor_context.close()
        await browser.close()
    return app_times, floor_times, [first_login, *logins]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to create the store on")
    parser.add_argument("--quick", action="store_true", help="one round, two pages: a smoke test of the benchmark")
    parser.add_argument("--pages", help='only these pages, comma-separated menu titles ("Exécution du plan,Créances")')
    args = parser.parse_args()
    pages = ALL_PAGES
    if args.pages:
        pages = [t.strip() for t in args.pages.split(",") if t.strip()]
        if unknown := [t for t in pages if t not in ALL_PAGES]:
            parser.error(f"not a page of the menu: {', '.join(unknown)} (the pages: {', '.join(ALL_PAGES)})")
    if args.quick:
        args.rounds, pages = 1, ALL_PAGES[:2]
    from run import new_store

    store_url, engine = new_store(args.postgres)
    servers = [start_server(store_url), start_server(store_url, script="benchmarks/floor_app.py")]
    try:
        app_url, floor_url = servers[0][1], servers[1][1]
        asyncio.run(warm_up(app_url, list(pages)))
        app_times, floor_times, logins = asyncio.run(measure(app_url, floor_url, args.rounds, list(pages)))
    finally:
        for server, _url, log in servers:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        drop_store(store_url, engine, args.postgres)

    floor_all = [t for times in floor_times.values() for t in times]
    floor = statistics.median(floor_all)
    print(
        f"page switch, click to settled, median of {args.rounds} round(s); floor (bare Streamlit page, same settings): "
        f"median {floor:.2f} s, {min(floor_all):.2f}–{max(floor_all):.2f} s"
    )
    worst = 0.0
    for title, times in app_times.items():
        ratio = statistics.median(times) / floor
        worst = max(worst, ratio)
        print(f"  {title:28}{statistics.median(times):6.2f} s  ({' · '.join(f'{t:.2f}' for t in times)})  × floor {ratio:4.2f}")
    print(f"  worst page ÷ floor {worst:.2f} (target ≤ {SWITCH_TARGET:g}) — {'met' if worst <= SWITCH_TARGET else 'NOT met'}")
    first, warm = logins[0], logins[1:]
    print(
        f"login to overview settled (warm server, the browser's cache warm): median {statistics.median(warm):.2f} s "
        f"({' · '.join(f'{t:.2f}' for t in warm)}), target ≤ {LOGIN_TARGET:g} s — "
        f"{'met' if statistics.median(warm) <= LOGIN_TARGET else 'NOT met'}; the browser's first visit: {first:.2f} s"
    )


if __name__ == "__main__":
    main()
