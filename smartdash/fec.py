"""The French ledger export (*Fichier des écritures comptables*, FEC, LPF art. A47 A-1): recognised by its header,
checked line by line as the tax administration's test tool checks it, read as a stream and aggregated — never
every line in memory — and turned into the committee's figures: the trial balance at the as-of date, the
indicators the account mapping names (smartdash.fec_mapping), the open customer items aged with the entity's
payment term. They are loaded through the same machinery as every other file: one load (file, SHA-256, who,
when), the rows it replaced kept for undo, the file named as every row's source.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from smartdash import formats, models, queries
from smartdash.config import load_settings
from smartdash.db import session_scope
from smartdash.fec_header import BOM, Source, recognised  # noqa: F401 - fec.recognised, fec.Source
from smartdash.fec_mapping import EQUITY, QUASI_EQUITY, RECEIVABLES, Mapping, rules
from smartdash.formats import LEDGER_BALANCES, Dataset, FileRefused, ParsedFile, Problem
from smartdash.formatting import money, number, shown
from smartdash.i18n import N_, Text, _, text
from smartdash.importing import (
    Diff,
    LoadResult,
    Lookups,
    check_removals,
    collector_paused,
    compute_diff,
    record_load,
    write_diff,
)

HEADER = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SIGNED_HEADER = HEADER[:11] + ("Montant", "Sens") + HEADER[13:]
# fields the specification makes mandatory (by position; Debit/Credit or Montant/Sens at 11 and 12)
REQUIRED = (0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15)
MAX_PROBLEMS = 500
FILE_NAME = re.compile(r"(\d{9})FEC(\d{8})", re.IGNORECASE)
_DEBIT_SENSE, _CREDIT_SENSE = {b"D", b"d", b"+1"}, {b"C", b"c", b"-1"}
LONGEST_YEAR_MONTHS = 24  # a first financial year may run beyond 12 months, never beyond 24

FEC = Dataset("fec", "Écritures comptables (FEC)", "Ledger export (FEC)", (), ("entite", "date_situation"), "fec")


# a file's content, or the path of a file on disk (read as a stream, never whole in memory)


def _open(source: Source) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # closed by the callers


def _size(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else os.path.getsize(source)


def encoding_and_checksum(source: Source) -> tuple[str, str]:
    """One pass over the file by chunks: UTF-8 when all of it decodes as UTF-8, else ISO-8859-1; and its SHA-256."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    digest = hashlib.sha256()
    utf8 = True
    with _open(source) as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return ("utf-8" if utf8 else "iso-8859-1"), digest.hexdigest()


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _cents_text(cents: int) -> str:
    return money(_euros(cents), places=2)


# --------------------------------------------------------------------------- reading


@dataclass
class Ledger:
    """What the lines of an FEC add up to: movements per account and month, the open customer items."""

    name: str
    encoding: str
    signed: bool  # the Montant / Sens form
    separator: str
    checksum: str = ""  # SHA-256 of the file
    lines: int = 0
    entries: int = 0
    total_debit: int = 0  # cents
    total_credit: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    movements: dict[tuple[bytes, bytes], list[int]] = field(default_factory=dict)  # (account, yyyymm) → [D, C]
    labels: dict[bytes, bytes] = field(default_factory=dict)  # account → its first label
    # (customer account, piece) → [debit − credit in cents, earliest piece date, customer name, first line]
    open_items: dict[tuple[bytes, bytes], list] = field(default_factory=dict)

    def text(self, raw: bytes) -> str:
        return raw.decode(self.encoding).strip()

    def balances(self) -> dict[bytes, list[int]]:
        """Account → [total debit, total credit] in cents."""
        out: dict[bytes, list[int]] = {}
        for (account, _month), (d, c) in self.movements.items():
            acc = out.setdefault(account, [0, 0])
            acc[0] += d
            acc[1] += c
        return out


class _Problems:
    """The file's problems, the first MAX_PROBLEMS kept (a broken million-line file would list a million)."""

    def __init__(self, name: str):
        self.name = name
        self.kept: list[Problem] = []
        self.more = 0

    def add(
        self, row: int | None, column: str | None, value: bytes | str | Text | None, expected: Text, encoding: str = "iso-8859-1"
    ) -> None:
        if len(self.kept) >= MAX_PROBLEMS:
            self.more += 1
            return
        if isinstance(value, bytes):
            value = value.decode(encoding, errors="replace")
        self.kept.append(Problem(self.name, row, column, value, expected))

    def raise_any(self) -> None:
        if self.kept:
            extra = (
                [
                    Problem(
                        self.name,
                        None,
                        None,
                        text(N_("{count} more problems"), count=number(self.more)),
                        text(N_("a file without problems (only the first ones are listed)")),
                    )
                ]
                if self.more
                else []
            )
            raise FileRefused(self.kept + extra)


def _period_start(as_of: dt.date) -> dt.date:
    """The earliest entry date a financial year closing on `as_of` may hold (24 months back, the day after)."""
    years = LONGEST_YEAR_MONTHS // 12
    try:
        back = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        back = as_of.replace(year=as_of.year - years, day=28)
    return back + dt.timedelta(days=1)


def _date(raw: bytes) -> dt.date | None:
    if len(raw) != 8 or not raw.isdigit():
        return None
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def _cents(raw: bytes) -> int | None:
    """`1234,56`, `-12,5`, `0` in cents; None for anything else (a decimal point, thousands separators…)."""
    whole, comma, fraction = raw.strip().partition(b",")
    negative = whole[:1] == b"-"
    if negative or whole[:1] == b"+":
        whole = whole[1:]
    if not whole.isdigit() or (comma and not (len(fraction) in (1, 2) and fraction.isdigit())):
        return None
    cents = int(whole) * 100 + (int(fraction) * (10 if len(fraction) == 1 else 1) if comma else 0)
    return -cents if negative else cents


def read_ledger(name: str, source: Source, *, as_of: dt.date | None, receivable: Callable[[bytes], bool]) -> Ledger:
    """Check and aggregate an FEC in one pass over its lines. `as_of` closes the period (entry dates after it, or
    more than 24 months before it, are refused); None: the last entry date. `receivable(account)` says whether
    an account's unlettered lines are open customer items. FileRefused lists the problems (line, column)."""
    encoding, checksum = encoding_and_checksum(source)
    with _open(source) as stream:
        ledger = _read(name, stream, encoding, as_of, receivable)
    ledger.checksum = checksum
    return ledger


def _read(name: str, stream: BinaryIO, encoding: str, as_of: dt.date | None, receivable: Callable[[bytes], bool]) -> Ledger:
    problems = _Problems(name)
    header_line = stream.readline().removeprefix(BOM).rstrip(b"\r\n")
    separator = b"\t" if header_line.count(b"\t") >= header_line.count(b"|") else b"|"
    header = [h.strip().decode(encoding, errors="replace") for h in header_line.split(separator)]
    trailing = len(header) == 19 and header[-1] == ""  # some software ends every line with a separator
    if trailing:
        header.pop()
    signed = len(header) > 11 and header[11].lower() == "montant"
    expected = SIGNED_HEADER if signed else HEADER
    sep_name = text(N_("tabs")) if separator == b"\t" else Text("« | »")
    if len(header) != 18:
        problems.add(
            1,
            None,
            text(N_("{count} columns"), count=len(header)),
            text(N_("the 18 columns of article A47 A-1 of the LPF, separated by {separator}"), separator=sep_name),
        )
    for i, (got, want) in enumerate(zip(header, expected, strict=False)):
        if got.lower() != want.lower():
            problems.add(
                1,
                want,
                got,
                text(N_("column no. {number} “{name}” (18 columns in the order of LPF A47 A-1)"), number=i + 1, name=want),
            )
    problems.raise_any()
    ledger = Ledger(name, encoding, signed, separator.decode())

    low = high = None
    if as_of is not None:
        low, high = _period_start(as_of).strftime("%Y%m%d").encode(), as_of.strftime("%Y%m%d").encode()
    latest = formats.latest_actual_date().strftime("%Y%m%d").encode()  # entries are actual figures: none after it
    entry_months: dict[bytes, bytes] = {}  # EcritureDate → yyyymm
    refused_dates: dict[bytes, str] = {}  # EcritureDate → why it is refused
    first_line_of: dict[bytes, int] = {}  # EcritureDate → the first line it is on (period checks after the pass)
    valid_dates: set[bytes] = set()
    amounts: dict[bytes, int] = {}
    is_receivable: dict[bytes, bool] = {}
    movements, labels, items = ledger.movements, ledger.labels, ledger.open_items
    pending: dict[tuple[bytes, bytes], tuple[int, int]] = {}  # entries whose lines so far do not balance
    broken: set[tuple[bytes, bytes]] = set()  # entries with an unreadable amount: no balance reported
    cur_journal = cur_num = None
    refused = bool(problems.kept)
    run_sum = run_line = 0
    entries = total_d = total_c = lines = 0
    a1_name, a2_name = ("Montant", "Sens") if signed else ("Debit", "Credit")
    amounts_get, months_get, movements_get, receivable_get = (amounts.get, entry_months.get, movements.get, is_receivable.get)

    for line_no, raw in enumerate(stream, start=2):
        line = raw.rstrip(b"\r\n")
        if not line:
            continue
        lines += 1
        if trailing and line[-1:] == separator:
            line = line[:-1]
        cells = line.split(separator)
        if len(cells) != 18:
            problems.add(
                line_no,
                None,
                text(N_("{count} fields"), count=len(cells) + trailing),
                text(N_("{count} fields separated by {separator}"), count=18 + trailing, separator=sep_name),
            )
            refused = True
            continue
        (
            journal,
            _jlib,
            num,
            edate,
            account,
            alabel,
            aux,
            auxlabel,
            piece,
            pdate,
            _elib,
            a1,
            a2,
            let,
            dlet,
            vdate,
            _amount_currency,
            _currency,
        ) = cells
        ok = True
        if not (journal and _jlib and num and edate and account and alabel and piece and pdate and _elib and a1 and a2 and vdate):
            for i in REQUIRED:
                if not cells[i]:
                    problems.add(line_no, expected[i], "", _REQUIRED)
            ok = False
        # amounts
        d = amounts_get(a1)
        if d is None:
            digits = a1[:-3] + a1[-2:]
            # the common shape, 1234,56, read at once; any other through _cents
            d = int(digits) if a1[-3:-2] == b"," and digits.isdigit() else _cents(a1)
            if d is not None and len(amounts) < 200_000:  # amounts repeat (zero, VAT, wages): parsed once each
                amounts[a1] = d
        if d is not None and not -_MAX_CENTS < d < _MAX_CENTS:
            problems.add(line_no, a1_name, a1, _AMOUNT_RANGE, encoding)
            d = None
        elif d is None and a1:
            problems.add(line_no, a1_name, a1, _AMOUNT, encoding)
        if signed:
            c = 0
            if a2 in _CREDIT_SENSE:
                d, c = 0, d
            elif a2 not in _DEBIT_SENSE:
                if a2:
                    problems.add(line_no, "Sens", a2, "D (débit) ou C (crédit)", encoding)
                d = None
        else:
            c = amounts_get(a2)
            if c is None:
                digits = a2[:-3] + a2[-2:]
                c = int(digits) if a2[-3:-2] == b"," and digits.isdigit() else _cents(a2)
                if c is not None and len(amounts) < 200_000:
                    amounts[a2] = c
            if c is not None and not -_MAX_CENTS < c < _MAX_CENTS:
                problems.add(line_no, a2_name, a2, _AMOUNT_RANGE, encoding)
                c = None
            elif c is None and a2:
                problems.add(line_no, a2_name, a2, _AMOUNT, encoding)
        # the entry's balance, by runs of consecutive lines (an entry's lines are normally together)
        if num != cur_num or journal != cur_journal:
            if run_sum:
                pending[(cur_journal, cur_num)] = (run_sum, run_line)
            resumed = pending.pop((journal, num), None)
            if resumed is None:
                run_sum, run_line = 0, line_no
                entries += 1
            else:
                run_sum, run_line = resumed
            cur_journal, cur_num = journal, num
        if d is None or c is None:
            broken.add((journal, num))
            ok = False
        else:
            run_sum += d - c
            total_d += d
            total_c += c
        # dates: each distinct text checked once
        month = months_get(edate)
        if month is None:
            month = _entry_month(entry_months, refused_dates, first_line_of, edate, line_no, low, high, latest)
            if month is None:
                if edate:
                    problems.add(line_no, "EcritureDate", edate, refused_dates[edate], encoding)
                ok = False
        if pdate not in valid_dates or vdate not in valid_dates or (dlet and dlet not in valid_dates):
            for column, value in (("PieceDate", pdate), ("ValidDate", vdate), ("DateLet", dlet)):
                if value and value not in valid_dates:
                    if _date(value) is None:
                        problems.add(line_no, column, value, _DATE, encoding)
                        ok = False
                    else:
                        valid_dates.add(value)
        if not ok or refused:
            refused = True
            continue  # a refused file is not aggregated further, only checked
        key = (account, month)
        acc = movements_get(key)
        if acc is None:
            movements[key] = [d, c]
            if account not in labels:
                labels[account] = alabel
        else:
            acc[0] += d
            acc[1] += c
        rec = receivable_get(account)
        if rec is None:
            rec = is_receivable[account] = receivable(account)
        if rec and not let.strip():
            ikey = (aux or account, piece)
            item = items.get(ikey)
            if item is None:
                items[ikey] = [d - c, pdate, auxlabel or alabel, line_no]
            else:
                item[0] += d - c
                if pdate < item[1]:
                    item[1] = pdate
    if run_sum:
        pending[(cur_journal, cur_num)] = (run_sum, run_line)
    for (journal, num), (gap, first_line) in sorted(pending.items(), key=lambda kv: kv[1][1]):
        if (journal, num) not in broken:
            problems.add(
                first_line,
                "EcritureNum",
                b"%s / %s" % (journal, num),
                text(N_("a balanced entry (debits = credits); debit − credit gap: {gap}"), gap=_cents_text(gap)),
                encoding,
            )
    dates = sorted(entry_months)
    if lines == 0:
        problems.add(None, None, None, text(N_("at least one entry line after the header")))
    elif dates and as_of is None:  # the period closes on the last entry date
        last = _date(dates[-1])
        start = _period_start(last).strftime("%Y%m%d").encode()
        for early in (d for d in dates if d < start):
            problems.add(
                first_line_of[early],
                "EcritureDate",
                early,
                text(
                    N_("a date of the financial year closed on {closing} (last entry date), from {start} at the earliest"),
                    closing=f"{last:%d/%m/%Y}",
                    start=f"{_period_start(last):%d/%m/%Y}",
                ),
            )
    problems.raise_any()
    ledger.lines, ledger.entries, ledger.total_debit, ledger.total_credit = lines, entries, total_d, total_c
    ledger.first_date, ledger.last_date = _date(dates[0]), _date(dates[-1])
    return ledger


def _entry_month(
    months: dict[bytes, bytes],
    refused: dict[bytes, Text],
    first_line_of: dict[bytes, int],
    raw: bytes,
    line_no: int,
    low: bytes | None,
    high: bytes | None,
    latest: bytes,
) -> bytes | None:
    """A distinct EcritureDate's month (yyyymm), kept in `months`; None when it is not a date or is outside the
    period (why, kept in `refused`)."""
    if raw in refused:
        return None
    first_line_of[raw] = line_no
    if _date(raw) is None:
        refused[raw] = _DATE
        return None
    if raw > latest:
        refused[raw] = text(
            N_("an entry date on or before {latest} (today plus {days} days): an entry dated later is not in the books yet"),
            latest=f"{_date(latest):%d/%m/%Y}",
            days=formats.FUTURE_TOLERANCE_DAYS,
        )
        return None
    if low is not None and not low <= raw <= high:
        closing = _date(high)
        refused[raw] = text(
            N_("a date of the financial year closed on {closing} (from {start} at the earliest)"),
            closing=f"{closing:%d/%m/%Y}",
            start=f"{_period_start(closing):%d/%m/%Y}",
        )
        return None
    months[raw] = raw[:6]
    return months[raw]


# --------------------------------------------------------------------------- deriving


@dataclass(frozen=True)
class Figure:
    indicator: str
    period_end: dt.date
    cents: int


def _month_end(yyyymm: bytes) -> dt.date:
    year, month = int(yyyymm[:4]), int(yyyymm[4:6])
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def derive(ledger: Ledger, mapping: Mapping, as_of: dt.date) -> list[Figure]:
    """The indicators the mapping names: balances at `as_of`, or the movements of each calendar month ending by
    `as_of` (a month the period ends within is partial: left out). An indicator none of whose accounts appears in
    the books is not derived (its value is unknown, not zero)."""
    balances = {ledger.text(a): dc for a, dc in ledger.balances().items()}
    months: dict[bytes, dict[str, list[int]]] = {}
    for (account, month), dc in ledger.movements.items():
        months.setdefault(month, {})[ledger.text(account)] = dc
    for account in balances:
        if mapping.rule_for(EQUITY, account) and mapping.rule_for(QUASI_EQUITY, account):
            raise FileRefused(
                [
                    Problem(
                        ledger.name,
                        None,
                        "CompteNum",
                        account,
                        text(
                            N_(
                                "an account counted either in equity or in quasi-equity, never both (the account "
                                "mapping needs correcting)"
                            )
                        ),
                    )
                ]
            )
    figures = []
    for indicator in mapping.indicators():
        matched = [a for a in balances if mapping.rule_for(indicator, a) is not None]
        if not matched:
            continue
        if mapping.measure(indicator) == "balance":
            figures.append(Figure(indicator, as_of, _total(mapping, indicator, matched, balances)))
            continue
        for month in sorted(months):
            end = _month_end(month)
            if end <= as_of:
                moved = months[month]
                used = [a for a in matched if a in moved]
                if used:  # a month without a line on the indicator's accounts is not booked yet: unknown, not 0
                    figures.append(Figure(indicator, end, _total(mapping, indicator, used, moved)))
    return figures


def _total(mapping: Mapping, indicator: str, accounts: list[str], amounts: dict[str, list[int]]) -> int:
    total = 0
    for account in accounts:
        rule = mapping.rule_for(indicator, account)
        debit, credit = amounts[account]
        signed = credit - debit if rule.side == "credit" else debit - credit
        if rule.rule == "side" and signed <= 0:
            continue
        total += signed
    return total


# --------------------------------------------------------------------------- the load's parts


@dataclass
class LedgerSummary:
    """What a ledger export holds and what it gives, for the preview and the load's message."""

    entity: str
    as_of: dt.date
    lines: int
    entries: int
    total_debit: int
    total_credit: int
    accounts: int
    open_items: int
    open_amount: int
    payment_term: int
    figures: list[Figure]
    form: str

    def line(self, lang: str = "fr") -> str:
        return text(
            N_(
                "{entity} as of {as_of}: {lines} lines, {entries} balanced entries, debits = credits = {debits}; "
                "{accounts} accounts; {figures} indicator values; {open_items} open customer items ({open_amount}, "
                "due {payment_term} days after their piece date)"
            ),
            entity=self.entity,
            as_of=shown("date_short", self.as_of),
            lines=shown("number", self.lines),
            entries=shown("number", self.entries),
            debits=shown("money", _euros(self.total_debit), places=2),
            accounts=shown("number", self.accounts),
            figures=shown("number", len(self.figures)),
            open_items=shown("number", self.open_items),
            open_amount=shown("money", _euros(self.open_amount), places=2),
            payment_term=self.payment_term,
        ).render(lang)


@dataclass
class LedgerDiff:
    """What loading an FEC would do, over its three parts (trial balance, indicators, open items); it answers
    like importing.Diff, so the command line and the data page preview it the same way."""

    parts: list[Diff]
    summary: LedgerSummary
    checksum: str
    dataset: Dataset = FEC
    new_versions: list[str] = field(default_factory=list)
    sheet: str | None = None  # an FEC is a text file: no workbook sheet

    @property
    def large_removals(self) -> list:
        return [removal for part in self.parts for removal in part.large_removals]

    @property
    def inserts(self) -> list[dict]:
        return [row for part in self.parts for row in part.inserts]

    @property
    def updates(self) -> list[tuple[dict, dict]]:
        return [pair for part in self.parts for pair in part.updates]

    @property
    def deletes(self) -> list[dict]:
        return [row for part in self.parts for row in part.deletes]

    @property
    def unchanged(self) -> int:
        return sum(part.unchanged for part in self.parts)

    @property
    def changes_anything(self) -> bool:
        return any(part.changes_anything for part in self.parts)

    def preview(self, lookups: Lookups, limit: int = 500) -> pd.DataFrame:
        frames = [part.preview(lookups, limit) for part in self.parts]
        return pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)


@dataclass(frozen=True)
class LedgerLoadResult(LoadResult):
    summary: LedgerSummary | None = None

    def what(self, lang: str) -> str:
        return _(lang, "{file} (ledger entries, FEC)", file=self.file_name)

    def line(self, lang: str = "fr") -> str:
        if self.load_id is None:
            return super().line(lang)
        return _(
            lang,
            "{what}: loaded (no. {load_id}) — {summary} — {counts}",
            what=self.what(lang),
            load_id=self.load_id,
            summary=self.summary.line(lang),
            counts=self.counts(lang),
        )


_REQUIRED = text(N_("a value (a field article A47 A-1 requires)"))
_AMOUNT = text(N_("an amount with a decimal comma (e.g. 1234,56)"))
_DATE = text(N_("a date YYYYMMDD"))
# an amount of a line, as every money cell of the other formats: an account's balance and an indicator add up to
# [import] fec_max_file_mb of such lines, checked once derived (`_check_totals`)
_MAX_CENTS = formats.NUMBER_LIMITS["money"] * 100
_AMOUNT_RANGE = text(
    N_("an amount below {bound} € in absolute value, with a decimal comma"),
    bound=formats.thousands(formats.NUMBER_LIMITS["money"]),
)
_CHOOSE = text(N_("the entity chosen (“Entity of this FEC” on the data loading page, --entity CODE on the command line)"))
_NAME = "{SIREN}FEC{AAAAMMJJ}.txt"  # the file name the LPF gives an FEC (French: the placeholders are French words)


def _entity(session: Session, name: str, code: str | None) -> tuple[str, dt.date | None]:
    """The entity (by `code`, else by the SIREN in the file name) and the closing date the name gives."""
    found = FILE_NAME.search(name)
    siren, closing = (found.group(1), found.group(2)) if found else (None, None)
    as_of = None
    if closing is not None:
        as_of = _date(closing.encode())
        if as_of is None:
            raise FileRefused(
                [
                    Problem(
                        name,
                        None,
                        None,
                        closing,
                        text(N_("a name {pattern} whose closing date is a valid date"), pattern=_NAME),
                    )
                ]
            )
    e = models.Entity
    if code:
        row = session.execute(select(e.code, e.siren).where(e.code == code)).first()
        if row is None:
            raise FileRefused([Problem(name, None, None, code, text(N_("the code of a known entity")))])
        if siren and row.siren and row.siren != siren:
            raise FileRefused(
                [
                    Problem(
                        name,
                        None,
                        None,
                        siren,
                        text(
                            N_("the SIREN of {code} ({siren}) in the file name: is this the FEC of the right entity?"),
                            code=code,
                            siren=row.siren,
                        ),
                    )
                ]
            )
        return row.code, as_of
    if siren is None:
        raise FileRefused(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    text(N_("a name {pattern} whose SIREN is an entity's, or {choose}"), pattern=_NAME, choose=_CHOOSE),
                )
            ]
        )
    found_code = session.scalar(select(e.code).where(e.siren == siren))
    if found_code is None:
        raise FileRefused(
            [
                Problem(
                    name,
                    None,
                    None,
                    siren,
                    text(N_("the SIREN of an entity (siren column of the entities file), or {choose}"), choose=_CHOOSE),
                )
            ]
        )
    return found_code, as_of


def _parsed(name: str, dataset: Dataset, records: list[dict], columns: tuple[str, ...]) -> ParsedFile:
    data = {c: [r.get(c) for r in records] for c in columns}
    return ParsedFile(name, dataset, data, [None] * len(records), [])


def ledger_diff(session: Session, name: str, data: Source, *, entity: str | None = None) -> LedgerDiff:
    """Check and read an FEC, derive its figures and compare them with the store (FileRefused lists every
    problem; nothing is written)."""
    settings = load_settings()
    size = _size(data)
    if size > settings.fec_max_file_mb * 1024 * 1024:
        raise FileRefused(
            [
                Problem(
                    name,
                    None,
                    None,
                    text(N_("{size} MB"), size=f"{size / 1024 / 1024:.1f}".replace(".", ",")),
                    text(N_("a file of at most {size} MB"), size=settings.fec_max_file_mb),
                )
            ]
        )
    entity_code, as_of = _entity(session, name, entity)
    if as_of is not None and as_of > formats.latest_actual_date():
        raise FileRefused(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"{as_of:%d/%m/%Y}",
                    text(
                        N_(
                            "a name {pattern} whose closing date is on or before {latest} (today plus {days} days): the "
                            "figures of a ledger are actual figures"
                        ),
                        pattern=_NAME,
                        latest=f"{formats.latest_actual_date():%d/%m/%Y}",
                        days=formats.FUTURE_TOLERANCE_DAYS,
                    ),
                )
            ]
        )
    mapping = Mapping(rules(session=session))
    receivable_cache: dict[bytes, bool] = {}

    def receivable(account: bytes) -> bool:
        if account not in receivable_cache:
            receivable_cache[account] = mapping.rule_for(RECEIVABLES, account.decode("latin-1").strip()) is not None
        return receivable_cache[account]

    ledger = read_ledger(name, data, as_of=as_of, receivable=receivable)
    as_of = as_of or ledger.last_date
    units = dict(session.execute(select(models.Indicator.code, models.Indicator.unit)).all())
    figures = [f for f in derive(ledger, mapping, as_of) if f.indicator in units]  # a rule outliving its indicator
    term = settings.payment_term(entity_code)
    source = f"{name} (FEC)"
    balances = [
        {
            "date_situation": as_of,
            "entite": entity_code,
            "compte": ledger.text(a)[:40],
            "libelle": ledger.text(ledger.labels[a])[:200] or ledger.text(a),
            "debit": _euros(d),
            "credit": _euros(c),
            "source": source,
            "synthetique": False,
        }
        for a, (d, c) in sorted(ledger.balances().items())
    ]
    observations = [
        {
            "indicateur": f.indicator,
            "entite": entity_code,
            "bureau": None,
            "fin_periode": f.period_end,
            "scenario": "actual",
            "version_plan": None,
            "valeur": _euros(f.cents),
            "_raw_valeur": str(_euros(f.cents)),
            "synthetique": False,
            "source": f"{source} — comptes {mapping.prefixes_text(f.indicator)}",
        }
        for f in figures
    ]
    items = _open_items(
        ledger,
        entity_code,
        as_of,
        term,
        source + " — lignes clients non lettrées, comptes "
        f"{mapping.prefixes_text(RECEIVABLES)}, échéance = date de pièce + {term} jours",
    )
    _check_sums(name, balances, observations, items)
    parts = [
        compute_diff(session, _parsed(name, LEDGER_BALANCES, balances, tuple(c.name for c in LEDGER_BALANCES.columns))),
        compute_diff(
            session,
            _parsed(name, formats.OBSERVATIONS, observations, (*(c.name for c in formats.OBSERVATIONS.columns), "_raw_valeur")),
        ),
        compute_diff(session, _parsed(name, formats.RECEIVABLES, items, tuple(c.name for c in formats.RECEIVABLES.columns))),
    ]
    summary = LedgerSummary(
        entity_code,
        as_of,
        ledger.lines,
        ledger.entries,
        ledger.total_debit,
        ledger.total_credit,
        len(balances),
        len(items),
        sum(_cents_of(i["montant_du"]) for i in items),
        term,
        figures,
        "Montant / Sens" if ledger.signed else "Debit / Credit",
    )
    return LedgerDiff(parts, summary, ledger.checksum)


def _check_sums(name: str, balances: list[dict], observations: list[dict], items: list[dict]) -> None:
    """Each line's amount is bounded as a money cell is; what the lines add up to (an account's debits, an indicator,
    a customer's open item) is held to the bound of the column it is stored in, as a file giving it would be."""
    problems = _Problems(name)
    money = formats.NUMBER_LIMITS["money"]
    for row in balances:
        for column in ("debit", "credit"):
            if abs(row[column]) >= money:
                problems.add(None, "CompteNum", row["compte"], _sum_range(money, column))
    for row in items:
        if abs(row["montant_du"]) >= money:
            problems.add(None, "CompAuxNum", row["client"], _sum_range(money, "montant_du"))
    decimal = formats.NUMBER_LIMITS["decimal"]
    for row in observations:
        if abs(row["valeur"]) >= decimal:
            problems.add(None, "CompteNum", row["indicateur"], _sum_range(decimal, "valeur"))
    problems.raise_any()


def _sum_range(bound: int, column: str) -> Text:
    return text(
        N_("lines adding up to less than {bound} € in absolute value (the store's “{column}” column)"),
        bound=formats.thousands(bound),
        column=column,
    )


def _cents_of(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def _open_items(ledger: Ledger, entity: str, as_of: dt.date, term: int, source: str) -> list[dict]:
    """The open customer items: unlettered lines of the receivable accounts, netted per customer and piece (an
    unlettered payment or credit note stays as a negative item), due `term` days after their earliest piece date."""
    open_items = {k: v for k, v in ledger.open_items.items() if v[0] != 0}
    pieces = Counter(piece for _customer, piece in open_items)
    rows = []
    for (customer, piece), (cents, piece_date, client, _line) in sorted(open_items.items(), key=lambda kv: kv[1][3]):
        invoice = ledger.text(piece)
        if pieces[piece] > 1:  # the same reference for several customers: each customer's item kept apart
            invoice = f"{invoice} ({ledger.text(customer)})"
        invoice_date = _date(piece_date)
        rows.append(
            {
                "date_situation": as_of,
                "entite": entity,
                "bureau": None,
                "client": (ledger.text(client) or ledger.text(customer))[:200],
                "facture": invoice[:60],
                "date_facture": invoice_date,
                "date_echeance": invoice_date + dt.timedelta(days=term),
                "montant_du": _euros(cents),
                "source": source,
                "synthetique": False,
            }
        )
    return rows


def preview_fec(engine: Engine, name: str, data: Source, *, entity: str | None = None) -> tuple[LedgerDiff, pd.DataFrame]:
    """What loading an FEC would do (rows new, changed, removed), without writing anything."""
    with collector_paused(), session_scope(engine) as session:
        diff = ledger_diff(session, name, data, entity=entity)
        return diff, diff.preview(Lookups(session))


def load_fec(
    session: Session, name: str, data: Source, *, loaded_by: str, entity: str | None = None, allow_large_removal: bool = False
) -> LedgerLoadResult:
    """Load an FEC's figures in the caller's transaction as one load of its three parts (undone together). Its
    open items replacing more than a fifth of a stored receivables snapshot need `allow_large_removal`, as any
    receivables file."""
    diff = ledger_diff(session, name, data, entity=entity)
    if not allow_large_removal:
        check_removals(name, diff)
    counts = (len(diff.inserts), len(diff.updates), diff.unchanged, len(diff.deletes))
    if not diff.changes_anything:
        return LedgerLoadResult(name, "fec", None, 0, 0, diff.unchanged, summary=diff.summary)
    load = record_load(session, "fec", diff.parts, file_name=name, checksum=diff.checksum, loaded_by=loaded_by)
    for part in diff.parts:
        write_diff(session, part, load)
    return LedgerLoadResult(name, "fec", load.id, *counts, summary=diff.summary)


# --------------------------------------------------------------------------- reading the store


def ledger_dates(*, session: Session) -> pd.DataFrame:
    """The trial balances in the store. Columns: entity (code), as_of, accounts, source — newest first."""
    b = models.LedgerBalance
    rows = session.execute(
        select(models.Entity.code, b.as_of, func.count(), func.max(b.source))
        .join(models.Entity, models.Entity.id == b.entity_id)
        .group_by(models.Entity.code, b.as_of)
        .order_by(b.as_of.desc(), models.Entity.code)
    ).all()
    return queries.frame(rows, ["entity", "as_of", "accounts", "source"])


def trial_balance(*, session: Session, entity: str, as_of: dt.date) -> pd.DataFrame:
    """An entity's trial balance at a date. Columns: account, label, debit, credit, balance (€, debit − credit)."""
    b = models.LedgerBalance
    rows = session.execute(
        select(b.account, b.label, b.debit, b.credit)
        .join(models.Entity, models.Entity.id == b.entity_id)
        .where(models.Entity.code == entity, b.as_of == as_of)
        .order_by(b.account)
    ).all()
    frame = queries.frame(rows, ["account", "label", "debit", "credit"])
    frame["balance"] = [d - c for d, c in zip(frame["debit"], frame["credit"], strict=True)]
    return frame


def reconciliation(*, session: Session) -> pd.DataFrame:
    """Indicator values an FEC gave that another file also gave for the same entity, date and scenario: the
    latest of each, their difference and both sources. The other value lives either in the observation (loaded
    after the FEC) or in the history of what the FEC's load replaced.

    Columns: indicator, label_fr, label_en, unit, entity, period_end, fec_value, fec_source, other_value,
    other_source, difference (FEC − other)."""
    columns = [
        "indicator",
        "label_fr",
        "label_en",
        "unit",
        "entity",
        "period_end",
        "fec_value",
        "fec_source",
        "other_value",
        "other_source",
        "difference",
    ]
    d, o, c = models.DataLoad, models.Observation, models.LoadChange
    loads = {
        row.id: row for row in session.execute(select(d.id, d.kind, d.file_name, d.loaded_at).where(d.status == "applied")).all()
    }
    ledger_loads = {i for i, row in loads.items() if row.kind == "fec"}
    if not ledger_loads:
        return pd.DataFrame(columns=columns)
    versions: dict[int, dict[int | None, Decimal]] = {}  # observation id → load id → the value it gave
    changes = session.execute(
        select(c.row_id, c.before)
        .join(d, d.id == c.load_id)
        .where(c.table_name == o.__tablename__, c.action == "update", d.status == "applied")
    )
    for row_id, before in changes:
        old = json.loads(before)
        versions.setdefault(row_id, {})[old.get("load_id")] = Decimal(old["value"])
    candidates = {i for i, given in versions.items() if ledger_loads & given.keys()}
    candidates |= set(session.scalars(select(o.id).where(o.load_id.in_(sorted(ledger_loads)))))
    i_, e_ = models.Indicator, models.Entity
    out = []
    ids = sorted(candidates)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(o.id, o.load_id, o.value, o.period_end, i_.code, i_.label_fr, i_.label_en, i_.unit, e_.code.label("entity"))
            .join(i_, i_.id == o.indicator_id)
            .join(e_, e_.id == o.entity_id)
            .where(o.id.in_(ids[start : start + 500]))
        ).all()
        for row in rows:
            given = versions.get(row.id, {}) | {row.load_id: row.value}
            mine = [k for k in given if k in ledger_loads]
            others = [k for k in given if k not in ledger_loads and (k is None or k in loads)]
            if not (mine and others):
                continue
            fec_load, other_load = max(mine), max(others, key=lambda k: k or 0)
            out.append(
                [
                    row.code,
                    row.label_fr,
                    row.label_en,
                    row.unit,
                    row.entity,
                    row.period_end,
                    given[fec_load],
                    _load_text(loads, fec_load),
                    given[other_load],
                    _load_text(loads, other_load),
                    given[fec_load] - given[other_load],
                ]
            )
    frame = pd.DataFrame(out, columns=columns)
    return frame.sort_values(["entity", "period_end", "indicator"], ignore_index=True)


def _load_text(loads: dict, load_id: int | None) -> str:
    if load_id is None:
        return "sans chargement"
    row = loads[load_id]
    return f"n° {load_id} — {row.file_name} ({row.loaded_at:%d/%m/%Y})"
