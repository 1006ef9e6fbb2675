"""The dossier's tables, read back from the PDF as tables: every table of every section, as declared, row by row.

A table is found on the page by what the typesetter drew: its header's shaded cells give the columns, the rule under
each row gives the rows; the text is then read cell by cell inside that grid (pdfplumber). A table that lost a
header, or whose rows wrapped one cell onto the next row, reads wrong here.
"""

import datetime as dt
import io
import re

import pdfplumber
import pytest

from smartdash import formatting, queries
from smartdash.db import session_scope
from smartdash.export import pdf
from smartdash.export.pdf import Pack, Section, compose, render
from smartdash.present import tables
from smartdash.views import Filters

HEADER_FILL = (0.953, 0.957, 0.965)  # the header row's shade in board_pack.typ, rgb("#F3F4F6")
FOOTER = 56  # pt: the page's bottom margin (20 mm) holds the footer and its rule
VARIANTS = [(day, lang) for day in ("2023-12-31", "latest") for lang in ("fr", "en")]


def _shaded(colour) -> bool:
    return (
        isinstance(colour, tuple | list)
        and len(colour) == 3
        and all(abs(a - b) < 0.003 for a, b in zip(colour, HEADER_FILL, strict=True))
    )


def tables_read(data: bytes) -> list[tuple[int, list[list[str]]]]:
    """Every table fragment of the PDF in reading order, as (page number, rows of cells), its header first."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, start=1):
            headers: dict[float, list[dict]] = {}
            for box in page.rects:
                if box["fill"] and _shaded(box["non_stroking_color"]):
                    headers.setdefault(round(box["top"], 1), []).append(box)
            tops = sorted(headers)
            for i, top in enumerate(tops):
                cells = sorted(headers[top], key=lambda b: b["x0"])
                left, right, bottom = cells[0]["x0"], cells[-1]["x1"], max(b["bottom"] for b in cells)
                end = tops[i + 1] if i + 1 < len(tops) else page.height - FOOTER
                rules = sorted(
                    {
                        round(line["top"], 1)
                        for line in page.lines
                        if abs(line["top"] - line["bottom"]) < 0.1
                        and line["linewidth"] > 0.1
                        and abs(line["x0"] - left) < 1
                        and abs(line["x1"] - right) < 1
                        and bottom - 1 < line["top"] < end
                    }
                )
                grid = page.extract_table(
                    {
                        "vertical_strategy": "explicit",
                        "horizontal_strategy": "explicit",
                        "explicit_vertical_lines": [b["x0"] for b in cells] + [right],
                        "explicit_horizontal_lines": [top, *rules],
                    }
                )
                found.append((number, [[_text(c) for c in row] for row in grid or []]))
    return found


def _text(cell: str | None) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", cell or "").strip()


def _bare(cell: str) -> str:
    """A cell without any space: a cell wrapped over lines reads the same as the one-line text."""
    return re.sub(r"[\s\u00a0\u202f]+", "", cell)


def pack_tables(pack: Pack) -> list[tuple[str, dict]]:
    """Every table the pack holds, section by section, in order: (section key, table block)."""

    def walk(blocks):
        for b in blocks:
            if b["kind"] == "table":
                yield b
            elif b["kind"] == "keep":
                yield from walk(b["blocks"])

    return [(section.key, b) for section in pack.sections for b in walk(section.blocks)]


@pytest.fixture(scope="module")
def dossiers(demo_store):
    """The dossier at 31/12/2023 and at the latest date, in French and English: its pack and its PDF, built once."""
    with session_scope(demo_store.engine) as s:
        latest = queries.latest_data_date(session=s)
        days = {"2023-12-31": dt.date(2023, 12, 31), "latest": latest}
        versions = {key: queries.version_in_force(session=s, on=day) for key, day in days.items()}
    out = {}
    for key, lang in VARIANTS:
        pack = compose(demo_store.engine, filters=Filters(None, days[key], "meeting", versions[key], lang), role="editor")
        data = render(pack, archival=False)
        out[key, lang] = (pack, tables_read(data))
    return out


@pytest.mark.parametrize(("day", "lang"), VARIANTS)
def test_every_table_of_every_section_reads_back_as_declared(dossiers, day, lang):
    pack, read = dossiers[day, lang]
    expected = pack_tables(pack)
    assert {key for key, _b in expected} >= {"summary", "funding", "execution", "membership", "receivables", "sources"}
    fragments = iter(read)
    for section, block in expected:
        spec = tables.TABLES[block["table"]]
        declared = spec.headers(lang)
        assert block["header"] == declared and len(block["widths"]) == len(declared), (section, spec.key)
        rows: list[list[str]] = []
        while len(rows) < len(block["rows"]):  # a table split across pages repeats its header on each
            page, fragment = next(fragments, (None, None))
            assert fragment is not None, f"{section}/{spec.key}: {len(rows)} rows of {len(block['rows'])} found"
            assert fragment[0] == declared, f"{section}/{spec.key} page {page}: header {fragment[0]}, declared {declared}"
            for row in fragment[1:]:
                assert len(row) == len(declared), (section, spec.key, page, row)
            rows += fragment[1:]
        assert [[_bare(c) for c in row] for row in rows] == [[_bare(c) for c in row] for row in block["rows"]], (
            f"{section}/{spec.key}: the rows read back differ from the rows written"
        )
    assert next(fragments, None) is None, "a table in the PDF that the pack does not hold"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_offices_read_in_their_declared_columns(dossiers, lang):
    _pack, read = dossiers["2023-12-31", lang]
    headers = tables.OFFICES.headers(lang)
    rows = [row for _page, fragment in read if fragment[0] == headers for row in fragment[1:]]
    antwerp = rows[0]
    # SmartCoop's 2023 annual report: Anvers, Flanders, 822 members, 5 advisers (164 per adviser)
    assert antwerp[:5] == ["Anvers", "Flandre", "822", "5", "164"]
    assert antwerp[headers.index(tables.ORIGIN.header_in(lang))] == (
        "SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau"
    )
    assert [r[0] for r in rows][:3] == ["Anvers", "Gand", "Bruxelles"]
    assert rows[2][2] == _text(formatting.number(10221, lang=lang))


def test_a_row_that_does_not_fit_its_declaration_is_refused():
    section = Section("membership", "Sociétariat")
    row = ["Anvers", "Flandre", "822", "5", "164", ""]  # the origin cell left out
    with pytest.raises(tables.TableMismatch, match="row 1 has 6 cells, the declaration 7"):
        pdf.table(section, tables.OFFICES, [row], lang="fr")
    frame = tables.OFFICES.frame(
        {k: [v] for k, v in zip(tables.OFFICES.keys, row, strict=False)}, "fr", is_synthetic=[False], sources=["x"]
    )
    with pytest.raises(tables.TableMismatch, match="frame columns"):
        pdf.table(section, tables.OFFICES, frame.iloc[:, :-1], lang="fr")
    with pytest.raises(tables.TableMismatch, match="missing"):
        tables.OFFICES.frame({"office": ["Anvers"]}, "fr", is_synthetic=[False], sources=["x"])
    assert section.blocks == []


def test_the_typesetter_refuses_a_table_whose_rows_do_not_fit_its_columns():
    pack = Pack(lang="fr", meta={"lang": "fr", "title": "t", "organisation": "o", "cover": [], "confidential": "c",
                                 "toc_title": "s", "footer": "f", "page_word": "page"})  # fmt: skip
    section = pack.section("membership")
    pdf.table(section, tables.OFFICES, [["Anvers", "Flandre", "822", "5", "164", "", "x"]], lang="fr")
    render(pack, archival=False)
    section.blocks[0]["rows"][0].pop()  # what the dossier used to send: one cell fewer than the columns
    with pytest.raises(RuntimeError, match="a row has 6 cells for 7 columns"):
        render(pack, archival=False)


def test_the_deck_draws_the_declared_key_indicators(demo_store):
    from pptx import Presentation

    from smartdash.export.slides import build_deck

    with session_scope(demo_store.engine) as s:
        latest = queries.latest_data_date(session=s)
        version = queries.version_in_force(session=s, on=latest)
    data = build_deck(demo_store.engine, filters=Filters(None, latest, "meeting", version, "en"), role="viewer")[0]
    shown = [
        shape.table
        for slide in Presentation(io.BytesIO(data)).slides
        for shape in slide.shapes
        if shape.has_table and slide.shapes.title.text.startswith("Key indicators")  # other tables start with "Indicator" too
    ]
    assert shown and all([c.text for c in t.rows[0].cells] == tables.SUMMARY.headers("en") for t in shown)
    widths = [c.width for c in shown[0].columns]
    declared = tables.SUMMARY.widths
    assert all(abs(w / sum(widths) - d / sum(declared)) < 0.01 for w, d in zip(widths, declared, strict=True))


def test_the_page_shows_the_offices_as_declared(demo_store, app_env):
    from tests.test_pages import END_2023, open_page

    app_env(demo_store.url)
    at = open_page("membership", filter_as_of=END_2023)
    offices = next(d.value for d in at.dataframe if list(d.value.columns) == tables.OFFICES.headers("fr"))
    assert list(offices.iloc[0])[:5] == ["Anvers", "Flandre", "822", "5", "164"]
