"""End to end: hostile names in the store reach a real browser as text — no outside image fetched, no link."""

from pathlib import Path

import pytest

from smartdash import schema
from smartdash.db import make_engine
from smartdash.web import registry
from tests.test_e2e import CHROMIUM_ARGS, PASSWORD, add_user, ensure_chromium, running_server
from tests.test_inert import make_hostile_store

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e_inert") / "smartdash.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    schema.upgrade(engine)
    make_hostile_store(engine)
    engine.dispose()
    add_user(url, "admin", "admin")
    with running_server(url) as base:
        yield base


def test_hostile_names_are_text_in_the_browser(hostile_server):
    from playwright.sync_api import sync_playwright

    outside = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 2000}).new_page()
        tab.set_default_timeout(60_000)
        tab.on("request", lambda request: outside.append(request.url) if "evil.example" in request.url else None)
        tab.goto(hostile_server)
        tab.get_by_label("Identifiant").fill("admin")
        tab.get_by_label("Mot de passe").fill(PASSWORD)
        tab.get_by_role("button", name="Se connecter").click()
        tab.get_by_role("heading", name="Vue d'ensemble du plan").wait_for()
        shown_as_text = 0
        for title in registry.page_titles("fr"):
            tab.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
            tab.get_by_role("heading", level=1).first.wait_for()
            tab.wait_for_timeout(1500)
            main = tab.get_by_test_id("stMain")
            assert main.locator("img[src*='evil.example'], a[href*='evil.example']").count() == 0, title
            shown_as_text += "[Reconnectez-vous ici](http://evil.example/login)" in main.inner_text().replace("\u2060", "")
        browser.close()
    assert outside == []  # no viewer's browser asked the outside host for anything
    assert shown_as_text >= 3  # the names are there, as the text they are
