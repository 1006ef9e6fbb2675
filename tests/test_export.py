"""The board pack and the chart and table exports."""

import datetime as dt
import html
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from streamlit.testing.v1 import AppTest

from smartdash import charts, queries
from smartdash.db import session_scope
from smartdash.export.images import chart_png, chart_svg
from smartdash.export.pdf import compose
from smartdash.export.sections import SECTIONS
from smartdash.export.slides import build_deck
from smartdash.export.tables import csv_bytes, neutralise, xlsx_bytes
from smartdash.metrics.funding import OnePlusOneDefinition, one_plus_one_coverage
from smartdash.views import Filters
from smartdash.views import overview as overview_views
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
END = dt.date(2026, 11, 22)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of a workbook's dates


@pytest.fixture(scope="module")
def decks(demo_store):
    out = {}
    for lang in ("fr", "en"):
        data, info = build_deck(demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", lang), role="viewer")
        out[lang] = (Presentation(io.BytesIO(data)), info)
    return out


def slide_title(slide) -> str:
    return slide.shapes.title.text


def charts_of(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def section_slides(info) -> dict[str, list[str]]:
    """Each section's slide titles, in the deck's order."""
    shown: dict[str, list[str]] = {}
    for number in sorted(info.sections):
        shown.setdefault(info.sections[number], []).append(info.titles[number - 1])
    return shown


def test_every_registered_deck_section_is_in_the_deck_in_the_registrys_order(demo_store):
    """Every section with a deck builder gives the deck its slides, together and in the registry's order, after the
    title and the agenda (notes given, so that the notes section has something to show)."""
    data, info = build_deck(
        demo_store.engine,
        filters=Filters(None, END, "previous", "PLAN-2024-06", "fr"),
        role="viewer",
        notes=[("Une note du comité", None)],
    )
    prs = Presentation(io.BytesIO(data))
    assert [slide_title(s) for s in prs.slides] == info.titles
    assert info.titles[:2] == ["Comité de suivi du plan de continuation", "Ordre du jour"]
    assert sorted(info.sections) == list(range(3, len(prs.slides) + 1))  # every other slide belongs to a section
    assert list(section_slides(info)) == [s.key for s in SECTIONS if s.deck is not None]


def test_the_deck_has_its_sections_in_order(decks, demo_store):
    prs, info = decks["fr"]
    assert [slide_title(s) for s in prs.slides] == info.titles
    # the registry's order, a section left out only when it has nothing to show (no note at these figures' date)
    shown = section_slides(info)
    assert list(shown) == [s.key for s in SECTIONS if s.deck is not None and s.key != "notes"]
    with session_scope(demo_store.engine) as s:
        names = [name for _code, name in overview_views.tile_entities(session=s, entity=None)]
    # one equity slide per entity under the plan, then the first one's bridge of its latest year
    assert shown["equity"] == [f"Capitaux propres — {name} (€)" for name in names] + [
        "Pont des capitaux propres 2025 — SmartFr (€)"
    ]
    assert shown["since_meeting"][0] == "Depuis la réunion du 15 septembre 2026"
    assert shown["receivables"] == ["Créances par ancienneté et DSO — SmartCoop"]
    assert shown["sources"] == ["Annexe : sources des chiffres"]
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 13,333 × 7,5 in: 16:9
    assert info.synthetic
    appendix = " ".join(shape.text_frame.text for shape in prs.slides[-1].shapes if shape.has_text_frame)
    assert "Données de démonstration" in appendix
    cover = " ".join(shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame)
    assert "Confidentiel" in cover and "Chiffres au 22 novembre 2026" in cover


def test_the_deck_in_english_has_english_titles(decks):
    prs, _info = decks["en"]
    titles = [slide_title(s) for s in prs.slides]
    unpaged = list(dict.fromkeys(re.sub(r" \(\d+/\d+\)$", "", t) for t in titles))  # « (1/2) »: one section, two slides
    assert unpaged[:4] == ["Continuation plan committee", "Agenda", "Key indicators", "What needs attention"]
    assert "Equity — SmartFr (€)" in titles and "Appendix: sources of the figures" in titles


def test_charts_are_native_with_the_stores_figures(decks, demo_store):
    prs, _info = decks["fr"]
    by_title = {slide_title(s): s for s in prs.slides}
    [equity] = charts_of(by_title["Capitaux propres — SmartFr (€)"])
    # a line chart; its reference lines (zero, half the share capital) have no markers, which python-pptx reads as LINE
    assert equity.chart_type in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE)
    actual = next(s for s in equity.plots[0].series if s.name == "Réel")
    with session_scope(demo_store.engine) as s:
        stored = queries.observations(session=s, indicators=["EQUITY"], entities=["SMARTFR"], until=END)
        lines = queries.contributions(session=s, plan_version="PLAN-2024-06")
    years = list(equity.plots[0].categories)
    shown = {int(y): v for y, v in zip(years, actual.values, strict=True) if v is not None}
    assert shown == {d.year: float(v) for d, v in zip(stored["period_end"], stored["value"], strict=True)}
    [coverage] = charts_of(by_title["Règle du 1+1 : couverture à date"])
    assert coverage.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    planned = one_plus_one_coverage(lines, OnePlusOneDefinition(), as_of=END)  # planned to the same date
    assert coverage.plots[0].series[0].name == "prévue au 22/11/2026"
    assert list(coverage.plots[0].series[0].values) == pytest.approx([float(v) for v in planned["coverage"]])
    [members] = charts_of(by_title["Membres par conseiller, par bureau"])
    assert members.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    pictures = [sh for sh in by_title["Pont des capitaux propres 2025 — SmartFr (€)"].shapes if sh.shape_type == 13]
    assert len(pictures) == 1  # the waterfall, which PowerPoint cannot draw natively, is an image


def test_the_summary_table_colours_each_status(decks):
    prs, _info = decks["fr"]
    slide = next(s for s in prs.slides if slide_title(s).startswith("Synthèse des indicateurs clés"))
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    statuses = [table.cell(r, 6).text for r in range(1, len(table.rows))]
    assert any(t.startswith("rouge") for t in statuses) and any(t.startswith("vert") for t in statuses)
    red = next(r for r in range(1, len(table.rows)) if table.cell(r, 6).text.startswith("rouge"))
    assert str(table.cell(red, 6).fill.fore_color.rgb) == "C62828"


def test_export_slides_from_the_command_line(demo_store, tmp_path):
    out = tmp_path / "deck.pptx"
    env = dict(os.environ, SMARTDASH_DATABASE_URL=demo_store.url)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "smartdash",
            "export",
            "slides",
            "--out",
            str(out),
            "--as-of",
            "2023-12-31",
            "--lang",
            "en",
            "--entity",
            "SMARTFR",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    titles = [slide_title(s) for s in Presentation(str(out)).slides]
    assert titles[0] == "Continuation plan committee" and "Equity — SmartFr (€)" in titles
    assert "Equity — Alterna (€)" not in titles


def test_a_replacement_template_is_used(demo_store, tmp_path):
    template = tmp_path / "org.pptx"
    Presentation().save(str(template))  # 4:3, python-pptx's own master
    data, info = build_deck(
        demo_store.engine, filters=Filters("SMARTFR", END, "previous", "PLAN-2024-06"), role="viewer", template=template
    )
    prs = Presentation(io.BytesIO(data))
    assert prs.slide_width == 9144000 and len(prs.slides) == len(info.titles)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("-4\u202f756\u202f589\u00a0€", "-4\u202f756\u202f589\u00a0€"),
        ("-3,5\u00a0%", "-3,5\u00a0%"),
        ("SmartFr", "SmartFr"),
        (12, 12),
    ],
)
def test_formula_injection_is_neutralised(cell, expected):
    assert neutralise(cell) == expected


def test_csv_and_xlsx_exports_are_inert_and_french():
    frame = pd.DataFrame(
        {"Client": ["=cmd|' /C calc'!A0", "Atelier Lys"], "Montant échu": ["1\u202f000,00\u00a0€", "-50,00\u00a0€"]}
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["Client;Montant échu", "'=cmd|' /C calc'!A0;1\u202f000,00\u00a0€", "Atelier Lys;-50,00\u00a0€"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Clients": frame}))).active
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet.title == "Clients" and sheet["B1"].value == "Montant échu"


def test_a_chart_exports_as_png_and_svg_with_french_numbers():
    frame = pd.DataFrame(
        {
            "period_end": [dt.date(2024, 12, 31), dt.date(2025, 12, 31)],
            "value": [Decimal("-4756589"), Decimal("1500000")],
            "series": "Réel",
            "dashed": False,
        }
    )
    chart = charts.trajectory_chart(frame, unit="EUR", title="Capitaux propres (€)", lang="fr")
    png = chart_png(chart, lang="fr")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = chart_svg(chart, lang="fr")
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert svg.lstrip().startswith("<svg") and "−5 M€" in labels and "1 M€" in labels and "0 €" in labels


def test_the_export_page_builds_the_deck_with_progress(demo_store, app_env):
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)).run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    at.button(key="export_build").click().run()
    assert not at.exception
    # as many slides as the deck's registered sections gave (a section added must not break this page's test)
    assert re.fullmatch(r"\d+ diapositives, chiffres au 22 novembre 2026\.", at.success[0].value)
    assert "démonstration" in at.warning[-1].value


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_every_slide_with_figures_cites_its_sources_and_marks_synthetic_ones(decks):
    prs, info = decks["fr"]
    for number, slide in enumerate(prs.slides, start=1):
        if any(shape.has_chart or shape.has_table or shape.shape_type == 13 for shape in slide.shapes):
            assert number in info.origins, slide_title(slide)  # a chart, table or picture has its footnote
        text = slide_text(slide)
        if number in info.origins:
            assert "Sources : " in text, slide_title(slide)
            assert ("✱ démo / synthétique" in text) == info.origins[number].synthetic, slide_title(slide)
        else:
            assert "Sources : " not in text and "démo / synthétique" not in text, slide_title(slide)
    by_title = {slide_title(s): n for n, s in enumerate(prs.slides, start=1)}
    assert info.origins[by_title["Créances par ancienneté et DSO — SmartCoop"]].synthetic  # generated open items
    english = " ".join(slide_text(s) for s in decks["en"][0].slides)
    assert "✱ demo / synthetic" in english and "Sources: " in english


def test_the_receivables_slide_draws_the_dso_against_the_belgian_payment_terms(decks):
    prs, _info = decks["fr"]
    slide = next(s for s in prs.slides if slide_title(s).startswith("Créances"))
    ageing, trend = charts_of(slide)
    names = [s.name for s in trend.plots[0].series]
    assert names[0] == "DSO" and len(names) == 3
    assert [set(s.values) for s in list(trend.plots[0].series)[1:]] == [{30.0}, {60.0}]
    assert "loi du 2 août 2002" in slide_text(slide)


def test_the_deck_at_end_2023_cites_the_annual_report_for_the_membership_slide(demo_store):
    data, info = build_deck(
        demo_store.engine, filters=Filters(None, dt.date(2023, 12, 31), "previous", "PLAN-2021-11", "fr"), role="viewer"
    )
    prs = Presentation(io.BytesIO(data))
    number, slide = next(
        (n, s) for n, s in enumerate(prs.slides, start=1) if slide_title(s) == "Membres par conseiller, par bureau"
    )
    assert not info.origins[number].synthetic
    assert "Sources : SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau" in slide_text(slide)


def test_the_appendix_lists_every_cited_source_on_as_many_slides_as_it_needs(demo_store):
    """At the end of 2023 the figures cite more sources than one slide holds: none is dropped, none runs off."""
    from smartdash.export import slides

    data, info = build_deck(
        demo_store.engine, filters=Filters(None, dt.date(2023, 12, 31), "previous", "PLAN-2021-11", "fr"), role="viewer"
    )
    prs = Presentation(io.BytesIO(data))
    appendix = [s for s in prs.slides if slide_title(s).startswith("Annexe : sources des chiffres")]
    assert len(appendix) >= 2 and [slide_title(s) for s in appendix][-1].endswith(f"({len(appendix)}/{len(appendix)})")
    listed = [
        p.text.removeprefix("● ")
        for s in appendix
        for shape in s.shapes
        if shape.has_text_frame and shape != s.shapes.title
        for p in shape.text_frame.paragraphs
        if p.text.startswith("● ")
    ]
    assert sorted(info.sources) == sorted(src for src in listed if src in info.sources)
    assert len(info.sources) >= 14  # the slide used to keep the first 14 (a plan line's source is now cited once)
    deck = slides.Deck(None, "fr", "")  # each appendix slide holds no more than one slide's worth, by the deck's measure
    for s in appendix:
        lines = [
            p.text for shape in s.shapes if shape.has_text_frame and shape != s.shapes.title for p in shape.text_frame.paragraphs
        ]
        bullets = [(t.removeprefix("● "), None) for t in lines if t.startswith("● ")]
        assert deck.bullet_pages(bullets, slides.BODY_TOP, size=13) == [bullets], slide_title(s)


def test_the_agenda_is_built_from_the_registered_sections_and_a_new_section_needs_no_other_change(demo_store, monkeypatch):
    from smartdash.export import sections

    def appendix_b(ctx):
        ctx.deck.slide("Annexe B")

    def appendix_b_printed(ctx):
        ctx.pack.section("extra", "Annexe B").add("text", text="B")

    extra = sections.Section("extra", "Annexe B", "Annexe B", "Annexe B", None, appendix_b, appendix_b_printed)
    monkeypatch.setattr(sections, "SECTIONS", (*sections.SECTIONS, extra))
    data, info = build_deck(demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", "fr"), role="viewer")
    prs = Presentation(io.BytesIO(data))
    agenda = [p.text for shape in prs.slides[1].shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
    agenda = [line for line in agenda if line.startswith("●")]  # the agenda's lines, without the title and footer
    lines = sections.agenda_lines("fr")
    assert agenda[-len(lines) :] == [f"● {i}. {line}" for i, line in enumerate(lines, start=1)]
    assert agenda[-1] == f"● {len(lines)}. Annexe B" and info.titles[-1] == "Annexe B"
    assert info.sections[len(info.titles)] == "extra"
    from smartdash.export import pdf

    pack = pdf.compose(demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", "fr"), role="viewer")
    assert [s.key for s in pack.sections][-1] == "extra" and pack.sections[-1].title == "Annexe B"


def test_the_key_indicators_slide_states_the_thresholds_the_catalogue_sets():
    from decimal import Decimal

    from smartdash.metrics.status import Thresholds
    from smartdash.present.overview import thresholds_phrase

    same = [Thresholds("up", "plan", Decimal(3), Decimal(8)), Thresholds("down", "plan", Decimal(3), Decimal(8)), None]
    assert (
        thresholds_phrase(same, "fr") == "seuils : orange au-delà de 3\u00a0%, rouge au-delà de 8\u00a0% dans le sens défavorable"
    )
    assert thresholds_phrase(same, "en") == "thresholds: amber beyond 3%, red beyond 8% in the unfavourable direction"
    mixed = [Thresholds("up", "plan", Decimal(5), Decimal(10)), Thresholds("up", "plan", Decimal(3), Decimal(10))]
    assert thresholds_phrase(mixed, "fr") == "seuils : ceux de chaque indicateur, fixés dans le catalogue"
    absolute = [Thresholds("up", "absolute", Decimal(0), Decimal(-5))]
    assert thresholds_phrase(absolute, "en") == "thresholds: each indicator's own, as the catalogue sets them"


def test_the_summary_slide_reads_its_thresholds_from_the_tiles_it_shows(decks):
    prs, info = decks["fr"]
    summary = next(s for s in prs.slides if slide_title(s).startswith("Synthèse des indicateurs clés"))
    texts = [shape.text_frame.text for shape in summary.shapes if shape.has_text_frame]
    # the demo's catalogue sets 5 % and 10 % for every indicator
    assert any("seuils : orange au-delà de 5\u00a0%, rouge au-delà de 10\u00a0% dans le sens défavorable" in t for t in texts)


def test_the_execution_slide_names_its_series_in_the_readers_language(decks):
    for lang, names in (("fr", ["dû", "payé"]), ("en", ["due", "paid"])):
        prs, info = decks[lang]
        title = next(t for t in info.titles if t.startswith(("Exécution du plan", "Plan execution")))
        [chart] = charts_of(prs.slides[info.titles.index(title)])
        assert [s.name for s in chart.plots[0].series] == names


def test_the_execution_slide_adds_up_the_instalments_the_dossier_draws_per_entity(decks, packs):
    """The deck draws the instalments chart of every entity together, the page and the dossier one per entity, from the
    same declaration: each bar of the slide is the sum of that year's bars of the entities' charts."""
    from smartdash.present.chart_specs import EXECUTION_INSTALMENTS

    for lang in ("fr", "en"):
        prs, info = decks[lang]
        [(n, together)] = [(n, subject) for n, spec, subject in info.drawn if spec is EXECUTION_INSTALMENTS]
        each = [subject for _name, spec, subject in packs[lang].drawn if spec is EXECUTION_INSTALMENTS]
        assert together.name is None and len(each) > 1 and all(subject.name for subject in each)
        title = EXECUTION_INSTALMENTS.options(together, lang)["title"]
        [chart] = [
            sh.chart
            for sh in prs.slides[n - 1].shapes
            if sh.has_chart and sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr").startswith(title + ".")
        ]
        added: dict[tuple[str, str], Decimal] = {}
        for subject in each:
            for row in EXECUTION_INSTALMENTS.frame(subject, lang).itertuples():
                added[(row.series, str(row.year))] = added.get((row.series, str(row.year)), Decimal(0)) + row.value
        read = {
            (s.name, year): value
            for s in chart.plots[0].series
            for year, value in zip(chart.plots[0].categories, s.values, strict=True)
        }
        assert read == {key: float(value) for key, value in added.items()}


def test_every_section_has_its_heading_agenda_line_and_step_in_both_catalogues():
    """Derived from the section registry: a section added without its messages in a catalogue fails here."""
    from babel.messages.pofile import read_po

    def entries(lang: str) -> dict[str, str]:
        with (ROOT / "smartdash" / "locale" / lang / "LC_MESSAGES" / "smartdash.po").open("rb") as f:
            return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str) and not m.context}

    french, english = entries("fr"), entries("en")
    assert len({s.key for s in SECTIONS}) == len(SECTIONS)
    for section in SECTIONS:
        assert section.deck or section.dossier, section.key  # a section is shown somewhere
        for message in filter(None, (section.title, section.agenda, section.step)):
            assert french.get(message), (section.key, message)
            assert english.get(message) == "", (section.key, message)  # English reads the msgid


def test_every_section_shown_by_an_output_has_its_builder_there_and_no_builder_is_astray():
    """Derived from the section registry: a section declared for the deck or the dossier without its registered
    builder fails here, and a builder registered under a key no section declares for that output is refused."""
    from smartdash.export import pdf, sections, slides  # importing them registers their builders

    assert slides.build_deck and pdf.compose
    assert sections.unbuilt() == []
    for output, register in (("deck", sections.deck_builder), ("dossier", sections.dossier_builder)):
        with pytest.raises(LookupError, match="not declared"):
            register("no_such_section")(lambda ctx: None)
        shown = next(s for s in SECTIONS if getattr(s, output) is not None)
        with pytest.raises(ValueError, match="two"):
            register(shown.key)(lambda ctx: None)
    with pytest.raises(LookupError, match="not declared"):
        sections.deck_builder("corrections")(lambda ctx: None)  # the deck shows no corrections


@pytest.fixture(scope="module")
def packs(demo_store):
    """The dossier's content (not typeset) in each language, at the decks' date."""
    return {
        lang: compose(demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", lang), role="editor")
        for lang in ("fr", "en")
    }


def test_every_declared_chart_says_on_the_slide_and_in_the_dossier_what_the_page_says(decks, packs):
    """Each chart a section declares (present.chart_specs) is drawn by the deck and the dossier from its declaration:
    the deck's native chart, read back from the file, has the declaration's title, categories, series names and
    values, each of which the page's chart says too; the dossier's SVG has its title, its spec the names of its series."""
    declared = list(dict.fromkeys(spec for section in SECTIONS for spec in section.charts))
    assert declared
    for lang in ("fr", "en"):
        prs, info = decks[lang]
        pack = packs[lang]
        for spec in declared:
            on_slides = [(n, subject) for n, drawn, subject in info.drawn if drawn is spec]
            in_dossier = [(name, subject) for name, drawn, subject in pack.drawn if drawn is spec]
            assert on_slides and in_dossier, f"{spec.key} is drawn in the deck and the dossier ({lang})"
            for n, subject in on_slides:
                slide = prs.slides[n - 1]
                title = spec.options(subject, lang)["title"]
                page = json.dumps(spec.chart(subject, lang).to_dict(validate=False), ensure_ascii=False)
                assert json.dumps(title, ensure_ascii=False) in page
                if spec.picture:  # drawn as an image: its text alternative is the chart's
                    [picture] = [sh for sh in slide.shapes if sh.shape_type == 13]
                    assert picture._element.xpath("./*[1]/p:cNvPr")[0].get("descr").startswith(title)
                    continue
                native = spec.native(subject, lang)
                assert native.title == title
                # the slide's chart whose text alternative is this chart's (a slide may hold two with the same series)
                [chart] = [
                    sh.chart
                    for sh in slide.shapes
                    if sh.has_chart and sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr").startswith(title + ".")
                ]
                read = (tuple(chart.plots[0].categories), tuple(s.name for s in chart.plots[0].series))
                # dates (a date axis) read back as the workbook's day numbers
                categories = tuple(c if isinstance(c, str) else f"{(c - EXCEL_EPOCH).days}.0" for c in native.categories)
                assert read == (categories, tuple(s.name for s in native.series)), spec.key
                for drawn, series in zip(chart.plots[0].series, native.series, strict=True):
                    assert list(drawn.values) == [None if v is None else float(v) for v in series.values]
                    # every name the slide gives, the page's chart says (a series, a reference line, its title)
                    assert json.dumps(series.name, ensure_ascii=False) in page, f"{spec.key}: {series.name}"
            for name, subject in in_dossier:
                assert html.escape(spec.options(subject, lang)["title"], quote=False) in pack.charts[name]  # its SVG
                printed = json.dumps(pack.specs[name], ensure_ascii=False)
                for series in [] if spec.picture else spec.native(subject, lang).series:
                    assert json.dumps(series.name, ensure_ascii=False) in printed, f"{spec.key}: {series.name} ({lang})"
