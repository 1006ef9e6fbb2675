"""Plan execution: instalments to creditors, liquidity and the legal lines, per entity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.formatting import Shown, shown
from smartdash.i18n import N_, Plural, Text, plural, text
from smartdash.metrics import execution as ex
from smartdash.provenance import Provenance
from smartdash.views import Filters, memo

ZERO = Decimal(0)


INSTALMENT_SERIES = ("due", "paid")  # the series of `ExecutionView.by_year`, as codes


def by_year_together(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """`ExecutionView.by_year` of several entities added up: per year, what all of them owe and paid; a year's figures
    carry the origin of every entity's of that year."""
    frames = [f for f in frames if not f.empty]
    together = []
    for year, part in pd.concat(frames).groupby("year", sort=True) if frames else ():
        origin = Provenance.of_frame(part)
        said = {"is_synthetic": origin.synthetic, "source": origin.source_text}
        together += [
            {"year": year, "series": series, "value": sum(part.loc[part["series"] == series, "value"], ZERO), **said}
            for series in INSTALMENT_SERIES
        ]
    return pd.DataFrame(together, columns=["year", "series", "value", "is_synthetic", "source"])


LAW_1947 = text(N_("law of 10/09/1947, art. 13"))  # the variable-capital floor's reference (not a code article)
CASH_SERIES = ("own_cash", "members_cash")  # the series of `ExecutionView.cash`, as codes


@dataclass(frozen=True)
class LegalLine:
    """One legal test of the plan's execution; its label, article and value are messages with their figures as
    parameters (`i18n.Text`, `formatting.Shown`), rendered where they are shown."""

    label: Text
    article: Text | str
    binds: bool
    value: Text | Plural | Shown
    status: str | None  # green / red, or None for an informative line
    origin: Provenance = Provenance()  # where the figures the line is checked on come from


@dataclass(frozen=True)
class ExecutionView:
    entity: str
    entity_name: str
    schedule: pd.DataFrame  # creditor, seq, due_date, pct_of_claim, amount_due, amount_paid, paid_on, status,
    #                         days_late, l626_minimum, breaks_l626, is_synthetic
    due_to_date: Decimal
    paid_to_date: Decimal
    execution_rate: Decimal | None
    debt_left: Decimal
    due_this_year: Decimal
    late: pd.DataFrame  # the late instalments
    by_year: pd.DataFrame  # year, series (the codes of INSTALMENT_SERIES), value, is_synthetic, source
    cash: pd.DataFrame  # period_end, value, series (the codes of CASH_SERIES), dashed, is_synthetic, source
    cessation: pd.DataFrame  # period_end, value (ratio), is_synthetic, source
    latest_cessation: Decimal | None
    runway: Decimal | None
    own_cash: Decimal | None
    members_cash: Decimal | None
    cash_date: dt.date | None
    legal: list[LegalLine]
    equity: Decimal | None
    quasi_equity: Decimal | None
    is_synthetic: bool
    sources: list[str]
    origins: dict[str, Provenance] = None  # figure → where it comes from: schedule, cessation, cash, equity, quasi
    equity_date: dt.date | None = None  # yearly figures: their own date, not the as-of date
    quasi_equity_date: dt.date | None = None

    @property
    def cessation_date(self) -> dt.date | None:
        return None if self.cessation.empty else self.cessation["period_end"].iloc[-1]


def _latest(frame: pd.DataFrame, code: str, day: dt.date | None = None):
    part = frame[frame["indicator"] == code]
    if day is not None:
        part = part[part["period_end"] <= day]
    return None if part.empty else part.iloc[-1]


def _by_date(obs: pd.DataFrame, code: str) -> dict:
    """One indicator's rows, each a dict of value, is_synthetic and source, by period end, in the frame's order."""
    part = obs[obs["indicator"] == code]
    return {
        d: {"value": v, "is_synthetic": y, "source": src}
        for d, v, y, src in zip(part["period_end"], part["value"], part["is_synthetic"], part["source"], strict=True)
    }


@memo.memoised
def execution_view(
    *, session: Session, filters: Filters, entity: str, entity_name: str, plan_adopted_on: dt.date | None
) -> ExecutionView:
    """Everything the plan-execution page shows for one entity at the as-of date."""
    as_of = filters.as_of
    plan = queries.instalments(session=session, entities=[entity], known_at=as_of)
    states = [
        ex.instalment_state(
            due_date=d, amount_due=a, amount_paid=p if (o is not None and o <= as_of) else ZERO, paid_on=o, as_of=as_of
        )
        for d, a, p, o in zip(plan["due_date"], plan["amount_due"], plan["amount_paid"], plan["paid_on"], strict=True)
    ]
    plan = plan.assign(
        amount_paid=[
            p if (o is not None and o <= as_of) else ZERO for p, o in zip(plan["amount_paid"], plan["paid_on"], strict=True)
        ],
        status=[s.status for s in states],
        days_late=[s.days_late for s in states],
        l626_minimum=[ex.l626_18_minimum(int(q)) for q in plan["seq"]],
        breaks_l626=[ex.breaks_l626_18(int(q), p) for q, p in zip(plan["seq"], plan["pct_of_claim"], strict=True)],
    )
    due_rows = plan[(plan["due_date"] <= as_of).astype(bool)]
    due_to_date = sum(due_rows["amount_due"], ZERO)
    paid_to_date = sum(due_rows["amount_paid"], ZERO)
    by_year = []
    for year, part in plan.groupby(plan["due_date"].map(lambda d: d.year)):
        origin = Provenance.of_frame(part)
        said = {"is_synthetic": origin.synthetic, "source": origin.source_text}
        by_year += [
            {"year": year, "series": "due", "value": sum(part["amount_due"], ZERO), **said},
            {"year": year, "series": "paid", "value": sum(part["amount_paid"], ZERO), **said},
        ]
    obs = queries.observations(
        session=session,
        entities=[entity],
        until=as_of,
        indicators=["CASH_NET", "CASH_MEMBERS", "CREDIT_LINES", "DEBTS_DUE", "EQUITY", "QUASI_EQUITY", "SHARE_CAPITAL"],
    )
    # rows as plain dicts by date: a pandas `.at`/`.loc` per date and per series (thousands on a weekly history, each
    # through the Arrow-backed columns) was most of the time of the overview's rules and of the printed pack
    net, members, lines = (_by_date(obs, code) for code in ("CASH_NET", "CASH_MEMBERS", "CREDIT_LINES"))
    common = [d for d in net if d in members]

    def origin_of(*rows) -> dict:
        p = Provenance.of([r["is_synthetic"] for r in rows], [r["source"] for r in rows])
        return {"is_synthetic": p.synthetic, "source": p.source_text}

    own = pd.Series([ex.own_cash(net[d]["value"], members[d]["value"]) for d in common], index=common, dtype=object)
    own_origin = [origin_of(net[d], members[d]) for d in common]
    cash = pd.concat(
        [
            pd.DataFrame(
                {
                    "period_end": common,
                    "value": list(own),
                    "series": "own_cash",
                    "dashed": False,
                    "is_synthetic": [o["is_synthetic"] for o in own_origin],
                    "source": [o["source"] for o in own_origin],
                }
            ),
            pd.DataFrame(
                {
                    "period_end": common,
                    "value": [members[d]["value"] for d in common],
                    "series": "members_cash",
                    "dashed": True,
                    "is_synthetic": [bool(members[d]["is_synthetic"]) for d in common],
                    "source": [members[d]["source"] for d in common],
                }
            ),
        ],
        ignore_index=True,
    )
    cessation = []
    for day, debts in _by_date(obs, "DEBTS_DUE").items():
        cash_days = [d for d in common if d <= day]
        if cash_days and day in lines:
            last = cash_days[-1]
            cessation.append(
                {
                    "period_end": day,
                    "value": ex.cessation_ratio(own[last], lines[day]["value"], debts["value"]),
                    **origin_of(net[last], members[last], lines[day], debts),
                }
            )
    cessation = pd.DataFrame(cessation, columns=["period_end", "value", "is_synthetic", "source"])
    runway = None
    if common:
        last = common[-1]
        earlier = [d for d in common if d <= last - dt.timedelta(days=91)]
        runway = ex.runway_months(own[last], own[earlier[-1]]) if earlier else None
    capital = obs[obs["indicator"] == "SHARE_CAPITAL"]
    equity, quasi = _latest(obs, "EQUITY"), _latest(obs, "QUASI_EQUITY")
    origins = {
        "schedule": Provenance.of_frame(plan),
        "cessation": Provenance.of_frame(cessation.tail(1)),
        "cash": Provenance.of_frame(cash[cash["period_end"] == common[-1]]) if common else Provenance(),
        "equity": Provenance.of_frame(obs[obs["indicator"] == "EQUITY"].tail(1)),
        "quasi_equity": Provenance.of_frame(obs[obs["indicator"] == "QUASI_EQUITY"].tail(1)),
        "capital": Provenance.of_frame(capital),
    }
    legal = _legal_lines(
        capital=list(capital["value"]),
        equity=None if equity is None else equity["value"],
        ratio=cessation["value"].iloc[-1] if not cessation.empty else None,
        breaches=int(plan["breaks_l626"].sum()),
        has_schedule=not plan.empty,
        plan_adopted_on=plan_adopted_on,
        origins=origins,
    )
    year_rows = plan[plan["due_date"].map(lambda d: d.year == as_of.year).astype(bool)]
    return ExecutionView(
        entity=entity,
        entity_name=entity_name,
        schedule=plan,
        due_to_date=due_to_date,
        paid_to_date=paid_to_date,
        execution_rate=ex.execution_rate(list(due_rows["amount_due"]), list(due_rows["amount_paid"])),
        debt_left=sum(plan["amount_due"], ZERO) - sum(plan["amount_paid"], ZERO),
        due_this_year=sum(year_rows["amount_due"], ZERO),
        late=plan[(plan["status"] == "late").astype(bool)],
        by_year=pd.DataFrame(by_year, columns=["year", "series", "value", "is_synthetic", "source"]),
        cash=cash,
        cessation=cessation,
        latest_cessation=cessation["value"].iloc[-1] if not cessation.empty else None,
        runway=runway,
        own_cash=own[common[-1]] if common else None,
        members_cash=members[common[-1]]["value"] if common else None,
        cash_date=common[-1] if common else None,
        legal=legal,
        equity=None if equity is None else equity["value"],
        quasi_equity=None if quasi is None else quasi["value"],
        is_synthetic=bool(plan["is_synthetic"].any() or obs["is_synthetic"].any()),
        sources=list((Provenance.of_frame(plan) + Provenance.of_frame(obs)).sources),
        origins=origins,
        equity_date=None if equity is None else equity["period_end"],
        quasi_equity_date=None if quasi is None else quasi["period_end"],
    )


def _legal_lines(
    *,
    capital: list[Decimal],
    equity: Decimal | None,
    ratio: Decimal | None,
    breaches: int,
    has_schedule: bool,
    plan_adopted_on: dt.date | None,
    origins: dict[str, Provenance],
) -> list[LegalLine]:
    lines = []
    if ratio is not None:
        lines.append(
            LegalLine(
                text(N_("Cessation-of-payments test ≥ 1")),
                "L631-1",
                True,
                shown("ratio", ratio),
                "green" if ratio >= 1 else "red",
                origins["cessation"],
            )
        )
    lines.append(
        LegalLine(
            text(N_("Instalments: ≥ 5 {pct} from the 3rd, ≥ 10 {pct} from the 6th"), pct="%"),
            "L626-18",
            True,
            plural("{n} breach", "{n} breaches", breaches) if has_schedule else text(N_("no instalment schedule recorded")),
            ("red" if breaches else "green") if has_schedule else None,  # nothing to check is not "met"
            origins["schedule"],
        )
    )
    if capital:
        floor = ex.capital_floor(capital)
        lines.append(
            LegalLine(
                text(N_("Variable capital ≥ ¼ of its peak")),
                LAW_1947,
                True,
                text("{a} / {b}", a=shown("money_compact", capital[-1]), b=shown("money_compact", floor)),
                "green" if capital[-1] >= floor else "red",
                origins["capital"],
            )
        )
        half = capital[-1] / 2
        lines.append(
            LegalLine(
                text(N_("Equity ≥ ½ share capital — informative under a plan (L626-3)")),
                "L225-248 / L223-42",
                False,
                text("{a} / {b}", a=shown("money_compact", equity), b=shown("money_compact", half)),
                None,
                origins["equity"] + origins["capital"],
            )
        )
    end = ex.plan_end(plan_adopted_on) if plan_adopted_on else None
    lines.append(
        LegalLine(
            text(N_("Plan length: 10 years at most")),
            "L626-12",
            True,
            shown("date_long", end) if end else text(N_("adoption date to record (plan of November 2021: November 2031)")),
            None,
            Provenance.document(N_("Plan versions: adoption date")),
        )
    )
    return lines
