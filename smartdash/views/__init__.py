"""What each page shows, assembled from queries and metrics: plain data, no streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal


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


@dataclass(frozen=True)
class Compared:
    """A figure now and at the sidebar's comparison point: `basis` the comparison it was read for (COMPARISONS),
    `then` the value at that point (None: nothing to compare with), `day` its date (the plan's: the figure's own
    period), `meeting_day` the last meeting's figures date when the basis is "meeting"."""

    basis: str
    now: Decimal | None
    then: Decimal | None
    day: dt.date | None
    meeting_day: dt.date | None = None

    @property
    def change(self) -> Decimal | None:
        """now − then, in the figure's unit (None when either is missing)."""
        return None if self.now is None or self.then is None else self.now - self.then


def point_compared(
    points: Sequence[tuple[dt.date, Decimal]], day: dt.date, compare: str, *, meeting_day: dt.date | None = None
) -> tuple[dt.date, Decimal] | None:
    """The point of a series ((date, value), oldest first) a figure dated `day` is compared with: the one before it
    ("previous"), the newest on or before the same day a year earlier ("year"), the newest on or before the last
    meeting's figures date ("meeting"). None when there is none, and for "plan": the plan's value is the caller's."""
    if compare == "previous":
        before = [p for p in points if p[0] < day]
    elif compare == "year":
        before = [p for p in points if p[0] <= year_before(day)]
    elif compare == "meeting" and meeting_day is not None:
        before = [p for p in points if p[0] <= meeting_day]
    else:
        before = []
    return before[-1] if before else None


def compared(
    points: Sequence[tuple[dt.date, Decimal]],
    day: dt.date,
    compare: str,
    *,
    meeting_day: dt.date | None = None,
    plan: Decimal | None = None,
) -> Compared:
    """The figure of `points` dated `day` set beside its comparison point (`point_compared`), or beside `plan`, the
    plan's value for the same period, when the comparison is the plan."""
    now = next((v for d, v in points if d == day), None)
    if compare == "plan":
        return Compared("plan", now, plan, day if plan is not None else None)
    point = point_compared(points, day, compare, meeting_day=meeting_day)
    return Compared(
        compare,
        now,
        None if point is None else point[1],
        None if point is None else point[0],
        meeting_day if compare == "meeting" else None,
    )


def sources_of(*columns) -> list[str]:
    """The distinct source texts of one or more columns, sorted; missing values (None, NaN) left out."""
    return sorted({value for column in columns for value in column if isinstance(value, str) and value})


__all__ = ["COMPARISONS", "Compared", "Filters", "compared", "point_compared", "sources_of", "year_before"]
