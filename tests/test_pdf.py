"""The printed board pack, read back from the PDF."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from smartdash import actions, committee, formatting, queries
from smartdash.auth import CurrentUser
from smartdash.db import session_scope
from smartdash.demo import load_demo
from smartdash.export import pdf
from smartdash.export.pdf import Pack, build_pdf, render
from smartdash.export.sections import SECTIONS, section_title
from smartdash.importing import import_files, load_history
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.present.tables import Column, TableSpec
from smartdash.views import Filters
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import funding as funding_views
from smartdash.views import overview as overview_views
from smartdash.views import people as people_views
from smartdash.views import receivables as receivables_views
from smartdash.views import rules as rules_views
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
END = dt.date(2026, 11, 22)
EDITOR = CurrentUser("editor", "editor")


def plain(text: str) -> str:
    """Extracted text with the typographic spaces (no-break, narrow no-break) made plain, runs of spaces joined."""
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def pages_of(data: bytes) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def dossiers(demo_store):
    out = {}
    for lang in ("fr", "en"):
        data, info = build_pdf(demo_store.engine, filters=Filters(None, END, "previous", "PLAN-2024-06", lang), role="editor")
        out[lang] = (data, info, pages_of(data))
    return out


def section_pages(pages: list[str], titles: list[str]) -> dict[str, int]:
    """Each title's page number as the table of contents prints it."""
    contents = pages[1]
    found = {}
    for title in titles:
        match = re.search(re.escape(plain(title)) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, f"{title} not in the contents: {contents!r}"
        found[title] = int(match.group(1))
    return found


def test_the_cover_then_the_contents_then_every_section_in_the_decks_order(dossiers):
    data, info, pages = dossiers["fr"]
    assert data.startswith(b"%PDF-")
    # every registered dossier section, in the registry's order (the deck's); the corrections only in a closed
    # meeting's own pack
    assert info.keys == [s.key for s in SECTIONS if s.dossier is not None and s.key != "corrections"]
    assert info.titles == [section_title(key, "fr") for key in info.keys]
    cover = pages[0]
    for line in (
        "Comité de suivi du plan de continuation",
        "Chiffres au 22 novembre 2026",
        "Version du plan : PLAN-2024-06",
        "Entités : SmartFr, GrandsEnsemble, Alterna",
        # the meeting whose notes the dossier holds, not the one planned after these figures
        "Dernière réunion : Comité de suivi du plan — 09/2026 — 15 septembre 2026",
        "31 août 2026",
        "Confidentiel — réservé aux membres du comité",
    ):
        assert plain(line) in cover
    assert "Sommaire" in pages[1]
    assert 10 < len(pages) < 40


def test_the_contents_give_each_sections_page(dossiers):
    for lang in ("fr", "en"):
        _data, info, pages = dossiers[lang]
        numbers = section_pages(pages, info.titles)
        assert list(numbers.values()) == sorted(numbers.values())  # in order
        for title, number in numbers.items():
            first_line = pages[number - 1].strip().splitlines()[0]
            assert first_line == plain(title), (title, number, first_line)
            # the heading is on that page and on no earlier one
            assert not any(p.strip().splitlines()[0] == plain(title) for p in pages[2 : number - 1])


def test_every_page_has_the_footer_with_its_number(dossiers):
    for lang, footer in (
        ("fr", "Chiffres au 22 novembre 2026 · plan PLAN-2024-06"),
        ("en", "Figures as of 22 November 2026 · plan PLAN-2024-06"),
    ):
        _data, _info, pages = dossiers[lang]
        for number, text in enumerate(pages, start=1):
            assert footer in text, (lang, number)
            assert f"page {number} / {len(pages)}" in text, (lang, number)


def section_text(pages: list[str], info, title: str) -> str:
    numbers = section_pages(pages, info.titles)
    start = numbers[title]
    later = [n for n in numbers.values() if n > start]
    end = min(later) if later else len(pages) + 1
    return "\n".join(pages[start - 1 : end - 1])


def test_every_sections_key_figures_are_printed_in_french(dossiers, demo_store):
    _data, info, pages = dossiers["fr"]
    filters = Filters(None, END, "previous", "PLAN-2024-06", "fr")
    text = {key: section_text(pages, info, title) for key, title in zip(info.keys, info.titles, strict=True)}
    with session_scope(demo_store.engine) as s:
        tiles = overview_views.overview_tiles(session=s, filters=filters)
        for t in tiles:
            assert plain(formatting.value(t.value, t.unit, compact=True)) in text["summary"]
        assert re.search(r"−?\d+,\d+ M€", text["summary"])  # decimal comma, M€
        for a in rules_views.attention_items(session=s, filters=filters, tiles=tiles)[:3]:
            assert plain(a.text.render("fr"))[:40] in plain(text["attention"].replace("\n", " "))
        entities = overview_views.tile_entities(session=s, entity=None)
        for code, name in entities:
            equity = equity_views.equity_view(session=s, filters=filters, entity=code, entity_name=name)
            assert plain(formatting.money_compact(equity.latest_equity)) in text["equity"]
            execution = execution_views.execution_view(
                session=s, filters=filters, entity=code, entity_name=name, plan_adopted_on=None
            )
            assert plain(formatting.money_compact(execution.due_to_date)) in text["execution"]
        funding = funding_views.funding_view(session=s, filters=filters, definition=OnePlusOneDefinition())
        for coverage in funding.coverage_actual["coverage"]:
            assert formatting.ratio(coverage) in text["funding"]
        headcount = people_views.headcount_view(session=s, filters=filters, entities=[c for c, _n in entities])
        for value in headcount.latest["headcount"]:
            assert plain(formatting.number(int(value))) in text["headcount"]
        membership = people_views.membership_view(session=s, filters=filters)
        assert plain(formatting.number(membership.total_members)) in text["membership"]
        assert " " in formatting.number(membership.total_members).replace("\u202f", " ")  # thousands spaced
        for code in queries.receivable_entities(session=s):
            receivables = receivables_views.receivables_view(session=s, entity=code, as_of=END)
            assert plain(formatting.money_compact(receivables.total)) in text["receivables"]
            assert plain(formatting.value(receivables.dso_days, "days")) in text["receivables"]
        history = load_history(session=s)  # the appendix lists the load history with checksums
    appendix = plain(text["sources"].replace("\n", " "))
    for row in history.itertuples():
        assert row.file_name in appendix and row.checksum[:16] in appendix
    assert "démo / synthétique" in appendix and "Plan de continuation, novembre 2021" in appendix


def test_the_english_pack_prints_english_numbers(dossiers, demo_store):
    _data, info, pages = dossiers["en"]
    assert info.titles == [section_title(key, "en") for key in info.keys]
    assert info.titles[0] == "Key indicators"
    summary = section_text(pages, info, "Key indicators")
    with session_scope(demo_store.engine) as s:
        tiles = overview_views.overview_tiles(session=s, filters=Filters(None, END, "previous", "PLAN-2024-06", "en"))
    for t in tiles:
        assert plain(formatting.value(t.value, t.unit, lang="en", compact=True)) in summary
    assert re.search(r"\d\.\d+ M€", summary) and not re.search(r"\d,\d+ M€", summary)


def test_synthetic_figures_are_marked_with_a_legend_and_a_footnote(dossiers):
    _data, info, pages = dossiers["fr"]
    summary = section_text(pages, info, "Synthèse des indicateurs clés")
    assert "« démo / synthétique » : figures en italique grisé" in summary
    assert "Données de démonstration générées : elles ne viennent pas des documents sources" in summary.replace("\n", " ")
    assert info.synthetic


def test_charts_are_vectors_and_the_file_is_pdf_a(dossiers):
    data, info, pages = dossiers["fr"]
    reader = PdfReader(io.BytesIO(data))
    forms = images = 0
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            kind = ref.get_object().get("/Subtype")
            forms += kind == "/Form"
            images += kind == "/Image"
    assert forms > 0 and images == 0  # charts are drawn, not pasted as pictures
    equity = section_text(pages, info, "Capitaux propres")
    for label in ("Pont des capitaux propres 2025 — SmartFr (€)", "Ouverture", "Clôture", "−5 M€", "Plan initial"):
        assert plain(label) in equity  # the charts' words are text in the PDF, in French
    assert b"pdfaid:part" in data and reader.xmp_metadata is not None


def long_table_pack(rows: int) -> Pack:
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
    long_text = " ".join(["une décision longue qui doit passer à la ligne"] * 4)
    declared = TableSpec(
        "long",
        (
            Column("number", "Numéro", width=1, verbatim=True),
            Column("text", "Décision", width=6, verbatim=True),
            Column("owner", "Responsable", width=1.5, verbatim=True),
        ),
    )
    pdf.table(section, declared, [[f"ligne-{i:03d}", f"{long_text} fin-{i:03d}", "Présidente"] for i in range(rows)], lang="fr")
    return pack


def test_a_long_table_splits_across_pages_with_its_header_and_no_row_cut_in_half():
    pages = pages_of(render(long_table_pack(90), archival=False))
    body = [p for p in pages[2:]]
    assert len(body) >= 3  # the table needs several pages
    for number, text in enumerate(body, start=3):
        assert "Numéro Décision Responsable" in text, number  # the header again on every page of the table
    for i in range(90):
        holding = [n for n, text in enumerate(body) if f"ligne-{i:03d}" in text]
        ending = [n for n, text in enumerate(body) if f"fin-{i:03d}" in text]
        assert len(holding) == 1 and holding == ending, i  # a row starts and ends on the same page
    # the long text wraps inside its cell: every word is printed, over several lines
    first = body[0]
    assert first.count("une décision longue") >= 8 and first.index("fin-000") > first.index("ligne-000")


def test_the_demo_contributions_table_repeats_its_header_on_the_next_page(dossiers):
    _data, info, pages = dossiers["fr"]
    numbers = section_pages(pages, info.titles)
    funding = pages[numbers["Financement et règle du 1+1"] - 1 : numbers["Exécution du plan"] - 1]
    assert len(funding) >= 2  # the contributions run onto a second page…
    assert all("Apporteur Instrument Prévu le" in page for page in funding)  # …under the same header


@pytest.fixture
def demo(store):
    load_demo(store.engine)
    return store


def test_a_closed_meetings_pdf_shows_the_figures_as_frozen_and_the_corrections_since(demo):
    meeting_id = committee.add_meeting(
        EDITOR, demo.engine, held_on=dt.date(2026, 11, 20), as_of=dt.date(2026, 10, 31), title="Comité de novembre"
    )
    decision = (
        "Demander à SmartBe le calendrier écrit de la tranche conditionnelle, avec les justificatifs des "
        "comptes courants d'associés et une réponse avant le prochain comité, faute de quoi le point sera "
        "inscrit à l'ordre du jour de l'assemblée"
    )
    committee.add_decision(EDITOR, demo.engine, meeting_id, decision, owner="Présidente", due_date=dt.date(2027, 1, 31))
    committee.close_meeting(EDITOR, demo.engine, meeting_id)
    with session_scope(demo.engine) as s:
        presented = committee.presented_and_corrected(session=s, meeting_id=meeting_id)
    row = presented[(presented["label"] == "Chiffre d'affaires HT") & (presented["entity"] == "SmartFr")].iloc[0]
    corrected = row["presented"] * 2
    correction = f"indicateur;entite;fin_periode;scenario;valeur\nTURNOVER;SMARTFR;31/10/2026;réel;{corrected}\n"
    import_files(demo.engine, [("correction.csv", correction.replace(".", ",").encode())], loaded_by="editor")

    filters = Filters(None, END, "previous", "PLAN-2024-06", "fr")
    data, info = build_pdf(demo.engine, filters=filters, role="editor", meeting_id=meeting_id)
    pages = pages_of(data)
    assert info.frozen_meeting == meeting_id and "Corrections depuis la réunion" in info.titles
    assert info.keys == [s.key for s in SECTIONS if s.dossier is not None]  # a closed meeting's pack: every section
    assert "Chiffres clés figés à la clôture de la réunion" in pages[0]
    assert "Chiffres au 31 octobre 2026" in pages[0]  # the meeting's own as-of date
    summary = section_text(pages, info, "Synthèse des indicateurs clés")
    assert plain(formatting.money_compact(row["presented"])) in summary
    assert plain(formatting.money_compact(corrected)) not in summary
    corrections = section_text(pages, info, "Corrections depuis la réunion")
    line = next(x for x in corrections.splitlines() if x.startswith("Chiffre d'affaires HT SmartFr"))
    assert (
        plain(
            f"{formatting.money(row['presented'])} {formatting.money(corrected)} {formatting.money(corrected - row['presented'])}"
        )
        in line
    )
    notes = section_text(pages, info, "Notes et décisions du comité").replace("\n", " ")
    assert plain(decision) in plain(notes)  # the whole decision, wrapped in its cell

    live, _info = build_pdf(demo.engine, filters=Filters(None, dt.date(2026, 10, 31), "previous", "PLAN-2024-06"), role="editor")
    live_summary = section_text(pages_of(live), _info, "Synthèse des indicateurs clés")
    assert plain(formatting.money_compact(corrected)) in live_summary  # without the meeting: today's figures


def test_export_pdf_from_the_command_line(demo_store, tmp_path):
    out = tmp_path / "dossier.pdf"
    env = dict(os.environ, SMARTDASH_DATABASE_URL=demo_store.url)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "smartdash",
            "export",
            "pdf",
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
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pages = pages_of(out.read_bytes())
    assert "Continuation plan committee" in pages[0] and "Entities: SmartFr" in pages[0].splitlines()
    assert "Figures as of 31 December 2023" in pages[-1]
    contents = pages[1]
    summary = next(p for p in pages[2:] if p.startswith("Key indicators"))
    assert "SmartFr" in summary and "Alterna" not in summary and "Key indicators" in contents
    refused = subprocess.run(
        [sys.executable, "-m", "smartdash", "export", "pdf", "--out", str(tmp_path / "x.pdf"), "--meeting", "999"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1 and "999" in refused.stderr and not (tmp_path / "x.pdf").exists()


def test_the_export_page_prints_a_meetings_pdf_and_records_it(demo_store, app_env):
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)).run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    at.selectbox(key="export_meeting").set_value(19).run()  # closed, but the fixture kept no snapshot of it
    at.button(key="export_pdf_build").click().run()
    assert not at.exception
    # every registered dossier section but the corrections, which only a frozen snapshot has
    printed = [s for s in SECTIONS if s.dossier is not None and s.key != "corrections"]
    assert at.success[-1].value == f"PDF prêt : {len(printed)} sections, chiffres au 31 août 2026."
    assert at.session_state["export_pdf"][1] == [section_title(s.key, "fr") for s in printed]
    pages = pages_of(at.session_state["export_pdf"][0])
    summary = next(p for p in pages[2:] if p.startswith("Synthèse des indicateurs clés")).replace("\n", " ")
    assert "Cette réunion close n'a pas gardé d'instantané de ses chiffres" in summary
    assert at.download_button(key="export_pdf_download") is not None
    log = actions.audit_log(CurrentUser("admin", "admin"), demo_store.engine)
    assert log.iloc[0]["action"] == "export" and '"what": "pdf"' in log.iloc[0]["detail"]
    assert '"meeting": 19' in log.iloc[0]["detail"]
