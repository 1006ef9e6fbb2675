"""the committee's notes, decisions, and the snapshot of what a closed meeting was shown

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id"), nullable=True),
        sa.Column("entity_id", sa.Integer(), sa.ForeignKey("entity.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_note_meeting_id", "meeting_note", ["meeting_id"])
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name="ck_decision_status"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_decision_meeting_id", "decision", ["meeting_id"])
    op.create_table(
        "meeting_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("entity_code", sa.String(length=32), nullable=False),
        sa.Column("entity_name", sa.String(length=120), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("plan_value", sa.BigInteger(), nullable=True),
        sa.Column("plan_version", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("taken_by", sa.String(length=120), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_snapshot_meeting_id", "meeting_snapshot", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("meeting_snapshot")
    op.drop_table("decision")
    op.drop_table("meeting_note")
