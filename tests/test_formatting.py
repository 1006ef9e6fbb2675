"""French formats first: `1 234 567 €`, `1,5 M€`, `12,4 %`, `12 mars 2024`."""

import datetime as dt
from decimal import Decimal as D

import numpy as np

from smartdash import formatting as f

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


def test_money_in_french_and_english():
    assert f.money(D("1234567")) == f"1{NNBSP}234{NNBSP}567{NBSP}€"
    assert f.money(D("1234567.891"), places=2) == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"
    assert f.money(-5900277, lang="en") == f"{MINUS}€5,900,277"
    assert f.money(D("-4756589")) == f"{MINUS}4{NNBSP}756{NNBSP}589{NBSP}€"
    assert f.money(None) == "—"


def test_compact_money():
    assert f.money_compact(D(1500000)) == f"1,5{NBSP}M€"
    assert f.money_compact(D(3000000)) == f"3{NBSP}M€"
    assert f.money_compact(D(250000)) == f"250{NBSP}k€"
    assert f.money_compact(D(-573000)) == f"{MINUS}573{NBSP}k€"
    assert f.money_compact(D(950)) == f"950{NBSP}€"
    assert f.money_compact(D(23713846)) == f"23,7{NBSP}M€"
    assert f.money_compact(D(1500000), lang="en") == f"1.5{NBSP}M€"


def test_percent_number_and_dates():
    assert f.percent(D("12.4")) == f"12,4{NBSP}%"
    assert f.percent(D("12.4"), lang="en") == "12.4%"
    assert f.number(20077) == f"20{NNBSP}077"
    assert f.number(np.int64(20077)) == f"20{NNBSP}077"
    assert f.date_long(dt.date(2024, 3, 12)) == "12 mars 2024"
    assert f.date_long(dt.date(2024, 3, 12), lang="en") == "12 March 2024"
    assert f.date_short(dt.date(2024, 3, 12)) == "12/03/2024"


def test_values_in_their_units():
    assert f.value(D("2297.4"), "FTE") == f"2{NNBSP}297,4"
    assert f.value(D("37.01"), "days") == f"37{NBSP}j"
    assert f.value(D("0.97"), "ratio") == "0,97"
    assert f.value(D(2024), "year") == "2024"
    assert f.value(D(1500000), "EUR", compact=True) == f"1,5{NBSP}M€"


def test_one_minus_sign_everywhere_and_never_a_hyphen():
    """U+2212 in every figure a page, a slide or a table download shows; a zero after rounding has no sign."""
    shown = [
        f.number(-3),
        f.money(-1),
        f.money(-1, lang="en"),
        f.money_compact(D(-4756589)),
        f.percent(D("-3.5")),
        f.ratio(D("-0.25")),
        f.value(D(-12), "days"),
        f.value(D("-1.5"), "FTE"),
        f.change(D(-2), "count"),
    ]
    assert all(text.startswith(MINUS) or text.startswith(f"€{MINUS}") for text in shown), shown
    assert not any("-" in text for text in shown)
    assert f.number(D("-0.04"), places=1) == "0,0"


def test_a_change_of_a_rate_is_in_points_and_signed():
    assert f.points(D("-0.3")) == f"{MINUS}0,3{NBSP}pt"
    assert f.points(D("1.26")) == f"+1,3{NBSP}pt"
    assert f.points(D("-0.3"), lang="en") == f"{MINUS}0.3{NBSP}pp"
    assert f.change(D("-0.3"), "percent") == f"{MINUS}0,3{NBSP}pt"  # a rate's change: never "−0,3 %"
    assert f.change(D(1200000), "EUR") == f"+1,2{NBSP}M€"
    assert f.change(D(-35), "days") == f"{MINUS}35{NBSP}j"
    assert f.change(D(0), "EUR") == f"0{NBSP}€"
    assert f.relative(D("-12.5")) == f"{MINUS}12,5{NBSP}%"  # a gap as a share of the plan stays in %
    assert f.change(None, "EUR") == ""


def test_a_missing_value_is_a_dash_never_nan_or_none():
    import math

    import pandas as pd

    for missing in (None, float("nan"), math.inf, D("NaN"), pd.NA, np.nan):
        assert f.money(missing) == f.number(missing) == f.percent(missing) == f.ratio(missing) == "—"
        assert f.money_compact(missing) == f.value(missing, "year") == f.points(missing) == "—"
    assert f.date_long(pd.NaT) == f.date_short(pd.NaT) == "—"
