"""Plan versions: a version's values are its own, exactly one is in force, and the drift names who moved what."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from smartdash import models as m
from smartdash.db import session_scope
from smartdash.demo import load_demo
from smartdash.formats import FileRefused
from smartdash.importing import import_files, preview_file
from smartdash.present import versions as vp
from smartdash.views import versions as vv
from tests.conftest import login


@pytest.fixture
def demo(store):
    load_demo(store.engine)
    return store


def plan_values(engine, version: str) -> list[tuple]:
    with session_scope(engine) as s:
        return sorted(
            s.execute(
                select(m.Observation.indicator_id, m.Observation.entity_id, m.Observation.period_end, m.Observation.value)
                .join(m.PlanVersion, m.PlanVersion.id == m.Observation.plan_version_id)
                .where(m.PlanVersion.code == version)
            ).all()
        )


NEW_PLAN = (
    "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
    "NET_RESULT;SMARTFR;31/12/2026;plan;PLAN-2026-03;-50 000\n"
    "NET_RESULT;SMARTFR;31/12/2027;plan;PLAN-2026-03;100 000\n"
)


def test_plan_values_for_a_new_version_create_a_draft_and_leave_the_other_versions_untouched(demo):
    before = {v: plan_values(demo.engine, v) for v in ("PLAN-2021-11", "PLAN-2024-06")}
    diff, preview = preview_file(demo.engine, "plan.csv", NEW_PLAN.encode())
    assert diff.new_versions == ["PLAN-2026-03"] and len(diff.inserts) == 2
    with session_scope(demo.engine) as s:  # the preview wrote nothing
        assert s.scalar(select(m.PlanVersion).where(m.PlanVersion.code == "PLAN-2026-03")) is None
    import_files(demo.engine, [("plan.csv", NEW_PLAN.encode())], loaded_by="test")
    with session_scope(demo.engine) as s:
        version = s.scalar(select(m.PlanVersion).where(m.PlanVersion.code == "PLAN-2026-03"))
        assert (version.status, version.note) == ("draft", "Créée par le chargement de plan.csv")
    assert {v: plan_values(demo.engine, v) for v in before} == before
    assert [row[3] for row in plan_values(demo.engine, "PLAN-2026-03")] == [Decimal(-50000), Decimal(100000)]


def test_a_second_version_in_force_is_refused(demo):
    text = "code;nom;statut\nPLAN-2021-11;Plan de continuation — novembre 2021;en vigueur\n"
    with pytest.raises(FileRefused, match="exactement une version du plan en vigueur"):
        import_files(demo.engine, [("versions.csv", text.encode())], loaded_by="test")
    with session_scope(demo.engine) as s:
        assert s.scalar(select(m.PlanVersion.status).where(m.PlanVersion.code == "PLAN-2021-11")) == "superseded"


def test_a_revision_can_replace_the_version_in_force_in_one_file(demo):
    text = (
        "code;nom;adopte_le;statut\n"
        "PLAN-2024-06;Révision du plan — juin 2024 (démonstration);30/06/2024;remplacée\n"
        "PLAN-2026-09;Révision de septembre 2026;30/09/2026;en vigueur\n"
    )
    import_files(demo.engine, [("versions.csv", text.encode())], loaded_by="test")
    with session_scope(demo.engine) as s:
        assert s.scalars(select(m.PlanVersion.code).where(m.PlanVersion.status == "in_force")).all() == ["PLAN-2026-09"]


def test_the_drift_reports_changed_targets_with_both_values_and_the_version_that_changed_them(demo_store):
    with session_scope(demo_store.engine) as s:
        view = vv.versions_view(session=s)
    assert list(view.versions["code"]) == ["PLAN-2021-11", "PLAN-2024-06"]
    drift = view.target_drift
    row = drift[
        (drift["indicator"] == "NET_RESULT")
        & (drift["entity_name"] == "SmartFr")
        & (drift["period_end"] == dt.date(2024, 12, 31))
    ].iloc[0]
    assert (row["before"], row["after"]) == (Decimal(0), Decimal(-180000))
    assert (row["before_version"], row["after_version"]) == ("PLAN-2021-11", "PLAN-2024-06")
    assert not (drift["indicator"] == "TURNOVER").any()  # unchanged targets are not listed
    [round_] = view.funding_drift.to_dict("records")
    assert (round_["code"], round_["before_amount"], round_["after_amount"]) == (
        "SFR-2023-PARTENAIRES",
        Decimal("1250000.00"),
        Decimal("800000.00"),
    )
    assert (round_["before_date"], round_["after_date"]) == (dt.date(2023, 12, 31), dt.date(2025, 12, 31))
    milestones = view.milestones.set_index(["entity", "version"])
    assert milestones.loc[("SmartFr", "PLAN-2021-11"), "break_even_year"] == 2024
    assert milestones.loc[("SmartFr", "PLAN-2024-06"), "break_even_year"] == 2025


def test_the_break_even_year_is_the_one_the_plan_states_never_read_off_its_results(demo_store):
    """GrandsEnsemble's planned result is positive in 2021 only through the 650 k€ intra-group waiver; the plan says
    2024. A version that states no year says so, never "dès None"."""
    with session_scope(demo_store.engine) as s:
        view = vv.versions_view(session=s)
    milestones = view.milestones.set_index(["entity", "version"])
    assert milestones.loc[("GrandsEnsemble", "PLAN-2021-11"), "break_even_year"] == 2024
    assert milestones.loc[("GrandsEnsemble", "PLAN-2024-06"), "break_even_year"] == 2025
    shown = vp.milestones_table(view, "fr").set_index(["Entité", "Version"])
    assert shown.loc[("GrandsEnsemble", "PLAN-2021-11"), "Équilibre visé (énoncé par le plan)"] == "2024"
    targets = view.targets
    stated = targets[(targets["target"] == "BREAK_EVEN_YEAR") & (targets["entity"] == "GRANDSENSEMBLE")]
    assert list(stated["statement_fr"])[0] == "Équilibre économique (résultat net ≥ 0) en 2024"
    assert list(stated["source"])[0] == "Plan de continuation, novembre 2021 — mesure 3"
    # a version that states no break-even year: its table says so instead of inferring one
    unstated = vv.VersionsView(
        view.versions, view.milestones.assign(break_even_year=None), targets.iloc[0:0], view.target_drift, view.funding_drift
    )
    column = vp.milestones_table(unstated, "fr")["Équilibre visé (énoncé par le plan)"]
    assert set(column) == {"non précisé"}


def test_the_versions_page_lists_versions_and_drift(demo_store, app_env):

    app_env(demo_store.url)
    at = login(AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/versions.py").run()
    assert not at.exception
    funding = next(t.value for t in at.dataframe if "Apport" in t.value.columns)
    assert list(funding.iloc[0]) == [
        "Partenaires financiers → SmartFr",
        "1,25\u00a0M€ (31/12/2023)",
        "800\u00a0k€ (31/12/2025)",
        "PLAN-2024-06",
        "démo / synthétique",
    ]
    milestones = next(t.value for t in at.dataframe if "Équilibre visé (énoncé par le plan)" in t.value.columns)
    first = milestones[(milestones["Entité"] == "SmartFr") & (milestones["Version"] == "PLAN-2021-11")].iloc[0]
    # the break-even year is the plan's own words, the equity path is generated: the row says both
    assert first["Origine"] == ("équilibre : Plan de continuation, novembre 2021 — mesure 3 · trajectoire : démo / synthétique")
    stated = next(t.value for t in at.dataframe if "Énoncé" in t.value.columns)
    assert "Source" not in stated.columns and set(stated["Origine"]) >= {"démo / synthétique"}
    assert not any(c in ("—", "") for c in stated["Origine"])
