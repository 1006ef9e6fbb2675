"""Reads from the store: select() → plain Python values or DataFrames. No streamlit here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from smartdash import models as m


@dataclass(frozen=True)
class Figure:
    """One figure as shown: its value in `unit`, as-of date and provenance."""

    key: str
    entity: str
    value: Decimal
    unit: str
    as_of: dt.date
    is_synthetic: bool
    source: str | None
    detail: Decimal | None = None


def entities(*, session: Session) -> pd.DataFrame:
    """Columns: code, name, country, under_plan — in display order."""
    rows = session.execute(
        select(m.Entity.code, m.Entity.name, m.Entity.country, m.Entity.under_plan).order_by(m.Entity.sort_order)
    ).all()
    return pd.DataFrame(rows, columns=["code", "name", "country", "under_plan"])


def latest_actual(*, session: Session, indicator: str, entity: str) -> Figure | None:
    """The newest actual value of an indicator for a whole entity (no office), or None."""
    row = session.execute(
        select(m.Observation.value, m.Observation.period_end, m.Observation.is_synthetic, m.Observation.source,
               m.Indicator.unit, m.Entity.name)
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .join(m.Entity, m.Entity.id == m.Observation.entity_id)
        .where(m.Indicator.code == indicator, m.Entity.code == entity, m.Observation.scenario == "actual",
               m.Observation.office_id.is_(None))
        .order_by(m.Observation.period_end.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    value, day, synthetic, source, unit, name = row
    return Figure(indicator, name, value, unit, day, synthetic, source)


def latest_headcount(*, session: Session, entity: str, population: str) -> Figure | None:
    """The newest actual headcount of a population (staff or salaried members) of an entity, or None."""
    row = session.execute(
        select(m.Headcount.headcount, m.Headcount.period_end, m.Headcount.is_synthetic, m.Headcount.source,
               m.Entity.name)
        .join(m.Entity, m.Entity.id == m.Headcount.entity_id)
        .where(m.Entity.code == entity, m.Headcount.population == population, m.Headcount.scenario == "actual")
        .order_by(m.Headcount.period_end.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    count, day, synthetic, source, name = row
    return Figure(f"headcount_{population}", name, Decimal(count), "count", day, synthetic, source)


def latest_receivables(*, session: Session, entity: str) -> Figure | None:
    """Open receivables of an entity at its newest snapshot (€), with the past-due part as `detail`."""
    ageing = m.ReceivableAgeing
    entity_id = select(m.Entity.id).where(m.Entity.code == entity).scalar_subquery()
    as_of = session.scalar(select(func.max(ageing.as_of)).where(ageing.entity_id == entity_id))
    if as_of is None:
        return None
    rows = session.execute(
        select(ageing.bucket, func.sum(ageing.amount), func.max(ageing.is_synthetic.cast(Integer)))
        .where(ageing.entity_id == entity_id, ageing.as_of == as_of)
        .group_by(ageing.bucket)
    ).all()
    total = sum((amount for _b, amount, _s in rows), Decimal(0))
    overdue = sum((amount for bucket, amount, _s in rows if bucket != "not_due"), Decimal(0))
    synthetic = any(bool(s) for _b, _a, s in rows)
    name = session.scalar(select(m.Entity.name).where(m.Entity.code == entity))
    source = "Pré-agrégat des créances ouvertes (table receivable_ageing)"
    return Figure("receivables_open", name, total, "EUR", as_of, synthetic, source, detail=overdue)


HEADLINES = (
    ("equity", "EQUITY", "SMARTFR"),
    ("equity", "EQUITY", "GRANDSENSEMBLE"),
    ("quasi_equity", "QUASI_EQUITY", "GRANDSENSEMBLE"),
    ("net_cash", "CASH_NET", "SMARTFR"),
)


def headline_figures(*, session: Session) -> list[Figure]:
    """The home page's figures: equity and quasi-equity side by side (never summed), net cash,
    salaried members, open and past-due receivables. Missing figures are left out."""
    figures: list[Figure] = []
    for key, indicator, entity in HEADLINES:
        figure = latest_actual(session=session, indicator=indicator, entity=entity)
        if figure:
            figures.append(Figure(key, figure.entity, figure.value, figure.unit, figure.as_of, figure.is_synthetic,
                                  figure.source))
    members = latest_headcount(session=session, entity="SMARTCOOP", population="members")
    if members:
        figures.append(Figure("salaried_members", members.entity, members.value, "count", members.as_of,
                              members.is_synthetic, members.source))
    receivables = latest_receivables(session=session, entity="SMARTCOOP")
    if receivables:
        figures.append(receivables)
    return figures


def synthetic_share(*, session: Session) -> Decimal:
    """Share of observation rows flagged synthetic (0–1); 0 for an empty store."""
    total, synthetic = session.execute(
        select(func.count(), func.sum(m.Observation.is_synthetic.cast(Integer)))
    ).one()
    return Decimal(synthetic or 0) / Decimal(total) if total else Decimal(0)
