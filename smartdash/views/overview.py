"""The overview: one tile per key indicator, and what needs the committee's attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.formatting import Shown, shown
from smartdash.i18n import N_, Bilingual, Text, text
from smartdash.metrics import status as st_
from smartdash.views import Filters, memo, year_before


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
    key: str | None = None  # the matter found, the same across dates (what an alert is sent once about)
    entity: str | None = None  # the entity it is about (whose followers an alert reaches)
    state: str | None = None  # what an alert calls it: the severity, or "late", "below_1"
    alert_text: Text | None = None  # the e-mail alert's wording when it differs (it keeps one while days go by)
    listed: bool = True  # in the attention list, or watched by the alerts only (an amber indicator)


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


@memo.memoised
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
