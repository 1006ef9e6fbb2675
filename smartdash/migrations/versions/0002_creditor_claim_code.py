"""creditor claims get a stable code, so instalment files can name their claim

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # no store holds claims yet (they arrive with this release), so the column can be NOT NULL at once
    with op.batch_alter_table("creditor_claim") as batch:
        batch.add_column(sa.Column("code", sa.String(length=60), nullable=False, server_default=""))
    with op.batch_alter_table("creditor_claim") as batch:
        batch.alter_column("code", server_default=None)
        batch.create_unique_constraint("uq_creditor_claim_code", ["code"])


def downgrade() -> None:
    with op.batch_alter_table("creditor_claim") as batch:
        batch.drop_constraint("uq_creditor_claim_code", type_="unique")
        batch.drop_column("code")
