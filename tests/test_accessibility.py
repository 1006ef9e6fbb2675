"""WCAG 2.1 AA as a board member reads the pages: every registered page scanned by axe-core (the
`axe-playwright-python` package, which ships axe-core itself: nothing is fetched) in Debian's chromium, logged in
as each role, in each language, at the latest date and at a past one. A serious or critical violation fails, and so
does a heading out of order (axe's `heading-order`, moderate: a screen reader's list of headings is the page's
outline), each with the rule, the element and axe's message.

A page's text, its menu and its figures change with its role, its language and its date; its layout does not. The
readings are the four rows of an orthogonal array over these three: every value of each meets every value of each
other (pairwise, checked below), and every reading scans every page its role opens. One server and one browser serve
them all. `SMARTDASH_AXE_ALL=1` scans all eight combinations instead; `SMARTDASH_AXE_TABLE=file.json` also writes,
for each reading and page, the nodes of every violated rule by impact (what the accessibility statement reports)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os

import pytest

from smartdash import formatting
from smartdash.web import registry
from tests.test_e2e import CHROMIUM_ARGS, add_user, demo_store_url, ensure_chromium, running_server, settled

pytestmark = pytest.mark.e2e
PASSWORD = "un mot de passe pour l'accessibilité"
BLOCKING = {"serious", "critical"}
BLOCKING_RULES = {"heading-order"}  # moderate for axe, but a jump in the outline misleads a screen reader's reader
ROLES, LANGUAGES, DATES = ("admin", "viewer"), ("fr", "en"), (None, dt.date(2023, 12, 31))  # None: the latest
ALL = list(itertools.product(ROLES, LANGUAGES, DATES))
READINGS = (  # (role, language, as-of date set in the sidebar, or None for the latest)
    ALL
    if os.environ.get("SMARTDASH_AXE_ALL")
    else [
        ("admin", "fr", None),
        ("admin", "en", dt.date(2023, 12, 31)),
        ("viewer", "fr", dt.date(2023, 12, 31)),
        ("viewer", "en", None),
    ]
)
TABLE: dict[str, dict[str, dict[str, dict[str, int]]]] = {}  # reading → page → rule → impact → nodes


def reading_id(reading) -> str:
    role, lang, as_of = reading
    return f"{role}-{lang}-{as_of or 'latest'}"


def test_the_readings_meet_every_value_of_each_dimension_with_every_value_of_each_other():
    dimensions = (ROLES, LANGUAGES, DATES)
    for (i, first), (j, second) in itertools.combinations(enumerate(dimensions), 2):
        met = {(reading[i], reading[j]) for reading in READINGS}
        assert met == set(itertools.product(first, second)), (i, j, met)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A smartdash server on a free localhost port, on a demo store with an administrator and a committee member."""
    url = demo_store_url(tmp_path_factory, "a11y")
    add_user(url, "admin", "admin", PASSWORD)
    add_user(url, "membre", "viewer", PASSWORD)
    with running_server(url) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    """One chromium for every reading: each opens its own context (its own cookies, so its own login)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        shared = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        yield shared
        shared.close()
    if path := os.environ.get("SMARTDASH_AXE_TABLE"):
        with open(path, "w", encoding="utf-8") as out:
            json.dump(TABLE, out, ensure_ascii=False, indent=1)


def _blocking(result) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}"
        for violation in result.response["violations"]
        if violation["impact"] in BLOCKING or violation["id"] in BLOCKING_RULES
        for node in violation["nodes"]
    ]


def _counted(result) -> dict[str, dict[str, int]]:
    """Every violated rule's nodes, by impact."""
    counts: dict[str, dict[str, int]] = {}
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation["impact"]
            counts.setdefault(violation["id"], {}).setdefault(impact, 0)
            counts[violation["id"]][impact] += 1
    return counts


# the run is over, no element is stale, and none is still fading back in (a stale element's opacity eases back to 1)
QUIET = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && !document.querySelector('[data-stale="true"]')
  && [...document.querySelectorAll('[data-testid="stElementContainer"]')].every(e => getComputedStyle(e).opacity === '1')"""


# every chart on screen has drawn its figure (a chart in a hidden tab draws when its tab is opened)
DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .every(c => c.offsetParent === null || c.querySelector('canvas, svg'))"""


def _quiet(tab) -> None:
    """Until the page's run is over and nothing is left faded from the run before (Streamlit fades a stale element
    while a run goes on: scanned then, its text reads below AA contrast)."""
    settled(tab)
    tab.wait_for_function(QUIET, timeout=120_000)


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


@pytest.mark.parametrize(("role", "lang", "as_of"), READINGS, ids=[reading_id(r) for r in READINGS])
def test_every_page_has_no_serious_or_critical_accessibility_violation_nor_a_heading_out_of_order(
    server, browser, role, lang, as_of
):
    from axe_playwright_python.sync_playwright import Axe

    from smartdash.auth import CurrentUser

    user = CurrentUser(login="a11y", role=role)
    pages = [page for page in registry.PAGES if page.may_open(user)]
    assert pages, "no page to scan"
    axe, found = Axe(), {}
    table = TABLE.setdefault(reading_id((role, lang, as_of)), {})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    _reading(tab, server, role, lang, as_of)
    for page in pages:
        tab.get_by_test_id("stSidebar").get_by_role("link", name=page.title(lang), exact=True).click()
        tab.get_by_role("heading", level=1).first.wait_for()
        _quiet(tab)
        tab.wait_for_function(DRAWN, timeout=60_000)  # charts draw their SVG after the run
        _quiet(tab)
        assert not tab.get_by_test_id("stException").count(), f"{page.name}: an exception is shown"
        result = axe.run(tab)
        table[page.name] = _counted(result)
        if problems := _blocking(result):
            found[page.name] = problems
    context.close()
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


def test_the_overview_and_the_data_page_work_with_the_keyboard_alone_and_show_where_the_focus_is(server, browser):
    from smartdash.auth import CurrentUser

    menu = [page.title("fr") for page in registry.PAGES if page.may_open(CurrentUser(login="a11y", role="admin"))]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
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
    context.close()
