"""The one registry of what needs the committee's attention: each rule detects its matter once and says what it
found (an `Attention`: severity, a message with its figures, the page to open, and the key that identifies the matter
across runs). The overview's attention list, the deck, the A4 dossier and the weekly digest show the listed findings;
the e-mail alerts (smartdash.alerts) watch every finding by its key and only keep what was already sent."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.formatting import shown
from smartdash.i18n import N_, Clause, plural, text
from smartdash.metrics import status as st_
from smartdash.metrics.equity import first_plan_year_positive
from smartdash.metrics.funding import (
    GROUP_RULE,
    ONE_PLUS_ONE_GROUP,
    OnePlusOneDefinition,
    display_status,
    judge_coverage,
    one_plus_one_coverage,
)
from smartdash.views import Filters, memo
from smartdash.views import execution as execution_views
from smartdash.views.overview import (
    Attention,
    Tile,
    cessation_below_one,
    gap_text,
    late_contribution,
    late_instalment,
    tile_entities,
)

# The states an alert names besides the indicators' colours (an e-mail says "late", "below 1").
LATE, BELOW = "late", "below_1"


@dataclass
class AttentionContext:
    """What the rules share: the store's session, the filters, the key indicators' tiles, and what more than one
    rule reads (the plan version's funding lines in scope, the entities' names, each entity's execution view), read
    once."""

    session: Session
    filters: Filters
    tiles: list[Tile]

    @functools.cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(*[queries.entities(session=self.session)[c] for c in ("code", "name")], strict=True))

    @functools.cached_property
    def entities(self) -> list[tuple[str, str]]:
        """(code, name) of the entities in scope: the one filtered on, else every entity under the plan."""
        return tile_entities(session=self.session, entity=self.filters.entity)

    @functools.cached_property
    def plan_lines(self) -> pd.DataFrame:
        """The funding lines of the plan version in force (empty without one), of every entity."""
        if not self.filters.plan_version:
            return pd.DataFrame()
        return queries.contributions(session=self.session, plan_version=self.filters.plan_version, known_at=self.filters.as_of)

    @functools.cached_property
    def lines(self) -> pd.DataFrame:
        """The funding lines of the plan version in force (empty without one), for the entity filtered on."""
        lines = self.plan_lines
        return lines[lines["beneficiary"] == self.filters.entity] if self.filters.entity and not lines.empty else lines

    @functools.cached_property
    def execution(self) -> list[execution_views.ExecutionView]:
        """The execution view of each entity in scope (instalments, cessation test, legal lines)."""
        return [
            execution_views.execution_view(
                session=self.session, filters=self.filters, entity=code, entity_name=name, plan_adopted_on=None
            )
            for code, name in self.entities
        ]


AttentionRule = Callable[[AttentionContext], list[Attention]]


@dataclass(frozen=True)
class Rule:
    key: str
    detect: AttentionRule


RULES: dict[str, Rule] = {}


def attention_rule(key: str) -> Callable[[AttentionRule], AttentionRule]:
    """Registers a rule under `key`; the attention list shows the rules' findings in the order they are registered,
    and the e-mail alerts watch them all. A rule that compares with the plan says nothing without a plan version."""

    def register(detect: AttentionRule) -> AttentionRule:
        if key in RULES:
            raise ValueError(f"an attention rule is already registered as {key!r}")
        RULES[key] = Rule(key, detect)
        return detect

    return register


@memo.memoised
def findings(*, session: Session, filters: Filters, tiles: list[Tile]) -> list[Attention]:
    """Everything the registered rules find, the attention list's items and what only the alerts watch."""
    ctx = AttentionContext(session, filters, tiles)
    return [item for rule in list(RULES.values()) for item in rule.detect(ctx)]


def attention_items(*, session: Session, filters: Filters, tiles: list[Tile]) -> list[Attention]:
    """The attention list: red indicators, late funding rounds and pending conditions, 1+1 coverage judged (the group
    against 1, each entity against its plan to date), equity still negative past the year the plan puts it back above
    zero, late instalments and legal tests of the plan's execution."""
    return [item for item in findings(session=session, filters=filters, tiles=tiles) if item.listed]


@attention_rule("indicator")
def _indicator_status(ctx: AttentionContext) -> list[Attention]:
    """A key indicator amber or red against the plan for its own period: the list shows the red ones, the alerts
    watch both colours."""
    out = []
    for t in ctx.tiles:
        if t.status not in (st_.AMBER, st_.RED):
            continue
        alert = text(
            N_("{label} — {name}: {value} as of {period_end} (plan {plan})"),
            label=t.labels,
            name=t.entity_name,
            value=shown("value", t.value, unit=t.unit, compact=True),
            period_end=shown("date_long", t.period_end),
            plan=shown("value", t.plan_value, unit=t.unit, compact=True),
        )
        listed = text(
            N_("{label} — {entity_name}: red at {period_end}, {gap_text}"),
            label=t.labels,
            entity_name=t.entity_name,
            period_end=shown("date_short", t.period_end),
            gap_text=gap_text(t),
        )
        red = t.status == st_.RED
        key = f"indicator:{t.entity}:{t.indicator}"
        out.append(Attention(t.status, listed if red else alert, "overview", key, t.entity, alert_text=alert, listed=red))
    return out


@attention_rule("late_contribution")
def _late_contributions(ctx: AttentionContext) -> list[Attention]:
    """A contribution of the plan past its planned date and not received (a conditional one only once its condition
    failed)."""
    out = []
    for line in ctx.lines.itertuples():
        if line.beneficiary not in ctx.names:
            continue
        if display_status(line.status, line.planned_date, ctx.filters.as_of, line.condition_status) == "late":
            said = late_contribution(line, ctx.names[line.beneficiary])
            key = f"funding:{ctx.filters.plan_version}:{line.code}"
            out.append(Attention(st_.RED, said, "funding", key, line.beneficiary, state=LATE))
    return out


@attention_rule("pending_condition")
def _pending_conditions(ctx: AttentionContext) -> list[Attention]:
    """A contribution whose condition is not met yet."""
    return [
        Attention(
            st_.AMBER,
            text(
                N_('Condition pending: "{condition}" ({contributor}, {planned_amount})'),
                condition=line.condition,
                contributor=line.contributor,
                planned_amount=shown("money", line.planned_amount),
            ),
            "funding",
            f"condition:{ctx.filters.plan_version}:{line.code}",
            line.beneficiary,
        )
        for line in ctx.lines.itertuples()
        if line.condition and line.condition_status == "pending"
    ]


@attention_rule("coverage")
def _coverage_judged(ctx: AttentionContext) -> list[Attention]:
    """The group's 1+1 coverage below the rule (1), an entity's behind its own plan to date: each says which
    judgement it is, with the gap in euros. The rule binds the group: its judgement is also in the list of each of
    its members."""
    if ctx.lines.empty:
        return []
    lines, definition, entity = ctx.plan_lines, OnePlusOneDefinition(), ctx.filters.entity
    actual = one_plus_one_coverage(lines, definition, basis="actual", as_of=ctx.filters.as_of)
    planned = one_plus_one_coverage(lines, definition, basis="planned", as_of=ctx.filters.as_of)
    plan_end = one_plus_one_coverage(lines, definition, basis="planned")
    end_year = max((d.year for d in lines["planned_date"]), default=None)
    items = []
    for j in judge_coverage(actual, planned, plan_end, as_of=ctx.filters.as_of, plan_end_year=end_year):
        in_scope = entity is None or j.entity == entity or (j.basis == GROUP_RULE and entity in ONE_PLUS_ONE_GROUP)
        if j.status not in (st_.AMBER, st_.RED) or not in_scope:
            continue
        if j.basis == GROUP_RULE:
            said = text(
                N_(
                    "1+1 rule, judged for the group ({members}): achieved {ratio} < 1, short by {short}; the plan "
                    "reaches {end} by {end_year} ({describe}, version {plan_version})"
                ),
                members=" + ".join(ctx.names.get(e, e) for e in ONE_PLUS_ONE_GROUP),
                ratio=shown("ratio", j.achieved),
                short=shown("money", j.gap_eur),
                end=shown("ratio", j.plan_end),
                end_year=end_year,
                describe=Clause(definition.description()),
                plan_version=ctx.filters.plan_version,
            )
            key, about = f"coverage:{ctx.filters.plan_version}:group", entity or ONE_PLUS_ONE_GROUP[0]
        else:
            said = text(
                N_(
                    "1+1 coverage of {name}, judged against its own plan to date: achieved {ratio}, planned by "
                    "{day} {to_date}, short by {short} ({describe}, version {plan_version})"
                ),
                name=ctx.names[j.entity],
                ratio=shown("ratio", j.achieved),
                day=shown("date_short", ctx.filters.as_of),
                to_date=shown("ratio", j.reference),
                short=shown("money", j.gap_eur),
                describe=Clause(definition.description()),
                plan_version=ctx.filters.plan_version,
            )
            key, about = f"coverage:{ctx.filters.plan_version}:{j.entity}", j.entity
        items.append(Attention(j.status, said, "funding", key, about))
    return items


@attention_rule("equity_negative")
def _equity_still_negative(ctx: AttentionContext) -> list[Attention]:
    """Equity still negative at a year-end on or after the one the plan puts it back above zero."""
    if not ctx.filters.plan_version:
        return []
    ents = [c for c, _n in ctx.entities]
    plan = queries.observations(
        session=ctx.session, indicators=["EQUITY"], entities=ents, scenario="plan", plan_version=ctx.filters.plan_version
    )
    actual = queries.observations(session=ctx.session, indicators=["EQUITY"], entities=ents, until=ctx.filters.as_of)
    out = []
    for entity in ents:
        path = plan[plan["entity"] == entity]
        year = first_plan_year_positive({d.year: v for d, v in zip(path["period_end"], path["value"], strict=True)})
        last = actual[actual["entity"] == entity].tail(1)
        # only an actual of that year-end or later is set against it: not the last figure known before it
        if year is None or last.empty or last.iloc[0]["period_end"] < dt.date(year, 12, 31):
            continue
        value = last.iloc[0]["value"]
        if value < 0:
            said = text(
                N_(
                    "{name}'s equity still negative at {period_end} "
                    "({money_compact}) although plan {plan_version} had it positive "
                    "by end {year}"
                ),
                name=ctx.names[entity],
                period_end=shown("date_short", last.iloc[0]["period_end"]),
                money_compact=shown("money_compact", value),
                plan_version=ctx.filters.plan_version,
                year=year,
            )
            out.append(Attention(st_.RED, said, "equity", f"equity:{entity}", entity))
    return out


@attention_rule("late_instalment")
def _late_instalments(ctx: AttentionContext) -> list[Attention]:
    """A missed or late instalment of the plan is red whatever else is green (the alert keeps one wording while the
    days go by)."""
    if not ctx.filters.plan_version:
        return []
    return [
        Attention(
            st_.RED,
            late_instalment(row, view.entity_name, days=True),
            "execution",
            f"instalment:{view.entity}:{row.claim}:{row.seq}",
            view.entity,
            state=LATE,
            alert_text=late_instalment(row, view.entity_name, days=False),
        )
        for view in ctx.execution
        for row in view.late.itertuples()
    ]


@attention_rule("cessation")
def _cessation_below_one(ctx: AttentionContext) -> list[Attention]:
    """The cessation-of-payments test (available assets over liabilities due) below 1."""
    if not ctx.filters.plan_version:
        return []
    return [
        Attention(
            st_.RED,
            cessation_below_one(view.entity_name, view.latest_cessation),
            "execution",
            f"cessation:{view.entity}",
            view.entity,
            state=BELOW,
        )
        for view in ctx.execution
        if view.latest_cessation is not None and view.latest_cessation < 1
    ]


@attention_rule("capital_floor")
def _capital_floor(ctx: AttentionContext) -> list[Attention]:
    """The variable capital below its legal floor (law of 1947)."""
    if not ctx.filters.plan_version:
        return []
    return [
        Attention(
            st_.RED,
            text(N_("{name}: {label} ({value})"), name=view.entity_name, label=line.label, value=line.value),
            "execution",
            f"capital_floor:{view.entity}",
            view.entity,
        )
        for view in ctx.execution
        for line in view.legal
        if line.status == st_.RED and line.article == execution_views.LAW_1947
    ]


@attention_rule("l626_minimum")
def _below_l626_minimum(ctx: AttentionContext) -> list[Attention]:
    """Instalments of the schedule below the L626-18 minimum (amber)."""
    if not ctx.filters.plan_version:
        return []
    out = []
    for view in ctx.execution:
        breaches = int(view.schedule["breaks_l626"].astype(bool).sum()) if not view.schedule.empty else 0
        if breaches:
            said = plural(
                "{name}: {n} instalment below the L626-18 minimum",
                "{name}: {n} instalments below the L626-18 minimum",
                breaches,
                name=view.entity_name,
            )
            out.append(Attention(st_.AMBER, said, "execution", f"l626:{view.entity}", view.entity))
    return out
