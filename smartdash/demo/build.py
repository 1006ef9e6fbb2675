"""The demo data set assembled: the written data files with the history generated around them, loaded through the
import path like any user file."""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import Engine

from smartdash import formats
from smartdash.config import DEMO_DIR
from smartdash.demo.sources import Record, demo_file_name, read_sources
from smartdash.demo.synthetic import SEED, History
from smartdash.importing import LoadResult, import_files

DEMO_USER = "démo"

# datasets whose written rows come first, as they are; the generator places those of funding, headcount, membership
AS_WRITTEN = (
    "entities",
    "offices",
    "indicators",
    "instruments",
    "plan_versions",
    "source_figures",
    "observations",
    "creditor_claims",
    "plan_targets",
)


def build_demo(directory: Path = DEMO_DIR, *, seed: int = SEED) -> dict[str, list[Record]]:
    """Every demo file's records (column names as in the file formats), in load order: the rows written in
    `directory` and the synthetic history generated from `seed`."""
    sources = read_sources(directory)
    files: dict[str, list[Record]] = {kind: [] for kind in formats.LOAD_ORDER}
    for kind in AS_WRITTEN:
        files[kind] += sources.rows(kind)
    History(sources, files, seed).generate()
    return files


@functools.lru_cache(maxsize=2)
def _demo_texts(directory: Path) -> tuple[tuple[str, str], ...]:
    return tuple(
        (demo_file_name(kind), formats.write_csv(formats.DATASETS[kind], records))
        for kind, records in build_demo(directory).items()
    )


def demo_files(directory: Path = DEMO_DIR) -> list[tuple[str, bytes]]:
    """The complete demo files in load order, as (name, content): what `load_demo` loads."""
    return [(name, text.encode("utf-8")) for name, text in _demo_texts(directory)]


def write_demo(directory: Path) -> list[Path]:
    """Write the complete demo data set as CSV files in the documented format; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in _demo_texts(DEMO_DIR):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def load_demo(engine: Engine, directory: Path = DEMO_DIR) -> list[LoadResult]:
    """Load the demo data set through the import path, in one transaction; loading it twice changes nothing."""
    return import_files(engine, demo_files(directory), loaded_by=DEMO_USER)
