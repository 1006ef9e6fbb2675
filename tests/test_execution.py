"""Plan execution: instalments, the L626-18 minimums, own cash, the cessation test and the legal lines."""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartdash import formatting, queries
from smartdash.db import session_scope
from smartdash.inert import escape
from smartdash.metrics import execution as ex
from smartdash.present import execution as xp
from smartdash.views import Filters
from smartdash.views import execution as xv
from smartdash.views import overview as ov
from smartdash.views import rules as rules_views
from tests.conftest import login, shown_tables

ROOT = Path(__file__).resolve().parent.parent
END = dt.date(2026, 11, 22)


def test_execution_rate_and_l626_18_on_a_hand_built_schedule():
    # a claim of 100 000 €, ten yearly instalments; the 3rd at exactly 5 % and the 6th at exactly 10 % are fine
    pcts = [D(1), D(2), D(5), D("4.99"), D(8), D(10), D("9.9"), D(20), D(20), D("20.11")]
    breaches = [seq for seq, pct in enumerate(pcts, start=1) if ex.breaks_l626_18(seq, pct)]
    assert breaches == [4, 7]  # 4,99 % from the 3rd, 9,9 % from the 6th
    assert [ex.l626_18_minimum(s) for s in (1, 2, 3, 5, 6, 10)] == [0, 0, 5, 5, 10, 10]
    due = [D(1000), D(2000), D(5000)]
    assert ex.execution_rate(due, [D(1000), D(2000), D(2500)]) == D(5500) / D(8000)
    assert ex.execution_rate([], []) is None


@pytest.mark.parametrize(
    ("paid", "paid_on", "as_of", "expected"),
    [
        (D(100), dt.date(2025, 11, 10), dt.date(2025, 12, 1), ("paid", 0)),
        (D(100), dt.date(2025, 12, 6), dt.date(2025, 12, 31), ("paid_late", 21)),
        (D(50), dt.date(2025, 11, 13), dt.date(2025, 11, 22), ("late", 7)),
        (D(0), None, dt.date(2025, 11, 15), ("upcoming", 0)),  # due today: not late yet
        (D(0), None, dt.date(2025, 11, 16), ("late", 1)),
        (D(100), dt.date(2025, 12, 6), dt.date(2025, 12, 1), ("late", 16)),  # paid after the as-of date: unknown then
    ],
)
def test_instalment_state_at_a_date(paid, paid_on, as_of, expected):
    state = ex.instalment_state(due_date=dt.date(2025, 11, 15), amount_due=D(100), amount_paid=paid, paid_on=paid_on, as_of=as_of)
    assert (state.status, state.days_late) == expected


def test_liquidity_formulas():
    assert ex.own_cash(D(3000000), D(1700000)) == D(1300000)  # members' money is not the cooperative's
    assert ex.cessation_ratio(D(1300000), D(500000), D(1500000)) == D("1.2")
    assert ex.cessation_ratio(D(1), D(0), D(0)) is None
    assert ex.runway_months(D(900000), D(1200000)) == D(9)  # 100 000 € a month
    assert ex.runway_months(D(1200000), D(900000)) is None  # cash grew: no burn
    assert ex.capital_floor([D(2400000), D(4110000), D(3900000)]) == D("1027500")
    assert ex.plan_end(dt.date(2021, 11, 30)) == dt.date(2031, 11, 30)
    assert ex.plan_end(dt.date(2024, 2, 29)) == dt.date(2034, 2, 28)


def test_the_view_excludes_members_cash_from_own_cash(demo_store):
    f = Filters("SMARTFR", END, "previous", "PLAN-2024-06")
    with session_scope(demo_store.engine) as s:
        view = xv.execution_view(session=s, filters=f, entity="SMARTFR", entity_name="SmartFr", plan_adopted_on=None)
        obs = queries.observations(session=s, indicators=["CASH_NET", "CASH_MEMBERS"], entities=["SMARTFR"], until=END)
    net = obs[obs["indicator"] == "CASH_NET"].iloc[-1]["value"]
    members = obs[obs["indicator"] == "CASH_MEMBERS"].iloc[-1]["value"]
    assert view.cash_date == END
    assert view.own_cash == net - members and view.members_cash == members
    # the demo's November 2026 URSSAF instalment is half paid: 7 days late at the as-of date
    [late] = view.late.to_dict("records")
    assert (late["creditor"], late["seq"], late["days_late"]) == ("URSSAF Île-de-France", 5, 7)
    assert late["amount_due"] - late["amount_paid"] == D("30000.00")
    assert view.schedule["breaks_l626"].sum() == 0
    # the cumulative rate never without its gap in euros: what is paid of what was due, and what is short
    gap = formatting.money(view.due_to_date - view.paid_to_date, lang="fr")
    assert gap == "30\u202f000\u00a0€"
    assert xp.execution_rate_text(view, "fr") == (
        f"payé ÷ dû à date : {formatting.money(view.paid_to_date, lang='fr')} sur "
        f"{formatting.money(view.due_to_date, lang='fr')}, manque {gap}"
    )


def test_a_late_instalment_turns_the_overview_red(demo_store):
    f = Filters("SMARTFR", END, "previous", "PLAN-2024-06")
    with session_scope(demo_store.engine) as s:
        tiles = ov.overview_tiles(session=s, filters=f)
        items = rules_views.attention_items(session=s, filters=f, tiles=tiles)
        before = rules_views.attention_items(
            session=s, filters=Filters("SMARTFR", dt.date(2026, 11, 14), "previous", "PLAN-2024-06"), tiles=tiles
        )
    late = [a for a in items if a.page == "execution"]
    assert [a.severity for a in late] == ["red"]
    assert late[0].text.render("fr").startswith("Échéance du plan en retard : SmartFr → URSSAF Île-de-France, 30\u202f000")
    assert not [a for a in before if a.page == "execution"]  # the day before it fell due, nothing was late


def test_the_execution_page_draws_the_chosen_entity_only_and_its_workbook_keeps_every_entity(demo_store, app_env, monkeypatch):
    from smartdash.web import downloads

    kept: list[list[str]] = []  # the tables of each run's page workbook
    tables: dict = {}
    workbook = downloads.page_workbook

    def recorded(page: str) -> None:
        kept.append(list(getattr(downloads._tables, "shown", {})))
        tables.update(getattr(downloads._tables, "shown", {}))
        workbook(page)

    monkeypatch.setattr(downloads, "page_workbook", recorded)
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/execution.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["SmartFr", "GrandsEnsemble", "Alterna"]
    every_entity = [
        f"{table} {name}" for name in ("SmartFr", "GrandsEnsemble", "Alterna") for table in ("Lignes légales", "Échéancier")
    ]
    assert kept[-1] == every_entity
    hidden = tables["Lignes légales Alterna"]  # a hidden tab's table, made when the workbook is downloaded
    assert callable(hidden) and "Article" in hidden().columns
    rates = [m for m in at.metric if m.label.startswith("Taux d'exécution cumulé")]
    assert len(rates) == 1  # SmartFr's tiles, not the hidden tabs'
    assert at.error[0].value.startswith(escape("Échéance en retard : URSSAF Île-de-France"))

    at.session_state["execution_entity"] = "GrandsEnsemble"  # the reader chooses another tab
    at.run()
    assert not at.exception
    assert len([m for m in at.metric if m.label.startswith("Taux d'exécution cumulé")]) == 1
    assert not any("URSSAF Île-de-France" in e.value for e in at.error)  # SmartFr's late instalment is in its own tab
    assert kept[-1] == every_entity


def test_the_execution_page_shows_the_late_instalment_and_the_legal_lines(demo_store, app_env):
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/execution.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["SmartFr", "GrandsEnsemble", "Alterna"]
    assert at.error[0].value.startswith(escape("Échéance en retard : URSSAF Île-de-France, rang 5"))
    legal = next(t for t in shown_tables(at) if "Article" in t.columns)
    assert list(legal["Article"]) == ["L631-1", "L626-18", "loi du 10/09/1947, art. 13", "L225-248 / L223-42", "L626-12"]
    assert list(legal["Contraignante"]) == ["oui", "oui", "oui", "non", "oui"]
