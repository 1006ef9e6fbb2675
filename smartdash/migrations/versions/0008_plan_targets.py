"""the targets a plan version states in words (break-even year, contribution rate, …) are data, per entity and version

Revision ID: 0006
Revises: 0010
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"  # its ID from before the files were numbered in chain order: stores carry it
down_revision = "0010"  # written after 0005; main had chained 0009 and 0010 there meanwhile
branch_labels = None
depends_on = None

UNITS = ("EUR", "count", "FTE", "percent", "ratio", "days", "months", "year", "hours")


def upgrade() -> None:
    op.create_table(
        "plan_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=True),
        sa.Column("statement_fr", sa.Text(), nullable=False),
        sa.Column("statement_en", sa.Text(), nullable=True),
        sa.Column("load_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.CheckConstraint("unit IN (" + ", ".join(repr(u) for u in UNITS) + ")", name="ck_plan_target_unit"),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"]),
        sa.ForeignKeyConstraint(["load_id"], ["data_load.id"]),
        sa.ForeignKeyConstraint(["plan_version_id"], ["plan_version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_plan_target_load_id"), "plan_target", ["load_id"], unique=False)
    op.create_index(op.f("ix_plan_target_plan_version_id"), "plan_target", ["plan_version_id"], unique=False)
    op.create_index(
        "uq_plan_target_key",
        "plan_target",
        ["plan_version_id", sa.literal_column("coalesce(entity_id, 0)"), "target"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_plan_target_key", table_name="plan_target")
    op.drop_index(op.f("ix_plan_target_plan_version_id"), table_name="plan_target")
    op.drop_index(op.f("ix_plan_target_load_id"), table_name="plan_target")
    op.drop_table("plan_target")
