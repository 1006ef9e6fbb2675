"""The SQL store's tables (SQLAlchemy 2 typed models).

Every fact row carries its provenance: the load it came from (file, checksum, who, when),
a `source` text naming the document and the place in it, and `is_synthetic` for demo
values generated where the documents give no history.

Money and other exact quantities are stored as scaled integers (`Fixed`), so SQLite and
PostgreSQL hold the same exact values and nothing passes through a float.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from smartdash.codes import (  # noqa: F401 - the code lists are read as models.<NAME> too
    AGEING_BUCKETS,
    CLAIM_OPTIONS,
    CONDITION_STATUSES,
    CONTRIBUTOR_CLASSES,
    DATE_PRECISIONS,
    DECISION_STATUSES,
    DELIVERY_STATUSES,
    DIRECTIONS,
    EQUITY_CLASSES,
    FREQUENCIES,
    FUNDING_STATUSES,
    HEADCOUNT_SCENARIOS,
    LOAD_ACTIONS,
    LOAD_STATUSES,
    MAIL_KINDS,
    MAPPING_MEASURES,
    MAPPING_RULES,
    MAPPING_SIDES,
    MEETING_STATUSES,
    PLAN_STATUSES,
    POPULATIONS,
    ROLES,
    SCENARIOS,
    THRESHOLD_MODES,
    UNITS,
)


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK that `column` takes one of a fixed set of codes (constants, not user data)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Fixed(TypeDecorator):
    """An exact decimal stored as a BIGINT scaled by 10**scale (money: scale 2, i.e. cents)."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2):
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if type(value) is not Decimal:
            if isinstance(value, float):
                raise TypeError("exact quantities are never floats: pass a Decimal, an int or a str")
            value = Decimal(value)
        scaled = value.scaleb(self.scale)
        whole = int(scaled)
        if whole != scaled:  # more decimals than the column keeps: round half to even
            whole = int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        return whole

    def bind_many(self, values: list, dialect) -> list:
        """`process_bind_param` over a column of values (a bulk insert): by C-level passes when every value is a
        Decimal with no more decimals than kept, else value by value."""
        bound = None
        if set(map(type, values)) == {Decimal}:
            scaled = list(map(Decimal.scaleb, values, itertools.repeat(self.scale)))
            whole = list(map(int, scaled))
            bound = whole if whole == scaled else None
        if bound is None:
            bound = [self.process_bind_param(v, dialect) for v in values]
        impl = self.impl_instance.dialect_impl(dialect).bind_processor(dialect)
        return bound if impl is None else list(map(impl, bound))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)


Money = Fixed(2)


class Base(DeclarativeBase):
    def __repr__(self) -> str:
        key = getattr(self, "code", None) or getattr(self, "id", None)
        return f"<{type(self).__name__} {key}>"


class ProvenanceMixin:
    """Where a fact row comes from."""

    load_id: Mapped[int | None] = mapped_column(ForeignKey("data_load.id"), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class DataLoad(Base):
    """One file loaded into the store (imports and the demo data set alike)."""

    __tablename__ = "data_load"
    __table_args__ = (CheckConstraint(_in("status", LOAD_STATUSES), name="ck_data_load_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    loaded_by: Mapped[str] = mapped_column(String(120))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_deleted: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="applied")
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(120))


class LoadChange(Base):
    """What a load changed, row by row: the history of corrected values, and what undo restores."""

    __tablename__ = "load_change"
    __table_args__ = (CheckConstraint(_in("action", LOAD_ACTIONS), name="ck_load_change_action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("data_load.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the replaced row, for updates


class Entity(Base):
    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    legal_form: Mapped[str] = mapped_column(String(120))
    under_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # the French company number: a ledger export (FEC) named {SIREN}FEC{date}.txt is recognised as this entity's
    siren: Mapped[str | None] = mapped_column(String(9), index=True, unique=True)


class Office(Base):
    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Indicator(Base):
    """The committee's indicator catalogue: a new indicator is a row, not code."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint(_in("unit", UNITS), name="ck_indicator_unit"),
        CheckConstraint(_in("direction", DIRECTIONS), name="ck_indicator_direction"),
        CheckConstraint(_in("frequency", FREQUENCIES), name="ck_indicator_frequency"),
        CheckConstraint(_in("threshold_mode", THRESHOLD_MODES), name="ck_indicator_threshold_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(12))
    direction: Mapped[str] = mapped_column(String(4))
    frequency: Mapped[str] = mapped_column(String(10))
    owner: Mapped[str | None] = mapped_column(String(120))
    # "plan": amber/red are % of unfavourable deviation from plan; "absolute": levels.
    threshold_mode: Mapped[str] = mapped_column(String(10), default="plan")
    amber_threshold: Mapped[Decimal | None] = mapped_column(Fixed(4))
    red_threshold: Mapped[Decimal | None] = mapped_column(Fixed(4))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)


class PlanVersion(Base):
    """A version of the continuation plan; every plan value belongs to one."""

    __tablename__ = "plan_version"
    __table_args__ = (CheckConstraint(_in("status", PLAN_STATUSES), name="ck_plan_version_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    adopted_by: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    note: Mapped[str | None] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class PlanTarget(ProvenanceMixin, Base):
    """A target a plan version states in words ("break-even by 2024", "13 % of gross margin"), kept as stated:
    never inferred from the plan's figures. No entity: the target holds for every entity under the plan."""

    __tablename__ = "plan_target"
    __table_args__ = (CheckConstraint(_in("unit", UNITS), name="ck_plan_target_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"))
    target: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(Fixed(4))
    unit: Mapped[str] = mapped_column(String(12))
    from_year: Mapped[int | None] = mapped_column(Integer)
    statement_fr: Mapped[str] = mapped_column(Text)
    statement_en: Mapped[str | None] = mapped_column(Text)


class Observation(ProvenanceMixin, Base):
    """A value of an indicator for an entity (and office) at a period end, in a scenario."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint(_in("scenario", SCENARIOS), name="ck_observation_scenario"),
        CheckConstraint("scenario <> 'plan' OR plan_version_id IS NOT NULL", name="ck_observation_plan"),
        CheckConstraint("scenario <> 'actual' OR plan_version_id IS NULL", name="ck_observation_actual"),
        Index("ix_observation_series", "indicator_id", "entity_id", "scenario", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    scenario: Mapped[str] = mapped_column(String(10))
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id"))
    value: Mapped[Decimal] = mapped_column(Fixed(4))


class FundingInstrument(Base):
    """Kinds of funding; whether each counts under the 1+1 rule is the committee's choice."""

    __tablename__ = "funding_instrument"
    __table_args__ = (CheckConstraint(_in("equity_class", EQUITY_CLASSES), name="ck_instrument_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    # equity: capitaux propres; quasi_equity: quasi-fonds propres, never summed into equity.
    equity_class: Mapped[str] = mapped_column(String(14))
    counts_one_plus_one: Mapped[bool] = mapped_column(Boolean, default=True)


class FundingContribution(ProvenanceMixin, Base):
    """A contribution or round foreseen by a plan version (or not), and what became of it."""

    __tablename__ = "funding_contribution"
    __table_args__ = (
        CheckConstraint(_in("contributor_class", CONTRIBUTOR_CLASSES), name="ck_funding_class"),
        CheckConstraint(_in("status", FUNDING_STATUSES), name="ck_funding_status"),
        CheckConstraint(
            "condition_status IS NULL OR " + _in("condition_status", CONDITION_STATUSES),
            name="ck_funding_condition",
        ),
        CheckConstraint(_in("date_precision", DATE_PRECISIONS), name="ck_funding_date_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id"))
    contributor: Mapped[str] = mapped_column(String(120))
    contributor_class: Mapped[str] = mapped_column(String(10))
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("funding_instrument.id"))
    period_label: Mapped[str | None] = mapped_column(String(20))
    planned_date: Mapped[dt.date] = mapped_column(Date)
    # "year": the plan gives only the year ("en 2022"); planned_date is then that year's 31/12, the day it is due by
    date_precision: Mapped[str] = mapped_column(String(5), default="day", server_default="day")
    planned_amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(10), default="planned")
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    received_amount: Mapped[Decimal | None] = mapped_column(Money)
    # the receipt's own origin, where it differs from the plan line's (`source`, `is_synthetic`); None: the line's
    received_source: Mapped[str | None] = mapped_column(Text)
    received_is_synthetic: Mapped[bool | None] = mapped_column(Boolean)
    condition: Mapped[str | None] = mapped_column(Text)
    condition_status: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)


class Headcount(ProvenanceMixin, Base):
    """People per entity and period: permanent staff or salaried members, actual or planned."""

    __tablename__ = "headcount"
    __table_args__ = (
        CheckConstraint(_in("population", POPULATIONS), name="ck_headcount_population"),
        CheckConstraint(_in("scenario", HEADCOUNT_SCENARIOS), name="ck_headcount_scenario"),
        CheckConstraint("scenario <> 'plan' OR plan_version_id IS NOT NULL", name="ck_headcount_plan"),
        CheckConstraint("headcount >= 0", name="ck_headcount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    population: Mapped[str] = mapped_column(String(8))
    scenario: Mapped[str] = mapped_column(String(8), default="actual")
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id"))
    headcount: Mapped[int] = mapped_column(Integer)
    fte: Mapped[Decimal | None] = mapped_column(Fixed(2))
    hours_paid: Mapped[Decimal | None] = mapped_column(Fixed(2))
    entries: Mapped[int | None] = mapped_column(Integer)
    exits: Mapped[int | None] = mapped_column(Integer)
    pse_departures: Mapped[int | None] = mapped_column(Integer)


class Membership(ProvenanceMixin, Base):
    """Members, sociétaires and advisers of an office at a period end."""

    __tablename__ = "membership"
    __table_args__ = (Index("uq_membership_key", "office_id", "period_end", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    members: Mapped[int] = mapped_column(Integer)
    societaires: Mapped[int | None] = mapped_column(Integer)
    advisers: Mapped[int | None] = mapped_column(Integer)


class ReceivableItem(ProvenanceMixin, Base):
    """An open invoice in a receivables snapshot taken at `as_of`."""

    __tablename__ = "receivable_item"
    __table_args__ = (
        Index("uq_receivable_item_key", "as_of", "entity_id", "invoice_no", unique=True),
        CheckConstraint("due_date >= invoice_date", name="ck_receivable_due_after_invoice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    client: Mapped[str] = mapped_column(String(200))
    invoice_no: Mapped[str] = mapped_column(String(60))
    invoice_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    amount_open: Mapped[Decimal] = mapped_column(Money)


class ReceivableAgeing(Base):
    """Receivables snapshot pre-aggregated at load time: open amount per ageing bucket."""

    __tablename__ = "receivable_ageing"
    __table_args__ = (CheckConstraint(_in("bucket", AGEING_BUCKETS), name="ck_ageing_bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    bucket: Mapped[str] = mapped_column(String(10))
    items: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class LedgerBalance(ProvenanceMixin, Base):
    """An account's total debits and credits in an entity's books at `as_of`: the trial balance read from its
    ledger export (FEC). The balance is debit − credit."""

    __tablename__ = "ledger_balance"
    __table_args__ = (Index("uq_ledger_balance_key", "entity_id", "as_of", "account", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    account: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    debit: Mapped[Decimal] = mapped_column(Money)
    credit: Mapped[Decimal] = mapped_column(Money)


class AccountMapping(Base):
    """Which accounts of the books make an indicator: the PCG default, editable by admins.

    An account counts in an indicator under the indicator's longest prefix it starts with: `exclude` leaves it
    out, `net` adds its balance, `side` adds it only when its own balance is on `side` (a bank account in
    overdraft is a debt, not cash). `side` also says which way the balance is positive (credit: credit − debit).
    `measure` is the balance at the as-of date, or the movements of each calendar month (flows: turnover)."""

    __tablename__ = "account_mapping"
    __table_args__ = (
        CheckConstraint(_in("side", MAPPING_SIDES), name="ck_account_mapping_side"),
        CheckConstraint(_in("rule", MAPPING_RULES), name="ck_account_mapping_rule"),
        CheckConstraint(_in("measure", MAPPING_MEASURES), name="ck_account_mapping_measure"),
        Index("uq_account_mapping_key", "indicator_code", "prefix", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    prefix: Mapped[str] = mapped_column(String(20))
    side: Mapped[str] = mapped_column(String(6))
    rule: Mapped[str] = mapped_column(String(8))
    measure: Mapped[str] = mapped_column(String(8))

    def __repr__(self) -> str:
        return f"<AccountMapping {self.indicator_code} {self.prefix} {self.rule}>"


class CreditorClaim(ProvenanceMixin, Base):
    """A claim admitted in the plan, with the option its creditor chose."""

    __tablename__ = "creditor_claim"
    __table_args__ = (
        CheckConstraint(_in("option", CLAIM_OPTIONS), name="ck_claim_option"),
        Index("uq_creditor_claim_key", "entity_id", "creditor", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"))
    creditor: Mapped[str] = mapped_column(String(200))
    creditor_class: Mapped[str] = mapped_column(String(60))
    admitted_amount: Mapped[Decimal] = mapped_column(Money)
    option: Mapped[str] = mapped_column(String(10))


class Instalment(ProvenanceMixin, Base):
    """One yearly instalment of an admitted claim under the plan."""

    __tablename__ = "instalment"
    __table_args__ = (Index("uq_instalment_key", "claim_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("creditor_claim.id"))
    seq: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date] = mapped_column(Date)
    pct_of_claim: Mapped[Decimal] = mapped_column(Fixed(4))
    amount_due: Mapped[Decimal] = mapped_column(Money)
    amount_paid: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)


class Meeting(Base):
    """A committee meeting; "since last meeting" compares with its as-of date."""

    __tablename__ = "meeting"
    __table_args__ = (CheckConstraint(_in("status", MEETING_STATUSES), name="ck_meeting_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date, unique=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="planned")
    attendees: Mapped[str | None] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class SourceFigure(Base):
    """A figure as printed in a source document, kept verbatim (both values where a document disagrees
    with itself)."""

    __tablename__ = "source_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    document: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    label_fr: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    value: Mapped[Decimal] = mapped_column(Fixed(4))
    unit: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    load_id: Mapped[int | None] = mapped_column(ForeignKey("data_load.id"))


# Natural keys with an optional part: NULL never equals NULL in a unique index, so the optional
# column is folded to 0 (ids start at 1). Both SQLite and PostgreSQL index expressions.
Index(
    "uq_observation_key",
    Observation.indicator_id,
    Observation.entity_id,
    func.coalesce(Observation.office_id, 0),
    Observation.period_end,
    Observation.scenario,
    func.coalesce(Observation.plan_version_id, 0),
    unique=True,
)
Index(
    "uq_funding_key",
    FundingContribution.code,
    func.coalesce(FundingContribution.plan_version_id, 0),
    unique=True,
)
Index(
    "uq_headcount_key",
    Headcount.entity_id,
    Headcount.period_end,
    Headcount.population,
    Headcount.scenario,
    func.coalesce(Headcount.plan_version_id, 0),
    unique=True,
)
Index(
    "uq_plan_target_key",
    PlanTarget.plan_version_id,
    func.coalesce(PlanTarget.entity_id, 0),
    PlanTarget.target,
    unique=True,
)
Index(
    "uq_receivable_ageing_key",
    ReceivableAgeing.entity_id,
    ReceivableAgeing.as_of,
    func.coalesce(ReceivableAgeing.office_id, 0),
    ReceivableAgeing.bucket,
    unique=True,
)


class User(Base):
    """A local account; the password is stored only as an argon2 hash."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None: single sign-on only
    role: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    email: Mapped[str | None] = mapped_column(String(254))  # where the digest and the alerts go

    def __repr__(self) -> str:
        return f"<User {self.login} {self.role}>"


class AuditEvent(Base):
    """Who did what, when: logins, failed logins, lockouts, loads, undos, exports, changes to users and data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    login: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class MeetingNote(Base):
    """The committee's comment on an indicator (or on the meeting) — stored as plain text, shown inert."""

    __tablename__ = "meeting_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    """A decision or action of a meeting, with its owner and due date; open until closed."""

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint(_in("status", DECISION_STATUSES), name="ck_decision_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MeetingSnapshot(Base):
    """What a closed meeting was shown, kept as presented: later corrections never change it."""

    __tablename__ = "meeting_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(12))
    entity_code: Mapped[str] = mapped_column(String(32))
    entity_name: Mapped[str] = mapped_column(String(120))
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(Fixed(4))
    plan_value: Mapped[Decimal | None] = mapped_column(Fixed(4))
    plan_version: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str | None] = mapped_column(String(8))
    taken_by: Mapped[str] = mapped_column(String(120))
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# --------------------------------------------------------------------------- e-mail: subscriptions, alerts, deliveries


class Subscription(Base):
    """What an account receives by e-mail: the weekly digest, the alerts or both, in which language. Its entities
    are in subscription_entity; none listed means every entity under the plan."""

    __tablename__ = "subscription"
    __table_args__ = (CheckConstraint("lang IN ('fr', 'en')", name="ck_subscription_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), unique=True)
    digest: Mapped[bool] = mapped_column(Boolean, default=True)
    alerts: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(2), default="fr")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(120))


class SubscriptionEntity(Base):
    __tablename__ = "subscription_entity"

    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), primary_key=True)


class AlertState(Base):
    """The state of a watched condition at the last alerts run (an indicator's colour, an instalment late or not…):
    what the next run compares with."""

    __tablename__ = "alert_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    entity_code: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12))
    as_of: Mapped[dt.date] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Alert(Base):
    """A condition that changed for the worse, raised once; each subscriber's copy is a mail_delivery row."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    entity_code: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12))
    previous_state: Mapped[str | None] = mapped_column(String(12))
    as_of: Mapped[dt.date] = mapped_column(Date)
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    page: Mapped[str] = mapped_column(String(40))
    message_fr: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)


class MailDelivery(Base):
    """One e-mail owed to one account — a week's digest or an alert — sent, or failed and retried at the next run.
    Never the content: what was sent is rebuilt from the store."""

    __tablename__ = "mail_delivery"
    __table_args__ = (
        CheckConstraint(_in("kind", MAIL_KINDS), name="ck_mail_delivery_kind"),
        CheckConstraint(_in("status", DELIVERY_STATUSES), name="ck_mail_delivery_status"),
        CheckConstraint(
            "(kind = 'digest') = (period IS NOT NULL) AND (kind = 'alert') = (alert_id IS NOT NULL)",
            name="ck_mail_delivery_target",
        ),
        # NULL never equals NULL: a digest row (alert_id NULL) and an alert row (period NULL) never collide
        Index("uq_mail_delivery_digest", "user_id", "period", unique=True),
        Index("uq_mail_delivery_alert", "user_id", "alert_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    period: Mapped[str | None] = mapped_column(String(10))  # the digest's ISO week, e.g. 2026-W48
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"))
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class StoreInfo(Base):
    """The store's identity, one row: a backup carries it, a restore checks it, a running server compares it with the
    store it opened before writing."""

    __tablename__ = "store_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    audit_key: Mapped[str] = mapped_column(String(64))  # keys the audit log's short digests of unknown logins

    def __repr__(self) -> str:
        return f"StoreInfo({self.store_id})"


class DataChange(Base):
    """One row per committed write that changes what a page shows: loads, undos, the committee's notes, decisions
    and snapshots, catalogue and plan-version edits, account changes. Logins and exports write none. The newest id
    is the store's data version, which the pages' caches are keyed by (see smartdash.change_log)."""

    __tablename__ = "data_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    tables: Mapped[str] = mapped_column(String(255))  # the tables the write changed, for whoever reads the log
