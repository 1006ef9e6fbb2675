"""The deck as a member reads it on the screen: no shape of a slide over another (a list over the footnote, a title
over its subtitle), every title on one line, every list within its box by the deck's own measure, and every key
figure, attention item, watched change and load of the outputs it is built from on a slide. What one slide cannot
hold goes on over the next, « (1/2) », « (2/2) »: it is never cut."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from pptx import Presentation
from pptx.util import Emu

from smartdash import queries
from smartdash.db import session_scope
from smartdash.export import slides
from smartdash.export.slides import build_deck
from smartdash.present import meetings as meetings_text
from smartdash.present import overview as overview_text
from smartdash.present import tables
from smartdash.views import Filters
from smartdash.views import meetings as meetings_views
from smartdash.views import overview as overview_views
from smartdash.views import rules as rules_views

DATES = (dt.date(2026, 11, 22), dt.date(2023, 12, 31))
READINGS = [(on, lang) for on in DATES for lang in ("fr", "en")]


@pytest.fixture(scope="module")
def built(demo_store):
    """(presentation, what the deck says of itself, its filters) for each date and language."""
    out = {}
    for on, lang in READINGS:
        with session_scope(demo_store.engine) as s:
            filters = Filters(None, on, "previous", queries.version_in_force(session=s, on=on), lang)
        data, info = build_deck(demo_store.engine, filters=filters, role="viewer")
        out[(on, lang)] = (Presentation(io.BytesIO(data)), info, filters)
    return out


def reading_id(reading) -> str:
    return f"{reading[0]:%Y-%m-%d}-{reading[1]}"


def section_slides(prs, info, key: str) -> list:
    return [slide for number, slide in enumerate(prs.slides, start=1) if info.sections.get(number) == key]


def bullets(slide) -> list[str]:
    """The lines of the slide's lists, without their dots."""
    return [
        p.text.removeprefix("● ")
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if p.text.startswith("● ")
    ]


@pytest.mark.parametrize("reading", READINGS, ids=reading_id)
def test_no_shape_of_a_slide_lies_over_another(built, reading):
    prs, _info, _filters = built[reading]
    for number, slide in enumerate(prs.slides, start=1):
        shapes = list(slide.shapes)
        for i, a in enumerate(shapes):
            for b in shapes[i + 1 :]:
                apart = (
                    a.left + a.width <= b.left
                    or b.left + b.width <= a.left
                    or a.top + a.height <= b.top
                    or b.top + b.height <= a.top
                )
                assert apart, (
                    f"slide {number} « {slide.shapes.title.text} »: {a.name} ({Emu(a.top).inches:.2f}–"
                    f"{Emu(a.top + a.height).inches:.2f} in) over {b.name} ({Emu(b.top).inches:.2f}–"
                    f"{Emu(b.top + b.height).inches:.2f} in)"
                )


@pytest.mark.parametrize("reading", READINGS, ids=reading_id)
def test_every_title_holds_on_one_line_and_every_subtitle_and_list_within_its_box(built, reading):
    prs, _info, filters = built[reading]
    deck = slides.Deck(None, filters.lang, "")  # the deck's own measure of a line's rows
    for slide in prs.slides:
        title = slide.shapes.title
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        assert deck.rows(title.text, size) == 1, title.text
        for sub in (shape for shape in slide.shapes if shape.has_text_frame and shape.top == slides.SUBTITLE_TOP):
            size = sub.text_frame.paragraphs[0].runs[0].font.size
            needed = deck.rows(sub.text_frame.text, size.pt) * size * 1.2 + slides.TEXT_INSETS
            assert needed <= sub.height, f"« {title.text} »: its subtitle needs {Emu(needed).inches:.2f} in"
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.startswith("● "):
                continue
            paragraphs = shape.text_frame.paragraphs
            needed = sum(deck.bullet_height(p.text.removeprefix("● "), p.runs[-1].font.size.pt) for p in paragraphs)
            assert needed <= shape.height, (
                f"« {title.text} »: its list needs {Emu(needed).inches:.2f} in of {Emu(shape.height).inches:.2f}"
            )


@pytest.mark.parametrize("reading", READINGS, ids=reading_id)
def test_every_key_figure_and_attention_item_is_on_a_slide(built, demo_store, reading):
    prs, info, filters = built[reading]
    with session_scope(demo_store.engine) as s:
        tiles = overview_views.overview_tiles(session=s, filters=filters)
        attention = rules_views.attention_items(session=s, filters=filters, tiles=tiles)
    rows = [
        (table.cell(r, 0).text, table.cell(r, 1).text)
        for slide in section_slides(prs, info, "summary")
        for table in (shape.table for shape in slide.shapes if shape.has_table)
        for r in range(1, len(table.rows))
    ]
    assert sorted(rows) == sorted((overview_text.tile_label(t, filters.lang), t.entity_name) for t in tiles)
    listed = [line for slide in section_slides(prs, info, "attention") for line in bullets(slide)]
    assert attention and listed == [overview_text.attention_text(a, filters.lang) for a in attention]


def test_every_watched_change_and_load_since_the_meeting_is_on_a_slide(demo_store, monkeypatch):
    """More changes and loads than a slide holds (the deck once kept the first 6 and the first 4): all of them, on
    as many slides as they need."""
    on = DATES[0]
    real = meetings_views.since_meeting

    def busy(**kwargs):
        view = real(**kwargs)
        loads = [
            meetings_views.LoadSince(i, dt.datetime(2026, 11, 1, 9), "editor", "observations", f"semaine-{i}.csv", 1, 0, False)
            for i in range(1, 8)
        ]
        return replace(view, watch=view.watch * 9, loads=loads)

    monkeypatch.setattr(meetings_views, "since_meeting", busy)
    with session_scope(demo_store.engine) as s:
        filters = Filters(None, on, "previous", queries.version_in_force(session=s, on=on), "fr")
        view = meetings_views.since_meeting(session=s, filters=filters)
    data, info = build_deck(demo_store.engine, filters=filters, role="viewer")
    prs = Presentation(io.BytesIO(data))
    listed = [line for slide in section_slides(prs, info, "since_meeting") for line in bullets(slide)]
    assert view.watch and all(listed.count(meetings_text.watch_text(w, "fr")) == 9 for w in view.watch[:1])
    assert all(any(f"semaine-{i}.csv" in line for line in listed) for i in range(1, 8))


@pytest.mark.parametrize("count", [1, 12, 45])
def test_a_long_table_goes_over_as_many_slides_as_it_needs_each_above_its_footnote(count):
    """45 offices (the demo has 10): every row on a slide, the header on each, no table down into the footnote."""
    deck = slides.Deck(None, "fr", "")
    spec = tables.OFFICES_CHANGE
    rows = [[f"Bureau n° {i}", *["1 234"] * (len(spec.keys) - 2), "démo / synthétique"] for i in range(count)]
    pages = deck.table_pages(spec, rows, lang="fr", size=10)
    assert [row for page in pages for row in rows[page]] == rows
    for page in pages:
        slide = deck.slide("Bureaux")
        deck.table(slide, spec, rows[page], lang="fr", size=10)
        [table] = [shape for shape in slide.shapes if shape.has_table]
        assert table.top + table.height <= deck.height - slides.FOOTNOTE_ROOM
        assert [c.text for c in table.table.rows[0].cells] == spec.headers("fr")
    sizes = [page.stop - page.start for page in pages]
    assert max(sizes) - min(sizes) <= 1  # in equal shares
