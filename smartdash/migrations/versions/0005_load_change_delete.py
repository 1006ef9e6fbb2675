"""a load may remove rows (a receivables snapshot replaced whole), kept in history for undo

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("load_change") as batch:
        batch.drop_constraint("ck_load_change_action", type_="check")
        batch.create_check_constraint("ck_load_change_action", "action IN ('insert', 'update', 'delete')")
    with op.batch_alter_table("data_load") as batch:
        batch.add_column(sa.Column("rows_deleted", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("data_load") as batch:
        batch.drop_column("rows_deleted")
    with op.batch_alter_table("load_change") as batch:
        batch.drop_constraint("ck_load_change_action", type_="check")
        batch.create_check_constraint("ck_load_change_action", "action IN ('insert', 'update')")
