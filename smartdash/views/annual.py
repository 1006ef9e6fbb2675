"""An entity's annual report figures that no other view reads: its income statement, its cash and debts, and its
activity (employment contracts, hours worked, production units, clients, invoicing per tool) — SmartCoop's, in the
demo, as its 2022–2023 annual report gives them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.provenance import Provenance

# the figures, in the order a reader of an annual report expects them: income statement, balance sheet, activity
ANNUAL_REPORT_CODES = (
    "MEMBERS_TURNOVER",
    "TURNOVER_ACTIVITES",
    "TURNOVER_CONTRATS",
    "MUTUAL_CONTRIBUTION",
    "TOTAL_INCOME",
    "MUTUAL_COSTS",
    "DEPRECIATION",
    "CASH",
    "CASH_INVESTMENTS",
    "DEBTS",
    "PROVISIONS",
    "TOTAL_ASSETS",
    "CONTRACTS",
    "HOURS_WORKED",
    "PRODUCTION_UNITS",
    "CLIENTS",
    "INVOICED_ACTIVITE",
    "INVOICED_3EN1",
)


@dataclass(frozen=True)
class AnnualFigures:
    entity: str
    entity_name: str
    years: list[int]  # the latest year-end on or before the as-of date that has a figure, and the one before it
    figures: pd.DataFrame  # code, label_fr, label_en, unit, then one value column per year (None: not given), with
    #                        is_synthetic and source of the latest year's value

    @property
    def origin(self) -> Provenance:
        return Provenance.of_frame(self.figures)


def annual_figures(*, session: Session, as_of: dt.date, entity: str | None = None) -> list[AnnualFigures]:
    """Per entity not under the plan (or the chosen one), its annual report figures of the last two year-ends on or
    before `as_of`; an entity without any is left out."""
    entities = queries.entities(session=session)
    chosen = entities[entities["code"] == entity] if entity else entities[~entities["under_plan"].astype(bool)]
    catalogue = queries.indicators(session=session).set_index("code")
    out = []
    for code, name in zip(chosen["code"], chosen["name"], strict=True):
        obs = queries.observations(session=session, indicators=list(ANNUAL_REPORT_CODES), entities=[code], until=as_of)
        obs = obs[[d.month == 12 and d.day == 31 for d in obs["period_end"]]] if not obs.empty else obs
        if obs.empty:
            continue
        latest = max(d.year for d in obs["period_end"])
        years = [latest - 1, latest]
        rows = []
        for indicator in ANNUAL_REPORT_CODES:
            part = obs[obs["indicator"] == indicator]
            if part.empty or indicator not in catalogue.index:
                continue
            by_year = {d.year: r for d, r in zip(part["period_end"], part.itertuples(), strict=True)}
            if latest not in by_year:
                continue
            shown = by_year[latest]
            rows.append(
                {
                    "code": indicator,
                    "label_fr": catalogue.loc[indicator, "label_fr"],
                    "label_en": catalogue.loc[indicator, "label_en"],
                    "unit": catalogue.loc[indicator, "unit"],
                    **{str(y): by_year[y].value if y in by_year else None for y in years},
                    "is_synthetic": bool(shown.is_synthetic),
                    "source": shown.source,
                }
            )
        if rows:
            out.append(AnnualFigures(code, name, years, pd.DataFrame(rows)))
    return out
