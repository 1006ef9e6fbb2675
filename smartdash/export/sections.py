"""The board pack's sections, declared once, in the order the Board pack page lists them, the deck presents them,
the dossier prints them and the digest follows them.

A section is one `Section` record here: its key, its heading (a message), its line in the deck's agenda, the step
its progress names, the view it reads, the charts (smartdash.present.chart_specs) and tables
(smartdash.present.tables) it shows, whether the deck and the dossier show it, and whether the weekly digest carries
it. The functions that draw it register under its key, beside the other builders of their output:
`@deck_builder(key)` on `fn(DeckContext)` in smartdash/export/slides.py, `@dossier_builder(key)` on
`fn(DossierContext)` in smartdash/export/pdf.py — those modules import this one, never the reverse. A new section is
one record appended here, its builders, its messages in the catalogues, and nothing else: the deck, its agenda, the
dossier, its contents, the page and the tests read this tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartdash import committee, queries
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
from smartdash.views import rules as rules_views

_BUILDERS: dict[tuple[str, str], Callable[[Any], None]] = {}


@dataclass(frozen=True)
class Builder:
    """A section's builder for one output ("deck" or "dossier"): the function registered under the section's key with
    `deck_builder` / `dossier_builder`, found when the output is built."""

    output: str
    key: str

    def __call__(self, ctx: Any) -> None:
        try:
            build = _BUILDERS[(self.output, self.key)]
        except KeyError:
            raise LookupError(f"no {self.output} builder is registered for the section {self.key!r}") from None
        build(ctx)


def _registrar(output: str, key: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    def register(build: Callable[[Any], None]) -> Callable[[Any], None]:
        section = next((s for s in SECTIONS if s.key == key), None)
        if section is None or getattr(section, output) is None:
            raise LookupError(f"the section {key!r} is not declared for the {output} in smartdash.export.sections")
        if (output, key) in _BUILDERS:
            raise ValueError(f"the section {key!r} has two {output} builders")
        _BUILDERS[(output, key)] = build
        return build

    return register


def deck_builder(key: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Registers `fn(DeckContext)` as the deck's builder of the section `key`."""
    return _registrar("deck", key)


def dossier_builder(key: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Registers `fn(DossierContext)` as the dossier's builder of the section `key`."""
    return _registrar("dossier", key)


def unbuilt() -> list[tuple[str, str]]:
    """(output, key) of each section declared for an output that has no builder registered (with the deck's and the
    dossier's modules imported): what a section added here without its builders lacks."""
    return [
        (output, s.key)
        for s in SECTIONS
        for output in ("deck", "dossier")
        if getattr(s, output) is not None and (output, s.key) not in _BUILDERS
    ]


@dataclass(frozen=True)
class Section:
    """One section of the board pack. `title`: its heading (a message, the dossier's and the page's); `agenda`: its
    line in the deck's agenda (None when the line before covers it); `step`: what the progress says while it is
    built; `view`: the view it reads; `deck` / `dossier`: its builders, None where it is not shown; `digest`: the
    weekly digest carries it. Declared with `deck` / `dossier` True where shown; each then holds its `Builder`."""

    key: str
    title: str
    agenda: str | None
    step: str
    view: Callable | None
    deck: Any
    dossier: Any
    charts: tuple[ChartSpec, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    digest: bool = False

    def __post_init__(self) -> None:
        for output in ("deck", "dossier"):
            if getattr(self, output) is True:
                object.__setattr__(self, output, Builder(output, self.key))


SECTIONS: tuple[Section, ...] = (
    Section(
        "summary",
        N_("Key indicators"),
        N_("Summary and what needs attention"),
        N_("Summary"),
        overview_views.overview_tiles,
        True,
        True,
        tables=(tables.SUMMARY,),
        digest=True,
    ),
    Section(
        "attention",
        N_("What needs attention"),
        None,
        N_("What needs attention"),
        rules_views.attention_items,
        True,
        True,
        digest=True,
    ),
    Section(
        "since_meeting",
        N_("Since the last meeting"),
        N_("Since the last meeting"),
        N_("Since the last meeting"),
        meetings_views.since_meeting,
        True,
        True,
        tables=(tables.SINCE_MEETING, tables.DECISIONS),
        digest=True,
    ),
    Section(
        "equity",
        N_("Equity"),
        N_("Equity"),
        N_("Equity"),
        equity_views.equity_view,
        True,
        True,
        charts=(chart_specs.EQUITY_TRAJECTORY, chart_specs.EQUITY_BRIDGE),
    ),
    Section(
        "funding",
        N_("Funding and the 1+1 rule"),
        N_("Funding and 1+1"),
        N_("Funding"),
        funding_views.funding_view,
        True,
        True,
        charts=(chart_specs.COVERAGE,),
        tables=(tables.JUDGED_COVERAGE, tables.CONTRIBUTIONS),
    ),
    Section(
        "execution",
        N_("Plan execution"),
        N_("Plan execution"),
        N_("Plan execution"),
        execution_views.execution_view,
        True,
        True,
        charts=(chart_specs.EXECUTION_INSTALMENTS,),
        tables=(tables.LEGAL_LINES,),
    ),
    Section(
        "headcount",
        N_("Headcount"),
        N_("Headcount"),
        N_("Headcount"),
        people_views.headcount_view,
        True,
        True,
        charts=(chart_specs.HEADCOUNT,),
    ),
    Section(
        "membership",
        N_("Membership"),
        N_("Membership"),
        N_("Membership"),
        people_views.membership_view,
        True,
        True,
        charts=(chart_specs.MEMBERS_PER_ADVISER,),
        tables=(tables.OFFICES, tables.OFFICES_CHANGE, tables.ANNUAL_FIGURES, tables.ANNUAL_FIGURES_SLIDE),
    ),
    Section(
        "receivables",
        N_("Receivables"),
        N_("Receivables"),
        N_("Receivables"),
        receivables_views.receivables_view,
        True,
        True,
        charts=(chart_specs.AGEING, chart_specs.DSO),
        tables=(tables.OVERDUE_CLIENTS,),
        digest=True,
    ),
    Section(
        "notes",
        N_("Committee notes and decisions"),
        None,
        N_("Committee notes and decisions"),
        meetings_views.open_actions,
        True,
        True,
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
        True,
        tables=(tables.CORRECTIONS,),
    ),
    Section(
        "sources",
        N_("Appendix: sources of the figures"),
        N_("Appendix: sources"),
        N_("Appendix"),
        queries.source_figures,
        True,
        True,
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
