"""End to end, in Chromium: "what changed since the last meeting, what did we decide?" answered from the overview
in at most two clicks, at a projector's 1280×720 and a tablet's 768×1024; screenshots under e2e-screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from smartdash import models as m
from smartdash.db import make_engine, write_scope
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
from tests.test_e2e_committee import choose

pytestmark = pytest.mark.e2e
SEPTEMBER = dt.date(2026, 9, 15)  # the demo's last meeting held before its latest figures (22/11/2026)
ACTIONS = (  # text, due date, closed at
    ("Relancer SmartBe sur la tranche conditionnelle", dt.date(2026, 10, 31), None),
    ("Présenter un plan de trésorerie à 13 semaines", dt.date(2026, 12, 31), None),
    ("Chiffrer le report de l'échéance URSSAF", dt.date(2026, 10, 15), dt.datetime(2026, 10, 5, tzinfo=dt.UTC)),
)


def seed_decisions(url: str) -> None:
    """The September meeting's decisions, as the register keeps them (one closed in October)."""
    engine = make_engine(url)
    with write_scope(engine) as s:
        meeting = s.scalar(select(m.Meeting.id).where(m.Meeting.held_on == SEPTEMBER))
        for text, due, closed_at in ACTIONS:
            s.add(
                m.Decision(
                    meeting_id=meeting,
                    text=text,
                    owner="Présidente",
                    due_date=due,
                    status="done" if closed_at else "open",
                    created_by="admin",
                    created_at=dt.datetime(2026, 9, 15, 18, tzinfo=dt.UTC),
                    closed_by="admin" if closed_at else None,
                    closed_at=closed_at,
                )
            )
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = demo_store_url(tmp_path_factory, "e2e-meetings")
    add_user(url, "admin", "admin", PASSWORD)
    seed_decisions(url)
    with running_server(url) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def logged_in(browser, server, width: int, height: int):
    tab = browser.new_context(viewport={"width": width, "height": height}).new_page()
    tab.set_default_timeout(60_000)
    tab.goto(server)
    tab.get_by_label("Identifiant").fill("admin")
    tab.get_by_label("Mot de passe").fill(PASSWORD)
    tab.get_by_role("button", name="Se connecter").click()
    tab.get_by_role("heading", name="Vue d'ensemble du plan").wait_for()
    settled(tab)
    return tab


def answers_the_question(scope) -> None:
    """What changed (the table of then and now, the watch list's new items) and what was decided (each action with
    its state in words)."""
    changes = scope.get_by_role("table").filter(has_text="Statut alors → maintenant")
    assert "Trésorerie nette" in changes.first.inner_text()
    scope.get_by_text("Points d'attention : nouveaux ou aggravés").first.wait_for()
    scope.get_by_text("Nouveau : Échéance du plan en retard", exact=False).first.wait_for()
    scope.get_by_text("décisions de la réunion encore ouvertes : 2 sur 3", exact=False).first.wait_for()
    scope.get_by_text("Décisions de la réunion et leurs actions").first.wait_for()
    decisions = scope.get_by_role("table").filter(has_text="Relancer SmartBe sur la tranche conditionnelle")
    said = decisions.first.inner_text()
    assert "en retard depuis le 31/10/2026" in said and "faite le 05/10/2026" in said


@pytest.mark.parametrize("width,height,name", [(1280, 720, "projecteur"), (768, 1024, "tablette")])
def test_since_the_last_meeting_from_the_overview_in_one_click(browser, server, width, height, name):
    tab = logged_in(browser, server, width, height)
    clicks = 0
    # the open actions are on the overview itself, overdue ones said in words
    tab.get_by_text("en retard depuis le 31/10/2026", exact=False).first.wait_for()
    expander = tab.get_by_text("Depuis la réunion du 15 septembre 2026", exact=False).first
    expander.click()
    clicks += 1
    settled(tab)
    answers_the_question(tab)
    assert clicks <= 2
    tab.get_by_text("Depuis la réunion du 15 septembre 2026", exact=False).first.scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / f"depuis_la_reunion_vue_ensemble_{name}.png"))
    tab.get_by_text("Décisions de la réunion et leurs actions").first.scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / f"depuis_la_reunion_vue_ensemble_{name}_decisions.png"))
    tab.context.close()


@pytest.mark.parametrize("width,height,name", [(1280, 720, "projecteur"), (768, 1024, "tablette")])
def test_the_meetings_page_opens_on_the_last_held_meeting_in_one_click(browser, server, width, height, name):
    tab = logged_in(browser, server, width, height)
    if width < 800:  # the tablet's menu is folded: opening it is the first click
        tab.get_by_test_id("stExpandSidebarButton").click()
        clicks = 1
    else:
        clicks = 0
    tab.get_by_test_id("stSidebar").get_by_role("link", name="Réunions et décisions", exact=True).click()
    clicks += 1
    tab.get_by_role("heading", name="Réunions et décisions").wait_for()
    settled(tab)
    assert clicks <= 2
    tab.get_by_role("heading", name="Depuis la réunion du 15 septembre 2026").wait_for(timeout=120_000)
    settled(tab)
    if width < 800:  # the menu folded again, as a reader would to read the page
        tab.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        settled(tab)
    tab.screenshot(path=str(SHOTS / f"reunions_{name}.png"))
    meeting = tab.get_by_test_id("stSelectbox").filter(has_text="Réunion").last  # the meeting the page opens on
    assert "15 septembre 2026 — Comité de suivi du plan — 09/2026" in meeting.inner_html()
    tab.get_by_text("lecture seule", exact=False).first.wait_for()
    assert tab.get_by_role("button", name="Ajouter la décision").count() == 0
    answers_the_question(tab)
    tab.get_by_role("heading", name="Depuis la réunion du 15 septembre 2026").scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / f"reunions_{name}_depuis.png"))
    tab.get_by_text("Décisions de la réunion et leurs actions").first.scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / f"reunions_{name}_decisions.png"))
    tab.context.close()


def test_the_french_pages_show_none_of_streamlits_english(browser, server):
    """The meetings page's empty due date and the data page's file button are in French: Streamlit writes its empty
    date field's placeholder ("DD/MM/YYYY") and its uploader's button ("Upload") in English whatever the page's
    language. The button's French words are also in the name assistive technologies read."""
    tab = logged_in(browser, server, 1280, 720)
    tab.get_by_test_id("stSidebar").get_by_role("link", name="Réunions et décisions", exact=True).click()
    tab.get_by_role("heading", name="Réunions et décisions").wait_for()
    tab.get_by_role("heading", name="Depuis la réunion du 15 septembre 2026").wait_for(timeout=120_000)
    settled(tab)
    choose(tab, "Réunion", "prévue")  # a meeting not held yet takes decisions
    settled(tab)
    tab.get_by_role("button", name="Ajouter la décision").wait_for()
    placeholders = tab.eval_on_selector_all("input[placeholder]", "inputs => inputs.map(i => i.placeholder)")
    assert "JJ/MM/AAAA" in placeholders
    assert not [p for p in placeholders if "DD" in p or "YYYY" in p]
    tab.get_by_test_id("stSidebar").get_by_role("link", name="Chargement des données", exact=True).click()
    tab.get_by_role("heading", name="Chargement des données").wait_for()
    settled(tab)
    uploader = tab.get_by_test_id("stFileUploader")
    button = uploader.get_by_role("button", name="Choisir un fichier")  # what is seen is in its name, read aloud too
    button.wait_for()
    drawn = button.locator('[data-testid="stMarkdownContainer"]')
    assert drawn.evaluate("e => getComputedStyle(e, '::after').content") == '"Choisir un fichier"'
    english = button.locator("p")  # Streamlit's own word: kept for assistive technologies, out of sight
    assert english.inner_text() == "Upload"
    box = english.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    tab.context.close()
