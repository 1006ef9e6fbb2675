"""The pages in AppTest, on the demo data, asserting what a reader sees (formatted as shown)."""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartdash import formatting, queries
from smartdash.db import session_scope
from smartdash.importing import import_files
from smartdash.inert import escape
from smartdash.metrics.funding import OnePlusOneDefinition, one_plus_one_coverage
from smartdash.views import COMPARISONS, Filters
from smartdash.views import equity as equity_views
from smartdash.web import filters, registry
from tests.conftest import login, shown_tables

ROOT = Path(__file__).resolve().parent.parent
END_2023 = dt.date(2023, 12, 31)
DEMO_END = dt.date(2026, 11, 22)
MARK = " ✱ démo"  # what a metric of a synthetic figure shows after its label (plain text: read as written)


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


def catalogue_entries(lang: str) -> dict[str, str]:
    """msgid → msgstr of a catalogue (no message context)."""
    from babel.messages.pofile import read_po

    with (ROOT / "smartdash" / "locale" / lang / "LC_MESSAGES" / "smartdash.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str) and not m.context}


def test_every_page_and_menu_section_has_a_title_in_both_catalogues():
    """Derived from the page registry: a page added there without its title in a catalogue fails here."""
    french, english = catalogue_entries("fr"), catalogue_entries("en")
    for message in [page.message for page in registry.PAGES] + [section.message for section in registry.SECTIONS]:
        assert french.get(message), f"{message!r} has no French title"
        assert message in english and english[message] == "", f"{message!r} is not in the English catalogue as itself"
    for lang, catalogue in (("fr", french), ("en", english)):
        titles = registry.page_titles(lang)
        assert titles == [catalogue[p.message] or p.message for p in registry.PAGES]
        assert len(set(titles)) == len(titles), lang  # no two pages share a title in the menu


def test_the_navigation_follows_the_page_registry():
    assert registry.PAGES[0].name == "overview"  # the home page
    menu = {
        section.title("fr"): [page.name for page in registry.PAGES if page.section is section] for section in registry.SECTIONS
    }
    assert list(menu) == [section.title("fr") for section in registry.SECTIONS]
    assert sorted(name for names in menu.values() for name in names) == sorted(page.name for page in registry.PAGES)
    assert all(menu.values())  # no empty menu section
    # every file in pages/ is in the navigation, so no legacy discovery can add another
    assert sorted(page.path for page in registry.PAGES) == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


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
    late = escape("Apport en retard : Partenaires financiers → SmartFr, 800\u202f000\u00a0€ prévu en 2025")
    assert any(late in t for t in texts)
    assert not any("Apport en retard : SmartBe" in t for t in texts)  # the conditional tranche: pending, not late
    assert any(escape("Règle 1+1, jugée pour le groupe (SmartFr + GrandsEnsemble)") in t for t in texts)
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
    # each figure with its own origin: where an entity has no quasi-equity, nothing synthetic is shown
    values = [m.value for m in at.metric if m.label.removesuffix(MARK) == "Quasi-fonds propres (à part)"]
    assert values == ["—", formatting.money_compact(view.latest_quasi_equity), "—"]  # SmartFr, GrandsEnsemble, Alterna
    assert values[1] == "1,75\u00a0M€"
    assert [s.value for s in at.success][:3] == ["Contrôle (comptabilisé − calculé) : 0,00\u00a0€"] * 3


def test_the_plan_version_follows_the_as_of_date_and_a_later_one_says_so(demo):
    at = open_page()
    assert "· plan : PLAN-2024-06 ·" in at.caption[0].value  # in force on 22/11/2026
    at.session_state["filter_as_of"] = END_2023
    at.run()
    assert at.caption[0].value.startswith("Situation au 31 décembre 2023 · plan : PLAN-2021-11 ·")  # revised in 2024
    at = open_page(filter_as_of=END_2023)  # AppTest keeps the sidebar's widgets in its tree on a first run only
    version = at.selectbox(key="filter_plan_version")
    assert version.format_func(version.value) == "En vigueur : PLAN-2021-11"
    assert version.format_func("PLAN-2024-06").endswith(" — adoptée après cette date")
    at.session_state["filter_plan_version"] = "PLAN-2024-06"  # still selectable
    at.run()
    assert "· plan : PLAN-2024-06 (adoptée après cette date) ·" in at.caption[0].value
    at = open_page("equity", filter_as_of=END_2023, filter_plan_version="PLAN-2024-06")
    assert at.caption[0].value == "Situation au 31 décembre 2023 · plan : PLAN-2024-06 (adoptée après cette date)"


def chart_texts(at: AppTest) -> list[str]:
    """Every chart's spec, as text (labels, data and titles)."""
    return [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("vega_lite_chart")]


def test_smartcoops_bridge_ends_at_its_booked_equity_and_draws_no_french_legal_line(demo):
    at = open_page("equity", filter_entity="SMARTCOOP", filter_as_of=END_2023)
    bridge = next(t for t in chart_texts(at) if "Pont des capitaux propres 2023" in t)
    for step in ("Capital (var. nette)", "Réserves", "Non expliqué", "Clôture"):
        assert step in bridge
    assert at.error[0].value == (
        "Contrôle (comptabilisé − calculé) : \u22122,00\u00a0€ — montré dans le pont comme « non expliqué »"
    )
    trajectory = next(t for t in chart_texts(at) if "réel et plan" in t)
    assert "½ capital social" not in trajectory  # Belgian law: no L225-248 line
    assert metrics(at)["Positifs au rythme actuel"] == "Déjà"


def test_the_break_even_target_is_the_year_the_plan_states(demo):
    """GrandsEnsemble's planned result is positive from 2021 (the intra-group waiver): the plan says 2024."""
    at = open_page("equity", filter_entity="GRANDSENSEMBLE", filter_as_of=END_2023)
    results = next(t for t in chart_texts(at) if "Résultat net contre l'équilibre" in t)
    assert "équilibre : résultat ≥ 0 (visé par le plan : 2024)" in results
    assert "dès" not in results and "None" not in results
    assert any(escape("« Équilibre économique (résultat net ≥ 0) en 2024 »") in c.value for c in at.caption)
    trajectory = next(t for t in chart_texts(at) if "réel et plan" in t)
    assert "½ capital social" in trajectory  # French law


def test_funding_page_sets_achieved_coverage_beside_planned_to_date(demo):
    """At 22/11/2026 (the June 2024 revision in force) SmartFr has 1,21 achieved against 2,21 M€ ÷ 1,5 M€ = 1,47
    planned to date; 2,98 is the plan's end (2031) and says so."""
    at = open_page("funding", filter_as_of=DEMO_END)
    assert "plan : PLAN-2024-06" in at.caption[0].value
    tiles = {m.label.removesuffix(MARK): m for m in at.metric}  # the contributions received are partly generated
    smartfr = str(tiles["SmartFr"].proto)
    assert 'body: "1,21"' in smartfr
    assert 'delta_description: "réalisée · prévue à date : 1,47"' in smartfr
    assert 'delta_description: "réalisée · prévue à date : 0,36"' in str(tiles["GrandsEnsemble"].proto)
    captions = [c.value for c in at.caption]
    assert captions[captions.index("Fin du plan (2031) : 2,98") + 1].startswith("SmartBe 1\u00a0M€")  # SmartFr's tile
    assert "Fin du plan (2031) : 0,68" in captions
    assert at.toggle(key="funding_group_waivers").label == (
        "Compter les abandons intra-groupe (SmartFr → GrandsEnsemble : 650\u00a0k€ comptés, le texte du plan dit 675\u00a0k€)"
    )
    captions = " ".join(captions)
    assert (
        escape("la couverture compte 3\u202f677\u202f000\u00a0€ (le plan imprime aussi 3\u202f600\u202f000\u00a0€)") in captions
    )
    tables = shown_tables(at)
    discrepancies = next(t for t in tables if "Valeur A" in t.columns)
    assert list(discrepancies["Valeur A"]) == ["675\u202f000\u00a0€", "3\u202f600\u202f000\u00a0€"]
    assert list(discrepancies["Valeur B"]) == ["650\u202f000\u00a0€", "3\u202f677\u202f000\u00a0€"]
    assert list(discrepancies["Retenu par la couverture 1+1"]) == [
        "650\u202f000\u00a0€ (valeur B)",
        "3\u202f677\u202f000\u00a0€ (valeur B)",
    ]
    assert discrepancies["Remarque"].iloc[1] == "Les lignes du tableau (134 k€ + 143 k€ + 3,4 M€) font 3,677 M€."
    assert not discrepancies.isna().any().any()


def test_funding_page_definition_switch(demo):
    at = open_page("funding", filter_plan_version="PLAN-2021-11", filter_as_of=DEMO_END)
    with session_scope(demo.engine) as s:
        lines = queries.contributions(session=s, plan_version="PLAN-2021-11")
    planned = one_plus_one_coverage(lines, OnePlusOneDefinition()).set_index("entity")
    assert planned.loc["GRANDSENSEMBLE", "coverage"] == Decimal(1019000) / Decimal(1500000)
    assert "Fin du plan (2031) : 0,68" in [c.value for c in at.caption]
    assert "abandons de créances exclus" in at.info[0].value
    at.toggle(key="funding_waivers").set_value(True).run()
    at.toggle(key="funding_group_waivers").set_value(True).run()
    assert not at.exception
    assert "abandons de créances de SmartBe + abandons de créances intra-groupe" in at.info[0].value
    assert "Fin du plan (2031) : 0,97" in [c.value for c in at.caption]
    assert any(
        escape("Abandon de créances SmartFr → GrandsEnsemble : la couverture compte 650\u202f000\u00a0€") in c.value
        for c in at.caption
    )
    tables = shown_tables(at)
    discrepancies = next(t for t in tables if "Valeur A" in t.columns)
    assert list(discrepancies["Valeur A"]) == ["675\u202f000\u00a0€", "3\u202f600\u202f000\u00a0€"]
    assert list(discrepancies["Valeur B"]) == ["650\u202f000\u00a0€", "3\u202f677\u202f000\u00a0€"]
    assert "Origine" in discrepancies.columns


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
    table = next(df.value for df in at.dataframe if "Région" in df.value.columns).set_index("Bureau")
    assert table.loc["Louvain-la-Neuve", "Membres par conseiller"] == "893"
    assert table.loc["Bruxelles", "Membres par conseiller"] == "227"
    assert table.loc["Louvain-la-Neuve", "À surveiller"] == "⚠" and table.loc["Bruxelles", "À surveiller"] == ""
    # the 2023 figures are the report's, with their source; the regions' 2021–2022 history is generated and marked
    assert set(table["Origine"]) == {"SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau"}
    assert {m.label: m.proto.help for m in at.metric}["Sociétaires"] == "Source : SmartCoop, rapport annuel 2023 — Chiffres clés"
    assert "Données de démonstration" in at.warning[0].value


def test_receivables_page_at_end_2023_matches_the_annual_report(demo):
    at = open_page("receivables", filter_as_of=END_2023)
    shown = metrics(at)
    assert shown["Encours ouvert" + MARK] == "23,7\u00a0M€"  # generated items, calibrated on the balance sheet
    # the generated past-due part, marked, is not the report's outstanding under reminder shown below it
    assert shown["dont échu" + MARK] != "14,5\u00a0M€"
    assert "37\u00a0j" == shown["DSO" + MARK]
    published, clients = shown_tables(at)[:2]  # static tables, as the page shows them
    assert list(published["Valeur"])[:2] == ["23\u202f713\u202f846\u00a0€", "14\u202f500\u202f000\u00a0€"]
    assert list(published["Origine"])[:2] == [
        "SmartCoop, rapport annuel 2023 — Bilan consolidé",
        "SmartCoop, rapport annuel 2023 — Chiffres clés",
    ]
    assert list(clients.columns)[:3] == ["Client", "Factures échues", "Montant échu"]
    assert len(clients) == 10 and set(clients["Origine"]) == {"démo / synthétique"}
    assert any("loi du 2 août 2002" in c.value and "30 jours par défaut" in c.value for c in at.caption)


@pytest.mark.parametrize("page", [None if p.name == "overview" else p.name for p in registry.PAGES if p.figures])
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


VOLATILE = re.compile(r"^\s*\w*(id|url):.*$", re.MULTILINE)  # a download's file id, new at every run


def shown(at: AppTest) -> list[str]:
    """Everything the page's main area shows, element by element (a tab's content included), as Streamlit sends it,
    without what changes from one run to the next whatever is shown (a download's file id) nor empty elements."""

    def walk(node) -> list[str]:
        children = getattr(node, "children", None)
        if children:
            return [text for child in children.values() for text in walk(child)]
        proto = getattr(node, "proto", None)
        return [VOLATILE.sub("", str(proto))] if proto is not None else []

    return [text for text in walk(at.main) if text.strip()]


def first_run_on(page: registry.Page, **state) -> AppTest:
    """The app's first run, straight on `page` with `state` set: AppTest keeps the sidebar's widgets in its tree on a
    first run only."""
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page.path).run()
    assert not at.exception, (page.name, [e.value for e in at.exception])
    return at


def offers_comparison(at: AppTest) -> bool:
    return any(s.key == filters.COMPARE_KEY for s in at.sidebar.selectbox)


@pytest.mark.parametrize("page", [p for p in registry.PAGES if p.compares], ids=lambda p: p.name)
def test_every_page_offering_the_comparison_changes_with_it(demo, page):
    """The registry says which pages follow the sidebar's "Compare with": each offers it, and each other choice than
    the first shows something else on the page."""
    seen = {}
    for compare in COMPARISONS:
        at = first_run_on(page, **{filters.COMPARE_KEY: compare})
        assert offers_comparison(at), page.name
        assert at.sidebar.selectbox(key=filters.COMPARE_KEY).value == compare
        seen[compare] = shown(at)
    assert shown(first_run_on(page, **{filters.COMPARE_KEY: COMPARISONS[0]})) == seen[COMPARISONS[0]]  # the same again
    for compare in COMPARISONS[1:]:
        assert seen[compare] != seen[COMPARISONS[0]], (page.name, compare)


@pytest.mark.parametrize("page", [p for p in registry.PAGES if not p.compares], ids=lambda p: p.name)
def test_a_page_that_compares_nothing_does_not_offer_the_comparison(demo, page):
    assert not offers_comparison(first_run_on(page, **{filters.COMPARE_KEY: "meeting"}))
