"""Receivables: ageing at the as-of date, trend, DSO, overdue ratio, reminders, largest overdue clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import formatting, queries
from smartdash.metrics.receivables import BUCKETS, days_past_due, dso, overdue_ratio, share_over_90
from smartdash.views import pick

BUCKET_LABELS = {
    "fr": {"not_due": "Non échu", "d1_30": "1–30 j", "d31_60": "31–60 j", "d61_90": "61–90 j", "d90_plus": "> 90 j"},
    "en": {"not_due": "Not yet due", "d1_30": "1–30 d", "d31_60": "31–60 d", "d61_90": "61–90 d", "d90_plus": "> 90 d"},
}


@dataclass(frozen=True)
class ReceivablesView:
    entity: str
    as_of: dt.date | None
    buckets: pd.DataFrame  # bucket, label, items, amount
    total: Decimal
    overdue: Decimal
    overdue_ratio: Decimal | None
    share_over_90: Decimal | None
    dso_days: Decimal | None
    dso_period: tuple[dt.date, dt.date] | None
    trend: pd.DataFrame  # as_of, bucket label, value
    by_office: pd.DataFrame  # office_name, bucket label, value
    reminders: pd.DataFrame  # year, value
    is_synthetic: bool


def receivables_view(*, session: Session, entity: str, as_of: dt.date, lang: str = "fr") -> ReceivablesView:
    """Open receivables of one entity at its newest snapshot on or before `as_of`."""
    labels = BUCKET_LABELS["en" if lang == "en" else "fr"]
    ageing = queries.ageing(session=session, entity=entity, until=as_of)
    if ageing.empty:
        empty = pd.DataFrame()
        return ReceivablesView(entity, None, empty, Decimal(0), Decimal(0), None, None, None, None, empty, empty,
                               empty, False)
    day = ageing["as_of"].max()
    snap = ageing[ageing["as_of"] == day]
    amounts = dict(zip(snap["bucket"], snap["amount"], strict=True))
    buckets = pd.DataFrame({
        "bucket": list(BUCKETS),
        "label": [labels[b] for b in BUCKETS],
        "items": [int(snap[snap["bucket"] == b]["items"].sum()) for b in BUCKETS],
        "amount": [amounts.get(b, Decimal(0)) for b in BUCKETS],
    })
    total = sum(buckets["amount"], Decimal(0))
    sales = queries.observations(session=session, indicators=["SALES_TTC"], entities=[entity], until=day)
    start = dt.date(day.year - 1, day.month, 1) if day.month != 12 else dt.date(day.year, 1, 1)
    window = sales[sales["period_end"] >= start]
    dso_days, period = None, None
    if len(window) >= 12:
        window = window.tail(12)
        first = window["period_end"].iloc[0]
        period_start = dt.date(first.year, first.month, 1)
        period_end = window["period_end"].iloc[-1]
        period = (period_start, period_end)
        dso_days = dso(total, sum(window["value"], Decimal(0)), (period_end - period_start).days + 1)
    trend = ageing.assign(label=[labels[b] for b in ageing["bucket"]]).rename(columns={"amount": "value"})
    offices = queries.ageing_by_office(session=session, entity=entity, as_of=day)
    offices = offices.assign(label=[labels[b] for b in offices["bucket"]]).rename(columns={"amount": "value"})
    reminders = queries.observations(session=session, indicators=["REMINDERS_SENT"], entities=[entity], until=as_of)
    reminders = pd.DataFrame({"year": [d.year for d in reminders["period_end"]], "value": list(reminders["value"]),
                              "is_synthetic": list(reminders["is_synthetic"])})
    return ReceivablesView(
        entity=entity, as_of=day, buckets=buckets, total=total, overdue=total - amounts.get("not_due", Decimal(0)),
        overdue_ratio=overdue_ratio(amounts), share_over_90=share_over_90(amounts), dso_days=dso_days,
        dso_period=period, trend=trend[["as_of", "label", "value"]],
        by_office=offices[["office_name", "label", "value"]],
        reminders=reminders, is_synthetic=bool(snap["is_synthetic"].any()),
    )


def clients_table(frame: pd.DataFrame, as_of: dt.date, lang: str) -> pd.DataFrame:
    """The largest overdue clients as the page lists them."""
    return pd.DataFrame({
        pick(lang, "Client", "Client"): frame["client"],
        pick(lang, "Factures échues", "Past-due invoices"): frame["invoices"],
        pick(lang, "Montant échu", "Past due"): [formatting.money(v, lang=lang, places=2) for v in frame["overdue"]],
        pick(lang, "Plus ancienne échéance", "Oldest due date"): [formatting.date_long(d, lang=lang)
                                                                   for d in frame["oldest_due_date"]],
        pick(lang, "Jours de retard", "Days past due"): [days_past_due(as_of, d) for d in frame["oldest_due_date"]],
    })
