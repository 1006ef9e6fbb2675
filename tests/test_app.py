"""The app in AppTest: it renders without exception and shows figures read from the store."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from smartdash.importing import import_files

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def run_app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.session_state["app_lang"] = lang
    return at.run()


def test_home_shows_a_figure_read_from_the_store(store, app_env):
    # a store holding one figure only, so what the page shows can only come from it
    files = [
        ("entites.csv", "code;nom;pays;forme_juridique\nSMARTCOOP;SmartCoop;BE;Coopérative\n"),
        ("effectifs.csv", "entite;fin_periode;population;effectif;etp;source\n"
                          "SMARTCOOP;31/12/2025;entrepreneurs-salariés;21 345;2 400,5;Rapport 2025\n"),
    ]
    import_files(store.engine, [(n, t.encode()) for n, t in files], loaded_by="test")
    app_env(store.url)
    at = run_app()
    assert not at.exception
    assert [mt.label for mt in at.metric] == ["Membres salariés — SmartCoop"]
    assert at.metric[0].value == "21\u202f345"
    assert "au 31 décembre 2025 · document source" in [c.value for c in at.caption]
    assert not at.warning  # nothing synthetic shown, so no demo banner


def test_home_on_the_demo_data_marks_synthetic_figures(demo_store, app_env):
    app_env(demo_store.url)
    at = run_app()
    assert not at.exception
    values = {mt.label: mt.value for mt in at.metric}
    assert values["Membres salariés — SmartCoop"] == "20\u202f077"
    assert values["Quasi-fonds propres — GrandsEnsemble"] == "1,8\u00a0M€"
    assert "Données de démonstration" in at.warning[0].value
    assert "au 22 novembre 2026 · démo / synthétique" in [c.value for c in at.caption]


def test_home_in_english(demo_store, app_env):
    app_env(demo_store.url)
    at = run_app("en")
    assert not at.exception
    assert at.title[0].value == "Plan overview"
    assert {mt.label: mt.value for mt in at.metric}["Salaried members — SmartCoop"] == "20,077"


def test_an_empty_store_says_what_to_load(store, app_env, monkeypatch):
    monkeypatch.setenv("SMARTDASH_CONFIG", str(ROOT / "tests" / "no-demo.toml"))
    app_env(store.url)
    at = run_app()
    assert not at.exception
    assert not at.metric
    assert "init-db --demo" in at.info[0].value
