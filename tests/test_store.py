"""The store: migrations, exact money, natural keys, idempotent set-up — on every backend."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from smartdash import models as m
from smartdash import schema
from smartdash.db import session_scope
from smartdash.store import ensure_store, init_store, is_empty

TABLES = [t for t in m.Base.metadata.sorted_tables]


def counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_schema_is_at_the_newest_migration(store):
    assert schema.current_revision(store.engine) == schema.head_revision()
    assert schema.upgrade(store.engine) is False  # nothing left to apply


def test_exact_amounts_survive_the_round_trip(store):
    amounts = [Decimal("23713846.00"), Decimal("-5900277.00"), Decimal("0.01"), Decimal("92233720368547.75")]
    with session_scope(store.engine) as s:
        s.add(m.Entity(code="X", name="X", country="FR", legal_form="SA"))
        s.flush()
        entity_id = s.scalar(select(m.Entity.id))
        s.add(m.Indicator(code="I", label_fr="i", label_en="i", unit="EUR", direction="up", frequency="yearly"))
        s.flush()
        indicator_id = s.scalar(select(m.Indicator.id))
        for i, amount in enumerate(amounts):
            s.add(m.Observation(indicator_id=indicator_id, entity_id=entity_id, period_end=dt.date(2020 + i, 12, 31),
                                scenario="actual", value=amount))
    with session_scope(store.engine) as s:
        stored = s.scalars(select(m.Observation.value).order_by(m.Observation.period_end)).all()
        total = s.scalar(select(func.sum(m.Observation.value)))
    assert stored == amounts
    assert all(isinstance(v, Decimal) for v in stored)
    assert total == sum(amounts)


def test_money_is_never_a_float():
    with pytest.raises(TypeError, match="never floats"):
        m.Money.process_bind_param(1.5, None)


def test_natural_key_with_no_office_is_unique(store):
    """NULL office must not let the same entity-level value be stored twice."""
    with session_scope(store.engine) as s:
        s.add(m.Entity(code="X", name="X", country="FR", legal_form="SA"))
        s.add(m.Indicator(code="I", label_fr="i", label_en="i", unit="EUR", direction="up", frequency="yearly"))
    row = {"indicator_id": 1, "entity_id": 1, "office_id": None, "period_end": dt.date(2024, 12, 31),
           "scenario": "actual", "plan_version_id": None, "value": Decimal(1), "is_synthetic": False}
    with session_scope(store.engine) as s:
        s.execute(insert(m.Observation), [row])
    with pytest.raises(IntegrityError), session_scope(store.engine) as s:
        s.execute(insert(m.Observation), [dict(row, value=Decimal(2))])


def test_a_plan_value_needs_its_plan_version(store):
    with session_scope(store.engine) as s:
        s.add(m.Entity(code="X", name="X", country="FR", legal_form="SA"))
        s.add(m.Indicator(code="I", label_fr="i", label_en="i", unit="EUR", direction="up", frequency="yearly"))
    with pytest.raises(IntegrityError), session_scope(store.engine) as s:
        s.add(m.Observation(indicator_id=1, entity_id=1, period_end=dt.date(2024, 12, 31), scenario="plan",
                            value=Decimal(1)))


def test_init_with_demo_twice_changes_nothing(store):
    first = init_store(store.engine, demo=True)
    after_first = counts(store.engine)
    second = init_store(store.engine, demo=True)
    assert first.demo_rows_written > 10_000
    assert second.demo_rows_written == 0
    assert second.migrated is False
    assert counts(store.engine) == after_first
    assert "déjà chargée" in second.line()


def test_first_start_loads_the_demo_only_into_an_empty_store(store):
    assert is_empty(store.engine)
    assert ensure_store(store.engine, load_demo_when_empty=True) is True
    assert not is_empty(store.engine)
    assert ensure_store(store.engine, load_demo_when_empty=True) is False


def test_first_start_without_demo_leaves_the_store_empty(store):
    assert ensure_store(store.engine, load_demo_when_empty=False) is False
    assert is_empty(store.engine)
