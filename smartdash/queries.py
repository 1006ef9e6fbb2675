"""Reads from the store: select() → plain Python values or DataFrames. No streamlit here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import Integer, and_, case, func, null, select, type_coerce
from sqlalchemy.orm import Session

from smartdash import models as m
from smartdash import provenance
from smartdash.metrics.versions import version_in_force_on


def entities(*, session: Session) -> pd.DataFrame:
    """Columns: code, name, country, under_plan — in display order."""
    rows = session.execute(
        select(m.Entity.code, m.Entity.name, m.Entity.country, m.Entity.under_plan).order_by(m.Entity.sort_order)
    ).all()
    return pd.DataFrame(rows, columns=["code", "name", "country", "under_plan"])


def frame(rows, columns: list[str]) -> pd.DataFrame:
    """SQL result rows as a DataFrame with these column names."""
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def sourced(session: Session, rows, columns: list[str]) -> pd.DataFrame:
    """Fact rows whose last column is their load's id: a row loaded from a file that named no source gets the file,
    who loaded it and when as its source (smartdash.provenance); the load id is then dropped."""
    result = frame(rows, [*columns, "load_id"])
    missing = result["source"].isna() & result["load_id"].notna()
    if missing.any():
        ids = sorted({int(i) for i in result.loc[missing, "load_id"]})
        loads = {
            i: provenance.loaded_file_source(name, by, at)
            for i, name, by, at in session.execute(
                select(m.DataLoad.id, m.DataLoad.file_name, m.DataLoad.loaded_by, m.DataLoad.loaded_at).where(
                    m.DataLoad.id.in_(ids)
                )
            ).all()
        }
        result.loc[missing, "source"] = [loads.get(int(i)) for i in result.loc[missing, "load_id"]]
    return result.drop(columns="load_id")


def plan_versions(*, session: Session) -> pd.DataFrame:
    """Columns: code, name, status (draft / in_force / superseded), adopted_on, is_synthetic — newest first."""
    rows = session.execute(
        select(
            m.PlanVersion.code,
            m.PlanVersion.name,
            m.PlanVersion.status,
            m.PlanVersion.adopted_on,
            m.PlanVersion.is_synthetic,
            m.PlanVersion.note,
        ).order_by(m.PlanVersion.adopted_on.desc().nulls_last(), m.PlanVersion.id.desc())
    ).all()
    return frame(rows, ["code", "name", "status", "adopted_on", "is_synthetic", "note"])


def version_in_force(*, session: Session, on: dt.date | None = None) -> str | None:
    """The code of the plan version in force today, or on the date `on` (the last one adopted by then); None when
    there is none."""
    if on is not None:
        return version_in_force_on(plan_versions(session=session), on)
    return session.scalar(select(m.PlanVersion.code).where(m.PlanVersion.status == "in_force").limit(1))


def plan_targets(*, session: Session, plan_version: str | None = None) -> pd.DataFrame:
    """The targets plan versions state in words, as stated. Columns: plan_version, entity (code, None: every
    entity under the plan), target, value (in `unit`), unit, from_year, statement_fr, statement_en, is_synthetic,
    source."""
    t, v = m.PlanTarget, m.PlanVersion
    q = (
        select(
            v.code,
            m.Entity.code,
            t.target,
            t.value,
            t.unit,
            t.from_year,
            t.statement_fr,
            t.statement_en,
            t.is_synthetic,
            t.source,
        )
        .join(v, v.id == t.plan_version_id)
        .outerjoin(m.Entity, m.Entity.id == t.entity_id)
        .order_by(v.id, t.target, m.Entity.sort_order)
    )
    if plan_version is not None:
        q = q.where(v.code == plan_version)
    return frame(
        session.execute(q).all(),
        [
            "plan_version",
            "entity",
            "target",
            "value",
            "unit",
            "from_year",
            "statement_fr",
            "statement_en",
            "is_synthetic",
            "source",
        ],
    )


def indicators(*, session: Session, key_only: bool = False) -> pd.DataFrame:
    """The active catalogue. Columns: code, label_fr, label_en, unit, direction, frequency, threshold_mode,
    amber, red, is_key, owner, description."""
    q = (
        select(
            m.Indicator.code,
            m.Indicator.label_fr,
            m.Indicator.label_en,
            m.Indicator.unit,
            m.Indicator.direction,
            m.Indicator.frequency,
            m.Indicator.threshold_mode,
            m.Indicator.amber_threshold,
            m.Indicator.red_threshold,
            m.Indicator.is_key,
            m.Indicator.owner,
            m.Indicator.description,
        )
        .where(m.Indicator.active.is_(True))
        .order_by(m.Indicator.sort_order, m.Indicator.code)
    )
    if key_only:
        q = q.where(m.Indicator.is_key.is_(True))
    return frame(
        session.execute(q).all(),
        [
            "code",
            "label_fr",
            "label_en",
            "unit",
            "direction",
            "frequency",
            "threshold_mode",
            "amber",
            "red",
            "is_key",
            "owner",
            "description",
        ],
    )


OBS_COLUMNS = ["indicator", "entity", "period_end", "value", "is_synthetic", "source"]


def observations(
    *,
    session: Session,
    indicators: list[str],
    entities: list[str] | None = None,
    scenario: str = "actual",
    plan_version: str | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Entity-level values (no office) of indicators in a scenario, oldest first.
    Columns: indicator, entity (code), period_end, value (indicator's unit), is_synthetic, source.
    Plan values are those of `plan_version`."""
    q = (
        select(
            m.Indicator.code,
            m.Entity.code,
            m.Observation.period_end,
            m.Observation.value,
            m.Observation.is_synthetic,
            m.Observation.source,
            m.Observation.load_id,
        )
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .join(m.Entity, m.Entity.id == m.Observation.entity_id)
        .where(m.Indicator.code.in_(indicators), m.Observation.scenario == scenario, m.Observation.office_id.is_(None))
        .order_by(m.Entity.sort_order, m.Observation.period_end)
    )
    if entities is not None:
        q = q.where(m.Entity.code.in_(entities))
    if plan_version is not None:
        q = q.join(m.PlanVersion, m.PlanVersion.id == m.Observation.plan_version_id).where(m.PlanVersion.code == plan_version)
    if until is not None:
        q = q.where(m.Observation.period_end <= until)
    return sourced(session, session.execute(q).all(), OBS_COLUMNS)


def contributions(*, session: Session, plan_version: str, known_at: dt.date | None = None) -> pd.DataFrame:
    """Funding lines of a plan version. Columns: code, contributor, contributor_class, beneficiary (code),
    instrument, instrument_fr, instrument_en, equity_class, counts_one_plus_one, period_label, planned_date,
    date_precision (day / year: due by the year's end), planned_amount (€), status, received_date, received_amount
    (€), condition, condition_status, note, is_synthetic, source (the plan line's origin), received_is_synthetic,
    received_source (the receipt's origin: its own where the file gives one, else the line's).

    With `known_at`, each line as it stood on that date: a receipt dated after it is not known yet (the line is
    "planned", without received date or amount), whatever has been received since."""
    f, i, e = m.FundingContribution, m.FundingInstrument, m.Entity
    status, received_date, received_amount = f.status, f.received_date, f.received_amount
    if known_at is not None:
        later = and_(f.received_date.is_not(None), f.received_date > known_at)
        status = case((and_(f.status == "received", later), "planned"), else_=f.status)
        received_date = type_coerce(case((later, null()), else_=f.received_date), f.received_date.type)
        received_amount = type_coerce(case((later, null()), else_=f.received_amount), f.received_amount.type)
    rows = session.execute(
        select(
            f.code,
            f.contributor,
            f.contributor_class,
            e.code,
            i.code,
            i.label_fr,
            i.label_en,
            i.equity_class,
            i.counts_one_plus_one,
            f.period_label,
            f.planned_date,
            f.date_precision,
            f.planned_amount,
            status,
            received_date,
            received_amount,
            f.condition,
            f.condition_status,
            f.note,
            f.received_is_synthetic,
            f.received_source,
            f.is_synthetic,
            f.source,
            f.load_id,
        )
        .join(i, i.id == f.instrument_id)
        .join(e, e.id == f.beneficiary_id)
        .join(m.PlanVersion, m.PlanVersion.id == f.plan_version_id)
        .where(m.PlanVersion.code == plan_version)
        .order_by(e.sort_order, f.planned_date, f.code)
    ).all()
    lines = sourced(
        session,
        rows,
        [
            "code",
            "contributor",
            "contributor_class",
            "beneficiary",
            "instrument",
            "instrument_fr",
            "instrument_en",
            "equity_class",
            "counts_one_plus_one",
            "period_label",
            "planned_date",
            "date_precision",
            "planned_amount",
            "status",
            "received_date",
            "received_amount",
            "condition",
            "condition_status",
            "note",
            "received_is_synthetic",
            "received_source",
            "is_synthetic",
            "source",
        ],
    )
    # a receipt without an origin of its own has the line's; a generated one names no document
    generated = [r is not None and not pd.isna(r) and bool(r) for r in lines["received_is_synthetic"]]
    own = [r is not None and not pd.isna(r) for r in lines["received_is_synthetic"]]
    lines["received_source"] = [
        r if isinstance(r, str) and r else (None if g else src)
        for r, src, g in zip(lines["received_source"], lines["source"], generated, strict=True)
    ]
    lines["received_is_synthetic"] = [g if o else bool(f) for g, o, f in zip(generated, own, lines["is_synthetic"], strict=True)]
    return lines


def headcount(
    *,
    session: Session,
    entities: list[str] | None = None,
    scenario: str = "actual",
    plan_version: str | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Columns: entity, period_end, population (staff / members), headcount, fte, entries, exits,
    pse_departures, is_synthetic, source — oldest first."""
    h = m.Headcount
    q = (
        select(
            m.Entity.code,
            h.period_end,
            h.population,
            h.headcount,
            h.fte,
            h.entries,
            h.exits,
            h.pse_departures,
            h.is_synthetic,
            h.source,
            h.load_id,
        )
        .join(m.Entity, m.Entity.id == h.entity_id)
        .where(h.scenario == scenario)
        .order_by(m.Entity.sort_order, h.period_end)
    )
    if entities is not None:
        q = q.where(m.Entity.code.in_(entities))
    if plan_version is not None:
        q = q.join(m.PlanVersion, m.PlanVersion.id == h.plan_version_id).where(m.PlanVersion.code == plan_version)
    if until is not None:
        q = q.where(h.period_end <= until)
    return sourced(
        session,
        session.execute(q).all(),
        [
            "entity",
            "period_end",
            "population",
            "headcount",
            "fte",
            "entries",
            "exits",
            "pse_departures",
            "is_synthetic",
            "source",
        ],
    )


def membership(*, session: Session, until: dt.date | None = None) -> pd.DataFrame:
    """Columns: office (code), office_name, region, entity, period_end, members, societaires, advisers,
    is_synthetic, source — per office and period end."""
    ms, o = m.Membership, m.Office
    q = (
        select(
            o.code,
            o.name,
            o.region,
            m.Entity.code,
            ms.period_end,
            ms.members,
            ms.societaires,
            ms.advisers,
            ms.is_synthetic,
            ms.source,
            ms.load_id,
        )
        .join(o, o.id == ms.office_id)
        .join(m.Entity, m.Entity.id == o.entity_id)
        .order_by(ms.period_end, o.sort_order)
    )
    if until is not None:
        q = q.where(ms.period_end <= until)
    return sourced(
        session,
        session.execute(q).all(),
        [
            "office",
            "office_name",
            "region",
            "entity",
            "period_end",
            "members",
            "societaires",
            "advisers",
            "is_synthetic",
            "source",
        ],
    )


def ageing(*, session: Session, entity: str, until: dt.date | None = None, office: str | None = None) -> pd.DataFrame:
    """Open receivables per snapshot and ageing bucket (pre-aggregated at load).
    Columns: as_of, bucket, items, amount (€ incl. VAT), is_synthetic — oldest first."""
    a = m.ReceivableAgeing
    q = (
        select(a.as_of, a.bucket, func.sum(a.items), func.sum(a.amount), func.max(a.is_synthetic.cast(Integer)))
        .join(m.Entity, m.Entity.id == a.entity_id)
        .where(m.Entity.code == entity)
        .group_by(a.as_of, a.bucket)
        .order_by(a.as_of, a.bucket)
    )
    if until is not None:
        q = q.where(a.as_of <= until)
    if office is not None:
        q = q.join(m.Office, m.Office.id == a.office_id).where(m.Office.code == office)
    result = frame(session.execute(q).all(), ["as_of", "bucket", "items", "amount", "is_synthetic"])
    result["is_synthetic"] = result["is_synthetic"].astype(bool)
    return result


def ageing_by_office(*, session: Session, entity: str, as_of: dt.date) -> pd.DataFrame:
    """One snapshot per office and bucket. Columns: office_name (empty: no office), bucket, items, amount (€),
    is_synthetic."""
    a = m.ReceivableAgeing
    rows = session.execute(
        select(func.coalesce(m.Office.name, ""), a.bucket, a.items, a.amount, a.is_synthetic)
        .join(m.Entity, m.Entity.id == a.entity_id)
        .outerjoin(m.Office, m.Office.id == a.office_id)
        .where(m.Entity.code == entity, a.as_of == as_of)
        .order_by(m.Office.sort_order, a.bucket)
    ).all()
    return frame(rows, ["office_name", "bucket", "items", "amount", "is_synthetic"])


def receivable_origins(*, session: Session, entity: str, as_of: dt.date) -> pd.DataFrame:
    """Where the open items of one snapshot come from. Columns: is_synthetic, source — one row per distinct pair."""
    r = m.ReceivableItem
    rows = session.execute(
        select(r.is_synthetic, r.source, func.min(r.load_id))
        .join(m.Entity, m.Entity.id == r.entity_id)
        .where(m.Entity.code == entity, r.as_of == as_of)
        .group_by(r.is_synthetic, r.source)
    ).all()
    return sourced(session, rows, ["is_synthetic", "source"])


def entity_country(*, session: Session, entity: str) -> str | None:
    """The ISO country code of an entity (`fr`, `be`): whose law applies to it."""
    return session.scalar(select(m.Entity.country).where(m.Entity.code == entity))


def receivable_entities(*, session: Session) -> list[str]:
    """Codes of the entities that have receivables snapshots."""
    return list(
        session.scalars(
            select(m.Entity.code)
            .join(m.ReceivableAgeing, m.ReceivableAgeing.entity_id == m.Entity.id)
            .group_by(m.Entity.code, m.Entity.sort_order)
            .order_by(m.Entity.sort_order)
        )
    )


def receivable_credits(*, session: Session, entity: str, as_of: dt.date) -> tuple[int, Decimal]:
    """(count, total €) of a snapshot's negative open items: payments and credit notes not yet matched (lettered) to
    an invoice. They are credits, never past-due invoices."""
    r = m.ReceivableItem
    count, total = session.execute(
        select(func.count(), func.sum(r.amount_open))
        .join(m.Entity, m.Entity.id == r.entity_id)
        .where(m.Entity.code == entity, r.as_of == as_of, r.amount_open < 0)
    ).one()
    return int(count), total if total is not None else Decimal(0)


def largest_overdue_clients(*, session: Session, entity: str, as_of: dt.date, limit: int = 10) -> pd.DataFrame:
    """The clients owing the most past due at a snapshot — the one place client names are read. Only invoices count:
    an unmatched payment or credit note (a negative item) is a credit, never a past-due invoice.
    Columns: client, invoices, overdue (€ incl. VAT), oldest_due_date, is_synthetic (any of its items), source."""
    r = m.ReceivableItem
    rows = session.execute(
        select(
            r.client,
            func.count(),
            func.sum(r.amount_open),
            func.min(r.due_date),
            func.max(r.is_synthetic.cast(Integer)),
            func.min(r.source),
            func.min(r.load_id),
        )
        .join(m.Entity, m.Entity.id == r.entity_id)
        .where(m.Entity.code == entity, r.as_of == as_of, r.due_date < as_of, r.amount_open > 0)
        .group_by(r.client)
        .order_by(func.sum(r.amount_open).desc(), r.client)
        .limit(limit)
    ).all()
    result = sourced(session, rows, ["client", "invoices", "overdue", "oldest_due_date", "is_synthetic", "source"])
    result["is_synthetic"] = result["is_synthetic"].astype(bool)
    return result


def meetings(*, session: Session, newest_first: bool = False) -> pd.DataFrame:
    """Columns: id, held_on, as_of, title, status, attendees, is_synthetic — oldest first unless asked otherwise."""
    mt = m.Meeting
    rows = session.execute(
        select(mt.id, mt.held_on, mt.as_of, mt.title, mt.status, mt.attendees, mt.is_synthetic).order_by(
            mt.held_on.desc() if newest_first else mt.held_on
        )
    ).all()
    return frame(rows, ["id", "held_on", "as_of", "title", "status", "attendees", "is_synthetic"])


def source_figures(*, session: Session) -> pd.DataFrame:
    """The documents' figures as printed. Columns: code, document, location, label_fr, label_en, value, unit, note."""
    s = m.SourceFigure
    rows = session.execute(
        select(s.code, s.document, s.location, s.label_fr, s.label_en, s.value, s.unit, s.note).order_by(s.code)
    ).all()
    return frame(rows, ["code", "document", "location", "label_fr", "label_en", "value", "unit", "note"])


def data_version(*, session: Session) -> int:
    """The store's data version: the id of the newest committed write that changed what a page shows (0: none).
    One read of a primary key's maximum; see smartdash.change_log."""
    return session.scalar(select(func.max(m.DataChange.id))) or 0


def latest_data_date(*, session: Session) -> dt.date | None:
    """The newest date of any actual figure: the default as-of date."""
    dates = [
        session.scalar(select(func.max(m.Observation.period_end)).where(m.Observation.scenario == "actual")),
        session.scalar(select(func.max(m.ReceivableAgeing.as_of))),
        session.scalar(select(func.max(m.Headcount.period_end)).where(m.Headcount.scenario == "actual")),
        session.scalar(select(func.max(m.Membership.period_end))),
    ]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def instalments(*, session: Session, entities: list[str] | None = None, known_at: dt.date | None = None) -> pd.DataFrame:
    """The plan's instalment schedule. Columns: entity, claim, creditor, creditor_class, admitted (€), option,
    seq, due_date, pct_of_claim (%), amount_due (€), amount_paid (€), paid_on, is_synthetic, source.

    With `known_at`, as it stood on that date: a payment made after it is not known yet (0 €, no date)."""
    c, i = m.CreditorClaim, m.Instalment
    amount_paid, paid_on = i.amount_paid, i.paid_on
    if known_at is not None:
        later = and_(i.paid_on.is_not(None), i.paid_on > known_at)
        amount_paid = type_coerce(case((later, 0), else_=i.amount_paid), i.amount_paid.type)
        paid_on = type_coerce(case((later, null()), else_=i.paid_on), i.paid_on.type)
    q = (
        select(
            m.Entity.code,
            c.code,
            c.creditor,
            c.creditor_class,
            c.admitted_amount,
            c.option,
            i.seq,
            i.due_date,
            i.pct_of_claim,
            i.amount_due,
            amount_paid,
            paid_on,
            i.is_synthetic,
            i.source,
            i.load_id,
        )
        .join(c, c.id == i.claim_id)
        .join(m.Entity, m.Entity.id == c.entity_id)
        .order_by(m.Entity.sort_order, i.due_date, c.code)
    )
    if entities is not None:
        q = q.where(m.Entity.code.in_(entities))
    return sourced(
        session,
        session.execute(q).all(),
        [
            "entity",
            "claim",
            "creditor",
            "creditor_class",
            "admitted",
            "option",
            "seq",
            "due_date",
            "pct_of_claim",
            "amount_due",
            "amount_paid",
            "paid_on",
            "is_synthetic",
            "source",
        ],
    )


def actions(*, session: Session) -> pd.DataFrame:
    """Every decision or action with its meeting, oldest meeting first. Columns: id, meeting_id, held_on (the
    meeting's date), text, owner, due_date, status (as stored today), closed_at, closed_by, created_by."""
    d, mt = m.Decision, m.Meeting
    rows = session.execute(
        select(d.id, d.meeting_id, mt.held_on, d.text, d.owner, d.due_date, d.status, d.closed_at, d.closed_by, d.created_by)
        .join(mt, mt.id == d.meeting_id)
        .order_by(mt.held_on, d.id)
    ).all()
    return frame(
        rows, ["id", "meeting_id", "held_on", "text", "owner", "due_date", "status", "closed_at", "closed_by", "created_by"]
    )


def meeting_snapshot_values(*, session: Session, meeting_id: int) -> pd.DataFrame:
    """The key indicators a closed meeting was shown, as frozen. Columns: indicator, entity, period_end, value,
    plan_value, status."""
    s = m.MeetingSnapshot
    rows = session.execute(
        select(s.indicator_code, s.entity_code, s.period_end, s.value, s.plan_value, s.status)
        .where(s.meeting_id == meeting_id)
        .order_by(s.id)
    ).all()
    return frame(rows, ["indicator", "entity", "period_end", "value", "plan_value", "status"])
