"""A viewer (committee member) never reads a client name, in any output they can reach: every page of the registry
their role may open (and the downloads each offers: tables as CSV and XLSX, charts), the deck and the A4 dossier
built from the board-pack page's buttons and from the library, and the digest. The same builders, for a director,
do hold client names: the check can fail."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import select
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from smartdash import digest, models, queries
from smartdash.auth import CurrentUser, PermissionDenied
from smartdash.db import session_scope
from smartdash.export.pdf import build_pdf
from smartdash.export.slides import build_deck
from smartdash.export.tables import csv_bytes, xlsx_bytes
from smartdash.subscriptions import Subscriber
from smartdash.views import Filters
from smartdash.web import downloads, exports, registry
from tests.conftest import ensure_users, login, shown_tables

ROOT = Path(__file__).resolve().parent.parent
VIEWER = CurrentUser("viewer", "viewer")


@pytest.fixture(scope="module")
def viewer_store(demo_store):
    """The demo store as the app's store, with one account per role; its client names and newest date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMARTDASH_DATABASE_URL", demo_store.url)
        ensure_users(demo_store.url)
        with session_scope(demo_store.engine) as s:
            clients = set(s.scalars(select(models.ReceivableItem.client).distinct()))
            latest = queries.latest_data_date(session=s)
            version = queries.version_in_force(session=s, on=latest)
        assert len(clients) > 50  # the demo's receivables name their clients
        yield demo_store, clients, Filters(None, latest, "meeting", version, "fr")


def named(texts, clients: set[str]) -> set[str]:
    """The client names found in these texts."""
    blob = "\n".join(texts)
    return {c for c in clients if c in blob}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def deck_text(data: bytes) -> str:
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                texts += [str(c) for plot in shape.chart.plots for c in plot.categories]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts)


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def page_texts(at: AppTest) -> list[str]:
    """Everything a page shows: each element as its protocol message, tables and chart data decoded."""
    texts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    texts += [t.to_csv() for t in shown_tables(at)]
    for chart in at.get("vega_lite_chart"):
        texts.append(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False))
        texts += [dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data).to_csv() for d in chart.proto.datasets]
    return texts


def test_every_output_a_viewer_reaches_holds_no_client_name(viewer_store, monkeypatch):
    store, clients, filters = viewer_store
    offered: list[tuple[str, str]] = []  # (where, text) of every table download a page offers
    real_table_buttons = downloads.table_buttons

    def table_buttons(frame, name):
        offered.append((name, csv_bytes(frame).decode("utf-8-sig")))
        offered.append((name, xlsx_text(xlsx_bytes({name: frame}))))
        real_table_buttons(frame, name)

    monkeypatch.setattr(downloads, "table_buttons", table_buttons)
    leaks: dict[str, set[str]] = {}
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180), "viewer").run()
    pages = [page for page in registry.PAGES if page.may_open(VIEWER)]
    assert "pages/receivables.py" in [p.path for p in pages] and "pages/export.py" in [p.path for p in pages]
    for page in pages:
        at.switch_page(page.path).run()
        assert not at.exception, (page.path, at.exception)
        leaks[page.path] = named(page_texts(at), clients)
        if page.path == "pages/export.py":  # the page's own buttons, as the viewer presses them
            at.button(key="export_build").click().run()
            at.button(key="export_pdf_build").click().run()
            assert not at.exception
            leaks["page: deck"] = named([deck_text(at.session_state["export_deck"][0])], clients)
            leaks["page: dossier"] = named([pdf_text(at.session_state["export_pdf"][0])], clients)
    assert offered, "no page offered a table download"
    leaks["downloads"] = named([text for _name, text in offered], clients)

    # the builders themselves, for a viewer
    deck, _info = build_deck(store.engine, filters=filters, role="viewer")
    leaks["deck"] = named([deck_text(deck)], clients)
    dossier, _info = build_pdf(store.engine, filters=filters, role="viewer")
    leaks["dossier"] = named([pdf_text(dossier)], clients)
    with session_scope(store.engine) as s:
        every_entity = tuple(queries.entities(session=s)["code"])  # those with receivables are not all under the plan
        mail = digest.DigestBuilder(s, as_of=filters.as_of, app_url="http://127.0.0.1:8501").build(
            Subscriber("viewer", 0, "viewer", True, None, True, False, every_entity, "fr")
        )
    leaks["digest"] = named([mail.subject, mail.html, mail.text], clients)
    assert {where: found for where, found in leaks.items() if found} == {}

    # a dataset in its import format (every column) is not a viewer's download
    with pytest.raises(PermissionDenied):
        monkeypatch.setattr(exports, "current_user", lambda: VIEWER)
        exports.dataset_export("receivables")()

    # the same builders for a director do name the clients: the checks above could fail
    dossier, _info = build_pdf(store.engine, filters=filters, role="editor")
    assert named([pdf_text(dossier)], clients)
    with session_scope(store.engine) as s:
        mail = digest.DigestBuilder(s, as_of=filters.as_of, app_url="http://127.0.0.1:8501").build(
            Subscriber("editor", 0, "editor", True, None, True, False, every_entity, "fr")
        )
    assert named([mail.html], clients)
