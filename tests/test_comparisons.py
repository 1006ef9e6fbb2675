"""What each figure is compared with, on the demo store: the plan's value for the same period, the plan version in
force at the as-of date, the targets the plan states, bridges that close, payments counted for their own year."""

import datetime as dt
from decimal import Decimal

import pytest

from smartdash import queries
from smartdash.db import session_scope
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.present import equity as ep
from smartdash.present import funding as fp
from smartdash.views import Filters
from smartdash.views import equity as ev
from smartdash.views import funding as fv
from smartdash.views import overview as ov
from smartdash.views import rules as rules_views

END_2021, END_2023, LATEST = dt.date(2021, 12, 31), dt.date(2023, 12, 31), dt.date(2026, 11, 22)
ENTITIES = [None, "SMARTFR", "GRANDSENSEMBLE", "ALTERNA", "SMARTCOOP"]


def in_force(engine, day: dt.date) -> str:
    with session_scope(engine) as s:
        return queries.version_in_force(session=s, on=day)


def test_the_version_in_force_follows_the_as_of_date(demo_store):
    assert in_force(demo_store.engine, END_2023) == "PLAN-2021-11"  # the June 2024 revision came later
    assert in_force(demo_store.engine, dt.date(2024, 6, 29)) == "PLAN-2021-11"
    assert in_force(demo_store.engine, dt.date(2024, 6, 30)) == "PLAN-2024-06"
    assert in_force(demo_store.engine, LATEST) == "PLAN-2024-06"


@pytest.mark.parametrize("as_of", [END_2021, END_2023, LATEST])
@pytest.mark.parametrize("version", ["PLAN-2021-11", "PLAN-2024-06"])
def test_no_plan_figure_is_compared_with_an_actual_of_another_period(demo_store, as_of, version):
    """Every view that sets a plan value beside an actual returns the plan's period: it must be the actual's."""
    with session_scope(demo_store.engine) as s:
        for entity in ENTITIES:
            f = Filters(entity, as_of, "plan", version)
            tiles = ov.overview_tiles(session=s, filters=f)
            for t in tiles:
                if t.plan_value is not None:
                    assert t.plan_period_end == t.period_end, (t.indicator, t.entity)
                    assert t.compare_value == t.plan_value
            funding = fv.funding_view(session=s, filters=f, definition=OnePlusOneDefinition())
            if not funding.lines.empty:
                assert set(funding.coverage_planned["until"]) == set(funding.coverage_actual["until"]) == {as_of}
                assert set(funding.coverage_plan_end["until"]) == {dt.date(2031, 12, 31)}  # labelled as the plan's end
            for code, name in ov.tile_entities(session=s, entity=entity):
                view = ev.equity_view(session=s, filters=f, entity=code, entity_name=name)
                if view.plan_at_latest is not None:
                    assert view.plan_at_latest_period == dt.date(view.latest_date, 12, 31)
            for item in rules_views.attention_items(session=s, filters=f, tiles=tiles):
                said = item.text.render("fr")
                if said.startswith("Couverture 1+1 réalisée"):
                    assert "prévue à date" in said


def test_planned_coverage_at_the_latest_date_is_the_plans_value_to_that_date(demo_store):
    f = Filters(None, LATEST, "previous", in_force(demo_store.engine, LATEST))
    with session_scope(demo_store.engine) as s:
        view = fv.funding_view(session=s, filters=f, definition=OnePlusOneDefinition())
    planned = view.coverage_planned.set_index("entity")
    assert planned.loc["SMARTFR", "matched_eur"] == Decimal("2210333.34")  # 2,21 M€ ÷ 1,5 M€
    assert round(planned.loc["SMARTFR", "coverage"], 2) == Decimal("1.47")
    assert round(planned.loc["GRANDSENSEMBLE", "coverage"], 2) == Decimal("0.36")
    assert round(view.coverage_plan_end.set_index("entity").loc["SMARTFR", "coverage"], 2) == Decimal("2.98")
    assert view.plan_end_year == 2031


def test_a_figure_the_plan_prints_twice_says_which_value_the_coverage_uses(demo_store):
    f = Filters(None, LATEST, "previous", "PLAN-2021-11")
    with session_scope(demo_store.engine) as s:
        view = fv.funding_view(session=s, filters=f, definition=OnePlusOneDefinition(include_group_waivers=True))
    rows = view.discrepancies.set_index("contributor_class")
    assert (rows.loc["group", "used_eur"], rows.loc["group", "used"]) == (Decimal("650000.00"), "b")  # not 675 k€
    assert (rows.loc["members", "used_eur"], rows.loc["members", "used"]) == (Decimal("3677000.00"), "b")  # not 3,6 M€
    assert rows.loc["members", "note"] == "Les lignes du tableau (134 k€ + 143 k€ + 3,4 M€) font 3,677 M€."
    assert bool(rows.loc["group", "counted"])
    caption = fp.coverage_caption(view, "fr")
    assert "la couverture compte 3\u202f677\u202f000\u00a0€ (le plan imprime aussi 3\u202f600\u202f000\u00a0€)" in caption
    assert fp.group_waiver_switch(view, "fr").endswith("650\u00a0k€ comptés, le texte du plan dit 675\u00a0k€)")


def test_subscriptions_are_counted_for_the_year_they_are_due_for(demo_store):
    """SmartFr's 2022 subscriptions (132 031,36 €) arrived on 6 February 2023, 2024's (341 150,22 €) in February
    2025: by year of payment 2022 got 2021's money and 2021 read 0 %."""
    f = Filters("SMARTFR", LATEST, "previous", "PLAN-2024-06")
    with session_scope(demo_store.engine) as s:
        view = fv.funding_view(session=s, filters=f, definition=OnePlusOneDefinition())
    frame = view.subscriptions["SMARTFR"].set_index("year")
    assert frame.loc[2022, "paid_up_eur"] == Decimal("132031.36")
    assert frame.loc[2024, "paid_up_eur"] == Decimal("341150.22")
    assert 2021 not in frame.index  # the plan states the rule from 2022
    assert view.subscription_rule.statement.render("fr").startswith("Règle statutaire : 2 %")
    at_2023 = Filters("SMARTFR", END_2023, "previous", "PLAN-2021-11")
    with session_scope(demo_store.engine) as s:
        early = fv.funding_view(session=s, filters=at_2023, definition=OnePlusOneDefinition()).subscriptions["SMARTFR"]
    assert list(early["year"]) == [2022]  # 2023's subscriptions are due in January 2024: not a 0 % yet


def test_smartcoops_bridge_closes_to_the_booked_equity(demo_store):
    f = Filters("SMARTCOOP", END_2023, "previous", "PLAN-2021-11")
    with session_scope(demo_store.engine) as s:
        view = ev.equity_view(session=s, filters=f, entity="SMARTCOOP", entity_name="SmartCoop")
    bridge = view.bridge(2023)
    steps = dict(bridge.steps())
    assert steps["capital_paid_in"] == Decimal(512260) and steps["reserves"] == Decimal(13253118)
    assert steps["closing"] == Decimal(39856475)  # booked, not 26,1 M€
    assert steps["unexplained"] == Decimal(-2)
    assert view.half_capital is None and view.country == "BE"
    frame = ev.bridge_frame(bridge, ep.bridge_labels(bridge, "fr"))
    assert list(frame["step"]) == [
        "Ouverture",
        "Résultat",
        "Capital (var. nette)",
        "Réserves",
        "Report (hors rés. 2022)",
        "Non expliqué",
        "Clôture",
    ]
    assert not view.has_plan and ep.plan_positive_label(view, "fr") == "—" and ep.break_even_label(view, "fr") == "—"


@pytest.mark.parametrize(("version", "year"), [("PLAN-2021-11", 2024), ("PLAN-2024-06", 2025)])
def test_the_break_even_target_is_the_one_each_version_states(demo_store, version, year):
    f = Filters(None, LATEST, "previous", version)
    with session_scope(demo_store.engine) as s:
        view = ev.equity_view(session=s, filters=f, entity="GRANDSENSEMBLE", entity_name="GrandsEnsemble")
    assert view.break_even.year == year  # the planned result is ≥ 0 from 2021 (the waiver): never "dès 2021"
    assert ep.break_even_label(view, "fr") == str(year)
    assert view.plan_end_year == 2031 and view.half_capital is not None


def test_a_year_past_the_plans_horizon_says_so():
    assert ep.year_label(2101, 2031, "fr", none="Jamais") == "au-delà de 2031"
    assert ep.year_label(2029, 2031, "fr", none="Jamais") == "2029"
    assert ep.year_label(None, 2031, "fr", none="Jamais") == "Jamais"
    assert ep.year_label(None, 2031, "fr", none=None) == "au-delà de 2031"
    assert ep.year_label(2101, 2031, "en", none=None) == "beyond 2031"


def deck_text(engine, filters: Filters) -> tuple[list[str], object]:
    """Every text of a deck (text boxes, tables, chart series and categories), slide by slide, and the deck."""
    import io

    from pptx import Presentation

    from smartdash.export.slides import build_deck

    data, _info = build_deck(engine, filters=filters, role="viewer")
    prs = Presentation(io.BytesIO(data))
    texts = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                plot = shape.chart.plots[0]
                parts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
        texts.append("\n".join(parts))
    return texts, prs


def test_the_deck_at_end_2023_is_measured_against_the_plan_then_in_force(demo_store):
    texts, _prs = deck_text(demo_store.engine, Filters(None, END_2023, "previous", in_force(demo_store.engine, END_2023)))
    assert "plan : PLAN-2021-11 ·" in texts[0] and "adoptée après" not in "".join(texts)
    later, _prs = deck_text(demo_store.engine, Filters(None, END_2023, "previous", "PLAN-2024-06"))
    assert "plan : PLAN-2024-06 (adoptée après cette date)" in later[0]  # footer and cover alike
    assert all("PLAN-2024-06 (adoptée après cette date)" in t for t in later)  # every slide's footer


@pytest.mark.parametrize("as_of", [END_2021, END_2023, LATEST])
def test_the_deck_shows_no_missing_value_hyphen_minus_or_inferred_target(demo_store, as_of):
    import re

    texts, _prs = deck_text(demo_store.engine, Filters(None, as_of, "previous", in_force(demo_store.engine, as_of)))
    whole = "\n".join(texts)
    for bad in ("NaN", "None", "nan", "inf", "dès "):
        assert not re.search(rf"(?<![\w]){bad}(?![\w])", whole), bad
    assert not re.search(r"(?<![\w/])-\d", whole)  # a negative figure takes U+2212
    coverage = next(t for t in texts if t.startswith("Règle du 1+1"))
    day = as_of.strftime("%d/%m/%Y")
    # the page's chart (planned and achieved to date, each naming the day), the plan's end said in words beside it
    assert f"prévue au {day}" in coverage and "réalisée" in coverage and "jusqu'en 2031" in coverage
    stated = 2024 if as_of < dt.date(2024, 6, 30) else 2025  # the revision in force from 30/06/2024 moved it
    equity = [t for t in texts if t.startswith("Capitaux propres — ")]
    assert len(equity) == 3 and all(f"équilibre visé (énoncé par le plan) : {stated} ;" in t for t in equity)


def test_smartcoops_deck_bridge_ends_at_booked_equity(demo_store):
    texts, _prs = deck_text(demo_store.engine, Filters("SMARTCOOP", END_2023, "previous", "PLAN-2021-11"))
    bridge = next(t for t in texts if t.startswith("Pont des capitaux propres 2023 — SmartCoop"))
    assert "Contrôle (comptabilisé − calculé) : \u22122\u00a0€ — montré comme « non expliqué »" in bridge


def test_a_stated_target_of_one_entity_overrides_the_one_for_every_entity(store):
    from smartdash.demo import load_demo
    from smartdash.formats import FileRefused
    from smartdash.importing import import_files

    load_demo(store.engine)
    good = (
        "version_plan;entite;cible;valeur;unite;enonce_fr;source\n"
        "PLAN-2021-11;;BREAK_EVEN_YEAR;2026;année;Équilibre de toutes les entités en 2026;Essai\n"
        "PLAN-2021-11;ALTERNA;BREAK_EVEN_YEAR;2023;année;Alterna à l'équilibre en 2023;Essai\n"
    )
    import_files(store.engine, [("cibles.csv", good.encode())], loaded_by="test")
    with session_scope(store.engine) as s:
        targets = queries.plan_targets(session=s, plan_version="PLAN-2021-11")
    assert ev.stated_target(targets, "BREAK_EVEN_YEAR", "ALTERNA").year == 2023
    assert ev.stated_target(targets, "BREAK_EVEN_YEAR", "SMARTFR").year == 2024  # its own row, from the demo
    assert ev.stated_target(targets, "BREAK_EVEN_YEAR", "SMARTCOOP").statement.render("fr") == (
        "Équilibre de toutes les entités en 2026"
    )
    header = "version_plan;entite;cible;valeur;unite;enonce_fr\n"
    for row, column in (
        ("PLAN-2021-11;ALTERNA;BREAK_EVEN_YEAR;2025;année;\n", "enonce_fr"),  # the wording is the target
        ("PLAN-2021-11;NOWHERE;BREAK_EVEN_YEAR;2025;année;En 2025\n", "entite"),
    ):
        with pytest.raises(FileRefused) as refused:
            import_files(store.engine, [("cibles.csv", (header + row).encode())], loaded_by="test")
        assert [(p.file, p.row, p.column) for p in refused.value.problems] == [("cibles.csv", 2, column)]
    with session_scope(store.engine) as s:
        assert len(queries.plan_targets(session=s, plan_version="PLAN-2021-11")) == len(targets)  # nothing written


def test_the_digest_writes_changes_as_the_pages_do():
    from smartdash import digest

    assert digest._signed(Decimal("-0.3"), "percent", "fr") == "\u22120,3\u00a0pt"  # a rate's change, in points
    assert digest._signed(Decimal(-1200000), "EUR", "fr") == "\u22121,2\u00a0M€"
    assert digest._signed(Decimal(0), "EUR", "fr") == "="
