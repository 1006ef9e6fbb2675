"""Each figure labelled for what it is, in every output: a generated past-due part is not the report's outstanding under
reminder, an unmatched payment is a credit and not an overdue invoice, the cover names the meeting whose notes the pack
holds, a superseded plan version says so, the deck's agenda lists only the sections it has, workbooks hold numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from smartdash import committee, digest, formatting, i18n, queries
from smartdash.config import DEMO_DIR
from smartdash.db import session_scope
from smartdash.demo import demo_file_name
from smartdash.export import sections as sections_module
from smartdash.export.pdf import compose
from smartdash.export.slides import build_deck
from smartdash.export.tables import xlsx_bytes
from smartdash.importing import import_files
from smartdash.present import equity as equity_text
from smartdash.present import execution as execution_text
from smartdash.present import overview as overview_text
from smartdash.present import receivables as receivables_text
from smartdash.present import versions as versions_text
from smartdash.provenance import is_marked
from smartdash.views import Filters
from smartdash.views import annual as annual_views
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import overview as overview_views
from smartdash.views import receivables as receivables_views
from smartdash.views import versions as versions_views

END_2023 = dt.date(2023, 12, 31)


# --------------------------------------------------------------------------- past due is not "under reminder"


def test_the_digest_marks_generated_receivables_and_none_equals_the_outstanding_under_reminder(demo_store):
    with session_scope(demo_store.engine) as s:
        view = receivables_views.receivables_view(session=s, entity="SMARTCOOP", as_of=END_2023)
        reminded = view.references.set_index("code").loc["OVERDUE_REMINDED", "value"]
        part = digest.DigestBuilder(s, as_of=END_2023, app_url="http://x").part("SMARTCOOP", "SmartCoop", "fr", see_clients=False)
    assert view.overdue != reminded  # the report's 14,5 M€ under reminder is not a past-due balance
    labels = dict(part.receivables)
    past_due = next(label for label in labels if label.startswith("dont échu"))
    assert is_marked(past_due) and labels[past_due] != "14,5\u00a0M€"
    assert all(is_marked(label) for label in labels)  # every figure of generated items carries the mark


# --------------------------------------------------------------------------- credits are not overdue invoices


@pytest.fixture
def credited(store):
    """A store whose one receivables snapshot holds two invoices past due and an unmatched payment of −1 200 €."""
    files = [(demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes()) for k in ("entities", "offices")]
    rows = [
        "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du;source;synthetique",
        "31/12/2023;SMARTFR;;Client Alpha;F001;01/09/2023;31/10/2023;5000,00;grand livre;non",
        "31/12/2023;SMARTFR;;Client Bêta;F002;01/11/2023;01/12/2023;800,00;grand livre;non",
        "31/12/2023;SMARTFR;;Client Gamma;R017;04/06/2023;04/08/2023;-1200,00;grand livre;non",
    ]
    files.append(("creances.csv", ("\n".join(rows) + "\n").encode("utf-8")))
    import_files(store.engine, files, loaded_by="test")
    return store


def test_an_unmatched_payment_is_never_listed_as_an_overdue_invoice_and_the_outputs_say_what_is_netted(credited):
    with session_scope(credited.engine) as s:
        clients = queries.largest_overdue_clients(session=s, entity="SMARTFR", as_of=END_2023)
        view = receivables_views.receivables_view(session=s, entity="SMARTFR", as_of=END_2023)
        part = digest.DigestBuilder(s, as_of=END_2023, app_url="http://x").part("SMARTFR", "SmartFr", "fr", see_clients=True)
    assert list(clients["client"]) == ["Client Alpha", "Client Bêta"]  # the −1 200 € payment is not a late invoice
    assert all(v > 0 for v in clients["overdue"])
    assert view.total == Decimal("4600.00") and view.credits == (1, Decimal("-1200.00"))
    for lang, words, amount in (
        ("fr", "paiement ou avoir non lettré", "1\u202f200,00"),
        ("en", "unmatched payment or credit note", "1,200.00"),
    ):
        note = receivables_text.credits_note(view, lang)
        assert note is not None and words in note and amount in note
    assert part.receivables_note == receivables_text.credits_note(view, "fr")
    assert [c for c, _v, _d in part.clients] == ["Client Alpha", "Client Bêta"]


# --------------------------------------------------------------------------- the cover's meeting


def deck_slides(engine, filters: Filters) -> list[tuple[str, str]]:
    """(title, the rest of its text) of every slide of the deck."""
    data, _info = build_deck(engine, filters=filters, role="editor")
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        body = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title)
        out.append((title, body))
    return out


def test_the_cover_names_the_meeting_whose_notes_the_pack_holds_never_a_later_one(demo_store):
    with session_scope(demo_store.engine) as s:
        meeting_id = committee.meeting_for(session=s, as_of=END_2023)
        meeting = queries.meetings(session=s).set_index("id").loc[meeting_id]
        later = queries.meetings(session=s)
        later = later[later["held_on"] > END_2023].iloc[0]
    assert meeting["held_on"] == dt.date(2023, 12, 15) and meeting["as_of"] != END_2023
    filters = Filters(None, END_2023, "previous", None, "fr")
    cover = " ".join(compose(demo_store.engine, filters=filters, role="editor").meta["cover"])
    deck_cover = deck_slides(demo_store.engine, filters)[0][1]
    for text in (cover, deck_cover):
        assert formatting.date_long(meeting["held_on"]) in text and "Dernière réunion" in text
        assert formatting.date_long(meeting["as_of"]) in text  # its figures' date, not the pack's
        assert formatting.date_long(later["held_on"]) not in text  # 15 mars 2024 was not held yet
    # at a meeting's own figures' date, the cover names that meeting plainly
    filters = Filters(None, meeting["as_of"], "previous", None, "fr")
    cover = compose(demo_store.engine, filters=filters, role="editor").meta["cover"]
    assert f"Réunion : {meeting['title']} — {formatting.date_long(meeting['held_on'])}" in cover


# --------------------------------------------------------------------------- a superseded version says so


def test_a_superseded_plan_version_is_labelled_wherever_it_is_named(demo_store):
    with session_scope(demo_store.engine) as s:
        versions = queries.plan_versions(session=s)
    in_force = versions[versions["status"] == "in_force"].iloc[0]
    old = versions[versions["status"] == "superseded"].iloc[0]
    day = in_force["adopted_on"] + dt.timedelta(days=200)
    label_fr = f"remplacée par {in_force['code']} le {formatting.date_short(in_force['adopted_on'])}"
    label_en = f"superseded by {in_force['code']} on {formatting.date_short(in_force['adopted_on'])}"
    assert versions_text.version_note(versions, old["code"], day, "fr") == label_fr  # the sidebar's choice
    assert versions_text.version_label(versions, old["code"], day, "en") == f"{old['code']} ({label_en})"  # page header
    assert versions_text.version_note(versions, old["code"], in_force["adopted_on"] - dt.timedelta(days=1), "fr") == ""
    assert versions_text.version_note(versions, in_force["code"], day, "fr") == ""
    filters = Filters(None, day, "previous", old["code"], "fr")
    meta = compose(demo_store.engine, filters=filters, role="editor").meta
    assert label_fr in " ".join(meta["cover"]) and label_fr in meta["footer"]
    slides = deck_slides(demo_store.engine, filters)
    assert label_fr in slides[0][1] and all(label_fr in body for _title, body in slides)  # cover and every footer


# --------------------------------------------------------------------------- the deck's agenda


def test_the_decks_agenda_lists_only_the_sections_the_deck_has(demo_store, monkeypatch):
    """For every entity and all together: each agenda line is a section (or the section before one without a line)
    that gave the deck at least one slide, and every such section has its line."""
    built: list[str] = []

    def watched(section):
        def build(ctx):
            before = len(ctx.deck.prs.slides)
            section.deck(ctx)
            if len(ctx.deck.prs.slides) > before:
                built.append(section.key)

        return dataclasses.replace(section, deck=build if section.deck else None)

    monkeypatch.setattr(sections_module, "SECTIONS", tuple(watched(x) for x in sections_module.SECTIONS))
    with session_scope(demo_store.engine) as s:
        codes = [None, *queries.entities(session=s)["code"]]
    seen_smaller = False
    for code in codes:
        built.clear()
        slides = deck_slides(demo_store.engine, Filters(code, END_2023, "previous", None, "fr"))
        agenda = [re.sub(r"^● \d+\. ", "", line) for line in slides[1][1].splitlines() if line.startswith("●")]
        expected, line = [], None
        for section in sections_module.SECTIONS:
            if section.deck is None:
                continue
            line = i18n._("fr", section.agenda) if section.agenda else line
            if section.key in built and line not in expected:
                expected.append(line)
        assert agenda == expected, code
        seen_smaller |= len(agenda) < len(sections_module.agenda_lines("fr"))
    assert seen_smaller  # some entity's deck has fewer sections than the registry (SmartCoop has no plan execution)


# --------------------------------------------------------------------------- workbooks hold numbers


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_downloaded_workbook_holds_numbers_and_dates_with_a_format_that_shows_them_as_the_page(lang):
    shown = pd.DataFrame(
        {
            "Bureau": ["Bruxelles", "=HYPERLINK(1)"],
            "Membres": [formatting.number(Decimal(10221), lang=lang), formatting.number(Decimal(822), lang=lang)],
            "Montant": [
                formatting.money(Decimal(3_800_000), lang=lang),
                formatting.money(Decimal("-1200.5"), lang=lang, places=2),
            ],
            "Compact": [
                formatting.money_compact(Decimal(1_500_000), lang=lang),
                formatting.money_compact(Decimal(250_000), lang=lang),
            ],
            "Part": [formatting.percent(Decimal("12.4"), lang=lang), formatting.value(Decimal(37), "days", lang=lang)],
            "Date": [formatting.date_short(END_2023), dt.date(2024, 6, 30)],
            "Brut": [Decimal("1234.5"), 7],
            "Année": ["2023", "—"],
        }
    )
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Bureaux": shown}, lang))).active
    row2, row3 = ([c.value for c in sheet[r]] for r in (2, 3))
    assert row2[1:5] == [10221, 3_800_000, 1_500_000, 0.124]
    assert row3[1:5] == [822, -1200.5, 250_000, 37]
    assert row2[5] == dt.datetime(2023, 12, 31) and row3[5] == dt.datetime(2024, 6, 30)
    assert row2[6] == 1234.5 and row3[6] == 7
    assert row2[7] == "2023" and row3[7] == "—"  # a year and a dash stay text
    assert row3[0] == "'=HYPERLINK(1)" and sheet["A3"].data_type == "s"  # a formula is still neutralised
    formats = [sheet.cell(2, c).number_format for c in range(2, 7)]
    euro = ' "€"' if lang == "fr" else ""
    assert formats[0] == "#,##0" and formats[4] == "DD/MM/YYYY"
    assert formats[1] == ("#,##0" + euro if lang == "fr" else '"€"#,##0')
    assert formats[2].startswith("#,##0.0,,") and "M€" in formats[2]  # shown in millions, worth its full amount
    assert formats[3].startswith("0.0") and formats[3].endswith("%")
    assert all(sheet.cell(r, c).data_type == "n" for r in (2, 3) for c in range(2, 6))


# --------------------------------------------------------------------------- no schedule, never negative


def section_text(pack, key: str) -> str:
    """Everything a section of the dossier says, as one text (its blocks, nested ones too)."""
    return json.dumps([s.blocks for s in pack.sections if s.key == key], ensure_ascii=False, default=str)


def entity_without_schedule(session, filters: Filters) -> tuple[str, str]:
    """An entity under the plan that has cash figures but no instalment schedule (Alterna in the demo)."""
    for code, name in overview_views.tile_entities(session=session, entity=None):
        view = execution_views.execution_view(
            session=session, filters=filters, entity=code, entity_name=name, plan_adopted_on=None
        )
        if view.schedule.empty and not view.cash.empty:
            return code, name
    raise AssertionError("the demo has an entity under the plan with no schedule")


def in_force_filters(engine, day: dt.date) -> Filters:
    with session_scope(engine) as s:
        return Filters(None, day, "previous", queries.version_in_force(session=s, on=day), "fr")


def test_without_a_schedule_nothing_reads_as_repaid_or_met(demo_store):
    filters = in_force_filters(demo_store.engine, END_2023)
    with session_scope(demo_store.engine) as s:
        code, name = entity_without_schedule(s, filters)
        view = execution_views.execution_view(session=s, filters=filters, entity=code, entity_name=name, plan_adopted_on=None)
    legal = execution_text.legal_table(view, "fr").set_index("Article")
    assert legal.loc["L626-18", "Respectée"] == "—" and "aucun échéancier" in legal.loc["L626-18", "Valeur"]
    assert execution_text.debt_left_text(view, "fr") == "aucun échéancier"
    assert execution_text.debt_left_text(view, "en") == "no schedule"
    text = section_text(compose(demo_store.engine, filters=filters, role="editor"), "execution")
    part = text[text.index(f'"text": "{name}"') :]
    assert "aucun échéancier" in part and '"value": "0\u00a0€"' not in part


def test_a_plan_path_never_negative_has_no_year_of_turning_positive(demo_store):
    filters = in_force_filters(demo_store.engine, END_2023)
    with session_scope(demo_store.engine) as s:
        views = [
            equity_views.equity_view(session=s, filters=filters, entity=c, entity_name=n)
            for c, n in overview_views.tile_entities(session=s, entity=None)
        ]
        versions = versions_views.versions_view(session=s)
    always = [v for v in views if v.plan_never_negative]
    assert always and all(v.has_plan for v in always)  # Alterna's plan path is never negative
    for view in always:
        assert equity_text.plan_positive_label(view, "fr") == "positifs tout au long du plan"
        assert equity_text.plan_positive_label(view, "en") == "positive throughout"
    for view in views:
        if not view.plan_never_negative and view.has_plan:
            assert equity_text.plan_positive_label(view, "fr") != "positifs tout au long du plan"
    names = {v.entity_name for v in always}
    table = versions_text.milestones_table(versions, "fr")
    rows = table[table["Entité"].isin(names)]
    assert not rows.empty and set(rows["Capitaux propres ≥ 0 (trajectoire du plan)"]) == {"positifs tout au long du plan"}
    text = section_text(compose(demo_store.engine, filters=filters, role="editor"), "equity")
    for name in names:
        part = text[text.index(f'"text": "{name}"') :]
        assert "positifs tout au long du plan" in part[:2000]


# --------------------------------------------------------------------------- a month's figure says it is a month's


def test_a_monthly_tile_says_the_month_it_covers_in_every_output(demo_store):
    filters = in_force_filters(demo_store.engine, END_2023)
    with session_scope(demo_store.engine) as s:
        tiles = overview_views.overview_tiles(session=s, filters=filters)
        monthly = queries.indicators(session=s, key_only=True).query("frequency == 'monthly'")["code"]
        lines = digest.DigestBuilder(s, as_of=END_2023, app_url="http://x").part("SMARTFR", "SmartFr", "fr", see_clients=False)
    months = [t for t in tiles if t.indicator in set(monthly) and t.period_end is not None]
    assert months  # turnover, gross margin, contribution rate
    for tile in months:
        month = formatting.date_long(tile.period_end).split(" ", 1)[1]  # "décembre 2023"
        assert overview_text.period_text(tile, "fr") == f"mois de {month}"
        october = dataclasses.replace(tile, period_end=dt.date(2026, 10, 31))  # French elides before a vowel
        assert overview_text.period_text(october, "fr") == "mois d'octobre 2026"
        assert overview_text.period_text(october, "en") == "month of October 2026"
        assert overview_text.period_text(tile, "fr", short=True) == tile.period_end.strftime("%m/%Y") + " (mois)"
        assert overview_text.period_text(tile, "en", short=True) == tile.period_end.strftime("%m/%Y") + " (month)"
    yearly = next(t for t in tiles if t.indicator not in set(monthly) and t.period_end is not None)
    assert overview_text.period_text(yearly, "fr") == "au " + formatting.date_long(yearly.period_end)
    assert any(line.period.endswith("(mois)") for line in lines.lines)  # the digest
    summary = section_text(compose(demo_store.engine, filters=filters, role="editor"), "summary")
    assert "(mois)" in summary  # the dossier's summary table
    assert any("(mois)" in cell for cell in deck_summary_cells(demo_store.engine, filters))  # the deck's summary


def deck_summary_cells(engine, filters: Filters) -> list[str]:
    data, _info = build_deck(engine, filters=filters, role="editor")
    cells = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_table:
                cells += [c.text for row in shape.table.rows for c in row.cells]
    return cells


# --------------------------------------------------------------------------- the annual report's figures are shown


def test_every_annual_report_figure_loaded_is_shown_on_the_page_the_dossier_and_the_deck(demo_store):
    """The income statement, cash, debts, contracts and hours the store holds for an entity not under the plan are
    read back from each output, with their values and their source."""
    with session_scope(demo_store.engine) as s:
        loaded = queries.observations(session=s, indicators=list(annual_views.ANNUAL_REPORT_CODES), until=END_2023)
        catalogue = queries.indicators(session=s).set_index("code")
        names = dict(zip(*[queries.entities(session=s)[c] for c in ("code", "name")], strict=True))
    loaded = loaded[[d == END_2023 for d in loaded["period_end"]]]
    assert {"TOTAL_INCOME", "CASH", "DEBTS", "CONTRACTS", "HOURS_WORKED"} <= set(loaded["indicator"])
    filters = in_force_filters(demo_store.engine, END_2023)
    dossier = section_text(compose(demo_store.engine, filters=filters, role="editor"), "membership")
    deck = " ".join(deck_summary_cells(demo_store.engine, filters))
    for row in loaded.itertuples():
        label = catalogue.loc[row.indicator, "label_fr"]
        value = formatting.value(row.value, catalogue.loc[row.indicator, "unit"])
        for output in (dossier, deck):
            assert label in output and value in output, (row.indicator, names[row.entity])
    assert "SmartCoop : chiffres du rapport annuel, 2022 et 2023" in dossier
    assert "SmartCoop, rapport annuel 2023 — Compte de résultats consolidé" in dossier


def test_the_membership_page_shows_the_annual_report_figures_and_a_monthly_tile_its_month(demo_store, app_env):
    from tests.test_pages import open_page

    app_env(demo_store.url)
    at = open_page("membership", filter_as_of=END_2023)
    tables = [t.value for t in at.dataframe]
    annual = next(t for t in tables if "Dernier exercice" in t.columns)
    shown = annual.set_index("Chiffre")
    assert shown.loc["Total des produits", "Dernier exercice"] == "222\u202f372\u202f506\u00a0€"
    assert shown.loc["Heures prestées", "Dernier exercice"] == "4\u202f539\u202f177\u00a0h"
    assert shown.loc["Contrats de travail", "Exercice précédent"] == "—"  # the 2023 report gives no 2022 count
    assert "SmartCoop : chiffres du rapport annuel, 2022 et 2023" in [h.value for h in at.header]
    overview = open_page(None, filter_as_of=END_2023)
    assert any(c.value.startswith("mois de ") for c in overview.caption)  # turnover: one month's, said so
