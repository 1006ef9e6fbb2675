"""Plan versions: what each version targets, and how the targets moved from one version to the next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartdash import models as m
from smartdash import queries
from smartdash.metrics.equity import first_plan_year_positive, plan_never_negative
from smartdash.metrics.versions import adopted_after
from smartdash.views.equity import stated_target


@dataclass(frozen=True)
class VersionsView:
    versions: pd.DataFrame  # code, name, status, adopted_on, adopted_by, note, is_synthetic — oldest first
    milestones: pd.DataFrame  # entity, version, break_even_year (as stated), equity_positive_year, plan_end_year
    targets: pd.DataFrame  # queries.plan_targets(): what each version states in words
    target_drift: pd.DataFrame  # indicator, entity, period_end, unit, before_version, before, after_version, after
    funding_drift: pd.DataFrame  # code, contributor, beneficiary, before_version, before_amount, before_date, ...


def ordered_versions(*, session: Session) -> pd.DataFrame:
    """Versions oldest first: the plan as adopted, then its revisions (drafts last)."""
    v = m.PlanVersion
    rows = session.execute(
        select(v.code, v.name, v.status, v.adopted_on, v.adopted_by, v.note, v.is_synthetic).order_by(
            (v.status == "draft"), v.adopted_on.is_not(None), v.adopted_on, v.id
        )
    ).all()
    return queries.frame(rows, ["code", "name", "status", "adopted_on", "adopted_by", "note", "is_synthetic"])


def _plan_values(session: Session, version: str) -> pd.DataFrame:
    o, i, e = m.Observation, m.Indicator, m.Entity
    rows = session.execute(
        select(i.code, i.label_fr, i.label_en, i.unit, e.code, e.name, o.period_end, o.value, o.is_synthetic, o.source, o.load_id)
        .join(i, i.id == o.indicator_id)
        .join(e, e.id == o.entity_id)
        .join(m.PlanVersion, m.PlanVersion.id == o.plan_version_id)
        .where(m.PlanVersion.code == version, o.office_id.is_(None))
    ).all()
    return queries.sourced(
        session,
        rows,
        ["indicator", "label_fr", "label_en", "unit", "entity", "entity_name", "period_end", "value", "is_synthetic", "source"],
    )


def _origin_of(rows) -> tuple[bool, str | None]:
    """The origin of a figure drawn from several rows: synthetic when any is, with their distinct sources."""
    rows = list(rows)
    sources = sorted({s for _, s in rows if isinstance(s, str) and s})
    return any(bool(f) for f, _ in rows), " ; ".join(sources) or None


def target_drift(*, session: Session, versions: list[str]) -> pd.DataFrame:
    """Every plan value that changed between consecutive versions (or appeared, or was dropped), with the
    version that changed it. Columns: indicator, label_fr, label_en, unit, entity_name, period_end,
    before_version, before, after_version, after, is_synthetic, source (of the newer value, or of the dropped one)."""
    rows = []
    key = ["indicator", "label_fr", "label_en", "unit", "entity", "entity_name", "period_end"]
    for before, after in zip(versions, versions[1:], strict=False):
        a, b = _plan_values(session, before), _plan_values(session, after)
        both = a.merge(b, on=key, how="outer", suffixes=("_before", "_after"))
        for r in both.itertuples(index=False):
            vb = None if pd.isna(r.value_before) else r.value_before
            va = None if pd.isna(r.value_after) else r.value_after
            if vb != va:
                newer = va is not None
                rows.append(
                    {
                        "indicator": r.indicator,
                        "label_fr": r.label_fr,
                        "label_en": r.label_en,
                        "unit": r.unit,
                        "entity_name": r.entity_name,
                        "period_end": r.period_end,
                        "before_version": before,
                        "before": vb,
                        "after_version": after,
                        "after": va,
                        "is_synthetic": bool(r.is_synthetic_after if newer else r.is_synthetic_before),
                        "source": r.source_after if newer else r.source_before,
                    }
                )
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "label_fr",
            "label_en",
            "unit",
            "entity_name",
            "period_end",
            "before_version",
            "before",
            "after_version",
            "after",
            "is_synthetic",
            "source",
        ],
    )
    return frame.sort_values(["after_version", "indicator", "entity_name", "period_end"], ignore_index=True)


def funding_drift(*, session: Session, versions: list[str]) -> pd.DataFrame:
    """Funding lines whose planned amount or date changed between consecutive versions.
    Columns: code, contributor, beneficiary, before_version, before_amount, before_date, after_version,
    after_amount, after_date, is_synthetic, source (of the newer line, or of the dropped one)."""
    rows = []
    for before, after in zip(versions, versions[1:], strict=False):
        a = queries.contributions(session=session, plan_version=before).set_index("code")
        b = queries.contributions(session=session, plan_version=after).set_index("code")
        for code in sorted(set(a.index) | set(b.index)):
            ra, rb = (a.loc[code] if code in a.index else None), (b.loc[code] if code in b.index else None)
            amounts = (None if ra is None else ra["planned_amount"], None if rb is None else rb["planned_amount"])
            dates = (None if ra is None else ra["planned_date"], None if rb is None else rb["planned_date"])
            if amounts[0] != amounts[1] or dates[0] != dates[1]:
                line = rb if rb is not None else ra
                rows.append(
                    {
                        "code": code,
                        "contributor": line["contributor"],
                        "beneficiary": line["beneficiary"],
                        "before_version": before,
                        "before_amount": amounts[0],
                        "before_date": dates[0],
                        "after_version": after,
                        "after_amount": amounts[1],
                        "after_date": dates[1],
                        "is_synthetic": bool(line["is_synthetic"]),
                        "source": line["source"],
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "code",
            "contributor",
            "beneficiary",
            "before_version",
            "before_amount",
            "before_date",
            "after_version",
            "after_amount",
            "after_date",
            "is_synthetic",
            "source",
        ],
    )


def milestones(*, session: Session, versions: list[str]) -> pd.DataFrame:
    """Per entity and version: the break-even year as the version states it (None when it states none: never
    read off the planned results, which can turn positive for another reason, such as a waiver), the first
    year-end with planned equity ≥ 0 on the version's path, and the version's horizon; the origin of each
    (stated_synthetic/stated_source: the stated target's; path_synthetic/path_source: the equity path's)."""
    rows = []
    for version in versions:
        values = _plan_values(session, version)
        targets = queries.plan_targets(session=session, plan_version=version)
        horizon = stated_target(targets, "PLAN_END_YEAR", None)
        for entity, part in values.groupby("entity", sort=False):
            if "EQUITY" not in set(part["indicator"]):
                continue
            sel = part[part["indicator"] == "EQUITY"]
            stated = stated_target(targets, "BREAK_EVEN_YEAR", entity)
            path_synthetic, path_source = _origin_of(zip(sel["is_synthetic"], sel["source"], strict=True))
            path = {d.year: v for d, v in zip(sel["period_end"], sel["value"], strict=True)}
            rows.append(
                {
                    "entity": part["entity_name"].iloc[0],
                    "version": version,
                    "break_even_year": stated.year if stated else None,
                    "equity_positive_year": first_plan_year_positive(path),
                    "equity_never_negative": plan_never_negative(path),
                    "plan_end_year": horizon.year if horizon else max(d.year for d in part["period_end"]),
                    "stated_synthetic": stated.is_synthetic if stated else None,
                    "stated_source": stated.source if stated else None,
                    "path_synthetic": path_synthetic,
                    "path_source": path_source,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "entity",
            "version",
            "break_even_year",
            "equity_positive_year",
            "equity_never_negative",
            "plan_end_year",
            "stated_synthetic",
            "stated_source",
            "path_synthetic",
            "path_source",
        ],
    )


def versions_view(*, session: Session, known_at: dt.date | None = None, chosen: str | None = None) -> VersionsView:
    """The versions, their targets and drift; with `known_at`, only the versions adopted by that date (and `chosen`,
    the one the reader picked, whenever it was adopted)."""
    versions = ordered_versions(session=session)
    if known_at is not None:
        keep = [code == chosen or not adopted_after(versions, code, known_at) for code in versions["code"]]
        # a mask of rows, also when there are none (an empty list would select no columns instead)
        versions = versions[pd.Series(keep, index=versions.index, dtype=bool)].reset_index(drop=True)
    codes = list(versions["code"])
    targets = queries.plan_targets(session=session)
    return VersionsView(
        versions,
        milestones(session=session, versions=codes),
        targets[targets["plan_version"].isin(codes)].reset_index(drop=True),
        target_drift(session=session, versions=codes),
        funding_drift(session=session, versions=codes),
    )
