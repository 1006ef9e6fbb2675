"""What each page shows, assembled from queries and metrics: plain data, no streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Filters:
    """The shared sidebar's choices: entity code (None: every entity under the plan), as-of date,
    comparison point (previous / year / meeting / plan), plan version code, language."""

    entity: str | None
    as_of: dt.date
    compare: str
    plan_version: str | None
    lang: str = "fr"

    @property
    def data(self) -> Filters:
        """These choices without the reader's language: all a view depends on (views never read `lang`; the
        functions of smartdash.present do), so French and English readers share one cached view."""
        return replace(self, lang="")


COMPARISONS = ("previous", "year", "meeting", "plan")  # previous period, same period a year earlier, last meeting, plan


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for a 29 February): the "same period last year" of a figure."""
    return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else dt.date(day.year - 1, 2, 28)


def sources_of(*columns) -> list[str]:
    """The distinct source texts of one or more columns, sorted; missing values (None, NaN) left out."""
    return sorted({value for column in columns for value in column if isinstance(value, str) and value})


__all__ = ["COMPARISONS", "Filters", "sources_of", "year_before"]
