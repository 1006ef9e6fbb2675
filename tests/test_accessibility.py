"""WCAG 2.1 AA as a board member reads the pages: every registered page scanned by axe-core (the
`axe-playwright-python` package, which ships axe-core itself: nothing is fetched) in Debian's chromium, logged in
as each role, in each language, at the latest date and at a past one. A serious or critical violation fails, with
the rule, the element and axe's message.

Each page is scanned twice, in two readings that between them cover both roles, both languages and both dates
(an administrator in French at the latest date; a committee member in English at 31/12/2023): a page's text, its
menu and its figures change with each of these, its layout does not."""

from __future__ import annotations

import datetime as dt

import pytest

from smartdash import formatting
from smartdash.web import registry
from tests.test_e2e import CHROMIUM_ARGS, add_user, demo_store_url, ensure_chromium, running_server, settled

pytestmark = pytest.mark.e2e
PASSWORD = "un mot de passe pour l'accessibilité"
BLOCKING = {"serious", "critical"}
READINGS = [  # (role, language, as-of date set in the sidebar, or None for the latest)
    ("admin", "fr", None),
    ("viewer", "en", dt.date(2023, 12, 31)),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A smartdash server on a free localhost port, on a demo store with an administrator and a committee member."""
    url = demo_store_url(tmp_path_factory, "a11y")
    add_user(url, "admin", "admin", PASSWORD)
    add_user(url, "membre", "viewer", PASSWORD)
    with running_server(url) as address:
        yield address


def _blocking(result) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}"
        for violation in result.response["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def _reading(tab, url: str, role: str, lang: str, as_of: dt.date | None) -> None:
    """Log in as `role`, then set the language and the as-of date in the sidebar as a reader would."""
    tab.goto(url)
    tab.get_by_label("Identifiant").fill("admin" if role == "admin" else "membre")
    tab.get_by_label("Mot de passe").fill(PASSWORD)
    tab.get_by_role("button", name="Se connecter").click()
    tab.get_by_role("heading", level=1).first.wait_for()
    settled(tab)
    if lang == "en":
        english = tab.get_by_test_id("stSidebar").get_by_text("English", exact=True)
        english.scroll_into_view_if_needed()
        english.click(force=True)  # the radio's label: its container takes the pointer
        settled(tab)
    if as_of:
        # the browser's own date field: filled in ISO form, then closed and left, which is when the page reads it
        field = tab.get_by_test_id("stSidebar").get_by_test_id("stDateInput").locator("input")
        field.click(force=True)
        field.fill(as_of.isoformat())
        tab.keyboard.press("Escape")
        tab.get_by_role("heading", level=1).first.click()
        settled(tab)
        shown = formatting.date_long(as_of, lang=lang)
        tab.get_by_test_id("stMain").get_by_text(shown).first.wait_for()  # the page reads at that date


@pytest.mark.parametrize(("role", "lang", "as_of"), READINGS, ids=[f"{r}-{lang}-{d or 'latest'}" for r, lang, d in READINGS])
def test_every_page_has_no_serious_or_critical_accessibility_violation(server, role, lang, as_of):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from smartdash.auth import CurrentUser

    user = CurrentUser(login="a11y", role=role)
    pages = [page for page in registry.PAGES if page.may_open(user)]
    assert pages, "no page to scan"
    axe, found = Axe(), {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.set_default_timeout(60_000)
        _reading(tab, server, role, lang, as_of)
        for page in pages:
            tab.get_by_test_id("stSidebar").get_by_role("link", name=page.title(lang), exact=True).click()
            tab.get_by_role("heading", level=1).first.wait_for()
            settled(tab)
            tab.wait_for_timeout(800)  # charts draw their SVG after the run
            assert not tab.get_by_test_id("stException").count(), f"{page.name}: an exception is shown"
            if problems := _blocking(axe.run(tab)):
                found[page.name] = problems
        browser.close()
    assert not found, "\n".join(f"{name}:\n  " + "\n  ".join(problems) for name, problems in found.items())


# What has the keyboard's focus, and whether the reader can see where it is: a ring (outline, box shadow) or a border
# in the theme's colour on it or on the box that draws it (Streamlit's fields), or a background of its own (links,
# the date's day, month and year).
FOCUSED = """() => {
  const e = document.activeElement;
  const name = (e.getAttribute('aria-label') || e.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  let shown = false;
  for (let n = e, depth = 0; n && depth < 5 && !shown; n = n.parentElement, depth++) {
    const s = getComputedStyle(n);
    shown = s.outlineStyle !== 'none' || s.boxShadow !== 'none' || s.borderColor.includes('31, 95, 168')
      || (depth === 0 && (e.tagName === 'A' || e.getAttribute('role') === 'spinbutton')
          && s.backgroundColor !== 'rgba(0, 0, 0, 0)');
  }
  const box = e.getBoundingClientRect();
  const page = e.tagName === 'BODY' || e.tagName === 'MAIN';  // the page itself, focused to scroll it
  const uploader = Boolean(e.closest('[data-testid="stFileUploader"]'));
  return {tag: e.tagName, name, uploader, shown: page || (shown && box.width > 0 && box.height > 0)};
}"""


def _tab_until(tab, wanted: str, most: int = 120) -> list[dict]:
    """Press Tab until the focus is on an element named `wanted` (or, for "file picker", in the file uploader);
    every element passed on the way."""
    passed = []
    for _ in range(most):
        tab.keyboard.press("Tab")
        passed.append(tab.evaluate(FOCUSED))
        if passed[-1]["uploader"] if wanted == "file picker" else passed[-1]["name"].endswith(wanted):
            return passed
    raise AssertionError(f"the keyboard never reached {wanted!r}; it went through {[p['name'] for p in passed]}")


def test_the_overview_and_the_data_page_work_with_the_keyboard_alone_and_show_where_the_focus_is(server):
    from playwright.sync_api import sync_playwright

    from smartdash.auth import CurrentUser

    menu = [page.title("fr") for page in registry.PAGES if page.may_open(CurrentUser(login="a11y", role="admin"))]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.set_default_timeout(60_000)
        tab.goto(server)
        tab.get_by_label("Identifiant").wait_for()
        _tab_until(tab, "Identifiant")
        tab.keyboard.type("admin")
        tab.keyboard.press("Tab")
        tab.keyboard.type(PASSWORD)
        tab.keyboard.press("Enter")
        tab.get_by_role("heading", level=1, name="Vue d'ensemble du plan").wait_for()
        settled(tab)
        # the whole overview, then round to the menu and the sidebar's filters
        passed = _tab_until(tab, "Sources des chiffres affichés", most=400)
        passed += _tab_until(tab, menu[-1], most=100) + _tab_until(tab, "Version du plan", most=100)
        names = [p["name"] for p in passed]
        for wanted in [*menu, "Entité", "Comparer avec", "Version du plan", "Sources des chiffres affichés"]:
            assert any(n.endswith(wanted) for n in names), f"{wanted!r} is not reached with the keyboard"
        hidden = [(p["tag"], p["name"]) for p in passed if not p["shown"]]
        assert not hidden, f"the focus is not visible on {hidden}"
        # to the data page by the menu, and its file picker
        _tab_until(tab, "Chargement des données", most=400)
        tab.keyboard.press("Enter")
        tab.get_by_role("heading", level=1, name="Chargement des données").wait_for()
        settled(tab)
        passed = _tab_until(tab, "file picker", most=400)
        hidden = [(p["tag"], p["name"]) for p in passed if not p["shown"]]
        assert not hidden, f"the focus is not visible on {hidden}"
        browser.close()
