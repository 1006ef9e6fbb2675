"""The deck as a screen reader gets it: each slide's title a real title read first, every chart and picture described."""

import datetime as dt
import io

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from smartdash.export.slides import build_deck
from smartdash.views import Filters

END = dt.date(2026, 11, 22)


def description(shape) -> str | None:
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")


def described(slide) -> list:
    """The slide's charts and pictures: what must carry a text alternative."""
    return [s for s in slide.shapes if s.has_chart or s.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.fixture(scope="module", params=["fr", "en"])
def deck(request, demo_store):
    data, info = build_deck(
        demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", request.param), role="viewer"
    )
    return request.param, Presentation(io.BytesIO(data)), info


def test_every_slide_has_its_title_in_a_title_placeholder_read_first_and_its_footer_last(deck):
    _lang, prs, info = deck
    assert len(prs.slides) == len(info.titles)
    for slide, title in zip(prs.slides, info.titles, strict=True):
        shapes = list(slide.shapes)  # the spTree's order: the order a screen reader follows
        assert shapes[0].is_placeholder and shapes[0].placeholder_format.type == PP_PLACEHOLDER.TITLE, title
        assert shapes[0].text_frame.text == title
        assert shapes[-1].text_frame.text.startswith("smartdash · "), title  # the footer, at the bottom, is read last


def test_every_chart_and_picture_says_its_title_and_its_figures(deck):
    lang, prs, info = deck
    shown = [(slide, title, shape) for slide, title in zip(prs.slides, info.titles, strict=True) for shape in described(slide)]
    assert len(shown) >= 10 and any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for _sl, _t, s in shown)
    for _slide, title, shape in shown:
        text = description(shape)
        named = shape.chart.chart_title.text_frame.text if shape.has_chart and shape.chart.has_title else title
        assert text and text.startswith(named), (title, text)
        assert any(c.isdigit() for c in text[len(named) :]), (title, text)  # its figures, not its title alone
        if shape.has_chart and len(shape.chart.plots[0].series) > 1:
            names = [s.name for s in shape.chart.plots[0].series]
            assert all(name in text for name in names), (title, text)  # each series said by its name
    bridge = next(description(shape) for _s, _t, shape in shown if shape.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert not any(f" {kind} " in bridge for kind in ("level", "up", "down"))  # its steps by their amounts, not codes
    equity = next(text for _s, title, shape in shown if title.startswith(("Capitaux", "Equity")) and (text := description(shape)))
    actual = "Réel" if lang == "fr" else "Actual"
    assert f"{actual} " in equity and "(2025)" in equity  # the actual's latest value, before the plan's end, is said


def test_a_template_without_a_title_only_layout_still_gives_every_slide_a_real_title(demo_store, tmp_path):
    template = Presentation()
    for layout in list(template.slide_layouts):
        if layout.name == "Title Only":
            template.slide_layouts.remove(layout)  # its place goes to a layout without a title
    for number, layout in enumerate(template.slide_layouts):
        layout.name = f"Organisation {number}"
    template.save(str(tmp_path / "org.pptx"))
    data, info = build_deck(
        demo_store.engine,
        filters=Filters("SMARTFR", END, "previous", "PLAN-2024-06"),
        role="viewer",
        template=tmp_path / "org.pptx",
    )
    for slide, title in zip(Presentation(io.BytesIO(data)).slides, info.titles, strict=True):
        assert slide.shapes.title is not None and slide.shapes.title.text == title
