"""The pages: one record each (file, title, icon, menu section, permission); the menu is built from them.

A page is added by writing its file under pages/ and one `Page` line here, in the menu's order."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from smartdash.auth import CurrentUser
from smartdash.i18n import N_, _
from smartdash.inert import st


@dataclass(frozen=True)
class Section:
    """A group of the menu."""

    message: str  # English, translated in the catalogues

    def title(self, lang: str) -> str:
        return _(lang, self.message)


PLAN = Section(N_("The plan"))
ACTIVITY = Section(N_("Activity"))
COMMITTEE = Section(N_("The committee"))
DATA = Section(N_("Data"))
SECTIONS = (PLAN, ACTIVITY, COMMITTEE, DATA)  # the menu's order


@dataclass(frozen=True)
class Page:
    """A page of the app: its file under pages/, its title, its icon, its menu section, the permission its role
    needs (None: every logged-in user), and whether it shows what was known at the sidebar's as-of date (False: a
    register of the store as it stands, where the committee prepares meetings, edits the catalogue, loads files or
    manages accounts)."""

    path: str
    message: str  # the title, English, translated in the catalogues
    icon: str
    section: Section
    permission: str | None = None
    at_as_of: bool = True
    compares: bool = False  # its figures follow the sidebar's "Compare with", offered on this page only then
    figures: bool = False  # it shows the plan's figures (tiles, charts, their tables), each with its origin

    @property
    def name(self) -> str:
        """The file's name without .py: the page's address."""
        return self.path.split("/")[1].removesuffix(".py")

    def title(self, lang: str) -> str:
        return _(lang, self.message)

    def may_open(self, user: CurrentUser | None) -> bool:
        """Whether the page is in this user's menu (no user yet: the login gate decides)."""
        return user is None or self.permission is None or user.can(self.permission)


PAGES = (  # the navigation's order, the home page first; a section's pages are listed in this order too
    Page("pages/overview.py", N_("Overview"), ":material/dashboard:", PLAN, compares=True, figures=True),
    Page("pages/equity.py", N_("Equity"), ":material/trending_up:", PLAN, compares=True, figures=True),
    Page("pages/funding.py", N_("Funding 1+1"), ":material/handshake:", PLAN, figures=True),
    Page("pages/headcount.py", N_("Headcount"), ":material/groups:", ACTIVITY, compares=True, figures=True),
    Page("pages/membership.py", N_("Membership"), ":material/apartment:", ACTIVITY, compares=True, figures=True),
    Page("pages/receivables.py", N_("Receivables"), ":material/receipt_long:", ACTIVITY, compares=True, figures=True),
    Page("pages/execution.py", N_("Plan execution"), ":material/gavel:", PLAN, figures=True),
    Page("pages/committee.py", N_("Meetings and decisions"), ":material/groups_2:", COMMITTEE, at_as_of=False),
    Page("pages/catalogue.py", N_("Indicator catalogue"), ":material/tune:", COMMITTEE, "catalogue", at_as_of=False),
    Page("pages/versions.py", N_("Plan versions"), ":material/history:", PLAN, figures=True),
    Page("pages/export.py", N_("Board pack"), ":material/slideshow:", COMMITTEE, compares=True),
    Page("pages/subscriptions.py", N_("My subscriptions"), ":material/mail:", COMMITTEE, at_as_of=False),
    Page("pages/data.py", N_("Data loading"), ":material/upload_file:", DATA, "import", at_as_of=False),
    Page("pages/admin.py", N_("Administration"), ":material/admin_panel_settings:", DATA, "users", at_as_of=False),
)


def page_titles(lang: str) -> list[str]:
    """The navigation's page titles, in order, in the reader's language."""
    return [page.title(lang) for page in PAGES]


def visible_page_titles(lang: str, user: CurrentUser | None) -> list[str]:
    """The menu as this user sees it: pages their role may not use are not listed."""
    return [page.title(lang) for page in PAGES if page.may_open(user)]


def navigation_pages(lang: str, user: CurrentUser | None = None) -> dict:
    """Every page in its menu section, titled in the reader's language; the overview is the home page. Pages the
    user's role may not use are hidden from the menu, and say so when opened by their address."""
    visible = tuple(page.may_open(user) for page in PAGES)
    shown = dict(zip(PAGES, (copy.copy(made) for made in _made_pages(lang, visible)), strict=True))
    return {section.title(lang): [shown[page] for page in PAGES if page.section is section] for section in SECTIONS}


_made: dict[tuple, tuple] = {}


def _made_pages(lang: str, visible: tuple[bool, ...]) -> tuple:
    """The `st.Page`s of a language and a menu, made once per process: making one resolves and checks its file's
    path (14 pages, 2 to 3 ms at every run). Each run is given copies, as `st.navigation` marks the page it runs."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    key = (lang, visible, ctx and ctx.pages_manager.main_script_parent)  # page paths are relative to app.py's folder
    made = _made.get(key)
    if made is None:
        made = tuple(
            st.Page(
                page.path,
                title=page.title(lang),
                icon=page.icon,
                default=i == 0,
                url_path=page.name if i else None,
                visibility="visible" if shown else "hidden",
            )
            for i, (page, shown) in enumerate(zip(PAGES, visible, strict=True))
        )
        if ctx is not None:  # without a run's context st.Page keeps nothing but its flags
            _made[key] = made
    return made


def compares(shown) -> bool:
    """Whether the page `st.navigation` runs (its `url_path`: the file's name, empty for the home page) follows the
    sidebar's "Compare with"."""
    path = getattr(shown, "url_path", "") or ""
    page = next((p for i, p in enumerate(PAGES) if (p.name if i else "") == path), None)
    return bool(page and page.compares)


def draw_menu(where, navigation: dict, user: CurrentUser | None) -> None:
    """The menu, drawn by smartdash rather than by `st.navigation` (which is given `position="hidden"`): each section's
    name, then a link to each page this user may open. Streamlit's own sectioned menu puts `<li>` items in
    containers that are not lists (a screen reader hears no list; axe-core's `list`/`listitem` rules fail on every
    page); plain links under a name read as a menu to everyone."""
    for title, pages in navigation.items():
        links = [shown for shown in pages if shown._visibility == "visible"]
        if links:
            where.caption(title)
        for shown in links:
            where.page_link(shown)
