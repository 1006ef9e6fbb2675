"""The demo's written data: what a person typed rather than a generator made, read from `data/demo/`.

Each file is in its dataset's import format and is read by the importer's own parser. It holds the documents'
figures, each row naming its document and the place in it (`source`), and the few fictitious records written by
hand (the June 2024 revision of the plan, the creditors' claims), flagged `synthetique`. The indicator catalogue,
the entities, offices and instruments are data files too. A dataset with no such row has no file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from smartdash import formats
from smartdash.config import DEMO_DIR

Record = dict[str, Any]


def demo_file_name(kind: str) -> str:
    """The file name of a dataset in the demo: its format's stem, `.csv`."""
    return f"{formats.DATASETS[kind].file_stem}.csv"


@dataclass(frozen=True)
class Sources:
    """The written records of every dataset, in file order (column names as in the file formats)."""

    records: dict[str, list[Record]]

    def rows(self, kind: str) -> list[Record]:
        """The written records of `kind` (a copy of each, so that a generator may extend them)."""
        return [dict(r) for r in self.records.get(kind, ())]

    def figure(self, code: str) -> Decimal:
        """The value of a source figure (`chiffres_sources.csv`) by its code."""
        return _one(self.records["source_figures"], f"source figure {code}", code=code)["valeur"]

    def observed(self, indicator: str, entity: str, day: dt.date) -> Decimal:
        """The documented actual value of an indicator for an entity at a period end (`observations.csv`)."""
        return _one(
            self.records["observations"],
            f"observation {indicator} {entity} {day}",
            indicateur=indicator,
            entite=entity,
            fin_periode=day,
            scenario="actual",
        )["valeur"]


def _one(records: list[Record], what: str, **match: Any) -> Record:
    found = [r for r in records if all(r[k] == v for k, v in match.items())]
    if len(found) != 1:
        raise LookupError(f"the demo data has {len(found)} rows for {what}, expected one")
    return found[0]


def read_sources(directory: Path = DEMO_DIR) -> Sources:
    """Every data file of `directory` parsed as the importer parses it; a file with a problem is refused, each
    problem naming file, row and column."""
    records: dict[str, list[Record]] = {}
    problems: list[formats.Problem] = []
    for kind in formats.LOAD_ORDER:
        path = directory / demo_file_name(kind)
        if not path.exists():
            continue
        parsed = formats.parse_file(str(path), path.read_bytes(), kind)
        problems += parsed.problems
        records[kind] = [{k: v for k, v in row.items() if not k.startswith("_raw_")} for row in parsed.rows]
    if problems:
        raise formats.FileRefused(problems)
    return Sources(records)
