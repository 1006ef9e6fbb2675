"""Receivables: ageing at the as-of date, trend, DSO, overdue ratio, reminders, largest overdue clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.metrics.receivables import (
    BUCKETS,
    PaymentRule,
    dso,
    overdue_ratio,
    payment_rule,
    point_on_or_before,
    previous_quarter_end,
    share_over_90,
    trailing_sales,
)
from smartdash.provenance import Provenance
from smartdash.views import year_before
from smartdash.views.overview import last_meeting_as_of


@dataclass(frozen=True)
class ReceivablesView:
    entity: str
    as_of: dt.date | None
    buckets: pd.DataFrame  # bucket (code), items, amount, is_synthetic
    total: Decimal
    overdue: Decimal
    overdue_ratio: Decimal | None
    share_over_90: Decimal | None
    dso_days: Decimal | None
    dso_period: tuple[dt.date, dt.date] | None
    trend: pd.DataFrame  # as_of, label (bucket), value, is_synthetic
    by_office: pd.DataFrame  # office_name, label (bucket), value, is_synthetic
    reminders: pd.DataFrame  # year, value, is_synthetic, source
    is_synthetic: bool
    origin: Provenance = Provenance()  # the open items of the snapshot
    dso_trend: pd.DataFrame = field(default_factory=pd.DataFrame)  # period_end, value (days), is_synthetic, source
    dso_origin: Provenance = Provenance()  # the latest DSO: its items and its sales
    rule: PaymentRule | None = None  # the legal payment terms of the entity's country at the snapshot
    references: pd.DataFrame = field(default_factory=pd.DataFrame)  # code, value, unit, period_end, is_synthetic,
    #                                                                 source — published figures of the snapshot's year
    credits: tuple[int, Decimal] = (0, Decimal(0))  # (count, € total) of the unmatched payments and credit notes,
    #                                                 netted in the open amount at their own age, never past-due invoices
    over_90: Decimal = Decimal(0)  # € more than 90 days past due at the snapshot
    dso_previous: tuple[dt.date, Decimal] | None = None  # the DSO at the previous quarter end (its snapshot's date)
    dso_year_ago: tuple[dt.date, Decimal] | None = None  # the DSO a year before the snapshot, or the last one by then
    meeting_day: dt.date | None = None  # the figures date of the last meeting held by the as-of date
    dso_meeting: tuple[dt.date, Decimal] | None = None  # the DSO known at that date (its snapshot's date)

    @property
    def dso_change_previous(self) -> Decimal | None:
        """DSO change (days) since the previous quarter end."""
        return None if self.dso_days is None or self.dso_previous is None else self.dso_days - self.dso_previous[1]

    @property
    def dso_change_year(self) -> Decimal | None:
        """DSO change (days) over a year."""
        return None if self.dso_days is None or self.dso_year_ago is None else self.dso_days - self.dso_year_ago[1]

    @property
    def dso_change_meeting(self) -> Decimal | None:
        """DSO change (days) since the figures of the last meeting held."""
        return None if self.dso_days is None or self.dso_meeting is None else self.dso_days - self.dso_meeting[1]


REFERENCE_CODES = ("TRADE_RECEIVABLES", "OVERDUE_REMINDED", "REMINDERS_SENT")


def receivables_view(*, session: Session, entity: str, as_of: dt.date) -> ReceivablesView:
    """Open receivables of one entity at its newest snapshot on or before `as_of`, the DSO over time against the
    legal payment terms of the entity's country, and the figures published for the snapshot's year."""
    ageing = queries.ageing(session=session, entity=entity, until=as_of)
    if ageing.empty:
        empty = pd.DataFrame()
        return ReceivablesView(entity, None, empty, Decimal(0), Decimal(0), None, None, None, None, empty, empty, empty, False)
    day = ageing["as_of"].max()
    snap = ageing[ageing["as_of"] == day]
    amounts = dict(zip(snap["bucket"], snap["amount"], strict=True))
    buckets = pd.DataFrame(
        {
            "bucket": list(BUCKETS),
            "items": [int(snap[snap["bucket"] == b]["items"].sum()) for b in BUCKETS],
            "amount": [amounts.get(b, Decimal(0)) for b in BUCKETS],
            "is_synthetic": [bool(snap[snap["bucket"] == b]["is_synthetic"].any()) for b in BUCKETS],
        }
    )
    total = sum(buckets["amount"], Decimal(0))
    origins = queries.receivable_origins(session=session, entity=entity, as_of=day)
    origin = Provenance.of_frame(origins)
    sales = queries.observations(session=session, indicators=["SALES_TTC"], entities=[entity], until=day)
    monthly = list(zip(sales["period_end"], sales["value"], strict=True))
    sales_flag = dict(zip(sales["period_end"], sales["is_synthetic"], strict=True))
    totals = ageing.groupby("as_of", sort=True).agg(
        amount=("amount", lambda v: sum(v, Decimal(0))), is_synthetic=("is_synthetic", "any")
    )
    points = []
    for snapshot, row in totals.iterrows():
        window = trailing_sales(snapshot, monthly)
        if window is None:
            continue
        first, last, sold = window
        days = dso(row["amount"], sold, (last - first).days + 1)
        if days is not None:
            synthetic = bool(row["is_synthetic"]) or any(bool(f) for d, f in sales_flag.items() if first <= d <= last)
            points.append({"period_end": snapshot, "value": days, "is_synthetic": synthetic, "first": first, "last": last})
    dso_trend = pd.DataFrame(points, columns=["period_end", "value", "is_synthetic", "first", "last"])
    latest = dso_trend.iloc[-1] if not dso_trend.empty and dso_trend.iloc[-1]["period_end"] == day else None
    window_sales = (
        sales[(sales["period_end"] >= latest["first"]) & (sales["period_end"] <= latest["last"])]
        if latest is not None
        else sales.iloc[0:0]
    )
    trend = ageing.rename(columns={"amount": "value"})
    offices = queries.ageing_by_office(session=session, entity=entity, as_of=day)
    offices = offices.rename(columns={"amount": "value"})
    reminders = queries.observations(session=session, indicators=["REMINDERS_SENT"], entities=[entity], until=as_of)
    reminders = pd.DataFrame(
        {
            "year": [d.year for d in reminders["period_end"]],
            "value": list(reminders["value"]),
            "is_synthetic": list(reminders["is_synthetic"]),
            "source": list(reminders["source"]),
        }
    )
    published = queries.observations(session=session, indicators=list(REFERENCE_CODES), entities=[entity], until=as_of)
    if not published.empty:  # a store with no published figure reads none (an empty frame has no columns)
        published = published[[d.year == day.year for d in published["period_end"]]]
        published = published.sort_values("indicator", key=lambda c: c.map(REFERENCE_CODES.index), kind="stable")
    history = list(zip(dso_trend["period_end"], dso_trend["value"], strict=True))
    meeting_day = last_meeting_as_of(session=session, as_of=as_of)
    return ReceivablesView(
        entity=entity,
        as_of=day,
        buckets=buckets,
        total=total,
        overdue=total - amounts.get("not_due", Decimal(0)),
        overdue_ratio=overdue_ratio(amounts),
        share_over_90=share_over_90(amounts),
        dso_days=None if latest is None else latest["value"],
        dso_period=None if latest is None else (latest["first"], latest["last"]),
        trend=trend[["as_of", "bucket", "value", "is_synthetic"]],
        by_office=offices[["office_name", "bucket", "value", "is_synthetic"]],
        reminders=reminders,
        is_synthetic=bool(snap["is_synthetic"].any()),
        origin=origin,
        dso_trend=dso_trend[["period_end", "value", "is_synthetic"]],
        dso_origin=origin + Provenance.of_frame(window_sales) if latest is not None else Provenance(),
        rule=payment_rule(queries.entity_country(session=session, entity=entity) or "", day),
        credits=queries.receivable_credits(session=session, entity=entity, as_of=day),
        references=pd.DataFrame(
            {
                "code": list(published["indicator"]),
                "value": list(published["value"]),
                "period_end": list(published["period_end"]),
                "is_synthetic": list(published["is_synthetic"]),
                "source": list(published["source"]),
            }
        ),
        over_90=amounts.get("d90_plus", Decimal(0)),
        dso_previous=point_on_or_before(history, previous_quarter_end(day)) if latest is not None else None,
        dso_year_ago=point_on_or_before(history, year_before(day)) if latest is not None else None,
        meeting_day=meeting_day,
        dso_meeting=point_on_or_before(history, meeting_day) if latest is not None and meeting_day is not None else None,
    )


def page_sources(view: ReceivablesView) -> list[str]:
    """Every source behind what the page shows: the items, the sales, the published figures, the reminders."""
    shown = view.origin + view.dso_origin + Provenance.of_frame(view.references) + Provenance.of_frame(view.reminders)
    return list(shown.sources)
