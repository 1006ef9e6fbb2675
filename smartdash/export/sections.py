"""The board pack's sections, declared once, in the order the Board pack page lists them, the deck presents them,
the dossier prints them and the digest follows them.

A section is one `Section` record here: its key, its heading (a message), its line in the deck's agenda, the step
its progress names, the view it reads, the charts (smartdash.present.chart_specs) and tables
(smartdash.present.tables) it shows, the builders that add it to the deck (`fn(DeckContext)`) and to the dossier
(`fn(DossierContext)`), and whether the weekly digest carries it. A new section is one record appended here (its
builders may be written beside it), its messages in the catalogues, and nothing else: the deck, its agenda, the
dossier, its contents, the page and the tests read this tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from smartdash import committee, queries
from smartdash.export import pdf, slides
from smartdash.export.pdf import DossierContext
from smartdash.export.slides import DeckContext
from smartdash.i18n import N_, _
from smartdash.present import chart_specs, tables
from smartdash.present.chart_specs import ChartSpec
from smartdash.present.tables import TableSpec
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import funding as funding_views
from smartdash.views import meetings as meetings_views
from smartdash.views import overview as overview_views
from smartdash.views import people as people_views
from smartdash.views import receivables as receivables_views


@dataclass(frozen=True)
class Section:
    """One section of the board pack. `title`: its heading (a message, the dossier's and the page's); `agenda`: its
    line in the deck's agenda (None when the line before covers it); `step`: what the progress says while it is
    built; `view`: the view it reads; `deck` / `dossier`: its builders, None where it is not shown; `digest`: the
    weekly digest carries it."""

    key: str
    title: str
    agenda: str | None
    step: str
    view: Callable | None
    deck: Callable[[DeckContext], None] | None
    dossier: Callable[[DossierContext], None] | None
    charts: tuple[ChartSpec, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    digest: bool = False


SECTIONS: tuple[Section, ...] = (
    Section(
        "summary",
        N_("Key indicators"),
        N_("Summary and what needs attention"),
        N_("Summary"),
        overview_views.overview_tiles,
        slides._summary,
        pdf._summary,
        tables=(tables.SUMMARY,),
        digest=True,
    ),
    Section(
        "attention",
        N_("What needs attention"),
        None,
        N_("What needs attention"),
        overview_views.attention_items,
        slides._attention,
        pdf._attention,
        digest=True,
    ),
    Section(
        "since_meeting",
        N_("Since the last meeting"),
        N_("Since the last meeting"),
        N_("Since the last meeting"),
        meetings_views.since_meeting,
        slides._since_meeting,
        pdf._since_meeting,
        tables=(tables.SINCE_MEETING, tables.DECISIONS),
        digest=True,
    ),
    Section(
        "equity",
        N_("Equity"),
        N_("Equity"),
        N_("Equity"),
        equity_views.equity_view,
        slides._equity,
        pdf._equity,
        charts=(chart_specs.EQUITY_BRIDGE,),
    ),
    Section(
        "funding",
        N_("Funding and the 1+1 rule"),
        N_("Funding and 1+1"),
        N_("Funding"),
        funding_views.funding_view,
        slides._funding,
        pdf._funding,
        tables=(tables.JUDGED_COVERAGE, tables.CONTRIBUTIONS),
    ),
    Section(
        "execution",
        N_("Plan execution"),
        N_("Plan execution"),
        N_("Plan execution"),
        execution_views.execution_view,
        slides._execution,
        pdf._execution,
        tables=(tables.LEGAL_LINES,),
    ),
    Section(
        "headcount",
        N_("Headcount"),
        N_("Headcount"),
        N_("Headcount"),
        people_views.headcount_view,
        slides._headcount,
        pdf._headcount,
    ),
    Section(
        "membership",
        N_("Membership"),
        N_("Membership"),
        N_("Membership"),
        people_views.membership_view,
        slides._membership,
        pdf._membership,
        charts=(chart_specs.MEMBERS_PER_ADVISER,),
        tables=(tables.OFFICES, tables.OFFICES_CHANGE, tables.ANNUAL_FIGURES, tables.ANNUAL_FIGURES_SLIDE),
    ),
    Section(
        "receivables",
        N_("Receivables"),
        N_("Receivables"),
        N_("Receivables"),
        receivables_views.receivables_view,
        slides._receivables,
        pdf._receivables,
        tables=(tables.OVERDUE_CLIENTS,),
        digest=True,
    ),
    Section(
        "notes",
        N_("Committee notes and decisions"),
        None,
        N_("Committee notes and decisions"),
        meetings_views.open_actions,
        slides._notes,
        pdf._notes,
        tables=(tables.DECISIONS,),
        digest=True,
    ),
    Section(  # a closed meeting's dossier only: the deck presents today's figures, the digest the week's
        "corrections",
        N_("Corrections since the meeting"),
        None,
        N_("Corrections since the meeting"),
        committee.presented_and_corrected,
        None,
        pdf._corrections,
        tables=(tables.CORRECTIONS,),
    ),
    Section(
        "sources",
        N_("Appendix: sources of the figures"),
        N_("Appendix: sources"),
        N_("Appendix"),
        queries.source_figures,
        slides._sources,
        pdf._sources,
        tables=(tables.SOURCE_FIGURES, tables.LOADS),
    ),
)


def section_title(key: str, lang: str) -> str:
    """A section's heading in the reader's language."""
    return _(lang, next(s.title for s in SECTIONS if s.key == key))


def deck_titles(lang: str) -> list[str]:
    """The headings of the sections the deck presents, in its order: what the Board pack page lists."""
    return [_(lang, s.title) for s in SECTIONS if s.deck is not None]


def agenda_lines(lang: str) -> list[str]:
    """The deck's agenda when every section has something to show: what the Board pack page announces."""
    return [_(lang, s.agenda) for s in SECTIONS if s.deck is not None and s.agenda]


def digest_sections() -> list[str]:
    """The keys of the sections the weekly digest carries, in the pack's order."""
    return [s.key for s in SECTIONS if s.digest]
