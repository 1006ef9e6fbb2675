"""Red / amber / green against thresholds agreed in advance, and trend arrows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Thresholds:
    """An indicator's rule: `direction` up (higher is better) or down; mode "plan" (amber/red are % of
    unfavourable deviation from plan) or "absolute" (amber/red are levels of the value)."""

    direction: str
    mode: str = "plan"
    amber: Decimal | None = Decimal(5)
    red: Decimal | None = Decimal(10)


def variance_pct(actual: Decimal, plan: Decimal) -> Decimal | None:
    """Variance % = (actual − plan) ÷ |plan| × 100 (variance = actual − plan); None when the plan is 0."""
    if plan == 0:
        return None
    return (actual - plan) / abs(plan) * 100


def unfavourable_pct(actual: Decimal, plan: Decimal, direction: str) -> Decimal | None:
    """How far (in %) the actual is on the wrong side of plan; negative when it is better than plan."""
    pct = variance_pct(actual, plan)
    if pct is None:
        return None
    return -pct if direction == "up" else pct


def rag_status(actual: Decimal | None, plan: Decimal | None, rule: Thresholds) -> str | None:
    """green / amber / red, or None when it cannot be computed (no value, or no plan in plan mode).

    Plan mode: green while the unfavourable deviation is ≤ amber %, amber while ≤ red %, else red.
    With a plan of 0 (break-even), any unfavourable actual is red. Absolute mode: for an indicator
    where up is better, green at or above the amber level, amber at or above the red level, else red
    (mirrored when down is better)."""
    if actual is None:
        return None
    if rule.mode == "absolute":
        if rule.amber is None or rule.red is None:
            return None
        if rule.direction == "up":
            return GREEN if actual >= rule.amber else AMBER if actual >= rule.red else RED
        return GREEN if actual <= rule.amber else AMBER if actual <= rule.red else RED
    if plan is None:
        return None
    if plan == 0:
        worse = actual < 0 if rule.direction == "up" else actual > 0
        return RED if worse else GREEN
    off = unfavourable_pct(actual, plan, rule.direction)
    amber = rule.amber if rule.amber is not None else Decimal(5)
    red = rule.red if rule.red is not None else Decimal(10)
    return GREEN if off <= amber else AMBER if off <= red else RED


def trend_arrow(current: Decimal | None, previous: Decimal | None) -> str:
    """↑, ↓ or → comparing a value with the previous one (— when either is missing)."""
    if current is None or previous is None:
        return "—"
    return "↑" if current > previous else "↓" if current < previous else "→"


def worst(statuses: list[str | None]) -> str | None:
    """The worst status of several (red beats amber beats green)."""
    for status in (RED, AMBER, GREEN):
        if status in statuses:
            return status
    return None
