"""The A4 dossier as a screen reader gets it: PDF/A-2a and PDF/UA-1 as Typst enforces them, read back from the file."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from smartdash.export import pdf
from smartdash.export.pdf import Pack, render
from smartdash.views import Filters

END = dt.date(2026, 11, 22)


def blocks(pack: Pack, kind: str) -> list[dict]:
    """The pack's blocks of one kind, in the order they are printed."""

    def walk(items: list[dict]) -> list[dict]:
        return [x for b in items for x in (walk(b["blocks"]) if b["kind"] == "keep" else [b] if b["kind"] == kind else [])]

    return [b for section in pack.sections for b in walk(section.blocks)]


def elements(node) -> list[DictionaryObject]:
    """The structure elements under `node`, depth first: the reading order."""
    node = node.get_object()
    kids = node.get("/K")
    kids = [] if kids is None else kids if isinstance(kids, ArrayObject) else [kids]
    found = []
    for kid in kids:
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            found += [kid, *elements(kid)]
    return found


def children(element: DictionaryObject, tag: str) -> list[DictionaryObject]:
    return [e for e in elements(element) if e["/S"] == tag]


@pytest.fixture(scope="module", params=["fr", "en"])
def dossier(request, demo_store):
    lang = request.param
    pack = pdf.compose(demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", lang), role="editor")
    return lang, pack, PdfReader(io.BytesIO(render(pack)))


def test_the_dossier_declares_pdf_a_2a_and_pdf_ua_1(dossier):
    _lang, _pack, reader = dossier
    xmp = reader.xmp_metadata.stream.get_data().decode()

    def said(name: str) -> str | None:  # an XMP property, as an element or as an attribute
        match = re.search(rf"<{name}>([^<]*)</{name}>|{name}=\"([^\"]*)\"", xmp)
        return match and (match.group(1) or match.group(2))

    assert (said("pdfaid:part"), said("pdfaid:conformance")) == ("2", "A")
    assert said("pdfuaid:part") == "1"


def test_the_dossier_is_tagged_in_its_language(dossier):
    lang, pack, reader = dossier
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == lang
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # a reader shows the title, not the file name
    assert reader.metadata.title == pack.meta["title"]
    assert "/StructTreeRoot" in catalog


def test_every_chart_is_a_figure_with_its_text_alternative_in_the_printed_order(dossier):
    lang, pack, reader = dossier
    tree = elements(reader.trailer["/Root"]["/StructTreeRoot"])
    figures = [e for e in tree if e["/S"] == "/Figure"]
    charts = blocks(pack, "chart")
    assert len(charts) >= 10  # every section that draws one
    assert all(f.get("/Alt", "").strip() for f in figures)
    assert [str(f["/Alt"]) for f in figures] == [c["alt"] for c in charts]
    said = "Dernières valeurs" if lang == "fr" else "Latest values"
    assert any(said in c["alt"] for c in charts)  # the alternative says the figures, not only the title
    assert len([e for e in tree if e["/S"] == "/H1"]) == len(pack.sections) + 1  # the contents' heading, then each section's


def test_every_tables_header_row_is_tagged_as_header_cells(dossier):
    _lang, pack, reader = dossier
    tables = [e for e in elements(reader.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/Table"]
    declared = blocks(pack, "table")
    assert len(tables) == len(declared) > 0
    for table, block in zip(tables, declared, strict=True):
        head = children(table, "/THead")
        assert len(head) == 1, block["table"]
        assert [len(children(row, "/TH")) for row in children(head[0], "/TR")] == [len(block["header"])], block["table"]
        body = children(table, "/TBody")
        assert len(body) == 1 and not children(body[0], "/TH"), block["table"]  # the body's cells are data cells
        assert len(children(body[0], "/TR")) == len(block["rows"]), block["table"]


def test_a_chart_without_a_text_alternative_is_refused_by_the_typesetter():
    pack = Pack(
        lang="fr",
        meta={
            "lang": "fr",
            "title": "Essai",
            "organisation": "smartdash",
            "cover": ["Couverture"],
            "confidential": "Confidentiel",
            "toc_title": "Sommaire",
            "footer": "Pied de page",
            "page_word": "page",
        },
    )
    section = pack.section("notes")
    square = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    pack.charts["chart-1.svg"] = square
    section.add("chart", file="chart-1.svg", width=50, alt="Un carré noir.")
    assert render(pack).startswith(b"%PDF")
    section.blocks[-1]["alt"] = ""
    with pytest.raises(RuntimeError, match="missing alt text"):
        render(pack)
