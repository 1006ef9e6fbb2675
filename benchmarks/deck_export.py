"""Board-pack build time on the demo data set (target: a 12-slide deck in 5 s at most). Prints its figures.

python benchmarks/deck_export.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartdash import schema  # noqa: E402
from smartdash.db import (
    make_engine,  # noqa: E402
    session_scope,  # noqa: E402
)
from smartdash.demo import load_demo  # noqa: E402
from smartdash.export.slides import build_deck  # noqa: E402
from smartdash.queries import latest_data_date, version_in_force  # noqa: E402
from smartdash.views import Filters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run: a smoke test of the benchmark")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
    schema.upgrade(engine)
    load_demo(engine)
    with session_scope(engine) as s:
        as_of = latest_data_date(session=s)
        filters = Filters(None, as_of, "previous", version_in_force(session=s, on=as_of))
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        data, info = build_deck(engine, filters=filters, role="viewer")
        elapsed = time.perf_counter() - start
        print(
            f"run {run}: {len(info.titles)} slides, {len(data) / 1024:.0f} KiB, {elapsed:.2f} s"
            + ("  (first run: starts the offline chart renderer)" if run == 1 else "")
            + " — target ≤ 5 s"
        )


if __name__ == "__main__":
    main()
