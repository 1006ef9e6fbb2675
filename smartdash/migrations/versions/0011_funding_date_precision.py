"""funding lines: how precisely the plan gives their date (a day, or only a year: due by its end), and the receipt's
own origin beside the plan line's

Revision ID: 0011_funding_date_precision
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_funding_date_precision"
down_revision = "0008"
branch_labels = None
depends_on = None


PRECISION_CHECK = "date_precision IN ('day', 'year')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # a table constraint would rebuild the table, and a rebuild loses the expression index uq_funding_key: SQLite
        # takes the check on the added column itself
        op.execute(
            "ALTER TABLE funding_contribution ADD COLUMN date_precision VARCHAR(5) DEFAULT 'day' NOT NULL "
            f"CONSTRAINT ck_funding_date_precision CHECK ({PRECISION_CHECK})"
        )
    else:
        op.add_column(
            "funding_contribution", sa.Column("date_precision", sa.String(length=5), server_default="day", nullable=False)
        )
        op.create_check_constraint("ck_funding_date_precision", "funding_contribution", PRECISION_CHECK)
    op.add_column("funding_contribution", sa.Column("received_source", sa.Text(), nullable=True))
    op.add_column("funding_contribution", sa.Column("received_is_synthetic", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("funding_contribution", "received_is_synthetic")
    op.drop_column("funding_contribution", "received_source")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_funding_date_precision", "funding_contribution", type_="check")
    op.drop_column("funding_contribution", "date_precision")
