"""What the pages show, as they show it: metrics that say where their figure comes from, status badges, notices,
empty states, charts and tables (with their downloads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import altair as alt
import pandas as pd

from smartdash import cache, charts, i18n, provenance
from smartdash.i18n import N_, _, _p
from smartdash.inert import Md, md, st
from smartdash.web import downloads
from smartdash.web.session import language

STATUS_BADGE = {
    "green": (N_("green"), "green", ":material/check_circle:"),
    "amber": (N_("amber"), "orange", ":material/warning:"),
    "red": (N_("red"), "red", ":material/error:"),
}


def synthetic_notice(is_synthetic: bool, lang: str) -> None:
    if is_synthetic:
        st.warning(_(lang, i18n.DEMO_BANNER), icon=":material/science:")


def status_badge(status: str | None, lang: str) -> None:
    if status in STATUS_BADGE:
        word, colour, icon = STATUS_BADGE[status]
        st.badge(_(lang, word), color=colour, icon=icon)
    else:
        st.badge(_(lang, "no plan"), color="gray")


def sources_expander(sources: list[str], lang: str, *, synthetic: bool) -> None:
    """The "source" expander: the provenance of what the page shows."""
    with st.expander(_(lang, "Sources of the figures shown"), icon=":material/description:"):
        if synthetic:
            st.markdown(
                Md(
                    _(
                        lang,
                        'Some values shown are **synthetic** (demo): they are marked "demo / synthetic" '
                        '(lighter marks, "Origin" column).',
                    )
                )
            )
        none = _(lang, "No document: generated values (demo / synthetic)") if synthetic else "—"
        static_table(pd.DataFrame({_(lang, "Source"): sources or [none]}))


def metric(label: str, value: str, origin: provenance.Provenance, *, where=None, help: str | None = None, **kwargs) -> None:
    """`st.metric` that says where its figure comes from: a short mark after the label when synthetic (the flask of
    the demo banner and « démo »: the full « démo / synthétique » would be cut off in a narrow column), the source or
    the full mark in its tooltip."""
    lang = language()
    shown = md("{} " + metric_mark(lang), label) if origin.synthetic else label  # the label is data: escaped
    said = origin.describe(lang) if origin.known or value != "—" else _(lang, "No data at this date.")
    (where or st).metric(shown, value, help=f"{help}\n\n{said}" if help else said, **kwargs)


# Streamlit cuts a tile's label, and the line beside its change, to one line ending in "…": in a third of a tablet's
# width beside the open sidebar, "Membres par conseiller" read "Membres p…". They wrap instead, at spaces first, and
# the figure is drawn smaller in a narrow tile.
_TILE_TEXT_WRAPS = (
    "<style>"
    '[data-testid="stMetricLabel"] .stMarkdownEllipsis,[data-testid="stMetricLabel"] p,'
    '[data-testid="stMetricDeltaDescription"],[data-testid="stMetricDeltaDescription"] .stMarkdownEllipsis,'
    '[data-testid="stMetricDeltaDescription"] p'
    "{white-space:normal;overflow:visible;text-overflow:clip;overflow-wrap:anywhere;height:auto}"
    '[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]),'
    '[data-testid="stMetric"] div:has(> [data-testid="stMetricDeltaDescription"])'
    "{flex-wrap:wrap;row-gap:0.25rem;overflow:visible;height:auto}"
    # the figure itself is not cut either ("−4,7…", "Jam…"): its size follows the tile's width down to 1.25rem
    '[data-testid="stMetric"]{container-type:inline-size}'
    '[data-testid="stMetricValue"]{font-size:clamp(1.25rem,18cqi,2.25rem)}'
    "</style>"
)


def tile_texts_wrap() -> None:
    """Every tile's label and the line beside its change wrap rather than end in "…" (the page's style, set once a
    run by the shared sidebar)."""
    st.html(Md(_TILE_TEXT_WRAPS))  # markup written here


def metric_mark(lang: str) -> str:
    """What follows the label of a metric whose figure is synthetic."""
    # plain text: Streamlit names the metric's help button "Help for <label>", and a screen reader would read markup
    return f"✱ {_(lang, provenance.SHORT_MARK)}"


def empty_state(lang: str, what: str) -> None:
    """`what` (in the reader's language): what to load."""
    st.info(
        _(lang, "No data for these filters. Load {what} (see docs/formats.md) or change the filters.", what=what),
        icon=":material/info:",
    )


@cache.by_content(max_entries=512)
def _chart_specs(builder: Callable[..., alt.TopLevelMixin], lang: str, args: tuple, kwargs: dict) -> tuple[dict, dict]:
    """A chart's Vega-Lite spec (for its downloads) and the same spec with its data already in Arrow, as Streamlit
    sends it: built once per input (Altair costs tens of milliseconds a chart, Streamlit's conversion of its data
    a few more at every run)."""
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes  # Streamlit's own conversion, not text

    charts.use_language(lang)
    spec = builder(*args, **kwargs).to_dict(validate=False)
    spec.setdefault("description", charts.describe(spec, lang))  # the chart's text alternative (its SVG's name)
    datasets = spec.get("datasets") or {}
    shown = (
        {
            **spec,
            "datasets": {name: convert_anything_to_arrow_bytes(_repeats_encoded(values)) for name, values in datasets.items()},
        }
        if datasets
        else spec
    )
    return spec, shown


def _repeats_encoded(values: list[dict]) -> pd.DataFrame:
    """A chart's rows with each text that repeats down a column (series, origin, source) sent once: as a pandas
    category, which Arrow sends as a dictionary. A weekly chart's origin texts were half of its bytes."""
    frame = pd.DataFrame(values)
    for column in frame.columns:
        texts = frame[column].map(lambda v: isinstance(v, str))
        if len(frame) >= 8 and texts.all() and frame[column].nunique() * 4 <= len(frame):
            frame[column] = frame[column].astype("category")
    return frame


def plot(builder: Callable[..., alt.TopLevelMixin], *args, **kwargs) -> None:
    """Draw `builder(*args, **kwargs)` — a chart builder of smartdash.charts — (its spec cached), with its PNG and
    SVG downloads."""
    chart(*_chart_specs(builder, language(), args, kwargs))


def spec_plot(spec, subject, lang: str) -> None:
    """Draw the chart a declaration of smartdash.present.chart_specs draws of `subject`, through `plot`: the deck and
    the dossier draw the same declaration."""
    plot(spec.build, spec.frame(subject, lang), lang=lang, **spec.options(subject, lang))


def chart(c, shown: dict | None = None) -> None:
    """Show a chart (an Altair chart or its spec; `shown`: the same spec with its data already in Arrow) with the
    smartdash theme (not Streamlit's), and offer it as PNG and SVG exactly as shown."""
    spec = c if isinstance(c, dict) else c.to_dict(validate=False)
    if "description" not in spec:  # a chart not built by `plot`: its text alternative now
        spec = {**spec, "description": charts.describe(spec, language())}
        shown = {**shown, "description": spec["description"]} if shown else None
    # Streamlit takes the data out of the spec it is given: a copy, so the downloads keep theirs (and the cache its)
    st.vega_lite_chart(spec=dict(shown or spec), theme=None, width="stretch")
    downloads.chart_buttons(spec)


def table(frame: pd.DataFrame, name: str, *, static: bool = False, **kwargs) -> None:
    """Show a table, offer it as CSV and XLSX (French headers, formulas neutralised), and keep it for the page's
    workbook. `static`: a plain HTML table, every row shown in full, rather than the grid (scrolling, sorting)."""
    frame = shown_blanks(frame)
    if static:
        static_table(frame)
    else:
        st.dataframe(frame, hide_index=True, **kwargs)
    downloads.table_buttons(frame, name)


def static_table(frame: pd.DataFrame) -> None:
    """Rows as a plain HTML table, for tables read in full (a few rows, or a page's list the committee reads line by
    line): the grid costs a browser a canvas, its scripts and an accessibility copy of the cells built 300 ms after
    it is drawn, and a page switch waits for all of it."""
    st.table(frame, hide_index=True)


def table_kept(make: Callable[[], pd.DataFrame], name: str) -> None:
    """A table not drawn in this run (a hidden tab's) kept for the page's workbook all the same, as `make`, the
    function that makes it: made, blanks shown as `table` shows them, only if the workbook is downloaded."""
    downloads.keep_table(lambda: shown_blanks(make()), name)


def shown_blanks(frame: pd.DataFrame) -> pd.DataFrame:
    """A missing text (None, NaN) reads "—", never "None" or "nan" (the grid would print them)."""
    text = [c for c in frame.columns if frame[c].map(lambda v: v is None or (isinstance(v, float) and pd.isna(v))).any()]
    if not text:
        return frame
    return frame.assign(
        **{c: [("—" if v is None or (isinstance(v, float) and pd.isna(v)) else v) for v in frame[c]] for c in text}
    )


# Streamlit 1.67 writes the uploader's instructions in English and offers no option to change them
# (streamlit/streamlit#13500): that line is hidden — from screen readers too — and `file_upload` gives the same
# instructions in the reader's language as a real text element.
_UPLOADER_INSTRUCTIONS_HIDDEN = '<style>[data-testid="stFileUploaderDropzoneInstructions"]{display:none}</style>'
# Its button says "Upload" in a paragraph of its own, with no option either: in another language that word is hidden
# from sight only — it stays the button's text for assistive technologies, as axe-core requires of a button — and the
# reader's words are drawn after it as CSS generated content, which browsers add to the button's name ("Upload
# Choisir un fichier"): what is seen is in the name (WCAG 2.5.3).
_UPLOADER_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
_VISUALLY_HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"


def _uploader_button_style(lang: str) -> str:
    """The style that writes the uploader's button in the reader's language (empty where Streamlit's own is)."""
    said = _p(lang, "file uploader button", "Upload")
    if said == "Upload":
        return ""
    quoted = '"' + said.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'
    return f"<style>{_UPLOADER_BUTTON} p{{{_VISUALLY_HIDDEN}}}{_UPLOADER_BUTTON}::after{{content:{quoted}}}</style>"


def file_upload(label: str, *, types: list[str], key: str, lang: str):
    """`st.file_uploader` whose instructions (drag and drop, size limit, types) are in the reader's language."""
    st.html(Md(_UPLOADER_INSTRUCTIONS_HIDDEN + _uploader_button_style(lang)))  # markup written here
    upload = st.file_uploader(label, type=types, key=key)
    st.caption(
        _(
            lang,
            "Drop the file on the area above or choose it with its button: {size} MB at most, {types}.",
            size=st.get_option("server.maxUploadSize"),
            types=", ".join(t.upper() for t in types),
        )
    )
    return upload


def optional_date(where, label: str, *, key: str, lang: str) -> str:
    """A date the reader may leave empty, typed in a text field whose placeholder is the date's pattern in the
    reader's language: Streamlit's empty date field shows "DD/MM/YYYY" whatever the page's language. Read it with
    `typed_date`."""
    return where.text_input(label, key=key, placeholder=_(lang, "DD/MM/YYYY"))


def typed_date(text: str | None) -> dt.date | None:
    """The date typed in an `optional_date` field: None when empty; ValueError when it is not a date (31/12/2026,
    31/12/26, 31-12-2026 and 2026-12-31 are)."""
    from smartdash.formats.cells import CellError, parse_date

    if not text or not text.strip():
        return None
    try:
        return parse_date(text.strip())
    except CellError:
        raise ValueError(text) from None
