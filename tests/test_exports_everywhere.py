"""Every export — the deck, the A4 dossier, the digest — is built for every entity (and all of them together) at
several as-of dates, on the demo store and on a store where a ledger (FEC) was loaded on top of it. Built for a
director (the role that sees the most: the dossier's client table included), so that every section is reached."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pptx import Presentation
from pypdf import PdfReader

from smartdash import digest, importing, queries
from smartdash.db import session_scope
from smartdash.export.pdf import build_pdf
from smartdash.export.slides import build_deck
from smartdash.metrics.equity import Bridge
from smartdash.present import equity as equity_text
from smartdash.subscriptions import Subscriber
from smartdash.views import Filters
from smartdash.views import equity as equity_views
from tests.conftest import BACKENDS, _new_store
from tests.fec_factory import BOOK, fec_bytes

LATEST = "latest"
DATES = (dt.date(2021, 12, 31), dt.date(2023, 12, 31), LATEST)


# The demo store and one with a ledger on SQLite; on PostgreSQL the ledger store alone (it holds the demo's figures
# too): the exports read the same views on both, and the whole set twice over was the suite's slowest part.
STORES = [("sqlite", "demo"), ("sqlite", "ledger")] + [(b, "ledger") for b in BACKENDS if b != "sqlite"]


@pytest.fixture(scope="module", params=STORES, ids=lambda p: "-".join(p))
def export_store(request, tmp_path_factory):
    """A store with the demo data set, and for "ledger" a FEC of SmartFr's 2023 books loaded on top of it."""
    from smartdash.demo import load_demo

    backend, kind = request.param
    for s in _new_store(backend, request, tmp_path_factory):
        load_demo(s.engine)
        if kind == "ledger":
            importing.import_files(s.engine, [("123456789FEC20231231.txt", fec_bytes(BOOK))], loaded_by="test", entity="SMARTFR")
        with session_scope(s.engine) as session:
            entities = list(queries.entities(session=session)["code"])
            latest = queries.latest_data_date(session=session)
        yield s, entities, latest


def test_every_bridge_step_has_a_label_in_every_language():
    """The waterfall's steps (metrics) and their labels (present) agree: a step without a label crashed the dossier."""
    one = Decimal(1)
    bridge = Bridge(2023, one, one, one, one, one, booked_closing=Decimal(100), reserves=one, retained=one)
    assert {code for code, _amount in bridge.steps()} == set(equity_views.STEP_CODES)  # every step, "unexplained" too
    for lang in ("fr", "en"):
        labels = equity_text.bridge_labels(bridge, lang)
        assert set(labels) == set(equity_views.STEP_CODES)
        assert list(equity_views.bridge_frame(bridge, labels)["step"]) == [labels[c] for c, _a in bridge.steps()]


@pytest.mark.parametrize("day", DATES, ids=str)
def test_every_export_is_built_for_every_entity(export_store, day):
    store, entities, latest = export_store
    day = latest if day == LATEST else day
    built = []
    for entity in [None, *entities]:
        with session_scope(store.engine) as s:
            version = queries.version_in_force(session=s, on=day)
        filters = Filters(entity, day, "meeting", version, "fr")
        deck, info = build_deck(store.engine, filters=filters, role="editor")
        assert len(Presentation(io.BytesIO(deck)).slides) == len(info.titles) > 2
        data, pdf_info = build_pdf(store.engine, filters=filters, role="editor")
        assert len(PdfReader(io.BytesIO(data)).pages) >= len(pdf_info.titles)
        built.append((entity, len(info.titles), len(pdf_info.titles)))
    with session_scope(store.engine) as s:
        builder = digest.DigestBuilder(s, as_of=day, app_url="http://127.0.0.1:8501")
        for entity in entities:
            for role in ("viewer", "editor"):
                mail = builder.build(Subscriber(role, 0, role, True, None, True, False, (entity,), "fr"))
                assert mail.subject and mail.html and mail.text
    assert len(built) == len(entities) + 1
