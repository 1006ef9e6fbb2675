"""Which plan version a date is compared with: the one in force on that date, not the newest one."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def _adopted(versions: pd.DataFrame) -> list[tuple[dt.date, str]]:
    """(adoption date, code) of the versions ever adopted (drafts left out), oldest first. A version whose adoption
    date is not recorded (the plan as first adopted, when its document does not date it) counts as the earliest."""
    rows = [
        (None if d is None or pd.isna(d) else d, code)
        for code, status, d in zip(versions["code"], versions["status"], versions["adopted_on"], strict=True)
        if status != "draft"
    ]
    return sorted(((d or dt.date.min, code) for d, code in rows), key=lambda r: r[0])


def version_in_force_on(versions: pd.DataFrame, day: dt.date) -> str | None:
    """The code of the plan version in force on `day`: the last one adopted on or before it. Before the first
    adoption, the first version (the plan the figures are measured against). None when no version was adopted.
    Input columns: code, status (draft / in_force / superseded), adopted_on."""
    adopted = _adopted(versions)
    if not adopted:
        return None
    in_force = [code for d, code in adopted if d <= day]
    return in_force[-1] if in_force else adopted[0][1]


def adopted_after(versions: pd.DataFrame, code: str | None, day: dt.date) -> bool:
    """True when version `code` was adopted after `day` (or is still a draft): figures of that date were not
    measured against it then."""
    # a walk over the columns, not a filtered frame: the sidebar asks for every version at every page run (2 ms each)
    for version, status, adopted_on in zip(versions["code"], versions["status"], versions["adopted_on"], strict=True):
        if version == code:
            if status == "draft":
                return True
            return adopted_on is not None and not pd.isna(adopted_on) and adopted_on > day
    return False


def superseded_by(versions: pd.DataFrame, code: str | None, day: dt.date) -> tuple[str, dt.date] | None:
    """(code, adoption date) of the version that replaced version `code` on or before `day`, or None when `code`
    was still in force then (or not yet adopted, or a draft)."""
    adopted = _adopted(versions)
    mine = next((d for d, c in adopted if c == code), None)
    if mine is None or mine > day:
        return None
    later = [(d, c) for d, c in adopted if c != code and mine < d <= day]
    return (later[0][1], later[0][0]) if later else None


def status_on(versions: pd.DataFrame, code: str, day: dt.date) -> str:
    """A version's status as it stood on `day`: in_force (the one in force then), superseded (adopted before and
    replaced by then), later (adopted after that date) or draft. Input columns: code, status, adopted_on."""
    if adopted_after(versions, code, day):
        return "draft" if (versions.loc[versions["code"] == code, "status"] == "draft").any() else "later"
    return "in_force" if version_in_force_on(versions, day) == code else "superseded"
