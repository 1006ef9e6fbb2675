"""A file's header and rows as read, before any column is checked: what every table reader gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from smartdash import i18n
from smartdash.formats.cells import thousands
from smartdash.formats.spec import FileRefused, Problem
from smartdash.i18n import N_, Text


def _normal_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().lower().lstrip("\ufeff"))


class Table(NamedTuple):
    """A file's header and rows, with each row's spreadsheet line number (blank lines are skipped, not renumbered)."""

    header: list[str]
    rows: list[list[Any]]
    lines: list[int]


def _table(name: str, rows: list[list[Any]], blank: Callable[[list], bool] | None, what: Text | str) -> Table:
    numbered = list(range(1, len(rows) + 1))
    if blank is not None:
        kept = [i for i, row in enumerate(rows) if not blank(row)]
        rows, numbered = [rows[i] for i in kept], [numbered[i] for i in kept]
    if not rows:
        raise FileRefused([Problem(name, None, None, None, what)])
    return Table(rows[0], rows[1:], numbered[1:])


def too_many_rows(name: str, max_rows: int) -> FileRefused:
    return FileRefused(
        [
            Problem(
                name,
                None,
                None,
                i18n.text(N_("more than {count} rows"), count=thousands(max_rows)),
                i18n.text(N_("a file of {count} rows at most"), count=thousands(max_rows)),
            )
        ]
    )
