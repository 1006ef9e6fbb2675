"""End to end: the real server (`streamlit run app.py`) in a real browser (Debian's chromium, driven by
Playwright; no browser is ever downloaded). Logs in, visits every page, checks key figures, downloads the deck
and a CSV, and saves a screenshot of every page under e2e-screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pptx import Presentation

from smartdash import formats
from smartdash.web import registry

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "e2e-screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "un mot de passe de bout en bout"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def ensure_chromium() -> str:
    """Debian's chromium, installed from the distribution's packages when it is missing."""
    if not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, capture_output=True)
        if not Path(CHROMIUM).exists():
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, capture_output=True)
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_store_url(tmp_path_factory, name: str) -> str:
    """A temporary SQLite store with the demo data set, made by the command line as a new user would."""
    url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'smartdash.db'}"
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url)
    subprocess.run(
        [sys.executable, "-m", "smartdash", "init-db", "--demo"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )
    return url


def add_user(url: str, login: str, role: str, password: str = PASSWORD) -> None:
    """An account on the store at `url`, added by the command line."""
    subprocess.run(
        [sys.executable, "-m", "smartdash", "users", "add", login, "--role", role, "--password-stdin"],
        cwd=ROOT,
        env=dict(os.environ, SMARTDASH_DATABASE_URL=url),
        input=password + "\n",
        text=True,
        check=True,
        capture_output=True,
        timeout=60,
    )


@contextmanager
def running_server(url: str) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port, on the store at `url`: its address while the block runs."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env=dict(os.environ, SMARTDASH_DATABASE_URL=url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    address = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{address}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the smartdash server did not start within 60 s")
    try:
        yield address
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A smartdash server on a free localhost port, on a temporary store with the demo data and an admin."""
    url = demo_store_url(tmp_path_factory, "e2e")
    add_user(url, "admin", "admin")
    with running_server(url) as address:
        yield address


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 2000}, accept_downloads=True)
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        tab.goto(server)
        tab.get_by_label("Identifiant").fill("admin")
        tab.get_by_label("Mot de passe").fill(PASSWORD)
        tab.get_by_role("button", name="Se connecter").click()
        tab.get_by_role("heading", name="Vue d'ensemble du plan").wait_for()
        yield tab
        browser.close()


def open_page(tab, title: str):
    tab.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    tab.get_by_role("heading", level=1).first.wait_for()
    tab.wait_for_timeout(1500)  # charts draw after the text


def settled(tab) -> None:
    """Waits until the page's script run is over: Streamlit shows its status widget while a run goes on, and a
    button clicked during a run may be redrawn under the click."""
    tab.wait_for_timeout(300)
    tab.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=120_000)


def download(tab, button):
    """The file a download button delivers, clicked once the page has settled. On a machine loaded by other work
    the button can still be replaced by a late run under the click: it is then clicked once more, never more."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in (1, 2):
        settled(tab)
        try:
            with tab.expect_download(timeout=45_000) as pending:
                button.click()
            return pending.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def test_every_page_shows_its_key_figures(page):
    SHOTS.mkdir(exist_ok=True)
    expected = {  # page title → heading, and a text a board member must see on it
        "Vue d'ensemble": ("Vue d'ensemble du plan", "À surveiller"),
        "Capitaux propres": ("Trajectoire des capitaux propres", "Capitaux propres de SmartFr, réel et plan (€)"),
        "Financement 1+1": ("Financement et règle du 1+1", "abandons de créances exclus"),
        "Effectifs": ("Effectifs", "Entrepreneurs-salariés"),
        "Sociétariat": ("Sociétariat par bureau", "médiane des bureaux"),
        "Créances": ("Créances clients", "Clients les plus en retard"),
        "Exécution du plan": ("Exécution du plan", "Échéance en retard : URSSAF Île-de-France"),
        "Réunions et décisions": ("Réunions et décisions", "Actions ouvertes"),
        "Catalogue des indicateurs": ("Catalogue des indicateurs", "Valeurs de plan"),
        "Versions du plan": ("Versions du plan", "Jalons par version"),
        "Dossier du comité": ("Dossier du comité", "Préparer le dossier"),
        "Mes abonnements": ("Mes abonnements", "Langue des courriels"),
        "Chargement des données": ("Chargement des données", "Historique des chargements"),
        "Administration": ("Administration", "Journal d'audit"),
    }
    assert set(expected) == set(registry.page_titles("fr"))
    for title, (heading, text) in expected.items():
        open_page(page, title)
        assert page.get_by_role("heading", level=1).first.inner_text() == heading
        page.get_by_text(text).first.wait_for()
        assert not page.get_by_test_id("stException").count(), f"{title}: an exception is shown"
        page.screenshot(path=str(SHOTS / f"{heading.replace(' ', '_').replace('/', '_')}.png"), full_page=True)


def test_the_overview_shows_the_demo_figures(page):
    open_page(page, "Vue d'ensemble")
    body = page.get_by_test_id("stMain").inner_text()
    assert "Données de démonstration" in body
    # SmartBe's second tranche is conditional: pending, never late (the plan gives it for 2023, on a condition)
    assert "Condition en attente" in body and "Apport en retard : SmartBe" not in body


def test_download_the_deck(page, tmp_path):
    open_page(page, "Dossier du comité")
    page.get_by_role("button", name="Préparer le dossier").click()
    button = page.get_by_role("button", name="Télécharger le dossier (PPTX)")
    button.wait_for()
    file = download(page, button)
    path = tmp_path / "deck.pptx"
    file.save_as(path)
    titles = [slide.shapes.title.text for slide in Presentation(str(path)).slides]
    assert titles[0] == "Comité de suivi du plan de continuation" and len(titles) >= 12


def test_download_a_table_as_csv(page, tmp_path):
    open_page(page, "Créances")
    page.get_by_text("Clients les plus en retard").first.wait_for()
    file = download(page, page.get_by_test_id("stDownloadButton").filter(has_text="CSV").last)
    path = tmp_path / "clients.csv"
    file.save_as(path)
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "Client;Factures échues;Montant échu;Plus ancienne échéance;Jours de retard;Origine"
    assert text.splitlines()[1].endswith(";démo / synthétique")
    assert len(text.splitlines()) == 11


def test_download_a_chart_as_png(page, tmp_path):
    open_page(page, "Capitaux propres")
    file = download(page, page.get_by_test_id("stDownloadButton").filter(has_text="PNG").first)
    path = tmp_path / "chart.png"
    file.save_as(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert file.suggested_filename == "capitaux_propres_de_smartfr_réel_et_plan.png"


def test_download_a_dataset_export_and_a_template(page, tmp_path):
    """The data page makes these files only when asked for: the download must still deliver them."""
    open_page(page, "Chargement des données")
    page.get_by_text("Modèles de fichiers et exports").click()
    downloads = page.get_by_test_id("stDownloadButton")
    file = download(page, downloads.filter(has_text="Export").nth(formats.LOAD_ORDER.index("membership")))
    path = tmp_path / "societariat.csv"
    file.save_as(path)
    rows = path.read_bytes().decode("utf-8-sig").splitlines()
    assert file.suggested_filename == "societariat.csv"
    assert rows[0].startswith("bureau;fin_periode;membres") and len(rows) == 51  # the demo's 50 rows
    file = download(page, downloads.filter(has_text="XLSX").nth(formats.LOAD_ORDER.index("receivables")))
    path = tmp_path / "modele.xlsx"
    file.save_as(path)
    header, rows, _lines = formats.read_table("modele.xlsx", path.read_bytes())
    assert header[:3] == ["date_situation", "entite", "bureau"] and rows == []


def test_screenshots_at_tablet_width(server, page):
    page.set_viewport_size({"width": 1024, "height": 1366})
    open_page(page, "Vue d'ensemble")
    page.screenshot(path=str(SHOTS / "tablette_vue_ensemble.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024  # no horizontal scrolling on a tablet
    page.set_viewport_size({"width": 1280, "height": 2000})
    assert shutil.which("chromium") or Path(CHROMIUM).exists()
