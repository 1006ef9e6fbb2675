"""What a board asks first, answered on the demo store: the gap to plan in euros (never a share of a negative plan
alone), offices year on year, receivables more than 90 days in € and the DSO's change, on the pages, in the deck, the
dossier and the digest."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pptx import Presentation

from smartdash import formatting
from smartdash.db import session_scope
from smartdash.export.slides import build_deck
from smartdash.metrics.receivables import point_on_or_before, previous_quarter_end
from smartdash.present import overview as op
from smartdash.present import people as pp
from smartdash.present import receivables as rp
from smartdash.views import COMPARISONS, Filters, year_before
from smartdash.views import overview as ov
from smartdash.views import people as pv
from smartdash.views import receivables as rv
from smartdash.views import rules as rules_views
from tests.test_pages import open_page

LATEST = dt.date(2026, 11, 22)
VERSION = "PLAN-2024-06"


@pytest.fixture
def demo(demo_store, app_env):
    app_env(demo_store.url)
    return demo_store


def tiles_at(store, compare: str = "previous", entity: str | None = None) -> list[ov.Tile]:
    with session_scope(store.engine) as s:
        return ov.overview_tiles(session=s, filters=Filters(entity, LATEST, compare, VERSION))


# --------------------------------------------------------------------------- gaps in euros


def test_every_gap_to_plan_is_given_in_the_indicators_unit_and_a_share_only_of_a_positive_plan(demo_store):
    tiles = [t for t in tiles_at(demo_store) if t.gap is not None]
    assert any(t.plan_value < 0 for t in tiles) and any(t.plan_value > 0 and t.unit == "EUR" for t in tiles)
    for t in tiles:
        for lang in ("fr", "en"):
            said = op.plan_gap(t, lang)
            assert said.startswith(formatting.change(t.gap, t.unit, lang=lang)), said
            if t.unit == "EUR" and t.plan_value < 0:
                assert "%" not in said and ("base négative" in said if lang == "fr" else "negative base" in said)
            elif t.unit == "EUR" and t.plan_value > 0:
                assert formatting.relative(t.gap_pct, lang=lang) in said


def test_the_watch_list_gives_smartfrs_equity_gap_in_euros_and_no_share_of_its_negative_plan(demo_store):
    tiles = tiles_at(demo_store)
    equity = next(t for t in tiles if t.indicator == "EQUITY" and t.entity == "SMARTFR")
    assert equity.plan_value < 0 and equity.gap < 0
    with session_scope(demo_store.engine) as s:
        items = rules_views.attention_items(session=s, filters=Filters(None, LATEST, "previous", VERSION), tiles=tiles)
    said = next(i.text.render("fr") for i in items if i.text.render("fr").startswith("Capitaux propres — SmartFr"))
    assert formatting.change(equity.gap, "EUR", lang="fr") in said
    assert "%" not in said and "base négative" in said


def test_the_key_figures_table_has_every_indicator_and_entity_with_its_gap_in_euros(demo_store):
    tiles = tiles_at(demo_store)
    table = op.key_figures_table(tiles, "fr")
    assert set(table.columns) == {t.entity_name for t in tiles}
    assert set(table.index) == {op.tile_label(t, "fr") for t in tiles}
    for t in tiles:
        cell = table.loc[op.tile_label(t, "fr"), t.entity_name]
        assert cell.startswith(formatting.value(t.value, t.unit, lang="fr", compact=True))
        if t.gap is not None:
            assert "écart " + op.plan_gap(t, "fr") in cell


def test_the_decks_summary_sets_the_gap_in_euros_beside_the_plan_for_every_key_figure(demo_store):
    data, _info = build_deck(demo_store.engine, filters=Filters(None, LATEST, "previous", VERSION, "fr"), role="viewer")
    summary = [
        s for s in Presentation(io.BytesIO(data)).slides if s.shapes.title.text.startswith("Synthèse des indicateurs clés")
    ]
    rows = {}
    for slide in summary:  # as many slides as the key figures need
        table = next(sh.table for sh in slide.shapes if sh.has_table)
        header = [table.cell(0, c).text for c in range(len(table.columns))]
        assert header[3:5] == ["Plan", "Écart au plan"]
        rows |= {(table.cell(r, 0).text, table.cell(r, 1).text): table.cell(r, 4).text for r in range(1, len(table.rows))}
    tiles = tiles_at(demo_store)
    assert set(rows) == {(op.tile_label(t, "fr"), t.entity_name) for t in tiles}  # none left out (the 15th once was)
    assert all(rows[(op.tile_label(t, "fr"), t.entity_name)] == op.plan_gap(t, "fr") for t in tiles)
    equity = next(t for t in tiles if t.indicator == "EQUITY" and t.entity == "SMARTFR")
    assert rows[("Capitaux propres", "SmartFr")] == op.plan_gap(equity, "fr")
    assert "base négative" in rows[("Capitaux propres", "SmartFr")]


# --------------------------------------------------------------------------- year on year


def test_the_same_period_last_year_is_a_comparison_of_the_sidebar_and_of_the_tiles(demo_store):
    assert "year" in COMPARISONS
    for t in tiles_at(demo_store, "year"):
        if t.compare_day is not None:
            assert t.compare_day <= year_before(t.period_end)
            assert op.compare_text(t, "fr").startswith("même période l'an dernier")
    turnover = next(t for t in tiles_at(demo_store, "year") if t.indicator == "TURNOVER" and t.entity == "SMARTFR")
    assert turnover.compare_day == year_before(turnover.period_end)


@pytest.mark.parametrize("compare", COMPARISONS)
def test_offices_then_and_now_follow_the_comparison_chosen_losses_first(demo_store, compare):
    with session_scope(demo_store.engine) as s:
        change = pv.offices_change(session=s, filters=Filters(None, LATEST, compare, VERSION))
    assert change.now == dt.date(2025, 12, 31) and change.then == dt.date(2024, 12, 31)
    assert change.basis == (compare if compare in ("previous", "meeting") else "year")
    o = change.offices
    changes = [c for c in o["members_change"] if c is not None]
    assert changes == sorted(changes)
    for r in o.itertuples():
        assert r.members_change == r.members_now - r.members_then
    lost = pv.offices_losing(change)
    assert list(lost["office_name"]) == [r.office_name for r in o.itertuples() if r.members_change < 0]
    said = pp.offices_losing_text(change, "fr")
    assert said.startswith("Bureaux qui ont perdu des membres depuis le 31/12/2024 : ")
    for name in lost["office_name"]:
        assert name in said


def test_offices_at_end_2023_compare_the_annual_report_with_the_year_before(demo_store):
    with session_scope(demo_store.engine) as s:
        change = pv.offices_change(session=s, filters=Filters(None, dt.date(2023, 12, 31), "previous", None))
    table = pp.offices_change_table(change, "fr").set_index("Bureau")
    assert change.then == dt.date(2022, 12, 31)
    assert list(table.columns)[:3] == ["Membres avant", "Membres à date", "Évolution membres"]
    assert table.loc["Bruxelles", "Membres à date"] == "10\u202f221"  # the report's figure
    assert pp.offices_change_title(change, "fr") == "Bureaux, 31/12/2022 → 31/12/2023 : période précédente"


def test_the_membership_page_names_the_offices_that_lost_members_since_last_year(demo):
    at = open_page("membership")
    said = " ".join(m.value for m in at.markdown)
    assert "Bureaux qui ont perdu des membres depuis le 31/12/2024 : Liège (−14), Namur (−3)." in said
    table = next(df.value for df in at.dataframe if "Évolution membres" in df.value.columns)
    assert list(table["Bureau"])[:2] == ["Liège", "Namur"]
    assert list(table["Évolution membres"])[:2] == ["−14", "−3"]
    members = next(m for m in at.metric if m.label.startswith("Membres"))
    assert members.proto.delta.startswith("+")  # the total grew over the year


# --------------------------------------------------------------------------- receivables


def test_previous_quarter_end_and_the_point_on_or_before():
    assert previous_quarter_end(dt.date(2026, 11, 22)) == dt.date(2026, 9, 30)
    assert previous_quarter_end(dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)
    assert previous_quarter_end(dt.date(2026, 3, 31)) == dt.date(2025, 12, 31)
    points = [(dt.date(2025, 9, 30), Decimal(30)), (dt.date(2025, 12, 31), Decimal(31))]
    assert point_on_or_before(points, dt.date(2025, 11, 22)) == points[0]
    assert point_on_or_before(points, dt.date(2025, 1, 1)) is None


def test_receivables_over_90_days_in_euros_and_the_dso_against_last_quarter_and_last_year(demo_store):
    with session_scope(demo_store.engine) as s:
        view = rv.receivables_view(session=s, entity="SMARTCOOP", as_of=LATEST)
    over_90 = view.buckets.set_index("bucket").loc["d90_plus", "amount"]
    assert view.over_90 == over_90 and view.share_over_90 == over_90 / view.total
    trend = dict(zip(view.dso_trend["period_end"], view.dso_trend["value"], strict=True))
    assert view.dso_previous == (dt.date(2026, 9, 30), trend[dt.date(2026, 9, 30)])
    assert view.dso_year_ago == (dt.date(2025, 9, 30), trend[dt.date(2025, 9, 30)])  # the newest by 22/11/2025
    assert view.dso_change_previous == view.dso_days - trend[dt.date(2026, 9, 30)]
    said = rp.dso_changes(view, "fr")
    assert said.startswith(rp.days_change(view.dso_change_previous, "fr") + " depuis le 30/09/2026")
    assert "sur un an (30/09/2025)" in said


def test_the_receivables_page_shows_over_90_days_in_euros_and_the_dso_change(demo):
    at = open_page("receivables")
    with session_scope(demo.engine) as s:
        view = rv.receivables_view(session=s, entity="SMARTCOOP", as_of=LATEST)
    shown = {m.label: m for m in at.metric}
    over = next(m for label, m in shown.items() if label.startswith("Échu à plus de 90 jours"))
    assert over.value == formatting.money_compact(view.over_90)
    assert over.proto.delta_description == formatting.percent(view.share_over_90 * 100) + " de l'encours"
    dso = next(m for label, m in shown.items() if label.startswith("DSO"))
    assert dso.proto.delta == rp.days_change(view.dso_change_previous, "fr")
    assert dso.proto.delta_description == rp.dso_tile_note(view, "previous", "fr")
    assert dso.proto.delta_description.startswith("depuis le 30/09/2026 · ")  # the date the change is from, then a year
    assert dso.proto.delta_description.endswith(" sur un an") and rp.dso_changes(view, "fr") in dso.proto.help


def test_the_decks_dso_chart_is_on_a_date_axis(demo_store):
    data, _info = build_deck(demo_store.engine, filters=Filters(None, LATEST, "previous", VERSION, "fr"), role="viewer")
    slide = next(s for s in Presentation(io.BytesIO(data)).slides if s.shapes.title.text.startswith("Créances"))
    trend = [sh.chart for sh in slide.shapes if sh.has_chart][1]
    assert trend.part.blob.count(b"<c:dateAx>") == 1  # snapshots spaced by the time between them, not evenly
    subtitle = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert re.search(r"à plus de 90 jours \d[\d\u202f,]*\u00a0[kM]?€ \(\d+,\d\u00a0%\)", subtitle), subtitle  # in € and %


# --------------------------------------------------------------------------- the director's week

NEXT_WEEK = "indicateur;entite;fin_periode;scenario;valeur\nCASH_NET;SMARTFR;29/11/2026;réel;2 900 000\n"
CORRECTION = "indicateur;entite;fin_periode;scenario;valeur\nCASH_NET;SMARTFR;22/11/2026;réel;2 900 000\n"


def test_the_preview_names_the_indicator_and_writes_french_numbers(demo_store):
    from smartdash.importing import preview_file, preview_shown

    with session_scope(demo_store.engine) as s:
        stored = next(
            t.value
            for t in ov.overview_tiles(session=s, filters=Filters("SMARTFR", LATEST, "previous", VERSION))
            if t.indicator == "CASH_NET"
        )
    _diff, preview = preview_file(demo_store.engine, "tresorerie.csv", CORRECTION.encode())
    fr, en = preview_shown(preview, "fr").iloc[0], preview_shown(preview, "en").iloc[0]
    assert fr["key"] == "Trésorerie nette / SmartFr / 22/11/2026 / réel"
    assert en["key"] == "Net cash / SmartFr / 22/11/2026 / actual"
    places = max(0, -stored.normalize().as_tuple().exponent)
    assert fr["change"].startswith(f"valeur : {formatting.number(stored, places=places)} → 2\u202f900\u202f000 ; ")
    assert fr["change"].endswith("synthetique : oui → non")  # the demo's figure was generated; this one is not
    assert "." not in fr["change"] and "CASH_NET" not in fr["key"]


def test_the_as_of_date_follows_the_newest_figures_until_the_reader_chooses_another():
    from smartdash.web.filters import as_of_after

    old, new = LATEST, dt.date(2026, 11, 29)
    assert as_of_after(None, None, old) == old  # a first visit
    assert as_of_after(old, old, new) == new  # a load: the new week, without retyping the date
    assert as_of_after(new, new, old) == old  # its undo: back to the newest figures left
    assert as_of_after(dt.date(2025, 12, 31), old, new) == dt.date(2025, 12, 31)  # a date the reader chose stays


def test_undo_chooses_no_load_by_default_and_asks_before_undoing(demo):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import login
    from tests.test_pages import ROOT

    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/data.py").run()
    assert at.selectbox(key="data_undo_id").value is None  # never the demo's own load unasked
    assert at.button(key="data_undo").disabled
    at.file_uploader(key="data_upload_0").upload("tresorerie.csv", NEXT_WEEK.encode(), "text/csv").run()
    at.button(key="data_confirm").click().run()
    loaded = at.selectbox(key="data_undo_id").value
    assert loaded is not None  # what one undoes next is what one just loaded
    at.button(key="data_undo").click().run()
    assert not any("annulé" in x.value for x in at.success)
    assert at.warning[-1].value.startswith(f"Annuler le chargement n° {loaded} (tresorerie.csv) ?")
    at.button(key="data_undo_cancel").click().run()
    assert not any(b.key == "data_undo_confirm" for b in at.button)  # kept: nothing undone
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert not at.exception
    assert f"Chargement n° {loaded} annulé" in at.success[-1].value


def test_reference_line_labels_sit_above_their_lines_and_are_drawn_once():
    import pandas as pd

    from smartdash import charts

    frame = pd.DataFrame(
        {"period_end": [dt.date(2024, 3, 31), dt.date(2024, 6, 30)], "value": [Decimal(35), Decimal(38)], "series": "DSO"}
    ).assign(dashed=False)
    spec = charts.trajectory_chart(frame, unit="days", title="DSO", lang="fr", rules=[(Decimal(60), "60 j", "#C62828")])
    texts = []

    def walk(node, data):
        if isinstance(node, dict):
            data = node.get("data", data)
            if isinstance(node.get("mark"), dict) and node["mark"].get("type") == "text":
                texts.append((node["mark"], data))
            for v in node.values():
                walk(v, data)
        elif isinstance(node, list):
            for v in node:
                walk(v, data)

    walk(spec.to_dict(), None)
    [(mark, data)] = texts
    assert data == {"values": [{}]}  # its own single datum: one label, not one per row of the chart's data
    assert mark["baseline"] == "bottom" and mark["dy"] < 0  # wholly above its line
