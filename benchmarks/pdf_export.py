"""Printed board pack (A4 PDF) build time on the demo data set (target: 1,5 s once its charts are drawn). Prints its
figures: the whole build (wall and the process's CPU time, all its threads: what holds on a shared machine), and how it splits
between the content (views and SVG charts) and Typst's typesetting.
The chart images are kept in a folder of the benchmark's own (smartdash.export.chart_images): the first run draws
them, the next runs of the same data find them.

    python benchmarks/pdf_export.py [--runs 3] [--lang fr|en]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["SMARTDASH_CHART_CACHE"] = tempfile.mkdtemp()  # the first run draws every chart, whatever ran before

from pypdf import PdfReader  # noqa: E402

from smartdash import schema  # noqa: E402
from smartdash.db import make_engine, session_scope  # noqa: E402
from smartdash.demo import load_demo  # noqa: E402
from smartdash.export.pdf import compose, render  # noqa: E402
from smartdash.queries import latest_data_date, version_in_force  # noqa: E402
from smartdash.views import Filters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run: a smoke test of the benchmark")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
    schema.upgrade(engine)
    load_demo(engine)
    with session_scope(engine) as s:
        filters = Filters(None, latest_data_date(session=s), "previous", version_in_force(session=s), args.lang)
    for run in range(1, args.runs + 1):
        start, cpu = time.perf_counter(), time.process_time()
        pack = compose(engine, filters=filters, role="viewer")
        composed = time.perf_counter()
        data = render(pack)
        done, cpu = time.perf_counter(), time.process_time() - cpu
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(
            f"run {run}: {pages} pages, {len(pack.charts)} charts, {len(data) / 1024:.0f} KiB, "
            f"{done - start:.2f} s, CPU {cpu:.2f} s (content {composed - start:.2f} s, typesetting {done - composed:.2f} s)"
            + ("  (first run: starts the offline chart renderer, draws every chart)" if run == 1 else "  (charts kept)")
            + " — target ≤ 1,5 s once the charts are drawn"
        )


if __name__ == "__main__":
    main()
