"""smartdash at scale, measured: every page cold and warm in AppTest on the demo and on a scale data set, the bare
view time behind each page, import throughput and deck export time, on SQLite (and PostgreSQL with --postgres).
Prints its figures; asserts nothing. The last line sums up the worst ratio of each kind.

    python benchmarks/run.py --quick                 # reduced scale set: a smoke test, under a minute
    python benchmarks/run.py                         # ten years of weekly data, ~5 M receivable rows
    python benchmarks/run.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlalchemy import select, text  # noqa: E402

from smartdash import auth, models, queries  # noqa: E402
from smartdash.db import make_engine, session_scope  # noqa: E402
from smartdash.demo import load_demo  # noqa: E402
from smartdash.importing import bulk_insert, refresh_ageing  # noqa: E402
from smartdash.schema import upgrade  # noqa: E402
from smartdash.views import Filters  # noqa: E402
from smartdash.views import equity as equity_views  # noqa: E402
from smartdash.views import execution as execution_views  # noqa: E402
from smartdash.views import funding as funding_views  # noqa: E402
from smartdash.views import overview as overview_views  # noqa: E402
from smartdash.views import people as people_views  # noqa: E402
from smartdash.views import receivables as receivables_views  # noqa: E402
from smartdash.views import rules as rules_views  # noqa: E402
from smartdash.views import versions as versions_views  # noqa: E402

PASSWORD = "mot de passe du banc d'essai"
PAGES = ["overview", "equity", "funding", "headcount", "membership", "receivables", "execution", "versions", "data"]
TARGETS = {"warm": 0.25, "cold": 1.5, "scale_over_demo": 2.0, "import": 50_000, "deck": 5.0}


def new_store(url: str | None) -> tuple[str, object]:
    if url is None:
        store_url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    else:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # DDL names an object, it takes no bound parameter: a generated name, quoted by the dialect
            conn.execute(text("CREATE DATABASE " + conn.dialect.identifier_preparer.quote(name)))
        store_url = url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(store_url)
    upgrade(engine)
    load_demo(engine)
    auth.add_user(engine, "bench", "admin", PASSWORD, by="bench")
    return store_url, engine


def add_scale(engine, *, years: int, indicators: int, items_per_week: int, weeks_of_receivables: int, seed: int = 11) -> dict:
    """Grow a demo store to scale: weekly history for extra key-less indicators and offices, and weekly
    receivables snapshots. Written through smartdash's own bulk insert and ageing pre-aggregation."""
    rng = random.Random(seed)
    start = dt.date(2026, 11, 22) - dt.timedelta(weeks=52 * years)
    weeks = [start + dt.timedelta(weeks=w) for w in range(52 * years + 1)]
    counts = {}
    with session_scope(engine) as s:
        entity_ids = dict(s.execute(select(models.Entity.code, models.Entity.id)).all())
        offices = s.execute(select(models.Office.id, models.Office.entity_id)).all()
        rows = [
            {
                "code": f"SCALE_{i:02d}",
                "label_fr": f"Indicateur d'échelle {i}",
                "label_en": f"Scale {i}",
                "unit": "EUR",
                "direction": "up",
                "frequency": "weekly",
                "threshold_mode": "plan",
                "amber_threshold": Decimal(5),
                "red_threshold": Decimal(10),
                "is_key": False,
                "active": True,
                "sort_order": 100 + i,
            }
            for i in range(indicators)
        ]
        bulk_insert(s.connection(), models.Indicator.__table__, rows)
        indicator_ids = list(s.scalars(select(models.Indicator.id).where(models.Indicator.code.like("SCALE_%"))))
        obs = []
        for ind in indicator_ids:
            for eid in entity_ids.values():
                level = rng.uniform(1e5, 1e7)
                for day in weeks:
                    level *= 1 + rng.gauss(0, 0.02)
                    obs.append(
                        {
                            "indicator_id": ind,
                            "entity_id": eid,
                            "office_id": None,
                            "period_end": day,
                            "scenario": "actual",
                            "plan_version_id": None,
                            "value": Decimal(int(level * 100)) / 100,
                            "is_synthetic": True,
                            "source": "bench",
                        }
                    )
            for office_id, eid in offices[:20] if ind == indicator_ids[0] else []:
                for day in weeks:
                    obs.append(
                        {
                            "indicator_id": ind,
                            "entity_id": eid,
                            "office_id": office_id,
                            "period_end": day,
                            "scenario": "actual",
                            "plan_version_id": None,
                            "value": Decimal(rng.randint(1, 10**6)),
                            "is_synthetic": True,
                            "source": "bench",
                        }
                    )
        bulk_insert(s.connection(), models.Observation.__table__, obs)
        counts["observations"] = len(obs)
        coop = entity_ids["SMARTCOOP"]
        office_ids = [o for o, e in offices if e == coop]
        snapshots = weeks[-weeks_of_receivables:]
        items = 0
        for as_of in snapshots:
            batch = []
            for i in range(items_per_week):
                due = as_of - dt.timedelta(days=rng.randint(-60, 400))
                batch.append(
                    {
                        "as_of": as_of,
                        "entity_id": coop,
                        "office_id": rng.choice(office_ids),
                        "client": f"Client {rng.randint(1, 30000)}",
                        "invoice_no": f"B{as_of:%y%m%d}{i:06d}",
                        "invoice_date": due - dt.timedelta(days=30),
                        "due_date": due,
                        "amount_open": Decimal(rng.randint(100, 5_000_000)) / 100,
                        "is_synthetic": True,
                        "source": "bench",
                    }
                )
            bulk_insert(s.connection(), models.ReceivableItem.__table__, batch)
            items += len(batch)
        refresh_ageing(s, [(coop, d) for d in snapshots])
        counts["receivable_items"] = items
    return counts


def time_views(engine, as_of: dt.date) -> dict[str, float]:
    """The bare time of each page's views: its SQL and the assembly of what it shows, no Streamlit."""
    with session_scope(engine) as s:
        version = queries.version_in_force(session=s, on=as_of)
    f = Filters(None, as_of, "previous", version)
    calls = {
        "overview": lambda s: rules_views.attention_items(
            session=s, filters=f, tiles=overview_views.overview_tiles(session=s, filters=f)
        ),
        "equity": lambda s: [
            equity_views.equity_view(session=s, filters=f, entity=c, entity_name=c)
            for c in ("SMARTFR", "GRANDSENSEMBLE", "ALTERNA")
        ],
        "funding": lambda s: funding_views.funding_view(session=s, filters=f, definition=funding_views.OnePlusOneDefinition()),
        "headcount": lambda s: people_views.headcount_view(
            session=s, filters=f, entities=["SMARTFR", "GRANDSENSEMBLE", "ALTERNA"]
        ),
        "membership": lambda s: people_views.membership_view(session=s, filters=f),
        "receivables": lambda s: (
            receivables_views.receivables_view(session=s, entity="SMARTCOOP", as_of=as_of),
            queries.largest_overdue_clients(session=s, entity="SMARTCOOP", as_of=as_of),
        ),
        "execution": lambda s: [
            execution_views.execution_view(session=s, filters=f, entity=c, entity_name=c, plan_adopted_on=None)
            for c in ("SMARTFR", "GRANDSENSEMBLE", "ALTERNA")
        ],
        "versions": lambda s: versions_views.versions_view(session=s),
    }
    out = {}
    for name, call in calls.items():
        with session_scope(engine) as s:
            start = time.perf_counter()
            call(s)
            out[name] = time.perf_counter() - start
    return out


def time_pages(url: str, warm_runs: int = 3) -> dict[str, tuple[float, float]]:
    """(cold, warm) seconds per page in AppTest: cold right after the caches are cleared, warm the median of the
    next `warm_runs` runs."""
    from streamlit.testing.v1 import AppTest

    from smartdash import cache

    os.environ["SMARTDASH_DATABASE_URL"] = url
    out = {}
    for page in PAGES:
        cache.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["auth_login"] = "bench"
        at.session_state["auth_last_seen"] = dt.datetime.now(dt.UTC)
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        cache.clear()
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        runs = []
        for _ in range(warm_runs):  # warm runs take tens of milliseconds: the median of three, not one sample
            start = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - start)
        warm = sorted(runs)[len(runs) // 2]
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        out[page] = (cold, warm)
    return out


def deck_time(engine, as_of: dt.date) -> tuple[float, int]:
    from smartdash.export.slides import build_deck

    with session_scope(engine) as s:
        version = queries.version_in_force(session=s, on=as_of)
    build_deck(engine, filters=Filters(None, as_of, "previous", version), role="viewer")  # starts the chart renderer
    start = time.perf_counter()
    _data, info = build_deck(engine, filters=Filters(None, as_of, "previous", version), role="viewer")
    return time.perf_counter() - start, len(info.titles)


def run(label: str, server_url: str | None, args) -> dict:
    as_of = dt.date(2026, 11, 22)
    print(f"\n== {label}")
    demo_url, demo = new_store(server_url)
    scale_url, scale = new_store(server_url)
    start = time.perf_counter()
    sizes = add_scale(
        scale,
        **(
            dict(years=2, indicators=10, items_per_week=1000, weeks_of_receivables=8)
            if args.quick
            else dict(years=10, indicators=60, items_per_week=10_000, weeks_of_receivables=520)
        ),
    )
    print(f"scale set: {sizes} added in {time.perf_counter() - start:.0f} s")
    views = {"demo": time_views(demo, as_of), "scale": time_views(scale, as_of)}
    warm_runs = 1 if args.quick else 3
    pages = {"demo": time_pages(demo_url, warm_runs), "scale": time_pages(scale_url, warm_runs)}
    print(
        f"{'page':<12} {'demo cold':>9} {'demo warm':>9} {'scale cold':>10} {'scale warm':>10} "
        f"{'view (bare)':>11} {'warm÷bare':>9} {'scale÷demo':>10}"
    )
    worst = {"warm": 0.0, "cold": 0.0, "scale_over_demo": 0.0, "page_over_view": 0.0}
    for page in PAGES:
        dc, dw = pages["demo"][page]
        sc, sw = pages["scale"][page]
        bare = views["scale"].get(page)
        ratio = sw / dw if dw else float("nan")
        over = sw / bare if bare else float("nan")
        worst["warm"], worst["cold"] = max(worst["warm"], sw), max(worst["cold"], sc)
        worst["scale_over_demo"] = max(worst["scale_over_demo"], ratio)
        if bare:
            worst["page_over_view"] = max(worst["page_over_view"], over)
        print(
            f"{page:<12} {dc:9.3f} {dw:9.3f} {sc:10.3f} {sw:10.3f} "
            f"{(f'{bare:.3f}' if bare else '—'):>11} {(f'{over:.1f}' if bare else '—'):>9} {ratio:10.2f}"
        )
    # in a process of its own: after writing millions of rows this one carries their garbage, which is not the
    # import's cost
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "import_throughput.py"),
        "--rows",
        str(5_000 if args.quick else 200_000),
        "--only-postgres" if server_url else "--only-sqlite",
        "--xlsx",
    ]
    if server_url:
        command += ["--postgres", server_url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    print(output, end="")
    found = re.search(r"import rows/s: median (\d+), slowest run (\d+)", output)
    worst["import_median"], worst["import_slowest"] = (int(found[1]), int(found[2])) if found else (0, 0)
    seconds, slides = deck_time(demo, as_of)
    print(f"deck: {slides} slides in {seconds:.2f} s")
    worst["deck"] = seconds
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a reduced scale set, one warm run a page, 5 000 rows imported: a smoke test"
    )
    parser.add_argument("--postgres", help="also on this PostgreSQL server")
    args = parser.parse_args()
    results = {"SQLite": run("SQLite", None, args)}
    if args.postgres:
        results["PostgreSQL"] = run("PostgreSQL", args.postgres, args)
    summary = []
    for label, worst in results.items():
        import_target = f"≥ {TARGETS['import']}" if label == "SQLite" else "no target on PostgreSQL"
        summary.append(
            f"{label}: worst warm {worst['warm']:.3f} s (target ≤ {TARGETS['warm']}), worst cold "
            f"{worst['cold']:.3f} s (≤ {TARGETS['cold']}), worst scale÷demo warm "
            f"{worst['scale_over_demo']:.2f} (≤ {TARGETS['scale_over_demo']}), worst page÷view "
            f"{worst['page_over_view']:.1f}, import {worst['import_median']} rows/s median, "
            f"{worst['import_slowest']} slowest run ({import_target}), deck {worst['deck']:.2f} s "
            f"(≤ {TARGETS['deck']})"
        )
    print("\nSUMMARY " + " | ".join(summary))


if __name__ == "__main__":
    main()
