"""Headcount per entity, membership per office."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.metrics.people import attrition, members_per_adviser, stands_out, turnover
from smartdash.provenance import Provenance, grouped
from smartdash.views import Compared, Filters, compared, year_before

AGE_BANDS = ("MEMBERS_AGE_U25", "MEMBERS_AGE_26_45", "MEMBERS_AGE_46P")  # the age profile's indicators, youngest first


@dataclass(frozen=True)
class HeadcountView:
    """Every frame carries is_synthetic and source per row (a sum is synthetic when any of its rows is)."""

    series: pd.DataFrame  # period_end, population, headcount, fte (summed over the entities shown)
    flows: pd.DataFrame  # year, population, entries, exits
    pse: pd.DataFrame  # period_end, series (actual / plan), value — from the plan's adoption on
    latest: pd.DataFrame  # population, headcount, fte, period_end
    attrition: dict[str, Decimal | None]  # population → last 12 months
    turnover: dict[str, Decimal | None]
    is_synthetic: bool
    sources: list[str]
    compared: dict[str, Compared] = field(default_factory=dict)  # population → its latest headcount (people) at the
    #                                                             sidebar's comparison point


def headcount_view(
    *, session: Session, filters: Filters, entities: list[str], plan_adopted_on: dt.date | None = None
) -> HeadcountView:
    """Headcount and FTE over time, entries and exits per year, job-protection-plan departures against plan (none
    before the plan was adopted, when its date is known), attrition and turnover over the 12 months to the as-of
    date."""
    frame = queries.headcount(session=session, entities=entities, until=filters.as_of)
    plan = (
        queries.headcount(session=session, entities=entities, scenario="plan", plan_version=filters.plan_version)
        if filters.plan_version
        else frame.iloc[0:0]
    )
    if frame.empty:
        return HeadcountView(*(pd.DataFrame(),) * 4, {}, {}, False, [])
    frame = frame.assign(
        fte=frame["fte"].map(lambda v: v if v is not None else Decimal(0)),
        entries=frame["entries"].fillna(0),
        exits=frame["exits"].fillna(0),
    )
    series = grouped(frame, ["period_end", "population"], headcount=("headcount", "sum"), fte=("fte", "sum"))
    frame["year"] = [d.year for d in frame["period_end"]]
    flows = grouped(frame, ["year", "population"], entries=("entries", "sum"), exits=("exits", "sum"))
    staff = frame[frame["population"] == "staff"]
    pse_actual = grouped(staff[staff["pse_departures"].notna()], ["period_end"], value=("pse_departures", "sum"))
    pse_plan = grouped(
        plan[(plan["population"] == "staff") & plan["pse_departures"].notna()], ["period_end"], value=("pse_departures", "sum")
    )
    pse = pd.concat([pse_actual.assign(series="actual"), pse_plan.assign(series="plan")], ignore_index=True)
    pse = pse[pse["period_end"].isin(set(pse_plan["period_end"]))] if not pse_plan.empty else pse.iloc[0:0]
    if plan_adopted_on is not None:  # departures under a plan cannot come before it
        pse = pse[[d >= plan_adopted_on for d in pse["period_end"]]] if not pse.empty else pse
    last_day = series["period_end"].max()
    latest = series[series["period_end"] == last_day].assign(period_end=last_day)
    start = (
        dt.date(last_day.year - 1, last_day.month, last_day.day)
        if not (last_day.month == 2 and last_day.day == 29)
        else dt.date(last_day.year - 1, 2, 28)
    )
    att, turn = {}, {}
    for population in ("staff", "members"):
        part = frame[frame["population"] == population]
        at_start = series[(series["population"] == population) & (series["period_end"] <= start)]
        window = part[(part["period_end"] > start) & (part["period_end"] <= last_day)]
        base = int(at_start.iloc[-1]["headcount"]) if not at_start.empty else 0
        att[population] = attrition(int(window["exits"].sum()), base)
        turn[population] = turnover(int(window["exits"].sum()), int(window["entries"].sum()), base)
    return HeadcountView(
        series,
        flows,
        pse,
        latest,
        att,
        turn,
        bool(frame["is_synthetic"].any()),
        list(Provenance.of_frame(frame).sources),
        headcount_compared(session=session, filters=filters, series=series, plan=plan, day=last_day),
    )


def headcount_compared(
    *, session: Session, filters: Filters, series: pd.DataFrame, plan: pd.DataFrame, day: dt.date
) -> dict[str, Compared]:
    """Each population's headcount (people) at `day` and at the sidebar's comparison point: the previous month, the
    same month a year earlier, the last meeting's figures, or the plan's headcount for the same date."""
    from smartdash.views.overview import last_meeting_as_of

    meeting_day = last_meeting_as_of(session=session, as_of=filters.as_of) if filters.compare == "meeting" else None
    planned = plan[plan["headcount"].notna() & (plan["period_end"] == day)] if not plan.empty else plan
    out = {}
    for population in ("staff", "members"):
        part = series[series["population"] == population]
        if part.empty:
            continue
        points = [(d, Decimal(int(v))) for d, v in zip(part["period_end"], part["headcount"], strict=True)]
        in_plan = planned[planned["population"] == population]["headcount"] if not planned.empty else []
        plan_value = Decimal(int(sum(in_plan))) if len(in_plan) else None
        out[population] = compared(points, day, filters.compare, meeting_day=meeting_day, plan=plan_value)
    return out


@dataclass(frozen=True)
class MembershipView:
    period_end: dt.date | None
    offices: pd.DataFrame  # office_name, region, members, advisers, per_adviser, stands_out, is_synthetic, source
    regions: pd.DataFrame  # period_end, region, members, is_synthetic, source
    median_per_adviser: Decimal | None
    total_members: int
    societaires: Decimal | None
    ages: pd.DataFrame  # band (its indicator code, AGE_BANDS order), value, is_synthetic, source
    ages_date: dt.date | None
    is_synthetic: bool  # any figure the page shows (the regions' history included)
    sources: list[str]
    offices_origin: Provenance = Provenance()  # the offices at `period_end`: members, advisers, their median
    societaires_date: dt.date | None = None  # a yearly figure: its own date, not the offices'
    societaires_origin: Provenance = Provenance()


def membership_view(*, session: Session, filters: Filters) -> MembershipView:
    """Members, advisers and members per adviser per office at the newest period end up to the as-of date;
    the trend per region; the age profile."""
    frame = queries.membership(session=session, until=filters.as_of)
    if filters.entity:
        frame = frame[frame["entity"] == filters.entity]
    if frame.empty:
        return MembershipView(None, pd.DataFrame(), pd.DataFrame(), None, 0, None, pd.DataFrame(), None, False, [])
    day = frame["period_end"].max()
    latest = frame[frame["period_end"] == day].copy()
    advisers = [None if pd.isna(a) else int(a) for a in latest["advisers"]]
    latest["advisers"] = pd.Series(advisers, index=latest.index, dtype=object)
    latest["per_adviser"] = pd.Series(
        [members_per_adviser(int(m), a) for m, a in zip(latest["members"], advisers, strict=True)],
        index=latest.index,
        dtype=object,
    )
    ratios = [r for r in latest["per_adviser"] if r is not None]
    median = Decimal(statistics.median(ratios)) if ratios else None
    latest["stands_out"] = [stands_out(r, median) for r in latest["per_adviser"]]
    regions = grouped(frame, ["period_end", "region"], members=("members", "sum"))
    entity = frame["entity"].iloc[0]
    obs = queries.observations(session=session, indicators=[*AGE_BANDS, "SOCIETAIRES"], entities=[entity], until=filters.as_of)
    ages_obs = obs[obs["indicator"] != "SOCIETAIRES"]
    ages_date = ages_obs["period_end"].max() if not ages_obs.empty else None
    order = list(AGE_BANDS)
    ages = ages_obs[ages_obs["period_end"] == ages_date].sort_values("indicator", key=lambda s: s.map(order.index))
    ages = pd.DataFrame(
        {
            "band": list(ages["indicator"]),  # the band's indicator code (AGE_BANDS)
            "value": list(ages["value"]),
            "is_synthetic": list(ages["is_synthetic"]),
            "source": list(ages["source"]),
        }
    )
    soc = obs[obs["indicator"] == "SOCIETAIRES"]
    shown = (
        Provenance.of_frame(latest) + Provenance.of_frame(regions) + Provenance.of_frame(ages) + Provenance.of_frame(soc.tail(1))
    )
    return MembershipView(
        period_end=day,
        offices=latest[
            ["office_name", "region", "members", "advisers", "per_adviser", "stands_out", "is_synthetic", "source"]
        ].reset_index(drop=True),
        regions=regions,
        median_per_adviser=median,
        total_members=int(latest["members"].sum()),
        societaires=soc.iloc[-1]["value"] if not soc.empty else None,
        ages=ages,
        ages_date=ages_date,
        is_synthetic=shown.synthetic,
        sources=list(shown.sources),
        offices_origin=Provenance.of_frame(latest),
        societaires_date=soc.iloc[-1]["period_end"] if not soc.empty else None,
        societaires_origin=Provenance.of_frame(soc.tail(1)),
    )


def latest_origin(view: HeadcountView, population: str) -> Provenance:
    """Where the latest headcount of a population comes from."""
    return Provenance.of_frame(view.latest[view.latest["population"] == population])


def per_adviser_frame(view: MembershipView) -> pd.DataFrame:
    """Offices with advisers: office, value (members per adviser), stands_out."""
    rows = view.offices[view.offices["per_adviser"].notna()]
    return pd.DataFrame(
        {
            "office": rows["office_name"],
            "value": list(rows["per_adviser"]),
            "stands_out": list(rows["stands_out"]),
            "is_synthetic": list(rows["is_synthetic"]),
            "source": list(rows["source"]),
        }
    )


def regions_frame(view: MembershipView) -> pd.DataFrame:
    """Members per region over time as trajectory series."""
    r = view.regions
    return pd.DataFrame(
        {
            "period_end": r["period_end"],
            "value": [Decimal(int(v)) for v in r["members"]],
            "series": r["region"],
            "dashed": False,
            "is_synthetic": list(r["is_synthetic"]),
            "source": list(r["source"]),
        }
    )


@dataclass(frozen=True)
class OfficesChange:
    """Members, advisers and members per adviser per office, then and now: `then` is the membership figures' date
    the comparison chosen points to (the same period a year earlier by default), `basis` the comparison used."""

    then: dt.date | None
    now: dt.date | None
    basis: str  # year / previous / meeting (views.COMPARISONS; the plan has no membership: a year earlier)
    offices: pd.DataFrame  # office_name, region, members_then, members_now, members_change, advisers_then,
    #                        advisers_now, advisers_change, per_adviser_then, per_adviser_now, per_adviser_change,
    #                        is_synthetic, source — the largest loss of members first
    origin: Provenance = Provenance()  # the membership rows of both dates


def offices_change(*, session: Session, filters: Filters) -> OfficesChange:
    """Each office's members, advisers and members per adviser at the newest membership date up to the as-of date and
    at the comparison point: the previous period, the last meeting's figures, or the same period a year earlier (also
    what "plan" compares with: the plan has no membership figure). Sorted by the change in members, losses first;
    an office open at one date only has no change."""
    from smartdash.views.overview import last_meeting_as_of

    frame = queries.membership(session=session, until=filters.as_of)
    if filters.entity:
        frame = frame[frame["entity"] == filters.entity]
    basis = filters.compare if filters.compare in ("previous", "meeting") else "year"
    if frame.empty:
        return OfficesChange(None, None, basis, pd.DataFrame())
    days = sorted(set(frame["period_end"]))
    now = days[-1]
    if basis == "meeting":
        meeting = last_meeting_as_of(session=session, as_of=filters.as_of)
        limit = meeting if meeting is not None else year_before(now)
    elif basis == "previous":
        limit = days[-2] if len(days) > 1 else None
    else:
        limit = year_before(now)
    earlier = [d for d in days if limit is not None and d <= limit and d < now]
    then = earlier[-1] if earlier else None
    columns = ["office", "office_name", "region", "members", "advisers", "is_synthetic", "source"]
    current = frame[frame["period_end"] == now][columns]
    before = frame[frame["period_end"] == then][columns] if then else current.iloc[0:0]
    both = current.merge(before, on="office", how="outer", suffixes=("_now", "_then"))

    def whole(v) -> int | None:
        return None if v is None or pd.isna(v) else int(v)

    def change(a, b):
        return None if a is None or b is None else a - b

    rows = []
    for r in both.itertuples():
        members = (whole(r.members_then), whole(r.members_now))
        advisers = (whole(r.advisers_then), whole(r.advisers_now))
        ratio = tuple(members_per_adviser(m, a) if m is not None else None for m, a in zip(members, advisers, strict=True))
        sources = [s for s in (r.source_now, r.source_then) if isinstance(s, str) and s]
        rows.append(
            {
                "office_name": r.office_name_now if isinstance(r.office_name_now, str) else r.office_name_then,
                "region": r.region_now if isinstance(r.region_now, str) else r.region_then,
                "members_then": members[0],
                "members_now": members[1],
                "members_change": change(members[1], members[0]),
                "advisers_then": advisers[0],
                "advisers_now": advisers[1],
                "advisers_change": change(advisers[1], advisers[0]),
                "per_adviser_then": ratio[0],
                "per_adviser_now": ratio[1],
                "per_adviser_change": change(ratio[1], ratio[0]),
                "is_synthetic": bool(r.is_synthetic_now is True or r.is_synthetic_then is True),
                "source": " ; ".join(dict.fromkeys(sources)),
            }
        )
    offices = pd.DataFrame(rows, dtype=object).astype({"is_synthetic": bool})
    order = sorted(
        range(len(rows)),
        key=lambda i: (rows[i]["members_change"] is None, rows[i]["members_change"] or 0, rows[i]["office_name"]),
    )
    origin = Provenance.of_frame(current) + Provenance.of_frame(before)
    return OfficesChange(then, now, basis, offices.iloc[order].reset_index(drop=True), origin)


def offices_losing(change: OfficesChange) -> pd.DataFrame:
    """The offices with fewer members now than then, the largest loss first: office_name, members_change."""
    o = change.offices
    if o.empty:
        return o
    lost = o[[c is not None and c < 0 for c in o["members_change"]]]
    return lost[["office_name", "members_change"]]


def total_then(change: OfficesChange) -> int | None:
    """The members of every office at the comparison date (None without one)."""
    if change.then is None or change.offices.empty:
        return None
    return sum(int(v) for v in change.offices["members_then"] if v is not None)
