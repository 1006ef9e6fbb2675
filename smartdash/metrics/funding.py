"""Funding against the "1+1" rule: each euro SmartBe brings as an associate is matched by one euro from
the cooperatives, their members and partners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from smartdash.i18n import N_, Text, text
from smartdash.metrics.status import AMBER, GREEN, RED, Thresholds, rag_status

ZERO = Decimal(0)

# The plan states the rule for the group: "pour chaque euro apporté par SmartBe en tant qu'associée, les
# coopératives SmartFr et GrandsEnsemble, leurs sociétaires et partenaires, mobiliseront un euro".
ONE_PLUS_ONE_GROUP = ("SMARTFR", "GRANDSENSEMBLE")


@dataclass(frozen=True)
class OnePlusOneDefinition:
    """Which contributions count. By default only instruments flagged "counts under 1+1" in the catalogue
    (contributions as an associate: capital, shares, current accounts, participating funds); the committee
    may also count SmartBe's claim waivers and intra-group claim waivers."""

    include_claim_waivers: bool = False
    include_group_waivers: bool = False

    def counts(self, *, instrument_counts: bool, equity_class: str, contributor_class: str) -> bool:
        if instrument_counts:
            return True
        if equity_class == "income":  # claim waivers: exceptional income, not a contribution as associate
            return self.include_group_waivers if contributor_class == "group" else self.include_claim_waivers
        return False

    @property
    def code(self) -> str:
        return {(False, False): "strict", (True, True): "broad"}.get(
            (self.include_claim_waivers, self.include_group_waivers),
            "with_smartbe_waivers" if self.include_claim_waivers else "with_group_waivers",
        )

    def description(self) -> Text:
        """What the definition counts, as a message rendered in the reader's language."""
        waivers = [
            word
            for word, on in (
                (text(N_("SmartBe's claim waivers")), self.include_claim_waivers),
                (text(N_("intra-group claim waivers")), self.include_group_waivers),
            )
            if on
        ]
        if not waivers:
            return text(
                N_(
                    "Definition: contributions as an associate (capital, shares, current accounts, participating "
                    "funds); claim waivers excluded."
                )
            )
        joined = waivers[0] if len(waivers) == 1 else text("{a} + {b}", a=waivers[0], b=waivers[1])
        return text(
            N_("Definition: contributions as an associate (capital, shares, current accounts, participating funds) + {waivers}."),
            waivers=joined,
        )

    def describe(self, lang: str = "fr") -> str:
        return self.description().render(lang)


def counted(contributions: pd.DataFrame, definition: OnePlusOneDefinition) -> pd.Series:
    """Boolean mask of the contributions that count under `definition`."""
    return pd.Series(
        [
            definition.counts(instrument_counts=bool(c), equity_class=e, contributor_class=k)
            for c, e, k in zip(
                contributions["counts_one_plus_one"],
                contributions["equity_class"],
                contributions["contributor_class"],
                strict=True,
            )
        ],
        index=contributions.index,
        dtype=bool,
    )


def one_plus_one_coverage(
    contributions: pd.DataFrame, definition: OnePlusOneDefinition, *, basis: str = "planned", as_of: dt.date | None = None
) -> pd.DataFrame:
    """Coverage per beneficiary entity and in total (the entities of ONE_PLUS_ONE_GROUP present, the group the rule
    binds; every entity when none of them is), up to a date.

    Columns: entity, smartbe_eur (€), matched_eur (€), coverage (matched ÷ SmartBe, None when SmartBe
    brings nothing), shortfall_eur (SmartBe − matched, ≥ 0), until (the date the amounts are counted up to).
    `basis` "planned" sums planned amounts of lines not cancelled that the plan puts on or before `as_of`
    (every line, to the plan's end, without `as_of`; `until` is then the last planned date); "actual" sums
    amounts received on or before `as_of`. A planned and an actual coverage are comparable only when they
    have the same `until`. Input columns: beneficiary, contributor_class, counts_one_plus_one, equity_class,
    status, planned_date, planned_amount, received_amount, received_date."""
    frame = contributions[counted(contributions, definition)]
    if basis == "planned":
        frame = frame[frame["status"] != "cancelled"]
        if as_of is not None:
            frame = frame[pd.Series([d <= as_of for d in frame["planned_date"]], index=frame.index, dtype=bool)]
        amounts = frame["planned_amount"]
        until = as_of if as_of is not None else max(contributions["planned_date"], default=None)
    else:
        done = frame["received_amount"].notna()
        if as_of is not None:
            done &= frame["received_date"].map(lambda d: d is not None and d <= as_of)
        frame = frame[done]
        amounts = frame["received_amount"]
        until = as_of
    rows = []
    entities = list(dict.fromkeys(contributions["beneficiary"]))
    group = [e for e in entities if e in ONE_PLUS_ONE_GROUP] or entities
    for entity in entities + ["__total__"]:
        mask = frame["beneficiary"] == entity if entity != "__total__" else frame["beneficiary"].isin(group)
        smartbe = sum(amounts[mask & (frame["contributor_class"] == "smartbe")], ZERO)
        matched = sum(amounts[mask & (frame["contributor_class"] != "smartbe")], ZERO)
        rows.append(
            {
                "entity": entity,
                "smartbe_eur": smartbe,
                "matched_eur": matched,
                "coverage": (matched / smartbe) if smartbe else None,
                "shortfall_eur": max(smartbe - matched, ZERO),
                "until": until,
            }
        )
    return pd.DataFrame(rows, columns=["entity", "smartbe_eur", "matched_eur", "coverage", "shortfall_eur", "until"])


def display_status(status: str, planned_date: dt.date, as_of: dt.date, condition_status: str | None = None) -> str:
    """planned / committed / received / cancelled as stored; "conditional" for a tranche not received whose condition
    is still pending (never late while it is); "late" when not received by its planned date. A date the plan gives
    as a year is stored as that year's 31/12: it is late from the next 1 January."""
    if status in ("planned", "committed") and condition_status == "pending":
        return "conditional"
    if status in ("planned", "committed") and planned_date < as_of:
        return "late"
    return status


def cumulative_by_date(contributions: pd.DataFrame, definition: OnePlusOneDefinition, *, basis: str) -> pd.DataFrame:
    """Cumulative SmartBe € and matched € over time, per beneficiary. Columns: entity, date, side
    (smartbe / matched), cumulative_eur. Planned basis uses planned dates and amounts; actual basis
    received dates and amounts."""
    frame = contributions[counted(contributions, definition) & (contributions["status"] != "cancelled")]
    date_col, amount_col = ("planned_date", "planned_amount") if basis == "planned" else ("received_date", "received_amount")
    frame = frame[frame[amount_col].notna()]
    rows = []
    for (entity, is_smartbe), group in frame.groupby([frame["beneficiary"], frame["contributor_class"] == "smartbe"]):
        running = ZERO
        for date, amount in sorted(zip(group[date_col], group[amount_col], strict=True)):
            running += amount
            rows.append(
                {"entity": entity, "date": date, "side": "smartbe" if is_smartbe else "matched", "cumulative_eur": running}
            )
    return pd.DataFrame(rows, columns=["entity", "date", "side", "cumulative_eur"])


def subscriptions_by_due_year(contributions: pd.DataFrame, *, as_of: dt.date) -> dict[int, Decimal]:
    """Member subscriptions received on or before `as_of`, per year they are due for (€).

    A members' line of the plan is for the year of its planned date; what is paid for year N arrives in
    January N+1, so the year of payment would put it in the wrong year. Input columns: contributor_class,
    planned_date, received_date, received_amount."""
    out: dict[int, Decimal] = {}
    for cls, due, day, amount in zip(
        contributions["contributor_class"],
        contributions["planned_date"],
        contributions["received_date"],
        contributions["received_amount"],
        strict=True,
    ):
        if cls == "members" and amount is not None and not pd.isna(amount) and day is not None and day <= as_of:
            out[due.year] = out.get(due.year, ZERO) + amount
    return out


def member_subscriptions(
    received_by_year: dict[int, Decimal],
    gross_salary_by_year: dict[int, Decimal],
    rate: Decimal = Decimal("0.02"),
    *,
    from_year: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Member subscriptions against the statutory rule (`rate` of the gross salary of the employee-associates),
    per year they are due for.

    Columns: year, expected_eur (= rate × gross salary), paid_up_eur, collection_rate (paid-up ÷ expected).
    Years before the rule applies (`from_year`) are left out, and so is a year not over at `as_of` for which
    nothing has been paid yet (its subscriptions are not due: there is nothing to compare)."""
    rows = []
    for year in sorted(gross_salary_by_year):
        if from_year is not None and year < from_year:
            continue
        paid = received_by_year.get(year, ZERO)
        if as_of is not None and as_of <= dt.date(year, 12, 31) and not paid:
            continue
        expected = gross_salary_by_year[year] * rate
        rows.append(
            {
                "year": year,
                "expected_eur": expected,
                "paid_up_eur": paid,
                "collection_rate": paid / expected if expected else None,
            }
        )
    return pd.DataFrame(rows, columns=["year", "expected_eur", "paid_up_eur", "collection_rate"])


GROUP_RULE, ENTITY_PLAN = "group_rule", "entity_plan"  # the two judgements: the group against 1, an entity against its plan
ENTITY_THRESHOLDS = Thresholds(direction="up")  # the committee's default: ±5 % green, beyond 10 % red


@dataclass(frozen=True)
class CoverageJudgement:
    """How one coverage is judged. The group's (`entity` "__total__", basis GROUP_RULE) against the rule itself, 1;
    an entity's (basis ENTITY_PLAN) against the coverage its own plan gives it by the same date (the plan takes
    GrandsEnsemble only to 0,68 by its end: 1 is not an entity's target). `gap_eur`: the matched € missing (> 0) or
    ahead (< 0) to reach the reference on the SmartBe € received. `status`: green / amber / red, None when there is
    nothing to judge (SmartBe has brought nothing yet, or the plan puts nothing by that date)."""

    entity: str
    basis: str
    achieved: Decimal | None
    reference: Decimal | None
    gap_eur: Decimal | None
    status: str | None
    plan_end: Decimal | None
    plan_end_year: int | None


def judge_coverage(
    actual: pd.DataFrame, planned: pd.DataFrame, plan_end: pd.DataFrame, *, as_of: dt.date, plan_end_year: int | None
) -> list[CoverageJudgement]:
    """One judgement per entity of `actual` (coverage achieved by `as_of`), and one for the group when every entity
    the rule binds is there. `planned`: coverage planned by the same date; `plan_end`: to the plan's end (frames of
    one_plus_one_coverage). The group is green at or above 1, amber below 1 before the plan's end, red below 1 once
    the plan's end is reached; an entity is judged by ENTITY_THRESHOLDS against its plan to date."""
    to_date = planned.set_index("entity")
    end = plan_end.set_index("entity") if not plan_end.empty else plan_end
    entities = [e for e in actual["entity"] if e != "__total__"]
    out = []
    for row in actual.itertuples():
        end_ratio = end.loc[row.entity, "coverage"] if row.entity in end.index else None
        if row.entity == "__total__":
            if not set(ONE_PLUS_ONE_GROUP) <= set(entities):
                continue
            if row.coverage is None:
                status = None
            elif row.coverage >= 1:
                status = GREEN
            else:
                over = plan_end_year is not None and as_of >= dt.date(plan_end_year, 12, 31)
                status = RED if over else AMBER
            gap = row.smartbe_eur - row.matched_eur
            out.append(CoverageJudgement(row.entity, GROUP_RULE, row.coverage, Decimal(1), gap, status, end_ratio, plan_end_year))
            continue
        reference = to_date.loc[row.entity, "coverage"] if row.entity in to_date.index else None
        if row.coverage is None or reference is None:
            gap, status = None, None
        else:
            gap = reference * row.smartbe_eur - row.matched_eur
            status = rag_status(row.coverage, reference, ENTITY_THRESHOLDS)
        out.append(CoverageJudgement(row.entity, ENTITY_PLAN, row.coverage, reference, gap, status, end_ratio, plan_end_year))
    return out
