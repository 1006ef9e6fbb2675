"""the books: entities' SIREN, the trial balance read from a ledger export (FEC), the account → indicator mapping
seeded with the PCG default

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"  # its ID from before the files were numbered in chain order: stores carry it
down_revision = "0005"
branch_labels = None
depends_on = None

# the PCG default as it stood when this migration was written (smartdash.fec_mapping.PCG_DEFAULT; a test keeps
# them equal): indicator, prefixes, side, rule, measure
PCG_DEFAULT = (
    ("EQUITY", "10 11 12 13 14 6 7", "credit", "net", "balance"),
    ("QUASI_EQUITY", "1671 1675 455", "credit", "net", "balance"),
    ("NET_RESULT", "6 7", "credit", "net", "balance"),
    ("SHARE_CAPITAL", "101", "credit", "net", "balance"),
    ("RESERVES", "106", "credit", "net", "balance"),
    ("RETAINED_EARNINGS", "11", "credit", "net", "balance"),
    ("PROVISIONS", "15", "credit", "net", "balance"),
    ("DEBTS", "16 17 40 41 42 43 44 45 46 51", "credit", "side", "balance"),
    ("DEBTS", "1671", "credit", "exclude", "balance"),
    ("TRADE_RECEIVABLES", "411", "debit", "net", "balance"),
    ("CASH", "51 53", "debit", "side", "balance"),
    ("CASH_NET", "51 53", "debit", "net", "balance"),
    ("TURNOVER", "70", "credit", "net", "monthly"),
    ("GROSS_MARGIN", "70 601 602 603 604 607 609", "credit", "net", "monthly"),
)


def upgrade() -> None:
    with op.batch_alter_table("entity") as batch:
        batch.add_column(sa.Column("siren", sa.String(length=9), nullable=True))
    op.create_index("ix_entity_siren", "entity", ["siren"], unique=True)
    op.create_table(
        "ledger_balance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("entity_id", sa.Integer(), sa.ForeignKey("entity.id"), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.Column("load_id", sa.Integer(), sa.ForeignKey("data_load.id"), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_balance_load_id", "ledger_balance", ["load_id"])
    op.create_index("uq_ledger_balance_key", "ledger_balance", ["entity_id", "as_of", "account"], unique=True)
    mapping = op.create_table(
        "account_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("side", sa.String(length=6), nullable=False),
        sa.Column("rule", sa.String(length=8), nullable=False),
        sa.Column("measure", sa.String(length=8), nullable=False),
        sa.CheckConstraint("side IN ('debit', 'credit')", name="ck_account_mapping_side"),
        sa.CheckConstraint("rule IN ('net', 'side', 'exclude')", name="ck_account_mapping_rule"),
        sa.CheckConstraint("measure IN ('balance', 'monthly')", name="ck_account_mapping_measure"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("uq_account_mapping_key", "account_mapping", ["indicator_code", "prefix"], unique=True)
    op.bulk_insert(
        mapping,
        [
            {"indicator_code": indicator, "prefix": prefix, "side": side, "rule": rule, "measure": measure}
            for indicator, prefixes, side, rule, measure in PCG_DEFAULT
            for prefix in prefixes.split()
        ],
    )


def downgrade() -> None:
    op.drop_table("account_mapping")
    op.drop_table("ledger_balance")
    op.drop_index("ix_entity_siren", table_name="entity")
    with op.batch_alter_table("entity") as batch:
        batch.drop_column("siren")
