"""What the pages show, assembled from the store: tiles, attention list, comparisons, per-page views."""

import datetime as dt
from decimal import Decimal

from smartdash.db import session_scope
from smartdash.demo import load_demo
from smartdash.importing import import_files
from smartdash.metrics.receivables import BUCKETS
from smartdash.present import execution as execution_text
from smartdash.present import overview as op
from smartdash.present import people as people_text
from smartdash.present import receivables as receivables_text
from smartdash.views import Filters, people, receivables, rules
from smartdash.views import overview as ov
from smartdash.views import rules as rules_views

END = dt.date(2026, 11, 22)


def tiles_for(engine, **kw):
    f = Filters(**{"entity": "SMARTFR", "as_of": END, "compare": "previous", "plan_version": "PLAN-2024-06", **kw})
    with session_scope(engine) as s:
        tiles = ov.overview_tiles(session=s, filters=f)
        return tiles, rules_views.attention_items(session=s, filters=f, tiles=tiles)


def test_a_new_key_indicator_added_as_data_shows_as_a_tile_with_its_status(store):
    load_demo(store.engine)
    files = {
        "indicateurs.csv": "code;libelle_fr;libelle_en;unite;sens;frequence;mode_seuils;seuil_orange;seuil_rouge;cle\n"
        "BACKLOG;Carnet de commandes;Order book;EUR;hausse;mensuelle;plan;5;10;oui\n",
        "observations.csv": "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
        "BACKLOG;SMARTFR;31/10/2026;réel;;920 000\n"
        "BACKLOG;SMARTFR;31/10/2026;plan;PLAN-2024-06;1 000 000\n",
    }
    import_files(store.engine, [(n, t.encode()) for n, t in files.items()], loaded_by="test")
    tiles, attention = tiles_for(store.engine)
    tile = next(t for t in tiles if t.indicator == "BACKLOG")
    assert (op.tile_label(tile, "fr"), tile.value, tile.plan_value) == ("Carnet de commandes", Decimal(920000), Decimal(1000000))
    assert tile.gap_pct == Decimal(-8) and tile.status == "amber"  # 8 % under plan: between 5 and 10
    assert not any("Carnet" in op.attention_text(a, "fr") for a in attention)  # amber is not red


def test_tiles_compare_with_the_previous_period_the_last_meeting_or_the_plan(demo_store):
    previous, _ = tiles_for(demo_store.engine)
    meeting, _ = tiles_for(demo_store.engine, compare="meeting")
    plan, _ = tiles_for(demo_store.engine, compare="plan")
    cash = {
        name: next(t for t in tiles if t.indicator == "CASH_NET")
        for name, tiles in (("previous", previous), ("meeting", meeting), ("plan", plan))
    }
    assert cash["previous"].period_end == END and op.compare_text(cash["previous"], "fr") == "période précédente"
    # the last meeting before 22/11/2026 was held on 15/09/2026 on figures as of 31/08/2026
    assert op.compare_text(cash["meeting"], "fr") == "dernier comité (31 août 2026)"
    assert cash["meeting"].compare_value != cash["previous"].compare_value
    assert cash["plan"].compare_value is None and cash["plan"].status is None  # cash has no plan
    equity = next(t for t in plan if t.indicator == "EQUITY")
    assert equity.compare_value == equity.plan_value and equity.change == equity.gap


def test_gap_to_plan_follows_the_chosen_plan_version(demo_store):
    revised, _ = tiles_for(demo_store.engine, as_of=dt.date(2024, 12, 31))
    original, _ = tiles_for(demo_store.engine, as_of=dt.date(2024, 12, 31), plan_version="PLAN-2021-11")
    result = {
        name: next(t for t in tiles if t.indicator == "NET_RESULT")
        for name, tiles in (("revised", revised), ("original", original))
    }
    assert result["original"].plan_value == Decimal(0)  # break-even in 2024 as adopted in November 2021
    assert result["revised"].plan_value == Decimal(-180000)  # the (synthetic) revision moved it to 2025
    assert result["original"].status == "red"


def test_attention_lists_late_rounds_pending_conditions_and_coverage(demo_store):
    _, attention = tiles_for(demo_store.engine, entity=None)
    messages = [op.attention_text(a, "fr") for a in attention]
    assert not any(m.startswith("Apport en retard : SmartBe") for m in messages)  # conditional: never late while pending
    late = "Apport en retard : Partenaires financiers → SmartFr, 800\u202f000\u00a0€ prévu en 2025"
    assert late + " (au plus tard le 31 décembre 2025)" in messages
    assert any(m.startswith("Condition en attente : « Bonne marche du plan de continuation »") for m in messages)
    assert any(
        m.startswith("Règle 1+1, jugée pour le groupe (SmartFr + GrandsEnsemble)") and "version PLAN-2024-06" in m
        for m in messages
    )
    assert any(m.startswith("Couverture 1+1 de GrandsEnsemble, jugée par rapport à son propre plan à date") for m in messages)


def test_membership_view_flags_the_office_with_most_members_per_adviser(demo_store):
    with session_scope(demo_store.engine) as s:
        view = people.membership_view(session=s, filters=Filters(None, dt.date(2023, 12, 31), "previous", None))
    offices = view.offices.set_index("office_name")
    assert view.total_members == 20077 and view.median_per_adviser == Decimal("227.1333333333333333333333333")
    assert list(offices.index[offices["stands_out"]]) == ["Louvain-la-Neuve"]
    assert list(people_text.ages_labelled(view, "fr")["band"]) == ["< 25 ans", "26–45 ans", "> 46 ans"]


def test_receivables_view_at_end_2023(demo_store):
    with session_scope(demo_store.engine) as s:
        view = receivables.receivables_view(session=s, entity="SMARTCOOP", as_of=dt.date(2024, 1, 15))
    assert view.as_of == dt.date(2023, 12, 31)  # the newest snapshot on or before the as-of date
    assert view.total == Decimal("23713846.00")
    # the past-due part is generated: never the report's outstanding under reminder, which is not a past-due balance
    reminded = view.references.set_index("code").loc["OVERDUE_REMINDED", "value"]
    assert view.is_synthetic and view.overdue != reminded == Decimal(14500000)
    assert view.dso_period == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert sum(view.buckets["amount"]) == view.total


def test_receivables_view_dates_and_sources_what_it_shows(demo_store):
    with session_scope(demo_store.engine) as s:
        view = receivables.receivables_view(session=s, entity="SMARTCOOP", as_of=dt.date(2023, 12, 31))
    assert view.origin.all_synthetic  # the open items are generated
    assert [t.days for t in view.rule.terms] == [30, 60]  # SmartCoop is Belgian
    trend = view.dso_trend.set_index("period_end")
    assert list(trend.index) == sorted(trend.index) and trend.index[-1] == dt.date(2023, 12, 31)
    assert trend.loc[dt.date(2023, 12, 31), "value"] == view.dso_days
    published = view.references.set_index("code")
    assert published.loc["TRADE_RECEIVABLES", "value"] == Decimal(23713846)
    assert published.loc["TRADE_RECEIVABLES", "source"] == "SmartCoop, rapport annuel 2023 — Bilan consolidé"
    assert published.loc["OVERDUE_REMINDED", "value"] == Decimal(14500000)
    assert not published["is_synthetic"].any()
    table = receivables_text.references_table(view, "fr")
    assert list(table["Période"]) == ["au 31/12/2023", "en 2023", "en 2023"]
    assert "pas un solde échu" in table["Chiffre"].iloc[1]


def test_job_protection_plan_departures_are_not_shown_before_the_plan_was_adopted(demo_store):
    f = Filters(None, END, "previous", "PLAN-2021-11")
    with session_scope(demo_store.engine) as s:
        every = people.headcount_view(session=s, filters=f, entities=["SMARTFR"])
        after = people.headcount_view(session=s, filters=f, entities=["SMARTFR"], plan_adopted_on=dt.date(2022, 4, 1))
    assert sorted({d.month for d in every.pse["period_end"]}) == [1, 2, 3, 4, 5, 6]
    assert sorted({d.month for d in after.pse["period_end"]}) == [4, 5, 6]


def test_membership_view_dates_the_sociétaires_by_their_own_year(demo_store):
    with session_scope(demo_store.engine) as s:
        view = people.membership_view(session=s, filters=Filters(None, dt.date(2025, 12, 31), "previous", None))
    assert view.period_end == dt.date(2025, 12, 31) and view.offices_origin.all_synthetic
    assert (view.societaires, view.societaires_date) == (Decimal(37670), dt.date(2023, 12, 31))
    assert not view.societaires_origin.synthetic
    regions = view.regions
    assert regions[[d.year == 2023 for d in regions["period_end"]]]["is_synthetic"].eq(False).all()
    assert regions[[d.year == 2022 for d in regions["period_end"]]]["is_synthetic"].all()


def test_an_attention_rule_is_one_registered_unit_and_the_list_follows_the_registration_order(demo_store, monkeypatch):
    _, before = tiles_for(demo_store.engine, entity=None)
    monkeypatch.setattr(rules, "RULES", dict(rules.RULES))

    @rules.attention_rule("every_entity")
    def _every_entity(ctx):
        return [ov.Attention("amber", f"{sorted(ctx.names)[0]}, {len(ctx.tiles)} tuiles", "overview")]

    tiles, after = tiles_for(demo_store.engine, entity=None)
    assert after[:-1] == before and after[-1] == ov.Attention("amber", f"ALTERNA, {len(tiles)} tuiles", "overview")


def test_without_a_plan_version_only_the_red_indicators_are_raised(demo_store):
    tiles, attention = tiles_for(demo_store.engine, entity=None, plan_version=None)
    assert [a.page for a in attention] == ["overview"] * sum(t.status == "red" for t in tiles)


def test_the_execution_view_gives_its_yearly_series_as_codes_and_the_edge_translates_them(demo_store):
    from smartdash.views import execution

    for lang in ("fr", "en"):
        f = Filters("SMARTFR", END, "previous", "PLAN-2024-06", lang)
        with session_scope(demo_store.engine) as s:
            view = execution.execution_view(session=s, filters=f, entity="SMARTFR", entity_name="SmartFr", plan_adopted_on=None)
        assert set(view.by_year["series"]) == set(execution.INSTALMENT_SERIES)
    labelled = execution_text.by_year_labelled(view.by_year, "fr")
    assert set(labelled["series"]) == {"dû", "payé"} and list(labelled["value"]) == list(view.by_year["value"])


def test_the_receivables_view_holds_bucket_codes_and_the_edge_labels_them_in_either_language(demo_store):
    with session_scope(demo_store.engine) as s:
        view = receivables.receivables_view(session=s, entity="SMARTCOOP", as_of=dt.date(2023, 12, 31))
    codes = list(BUCKETS)  # the code list every ageing is cut by, oldest last
    assert list(view.buckets["bucket"]) == codes and "label" not in view.buckets
    assert set(view.trend["bucket"]) <= set(codes) and set(view.by_office["bucket"]) <= set(codes)
    assert list(receivables_text.labelled(view.buckets, "fr")["label"]) == ["Non échu", "1–30 j", "31–60 j", "61–90 j", "> 90 j"]
    assert list(receivables_text.ageing_frame(view, "en")["bucket"]) == ["Not yet due", "1–30 d", "31–60 d", "61–90 d", "> 90 d"]


def test_views_hold_data_and_codes_and_never_read_the_readers_language():
    """The layering the pages, the deck and the PDF rely on: smartdash.views returns data and codes, and only
    smartdash.present turns them into text. A view that takes `lang`, reads `filters.lang` or translates fails."""
    import ast
    from pathlib import Path

    import smartdash.views

    found = []
    for path in sorted(Path(smartdash.views.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.arg) and node.arg == "lang":
                found.append(f"{path.name}:{node.lineno} takes lang")
            if isinstance(node, ast.Attribute) and node.attr == "lang":
                found.append(f"{path.name}:{node.lineno} reads .lang")
            if isinstance(node, ast.ImportFrom) and node.module == "smartdash.i18n":
                found += [
                    f"{path.name}:{node.lineno} imports {a.name}"
                    for a in node.names
                    if a.name in ("_", "_p", "gettext", "ngettext", "bilingual")
                ]
    assert found == []


def test_a_view_is_the_same_for_every_reader_and_its_texts_follow_the_reader(demo_store):
    with session_scope(demo_store.engine) as s:
        fr = ov.overview_tiles(session=s, filters=Filters(None, END, "plan", "PLAN-2024-06", "fr"))
        en = ov.overview_tiles(session=s, filters=Filters(None, END, "plan", "PLAN-2024-06", "en"))
        attention = rules_views.attention_items(session=s, filters=Filters(None, END, "plan", "PLAN-2024-06"), tiles=fr)
    assert fr == en
    assert op.tile_label(fr[0], "fr") != op.tile_label(fr[0], "en")
    assert attention, "the demo store has items that need attention"
    said = {op.attention_text(a, "fr") for a in attention} & {op.attention_text(a, "en") for a in attention}
    assert not said, f"an attention message reads the same in French and English: {said}"
