"""The pages in AppTest, on the demo data, asserting what a reader sees (formatted as shown)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartdash import formatting, queries, ui
from smartdash.db import session_scope
from smartdash.importing import import_files
from smartdash.inert import escape
from smartdash.metrics.funding import OnePlusOneDefinition, one_plus_one_coverage
from smartdash.views import Filters
from smartdash.views import equity as equity_views
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
END_2023 = dt.date(2023, 12, 31)
DEMO_END = dt.date(2026, 11, 22)
MARK = " :orange[:material/science: démo]"  # what a metric of a synthetic figure shows after its label


def open_page(page: str | None = None, **state) -> AppTest:
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_navigation_pins_the_page_list_and_titles():
    assert ui.page_titles("fr") == ["Vue d'ensemble", "Capitaux propres", "Financement 1+1", "Effectifs",
                                        "Sociétariat", "Créances", "Exécution du plan", "Réunions et décisions",
                                      "Catalogue des indicateurs", "Versions du plan",
                                      "Dossier du comité", "Mes abonnements", "Chargement des données",
                                      "Administration"]
    assert ui.page_titles("en") == ["Overview", "Equity", "Funding 1+1", "Headcount",
                                                            "Membership", "Receivables", "Plan execution",
                                      "Meetings and decisions", "Indicator catalogue", "Plan versions", "Board pack",
                                      "My subscriptions", "Data loading",
                                      "Administration"]
    sectioned = [name for _label, names in ui.SECTIONS for name in names]
    assert sorted(sectioned) == sorted(path.split("/")[1].removesuffix(".py") for path, *_ in ui.PAGES)
    # every file in pages/ is in the navigation, so no legacy discovery can add another
    assert sorted(path for path, *_ in ui.PAGES) == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture
def demo(demo_store, app_env):
    app_env(demo_store.url)
    return demo_store


def test_overview_shows_status_tiles_and_what_needs_attention(demo):
    at = open_page()
    assert at.title[0].value == "Vue d'ensemble du plan"
    with session_scope(demo.engine) as s:
        equity = queries.observations(session=s, indicators=["EQUITY"], entities=["SMARTFR"], until=DEMO_END)
    first = [m.value for m in at.metric if m.label == "Capitaux propres ↑" + MARK][0]  # SmartFr's tiles come first
    assert first == formatting.money_compact(equity.iloc[-1]["value"])
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(badges) == len(at.metric)  # one status per tile
    assert ":red-badge[:material/error: rouge]" in badges
    texts = [m.value for m in at.markdown]
    late = escape("Apport en retard : SmartBe → SmartFr, 500\u202f000\u00a0€ prévu le 30 juin 2023")
    assert any(late in t for t in texts)
    assert any("Condition en attente" in t for t in texts)
    assert "Données de démonstration" in at.warning[0].value


def test_overview_in_english(demo):
    at = open_page(app_lang="en")
    assert at.title[0].value == "Plan overview"
    assert any("Late contribution" in m.value for m in at.markdown)


def test_equity_page_shows_the_bridge_closing_and_quasi_equity_apart(demo):
    at = open_page("equity")
    assert at.title[0].value == "Trajectoire des capitaux propres"
    assert [t.label for t in at.tabs] == ["SmartFr", "GrandsEnsemble", "Alterna"]
    f = Filters(None, DEMO_END, "previous", "PLAN-2024-06")
    with session_scope(demo.engine) as s:
        view = equity_views.equity_view(session=s, filters=f, entity="GRANDSENSEMBLE", entity_name="GrandsEnsemble")
    values = [m.value for m in at.metric if m.label == "Quasi-fonds propres (à part)" + MARK]
    assert values == ["—", formatting.money_compact(view.latest_quasi_equity), "—"]  # SmartFr, GrandsEnsemble, Alterna
    assert values[1] == "1,75\u00a0M€"
    assert [s.value for s in at.success][:3] == ["Contrôle (comptabilisé − calculé) : 0,00\u00a0€"] * 3


def test_funding_page_coverage_and_definition_switch(demo):
    at = open_page("funding", filter_plan_version="PLAN-2021-11", filter_as_of=DEMO_END)
    with session_scope(demo.engine) as s:
        lines = queries.contributions(session=s, plan_version="PLAN-2021-11")
    planned = one_plus_one_coverage(lines, OnePlusOneDefinition()).set_index("entity")
    assert planned.loc["GRANDSENSEMBLE", "coverage"] == Decimal(1019000) / Decimal(1500000)
    captions = {m.label: m for m in at.metric}
    assert "prévue : 0,68" in str(captions["GrandsEnsemble" + MARK].proto)
    assert "abandons de créances exclus" in at.info[0].value
    at.toggle(key="funding_waivers").set_value(True).run()
    at.toggle(key="funding_group_waivers").set_value(True).run()
    assert not at.exception
    assert "abandons de créances de SmartBe + abandons de créances intra-groupe" in at.info[0].value
    assert "prévue : 0,97" in str({m.label: m for m in at.metric}["Total" + MARK].proto)
    tables = [df.value for df in at.dataframe]
    discrepancies = next(t for t in tables if "Valeur A" in t.columns)
    assert list(discrepancies["Valeur A"]) == ["675\u202f000\u00a0€", "3\u202f600\u202f000\u00a0€"]
    assert list(discrepancies["Valeur B"]) == ["650\u202f000\u00a0€", "3\u202f677\u202f000\u00a0€"]


def test_headcount_page(demo):
    at = open_page("headcount", filter_entity="SMARTFR")
    with session_scope(demo.engine) as s:
        frame = queries.headcount(session=s, entities=["SMARTFR"], until=DEMO_END)
    last = frame[frame["population"] == "members"].iloc[-1]
    assert metrics(at)["Entrepreneurs-salariés" + MARK] == formatting.number(last["headcount"])


def test_membership_page_at_end_2023_shows_the_report_figures(demo):
    at = open_page("membership", filter_as_of=END_2023)
    assert metrics(at)["Membres"] == "20\u202f077"
    assert metrics(at)["Sociétaires"] == "37\u202f670"
    table = at.dataframe[0].value.set_index("Bureau")
    assert table.loc["Louvain-la-Neuve", "Membres par conseiller"] == "893"
    assert table.loc["Bruxelles", "Membres par conseiller"] == "227"
    assert table.loc["Louvain-la-Neuve", "À surveiller"] == "⚠" and table.loc["Bruxelles", "À surveiller"] == ""
    # the 2023 figures are the report's, with their source; the regions' 2021–2022 history is generated and marked
    assert set(table["Origine"]) == {"SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau"}
    assert {m.label: m.proto.help for m in at.metric}["Sociétaires"] == "Source : SmartCoop, rapport annuel 2023 — " \
                                                                         "Chiffres clés"
    assert "Données de démonstration" in at.warning[0].value


def test_receivables_page_at_end_2023_matches_the_annual_report(demo):
    at = open_page("receivables", filter_as_of=END_2023)
    shown = metrics(at)
    assert shown["Encours ouvert" + MARK] == "23,7\u00a0M€"  # generated items, calibrated on the balance sheet
    assert shown["dont échu" + MARK] == "14,5\u00a0M€"
    assert "37\u00a0j" == shown["DSO" + MARK]
    published, clients = at.dataframe[0].value, at.dataframe[1].value
    assert list(published["Valeur"])[:2] == ["23\u202f713\u202f846\u00a0€", "14\u202f500\u202f000\u00a0€"]
    assert list(published["Origine"])[:2] == ["SmartCoop, rapport annuel 2023 — Bilan consolidé",
                                              "SmartCoop, rapport annuel 2023 — Chiffres clés"]
    assert list(clients.columns)[:3] == ["Client", "Factures échues", "Montant échu"]
    assert len(clients) == 10 and set(clients["Origine"]) == {"démo / synthétique"}
    assert any("loi du 2 août 2002" in c.value and "30 jours par défaut" in c.value for c in at.caption)


@pytest.mark.parametrize("page", [None, "equity", "funding", "headcount", "membership", "receivables"])
def test_every_page_on_an_empty_store_says_what_to_load(page, store, app_env, monkeypatch):
    monkeypatch.setenv("SMARTDASH_CONFIG", str(ROOT / "tests" / "no-demo.toml"))
    app_env(store.url)
    at = open_page(page)
    assert not at.metric
    assert "Aucune donnée" in at.info[0].value


def test_a_page_opened_by_its_url_on_a_fresh_server_still_runs_inside_app_py(demo):
    """Before any visitor ran app.py, Streamlit routes pages/ the legacy way and would run the page alone."""
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.switch_page("pages/data.py").run()  # the first run of this server: no st.navigation seen yet
    assert not at.exception
    assert at.title[0].value == "Chargement des données"
    assert at.sidebar.selectbox(key="filter_entity")  # app.py's sidebar ran, so its gate and filters apply


def test_the_home_page_shows_a_figure_read_from_the_store(store, app_env):
    """A store holding one key indicator only: what the overview shows can only come from it."""
    files = {
        "entites.csv": "code;nom;pays;forme_juridique;sous_plan\nCOOP;Coopérative test;FR;Scop;oui\n",
        "indicateurs.csv": "code;libelle_fr;libelle_en;unite;sens;frequence;cle\n"
                           "MARGIN;Marge brute;Gross margin;EUR;hausse;mensuelle;oui\n",
        "observations.csv": "indicateur;entite;fin_periode;scenario;valeur;source\n"
                            "MARGIN;COOP;31/10/2026;réel;1 234 567;Comptabilité octobre\n",
    }
    import_files(store.engine, [(n, t.encode()) for n, t in files.items()], loaded_by="test")
    app_env(store.url)
    at = open_page()
    assert [(m.label, m.value) for m in at.metric] == [("Marge brute", "1,23\u00a0M€")]
    assert any("au 31 octobre 2026" in c.value for c in at.caption)
    assert not at.warning  # nothing synthetic is shown, so no demo banner
