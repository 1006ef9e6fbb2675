"""Every metric against a hand-computed expectation."""

import datetime as dt
from decimal import Decimal as D

import pandas as pd
import pytest

from smartdash.metrics import equity, funding, people, receivables
from smartdash.metrics.status import Thresholds, rag_status, trend_arrow, variance_pct, worst
from smartdash.metrics.versions import adopted_after
from smartdash.metrics.versions import version_in_force_on as in_force_on

UP, DOWN = Thresholds("up"), Thresholds("down")


@pytest.mark.parametrize(
    ("actual", "plan", "rule", "expected"),
    [
        (D(100), D(100), UP, "green"),
        (D(95), D(100), UP, "green"),  # exactly 5 % under: still green
        (D("94.9"), D(100), UP, "amber"),
        (D(90), D(100), UP, "amber"),  # exactly 10 % under: amber
        (D("89.9"), D(100), UP, "red"),
        (D(150), D(100), UP, "green"),  # better than plan
        (D(110), D(100), DOWN, "amber"),  # lower is better: 10 % over is amber
        (D(111), D(100), DOWN, "red"),
        (D(-110), D(-100), UP, "amber"),  # negative plan: variance over |plan|
        (D(-1), D(0), UP, "red"),  # break-even plan: any loss is red
        (D(0), D(0), UP, "green"),
        (D(5), None, UP, None),  # no plan: no status
        (None, D(5), UP, None),
    ],
)
def test_rag_status_against_plan(actual, plan, rule, expected):
    assert rag_status(actual, plan, rule) == expected


def test_rag_status_absolute_levels():
    coverage = Thresholds("up", "absolute", amber=D(1), red=D("0.8"))
    assert [rag_status(D(v), None, coverage) for v in ("1.2", "1", "0.9", "0.8", "0.79")] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
    ]
    dso = Thresholds("down", "absolute", amber=D(45), red=D(60))
    assert [rag_status(D(v), None, dso) for v in (30, 45, 50, 60, 61)] == ["green", "green", "amber", "amber", "red"]


def test_variance_trend_and_worst():
    assert variance_pct(D(-110), D(-100)) == D(-10)
    assert variance_pct(D(1), D(0)) is None
    assert [trend_arrow(D(2), D(1)), trend_arrow(D(1), D(2)), trend_arrow(D(1), D(1)), trend_arrow(None, D(1))] == [
        "↑",
        "↓",
        "→",
        "—",
    ]
    assert worst(["green", None, "amber"]) == "amber" and worst(["green", "red"]) == "red" and worst([None]) is None


def test_equity_bridge_closes_exactly_and_shows_a_gap():
    values = {
        "EQUITY": {2022: D("-4700000.00"), 2023: D("-4640000.50")},
        "NET_RESULT": {2023: D("-610000")},
        "CAPITAL_PAID_IN": {2023: D("700000.00")},
        "SHARES_REPAID": {2023: D("30000.50")},
    }
    bridge = equity.equity_bridge(values, 2023)
    assert bridge.computed_closing == D("-4640000.50")  # -4 700 000 - 610 000 + 700 000 - 30 000,50
    assert bridge.control == 0
    values["EQUITY"][2023] = D("-4640000.00")
    assert equity.equity_bridge(values, 2023).control == D("0.50")
    assert equity.equity_bridge(values, 2022) is None  # no opening equity
    assert [code for code, _a in bridge.steps()] == [
        "opening",
        "net_result",
        "capital_paid_in",
        "shares_repaid",
        "closing",
    ]  # no other movement: no "other" step
    assert dict(bridge.steps())["shares_repaid"] == D("-30000.50")


def test_year_equity_turns_positive_at_current_pace():
    # -900 → -600 over 3 years: +100 a year; -600 needs 6 more years
    assert equity.year_equity_turns_positive({2022: D(-900), 2023: D(-800), 2024: D(-700), 2025: D(-600)}) == 2031
    assert equity.year_equity_turns_positive({2024: D(-100), 2025: D(-150)}) is None  # going the wrong way
    assert equity.year_equity_turns_positive({2025: D(10)}) == 2025
    assert equity.year_equity_turns_positive({2024: D(-100), 2025: D(-50)}) == 2026
    assert equity.first_plan_year_positive({2028: D(-1), 2029: D(0), 2030: D(5)}) == 2029


def test_the_half_capital_line_is_french_law_only():
    assert equity.half_share_capital(D("3537262"), country="FR") == D("1768631")
    assert equity.half_share_capital(D("3537262"), country="BE") is None  # SmartCoop: Belgian law
    assert equity.half_share_capital(None, country="FR") is None


def annual_report_2022_2023() -> dict[str, dict[int, D]]:
    """SmartCoop's balance sheet as the 2023 annual report prints it (its subtotals are 1 € off their lines)."""
    return {
        "EQUITY": {2022: D(31991375), 2023: D(39856475)},
        "NET_RESULT": {2022: D(727623), 2023: D(-5900277)},
        "SHARE_CAPITAL": {2022: D(3025002), 2023: D(3537262)},
        "RESERVES": {2022: D(23421048), 2023: D(36674166)},
        "RETAINED_EARNINGS": {2022: D(4817701), 2023: D(5545325)},
    }


def test_a_bridge_from_an_annual_report_ends_at_the_booked_equity():
    """Capital and reserves moved: without them the bridge stopped at 26,1 M€ against 39,9 M€ booked."""
    bridge = equity.equity_bridge(annual_report_2022_2023(), 2023)
    steps = dict(bridge.steps())
    assert bridge.capital_net and steps["capital_paid_in"] == D(512260)  # 3 537 262 − 3 025 002
    assert "shares_repaid" not in steps  # not published: the capital step is the net change
    assert steps["reserves"] == D(13253118)
    assert steps["retained"] == D(1)  # + 727 624, of which 727 623 is the 2022 result appropriated
    assert steps["unexplained"] == D(-2) == bridge.control  # the report's own rounding, shown, not hidden
    assert bridge.steps()[-1] == ("closing", D(39856475))
    levels = bridge.steps()
    assert levels[0][1] + sum(a for code, a in levels[1:-1]) == levels[-1][1]  # the waterfall adds up to the booked figure


def test_a_bridge_that_does_not_close_shows_its_residual_as_a_step():
    values = {"EQUITY": {2022: D(100), 2023: D(180)}, "NET_RESULT": {2023: D(50)}}
    bridge = equity.equity_bridge(values, 2023)
    assert bridge.control == D(30)
    assert [code for code, _a in bridge.steps()] == [
        "opening",
        "net_result",
        "capital_paid_in",
        "shares_repaid",
        "unexplained",
        "closing",
    ]
    assert bridge.steps()[-1] == ("closing", D(180))


def plan_tables() -> pd.DataFrame:
    """The plan's financing tables (November 2021), typed in by hand from the document."""
    rows = [  # beneficiary, class, instrument class, counts flag, amount
        ("SMARTFR", "smartbe", "income", False, "3800000"),  # claim waiver
        ("SMARTFR", "smartbe", "equity", True, "1000000"),  # capital 2022
        ("SMARTFR", "smartbe", "equity", True, "500000"),  # capital 2023, conditional
        ("SMARTFR", "members", "equity", True, "134000"),
        ("SMARTFR", "members", "equity", True, "143000"),
        ("SMARTFR", "members", "equity", True, "3400000"),
        ("SMARTFR", "partners", "undecided", True, "1250000"),
        ("GRANDSENSEMBLE", "smartbe", "quasi_equity", True, "1500000"),  # current account
        ("GRANDSENSEMBLE", "members", "equity", True, "27000"),
        ("GRANDSENSEMBLE", "members", "equity", True, "22000"),
        ("GRANDSENSEMBLE", "members", "equity", True, "720000"),
        ("GRANDSENSEMBLE", "group", "income", False, "650000"),  # SmartFr's waiver
        ("GRANDSENSEMBLE", "partners", "quasi_equity", True, "250000"),
    ]
    return pd.DataFrame(
        {
            "beneficiary": [r[0] for r in rows],
            "contributor_class": [r[1] for r in rows],
            "equity_class": [r[2] for r in rows],
            "counts_one_plus_one": [r[3] for r in rows],
            "planned_amount": [D(r[4]) for r in rows],
            "status": "planned",
            "planned_date": dt.date(2023, 12, 31),
            "received_amount": None,
            "received_date": None,
        }
    )


def test_planned_coverage_of_the_plan_strict_definition():
    cov = funding.one_plus_one_coverage(plan_tables(), funding.OnePlusOneDefinition()).set_index("entity")
    assert cov.loc["SMARTFR", "smartbe_eur"] == D(1500000)
    assert cov.loc["SMARTFR", "matched_eur"] == D(4927000)  # 3 677 000 + 1 250 000
    assert cov.loc["GRANDSENSEMBLE", "matched_eur"] == D(1019000)  # 769 000 + 250 000
    assert cov.loc["GRANDSENSEMBLE", "shortfall_eur"] == D(481000)
    assert round(cov.loc["GRANDSENSEMBLE", "coverage"], 4) == D("0.6793")
    assert cov.loc["__total__", "smartbe_eur"] == D(3000000)
    assert cov.loc["__total__", "coverage"] == D("5946000") / D("3000000")


def test_planned_coverage_of_the_plan_counting_every_waiver():
    definition = funding.OnePlusOneDefinition(include_claim_waivers=True, include_group_waivers=True)
    cov = funding.one_plus_one_coverage(plan_tables(), definition).set_index("entity")
    assert cov.loc["SMARTFR", "smartbe_eur"] == D(5300000)  # the table's total: 1,5 M€ + 3,8 M€
    assert cov.loc["SMARTFR", "shortfall_eur"] == D(373000)
    assert cov.loc["GRANDSENSEMBLE", "matched_eur"] == D(1669000)  # + 650 k€ intra-group waiver
    assert cov.loc["__total__", "coverage"] == D("6596000") / D("6800000")  # 0,97: the rule is not met
    assert definition.code == "broad" and funding.OnePlusOneDefinition().code == "strict"
    assert "abandons de créances exclus" in funding.OnePlusOneDefinition().describe("fr")
    assert "intra-group" in definition.describe("en")


def test_actual_coverage_counts_only_what_was_received_by_the_as_of_date():
    lines = plan_tables()
    lines.loc[1, ["received_amount", "received_date"]] = [D(1000000), dt.date(2022, 7, 1)]
    lines.loc[3, ["received_amount", "received_date"]] = [D(120000), dt.date(2022, 1, 15)]
    lines.loc[4, ["received_amount", "received_date"]] = [D(130000), dt.date(2023, 1, 15)]
    cov = funding.one_plus_one_coverage(
        lines, funding.OnePlusOneDefinition(), basis="actual", as_of=dt.date(2022, 12, 31)
    ).set_index("entity")
    assert cov.loc["SMARTFR", "smartbe_eur"] == D(1000000)
    assert cov.loc["SMARTFR", "matched_eur"] == D(120000)
    assert cov.loc["GRANDSENSEMBLE", "coverage"] is None  # SmartBe brought nothing there yet


def demo_like_lines() -> pd.DataFrame:
    """SmartFr's lines of the June 2024 revision: dates as the plan puts them."""
    rows = [
        ("smartbe", "equity", "1000000", dt.date(2022, 6, 30)),
        ("smartbe", "equity", "500000", dt.date(2023, 6, 30)),
        ("members", "equity", "134000", dt.date(2021, 12, 31)),
        ("members", "equity", "143000", dt.date(2022, 12, 31)),
        ("partners", "undecided", "800000", dt.date(2025, 12, 31)),
    ]
    rows += [("members", "equity", "377777.78", dt.date(y, 12, 31)) for y in range(2023, 2031)]
    rows += [("members", "equity", "377777.76", dt.date(2031, 12, 31))]
    return pd.DataFrame(
        {
            "beneficiary": "SMARTFR",
            "contributor_class": [r[0] for r in rows],
            "equity_class": [r[1] for r in rows],
            "counts_one_plus_one": True,
            "planned_amount": [D(r[2]) for r in rows],
            "status": "planned",
            "planned_date": [r[3] for r in rows],
            "received_amount": None,
            "received_date": None,
        }
    )


def test_planned_coverage_to_date_counts_what_the_plan_puts_by_that_date_not_its_end():
    day = dt.date(2026, 11, 22)
    to_date = funding.one_plus_one_coverage(demo_like_lines(), funding.OnePlusOneDefinition(), as_of=day)
    end = funding.one_plus_one_coverage(demo_like_lines(), funding.OnePlusOneDefinition())
    smartfr, whole = to_date.set_index("entity").loc["SMARTFR"], end.set_index("entity").loc["SMARTFR"]
    assert smartfr["matched_eur"] == D("2210333.34")  # 134 k + 143 k + 3 × 377 777,78 + 800 k
    assert round(smartfr["coverage"], 2) == D("1.47")  # not 2,98: that is the plan's end
    assert round(whole["coverage"], 2) == D("2.98") and whole["until"] == dt.date(2031, 12, 31)
    actual = funding.one_plus_one_coverage(demo_like_lines(), funding.OnePlusOneDefinition(), basis="actual", as_of=day)
    assert set(to_date["until"]) == set(actual["until"]) == {day}  # comparable: counted to the same date


def test_subscriptions_count_for_the_year_they_are_due_for():
    """Year N's subscriptions arrive in January N+1: by year of payment, 2021 read 0 % and 2022 got 2021's money."""
    lines = demo_like_lines()
    paid = {
        dt.date(2021, 12, 31): ("104599.08", dt.date(2022, 1, 25)),
        dt.date(2022, 12, 31): ("132031.36", dt.date(2023, 2, 6)),
        dt.date(2023, 12, 31): ("296980.62", dt.date(2024, 2, 13)),
    }
    keys = [
        d if c == "members" and d in paid else None
        for c, d in zip(lines["contributor_class"], lines["planned_date"], strict=True)
    ]
    lines["received_amount"] = [D(paid[k][0]) if k else None for k in keys]
    lines["received_date"] = [paid[k][1] if k else None for k in keys]
    by_year = funding.subscriptions_by_due_year(lines, as_of=dt.date(2023, 12, 31))
    assert by_year == {2021: D("104599.08"), 2022: D("132031.36")}  # 2023's arrives in February 2024
    salary = {2021: D(10000000), 2022: D(10000000), 2023: D(10000000)}
    frame = funding.member_subscriptions(by_year, salary, as_of=dt.date(2023, 12, 31))
    assert list(frame["year"]) == [2021, 2022]  # 2023 is not due yet at 31/12/2023: not shown as 0 %
    assert frame.loc[0, "collection_rate"] == D("104599.08") / D(200000)
    later = funding.member_subscriptions(
        funding.subscriptions_by_due_year(lines, as_of=dt.date(2024, 6, 30)), salary, from_year=2022, as_of=dt.date(2024, 6, 30)
    )
    assert list(later["year"]) == [2022, 2023]  # the rule applies from 2022
    assert later.loc[1, "paid_up_eur"] == D("296980.62")


def test_the_plan_version_in_force_on_a_date_is_the_last_adopted_by_then():
    versions = pd.DataFrame(
        {
            "code": ["PLAN-2024-06", "PLAN-2021-11", "DRAFT"],
            "status": ["in_force", "superseded", "draft"],
            "adopted_on": [dt.date(2024, 6, 30), None, None],
        }
    )
    assert in_force_on(versions, dt.date(2023, 12, 31)) == "PLAN-2021-11"  # not the June 2024 revision
    assert in_force_on(versions, dt.date(2024, 6, 29)) == "PLAN-2021-11"
    assert in_force_on(versions, dt.date(2024, 6, 30)) == "PLAN-2024-06"
    assert in_force_on(versions, dt.date(2020, 1, 1)) == "PLAN-2021-11"  # undated: the plan as first adopted
    assert adopted_after(versions, "PLAN-2024-06", dt.date(2023, 12, 31))
    assert not adopted_after(versions, "PLAN-2024-06", dt.date(2024, 6, 30))
    assert not adopted_after(versions, "PLAN-2021-11", dt.date(2021, 1, 1))
    assert adopted_after(versions, "DRAFT", dt.date(2026, 1, 1))


def test_a_contribution_is_late_after_its_planned_date():
    day = dt.date(2023, 6, 30)
    assert funding.display_status("planned", day, dt.date(2023, 6, 30)) == "planned"
    assert funding.display_status("planned", day, dt.date(2023, 7, 1)) == "late"
    assert funding.display_status("committed", day, dt.date(2024, 1, 1)) == "late"
    assert funding.display_status("received", day, dt.date(2024, 1, 1)) == "received"


def test_member_subscriptions_against_the_2_percent_rule():
    frame = funding.member_subscriptions({2023: D(150000)}, {2023: D(10000000), 2024: D(5000000)})
    assert list(frame["expected_eur"]) == [D(200000), D(100000)]
    assert frame.loc[0, "collection_rate"] == D("0.75")
    assert frame.loc[1, "paid_up_eur"] == 0


def test_receivables_ratios_and_dso():
    buckets = {"not_due": D(9213846), "d1_30": D(5000000), "d31_60": D(4000000), "d61_90": D(3000000), "d90_plus": D(2500000)}
    assert receivables.overdue_ratio(buckets) == D(14500000) / D(23713846)
    assert receivables.share_over_90(buckets) == D(2500000) / D(23713846)
    assert receivables.overdue_ratio({}) is None
    assert receivables.dso(D(23713846), D(234457299), 365) == D(23713846) / D(234457299) * 365
    assert receivables.dso(D(1), D(0), 365) is None
    assert receivables.days_past_due(dt.date(2023, 12, 31), dt.date(2023, 11, 30)) == 31


def test_people_ratios():
    assert people.fte(D("1516.70")) == D(10)
    assert people.fte(D("1820.04"), months=12) == D(1)
    assert people.attrition(12, 48) == D("0.25")
    assert people.turnover(12, 8, 40) == D("0.25")
    assert people.attrition(1, 0) is None
    assert people.members_per_adviser(1786, 2) == D(893)
    assert people.members_per_adviser(169, None) is None
    assert people.stands_out(D(893), D(227)) and not people.stands_out(D(300), D(227))


def test_legal_payment_terms_follow_the_entitys_country_and_the_date():
    french = receivables.payment_rule("fr", dt.date(2023, 12, 31))
    assert [t.days for t in french.terms] == [60] and "L441-10" in french.text_fr and "45 jours fin de mois" in french.text_fr
    belgian = receivables.payment_rule("BE", dt.date(2023, 12, 31))
    assert [t.days for t in belgian.terms] == [30, 60]
    assert "loi du 2 août 2002" in belgian.text_fr and "modifiée en 2021" in belgian.text_fr
    before = receivables.payment_rule("be", dt.date(2022, 1, 31))  # the 2021 amendment is in force from 1/2/2022
    assert [t.days for t in before.terms] == [30] and "PME" in before.text_fr
    assert receivables.payment_rule("de", dt.date(2023, 12, 31)).terms == ()


def test_dso_is_measured_against_the_twelve_months_of_sales_before_the_snapshot():
    monthly = [(dt.date(2023, m, 28), D(100)) for m in range(1, 13)] + [(dt.date(2024, 1, 31), D(5000))]
    assert receivables.trailing_sales(dt.date(2023, 12, 31), monthly) == (dt.date(2023, 1, 1), dt.date(2023, 12, 28), D(1200))
    assert receivables.trailing_sales(dt.date(2023, 11, 30), monthly) is None  # eleven months only
