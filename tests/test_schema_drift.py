"""The models and the migrations describe the same store: Alembic's autogenerate comparison of a store migrated to
the head with `models.Base.metadata` finds no difference, on SQLite and on PostgreSQL. A model changed without its
migration (or a migration without its model) fails here, before it reaches a store."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, Text

from smartdash import models


def differences(engine, metadata: MetaData) -> list:
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (the unique keys with COALESCE); PostgreSQL compares them.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return [d for d in compare_metadata(context, metadata) if not _is_alembic_own(d)]


def _is_alembic_own(diff) -> bool:
    return diff[0] == "remove_table" and diff[1].name == "alembic_version"


def test_the_migrated_store_matches_the_models(store):
    assert differences(store.engine, models.Base.metadata) == []


def test_the_comparison_sees_a_model_change_without_its_migration(store):
    changed = MetaData()
    for table in models.Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["entity"].append_column(Column("colour", Text))
    found = differences(store.engine, changed)
    assert [(d[0], d[3].name) for d in found] == [("add_column", "colour")]
