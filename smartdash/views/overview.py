"""The overview: one tile per key indicator, and what needs the committee's attention."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.formatting import Shown, shown
from smartdash.i18n import N_, Bilingual, Clause, Text, text
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
from smartdash.views import Filters, year_before


@dataclass(frozen=True)
class Tile:
    """One key indicator for one entity at the as-of date."""

    indicator: str
    labels: Bilingual  # the catalogue's label in both languages (data)
    unit: str
    entity: str
    entity_name: str
    value: Decimal | None
    period_end: dt.date | None
    compare: str  # what `compare_value` is: plan / meeting / year / previous (views.COMPARISONS)
    compare_value: Decimal | None
    plan_value: Decimal | None  # the plan's value for the same period as `value`, never another one
    plan_version: str | None
    status: str | None
    trend: str
    is_synthetic: bool = False
    source: str | None = None
    direction: str = "up"
    plan_period_end: dt.date | None = None  # the period of `plan_value`: always `period_end`
    rule: st_.Thresholds | None = None  # the catalogue's amber / red thresholds the status was judged by
    meeting_day: dt.date | None = None  # with compare == "meeting": the as-of date of the last meeting's figures
    frequency: str = ""  # the catalogue's: a monthly figure is one month's flow, said wherever its period is shown
    compare_day: dt.date | None = None  # the period end of `compare_value` (the plan's: `period_end`)

    @property
    def change(self) -> Decimal | None:
        """Change since the comparison point (indicator's unit)."""
        if self.value is None or self.compare_value is None:
            return None
        return self.value - self.compare_value

    @property
    def gap(self) -> Decimal | None:
        """Gap to plan = actual − plan (indicator's unit)."""
        return None if self.value is None or self.plan_value is None else self.value - self.plan_value

    @property
    def gap_pct(self) -> Decimal | None:
        return None if self.value is None or self.plan_value is None else st_.variance_pct(self.value, self.plan_value)

    @property
    def delta_colour(self) -> str:
        """The change's colour: green when it goes the indicator's favourable way, red otherwise (set here rather
        than from the sign of the text: the minus sign U+2212 is not a hyphen)."""
        change = self.change
        if not change:
            return "gray"
        return "green" if (change > 0) == (self.direction == "up") else "red"

    @property
    def delta_arrow(self) -> str:
        change = self.change
        return "off" if not change else "up" if change > 0 else "down"


@dataclass(frozen=True)
class Attention:
    """Something the committee must look at: severity red / amber, the message (a code with its parameters, rendered
    in the reader's language where it is shown), the page to open."""

    severity: str
    text: Text
    page: str


def tile_entities(*, session: Session, entity: str | None) -> list[tuple[str, str]]:
    """(code, name) of the entities the tiles are for: the chosen one, else every entity under the plan."""
    frame = queries.entities(session=session)
    if entity:
        frame = frame[frame["code"] == entity]
    else:
        frame = frame[frame["under_plan"].astype(bool)]
    return list(zip(frame["code"], frame["name"], strict=True))


def _value_at(series: pd.DataFrame, day: dt.date | None) -> pd.Series | None:
    """The newest row of a series on or before `day`."""
    if day is None or series.empty:
        return None
    before = series[series["period_end"] <= day]
    return None if before.empty else before.iloc[-1]


def last_meeting_as_of(*, session: Session, as_of: dt.date) -> dt.date | None:
    """The as-of date of the figures shown at the last meeting held before `as_of`."""
    frame = queries.meetings(session=session)
    held = frame[(frame["held_on"] <= as_of) & (frame["status"] != "planned")]
    return None if held.empty else held.iloc[-1]["as_of"]


def overview_tiles(*, session: Session, filters: Filters) -> list[Tile]:
    """A tile per (key indicator × entity): value at the as-of date, change since the comparison point,
    gap to the plan version chosen, status from the indicator's thresholds and trend."""
    catalogue = queries.indicators(session=session, key_only=True)
    ents = tile_entities(session=session, entity=filters.entity)
    if catalogue.empty or not ents:
        return []
    codes, entity_codes = list(catalogue["code"]), [c for c, _n in ents]
    actual = queries.observations(session=session, indicators=codes, entities=entity_codes, until=filters.as_of)
    plan = (
        queries.observations(
            session=session, indicators=codes, entities=entity_codes, scenario="plan", plan_version=filters.plan_version
        )
        if filters.plan_version
        else actual.iloc[0:0]
    )
    meeting_day = last_meeting_as_of(session=session, as_of=filters.as_of) if filters.compare == "meeting" else None
    tiles = []
    for entity, entity_name in ents:
        for ind in catalogue.itertuples():
            series = actual[(actual["indicator"] == ind.code) & (actual["entity"] == entity)]
            plan_series = plan[(plan["indicator"] == ind.code) & (plan["entity"] == entity)]
            if series.empty and plan_series.empty:
                continue
            row = _value_at(series, filters.as_of)
            value = None if row is None else row["value"]
            period_end = None if row is None else row["period_end"]
            # the plan's value for the actual's own period: a monthly actual is never set beside a year-end plan
            plan_row = plan_series[plan_series["period_end"] == period_end] if period_end else plan_series.iloc[0:0]
            plan_value = None if plan_row.empty else plan_row.iloc[-1]["value"]
            plan_period = None if plan_row.empty else plan_row.iloc[-1]["period_end"]
            previous = (
                series[series["period_end"] < period_end].iloc[-1]
                if period_end and (series["period_end"] < period_end).any()
                else None
            )
            if filters.compare == "plan":
                past = plan_row.iloc[-1] if not plan_row.empty else None
            elif filters.compare == "meeting":
                past = _value_at(series, meeting_day)
            elif filters.compare == "year":  # the same period a year earlier, or the last figure known by then
                past = _value_at(series, year_before(period_end) if period_end else None)
            else:
                past = previous
            compare_value = None if past is None else past["value"]
            rule = st_.Thresholds(ind.direction, ind.threshold_mode, ind.amber, ind.red)
            tiles.append(
                Tile(
                    indicator=ind.code,
                    labels=Bilingual(ind.label_fr, ind.label_en),
                    unit=ind.unit,
                    entity=entity,
                    entity_name=entity_name,
                    value=value,
                    period_end=period_end,
                    compare=filters.compare,
                    compare_value=compare_value,
                    plan_value=plan_value,
                    plan_version=filters.plan_version,
                    status=st_.rag_status(value, plan_value, rule),
                    trend=st_.trend_arrow(value, None if previous is None else previous["value"]),
                    is_synthetic=bool(row["is_synthetic"]) if row is not None else False,
                    source=row["source"] if row is not None and isinstance(row["source"], str) else None,
                    direction=ind.direction,
                    plan_period_end=plan_period,
                    rule=rule,
                    meeting_day=meeting_day,
                    frequency=ind.frequency,
                    compare_day=None if past is None else past["period_end"],
                )
            )
    return tiles


@dataclass
class AttentionContext:
    """What the attention rules share: the store's session, the filters, the key indicators' tiles, and what more
    than one rule reads (the plan version's funding lines in scope, the entities' names), read once."""

    session: Session
    filters: Filters
    tiles: list[Tile]

    @functools.cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(*[queries.entities(session=self.session)[c] for c in ("code", "name")], strict=True))

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


AttentionRule = Callable[[AttentionContext], list[Attention]]
ATTENTION_RULES: list[AttentionRule] = []


def attention_rule(rule: AttentionRule) -> AttentionRule:
    """Registers a rule of the attention list; the list shows the rules' items in the order they are registered.
    A rule that compares with the plan says nothing without a plan version."""
    ATTENTION_RULES.append(rule)
    return rule


def attention_items(*, session: Session, filters: Filters, tiles: list[Tile]) -> list[Attention]:
    """Everything the registered rules raise: red indicators, late funding rounds and pending conditions, 1+1
    coverage judged (the group against 1, each entity against its plan to date), equity still negative past the
    year the plan puts it back above zero, late instalments and legal tests of the plan's execution."""
    ctx = AttentionContext(session, filters, tiles)
    return [item for rule in ATTENTION_RULES for item in rule(ctx)]


@attention_rule
def _red_indicators(ctx: AttentionContext) -> list[Attention]:
    """A key indicator red against the plan for its own period."""
    return [
        Attention(
            "red",
            text(
                N_("{label} — {entity_name}: red at {period_end}, {gap_text}"),
                label=t.labels,
                entity_name=t.entity_name,
                period_end=shown("date_short", t.period_end),
                gap_text=gap_text(t),
            ),
            "overview",
        )
        for t in ctx.tiles
        if t.status == "red"
    ]


@attention_rule
def _funding_lines(ctx: AttentionContext) -> list[Attention]:
    """A contribution late on its planned date (red), a condition not yet met (amber), line by line."""
    items = []
    for line in ctx.lines.itertuples():
        if display_status(line.status, line.planned_date, ctx.filters.as_of, line.condition_status) == "late":
            items.append(Attention("red", late_contribution(line, ctx.names[line.beneficiary]), "funding"))
        if line.condition and line.condition_status == "pending":
            items.append(
                Attention(
                    "amber",
                    text(
                        N_('Condition pending: "{condition}" ({contributor}, {planned_amount})'),
                        condition=line.condition,
                        contributor=line.contributor,
                        planned_amount=shown("money", line.planned_amount),
                    ),
                    "funding",
                )
            )
    return items


@attention_rule
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
        items.append(Attention(j.status, said, "funding"))
    return items


@attention_rule
def _equity_rule(ctx: AttentionContext) -> list[Attention]:
    if not ctx.filters.plan_version:
        return []
    return _equity_still_negative(session=ctx.session, filters=ctx.filters, names=ctx.names)


@attention_rule
def _execution_rule(ctx: AttentionContext) -> list[Attention]:
    if not ctx.filters.plan_version:
        return []
    return _execution_alerts(session=ctx.session, filters=ctx.filters)


def _execution_alerts(*, session: Session, filters: Filters) -> list[Attention]:
    """A missed or late instalment, a failed cessation-of-payments test or a capital below its legal floor is red
    whatever else is green; an instalment below the L626-18 minimum is amber."""
    from smartdash.views.execution import LAW_1947, execution_view

    out = []
    for entity, name in tile_entities(session=session, entity=filters.entity):
        view = execution_view(session=session, filters=filters, entity=entity, entity_name=name, plan_adopted_on=None)
        for row in view.late.itertuples():
            out.append(Attention("red", late_instalment(row, name, days=True), "execution"))
        if view.latest_cessation is not None and view.latest_cessation < 1:
            out.append(Attention("red", cessation_below_one(name, view.latest_cessation), "execution"))
        for line in view.legal:
            if line.status == "red" and line.article == LAW_1947:
                said = text(N_("{name}: {label} ({value})"), name=name, label=line.label, value=line.value)
                out.append(Attention("red", said, "execution"))
        breaches = view.schedule[view.schedule["breaks_l626"].astype(bool)] if not view.schedule.empty else []
        if len(breaches):
            out.append(
                Attention(
                    "amber",
                    text(N_("{name}: {n_breaches} instalment(s) below the L626-18 minimum"), name=name, n_breaches=len(breaches)),
                    "execution",
                )
            )
    return out


def _equity_still_negative(*, session: Session, filters: Filters, names: dict[str, str]) -> list[Attention]:
    ents = [c for c, _n in tile_entities(session=session, entity=filters.entity)]
    plan = queries.observations(
        session=session, indicators=["EQUITY"], entities=ents, scenario="plan", plan_version=filters.plan_version
    )
    actual = queries.observations(session=session, indicators=["EQUITY"], entities=ents, until=filters.as_of)
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
            out.append(
                Attention(
                    "red",
                    text(
                        N_(
                            "{name}'s equity still negative at {period_end} "
                            "({money_compact}) although plan {plan_version} had it positive "
                            "by end {year}"
                        ),
                        name=names[entity],
                        period_end=shown("date_short", last.iloc[0]["period_end"]),
                        money_compact=shown("money_compact", value),
                        plan_version=filters.plan_version,
                        year=year,
                    ),
                    "equity",
                )
            )
    return out


def gap_text(tile: Tile) -> Text:
    """A tile's gap to plan as the attention list says it: in the indicator's unit first (€ for money, points for a
    rate), then as a share of the plan only when the plan is positive — a share of a negative plan reads backwards
    (an equity 2 M€ below a plan of −2,7 M€ is "−74 %"), so the plan is given instead and the share withheld."""
    amount = shown("change", tile.gap, unit=tile.unit)
    if tile.unit == "percent" or tile.plan_value is None or tile.plan_value == 0:
        return text(N_("{gap} against the plan for the same period"), gap=amount)
    plan = shown("value", tile.plan_value, unit=tile.unit, compact=True)
    if tile.plan_value < 0:
        return text(
            N_("{gap} against the plan for the same period (plan {plan}: a negative base, no percentage)"),
            gap=amount,
            plan=plan,
        )
    return text(
        N_("{gap} against the plan for the same period ({relative} of the plan, {plan})"),
        gap=amount,
        relative=shown("relative", tile.gap_pct),
        plan=plan,
    )


def gap_cell(tile: Tile) -> Shown | Text | None:
    """A tile's gap to plan in a table cell or a caption (`gap_between`)."""
    return gap_between(tile.value, tile.plan_value, tile.unit)


def gap_between(value: Decimal | None, plan: Decimal | None, unit: str) -> Shown | Text | None:
    """A value's gap to its plan in a table cell or a caption: the amount in the indicator's unit (€, points for a
    rate), with its share of the plan only when the plan is positive, "negative base" when it is negative; None
    without both figures."""
    if value is None or plan is None:
        return None
    amount = shown("change", value - plan, unit=unit)
    if unit == "percent" or plan == 0:
        return amount
    if plan < 0:
        return text(N_("{gap} (negative base)"), gap=amount)
    return text("{gap} ({relative})", gap=amount, relative=shown("relative", st_.variance_pct(value, plan)))


def late_contribution(line, name: str) -> Text:
    """A funding line past its planned date and not received (the overview's list, the e-mail alerts); a date the plan
    gives as a year is said as the plan says it."""
    if line.date_precision == "year":
        return text(
            N_("Late contribution: {contributor} → {name}, {planned_amount} due in {year} (by {planned_date})"),
            contributor=line.contributor,
            name=name,
            planned_amount=shown("money", line.planned_amount),
            year=line.planned_date.year,
            planned_date=shown("date_long", line.planned_date),
        )
    return text(
        N_("Late contribution: {contributor} → {name}, {planned_amount} due {planned_date}"),
        contributor=line.contributor,
        name=name,
        planned_amount=shown("money", line.planned_amount),
        planned_date=shown("date_long", line.planned_date),
    )


def late_instalment(row, name: str, *, days: bool) -> Text:
    """A plan instalment late at the as-of date; `days`: with how many days late (the e-mail alert keeps one
    wording while the days go by)."""
    params = {
        "name": name,
        "creditor": row.creditor,
        "unpaid": shown("money", row.amount_due - row.amount_paid),
        "due_date": shown("date_long", row.due_date),
    }
    if days:
        return text(
            N_("Late plan instalment: {name} → {creditor}, {unpaid} unpaid since {due_date} ({days_late} days)"),
            days_late=row.days_late,
            **params,
        )
    return text(N_("Late plan instalment: {name} → {creditor}, {unpaid} unpaid since {due_date}"), **params)


def cessation_below_one(name: str, ratio: Decimal) -> Text:
    return text(N_("{name}'s cessation-of-payments test below 1 ({ratio})"), name=name, ratio=shown("ratio", ratio))
