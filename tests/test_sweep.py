"""Every page and every slide, at several as-of dates and for every entity, read the way a committee member reads
them: no NaN, None, nan, inf or "dès None" anywhere, and no synthetic figure without its mark.

Pages are rendered in AppTest (one session per date and entity, every page in turn); the deck is built for every
entity together at each date, and for each entity at the newest date. Every figure must say where it comes from:
a chart's data carries its origin and draws synthetic marks apart (a legend « Origine »), a table of figures has an
"Origine" column, a metric carries the mark when synthetic and its source in its tooltip, a slide that shows
figures has a footnote with its sources and, when any is generated, the mark.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from smartdash import provenance, queries
from smartdash.db import session_scope
from smartdash.export.slides import build_deck
from smartdash.i18n import every_language
from smartdash.views import Filters
from smartdash.web import filters, registry, widgets
from tests.conftest import login, shown_tables

ROOT = Path(__file__).resolve().parent.parent
END_2021, END_2023 = dt.date(2021, 12, 31), dt.date(2023, 12, 31)
ENTITIES = ("SMARTFR", "GRANDSENSEMBLE", "ALTERNA", "SMARTCOOP")
LATEST = "latest"  # the store's newest date, the sidebar's default
CASES = [(END_2021, None), (END_2023, None), (LATEST, None)] + [(LATEST, e) for e in ENTITIES]
FIGURE_PAGES = tuple(page.name for page in registry.PAGES if page.figures)  # swept with their origins
OTHER_PAGES = tuple(page.name for page in registry.PAGES if page.name not in FIGURE_PAGES)
BAD = re.compile(r"(?<![\w/])(?:nan|NaN|None|NaT|[-−]?inf|Infinity)(?![\w])|dès None")
ORIGIN_FIELDS = {"origin", "area_origin"}


def case_id(case) -> str:
    day, entity = case
    return f"{day}-{entity or 'all'}"


@pytest.fixture(scope="module")
def sweep_store(demo_store):
    """The shared demo store, with one account per role, as the app's store for this module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMARTDASH_DATABASE_URL", demo_store.url)
        from smartdash.db import engine_for
        from smartdash.store import ensure_schema
        from tests.conftest import ensure_users

        ensure_schema(engine_for(demo_store.url))
        ensure_users(demo_store.url)
        with session_scope(demo_store.engine) as s:
            latest = queries.latest_data_date(session=s)
            version = queries.version_in_force(session=s)
        yield demo_store, latest, version


def bad_texts(texts) -> list[str]:
    return [t for t in texts if isinstance(t, str) and BAD.search(t)]


def strings(node, skip=("config",)):
    """Every string of a JSON spec, the theme's configuration aside."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from strings(value, skip)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, skip)


ORIGIN_CHANNELS = ("shape", "strokeDash", "fillOpacity")  # a hollow point, a dashed outline, a pale fill


def origin_fields(node) -> set[str]:
    """The fields that set a mark's shape, outline or fill anywhere in a (layered) spec: how a synthetic mark is told."""
    found = set()
    if isinstance(node, dict):
        enc = node.get("encoding", {})
        for channel in ORIGIN_CHANNELS if isinstance(enc, dict) else ():
            if isinstance(enc.get(channel), dict) and "field" in enc[channel]:
                found.add(enc[channel]["field"])
        for value in node.values():
            found |= origin_fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= origin_fields(value)
    return found


def cell_problems(frame: pd.DataFrame) -> list[str]:
    out = [str(c) for c in frame.columns if BAD.search(str(c))]
    for column in frame.columns:
        for value in frame[column]:
            if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
                out.append(f"{column}: {value!r}")
            elif isinstance(value, str) and BAD.search(value):
                out.append(f"{column}: {value}")
    return out


def check_page(at: AppTest, page: str, figures: bool) -> list[str]:
    """What a reader of this page would stumble on."""
    problems = [f"exception: {e.value}" for e in at.exception]
    texts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(at, kind)
    ]
    texts += [str(t.label) for t in at.tabs] + [str(e.label) for e in at.expander]
    problems += [f"text: {t}" for t in bad_texts(texts)]
    for m in at.metric:
        shown = [m.label, m.value, m.proto.help, m.proto.delta, getattr(m.proto, "delta_description", "")]
        problems += [f"metric {m.label!r}: {t}" for t in bad_texts(shown)]
        if figures:
            said = m.proto.help
            if not any(w in said for w in ("Source", "Origin", "Aucune donnée", "No data")):
                problems.append(f"metric {m.label!r} does not say where its figure comes from: {said!r}")
            if provenance.is_marked(said) != m.label.endswith(widgets.metric_mark("fr")):
                problems.append(f"metric {m.label!r}: synthetic mark and tooltip disagree ({said!r})")
    fields = [w for kind in ("text_input", "text_area") for w in getattr(at, kind)]
    problems += [f"field {w.label!r}: {w.value!r}" for w in fields if bad_texts([str(w.value)])]
    choices = [w for kind in ("selectbox", "multiselect", "radio") for w in getattr(at, kind)]
    problems += [f"choice {w.label!r}: {o!r}" for w in choices for o in bad_texts(w.options)]
    tables = shown_tables(at)  # grids, data editors and static tables alike
    # the overview's key figures (its first static table, not read by this sweep before it read static tables) sum up
    # its tiles, each of which says where its figure comes from: their cells are checked, not held to an origin column
    key_figures = tables[len(at.dataframe)] if page == "overview" and at.table else None
    for frame in tables:
        problems += [f"table {list(frame.columns)[:3]}: {p}" for p in cell_problems(frame)]
        sources_only = list(frame.columns) in (["Source"],)
        if (
            figures
            and not sources_only
            and frame is not key_figures
            and not set(frame.columns) & set(every_language(provenance.ORIGIN))
        ):
            problems.append(f"table {list(frame.columns)} has no « Origine » column")
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        problems += [f"chart text: {t}" for t in bad_texts(strings(spec))]
        title = spec.get("title") or spec.get("layer", [{}])[0].get("title")
        # its text alternative (the SVG's accessible name) names the chart and says what it shows
        said = spec.get("description") or ""
        if not said or (title and not said.startswith(str(title))) or said.rstrip(".") == str(title or ""):
            problems.append(f"chart {title!r}: its text alternative does not say what it shows: {said!r}")
        for data in chart.proto.datasets:
            rows = dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data)
            problems += [
                f"chart {title!r}: {t}"
                for t in bad_texts(v for column in rows.columns if rows[column].dtype == object for v in rows[column])
            ]
            if not figures or rows.empty:
                continue
            if "origin" not in rows:
                problems.append(f"chart {title!r} does not say where its data comes from")
            elif rows["is_synthetic"].astype(bool).any():
                fields = origin_fields(spec)
                if not fields & ORIGIN_FIELDS or provenance.mark("fr") not in json.dumps(spec, ensure_ascii=False):
                    problems.append(f"chart {title!r} draws synthetic values without their mark")
    return problems


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_page_reads_clean_and_marks_its_synthetic_figures(sweep_store, case):
    store, latest, _version = sweep_store
    day, entity = case
    day = latest if day == LATEST else day
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.session_state["filter_as_of"] = day
    at.session_state["filter_entity"] = entity or filters.ALL
    at.run()
    problems = {}
    for page in FIGURE_PAGES + (OTHER_PAGES if entity is None else ()):
        at.switch_page(f"pages/{page}.py").run()
        found = check_page(at, page, page in FIGURE_PAGES)
        if found:
            problems[page] = found[:8]
    assert not problems, problems


def test_the_membership_page_at_end_2023_marks_the_generated_history_of_its_region_chart(sweep_store):
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.session_state["filter_as_of"] = END_2023
    at.run()
    at.switch_page("pages/membership.py").run()
    region = next(
        c for c in at.get("vega_lite_chart") if "Membres par région" in json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
    )
    [data] = region.proto.datasets
    rows = dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data)
    years = pd.to_datetime(rows["period_end"]).dt.year
    assert set(rows[years < 2023]["origin"]) == {"démo / synthétique"}
    assert set(rows[years == 2023]["origin"]) == {"sourcé"}
    assert set(rows[years == 2023]["origin_text"]) == {"SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau"}


def slide_texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            chart = shape.chart
            if chart.has_title:
                texts.append(chart.chart_title.text_frame.text)
            texts += [str(c) for c in chart.plots[0].categories]
            for series in chart.plots[0].series:
                texts.append(series.name)
                texts += [f"{v}" for v in series.values if v is not None and (math.isnan(v) or math.isinf(v))]
    return texts


DECK_CASES = [(END_2021, None), (END_2023, None), (LATEST, None)] + [(LATEST, e) for e in ENTITIES]


@pytest.mark.parametrize("case", DECK_CASES, ids=case_id)
def test_every_slide_reads_clean_and_marks_its_synthetic_figures(sweep_store, case):
    store, latest, version = sweep_store
    day, entity = case
    data, info = build_deck(
        store.engine, filters=Filters(entity, latest if day == LATEST else day, "previous", version, "fr"), role="editor"
    )
    prs = Presentation(io.BytesIO(data))
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title.text
        texts = slide_texts(slide)
        problems += [f"{title}: {t}" for t in bad_texts(texts)]
        if (
            any(shape.has_chart or shape.has_table or shape.shape_type == 13 for shape in slide.shapes)
            and number not in info.origins
        ):
            problems.append(f"{title}: figures without a sources footnote")
        if number in info.origins:
            text = "\n".join(texts)
            if "Sources : " not in text:
                problems.append(f"{title}: no sources")
            if info.origins[number].synthetic and "✱ démo / synthétique" not in text:
                problems.append(f"{title}: synthetic figures without the mark")
    assert not problems, problems


def test_choosing_an_indicator_in_the_catalogue_fills_its_form_with_its_values_and_blanks_never_nan(sweep_store):
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.run()
    at.switch_page("pages/catalogue.py").run()
    catalogue = at.dataframe[0].value.set_index("code")
    described = next(c for c in catalogue.index if catalogue.loc[c, "description"] != "—")
    blank = next(c for c in catalogue.index if catalogue.loc[c, "description"] == "—")
    for code in (described, blank, described):
        at.selectbox(key="catalogue_edit").set_value(code).run()
        assert at.text_input(key=f"catalogue_label_fr_{code}").value == catalogue.loc[code, "libelle_fr"]
        expected = "" if code == blank else catalogue.loc[code, "description"]
        assert at.text_area(key=f"catalogue_description_{code}").value == expected, code
    assert not at.exception
