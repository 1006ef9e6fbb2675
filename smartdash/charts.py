"""Altair chart builders and the one registered theme.

Every builder is `fn(frame, …) -> alt.Chart`; none styles its chart (the theme does) and none calls
`.configure_*`, so any chart can be layered. Plan and threshold lines are data-less layers. Values are
exact Decimals in the store; they become floats here only to be drawn, and every tooltip shows the
exact figure formatted by smartdash.formatting.

The theme carries the number and date locale of the reader's language, set per script run with
`use_language()` (each Streamlit session runs in its own thread).
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import altair as alt
import pandas as pd

from smartdash import formatting, provenance
from smartdash.i18n import N_, _, ngettext

# Every colour a mark is drawn in keeps 3:1 against the white of the chart (WCAG 1.4.11), so a line, a point or a bar
# is seen by a reader with low vision too. The series' palette is colour-blind safe in the spirit of Okabe–Ito and Paul
# Tol's "muted" (Okabe–Ito's orange and sky blue fell to 2,3:1): simulated for protanopia, deuteranopia and
# tritanopia, any two of its colours stay at least 10 CIELAB units apart. A series is also named by its legend and
# tooltip, never by its colour alone; red/amber/green are for status only, and a status is always said in words.
PALETTE = ["#0072B2", "#C35600", "#00876A", "#882255", "#666633", "#CC6677", "#4B0092", "#000000"]
STATUS_COLOURS = {"green": "#1B7F3B", "amber": "#A16207", "red": "#C62828", None: "#6B7280"}
PLAN_COLOUR = "#555555"
# a sequential scale for ageing buckets: later is darker (not a status colour); the lightest keeps 3:1 too
AGEING_COLOURS = ["#C47000", "#B05300", "#8F3E00", "#6E2C04", "#4E1D06"]
BACKGROUND = "#FFFFFF"
FONT = '"Source Sans 3", "Source Sans Pro", sans-serif'

_FR_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"]},
    "time": {
        "dateTime": "%A %e %B %Y à %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    },
}
_EN_LOCALE = {
    "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
    "time": {
        "dateTime": "%a %b %e %X %Y",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    },
}

_local = threading.local()


def use_language(lang: str) -> None:
    """Number and date locale of the charts built and shown from now on in this thread."""
    _local.lang = lang


def current_language() -> str:
    return getattr(_local, "lang", "fr")


def theme_config() -> dict:
    """The smartdash theme: fonts readable on a projector at 3 m (labels 14 px, titles 19 px, plots 380 px high),
    light grid, the palette, the reader's locale."""
    return {
        "config": {
            "locale": _EN_LOCALE if current_language() == "en" else _FR_LOCALE,
            "font": FONT,
            "background": BACKGROUND,
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 380},
            "title": {"fontSize": 19, "fontWeight": 600, "anchor": "start", "color": "#1F2937", "offset": 12},
            "axis": {
                "labelFontSize": 14,
                "titleFontSize": 14,
                "titleFontWeight": 500,
                "labelColor": "#374151",
                "titleColor": "#374151",
                "gridColor": "#E5E7EB",
                "domainColor": "#9CA3AF",
                "tickColor": "#9CA3AF",
            },
            "legend": {"labelFontSize": 14, "titleFontSize": 14, "orient": "bottom", "symbolStrokeWidth": 3, "labelLimit": 0},
            "range": {"category": PALETTE},
            # one text alternative per chart (its `description`, read by screen readers as the SVG's name): marks are
            # not announced one by one, and an empty mark group is no unnamed image to a screen reader
            "mark": {"color": PALETTE[0], "aria": False},
            "line": {"strokeWidth": 3, "color": PALETTE[0]},
            "point": {"size": 60, "filled": True},
            "bar": {"color": PALETTE[0]},  # square ends: a rounded bar is drawn clipped in a group, its outline undashed
            "area": {"color": PALETTE[0]},
            "text": {"fontSize": 14},
        }
    }


@alt.theme.register("smartdash", enable=True)
def _smartdash_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(theme_config())


EURO_LABELS = (
    "abs(datum.value) >= 1e6 ? format(datum.value / 1e6, ',.1~f') + ' M€' : "
    "abs(datum.value) >= 1e3 ? format(datum.value / 1e3, ',.0f') + ' k€' : format(datum.value, ',.0f') + ' €'"
)


def value_axis(unit: str, title: str | None = None) -> alt.Axis:
    """An axis labelled in the unit: `1,5 M€`, `12,4 %`, `2 297`."""
    if unit == "EUR":
        return alt.Axis(title=title, labelExpr=EURO_LABELS)
    if unit == "percent":
        return alt.Axis(title=title, labelExpr="format(datum.value, ',.1~f') + ' %'")
    if unit == "ratio":
        return alt.Axis(title=title, format=",.2f")
    return alt.Axis(title=title, format=",.0f")


# A synthetic mark is told by its shape, never by a fainter colour (a pale mark fell below 3:1): a hollow point, or a
# bar or an area with a pale fill inside a dashed outline drawn at full colour; the legend « démo / synthétique » says so.
SYNTHETIC_OPACITY = 0.25  # the fill of a synthetic bar or area (its outline keeps the full colour)
SYNTHETIC_DASH = [4, 2]  # the outline of a synthetic bar or area
OUTLINE_WIDTH = 2
ORIGIN_LEGEND_COLOUR = "#4B5563"
ORIGIN_LEGEND_FILL = "#D1D5DB"
# a filled ring (its hole wound the other way): a hollow point whose ring is drawn in the series' own full colour
RING = "M -1 0 A 1 1 0 1 0 1 0 A 1 1 0 1 0 -1 0 Z M -0.5 0 A 0.5 0.5 0 1 1 0.5 0 A 0.5 0.5 0 1 1 -0.5 0 Z"


def plot_frame(frame: pd.DataFrame, value: str, unit: str, lang: str) -> pd.DataFrame:
    """A copy ready to draw: `value` as float (drawing only) and `value_label`, the exact value formatted. A frame
    that says where its rows come from (`is_synthetic`, optionally `source`) gets `origin` (the legend's words:
    sourcé / démo / synthétique) and `origin_text` (the tooltip's: the source, or the mark)."""
    out = frame.copy()
    out["value_label"] = [formatting.value(v, unit, lang=lang) for v in out[value]]
    out[value] = [float(v) if v is not None and not pd.isna(v) else None for v in out[value]]
    return origin_fields(out, lang)


def origin_fields(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`data` with `origin` and `origin_text` from its `is_synthetic` and `source` columns, if it has them."""
    if "is_synthetic" not in data:
        return data
    flags = [bool(f) if f is not None and not pd.isna(f) else False for f in data["is_synthetic"]]
    sources = list(data["source"]) if "source" in data else [None] * len(data)
    data = data.drop(columns=["source"], errors="ignore").assign(is_synthetic=flags)
    data["origin"] = [provenance.mark(lang) if f else provenance.sourced(lang) for f in flags]
    data["origin_text"] = provenance.origin_column(flags, sources, lang)
    return data


def _has_synthetic(data: pd.DataFrame) -> bool:
    return "is_synthetic" in data and bool(data["is_synthetic"].any())


def _origin_scale(lang: str, synthetic, sourced=1.0) -> alt.Scale:
    return alt.Scale(domain=[provenance.sourced(lang), provenance.mark(lang)], range=[sourced, synthetic])


def _origin_legend(lang: str, **symbol) -> alt.Legend:
    return alt.Legend(title=provenance.origin_header(lang), orient="top", **symbol)


def _stroke_like(colour: alt.Color | None) -> alt.Stroke | alt.StrokeValue:
    """The outline in the mark's own colour: the same field, scale and legend as its fill, or the theme's colour.
    Vega-Lite merges the two channels' legends into one; a stroke without a legend took the series' legend (what
    each colour means) off the chart in the browser, though not in the PNG."""
    if colour is None:
        return alt.StrokeValue(PALETTE[0])
    return alt.Stroke(**colour.to_dict())


def origin_outline(data: pd.DataFrame, lang: str, field: str = "origin", colour: alt.Color | None = None) -> dict:
    """The encodings that draw a synthetic bar or area as a pale fill inside a dashed outline at full colour (`colour`:
    the mark's colour encoding, if any), with a legend « Origine : sourcé / démo / synthétique » showing the two
    outlines; nothing when every mark of the chart is sourced."""
    if not _has_synthetic(data):
        return {}
    legend = _origin_legend(
        lang,
        symbolType="square",
        symbolFillColor=ORIGIN_LEGEND_FILL,
        symbolStrokeColor=ORIGIN_LEGEND_COLOUR,
        symbolStrokeWidth=OUTLINE_WIDTH,
    )
    return {
        # Vega-Lite draws no legend for a fill's opacity: the outline's dash is what the legend shows
        "fillOpacity": alt.FillOpacity(f"{field}:N", scale=_origin_scale(lang, SYNTHETIC_OPACITY), legend=None),
        "strokeDash": alt.StrokeDash(f"{field}:N", scale=_origin_scale(lang, SYNTHETIC_DASH, [1, 0]), legend=legend),
        "stroke": _stroke_like(colour),
        "strokeWidth": alt.StrokeWidthValue(OUTLINE_WIDTH),
    }


def origin_hollow(data: pd.DataFrame, lang: str) -> dict:
    """The encoding that draws a synthetic point as a ring (hollow, in its full colour) and a sourced one as a disc,
    with the legend « Origine » showing both; nothing when every point is sourced."""
    if not _has_synthetic(data):
        return {}
    legend = _origin_legend(lang, symbolFillColor=ORIGIN_LEGEND_COLOUR, symbolStrokeWidth=0)
    return {"shape": alt.Shape("origin:N", scale=_origin_scale(lang, RING, "circle"), legend=legend)}


TIP_TITLES = {
    "series": N_("Series"),
    "period_end": N_("Date"),
    "as_of": N_("Date"),
    "value_label": N_("Value"),
    "year": N_("Year"),
    "month": N_("Month"),
    "step": N_("Step"),
    "bucket": N_("Age"),
    "band": N_("Age band"),
    "office": N_("Office"),
    "office_name": N_("Office"),
    "entity": N_("Entity"),
    "region": N_("Region"),
}


def tip(field: str, kind: str, lang: str, *, title: str | None = None, **options) -> alt.Tooltip:
    """A tooltip line titled in the reader's language (an untitled one shows its field's name, `value_label`)."""
    return alt.Tooltip(f"{field}:{kind}", title=title or _(lang, TIP_TITLES.get(field, N_("Category"))), **options)


def origin_tooltip(data: pd.DataFrame, lang: str) -> list[alt.Tooltip]:
    return [alt.Tooltip("origin_text:N", title=provenance.origin_header(lang))] if "origin_text" in data else []


def group_origin(data: pd.DataFrame, by: str, lang: str, *, when: str = "all") -> list[str]:
    """One origin per group of a line or an area (a field in a line's encoding splits it): synthetic when any of the
    group is (`when="any"`), or only when all of it is (`when="all"`)."""
    test = all if when == "all" else any
    flags = data.groupby(by, sort=False)["is_synthetic"].agg(lambda s: test(bool(v) for v in s))
    return [provenance.mark(lang) if flags[g] else provenance.sourced(lang) for g in data[by]]


DENSE_POINTS = 120  # a dated series with more distinct dates than this is thinned before it is drawn


def thinned(frame: pd.DataFrame, date: str, by: str, *, recent_days: int = 366) -> pd.DataFrame:
    """The rows of a long dated series worth sending to a chart: every point of its last `recent_days`, and one a
    month before that (the month's last point of each `by` series). A ten-year weekly line is 520 points a series
    where about 170 draw the same picture on a chart a page wide; the tables and exports keep every row."""
    days = pd.to_datetime(frame[date])
    if days.nunique() <= DENSE_POINTS:
        return frame
    recent = days > days.max() - pd.Timedelta(days=recent_days)
    month_end = days.groupby([frame[by].to_numpy(), days.dt.to_period("M").to_numpy()]).transform("max")
    return frame[(recent | (days == month_end)).to_numpy()]


ONE_MARK = alt.Data(values=[{}])  # the one datum of a reference line or its label


def _rule(y: float, label: str, colour: str, dash: list[int] | None = None) -> alt.LayerChart:
    """A labelled horizontal reference line (a plan, a threshold, a legal line): the label sits wholly above its line
    (its baseline at the bottom, a few pixels up), never crossed by it. Each layer has one datum of its own: a layer
    without data would take the chart's, and draw its label once per row, smudged."""
    rule = alt.Chart(ONE_MARK).mark_rule(color=colour, strokeDash=dash or [6, 4], strokeWidth=2).encode(y=alt.datum(y))
    text = (
        alt.Chart(ONE_MARK)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color=colour, fontSize=13, fontWeight=600)
        .encode(x=alt.value(0), y=alt.datum(y), text=alt.datum(label))
    )
    return rule + text


def trajectory_chart(
    series: pd.DataFrame,
    *,
    unit: str,
    title: str,
    lang: str,
    y_title: str | None = None,
    rules: list[tuple[Decimal, str, str]] | None = None,
) -> alt.LayerChart:
    """Lines over time, one per `series` (actual solid; plan dashed). Input columns: period_end, value,
    series, dashed (bool). `rules`: (level, label, colour) reference lines such as 0 or half the capital. A long
    weekly history is thinned to one point a month before its last year."""
    data = plot_frame(thinned(series, "period_end", "series"), "value", unit, lang)
    yearly = bool(len(data)) and all(d.month == 12 and d.day == 31 for d in data["period_end"])
    data["period_end"] = pd.to_datetime(data["period_end"])
    if yearly:  # year-end values read as "2025", not as a point just before 2026
        data["year"] = data["period_end"].dt.year
        x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    elif len(data) and (data["period_end"].max() - data["period_end"].min()).days < 3 * 365:
        x = alt.X("period_end:T", title=None, axis=alt.Axis(format="%m/%Y", tickCount=8))  # a short span: months
    else:
        x = alt.X("period_end:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    colour = alt.Color("series:N", title=None, sort=list(dict.fromkeys(data["series"])))
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y("value:Q", axis=value_axis(unit, y_title)),
        color=colour,
        strokeDash=alt.StrokeDash("dashed:N", legend=None, scale=alt.Scale(domain=[False, True], range=[[1, 0], [7, 5]])),
        tooltip=[
            tip("series", "N", lang),
            tip("period_end", "T", lang, format="%d/%m/%Y"),
            tip("value_label", "N", lang),
            *origin_tooltip(data, lang),
        ],
    )
    if _has_synthetic(data):  # the line at full colour; each point says its origin: hollow when generated
        points = base.mark_point(size=80 if len(data) < 80 else 30, filled=True, opacity=1)
        chart = base.mark_line() + points.encode(**origin_hollow(data, lang))
    else:
        chart = base.mark_line(point=alt.OverlayMarkDef(size=40)) if len(data) < 80 else base.mark_line()
    for level, label, colour in rules or []:
        chart = chart + _rule(float(level), label, colour)
    return chart.properties(title=title)


def waterfall_chart(steps: pd.DataFrame, *, title: str, lang: str) -> alt.LayerChart:
    """An equity bridge: columns step (label), amount (signed €), kind (level / up / down)."""
    rows, running = [], Decimal(0)
    flags = list(steps["is_synthetic"]) if "is_synthetic" in steps else [None] * len(steps)
    texts = list(steps["source"]) if "source" in steps else [None] * len(steps)
    for step, amount, kind in zip(steps["step"], steps["amount"], steps["kind"], strict=True):
        if kind == "level":
            start, end, running = Decimal(0), amount, amount
        else:
            start, end = running, running + amount
            running = end
        rows.append(
            {
                "step": step,
                "start": float(start),
                "end": float(end),
                "kind": kind,
                "value_label": formatting.money(amount, lang=lang),  # the step's amount, as its text alternative says it
            }
        )
    data = pd.DataFrame(rows)
    if "is_synthetic" in steps:
        data = origin_fields(data.assign(is_synthetic=flags, source=texts), lang)
    colours = alt.Scale(domain=["level", "up", "down"], range=[PALETTE[0], PALETTE[2], PALETTE[1]])
    colour = alt.Color("kind:N", scale=colours, legend=None)
    bars = (
        alt.Chart(data)
        .mark_bar(size=48)
        .encode(
            x=alt.X("step:N", sort=list(data["step"]), title=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
            y=alt.Y("start:Q", axis=value_axis("EUR")),
            y2="end:Q",
            color=colour,
            tooltip=[tip("step", "N", lang), tip("value_label", "N", lang, title=_(lang, "Value")), *origin_tooltip(data, lang)],
            **origin_outline(data, lang, colour=colour),
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-10, fontSize=13, fontWeight=600)
        .encode(
            x=alt.X("step:N", sort=list(data["step"])),
            y=alt.Y("max_end:Q"),
            text="value_label:N",
        )
        .transform_calculate(max_end="max(datum.start, datum.end)")
    )
    zero = alt.Chart().mark_rule(color="#374151").encode(y=alt.datum(0))
    return (bars + labels + zero).properties(title=title)


def bars_with_target(
    frame: pd.DataFrame,
    *,
    x: str,
    unit: str,
    title: str,
    lang: str,
    target: Decimal | None = None,
    target_label: str = "",
    colour_by: str | None = None,
    x_title: str | None = None,
    sort: list | None = None,
) -> alt.LayerChart:
    """Bars of `value` per `x` with an optional target line; `colour_by` a column of series names."""
    data = plot_frame(frame, "value", unit, lang)
    enc = {
        "x": alt.X(f"{x}:O", title=x_title, sort=sort, axis=alt.Axis(labelAngle=0, labelLimit=200)),
        "y": alt.Y("value:Q", axis=value_axis(unit)),
        "tooltip": [tip(x, "O", lang), tip("value_label", "N", lang), *origin_tooltip(data, lang)],
    }
    if colour_by:
        series_order = list(dict.fromkeys(data[colour_by]))
        enc["color"] = alt.Color(f"{colour_by}:N", title=None, sort=series_order)
        enc["xOffset"] = alt.XOffset(f"{colour_by}:N", sort=series_order)
        enc["tooltip"].insert(0, tip(colour_by, "N", lang))
    chart = alt.Chart(data).mark_bar().encode(**enc, **origin_outline(data, lang, colour=enc.get("color")))
    if target is not None:
        chart = chart + _rule(float(target), target_label, PLAN_COLOUR)
    return chart.properties(title=title)


def horizontal_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    unit: str,
    title: str,
    lang: str,
    highlight: str | None = None,
    highlight_label: tuple[str, str] = ("", ""),
    reference: Decimal | None = None,
    reference_label: str = "",
) -> alt.LayerChart:
    """Sorted horizontal bars of `value` per `category`; rows where the boolean column `highlight` is true
    stand out (e.g. offices with far more members per adviser than the median)."""
    data = plot_frame(frame, "value", unit, lang)
    enc = {
        "y": alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
        "x": alt.X("value:Q", axis=value_axis(unit)),
        "tooltip": [tip(category, "N", lang), tip("value_label", "N", lang), *origin_tooltip(data, lang)],
    }
    if highlight:
        data["flag"] = [highlight_label[1] if h else highlight_label[0] for h in data[highlight]]
        enc["color"] = alt.Color(
            "flag:N", title=None, scale=alt.Scale(domain=[highlight_label[0], highlight_label[1]], range=[PALETTE[0], PALETTE[1]])
        )
    bars = alt.Chart(data).mark_bar().encode(**enc, **origin_outline(data, lang, colour=enc.get("color")))
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4)
        .encode(y=alt.Y(f"{category}:N", sort="-x"), x="value:Q", text="value_label:N")
    )
    chart = bars + text
    if reference is not None:
        chart = (
            chart
            + alt.Chart(ONE_MARK)
            .mark_rule(color=PLAN_COLOUR, strokeDash=[6, 4], strokeWidth=2)
            .encode(x=alt.datum(float(reference)))
            + alt.Chart(ONE_MARK)
            .mark_text(align="left", baseline="top", dx=4, dy=2, color=PLAN_COLOUR, fontSize=13, fontWeight=600)
            .encode(x=alt.datum(float(reference)), y=alt.value(0), text=alt.datum(reference_label))
        )
    return chart.properties(title=title)


def stacked_area(frame: pd.DataFrame, *, x: str, colour: str, unit: str, title: str, lang: str, order: list[str]) -> alt.Chart:
    """Stacked areas of `value` over `x` (dates) per `colour`, stacked in `order`; a long weekly history is thinned
    to one point a month before its last year."""
    data = plot_frame(thinned(frame, x, colour), "value", unit, lang)
    data[x] = pd.to_datetime(data[x])
    data["order"] = [order.index(c) for c in data[colour]]
    if _has_synthetic(data):  # an area is one shape per colour: outlined and pale when any of it is synthetic
        data["area_origin"] = group_origin(data, colour, lang, when="any")
    colours = alt.Color(f"{colour}:N", title=None, sort=order, scale=alt.Scale(domain=order, range=AGEING_COLOURS))
    return (
        alt.Chart(data)
        .mark_area()
        .encode(
            x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value:Q", stack=True, axis=value_axis(unit)),
            color=colours,
            order=alt.Order("order:Q"),
            tooltip=[
                tip(x, "T", lang, format="%d/%m/%Y"),
                tip(colour, "N", lang, title=_(lang, "Age") if colour == "label" else None),
                tip("value_label", "N", lang),
                *origin_tooltip(data, lang),
            ],
            **origin_outline(data, lang, "area_origin", colour=colours),
        )
        .properties(title=title)
    )


def ageing_bars(frame: pd.DataFrame, *, title: str, lang: str, order: list[str]) -> alt.Chart:
    """Open amount per ageing bucket at one date: columns bucket (label), value (€)."""
    data = plot_frame(frame, "value", "EUR", lang)
    colour = alt.Color("bucket:N", sort=order, legend=None, scale=alt.Scale(domain=order, range=AGEING_COLOURS))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", axis=value_axis("EUR")),
            color=colour,
            tooltip=[tip("bucket", "N", lang), tip("value_label", "N", lang), *origin_tooltip(data, lang)],
            **origin_outline(data, lang, colour=colour),
        )
        .properties(title=title)
    )


def stacked_bars(
    frame: pd.DataFrame, *, category: str, colour: str, unit: str, title: str, lang: str, order: list[str]
) -> alt.Chart:
    """Bars of `value` per `category`, stacked by `colour` in `order` (e.g. open amount per office and age)."""
    data = plot_frame(frame, "value", unit, lang)
    data["order"] = [order.index(c) for c in data[colour]]
    colours = alt.Color(f"{colour}:N", title=None, sort=order, scale=alt.Scale(domain=order, range=AGEING_COLOURS))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                f"{category}:N",
                title=None,
                sort=list(dict.fromkeys(data[category])),
                axis=alt.Axis(labelAngle=0 if data[category].nunique() <= 6 else -35, labelLimit=200),
            ),
            y=alt.Y("value:Q", stack=True, axis=value_axis(unit)),
            color=colours,
            order=alt.Order("order:Q"),
            tooltip=[
                tip(category, "N", lang),
                tip(colour, "N", lang, title=_(lang, "Age") if colour == "label" else None),
                tip("value_label", "N", lang),
                *origin_tooltip(data, lang),
            ],
            **origin_outline(data, lang, colour=colours),
        )
        .properties(title=title)
    )


def _encodings(spec: dict) -> list[dict]:
    """Every `encoding` of a spec and of its layers and concatenations, outermost first."""
    found = [spec["encoding"]] if isinstance(spec.get("encoding"), dict) else []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key) or []:
            found += _encodings(part)
    if isinstance(spec.get("spec"), dict):
        found += _encodings(spec["spec"])
    return found


def _field(encodings: list[dict], channel: str) -> tuple[str, str] | None:
    """(field, type) of the first encoding of `channel` that names a field."""
    for encoding in encodings:
        shown = encoding.get(channel)
        if isinstance(shown, dict) and shown.get("field"):
            return shown["field"], shown.get("type", "")
    return None


def _holds_figure(row: dict, value: tuple[str, str] | None) -> bool:
    raw = row.get(value[0]) if value else None
    return row.get("value_label") not in (None, "", "—") or (raw is not None and not pd.isna(raw))


def _unexplained(encodings: list[dict], channel: str) -> bool:
    """Whether the first encoding of `channel` that names a field draws no legend."""
    shown = next(e[channel] for e in encodings if isinstance(e.get(channel), dict) and e[channel].get("field"))
    return "legend" in shown and shown["legend"] is None


def _title(spec: dict) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    if not title:
        for part in spec.get("layer") or spec.get("hconcat") or spec.get("vconcat") or []:
            if title := _title(part):
                break
    return str(title or "")


def _shown_date(value, lang: str) -> str:
    try:
        return formatting.date_long(pd.Timestamp(value).date(), lang=lang)
    except (ValueError, TypeError):
        return str(value)


def describe(spec: dict, lang: str, *, most: int = 12) -> str:
    """A chart's text alternative, from its spec: its title, the period its data covers, and the values it shows last
    (each series' latest value — the actual against the plan where both are drawn), as a screen reader reads it and
    as the chart's `description` (Vega gives it to the chart's SVG as its accessible name)."""
    datasets = [v for v in (spec.get("datasets") or {}).values() if isinstance(v, list) and v]
    inline = spec.get("data")
    if isinstance(inline, dict) and isinstance(inline.get("values"), list) and inline["values"]:
        datasets.append(inline["values"])
    title = _title(spec)
    if not datasets:  # an empty chart says so, rather than reading as its title alone
        return " ".join([title or _(lang, "Chart"), _(lang, "No figure to show for this period.")])
    sentences = [title] if title else []
    rows = max(datasets, key=len)
    encodings = _encodings(spec)
    x, y, colour = _field(encodings, "x"), _field(encodings, "y"), _field(encodings, "color")
    horizontal = y is not None and y[1] in ("nominal", "ordinal") and x is not None and x[1] == "quantitative"
    category, value = (y, x) if horizontal else (x, y)
    if colour and (colour == category or _unexplained(encodings, "color")):
        colour = None  # a colour that repeats the category, or that no legend names (a bridge's up/down), says nothing

    def said(row: dict, *, with_category: bool) -> str:
        raw = row.get(value[0]) if value else None
        if isinstance(raw, int | float):
            raw = formatting.number(Decimal(str(raw)), lang=lang, places=2)
        figure = row.get("value_label") or raw
        parts = [row.get(category[0]) if with_category and category else None, row.get(colour[0]) if colour else None, figure]
        return " ".join(str(p) for p in parts if p not in (None, ""))

    keys = [row.get(category[0]) for row in rows] if category else []
    temporal = bool(keys) and category[1] == "temporal" and all(keys)
    yearly = bool(keys) and category[1] == "ordinal" and all(isinstance(k, int) for k in keys)
    if temporal or yearly:  # over time: the period, then the latest value of each series

        def when(key) -> str:
            return _shown_date(key, lang) if temporal else str(key)

        first, last = min(keys, key=str), max(keys, key=str)
        if temporal:
            sentences.append(_(lang, "Period: from {start} to {end}.", start=when(first), end=when(last)))
        else:  # years: « de 2022 à 2025 », not « du 2022 au 2025 »
            sentences.append(_(lang, "Period: the years {start} to {end}.", start=when(first), end=when(last)))
        latest: dict = {}  # each series' last row that holds a figure: an actual that stops before the plan still said
        for row, key in zip(rows, keys, strict=True):
            series = row.get(colour[0]) if colour else None
            if _holds_figure(row, value) and (series not in latest or str(key) >= str(latest[series][1])):
                latest[series] = (row, key)
        values = "; ".join(
            said(row, with_category=False) + ("" if key == last else f" ({when(key)})") for row, key in latest.values()
        )
        sentences.append(_(lang, "Latest values ({date}): {values}.", date=when(last), values=values))
    else:
        values = "; ".join(said(row, with_category=True) for row in rows[:most])
        more = len(rows) - most
        sentences.append(
            _(lang, "Values: {values}.", values=values)
            if more <= 0
            else ngettext(lang, "Values: {values}; and {n} more value.", "Values: {values}; and {n} more values.", more).format(
                values=values, n=more
            )
        )
    return " ".join(s if s.endswith(".") else s + "." for s in sentences)


_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def chart_table(spec: dict) -> pd.DataFrame:
    """The data a chart draws, as a table a reader can open (its CSV beside the PNG and SVG): the largest of its
    datasets, with the columns its tooltips show, under the tooltips' titles (the reader's words, not field names)."""
    datasets = [v for v in (spec.get("datasets") or {}).values() if isinstance(v, list) and v]
    if not datasets:
        return pd.DataFrame()
    frame = pd.DataFrame(max(datasets, key=len))
    for column in frame.columns:  # dates travel in the spec as ISO timestamps: read as the reader writes them
        if frame[column].map(lambda v: isinstance(v, str) and bool(_ISO_TIMESTAMP.match(v))).all():
            frame[column] = [formatting.date_short(pd.Timestamp(v).date()) for v in frame[column]]
    shown: dict[str, str] = {}
    for encoding in _encodings(spec):
        tips = encoding.get("tooltip") or []
        for tip_ in tips if isinstance(tips, list) else [tips]:
            if isinstance(tip_, dict) and tip_.get("field") in frame.columns:
                shown.setdefault(tip_["field"], str(tip_.get("title") or tip_["field"]))
    return frame[list(shown)].rename(columns=shown) if shown else frame
