"""French formats first: `1 234 567 €`, `1,5 M€`, `12,4 %`, `12 mars 2024`."""

import datetime as dt
from decimal import Decimal as D

import numpy as np

from smartdash import formatting as f

NNBSP, NBSP = "\u202f", "\u00a0"


def test_money_in_french_and_english():
    assert f.money(D("1234567")) == f"1{NNBSP}234{NNBSP}567{NBSP}€"
    assert f.money(D("1234567.891"), places=2) == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"
    assert f.money(-5900277, lang="en") == "-€5,900,277"
    assert f.money(None) == "—"


def test_compact_money():
    assert f.money_compact(D(1500000)) == f"1,5{NBSP}M€"
    assert f.money_compact(D(3000000)) == f"3{NBSP}M€"
    assert f.money_compact(D(250000)) == f"250{NBSP}k€"
    assert f.money_compact(D(-573000)) == f"-573{NBSP}k€"
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
