"""Every chart mark is seen against its background (WCAG 2.1 1.4.11, non-text contrast: 3:1): the registered theme's
colours, and every mark of every chart the pages, the dossier, the digest and the deck build on the demo store, as
Vega draws it — a colour blended with the white by its opacity included, so a pale synthetic mark cannot come back.
A synthetic mark is told by its shape (a ring, a dashed outline), never by a fainter colour. A chart's texts (its
labels on bars and reference lines) are text: 4.5:1.

The charts are caught at their builders: each public builder of smartdash.charts is wrapped while the outputs are
built, so a new builder is checked as soon as a page or an export calls it, and one never called fails the test."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json

import pytest
import vl_convert as vlc
from PIL import ImageColor
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from smartdash import charts, digest
from smartdash.db import session_scope
from smartdash.export import pdf
from smartdash.export.slides import build_deck
from smartdash.views import Filters
from smartdash.web import registry
from tests.conftest import ROOT, login

MARKS, TEXT = 3.0, 4.5  # WCAG 2.1 1.4.11 (graphical objects) and 1.4.3 (text)
END_2023 = dt.date(2023, 12, 31)
BUILDERS = [
    name
    for name, function in inspect.getmembers(charts, inspect.isfunction)
    if function.__module__ == charts.__name__
    and not name.startswith("_")
    and "Chart" in str(function.__annotations__.get("return"))
]


def luminance(colour: str) -> float:
    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = ImageColor.getrgb(colour)[:3]
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blended(colour: str, alpha: float, background: str) -> str:
    """`colour` drawn at `alpha` over `background`: the colour the reader sees."""
    top, under = ImageColor.getrgb(colour)[:3], ImageColor.getrgb(background)[:3]
    return "#" + "".join(f"{round(alpha * t + (1 - alpha) * u):02X}" for t, u in zip(top, under, strict=True))


def test_every_colour_of_the_theme_for_marks_keeps_3_to_1_against_its_background():
    config = charts.theme_config()["config"]
    background = config["background"]
    theme = [*config["range"]["category"]] + [
        config[part][key]
        for part in ("mark", "line", "bar", "area", "point")
        for key in ("color", "fill", "stroke")
        if key in config.get(part, {})
    ]
    named = [*charts.PALETTE, *charts.AGEING_COLOURS, *charts.STATUS_COLOURS.values(), charts.PLAN_COLOUR]
    low = {c: round(contrast(c, background), 2) for c in theme + named if contrast(c, background) < MARKS}
    assert not low, f"below 3:1 against {background}: {low}"


# --------------------------------------------------------------------------- every mark, as Vega draws it


def _scale_values(vega: dict, scales: dict, name: str) -> list:
    scale = scales[name]
    values = scale.get("range")
    if isinstance(values, str):  # a named range of the config: "category"
        values = vega.get("config", {}).get("range", {}).get(values)
    assert isinstance(values, list), f"scale {name}: a range this test cannot read: {scale.get('range')!r}"
    return values


def _values(vega: dict, scales: dict, rule) -> list:
    """Every value an encoding rule (or a list of conditional rules) can give."""
    if rule is None:
        return []
    if isinstance(rule, list):
        return [v for r in rule for v in _values(vega, scales, r)]
    if "value" in rule:
        return [rule["value"]]
    if "scale" in rule:
        return _scale_values(vega, scales, rule["scale"])
    raise AssertionError(f"an encoding this test cannot read: {rule!r}")


def _marks(marks: list[dict]):
    for mark in marks:
        yield mark
        yield from _marks(mark.get("marks", []))


def mark_problems(spec: dict) -> list[str]:
    """What falls below its contrast in one chart (a Vega-Lite spec with its config), as Vega draws it."""
    vega = vlc.vegalite_to_vega(spec)
    background = vega.get("background") or spec.get("config", {}).get("background")
    assert background, "a chart without a background colour"
    scales = {s["name"]: s for m in [vega, *_marks(vega.get("marks", []))] for s in m.get("scales", [])}
    problems = []
    for mark in _marks(vega.get("marks", [])):
        kind = mark["type"]
        if kind == "group":
            continue
        encode = {**mark.get("encode", {}).get("enter", {}), **mark.get("encode", {}).get("update", {})}

        def seen(channel: str, encode=encode) -> list:
            return [v for v in _values(vega, scales, encode.get(channel)) if v not in (None, "transparent")]

        def least(channel: str, encode=encode) -> float:
            return min([float(v) for v in _values(vega, scales, encode.get(channel))] or [1.0])

        fills, strokes = seen("fill"), seen("stroke")
        widths = [float(w) for w in _values(vega, scales, encode.get("strokeWidth"))] or [1.0]
        outlined = bool(strokes) and min(widths) > 0
        if kind == "text":
            texts = fills or ["#000000"]  # Vega's default text colour
            alpha = least("opacity") * least("fillOpacity")
            problems += [
                f"{kind} {c} at {alpha:.2f}: {contrast(blended(c, alpha, background), background):.2f}:1 < {TEXT}:1"
                for c in texts
                if contrast(blended(c, alpha, background), background) < TEXT
            ]
            continue
        assert fills or strokes, f"a {kind} mark without a colour this test can read: {encode}"
        problems += [
            f"{kind} colour {c}: {contrast(c, background):.2f}:1" for c in fills + strokes if contrast(c, background) < MARKS
        ]
        # what draws the mark's edge: its outline when it has one (a pale fill inside is then allowed), else its fill
        edge, alpha = (strokes, least("strokeOpacity")) if outlined or not fills else (fills, least("fillOpacity"))
        alpha *= least("opacity")
        problems += [
            f"{kind} edge {c} at opacity {alpha:.2f}: {contrast(blended(c, alpha, background), background):.2f}:1"
            for c in edge
            if contrast(blended(c, alpha, background), background) < MARKS
        ]
    return problems


@pytest.fixture(scope="module")
def built(demo_store, tmp_path_factory):
    """Every chart built on the demo store — by every registered page (as an administrator, in French and in English,
    at the latest date and at 31/12/2023), by the dossier, the digest and the deck — caught at its builder: (builder,
    Vega-Lite spec with the theme's config)."""
    from tests.conftest import ensure_users

    caught: list[tuple[str, dict]] = []
    patch = pytest.MonkeyPatch()
    for name in BUILDERS:
        builder = getattr(charts, name)

        def recording(*args, _builder=builder, _name=name, **kwargs):  # a closure: never served from a cache
            chart = _builder(*args, **kwargs)
            caught.append((_name, chart))
            return chart

        patch.setattr(charts, name, recording)
    patch.setenv("SMARTDASH_DATABASE_URL", demo_store.url)
    ensure_users(demo_store.url)
    try:
        for lang, day in (("fr", None), ("en", END_2023)):
            at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
            at.session_state["app_lang"] = lang
            if day:
                at.session_state["filter_as_of"] = day
            at.run()
            for page in registry.PAGES:
                at.switch_page(page.path).run()
                assert not at.exception, (page.name, [e.value for e in at.exception])
        filters = Filters(None, END_2023, "previous", None, "fr")
        pdf.compose(demo_store.engine, filters=filters, role="admin")
        with session_scope(demo_store.engine) as s:
            digest.DigestBuilder(s, as_of=END_2023, app_url="http://x").part("SMARTFR", "SmartFr", "fr", see_clients=False)
        deck, _info = build_deck(demo_store.engine, filters=filters, role="admin")
    finally:
        patch.undo()
    specs = []
    for name, chart in caught:
        charts.use_language("fr")
        specs.append((name, chart.to_dict(validate=False)))
    return specs, Presentation(io.BytesIO(deck))


def test_every_chart_builder_is_drawn_on_the_demo_store(built):
    specs, _deck = built
    assert set(BUILDERS) <= {name for name, _spec in specs}, set(BUILDERS) - {name for name, _spec in specs}


def test_every_mark_of_every_chart_keeps_its_contrast_against_the_background(built):
    specs, _deck = built
    synthetic = [spec for _n, spec in specs if '"is_synthetic": true' in json.dumps(spec)]
    assert synthetic, "the demo store draws no synthetic mark: the test would not see how they are drawn"
    found = {}
    for name, spec in specs:
        if problems := mark_problems(spec):
            found.setdefault(f"{name}: {spec.get('title') or spec.get('layer', [{}])[0].get('title')}", set()).update(problems)
    assert not found, json.dumps({k: sorted(v) for k, v in found.items()}, ensure_ascii=False, indent=1)


def test_every_series_coloured_on_a_chart_keeps_its_legend(built):
    """A chart that colours its series by a field says what each colour means: its outline (stroke) on the same field
    shares the colour's legend. With the stroke's legend off, the browser drew no legend for the colours at all
    (« prévue » and « réalisée » told apart by colour alone), though the PNG did."""
    specs, _deck = built
    coloured, found = 0, []
    for name, spec in specs:
        for encoding in charts._encodings(spec):
            colour, stroke = encoding.get("color"), encoding.get("stroke")
            if not (isinstance(colour, dict) and colour.get("field") and colour.get("legend", {}) is not None):
                continue
            coloured += 1
            if isinstance(stroke, dict) and stroke.get("field") == colour["field"] and stroke.get("legend", {}) is None:
                found.append(f"{name}: {spec.get('title') or spec.get('layer', [{}])[0].get('title')}")
    assert coloured, "no chart colours its series by a field: the test would see nothing"
    assert not found, found


def test_the_decks_native_charts_draw_every_series_and_point_at_3_to_1(built):
    """A deck chart's series and its synthetic points: the outline when it has one, else the fill, on a white slide."""
    _specs, deck = built
    ns = {
        "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    }
    seen, low = 0, []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            for part in shape.chart._chartSpace.xpath(".//c:ser/c:spPr | .//c:dPt/c:spPr | .//c:marker/c:spPr"):
                line = part.find("a:ln/a:solidFill/a:srgbClr", ns)
                fill = part.find("a:solidFill/a:srgbClr", ns)
                edge = line if line is not None else fill
                if edge is None:
                    continue
                seen += 1
                colour = "#" + edge.get("val")
                if contrast(colour, "#FFFFFF") < MARKS:
                    low.append(f"slide {number}: {colour} {contrast(colour, '#FFFFFF'):.2f}:1")
    assert seen and not low, low


def test_status_colours_carry_white_words_at_4_5_to_1_in_the_deck_and_the_dossier():
    """A status is written in white on its colour in the deck's key-figures table, and the dossier's dots are the same
    colours: both read them from the pages' STATUS_COLOURS (the old amber and grey gave white words 2,7:1)."""
    import re

    from smartdash.export import slides

    for status, colour in charts.STATUS_COLOURS.items():
        assert slides.RAG[status] == colour.removeprefix("#")
        assert contrast(colour, "#FFFFFF") >= TEXT, (status, colour)
    template = (ROOT / "smartdash" / "export" / "board_pack.typ").read_text(encoding="utf-8")
    typst = dict(re.findall(r'(\w+): rgb\("(#[0-9A-Fa-f]{6})"\)', template.split("#let status-colours", 1)[1].split("\n")[0]))
    assert typst == {("other" if status is None else status): colour for status, colour in charts.STATUS_COLOURS.items()}
