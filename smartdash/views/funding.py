"""Funding against the 1+1 rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.metrics.funding import (
    CoverageJudgement,
    OnePlusOneDefinition,
    counted,
    cumulative_by_date,
    display_status,
    judge_coverage,
    member_subscriptions,
    one_plus_one_coverage,
    subscriptions_by_due_year,
)
from smartdash.provenance import Provenance
from smartdash.views import Filters
from smartdash.views.equity import StatedTarget, stated_target


@dataclass(frozen=True)
class FundingView:
    lines: pd.DataFrame  # contributions with display_status and counts columns added
    coverage_planned: pd.DataFrame  # what the plan puts on or before the as-of date (until = as-of date)
    coverage_actual: pd.DataFrame  # what was received by the as-of date (until = as-of date)
    coverage_plan_end: pd.DataFrame  # the whole plan, to its end (until = its last planned date)
    plan_end_year: int | None
    cumulative: pd.DataFrame  # entity, date, side, cumulative_eur, basis
    subscriptions: dict[str, pd.DataFrame]  # entity → member_subscriptions(), per year the payments are due for
    subscription_rule: StatedTarget | None
    discrepancies: pd.DataFrame  # see discrepancies()
    definition: OnePlusOneDefinition
    names: dict[str, str]
    as_of: dt.date | None = None
    judgements: list[CoverageJudgement] = field(default_factory=list)  # the group against 1, each entity against its plan


@dataclass(frozen=True)
class Discrepancy:
    """Two figures where the plan disagrees with itself, and the funding lines whose planned amounts the coverage
    counts for that figure (so a page can say which of the two values it uses)."""

    a: str  # source figure codes
    b: str
    beneficiary: str
    contributor_class: str


DISCREPANCIES = [
    Discrepancy("PLAN_WAIVER_SFR_GE_TEXT", "PLAN_WAIVER_SFR_GE_TABLE", "GRANDSENSEMBLE", "group"),
    Discrepancy("PLAN_SFR_MEMBERS_TOTAL", "PLAN_SFR_MEMBERS_ROWS", "SMARTFR", "members"),
]
SUBSCRIPTION_RATE = Decimal("0.02")  # the statutory rule, when no plan version states it as a target


def funding_view(*, session: Session, filters: Filters, definition: OnePlusOneDefinition) -> FundingView:
    """Contributions of the plan version chosen, their status at the as-of date, coverage planned to date, achieved
    to date and planned to the plan's end under `definition`, member subscriptions against the 2 % rule per year
    they are due for, and the plan's own inconsistencies with the value the coverage uses."""
    lines = (
        queries.contributions(session=session, plan_version=filters.plan_version, known_at=filters.as_of)
        if filters.plan_version
        else pd.DataFrame()
    )
    ents = queries.entities(session=session)
    names = dict(zip(ents["code"], ents["name"], strict=True))
    if lines.empty:
        empty = pd.DataFrame()
        return FundingView(lines, empty, empty, empty, None, empty, {}, None, empty, definition, names, filters.as_of)
    targets = queries.plan_targets(session=session, plan_version=filters.plan_version)
    found = discrepancies(session=session, lines=lines, definition=definition)
    if filters.entity:
        lines = lines[lines["beneficiary"] == filters.entity].reset_index(drop=True)
    lines = lines.assign(
        display_status=[
            display_status(s, d, filters.as_of, c)
            for s, d, c in zip(lines["status"], lines["planned_date"], lines["condition_status"], strict=True)
        ],
        counts=counted(lines, definition) if not lines.empty else [],
    )
    # what was received after the as-of date is not yet known at that date
    received = zip(lines["received_amount"], lines["received_date"], strict=True)
    known = lines.assign(received_amount=[a if d is not None and d <= filters.as_of else None for a, d in received])
    cumulative = pd.concat(
        [
            cumulative_by_date(lines, definition, basis="planned").assign(basis="planned"),
            cumulative_by_date(known, definition, basis="actual").assign(basis="actual"),
        ],
        ignore_index=True,
    )
    rule = stated_target(targets, "MEMBER_SUBSCRIPTION_RATE", None)
    subscriptions = {}
    gross = queries.observations(session=session, indicators=["MEMBERS_GROSS_SALARY"], until=filters.as_of)
    for entity in dict.fromkeys(lines["beneficiary"]):
        salary = gross[gross["entity"] == entity]
        if salary.empty:
            continue
        own = known[known["beneficiary"] == entity]
        target = stated_target(targets, "MEMBER_SUBSCRIPTION_RATE", entity)
        from_year = targets[(targets["target"] == "MEMBER_SUBSCRIPTION_RATE")]["from_year"].dropna()
        subscriptions[entity] = member_subscriptions(
            subscriptions_by_due_year(own, as_of=filters.as_of),
            {d.year: v for d, v in zip(salary["period_end"], salary["value"], strict=True)},
            rate=target.value / 100 if target else SUBSCRIPTION_RATE,
            from_year=int(from_year.iloc[0]) if not from_year.empty else None,
            as_of=filters.as_of,
        )
    ends = [d.year for d in lines["planned_date"]]
    horizon = stated_target(targets, "PLAN_END_YEAR", None)
    end_year = horizon.year if horizon else max(ends, default=None)
    planned = one_plus_one_coverage(lines, definition, basis="planned", as_of=filters.as_of)
    actual = one_plus_one_coverage(lines, definition, basis="actual", as_of=filters.as_of)
    plan_end = one_plus_one_coverage(lines, definition, basis="planned")
    return FundingView(
        lines=lines,
        coverage_planned=planned,
        coverage_actual=actual,
        coverage_plan_end=plan_end,
        judgements=judge_coverage(actual, planned, plan_end, as_of=filters.as_of, plan_end_year=end_year),
        plan_end_year=end_year,
        cumulative=cumulative,
        subscriptions=subscriptions,
        subscription_rule=rule,
        discrepancies=found,
        definition=definition,
        names=names,
        as_of=filters.as_of,
    )


def _text(value) -> str | None:
    """A stored text, or None for a missing one (NaN once in a DataFrame)."""
    return value if isinstance(value, str) and value.strip() else None


def discrepancies(*, session: Session, lines: pd.DataFrame, definition: OnePlusOneDefinition) -> pd.DataFrame:
    """Pairs of figures where the plan disagrees with itself, and the one the coverage uses: the sum of the planned
    amounts of the plan version's lines for that figure. Columns: label_fr, label_en, value_a, location_a,
    value_b, location_b, note (never missing when either figure has one), used_eur (None without such lines),
    contributor_class (of those lines), used ("a", "b" or None when the lines match neither), counted (whether
    those lines count under `definition`)."""
    figures = queries.source_figures(session=session).set_index("code")
    rows = []
    for d in DISCREPANCIES:
        if d.a in figures.index and d.b in figures.index:
            fa, fb = figures.loc[d.a], figures.loc[d.b]
            mine = lines[
                (lines["beneficiary"] == d.beneficiary)
                & (lines["contributor_class"] == d.contributor_class)
                & (lines["status"] != "cancelled")
            ]
            used = sum(mine["planned_amount"], Decimal(0)) if not mine.empty else None
            rows.append(
                {
                    "label_fr": fa["label_fr"],
                    "label_en": fa["label_en"],
                    "value_a": fa["value"],
                    "location_a": fa["location"],
                    "value_b": fb["value"],
                    "location_b": fb["location"],
                    "note": _text(fb["note"]) or _text(fa["note"]) or "",
                    "document": fa["document"],
                    "used_eur": used,
                    "contributor_class": d.contributor_class,
                    "counted": bool(counted(mine, definition).any()) if not mine.empty else False,
                    "used": None if used is None else "a" if used == fa["value"] else "b" if used == fb["value"] else None,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "label_fr",
            "label_en",
            "value_a",
            "location_a",
            "value_b",
            "location_b",
            "note",
            "document",
            "used_eur",
            "contributor_class",
            "used",
            "counted",
        ],
    )


def _lines_of(view: FundingView, entity: str | None) -> pd.DataFrame:
    return view.lines if entity is None or view.lines.empty else view.lines[view.lines["beneficiary"] == entity]


def planned_origin(view: FundingView, entity: str | None = None) -> Provenance:
    """Where the planned part of a beneficiary's lines (every beneficiary's with None) comes from: the plan's lines."""
    return Provenance.of_frame(_lines_of(view, entity))


def received_origin(view: FundingView, entity: str | None = None) -> Provenance:
    """Where what was received by the as-of date comes from: each receipt's own origin."""
    lines = _lines_of(view, entity)
    if lines.empty:
        return Provenance()
    known = [received_known(a, d, view.as_of) for a, d in zip(lines["received_amount"], lines["received_date"], strict=True)]
    got = lines[pd.Series(known, index=lines.index, dtype=bool)]
    return Provenance.of(got["received_is_synthetic"], got["received_source"])


def received_known(amount, day, as_of: dt.date | None) -> bool:
    """Whether a receipt is known at `as_of`: an amount, received on or before that date."""
    return amount is not None and not pd.isna(amount) and day is not None and (as_of is None or day <= as_of)


def lines_origin(view: FundingView, entity: str | None = None) -> Provenance:
    """Where the contributions behind a beneficiary's figures (every beneficiary's with None) come from: the plan's
    lines and what was received of them, each with its own origin."""
    return planned_origin(view, entity) + received_origin(view, entity)


def row_parts_synthetic(view: FundingView) -> list[bool]:
    """Per line, whether any part of it shown at the as-of date (the plan line, its receipt) is synthetic."""
    lines = view.lines
    return [
        bool(f) or (bool(r) and (received_known(a, d, view.as_of) or s in ("committed", "cancelled")))
        for f, r, a, d, s in zip(
            lines["is_synthetic"],
            lines["received_is_synthetic"],
            lines["received_amount"],
            lines["received_date"],
            lines["display_status"],
            strict=True,
        )
    ]
