"""The demo data set: the source documents' figures, and synthetic history where they have none.

The figures of the documents (`shared/reference/figures.md`) are data, written once under `data/demo/` in the
import formats with their document and place as source, next to the indicator catalogue and the other reference
files (`sources`). Where the documents give no history (weekly values since 2021, the French entities' actuals, open
receivable items, meetings), values are generated from a fixed seed around those figures, and every such row is
flagged synthetic (`synthetic`). `build` assembles both; `load_demo()` loads them through the same loader as any
user file, and `python -m smartdash demo-data --out DIR` writes the complete files.
"""

from smartdash.demo.build import AS_WRITTEN, DEMO_USER, build_demo, demo_files, load_demo, write_demo
from smartdash.demo.sources import Sources, demo_file_name, read_sources
from smartdash.demo.synthetic import (
    DEMO_END,
    PLAN,
    PLAN_2021,
    PLAN_2024,
    REPORT,
    REPORT_DAY,
    SEED,
    SYNTHETIC,
    History,
    month_end,
    month_ends,
    week_ends,
)

__all__ = [
    "AS_WRITTEN",
    "DEMO_END",
    "DEMO_USER",
    "PLAN",
    "PLAN_2021",
    "PLAN_2024",
    "REPORT",
    "REPORT_DAY",
    "SEED",
    "SYNTHETIC",
    "History",
    "Sources",
    "build_demo",
    "demo_file_name",
    "demo_files",
    "load_demo",
    "month_end",
    "month_ends",
    "read_sources",
    "week_ends",
    "write_demo",
]
