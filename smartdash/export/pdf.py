"""The printed board pack: the committee's dossier as an A4 PDF, built from the same views as the pages.

The content is assembled here as plain data (a `Pack`: sections of blocks — paragraphs, key figures, tables,
bullet lists, charts) and typeset by the Typst compiler (the `typst` wheel: offline, deterministic, its own
embedded fonts) with the template board_pack.typ. Charts are SVG rendered by vl-convert from the same
Vega-Lite builders as the pages, so they stay vectors on paper.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import altair as alt
import pandas as pd
import typst
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from smartdash import charts, committee, formatting, importing, queries
from smartdash.auth import role_can
from smartdash.db import session_scope
from smartdash.export import sections as board_sections
from smartdash.export.chart_images import chart_svg
from smartdash.i18n import N_, _, _p
from smartdash.i18n import render as in_language
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.present import annual as annual_text
from smartdash.present import chart_specs, tables
from smartdash.present import equity as equity_text
from smartdash.present import execution as execution_text
from smartdash.present import funding as funding_text
from smartdash.present import meetings as meetings_text
from smartdash.present import overview as overview_text
from smartdash.present import people as people_text
from smartdash.present import receivables as receivables_text
from smartdash.present import versions as versions_text
from smartdash.views import Filters, sources_of
from smartdash.views import annual as annual_views
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import funding as funding_views
from smartdash.views import meetings as meetings_views
from smartdash.views import memo as views_memo
from smartdash.views import overview as overview_views
from smartdash.views import people as people_views
from smartdash.views import receivables as receivables_views
from smartdash.views import rules as rules_views

TEMPLATE = Path(__file__).with_name("board_pack.typ")
# PDF/A-2a (archival and accessible) and PDF/UA-1: Typst tags the structure and refuses a file that breaks either
# (a picture without its text alternative, a document without its language)
PDF_STANDARDS = ("a-2a", "ua-1")
CHART_WIDTH = 640  # px of the Vega view; the page scales it to the text width (174 mm)


@dataclass
class Section:
    key: str
    title: str
    blocks: list[dict] = field(default_factory=list)

    def add(self, kind: str, **content) -> None:
        self.blocks.append({"kind": kind, **content})

    def keep_together(self, start: int) -> None:
        """The blocks added since `start` stay on one page (a subheading with its figures and first chart)."""
        self.blocks[start:] = [{"kind": "keep", "blocks": self.blocks[start:]}]


@dataclass
class Pack:
    """What the PDF says, as data: the template only lays it out."""

    lang: str
    meta: dict
    sections: list[Section] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)  # file name → SVG text
    specs: dict[str, dict] = field(default_factory=dict)  # file name → the Vega-Lite spec its SVG is drawn from
    synthetic: bool = False
    sources: set[str] = field(default_factory=set)
    frozen_meeting: int | None = None
    # (chart file name, chart spec, subject) of each chart drawn from a declaration of smartdash.present.chart_specs
    drawn: list[tuple[str, chart_specs.ChartSpec, object]] = field(default_factory=list)

    def section(self, key: str, title: str | None = None) -> Section:
        section = Section(key, title or board_sections.section_title(key, self.lang))
        self.sections.append(section)
        return section

    def chart(self, section: Section, chart: alt.TopLevelMixin, *, height: int = 260, width: int = 100) -> None:
        """A chart as SVG, `width` in % of the text width."""
        self._place(section, _drawn_chart(chart, self.lang, height), width)

    def _place(self, section: Section, drawn: DrawnChart, width: int) -> None:
        name = f"chart-{len(self.charts) + 1}.svg"
        self.charts[name] = drawn.svg
        self.specs[name] = drawn.spec
        # the text alternative the pages give the same chart: what a screen reader says in place of the figure
        section.add("chart", file=name, width=width, alt=drawn.alt)

    def spec_chart(self, section: Section, spec: chart_specs.ChartSpec, subject, *, height: int = 260, width: int = 100) -> None:
        """The chart a declaration of smartdash.present.chart_specs draws of `subject`, as the page draws it; a sentence
        instead when it has nothing to draw at the date (an empty chart has no size to print). The same declaration
        of the same rows and options is drawn once in this process (`_drawn_declared`)."""
        frame = spec.frame(subject, self.lang)
        if frame.empty:
            section.add("text", text=_(self.lang, "No figure to show for this period."))
            return
        self.drawn.append((f"chart-{len(self.charts) + 1}.svg", spec, subject))
        self._place(section, _drawn_declared(spec, frame, spec.options(subject, self.lang), self.lang, height), width)

    def demo(self, section: Section) -> None:
        """Mark a section whose figures are partly synthetic, as the pages do."""
        self.synthetic = True
        section.add(
            "demo",
            legend=_(self.lang, '"demo / synthetic": figures in grey italics'),
            footnote=_(
                self.lang,
                "Generated demo data: not from the source documents (the November 2021 plan, SmartCoop's 2023 annual report).",
            ),
        )


@dataclass(frozen=True)
class DrawnChart:
    """A chart of the dossier: its Vega-Lite spec (data inline), its SVG and its text alternative."""

    spec: dict
    svg: str
    alt: str


def _drawn_chart(chart: alt.TopLevelMixin, lang: str, height: int) -> DrawnChart:
    sized = chart.properties(width=CHART_WIDTH, height=height).configure_legend(labelLimit=0)
    charts.use_language(lang)  # the theme's number and date locale, read when the spec is written
    # the builders' charts are the pages' own, validated there: skipping altair's schema check halves the time
    spec = sized.to_dict(validate=False)
    return DrawnChart(spec, chart_svg(spec, lang=lang), charts.describe(spec, lang))


DRAWN_ENTRIES = 128
_drawn: OrderedDict[tuple, DrawnChart] = OrderedDict()
_drawn_lock = threading.Lock()


def _drawn_declared(spec: chart_specs.ChartSpec, frame: pd.DataFrame, options: dict, lang: str, height: int) -> DrawnChart:
    """A declared chart, drawn once per process for the same declaration, rows, options, language and height: a
    second dossier of the same data builds no Altair chart (a third of a build's time) and draws no image. The key is
    the digest of those inputs pickled: equal digests mean equal inputs, and the chart is a function of them and of
    the code, which does not change within a process, and of the functions that build and draw it (part of the key:
    a test may stand others in for them). Inputs that cannot be pickled are drawn every time."""
    build = spec.build
    try:
        inputs = hashlib.blake2b(pickle.dumps((spec.key, frame, options, lang, height), protocol=5), digest_size=24).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return _drawn_chart(build(frame, lang=lang, **options), lang, height)
    digest = (inputs, build, chart_svg)  # drawn by these functions (a test may stand others in for them)
    with _drawn_lock:
        drawn = _drawn.get(digest)
        if drawn is not None:
            _drawn.move_to_end(digest)
            return drawn
    drawn = _drawn_chart(build(frame, lang=lang, **options), lang, height)
    with _drawn_lock:
        _drawn[digest] = drawn
        while len(_drawn) > DRAWN_ENTRIES:
            _drawn.popitem(last=False)
    return drawn


@dataclass
class PdfInfo:
    """What the PDF says about itself; tests and the page read it back."""

    titles: list[str]
    synthetic: bool
    sources: set[str]
    frozen_meeting: int | None
    keys: list[str] = field(default_factory=list)  # each section's key, in the order printed


@dataclass
class DossierContext:
    """What the dossier's sections share while it is built: the pack, the store's session, the filters (their plan
    version the one compared with), the role it is built for, the entities shown, the meeting whose pack it is (a
    closed one's frozen figures), and the key indicators as the summary read them (for the attention list)."""

    pack: Pack
    session: Session
    filters: Filters
    role: str
    entities: list[tuple[str, str]]
    version_text: str
    meeting_id: int | None
    meeting: pd.Series | None
    frozen: pd.DataFrame | None
    tiles: list[overview_views.Tile] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.filters.lang


def table(
    section: Section,
    spec: tables.TableSpec,
    rows: pd.DataFrame | list[list],
    *,
    lang: str,
    demo: list[bool] | None = None,
    status: dict[str, list[str | None]] | None = None,
) -> None:
    """A declared table (smartdash.present.tables) that splits across pages with its header repeated: its headers,
    widths, alignment and size come from the declaration. `rows`: the frame made for it (its headers checked) or
    one list of cells per row; `status`: a status dot per row in the columns named. Rows that do not fit the
    declaration are refused here, before the typesetter could wrap a cell onto the next row."""
    body = spec.rows(rows, lang) if isinstance(rows, pd.DataFrame) else rows
    spec.check(body)
    for what, values in [("demo", demo or [])] + list((status or {}).items()):
        if values and len(values) != len(body):
            raise tables.TableMismatch(f"table {spec.key}: {len(values)} {what} flags for {len(body)} rows")
    dots = [[(status or {}).get(key, [None] * len(body))[i] for key in spec.keys] for i in range(len(body))]
    section.add(
        "table",
        table=spec.key,
        header=spec.headers(lang),
        rows=[["—" if _known(c) is None else str(c) for c in row] for row in body],
        widths=spec.widths,
        align=spec.alignments,
        demo=demo or [],
        status=dots if status else [],
        size=spec.size,
    )


def figures(section: Section, items: list[tuple[str, str, str | None, bool]]) -> None:
    """Key figures: (label, formatted value, note, synthetic)."""
    section.add(
        "figures", items=[{"label": label, "value": value, "note": note, "demo": demo} for label, value, note, demo in items]
    )


def _money(v, lang: str) -> str:
    return formatting.money(v, lang=lang)


# --------------------------------------------------------------------------- the sections


STATUS_WORDS = {"green": N_("green"), "amber": N_("amber"), "red": N_("red"), None: N_("no plan")}


@board_sections.dossier_builder("summary")
def _summary(ctx: DossierContext) -> None:
    """The key indicators against the plan, or the figures a closed meeting froze."""
    pack, s, filters, lang, frozen, version_text = ctx.pack, ctx.session, ctx.filters, ctx.lang, ctx.frozen, ctx.version_text
    meeting = ctx.meeting if ctx.meeting_id is not None else None
    tiles = ctx.tiles = overview_views.overview_tiles(session=s, filters=filters)
    pack.sources |= set(sources_of([t.source for t in tiles]))
    section = pack.section("summary")
    if frozen is not None and not frozen.empty:
        version = next((v for v in frozen["plan_version"] if v), filters.plan_version)
        section.add(
            "text",
            text=_(
                lang,
                "Figures as presented at the meeting of {held_on} (frozen "
                "when it closed, plan {version}). Corrections made since are listed at the end of the pack; the other "
                "sections are computed at the meeting's as-of date.",
                held_on=formatting.date_long(meeting["held_on"], lang=lang),
                version=version,
            ),
        )
        catalogue = queries.indicators(session=s).set_index("code")
        statuses = [x if isinstance(x, str) else None for x in frozen["status"]]
        rows = [
            [
                catalogue.loc[r.indicator_code, "label_en"] if lang == "en" and r.indicator_code in catalogue.index else r.label,
                r.entity_name,
                formatting.value(_known(r.value), r.unit, lang=lang, compact=True),
                formatting.value(_known(r.plan_value), r.unit, lang=lang, compact=True),
                in_language(lang, overview_views.gap_between(_known(r.value), _known(r.plan_value), r.unit) or "—"),
                formatting.date_short(_known(r.period_end)),
                _(lang, STATUS_WORDS[status]),
            ]
            for r, status in zip(frozen.itertuples(), statuses, strict=True)
        ]
        synthetic = {(t.indicator, t.entity_name): t.is_synthetic for t in tiles}  # the snapshot keeps no such flag
        demo = [
            synthetic.get((code, name), False) for code, name in zip(frozen["indicator_code"], frozen["entity_name"], strict=True)
        ]
        table(section, tables.SUMMARY, rows, lang=lang, demo=demo, status={"status": statuses})
        if any(demo):
            pack.demo(section)
        return
    if meeting is not None and meeting["status"] == "closed":
        section.add(
            "text",
            text=_(lang, "This closed meeting kept no snapshot of its figures: they are computed at its date from today's data."),
        )
    section.add(
        "text",
        text=_(
            lang,
            "Gap to plan {plan_version}; {thresholds}.",
            plan_version=version_text,
            thresholds=overview_text.thresholds_phrase([t.rule for t in tiles], lang),
        ),
    )
    rows = [
        [
            overview_text.tile_label(t, lang),
            t.entity_name,
            formatting.value(t.value, t.unit, lang=lang, compact=True),
            formatting.value(t.plan_value, t.unit, lang=lang, compact=True) if t.plan_value is not None else "—",
            overview_text.plan_gap(t, lang),
            overview_text.period_text(t, lang, short=True),
            f"{_(lang, STATUS_WORDS[t.status])} {t.trend}",
        ]
        for t in tiles
    ]
    table(
        section,
        tables.SUMMARY,
        rows,
        lang=lang,
        demo=[t.is_synthetic for t in tiles],
        status={"status": [t.status for t in tiles]},
    )
    if any(t.is_synthetic for t in tiles):
        pack.demo(section)


def _known(value):
    """None for a missing value (a frame may hold it as NaN)."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


@board_sections.dossier_builder("attention")
def _attention(ctx: DossierContext) -> None:
    """The exceptions only, drawn from the key indicators the summary read."""
    pack = ctx.pack
    items = rules_views.attention_items(session=ctx.session, filters=ctx.filters, tiles=ctx.tiles)
    section = pack.section("attention")
    section.add("text", text=_(pack.lang, "Exceptions only: what is red or amber."))
    section.add(
        "bullets",
        items=[{"text": overview_text.attention_text(a, pack.lang), "status": a.severity} for a in items]
        or [{"text": _(pack.lang, "Nothing to report."), "status": "green"}],
    )


@board_sections.dossier_builder("equity")
def _equity(ctx: DossierContext) -> None:
    pack, s, filters, entities, lang = ctx.pack, ctx.session, ctx.filters, ctx.entities, ctx.lang
    section = pack.section("equity")
    synthetic = False
    for code, name in entities:
        view = equity_views.equity_view(session=s, filters=filters, entity=code, entity_name=name)
        if view.trajectory.empty:
            continue
        synthetic |= view.is_synthetic
        pack.sources |= set(view.sources)
        start = len(section.blocks)
        section.add("subheading", text=name)
        figures(
            section,
            [
                (
                    _(lang, "Equity at end {value}", value=view.latest_date or "—"),
                    formatting.money_compact(view.latest_equity, lang=lang),
                    None,
                    view.latest_origin.synthetic,
                ),
                (
                    _(lang, "Quasi-equity"),
                    formatting.money_compact(view.latest_quasi_equity, lang=lang),
                    None,
                    view.quasi_origin.synthetic,
                ),
                (
                    _(lang, "Break-even target (plan)"),
                    str(view.break_even.year) if view.break_even else "—",
                    view.break_even.statement.render(lang) if view.break_even else None,
                    False,
                ),
                (_(lang, "Equity positive planned"), equity_text.plan_positive_label(view, lang), None, False),
            ],
        )
        pack.spec_chart(section, chart_specs.EQUITY_TRAJECTORY, view, height=220)
        section.keep_together(start)
        if view.bridge_years:
            year = view.bridge_years[-1]
            bridge = view.bridge(year)
            pack.spec_chart(section, chart_specs.EQUITY_BRIDGE, chart_specs.BridgeShown(view, year, name), height=200)
            section.add("note", text=_(lang, "Control (booked − computed): {money}", money=_money(bridge.control, lang)))
    if synthetic:
        pack.demo(section)


@board_sections.dossier_builder("funding")
def _funding(ctx: DossierContext) -> None:
    pack, s, filters, version_text, lang = ctx.pack, ctx.session, ctx.filters, ctx.version_text, ctx.lang
    section = pack.section("funding")
    definition = OnePlusOneDefinition()
    view = funding_views.funding_view(session=s, filters=filters, definition=definition)
    section.add(
        "text",
        text=_(
            lang, "{definition} Plan version: {plan_version}.", definition=definition.describe(lang), plan_version=version_text
        ),
    )
    if view.lines.empty:
        section.add("text", text=_(lang, "No contribution in this plan version."))
        return
    pack.sources |= set(sources_of(view.lines["source"]))
    names = view.names | {"__total__": funding_text.total_name(view, lang)}
    planned = dict(zip(view.coverage_planned["entity"], view.coverage_planned["coverage"], strict=True))
    actual = dict(zip(view.coverage_actual["entity"], view.coverage_actual["coverage"], strict=True))
    figures(
        section,
        [
            (
                _(lang, "Coverage achieved — {name}", name=names[e]),
                formatting.ratio(actual.get(e), lang=lang),
                _(lang, "planned {ratio}", ratio=formatting.ratio(planned.get(e), lang=lang)),
                funding_views.received_origin(view, None if e == "__total__" else e).synthetic,  # achieved: the receipts
            )
            for e in planned  # every entity's and the group's: the grid goes on to a second row after four
        ],
    )
    pack.spec_chart(section, chart_specs.COVERAGE, view, height=200)
    judged = funding_text.judgements_table(view, lang)
    section.add("subheading", text=_(lang, "1+1 coverage judged"))
    table(section, tables.JUDGED_COVERAGE, judged, lang=lang, status={"verdict": [j.status for j in view.judgements]})
    contributions = funding_text.contributions_table(view, lang)
    section.add("subheading", text=_(lang, "Contributions"))
    table(section, tables.CONTRIBUTIONS, contributions, lang=lang, demo=funding_views.row_parts_synthetic(view))
    if funding_views.lines_origin(view).synthetic:
        pack.demo(section)


@board_sections.dossier_builder("execution")
def _execution(ctx: DossierContext) -> None:
    pack, s, filters, entities, lang = ctx.pack, ctx.session, ctx.filters, ctx.entities, ctx.lang
    section = pack.section("execution")
    section.add("text", text=_(lang, "A missed or late instalment is red whatever else is green."))
    synthetic = False
    for code, name in entities:
        view = execution_views.execution_view(session=s, filters=filters, entity=code, entity_name=name, plan_adopted_on=None)
        if view.schedule.empty and view.cash.empty:
            continue
        synthetic |= view.is_synthetic
        pack.sources |= set(view.sources)
        start = len(section.blocks)
        section.add("subheading", text=name)

        def money_or_none(value: Decimal, view=view) -> str:  # no schedule: nothing due, nothing paid, not 0 €
            return formatting.money_compact(value, lang=lang) if not view.schedule.empty else "—"

        figures(
            section,
            [
                (_(lang, "Due to date"), money_or_none(view.due_to_date), None, view.is_synthetic),
                (_(lang, "Paid to date"), money_or_none(view.paid_to_date), None, view.is_synthetic),
                (
                    _(lang, "Execution rate"),
                    formatting.percent(view.execution_rate * 100, lang=lang) if view.execution_rate is not None else "—",
                    None,
                    view.is_synthetic,
                ),
                (_(lang, "Left to pay"), execution_text.debt_left_text(view, lang), None, view.is_synthetic),
            ],
        )
        if not view.by_year.empty:
            pack.spec_chart(section, chart_specs.EXECUTION_INSTALMENTS, chart_specs.InstalmentsShown.of(view), height=180)
        section.keep_together(start)
        if not view.late.empty:
            section.add(
                "bullets",
                items=[
                    {
                        "text": _(
                            lang,
                            "Late: {creditor}, {money} unpaid since {due_date} ({days_late} days)",
                            creditor=r.creditor,
                            money=_money(r.amount_due - r.amount_paid, lang),
                            due_date=formatting.date_long(r.due_date, lang=lang),
                            days_late=r.days_late,
                        ),
                        "status": "red",
                    }
                    for r in view.late.itertuples()
                ],
            )
        legal = execution_text.legal_table(view, lang)
        table(section, tables.LEGAL_LINES, legal, lang=lang)
    if synthetic:
        pack.demo(section)


@board_sections.dossier_builder("headcount")
def _headcount(ctx: DossierContext) -> None:
    pack, s, filters, entities, lang = ctx.pack, ctx.session, ctx.filters, ctx.entities, ctx.lang
    section = pack.section("headcount")
    view = people_views.headcount_view(session=s, filters=filters, entities=[c for c, _n in entities])
    if view.series.empty:
        section.add("text", text=_(lang, "No headcount loaded."))
        return
    pack.sources |= set(view.sources)
    labels = people_text.population_labels(lang)
    section.add("text", text=_(lang, "Entities: {names}", names=", ".join(n for _c, n in entities)))
    latest = view.latest.set_index("population")
    figures(
        section,
        [
            (
                _(
                    lang,
                    "{label} — at {period_end}",
                    label=labels[p],
                    period_end=formatting.date_short(latest.loc[p, "period_end"]),
                ),
                formatting.number(int(latest.loc[p, "headcount"]), lang=lang),
                _(
                    lang,
                    "{loc} FTE; attrition {pct}",
                    loc=formatting.number(latest.loc[p, "fte"], lang=lang, places=1),
                    pct=formatting.percent(_pct(view.attrition.get(p)), lang=lang),
                ),
                view.is_synthetic,
            )
            for p in ("members", "staff")
            if p in latest.index
        ],
    )
    for population in ("members", "staff"):
        shown = chart_specs.HeadcountShown(view, population)
        if not chart_specs.HEADCOUNT.frame(shown, lang).empty:
            pack.spec_chart(section, chart_specs.HEADCOUNT, shown, height=170)
    if view.is_synthetic:
        pack.demo(section)


def _pct(share: Decimal | None) -> Decimal | None:
    return None if share is None else share * 100


@board_sections.dossier_builder("membership")
def _membership(ctx: DossierContext) -> None:
    pack, s, filters, lang = ctx.pack, ctx.session, ctx.filters, ctx.lang
    section = pack.section("membership")
    view = people_views.membership_view(
        session=s, filters=Filters(None, filters.as_of, filters.compare, filters.plan_version, lang)
    )
    if view.offices.empty:
        section.add("text", text=_(lang, "No membership loaded."))
        return
    pack.sources |= set(view.sources)
    figures(
        section,
        [
            (
                _(lang, "Members at {period_end}", period_end=formatting.date_short(view.period_end)),
                formatting.number(view.total_members, lang=lang),
                None,
                view.is_synthetic,
            ),
            (_(lang, "Shareholding members"), formatting.number(view.societaires, lang=lang), None, False),
            (
                _(lang, "Members per adviser (median)"),
                formatting.number(view.median_per_adviser, lang=lang),
                None,
                view.is_synthetic,
            ),
        ],
    )
    if not people_views.per_adviser_frame(view).empty:
        pack.spec_chart(
            section,
            chart_specs.MEMBERS_PER_ADVISER,
            view,
            height=max(160, 16 * len(people_views.per_adviser_frame(view))),
        )
    offices = people_text.offices_table(view, lang)
    section.add("subheading", text=_(lang, "Offices"))
    table(section, tables.OFFICES, offices, lang=lang, demo=[bool(x) for x in view.offices["is_synthetic"]])
    change = people_views.offices_change(
        session=s, filters=Filters(None, filters.as_of, filters.compare, filters.plan_version, lang)
    )
    if change.then is not None:
        pack.sources |= set(change.origin.sources)
        section.add("subheading", text=people_text.offices_change_title(change, lang))
        section.add("text", text=people_text.offices_losing_text(change, lang))
        table(
            section,
            tables.OFFICES_CHANGE,
            people_text.offices_change_table(change, lang),
            lang=lang,
            demo=[bool(x) for x in change.offices["is_synthetic"]],
        )
    _annual_figures(pack, section, s, filters)
    if view.is_synthetic:
        pack.demo(section)


def _annual_figures(pack: Pack, section: Section, s: Session, filters: Filters) -> None:
    """The annual report's other figures (income statement, cash and debts, activity), read nowhere else."""
    lang = filters.lang
    for figures in annual_views.annual_figures(session=s, as_of=filters.as_of, entity=filters.entity):
        frame = annual_text.annual_table(figures, lang)
        pack.sources |= set(figures.origin.sources)
        section.add("subheading", text=annual_text.annual_title(figures, lang))
        table(
            section,
            tables.ANNUAL_FIGURES,
            frame,
            lang=lang,
            demo=[bool(x) for x in figures.figures["is_synthetic"]],
        )


@board_sections.dossier_builder("receivables")
def _receivables(ctx: DossierContext) -> None:
    pack, s, filters, role, lang = ctx.pack, ctx.session, ctx.filters, ctx.role, ctx.lang
    section = pack.section("receivables")
    names = dict(zip(*[queries.entities(session=s)[c] for c in ("code", "name")], strict=True))
    synthetic, shown = False, False
    for code in queries.receivable_entities(session=s):
        if filters.entity and code != filters.entity:
            continue
        view = receivables_views.receivables_view(session=s, entity=code, as_of=filters.as_of)
        if view.as_of is None:
            continue
        shown = True
        synthetic |= view.is_synthetic
        start = len(section.blocks)
        section.add(
            "subheading",
            text=_(lang, "{name} — snapshot of {as_of}", name=names[code], as_of=formatting.date_long(view.as_of, lang=lang)),
        )
        figures(
            section,
            [
                (_(lang, "Open (incl. VAT)"), formatting.money_compact(view.total, lang=lang), None, view.is_synthetic),
                (_p(lang, "share", "Past due"), formatting.percent(_pct(view.overdue_ratio), lang=lang), None, view.is_synthetic),
                (
                    _(lang, "Over 90 days past due"),
                    formatting.money_compact(view.over_90, lang=lang),
                    receivables_text.over_90_share(view, lang),
                    view.is_synthetic,
                ),
                (
                    "DSO",
                    formatting.value(view.dso_days, "days", lang=lang),
                    receivables_text.dso_changes(view, lang),
                    view.is_synthetic,
                ),
            ],
        )
        if (credits := receivables_text.credits_note(view, lang)) is not None:
            section.add("text", text=credits)
        pack.spec_chart(
            section,
            chart_specs.AGEING,
            view,
            height=170,
        )
        if not view.dso_trend.empty:
            pack.spec_chart(section, chart_specs.DSO, view, height=150)
        section.keep_together(start)
        if not role_can(role, "see_clients"):
            section.add("note", text=_(lang, "Client names are for directors and administrators only."))
            continue
        clients = queries.largest_overdue_clients(session=s, entity=code, as_of=view.as_of)
        if not clients.empty:
            frame = receivables_text.clients_table(clients, view.as_of, lang)
            section.add("subheading", text=_p(lang, "board pack", "Largest overdue clients"))
            table(section, tables.OVERDUE_CLIENTS, frame, lang=lang, demo=[view.is_synthetic] * len(frame))
    if not shown:
        section.add("text", text=_(lang, "No receivables loaded."))
    if synthetic:
        pack.demo(section)


@board_sections.dossier_builder("notes")
def _notes(ctx: DossierContext) -> None:
    """The notes of the meeting these figures are for, then the open decisions and actions."""
    pack, s, filters, meeting_id, lang = ctx.pack, ctx.session, ctx.filters, ctx.meeting_id, ctx.lang
    section = pack.section("notes")
    own_dossier = meeting_id is not None  # a meeting's own dossier: its record, as known when it was held
    meeting_id = meeting_id if meeting_id is not None else committee.meeting_for(session=s, as_of=filters.as_of)
    if meeting_id is not None:
        notes = committee.notes(session=s, meeting_id=meeting_id)
        held_on = queries.meetings(session=s).set_index("id").loc[meeting_id, "held_on"]
        section.add(
            "subheading", text=_(lang, "Notes of the meeting of {held_on}", held_on=formatting.date_long(held_on, lang=lang))
        )
        if notes.empty:
            section.add("text", text=_(lang, "No note."))
        else:
            section.add(
                "bullets",
                items=[
                    {
                        "text": (f"{' — '.join(x for x in (n.indicator, n.entity) if x)} : " if (n.indicator or n.entity) else "")
                        + n.text,
                        "status": None,
                    }
                    for n in notes.itertuples()
                ],
            )
    known_on = filters.as_of  # the figures' date; a meeting's own dossier, the day it was held (its decisions included)
    if own_dossier:
        known_on = max(known_on, queries.meetings(session=s).set_index("id").loc[meeting_id, "held_on"])
    actions = meetings_views.open_actions(session=s, as_of=known_on)
    section.add("subheading", text=_(lang, "Open decisions and actions"))
    if not actions:
        section.add("text", text=_(lang, "No open action."))
        return
    frame = meetings_text.actions_table(actions, lang)
    table(
        section,
        tables.DECISIONS,
        frame,
        lang=lang,
        status={"state": ["red" if a.overdue else "amber" for a in actions]},
    )


@board_sections.dossier_builder("since_meeting")
def _since_meeting(ctx: DossierContext) -> None:
    """Since the last meeting held: key indicators then and now with their change and status, the watch list's new
    and worse items, the files loaded since, the meeting's decisions with their state at the as-of date."""
    pack, s, filters, lang = ctx.pack, ctx.session, ctx.filters, ctx.lang
    section = pack.section("since_meeting")
    view = meetings_views.since_meeting(session=s, filters=filters)
    section.add("subheading", text=meetings_text.heading(view, lang))
    section.add("text", text=meetings_text.origin_text(view, lang))
    if view.meeting is None:
        return
    section.add("text", text=meetings_text.summary_text(view, lang))
    table(
        section,
        tables.SINCE_MEETING,
        meetings_text.changes_table(view, lang),
        lang=lang,
        demo=[c.is_synthetic for c in view.changes],
        status={"statuses": [c.now_status for c in view.changes]},
    )
    pack.sources |= set(sources_of([c.source for c in view.changes]))
    if any(c.is_synthetic for c in view.changes):
        pack.demo(section)
    section.add("subheading", text=_(lang, "Watch list: new or worse"))
    section.add(
        "bullets",
        items=[{"text": meetings_text.watch_text(w, lang), "status": w.item.severity} for w in view.watch]
        or [{"text": _(lang, "Nothing new or worse on the watch list."), "status": None}],
    )
    section.add("subheading", text=_(lang, "Files loaded since the meeting"))
    if view.loads:
        loads = meetings_text.loads_table(view, lang).values
        section.add("bullets", items=[{"text": " · ".join(str(c) for c in row), "status": None} for row in loads])
    else:
        section.add("text", text=_(lang, "No file loaded since the meeting."))
    section.add("subheading", text=_(lang, "Decisions of the meeting and their actions"))
    if view.decisions:
        table(
            section,
            tables.DECISIONS,
            meetings_text.actions_table(view.decisions, lang),
            lang=lang,
            status={"state": ["red" if a.overdue else None for a in view.decisions]},
        )
    else:
        section.add("text", text=_(lang, "No decision recorded at this meeting."))


@board_sections.dossier_builder("corrections")
def _corrections(ctx: DossierContext) -> None:
    """A closed meeting's pack only: the figures it was shown that the store has corrected since."""
    if ctx.frozen is None:
        return
    pack, s, meeting_id, meeting, lang = ctx.pack, ctx.session, ctx.meeting_id, ctx.meeting, ctx.lang
    section = pack.section("corrections")
    frame = committee.presented_and_corrected(session=s, meeting_id=meeting_id)
    changed = frame[[d is not None and not pd.isna(d) and d != 0 for d in frame["difference"]]]
    section.add(
        "text",
        text=_(
            lang,
            "Figures presented at the meeting of {held_on} and corrected since in the store ({n_changed} of {n_frame}).",
            held_on=formatting.date_long(meeting["held_on"], lang=lang),
            n_changed=len(changed),
            n_frame=len(frame),
        ),
    )
    if changed.empty:
        section.add("text", text=_(lang, "No correction since the meeting."))
        return
    table(
        section,
        tables.CORRECTIONS,
        [
            [
                r.label,
                r.entity,
                formatting.date_short(r.period_end),
                formatting.value(r.presented, r.unit, lang=lang),
                formatting.value(r.corrected, r.unit, lang=lang),
                formatting.value(r.difference, r.unit, lang=lang),
            ]
            for r in changed.itertuples()
        ],
        lang=lang,
    )


def _document_year(name: str) -> int:
    """The latest year a source document's name gives (0 when it gives none): the year it reports on."""
    return max((int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", name)), default=0)


@board_sections.dossier_builder("sources")
def _sources(ctx: DossierContext) -> None:
    """Every source the dossier's figures cite, the source documents known at the date and the files loaded."""
    pack, s, lang, as_of = ctx.pack, ctx.session, ctx.lang, ctx.filters.as_of
    section = pack.section("sources")
    if pack.synthetic:
        section.add(
            "bullets",
            items=[
                {
                    "status": "amber",
                    "text": _(
                        lang,
                        'Demo data: part of the figures are synthetic (generated); they are in grey italics and marked "demo / '
                        "synthetic\". The others come from the November 2021 plan and SmartCoop's 2023 annual report.",
                    ),
                }
            ],
        )
    if pack.sources:
        section.add("subheading", text=_(lang, "Sources the figures cite"))
        section.add("bullets", items=[{"text": src, "status": None} for src in sorted(pack.sources)])
    documents = queries.source_figures(session=s)
    # a document about a year after the as-of date's (SmartCoop's 2023 report at 31/12/2021) is not known at it
    documents = documents[[_document_year(d) <= as_of.year for d in documents["document"]]]
    if not documents.empty:
        section.add("subheading", text=_(lang, "Source documents and locations"))
        table(
            section,
            tables.SOURCE_FIGURES,
            [
                [
                    d.document,
                    d.location,
                    d.label_en if lang == "en" else d.label_fr,
                    formatting.value(d.value, d.unit, lang=lang) if d.unit else formatting.number(d.value, lang=lang),
                ]
                for d in documents.itertuples()
            ],
            lang=lang,
        )
    loads = importing.load_history(session=s)
    section.add("subheading", text=_(lang, "Files loaded"))
    if loads.empty:
        section.add("text", text=_(lang, "No file loaded."))
        return
    undone = _(lang, "undone")
    table(
        section,
        tables.LOADS,
        [
            [
                str(r.id),
                r.file_name + (f" ({undone})" if r.status == "undone" else ""),
                r.kind,
                r.loaded_by,
                pd.Timestamp(r.loaded_at).strftime("%d/%m/%Y %H:%M"),
                formatting.number(r.rows_inserted + r.rows_updated + r.rows_unchanged, lang=lang),
                r.checksum[:16] + "…",
            ]
            for r in loads.itertuples()
        ],
        lang=lang,
    )


# --------------------------------------------------------------------------- assembling and typesetting


def _meeting_row(s: Session, meeting_id: int | None, as_of: dt.date) -> pd.Series | None:
    frame = queries.meetings(session=s)
    if meeting_id is None:  # the meeting whose notes the dossier holds (its figures' date), never a later one
        meeting_id = committee.meeting_for(session=s, as_of=as_of)
        if meeting_id is None:
            return None
    found = frame[frame["id"] == meeting_id]
    if found.empty:
        raise ValueError(f"meeting no. {meeting_id} unknown")  # the command checks first: a programming error
    return found.iloc[0]


def compose(
    engine: Engine,
    *,
    filters: Filters,
    role: str,
    meeting_id: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Pack:
    """The dossier's content at `filters.as_of` (a meeting's own as-of date when `meeting_id` is given), against
    `filters.plan_version`, or without one chosen the version in force at that date, as the `role` it is built for
    may read it (client names only for a role that may see them)."""
    lang = filters.lang
    report = progress or (lambda _share, _step: None)
    with session_scope(engine) as s, views_memo.reused():  # views read once per build
        meeting = _meeting_row(s, meeting_id, filters.as_of)
        as_of = meeting["as_of"] if meeting_id is not None else filters.as_of
        version = filters.plan_version or queries.version_in_force(session=s, on=as_of)
        filters = Filters(filters.entity, as_of, filters.compare, version, lang)
        # a version adopted after the figures' date is said to be so wherever the dossier names it
        version_text = versions_text.version_label(queries.plan_versions(session=s), version, as_of, lang)
        frozen = (
            committee.meeting_snapshot(session=s, meeting_id=meeting_id)
            if (meeting_id is not None and meeting["status"] == "closed")
            else None
        )
        frozen = frozen if frozen is not None and not frozen.empty else None
        entities = overview_views.tile_entities(session=s, entity=filters.entity)
        as_of_text = formatting.date_long(filters.as_of, lang=lang)
        meeting_text = (
            f"{meeting['title']} — {formatting.date_long(meeting['held_on'], lang=lang)}" if meeting is not None else "—"
        )
        # the meeting whose notes the dossier holds; "last meeting" when its figures are of another date
        meeting_line = (
            _(lang, "Meeting: {meeting_text}", meeting_text=meeting_text)
            if meeting is None or meeting["as_of"] == filters.as_of
            else _(
                lang,
                "Last meeting: {meeting_text} (its figures as of {meeting_as_of})",
                meeting_text=meeting_text,
                meeting_as_of=formatting.date_long(meeting["as_of"], lang=lang),
            )
        )
        pack = Pack(
            lang=lang,
            meta={
                "lang": lang,
                "title": _(lang, "Continuation plan committee"),
                "organisation": _(lang, "Smart — the SmartFr, GrandsEnsemble and Alterna cooperatives"),
                "cover": [
                    meeting_line,
                    _(lang, "Figures as of {as_of_text}", as_of_text=as_of_text),
                    _(lang, "Plan version: {value}", value=version_text),
                    _(lang, "Entities: {names}", names=", ".join(n for _c, n in entities)),
                ]
                + ([_(lang, "Key figures frozen when the meeting closed")] if frozen is not None else []),
                "confidential": _(lang, "Confidential — committee members only"),
                "toc_title": _(lang, "Contents"),
                "footer": _(lang, "Figures as of {as_of_text} · plan {value}", as_of_text=as_of_text, value=version_text),
                "page_word": "page",
            },
            frozen_meeting=meeting_id if frozen is not None else None,
        )

        ctx = DossierContext(
            pack=pack,
            session=s,
            filters=filters,
            role=role,
            entities=entities,
            version_text=version_text,
            meeting_id=meeting_id,
            meeting=meeting,
            frozen=frozen,
        )
        printed = [section for section in board_sections.SECTIONS if section.dossier is not None]
        for i, section in enumerate(printed):  # the deck's order, one registry for both
            report(0.05 + 0.75 * i / len(printed), _(lang, section.step))
            section.dossier(ctx)
    return pack


def render(pack: Pack, *, archival: bool = True) -> bytes:
    """Typeset a pack: the template, its data as JSON and the charts' SVG in a scratch folder, then Typst."""
    with tempfile.TemporaryDirectory(prefix="smartdash-pdf-") as folder:
        root = Path(folder)
        (root / "main.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        (root / "pack.json").write_text(
            json.dumps(
                {
                    "meta": pack.meta,
                    "sections": [{"key": s.key, "title": s.title, "blocks": s.blocks} for s in pack.sections],
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        for name, svg in pack.charts.items():
            (root / name).write_text(svg, encoding="utf-8")
        try:
            return typst.compile(
                str(root / "main.typ"),
                root=str(root),
                format="pdf",
                ignore_system_fonts=True,
                pdf_standards=list(PDF_STANDARDS) if archival else [],
                timestamp=dt.datetime.now(dt.UTC).replace(microsecond=0),
            )
        except typst.TypstError as exc:  # the template's own fault: say where
            raise RuntimeError(f"{exc.message}\n{exc.diagnostic}") from exc


def build_pdf(
    engine: Engine,
    *,
    filters: Filters,
    role: str,
    meeting_id: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[bytes, PdfInfo]:
    """The committee's dossier as an A4 PDF at `filters.as_of`, in `filters.lang`, for one entity or every entity
    under the plan, built for `role`; for a closed meeting (`meeting_id`), its key figures as frozen when it closed.
    `progress(share, step)` is called as the sections are built."""
    report = progress or (lambda _share, _step: None)
    pack = compose(engine, filters=filters, role=role, meeting_id=meeting_id, progress=report)
    report(0.85, _(filters.lang, "Typesetting"))
    data = render(pack)
    report(1.0, _(filters.lang, "Done"))
    return data, PdfInfo(
        titles=[s.title for s in pack.sections],
        synthetic=pack.synthetic,
        sources=pack.sources,
        frozen_meeting=pack.frozen_meeting,
        keys=[s.key for s in pack.sections],
    )


def export_pdf_command(engine: Engine, args, default_lang: str) -> int:
    """`python -m smartdash export pdf --out F.pdf [--as-of] [--lang] [--entity] [--plan-version] [--meeting ID]
    [--role]`: built for a committee member (no client names) unless --role names a role that may see them."""
    import sys

    with session_scope(engine) as s:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else queries.latest_data_date(session=s)
        # none chosen: the version in force at the figures' date, a meeting's own date included (compose decides)
        version = args.plan_version
        meetings = queries.meetings(session=s).set_index("id")["as_of"]
        known = set(int(i) for i in meetings.index)
    said = default_lang  # the command's own lines, in the configured language; the dossier is in --lang
    if as_of is None:
        print(_(said, "The store holds no data: nothing to print."), file=sys.stderr)
        return 1
    if args.meeting is not None and args.meeting not in known:
        print(
            _(said, "--meeting: meeting no. {number} does not exist (see the Committee page).", number=args.meeting),
            file=sys.stderr,
        )
        return 1
    data, info = build_pdf(
        engine,
        filters=Filters(args.entity, as_of, "meeting", version, args.lang or default_lang),
        role=args.role,
        meeting_id=args.meeting,
    )
    Path(args.out).write_bytes(data)
    as_of = meetings[args.meeting] if args.meeting is not None else as_of  # a meeting's pack: its figures' date
    fields = {"file": args.out, "count": formatting.number(len(info.titles), lang=said)}
    if info.frozen_meeting:
        line = _(
            said,
            "{file}: A4 dossier of {count} sections, figures frozen at meeting no. {number}",
            number=info.frozen_meeting,
            **fields,
        )
    else:
        line = _(
            said, "{file}: A4 dossier of {count} sections, figures as of {date}", date=formatting.date_short(as_of), **fields
        )
    if info.synthetic:
        line = _(said, "{line} (contains demo data)", line=line)
    print(line)
    return 0
