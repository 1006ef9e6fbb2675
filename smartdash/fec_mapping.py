"""Which accounts of the books make which indicator: the French chart of accounts' (PCG) default, kept in the
store (`account_mapping`) and editable by admins.

A rule names an indicator, an account prefix, the side whose balance counts positive (credit: credit − debit),
what to do with the accounts under the prefix and the measure:

- `net`: the accounts' balances are added; `side`: an account is added only when its own balance is on that
  side (a bank account in overdraft is a debt, not cash); `exclude`: the accounts do not count;
- `balance`: the balance at the as-of date; `monthly`: the movements of each calendar month (a flow such as
  turnover).

An account counts under the longest prefix of the indicator it starts with, so `16` with `1671` excluded takes
every borrowing but the participating securities. Quasi-equity is never summed into equity: a mapping in which
an account would count in both is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from smartdash import auth, models
from smartdash.auth import CurrentUser, require
from smartdash.db import session_scope
from smartdash.i18n import N_, Text, _, text

EQUITY, QUASI_EQUITY, RECEIVABLES = "EQUITY", "QUASI_EQUITY", "TRADE_RECEIVABLES"
SIDE_WORDS = {"credit": N_("credit"), "debit": N_("debit")}
RULE_WORDS = {"net": N_("net balance"), "side": N_("this side only"), "exclude": N_("excluded")}
MEASURE_WORDS = {"balance": N_("balance at the date"), "monthly": N_("movements of the month")}


@dataclass(frozen=True, order=True)
class Rule:
    indicator: str
    prefix: str
    side: str = "credit"
    rule: str = "net"
    measure: str = "balance"


def _rules(indicator: str, prefixes: str, side: str = "credit", rule: str = "net", measure: str = "balance") -> list[Rule]:
    return [Rule(indicator, p, side, rule, measure) for p in prefixes.split()]


PCG_DEFAULT: tuple[Rule, ...] = (
    # capitaux propres: classes 10–14 plus the year's running result (7 − 6); once the closing entries move the
    # result into 12, classes 6 and 7 are nil and nothing is counted twice
    *_rules(EQUITY, "10 11 12 13 14 6 7"),
    # participating securities (autres fonds propres), participating loans, members' current accounts
    *_rules(QUASI_EQUITY, "1671 1675 455"),
    *_rules("NET_RESULT", "6 7"),
    *_rules("SHARE_CAPITAL", "101"),
    *_rules("RESERVES", "106"),
    *_rules("RETAINED_EARNINGS", "11"),
    *_rules("PROVISIONS", "15"),
    # what is owed: borrowings (participating loans and members' current accounts are debts in the accounts),
    # suppliers, customers' advances, staff, social bodies, the State, group and members, overdrawn banks
    *_rules("DEBTS", "16 17 40 41 42 43 44 45 46 51", rule="side"),
    *_rules("DEBTS", "1671", rule="exclude"),
    *_rules(RECEIVABLES, "411", side="debit"),
    *_rules("CASH", "51 53", side="debit", rule="side"),
    *_rules("CASH_NET", "51 53", side="debit"),
    *_rules("TURNOVER", "70", measure="monthly"),
    # turnover less production purchases, goods and subcontracted studies and services (rebates obtained included)
    *_rules("GROSS_MARGIN", "70 601 602 603 604 607 609", measure="monthly"),
)


class MappingError(ValueError):
    """A mapping that cannot be saved: `problems` says what each wrong rule should be, rendered in the reader's
    language (`render(lang)`, one problem per line; `str()` reads English)."""

    def __init__(self, problems: Sequence[Text]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class Mapping:
    """The rules compiled for a load: which rule an account falls under, indicator by indicator."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = sorted(rules)
        self.by_indicator: dict[str, dict[str, Rule]] = {}
        for r in self.rules:
            self.by_indicator.setdefault(r.indicator, {})[r.prefix] = r
        self._cache: dict[tuple[str, str], Rule | None] = {}

    def indicators(self) -> list[str]:
        return list(self.by_indicator)

    def measure(self, indicator: str) -> str:
        return next(iter(self.by_indicator[indicator].values())).measure

    def rule_for(self, indicator: str, account: str) -> Rule | None:
        """The indicator's rule with the longest prefix `account` starts with (None: the account does not count)."""
        key = (indicator, account)
        if key not in self._cache:
            rules = self.by_indicator.get(indicator, {})
            found = next((rules[account[:n]] for n in range(len(account), 0, -1) if account[:n] in rules), None)
            self._cache[key] = None if found is None or found.rule == "exclude" else found
        return self._cache[key]

    def prefixes_text(self, indicator: str) -> str:
        """`10, 11, … sauf 1671`: the accounts an indicator takes, as a source note says it."""
        rules = self.by_indicator.get(indicator, {}).values()
        taken = [r.prefix for r in rules if r.rule != "exclude"]
        left = [r.prefix for r in rules if r.rule == "exclude"]
        return ", ".join(taken) + (" sauf " + ", ".join(left) if left else "")


def problems(rules: Sequence[Rule], units: dict[str, str]) -> list[Text]:
    """What is wrong with a mapping (empty: it can be saved). `units` maps the catalogue's codes to their unit."""
    out = []
    seen: set[tuple[str, str]] = set()
    for r in rules:
        where = f"{r.indicator} / {r.prefix}"
        if (r.indicator, r.prefix) in seen:
            out.append(text(N_("{where}: one rule per indicator and account prefix"), where=where))
        seen.add((r.indicator, r.prefix))
        if r.indicator not in units:
            out.append(text(N_("{where}: the code of an indicator of the catalogue"), where=where))
        elif units[r.indicator] != "EUR":
            out.append(text(N_("{where}: an indicator in euros (this one is in {unit})"), where=where, unit=units[r.indicator]))
        if not (r.prefix.isascii() and r.prefix.isdigit() and len(r.prefix) <= 20):
            out.append(text(N_("{where}: an account prefix made of digits (e.g. 411)"), where=where))
        if r.side not in models.MAPPING_SIDES or r.rule not in models.MAPPING_RULES or r.measure not in models.MAPPING_MEASURES:
            out.append(
                text(N_("{where}: side debit or credit, rule net, side or exclude, measure balance or monthly"), where=where)
            )
        if r.measure == "monthly" and r.rule == "side":
            out.append(text(N_("{where}: a month's movements count as a net balance or are excluded"), where=where))
    for indicator in {r.indicator for r in rules}:
        if len({r.measure for r in rules if r.indicator == indicator and r.rule != "exclude"}) > 1:
            out.append(
                text(N_("{where}: one measure per indicator (balance at the date or the month's movements)"), where=indicator)
            )
    out += _equity_overlaps(rules)
    return out


def _equity_overlaps(rules: Sequence[Rule]) -> list[Text]:
    """Accounts that would count both in equity and in quasi-equity (never allowed)."""
    mapping = Mapping(rules)
    out = []
    for q in mapping.by_indicator.get(QUASI_EQUITY, {}).values():
        if q.rule == "exclude":
            continue
        # an account under q counts in equity through the equity rule covering q itself, or one longer than q
        longer = [
            p
            for p, r in mapping.by_indicator.get(EQUITY, {}).items()
            if p.startswith(q.prefix) and p != q.prefix and r.rule != "exclude"
        ]
        if mapping.rule_for(EQUITY, q.prefix) is not None or longer:
            out.append(
                text(
                    N_("{where}: accounts {prefix} are quasi-equity, never added to equity (exclude them from equity)"),
                    where=f"{EQUITY} / {q.prefix}",
                    prefix=q.prefix,
                )
            )
    return out


# --------------------------------------------------------------------------- the store


def rules(*, session: Session) -> list[Rule]:
    """The mapping in force, sorted by indicator and prefix."""
    a = models.AccountMapping
    return sorted(Rule(*row) for row in session.execute(select(a.indicator_code, a.prefix, a.side, a.rule, a.measure)).all())


def _units(session: Session) -> dict[str, str]:
    return dict(session.execute(select(models.Indicator.code, models.Indicator.unit)).all())


def replace_rules(engine: Engine, new: Sequence[Rule], *, by: str) -> int:
    """Replace the whole mapping in one transaction (MappingError lists every problem, nothing is written);
    recorded in the audit log. Returns the number of rules."""
    new = sorted(set(new))
    with session_scope(engine) as session:
        found = problems(new, _units(session))
        if found:
            raise MappingError(found)
        session.execute(delete(models.AccountMapping))
        if new:
            session.execute(
                insert(models.AccountMapping),
                [
                    {"indicator_code": r.indicator, "prefix": r.prefix, "side": r.side, "rule": r.rule, "measure": r.measure}
                    for r in new
                ],
            )
    auth.record(engine, by, "fec_mapping", {"rules": len(new)})
    return len(new)


def save_mapping(user: CurrentUser | None, engine: Engine, new: Sequence[Rule]) -> int:
    """The admins' edit of the mapping (Catalogue page)."""
    require(user, "catalogue")
    return replace_rules(engine, new, by=user.login)


def mapping_frame(*, session: Session) -> pd.DataFrame:
    """The mapping as the table editor shows it. Columns: indicator, prefix, side, rule, measure (codes)."""
    return pd.DataFrame([r.__dict__ for r in rules(session=session)], columns=["indicator", "prefix", "side", "rule", "measure"])


def rules_from_frame(frame: pd.DataFrame) -> list[Rule]:
    """Rules from the table editor's rows (blank rows left out; cells trimmed)."""
    out = []
    for row in frame.itertuples(index=False):
        cells = [("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()) for v in row]
        if not any(cells):
            continue
        indicator, prefix, side, rule, measure = cells
        out.append(Rule(indicator.upper(), prefix, side or "credit", rule or "net", measure or "balance"))
    return out


def markdown() -> str:
    """The PCG default as a Markdown table (docs/formats.md), the prefixes of one indicator and rule together."""
    lines = ["| indicateur | comptes (préfixes) | sens positif | règle | mesure |", "| --- | --- | --- | --- | --- |"]
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for r in PCG_DEFAULT:
        groups.setdefault((r.indicator, r.side, r.rule, r.measure), []).append(r.prefix)
    for (indicator, side, rule, measure), prefixes in groups.items():
        lines.append(
            f"| `{indicator}` | {', '.join(f'`{p}`' for p in prefixes)} | {_('fr', SIDE_WORDS[side])} | "
            f"{_('fr', RULE_WORDS[rule])} | {_('fr', MEASURE_WORDS[measure])} |"
        )
    return "\n".join(lines)
