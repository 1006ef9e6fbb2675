"""The demo data set: the documents' figures, honest synthetic flags, deterministic files."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from smartdash import formats
from smartdash import models as m
from smartdash.config import DEMO_DIR
from smartdash.db import session_scope
from smartdash.demo import OFFICES_2023, REGION_TOTALS_2023, SYNTHETIC, build_demo, demo_file_name

END_2023 = dt.date(2023, 12, 31)


def test_committed_demo_files_are_what_the_generator_writes():
    for kind, records in build_demo().items():
        committed = (DEMO_DIR / demo_file_name(kind)).read_text(encoding="utf-8")
        assert committed == formats.write_csv(formats.DATASETS[kind], records), (
            f"{demo_file_name(kind)} is stale: run python -m smartdash demo-data"
        )


def test_members_per_office_2023_add_up_to_region_totals_and_20077(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(
            select(m.Office.region, func.sum(m.Membership.members))
            .join(m.Office, m.Office.id == m.Membership.office_id)
            .where(m.Membership.period_end == END_2023)
            .group_by(m.Office.region)
        ).all()
        synthetic = s.scalar(select(func.count()).where(m.Membership.period_end == END_2023,
                                                        m.Membership.is_synthetic.is_(True)))
    assert dict(rows) == REGION_TOTALS_2023
    assert sum(total for _r, total in rows) == 20077
    assert synthetic == 0
    assert sum(members for *_x, members, _a in OFFICES_2023) == 20077


def test_members_per_adviser_spread_is_in_the_data(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = dict(s.execute(
            select(m.Office.name, m.Membership.members * 1.0 / m.Membership.advisers)
            .join(m.Office, m.Office.id == m.Membership.office_id)
            .where(m.Membership.period_end == END_2023, m.Membership.advisers > 0)
        ).all())
    assert round(rows["Louvain-la-Neuve"]) == 893
    assert round(rows["Bruxelles"]) == 227


def test_receivables_at_end_2023_match_the_annual_report(demo_store):
    with session_scope(demo_store.engine) as s:
        entity = select(m.Entity.id).where(m.Entity.code == "SMARTCOOP").scalar_subquery()
        total = s.scalar(select(func.sum(m.ReceivableItem.amount_open))
                         .where(m.ReceivableItem.as_of == END_2023, m.ReceivableItem.entity_id == entity))
        overdue = s.scalar(select(func.sum(m.ReceivableAgeing.amount)).where(
            m.ReceivableAgeing.as_of == END_2023, m.ReceivableAgeing.bucket != "not_due"))
        aged = s.scalar(select(func.sum(m.ReceivableAgeing.amount)).where(m.ReceivableAgeing.as_of == END_2023))
    assert total == aged == Decimal("23713846.00")  # trade receivables, balance sheet 2023
    assert overdue == Decimal("14500000.00")        # outstanding under reminder, annual report


def test_both_values_of_the_waiver_are_kept_with_their_source(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(select(m.SourceFigure.value, m.SourceFigure.location)
                         .where(m.SourceFigure.code.like("PLAN_WAIVER_SFR_GE%"))).all()
    assert sorted((v, loc) for v, loc in rows) == [
        (Decimal("650000"), "Tableau de financement GrandsEnsemble"),
        (Decimal("675000"), "Mesure 1 (texte)"),
    ]


def planned(session, version: str, beneficiary: str, contributor_class: str, instrument: str | None = None):
    q = (select(func.sum(m.FundingContribution.planned_amount))
         .join(m.PlanVersion, m.PlanVersion.id == m.FundingContribution.plan_version_id)
         .join(m.Entity, m.Entity.id == m.FundingContribution.beneficiary_id)
         .join(m.FundingInstrument, m.FundingInstrument.id == m.FundingContribution.instrument_id)
         .where(m.PlanVersion.code == version, m.Entity.code == beneficiary,
                m.FundingContribution.contributor_class == contributor_class))
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
            s, "PLAN-2021-11", "GRANDSENSEMBLE", "group") == Decimal("900000.00")
        # the synthetic revision shrinks the partners' round, and leaves the original untouched
        assert planned(s, "PLAN-2024-06", "SMARTFR", "partners") == Decimal("800000.00")
        condition = s.execute(select(m.FundingContribution.condition, m.FundingContribution.condition_status)
                              .where(m.FundingContribution.code == "SFR-2023-SMARTBE-CAPITAL")).first()
    assert condition == ("Bonne marche du plan de continuation", "pending")


def test_exactly_one_plan_version_is_in_force_and_the_revision_is_synthetic(demo_store):
    with session_scope(demo_store.engine) as s:
        rows = s.execute(select(m.PlanVersion.code, m.PlanVersion.status, m.PlanVersion.is_synthetic)).all()
    assert sorted(rows) == [("PLAN-2021-11", "superseded", False), ("PLAN-2024-06", "in_force", True)]


def test_generated_rows_are_flagged_synthetic_and_document_rows_are_not(demo_store):
    with session_scope(demo_store.engine) as s:
        for model in (m.Observation, m.Headcount, m.Membership, m.ReceivableItem, m.FundingContribution):
            unflagged = s.scalar(select(func.count()).select_from(model)
                                 .where(model.source.like(f"%{SYNTHETIC}%"), model.is_synthetic.is_(False)))
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
        rows = s.execute(select(m.Headcount.headcount, m.Headcount.fte, m.Headcount.hours_paid)
                         .where(m.Headcount.fte.is_not(None))).all()
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
        later = s.scalar(select(func.count()).select_from(m.ReceivableItem)
                         .where(m.ReceivableItem.invoice_date > m.ReceivableItem.as_of))
        at_end_2023 = s.scalar(select(func.count()).select_from(m.ReceivableItem)
                               .where(m.ReceivableItem.as_of == END_2023))
    assert later == 0
    assert at_end_2023 == 320


def test_job_protection_plan_departures_come_after_the_plan_of_november_2021(demo_store):
    with session_scope(demo_store.engine) as s:
        first = s.scalar(select(func.min(m.Headcount.period_end)).where(m.Headcount.pse_departures > 0))
    assert first is not None and first > dt.date(2021, 11, 30)
