"""The committee's questions in a real browser (Debian's chromium) on a projector's screen (1280×720), each answered
from the overview in at most two clicks: the equity gap to plan per entity in euros, the offices that lost members
since last year, what is more than 90 days overdue in euros and how the DSO moved. Then the director's week: a load
moves the session to the new as-of date, and undo asks first."""

from __future__ import annotations

import datetime as dt

import pytest

from smartdash import formatting
from smartdash.db import engine_for, session_scope
from smartdash.present import people as pp
from smartdash.present import receivables as rp
from smartdash.views import Filters
from smartdash.views import overview as ov
from smartdash.views import people as pv
from smartdash.views import receivables as rv
from tests.test_e2e import (
    CHROMIUM_ARGS,
    PASSWORD,
    SHOTS,
    add_user,
    demo_store_url,
    ensure_chromium,
    running_server,
    settled,
)

pytestmark = pytest.mark.e2e
LATEST = dt.date(2026, 11, 22)
VERSION = "PLAN-2024-06"
NEXT_WEEK = "indicateur;entite;fin_periode;scenario;valeur\nCASH_NET;SMARTFR;29/11/2026;réel;2 900 000\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(address, store URL) of a smartdash server on a free localhost port, on a demo store with an admin."""
    url = demo_store_url(tmp_path_factory, "e2e-committee")
    add_user(url, "admin", "admin", PASSWORD)
    with running_server(url) as address:
        yield address, url


class Counted:
    """A browser tab that counts the reader's clicks from the overview."""

    def __init__(self, tab):
        self.tab, self.clicks = tab, 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1
        self.tab.get_by_role("heading", level=1).first.wait_for()
        settled(self.tab)

    def home(self) -> None:
        self.tab.get_by_test_id("stSidebar").get_by_role("link", name="Vue d'ensemble", exact=True).click()
        self.tab.get_by_role("heading", name="Vue d'ensemble du plan").wait_for()
        settled(self.tab)
        self.clicks = 0

    def menu(self, title: str):
        return self.tab.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)


@pytest.fixture(scope="module")
def reader(served):
    from playwright.sync_api import sync_playwright

    address, _url = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        tab.set_default_timeout(60_000)
        tab.goto(address)
        tab.get_by_label("Identifiant").fill("admin")
        tab.get_by_label("Mot de passe").fill(PASSWORD)
        tab.get_by_role("button", name="Se connecter").click()
        tab.get_by_role("heading", name="Vue d'ensemble du plan").wait_for()
        settled(tab)
        yield Counted(tab)
        browser.close()


def choose(tab, label: str, text: str) -> None:
    """Picks the option holding `text` in a select box; opened again when a late page run closed its list."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in (1, 2, 3):
        settled(tab)
        tab.get_by_role("combobox", name=label).click()
        try:
            tab.get_by_role("option").filter(has_text=text).first.click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            tab.keyboard.press("Escape")


def in_view(tab, locator) -> bool:
    """Whether an element lies wholly within the first screen (no scrolling)."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= tab.viewport_size["height"]


def test_the_equity_gap_per_entity_in_euros_is_on_the_overviews_first_screen(reader, served):
    reader.home()
    tab = reader.tab
    with session_scope(engine_for(served[1])) as s:
        tiles = ov.overview_tiles(session=s, filters=Filters(None, LATEST, "previous", VERSION))
    table = tab.get_by_test_id("stTable").first
    table.wait_for()
    assert in_view(tab, table)  # 1280×720: the key figures without scrolling
    rows = {
        r.locator("th").first.inner_text().strip(): [c.inner_text().strip() for c in r.locator("td").all()]
        for r in table.locator("tbody tr").all()
    }
    header = [h.inner_text().strip() for h in table.locator("thead th").all()][1:]
    equity = [t for t in tiles if t.indicator == "EQUITY"]
    assert {t.entity_name for t in equity} == set(header)
    for t in equity:
        cell = rows["Capitaux propres"][header.index(t.entity_name)]
        assert f"écart {formatting.change(t.gap, 'EUR')}" in cell  # the gap in euros, read off the screen
        assert ("base négative" in cell) == (t.plan_value < 0) and ("%" in cell) == (t.plan_value > 0)
    assert reader.clicks == 0
    SHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SHOTS / "comite_vue_ensemble_1280x720.png"))


def test_the_offices_that_lost_members_since_last_year_in_one_click(reader, served):
    reader.home()
    reader.click(reader.menu("Sociétariat"))
    with session_scope(engine_for(served[1])) as s:
        change = pv.offices_change(session=s, filters=Filters(None, LATEST, "previous", VERSION))
    said = pp.offices_losing_text(change, "fr")
    assert "Liège" in said
    reader.tab.get_by_text(said).wait_for()
    assert reader.clicks <= 2


def test_over_90_days_in_euros_and_the_dso_change_in_one_click(reader, served):
    reader.home()
    reader.click(reader.menu("Créances"))
    with session_scope(engine_for(served[1])) as s:
        view = rv.receivables_view(session=s, entity="SMARTCOOP", as_of=LATEST)
    tiles = {m.inner_text().split("\n")[0]: m.inner_text() for m in reader.tab.get_by_test_id("stMetric").all()}
    over = next(text for label, text in tiles.items() if label.startswith("Échu à plus de 90 jours"))
    assert formatting.money_compact(view.over_90) in over and "de l'encours" in over
    dso = next(text for label, text in tiles.items() if label.startswith("DSO"))
    assert rp.days_change(view.dso_change_previous, "fr") in dso and "sur un an" in dso
    assert reader.clicks <= 2


def test_a_load_moves_the_session_to_the_new_date_and_undo_asks_first(reader, tmp_path):
    tab = reader.tab
    reader.home()
    reader.click(reader.menu("Chargement des données"))
    upload = tmp_path / "tresorerie.csv"
    upload.write_text(NEXT_WEEK, encoding="utf-8")
    tab.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(upload))
    tab.get_by_role("button", name="Charger ce fichier").click()
    tab.get_by_text("chargé (n°").first.wait_for()
    settled(tab)
    reader.home()
    assert "Situation au 29 novembre 2026" in tab.get_by_test_id("stMain").inner_text()  # without retyping the date
    reader.click(reader.menu("Chargement des données"))
    undo = tab.get_by_role("button", name="Annuler ce chargement…")
    assert undo.is_disabled()  # no load chosen by default: never the demo's own
    choose(tab, "Chargement à annuler", "tresorerie.csv")
    settled(tab)
    undo.click()
    tab.get_by_text("Annuler le chargement n°").first.wait_for()
    tab.get_by_role("button", name="Oui, annuler le chargement").click()
    tab.get_by_text("annulé").first.wait_for()
    reader.home()
    assert "Situation au 22 novembre 2026" in tab.get_by_test_id("stMain").inner_text()
