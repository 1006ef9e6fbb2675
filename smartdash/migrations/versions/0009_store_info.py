"""the store's identity (store_info): backups carry it, restores and running servers check it; unknown logins no
longer kept as typed in the audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import datetime as dt
import secrets
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"  # its ID from before the files were numbered in chain order: stores carry it
down_revision = "0006"  # written after 0010; main chained 0006 there meanwhile
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "store_info",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("store_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_key", sa.String(64), nullable=False),
    )
    op.bulk_insert(
        table,
        [{"id": 1, "store_id": str(uuid.uuid4()), "created_at": dt.datetime.now(dt.UTC), "audit_key": secrets.token_hex(32)}],
    )
    # what was typed in the login field for an unknown login may be a password: it is not kept
    op.execute(
        sa.text(
            "UPDATE audit_event SET login = NULL, detail = 'identifiant inconnu' "
            "WHERE action = 'login_failed' AND login IS NOT NULL "
            "AND login NOT IN (SELECT login FROM app_user)"
        )
    )


def downgrade() -> None:
    op.drop_table("store_info")
