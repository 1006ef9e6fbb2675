"""The demo data set: the documents' figures written once as data, honest synthetic flags, a deterministic history."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smartdash import formats
from smartdash import models as m
from smartdash.cli import main
from smartdash.config import DEMO_DIR
from smartdash.db import session_scope
from smartdash.demo import AS_WRITTEN, SYNTHETIC, build_demo, demo_file_name, demo_files, read_sources
from smartdash.importing import import_files

END_2023 = dt.date(2023, 12, 31)
# the annual report 2023: salaried members per region (the offices' figures must add up to these)
REGION_TOTALS_2023 = {"Flandre": 1563, "Bruxelles": 10221, "Wallonie": 8124, "Hors Belgique": 169}


def written_files() -> list[tuple[str, bytes]]:
    return [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in formats.LOAD_ORDER
        if (DEMO_DIR / demo_file_name(k)).exists()
    ]


def test_the_written_data_files_load_on_their_own_into_an_empty_store(store):
    files = written_files()
    written = read_sources()
    # every dataset the demo writes has its file, in the importer's load order (derived from the dataset registry)
    assert written.records and set(written.records) <= set(formats.DATASETS)
    assert [name for name, _ in files] == [demo_file_name(k) for k in formats.LOAD_ORDER if k in written.records]
    results = import_files(store.engine, files, loaded_by="test")
    assert {r.file_name: r.inserted for r in results} == {
        demo_file_name(kind): len(rows) for kind, rows in written.records.items()
    }
    assert written.rows("indicators") and written.rows("observations")  # the catalogue and documented figures


def test_documented_figures_are_written_with_their_document_and_place():
    written = read_sources()
    for kind in ("observations", "headcount", "membership", "funding"):
        for row in written.rows(kind):
            assert not row["synthetique"] and row["source"].startswith(
                ("SmartCoop, rapport annuel 2023 — ", "Plan de continuation, novembre 2021 — ")
            ), row
    assert written.figure("AR_SALARIED_MEMBERS_2023") == 20077
    assert written.observed("EQUITY", "SMARTCOOP", END_2023) == Decimal("39856475")


def test_the_history_is_deterministic_and_leaves_the_written_rows_as_they_are():
    first, again, other = build_demo(), build_demo(), build_demo(seed=7)
    assert first == again
    assert first["receivables"] != other["receivables"] and first["observations"] != other["observations"]
    written = read_sources()
    for built in (first, other):
        for kind in AS_WRITTEN:
            assert built[kind][: len(written.rows(kind))] == written.rows(kind), kind
        assert [r for r in built["headcount"] if not r["synthetique"]] == written.rows("headcount")
        assert [r for r in built["membership"] if not r["synthetique"]] == written.rows("membership")
        planned = [
            {k: r[k] for k in ("code", "date_prevue", "montant_prevu", "condition", "note")}
            for r in built["funding"]
            if r["version_plan"] == "PLAN-2021-11"
        ]
        assert planned == [
            {k: r[k] for k in ("code", "date_prevue", "montant_prevu", "condition", "note")} for r in written.rows("funding")
        ]


def test_the_history_is_generated_around_the_documented_figures():
    built = build_demo(seed=7)  # another seed: the documented figures hold whatever the draw
    snapshot = [r for r in built["receivables"] if r["date_situation"] == END_2023]
    assert sum(r["montant_du"] for r in snapshot) == Decimal("23713846")
    # the report gives no past-due balance: the generated one is not the outstanding under reminder (14,5 M€)
    assert sum(r["montant_du"] for r in snapshot if r["date_echeance"] < END_2023) != Decimal("14500000")


def test_demo_data_writes_the_files_load_demo_loads(tmp_path):
    assert main(["demo-data", "--out", str(tmp_path)]) == 0
    assert [(p.name, p.read_bytes()) for p in sorted(tmp_path.iterdir())] == sorted(demo_files())


def test_a_bad_cell_in_a_data_file_is_refused_naming_file_row_and_column(tmp_path):
    shutil.copytree(DEMO_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("31991375", "31 99x 375", 1), encoding="utf-8")
    with pytest.raises(formats.FileRefused) as refused:
        read_sources(tmp_path)
    [problem] = refused.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 2, "valeur")


def test_members_per_office_2023_add_up_to_region_totals_and_20077(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(
            select(m.Office.region, func.sum(m.Membership.members))
            .join(m.Office, m.Office.id == m.Membership.office_id)
            .where(m.Membership.period_end == END_2023)
            .group_by(m.Office.region)
        ).all()
        synthetic = s.scalar(select(func.count()).where(m.Membership.period_end == END_2023, m.Membership.is_synthetic.is_(True)))
    assert dict(rows) == REGION_TOTALS_2023
    assert sum(total for _r, total in rows) == 20077
    assert synthetic == 0
    assert sum(r["membres"] for r in read_sources().rows("membership")) == 20077


def test_members_per_adviser_spread_is_in_the_data(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = dict(
            s.execute(
                select(m.Office.name, m.Membership.members * 1.0 / m.Membership.advisers)
                .join(m.Office, m.Office.id == m.Membership.office_id)
                .where(m.Membership.period_end == END_2023, m.Membership.advisers > 0)
            ).all()
        )
    assert round(rows["Louvain-la-Neuve"]) == 893
    assert round(rows["Bruxelles"]) == 227


def test_receivables_at_end_2023_match_the_annual_report(demo_store):
    with session_scope(demo_store.engine) as s:
        entity = select(m.Entity.id).where(m.Entity.code == "SMARTCOOP").scalar_subquery()
        total = s.scalar(
            select(func.sum(m.ReceivableItem.amount_open)).where(
                m.ReceivableItem.as_of == END_2023, m.ReceivableItem.entity_id == entity
            )
        )
        overdue = s.scalar(
            select(func.sum(m.ReceivableAgeing.amount)).where(
                m.ReceivableAgeing.as_of == END_2023, m.ReceivableAgeing.bucket != "not_due"
            )
        )
        aged = s.scalar(select(func.sum(m.ReceivableAgeing.amount)).where(m.ReceivableAgeing.as_of == END_2023))
    assert total == aged == Decimal("23713846.00")  # trade receivables, balance sheet 2023
    # the outstanding under reminder (14,5 M€) is not a past-due balance: the generated past-due part is not it
    reminded = read_sources().observed("OVERDUE_REMINDED", "SMARTCOOP", END_2023)
    assert reminded == Decimal("14500000") and overdue != reminded


def test_both_values_of_the_waiver_are_kept_with_their_source(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(
            select(m.SourceFigure.value, m.SourceFigure.location).where(m.SourceFigure.code.like("PLAN_WAIVER_SFR_GE%"))
        ).all()
    assert sorted((v, loc) for v, loc in rows) == [
        (Decimal("650000"), "Tableau de financement GrandsEnsemble"),
        (Decimal("675000"), "Mesure 1 (texte)"),
    ]


def planned(session, version: str, beneficiary: str, contributor_class: str, instrument: str | None = None):
    q = (
        select(func.sum(m.FundingContribution.planned_amount))
        .join(m.PlanVersion, m.PlanVersion.id == m.FundingContribution.plan_version_id)
        .join(m.Entity, m.Entity.id == m.FundingContribution.beneficiary_id)
        .join(m.FundingInstrument, m.FundingInstrument.id == m.FundingContribution.instrument_id)
        .where(
            m.PlanVersion.code == version,
            m.Entity.code == beneficiary,
            m.FundingContribution.contributor_class == contributor_class,
        )
    )
    if instrument:
        q = q.where(m.FundingInstrument.code == instrument)
    return session.scalar(q)


def test_the_plans_financing_tables_are_loaded_as_planned_contributions(demo_store):
    with session_scope(demo_store.engine) as s:
        assert planned(s, "PLAN-2021-11", "SMARTFR", "smartbe", "CAPITAL") == Decimal("1500000.00")
        assert planned(s, "PLAN-2021-11", "SMARTFR", "smartbe", "CLAIM_WAIVER") == Decimal("3800000.00")
        assert planned(s, "PLAN-2021-11", "SMARTFR", "members") == Decimal("3677000.00")  # the rows, not 3,6 M€
        assert planned(s, "PLAN-2021-11", "SMARTFR", "partners") == Decimal("1250000.00")
        assert planned(s, "PLAN-2021-11", "GRANDSENSEMBLE", "smartbe") == Decimal("1500000.00")
        assert planned(s, "PLAN-2021-11", "GRANDSENSEMBLE", "members") == Decimal("769000.00")
        assert planned(s, "PLAN-2021-11", "GRANDSENSEMBLE", "partners") + planned(
            s, "PLAN-2021-11", "GRANDSENSEMBLE", "group"
        ) == Decimal("900000.00")
        # the synthetic revision shrinks the partners' round, and leaves the original untouched
        assert planned(s, "PLAN-2024-06", "SMARTFR", "partners") == Decimal("800000.00")
        condition = s.execute(
            select(m.FundingContribution.condition, m.FundingContribution.condition_status).where(
                m.FundingContribution.code == "SFR-2023-SMARTBE-CAPITAL"
            )
        ).first()
    assert condition == ("Bonne marche du plan de continuation", "pending")


def test_exactly_one_plan_version_is_in_force_and_the_revision_is_synthetic(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(select(m.PlanVersion.code, m.PlanVersion.status, m.PlanVersion.is_synthetic)).all()
    assert sorted(rows) == [("PLAN-2021-11", "superseded", False), ("PLAN-2024-06", "in_force", True)]


def test_generated_rows_are_flagged_synthetic_and_document_rows_are_not(demo_store):
    with session_scope(demo_store.engine) as s:
        for model in (m.Observation, m.Headcount, m.Membership, m.ReceivableItem, m.FundingContribution):
            unflagged = s.scalar(
                select(func.count()).select_from(model).where(model.source.like(f"%{SYNTHETIC}%"), model.is_synthetic.is_(False))
            )
            assert unflagged == 0, model.__tablename__
        equity_2023 = s.execute(
            select(m.Observation.value, m.Observation.is_synthetic, m.Observation.source)
            .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
            .join(m.Entity, m.Entity.id == m.Observation.entity_id)
            .where(m.Indicator.code == "EQUITY", m.Entity.code == "SMARTCOOP", m.Observation.period_end == END_2023)
        ).one()
    assert equity_2023 == (Decimal("39856475"), False, "SmartCoop, rapport annuel 2023 — Bilan consolidé")


def test_fte_never_exceeds_headcount_and_follows_hours_paid(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(
            select(m.Headcount.headcount, m.Headcount.fte, m.Headcount.hours_paid).where(m.Headcount.fte.is_not(None))
        ).all()
    assert rows
    for headcount, fte, hours in rows:
        assert fte <= headcount
        if hours is not None:
            assert abs(fte - hours / Decimal("151.67")) < Decimal("0.01")


def test_weekly_history_runs_from_2021_to_the_demo_end(demo_store):
    with session_scope(demo_store.engine) as s:
        first, last, n = s.execute(
            select(func.min(m.Observation.period_end), func.max(m.Observation.period_end), func.count())
            .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
            .join(m.Entity, m.Entity.id == m.Observation.entity_id)
            .where(m.Indicator.code == "CASH_NET", m.Entity.code == "SMARTFR")
        ).one()
    assert (first, last) == (dt.date(2021, 1, 3), dt.date(2026, 11, 22))
    assert n == (last - first).days // 7 + 1


def test_no_open_item_is_invoiced_after_its_snapshot(demo_store):
    with session_scope(demo_store.engine) as s:
        later = s.scalar(
            select(func.count()).select_from(m.ReceivableItem).where(m.ReceivableItem.invoice_date > m.ReceivableItem.as_of)
        )
        at_end_2023 = s.scalar(select(func.count()).select_from(m.ReceivableItem).where(m.ReceivableItem.as_of == END_2023))
    assert later == 0
    assert at_end_2023 == 320


def test_job_protection_plan_departures_come_after_the_plan_of_november_2021(demo_store):
    with session_scope(demo_store.engine) as s:
        first = s.scalar(select(func.min(m.Headcount.period_end)).where(m.Headcount.pse_departures > 0))
    assert first is not None and first > dt.date(2021, 11, 30)
