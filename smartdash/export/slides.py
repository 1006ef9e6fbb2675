"""The board pack: a 16:9 PowerPoint deck built from the same smartdash views as the pages.

Charts are native PowerPoint charts (editable, their data inside) in the dashboard's colours; the equity
bridge, which has no native equivalent, is an image rendered offline by vl-convert.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from smartdash import charts, formatting, provenance, queries
from smartdash.db import session_scope
from smartdash.export import sections as board_sections
from smartdash.export.chart_images import chart_png
from smartdash.export.tables import InertChartData
from smartdash.i18n import _, bilingual
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.metrics.versions import adopted_after
from smartdash.present import annual as annual_text
from smartdash.present import chart_specs, tables
from smartdash.present import equity as equity_text
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
from smartdash.views import versions as versions_views

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, PowerPoint's own widescreen size
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.5)
BULLET_SPACE_PT = 8  # the space after a bullet line
BULLET_CHAR_EM = 0.55  # the average width of a character of the deck's sans-serif, in em (measured on a render)
TITLE_PT, TITLE_MIN_PT = 30, 20  # a slide's title: on one line, smaller down to TITLE_MIN_PT when it is long
TITLE_TOP, TITLE_HEIGHT = Inches(0.25), Inches(0.7)  # one line at 30 pt (0,5 in) and the box's insets
SUBTITLE_TOP = TITLE_TOP + TITLE_HEIGHT  # the subtitle just below the title's box, never over it
SUBTITLE_HEIGHT = BODY_TOP - SUBTITLE_TOP  # down to the body: one line at 14 pt, or two smaller
SUBTITLE_PT, SUBTITLE_MIN_PT = 14, 10
TEXT_INSETS = Inches(0.1)  # a text box's own margins, above and below its text (PowerPoint's default)
FOOTNOTE_ROOM = Inches(1.05)  # from the slide's bottom: a slide's footnote (its sources) and its footer
FOOTER_ROOM = Inches(0.6)  # from the slide's bottom: its footer
CELL_INSETS = Inches(0.2)  # a table cell's own margins, left and right together (set on every cell)
CELL_PADDING = Inches(0.08)  # … and above and below together


def _with_minus(fmt: str) -> str:
    """A number format whose negative section writes the minus sign U+2212, as the pages do, not a hyphen."""
    return f'{fmt};"\u2212"{fmt}'


EURO_FORMAT = _with_minus('#,##0\u00a0"€"')
# the two commas scale by a million; separators follow the viewer's locale
MILLION_FORMAT = _with_minus('#,##0.0,,\u00a0"M€"')
THOUSAND_FORMAT = _with_minus('#,##0,\u00a0"k€"')


def euro_format(values) -> str:
    """The axis format for amounts of this size: M€, k€ or €."""
    top = max((abs(float(v)) for v in values if v is not None), default=0)
    return MILLION_FORMAT if top >= 2_000_000 else THOUSAND_FORMAT if top >= 20_000 else EURO_FORMAT


# the pages' status colours: white text on each keeps 4,5:1 (the old amber and grey gave 2,7:1)
RAG = {status: colour.removeprefix("#") for status, colour in charts.STATUS_COLOURS.items()}
INK = RGBColor(0x1F, 0x29, 0x37)
GREY = RGBColor(0x6B, 0x72, 0x80)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _lighter(hex_colour: str, share: float = 1 - charts.SYNTHETIC_OPACITY) -> str:
    """The colour blended with white: the fill of a synthetic bar or point, inside its outline at full colour (as on the
    pages)."""
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


@dataclass
class DeckInfo:
    """What the deck says about itself; tests and the page read it back."""

    titles: list[str] = field(default_factory=list)
    synthetic: bool = False
    sources: set[str] = field(default_factory=set)
    origins: dict[int, provenance.Provenance] = field(default_factory=dict)  # slide number (from 1) → its footnote
    sections: dict[int, str] = field(default_factory=dict)  # slide number (from 1) → the key of the section it shows
    # (slide number, chart spec, subject) of each chart drawn from a declaration of smartdash.present.chart_specs
    drawn: list[tuple[int, chart_specs.ChartSpec, object]] = field(default_factory=list)


class Deck:
    """A presentation with smartdash's layout helpers."""

    def __init__(self, template: Path | None, lang: str, footer: str):
        self.prs = Presentation(str(template)) if template else Presentation()
        if not template:
            self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.lang = lang
        self.footer = footer
        self.info = DeckInfo()
        self._footers: list = []  # each slide's footer, read last (see `save`)

    def _layout(self, names: tuple[str, ...], index: int):
        for layout in self.prs.slide_layouts:
            if layout.name in names:
                return layout
        # an organisation's template names its layouts its own way: one with a title placeholder, so that every
        # slide's title is a real title (what a screen reader and the outline read), and the fewest other placeholders
        layouts = list(self.prs.slide_layouts)
        titled = [x for x in layouts if any(p.placeholder_format.type in TITLES for p in x.placeholders)]
        fallback = layouts[min(index, len(layouts) - 1)]
        return fallback if fallback in titled or not titled else min(titled, key=lambda x: len(x.placeholders))

    def slide(self, title: str, subtitle: str | None = None):
        slide = self.prs.slides.add_slide(self._layout(("Title Only", "Titre seul"), 5))
        if slide.shapes.title is not None:
            slide.shapes.title.text = title
            frame = slide.shapes.title.text_frame
            for p in frame.paragraphs:
                for r in p.runs:
                    r.font.size, r.font.bold, r.font.color.rgb = Pt(self.title_size(title)), True, INK
            slide.shapes.title.left, slide.shapes.title.top = MARGIN, TITLE_TOP
            slide.shapes.title.width, slide.shapes.title.height = self.width - 2 * MARGIN, TITLE_HEIGHT
            frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        if subtitle:
            size = self.subtitle_size(subtitle)
            self.text(slide, subtitle, MARGIN, SUBTITLE_TOP, self.width - 2 * MARGIN, SUBTITLE_HEIGHT, size=size, colour=GREY)
        footer = self.text(
            slide, self.footer, MARGIN, self.height - Inches(0.45), self.width - 2 * MARGIN, Inches(0.3), size=11, colour=GREY
        )
        self._footers.append(footer._element)
        self.info.titles.append(title)
        return slide

    def rows(self, text: str, size: float) -> int:
        """The rows `text` takes across the slide's body at `size` points, by the deck's measure (BULLET_CHAR_EM)."""
        per_row = max(20, int((self.width - 2 * MARGIN) / Pt(size * BULLET_CHAR_EM)))
        return -(-len(text) // per_row)

    def title_size(self, title: str) -> int:
        """The title's size in points: TITLE_PT, or smaller when that would wrap it, down to TITLE_MIN_PT (a title on
        two lines ran into the subtitle below it)."""
        size = TITLE_PT
        while size > TITLE_MIN_PT and self.rows(title, size) > 1:
            size -= 1
        return size

    def subtitle_size(self, subtitle: str) -> int:
        """The subtitle's size in points: the largest from SUBTITLE_PT down to SUBTITLE_MIN_PT at which its rows hold
        between the title and the body (a subtitle on two lines at 14 pt ran over the table or chart below)."""
        for size in range(SUBTITLE_PT, SUBTITLE_MIN_PT, -1):
            if self.rows(subtitle, size) * Pt(size * 1.2) + TEXT_INSETS <= SUBTITLE_HEIGHT:
                return size
        return SUBTITLE_MIN_PT

    def body_room(self, top, *, footnote: bool) -> Emu:
        """The height from `top` down to the slide's footnote (`footnote`) or else to its footer."""
        return Emu(self.height - top - (FOOTNOTE_ROOM if footnote else FOOTER_ROOM))

    @property
    def width(self) -> Emu:
        return self.prs.slide_width

    @property
    def height(self) -> Emu:
        return self.prs.slide_height

    def text(self, slide, text: str, left, top, width, height, *, size: int = 16, bold: bool = False, colour: RGBColor = INK):
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(text.split("\n")):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = p.add_run()
            run.text = line
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
        return box

    def bullet_pages(
        self, items: list[tuple[str, str | None]], top, *, size: int = 16, footnote: bool = False
    ) -> list[list[tuple[str, str | None]]]:
        """`items` cut into slides' worth of `bullets` at `size`: each line's wrapped rows estimated from its length
        (BULLET_CHAR_EM), a slide filled down to its footnote (`footnote`: the slide has one) or else its footer."""
        room = self.body_room(top, footnote=footnote)
        pages: list[list[tuple[str, str | None]]] = [[]]
        used = 0
        for item in items:
            cost = self.bullet_height(item[0], size)
            if pages[-1] and used + cost > room:
                pages.append([])
                used = 0
            pages[-1].append(item)
            used += cost
        return pages

    def bullet_height(self, line: str, size: float) -> Emu:
        """The height one bullet line takes at `size`, its dot and the space after it included."""
        return Emu(self.rows("● " + line, size) * Pt(size * 1.2) + Pt(BULLET_SPACE_PT))

    def bullets(self, slide, items: list[tuple[str, str | None]], top, *, size: int = 16, footnote: bool = False) -> None:
        """Lines with a coloured dot: (text, status colour), in a box down to the slide's footnote (`footnote`) or else
        its footer; `bullet_pages` cuts a list into what such a box holds."""
        box = slide.shapes.add_textbox(MARGIN, top, self.width - 2 * MARGIN, self.body_room(top, footnote=footnote))
        frame = box.text_frame
        frame.word_wrap = True
        for i, (line, status) in enumerate(items):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.space_after = Pt(BULLET_SPACE_PT)
            dot = p.add_run()
            dot.text = "● "
            dot.font.size, dot.font.color.rgb = Pt(size), _rgb(RAG.get(status, RAG[None]))
            run = p.add_run()
            run.text = line
            run.font.size, run.font.color.rgb = Pt(size), INK

    def paged_title(self, title: str, number: int, count: int) -> str:
        """A slide's title, with « (number/count) » when its content takes `count` slides."""
        return title if count == 1 else _(self.lang, "{title} ({number}/{count})", title=title, number=number, count=count)

    def bullet_slides(
        self,
        title: str,
        items: list[tuple[str, str | None]],
        top=BODY_TOP,
        *,
        size: int = 16,
        subtitle: str | None = None,
        footnote: bool = False,
    ) -> list:
        """`items` as bullets on as many slides as they need (`bullet_pages`), each titled « (n/m) » when they take
        more than one; the slides, for a footnote to come (`footnote`: room is left for it)."""
        pages = self.bullet_pages(items, top, size=size, footnote=footnote)
        shown = []
        for number, page in enumerate(pages, start=1):
            slide = self.slide(self.paged_title(title, number, len(pages)), subtitle)
            self.bullets(slide, page, top, size=size, footnote=footnote)
            shown.append(slide)
        return shown

    def table_slides(
        self,
        title: str,
        subtitle: str | None,
        spec: tables.TableSpec,
        rows: list[list[str]],
        *,
        lang: str,
        origin: Callable[[slice], provenance.Provenance],
        fills: Callable[[slice], dict[tuple[int, int], str]] | None = None,
        top=BODY_TOP,
        size: int = 13,
    ) -> None:
        """A declared table on as many slides as its rows need (`table_pages`), its header on each, each slide titled
        « (n/m) » when it takes more than one and footnoted with `origin(rows shown)`; `fills(rows shown)` colours
        cells by their place on that slide."""
        pages = self.table_pages(spec, rows, lang=lang, top=top, size=size)
        for number, page in enumerate(pages, start=1):
            slide = self.slide(self.paged_title(title, number, len(pages)), subtitle)
            self.table(slide, spec, rows[page], lang=lang, fills=fills(page) if fills else None, size=size, top=top)
            self.footnote(slide, origin(page))

    def footnote(self, slide, origin: provenance.Provenance) -> None:
        """Above the footer of a slide that shows figures: the mark when any of them is synthetic (their bars and
        points are lighter), and the slide's sources. The deck's appendix lists every source again."""
        lang = self.lang
        lines = []
        if origin.synthetic:
            lines.append(
                _(
                    lang,
                    "✱ demo / synthetic: part of the figures on this slide are generated for the demo "
                    "(light bars and points), not taken from a document.",
                )
            )
        shown = list(origin.sources[:3]) + (
            [_(lang, "and {value} more (appendix)", value=len(origin.sources) - 3)] if len(origin.sources) > 3 else []
        )
        lines.append(
            _(lang, "Sources: {sources}", sources=" ; ".join(shown) if shown else _(lang, "no document (generated values)"))
        )
        self.text(
            slide, "\n".join(lines), MARGIN, self.height - Inches(1.0), self.width - 2 * MARGIN, Inches(0.5), size=10, colour=GREY
        )
        self.info.origins[self.prs.slides.index(slide) + 1] = origin
        self.info.synthetic |= origin.synthetic
        self.info.sources |= set(origin.sources)

    def chart(
        self,
        slide,
        kind,
        categories: list,
        series: list[tuple[str, list, str]],
        *,
        title: str,
        unit: str,
        number_format: str,
        periods: list | None = None,
        top=BODY_TOP,
        left=None,
        width=None,
        height=None,
        legend: bool = True,
        synthetic: list[list[bool]] | None = None,
    ):
        """A native chart: series are (name, values, colour hex); values are exact numbers (None for a gap) in `unit`
        (as `formatting.value` reads it). `synthetic`, per series and point, draws generated values lighter.
        `title` and `periods` (the dates or years behind the categories of a chart over time) make its text
        alternative, as the pages' charts have theirs."""
        data = InertChartData(number_format=number_format)  # names in its workbook are inert text cells
        data.categories = categories
        for name, values, _colour in series:
            data.add_series(name, [None if v is None else float(v) for v in values])
        left = MARGIN if left is None else left
        width = (self.width - 2 * MARGIN) if width is None else width
        height = (self.height - top - FOOTNOTE_ROOM) if height is None else height
        frame = slide.shapes.add_chart(kind, left, top, width, height, data)
        _describe(frame, chart_alternative(title, categories, series, unit=unit, lang=self.lang, periods=periods))
        chart = frame.chart
        chart.font.size = Pt(14)
        chart.has_title = False
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # below negative values too
        chart.has_legend = legend and len(series) > 1
        if chart.has_legend:
            chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        axis = chart.value_axis
        axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = number_format, False
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
        for plot_series, (_name, _values, colour) in zip(chart.plots[0].series, series, strict=True):
            if kind in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS):
                plot_series.format.line.color.rgb = _rgb(colour)
                plot_series.format.line.width = Pt(3)
                plot_series.smooth = False
            else:
                plot_series.format.fill.solid()
                plot_series.format.fill.fore_color.rgb = _rgb(colour)
        for plot_series, flags, (_name, values, colour) in zip(chart.plots[0].series, synthetic or [], series, strict=False):
            drawn = [f for f, v in zip(flags, values, strict=False) if v is not None]
            if drawn and all(drawn) and kind in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS):
                plot_series.format.line.dash_style = MSO_LINE_DASH_STYLE.SQUARE_DOT  # wholly generated: dotted, full colour
            for i, flag in enumerate(flags):
                if not flag:
                    continue
                point = plot_series.points[i]
                if kind in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS):
                    point.marker.style, point.marker.size = XL_MARKER_STYLE.CIRCLE, 7
                    point.marker.format.fill.solid()
                    point.marker.format.fill.fore_color.rgb = _rgb(_lighter(colour))
                    point.marker.format.line.color.rgb = _rgb(colour)
                else:
                    point.format.fill.solid()
                    point.format.fill.fore_color.rgb = _rgb(_lighter(colour))
                    point.format.line.color.rgb = _rgb(colour)  # a pale fill in a dashed outline at full colour
                    point.format.line.width, point.format.line.dash_style = Pt(2), MSO_LINE_DASH_STYLE.DASH
        return chart

    def native(self, slide, kind, spec: chart_specs.ChartSpec, subject, *, number_format: str | None = None, **layout):
        """The native chart of a `ChartSpec` (`spec.native(subject, lang)`): its categories, series, names and colours
        as the spec gives them, generated points lighter, reference lines dashed; `number_format` defaults to the
        amounts' scale for money. `layout`: `chart`'s top, left, width, height, legend."""
        drawn = spec.native(subject, self.lang)
        if not len(drawn.categories):  # nothing known yet at the date (a chart needs one category at least)
            top = layout.get("top", BODY_TOP)
            self.text(
                slide, _(self.lang, "No figure to show for this period."), MARGIN, top, self.width - 2 * MARGIN, Inches(0.5)
            )
            return None
        self.info.drawn.append((self.prs.slides.index(slide) + 1, spec, subject))
        series = [(s.name, s.values, s.colour) for s in drawn.series]
        if number_format is None:
            number_format = euro_format(v for s in drawn.series for v in s.values) if drawn.unit == "EUR" else "#,##0"
        chart = self.chart(
            slide,
            kind,
            drawn.categories,
            series,
            title=drawn.title,
            unit=drawn.unit,
            number_format=number_format,
            periods=drawn.periods,
            synthetic=[s.synthetic for s in drawn.series],
            **layout,
        )
        for plot_series, s in zip(chart.plots[0].series, drawn.series, strict=True):
            if kind not in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS):
                continue
            if s.reference:
                plot_series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
                plot_series.format.line.width = Pt(2)
                plot_series.marker.style = XL_MARKER_STYLE.NONE
            elif s.dashed:  # a plan, dashed as on the page
                plot_series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        return chart

    def table(
        self,
        slide,
        spec: tables.TableSpec,
        rows: list[list[str]],
        *,
        lang: str,
        top=BODY_TOP,
        fills: dict[tuple[int, int], str] | None = None,
        size: int = 13,
    ) -> None:
        """A declared table (smartdash.present.tables): its headers, widths and alignment from the declaration, each row
        as high as its text needs (`table_pages` cuts a table into what a slide holds)."""
        spec.check(rows)
        header, widths = spec.headers(lang), spec.widths
        aligns = [{"right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}.get(a, PP_ALIGN.LEFT) for a in spec.alignments]
        heights = [self.table_row_height(spec, row, size) for row in [header, *rows]]  # each row as high as its text
        shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, top, self.width - 2 * MARGIN, sum(heights))
        table = shape.table
        for row, height in zip(table.rows, heights, strict=True):
            row.height = height
        total = sum(widths)
        for i, w in enumerate(widths):
            table.columns[i].width = int((self.width - 2 * MARGIN) * w / total)
        for c, text in enumerate(header):
            table.cell(0, c).text = text
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.text = text
                if fills and (r - 1, c) in fills:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(fills[(r - 1, c)])
                    cell.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        for r in range(len(rows) + 1):
            for c in range(len(header)):
                cell = table.cell(r, c)  # its margins as the row heights count them, whatever the viewer's default
                cell.margin_left = cell.margin_right = Emu(CELL_INSETS // 2)
                cell.margin_top = cell.margin_bottom = Emu(CELL_PADDING // 2)
                for p in cell.text_frame.paragraphs:
                    p.alignment = aligns[c]
                    for run in p.runs:
                        run.font.size = Pt(size)

    def table_row_height(self, spec: tables.TableSpec, row: list[str], size: float) -> Emu:
        """The height a row of `spec` takes at `size` points: its cell on the most lines, each cell's lines estimated
        from its length and its column's width by the deck's measure (BULLET_CHAR_EM)."""
        total = sum(spec.widths)
        lines = 1
        for text, share in zip(row, spec.widths, strict=True):
            per_line = max(1, int(((self.width - 2 * MARGIN) * share / total - CELL_INSETS) / Pt(size * BULLET_CHAR_EM)))
            lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n")))
        return Emu(lines * Pt(size * 1.2) + CELL_PADDING)

    def table_pages(
        self, spec: tables.TableSpec, rows: list[list[str]], *, lang: str, top=BODY_TOP, size: int = 13
    ) -> list[slice]:
        """`rows` cut into what a slide's table holds above the footnote, its header repeated on each: the fewest
        slides, in shares as equal as they allow (15 rows on two slides: 8 and 7, not 12 and 3)."""
        room = self.body_room(top, footnote=True) - self.table_row_height(spec, spec.headers(lang), size)
        heights = [self.table_row_height(spec, row, size) for row in rows]

        def fits(start: int, stop: int) -> bool:
            return sum(heights[start:stop]) <= room or stop - start == 1

        pages, start = [], 0
        while start < len(rows):
            stop = start + 1
            while stop < len(rows) and fits(start, stop + 1):
                stop += 1
            pages.append(slice(start, stop))
            start = stop
        share = -(-len(rows) // len(pages)) if pages else 0
        even = [slice(i, min(i + share, len(rows))) for i in range(0, len(rows), share)] if rows else []
        if len(even) == len(pages) and all(fits(page.start, page.stop) for page in even):
            pages = even
        return pages or [slice(0, 0)]

    def picture(self, slide, png: bytes, *, alt: str, top=BODY_TOP) -> None:
        """A picture with its text alternative (`alt`, what a screen reader says in its place)."""
        height = self.height - top - FOOTNOTE_ROOM
        _describe(slide.shapes.add_picture(io.BytesIO(png), MARGIN, top, height=height), alt)

    def save(self) -> bytes:
        """The deck, each slide's shapes in the order they are seen (the order a screen reader follows): its title
        first, its footer last."""
        for slide in self.prs.slides:
            title = slide.shapes.title
            if title is not None:
                next(slide.shapes._spTree.iter_shape_elms()).addprevious(title._element)
        for footer in self._footers:
            list(footer.getparent().iter_shape_elms())[-1].addnext(footer)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _describe(shape, text: str) -> None:
    """A shape's text alternative: its description (`descr` of its non-visual properties), which PowerPoint shows as
    its alt text and exports to a tagged PDF; python-pptx has no setter for it."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def chart_alternative(
    title: str, categories: list, series: list[tuple[str, list, str]], *, unit: str, lang: str, periods: list | None = None
) -> str:
    """A native chart's text alternative in the words the pages' charts use (`charts.describe`): its title, the period
    it covers and each series' value at its end — or, without `periods`, each category's values."""
    keys = periods if periods is not None else categories
    rows = [
        {"key": key if isinstance(key, int) else str(key), "series": name, "value_label": formatting.value(v, unit, lang=lang)}
        for name, values, _colour in series
        for key, v in zip(keys, values, strict=True)
        if v is not None
    ]
    over_time = "nominal" if periods is None else "ordinal" if all(isinstance(k, int) for k in periods) else "temporal"
    encoding = {"x": {"field": "key", "type": over_time}, "y": {"field": "value_label", "type": "quantitative"}}
    if len(series) > 1:
        encoding["color"] = {"field": "series", "type": "nominal"}
    return charts.describe({"title": title, "datasets": {"chart": rows}, "encoding": encoding}, lang)


def _money(v, lang):
    return formatting.money(v, lang=lang)


def _meeting_line(session, as_of: dt.date, lang: str) -> str:
    """The cover's meeting: the one whose notes the deck holds (its figures' date, else the last before), never a
    later one; "last meeting" when its figures are of another date than the deck's."""
    from smartdash import committee

    meeting_id = committee.meeting_for(session=session, as_of=as_of)
    if meeting_id is None:
        return _(lang, "Meeting of {value}", value="—")
    meeting = queries.meetings(session=session).set_index("id").loc[meeting_id]
    held_on = formatting.date_long(meeting["held_on"], lang=lang)
    if meeting["as_of"] == as_of:
        return _(lang, "Meeting of {value}", value=held_on)
    return _(
        lang,
        "Last meeting: {held_on} (its figures as of {meeting_as_of})",
        held_on=held_on,
        meeting_as_of=formatting.date_long(meeting["as_of"], lang=lang),
    )


def _meeting_notes(session, as_of: dt.date, lang: str) -> list[tuple[str, str | None]]:
    """The notes of the meeting these figures are for, then every open action (late ones in red)."""
    from smartdash import committee

    lines: list[tuple[str, str | None]] = []
    meeting_id = committee.meeting_for(session=session, as_of=as_of)
    if meeting_id is not None:
        for note in committee.notes(session=session, meeting_id=meeting_id).itertuples():
            about = " — ".join(x for x in (note.indicator, note.entity) if x)
            lines.append(((f"{about} : " if about else "") + note.text, None))
    for a in meetings_views.open_actions(session=session, as_of=as_of):  # as known at the figures' date
        lines.append((_(lang, "Action: {line}", line=meetings_text.action_line(a, lang)), "red" if a.overdue else "amber"))
    return lines


@dataclass
class DeckContext:
    """What the deck's sections share while it is built: the store's session, the filters, the deck, the plan
    version's label and the entities shown; `origins` keeps what each section's slides show (by section key),
    `finish` the steps that need every section first (the attention slides' footnotes)."""

    session: Session
    filters: Filters
    role: str  # the reader's role: what the deck may hold (client names need "see_clients")
    deck: Deck
    version: str
    entities: list[tuple[str, str]]
    notes: list[tuple[str, str | None]] | None = None
    origins: dict[str, provenance.Provenance] = field(default_factory=dict)
    tiles: list[overview_views.Tile] = field(default_factory=list)  # the key indicators, as the summary read them
    finish: list[Callable[[], None]] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def info(self) -> DeckInfo:
        return self.deck.info


def build_deck(
    engine: Engine,
    *,
    filters: Filters,
    role: str,
    template: Path | None = None,
    notes: list[tuple[str, str | None]] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[bytes, DeckInfo]:
    """The committee's deck at `filters.as_of`, in `filters.lang`, for one entity or all entities under the plan:
    a title slide, the agenda (one line per registered section that has one), then each section of
    `smartdash.export.sections.SECTIONS` that has a deck builder, in turn, built for `role` (a section holds what
    that role may read). `notes` (text, status colour) default to the notes of the meeting for these figures and the
    open actions. `progress(share, step)` is called as sections are built."""
    lang = filters.lang
    report = progress or (lambda _share, _step: None)
    with session_scope(engine) as s, views_memo.reused():  # views read once per build
        if not filters.plan_version:  # none chosen: the version in force at the figures' date
            filters = replace(filters, plan_version=queries.version_in_force(session=s, on=filters.as_of))
        meeting = _meeting_line(s, filters.as_of, lang)
        # the version figures are compared with, and whether it was adopted only after the as-of date
        version = versions_text.version_label(queries.plan_versions(session=s), filters.plan_version, filters.as_of, lang)
        footer = _(
            lang,
            "smartdash · figures as of {as_of} · plan: {version} · Confidential — committee only",
            as_of=formatting.date_long(filters.as_of, lang=lang),
            version=version,
        )
        deck = Deck(template, lang, footer)
        entities = overview_views.tile_entities(session=s, entity=filters.entity)
        ctx = DeckContext(session=s, filters=filters, role=role, deck=deck, version=version, entities=entities, notes=notes)

        report(0.05, _(lang, "Title"))
        slide = deck.slide(_(lang, "Continuation plan committee"))
        deck.text(
            slide,
            _(
                lang,
                "{meeting}\n"
                "Figures as of {as_of} · plan version {version}\n"
                "Entities: {value2}\n\nConfidential — committee members only",
                meeting=meeting,
                as_of=formatting.date_long(filters.as_of, lang=lang),
                version=version,
                value2=", ".join(n for _c, n in entities),
            ),
            MARGIN,
            Inches(2.2),
            deck.width - 2 * MARGIN,
            Inches(3),
            size=22,
        )
        agenda_slide = deck.slide(_(lang, "Agenda"))

        # the agenda lists the sections that gave this deck a slide (a section without a line of its own counts
        # for the line before it): a deck for one entity has no line for a section it has nothing to show in
        agenda: list[str] = []
        line: str | None = None
        shown = [section for section in board_sections.SECTIONS if section.deck is not None]
        for i, section in enumerate(shown):
            report(0.1 + 0.9 * i / len(shown), _(lang, section.step))
            if section.agenda:
                line = _(lang, section.agenda)
            before = len(deck.prs.slides)
            section.deck(ctx)
            deck.info.sections |= {n: section.key for n in range(before + 1, len(deck.prs.slides) + 1)}
            if len(deck.prs.slides) > before and line is not None and line not in agenda:
                agenda.append(line)
        deck.bullets(agenda_slide, [(f"{i}. {a}", None) for i, a in enumerate(agenda, start=1)], Inches(1.5), size=22)
        for step in ctx.finish:
            step()
    report(1.0, _(lang, "Done"))
    return deck.save(), deck.info


@board_sections.deck_builder("summary")
def _summary(ctx: DeckContext) -> None:
    """The key indicators' table, each against the plan for its own period, judged by the catalogue's thresholds."""
    s, filters, deck, lang = ctx.session, ctx.filters, ctx.deck, ctx.lang
    tiles = overview_views.overview_tiles(session=s, filters=filters)
    ctx.info.synthetic |= any(t.is_synthetic for t in tiles)
    ctx.info.sources |= set(sources_of([t.source for t in tiles]))
    subtitle = _(
        lang,
        "Gap to plan {version}, for each value's own period; {thresholds}",
        version=ctx.version,
        thresholds=overview_text.thresholds_phrase([t.rule for t in tiles], lang),
    )
    status_words = {"green": _(lang, "green"), "amber": _(lang, "amber"), "red": _(lang, "red"), None: _(lang, "no plan")}
    rows = [
        [
            overview_text.tile_label(t, lang),
            t.entity_name,
            formatting.value(t.value, t.unit, lang=lang, compact=True) + (" ✱" if t.is_synthetic else ""),
            formatting.value(t.plan_value, t.unit, lang=lang, compact=True) if t.plan_value is not None else "—",
            overview_text.plan_gap(t, lang),
            overview_text.period_text(t, lang, short=True),
            f"{status_words[t.status]} {t.trend}",
        ]
        for t in tiles
    ]
    status = tables.SUMMARY.keys.index("status")
    deck.table_slides(  # every key figure, on as many slides as they need
        _(lang, "Key indicators"),
        subtitle,
        tables.SUMMARY,
        rows,
        lang=lang,
        origin=lambda page: _tiles_origin(tiles[page]),
        fills=lambda page: {(i, status): RAG[t.status] for i, t in enumerate(tiles[page])},
        top=Inches(1.55),
        size=12,
    )
    ctx.origins["summary"] = _tiles_origin(tiles)
    ctx.tiles = tiles


def _tiles_origin(tiles: list[overview_views.Tile]) -> provenance.Provenance:
    """Where the key figures of `tiles` come from, and whether any is synthetic."""
    return sum((provenance.Provenance.of([t.is_synthetic], [t.source]) for t in tiles), provenance.Provenance())


@board_sections.deck_builder("attention")
def _attention(ctx: DeckContext) -> None:
    """The exceptions only; its footnote, once every section is built, cites what its items are drawn from."""
    lang = ctx.lang
    attention = rules_views.attention_items(session=ctx.session, filters=ctx.filters, tiles=ctx.tiles)
    items = [(overview_text.attention_text(a, lang), a.severity) for a in attention] or [(_(lang, "Nothing to report."), "green")]
    drawn_from = ("summary", "funding", "execution")
    subtitle = _(lang, "Exceptions only")
    for slide in ctx.deck.bullet_slides(  # every item, on as many slides as they need
        _(lang, "What needs attention"), items, Inches(1.6), size=15, subtitle=subtitle, footnote=True
    ):
        ctx.finish.append(
            lambda slide=slide: ctx.deck.footnote(
                slide, sum((ctx.origins[k] for k in drawn_from if k in ctx.origins), provenance.Provenance())
            )
        )


@board_sections.deck_builder("since_meeting")
def _since_meeting(ctx: DeckContext) -> None:
    """Per entity and key indicator, then and now with the change; then what turned, the watch list's new and worse
    items, the files loaded since and the meeting's decisions with their state."""
    lang, deck = ctx.lang, ctx.deck
    view = meetings_views.since_meeting(session=ctx.session, filters=ctx.filters)
    heading, said = meetings_text.heading(view, lang), meetings_text.origin_text(view, lang)
    if view.meeting is None:
        deck.slide(heading, said)
        return
    rows = meetings_text.moved(view)
    left_out = len(view.changes) - len(rows)
    deck.table_slides(
        heading,
        said,
        tables.SINCE_MEETING,
        meetings_text.changes_table(view, lang, changes=rows).values.tolist(),
        lang=lang,
        origin=lambda page: sum(
            (provenance.Provenance.of([c.is_synthetic], [c.source]) for c in rows[page]), provenance.Provenance()
        ),
        top=Inches(1.55),
        size=12,
    )
    items: list[tuple[str, str | None]] = [(meetings_text.summary_text(view, lang), None)]
    if left_out:
        items.append((_(lang, "Key indicators without a new figure since the meeting: {count}.", count=left_out), None))
    items += [(meetings_text.watch_text(w, lang), w.item.severity) for w in view.watch]
    items += [
        (
            _(
                lang,
                "{label} — {entity_name}: now {status}",
                label=c.labels.render(lang),
                entity_name=c.entity_name,
                status=meetings_text.status_text(c.now_status, lang),
            ),
            c.now_status,
        )
        for c in view.turned
    ]
    items += [(_(lang, "File loaded: {file} ({by})", file=load.file_name, by=load.loaded_by), None) for load in view.loads]
    items += [
        (_(lang, "Decision: {line}", line=meetings_text.action_line(a, lang)), "red" if a.overdue else None)
        for a in view.decisions
    ] or [(_(lang, "No decision recorded at this meeting."), None)]
    deck.bullet_slides(_(lang, "Since the meeting: watch list, loads and decisions"), items, size=14)


@board_sections.deck_builder("equity")
def _equity(ctx: DeckContext) -> None:
    """Each entity's equity against the plan, then the first entity's bridge of its latest year."""
    s, filters, deck, lang = ctx.session, ctx.filters, ctx.deck, ctx.lang
    for code, name in ctx.entities:
        view = equity_views.equity_view(session=s, filters=filters, entity=code, entity_name=name)
        if view.trajectory.empty:
            continue
        ctx.info.synthetic |= view.is_synthetic
        ctx.info.sources |= set(view.sources)
        subtitle = (
            _(
                lang,
                "Actual against plan; break-even target (as stated): {break_even_label}; equity positive "
                "on the plan's path: {plan_positive_label}",
                break_even_label=equity_text.break_even_label(view, lang),
                plan_positive_label=equity_text.plan_positive_label(view, lang),
            )
            if view.has_plan
            else _(lang, "Actual; the plan gives no path for this entity")
        )
        title = _(lang, "Equity — {name} (€)", name=name)
        slide = deck.slide(title, subtitle)
        # the page's and the dossier's chart, natively: its series, reference lines and title from one declaration
        chart = deck.native(slide, XL_CHART_TYPE.LINE_MARKERS, chart_specs.EQUITY_TRAJECTORY, view)
        if chart is not None:
            chart.has_title = True
            chart.chart_title.text_frame.text = chart_specs.EQUITY_TRAJECTORY.options(view, lang)["title"]
        deck.footnote(slide, provenance.Provenance.of_frame(view.trajectory))
    code, name = ctx.entities[0] if ctx.entities else (None, None)
    if not code:
        return
    view = equity_views.equity_view(session=s, filters=filters, entity=code, entity_name=name)
    if not view.bridge_years:
        return
    year = view.bridge_years[-1]
    bridge = view.bridge(year)
    shown = chart_specs.BridgeShown(view, year, name)
    # the slide's title is the chart's: the picture repeats none
    waterfall = chart_specs.EQUITY_BRIDGE.chart(shown, lang, title="").properties(width=1100, height=420)
    png = chart_png(waterfall, lang=lang)
    ctx.info.drawn.append((len(deck.prs.slides) + 1, chart_specs.EQUITY_BRIDGE, shown))  # the slide added next
    title = chart_specs.EQUITY_BRIDGE.options(shown, lang)["title"]
    control = (
        _(lang, 'Control (booked − computed): {money} — shown as "unexplained"', money=_money(bridge.control, lang))
        if bridge.control
        else _(lang, "Control (booked − computed): {money}", money=_money(bridge.control, lang))
    )
    slide = deck.slide(title, control)
    alt = charts.describe({**waterfall.to_dict(validate=False), "title": title}, lang)  # the slide's title is the picture's
    deck.picture(slide, png, alt=alt, top=Inches(1.6))
    deck.footnote(slide, view.actual_origin)


@board_sections.deck_builder("funding")
def _funding(ctx: DeckContext) -> None:
    """1+1 coverage to date, achieved and planned to the same date, against the rule."""
    deck, lang = ctx.deck, ctx.lang
    definition = OnePlusOneDefinition()
    fview = funding_views.funding_view(session=ctx.session, filters=ctx.filters, definition=definition)
    if fview.lines.empty:
        return
    ctx.info.synthetic |= funding_views.lines_origin(fview).synthetic
    ctx.info.sources |= set(sources_of(fview.lines["source"]))
    names = fview.names | {"__total__": funding_text.total_name(fview, lang)}
    title = _(lang, "1+1 rule: coverage to date")
    slide = deck.slide(
        title,
        _(lang, "{definition} Plan version: {plan_version}.", definition=definition.describe(lang), plan_version=ctx.version),
    )
    # the page's and the dossier's chart, natively: its series, the rule and its title from one declaration
    chart = deck.native(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        chart_specs.COVERAGE,
        fview,
        number_format="0.00",
        top=Inches(1.8),
        height=deck.height - Inches(4.8),
    )
    if chart is not None:
        chart.has_title = True
        chart.chart_title.text_frame.text = chart_specs.COVERAGE.options(fview, lang)["title"]
    # which judgement each coverage is held to, its verdict in words and the gap in euros
    deck.text(
        slide,
        "\n".join(f"{names[j.entity]} · {funding_text.judgement_sentence(j, fview, lang)}" for j in fview.judgements),
        MARGIN,
        deck.height - Inches(2.95),
        deck.width - 2 * MARGIN,
        Inches(0.9),
        size=11,
    )
    deck.text(
        slide,
        funding_text.coverage_caption(fview, lang),
        MARGIN,
        deck.height - Inches(2.05),
        deck.width - 2 * MARGIN,
        Inches(0.9),
        size=11,
        colour=GREY,
    )
    ctx.origins["funding"] = funding_views.lines_origin(fview)
    deck.footnote(slide, ctx.origins["funding"])


@board_sections.deck_builder("execution")
def _execution(ctx: DeckContext) -> None:
    """The plan's instalments due and paid by year, every entity added up (the page's and the dossier's chart of each
    entity, declared once); late ones named."""
    deck, lang = ctx.deck, ctx.lang
    views, late_lines = [], []
    origin = provenance.Provenance()
    for code, name in ctx.entities:
        xview = execution_views.execution_view(
            session=ctx.session, filters=ctx.filters, entity=code, entity_name=name, plan_adopted_on=None
        )
        views.append(xview)
        ctx.info.synthetic |= xview.is_synthetic
        ctx.info.sources |= set(xview.sources)
        origin += xview.origins["schedule"]
        late_lines += [
            _(lang, "{name} → {creditor}: {days_late} d", name=name, creditor=r.creditor, days_late=r.days_late)
            for r in xview.late.itertuples()
        ]
    ctx.origins["execution"] = origin
    together = chart_specs.InstalmentsShown.together(views)
    if together.by_year.empty:
        return
    slide = deck.slide(
        _(lang, "Plan execution"),
        _(lang, "A missed or late instalment is red whatever else is green. Late: {late}", late=" ; ".join(late_lines))
        if late_lines
        else _(lang, "A missed or late instalment is red whatever else is green. Nothing late."),
    )
    # the page's chart, natively, of every entity together: its title, series and values from one declaration
    chart = deck.native(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, chart_specs.EXECUTION_INSTALMENTS, together, top=Inches(1.8))
    if chart is not None:
        chart.has_title = True
        chart.chart_title.text_frame.text = chart_specs.EXECUTION_INSTALMENTS.options(together, lang)["title"]
    deck.footnote(slide, origin)


@board_sections.deck_builder("headcount")
def _headcount(ctx: DeckContext) -> None:
    """Members and staff, headcount and FTE over time, side by side, as the page draws them."""
    deck, lang = ctx.deck, ctx.lang
    hview = people_views.headcount_view(session=ctx.session, filters=ctx.filters, entities=[c for c, _n in ctx.entities])
    if hview.series.empty:
        return
    ctx.info.synthetic |= hview.is_synthetic
    slide = deck.slide(
        board_sections.section_title("headcount", lang),
        _(lang, "Entities: {names}", names=", ".join(n for _c, n in ctx.entities)),
    )
    half = (deck.width - 2 * MARGIN) // 2
    for i, population in enumerate(("members", "staff")):
        # the page's and the dossier's chart, natively: headcount and FTE, their names and title from one declaration
        subject = chart_specs.HeadcountShown(hview, population)
        chart = deck.native(
            slide,
            XL_CHART_TYPE.LINE_MARKERS,
            chart_specs.HEADCOUNT,
            subject,
            number_format="#,##0",
            left=MARGIN + i * half,
            width=half - Inches(0.2),
        )
        if chart is not None:
            chart.has_title = True
            chart.chart_title.text_frame.text = chart_specs.HEADCOUNT.options(subject, lang)["title"]
    deck.footnote(slide, provenance.Provenance.of_frame(hview.series))


@board_sections.deck_builder("membership")
def _membership(ctx: DeckContext) -> None:
    """Members per adviser, office by office, at the membership figures' own date."""
    deck, lang, filters = ctx.deck, ctx.lang, ctx.filters
    mview = people_views.membership_view(
        session=ctx.session, filters=Filters(None, filters.as_of, filters.compare, filters.plan_version, lang)
    )
    if mview.offices.empty:
        return
    ctx.info.synthetic |= mview.is_synthetic
    ctx.info.sources |= set(mview.sources)
    # the page's and the dossier's chart, natively: its rows, title, legend and median from the same declaration
    spec = chart_specs.MEMBERS_PER_ADVISER
    title = spec.options(mview, lang)["title"]
    slide = deck.slide(
        title,
        _(
            lang,
            "As of {period_end}; median {median_per_adviser}",
            period_end=formatting.date_long(mview.period_end, lang=lang),
            median_per_adviser=formatting.number(mview.median_per_adviser, lang=lang),
        ),
    )
    chart = deck.native(slide, XL_CHART_TYPE.BAR_CLUSTERED, spec, mview, number_format="#,##0")
    if chart is not None:
        chart.plots[0].overlap = 100  # one bar per office, coloured by its series as the page colours it
    deck.footnote(slide, mview.offices_origin)
    change = people_views.offices_change(
        session=ctx.session, filters=Filters(None, filters.as_of, filters.compare, filters.plan_version, lang)
    )
    if change.then is not None:
        rows = tables.OFFICES_CHANGE.rows(people_text.offices_change_table(change, lang), lang)
        title, said = people_text.offices_change_title(change, lang), people_text.offices_losing_text(change, lang)
        deck.table_slides(title, said, tables.OFFICES_CHANGE, rows, lang=lang, origin=lambda _page: change.origin, size=10)
        ctx.info.sources |= set(change.origin.sources)
    _annual_figures(ctx)


def _annual_figures(ctx: DeckContext) -> None:
    """The annual report's other figures (income statement, cash and debts, activity), read nowhere else."""
    deck, lang = ctx.deck, ctx.lang
    for figures in annual_views.annual_figures(session=ctx.session, as_of=ctx.filters.as_of, entity=ctx.filters.entity):
        # the origins go to the footnote (a column of them would wrap every row past the slide); a generated
        # figure keeps its mark on its row, as in the summary table
        frame = annual_text.annual_table(figures, lang).drop(columns=provenance.origin_header(lang))
        rows = [
            [row[0] + (" ✱" if synthetic else ""), *row[1:]]
            for row, synthetic in zip(frame.values.tolist(), figures.figures["is_synthetic"], strict=True)
        ]
        ctx.info.synthetic |= figures.origin.synthetic
        ctx.info.sources |= set(figures.origin.sources)
        deck.table_slides(
            annual_text.annual_title(figures, lang),
            None,
            tables.ANNUAL_FIGURES_SLIDE,
            rows,
            lang=lang,
            origin=lambda _page, figures=figures: figures.origin,
            size=10,
        )


@board_sections.deck_builder("receivables")
def _receivables(ctx: DeckContext) -> None:
    """Per entity with a snapshot: the open amount by age and the DSO trend against the entity's legal terms."""
    for code in queries.receivable_entities(session=ctx.session):
        if not ctx.filters.entity or code == ctx.filters.entity:
            _receivables_slide(ctx, code)


def _receivables_slide(ctx: DeckContext, code: str) -> None:
    s, deck, lang = ctx.session, ctx.deck, ctx.lang
    rview = receivables_views.receivables_view(session=s, entity=code, as_of=ctx.filters.as_of)
    if rview.as_of is None:
        return
    entity_name = queries.entities(session=s).set_index("code").loc[code, "name"]
    past_due = formatting.percent(rview.overdue_ratio * 100, lang=lang) if rview.overdue_ratio is not None else "—"
    slide = deck.slide(
        _(lang, "Receivables by age and DSO — {entity_name}", entity_name=entity_name),
        _(
            lang,
            "Snapshot of {as_of} · open {money_compact} incl. VAT · past due {past_due} · over 90 days {over_90} ({share}) · "
            "DSO {dso_days} ({changes})",
            as_of=formatting.date_long(rview.as_of, lang=lang),
            money_compact=formatting.money_compact(rview.total, lang=lang),
            past_due=past_due,
            over_90=formatting.money_compact(rview.over_90, lang=lang),
            share=formatting.percent(rview.share_over_90 * 100, lang=lang) if rview.share_over_90 is not None else "—",
            dso_days=formatting.value(rview.dso_days, "days", lang=lang),
            changes=receivables_text.dso_changes(rview, lang),
        ),
    )
    half = (deck.width - 2 * MARGIN) // 2
    height = deck.height - Inches(1.6) - Inches(1.5)
    # the page's and the dossier's chart, natively
    chart = deck.native(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        chart_specs.AGEING,
        rview,
        legend=False,
        top=Inches(1.6),
        width=half - Inches(0.2),
        height=height,
    )
    if chart is not None:
        chart.has_title = True
        chart.chart_title.text_frame.text = chart_specs.AGEING.options(rview, lang)["title"]
    origin = rview.origin + rview.dso_origin + provenance.Provenance.of_frame(rview.references)
    if not rview.dso_trend.empty:
        # the page's chart, natively: the DSO, the legal terms and their names from one declaration
        chart = deck.native(
            slide,
            XL_CHART_TYPE.LINE_MARKERS,
            chart_specs.DSO,
            rview,
            number_format="0",
            top=Inches(1.6),
            left=MARGIN + half,
            width=half - Inches(0.2),
            height=height,
        )
        chart.has_legend = False  # the legal lines are named in the sentence under the charts
        dates = chart.category_axis.tick_labels
        dates.number_format, dates.number_format_is_linked = "mm/yyyy", False
        if chart is not None:
            chart.has_title = True
            chart.chart_title.text_frame.text = chart_specs.DSO.options(rview, lang)["title"]
    terms = " ; ".join(bilingual(lang, t.label_fr, t.label_en) for t in rview.rule.terms)
    deck.text(
        slide,
        _(lang, "Dashed: {terms}. {rule}", terms=terms, rule=bilingual(lang, rview.rule.text_fr, rview.rule.text_en))
        if terms
        else bilingual(lang, rview.rule.text_fr, rview.rule.text_en),
        MARGIN,
        deck.height - Inches(1.45),
        deck.width - 2 * MARGIN,
        Inches(0.4),
        size=11,
        colour=GREY,
    )
    deck.footnote(slide, origin)


@board_sections.deck_builder("notes")
def _notes(ctx: DeckContext) -> None:
    """The committee's notes and open actions for the meeting these figures are for."""
    notes = ctx.notes if ctx.notes is not None else _meeting_notes(ctx.session, ctx.filters.as_of, ctx.lang)
    if notes:
        ctx.deck.bullet_slides(_(ctx.lang, "Committee notes and decisions"), notes, size=15)


@board_sections.deck_builder("sources")
def _sources(ctx: DeckContext) -> None:
    """Every source the deck's figures cite, the plan versions, and whether part of them is synthetic."""
    lang = ctx.lang
    versions = versions_views.ordered_versions(session=ctx.session)
    as_of, chosen = ctx.filters.as_of, ctx.filters.plan_version
    # the versions adopted by the figures' date; a later one only when chosen, and then said to be later
    known = [c for c in versions["code"] if c == chosen or not adopted_after(versions, c, as_of)]
    lines = [(src, None) for src in sorted(ctx.info.sources)]  # every source a slide cites, none left out
    lines += [
        (
            _(
                lang,
                "Plan versions: {code}",
                code=", ".join(versions_text.version_label(versions, c, as_of, lang) for c in known),
            ),
            None,
        )
    ]
    if ctx.info.synthetic:
        lines.insert(
            0,
            (
                _(
                    lang,
                    "Demo data: part of the figures are synthetic (generated); the others come from the "
                    "November 2021 plan and SmartCoop's 2023 annual report.",
                ),
                "amber",
            ),
        )
    ctx.deck.bullet_slides(_(lang, "Appendix: sources of the figures"), lines, size=13)
